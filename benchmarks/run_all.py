"""Run every benchmark and gather their JSON lines into one results table.

    python benchmarks/run_all.py --quick          # every benchmark at a small size on the tiny model (about a minute)
    python benchmarks/run_all.py                  # full sizes on embedded:smollm2-135m (about an hour on 2 cores)
    python benchmarks/run_all.py --compare a86729e --only train_step,dpo_step   # that commit's code, then this

``--compare REF`` runs each benchmark twice, back to back: first the code of git revision REF (checked out as a
detached worktree under ``--output_dir``, its own benchmark script with its own library), then this tree's; and
prints the ratio new / REF of every number both report for the same case (compare.md, compare.jsonl).

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

RLOO = ["--advantage_estimator", "rloo", "--rollout_batch_size", "4", "--samples_per_prompt", "2"]  # 8 rollouts
SHARED = ["--critic", "shared"]
# name -> (full command, quick command), each a list after the interpreter or launcher
BENCHMARKS = {
    "train_step": ([sys.executable, f"{BENCH}/train_step.py"],
                   [sys.executable, f"{BENCH}/train_step.py", "--model", TINY, "--quick"]),
    "generation": ([DEEPSPEED, "--num_gpus", "2", f"{BENCH}/generation.py", "--repeats", "2"],
                   [DEEPSPEED, "--num_gpus", "2", f"{BENCH}/generation.py", "--quick"]),
    "ppo_iteration": ([sys.executable, f"{BENCH}/ppo_iteration.py"],
                      [sys.executable, f"{BENCH}/ppo_iteration.py", "--quick"]),
    "ppo_iteration_shared": ([sys.executable, f"{BENCH}/ppo_iteration.py", *SHARED],
                             [sys.executable, f"{BENCH}/ppo_iteration.py", "--quick", *SHARED]),
    "ppo_iteration_rloo": ([sys.executable, f"{BENCH}/ppo_iteration.py", *RLOO],
                           [sys.executable, f"{BENCH}/ppo_iteration.py", "--quick", *RLOO]),
    "dpo_step": ([sys.executable, f"{BENCH}/dpo_step.py"],
                 [sys.executable, f"{BENCH}/dpo_step.py", "--model", TINY, "--quick"]),
    "serving": ([sys.executable, f"{BENCH}/serving.py"],
                [sys.executable, f"{BENCH}/serving.py", "--quick"]),
    "fault_injection": ([sys.executable, f"{BENCH}/fault_injection.py"],
                        [sys.executable, f"{BENCH}/fault_injection.py", "--quick"]),
}
# benchmarks whose script from this tree measures the baseline's library under --compare (EASYDS_ROOT): they report
# numbers the baseline's own script did not
THIS_SCRIPT = {"ppo_iteration", "ppo_iteration_shared", "ppo_iteration_rloo"}
# flags a baseline may not have: under --compare its run leaves them out (the shared critic is compared with the
# baseline's separate one, the same GAE iteration)
NEW_FLAGS = {"ppo_iteration_shared": SHARED}
CASE_KEYS = ("mode", "summary", "stage")
SHOWN = ("concurrency", "p50_ms", "p95_ms", "requests_per_s", "mean_batch_size", "throughput_ratio", "p95_ratio",
         "p95_over_p50", "per_token_p95_over_p50", "tokens_p95_over_p50", "data", "length_group_batches",
         "pad_share", "tokens_per_s", "forward_tokens_per_s",
         "seconds_per_step", "achieved_gflops", "share_of_peak",
         "merge_lora", "matches_naive", "generate_s", "score_s", "train_s", "iteration_s", "samples_per_s",
         "setup_s", "models_in_memory", "peak_rss_mb", "ratio_ours_adapter_disabled_to_trl", "kills",
         "kills_during_checkpoint_write", "metrics_equal", "final_equal")


# what names a measurement's case (same case, same settings), and the numbers a comparison divides
IDENTITY = ("mode", "summary", "iteration", "stage", "concurrency", "batching", "model", "batch", "seq_len", "lora_rank",
            "ref_mode", "data", "length_group_batches", "max_new_tokens", "advantage_estimator")
RATIOS = ("tokens_per_s", "seconds_per_step", "iteration_s", "generate_s", "score_s", "train_s", "samples_per_s",
          "seconds_per_rollout_token", "peak_rss_mb", "p50_ms", "p95_ms", "requests_per_s", "pad_share")


def run(name: str, cmd: list, timeout: int, root: str = ROOT) -> tuple:
    """``(json lines, seconds, error or None)`` of one benchmark process, with the code of the tree at ``root``
    (its own benchmark script too, unless the benchmark is in ``THIS_SCRIPT``)."""
    env = dict(os.environ, PYTHONPATH=root, EASYDS_ROOT=root, TOKENIZERS_PARALLELISM="false")
    if name not in THIS_SCRIPT:
        cmd = [os.path.join(root, os.path.relpath(c, ROOT)) if c.startswith(BENCH + os.sep) else c for c in cmd]
    t0 = time.time()
    try:
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [], time.time() - t0, f"timed out after {timeout} s"
    lines = []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                lines.append({**json.loads(line), "benchmark": name})  # the case's name, not the script's
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


def baseline_tree(ref: str, output_dir: str) -> str:
    """A detached git worktree of ``ref`` (made once, reused): the code a comparison measures against."""
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=ROOT, capture_output=True,
                         text=True)
    if sha.returncode != 0:
        raise SystemExit(f"[run_all] --compare {ref}: not a git revision of {ROOT}")
    path = os.path.abspath(os.path.join(output_dir, f"baseline-{sha.stdout.strip()[:12]}"))
    if not os.path.isdir(path):
        subprocess.run(["git", "worktree", "add", "--detach", path, sha.stdout.strip()], cwd=ROOT, check=True,
                       capture_output=True)
    return path


def identity(line: dict) -> tuple:
    return (line["benchmark"],) + tuple((k, line[k]) for k in IDENTITY if k in line)


def compare(before: list, after: list, ref: str) -> tuple:
    """``(rows, markdown)``: new / REF for every number in ``RATIOS`` that both report for the same case."""
    old = {identity(line): line for line in before}
    rows = []
    for line in after:
        base = old.get(identity(line))
        if base is None:
            continue
        for key in RATIOS:
            if isinstance(line.get(key), (int, float)) and isinstance(base.get(key), (int, float)) and base[key]:
                rows.append({"benchmark": line["benchmark"], "case": dict(identity(line)[1:]), "metric": key,
                             "baseline": base[key], "new": line[key], "ratio": round(line[key] / base[key], 3)})
    text = [f"| benchmark | case | metric | {ref} | this tree | new / {ref} |", "|---|---|---|---|---|---|"]
    text += [f"| {r['benchmark']} | {', '.join(f'{k}={v}' for k, v in r['case'].items())} | {r['metric']} | "
             f"{r['baseline']:.4g} | {r['new']:.4g} | {r['ratio']:.3g} |" for r in rows]
    return rows, "\n".join(text)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes on the tiny model")
    p.add_argument("--only", default="", help="comma-separated subset of: " + ", ".join(BENCHMARKS))
    p.add_argument("--output_dir", default=os.path.join(ROOT, "runs", "benchmarks"))
    p.add_argument("--timeout", type=int, default=3600, help="seconds allowed per benchmark")
    p.add_argument("--compare", metavar="REF", default=None,
                   help="also run each benchmark on the code of git revision REF, just before, and print the ratios")
    a = p.parse_args(argv)
    names = [n for n in a.only.split(",") if n] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        p.error(f"unknown benchmark(s): {', '.join(unknown)}")
    os.makedirs(a.output_dir, exist_ok=True)
    baseline = baseline_tree(a.compare, a.output_dir) if a.compare else None
    results, errors, seconds, before = [], {}, {}, []
    for name in names:
        cmd = BENCHMARKS[name][1 if a.quick else 0]
        if baseline:
            print(f"[run_all] {name} at {a.compare} ({baseline})", flush=True)
            new = NEW_FLAGS.get(name, [])  # the commands end with them
            lines, took, error = run(name, cmd[: len(cmd) - len(new)], a.timeout, root=baseline)
            before += lines
            print(f"[run_all] {name} at {a.compare}: {len(lines)} result line(s) in {took:.0f} s"
                  + (f"; FAILED: {error}" if error else ""), flush=True)
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
    if baseline:
        rows, text = compare(before, results, a.compare)
        with open(os.path.join(a.output_dir, "compare.jsonl"), "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
        with open(os.path.join(a.output_dir, "compare.md"), "w", encoding="utf-8") as f:
            f.write(f"# This tree against {a.compare} (run back to back)\n\n{text}\n")
        print(text)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
