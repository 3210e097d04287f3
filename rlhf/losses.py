"""Pure RLHF math: reward-model loss, KL estimators, reward shaping, GAE, PPO policy and value losses, and the
critic-free advantages (RLOO, GRPO, REINFORCE++), the KL loss term and DAPO's overlong penalty.

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
  [RLOO] Ahmadian et al. 2024, "Back to Basics: Revisiting REINFORCE Style Optimization for Learning from Human
         Feedback in LLMs" (the RLOO estimator, leave-one-out baseline); after Kool et al. 2019, "Buy 4 REINFORCE
         Samples, Get a Baseline for Free!".
  [GRPO] Shao et al. 2024, "DeepSeekMath: Pushing the Limits of Mathematical Reasoning in Open Language Models",
         section 4.1.2 (outcome supervision: group-normalised advantages) and eq. 4 (the KL term of the loss).
  [R++]  Hu 2025, "REINFORCE++: A Simple and Efficient Approach for Aligning Large Language Models"
         (arXiv:2501.03262): token-level advantage A_t = r − β·Σ_{i≥t} KL_i, normalised over the global batch.
  [DAPO] Yu et al. 2025, "DAPO: An Open-Source LLM Reinforcement Learning System at Scale", eq. 13 (soft overlong
         punishment).
  [TM25] Tang & Munos 2025, "On a few pitfalls in KL divergence gradient estimation for RL".

KL as a reward or as a loss: as a per-token *reward* (``shape_rewards``, whose gradient is the score-function
gradient of the return) only k1 gives an unbiased gradient of the sequence KL(π ‖ π_ref) [TM25]; k2 and k3 belong in
a *loss* (``kl_loss``, GRPO's k3 term), differentiated directly through log π.
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

    Unbiased for the KL *value* is not unbiased for its *gradient*: as a per-token reward (``shape_rewards``) only k1
    gives an unbiased gradient of the sequence KL [TM25]; k2 and k3 belong in a loss (``kl_loss``).
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


def _groups(scores: torch.Tensor, group_size: int) -> torch.Tensor:
    """(B,) -> (n, k) view with the k samples of one prompt on a row; checks B = n·k and k ≥ 2."""
    if scores.dim() != 1:
        raise ValueError(f"scores must be 1-D (B,), got shape {tuple(scores.shape)}")
    k = int(group_size)
    if k != group_size or k < 2:
        raise ValueError(f"group_size must be an integer ≥ 2 (a baseline needs other samples), got {group_size!r}")
    if scores.numel() % k != 0:
        raise ValueError(f"batch of {scores.numel()} scores is not a whole number of groups of {k}")
    return scores.reshape(-1, k)  # (n, k)


def rloo_advantages(scores: torch.Tensor, group_size: int) -> torch.Tensor:
    """REINFORCE leave-one-out advantages [RLOO]: each sample's baseline is the mean of the other k − 1 samples.

      A_i = s_i − 1/(k−1) · Σ_{j≠i} s_j  =  k/(k−1) · (s_i − s̄)      (s̄ the mean of the whole group)

    scores: (B,) sequence-level rewards, B = n·k with the k samples of one prompt consecutive
    (``[p0_s0, p0_s1, ..., p0_s{k-1}, p1_s0, ...]``); group_size: k ≥ 2. Returns (B,), detached. The baseline does
    not depend on sample i itself, so the policy gradient stays unbiased; the advantages of a group sum to zero.
    Raises ValueError if k < 2 or B is not a multiple of k. Spread over the tokens with
    ``broadcast_sequence_advantages`` to feed ``policy_loss``.
    """
    groups = _groups(scores.detach(), group_size)  # (n, k)
    k = groups.shape[-1]
    baseline = (groups.sum(dim=-1, keepdim=True) - groups) / (k - 1)  # (n, k) mean of the others
    return (groups - baseline).reshape(-1)  # (B,)


def group_advantages(scores: torch.Tensor, group_size: int, eps: float = 1e-6) -> torch.Tensor:
    """GRPO outcome-supervision advantages [GRPO §4.1.2]: the score normalised within its group.

      A_i = (s_i − mean(s_group)) / (std(s_group) + eps)          std unbiased (÷ (k − 1), torch's default)

    scores: (B,) as in ``rloo_advantages`` (k consecutive samples per prompt); group_size: k ≥ 2 (the unbiased std
    of one sample is undefined). Returns (B,), detached. A group whose scores are all equal gets 0 everywhere
    (0 / eps): it carries no learning signal. Raises ValueError if k < 2 or B is not a multiple of k.
    """
    groups = _groups(scores.detach(), group_size)  # (n, k)
    mean = groups.mean(dim=-1, keepdim=True)  # (n, 1)
    std = groups.std(dim=-1, keepdim=True)  # (n, 1) unbiased
    return ((groups - mean) / (std + eps)).reshape(-1)  # (B,)


def discounted_returns(rewards: torch.Tensor, mask: torch.Tensor, gamma: float = 1.0) -> torch.Tensor:
    """Per-token returns-to-go over each row's real tokens (REINFORCE with token-level rewards, [R++]).

      G_t = Σ_{l ≥ 0} γ^l · r_{t+l}  =  r_t + γ·G_{t+1}          over the real span, G = 0 past the last real token

    rewards, mask: (B, T) (typically ``shape_rewards`` output: −β·KL_t on every token plus the score on the last
    one); gamma: γ. Returns (B, T), detached, zero outside the mask; rewards outside the mask are ignored. It is
    ``compute_gae`` with V ≡ 0 and λ = 1.

    REINFORCE++ [R++] (γ = 1: G_t = score − β·Σ_{i≥t} KL_i) uses these returns as advantages after normalising them
    over the *global* batch: A = (G − μ)/σ with μ and the unbiased σ² taken over every real token on every rank,
    i.e. ``common.ops.masked_whiten(G, mask)`` statistics whose sums (Σ mask, Σ G·mask, Σ G²·mask) the trainer
    all-reduces across ranks first; this function does no normalisation itself.
    """
    with torch.no_grad():
        mask = mask.to(rewards.dtype)
        rewards = rewards.detach() * mask  # (B, T)
        B, T = rewards.shape
        running = torch.zeros(B, dtype=rewards.dtype, device=rewards.device)  # (B,) G_{t+1}
        returns = torch.zeros_like(rewards)  # (B, T)
        for t in reversed(range(T)):
            # multiplying by mask[:, t] resets the sum on padding, so G_{t+1} = 0 past the last token
            running = (rewards[:, t] + gamma * running) * mask[:, t]  # (B,)
            returns[:, t] = running
    return returns


def broadcast_sequence_advantages(advantages: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Spread one advantage per sequence over its response tokens: (B,) -> (B, T).

      out[b, t] = advantages[b] · mask[b, t]

    How sequence-level advantages (``rloo_advantages``, ``group_advantages``) feed the token-level ``policy_loss``:
    every real token of a response shares its sequence's advantage [RLOO, GRPO §4.1.2]; padding gets 0.
    advantages: (B,); mask: (B, T), float or bool. Returns (B, T) in the advantages' dtype.
    """
    return advantages.unsqueeze(-1) * mask.to(advantages.dtype)  # (B, T)


def kl_loss(logprobs, ref_logprobs, mask):
    """KL to the reference as a loss term rather than a reward [GRPO eq. 4], k3 estimator [KL]:

      D_t  = π_ref/π − log(π_ref/π) − 1  =  exp(−Δ_t) − 1 + Δ_t,   Δ_t = log π(o_t) − log π_ref(o_t)
      loss = masked_mean(D_t)

    logprobs: (B, T) under the current policy (carries the gradient); ref_logprobs: (B, T) from the frozen reference
    (detached here); mask: (B, T). Returns ``(loss, stats)``, loss a scalar; the trainer adds β·loss to the policy
    loss. D_t is ≥ 0 per token and its value is an unbiased estimate of KL(π ‖ π_ref) on tokens sampled from π;
    its gradient, ∂D_t/∂log π = 1 − exp(−Δ_t), is bounded above by 1 and zero at π = π_ref. Note [TM25]: this
    per-token gradient is not an unbiased gradient of the sequence KL(π ‖ π_ref) (in expectation over tokens from π
    it is the gradient of KL(π_ref ‖ π) at each step, and the effect of a token on later tokens is ignored); it is a
    regulariser toward π_ref, which is how GRPO uses it. For the exact sequence-KL gradient put k1 in the reward
    instead (``shape_rewards``).
    stats (detached scalars):
      kl      the loss value (masked mean of k3)
      kl_k1   masked mean of Δ (k1), the plain log-ratio estimate of the same KL, for comparison
    """
    mask = mask.to(logprobs.dtype)
    ref_logprobs = ref_logprobs.detach()
    kl = kl_penalty(logprobs, ref_logprobs, "k3")  # (B, T)
    loss = masked_mean(kl, mask)
    with torch.no_grad():
        stats = {"kl": loss.detach(), "kl_k1": masked_mean(logprobs - ref_logprobs, mask)}
    return loss, stats


def overlong_penalty(lengths: torch.Tensor, max_len: int, cache_len: int, penalty: float = 1.0) -> torch.Tensor:
    """DAPO's soft overlong punishment [DAPO eq. 13], a length-dependent reward added to the score.

      R(L) = 0                                     if L ≤ L_max − L_cache
           = ((L_max − L_cache) − L) / L_cache · p   if L_max − L_cache < L ≤ L_max      (linear from 0 to −p)
           = −p                                    if L > L_max

    lengths: (B,) response lengths in tokens (int or float tensor); max_len L_max, cache_len L_cache with
    0 < L_cache ≤ L_max; penalty p ≥ 0 scales the punishment (1 in the paper). Returns (B,) float (the lengths'
    dtype if floating, else torch's default dtype). A response cut at the generation limit L_max gets −p.
    Raises ValueError unless 0 < cache_len ≤ max_len.
    """
    if not 0 < cache_len <= max_len:
        raise ValueError(f"overlong_penalty needs 0 < cache_len ≤ max_len, got {cache_len=}, {max_len=}")
    dtype = lengths.dtype if lengths.is_floating_point() else torch.get_default_dtype()
    length = lengths.to(dtype)  # (B,)
    start = max_len - cache_len  # the punishment starts after this length
    ramp = (start - length) / cache_len * penalty  # (B,)
    out = torch.where(length <= start, torch.zeros_like(length), ramp)  # (B,)
    return torch.where(length > max_len, torch.full_like(length, -penalty), out)  # (B,)
