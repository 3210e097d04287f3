"""The study's statistics and plots: paired bootstrap intervals for every difference between systems, the verdict
written from them, the Pareto plot of quality against KL to SFT and the over-optimisation curves.

A difference between two systems is the mean over held-out prompts (and seeds) of their per-prompt scores' difference,
paired by prompt id within a seed. Its interval is a hierarchical percentile bootstrap: seeds resampled with
replacement (when there are several), then prompts within each drawn seed, so it carries both the seed-to-seed and
the prompt-to-prompt variation. The verdict says "X beats Y on J by d [lo, hi]" only when the interval excludes 0,
and "no difference detectable at this budget" otherwise. Reads only what ``easyds/report.py`` loads.
"""
import json
import os
import random

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


COLORS = {"sft": "C0", "ppo": "C1", "dpo": "C2"}  # one colour a system in every plot; others take the next ones


def _color(system: str, order: list) -> str:
    return COLORS.get(system) or f"C{3 + order.index(system) % 7}"


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_pareto(seeds: dict, systems: list, label, path: str):
    """Quality (rubric, reward model) against KL to SFT: one point per system and seed, the system's mean ringed,
    and the Pareto front of the means (no other system has both less KL and more quality)."""
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, (key, name) in zip(axes, (("rubric/total", "rubric total"), ("reward/score", "reward-model score"))):
        means = []
        for system in systems:
            pts = [(s["eval"][system]["metrics"].get("kl/to_reference") or 0.0, s["eval"][system]["metrics"].get(key))
                   for s in seeds.values() if system in s["eval"]]
            pts = [p for p in pts if p[1] is not None]
            if not pts:
                continue
            color = _color(system, systems)
            ax.scatter(*zip(*pts), color=color, alpha=0.45, s=22)
            m = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
            ax.scatter(*m, color=color, s=90, edgecolors="black", label=label(system), zorder=3)
            means.append(m)
        front = sorted(m for m in means if not any(o[0] <= m[0] and o[1] >= m[1] and o != m for o in means))
        if len(front) > 1:
            ax.plot(*zip(*front), "k--", linewidth=1, label="Pareto front")
        ax.set_xlabel("KL to SFT (nats per response)")
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle("Quality against distance from SFT (each small dot a seed)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_overoptimisation(curve_data: dict, label, path: str):
    """Per route and seed, its snapshots along training placed by their KL to SFT (as in Gao et al. 2023's
    over-optimisation plots): the reward model PPO was trained against (proxy) and the rubric (independent), both on
    held-out prompts. Over-optimisation shows as the proxy still rising where the independent judge falls."""
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, (key, name) in zip(axes, (("reward/score", "reward-model score (proxy)"),
                                      ("rubric/total", "rubric total (independent)"))):
        for system, by_seed in sorted(curve_data.items()):
            for j, points in enumerate(by_seed.values()):
                pts = [(p["metrics"].get("kl/to_reference"), p["metrics"].get(key)) for p in points]
                pts = [p for p in pts if None not in p]
                if pts:
                    ax.plot(*zip(*pts), color=_color(system, sorted(curve_data)), marker="o", markersize=4, alpha=0.7,
                            label=label(system) if j == 0 else None)
        ax.set_xlabel("KL to SFT (nats per response), snapshots along training")
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle("Over-optimisation: the proxy a route optimised vs the independent judge (held-out prompts, "
                 "one line a seed)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def study_section(run_dir: str, seeds: dict, systems: list, pipeline: dict, label, plots: str) -> list:
    """The report's verdict section: matched compute, the verdict table, which judge each claim rests on, and the
    Pareto and over-optimisation plots."""
    out = ["## Verdict", ""]
    matched = pipeline.get("matched_compute") or {}
    if matched:
        m = next(iter(matched.values()))
        out += [f"Matched compute: the DPO route was given {m['dpo_steps']} steps, an estimated "
                f"{m['dpo_flops']:.2e} training FLOPs against the RLHF route's {m['rlhf_flops']:.2e} (reward model "
                "+ PPO; the shared SFT left out), first seed.", ""]
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
