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
    merged, a standalone model. The adapter config names the base as a directory, so plain transformers + peft
    load ``final/``; ``base_model.json`` keeps the base as given (``base_model_name_or_path``, e.g.
    ``embedded:smollm2-135m``), which our loaders prefer because it resolves on any machine.
    Collective: call on every rank.
    """
    from peft import PeftModel, get_peft_model_state_dict

    from .modeling import record_adapter_base, write_base_record

    final = os.path.join(output_dir, "final")
    if isinstance(model, PeftModel):
        state = full_state_dict(model, only=lambda n: "lora_" in n)
        record = record_adapter_base(model, base_model_name_or_path)
        if _rank() == 0:
            adapter_state = get_peft_model_state_dict(model, state_dict=state, save_embedding_layers=False)
            model.save_pretrained(final, state_dict=adapter_state, save_embedding_layers=False)
            write_base_record(final, record)
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


class ExportCheckFailed(RuntimeError):
    """The merged model's logits differ from base + adapter by more than the tolerance."""


def export_standalone(name_or_path: str, out_dir: str, save_dtype: str = "float32", verify: list = (),
                      atol: float = 1e-3) -> dict:
    """``launch/export.py``: a model for serving. Base + adapter (any stage's ``final/``, stacked adapters included)
    merged into one standalone safetensors model in ``out_dir``, with the tokenizer, ``generation_config.json``
    (greedy, stop at end of turn, the training run's response length) and ``teaching_prompt.json`` (the system
    prompt and length budgets the model was trained with, which ``TeachingPromptGenerator`` reads).

    The check: on ``verify`` (``(prompt, response)`` pairs, in the chat template) every logit of the merged model,
    before and after its round trip through the files, is compared with base + adapter unmerged (for a stacked
    adapter: the layer below merged, as it was trained on, and the top adapter unmerged). The merge, and a float32
    save, must agree within ``atol``; a bfloat16 save is rounding, so its difference and next-token agreement are
    reported, not held to ``atol``. Writes ``export_report.json`` and returns it. A failed check raises
    ``ExportCheckFailed`` and leaves ``out_dir`` as it was (the files stay in ``out_dir.partial`` for a look).
    """
    import time

    from transformers import AutoModelForCausalLM, GenerationConfig

    from .data import pad_sequences
    from .embedded import resolve_model_path
    from .generation import stop_token_ids
    from .inference import SERVING_CONFIG, serving_config
    from .modeling import load_causal_lm, load_tokenizer
    from .templates import build_prompt, build_response

    if not verify:
        raise ValueError("export_standalone: no (prompt, response) pairs to check the merged logits on")
    start = time.time()
    config = serving_config(resolve_model_path(name_or_path))
    tokenizer = load_tokenizer(name_or_path)
    rows = [tokenizer(build_prompt(tokenizer, p, config["system_prompt"]) + build_response(tokenizer, r),
                      add_special_tokens=False)["input_ids"] for p, r in verify]
    ids = pad_sequences(rows, tokenizer.pad_token_id)  # (B, T)
    mask = pad_sequences([[1] * len(r) for r in rows], 0)  # (B, T)

    @torch.no_grad()
    def logits(model):
        return model.eval()(input_ids=ids, attention_mask=mask).logits.float()[mask.bool()]  # (positions, V)

    reference = logits(load_causal_lm(name_or_path, torch.float32, adapter="frozen"))
    merged = load_causal_lm(name_or_path, torch.float32, adapter="merge")
    merge_diff = float((logits(merged) - reference).abs().max())
    # Written into a staging folder, renamed to out_dir only once checked: a failed export is never servable.
    staging = out_dir.rstrip("/") + ".partial"
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    merged.to({"float32": torch.float32, "bfloat16": torch.bfloat16}[save_dtype]).save_pretrained(staging)
    del merged
    tokenizer.save_pretrained(staging)
    # Stops at every end-of-turn token, no repetition penalty. No top_k=0: transformers refuses to save a top_k
    # with do_sample=False. The project's own decoding (common.generation) reads none of this file.
    GenerationConfig(eos_token_id=stop_token_ids(tokenizer), pad_token_id=tokenizer.pad_token_id, do_sample=False,
                     repetition_penalty=1.0, max_new_tokens=config["max_target_length"]).save_pretrained(staging)
    with open(os.path.join(staging, SERVING_CONFIG), "w", encoding="utf-8") as f:
        json.dump({k: config[k] for k in ("system_prompt", "max_source_length", "max_target_length")}
                  | {"exported_from": name_or_path}, f, indent=2, ensure_ascii=False)
    saved = logits(AutoModelForCausalLM.from_pretrained(staging, dtype=torch.float32))
    saved_diff = float((saved - reference).abs().max())
    report = {
        "source": name_or_path, "output_dir": out_dir, "save_dtype": save_dtype, "positions": int(mask.sum()),
        "merge_max_abs_diff": merge_diff, "saved_max_abs_diff": saved_diff,
        "saved_argmax_agreement": float((saved.argmax(-1) == reference.argmax(-1)).float().mean()),
        "atol": atol, "size_mb": round(sum(os.path.getsize(os.path.join(staging, f)) for f in os.listdir(staging))
                                       / 2**20, 1),
        "serving_config_from": config["source"],
    }
    report["passed"] = merge_diff <= atol and (save_dtype != "float32" or saved_diff <= atol)
    report["seconds"] = round(time.time() - start, 2)
    with open(os.path.join(staging, "export_report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    if not report["passed"]:
        held = merge_diff if save_dtype != "float32" else max(merge_diff, saved_diff)
        raise ExportCheckFailed(f"{out_dir}: merged logits differ from base + adapter by {held:.3g} (--atol {atol}); "
                                f"nothing was exported; the files and export_report.json are in {staging}")
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(staging, out_dir)
    return report
