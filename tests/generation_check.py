"""Two-rank ZeRO-3 generation check, run by tests/test_generation.py through the deepspeed launcher:

    deepspeed --num_gpus 2 tests/generation_check.py --out DIR [--deepspeed_config launch/configs/ds_zero3_offload.json]

Every rank writes DIR/rank{R}.json with raw observations (token lists, losses, weight digests, hook counts);
the test asserts on them. Twin LoRA models A and B are built from one seed and trained identically under ZeRO-3
with gradient checkpointing; A then generates in every mode, B does not, and both take the same training steps.
Each rank has its own prompts (different counts and lengths) and, in the EOS part, its own EOS token, so ranks
decode different numbers of tokens. The launcher's timeout turns a hang into a failure.
"""
import argparse
import contextlib
import json
import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

from common import zero3  # noqa: E402
from common.checkpoint import seed_everything  # noqa: E402
from common.config import PeftArguments, TrainingArguments  # noqa: E402
from common.data import PromptCollator, PromptDataset  # noqa: E402
from common.engine import (all_reduce_sum, create_engine, create_inference_engine, fill_ds_config,  # noqa: E402
                           init_distributed, load_ds_config)
from common.generation import generate  # noqa: E402
from common.modeling import (apply_lora, enable_gradient_checkpointing, load_causal_lm,  # noqa: E402
                             load_model_config, load_tokenizer)
from common.ops import masked_mean  # noqa: E402
from common.forward import label_logprobs  # noqa: E402

MODEL = "embedded:tiny-qwen2"
PROMPTS = [  # rank 0 takes 3, rank 1 takes 2: different batch sizes and prompt lengths per rank
    ["Topic: stacks\nMy push works but pop returns the wrong element.",
     "Topic: heaps\nExercise 4: sift-down after removing the root.",
     "Topic: graphs\nBFS visits a node twice in my code, why?"],
    ["Topic: hashing\nLinear probing: my lookup loops forever when the table is full of tombstones and I do not "
     "know what to check first.",
     "Topic: sorting\nInsertion sort."],
]


COLLECTIVES = ("all_gather", "all_gather_into_tensor", "all_gather_coalesced", "all_reduce", "all_reduce_coalesced",
               "inference_all_reduce", "broadcast", "barrier", "reduce", "reduce_scatter", "reduce_scatter_tensor",
               "gather", "scatter", "all_to_all_single")


@contextlib.contextmanager
def counting_collectives():
    """Counts collectives issued while active: DeepSpeed's communication backend (ZeRO's gathers, its trace checks)
    and torch.distributed itself (transformers' ``synced_gpus`` flag). Ranks stay in step iff they issue the same
    sequence; the test compares the counts across ranks."""
    import deepspeed.comm.comm as ds_comm

    count, patched = [0], []

    def wrap(owner, name):
        fn, own = getattr(owner, name), name in vars(owner)

        def counted(*a, **k):
            count[0] += 1
            return fn(*a, **k)

        setattr(owner, name, counted)
        patched.append((owner, name, fn, own))

    for name in COLLECTIVES:
        if hasattr(ds_comm.cdb, name):
            wrap(ds_comm.cdb, name)
        if hasattr(torch.distributed, name):
            wrap(torch.distributed, name)
    try:
        yield count
    finally:
        for owner, name, fn, own in reversed(patched):
            if own:
                setattr(owner, name, fn)
            else:
                delattr(owner, name)


def counted_generate(*args, **kwargs) -> tuple:
    with counting_collectives() as count:
        out = generate(*args, **kwargs)
    return out, count[0]


def lora_args():
    return PeftArguments(lora_rank=8, lora_alpha=16, lora_dropout=0.1)


def full_state(engine) -> dict:
    """Every parameter, gathered whole, cloned (tiny model): the exact weights the engine holds."""
    module = zero3.unwrap(engine)
    with zero3.gathered(list(module.parameters())):
        return {n: p.detach().clone() for n, p in module.named_parameters()}


def load_varied(ds_config=None):
    """The tiny model with its matrices redrawn at std 0.3 (same on every rank), loaded into ZeRO-3 shards.

    Its stock random weights (std 0.02) give near-flat logits and greedy decoding repeats one token; with these it
    emits varied tokens, so identical outputs across modes mean something.
    """
    model = load_causal_lm(MODEL, ds_config=ds_config)
    g = torch.Generator().manual_seed(0)
    matrices = [p for p in model.parameters() if len(getattr(p, "ds_shape", p.shape)) == 2]
    with zero3.gathered(matrices, modifier_rank=0), torch.no_grad():
        for p in matrices:
            p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    return model


def hook_layout(module) -> list:
    """Per submodule: its DeepSpeed module id and how many forward hooks of each kind it carries."""
    return [[getattr(m, "ds_id", None), len(m._forward_pre_hooks), len(m._forward_hooks)] for m in module.modules()]


def train_step(engine, rank: int, step: int) -> float:
    """One optimizer step on a fixed per-rank batch of random tokens (first half labelled -100)."""
    g = torch.Generator().manual_seed(1000 * step + rank)
    vocab = load_model_config(MODEL).vocab_size
    ids = torch.randint(0, vocab, (2, 16), generator=g)
    labels = ids.clone()
    labels[:, :8] = -100
    batch = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": labels}
    torch.manual_seed(77 + step)  # LoRA dropout draws the same masks in both twins
    engine.train()
    logp, mask = label_logprobs(engine, batch)
    loss = -masked_mean(logp, mask)
    engine.backward(loss)
    engine.step()
    return loss.item()


def prompts_for(tokenizer, rank: int) -> tuple:
    ds = PromptDataset([{"prompt": p} for p in PROMPTS[rank]], tokenizer, max_source_length=128)
    batch = PromptCollator(tokenizer.pad_token_id)([ds[i] for i in range(len(ds))])
    return batch["input_ids"], batch["attention_mask"]


def plain_copy(state: dict, lora: bool):
    """An unsharded model with exactly ``state``'s weights (built without the ZeRO-3 config)."""
    model = load_causal_lm(MODEL)
    model = apply_lora(model, lora_args()) if lora else model
    assert not any(zero3.is_partitioned(p) for p in model.parameters())
    assert sorted(n for n, _ in model.named_parameters()) == sorted(state)  # tied weights appear once in both
    assert not model.load_state_dict(state, strict=False).unexpected_keys
    return model.eval()


def hf_generate(model, ids, mask, n, eos, pad):
    """transformers' own greedy generate on an unsharded model: the reference the modes must match."""
    with torch.no_grad():
        out = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=n, do_sample=False, eos_token_id=eos,
                             pad_token_id=pad, use_cache=True)
    return out[:, ids.shape[1]:].tolist()


def eos_at(row: list, step: int) -> int:
    """A token that ``row`` emits first at position >= ``step``: used as EOS, the row then stops right there."""
    for k in range(step, len(row)):
        if row[k] not in row[:k]:
            return row[k]
    raise AssertionError(f"no new token after step {step} in {row}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--deepspeed_config", default="launch/configs/ds_zero3.json")
    p.add_argument("--local_rank", type=int, default=-1)
    args = p.parse_args()
    rank, world = init_distributed()
    tok = load_tokenizer(MODEL, padding_side="left")
    n_new = 12
    targs = TrainingArguments(output_dir=args.out, per_device_train_batch_size=2, learning_rate=1e-2,
                              lr_scheduler_type="constant", max_grad_norm=1.0)
    ds_config = fill_ds_config(load_ds_config(args.deepspeed_config), targs, world, torch.float32,
                               hidden_size=load_model_config(MODEL).hidden_size, total_steps=10)
    rec = {"rank": rank, "world_size": world}
    never_eos = load_model_config(MODEL).vocab_size  # an EOS id no logit can pick: decoding runs to the end

    engines = []
    for _ in range(2):  # twins A and B: same seed, same weights, same LoRA initialisation
        seed_everything(0)
        model = apply_lora(load_varied(ds_config), lora_args())
        enable_gradient_checkpointing(model)
        engines.append(create_engine(model, ds_config, targs, 10))
    A, B = engines
    rec["zero3"] = [zero3.parameter_offload(e) is not None for e in engines]
    rec["losses_before"] = [[train_step(e, rank, s) for s in range(2)] for e in engines]

    # --- A generates; B does not ---------------------------------------------------------------------------------
    ids, mask = prompts_for(tok, rank)
    layout, checkpointed = hook_layout(A.module), [vars(m).get("gradient_checkpointing") for m in A.module.modules()]
    trained_state = full_state(A)
    rec["gathered"] = generate(A, tok, ids, mask, n_new, mode="gathered")
    rec["layout_kept"] = hook_layout(A.module) == layout
    rec["n_ds_hooks"] = len(zero3.parameter_offload(A).forward_hooks) + len(zero3.parameter_offload(A).backward_hooks)
    rec["merged"] = generate(A, tok, ids, mask, n_new, mode="gathered", merge_lora=True)
    rec["naive"] = generate(A, tok, ids, mask, n_new, mode="naive")
    rec["layout_kept_after_all"] = hook_layout(A.module) == layout
    rec["checkpointing_kept"] = [vars(m).get("gradient_checkpointing") for m in A.module.modules()] == checkpointed
    rec["training_kept"] = A.module.training and all(m.training for m in A.module.modules())
    rec["weights_kept"] = all(torch.equal(v, trained_state[k]) for k, v in full_state(A).items())
    rec["lora_unmerged"] = not any(getattr(m, "merged", False) for m in A.module.modules())
    try:  # the hooks belong to the engine: its bare module cannot be unhooked
        generate(A.module, tok, ids, mask, n_new, mode="gathered")
        rec["bare_module_rejected"] = False
    except ValueError:
        rec["bare_module_rejected"] = True
    plain = plain_copy(trained_state, lora=True)
    rec["unsharded"] = hf_generate(plain, ids, mask, n_new, tok.eos_token_id, tok.pad_token_id)

    # --- a different EOS per rank: rank 0 stops at its first token, rank 1 after 9 (one prompt each) ------------
    one_ids, one_mask = ids[-1:], mask[-1:]
    free = hf_generate(plain, one_ids, one_mask, n_new, never_eos, tok.pad_token_id)[0]
    eos = eos_at(free, 0 if rank == 0 else 8)
    rank_tok = types.SimpleNamespace(eos_token_id=eos, pad_token_id=tok.pad_token_id)
    rec["eos_expected"] = hf_generate(plain, one_ids, one_mask, n_new, eos, tok.pad_token_id)
    rec["eos_gathered"], rec["eos_gathered_collectives"] = counted_generate(A, rank_tok, one_ids, one_mask, n_new,
                                                                            mode="gathered")
    rec["eos_merged"], rec["eos_merged_collectives"] = counted_generate(A, rank_tok, one_ids, one_mask, n_new,
                                                                        mode="gathered", merge_lora=True)
    rec["eos_naive"], rec["eos_naive_collectives"] = counted_generate(A, rank_tok, one_ids, one_mask, n_new,
                                                                      mode="naive")
    rec["after_eos_all_reduce"] = all_reduce_sum([1.0])[0]  # a collective right after uneven decoding
    # Gathering costs a fixed number of collectives, decoding none: 1 token or 12, the same count.
    rec["collectives_1_vs_12"] = [counted_generate(A, tok, ids, mask, n, mode="gathered")[1] for n in (1, n_new)]
    rec["naive_collectives_1_vs_12"] = [counted_generate(A, tok, ids, mask, n, mode="naive")[1] for n in (1, n_new)]

    # --- the same training steps on A (after generation) and B (none): identical losses and weights --------------
    rec["losses_after"] = [[train_step(e, rank, s) for s in range(2, 4)] for e in engines]
    sa, sb = full_state(A), full_state(B)
    rec["twins_equal"] = sorted(sa) == sorted(sb) and all(torch.equal(sa[k], sb[k]) for k in sa)
    rec["lora_changed"] = any(not torch.equal(sa[k], trained_state[k]) for k in sa if "lora_" in k)
    rec["n_lora"] = sum("lora_" in k for k in sa)

    # --- a frozen inference engine (a plain HF model, no peft): its offload object is engine.optimizer ------------
    seed_everything(0)
    ref = create_inference_engine(load_varied(ds_config), ds_config)
    rec["ref_zero3"] = zero3.parameter_offload(ref) is not None and zero3.parameter_offload(ref) is ref.optimizer
    ref_layout = hook_layout(ref.module)
    ref_plain = plain_copy(full_state(ref), lora=False)
    rec["ref_gathered"] = generate(ref, tok, ids, mask, n_new, mode="gathered")
    rec["ref_naive"] = generate(ref, tok, ids, mask, n_new, mode="naive")
    rec["ref_unsharded"] = hf_generate(ref_plain, ids, mask, n_new, tok.eos_token_id, tok.pad_token_id)
    free = hf_generate(ref_plain, one_ids, one_mask, n_new, never_eos, tok.pad_token_id)[0]
    ref_tok = types.SimpleNamespace(eos_token_id=eos_at(free, 0 if rank == 0 else 8), pad_token_id=tok.pad_token_id)
    rec["ref_eos_expected"] = hf_generate(ref_plain, one_ids, one_mask, n_new, ref_tok.eos_token_id,
                                          tok.pad_token_id)
    rec["ref_eos_gathered"], rec["ref_eos_collectives"] = counted_generate(ref, ref_tok, one_ids, one_mask, n_new,
                                                                           mode="gathered")
    rec["ref_eos_gathered_again"], _ = counted_generate(ref, ref_tok, one_ids, one_mask, n_new, mode="gathered")
    rec["ref_layout_kept"] = hook_layout(ref.module) == ref_layout
    with torch.no_grad():  # the hooked engine still computes the plain copy's logits after all that
        rec["ref_logits_match"] = torch.allclose(ref(input_ids=ids, attention_mask=mask).logits,
                                                 ref_plain(input_ids=ids, attention_mask=mask).logits, atol=1e-5)
    rec["done"] = all_reduce_sum([1.0])[0]

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, f"rank{rank}.json"), "w") as f:
        json.dump(rec, f)


if __name__ == "__main__":
    main()
