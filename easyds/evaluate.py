"""Evaluation of a checkpoint on held-out situations (``launch/evaluate.py``), and the statistics over its samples.

``evaluate_checkpoint`` generates a response for every held-out prompt and measures it: rubric, reward-model score,
KL to the SFT reference, perplexity under the base model, distinct-n, length, EOS rate, win rates against a baseline
evaluation, generation speed. ``evaluate_snapshots`` does it for every snapshot of a training run (quality over
training). The rubric is ``rubric.py``; the judges' own validation is ``judges.py``.
"""
import dataclasses
import glob
import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Optional

import torch

from common.config import Arguments, _help, missing_files, to_dict
from common.data import read_jsonl, record_key, spread
from common.embedded import resolve_model_path
from common.files import atomic_open, remove
from common.forward import response_kl as token_kl, response_logprobs
from common.generation import ended
from common.modeling import inference_device, load_causal_lm, resolve_dtype, root_base
from common.tracking import Tracker

from .rubric import CRITERIA, length_of, score_response
from .sampling import bar, generate_rows, per_row, reward_scores
from .situations import SYSTEM_PROMPT


@dataclass
class EvaluationArguments(Arguments):
    eval_file: Optional[str] = field(
        default=None, metadata=_help("JSONL of held-out situations: {\"prompt\": ...} plus the fields the rubric reads "
                                     "(topic, knowledge_point, exercise, attempt, lang); optional id, reference.")
    )
    output_dir: Optional[str] = field(default=None, metadata=_help("Where samples.jsonl and metrics.json go."))
    reference_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("The SFT model that KL is measured against (none: no KL).")
    )
    reward_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("A reward model's final/ that scores every response (none: no RM score).")
    )
    base_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("The model whose perplexity measures fluency (default: the root base of the "
                                     "evaluated adapter, e.g. embedded:smollm2-135m).")
    )
    baseline_samples: Optional[str] = field(
        default=None, metadata=_help("samples.jsonl of another evaluation on the same prompts (e.g. SFT's): win "
                                     "rates against it by reward model and by rubric.")
    )
    prompt_column: str = field(default="prompt", metadata=_help("Key of the prompt in each JSONL object."))
    system_prompt: str = field(default=SYSTEM_PROMPT, metadata=_help("System message of the chat template."))
    max_source_length: int = field(default=256, metadata=_help("Most prompt tokens (chat template included)."))
    max_eval_samples: int = field(default=0, metadata=_help("Use N prompts spread evenly over the file (0 = all)."))
    batch_size: int = field(default=8, metadata=_help("Prompts generated and scored together."))
    max_new_tokens: int = field(default=96, metadata=_help("Most tokens generated per response."))
    do_sample: bool = field(default=False, metadata=_help("Sample instead of greedy decoding."))
    temperature: float = field(default=1.0, metadata=_help("Sampling temperature (with --do_sample)."))
    top_p: float = field(default=1.0, metadata=_help("Nucleus sampling threshold (with --do_sample)."))
    seed: int = field(default=42, metadata=_help("Seed of sampling."))
    snapshots: bool = field(
        default=False, metadata=_help("--model_name_or_path is a training run's directory: evaluate each of its "
                                      "snapshots/step-N/ (--save_snapshots) and final/ into output_dir/step-N/, and "
                                      "write output_dir/curve.json (quality over training).")
    )

    def problems(self, groups) -> list:
        out = [] if self.output_dir else ["--output_dir is required"]
        if not self.eval_file or not os.path.isfile(self.eval_file):
            out.append(f"--eval_file {self.eval_file}: no such file")
        out += missing_files(self, "baseline_samples")
        if self.batch_size < 1 or self.max_new_tokens < 1 or self.max_eval_samples < 0 or self.max_source_length < 8:
            out.append("--batch_size and --max_new_tokens must be >= 1, --max_eval_samples >= 0, "
                       "--max_source_length >= 8")
        if not 0 < self.top_p <= 1 or self.temperature <= 0:
            out.append("--top_p must be in (0, 1] and --temperature > 0")
        return out


# --- statistics over samples (pure) ---------------------------------------------------------------------------------
def text_units(text: str, lang: str) -> list:
    """Lower-cased words (en) or characters without spaces (zh): the units of distinct-n."""
    return text.lower().split() if lang == "en" else list(re.sub(r"\s", "", text))


def distinct_n(texts: list, langs: list, n: int) -> float:
    """Distinct n-grams over all n-grams of all responses (Li et al. 2016, "distinct-n"); 0 when there are none."""
    grams = []
    for text, lang in zip(texts, langs):
        units = text_units(text, lang)
        grams += [tuple(units[i: i + n]) for i in range(len(units) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def mean_sem(values: list) -> tuple:
    """Mean and its standard error (sample standard deviation / sqrt(n)); sem is 0 for fewer than two values."""
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1) / n)


def win_rate(samples: list, baseline: list, field: str) -> dict:
    """Share of prompts where ``samples`` beat ``baseline`` on ``field`` (a tie counts a half), matched by id (or
    prompt); with its binomial standard error and the count of matched prompts."""
    theirs = {record_key(b): b[field] for b in baseline if b.get(field) is not None}
    pairs = [(s[field], theirs[record_key(s)]) for s in samples if s.get(field) is not None and record_key(s) in theirs]
    if not pairs:
        return {}
    p = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in pairs) / len(pairs)
    return {"rate": p, "sem": math.sqrt(p * (1 - p) / len(pairs)), "n": len(pairs)}


def summarize(samples: list, baseline: list = None) -> dict:
    """The metrics of a list of scored samples (the rows of samples.jsonl)."""
    out = {"n": len(samples)}
    for c in CRITERIA:
        out[f"rubric/{c}"] = mean_sem([s["rubric"][c] for s in samples])[0]
    out["rubric/total"], out["rubric/total_sem"] = mean_sem([s["rubric"]["total"] for s in samples])
    if all(s.get("rm_score") is not None for s in samples):
        out["reward/score"], out["reward/score_sem"] = mean_sem([s["rm_score"] for s in samples])
    if all(s.get("kl") is not None for s in samples):
        out["kl/to_reference"], out["kl/to_reference_sem"] = mean_sem([s["kl"] for s in samples])
        out["kl/per_token"] = sum(s["kl"] for s in samples) / max(1, sum(s["tokens"] for s in samples))
    if all(s.get("base_nll") is not None for s in samples):
        tokens = max(1, sum(s["tokens"] for s in samples))
        out["fluency/ppl_base"] = math.exp(sum(s["base_nll"] for s in samples) / tokens)
    langs = [s.get("lang", "en") for s in samples]
    texts = [s["response"] for s in samples]
    out["diversity/distinct_1"] = distinct_n(texts, langs, 1)
    out["diversity/distinct_2"] = distinct_n(texts, langs, 2)
    out["length/tokens"] = mean_sem([s["tokens"] for s in samples])[0]
    out["length/units"] = mean_sem([length_of(t, lang) for t, lang in zip(texts, langs)])[0]
    out["length/eos_rate"] = mean_sem([float(s["ended"]) for s in samples])[0]
    for name, key in (("rm", "rm_score"), ("rubric", "rubric_total")):
        w = win_rate(samples, baseline or [], key)
        if w:
            out.update({f"win_rate/{name}": w["rate"], f"win_rate/{name}_sem": w["sem"], f"win_rate/{name}_n": w["n"]})
    return out


# --- evaluation of a checkpoint -------------------------------------------------------------------------------------
def same_model(a: str, b: str) -> bool:
    return os.path.realpath(resolve_model_path(a)) == os.path.realpath(resolve_model_path(b))


def evaluate_checkpoint(model_args, eval_args, tracker=None) -> tuple:
    """``(samples, metrics)`` of ``model_args.model_name_or_path`` on ``eval_args.eval_file``.

    One model is scored at a time next to the policy's outputs, so at most two are in memory: the policy generates
    (batched, left-padded, greedy unless ``do_sample``); then the policy and the reference give the exact KL of each
    response, sum over its tokens of KL(pi(.|x, y<t) || pi_ref(.|x, y<t)) (zero when the model is the reference);
    then the base model gives the response's negative log-likelihood (fluency); then the reward model scores it.
    """
    a = eval_args
    torch.manual_seed(a.seed)
    dtype = resolve_dtype(model_args.dtype)
    name = model_args.model_name_or_path
    show = tracker is None or tracker.enabled
    records = spread(read_jsonl(a.eval_file, (a.prompt_column,)), a.max_eval_samples)
    gen = generate_rows(name, model_args.tokenizer_name_or_path, records, a.prompt_column, a.system_prompt,
                        a.max_source_length, a.batch_size, a.max_new_tokens, do_sample=a.do_sample,
                        temperature=a.temperature, top_p=a.top_p, dtype=dtype, show=show)
    samples = []
    for record, response, text in zip(gen.records, gen.responses, gen.texts):
        rubric = score_response(text, record)
        samples.append({"id": record.get("id"), "prompt": record[a.prompt_column], "response": text,
                        "lang": record.get("lang", "en"), "topic": record.get("topic"),
                        "reference": record.get("reference"), "tokens": len(response),
                        "ended": ended(response, gen.stop_ids), "rubric": rubric, "rubric_total": rubric["total"]})

    def load(path):
        return load_causal_lm(path, dtype, adapter="merge").to(inference_device()).eval()

    with torch.no_grad():
        if a.reference_model_name_or_path:
            reference = None if same_model(a.reference_model_name_or_path, name) else load(
                a.reference_model_name_or_path)
            kl = [response_kl(gen.policy, reference, *row) for row in bar(gen.rows, "KL to reference", show)]
            for s, v in zip(samples, per_row(kl)):
                s["kl"] = v
            del reference
        gen.policy = None
        base, nll = load(a.base_model_name_or_path or root_base(name)), []
        for ids, mask, rmask, P in bar(gen.rows, "fluency (base)", show):
            logp = response_logprobs(base, ids, mask, P)  # (B, N)
            nll.append(-(logp * rmask).sum(1).cpu())
        for s, v in zip(samples, per_row(nll)):
            s["base_nll"] = v
        del base
    if a.reward_model_name_or_path:
        for s, v in zip(samples, reward_scores(a.reward_model_name_or_path, gen.rows, dtype, show)):
            s["rm_score"] = v
    baseline = read_jsonl(a.baseline_samples, ("prompt", "rubric_total"), text_fields=("prompt",)) \
        if a.baseline_samples else None
    metrics = summarize(samples, baseline)
    gen_tokens = sum(len(r) for r in gen.responses)
    metrics.update({"generation/tokens_per_s": gen_tokens / max(gen.seconds, 1e-9),
                    "generation/seconds": gen.seconds})
    return samples, metrics


def response_kl(policy, reference, ids, mask, rmask, P) -> torch.Tensor:
    """Exact KL(policy || reference) of each row's response, summed over its tokens: (B,); zero without a
    reference (the policy is its own reference)."""
    if reference is None:
        return torch.zeros(ids.shape[0])
    return (token_kl(policy, reference, ids, mask, P) * rmask).sum(1).cpu()


def evaluate_snapshots(model_args, eval_args) -> list:
    """``launch/evaluate.py --snapshots``: every snapshot of a training run (and its final/) evaluated as
    ``run_evaluation`` does, into ``output_dir/step-N``; ``curve.json`` (written last, the "done" marker) lists
    ``{"step", "metrics"}`` in step order, the final model at the run's last step."""
    run = model_args.model_name_or_path
    models = sorted(glob.glob(os.path.join(run, "snapshots", "step-*")))
    if not os.path.isdir(os.path.join(run, "final")) or not os.path.exists(os.path.join(run, "run_summary.json")):
        raise FileNotFoundError(f"{run}: --snapshots needs a finished training run (final/ and run_summary.json)")
    with open(os.path.join(run, "metrics.jsonl"), encoding="utf-8") as f:  # the run's last logged step
        last = max(json.loads(line).get("step", 0) for line in f if line.strip())
    points = [(int(os.path.basename(m).split("-")[1]), m) for m in models]
    if not any(step == last for step, _ in points):
        points.append((last, os.path.join(run, "final")))
    curve = []
    for step, path in sorted(points):
        out = os.path.join(eval_args.output_dir, f"step-{step:06d}")
        metrics = run_evaluation(dataclasses.replace(model_args, model_name_or_path=path),
                                 dataclasses.replace(eval_args, output_dir=out, snapshots=False))
        curve.append({"step": step, "model": path, "metrics": {k: v for k, v in metrics.items()
                                                              if isinstance(v, (int, float))}})
    with atomic_open(os.path.join(eval_args.output_dir, "curve.json")) as f:
        json.dump(curve, f, indent=2)
    return curve


HEADLINE = ("rubric/total", "reward/score", "win_rate/rm", "win_rate/rubric", "kl/to_reference", "fluency/ppl_base",
            "diversity/distinct_2", "length/tokens", "length/eos_rate", "generation/tokens_per_s")


def run_evaluation(model_args, eval_args) -> dict:
    """``launch/evaluate.py``: evaluate, then write samples.jsonl, metrics.json, metrics.jsonl + tensorboard (step 0)
    and run_summary.json into ``--output_dir``, and print the headline metrics."""
    tracker = Tracker(eval_args.output_dir, config=to_dict(model_args, eval_args))  # takes the directory's lock
    # metrics.json marks a finished evaluation (the pipeline's "done"): an earlier one goes before this one starts,
    # so a failed re-run never leaves it beside new, partial files.
    remove(os.path.join(eval_args.output_dir, "metrics.json"))
    samples, metrics = evaluate_checkpoint(model_args, eval_args, tracker)
    metrics.update(model=model_args.model_name_or_path, reference_model=eval_args.reference_model_name_or_path,
                   reward_model=eval_args.reward_model_name_or_path, eval_file=eval_args.eval_file,
                   wall_time_s=round(tracker.elapsed(), 2))
    with atomic_open(os.path.join(eval_args.output_dir, "samples.jsonl")) as f:
        f.writelines(json.dumps(s, ensure_ascii=False) + "\n" for s in samples)
    with atomic_open(os.path.join(eval_args.output_dir, "metrics.json")) as f:  # last: the "done" marker
        json.dump(metrics, f, indent=2, ensure_ascii=False)
    tracker.log(0, {f"eval/{k}": v for k, v in metrics.items() if isinstance(v, (int, float))})
    for i, s in enumerate(samples[:8]):
        tracker.text("samples", f"**prompt**\n\n{s['prompt']}\n\n**response**\n\n{s['response']}", i)
    tracker.summary(final_metrics={k: v for k, v in metrics.items() if isinstance(v, (int, float))})
    tracker.close()
    print(f"[evaluate] {model_args.model_name_or_path} on {len(samples)} prompts of {eval_args.eval_file}:")
    for k in HEADLINE:
        if k in metrics:
            print(f"  {k:24s} {metrics[k]:.4f}")
    return metrics
