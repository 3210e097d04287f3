"""The main job: SFT -> RM -> PPO and SFT -> DPO on one base model and data set, each route evaluated, one report.

Every stage is the launch script a user would run, started as its own process (a crash or an out-of-memory in one
stage leaves the others' outputs intact, and each stage's memory is given back when it ends). A stage whose output
is complete is skipped when the pipeline is started again; an interrupted training stage resumes from its newest
checkpoint (``--resume_from_checkpoint auto``). Layout of ``--output_dir``:

    seed-S/sft  seed-S/rm  seed-S/ppo  seed-S/dpo      training runs (metrics.jsonl, final/, run_summary.json)
    seed-S/ppo-rloo  seed-S/ppo-grpo  ...              with --rlhf_estimators gae,rloo,...: the RLHF route with
                                                       each critic-free estimator (as many rollouts an iteration:
                                                       K samples each of 1/K as many prompts)
    seed-S/judges/judges.jsonl                         the rubric's and the reward model's agreement with the
                                                       labelled held-out pairs (launch/validate_judges.py)
    seed-S/eval/sft  seed-S/eval/ppo  seed-S/eval/dpo  evaluations (samples.jsonl, metrics.json)
    seed-S/pairs-rK  seed-S/dpo-rK  seed-S/eval/dpo-rK with --onpolicy_rounds N, for K = 1..N: pairs collected
                                                       from the policy of round K-1 (SFT for K = 1), judged by
                                                       the reward model and the rubric; DPO from that policy
    pipeline.json                                       stage list with status and wall time
    report.md  plots/                                   the comparison (launch/compare.py)
"""
import contextlib
import json
import math
import os
import signal
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field

from .data import read_jsonl
from .files import atomic_open, lock_directory
from .modeling import load_tokenizer
from .templates import response_ids

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = os.path.join(ROOT, "launch", "configs")
ALL_LINEAR = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj"
# Generation budgets resolved from the SFT responses' token lengths (end of turn included) with the model's tokenizer,
# rounded up to a multiple of 8: PPO rollouts cover 95% of them, evaluation 99% (``response_budgets``).
AUTO, AUTO_EVAL = "auto:p95", "auto:p99"

# Sizes per preset. "smollm2" is sized for the 20-minute budget on a 2-core CPU: every number below was chosen
# from the measured throughput of each stage (README, "The main job"); "qwen2.5" is the GPU recipe.
PRESETS = {
    "tiny": {  # the same shape as smollm2 on the random tiny model: an integration run, not a quality one
        "model": "embedded:tiny-qwen2", "launcher": "python", "deepspeed_config": None,
        "common": ["--max_source_length", "160", "--max_target_length", "48", "--per_device_train_batch_size", "4",
                   "--lora_rank", "8", "--lora_alpha", "16", "--logging_steps", "2", "--save_steps", "4"],
        "sft": ["--max_steps", "6", "--learning_rate", "2e-3", "--max_eval_samples", "8", "--num_samples", "0"],
        "rm": ["--max_steps", "6", "--learning_rate", "2e-3", "--max_eval_samples", "16", "--normalize_scores",
               "--normalize_samples", "16"],
        # The random tiny reward model is near chance: the gate is off (--rm_min_accuracy 0) for the plumbing run.
        "ppo": ["--max_steps", "3", "--max_new_tokens", "16", "--ppo_epochs", "2", "--learning_rate", "2e-3",
                "--ref_mode", "adapter_disabled", "--save_steps", "2", "--reward_norm_samples", "4",
                "--rm_min_accuracy", "0"],
        "gae": ["--rollout_batch_size", "4", "--critic_warmup_steps", "1"],
        "critic_free": ["--rollout_batch_size", "2", "--samples_per_prompt", "2"],
        "dpo": ["--max_steps", "6", "--learning_rate", "2e-3", "--max_eval_samples", "16", "--precompute_ref_logps"],
        "eval": ["--max_eval_samples", "8", "--max_new_tokens", "24", "--batch_size", "8"],
        # The random tiny model writes byte soup that never ends its turn: such samples are paired (and counted).
        "collect": ["--max_source_length", "160", "--max_prompts", "12", "--num_samples", "4", "--batch_size", "4",
                    "--max_new_tokens", "16", "--min_margin", "0.05", "--exclude_malformed", "empty"],
    },
    "smollm2": {
        "model": "embedded:smollm2-135m", "launcher": "python", "deepspeed_config": None,
        "common": ["--max_source_length", "192", "--max_target_length", "96", "--per_device_train_batch_size", "4",
                   "--lora_rank", "16", "--lora_alpha", "32", "--lora_dropout", "0.05",
                   "--lora_target_modules", ALL_LINEAR, "--logging_steps", "2", "--save_steps", "8"],
        "sft": ["--max_steps", "24", "--learning_rate", "1e-3", "--warmup_steps", "2", "--max_eval_samples", "16",
                "--num_samples", "0"],
        "rm": ["--lora_rank", "8", "--lora_target_modules", "q_proj,k_proj,v_proj", "--max_steps", "10",
               "--learning_rate", "1e-3", "--max_eval_samples", "32", "--normalize_scores", "--normalize_samples",
               "24"],
        # PPO: rollouts as long as 95% of the SFT responses (AUTO, resolved from the data), so an SFT-like rollout
        # ends its turn instead of being cut and penalised; 16 rollouts an iteration (8 gave the same compute in
        # noisier steps, measured); the critic's zero head fits the SFT policy's returns for one iteration before
        # the first policy update; the reward model re-normalised on the SFT policy's own samples; a fixed beta
        # (an adaptive controller cannot act within six iterations).
        "ppo": ["--max_steps", "6", "--max_new_tokens", AUTO, "--ppo_epochs", "2", "--learning_rate", "5e-4",
                "--lr_scheduler_type", "constant", "--ref_mode", "adapter_disabled", "--kl_ctl", "fixed",
                "--init_kl_coef", "0.05", "--missing_eos_penalty", "1.0", "--reward_norm_samples", "16",
                "--save_steps", "2"],
        "gae": ["--rollout_batch_size", "16", "--critic_learning_rate", "1e-3", "--critic_warmup_steps", "1"],
        # the same 16 rollouts an iteration, 8 prompts x 2 samples (4 x 4 saw too few prompts), a lower lr (a
        # sequence-level advantage on every token moves further per step), and 8 cheaper iterations (no critic)
        # for about PPO's wall time
        "critic_free": ["--rollout_batch_size", "8", "--samples_per_prompt", "2", "--learning_rate", "2e-4",
                        "--max_steps", "8"],
        "dpo": ["--max_steps", "12", "--learning_rate", "5e-4", "--warmup_steps", "2", "--beta", "0.1",
                "--max_eval_samples", "32", "--precompute_ref_logps"],
        "eval": ["--max_eval_samples", "24", "--max_new_tokens", AUTO_EVAL, "--batch_size", "8"],
        # --balance_length: without it 78% of round 1's pairs chose the longer response and round 2's policy ran
        # past the token limit (README, "Measured: offline vs on-policy DPO").
        "collect": ["--max_source_length", "192", "--max_prompts", "48", "--num_samples", "4", "--batch_size", "4",
                    "--max_new_tokens", AUTO_EVAL, "--temperature", "1.0", "--top_p", "0.95", "--balance_length"],
    },
    "qwen2.5": {
        "model": None, "launcher": "deepspeed", "deepspeed_config": os.path.join(CONFIGS, "ds_zero3.json"),
        "common": ["--max_source_length", "384", "--max_target_length", "192", "--per_device_train_batch_size", "8",
                   "--lora_rank", "32", "--lora_alpha", "64", "--lora_dropout", "0.05",
                   "--lora_target_modules", ALL_LINEAR, "--logging_steps", "10", "--save_steps", "100",
                   "--gradient_checkpointing"],
        "sft": ["--num_train_epochs", "2", "--learning_rate", "2e-4", "--warmup_steps", "20", "--num_samples", "3"],
        "rm": ["--num_train_epochs", "1", "--learning_rate", "5e-5", "--warmup_steps", "20", "--normalize_scores"],
        # Adaptive beta with a horizon of a tenth of the run's samples per rank (32 x 200 / 10): beta can move by
        # up to 1% an iteration, e^2 over the run; with N GPUs N times faster.
        "ppo": ["--max_steps", "200", "--max_new_tokens", AUTO, "--ppo_epochs", "2", "--learning_rate", "1e-5",
                "--ref_mode", "adapter_disabled", "--init_kl_coef", "0.05", "--kl_target", "6.0", "--kl_horizon",
                "640", "--missing_eos_penalty", "1.0", "--reward_norm_samples", "256", "--save_steps", "20"],
        "gae": ["--rollout_batch_size", "32", "--critic_learning_rate", "5e-5", "--critic_warmup_steps", "5"],
        "critic_free": ["--rollout_batch_size", "8", "--samples_per_prompt", "4"],
        "dpo": ["--num_train_epochs", "2", "--learning_rate", "5e-6", "--warmup_steps", "20", "--beta", "0.1"],
        "eval": ["--max_new_tokens", AUTO_EVAL, "--batch_size", "32"],
        "collect": ["--max_source_length", "384", "--max_prompts", "1024", "--num_samples", "8", "--batch_size", "16",
                    "--max_new_tokens", AUTO_EVAL, "--balance_length"],
    },
}


# The study presets: both routes at matched compute, snapshots along training for over-optimisation curves, more
# held-out prompts. DPO's steps are resolved when it starts (MATCH): as many as make the DPO route's estimated
# training FLOPs equal the RLHF route's (the shared SFT aside: RM + PPO against DPO), from the RM and PPO runs'
# measured tokens and the DPO data's token lengths.
MATCH = "auto:match_flops"


def study(base: str, eval_prompts: int, curve_prompts: int, dpo_save_steps: int) -> dict:
    preset = {k: list(v) if isinstance(v, list) else v for k, v in PRESETS[base].items()}
    preset["ppo"] += ["--save_snapshots"]
    preset["dpo"] = [a for a in preset["dpo"]] + ["--max_steps", MATCH, "--save_steps", str(dpo_save_steps),
                                                  "--save_snapshots"]
    preset["eval"] += ["--max_eval_samples", str(eval_prompts)]
    preset["curve"] = preset["eval"] + ["--max_eval_samples", str(curve_prompts)]
    preset["study"] = True
    return preset


PRESETS["tiny-study"] = study("tiny", eval_prompts=8, curve_prompts=4, dpo_save_steps=2)  # its integration run
PRESETS["smollm2-study"] = study("smollm2", eval_prompts=32, curve_prompts=16, dpo_save_steps=8)
PRESETS["qwen2.5-study"] = study("qwen2.5", eval_prompts=0, curve_prompts=64, dpo_save_steps=100)


@dataclass
class Stage:
    name: str  # sft, rm, ppo, dpo, eval/sft, ...
    script: str  # launch/<script>.py
    output_dir: str
    args: list
    done_file: str  # present when the stage finished (final/ written or metrics.json written)
    distributed: bool = True  # runs under the deepspeed launcher when the preset uses it
    route: str = ""
    status: str = "pending"
    seconds: float = 0.0

    @property
    def done(self) -> bool:
        return os.path.exists(os.path.join(self.output_dir, self.done_file))


@dataclass
class Plan:
    output_dir: str
    stages: list = field(default_factory=list)


# A stage runs in a process group of its own (the deepspeed launcher and its ranks, or one process), watched by a
# guard: a child of the pipeline that the kernel sends SIGTERM when the pipeline dies, however it dies (kill -9
# included), and that then stops the stage's whole group. The launcher itself would not pass a SIGTERM on to the
# ranks it started.
GUARD = """
import os, signal, sys, time
group, pipeline = int(sys.argv[1]), int(sys.argv[2])
def stop(*_):
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        pass
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
if os.getppid() != pipeline:  # the pipeline died before the death signal was armed
    stop()
while True:
    time.sleep(3600)
"""


def die_with_parent():
    """Run in the guard before it starts: the kernel sends it SIGTERM when its parent (the pipeline) dies."""
    import ctypes
    import signal

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def run_stage(cmd: list, env: dict) -> int:
    """Run one stage's command to its end (its exit status); it never outlives the pipeline (``GUARD``)."""
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    guard = subprocess.Popen([sys.executable, "-c", GUARD, str(proc.pid), str(os.getpid())],
                             preexec_fn=die_with_parent)
    try:
        return proc.wait()
    except BaseException:  # Ctrl-C (the stage's own group does not get the terminal's SIGINT) or an error here
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        raise
    finally:
        guard.kill()
        guard.wait()


def rlhf_system(estimator: str) -> str:
    """The stage and system name of the RLHF route with ``estimator``: ``ppo`` (GAE) or ``ppo-rloo``, ..."""
    return "ppo" if estimator == "gae" else f"ppo-{estimator}"


def data_files(lang: str) -> dict:
    d = os.path.join(ROOT, "data", "easyds", lang)
    return {k: os.path.join(d, f"{k}.jsonl") for k in ("sft_train", "sft_eval", "pref_train", "pref_eval",
                                                       "ppo_prompts", "eval_prompts")}


def build_plan(args) -> Plan:
    """The stages of ``args`` (PipelineArguments) in the order they run, seed by seed."""
    preset = PRESETS[args.preset]
    model = args.model_name_or_path or preset["model"]
    files = data_files(args.lang)
    extra = args.stage_overrides
    ds = ["--deepspeed_config", args.deepspeed_config or preset["deepspeed_config"]] \
        if (args.deepspeed_config or preset["deepspeed_config"]) else []
    plan = Plan(os.path.abspath(args.output_dir))
    for seed in args.seed_list:
        run = os.path.join(plan.output_dir, f"seed-{seed}")
        rounds = [f"dpo-r{k}" for k in range(1, args.onpolicy_rounds + 1)]
        rlhf = [rlhf_system(e) for e in args.estimator_list]  # ppo (GAE) and ppo-rloo, ppo-grpo, ...
        d = {k: os.path.join(run, k) for k in ["sft", "rm", "dpo"] + rlhf + rounds}
        final = {k: os.path.join(v, "final") for k, v in d.items()}
        train = lambda name, recipe: preset["common"] + ds + [  # noqa: E731
            "--seed", str(seed), "--output_dir", d[name], "--resume_from_checkpoint", "auto"] + preset[recipe]

        def evaluate(system):
            out = os.path.join(run, "eval", system)
            baseline = [] if system == "sft" else ["--baseline_samples", os.path.join(run, "eval", "sft",
                                                                                       "samples.jsonl")]
            return Stage(
                f"eval/{system}", "evaluate", out,
                ["--model_name_or_path", final[system], "--eval_file", files["eval_prompts"], "--output_dir", out,
                 "--reference_model_name_or_path", final["sft"], "--reward_model_name_or_path", final["rm"],
                 "--seed", str(seed)] + baseline + preset["eval"] + extra.get("eval", []),
                "metrics.json", distributed=False, route="eval")

        plan.stages += [
            Stage("sft", "sft", d["sft"], ["--model_name_or_path", model, "--train_file", files["sft_train"],
                                           "--eval_file", files["sft_eval"]] + train("sft", "sft")
                  + extra.get("sft", []), "run_summary.json", route="both"),
            Stage("rm", "rm", d["rm"], ["--model_name_or_path", final["sft"], "--train_file", files["pref_train"],
                                        "--eval_file", files["pref_eval"], "--normalize_file", files["sft_train"]]
                  + train("rm", "rm") + extra.get("rm", []), "run_summary.json", route="rlhf"),
        ] + [
            Stage(system, "ppo", d[system], ["--actor_model_name_or_path", final["sft"], "--reward_model_name_or_path",
                                             final["rm"], "--prompt_file", files["ppo_prompts"]]
                  + train(system, "ppo") + ["--advantage_estimator", estimator]
                  + preset["gae" if estimator == "gae" else "critic_free"]
                  + (["--kl_penalty", "loss"] if estimator == "grpo" else [])  # GRPO's KL is a loss term
                  + extra.get("ppo", []),
                  "run_summary.json", route="rlhf")
            for estimator, system in zip(args.estimator_list, rlhf)
        ] + [
            Stage("dpo", "dpo", d["dpo"], ["--model_name_or_path", final["sft"], "--train_file", files["pref_train"],
                                           "--eval_file", files["pref_eval"]] + train("dpo", "dpo")
                  + extra.get("dpo", []), "run_summary.json", route="dpo"),
        ]
        # How far the judges of the evaluations can be trusted: the rubric and this seed's reward model against the
        # labelled held-out pairs, per failure type (launch/validate_judges.py).
        plan.stages.append(Stage("judges", "validate_judges", os.path.join(run, "judges"),
                                 ["--pairs", files["pref_eval"], "--reward_model_name_or_path", final["rm"],
                                  "--output_file", os.path.join(run, "judges", "judges.jsonl")],
                                 "judges.jsonl", distributed=False, route="eval"))
        plan.stages += [evaluate(system) for system in ["sft"] + rlhf + ["dpo"]]
        if preset.get("study"):  # quality along training: every snapshot of each route, judged like the finals
            plan.stages += [Stage(
                f"curve/{system}", "evaluate", os.path.join(run, "curves", system),
                ["--model_name_or_path", d[system], "--snapshots", "--eval_file", files["eval_prompts"],
                 "--output_dir", os.path.join(run, "curves", system), "--reference_model_name_or_path", final["sft"],
                 "--reward_model_name_or_path", final["rm"], "--seed", str(seed)] + preset["curve"]
                + extra.get("eval", []), "curve.json", distributed=False, route="eval")
                for system in rlhf + ["dpo"]]
        # On-policy DPO: round k collects pairs from the policy of round k-1 and trains DPO from it on them; the
        # held-out (offline) preference pairs still measure its reward accuracy.
        for k, name in enumerate(rounds, start=1):
            policy = final["sft"] if k == 1 else final[rounds[k - 2]]
            pairs = os.path.join(run, f"pairs-r{k}")
            plan.stages += [
                Stage(f"pairs-r{k}", "collect_pairs", pairs,
                      ["--model_name_or_path", policy, "--prompt_file", files["ppo_prompts"], "--output_dir", pairs,
                       "--judge", "both", "--reward_model_name_or_path", final["rm"], "--seed", str(seed + k)]
                      + preset["collect"] + extra.get("collect", []), "run_summary.json", distributed=False,
                      route="dpo"),
                Stage(name, "dpo", d[name], ["--model_name_or_path", policy, "--train_file",
                                             os.path.join(pairs, "pairs.jsonl"), "--eval_file", files["pref_eval"]]
                      + train(name, "dpo") + extra.get("dpo", []), "run_summary.json", route="dpo"),
                evaluate(name),
            ]
    return plan


def flag_value(args: list, flag: str, default=None):
    """The value of the last ``flag VALUE`` or ``flag=VALUE`` in ``args``."""
    value = default
    for i, a in enumerate(args):
        if a == flag and i + 1 < len(args):
            value = args[i + 1]
        elif a.startswith(flag + "="):
            value = a.split("=", 1)[1]
    return value


def match_compute(stage: Stage, seed_dir: str, model: str) -> dict:
    """Resolve ``--max_steps auto:match_flops`` of a DPO stage: the steps that give the DPO route the RLHF route's
    estimated training FLOPs (RM + PPO; the SFT both share is left out), from the finished RM and PPO runs of the
    seed and the mean tokens of a DPO step on its training file (prompt twice, chosen and rejected, truncated as
    DPO truncates). Returns what it computed, for pipeline.json and the report."""
    from .data import PreferenceDataset
    from .report import flops_estimate

    def summary(name):
        with open(os.path.join(seed_dir, name, "run_summary.json"), encoding="utf-8") as f:
            return json.load(f)

    target = flops_estimate("rm", summary("rm")) + flops_estimate("ppo", summary("ppo"))
    n_params = summary("rm")["config"].get("total_params") or summary("ppo")["config"]["actor_total_params"]
    args = stage.args
    data = PreferenceDataset(read_jsonl(flag_value(args, "--train_file"), ("prompt", "chosen", "rejected")),
                             load_tokenizer(model), int(flag_value(args, "--max_source_length", 256)),
                             int(flag_value(args, "--max_target_length", 128)))
    pair_tokens = sum(2 * len(e["prompt_ids"]) + len(e["chosen_ids"]) + len(e["rejected_ids"])
                      for e in data.examples) / len(data.examples)
    batch = int(flag_value(args, "--per_device_train_batch_size", 8)) * int(
        flag_value(args, "--gradient_accumulation_steps", 1))
    per_step = flops_estimate("dpo", {"tokens_seen": batch * pair_tokens,
                                      "config": {"total_params": n_params, "lora_rank": int(flag_value(
                                          args, "--lora_rank", 0))}})
    steps = max(1, round(target / per_step))
    stage.args = [str(steps) if a == MATCH else (a.replace(MATCH, str(steps)) if MATCH in a else a) for a in args]
    return {"rlhf_flops": target, "dpo_flops_per_step": per_step, "dpo_steps": steps,
            "dpo_flops": steps * per_step, "dpo_tokens_per_step": batch * pair_tokens}


def response_budgets(model: str, sft_file: str) -> dict:
    """``{AUTO: n95, AUTO_EVAL: n99, "p95": ..., "p99": ...}``: token lengths of the SFT responses (end of turn
    included, the model's tokenizer) at the 95th and 99th percentile, each rounded up to a multiple of 8.

    A budget below the SFT length distribution cuts SFT-like responses mid-sentence: in PPO every cut rollout takes
    the missing-end-of-turn penalty and is scored at a mid-text token, so the policy learns to stop early; in
    evaluation a cut response fails the rubric for a reason that is not the model's.
    """
    tokenizer = load_tokenizer(model)
    lengths = sorted(len(response_ids(tokenizer, r["response"]))
                     for r in read_jsonl(sft_file, ("response",)))
    quantile = lambda q: lengths[min(len(lengths) - 1, math.ceil(q * len(lengths)) - 1)]  # noqa: E731
    up8 = lambda n: -(-n // 8) * 8  # noqa: E731
    p95, p99 = quantile(0.95), quantile(0.99)
    return {AUTO: up8(p95), AUTO_EVAL: up8(p99), "p95": p95, "p99": p99, "mean": sum(lengths) / len(lengths)}


def resolve_budgets(plan: Plan, budgets: dict) -> list:
    """Put the budgets into every stage's arguments; returns a warning per stage whose last ``--max_new_tokens``
    (a --stage_args override wins) is below the SFT responses' 95th percentile."""
    warnings = []
    def resolve(arg: str) -> str:  # "auto:p95" or "--max_new_tokens=auto:p95"
        flag, eq, value = arg.partition("=")
        if arg in (AUTO, AUTO_EVAL):
            return str(budgets[arg])
        return f"{flag}={budgets[value]}" if eq and value in (AUTO, AUTO_EVAL) else arg

    for stage in plan.stages:
        stage.args = [resolve(a) for a in stage.args]
        given = [a.split("=", 1)[1] if a.startswith("--max_new_tokens=") else stage.args[i + 1]
                 for i, a in enumerate(stage.args) if a.startswith("--max_new_tokens")]
        if given and int(given[-1]) < budgets["p95"]:
            warnings.append(f"[pipeline] WARNING {stage.name}: --max_new_tokens {given[-1]} is below the 95th "
                            f"percentile of the SFT responses ({budgets['p95']} tokens): SFT-like responses will be "
                            "cut mid-sentence")
    return warnings


STAGE_RECORD = "stage.json"
TRAINING_SCRIPTS = ("sft", "rm", "ppo", "dpo")


def stage_key(stage: Stage, launcher: str, num_gpus: int, upstream: dict) -> dict:
    """What a stage's result depends on: its flags, how many ranks ran it, the contents of the data files it reads
    and the keys of the stages whose outputs it reads (``upstream``: output_dir -> key). A finished stage is
    reused only while its recorded key is this one."""
    import hashlib

    files, inputs = {}, {}
    for arg in stage.args:
        own = isinstance(arg, str) and arg.startswith(stage.output_dir + os.sep)  # what the stage itself writes
        if isinstance(arg, str) and os.path.isfile(arg) and not own:
            with open(arg, "rb") as f:
                files[arg] = hashlib.sha1(f.read()).hexdigest()
        for out, key in upstream.items():
            if isinstance(arg, str) and (arg == out or arg.startswith(out + os.sep)):
                inputs[out] = hashlib.sha1(json.dumps(key, sort_keys=True).encode()).hexdigest()
    ranks = num_gpus if launcher == "deepspeed" and stage.distributed else 1
    return {"args": [str(a) for a in stage.args], "launcher": launcher, "ranks": ranks, "files": files,
            "upstream": inputs}


def read_stage_record(stage: Stage):
    try:
        with open(os.path.join(stage.output_dir, STAGE_RECORD), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def record_changes(old: dict, new: dict) -> str:
    if old is None:
        return "it was run before stages recorded their settings"
    changed = [k for k in ("args", "launcher", "ranks", "files", "upstream") if old.get(k) != new.get(k)]
    if "args" in changed:
        a, b = old.get("args", []), new["args"]
        diff = sorted(set(b) - set(a))
        changed[changed.index("args")] = f"its flags ({' '.join(diff[:6]) or 'order or removals'})"
    names = {"files": "its data files", "upstream": "a stage it reads from", "launcher": "the launcher",
             "ranks": "the number of ranks"}
    return "changed: " + ", ".join(names.get(c, c) for c in changed)


def command(stage: Stage, launcher: str, num_gpus: int) -> list:
    script = os.path.join(ROOT, "launch", f"{stage.script}.py")
    if launcher == "deepspeed" and stage.distributed:
        launch = [os.path.join(os.path.dirname(sys.executable), "deepspeed")]
        launch += ["--num_gpus", str(num_gpus)] if num_gpus else []
        return launch + [script] + stage.args
    return [sys.executable, script] + stage.args


def write_state(plan: Plan, started: float, extra: dict = None):
    state = {"output_dir": plan.output_dir, "this_start_wall_time_s": round(time.time() - started, 1),
             "stages_wall_time_s": round(sum(s.seconds for s in plan.stages), 1), **(extra or {}),
             "stages": [{"name": s.name, "output_dir": s.output_dir, "status": s.status,
                         "seconds": round(s.seconds, 1), "route": s.route} for s in plan.stages]}
    with open(os.path.join(plan.output_dir, "pipeline.json"), "w", encoding="utf-8") as f:
        json.dump(state, f, indent=2)


def print_board(plan: Plan):
    """The stage list, one line a stage: done (with its time), skipped (done earlier), running, or pending."""
    marks = {"done": "✓", "skipped": "✓", "running": "▶", "pending": "·", "failed": "✗"}
    lines = []
    for i, s in enumerate(plan.stages):
        note = f"{s.seconds:6.0f} s" if s.status == "done" else (
            f"{s.seconds:6.0f} s (earlier)" if s.status == "skipped" else "")
        lines.append(f"  {marks[s.status]} [{i + 1:2d}/{len(plan.stages)}] {s.name:10s} {note}")
    print("\n".join(lines), flush=True)


def run_pipeline(args) -> Plan:
    """Run (or resume) every stage, then the report. Stops at the first failing stage, naming it and its log."""
    from .report import write_report

    preset = PRESETS[args.preset]
    plan = build_plan(args)
    launcher = args.launcher or preset["launcher"]
    lock_directory(plan.output_dir)  # one pipeline at a time in a directory
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               TOKENIZERS_PARALLELISM="false")
    started = time.time()
    previous = os.path.join(plan.output_dir, "pipeline.json")
    if os.path.exists(previous):  # keep the times of stages finished by an earlier start
        with open(previous, encoding="utf-8") as f:
            seconds = {s["output_dir"]: s["seconds"] for s in json.load(f)["stages"]}
        for s in plan.stages:
            s.seconds = seconds.get(s.output_dir, 0.0) if s.done else 0.0
    model = args.model_name_or_path or preset["model"]
    budgets = response_budgets(model, data_files(args.lang)["sft_train"])
    print(f"[pipeline] SFT responses: mean {budgets['mean']:.0f} tokens, p95 {budgets['p95']}, p99 {budgets['p99']} "
          f"-> rollout budget {budgets[AUTO]}, evaluation budget {budgets[AUTO_EVAL]} tokens", flush=True)
    for warning in resolve_budgets(plan, budgets):
        print(warning, flush=True)
    meta = {"preset": args.preset, "model": model, "lang": args.lang, "seeds": args.seed_list, "launcher": launcher,
            "response_budgets": {k: budgets[k] for k in ("mean", "p95", "p99")} | {
                "rollout": budgets[AUTO], "evaluation": budgets[AUTO_EVAL]}}
    print(f"[pipeline] preset {args.preset}: {len(plan.stages)} stages -> {plan.output_dir}", flush=True)
    keys = {}
    for i, stage in enumerate(plan.stages):
        if MATCH in " ".join(stage.args):
            matched = match_compute(stage, os.path.dirname(stage.output_dir), model)
            meta.setdefault("matched_compute", {})[os.path.basename(os.path.dirname(stage.output_dir))] = matched
            print(f"[pipeline] matched compute: the RLHF route (RM + PPO) took an estimated "
                  f"{matched['rlhf_flops']:.2e} FLOPs -> DPO {matched['dpo_steps']} steps x "
                  f"{matched['dpo_flops_per_step']:.2e} = {matched['dpo_flops']:.2e} FLOPs", flush=True)
        key = keys[stage.output_dir] = stage_key(stage, launcher, args.num_gpus, keys)
        record = read_stage_record(stage)
        if stage.done and record == key:
            stage.status = "skipped"
            continue
        if record != key and (stage.done or record is not None):
            # An input or setting changed since this stage ran: its result (or its checkpoints) would be stale.
            print(f"[pipeline] {stage.name}: {record_changes(record, key)}; running it again from the start",
                  flush=True)
            stage.seconds = 0.0
            if stage.script in TRAINING_SCRIPTS:
                stage.args = stage.args + ["--overwrite_output_dir"]
        os.makedirs(stage.output_dir, exist_ok=True)
        with atomic_open(os.path.join(stage.output_dir, STAGE_RECORD)) as f:
            json.dump(key, f, indent=2)
        stage.status = "running"
        print_board(plan)
        print(f"[pipeline] ({i + 1}/{len(plan.stages)}) {stage.name}: "
              f"{' '.join(shlex.quote(c) for c in command(stage, launcher, args.num_gpus))}", flush=True)
        t0 = time.time()
        returncode = run_stage(command(stage, launcher, args.num_gpus), env)
        stage.seconds = time.time() - t0
        if returncode != 0 or not stage.done:
            stage.status = "failed"
            write_state(plan, started, meta)
            print_board(plan)
            raise SystemExit(f"[pipeline] stage {stage.name} failed (exit {returncode}); its output is in "
                             f"{stage.output_dir}. Start the pipeline again to resume from there.")
        stage.status = "done"
        write_state(plan, started, meta)
    print_board(plan)
    write_state(plan, started, meta)  # the report reads the stages' times from it
    report = write_report(plan.output_dir)
    print(f"[pipeline] finished in {time.time() - started:.0f} s; report: {report}", flush=True)
    return plan
