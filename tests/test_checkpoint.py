"""Run-directory rules of common/checkpoint.py and the argument checks that run before any model loads."""
import json

import pytest

from common import checkpoint


def fake_checkpoint(root, step, run_config=None, complete=True):
    path = root / "checkpoints" / f"step-{step:06d}"
    (path / "model").mkdir(parents=True)
    (path / "client_state.json").write_text(json.dumps({"global_step": step, "run_config": run_config or {}}))
    import torch

    torch.save({"w": torch.ones(3)}, path / "rng_state_rank0.pt")
    if complete:
        (path / "COMPLETE").touch()
    return path


def test_resume_takes_the_newest_checkpoint_that_reads_back(tmp_path, capsys):
    old, new = fake_checkpoint(tmp_path, 2), fake_checkpoint(tmp_path, 4)
    fake_checkpoint(tmp_path, 6, complete=False)  # a crash while saving: never resumed
    assert checkpoint.resolve_resume("auto", str(tmp_path)) == str(new)
    data = (new / "rng_state_rank0.pt").read_bytes()
    (new / "rng_state_rank0.pt").write_bytes(data[: len(data) // 2])  # torn
    assert checkpoint.resolve_resume("auto", str(tmp_path)) == str(old)
    assert f"checkpoint {new} does not read back" in capsys.readouterr().err
    (old / "client_state.json").write_text("{\"global_step\": 2, ")
    assert checkpoint.resolve_resume("auto", str(tmp_path)) is None
    with pytest.raises(ValueError, match="client_state.json"):
        checkpoint.resolve_resume(str(old), str(tmp_path))


def test_an_explicit_checkpoint_must_be_a_step_directory(tmp_path):
    with pytest.raises(ValueError, match=r"not a checkpoint directory \(checkpoints are OUTPUT_DIR/checkpoints/step-N"):
        checkpoint.resolve_resume(str(tmp_path), str(tmp_path))
    incomplete = fake_checkpoint(tmp_path, 3, complete=False)
    with pytest.raises(FileNotFoundError, match="no COMPLETE marker"):
        checkpoint.resolve_resume(str(incomplete), str(tmp_path))


def test_run_settings_must_match_bookkeeping_aside(tmp_path):
    saved = {"learning_rate": 0.01, "max_steps": 8, "logging_steps": 1, "output_dir": "a"}
    path = fake_checkpoint(tmp_path, 4, run_config=saved)
    checkpoint.check_run_config(str(path), {**saved, "logging_steps": 5, "output_dir": "b"})  # bookkeeping only
    with pytest.raises(ValueError, match=r"learning_rate: 0.01 -> 0.001; max_steps: 8 -> \(unset\)"):
        checkpoint.check_run_config(str(path), {"learning_rate": 0.001, "logging_steps": 1})


def test_a_failed_checkpoint_write_names_the_path_and_the_free_space(tmp_path):
    class FullDisk:
        def save_checkpoint(self, path, tag):
            raise RuntimeError("[enforce fail at inline_container.cc:603] . unexpected pos 3584 vs 3472")

    with pytest.raises(OSError, match=r"writing the checkpoint .*step-000005 failed \(.*unexpected pos.*\); \d+ MiB "
                                      r"free on that disk.*never resumed from"):
        checkpoint.save_checkpoint(str(tmp_path), 5, {"model": FullDisk()}, {})


def test_impossible_values_are_refused_before_any_model_loads():
    from common.config import ConfigError, PeftArguments, TrainingArguments, validate
    from common.trainer import total_steps
    from dpo.trainer import DPOArguments
    from rlhf.ppo_config import PPOArguments

    with pytest.raises(ConfigError, match=r"--label_smoothing must be in \[0, 0.5\), got 2"):
        validate(DPOArguments(label_smoothing=2.0), PeftArguments())
    with pytest.raises(ConfigError, match="--kl_target > 0"):
        validate(PPOArguments(actor_model_name_or_path="x", reward_fn=__file__ + ":f", critic_model_name_or_path="x",
                              prompt_file=__file__, kl_target=-1.0))
    with pytest.raises(ConfigError, match=r"one optimizer step takes 16 training items .* the training file has 10"):
        total_steps(TrainingArguments(output_dir="o", per_device_train_batch_size=4, gradient_accumulation_steps=2),
                    10, world_size=2)
