from .schema import Exercise, Mistake, Point, Topic

TOPIC = Topic(
    key="queues",
    name=("Queues", "队列"),
    keywords=(
        ("queue", "enqueue", "dequeue", "front", "rear", "FIFO", "deque", "first-in", "back", "buffer", "window",
         "level", "wave", "slot", "oldest"),
        ("队列", "入队", "出队", "队头", "队尾", "先进先出", "双端队列", "缓冲", "窗口", "层", "一轮", "槽", "最旧"),
    ),
    points={
        "fifo": Point(
            ("FIFO order and queue operations", "先进先出与队列操作"),
            ("A queue and a stack only differ in name: both give back the most recently added element first.",
             "队列和栈只是名字不同：两者都先取出最近加入的元素。"),
        ),
        "circular": Point(
            ("circular buffers", "循环队列"),
            ("In a circular array queue `front == rear` means full and empty at the same time, and no extra information is ever needed to tell them apart.",
             "在循环数组队列中，`front == rear` 同时表示满和空，而且永远不需要额外信息来区分这两种状态。"),
        ),
        "deque": Point(
            ("deques and sliding windows", "双端队列与滑动窗口"),
            ("`list.pop(0)` is O(1) in Python, so a plain list works just as well as `collections.deque` for removing from the front.",
             "在 Python 中 `list.pop(0)` 是 O(1) 的，所以从前端删除元素时，普通列表和 `collections.deque` 一样好用。"),
        ),
        "bfs_queue": Point(
            ("queues in breadth-first processing", "队列在广度优先处理中的应用"),
            ("Breadth-first processing works just as well with a stack, because the order in which waiting items leave doesn't change the result.",
             "广度优先处理用栈也一样可行，因为等待元素出来的顺序不会影响结果。"),
        ),
    },
    facts=(
        ("A queue is first-in, first-out: elements are added at the rear and removed from the front.",
         "队列是先进先出的：元素从队尾加入，从队头移除。"),
        ("`collections.deque` supports O(1) appends and pops at both ends, while `list.pop(0)` costs O(n).",
         "`collections.deque` 在两端追加和弹出都是 O(1)，而 `list.pop(0)` 的代价是 O(n)。"),
        ("Breadth-first search uses a queue so that everything at distance d is processed before anything at distance d + 1.",
         "广度优先搜索使用队列，保证距离为 d 的所有元素都在距离为 d + 1 的元素之前被处理。"),
    ),
    exercises=(
        Exercise(
            "fifo",
            ("Implement a queue whose enqueue and dequeue both run in O(1).",
             "实现一个队列，使入队和出队都是 O(1)。"),
            ("Use `collections.deque`: enqueue with `append(x)` and dequeue with `popleft()`, raising an error when the deque is empty.",
             "使用 `collections.deque`：入队用 `append(x)`，出队用 `popleft()`，队列为空时抛出错误。"),
            (
                Mistake(
                    attempt=("stores the queue in a Python list and dequeues with `items.pop(0)`.",
                             "用 Python 列表存储队列，出队时调用 `items.pop(0)`。"),
                    alt=("“My queue works, but it gets slow with 100,000 elements.”",
                         "“我的队列能用，但有 100,000 个元素时变得很慢。”"),
                    diag=("Removing from the front of a Python list shifts every remaining element of the queue.",
                          "从 Python 列表的前端删除元素，会让队列中剩下的每个元素都移动一位。"),
                    ask=("Which structure lets you remove from the front without shifting anything?",
                         "哪种结构能在不移动任何元素的情况下从前端删除？"),
                    step=("Time 100,000 dequeues with `list.pop(0)` and with `deque.popleft()`.",
                          "分别用 `list.pop(0)` 和 `deque.popleft()` 出队 100,000 次并计时。"),
                ),
                Mistake(
                    attempt=("enqueues with `append` and dequeues with `pop()`, so the newest element comes out first.",
                             "用 `append` 入队、用 `pop()` 出队，结果最新的元素先出来。"),
                    alt=("“My queue gives back the last element I added.”",
                         "“我的队列把我最后加的元素先还给我了。”"),
                    diag=("Adding and removing at the same end gives last-in, first-out behaviour, which is a stack.",
                          "在同一端添加和删除，得到的是后进先出的行为，那是栈。"),
                    ask=("From which end should dequeue take if the oldest element must leave first?",
                         "如果最旧的元素必须先离开，出队应该从哪一端取？"),
                    step=("Enqueue 1, 2, 3, dequeue once, and compare with how a line at a shop behaves.",
                          "入队 1、2、3，再出队一次，和商店排队的情形比较一下。"),
                ),
                Mistake(
                    attempt=("keeps a front index into a list but never reclaims the slots before it.",
                             "用一个队头下标指向列表，但从不回收它之前的位置。"),
                    alt=("“Memory keeps growing even though the queue itself stays small.”",
                         "“队列本身一直很小，但内存占用一直在涨。”"),
                    diag=("Advancing a front index avoids shifting, but the dead slots at the front of the queue are never reused.",
                          "移动队头下标避免了元素移动，但队头前面那些失效的位置从未被重新利用。"),
                    ask=("How could the slots before the front index be reused or released?",
                         "队头下标之前的那些位置，怎样才能被复用或释放？"),
                    step=("Run a million enqueue and dequeue pairs and watch the length of the underlying list.",
                          "执行一百万次入队加出队，观察底层列表的长度。"),
                ),
            ),
            code=(
                "from collections import deque\n\n"
                "class Queue:\n"
                "    def __init__(self):\n"
                "        self.items = deque()\n"
                "    def enqueue(self, x):\n"
                "        self.items.append(x)\n"
                "    def dequeue(self):\n"
                "        if not self.items:\n"
                "            raise IndexError('dequeue from empty queue')\n"
                "        return self.items.popleft()"
            ),
            key=(
                "collections.deque | use a deque | use deque | using a deque | with a deque | 使用 deque | 用 deque | "
                "改用 deque | 换成 deque",
                "append & popleft",
                "dequeue with popleft | dequeues with popleft | dequeue using popleft | 出队用 popleft | 用 popleft 出队",
            ),
        ),
        Exercise(
            "circular",
            ("Implement a fixed-capacity circular queue on an array, using a front index and a size counter.",
             "在数组上实现一个固定容量的循环队列，使用队头下标和元素个数计数器。"),
            ("Enqueue writes to `(front + size) % cap` and then increments size (fail if `size == cap`); dequeue reads `a[front]`, sets `front = (front + 1) % cap` and decrements size (fail if size is 0).",
             "入队时写入 `(front + size) % cap`，然后 size 加一（若 `size == cap` 则失败）；出队时读取 `a[front]`，令 `front = (front + 1) % cap`，size 减一（若 size 为 0 则失败）。"),
            (
                Mistake(
                    attempt=("advances the rear with `rear += 1` and gets an IndexError once it reaches the capacity.",
                             "用 `rear += 1` 移动队尾，到达容量时报 IndexError。"),
                    alt=("“After some dequeues there is free space, but enqueue still crashes.”",
                         "“出队几次后明明有空位，入队还是崩溃。”"),
                    diag=("The rear index has to wrap around to reuse the slots freed at the front of the queue.",
                          "队尾下标需要绕回开头，才能复用队头释放出来的位置。"),
                    ask=("Which index should come right after capacity − 1?",
                         "容量 − 1 之后的下一个下标应该是多少？"),
                    step=("With capacity 3, trace: enqueue three times, dequeue once, enqueue once, writing the indices.",
                          "取容量为 3，追踪：入队三次、出队一次、再入队一次，写下各个下标。"),
                ),
                Mistake(
                    attempt=("uses only front and rear indices and treats `front == rear` as both empty and full.",
                             "只用队头和队尾两个下标，把 `front == rear` 同时当作空和满。"),
                    alt=("“My full queue is reported as empty.”",
                         "“我的队列满了却被判定为空。”"),
                    diag=("With only front and rear, the empty state and the full state of the buffer look identical.",
                          "只有队头和队尾时，缓冲区的空状态和满状态看起来完全一样。"),
                    ask=("What extra piece of information would tell those two states apart?",
                         "需要什么额外的信息才能区分这两种状态？"),
                    step=("Draw an empty and a full queue of capacity 3 and compare their indices.",
                          "画出容量为 3 的空队列和满队列，比较它们的下标。"),
                ),
                Mistake(
                    attempt=("increments size before computing the write slot `(front + size) % cap`, so it writes one slot too far.",
                             "先把 size 加一，再计算写入位置 `(front + size) % cap`，结果写到了后一个位置。"),
                    alt=("“The first element I enqueue lands in slot 1 instead of slot 0.”",
                         "“第一个入队的元素落在了位置 1，而不是位置 0。”"),
                    diag=("The order in which you update the size and compute the slot is off by one.",
                          "更新 size 和计算写入位置的先后顺序差了一步。"),
                    ask=("Should the slot be computed from the size before or after the new element is counted?",
                         "写入位置应该用新元素计入之前还是之后的 size 来计算？"),
                    step=("Trace one enqueue into an empty queue of capacity 4.",
                          "追踪向容量为 4 的空队列入队一次的过程。"),
                ),
            ),
            code=(
                "class CircularQueue:\n"
                "    def __init__(self, cap):\n"
                "        self.a, self.cap, self.front, self.size = [None] * cap, cap, 0, 0\n"
                "    def enqueue(self, x):\n"
                "        if self.size == self.cap:\n"
                "            raise OverflowError('queue is full')\n"
                "        self.a[(self.front + self.size) % self.cap] = x\n"
                "        self.size += 1\n"
                "    def dequeue(self):\n"
                "        if self.size == 0:\n"
                "            raise IndexError('queue is empty')\n"
                "        x = self.a[self.front]\n"
                "        self.front = (self.front + 1) % self.cap\n"
                "        self.size -= 1\n"
                "        return x"
            ),
            key=(
                "+1)% | modulo | mod cap | mod capacity | mod the capacity | 取模 | 取余 | 求余 | 模运算",
                "then increment size | then increments size | then increment the size | increment after writing | "
                "increments after writing | increment size after writing | write before incrementing | "
                "writes before incrementing | slot before incrementing | 然后 size 加一 | 然后 size 加 1 | 再把 size 加一 | "
                "写入之后再 | 写入后再 | 先写入再 | 先写入,再",
            ),
        ),
        Exercise(
            "deque",
            ("Sliding window maximum: output the maximum of every window of size k of an array in O(n).",
             "滑动窗口最大值：在 O(n) 时间内输出数组中每个大小为 k 的窗口的最大值。"),
            ("Keep a deque of indices with decreasing values: for each i, pop from the back while `a[dq[-1]] <= a[i]`, append i, pop from the front if `dq[0] <= i - k`, and once `i >= k - 1` output `a[dq[0]]`.",
             "维护一个对应值递减的下标双端队列：对每个 i，当 `a[dq[-1]] <= a[i]` 时从队尾弹出，然后追加 i；若 `dq[0] <= i - k` 则从队头弹出；当 `i >= k - 1` 时输出 `a[dq[0]]`。"),
            (
                Mistake(
                    attempt=("calls `max()` on every window, which is O(n·k).",
                             "对每个窗口都调用 `max()`，复杂度是 O(n·k)。"),
                    alt=("“It's correct, but slow when k is large.”",
                         "“结果正确，但 k 很大时很慢。”"),
                    diag=("Each window scans k elements again, although neighbouring windows overlap almost entirely.",
                          "每个窗口都重新扫描 k 个元素，可相邻窗口几乎完全重叠。"),
                    ask=("Once a bigger element arrives, can a smaller earlier element ever be a window maximum again?",
                         "一旦来了一个更大的元素，之前较小的元素还可能成为某个窗口的最大值吗？"),
                    step=("Trace [1, 3, 2, 5] with k = 2 and cross out elements that can never be a maximum again.",
                          "用 k = 2 追踪 [1, 3, 2, 5]，划掉那些再也不可能成为最大值的元素。"),
                ),
                Mistake(
                    attempt=("keeps the deque of candidates but never removes entries that have left the window.",
                             "维护了候选元素的双端队列，但从不删除已经离开窗口的元素。"),
                    alt=("“The maximum of an old window sticks around for too long.”",
                         "“旧窗口的最大值一直赖着不走。”"),
                    diag=("The front of your deque may belong to a part of the array the window has already moved past.",
                          "双端队列队头的元素可能属于窗口已经滑过的那部分数组。"),
                    ask=("How can you tell whether the front entry is still inside the current window?",
                         "你怎样判断队头的元素是否还在当前窗口内？"),
                    step=("Store positions in the deque and compare the front position with i − k at each step.",
                          "在双端队列中存位置，每一步都把队头位置和 i − k 比较。"),
                ),
                Mistake(
                    attempt=("removes smaller elements from the front of the deque instead of the back.",
                             "从双端队列的队头而不是队尾删除较小的元素。"),
                    alt=("“My deque is no longer in decreasing order.”",
                         "“我的双端队列不再是递减的了。”"),
                    diag=("New elements enter the deque at the back, so that's where the smaller ones have to be removed.",
                          "新元素从队尾进入双端队列，所以较小的元素也应该从那里删除。"),
                    ask=("Which end of the deque holds the most recently added elements?",
                         "双端队列的哪一端存放着最近加入的元素？"),
                    step=("Trace [2, 1, 3] with k = 3 and draw the deque after each step.",
                          "用 k = 3 追踪 [2, 1, 3]，每一步之后画出双端队列。"),
                ),
            ),
            code=(
                "from collections import deque\n\n"
                "def window_max(a, k):\n"
                "    dq, out = deque(), []\n"
                "    for i, x in enumerate(a):\n"
                "        while dq and a[dq[-1]] <= x:\n"
                "            dq.pop()\n"
                "        dq.append(i)\n"
                "        if dq[0] <= i - k:\n"
                "            dq.popleft()\n"
                "        if i >= k - 1:\n"
                "            out.append(a[dq[0]])\n"
                "    return out"
            ),
            key=(
                "a[dq[-1]]<=a[i] | a[dq[-1]]<=x | a[dq[-1]]<a[i] | a[dq[-1]]<x",
                "pop from the back | pops from the back | pop back | remove from the back | from the back while | "
                "从队尾弹出 | 从尾部弹出 | 从队尾删除 | 从队尾移除 | 队尾弹出 & smaller | <= | less | not greater | 较小 | 更小 | 小于 | 不大于 | 小的",
                "dq[0]<=i-k | dq[0]==i-k | dq[0]<i-k+1 | i-k & popleft | pop from the front | pop the front | "
                "从队头弹出 | 队头弹出",
                "a[dq[0]]",
            ),
        ),
        Exercise(
            "bfs_queue",
            ("Print a binary tree level by level, one line per level.",
             "逐层打印一棵二叉树，每层一行。"),
            ("Use a queue starting with the root; while it is non-empty, read `n = len(queue)`, dequeue exactly n nodes, print their values on one line and enqueue their non-None children.",
             "用一个以根结点开始的队列；当队列非空时，先读取 `n = len(queue)`，恰好出队 n 个结点，把它们的值打印在同一行，并把它们非 None 的孩子入队。"),
            (
                Mistake(
                    attempt=("uses a queue correctly but prints every node on the same line.",
                             "正确使用了队列，但把所有结点都打印在同一行。"),
                    alt=("“The nodes come out in the right order, but I can't tell where each level ends.”",
                         "“结点的顺序是对的，但看不出每一层在哪里结束。”"),
                    diag=("The queue gives the right order, but nothing marks where one level stops and the next begins.",
                          "队列给出了正确的顺序，但没有任何东西标记一层在哪里结束、下一层从哪里开始。"),
                    ask=("How many nodes are in the queue at the moment a new level begins?",
                         "在新的一层开始的那一刻，队列里有多少个结点？"),
                    step=("Write the queue contents at the start of each level for a three-level tree.",
                          "对一棵三层的树，写出每一层开始时队列中的内容。"),
                ),
                Mistake(
                    attempt=("uses a stack instead of a queue for the waiting nodes.",
                             "用栈而不是队列来保存等待的结点。"),
                    alt=("“My level-order output has the nodes in the wrong order.”",
                         "“我的层序遍历输出中结点的顺序不对。”"),
                    diag=("A stack takes the newest node first, so it dives deeper instead of finishing each level.",
                          "栈会先取最新的结点，于是一路往深处走，而不是先把每一层处理完。"),
                    ask=("In which order should the waiting nodes leave for a level-order traversal?",
                         "层序遍历时，等待的结点应该按什么顺序离开？"),
                    step=("Compare the output with a stack and with a queue on a small tree.",
                          "在一棵小树上比较使用栈和使用队列的输出。"),
                ),
                Mistake(
                    attempt=("enqueues None children and crashes when dequeuing them.",
                             "把 None 孩子也入队了，出队时程序崩溃。"),
                    alt=("“I get ‘NoneType object has no attribute left’.”",
                         "“报错 ‘NoneType object has no attribute left’。”"),
                    diag=("Missing children turn into None entries in your queue.",
                          "不存在的孩子变成了队列里的 None 项。"),
                    ask=("Where should you check for a missing child?",
                         "应该在哪里检查孩子是否存在？"),
                    step=("Trace a tree in which one node has only one child.",
                          "追踪一棵其中某个结点只有一个孩子的树。"),
                ),
            ),
            code=(
                "from collections import deque\n\n"
                "def print_levels(root):\n"
                "    queue = deque([root] if root else [])\n"
                "    while queue:\n"
                "        level = []\n"
                "        for _ in range(len(queue)):\n"
                "            node = queue.popleft()\n"
                "            level.append(str(node.val))\n"
                "            for child in (node.left, node.right):\n"
                "                if child:\n"
                "                    queue.append(child)\n"
                "        print(' '.join(level))"
            ),
            key=(
                "len(queue) | len(q) | size of the queue | queue's size | queue size | length of the queue | "
                "queue's length | queue length | number of nodes in the queue | level size | level_size | 队列长度 | "
                "队列的长度 | 队列大小 | 队列的大小 | 队列中的结点数 | 队列里的结点数 | 本层结点数 & exactly | that many | 恰好 | 这么多 | 那么多",
                "range(len(queue)) | range(len(q))",
                "sentinel | 哨兵 | next_level | next level list | list for the next level | 下一层的列表",
                "non-none | not none | 非 none | 不为 none | if child | if node.left | 跳过 none | skip none",
            ),
        ),
        Exercise(
            "fifo",
            ("A printer handles one job at a time in arrival order. Given (arrival time, duration) pairs sorted by arrival, compute each job's finish time.",
             "一台打印机按到达顺序一次处理一个任务。给定按到达时间排序的（到达时间，耗时）对，计算每个任务的完成时间。"),
            ("Process jobs in queue order with a clock: `start = max(clock, arrival)`, `finish = start + duration`, then `clock = finish`.",
             "按队列顺序处理任务并维护时钟：`start = max(clock, arrival)`，`finish = start + duration`，然后 `clock = finish`。"),
            (
                Mistake(
                    attempt=("sorts the jobs by duration before processing them.",
                             "处理之前先按耗时对任务排序。"),
                    alt=("“Short jobs finish first, but that isn't arrival order.”",
                         "“短任务先完成了，但这不是到达顺序。”"),
                    diag=("Ordering by duration is a different scheduling policy; a FIFO queue serves jobs in arrival order.",
                          "按耗时排序是另一种调度策略；先进先出的队列按到达顺序服务。"),
                    ask=("Which job does a first-in, first-out printer start next?",
                         "一台先进先出的打印机接下来会开始哪个任务？"),
                    step=("Trace three jobs with different arrival times and durations through the queue.",
                          "让三个到达时间和耗时都不同的任务依次经过队列，追踪一遍。"),
                ),
                Mistake(
                    attempt=("starts each job as soon as the previous one finishes, even before the job has arrived.",
                             "上一个任务一完成就开始下一个，即使下一个任务还没到达。"),
                    alt=("“One of my jobs finishes before it even arrives.”",
                         "“我有个任务还没到达就已经完成了。”"),
                    diag=("The printer can't start a job from the queue before that job's arrival time.",
                          "打印机不可能在任务到达之前就从队列中开始处理它。"),
                    ask=("When the printer is idle and the next job hasn't arrived yet, when should it start?",
                         "当打印机空闲而下一个任务还没到时，应该什么时候开始？"),
                    step=("Trace the jobs (arrive 0, 2 minutes) and (arrive 10, 1 minute).",
                          "追踪任务（0 时到达，耗时 2 分钟）和（10 时到达，耗时 1 分钟）。"),
                ),
                Mistake(
                    attempt=("starts each job at its arrival time, ignoring that the printer may still be busy.",
                             "每个任务都在到达时开始，忽略了打印机可能还在忙。"),
                    alt=("“Two of my jobs are printing at the same time.”",
                         "“我有两个任务在同时打印。”"),
                    diag=("A job in the queue has to wait while the printer is still busy with the job before it.",
                          "当打印机还在处理前一个任务时，队列中的任务必须等待。"),
                    ask=("When can a job start if the previous job is still printing?",
                         "如果前一个任务还在打印，这个任务什么时候才能开始？"),
                    step=("Trace the jobs (arrive 0, 5 minutes) and (arrive 1, 2 minutes).",
                          "追踪任务（0 时到达，耗时 5 分钟）和（1 时到达，耗时 2 分钟）。"),
                ),
            ),
            code=(
                "def finish_times(jobs):\n"
                "    clock, out = 0, []\n"
                "    for arrival, duration in jobs:\n"
                "        start = max(clock, arrival)\n"
                "        clock = start + duration\n"
                "        out.append(clock)\n"
                "    return out"
            ),
            key=(
                "max(clock,arrival) | max(arrival,clock) | max(t,arrival) | max(time,arrival) | max(now,arrival)",
                "later of | whichever is later | 较晚的那个 | 较晚者 | 中较晚 | 中较大 | 更晚的那个 | 取两者较大 & arrival | 到达",
                "start+duration",
            ),
        ),
        Exercise(
            "deque",
            ("Implement a deque with O(1) push and pop at both ends using linked nodes.",
             "用链式结点实现一个两端 push 和 pop 都是 O(1) 的双端队列。"),
            ("Use a doubly linked list with head and tail: each push links the new node in both directions and updates head or tail; each pop unlinks the end node, and when the last node leaves both head and tail become None.",
             "使用带 head 和 tail 的双向链表：每次 push 都在两个方向上链接新结点并更新 head 或 tail；每次 pop 断开端点结点，当最后一个结点离开时，head 和 tail 都置为 None。"),
            (
                Mistake(
                    attempt=("uses a singly linked list, so pop_back walks the whole list to find the new tail.",
                             "使用单链表，pop_back 时要遍历整个链表才能找到新的尾结点。"),
                    alt=("“pop_back on my deque is O(n).”",
                         "“我的双端队列的 pop_back 是 O(n)。”"),
                    diag=("A singly linked list can't step backwards from the back of the deque.",
                          "单链表无法从双端队列的尾部往回走。"),
                    ask=("Which extra pointer in each node would let you find the new back immediately?",
                         "每个结点再多一个什么指针，就能立刻找到新的尾部？"),
                    step=("Draw pop_back on a three-node list and count the steps it takes.",
                          "在一个三结点的链表上画出 pop_back 的过程，数一数要几步。"),
                ),
                Mistake(
                    attempt=("pops the only element from the front but leaves tail pointing at the removed node.",
                             "从前端弹出唯一的元素，但 tail 仍指向被删除的结点。"),
                    alt=("“After emptying the deque, push_back brings the old node back.”",
                         "“把双端队列清空后，push_back 又把旧结点带回来了。”"),
                    diag=("When the last element leaves the deque, both of its ends have to change.",
                          "当最后一个元素离开双端队列时，两端都必须改变。"),
                    ask=("What should head and tail both be after the only element is removed?",
                         "唯一的元素被删除后，head 和 tail 都应该是什么？"),
                    step=("Test push_front, pop_front, push_back in sequence and print the deque.",
                          "依次测试 push_front、pop_front、push_back，然后打印双端队列。"),
                ),
                Mistake(
                    attempt=("in push_front, forgets to set the old head's prev to the new node.",
                             "在 push_front 中忘了把旧头结点的 prev 指向新结点。"),
                    alt=("“Walking my deque from the back skips the front element.”",
                         "“从尾部遍历双端队列时，会跳过最前面的元素。”"),
                    diag=("The new link was made in one direction only, so the front of the deque is unreachable going backwards.",
                          "新链接只建立了一个方向，所以从后往前走时到达不了双端队列的前端。"),
                    ask=("Which two pointers must change when a node is added at the front?",
                         "在前端加入一个结点时，必须修改哪两个指针？"),
                    step=("Print the deque forwards and backwards after two push_front calls.",
                          "调用两次 push_front 后，分别从前往后和从后往前打印双端队列。"),
                ),
            ),
            key=(
                "doubly linked | doubly-linked | double linked | 双向链表 | 双链表 | prev pointer | prev pointers | "
                "prev 指针 | 前驱指针",
                "head & tail & to none | =none | become none | becomes none | both none | 置为 none | 设为 none | "
                "都为 none | 都是 none | 都置为 none | 都变成 none",
                "head.prev=node | head.prev=new_node | self.head.prev=node | head.prev=new | head.prev=n",
                "both directions | 2 directions | both ways | 2个方向 | 双向链接",
            ),
        ),
        Exercise(
            "bfs_queue",
            ("In a grid, each minute every rotten orange rots its fresh neighbours. How many minutes until no fresh orange is left (−1 if impossible)?",
             "在网格中，每过一分钟，每个烂橘子都会让相邻的新鲜橘子变烂。多少分钟后不再有新鲜橘子（不可能则返回 −1）？"),
            ("Put all initially rotten cells in one queue at minute 0; process the queue level by level (or store the minute with each cell), rotting and enqueuing fresh neighbours as soon as they are reached; the answer is the last minute, or −1 if a fresh orange remains.",
             "把所有初始烂橘子在第 0 分钟放进同一个队列；按层处理队列（或在每个格子上记录分钟数），新鲜邻居一被访问就标记为烂并入队；答案是最后的分钟数，若仍有新鲜橘子则为 −1。"),
            (
                Mistake(
                    attempt=("runs a separate search from each rotten orange and takes the maximum.",
                             "从每个烂橘子分别做一次搜索，再取最大值。"),
                    alt=("“It works, but it is very slow when many oranges start rotten.”",
                         "“能跑对，但一开始烂的橘子很多时非常慢。”"),
                    diag=("Separate searches repeat work, whereas all the rotten oranges really spread at the same time.",
                          "分别搜索会重复工作，而实际上所有烂橘子是同时扩散的。"),
                    ask=("What if every initially rotten orange started in the queue together?",
                         "如果所有一开始就烂的橘子一起放进队列，会怎样？"),
                    step=("Trace a 1 × 5 grid with rotten oranges at both ends.",
                          "追踪一个两端都是烂橘子的 1 × 5 网格。"),
                ),
                Mistake(
                    attempt=("increments the minute counter for every orange dequeued instead of once per wave.",
                             "每出队一个橘子就把分钟数加一，而不是每一轮加一。"),
                    alt=("“My answer equals the number of oranges, not the number of minutes.”",
                         "“我的答案等于橘子的个数，而不是分钟数。”"),
                    diag=("A minute corresponds to a whole wave of the queue, not to a single orange.",
                          "一分钟对应队列中的一整轮，而不是单个橘子。"),
                    ask=("How can you tell where one minute's wave ends in the queue?",
                         "怎样判断队列中某一分钟的一轮在哪里结束？"),
                    step=("Record the minute together with each orange when it enters the queue.",
                          "每个橘子入队时，把分钟数和它一起记录下来。"),
                ),
                Mistake(
                    attempt=("marks an orange rotten only when it is dequeued, so the same orange is enqueued several times.",
                             "橘子出队时才标记为烂，结果同一个橘子被多次入队。"),
                    alt=("“Some oranges get enqueued twice and my count is off.”",
                         "“有些橘子被入队了两次，我的计数不对。”"),
                    diag=("Marking late lets two rotten neighbours put the same orange into the queue.",
                          "标记得太晚，会让两个烂邻居把同一个橘子都放进队列。"),
                    ask=("At what moment should an orange be marked so that no one else enqueues it?",
                         "橘子应该在什么时候被标记，才不会被别人再次入队？"),
                    step=("Trace a 2 × 2 grid with one rotten corner and list the queue contents.",
                          "追踪一个只有一个角是烂橘子的 2 × 2 网格，列出队列的内容。"),
                ),
            ),
            key=(
                "1 queue | same queue | single queue | 同1个队列 | 1个队列 & rotten | 烂",
                "put all | add all | enqueue all | push all | start with all | starting with all | 把所有 | 所有初始 | "
                "全部初始 & rotten | 烂 & queue | 队列 | 入队",
                "multi-source | multi source | multiple sources | 多源",
                "minute 0 | time 0 | 第0分钟 | 0分钟 & all | every | 所有 | 全部 | 初始",
                "mark | marked | rot it | rot them | rotting | make it rotten | 标记 | 标成烂 | 标为烂 | 设为烂 | "
                "改为烂 & when enqueued | when they are enqueued | when it is enqueued | when you enqueue | "
                "on enqueue | as soon as | before enqueuing | at enqueue | 入队时 | 入队的时候 | 入队前 | 一被访问 | 一被发现",
            ),
        ),
        Exercise(
            "circular",
            ("Josephus problem: n people stand in a circle and every k-th person is eliminated. Use a queue to find the survivor.",
             "约瑟夫问题：n 个人围成一圈，每数到第 k 个人就淘汰他。用队列求出最后的幸存者。"),
            ("Put 1..n in a queue; while more than one person remains, move k − 1 people from the front to the back, then dequeue (eliminate) the next one; the last person in the queue survives.",
             "把 1..n 放进队列；当剩下的人多于一个时，把队头的 k − 1 个人依次移到队尾，再让下一个人出队（淘汰）；队列中最后剩下的人就是幸存者。"),
            (
                Mistake(
                    attempt=("deletes every k-th index of a list in one sweep, without continuing the count around the circle.",
                             "在列表上一次性删除每个第 k 个下标，没有让计数绕着圆圈继续。"),
                    alt=("“My elimination order drifts away from the correct one after the first round.”",
                         "“第一轮之后，我的淘汰顺序就和正确答案越来越不一样了。”"),
                    diag=("After each removal the count continues from the next person in the queue, wrapping around the circle.",
                          "每次淘汰之后，计数要从队列中的下一个人继续，并且会绕着圆圈循环。"),
                    ask=("Where does the count continue from after someone is removed?",
                         "有人被淘汰之后，计数从哪里继续？"),
                    step=("Trace n = 5 and k = 2 by hand with the queue written out.",
                          "取 n = 5、k = 2，写出队列并手工追踪。"),
                ),
                Mistake(
                    attempt=("rotates the queue k times and then dequeues, so it eliminates every (k + 1)-th person.",
                             "先把队列轮转 k 次再出队，结果淘汰的是每第 k + 1 个人。"),
                    alt=("“For k = 2 I eliminate every third person.”",
                         "“k = 2 时，我淘汰的是每第三个人。”"),
                    diag=("Your rotation count before each dequeue is one too many.",
                          "每次出队前的轮转次数多了一次。"),
                    ask=("How many people should move from the front to the back before the next elimination?",
                         "下一次淘汰之前，应该有多少人从队头移到队尾？"),
                    step=("Trace n = 4 and k = 2 with the queue written out after each move.",
                          "取 n = 4、k = 2，每次移动后写出队列。"),
                ),
                Mistake(
                    attempt=("keeps eliminating until the queue is empty and then has nobody to return.",
                             "一直淘汰直到队列为空，结果没有人可以返回。"),
                    alt=("“My function returns None.”",
                         "“我的函数返回了 None。”"),
                    diag=("Your loop eliminates everyone in the queue, including the person who should survive.",
                          "你的循环把队列中的每个人都淘汰了，包括应该幸存的那个人。"),
                    ask=("When exactly should the simulation stop?",
                         "模拟究竟应该在什么时候停止？"),
                    step=("Trace n = 3 and k = 2 and see who is left just before the final removal.",
                          "追踪 n = 3、k = 2，看看在最后一次淘汰之前剩下的是谁。"),
                ),
            ),
            code=(
                "from collections import deque\n\n"
                "def josephus(n, k):\n"
                "    q = deque(range(1, n + 1))\n"
                "    while len(q) > 1:\n"
                "        q.rotate(-(k - 1))\n"
                "        q.popleft()\n"
                "    return q[0]"
            ),
            key=(
                "k-1 | k − 1 | k−1 | k 减 1 | k减1 | 1 fewer than k | 1 less than k",
                "len(q)>1 | len(queue)>1 | more than 1 | 1 remains | 1 is left | 1 person is left | 1 person left | "
                "only 1 left | 1 left | 多于1个 | 只剩1个 | 剩下1个 | 剩1个 | 只剩下1个",
            ),
        ),
        Exercise(
            "fifo",
            ("Reverse the first k elements of a queue, leaving the rest in order, using only queue operations and one stack.",
             "只使用队列操作和一个栈，把队列的前 k 个元素反转，其余元素保持原顺序。"),
            ("Dequeue k elements onto the stack, pop them all back into the queue, then move the remaining size − k elements from the front to the back (e.g. [1, 2, 3, 4, 5], k = 3 → [3, 2, 1, 4, 5]).",
             "把 k 个元素出队并压入栈，再全部弹出重新入队，然后把剩下的 size − k 个元素从队头移到队尾（例如 [1, 2, 3, 4, 5]，k = 3 → [3, 2, 1, 4, 5]）。"),
            (
                Mistake(
                    attempt=("moves k elements through the stack back into the queue and stops there.",
                             "让 k 个元素经过栈回到队列后就结束了。"),
                    alt=("“For [1, 2, 3, 4, 5] and k = 3 I get [4, 5, 3, 2, 1].”",
                         "“对 [1, 2, 3, 4, 5]、k = 3，我得到 [4, 5, 3, 2, 1]。”"),
                    diag=("The reversed block is right, but it now sits behind the remaining elements of the queue.",
                          "反转的那一段是对的，但它现在排在队列中其余元素的后面。"),
                    ask=("How many elements must be moved from the front to the back to restore the order?",
                         "需要把多少个元素从队头移到队尾，才能恢复正确的顺序？"),
                    step=("Write the queue after each phase of your algorithm.",
                          "写出算法每个阶段结束后的队列。"),
                ),
                Mistake(
                    attempt=("uses a second queue instead of the stack, and nothing gets reversed.",
                             "用第二个队列代替栈，结果什么也没反转。"),
                    alt=("“My output is exactly the same as the input.”",
                         "“我的输出和输入一模一样。”"),
                    diag=("A queue keeps the order of its elements; reversal needs the opposite discipline.",
                          "队列会保持元素的顺序；反转需要相反的存取规则。"),
                    ask=("Which structure gives its elements back in reverse order?",
                         "哪种结构会按相反的顺序把元素还给你？"),
                    step=("Move [1, 2, 3] through a queue and through a stack and compare the results.",
                          "让 [1, 2, 3] 分别经过一个队列和一个栈，比较结果。"),
                ),
                Mistake(
                    attempt=("doesn't handle k larger than the queue length and crashes.",
                             "没有处理 k 大于队列长度的情况，程序崩溃。"),
                    alt=("“k = 10 on a queue of 5 elements crashes.”",
                         "“在 5 个元素的队列上取 k = 10 时程序崩溃。”"),
                    diag=("Dequeuing k elements fails as soon as the queue runs out first.",
                          "当队列先被取空时，出队 k 个元素就会失败。"),
                    ask=("What should happen when k exceeds the length of the queue?",
                         "当 k 超过队列长度时，应该怎么办？"),
                    step=("Decide on the behaviour you want and add a test for it.",
                          "确定你想要的行为，并为它加一个测试。"),
                ),
            ),
            key=(
                "size-k | size − k | size−k | n-k | n − k | n−k | len(q)-k | len(queue)-k | length minus k | 长度减 k | "
                "减去 k",
                "3,2,1,4,5",
                "move the remaining | move the rest | moves the remaining | rotate the remaining | rotate the rest | "
                "把剩下的 | 把其余 | 剩下的元素 | 其余的元素 & to the back | to the rear | back | 队尾",
            ),
        ),
        Exercise(
            "deque",
            ("Keep a bounded history of the last N commands: adding a command must be O(1), and the history is read oldest to newest.",
             "保存最近 N 条命令的有界历史记录：添加命令必须是 O(1)，读取时按从旧到新的顺序。"),
            ("Use `collections.deque(maxlen=N)`: appending to a full deque drops the oldest item in O(1), and iterating yields oldest to newest.",
             "使用 `collections.deque(maxlen=N)`：向已满的双端队列追加时会以 O(1) 丢弃最旧的元素，遍历时按从旧到新的顺序输出。"),
            (
                Mistake(
                    attempt=("appends to a list and deletes `items[0]` whenever it exceeds N.",
                             "向列表追加元素，超过 N 时删除 `items[0]`。"),
                    alt=("“It works, but it becomes slow for large N.”",
                         "“能用，但 N 很大时变慢了。”"),
                    diag=("Deleting from the front of a list shifts all the remaining items of the history.",
                          "从列表前端删除，会移动历史记录中所有剩余的元素。"),
                    ask=("Which structure can drop its oldest item in O(1)?",
                         "哪种结构能以 O(1) 丢弃最旧的元素？"),
                    step=("Read what the `maxlen` argument of `collections.deque` does on append.",
                          "查一查 `collections.deque` 的 `maxlen` 参数在追加时会做什么。"),
                ),
                Mistake(
                    attempt=("stops accepting new commands once N are stored, keeping the first N instead of the last N.",
                             "存满 N 条后就不再接收新命令，保留的是最早的 N 条而不是最近的 N 条。"),
                    alt=("“My history never shows the recent commands.”",
                         "“我的历史记录里从来看不到最近的命令。”"),
                    diag=("When the buffer is full, your condition rejects the new item instead of dropping an old one.",
                          "缓冲区满了之后，你的条件拒绝了新元素，而不是丢掉一个旧元素。"),
                    ask=("When the history is full and a new command arrives, which command should leave?",
                         "历史记录满了又来了一条新命令时，应该让哪条命令离开？"),
                    step=("Trace N = 2 with the commands a, b, c.",
                          "取 N = 2，用命令 a、b、c 追踪一遍。"),
                ),
                Mistake(
                    attempt=("uses a circular buffer but always reads it starting from index 0.",
                             "用了循环缓冲区，但总是从下标 0 开始读。"),
                    alt=("“After the buffer wraps around, the history comes out in the wrong order.”",
                         "“缓冲区绕回之后，历史记录的顺序就乱了。”"),
                    diag=("After the buffer wraps around, the oldest item is no longer at index 0.",
                          "缓冲区绕回之后，最旧的元素就不在下标 0 了。"),
                    ask=("Where in the buffer does the oldest item sit after wrapping?",
                         "绕回之后，最旧的元素在缓冲区的哪个位置？"),
                    step=("Trace N = 3 with five commands and record the start index after each one.",
                          "取 N = 3，依次加入五条命令，每次记录起始下标。"),
                ),
            ),
            key=(
                "deque(maxlen | maxlen= | a deque with maxlen | deque with a maxlen | set maxlen | 设置 maxlen | "
                "指定 maxlen | 带 maxlen",
                "drop the oldest | drops the oldest | discard the oldest | discards the oldest | evict the oldest | "
                "evicts the oldest | remove the oldest | removes the oldest | 丢弃最旧 | 丢掉最旧 | 删除最旧 | 移除最旧 & full | 满",
                "oldest should leave | oldest one should leave | oldest command should leave | oldest leaves | "
                "oldest one leaves | oldest command leaves | oldest is dropped | oldest gets dropped | "
                "oldest one is dropped | 最旧的离开 | 最旧的那条离开 | 最旧的命令离开 | 让最旧的 | 最早的那条离开 | 最旧的被丢弃",
            ),
        ),
        Exercise(
            "bfs_queue",
            ("Round-robin scheduling: each process runs for at most q time units, then goes to the back of the queue if unfinished. Compute the finishing order.",
             "时间片轮转调度：每个进程最多运行 q 个时间单位，若未完成就回到队尾。求进程完成的顺序。"),
            ("Dequeue a process, run it for `min(q, remaining)`, advance the clock by that amount; if it still needs time enqueue it at the back, otherwise record it as finished at the current clock.",
             "让一个进程出队，运行 `min(q, remaining)` 个单位并把时钟推进相应时间；若仍需时间就放回队尾，否则按当前时钟记录它完成。"),
            (
                Mistake(
                    attempt=("runs each process to completion in arrival order.",
                             "按到达顺序把每个进程一直运行到结束。"),
                    alt=("“Long jobs block everyone else in my simulation.”",
                         "“在我的模拟中，长任务把其他所有任务都堵住了。”"),
                    diag=("That is first-come, first-served; round robin gives each process in the queue only one slice at a time.",
                          "那是先来先服务；时间片轮转每次只给队列中的每个进程一个时间片。"),
                    ask=("What happens to a process that still needs time after its slice?",
                         "一个进程用完时间片后仍需要时间，它会怎样？"),
                    step=("Trace the processes (A, 5) and (B, 2) with q = 2.",
                          "取 q = 2，追踪进程 (A, 5) 和 (B, 2)。"),
                ),
                Mistake(
                    attempt=("puts an unfinished process back at the front of the queue.",
                             "把未完成的进程放回到队头。"),
                    alt=("“The first process keeps running until it finishes.”",
                         "“第一个进程一直运行到结束。”"),
                    diag=("Re-adding at the front lets the same process run again immediately, so nobody else gets a turn.",
                          "放回队头会让同一个进程立刻再次运行，其他进程就轮不到了。"),
                    ask=("Where should an unfinished process go so that the others get a turn?",
                         "未完成的进程应该放到哪里，其他进程才能轮到？"),
                    step=("Trace (A, 5) and (B, 2) with q = 2 and write the queue after each slice.",
                          "取 q = 2 追踪 (A, 5) 和 (B, 2)，每个时间片之后写出队列。"),
                ),
                Mistake(
                    attempt=("always advances the clock by q, even when a process needs less than a full slice.",
                             "总是把时钟推进 q，即使进程需要的时间不足一个完整的时间片。"),
                    alt=("“A process finishes at time 6 although it only needed 1 more unit.”",
                         "“一个进程只还需要 1 个单位，却在时刻 6 才完成。”"),
                    diag=("A process's last slice may be shorter than q, so when it leaves the queue the clock should only move by the time really used.",
                          "进程离开队列前的最后一个时间片可能比 q 短，时钟只应推进实际使用的时间。"),
                    ask=("How much time does a process use if it needs less than a full slice?",
                         "如果进程需要的时间不足一个时间片，它实际用了多少时间？"),
                    step=("Trace (A, 3) with q = 2 and compute the clock after each slice.",
                          "取 q = 2 追踪 (A, 3)，计算每个时间片之后的时钟。"),
                ),
            ),
            key=(
                "min(q,remaining) | min(remaining,q) | min(q,rem) | min(rem,q) | min(q,r) | min(r,q) | "
                "smaller of q and | lesser of q and | q 和剩余时间中较小 | q 与剩余时间的较小值",
                "whichever is smaller | whichever is less | whichever is shorter | 两者中较小 | 中较小的 | 较小者 & remaining | "
                "剩余",
            ),
        ),
        Exercise(
            "deque",
            ("Compute the moving average of the last k values of a data stream in O(1) per new value.",
             "对数据流计算最近 k 个值的移动平均，每来一个新值的代价为 O(1)。"),
            ("Keep a queue of the last k values and a running sum: append the new value and add it; if the queue holds more than k values, pop the oldest from the front and subtract it; return `total / len(queue)`.",
             "维护一个保存最近 k 个值的队列和一个累计和：追加新值并加到和中；若队列中多于 k 个值，就从队头弹出最旧的值并减去它；返回 `total / len(queue)`。"),
            (
                Mistake(
                    attempt=("recomputes the sum of the last k values for every new value.",
                             "每来一个新值就重新计算最近 k 个值的和。"),
                    alt=("“Each new value costs O(k) in my code.”",
                         "“在我的代码里，每个新值的代价是 O(k)。”"),
                    diag=("The window sum changes by only two values when a new one arrives.",
                          "新值到来时，窗口的和只会因为两个值而改变。"),
                    ask=("Which value leaves the window when a new one enters?",
                         "新值进入窗口时，哪个值离开？"),
                    step=("Keep a running sum and trace k = 3 on the stream 1, 2, 3, 4.",
                          "维护一个累计和，用 k = 3 在数据流 1、2、3、4 上追踪。"),
                ),
                Mistake(
                    attempt=("divides by k even before k values have arrived.",
                             "在还没来满 k 个值之前就除以 k。"),
                    alt=("“My first few averages are too small.”",
                         "“我的前几个平均值偏小。”"),
                    diag=("At the start, the window holds fewer than k values.",
                          "一开始，窗口里的值还不足 k 个。"),
                    ask=("What should you divide by while the window isn't full yet?",
                         "在窗口还没满的时候，应该除以多少？"),
                    step=("Trace the first two values of a stream with k = 3.",
                          "用 k = 3 追踪数据流的前两个值。"),
                ),
                Mistake(
                    attempt=("subtracts the newest value instead of the oldest when the window is full.",
                             "窗口满了之后，减去的是最新的值而不是最旧的值。"),
                    alt=("“My averages slowly drift away from the true values.”",
                         "“我的平均值慢慢偏离了真实值。”"),
                    diag=("The value that leaves is the oldest one in the window, at the front of the queue.",
                          "离开的应该是窗口里最旧的那个值，它在队头。"),
                    ask=("Which end of the queue holds the value that should leave?",
                         "应该离开的值位于队列的哪一端？"),
                    step=("Trace k = 2 on 1, 5, 9 and compare with averages computed by hand.",
                          "用 k = 2 在 1、5、9 上追踪，并与手算的平均值比较。"),
                ),
            ),
            code=(
                "from collections import deque\n\n"
                "class MovingAverage:\n"
                "    def __init__(self, k):\n"
                "        self.k, self.q, self.total = k, deque(), 0\n"
                "    def next(self, x):\n"
                "        self.q.append(x)\n"
                "        self.total += x\n"
                "        if len(self.q) > self.k:\n"
                "            self.total -= self.q.popleft()\n"
                "        return self.total / len(self.q)"
            ),
            key=(
                "total/len(queue) | total/len(q) | total/len(self.q) | sum/len | total/len | divide by len(queue) | "
                "divide by the number of values | divided by the current count | divide by the current count | "
                "除以队列长度 | 除以当前个数 | 除以实际个数 | 除以队列中值的个数 | 除以 len",
                "subtract the oldest | subtracts the oldest | subtract it | subtract that value | "
                "subtract the popped | subtract the value that leaves | subtract the leaving | 减去最旧 | 减去它 | 减去弹出 | "
                "减去离开 | 减掉最旧 | 减掉它 | -=q.popleft() | -=self.q.popleft()",
            ),
        ),
    ),
)
