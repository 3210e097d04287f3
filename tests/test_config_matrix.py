"""Every shipped DeepSpeed config × every reference mode: one PPO step and one DPO step each, on two ranks.

The whole matrix is one launch of tests/stage_runner.py (about 50 s at a 350 GFLOP/s float32 peak). It runs in
CI (`.ci/run` sets EASYDS_FULL_TESTS=1) and locally with that variable set; `bash run.sh test` alone skips it.
"""
import json

import pytest

from conftest import ROOT, read_metrics, run_stages, write_jsonl

pytestmark = pytest.mark.slow

CONFIGS = sorted(p.name for p in (ROOT / "launch" / "configs").glob("ds_*.json"))
REF_MODES = ("separate", "adapter_disabled")
TINY = "embedded:tiny-qwen2"


def ppo_argv(config, ref_mode, out, prompts):
    return ["--actor_model_name_or_path", TINY, "--critic_model_name_or_path", TINY,
            "--reward_fn", f"{ROOT}/tests/rewards.py:common_letters", "--prompt_file", prompts,
            "--deepspeed_config", ROOT / "launch" / "configs" / config, "--ref_mode", ref_mode, "--lora_rank", 8,
            "--output_dir", out, "--rollout_batch_size", 2, "--per_device_train_batch_size", 2,
            "--max_new_tokens", 6, "--max_steps", 1, "--save_steps", 0, "--max_source_length", 96,
            "--logging_steps", 1, "--num_samples", 0, "--seed", 3]


def dpo_argv(config, ref_mode, out, pairs):
    return ["--model_name_or_path", TINY, "--train_file", pairs[0], "--eval_file", pairs[1],
            "--deepspeed_config", ROOT / "launch" / "configs" / config, "--ref_mode", ref_mode, "--lora_rank", 8,
            "--output_dir", out, "--per_device_train_batch_size", 2, "--per_device_eval_batch_size", 2,
            "--max_steps", 1, "--save_steps", 0, "--logging_steps", 1, "--max_target_length", 24,
            "--max_source_length", 96]


def test_every_config_and_reference_mode_finishes_a_ppo_and_a_dpo_step(tmp_path):
    assert len(CONFIGS) == 5
    rows = [json.loads(line) for line in open(ROOT / "data/easyds/en/pref_train.jsonl", encoding="utf-8")][:8]
    prompts = write_jsonl(tmp_path / "prompts.jsonl", [{"prompt": r["prompt"]} for r in rows])
    pairs = [write_jsonl(tmp_path / f"{name}.jsonl", [{k: r[k] for k in ("prompt", "chosen", "rejected")} for r in part])
             for name, part in (("train", rows[:4]), ("eval", rows[4:]))]
    plan, outs = [], {}
    for config in CONFIGS:
        for mode in REF_MODES:
            for algo, argv, data in (("ppo", ppo_argv, prompts), ("dpo", dpo_argv, pairs)):
                name = f"{algo}/{config}/{mode}"
                outs[name] = tmp_path / "runs" / name.replace("/", "_")
                plan.append({"name": name, "script": algo, "argv": [str(a) for a in argv(config, mode, outs[name], data)]})
    results = run_stages(plan, tmp_path, ranks=2)
    failed = {k: v["error"] for k, v in results.items() if not v["ok"]}
    assert not failed, failed
    assert set(results) == set(outs)
    for name, out in outs.items():
        assert 1 in [m.get("step") for m in read_metrics(out)], name  # the step ran and was logged
        assert (out / "final" / "adapter_model.safetensors").exists(), name
