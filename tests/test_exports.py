"""Every stage's ``final/`` (SFT, RM, PPO, DPO; LoRA and full) reloads with nothing but transformers + peft in a
fresh process (tests/plain_reload.py), and gives the logits (for RM: the scores) of the project's own loader."""
import json
import subprocess
import sys

import pytest
import torch

from conftest import ROOT, TOPICS, run_stages, write_jsonl

TINY = "embedded:tiny-qwen2"
FAST = ["--max_steps", 2, "--save_steps", 0, "--logging_steps", 1, "--per_device_train_batch_size", 2,
        "--learning_rate", 1e-2, "--max_source_length", 96]


@pytest.fixture(scope="module")
def finals(tmp_path_factory, sft_files):
    d = tmp_path_factory.mktemp("exports")
    pairs = [{"prompt": f"Topic: {TOPICS[i % 8]}\nExercise {i}: stuck.", "chosen": f"What does a {TOPICS[i % 8]} keep?",
              "rejected": "Here is the full code: def solve(x): return sorted(x)"} for i in range(8)]
    pref = write_jsonl(d / "pairs.jsonl", pairs), write_jsonl(d / "pairs_eval.jsonl", pairs[:4])
    prompts = write_jsonl(d / "prompts.jsonl", [{"prompt": p["prompt"]} for p in pairs])
    sft_data = ["--train_file", sft_files[0], "--eval_file", sft_files[1], "--max_target_length", 24,
                "--num_samples", 0]
    rm_data = ["--train_file", pref[0], "--eval_file", pref[1], "--max_target_length", 24]
    ppo = ["--critic_model_name_or_path", TINY, "--reward_fn", f"{ROOT}/tests/rewards.py:common_letters",
           "--prompt_file", prompts, "--rollout_batch_size", 2, "--max_new_tokens", 6, "--num_samples", 0]
    dpo = ["--train_file", pref[0], "--eval_file", pref[1], "--max_target_length", 24]
    out = {k: d / k for k in ("sft_lora", "sft_full", "rm_lora", "rm_full", "ppo_lora", "ppo_full", "dpo_lora",
                              "dpo_full")}
    plan = [
        ("sft_lora", "sft", ["--model_name_or_path", TINY, *sft_data]),
        ("sft_full", "sft", ["--model_name_or_path", TINY, "--lora_rank", 0, *sft_data]),
        ("rm_lora", "rm", ["--model_name_or_path", TINY, *rm_data]),
        ("rm_full", "rm", ["--model_name_or_path", TINY, "--lora_rank", 0, *rm_data]),
        # PPO and DPO on the SFT adapter: their adapters are stacked on it
        ("ppo_lora", "ppo", ["--actor_model_name_or_path", out["sft_lora"] / "final", *ppo]),
        ("ppo_full", "ppo", ["--actor_model_name_or_path", TINY, "--lora_rank", 0, "--ref_mode", "separate", *ppo]),
        ("dpo_lora", "dpo", ["--model_name_or_path", out["sft_lora"] / "final", *dpo]),
        ("dpo_full", "dpo", ["--model_name_or_path", TINY, "--lora_rank", 0, "--ref_mode", "separate", *dpo]),
    ]
    results = run_stages([{"name": n, "script": s, "argv": [str(a) for a in argv + FAST + ["--output_dir", out[n]]],
                           "stop_on_error": n == "sft_lora"} for n, s, argv in plan], d / "runner")
    assert all(r["ok"] for r in results.values()), results
    return {k: v / "final" for k, v in out.items()}


def kind(name):
    return "scalar" if name.startswith("rm") else "stacked" if name in ("ppo_lora", "dpo_lora") else "lm"


def test_every_final_reloads_with_plain_transformers_and_peft(finals, tmp_path):
    from safetensors.torch import load_file

    from common.embedded import resolve_model_path
    from common.modeling import ScalarHeadModel, load_causal_lm, load_tokenizer

    for name in ("sft_lora", "rm_lora", "ppo_lora", "dpo_lora"):
        cfg = json.loads((finals[name] / "adapter_config.json").read_text())
        base = json.loads((finals[name] / "base_model.json").read_text())["base_model_name_or_path"]
        if name in ("sft_lora", "rm_lora"):  # the embedded name kept for us, its directory for peft
            assert base == TINY and cfg["base_model_name_or_path"] == resolve_model_path(TINY)
        else:  # stacked on the SFT adapter, named by its absolute path in both
            assert base == cfg["base_model_name_or_path"] == str(finals["sft_lora"])
    out = tmp_path / "plain.safetensors"
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "plain_reload.py"), "--out", str(out),
                           *[f"{kind(n)}={p}" for n, p in finals.items()]], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    plain = load_file(out)
    text = "Topic: stack\nExercise: balanced brackets. My loop pops before checking if the stack is empty."
    for name, path in finals.items():
        ids = load_tokenizer(str(path))(text, return_tensors="pt").input_ids
        with torch.no_grad():
            if kind(name) == "scalar":
                ours = ScalarHeadModel.from_pretrained(str(path)).score(ids, torch.ones_like(ids))
            else:
                ours = load_causal_lm(str(path), adapter="frozen").eval()(input_ids=ids).logits[0]
        theirs = plain[str(path)]
        assert theirs.shape == ours.shape, name
        assert torch.allclose(theirs, ours.float(), atol=1e-5), (name, (theirs - ours).abs().max())
    with torch.no_grad():
        bare = load_causal_lm(TINY).eval()(input_ids=ids).logits[0]
    # The adapters are not no-ops, so an adapter dropped on either side would show above.
    assert (plain[str(finals["sft_lora"])] - bare).abs().max() > 1e-3
    for name in ("ppo_lora", "dpo_lora"):
        assert (plain[str(finals[name])] - plain[str(finals["sft_lora"])]).abs().max() > 1e-3, name
