"""Resumable checkpoints and the exported ``final/`` model; one format for every stage.

Layout of a run directory::

    checkpoints/step-000040/   DeepSpeed engine state (one sub-folder per engine: actor, critic, ...),
                               client_state.json, rng_state_rank{r}.pt, and COMPLETE once every rank has saved
    final/                     adapter_model.safetensors + adapter_config.json (LoRA) or model.safetensors (full),
                               tokenizer files; final/merged/ with --merge_lora

A checkpoint without COMPLETE (a crash during saving) is never resumed from.
"""
import json
import os
import random
import re
import shutil

import numpy as np
import torch

from . import zero3
from .engine import barrier

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
    for name, engine in engines.items():
        engine.save_checkpoint(os.path.join(path, name), tag="state")
    torch.save(rng_state(), os.path.join(path, f"rng_state_rank{_rank()}.pt"))
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


def resolve_resume(resume_from_checkpoint, output_dir: str):
    """``auto`` -> the newest complete checkpoint or None (a fresh start); a path must be a complete checkpoint."""
    if not resume_from_checkpoint:
        return None
    if resume_from_checkpoint == "auto":
        found = list_checkpoints(output_dir)
        return found[-1] if found else None
    if not os.path.exists(os.path.join(resume_from_checkpoint, COMPLETE)):
        raise FileNotFoundError(f"{resume_from_checkpoint}: not a complete checkpoint (no {COMPLETE} marker)")
    return resume_from_checkpoint


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


def full_state_dict(model, only=None) -> dict:
    """CPU copies of ``model``'s parameters (gathered under ZeRO-3; never empty shards) and buffers.

    ``only`` filters parameter names (e.g. the LoRA weights). Collective under ZeRO-3: call on every rank.
    """
    out = {}
    for name, p in model.named_parameters():
        if only is not None and not only(name):
            continue
        with zero3.gathered([p]):
            out[name] = p.detach().cpu().clone()
    if only is None:
        for name, b in model.named_buffers():
            out[name] = b.detach().cpu().clone()
    return out


def export_final(model, tokenizer, output_dir: str, merge_lora: bool = False, base_model_name_or_path=None) -> str:
    """Write ``final/``: the LoRA adapter (peft format, safetensors) or the full model, and the tokenizer.

    With ``merge_lora`` also ``final/merged``: base weights reloaded from disk, the saved adapter applied and
    merged, a standalone model. ``base_model_name_or_path`` is recorded in the adapter config as given (e.g.
    ``embedded:smollm2-135m``) rather than as this machine's cache path, so ``final/`` stays portable.
    Collective: call on every rank.
    """
    from peft import PeftModel, get_peft_model_state_dict

    final = os.path.join(output_dir, "final")
    if isinstance(model, PeftModel):
        state = full_state_dict(model, only=lambda n: "lora_" in n)
        if base_model_name_or_path:
            for cfg in model.peft_config.values():
                cfg.base_model_name_or_path = base_model_name_or_path
        if _rank() == 0:
            adapter_state = get_peft_model_state_dict(model, state_dict=state, save_embedding_layers=False)
            model.save_pretrained(final, state_dict=adapter_state, save_embedding_layers=False)
    else:
        state = full_state_dict(model)
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
    from transformers import AutoTokenizer

    from .modeling import load_causal_lm

    merged = load_causal_lm(adapter_dir, torch.float32, adapter="merge")  # stacked adapters included
    merged.save_pretrained(out_dir)
    AutoTokenizer.from_pretrained(adapter_dir).save_pretrained(out_dir)
    return out_dir
