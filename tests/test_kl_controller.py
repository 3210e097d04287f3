"""rlhf.kl_controller: hand-computed update sequences, clipping, the fixed controller, state round trips."""
import math

import pytest
import torch

from rlhf.kl_controller import AdaptiveKLController, FixedKLController


def test_adaptive_hand_sequence():
    ctl = AdaptiveKLController(init_kl_coef=0.1, target=6.0, horizon=100)
    assert ctl.value == 0.1
    # KL 9: e = 9/6 − 1 = 0.5 -> clipped to 0.2; β = 0.1·(1 + 0.2·10/100) = 0.1·1.02 = 0.102
    ctl.update(9.0, 10)
    assert ctl.value == pytest.approx(0.102)
    # KL 3: e = −0.5 -> −0.2; β = 0.102·(1 − 0.02) = 0.09996
    ctl.update(3.0, 10)
    assert ctl.value == pytest.approx(0.09996)
    # KL 6.6: e = 0.1 (inside the clip); β = 0.09996·1.01 = 0.1009596
    ctl.update(6.6, 10)
    assert ctl.value == pytest.approx(0.1009596)
    # KL on target: e = 0, unchanged
    ctl.update(6.0, 50)
    assert ctl.value == pytest.approx(0.1009596)
    # KL 4.8 (a 0-dim tensor): e = −0.2, n/h = 0.5; β = 0.1009596·0.9 = 0.09086364
    ctl.update(torch.tensor(4.8), 50)
    assert ctl.value == pytest.approx(0.09086364)


@pytest.mark.parametrize("kl,factor", [(1e6, 1.2), (100.0, 1.2), (0.0, 0.8), (-5.0, 0.8)])
def test_adaptive_error_clipped_at_plus_minus_0_2(kl, factor):
    # n_steps = horizon: the factor is 1 + e, with e clipped to ±0.2 however far the KL is from target
    ctl = AdaptiveKLController(init_kl_coef=0.5, target=1.0, horizon=64)
    ctl.update(kl, 64)
    assert ctl.value == pytest.approx(0.5 * factor)


def test_adaptive_zero_steps_is_noop():
    ctl = AdaptiveKLController(0.2, target=3.0, horizon=10)
    ctl.update(100.0, 0)
    assert ctl.value == 0.2


def test_fixed_never_changes():
    ctl = FixedKLController(0.05)
    for kl, n in [(100.0, 10_000), (0.0, 1), (-3.0, 7), (torch.tensor(5.0), 3)]:
        ctl.update(kl, n)
        assert ctl.value == 0.05


@pytest.mark.parametrize("cls,args", [(FixedKLController, (0.3,)), (AdaptiveKLController, (0.3, 6.0, 1000))])
def test_state_dict_round_trip(cls, args):
    ctl = cls(*args)
    ctl.update(12.0, 256)
    ctl.update(1.0, 128)
    state = ctl.state_dict()
    fresh = cls(*args)
    fresh.load_state_dict(state)
    assert fresh.value == ctl.value
    # both continue identically after the restore
    ctl.update(8.0, 64)
    fresh.update(8.0, 64)
    assert fresh.value == ctl.value
    assert isinstance(state["value"], float)


def test_argument_validation():
    with pytest.raises(ValueError, match="target"):
        AdaptiveKLController(0.1, target=0.0, horizon=10)
    with pytest.raises(ValueError, match="target"):
        AdaptiveKLController(0.1, target=-1.0, horizon=10)
    with pytest.raises(ValueError, match="horizon"):
        AdaptiveKLController(0.1, target=6.0, horizon=0)
    with pytest.raises(ValueError, match="init_kl_coef"):
        AdaptiveKLController(-0.1, target=6.0, horizon=10)
    with pytest.raises(ValueError, match="kl_coef"):
        FixedKLController(-1.0)
    with pytest.raises(ValueError, match="kl_coef"):
        FixedKLController(math.nan)
    ctl = AdaptiveKLController(0.1, target=6.0, horizon=10)
    with pytest.raises(ValueError, match="current_kl"):
        ctl.update(math.nan, 1)
    with pytest.raises(ValueError, match="n_steps"):
        ctl.update(1.0, -1)
    with pytest.raises(ValueError):
        ctl.load_state_dict({"value": -2.0})
    assert FixedKLController(0.0).value == 0.0  # β = 0 (no KL penalty) is allowed
