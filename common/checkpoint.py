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
    from peft import PeftModel, get_peft_model_state_dict

    from .modeling import record_adapter_base, write_base_record

    final = os.path.join(output_dir, name)
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
    from .templates import prompt_ids, response_ids

    if not verify:
        raise ValueError("export_standalone: no (prompt, response) pairs to check the merged logits on")
    start = time.time()
    config = serving_config(resolve_model_path(name_or_path))
    tokenizer = load_tokenizer(name_or_path)
    rows = [prompt_ids(tokenizer, p, config["system_prompt"]) + response_ids(tokenizer, r) for p, r in verify]
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
