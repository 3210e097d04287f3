"""A pipeline's output directory read back (``load_runs``), and the numbers the report and the pipeline derive from
it: route costs, estimated FLOPs, quality means with their spread.

It reads only files: each training run's ``run_summary.json`` and ``metrics.jsonl``, each evaluation's
``metrics.json`` and ``samples.jsonl``, and ``pipeline.json`` (the layout in ``easyds/pipeline.py``).
"""
import glob
import json
import math
import os
import re
import statistics

SYSTEMS = {"sft": "SFT", "ppo": "RLHF (SFT → RM → PPO)", "dpo": "DPO (SFT → DPO)"}
ROUTES = {"sft": ("sft",), "ppo": ("sft", "rm", "ppo"), "dpo": ("sft", "dpo")}
ONPOLICY = re.compile(r"^dpo-r(\d+)$")  # on-policy DPO, round K (pipeline --onpolicy_rounds)
CRITIC_FREE = {"rloo": "RLOO", "grpo": "GRPO", "reinforce_pp": "REINFORCE++"}  # pipeline --rlhf_estimators
ESTIMATOR = re.compile(r"^ppo-(rloo|grpo|reinforce_pp)$")  # the RLHF route with a critic-free estimator
STAGE_DIR = re.compile(r"^(sft|rm|ppo|dpo|(pairs|dpo)-r\d+|ppo-(rloo|grpo|reinforce_pp))$")  # the training stages
SEED_DIR = re.compile(r"^seed-(\d+)$")


# --- reading runs -------------------------------------------------------------------------------------------------
def _json(path: str):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _jsonl(path: str) -> list:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def dir_size_mb(path: str) -> float:
    total = sum(os.path.getsize(p) for p in glob.glob(os.path.join(path, "**"), recursive=True) if os.path.isfile(p))
    return total / 2**20


def system_label(system: str) -> str:
    m, e = ONPOLICY.match(system), ESTIMATOR.match(system)
    if e:
        return f"RLHF, {CRITIC_FREE[e.group(1)]} (SFT → RM → {CRITIC_FREE[e.group(1)]})"
    return f"on-policy DPO, round {m.group(1)} (SFT → RM → pairs → DPO)" if m else SYSTEMS[system]


def route(system: str) -> tuple:
    """The training stages a system's model comes out of; an on-policy round needs every round before it."""
    m = ONPOLICY.match(system)
    if ESTIMATOR.match(system):
        return ("sft", "rm", system)
    if not m:
        return ROUTES[system]
    return ("sft", "rm") + tuple(f"{kind}-r{k}" for k in range(1, int(m.group(1)) + 1) for kind in ("pairs", "dpo"))


def _order(name: str) -> tuple:
    """sft, rm, ppo and its critic-free variants, dpo first, then the on-policy rounds in order (pairs before
    DPO)."""
    fixed = ("sft", "rm", "ppo") + tuple(f"ppo-{e}" for e in CRITIC_FREE) + ("dpo",)
    if name in fixed:
        return (0, fixed.index(name), 0)
    kind, _, k = name.partition("-r")
    return (1, int(k) if k.isdigit() else 0, kind != "pairs")


def load_runs(run_dir: str) -> dict:
    """``{seed: {"train": {stage: {...}}, "eval": {system: {...}}, "pairs": {stage: pairs_report}}}`` for every
    ``seed-*`` directory."""
    pipeline = _json(os.path.join(run_dir, "pipeline.json")) or {}
    process_s = {os.path.realpath(st["output_dir"]): st["seconds"] for st in pipeline.get("stages", [])}
    seeds = {}
    seed_dirs = [p for p in glob.glob(os.path.join(run_dir, "seed-*"))
                 if os.path.isdir(p) and SEED_DIR.match(os.path.basename(p))]
    for seed_dir in sorted(seed_dirs, key=lambda p: int(SEED_DIR.match(os.path.basename(p)).group(1))):
        seed = os.path.basename(seed_dir)[len("seed-"):]
        train, evals, pairs = {}, {}, {}
        stages = sorted((name for name in (os.path.basename(os.path.dirname(p)) for p in
                                           glob.glob(os.path.join(seed_dir, "*", "run_summary.json")))
                         if STAGE_DIR.match(name)), key=_order)
        for stage in stages:
            summary = _json(os.path.join(seed_dir, stage, "run_summary.json"))
            if summary:
                train[stage] = {"summary": summary, "metrics": _jsonl(os.path.join(seed_dir, stage, "metrics.jsonl")),
                                "artifact_mb": dir_size_mb(os.path.join(seed_dir, stage, "final")),
                                "process_s": process_s.get(os.path.realpath(os.path.join(seed_dir, stage)))}
            if stage.startswith("pairs-"):
                pairs[stage] = _json(os.path.join(seed_dir, stage, "pairs_report.json"))
        systems = sorted((os.path.basename(os.path.dirname(p)) for p in
                          glob.glob(os.path.join(seed_dir, "eval", "*", "metrics.json"))), key=_order)
        for system in systems:
            if system in SYSTEMS or ONPOLICY.match(system) or ESTIMATOR.match(system):
                evals[system] = {"metrics": _json(os.path.join(seed_dir, "eval", system, "metrics.json")),
                                 "samples": _jsonl(os.path.join(seed_dir, "eval", system, "samples.jsonl"))}
        seeds[seed] = {"train": train, "eval": evals, "pairs": pairs,
                       "judges": _jsonl(os.path.join(seed_dir, "judges", "judges.jsonl"))}
    if not seeds:
        raise FileNotFoundError(f"{run_dir}: no seed-*/ run directories (the layout of launch/pipeline.py)")
    return seeds


# --- numbers ------------------------------------------------------------------------------------------------------
def flops_estimate(stage: str, summary: dict) -> float:
    """Training FLOPs from the tokens the stage processed, with N parameters: a forward costs 2N per token, a
    trained token 6N (full) or 4N (LoRA: no weight gradients for frozen weights). DPO adds the reference's forward;
    PPO counts per rollout token generation, four scoring forwards (actor, reference, critic, reward) and
    ``ppo_epochs`` updates of actor and critic; pair collection a policy forward per generated token and the
    reward model's."""
    cfg = summary.get("config", {})
    n = cfg.get("actor_total_params") or cfg.get("total_params") or 0
    train = 4 if cfg.get("lora_rank", 0) > 0 else 6
    kind = stage_kind(stage)  # an on-policy round or a critic-free RLHF run costs what its kind does
    critic = cfg.get("advantage_estimator", "gae") == "gae"  # the critic-free estimators score and train 1 fewer
    per_token = {"sft": train, "rm": train, "dpo": train + 2, "pairs": 2 + 2,
                 "ppo": 2 + (3 + critic) * 2 + cfg.get("ppo_epochs", 1) * (1 + critic) * train}[kind]
    return per_token * n * summary.get("tokens_seen", 0)


def stage_row(stage: str, run: dict) -> dict:
    """A training stage's cost. ``wall_time_s`` is the whole process (start-up, model loading, training,
    evaluation, export) as the pipeline timed it, ``loop_s`` the training run's own clock."""
    s = run["summary"]
    cfg = s.get("config", {})
    return {"stage": stage, "wall_time_s": run.get("process_s") or s.get("wall_time_s", 0.0),
            "loop_s": s.get("wall_time_s", 0.0), "peak_rss_mb": s.get("peak_rss_mb", 0.0),
            "peak_gpu_mb": s.get("peak_gpu_mb"), "tokens": s.get("tokens_seen", 0),
            "flops": flops_estimate(stage, s), "models": int(cfg.get("models_in_memory", 1)),
            "trainable": cfg.get("actor_trainable_params") or cfg.get("trainable_params") or 0,
            "artifact_mb": run["artifact_mb"]}


def spread(values: list, sems: list) -> tuple:
    """Mean and its uncertainty: the standard deviation over seeds where there are several, otherwise the
    within-run standard error; and which of the two it is."""
    values = [v for v in values if v is not None]
    if not values:
        return None, None, ""
    mean = sum(values) / len(values)
    if len(values) > 1:
        return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1)), "sd over seeds"
    sem = sems[0] if sems and sems[0] is not None else None
    return mean, sem, "standard error" if sem is not None else ""


def quality(seeds: dict, system: str, key: str) -> tuple:
    values = [s["eval"][system]["metrics"].get(key) for s in seeds.values() if system in s["eval"]]
    sems = [s["eval"][system]["metrics"].get(key + "_sem") for s in seeds.values() if system in s["eval"]]
    return spread(values, sems)


def route_cost(seeds: dict, system: str) -> dict:
    """Training cost of a route summed over its stages (the median over seeds: one run slowed by a busy machine
    does not move it); peak memory is the largest stage's."""
    per_seed = []
    for s in seeds.values():
        rows = [stage_row(st, s["train"][st]) for st in route(system) if st in s["train"]]
        if len(rows) == len(route(system)):
            per_seed.append({"wall_time_s": sum(r["wall_time_s"] for r in rows),
                             "peak_rss_mb": max(r["peak_rss_mb"] for r in rows),
                             "flops": sum(r["flops"] for r in rows), "models": max(r["models"] for r in rows),
                             "artifact_mb": sum(r["artifact_mb"] for r in rows)})
    if not per_seed:
        return {}
    return {k: statistics.median(p[k] for p in per_seed) for k in per_seed[0]}


def stage_costs(seeds: dict) -> list:
    """Each training stage's cost row, every number the median over the seeds that ran the stage."""
    out = []
    for stage in next(iter(seeds.values()))["train"]:
        rows = [stage_row(stage, s["train"][stage]) for s in seeds.values() if stage in s["train"]]
        out.append({k: (statistics.median(r[k] for r in rows) if isinstance(v, (int, float)) else v)
                    for k, v in rows[0].items()} | {"seeds": len(rows)})
    return out


def stage_kind(stage: str) -> str:
    """sft, rm, ppo (every RLHF estimator), dpo or pairs (on-policy rounds count as their kind)."""
    return "ppo" if stage.startswith("ppo") else stage.partition("-r")[0]
