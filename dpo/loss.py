"""Pure preference-optimisation losses: DPO and its variants, SimPO, and the NLL (RPO) term.

Imports only torch. Every function takes per-example sequence log-probabilities (B,) and returns per-example
values (B,); the trainer reduces them. Implicit rewards are detached: they are for logging (reward accuracy,
margins), not for the gradient.

References
  [DPO]    Rafailov et al. 2023, "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
           eq. 7 (loss) and §5.1 (implicit reward r = β log π/π_ref).
  [cDPO]   Mitchell 2023, "A note on DPO with noisy preferences & relationship to IPO" (label smoothing).
  [IPO]    Azar et al. 2023, "A General Theoretical Paradigm to Understand Learning from Human Preferences", eq. 17.
  [SLiC]   Zhao et al. 2023, "SLiC-HF: Sequence Likelihood Calibration with Human Feedback" (hinge loss).
  [rDPO]   Chowdhury et al. 2024, "Provably Robust DPO: Aligning Language Models with Noisy
           Feedback" (the de-biased loss for flip rate ε).
  [SimPO]  Meng et al. 2024, "SimPO: Simple Preference Optimization with a Reference-Free Reward", eq. 6.
  [RPO]    Pang et al. 2024, "Iterative Reasoning Preference Optimization" (DPO + length-normalised NLL).
"""
import torch
import torch.nn.functional as F

DPO_LOSS_TYPES = ("sigmoid", "ipo", "hinge", "robust")


def dpo_loss(
    policy_chosen_logps: torch.Tensor,
    policy_rejected_logps: torch.Tensor,
    reference_chosen_logps: torch.Tensor,
    reference_rejected_logps: torch.Tensor,
    beta: float = 0.1,
    loss_type: str = "sigmoid",
    label_smoothing: float = 0.0,
):
    """DPO family of losses on sequence log-probabilities.

    Args:
      policy_chosen_logps, policy_rejected_logps: (B,) Σ_t log π(y_t | x, y_<t) of the chosen / rejected response.
      reference_chosen_logps, reference_rejected_logps: (B,) the same under the frozen reference π_ref.
      beta: β > 0, strength of the implicit KL constraint (IPO: the regularisation τ).
      loss_type: with h = (log π_c − log π_r) − (log π_ref,c − log π_ref,r) and ε = label_smoothing,
        "sigmoid": −(1−ε)·log σ(βh) − ε·log σ(−βh)                 [DPO eq. 7; ε > 0 is cDPO]
        "ipo":     (h − 1/(2β))²                                   [IPO eq. 17]
        "hinge":   relu(1 − βh)                                    [SLiC, with δ = 1]
        "robust":  [−(1−ε)·log σ(βh) + ε·log σ(−βh)] / (1 − 2ε)     [rDPO; unbiased under flip rate ε]
      label_smoothing: ε, the assumed probability that a preference label is flipped. "sigmoid" accepts ε in
        [0, 1] (ε at h equals 1 − ε at −h); "robust" needs ε in [0, 0.5); "ipo" and "hinge" have no ε and
        refuse a non-zero one rather than silently ignore it.

    Returns:
      (losses, chosen_rewards, rejected_rewards), each (B,): per-example losses, and the implicit rewards
      β(log π_c − log π_ref,c), β(log π_r − log π_ref,r) [DPO §5.1], detached.
    """
    if not beta > 0:
        raise ValueError(f"beta must be > 0, got {beta!r}")
    eps = float(label_smoothing)
    if loss_type not in DPO_LOSS_TYPES:
        raise ValueError(f"unknown loss_type {loss_type!r}; expected one of {DPO_LOSS_TYPES}")
    if loss_type == "sigmoid" and not 0.0 <= eps <= 1.0:
        raise ValueError(f"label_smoothing for loss_type='sigmoid' must be in [0, 1], got {eps!r}")
    if loss_type == "robust" and not 0.0 <= eps < 0.5:
        raise ValueError(f"label_smoothing for loss_type='robust' must be in [0, 0.5), got {eps!r}")
    if loss_type in ("ipo", "hinge") and eps != 0.0:
        raise ValueError(f"loss_type={loss_type!r} has no label smoothing; got label_smoothing={eps!r}")

    pi_logratios = policy_chosen_logps - policy_rejected_logps  # (B,)
    ref_logratios = reference_chosen_logps - reference_rejected_logps  # (B,)
    h = pi_logratios - ref_logratios  # (B,)

    if loss_type == "sigmoid":
        losses = -(1.0 - eps) * F.logsigmoid(beta * h) - eps * F.logsigmoid(-beta * h)  # (B,)
    elif loss_type == "ipo":
        # IPO regresses h itself (not βh) onto 1/(2τ); the loss is unbounded so it cannot overfit to h → ∞
        losses = (h - 1.0 / (2.0 * beta)).square()  # (B,)
    elif loss_type == "hinge":
        losses = F.relu(1.0 - beta * h)  # (B,)
    else:  # robust
        losses = (-(1.0 - eps) * F.logsigmoid(beta * h) + eps * F.logsigmoid(-beta * h)) / (1.0 - 2.0 * eps)  # (B,)

    chosen_rewards = beta * (policy_chosen_logps - reference_chosen_logps).detach()  # (B,)
    rejected_rewards = beta * (policy_rejected_logps - reference_rejected_logps).detach()  # (B,)
    return losses, chosen_rewards, rejected_rewards


def simpo_loss(chosen_avg_logps: torch.Tensor, rejected_avg_logps: torch.Tensor, beta: float = 2.0, gamma: float = 0.5):
    """SimPO [SimPO eq. 6]: −log σ(β·c̄ − β·r̄ − γ), reference-free.

    chosen_avg_logps, rejected_avg_logps: (B,) length-normalised log-probabilities (1/|y|)·Σ_t log π(y_t | x, y_<t)
    of the chosen / rejected response; beta: β > 0; gamma: the target reward margin γ.
    Returns (losses, chosen_rewards, rejected_rewards), each (B,), the same tuple as ``dpo_loss``; SimPO's implicit
    rewards are β·c̄ and β·r̄ (its length-normalised reward), detached.
    """
    if not beta > 0:
        raise ValueError(f"beta must be > 0, got {beta!r}")
    logits = beta * (chosen_avg_logps - rejected_avg_logps) - gamma  # (B,)
    losses = -F.logsigmoid(logits)  # (B,)
    chosen_rewards = beta * chosen_avg_logps.detach()  # (B,)
    rejected_rewards = beta * rejected_avg_logps.detach()  # (B,)
    return losses, chosen_rewards, rejected_rewards


def nll_loss(chosen_logps_sum: torch.Tensor, chosen_lengths: torch.Tensor) -> torch.Tensor:
    """Length-normalised NLL of the chosen response, −log π(y_c | x) / |y_c|: RPO's extra term [RPO].

    chosen_logps_sum: (B,) Σ_t log π(y_t | x, y_<t); chosen_lengths: (B,) number of response tokens.
    Returns (B,). Lengths are clamped to >= 1, so a (malformed) empty response gives −logp rather than NaN.
    """
    lengths = chosen_lengths.to(chosen_logps_sum.dtype).clamp(min=1)  # (B,)
    return -chosen_logps_sum / lengths  # (B,)
