"""DPO and its variants on preference pairs, on the shared supervised loop (``common/trainer.py``).

Chosen and rejected responses go through the policy in ONE forward pass (a batch of 2B rows, chosen first).
Sequence log-probs are sums over response tokens; IPO and SimPO use their length average, as their papers do.

Reference log-probs, three ways (all give the same numbers; tested):

* ``--ref_mode separate``: a frozen copy of the starting model in its own inference engine;
* ``--ref_mode adapter_disabled``: the LoRA policy with its adapter switched off (the policy is the SFT model
  plus a fresh adapter, so this is exactly the SFT model) — no second copy of the weights;
* ``--precompute_ref_logps``: one pass over the training and evaluation pairs before training (with either of the
  above), cached in ``output_dir/ref_logps.pt`` and reused on resume; the reference then leaves memory.
"""
import hashlib
import os
from dataclasses import dataclass, field

import torch

from common.config import REF_MODES, Arguments, PeftArguments, _help, choice, find
from common.data import PreferenceCollator, PreferenceDataset, spread
from common.engine import all_reduce_sum, create_inference_engine
from common.forward import label_logprobs
from common.modeling import apply_lora, disable_dropout, load_causal_lm, model_fingerprint
from common.ops import masked_sum
from common.trainer import Trainer
from dpo.loss import DPO_LOSS_TYPES, dpo_loss, nll_loss, simpo_loss

LOSS_TYPES = DPO_LOSS_TYPES + ("simpo",)
AVERAGED = ("ipo", "simpo")  # loss types defined on length-averaged log-probs


@dataclass
class DPOArguments(Arguments):
    beta: float = field(default=0.1, metadata=_help("Inverse temperature of the implicit reward (SimPO: 2.0)."))
    loss_type: str = choice("sigmoid", LOSS_TYPES, "sigmoid: DPO (cDPO with --label_smoothing); ipo, hinge, robust; "
                                                   "simpo: no reference.")
    label_smoothing: float = field(default=0.0, metadata=_help("Assumed preference-flip rate (cDPO, robust)."))
    ref_mode: str = choice("adapter_disabled", REF_MODES, "separate: a frozen reference engine; adapter_disabled: the "
                                                          "LoRA policy with its adapter off.")
    precompute_ref_logps: bool = field(default=False, metadata=_help(
        "Compute reference log-probs once before training, cache them next to the run, free the reference."))
    disable_dropout: bool = field(default=True, metadata=_help(
        "Every dropout of the policy at p = 0 (training mode kept, so gradient checkpointing stays on): the same "
        "batch gives the same loss, and the policy equals its reference at step 0."))
    nll_coef: float = field(default=0.0, metadata=_help("Weight of the chosen response's NLL term (RPO)."))
    simpo_gamma: float = field(default=0.5, metadata=_help("SimPO target margin."))
    chosen_column: str = field(default="chosen", metadata=_help("Key of the preferred response."))
    rejected_column: str = field(default="rejected", metadata=_help("Key of the dispreferred response."))

    def problems(self, groups) -> list:
        out = []
        peft = find(groups, PeftArguments)
        if peft and self.ref_mode == "adapter_disabled" and peft.lora_rank == 0 and self.loss_type != "simpo":
            out.append("--ref_mode adapter_disabled needs LoRA (--lora_rank > 0); use --ref_mode separate")
        if self.label_smoothing and self.loss_type not in ("sigmoid", "robust"):
            out.append(f"--label_smoothing applies to sigmoid and robust only, not {self.loss_type}")
        if self.beta <= 0:
            out.append(f"--beta must be > 0, got {self.beta}")
        if not 0 <= self.label_smoothing < 0.5:  # a flip rate of 0.5 or more makes the labels say nothing
            out.append(f"--label_smoothing must be in [0, 0.5), got {self.label_smoothing}")
        return out


def sequence_logps(model, batch: dict) -> tuple:
    """Summed response log-probs and response lengths of every row of a 2B-row pair batch: (2B,), (2B,)."""
    logp, mask = label_logprobs(model, batch)  # (2B, T-1) each
    return masked_sum(logp, mask, dim=-1), mask.sum(-1)


class DPOTrainer(Trainer):
    stage = "dpo"
    continues_adapter = False

    def __init__(self, *args, reference=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dpo = self.stage_args
        self.reference = reference  # an engine, or None (adapter disabled / precomputed / SimPO)
        self.ref_logps = None  # {"train": (N, 2), "eval": (M, 2)} when precomputed
        self.split = "train"  # which table of precomputed log-probs the current batches index

    @classmethod
    def build_datasets(cls, tokenizer, data_args, dpo_args) -> tuple:
        common = dict(tokenizer=tokenizer, max_source_length=data_args.max_source_length,
                      max_target_length=data_args.max_target_length, prompt_column=data_args.prompt_column,
                      chosen_column=dpo_args.chosen_column, rejected_column=dpo_args.rejected_column,
                      system_prompt=data_args.system_prompt)
        train = PreferenceDataset(data_args.train_file, **common)
        evals = None
        if data_args.eval_file:
            evals = PreferenceDataset(data_args.eval_file, **common)
            if data_args.max_eval_samples:
                evals = PreferenceDataset(spread(evals.records, data_args.max_eval_samples), **common)
                evals.source = data_args.eval_file
        return train, evals

    @classmethod
    def build_model(cls, model_args, peft_args, dpo_args, dtype, ds_config) -> tuple:
        # The starting model (an SFT adapter merged into its base) plus a fresh adapter: disabling the adapter
        # gives back exactly the starting model, the reference.
        policy = apply_lora(load_causal_lm(model_args.model_name_or_path, dtype, ds_config, adapter="merge"),
                            peft_args)
        if dpo_args.disable_dropout:
            disable_dropout(policy)
        reference = None
        if dpo_args.loss_type != "simpo" and dpo_args.ref_mode == "separate":
            reference = create_inference_engine(
                load_causal_lm(model_args.model_name_or_path, dtype, ds_config, adapter="merge"), ds_config)
        return policy, {"reference": reference}

    @classmethod
    def collator(cls, tokenizer):
        return PreferenceCollator(tokenizer.pad_token_id)

    @classmethod
    def run_facts(cls, dpo_args, parts: dict) -> dict:
        return {"models_in_memory": 1 + (parts["reference"] is not None and not dpo_args.precompute_ref_logps)}

    def prepare(self, model_args, dtype):
        if self.dpo.precompute_ref_logps and self.dpo.loss_type != "simpo":
            self.reference_identity = {"model": model_fingerprint(model_args.model_name_or_path),
                                       "dtype": str(dtype), "ref_mode": self.dpo.ref_mode}
            self.ref_logps = self.load_or_precompute_ref_logps()
            self.reference = None  # no longer needed: free it

    def describe(self) -> str:
        return (f"{len(self.train_dataset)} pairs; {self.dpo.loss_type}, beta {self.dpo.beta}; reference: "
                f"{'precomputed' if self.ref_logps else self.dpo.ref_mode}")

    # --- reference log-probs -------------------------------------------------------------------------------------
    @torch.no_grad()
    def reference_logps(self, batch: dict) -> torch.Tensor:
        """Summed reference log-probs of the 2B rows (chosen then rejected)."""
        if self.ref_logps is not None:
            table = self.ref_logps[self.split].to(batch["input_ids"].device)  # (N, 2)
            pairs = table[batch["index"]]  # (B, 2)
            return torch.cat([pairs[:, 0], pairs[:, 1]])
        if self.reference is not None:
            return sequence_logps(self.reference, batch)[0]
        with self.engine.module.disable_adapter():
            return sequence_logps(self.engine, batch)[0]

    def load_or_precompute_ref_logps(self) -> dict:
        """Reference log-probs of the training pairs this run visits (a short run over a large file computes only
        its own pairs) and of every evaluation pair, cached in output_dir/ref_logps.pt. The cache is keyed by those
        pairs' token ids and by the reference itself (its files, via ``model_fingerprint``; its dtype; the
        reference mode): if any differs it is recomputed, and the message says what changed."""
        path = os.path.join(self.args.output_dir, "ref_logps.pt")
        visited = self.visited_items()
        key = {"pairs": self._data_key(visited), "reference": self.reference_identity}
        if os.path.exists(path):
            cached = torch.load(path)
            if cached.get("key") == key:
                return cached["logps"]
            old = cached.get("key") if isinstance(cached.get("key"), dict) else {}
            changed = [k for k in ("pairs", "reference") if old.get(k) != key[k]] or ["format"]
            if self.rank == 0:
                print(f"[dpo] {path} was computed for another {' and '.join(changed)}; recomputing the reference "
                      f"log-probs", flush=True)
        logps = {"train": self._precompute(self.train_dataset, visited)}
        if self.eval_dataset is not None:
            logps["eval"] = self._precompute(self.eval_dataset)
        if self.rank == 0:
            os.makedirs(self.args.output_dir, exist_ok=True)
            torch.save({"key": key, "logps": logps}, path)
        return logps

    def _data_key(self, visited: list) -> str:
        h = hashlib.sha1()
        train = [self.train_dataset.examples[i] for i in visited]
        for ex in train + (self.eval_dataset.examples if self.eval_dataset is not None else []):
            h.update(str((ex["prompt_ids"], ex["chosen_ids"], ex["rejected_ids"])).encode())
        return h.hexdigest()

    @torch.no_grad()
    def _precompute(self, dataset, items: list = None) -> torch.Tensor:
        """(N, 2) summed reference log-probs [chosen, rejected] of ``items`` (default: all); other rows are NaN, so
        a pair that was not precomputed can never pass for one that was. Each rank does a shard; one all-reduce
        joins them."""
        self.engine.eval()
        n, bs = len(dataset), self.args.per_device_eval_batch_size
        items = list(range(n)) if items is None else list(items)
        per_rank = -(-len(items) // self.world_size)
        table = torch.zeros(n, 2, dtype=torch.float64)
        bar = self.tracker.progress(-(-per_rank // bs), desc="reference log-probs")
        for batch, idx, real in self.sharded_batches(dataset, items):
            ref = self.reference_logps(batch).cpu()  # (2B,)
            B = len(idx)
            for j, (ok, i) in enumerate(zip(real, idx)):
                if ok:
                    table[i, 0], table[i, 1] = ref[j], ref[B + j]
            bar.update(1)
        bar.close()
        flat = all_reduce_sum(table.flatten().tolist())  # every entry is filled by exactly one rank
        self.engine.train()
        out = torch.tensor(flat, dtype=torch.float32).view(n, 2)
        missing = torch.ones(n, dtype=torch.bool)
        missing[items] = False
        out[missing] = float("nan")
        return out

    def evaluate(self) -> dict:
        self.split = "eval"
        try:
            return super().evaluate()
        finally:
            self.split = "train"

    # --- loss ------------------------------------------------------------------------------------------------
    def pair_losses(self, batch: dict) -> dict:
        """Per-pair losses, rewards and log-probs of a pair batch (one policy forward for 2B rows)."""
        d = self.dpo
        logps, lengths = sequence_logps(self.engine, batch)  # (2B,) each
        B = logps.shape[0] // 2
        chosen, rejected = logps[:B], logps[B:]
        if d.loss_type == "simpo":
            losses, r_c, r_r = simpo_loss(chosen / lengths[:B].clamp(min=1), rejected / lengths[B:].clamp(min=1),
                                          d.beta, d.simpo_gamma)
        else:
            ref = self.reference_logps(batch)  # (2B,)
            pol = logps
            if d.loss_type in AVERAGED:
                pol, ref = logps / lengths.clamp(min=1), ref / lengths.clamp(min=1)
            losses, r_c, r_r = dpo_loss(pol[:B], pol[B:], ref[:B], ref[B:], d.beta, d.loss_type, d.label_smoothing)
        if d.nll_coef:
            losses = losses + d.nll_coef * nll_loss(chosen, lengths[:B])
        return {"loss": losses, "rewards_chosen": r_c, "rewards_rejected": r_r,
                "rewards_accuracy": (r_c > r_r).float(), "rewards_margin": r_c - r_r,
                "logps_chosen": chosen.detach(), "logps_rejected": rejected.detach()}

    def compute_loss(self, batch: dict) -> tuple:
        out = self.pair_losses(batch)
        stats = {k: v.mean().item() for k, v in out.items() if k != "loss"}
        return out["loss"].mean(), stats

    def eval_step(self, batch: dict, weights: torch.Tensor) -> dict:
        out = self.pair_losses(batch)
        return {f"eval/{k}": ((v.detach() * weights).sum().item(), weights.sum().item()) for k, v in out.items()}
