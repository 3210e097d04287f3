from .schema import Exercise, Mistake, Point, Topic

TOPIC = Topic(
    key="sorting",
    name=("Sorting", "排序"),
    keywords=(
        ("sort", "pivot", "merge", "swap", "partition", "stable", "comparison", "compare", "pass", "insertion",
         "selection", "bubble", "quicksort", "half", "halves", "count", "order", "shift"),
        ("排序", "基准", "归并", "合并", "交换", "划分", "稳定", "比较", "一趟", "插入", "选择", "冒泡", "快速", "一半",
         "计数", "顺序", "移动"),
    ),
    points={
        "simple": Point(
            ("elementary sorts", "简单排序"),
            ("Insertion sort is always O(n²), even when the input is already sorted, because it still runs both loops completely.",
             "插入排序总是 O(n²)，即使输入已经有序也是如此，因为两层循环仍会完整执行。"),
        ),
        "merge_sort": Point(
            ("merge sort", "归并排序"),
            ("Merge sort works in place with O(1) extra memory, which is why it is the usual choice for sorting arrays.",
             "归并排序是原地排序，只需 O(1) 的额外内存，这正是它常被用来排序数组的原因。"),
        ),
        "quick_sort": Point(
            ("quicksort and partitioning", "快速排序与划分"),
            ("Quicksort is O(n log n) in every case, because each partition step always splits the array in half.",
             "快速排序在任何情况下都是 O(n log n)，因为每次划分总是把数组分成两半。"),
        ),
        "stability": Point(
            ("stability and lower bounds", "稳定性与下界"),
            ("Every sorting algorithm is stable, because no algorithm ever needs to swap two equal keys.",
             "所有排序算法都是稳定的，因为没有哪个算法需要交换两个相等的键。"),
        ),
        "counting_sort": Point(
            ("counting sort", "计数排序"),
            ("Counting sort is O(n) for any input, whatever the range of the keys is.",
             "无论键的范围有多大，计数排序对任何输入都是 O(n)。"),
        ),
    },
    facts=(
        ("Merge sort runs in O(n log n) in every case and is stable, but it needs O(n) extra memory for merging.",
         "归并排序在任何情况下都是 O(n log n) 且稳定，但合并时需要 O(n) 的额外内存。"),
        ("Quicksort averages O(n log n) and sorts in place, but degrades to O(n²) when partitions are unbalanced.",
         "快速排序平均 O(n log n) 且原地排序，但划分不平衡时会退化为 O(n²)。"),
        ("Any comparison sort needs Ω(n log n) comparisons in the worst case; counting and radix sort avoid the bound by not comparing keys.",
         "任何比较排序在最坏情况下都需要 Ω(n log n) 次比较；计数排序和基数排序不比较键，因此不受这个下界限制。"),
    ),
    exercises=(
        Exercise(
            "simple",
            ("Implement insertion sort on a Python list.",
             "在 Python 列表上实现插入排序。"),
            ("For i from 1 to n − 1: save `key = a[i]`, set `j = i - 1`, and while `j >= 0 and a[j] > key` shift `a[j + 1] = a[j]` and decrement j; finally `a[j + 1] = key`. It is O(n²) in the worst case and O(n) on sorted input.",
             "对 i 从 1 到 n − 1：保存 `key = a[i]`，令 `j = i - 1`，当 `j >= 0 and a[j] > key` 时执行 `a[j + 1] = a[j]` 并让 j 减一；最后 `a[j + 1] = key`。最坏 O(n²)，输入有序时 O(n)。"),
            (
                Mistake(
                    attempt=("shifts larger elements right without saving a[i] first, so the value being inserted is overwritten.",
                             "没有先保存 a[i] 就把较大的元素右移，结果要插入的值被覆盖了。"),
                    alt=("“After sorting, my array is full of copies of one value.”",
                         "“排序之后，我的数组里全是同一个值的副本。”"),
                    diag=("The element being inserted is overwritten by the first shift because it was never saved.",
                          "要插入的元素在第一次移动时就被覆盖了，因为它从来没有被保存下来。"),
                    ask=("Where is the value you are inserting kept while the larger elements shift right?",
                         "在较大的元素右移时，你要插入的那个值存放在哪里？"),
                    step=("Trace inserting the second element of [3, 1] and write the array after each line.",
                          "追踪插入 [3, 1] 的第二个元素的过程，每执行一行就写下数组。"),
                ),
                Mistake(
                    attempt=("loops `while a[j] > key` without checking `j >= 0`.",
                             "用 `while a[j] > key` 循环，没有检查 `j >= 0`。"),
                    alt=("“When I insert the smallest element, j goes negative and compares with a[-1].”",
                         "“插入最小的元素时，j 变成负数，和 a[-1] 比较。”"),
                    diag=("When the key is smaller than everything sorted so far, j runs off the front of the list, and negative indices hide it.",
                          "当 key 比已排序部分的所有元素都小时，j 会走出列表的开头，而负数下标把这个问题掩盖了。"),
                    ask=("What stops the inner loop at the beginning of the array?",
                         "是什么让内层循环在数组开头停下来？"),
                    step=("Trace [2, 1] and watch the value of j.",
                          "追踪 [2, 1]，观察 j 的值。"),
                ),
                Mistake(
                    attempt=("claims insertion sort is O(n²) even on already sorted input.",
                             "断言插入排序即使在已经有序的输入上也是 O(n²)。"),
                    alt=("“Insertion sort is quadratic no matter what the input is.”",
                         "“不管输入是什么，插入排序都是平方级的。”"),
                    diag=("The inner loop's work depends on how far each element has to move during the sort.",
                          "内层循环的工作量取决于排序时每个元素需要移动多远。"),
                    ask=("How many shifts happen when the input is already sorted?",
                         "当输入已经有序时，会发生多少次移动？"),
                    step=("Count the comparisons made on [1, 2, 3, 4, 5].",
                          "数一数在 [1, 2, 3, 4, 5] 上做了多少次比较。"),
                ),
            ),
            code=(
                "def insertion_sort(a):\n"
                "    for i in range(1, len(a)):\n"
                "        key, j = a[i], i - 1\n"
                "        while j >= 0 and a[j] > key:\n"
                "            a[j + 1] = a[j]\n"
                "            j -= 1\n"
                "        a[j + 1] = key"
            ),
            key=(
                "key=a[i] | tmp=a[i] | temp=a[i] | x=a[i] | v=a[i] | val=a[i] | value=a[i] | cur=a[i] | "
                "current=a[i] | save a[i] | store a[i] | 把 a[i] 保存 | 把 a[i] 存 | 用变量保存 a[i] | 用一个变量保存 a[i] | "
                "存到一个临时变量 | 存进临时变量 | 保存到临时变量",
                "a[j+1]=key | a[j+1]=tmp | a[j+1]=temp | a[j+1]=x | a[j+1]=v | a[j+1]=val | a[j+1]=value | a[j+1]=cur",
                "j>=0 and | and j>=0 | while j>=0 | add j>=0 | 加上 j>=0 | 加入 j>=0 | 增加 j>=0 | stop when j<0 | "
                "stop when j reaches -1 | j<0 时停 | j 小于 0 时停",
                "o(n) | linear | 线性 | n-1 comparisons | n-1 次比较 | no shifts | 0 shifts | 不需要移动 | 0次移动 | "
                "没有移动 & sorted | 有序",
            ),
        ),
        Exercise(
            "simple",
            ("Implement selection sort so that it performs at most n − 1 swaps.",
             "实现选择排序，使它最多执行 n − 1 次交换。"),
            ("For i from 0 to n − 2, find the index m of the minimum of `a[i:]`, then swap `a[i]` and `a[m]` once; this uses at most n − 1 swaps and O(n²) comparisons, and it is not stable.",
             "对 i 从 0 到 n − 2，找出 `a[i:]` 中最小值的下标 m，然后交换一次 `a[i]` 和 `a[m]`；这样最多交换 n − 1 次，比较 O(n²) 次，而且不稳定。"),
            (
                Mistake(
                    attempt=("swaps every time a smaller element is found, instead of once per pass.",
                             "每找到一个更小的元素就交换一次，而不是每趟只交换一次。"),
                    alt=("“My selection sort does far more than n − 1 swaps.”",
                         "“我的选择排序交换次数远远超过 n − 1 次。”"),
                    diag=("Selection sort first finds the minimum of the unsorted part, and only then swaps once.",
                          "选择排序先找出未排序部分的最小值，然后才交换一次。"),
                    ask=("How many swaps does one pass need if you only remember the index of the minimum?",
                         "如果只记住最小值的下标，一趟需要交换几次？"),
                    step=("Trace one pass on [4, 3, 2, 1] both ways and count the swaps.",
                          "在 [4, 3, 2, 1] 上用两种方式各走一趟，数一数交换次数。"),
                ),
                Mistake(
                    attempt=("starts the inner search at index 0 on every pass, re-scanning the sorted part.",
                             "每一趟内层查找都从下标 0 开始，重新扫描已排好的部分。"),
                    alt=("“The sorted prefix gets messed up again.”",
                         "“已经排好的前缀又被弄乱了。”"),
                    diag=("Your search for the minimum includes elements that were already put in their final sorted place.",
                          "你查找最小值时，把已排序部分中已经放到最终位置的元素也包括进去了。"),
                    ask=("Where should the search for the next minimum start?",
                         "寻找下一个最小值应该从哪里开始？"),
                    step=("Trace the second pass on [1, 3, 2] with your loop bounds.",
                          "用你的循环边界追踪 [1, 3, 2] 的第二趟。"),
                ),
                Mistake(
                    attempt=("states that selection sort is stable.",
                             "断言选择排序是稳定的。"),
                    alt=("“Selection sort keeps equal keys in their original order.”",
                         "“选择排序会让相等的键保持原来的顺序。”"),
                    diag=("The long-distance swap can jump an element over another element with an equal key.",
                          "远距离的交换可能让一个元素跳过另一个键相等的元素。"),
                    ask=("What happens to (2, 'a'), (2, 'b'), (1, 'c') after the first swap?",
                         "第一次交换之后，(2, 'a')、(2, 'b')、(1, 'c') 会变成什么样？"),
                    step=("Selection-sort [(2, 'a'), (2, 'b'), (1, 'c')] by number and check the labels.",
                          "按数字对 [(2, 'a'), (2, 'b'), (1, 'c')] 做选择排序，检查标签。"),
                ),
            ),
            code=(
                "def selection_sort(a):\n"
                "    n = len(a)\n"
                "    for i in range(n - 1):\n"
                "        m = min(range(i, n), key=a.__getitem__)\n"
                "        if m != i:\n"
                "            a[i], a[m] = a[m], a[i]"
            ),
            key=(
                "a[i],a[m]=a[m],a[i] | a[i],a[min_i]=a[min_i],a[i] | a[i],a[j]=a[j],a[i] | swap a[i] and a[m] | "
                "swap a[i] with a[m] | swap a[i] with the minimum | swap the minimum into position i | "
                "swap it with a[i] | swap the minimum with a[i] | 交换 a[i] 和 a[m] | 交换 a[i] 与 a[m] | 与 a[i] 交换 | "
                "和 a[i] 交换 | 换到 a[i] | 换到位置 i | 交换到位置 i",
                "remember | keep track of | track | record | store | save | 记住 | 记录 | 保存 & index of the minimum | "
                "index of the min | minimum's index | min index | position of the minimum | 最小值的下标 | 最小元素的下标 | "
                "最小值的位置 & swap once at the end | swap only once | then swap them once | swap a[i] and a[m] | "
                "swap a[i],a[m] | 只交换1次 | 然后交换1次 | 最后交换1次",
                "range(i,n) | range(i+1,n) | start at i | start from i | begin at i | from index i | 从 i 开始 | "
                "从下标 i 开始 | 从 i+1 开始 | a[i:]",
                "not stable | isn't stable | is not stable | unstable | 不稳定 | 不是稳定",
            ),
        ),
        Exercise(
            "merge_sort",
            ("Implement merge sort that returns a new sorted list.",
             "实现归并排序，返回一个新的有序列表。"),
            ("If `len(a) <= 1` return a copy; otherwise sort `a[:mid]` and `a[mid:]` recursively and merge them, taking from the left half when keys are equal so the sort is stable.",
             "若 `len(a) <= 1` 就返回副本；否则递归排序 `a[:mid]` 和 `a[mid:]` 并合并，键相等时从左半部分取，使排序保持稳定。"),
            (
                Mistake(
                    attempt=("recurses on `a[:mid]` and `a[mid + 1:]`, dropping `a[mid]`.",
                             "对 `a[:mid]` 和 `a[mid + 1:]` 递归，漏掉了 `a[mid]`。"),
                    alt=("“My sorted output is missing some elements.”",
                         "“我排序后的输出少了一些元素。”"),
                    diag=("One element falls between the two halves you sort and never gets merged back.",
                          "有一个元素落在你排序的两半之间，再也没有被合并回来。"),
                    ask=("Which index is in neither `a[:mid]` nor `a[mid + 1:]`?",
                         "哪个下标既不在 `a[:mid]` 中，也不在 `a[mid + 1:]` 中？"),
                    step=("Trace [3, 1, 2] and count the elements at each level of the recursion.",
                          "追踪 [3, 1, 2]，数一数递归每一层的元素个数。"),
                ),
                Mistake(
                    attempt=("only stops the recursion when `len(a) == 0`, so one-element lists recurse forever.",
                             "只在 `len(a) == 0` 时停止递归，结果单元素列表无限递归。"),
                    alt=("“I get RecursionError on any non-empty list.”",
                         "“只要列表非空就报 RecursionError。”"),
                    diag=("A one-element list splits into an empty half and a one-element half, which is the same problem again.",
                          "单元素列表会被分成一个空的一半和一个单元素的一半，问题又回到了原样。"),
                    ask=("Which list sizes are already sorted without any further splitting?",
                         "哪些长度的列表不用再拆分就已经有序了？"),
                    step=("Trace `merge_sort([5])` call by call.",
                          "逐次调用追踪 `merge_sort([5])`。"),
                ),
                Mistake(
                    attempt=("merges with `left[i] < right[j]`, taking from the right half on ties.",
                             "合并时用 `left[i] < right[j]`，相等时从右半部分取。"),
                    alt=("“Equal keys come out in a different order from the input.”",
                         "“相等的键输出的顺序和输入不一样了。”"),
                    diag=("On a tie, the element from the left half came first in the input, so taking the right one breaks stability.",
                          "相等时，左半部分的元素在输入中排在前面，先取右边的会破坏稳定性。"),
                    ask=("Which half should win a tie to keep the sort stable?",
                         "相等时应该让哪一半优先，排序才能保持稳定？"),
                    step=("Merge [(1, 'a')] with [(1, 'b')] and check the order of the labels.",
                          "合并 [(1, 'a')] 和 [(1, 'b')]，检查标签的顺序。"),
                ),
            ),
            code=(
                "def merge_sort(a):\n"
                "    if len(a) <= 1:\n"
                "        return list(a)\n"
                "    mid = len(a) // 2\n"
                "    left, right = merge_sort(a[:mid]), merge_sort(a[mid:])\n"
                "    out, i, j = [], 0, 0\n"
                "    while i < len(left) and j < len(right):\n"
                "        if left[i] <= right[j]:\n"
                "            out.append(left[i]); i += 1\n"
                "        else:\n"
                "            out.append(right[j]); j += 1\n"
                "    return out + left[i:] + right[j:]"
            ),
            key=(
                "a[mid:] | a[m:] | 右半从 mid 开始 | right half starts at mid | include a[mid] | 包含 a[mid] | 把 a[mid] 放进",
                "len(a)<=1 | len(a)<2 | len(arr)<=1 | len(a)==1 | <=1 | at most 1 element | 0 or 1 element | "
                "1 or 0 element | 1 or fewer | fewer than 2 | 1-element list is already sorted | "
                "1 element is already sorted | 不超过1 | 小于等于1 | 小于2 | 0或1个 | 0个或1个 | 1个或0个 | 至多1个 | 单元素列表已经有序 | "
                "单个元素已经有序",
                "left[i]<=right[j] | l[i]<=r[j] | use <= | 用<= | 改成<= | take from the left | taking from the left | "
                "take the left | taking the left | left one first | left half first | left element first | "
                "prefer the left | favour the left | favor the left | left wins | left half wins | 从左半部分取 | 从左边取 | "
                "取左边 | 左边的先 | 左半先 | 左半部分优先 | 左边优先 | 先取左",
            ),
        ),
        Exercise(
            "merge_sort",
            ("Explain why merge sort takes O(n log n) time, and how much extra memory it needs.",
             "解释为什么归并排序的时间是 O(n log n)，以及它需要多少额外内存。"),
            ("The recursion has about log₂ n levels, and the merges on one level together touch all n elements, so the total is O(n) per level × log n levels = O(n log n); merging needs an O(n) buffer.",
             "递归大约有 log₂ n 层，同一层的所有合并加起来正好处理全部 n 个元素，所以总代价为每层 O(n) × log n 层 = O(n log n)；合并需要 O(n) 的缓冲区。"),
            (
                Mistake(
                    attempt=("says O(n²), because each merge is O(n) and there are about n merges.",
                             "回答 O(n²)，理由是每次合并 O(n)，大约有 n 次合并。"),
                    alt=("“n merges of O(n) each, so n².”",
                         "“n 次合并，每次 O(n)，所以是 n²。”"),
                    diag=("Merges deeper in the recursion work on smaller pieces; the cost per level, not per merge, is O(n).",
                          "递归越深，合并的片段越小；每一层（而不是每一次合并）的代价是 O(n)。"),
                    ask=("What is the total size of all the pieces merged on one level of the recursion?",
                         "递归的某一层上，所有被合并片段的总大小是多少？"),
                    step=("Draw the recursion tree for n = 8 and add up the merge work level by level.",
                          "画出 n = 8 时的递归树，逐层把合并工作量加起来。"),
                ),
                Mistake(
                    attempt=("says O(log n), because the array is halved at every step.",
                             "回答 O(log n)，理由是数组每一步都被减半。"),
                    alt=("“Halving means log n.”",
                         "“减半就意味着 log n。”"),
                    diag=("Halving gives the number of levels, but every level still merges all the elements.",
                          "减半决定的是层数，但每一层仍然要合并所有的元素。"),
                    ask=("How much merging work is done on each level?",
                         "每一层要做多少合并工作？"),
                    step=("Multiply the number of levels by the merge work per level.",
                          "用层数乘以每层的合并工作量。"),
                ),
                Mistake(
                    attempt=("claims merge sort needs only O(1) extra memory.",
                             "声称归并排序只需要 O(1) 的额外内存。"),
                    alt=("“It sorts in place, just like quicksort.”",
                         "“它和快速排序一样是原地排序的。”"),
                    diag=("The standard merge writes its output into a separate buffer.",
                          "标准的合并操作会把输出写到一个单独的缓冲区里。"),
                    ask=("Where does the merged output go while both halves are still being read?",
                         "在两半都还在被读取的时候，合并的输出写到哪里？"),
                    step=("Try merging [1, 3] and [2, 4] inside the same array without a buffer and see what gets overwritten.",
                          "试着不用缓冲区在同一个数组里合并 [1, 3] 和 [2, 4]，看看什么被覆盖了。"),
                ),
            ),
            key=(
                "log n levels | log2 n levels | log₂ n levels | logn levels | log n 层 | log₂ n 层 | logn 层 | "
                "log2 n 层 | 层数是 log n | depth log n | depth is log n | height log n | 高度为 log n & o(n) per level | "
                "o(n) work per level | o(n) on each level | n per level | n work per level | each level does o(n) | "
                "every level does o(n) | each level costs o(n) | all n elements | 每层 o(n) | 每层 n | 每一层 o(n) | "
                "每一层都是 o(n) | 全部 n 个元素 | 所有 n 个元素 | 每层的代价是 o(n) | 每层代价 o(n)",
                "o(n) extra | o(n) additional | o(n) auxiliary | o(n) buffer | o(n) memory | o(n) space | o(n) 的额外 | "
                "o(n) 额外 | o(n) 的缓冲 | o(n) 缓冲 | o(n) 空间 | o(n) 内存 | o(n) 的空间 | o(n) 的内存 | linear extra | 线性的额外",
            ),
        ),
        Exercise(
            "quick_sort",
            ("Implement in-place quicksort with the Lomuto partition scheme (last element as pivot).",
             "用 Lomuto 划分方案（以最后一个元素为基准）实现原地快速排序。"),
            ("Partition `a[lo..hi]` with pivot `a[hi]`: keep i = lo; for j in lo..hi − 1, if `a[j] < pivot` swap `a[i], a[j]` and increment i; finally swap `a[i], a[hi]` and return i; then sort lo..i − 1 and i + 1..hi.",
             "以 `a[hi]` 为基准划分 `a[lo..hi]`：令 i = lo；对 j 从 lo 到 hi − 1，若 `a[j] < pivot` 就交换 `a[i], a[j]` 并让 i 加一；最后交换 `a[i], a[hi]` 并返回 i；再分别排序 lo..i − 1 和 i + 1..hi。"),
            (
                Mistake(
                    attempt=("recurses on lo..p and p..hi, including the pivot position in a recursive call.",
                             "对 lo..p 和 p..hi 递归，把基准位置也包含在递归调用里。"),
                    alt=("“I get a RecursionError on some arrays.”",
                         "“有些数组会报 RecursionError。”"),
                    diag=("After partitioning, the pivot is already in its final place, yet it is passed back into a recursive call.",
                          "划分之后基准已经在最终位置上了，却又被传回到递归调用里。"),
                    ask=("After partitioning, which index never needs to be sorted again?",
                         "划分之后，哪个下标再也不需要排序了？"),
                    step=("Trace [2, 1] and print the range of every recursive call.",
                          "追踪 [2, 1]，打印每次递归调用的范围。"),
                ),
                Mistake(
                    attempt=("always uses the first element as the pivot and gets O(n²) on sorted input.",
                             "总是用第一个元素作基准，在有序输入上退化成 O(n²)。"),
                    alt=("“My quicksort is very slow on arrays that are already sorted.”",
                         "“我的快速排序在已经有序的数组上特别慢。”"),
                    diag=("With the first element as the pivot, sorted input leaves one side of every partition empty.",
                          "用第一个元素作基准时，有序输入会让每次划分的一侧都是空的。"),
                    ask=("How big are the two parts when partitioning [1, 2, 3, 4, 5] around its first element?",
                         "以第一个元素为基准划分 [1, 2, 3, 4, 5] 时，两部分各有多大？"),
                    step=("Draw the recursion tree for sorted input of size 5.",
                          "画出大小为 5 的有序输入的递归树。"),
                ),
                Mistake(
                    attempt=("forgets the final swap that moves the pivot to index i.",
                             "忘了最后那次把基准换到下标 i 的交换。"),
                    alt=("“The pivot stays at the end and the result isn't sorted.”",
                         "“基准一直留在末尾，结果没有排好序。”"),
                    diag=("The loop arranges the other elements, but the pivot itself never moves to the boundary of the partition.",
                          "循环安排好了其他元素，但基准本身从未移动到划分的分界处。"),
                    ask=("Where does the pivot belong once all smaller elements are on the left?",
                         "当所有较小的元素都在左边之后，基准应该放在哪里？"),
                    step=("Partition [3, 1, 2] with pivot 2 and draw the array before the final step.",
                          "以 2 为基准划分 [3, 1, 2]，画出最后一步之前的数组。"),
                ),
            ),
            code=(
                "def quicksort(a, lo=0, hi=None):\n"
                "    if hi is None:\n"
                "        hi = len(a) - 1\n"
                "    if lo >= hi:\n"
                "        return\n"
                "    pivot, i = a[hi], lo\n"
                "    for j in range(lo, hi):\n"
                "        if a[j] < pivot:\n"
                "            a[i], a[j] = a[j], a[i]\n"
                "            i += 1\n"
                "    a[i], a[hi] = a[hi], a[i]\n"
                "    quicksort(a, lo, i - 1)\n"
                "    quicksort(a, i + 1, hi)"
            ),
            key=(
                "a[i],a[hi]=a[hi],a[i] | swap a[i],a[hi] | swap a[i] and a[hi] | swap a[i] with a[hi] | "
                "swap a[hi] with a[i] | 交换 a[i],a[hi] | 交换 a[i] 和 a[hi] | 交换 a[i] 与 a[hi] | 把 a[hi] 和 a[i] 交换 | "
                "swap the pivot into position i | put the pivot at index i | place the pivot at index i | "
                "put the pivot at a[i] | 把基准放到下标 i | 把基准放到 a[i] | 把基准放到位置 i",
                "lo..p-1 | lo..i-1 | lo,p-1 | lo,i-1 | lo..i − 1 | lo..p − 1 | lo, i − 1 | lo, p − 1 | p+1..hi | "
                "i+1..hi | p+1,hi | i+1,hi | exclude the pivot | excluding the pivot | without the pivot | "
                "leave the pivot out | leave out the pivot | skip the pivot | 排除基准 | 不包括基准 | 不包含基准 | 去掉基准 | 跳过基准 | "
                "把基准排除",
                "use a random pivot | pick a random pivot | choose a random pivot | random pivot | 随机选择基准 | 随机基准 | "
                "随机选基准 | median-of-three | median of 3 | median-of-3 | 三数取中",
            ),
        ),
        Exercise(
            "quick_sort",
            ("What is quicksort's worst-case running time, when does it happen, and how is it avoided in practice?",
             "快速排序的最坏运行时间是多少？什么时候发生？实际中如何避免？"),
            ("O(n²), when every partition is maximally unbalanced (e.g. first-element pivot on sorted input, or many equal keys with two-way partitioning); use random pivots or median-of-three and three-way partitioning, and fall back to heapsort as introsort does.",
             "O(n²)，发生在每次划分都极度不平衡时（例如有序输入且取第一个元素为基准，或在二路划分下有大量相等键）；实践中用随机基准或三数取中、三路划分，并像内省排序那样退回到堆排序。"),
            (
                Mistake(
                    attempt=("says the worst case is O(n log n).",
                             "说最坏情况是 O(n log n)。"),
                    alt=("“Quicksort is always n log n.”",
                         "“快速排序永远是 n log n。”"),
                    diag=("The average is n log n, but a badly unbalanced split at every level of the recursion changes that.",
                          "平均是 n log n，但如果递归的每一层都划分得极不平衡，结果就不同了。"),
                    ask=("What happens if every pivot turns out to be the smallest element?",
                         "如果每次选到的基准都是最小的元素，会发生什么？"),
                    step=("Add up the partition sizes n + (n − 1) + … for sorted input with a first-element pivot.",
                          "对有序输入、以第一个元素为基准，把划分大小 n + (n − 1) + … 加起来。"),
                ),
                Mistake(
                    attempt=("claims that always picking the middle element makes the worst case impossible.",
                             "声称总是选中间元素作基准，就不可能出现最坏情况。"),
                    alt=("“A middle pivot makes the worst case impossible.”",
                         "“选中间的元素作基准，最坏情况就不可能发生。”"),
                    diag=("Any fixed pivot rule can still be defeated by an input crafted against it.",
                          "任何固定的基准选择规则，都可能被专门构造的输入击败。"),
                    ask=("Could someone build an input that makes the middle element a bad pivot every time?",
                         "有没有人能构造一个输入，让中间元素每次都是糟糕的基准？"),
                    step=("Think about what a random pivot guarantees in expectation, whatever the input is.",
                          "想一想随机选基准在期望意义下能保证什么，无论输入是什么。"),
                ),
                Mistake(
                    attempt=("assumes that arrays with many equal keys are harmless for quicksort.",
                             "认为含大量相等键的数组对快速排序没有影响。"),
                    alt=("“An array of all-equal keys is an easy case for quicksort.”",
                         "“全是相等键的数组对快速排序来说很简单。”"),
                    diag=("With two-way partitioning, all equal keys land on one side and every split is maximally unbalanced.",
                          "在二路划分下，所有相等的键都落在同一侧，每次划分都极不平衡。"),
                    ask=("What does the partition of [5, 5, 5, 5] look like with your scheme?",
                         "用你的方案划分 [5, 5, 5, 5] 会是什么样子？"),
                    step=("Partition an all-equal array and write down the sizes of the two parts.",
                          "划分一个全相等的数组，写下两部分的大小。"),
                ),
            ),
            key=(
                "o(n^2) | n(n+1)/2 | n(n-1)/2",
                "three-way partition | 3-way partition | three-way partitioning | 3-way partitioning | 三路划分 | 三向划分 | "
                "dutch national flag | 荷兰国旗",
                "introsort | 内省排序 | fall back to heapsort | switch to heapsort | 退回到堆排序 | 改用堆排序",
                "use a random pivot | choose a random pivot | pick a random pivot | pick the pivot at random | "
                "choose the pivot randomly | random pivots | 用随机基准 | 使用随机基准 | 随机选择基准 | 随机选取基准 | 随机选一个基准 | 改用随机 | "
                "median-of-three | median of 3 | median-of-3 | 三数取中",
            ),
        ),
        Exercise(
            "stability",
            ("A list of students is already sorted by name. Sort it by grade (descending) so that students with equal grades stay in alphabetical order.",
             "一个学生列表已经按姓名排好序。请按成绩（降序）排序，并使成绩相同的学生保持字母顺序。"),
            ("Use a stable sort on the grade only: `sorted(students, key=lambda s: s.grade, reverse=True)`; Python's sort is stable and `reverse=True` keeps equal elements in their original order.",
             "只按成绩做一次稳定排序：`sorted(students, key=lambda s: s.grade, reverse=True)`；Python 的排序是稳定的，并且 `reverse=True` 会让相等元素保持原来的顺序。"),
            (
                Mistake(
                    attempt=("sorts by grade with a hand-written selection sort.",
                             "用手写的选择排序按成绩排序。"),
                    alt=("“Students with the same grade are no longer alphabetical.”",
                         "“成绩相同的学生不再按字母顺序排列了。”"),
                    diag=("Selection sort isn't stable, so it can reorder students with equal grades.",
                          "选择排序不稳定，所以可能会打乱成绩相同的学生的顺序。"),
                    ask=("Which property must the grade sort have to keep the name order among ties?",
                         "按成绩排序必须具备什么性质，才能在成绩相同时保持姓名顺序？"),
                    step=("Sort three students, two with the same grade, and check the order of their names.",
                          "对三个学生（其中两个成绩相同）排序，检查他们姓名的顺序。"),
                ),
                Mistake(
                    attempt=("sorts by grade first and then sorts again by name.",
                             "先按成绩排序，然后再按姓名排序一次。"),
                    alt=("“Now my list is sorted by name, not by grade.”",
                         "“现在我的列表是按姓名排的，不是按成绩。”"),
                    diag=("The last sort decides the main order; an earlier sort only breaks ties if the later one is stable.",
                          "最后一次排序决定主要顺序；前面的排序只有在后一次排序稳定时才起到打破平局的作用。"),
                    ask=("Which key should be sorted last?",
                         "应该最后按哪个键排序？"),
                    step=("Try both orders of the two sorts on three students and compare.",
                          "在三个学生上尝试两种排序先后顺序，比较结果。"),
                ),
                Mistake(
                    attempt=("sorts ascending by grade and then reverses the whole list to get descending grades.",
                             "先按成绩升序排序，再把整个列表反转得到降序。"),
                    alt=("“Equal grades are now in reverse alphabetical order.”",
                         "“成绩相同的学生现在是按字母逆序排列的。”"),
                    diag=("Reversing the whole sorted list also reverses the order of students with equal grades.",
                          "反转整个有序列表，也会把成绩相同的学生的顺序反过来。"),
                    ask=("Is there a way to sort in descending order without reversing the order of ties?",
                         "有没有办法按降序排序，又不颠倒平局元素的顺序？"),
                    step=("Compare `sorted(s, key=g)[::-1]` with `sorted(s, key=g, reverse=True)` on two tied students.",
                          "在两个成绩相同的学生上，比较 `sorted(s, key=g)[::-1]` 和 `sorted(s, key=g, reverse=True)`。"),
                ),
            ),
            key=(
                "stable | 稳定 & by grade | on the grade | on grade | 按成绩 | grade only | only the grade | "
                "只按成绩 & reverse=true | reverse | descending | 降序 | 从高到低 | 1 time | 1次 | only",
                ".grade,reverse=true | grade,reverse=true | [grade],reverse=true | use reverse=true | "
                "用 reverse=true | 使用 reverse=true | 改用 reverse=true | pass reverse=true | reverse=true instead",
                "sort by grade last | grade last | 最后按成绩 | sort by name first | 先按姓名排",
            ),
        ),
        Exercise(
            "counting_sort",
            ("Sort n exam scores that are integers from 0 to 100 in O(n + k) time.",
             "在 O(n + k) 时间内对 n 个取值为 0 到 100 的整数考试成绩排序。"),
            ("Counting sort: make `count = [0] * 101`, increment `count[s]` for each score, then output each value v `count[v]` times in increasing v; this is O(n + 101).",
             "计数排序：建立 `count = [0] * 101`，对每个成绩把 `count[s]` 加一，然后按 v 从小到大把每个值 v 输出 `count[v]` 次；时间为 O(n + 101)。"),
            (
                Mistake(
                    attempt=("uses a comparison sort and says nothing can beat O(n log n).",
                             "用比较排序，并说没有什么能快过 O(n log n)。"),
                    alt=("“Sorting can never be faster than n log n.”",
                         "“排序永远不可能快过 n log n。”"),
                    diag=("The n log n bound applies to comparison sorts; a small range of integer keys allows sorting by counting.",
                          "n log n 的下界只适用于比较排序；整数键的范围很小时，可以通过计数来排序。"),
                    ask=("How many different values can a score take?",
                         "一个成绩一共可能取多少种不同的值？"),
                    step=("Make a small array of counters and fill it for the scores [3, 1, 3, 0].",
                          "建一个小的计数数组，用成绩 [3, 1, 3, 0] 把它填好。"),
                ),
                Mistake(
                    attempt=("allocates `count = [0] * 100`, so a score of 100 crashes.",
                             "分配了 `count = [0] * 100`，结果成绩为 100 时崩溃。"),
                    alt=("“I get an IndexError for a score of 100.”",
                         "“遇到 100 分时报 IndexError。”"),
                    diag=("The range 0 to 100 contains 101 values, and your count array is one slot short.",
                          "0 到 100 一共有 101 个值，你的计数数组少了一个位置。"),
                    ask=("How many slots does the range 0..100 need?",
                         "范围 0..100 需要多少个位置？"),
                    step=("List the smallest and largest index your count array must support.",
                          "列出计数数组必须支持的最小和最大下标。"),
                ),
                Mistake(
                    attempt=("applies the same counting sort to arbitrary 64-bit integers.",
                             "把同样的计数排序用在任意的 64 位整数上。"),
                    alt=("“My counting sort runs out of memory on big numbers.”",
                         "“数字一大，我的计数排序就内存不足了。”"),
                    diag=("Counting sort's cost includes the size k of the key range, not just n.",
                          "计数排序的代价不仅与 n 有关，还与键的范围大小 k 有关。"),
                    ask=("How large would the count array be for keys up to 2⁶⁴?",
                         "如果键最大到 2⁶⁴，计数数组会有多大？"),
                    step=("Compare n with the key range k before choosing counting sort.",
                          "在选择计数排序之前，先比较 n 和键的范围 k。"),
                ),
            ),
            code=(
                "def sort_scores(scores):\n"
                "    count = [0] * 101\n"
                "    for s in scores:\n"
                "        count[s] += 1\n"
                "    return [v for v in range(101) for _ in range(count[v])]"
            ),
            key=(
                "[0]*101 | size 101 | length 101 | 101 slots | 101 counters | 101 buckets | 101 entries | 长度为101 | "
                "大小为101 | 101个位置 | 101个计数 | 101个桶 | 101个格子",
                "use counting sort | 用计数排序 | 使用计数排序 | count how many times each score | count each score | "
                "统计每个成绩出现的次数 | 每个成绩出现的次数 | 每个分数出现的次数 | occurrences of each score | count[s]+=1 | count[score]+=1",
                "radix sort | 基数排序",
            ),
        ),
        Exercise(
            "simple",
            ("Implement bubble sort that stops early once a pass makes no swaps.",
             "实现冒泡排序，并在某一趟没有发生交换时提前结束。"),
            ("For each pass k, compare `a[j]` and `a[j + 1]` for j from 0 to n − 2 − k and swap if out of order; reset `swapped = False` at the start of each pass and stop if it is still False at the end.",
             "对第 k 趟，j 从 0 到 n − 2 − k，比较 `a[j]` 和 `a[j + 1]`，逆序就交换；每趟开始时令 `swapped = False`，若一趟结束时仍为 False 就停止。"),
            (
                Mistake(
                    attempt=("lets j run up to n − 1 in the inner loop and compares `a[j]` with `a[j + 1]`.",
                             "内层循环让 j 一直取到 n − 1，并比较 `a[j]` 和 `a[j + 1]`。"),
                    alt=("“I get an IndexError on the last comparison of a pass.”",
                         "“每一趟的最后一次比较都报 IndexError。”"),
                    diag=("During a pass, comparing a[j] with a[j + 1] needs j + 1 to be inside the array.",
                          "比较 a[j] 和 a[j + 1] 要求 j + 1 在数组范围内。"),
                    ask=("What is the largest j for which a[j + 1] exists?",
                         "a[j + 1] 存在时，j 最大是多少？"),
                    step=("Trace the first pass on [2, 1] with your loop bounds.",
                          "用你的循环边界追踪 [2, 1] 的第一趟。"),
                ),
                Mistake(
                    attempt=("sets `swapped = False` once before all the passes, so the early exit stops working after the first swap.",
                             "只在所有趟开始之前设置一次 `swapped = False`，结果第一次交换后提前结束就失效了。"),
                    alt=("“Once any swap has happened, my sort never exits early.”",
                         "“只要发生过一次交换，我的排序就再也不会提前结束。”"),
                    diag=("The flag has to describe the current pass, but yours still remembers swaps from earlier passes.",
                          "这个标志应该描述当前这一趟，可你的标志还记着之前各趟的交换。"),
                    ask=("Where should the flag be reset so it only reflects one pass?",
                         "标志应该在哪里重置，才能只反映一趟的情况？"),
                    step=("Trace [2, 1, 3] and print the flag at the end of every pass.",
                          "追踪 [2, 1, 3]，在每一趟结束时打印这个标志。"),
                ),
                Mistake(
                    attempt=("never shrinks the inner range, re-comparing the tail that is already sorted.",
                             "从不缩小内层循环的范围，反复比较已经排好序的尾部。"),
                    alt=("“It works, but it does lots of useless comparisons.”",
                         "“能排好，但做了很多没用的比较。”"),
                    diag=("After pass k, the largest k elements are already in their final positions at the end.",
                          "第 k 趟之后，最大的 k 个元素已经在末尾的最终位置上了。"),
                    ask=("Which part of the array is final after each pass?",
                         "每一趟之后，数组的哪一部分已经确定了？"),
                    step=("Mark the settled tail after every pass on [4, 3, 2, 1].",
                          "在 [4, 3, 2, 1] 上，每一趟之后标出已确定的尾部。"),
                ),
            ),
            code=(
                "def bubble_sort(a):\n"
                "    n = len(a)\n"
                "    for k in range(n - 1):\n"
                "        swapped = False\n"
                "        for j in range(n - 1 - k):\n"
                "            if a[j] > a[j + 1]:\n"
                "                a[j], a[j + 1] = a[j + 1], a[j]\n"
                "                swapped = True\n"
                "        if not swapped:\n"
                "            break"
            ),
            key=(
                "range(n-1-k) | range(n-k-1) | range(n-1-i) | range(n-i-1) | range(n-1) | n-1-k | n-k-1 | n-1-i | "
                "n-i-1 | n − 1 − k | n-2-k | n − 2 − k | n-k-2 | n-2 | n − 2 | j<n-1 | j+1<n | skip the last k | "
                "跳过最后 k 个 | 不再比较最后 k 个 | exclude the sorted tail | stop before the sorted tail | 不比较已排好的尾部 | 跳过已排好的尾部",
                "swapped=false & start of each pass | beginning of each pass | each pass | every pass | "
                "inside the outer loop | in the outer loop | 每趟开始 | 每一趟开始 | 每趟 | 每一趟 | 外层循环里 | 外层循环内",
                "reset swapped=false at the start | reset the flag at the start of each pass | "
                "reset it at the start of each pass | set swapped=false at the start | swapped=false at the start of | "
                "swapped=false inside the outer loop | 每趟开始时令swapped=false | 每趟开始时重置 | 外层循环开始时重置 | 在外层循环里重置",
            ),
        ),
        Exercise(
            "merge_sort",
            ("Count the inversions of an array (pairs i < j with a[i] > a[j]) in O(n log n).",
             "在 O(n log n) 时间内统计数组的逆序对个数（满足 i < j 且 a[i] > a[j] 的对）。"),
            ("Modify merge sort: while merging sorted halves L and R, whenever `R[j] < L[i]` is taken first, add `len(L) - i` (all remaining left elements are larger); sum the counts of both halves and the merge.",
             "修改归并排序：合并有序的两半 L 和 R 时，每当先取 `R[j] < L[i]`，就加上 `len(L) - i`（左半剩下的元素都更大）；把两半各自的计数与合并时的计数相加。"),
            (
                Mistake(
                    attempt=("checks every pair with two nested loops.",
                             "用两层嵌套循环检查每一对。"),
                    alt=("“My inversion count is right but O(n²).”",
                         "“逆序对计数是对的，但复杂度是 O(n²)。”"),
                    diag=("Each pair is checked separately, while a merge step could count many pairs at once.",
                          "每一对都单独检查，而合并步骤可以一次数出许多对。"),
                    ask=("While merging two sorted halves, what does it mean when an element of the right half is taken first?",
                         "在合并两个有序的一半时，右半部分的元素先被取出意味着什么？"),
                    step=("Merge [2, 4] and [1, 3] and count how many left elements each right element jumps over.",
                          "合并 [2, 4] 和 [1, 3]，数一数每个右边的元素越过了多少个左边的元素。"),
                ),
                Mistake(
                    attempt=("adds 1 whenever an element is taken from the right half during the merge.",
                             "合并时每从右半部分取一个元素就加 1。"),
                    alt=("“My count is too small.”",
                         "“我数出来的逆序对偏少。”"),
                    diag=("A right element smaller than L[i] is also smaller than everything after L[i] in the sorted left half.",
                          "合并时，一个比 L[i] 小的右边元素，也比有序左半部分中 L[i] 之后的所有元素都小。"),
                    ask=("How many left-half elements does that right element pass over?",
                         "这个右边的元素越过了左半部分的多少个元素？"),
                    step=("Merge [3, 4] and [1] and count the inversions by hand.",
                          "合并 [3, 4] 和 [1]，手工数出逆序对。"),
                ),
                Mistake(
                    attempt=("takes from the right half on ties and counts them as inversions.",
                             "相等时从右半部分取，并把它们算作逆序对。"),
                    alt=("“[1, 1] has 1 inversion according to my code.”",
                         "“按我的代码，[1, 1] 有 1 个逆序对。”"),
                    diag=("Equal elements don't form an inversion; only a strictly greater earlier element does.",
                          "相等的元素不构成逆序对，只有前面的元素严格更大时才算。"),
                    ask=("On a tie during the merge, which half should be taken first?",
                         "合并时遇到相等，应该先取哪一半？"),
                    step=("Merge [1] and [1] and check the count your code adds.",
                          "合并 [1] 和 [1]，检查你的代码加了多少。"),
                ),
            ),
            code=(
                "def count_inversions(a):\n"
                "    if len(a) <= 1:\n"
                "        return list(a), 0\n"
                "    mid = len(a) // 2\n"
                "    left, x = count_inversions(a[:mid])\n"
                "    right, y = count_inversions(a[mid:])\n"
                "    out, i, j, inv = [], 0, 0, x + y\n"
                "    while i < len(left) and j < len(right):\n"
                "        if left[i] <= right[j]:\n"
                "            out.append(left[i]); i += 1\n"
                "        else:\n"
                "            out.append(right[j]); j += 1\n"
                "            inv += len(left) - i\n"
                "    return out + left[i:] + right[j:], inv"
            ),
            key=(
                "len(l)-i | len(left)-i | mid-i | len(a)-i | n1-i",
                "add | adds | adding | 加上 | += | count | counts | 计入 & remaining | rest of the left | the rest of l | "
                "剩下 | 剩余 | 余下 | 还没取 | not yet taken | still in the left & left | 左",
                "left[i]<=right[j] | l[i]<=r[j] | take the left on ties | take from the left | take the left | "
                "相等时先取左 | 先取左 | 取左边 | left first | 左半优先 | 左边优先",
            ),
        ),
        Exercise(
            "quick_sort",
            ("Find the k-th smallest element (k from 1) of an unsorted array in expected O(n) time with quickselect.",
             "用快速选择在期望 O(n) 时间内找出无序数组中第 k 小的元素（k 从 1 开始）。"),
            ("Partition around a random pivot to get its final index p; if p == k − 1 return it, if k − 1 < p continue only in the left part, else only in the right part (keeping absolute indices, or subtracting the left size and the pivot from k).",
             "围绕随机基准划分，得到它的最终下标 p；若 p == k − 1 就返回，若 k − 1 < p 只在左半部分继续，否则只在右半部分继续（保持绝对下标，或从 k 中减去左半部分的大小和基准）。"),
            (
                Mistake(
                    attempt=("recurses into both sides after partitioning, as quicksort does.",
                             "划分之后像快速排序那样对两侧都递归。"),
                    alt=("“My quickselect is as slow as sorting the whole array.”",
                         "“我的快速选择和把整个数组排序一样慢。”"),
                    diag=("Only one side of the partition can contain the k-th smallest element.",
                          "划分后只有一侧可能包含第 k 小的元素。"),
                    ask=("After partitioning, how can you tell which side holds position k?",
                         "划分之后，怎样判断哪一侧包含第 k 个位置？"),
                    step=("Trace k = 1 on [3, 1, 2] and note which calls are really needed.",
                          "在 [3, 1, 2] 上追踪 k = 1，记下哪些调用是真正需要的。"),
                ),
                Mistake(
                    attempt=("compares k with the pivot's value instead of the pivot's final index.",
                             "把 k 和基准的值比较，而不是和基准的最终下标比较。"),
                    alt=("“I get wrong answers whenever the values differ from their positions.”",
                         "“只要值和位置不一样，我的答案就是错的。”"),
                    diag=("k is a position in sorted order, so it must be compared with the pivot's final position after partitioning.",
                          "k 是排好序后的一个位置，所以它必须和划分后基准的最终位置比较。"),
                    ask=("Does your partition return a value or an index?",
                         "你的划分函数返回的是值还是下标？"),
                    step=("Test [10, 30, 20] with k = 2 and print what you compare k with.",
                          "用 [10, 30, 20] 和 k = 2 测试，打印出你拿 k 和什么比较。"),
                ),
                Mistake(
                    attempt=("recurses on a copy of the right part but keeps the same k.",
                             "对右半部分的副本递归，却保持 k 不变。"),
                    alt=("“When the answer is in the right part, I get an IndexError or the wrong element.”",
                         "“当答案在右半部分时，我会得到 IndexError 或错误的元素。”"),
                    diag=("Inside the right sub-array, positions are shifted by the size of the left part plus the pivot.",
                          "在右侧子数组中，位置整体偏移了左半部分的大小再加上基准。"),
                    ask=("What is the new k inside the right part of the partition?",
                         "在划分后的右半部分中，新的 k 是多少？"),
                    step=("Trace k = 3 on [3, 1, 2] with your code.",
                          "用你的代码在 [3, 1, 2] 上追踪 k = 3。"),
                ),
            ),
            code=(
                "import random\n\n"
                "def quickselect(a, k):\n"
                "    a, lo, hi = list(a), 0, len(a) - 1\n"
                "    while True:\n"
                "        r = random.randint(lo, hi)\n"
                "        a[r], a[hi] = a[hi], a[r]\n"
                "        pivot, i = a[hi], lo\n"
                "        for j in range(lo, hi):\n"
                "            if a[j] < pivot:\n"
                "                a[i], a[j] = a[j], a[i]\n"
                "                i += 1\n"
                "        a[i], a[hi] = a[hi], a[i]\n"
                "        if i == k - 1:\n"
                "            return a[i]\n"
                "        if k - 1 < i:\n"
                "            hi = i - 1\n"
                "        else:\n"
                "            lo = i + 1"
            ),
            key=(
                "p==k-1 | i==k-1 | p+1==k | i+1==k | k-1==p | k-1==i | p==k − 1 | i==k − 1 | k − 1==p",
                "k-1<p | k-1<i | k<=p | k<=i | k − 1 < p | k − 1 < i | k-1>p | k-1>i | p>k-1 | p<k-1 | i>k-1 | "
                "i<k-1 | p>=k | p<k − 1 | p > k − 1",
                "k-(p+1) | k-p-1 | k-i-1 | k-(i+1) | k-len(left)-1 | k-left_size-1 | subtract the left size | "
                "subtracting the left size | subtract the size of the left | 减去左半部分的大小 | 减去左边的大小 | 减去左侧的大小 | "
                "absolute indices | absolute index | 绝对下标",
                "pivot index | pivot's index | pivot's final index | 基准的下标 | 基准的最终下标 & k-1 | k − 1 | k 减 1",
                "recurse into only 1 | recurse only into | recurse on only 1 | only recurse | only 1 recursive call | "
                "只递归一侧 | 只对一侧递归 | 只递归 | 只需递归 | 只在一侧 | 只往一侧 | 只在左 | 只在右 | 只进入 | only continue in | continue only in | "
                "continue only on",
            ),
        ),
        Exercise(
            "stability",
            ("Why does every comparison-based sort need Ω(n log n) comparisons in the worst case?",
             "为什么任何基于比较的排序在最坏情况下都需要 Ω(n log n) 次比较？"),
            ("A comparison sort is a binary decision tree that must have a distinct leaf for each of the n! input orders, so its height is at least log₂(n!) = Θ(n log n); sorts that don't compare keys (counting, radix) are not bound by this.",
             "比较排序可以看作一棵二叉决策树，它必须为 n! 种输入顺序各提供一个不同的叶子，所以高度至少为 log₂(n!) = Θ(n log n)；不比较键的排序（计数排序、基数排序）不受此限制。"),
            (
                Mistake(
                    attempt=("says it is because merge sort's recursion has log n levels.",
                             "说这是因为归并排序的递归有 log n 层。"),
                    alt=("“Because merge sort has log n levels of n work.”",
                         "“因为归并排序有 log n 层，每层 n 的工作量。”"),
                    diag=("That is the cost of one sorting algorithm, not a bound that every comparison sort must obey.",
                          "那只是某一种排序算法的代价，而不是每个比较排序都必须遵守的下界。"),
                    ask=("How many different orderings of n elements must a sort be able to tell apart?",
                         "一个排序算法必须能区分 n 个元素的多少种不同顺序？"),
                    step=("Count the leaves that a decision tree for sorting 3 elements needs.",
                          "数一数对 3 个元素排序的决策树需要多少个叶子。"),
                ),
                Mistake(
                    attempt=("concludes that counting sort must also take Ω(n log n).",
                             "由此得出计数排序也必须是 Ω(n log n)。"),
                    alt=("“So counting sort has to be n log n too.”",
                         "“那计数排序也一定是 n log n。”"),
                    diag=("The bound only applies to algorithms that learn about the order by comparing keys.",
                          "这个下界只适用于通过比较键来了解顺序的算法。"),
                    ask=("Does counting sort ever compare two elements with each other?",
                         "计数排序有没有把两个元素拿来互相比较过？"),
                    step=("Trace counting sort on [2, 0, 1] and note every operation it performs.",
                          "在 [2, 0, 1] 上追踪计数排序，记下它执行的每一个操作。"),
                ),
                Mistake(
                    attempt=("says the lower bound is only Ω(n), because each element must be read once.",
                             "说下界只是 Ω(n)，因为每个元素都必须读一次。"),
                    alt=("“You have to look at every element, so n is the lower bound.”",
                         "“每个元素都得看一遍，所以下界是 n。”"),
                    diag=("Reading the input gives Ω(n), but distinguishing all n! possible orders needs more comparisons than that.",
                          "读入输入确实需要 Ω(n)，但要区分所有 n! 种可能的顺序，需要的比较次数更多。"),
                    ask=("How tall must a binary decision tree be to have n! leaves?",
                         "一棵二叉决策树要有多高，才能有 n! 个叶子？"),
                    step=("Estimate log₂(n!) for n = 8 and compare it with 8.",
                          "估算 n = 8 时的 log₂(n!)，并和 8 比较。"),
                ),
            ),
            key=(
                "log₂(n!) | log(n!) | log2(n!) | log n! | logn! | lg(n!) | lg n! & θ(n log n) | o(nlogn) | "
                "ω(n log n) | θ(nlogn) | ω(nlogn)",
                "height | depth | 高度 | 深度 | 树高 & at least log | >=log | ≥ log | ≥log | 至少为 log | 至少是 log | 至少 log",
                "stirling | 斯特林",
                "2^h & n!",
                "counting sort | 计数排序 & doesn't compare | does not compare | never compares | no comparisons | "
                "not a comparison sort | isn't a comparison sort | 不比较 | 不进行比较 | 没有比较 | 不是比较排序 | 不做比较",
            ),
        ),
    ),
)
