"""Two "nodes" on this machine through the deepspeed launcher's hostfile, started without ssh (``--no_ssh``, one
launch per node with its ``--node_rank``, as a scheduler or a person would on two machines): the run equals the
same run on one node with two ranks. Runs in CI (EASYDS_FULL_TESTS=1)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, _free_port, read_metrics

pytestmark = pytest.mark.slow


def sft_args(out, sft_files):
    return [str(ROOT / "launch" / "sft.py"), "--model_name_or_path", "embedded:tiny-qwen2", "--train_file",
            sft_files[0], "--eval_file", sft_files[1], "--output_dir", str(out), "--max_steps", "4",
            "--save_steps", "2", "--deepspeed_config", str(ROOT / "launch/configs/ds_zero3.json"),
            "--per_device_train_batch_size", "2", "--learning_rate", "1e-2", "--num_samples", "0",
            "--max_target_length", "24", "--logging_steps", "1"]


def test_two_nodes_from_a_hostfile_equal_one_node_with_two_ranks(tmp_path, sft_files):
    deepspeed = str(Path(sys.executable).parent / "deepspeed")
    env = dict(os.environ, PYTHONPATH=str(ROOT), TOKENIZERS_PARALLELISM="false")
    hostfile = tmp_path / "hostfile"
    hostfile.write_text("node-a slots=1\nnode-b slots=1\n")
    port = str(_free_port())
    nodes = [subprocess.Popen([deepspeed, "--hostfile", str(hostfile), "--no_ssh", "--node_rank", str(r),
                               "--master_addr", "127.0.0.1", "--master_port", port,
                               *sft_args(tmp_path / "two_nodes", sft_files)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for r in (0, 1)]
    outputs = [p.communicate(timeout=600)[0] for p in nodes]
    assert [p.returncode for p in nodes] == [0, 0], outputs[0][-3000:] + outputs[1][-3000:]
    one = subprocess.run([deepspeed, "--num_gpus", "2", "--master_port", str(_free_port()),
                          *sft_args(tmp_path / "one_node", sft_files)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=600)
    assert one.returncode == 0, one.stderr[-3000:]
    two = tmp_path / "two_nodes"
    assert json.loads((two / "run_summary.json").read_text())["config"]["world_size"] == 2
    # Each rank wrote its own state into the shared checkpoint directory; rank 0 wrote the rest.
    ckpt = two / "checkpoints" / "step-000004"
    assert (ckpt / "rng_state_rank0.pt").exists() and (ckpt / "rng_state_rank1.pt").exists()
    assert len(list((ckpt / "model").rglob("*optim_states.pt"))) == 2
    a, b = read_metrics(two), read_metrics(tmp_path / "one_node")
    assert [m["step"] for m in a] == [m["step"] for m in b]
    for x, y in zip(a, b):
        for key in ("train/loss", "eval/loss"):
            if key in x:
                assert x[key] == pytest.approx(y[key], abs=1e-6), (x["step"], key)
