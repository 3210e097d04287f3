"""Reload stage outputs with nothing but transformers + peft (no project code), in a fresh process:

    python tests/plain_reload.py --out FILE.safetensors KIND=DIR ...

KIND: ``lm`` (a causal LM: an adapter whose base is a model, or a full model), ``stacked`` (a PPO/DPO adapter
whose base is an SFT adapter: that adapter merged into its base, then this one on top, as training built it),
``scalar`` (a reward model / critic export: backbone + ``value_head.safetensors``; the score is the head at the
last token, times ``gain`` plus ``bias`` from ``scalar_head_config.json``). Writes, per directory, the logits (or
scores) of a fixed text; tests/test_exports.py compares them with the project's own loader.
"""
import json
import os
import sys

import torch
from peft import AutoPeftModelForCausalLM, PeftConfig, PeftModel
from safetensors.torch import load_file, save_file
from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer

TEXT = "Topic: stack\nExercise: balanced brackets. My loop pops before checking if the stack is empty."


def load_lm(path):
    if os.path.isfile(os.path.join(path, "adapter_config.json")):
        return AutoPeftModelForCausalLM.from_pretrained(path)
    return AutoModelForCausalLM.from_pretrained(path)


def load_stacked(path):
    base = PeftConfig.from_pretrained(path).base_model_name_or_path  # the SFT adapter's directory
    return PeftModel.from_pretrained(AutoPeftModelForCausalLM.from_pretrained(base).merge_and_unload(), path)


def scalar_scores(path, ids):
    cfg = json.load(open(os.path.join(path, "scalar_head_config.json"), encoding="utf-8"))
    if os.path.isfile(os.path.join(path, "adapter_config.json")):
        body = PeftModel.from_pretrained(AutoModel.from_pretrained(PeftConfig.from_pretrained(path).base_model_name_or_path), path)
    else:
        body = AutoModel.from_pretrained(path)
    head = load_file(os.path.join(path, "value_head.safetensors"))
    hidden = body.eval()(input_ids=ids).last_hidden_state[:, -1]
    return (hidden @ head["weight"].T + head["bias"]).squeeze(-1) * cfg["gain"] + cfg["bias"]


def main():
    out = sys.argv[sys.argv.index("--out") + 1]
    results = {}
    for item in sys.argv[1:]:
        if "=" not in item:
            continue
        kind, path = item.split("=", 1)
        ids = AutoTokenizer.from_pretrained(path)(TEXT, return_tensors="pt").input_ids
        with torch.no_grad():
            if kind == "scalar":
                results[path] = scalar_scores(path, ids)
            else:
                model = (load_stacked if kind == "stacked" else load_lm)(path).eval()
                results[path] = model(input_ids=ids).logits[0]
    assert not any(m == "common" or m.startswith(("common.", "rlhf", "dpo")) for m in sys.modules), "project code imported"
    save_file({k: v.float().contiguous() for k, v in results.items()}, out)


if __name__ == "__main__":
    main()
