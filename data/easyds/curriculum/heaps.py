from .schema import Exercise, Mistake, Point, Topic

TOPIC = Topic(
    key="heaps",
    name=("Heaps", "堆"),
    keywords=(
        ("heap", "parent", "child", "sift", "root", "priority", "leaf", "leaves", "heapq", "heapify", "top"),
        ("堆", "父", "孩子", "子结点", "上浮", "下沉", "根", "优先", "叶", "heapq", "堆顶"),
    ),
    points={
        "heap_property": Point(
            ("the heap property", "堆性质"),
            ("A min-heap keeps all of its elements in sorted order, so the array of a heap is always ascending.",
             "最小堆会让所有元素保持有序，所以堆的数组总是升序排列的。"),
        ),
        "sift": Point(
            ("sifting up and down", "上浮与下沉"),
            ("After moving the last element to the root, the heap property repairs itself, so no sifting is needed after a pop.",
             "把最后一个元素移到根之后，堆性质会自动恢复，所以弹出之后不需要任何下沉操作。"),
        ),
        "array_layout": Point(
            ("the array layout of a heap", "堆的数组表示"),
            ("In a 0-indexed array heap the children of index i are 2i and 2i + 1, and its parent is i // 2.",
             "在从 0 开始编号的数组堆中，下标 i 的孩子是 2i 和 2i + 1，父结点是 i // 2。"),
        ),
        "applications": Point(
            ("priority queues and top-k", "优先队列与 Top-k"),
            ("To keep the k largest elements of a stream, use a max-heap of size k and pop its top whenever it grows past k.",
             "要保留数据流中最大的 k 个元素，就用大小为 k 的最大堆，每当超过 k 个时弹出堆顶。"),
        ),
        "heapify": Point(
            ("building a heap", "建堆"),
            ("Building a heap from n elements always costs O(n log n); there is no faster way than n separate inserts.",
             "从 n 个元素建堆总是需要 O(n log n)，没有比逐个插入 n 次更快的办法。"),
        ),
    },
    facts=(
        ("A binary heap is a complete binary tree stored in an array in which every parent is at most its children (for a min-heap).",
         "二叉堆是存放在数组中的完全二叉树，（对最小堆而言）每个父结点都不大于它的孩子。"),
        ("Push and pop cost O(log n), because sift-up and sift-down follow a single root-to-leaf path.",
         "push 和 pop 的代价是 O(log n)，因为上浮和下沉都只沿着一条从根到叶的路径进行。"),
        ("Bottom-up heapify builds a heap in O(n), and a heap is not sorted: only the root is guaranteed to be the minimum.",
         "自底向上建堆只需 O(n)；而且堆并不是有序的，只有根一定是最小值。"),
    ),
    exercises=(
        Exercise(
            "heap_property",
            ("Is the array [1, 3, 2, 7, 4] a valid min-heap (0-indexed)? Explain.",
             "数组 [1, 3, 2, 7, 4]（下标从 0 开始）是合法的最小堆吗？请说明理由。"),
            ("Yes: the children of index 0 (value 1) are 3 and 2, and the children of index 1 (value 3) are 7 and 4; every parent is at most its children, which is all the heap property requires.",
             "是的：下标 0（值 1）的孩子是 3 和 2，下标 1（值 3）的孩子是 7 和 4；每个父结点都不大于它的孩子，这正是堆性质的全部要求。"),
            (
                Mistake(
                    attempt=("says no, because the array is not sorted.",
                             "回答不是，因为数组没有排好序。"),
                    alt=("“It isn't ascending, so it can't be a heap.”",
                         "“它不是升序的，所以不可能是堆。”"),
                    diag=("A heap only orders each parent against its own children, not the whole array.",
                          "堆只要求每个父结点和它自己的孩子之间有序，而不是整个数组有序。"),
                    ask=("Which pairs of positions does the min-heap property actually compare?",
                         "最小堆性质实际上比较的是哪些位置对？"),
                    step=("Draw the array as a tree and check each parent against its children.",
                          "把数组画成一棵树，逐个检查每个父结点和它的孩子。"),
                ),
                Mistake(
                    attempt=("checks neighbouring entries `a[i] <= a[i + 1]` and rejects it because 3 > 2.",
                             "检查相邻元素 `a[i] <= a[i + 1]`，因为 3 > 2 而判定不是堆。"),
                    alt=("“3 is followed by 2, so the heap order is broken.”",
                         "“3 后面跟着 2，所以堆的顺序被破坏了。”"),
                    diag=("Neighbouring positions in the array are not necessarily parent and child in the heap.",
                          "数组中相邻的位置在堆里并不一定是父子关系。"),
                    ask=("What are the children of index 1 in a 0-indexed heap?",
                         "在从 0 开始编号的堆中，下标 1 的孩子是哪两个？"),
                    step=("Write down the parent of every index and compare only those pairs.",
                          "写出每个下标的父结点，只比较这些父子对。"),
                ),
                Mistake(
                    attempt=("says yes, and adds that the second smallest element must always be at index 1.",
                             "回答是，还补充说第二小的元素一定在下标 1。"),
                    alt=("“It's a heap, and the second smallest is always a[1].”",
                         "“它是堆，而且第二小的元素总是 a[1]。”"),
                    diag=("The second smallest element is a child of the root, but it can be either child.",
                          "第二小的元素是根的孩子，但可能是两个孩子中的任何一个。"),
                    ask=("Where is the second smallest element in [1, 3, 2, 7, 4]?",
                         "在 [1, 3, 2, 7, 4] 中，第二小的元素在哪里？"),
                    step=("Write two different valid min-heaps of {1, 2, 3} and compare them.",
                          "写出由 {1, 2, 3} 组成的两个不同的合法最小堆，比较一下。"),
                ),
            ),
            key=(
                "yes | 是的 | is a valid | is valid | is a min-heap | is a heap | 是合法 | 是最小堆 | 满足堆性质 & 3 and 2 | "
                "3 和 2 | 7 and 4 | 7 和 4 | every parent is | each parent is | all parents are | 每个父结点都 | 父结点都不大于 | "
                "都不大于",
                "yes,it is | yes it is | yes,it's | yes,the array | yes:it | it is indeed | it is a valid | "
                "it's a valid min-heap | 是的,它是 | 是的,这是 | 它是合法 | 这是一个合法 | 是一个合法的 | 确实是合法 | 确实是最小堆 | 它确实是 | 它是一个合法 | "
                "它是最小堆 | 是一个最小堆",
            ),
        ),
        Exercise(
            "sift",
            ("Implement pop_min for a binary min-heap stored in a Python list.",
             "为存放在 Python 列表中的二叉最小堆实现 pop_min。"),
            ("Save `a[0]`, move the last element to index 0 (`a[0] = a.pop()` when more than one element remains), then sift down: swap with the smaller child while that child is smaller, checking that each child index is inside the list.",
             "保存 `a[0]`，把最后一个元素移到下标 0（剩余不止一个元素时执行 `a[0] = a.pop()`），然后下沉：只要较小的孩子比它小就与之交换，每次都要检查孩子下标是否在列表范围内。"),
            (
                Mistake(
                    attempt=("removes the root with `a.pop(0)`, shifting every other element.",
                             "用 `a.pop(0)` 删除根，导致其余所有元素整体前移。"),
                    alt=("“After a pop, the heap property is broken.”",
                         "“弹出一次之后，堆性质就被破坏了。”"),
                    diag=("Shifting the array moves every node under a different parent, which scrambles the heap.",
                          "整体移动数组会让每个结点换了一个父结点，把堆打乱了。"),
                    ask=("Which element can be removed from the array without moving any of the others?",
                         "数组中哪个元素可以在不移动其他元素的情况下被删除？"),
                    step=("Pop from [1, 3, 2, 7, 4] with `pop(0)` and check every parent-child pair afterwards.",
                          "用 `pop(0)` 从 [1, 3, 2, 7, 4] 中弹出，然后检查每一对父子。"),
                ),
                Mistake(
                    attempt=("moves the last element to the root but always swaps it with the left child when sifting down.",
                             "把最后一个元素移到根后，下沉时总是和左孩子交换。"),
                    alt=("“After a few pops, a bigger value sits above a smaller one.”",
                         "“弹出几次之后，一个较大的值压在了较小的值上面。”"),
                    diag=("The swap has to go to the smaller child; otherwise the other child ends up below a larger parent.",
                          "下沉时必须和较小的孩子交换，否则另一个孩子就会位于一个更大的父结点之下。"),
                    ask=("When both children are smaller than the parent, which one must move up?",
                         "当两个孩子都比父结点小时，哪一个应该上移？"),
                    step=("Sift down 9 in [9, 3, 2] by hand, once with each child.",
                          "在 [9, 3, 2] 中手工让 9 下沉，分别和两个孩子交换各试一次。"),
                ),
                Mistake(
                    attempt=("stops sifting down when the node has no right child, ignoring a lone left child.",
                             "结点没有右孩子时就停止下沉，忽略了唯一的左孩子。"),
                    alt=("“The last parent, which only has a left child, is never fixed.”",
                         "“最后那个只有左孩子的父结点从来没被修正过。”"),
                    diag=("A parent with only a left child can still break the heap property.",
                          "只有左孩子的父结点仍然可能破坏堆性质。"),
                    ask=("What should sift-down do when only the left child exists?",
                         "当只有左孩子存在时，下沉操作应该怎么做？"),
                    step=("Pop from [1, 2, 3, 4] and trace the sift-down step by step.",
                          "从 [1, 2, 3, 4] 中弹出，一步一步追踪下沉过程。"),
                ),
            ),
            code=(
                "def pop_min(a):\n"
                "    top = a[0]\n"
                "    last = a.pop()\n"
                "    if a:\n"
                "        a[0] = last\n"
                "        i, n = 0, len(a)\n"
                "        while True:\n"
                "            c = 2 * i + 1\n"
                "            if c >= n:\n"
                "                break\n"
                "            if c + 1 < n and a[c + 1] < a[c]:\n"
                "                c += 1\n"
                "            if a[c] >= a[i]:\n"
                "                break\n"
                "            a[i], a[c] = a[c], a[i]\n"
                "            i = c\n"
                "    return top"
            ),
            key=(
                "a[0]=a.pop() | a[0]=last | a[0]=a[-1] | a[0]=a[n-1]",
                "last element | last item | last value | last leaf | 最后一个元素 | 最后一个值 | 最后一个叶 | 末尾元素 & root | "
                "index 0 | a[0] | 根 | 下标 0 | 堆顶 & smaller child | smaller of the 2 children | "
                "smaller of its children | smallest child | min child | 较小的孩子 | 更小的孩子 | 较小的子结点 | 两个孩子中较小 | 最小的孩子",
            ),
        ),
        Exercise(
            "array_layout",
            ("In a 0-indexed array heap, give the indices of the parent and the two children of index i.",
             "在从 0 开始编号的数组堆中，给出下标 i 的父结点和两个孩子的下标。"),
            ("Children are at 2i + 1 and 2i + 2 (when they are less than n), and the parent of i > 0 is (i − 1) // 2.",
             "孩子位于 2i + 1 和 2i + 2（前提是小于 n），i > 0 时父结点是 (i − 1) // 2。"),
            (
                Mistake(
                    attempt=("uses 2i and 2i + 1 for the children.",
                             "孩子的下标用的是 2i 和 2i + 1。"),
                    alt=("“So the children of index 0 are 0 and 1?”",
                         "“那下标 0 的孩子就是 0 和 1？”"),
                    diag=("Those formulas fit a 1-indexed heap; with the root at index 0 they point at the wrong slots.",
                          "这些公式适用于从 1 开始编号的堆；根在下标 0 时，它们指向了错误的位置。"),
                    ask=("What do 2i and 2i + 1 give for the root, i = 0?",
                         "对根 i = 0 来说，2i 和 2i + 1 分别是多少？"),
                    step=("Number a seven-node tree from 0 level by level and read off the children of 0 and 1.",
                          "从 0 开始按层给一棵七结点的树编号，读出 0 和 1 的孩子。"),
                ),
                Mistake(
                    attempt=("uses i // 2 for the parent.",
                             "父结点下标用 i // 2。"),
                    alt=("“The parent of index 2 comes out as index 1.”",
                         "“下标 2 的父结点算出来是下标 1。”"),
                    diag=("That parent formula was carried over from a 1-indexed heap as well.",
                          "这个父结点公式同样是从从 1 开始编号的堆照搬过来的。"),
                    ask=("In your numbered tree, which index is the parent of index 2?",
                         "在你编好号的树中，下标 2 的父结点是哪个下标？"),
                    step=("Check your parent formula for i = 1 and i = 2 against the drawing.",
                          "对照图，检查你的父结点公式在 i = 1 和 i = 2 时是否正确。"),
                ),
                Mistake(
                    attempt=("uses the right formulas but never checks bounds, reading children past the end of the heap.",
                             "公式是对的，但从不检查边界，读取了超出堆末尾的孩子。"),
                    alt=("“I get an IndexError in sift-down when I reach a leaf.”",
                         "“下沉到叶结点时报 IndexError。”"),
                    diag=("Leaves have child indices that lie beyond the end of the array.",
                          "叶结点的孩子下标超出了数组的末尾。"),
                    ask=("How can you tell whether index i has a left child at all?",
                         "怎样判断下标 i 到底有没有左孩子？"),
                    step=("For a five-element heap, compare 2i + 1 with the size for every i.",
                          "对一个五个元素的堆，把每个 i 的 2i + 1 和堆的大小比较。"),
                ),
            ),
            key=(
                "2i+1 | 2*i+1 & 2i+2 | 2*i+2",
                "(i-1)//2 | (i−1)//2 | (i-1)/2 | (i−1)/2 | (i-1)>>1",
            ),
        ),
        Exercise(
            "heapify",
            ("Build a min-heap from an unsorted array of n elements in O(n) time.",
             "在 O(n) 时间内把一个含 n 个元素的无序数组建成最小堆。"),
            ("Sift down every internal node from the last one, index n // 2 − 1, back to index 0; each subtree is a heap before its root is processed, and the total work is O(n) because most nodes sit near the bottom.",
             "从最后一个内部结点（下标 n // 2 − 1）开始，倒序到下标 0，对每个结点执行下沉；处理某个根之前它的子树已经是堆，而且大多数结点都在底层附近，所以总工作量是 O(n)。"),
            (
                Mistake(
                    attempt=("inserts the elements one at a time with sift-up and claims the total is O(n).",
                             "用上浮逐个插入元素，并声称总代价是 O(n)。"),
                    alt=("“n inserts, each O(1), so building is O(n)?”",
                         "“插入 n 次，每次 O(1)，所以建堆是 O(n)？”"),
                    diag=("Each insert can sift up through the whole height of the heap, so this approach is O(n log n) in the worst case.",
                          "每次插入都可能上浮穿过堆的整个高度，所以这种做法最坏是 O(n log n)。"),
                    ask=("How far can a new element travel when it is inserted at the bottom of a tall heap?",
                         "当新元素插入到一个很高的堆的底部时，它最多可能移动多远？"),
                    step=("Count the sift-up swaps when inserting n, n − 1, …, 1 into a min-heap for n = 8.",
                          "取 n = 8，数一数把 n, n − 1, …, 1 依次插入最小堆时上浮交换的次数。"),
                ),
                Mistake(
                    attempt=("sifts down the nodes from index 0 forwards.",
                             "从下标 0 开始向后依次对结点执行下沉。"),
                    alt=("“The result isn't always a heap.”",
                         "“结果并不总是一个堆。”"),
                    diag=("Sifting a node down only works if both of its subtrees are already heaps.",
                          "只有当一个结点的两棵子树都已经是堆时，对它执行下沉才有效。"),
                    ask=("In which order must the nodes be processed so their children are already heaps?",
                         "结点应该按什么顺序处理，才能保证它们的孩子已经是堆？"),
                    step=("Heapify [5, 4, 3, 2, 1] once forwards and once backwards and compare the results.",
                          "对 [5, 4, 3, 2, 1] 分别按正序和倒序建堆，比较结果。"),
                ),
                Mistake(
                    attempt=("sifts down every index of the array, including all the leaves.",
                             "对数组的每个下标都执行下沉，包括所有叶结点。"),
                    alt=("“Do I really have to process the leaves too?”",
                         "“叶结点也真的需要处理吗？”"),
                    diag=("Leaves are already one-element heaps, so sifting them down does nothing.",
                          "叶结点本身就是只有一个元素的堆，对它们下沉什么也不会发生。"),
                    ask=("Which is the last index in the heap that has a child?",
                         "堆中最后一个有孩子的下标是哪个？"),
                    step=("For n = 10, list which indices have at least one child.",
                          "取 n = 10，列出至少有一个孩子的下标。"),
                ),
            ),
            code=(
                "def heapify(a):\n"
                "    n = len(a)\n"
                "    for i in range(n // 2 - 1, -1, -1):\n"
                "        while True:\n"
                "            c = 2 * i + 1\n"
                "            if c >= n:\n"
                "                break\n"
                "            if c + 1 < n and a[c + 1] < a[c]:\n"
                "                c += 1\n"
                "            if a[c] >= a[i]:\n"
                "                break\n"
                "            a[i], a[c] = a[c], a[i]\n"
                "            i = c"
            ),
            key=(
                "n//2-1 | n//2−1 | n//2 − 1 | n/2 − 1 | n/2-1 | n/2−1 | last internal node | last non-leaf | "
                "last parent | 最后一个内部结点 | 最后一个非叶 | 最后一个有孩子 & backward | backwards | in reverse | reverse order | "
                "倒序 | 逆序 | 递减 | down to 0 | down to index 0 | back to index 0 | back to 0 | 到下标 0 | 到 0 | 从后往前 | "
                "-1,-1",
            ),
        ),
        Exercise(
            "applications",
            ("Find the k largest numbers of a stream of n numbers using only O(k) memory.",
             "只用 O(k) 的内存，找出 n 个数的数据流中最大的 k 个数。"),
            ("Keep a min-heap of at most k numbers: push each number, and whenever the heap holds more than k, pop its minimum; at the end the heap holds the k largest, in O(n log k) time.",
             "维护一个最多含 k 个数的最小堆：每来一个数就压入，一旦堆中超过 k 个就弹出堆顶最小值；最后堆里就是最大的 k 个数，时间 O(n log k)。"),
            (
                Mistake(
                    attempt=("pushes every number of the stream into a max-heap and pops k times at the end.",
                             "把数据流中的每个数都压入最大堆，最后弹出 k 次。"),
                    alt=("“It works, but it uses O(n) memory.”",
                         "“能得到答案，但用了 O(n) 的内存。”"),
                    diag=("Keeping every number breaks the memory limit; only k candidates need to be remembered in the heap.",
                          "保存所有数超出了内存限制；堆里只需要记住 k 个候选。"),
                    ask=("Which of the k current candidates is the first one to be replaced by a bigger number?",
                         "当前的 k 个候选中，哪一个会最先被更大的数替换掉？"),
                    step=("Process the stream 5, 1, 9, 3, 7 with k = 2, keeping only two numbers at a time.",
                          "取 k = 2 处理数据流 5、1、9、3、7，任何时候都只保留两个数。"),
                ),
                Mistake(
                    attempt=("keeps a max-heap of size k and pops its largest element when it grows past k.",
                             "维护一个大小为 k 的最大堆，超过 k 个时弹出其中最大的元素。"),
                    alt=("“I end up with the k smallest numbers instead.”",
                         "“结果我得到的是最小的 k 个数。”"),
                    diag=("Popping the largest element of the heap throws away exactly the numbers you want to keep.",
                          "从堆中弹出最大的元素，扔掉的恰恰是你想保留的数。"),
                    ask=("Which candidate should leave the heap when a new number pushes it past k?",
                         "当新数让堆超过 k 个时，应该让哪个候选离开？"),
                    step=("Trace 5, 1, 9 with k = 2 and look at what remains in the heap.",
                          "取 k = 2 追踪 5、1、9，看看堆里最后剩下什么。"),
                ),
                Mistake(
                    attempt=("stores the whole stream and returns `sorted(stream)[-k:]`.",
                             "保存整个数据流，返回 `sorted(stream)[-k:]`。"),
                    alt=("“`sorted(stream)[-k:]` — simple!”",
                         "“`sorted(stream)[-k:]`，多简单！”"),
                    diag=("Sorting needs the whole stream in memory and O(n log n) time, while a small heap needs neither.",
                          "排序需要把整个数据流放进内存，还要 O(n log n) 时间，而一个小堆两者都不需要。"),
                    ask=("Could a heap of size k give the answer in O(n log k) time with O(k) memory?",
                         "一个大小为 k 的堆，能否在 O(n log k) 时间、O(k) 内存内得到答案？"),
                    step=("Estimate the memory your method needs for n = 10⁹ and k = 10.",
                          "估算一下当 n = 10⁹、k = 10 时你的方法需要多少内存。"),
                ),
            ),
            code=(
                "import heapq\n\n"
                "def k_largest(stream, k):\n"
                "    heap = []\n"
                "    for x in stream:\n"
                "        heapq.heappush(heap, x)\n"
                "        if len(heap) > k:\n"
                "            heapq.heappop(heap)\n"
                "    return sorted(heap, reverse=True)"
            ),
            key=(
                "min-heap | min heap | 最小堆 | 小顶堆 & size k | k elements | k numbers | k items | at most k | k 个 | "
                "大小为 k & pop | remove | evict | discard | 弹出 | 删除 | 扔掉",
                "pop the smallest | pop its minimum | pop the minimum | pop its smallest | remove the smallest | "
                "remove the minimum | evict the smallest | discard the smallest | 弹出最小 | 弹出堆顶最小 | 删除最小 | 扔掉最小 | "
                "弹出堆顶 & more than k | exceeds k | past k | over k | 超过 k | 大于 k | >k",
            ),
        ),
        Exercise(
            "sift",
            ("Implement push for a binary min-heap stored in a Python list.",
             "为存放在 Python 列表中的二叉最小堆实现 push。"),
            ("Append the value, then sift up: while `i > 0` and `a[i] < a[(i - 1) // 2]`, swap with the parent and move i to the parent.",
             "先追加这个值，然后上浮：当 `i > 0` 且 `a[i] < a[(i - 1) // 2]` 时，与父结点交换，并把 i 移到父结点。"),
            (
                Mistake(
                    attempt=("appends the value and does not sift it up.",
                             "追加了这个值，但没有让它上浮。"),
                    alt=("“After push(0), peek still returns 1.”",
                         "“push(0) 之后，peek 返回的还是 1。”"),
                    diag=("The new element is in the array, but it may be smaller than its parent in the heap.",
                          "新元素已经在数组里了，但它可能比它在堆中的父结点还小。"),
                    ask=("Which comparison should happen right after appending?",
                         "追加之后应该马上做什么比较？"),
                    step=("Push 0 onto [1, 3, 2] and compare the new element with its parent.",
                          "把 0 压入 [1, 3, 2]，比较新元素和它的父结点。"),
                ),
                Mistake(
                    attempt=("sifts up by comparing the new element with its child instead of its parent.",
                             "上浮时把新元素和它的孩子比较，而不是和父结点比较。"),
                    alt=("“My sift-up reads past the end of the heap.”",
                         "“我的上浮操作读到了堆末尾之外。”"),
                    diag=("Sift-up walks towards the root, so each step must compare with the parent.",
                          "上浮是朝着根走的，所以每一步都应该和父结点比较。"),
                    ask=("What is the index of the parent of i?",
                         "i 的父结点下标是多少？"),
                    step=("Trace push(0) onto [1, 3, 2] and write the index at each step.",
                          "追踪把 0 压入 [1, 3, 2] 的过程，写下每一步的下标。"),
                ),
                Mistake(
                    attempt=("keeps swapping with the parent until index 0, even when the parent is already smaller.",
                             "一直和父结点交换直到下标 0，即使父结点已经更小。"),
                    alt=("“Every value I push ends up at the root.”",
                         "“我压入的每个值最后都跑到了根上。”"),
                    diag=("Your loop keeps swapping even after the heap property already holds.",
                          "在堆性质已经成立之后，你的循环还在继续交换。"),
                    ask=("At what point can sift-up stop early?",
                         "上浮在什么时候可以提前停止？"),
                    step=("Push 10 onto [1, 3, 2] and trace each swap.",
                          "把 10 压入 [1, 3, 2]，追踪每一次交换。"),
                ),
            ),
            code=(
                "def push(a, x):\n"
                "    a.append(x)\n"
                "    i = len(a) - 1\n"
                "    while i > 0 and a[i] < a[(i - 1) // 2]:\n"
                "        p = (i - 1) // 2\n"
                "        a[i], a[p] = a[p], a[i]\n"
                "        i = p"
            ),
            key=(
                "a[i]<a[(i-1)//2] | a[(i-1)//2]>a[i] | a[i]<a[p] | a[p]>a[i]",
                "swap with the parent | swap it with its parent | swap with its parent | swap it with the parent | "
                "与父结点交换 | 和父结点交换 | 跟父结点交换 & while | until | as long as | 直到 | 只要 | 当 & smaller than its parent | "
                "smaller than the parent | less than its parent | less than the parent | 比父结点小 | 小于父结点 | 比它的父结点小 | "
                "小于它的父结点",
            ),
        ),
        Exercise(
            "applications",
            ("Merge k sorted lists into one sorted list in O(N log k), where N is the total number of elements.",
             "把 k 个有序列表合并成一个有序列表，要求 O(N log k)，N 为元素总数。"),
            ("Push `(lst[0], i, 0)` for each non-empty list i into a min-heap; repeatedly pop `(value, i, j)`, output the value, and push `(lists[i][j + 1], i, j + 1)` if it exists. The index i breaks ties so lists are never compared.",
             "对每个非空列表 i，把 `(lst[0], i, 0)` 压入最小堆；反复弹出 `(value, i, j)`，输出该值，若 `lists[i][j + 1]` 存在就压入 `(lists[i][j + 1], i, j + 1)`。下标 i 用于打破平局，这样永远不会去比较列表。"),
            (
                Mistake(
                    attempt=("concatenates all the lists and sorts the result.",
                             "把所有列表拼起来再排序。"),
                    alt=("“`sorted(sum(lists, []))` works fine.”",
                         "“`sorted(sum(lists, []))` 就挺好用。”"),
                    diag=("It is correct, but it ignores that each list is already sorted, which a heap of list fronts can exploit.",
                          "结果是对的，但它忽略了每个列表都已有序这一点，而由各列表表头组成的堆正好能利用它。"),
                    ask=("At any moment, which elements are the only candidates for the next output?",
                         "在任何时刻，哪些元素才是下一个输出的候选？"),
                    step=("Merge [1, 4], [2, 5] and [3, 6] by hand, looking only at the front of each list.",
                          "手工合并 [1, 4]、[2, 5] 和 [3, 6]，只看每个列表的表头。"),
                ),
                Mistake(
                    attempt=("pushes `(value, list)` tuples and gets a TypeError when two values tie.",
                             "压入 `(value, list)` 元组，两个值相等时报 TypeError。"),
                    alt=("“TypeError: '<' not supported between instances of 'list' and 'list'.”",
                         "“报错 TypeError: '<' not supported between instances of 'list' and 'list'。”"),
                    diag=("On equal values, the heap compares the next element of the tuple, which here isn't comparable.",
                          "值相等时，堆会比较元组的下一个元素，而这里它是不可比较的。"),
                    ask=("What could you put in the tuple so that ties are broken by something comparable?",
                         "元组里放什么，才能让平局由某个可比较的东西来打破？"),
                    step=("Push two entries with equal values and check what the heap compares next.",
                          "压入两个值相等的条目，检查堆接下来比较的是什么。"),
                ),
                Mistake(
                    attempt=("pops the smallest front but never pushes the next element of that list.",
                             "弹出了最小的表头，却从不把该列表的下一个元素压入。"),
                    alt=("“Only the first element of each list comes out.”",
                         "“每个列表只有第一个元素被输出了。”"),
                    diag=("After a list's front leaves the heap, that list's next element becomes a candidate.",
                          "一个列表的表头离开堆之后，该列表的下一个元素就成了新的候选。"),
                    ask=("What should be pushed after popping an element that came from list i?",
                         "弹出一个来自列表 i 的元素之后，应该压入什么？"),
                    step=("Trace [1, 4] and [2, 5] and write the heap after each pop.",
                          "追踪 [1, 4] 和 [2, 5]，每次弹出后写下堆的内容。"),
                ),
            ),
            code=(
                "import heapq\n\n"
                "def merge_k(lists):\n"
                "    heap = [(lst[0], i, 0) for i, lst in enumerate(lists) if lst]\n"
                "    heapq.heapify(heap)\n"
                "    out = []\n"
                "    while heap:\n"
                "        value, i, j = heapq.heappop(heap)\n"
                "        out.append(value)\n"
                "        if j + 1 < len(lists[i]):\n"
                "            heapq.heappush(heap, (lists[i][j + 1], i, j + 1))\n"
                "    return out"
            ),
            key=(
                "(lst[0],i,0) | (lists[i][0],i,0) | (value,i,j) | (val,i,j) | (lists[i][j+1],i,j+1) | (x,i,j) | "
                "(v,i,j)",
                "push the next element | push the next item | push the next value | push its successor | "
                "push the following element | push that list's next | push the next one from | 压入该列表的下一个 | "
                "压入同一列表的下一个 | 压入同一个列表的下一个 | 压入它所在列表的下一个 | 再压入该列表",
                "list index | index i | the index | its index | 列表的下标 | 下标 i | 列表下标 | 序号 & tie | ties | 平局 | "
                "tie-break | tiebreaker",
            ),
        ),
        Exercise(
            "heap_property",
            ("Sort an array in ascending order in place with heapsort.",
             "用堆排序把一个数组原地按升序排序。"),
            ("Build a max-heap bottom-up; then for end = n − 1 down to 1, swap `a[0]` with `a[end]` and sift the new root down within `a[:end]`; O(n log n) time, O(1) extra space, not stable.",
             "先自底向上建一个最大堆；然后让 end 从 n − 1 递减到 1，每次交换 `a[0]` 和 `a[end]`，并在 `a[:end]` 范围内让新的根下沉；时间 O(n log n)，额外空间 O(1)，不稳定。"),
            (
                Mistake(
                    attempt=("builds a min-heap and swaps the root to the end each round, producing descending order.",
                             "建的是最小堆，每轮把根换到末尾，结果得到降序。"),
                    alt=("“My heapsort sorts the array in descending order.”",
                         "“我的堆排序把数组排成了降序。”"),
                    diag=("Each round moves the root of the heap to the end, so the type of heap decides what ends up last.",
                          "每一轮都把堆的根移到末尾，所以堆的类型决定了什么元素排在最后。"),
                    ask=("To place the largest element at the end, which value must be at the root?",
                         "要把最大的元素放到末尾，根上必须是哪个值？"),
                    step=("Run one round on [3, 1, 2] with a min-heap and with a max-heap.",
                          "分别用最小堆和最大堆，在 [3, 1, 2] 上执行一轮。"),
                ),
                Mistake(
                    attempt=("after swapping the root to the end, sifts down over the whole array, including the sorted part.",
                             "把根换到末尾之后，在整个数组范围内下沉，连已排好的部分也包括在内。"),
                    alt=("“The sorted elements at the end get pulled back into the heap.”",
                         "“末尾已经排好的元素又被拉回了堆里。”"),
                    diag=("The heap has to shrink by one element every round, leaving the sorted tail alone.",
                          "堆每一轮都要缩小一个元素，不去碰已排好序的尾部。"),
                    ask=("What is the size of the heap after k rounds?",
                         "执行 k 轮之后，堆的大小是多少？"),
                    step=("Trace [3, 1, 2] and mark the heap boundary after each round.",
                          "追踪 [3, 1, 2]，每轮之后标出堆的边界。"),
                ),
                Mistake(
                    attempt=("states that heapsort is stable.",
                             "断言堆排序是稳定的。"),
                    alt=("“Heapsort keeps equal elements in their original order, right?”",
                         "“堆排序会让相等的元素保持原来的顺序，对吧？”"),
                    diag=("Swaps between distant positions of the heap can reorder equal keys.",
                          "堆中相距很远的位置之间的交换，可能会打乱相等键的顺序。"),
                    ask=("What happens to two equal keys when the root is swapped with the last element?",
                         "当根与最后一个元素交换时，两个相等的键会发生什么？"),
                    step=("Heapsort [(2, 'a'), (2, 'b'), (1, 'c')] by the number and check the order of the labels.",
                          "按数字对 [(2, 'a'), (2, 'b'), (1, 'c')] 做堆排序，检查标签的顺序。"),
                ),
            ),
            code=(
                "def heapsort(a):\n"
                "    def sift_down(i, n):\n"
                "        while 2 * i + 1 < n:\n"
                "            c = 2 * i + 1\n"
                "            if c + 1 < n and a[c + 1] > a[c]:\n"
                "                c += 1\n"
                "            if a[c] <= a[i]:\n"
                "                return\n"
                "            a[i], a[c] = a[c], a[i]\n"
                "            i = c\n"
                "    n = len(a)\n"
                "    for i in range(n // 2 - 1, -1, -1):\n"
                "        sift_down(i, n)\n"
                "    for end in range(n - 1, 0, -1):\n"
                "        a[0], a[end] = a[end], a[0]\n"
                "        sift_down(0, end)"
            ),
            key=(
                "build a max-heap | builds a max-heap | use a max-heap | using a max-heap | a max-heap | max heap | "
                "建一个最大堆 | 建最大堆 | 用最大堆 | 建大顶堆 | 一个最大堆 & a[0] with a[end] | a[0],a[end] | root with the last | "
                "root to the end | swap the root with | 根与最后 | 根和最后 | 交换 a[0] 和 a[end] | 交换a[0] | 把根换到末尾 | 堆顶与末尾 | "
                "堆顶和最后",
                "within a[:end] | in a[:end] | sift_down(0,end) | 在 a[:end] | a[:end] 范围",
                "not stable | unstable | isn't stable | is not stable | 不稳定 | 不是稳定",
            ),
        ),
        Exercise(
            "applications",
            ("Tasks arrive with priorities and the scheduler always runs the most important one next. Which structure should it use, and what do its operations cost?",
             "任务带着优先级到达，调度器总是先运行最重要的任务。它应该用什么结构？各操作的代价是多少？"),
            ("A binary heap (priority queue): insert and remove-max in O(log n), peek in O(1); with Python's min-heap `heapq`, push `(-priority, counter, task)` so the most important task comes out first.",
             "用二叉堆（优先队列）：插入和删除最大值都是 O(log n)，查看堆顶 O(1)；用 Python 的最小堆 `heapq` 时，压入 `(-priority, counter, task)`，这样最重要的任务先出来。"),
            (
                Mistake(
                    attempt=("keeps a sorted list with `bisect.insort`, claiming inserts are O(log n).",
                             "用 `bisect.insort` 维护一个有序列表，声称插入是 O(log n)。"),
                    alt=("“bisect finds the position in log n, so insert is O(log n).”",
                         "“bisect 用 log n 找到位置，所以插入是 O(log n)。”"),
                    diag=("Finding the position is O(log n), but inserting into a list then shifts the later elements; a heap avoids that.",
                          "找位置确实是 O(log n)，但插入列表还要移动后面的元素；堆就没有这个问题。"),
                    ask=("What does inserting into the middle of a Python list cost?",
                         "在 Python 列表中间插入一个元素的代价是多少？"),
                    step=("Write the cost of finding the position and the cost of shifting as two separate terms.",
                          "把找位置的代价和移动元素的代价写成两个独立的项。"),
                ),
                Mistake(
                    attempt=("uses `heapq` with the priorities as given, and gets the least important task first.",
                             "直接用原始优先级配合 `heapq`，结果最不重要的任务先出来。"),
                    alt=("“heapq gives me the least important task first.”",
                         "“heapq 先给了我最不重要的任务。”"),
                    diag=("Python's `heapq` is a min-heap, so the smallest priority sits at the root.",
                          "Python 的 `heapq` 是最小堆，所以优先级最小的在根上。"),
                    ask=("How could you store the priority so that the most important task has the smallest key?",
                         "怎样存放优先级，才能让最重要的任务拥有最小的键？"),
                    step=("Push the priorities 1, 5 and 3, pop once, and see what comes out.",
                          "压入优先级 1、5、3，弹出一次，看看出来的是什么。"),
                ),
                Mistake(
                    attempt=("keeps an unsorted list and scans it for the maximum every time.",
                             "维护一个无序列表，每次都扫描一遍找最大值。"),
                    alt=("“Getting the next task is O(n) each time.”",
                         "“每次取下一个任务都是 O(n)。”"),
                    diag=("Scanning for the maximum repeats work on every step, which a heap avoids by keeping partial order.",
                          "每次扫描找最大值都在重复工作，而堆通过维持部分有序避免了这一点。"),
                    ask=("Which structure removes the maximum in O(log n) per operation?",
                         "哪种结构能以每次 O(log n) 删除最大值？"),
                    step=("Compare the total cost of n removals with a scan and with a heap.",
                          "比较用扫描和用堆完成 n 次删除的总代价。"),
                ),
            ),
            key=(
                "(-priority | -priority | negate | negated | negating | negative priority | negative priorities | "
                "取负 | 负的优先级 | 相反数 | 优先级取反",
                "heap | 堆 | priority queue | 优先队列 & o(logn) & o(1)",
                "use a heap | use a binary heap | use a priority queue | use a max-heap | 应该用堆 | 改用堆 | 用一个堆 | "
                "用二叉堆 | 用优先队列 | 使用堆 | 使用优先队列 | 用最大堆 | 使用二叉堆",
            ),
        ),
        Exercise(
            "heap_property",
            ("Where in a min-heap of n elements can the largest element be, and how fast can you find it?",
             "在含 n 个元素的最小堆中，最大元素可能在哪里？找到它需要多快？"),
            ("It must be in a leaf, that is at some index from n // 2 to n − 1, because every internal node is smaller than its children; the heap doesn't order the leaves, so finding the maximum takes O(n) (scanning about n/2 leaves).",
             "它一定在某个叶结点上，即下标 n // 2 到 n − 1 之间，因为每个内部结点都比它的孩子小；堆并不对叶结点排序，所以找最大值需要 O(n)（扫描大约 n/2 个叶结点）。"),
            (
                Mistake(
                    attempt=("says the largest element is always the last element of the array.",
                             "说最大元素总是数组的最后一个元素。"),
                    alt=("“The max of a min-heap is just a[-1].”",
                         "“最小堆的最大值就是 a[-1]。”"),
                    diag=("The heap only guarantees that parents are smaller than children; any leaf can hold the maximum.",
                          "堆只保证父结点比孩子小；任何一个叶结点都可能存着最大值。"),
                    ask=("In the min-heap [1, 5, 2, 6, 7, 3], which positions are leaves, and where is the maximum?",
                         "在最小堆 [1, 5, 2, 6, 7, 3] 中，哪些位置是叶结点？最大值在哪里？"),
                    step=("Draw [1, 5, 2, 6, 7, 3] as a tree and mark its leaves.",
                          "把 [1, 5, 2, 6, 7, 3] 画成树，标出叶结点。"),
                ),
                Mistake(
                    attempt=("says it must be at index 1 or 2, one of the children of the root.",
                             "说它一定在下标 1 或 2，也就是根的某个孩子上。"),
                    alt=("“The biggest value is right under the root.”",
                         "“最大的值就在根的正下方。”"),
                    diag=("In a min-heap the children of the root are small values, and any node with a child is smaller than that child.",
                          "在最小堆中，根的孩子都是较小的值，而且任何有孩子的结点都比它的孩子小。"),
                    ask=("Can a node that has a child hold the maximum of a min-heap?",
                         "一个有孩子的结点，可能存着最小堆的最大值吗？"),
                    step=("Check each internal node of [1, 3, 2, 7, 4] against its children.",
                          "把 [1, 3, 2, 7, 4] 的每个内部结点和它的孩子比较一下。"),
                ),
                Mistake(
                    attempt=("claims the maximum can be found in O(log n) by always following the larger child.",
                             "声称总是沿着较大的孩子走，就能在 O(log n) 内找到最大值。"),
                    alt=("“Just follow the larger child down, like a binary search.”",
                         "“一路沿着较大的孩子往下走，就像二分查找一样。”"),
                    diag=("Following one path checks only one leaf, but the maximum may sit in any leaf of the heap.",
                          "沿一条路径只能检查一个叶结点，而最大值可能在堆的任何一个叶结点上。"),
                    ask=("How many leaves does a heap have, and does the heap order them in any way?",
                         "一个堆有多少个叶结点？堆对它们有任何排序吗？"),
                    step=("Build a small min-heap in which following the larger child misses the maximum.",
                          "构造一个小的最小堆，让“沿较大孩子走”的方法错过最大值。"),
                ),
            ),
            key=(
                "leaf | leaves | 叶 & o(n) | scan all | scan the leaves | scanning | 扫描 | check every leaf | "
                "check all leaves | 检查所有叶",
                "n//2 & n-1 | n−1",
                "is o(n) | takes o(n) | needs o(n) | requires o(n) | in o(n) | costs o(n) | 需要 o(n) | 是 o(n) | "
                "要 o(n) | 为 o(n) | 花 o(n)",
            ),
        ),
        Exercise(
            "sift",
            ("Implement decrease_key(item, new_key) for a min-heap of items.",
             "为一个存放元素的最小堆实现 decrease_key(item, new_key)。"),
            ("Keep a dict `pos` from item to index, updated on every swap; look up the index, set the smaller key, and sift up (only the parent side can be violated); O(log n).",
             "维护一个从元素到下标的字典 `pos`，每次交换都更新它；查到下标后设置更小的键，然后上浮（只可能违反与父结点的关系）；时间 O(log n)。"),
            (
                Mistake(
                    attempt=("sifts the element down after decreasing its key.",
                             "减小键之后让元素下沉。"),
                    alt=("“After decreasing, the element stays below a larger parent.”",
                         "“减小之后，这个元素仍然待在一个更大的父结点下面。”"),
                    diag=("A smaller key can only break the heap property with its parent, which is above it.",
                          "更小的键只可能与它上方的父结点之间破坏堆性质。"),
                    ask=("In which direction can a decreased key need to move?",
                         "键减小之后，元素可能需要朝哪个方向移动？"),
                    step=("Decrease 7 to 0 in [1, 3, 2, 7] and compare it with its parent.",
                          "在 [1, 3, 2, 7] 中把 7 减小到 0，再和它的父结点比较。"),
                ),
                Mistake(
                    attempt=("finds the element's index with a linear search every time.",
                             "每次都用线性查找来找元素的下标。"),
                    alt=("“decrease_key is O(n) because I have to search for the element.”",
                         "“decrease_key 是 O(n)，因为我得先找到这个元素。”"),
                    diag=("Sifting is O(log n), but finding the element scans the whole heap array.",
                          "上浮是 O(log n)，但找元素要扫描整个堆数组。"),
                    ask=("How could you know an element's index in the heap without searching for it?",
                         "怎样不用查找就能知道一个元素在堆中的下标？"),
                    step=("Think about a dict from item to index and which operations would have to update it.",
                          "想一想从元素到下标的字典，以及哪些操作需要更新它。"),
                ),
                Mistake(
                    attempt=("keeps a position map but updates only the moved element on each swap.",
                             "维护了位置映射，但每次交换只更新被移动的那个元素。"),
                    alt=("“After a few operations, the positions in my index map are wrong.”",
                         "“几次操作之后，我的位置映射里的下标就不对了。”"),
                    diag=("Every swap in the heap moves two elements, so both of their positions change.",
                          "堆中的每次交换都会移动两个元素，所以两个元素的位置都变了。"),
                    ask=("Which entries of the position map change during one swap?",
                         "一次交换中，位置映射的哪些条目会改变？"),
                    step=("Trace one swap and print the position map before and after it.",
                          "追踪一次交换，在交换前后分别打印位置映射。"),
                ),
            ),
            key=(
                "updated on every swap | update it on every swap | update pos on every swap | "
                "update the dict on every swap | 每次交换都更新 | 每次交换时更新 | 交换时同步更新 & sift up | sift-up | sift it up | 上浮",
                "sift up | sift-up | sift it up | 上浮 & parent | 父结点 & only | 只",
                "should sift up | must sift up | needs to sift up | sift it up instead | sift up instead | "
                "sift up rather | 应该上浮 | 要上浮 | 改为上浮 | 改成上浮 | 而不是下沉",
                "update both | updates both | update the positions of both | both entries | both positions | 更新两个 | "
                "两个都更新 | 都要更新 | 都更新",
            ),
        ),
        Exercise(
            "applications",
            ("Report the median of a stream after every new number, in O(log n) per number.",
             "对一个数据流，每来一个新数就报告当前的中位数，每个数的代价为 O(log n)。"),
            ("Keep a max-heap `low` for the smaller half and a min-heap `high` for the larger half; push each number into the right heap, rebalance so that `len(low)` is `len(high)` or one more, and read the median from the top of low (or the average of both tops).",
             "用最大堆 `low` 保存较小的一半，用最小堆 `high` 保存较大的一半；把每个数压入合适的堆，再调整使 `len(low)` 等于 `len(high)` 或多一个，中位数从 low 的堆顶读出（或取两个堆顶的平均值）。"),
            (
                Mistake(
                    attempt=("keeps one sorted list and inserts each number with `insort`.",
                             "维护一个有序列表，用 `insort` 插入每个数。"),
                    alt=("“Each insert is O(n) in my solution.”",
                         "“在我的解法里每次插入都是 O(n)。”"),
                    diag=("Keeping everything sorted is more than you need; only the elements around the middle matter, and heaps can expose them.",
                          "让所有元素都有序超出了需要；只有中间附近的元素才重要，而堆可以把它们暴露出来。"),
                    ask=("Which two values around the middle must you be able to reach quickly?",
                         "中间附近哪两个值是你必须能快速取到的？"),
                    step=("Split the numbers into a lower half and an upper half and decide what each half must expose at its top.",
                          "把数分成较小的一半和较大的一半，想一想每一半的堆顶需要暴露什么。"),
                ),
                Mistake(
                    attempt=("uses two min-heaps for the two halves.",
                             "两半都用最小堆。"),
                    alt=("“I can't get the largest element of the lower half.”",
                         "“我取不到较小那一半中最大的元素。”"),
                    diag=("The lower half must expose its largest element, which a min-heap keeps buried.",
                          "较小的一半需要暴露它的最大元素，而最小堆会把它埋在下面。"),
                    ask=("Which kind of heap gives quick access to its largest element?",
                         "哪种堆能快速取到它的最大元素？"),
                    step=("Insert 1, 5 and 3 and look at the tops of your two heaps.",
                          "插入 1、5、3，看看你两个堆的堆顶。"),
                ),
                Mistake(
                    attempt=("never rebalances the two heaps, so one of them grows much larger.",
                             "从不重新平衡两个堆，结果其中一个变得大得多。"),
                    alt=("“My median slowly drifts away from the true value.”",
                         "“我的中位数慢慢偏离了真实值。”"),
                    diag=("The sizes of the two heaps must stay within one of each other for their tops to surround the median.",
                          "两个堆的大小之差必须不超过一，它们的堆顶才能夹住中位数。"),
                    ask=("After an insertion, how do you restore the size balance between the heaps?",
                         "插入之后，怎样恢复两个堆之间的大小平衡？"),
                    step=("Insert 1, 2, 3, 4 into the lower heap only and compute the median you report.",
                          "只把 1、2、3、4 插入较小的那个堆，算一算你报告的中位数。"),
                ),
            ),
            code=(
                "import heapq\n\n"
                "class MedianStream:\n"
                "    def __init__(self):\n"
                "        self.low, self.high = [], []  # low is a max-heap via negation\n"
                "    def add(self, x):\n"
                "        heapq.heappush(self.low, -x)\n"
                "        heapq.heappush(self.high, -heapq.heappop(self.low))\n"
                "        if len(self.high) > len(self.low):\n"
                "            heapq.heappush(self.low, -heapq.heappop(self.high))\n"
                "    def median(self):\n"
                "        if len(self.low) > len(self.high):\n"
                "            return -self.low[0]\n"
                "        return (-self.low[0] + self.high[0]) / 2"
            ),
            key=(
                "max-heap | max heap | 最大堆 | 大顶堆 & min-heap | min heap | 最小堆 | 小顶堆 & lower half | smaller half | "
                "low | 较小的一半 | 小的一半 | 较小一半 | 前一半",
                "or 1 more | or at most 1 more | 1 more element | 或多 1 个 | 最多多 1 个 | 多出 1 个 | "
                "move the top of the larger | pop from the bigger | 把较大堆的堆顶 | 把多的那个堆的堆顶",
            ),
        ),
    ),
)
