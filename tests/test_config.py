"""Argument validation and DeepSpeed config filling."""
import json

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
