"""Evaluation shared by both routes: statistics over samples, the judges' agreement with labelled pairs
(``launch/validate_judges.py``), and the evaluation of a checkpoint on held-out situations (``launch/evaluate.py``).

The rubric itself is ``common/rubric.py``; ``rubric_reward`` (importable from either module) is the PPO
``--reward_fn`` that reads the student's situation back from the prompt text.

``evaluate_checkpoint`` generates a response for every held-out prompt and measures it: rubric, reward-model score,
KL to the SFT reference, perplexity under the base model, distinct-n, length, EOS rate, win rates against a baseline
evaluation, generation speed. The rubric and statistics need only the standard library; models load lazily.
"""
import json
import math
import os
import re
import time

from .rubric import CRITERIA, length_of, parse_prompt, rubric_reward, score_response  # noqa: F401 (re-exported)


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
    from .data import read_jsonl

    pairs = [r for path in a.pairs for r in read_jsonl(path, ("prompt", "chosen", "rejected"))]
    results = [judge_agreement(pairs, *rubric_scores(pairs), judge="rubric")]
    if a.reward_model_name_or_path:
        chosen, rejected = reward_model_scores(pairs, a, model_args)
        results.append(judge_agreement(pairs, chosen, rejected, judge=f"reward model {a.reward_model_name_or_path}"))
    for r in results:
        r["files"] = list(a.pairs)
        print(agreement_table(r), flush=True)
    if a.output_file:
        from .files import atomic_open

        with atomic_open(a.output_file) as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in results)
    return results


def reward_model_scores(pairs: list, a, model_args) -> tuple:
    """The reward model's score of each pair's chosen and rejected response, in batches of ``a.batch_size``, the
    pairs written as the reward model was trained (its system prompt and length limits, unless given)."""
    import torch

    from .data import PreferenceCollator, PreferenceDataset
    from .modeling import ScalarHeadModel, inference_device, load_tokenizer, resolve_dtype

    from .embedded import resolve_model_path
    from .inference import serving_config

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


def sample_key(sample: dict) -> str:
    return str(sample["id"]) if sample.get("id") is not None else sample["prompt"]


def win_rate(samples: list, baseline: list, field: str) -> dict:
    """Share of prompts where ``samples`` beat ``baseline`` on ``field`` (a tie counts a half), matched by id (or
    prompt); with its binomial standard error and the count of matched prompts."""
    theirs = {sample_key(b): b[field] for b in baseline if b.get(field) is not None}
    pairs = [(s[field], theirs[sample_key(s)]) for s in samples if s.get(field) is not None and sample_key(s) in theirs]
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
    for name, field in (("rm", "rm_score"), ("rubric", "rubric_total")):
        w = win_rate(samples, baseline or [], field)
        if w:
            out.update({f"win_rate/{name}": w["rate"], f"win_rate/{name}_sem": w["sem"], f"win_rate/{name}_n": w["n"]})
    return out


# --- evaluation of a checkpoint -------------------------------------------------------------------------------------
def same_model(a: str, b: str) -> bool:
    from .embedded import resolve_model_path

    return os.path.realpath(resolve_model_path(a)) == os.path.realpath(resolve_model_path(b))


def evaluate_checkpoint(model_args, eval_args, tracker=None) -> tuple:
    """``(samples, metrics)`` of ``model_args.model_name_or_path`` on ``eval_args.eval_file``.

    One model is scored at a time next to the policy's outputs, so at most two are in memory: the policy generates
    (batched, left-padded, greedy unless ``do_sample``); then the policy and the reference give the exact KL of each
    response, sum over its tokens of KL(pi(.|x, y<t) || pi_ref(.|x, y<t)) (zero when the model is the reference);
    then the base model gives the response's negative log-likelihood (fluency); then the reward model scores it.
    """
    import torch
    from tqdm.auto import tqdm

    from .data import PromptCollator, PromptDataset, read_jsonl, spread
    from .generation import concat_prompt_response, decode_responses, ended, generate, response_logits, stop_token_ids
    from .modeling import ScalarHeadModel, inference_device, load_causal_lm, load_tokenizer, resolve_dtype, root_base
    from .ops import gather_logprobs

    a = eval_args
    torch.manual_seed(a.seed)
    dev = inference_device()
    dtype = resolve_dtype(model_args.dtype)
    name = model_args.model_name_or_path
    tok = load_tokenizer(model_args.tokenizer_name_or_path or name, padding_side="left")
    records = spread(read_jsonl(a.eval_file, (a.prompt_column,)), a.max_eval_samples)
    data = PromptDataset(records, tok, a.max_source_length, a.prompt_column, a.system_prompt)
    collate = PromptCollator(tok.pad_token_id)
    batches = [collate(data.examples[s: s + a.batch_size]) for s in range(0, len(data), a.batch_size)]

    def bar(items, desc):
        return tqdm(items, desc=desc, dynamic_ncols=True, disable=tracker is not None and not tracker.enabled)

    def load(path):
        return load_causal_lm(path, dtype, adapter="merge").to(dev).eval()

    policy = load(name)
    stop_ids = stop_token_ids(tok)
    rows, samples, gen_tokens, gen_seconds = [], [], 0, 0.0
    with torch.no_grad():
        for batch in bar(batches, "generate"):
            ids, mask = batch["input_ids"].to(dev), batch["attention_mask"].to(dev)
            t0 = time.perf_counter()
            responses = generate(policy, tok, ids, mask, a.max_new_tokens, do_sample=a.do_sample,
                                 temperature=a.temperature, top_p=a.top_p)
            gen_seconds += time.perf_counter() - t0
            gen_tokens += sum(len(r) for r in responses)
            full_ids, full_mask, response_mask = concat_prompt_response(ids, mask, responses, tok.pad_token_id)
            rows.append((full_ids.to(dev), full_mask.to(dev), response_mask.to(dev), ids.shape[1]))
            for record, response, text in zip(batch["records"], responses, decode_responses(tok, responses)):
                rubric = score_response(text, record)
                samples.append({"id": record.get("id"), "prompt": record[a.prompt_column], "response": text,
                                "lang": record.get("lang", "en"), "topic": record.get("topic"),
                                "reference": record.get("reference"), "tokens": len(response),
                                "ended": ended(response, stop_ids),
                                "rubric": rubric, "rubric_total": rubric["total"]})

        def per_row(values):  # one value per row of every batch, in sample order
            return [v for batch_values in values for v in batch_values.tolist()]

        if a.reference_model_name_or_path:
            kl = []
            reference = None if same_model(a.reference_model_name_or_path, name) else load(
                a.reference_model_name_or_path)
            for ids, mask, rmask, P in bar(rows, "KL to reference"):
                if reference is None:
                    kl.append(torch.zeros(ids.shape[0]))
                    continue
                logp = torch.log_softmax(response_logits(policy, ids, mask, P).float(), -1)  # (B, N, V)
                logq = torch.log_softmax(response_logits(reference, ids, mask, P).float(), -1)  # (B, N, V)
                kl_t = (logp.exp() * (logp - logq)).sum(-1)  # (B, N)
                kl.append((kl_t * rmask).sum(1).cpu())
            for s, v in zip(samples, per_row(kl)):
                s["kl"] = v
            del reference
        del policy

        base_name = a.base_model_name_or_path or root_base(name)
        base, nll = load(base_name), []
        for ids, mask, rmask, P in bar(rows, "fluency (base)"):
            logp = gather_logprobs(response_logits(base, ids, mask, P).float(), ids[:, P:])  # (B, N)
            nll.append(-(logp * rmask).sum(1).cpu())
        for s, v in zip(samples, per_row(nll)):
            s["base_nll"] = v
        del base

        if a.reward_model_name_or_path:
            rm, scores = ScalarHeadModel.from_pretrained(a.reward_model_name_or_path, dtype=dtype).to(dev), []
            for ids, mask, rmask, P in bar(rows, "reward model"):
                scores.append(rm.score(ids, mask).float().cpu())
            for s, v in zip(samples, per_row(scores)):
                s["rm_score"] = v
            del rm

    baseline = read_jsonl(a.baseline_samples, ("prompt", "rubric_total"), text_fields=("prompt",)) \
        if a.baseline_samples else None
    metrics = summarize(samples, baseline)
    metrics.update({"generation/tokens_per_s": gen_tokens / max(gen_seconds, 1e-9),
                    "generation/seconds": gen_seconds})
    return samples, metrics


def evaluate_snapshots(model_args, eval_args) -> list:
    """``launch/evaluate.py --snapshots``: every snapshot of a training run (and its final/) evaluated as
    ``run_evaluation`` does, into ``output_dir/step-N``; ``curve.json`` (written last, the "done" marker) lists
    ``{"step", "metrics"}`` in step order, the final model at the run's last step."""
    import dataclasses
    import glob

    from .files import atomic_open

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
    from .config import to_dict
    from .files import atomic_open, remove
    from .tracking import Tracker

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
