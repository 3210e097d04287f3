"""SFT training throughput: tokens per second and achieved GFLOP/s as a share of this machine's matmul peak.

    python benchmarks/train_step.py                       # embedded:smollm2-135m, LoRA and full fine-tuning
    python benchmarks/train_step.py --model embedded:tiny-qwen2 --steps 3 --quick

Two kinds of batch: fixed rows (``--batch`` x ``--seq_len`` random tokens, half prompt, half response), and the
bundled SFT data (``data=bundled``: data/easyds/en/sft_train.jsonl at the smollm2 recipe's lengths, its real length
distribution) in plain shuffled order and length-grouped (``--length_group_batches``), each reporting its share of
pad positions and its real (non-pad) tokens per second.

Achieved FLOP/s counts 6·N FLOPs per token for full fine-tuning (forward 2N, backward 4N) and 4·N with LoRA
(the backward pass still propagates activation gradients through every frozen weight, 2N, but computes no
weight gradients for them), N = parameters. The peak is a float32 matmul of the same machine measured in the
same run. Prints one JSON line per measurement.
"""
import argparse
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import torch  # noqa: E402

from common.config import LENGTH_GROUP_BATCHES, PeftArguments, TrainingArguments  # noqa: E402
from common.data import InputOutputDataset, SFTCollator  # noqa: E402
from common.engine import create_engine, fill_ds_config, init_distributed, load_ds_config  # noqa: E402
from common.modeling import apply_lora, count_parameters, load_causal_lm, load_model_config, \
    load_tokenizer  # noqa: E402
from common.trainer import epoch_batches  # noqa: E402
from easyds.situations import SYSTEM_PROMPT  # noqa: E402
from common.ops import masked_mean  # noqa: E402
from common.forward import label_logprobs  # noqa: E402
from common.machine import matmul_peak_gflops  # noqa: E402


def sft_engine(model_name: str, lora_rank: int, batch: int, steps: int) -> tuple:
    """``(engine, parameters)``: the model (LoRA r ``lora_rank``, 0 = full) in a ZeRO-0 engine for ``steps`` steps."""
    args = TrainingArguments(output_dir="/tmp/easyds-bench", per_device_train_batch_size=batch, learning_rate=1e-4)
    hidden = load_model_config(model_name).hidden_size
    ds_config = fill_ds_config(load_ds_config(None), args, 1, torch.float32, hidden, steps)
    model = apply_lora(load_causal_lm(model_name), PeftArguments(lora_rank=lora_rank))
    _, n_params = count_parameters(model)
    return create_engine(model, ds_config, args, steps), n_params


def sft_step(engine, batch: dict):
    """One SFT optimizer step: the mean NLL of the labelled tokens."""
    logp, mask = label_logprobs(engine, batch)
    engine.backward(-masked_mean(logp, mask))
    engine.step()


def measure(model_name: str, lora_rank: int, batch: int, seq: int, steps: int, peak: float) -> dict:
    engine, n_params = sft_engine(model_name, lora_rank, batch, steps + 1)
    vocab = load_model_config(model_name).vocab_size
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, vocab, (batch, seq), generator=g)
    labels = ids.clone()
    labels[:, : seq // 2] = -100  # a prompt half and a response half, as in SFT
    data = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": labels}

    sft_step(engine, data)  # warm-up: allocator, optimizer state
    t = time.perf_counter()
    for _ in range(steps):
        sft_step(engine, data)
    seconds = (time.perf_counter() - t) / steps
    tokens_per_s = batch * seq / seconds
    flops_per_token = (4 if lora_rank else 6) * n_params
    achieved = tokens_per_s * flops_per_token / 1e9
    return {"benchmark": "train_step", "model": model_name, "mode": "lora" if lora_rank else "full",
            "lora_rank": lora_rank, "params": n_params, "batch": batch, "seq_len": seq,
            "seconds_per_step": round(seconds, 3), "tokens_per_s": round(tokens_per_s, 1),
            "achieved_gflops": round(achieved, 1), "matmul_peak_gflops": round(peak, 1),
            "share_of_peak": round(achieved / peak, 3), "threads": torch.get_num_threads()}


def measure_bundled(model_name: str, lora_rank: int, batch: int, steps: int, window: int, peak: float) -> dict:
    """SFT steps on the bundled data, in the order ``--length_group_batches window`` gives (0: plain shuffle)."""
    tokenizer = load_tokenizer(model_name)
    data = InputOutputDataset(os.path.join(ROOT, "data", "easyds", "en", "sft_train.jsonl"), tokenizer, 192, 96,
                              system_prompt=SYSTEM_PROMPT)
    order = epoch_batches(len(data), batch, steps + 1, seed=0, window=window, lengths=data.lengths)
    batches = [SFTCollator(tokenizer.pad_token_id)([data[i] for i in items]) for items in order]
    engine, _ = sft_engine(model_name, lora_rank, batch, steps + 1)
    sft_step(engine, batches[0])  # warm-up
    t, real, slots = time.perf_counter(), 0, 0
    for b in batches[1:]:
        sft_step(engine, b)
        real, slots = real + int(b["attention_mask"].sum()), slots + b["attention_mask"].numel()
    seconds = time.perf_counter() - t
    return {"benchmark": "train_step", "model": model_name, "mode": "lora" if lora_rank else "full",
            "lora_rank": lora_rank, "data": "bundled", "batch": batch, "length_group_batches": window,
            "steps": steps, "pad_share": round(1 - real / slots, 3), "seconds_per_step": round(seconds / steps, 3),
            "tokens_per_s": round(real / seconds, 1), "matmul_peak_gflops": round(peak, 1)}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="embedded:smollm2-135m")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--seq_len", type=int, default=256)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--modes", default="lora,full", help="comma-separated: lora, full")
    p.add_argument("--bundled_steps", type=int, default=12, help="timed steps on the bundled SFT data, each order")
    p.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    a = p.parse_args()
    if a.quick:
        a.batch, a.seq_len, a.steps, a.bundled_steps = 2, 64, 2, 3
    init_distributed()
    peak = matmul_peak_gflops(1024 if a.quick else 2048)
    for mode in a.modes.split(","):
        print(json.dumps(measure(a.model, 8 if mode == "lora" else 0, a.batch, a.seq_len, a.steps, peak)), flush=True)
    for window in (0, LENGTH_GROUP_BATCHES):
        print(json.dumps(measure_bundled(a.model, 8, a.batch if not a.quick else 4, a.bundled_steps, window, peak)),
              flush=True)


if __name__ == "__main__":
    main()
