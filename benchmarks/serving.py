"""Latency and throughput of the HTTP service (launch/serve.py) on loopback: continuous vs micro-batched vs unbatched.

    python benchmarks/serving.py --model runs/exports/dpo          # a model from launch/export.py (or any final/)
    python benchmarks/serving.py                                   # embedded:smollm2-135m
    python benchmarks/serving.py --quick                           # embedded:tiny-qwen2, a few short requests

For each mode the service is started as a user starts it (``launch/serve.py --port 0``): ``continuous``
(``--batching continuous --max_batch_size 16``: requests join the running decode), ``micro`` (``--batching micro
--max_batch_size 16``: batches from start to end), ``unbatched`` (``--max_batch_size 1``). At each concurrency (1, 4, 16 clients) every
client sends ``--rounds`` requests one after another on its own keep-alive connection; the requests are the same
held-out situations in both modes (data/easyds/en/eval_prompts.jsonl, greedy, up to ``--max_new_tokens``, stopping at
end of turn). One warm-up request per mode is not counted.

Latency: from sending a request to its whole answer, on the client; p50/p95 by linear interpolation between order
statistics; also per generated token (a request's latency over its answer's length: how fairly the batching treats
requests whose answers differ in length), and the spread of the answers' lengths themselves. Throughput: requests (and generated tokens) completed / wall time of the concurrency level. Prints one
JSON line per (mode, concurrency) and writes serving.png (latency and throughput against concurrency).
"""
import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

MODES = {"continuous": ["--batching", "continuous", "--max_batch_size", "16"],
         "micro": ["--batching", "micro", "--max_batch_size", "16"],
         "unbatched": ["--batching", "micro", "--max_batch_size", "1"]}


def situations(n: int) -> list:
    from common.data import read_jsonl, spread
    from easyds.situations import OPTIONAL_FIELDS, REQUIRED_FIELDS

    keys = REQUIRED_FIELDS + OPTIONAL_FIELDS
    path = os.path.join(ROOT, "data", "easyds", "en", "eval_prompts.jsonl")
    return [{k: r[k] for k in keys} for r in spread(read_jsonl(path, ("prompt",)), n)]


def start_service(model: str, flags: list, log_path: str, extra: list = ()) -> tuple:
    """``(process, port)`` of launch/serve.py once it listens."""
    env = dict(os.environ, PYTHONPATH=ROOT, TOKENIZERS_PARALLELISM="false")
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "launch", "serve.py"), "--model_name_or_path", model,
                                 "--port", "0", *flags, "--max_wait_ms", "10",
                                 "--max_queue", "256", "--request_timeout_s", "600", "--log_level", "warning", *extra],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 600
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"launch/serve.py exited {proc.returncode}; see {log_path}")
        with open(log_path) as f:
            for line in f:
                if line.startswith("[serve]") and "http://127.0.0.1:" in line:
                    return proc, int(line.split("http://127.0.0.1:")[1].split()[0])
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"launch/serve.py did not start within 600 s; see {log_path}")


def stop_service(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(120)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def client(port: int, bodies: list, out: list):
    """Send ``bodies`` one after another on one connection; append ``(latency_s, status, answer)`` to ``out`` (a
    failure of the connection or an answer that is not JSON is recorded as status 0, never lost)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for body in bodies:
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/v1/teaching-prompt", body=json.dumps(body),
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            out.append((time.perf_counter() - t0, resp.status, json.loads(resp.read())))
        except (OSError, http.client.HTTPException, ValueError) as e:
            out.append((time.perf_counter() - t0, 0, {"error": repr(e)}))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.close()


def load_level(port: int, concurrency: int, rounds: int, pool: list, max_new_tokens: int) -> dict:
    bodies = [[{**pool[(c * rounds + r) % len(pool)], "max_new_tokens": max_new_tokens} for r in range(rounds)]
              for c in range(concurrency)]
    out = []
    threads = [threading.Thread(target=client, args=(port, b, out)) for b in bodies]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    ok = [(lat, a) for lat, status, a in out if status == 200]
    failed = [a for _, status, a in out if status != 200]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(out)} requests failed, e.g. {failed[0]}")
    latencies = np.array([lat for lat, _ in ok]) * 1000
    tokens = np.array([max(a["tokens"], 1) for _, a in ok], dtype=float)
    per_token = latencies / tokens  # a request's latency over its answer's length: what batching decides
    return {
        "concurrency": concurrency, "requests": len(out),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1), "p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "mean_ms": round(float(latencies.mean()), 1), "wall_s": round(wall, 2),
        "requests_per_s": len(ok) / wall, "tokens_per_s": sum(a["tokens"] for _, a in ok) / wall,
        "mean_tokens": float(np.mean([a["tokens"] for _, a in ok])),
        "mean_batch_size": float(np.mean([a["batch_size"] for _, a in ok])),
        "mean_queue_ms": float(np.mean([a["queue_ms"] for _, a in ok])),
        "p50_ms_per_token": round(float(np.percentile(per_token, 50)), 1),
        "p95_ms_per_token": round(float(np.percentile(per_token, 95)), 1),
        "tokens_p95_over_p50": round(float(np.percentile(tokens, 95) / np.percentile(tokens, 50)), 3),
    }


def plot(results: list, path: str, title: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for mode, color in zip(MODES, ("tab:green", "tab:blue", "tab:orange")):
        rows = [r for r in results if r["mode"] == mode]
        c = [r["concurrency"] for r in rows]
        ax1.plot(c, [r["p50_ms"] / 1000 for r in rows], "o-", color=color, label=f"{mode} p50")
        ax1.plot(c, [r["p95_ms"] / 1000 for r in rows], "s--", color=color, label=f"{mode} p95")
        ax2.plot(c, [r["tokens_per_s"] for r in rows], "o-", color=color, label=mode)
    for ax, ylabel in ((ax1, "latency (s)"), (ax2, "generated tokens / s")):
        ax.set_xscale("log", base=2)
        ax.set_xticks([1, 4, 16], ["1", "4", "16"])
        ax.set_xlabel("concurrent clients")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="embedded:smollm2-135m", help="what launch/serve.py serves")
    p.add_argument("--concurrency", default="1,4,16", help="comma-separated client counts")
    p.add_argument("--rounds", type=int, default=2, help="requests each client sends at each concurrency")
    p.add_argument("--max_new_tokens", type=int, default=64)
    p.add_argument("--output_dir", default=os.path.join(ROOT, "runs", "benchmarks"))
    p.add_argument("--quick", action="store_true", help="embedded:tiny-qwen2, 1 round, 16 tokens")
    a = p.parse_args(argv)
    if a.quick:
        a.model, a.rounds, a.max_new_tokens = "embedded:tiny-qwen2", 1, 16
    levels = [int(c) for c in a.concurrency.split(",")]
    pool = situations(max(levels) * a.rounds)
    os.makedirs(a.output_dir, exist_ok=True)
    results = []
    for mode, flags in MODES.items():
        log = os.path.join(tempfile.gettempdir(), f"easyds_serving_{mode}.log")
        # The tiny model's coarse tokenizer spends more tokens on a situation than a real one does.
        extra = ["--max_prompt_tokens", "512"] if a.quick else []
        proc, port = start_service(a.model, flags, log, extra)
        try:
            load_level(port, 1, 1, pool, a.max_new_tokens)  # warm-up
            for c in levels:
                row = {"mode": mode, "model": a.model, "max_batch_size": int(flags[-1]),
                       "max_new_tokens": a.max_new_tokens, **load_level(port, c, a.rounds, pool, a.max_new_tokens)}
                results.append(row)
                print(json.dumps(row), flush=True)
        finally:
            stop_service(proc)
    for c in levels:
        row = {m: next(r for r in results if r["mode"] == m and r["concurrency"] == c) for m in MODES}
        for a_mode, b_mode in (("continuous", "micro"), ("continuous", "unbatched"), ("micro", "unbatched")):
            x, y = row[a_mode], row[b_mode]
            print(json.dumps({"mode": f"{a_mode} ÷ {b_mode}", "concurrency": c,
                              "throughput_ratio": round(x["tokens_per_s"] / y["tokens_per_s"], 3),
                              "p95_ratio": round(x["p95_ms"] / y["p95_ms"], 3)}), flush=True)
        cont = row["continuous"]  # the answers' own spread of lengths bounds how close p95 can come to p50
        print(json.dumps({"mode": "continuous", "concurrency": c, "summary": "p95 / p50",
                          "p95_over_p50": round(cont["p95_ms"] / cont["p50_ms"], 3),
                          "per_token_p95_over_p50": round(cont["p95_ms_per_token"] / cont["p50_ms_per_token"], 3),
                          "tokens_p95_over_p50": cont["tokens_p95_over_p50"]}), flush=True)
    png = os.path.join(a.output_dir, "serving.png")
    plot(results, png, f"launch/serve.py on loopback: {a.model}")
    print(f"[serving] plot: {png}", file=sys.stderr)


if __name__ == "__main__":
    main()
