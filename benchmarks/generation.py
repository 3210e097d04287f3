"""Generation throughput under ZeRO-3: through the fetch hooks (naive), gathered once with the hooks removed
(gathered, LoRA unmerged and merged), and an unsharded copy of the same model, all at the same world size.

    deepspeed --num_gpus 2 benchmarks/generation.py --model embedded:smollm2-135m
    deepspeed --num_gpus 2 benchmarks/generation.py --quick          # embedded:tiny-qwen2, 2 prompts x 8 tokens
    python benchmarks/generation.py --quick                           # one rank

Each rank decodes its own ``--prompts`` prompts (from data/easyds/en/ppo_prompts.jsonl when it exists, otherwise
built-in EasyDS-like situations), greedily, up to ``--new_tokens`` tokens, in one left-padded batch, as the PPO
actor does. The model is a LoRA-wrapped ZeRO-3 training engine (the actor's situation); the unsharded baseline is a
plain copy with the same weights and adapter on every rank, no engine. ``tokens_per_s`` = response tokens generated
on all ranks together / wall time from a barrier before to a barrier after (the slowest rank sets the pace), the fastest
of ``--repeats`` runs taken in round robin. Prints one JSON line per mode on rank 0, with ``matches_naive``: the mode
produced exactly the naive mode's tokens on every rank.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

from common.checkpoint import seed_everything  # noqa: E402
from common.config import PeftArguments, TrainingArguments  # noqa: E402
from common.data import PromptCollator, PromptDataset  # noqa: E402
from easyds.situations import SYSTEM_PROMPT  # noqa: E402
from common.engine import (all_reduce_sum, barrier, create_engine, fill_ds_config, init_distributed,  # noqa: E402
                           load_ds_config)
from common.generation import generate  # noqa: E402
from common.modeling import apply_lora, load_causal_lm, load_model_config, load_tokenizer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROMPT_FILE = os.path.join(ROOT, "data", "easyds", "en", "ppo_prompts.jsonl")
BUILTIN_PROMPTS = [
    "Topic: stacks\nExercise: check balanced brackets.\nStudent's attempt: I push every '(' and pop on ')', but "
    "\"(()\" is reported as balanced.\nLevel: beginner",
    "Topic: queues\nExercise: implement a queue with two stacks.\nStudent's error: dequeue returns the newest "
    "element.\nLevel: beginner",
    "Topic: linked lists\nExercise: reverse a singly linked list in place.\nStudent's attempt: the list ends up "
    "with only one node.\nLevel: intermediate",
    "Topic: binary search\nExercise: find the first index of a target in a sorted array.\nStudent's error: the "
    "loop never ends when the target is missing.\nLevel: beginner",
    "Topic: heaps\nExercise: sift-down after removing the root of a min-heap.\nStudent's attempt: I only compare "
    "with the left child.\nLevel: intermediate",
    "Topic: hashing\nExercise: open addressing with linear probing.\nStudent's error: lookups fail after a "
    "deletion.\nLevel: intermediate",
    "Topic: graphs\nExercise: breadth-first search from a source.\nStudent's error: some nodes are visited "
    "twice.\nLevel: beginner",
    "Topic: sorting\nExercise: insertion sort.\nStudent's question: why is it fast on an almost sorted "
    "array?\nLevel: beginner",
    "Topic: complexity\nExercise: the cost of appending to a dynamic array.\nStudent's claim: every append is "
    "O(n) because of copying.\nLevel: intermediate",
    "Topic: binary trees\nExercise: height of a tree recursively.\nStudent's error: a single node has height "
    "2.\nLevel: beginner",
]


def load_prompts(tokenizer, n: int, rank: int) -> tuple:
    """``n`` prompts for this rank (rank r takes the r-th slice, cycling), left-padded: (input_ids, attention_mask)."""
    if os.path.exists(PROMPT_FILE):
        with open(PROMPT_FILE, encoding="utf-8") as f:
            texts = [json.loads(line)["prompt"] for line in f if line.strip()]
    else:
        texts = BUILTIN_PROMPTS
    records = [{"prompt": texts[(rank * n + i) % len(texts)]} for i in range(n)]
    ds = PromptDataset(records, tokenizer, max_source_length=256, system_prompt=SYSTEM_PROMPT)
    batch = PromptCollator(tokenizer.pad_token_id)([ds[i] for i in range(len(ds))])
    return batch["input_ids"], batch["attention_mask"], "file" if os.path.exists(PROMPT_FILE) else "builtin"


def timed(model, tokenizer, ids, mask, new_tokens: int, **kwargs) -> tuple:
    """(responses, tokens generated on all ranks, seconds): barrier to barrier, so the slowest rank counts."""
    barrier()
    t = time.perf_counter()
    out = generate(model, tokenizer, ids, mask, new_tokens, **kwargs)
    barrier()
    seconds = time.perf_counter() - t
    return out, int(all_reduce_sum([sum(len(r) for r in out)])[0]), seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="embedded:smollm2-135m")
    p.add_argument("--prompts", type=int, default=8, help="prompts per rank")
    p.add_argument("--new_tokens", type=int, default=32)
    p.add_argument("--lora_rank", type=int, default=8)
    p.add_argument("--modes", default="naive,gathered,gathered_merged,unsharded",
                   help="comma-separated: naive, gathered, gathered_merged, unsharded")
    p.add_argument("--deepspeed_config", default=os.path.join(ROOT, "launch", "configs", "ds_zero3.json"))
    p.add_argument("--repeats", type=int, default=1, help="timed runs per mode (round robin); the fastest is reported")
    p.add_argument("--threads", type=int, default=0,
                   help="torch threads per rank; 0: the machine's cores shared out among this node's ranks")
    p.add_argument("--quick", action="store_true", help="embedded:tiny-qwen2, 2 prompts x 8 tokens")
    p.add_argument("--local_rank", type=int, default=-1, help="set by the deepspeed launcher")
    a = p.parse_args()
    if a.quick:
        a.model, a.prompts, a.new_tokens = "embedded:tiny-qwen2", 2, 8
    rank, world = init_distributed()
    # Oversubscribed cores (every rank using all of them) slow every mode alike but blur the comparison.
    local_ranks = int(os.environ.get("LOCAL_WORLD_SIZE", os.environ.get("LOCAL_SIZE", 1)))  # torchrun / deepspeed
    torch.set_num_threads(a.threads or max(1, (os.cpu_count() or 1) // local_ranks))
    tokenizer = load_tokenizer(a.model, padding_side="left")
    ids, mask, source = load_prompts(tokenizer, a.prompts, rank)

    targs = TrainingArguments(output_dir="/tmp/easyds-bench", per_device_train_batch_size=1)
    ds_config = fill_ds_config(load_ds_config(a.deepspeed_config), targs, world, torch.float32,
                               load_model_config(a.model).hidden_size, total_steps=1)
    peft = PeftArguments(lora_rank=a.lora_rank)
    seed_everything(0)
    engine = create_engine(apply_lora(load_causal_lm(a.model, ds_config=ds_config), peft), ds_config, targs, 1)
    seed_everything(0)  # the same LoRA initialisation: the unsharded copy computes the same function
    plain = apply_lora(load_causal_lm(a.model), peft)

    runs = {"naive": (engine, dict(mode="naive")), "gathered": (engine, dict(mode="gathered")),
            "gathered_merged": (engine, dict(mode="gathered", merge_lora=True)),
            "unsharded": (plain, dict(mode="gathered"))}
    modes = [m.strip() for m in a.modes.split(",") if m.strip()]
    unknown = sorted(set(modes) - set(runs))
    if unknown:
        raise SystemExit(f"--modes: unknown {', '.join(unknown)}; choose from {', '.join(runs)}")
    for mode in modes:  # warm-up: allocator, first gather, lazy initialisations
        model, kwargs = runs[mode]
        generate(model, tokenizer, ids[:1], mask[:1], 2, **kwargs)
    outputs, seconds = {}, {m: [] for m in modes}
    for _ in range(a.repeats):  # round robin, so a busy moment of a shared machine hits every mode alike
        for mode in modes:
            model, kwargs = runs[mode]
            out, tokens, s = timed(model, tokenizer, ids, mask, a.new_tokens, **kwargs)
            outputs.setdefault(mode, (out, tokens))
            seconds[mode].append(s)
    reference = outputs.get("naive", (None,))[0]
    for mode in modes:
        out, tokens = outputs[mode]
        same = all_reduce_sum([float(out == reference)])[0] == world if reference is not None else None
        best = min(seconds[mode])
        if rank == 0:
            print(json.dumps({
                "benchmark": "generation", "mode": mode.split("_")[0], "merge_lora": mode == "gathered_merged",
                "tokens_per_s": round(tokens / best, 2), "world_size": world, "prompts": a.prompts,
                "new_tokens": a.new_tokens, "tokens": tokens, "seconds": round(best, 2),
                "seconds_all": [round(x, 2) for x in seconds[mode]], "model": a.model, "lora_rank": a.lora_rank,
                "matches_naive": same, "prompt_source": source, "threads": torch.get_num_threads(),
            }), flush=True)

if __name__ == "__main__":
    main()
