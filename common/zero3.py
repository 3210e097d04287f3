"""ZeRO-3 specifics: partitioned loading and gathering of sharded parameters.

Under ZeRO-3 every rank holds only a shard of each weight; the full tensor exists only inside
``GatheredParameters``. The fast generation path (gather once, remove DeepSpeed's per-module fetch hooks,
decode with the KV cache, re-register the hooks) lives here too.

Version pin: ``gathered_for_generation`` uses DeepSpeed's private ZeRO-3 hook API (listed in its docstring), which
may change in any minor release; setup.py pins ``deepspeed>=0.19,<0.20`` and the tests exercise it on 0.19.8.
"""
import contextlib

import deepspeed
from transformers.integrations import HfDeepSpeedConfig


@contextlib.contextmanager
def partitioned_loading(ds_config: dict):
    """While active, ``from_pretrained`` loads straight into ZeRO-3 shards (never a full copy per rank).

    transformers finds the config through a module-level weak reference, so we hold the object for the duration
    of the load. Outside stage 3 this does nothing.
    """
    if int(ds_config.get("zero_optimization", {}).get("stage", 0)) != 3:
        yield
        return
    hf_ds_config = HfDeepSpeedConfig(ds_config)
    try:
        yield
    finally:
        del hf_ds_config


def is_partitioned(param) -> bool:
    return hasattr(param, "ds_id")


@contextlib.contextmanager
def gathered(params, modifier_rank=None):
    """Full tensors of ``params`` on every rank for the duration; a no-op for unpartitioned parameters."""
    params = [p for p in params if is_partitioned(p)]
    if not params:
        yield
        return
    with deepspeed.zero.GatheredParameters(params, modifier_rank=modifier_rank):
        yield


def unwrap(model):
    """The ``nn.Module`` inside a DeepSpeed engine; a plain module is returned as it is."""
    return model.module if isinstance(model, deepspeed.DeepSpeedEngine) else model


def parameter_offload(engine):
    """DeepSpeed's ZeRO-3 parameter manager of ``engine`` (it owns the per-module fetch hooks), or None.

    deepspeed 0.19.8 keeps it in two places: a trainable engine's ZeRO-3 optimizer
    (``DeepSpeedZeroOptimizer_Stage3``) holds it as ``engine.optimizer.parameter_offload``; a frozen engine built
    without an optimizer (``create_inference_engine``) gets the ``DeepSpeedZeRoOffload`` itself as
    ``engine.optimizer``. Anything else (ZeRO 0-2, a plain module) has none.
    """
    from deepspeed.runtime.zero.parameter_offload import DeepSpeedZeRoOffload

    if not isinstance(engine, deepspeed.DeepSpeedEngine):
        return None
    offload = getattr(engine.optimizer, "parameter_offload", engine.optimizer)
    return offload if isinstance(offload, DeepSpeedZeRoOffload) else None


@contextlib.contextmanager
def eval_without_checkpointing(module):
    """Eval mode and no gradient checkpointing for the duration; both restored exactly, module by module.

    transformers marks checkpointed blocks with an instance attribute ``gradient_checkpointing = True``; flipping
    those flags (rather than ``gradient_checkpointing_disable`` / ``enable``) keeps the checkpoint function and
    its kwargs (e.g. ``use_reentrant=False``) untouched, so training resumes exactly as configured.
    """
    modes = [(m, m.training) for m in module.modules()]
    checkpointed = [m for m in module.modules() if vars(m).get("gradient_checkpointing") is True]
    for m in checkpointed:
        m.gradient_checkpointing = False
    module.eval()
    try:
        yield module
    finally:
        for m in checkpointed:
            m.gradient_checkpointing = True
        for m, training in modes:
            m.training = training


@contextlib.contextmanager
def _lora_merged(module, copy: bool = False):
    """peft LoRA weights merged into the base weights for the duration, then unmerged.

    ``copy=False``: only inside ``GatheredParameters(modifier_rank=None)``. On exit DeepSpeed re-partitions every
    gathered parameter from its untouched shard (``ds_tensor``) and drops the full tensor, so the merge's in-place
    edits never reach the shards and the weights come back bit for bit.

    ``copy=True`` (unsharded weights): each adapted layer's weight is replaced by a copy that the merge edits, and the
    original tensor is put back on exit, untouched (merging and unmerging in place would leave W + ΔW − ΔW, which
    float rounding makes differ from W). Costs one more copy of the adapted weights while inside.

    Either way ``unmerge_adapter`` runs so peft's ``merged`` flags are reset (a layer that believes it is merged
    skips its LoRA branch in training).
    """
    from peft import PeftModel
    from peft.tuners.tuners_utils import BaseTunerLayer

    layers = [m for m in module.modules() if isinstance(m, BaseTunerLayer)] if isinstance(module, PeftModel) else []
    uses = {}
    for _, p in module.named_parameters(remove_duplicate=False):
        uses[id(p)] = uses.get(id(p), 0) + 1
    # A weight shared with another module (an adapted lm_head tied to the input embeddings, as in Qwen2.5-0.5B):
    # merging would change that module too, and the sampler would no longer be the model PPO scores.
    tied = any(uses.get(id(getattr(layer.get_base_layer(), "weight", None)), 0) > 1 for layer in layers)
    if not layers or tied or any(layer.merged for layer in layers):
        yield  # no adapter, a tied weight, or one merged by someone else: decode with the adapter unmerged
        return
    originals = [(layer.get_base_layer(), layer.get_base_layer().weight.data) for layer in layers] if copy else []
    for base, data in originals:
        base.weight.data = data.clone()
    module.base_model.merge_adapter()
    try:
        yield
    finally:
        module.base_model.unmerge_adapter()
        for base, data in originals:
            base.weight.data = data


@contextlib.contextmanager
def gathered_for_generation(engine, merge_lora: bool = False):
    """Gather a ZeRO-3 engine's weights once and decode without DeepSpeed's per-module fetch hooks.

    Yields the module to call ``generate`` on. Under ZeRO-3 every forward of a hooked module all-gathers each
    layer's weights (and frees them after), once per decoded token. Here the whole module is gathered once
    (``GatheredParameters``), the hooks are removed (``_remove_module_hooks``: every submodule's forward /
    backward hooks and the root's start-of-forward hook), and each rank's forward is purely local. On exit the
    hooks come back as they were (same hook functions for the root, ``_register_deepspeed_module`` with the
    module ids it had before, so the coordinator's trace is re-recorded on the next training forward, as after
    any re-registration) and the full weights are released; training continues exactly as without generation.

    No collective runs between entering and leaving: ranks may decode different numbers of tokens. Removing the
    root's start-of-forward hook matters for that: it calls ``reset_step``, which compares module traces across
    ranks (a collective) whenever the trace is not complete, as it is right after re-registration.

    ``merge_lora``: merge a peft LoRA adapter into the weights while decoding (one matmul per adapted projection
    instead of three, no adapter branch: a decode step about a quarter faster on the CPU); exact on exit, see
    ``_lora_merged``. Under ZeRO-3 it merges into the gathered weights; outside it, into a copy of each adapted
    weight (one more copy of those weights while decoding).

    Outside ZeRO-3 nothing is gathered: the generation state is set (eval mode, gradient checkpointing off, both
    restored) and the adapter merged if asked.

    Memory: every rank holds the full weights while inside. For a model too large for that, use naive mode
    (``generate(..., mode="naive")``, ``--generation_mode naive``): decoding through the hooks, which gather and
    prefetch layer by layer within ``stage3_max_live_parameters``. A chunked gather (a few layers at a time) is
    deliberately not offered: every decoded token needs every layer, so a chunk would be gathered again at every
    step, which is exactly what the hooks already do, only without their prefetching.

    DeepSpeed internals used (0.19.8): ``DeepSpeedZeRoOffload.forward_hooks`` / ``backward_hooks`` /
    ``fwd_pre_hook`` (RemovableHandles), ``_remove_module_hooks()``, ``_register_deepspeed_module(module, count)``,
    ``partition_all_parameters()``. DeepSpeed's own ``deepspeed.runtime.zero.unwrap_model_for_generation`` is not
    used: it keeps the start-of-forward hook (the collective above), renumbers the modules from a counter shared
    by every engine, and leaves the hooks off if generation raises.
    """
    module = unwrap(engine)
    offload = parameter_offload(engine)
    if offload is None and any(is_partitioned(p) for p in module.parameters()):
        raise ValueError("gathered generation of a ZeRO-3 model needs its DeepSpeed engine, not engine.module "
                         "(the engine owns the fetch hooks that must be removed)")
    with eval_without_checkpointing(module):
        if offload is None:
            with _lora_merged(module, copy=True) if merge_lora else contextlib.nullcontext():
                yield module
            return
        # Start clean: wait for in-flight prefetches, release what the last forward left gathered.
        offload.partition_all_parameters()
        start_hook = offload.fwd_pre_hook
        start_fn = start_hook.hooks_dict_ref()[start_hook.id]
        with deepspeed.zero.GatheredParameters(list(module.parameters())):
            offload._remove_module_hooks()
            offload.forward_hooks, offload.backward_hooks = [], []  # removed handles, not kept growing
            try:
                if merge_lora:
                    with _lora_merged(module):
                        yield module
                else:
                    yield module
            finally:
                # Same order as DeepSpeedZeRoOffload.setup_zero_stage3_hooks: start-of-forward hook first.
                offload.fwd_pre_hook = offload.module.register_forward_pre_hook(start_fn)
                offload._register_deepspeed_module(offload.module, count=[offload.module.ds_id])


def full_state_dict(model, only=None) -> dict:
    """CPU copies of ``model``'s parameters (gathered under ZeRO-3; never empty shards) and buffers.

    ``only`` filters parameter names (e.g. the LoRA weights). Collective under ZeRO-3: call on every rank.
    """
    out = {}
    for name, p in model.named_parameters():
        if only is not None and not only(name):
            continue
        with gathered([p]):
            out[name] = p.detach().cpu().clone()
    if only is None:
        for name, b in model.named_buffers():
            out[name] = b.detach().cpu().clone()
    return out
