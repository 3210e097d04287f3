"""Every shipped DeepSpeed config × every reference mode: one PPO step and one DPO step each, two ranks.

The whole matrix is one launch of tests/config_matrix.py (about 50 s at a 350 GFLOP/s float32 peak). It runs in
CI (`.ci/run` sets EASYDS_CONFIG_MATRIX=1) and locally with that variable set; `bash run.sh test` alone skips it.
"""
import json
import os

import pytest

from conftest import ROOT, _free_port, write_jsonl

pytestmark = pytest.mark.skipif(os.environ.get("EASYDS_CONFIG_MATRIX") != "1",
                                reason="the config matrix runs in CI; set EASYDS_CONFIG_MATRIX=1 to run it here")


def test_every_config_and_reference_mode_finishes_a_ppo_and_a_dpo_step(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    rows = [json.loads(line) for line in open(ROOT / "data/easyds/en/pref_train.jsonl", encoding="utf-8")][:8]
    prompts = write_jsonl(tmp_path / "prompts.jsonl", [{"prompt": r["prompt"]} for r in rows])
    pairs = [write_jsonl(tmp_path / f"{name}.jsonl", [{k: r[k] for k in ("prompt", "chosen", "rejected")} for r in part])
             for name, part in (("train", rows[:4]), ("eval", rows[4:]))]
    out = tmp_path / "matrix.json"
    cmd = [str(Path(sys.executable).parent / "deepspeed"), "--num_gpus", "2", "--master_port", str(_free_port()),
           str(ROOT / "tests" / "config_matrix.py"), "--out", str(out), "--work", str(tmp_path / "runs"),
           "--prompts", str(prompts), "--pairs", *map(str, pairs)]
    env = dict(os.environ, PYTHONPATH=str(ROOT), TOKENIZERS_PARALLELISM="false")
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    results = json.loads(out.read_text())
    configs = sorted(p.name for p in (ROOT / "launch" / "configs").glob("ds_*.json"))
    assert len(configs) == 5
    expected = {f"{algo}/{c}/{mode}" for algo in ("ppo", "dpo") for c in configs for mode in ("separate", "adapter_disabled")}
    assert set(results) == expected
    failed = {k: v.get("error") for k, v in results.items() if not v["ok"]}
    assert not failed, failed
    for key, r in results.items():
        assert 1 in r["steps"], key  # the step ran and was logged; final/ was exported (ok)
