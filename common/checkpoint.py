"""Resumable checkpoints and the exported ``final/`` model; one format for every stage.

Layout of a run directory::

    checkpoints/step-000040/   DeepSpeed engine state (one sub-folder per engine: actor, critic, ...),
                               client_state.json, rng_state_rank{r}.pt, and COMPLETE once every rank has saved
    final/                     adapter_model.safetensors + adapter_config.json (LoRA) or model.safetensors (full),
                               tokenizer files; final/merged/ with --merge_lora

A checkpoint without COMPLETE (a crash during saving) is never resumed from; one whose files do not read back (a
torn or corrupted write) is passed over for the newest one that does, with a warning naming it. Each checkpoint's
``client_state.json`` holds the configuration of the run that wrote it (``run_config``): a run resumes only a
checkpoint written with the same settings (``check_run_config``).
"""
import json
import os
import random
import re
import shutil
import sys

import numpy as np
import torch
from peft import PeftModel, get_peft_model_state_dict
from transformers import AutoTokenizer

from . import zero3
from .engine import barrier
from .modeling import VALUE_HEAD, load_causal_lm, record_adapter_base, write_base_record

COMPLETE = "COMPLETE"
STEP_DIR = re.compile(r"^step-(\d+)$")


def seed_everything(seed: int):
    """Seed Python, NumPy and torch (every device) from one number."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def rng_state() -> dict:
    state = {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict):
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _rank() -> int:
    return torch.distributed.get_rank() if torch.distributed.is_initialized() else 0


def save_checkpoint(output_dir: str, step: int, engines: dict, client_state: dict, keep: int = 2) -> str:
    """Save every engine (``{"model": engine}`` or ``{"actor": ..., "critic": ...}``) plus the trainer's state.

    ``client_state`` is JSON (global step, epoch, data position, KL controller, counters); each rank also saves
    its own RNG streams. Keeps the newest ``keep`` complete checkpoints. Collective: call on every rank.
    """
    root = os.path.join(output_dir, "checkpoints")
    path = os.path.join(root, f"step-{step:06d}")
    try:
        for name, engine in engines.items():
            engine.save_checkpoint(os.path.join(path, name), tag="state")
        torch.save(rng_state(), os.path.join(path, f"rng_state_rank{_rank()}.pt"))
    except (OSError, RuntimeError) as e:  # a full disk surfaces as torch's "unexpected pos ..." RuntimeError
        free = shutil.disk_usage(output_dir).free / 2**20
        raise OSError(f"writing the checkpoint {path} failed ({e}); {free:.0f} MiB free on that disk. The run stopped "
                      f"here; the checkpoints before it are intact (this one has no {COMPLETE} marker and is never "
                      f"resumed from)") from e
    barrier()
    if _rank() == 0:
        with open(os.path.join(path, "client_state.json"), "w", encoding="utf-8") as f:
            json.dump(client_state, f, indent=2)
        open(os.path.join(path, COMPLETE), "w").close()
        for old in list_checkpoints(output_dir)[:-keep]:
            shutil.rmtree(old, ignore_errors=True)
    barrier()
    return path


def list_checkpoints(output_dir: str) -> list:
    """Complete checkpoints of a run, oldest first."""
    root = os.path.join(output_dir, "checkpoints")
    if not os.path.isdir(root):
        return []
    found = []
    for name in os.listdir(root):
        m = STEP_DIR.match(name)
        if m and os.path.exists(os.path.join(root, name, COMPLETE)):
            found.append((int(m.group(1)), os.path.join(root, name)))
    return [p for _, p in sorted(found)]


def unreadable(path: str):
    """Why the checkpoint at ``path`` cannot be loaded (the first file that does not read back), or None.

    Every torch file is a zip archive whose members carry CRCs: reading them all back catches a torn or corrupted
    write without loading a tensor; ``client_state.json`` must parse.
    """
    import zipfile

    try:
        with open(os.path.join(path, "client_state.json"), encoding="utf-8") as f:
            json.load(f)
    except (OSError, ValueError) as e:
        return f"{path}/client_state.json: {e}"
    for root, _, files in os.walk(path):
        for name in files:
            if name.endswith((".pt", ".bin")):
                file = os.path.join(root, name)
                try:
                    with zipfile.ZipFile(file) as z:
                        bad = z.testzip()
                    if bad is not None:
                        return f"{file}: member {bad} fails its CRC"
                except (OSError, zipfile.BadZipFile, EOFError) as e:
                    return f"{file}: {e}"
    return None


def resolve_resume(resume_from_checkpoint, output_dir: str):
    """``auto`` -> the newest complete, readable checkpoint, or None (a fresh start); a path must be a complete,
    readable checkpoint directory named ``step-N``."""
    if not resume_from_checkpoint:
        return None
    if resume_from_checkpoint == "auto":
        for path in reversed(list_checkpoints(output_dir)):
            problem = unreadable(path)
            if problem is None:
                return path
            print(f"WARNING: checkpoint {path} does not read back ({problem}); trying the one before it",
                  file=sys.stderr, flush=True)
        return None
    path = resume_from_checkpoint.rstrip("/")
    if not STEP_DIR.match(os.path.basename(path)):
        raise ValueError(f"--resume_from_checkpoint {path}: not a checkpoint directory (checkpoints are "
                         f"OUTPUT_DIR/checkpoints/step-NNNNNN)")
    if not os.path.exists(os.path.join(path, COMPLETE)):
        raise FileNotFoundError(f"{path}: not a complete checkpoint (no {COMPLETE} marker)")
    problem = unreadable(path)
    if problem:
        raise ValueError(f"{path}: the checkpoint does not read back ({problem})")
    return path


def clear_run(output_dir: str) -> None:
    """``--overwrite_output_dir``: delete what an earlier run wrote (checkpoints, final/, metrics, tensorboard,
    summary); caches keyed by their inputs (the DPO reference log-probs) stay."""
    for name in ("checkpoints", "final", "tensorboard"):
        shutil.rmtree(os.path.join(output_dir, name), ignore_errors=True)
    for name in ("metrics.jsonl", "run_summary.json"):
        if os.path.exists(os.path.join(output_dir, name)):
            os.remove(os.path.join(output_dir, name))


def checkpoint_step(path: str) -> int:
    return int(STEP_DIR.match(os.path.basename(path.rstrip("/"))).group(1))


# Settings that do not change what a run computes: logging, checkpointing, evaluation batch size, where it writes.
BOOKKEEPING = frozenset({"output_dir", "local_rank", "logging_steps", "save_steps", "save_total_limit", "save_snapshots",
                         "resume_from_checkpoint", "overwrite_output_dir", "merge_lora", "num_samples",
                         "sample_every", "per_device_eval_batch_size", "force"})


def check_run_config(path: str, config: dict) -> None:
    """Refuse to resume ``path`` when the run that wrote it had other settings than ``config`` (bookkeeping aside),
    naming each setting with both values."""
    with open(os.path.join(path, "client_state.json"), encoding="utf-8") as f:
        saved = json.load(f).get("run_config")
    if saved is None:
        raise ValueError(f"{path}: the checkpoint does not record its run's settings (written by an older "
                         f"version); pass --overwrite_output_dir to start afresh")
    now = json.loads(json.dumps(config, default=str))
    def show(d, k):
        return repr(d[k]) if k in d else "(unset)"

    diff = [f"{k}: {show(saved, k)} -> {show(now, k)}"
            for k in sorted(set(saved) | set(now)) if k not in BOOKKEEPING and saved.get(k) != now.get(k)]
    if diff:
        raise ValueError(f"{path} was written by a run with other settings ({'; '.join(diff)}). Resume with the "
                         f"same settings, or pass --overwrite_output_dir to start afresh (it deletes the "
                         f"directory's checkpoints, final/ and metrics).")


def load_checkpoint(path: str, engines: dict) -> dict:
    """Restore every engine (weights, optimizer, scheduler) and this rank's RNG; returns the client state."""
    for name, engine in engines.items():
        load_path, _ = engine.load_checkpoint(os.path.join(path, name), tag="state")
        if load_path is None:
            raise FileNotFoundError(f"{path}/{name}: DeepSpeed found no engine state to load")
    with open(os.path.join(path, "client_state.json"), encoding="utf-8") as f:
        client_state = json.load(f)
    rng_file = os.path.join(path, f"rng_state_rank{_rank()}.pt")
    if not os.path.exists(rng_file):
        raise FileNotFoundError(f"{rng_file}: missing; was the checkpoint written by a different number of ranks?")
    set_rng_state(torch.load(rng_file, weights_only=False))
    return client_state


def export_final(model, tokenizer, output_dir: str, merge_lora: bool = False, base_model_name_or_path=None,
                 name: str = "final") -> str:
    """Write ``final/`` (or ``name``, e.g. ``snapshots/step-000004``): the LoRA adapter (peft format, safetensors) or
    the full model, and the tokenizer.

    With ``merge_lora`` also ``final/merged``: base weights reloaded from disk, the saved adapter applied and
    merged, a standalone model. The adapter config names the base as a directory, so plain transformers + peft
    load ``final/``; ``base_model.json`` keeps the base as given (``base_model_name_or_path``, e.g.
    ``embedded:smollm2-135m``), which our loaders prefer because it resolves on any machine.
    Collective: call on every rank.
    """
    final = os.path.join(output_dir, name)
    if isinstance(model, PeftModel):
        state = zero3.full_state_dict(model, only=lambda n: "lora_" in n)
        record = record_adapter_base(model, base_model_name_or_path)
        if _rank() == 0:
            adapter_state = get_peft_model_state_dict(model, state_dict=state, save_embedding_layers=False)
            model.save_pretrained(final, state_dict=adapter_state, save_embedding_layers=False)
            write_base_record(final, record)
    else:  # a full model; a shared critic's value head (PPO --critic shared) is training state, not the model
        state = {k: v for k, v in zero3.full_state_dict(model).items() if not k.startswith(VALUE_HEAD + ".")}
        if _rank() == 0:
            model.save_pretrained(final, state_dict=state)
    if _rank() == 0:
        tokenizer.save_pretrained(final)
        if merge_lora:
            merge_adapter(final, os.path.join(final, "merged"))
    barrier()
    return final


def merge_adapter(adapter_dir: str, out_dir: str) -> str:
    """Base + adapter from disk, merged into a standalone safetensors model with the tokenizer."""
    merged = load_causal_lm(adapter_dir, torch.float32, adapter="merge")  # stacked adapters included
    merged.save_pretrained(out_dir)
    AutoTokenizer.from_pretrained(adapter_dir).save_pretrained(out_dir)
    return out_dir
