"""Kill each training stage (SFT, RM, PPO, DPO) with SIGKILL at random points, resume it, and compare it with the
run that was never interrupted.

    .venv/bin/python benchmarks/fault_injection.py [--quick] [--kills 3] [--seed 0] [--model embedded:tiny-qwen2]

For each stage: one uninterrupted run (the reference), then the same command started again and again with
``--resume_from_checkpoint auto`` (what the pipeline passes) in a fresh directory, each start killed with
``kill -9``, until one finishes. The kills alternate between a random moment of training and the moment a
checkpoint directory appears without its ``COMPLETE`` marker (a kill during the checkpoint write). The other kills
come a random 0-0.6 s after that start logged its first metrics line, so they land in training steps, evaluations
and saves rather than in the process start-up. Compared at the end: every line of ``metrics.jsonl`` (every metric
but wall-clock speeds, to 1e-5 · (1 + |value|), since DPO's reward margins are small differences of summed
log-probs near −175) and every tensor of ``final/`` (to 1e-6, the largest difference reported). Not bit for bit:
two processes may round a float32 matmul differently, as two uninterrupted runs may. One JSON line per stage:
kills, how many landed during a checkpoint write, restarts, the metrics lines logged at each kill, and whether
metrics and weights matched. Exit status 1 if any stage differs.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EN = ROOT / "data" / "easyds" / "en"
WALL_CLOCK = ("tokens_per_s", "time/", "samples_per_s")


def stage_commands(model: str, work: Path, steps: int) -> dict:
    """The four stages on the bundled English data, each reading the *reference* run's upstream outputs."""
    common = ["--save_steps", "1", "--logging_steps", "1", "--max_steps", str(steps), "--save_total_limit", "2",
              "--seed", "7"]
    ref = work / "reference"
    return {
        "sft": ["sft", "--model_name_or_path", model, "--train_file", EN / "sft_train.jsonl", "--eval_file",
                EN / "sft_eval.jsonl", "--max_eval_samples", "16", "--num_samples", "0", "--max_target_length", "48",
                "--per_device_train_batch_size", "2", *common],
        "rm": ["rm", "--model_name_or_path", ref / "sft" / "final", "--train_file", EN / "pref_train.jsonl",
               "--eval_file", EN / "pref_eval.jsonl", "--max_eval_samples", "16", "--max_target_length", "48",
               "--per_device_train_batch_size", "2", *common],
        "ppo": ["ppo", "--actor_model_name_or_path", ref / "sft" / "final", "--reward_model_name_or_path",
                ref / "rm" / "final", "--prompt_file", EN / "ppo_prompts.jsonl", "--rollout_batch_size", "4",
                "--per_device_train_batch_size", "2", "--max_new_tokens", "16", "--force", "--num_samples", "0",
                "--ref_mode", "adapter_disabled", *common],
        "dpo": ["dpo", "--model_name_or_path", ref / "sft" / "final", "--train_file", EN / "pref_train.jsonl",
                "--eval_file", EN / "pref_eval.jsonl", "--max_eval_samples", "16", "--max_target_length", "48",
                "--per_device_train_batch_size", "2", "--precompute_ref_logps", *common],
    }


def command(args: list, out: Path) -> list:
    script, *flags = args
    return [sys.executable, str(ROOT / "launch" / f"{script}.py"), *map(str, flags), "--output_dir", str(out),
            "--resume_from_checkpoint", "auto"]


def env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT), TOKENIZERS_PARALLELISM="false")


def run(args: list, out: Path) -> float:
    start = time.time()
    proc = subprocess.run(command(args, out), cwd=ROOT, env=env(), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed:\n{proc.stderr[-3000:]}")
    return time.time() - start


def partial_checkpoint(out: Path):
    """A checkpoint directory being written (no COMPLETE yet), or None."""
    root = out / "checkpoints"
    if root.is_dir():
        for d in root.iterdir():
            if d.name.startswith("step-") and not (d / "COMPLETE").exists():
                return d
    return None


def logged_lines(out: Path) -> int:
    try:
        return sum(1 for line in open(out / "metrics.jsonl", encoding="utf-8") if line.strip())
    except OSError:
        return 0


def killed_run(args: list, out: Path, mode: str, delay: float) -> dict:
    """Start the stage (resuming) and kill it: ``step`` mode ``delay`` seconds after this start has logged its first
    metrics line (inside a training step, an evaluation or a save), ``checkpoint`` mode as soon as a checkpoint
    directory appears without its COMPLETE marker (during the write). Returns what happened."""
    before = logged_lines(out)
    proc = subprocess.Popen(command(args, out), cwd=ROOT, env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    landed, armed = None, None
    while proc.poll() is None:
        if mode == "step":
            if armed is None and logged_lines(out) > before:
                armed = time.time() + delay
            if armed is not None and time.time() >= armed:
                landed = "step"
        elif partial_checkpoint(out) is not None:
            landed = "checkpoint"
        if landed:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    _, err = proc.communicate()
    if landed is None and proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed on its own:\n{err[-3000:]}")
    return {"killed": landed is not None, "mid_checkpoint": landed is not None and partial_checkpoint(out) is not None,
            "lines_logged": logged_lines(out)}


def metrics(out: Path) -> list:
    rows = [json.loads(line) for line in open(out / "metrics.jsonl", encoding="utf-8") if line.strip()]
    return [{k: v for k, v in r.items() if not any(w in k for w in WALL_CLOCK)} for r in rows]


def final_tensors(out: Path) -> dict:
    from safetensors.torch import load_file

    return {f"{p.name}/{k}": v for p in sorted((out / "final").glob("*.safetensors")) for k, v in load_file(p).items()}


def compare(ref: Path, got: Path) -> dict:
    a, b = metrics(ref), metrics(got)
    differing = [f"line {i + 1}: lines differ in keys" for i, (x, y) in enumerate(zip(a, b)) if x.keys() != y.keys()]
    differing += [f"step {x['step']} {k}: {x[k]} vs {y[k]}" for x, y in zip(a, b) if x.keys() == y.keys()
                  for k in x if abs(x[k] - y[k]) > 1e-5 * (1.0 + abs(x[k]))]
    if len(a) != len(b):
        differing.append(f"{len(a)} lines vs {len(b)}")
    same_metrics = not differing
    ta, tb = final_tensors(ref), final_tensors(got)
    diff = max(((ta[k] - tb[k]).abs().max().item() for k in ta), default=0.0) if ta.keys() == tb.keys() else None
    # Not bit for bit: two processes may round float32 matmuls differently (the math library picks kernels by
    # memory alignment), so a resumed step can differ in the last bits, as two uninterrupted runs can.
    same_weights = diff is not None and diff <= 1e-6
    return {"metric_lines": len(a), "metrics_equal": same_metrics, "metrics_differing": differing[:3],
            "final_tensors": len(ta),
            "final_max_abs_diff": diff, "final_equal": same_weights}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer steps and kills (a smoke run)")
    p.add_argument("--kills", type=int, default=3, help="kills per stage before the run may finish")
    p.add_argument("--steps", type=int, default=8, help="optimizer steps (PPO iterations) per stage")
    p.add_argument("--seed", type=int, default=0, help="seed of the kill times")
    p.add_argument("--model", default="embedded:tiny-qwen2")
    p.add_argument("--work", default=str(ROOT / "runs" / "benchmarks" / "fault_injection"))
    a = p.parse_args()
    if a.quick:
        a.kills, a.steps = 2, 4
    rng = random.Random(a.seed)
    work = Path(a.work)
    if work.exists():
        import shutil

        shutil.rmtree(work)
    stages = stage_commands(a.model, work, a.steps)
    failed = False
    for name, args in stages.items():
        ref, faulty = work / "reference" / name, work / "faulty" / name
        seconds = run(args, ref)
        kills, mid, starts, finished, progress = 0, 0, 0, False, []
        for i in range(a.kills):
            mode = "checkpoint" if i % 2 else "step"
            starts += 1
            r = killed_run(args, faulty, mode, rng.uniform(0.0, 0.6))
            kills += r["killed"]
            mid += r["mid_checkpoint"]
            progress.append(r["lines_logged"])
            if not r["killed"]:  # it finished before the kill came
                finished = True
                break
        if not finished:
            starts += 1
            run(args, faulty)
        result = {"benchmark": "fault_injection", "stage": name, "kills": kills, "kills_during_checkpoint_write": mid,
                  "starts": starts, "metric_lines_at_each_kill": progress, "reference_s": round(seconds, 1),
                  **compare(ref, faulty)}
        failed |= not (result["metrics_equal"] and result["final_equal"])
        print(json.dumps(result), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
