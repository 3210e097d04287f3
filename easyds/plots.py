"""Every plot of the report, as PNG: cost per stage, quality by criterion, training curves, the Pareto plot of
quality against KL to SFT, and the over-optimisation curves. One colour a system across plots (``COLORS``)."""
from .results import quality, stage_kind
from .rubric import CRITERIA

COLORS = {"sft": "C0", "ppo": "C1", "dpo": "C2"}  # one colour a system in every plot; others take the next ones


def _color(system: str, order: list) -> str:
    return COLORS.get(system) or f"C{3 + order.index(system) % 7}"


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_cost(rows: list, path: str):
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    names = [r["stage"] for r in rows]
    colors = {"sft": "#888888", "rm": "#d62728", "ppo": "#d62728", "dpo": "#1f77b4", "pairs": "#17becf"}
    for ax, key, label in ((axes[0], "wall_time_s", "training wall time (s)"),
                           (axes[1], "peak_rss_mb", "peak memory (MiB, RSS)")):
        ax.bar(names, [r[key] for r in rows], color=[colors[stage_kind(n)] for n in names])
        ax.tick_params(axis="x", labelsize=8)
        ax.set_title(label)
        for i, r in enumerate(rows):
            ax.text(i, r[key], f"{r[key]:.0f}", ha="center", va="bottom", fontsize=8)
    fig.suptitle("cost per stage (red: RLHF only, blue: DPO only, cyan: pair collection, grey: shared SFT)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_quality(seeds: dict, systems: list, path: str):
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [3, 1]})
    keys = [f"rubric/{c}" for c in CRITERIA] + ["rubric/total"]
    width = 0.8 / len(systems)
    for j, system in enumerate(systems):
        means = [quality(seeds, system, k)[0] or 0.0 for k in keys]
        axes[0].bar([i + j * width for i in range(len(keys))], means, width, label=system.upper())
    axes[0].set_xticks([i + width * (len(systems) - 1) / 2 for i in range(len(keys))])
    axes[0].set_xticklabels([k.split("/")[1] for k in keys], rotation=30, ha="right", fontsize=8)
    axes[0].set_ylim(0, 1.05)
    axes[0].set_title("rubric criteria (share of responses that pass)")
    axes[0].legend(fontsize=8)
    for j, system in enumerate(systems):
        mean, err, _ = quality(seeds, system, "reward/score")
        if mean is not None:
            axes[1].bar(j, mean, yerr=err or 0.0, capsize=4)
    axes[1].set_xticks(range(len(systems)))
    axes[1].set_xticklabels([s.upper() for s in systems])
    axes[1].set_title("reward-model score")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


CURVES = (("sft", "eval/loss", "SFT held-out loss"), ("rm", "eval/accuracy", "RM held-out accuracy"),
          ("ppo", "ppo/score_mean", "PPO reward-model score"), ("ppo", "ppo/kl", "PPO KL to SFT (nats)"),
          ("dpo", "train/rewards_margin", "DPO reward margin (train)"),
          ("dpo", "eval/rewards_accuracy", "DPO held-out reward accuracy"))


def plot_curves(seeds: dict, path: str):
    plt = _plt()
    fig, axes = plt.subplots(2, 3, figsize=(12, 6))
    for ax, (stage, key, title) in zip(axes.flat, CURVES):
        for seed, s in seeds.items():
            points = [(m["step"], m[key]) for m in s["train"].get(stage, {}).get("metrics", []) if key in m]
            if points:
                ax.plot(*zip(*points), marker="o", markersize=3, label=f"seed {seed}")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("step")
        if len(seeds) > 1:
            ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


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
