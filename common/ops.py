"""Pure tensor helpers shared by every stage (torch only; no DeepSpeed, no transformers).

Conventions: ``mask`` is 1.0 on real tokens and 0.0 elsewhere, same shape as ``x``. Every reduction
divides by the number of real tokens, so padding never dilutes a statistic.
"""
import torch


def masked_sum(x: torch.Tensor, mask: torch.Tensor, dim=None) -> torch.Tensor:
    """Sum of ``x`` over positions where ``mask`` is 1."""
    if dim is None:
        return (x * mask).sum()
    return (x * mask).sum(dim=dim)


def masked_mean(x: torch.Tensor, mask: torch.Tensor, dim=None) -> torch.Tensor:
    """Mean of ``x`` over positions where ``mask`` is 1 (over all of them when ``dim`` is None).

    An all-zero mask gives 0 rather than NaN: the denominator is clamped to 1.
    """
    return masked_sum(x, mask, dim) / mask.sum(dim=dim).clamp(min=1)


def masked_var(x: torch.Tensor, mask: torch.Tensor, unbiased: bool = True) -> torch.Tensor:
    """Variance of ``x`` over the masked positions.

    ``unbiased=True`` applies Bessel's correction n/(n-1) over the n real tokens, the convention used when
    whitening advantages (the n real tokens are a sample of the rollout distribution).
    """
    mean = masked_mean(x, mask)
    var = masked_mean((x - mean) ** 2, mask)
    if unbiased:
        n = mask.sum()
        if n <= 1:
            return var
        var = var * n / (n - 1)
    return var


def masked_whiten(x: torch.Tensor, mask: torch.Tensor, shift_mean: bool = True, eps: float = 1e-8) -> torch.Tensor:
    """(x − μ)/σ with μ, σ² the masked mean and unbiased masked variance.

    ``shift_mean=False`` adds μ back, rescaling without moving the mean: used for rewards, whose sign matters.
    Positions outside the mask are whitened too (they are ignored downstream by the same mask).
    """
    mean, var = masked_mean(x, mask), masked_var(x, mask)
    whitened = (x - mean) * torch.rsqrt(var + eps)
    if not shift_mean:
        whitened = whitened + mean
    return whitened


def gather_logprobs(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Per-token log p(label): logits (..., V), labels (...) -> (...), e.g. (B, T, V) -> (B, T).

    log_softmax then gather; computed in float32 so bf16 logits don't lose the small differences that
    ratios and KL terms are made of.
    """
    logp = torch.log_softmax(logits.float(), dim=-1)  # (B, T, V)
    return torch.gather(logp, -1, labels.unsqueeze(-1)).squeeze(-1)  # (B, T)


def entropy_from_logits(logits: torch.Tensor) -> torch.Tensor:
    """Per-token entropy of the categorical distribution: (..., V) -> (...)."""
    logp = torch.log_softmax(logits.float(), dim=-1)  # (B, T, V)
    return -(logp.exp() * logp).sum(-1)  # (B, T)


def last_token_index(attention_mask: torch.Tensor) -> torch.Tensor:
    """Index of the last real token of each row: (B, T) -> (B,).

    Works for right padding and for left-padded prompts followed by a right-padded response, because it looks
    for the last 1 in the mask rather than counting ones. A row with no real token gives 0.
    """
    T = attention_mask.shape[-1]
    positions = torch.arange(T, device=attention_mask.device).expand_as(attention_mask)  # (B, T)
    return torch.where(attention_mask.bool(), positions, torch.zeros_like(positions)).max(dim=-1).values  # (B,)


def position_ids_from_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """Positions counted over real tokens only: (B, T) -> (B, T).

    A left-padded row then starts at position 0 on its first real token, as it would unpadded, so padding does
    not shift rotary positions (and scores match those of the same text without padding).
    """
    return (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
