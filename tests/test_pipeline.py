"""The main job: the pipeline's plan, and the tiny pipeline end to end (report sections, plots, resume)."""
import json
import os

import pytest

from common.config import ConfigError, validate
from easyds.pipeline import PipelineArguments, build_plan
from conftest import ROOT, launch


def _flag(args, name):
    return args[len(args) - 1 - args[::-1].index(name) + 1]  # the last value given wins, as argparse reads it


def test_plan_chains_the_stages_of_both_routes(tmp_path):
    args = PipelineArguments(preset="smollm2", output_dir=str(tmp_path), seeds="1,2",
                             stage_args=["ppo:--max_steps=2 --top_p=0.9", "eval:--max_new_tokens=8"])
    validate(args)
    plan = build_plan(args)
    names = [s.name for s in plan.stages]
    assert names == ["sft", "rm", "ppo", "dpo", "judges", "eval/sft", "eval/ppo", "eval/dpo"] * 2
    st = {s.name: s for s in plan.stages[:8]}
    sft_final = str(tmp_path / "seed-1" / "sft" / "final")
    assert _flag(st["rm"].args, "--model_name_or_path") == sft_final
    assert _flag(st["ppo"].args, "--actor_model_name_or_path") == sft_final
    assert _flag(st["ppo"].args, "--reward_model_name_or_path") == str(tmp_path / "seed-1" / "rm" / "final")
    assert _flag(st["dpo"].args, "--model_name_or_path") == sft_final
    assert "--max_steps=2" in st["ppo"].args and "--top_p=0.9" in st["ppo"].args
    assert _flag(st["eval/ppo"].args, "--baseline_samples").endswith("seed-1/eval/sft/samples.jsonl")
    assert "--baseline_samples" not in st["eval/sft"].args and "--max_new_tokens=8" in st["eval/dpo"].args
    assert _flag(st["judges"].args, "--reward_model_name_or_path") == str(tmp_path / "seed-1" / "rm" / "final")
    assert all(_flag(s.args, "--seed") == "2" for s in plan.stages[8:] if s.name != "judges")
    assert all(_flag(s.args, "--resume_from_checkpoint") == "auto" for s in plan.stages
               if s.script in ("sft", "rm", "ppo", "dpo"))


def test_the_study_plan_matches_compute_and_evaluates_snapshots(tmp_path):
    args = PipelineArguments(preset="smollm2-study", output_dir=str(tmp_path), seeds="1,2,3")
    validate(args)
    plan = build_plan(args)
    names = [s.name for s in plan.stages]
    assert names[:10] == ["sft", "rm", "ppo", "dpo", "judges", "eval/sft", "eval/ppo", "eval/dpo", "curve/ppo",
                          "curve/dpo"] and len(names) == 30
    st = {s.name: s for s in plan.stages[:10]}
    assert _flag(st["dpo"].args, "--max_steps") == "auto:match_flops" and "--save_snapshots" in st["dpo"].args
    assert "--save_snapshots" in st["ppo"].args and "--snapshots" in st["curve/ppo"].args
    assert _flag(st["curve/dpo"].args, "--model_name_or_path") == str(tmp_path / "seed-1" / "dpo")
    assert _flag(st["eval/dpo"].args, "--max_eval_samples") == "32"


def test_plan_chains_on_policy_rounds_from_the_previous_policy(tmp_path):
    args = PipelineArguments(preset="smollm2", output_dir=str(tmp_path), onpolicy_rounds=2,
                             stage_args=["collect:--num_samples=6", "dpo:--beta=0.2"])
    validate(args)
    st = {s.name: s for s in build_plan(args).stages}
    assert list(st)[8:] == ["pairs-r1", "dpo-r1", "eval/dpo-r1", "pairs-r2", "dpo-r2", "eval/dpo-r2"]
    run = tmp_path / "seed-42"
    assert _flag(st["pairs-r1"].args, "--model_name_or_path") == str(run / "sft" / "final")
    assert _flag(st["pairs-r2"].args, "--model_name_or_path") == str(run / "dpo-r1" / "final")
    assert _flag(st["dpo-r2"].args, "--model_name_or_path") == str(run / "dpo-r1" / "final")
    assert _flag(st["dpo-r2"].args, "--train_file") == str(run / "pairs-r2" / "pairs.jsonl")
    assert _flag(st["dpo-r2"].args, "--eval_file").endswith("en/pref_eval.jsonl")  # the offline held-out pairs
    for k in (1, 2):
        assert _flag(st[f"pairs-r{k}"].args, "--reward_model_name_or_path") == str(run / "rm" / "final")
        assert _flag(st[f"pairs-r{k}"].args, "--judge") == "both" and "--num_samples=6" in st[f"pairs-r{k}"].args
        assert "--beta=0.2" in st[f"dpo-r{k}"].args and _flag(st[f"dpo-r{k}"].args, "--output_dir") == str(
            run / f"dpo-r{k}")
    assert _flag(st["eval/dpo-r2"].args, "--model_name_or_path") == str(run / "dpo-r2" / "final")
    assert _flag(st["pairs-r1"].args, "--seed") != _flag(st["pairs-r2"].args, "--seed")  # fresh samples each round


@pytest.mark.parametrize("kwargs, message", [
    (dict(preset="qwen2.5"), "needs --model_name_or_path"),
    (dict(preset="large"), "--preset must be"),
    (dict(stage_args=["ppo --max_steps=2"]), "expected STAGE:--flag=value"),
    (dict(seeds="1,x"), "comma-separated integers"),
    (dict(lang="fr"), "--lang must be"),
    (dict(onpolicy_rounds=-1), "--onpolicy_rounds must be >= 0"),
    (dict(rlhf_estimators="gae,ppo"), "--rlhf_estimators 'gae,ppo'"),
    (dict(rlhf_estimators="gae,rloo", stage_args=["ppo:--critic_warmup_steps=2"]), "critic-free ones have no critic"),
    (dict(stage_args=["ppo:--advantage_estimator=grpo"]), "choose the RLHF estimators with --rlhf_estimators"),
])
def test_bad_pipeline_arguments_are_named(tmp_path, kwargs, message):
    with pytest.raises(ConfigError, match=message):
        validate(PipelineArguments(**{"output_dir": str(tmp_path), **kwargs}))


def test_a_killed_pipeline_takes_its_stage_with_it(tmp_path):
    """kill -9 of the pipeline while its SFT stage runs under the deepspeed launcher: the stage's rank ends too."""
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "pipe"
    env = dict(os.environ, PYTHONPATH=str(ROOT), TOKENIZERS_PARALLELISM="false")
    pipeline = subprocess.Popen([sys.executable, str(ROOT / "launch" / "pipeline.py"), "--preset", "tiny",
                                 "--output_dir", str(out), "--launcher", "deepspeed", "--num_gpus", "1"],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = out / "seed-42" / "sft" / ".lock"
    try:
        deadline = time.time() + 120
        while not (lock.exists() and lock.read_text().strip()):
            assert time.time() < deadline and pipeline.poll() is None, "the SFT stage never started"
            time.sleep(0.1)
        rank = int(lock.read_text())  # the process writing the stage directory
        os.kill(pipeline.pid, signal.SIGKILL)
        pipeline.wait()
        deadline = time.time() + 30
        while os.path.exists(f"/proc/{rank}") and open(f"/proc/{rank}/stat").read().split()[2] != "Z":
            assert time.time() < deadline, "the stage outlived its pipeline"
            time.sleep(0.1)
    finally:
        if pipeline.poll() is None:
            pipeline.kill()


@pytest.mark.slow
def test_a_directory_being_written_is_refused_to_a_second_writer(tmp_path, sft_files):
    from common.files import lock_directory

    lock_directory(tmp_path / "run")  # this test process is "the other writer"
    with pytest.raises(AssertionError, match=r"run is being written by another process \(pid \d+\)"):
        launch("sft", ["--model_name_or_path", "embedded:tiny-qwen2", "--train_file", sft_files[0],
                       "--output_dir", tmp_path / "run", "--max_steps", 1])
    with pytest.raises(AssertionError, match="being written by another process"):
        launch("pipeline", ["--preset", "tiny", "--output_dir", tmp_path / "run"])


@pytest.mark.slow
def test_tiny_pipeline_end_to_end_and_restart(tmp_path):
    out = tmp_path / "pipe"
    launch("pipeline", ["--preset", "tiny", "--output_dir", out, "--onpolicy_rounds", 1], timeout=600)
    state = json.loads((out / "pipeline.json").read_text())
    assert [s["status"] for s in state["stages"]] == ["done"] * 11
    seed = out / "seed-42"
    for stage in ("sft", "rm", "ppo", "dpo", "dpo-r1"):
        assert (seed / stage / "final").is_dir() and (seed / stage / "run_summary.json").exists()
    ppo = json.loads((seed / "ppo" / "run_summary.json").read_text())
    norm = ppo["reward_normalization"]  # the reward model re-normalised on 4 samples of the SFT policy
    assert norm["samples"] == 4 and norm["std_before"] > 0 and norm["gain"] == pytest.approx(
        json.loads((seed / "rm" / "final" / "scalar_head_config.json").read_text())["gain"] / norm["std_before"])
    assert "accuracy" in ppo["config"]["reward_model_gate"]  # the gate read the reward model's validation
    pairs = json.loads((seed / "pairs-r1" / "pairs_report.json").read_text())
    assert pairs["kept"] == len((seed / "pairs-r1" / "pairs.jsonl").read_text().splitlines()) >= 4
    assert json.loads((seed / "dpo-r1" / "run_summary.json").read_text())["config"]["train_file"].endswith(
        "pairs-r1/pairs.jsonl")
    for system in ("sft", "ppo", "dpo", "dpo-r1"):
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
                    "reward-model held-out accuracy", "DPO held-out reward accuracy", "models in memory",
                    "on-policy DPO, round 1", "## On-policy DPO: the collected pairs", "DPO-R1 − offline DPO",
                    "## How far to trust the judges", "| wrong_mistake |", "## Verdict", "| PPO − DPO | rubric |"):
        assert section in report, section
    judges = [json.loads(line) for line in (seed / "judges" / "judges.jsonl").read_text().splitlines()]
    assert [j["judge"] for j in judges][0] == "rubric" and judges[1]["judge"].startswith("reward model")
    assert all(j["pairs"] == 150 and len(j["by_type"]) == 9 for j in judges)
    for plot in ("cost", "quality", "curves", "pareto"):
        png = out / "plots" / f"{plot}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000

    # Started again: finished stages are skipped; a stage whose output is gone runs again, alone.
    os.remove(seed / "eval" / "dpo" / "metrics.json")
    stdout = launch("pipeline", ["--preset", "tiny", "--output_dir", out, "--onpolicy_rounds", 1], timeout=300)
    state = json.loads((out / "pipeline.json").read_text())
    assert [s["status"] for s in state["stages"]] == ["skipped"] * 7 + ["done"] + ["skipped"] * 3
    assert "(8/11) eval/dpo" in stdout and "(1/11)" not in stdout

    # Started again with a changed setting: the changed stage runs again from the start, and so does every stage
    # that reads its output; the others are kept.
    stdout = launch("pipeline", ["--preset", "tiny", "--output_dir", out, "--onpolicy_rounds", 1,
                                 "--stage_args", "dpo:--beta=0.3"], timeout=300)
    status = {s["name"]: s["status"] for s in json.loads((out / "pipeline.json").read_text())["stages"]}
    assert "dpo: changed: its flags (--beta=0.3)" in stdout and "eval/dpo: changed: a stage it reads from" in stdout
    assert status["dpo"] == status["eval/dpo"] == "done"
    assert all(status[k] == "skipped" for k in ("sft", "rm", "ppo", "eval/sft", "eval/ppo")), status
    assert json.loads((seed / "dpo" / "run_summary.json").read_text())["config"]["beta"] == 0.3


class WordTokenizer:
    """One token per word, and the end of turn: a response of i words is i + 1 tokens."""
    eos_token = eos_token_id = "<eot>"
    chat_template = None

    def __call__(self, text, add_special_tokens=False, split_special_tokens=False):
        return {"input_ids": text.replace(self.eos_token, " " + self.eos_token).split()}


def test_generation_budgets_cover_the_sft_lengths_and_short_overrides_are_named(tmp_path, monkeypatch):
    import easyds.recipes as recipes

    monkeypatch.setattr(recipes, "load_tokenizer", lambda name: WordTokenizer())
    sft = tmp_path / "sft.jsonl"
    sft.write_text("".join(json.dumps({"prompt": "p", "response": " ".join(["w"] * i)}) + "\n"
                           for i in range(100, 0, -1)))
    budgets = recipes.response_budgets("any", str(sft))
    # lengths 2..101: the 95th of 100 sorted is 96, the 99th is 100; rounded up to multiples of 8
    assert (budgets["p95"], budgets["p99"], budgets[recipes.AUTO], budgets[recipes.AUTO_EVAL]) == (96, 100, 96, 104)
    plan = build_plan(PipelineArguments(preset="smollm2", output_dir=str(tmp_path), stage_args=[
        "eval:--max_new_tokens=8"]))
    warnings = recipes.resolve_budgets(plan, budgets)
    st = {s.name: s for s in plan.stages}
    assert _flag(st["ppo"].args, "--max_new_tokens") == "96"
    assert st["eval/sft"].args[st["eval/sft"].args.index("--max_new_tokens") + 1] == "104"
    assert [w.split()[2] for w in warnings] == ["eval/sft:", "eval/ppo:", "eval/dpo:"]
    assert "below the 95th percentile of the SFT responses (96 tokens)" in warnings[0]
