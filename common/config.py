"""Argument groups: the framework every group uses, and the training core's own groups.

Each group is a dataclass that ``transformers.HfArgumentParser`` parses; each field's help is its ``--help`` text.
A group lives beside the code that owns it (``rlhf/ppo_config.py``, ``dpo/trainer.py``, the product's modules) and
validates itself: ``problems(groups)`` lists what is wrong with it, also in combination with the other groups of
the same command line. A field with a fixed set of values declares it once with ``choice``: argparse and
``validate`` both check it, and its help lists it.

``parse_args`` also reads a recipe file (``--recipe launch/configs/NAME.yaml``, ``load_recipe``): its ``common``
section and the stage's own, as flags; flags on the command line come after them and win.

Pure: imports only the standard library (``HfArgumentParser`` and ``yaml`` are imported inside ``parse_args``).
"""
import dataclasses
import os
from dataclasses import dataclass, field
from typing import Optional


# How a frozen reference model is held (PPO and DPO): a separate engine, or the LoRA model with its adapter off.
REF_MODES = ("separate", "adapter_disabled")


class ConfigError(ValueError):
    """An impossible or inconsistent combination of arguments."""


def _help(text: str) -> dict:
    return {"help": " ".join(text.split())}


def choice(default, choices: tuple, help: str):
    """A field that takes one of ``choices`` (checked by argparse and by ``validate``; listed in its help)."""
    listed = ", ".join(str(c) for c in choices)
    return field(default=default, metadata={"help": " ".join(f"{help} One of: {listed}.".split()),
                                            "choices": list(choices)})


def find(groups, kind):
    """The group of type ``kind`` among ``groups``, or None."""
    return next((g for g in groups if isinstance(g, kind)), None)


def missing_files(group, *names) -> list:
    return [f"--{n} {getattr(group, n)}: no such file" for n in names
            if getattr(group, n) and not os.path.isfile(getattr(group, n))]


class Arguments:
    """Base of every argument group."""

    def problems(self, groups) -> list:
        """What is wrong with this group, alone or with the other ``groups`` of the command line."""
        return []

    def choice_problems(self) -> list:
        out = []
        for f in dataclasses.fields(self):
            allowed = f.metadata.get("choices")
            value = getattr(self, f.name)
            if allowed is not None and value is not None and value not in allowed:
                out.append(f"--{f.name} must be one of {', '.join(str(c) for c in allowed)}, not {value!r}")
        return out


@dataclass
class ModelArguments(Arguments):
    model_name_or_path: Optional[str] = field(
        default=None, metadata=_help("A local HF checkpoint directory, a run's final/ directory, or embedded:NAME "
                                     "(embedded:tiny-qwen2, embedded:smollm2-135m).")
    )
    tokenizer_name_or_path: Optional[str] = field(
        default=None, metadata=_help("Tokenizer directory when it differs from the model's.")
    )
    trust_remote_code: bool = field(default=False, metadata=_help("Allow model code shipped with the checkpoint."))
    dtype: str = choice("auto", ("auto", "float32", "bfloat16", "float16"),
                        "auto: bfloat16 on a GPU that supports it, float32 otherwise.")
    gradient_checkpointing: bool = field(
        default=False, metadata=_help("Recompute activations in the backward pass to save memory.")
    )

    def problems(self, groups) -> list:
        named_elsewhere = any(getattr(g, "NAMES_ITS_MODELS", False) for g in groups)
        return [] if self.model_name_or_path or named_elsewhere else ["--model_name_or_path is required"]


@dataclass
class DataArguments(Arguments):
    train_file: Optional[str] = field(default=None, metadata=_help("Training JSONL file."))
    eval_file: Optional[str] = field(default=None, metadata=_help("Evaluation JSONL file (optional)."))
    prompt_column: str = field(default="prompt", metadata=_help("Key of the prompt in each JSONL object."))
    response_column: str = field(default="response", metadata=_help("Key of the response in each JSONL object."))
    max_source_length: int = field(
        default=256, metadata=_help("Most prompt tokens (chat template included); longer student text is cut.")
    )
    max_target_length: int = field(default=128, metadata=_help("Most response tokens; longer responses are cut."))
    system_prompt: str = field(
        default="", metadata=_help("System message of the chat template (empty: none). The EasyDS launch scripts "
                                   "default to EasyDS's own (easyds/situations.py).")
    )
    max_eval_samples: int = field(default=0, metadata=_help("Use N evaluation items spread evenly over the file (0 = all)."))
    num_samples: int = field(
        default=3, metadata=_help("Sample generations on evaluation prompts printed and logged after training.")
    )

    def problems(self, groups) -> list:
        out = missing_files(self, "train_file", "eval_file")
        if self.max_source_length < 8:
            out.append(f"--max_source_length must be at least 8, got {self.max_source_length}")
        if self.max_target_length < 1:
            out.append(f"--max_target_length must be at least 1, got {self.max_target_length}")
        if self.max_eval_samples < 0 or self.num_samples < 0:
            out.append("--max_eval_samples and --num_samples must be >= 0")
        return out


@dataclass
class PeftArguments(Arguments):
    lora_rank: int = field(default=8, metadata=_help("LoRA rank; 0 = full fine-tuning."))
    lora_alpha: float = field(default=32.0, metadata=_help("LoRA scaling numerator (scaling = alpha / rank)."))
    lora_dropout: float = field(default=0.1, metadata=_help("Dropout on the LoRA input."))
    lora_target_modules: str = field(
        default="q_proj,k_proj,v_proj", metadata=_help("Comma-separated module names that get LoRA adapters.")
    )

    def problems(self, groups) -> list:
        out = []
        if self.lora_rank < 0:
            out.append(f"--lora_rank must be >= 0 (0 = full fine-tuning), got {self.lora_rank}")
        if self.lora_rank > 0:
            if self.lora_alpha <= 0:
                out.append(f"--lora_alpha must be > 0, got {self.lora_alpha}")
            if not 0.0 <= self.lora_dropout < 1.0:
                out.append(f"--lora_dropout must be in [0, 1), got {self.lora_dropout}")
            if not [m for m in self.lora_target_modules.split(",") if m.strip()]:
                out.append("--lora_target_modules is empty")
        train = find(groups, TrainingArguments)
        if train and train.merge_lora and self.lora_rank == 0:
            out.append("--merge_lora needs LoRA (--lora_rank > 0); full fine-tuning already exports a full model")
        return out


LENGTH_GROUP_BATCHES = 8  # the default window of length grouping, in global batches


@dataclass
class TrainingArguments(Arguments):
    output_dir: Optional[str] = field(default=None, metadata=_help("Run directory (metrics, checkpoints, final/)."))
    deepspeed_config: Optional[str] = field(
        default=None, metadata=_help("DeepSpeed JSON config; 'auto' fields are filled from these arguments. "
                                     "Default: launch/configs/ds_zero0.json.")
    )
    zero_stage: Optional[int] = choice(None, (0, 1, 2, 3), "Override the config's ZeRO stage.")
    local_rank: int = field(default=-1, metadata=_help("Set by the deepspeed launcher."))
    seed: int = field(default=42, metadata=_help("Seed of data order, initialisation, dropout and sampling."))
    max_steps: int = field(default=-1, metadata=_help("Optimizer steps to run; > 0 overrides num_train_epochs."))
    num_train_epochs: float = field(default=1.0, metadata=_help("Passes over the training data."))
    per_device_train_batch_size: int = field(default=4, metadata=_help("Micro-batch size per rank."))
    per_device_eval_batch_size: int = field(default=8, metadata=_help("Evaluation batch size per rank."))
    length_group_batches: Optional[int] = field(
        default=None, metadata=_help(
            "Less padding (SFT, reward model, DPO): each epoch's shuffled items are cut into windows of this many "
            "global batches, sorted by length within a window, and the batches shuffled; 0 = plain shuffle. Default "
            f"{LENGTH_GROUP_BATCHES}. PPO refuses it (its prompts are drawn in plain shuffled order).")
    )
    gradient_accumulation_steps: int = field(default=1, metadata=_help("Micro-batches per optimizer step."))
    learning_rate: float = field(default=2e-4, metadata=_help("Peak learning rate."))
    weight_decay: float = field(default=0.0, metadata=_help("AdamW weight decay."))
    adam_beta1: float = field(default=0.9, metadata=_help("AdamW beta1."))
    adam_beta2: float = field(default=0.999, metadata=_help("AdamW beta2."))
    adam_epsilon: float = field(default=1e-8, metadata=_help("AdamW epsilon."))
    lr_scheduler_type: str = choice("cosine", ("cosine", "linear", "constant"), "Schedule after the warm-up.")
    warmup_steps: int = field(default=0, metadata=_help("Linear warm-up steps."))
    max_grad_norm: float = field(default=1.0, metadata=_help("Gradient clipping norm (0 = off)."))
    logging_steps: int = field(default=10, metadata=_help("Log training metrics every N steps."))
    eval_steps: int = field(default=0, metadata=_help("Evaluate every N steps (0 = before and after training)."))
    save_steps: int = field(default=100, metadata=_help("Save a resumable checkpoint every N steps (0 = only at the end)."))
    save_total_limit: int = field(default=2, metadata=_help("Keep only the newest N checkpoints."))
    save_snapshots: bool = field(
        default=False, metadata=_help("With every checkpoint also export the model as final/ is exported, to "
                                      "snapshots/step-N/ (kept; for quality curves over training).")
    )
    resume_from_checkpoint: Optional[str] = field(
        default=None, metadata=_help("A checkpoint directory, or 'auto' for the newest one in output_dir/checkpoints.")
    )
    overwrite_output_dir: bool = field(
        default=False, metadata=_help("Start afresh in an output_dir that holds an earlier run: its checkpoints, "
                                      "final/, metrics and tensorboard logs are deleted first.")
    )
    merge_lora: bool = field(
        default=False, metadata=_help("Also export final/merged: the LoRA adapter merged into a standalone model.")
    )

    def problems(self, groups) -> list:
        out = [] if self.output_dir else ["--output_dir is required"]
        out += missing_files(self, "deepspeed_config")
        if self.max_steps <= 0 and self.num_train_epochs <= 0:
            out.append("set --max_steps > 0 or --num_train_epochs > 0")
        if self.length_group_batches is not None and self.length_group_batches < 0:
            out.append(f"--length_group_batches must be >= 0, got {self.length_group_batches}")
        for name in ("per_device_train_batch_size", "per_device_eval_batch_size", "gradient_accumulation_steps"):
            if getattr(self, name) < 1:
                out.append(f"--{name} must be >= 1, got {getattr(self, name)}")
        if self.learning_rate <= 0:
            out.append(f"--learning_rate must be > 0, got {self.learning_rate}")
        if self.logging_steps < 1 or self.save_steps < 0 or self.eval_steps < 0 or self.save_total_limit < 1:
            out.append("--logging_steps and --save_total_limit must be >= 1; --save_steps, --eval_steps >= 0")
        rc = self.resume_from_checkpoint
        if rc and rc != "auto" and not os.path.isdir(rc):
            out.append(f"--resume_from_checkpoint {rc}: no such directory (or use 'auto')")
        return out


def validate(*groups) -> None:
    """Every group's problems, the choices of its fields first; one ConfigError that lists them all."""
    problems = [p for g in groups for p in g.choice_problems() + g.problems(groups)]
    if problems:
        raise ConfigError("invalid arguments:\n  - " + "\n  - ".join(problems))


def load_recipe(path: str) -> dict:
    """A recipe file (YAML): a mapping of sections, each a mapping of flag names to values, plus top-level settings.
    ``extends: NAME`` starts from the recipe ``NAME.yaml`` beside it: each section of this file updates that
    section there, key by key."""
    import yaml  # lazy: keeps this module pure

    with open(path, encoding="utf-8") as f:
        recipe = yaml.safe_load(f) or {}
    if not isinstance(recipe, dict):
        raise ConfigError(f"{path}: expected a mapping of sections (common, sft, rm, ...)")
    base = recipe.pop("extends", None)
    if base is None:
        return recipe
    merged = load_recipe(os.path.join(os.path.dirname(os.path.abspath(path)), f"{base}.yaml"))
    for key, value in recipe.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def as_flags(section) -> list:
    """A recipe section as command-line flags: ``true`` is the bare flag, ``false`` and ``null`` give nothing."""
    flags = []
    for name, value in (section or {}).items():
        if value is True:
            flags.append(f"--{name}")
        elif value is not False and value is not None:
            flags += [f"--{name}", str(value)]
    return flags


def flag_value(args: list, flag: str, default=None):
    """The value of the last ``flag VALUE`` or ``flag=VALUE`` in ``args``."""
    value = default
    for i, a in enumerate(args):
        if a == flag and i + 1 < len(args):
            value = args[i + 1]
        elif a.startswith(flag + "="):
            value = a.split("=", 1)[1]
    return value


def recipe_flags(path: str, sections: tuple, argv: list) -> list:
    """The flags a recipe file gives a launch script: its ``sections`` in order (later ones win). A value the
    pipeline resolves (``auto:...``) must be given on the command line (``argv``) instead."""
    recipe = load_recipe(path)
    flags = []
    for section in sections:
        for name, value in (recipe.get(section) or {}).items():
            if isinstance(value, str) and value.startswith("auto:") and f"--{name}" not in argv:
                raise ConfigError(f"--recipe {path}: {section}.{name} is {value!r}, which the pipeline resolves; "
                                  f"give --{name} on the command line")
            flags += as_flags({name: value})
    return flags


def parse_args(*group_types, args=None, defaults: dict = None, sections: tuple = ()):
    """Parse the command line into instances of ``group_types`` (dataclasses) and validate them. ``defaults``
    replaces fields' defaults (the EasyDS launch scripts' system prompt). ``--recipe FILE`` reads the recipe's
    ``sections`` (e.g. ``("common", "sft")``) as flags placed before the command line's, which win."""
    import sys

    from transformers import HfArgumentParser  # lazy: keeps this module pure

    argv = list(sys.argv[1:] if args is None else args)
    if "--recipe" in argv:
        i = argv.index("--recipe")
        path = argv[i + 1] if i + 1 < len(argv) else None
        if not path or not os.path.isfile(path):
            raise ConfigError(f"--recipe {path}: no such file")
        rest = argv[:i] + argv[i + 2:]
        argv = recipe_flags(path, sections, rest) + rest
    parser = HfArgumentParser(group_types)
    if defaults:
        names = {f.name for t in group_types for f in dataclasses.fields(t)}
        parser.set_defaults(**{k: v for k, v in defaults.items() if k in names})
    groups = parser.parse_args_into_dataclasses(args=argv)
    validate(*groups)
    return groups


def to_dict(*groups) -> dict:
    """All groups' fields as one flat dict (for run_summary.json and tensorboard hparams)."""
    out = {}
    for g in groups:
        out.update(dataclasses.asdict(g))
    return out
