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
import json
import os
import shlex
import time
from dataclasses import dataclass, field
from typing import Optional

from common.config import Arguments, ConfigError, _help, choice, load_recipe, missing_files
from common.files import atomic_open, lock_directory
from common.machine import describe as describe_machine
from rlhf.ppo_config import ADVANTAGE_ESTIMATORS, CRITIC_FLAGS

from .recipes import AUTO, AUTO_EVAL, MATCH, data_files, load_preset, match_compute, preset_names, recipe_path, \
    resolve_budgets, response_budgets
from .report import write_report
from .situations import LANGS
from .stages import ROOT, STAGE_RECORD, TRAINING_SCRIPTS, Plan, Stage, command, read_stage_record, record_changes, \
    run_stage, same_key, stage_key

PIPELINE_STAGES = ("sft", "rm", "ppo", "dpo", "eval", "collect")  # the stages --stage_args can address


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


def rlhf_system(estimator: str) -> str:
    """The stage and system name of the RLHF route with ``estimator``: ``ppo`` (GAE) or ``ppo-rloo``, ..."""
    return "ppo" if estimator == "gae" else f"ppo-{estimator}"


def build_plan(args) -> Plan:
    """The stages of ``args`` (PipelineArguments) in the order they run, seed by seed.

    Long on purpose: it reads as the plan itself, one seed's stages top to bottom with the outputs each one hands
    to the next (split into helpers, the wiring between stages would be spread over several places)."""
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
    """Run (or resume) every stage, then the report. Stops at the first failing stage, naming it and its log.
    One loop over the stages, each resolved (compute matching), reused or run, and recorded, in that order."""
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
    machine = describe_machine()  # measured, printed and recorded; nothing is sized from it
    print(f"[pipeline] this machine: {machine['device']}, {machine['threads']} threads, float32 matmul peak "
          f"{machine['matmul_peak_gflops']:.0f} GFLOP/s", flush=True)
    meta = {"preset": args.preset, "model": model, "lang": args.lang, "seeds": args.seed_list, "launcher": launcher,
            "machine": machine,
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
        if stage.done and same_key(record, key):
            keys[stage.output_dir] = record  # what the stages downstream recorded as their upstream
            stage.status = "skipped"
            continue
        if not same_key(record, key) and (stage.done or record is not None):
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
    print(f"[pipeline] finished in {time.time() - started:.0f} s at a float32 matmul peak of "
          f"{machine['matmul_peak_gflops']:.0f} GFLOP/s; report: {report}", flush=True)
    return plan
