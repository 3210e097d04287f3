"""DPO end to end through launch/dpo.py on the tiny model."""
import json
import math
import shutil

import pytest
import torch

from conftest import ROOT, TOPICS, launch, read_metrics, run_stages, write_jsonl

EN = ROOT / "data" / "easyds" / "en"
COMMON = ["--model_name_or_path", "embedded:tiny-qwen2", "--per_device_train_batch_size", 4, "--logging_steps", 1,
          "--learning_rate", 1e-2, "--max_target_length", 48, "--max_source_length", 160]


@pytest.fixture(scope="module")
def pair_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("pairs")
    train = [{"prompt": f"Topic: {TOPICS[i % 8]}\nExercise {i}: stuck.", "chosen": f"What does a {TOPICS[i % 8]} keep?",
              "rejected": "Here is the full code: def solve(x): return sorted(x)"} for i in range(32)]
    evals = [{"prompt": f"Topic: {TOPICS[i % 8]}\nExercise {50 + i}: stuck.", "chosen": "Which end comes first?",
              "rejected": "Just copy this: def solve(x): return x[::-1]"} for i in range(8)]
    return write_jsonl(d / "train.jsonl", train), write_jsonl(d / "eval.jsonl", evals)


def dpo(out, files, *extra, ranks=1):
    launch("dpo", COMMON + ["--train_file", files[0], "--eval_file", files[1], "--output_dir", out, *extra],
           ranks=ranks)
    return read_metrics(out)


def test_concatenated_forward_equals_two_separate_forwards(tokenizer, pair_files):
    from common.data import PreferenceCollator, PreferenceDataset, SFTCollator
    from common.modeling import load_causal_lm
    from dpo.trainer import sequence_logps

    model = load_causal_lm("embedded:tiny-qwen2").eval()
    ds = PreferenceDataset(pair_files[0], tokenizer)
    items = [ds[i] for i in range(4)]
    with torch.no_grad():
        both, _ = sequence_logps(model, PreferenceCollator(tokenizer.pad_token_id)(items))
        sft = SFTCollator(tokenizer.pad_token_id)
        for k, key in enumerate(("chosen_ids", "rejected_ids")):
            rows = [{"input_ids": it["prompt_ids"] + it[key], "attention_mask": [1] * (len(it["prompt_ids"]) + len(it[key])),
                     "labels": [-100] * len(it["prompt_ids"]) + it[key]} for it in items]
            alone, _ = sequence_logps(model, sft(rows))
            assert torch.allclose(both[4 * k: 4 * k + 4], alone, atol=1e-4)


@pytest.mark.slow
def test_the_three_reference_modes_give_the_same_numbers(tmp_path, pair_files):
    runs = {mode: dpo(tmp_path / mode.replace(" ", "_"), pair_files, "--max_steps", 4, "--save_steps", 0,
                      *mode.split())
            for mode in ("--ref_mode separate", "--ref_mode adapter_disabled", "--precompute_ref_logps")}
    a, b, c = runs.values()
    assert a[1]["train/loss"] == pytest.approx(math.log(2), abs=1e-6)  # policy = reference before any update
    assert a[-2]["train/loss"] < a[1]["train/loss"]
    for x, y, z in zip(a, b, c):
        for key in x:
            if key != "train/tokens_per_s":
                assert x[key] == pytest.approx(y[key], abs=1e-5) == z[key], (x["step"], key)


def test_resumed_dpo_repeats_the_uninterrupted_run(tmp_path, pair_files):
    args = ["--max_steps", 6, "--save_steps", 3, "--save_total_limit", 3, "--precompute_ref_logps",
            "--loss_type", "ipo", "--beta", 0.5, "--length_group_batches", 0]
    straight = dpo(tmp_path / "straight", pair_files, *args)
    run = tmp_path / "resumed"
    shutil.copytree(tmp_path / "straight", run)
    shutil.rmtree(run / "checkpoints" / "step-000006")
    cache_mtime = (run / "ref_logps.pt").stat().st_mtime
    resumed = dpo(run, pair_files, *args, "--resume_from_checkpoint", "auto")
    assert (run / "ref_logps.pt").stat().st_mtime == cache_mtime  # the cached reference log-probs were reused
    # Only the pairs the run trains on were computed (6 steps x 4 of the 32, the first 24 of the seeded shuffle in
    # plain order, --length_group_batches 0); the others are NaN, never a silent zero. Every evaluation pair is
    # computed.
    table = torch.load(run / "ref_logps.pt")["logps"]
    visited = sorted(torch.randperm(32, generator=torch.Generator().manual_seed(42))[:24].tolist())
    assert torch.isfinite(table["train"]).all(1).nonzero().flatten().tolist() == visited
    assert torch.isfinite(table["eval"]).all()
    assert [m["step"] for m in straight] == [m["step"] for m in resumed]
    for x, y in zip(straight, resumed):
        for key in x:
            if key != "train/tokens_per_s":
                assert x[key] == pytest.approx(y[key], abs=1e-6), (x["step"], key)


def test_reference_cache_of_another_model_is_recomputed_not_reused(tmp_path, pair_files, random_policy):
    extra = ["--max_steps", 1, "--save_steps", 0, "--precompute_ref_logps", "--ref_mode", "separate"]
    dpo(tmp_path / "tiny", pair_files, *extra)
    args = COMMON + ["--train_file", pair_files[0], "--eval_file", pair_files[1], *extra]
    (tmp_path / "other").mkdir()
    shutil.copy(tmp_path / "tiny" / "ref_logps.pt", tmp_path / "other" / "ref_logps.pt")  # a stale cache
    results, stdout = run_stages([{"name": d, "script": "dpo", "argv": [str(a) for a in args + [
        "--output_dir", tmp_path / d, "--model_name_or_path", random_policy]]} for d in ("other", "fresh")],
        tmp_path / "runner", with_output=True)
    assert all(r["ok"] for r in results.values()), results
    assert "was computed for another reference; recomputing" in stdout
    stale, other, fresh = (torch.load(tmp_path / d / "ref_logps.pt") for d in ("tiny", "other", "fresh"))
    assert other["key"] == fresh["key"] != stale["key"]
    assert torch.equal(other["logps"]["eval"], fresh["logps"]["eval"])
    assert (other["logps"]["eval"] - stale["logps"]["eval"]).abs().max() > 1e-3


@pytest.mark.skipif(not (EN / "pref_train.jsonl").exists(), reason="bundled data set not built")
@pytest.mark.slow
def test_dpo_on_the_bundled_english_pairs_beats_chance(tmp_path):
    # Held out: the pairs whose failure shows on the surface (a give-away, another topic, vagueness, length, tone, a
    # cut). The other three types (plain_reveal, wrong_mistake, wrong_concept) read like good hints; a random tiny
    # model cannot tell them apart, and they are in the training pairs all the same.
    surface = ("full_solution", "off_topic", "vague", "too_long", "discouraging", "unfinished")
    held_out = tmp_path / "surface_eval.jsonl"
    held_out.write_text("".join(line for line in open(EN / "pref_eval.jsonl", encoding="utf-8")
                                if json.loads(line)["rejected_type"] in surface), encoding="utf-8")
    metrics = dpo(tmp_path / "en", (str(EN / "pref_train.jsonl"), str(held_out)), "--max_steps", 60,
                  "--save_steps", 0, "--per_device_train_batch_size", 8, "--learning_rate", 3e-3, "--lora_rank", 0,
                  "--ref_mode", "separate", "--beta", 0.5, "--logging_steps", 10, "--length_group_batches", 0)
    before, after = metrics[0]["eval/rewards_accuracy"], metrics[-1]["eval/rewards_accuracy"]
    # 99 held-out pairs: chance is 0.5 with a standard error of 0.05; measured 0.62 (deterministic on the CPU) in
    # plain shuffled order, the order this threshold was set in; length-grouped (the default) gave 0.586
    assert before == 0.0 and after >= 0.6, (before, after)


@pytest.mark.slow
def test_two_rank_zero3_dpo_and_simpo(tmp_path, pair_files):
    metrics = dpo(tmp_path / "r2", pair_files, "--max_steps", 2, "--save_steps", 0, "--deepspeed_config",
                  "launch/configs/ds_zero3.json", "--per_device_train_batch_size", 2, "--precompute_ref_logps", ranks=2)
    assert [m["step"] for m in metrics] == [0, 1, 2, 2]
    assert (tmp_path / "r2" / "final" / "adapter_model.safetensors").exists()
    simpo = dpo(tmp_path / "simpo", pair_files, "--max_steps", 3, "--save_steps", 0, "--loss_type", "simpo",
                "--beta", 2.0)
    assert simpo[-2]["train/loss"] < simpo[1]["train/loss"]  # [-1] is the final evaluation


def test_dropout_disabled_policy_gives_the_same_loss_twice_in_training_mode(tokenizer, pair_files):
    from peft import LoraConfig, get_peft_model

    from common.data import PreferenceCollator, PreferenceDataset
    from common.modeling import disable_dropout, load_causal_lm
    from dpo.trainer import DPOArguments, sequence_logps

    assert DPOArguments().disable_dropout  # on by default
    torch.manual_seed(0)
    policy = get_peft_model(load_causal_lm("embedded:tiny-qwen2"), LoraConfig(
        target_modules=["q_proj", "v_proj"], r=8, lora_dropout=0.5, init_lora_weights=False))
    for layer in policy.base_model.model.model.layers:
        layer.self_attn.attention_dropout = 0.5
    batch = PreferenceCollator(tokenizer.pad_token_id)([PreferenceDataset(pair_files[0], tokenizer)[i] for i in range(4)])
    policy.train()
    noisy = [sequence_logps(policy, batch)[0] for _ in range(2)]
    assert not torch.allclose(noisy[0], noisy[1])  # dropout on: the same batch gives two losses
    disable_dropout(policy)
    assert policy.training
    same = [sequence_logps(policy, batch)[0] for _ in range(2)]
    assert torch.equal(same[0], same[1])
    with torch.no_grad():
        assert torch.allclose(same[0], sequence_logps(policy.eval(), batch)[0], atol=1e-5)  # = eval mode
