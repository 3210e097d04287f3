"""Argument validation and DeepSpeed config filling."""
import json
import os
import subprocess
import sys

import pytest
import torch

from common.config import ConfigError, DataArguments, ModelArguments, PeftArguments, TrainingArguments, parse_args, \
    validate
from common.engine import fill_ds_config, load_ds_config, lr_lambda
from conftest import ROOT


def test_parse_fills_groups_and_rejects_impossible_combinations(sft_files):
    train, _ = sft_files
    model, data, peft, args = parse_args(ModelArguments, DataArguments, PeftArguments, TrainingArguments, args=[
        "--model_name_or_path", "embedded:tiny-qwen2", "--train_file", train, "--output_dir", "/tmp/x",
        "--lora_rank", "4", "--local_rank=0"])
    assert (model.model_name_or_path, data.train_file, peft.lora_rank, args.local_rank) == \
           ("embedded:tiny-qwen2", train, 4, 0)
    with pytest.raises(ConfigError) as err:
        validate(ModelArguments(), DataArguments(train_file="/nope.jsonl", max_target_length=0),
                 PeftArguments(lora_rank=0), TrainingArguments(output_dir="o", merge_lora=True, zero_stage=5,
                                                               per_device_train_batch_size=0))
    message = str(err.value)
    for expected in ("--model_name_or_path is required", "--train_file /nope.jsonl: no such file",
                     "--max_target_length must be at least 1", "--merge_lora needs LoRA", "--zero_stage must be",
                     "--per_device_train_batch_size must be >= 1"):
        assert expected in message


def test_fill_auto_fields_from_arguments():
    args = TrainingArguments(output_dir="o", per_device_train_batch_size=3, gradient_accumulation_steps=2,
                             learning_rate=5e-4, max_grad_norm=0.5, weight_decay=0.01, zero_stage=3)
    cfg = fill_ds_config(load_ds_config(str(ROOT / "launch/configs/ds_zero2.json")), args, world_size=2,
                         dtype=torch.bfloat16, hidden_size=64, total_steps=10)
    assert cfg["train_micro_batch_size_per_gpu"] == 3 and cfg["gradient_accumulation_steps"] == 2
    assert cfg["train_batch_size"] == 12 and cfg["gradient_clipping"] == 0.5
    assert cfg["optimizer"]["params"]["lr"] == 5e-4 and cfg["optimizer"]["params"]["weight_decay"] == 0.01
    assert cfg["bf16"]["enabled"] is True
    assert cfg["zero_optimization"]["stage"] == 3 and cfg["zero_optimization"]["reduce_bucket_size"] == 64 * 64
    assert "auto" not in json.dumps(cfg)


def test_inconsistent_batch_sizes_and_unfillable_auto_fields_are_errors():
    args = TrainingArguments(output_dir="o")
    with pytest.raises(ValueError, match="train_batch_size is 5 but --per_device_train_batch_size x"):
        fill_ds_config({"train_batch_size": 5}, args, world_size=1, dtype=torch.float32)
    with pytest.raises(ValueError, match="left 'auto'.*foo"):
        fill_ds_config({"foo": "auto"}, args, world_size=1, dtype=torch.float32)


def test_a_config_value_that_disagrees_with_the_command_line_is_refused_naming_both():
    """micro 2 x accumulation 2 in the config against --per_device_train_batch_size 4 (the probe's case) would run
    half the optimizer steps on twice the items; a value both places hold alike is fine."""
    args = TrainingArguments(output_dir="o", per_device_train_batch_size=4, learning_rate=1e-5)
    config = {"train_micro_batch_size_per_gpu": 2, "gradient_accumulation_steps": 2, "train_batch_size": "auto",
              "optimizer": {"type": "AdamW", "params": {"lr": 3e-4}}}
    with pytest.raises(ValueError) as e:
        fill_ds_config(config, args, world_size=1, dtype=torch.float32)
    message = str(e.value)
    assert "train_micro_batch_size_per_gpu is 2 but --per_device_train_batch_size is 4" in message
    assert "gradient_accumulation_steps is 2 but --gradient_accumulation_steps is 1" in message
    assert "optimizer.params.lr is 0.0003 but the learning rate" in message and "1e-05" in message
    agreeing = {"train_micro_batch_size_per_gpu": 4, "gradient_accumulation_steps": 1, "train_batch_size": 8}
    cfg = fill_ds_config(agreeing, args, world_size=2, dtype=torch.float32)
    assert cfg["train_batch_size"] == 8 and cfg["gradient_clipping"] == 1.0


def test_every_shipped_config_fills():
    args = TrainingArguments(output_dir="o")
    for path in sorted((ROOT / "launch/configs").glob("ds_*.json")):
        cfg = fill_ds_config(load_ds_config(str(path)), args, world_size=2, dtype=torch.float32, hidden_size=64,
                             total_steps=4)
        assert cfg["bf16"]["enabled"] is False, path


def test_lr_schedule_warmup_then_decay():
    f = lr_lambda("cosine", warmup_steps=2, total_steps=6)
    assert [round(f(s), 4) for s in range(7)] == [0.3333, 0.6667, 1.0, 0.8536, 0.5, 0.1464, 0.0]
    assert [lr_lambda("linear", 0, 4)(s) for s in range(5)] == [1.0, 0.75, 0.5, 0.25, 0.0]
    assert lr_lambda("constant", 0, 4)(3) == 1.0


def test_a_recipe_gives_a_stage_its_sections_and_the_command_line_wins(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text("common: {lora_rank: 16, learning_rate: 1e-3}\nsft: {max_steps: 24, gradient_checkpointing: true}\n"
                    "rm: {lora_rank: 8}\n")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base\nsft: {max_steps: 5}\n")  # updates the base's sft section key by key
    model, data, peft, train = parse_args(ModelArguments, DataArguments, PeftArguments, TrainingArguments, args=[
        "--recipe", str(child), "--model_name_or_path", "m", "--output_dir", "o", "--learning_rate", "2e-4"],
        sections=("common", "sft"))
    assert (peft.lora_rank, train.max_steps, train.learning_rate, model.gradient_checkpointing) == (16, 5, 2e-4, True)
    rm_peft, _ = parse_args(PeftArguments, TrainingArguments, args=["--recipe", str(base), "--output_dir", "o"],
                            sections=("common", "rm"))
    assert rm_peft.lora_rank == 8  # a stage's section overrides common


def test_a_recipe_value_the_pipeline_resolves_must_come_from_the_command_line(tmp_path):
    recipe = tmp_path / "r.yaml"
    recipe.write_text("eval: {max_new_tokens: auto:p99, batch_size: 8}\n")
    from common.config import recipe_flags

    with pytest.raises(ConfigError, match=r"eval.max_new_tokens is 'auto:p99'.*give --max_new_tokens"):
        recipe_flags(str(recipe), ("eval",), [])
    assert recipe_flags(str(recipe), ("eval",), ["--max_new_tokens", "64"]) == [
        "--max_new_tokens", "auto:p99", "--batch_size", "8"]  # the command line's value comes after and wins
    with pytest.raises(ConfigError, match="--recipe /nope.yaml: no such file"):
        parse_args(TrainingArguments, args=["--recipe", "/nope.yaml"])


def test_every_choice_is_checked_once_by_its_field_and_launch_defaults_replace_core_defaults():
    from dpo.trainer import DPOArguments
    from easyds.situations import LAUNCH_DEFAULTS, SYSTEM_PROMPT

    problems = DPOArguments(loss_type="nope").choice_problems()
    assert problems == ["--loss_type must be one of sigmoid, ipo, hinge, robust, simpo, not 'nope'"]
    assert DataArguments().system_prompt == ""  # the core knows no EasyDS
    (data,) = parse_args(DataArguments, args=[], defaults=LAUNCH_DEFAULTS)
    assert data.system_prompt == SYSTEM_PROMPT


def test_every_bundled_recipe_loads_into_flags_every_stage_parses():
    """Each preset's sections are valid flags of the stage they go to (an unknown key would fail here, not hours
    into a run)."""
    import argparse

    from common.config import as_flags
    from dpo.trainer import DPOArguments
    from easyds.evaluate import EvaluationArguments
    from easyds.pairs import CollectArguments
    from easyds.recipes import load_preset, preset_names
    from rlhf.ppo_config import PPOArguments
    from rlhf.reward_trainer import RewardArguments
    from transformers import HfArgumentParser

    core = (ModelArguments, DataArguments, PeftArguments, TrainingArguments)
    groups = {"sft": core, "rm": core + (RewardArguments,), "ppo": core + (PPOArguments,),
              "dpo": core + (DPOArguments,), "eval": (ModelArguments, EvaluationArguments),
              "collect": (ModelArguments, CollectArguments)}
    assert {"tiny", "smollm2", "qwen2.5", "tiny-study", "smollm2-study", "qwen2.5-study"} <= set(preset_names())
    for name in preset_names():
        preset = load_preset(name)
        for stage, types in groups.items():
            flags = (preset["common"] if stage in ("sft", "rm", "ppo", "dpo") else []) + preset[stage] + (
                preset["gae"] + preset["critic_free"] if stage == "ppo" else [])
            flags = [f if not f.startswith("auto:") else "7" for f in flags]
            _, unknown = HfArgumentParser(types).parse_known_args(flags, namespace=argparse.Namespace())
            assert not unknown, (name, stage, unknown)
    assert as_flags(load_preset.__globals__["load_recipe"](
        str(ROOT / "launch/configs/smollm2-study.yaml"))["dpo"])[:2] == ["--max_steps", "auto:match_flops"]


def test_a_world_of_one_compiles_no_shared_memory_collectives(tmp_path):
    """A plain ``python launch/x.py`` starts a world of one: DeepSpeed's CPU shared-memory collectives are neither
    compiled (nothing lands in an empty extensions directory) nor used, and the world's collectives still work."""
    code = ("import deepspeed, deepspeed.comm.comm as dc\n"
            "from common.engine import all_reduce_sum, init_distributed\n"
            "print(init_distributed(), dc.cdb.shm_comm_op is None, all_reduce_sum([2.5]))\n")
    env = {k: v for k, v in os.environ.items() if k not in ("WORLD_SIZE", "RANK", "LOCAL_RANK")}
    env.update(TORCH_EXTENSIONS_DIR=str(tmp_path / "extensions"), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "(0, 1) True [2.5]"
    assert not (tmp_path / "extensions").exists() or not any((tmp_path / "extensions").rglob("*.so"))
