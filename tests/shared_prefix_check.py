"""Two-rank ZeRO-3 check of the shared-prefix forward, run by tests/test_shared_prefix.py under the deepspeed launcher:

    deepspeed --num_gpus 2 tests/shared_prefix_check.py --out DIR

Under ZeRO-3 every model call gathers the shards with collectives, so the ranks must call the model equally often
even when their batches share different amounts (one rank's batch splits into three levels, the other's into two or
none). Every rank writes DIR/rank{R}.json: per scenario the forwards it planned and made and the largest difference
between the split forward's hidden states and a plain forward's; then the loss of twin engines after one training
step each, one through the split forward and one through the plain forward. The launcher's timeout turns a hang
into a failure.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

from common import shared_prefix, zero3  # noqa: E402
from common.checkpoint import seed_everything  # noqa: E402
from common.config import PeftArguments, TrainingArguments  # noqa: E402
from common.engine import create_engine, fill_ds_config, init_distributed, load_ds_config  # noqa: E402
from common.forward import final_hidden  # noqa: E402
from common.modeling import apply_lora, load_causal_lm, load_model_config  # noqa: E402
from common.ops import position_ids_from_mask  # noqa: E402

MODEL = "embedded:tiny-qwen2"


def batch(rows: list):
    T = max(map(len, rows))
    ids = torch.zeros(len(rows), T, dtype=torch.long)
    mask = torch.zeros(len(rows), T, dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)], mask[i, : len(r)] = torch.tensor(r), 1
    return ids, mask


def layouts(vocab: int, rank: int) -> dict:
    """Batches that split into 3 forwards (pairs), 2 (a common prefix only) and 1 (nothing shared)."""
    g = torch.Generator().manual_seed(10 + rank)
    tokens = lambda n: torch.randint(5, vocab, (n,), generator=g).tolist()  # noqa: E731
    system = tokens(16)
    prompts = [tokens(n) for n in (9, 12, 5)]
    responses = [tokens(n) for n in (6, 11, 4, 8, 3, 9)]
    return {3: batch([system + p + r for p, r in zip(prompts + prompts, responses)]),
            2: batch([system + p + r for p, r in zip(prompts, responses)]),
            1: batch([p + r for p, r in zip(prompts, responses)])}


def plain_hidden(engine, ids, mask):
    out = engine(input_ids=ids, attention_mask=mask, position_ids=position_ids_from_mask(mask),
                 output_hidden_states=True, logits_to_keep=1, use_cache=False)
    return out.hidden_states[-1]


def counted(engine, fn):
    """``fn()`` and how many times it called the model."""
    calls = []
    handle = zero3.unwrap(engine).register_forward_pre_hook(lambda *a: calls.append(1))
    try:
        return fn(), len(calls)
    finally:
        handle.remove()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--local_rank", type=int, default=-1)
    args = p.parse_args()
    rank, world = init_distributed()
    targs = TrainingArguments(output_dir=args.out, per_device_train_batch_size=6, learning_rate=1e-2,
                              lr_scheduler_type="constant", max_grad_norm=1.0)
    config = load_model_config(MODEL)
    ds_config = fill_ds_config(load_ds_config("launch/configs/ds_zero3.json"), targs, world, torch.float32,
                               hidden_size=config.hidden_size, total_steps=4)
    engines = []
    for _ in range(2):  # twins: same seed, same weights and LoRA initialisation
        seed_everything(0)
        model = apply_lora(load_causal_lm(MODEL, ds_config=ds_config),
                           PeftArguments(lora_rank=4, lora_alpha=16, lora_dropout=0.0))
        engines.append(create_engine(model, ds_config, targs, 4))
    split_engine, plain_engine = engines
    data = layouts(config.vocab_size, rank)
    rec = {"rank": rank, "world_size": world, "zero3": zero3.parameter_offload(split_engine) is not None,
           "scenarios": []}
    # rank 0 always has pairs (3 forwards planned); rank 1 has pairs, a common prefix only, or nothing shared
    for other in (3, 2, 1):
        ids, mask = data[3] if rank == 0 else data[other]
        with torch.no_grad():
            hidden, calls = counted(split_engine, lambda: final_hidden(split_engine, ids, mask))
            expected = plain_hidden(split_engine, ids, mask)
        real = mask.bool()
        rec["scenarios"].append({"planned": shared_prefix.forwards(shared_prefix.plan(ids, mask)), "calls": calls,
                                 "max_diff": (hidden[real] - expected[real]).abs().max().item()})

    # one training step of each twin on rank-specific batches (rank 1: a common prefix only), then both losses again
    ids, mask = data[3] if rank == 0 else data[2]
    weights = torch.randn(*ids.shape, config.hidden_size, generator=torch.Generator().manual_seed(5 + rank))
    weights = weights * mask.unsqueeze(-1)

    def loss_of(engine):
        return (final_hidden(engine, ids, mask) * weights).sum() / mask.sum()

    ratio = shared_prefix.MAX_COST_RATIO
    for engine, share in ((split_engine, ratio), (plain_engine, -1.0)):  # -1: no split is ever cheap enough
        shared_prefix.MAX_COST_RATIO = share
        engine.train()
        loss = loss_of(engine)
        engine.backward(loss)
        engine.step()
        rec.setdefault("loss_before", []).append(loss.item())
    shared_prefix.MAX_COST_RATIO = -1.0
    with torch.no_grad():
        rec["loss_after"] = [loss_of(e).item() for e in engines]
    with open(os.path.join(args.out, f"rank{rank}.json"), "w") as f:
        json.dump(rec, f)


if __name__ == "__main__":
    main()
