"""Supervised fine-tuning on (prompt, response) pairs: the first stage of both routes.

Loss: mean negative log-likelihood of the response tokens (prompt tokens are labelled -100 and ignored).
Data order: a fixed permutation per epoch from ``seed + epoch``; optimizer step ``s`` of an epoch consumes
global batch ``s`` of that permutation, split over ranks and accumulation steps. The position in the data is
therefore just the step number, which is what makes a resumed run repeat an uninterrupted one exactly.
"""
import math

import torch

from common import checkpoint
from common.config import to_dict
from common.data import IGNORE_INDEX, InputOutputDataset, PromptCollator, PromptDataset, SFTCollator
from common.engine import all_reduce_sum, create_engine, device, fill_ds_config, init_distributed, load_ds_config, \
    zero_stage
from common.embedded import resolve_model_path
from common.generation import decode_responses, generate
from common.modeling import apply_lora, count_parameters, enable_gradient_checkpointing, load_causal_lm, \
    is_adapter_dir, load_model_config, load_tokenizer, resolve_dtype
from common.ops import gather_logprobs, masked_mean, masked_sum
from common.tracking import Tracker


def response_logprobs(model, batch: dict) -> tuple:
    """Per-token log-probs of the labelled tokens and their mask, both (B, T-1)."""
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits  # (B, T, V)
    labels = batch["labels"][:, 1:]  # (B, T-1): token t+1 is predicted at position t
    mask = (labels != IGNORE_INDEX).float()  # (B, T-1)
    logp = gather_logprobs(logits[:, :-1], labels.clamp(min=0))  # (B, T-1)
    return logp, mask


class SFTTrainer:
    def __init__(self, engine, tokenizer, train_dataset, eval_dataset, train_args, data_args, tracker, rank,
                 world_size, base_model_name=None):
        self.engine, self.tokenizer = engine, tokenizer
        self.train_dataset, self.eval_dataset = train_dataset, eval_dataset
        self.args, self.data_args, self.tracker = train_args, data_args, tracker
        self.rank, self.world_size = rank, world_size
        self.base_model_name = base_model_name
        self.collate = SFTCollator(tokenizer.pad_token_id)
        self.micro, self.accum = train_args.per_device_train_batch_size, train_args.gradient_accumulation_steps
        self.global_batch = self.micro * self.accum * world_size
        self.steps_per_epoch = len(train_dataset) // self.global_batch
        if self.steps_per_epoch == 0:
            raise ValueError(f"{train_dataset.source}: {len(train_dataset)} items is fewer than one global batch "
                             f"({self.global_batch} = micro {self.micro} x accumulation {self.accum} x {world_size} ranks)")
        self.total_steps = total_steps(train_args, len(train_dataset), world_size)
        self.step = 0
        self.eval_before = {}  # the step-0 evaluation, kept in checkpoints for the before/after report

    # --- construction from the command line -------------------------------------------------------------------
    @classmethod
    def from_args(cls, model_args, data_args, peft_args, train_args):
        rank, world_size = init_distributed()
        checkpoint.seed_everything(train_args.seed)  # same on every rank: identical initial LoRA weights
        tokenizer = load_tokenizer(model_args.tokenizer_name_or_path or model_args.model_name_or_path)
        common = dict(tokenizer=tokenizer, max_source_length=data_args.max_source_length,
                      system_prompt=data_args.system_prompt, prompt_column=data_args.prompt_column)
        train = InputOutputDataset(data_args.train_file, max_target_length=data_args.max_target_length,
                                   response_column=data_args.response_column, **common)
        evals = None
        if data_args.eval_file:
            records = PromptDataset(data_args.eval_file, **common).records  # validated once, then sliced
            records = records[: data_args.max_eval_samples] if data_args.max_eval_samples else records
            evals = InputOutputDataset(records, max_target_length=data_args.max_target_length,
                                       response_column=data_args.response_column, **common)
            evals.source = data_args.eval_file
        dtype = resolve_dtype(model_args.dtype)
        raw_config = load_ds_config(train_args.deepspeed_config)
        steps = total_steps(train_args, len(train), world_size)
        hidden = load_model_config(model_args.model_name_or_path).hidden_size
        ds_config = fill_ds_config(raw_config, train_args, world_size, dtype, hidden_size=hidden, total_steps=steps)
        model = load_causal_lm(model_args.model_name_or_path, dtype=dtype, ds_config=ds_config)
        model = apply_lora(model, peft_args)
        if model_args.gradient_checkpointing:
            enable_gradient_checkpointing(model)
        engine = create_engine(model, ds_config, train_args, steps)
        checkpoint.seed_everything(train_args.seed + rank)  # from here on, per-rank streams (dropout)
        trainable, total = count_parameters(engine.module)
        config = to_dict(model_args, data_args, peft_args, train_args)
        config.update(world_size=world_size, zero_stage=zero_stage(ds_config), trainable_params=trainable,
                      total_params=total, train_items=len(train), train_stats=train.stats)
        resume = checkpoint.resolve_resume(train_args.resume_from_checkpoint, train_args.output_dir)
        tracker = Tracker(train_args.output_dir, rank, config, resume_step=_step_of(resume))
        # Record embedded:NAME (not this machine's cache path) as the adapter's base, unless continuing an adapter.
        base_name = None if is_adapter_dir(resolve_model_path(model_args.model_name_or_path)) \
            else model_args.model_name_or_path
        trainer = cls(engine, tokenizer, train, evals, train_args, data_args, tracker, rank, world_size, base_name)
        if resume:
            trainer.resume(resume)
        if rank == 0:
            print(f"[sft] {total / 1e6:.1f}M parameters, {trainable / 1e6:.2f}M trainable; {len(train)} train items; "
                  f"ZeRO-{zero_stage(ds_config)} on {world_size} rank(s); {trainer.total_steps} steps", flush=True)
        return trainer

    # --- data ----------------------------------------------------------------------------------------------------
    def micro_batches(self, step: int):
        """The micro-batches this rank trains on at optimizer step ``step``."""
        epoch, position = divmod(step, self.steps_per_epoch)
        order = torch.randperm(len(self.train_dataset), generator=torch.Generator().manual_seed(self.args.seed + epoch))
        batch = order[position * self.global_batch: (position + 1) * self.global_batch].tolist()
        for k in range(self.accum):
            start = (k * self.world_size + self.rank) * self.micro
            yield self.collate([self.train_dataset[i] for i in batch[start: start + self.micro]])

    def _to_device(self, batch: dict) -> dict:
        dev = device()
        return {k: v.to(dev) for k, v in batch.items()}

    # --- training ------------------------------------------------------------------------------------------------
    def train(self):
        if self.step == 0 and self.eval_dataset is not None:
            self.eval_before = self.evaluate()
            self.tracker.log(0, self.eval_before)
        bar = self.tracker.progress(self.total_steps, initial=self.step, desc="sft")
        window = [0.0, 0.0, 0.0, 0.0]  # loss sum, micro-batches, tokens, samples since the last log
        window_start = self.tracker.elapsed()
        self.engine.train()
        while self.step < self.total_steps:
            for batch in self.micro_batches(self.step):
                batch = self._to_device(batch)
                logp, mask = response_logprobs(self.engine, batch)
                loss = -masked_mean(logp, mask)
                self.engine.backward(loss)
                self.engine.step()
                window[0] += loss.item()
                window[1] += 1
                window[2] += batch["attention_mask"].sum().item()
                window[3] += batch["input_ids"].shape[0]
            self.step += 1
            bar.update(1)
            if self.step % self.args.logging_steps == 0 or self.step == self.total_steps:
                loss_sum, n, tokens, samples = all_reduce_sum(window)
                seconds = self.tracker.elapsed() - window_start
                self.tracker.add(int(tokens), int(samples))
                metrics = {"train/loss": loss_sum / n, "train/lr": self.engine.get_lr()[0],
                           "train/epoch": self.step / self.steps_per_epoch, "train/tokens_per_s": tokens / seconds}
                grad_norm = self.engine.get_global_grad_norm()
                if grad_norm is not None:
                    metrics["train/grad_norm"] = float(grad_norm)
                self.tracker.log(self.step, metrics)
                bar.set_postfix(loss=f"{metrics['train/loss']:.3f}", tok_s=f"{metrics['train/tokens_per_s']:.0f}")
                window, window_start = [0.0, 0.0, 0.0, 0.0], self.tracker.elapsed()
            if self.eval_dataset is not None and self.args.eval_steps and self.step % self.args.eval_steps == 0 \
                    and self.step < self.total_steps:
                self.tracker.log(self.step, self.evaluate())
            if self.args.save_steps and self.step % self.args.save_steps == 0 and self.step < self.total_steps:
                self.save()
        bar.close()
        final = {}
        if self.eval_dataset is not None:
            final = self.evaluate()
            self.tracker.log(self.step, final)
        self.save()
        samples = self.sample(self.data_args.num_samples)
        checkpoint.export_final(self.engine.module, self.tokenizer, self.args.output_dir, self.args.merge_lora,
                                base_model_name_or_path=self.base_model_name)
        self.tracker.summary(extra={"samples": samples, "eval_before": self.eval_before})
        self.tracker.close()
        if self.rank == 0 and final:
            before = self.eval_before.get("eval/loss", float("nan"))
            print(f"\n[sft] eval loss {before:.4f} -> {final['eval/loss']:.4f} (perplexity "
                  f"{math.exp(min(before, 50)):.2f} -> {final['eval/ppl']:.2f}); {self.tracker.elapsed():.0f} s; "
                  f"model in {self.args.output_dir}/final", flush=True)
        return final

    @torch.no_grad()
    def evaluate(self) -> dict:
        """Token-weighted NLL of the responses over the whole evaluation set (all ranks), and perplexity."""
        self.engine.eval()
        n = len(self.eval_dataset)
        per_rank = math.ceil(n / self.world_size)
        bs = self.args.per_device_eval_batch_size
        nll, count = 0.0, 0.0
        # Every rank runs the same number of forwards (ZeRO-3 gathers collectively); padding rows weigh 0.
        for start in range(0, per_rank, bs):
            idx = [self.rank + self.world_size * i for i in range(start, min(start + bs, per_rank))]
            weights = torch.tensor([1.0 if i < n else 0.0 for i in idx], device=device())
            batch = self._to_device(self.collate([self.eval_dataset[min(i, n - 1)] for i in idx]))
            logp, mask = response_logprobs(self.engine, batch)
            mask = mask * weights[:, None]
            nll -= masked_sum(logp, mask).item()
            count += mask.sum().item()
        nll, count = all_reduce_sum([nll, count])
        self.engine.train()
        loss = nll / count
        return {"eval/loss": loss, "eval/ppl": math.exp(min(loss, 50.0))}

    def sample(self, k: int) -> list:
        """Greedy generations for the first ``k`` evaluation prompts: printed, logged to tensorboard, returned."""
        if not k or self.eval_dataset is None:
            return []
        records = self.eval_dataset.records[:k]
        prompts = PromptDataset(records, self.tokenizer, self.data_args.max_source_length,
                                self.data_args.prompt_column, self.data_args.system_prompt)
        batch = PromptCollator(self.tokenizer.pad_token_id)([prompts[i] for i in range(len(prompts))])
        synced = self.world_size > 1 and zero_stage(self.engine.config) == 3
        out = generate(self.engine.module, self.tokenizer, batch["input_ids"].to(device()),
                       batch["attention_mask"].to(device()), self.data_args.max_target_length, synced=synced)
        samples = [{"prompt": r[self.data_args.prompt_column], "response": text}
                   for r, text in zip(records, decode_responses(self.tokenizer, out))]
        if self.rank == 0:
            for i, s in enumerate(samples):
                print(f"\n--- sample {i + 1} ---\n{s['prompt']}\n>>> {s['response']}", flush=True)
                self.tracker.text("samples", f"**prompt**\n\n{s['prompt']}\n\n**response**\n\n{s['response']}", i)
        return samples

    # --- checkpoints ---------------------------------------------------------------------------------------------
    def save(self):
        state = {"global_step": self.step, "epoch": self.step // self.steps_per_epoch,
                 "data_position": self.step % self.steps_per_epoch, "tracker": self.tracker.state_dict(),
                 "eval_before": self.eval_before}
        checkpoint.save_checkpoint(self.args.output_dir, self.step, {"model": self.engine}, state,
                                   keep=self.args.save_total_limit)

    def resume(self, path: str):
        state = checkpoint.load_checkpoint(path, {"model": self.engine})
        self.step = state["global_step"]
        self.tracker.load_state_dict(state["tracker"])
        self.eval_before = state["eval_before"]
        if self.rank == 0:
            print(f"[sft] resumed from {path} at step {self.step}", flush=True)


def total_steps(args, n_items: int, world_size: int) -> int:
    if args.max_steps > 0:
        return args.max_steps
    per_epoch = n_items // (args.per_device_train_batch_size * args.gradient_accumulation_steps * world_size)
    return max(1, math.ceil(args.num_train_epochs * per_epoch))


def _step_of(checkpoint_path):
    if not checkpoint_path:
        return None
    return int(checkpoint_path.rstrip("/").rsplit("step-", 1)[1])
