"""Shared prefixes computed once: a batch's forward split into a tree of at most three levels.

The rows of a batch repeat each other's beginnings: every row starts with the same system prompt and chat
template (38 of SmolLM2's ~120 prompt tokens on the bundled data), a preference pair's chosen and rejected rows
share their whole prompt, and RLOO's K samples of one prompt share it too. A causal model computes the same hidden
states and keys/values for a repeated beginning in every row that holds it, so the forward can run it once:

1. **level 1**: the prefix common to all rows, one row;
2. **level 2**: each group's shared part after it (a pair's prompt), one row per group, attending to level 1's
   keys/values;
3. **level 3**: each row's own rest (the responses), attending to levels 1 and 2 through the KV cache.

The hidden states of every real position are gathered back into the batch's own (B, T, H) layout, so callers see
exactly what the plain forward returns (float rounding apart: other matrix shapes). Gradients flow through the
gather and the keys/values into the shared levels, where each row's contribution is summed: the same gradient as
the plain forward's. Dropout draws one mask for a shared position instead of one per row (same expectation).

The groups are found from the tokens alone: in lexicographic order rows with a common prefix are neighbours, so
the best two-level split (fewest tokens computed) is a partition of the sorted rows into runs, found by a small
dynamic program. The split is used only when, padding counted, it computes at most ``MAX_COST_RATIO`` of the
plain forward's positions; otherwise (nothing shared, one row) the plain forward runs.

Not used (plain forward) under gradient checkpointing, which transformers runs without a KV cache, nor for models
whose layers are not all full attention (a sliding window or a recurrent layer sees the prefix differently).
"""
from dataclasses import dataclass

import torch
from transformers import DynamicCache

from . import zero3
from .ops import position_ids_from_mask

MAX_COST_RATIO = 0.9  # share only if the split computes ≤ 90% of the plain forward's positions (padding included)


@dataclass
class Split:
    """How one batch is computed: the common prefix, the groups of level 2 and each row's part of level 3."""
    k0: int  # length of the prefix all rows share (level 1)
    group_rows: list  # row index of one member of each level-2 group
    group_len: list  # each group's shared length (> k0), from each row's first real token
    row_group: list  # each row's group (-1: the row has no level-2 part)
    row_shared: list  # each row's shared length (its group's, or k0)
    starts: list  # each row's first real column
    lengths: list  # each row's number of real tokens

    def prefix_only(self) -> "Split":
        """The same batch with the common prefix shared and nothing else (two forwards instead of three)."""
        B = len(self.lengths)
        return Split(self.k0, [], [], [-1] * B, [self.k0] * B, self.starts, self.lengths)

    @property
    def cost(self) -> int:
        """Positions computed, padding included."""
        w2 = max((g - self.k0 for g in self.group_len), default=0)
        w3 = max(n - s for n, s in zip(self.lengths, self.row_shared))
        return self.k0 + len(self.group_len) * w2 + len(self.lengths) * w3


def plan(input_ids: torch.Tensor, attention_mask: torch.Tensor, min_prefix: int = 8):
    """The cheapest split of a batch whose rows' real tokens are contiguous (left- or right-padded), or None when
    the plain forward is as cheap (within ``MAX_COST_RATIO``)."""
    B, T = input_ids.shape
    if B < 2:
        return None
    input_ids, mask = input_ids.cpu(), attention_mask.cpu().bool()  # a few thousand ids: planned on the CPU
    lengths = mask.sum(1).tolist()
    starts = mask.int().argmax(1).tolist()
    if min(lengths) < 2 or any(not mask[i, s: s + n].all() for i, (s, n) in enumerate(zip(starts, lengths))):
        return None  # an empty row, or a row with a hole in its real tokens: the layout is not one this splits
    # each row's real tokens from column 0, a padding id unique to the row (no two rows ever agree on padding)
    rows = torch.stack([torch.roll(input_ids[i], -s) for i, s in enumerate(starts)])
    pos = torch.arange(T).expand(B, T)
    rows = torch.where(pos < torch.tensor(lengths).unsqueeze(1), rows, -1 - torch.arange(B).unsqueeze(1))
    order = sorted(range(B), key=lambda i: rows[i].tolist())
    s = rows[order]
    adjacent = (s[1:] == s[:-1]).long().cumprod(1).sum(1).tolist()  # LCP of sorted neighbours
    n = [lengths[i] for i in order]
    k0 = min(min(adjacent), min(n) - 1)  # every row keeps at least one token of its own
    if k0 < min_prefix:
        return None
    # best[b]: fewest positions (unpadded) for sorted rows [0, b); a run of ≥ 2 rows shares min(LCP, min len - 1)
    best, choice = [0] + [None] * B, [0] * (B + 1)
    for b in range(1, B + 1):
        for a in range(b - 1, -1, -1):
            if a == b - 1:
                shared, cost = k0, n[a] - k0
            else:
                shared = min(min(adjacent[a: b - 1]), min(n[a: b]) - 1)
                if shared <= k0:
                    break  # widening the run only lowers its shared length further
                cost = shared - k0 + sum(x - shared for x in n[a: b])
            if best[b] is None or best[a] + cost < best[b]:
                best[b], choice[b] = best[a] + cost, a
    runs, b = [], B
    while b > 0:
        runs.append((choice[b], b))
        b = choice[b]
    row_group, row_shared, group_rows, group_len = [-1] * B, [k0] * B, [], []
    for a, b in reversed(runs):
        if b - a < 2:
            continue
        shared = min(min(adjacent[a: b - 1]), min(n[a: b]) - 1)
        for i in order[a: b]:
            row_group[i], row_shared[i] = len(group_rows), shared
        group_rows.append(order[a])
        group_len.append(shared)
    two_levels = Split(k0, group_rows, group_len, row_group, row_shared, starts, lengths)
    split = min((two_levels, two_levels.prefix_only()), key=lambda x: x.cost)
    return split if split.cost <= MAX_COST_RATIO * B * T else None


def forwards(split) -> int:
    """How many model calls a split makes: 1 (plain), 2 (common prefix, rest) or 3 (with groups)."""
    return 1 if split is None else 2 + bool(split.group_len)


def _sharded(model) -> bool:
    """Whether the model's parameters are ZeRO-3 shards gathered by every rank together, module by module."""
    return (torch.distributed.is_initialized() and torch.distributed.get_world_size() > 1
            and any(zero3.is_partitioned(p) for p in model.parameters()))


def _agreed(split, device):
    """Under ZeRO-3 every rank must call the model as many times (each call gathers the shards collectively): the
    ranks agree on the fewest forwards any of them plans, and a rank that planned more falls back to fewer."""
    n = torch.tensor([forwards(split)], device=device)  # on the batch's device: NCCL reduces only GPU tensors
    torch.distributed.all_reduce(n, op=torch.distributed.ReduceOp.MIN)
    n = int(n)
    return None if n == 1 else split.prefix_only() if n < forwards(split) else split


def usable(model) -> bool:
    """Whether a model (a DeepSpeed engine, a peft model or a bare transformers model) can run a split forward."""
    inner = getattr(model, "module", model)
    if inner.training and any(getattr(m, "gradient_checkpointing", False) for m in inner.modules()):
        return False  # transformers drops the KV cache in checkpointed layers
    config = inner.config.get_text_config(decoder=True)
    layer_types = getattr(config, "layer_types", None) or ["full_attention"]
    return all(t == "full_attention" for t in layer_types) and not getattr(config, "use_sliding_window", False)


def hidden_states(run, input_ids: torch.Tensor, attention_mask: torch.Tensor, split: Split) -> torch.Tensor:
    """The last layer's hidden states (B, T, H) of the batch computed as ``split`` says; zeros at padding.

    ``run(input_ids, attention_mask, position_ids, cache)`` is one forward of the model that returns its last
    hidden states and appends the new keys/values to ``cache`` (a ``DynamicCache`` holding the earlier levels').
    """
    B, T = input_ids.shape
    k0, G, device = split.k0, len(split.group_rows), input_ids.device
    ones = lambda rows, cols: torch.ones(rows, cols, dtype=attention_mask.dtype, device=device)  # noqa: E731

    def tokens(i, a, b):  # row i's real tokens a .. b-1, counted from its first real token
        return input_ids[i, split.starts[i] + a: split.starts[i] + b]

    # level 1: the common prefix, one row
    cache = DynamicCache()
    h1 = run(tokens(0, 0, k0).unsqueeze(0), ones(1, k0), torch.arange(k0, device=device).unsqueeze(0), cache)
    kv1 = [(layer.keys, layer.values) for layer in cache.layers]

    # level 2: each group's shared part after the prefix, left-padded so every group ends at column k0 + w2
    w2 = max((g - k0 for g in split.group_len), default=0)
    if G:
        ids2 = torch.zeros(G, w2, dtype=input_ids.dtype, device=device)
        mask2 = torch.zeros(G, w2, dtype=attention_mask.dtype, device=device)
        for g, (i, shared) in enumerate(zip(split.group_rows, split.group_len)):
            ids2[g, w2 - (shared - k0):] = tokens(i, k0, shared)
            mask2[g, w2 - (shared - k0):] = 1
        cache = DynamicCache([(k.expand(G, -1, -1, -1), v.expand(G, -1, -1, -1)) for k, v in kv1])
        full2 = torch.cat([ones(G, k0), mask2], 1)
        h2 = run(ids2, full2, (k0 + mask2.cumsum(1) - 1).clamp(min=k0), cache)
        index = torch.tensor([max(g, 0) for g in split.row_group], device=device)
        past = [(layer.keys.index_select(0, index), layer.values.index_select(0, index)) for layer in cache.layers]
        in_group = torch.tensor([g >= 0 for g in split.row_group], device=device).unsqueeze(1)
        past_mask = torch.cat([ones(B, k0), mask2.index_select(0, index) * in_group], 1)
    else:
        h2 = input_ids.new_zeros(0, 0, h1.shape[-1], dtype=h1.dtype)
        past = [(k.expand(B, -1, -1, -1), v.expand(B, -1, -1, -1)) for k, v in kv1]
        past_mask = ones(B, k0)

    # level 3: each row's rest, right-padded, after its group's keys/values (or the prefix's alone)
    rest = [n - s for n, s in zip(split.lengths, split.row_shared)]
    w3 = max(rest)
    ids3 = torch.zeros(B, w3, dtype=input_ids.dtype, device=device)
    mask3 = torch.zeros(B, w3, dtype=attention_mask.dtype, device=device)
    for i in range(B):
        ids3[i, : rest[i]] = tokens(i, split.row_shared[i], split.lengths[i])
        mask3[i, : rest[i]] = 1
    pos3 = torch.tensor(split.row_shared, device=device).unsqueeze(1) + torch.arange(w3, device=device)
    h3 = run(ids3, torch.cat([past_mask, mask3], 1), pos3, DynamicCache(past))

    # every real position of the batch read from the level that computed it; padding reads a row of zeros
    H = h1.shape[-1]
    flat = torch.cat([h1.reshape(k0, H), h2.reshape(-1, H), h3.reshape(B * w3, H), h1.new_zeros(1, H)])
    index = torch.full((B, T), flat.shape[0] - 1, dtype=torch.long)
    for i in range(B):
        s, n, start = split.row_shared[i], split.lengths[i], split.starts[i]
        j = torch.arange(n)
        where = torch.where(j < k0, j, k0 + G * w2 + i * w3 + (j - s))
        if split.row_group[i] >= 0:
            level2 = k0 + split.row_group[i] * w2 + (w2 - (s - k0)) + (j - k0)
            where = torch.where((j >= k0) & (j < s), level2, where)
        index[i, start: start + n] = where
    return flat[index.to(device)]


def last_hidden(model, run, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """The last hidden states (B, T, H) of ``model`` on a batch: split when that is cheaper, else one plain forward
    (``run`` as in ``hidden_states``, called with ``cache=None``)."""
    split = plan(input_ids, attention_mask) if usable(model) else None
    if _sharded(model):
        split = _agreed(split, input_ids.device)
    if split is None:
        return run(input_ids, attention_mask, position_ids_from_mask(attention_mask), None)
    return hidden_states(run, input_ids, attention_mask, split)
