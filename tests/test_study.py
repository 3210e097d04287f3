"""The study: bootstrap intervals and verdicts against hand-computable cases, and compute matching."""
import json
import math

import pytest

from easyds.study import bootstrap, paired, verdict


def test_bootstrap_of_constant_differences_is_that_constant():
    assert bootstrap([[0.25] * 12]) == (0.25, 0.25, 0.25, 12)


def test_bootstrap_interval_matches_the_normal_approximation_for_many_prompts():
    diffs = [0.0, 1.0] * 200  # mean 0.5, standard error 0.5 / sqrt(400) = 0.025
    mean, lo, hi, n = bootstrap([diffs], resamples=4000)
    assert mean == 0.5 and n == 400
    assert hi - lo == pytest.approx(2 * 1.96 * 0.025, rel=0.15)
    assert lo < 0.5 < hi


def test_bootstrap_resamples_seeds_so_seed_disagreement_widens_the_interval():
    # Two seeds that disagree completely: every prompt +1 in one, -1 in the other. Prompt resampling alone sees no
    # spread within a seed; resampling seeds gives means of -1, 0 or +1.
    mean, lo, hi, _ = bootstrap([[1.0] * 10, [-1.0] * 10])
    assert mean == 0.0 and lo == -1.0 and hi == 1.0


def test_verdicts_are_written_from_the_interval():
    assert verdict("PPO", "DPO", "rubric", 0.1, 0.02, 0.2) == "PPO beats DPO on rubric by +0.100 [+0.020, +0.200]"
    assert verdict("PPO", "DPO", "rubric", -0.1, -0.2, -0.02) == "DPO beats PPO on rubric by +0.100 [+0.020, +0.200]"
    assert "no difference detectable at this budget" in verdict("PPO", "DPO", "rubric", 0.05, -0.01, 0.1)


def test_paired_differences_match_prompts_by_id_within_each_seed():
    def ev(scores):
        return {"samples": [{"id": i, "prompt": f"p{i}", "rubric_total": s} for i, s in scores.items()]}

    seeds = {"1": {"eval": {"ppo": ev({1: 1.0, 2: 0.5, 3: 0.0}), "dpo": ev({2: 0.25, 1: 0.5})}},
             "2": {"eval": {"ppo": ev({1: 0.0}), "dpo": ev({1: 1.0})}}}
    assert paired(seeds, "ppo", "dpo", "rubric_total") == [[0.5, 0.25], [-1.0]]


def test_dpo_steps_are_matched_to_the_rlhf_route_flops(tmp_path):
    from easyds.recipes import MATCH, match_compute
    from easyds.stages import Stage
    from easyds.results import flops_estimate

    seed = tmp_path / "seed-1"
    for name, summary in (("rm", {"tokens_seen": 5000, "config": {"total_params": 1000, "lora_rank": 8}}),
                          ("ppo", {"tokens_seen": 3000, "config": {"actor_total_params": 1000, "lora_rank": 8,
                                                                    "ppo_epochs": 2}})):
        (seed / name).mkdir(parents=True)
        (seed / name / "run_summary.json").write_text(json.dumps(summary))
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps({"prompt": f"situation {i}", "chosen": "a good hint " * (i + 1),
                                         "rejected": "no"}) + "\n" for i in range(6)))
    stage = Stage("dpo", "dpo", str(seed / "dpo"), ["--train_file", str(pairs), "--max_steps", MATCH,
                                                     "--per_device_train_batch_size", "2", "--lora_rank", "8"],
                  "run_summary.json")
    m = match_compute(stage, str(seed), "embedded:tiny-qwen2")
    rlhf = 4 * 1000 * 5000 + (2 + 4 * 2 + 2 * 2 * 4) * 1000 * 3000  # RM: LoRA 4N a token; PPO with a critic
    assert m["rlhf_flops"] == rlhf == flops_estimate("rm", json.loads((seed / "rm" / "run_summary.json").read_text())) \
        + flops_estimate("ppo", json.loads((seed / "ppo" / "run_summary.json").read_text()))
    assert m["dpo_flops_per_step"] == pytest.approx(6 * 1000 * m["dpo_tokens_per_step"])  # LoRA 4N + reference 2N
    assert m["dpo_steps"] == round(rlhf / m["dpo_flops_per_step"])
    assert abs(m["dpo_flops"] - rlhf) <= m["dpo_flops_per_step"] / 2
    assert stage.args[stage.args.index("--max_steps") + 1] == str(m["dpo_steps"]) and math.isfinite(m["dpo_flops"])


def test_costs_over_seeds_are_medians_so_one_slowed_run_does_not_move_them():
    from easyds.results import route_cost, stage_costs

    def run(wall, tokens):
        return {"summary": {"wall_time_s": wall, "tokens_seen": tokens, "peak_rss_mb": 1000.0,
                            "config": {"total_params": 10, "lora_rank": 8}}, "artifact_mb": 2.0, "process_s": wall + 5}

    # seed 3's PPO ran on a busy machine: ten times slower, the same work
    seeds = {str(k): {"train": {"sft": run(100, 50), "rm": run(20, 30), "ppo": run(ppo, 40)}}
             for k, ppo in ((1, 300), (2, 320), (3, 3000))}
    rows = {r["stage"]: r for r in stage_costs(seeds)}
    assert rows["ppo"]["wall_time_s"] == 325 and rows["ppo"]["loop_s"] == 320 and rows["ppo"]["seeds"] == 3
    assert rows["sft"]["flops"] == 4 * 10 * 50  # LoRA: 4N a trained token
    # the route: sft + rm + ppo process times per seed = 105 + 25 + {305, 325, 3005}; the median seed's sum
    assert route_cost(seeds, "ppo")["wall_time_s"] == 105 + 25 + 325
