"""Model and tokenizer loading, LoRA wrapping, and the scalar-head model for reward and critic.

Every path argument accepts ``embedded:NAME`` as well as a local checkpoint directory. A run's ``final/``
directory holding a LoRA adapter loads as base + adapter (the adapter stays trainable when training goes on).
"""
import os

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, AutoModelForCausalLM, AutoTokenizer

from . import zero3
from .embedded import resolve_model_path
from .ops import last_token_index, position_ids_from_mask

ADAPTER_CONFIG = "adapter_config.json"


def resolve_dtype(name: str) -> torch.dtype:
    """``auto``: bfloat16 on a GPU that supports it, float32 otherwise (bfloat16 is emulated, slow, on CPUs)."""
    if name == "auto":
        if torch.cuda.is_available() and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32
    return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]


def is_adapter_dir(path: str) -> bool:
    return os.path.isfile(os.path.join(path, ADAPTER_CONFIG))


def _adapter_base(path: str) -> str:
    from peft import PeftConfig

    return PeftConfig.from_pretrained(path).base_model_name_or_path


def load_model_config(name_or_path: str):
    """The HF config of a checkpoint, or of the base model of an adapter directory."""
    path = resolve_model_path(name_or_path)
    return AutoConfig.from_pretrained(resolve_model_path(_adapter_base(path)) if is_adapter_dir(path) else path)


def load_tokenizer(name_or_path: str, padding_side: str = "right"):
    """The tokenizer, with a pad token guaranteed (masks never depend on pad vs EOS)."""
    path = resolve_model_path(name_or_path)
    tokenizer = AutoTokenizer.from_pretrained(path)
    if tokenizer.pad_token is None:
        # Prefer a pad distinct from EOS, as Qwen2.5 has; falling back to EOS is harmless because every mask is
        # built from lengths.
        candidate = "<|endoftext|>"
        tokenizer.pad_token = candidate if candidate in tokenizer.get_vocab() and candidate != tokenizer.eos_token \
            else tokenizer.eos_token
    tokenizer.padding_side = padding_side
    return tokenizer


def load_causal_lm(name_or_path: str, dtype: torch.dtype = torch.float32, ds_config: dict = None,
                   trainable_adapter: bool = True):
    """A causal LM, loaded straight into ZeRO-3 shards when ``ds_config`` is stage 3.

    A directory holding a LoRA adapter (a run's ``final/``) gives base + adapter; ``trainable_adapter`` keeps
    the adapter's weights trainable (continuing training) or freezes them (a reference model).
    """
    path = resolve_model_path(name_or_path)
    with zero3.partitioned_loading(ds_config or {}):
        if is_adapter_dir(path):
            from peft import PeftModel

            base = AutoModelForCausalLM.from_pretrained(resolve_model_path(_adapter_base(path)), dtype=dtype)
            return PeftModel.from_pretrained(base, path, is_trainable=trainable_adapter)
        return AutoModelForCausalLM.from_pretrained(path, dtype=dtype)


def apply_lora(model, peft_args):
    """Wrap ``model`` with LoRA adapters (``lora_rank`` 0: return it unchanged for full fine-tuning)."""
    from peft import LoraConfig, PeftModel, TaskType, get_peft_model

    if isinstance(model, PeftModel) or peft_args.lora_rank == 0:
        return model  # an adapter loaded from final/ keeps training as it is
    config = LoraConfig(
        task_type=TaskType.CAUSAL_LM,
        inference_mode=False,
        target_modules=[m.strip() for m in peft_args.lora_target_modules.split(",") if m.strip()],
        r=peft_args.lora_rank,
        lora_alpha=peft_args.lora_alpha,
        lora_dropout=peft_args.lora_dropout,
    )
    return get_peft_model(model, config)


def enable_gradient_checkpointing(model):
    """Recompute activations in backward; non-reentrant so frozen inputs (LoRA) still get gradients."""
    model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model.config.use_cache = False


def count_parameters(model) -> tuple:
    """(trainable, total) parameter counts; ZeRO-3 shards count with their full size (``ds_numel``)."""
    trainable = total = 0
    for p in model.parameters():
        n = getattr(p, "ds_numel", p.numel())
        total += n
        trainable += n if p.requires_grad else 0
    return trainable, total


class ScalarHeadModel(nn.Module):
    """A transformer backbone with a linear value head: one scalar per token.

    The reward model reads the scalar at the last real token (``score``); the critic reads it at every response
    token (``forward``). The last real token is found from the attention mask, so left-padded prompts and
    PAD != EOS are handled.
    """

    def __init__(self, backbone: nn.Module, hidden_size: int):
        super().__init__()
        self.backbone = backbone
        self.value_head = nn.Linear(hidden_size, 1)
        # Small initial values keep the first critic / reward outputs near 0 (std 1/sqrt(d+1), as in the original
        # RLHF code) so early PPO advantages are not dominated by an arbitrary head.
        nn.init.normal_(self.value_head.weight, std=1.0 / (hidden_size + 1) ** 0.5)
        nn.init.zeros_(self.value_head.bias)

    @classmethod
    def from_backbone(cls, name_or_path: str, dtype: torch.dtype = torch.float32, ds_config: dict = None):
        path = resolve_model_path(name_or_path)
        config = AutoConfig.from_pretrained(path)
        with zero3.partitioned_loading(ds_config or {}):
            backbone = AutoModel.from_pretrained(path, dtype=dtype)
        model = cls(backbone, config.hidden_size)
        model.value_head.to(dtype)
        return model

    def forward(self, input_ids, attention_mask):
        hidden = self.backbone(input_ids=input_ids, attention_mask=attention_mask,
                               position_ids=position_ids_from_mask(attention_mask)).last_hidden_state  # (B, T, H)
        return self.value_head(hidden).squeeze(-1).float()  # (B, T)

    def score(self, input_ids, attention_mask):
        values = self(input_ids, attention_mask)  # (B, T)
        idx = last_token_index(attention_mask)  # (B,)
        return values.gather(1, idx.unsqueeze(1)).squeeze(1)  # (B,)
