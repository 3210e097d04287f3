"""Run tracking, rank 0 only: metrics.jsonl, tensorboard, tqdm progress and run_summary.json.

Every other rank gets the same object with every method a no-op, so trainers call it unconditionally.
On resume, metrics.jsonl keeps the lines up to the resumed step and drops the rest, so the file of a resumed
run reads like the file of an uninterrupted one.
"""
import json
import os
import resource
import sys
import time

import torch
from tqdm.auto import tqdm

from .files import atomic_open, lock_directory


def peak_memory_mb() -> dict:
    """Peak resident memory of this process (and peak GPU memory when there is a GPU), in MiB."""
    out = {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if torch.cuda.is_available():
        out["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
    return out


class Tracker:
    def __init__(self, output_dir: str, rank: int = 0, config: dict = None, resume_step: int = None):
        self.output_dir, self.enabled = output_dir, rank == 0
        self.start = time.time()
        self.counters = {"tokens": 0, "samples": 0}
        self.last_metrics = {}
        self.writer = None
        self.config = json.loads(json.dumps(config or {}, default=str))  # as checkpoints record it
        self.lines = 0  # lines in metrics.jsonl (a checkpoint records it: a resume keeps exactly those)
        if not self.enabled:
            return
        lock_directory(output_dir)  # one writer at a time
        self.metrics_path = os.path.join(output_dir, "metrics.jsonl")
        self._truncate_metrics(resume_step or 0)
        from torch.utils.tensorboard import SummaryWriter

        self.writer = SummaryWriter(os.path.join(output_dir, "tensorboard"), purge_step=resume_step)
        if config:
            self.writer.add_text("config", "```\n" + json.dumps(config, indent=2, default=str) + "\n```", 0)

    def _truncate_metrics(self, resume_step: int):
        """Keep the lines up to ``resume_step`` (a torn last line dropped); a fresh run starts an empty file."""
        if not os.path.exists(self.metrics_path):
            return
        kept = []
        with open(self.metrics_path, encoding="utf-8") as f:
            lines = f.readlines()
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                step = json.loads(line)["step"]
            except (ValueError, KeyError) as e:
                if i == len(lines) - 1:  # a write torn by a crash: dropped, the resumed run logs that step again
                    print(f"WARNING: {self.metrics_path}:{i + 1}: torn last line dropped", file=sys.stderr, flush=True)
                    continue
                raise ValueError(f"{self.metrics_path}:{i + 1}: not a metrics line ({e})") from None
            if step <= resume_step:
                kept.append(line if line.endswith("\n") else line + "\n")
        # A step-0 evaluation belongs to the start of the run; a fresh (non-resumed) run starts an empty file.
        if not resume_step:
            kept = []
        self._rewrite(kept)

    def _rewrite(self, lines: list):
        with atomic_open(self.metrics_path) as f:
            f.writelines(lines)
        self.lines = len(lines)

    def log(self, step: int, metrics: dict):
        """One line of metrics.jsonl and one tensorboard scalar per key."""
        if not self.enabled:
            return
        metrics = {k: float(v) for k, v in metrics.items()}
        self.last_metrics.update(metrics)
        with open(self.metrics_path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"step": step, **metrics}) + "\n")
        self.lines += 1
        for k, v in metrics.items():
            self.writer.add_scalar(k, v, step)
        self.writer.flush()

    def text(self, tag: str, text: str, step: int):
        if self.enabled:
            self.writer.add_text(tag, text, step)

    def progress(self, total: int, initial: int = 0, desc: str = "train"):
        """A tqdm bar on rank 0 (on stderr); a silent one elsewhere."""
        return tqdm(total=total, initial=initial, desc=desc, disable=not self.enabled, dynamic_ncols=True,
                    file=sys.stderr)

    def add(self, tokens: int = 0, samples: int = 0):
        self.counters["tokens"] += tokens
        self.counters["samples"] += samples

    def state_dict(self) -> dict:
        return {"counters": dict(self.counters), "elapsed": self.elapsed(), "metrics_lines": self.lines}

    def load_state_dict(self, state: dict):
        self.counters = dict(state["counters"])
        self.start = time.time() - state["elapsed"]  # wall time keeps counting across an interruption
        # The lines logged when the checkpoint was saved, exactly: at the last step the final evaluation is logged
        # before the save, and a run resumed there must not log it twice.
        if self.enabled and "metrics_lines" in state and self.lines > state["metrics_lines"]:
            with open(self.metrics_path, encoding="utf-8") as f:
                lines = [line for line in f if line.strip()]
            self._rewrite(lines[: state["metrics_lines"]])

    def elapsed(self) -> float:
        return time.time() - self.start

    def summary(self, final_metrics: dict = None, extra: dict = None):
        """Write run_summary.json: wall time, peak memory, tokens and samples seen, final metrics, config."""
        if not self.enabled:
            return
        summary = {
            "wall_time_s": round(self.elapsed(), 2),
            **{k: round(v, 1) for k, v in peak_memory_mb().items()},
            "tokens_seen": self.counters["tokens"],
            "samples_seen": self.counters["samples"],
            "final_metrics": final_metrics if final_metrics is not None else self.last_metrics,
            **(extra or {}),
            "config": self.config,
        }
        with open(os.path.join(self.output_dir, "run_summary.json"), "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2, default=str)
        self.writer.flush()

    def close(self):
        if self.writer is not None:
            self.writer.close()
