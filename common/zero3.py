"""ZeRO-3 specifics: partitioned loading and gathering of sharded parameters.

Under ZeRO-3 every rank holds only a shard of each weight; the full tensor exists only inside
``GatheredParameters``. The fast generation path (gather once, remove DeepSpeed's per-module fetch hooks,
decode with the KV cache, re-register the hooks) lives here too.
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
