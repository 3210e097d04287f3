"""Seconds per PPO iteration split into generate / score / train, seconds per rollout token and samples per second.

The default case is 8 rollouts of up to 96 tokens on embedded:smollm2-135m, GAE with a critic, one PPO epoch;
``run_all.py`` also runs it with the critic shared with the actor (``--critic shared``) and with RLOO (4 prompts x
2 samples, no critic). Seconds per rollout token (the
iteration's time over the response tokens it generated) compares runs whose sampled lengths differ.

    deepspeed --num_gpus 2 benchmarks/ppo_iteration.py --deepspeed_config launch/configs/ds_zero3.json
    python benchmarks/ppo_iteration.py --quick                 # tiny model, rule-based reward, one process

Runs PPO through the same ``PPOTrainer`` as ``launch/ppo.py`` (any of its flags may be appended) into a temporary
run directory, then prints one JSON line per iteration and one summary line (mean over iterations after the
first, which pays for allocator warm-up).
"""
import json
import os
import sys
import tempfile

# EASYDS_ROOT: the tree whose library is measured (run_all --compare points it at the baseline's worktree, so this
# script's numbers, seconds per rollout token among them, are reported for both)
ROOT = os.environ.get("EASYDS_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from common.config import (DataArguments, ModelArguments, PeftArguments, TrainingArguments,  # noqa: E402
                           parse_args)
from easyds.situations import LAUNCH_DEFAULTS  # noqa: E402
from rlhf.ppo_config import PPOArguments  # noqa: E402
from rlhf.ppo_trainer import PPOTrainer  # noqa: E402

DEFAULTS = {
    "--actor_model_name_or_path": "embedded:smollm2-135m",
    "--critic_model_name_or_path": "embedded:smollm2-135m",
    "--reward_fn": os.path.join(ROOT, "tests", "rewards.py") + ":common_letters",
    "--prompt_file": os.path.join(ROOT, "data", "easyds", "en", "ppo_prompts.jsonl"),
    "--rollout_batch_size": "8",
    "--per_device_train_batch_size": "4",
    "--max_new_tokens": "96",
    "--ppo_epochs": "1",
    "--max_steps": "3",
    "--save_steps": "0",
    "--ref_mode": "adapter_disabled",
    "--max_source_length": "160",
}
QUICK = {"--actor_model_name_or_path": "embedded:tiny-qwen2", "--critic_model_name_or_path": "embedded:tiny-qwen2",
         "--max_new_tokens": "8"}


def main():
    argv = [a for a in sys.argv[1:] if a != "--quick"]
    defaults = dict(DEFAULTS, **(QUICK if "--quick" in sys.argv else {}))
    given = {a.split("=")[0] for a in argv if a.startswith("--")}
    estimator = argv[argv.index("--advantage_estimator") + 1] if "--advantage_estimator" in argv else "gae"
    shared = "--critic" in argv and argv[argv.index("--critic") + 1] == "shared"
    if estimator != "gae" or shared:  # the critic-free estimators have no critic to name, a shared one is the actor
        defaults.pop("--critic_model_name_or_path")
    out = tempfile.mkdtemp(prefix="easyds-ppo-bench-")
    args = [x for k, v in defaults.items() if k not in given for x in (k, v)] + argv
    if "--output_dir" not in given:
        args += ["--output_dir", out]
    groups = parse_args(PPOArguments, ModelArguments, DataArguments, PeftArguments, TrainingArguments, args=args,
                        defaults=LAUNCH_DEFAULTS)
    trainer = PPOTrainer.from_args(*groups)
    trainer.train()
    if trainer.rank != 0:
        return
    with open(os.path.join(groups[-1].output_dir, "metrics.jsonl"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    samples = groups[0].rollout_batch_size * groups[0].samples_per_prompt * trainer.world_size
    for m in rows:
        total = m["time/generate"] + m["time/score"] + m["time/train"]
        tokens = m["ppo/response_length"] * samples  # the rollout's response tokens, every rank
        print(json.dumps({"benchmark": "ppo_iteration", "iteration": m["step"], "generate_s": round(m["time/generate"], 3),
                          "score_s": round(m["time/score"], 3), "train_s": round(m["time/train"], 3),
                          "iteration_s": round(total, 3), "rollout_tokens": round(tokens),
                          "seconds_per_rollout_token": round(total / tokens, 5),
                          "samples_per_s": round(samples / total, 3)}))
    steady = rows[1:] or rows
    mean = {k: sum(m[f"time/{k}"] for m in steady) / len(steady) for k in ("generate", "score", "train")}
    total = sum(mean.values())
    tokens = sum(m["ppo/response_length"] for m in steady) / len(steady) * samples
    print(json.dumps({"benchmark": "ppo_iteration", "summary": True, "model": groups[0].actor_model_name_or_path,
                      "world_size": trainer.world_size, "generation_mode": groups[0].generation_mode,
                      "rollout_per_rank": groups[0].rollout_batch_size, "max_new_tokens": groups[0].max_new_tokens,
                      "advantage_estimator": groups[0].advantage_estimator,
                      "critic": (getattr(groups[0], "critic", None) or "separate")  # a baseline may lack the flag
                      if groups[0].advantage_estimator == "gae" else None,
                      **{f"{k}_s": round(v, 3) for k, v in mean.items()}, "iteration_s": round(total, 3),
                      "rollout_tokens": round(tokens), "seconds_per_rollout_token": round(total / tokens, 5),
                      "samples_per_s": round(samples / total, 3)}))


if __name__ == "__main__":
    main()
