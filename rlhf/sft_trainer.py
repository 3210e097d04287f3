"""Supervised fine-tuning on (prompt, response) pairs: the first stage of both routes.

Loss: mean negative log-likelihood of the response tokens (prompt tokens are labelled -100 and ignored), averaged
over the tokens of each micro-batch. Evaluation: the token-weighted NLL over the whole evaluation set, and its
perplexity. After training, greedy samples for ``--num_samples`` evaluation prompts spread over the set.
"""
import math

import torch

from common.config import to_dict
from common.data import IGNORE_INDEX, InputOutputDataset, PromptCollator, PromptDataset, SFTCollator, spread
from common.engine import device, zero_stage
from common.generation import decode_responses, generate
from common.modeling import apply_lora, count_parameters, load_causal_lm, load_tokenizer
from common.ops import gather_logprobs, masked_mean, masked_sum
from common.trainer import Trainer, base_name_for_export, make_ds_config, make_engine, open_tracker, start_run, \
    total_steps


def response_logprobs(model, batch: dict) -> tuple:
    """Per-token log-probs of the labelled tokens and their mask, both (B, T-1)."""
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits  # (B, T, V)
    labels = batch["labels"][:, 1:]  # (B, T-1): token t+1 is predicted at position t
    mask = (labels != IGNORE_INDEX).float()  # (B, T-1)
    logp = gather_logprobs(logits[:, :-1], labels.clamp(min=0))  # (B, T-1)
    return logp, mask


class SFTTrainer(Trainer):
    stage = "sft"

    def __init__(self, *args, data_args=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.data_args = data_args

    @classmethod
    def from_args(cls, model_args, data_args, peft_args, train_args):
        rank, world_size, resume = start_run(train_args)
        tokenizer = load_tokenizer(model_args.tokenizer_name_or_path or model_args.model_name_or_path)
        common = dict(tokenizer=tokenizer, max_source_length=data_args.max_source_length,
                      system_prompt=data_args.system_prompt, prompt_column=data_args.prompt_column)
        train = InputOutputDataset(data_args.train_file, max_target_length=data_args.max_target_length,
                                   response_column=data_args.response_column, **common)
        evals = None
        if data_args.eval_file:
            records = PromptDataset(data_args.eval_file, **common).records  # validated once, then sliced
            records = spread(records, data_args.max_eval_samples)
            evals = InputOutputDataset(records, max_target_length=data_args.max_target_length,
                                       response_column=data_args.response_column, **common)
            evals.source = data_args.eval_file
        steps = total_steps(train_args, len(train), world_size)
        ds_config, dtype = make_ds_config(model_args, train_args, world_size, steps)
        model = apply_lora(load_causal_lm(model_args.model_name_or_path, dtype=dtype, ds_config=ds_config), peft_args)
        engine = make_engine(model, model_args, train_args, ds_config, steps, rank)
        trainable, total = count_parameters(engine.module)
        config = to_dict(model_args, data_args, peft_args, train_args)
        config.update(world_size=world_size, zero_stage=zero_stage(ds_config), trainable_params=trainable,
                      total_params=total, train_items=len(train), train_stats=train.stats)
        tracker = open_tracker(train_args, rank, config, resume)
        trainer = cls(engine, tokenizer, train, evals, SFTCollator(tokenizer.pad_token_id), train_args, tracker,
                      rank, world_size, base_name_for_export(model_args.model_name_or_path), data_args=data_args)
        if resume:
            trainer.resume(resume)
        if rank == 0:
            print(f"[sft] {total / 1e6:.1f}M parameters, {trainable / 1e6:.2f}M trainable; {len(train)} train items; "
                  f"ZeRO-{zero_stage(ds_config)} on {world_size} rank(s); {trainer.total_steps} steps", flush=True)
        return trainer

    def compute_loss(self, batch: dict) -> tuple:
        logp, mask = response_logprobs(self.engine, batch)
        return -masked_mean(logp, mask), {}

    def eval_step(self, batch: dict, weights: torch.Tensor) -> dict:
        logp, mask = response_logprobs(self.engine, batch)
        mask = mask * weights[:, None]
        return {"eval/loss": (-masked_sum(logp, mask).item(), mask.sum().item())}

    def finish_eval(self, metrics: dict) -> dict:
        metrics["eval/ppl"] = math.exp(min(metrics["eval/loss"], 50.0))
        return metrics

    def end_of_training(self) -> dict:
        return {"samples": self.sample(self.data_args.num_samples)}

    def sample(self, k: int) -> list:
        """Greedy generations for ``k`` evaluation prompts spread over the set: printed, logged, returned."""
        if not k or self.eval_dataset is None:
            return []
        records = spread(self.eval_dataset.records, k)
        prompts = PromptDataset(records, self.tokenizer, self.data_args.max_source_length,
                                self.data_args.prompt_column, self.data_args.system_prompt)
        batch = PromptCollator(self.tokenizer.pad_token_id)([prompts[i] for i in range(len(prompts))])
        out = generate(self.engine, self.tokenizer, batch["input_ids"].to(device()),
                       batch["attention_mask"].to(device()), self.data_args.max_target_length, mode="gathered")
        samples = [{"prompt": r[self.data_args.prompt_column], "response": text}
                   for r, text in zip(records, decode_responses(self.tokenizer, out))]
        if self.rank == 0:
            for i, s in enumerate(samples):
                print(f"\n--- sample {i + 1} ---\n{s['prompt']}\n>>> {s['response']}", flush=True)
                self.tracker.text("samples", f"**prompt**\n\n{s['prompt']}\n\n**response**\n\n{s['response']}", i)
        return samples
