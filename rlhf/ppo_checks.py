"""What PPO checks so that a run can be trusted: the reward model's held-out validation before anything loads
(``reward_model_gate``), the iteration count against the prompts (``total_iterations``), and warnings while it runs
for the failure modes a user should see (``HealthMonitor``)."""
import json
import math
import os

from common.config import ConfigError
from common.embedded import resolve_model_path
from common.modeling import SCALAR_HEAD_CONFIG


def reward_model_gate(ppo_args, rank: int = 0) -> dict:
    """The reward model's recorded held-out validation, checked before anything loads.

    A reward model no better than chance on held-out pairs makes PPO optimise noise; refuse to start below
    ``--rm_min_accuracy`` (or with no record) unless ``--force``.
    """
    path = os.path.join(resolve_model_path(ppo_args.reward_model_name_or_path), SCALAR_HEAD_CONFIG)
    with open(path, encoding="utf-8") as f:
        validation = json.load(f).get("validation") or {}
    accuracy = validation.get("accuracy")
    spread = validation.get("score_std")
    message = (f"[ppo] reward model {ppo_args.reward_model_name_or_path}: held-out accuracy "
               + (f"{accuracy:.3f} on {validation.get('pairs')} pairs" if accuracy is not None else "not recorded")
               + (f", score std {spread:.3f}" if spread is not None else ""))
    if rank == 0:
        print(message, flush=True)
    if (accuracy is None or accuracy < ppo_args.rm_min_accuracy) and not ppo_args.force:
        raise ConfigError(f"{message}: below --rm_min_accuracy {ppo_args.rm_min_accuracy}"
                          + (" (no held-out evaluation recorded in its scalar_head_config.json)"
                             if accuracy is None else "") + "; train it further, or pass --force to start anyway")
    if spread is not None and spread < 1e-4 and not ppo_args.force:
        raise ConfigError(f"{message}: the scores barely vary (std {spread:.2e}); pass --force to start anyway")
    return validation


def total_iterations(train_args, ppo_args, n_prompts: int, world_size: int) -> int:
    """PPO iterations of the run; refuses (before any model loads) an iteration wanting more prompts than the file
    has."""
    if ppo_args.rollout_batch_size * world_size > n_prompts:
        raise ConfigError(f"one iteration takes {ppo_args.rollout_batch_size * world_size} prompts (--rollout_batch_size "
                          f"x {world_size} rank(s)) but {ppo_args.prompt_file} has {n_prompts}")
    if train_args.max_steps > 0:
        return train_args.max_steps
    per_epoch = n_prompts // (ppo_args.rollout_batch_size * world_size)
    return max(1, math.ceil(train_args.num_train_epochs * per_epoch))


class HealthMonitor:
    """Printed warnings for the failure modes a user should see before trusting a run.

    * KL turning negative by more than twice its standard error (the k1 estimate of KL(π‖π_ref) is ≥ 0 in
      expectation: a clearly negative mean says the rollouts are not samples of the policy whose log-probs are used);
    * the response length falling below half of the initial policy's (iteration 1: the SFT policy);
    * ``eos_rate`` collapsing to 0 (nothing ends), or jumping to 1 while the length collapses (learning to stop);
    * ``explained_variance`` staying negative for three iterations after the critic's warm-up.
    """

    def __init__(self, ppo_args, rank: int):
        self.ppo, self.rank = ppo_args, rank
        self.initial_length = None
        self.negative_ev_streak = 0
        self.warnings = []

    def check(self, iteration: int, m: dict):
        if self.initial_length is None:
            self.initial_length = m["ppo/response_length"]
        problems = []
        if m["ppo/kl"] < -2 * m["ppo/kl_sem"]:
            problems.append(f"KL is negative ({m['ppo/kl']:.3f} ± {m['ppo/kl_sem']:.3f}): the rollouts are not "
                            "samples of the policy whose log-probs are used")
        short = m["ppo/response_length"] < 0.5 * self.initial_length
        if short:
            problems.append(f"response length {m['ppo/response_length']:.1f} is below half of the initial "
                            f"{self.initial_length:.1f} tokens")
        if m["ppo/eos_rate"] == 0:
            problems.append(f"no response ended its turn within {self.ppo.max_new_tokens} tokens")
        elif m["ppo/eos_rate"] == 1 and short:
            problems.append("every response ends while length collapses: the policy is learning to stop")
        if "ppo/explained_variance" in m and iteration > self.ppo.critic_warmup_steps:
            self.negative_ev_streak = self.negative_ev_streak + 1 if m["ppo/explained_variance"] < 0 else 0
            if self.negative_ev_streak >= 3:
                problems.append(f"explained variance negative for {self.negative_ev_streak} iterations after warm-up "
                                f"({m['ppo/explained_variance']:.2f}): the critic does not predict the returns")
        for p in problems:
            self.warnings.append({"iteration": iteration, "warning": p})
            if self.rank == 0:
                print(f"[ppo] WARNING iteration {iteration}: {p}", flush=True)

    def state_dict(self) -> dict:
        return {"initial_length": self.initial_length, "negative_ev_streak": self.negative_ev_streak,
                "warnings": self.warnings}

    def load_state_dict(self, state: dict):
        self.initial_length = state.get("initial_length")
        self.negative_ev_streak = state.get("negative_ev_streak", 0)
        self.warnings = state.get("warnings", [])
