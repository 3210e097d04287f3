"""How far to trust a judge: its agreement with labelled preference pairs (``launch/validate_judges.py``).

Each judge (the rubric; a reward model when given) scores every labelled pair's chosen and rejected response; the
agreement is counted overall, per failure type (``rejected_type``) and per language, ties apart, with a confusion
table of failure types × verdicts.
"""
import json
import os
from dataclasses import dataclass, field
from typing import List, Optional

import torch

from common.config import Arguments, _help
from common.data import PreferenceCollator, PreferenceDataset, read_jsonl
from common.embedded import resolve_model_path
from common.files import atomic_open
from common.modeling import ScalarHeadModel, inference_device, load_tokenizer, resolve_dtype

from .inference import serving_config
from .rubric import score_response
from .situations import parse_prompt


@dataclass
class JudgeArguments(Arguments):
    NAMES_ITS_MODELS = True  # the rubric needs none; --reward_model_name_or_path names the other judge

    pairs: List[str] = field(
        default_factory=list, metadata=_help("Labelled preference JSONL files ({\"prompt\", \"chosen\", \"rejected\"}, "
                                             "optional \"rejected_type\" and \"lang\"): chosen is the better one.")
    )
    reward_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("A reward model's final/ to validate next to the rubric.")
    )
    output_file: Optional[str] = field(default=None, metadata=_help("Write one JSON line per judge here."))
    batch_size: int = field(default=8, metadata=_help("Pairs the reward model scores together."))
    max_source_length: Optional[int] = field(
        default=None, metadata=_help("Prompt tokens for the reward model (default: what it was trained with).")
    )
    max_target_length: Optional[int] = field(
        default=None, metadata=_help("Response tokens for the reward model (default: what it was trained with).")
    )
    system_prompt: Optional[str] = field(
        default=None, metadata=_help("System message for the reward model (default: the one it was trained with).")
    )

    def problems(self, groups) -> list:
        out = [] if self.pairs else ["--pairs: give at least one labelled preference file"]
        out += [f"--pairs {p}: no such file" for p in self.pairs if not os.path.isfile(p)]
        rm = self.reward_model_name_or_path
        if rm and not rm.startswith("embedded:") and not os.path.isdir(rm):
            out.append(f"--reward_model_name_or_path {rm}: no such directory")
        if self.batch_size < 1:
            out.append("--batch_size must be >= 1")
        return out


VERDICTS = ("prefers_chosen", "tie", "prefers_rejected")


def judge_agreement(pairs: list, chosen_scores: list, rejected_scores: list, judge: str) -> dict:
    """How often a judge agrees with labelled preference pairs (``chosen`` is the better response): overall, per
    failure type (``rejected_type``, "unlabelled" when absent) and per language, with ties counted apart.

    ``agreement`` is the share of pairs where the judge scores chosen above rejected (ties count against it);
    ``agreement_strict`` leaves ties out. ``confusion`` is the table of failure types × verdicts."""
    def tally(rows):
        counts = dict.fromkeys(VERDICTS, 0)
        for v in rows:
            counts[v] += 1
        n = len(rows)
        decided = counts["prefers_chosen"] + counts["prefers_rejected"]
        return {"pairs": n, **counts, "agreement": counts["prefers_chosen"] / n if n else None,
                "agreement_strict": counts["prefers_chosen"] / decided if decided else None}

    verdicts = ["prefers_chosen" if c > r else "tie" if c == r else "prefers_rejected"
                for c, r in zip(chosen_scores, rejected_scores)]
    types = [p.get("rejected_type") or "unlabelled" for p in pairs]
    langs = [p.get("lang") or parse_prompt(p["prompt"])["lang"] for p in pairs]
    by_type = {t: tally([v for v, x in zip(verdicts, types) if x == t]) for t in sorted(set(types))}
    return {"judge": judge, **tally(verdicts), "by_type": by_type,
            "by_lang": {g: tally([v for v, x in zip(verdicts, langs) if x == g]) for g in sorted(set(langs))},
            "confusion": {"columns": list(VERDICTS), "rows": {t: [by_type[t][v] for v in VERDICTS] for t in by_type}}}


def rubric_scores(pairs: list) -> tuple:
    """The rubric total of each pair's chosen and rejected response, the situation read from the pair's prompt (and
    its ``lang`` when the record has one)."""
    def item(p):
        return {**parse_prompt(p["prompt"]), **{k: p[k] for k in ("lang", "exercise_id") if p.get(k)}}

    return ([score_response(p["chosen"], item(p))["total"] for p in pairs],
            [score_response(p["rejected"], item(p))["total"] for p in pairs])


def agreement_table(result: dict) -> str:
    """A plain-text table of ``judge_agreement``'s result: one row per failure type and language, then all."""
    def row(name, t):
        pct = lambda x: "  -  " if x is None else f"{100 * x:5.1f}"  # noqa: E731
        return (f"  {name:22s} {t['pairs']:5d} {t['prefers_chosen']:6d} {t['tie']:5d} {t['prefers_rejected']:6d}"
                f"   {pct(t['agreement'])}%  {pct(t['agreement_strict'])}%")

    lines = [f"[validate_judges] {result['judge']}: agreement with the labels",
             f"  {'':22s} {'pairs':>5s} {'agree':>6s} {'tie':>5s} {'oppose':>6s}   {'agree':>6s}  {'w/o ties':>8s}"]
    lines += [row(t, v) for t, v in result["by_type"].items()]
    lines += [row(f"lang {g}", v) for g, v in result["by_lang"].items()]
    lines.append(row("all", result))
    return "\n".join(lines)


def validate_judges(model_args, a) -> list:
    """``launch/validate_judges.py``: each judge (the rubric; a reward model when given) on every labelled pair of
    ``a.pairs`` files; prints a table per judge, writes one JSON line per judge to ``a.output_file`` (if given) and
    returns the results."""
    pairs = [r for path in a.pairs for r in read_jsonl(path, ("prompt", "chosen", "rejected"))]
    results = [judge_agreement(pairs, *rubric_scores(pairs), judge="rubric")]
    if a.reward_model_name_or_path:
        chosen, rejected = reward_model_scores(pairs, a, model_args)
        results.append(judge_agreement(pairs, chosen, rejected, judge=f"reward model {a.reward_model_name_or_path}"))
    for r in results:
        r["files"] = list(a.pairs)
        print(agreement_table(r), flush=True)
    if a.output_file:
        with atomic_open(a.output_file) as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in results)
    return results


def reward_model_scores(pairs: list, a, model_args) -> tuple:
    """The reward model's score of each pair's chosen and rejected response, in batches of ``a.batch_size``, the
    pairs written as the reward model was trained (its system prompt and length limits, unless given)."""
    trained = serving_config(resolve_model_path(a.reward_model_name_or_path))  # lengths and system prompt it saw
    dev = inference_device()
    rm = ScalarHeadModel.from_pretrained(a.reward_model_name_or_path, dtype=resolve_dtype(model_args.dtype)).to(dev)
    tok = load_tokenizer(a.reward_model_name_or_path)
    data = PreferenceDataset(pairs, tok, a.max_source_length or trained["max_source_length"],
                             a.max_target_length or trained["max_target_length"],
                             system_prompt=trained["system_prompt"] if a.system_prompt is None else a.system_prompt,
                             cut_keeps_end=True)
    collate = PreferenceCollator(tok.pad_token_id)
    chosen, rejected = [], []
    with torch.no_grad():
        for s in range(0, len(data), a.batch_size):
            batch = collate([data[i] for i in range(s, min(s + a.batch_size, len(data)))])
            scores = rm.score(batch["input_ids"].to(dev), batch["attention_mask"].to(dev)).float().cpu()  # (2B,)
            b = scores.shape[0] // 2
            chosen += scores[:b].tolist()
            rejected += scores[b:].tolist()
    return chosen, rejected
