"""Model and tokenizer loading, LoRA wrapping, and the scalar-head model for reward and critic.

Every path argument accepts ``embedded:NAME`` as well as a local checkpoint directory. A run's ``final/``
directory holding a LoRA adapter loads as base + adapter (the adapter stays trainable when training goes on).
"""
import contextlib
import json
import os

import torch
from torch import nn
from transformers import AutoConfig, AutoModel, AutoModelForCausalLM, AutoTokenizer

from . import shared_prefix, zero3
from .embedded import resolve_model_path
from .forward import last_token_scores

ADAPTER_CONFIG = "adapter_config.json"
SCALAR_HEAD_CONFIG = "scalar_head_config.json"  # marks a reward model / critic export
BASE_MODEL_FILE = "base_model.json"  # an adapter's base as the user named it (e.g. embedded:NAME)


def resolve_dtype(name: str) -> torch.dtype:
    """``auto``: bfloat16 on a GPU that supports it, float32 otherwise (bfloat16 is emulated, slow, on CPUs)."""
    if name == "auto":
        if torch.cuda.is_available() and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32
    return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]


def inference_device() -> torch.device:
    """The device of a single-process model (evaluation, pair collection, serving): the GPU when there is one."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def is_adapter_dir(path: str) -> bool:
    return os.path.isfile(os.path.join(path, ADAPTER_CONFIG))


def _adapter_base(path: str) -> str:
    """An adapter directory's base: the name the user gave (``base_model.json``, portable across machines for an
    ``embedded:`` model), else the directory peft's own config records."""
    from peft import PeftConfig

    record = os.path.join(path, BASE_MODEL_FILE)
    if os.path.isfile(record):
        with open(record, encoding="utf-8") as f:
            return json.load(f)["base_model_name_or_path"]
    return PeftConfig.from_pretrained(path).base_model_name_or_path


def record_adapter_base(peft_model, name_or_path=None) -> dict:
    """Point ``peft_model``'s adapter configs at a base that plain transformers + peft can load, before saving.

    peft's ``adapter_config.json`` gets the resolved directory (``embedded:NAME`` becomes its cache directory, a
    local path stays as it is), so ``AutoPeftModelForCausalLM.from_pretrained(final)`` works; the name as given
    (``name_or_path``, else what the config held) is returned for ``write_base_record``, which our loaders prefer
    (an embedded name resolves on any machine, a cache path only on this one).
    """
    name = name_or_path or next(iter(peft_model.peft_config.values())).base_model_name_or_path
    if name and os.path.isdir(name):
        name = os.path.abspath(name)
    for c in peft_model.peft_config.values():
        c.base_model_name_or_path = resolve_model_path(name) if name else name
    return {"base_model_name_or_path": name}


def write_base_record(directory: str, record: dict) -> None:
    with open(os.path.join(directory, BASE_MODEL_FILE), "w", encoding="utf-8") as f:
        json.dump(record, f, indent=2)


def root_base(name_or_path: str) -> str:
    """The pretrained model at the bottom of a chain of adapters (PPO on SFT on base -> base), as named there."""
    while is_adapter_dir(resolve_model_path(name_or_path)):
        name_or_path = _adapter_base(resolve_model_path(name_or_path))
    return name_or_path


def model_fingerprint(name_or_path: str) -> dict:
    """What identifies a model's weights, for keying caches computed from it: per directory of its chain (an
    adapter, its base adapter, ..., the pretrained model), the path and a SHA-1 over its files' names and contents
    (files over 256 MiB: their size, modification time and first and last MiB, so a 1 GB model costs milliseconds)."""
    import hashlib

    chain, name = [], name_or_path
    while True:
        path = os.path.abspath(resolve_model_path(name))
        h = hashlib.sha1()
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for f in sorted(files):
                full = os.path.join(root, f)
                size = os.path.getsize(full)
                h.update(f"{os.path.relpath(full, path)}\0{size}\0".encode())
                with open(full, "rb") as fh:
                    if size <= 256 << 20:
                        h.update(fh.read())
                    else:
                        h.update(str(os.stat(full).st_mtime_ns).encode() + fh.read(1 << 20))
                        fh.seek(-(1 << 20), os.SEEK_END)
                        h.update(fh.read())
        chain.append({"path": path, "sha1": h.hexdigest()})
        if not is_adapter_dir(path):
            return {"name": name_or_path, "chain": chain}
        name = _adapter_base(path)


def load_model_config(name_or_path: str):
    """The HF config of a checkpoint, or of the pretrained model under an adapter (or a chain of adapters)."""
    return AutoConfig.from_pretrained(resolve_model_path(root_base(name_or_path)))


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
                   adapter: str = "trainable"):
    """A causal LM, loaded straight into ZeRO-3 shards when ``ds_config`` is stage 3.

    A directory holding a LoRA adapter (a run's ``final/``) gives base + adapter, with ``adapter``:
    ``trainable`` (continue training it), ``frozen`` (a fixed model), or ``merge`` (merged into the base weights,
    a plain model again, so a new adapter can go on top and ``disable_adapter`` gives back this model: how PPO and
    DPO start from an SFT adapter). Their exports name that SFT adapter as their base, and load here as the SFT
    adapter merged plus theirs on top. A merged model is built whole on each rank before DeepSpeed shards it.
    """
    from peft import PeftModel

    path = resolve_model_path(name_or_path)
    if not is_adapter_dir(path):
        with zero3.partitioned_loading(ds_config or {}):
            return AutoModelForCausalLM.from_pretrained(path, dtype=dtype)
    base_name = _adapter_base(path)
    if is_adapter_dir(resolve_model_path(base_name)):
        # A stacked adapter (PPO or DPO on top of an SFT adapter): its base is that adapter merged into its own
        # base, built whole, as when training started.
        base = load_causal_lm(base_name, dtype, adapter="merge")
        model = PeftModel.from_pretrained(base, path, is_trainable=adapter == "trainable")
        return model.merge_and_unload() if adapter == "merge" else model
    if adapter == "merge":
        base = AutoModelForCausalLM.from_pretrained(resolve_model_path(base_name), dtype=dtype)
        return PeftModel.from_pretrained(base, path).merge_and_unload()
    with zero3.partitioned_loading(ds_config or {}):
        base = AutoModelForCausalLM.from_pretrained(resolve_model_path(base_name), dtype=dtype)
        return PeftModel.from_pretrained(base, path, is_trainable=adapter == "trainable")


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


VALUE_HEAD = "value_head"  # the attribute of a causal LM that carries a shared critic's head (PPO --critic shared)


def add_value_head(model):
    """A shared critic: a linear value head, weight and bias at 0, on ``model``'s last hidden states (a causal LM or
    a peft model of one), registered as its submodule ``value_head`` so that the model's engine trains it, gathers
    it under ZeRO-3 and saves it in checkpoints. Exports leave it out (``checkpoint.export_final``). Returns
    ``model``.

    Zero start, as the separate critic's ``--critic_head zero``: every first value is 0, the mean of a reward
    normalised on the initial policy's samples, and no value gradient reaches the body until the head has moved.
    """
    hidden_size = model.config.hidden_size
    dtype = next(model.parameters()).dtype
    head = nn.Linear(hidden_size, 1, dtype=dtype)
    nn.init.zeros_(head.weight)
    nn.init.zeros_(head.bias)
    setattr(model, VALUE_HEAD, head)
    return model


def enable_gradient_checkpointing(model):
    """Recompute activations in backward; non-reentrant so frozen inputs (LoRA) still get gradients."""
    model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model.config.use_cache = False


def disable_dropout(model):
    """Every dropout of ``model`` at p = 0, in place; returns ``model``.

    For RL and DPO (as TRL and OpenRLHF do): the model stays in training mode, so gradient checkpointing (which
    transformers applies only in training mode) keeps working, while two forwards of the same batch give the same
    log-probs (PPO's ratio is exactly 1 before the first update; DPO's reference and policy agree at step 0).
    Covers ``nn.Dropout`` modules (LoRA's included) and the attention-probability dropout that transformers'
    attention modules read from a float attribute.
    """
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.p = 0.0
        if isinstance(getattr(m, "attention_dropout", None), float):
            m.attention_dropout = 0.0
    config = getattr(model, "config", None)
    for name in ("attention_dropout", "hidden_dropout", "dropout", "resid_pdrop", "embd_pdrop", "attn_pdrop"):
        if isinstance(getattr(config, name, None), float):
            setattr(config, name, 0.0)
    return model


def count_parameters(model) -> tuple:
    """(trainable, total) parameter counts; ZeRO-3 shards count with their full size (``ds_numel``)."""
    trainable = total = 0
    for p in model.parameters():
        n = getattr(p, "ds_numel", p.numel())
        total += n
        trainable += n if p.requires_grad else 0
    return trainable, total


def load_backbone(name_or_path: str, dtype: torch.dtype = torch.float32, ds_config: dict = None):
    """The transformer body (no LM head) of a causal LM checkpoint, for a reward model or critic.

    ``name_or_path``: ``embedded:NAME``, a checkpoint directory (a full ScalarHeadModel export's directory too), or
    a run's ``final/`` LoRA adapter (an SFT model): that adapter is merged into its base, so the body is exactly
    the SFT model and a new adapter can go on top. A merged body is built whole on each rank before DeepSpeed
    shards it; a plain checkpoint loads straight into ZeRO-3 shards.
    """
    path = resolve_model_path(name_or_path)
    if is_adapter_dir(path):
        if os.path.isfile(os.path.join(path, SCALAR_HEAD_CONFIG)):
            raise ValueError(f"{name_or_path}: a LoRA reward-model export, not a causal LM; load it with "
                             "ScalarHeadModel.from_pretrained")
        return load_causal_lm(name_or_path, dtype=dtype, adapter="merge").base_model
    with zero3.partitioned_loading(ds_config or {}):
        return AutoModel.from_pretrained(path, dtype=dtype)


def apply_backbone_lora(backbone, peft_args):
    """LoRA on a ScalarHeadModel body (``lora_rank`` 0: unchanged, full fine-tuning).

    No peft task type: the body has no LM head, and plain ``PeftModel`` forwards every argument as it is.
    """
    from peft import LoraConfig, PeftModel, get_peft_model

    if isinstance(backbone, PeftModel) or peft_args.lora_rank == 0:
        return backbone
    return get_peft_model(backbone, LoraConfig(
        target_modules=[m.strip() for m in peft_args.lora_target_modules.split(",") if m.strip()],
        r=peft_args.lora_rank, lora_alpha=peft_args.lora_alpha, lora_dropout=peft_args.lora_dropout))


VALUE_HEAD_FILE = "value_head.safetensors"


def _head_config(path: str) -> dict:
    """An export's ``scalar_head_config.json`` (``path`` resolved)."""
    with open(os.path.join(path, SCALAR_HEAD_CONFIG), encoding="utf-8") as f:
        return json.load(f)


def _scalars(head, hidden, gain: float, bias: float) -> torch.Tensor:
    """gain · head(hidden) + bias in float32, (B, T): a scalar-head model's values."""
    values = head(hidden).squeeze(-1).float()
    if gain != 1.0 or bias != 0.0:
        values = values * gain + bias
    return values


class ScalarHeadModel(nn.Module):
    """A transformer backbone with a linear value head: one scalar per token.

    The reward model reads the scalar at the last real token (``score``); the critic reads it at every response
    token (``forward``). The last real token is found from the attention mask, so left-padded prompts and
    PAD != EOS are handled.

    ``score_gain`` and ``score_bias`` (1 and 0 until a reward model is normalised) map the head's output h to
    gain·h + bias in ``forward``, hence in ``score`` too: a normalised reward model scores its reference responses
    with mean 0 and std 1, and a critic started from it predicts values on that same scale. They are plain floats
    (not parameters: never trained, never cast to bf16) saved in ``scalar_head_config.json``.

    An export (``save_pretrained``) is a directory with ``scalar_head_config.json``, ``value_head.safetensors``
    and the backbone: a LoRA adapter (peft format; its base is ``base_model_name_or_path`` in the JSON, as the
    user named it) or a full backbone (``config.json`` + ``model.safetensors``).
    """

    def __init__(self, backbone: nn.Module, hidden_size: int):
        super().__init__()
        self.backbone = backbone
        self.hidden_size = hidden_size
        self.value_head = nn.Linear(hidden_size, 1)
        # Small initial values keep the first critic / reward outputs near 0 (std 1/sqrt(d+1), as in the original
        # RLHF code) so early PPO advantages are not dominated by an arbitrary head.
        nn.init.normal_(self.value_head.weight, std=1.0 / (hidden_size + 1) ** 0.5)
        nn.init.zeros_(self.value_head.bias)
        self.score_gain, self.score_bias = 1.0, 0.0
        self.base_model_name_or_path = None  # recorded in exports; set by whoever builds the model

    @classmethod
    def from_backbone(cls, name_or_path: str, dtype: torch.dtype = torch.float32, ds_config: dict = None):
        """A new value head on the body of a causal LM (any ``load_backbone`` argument, e.g. an SFT ``final/``)."""
        backbone = load_backbone(name_or_path, dtype=dtype, ds_config=ds_config)
        model = cls(backbone, backbone.config.hidden_size)
        model.value_head.to(dtype)
        model.base_model_name_or_path = name_or_path
        return model

    @classmethod
    def from_pretrained(cls, path: str, dtype: torch.dtype = torch.float32, ds_config: dict = None,
                        trainable: bool = False):
        """Reload an export. ``trainable=False``: a frozen model in eval mode (the PPO reward model);
        ``trainable=True``: the value head and the adapter (or, for a full backbone, every weight) train (a critic
        started from the reward model). Under ZeRO-3 the backbone loads straight into shards."""
        from peft import PeftModel
        from safetensors.torch import load_file

        path = resolve_model_path(path)
        cfg = _head_config(path)
        if is_adapter_dir(path):
            backbone = load_backbone(cfg["base_model_name_or_path"], dtype=dtype, ds_config=ds_config)
            with zero3.partitioned_loading(ds_config or {}):
                backbone = PeftModel.from_pretrained(backbone, path, is_trainable=trainable)
        else:
            with zero3.partitioned_loading(ds_config or {}):
                backbone = AutoModel.from_pretrained(path, dtype=dtype)
        model = cls(backbone, cfg["hidden_size"])
        model.value_head.load_state_dict(load_file(os.path.join(path, VALUE_HEAD_FILE)))
        model.value_head.to(dtype)
        model.score_gain, model.score_bias = float(cfg["gain"]), float(cfg["bias"])
        model.base_model_name_or_path = cfg["base_model_name_or_path"]
        if trainable:
            model.value_head.requires_grad_(True)
            return model.train()
        model.requires_grad_(False)
        return model.eval()

    def save_pretrained(self, save_directory: str, extra_config: dict = None) -> str:
        """Write an export (the layout in the class docstring) that ``from_pretrained`` reloads.

        Collective under ZeRO-3 (every weight is gathered first, so no file holds empty shards): call it on
        every rank; rank 0 writes, and other ranks must pass a barrier before reading the files.
        ``extra_config`` adds keys to the JSON (e.g. normalisation statistics).
        """
        from peft import PeftModel, get_peft_model_state_dict
        from safetensors.torch import save_file

        rank = torch.distributed.get_rank() if torch.distributed.is_initialized() else 0
        lora = isinstance(self.backbone, PeftModel)
        head = zero3.full_state_dict(self.value_head)
        body = zero3.full_state_dict(self.backbone, only=(lambda n: "lora_" in n) if lora else None)
        if rank == 0:
            os.makedirs(save_directory, exist_ok=True)
            if lora:
                record = record_adapter_base(self.backbone, self.base_model_name_or_path)
                self.backbone.save_pretrained(save_directory, state_dict=get_peft_model_state_dict(
                    self.backbone, state_dict=body), safe_serialization=True)
                write_base_record(save_directory, record)
            else:
                self.backbone.save_pretrained(save_directory, state_dict=body)
            save_file({k: v.contiguous() for k, v in head.items()}, os.path.join(save_directory, VALUE_HEAD_FILE))
            cfg = {"hidden_size": self.hidden_size, "gain": self.score_gain, "bias": self.score_bias,
                   "base_model_name_or_path": self.base_model_name_or_path,
                   "backbone": "lora_adapter" if lora else "full", **(extra_config or {})}
            with open(os.path.join(save_directory, SCALAR_HEAD_CONFIG), "w", encoding="utf-8") as f:
                json.dump(cfg, f, indent=2)
        return save_directory

    @property
    def config(self):
        return self.backbone.config

    def gradient_checkpointing_enable(self, **kwargs):
        self.backbone.gradient_checkpointing_enable(**kwargs)

    def hidden_states(self, input_ids, attention_mask):
        """The body's last hidden states, (B, T, H); a prefix the rows share is computed once (``shared_prefix``)."""
        def run(ids, mask, positions, cache):
            return self.backbone(input_ids=ids, attention_mask=mask, position_ids=positions, past_key_values=cache,
                                 use_cache=cache is not None).last_hidden_state

        return shared_prefix.last_hidden(self.backbone, run, input_ids, attention_mask)

    def forward(self, input_ids, attention_mask):
        return _scalars(self.value_head, self.hidden_states(input_ids, attention_mask), self.score_gain,
                        self.score_bias)

    def score(self, input_ids, attention_mask):
        return last_token_scores(self, input_ids, attention_mask)  # (B,)


class AdapterRewardModel:
    """A LoRA reward model that lives on another scalar-head model's body (PPO's critic started from it) as a
    second, frozen adapter: the one copy of the base weights serves both.

    The critic is the reward model's export, its adapter trainable; the reward model is the same base with that
    adapter as exported. Both were once two models holding the same base weights; here the export's adapter is
    loaded a second time under the name ``adapter`` (frozen), and scoring runs the host's body with it active
    (eval mode, no checkpointing; the host's active adapter and trainable flags restored exactly after), then the
    export's own head, gain and bias. The same numbers as the separate reward model (tested), one base fewer in
    memory. ``score_gain`` / ``score_bias`` are this reward model's, as on ``ScalarHeadModel``.
    """

    def __init__(self, host: ScalarHeadModel, path: str, dtype: torch.dtype, ds_config: dict = None,
                 adapter: str = "reward"):
        from safetensors.torch import load_file

        path = resolve_model_path(path)
        cfg = _head_config(path)
        self.host, self.adapter = host, adapter
        with zero3.partitioned_loading(ds_config or {}):
            host.backbone.load_adapter(path, adapter_name=adapter, is_trainable=False)
        self.value_head = nn.Linear(cfg["hidden_size"], 1).to(dtype)  # tiny: a plain module, never sharded
        self.value_head.load_state_dict(load_file(os.path.join(path, VALUE_HEAD_FILE)))
        self.value_head.requires_grad_(False)
        self.score_gain, self.score_bias = float(cfg["gain"]), float(cfg["bias"])

    @staticmethod
    def fits(host, path: str) -> bool:
        """Whether the reward model at ``path`` can live on ``host``: a LoRA export and a host whose body is a peft
        model (a critic loaded from that same export)."""
        from peft import PeftModel

        return is_adapter_dir(resolve_model_path(path)) and isinstance(host.backbone, PeftModel)

    def to(self, device):
        self.value_head.to(device)
        return self

    def __call__(self, input_ids, attention_mask):
        body = self.host.backbone
        with zero3.eval_without_checkpointing(body), active_adapter(body, self.adapter):
            hidden = self.host.hidden_states(input_ids, attention_mask)
        return _scalars(self.value_head, hidden, self.score_gain, self.score_bias)

    def score(self, input_ids, attention_mask):
        return last_token_scores(self, input_ids, attention_mask)  # (B,)


@contextlib.contextmanager
def active_adapter(peft_model, name: str):
    """Run ``peft_model`` with its adapter ``name`` active; the adapter active before and every parameter's
    ``requires_grad`` (which peft's ``set_adapter`` changes) are restored on exit."""
    flags = [(p, p.requires_grad) for p in peft_model.parameters()]
    before = peft_model.active_adapter
    peft_model.set_adapter(name)
    try:
        yield peft_model
    finally:
        peft_model.set_adapter(before)
        for p, flag in flags:
            p.requires_grad_(flag)
