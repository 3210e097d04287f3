"""The loop shared by every stage that learns from a fixed data set: SFT, the reward model and DPO.

A stage subclasses ``Trainer`` and defines ``compute_loss`` (training) and ``eval_step`` (evaluation); the
loop does the rest, the same way for all of them:

* Data order: a fixed order per epoch from ``seed + epoch``; optimizer step ``s`` of an epoch consumes global
  batch ``s`` of it, split over ranks and accumulation steps. The position in the data is the step number, so a
  resumed run repeats an uninterrupted one exactly. Length grouping (``--length_group_batches``,
  ``epoch_batches``) keeps that: it only reorders within the epoch, from the same seed.
* Logging every ``--logging_steps`` (metrics averaged over ranks), evaluation before training, every
  ``--eval_steps`` and at the end, checkpoints every ``--save_steps``, export of ``final/`` at the end.
* Every rank runs the same number of forward passes in evaluation (ZeRO-3 gathers weights collectively), padding
  rows carry weight 0.
"""
import math
import os

import torch

from . import checkpoint
from .config import LENGTH_GROUP_BATCHES, ConfigError, to_dict, validate
from .embedded import resolve_model_path
from .engine import all_reduce_sum, barrier, create_engine, device, engine_config, init_distributed, zero_stage
from .files import lock_directory
from .modeling import count_parameters, enable_gradient_checkpointing, is_adapter_dir, load_model_config, \
    load_tokenizer, resolve_dtype
from .tracking import Tracker


class Trainer:
    stage = "train"  # prefix of progress bars and console lines
    continues_adapter = True  # SFT trains on in a given adapter; RM and DPO merge it and train a new one on top

    def __init__(self, engine, tokenizer, train_dataset, eval_dataset, collate, args, tracker, rank, world_size,
                 base_model_name=None, data_args=None, stage_args=None):
        self.data_args, self.stage_args = data_args, stage_args
        self.engine, self.tokenizer, self.collate = engine, tokenizer, collate
        self.train_dataset, self.eval_dataset = train_dataset, eval_dataset
        self.args, self.tracker = args, tracker
        self.rank, self.world_size = rank, world_size
        self.base_model_name = base_model_name
        self.micro, self.accum = args.per_device_train_batch_size, args.gradient_accumulation_steps
        self.global_batch = self.micro * self.accum * world_size
        self.steps_per_epoch = len(train_dataset) // self.global_batch
        if self.steps_per_epoch == 0:
            raise ValueError(f"{train_dataset.source}: {len(train_dataset)} items is fewer than one global batch "
                             f"({self.global_batch} = micro {self.micro} x accumulation {self.accum} x {world_size} ranks)")
        self.total_steps = total_steps(args, len(train_dataset), world_size)
        self.length_window = LENGTH_GROUP_BATCHES if args.length_group_batches is None else args.length_group_batches
        self._epoch_cache = (None, None)  # (epoch, its batches)
        self.step = 0
        self.eval_before = {}  # the step-0 evaluation, kept in checkpoints for the before/after report
        self.final_eval = None  # the evaluation after the last step (in the last checkpoint, so a resume there keeps it)

    # --- the build recipe: every stage is built the same way; the hooks below say what differs ---------------------
    @classmethod
    def from_args(cls, model_args, data_args, peft_args, train_args, stage_args=None):
        """The stage from its argument groups (``stage_args``: the stage's own group, e.g. ``DPOArguments``):
        validate; take the run directory; data sets (``build_datasets``); steps; this engine's DeepSpeed config; the
        model (``build_model``); the engine; the tracker, whose settings a resumed checkpoint must share;
        ``prepare``; resume. Every rank builds the same way, seeded alike until the engine exists."""
        groups = [g for g in (stage_args, model_args, data_args, peft_args, train_args) if g is not None]
        validate(*groups)
        rank, world_size, resume = start_run(train_args)
        tokenizer = load_tokenizer(model_args.tokenizer_name_or_path or model_args.model_name_or_path)
        train, evals = cls.build_datasets(tokenizer, data_args, stage_args)
        steps = total_steps(train_args, len(train), world_size)
        ds_config, dtype = make_ds_config(model_args, train_args, world_size, steps)
        model, parts = cls.build_model(model_args, peft_args, stage_args, dtype, ds_config)
        engine = make_engine(model, model_args, train_args, ds_config, steps, rank)
        trainable, total = count_parameters(engine.module)
        config = to_dict(*groups)
        config.update(world_size=world_size, zero_stage=zero_stage(ds_config), trainable_params=trainable,
                      total_params=total, train_items=len(train), train_stats=train.stats,
                      **cls.run_facts(stage_args, parts))
        tracker = open_tracker(train_args, rank, config, resume)
        trainer = cls(engine, tokenizer, train, evals, cls.collator(tokenizer), train_args, tracker, rank, world_size,
                      base_name_for_export(model_args.model_name_or_path, cls.continues_adapter),
                      data_args=data_args, stage_args=stage_args, **parts)
        trainer.prepare(model_args, dtype)
        if resume:
            trainer.resume(resume)
        if rank == 0:
            print(f"[{cls.stage}] {total / 1e6:.1f}M parameters, {trainable / 1e6:.2f}M trainable; {trainer.describe()}"
                  f"; ZeRO-{zero_stage(ds_config)} on {world_size} rank(s); {trainer.total_steps} steps", flush=True)
        return trainer

    @classmethod
    def build_datasets(cls, tokenizer, data_args, stage_args) -> tuple:
        """``(train, evals)``: the training set and the held-out set (None without ``--eval_file``)."""
        raise NotImplementedError

    @classmethod
    def build_model(cls, model_args, peft_args, stage_args, dtype, ds_config) -> tuple:
        """``(model, parts)``: the model to train, and keyword arguments for the trainer (e.g. a reference)."""
        raise NotImplementedError

    @classmethod
    def collator(cls, tokenizer):
        raise NotImplementedError

    @classmethod
    def run_facts(cls, stage_args, parts: dict) -> dict:
        """What the run's config records beyond the arguments (checked on resume, shown in reports)."""
        return {}

    def prepare(self, model_args, dtype):
        """Anything done once the trainer exists and before resuming (e.g. DPO's precomputed reference)."""

    def describe(self) -> str:
        """The console line's description of the data and set-up."""
        return f"{len(self.train_dataset)} train items"

    # --- what a stage defines -----------------------------------------------------------------------------------
    def compute_loss(self, batch: dict) -> tuple:
        """``(loss, stats)`` of one training micro-batch; ``stats`` are floats averaged into ``train/`` metrics."""
        raise NotImplementedError

    def eval_step(self, batch: dict, weights: torch.Tensor) -> dict:
        """``{"eval/name": (weighted sum, weight)}`` for one evaluation batch; rows of weight 0 are padding."""
        raise NotImplementedError

    def finish_eval(self, metrics: dict) -> dict:
        """Derived evaluation metrics (e.g. perplexity from the loss)."""
        return metrics

    def export(self):
        """Write ``final/``; called once at the end on every rank."""
        checkpoint.export_final(self.engine.module, self.tokenizer, self.args.output_dir, self.args.merge_lora,
                                base_model_name_or_path=self.base_model_name)

    def end_of_training(self) -> dict:
        """Anything a stage adds to run_summary.json after export (e.g. sample generations)."""
        return {}

    # --- data ----------------------------------------------------------------------------------------------------
    def epoch_batches(self, epoch: int) -> list:
        """The global batches of ``epoch`` in training order (``epoch_batches`` below)."""
        return epoch_batches(len(self.train_dataset), self.global_batch, self.steps_per_epoch, self.args.seed + epoch,
                             self.length_window, getattr(self.train_dataset, "lengths", None))

    def step_items(self, step: int) -> list:
        """Indices of the training items of optimizer step ``step``, all ranks together (``epoch_batches``)."""
        epoch, position = divmod(step, self.steps_per_epoch)
        if self._epoch_cache[0] != epoch:
            self._epoch_cache = (epoch, self.epoch_batches(epoch))
        return self._epoch_cache[1][position]

    def visited_items(self) -> list:
        """Every training item the whole run will train on, sorted."""
        return sorted({i for step in range(self.total_steps) for i in self.step_items(step)})

    def micro_batches(self, step: int):
        """The micro-batches this rank trains on at optimizer step ``step``."""
        batch = self.step_items(step)
        for k in range(self.accum):
            start = (k * self.world_size + self.rank) * self.micro
            yield self.collate([self.train_dataset[i] for i in batch[start: start + self.micro]])

    @staticmethod
    def to_device(batch: dict) -> dict:
        dev = device()
        return {k: v.to(dev) if isinstance(v, torch.Tensor) else v for k, v in batch.items()}

    # --- the loop ------------------------------------------------------------------------------------------------
    def train(self) -> dict:
        if self.step == 0 and self.eval_dataset is not None:
            self.eval_before = self.evaluate()
            self.tracker.log(0, self.eval_before)
        bar = self.tracker.progress(self.total_steps, initial=self.step, desc=self.stage)
        window, window_start = {}, self.tracker.elapsed()
        self.engine.train()
        while self.step < self.total_steps:
            bad_losses = 0
            for batch in self.micro_batches(self.step):
                batch = self.to_device(batch)
                loss, stats = self.compute_loss(batch)
                self.engine.backward(loss)
                self.engine.step()
                loss_value = loss.item()
                bad_losses += not math.isfinite(loss_value)
                for k, v in {"loss": loss_value, **stats, "_micro": 1,
                             "_tokens": batch["attention_mask"].sum().item(),
                             "_slots": batch["attention_mask"].numel(),
                             "_samples": batch["input_ids"].shape[0]}.items():
                    window[k] = window.get(k, 0.0) + v
            grad_norm = self.engine.get_global_grad_norm()
            stop_if_not_finite(f"[{self.stage}] step {self.step + 1}", self.args.output_dir,
                               values={"gradient norm": None if grad_norm is None else float(grad_norm)},
                               counts={"non-finite training losses (micro-batches, all ranks)":
                                       all_reduce_sum([bad_losses])[0]})
            self.step += 1
            bar.update(1)
            if self.step % self.args.logging_steps == 0 or self.step == self.total_steps:
                metrics = self._log_window(window, self.tracker.elapsed() - window_start)
                bar.set_postfix(loss=f"{metrics['train/loss']:.3f}", tok_s=f"{metrics['train/tokens_per_s']:.0f}")
                window, window_start = {}, self.tracker.elapsed()
            if self.eval_dataset is not None and self.args.eval_steps and self.step % self.args.eval_steps == 0 \
                    and self.step < self.total_steps:
                self.tracker.log(self.step, self.evaluate())
            if self.args.save_steps and self.step % self.args.save_steps == 0 and self.step < self.total_steps:
                self.save()
        bar.close()
        if self.final_eval is None:  # not when resumed from the last checkpoint, which holds it (and its log line)
            final = {}
            if self.eval_dataset is not None:
                final = self.evaluate()
                self.tracker.log(self.step, final)
            self.final_eval = final  # read by a stage's export (the reward model records its held-out accuracy)
            self.save()
        final = self.final_eval
        self.export()
        extra = self.end_of_training()
        self.tracker.summary(extra={"eval_before": self.eval_before, **extra})
        self.tracker.close()
        self.report(final)
        return final

    def _log_window(self, window: dict, seconds: float) -> dict:
        keys = sorted(window)
        sums = dict(zip(keys, all_reduce_sum([window[k] for k in keys])))  # same key order on every rank
        n = sums.pop("_micro")
        tokens, samples, slots = sums.pop("_tokens"), sums.pop("_samples"), sums.pop("_slots")
        self.tracker.add(int(tokens), int(samples))
        metrics = {f"train/{k}": v / n for k, v in sums.items()}
        metrics["train/pad_share"] = 1.0 - tokens / max(slots, 1)  # padding among the positions the model ran on
        metrics.update({"train/lr": self.engine.get_lr()[0], "train/epoch": self.step / self.steps_per_epoch,
                        "train/tokens_per_s": tokens / max(seconds, 1e-9)})
        grad_norm = self.engine.get_global_grad_norm()
        if grad_norm is not None:
            metrics["train/grad_norm"] = float(grad_norm)
        self.tracker.log(self.step, metrics)
        return metrics

    def sharded_batches(self, dataset, items: list = None, collate=None):
        """The held-out traversal every stage shares: this rank's share of ``items`` (default: every item of
        ``dataset``), rank-strided in batches of ``--per_device_eval_batch_size``. Every rank yields the same number
        of batches (ZeRO-3 gathers weights collectively): past the end a slot repeats the last item and is not
        ``real``. Yields ``(batch on the device, item indices, real)``."""
        items = list(range(len(dataset))) if items is None else list(items)
        n, bs = len(items), self.args.per_device_eval_batch_size
        per_rank = math.ceil(n / self.world_size)
        for start in range(0, per_rank, bs):
            slots = [self.rank + self.world_size * i for i in range(start, min(start + bs, per_rank))]
            idx = [items[min(s, n - 1)] for s in slots]
            batch = self.to_device((collate or self.collate)([dataset[i] for i in idx]))
            yield batch, idx, [s < n for s in slots]

    @torch.no_grad()
    def evaluate(self) -> dict:
        self.engine.eval()
        totals = {}
        for batch, _, real in self.sharded_batches(self.eval_dataset):
            weights = torch.tensor([float(r) for r in real], device=device())
            for k, (s, w) in self.eval_step(batch, weights).items():
                acc = totals.setdefault(k, [0.0, 0.0])
                acc[0] += float(s)
                acc[1] += float(w)
        keys = sorted(totals)
        reduced = all_reduce_sum([v for k in keys for v in totals[k]])
        metrics = {k: reduced[2 * i] / max(reduced[2 * i + 1], 1e-12) for i, k in enumerate(keys)}
        self.engine.train()
        return self.finish_eval(metrics)

    def report(self, final: dict):
        """One console line comparing the evaluation before and after training."""
        if self.rank != 0 or not final:
            return
        parts = [f"{k} {self.eval_before[k]:.4f} -> {v:.4f}" for k, v in final.items() if k in self.eval_before]
        print(f"\n[{self.stage}] {'; '.join(parts)}; {self.tracker.elapsed():.0f} s; model in "
              f"{self.args.output_dir}/final", flush=True)

    # --- checkpoints ---------------------------------------------------------------------------------------------
    def client_state(self) -> dict:
        return {"global_step": self.step, "epoch": self.step // self.steps_per_epoch,
                "data_position": self.step % self.steps_per_epoch, "tracker": self.tracker.state_dict(),
                "eval_before": self.eval_before, "final_eval": self.final_eval, "run_config": self.tracker.config}

    def save(self):
        checkpoint.save_checkpoint(self.args.output_dir, self.step, {"model": self.engine}, self.client_state(),
                                   keep=self.args.save_total_limit)
        if self.args.save_snapshots:
            checkpoint.export_final(self.engine.module, self.tokenizer, self.args.output_dir,
                                    base_model_name_or_path=self.base_model_name,
                                    name=os.path.join("snapshots", f"step-{self.step:06d}"))

    def resume(self, path: str):
        state = checkpoint.load_checkpoint(path, {"model": self.engine})
        self.step = state["global_step"]
        self.tracker.load_state_dict(state["tracker"])
        self.eval_before = state["eval_before"]
        self.final_eval = state.get("final_eval")
        if self.rank == 0:
            print(f"[{self.stage}] resumed from {path} at step {self.step}", flush=True)


class NonFiniteError(RuntimeError):
    """A loss, reward or gradient norm went NaN or infinite: the run stops there, exporting nothing."""


def stop_if_not_finite(where: str, output_dir: str, values: dict = None, counts: dict = None):
    """Raise ``NonFiniteError`` naming ``where`` (the stage and step), each bad quantity and the last good checkpoint,
    when a value of ``values`` is NaN or infinite or a count of non-finite items in ``counts`` is above 0. The numbers
    must agree on every rank (reduce them first), so every rank stops together."""
    bad = [f"{k} = {v:g}" for k, v in (values or {}).items() if v is not None and not math.isfinite(v)]
    bad += [f"{k} = {v:g}" for k, v in (counts or {}).items() if v > 0]
    if bad:
        found = checkpoint.list_checkpoints(output_dir)
        raise NonFiniteError(f"{where}: {'; '.join(bad)}. Stopped before saving or exporting anything from this "
                             f"step; the last good checkpoint is {found[-1] if found else '(none)'}.")


def epoch_batches(n_items: int, global_batch: int, steps: int, seed: int, window: int = 0, lengths=None) -> list:
    """An epoch's ``steps`` global batches in training order: lists of item indices, a function of ``seed``.

    The items are shuffled; with length grouping (a ``window`` of W > 0 global batches), each window of the shuffled
    items is sorted by ``lengths`` and cut into global batches, and the epoch's batches are shuffled, so a
    micro-batch holds rows of similar length (less padding) while which items meet and in what order stays random.
    The items past the last whole batch are left out, as without it.
    """
    generator = torch.Generator().manual_seed(seed)
    order, G = torch.randperm(n_items, generator=generator)[: steps * global_batch].tolist(), global_batch
    if not window:
        return [order[s: s + G] for s in range(0, len(order), G)]
    batches = []
    for w in range(0, len(order), window * G):
        by_length = sorted(order[w: w + window * G], key=lambda i: lengths[i])
        batches += [by_length[s: s + G] for s in range(0, len(by_length), G)]
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]


def total_steps(args, n_items: int, world_size: int) -> int:
    """Optimizer steps of the run; refuses (before any model loads) a global batch larger than the data."""
    batch = args.per_device_train_batch_size * args.gradient_accumulation_steps * world_size
    if batch > n_items:
        raise ConfigError(f"one optimizer step takes {batch} training items (--per_device_train_batch_size x "
                          f"--gradient_accumulation_steps x {world_size} rank(s)) but the training file has "
                          f"{n_items}")
    if args.max_steps > 0:
        return args.max_steps
    per_epoch = n_items // batch
    return max(1, math.ceil(args.num_train_epochs * per_epoch))


# --- construction helpers shared by the stages' from_args -------------------------------------------------------
def start_run(train_args) -> tuple:
    """``(rank, world_size, resume_path)``: distributed set-up, the run directory (``open_run_dir``, before any
    model loads) and the seed every rank shares while models are built (identical initial weights)."""
    rank, world_size = init_distributed()
    resume = open_run_dir(train_args, rank)
    checkpoint.seed_everything(train_args.seed)
    return rank, world_size, resume


def open_run_dir(train_args, rank: int):
    """Take the output directory for this process (one writer at a time: a pipeline restarted while its old stage
    still runs is refused), clear it with ``--overwrite_output_dir``, and return the checkpoint to resume from. An
    earlier run in the directory is continued only by ``--resume_from_checkpoint`` (and only with the same
    settings: ``open_tracker``); a fresh start over it is refused."""
    out = train_args.output_dir
    if rank == 0:
        lock_directory(out)
    barrier()
    if train_args.overwrite_output_dir:
        if rank == 0:
            checkpoint.clear_run(out)
        barrier()
    resume = checkpoint.resolve_resume(train_args.resume_from_checkpoint, out)
    if not resume:
        earlier = checkpoint.list_checkpoints(out) + [p for p in (os.path.join(out, "final"),) if os.path.exists(p)]
        if earlier:
            raise ValueError(f"{out} holds an earlier run ({', '.join(earlier[-2:])}): pass --resume_from_checkpoint "
                             f"auto to continue it, --overwrite_output_dir to start afresh, or another --output_dir")
    return resume


def make_ds_config(model_args, train_args, world_size: int, steps: int) -> tuple:
    """``(ds_config, dtype)``: a DeepSpeed config of its own for one engine, "auto" fields filled for this model."""
    dtype = resolve_dtype(model_args.dtype)
    hidden = load_model_config(model_args.model_name_or_path).hidden_size
    return engine_config(train_args, world_size, dtype, hidden_size=hidden, total_steps=steps), dtype


def make_engine(model, model_args, train_args, ds_config: dict, steps: int, rank: int):
    """Gradient checkpointing if asked, the trainable engine, then per-rank RNG streams (dropout, sampling)."""
    if model_args.gradient_checkpointing:
        enable_gradient_checkpointing(model)
    engine = create_engine(model, ds_config, train_args, steps)
    checkpoint.seed_everything(train_args.seed + rank)
    return engine


def open_tracker(train_args, rank: int, config: dict, resume):
    """The run's tracker, positioned at ``resume`` (from ``start_run``), whose run must have had the same settings
    as ``config``: the arguments and what follows from them and the data (item counts, parameter counts, ranks)."""
    if resume:
        checkpoint.check_run_config(resume, config)
    return Tracker(train_args.output_dir, rank, config,
                   resume_step=checkpoint.checkpoint_step(resume) if resume else None)


def base_name_for_export(name_or_path: str, continues_adapter: bool = True):
    """The exported adapter's base as the user named it (``embedded:NAME``, not a cache path; a directory as an
    absolute path, so the export loads from anywhere on this machine).

    ``continues_adapter``: SFT keeps training an adapter it was given, whose config already names its base (None).
    PPO and DPO (``False``) merge the given adapter and train a new one on top: that new adapter's base is the
    given adapter, recorded here, so loading the export gives back SFT + PPO/DPO and not the bare base + PPO/DPO.
    """
    if continues_adapter and is_adapter_dir(resolve_model_path(name_or_path)):
        return None
    return os.path.abspath(name_or_path) if os.path.isdir(name_or_path) else name_or_path
