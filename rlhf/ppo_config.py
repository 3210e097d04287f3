"""PPO's argument group: the rollout, the KL penalty, the advantage estimator, the critic, the reward gate."""
import os
import sys
from dataclasses import dataclass, field
from typing import Optional

from common.config import REF_MODES, Arguments, PeftArguments, TrainingArguments, _help, choice, find, flag_value
from common.generation import MODES as GENERATION_MODES
ADVANTAGE_ESTIMATORS = ("gae", "rloo", "grpo", "reinforce_pp")
CRITIC_FREE = ADVANTAGE_ESTIMATORS[1:]
CRITIC_FLAGS = ("--critic", "--critic_model_name_or_path", "--critic_learning_rate", "--critic_warmup_steps",
                "--critic_head", "--value_clip_eps", "--vf_coef")  # refused without a critic (gae)
CRITICS = ("separate", "shared")
VF_COEF = 0.1  # --vf_coef's default (lm-human-preferences' vf_coef)


@dataclass
class PPOArguments(Arguments):
    NAMES_ITS_MODELS = True  # --actor_model_name_or_path and the others stand for --model_name_or_path

    actor_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("The SFT model (a run's final/ LoRA adapter is merged into its base first, so "
                                     "a fresh PPO adapter sits on top of it), a directory or embedded:NAME.")
    )
    critic_model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("Critic start: a reward model's final/ (default: the reward model) or a causal "
                                     "LM (a new value head is added).")
    )
    reward_model_name_or_path: Optional[str] = field(default=None, metadata=_help("A reward model's final/."))
    reward_fn: Optional[str] = field(
        default=None, metadata=_help("FILE.py:FUNCTION, fn(prompts, responses) -> list of floats; replaces the "
                                     "reward model (rule-based rewards).")
    )
    prompt_file: Optional[str] = field(default=None, metadata=_help("JSONL of {\"prompt\": ...} objects."))
    ref_mode: str = choice("separate", REF_MODES, "separate: a frozen reference engine; adapter_disabled: the "
                                                  "LoRA actor with its adapter switched off (no second copy of the "
                                                  "weights).")
    rollout_batch_size: int = field(default=8, metadata=_help("Prompts per rank per PPO iteration."))
    max_new_tokens: int = field(default=64, metadata=_help("Most tokens generated per response."))
    temperature: float = field(default=1.0, metadata=_help("Sampling temperature (log-probs use the same)."))
    top_p: float = field(default=1.0, metadata=_help("Nucleus sampling threshold."))
    generation_mode: str = choice("gathered", GENERATION_MODES, "gathered: under ZeRO-3 gather the actor once and "
                                                                "decode without the per-module fetch hooks; naive: "
                                                                "decode through the hooks.")
    rollout_logprobs: str = choice("auto", ("auto", "sampler", "forward"),
                                   "Where the rollout's (old) log-probs come from: sampler (the decoding loop's own "
                                   "logits, no extra forward), forward (a forward of the actor over the rollout, as "
                                   "the policy loss computes them), auto (sampler in float32, where the two agree "
                                   "to ~1e-5; forward in bf16/fp16, where a cached, LoRA-merged decode may differ "
                                   "from the training forward by more than the clip range tolerates).")
    ppo_epochs: int = field(default=4, metadata=_help("Passes over each rollout."))
    advantage_estimator: str = choice("gae", ADVANTAGE_ESTIMATORS,
                                      "gae: PPO with a critic (GAE); rloo: leave-one-out baseline over the "
                                      "--samples_per_prompt samples of a prompt; grpo: group-normalised scores; "
                                      "reinforce_pp: returns of the KL-shaped rewards whitened over the global "
                                      "batch (REINFORCE++). rloo, grpo and reinforce_pp need no critic.")
    samples_per_prompt: int = field(
        default=1, metadata=_help("Responses sampled per prompt (K); rloo and grpo need K >= 2.")
    )
    critic: Optional[str] = choice(None, CRITICS,
                                   "The critic (gae only; default separate): separate (a model of its own, the reward "
                                   "model's or --critic_model_name_or_path's body with a value head, its own "
                                   "optimizer; a forward in scoring and a forward and backward in training) or "
                                   "shared (a value head on the actor's last hidden states, as TRL's original "
                                   "value-head PPO: the values come with the actor's log-probs, from the decoding "
                                   "loop in the rollout and from the same forward in training, and the loss is the "
                                   "policy loss + --vf_coef x the value loss, through the actor's adapter).")
    vf_coef: Optional[float] = field(
        default=None, metadata=_help("Weight of the value loss in a shared critic's loss (--critic shared only; "
                                     f"default {VF_COEF}, as lm-human-preferences' vf_coef).")
    )
    critic_learning_rate: Optional[float] = field(
        default=None, metadata=_help("Critic learning rate (default: --learning_rate).")
    )
    critic_head: Optional[str] = choice(None, ("zero", "reward"),
                                        "The critic's value head (gae only; default zero): zero (a head at 0 on the "
                                        "critic's body: the mean of a reward normalised on the SFT policy, as "
                                        "lm-human-preferences starts it) or reward (a reward model's own head, "
                                        "trained only at the last token: it reads prefixes with a bias).")
    critic_warmup_steps: int = field(
        default=0, metadata=_help("Iterations at the start that train only the critic (value loss), so the first "
                                  "policy update sees values fitted to the SFT policy's returns (gae only).")
    )
    kl_ctl: str = choice("adaptive", ("adaptive", "fixed"), "adaptive: Ziegler et al. 2019.")
    init_kl_coef: float = field(default=0.1, metadata=_help("Initial KL penalty coefficient beta."))
    kl_target: float = field(default=6.0, metadata=_help("Adaptive controller's target KL per sequence (nats)."))
    kl_horizon: int = field(
        default=10000, metadata=_help("Adaptive controller's horizon (samples): beta moves by at most "
                                      "20% x samples per iteration / horizon each iteration.")
    )
    kl_penalty: str = choice("reward", ("reward", "loss"),
                             "Where beta*KL enters: reward (k1 on every response token, the unbiased per-token "
                             "estimator as a reward) or loss (k3 added to the policy loss, as GRPO does).")
    gamma: float = field(default=1.0, metadata=_help("Discount factor."))
    lam: float = field(default=0.95, metadata=_help("GAE lambda."))
    clip_eps: float = field(default=0.2, metadata=_help("Policy ratio clip range."))
    value_clip_eps: Optional[float] = field(
        default=None, metadata=_help("Value clip range around the rollout's values (gae only; default 0.2).")
    )
    reward_clip: float = field(default=0.0, metadata=_help("Clip scores to [-c, c] (0 = off)."))
    missing_eos_penalty: Optional[float] = field(
        default=None, metadata=_help("Subtracted from the score of a response that never ends its turn.")
    )
    overlong_buffer: int = field(
        default=0, metadata=_help("DAPO's soft overlong penalty: the last N tokens before --max_new_tokens cost "
                                  "linearly up to --overlong_penalty (0 = off); the alternative to "
                                  "--missing_eos_penalty.")
    )
    overlong_penalty: float = field(default=1.0, metadata=_help("Largest soft overlong penalty (at the limit)."))
    reward_norm_samples: int = field(
        default=0, metadata=_help("Before training, sample about this many responses (whole rollout batches) from "
                                  "the initial (SFT) policy and normalise the reward model's scores to mean 0, std 1 "
                                  "on them (Ziegler et al. 2019); 0 keeps the reward model's own normalisation.")
    )
    rm_min_accuracy: float = field(
        default=0.6, metadata=_help("Refuse to start when the reward model's recorded held-out accuracy is below "
                                    "this (or unknown) unless --force.")
    )
    force: bool = field(default=False, metadata=_help("Start PPO even when the reward-model gate fails."))
    whiten_rewards: bool = field(default=False, metadata=_help("Whiten per-token rewards (shift kept) before GAE."))
    sample_every: int = field(default=5, metadata=_help("Log prompt/response samples to tensorboard every N iterations."))

    def problems(self, groups) -> list:
        out = []
        if not self.actor_model_name_or_path:
            out.append("--actor_model_name_or_path is required")
        if bool(self.reward_model_name_or_path) == bool(self.reward_fn):
            out.append("give exactly one of --reward_model_name_or_path and --reward_fn")
        if self.reward_fn and (":" not in self.reward_fn or not os.path.isfile(self.reward_fn.rsplit(":", 1)[0])):
            out.append(f"--reward_fn {self.reward_fn}: expected an existing FILE.py:FUNCTION")
        if self.reward_fn and not self.critic_model_name_or_path and self.advantage_estimator == "gae" \
                and self.critic != "shared":
            out.append("--critic_model_name_or_path is required with --reward_fn and --advantage_estimator gae (no "
                       "reward model to start the critic from)")
        if not self.prompt_file or not os.path.isfile(self.prompt_file):
            out.append(f"--prompt_file {self.prompt_file}: no such file")
        if self.rollout_batch_size < 1 or self.max_new_tokens < 1 or self.ppo_epochs < 1:
            out.append("--rollout_batch_size, --max_new_tokens and --ppo_epochs must be >= 1")
        if self.temperature <= 0:
            out.append("--temperature must be > 0")
        if self.init_kl_coef < 0 or self.kl_target <= 0 or self.kl_horizon < 1:
            out.append(f"--init_kl_coef must be >= 0, --kl_target > 0 and --kl_horizon >= 1; got "
                       f"{self.init_kl_coef}, {self.kl_target}, {self.kl_horizon}")
        if self.clip_eps <= 0 or (self.value_clip_eps is not None and self.value_clip_eps <= 0) or self.reward_clip < 0:
            out.append("--clip_eps and --value_clip_eps must be > 0, --reward_clip >= 0")
        if not 0 <= self.gamma <= 1 or not 0 <= self.lam <= 1:
            out.append("--gamma and --lam must be in [0, 1]")
        grouped = self.advantage_estimator in ("rloo", "grpo")  # they compare the samples of a prompt
        if self.samples_per_prompt < 1 or (grouped and self.samples_per_prompt < 2):
            out.append(f"--samples_per_prompt must be >= 1 (>= 2 for rloo and grpo, which compare a prompt's "
                       f"samples), got {self.samples_per_prompt} with --advantage_estimator {self.advantage_estimator}")
        out += self.critic_problems()
        if self.overlong_buffer < 0 or self.overlong_buffer > self.max_new_tokens or self.overlong_penalty < 0:
            out.append("--overlong_buffer must be in [0, --max_new_tokens] and --overlong_penalty >= 0")
        if self.reward_norm_samples < 0 or (self.reward_norm_samples and self.reward_fn):
            out.append("--reward_norm_samples must be >= 0 and needs a reward model (not --reward_fn)")
        if self.top_p != 1.0:
            out.append("--top_p must be 1 in PPO: the log-probs of the ratio and the KL are those of the full "
                       "softmax, so nucleus sampling would make the rollouts off-policy")
        if self.overlong_buffer and self.missing_eos_penalty is not None:
            out.append("give one of --overlong_buffer (soft, DAPO) and --missing_eos_penalty (flat): both penalise "
                       "the responses cut at --max_new_tokens")
        return out + self.combination_problems(groups)

    def critic_problems(self) -> list:
        out = []
        if self.critic_warmup_steps < 0 or (self.critic_warmup_steps and self.advantage_estimator != "gae"):
            out.append("--critic_warmup_steps must be >= 0 and needs --advantage_estimator gae (a critic)")
        if self.critic_learning_rate is not None and self.critic_learning_rate <= 0:
            out.append("--critic_learning_rate must be > 0")
        given = [f"--{name}" for name in ("critic", "critic_model_name_or_path", "critic_learning_rate",
                                          "critic_head", "value_clip_eps", "vf_coef")
                 if getattr(self, name) is not None]
        if given and self.advantage_estimator != "gae":
            out.append(f"{', '.join(given)}: --advantage_estimator {self.advantage_estimator} has no critic")
        if self.critic == "shared":
            own = [f"--{name}" for name in ("critic_model_name_or_path", "critic_learning_rate")
                   if getattr(self, name) is not None] + (["--critic_head reward"] if self.critic_head == "reward"
                                                          else [])
            if own:
                out.append(f"{', '.join(own)}: a shared critic is a zero-started value head on the actor, trained by "
                           "the actor's optimizer (weigh it with --vf_coef); these name a separate critic")
        elif self.vf_coef is not None:
            out.append("--vf_coef weighs a shared critic's value loss: it needs --critic shared (a separate critic "
                       "has an optimizer of its own; see --critic_learning_rate)")
        if self.vf_coef is not None and self.vf_coef <= 0:
            out.append(f"--vf_coef must be > 0, got {self.vf_coef}")
        if self.whiten_rewards and self.advantage_estimator != "gae":
            out.append("--whiten_rewards applies to --advantage_estimator gae only")
        return out

    def combination_problems(self, groups) -> list:
        out = []
        peft, train = find(groups, PeftArguments), find(groups, TrainingArguments)
        if peft and self.ref_mode == "adapter_disabled" and peft.lora_rank == 0:
            out.append("--ref_mode adapter_disabled needs a LoRA actor (--lora_rank > 0)")
        rows = self.rollout_batch_size * self.samples_per_prompt
        if train and rows % (train.per_device_train_batch_size * train.gradient_accumulation_steps):
            out.append(f"--rollout_batch_size x --samples_per_prompt ({rows} rollout rows) must be a multiple of "
                       "--per_device_train_batch_size x --gradient_accumulation_steps (one optimizer step each)")
        if train and train.length_group_batches is not None:
            out.append("--length_group_batches is for SFT, the reward model and DPO: PPO draws its prompts in plain "
                       "shuffled order")
        return out


def recipe_sections(argv=None) -> tuple:
    """The recipe sections ``launch/ppo.py --recipe`` reads: ``common``, ``ppo``, then ``gae`` or ``critic_free`` by
    the ``--advantage_estimator`` on the command line (default gae)."""
    estimator = flag_value(list(sys.argv[1:] if argv is None else argv), "--advantage_estimator", "gae")
    return ("common", "ppo", "gae" if estimator == "gae" else "critic_free")
