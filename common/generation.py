"""Generation for samples and rollouts: batched, left-padded, stopping at end of turn, ranks kept in step; and the
row layout that scores a generated response (``concat_prompt_response``, ``response_logits``).

Two modes for a ZeRO-3 engine (``--generation_mode``):

* ``gathered`` (default): the weights are gathered once and DeepSpeed's per-module fetch hooks are removed for the
  duration (``zero3.gathered_for_generation``). Every forward is then local to its rank, so ranks decode
  independently and may stop at different lengths; ``synced_gpus`` is off because nothing needs syncing (with it
  on, a finished rank would keep running forwards, and transformers would all-reduce a "done" flag every step).
* ``naive``: decoding through the hooks. Each forward gathers every layer collectively, so every rank must run
  the same number of forwards: ``synced_gpus`` keeps finished ranks stepping until all are done. Slow (one
  all-gather of the model per token), but never holds more than the hooks' live-parameter budget: the fallback
  for a model too large to gather whole.

Without ZeRO-3 (or for a plain module) both modes are the same plain ``generate``.
"""
import torch

from . import zero3
from .data import pad_sequences
from .ops import position_ids_from_mask

MODES = ("gathered", "naive")


@torch.no_grad()
def generate(model, tokenizer, input_ids, attention_mask, max_new_tokens: int, do_sample: bool = False,
             temperature: float = 1.0, top_p: float = 1.0, mode: str = "gathered", merge_lora: bool = False) -> list:
    """Response token ids per row (list of lists), cut after the first EOS (kept) or at ``max_new_tokens``.

    ``model``: a DeepSpeed engine (trainable or frozen, any ZeRO stage) or a plain module (unsharded use).
    ``input_ids`` / ``attention_mask``: (B, P) left-padded prompts. ``do_sample=False`` is greedy; otherwise
    sampling with ``temperature`` and nucleus ``top_p``. ``mode``: see the module docstring; ``merge_lora``
    merges a LoRA adapter into the gathered weights while decoding (gathered mode under ZeRO-3 only). Every rank
    must call this together under ZeRO-3 (gathering is collective), each with its own prompts.
    """
    if mode not in MODES:
        raise ValueError(f"generation mode {mode!r}: expected one of {', '.join(MODES)}")
    if mode == "gathered":
        with zero3.gathered_for_generation(model, merge_lora=merge_lora) as module:
            out = _generate(module, tokenizer, input_ids, attention_mask, max_new_tokens, do_sample, temperature,
                            top_p, synced=False)
    else:
        module = zero3.unwrap(model)
        sharded = any(zero3.is_partitioned(p) for p in module.parameters())
        synced = sharded and torch.distributed.is_initialized() and torch.distributed.get_world_size() > 1
        with zero3.eval_without_checkpointing(module):
            out = _generate(module, tokenizer, input_ids, attention_mask, max_new_tokens, do_sample, temperature,
                            top_p, synced=synced)
    return cut_responses(out[:, input_ids.shape[1]:].tolist(), tokenizer.eos_token_id)


def _generate(module, tokenizer, input_ids, attention_mask, max_new_tokens, do_sample, temperature, top_p, synced):
    sampling = dict(do_sample=True, temperature=temperature, top_p=top_p) if do_sample else dict(do_sample=False)
    return module.generate(
        input_ids=input_ids, attention_mask=attention_mask, max_new_tokens=max_new_tokens,
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id, use_cache=True,
        synced_gpus=synced, **sampling,
    )  # (B, P + N)


def cut_responses(rows: list, eos_token_id: int) -> list:
    """Each row up to and including its first EOS; a row without EOS is kept whole.

    Decoding stops early only once every row has emitted EOS, and a row that finished is filled with PAD after
    its EOS, so a row without EOS holds only generated tokens (a PAD in it was generated, not padding).
    """
    return [row[: row.index(eos_token_id) + 1] if eos_token_id in row else row for row in rows]


def decode_responses(tokenizer, responses: list) -> list:
    return [tokenizer.decode(r, skip_special_tokens=True).strip() for r in responses]


def concat_prompt_response(prompt_ids, prompt_mask, responses: list, pad_token_id: int) -> tuple:
    """``(input_ids, attention_mask, response_mask)`` of left-padded prompts followed by right-padded responses."""
    N = max(1, max(len(r) for r in responses))
    response_ids = pad_sequences([r + [pad_token_id] * (N - len(r)) for r in responses], pad_token_id)  # (B, N)
    response_mask = pad_sequences([[1] * len(r) for r in responses] + [[0] * N], 0)[:-1].float()  # (B, N)
    input_ids = torch.cat([prompt_ids.cpu(), response_ids], dim=1)  # (B, P + N)
    attention_mask = torch.cat([prompt_mask.cpu(), response_mask.long()], dim=1)  # (B, P + N)
    return input_ids, attention_mask, response_mask


def response_logits(model, input_ids, attention_mask, prompt_len: int, temperature: float = 1.0):
    """Logits that predict each response token: (B, N, V), divided by the sampling temperature."""
    logits = model(input_ids=input_ids, attention_mask=attention_mask,
                   position_ids=position_ids_from_mask(attention_mask)).logits  # (B, P + N, V)
    return logits[:, prompt_len - 1: -1] / temperature  # (B, N, V)
