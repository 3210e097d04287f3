"""The RLHF-vs-DPO comparison: ``report.md`` and PNG plots from a pipeline's runs (``launch/compare.py``).

It reads only files: each training run's ``run_summary.json`` and ``metrics.jsonl``, each evaluation's
``metrics.json`` and ``samples.jsonl``, and ``pipeline.json`` (the layout in ``easyds/pipeline.py``). Differences
are judged against their standard errors, so a small-sample difference is called small.
"""
import math
import os
import statistics

from .plots import plot_cost, plot_curves, plot_quality
from .results import ONPOLICY, _json, _order, load_runs, quality, route_cost, spread, stage_costs, system_label
from .rubric import CRITERIA
from .study import study_section

QUALITY = (  # (metrics.json key, label, higher is better?)
    ("rubric/total", "rubric total (0–1)", True),
    ("rubric/coherence", "finished and coherent (rubric)", True),
    ("rubric/not_revealing", "does not reveal the answer (rubric)", True),
    ("reward/score", "reward-model score", True),
    ("win_rate/rm", "win rate vs SFT, reward model", True),
    ("win_rate/rubric", "win rate vs SFT, rubric", True),
    ("kl/to_reference", "KL to SFT (nats per response)", None),
    ("fluency/ppl_base", "perplexity under the base model", None),
    ("diversity/distinct_2", "distinct-2", None),
    ("length/tokens", "length (tokens)", None),
    ("length/eos_rate", "ends with end-of-turn", True),
    ("generation/tokens_per_s", "generation tokens/s (one process)", None),
)


def judge(name: str, diff: float, se: float, n: int, unit: str = "") -> str:
    """One honest sentence about a difference and its standard error."""
    if abs(diff) < 1e-9:
        return f"{name}: no difference (n = {n})."
    if se is None or se < 1e-9:
        return f"{name}: {diff:+.3f}{unit} (no spread to judge it against; n = {n})."
    z = abs(diff) / se
    if z < 2:
        verdict = "a small difference, within sampling noise"
    elif z < 4:
        verdict = "larger than twice its standard error, but from a small sample"
    else:
        verdict = "a clear difference on this sample"
    return f"{name}: {diff:+.3f}{unit} ± {se:.3f} (n = {n}) — {verdict}."


RLHF_LOG = (("ppo/score_mean", "score", 2), ("ppo/score_ended_mean", "score (ended)", 2), ("ppo/kl", "KL", 2),
            ("ppo/response_length", "length", 1), ("ppo/eos_rate", "ended", 2), ("ppo/entropy", "entropy", 2),
            ("ppo/explained_variance", "expl. var.", 2), ("ppo/value_at_end_mean", "V at end", 2),
            ("ppo/clipfrac", "clipfrac", 3))


def rlhf_log(first: dict, systems: list) -> list:
    """Each RLHF run's iterations (first seed), the logs that explain its score: length, end-of-turn rate, KL,
    explained variance; and the warnings the run printed."""
    out = []
    for s in systems:
        run = first["train"].get(s)
        if not s.startswith("ppo") or not run:
            continue
        rows = [m for m in run["metrics"] if "ppo/kl" in m]
        keys = [k for k in RLHF_LOG if any(k[0] in m for m in rows)]
        cfg = run["summary"].get("config", {})
        out += [f"### {system_label(s)}: iterations", "",
                f"Advantages `{cfg.get('advantage_estimator', 'gae')}`, {cfg.get('rollout_batch_size')} prompts × "
                f"{cfg.get('samples_per_prompt', 1)} samples an iteration, rollouts of up to "
                f"{cfg.get('max_new_tokens')} tokens, β {cfg.get('init_kl_coef')} ({cfg.get('kl_ctl')}, KL as a "
                f"{cfg.get('kl_penalty', 'reward')}), {cfg.get('critic_warmup_steps', 0)} critic warm-up "
                "iteration(s). The score includes the missing-end-of-turn penalty; \"score (ended)\" is the "
                "judge's score among the responses that ended.", "",
                "| iteration | " + " | ".join(label for _, label, _ in keys) + " |", "|---" * (len(keys) + 1) + "|"]
        for m in rows:
            out.append(f"| {m['step']}{' (warm-up)' if m.get('ppo/critic_warmup') else ''} | " + " | ".join(
                f"{m[k]:.{d}f}" if k in m else "—" for k, _, d in keys) + " |")
        warnings = run["summary"].get("warnings") or []
        out += [""] + [f"- warning, iteration {w['iteration']}: {w['warning']}" for w in warnings] + [""]
    return out


# --- the report ---------------------------------------------------------------------------------------------------
def judges_section(first: dict) -> list:
    """How far the judges can be trusted: each judge's agreement with the labelled held-out pairs, per failure type
    (first seed; ``launch/validate_judges.py``)."""
    judges = first.get("judges") or []
    if not judges:
        return []
    types = sorted({t for j in judges for t in j["by_type"]})
    pct = lambda t: "—" if t.get("agreement") is None else f"{t['agreement']:.0%}" + (  # noqa: E731
        f" ({t['tie']} ties)" if t.get("tie") else "")
    files = ", ".join(os.path.basename(f) for f in judges[0].get("files", []))
    names = ["reward model" if j["judge"].startswith("reward model") else j["judge"] for j in judges]
    out = ["## How far to trust the judges", "",
           f"Agreement of each judge with the labelled held-out pairs ({files}): the share of pairs where it scores "
           "the chosen response above the rejected one (a tie counts as a miss). The rubric's verdicts rest on "
           "section 2 of `data/easyds/ANNOTATION.md`; the reward model is the one PPO optimised and the evaluations "
           "score with, so its column says how much its scores and win rates can carry.", "",
           "| failure type | pairs | " + " | ".join(names) + " |", "|---" * (len(judges) + 2) + "|"]
    for t in types:
        out.append(f"| {t} | {judges[0]['by_type'].get(t, {}).get('pairs', 0)} | "
                   + " | ".join(pct(j["by_type"].get(t, {})) for j in judges) + " |")
    out.append(f"| **all** | {judges[0]['pairs']} | " + " | ".join(f"**{pct(j)}**" for j in judges) + " |")
    return out + [""]


def _fmt(mean, err=None, digits=3):
    if mean is None:
        return "—"
    return f"{mean:.{digits}f}" + (f" ± {err:.{digits}f}" if err else "")


def _mb(x):
    if x >= 1024:
        return f"{x / 1024:.2f} GiB"
    return f"{x:.0f} MiB" if x >= 10 else f"{x:.1f} MiB" if x >= 1 else f"{x * 1024:.0f} KiB"


def write_report(run_dir: str, output_dir: str = None) -> str:
    """Write ``report.md`` and ``plots/*.png`` for the pipeline output ``run_dir``; return the report's path."""
    output_dir = output_dir or run_dir
    plots = os.path.join(output_dir, "plots")
    os.makedirs(plots, exist_ok=True)
    seeds = load_runs(run_dir)
    pipeline = _json(os.path.join(run_dir, "pipeline.json")) or {}
    systems = sorted({s for x in seeds.values() for s in x["eval"]}, key=_order)
    first = next(iter(seeds.values()))
    rows = stage_costs(seeds)
    costs = {s: route_cost(seeds, s) for s in systems}
    out = (header(seeds, systems, pipeline) + headline_section(seeds, systems, costs)
           + study_section(run_dir, seeds, systems, pipeline, lambda s: s.upper(), plots)
           + findings_section(seeds, systems, costs) + pairs_section(first, run_dir) + cost_section(rows, pipeline)
           + judges_section(first) + criteria_section(seeds, systems)
           + ["", "## Training curves", "", "![curves](plots/curves.png)", ""] + rlhf_log(first, systems)
           + samples_section(first, systems))
    plot_cost(rows, os.path.join(plots, "cost.png"))
    plot_quality(seeds, systems, os.path.join(plots, "quality.png"))
    plot_curves(seeds, os.path.join(plots, "curves.png"))
    path = os.path.join(output_dir, "report.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return path


def n_prompts(seeds: dict, systems: list) -> dict:
    first = next(iter(seeds.values()))
    return {s: first["eval"][s]["metrics"]["n"] for s in systems if s in first["eval"]}


def header(seeds: dict, systems: list, pipeline: dict) -> list:
    first = next(iter(seeds.values()))
    n = n_prompts(seeds, systems)
    model = pipeline.get("model") or first["train"].get("sft", {}).get("summary", {}).get("config", {}).get(
        "model_name_or_path", "?")
    out = ["# EasyDS teaching prompts: RLHF (PPO) vs DPO", "",
           f"Base model `{model}`, preset `{pipeline.get('preset', '?')}`, data language "
           f"`{pipeline.get('lang', '?')}`, seeds {', '.join(seeds)}. Quality is measured on "
           f"{max(n.values()) if n else 0} held-out situations (exercises never seen in training), "
           "greedy decoding. Uncertainties are the standard error over prompts with one seed and the standard "
           "deviation over seeds with several.", ""]
    if pipeline.get("stages_wall_time_s"):
        machine = pipeline.get("machine")
        at = (f" on {machine['device']} ({machine['threads']} threads) at a float32 matmul peak of "
              f"{machine['matmul_peak_gflops']:.0f} GFLOP/s, measured when the pipeline last started") if machine else ""
        out += [f"Whole pipeline (all stages, evaluations included): {pipeline['stages_wall_time_s']:.0f} s{at}.", ""]
    return out


def headline_section(seeds: dict, systems: list, costs: dict) -> list:
    out = ["## Headline", "", "| | " + " | ".join(system_label(s) for s in systems) + " |",
            "|---" * (len(systems) + 1) + "|"]
    for key, label, _ in QUALITY:
        cells = []
        for s in systems:
            mean, err, _ = quality(seeds, s, key)
            cells.append("—" if (s == "sft" and key.startswith(("win_rate", "kl/"))) else _fmt(mean, err, 2 if
                         key in ("fluency/ppl_base", "length/tokens", "generation/tokens_per_s") else 3))
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    # Held-out accuracy of the model each system's last stage trained: the reward model for PPO, the implicit
    # reward of each DPO model (on the offline held-out pairs, also for the on-policy rounds).
    for key, label, stage_of in (("eval/accuracy", "reward-model held-out accuracy",
                                  {s: "rm" for s in systems if s.startswith("ppo")}),
                                 ("eval/rewards_accuracy", "DPO held-out reward accuracy",
                                  {s: s for s in systems if s.startswith("dpo")})):
        cells = []
        for s in systems:
            vals = [x["train"][stage_of[s]]["summary"]["final_metrics"].get(key) for x in seeds.values()
                    if s in stage_of and stage_of[s] in x["train"]]
            cells.append(_fmt(*spread(vals, [])[:2]) if vals else "")
        if any(cells):
            out.append(f"| {label} | " + " | ".join(cells) + " |")
    for key, label, fmt in (("wall_time_s", "training wall time of the route (processes)", lambda v: f"{v:.0f} s"),
                            ("peak_rss_mb", "peak memory of the route (largest stage)", _mb),
                            ("flops", "estimated training FLOPs of the route", lambda v: f"{v:.2e}"),
                            ("models", "models in memory while training", lambda v: f"{v:.0f}"),
                            ("artifact_mb", "files written (final/ of every stage)", _mb)):
        out.append(f"| {label} | " + " | ".join(fmt(costs[s][key]) if costs[s] else "—" for s in systems) + " |")
    out += ["", "![quality](plots/quality.png)", ""]
    return out


def findings_section(seeds: dict, systems: list, costs: dict) -> list:
    """Each difference from SFT (and of on-policy rounds from offline DPO) judged against its standard error, win
    rates, cut responses, and the cost ratio of the routes."""
    n = n_prompts(seeds, systems)
    out = ["## What the numbers say", ""]

    def differences(system: str, baseline: str, baseline_name: str) -> list:
        """The rubric and RM-score differences of ``system`` from ``baseline``, each judged against its SE."""
        lines = []
        for key, label in (("rubric/total", "rubric total"), ("reward/score", "reward-model score")):
            a, a_err, _ = quality(seeds, system, key)
            b, b_err, _ = quality(seeds, baseline, key)
            if a is not None and b is not None:
                se = math.sqrt((a_err or 0) ** 2 + (b_err or 0) ** 2)
                lines.append("- " + judge(f"{system.upper()} − {baseline_name}, {label}", a - b, se,
                                          n.get(system, 0)))
        return lines

    for s in systems:
        if s == "sft" or "sft" not in systems:
            continue
        out += differences(s, "sft", "SFT")
        for key, judge_name in (("win_rate/rm", "the reward model"), ("win_rate/rubric", "the rubric")):
            mean, err, _ = quality(seeds, s, key)
            if mean is None:
                continue
            if abs(mean - 0.5) < 2 * (err or 0):
                verdict = "not distinguishable from a coin flip at this sample size"
            else:
                verdict = f"{'above' if mean > 0.5 else 'below'} one half by more than twice its standard error"
            out.append(f"- {s.upper()} beats SFT on {mean:.0%} of prompts by {judge_name} (ties count a half) — "
                       f"{verdict}.")
    for s in systems:
        if ONPOLICY.match(s) and "dpo" in systems:
            out += differences(s, "dpo", "offline DPO")
    for s in systems:
        eos, _, _ = quality(seeds, s, "length/eos_rate")
        if eos is not None and eos < 0.8:
            out.append(f"- Only {eos:.0%} of {s.upper()}'s responses ended within the evaluation's token limit; the "
                       "others are scored as cut.")
    if costs.get("ppo") and costs.get("dpo"):
        p, d = costs["ppo"], costs["dpo"]
        out.append(f"- Training cost: the RLHF route took {p['wall_time_s'] / max(d['wall_time_s'], 1e-9):.1f}× the "
                   f"DPO route's wall time ({p['wall_time_s']:.0f} s vs {d['wall_time_s']:.0f} s), held up to "
                   f"{p['models']:.0f} models in memory against DPO's {d['models']:.0f}, and peaked at "
                   f"{_mb(p['peak_rss_mb'])} vs {_mb(d['peak_rss_mb'])}.")
    out += ["- The reward-model score is given by the reward model PPO optimised, which can favour PPO (or expose "
            "it exploiting that model); the rubric and the win rate by rubric do not depend on it.",
            "- Deployment is the same for both routes: one LoRA adapter on top of the SFT adapter (or one merged "
            "model); nothing of the critic, reward or reference model ships.", ""]
    return out


def pairs_section(first: dict, run_dir: str) -> list:
    """The on-policy rounds' collected pairs and what quality control did to them (first seed)."""
    if not first["pairs"]:
        return []
    out = ["## On-policy DPO: the collected pairs", "",
           "Each round samples responses from the policy of the round before (SFT for round 1), judges them "
           "with the reward model and the rubric, and keeps the best against the worst response of a prompt "
           "after quality control (`launch/collect_pairs.py`; first seed).", "",
           "| round | policy | prompts | samples | malformed set aside | exact / near duplicates | "
           "< 2 candidates | under the margin | dropped: judges disagree / length | pairs kept | judge agreement "
           "| chosen longer | mean margin |", "|---" * 13 + "|"]
    for stage, r in first["pairs"].items():
        if not r:
            continue
        a = r.get("judge_agreement") or {}
        agreement = f"{a['agreement_rate']:.0%} of {a['compared']}" if a.get("compared") else "—"
        policy = os.path.relpath(r["policy"], run_dir) if os.path.isabs(r["policy"]) else r["policy"]
        out.append(
            f"| {stage.partition('-r')[2]} | `{policy}` "
            f"| {r['prompts']} | {r['sampled']} | {sum(r['malformed'].values())} | {r['exact_duplicates']} / "
            f"{r['near_duplicates']} | {r['too_few_candidates']} | {r['low_margin']} | "
            f"{r['dropped_disagreement']} / {r['dropped_for_length']} | {r['kept']} | {agreement} | "
            + (f"{r['chosen_longer_share']:.0%}" if r["chosen_longer_share"] is not None else "—") + " | "
            + (f"{r['mean_margin']:.2f}" if r["mean_margin"] is not None else "—") + " |")
    judges = sorted({r["judge"] for r in first["pairs"].values() if r})
    out += ["", f"Judge: `{', '.join(judges)}` (reward-model score normalised to std 1, rubric total in 0–1); "
            "agreement is over pairs where both judges prefer one response.", ""]
    return out


def cost_section(rows: list, pipeline: dict) -> list:
    """Each training stage's cost (medians over seeds) and the evaluations' time."""
    out = ["## Cost per stage", "", "![cost](plots/cost.png)", "",
            "| stage | wall time (process) | training run | peak memory | tokens processed | est. FLOPs | models in "
            "memory | trainable parameters | final/ size |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['stage']} | {r['wall_time_s']:.0f} s | {r['loop_s']:.0f} s | {_mb(r['peak_rss_mb'])}"
                   + (f" (GPU {_mb(r['peak_gpu_mb'])})" if r.get("peak_gpu_mb") else "")
                   + f" | {r['tokens']:,} | {r['flops']:.2e} | {r['models']} | {r['trainable'] / 1e6:.2f}M | "
                   f"{_mb(r['artifact_mb'])} |")
    evals = {}  # an evaluation stage's seconds over the seeds that ran it
    for st in pipeline.get("stages", []):
        if st["name"].startswith(("eval/", "curve/")) and st.get("status") == "done":
            evals.setdefault(st["name"], []).append(st["seconds"])
    if evals:
        out.append("")
        several = max(len(t) for t in evals.values()) > 1
        out.append("Evaluation time" + (" (median over seeds)" if several else "") + ": "
                   + ", ".join(f"{name} {statistics.median(t):.0f} s" for name, t in evals.items()) + ".")
    out += ["", ("Every number is the median over the seeds (a run slowed by a busy machine does not move it). "
                 if max(r["seeds"] for r in rows) > 1 else "") + "The process time includes start-up, model loading, the stage's own held-out evaluation and the "
            "export; the training run's time is the run's own clock (run_summary.json). PPO with "
            "`--ref_mode adapter_disabled` holds actor, critic and reward model: the reference is the actor with "
            "its adapter switched off.", "",
            "FLOPs are estimated from the tokens each stage processed: a forward pass costs 2N per token, a "
            "trained token 4N with LoRA (no weight gradients for frozen weights) or 6N in full; DPO adds the "
            "reference's forward; PPO counts generation, four scoring forwards and its update epochs of actor and "
            "critic per rollout token.", ""]
    return out


def criteria_section(seeds: dict, systems: list) -> list:
    out = ["## Rubric by criterion", "", "Share of responses that pass each criterion of "
            "`data/easyds/ANNOTATION.md`.", "", "| criterion | " + " | ".join(s.upper() for s in systems) + " |",
            "|---" * (len(systems) + 1) + "|"]
    for c in CRITERIA:
        out.append(f"| {c} | " + " | ".join(_fmt(quality(seeds, s, f'rubric/{c}')[0], digits=2) for s in systems)
                   + " |")
    return out


def samples_section(first: dict, systems: list) -> list:
    """The first held-out situations with every system's response and its scores (first seed)."""
    out = ["## Samples side by side", "", "The same held-out situations, first seed, greedy decoding.", ""]
    by_key = {s: {(x.get("id") or x["prompt"]): x for x in first["eval"][s]["samples"]} for s in systems
              if s in first["eval"]}
    keys = [k for k in by_key.get("sft", {})][:3] if "sft" in by_key else []
    for k in keys:
        prompt = by_key["sft"][k]["prompt"]
        out += ["**Situation**", "", "> " + prompt.replace("\n", "  \n> "), ""]
        for s in systems:
            x = by_key.get(s, {}).get(k)
            if x:
                score = f"rubric {x['rubric_total']:.2f}" + (f", RM {x['rm_score']:.2f}" if x.get("rm_score")
                                                              is not None else "")
                out.append(f"- **{s.upper()}** ({score}): {x['response']}")
        out.append("")
    return out
