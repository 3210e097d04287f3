"""Supervised fine-tuning on (prompt, response) pairs: the first stage of both routes.

Loss: mean negative log-likelihood of the response tokens (prompt tokens are labelled -100 and ignored), averaged
over the tokens of each micro-batch. Evaluation: the token-weighted NLL over the whole evaluation set, and its
perplexity. After training, greedy samples for ``--num_samples`` evaluation prompts spread over the set.
"""
import math

import torch

from common.data import InputOutputDataset, PromptCollator, PromptDataset, SFTCollator, spread
from common.engine import device
from common.forward import label_logprobs
from common.generation import decode_responses, generate
from common.modeling import apply_lora, load_causal_lm
from common.ops import masked_mean, masked_sum
from common.trainer import Trainer


class SFTTrainer(Trainer):
    stage = "sft"

    @classmethod
    def build_datasets(cls, tokenizer, data_args, stage_args) -> tuple:
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
        return train, evals

    @classmethod
    def build_model(cls, model_args, peft_args, stage_args, dtype, ds_config) -> tuple:
        return apply_lora(load_causal_lm(model_args.model_name_or_path, dtype=dtype, ds_config=ds_config),
                          peft_args), {}

    @classmethod
    def collator(cls, tokenizer):
        return SFTCollator(tokenizer.pad_token_id)

    def compute_loss(self, batch: dict) -> tuple:
        logp, mask = label_logprobs(self.engine, batch)
        return -masked_mean(logp, mask), {}

    def eval_step(self, batch: dict, weights: torch.Tensor) -> dict:
        logp, mask = label_logprobs(self.engine, batch)
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
