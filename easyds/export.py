"""The standalone export for serving (``launch/export.py``): LoRA merged into the base, one safetensors model with
its tokenizer, generation config and serving settings, checked against base + adapter before it is written."""
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from typing import Optional

import torch
from transformers import AutoModelForCausalLM, GenerationConfig

from common.config import Arguments, _help, choice, missing_files
from common.data import pad_sequences
from common.embedded import resolve_model_path
from common.generation import stop_token_ids
from common.modeling import load_causal_lm, load_tokenizer
from common.templates import prompt_ids, response_ids

from common.data import read_jsonl, spread

from .inference import SERVING_CONFIG, serving_config
from .rubric import DATA_DIR


@dataclass
class ExportArguments(Arguments):
    output_dir: Optional[str] = field(default=None, metadata=_help("Where the standalone model goes."))
    save_dtype: str = choice("float32", ("float32", "bfloat16"), "The dtype of the saved weights (the merge itself "
                                                                 "and its check run in float32).")
    verify_file: Optional[str] = field(
        default=None, metadata=_help("JSONL of prompts (and reference responses) whose logits the check compares "
                                     "(default: the bundled data/easyds/en/eval_prompts.jsonl).")
    )
    verify_samples: int = field(default=4, metadata=_help("Prompts of --verify_file the check runs."))
    atol: float = field(
        default=1e-3, metadata=_help("Largest allowed |merged - (base + adapter)| over every logit compared.")
    )

    def problems(self, groups) -> list:
        out = [] if self.output_dir else ["--output_dir is required"]
        out += missing_files(self, "verify_file")
        if self.verify_samples < 1 or self.atol <= 0:
            out.append("--verify_samples must be >= 1 and --atol > 0")
        return out


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

    Long on purpose: one staged procedure (merge, check, write, reload, check again, publish) that must not be
    entered half-way.
    """
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


def run_export(model_args, a) -> dict:
    """``launch/export.py``: export, checked on ``a.verify_samples`` prompts of ``a.verify_file`` (default: the bundled
    English held-out prompts, with their reference responses), and print what the check measured."""
    records = spread(read_jsonl(a.verify_file or str(DATA_DIR / "en" / "eval_prompts.jsonl"), ("prompt",)),
                     a.verify_samples)
    report = export_standalone(model_args.model_name_or_path, a.output_dir, a.save_dtype,
                               [(r["prompt"], r.get("reference", "")) for r in records], a.atol)
    print(f"[export] {report['source']} -> {report['output_dir']} ({report['size_mb']} MB, {report['save_dtype']}): "
          f"max |merged - (base + adapter)| {report['merge_max_abs_diff']:.2e} over {report['positions']} positions, "
          f"saved {report['saved_max_abs_diff']:.2e}, next-token agreement {report['saved_argmax_agreement']:.4f}, "
          f"{report['seconds']} s")
    return report
