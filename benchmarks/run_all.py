"""Run every benchmark and gather their JSON lines into one results table.

    python benchmarks/run_all.py --quick          # every benchmark at a small size on the tiny model (about a minute)
    python benchmarks/run_all.py                  # full sizes on embedded:smollm2-135m (about an hour on 2 cores)

Each benchmark runs in its own process, one after another (they would disturb each other's timings otherwise);
generation runs on two ranks through the deepspeed launcher. Writes ``--output_dir``/results.jsonl (every line
every benchmark printed, tagged with its benchmark) and results.md (one table), and prints the table. A benchmark
that fails is listed in the table with its error; the others still run.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "benchmarks")
DEEPSPEED = os.path.join(os.path.dirname(sys.executable), "deepspeed")
TINY = "embedded:tiny-qwen2"

# name -> (full command, quick command), each a list after the interpreter or launcher
BENCHMARKS = {
    "train_step": ([sys.executable, f"{BENCH}/train_step.py"],
                   [sys.executable, f"{BENCH}/train_step.py", "--model", TINY, "--quick"]),
    "generation": ([DEEPSPEED, "--num_gpus", "2", f"{BENCH}/generation.py", "--repeats", "2"],
                   [DEEPSPEED, "--num_gpus", "2", f"{BENCH}/generation.py", "--quick"]),
    "ppo_iteration": ([sys.executable, f"{BENCH}/ppo_iteration.py"],
                      [sys.executable, f"{BENCH}/ppo_iteration.py", "--quick"]),
    "dpo_step": ([sys.executable, f"{BENCH}/dpo_step.py"],
                 [sys.executable, f"{BENCH}/dpo_step.py", "--model", TINY, "--quick"]),
    "serving": ([sys.executable, f"{BENCH}/serving.py"],
                [sys.executable, f"{BENCH}/serving.py", "--quick"]),
    "fault_injection": ([sys.executable, f"{BENCH}/fault_injection.py"],
                        [sys.executable, f"{BENCH}/fault_injection.py", "--quick"]),
}
CASE_KEYS = ("mode", "summary", "stage")
SHOWN = ("concurrency", "p50_ms", "p95_ms", "requests_per_s", "mean_batch_size", "throughput_ratio", "tokens_per_s", "forward_tokens_per_s", "seconds_per_step", "achieved_gflops", "share_of_peak",
         "merge_lora", "matches_naive", "generate_s", "score_s", "train_s", "iteration_s", "samples_per_s",
         "setup_s", "models_in_memory", "peak_rss_mb", "ratio_ours_adapter_disabled_to_trl", "kills",
         "kills_during_checkpoint_write", "metrics_equal", "final_equal")


def run(name: str, cmd: list, timeout: int) -> tuple:
    """``(json lines, seconds, error or None)`` of one benchmark process."""
    env = dict(os.environ, PYTHONPATH=ROOT, TOKENIZERS_PARALLELISM="false")
    t0 = time.time()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [], time.time() - t0, f"timed out after {timeout} s"
    lines = []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                lines.append({"benchmark": name, **json.loads(line)})
            except json.JSONDecodeError:
                pass  # a log line that happens to start with a brace, not a measurement
    error = None if proc.returncode == 0 else (proc.stderr.strip().splitlines() or ["(no stderr)"])[-1][:200]
    return lines, time.time() - t0, error


def table(results: list, errors: dict, seconds: dict) -> str:
    rows = ["| benchmark | case | measurements |", "|---|---|---|"]
    for r in results:
        if r.get("iteration") is not None and not r.get("summary"):
            continue  # per-iteration PPO lines: the summary line has their mean
        case = next((str(r[k]) if k != "summary" else "mean per iteration" for k in CASE_KEYS if k in r),
                    "ours ÷ TRL" if "ratio_ours_adapter_disabled_to_trl" in r else "")
        shown = [f"{k}={r[k]:.4g}" if isinstance(r[k], float) else f"{k}={r[k]}" for k in SHOWN if k in r]
        if r.get("skipped"):
            shown = [f"skipped: {r['skipped']}"]
        if r.get("error"):
            shown = [f"error: {r['error'][-120:]}"]
        rows.append(f"| {r['benchmark']} | {case} | {', '.join(shown)} |")
    for name, error in errors.items():
        rows.append(f"| {name} | FAILED | {error} |")
    rows.append("")
    rows.append("Wall time per benchmark: " + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items()) + ".")
    return "\n".join(rows)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes on the tiny model")
    p.add_argument("--only", default="", help="comma-separated subset of: " + ", ".join(BENCHMARKS))
    p.add_argument("--output_dir", default=os.path.join(ROOT, "runs", "benchmarks"))
    p.add_argument("--timeout", type=int, default=3600, help="seconds allowed per benchmark")
    a = p.parse_args(argv)
    names = [n for n in a.only.split(",") if n] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        p.error(f"unknown benchmark(s): {', '.join(unknown)}")
    os.makedirs(a.output_dir, exist_ok=True)
    results, errors, seconds = [], {}, {}
    for name in names:
        cmd = BENCHMARKS[name][1 if a.quick else 0]
        print(f"[run_all] {name}: {' '.join(cmd)}", flush=True)
        lines, seconds[name], error = run(name, cmd, a.timeout)
        results += lines
        if error:
            errors[name] = error
        print(f"[run_all] {name}: {len(lines)} result line(s) in {seconds[name]:.0f} s"
              + (f"; FAILED: {error}" if error else ""), flush=True)
    with open(os.path.join(a.output_dir, "results.jsonl"), "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in results)
    text = table(results, errors, seconds)
    with open(os.path.join(a.output_dir, "results.md"), "w", encoding="utf-8") as f:
        f.write(f"# Benchmark results ({'quick' if a.quick else 'full'})\n\n{text}\n")
    print(text)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
