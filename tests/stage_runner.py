"""Run several launch scripts in one process (a tiny-model stage is mostly process start-up):

    [deepspeed --num_gpus N] python tests/stage_runner.py --plan PLAN.json --out RESULTS.json

PLAN.json: ``[{"name": ..., "script": "sft", "argv": [...]}, ...]``, run in order through each script's ``main``.
A failure is recorded with its exception's last line and the next entry still runs (``"stop_on_error": true``
in an entry stops there instead, for later entries that need its output). RESULTS.json (rank 0):
``{name: {"ok": bool, "error": str}}``.
"""
import importlib.util
import json
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_script(name):
    """launch/NAME.py as a module (launch/ holds scripts, not a package; ``dpo`` would shadow the package)."""
    spec = importlib.util.spec_from_file_location(f"launch_{name}", ROOT / "launch" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_plan(plan) -> dict:
    import torch

    results, scripts = {}, {}
    for entry in plan:
        script = scripts.setdefault(entry["script"], load_script(entry["script"]))
        try:
            script.main([str(a) for a in entry["argv"]])
            results[entry["name"]] = {"ok": True}
        except BaseException as e:  # noqa: BLE001 - every entry is reported, SystemExit included
            results[entry["name"]] = {"ok": False, "error": traceback.format_exception_only(type(e), e)[-1].strip()}
        if torch.distributed.is_initialized():
            torch.distributed.barrier()
        if entry.get("stop_on_error") and not results[entry["name"]]["ok"]:
            break
    return results


def main():
    import argparse

    import torch

    p = argparse.ArgumentParser()
    p.add_argument("--plan", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--local_rank", type=int, default=0)
    a = p.parse_args()
    results = run_plan(json.loads(Path(a.plan).read_text()))
    if not torch.distributed.is_initialized() or torch.distributed.get_rank() == 0:
        Path(a.out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
