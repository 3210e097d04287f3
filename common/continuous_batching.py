"""Continuous batching: rows that join a running decode at its next step and leave it when they finish.

A micro-batch (``generation.generate``) decodes its rows together from the first token to the last: a request that
arrives a step after it started waits for the whole batch, and a row that finished early keeps its slot until the
longest one ends. Here the batch is a living set of rows over one KV cache:

* ``add`` prefills new prompts (one forward for all of them, left-padded) and merges their cache into the running
  one, left-padding whichever is shorter: a padded slot is masked out, never attended to;
* ``step`` decodes one token for every row (one forward of the whole batch, each row at its own position), and
  returns the rows that finished (an end-of-turn token, or their own ``max_new_tokens``), which leave the batch;
  the cache's leading columns that no remaining row uses are trimmed.

Each row keeps its own decoding settings (greedy, or sampling at its temperature and nucleus ``top_p``), so rows of
any settings share a batch. Greedy rows decode what the row would alone: padding is masked, positions are counted
over real tokens (``ops.position_ids_from_mask``).

Full-attention caches (``transformers.DynamicCache`` with ``DynamicLayer``s: Qwen2, Llama) only: a sliding-window
layer cannot be left-padded this way, and is refused.
"""
from dataclasses import dataclass, field

import torch
from transformers import DynamicCache
from transformers.cache_utils import DynamicLayer

from .data import pad_sequences
from .generation import few_row_linears, next_tokens
from .ops import position_ids_from_mask


@dataclass
class Row:
    """One request decoding in the batch; ``tokens`` are its generated ids, the stop token included."""
    key: object  # the caller's handle
    max_new_tokens: int
    do_sample: bool = False
    temperature: float = 1.0
    top_p: float = 1.0
    tokens: list = field(default_factory=list)
    finished: bool = False


class ContinuousBatch:
    def __init__(self, model, stop_ids, pad_token_id: int):
        self.model, self.stop_ids, self.pad_token_id = model, set(stop_ids), pad_token_id
        self.device = next(model.parameters()).device
        self.rows, self.cache, self.mask = [], None, None  # mask: (B, L) 1 on the cache's real positions

    def __len__(self):
        return len(self.rows)

    @torch.no_grad()
    def add(self, prompts: list, rows: list) -> list:
        """Prefill ``prompts`` (token id lists) for ``rows`` (``Row``s, one each), choose their first tokens and
        merge them into the batch. Returns the rows that finished at once (e.g. ``max_new_tokens`` 1)."""
        ids = pad_sequences(prompts, self.pad_token_id, side="left").to(self.device)  # (k, P)
        mask = pad_sequences([[1] * len(p) for p in prompts], 0, side="left").to(self.device)  # (k, P)
        cache = DynamicCache(config=self.model.config)
        with few_row_linears(self.model):
            out = self.model(input_ids=ids, attention_mask=mask, position_ids=position_ids_from_mask(mask),
                             past_key_values=cache, use_cache=True, logits_to_keep=1)
        self._check(cache)
        if self.cache is None:
            self.cache, self.mask = cache, mask
        else:
            self.cache, self.mask = _merge(self.cache, self.mask, cache, mask)
        self.rows += rows
        return self._advance(out.logits[:, -1], rows)

    @torch.no_grad()
    def step(self) -> list:
        """Decode one token for every row; returns the rows that finished (removed from the batch)."""
        if not self.rows:
            return []
        last = torch.tensor([[r.tokens[-1]] for r in self.rows], device=self.device)  # (B, 1)
        self.mask = torch.cat([self.mask, self.mask.new_ones(len(self.rows), 1)], dim=1)  # (B, L + 1)
        positions = self.mask.sum(1, keepdim=True) - 1  # (B, 1): the new token's position among real tokens
        with few_row_linears(self.model):  # one token a row
            out = self.model(input_ids=last, attention_mask=self.mask, position_ids=positions,
                             past_key_values=self.cache, use_cache=True)
        return self._advance(out.logits[:, -1], self.rows)

    def drop(self, keys) -> None:
        """Remove the rows of ``keys`` (e.g. their clients left) without finishing them."""
        keys = set(keys)
        self._keep([i for i, r in enumerate(self.rows) if r.key not in keys])

    # --- internals ------------------------------------------------------------------------------------------------
    def _advance(self, logits: torch.Tensor, rows: list) -> list:
        """Append each row's next token (from its logits (k, V)); remove and return the rows that finished."""
        for row, token in zip(rows, choose_tokens(logits, rows).tolist()):
            row.tokens.append(token)
            row.finished = token in self.stop_ids or len(row.tokens) >= row.max_new_tokens
        done = [r for r in self.rows if r.finished]
        if done:
            self._keep([i for i, r in enumerate(self.rows) if not r.finished])
        return done

    def _keep(self, indices: list):
        if len(indices) == len(self.rows):
            return
        self.rows = [self.rows[i] for i in indices]
        if not self.rows:
            self.cache, self.mask = None, None
            return
        index = torch.tensor(indices, device=self.device)
        self.mask = self.mask[index]
        first = int(self.mask.any(0).nonzero()[0])  # leading columns no remaining row uses
        self.mask = self.mask[:, first:]
        for layer in self.cache.layers:
            layer.keys, layer.values = layer.keys[index, :, first:], layer.values[index, :, first:]

    @staticmethod
    def _check(cache):
        if any(type(layer) is not DynamicLayer for layer in cache.layers):
            kinds = sorted({type(layer).__name__ for layer in cache.layers})
            raise NotImplementedError(f"continuous batching needs full-attention cache layers, got {', '.join(kinds)}")


def _merge(cache_a, mask_a, cache_b, mask_b) -> tuple:
    """One cache of the rows of two: the shorter left-padded (masked) to the longer's length, then stacked."""
    width = max(mask_a.shape[1], mask_b.shape[1])

    def pad(t, dim):  # left-pad dimension ``dim`` with zeros up to ``width``
        missing = width - t.shape[dim]
        if not missing:
            return t
        shape = list(t.shape)
        shape[dim] = missing
        return torch.cat([t.new_zeros(shape), t], dim=dim)

    for a, b in zip(cache_a.layers, cache_b.layers):
        a.keys = torch.cat([pad(a.keys, 2), pad(b.keys, 2)])
        a.values = torch.cat([pad(a.values, 2), pad(b.values, 2)])
    return cache_a, torch.cat([pad(mask_a, 1), pad(mask_b, 1)])


def choose_tokens(logits: torch.Tensor, rows: list) -> torch.Tensor:
    """Each row's next token from its logits (k, V): the argmax for a greedy row; for a sampling row a draw from the
    softmax at its temperature, restricted to its nucleus ``top_p`` (``generation.next_tokens``)."""
    logits = logits.float()
    tokens = logits.argmax(-1)  # (k,)
    sampled = [i for i, r in enumerate(rows) if r.do_sample]
    if sampled:
        index = torch.tensor(sampled, device=logits.device)
        temperature = torch.tensor([rows[i].temperature for i in sampled], device=logits.device).unsqueeze(1)
        top_p = torch.tensor([rows[i].top_p for i in sampled], device=logits.device).unsqueeze(1)
        tokens[index] = next_tokens(logits[index], True, temperature, top_p)[0]
    return tokens
