"""Generation for samples and rollouts: batched, left-padded, sampling exactly as asked, stopping at every
end-of-turn token, ranks kept in step; ``concat_prompt_response`` lays a generated batch out as rows to score
(``forward.py``).

The decoding loop is ours (``_decode``: a prefill, then one forward per token over the KV cache), not
transformers' ``generate``: nothing is read from a checkpoint's generation config, the sampler is the one
``next_tokens`` defines, and it can return each token's log-probability under the full softmax at the sampling
temperature, the number PPO needs of the policy that sampled, at no extra forward.

Two modes for a ZeRO-3 engine (``--generation_mode``):

* ``gathered`` (default): the weights are gathered once and DeepSpeed's per-module fetch hooks are removed for the
  duration (``zero3.gathered_for_generation``). Every forward is then local to its rank, so ranks decode
  independently and may stop at different lengths: no collective runs while decoding.
* ``naive``: decoding through the hooks. Each forward gathers every layer collectively, so every rank must run
  the same number of forwards: the ranks agree at every step whether all are done (one all-reduce) and finished
  ones keep stepping until then. Slow (one all-gather of the model per token), but never holds more than the
  hooks' live-parameter budget: the fallback for a model too large to gather whole.

Without ZeRO-3 (or for a plain module) both modes are the same plain decoding.
"""
import contextlib
import types

import torch
from transformers import DynamicCache

from . import zero3
from .data import pad_sequences
from .ops import position_ids_from_mask

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
             merge_lora: bool = False, return_logprobs: bool = False, value_head=None):
    """Response token ids per row (list of lists), cut after the first stop token (kept; ``stop_token_ids``) or
    at ``max_new_tokens``; with ``return_logprobs`` also each token's log-probability under the full softmax of the
    logits at ``temperature`` (list of lists, aligned with the tokens); with ``value_head`` (a shared critic, a
    submodule of ``model``: ``modeling.add_value_head``) also the value of the state that emits each token, read
    off the same decoding step's last hidden state (list of lists, returned last).

    ``model``: a DeepSpeed engine (trainable or frozen, any ZeRO stage) or a plain module (unsharded use).
    ``input_ids`` / ``attention_mask``: (B, P) left-padded prompts. ``do_sample=False`` is greedy; otherwise
    sampling from the softmax at ``temperature``, restricted only by ``top_k`` (0 = off) and nucleus ``top_p`` as
    asked (``next_tokens``). ``mode``: see the module docstring; ``merge_lora`` merges a LoRA adapter into the
    weights while decoding (gathered mode; exact on exit, ``zero3.gathered_for_generation``). Every rank must call
    this together under ZeRO-3 (gathering is collective), each with its own prompts.
    """
    if mode not in MODES:
        raise ValueError(f"generation mode {mode!r}: expected one of {', '.join(MODES)}")
    stop_ids = stop_token_ids(tokenizer)
    sampling = dict(do_sample=do_sample, temperature=temperature, top_p=top_p, top_k=top_k)
    if mode == "gathered":
        with zero3.gathered_for_generation(model, merge_lora=merge_lora) as module:
            tokens, logprobs, values = _decode(module, input_ids, attention_mask, max_new_tokens, sampling,
                                               stop_ids, tokenizer.pad_token_id, synced=False, value_head=value_head)
    else:
        module = zero3.unwrap(model)
        sharded = any(zero3.is_partitioned(p) for p in module.parameters())
        synced = sharded and torch.distributed.is_initialized() and torch.distributed.get_world_size() > 1
        with zero3.eval_without_checkpointing(module):
            tokens, logprobs, values = _decode(module, input_ids, attention_mask, max_new_tokens, sampling,
                                               stop_ids, tokenizer.pad_token_id, synced=synced, value_head=value_head)
    responses = cut_responses(tokens.tolist(), stop_ids)
    out = [responses]
    if return_logprobs:
        out.append([row[: len(r)] for row, r in zip(logprobs.tolist(), responses)])
    if value_head is not None:
        out.append([row[: len(r)] for row, r in zip(values.tolist(), responses)])
    return out[0] if len(out) == 1 else tuple(out)


def _decode(module, input_ids, attention_mask, max_new_tokens: int, sampling: dict, stop_ids, pad_token_id: int,
            synced: bool, value_head=None) -> tuple:
    """``(tokens, logprobs, values)``, each (B, n) with n <= ``max_new_tokens``: a row that stopped is filled with
    PAD (log-prob and value 0); ``values`` is None without a ``value_head``.

    Decoding ends when every row has stopped, or at ``max_new_tokens``. ``synced`` (naive ZeRO-3 decoding, where
    every forward gathers each layer collectively): the ranks agree at every step whether all of them are done
    (one all-reduce), and a finished rank keeps running forwards until then.

    A row equal to the row before it (the K samples of one prompt, consecutive, as PPO's critic-free estimators
    lay them out) shares that row's prefill: only distinct rows run it, and the KV cache, logits and hidden state
    are copied to the rows that repeat them before the first token is drawn, each row sampling on its own.
    """
    device = input_ids.device
    cache = DynamicCache(config=module.config)
    mask = attention_mask
    positions = position_ids_from_mask(mask)  # (B, P): left padding does not shift positions
    ids = input_ids
    stops = torch.tensor(stop_ids, device=device)
    done = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=device)
    repeats = torch.zeros_like(done)  # (B,) the row equals the row before it
    repeats[1:] = (input_ids[1:] == input_ids[:-1]).all(1) & (attention_mask[1:] == attention_mask[:-1]).all(1)
    source = (~repeats).cumsum(0) - 1  # (B,) each row's distinct row among those that run the prefill
    tokens, logprobs, values = [], [], []
    with few_row_linears(module):  # one token a row: the weight-major product (``few_row_linears``)
        for step in range(max_new_tokens):
            share = step == 0 and bool(repeats.any())
            rows = ~repeats if share else slice(None)
            out = module(input_ids=ids[rows], attention_mask=mask[rows], position_ids=positions[rows],
                         past_key_values=cache, use_cache=True, logits_to_keep=1,
                         output_hidden_states=value_head is not None)
            logits = out.logits[:, -1]  # (B, V), or (distinct rows, V) after a shared prefill
            hidden = out.hidden_states[-1][:, -1] if value_head is not None else None  # the state emitting the token
            if share:
                cache.batch_select_indices(source)
                logits, hidden = logits[source], (hidden[source] if hidden is not None else None)
            token, logp = next_tokens(logits, **sampling)  # (B,) each
            token = token.masked_fill(done, pad_token_id)
            tokens.append(token)
            logprobs.append(logp.masked_fill(done, 0.0))
            if value_head is not None:
                values.append(value_head(hidden).squeeze(-1).float().masked_fill(done, 0.0))
            done = done | torch.isin(token, stops)
            if _all_done(done, synced):
                break
            ids = token.unsqueeze(1)  # (B, 1)
            mask = torch.cat([mask, mask.new_ones(mask.shape[0], 1)], dim=1)
            positions = positions[:, -1:] + 1
    return torch.stack(tokens, 1), torch.stack(logprobs, 1), (torch.stack(values, 1) if values else None)


FEW_ROWS = 64  # a linear layer's input rows up to which ``few_row_linears`` takes the weight-major product


@contextlib.contextmanager
def few_row_linears(module):
    """Within: every ``nn.Linear`` of ``module`` on the CPU computes a float32 input of at most ``FEW_ROWS`` rows
    as ``(W · xᵀ)ᵀ`` instead of ``x · Wᵀ`` (``F.linear``); more rows, other dtypes and other devices as before.

    A decoding step multiplies a handful of rows (one token per sequence) by every weight matrix. On the CPU the
    BLAS kernel behind ``F.linear`` handles so few rows poorly: SmolLM2's (576 → 1536) projection with 8 rows
    streamed its weight at about 8 GB/s here, its 49k-token LM head at 6, while the same product written weight
    first ran 1.3–3.8× faster for 2–32 rows (1.0× for one row, below 1 only past 128 rows). The result is the
    same product (float32 rounding may differ in the last bits, as between any two kernels). Prefills and
    training forwards have many rows and keep ``F.linear``. peft's LoRA layers are reached through the
    ``nn.Linear`` they wrap; a module whose ``forward`` is already replaced on the instance is left alone.
    """
    linears = [m for m in module.modules() if type(m) is torch.nn.Linear and "forward" not in m.__dict__
               and m.weight.device.type == "cpu"]
    for m in linears:
        m.forward = types.MethodType(_few_row_linear, m)
    try:
        yield module
    finally:
        for m in linears:
            del m.forward


def _few_row_linear(self, x: torch.Tensor) -> torch.Tensor:
    rows = x.numel() // x.shape[-1]
    if rows > FEW_ROWS or x.dtype != torch.float32 or self.weight.dtype != torch.float32:
        return torch.nn.functional.linear(x, self.weight, self.bias)
    y = torch.mm(self.weight, x.reshape(rows, x.shape[-1]).t()).t()  # (rows, out), the weight streamed once
    if self.bias is not None:
        y = y + self.bias
    return y.contiguous().reshape(*x.shape[:-1], y.shape[-1])


def _all_done(done, synced: bool) -> bool:
    if not synced:
        return bool(done.all())
    flag = torch.tensor([0.0 if bool(done.all()) else 1.0], device=done.device)
    torch.distributed.all_reduce(flag)  # how many ranks still decode
    return flag.item() == 0


def next_tokens(logits: torch.Tensor, do_sample: bool, temperature=1.0, top_p=1.0, top_k: int = 0) -> tuple:
    """``(tokens, logprobs)``, each (B,): each row's next token from its logits (B, V) and its log-probability
    under the full softmax of ``logits / temperature`` (what PPO scores, whatever the sampler's cut-offs).

    Greedy: the argmax. Sampling: a draw from the softmax at ``temperature``, restricted to the ``top_k`` most
    likely tokens (0 = off) and then to the nucleus (the smallest set of most likely tokens whose probability
    reaches ``top_p``; the most likely token always stays), in transformers' order (temperature, top-k, top-p).
    ``temperature`` and ``top_p`` may be floats or (B, 1) tensors (one setting per row). The draw inverts the CDF
    with one uniform per row (a ``torch.rand`` call: seeded runs repeat).
    """
    logits = logits.float()
    scores = logits / temperature  # (B, V)
    logz = torch.logsumexp(scores, -1)  # (B,)
    if not do_sample:
        tokens = logits.argmax(-1)
        return tokens, scores.gather(-1, tokens.unsqueeze(-1)).squeeze(-1) - logz
    kept = scores
    if top_k:
        kth = scores.topk(min(top_k, scores.shape[-1]), -1).values[:, -1:]  # (B, 1)
        kept = kept.masked_fill(kept < kth, float("-inf"))
    if not isinstance(top_p, torch.Tensor):
        top_p = torch.full((scores.shape[0], 1), float(top_p), device=scores.device)
    if bool((top_p < 1.0).any()):
        sorted_scores, order = kept.sort(-1)  # ascending
        remove = sorted_scores.softmax(-1).cumsum(-1) <= 1 - top_p
        remove[:, -1] = False
        kept = kept.scatter(-1, order, sorted_scores.masked_fill(remove, float("-inf")))
    cdf = (kept - kept.max(-1, keepdim=True).values).exp().cumsum(-1)  # (B, V) unnormalised
    u = torch.rand(cdf.shape[0], 1, device=cdf.device) * cdf[:, -1:]
    tokens = torch.searchsorted(cdf, u, right=True).squeeze(1).clamp(max=cdf.shape[-1] - 1)  # first cdf > u
    return tokens, scores.gather(-1, tokens.unsqueeze(-1)).squeeze(-1) - logz


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
