"""Sample, then score: the driver that evaluation (``evaluate.py``) and pair collection (``pairs.py``) share.

``generate_rows`` loads a policy, renders each record's prompt in the chat template, and generates
``num_samples`` responses per prompt in batches (left-padded; greedy unless ``do_sample``), keeping each batch's
prompt + response rows for scoring. ``reward_scores`` then scores every row with a reward model, once the policy
has given its memory back. One model is scored at a time, so at most two are in memory.
"""
import time
from dataclasses import dataclass, field

import torch
from tqdm.auto import tqdm

from common.data import PromptCollator, PromptDataset
from common.generation import concat_prompt_response, decode_responses, generate, stop_token_ids
from common.modeling import ScalarHeadModel, inference_device, load_causal_lm, load_tokenizer


@dataclass
class Generated:
    """What ``generate_rows`` produced, in record order (``num_samples`` consecutive samples a record)."""
    policy: object  # the policy, still loaded (evaluation measures its KL next; collection frees it)
    tokenizer: object
    stop_ids: list
    records: list = field(default_factory=list)  # the record of each sample
    responses: list = field(default_factory=list)  # token ids of each sample
    texts: list = field(default_factory=list)  # decoded text of each sample
    rows: list = field(default_factory=list)  # per batch: (input_ids, attention_mask, response_mask, prompt_len)
    seconds: float = 0.0  # time spent generating


def bar(items, desc: str, show: bool = True):
    return tqdm(items, desc=desc, dynamic_ncols=True, disable=not show)


def generate_rows(name: str, tokenizer_name: str, records: list, prompt_column: str, system_prompt: str,
                  max_source_length: int, batch_size: int, max_new_tokens: int, num_samples: int = 1,
                  do_sample: bool = False, temperature: float = 1.0, top_p: float = 1.0, dtype=torch.float32,
                  show: bool = True, on_batch=None) -> Generated:
    """Responses of the policy ``name`` to ``records``: ``batch_size`` prompts a batch, ``num_samples`` rows each.
    ``on_batch(responses)`` is called after each batch (progress accounting)."""
    dev = inference_device()
    tok = load_tokenizer(tokenizer_name or name, padding_side="left")
    data = PromptDataset(records, tok, max_source_length, prompt_column, system_prompt)
    collate = PromptCollator(tok.pad_token_id)
    out = Generated(policy=load_causal_lm(name, dtype, adapter="merge").to(dev).eval(), tokenizer=tok,
                    stop_ids=stop_token_ids(tok))
    with torch.no_grad():
        for start in bar(range(0, len(data), batch_size), "generate", show):
            examples = data.examples[start: start + batch_size]
            batch = collate([e for e in examples for _ in range(num_samples)])  # K rows per prompt, side by side
            ids, mask = batch["input_ids"].to(dev), batch["attention_mask"].to(dev)
            t0 = time.perf_counter()
            responses = generate(out.policy, tok, ids, mask, max_new_tokens, do_sample=do_sample,
                                 temperature=temperature, top_p=top_p)
            out.seconds += time.perf_counter() - t0
            full_ids, full_mask, response_mask = concat_prompt_response(ids, mask, responses, tok.pad_token_id)
            out.rows.append((full_ids.to(dev), full_mask.to(dev), response_mask.to(dev), ids.shape[1]))
            out.records += batch["records"]
            out.responses += responses
            out.texts += decode_responses(tok, responses)
            if on_batch is not None:
                on_batch(responses)
    return out


def per_row(values: list) -> list:
    """One value per row of every batch, in sample order."""
    return [v for batch_values in values for v in batch_values.tolist()]


def reward_scores(reward_model: str, rows: list, dtype=torch.float32, show: bool = True) -> list:
    """The reward model's score of every row of ``rows`` (``Generated.rows``), in sample order."""
    dev = inference_device()
    rm = ScalarHeadModel.from_pretrained(reward_model, dtype=dtype).to(dev)
    with torch.no_grad():
        scores = [rm.score(ids.to(dev), mask.to(dev)).float().cpu() for ids, mask, _, _ in bar(rows, "reward model",
                                                                                                show)]
    return per_row(scores)
