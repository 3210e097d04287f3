"""KL coefficient controllers for PPO (pure: standard library only).

One interface for both, as in lm-human-preferences: ``.value`` (the current β), ``.update(current_kl, n_steps)``
after each PPO batch, and ``state_dict()`` / ``load_state_dict(d)`` so a resumed run continues with the same β.

Reference: Ziegler et al. 2019, "Fine-Tuning Language Models from Human Preferences", section 2.2:
    e_t = clip(KL_t / KL_target − 1, −0.2, 0.2),    β_{t+1} = β_t · (1 + K_β · e_t)
with K_β = n_steps / horizon (lm-human-preferences' AdaptiveKLController).
"""
import math


def _check_coef(value, name):
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


class FixedKLController:
    """Constant KL coefficient β; ``update`` is a no-op."""

    def __init__(self, kl_coef: float):
        self.value = _check_coef(kl_coef, "kl_coef")

    def update(self, current_kl, n_steps: int) -> None:
        pass

    def state_dict(self) -> dict:
        return {"value": self.value}

    def load_state_dict(self, state: dict) -> None:
        self.value = _check_coef(state["value"], "state['value']")


class AdaptiveKLController:
    """Proportional controller that steers the measured KL toward ``target`` (Ziegler et al. 2019, §2.2).

      e     = clip(current_kl / target − 1, −0.2, 0.2)
      value = value · (1 + e · n_steps / horizon)

    init_kl_coef: β at step 0 (>= 0); target: the desired KL in nats per sequence, as measured by the trainer
    (> 0); horizon: number of samples over which an error is corrected by about a factor e (> 0). ``n_steps`` is
    the number of samples (episodes) since the last update; keep n_steps / horizon small (≪ 5), since with e = −0.2
    the factor 1 + e·n_steps/horizon reaches 0 at n_steps = 5·horizon.
    Only ``value`` is state; ``target`` and ``horizon`` are configuration and come from the constructor.
    """

    def __init__(self, init_kl_coef: float, target: float, horizon: float):
        self.value = _check_coef(init_kl_coef, "init_kl_coef")
        target, horizon = float(target), float(horizon)
        if not math.isfinite(target) or target <= 0:
            raise ValueError(f"target (the KL target) must be a finite number > 0, got {target!r}")
        if not math.isfinite(horizon) or horizon <= 0:
            raise ValueError(f"horizon must be a finite number > 0, got {horizon!r}")
        self.target = target
        self.horizon = horizon

    def update(self, current_kl, n_steps: int) -> None:
        current_kl = float(current_kl)  # accepts a Python number or a 0-dim tensor
        if not math.isfinite(current_kl):
            raise ValueError(f"current_kl must be finite, got {current_kl!r}: the policy has diverged")
        if n_steps < 0:
            raise ValueError(f"n_steps must be >= 0, got {n_steps!r}")
        proportional_error = min(max(current_kl / self.target - 1.0, -0.2), 0.2)
        self.value *= 1.0 + proportional_error * n_steps / self.horizon

    def state_dict(self) -> dict:
        return {"value": self.value}

    def load_state_dict(self, state: dict) -> None:
        self.value = _check_coef(state["value"], "state['value']")
