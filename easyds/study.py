"""The study's statistics: paired bootstrap intervals for every difference between systems, the verdict written from
them, and the report's verdict section with the Pareto and over-optimisation plots (``plots.py``).

A difference between two systems is the mean over held-out prompts (and seeds) of their per-prompt scores' difference,
paired by prompt id within a seed. Its interval is a hierarchical percentile bootstrap: seeds resampled with
replacement (when there are several), then prompts within each drawn seed, so it carries both the seed-to-seed and
the prompt-to-prompt variation. The verdict says "X beats Y on J by d [lo, hi]" only when the interval excludes 0,
and "no difference detectable at this budget" otherwise. Reads only what ``easyds/report.py`` loads.
"""
import json
import os
import random

from .plots import plot_overoptimisation, plot_pareto

# (sample field, judge name, what the claim rests on)
JUDGES = (("rubric_total", "rubric", "the rule rubric (data/easyds/ANNOTATION.md), independent of every trained model"),
          ("rm_score", "reward model", "the reward model PPO was trained against: a proxy that favours PPO"))
LEVEL = 0.95


def paired(seeds: dict, a: str, b: str, field: str) -> list:
    """Per seed, the list of per-prompt differences ``a - b`` of ``field`` (prompts both systems answered)."""
    out = []
    for s in seeds.values():
        if a not in s["eval"] or b not in s["eval"]:
            continue
        theirs = {x.get("id") or x["prompt"]: x.get(field) for x in s["eval"][b]["samples"]}
        diffs = [x[field] - theirs[k] for x in s["eval"][a]["samples"]
                 if x.get(field) is not None and theirs.get(k := x.get("id") or x["prompt"]) is not None]
        if diffs:
            out.append(diffs)
    return out


def bootstrap(groups: list, resamples: int = 2000, seed: int = 0) -> tuple:
    """``(mean, lo, hi, n)``: the mean of all differences and its percentile interval at ``LEVEL`` from the
    hierarchical bootstrap (groups = seeds, resampled when there are several; items within each)."""
    values = [v for g in groups for v in g]
    if not values:
        return None, None, None, 0
    rng = random.Random(seed)
    means = []
    for _ in range(resamples):
        drawn = [rng.choice(groups) for _ in groups] if len(groups) > 1 else groups
        total = count = 0
        for g in drawn:
            for _ in g:
                total += g[rng.randrange(len(g))]
            count += len(g)
        means.append(total / count)
    means.sort()
    tail = (1 - LEVEL) / 2
    return (sum(values) / len(values), means[int(tail * resamples)], means[min(resamples - 1, int((1 - tail) *
                                                                                                    resamples))],
            len(values))


def verdict(a: str, b: str, judge: str, mean, lo, hi) -> str:
    if mean is None:
        return f"{a} vs {b} on {judge}: not measured"
    if lo > 0:
        return f"{a} beats {b} on {judge} by {mean:+.3f} [{lo:+.3f}, {hi:+.3f}]"
    if hi < 0:
        return f"{b} beats {a} on {judge} by {-mean:+.3f} [{-hi:+.3f}, {-lo:+.3f}]"
    return f"{a} vs {b} on {judge}: no difference detectable at this budget ({mean:+.3f} [{lo:+.3f}, {hi:+.3f}])"


def comparisons(systems: list) -> list:
    """The pairs worth a verdict: each trained route against SFT, and the RLHF routes against DPO."""
    trained = [s for s in systems if s != "sft"]
    pairs = [(s, "sft") for s in trained if "sft" in systems]
    pairs += [(s, "dpo") for s in trained if s.startswith("ppo") and "dpo" in systems]
    return pairs


def verdict_table(seeds: dict, systems: list, label) -> list:
    """Markdown lines: one row per (comparison, judge) with the difference, its interval and the verdict."""
    rows = ["| comparison | judge | difference [95% interval] | n (prompts × seeds) | verdict |",
            "|---|---|---|---|---|"]
    for a, b in comparisons(systems):
        for field, judge, _ in JUDGES:
            mean, lo, hi, n = bootstrap(paired(seeds, a, b, field))
            if mean is None:
                continue
            text = verdict(label(a), label(b), judge, mean, lo, hi)
            short = text.split(": ", 1)[1] if ": " in text else text
            rows.append(f"| {label(a)} − {label(b)} | {judge} | {mean:+.3f} [{lo:+.3f}, {hi:+.3f}] | {n} | "
                        f"{short} |")
    return rows


def curves(run_dir: str) -> dict:
    """``{system: {seed: [{"step", "metrics"}, ...]}}`` from every ``seed-*/curves/<system>/curve.json``."""
    out = {}
    for seed_dir in sorted(os.listdir(run_dir)):
        root = os.path.join(run_dir, seed_dir, "curves")
        if not seed_dir.startswith("seed-") or not os.path.isdir(root):
            continue
        for system in sorted(os.listdir(root)):
            path = os.path.join(root, system, "curve.json")
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    out.setdefault(system, {})[seed_dir[len("seed-"):]] = json.load(f)
    return out


def study_section(run_dir: str, seeds: dict, systems: list, pipeline: dict, label, plots: str) -> list:
    """The report's verdict section: matched compute, the verdict table, which judge each claim rests on, and the
    Pareto and over-optimisation plots."""
    out = ["## Verdict", ""]
    matched = pipeline.get("matched_compute") or {}
    if matched:
        per_seed = "; ".join(f"{seed}: {m['dpo_steps']} steps, {m['dpo_flops']:.2e} against {m['rlhf_flops']:.2e}"
                             for seed, m in matched.items())
        out += ["Matched compute: each seed's DPO route was given the steps whose estimated training FLOPs equal its "
                f"RLHF route's (reward model + PPO; the shared SFT left out): {per_seed}.", ""]
    out += [f"Each difference is the mean over held-out prompts{' and seeds' if len(seeds) > 1 else ''} of the "
            "per-prompt difference, with a 95% hierarchical bootstrap interval (seeds, then prompts within a seed). "
            "A route is said to beat another only where the interval excludes zero.", ""]
    out += verdict_table(seeds, systems, label)
    out += ["", "Which judge a claim rests on:"] + [f"- **{name}**: {why}." for _, name, why in JUDGES] + [""]
    plot_pareto(seeds, systems, label, os.path.join(plots, "pareto.png"))
    out += ["![pareto](plots/pareto.png)", ""]
    curve_data = curves(run_dir)
    if curve_data:
        plot_overoptimisation(curve_data, label, os.path.join(plots, "overoptimisation.png"))
        out += ["![over-optimisation](plots/overoptimisation.png)", "",
                "Each line is one seed's snapshots along training, placed by their KL to SFT. Over-optimisation "
                "shows as the proxy (left) still rising where the independent judge (right) flattens or falls.", ""]
    return out
