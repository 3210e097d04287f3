"""PPO end to end on the tiny model with a rule-based reward, and the rollout layout."""
import json
import shutil

import pytest
import torch

from conftest import ROOT, launch, read_metrics, write_jsonl
from common.generation import concat_prompt_response


def test_rollout_layout_left_padded_prompts_and_masks_from_lengths():
    pad, eos = 0, 2  # PAD != EOS, as in Qwen2.5
    prompt_ids = torch.tensor([[0, 0, 5, 6], [7, 8, 9, 10]])
    prompt_mask = torch.tensor([[0, 0, 1, 1], [1, 1, 1, 1]])
    responses = [[11, eos], [12, 13, 14]]  # the second never emitted EOS
    ids, mask, response_mask = concat_prompt_response(prompt_ids, prompt_mask, responses, pad)
    assert ids.tolist() == [[0, 0, 5, 6, 11, eos, pad], [7, 8, 9, 10, 12, 13, 14]]
    assert mask.tolist() == [[0, 0, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1, 1]]
    assert response_mask.tolist() == [[1, 1, 0], [1, 1, 1]]  # EOS is a real, scored token; padding is not


@pytest.fixture(scope="module")
def prompt_file(tmp_path_factory, sft_files):
    rows = [json.loads(line) for line in open(sft_files[0], encoding="utf-8")]
    return write_jsonl(tmp_path_factory.mktemp("ppo") / "prompts.jsonl", [{"prompt": r["prompt"]} for r in rows])


def ppo_args(prompt_file, out, *extra):
    return ["--actor_model_name_or_path", "embedded:tiny-qwen2", "--critic_model_name_or_path", "embedded:tiny-qwen2",
            "--reward_fn", f"{ROOT}/tests/rewards.py:common_letters", "--prompt_file", prompt_file,
            "--output_dir", out, "--rollout_batch_size", 8, "--per_device_train_batch_size", 4,
            "--per_device_eval_batch_size", 8, "--max_new_tokens", 12, "--ppo_epochs", 2, "--logging_steps", 1,
            "--lr_scheduler_type", "constant", "--max_source_length", 96, *extra]


def test_ppo_raises_a_rule_based_reward(tmp_path, prompt_file):
    out = tmp_path / "learn"
    launch("ppo", ppo_args(prompt_file, out, "--max_steps", 20, "--learning_rate", 3e-3, "--lora_rank", 0,
                           "--ref_mode", "separate", "--kl_ctl", "fixed", "--init_kl_coef", 0.01, "--save_steps", 0,
                           "--rollout_batch_size", 16))
    scores = [m["ppo/score_mean"] for m in read_metrics(out)]
    first, last = sum(scores[:3]) / 3, sum(scores[-5:]) / 5
    assert last > first + 0.15, scores
    m = read_metrics(out)[-1]
    for key in ("ppo/kl", "ppo/kl_coef", "ppo/reward_mean", "ppo/policy_loss", "ppo/value_loss", "ppo/clipfrac",
                "ppo/approx_kl", "ppo/entropy", "ppo/explained_variance", "ppo/response_length", "time/generate",
                "time/score", "time/train"):
        assert key in m, key
    assert (out / "final" / "model.safetensors").exists()
    assert json.loads((out / "run_summary.json").read_text())["samples_seen"] == 20 * 16


def test_adapter_disabled_reference_equals_a_separate_reference(tmp_path, prompt_file):
    common = ["--max_steps", 3, "--learning_rate", 1e-2, "--lora_rank", 8, "--save_steps", 0]
    launch("ppo", ppo_args(prompt_file, tmp_path / "sep", *common, "--ref_mode", "separate"))
    launch("ppo", ppo_args(prompt_file, tmp_path / "dis", *common, "--ref_mode", "adapter_disabled"))
    a, b = read_metrics(tmp_path / "sep"), read_metrics(tmp_path / "dis")
    assert a[-1]["ppo/kl"] != 0.0  # the actor has moved away from the reference by the third iteration
    for x, y in zip(a, b):
        for key in ("ppo/kl", "ppo/score_mean", "ppo/policy_loss", "ppo/value_loss"):
            assert x[key] == pytest.approx(y[key], abs=1e-5), (x["step"], key)


def test_resumed_ppo_repeats_the_uninterrupted_run(tmp_path, prompt_file):
    straight = tmp_path / "straight"
    args = ["--max_steps", 4, "--save_steps", 2, "--save_total_limit", 3, "--learning_rate", 1e-2, "--lora_rank", 8,
            "--ref_mode", "adapter_disabled", "--kl_ctl", "adaptive", "--kl_target", 0.05, "--kl_horizon", 100]
    launch("ppo", ppo_args(prompt_file, straight, *args))
    resumed = tmp_path / "resumed"
    shutil.copytree(straight, resumed)
    shutil.rmtree(resumed / "checkpoints" / "step-000004")
    launch("ppo", ppo_args(prompt_file, resumed, *args, "--resume_from_checkpoint", "auto"))
    a, b = read_metrics(straight), read_metrics(resumed)
    assert [m["step"] for m in a] == [m["step"] for m in b] == [1, 2, 3, 4]
    assert a[-1]["ppo/kl_coef"] != a[0]["ppo/kl_coef"]  # the adaptive controller moved, and is restored on resume
    for x, y in zip(a, b):
        for key in x:
            if not key.startswith("time/"):
                assert x[key] == pytest.approx(y[key], abs=1e-6), (x["step"], key)


def test_two_rank_zero3_ppo_smoke(tmp_path, prompt_file):
    out = tmp_path / "r2"
    launch("ppo", ppo_args(prompt_file, out, "--max_steps", 2, "--lora_rank", 8, "--ref_mode", "adapter_disabled",
                           "--deepspeed_config", "launch/configs/ds_zero3.json", "--rollout_batch_size", 4,
                           "--save_steps", 0), ranks=2)
    metrics = read_metrics(out)
    assert [m["step"] for m in metrics] == [1, 2]
    assert (out / "final" / "adapter_model.safetensors").exists()
