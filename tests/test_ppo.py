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


def ppo_args(prompt_file, out, *extra, critic=True):
    return ["--actor_model_name_or_path", "embedded:tiny-qwen2"] + (
        ["--critic_model_name_or_path", "embedded:tiny-qwen2"] if critic else []) + [
            "--reward_fn", f"{ROOT}/tests/rewards.py:common_letters", "--prompt_file", prompt_file,
            "--output_dir", out, "--rollout_batch_size", 8, "--per_device_train_batch_size", 4,
            "--per_device_eval_batch_size", 8, "--max_new_tokens", 12, "--ppo_epochs", 2, "--logging_steps", 1,
            "--lr_scheduler_type", "constant", "--max_source_length", 96, *extra]


@pytest.mark.slow
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


@pytest.mark.slow  # the quick set keeps PPO's resume and shared-critic equivalences; CI runs this one
def test_adapter_disabled_reference_equals_a_separate_reference(tmp_path, prompt_file):
    common = ["--max_steps", 3, "--learning_rate", 1e-2, "--lora_rank", 8, "--save_steps", 0]
    launch("ppo", ppo_args(prompt_file, tmp_path / "sep", *common, "--ref_mode", "separate"))
    launch("ppo", ppo_args(prompt_file, tmp_path / "dis", *common, "--ref_mode", "adapter_disabled"))
    a, b = read_metrics(tmp_path / "sep"), read_metrics(tmp_path / "dis")
    assert a[-1]["ppo/kl"] != 0.0  # the actor has moved away from the reference by the third iteration
    for x, y in zip(a, b):
        for key in ("ppo/kl", "ppo/score_mean", "ppo/policy_loss", "ppo/value_loss"):
            assert x[key] == pytest.approx(y[key], abs=1e-5), (x["step"], key)


@pytest.mark.parametrize("critic", ["separate", "shared"])
def test_resumed_ppo_repeats_the_uninterrupted_run(tmp_path, prompt_file, critic):
    straight = tmp_path / "straight"
    args = ["--max_steps", 4, "--save_steps", 2, "--save_total_limit", 3, "--learning_rate", 1e-2, "--lora_rank", 8,
            "--ref_mode", "adapter_disabled", "--kl_ctl", "adaptive", "--kl_target", 0.05, "--kl_horizon", 100,
            "--critic", critic]  # shared: the value head and its optimizer state live in the actor's checkpoint
    launch("ppo", ppo_args(prompt_file, straight, *args, critic=critic == "separate"))
    resumed = tmp_path / "resumed"
    shutil.copytree(straight, resumed)
    shutil.rmtree(resumed / "checkpoints" / "step-000004")
    launch("ppo", ppo_args(prompt_file, resumed, *args, "--resume_from_checkpoint", "auto",
                           critic=critic == "separate"))
    a, b = read_metrics(straight), read_metrics(resumed)
    assert [m["step"] for m in a] == [m["step"] for m in b] == [1, 2, 3, 4]
    assert a[-1]["ppo/kl_coef"] != a[0]["ppo/kl_coef"]  # the adaptive controller moved, and is restored on resume
    for x, y in zip(a, b):
        for key in x:
            if not key.startswith("time/"):
                assert x[key] == pytest.approx(y[key], abs=1e-6), (x["step"], key)


def lora_reward_model(path):
    """A tiny LoRA reward model export (a non-zero adapter, as after training, and a normalisation map)."""
    from common.config import PeftArguments
    from common.modeling import ScalarHeadModel, apply_backbone_lora

    torch.manual_seed(3)
    model = ScalarHeadModel.from_backbone("embedded:tiny-qwen2")
    model.backbone = apply_backbone_lora(model.backbone,
                                         PeftArguments(lora_rank=4, lora_target_modules="q_proj,v_proj"))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(std=0.2)
    model.score_gain, model.score_bias = 1.5, -0.25
    model.eval().save_pretrained(str(path))
    return str(path)


def test_a_reward_model_on_the_critics_body_scores_as_the_separate_one(tmp_path, tokenizer):
    """The critic started from a LoRA reward model carries that model's base: the reward model is its adapter
    loaded again, frozen, on the critic's body. It scores as the separate reward model does, whatever the critic's
    own adapter has learned, and leaves the critic's active adapter and trainable flags as they were."""
    from common.config import PeftArguments
    from common.modeling import AdapterRewardModel, ScalarHeadModel, disable_dropout
    from rlhf.ppo_trainer import load_critic

    path = lora_reward_model(tmp_path / "rm")
    texts = ["a stack is LIFO<|im_end|>", "push, then pop the top element", "queues are FIFO"]
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    ids, mask = enc["input_ids"], enc["attention_mask"]
    separate = ScalarHeadModel.from_pretrained(path)
    critic = load_critic(path, torch.float32, None, PeftArguments(lora_rank=4), "zero")
    assert AdapterRewardModel.fits(critic, path) and not AdapterRewardModel.fits(separate, path + "-none")
    reward = AdapterRewardModel(critic, path, torch.float32)
    critic = disable_dropout(critic).train()
    trainable = {n for n, p in critic.named_parameters() if p.requires_grad}
    assert trainable and not any(".reward." in n for n in trainable)  # the reward adapter is frozen
    with torch.no_grad():
        want = separate.score(ids, mask)
        assert torch.allclose(reward.score(ids, mask), want, atol=1e-6)
        before = critic.hidden_states(ids, mask)
        for name, p in critic.named_parameters():  # the critic trains its own copy of the adapter
            if "lora_B" in name and ".default." in name:
                p.add_(torch.randn_like(p) * 0.5)
        assert not torch.allclose(critic.hidden_states(ids, mask), before, atol=1e-3)
        assert torch.allclose(reward.score(ids, mask), want, atol=1e-6)
    assert critic.backbone.active_adapter == "default" and critic.training
    assert {n for n, p in critic.named_parameters() if p.requires_grad} == trainable


@pytest.mark.slow  # the quick set keeps the in-process equivalence above; CI runs both rank counts
@pytest.mark.parametrize("ranks", [1, 2])
def test_ppo_with_the_reward_model_on_the_critics_body_equals_two_models(tmp_path, prompt_file, ranks):
    """PPO with the reward model's export as reward and critic holds one body for both (``models_in_memory`` 2:
    actor and critic); named through a copy of the export, the reward model is a second model. Same run, on one
    rank and on two under ZeRO-3 (the second adapter loads into shards and runs through the critic's hooks)."""
    path = lora_reward_model(tmp_path / "rm")
    shutil.copytree(path, tmp_path / "rm-copy")
    common = ["--max_steps", 2, "--lora_rank", 8, "--ref_mode", "adapter_disabled", "--learning_rate", 1e-2,
              "--save_steps", 0, "--critic_warmup_steps", 0, "--force"]
    if ranks == 2:
        common += ["--deepspeed_config", ROOT / "launch" / "configs" / "ds_zero3.json"]

    def run(out, critic_path):
        args = ppo_args(prompt_file, out, *common, critic=False)
        i = args.index("--reward_fn")
        args[i: i + 2] = ["--reward_model_name_or_path", path, "--critic_model_name_or_path", critic_path]
        launch("ppo", args, ranks=ranks)
        return read_metrics(out), json.loads((out / "run_summary.json").read_text())["config"]

    shared, shared_cfg = run(tmp_path / "shared", path)
    two, two_cfg = run(tmp_path / "two", str(tmp_path / "rm-copy"))
    assert shared_cfg["reward_on_critic"] and shared_cfg["models_in_memory"] == 2
    assert not two_cfg["reward_on_critic"] and two_cfg["models_in_memory"] == 3
    assert shared[-1]["ppo/kl"] != 0.0
    for x, y in zip(shared, two):
        for key in ("ppo/raw_score_mean", "ppo/score_mean", "ppo/value_loss", "ppo/policy_loss", "ppo/kl"):
            assert x[key] == pytest.approx(y[key], abs=1e-5), (x["step"], key)


@pytest.mark.slow
def test_resumed_ppo_with_the_reward_model_on_the_critics_body_repeats_the_uninterrupted_run(tmp_path, prompt_file):
    """The critic's checkpoint now holds the reward model's frozen adapter too: a run resumed from it (reward
    normalisation and critic warm-up included) repeats the uninterrupted one exactly."""
    path = lora_reward_model(tmp_path / "rm")
    common = ["--max_steps", 4, "--save_steps", 2, "--save_total_limit", 3, "--lora_rank", 8, "--ref_mode",
              "adapter_disabled", "--learning_rate", 1e-2, "--critic_warmup_steps", 1, "--force",
              "--reward_norm_samples", 8]

    def args(out, *extra):
        a = ppo_args(prompt_file, out, *common, *extra, critic=False)
        i = a.index("--reward_fn")
        a[i: i + 2] = ["--reward_model_name_or_path", path]
        return a

    launch("ppo", args(tmp_path / "straight"))
    shutil.copytree(tmp_path / "straight", tmp_path / "resumed")
    shutil.rmtree(tmp_path / "resumed" / "checkpoints" / "step-000004")
    launch("ppo", args(tmp_path / "resumed", "--resume_from_checkpoint", "auto"))
    a, b = read_metrics(tmp_path / "straight"), read_metrics(tmp_path / "resumed")
    assert [m["step"] for m in a] == [m["step"] for m in b] == [1, 2, 3, 4]
    assert json.loads((tmp_path / "straight" / "run_summary.json").read_text())["config"]["reward_on_critic"]
    for x, y in zip(a, b):
        for key in x:
            if not key.startswith("time/"):
                assert x[key] == pytest.approx(y[key], abs=1e-6), (x["step"], key)


def test_a_shared_critic_takes_its_values_from_the_actors_own_passes(tmp_path, prompt_file):
    """``--critic shared``: a value head on the actor, no critic model. Its rollout values come from the decoding
    loop (with the sampler's log-probs) and equal those of a forward over the rollout (``--rollout_logprobs
    forward``): the two runs agree in every value statistic. Warm-up trains the head only (iteration 2 samples the
    reference exactly, yet its values have moved off the zero start); the head joins the actor's loss afterwards."""
    common = ["--max_steps", 3, "--lora_rank", 8, "--ref_mode", "adapter_disabled", "--critic", "shared",
              "--critic_warmup_steps", 1, "--learning_rate", 1e-2, "--save_steps", 0, "--vf_coef", 0.5]
    launch("ppo", ppo_args(prompt_file, tmp_path / "sampler", *common, critic=False))
    launch("ppo", ppo_args(prompt_file, tmp_path / "forward", *common, "--rollout_logprobs", "forward", critic=False))
    a, b = read_metrics(tmp_path / "sampler"), read_metrics(tmp_path / "forward")
    assert [m["ppo/critic_warmup"] for m in b] == [1.0, 0.0, 0.0] and "ppo/policy_loss" not in b[0]
    assert b[0]["ppo/value_at_end_mean"] == 0.0 and b[1]["ppo/value_at_end_mean"] != 0.0  # the head learned
    assert b[1]["ppo/kl"] == 0.0 and b[2]["ppo/kl"] != 0.0  # warm-up left the policy as it was; the update did not
    for x, y in zip(a, b):
        for key in ("ppo/value_at_end_mean", "ppo/value_loss", "ppo/explained_variance", "ppo/policy_loss",
                    "ppo/kl", "ppo/score_mean"):
            if key in y:
                assert x[key] == pytest.approx(y[key], abs=1e-4), (x["step"], key)
    summary = json.loads((tmp_path / "sampler" / "run_summary.json").read_text())
    assert summary["config"]["models_in_memory"] == 1  # the actor alone: reference = adapter off, reward a function


def test_a_full_actor_exported_after_shared_critic_training_has_no_value_head(tmp_path, prompt_file):
    from safetensors import safe_open
    from transformers import AutoModelForCausalLM

    out = tmp_path / "full"
    launch("ppo", ppo_args(prompt_file, out, "--max_steps", 1, "--lora_rank", 0, "--ref_mode", "separate",
                           "--critic", "shared", "--save_steps", 0, critic=False))
    with safe_open(str(out / "final" / "model.safetensors"), "pt") as f:
        keys = list(f.keys())
    assert keys and not any("value_head" in k for k in keys)
    AutoModelForCausalLM.from_pretrained(out / "final")  # a plain causal LM


def test_shared_critic_flags_are_refused_where_they_mean_nothing():
    from rlhf.ppo_config import PPOArguments

    def said(**kw):
        return " ".join(PPOArguments(**kw).critic_problems())

    assert said(critic="shared", vf_coef=0.2) == ""
    assert "a shared critic is a zero-started value head" in said(critic="shared", critic_learning_rate=1e-3)
    assert "--critic_head reward" in said(critic="shared", critic_head="reward")
    assert "--vf_coef weighs a shared critic's value loss" in said(vf_coef=0.2)
    assert "--vf_coef must be > 0" in said(critic="shared", vf_coef=0.0)
    assert "--critic, --vf_coef: --advantage_estimator rloo has no critic" in said(
        critic="shared", vf_coef=0.1, advantage_estimator="rloo")


@pytest.mark.slow
@pytest.mark.parametrize("critic", ["separate", "shared"])
def test_two_rank_zero3_ppo_smoke(tmp_path, prompt_file, critic):
    out = tmp_path / "r2"
    launch("ppo", ppo_args(prompt_file, out, "--max_steps", 2, "--lora_rank", 8, "--ref_mode", "adapter_disabled",
                           "--deepspeed_config", "launch/configs/ds_zero3.json", "--rollout_batch_size", 4,
                           "--save_steps", 0, "--critic", critic, critic=critic == "separate"), ranks=2)
    metrics = read_metrics(out)
    assert [m["step"] for m in metrics] == [1, 2]
    assert metrics[1]["ppo/value_at_end_mean"] != 0.0  # the critic (a head gathered for decoding, if shared) moved
    assert (out / "final" / "adapter_model.safetensors").exists()


@pytest.mark.slow
def test_a_non_finite_reward_stops_the_run_and_exports_nothing(tmp_path, prompt_file):
    out = tmp_path / "nan"
    args = ppo_args(prompt_file, out, "--max_steps", 3, "--save_steps", 1, "--reward_norm_samples", 0)
    args[args.index(f"{ROOT}/tests/rewards.py:common_letters")] = f"{ROOT}/tests/rewards.py:nan_after_first_call"
    with pytest.raises(AssertionError, match=r"iteration 2: responses with a non-finite reward = 1\. Stopped before "
                                             r"saving or exporting anything from this step; the last good checkpoint "
                                             r"is .*step-000001"):
        launch("ppo", args)
    assert not (out / "final").exists()
    assert sorted(p.name for p in (out / "checkpoints").iterdir()) == ["step-000001"]


def run_check(tmp_path, *flags) -> dict:
    """tests/ppo_check.py in its own process; its observations."""
    import subprocess
    import sys

    out = tmp_path / "obs.json"
    env = dict(__import__("os").environ, PYTHONPATH=str(ROOT), TOKENIZERS_PARALLELISM="false")
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "ppo_check.py"), "--out", str(out),
                           *[str(f) for f in flags]], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(out.read_text())


def test_each_engine_keeps_its_learning_rate_and_the_update_is_checkpointed_without_dropout(tmp_path, prompt_file):
    obs = run_check(tmp_path, *ppo_args(prompt_file, tmp_path / "run", "--max_steps", 1, "--lora_rank", 8,
                                        "--lora_dropout", 0.1, "--ref_mode", "adapter_disabled",
                                        "--deepspeed_config", "launch/configs/ds_zero3.json",
                                        "--learning_rate", 1e-5, "--critic_learning_rate", 5e-5,
                                        "--gradient_checkpointing", "--rollout_batch_size", 4))
    # Defect 2: the shipped config's optimizer block used to be filled once, with the actor's lr, for both.
    assert obs["actor_lr"] and all(lr == pytest.approx(1e-5) for lr in obs["actor_lr"])
    assert obs["critic_lr"] and all(lr == pytest.approx(5e-5) for lr in obs["critic_lr"])
    # Defect 3: training mode (so transformers checkpoints: the layer runs again in backward) with dropout at 0.
    assert obs["actor_training"] and obs["critic_training"]
    assert obs["actor_layer_calls"] == 2 and obs["critic_layer_calls"] == 2
    assert obs["dropout_p"] == [0.0] and obs["attention_dropout"] in ([], [0.0])
    # Defect 1: a checkpoint's generation config (top_k=20, repetition_penalty=1.3, temperature 0.3) changes nothing.
    plain, inherited = obs["rollout_tokens"]
    assert plain == inherited
    assert obs["initial_values_max_abs"] == 0.0  # --critic_head zero: the critic starts at the normalised mean


def test_critic_warmup_leaves_the_actor_untouched(tmp_path, prompt_file):
    out = tmp_path / "warm"
    launch("ppo", ppo_args(prompt_file, out, "--max_steps", 2, "--lora_rank", 8, "--ref_mode", "adapter_disabled",
                           "--critic_warmup_steps", 1, "--learning_rate", 1e-2, "--save_steps", 0,
                           "--rollout_logprobs", "forward"))  # the actor's log-probs by the reference's own forward
    first, second = read_metrics(out)
    assert first["ppo/critic_warmup"] == 1.0 and "ppo/policy_loss" not in first and "ppo/value_loss" in first
    # LoRA starts at B = 0 and warm-up never steps the actor: iteration 2 samples the reference policy exactly.
    assert second["ppo/kl"] == 0.0 and second["ppo/critic_warmup"] == 0.0 and "ppo/policy_loss" in second


@pytest.mark.slow
def test_rloo_raises_a_rule_based_reward_without_a_critic(tmp_path, prompt_file):
    out = tmp_path / "rloo"
    launch("ppo", ppo_args(prompt_file, out, "--max_steps", 12, "--learning_rate", 3e-3, "--lora_rank", 0,
                           "--ref_mode", "separate", "--kl_ctl", "fixed", "--init_kl_coef", 0.01, "--save_steps", 0,
                           "--advantage_estimator", "rloo", "--samples_per_prompt", 4, "--rollout_batch_size", 4,
                           critic=False))
    metrics = read_metrics(out)
    scores = [m["ppo/score_mean"] for m in metrics]
    assert sum(scores[-3:]) / 3 > sum(scores[:3]) / 3 + 0.1, scores
    assert "ppo/value_loss" not in metrics[-1]  # no critic
    summary = json.loads((out / "run_summary.json").read_text())
    assert summary["config"]["models_in_memory"] == 2  # actor and reference; the reward is a function
    assert summary["samples_seen"] == 12 * 4 * 4


@pytest.mark.parametrize("estimator, extra", [("grpo", ["--kl_penalty", "loss"]), ("reinforce_pp", [])])
def test_grpo_and_reinforce_pp_update_the_policy(tmp_path, prompt_file, estimator, extra):
    out = tmp_path / estimator
    launch("ppo", ppo_args(prompt_file, out, "--max_steps", 2, "--learning_rate", 1e-2, "--lora_rank", 8,
                           "--ref_mode", "adapter_disabled", "--save_steps", 0, "--advantage_estimator", estimator,
                           "--samples_per_prompt", 2, "--rollout_batch_size", 4, *extra, critic=False))
    first, second = read_metrics(out)
    # iteration 1 samples the reference policy (its KL is float32 rounding: the sampler's log-probs against a
    # forward); the first update moved the policy by orders of magnitude more
    assert abs(first["ppo/kl"]) < 1e-5 and abs(second["ppo/kl"]) > 100 * max(abs(first["ppo/kl"]), 1e-7)
    assert ("ppo/kl_loss" in second) == (estimator == "grpo") and "ppo/value_loss" not in second


def gate_args(path, **kw):
    from rlhf.ppo_config import PPOArguments

    return PPOArguments(reward_model_name_or_path=str(path), **kw)


def test_reward_model_gate_refuses_a_weak_or_unvalidated_reward_model_unless_forced(tmp_path):
    from common.config import ConfigError
    from rlhf.ppo_checks import reward_model_gate

    def export(validation):
        d = tmp_path / f"rm{len(list(tmp_path.iterdir()))}"
        d.mkdir()
        (d / "scalar_head_config.json").write_text(json.dumps({"validation": validation} if validation else {}))
        return d

    good = export({"accuracy": 0.9, "pairs": 32, "score_std": 1.2})
    assert reward_model_gate(gate_args(good))["accuracy"] == 0.9
    for validation, message in (({"accuracy": 0.55, "pairs": 32, "score_std": 1.0}, "below --rm_min_accuracy 0.6"),
                                (None, "no held-out evaluation recorded"),
                                ({"accuracy": 0.9, "pairs": 32, "score_std": 0.0}, "scores barely vary")):
        weak = export(validation)
        with pytest.raises(ConfigError, match=message):
            reward_model_gate(gate_args(weak))
        reward_model_gate(gate_args(weak, force=True))  # --force starts anyway
    reward_model_gate(gate_args(export({"accuracy": 0.55, "pairs": 8}), rm_min_accuracy=0.5))


def test_health_monitor_warns_on_each_failure_mode(capsys):
    from rlhf.ppo_config import PPOArguments
    from rlhf.ppo_checks import HealthMonitor

    monitor = HealthMonitor(PPOArguments(critic_warmup_steps=1, max_new_tokens=64), rank=0)

    def m(**kw):
        base = {"ppo/kl": 0.5, "ppo/kl_sem": 0.1, "ppo/response_length": 60.0, "ppo/eos_rate": 0.8,
                "ppo/explained_variance": 0.3}
        return {**base, **{f"ppo/{k}": v for k, v in kw.items()}}

    monitor.check(1, m(explained_variance=-1.0))  # healthy; a negative EV during warm-up is expected
    monitor.check(2, m(kl=-0.05, kl_sem=0.1))  # negative within noise: no warning
    assert monitor.warnings == []
    monitor.check(3, m(kl=-0.5, kl_sem=0.1))
    monitor.check(4, m(response_length=25.0, eos_rate=1.0))
    monitor.check(5, m(eos_rate=0.0))
    for i in (6, 7, 8):
        monitor.check(i, m(explained_variance=-0.2))
    said = [(w["iteration"], w["warning"].split(" ")[0]) for w in monitor.warnings]
    assert said == [(3, "KL"), (4, "response"), (4, "every"), (5, "no"), (8, "explained")], said
    assert "WARNING iteration 8: explained variance negative for 3 iterations" in capsys.readouterr().out


def test_global_whiten_on_one_rank_is_the_masked_population_whitening():
    from rlhf.ppo_trainer import global_whiten

    x = torch.tensor([[1.0, 2.0, 3.0, 99.0], [4.0, 5.0, 6.0, 7.0]])
    mask = torch.tensor([[1.0, 1.0, 1.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    real = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])  # mean 4, population variance 4
    out = global_whiten(x, mask)
    assert torch.allclose(out[mask.bool()], (real - 4.0) / 2.0, atol=1e-6) and out[0, 3] == 0.0
    assert torch.allclose(global_whiten(x, mask, shift_mean=False)[mask.bool()], (real - 4.0) / 2.0 + 4.0, atol=1e-6)
