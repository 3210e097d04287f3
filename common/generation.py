"""Generation for samples and rollouts: batched, left-padded, sampling exactly as asked, stopping at every
end-of-turn token, ranks kept in step; ``concat_prompt_response`` lays a generated batch out as rows to score
(``forward.py``).

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
import contextlib

import torch
from transformers import GenerationConfig, GenerationMixin

from . import zero3
from .data import pad_sequences

MODES = ("gathered", "naive")
END_OF_TURN_TOKENS = ("<|im_end|>", "<|endoftext|>")  # ChatML's end of turn and end of text


def stop_token_ids(tokenizer) -> list:
    """The tokens that end a response: EOS first, then each of ``END_OF_TURN_TOKENS`` the vocabulary has.

    A chat model may end its turn with either (Qwen2.5 emits ``<|endoftext|>`` now and then, though its EOS is
    ``<|im_end|>``); one that is not a stop would be kept as content and decoding would run on past it. A
    stand-in tokenizer without a vocabulary (only ``eos_token_id`` / ``pad_token_id``) stops at its EOS.
    """
    ids = [tokenizer.eos_token_id]
    if hasattr(tokenizer, "convert_tokens_to_ids"):
        ids += [tokenizer.convert_tokens_to_ids(t) for t in END_OF_TURN_TOKENS]
    unknown = (None, getattr(tokenizer, "unk_token_id", None))
    return list(dict.fromkeys(i for i in ids if i not in unknown))


@torch.no_grad()
def generate(model, tokenizer, input_ids, attention_mask, max_new_tokens: int, do_sample: bool = False,
             temperature: float = 1.0, top_p: float = 1.0, top_k: int = 0, mode: str = "gathered",
             merge_lora: bool = False) -> list:
    """Response token ids per row (list of lists), cut after the first stop token (kept; ``stop_token_ids``) or
    at ``max_new_tokens``.

    ``model``: a DeepSpeed engine (trainable or frozen, any ZeRO stage) or a plain module (unsharded use).
    ``input_ids`` / ``attention_mask``: (B, P) left-padded prompts. ``do_sample=False`` is greedy; otherwise
    sampling from the softmax at ``temperature``, restricted only by nucleus ``top_p`` and ``top_k`` (0 = off)
    as asked: nothing comes from the checkpoint's generation config (``_sampling_config``,
    ``_blank_model_generation_config``). ``mode``: see the module docstring; ``merge_lora`` merges a LoRA adapter
    into the gathered weights while decoding (gathered mode under ZeRO-3 only). Every rank must call this together
    under ZeRO-3 (gathering is collective), each with its own prompts.
    """
    if mode not in MODES:
        raise ValueError(f"generation mode {mode!r}: expected one of {', '.join(MODES)}")
    stop_ids = stop_token_ids(tokenizer)
    config = _sampling_config(max_new_tokens, do_sample, temperature, top_p, top_k, stop_ids, tokenizer.pad_token_id)
    if mode == "gathered":
        with zero3.gathered_for_generation(model, merge_lora=merge_lora) as module:
            out = _generate(module, input_ids, attention_mask, config, synced=False)
    else:
        module = zero3.unwrap(model)
        sharded = any(zero3.is_partitioned(p) for p in module.parameters())
        synced = sharded and torch.distributed.is_initialized() and torch.distributed.get_world_size() > 1
        with zero3.eval_without_checkpointing(module):
            out = _generate(module, input_ids, attention_mask, config, synced=synced)
    return cut_responses(out[:, input_ids.shape[1]:].tolist(), stop_ids)


def _sampling_config(max_new_tokens, do_sample, temperature, top_p, top_k, stop_ids, pad_token_id):
    """Every setting that shapes the next-token distribution or the output, as asked or at its neutral value.

    PPO scores rollouts with the full softmax at ``temperature``: any other processor (transformers' default
    ``top_k=50``, a checkpoint's ``top_k`` or ``repetition_penalty``) would make them off-policy. Greedy sets no
    sampling knob (transformers warns about unused ones).
    """
    sampling = dict(temperature=temperature, top_p=top_p, top_k=top_k, typical_p=1.0, epsilon_cutoff=0.0,
                    eta_cutoff=0.0) if do_sample else {}
    return GenerationConfig(
        do_sample=do_sample, **sampling, num_beams=1, num_return_sequences=1, max_new_tokens=max_new_tokens,
        min_length=0, repetition_penalty=1.0, no_repeat_ngram_size=0, renormalize_logits=False,
        remove_invalid_values=False, eos_token_id=stop_ids, pad_token_id=pad_token_id, use_cache=True,
        return_dict_in_generate=False,
    )


def _generate(module, input_ids, attention_mask, config, synced):
    with _blank_model_generation_config(module):
        return module.generate(input_ids=input_ids, attention_mask=attention_mask, generation_config=config,
                               synced_gpus=synced)  # (B, P + N)


@contextlib.contextmanager
def _blank_model_generation_config(module):
    """Swap each model's own generation config for a blank one while decoding, restored on exit.

    ``generate(generation_config=...)`` fills every setting left ``None`` from ``model.generation_config``, and
    several are neutral only as ``None`` (``suppress_tokens``, ``bad_words_ids``, ``forced_*_token_id``,
    ``min_p``, ``stop_strings``...): no explicit value keeps a checkpoint's out. With a blank one they take
    transformers' global defaults, all neutral but ``top_k=50``, which ``_sampling_config`` sets. A peft model
    reads its base model's config, which is swapped here too.
    """
    owners = [m for m in module.modules() if isinstance(m, GenerationMixin)]
    kept = [m.generation_config for m in owners]
    for m in owners:
        m.generation_config = GenerationConfig()
    try:
        yield
    finally:
        for m, config in zip(owners, kept):
            m.generation_config = config


def cut_responses(rows: list, stop_ids) -> list:
    """Each row up to and including its first stop token (``stop_ids``: one id or a list); a row without one is
    kept whole.

    Decoding stops early only once every row has stopped, and a row that stopped is filled with PAD after its
    stop token, so a row without a stop token holds only generated tokens (a PAD in it was generated, not
    padding; when PAD is itself a stop token, as Qwen's ``<|endoftext|>``, a generated PAD ends the row).
    """
    stops = _as_set(stop_ids)
    return [row[: next((k + 1 for k, t in enumerate(row) if t in stops), len(row))] for row in rows]


def ended(response: list, stop_ids) -> bool:
    """Whether a response (cut by ``cut_responses``) ended its turn, rather than running into the length limit."""
    return bool(response) and response[-1] in _as_set(stop_ids)


def _as_set(stop_ids) -> set:
    return {stop_ids} if isinstance(stop_ids, int) else set(stop_ids)


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
