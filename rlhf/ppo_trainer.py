"""PPO and its critic-free relatives on DeepSpeed engines: actor (and critic) trainable, reference and reward frozen.

One iteration (Ouyang et al. 2022, section 3.5; Ziegler et al. 2019):

1. experience: sample ``samples_per_prompt`` responses for each of ``rollout_batch_size`` prompts per rank;
   actor and reference log-probs, critic values, reward scores (``rlhf/experience.py``);
2. advantages, by ``--advantage_estimator``:
   * ``gae``: per-token rewards from ``shape_rewards`` (−β·KL_t on every token, the score on the last one), GAE
     with the critic's values, whitened over the global batch;
   * ``reinforce_pp``: the same per-token rewards, returns-to-go whitened over the global batch (no critic);
   * ``rloo`` / ``grpo``: one sequence reward per sample (the score, minus β·KL of the sequence when the KL is a
     reward), compared within the prompt's group: leave-one-out baseline, or group mean and std (no critic);
3. ``ppo_epochs`` passes over the rollout in mini-batches: clipped policy loss on the actor (plus β·k3 KL when
   ``--kl_penalty loss``), clipped value loss on the critic (``--critic shared``: a value head on the actor,
   whose loss is the policy loss + ``vf_coef`` × the value loss, one forward and one backward); the first
   ``critic_warmup_steps`` iterations train the critic only (a shared critic's head only: the actor does not move);
4. the KL controller is updated with the mean per-sequence KL of the rollout, averaged over ranks.

Actor and critic stay in training mode with every dropout at p = 0: the probability ratio is 1 before the first
update (exactly with ``--rollout_logprobs forward``; within float32 rounding, about 1e-5, with the sampler's own
log-probs, which save a forward of the actor over every rollout), and gradient checkpointing (active only in
training mode) stays on.

Prompts are read in a fixed permutation per epoch from ``seed + epoch``, so iteration ``i`` always uses the same
prompts, and a resumed run (engines, KL controller, RNG streams, counters restored) repeats an uninterrupted one.
"""
import dataclasses
import math
import os
import time

import torch

from common import checkpoint, zero3
from common.config import ConfigError, to_dict
from common.data import PromptCollator, PromptDataset
from common.engine import all_reduce_sum, create_inference_engine, device, zero_stage
from common.modeling import SCALAR_HEAD_CONFIG, AdapterRewardModel, ScalarHeadModel, add_value_head, \
    apply_backbone_lora, apply_lora, count_parameters, disable_dropout, load_causal_lm, load_tokenizer
from common.embedded import resolve_model_path
from common.ops import masked_mean
from common.trainer import base_name_for_export, make_ds_config, make_engine, open_tracker, start_run, \
    stop_if_not_finite
from common.forward import response_hidden, response_logprobs, response_values, trim_rows
from rlhf.experience import ExperienceMaker, load_reward_fn
from rlhf.ppo_config import VF_COEF
from rlhf.ppo_checks import HealthMonitor, reward_model_gate, total_iterations
from rlhf.kl_controller import AdaptiveKLController, FixedKLController
from rlhf.losses import broadcast_sequence_advantages, compute_gae, discounted_returns, explained_variance, \
    group_advantages, kl_loss, kl_penalty, policy_loss, rloo_advantages, shape_rewards, value_loss

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
        self.health = HealthMonitor(ppo_args, rank)
        self.reward_normalization = {}

    # --- construction from the command line -------------------------------------------------------------------
    @classmethod
    def from_args(cls, ppo_args, model_args, data_args, peft_args, train_args):
        """PPO's build recipe: the reward gate, prompts, iteration and step counts, one DeepSpeed config for the actor
        and one for the critic, then actor, reference, critic and reward in that order (partitioned loading under
        ZeRO-3 needs each config before its model), the tracker, resume. Long on purpose: four engines whose
        construction depends on the ones before (the supervised stages share ``Trainer.from_args``)."""
        rank, world_size, resume = start_run(train_args)
        gate = reward_model_gate(ppo_args, rank) if ppo_args.reward_model_name_or_path else {}
        model_args = dataclasses.replace(model_args, model_name_or_path=ppo_args.actor_model_name_or_path)
        tokenizer = load_tokenizer(model_args.tokenizer_name_or_path or ppo_args.actor_model_name_or_path)
        prompts = PromptDataset(ppo_args.prompt_file, tokenizer, data_args.max_source_length,
                                data_args.prompt_column, data_args.system_prompt)
        rows = ppo_args.rollout_batch_size * ppo_args.samples_per_prompt
        iterations = total_iterations(train_args, ppo_args, len(prompts), world_size)
        if ppo_args.critic_warmup_steps >= iterations:
            raise ConfigError(f"--critic_warmup_steps {ppo_args.critic_warmup_steps} leaves none of the {iterations} "
                              "iterations to update the policy")
        steps_per_iteration = ppo_args.ppo_epochs * rows // (train_args.per_device_train_batch_size
                                                             * train_args.gradient_accumulation_steps)
        critic_steps = iterations * steps_per_iteration
        shared = ppo_args.critic == "shared"  # gae only (the config refuses --critic with the others)
        # the actor's steps: a shared critic's warm-up steps the actor's optimizer too (its head only moves)
        optimizer_steps = (iterations - (0 if shared else ppo_args.critic_warmup_steps)) * steps_per_iteration
        # One filled DeepSpeed config per engine: each trainable engine's optimizer block carries its own lr.
        actor_ds, dtype = make_ds_config(model_args, train_args, world_size, optimizer_steps)
        critic_args = dataclasses.replace(train_args, learning_rate=ppo_args.critic_learning_rate
                                          or train_args.learning_rate)
        critic_ds, _ = make_ds_config(model_args, critic_args, world_size, critic_steps)

        # Actor: the SFT model (an SFT adapter merged into its base) with a fresh LoRA adapter on top, so that
        # switching the adapter off gives back exactly the SFT model (the reference of adapter_disabled mode).
        actor = disable_dropout(apply_lora(load_causal_lm(ppo_args.actor_model_name_or_path, dtype, actor_ds,
                                                          adapter="merge"), peft_args))
        if shared:
            actor = add_value_head(actor)
        reference = None
        if ppo_args.ref_mode == "separate":
            reference = create_inference_engine(
                load_causal_lm(ppo_args.actor_model_name_or_path, dtype, actor_ds, adapter="merge"), actor_ds)
        critic = reward = None
        if ppo_args.advantage_estimator == "gae" and not shared:
            critic_path = ppo_args.critic_model_name_or_path or ppo_args.reward_model_name_or_path
            critic = load_critic(critic_path, dtype, critic_ds, peft_args, ppo_args.critic_head or "zero")
            # A critic started from a LoRA reward model holds that model's base already: the reward model is then
            # its export's adapter loaded a second time on the critic's body, frozen (one base in memory, not two).
            if critic_path == ppo_args.reward_model_name_or_path and AdapterRewardModel.fits(critic, critic_path):
                reward = AdapterRewardModel(critic, critic_path, dtype, critic_ds).to(device())
            critic = disable_dropout(critic)
        if ppo_args.reward_fn:
            reward = load_reward_fn(ppo_args.reward_fn)
        elif reward is None:
            reward = create_inference_engine(
                ScalarHeadModel.from_pretrained(ppo_args.reward_model_name_or_path, dtype=dtype, ds_config=actor_ds),
                actor_ds)
        reward_on_critic = isinstance(reward, AdapterRewardModel)
        actor_engine = make_engine(actor, model_args, train_args, actor_ds, optimizer_steps, rank)
        critic_engine = None
        if critic is not None:
            critic_engine = make_engine(critic, model_args, critic_args, critic_ds, critic_steps, rank)

        experience = ExperienceMaker(actor_engine, reference, critic_engine, reward, tokenizer, ppo_args, device(),
                                     forward_batch_size=train_args.per_device_eval_batch_size,
                                     value_head=actor_engine.module.value_head if shared else None)
        trainable, total = count_parameters(actor_engine.module)
        config = to_dict(ppo_args, model_args, data_args, peft_args, train_args)
        config.update(world_size=world_size, zero_stage=zero_stage(actor_ds), actor_trainable_params=trainable,
                      actor_total_params=total, prompts=len(prompts), reward_model_gate=gate,
                      models_in_memory=1 + (critic is not None) + (reference is not None)
                      + (not ppo_args.reward_fn and not reward_on_critic), reward_on_critic=reward_on_critic)
        tracker = open_tracker(train_args, rank, config, resume)
        trainer = cls(actor_engine, critic_engine, experience, prompts, tokenizer, ppo_args, train_args, tracker,
                      rank, world_size,
                      base_name_for_export(ppo_args.actor_model_name_or_path, continues_adapter=False))
        if resume:
            trainer.resume(resume)
        if rank == 0:
            print(f"[ppo] actor {total / 1e6:.1f}M parameters, {trainable / 1e6:.2f}M trainable; {len(prompts)} "
                  f"prompts; ZeRO-{zero_stage(actor_ds)} on {world_size} rank(s); {trainer.total_iterations} "
                  f"iterations of {rows} rollouts per rank; advantages: {ppo_args.advantage_estimator}"
                  f"{' (critic shared with the actor)' if shared else ''}; "
                  f"reference: {ppo_args.ref_mode}; reward: {ppo_args.reward_fn or ppo_args.reward_model_name_or_path}"
                  f"{' (on the critic body)' if reward_on_critic else ''}; "
                  f"KL: {ppo_args.kl_ctl} beta {ppo_args.init_kl_coef} as a {ppo_args.kl_penalty}", flush=True)
        return trainer

    # --- data ----------------------------------------------------------------------------------------------------
    def prompt_batch(self, iteration: int, seed_offset: int = 0) -> dict:
        """This rank's prompts of ``iteration``, each repeated ``samples_per_prompt`` times (a group's samples
        are consecutive rows)."""
        epoch, position = divmod(iteration, self.iterations_per_epoch)
        generator = torch.Generator().manual_seed(self.args.seed + epoch + seed_offset)
        order = torch.randperm(len(self.prompts), generator=generator)
        n, k = self.ppo.rollout_batch_size, self.ppo.samples_per_prompt
        start = (position * self.world_size + self.rank) * n
        return self.collate([self.prompts[i] for i in order[start: start + n].tolist() for _ in range(k)])

    # --- the loop ------------------------------------------------------------------------------------------------
    def train(self) -> dict:
        # Training mode with dropout at p = 0 (set at construction): ratios are 1 before the first update and
        # gradient checkpointing, which transformers applies only in training mode, stays on.
        self.actor.train()
        if self.critic is not None:
            self.critic.train()
        if self.iteration == 0 and self.ppo.reward_norm_samples and not self.reward_normalization:
            self.normalize_reward()
        bar = self.tracker.progress(self.total_iterations, initial=self.iteration, desc=self.stage)
        metrics = {}
        while self.iteration < self.total_iterations:
            rollout = self.experience.make(self.prompt_batch(self.iteration))
            where = f"[{self.stage}] iteration {self.iteration + 1}"
            bad = all_reduce_sum([(~torch.isfinite(rollout.raw_scores)).sum().item()])[0]
            stop_if_not_finite(where, self.args.output_dir, counts={"responses with a non-finite reward": bad})
            metrics = self.step(rollout)
            stop_if_not_finite(where, self.args.output_dir, metrics)
            self.iteration += 1
            self.tracker.add(int(rollout.attention_mask.sum().item()), len(rollout.prompts))
            self.tracker.log(self.iteration, metrics)
            self.health.check(self.iteration, metrics)
            if self.ppo.sample_every and (self.iteration - 1) % self.ppo.sample_every == 0:
                self.log_samples(rollout)
            bar.update(1)
            bar.set_postfix(score=f"{metrics['ppo/score_mean']:.3f}", kl=f"{metrics['ppo/kl']:.3f}",
                            len=f"{metrics['ppo/response_length']:.0f}")
            if self.args.save_steps and self.iteration % self.args.save_steps == 0 \
                    and self.iteration < self.total_iterations:
                self.save()
        bar.close()
        self.save()
        checkpoint.export_final(self.actor.module, self.tokenizer, self.args.output_dir, self.args.merge_lora,
                                base_model_name_or_path=self.base_model_name)
        self.tracker.summary(extra={"reward_normalization": self.reward_normalization,
                                    "warnings": self.health.warnings})
        self.tracker.close()
        return metrics

    def advantages(self, r, kl_coef: float) -> tuple:
        """``(advantages, returns, rewards)``, each (B, N): the estimator's advantages on the response tokens, the
        critic's targets (GAE only, else zeros) and the per-token rewards they came from."""
        mask, est = r.response_mask, self.ppo.advantage_estimator
        beta = kl_coef if self.ppo.kl_penalty == "reward" else 0.0
        rewards = shape_rewards(r.scores, r.logprobs, r.ref_logprobs, mask, beta)  # (B, N), k1 per token
        if est == "gae":
            if self.ppo.whiten_rewards:
                rewards = global_whiten(rewards, mask, shift_mean=False)
            advantages, returns = compute_gae(rewards, r.values, mask, self.ppo.gamma, self.ppo.lam)  # (B, N)
            return global_whiten(advantages, mask), returns, rewards
        if est == "reinforce_pp":
            returns = discounted_returns(rewards, mask, self.ppo.gamma)  # (B, N)
            return global_whiten(returns, mask), torch.zeros_like(returns), rewards
        sequence_reward = rewards.sum(-1)  # (B,) score − β·Σ_t k1_t
        k = self.ppo.samples_per_prompt
        adv = rloo_advantages(sequence_reward, k) if est == "rloo" else group_advantages(sequence_reward, k)  # (B,)
        return broadcast_sequence_advantages(adv, mask), torch.zeros_like(rewards), rewards

    def step(self, r) -> dict:
        """Advantages and ``ppo_epochs`` of updates on one rollout; returns the iteration's metrics."""
        t0 = time.time()
        mask = r.response_mask  # (B, N)
        kl_coef = self.kl_ctl.value
        advantages, returns, rewards = self.advantages(r, kl_coef)  # (B, N) each
        seq_kl = (kl_penalty(r.logprobs, r.ref_logprobs, "k1") * mask).sum(-1)  # (B,) per-sequence KL
        warmup = self.iteration < self.ppo.critic_warmup_steps

        B = mask.shape[0]
        micro = self.args.per_device_train_batch_size
        stats = {}
        for _ in range(self.ppo.ppo_epochs):
            order = torch.randperm(B)
            for s in range(0, B, micro):
                idx = order[s: s + micro].to(mask.device)
                for k, v in self.update(r, idx, advantages[idx], returns[idx], kl_coef, warmup).items():
                    stats.setdefault(k, []).append(v)
        t1 = time.time()

        # One collective for every rollout statistic: sums and counts over all ranks.
        last = (mask.sum(-1).long() - 1).clamp(min=0)  # (B,) index of the last response token
        value_at_end = r.values.gather(1, last.unsqueeze(1)).squeeze(1)  # (B,)
        ended = r.ended.float()
        local = [r.scores.sum().item(), r.raw_scores.sum().item(), rewards.sum().item(), seq_kl.sum().item(),
                 mask.sum().item(), float(B), ended.sum().item(), (r.raw_scores * ended).sum().item(),
                 value_at_end.sum().item(), seq_kl.square().sum().item()]
        local += [sum(v) / len(v) for k, v in sorted(stats.items())]
        reduced = all_reduce_sum(local)
        score_sum, raw_sum, reward_sum, kl_sum, tokens, n, n_ended, raw_ended_sum, value_end_sum, kl_sq = reduced[:10]
        mean_stats = {k: v / self.world_size for k, v in zip(sorted(stats), reduced[10:])}
        kl_mean = kl_sum / n
        if not warmup:  # the actor has not moved in warm-up: a KL of 0 would only shrink beta
            self.kl_ctl.update(kl_mean, int(n))
        metrics = {
            "ppo/score_mean": score_sum / n, "ppo/raw_score_mean": raw_sum / n, "ppo/reward_mean": reward_sum / n,
            "ppo/kl": kl_mean, "ppo/kl_sem": math.sqrt(max(kl_sq / n - kl_mean ** 2, 0.0) / max(n - 1, 1)),
            "ppo/kl_coef": kl_coef,
            "ppo/response_length": tokens / n, "ppo/eos_rate": n_ended / n,
            "ppo/critic_warmup": float(warmup),
            **{f"ppo/{k}": v for k, v in mean_stats.items()},
            **r.timings, "time/train": t1 - t0,
        }
        if n_ended:  # the judge's score among responses that ended their turn (no missing-EOS or overlong penalty)
            metrics["ppo/score_ended_mean"] = raw_ended_sum / n_ended
        if self.critic is not None or self.experience.value_head is not None:
            # to compare with the score: the value of the state that emits the last token
            metrics["ppo/value_at_end_mean"] = value_end_sum / n
        return metrics

    def update(self, r, idx, advantages, returns, kl_coef: float, warmup: bool) -> dict:
        """One clipped policy step on the actor (skipped in critic warm-up) and one clipped value step on the
        critic (with GAE), on rows ``idx``. A shared critic's values come from the actor's forward and its value
        loss joins the actor's (``vf_coef`` × it), one backward and one step; in warm-up only its head trains."""
        rows = r.rows(idx)
        # the mini-batch cut to the columns its rows use (trim_rows): its response tensors are the first n columns
        ids, attention_mask, P, n = trim_rows(rows["input_ids"], rows["attention_mask"], r.prompt_len)
        rows = {k: v[:, :n] for k, v in rows.items() if k not in ("input_ids", "attention_mask")}
        mask, advantages, returns = rows["response_mask"], advantages[:, :n], returns[:, :n]
        head = self.experience.value_head  # a shared critic's head, else None
        stats, loss, values = {}, None, None
        if not warmup:
            out = response_logprobs(self.actor, ids, attention_mask, P, self.ppo.temperature, with_entropy=True,
                                    value_head=head)  # (b, n) each
            logp, entropy = out[:2]
            values = out[2] if head is not None else None
            loss, pg_stats = policy_loss(logp, rows["logprobs"], advantages, mask, self.ppo.clip_eps)
            stats.update(policy_loss=loss.item(), entropy=masked_mean(entropy, mask).item(), **pg_stats)
            if self.ppo.kl_penalty == "loss":
                kl, kl_stats = kl_loss(logp, rows["ref_logprobs"], mask)
                loss = loss + kl_coef * kl
                stats.update(kl_loss=kl.item(), kl_loss_k1=float(kl_stats["kl_k1"]))  # ppo/kl stays the rollout's
            if head is None:
                self.actor.backward(loss)
                self.actor.step()
        elif head is not None:  # a shared critic's warm-up: the body's hidden states as features for the head
            with torch.no_grad():
                hidden = response_hidden(self.actor, ids, attention_mask, P)  # (b, n, H)
            values = head(hidden).squeeze(-1).float()  # (b, n)
        if self.critic is not None:
            values = response_values(self.critic, ids, attention_mask, P)  # (b, n)
        if values is None:
            return {k: float(v) for k, v in stats.items()}
        # No clipping in warm-up: the clip keeps the critic within ±eps of its rollout values per iteration, so
        # a critic started far off (from the reward model, which was never trained on prefixes) would need
        # many iterations to catch up; with no policy update yet there is nothing for the clip to protect.
        clip = float("inf") if warmup else (0.2 if self.ppo.value_clip_eps is None else self.ppo.value_clip_eps)
        vf_loss, vf_stats = value_loss(values, rows["values"], returns, mask, clip)
        if self.critic is not None:
            self.critic.backward(vf_loss)
            self.critic.step()
        else:
            vf_loss_term = (VF_COEF if self.ppo.vf_coef is None else self.ppo.vf_coef) * vf_loss
            self.actor.backward(vf_loss_term if loss is None else loss + vf_loss_term)
            self.actor.step()
        ev = explained_variance(values.detach(), returns, mask)
        stats.update(value_loss=vf_loss.item(), explained_variance=0.0 if math.isnan(ev.item()) else ev.item(),
                     **vf_stats)
        return {k: float(v) for k, v in stats.items()}

    # --- reward normalisation on the initial policy's samples -------------------------------------------------------
    @torch.no_grad()
    def normalize_reward(self):
        """Scale the reward model so that responses sampled from the initial (SFT) policy score mean 0, std 1.

        Ziegler et al. 2019 (section 2.2) normalise on samples of the policy that RL starts from, not on reference
        responses: the scale of the score, hence of the KL trade-off, is then the spread PPO actually sees. The
        prompts come from a permutation of their own (``seed + 1000``), the samples from the rollout sampler. A
        critic that keeps this reward model's head (``--critic_head reward``) gets the same affine map, so its first
        values stay on the score's scale.
        """
        n = self.ppo.reward_norm_samples
        batches = -(-n // (self.ppo.rollout_batch_size * self.ppo.samples_per_prompt * self.world_size))
        total = total_sq = count = 0.0
        for b in range(batches):
            batch = self.prompt_batch(b, seed_offset=1000)
            prompt_ids, prompt_mask, responses = self.experience.sample(batch)[:3]
            ids, mask, _ = self.experience.rows(prompt_ids, prompt_mask, responses)
            scores = self.experience.score(ids, mask, prompt_ids.shape[1], [r["prompt"] for r in batch["records"]],
                                           []).double()
            total, total_sq, count = total + scores.sum().item(), total_sq + scores.square().sum().item(), \
                count + scores.numel()
        total, total_sq, count = all_reduce_sum([total, total_sq, count])
        mean = total / count
        std = max(total_sq / count - mean * mean, 0.0) ** 0.5
        if std < 1e-6:
            raise ValueError(f"--reward_norm_samples: the reward model gives the {int(count)} samples of the initial "
                             f"policy one constant score ({mean:.4f}); it cannot rank them")
        reward = zero3.unwrap(self.experience.reward)
        gain, bias = reward.score_gain / std, (reward.score_bias - mean) / std
        self.apply_reward_normalization(gain, bias)
        self.reward_normalization = {"samples": int(count), "mean_before": mean, "std_before": std, "gain": gain,
                                     "bias": bias}
        if self.rank == 0:
            print(f"[ppo] reward normalised on {int(count)} samples of the initial policy: scores had mean "
                  f"{mean:.3f}, std {std:.3f}; now mean 0, std 1", flush=True)

    def apply_reward_normalization(self, gain: float, bias: float):
        reward = zero3.unwrap(self.experience.reward)
        reward.score_gain, reward.score_bias = gain, bias
        critic_from_reward = self.ppo.critic_model_name_or_path in (None, self.ppo.reward_model_name_or_path)
        if self.critic is not None and critic_from_reward and self.ppo.critic_head == "reward":
            self.critic.module.score_gain, self.critic.module.score_bias = gain, bias

    def log_samples(self, r):
        if self.rank != 0:
            return
        text = "\n\n---\n\n".join(f"**prompt**\n\n{p}\n\n**response** (score {s:.3f})\n\n{t}"
                                  for p, t, s in zip(r.prompts[:4], r.responses[:4], r.scores[:4].tolist()))
        self.tracker.text("ppo/samples", text, self.iteration)

    # --- checkpoints ---------------------------------------------------------------------------------------------
    def engines(self) -> dict:
        return {"actor": self.actor, **({"critic": self.critic} if self.critic is not None else {})}

    def save(self):
        state = {"iteration": self.iteration, "kl_ctl": self.kl_ctl.state_dict(), "tracker": self.tracker.state_dict(),
                 "reward_normalization": self.reward_normalization, "health": self.health.state_dict(),
                 "run_config": self.tracker.config}
        checkpoint.save_checkpoint(self.args.output_dir, self.iteration, self.engines(), state,
                                   keep=self.args.save_total_limit)
        if self.args.save_snapshots:
            checkpoint.export_final(self.actor.module, self.tokenizer, self.args.output_dir,
                                    base_model_name_or_path=self.base_model_name,
                                    name=os.path.join("snapshots", f"step-{self.iteration:06d}"))

    def resume(self, path: str):
        state = checkpoint.load_checkpoint(path, self.engines())
        self.iteration = state["iteration"]
        self.kl_ctl.load_state_dict(state["kl_ctl"])
        self.tracker.load_state_dict(state["tracker"])
        self.health.load_state_dict(state.get("health", {}))
        self.reward_normalization = state.get("reward_normalization", {})
        if self.reward_normalization:  # plain floats, not in the engines' state: set them again
            self.apply_reward_normalization(self.reward_normalization["gain"], self.reward_normalization["bias"])
        if self.rank == 0:
            print(f"[ppo] resumed from {path} at iteration {self.iteration}", flush=True)


def global_whiten(x, mask, shift_mean: bool = True, eps: float = 1e-8):
    """``masked_whiten`` with the mean and variance of the masked values over every rank (the global batch);
    zero outside the mask. Population variance over all ranks' real tokens."""
    mask = mask.to(x.dtype)
    total, total_sq, count = all_reduce_sum([(x * mask).sum().item(), (x.square() * mask).sum().item(),
                                             mask.sum().item()])
    mean = total / max(count, 1.0)
    var = max(total_sq / max(count, 1.0) - mean * mean, 0.0)
    out = (x - mean) / math.sqrt(var + eps)
    if not shift_mean:
        out = out + mean
    return out * mask


def load_critic(name_or_path: str, dtype, ds_config, peft_args, head: str = "zero"):
    """The critic: a reward model's export (its backbone, trainable) or a causal LM's body, with a value head.

    ``head="zero"``: the head's weights and bias at 0 (and no gain or bias on top), so every first value is 0, the
    mean of a reward normalised on the initial policy's samples: the critic starts unbiased and warm-up fits what
    varies. ``head="reward"``: a reward model's own head, gain and bias, which score the last token well but read
    every earlier position (a text without its end of turn) far from the return there.
    """
    path = resolve_model_path(name_or_path)
    if os.path.isfile(os.path.join(path, SCALAR_HEAD_CONFIG)):
        model = ScalarHeadModel.from_pretrained(path, dtype=dtype, ds_config=ds_config, trainable=True)
    else:
        model = ScalarHeadModel.from_backbone(name_or_path, dtype=dtype, ds_config=ds_config)
        model.backbone = apply_backbone_lora(model.backbone, peft_args)
    if head == "zero":
        torch.nn.init.zeros_(model.value_head.weight)
        torch.nn.init.zeros_(model.value_head.bias)
        model.score_gain, model.score_bias = 1.0, 0.0
    return model
