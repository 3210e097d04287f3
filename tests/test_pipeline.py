"""The main job: the pipeline's plan, and the tiny pipeline end to end (report sections, plots, resume)."""
import json
import os

import pytest

from common.config import ConfigError, PipelineArguments, validate
from common.pipeline import build_plan
from conftest import ROOT, launch


def _flag(args, name):
    return args[len(args) - 1 - args[::-1].index(name) + 1]  # the last value given wins, as argparse reads it


def test_plan_chains_the_stages_of_both_routes(tmp_path):
    args = PipelineArguments(preset="smollm2", output_dir=str(tmp_path), seeds="1,2",
                             stage_args=["ppo:--max_steps=2 --top_p=0.9", "eval:--max_new_tokens=8"])
    validate(args)
    plan = build_plan(args)
    names = [s.name for s in plan.stages]
    assert names == ["sft", "rm", "ppo", "dpo", "eval/sft", "eval/ppo", "eval/dpo"] * 2
    st = {s.name: s for s in plan.stages[:7]}
    sft_final = str(tmp_path / "seed-1" / "sft" / "final")
    assert _flag(st["rm"].args, "--model_name_or_path") == sft_final
    assert _flag(st["ppo"].args, "--actor_model_name_or_path") == sft_final
    assert _flag(st["ppo"].args, "--reward_model_name_or_path") == str(tmp_path / "seed-1" / "rm" / "final")
    assert _flag(st["dpo"].args, "--model_name_or_path") == sft_final
    assert "--max_steps=2" in st["ppo"].args and "--top_p=0.9" in st["ppo"].args
    assert _flag(st["eval/ppo"].args, "--baseline_samples").endswith("seed-1/eval/sft/samples.jsonl")
    assert "--baseline_samples" not in st["eval/sft"].args and "--max_new_tokens=8" in st["eval/dpo"].args
    assert all(_flag(s.args, "--seed") == "2" for s in plan.stages[7:])
    assert all(_flag(s.args, "--resume_from_checkpoint") == "auto" for s in plan.stages if not s.name.startswith("e"))


@pytest.mark.parametrize("kwargs, message", [
    (dict(preset="qwen2.5"), "needs --model_name_or_path"),
    (dict(preset="large"), "--preset must be"),
    (dict(stage_args=["ppo --max_steps=2"]), "expected STAGE:--flag=value"),
    (dict(seeds="1,x"), "comma-separated integers"),
    (dict(lang="fr"), "--lang must be"),
])
def test_bad_pipeline_arguments_are_named(tmp_path, kwargs, message):
    with pytest.raises(ConfigError, match=message):
        validate(PipelineArguments(**{"output_dir": str(tmp_path), **kwargs}))


def test_tiny_pipeline_end_to_end_and_restart(tmp_path):
    out = tmp_path / "pipe"
    launch("pipeline", ["--preset", "tiny", "--output_dir", out], timeout=600)
    state = json.loads((out / "pipeline.json").read_text())
    assert [s["status"] for s in state["stages"]] == ["done"] * 7
    seed = out / "seed-42"
    for stage in ("sft", "rm", "ppo", "dpo"):
        assert (seed / stage / "final").is_dir() and (seed / stage / "run_summary.json").exists()
    for system in ("sft", "ppo", "dpo"):
        metrics = json.loads((seed / "eval" / system / "metrics.json").read_text())
        samples = (seed / "eval" / system / "samples.jsonl").read_text().splitlines()
        assert metrics["n"] == len(samples) == 8 and 0 <= metrics["rubric/total"] <= 1
        assert ("win_rate/rm" in metrics) == (system != "sft")
    # The SFT evaluation is its own reference and baseline-free; PPO and DPO moved away from it.
    assert json.loads((seed / "eval" / "sft" / "metrics.json").read_text())["kl/to_reference"] == 0.0
    assert json.loads((seed / "eval" / "ppo" / "metrics.json").read_text())["kl/to_reference"] > 0.0
    report = (out / "report.md").read_text()
    for section in ("## Headline", "## What the numbers say", "## Cost per stage", "## Rubric by criterion",
                    "## Training curves", "## Samples side by side", "RLHF (SFT → RM → PPO)", "DPO (SFT → DPO)",
                    "reward-model held-out accuracy", "DPO held-out reward accuracy", "models in memory"):
        assert section in report, section
    for plot in ("cost", "quality", "curves"):
        png = out / "plots" / f"{plot}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000

    # Started again: finished stages are skipped; a stage whose output is gone runs again, alone.
    os.remove(seed / "eval" / "dpo" / "metrics.json")
    stdout = launch("pipeline", ["--preset", "tiny", "--output_dir", out], timeout=300)
    state = json.loads((out / "pipeline.json").read_text())
    assert [s["status"] for s in state["stages"]] == ["skipped"] * 6 + ["done"]
    assert "(7/7) eval/dpo" in stdout and "(1/7)" not in stdout
