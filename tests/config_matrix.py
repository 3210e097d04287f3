"""One PPO step and one DPO step under every shipped DeepSpeed config with each reference mode, run by
tests/test_config_matrix.py in one launch (the process start-up dominates a tiny-model step):

    deepspeed --num_gpus 2 tests/config_matrix.py --out FILE.json --work DIR --prompts P.jsonl --pairs T.jsonl E.jsonl

Each combination runs through the launch scripts' ``main`` with its own output directory; a failure is recorded
(with the exception's last line) and the next combination still runs, so one report names every broken cell.
"""
import json
import os
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONFIGS = sorted(p.name for p in (ROOT / "launch" / "configs").glob("ds_*.json"))
REF_MODES = ("separate", "adapter_disabled")
TINY = "embedded:tiny-qwen2"


def ppo_argv(config, ref_mode, out, prompts):
    return ["--actor_model_name_or_path", TINY, "--critic_model_name_or_path", TINY,
            "--reward_fn", f"{ROOT}/tests/rewards.py:common_letters", "--prompt_file", prompts,
            "--deepspeed_config", str(ROOT / "launch" / "configs" / config), "--ref_mode", ref_mode,
            "--lora_rank", "8", "--output_dir", str(out), "--rollout_batch_size", "2",
            "--per_device_train_batch_size", "2", "--max_new_tokens", "6", "--max_steps", "1", "--save_steps", "0",
            "--max_source_length", "96", "--logging_steps", "1", "--num_samples", "0", "--seed", "3"]


def dpo_argv(config, ref_mode, out, pairs):
    return ["--model_name_or_path", TINY, "--train_file", pairs[0], "--eval_file", pairs[1],
            "--deepspeed_config", str(ROOT / "launch" / "configs" / config), "--ref_mode", ref_mode,
            "--lora_rank", "8", "--output_dir", str(out), "--per_device_train_batch_size", "2",
            "--per_device_eval_batch_size", "2", "--max_steps", "1", "--save_steps", "0", "--logging_steps", "1",
            "--max_target_length", "24", "--max_source_length", "96"]


def load_script(name):
    """launch/NAME.py as a module (launch/ is scripts, not a package; ``dpo`` would also shadow the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"launch_{name}", ROOT / "launch" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    import argparse

    import torch

    dpo, ppo = (load_script(n) for n in ("dpo", "ppo"))
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--prompts", required=True)
    p.add_argument("--pairs", nargs=2, required=True)
    p.add_argument("--local_rank", type=int, default=0)
    a = p.parse_args()
    results = {}
    for config in CONFIGS:
        for ref_mode in REF_MODES:
            for name, entry, argv in (("ppo", ppo.main, ppo_argv), ("dpo", dpo.main, dpo_argv)):
                key = f"{name}/{config}/{ref_mode}"
                out = Path(a.work) / key.replace("/", "_")
                try:
                    entry(argv(config, ref_mode, out, a.prompts if name == "ppo" else a.pairs))
                    results[key] = {"ok": (out / "final").is_dir(),
                                    "steps": [json.loads(l)["step"] for l in open(out / "metrics.jsonl")
                                              if l.strip() and "step" in json.loads(l)]}
                except BaseException as e:  # noqa: BLE001 - every cell is reported, SystemExit included
                    results[key] = {"ok": False, "error": traceback.format_exception_only(type(e), e)[-1].strip()}
                if torch.distributed.is_initialized():
                    torch.distributed.barrier()
    if not torch.distributed.is_initialized() or torch.distributed.get_rank() == 0:
        Path(a.out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
