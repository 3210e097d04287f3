"""The ``embedded:tiny-qwen2`` recipe: a two-layer ``Qwen2ForCausalLM`` with random weights from a fixed seed and a
small byte-level BPE tokenizer trained on a fixed English/Chinese corpus, with Qwen2.5's special tokens and ChatML
chat template. ``embedded.py`` builds it into its cache on first use."""
import json
import pathlib

from .templates import CHATML_TEMPLATE, ENDOFTEXT, IM_END, IM_START

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
