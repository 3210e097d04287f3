"""rlhf.losses against hand-computed numbers and naive Python loops."""
import math

import pytest
import torch

from rlhf.losses import (
    broadcast_sequence_advantages,
    compute_gae,
    discounted_returns,
    explained_variance,
    group_advantages,
    kl_loss,
    kl_penalty,
    overlong_penalty,
    pairwise_loss,
    policy_loss,
    rloo_advantages,
    shape_rewards,
    value_loss,
)

D = torch.float64


def t(x):
    return torch.tensor(x, dtype=D)


# ---------------------------------------------------------------- pairwise_loss


def test_pairwise_loss_equal_rewards_is_log2():
    # −log σ(0) = log 2 for every pair, whatever the common value
    loss = pairwise_loss(t([0.0, 3.0, -7.0]), t([0.0, 3.0, -7.0]))
    assert loss.dim() == 0
    assert loss.item() == pytest.approx(math.log(2))


def test_pairwise_loss_hand_values_and_margin():
    # c − r = 2: −log σ(2) = log(1 + e^−2) = 0.126928
    assert pairwise_loss(t([2.0]), t([0.0])).item() == pytest.approx(math.log1p(math.exp(-2)))
    # margin 0.5 shifts the difference to 1.5: log(1 + e^−1.5) = 0.201413
    assert pairwise_loss(t([2.0]), t([0.0]), margin=0.5).item() == pytest.approx(math.log1p(math.exp(-1.5)))
    # a per-example margin equal to the difference brings each pair back to log 2
    c, r = t([1.0, 4.0]), t([0.0, 1.0])
    assert pairwise_loss(c, r, margin=c - r).item() == pytest.approx(math.log(2))
    # mean over the batch: (log(1+e^−1) + log(1+e^−3)) / 2
    expected = (math.log1p(math.exp(-1)) + math.log1p(math.exp(-3))) / 2
    assert pairwise_loss(c, r).item() == pytest.approx(expected)


def test_pairwise_loss_stable_for_large_gaps():
    loss = pairwise_loss(t([-1000.0]), t([0.0]))
    assert torch.isfinite(loss) and loss.item() == pytest.approx(1000.0)


# ---------------------------------------------------------------- kl_penalty


def test_kl_estimators_on_known_delta():
    delta = t([0.0, 1.0, -1.0, math.log(2)])
    ref = t([-1.0, -2.0, -0.5, -3.0])
    logp = ref + delta
    assert torch.allclose(kl_penalty(logp, ref, "k1"), delta)
    # ½Δ²: 0, 0.5, 0.5, ½·ln²2 = 0.2402265
    assert torch.allclose(kl_penalty(logp, ref, "k2"), t([0.0, 0.5, 0.5, 0.5 * math.log(2) ** 2]))
    # e^−Δ − 1 + Δ: 0, e^−1 = 0.3678794, e − 2 = 0.7182818, ½ − 1 + ln 2 = 0.1931472
    k3 = t([0.0, math.exp(-1), math.e - 2, 0.5 - 1 + math.log(2)])
    assert torch.allclose(kl_penalty(logp, ref, "k3"), k3)
    assert torch.allclose(kl_penalty(logp, ref), delta)  # default is k1


def test_kl_estimator_unknown_raises():
    with pytest.raises(ValueError, match="k1"):
        kl_penalty(t([0.0]), t([0.0]), "abs")


# ---------------------------------------------------------------- shape_rewards


def test_shape_rewards_score_on_last_real_token_with_offsets_and_padding():
    mask = t([
        [0, 1, 1, 1, 0],  # left offset of 1, right padding of 1: last real token at t = 3
        [1, 1, 1, 1, 1],  # full row: last at t = 4
        [0, 0, 1, 0, 0],  # a single token at t = 2
        [0, 0, 0, 0, 0],  # empty row: no score, all zero
    ])
    ref = torch.randn(4, 5, dtype=D)
    logp = ref + 0.5  # Δ = 0.5 everywhere
    scores = t([2.0, -1.0, 3.0, 9.0])
    rewards = shape_rewards(scores, logp, ref, mask, kl_coef=0.1)
    # −β·Δ = −0.1·0.5 = −0.05 on every real token, 0 on padding; the score added at the last real token
    expected = t([
        [0, -0.05, -0.05, 2.0 - 0.05, 0],
        [-0.05, -0.05, -0.05, -0.05, -1.0 - 0.05],
        [0, 0, 3.0 - 0.05, 0, 0],
        [0, 0, 0, 0, 0],
    ])
    assert torch.allclose(rewards, expected)


def test_shape_rewards_uses_estimator_and_ignores_padding_values():
    mask = t([[1, 1, 0]])
    ref = t([[-1.0, -1.0, -1.0]])
    logp = t([[0.0, -2.0, 50.0]])  # Δ = 1, −1, (garbage on padding)
    rewards = shape_rewards(t([1.0]), logp, ref, mask, kl_coef=0.2, estimator="k3")
    # k3(1) = e^−1, k3(−1) = e − 2; rewards = −0.2·k3, plus the score 1 on t = 1
    expected = t([[-0.2 * math.exp(-1), 1.0 - 0.2 * (math.e - 2), 0.0]])
    assert torch.allclose(rewards, expected)


def test_shape_rewards_accepts_bool_mask_and_tensor_coef():
    mask = torch.tensor([[True, True, False]])
    rewards = shape_rewards(t([1.0]), t([[0.0, 0.0, 0.0]]), t([[0.0, 0.0, 0.0]]), mask, kl_coef=t(0.3))
    assert torch.allclose(rewards, t([[0.0, 1.0, 0.0]]))


# ---------------------------------------------------------------- compute_gae


def naive_gae(rewards, values, mask, gamma, lam):
    """A_t = Σ_{l ≥ 0} (γλ)^l δ_{t+l} over the real span, with V = 0 after the last real token."""
    B, T = rewards.shape
    adv = torch.zeros(B, T, dtype=D)
    for b in range(B):
        real = [i for i in range(T) if mask[b, i] == 1]
        if not real:
            continue
        start, end = real[0], real[-1]

        def v(i):
            return values[b, i].item() if i <= end else 0.0

        deltas = {i: rewards[b, i].item() + gamma * v(i + 1) - v(i) for i in range(start, end + 1)}
        for i in range(start, end + 1):
            adv[b, i] = sum((gamma * lam) ** (j - i) * deltas[j] for j in range(i, end + 1))
    returns = (adv + values) * mask
    return adv, returns


def random_mask(B, T, gen):
    mask = torch.zeros(B, T, dtype=D)
    for b in range(B):
        start = int(torch.randint(0, T // 2, (1,), generator=gen))
        end = int(torch.randint(start, T, (1,), generator=gen))
        mask[b, start : end + 1] = 1
    mask[0] = 1  # one full row
    return mask


@pytest.mark.parametrize("gamma,lam", [(1.0, 0.95), (0.99, 0.9), (0.7, 0.3), (1.0, 1.0), (0.5, 0.0)])
def test_gae_matches_naive_double_loop(gamma, lam):
    gen = torch.Generator().manual_seed(0)
    B, T = 5, 9
    rewards = torch.randn(B, T, generator=gen, dtype=D)
    values = torch.randn(B, T, generator=gen, dtype=D)
    mask = random_mask(B, T, gen)
    adv, ret = compute_gae(rewards, values, mask, gamma=gamma, lam=lam)
    exp_adv, exp_ret = naive_gae(rewards, values, mask, gamma, lam)
    assert torch.allclose(adv, exp_adv)
    assert torch.allclose(ret, exp_ret)
    assert (adv[mask == 0] == 0).all() and (ret[mask == 0] == 0).all()


def test_gae_gamma_lam_one_is_reward_to_go_minus_value():
    gen = torch.Generator().manual_seed(1)
    B, T = 4, 7
    rewards = torch.randn(B, T, generator=gen, dtype=D)
    values = torch.randn(B, T, generator=gen, dtype=D)
    mask = random_mask(B, T, gen)
    adv, ret = compute_gae(rewards, values, mask, gamma=1.0, lam=1.0)
    # with γ = λ = 1 the δ's telescope: A_t = Σ_{j ≥ t} r_j − V_t, and R_t = Σ_{j ≥ t} r_j
    r = rewards * mask
    reward_to_go = r.flip(-1).cumsum(-1).flip(-1) * mask
    assert torch.allclose(ret, reward_to_go)
    assert torch.allclose(adv, (reward_to_go - values) * mask)


def test_gae_hand_values():
    # one row, mask [1, 1, 1], r = [0, 0, 1], V = [0.5, 0.2, 0.4], γ = 0.9, λ = 0.5 (γλ = 0.45)
    # δ2 = 1 − 0.4 = 0.6;  δ1 = 0 + 0.9·0.4 − 0.2 = 0.16;  δ0 = 0 + 0.9·0.2 − 0.5 = −0.32
    # A2 = 0.6;  A1 = 0.16 + 0.45·0.6 = 0.43;  A0 = −0.32 + 0.45·0.43 = −0.1265
    adv, ret = compute_gae(t([[0.0, 0.0, 1.0]]), t([[0.5, 0.2, 0.4]]), t([[1, 1, 1]]), gamma=0.9, lam=0.5)
    assert torch.allclose(adv, t([[-0.1265, 0.43, 0.6]]))
    assert torch.allclose(ret, t([[-0.1265 + 0.5, 0.43 + 0.2, 0.6 + 0.4]]))


def test_gae_values_and_rewards_outside_mask_do_not_leak():
    gen = torch.Generator().manual_seed(2)
    B, T = 3, 8
    rewards = torch.randn(B, T, generator=gen, dtype=D)
    values = torch.randn(B, T, generator=gen, dtype=D)
    mask = t([[0, 0, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0, 0, 0]])
    adv, ret = compute_gae(rewards, values, mask, gamma=0.95, lam=0.9)
    garbage_v = torch.where(mask.bool(), values, torch.full_like(values, 1e6))
    garbage_r = torch.where(mask.bool(), rewards, torch.full_like(rewards, -1e6))
    adv2, ret2 = compute_gae(garbage_r, garbage_v, mask, gamma=0.95, lam=0.9)
    assert torch.allclose(adv, adv2) and torch.allclose(ret, ret2)


def test_gae_is_detached():
    values = torch.randn(2, 4, dtype=D, requires_grad=True)
    rewards = torch.randn(2, 4, dtype=D, requires_grad=True)
    adv, ret = compute_gae(rewards, values, torch.ones(2, 4, dtype=D))
    assert not adv.requires_grad and not ret.requires_grad


# ---------------------------------------------------------------- policy_loss


def crafted_policy_batch():
    # ε = 0.2; one row of 5 real tokens and a padded one with extreme values
    #   t0: A = +1, ρ = 1.5 -> −A·ρ = −1.5 < −A·1.2 = −1.2            clipped (no gradient)
    #   t1: A = +1, ρ = 0.5 -> −0.5 > −A·0.8 = −0.8                   unclipped (pessimistic branch)
    #   t2: A = −2, ρ = 0.5 -> 1.0 < −A·0.8 = 1.6                     clipped
    #   t3: A = −2, ρ = 1.5 -> 3.0 > −A·1.2 = 2.4                     unclipped
    #   t4: A = +3, ρ = 1.0 -> −3 = −3                                inside the trust region
    #   t5: padding (ρ = e^5, A = 100), ignored
    ratios = t([[1.5, 0.5, 0.5, 1.5, 1.0, math.exp(5)]])
    old = t([[-1.0, -2.0, -0.3, -4.0, -1.5, -1.0]])
    logp = (old + ratios.log()).requires_grad_(True)
    adv = t([[1.0, 1.0, -2.0, -2.0, 3.0, 100.0]])
    mask = t([[1, 1, 1, 1, 1, 0]])
    return logp, old, adv, mask, ratios


def test_policy_loss_hand_value_and_clipfrac():
    logp, old, adv, mask, ratios = crafted_policy_batch()
    loss, stats = policy_loss(logp, old, adv, mask, clip_eps=0.2)
    # max per token: −1.2, −0.5, 1.6, 3.0, −3.0 -> mean over 5 = −0.1/5 = −0.02
    assert loss.item() == pytest.approx(-0.02)
    assert stats["clipfrac"].item() == pytest.approx(2 / 5)
    # ratio_mean = (1.5 + 0.5 + 0.5 + 1.5 + 1.0)/5 = 1.0
    assert stats["ratio_mean"].item() == pytest.approx(1.0)
    # approx_kl = mean of (ρ − 1) − log ρ: 2·(0.5 − ln 1.5) + 2·(−0.5 − ln 0.5) + 0, over 5
    k3 = 2 * (0.5 - math.log(1.5)) + 2 * (-0.5 - math.log(0.5))
    assert stats["approx_kl"].item() == pytest.approx(k3 / 5)
    assert all(not v.requires_grad and v.dim() == 0 for v in stats.values())


def test_policy_loss_gradient_zero_when_clipped_and_minus_A_rho_over_N_otherwise():
    logp, old, adv, mask, ratios = crafted_policy_batch()
    loss, _ = policy_loss(logp, old, adv, mask, clip_eps=0.2)
    loss.backward()
    N = 5
    # d/dlogp (−A·ρ/N) = −A·ρ/N on unclipped tokens; 0 on clipped tokens (t0, t2) and on padding (t5)
    expected = torch.zeros(1, 6, dtype=D)
    for i in (1, 3, 4):
        expected[0, i] = -adv[0, i] * ratios[0, i] / N
    assert torch.allclose(logp.grad, expected)
    assert logp.grad[0, 0] == 0 and logp.grad[0, 2] == 0 and logp.grad[0, 5] == 0


def test_policy_loss_on_policy_is_minus_mean_advantage():
    # ρ = 1: loss = −masked_mean(A), nothing clipped, KL 0
    gen = torch.Generator().manual_seed(3)
    logp = torch.randn(3, 4, generator=gen, dtype=D)
    adv = torch.randn(3, 4, generator=gen, dtype=D)
    mask = t([[1, 1, 1, 1], [0, 1, 1, 0], [1, 0, 0, 0]])
    loss, stats = policy_loss(logp, logp.clone(), adv, mask)
    assert loss.item() == pytest.approx(-(adv * mask).sum().item() / mask.sum().item())
    assert stats["clipfrac"].item() == 0 and stats["approx_kl"].item() == pytest.approx(0.0)


# ---------------------------------------------------------------- value_loss


def test_value_loss_clipped_branch():
    # ε = 0.2, V_old = 0 everywhere
    #   t0: V = 1.0, R = 1.0: (V − R)² = 0, V_clip = 0.2 -> (0.2 − 1)² = 0.64    clipped branch active
    #   t1: V = 1.0, R = 0.0: (V − R)² = 1, (0.2 − 0)² = 0.04                     unclipped
    #   t2: V = 0.1, R = 0.5: V_clip = V -> both 0.16                             tie, not counted as clipped
    #   t3: padding
    values = t([[1.0, 1.0, 0.1, 7.0]]).requires_grad_(True)
    old = t([[0.0, 0.0, 0.0, 0.0]])
    returns = t([[1.0, 0.0, 0.5, -7.0]])
    mask = t([[1, 1, 1, 0]])
    loss, stats = value_loss(values, old, returns, mask, clip_eps=0.2)
    # ½ · (0.64 + 1 + 0.16)/3 = 0.3
    assert loss.item() == pytest.approx(0.3)
    assert stats["value_clipfrac"].item() == pytest.approx(1 / 3)
    loss.backward()
    # t0: clipped branch, constant in V -> 0;  t1: ½·2(V − R)/3 = 1/3;  t2: ½·2(0.1 − 0.5)/3 = −0.4/3;  t3: 0
    assert torch.allclose(values.grad, t([[0.0, 1 / 3, -0.4 / 3, 0.0]]))


def test_value_loss_unclipped_is_half_mse():
    gen = torch.Generator().manual_seed(4)
    values = torch.randn(2, 5, generator=gen, dtype=D)
    returns = torch.randn(2, 5, generator=gen, dtype=D)
    mask = torch.ones(2, 5, dtype=D)
    loss, stats = value_loss(values, values.clone(), returns, mask, clip_eps=1e9)
    assert loss.item() == pytest.approx(0.5 * ((values - returns) ** 2).mean().item())
    assert stats["value_clipfrac"].item() == 0


# ---------------------------------------------------------------- explained_variance


def test_explained_variance():
    returns = t([[1.0, 2.0, 3.0, 100.0]])
    mask = t([[1, 1, 1, 0]])
    assert explained_variance(returns.clone(), returns, mask).item() == pytest.approx(1.0)
    # constant prediction at the mean: Var[R − V] = Var[R] -> 0
    assert explained_variance(t([[2.0, 2.0, 2.0, -5.0]]), returns, mask).item() == pytest.approx(0.0)
    # V = R/2: R − V = R/2, whose variance is Var[R]/4 -> 1 − 1/4 = 0.75
    assert explained_variance(returns / 2, returns, mask).item() == pytest.approx(0.75)
    assert math.isnan(explained_variance(t([[1.0, 2.0]]), t([[3.0, 3.0]]), t([[1, 1]])).item())


# ---------------------------------------------------------------- rloo_advantages


def test_rloo_hand_values():
    # group 1: s = 1 against the mean of (2, 3) = 2.5 -> −1.5;  2 against (1 + 3)/2 = 2 -> 0;  3 against 1.5 -> 1.5
    # group 2: all equal -> 0
    adv = rloo_advantages(t([1.0, 2.0, 3.0, 10.0, 10.0, 10.0]), group_size=3)
    assert adv.shape == (6,)
    assert torch.allclose(adv, t([-1.5, 0.0, 1.5, 0.0, 0.0, 0.0]))


def test_rloo_group_of_two_is_the_pair_difference():
    # k = 2: the baseline is the other sample, so A_i = s_i − s_j
    adv = rloo_advantages(t([4.0, 1.0, -2.0, 5.0]), group_size=2)
    assert torch.allclose(adv, t([3.0, -3.0, -7.0, 7.0]))


def test_rloo_sums_to_zero_per_group_and_is_detached():
    gen = torch.Generator().manual_seed(5)
    scores = torch.randn(12, generator=gen, dtype=D).requires_grad_(True)
    adv = rloo_advantages(scores, group_size=4)
    assert torch.allclose(adv.reshape(3, 4).sum(-1), torch.zeros(3, dtype=D))
    assert not adv.requires_grad
    # a constant added to one group leaves its advantages unchanged (the baseline moves with it)
    shifted = scores.detach().clone()
    shifted[4:8] += 100.0
    assert torch.allclose(rloo_advantages(shifted, 4), adv)


@pytest.mark.parametrize("fn", [rloo_advantages, group_advantages])
def test_group_advantages_reject_bad_groups(fn):
    with pytest.raises(ValueError, match="multiple|whole number"):
        fn(t([1.0, 2.0, 3.0, 4.0, 5.0]), group_size=2)  # 5 is not a multiple of 2
    with pytest.raises(ValueError, match="≥ 2"):
        fn(t([1.0, 2.0]), group_size=1)
    with pytest.raises(ValueError, match="≥ 2"):
        fn(t([1.0, 2.0]), group_size=0)
    with pytest.raises(ValueError, match="1-D"):
        fn(t([[1.0, 2.0]]), group_size=2)


# ---------------------------------------------------------------- group_advantages


def test_grpo_hand_values():
    # [1, 2, 3]: mean 2, unbiased std √((1 + 0 + 1)/2) = 1 -> [−1, 0, 1]/(1 + eps); a constant group -> 0
    eps = 1e-6
    adv = group_advantages(t([1.0, 2.0, 3.0, 5.0, 5.0, 5.0]), group_size=3)
    assert torch.allclose(adv, t([-1.0, 0.0, 1.0, 0.0, 0.0, 0.0]) / (1 + eps), atol=0, rtol=1e-12)
    # eps enters the denominator: [−1, 0, 1]/1.5
    assert torch.allclose(group_advantages(t([1.0, 2.0, 3.0]), 3, eps=0.5), t([-1 / 1.5, 0.0, 1 / 1.5]))


def test_grpo_uses_unbiased_std():
    # k = 2, [0, 2]: mean 1, unbiased std √((1 + 1)/1) = √2 -> ±1/√2 (the biased std 1 would give ±1)
    assert torch.allclose(group_advantages(t([0.0, 2.0]), 2, eps=0.0), t([-1 / math.sqrt(2), 1 / math.sqrt(2)]))
    # [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, Σ(s − 5)² = 32, unbiased var 32/7; for s = 9: 4/√(32/7) = √(7/2) = 1.870829
    adv = group_advantages(t([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]), 8, eps=0.0)
    assert adv[-1].item() == pytest.approx(math.sqrt(3.5))
    assert adv[4].item() == pytest.approx(0.0)


# ---------------------------------------------------------------- discounted_returns


def naive_returns(rewards, mask, gamma):
    """G_t = Σ_{j ≥ t} γ^(j−t) r_j over the real span of each row, 0 elsewhere."""
    B, T = rewards.shape
    out = torch.zeros(B, T, dtype=D)
    for b in range(B):
        real = [i for i in range(T) if mask[b, i] == 1]
        for i in real:
            out[b, i] = sum(gamma ** (j - i) * rewards[b, j].item() for j in real if j >= i)
    return out


def test_discounted_returns_hand_values():
    # real span t = 1..3 with r = 0, 1, 2 (t = 0 and t = 4 are padding with garbage), γ = 0.5:
    # G3 = 2;  G2 = 1 + 0.5·2 = 2;  G1 = 0 + 0.5·2 = 1
    ret = discounted_returns(t([[9.0, 0.0, 1.0, 2.0, 7.0]]), t([[0, 1, 1, 1, 0]]), gamma=0.5)
    assert torch.allclose(ret, t([[0.0, 1.0, 2.0, 2.0, 0.0]]))
    # γ = 1: plain reward-to-go 3, 3, 2;  γ = 0: the rewards themselves
    assert torch.allclose(discounted_returns(t([[9.0, 0.0, 1.0, 2.0, 7.0]]), t([[0, 1, 1, 1, 0]])),
                          t([[0.0, 3.0, 3.0, 2.0, 0.0]]))
    assert torch.allclose(discounted_returns(t([[9.0, 0.0, 1.0, 2.0, 7.0]]), t([[0, 1, 1, 1, 0]]), gamma=0.0),
                          t([[0.0, 0.0, 1.0, 2.0, 0.0]]))


@pytest.mark.parametrize("gamma", [0.9, 1.0, 0.0])
def test_discounted_returns_match_naive_loop_with_offsets_and_padding(gamma):
    gen = torch.Generator().manual_seed(6)
    B, T = 6, 9
    rewards = torch.randn(B, T, generator=gen, dtype=D)
    mask = random_mask(B, T, gen)
    mask[1] = 0  # an empty row: all zero
    ret = discounted_returns(rewards, mask, gamma=gamma)
    assert torch.allclose(ret, naive_returns(rewards, mask, gamma))
    assert (ret[mask == 0] == 0).all()


def test_discounted_returns_are_gae_returns_with_zero_values_and_lam_one():
    gen = torch.Generator().manual_seed(7)
    rewards = torch.randn(4, 6, generator=gen, dtype=D)
    mask = random_mask(4, 6, gen)
    _, gae_returns = compute_gae(rewards, torch.zeros(4, 6, dtype=D), mask, gamma=0.9, lam=1.0)
    assert torch.allclose(discounted_returns(rewards, mask, gamma=0.9), gae_returns)


def test_discounted_returns_bool_mask_and_detached():
    rewards = t([[1.0, 2.0, 3.0]]).requires_grad_(True)
    ret = discounted_returns(rewards, torch.tensor([[True, True, False]]), gamma=0.9)
    # G1 = 2, G0 = 1 + 0.9·2 = 2.8; t = 2 is padding
    assert torch.allclose(ret, t([[2.8, 2.0, 0.0]]))
    assert not ret.requires_grad


# ---------------------------------------------------------------- broadcast_sequence_advantages


def test_broadcast_sequence_advantages():
    adv = t([2.0, -1.0, 0.5, 3.0])
    mask = t([[0, 1, 1, 0], [1, 1, 1, 1], [0, 0, 1, 0], [0, 0, 0, 0]])
    out = broadcast_sequence_advantages(adv, mask)
    expected = t([[0, 2, 2, 0], [-1, -1, -1, -1], [0, 0, 0.5, 0], [0, 0, 0, 0]])
    assert out.shape == (4, 4) and out.dtype == D
    assert torch.allclose(out, expected)
    assert torch.allclose(broadcast_sequence_advantages(adv, mask.bool()), expected)


def test_broadcast_advantages_feed_policy_loss_as_minus_sequence_mean():
    # on-policy (ρ = 1) the policy loss is −masked_mean(A): rows weigh by their token counts
    # row 0: 2 tokens of A = 2, row 1: 4 tokens of A = −1 -> −(2·2 − 4)/6 = 0
    mask = t([[0, 1, 1, 0], [1, 1, 1, 1]])
    logp = torch.zeros(2, 4, dtype=D)
    loss, _ = policy_loss(logp, logp.clone(), broadcast_sequence_advantages(t([2.0, -1.0]), mask), mask)
    assert loss.item() == pytest.approx(0.0)


# ---------------------------------------------------------------- kl_loss


def test_kl_loss_zero_when_policy_equals_reference():
    ref = t([[-1.0, -2.0, -0.5], [-3.0, -0.1, -9.0]])
    logp = ref.clone().requires_grad_(True)
    loss, stats = kl_loss(logp, ref, t([[1, 1, 0], [1, 1, 1]]))
    assert loss.item() == 0.0
    loss.backward()
    assert (logp.grad == 0).all()
    assert stats["kl"].item() == 0.0 and stats["kl_k1"].item() == 0.0


def test_kl_loss_hand_value_and_gradient():
    # Δ = 1, −1, ln 2 on three real tokens, padding with a huge Δ ignored
    # k3 = e^−Δ − 1 + Δ: e^−1, e − 2, ½ − 1 + ln 2; loss = their mean over 3
    # ∂/∂logp = (1 − e^−Δ)/3: (1 − e^−1)/3, (1 − e)/3, (1 − ½)/3 = 1/6; padding 0
    ref = t([[-1.0, -2.0, -3.0, -1.0]]).requires_grad_(True)
    logp = (ref.detach() + t([[1.0, -1.0, math.log(2), 40.0]])).requires_grad_(True)
    mask = t([[1, 1, 1, 0]])
    loss, stats = kl_loss(logp, ref, mask)
    k3 = math.exp(-1) + (math.e - 2) + (0.5 - 1 + math.log(2))
    assert loss.item() == pytest.approx(k3 / 3)
    assert stats["kl"].item() == pytest.approx(k3 / 3)
    assert stats["kl_k1"].item() == pytest.approx(math.log(2) / 3)  # (1 − 1 + ln 2)/3
    assert all(not v.requires_grad and v.dim() == 0 for v in stats.values())
    loss.backward()
    assert torch.allclose(logp.grad, t([[(1 - math.exp(-1)) / 3, (1 - math.e) / 3, 1 / 6, 0.0]]))
    assert ref.grad is None  # the reference is a constant


def test_kl_loss_single_token_gradient_is_one_minus_exp_minus_delta():
    # Δ = 0.3: d/dΔ (e^−Δ − 1 + Δ) = 1 − e^−0.3 = 0.2591818
    logp = t([[0.3]]).requires_grad_(True)
    loss, _ = kl_loss(logp, t([[0.0]]), t([[1]]))
    loss.backward()
    assert logp.grad.item() == pytest.approx(0.2591817793)
    assert loss.item() == pytest.approx(math.exp(-0.3) - 1 + 0.3)  # 0.0408182


def test_kl_loss_is_non_negative():
    gen = torch.Generator().manual_seed(8)
    logp = torch.randn(4, 7, generator=gen, dtype=D)
    ref = torch.randn(4, 7, generator=gen, dtype=D)
    loss, _ = kl_loss(logp, ref, random_mask(4, 7, gen))
    assert loss.item() >= 0
    assert (kl_penalty(logp, ref, "k3") >= 0).all()


# ---------------------------------------------------------------- overlong_penalty


def test_overlong_penalty_straddles_the_thresholds():
    # L_max = 10, L_cache = 4: no penalty up to 6, then (6 − L)/4, then −1 past 10
    lengths = torch.tensor([0, 5, 6, 7, 8, 9, 10, 11, 50])
    out = overlong_penalty(lengths, max_len=10, cache_len=4)
    assert out.dtype == torch.get_default_dtype()
    assert torch.allclose(out, torch.tensor([0.0, 0.0, 0.0, -0.25, -0.5, -0.75, -1.0, -1.0, -1.0]))
    # penalty scales the whole curve; float lengths keep their dtype
    out2 = overlong_penalty(t([5.0, 8.0, 10.0, 11.0]), max_len=10, cache_len=4, penalty=0.5)
    assert out2.dtype == D
    assert torch.allclose(out2, t([0.0, -0.25, -0.5, -0.5]))


def test_overlong_penalty_cache_as_long_as_max():
    # L_cache = L_max = 8: the ramp starts at 0, so L = 2 -> −2/8 = −0.25, L = 8 -> −1
    out = overlong_penalty(torch.tensor([0, 2, 8, 9]), max_len=8, cache_len=8)
    assert torch.allclose(out, torch.tensor([0.0, -0.25, -1.0, -1.0]))


@pytest.mark.parametrize("max_len,cache_len", [(10, 0), (10, 11), (10, -1)])
def test_overlong_penalty_rejects_bad_cache(max_len, cache_len):
    with pytest.raises(ValueError, match="cache_len"):
        overlong_penalty(torch.tensor([1, 2]), max_len=max_len, cache_len=cache_len)
