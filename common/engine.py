"""The one entry point to DeepSpeed: config filling, distributed set-up and engine creation.

A DeepSpeed JSON config may leave fields as ``"auto"``; ``fill_ds_config`` fills them from the stage's
arguments so a config file describes *how* to shard and the command line says *what* to train:

* batch sizes and accumulation from ``--per_device_train_batch_size`` / ``--gradient_accumulation_steps``;
* ``gradient_clipping`` from ``--max_grad_norm``;
* an ``optimizer`` block's lr / betas / eps / weight_decay (without a block we pass torch AdamW ourselves);
* a ``scheduler`` block's step counts and peak lr (without a block we pass our own warm-up + decay schedule);
* ``bf16`` / ``fp16`` ``enabled`` from the model's dtype, ZeRO-3 bucket sizes from the model's hidden size;
* ``--zero_stage`` overrides the config's stage.
"""
import copy
import json
import math
import os
import socket

import deepspeed
import torch

AUTO = "auto"
SHM_COMM_OP = "deepspeed_shm_comm"  # DeepSpeed's name of its CPU shared-memory collectives

DEFAULT_DS_CONFIG = {
    "train_micro_batch_size_per_gpu": AUTO,
    "gradient_accumulation_steps": AUTO,
    "train_batch_size": AUTO,
    "gradient_clipping": AUTO,
    "zero_optimization": {"stage": 0},
    "bf16": {"enabled": AUTO},
    "steps_per_print": 1_000_000_000,
    "wall_clock_breakdown": False,
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def init_distributed() -> tuple:
    """Start torch.distributed through DeepSpeed; returns ``(rank, world_size)``.

    Under the ``deepspeed`` launcher the environment is already set; a plain ``python launch/x.py`` becomes a
    world of one (so every script also runs without the launcher), which skips DeepSpeed's shared-memory
    collectives (nothing to share with).
    """
    if "WORLD_SIZE" not in os.environ:
        os.environ.update(RANK="0", LOCAL_RANK="0", WORLD_SIZE="1", MASTER_ADDR="127.0.0.1",
                          MASTER_PORT=str(_free_port()))
    if os.environ["WORLD_SIZE"] == "1":
        # A world of one never communicates: DeepSpeed would compile its shared-memory collectives for the CPU
        # (about 50 s on a fresh 2-core machine, the first stage of every fresh run) and never call them.
        deepspeed.ops.__compatible_ops__[SHM_COMM_OP] = False
    deepspeed.init_distributed(verbose=False)
    return torch.distributed.get_rank(), torch.distributed.get_world_size()


def device() -> torch.device:
    from deepspeed.accelerator import get_accelerator

    return torch.device(get_accelerator().current_device_name())


def load_ds_config(path=None) -> dict:
    """Read a DeepSpeed JSON config; ``None`` gives the built-in ZeRO-0 config (same as ds_zero0.json)."""
    if path is None:
        return copy.deepcopy(DEFAULT_DS_CONFIG)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}:{e.lineno}: invalid DeepSpeed config JSON ({e.msg})") from None
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 text (byte 0x{e.object[e.start]:02x} at byte {e.start + 1})") from None


def zero_stage(config: dict) -> int:
    return int(config.get("zero_optimization", {}).get("stage", 0))


def fill_ds_config(config: dict, args, world_size: int, dtype: torch.dtype, hidden_size: int = None,
                   total_steps: int = None) -> dict:
    """Return a copy of ``config`` with every ``"auto"`` field filled from ``args`` (a TrainingArguments).

    A field the config sets to a value must agree with the command line's (default or given): a config with a
    micro-batch of 2 against ``--per_device_train_batch_size 4`` would otherwise train on other batches than the
    command line says. Disagreements are refused, each named with both values.
    """
    cfg = copy.deepcopy(config)
    conflicts = []

    def fill(block: dict, key: str, value, flag: str, path: str):
        if block.get(key, AUTO) == AUTO:
            block[key] = value
        elif (list(block[key]) if isinstance(block[key], (list, tuple)) else block[key]) != \
                (list(value) if isinstance(value, (list, tuple)) else value):
            conflicts.append(f"{path} is {block[key]!r} but {flag} is {value!r}")

    if args.zero_stage is not None:
        cfg.setdefault("zero_optimization", {})["stage"] = args.zero_stage
    micro, accum = args.per_device_train_batch_size, args.gradient_accumulation_steps
    fill(cfg, "train_micro_batch_size_per_gpu", micro, "--per_device_train_batch_size",
         "train_micro_batch_size_per_gpu")
    fill(cfg, "gradient_accumulation_steps", accum, "--gradient_accumulation_steps", "gradient_accumulation_steps")
    fill(cfg, "train_batch_size", micro * accum * world_size,
         f"--per_device_train_batch_size x --gradient_accumulation_steps x {world_size} rank(s)", "train_batch_size")
    fill(cfg, "gradient_clipping", args.max_grad_norm, "--max_grad_norm", "gradient_clipping")
    if "optimizer" in cfg:
        params = cfg["optimizer"].setdefault("params", {})
        fill(params, "lr", args.learning_rate, "the learning rate (--learning_rate, or --critic_learning_rate for "
             "the critic)", "optimizer.params.lr")
        fill(params, "betas", [args.adam_beta1, args.adam_beta2], "--adam_beta1/--adam_beta2", "optimizer.params.betas")
        fill(params, "eps", args.adam_epsilon, "--adam_epsilon", "optimizer.params.eps")
        fill(params, "weight_decay", args.weight_decay, "--weight_decay", "optimizer.params.weight_decay")
        # DeepSpeed's fused Adam is a CUDA kernel (on the CPU it JIT-compiles a slow stand-in); torch's is exact.
        params.setdefault("torch_adam", not torch.cuda.is_available())
    if "scheduler" in cfg:
        params = cfg["scheduler"].setdefault("params", {})
        fill(params, "total_num_steps", total_steps, "the run's optimizer steps (--max_steps or epochs)",
             "scheduler.params.total_num_steps")
        fill(params, "warmup_num_steps", args.warmup_steps, "--warmup_steps", "scheduler.params.warmup_num_steps")
        fill(params, "warmup_max_lr", args.learning_rate, "--learning_rate", "scheduler.params.warmup_max_lr")
        if params.get("warmup_min_lr", AUTO) == AUTO:
            params["warmup_min_lr"] = 0.0
    if conflicts:
        raise ValueError("the DeepSpeed config and the command line disagree (make them agree, or set the config "
                         "field to \"auto\"): " + "; ".join(conflicts))
    for name, wanted in (("bf16", torch.bfloat16), ("fp16", torch.float16)):
        if name in cfg and cfg[name].get("enabled", AUTO) == AUTO:
            cfg[name]["enabled"] = dtype == wanted
    zero = cfg.setdefault("zero_optimization", {})
    if hidden_size:
        for key, value in (("reduce_bucket_size", hidden_size * hidden_size),
                           ("stage3_prefetch_bucket_size", int(0.9 * hidden_size * hidden_size)),
                           ("stage3_param_persistence_threshold", 10 * hidden_size)):
            if zero.get(key, AUTO) == AUTO:
                zero[key] = value
    leftover = [k for k, v in _walk(cfg) if v == AUTO]
    if leftover:
        raise ValueError(f"DeepSpeed config fields left 'auto' that this stage cannot fill: {', '.join(leftover)}")
    return cfg


def engine_config(args, world_size: int, dtype: torch.dtype, hidden_size: int = None, total_steps: int = None) -> dict:
    """A filled DeepSpeed config for ONE engine, read afresh from ``args.deepspeed_config``: engines never share a
    filled config (each trainable engine's optimizer block carries its own learning rate and step count)."""
    return fill_ds_config(load_ds_config(args.deepspeed_config), args, world_size, dtype, hidden_size, total_steps)


def _walk(d, prefix=""):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from _walk(v, f"{prefix}{k}.")
        else:
            yield f"{prefix}{k}", v


def lr_lambda(lr_scheduler_type: str, warmup_steps: int, total_steps: int):
    """Multiplier of the peak lr at optimizer step s: linear warm-up, then cosine / linear decay to 0 or constant."""

    def f(step: int) -> float:
        if step < warmup_steps:
            return (step + 1) / (warmup_steps + 1)
        if lr_scheduler_type == "constant":
            return 1.0
        progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
        if lr_scheduler_type == "linear":
            return 1.0 - progress
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    return f


def create_engine(model, ds_config: dict, args, total_steps: int):
    """A trainable engine over ``model``'s parameters that require grad (LoRA weights, or everything).

    ``ds_config`` must already be filled. Without an optimizer block we hand DeepSpeed torch AdamW; without a
    scheduler block, our schedule (``lr_lambda``). On the CPU the config's AdamW is torch's too, so ZeRO stages
    differ only in sharding, never in the update rule.
    """
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("the model has no trainable parameters")
    optimizer = scheduler = None
    if "optimizer" not in ds_config:
        optimizer = torch.optim.AdamW(params, lr=args.learning_rate, betas=(args.adam_beta1, args.adam_beta2),
                                      eps=args.adam_epsilon, weight_decay=args.weight_decay)
    if "scheduler" not in ds_config:
        # A callable: DeepSpeed applies it to whichever optimizer it ends up with (ours or its own).
        multiplier = lr_lambda(args.lr_scheduler_type, args.warmup_steps, total_steps)
        scheduler = lambda opt: torch.optim.lr_scheduler.LambdaLR(opt, multiplier)  # noqa: E731
    engine, _, _, _ = deepspeed.initialize(model=model, model_parameters=params, optimizer=optimizer,
                                           lr_scheduler=scheduler, config=ds_config)
    return engine


def create_inference_engine(model, ds_config: dict):
    """A frozen engine (reference or reward model): no optimizer, parameters sharded under ZeRO-3.

    ZeRO-1 and -2 shard optimizer states and gradients, which a frozen model has none of (DeepSpeed refuses
    them without an optimizer), so below stage 3 the frozen engine is a plain ZeRO-0 one; ZeRO-3 keeps its
    parameter sharding (and parameter offload) and drops the optimizer offload.
    """
    cfg = {k: v for k, v in copy.deepcopy(ds_config).items() if k not in ("optimizer", "scheduler")}
    zero = cfg.setdefault("zero_optimization", {})
    if zero_stage(cfg) < 3:
        cfg["zero_optimization"] = {"stage": 0}
    else:
        zero.pop("offload_optimizer", None)
    model.requires_grad_(False)
    model.eval()
    engine, _, _, _ = deepspeed.initialize(model=model, config=cfg)
    return engine


def all_reduce_sum(values: list) -> list:
    """Sum a list of floats over all ranks (one collective)."""
    t = torch.tensor(values, dtype=torch.float64, device=device())
    if torch.distributed.is_initialized() and torch.distributed.get_world_size() > 1:
        torch.distributed.all_reduce(t)
    return t.tolist()


def barrier():
    if torch.distributed.is_initialized():
        torch.distributed.barrier()
