"""Reward model: one forward for both responses, export and reload, normalisation, resume, learning, two ranks."""
import json
import math
import shutil

import pytest
import torch

from conftest import ROOT, TOPICS, launch, read_metrics, write_jsonl
from easyds.situations import SYSTEM_PROMPT

BUNDLED = ROOT / "data" / "easyds" / "en"
MAX_TARGET = 32
MAX_TARGET_BUNDLED = 128
COMMON = ["--model_name_or_path", "embedded:tiny-qwen2", "--per_device_train_batch_size", 4, "--logging_steps", 1,
          "--learning_rate", 1e-2, "--max_target_length", MAX_TARGET, "--max_steps", 8, "--save_steps", 4,
          "--save_total_limit", 3]


def pair(i, rng_word):
    t = TOPICS[i % 8]
    # The rejected hint gives the answer away; the chosen one asks a guiding question (as in the EasyDS labels).
    return {"prompt": f"Topic: {t}\nExercise {i}: the student's loop stops one step early.",
            "chosen": f"What happens to your {t} code on the last element? Trace it by hand.",
            "rejected": f"The answer is: change line {rng_word} of your {t} code to i <= n and you are done."}


@pytest.fixture(scope="module")
def pref_files(tmp_path_factory):
    """64 training and 16 held-out pairs (new exercise numbers) plus an SFT-format reference file."""
    d = tmp_path_factory.mktemp("pref_data")
    train = [pair(i, 3 + i % 37) for i in range(64)]
    evals = [pair(100 + i, 5 + i % 11) for i in range(16)]
    ref = [{"prompt": f"Topic: {TOPICS[i % 8]}\nExercise {200 + i}: off by one.",
            "response": f"Hint {i}: what is the last index your {TOPICS[i % 8]} loop visits?"} for i in range(20)]
    return (write_jsonl(d / "train.jsonl", train), write_jsonl(d / "eval.jsonl", evals),
            write_jsonl(d / "ref.jsonl", ref))


def rm(out, files, *extra, ranks=1):
    launch("rm", COMMON + ["--train_file", files[0], "--eval_file", files[1], "--output_dir", out, *extra],
           ranks=ranks)
    return out


def eval_lines(run):
    return [m for m in read_metrics(run) if "eval/accuracy" in m]


def recompute_eval(model, eval_file, tokenizer, max_target_length=MAX_TARGET, max_source_length=256):
    """eval/accuracy and eval/margin of ``model`` over the whole evaluation file, in one batch."""
    from common.data import PreferenceDataset
    from rlhf.reward_trainer import RewardCollator, pair_scores

    ds = PreferenceDataset(eval_file, tokenizer, max_source_length, max_target_length, cut_keeps_end=True,
                           system_prompt=SYSTEM_PROMPT)  # as launch/rm.py
    batch = RewardCollator(tokenizer.pad_token_id)([ds[i] for i in range(len(ds))])
    with torch.no_grad():
        chosen, rejected = pair_scores(model, batch)
    return (chosen > rejected).float().mean().item(), (chosen - rejected).mean().item()


# --- in-process: the forward pass, margins, export round trip ---------------------------------------------------------
def test_one_forward_over_2b_rows_gives_the_separate_chosen_and_rejected_scores(tokenizer, pref_files):
    from common.config import PeftArguments
    from common.data import PreferenceDataset, SFTCollator
    from common.modeling import ScalarHeadModel, apply_backbone_lora
    from common.forward import last_token_scores
    from rlhf.reward_trainer import RewardCollator, pair_scores

    torch.manual_seed(0)
    model = ScalarHeadModel.from_backbone("embedded:tiny-qwen2")
    model.backbone = apply_backbone_lora(model.backbone, PeftArguments(lora_rank=4))
    model.eval()
    # Chosen and rejected differ in length, so the joint batch pads each row differently from the separate ones.
    ds = PreferenceDataset(pref_files[1], tokenizer, max_target_length=MAX_TARGET)
    items = [ds[i] for i in range(6)]
    assert len({len(x["chosen_ids"]) for x in items} | {len(x["rejected_ids"]) for x in items}) > 1
    batch = RewardCollator(tokenizer.pad_token_id)(items)
    assert batch["input_ids"].shape[0] == 12
    chosen, rejected = pair_scores(model, batch)
    sft = SFTCollator(tokenizer.pad_token_id)
    for got, key in ((chosen, "chosen_ids"), (rejected, "rejected_ids")):
        rows = sft([{"input_ids": x["prompt_ids"] + x[key], "attention_mask": [1] * (len(x["prompt_ids"]) + len(x[key])),
                     "labels": [0] * (len(x["prompt_ids"]) + len(x[key]))} for x in items])
        with torch.no_grad():
            alone = last_token_scores(model, rows["input_ids"], rows["attention_mask"])
            assert torch.allclose(got, alone, atol=1e-5), key
            assert torch.allclose(got, model.score(rows["input_ids"], rows["attention_mask"]), atol=1e-5)


def test_margins_come_from_the_pair_or_the_constant(tmp_path, tokenizer):
    from common.data import DataError, PreferenceDataset
    from rlhf.reward_trainer import RewardCollator, attach_margins

    rows = [dict(pair(0, 1), margin=2.5), pair(1, 2)]
    ds = attach_margins(PreferenceDataset(write_jsonl(tmp_path / "m.jsonl", rows), tokenizer), 0.5, "margin")
    assert RewardCollator(tokenizer.pad_token_id)([ds[0], ds[1]])["margin"].tolist() == [2.5, 0.5]
    bad = write_jsonl(tmp_path / "bad.jsonl", [dict(pair(0, 1), margin="big")])
    with pytest.raises(DataError, match=r"bad\.jsonl:1: field 'margin' must be a number"):
        attach_margins(PreferenceDataset(bad, tokenizer), 0.0, "margin")


def test_reward_model_on_an_sft_adapter_saves_and_reloads(tmp_path, tokenizer):
    """Starting from an SFT run's final/ (a LoRA adapter): the body is that adapter merged into its base, the
    reward model's own adapter goes on top, and the export reloads (frozen or trainable) with the same scores."""
    from peft import LoraConfig, get_peft_model

    from common.config import PeftArguments
    from common.modeling import ScalarHeadModel, apply_backbone_lora, load_causal_lm
    from common.ops import position_ids_from_mask

    torch.manual_seed(1)
    sft = get_peft_model(load_causal_lm("embedded:tiny-qwen2"), LoraConfig(r=4, target_modules=["q_proj", "v_proj"],
                                                                           init_lora_weights=False))
    sft.peft_config["default"].base_model_name_or_path = "embedded:tiny-qwen2"
    sft.save_pretrained(tmp_path / "sft_final")
    ids = torch.tensor([tokenizer("a stack is LIFO<|im_end|>")["input_ids"]])
    mask = torch.ones_like(ids)
    model = ScalarHeadModel.from_backbone(str(tmp_path / "sft_final"))
    with torch.no_grad():
        want = sft.eval().base_model.model.model(input_ids=ids, attention_mask=mask,
                                                 position_ids=position_ids_from_mask(mask)).last_hidden_state
        got = model.backbone(input_ids=ids, attention_mask=mask,
                             position_ids=position_ids_from_mask(mask)).last_hidden_state
    assert torch.allclose(got, want, atol=1e-5)

    model.backbone = apply_backbone_lora(model.backbone, PeftArguments(lora_rank=4))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(std=0.1)  # a non-zero adapter, as after training
    model.score_gain, model.score_bias = 2.0, -0.5
    model.eval().save_pretrained(str(tmp_path / "rm"))
    cfg = json.loads((tmp_path / "rm" / "scalar_head_config.json").read_text())
    assert cfg["base_model_name_or_path"] == str(tmp_path / "sft_final") and cfg["backbone"] == "lora_adapter"
    frozen = ScalarHeadModel.from_pretrained(str(tmp_path / "rm"))
    critic = ScalarHeadModel.from_pretrained(str(tmp_path / "rm"), trainable=True)
    with torch.no_grad():
        assert torch.allclose(frozen.score(ids, mask), model.score(ids, mask), atol=1e-5)
    assert not any(p.requires_grad for p in frozen.parameters()) and not frozen.training
    trainable = {n for n, p in critic.named_parameters() if p.requires_grad}
    assert {"value_head.weight", "value_head.bias"} <= trainable
    assert all(n.startswith("value_head") or "lora_" in n for n in trainable)


# --- one rank, ZeRO-0: learning, outputs, normalisation, resume --------------------------------------------------------
@pytest.fixture(scope="module")
def rm_run(tmp_path_factory, pref_files):
    out = tmp_path_factory.mktemp("rm") / "run"
    return rm(out, pref_files, "--normalize_scores", "--normalize_file", pref_files[2])


def test_training_separates_held_out_pairs_and_writes_every_output(rm_run):
    metrics = read_metrics(rm_run)
    evals = eval_lines(rm_run)
    assert [m["step"] for m in evals] == [0, 8]
    assert evals[1]["eval/accuracy"] > 0.65 and evals[1]["eval/loss"] < evals[0]["eval/loss"]
    assert evals[1]["eval/margin"] == pytest.approx(evals[1]["eval/chosen_score"] - evals[1]["eval/rejected_score"])
    train = [m for m in metrics if "train/loss" in m]
    assert [m["step"] for m in train] == list(range(1, 9))
    for key in ("train/accuracy", "train/chosen_score", "train/rejected_score", "train/lr"):
        assert key in train[0], key
    summary = json.loads((rm_run / "run_summary.json").read_text())
    assert summary["samples_seen"] == 8 * 4 * 2  # pairs x 2 rows
    assert summary["eval_before"]["eval/accuracy"] == evals[0]["eval/accuracy"]
    final = rm_run / "final"
    for name in ("adapter_model.safetensors", "adapter_config.json", "value_head.safetensors",
                 "scalar_head_config.json", "tokenizer_config.json"):
        assert (final / name).exists(), name
    assert json.loads((final / "base_model.json").read_text())["base_model_name_or_path"] == "embedded:tiny-qwen2"
    # PPO's gate reads the held-out validation from the export, in the exported (normalised) scale.
    cfg = json.loads((final / "scalar_head_config.json").read_text())
    assert cfg["validation"]["accuracy"] == evals[1]["eval/accuracy"] and cfg["validation"]["pairs"] == 16
    assert cfg["validation"]["margin"] == pytest.approx(evals[1]["eval/margin"] * cfg["gain"])
    assert cfg["validation"]["score_std"] > 0


def reference_scores(model, ref_file, tokenizer):
    from common.data import InputOutputDataset, SFTCollator

    ds = InputOutputDataset(ref_file, tokenizer, max_target_length=MAX_TARGET, system_prompt=SYSTEM_PROMPT)
    batch = SFTCollator(tokenizer.pad_token_id)([ds[i] for i in range(len(ds))])
    with torch.no_grad():
        return model.score(batch["input_ids"], batch["attention_mask"]).double()


def test_normalised_reward_model_scores_its_reference_set_with_mean_0_std_1(rm_run, pref_files, tokenizer):
    from common.modeling import ScalarHeadModel

    cfg = json.loads((rm_run / "final" / "scalar_head_config.json").read_text())
    assert cfg["normalization"]["samples"] == 20 and cfg["gain"] == pytest.approx(1 / cfg["normalization"]["raw_std"])
    model = ScalarHeadModel.from_pretrained(str(rm_run / "final"))
    scores = reference_scores(model, pref_files[2], tokenizer)
    assert abs(scores.mean().item()) < 1e-4 and scores.std(unbiased=False).item() == pytest.approx(1.0, abs=1e-4)
    # The gain is positive, so the ranking (and the accuracy) of the trained model is unchanged.
    acc, margin = recompute_eval(model, pref_files[1], tokenizer)
    last = eval_lines(rm_run)[-1]
    assert acc == pytest.approx(last["eval/accuracy"], abs=1e-6)
    assert margin / cfg["gain"] == pytest.approx(last["eval/margin"], abs=1e-5)


def test_resumed_run_repeats_the_uninterrupted_run(tmp_path, rm_run, pref_files):
    run = tmp_path / "run"
    shutil.copytree(rm_run, run)
    shutil.rmtree(run / "checkpoints" / "step-000008")
    shutil.rmtree(run / "final")
    (run / "run_summary.json").unlink()
    rm(run, pref_files, "--normalize_scores", "--normalize_file", pref_files[2], "--resume_from_checkpoint", "auto")
    straight, resumed = read_metrics(rm_run), read_metrics(run)
    assert [m["step"] for m in straight] == [m["step"] for m in resumed]
    for a, b in zip(straight, resumed):
        for key in a:
            if key != "train/tokens_per_s":  # wall-clock
                assert a[key] == pytest.approx(b[key], abs=1e-6), (a["step"], key)
    gains = [json.loads((r / "final" / "scalar_head_config.json").read_text())["gain"] for r in (rm_run, run)]
    assert gains[0] == pytest.approx(gains[1], rel=1e-6)


# --- learning on the bundled EasyDS pairs, full fine-tuning -----------------------------------------------------------
@pytest.mark.slow  # a learning check, as the other stages' (the quick set keeps training, export and reload above)
@pytest.mark.skipif(not (BUNDLED / "pref_train.jsonl").exists(), reason="bundled EasyDS pairs not built yet")
def test_tiny_model_learns_the_bundled_english_pairs_and_its_full_export_reloads(tmp_path):
    """A third of an epoch (384 of 1200 pairs) of the random-weight tiny model, every weight trained: the 150
    held-out pairs (unseen exercises, six kinds of rejected hint) are ranked well above chance (0.82 with seeds
    42 and 7, from about 0.5)."""
    from common.modeling import ScalarHeadModel, load_tokenizer

    run = tmp_path / "easyds"
    launch("rm", ["--model_name_or_path", "embedded:tiny-qwen2", "--train_file", BUNDLED / "pref_train.jsonl",
                  "--eval_file", BUNDLED / "pref_eval.jsonl", "--output_dir", run, "--lora_rank", 0,
                  "--per_device_train_batch_size", 16, "--per_device_eval_batch_size", 32, "--learning_rate", 1e-3,
                  "--lr_scheduler_type", "constant", "--max_steps", 24, "--logging_steps", 8, "--save_steps", 0,
                  "--max_source_length", 128, "--max_target_length", MAX_TARGET_BUNDLED])
    before, after = eval_lines(run)
    assert after["eval/accuracy"] > 0.65 and after["eval/accuracy"] > before["eval/accuracy"] + 0.15, (before, after)
    assert json.loads((run / "final" / "scalar_head_config.json").read_text())["backbone"] == "full"
    model = ScalarHeadModel.from_pretrained(str(run / "final"))
    acc, margin = recompute_eval(model, str(BUNDLED / "pref_eval.jsonl"), load_tokenizer(str(run / "final")),
                                 MAX_TARGET_BUNDLED, max_source_length=128)
    assert math.isclose(acc, after["eval/accuracy"], abs_tol=1e-5) and \
        math.isclose(margin, after["eval/margin"], abs_tol=1e-5), (acc, margin, after)


# --- two ranks, ZeRO-3, LoRA: the gathered export reloads with the engine's evaluation -------------------------------
@pytest.mark.slow
def test_two_ranks_zero3_export_reloads_with_the_engine_eval_metrics(tmp_path, pref_files):
    """Normalised too: the 20 reference responses are split over the ranks with a padded last batch."""
    from common.modeling import ScalarHeadModel, load_tokenizer
    from safetensors.torch import load_file

    run = rm(tmp_path / "r2", pref_files, "--deepspeed_config", "launch/configs/ds_zero3.json", "--max_steps", 4,
             "--save_steps", 0, "--per_device_eval_batch_size", 3, "--merge_lora", "--normalize_scores",
             "--normalize_file", pref_files[2], ranks=2)
    last = eval_lines(run)[-1]
    assert all(t.numel() > 0 for t in load_file(str(run / "final" / "adapter_model.safetensors")).values())
    assert load_file(str(run / "final" / "value_head.safetensors"))["weight"].shape == (1, 64)
    tokenizer = load_tokenizer(str(run / "final"))
    for path in (run / "final", run / "final" / "merged"):
        model = ScalarHeadModel.from_pretrained(str(path))
        # metrics.jsonl holds the trained (raw) scores; the export adds gain and bias, which leave accuracy alone.
        acc, margin = recompute_eval(model, pref_files[1], tokenizer)
        assert math.isclose(acc, last["eval/accuracy"], abs_tol=1e-5), (path, acc, last)
        assert math.isclose(margin / model.score_gain, last["eval/margin"], abs_tol=1e-5), (path, margin, last)
        scores = reference_scores(model, pref_files[2], tokenizer)
        assert abs(scores.mean().item()) < 1e-4 and abs(scores.std(unbiased=False).item() - 1.0) < 1e-4, path
    assert json.loads((run / "final" / "merged" / "scalar_head_config.json").read_text())["backbone"] == "full"
