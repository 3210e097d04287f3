"""Shared fixtures: the tiny model's tokenizer, small JSONL files, and a runner for the launch scripts."""
import json
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOPICS = ["stacks", "queues", "linked lists", "binary search", "heaps", "hashing", "graphs", "sorting"]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n")
    return str(path)


@pytest.fixture(scope="session")
def tokenizer():
    from common.modeling import load_tokenizer

    return load_tokenizer("embedded:tiny-qwen2")


@pytest.fixture(scope="session")
def sft_files(tmp_path_factory):
    """64 training and 12 evaluation items, short enough for fast CPU steps."""
    d = tmp_path_factory.mktemp("sft_data")
    train = [{"prompt": f"Topic: {TOPICS[i % 8]}\nExercise {i}: the student's loop stops one step early.",
              "response": f"Look at your loop bound for {TOPICS[i % 8]}. What happens on the last element?"}
             for i in range(64)]
    evals = [{"prompt": f"Topic: {TOPICS[i % 8]}\nExercise {100 + i}: the student forgot the base case.",
              "response": f"What should your {TOPICS[i % 8]} function return for the smallest input?"}
             for i in range(12)]
    return write_jsonl(d / "train.jsonl", train), write_jsonl(d / "eval.jsonl", evals)


@pytest.fixture(scope="session")
def random_policy(tmp_path_factory):
    """A LoRA adapter with random (non-zero) weights on the tiny model, saved like a stage's final/: its greedy
    text differs from situation to situation, unlike the bare tiny model's."""
    import torch
    from peft import LoraConfig, get_peft_model

    from common.modeling import load_causal_lm, load_tokenizer, record_adapter_base, write_base_record

    path = tmp_path_factory.mktemp("random_policy") / "final"
    torch.manual_seed(0)
    policy = get_peft_model(load_causal_lm("embedded:tiny-qwen2"), LoraConfig(
        target_modules=["q_proj", "v_proj", "o_proj", "up_proj", "down_proj"], r=8, lora_alpha=64,
        init_lora_weights=False))
    record = record_adapter_base(policy, "embedded:tiny-qwen2")
    policy.save_pretrained(path)
    write_base_record(path, record)
    load_tokenizer("embedded:tiny-qwen2").save_pretrained(path)
    return str(path)


def launch(script, args, ranks=1, timeout=600):
    """Run launch/SCRIPT.py as a user would (through the deepspeed launcher for several ranks); return stdout."""
    if ranks == 1:
        cmd = [sys.executable, str(ROOT / "launch" / f"{script}.py")]
    else:
        cmd = [str(Path(sys.executable).parent / "deepspeed"), "--num_gpus", str(ranks),
               "--master_port", str(_free_port()), str(ROOT / "launch" / f"{script}.py")]
    env = dict(os.environ, PYTHONPATH=str(ROOT), TOKENIZERS_PARALLELISM="false")
    proc = subprocess.run(cmd + [str(a) for a in args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"{script} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
    return proc.stdout


@contextmanager
def running(app):
    """``app`` served by uvicorn on a free loopback port, in a thread; yields the port; shuts down gracefully."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=10))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    port = sock.getsockname()[1]
    deadline = time.time() + 30
    while not server.started:
        assert time.time() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(30)
        assert not thread.is_alive()


def run_stages(plan, work, ranks=1, timeout=900, with_output=False):
    """Run ``plan`` (launch scripts and their flags) in one process per rank with tests/stage_runner.py; return
    ``{name: {"ok": ..., "error": ...}}`` (and the process's stdout, ``with_output``)."""
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    (work / "plan.json").write_text(json.dumps(plan))
    out = work / "results.json"
    runner = [str(ROOT / "tests" / "stage_runner.py"), "--plan", str(work / "plan.json"), "--out", str(out)]
    if ranks == 1:
        cmd = [sys.executable] + runner
    else:
        cmd = [str(Path(sys.executable).parent / "deepspeed"), "--num_gpus", str(ranks),
               "--master_port", str(_free_port())] + runner
    env = dict(os.environ, PYTHONPATH=str(ROOT), TOKENIZERS_PARALLELISM="false")
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0 and out.exists(), proc.stderr[-6000:]
    results = json.loads(out.read_text())
    return (results, proc.stdout) if with_output else results


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_metrics(run_dir):
    with open(Path(run_dir) / "metrics.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


FULL = os.environ.get("EASYDS_FULL_TESTS") == "1"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: the launcher matrix and the slowest end-to-end runs; CI runs them "
                                       "(.ci/run sets EASYDS_FULL_TESTS=1), bash run.sh test skips them")
    config.addinivalue_line("markers", "real_weights: opt-in with EASYDS_REAL_WEIGHTS_TESTS=1 (real SmolLM2 weights)")


def pytest_collection_modifyitems(config, items):
    if FULL:
        return
    skip = pytest.mark.skip(reason="a slow test: CI runs it (EASYDS_FULL_TESTS=1); set that to run it here")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
