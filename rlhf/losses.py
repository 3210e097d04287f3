"""Pure RLHF math: reward-model loss, KL estimators, reward shaping, GAE, PPO policy and value losses.

Imports only torch and ``common.ops`` (itself pure). Shapes: ``B`` batch, ``T`` response tokens. ``mask`` is 1.0
on real response tokens and 0.0 elsewhere; a row's real tokens form one contiguous span that may start late (left
offset) and end early (right padding). Functions return unreduced tensors or a ``(loss, stats)`` pair whose stats
are detached scalar tensors; the trainer namespaces them (``ppo/clipfrac``, ...).

References
  [BT]   Bradley & Terry 1952; as a reward-model loss: Ouyang et al. 2022 "Training language models to follow
         instructions with human feedback" (InstructGPT), eq. 1.
  [KL]   J. Schulman 2020, "Approximating KL Divergence", http://joschu.net/blog/kl-approx.html (k1, k2, k3).
  [Z19]  Ziegler et al. 2019, "Fine-Tuning Language Models from Human Preferences", section 2.2 (KL-shaped reward).
  [GAE]  Schulman et al. 2016, "High-Dimensional Continuous Control Using Generalized Advantage Estimation",
         eq. 11 (δ_t) and eq. 16 (A_t = Σ_l (γλ)^l δ_{t+l}).
  [PPO]  Schulman et al. 2017, "Proximal Policy Optimization Algorithms", eq. 7 (clipped surrogate objective).
"""
import torch
import torch.nn.functional as F

from common.ops import last_token_index, masked_mean, masked_var

KL_ESTIMATORS = ("k1", "k2", "k3")


def pairwise_loss(chosen: torch.Tensor, rejected: torch.Tensor, margin=None) -> torch.Tensor:
    """Bradley–Terry reward-model loss [BT]: mean over the batch of −log σ(r_c − r_r − m).

    chosen, rejected: (B,) scalar rewards of the preferred / dispreferred response.
    margin: None, a float, or (B,) — how much the chosen reward must exceed the rejected one (Llama 2's margin
    loss, Touvron et al. 2023, eq. 2); None means 0.
    Returns a scalar. ``logsigmoid`` keeps it finite for large negative differences where log(σ(x)) underflows.
    """
    diff = chosen - rejected  # (B,)
    if margin is not None:
        diff = diff - margin  # (B,)
    return -F.logsigmoid(diff).mean()


def kl_penalty(logprobs: torch.Tensor, ref_logprobs: torch.Tensor, estimator: str = "k1") -> torch.Tensor:
    """Per-token estimate of KL(π ‖ π_ref) from tokens sampled from π [KL].

    With Δ = log π(x) − log π_ref(x):
      k1 = Δ                      unbiased, high variance, can be negative per token
      k2 = ½ Δ²                   biased, low variance, always ≥ 0
      k3 = exp(−Δ) − 1 + Δ        unbiased and always ≥ 0: (r − 1) − log r with r = π_ref/π
    logprobs, ref_logprobs: (B, T) -> (B, T), unreduced (positions outside the mask are not zeroed here).
    """
    delta = logprobs - ref_logprobs  # (B, T)
    if estimator == "k1":
        return delta
    if estimator == "k2":
        return 0.5 * delta.square()
    if estimator == "k3":
        return torch.expm1(-delta) + delta  # expm1 keeps precision when Δ is tiny, the common case
    raise ValueError(f"unknown KL estimator {estimator!r}; expected one of {KL_ESTIMATORS}")


def shape_rewards(scores, logprobs, ref_logprobs, mask, kl_coef, estimator: str = "k1") -> torch.Tensor:
    """Per-token PPO reward [Z19 §2.2]: R(x, y) = r(x, y) − β·KL, spread over the response tokens.

      rewards[b, t] = −β · KL_t · mask[b, t]  +  scores[b] · [t == last real token of row b]

    scores: (B,) reward-model scores; logprobs, ref_logprobs, mask: (B, T); kl_coef β: float or 0-dim tensor;
    estimator: see ``kl_penalty``. Returns (B, T).
    The last real token is the last index where mask == 1 (found from the mask, so left offsets and right
    padding both work). A row whose mask is all zero has no response token to carry the score: its rewards are
    all zero and its score is dropped — such rows contribute nothing to PPO because every loss is masked.
    """
    mask = mask.to(logprobs.dtype)
    kl = kl_penalty(logprobs, ref_logprobs, estimator)  # (B, T)
    rewards = -kl_coef * kl * mask  # (B, T)
    last = last_token_index(mask)  # (B,)
    has_token = (mask.sum(dim=-1) > 0).to(rewards.dtype)  # (B,)
    score = (scores.to(rewards.dtype) * has_token).unsqueeze(-1)  # (B, 1)
    return rewards.scatter_add(-1, last.unsqueeze(-1), score)  # (B, T)


def compute_gae(rewards, values, mask, gamma: float = 1.0, lam: float = 0.95):
    """Generalized advantage estimation [GAE eq. 11, 16], computed backwards in one pass (cleanrl's lastgaelam).

      δ_t = r_t + γ·V_{t+1} − V_t
      A_t = δ_t + γλ·A_{t+1}
      R_t = A_t + V_t                                (the critic's regression target)

    rewards, values, mask: (B, T). Returns ``(advantages, returns)``, both (B, T), detached, zero outside the mask.
    The episode ends at the last real token: V_{t+1} and A_{t+1} count as 0 past it, so the critic's outputs on
    padding never leak into the targets. Values and rewards outside the mask are ignored. A zero inside a row's
    span would end the episode there too; masks built from lengths never have one.
    """
    with torch.no_grad():
        mask = mask.to(values.dtype)
        values = values.detach() * mask  # (B, T) V = 0 outside the response
        rewards = rewards.detach() * mask  # (B, T)
        B, T = values.shape
        lastgaelam = torch.zeros(B, dtype=values.dtype, device=values.device)  # (B,)
        advantages = torch.zeros_like(values)  # (B, T)
        for t in reversed(range(T)):
            nextvalues = values[:, t + 1] if t + 1 < T else torch.zeros_like(lastgaelam)  # (B,)
            delta = rewards[:, t] + gamma * nextvalues - values[:, t]  # (B,)
            # multiplying by mask[:, t] resets the recursion on padding, so A_{t+1} = 0 past the last token
            lastgaelam = (delta + gamma * lam * lastgaelam) * mask[:, t]  # (B,)
            advantages[:, t] = lastgaelam
        returns = (advantages + values) * mask  # (B, T)
    return advantages, returns


def policy_loss(logprobs, old_logprobs, advantages, mask, clip_eps: float = 0.2):
    """PPO clipped surrogate [PPO eq. 7], as a loss to minimise (token-level, masked mean over all B·T tokens).

      ρ_t  = exp(log π(a_t) − log π_old(a_t))
      loss = masked_mean( max(−A_t·ρ_t, −A_t·clip(ρ_t, 1 − ε, 1 + ε)) )

    logprobs: (B, T) under the current policy (carries the gradient); old_logprobs, advantages: (B, T) from the
    rollout (treated as constants); mask: (B, T). Returns ``(loss, stats)``, loss a scalar, stats detached scalars:
      clipfrac   fraction of real tokens where the clipped branch is strictly larger (these get zero gradient)
      approx_kl  masked mean of k3 = (ρ − 1) − log ρ: an unbiased, non-negative estimate of KL(π_old ‖ π)
                 on tokens sampled from π_old [KL]; the same estimator cleanrl logs as ``approx_kl``
      ratio_mean masked mean of ρ
    """
    mask = mask.to(logprobs.dtype)
    old_logprobs, advantages = old_logprobs.detach(), advantages.detach()
    log_ratio = logprobs - old_logprobs  # (B, T)
    ratio = torch.exp(log_ratio)  # (B, T)
    pg_losses = -advantages * ratio  # (B, T)
    pg_losses_clipped = -advantages * torch.clamp(ratio, 1.0 - clip_eps, 1.0 + clip_eps)  # (B, T)
    loss = masked_mean(torch.maximum(pg_losses, pg_losses_clipped), mask)
    with torch.no_grad():
        stats = {
            "clipfrac": masked_mean((pg_losses_clipped > pg_losses).to(mask.dtype), mask),
            "approx_kl": masked_mean(torch.expm1(log_ratio) - log_ratio, mask),
            "ratio_mean": masked_mean(ratio, mask),
        }
    return loss, stats


def value_loss(values, old_values, returns, mask, clip_eps: float = 0.2):
    """Clipped value loss (PPO2 / lm-human-preferences), pessimistic like the policy clip.

      V_clip = V_old + clip(V − V_old, −ε, ε)
      loss   = ½ · masked_mean( max((V − R)², (V_clip − R)²) )

    values: (B, T) from the critic (carries the gradient); old_values, returns: (B, T) from the rollout / GAE;
    mask: (B, T). Returns ``(loss, stats)``; stats ``value_clipfrac`` = fraction of real tokens where the clipped
    term is strictly larger (no gradient flows there).
    """
    mask = mask.to(values.dtype)
    old_values, returns = old_values.detach(), returns.detach()
    values_clipped = old_values + torch.clamp(values - old_values, -clip_eps, clip_eps)  # (B, T)
    vf_losses = (values - returns).square()  # (B, T)
    vf_losses_clipped = (values_clipped - returns).square()  # (B, T)
    loss = 0.5 * masked_mean(torch.maximum(vf_losses, vf_losses_clipped), mask)
    with torch.no_grad():
        stats = {"value_clipfrac": masked_mean((vf_losses_clipped > vf_losses).to(mask.dtype), mask)}
    return loss, stats


def explained_variance(values, returns, mask) -> torch.Tensor:
    """1 − Var[R − V] / Var[R] over the real tokens (cleanrl's ``explained_variance``); detached scalar.

    1 = the critic predicts the returns perfectly, 0 = no better than a constant, < 0 = worse than a constant.
    Both variances use the same (Bessel-corrected) convention, so the correction cancels. NaN when Var[R] = 0.
    values, returns, mask: (B, T).
    """
    with torch.no_grad():
        mask = mask.to(values.dtype)
        values, returns = values.detach(), returns.detach()
        var_returns = masked_var(returns, mask)
        if var_returns == 0:
            return torch.full((), float("nan"), dtype=values.dtype, device=values.device)
        return 1.0 - masked_var(returns - values, mask) / var_returns
