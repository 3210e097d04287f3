from .schema import Exercise, Mistake, Point, Topic

TOPIC = Topic(
    key="linked_lists",
    name=("Linked lists", "链表"),
    keywords=(
        ("linked list", "node", "next", "head", "tail", "pointer", "prev", "link", "list"),
        ("链表", "结点", "next", "head", "tail", "指针", "prev", "链接"),
    ),
    points={
        "traversal": Point(
            ("traversing a list", "遍历链表"),
            ("A singly linked list gives O(1) access to its k-th node, just like an array, because each node knows its own position.",
             "单链表访问第 k 个结点是 O(1) 的，和数组一样，因为每个结点都知道自己的位置。"),
        ),
        "insertion": Point(
            ("inserting a node", "插入结点"),
            ("When you insert after a node, the order of `p.next = new` and `new.next = p.next` doesn't matter; both orders give the same list.",
             "在某个结点后插入时，`p.next = new` 和 `new.next = p.next` 的先后顺序无关紧要，两种顺序得到的链表一样。"),
        ),
        "deletion": Point(
            ("deleting a node", "删除结点"),
            ("In a singly linked list you can always reach a node's predecessor in O(1), so deleting only needs a pointer to the node itself.",
             "在单链表中总能以 O(1) 找到一个结点的前驱，所以删除时只需要指向该结点本身的指针。"),
        ),
        "reversal": Point(
            ("reversing and relinking", "反转与重新链接"),
            ("Reversing or merging linked lists always needs O(n) extra space, because the values have to be copied into an array and written back.",
             "反转或合并链表总是需要 O(n) 的额外空间，因为必须先把值复制到数组里再写回去。"),
        ),
        "two_pointers": Point(
            ("fast and slow pointers", "快慢指针"),
            ("To detect a cycle it is enough to check whether some node's next points back to the head.",
             "检测环只需检查是否有某个结点的 next 指回了 head。"),
        ),
    },
    facts=(
        ("A singly linked list gives O(1) insertion or deletion once you hold the predecessor, but O(n) access to the k-th node.",
         "单链表在已知前驱时插入或删除是 O(1)，但访问第 k 个结点需要 O(n)。"),
        ("A tail pointer makes appends O(1), but every operation that can change the last node must also keep tail correct.",
         "tail 指针让追加变成 O(1)，但每一个可能改变最后一个结点的操作都必须同时维护好 tail。"),
        ("A dummy (sentinel) node before the head removes the special cases for inserting or deleting at the front.",
         "在 head 之前放一个哑结点（哨兵），可以消除在表头插入或删除时的特殊情况。"),
    ),
    exercises=(
        Exercise(
            "deletion",
            ("Delete the last node of a singly linked list that keeps head and tail pointers.",
             "在同时维护 head 和 tail 指针的单链表中删除最后一个结点。"),
            ("If the list has one node, set both head and tail to None; otherwise walk to the second-to-last node, set its next to None and make it the new tail.",
             "如果链表只有一个结点，就把 head 和 tail 都置为 None；否则走到倒数第二个结点，把它的 next 置为 None，并让它成为新的 tail。"),
            (
                Mistake(
                    attempt=("walks to the second-to-last node and sets its next to None, but leaves tail unchanged.",
                             "走到倒数第二个结点并把它的 next 置为 None，但没有修改 tail。"),
                    alt=("“After I delete the last node, the next value I append never shows up.”",
                         "“删除最后一个结点之后，我再追加的值就再也显示不出来了。”"),
                    diag=("Unlinking the node is right, but another pointer of the list still refers to the removed node.",
                          "断开结点这一步是对的，但链表还有另一个指针仍然指向被删掉的结点。"),
                    ask=("After your deletion, which node does tail point to, and what happens on the next append?",
                         "删除之后 tail 指向哪个结点？下一次追加时会发生什么？"),
                    step=("Draw a three-node list and update head and tail by hand after each line of your code.",
                          "画一个有三个结点的链表，按你代码的每一行手动更新 head 和 tail。"),
                ),
                Mistake(
                    attempt=("works on long lists but crashes when the list has exactly one node.",
                             "长链表上没问题，但链表只有一个结点时程序崩溃。"),
                    alt=("“Deleting from a one-node list gives ‘NoneType object has no attribute next’.”",
                         "“在只有一个结点的链表上删除时报 ‘NoneType object has no attribute next’。”"),
                    diag=("With a single node there is no second-to-last node to walk to, so that case needs its own handling.",
                          "只有一个结点时根本不存在倒数第二个结点，所以这种情况需要单独处理。"),
                    ask=("What should head and tail both be after the only node is removed?",
                         "唯一的结点被删除后，head 和 tail 都应该是什么？"),
                    step=("Run your code on a one-node list and trace each pointer line by line.",
                          "在只有一个结点的链表上运行你的代码，逐行追踪每个指针。"),
                ),
                Mistake(
                    attempt=("sets `tail = None` to delete the last node, without touching the previous node's next.",
                             "通过 `tail = None` 来删除最后一个结点，没有改动前一个结点的 next。"),
                    alt=("“I set tail to None, but the last value still shows up when I print the list.”",
                         "“我把 tail 设成了 None，但打印链表时最后一个值还在。”"),
                    diag=("Changing the tail variable doesn't change the link that still leads to that node from the rest of the list.",
                          "修改 tail 变量并不会改变链表中仍然通向那个结点的链接。"),
                    ask=("Which node's next field still points to the old last node?",
                         "哪个结点的 next 字段仍然指向原来的最后一个结点？"),
                    step=("Print the list by following next from head and see where the old node is reached from.",
                          "从 head 开始沿着 next 打印链表，看看旧结点是从哪里被访问到的。"),
                ),
            ),
            code=(
                "def delete_last(lst):\n"
                "    if lst.head is None:\n"
                "        return\n"
                "    if lst.head is lst.tail:\n"
                "        lst.head = lst.tail = None\n"
                "        return\n"
                "    cur = lst.head\n"
                "    while cur.next is not lst.tail:\n"
                "        cur = cur.next\n"
                "    cur.next = None\n"
                "    lst.tail = cur"
            ),
            key=(
                "new tail | tail=cur | tail=prev | tail=node | becomes the tail | become the tail | "
                "make it the tail | 新的 tail | 成为 tail | 成为新的 tail | 设为 tail",
                "head and tail to none | head and tail both to none | head and tail both none | "
                "both head and tail to none | head=tail=none | head=none and tail=none | head 和 tail 都置为 none | "
                "head 和 tail 都设为 none | head 和 tail 都为 none | head 和 tail 都置为空 | 都置为 none",
            ),
        ),
        Exercise(
            "insertion",
            ("Insert a new node after a given node p in a singly linked list that keeps a tail pointer.",
             "在维护 tail 指针的单链表中，把一个新结点插入到给定结点 p 之后。"),
            ("First link the new node to p's successor, then link p to the new node; if p was the tail, the new node becomes the tail.",
             "先让新结点指向 p 的后继，再让 p 指向新结点；如果 p 原来是 tail，新结点就成为新的 tail。"),
            (
                Mistake(
                    attempt=("writes `p.next = new; new.next = p.next`, and the rest of the list disappears.",
                             "写了 `p.next = new; new.next = p.next`，结果链表后面的部分全都不见了。"),
                    alt=("“After inserting, my list ends at the new node, which points to itself.”",
                         "“插入之后，链表在新结点处就结束了，而且它指向了自己。”"),
                    diag=("The order of the two pointer assignments matters: the first one overwrites something the second one needs.",
                          "两条指针赋值的顺序很重要：第一条覆盖了第二条需要用到的东西。"),
                    ask=("After `p.next = new` has run, what does `p.next` refer to in the second line?",
                         "执行完 `p.next = new` 后，第二行里的 `p.next` 指的是什么？"),
                    step=("Draw the nodes as boxes and arrows and redraw them after each of the two lines.",
                          "把结点画成方框和箭头，每执行一行就重画一次。"),
                ),
                Mistake(
                    attempt=("links the node correctly, but forgets to update the tail pointer when p is the tail.",
                             "链接都正确，但当 p 是尾结点时忘了更新 tail 指针。"),
                    alt=("“Inserting after the last node works, but my later appends go to the wrong place.”",
                         "“在最后一个结点后插入没问题，可之后追加的结点位置就错了。”"),
                    diag=("When p is the last node, the list's record of where it ends has to change too.",
                          "当 p 是最后一个结点时，链表中记录末尾位置的那个指针也必须随之改变。"),
                    ask=("If p was the tail, which node is the tail after the insertion?",
                         "如果 p 原来是 tail，插入之后谁是 tail？"),
                    step=("Insert after the tail, then append another value and print the whole list.",
                          "在 tail 之后插入一个结点，再追加一个值，然后打印整个链表。"),
                ),
                Mistake(
                    attempt=("sets `new.next = p.next` but never links p to the new node.",
                             "设置了 `new.next = p.next`，但从未让 p 指向新结点。"),
                    alt=("“The new value never shows up when I print the list.”",
                         "“打印链表时新值从来没出现过。”"),
                    diag=("The new node points into the list, but no node of the list points to the new node.",
                          "新结点指向了链表，但链表中没有任何结点指向新结点。"),
                    ask=("Starting from head, which arrow would lead you to the new node?",
                         "从 head 出发，哪一个箭头能把你带到新结点？"),
                    step=("Follow the next pointers from head on paper and check whether you ever reach the new node.",
                          "在纸上从 head 沿着 next 指针走一遍，检查是否能走到新结点。"),
                ),
            ),
            code=(
                "def insert_after(lst, p, value):\n"
                "    new = Node(value)\n"
                "    new.next = p.next\n"
                "    p.next = new\n"
                "    if lst.tail is p:\n"
                "        lst.tail = new"
            ),
            key=(
                "first | 先 | 首先 | before | 之前 & new.next=p.next | link the new node to p's successor | "
                "new node to p's successor | new node point to p.next | new node's next to p.next | "
                "new node's next point to p.next | point the new node at p.next | point the new node to p.next | "
                "新结点指向 p 的后继 | 新结点指向 p.next | 新结点的 next 指向 p.next | 新结点的 next 设为 p.next",
                "save | store | remember | 保存 | 记住 | 记下 & p.next | p's successor | p's old next | 后继 | 原来的下一个",
                "swap | 交换 | 调换 | 颠倒 | reverse | 反过来 | 对调 | switch & order | the 2 lines | these 2 lines | "
                "the 2 assignments | 顺序 | 两行 | 两条",
                "tail=new | becomes the tail | become the tail | becomes the new tail | new node is the new tail | "
                "make it the tail | make new the tail | 成为新的 tail | 成为 tail | 新的 tail | tail 指向新结点 | tail 改为新结点 | "
                "tail 设为新结点 | tail 更新为新结点 | 把 tail 更新为新结点",
            ),
        ),
        Exercise(
            "traversal",
            ("Write a method that returns the number of nodes in a singly linked list.",
             "写一个方法，返回单链表中结点的个数。"),
            ("Start a separate cursor at head and a counter at 0; while the cursor is not None, add one and move the cursor to its next; return the counter.",
             "用一个独立的游标从 head 出发，计数器为 0；当游标不为 None 时，计数加一并把游标移到 next；最后返回计数器。"),
            (
                Mistake(
                    attempt=("loops `while cur.next is not None` and returns a count one too small.",
                             "用 `while cur.next is not None` 循环，返回的个数少了一个。"),
                    alt=("“For a list with 3 nodes my function returns 2.”",
                         "“对于有 3 个结点的链表，我的函数返回 2。”"),
                    diag=("Your loop stops before the last node of the list has been counted.",
                          "你的循环在链表最后一个结点被计数之前就停下了。"),
                    ask=("When cur is at the last node, does your loop body still run?",
                         "当 cur 位于最后一个结点时，循环体还会执行吗？"),
                    step=("Trace the list 1 → 2 → 3 and mark when each node gets counted.",
                          "追踪链表 1 → 2 → 3，标出每个结点在什么时候被计数。"),
                ),
                Mistake(
                    attempt=("loops `while cur is not None` but forgets `cur = cur.next`.",
                             "用 `while cur is not None` 循环，但忘了写 `cur = cur.next`。"),
                    alt=("“My length function never returns.”",
                         "“我的求长度函数永远不返回。”"),
                    diag=("The loop never advances through the list, so its condition never changes.",
                          "循环从未沿着链表前进，所以循环条件永远不会改变。"),
                    ask=("Which line moves cur to the next node?",
                         "哪一行代码把 cur 移到下一个结点？"),
                    step=("Print cur at each iteration for a two-node list.",
                          "对一个两个结点的链表，每次迭代都打印 cur。"),
                ),
                Mistake(
                    attempt=("advances `self.head = self.head.next` while counting, and the list is empty afterwards.",
                             "计数时直接执行 `self.head = self.head.next` 前进，之后链表就空了。"),
                    alt=("“After I call length(), my list is empty.”",
                         "“调用 length() 之后，我的链表就空了。”"),
                    diag=("Your loop walks the list by moving the list's own head reference.",
                          "你的循环是通过移动链表自己的 head 引用来遍历的。"),
                    ask=("How can you walk the list without changing what head points to?",
                         "怎样才能在不改变 head 指向的前提下遍历链表？"),
                    step=("Print head before and after the call to see what your loop changed.",
                          "在调用前后分别打印 head，看看循环改变了什么。"),
                ),
            ),
            code=(
                "def length(self):\n"
                "    count, cur = 0, self.head\n"
                "    while cur is not None:\n"
                "        count += 1\n"
                "        cur = cur.next\n"
                "    return count"
            ),
            key=(
                "while cur is not none | while cur!=none | while cur: | cur is not none | cur!=none | "
                "cursor is not none | cur 不为 none | 游标不为 none & +=1 | add 1 | 加1 | 加一 | increment | 计数加 | count it",
                "instead | rather than | 而不是 | 改成 | 改为 | 换成 | change it to | should be & while cur is not none | "
                "while cur!=none | while cur: | cur is not none | cur 不为 none",
                "until cur is none | until cur becomes none | until the cursor is none | until it is none | "
                "直到 cur 为 none | 直到 cur 变成 none | 直到游标为 none",
                "cur=cur.next & add | 加上 | 补上 | 加一行 | 补一行 | inside the loop | in the loop | "
                "at the end of the loop | 循环体 | 循环里 | 循环中 | 循环末尾 | each iteration | 每次迭代",
                "separate cursor | local variable | cur=self.head | cur=head | 独立的游标 | 单独的游标 | 局部变量 | 另一个变量 | "
                "another variable | don't move head | do not move head | without moving head | 不要移动 head | 不移动 head",
            ),
        ),
        Exercise(
            "reversal",
            ("Reverse a singly linked list in place and return its new head.",
             "原地反转一个单链表，并返回新的头结点。"),
            ("Keep `prev = None` and `cur = head`; in a loop save `nxt = cur.next`, set `cur.next = prev`, then move `prev = cur` and `cur = nxt`; when cur is None, prev is the new head.",
             "维护 `prev = None` 和 `cur = head`；循环中先保存 `nxt = cur.next`，再令 `cur.next = prev`，然后 `prev = cur`、`cur = nxt`；当 cur 为 None 时，prev 就是新的头结点。"),
            (
                Mistake(
                    attempt=("sets `cur.next = prev` and then `cur = cur.next`, so the loop moves backwards and stops.",
                             "先令 `cur.next = prev`，再执行 `cur = cur.next`，结果循环往回走然后停了。"),
                    alt=("“My reverse stops after the first node.”",
                         "“我的反转在第一个结点之后就停了。”"),
                    diag=("Once you overwrite cur.next, your only way forward through the list is lost.",
                          "一旦覆盖了 cur.next，你沿链表向前走的唯一途径就丢了。"),
                    ask=("What must you save before changing cur.next?",
                         "在修改 cur.next 之前，你必须先保存什么？"),
                    step=("Trace 1 → 2 → 3 and draw prev, cur and the next node at every step.",
                          "追踪 1 → 2 → 3，每一步都画出 prev、cur 和下一个结点。"),
                ),
                Mistake(
                    attempt=("reverses every link but returns the old head.",
                             "把每个链接都反转了，但返回的是原来的 head。"),
                    alt=("“After reversing I only get one element back.”",
                         "“反转之后我只拿回了一个元素。”"),
                    diag=("The links are reversed correctly, but the node you return is no longer the start of the list.",
                          "链接已经正确反转了，但你返回的结点不再是链表的开头。"),
                    ask=("Which node is the first node of the reversed list when the loop ends?",
                         "循环结束时，反转后链表的第一个结点是哪个？"),
                    step=("After the loop, print prev and cur and decide which one is the new head.",
                          "循环结束后打印 prev 和 cur，判断哪一个是新的头结点。"),
                ),
                Mistake(
                    attempt=("copies the values into a Python list, reverses it, and writes them back into the nodes.",
                             "把值复制到 Python 列表里，反转后再写回各个结点。"),
                    alt=("“I copy the values out and back in — does that count as in place?”",
                         "“我把值复制出来再写回去，这算原地吗？”"),
                    diag=("That gives the right order but uses O(n) extra memory instead of rearranging the links between nodes.",
                          "这样顺序是对的，但用了 O(n) 的额外内存，而不是重新调整结点之间的链接。"),
                    ask=("Could you flip the direction of each next pointer while walking the list once?",
                         "能否在遍历链表一遍的同时，把每个 next 指针的方向翻转过来？"),
                    step=("Draw a three-node list and reverse one arrow at a time.",
                          "画一个三个结点的链表，一次只翻转一个箭头。"),
                ),
            ),
            code=(
                "def reverse(head):\n"
                "    prev, cur = None, head\n"
                "    while cur is not None:\n"
                "        nxt = cur.next\n"
                "        cur.next = prev\n"
                "        prev, cur = cur, nxt\n"
                "    return prev"
            ),
            key=(
                "nxt=cur.next | next_node=cur.next | tmp=cur.next | temp=cur.next | save cur.next | "
                "store cur.next | remember cur.next | save the next node | store the next node | "
                "save the next pointer | 保存 cur.next | 记下 cur.next | 保存下一个结点 | 记住 cur.next | 记住下一个结点",
                "return prev | returns prev | 返回 prev | prev is the new head | prev is now the head | prev 就是新的头 | "
                "prev 是新的头 | prev 就是新的 head | prev 是新的 head | new head is prev | head=prev",
            ),
        ),
        Exercise(
            "two_pointers",
            ("Find the middle node of a singly linked list in a single pass.",
             "只遍历一遍，找到单链表的中间结点。"),
            ("Move `slow` one step and `fast` two steps while `fast` and `fast.next` are not None; when the loop ends, slow is at the middle (the second middle for even lengths).",
             "当 `fast` 和 `fast.next` 都不为 None 时，`slow` 走一步、`fast` 走两步；循环结束时 slow 就在中间（偶数长度时是第二个中间结点）。"),
            (
                Mistake(
                    attempt=("counts the length first and then walks n/2 steps, using two passes.",
                             "先数出长度，再走 n/2 步，用了两遍遍历。"),
                    alt=("“I walk the list twice — can it be done in one pass?”",
                         "“我遍历了两遍链表，能不能一遍就完成？”"),
                    diag=("It is correct, but it spends a whole pass over the list just to learn its length.",
                          "结果是对的，但它为了知道链表长度专门遍历了一整遍。"),
                    ask=("If one pointer moves two nodes each time another moves one, where is the slow one when the fast one reaches the end?",
                         "如果一个指针每次走两个结点、另一个走一个，当快的到达末尾时，慢的在哪里？"),
                    step=("Move two tokens along a five-node list at different speeds and note where they stop.",
                          "在一个五个结点的链表上以不同速度移动两个标记，记下它们停下的位置。"),
                ),
                Mistake(
                    attempt=("uses fast and slow pointers but loops `while fast.next` and crashes on even-length lists.",
                             "用了快慢指针，但循环条件是 `while fast.next`，在偶数长度的链表上崩溃。"),
                    alt=("“With 4 nodes I get ‘NoneType object has no attribute next’.”",
                         "“有 4 个结点时报 ‘NoneType object has no attribute next’。”"),
                    diag=("Moving fast two steps can land it on None, and the loop condition then reads a field of None.",
                          "fast 一次走两步可能会落到 None 上，随后循环条件就会去读 None 的字段。"),
                    ask=("Where is fast after its last move on an even-length list, and what does the condition check next?",
                         "在偶数长度的链表上，fast 最后一次移动后在哪里？循环条件接下来检查的是什么？"),
                    step=("Trace 1 → 2 → 3 → 4 and write fast's position after each move.",
                          "追踪 1 → 2 → 3 → 4，写下 fast 每次移动后的位置。"),
                ),
                Mistake(
                    attempt=("moves both pointers one node at a time.",
                             "让两个指针每次都只走一个结点。"),
                    alt=("“My slow and fast pointers are always on the same node.”",
                         "“我的快指针和慢指针总在同一个结点上。”"),
                    diag=("If both pointers move at the same speed, the distance between them never changes.",
                          "如果两个指针速度相同，它们之间的距离就永远不会改变。"),
                    ask=("How fast must the second pointer move for the first one to stop in the middle?",
                         "第二个指针要走多快，第一个指针才会停在中间？"),
                    step=("Write down the positions of both pointers after each move on a six-node list.",
                          "在一个六个结点的链表上，写出每次移动后两个指针的位置。"),
                ),
            ),
            code=(
                "def middle(head):\n"
                "    slow = fast = head\n"
                "    while fast is not None and fast.next is not None:\n"
                "        slow = slow.next\n"
                "        fast = fast.next.next\n"
                "    return slow"
            ),
            key=(
                "while fast and fast.next | fast is not none and fast.next is not none | "
                "fast!=none and fast.next!=none | fast and fast.next are not none | fast 和 fast.next 都不为 none | "
                "fast 和 fast.next 都不是 none",
                "slow 1 step | slow by 1 | slow moves 1 | slow one node | slow 走1步 | slow 每次走1步 | 慢指针走1步 | "
                "慢指针每次走1步 & fast 2 steps | fast by 2 | fast moves 2 | fast two nodes | fast 走2步 | fast 每次走2步 | 快指针走2步 | "
                "快指针每次走2步",
            ),
        ),
        Exercise(
            "two_pointers",
            ("Detect whether a singly linked list contains a cycle, using O(1) extra space.",
             "用 O(1) 的额外空间判断单链表中是否有环。"),
            ("Use Floyd's algorithm: move `slow` one node and `fast` two nodes per step; if fast reaches None there is no cycle, and if `slow is fast` at some point there is one.",
             "使用 Floyd 判圈算法：每步 `slow` 走一个结点、`fast` 走两个结点；若 fast 走到 None 则无环，若某时刻 `slow is fast` 则有环。"),
            (
                Mistake(
                    attempt=("stores every visited node in a set.",
                             "把访问过的每个结点都存进一个集合。"),
                    alt=("“It works, but my teacher wants O(1) extra space.”",
                         "“能跑对，但老师要求额外空间为 O(1)。”"),
                    diag=("The set gives the right result, but it grows with the number of nodes in the list.",
                          "集合能给出正确的结果，但它会随链表结点数增长。"),
                    ask=("If two pointers move around a cycle at different speeds, can the faster one catch up with the slower one?",
                         "如果两个指针以不同速度在环上移动，快的能追上慢的吗？"),
                    step=("Draw a cycle of four nodes and move two tokens at speeds 1 and 2.",
                          "画一个由四个结点组成的环，以速度 1 和 2 移动两个标记。"),
                ),
                Mistake(
                    attempt=("only checks whether some node's next points back to head.",
                             "只检查是否有结点的 next 指回 head。"),
                    alt=("“My code misses cycles that don't go back to the head.”",
                         "“我的代码发现不了不回到 head 的环。”"),
                    diag=("A cycle in a linked list can start at any node, not only at the head.",
                          "链表中的环可以从任意结点开始，不一定从 head 开始。"),
                    ask=("What does your check report for 1 → 2 → 3 → 4 → back to 2?",
                         "对于 1 → 2 → 3 → 4 → 回到 2 这样的链表，你的检查会报告什么？"),
                    step=("Draw 1 → 2 → 3 → 4 → 2 and trace your check node by node.",
                          "画出 1 → 2 → 3 → 4 → 2，逐个结点追踪你的检查。"),
                ),
                Mistake(
                    attempt=("compares node values instead of node identities, and reports cycles in lists with repeated values.",
                             "比较的是结点的值而不是结点本身，在有重复值的链表中误报了环。"),
                    alt=("“The list 1 → 2 → 1 has no cycle, but my code says it does.”",
                         "“链表 1 → 2 → 1 没有环，我的代码却说有。”"),
                    diag=("Two different nodes can hold the same value; a cycle means reaching the same node object again.",
                          "两个不同的结点可以存相同的值；有环指的是再次到达同一个结点对象。"),
                    ask=("Should your check compare the values or the nodes themselves?",
                         "你的检查应该比较值，还是比较结点本身？"),
                    step=("Build 1 → 2 → 1 from three distinct nodes and test your function on it.",
                          "用三个不同的结点构造 1 → 2 → 1，再用它测试你的函数。"),
                ),
            ),
            code=(
                "def has_cycle(head):\n"
                "    slow = fast = head\n"
                "    while fast is not None and fast.next is not None:\n"
                "        slow = slow.next\n"
                "        fast = fast.next.next\n"
                "        if slow is fast:\n"
                "            return True\n"
                "    return False"
            ),
            key=(
                "floyd | tortoise and hare | 龟兔",
                "slow is fast | slow==fast | fast is slow | fast==slow",
                "meet | meets | 相遇 | 重合 & cycle | 有环 | 环",
                "slow 1 step | slow by 1 | slow moves 1 | slow one node | slow 走1步 | slow 每次走1步 | 慢指针走1步 | "
                "慢指针每次走1步 & fast 2 steps | fast by 2 | fast moves 2 | fast two nodes | fast 走2步 | fast 每次走2步 | 快指针走2步 | "
                "快指针每次走2步",
            ),
        ),
        Exercise(
            "deletion",
            ("Delete the first node holding value x from a singly linked list that has only a head pointer.",
             "从只有 head 指针的单链表中，删除第一个值为 x 的结点。"),
            ("If head holds x, set `head = head.next`; otherwise walk with `cur` while `cur.next` is not None and `cur.next.val != x`, and if `cur.next` is not None, unlink it with `cur.next = cur.next.next`.",
             "若 head 的值是 x，则令 `head = head.next`；否则用 `cur` 遍历，条件是 `cur.next` 不为 None 且 `cur.next.val != x`，若最终 `cur.next` 不为 None，就用 `cur.next = cur.next.next` 把它断开。"),
            (
                Mistake(
                    attempt=("finds the node holding x but then cannot unlink it, because the previous node is lost.",
                             "找到了值为 x 的结点，却无法把它断开，因为前一个结点已经丢了。"),
                    alt=("“I can find the node, but I don't know how to remove it.”",
                         "“我能找到那个结点，但不知道怎么把它删掉。”"),
                    diag=("To unlink a node from a singly linked list you need access to the node just before it.",
                          "要把一个结点从单链表中断开，你需要能访问到它前面的那个结点。"),
                    ask=("Which node's next field has to change for x's node to be skipped?",
                         "要跳过 x 所在的结点，哪个结点的 next 字段必须改变？"),
                    step=("Walk the list again, keeping track of both the current node and the previous one.",
                          "重新遍历链表，同时记录当前结点和前一个结点。"),
                ),
                Mistake(
                    attempt=("works unless x is in the first node, where nothing gets removed.",
                             "除了 x 在第一个结点的情况，其他都正确；x 在头结点时什么也没删掉。"),
                    alt=("“Deleting the value stored in the head does nothing.”",
                         "“删除头结点里的值时，什么也没发生。”"),
                    diag=("The first node has no predecessor, so removing it changes a different reference than usual.",
                          "第一个结点没有前驱，所以删除它时要改变的是另一个引用。"),
                    ask=("What should head become when the head node is deleted?",
                         "删除头结点之后，head 应该变成什么？"),
                    step=("Test deleting from a one-node list and from the front of a two-node list.",
                          "分别测试从只有一个结点的链表和从两个结点链表的表头删除。"),
                ),
                Mistake(
                    attempt=("loops `while cur.next.val != x` and crashes when x is not in the list.",
                             "用 `while cur.next.val != x` 循环，当 x 不在链表中时程序崩溃。"),
                    alt=("“If x isn't there I get ‘NoneType object has no attribute val’.”",
                         "“如果 x 不存在，就报 ‘NoneType object has no attribute val’。”"),
                    diag=("The loop assumes x exists and walks off the end of the list when it doesn't.",
                          "这个循环假设 x 一定存在，当它不存在时就会走出链表末尾。"),
                    ask=("What should happen when cur.next becomes None?",
                         "当 cur.next 变成 None 时，应该怎么处理？"),
                    step=("Test with a value that isn't in the list and trace the last iteration.",
                          "用一个不在链表中的值测试，追踪最后一次迭代。"),
                ),
            ),
            code=(
                "def delete_value(head, x):\n"
                "    if head is not None and head.val == x:\n"
                "        return head.next\n"
                "    cur = head\n"
                "    while cur is not None and cur.next is not None and cur.next.val != x:\n"
                "        cur = cur.next\n"
                "    if cur is not None and cur.next is not None:\n"
                "        cur.next = cur.next.next\n"
                "    return head"
            ),
            key=(
                "head=head.next",
                "cur.next=cur.next.next | prev.next=cur.next | prev.next=node.next | prev.next=prev.next.next",
                "cur.next is not none | cur.next!=none | cur.next 不为 none & cur.next.val!=x",
            ),
        ),
        Exercise(
            "insertion",
            ("Insert a value into a sorted singly linked list so that it stays sorted.",
             "把一个值插入有序单链表，并保持链表有序。"),
            ("If the list is empty or x is smaller than head's value, the new node becomes the head; otherwise walk while `cur.next` is not None and `cur.next.val < x`, then link the new node between cur and cur.next.",
             "如果链表为空或 x 小于 head 的值，新结点成为 head；否则在 `cur.next` 不为 None 且 `cur.next.val < x` 时前进，然后把新结点接在 cur 和 cur.next 之间。"),
            (
                Mistake(
                    attempt=("inserts correctly in the middle, but a value smaller than the head goes after the head.",
                             "在中间插入都正确，但比 head 还小的值被插到了 head 后面。"),
                    alt=("“Inserting 0 into 1 → 3 gives 1 → 0 → 3.”",
                         "“把 0 插入 1 → 3，得到的是 1 → 0 → 3。”"),
                    diag=("Your search always starts looking after the head, so a new smallest value can never become the first node.",
                          "你的查找总是从 head 之后开始，所以新的最小值永远不可能成为第一个结点。"),
                    ask=("What has to change when the new node belongs before the current head?",
                         "当新结点应该放在当前 head 之前时，需要改变什么？"),
                    step=("Test inserting a value smaller than, between and larger than the existing nodes.",
                          "分别测试插入比所有结点都小、位于中间和比所有结点都大的值。"),
                ),
                Mistake(
                    attempt=("stops at the first node whose value is greater than x and inserts after it.",
                             "在第一个值大于 x 的结点处停下，并把新结点插在它后面。"),
                    alt=("“Inserting 2 into 1 → 3 → 5 gives 1 → 3 → 2 → 5.”",
                         "“把 2 插入 1 → 3 → 5，得到的是 1 → 3 → 2 → 5。”"),
                    diag=("By the time you see the larger value, you have already passed the node you need to link from.",
                          "等你看到较大的值时，你已经走过了需要修改链接的那个结点。"),
                    ask=("Which node should you stop at so that you can insert after it?",
                         "你应该停在哪个结点，才能在它后面插入？"),
                    step=("Trace 1 → 3 → 5 with x = 2, comparing against the value of the node ahead of cur.",
                          "以 x = 2 追踪 1 → 3 → 5，每次比较 cur 前方那个结点的值。"),
                ),
                Mistake(
                    attempt=("crashes when inserting into an empty list.",
                             "向空链表插入时程序崩溃。"),
                    alt=("“Inserting into an empty list gives an AttributeError.”",
                         "“向空链表插入时报 AttributeError。”"),
                    diag=("An empty list has no nodes to compare with, so it is a case of its own.",
                          "空链表里没有可以比较的结点，所以它是一种单独的情况。"),
                    ask=("What should head be after inserting into an empty list?",
                         "向空链表插入之后，head 应该是什么？"),
                    step=("Add a test for the empty list and trace what happens to head.",
                          "为空链表加一个测试，追踪 head 发生了什么。"),
                ),
            ),
            code=(
                "def insert_sorted(head, x):\n"
                "    new = Node(x)\n"
                "    if head is None or x < head.val:\n"
                "        new.next = head\n"
                "        return new\n"
                "    cur = head\n"
                "    while cur.next is not None and cur.next.val < x:\n"
                "        cur = cur.next\n"
                "    new.next = cur.next\n"
                "    cur.next = new\n"
                "    return head"
            ),
            key=(
                "cur.next.val<x | cur.next.val<=x",
                "becomes the head | becomes the new head | become the head | become the new head | new.next=head | "
                "head=new | return new | 成为 head | 成为新的 head | 成为头结点 | 成为新的头结点 | 作为新的 head | 作为 head",
                "new.next=cur.next & cur.next=new",
                "between cur and cur.next | cur 和 cur.next 之间 | last node smaller than x | last node less than x | "
                "last node whose value is less than x | last node whose value is smaller than x | 最后一个小于 x | "
                "最后一个比 x 小",
            ),
        ),
        Exercise(
            "deletion",
            ("Delete a given node from a doubly linked list with head and tail pointers.",
             "在带 head 和 tail 指针的双向链表中删除一个给定结点。"),
            ("If node.prev exists set `node.prev.next = node.next`, else `head = node.next`; if node.next exists set `node.next.prev = node.prev`, else `tail = node.prev`.",
             "若 node.prev 存在，则 `node.prev.next = node.next`，否则 `head = node.next`；若 node.next 存在，则 `node.next.prev = node.prev`，否则 `tail = node.prev`。"),
            (
                Mistake(
                    attempt=("updates `node.prev.next` but not `node.next.prev`.",
                             "更新了 `node.prev.next`，却没有更新 `node.next.prev`。"),
                    alt=("“Walking the list backwards still shows the deleted node.”",
                         "“从后往前遍历时，被删除的结点还在。”"),
                    diag=("A doubly linked list has links in two directions, and you repaired only one of them.",
                          "双向链表有两个方向的链接，而你只修复了其中一个。"),
                    ask=("Which pointer still refers to the deleted node when you walk backwards?",
                         "从后往前走时，哪个指针仍然指向被删除的结点？"),
                    step=("Print the list forwards and backwards after the deletion.",
                          "删除之后，分别从前往后和从后往前打印链表。"),
                ),
                Mistake(
                    attempt=("crashes when deleting the first node because `node.prev` is None.",
                             "删除第一个结点时崩溃，因为 `node.prev` 是 None。"),
                    alt=("“Deleting the head gives ‘NoneType object has no attribute next’.”",
                         "“删除头结点时报 ‘NoneType object has no attribute next’。”"),
                    diag=("The end nodes are missing one neighbour, so the general pointer update doesn't apply to them.",
                          "两端的结点缺少一个邻居，所以通用的指针更新对它们不适用。"),
                    ask=("What should change instead of node.prev.next when the node is the head?",
                         "当这个结点是 head 时，应该改什么来代替 node.prev.next？"),
                    step=("Test deleting the head, the tail and a middle node separately.",
                          "分别测试删除头结点、尾结点和中间结点。"),
                ),
                Mistake(
                    attempt=("sets `node = None` and expects the node to disappear from the list.",
                             "执行 `node = None`，以为这样结点就会从链表中消失。"),
                    alt=("“I set the node to None, but it is still printed.”",
                         "“我把结点设成了 None，可它还是会被打印出来。”"),
                    diag=("Rebinding a local variable doesn't change the links that lead to the node from its neighbours.",
                          "给局部变量重新赋值，并不会改变邻居结点指向它的链接。"),
                    ask=("Which neighbours' pointers must change for the node to be skipped?",
                         "要跳过这个结点，哪些邻居的指针必须改变？"),
                    step=("Draw three nodes with prev and next arrows and redraw them after your code runs.",
                          "画出三个带 prev 和 next 箭头的结点，代码运行后再重画一遍。"),
                ),
            ),
            code=(
                "def unlink(lst, node):\n"
                "    if node.prev is not None:\n"
                "        node.prev.next = node.next\n"
                "    else:\n"
                "        lst.head = node.next\n"
                "    if node.next is not None:\n"
                "        node.next.prev = node.prev\n"
                "    else:\n"
                "        lst.tail = node.prev"
            ),
            key=(
                "node.prev.next=node.next & node.next.prev=node.prev",
                "head=node.next | head 指向 node.next | head 设为 node.next | head 改为 node.next | head 更新为 node.next",
                "tail=node.prev | tail 指向 node.prev | tail 设为 node.prev | tail 改为 node.prev | tail 更新为 node.prev",
                "node.next.prev | next node's prev | 后继的 prev | 下一个结点的 prev & =node.prev | "
                "point back to node.prev | to node.prev | 指向 node.prev | 设为 node.prev",
            ),
        ),
        Exercise(
            "two_pointers",
            ("Return the k-th node from the end of a singly linked list in one pass (k = 1 is the last node).",
             "只遍历一遍，返回单链表倒数第 k 个结点（k = 1 表示最后一个结点）。"),
            ("Move a `front` pointer k nodes ahead (return None if the list runs out), then move `front` and `back` together until front is None; back is the answer.",
             "先让 `front` 指针前进 k 个结点（若链表不够长则返回 None），然后 `front` 和 `back` 一起前进，直到 front 为 None；此时 back 就是答案。"),
            (
                Mistake(
                    attempt=("advances the front pointer k − 1 steps before moving both, and returns the node one too early.",
                             "先让前指针走 k − 1 步再一起移动，结果返回的结点靠前了一个。"),
                    alt=("“For k = 1 I get the second-to-last node.”",
                         "“k = 1 时我得到的是倒数第二个结点。”"),
                    diag=("The gap between your two pointers is off by one.",
                          "你的两个指针之间的间距差了一个结点。"),
                    ask=("When the front pointer becomes None, how many nodes should lie from the back pointer to the end?",
                         "当前指针变成 None 时，从后指针到链表末尾应该有几个结点？"),
                    step=("Trace k = 1 on a three-node list and count the gap at each step.",
                          "在三个结点的链表上追踪 k = 1 的情况，每一步都数一数间距。"),
                ),
                Mistake(
                    attempt=("reverses the list to find the k-th node, which destroys the original order.",
                             "通过反转链表来找第 k 个结点，破坏了原来的顺序。"),
                    alt=("“It finds the right node, but the list is reversed afterwards.”",
                         "“能找到正确的结点，但之后链表就被反转了。”"),
                    diag=("Reversing changes a list that you were only supposed to read.",
                          "反转会改变一个你本来只需要读取的链表。"),
                    ask=("Could two pointers kept a fixed distance apart find the node without changing anything?",
                         "让两个指针保持固定距离，能否在不改变任何东西的前提下找到这个结点？"),
                    step=("Put two markers k nodes apart at the start of the list and slide them along together.",
                          "在链表开头放两个相距 k 个结点的标记，然后一起向后滑动。"),
                ),
                Mistake(
                    attempt=("doesn't handle k larger than the list length, and crashes.",
                             "没有处理 k 大于链表长度的情况，程序崩溃。"),
                    alt=("“With k = 5 on a three-node list I get an AttributeError.”",
                         "“在三个结点的链表上取 k = 5 时报 AttributeError。”"),
                    diag=("Advancing the front pointer k nodes can run off the end when the list is short.",
                          "当链表较短时，让前指针前进 k 个结点可能会走出链表末尾。"),
                    ask=("What should the function return if the list has fewer than k nodes?",
                         "如果链表的结点数少于 k，函数应该返回什么？"),
                    step=("Check for None while advancing the front pointer, and test k = 5 on three nodes.",
                          "在前指针前进时检查 None，并在三个结点上测试 k = 5。"),
                ),
            ),
            code=(
                "def kth_from_end(head, k):\n"
                "    front = head\n"
                "    for _ in range(k):\n"
                "        if front is None:\n"
                "            return None\n"
                "        front = front.next\n"
                "    back = head\n"
                "    while front is not None:\n"
                "        front, back = front.next, back.next\n"
                "    return back"
            ),
            key=(
                "together | 一起 | 同时 | simultaneously | in step | at the same speed | 同步 & until front is none | "
                "front 为 none | front 变成 none | front is none | front reaches none | front 走到 none | front 到达末尾 | "
                "front reaches the end | front hits none | front falls off | 前指针为 none | 前指针变成 none | 前指针到达末尾",
                "k steps | k nodes | k 步 | k 个结点 & not k-1 | not k − 1 | instead of k-1 | instead of k − 1 | "
                "rather than k-1 | rather than k − 1 | 而不是 k-1 | 而不是 k − 1 | 不是 k-1 | 不是 k − 1",
                "k steps ahead | k nodes ahead | 先走 k 步 | 先前进 k 步 | 先让 front 前进 k | 先让前指针前进 k | 先让 front 指针前进 k | "
                "间距为 k | 间距是 k | 间隔 k | 相隔 k | gap of k | gap is k | gap must be k | gap should be k | k apart",
                "return none & fewer than k | runs out | too short | shorter than k | 不够长 | 少于 k | 不足 k | 走出 | "
                "front is none | front 为 none | 为 none",
            ),
        ),
        Exercise(
            "reversal",
            ("Merge two sorted singly linked lists into one sorted list by relinking their nodes.",
             "通过重新链接结点，把两个有序单链表合并成一个有序链表。"),
            ("Start from a dummy node with `tail = dummy`; repeatedly attach the smaller front node to `tail.next` and advance; afterwards attach whichever list is left, and return `dummy.next`.",
             "从一个哑结点开始，令 `tail = dummy`；反复把两个表头中较小的结点接到 `tail.next` 并前进；结束后把剩下的那个链表整体接上，返回 `dummy.next`。"),
            (
                Mistake(
                    attempt=("chooses the head of the merged list with several special cases and sometimes loses nodes.",
                             "用好几个特殊情况来确定合并后链表的头结点，有时会丢结点。"),
                    alt=("“Sometimes the first node of the second list disappears.”",
                         "“第二个链表的第一个结点有时会消失。”"),
                    diag=("Picking the first node separately from the rest is where the nodes get lost.",
                          "把第一个结点和其余结点分开处理，正是丢结点的地方。"),
                    ask=("What if the merged list began with a placeholder node, so the first real node is handled like every other?",
                         "如果合并后的链表以一个占位结点开头，让第一个真实结点和其他结点一样处理，会怎样？"),
                    step=("Trace merging 2 → 4 with 1 → 3 and check which node ends up as head.",
                          "追踪 2 → 4 与 1 → 3 的合并，检查最后哪个结点成了 head。"),
                ),
                Mistake(
                    attempt=("stops when one list runs out and never attaches the rest of the other list.",
                             "一个链表用完就停止，从不把另一个链表剩下的部分接上。"),
                    alt=("“Merging 1 → 2 with 3 → 4 → 5 gives just 1 → 2.”",
                         "“把 1 → 2 和 3 → 4 → 5 合并，只得到 1 → 2。”"),
                    diag=("The loop stops when one list is empty, but the other list may still have nodes.",
                          "循环在一个链表为空时就停了，但另一个链表可能还有结点。"),
                    ask=("What should the last node of the merged list point to after the loop?",
                         "循环结束后，合并链表的最后一个结点应该指向哪里？"),
                    step=("Trace the merge to the very end with two lists of different lengths.",
                          "用两个长度不同的链表，把合并过程一直追踪到最后。"),
                ),
                Mistake(
                    attempt=("creates a new node for every value instead of relinking the existing nodes.",
                             "为每个值都创建一个新结点，而不是重新链接已有的结点。"),
                    alt=("“I build a new list node by node, but the exercise says not to allocate nodes.”",
                         "“我逐个结点地构造了新链表，可题目说不要分配新结点。”"),
                    diag=("Copying the values works, but the exercise asks you to reuse the nodes you already have.",
                          "复制值是可行的，但题目要求你复用已有的结点。"),
                    ask=("Could you change the next pointers of the existing nodes instead of creating new ones?",
                         "能不能修改已有结点的 next 指针，而不是创建新结点？"),
                    step=("Draw both lists and redraw the arrows each time you pick a node.",
                          "画出两个链表，每选中一个结点就重画一次箭头。"),
                ),
            ),
            code=(
                "def merge(a, b):\n"
                "    dummy = tail = Node(None)\n"
                "    while a is not None and b is not None:\n"
                "        if a.val <= b.val:\n"
                "            tail.next, a = a, a.next\n"
                "        else:\n"
                "            tail.next, b = b, b.next\n"
                "        tail = tail.next\n"
                "    tail.next = a if a is not None else b\n"
                "    return dummy.next"
            ),
            key=(
                "dummy.next | tail=dummy | dummy=tail | start from a dummy | start with a dummy | "
                "begin with a dummy | 从一个哑结点开始 | 从哑结点开始 | 从一个哨兵结点开始",
                "整体接上 | 直接接上 | 接到末尾 | tail.next=a | tail.next=b | attach the rest | attach whichever | "
                "attach the remaining | append the rest | link the rest | link the remaining | point to the rest | "
                "point to the remaining | 指向剩下 | 指向剩余 | 把剩下的链表接 | 把剩余的链表接 | 把剩余部分接",
                "smaller | 较小 | 更小 & tail.next",
            ),
        ),
        Exercise(
            "traversal",
            ("Remove duplicate values from a sorted singly linked list.",
             "删除有序单链表中的重复值。"),
            ("Walk with `cur` from head; while `cur` and `cur.next` exist, if `cur.next.val == cur.val` unlink it with `cur.next = cur.next.next` (and stay), otherwise move `cur = cur.next`.",
             "用 `cur` 从 head 开始遍历；当 `cur` 和 `cur.next` 都存在时，若 `cur.next.val == cur.val`，就用 `cur.next = cur.next.next` 断开它（cur 不动），否则 `cur = cur.next`。"),
            (
                Mistake(
                    attempt=("moves cur forward right after removing a duplicate, so runs of three stay partly duplicated.",
                             "删除一个重复结点后立刻让 cur 前进，结果连续三个相同值时仍有重复留下。"),
                    alt=("“1 → 1 → 1 → 2 becomes 1 → 1 → 2.”",
                         "“1 → 1 → 1 → 2 变成了 1 → 1 → 2。”"),
                    diag=("After unlinking one duplicate, the node that is now next may be a duplicate as well.",
                          "断开一个重复结点之后，新的下一个结点可能也是重复的。"),
                    ask=("Right after a removal, should cur advance or check its new next node again?",
                         "刚删除一个结点之后，cur 应该前进，还是再检查一次新的下一个结点？"),
                    step=("Trace 1 → 1 → 1 → 2 and write cur and cur.next after every step.",
                          "追踪 1 → 1 → 1 → 2，每一步后写下 cur 和 cur.next。"),
                ),
                Mistake(
                    attempt=("compares every node only with the head node.",
                             "把每个结点都只和头结点比较。"),
                    alt=("“1 → 2 → 2 still has both 2s afterwards.”",
                         "“1 → 2 → 2 处理后两个 2 都还在。”"),
                    diag=("In a sorted list, duplicates sit next to each other, so each node should be compared with a neighbour, not the first node.",
                          "在有序链表中重复值是相邻的，所以每个结点应该和相邻结点比较，而不是和第一个结点比较。"),
                    ask=("Which node should each node be compared with?",
                         "每个结点应该和哪个结点比较？"),
                    step=("Trace 1 → 2 → 2 and write down every comparison your code makes.",
                          "追踪 1 → 2 → 2，写下代码做的每一次比较。"),
                ),
                Mistake(
                    attempt=("loops `while cur.next is not None` starting from head, and crashes on an empty list.",
                             "从 head 开始用 `while cur.next is not None` 循环，空链表时崩溃。"),
                    alt=("“An empty list gives ‘NoneType object has no attribute next’.”",
                         "“空链表时报 ‘NoneType object has no attribute next’。”"),
                    diag=("The loop condition reads cur.next before checking whether the node cur exists at all.",
                          "循环条件在检查 cur 这个结点是否存在之前，就去读取了 cur.next。"),
                    ask=("What is cur when the list is empty?",
                         "链表为空时，cur 是什么？"),
                    step=("Test with an empty list and with a one-node list.",
                          "分别用空链表和只有一个结点的链表测试。"),
                ),
            ),
            code=(
                "def dedupe(head):\n"
                "    cur = head\n"
                "    while cur is not None and cur.next is not None:\n"
                "        if cur.next.val == cur.val:\n"
                "            cur.next = cur.next.next\n"
                "        else:\n"
                "            cur = cur.next\n"
                "    return head"
            ),
            key=(
                "cur.next=cur.next.next & stay | stays | don't advance | do not advance | don't move | "
                "do not move | only advance | only move | 不动 | 不前进 | 不要前进 | 不移动 | 别动 | else | 否则 | otherwise",
                "stay put | stays put | cur stays | keep cur where it is | leave cur where it is | don't advance | "
                "do not advance | don't move cur | do not move cur | 不动 | 不前进 | 不要前进 | 原地 | 留在原地 & after | 删除后 | "
                "删除之后 | 断开后 | removal | removing | unlink",
                "cur.next.val==cur.val | cur.val==cur.next.val | compare with the next node | "
                "compare it with the next node | compare each node with the next | "
                "compare each node with its next | 和下一个结点比较 | 与下一个结点比较 | 与它的下一个结点比较 | 和它的下一个结点比较 | 和后一个结点比较 | "
                "与后一个结点比较",
                "while cur is not none and cur.next is not none | while cur and cur.next | cur and cur.next exist | "
                "cur and cur.next are not none | cur 和 cur.next 都存在 | cur 和 cur.next 都不为 none",
            ),
        ),
    ),
)
