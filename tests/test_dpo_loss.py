"""dpo.loss: hand values for each loss type, gradient directions, IPO's minimum, label-smoothing symmetry."""
import math

import pytest
import torch

from dpo.loss import dpo_loss, nll_loss, simpo_loss

D = torch.float64


def t(x):
    return torch.tensor(x, dtype=D)


def softplus(x):
    # −log σ(x) = log(1 + e^−x)
    return math.log1p(math.exp(-x))


# π_c = −10, π_r = −14, ref_c = −11, ref_r = −13:
#   h = (−10 + 14) − (−11 + 13) = 4 − 2 = 2;  β = 0.1 -> βh = 0.2
PC, PR, RC, RR = t([-10.0]), t([-14.0]), t([-11.0]), t([-13.0])


@pytest.mark.parametrize(
    "loss_type,eps,expected",
    [
        # −log σ(0.2) = log(1 + e^−0.2) = 0.5981389
        ("sigmoid", 0.0, softplus(0.2)),
        # cDPO: 0.9·(−log σ(0.2)) + 0.1·(−log σ(−0.2)) = 0.9·0.5981389 + 0.1·0.7981389 = 0.6181389
        ("sigmoid", 0.1, 0.9 * softplus(0.2) + 0.1 * softplus(-0.2)),
        # IPO: (h − 1/(2β))² = (2 − 5)² = 9
        ("ipo", 0.0, 9.0),
        # hinge: relu(1 − 0.2) = 0.8
        ("hinge", 0.0, 0.8),
        # robust: [0.9·(−log σ(0.2)) + 0.1·log σ(−0.2)]/(1 − 0.2) = (0.5383250 − 0.0798139)/0.8 = 0.5731389
        ("robust", 0.1, (0.9 * softplus(0.2) - 0.1 * softplus(-0.2)) / 0.8),
    ],
)
def test_dpo_hand_values(loss_type, eps, expected):
    losses, chosen_rewards, rejected_rewards = dpo_loss(
        PC, PR, RC, RR, beta=0.1, loss_type=loss_type, label_smoothing=eps
    )
    assert losses.shape == (1,)
    assert losses.item() == pytest.approx(expected)
    # β(π − ref): 0.1·(−10 + 11) = 0.1 and 0.1·(−14 + 13) = −0.1
    assert chosen_rewards.item() == pytest.approx(0.1)
    assert rejected_rewards.item() == pytest.approx(-0.1)


def test_dpo_hinge_zero_past_margin():
    # h = 20, β = 0.1: relu(1 − 2) = 0
    losses, _, _ = dpo_loss(t([0.0]), t([-20.0]), t([0.0]), t([0.0]), beta=0.1, loss_type="hinge")
    assert losses.item() == 0.0


def test_policy_equal_reference_gives_log2():
    gen = torch.Generator().manual_seed(0)
    c, r = -torch.rand(4, generator=gen, dtype=D) * 50, -torch.rand(4, generator=gen, dtype=D) * 50
    losses, cr, rr = dpo_loss(c, r, c.clone(), r.clone(), beta=0.3)
    assert torch.allclose(losses, torch.full((4,), math.log(2), dtype=D))
    assert (cr == 0).all() and (rr == 0).all()


@pytest.mark.parametrize(
    "loss_type,eps", [("sigmoid", 0.0), ("sigmoid", 0.2), ("ipo", 0.0), ("hinge", 0.0), ("robust", 0.2)]
)
def test_gradient_raises_chosen_and_lowers_rejected(loss_type, eps):
    # at policy = reference (h = 0, inside every loss's active region) a descent step must raise log π_c
    # and lower log π_r
    pc = t([-5.0, -8.0]).requires_grad_(True)
    pr = t([-6.0, -7.0]).requires_grad_(True)
    ref_c, ref_r = pc.detach().clone(), pr.detach().clone()
    losses, cr, rr = dpo_loss(pc, pr, ref_c, ref_r, beta=0.1, loss_type=loss_type, label_smoothing=eps)
    losses.sum().backward()
    assert (pc.grad < 0).all() and (pr.grad > 0).all()
    # the loss depends on the pair only through h, so the two gradients are opposite
    assert torch.allclose(pc.grad, -pr.grad)
    assert not cr.requires_grad and not rr.requires_grad


def test_ipo_minimum_at_half_inverse_beta():
    beta = 0.1
    h_star = 1 / (2 * beta)  # 5
    for h, is_min in [(h_star, True), (h_star - 0.1, False), (h_star + 0.1, False)]:
        pc = t([h]).requires_grad_(True)
        losses, _, _ = dpo_loss(pc, t([0.0]), t([0.0]), t([0.0]), beta=beta, loss_type="ipo")
        losses.sum().backward()
        if is_min:
            assert losses.item() == pytest.approx(0.0) and pc.grad.item() == pytest.approx(0.0)
        else:
            # (±0.1)² = 0.01 on either side
            assert losses.item() == pytest.approx(0.01)
    # gradient sign changes across the minimum: 2(h − h*) is −0.2 at 4.9 and +0.2 at 5.1
    for h, g in [(h_star - 0.1, -0.2), (h_star + 0.1, 0.2)]:
        pc = t([h]).requires_grad_(True)
        dpo_loss(pc, t([0.0]), t([0.0]), t([0.0]), beta=beta, loss_type="ipo")[0].sum().backward()
        assert pc.grad.item() == pytest.approx(g)


def test_label_smoothing_symmetry():
    # sigmoid loss with ε at h equals the loss with 1 − ε at −h (swapping chosen and rejected negates h)
    gen = torch.Generator().manual_seed(1)
    pc, pr, rc, rr = (-torch.rand(6, generator=gen, dtype=D) * 30 for _ in range(4))
    for eps in (0.0, 0.1, 0.3, 0.5):
        a, _, _ = dpo_loss(pc, pr, rc, rr, beta=0.2, label_smoothing=eps)
        b, _, _ = dpo_loss(pr, pc, rr, rc, beta=0.2, label_smoothing=1 - eps)
        assert torch.allclose(a, b)


def test_robust_with_zero_eps_equals_sigmoid():
    gen = torch.Generator().manual_seed(2)
    pc, pr, rc, rr = (-torch.rand(6, generator=gen, dtype=D) * 30 for _ in range(4))
    a, _, _ = dpo_loss(pc, pr, rc, rr, beta=0.5, loss_type="robust", label_smoothing=0.0)
    b, _, _ = dpo_loss(pc, pr, rc, rr, beta=0.5, loss_type="sigmoid")
    assert torch.allclose(a, b)


def test_sigmoid_stable_for_large_margins():
    losses, _, _ = dpo_loss(t([0.0]), t([-1e4]), t([0.0]), t([0.0]), beta=1.0)
    assert losses.item() == pytest.approx(0.0, abs=1e-12)
    losses, _, _ = dpo_loss(t([-1e4]), t([0.0]), t([0.0]), t([0.0]), beta=1.0)
    assert torch.isfinite(losses).all() and losses.item() == pytest.approx(1e4)


def test_dpo_argument_validation():
    args = (PC, PR, RC, RR)
    with pytest.raises(ValueError, match="loss_type"):
        dpo_loss(*args, loss_type="kto")
    with pytest.raises(ValueError, match="robust"):
        dpo_loss(*args, loss_type="robust", label_smoothing=0.5)
    with pytest.raises(ValueError, match="sigmoid"):
        dpo_loss(*args, label_smoothing=1.5)
    with pytest.raises(ValueError, match="ipo"):
        dpo_loss(*args, loss_type="ipo", label_smoothing=0.1)
    with pytest.raises(ValueError, match="beta"):
        dpo_loss(*args, beta=0.0)


def test_simpo_hand_value():
    # β = 2, γ = 0.5, c̄ = −0.5, r̄ = −1: 2·(−0.5 + 1) − 0.5 = 0.5
    #   -> −log σ(0.5) = log(1 + e^−0.5) = 0.4740770
    losses, cr, rr = simpo_loss(t([-0.5]), t([-1.0]), beta=2.0, gamma=0.5)
    assert losses.item() == pytest.approx(softplus(0.5))
    assert cr.item() == pytest.approx(-1.0) and rr.item() == pytest.approx(-2.0)  # β·c̄, β·r̄


def test_simpo_gradient_directions():
    c = t([-0.5, -2.0]).requires_grad_(True)
    r = t([-1.0, -1.0]).requires_grad_(True)
    losses, cr, rr = simpo_loss(c, r)
    losses.sum().backward()
    assert (c.grad < 0).all() and (r.grad > 0).all()
    assert not cr.requires_grad and not rr.requires_grad


def test_nll_loss():
    # −(−6)/3 = 2, −(−10)/4 = 2.5; an empty response is clamped to length 1: −(−1)/1 = 1
    out = nll_loss(t([-6.0, -10.0, -1.0]), torch.tensor([3, 4, 0]))
    assert torch.allclose(out, t([2.0, 2.5, 1.0]))
