"""DPO training throughput by reference mode, peak memory, and TRL's DPO trainer on the same work when installed.

    python benchmarks/dpo_step.py                              # embedded:smollm2-135m, batch 4 pairs, 4 timed steps
    python benchmarks/dpo_step.py --model embedded:tiny-qwen2 --quick

Each mode runs in its own process (so peak memory is that mode's): ``separate`` (a frozen reference engine),
``adapter_disabled`` (the policy with its adapter off), ``precomputed`` (reference log-probs computed once before
training; its one-off cost is inside ``setup_s``), and ``trl`` when ``trl`` is importable (install the
``[bench]`` extra; it is never a runtime dependency): TRL's DPOTrainer with the same model, LoRA, pairs, batch,
lengths and float32, its reference being the adapter-disabled policy as well, and the same
``--gradient_checkpointing`` (on by default: TRL's ``DPOConfig`` turns it on unless told otherwise).

``tokens_per_s`` counts the tokens of the chosen and rejected sequences trained per second (the user's measure:
how fast the data is consumed); ``forward_tokens_per_s`` adds the reference model's forward tokens. The first step
is a warm-up and not timed. One JSON line per mode, then the ratio of ours (adapter_disabled) to TRL.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

PAIRS = os.path.join(ROOT, "data", "easyds", "en", "pref_train.jsonl")
MODES = ("separate", "adapter_disabled", "precomputed")


def subset_file(n: int) -> str:
    """The first ``n`` English pairs (every mode and TRL train on exactly these)."""
    path = os.path.join(tempfile.mkdtemp(prefix="easyds-dpo-bench-"), "pairs.jsonl")
    with open(PAIRS, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as dst:
        for _, line in zip(range(n), src):
            dst.write(line)
    return path


def run_ours(a, mode: str) -> dict:
    import torch

    from common.config import DataArguments, ModelArguments, PeftArguments, TrainingArguments, parse_args
    from common.tracking import peak_memory_mb
    from dpo.trainer import DPOArguments, DPOTrainer
    from easyds.situations import LAUNCH_DEFAULTS

    data = subset_file(a.batch * (a.steps + 1))
    argv = ["--model_name_or_path", a.model, "--train_file", data, "--output_dir", tempfile.mkdtemp(),
            "--per_device_train_batch_size", str(a.batch), "--max_steps", str(a.steps + 1), "--save_steps", "0",
            "--max_source_length", str(a.max_source_length), "--max_target_length", str(a.max_target_length),
            "--lora_rank", "8", "--lora_alpha", "16", "--lora_dropout", "0", "--learning_rate", "1e-4"]
    argv += ["--precompute_ref_logps", "--ref_mode", "adapter_disabled"] if mode == "precomputed" else \
        ["--ref_mode", mode]
    argv += ["--gradient_checkpointing"] if a.gradient_checkpointing == "on" else []
    t0 = time.perf_counter()
    trainer = DPOTrainer.from_args(*parse_args(ModelArguments, DataArguments, PeftArguments, TrainingArguments,
                                               DPOArguments, args=argv, defaults=LAUNCH_DEFAULTS))
    setup_s = time.perf_counter() - t0
    trainer.engine.train()
    tokens, seconds = 0, 0.0
    for step in range(a.steps + 1):
        t = time.perf_counter()
        for batch in trainer.micro_batches(step):
            batch = trainer.to_device(batch)
            loss, _ = trainer.compute_loss(batch)
            trainer.engine.backward(loss)
            trainer.engine.step()
            n = int(batch["attention_mask"].sum())
        if step:  # step 0 warms up allocator and optimizer state
            seconds += time.perf_counter() - t
            tokens += n
    forward_tokens = tokens * (1 if mode == "precomputed" else 2)
    return {"benchmark": "dpo_step", "mode": mode, "model": a.model, "batch_pairs": a.batch, "steps": a.steps,
            "gradient_checkpointing": a.gradient_checkpointing,
            "tokens_per_s": round(tokens / seconds, 1), "forward_tokens_per_s": round(forward_tokens / seconds, 1),
            "seconds_per_step": round(seconds / a.steps, 3), "setup_s": round(setup_s, 1),
            "models_in_memory": 2 if mode == "separate" else 1, "threads": torch.get_num_threads(),
            **{k: round(v, 1) for k, v in peak_memory_mb().items()}}


def run_trl(a) -> dict:
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, TrainerCallback
    from trl import DPOConfig, DPOTrainer

    from common.data import PreferenceDataset, read_jsonl
    from common.embedded import resolve_model_path
    from common.modeling import load_tokenizer
    from common.templates import build_prompt
    from easyds.situations import SYSTEM_PROMPT
    from common.tracking import peak_memory_mb

    data = subset_file(a.batch * (a.steps + 1))
    tokenizer = load_tokenizer(a.model)
    rows = read_jsonl(data, ("prompt", "chosen", "rejected"))
    # The same rendered prompt and the same end-of-turn token as our data sets.
    ds = Dataset.from_list([{"prompt": build_prompt(tokenizer, r["prompt"], SYSTEM_PROMPT),
                             "chosen": r["chosen"] + tokenizer.eos_token,
                             "rejected": r["rejected"] + tokenizer.eos_token} for r in rows])
    ours = PreferenceDataset(data, tokenizer, a.max_source_length, a.max_target_length, system_prompt=SYSTEM_PROMPT)
    tokens_per_pair = sum(2 * len(e["prompt_ids"]) + len(e["chosen_ids"]) + len(e["rejected_ids"])
                          for e in ours.examples) / len(ours)

    class Clock(TrainerCallback):
        def __init__(self):
            self.times = []

        def on_step_begin(self, args, state, control, **kw):
            self.t = time.perf_counter()

        def on_step_end(self, args, state, control, **kw):
            self.times.append(time.perf_counter() - self.t)

    model = AutoModelForCausalLM.from_pretrained(resolve_model_path(a.model), dtype=torch.float32)
    config = DPOConfig(output_dir=tempfile.mkdtemp(), per_device_train_batch_size=a.batch, max_steps=a.steps + 1,
                       learning_rate=1e-4, beta=0.1, max_length=a.max_source_length + a.max_target_length,
                       logging_steps=1000, save_strategy="no", report_to=[], use_cpu=True, bf16=False,
                       dataloader_num_workers=0, seed=42, gradient_checkpointing=a.gradient_checkpointing == "on")
    clock = Clock()
    trainer = DPOTrainer(model=model, args=config, train_dataset=ds, processing_class=tokenizer,
                         peft_config=LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0,
                                                target_modules=["q_proj", "k_proj", "v_proj"], task_type="CAUSAL_LM"),
                         callbacks=[clock])
    trainer.train()
    timed = clock.times[1:]
    seconds = sum(timed)
    tokens = tokens_per_pair * a.batch * len(timed)
    return {"benchmark": "dpo_step", "mode": "trl", "model": a.model, "batch_pairs": a.batch, "steps": len(timed),
            "gradient_checkpointing": a.gradient_checkpointing,
            "tokens_per_s": round(tokens / seconds, 1), "forward_tokens_per_s": round(2 * tokens / seconds, 1),
            "seconds_per_step": round(seconds / len(timed), 3), "models_in_memory": 1,
            "threads": torch.get_num_threads(), **{k: round(v, 1) for k, v in peak_memory_mb().items()}}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="embedded:smollm2-135m")
    p.add_argument("--batch", type=int, default=4, help="pairs per step")
    p.add_argument("--steps", type=int, default=4, help="timed steps (after one warm-up step)")
    p.add_argument("--max_source_length", type=int, default=192)
    p.add_argument("--max_target_length", type=int, default=96)
    p.add_argument("--modes", default=",".join(MODES) + ",trl")
    p.add_argument("--gradient_checkpointing", choices=("on", "off"), default="on",
                   help="for ours and TRL's alike (on: DPOConfig's default, so the two run the identical step)")
    p.add_argument("--quick", action="store_true", help="2 pairs, 2 steps")
    p.add_argument("--mode", help=argparse.SUPPRESS)  # internal: run one mode in this process
    a = p.parse_args()
    if a.quick:
        a.batch, a.steps = 2, 2
    if a.mode:
        from common.engine import init_distributed

        init_distributed()
        print(json.dumps(run_trl(a) if a.mode == "trl" else run_ours(a, a.mode)), flush=True)
        return
    results = {}
    for mode in a.modes.split(","):
        if mode == "trl":
            try:
                import trl  # noqa: F401
            except ImportError:
                print(json.dumps({"benchmark": "dpo_step", "mode": "trl", "skipped": "trl not installed "
                                  "(pip install -e .[bench])"}), flush=True)
                continue
        argv = [sys.executable, __file__, "--mode", mode, "--model", a.model, "--batch", str(a.batch), "--steps",
                str(a.steps), "--max_source_length", str(a.max_source_length), "--max_target_length",
                str(a.max_target_length), "--gradient_checkpointing", a.gradient_checkpointing]
        out = subprocess.run(argv, capture_output=True, text=True)
        lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
        if out.returncode or not lines:
            print(json.dumps({"benchmark": "dpo_step", "mode": mode, "error": out.stderr.strip()[-800:]}), flush=True)
            continue
        results[mode] = json.loads(lines[-1])
        print(lines[-1], flush=True)
    if "trl" in results and "adapter_disabled" in results:
        ours, theirs = results["adapter_disabled"], results["trl"]
        print(json.dumps({"benchmark": "dpo_step", "ratio_ours_adapter_disabled_to_trl": round(
            ours["tokens_per_s"] / theirs["tokens_per_s"], 3), "peak_memory_ratio": {
            k: round(ours[k] / theirs[k], 3) for k in ours if k in theirs and "mb" in k and theirs[k]}}))


if __name__ == "__main__":
    main()
