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
import ctypes
import hashlib
import json
import math
import os
import signal
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field

from typing import Optional

from common.config import Arguments, ConfigError, _help, as_flags, choice, load_recipe, missing_files
from common.data import PreferenceDataset, read_jsonl
from common.files import atomic_open, lock_directory
from common.modeling import load_tokenizer
from common.templates import response_ids
from rlhf.ppo_config import ADVANTAGE_ESTIMATORS, CRITIC_FLAGS

from .report import flops_estimate, write_report
from .situations import LANGS, SYSTEM_PROMPT

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = os.path.join(ROOT, "launch", "configs")  # the recipes (one commented YAML file a preset) and DeepSpeed configs
# Generation budgets resolved from the SFT responses' token lengths (end of turn included) with the model's tokenizer,
# rounded up to a multiple of 8: PPO rollouts cover 95% of them, evaluation 99% (``response_budgets``).
AUTO, AUTO_EVAL = "auto:p95", "auto:p99"
# A study's DPO steps, resolved when its stage starts: as many as make the DPO route's estimated training FLOPs equal
# the RLHF route's (the shared SFT aside: RM + PPO against DPO), from the RM and PPO runs' measured tokens and the DPO
# data's token lengths (``match_compute``).
MATCH = "auto:match_flops"
SECTIONS = ("common", "sft", "rm", "ppo", "gae", "critic_free", "dpo", "eval", "collect")
PIPELINE_STAGES = ("sft", "rm", "ppo", "dpo", "eval", "collect")  # the stages --stage_args can address


def preset_names() -> list:
    """The recipes in ``launch/configs/``: each ``NAME.yaml`` is the preset NAME."""
    return sorted(os.path.splitext(f)[0] for f in os.listdir(CONFIGS) if f.endswith(".yaml"))


def recipe_path(preset: str) -> str:
    """A preset's recipe file: ``launch/configs/NAME.yaml``, or a recipe file of the user's own."""
    return preset if preset.endswith((".yaml", ".yml")) else os.path.join(CONFIGS, f"{preset}.yaml")


def load_preset(preset: str) -> dict:
    """A recipe as the plan uses it: every section a list of flags (``curve`` is ``eval`` plus its own), the
    DeepSpeed config as a path."""
    path = recipe_path(preset)
    recipe = load_recipe(path)
    out = {"model": recipe.get("model"), "launcher": recipe.get("launcher", "python"), "study": bool(
        recipe.get("study")), "deepspeed_config": recipe.get("deepspeed_config")}
    if out["deepspeed_config"]:
        out["deepspeed_config"] = os.path.join(os.path.dirname(os.path.abspath(path)), out["deepspeed_config"])
    for section in SECTIONS:
        out[section] = as_flags(recipe.get(section))
    out["curve"] = as_flags({**(recipe.get("eval") or {}), **(recipe.get("curve") or {})})
    return out


@dataclass
class PipelineArguments(Arguments):
    preset: str = field(
        default="smollm2", metadata=_help("A recipe of launch/configs/ by name (" + ", ".join(preset_names()) + "; "
                                          "each file says what it is for) or a recipe file of your own.")
    )
    output_dir: Optional[str] = field(default=None, metadata=_help("Where every stage's run and the report go."))
    model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("Base model (default: the preset's; a local Qwen2.5 directory for qwen2.5).")
    )
    lang: str = choice("en", LANGS, "Language of the bundled EasyDS data.")
    seeds: str = field(default="42", metadata=_help("Comma-separated seeds; each runs the whole pipeline, and the "
                                                    "report shows the spread over them."))
    launcher: Optional[str] = choice(None, ("python", "deepspeed"), "python: one process; deepspeed: all GPUs. "
                                                                     "Default: the preset's.")
    num_gpus: int = field(default=0, metadata=_help("GPUs for the deepspeed launcher (0 = all it finds)."))
    deepspeed_config: Optional[str] = field(
        default=None, metadata=_help("DeepSpeed config for every training stage (default: the preset's).")
    )
    stage_args: list[str] = field(
        default_factory=list, metadata=_help("Extra flags for one stage: STAGE:--flag=value ... (STAGE: sft, rm, "
                                             "ppo (every RLHF run), dpo (every DPO run), eval, collect), e.g. "
                                             "ppo:--max_steps=10 eval:--max_new_tokens=32.")
    )
    rlhf_estimators: str = field(
        default="gae", metadata=_help("Comma-separated advantage estimators of the RLHF route, each its own PPO stage "
                                      "and evaluation: gae (PPO with a critic, stage ppo), rloo, grpo, reinforce_pp "
                                      "(critic-free, stages ppo-rloo, ...), e.g. gae,rloo,grpo.")
    )
    onpolicy_rounds: int = field(
        default=0, metadata=_help("Rounds of on-policy DPO after the two routes: round K collects pairs from the "
                                  "policy of round K-1 (SFT for K = 1), judged by the reward model and the rubric "
                                  "(launch/collect_pairs.py), then trains DPO from that policy on them; each round "
                                  "is evaluated and reported next to offline DPO.")
    )

    @property
    def estimator_list(self) -> list:
        return [e.strip() for e in self.rlhf_estimators.split(",") if e.strip()]

    @property
    def seed_list(self) -> list:
        return [int(s) for s in self.seeds.split(",") if s.strip()]

    @property
    def stage_overrides(self) -> dict:
        """``["ppo:--max_steps=10 --top_p=0.9"]`` -> ``{"ppo": ["--max_steps=10", "--top_p=0.9"]}``."""
        out = {}
        for item in self.stage_args:
            stage, _, flags = item.partition(":")
            if stage not in PIPELINE_STAGES or not flags.startswith("--"):
                raise ConfigError(f"--stage_args {item!r}: expected STAGE:--flag=value, STAGE one of "
                                  + ", ".join(PIPELINE_STAGES))
            out.setdefault(stage, []).extend(shlex.split(flags))
        return out

    def problems(self, groups) -> list:
        out = [] if self.output_dir else ["--output_dir is required"]
        if not os.path.isfile(recipe_path(self.preset)):
            out.append(f"--preset must be one of {', '.join(preset_names())} or a recipe file, not {self.preset!r}")
        elif not self.model_name_or_path and not load_recipe(recipe_path(self.preset)).get("model"):
            out.append(f"--preset {self.preset} names no model: it needs --model_name_or_path (e.g. a local Qwen2.5 "
                       "checkpoint directory)")
        try:
            if not self.seed_list:
                out.append("--seeds is empty")
        except ValueError:
            out.append(f"--seeds must be comma-separated integers, got {self.seeds!r}")
        out += missing_files(self, "deepspeed_config")
        bad = [e for e in self.estimator_list if e not in ADVANTAGE_ESTIMATORS]
        if bad or not self.estimator_list or len(set(self.estimator_list)) != len(self.estimator_list):
            out.append(f"--rlhf_estimators {self.rlhf_estimators!r}: a comma-separated list of distinct estimators out "
                       f"of {', '.join(ADVANTAGE_ESTIMATORS)}")
        if self.onpolicy_rounds < 0:
            out.append(f"--onpolicy_rounds must be >= 0, got {self.onpolicy_rounds}")
        try:
            ppo_flags = {f.split("=", 1)[0] for f in self.stage_overrides.get("ppo", []) if f.startswith("--")}
        except ConfigError as e:
            return out + [str(e)]
        if ppo_flags & {"--advantage_estimator", "--samples_per_prompt"}:
            out.append("--stage_args ppo:--advantage_estimator / --samples_per_prompt: choose the RLHF estimators with "
                       "--rlhf_estimators (each gets its own stage and report column)")
        critic_only = ppo_flags & set(CRITIC_FLAGS)
        if critic_only and set(self.estimator_list) - {"gae"}:
            out.append(f"--stage_args ppo:{', '.join(sorted(critic_only))} reaches every RLHF stage, and the "
                       "critic-free ones have no critic: give critic flags with --rlhf_estimators gae only")
        return out


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
    preset = load_preset(args.preset)
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
    def summary(name):
        with open(os.path.join(seed_dir, name, "run_summary.json"), encoding="utf-8") as f:
            return json.load(f)

    target = flops_estimate("rm", summary("rm")) + flops_estimate("ppo", summary("ppo"))
    n_params = summary("rm")["config"].get("total_params") or summary("ppo")["config"]["actor_total_params"]
    args = stage.args
    data = PreferenceDataset(read_jsonl(flag_value(args, "--train_file"), ("prompt", "chosen", "rejected")),
                             load_tokenizer(model), int(flag_value(args, "--max_source_length", 256)),
                             int(flag_value(args, "--max_target_length", 128)), system_prompt=SYSTEM_PROMPT)
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
    preset = load_preset(args.preset)
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
