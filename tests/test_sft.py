"""SFT end to end through launch/sft.py: ZeRO-3 = ZeRO-0, resume = uninterrupted, two ranks export and reload."""
import json
import math
import shutil

import pytest
import torch

from conftest import launch, read_metrics, run_stages
from easyds.situations import SYSTEM_PROMPT

COMMON = ["--model_name_or_path", "embedded:tiny-qwen2", "--per_device_train_batch_size", 2,
          "--gradient_accumulation_steps", 2, "--logging_steps", 1, "--learning_rate", 1e-2, "--num_samples", 1,
          "--max_target_length", 24, "--max_steps", 8, "--save_steps", 4, "--save_total_limit", 3]


def sft(tmp, name, files, *extra, ranks=1):
    out = tmp / name
    launch("sft", COMMON + ["--train_file", files[0], "--eval_file", files[1], "--output_dir", out, *extra],
           ranks=ranks)
    return out


@pytest.fixture(scope="module")
def zero0_run(tmp_path_factory, sft_files):
    return sft(tmp_path_factory.mktemp("z0"), "run", sft_files, "--deepspeed_config", "launch/configs/ds_zero0.json")


def losses(run, key="train/loss"):
    return [(m["step"], m[key]) for m in read_metrics(run) if key in m]


def test_training_lowers_eval_loss_and_writes_every_output(zero0_run):
    evals = losses(zero0_run, "eval/loss")
    assert [s for s, _ in evals] == [0, 8] and evals[1][1] < evals[0][1]
    assert [s for s, _ in losses(zero0_run)] == list(range(1, 9))
    summary = json.loads((zero0_run / "run_summary.json").read_text())
    assert summary["tokens_seen"] > 0 and summary["samples_seen"] == 8 * 4 and summary["wall_time_s"] > 0
    assert summary["final_metrics"]["eval/loss"] == pytest.approx(evals[1][1])
    assert len(summary["samples"]) == 1
    assert (zero0_run / "final" / "adapter_model.safetensors").exists()
    assert json.loads((zero0_run / "final" / "base_model.json").read_text())["base_model_name_or_path"] == \
        "embedded:tiny-qwen2"  # as the user named it; adapter_config.json has its directory (tests/test_exports.py)
    assert list((zero0_run / "tensorboard").glob("events.out.tfevents.*"))


def test_zero3_gives_the_losses_of_zero0(tmp_path, sft_files, zero0_run):
    z3 = sft(tmp_path, "z3", sft_files, "--deepspeed_config", "launch/configs/ds_zero3.json")
    for key in ("train/loss", "eval/loss"):
        a, b = losses(zero0_run, key), losses(z3, key)
        assert [s for s, _ in a] == [s for s, _ in b]
        assert all(abs(x - y) < 1e-5 for (_, x), (_, y) in zip(a, b)), (key, a, b)


def test_resumed_run_repeats_the_uninterrupted_run(tmp_path, sft_files, zero0_run):
    # A crash right after the step-4 checkpoint: drop everything the run wrote later, then start it again.
    run = tmp_path / "run"
    shutil.copytree(zero0_run, run)
    shutil.rmtree(run / "checkpoints" / "step-000008")
    shutil.rmtree(run / "final")
    (run / "run_summary.json").unlink()
    launch("sft", COMMON + ["--train_file", sft_files[0], "--eval_file", sft_files[1], "--output_dir", run,
                            "--resume_from_checkpoint", "auto", "--deepspeed_config", "launch/configs/ds_zero0.json"])
    straight, resumed = read_metrics(zero0_run), read_metrics(run)
    assert [m["step"] for m in straight] == [m["step"] for m in resumed]
    for a, b in zip(straight, resumed):
        for key in a:
            if key in ("train/tokens_per_s",):  # wall-clock, differs between any two runs
                continue
            assert a[key] == pytest.approx(b[key], abs=1e-6), (a["step"], key)


def test_a_run_killed_after_its_last_checkpoint_resumes_without_logging_twice(tmp_path, sft_files, zero0_run):
    """Killed during the export (the last checkpoint is written, final/ is not): the final evaluation, logged before
    that checkpoint, is not logged again (found by benchmarks/fault_injection.py)."""
    run = tmp_path / "run"
    shutil.copytree(zero0_run, run)
    shutil.rmtree(run / "final")
    (run / "run_summary.json").unlink()
    launch("sft", COMMON + ["--train_file", sft_files[0], "--eval_file", sft_files[1], "--output_dir", run,
                            "--resume_from_checkpoint", "auto", "--deepspeed_config", "launch/configs/ds_zero0.json"])
    assert read_metrics(run) == read_metrics(zero0_run)
    assert (run / "final" / "adapter_model.safetensors").exists()


def test_an_earlier_run_is_never_taken_for_this_one(tmp_path, sft_files, zero0_run):
    """Resuming a checkpoint written with other settings is refused (naming them); a fresh start into a directory
    that holds a run is refused; --overwrite_output_dir starts afresh, and only the new run's files remain."""
    run = tmp_path / "run"
    shutil.copytree(zero0_run, run)
    args = [str(a) for a in COMMON + ["--train_file", sft_files[0], "--eval_file", sft_files[1], "--output_dir", run,
                                      "--deepspeed_config", "launch/configs/ds_zero0.json"]]
    results = run_stages([
        {"name": "other settings", "script": "sft",
         "argv": args + ["--max_steps", "3", "--learning_rate", "1e-3", "--resume_from_checkpoint", "auto"]},
        {"name": "fresh start", "script": "sft", "argv": args + ["--max_steps", "3"]},
    ], tmp_path / "refused")
    assert "other settings (learning_rate: 0.01 -> 0.001; max_steps: 8 -> 3)" in results["other settings"]["error"]
    assert "holds an earlier run" in results["fresh start"]["error"]
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == ["step-000004", "step-000008"]  # untouched
    launch("sft", args + ["--max_steps", 3, "--save_steps", 2, "--overwrite_output_dir"])
    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == ["step-000002", "step-000003"]
    assert [m["step"] for m in read_metrics(run) if "train/loss" in m] == [1, 2, 3]


def test_a_diverging_run_stops_at_the_first_non_finite_step_and_exports_nothing(tmp_path, sft_files):
    run = tmp_path / "nan"
    with pytest.raises(AssertionError, match=r"\[sft\] step \d: .*(non-finite training losses|gradient norm = (nan|inf))"
                                             r".*the last good checkpoint is"):
        launch("sft", COMMON + ["--train_file", sft_files[0], "--eval_file", sft_files[1], "--output_dir", run,
                                "--learning_rate", 1e8, "--max_grad_norm", 0, "--save_steps", 1])
    assert not (run / "final").exists()
    losses = [m["train/loss"] for m in read_metrics(run) if "train/loss" in m]
    assert all(math.isfinite(x) for x in losses)  # nothing non-finite was logged as a result


def test_a_corrupted_newest_checkpoint_falls_back_and_a_torn_metrics_line_is_dropped(tmp_path, sft_files, zero0_run):
    run = tmp_path / "run"
    shutil.copytree(zero0_run, run)
    shutil.rmtree(run / "final")
    (run / "run_summary.json").unlink()
    for f in (run / "checkpoints" / "step-000008").rglob("*.pt"):  # a write torn half-way
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    with open(run / "metrics.jsonl", "a", encoding="utf-8") as f:
        f.write('{"step": 9, "train/lo')
    proc_out = launch("sft", COMMON + ["--train_file", sft_files[0], "--eval_file", sft_files[1], "--output_dir", run,
                                       "--resume_from_checkpoint", "auto", "--deepspeed_config",
                                       "launch/configs/ds_zero0.json"])
    assert "resumed from" in proc_out and "step-000004 at step 4" in proc_out
    straight, resumed = read_metrics(zero0_run), read_metrics(run)
    assert [m["step"] for m in straight] == [m["step"] for m in resumed]
    for a, b in zip(straight, resumed):
        assert a.get("train/loss") == pytest.approx(b.get("train/loss"), abs=1e-6)


@pytest.mark.slow
def test_two_ranks_zero3_lora_export_reloads_with_plain_peft(tmp_path, sft_files):
    from peft import PeftModel
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM

    from common.data import InputOutputDataset, SFTCollator
    from common.embedded import resolve_model_path
    from common.modeling import load_tokenizer
    from common.ops import masked_sum
    from common.forward import label_logprobs

    run = sft(tmp_path, "r2", sft_files, "--deepspeed_config", "launch/configs/ds_zero3.json", "--max_steps", 4,
              "--merge_lora", ranks=2)
    engine_eval_loss = losses(run, "eval/loss")[-1][1]
    adapter = load_file(str(run / "final" / "adapter_model.safetensors"))
    assert adapter and all(t.numel() > 0 for t in adapter.values())  # gathered, not ZeRO-3 shards

    # A fresh process's view: plain transformers + peft, nothing of ours but the data set.
    base = AutoModelForCausalLM.from_pretrained(resolve_model_path("embedded:tiny-qwen2"), dtype=torch.float32)
    model = PeftModel.from_pretrained(base, str(run / "final")).eval()
    tokenizer = load_tokenizer(str(run / "final"))
    ds = InputOutputDataset(sft_files[1], tokenizer, max_target_length=24, system_prompt=SYSTEM_PROMPT)
    batch = SFTCollator(tokenizer.pad_token_id)([ds[i] for i in range(len(ds))])
    with torch.no_grad():
        logp, mask = label_logprobs(model, batch)
        reloaded_loss = -masked_sum(logp, mask).item() / mask.sum().item()
        merged = AutoModelForCausalLM.from_pretrained(str(run / "final" / "merged"), dtype=torch.float32).eval()
        merged_logits = merged(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
        adapter_logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    assert math.isclose(reloaded_loss, engine_eval_loss, abs_tol=1e-5), (reloaded_loss, engine_eval_loss)
    assert torch.allclose(merged_logits, adapter_logits, atol=1e-4)


@pytest.mark.slow
def test_full_finetuning_under_zero3_exports_a_complete_model(tmp_path, sft_files):
    from transformers import AutoModelForCausalLM

    from common.data import InputOutputDataset, SFTCollator
    from common.modeling import load_tokenizer
    from common.ops import masked_sum
    from common.forward import label_logprobs

    run = sft(tmp_path, "full", sft_files, "--deepspeed_config", "launch/configs/ds_zero3.json", "--lora_rank", 0,
              "--max_steps", 2, "--learning_rate", 1e-3, "--num_samples", 0)
    model = AutoModelForCausalLM.from_pretrained(str(run / "final"), dtype=torch.float32).eval()
    tokenizer = load_tokenizer(str(run / "final"))
    ds = InputOutputDataset(sft_files[1], tokenizer, max_target_length=24, system_prompt=SYSTEM_PROMPT)
    batch = SFTCollator(tokenizer.pad_token_id)([ds[i] for i in range(len(ds))])
    with torch.no_grad():
        logp, mask = label_logprobs(model, batch)
    reloaded_loss = -masked_sum(logp, mask).item() / mask.sum().item()
    evals = losses(run, "eval/loss")
    assert evals[-1][1] != evals[0][1]  # the weights did change
    assert math.isclose(reloaded_loss, evals[-1][1], abs_tol=1e-5), (reloaded_loss, evals)
