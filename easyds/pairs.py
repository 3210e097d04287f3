"""Preference pairs from a policy's own samples: collection and judging (``launch/collect_pairs.py``) and quality
control. The human-labelling sheet they go to is ``labels.py``.

Collection: for each prompt, K responses are sampled from the policy and each is scored by the judge: the reward
model, the rubric of ``data/easyds/ANNOTATION.md``, or both, combined as ``w_rm·rm + w_rubric·rubric`` (the
weights are written into every pair's ``judge`` field). Quality control, every step counted in
``pairs_report.json``, in this order per prompt:

1. malformed samples (empty text, broken characters, no end of turn within ``max_new_tokens``) are counted by
   kind and set aside, never paired; ``exclude`` names the kinds set aside (all by default), and samples of the
   other kinds are paired but still counted (``malformed_kept``);
2. exact duplicates (same text after case and whitespace folding) and near duplicates (Jaccard similarity of word
   3-grams, or character 3-grams for Chinese, at least ``near_duplicate``) of an earlier sample are removed; what
   is left are the prompt's ``candidates``;
3. a prompt left with fewer than two candidates gives no pair; otherwise its pair is the best against the worst
   candidate by the combined score, dropped when their margin is below ``min_margin``;
4. with both judges, a pair the reward model and the rubric order oppositely is a disagreement: counted (the
   agreement rate is over pairs where both judges have a strict preference) and dropped with
   ``drop_disagreements``;
5. length: the share of pairs whose chosen response is longer is reported; ``balance_length`` drops the
   lowest-margin pairs of the larger side (chosen longer, or chosen shorter) until the two sides are equal.
"""
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

import torch

from common.config import Arguments, _help, choice, to_dict
from common.data import read_jsonl, spread
from common.files import atomic_open
from common.generation import ended
from common.modeling import resolve_dtype
from common.tracking import Tracker

from .labels import sheet_edited, write_sheet
from .sampling import generate_rows, reward_scores
from .rubric import score_response
from .situations import SYSTEM_PROMPT, parse_prompt

JUDGES = ("rm", "rubric", "both")
HAN = re.compile(r"[\u4e00-\u9fff]")
MALFORMED = ("empty", "broken_text", "no_end_of_turn")


@dataclass
class CollectArguments(Arguments):
    prompt_file: Optional[str] = field(default=None, metadata=_help("JSONL of prompts (the PPO prompt format)."))
    output_dir: Optional[str] = field(default=None, metadata=_help("Where pairs.jsonl, the report and the sheet go."))
    prompt_column: str = field(default="prompt", metadata=_help("Key of the prompt in each JSONL object."))
    max_prompts: int = field(default=0, metadata=_help("Use N prompts spread evenly over the file (0 = all)."))
    num_samples: int = field(default=4, metadata=_help("Responses sampled per prompt (K)."))
    batch_size: int = field(default=4, metadata=_help("Prompts per generation batch (each with K rows)."))
    max_new_tokens: int = field(default=96, metadata=_help("Most tokens per response; a response cut there has no "
                                                           "end of turn and counts as malformed."))
    temperature: float = field(default=1.0, metadata=_help("Sampling temperature."))
    top_p: float = field(default=0.95, metadata=_help("Nucleus sampling threshold."))
    system_prompt: str = field(default=SYSTEM_PROMPT, metadata=_help("System message of the chat template."))
    max_source_length: int = field(default=256, metadata=_help("Most prompt tokens (chat template included)."))
    judge: str = choice("both", JUDGES, "rm: the reward model; rubric: ANNOTATION.md's; both: "
                                                          "combined as rm_weight*rm + rubric_weight*rubric.")
    reward_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("A reward model's final/ (for --judge rm or both).")
    )
    rm_weight: float = field(default=1.0, metadata=_help("Weight of the reward-model score (normalised: std 1)."))
    rubric_weight: float = field(default=2.0, metadata=_help("Weight of the rubric total (0-1, steps of 1/7)."))
    min_margin: float = field(default=0.25, metadata=_help("Drop pairs whose combined-score margin is below this."))
    near_duplicate: float = field(
        default=0.8, metadata=_help("Jaccard similarity of 3-gram shingles at which a response is a near duplicate.")
    )
    drop_disagreements: bool = field(
        default=False, metadata=_help("With --judge both, drop pairs the reward model and the rubric order "
                                      "oppositely (they are counted either way).")
    )
    balance_length: bool = field(
        default=False, metadata=_help("Drop the lowest-margin pairs of the larger side until chosen is longer in "
                                      "as many pairs as it is shorter.")
    )
    exclude_malformed: str = field(
        default="empty,broken_text,no_end_of_turn",
        metadata=_help("Kinds of malformed samples never paired: empty, broken_text (undecodable bytes), "
                       "no_end_of_turn (cut at --max_new_tokens). Every kind is counted either way.")
    )
    seed: int = field(default=42, metadata=_help("Seed of sampling."))

    def problems(self, groups) -> list:
        out = [] if self.output_dir else ["--output_dir is required"]
        if not self.prompt_file or not os.path.isfile(self.prompt_file):
            out.append(f"--prompt_file {self.prompt_file}: no such file")
        if self.judge != "rubric" and not self.reward_model_name_or_path:
            out.append(f"--judge {self.judge} needs --reward_model_name_or_path")
        if self.num_samples < 2 or self.batch_size < 1 or self.max_new_tokens < 1 or self.max_prompts < 0:
            out.append("--num_samples must be >= 2, --batch_size and --max_new_tokens >= 1, --max_prompts >= 0")
        if not 0 < self.top_p <= 1 or self.temperature <= 0:
            out.append("--top_p must be in (0, 1] and --temperature > 0")
        unknown = {k.strip() for k in self.exclude_malformed.split(",") if k.strip()} - set(MALFORMED)
        if unknown:
            out.append(f"--exclude_malformed: unknown kind(s) {', '.join(sorted(unknown))}; expected "
                       + ", ".join(MALFORMED))
        if (self.judge != "rubric" and self.rm_weight <= 0) or (self.judge != "rm" and self.rubric_weight <= 0):
            out.append("--rm_weight and --rubric_weight of the judges in use must be > 0")
        if self.drop_disagreements and self.judge != "both":
            out.append("--drop_disagreements needs --judge both (two judges to disagree)")
        if not 0 < self.near_duplicate <= 1 or self.min_margin < 0:
            out.append("--near_duplicate must be in (0, 1] and --min_margin >= 0")
        return out


# --- quality control (pure) -----------------------------------------------------------------------------------------
def malformed_kind(sample: dict):
    """What is wrong with a sample (``empty``, ``broken_text``: undecodable bytes, ``no_end_of_turn``: cut at
    ``max_new_tokens``), or None."""
    if not sample["text"].strip():
        return "empty"
    if "\ufffd" in sample["text"]:
        return "broken_text"
    if not sample["ended"]:
        return "no_end_of_turn"
    return None


def shingles(text: str, n: int = 3) -> set:
    """Word n-grams, or character n-grams for text that is mostly Chinese."""
    folded = " ".join(text.lower().split())
    if len(HAN.findall(folded)) > len(folded) / 3:
        chars = folded.replace(" ", "")
        return {chars[i:i + n] for i in range(max(1, len(chars) - n + 1))}
    words = folded.split()
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def dedupe(samples: list, near_duplicate: float) -> tuple:
    """``(kept, exact, near)``: samples that are neither an exact nor a near duplicate of an earlier kept one."""
    kept, seen, grams, exact, near = [], set(), [], 0, 0
    for s in samples:
        key = " ".join(s["text"].lower().split())
        if key in seen:
            exact += 1
            s["fate"] = "exact_duplicate"
            continue
        g = shingles(s["text"])
        if any(jaccard(g, other) >= near_duplicate for other in grams):
            near += 1
            s["fate"] = "near_duplicate"
            continue
        seen.add(key)
        grams.append(g)
        kept.append(s)
    return kept, exact, near


def combined_score(scores: dict, weights: dict) -> float:
    return sum(w * scores[k] for k, w in weights.items())


def judge_label(weights: dict) -> str:
    return " + ".join(f"{w:g}*{k}" for k, w in weights.items())


def pair_id(record: dict, index: int) -> str:
    """A prompt's id in pairs.jsonl and samples.jsonl: its record's ``id``, else its position in the prompt file."""
    return str(record.get("id", f"prompt-{index}"))


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def build_pairs(groups: list, weights: dict, min_margin: float = 0.0, near_duplicate: float = 0.8,
                drop_disagreements: bool = False, balance_length: bool = False, exclude: tuple = MALFORMED,
                source: str = "") -> tuple:
    """``(pairs, report)`` from ``groups``: one ``{"record": {"prompt", ...}, "samples": [{"text", "tokens",
    "ended", "scores": {judge: value}}]}`` per prompt. Sets each sample's ``fate``. See the module docstring.

    Long on purpose: the quality-control steps of the module docstring, in its order, over one prompt at a time,
    each step counting what it removes into the one report."""
    report, malformed, flagged = Counter(), Counter(), Counter()
    pairs = []
    for g in groups:
        report["prompts"] += 1
        report["sampled"] += len(g["samples"])
        valid = []
        for s in g["samples"]:
            kind = malformed_kind(s)
            if kind in exclude:
                malformed[kind] += 1
                s["fate"] = f"malformed:{kind}"
                continue
            if kind:
                flagged[kind] += 1  # malformed, but the caller chose to pair such samples
            valid.append(s)
        candidates, exact, near = dedupe(valid, near_duplicate)
        report["exact_duplicates"] += exact
        report["near_duplicates"] += near
        for s in candidates:
            s["score"] = combined_score(s["scores"], weights)
            s["fate"] = "candidate"
        report["candidates"] += len(candidates)
        if len(candidates) < 2:
            report["too_few_candidates"] += 1
            continue
        best = max(candidates, key=lambda s: s["score"])
        worst = min(candidates, key=lambda s: s["score"])
        margin = best["score"] - worst["score"]
        if margin < min_margin or best is worst:
            report["low_margin"] += 1
            best["fate"] = worst["fate"] = "pair_dropped:low_margin"
            continue
        r = g["record"]
        pairs.append({"id": pair_id(r, report["prompts"] - 1), "prompt": r["prompt"],
                      "chosen": best["text"], "rejected": worst["text"], "chosen_score": best["score"],
                      "rejected_score": worst["score"], "judge": judge_label(weights), "source": source,
                      "margin": margin, "chosen_scores": best["scores"], "rejected_scores": worst["scores"],
                      "chosen_tokens": best["tokens"], "rejected_tokens": worst["tokens"],
                      **{k: r[k] for k in ("lang", "topic") if k in r}, "_samples": (best, worst)})

    agreement = {"compared": 0, "agree": 0, "disagree": 0, "rubric_ties": 0, "rm_ties": 0}
    if set(weights) == {"rm", "rubric"}:
        for p in pairs:
            rm = _sign(p["chosen_scores"]["rm"] - p["rejected_scores"]["rm"])
            rubric = _sign(p["chosen_scores"]["rubric"] - p["rejected_scores"]["rubric"])
            if rubric == 0 or rm == 0:
                agreement["rubric_ties" if rubric == 0 else "rm_ties"] += 1
                continue
            agreement["compared"] += 1
            p["judges_disagree"] = rm != rubric
            agreement["disagree" if rm != rubric else "agree"] += 1
        agreement["agreement_rate"] = agreement["agree"] / agreement["compared"] if agreement["compared"] else None
        if drop_disagreements:
            report["dropped_disagreement"] = sum(bool(p.get("judges_disagree")) for p in pairs)
            for p in pairs:
                if p.get("judges_disagree"):
                    for x in p["_samples"]:
                        x["fate"] = "pair_dropped:judges_disagree"
            pairs = [p for p in pairs if not p.get("judges_disagree")]

    longer = lambda p: _sign(p["chosen_tokens"] - p["rejected_tokens"])  # noqa: E731
    share_before = sum(longer(p) > 0 for p in pairs) / len(pairs) if pairs else None
    if balance_length and pairs:
        up, down = [p for p in pairs if longer(p) > 0], [p for p in pairs if longer(p) < 0]
        side = up if len(up) > len(down) else down
        drop = {id(p) for p in sorted(side, key=lambda p: p["margin"])[:abs(len(up) - len(down))]}
        report["dropped_for_length"] = len(drop)
        for p in pairs:
            if id(p) in drop:
                for x in p["_samples"]:
                    x["fate"] = "pair_dropped:length_balance"
        pairs = [p for p in pairs if id(p) not in drop]

    for p in pairs:
        best, worst = p.pop("_samples")
        best["fate"], worst["fate"] = "chosen", "rejected"
    report["kept"] = len(pairs)
    out = {**{k: report[k] for k in ("prompts", "sampled")}, "malformed": dict(malformed),
           "malformed_kept": dict(flagged),
           **{k: report[k] for k in ("exact_duplicates", "near_duplicates", "candidates", "too_few_candidates",
                                     "low_margin", "dropped_disagreement", "dropped_for_length", "kept")},
           "judge": judge_label(weights), "min_margin": min_margin, "near_duplicate": near_duplicate,
           "judge_agreement": agreement if set(weights) == {"rm", "rubric"} else None,
           "chosen_longer_share_before_balance": share_before,
           "chosen_longer_share": sum(longer(p) > 0 for p in pairs) / len(pairs) if pairs else None,
           "mean_margin": sum(p["margin"] for p in pairs) / len(pairs) if pairs else None}
    for p in pairs:
        p.pop("judges_disagree", None)
    return pairs, out


def report_table(report: dict) -> str:
    """The counts of ``pairs_report.json`` as a short table, one filter a line."""
    m = report["malformed"]
    rows = [("prompts", report["prompts"]), ("samples", report["sampled"]),
            ("malformed, set aside (" + ", ".join(f"{k} {v}" for k, v in m.items()) + ")" if m else "malformed",
             sum(m.values())),
            ("exact duplicates", report["exact_duplicates"]), ("near duplicates", report["near_duplicates"]),
            ("prompts with < 2 candidates", report["too_few_candidates"]),
            (f"pairs under the margin {report['min_margin']:g}", report["low_margin"]),
            ("pairs dropped: judges disagree", report["dropped_disagreement"]),
            ("pairs dropped: length balance", report["dropped_for_length"]), ("pairs kept", report["kept"])]
    if report["malformed_kept"]:
        rows.insert(3, ("malformed, paired anyway (" + ", ".join(f"{k} {v}" for k, v in
                                                               report["malformed_kept"].items()) + ")",
                        sum(report["malformed_kept"].values())))
    lines = [f"  {label:<44s} {value:>6}" for label, value in rows]
    a = report.get("judge_agreement")
    if a and a["compared"]:
        lines.append(f"  {'judge agreement (RM vs rubric)':<44s} {a['agreement_rate']:>6.0%} of {a['compared']} "
                     f"(rubric ties {a['rubric_ties']})")
    if report["chosen_longer_share"] is not None:
        lines.append(f"  {'chosen longer than rejected':<44s} {report['chosen_longer_share']:>6.0%}")
    return "\n".join(lines)


# --- collection (models) ----------------------------------------------------------------------------------------------
def sample_and_judge(model_args, a, tracker=None) -> list:
    """The groups ``build_pairs`` takes: ``a.num_samples`` sampled responses per prompt of ``a.prompt_file``, each
    scored by the judges in ``a.judge``. The policy generates first, then gives its memory to the reward model."""
    torch.manual_seed(a.seed)
    dtype = resolve_dtype(model_args.dtype)
    show = tracker is None or tracker.enabled

    def count(responses):
        if tracker is not None:
            tracker.add(tokens=sum(len(r) for r in responses), samples=len(responses))

    records = spread(read_jsonl(a.prompt_file, (a.prompt_column,)), a.max_prompts)
    gen = generate_rows(model_args.model_name_or_path, model_args.tokenizer_name_or_path, records, a.prompt_column,
                        a.system_prompt, a.max_source_length, a.batch_size, a.max_new_tokens, a.num_samples,
                        do_sample=True, temperature=a.temperature, top_p=a.top_p, dtype=dtype, show=show,
                        on_batch=count)
    if tracker is not None and tracker.enabled:
        tracker.config["total_params"] = sum(p.numel() for p in gen.policy.parameters())  # for the report's FLOPs
    gen.policy = None
    groups = []
    for start in range(0, len(gen.records), a.num_samples):
        record = gen.records[start]
        item = record if "attempt" in record else {**parse_prompt(record[a.prompt_column]), **record}
        samples = []
        for k in range(start, start + a.num_samples):
            r, text = gen.responses[k], gen.texts[k]
            scores = {"rubric": score_response(text, item)["total"]} if a.judge != "rm" else {}
            samples.append({"text": text, "tokens": len(r), "ended": ended(r, gen.stop_ids), "scores": scores})
        groups.append({"record": record, "samples": samples})
    if a.judge != "rubric":
        flat = [s for g in groups for s in g["samples"]]
        for s, v in zip(flat, reward_scores(a.reward_model_name_or_path, gen.rows, dtype, show)):
            s["scores"]["rm"] = v
    return groups


def collect_pairs(model_args, a) -> dict:
    """``launch/collect_pairs.py``: sample, judge, filter; write pairs.jsonl, samples.jsonl (every sample with its
    scores and fate), pairs_report.json, sheet.csv (for labelling) and run_summary.json into ``a.output_dir``."""
    if sheet_edited(a.output_dir):
        raise SystemExit(f"[collect_pairs] {a.output_dir}/sheet.csv has been edited since it was written (it differs "
                         f"from the sheet of its pairs.jsonl): move it away or choose another --output_dir; a new "
                         f"collection never overwrites a person's labels")
    weights = {"rm": {"rm": a.rm_weight}, "rubric": {"rubric": a.rubric_weight},
               "both": {"rm": a.rm_weight, "rubric": a.rubric_weight}}[a.judge]
    tracker = Tracker(a.output_dir, config=to_dict(model_args, a))
    groups = sample_and_judge(model_args, a, tracker)
    exclude = tuple(k.strip() for k in a.exclude_malformed.split(",") if k.strip())
    pairs, report = build_pairs(groups, weights, a.min_margin, a.near_duplicate, a.drop_disagreements,
                                a.balance_length, exclude, source=model_args.model_name_or_path)
    report["policy"] = model_args.model_name_or_path
    with atomic_open(os.path.join(a.output_dir, "pairs.jsonl")) as f:
        f.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs)
    with atomic_open(os.path.join(a.output_dir, "samples.jsonl")) as f:
        for i, g in enumerate(groups):
            for s in g["samples"]:
                f.write(json.dumps({"id": pair_id(g["record"], i), "prompt": g["record"][a.prompt_column], **s},
                                   ensure_ascii=False) + "\n")
    with atomic_open(os.path.join(a.output_dir, "pairs_report.json")) as f:
        json.dump(report, f, indent=2, ensure_ascii=False)
    write_sheet(pairs, os.path.join(a.output_dir, "sheet.csv"))
    numbers = {k: v for k, v in report.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    tracker.log(0, {f"pairs/{k}": v for k, v in numbers.items()})
    tracker.summary(final_metrics={f"pairs/{k}": v for k, v in numbers.items()})
    tracker.close()
    print(f"[collect_pairs] {model_args.model_name_or_path} on {a.prompt_file}, judge {report['judge']}:\n"
          + report_table(report) + f"\n  -> {a.output_dir}/pairs.jsonl", flush=True)
    return report
