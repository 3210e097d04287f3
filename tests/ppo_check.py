"""PPO trainer internals, run by tests/test_ppo.py in its own process (a trainer starts torch.distributed):

    python tests/ppo_check.py --out FILE.json <launch/ppo.py flags>

Builds the trainer exactly as launch/ppo.py does and writes raw observations for the test to assert on: the
learning rate each engine's optimizer holds, the actor's and critic's training mode and dropout, how many times
the first decoder layer of each runs during one update (2 with gradient checkpointing: forward, then the
recomputation in backward), and the rollout tokens with and without a checkpoint generation config that sets
``top_k`` and ``repetition_penalty``.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from common.checkpoint import seed_everything  # noqa: E402
from common.config import DataArguments, ModelArguments, PeftArguments, TrainingArguments, \
    parse_args  # noqa: E402
from rlhf.ppo_config import PPOArguments  # noqa: E402
from rlhf.ppo_trainer import PPOTrainer  # noqa: E402


def first_attention(module):
    """The attention of the first decoder layer: it runs inside the layer's ``forward``, which transformers
    checkpoints (module hooks on the layer itself stay outside the checkpoint and fire once)."""
    return next(m for name, m in module.named_modules() if name.endswith("layers.0.self_attn"))


def count_calls(module) -> list:
    calls = [0]
    # a pre-hook: the recomputation in backward stops early (torch checkpoint early_stop), past the last tensor it needs
    module.register_forward_pre_hook(lambda *_: calls.__setitem__(0, calls[0] + 1))
    return calls


def main():
    out = sys.argv[sys.argv.index("--out") + 1]
    argv = [a for i, a in enumerate(sys.argv[1:]) if a != "--out" and sys.argv[i] != "--out"]
    trainer = PPOTrainer.from_args(*parse_args(PPOArguments, ModelArguments, DataArguments, PeftArguments,
                                               TrainingArguments, args=argv))
    actor, critic = trainer.actor, trainer.critic
    obs = {"actor_lr": [g["lr"] for g in actor.optimizer.param_groups],
           "critic_lr": [g["lr"] for g in critic.optimizer.param_groups]}

    # Rollouts from the same seed, before and after the checkpoint's generation config asks for top-k and a
    # repetition penalty: generation must ignore it (the log-probs PPO uses are the full softmax).
    seed_everything(7)
    plain = trainer.experience.make(trainer.prompt_batch(0))
    gc = trainer.actor.module.generation_config
    gc.top_k, gc.repetition_penalty, gc.do_sample, gc.temperature = 20, 1.3, True, 0.3
    seed_everything(7)
    inherited = trainer.experience.make(trainer.prompt_batch(0))
    obs["rollout_tokens"] = [plain.input_ids.tolist(), inherited.input_ids.tolist()]
    obs["initial_values_max_abs"] = plain.values.abs().max().item()

    # One update of the first mini-batch with the layers' forwards counted.
    actor_calls, critic_calls = count_calls(first_attention(actor.module)), count_calls(first_attention(critic.module))
    trainer.actor.train()
    trainer.critic.train()
    advantages, returns, _ = trainer.advantages(plain, trainer.kl_ctl.value)
    idx = torch.arange(trainer.args.per_device_train_batch_size)
    trainer.update(plain, idx, advantages[idx], returns[idx], trainer.kl_ctl.value, warmup=False)
    obs.update(actor_layer_calls=actor_calls[0], critic_layer_calls=critic_calls[0],
               actor_training=actor.module.training, critic_training=critic.module.training,
               dropout_p=sorted({m.p for m in list(actor.module.modules()) + list(critic.module.modules())
                                 if isinstance(m, nn.Dropout)}),
               attention_dropout=sorted({m.attention_dropout for m in actor.module.modules()
                                         if isinstance(getattr(m, "attention_dropout", None), float)}))
    with open(out, "w", encoding="utf-8") as f:
        json.dump(obs, f)


if __name__ == "__main__":
    main()
