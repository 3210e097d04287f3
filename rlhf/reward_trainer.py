"""Reward model (stage 2 of the RLHF route): a scalar head on the SFT model, trained on preference pairs.

Model: ``ScalarHeadModel`` = the causal LM's transformer body + a linear value head; the score of a (prompt,
response) is the head's output at the last real token (found from the attention mask: PAD != EOS for Qwen2.5).
With ``--lora_rank > 0`` the body gets a fresh LoRA adapter; the value head always trains. Starting from an SFT
run's ``final/`` LoRA adapter, that adapter is **merged** into its base first, so the reward model's own adapter
sits on top of the exact SFT weights and the SFT adapter is never changed (the same rule as PPO's actor).

Loss (Bradley–Terry, Ouyang et al. 2022 eq. 1; with a margin, Touvron et al. 2023 eq. 2), chosen and rejected
scored in ONE forward pass of the 2B-row batch from ``PreferenceCollator``::

    loss = mean_b −log σ(r(x_b, y_b^chosen) − r(x_b, y_b^rejected) − m_b)

``m_b`` is the pair's ``margin`` field when it has one, ``--margin`` otherwise (0: plain Bradley–Terry).

Normalisation (``--normalize_scores``, after training): gain g and bias c such that g·r + c has mean 0 and
(population) std 1 over a reference set of responses, as Ziegler et al. 2019 and Stiennon et al. 2020 normalise
on samples of the initial policy. The reference set is the responses of an SFT-format file
(``--normalize_file``, e.g. the SFT training data, which the SFT policy imitates; its first
``--normalize_samples`` items), or by default the chosen and rejected responses of the first training pairs.
The statistics are summed over ranks; g and c are saved with the model and applied by ``ScalarHeadModel``.

Export (``final/``): ``ScalarHeadModel.save_pretrained`` — the LoRA adapter (peft, safetensors, gathered under
ZeRO-3) or the full body, ``value_head.safetensors``, ``scalar_head_config.json``, the tokenizer; with
``--merge_lora`` also ``final/merged/``, the same model with the adapter merged (a standalone full body).
``ScalarHeadModel.from_pretrained("runs/rm/final")`` reloads either.
"""
import os
from dataclasses import dataclass, field
from typing import Optional

import torch

from common.config import Arguments, _help, missing_files
from common.data import DataError, InputOutputDataset, PreferenceCollator, PreferenceDataset, SFTCollator, read_jsonl
from common.engine import all_reduce_sum, barrier
from common.forward import last_token_scores
from common.modeling import ScalarHeadModel, apply_backbone_lora
from common.trainer import Trainer
from rlhf.losses import pairwise_loss


@dataclass
class RewardArguments(Arguments):
    chosen_column: str = field(default="chosen", metadata=_help("Key of the preferred response in each pair."))
    rejected_column: str = field(default="rejected", metadata=_help("Key of the dispreferred response in each pair."))
    margin: float = field(
        default=0.0, metadata=_help("Constant margin m in -log sigmoid(r_chosen - r_rejected - m) (Llama 2's margin "
                                    "loss); 0 = plain Bradley-Terry.")
    )
    margin_column: str = field(
        default="margin", metadata=_help("Key of a per-pair margin; a pair that has it uses it instead of --margin "
                                         "('' = ignore such fields).")
    )
    normalize_scores: bool = field(
        default=False, metadata=_help("After training, set a gain and bias so that the reference responses score "
                                      "with mean 0 and std 1; saved with the model and applied by its score.")
    )
    normalize_file: Optional[str] = field(
        default=None, metadata=_help("SFT-format JSONL (--prompt_column, --response_column) whose responses are the "
                                     "normalisation reference set, e.g. data/easyds/en/sft_train.jsonl. Default: the "
                                     "chosen and rejected responses of the training pairs.")
    )
    normalize_samples: int = field(
        default=256, metadata=_help("Use the first N items of the reference set (0 = all).")
    )

    def problems(self, groups) -> list:
        out = missing_files(self, "normalize_file")
        if self.normalize_file and not self.normalize_scores:
            out.append("--normalize_file is only used with --normalize_scores")
        if self.normalize_samples < 0:
            out.append(f"--normalize_samples must be >= 0, got {self.normalize_samples}")
        if self.chosen_column == self.rejected_column:
            out.append("--chosen_column and --rejected_column must differ")
        return out


def attach_margins(dataset: PreferenceDataset, default: float, column: str) -> PreferenceDataset:
    """Give every pair its margin: its own ``column`` field if present (must be a number), else ``default``."""
    errors = []
    for r, ex in zip(dataset.records, dataset.examples):
        value = r.get(column, default) if column else default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(f"{dataset.source}:{r.get('_line', '?')}: field {column!r} must be a number, got {value!r}")
            continue
        ex["margin"] = float(value)
    if errors:
        raise DataError(f"{dataset.source}: {len(errors)} bad margin(s):\n  " + "\n  ".join(errors[:10]))
    return dataset


class RewardCollator:
    """``PreferenceCollator``'s 2B rows (chosen first, then rejected) plus the B pairs' margins."""

    def __init__(self, pad_token_id: int):
        self.pairs = PreferenceCollator(pad_token_id)

    def __call__(self, batch: list) -> dict:
        out = self.pairs(batch)
        out["margin"] = torch.tensor([b.get("margin", 0.0) for b in batch], dtype=torch.float32)  # (B,)
        return out


def pair_scores(model, batch: dict) -> tuple:
    """Chosen and rejected scores, each (B,), from ONE forward pass over the collator's 2B rows."""
    scores = last_token_scores(model, batch["input_ids"], batch["attention_mask"])  # (2B,)
    B = scores.shape[0] // 2
    return scores[:B], scores[B:]


class RewardTrainer(Trainer):
    stage = "rm"

    continues_adapter = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reward_args = self.stage_args
        self.normalization = {}

    @classmethod
    def build_datasets(cls, tokenizer, data_args, reward_args) -> tuple:
        common = dict(tokenizer=tokenizer, max_source_length=data_args.max_source_length,
                      max_target_length=data_args.max_target_length, system_prompt=data_args.system_prompt,
                      prompt_column=data_args.prompt_column, chosen_column=reward_args.chosen_column,
                      rejected_column=reward_args.rejected_column, cut_keeps_end=True)
        train = attach_margins(PreferenceDataset(data_args.train_file, **common), reward_args.margin,
                               reward_args.margin_column)
        evals = None
        if data_args.eval_file:
            required = (data_args.prompt_column, reward_args.chosen_column, reward_args.rejected_column)
            records = read_jsonl(data_args.eval_file, required)
            records = records[: data_args.max_eval_samples] if data_args.max_eval_samples else records
            evals = PreferenceDataset(records, **common)
            evals.source = data_args.eval_file
            attach_margins(evals, reward_args.margin, reward_args.margin_column)
        return train, evals

    @classmethod
    def build_model(cls, model_args, peft_args, reward_args, dtype, ds_config) -> tuple:
        model = ScalarHeadModel.from_backbone(model_args.model_name_or_path, dtype=dtype, ds_config=ds_config)
        model.backbone = apply_backbone_lora(model.backbone, peft_args)
        model.value_head.requires_grad_(True)
        return model, {}

    @classmethod
    def collator(cls, tokenizer):
        return RewardCollator(tokenizer.pad_token_id)

    def describe(self) -> str:
        return (f"{len(self.train_dataset)} train pairs ({self.train_dataset.stats.get('response_truncated', 0)} "
                f"responses cut to --max_target_length {self.data_args.max_target_length}, end of turn kept)")

    # --- training and evaluation ------------------------------------------------------------------------------------
    def compute_loss(self, batch: dict) -> tuple:
        chosen, rejected = pair_scores(self.engine, batch)  # (B,), (B,)
        loss = pairwise_loss(chosen, rejected, margin=batch["margin"])
        return loss, {"accuracy": (chosen > rejected).float().mean().item(),
                      "chosen_score": chosen.mean().item(), "rejected_score": rejected.mean().item()}

    def eval_step(self, batch: dict, weights: torch.Tensor) -> dict:
        chosen, rejected = pair_scores(self.engine, batch)  # (B,), (B,)
        real = weights > 0
        n = real.sum().item()
        # pairwise_loss averages; times the count of real pairs gives their sum (padding rows left out).
        loss_sum = pairwise_loss(chosen[real], rejected[real], margin=batch["margin"][real]).item() * n if n else 0.0
        return {"eval/loss": (loss_sum, n),
                "eval/accuracy": (((chosen > rejected).float() * weights).sum().item(), n),
                "eval/margin": (((chosen - rejected) * weights).sum().item(), n),
                "eval/chosen_score": ((chosen * weights).sum().item(), n),
                "eval/rejected_score": ((rejected * weights).sum().item(), n),
                "eval/_score_sq": (((chosen.square() + rejected.square()) / 2 * weights).sum().item(), n)}

    def finish_eval(self, metrics: dict) -> dict:
        """The spread of every scored response (chosen and rejected together): a constant reward model has 0."""
        mean = (metrics["eval/chosen_score"] + metrics["eval/rejected_score"]) / 2
        metrics["eval/score_std"] = max(metrics.pop("eval/_score_sq") - mean * mean, 0.0) ** 0.5
        return metrics

    # --- normalisation and export -----------------------------------------------------------------------------------
    def reference_dataset(self) -> InputOutputDataset:
        """The normalisation reference set: (prompt, response) items, tokenised like SFT."""
        ra, da = self.reward_args, self.data_args
        n = ra.normalize_samples or None
        if ra.normalize_file:
            records, source = read_jsonl(ra.normalize_file, (da.prompt_column, da.response_column))[:n], \
                ra.normalize_file
        else:
            records = [{da.prompt_column: r[da.prompt_column], da.response_column: r[key]}
                       for r in self.train_dataset.records for key in (ra.chosen_column, ra.rejected_column)][:n]
            source = f"{da.train_file} (chosen and rejected)"
        ds = InputOutputDataset(records, self.tokenizer, da.max_source_length, da.max_target_length,
                                da.prompt_column, da.response_column, da.system_prompt)
        ds.source = source
        return ds

    @torch.no_grad()
    def normalize(self) -> dict:
        """Set the model's gain and bias from the raw scores of the reference set (summed over ranks).

        The traversal of ``Trainer.evaluate`` (``sharded_batches``): every rank runs the same number of forward
        passes (ZeRO-3 gathers collectively) and padding rows have weight 0. Population std: the reference scores
        then have std 1 under ``torch.std(unbiased=False)``.
        """
        module = self.engine.module
        module.score_gain, module.score_bias = 1.0, 0.0  # raw scores
        ds = self.reference_dataset()
        total = total_sq = count = 0.0
        self.engine.eval()
        for batch, _, real in self.sharded_batches(ds, collate=SFTCollator(self.tokenizer.pad_token_id)):
            weights = torch.tensor([float(r) for r in real], dtype=torch.float64)
            scores = last_token_scores(self.engine, batch["input_ids"], batch["attention_mask"]).double().cpu()
            total += (scores * weights).sum().item()
            total_sq += (scores.square() * weights).sum().item()
            count += weights.sum().item()
        self.engine.train()
        total, total_sq, count = all_reduce_sum([total, total_sq, count])
        mean = total / count
        std = max(total_sq / count - mean * mean, 0.0) ** 0.5
        if std < 1e-6:
            raise ValueError(f"--normalize_scores: the {int(count)} reference scores are constant (std {std:.2e}); "
                             "cannot scale them to std 1")
        module.score_gain, module.score_bias = 1.0 / std, -mean / std
        self.normalization = {"reference": ds.source, "samples": int(count), "raw_mean": mean, "raw_std": std,
                              "gain": module.score_gain, "bias": module.score_bias}
        if self.rank == 0:
            print(f"[rm] normalised on {int(count)} responses of {ds.source}: raw mean {mean:.4f}, std {std:.4f} "
                  f"-> gain {module.score_gain:.4f}, bias {module.score_bias:.4f}", flush=True)
        return self.normalization

    def export(self):
        """``final/``: the reward model (adapter or full body, head, JSON) and tokenizer; ``final/merged/`` with
        ``--merge_lora``. Collective: every rank gathers, rank 0 writes."""
        if self.reward_args.normalize_scores:
            self.normalize()
        module = self.engine.module
        module.base_model_name_or_path = self.base_model_name
        final = os.path.join(self.args.output_dir, "final")
        extra = {"normalization": self.normalization} if self.normalization else {}
        if self.final_eval:
            # PPO's gate reads this before it starts: held-out accuracy and the spread of the scores, in the
            # exported (normalised) scale.
            gain = module.score_gain
            extra["validation"] = {"file": self.data_args.eval_file, "pairs": len(self.eval_dataset),
                                   "accuracy": self.final_eval["eval/accuracy"],
                                   "margin": self.final_eval["eval/margin"] * gain,
                                   "score_std": self.final_eval["eval/score_std"] * gain}
        module.save_pretrained(final, extra_config=extra)
        if self.rank == 0:
            self.tokenizer.save_pretrained(final)
            if self.args.merge_lora:
                merge_scalar_head(final, os.path.join(final, "merged"), extra)
        barrier()

    def end_of_training(self) -> dict:
        return {"normalization": self.normalization} if self.normalization else {}


def merge_scalar_head(src: str, out_dir: str, extra_config: dict = None) -> str:
    """A LoRA reward-model export reloaded from disk with its adapter merged: a standalone full-body export."""
    from transformers import AutoTokenizer

    model = ScalarHeadModel.from_pretrained(src, dtype=torch.float32)
    model.backbone = model.backbone.merge_and_unload()
    model.save_pretrained(out_dir, extra_config=extra_config)
    AutoTokenizer.from_pretrained(src).save_pretrained(out_dir)
    return out_dir
