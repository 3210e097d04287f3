"""PPO with four DeepSpeed engines: actor and critic trainable, reference and reward frozen.

One iteration (Ouyang et al. 2022, section 3.5; Ziegler et al. 2019):

1. experience: sample responses for ``rollout_batch_size`` prompts per rank; actor and reference log-probs,
   critic values, reward scores (``rlhf/experience.py``);
2. rewards: ``shape_rewards`` puts −β·KL_t on every response token and the score on the last one, β from the KL
   controller; optionally whitened;
3. ``compute_gae`` gives advantages (whitened over the rollout) and returns;
4. ``ppo_epochs`` passes over the rollout in mini-batches: clipped policy loss on the actor, clipped value loss
   on the critic, each engine with its own optimizer;
5. the KL controller is updated with the mean per-sequence KL of the rollout, averaged over ranks.

Prompts are read in a fixed permutation per epoch from ``seed + epoch``, so iteration ``i`` always uses the same
prompts, and a resumed run (engines, KL controller, RNG streams, counters restored) repeats an uninterrupted one.
"""
import dataclasses
import math
import os
import time

import torch

from common import checkpoint
from common.config import to_dict
from common.data import PromptCollator, PromptDataset
from common.engine import all_reduce_sum, create_inference_engine, device, zero_stage
from common.modeling import SCALAR_HEAD_CONFIG, ScalarHeadModel, apply_backbone_lora, apply_lora, count_parameters, \
    load_causal_lm, load_tokenizer
from common.embedded import resolve_model_path
from common.ops import masked_mean, masked_whiten
from common.trainer import base_name_for_export, make_ds_config, make_engine, open_tracker, start_run
from rlhf.experience import ExperienceMaker, load_reward_fn, response_logprobs, response_values
from rlhf.kl_controller import AdaptiveKLController, FixedKLController
from rlhf.losses import compute_gae, explained_variance, kl_penalty, policy_loss, shape_rewards, value_loss


class PPOTrainer:
    stage = "ppo"

    def __init__(self, actor, critic, experience, prompts, tokenizer, ppo_args, train_args, tracker, rank,
                 world_size, base_model_name=None):
        self.actor, self.critic, self.experience = actor, critic, experience
        self.prompts, self.tokenizer = prompts, tokenizer
        self.ppo, self.args, self.tracker = ppo_args, train_args, tracker
        self.rank, self.world_size = rank, world_size
        self.base_model_name = base_model_name
        self.collate = PromptCollator(tokenizer.pad_token_id)
        self.iterations_per_epoch = len(prompts) // (ppo_args.rollout_batch_size * world_size)
        if self.iterations_per_epoch == 0:
            raise ValueError(f"{ppo_args.prompt_file}: {len(prompts)} prompts is fewer than one rollout "
                             f"({ppo_args.rollout_batch_size} x {world_size} ranks)")
        self.total_iterations = total_iterations(train_args, ppo_args, len(prompts), world_size)
        if ppo_args.kl_ctl == "adaptive":
            self.kl_ctl = AdaptiveKLController(ppo_args.init_kl_coef, ppo_args.kl_target, ppo_args.kl_horizon)
        else:
            self.kl_ctl = FixedKLController(ppo_args.init_kl_coef)
        self.iteration = 0

    # --- construction from the command line -------------------------------------------------------------------
    @classmethod
    def from_args(cls, ppo_args, model_args, data_args, peft_args, train_args):
        rank, world_size = start_run(train_args)
        model_args = dataclasses.replace(model_args, model_name_or_path=ppo_args.actor_model_name_or_path)
        tokenizer = load_tokenizer(model_args.tokenizer_name_or_path or ppo_args.actor_model_name_or_path)
        prompts = PromptDataset(ppo_args.prompt_file, tokenizer, data_args.max_source_length,
                                data_args.prompt_column, data_args.system_prompt)
        optimizer_steps = total_iterations(train_args, ppo_args, len(prompts), world_size) * ppo_args.ppo_epochs * (
            ppo_args.rollout_batch_size // (train_args.per_device_train_batch_size
                                            * train_args.gradient_accumulation_steps))
        ds_config, dtype = make_ds_config(model_args, train_args, world_size, optimizer_steps)

        # Actor: the SFT model (an SFT adapter merged into its base) with a fresh LoRA adapter on top, so that
        # switching the adapter off gives back exactly the SFT model (the reference of adapter_disabled mode).
        actor = apply_lora(load_causal_lm(ppo_args.actor_model_name_or_path, dtype, ds_config, adapter="merge"),
                           peft_args)
        reference = None
        if ppo_args.ref_mode == "separate":
            reference = create_inference_engine(
                load_causal_lm(ppo_args.actor_model_name_or_path, dtype, ds_config, adapter="merge"), ds_config)
        critic_path = ppo_args.critic_model_name_or_path or ppo_args.reward_model_name_or_path
        critic = load_critic(critic_path, dtype, ds_config, peft_args)
        if ppo_args.reward_fn:
            reward = load_reward_fn(ppo_args.reward_fn)
        else:
            reward = create_inference_engine(
                ScalarHeadModel.from_pretrained(ppo_args.reward_model_name_or_path, dtype=dtype, ds_config=ds_config),
                ds_config)
        actor_engine = make_engine(actor, model_args, train_args, ds_config, optimizer_steps, rank)
        critic_args = dataclasses.replace(train_args, learning_rate=ppo_args.critic_learning_rate
                                          or train_args.learning_rate)
        critic_engine = make_engine(critic, model_args, critic_args, ds_config, optimizer_steps, rank)

        experience = ExperienceMaker(actor_engine, reference, critic_engine, reward, tokenizer, ppo_args, device(),
                                     forward_batch_size=train_args.per_device_eval_batch_size)
        trainable, total = count_parameters(actor_engine.module)
        config = to_dict(ppo_args, model_args, data_args, peft_args, train_args)
        config.update(world_size=world_size, zero_stage=zero_stage(ds_config), actor_trainable_params=trainable,
                      actor_total_params=total, prompts=len(prompts),
                      models_in_memory=2 + (reference is not None) + (not ppo_args.reward_fn))
        tracker, resume = open_tracker(train_args, rank, config)
        trainer = cls(actor_engine, critic_engine, experience, prompts, tokenizer, ppo_args, train_args, tracker,
                      rank, world_size,
                      base_name_for_export(ppo_args.actor_model_name_or_path, continues_adapter=False))
        if resume:
            trainer.resume(resume)
        if rank == 0:
            print(f"[ppo] actor {total / 1e6:.1f}M parameters, {trainable / 1e6:.2f}M trainable; {len(prompts)} "
                  f"prompts; ZeRO-{zero_stage(ds_config)} on {world_size} rank(s); {trainer.total_iterations} "
                  f"iterations; reference: {ppo_args.ref_mode}; reward: "
                  f"{ppo_args.reward_fn or ppo_args.reward_model_name_or_path}", flush=True)
        return trainer

    # --- data ----------------------------------------------------------------------------------------------------
    def prompt_batch(self, iteration: int) -> dict:
        epoch, position = divmod(iteration, self.iterations_per_epoch)
        order = torch.randperm(len(self.prompts), generator=torch.Generator().manual_seed(self.args.seed + epoch))
        n = self.ppo.rollout_batch_size
        start = (position * self.world_size + self.rank) * n
        return self.collate([self.prompts[i] for i in order[start: start + n].tolist()])

    # --- the loop ------------------------------------------------------------------------------------------------
    def train(self) -> dict:
        # Dropout off in both trainable models (eval mode still computes gradients): the ratio of new to old
        # log-probs must be exactly 1 before the first update, or clipping acts on noise.
        self.actor.eval()
        self.critic.eval()
        bar = self.tracker.progress(self.total_iterations, initial=self.iteration, desc=self.stage)
        metrics = {}
        while self.iteration < self.total_iterations:
            rollout = self.experience.make(self.prompt_batch(self.iteration))
            metrics = self.step(rollout)
            self.iteration += 1
            self.tracker.add(int(rollout.attention_mask.sum().item()), len(rollout.prompts))
            self.tracker.log(self.iteration, metrics)
            if self.ppo.sample_every and (self.iteration - 1) % self.ppo.sample_every == 0:
                self.log_samples(rollout)
            bar.update(1)
            bar.set_postfix(score=f"{metrics['ppo/score_mean']:.3f}", kl=f"{metrics['ppo/kl']:.3f}")
            if self.args.save_steps and self.iteration % self.args.save_steps == 0 \
                    and self.iteration < self.total_iterations:
                self.save()
        bar.close()
        self.save()
        checkpoint.export_final(self.actor.module, self.tokenizer, self.args.output_dir, self.args.merge_lora,
                                base_model_name_or_path=self.base_model_name)
        self.tracker.summary()
        self.tracker.close()
        return metrics

    def step(self, r) -> dict:
        """Rewards, advantages and ``ppo_epochs`` of updates on one rollout; returns the iteration's metrics."""
        t0 = time.time()
        mask = r.response_mask  # (B, N)
        kl_coef = self.kl_ctl.value
        rewards = shape_rewards(r.scores, r.logprobs, r.ref_logprobs, mask, kl_coef,
                                self.ppo.kl_estimator)  # (B, N)
        if self.ppo.whiten_rewards:
            rewards = masked_whiten(rewards, mask, shift_mean=False) * mask
        advantages, returns = compute_gae(rewards, r.values, mask, self.ppo.gamma, self.ppo.lam)  # (B, N) each
        advantages = masked_whiten(advantages, mask) * mask
        seq_kl = (kl_penalty(r.logprobs, r.ref_logprobs, "k1") * mask).sum(-1)  # (B,) per-sequence KL

        B = mask.shape[0]
        micro = self.args.per_device_train_batch_size
        stats = {}
        for _ in range(self.ppo.ppo_epochs):
            order = torch.randperm(B)
            for s in range(0, B, micro):
                idx = order[s: s + micro].to(mask.device)
                for k, v in self.update(r, idx, advantages[idx], returns[idx]).items():
                    stats.setdefault(k, []).append(v)
        t1 = time.time()

        # One collective for every rollout statistic: sums and counts over all ranks.
        local = [r.scores.sum().item(), r.raw_scores.sum().item(), (rewards.sum(-1)).sum().item(), seq_kl.sum().item(),
                 mask.sum().item(), float(B), r.ended.float().sum().item()]
        local += [sum(v) / len(v) for k, v in sorted(stats.items())]
        reduced = all_reduce_sum(local)
        score_sum, raw_sum, reward_sum, kl_sum, tokens, n, ended = reduced[:7]
        mean_stats = {k: v / self.world_size for k, v in zip(sorted(stats), reduced[7:])}
        kl_mean = kl_sum / n
        self.kl_ctl.update(kl_mean, int(n))
        return {
            "ppo/score_mean": score_sum / n, "ppo/raw_score_mean": raw_sum / n, "ppo/reward_mean": reward_sum / n,
            "ppo/kl": kl_mean, "ppo/kl_coef": kl_coef, "ppo/response_length": tokens / n, "ppo/eos_rate": ended / n,
            **{f"ppo/{k}": v for k, v in mean_stats.items()},
            **r.timings, "time/train": t1 - t0,
        }

    def update(self, r, idx, advantages, returns) -> dict:
        """One clipped policy step on the actor and one clipped value step on the critic, on rows ``idx``."""
        rows = r.rows(idx)
        mask = rows["response_mask"]
        logp, entropy = response_logprobs(self.actor, rows["input_ids"], rows["attention_mask"], r.prompt_len,
                                          self.ppo.temperature, with_entropy=True)  # (b, N) each
        pg_loss, pg_stats = policy_loss(logp, rows["logprobs"], advantages, mask, self.ppo.clip_eps)
        self.actor.backward(pg_loss)
        self.actor.step()
        values = response_values(self.critic, rows["input_ids"], rows["attention_mask"], r.prompt_len)  # (b, N)
        vf_loss, vf_stats = value_loss(values, rows["values"], returns, mask, self.ppo.value_clip_eps)
        self.critic.backward(vf_loss)
        self.critic.step()
        ev = explained_variance(values.detach(), returns, mask)
        return {"policy_loss": pg_loss.item(), "value_loss": vf_loss.item(), "entropy": masked_mean(entropy, mask).item(),
                "explained_variance": 0.0 if math.isnan(ev.item()) else ev.item(),
                **{k: float(v) for k, v in {**pg_stats, **vf_stats}.items()}}

    def log_samples(self, r):
        if self.rank != 0:
            return
        text = "\n\n---\n\n".join(f"**prompt**\n\n{p}\n\n**response** (score {s:.3f})\n\n{t}"
                                  for p, t, s in zip(r.prompts[:4], r.responses[:4], r.scores[:4].tolist()))
        self.tracker.text("ppo/samples", text, self.iteration)

    # --- checkpoints ---------------------------------------------------------------------------------------------
    def save(self):
        state = {"iteration": self.iteration, "kl_ctl": self.kl_ctl.state_dict(), "tracker": self.tracker.state_dict()}
        checkpoint.save_checkpoint(self.args.output_dir, self.iteration, {"actor": self.actor, "critic": self.critic},
                                   state, keep=self.args.save_total_limit)

    def resume(self, path: str):
        state = checkpoint.load_checkpoint(path, {"actor": self.actor, "critic": self.critic})
        self.iteration = state["iteration"]
        self.kl_ctl.load_state_dict(state["kl_ctl"])
        self.tracker.load_state_dict(state["tracker"])
        if self.rank == 0:
            print(f"[ppo] resumed from {path} at iteration {self.iteration}", flush=True)


def load_critic(name_or_path: str, dtype, ds_config, peft_args):
    """The critic: a reward model's export (its head and backbone, trainable) or a causal LM with a new head."""
    path = resolve_model_path(name_or_path)
    if os.path.isfile(os.path.join(path, SCALAR_HEAD_CONFIG)):
        return ScalarHeadModel.from_pretrained(path, dtype=dtype, ds_config=ds_config, trainable=True)
    model = ScalarHeadModel.from_backbone(name_or_path, dtype=dtype, ds_config=ds_config)
    model.backbone = apply_backbone_lora(model.backbone, peft_args)
    return model


def total_iterations(train_args, ppo_args, n_prompts: int, world_size: int) -> int:
    if train_args.max_steps > 0:
        return train_args.max_steps
    per_epoch = n_prompts // (ppo_args.rollout_batch_size * world_size)
    return max(1, math.ceil(train_args.num_train_epochs * per_epoch))
