from .schema import Exercise, Mistake, Point, Topic

TOPIC = Topic(
    key="searching",
    name=("Searching (binary search)", "查找（二分查找）"),
    keywords=(
        ("binary search", "lo", "hi", "mid", "interval", "range", "sorted", "search", "bound", "half", "halves",
         "candidate", "index", "feasib"),
        ("二分", "区间", "lo", "hi", "mid", "有序", "查找", "边界", "一半", "候选", "下标", "范围", "可行"),
    ),
    points={
        "binary_search": Point(
            ("binary search on a sorted array", "在有序数组上二分查找"),
            ("Binary search works on any array, sorted or not, as long as you start by checking the middle element.",
             "二分查找适用于任何数组，不管有没有序，只要先检查中间的元素就行。"),
        ),
        "boundaries": Point(
            ("loop invariants and boundaries", "循环不变式与边界"),
            ("The loop condition and the updates of lo and hi are independent choices: `while lo < hi` works with `hi = mid - 1` just as well as with `hi = mid`.",
             "循环条件和 lo、hi 的更新方式是互相独立的选择：`while lo < hi` 配 `hi = mid - 1` 和配 `hi = mid` 一样可行。"),
        ),
        "bounds": Point(
            ("first and last occurrence", "首次与末次出现"),
            ("To find the first occurrence you can stop at any index holding the target, because binary search always lands on the first copy.",
             "要找第一次出现的位置，遇到任何等于目标的下标都可以停下，因为二分查找总会落在第一个副本上。"),
        ),
        "answer_search": Point(
            ("binary search over candidate answers", "在候选答案上二分"),
            ("Binary search on the answer works even if the feasibility test isn't monotone, because the range is still halved at every step.",
             "即使可行性判断不是单调的，对答案二分也照样可行，因为每一步范围仍然会减半。"),
        ),
    },
    facts=(
        ("Binary search halves the candidate range with every comparison, so it needs about log₂ n steps on a sorted array.",
         "二分查找每比较一次就把候选范围减半，所以在有序数组上大约需要 log₂ n 步。"),
        ("Every binary search maintains an invariant about its interval; the loop condition and the updates of lo and hi must agree with it.",
         "每个二分查找都维护着关于区间的不变式；循环条件以及 lo、hi 的更新都必须与之一致。"),
        ("The lower bound is the first index whose element is at least the target; the upper bound is the first index whose element is greater.",
         "下界是第一个元素不小于目标的下标；上界是第一个元素大于目标的下标。"),
    ),
    exercises=(
        Exercise(
            "binary_search",
            ("Implement binary search that returns the index of target in a sorted array, or −1 if it is absent.",
             "实现二分查找：返回目标在有序数组中的下标，若不存在则返回 −1。"),
            ("Use the closed interval: `lo, hi = 0, len(a) - 1`; while `lo <= hi`, set `mid = (lo + hi) // 2`, return mid if `a[mid] == target`, set `lo = mid + 1` if `a[mid] < target`, else `hi = mid - 1`; return −1 after the loop.",
             "使用闭区间：`lo, hi = 0, len(a) - 1`；当 `lo <= hi` 时，令 `mid = (lo + hi) // 2`，若 `a[mid] == target` 返回 mid，若 `a[mid] < target` 则 `lo = mid + 1`，否则 `hi = mid - 1`；循环结束后返回 −1。"),
            (
                Mistake(
                    attempt=("starts with `hi = len(a) - 1` but loops `while lo < hi` with `hi = mid - 1`, so the last candidate is never checked.",
                             "初始 `hi = len(a) - 1`，却用 `while lo < hi` 循环并令 `hi = mid - 1`，结果最后一个候选从未被检查。"),
                    alt=("“Searching for 7 in [1, 3, 5, 7] returns −1.”",
                         "“在 [1, 3, 5, 7] 中查找 7 返回了 −1。”"),
                    diag=("With an inclusive hi and `lo < hi`, the loop exits while one candidate of the interval is still unchecked.",
                          "当 hi 是闭区间端点而条件是 `lo < hi` 时，循环会在区间里还剩一个候选没检查时就退出。"),
                    ask=("When lo == hi, is there still an element that could be the target?",
                         "当 lo == hi 时，是否还有一个元素可能是目标？"),
                    step=("Trace the search for 7 in [1, 3, 5, 7], writing lo, hi and mid at each step.",
                          "追踪在 [1, 3, 5, 7] 中查找 7 的过程，每一步写下 lo、hi 和 mid。"),
                ),
                Mistake(
                    attempt=("updates `lo = mid` instead of `lo = mid + 1`, and the loop never ends.",
                             "写成了 `lo = mid` 而不是 `lo = mid + 1`，结果循环永远不结束。"),
                    alt=("“My search hangs when the target is larger than a[mid].”",
                         "“当目标比 a[mid] 大时，我的查找就卡住了。”"),
                    diag=("When lo and hi are adjacent, mid equals lo, so `lo = mid` makes no progress on the interval.",
                          "当 lo 和 hi 相邻时，mid 等于 lo，所以 `lo = mid` 无法让区间缩小。"),
                    ask=("After you compare with a[mid], is mid itself still a candidate?",
                         "和 a[mid] 比较之后，mid 本身还是候选吗？"),
                    step=("Trace lo = 0 and hi = 1 with the target at index 1.",
                          "在 lo = 0、hi = 1 且目标位于下标 1 的情况下追踪一遍。"),
                ),
                Mistake(
                    attempt=("computes `mid = (lo + hi) / 2` in Python 3 and gets a TypeError.",
                             "在 Python 3 中用 `mid = (lo + hi) / 2`，结果报 TypeError。"),
                    alt=("“I get ‘list indices must be integers or slices, not float’.”",
                         "“报错 ‘list indices must be integers or slices, not float’。”"),
                    diag=("The `/` operator produces a float, and a float can't be used as the index of the middle element.",
                          "`/` 运算得到的是浮点数，而浮点数不能作为中间元素的下标。"),
                    ask=("Which division operator keeps the result an integer?",
                         "哪种除法运算符能让结果保持整数？"),
                    step=("Print `type((0 + 3) / 2)` in the Python shell.",
                          "在 Python 交互环境里打印 `type((0 + 3) / 2)`。"),
                ),
            ),
            code=(
                "def binary_search(a, target):\n"
                "    lo, hi = 0, len(a) - 1\n"
                "    while lo <= hi:\n"
                "        mid = (lo + hi) // 2\n"
                "        if a[mid] == target:\n"
                "            return mid\n"
                "        if a[mid] < target:\n"
                "            lo = mid + 1\n"
                "        else:\n"
                "            hi = mid - 1\n"
                "    return -1"
            ),
            key=(
                "while lo<=hi | lo<=hi | lo ≤ hi | lo≤hi | lo 小于等于 hi | lo 不大于 hi | lo is at most hi",
                "(lo+hi)//2 | //2 | use // | 用 // | integer division | floor division | 整数除法 | 整除 | 地板除 | "
                "int((lo+hi)/2)",
                "set lo=mid+1 | use lo=mid+1 | 改成 lo=mid+1 | 改为 lo=mid+1 | 应该是 lo=mid+1 | should be lo=mid+1 | "
                "令 lo=mid+1 | 则 lo=mid+1 | 用 lo=mid+1 | lo=mid+1 instead | change it to lo=mid+1 | lo 应为 mid+1 | "
                "mid is no longer a candidate | mid is not a candidate | 排除 mid | mid 已经不是候选 | mid 不再是候选 | skip mid | "
                "跳过 mid",
                "lo=mid+1 & hi=mid-1",
            ),
        ),
        Exercise(
            "boundaries",
            ("Write binary search on the half-open interval [lo, hi) starting with `lo = 0, hi = len(a)`.",
             "在半开区间 [lo, hi) 上写二分查找，初始 `lo = 0, hi = len(a)`。"),
            ("Loop `while lo < hi`: `mid = (lo + hi) // 2`; if `a[mid] < target` set `lo = mid + 1`, otherwise `hi = mid`; afterwards return lo if `lo < len(a) and a[lo] == target`, else −1.",
             "循环条件为 `while lo < hi`：`mid = (lo + hi) // 2`；若 `a[mid] < target` 则 `lo = mid + 1`，否则 `hi = mid`；循环结束后，若 `lo < len(a) and a[lo] == target` 返回 lo，否则返回 −1。"),
            (
                Mistake(
                    attempt=("uses `hi = mid - 1` together with the half-open interval.",
                             "在半开区间下使用 `hi = mid - 1`。"),
                    alt=("“Sometimes the element just below mid is never checked.”",
                         "“有时 mid 左边紧挨着的那个元素从来没被检查过。”"),
                    diag=("In [lo, hi) the index hi is already excluded, so setting hi to mid − 1 also excludes mid − 1 from the interval.",
                          "在 [lo, hi) 中下标 hi 本身已被排除，所以把 hi 设为 mid − 1 会把 mid − 1 也排除出区间。"),
                    ask=("If a[mid] > target, which indices are still candidates, and how does hi express that?",
                         "如果 a[mid] > target，哪些下标仍是候选？hi 应该怎样表示这一点？"),
                    step=("Write the candidate interval [lo, hi) after each step for a four-element array.",
                          "对一个四个元素的数组，每一步后写出候选区间 [lo, hi)。"),
                ),
                Mistake(
                    attempt=("loops `while lo <= hi` with `hi = len(a)` and reads `a[len(a)]`.",
                             "在 `hi = len(a)` 的情况下用 `while lo <= hi` 循环，读到了 `a[len(a)]`。"),
                    alt=("“I get an IndexError when the target is bigger than every element.”",
                         "“目标比所有元素都大时就报 IndexError。”"),
                    diag=("With a half-open interval, lo == hi already means the range is empty, so the loop must stop there.",
                          "在半开区间中，lo == hi 已经表示范围为空，所以循环必须在那时停下。"),
                    ask=("What does the interval [lo, hi) contain when lo == hi?",
                         "当 lo == hi 时，区间 [lo, hi) 里有什么？"),
                    step=("Search for 10 in [1, 3, 5] and trace mid at each step.",
                          "在 [1, 3, 5] 中查找 10，追踪每一步的 mid。"),
                ),
                Mistake(
                    attempt=("returns lo when the loop ends without checking that `a[lo] == target`.",
                             "循环结束后直接返回 lo，没有检查 `a[lo] == target`。"),
                    alt=("“Searching for 4 in [1, 3, 5] returns 2.”",
                         "“在 [1, 3, 5] 中查找 4 返回了 2。”"),
                    diag=("The loop finds where the target would go in the sorted range, not whether it is actually there.",
                          "循环找到的是目标在有序范围中应该放的位置，而不是它是否真的存在。"),
                    ask=("What must you check before reporting lo as the index of the target?",
                         "在把 lo 作为目标的下标返回之前，你必须检查什么？"),
                    step=("Search for a missing value and look at what `a[lo]` holds.",
                          "查找一个不存在的值，看看 `a[lo]` 是什么。"),
                ),
            ),
            key=(
                "hi=mid; | hi=mid, | hi=mid. | hi=mid) | hi=mid。 | hi=mid、 | hi=mid instead | hi=mid rather | "
                "hi=mid not | hi=mid and not | hi=mid is enough | hi=mid keeps | hi=mid而不是 | hi=mid即可 | hi=mid就 | "
                "hi=mid,而 | hi becomes mid | hi 变成 mid | hi 直接设为 mid | 否则 hi=mid | else hi=mid | otherwise hi=mid",
                "while lo<hi | stop when lo==hi | stop at lo==hi | lo==hi 时停止 | lo==hi时停 | lo 等于 hi 时停",
                "lo<len(a) and a[lo]==target | lo<n and a[lo]==target | if a[lo]==target | 若 a[lo]==target | "
                "如果 a[lo]==target | a[lo]==target 才返回 | a[lo]==target 时返回 | a[lo]==target则返回 | 确认 a[lo]==target | "
                "lo<len(a) | lo<n",
            ),
        ),
        Exercise(
            "bounds",
            ("Find the index of the first occurrence of target in a sorted array that may contain duplicates (−1 if absent).",
             "在可能含有重复元素的有序数组中，找出目标第一次出现的下标（不存在则返回 −1）。"),
            ("Run a lower-bound search: `lo, hi = 0, n`; while `lo < hi`, if `a[mid] < target` then `lo = mid + 1` else `hi = mid`; then return lo if `lo < n and a[lo] == target`, else −1. This is O(log n) even with many copies.",
             "执行下界查找：`lo, hi = 0, n`；当 `lo < hi` 时，若 `a[mid] < target` 则 `lo = mid + 1`，否则 `hi = mid`；然后若 `lo < n and a[lo] == target` 返回 lo，否则返回 −1。即使有很多副本也是 O(log n)。"),
            (
                Mistake(
                    attempt=("returns mid as soon as `a[mid] == target`.",
                             "一旦 `a[mid] == target` 就返回 mid。"),
                    alt=("“In [1, 2, 2, 2, 3] I get index 2 instead of 1.”",
                         "“在 [1, 2, 2, 2, 3] 中我得到的是下标 2 而不是 1。”"),
                    diag=("An equal element isn't necessarily the first one; there may be more copies to its left in the search range.",
                          "一个相等的元素不一定是第一个；在查找范围内它的左边可能还有别的副本。"),
                    ask=("When a[mid] == target, which side could still contain an earlier copy?",
                         "当 a[mid] == target 时，哪一侧还可能有更早的副本？"),
                    step=("Trace [1, 2, 2, 2, 3] and record every index where a[mid] == 2.",
                          "追踪 [1, 2, 2, 2, 3]，记下每个 a[mid] == 2 的下标。"),
                ),
                Mistake(
                    attempt=("finds any occurrence with binary search and then walks left one step at a time.",
                             "先用二分查找找到任意一个出现位置，再一步一步向左走。"),
                    alt=("“With a million copies of the target, my search is slow.”",
                         "“目标有一百万个副本时，我的查找很慢。”"),
                    diag=("The linear walk turns the whole search into O(n) in the worst case.",
                          "这段线性行走让整个查找在最坏情况下变成了 O(n)。"),
                    ask=("Could the binary search itself keep narrowing towards the left after finding a match?",
                         "找到一个匹配之后，二分查找本身能不能继续向左缩小范围？"),
                    step=("Count the steps your method takes on an array of 1,000 equal values.",
                          "在由 1,000 个相同值组成的数组上，数一数你的方法要走多少步。"),
                ),
                Mistake(
                    attempt=("computes the lower bound correctly but returns it even when the target is absent.",
                             "正确算出了下界，但在目标不存在时也把它返回。"),
                    alt=("“Searching for 4 in [1, 3, 5] returns index 2.”",
                         "“在 [1, 3, 5] 中查找 4 返回了下标 2。”"),
                    diag=("The lower bound is where the target would be inserted; by itself it doesn't prove the target is present.",
                          "下界是目标应该插入的位置，它本身并不能证明目标存在。"),
                    ask=("What should be checked at the index your search returns?",
                         "对于查找返回的下标，还应该检查什么？"),
                    step=("Test with a target smaller than every element and with one larger than every element.",
                          "分别用比所有元素都小和比所有元素都大的目标测试。"),
                ),
            ),
            code=(
                "def first_occurrence(a, target):\n"
                "    lo, hi = 0, len(a)\n"
                "    while lo < hi:\n"
                "        mid = (lo + hi) // 2\n"
                "        if a[mid] < target:\n"
                "            lo = mid + 1\n"
                "        else:\n"
                "            hi = mid\n"
                "    return lo if lo < len(a) and a[lo] == target else -1"
            ),
            key=(
                "hi=mid; | hi=mid, | hi=mid. | hi=mid) | hi=mid。 | hi=mid、 | hi=mid instead | hi=mid rather | "
                "hi=mid not | hi=mid and not | hi=mid is enough | hi=mid keeps | hi=mid而不是 | hi=mid即可 | hi=mid就 | "
                "hi=mid,而 | hi becomes mid | hi 变成 mid | hi 直接设为 mid | 否则 hi=mid | else hi=mid | otherwise hi=mid | "
                "keep searching left | continue searching left | continue to the left | keep going left | 继续在左 | "
                "继续往左找 | 继续往左查找 | 继续向左找 | 继续向左查找 | 继续在左半 | a[mid]>=target",
                "a[lo]==target | a[lo]==x | check that a[lo] | 检查 a[lo] | lo<n and | lo<len(a)",
                "is o(logn) | 是 o(logn) | 仍是 o(logn) | still o(logn) | 也是 o(logn) | even with many copies",
                "bisect_left | lower-bound search | lower bound search | 下界查找 | 下界搜索 | 求下界",
            ),
        ),
        Exercise(
            "answer_search",
            ("Compute the integer square root ⌊√x⌋ of an integer x ≥ 0 using binary search.",
             "用二分查找计算整数 x ≥ 0 的整数平方根 ⌊√x⌋。"),
            ("Search for the largest m with `m * m <= x`: `lo, hi = 0, x`; while `lo < hi`, take `mid = (lo + hi + 1) // 2` and set `lo = mid` if `mid * mid <= x`, else `hi = mid - 1`; return lo.",
             "查找满足 `m * m <= x` 的最大 m：`lo, hi = 0, x`；当 `lo < hi` 时，取 `mid = (lo + hi + 1) // 2`，若 `mid * mid <= x` 则 `lo = mid`，否则 `hi = mid - 1`；返回 lo。"),
            (
                Mistake(
                    attempt=("returns mid only when `mid * mid == x`, and −1 otherwise.",
                             "只有 `mid * mid == x` 时才返回 mid，否则返回 −1。"),
                    alt=("“For x = 8 I return −1, but the answer should be 2.”",
                         "“x = 8 时我返回 −1，但答案应该是 2。”"),
                    diag=("Non-perfect squares never hit equality, so what you are looking for is the largest candidate whose square still fits.",
                          "非完全平方数永远不会出现相等，所以你要找的是平方仍不超过 x 的最大候选。"),
                    ask=("What property do all candidates up to the answer share?",
                         "从 0 到答案的所有候选，有什么共同的性质？"),
                    step=("List m * m for m = 0 to 4 when x = 8 and mark those with m * m ≤ 8.",
                          "取 x = 8，列出 m = 0 到 4 时的 m * m，标出满足 m * m ≤ 8 的那些。"),
                ),
                Mistake(
                    attempt=("sets `lo = mid` on success with `mid = (lo + hi) // 2` and `while lo < hi`, and loops forever.",
                             "成功时令 `lo = mid`，同时用 `mid = (lo + hi) // 2` 和 `while lo < hi`，结果陷入死循环。"),
                    alt=("“My search hangs for x = 2.”",
                         "“x = 2 时我的查找卡住了。”"),
                    diag=("When hi = lo + 1, mid rounds down to lo, and `lo = mid` no longer shrinks the search range.",
                          "当 hi = lo + 1 时，mid 向下取整等于 lo，`lo = mid` 就无法再缩小查找范围。"),
                    ask=("How should mid be rounded when the update on success is `lo = mid`?",
                         "当成功时的更新是 `lo = mid`，mid 应该怎样取整？"),
                    step=("Trace x = 2 starting from lo = 1 and hi = 2.",
                          "从 lo = 1、hi = 2 开始追踪 x = 2。"),
                ),
                Mistake(
                    attempt=("uses `int(math.sqrt(x))` instead of searching.",
                             "不做二分，直接用 `int(math.sqrt(x))`。"),
                    alt=("“`int(math.sqrt(x))` gives a wrong answer for huge x.”",
                         "“对于很大的 x，`int(math.sqrt(x))` 给出了错误的答案。”"),
                    diag=("Floating point can't represent very large integers exactly, so the root can be off by one; an integer binary search avoids that.",
                          "浮点数无法精确表示非常大的整数，所以求出的根可能差一；整数二分查找可以避免这个问题。"),
                    ask=("Can a binary search over integers avoid floating point completely?",
                         "在整数上做二分查找，能否完全避开浮点数？"),
                    step=("Try x = 10**30 − 1 and check whether your result squared is at most x.",
                          "试试 x = 10**30 − 1，检查你的结果平方后是否不超过 x。"),
                ),
            ),
            code=(
                "def isqrt(x):\n"
                "    lo, hi = 0, x\n"
                "    while lo < hi:\n"
                "        mid = (lo + hi + 1) // 2\n"
                "        if mid * mid <= x:\n"
                "            lo = mid\n"
                "        else:\n"
                "            hi = mid - 1\n"
                "    return lo"
            ),
            key=(
                "(lo+hi+1)//2 | lo+(hi-lo+1)//2 | round up | rounds up | rounded up | round mid up | ceiling | ceil | "
                "向上取整 | +1)//2",
                "largest m | biggest m | 最大的 m | 最大 m | largest integer | largest number | 最大的数 | 最大的整数 | "
                "最大整数 & m*m<=x | m^2<=x | m²≤x | m*m≤x | mid*mid<=x | square is at most x | "
                "square does not exceed x | square is <=x | 平方不超过 x | 平方<=x | 平方小于等于 x",
                "mid*mid<=x & lo=mid",
            ),
        ),
        Exercise(
            "answer_search",
            ("Find the minimum ship capacity that ships all packages, in their given order, within D days.",
             "求能在 D 天内按给定顺序运完所有包裹的最小船只载重。"),
            ("Feasibility is monotone in the capacity: binary search c in [max(weights), sum(weights)]; a capacity is feasible if greedily filling days needs at most D days; keep `hi = mid` when feasible and `lo = mid + 1` otherwise.",
             "可行性关于载重是单调的：在 [max(weights), sum(weights)] 上二分载重 c；若贪心地逐天装货所需天数不超过 D 则可行；可行时令 `hi = mid`，否则 `lo = mid + 1`。"),
            (
                Mistake(
                    attempt=("tries capacities 1, 2, 3, … one by one until one works.",
                             "从 1、2、3…… 逐个尝试载重，直到有一个可行。"),
                    alt=("“It's correct, but far too slow for heavy packages.”",
                         "“结果正确，但包裹很重时太慢了。”"),
                    diag=("A linear scan tries every capacity, although feasibility only ever switches once from false to true over the range.",
                          "线性扫描尝试了每一个载重，尽管在整个范围内可行性只会从假变为真一次。"),
                    ask=("If capacity c works, does every larger capacity also work?",
                         "如果载重 c 可行，那么更大的载重是不是也都可行？"),
                    step=("Check feasibility for a few capacities on a small example and look for the pattern.",
                          "在一个小例子上检查几个载重的可行性，找找规律。"),
                ),
                Mistake(
                    attempt=("starts the search range at 1, allowing capacities smaller than the heaviest package.",
                             "查找范围从 1 开始，允许了比最重包裹还小的载重。"),
                    alt=("“My feasibility check loops forever when a package is heavier than the capacity.”",
                         "“当某个包裹比载重还重时，我的可行性检查会无限循环。”"),
                    diag=("A capacity below the heaviest package can never work, and your check doesn't handle that lower end of the range.",
                          "低于最重包裹的载重永远不可行，而你的检查没有处理范围的这一低端。"),
                    ask=("What is the smallest capacity that could possibly work?",
                         "可能可行的最小载重是多少？"),
                    step=("Run your check on the weights [5, 1] with capacity 3.",
                          "用载重 3 在包裹 [5, 1] 上运行你的检查。"),
                ),
                Mistake(
                    attempt=("sets `hi = mid - 1` when mid is feasible and returns hi at the end.",
                             "mid 可行时令 `hi = mid - 1`，最后返回 hi。"),
                    alt=("“My answer is one less than the true minimum.”",
                         "“我的答案比真正的最小值少一。”"),
                    diag=("Discarding mid after a success throws away a valid candidate from the range.",
                          "成功后把 mid 丢弃，等于把范围中的一个可行候选扔掉了。"),
                    ask=("If mid is feasible, should it remain a candidate?",
                         "如果 mid 可行，它是否应该继续作为候选？"),
                    step=("Trace the search on the weights [1, 2, 3] with D = 2.",
                          "在包裹 [1, 2, 3]、D = 2 上追踪这次查找。"),
                ),
            ),
            code=(
                "def ship_within_days(weights, D):\n"
                "    def days_needed(c):\n"
                "        days, load = 1, 0\n"
                "        for w in weights:\n"
                "            if load + w > c:\n"
                "                days, load = days + 1, 0\n"
                "            load += w\n"
                "        return days\n"
                "    lo, hi = max(weights), sum(weights)\n"
                "    while lo < hi:\n"
                "        mid = (lo + hi) // 2\n"
                "        if days_needed(mid) <= D:\n"
                "            hi = mid\n"
                "        else:\n"
                "            lo = mid + 1\n"
                "    return lo"
            ),
            key=(
                "max(weights) | lo=max | start at the heaviest | start from the heaviest | 从最重 | 从最大的包裹 | 以最重 | "
                "sum(weights)",
                "hi=mid; | hi=mid, | hi=mid. | hi=mid) | hi=mid。 | hi=mid、 | hi=mid instead | hi=mid rather | "
                "hi=mid not | hi=mid and not | hi=mid is enough | hi=mid keeps | hi=mid而不是 | hi=mid即可 | hi=mid就 | "
                "hi=mid,而 | hi becomes mid | hi 变成 mid | hi 直接设为 mid | 否则 hi=mid | else hi=mid | otherwise hi=mid | "
                "mid remains a candidate | keep mid | mid 仍是候选 | 保留 mid",
                "monotone | monotonic | 单调 & binary search | 二分 | bisect",
                "greedy | greedily | 贪心 & day | days | 天",
            ),
        ),
        Exercise(
            "binary_search",
            ("Search for a target in a sorted array of distinct values that has been rotated, e.g. [4, 5, 6, 7, 0, 1, 2], in O(log n).",
             "在一个被轮转过的、元素互不相同的有序数组（如 [4, 5, 6, 7, 0, 1, 2]）中以 O(log n) 查找目标。"),
            ("At each step one half around mid is sorted: if `a[lo] <= a[mid]` the left half is sorted, so go left when `a[lo] <= target < a[mid]`, else right; otherwise the right half is sorted, so go right when `a[mid] < target <= a[hi]`, else left.",
             "每一步 mid 两侧总有一半是有序的：若 `a[lo] <= a[mid]` 则左半有序，当 `a[lo] <= target < a[mid]` 时往左，否则往右；否则右半有序，当 `a[mid] < target <= a[hi]` 时往右，否则往左。"),
            (
                Mistake(
                    attempt=("runs an ordinary binary search on the rotated array.",
                             "在轮转后的数组上直接运行普通的二分查找。"),
                    alt=("“Searching for 0 in [4, 5, 6, 7, 0, 1, 2] returns −1.”",
                         "“在 [4, 5, 6, 7, 0, 1, 2] 中查找 0 返回了 −1。”"),
                    diag=("The array is no longer sorted as a whole, so comparing with a[mid] alone can send the search the wrong way.",
                          "数组整体上已经不再有序，所以只和 a[mid] 比较可能会让查找走错方向。"),
                    ask=("Which half around mid is guaranteed to be sorted?",
                         "mid 两侧哪一半一定是有序的？"),
                    step=("For each mid in the example, mark whether the left or the right half is sorted.",
                          "对例子中的每个 mid，标出是左半还是右半有序。"),
                ),
                Mistake(
                    attempt=("finds the sorted half but tests `a[lo] < target < a[mid]`, missing target == a[lo].",
                             "找到了有序的那一半，但用 `a[lo] < target < a[mid]` 判断，漏掉了 target == a[lo] 的情况。"),
                    alt=("“Searching for 4, the first element, fails.”",
                         "“查找第一个元素 4 失败了。”"),
                    diag=("Your range test excludes its own endpoint, so a target sitting at lo is sent to the wrong half.",
                          "你的范围判断把端点本身排除了，所以位于 lo 的目标被送到了错误的那一半。"),
                    ask=("Should the comparison with a[lo] include equality?",
                         "和 a[lo] 的比较是否应该包含相等？"),
                    step=("Search for the first element of the array and trace each step.",
                          "查找数组的第一个元素，追踪每一步。"),
                ),
                Mistake(
                    attempt=("falls back to a linear scan whenever the array is rotated.",
                             "只要数组被轮转过，就退回到线性扫描。"),
                    alt=("“When it's rotated, I just scan the whole array.”",
                         "“数组被轮转的时候，我就扫描整个数组。”"),
                    diag=("Scanning gives up the O(log n) goal, although one half of the search range is always sorted.",
                          "扫描放弃了 O(log n) 的目标，尽管查找范围总有一半是有序的。"),
                    ask=("Can you still discard half of the range after a single comparison?",
                         "一次比较之后，你还能不能丢掉一半的范围？"),
                    step=("Write down the decision rule for each of the two sorted-half cases.",
                          "分别写出两种“哪一半有序”情况下的判断规则。"),
                ),
            ),
            code=(
                "def search_rotated(a, target):\n"
                "    lo, hi = 0, len(a) - 1\n"
                "    while lo <= hi:\n"
                "        mid = (lo + hi) // 2\n"
                "        if a[mid] == target:\n"
                "            return mid\n"
                "        if a[lo] <= a[mid]:\n"
                "            if a[lo] <= target < a[mid]:\n"
                "                hi = mid - 1\n"
                "            else:\n"
                "                lo = mid + 1\n"
                "        elif a[mid] < target <= a[hi]:\n"
                "            lo = mid + 1\n"
                "        else:\n"
                "            hi = mid - 1\n"
                "    return -1"
            ),
            key=(
                "a[lo]<=target<a[mid] | a[lo]<=target | a[mid]<target<=a[hi] | target<=a[hi] | a[lo]≤target",
                "a[lo]<=a[mid] | a[lo]≤a[mid] | compare a[lo] with a[mid] | compare a[lo] and a[mid] | "
                "比较 a[lo] 和 a[mid] | a[lo] 与 a[mid] 比较 | a[lo] 和 a[mid] 比较",
            ),
        ),
        Exercise(
            "bounds",
            ("Count how many times a target occurs in a sorted array in O(log n).",
             "在 O(log n) 时间内统计目标在有序数组中出现的次数。"),
            ("Compute the lower bound (first index with `a[i] >= target`) and the upper bound (first index with `a[i] > target`); the count is their difference, e.g. `bisect_right(a, t) - bisect_left(a, t)`.",
             "求出下界（第一个满足 `a[i] >= target` 的下标）和上界（第一个满足 `a[i] > target` 的下标）；次数就是两者之差，例如 `bisect_right(a, t) - bisect_left(a, t)`。"),
            (
                Mistake(
                    attempt=("finds one occurrence and counts outwards linearly.",
                             "找到一个出现位置后，向两边线性地数。"),
                    alt=("“It becomes O(n) when there are many duplicates.”",
                         "“重复元素很多时，它就变成了 O(n)。”"),
                    diag=("Counting outwards from one match visits every copy, so binary search only helped for the first step.",
                          "从一个匹配位置向外数会访问每一个副本，二分查找只帮了第一步。"),
                    ask=("If you knew the first and the last positions of the target, how would you get the count?",
                         "如果知道目标第一次和最后一次出现的位置，怎样得到次数？"),
                    step=("Find both bounds of 2 in [1, 2, 2, 2, 3] by hand.",
                          "手工找出 2 在 [1, 2, 2, 2, 3] 中的两个边界。"),
                ),
                Mistake(
                    attempt=("subtracts the index of the first occurrence from the index of the last occurrence.",
                             "用最后一次出现的下标减去第一次出现的下标。"),
                    alt=("“For [2, 2, 2] my count is 2 instead of 3.”",
                         "“对 [2, 2, 2]，我数出来是 2 而不是 3。”"),
                    diag=("Last index minus first index counts the gaps between copies, not the copies themselves.",
                          "最后下标减去第一个下标数的是副本之间的间隔，而不是副本本身。"),
                    ask=("Should you add one, or define the upper bound as the first index greater than the target?",
                         "是应该再加一，还是把上界定义为第一个大于目标的下标？"),
                    step=("Compute your formula for a single occurrence, [2].",
                          "对只出现一次的情况 [2] 计算你的公式。"),
                ),
                Mistake(
                    attempt=("uses `bisect_left` for both bounds.",
                             "两个边界都用 `bisect_left` 求。"),
                    alt=("“My count is always 0.”",
                         "“我数出来的次数总是 0。”"),
                    diag=("Both of your searches return the same position, the first index that is not smaller than the target.",
                          "你的两次查找返回的是同一个位置，即第一个不小于目标的下标。"),
                    ask=("Which search finds the first index past the last copy?",
                         "哪种查找能找到最后一个副本之后的第一个下标？"),
                    step=("Print `bisect_left` and `bisect_right` for 2 in [1, 2, 2, 3].",
                          "对 [1, 2, 2, 3] 中的 2，分别打印 `bisect_left` 和 `bisect_right` 的结果。"),
                ),
            ),
            code=(
                "from bisect import bisect_left, bisect_right\n\n"
                "def count_occurrences(a, target):\n"
                "    return bisect_right(a, target) - bisect_left(a, target)"
            ),
            key=(
                "upper bound | upper | bisect_right | 上界 & lower bound | lower | bisect_left | 下界 & minus | "
                "difference | subtract | 减 | 之差 | 差值 | 相减",
                "bisect_right(a,t)-bisect_left(a,t) | bisect_right(a,target)-bisect_left(a,target) | "
                "bisect_right(a,x)-bisect_left(a,x)",
                "last-first+1 | last − first + 1 | r-l+1 | right-left+1",
                "last-first+1 | last index-first index+1 | last index minus first index plus 1 | "
                "minus the first index plus 1 | 最后一个下标减第一个下标再加1 | 末次下标减首次下标加1",
            ),
        ),
        Exercise(
            "binary_search",
            ("Why does binary search need sorted input, and when is it worth sorting first instead of searching linearly?",
             "为什么二分查找需要有序输入？什么时候先排序再二分比直接顺序查找更划算？"),
            ("Discarding half the range is only valid if order tells you where the target cannot be; sorting costs O(n log n), so it pays off only when many searches (about log n or more) are made on the same data, and binary search also needs O(1) access to the middle, which rules out linked lists.",
             "只有在顺序能告诉你目标不可能在哪一半时，丢弃一半范围才成立；排序代价为 O(n log n)，只有在同一份数据上要做很多次（大约 log n 次以上）查找时才划算；而且二分查找需要 O(1) 访问中间元素，这排除了链表。"),
            (
                Mistake(
                    attempt=("says binary search works on unsorted arrays too, just faster.",
                             "说二分查找在无序数组上也能用，只是更快。"),
                    alt=("“It's just faster, so I use it everywhere.”",
                         "“它就是更快，所以我哪里都用它。”"),
                    diag=("Discarding half of the range is only safe if the order tells you where the target cannot be.",
                          "只有当顺序能告诉你目标不可能在哪里时，丢弃一半范围才是安全的。"),
                    ask=("In [2, 3, 1], can comparing with the middle element tell you which half to discard?",
                         "在 [2, 3, 1] 中，和中间元素比较能告诉你该丢弃哪一半吗？"),
                    step=("Search for 3 in [3, 1, 2] with binary search and trace each step.",
                          "用二分查找在 [3, 1, 2] 中查找 3，追踪每一步。"),
                ),
                Mistake(
                    attempt=("sorts the array before every single search.",
                             "每次查找之前都先把数组排序。"),
                    alt=("“For each query, I sort and then binary search.”",
                         "“每次查询，我都先排序再二分查找。”"),
                    diag=("Sorting costs O(n log n), which is more than one linear search over the whole range.",
                          "排序需要 O(n log n)，比对整个范围做一次顺序查找还要贵。"),
                    ask=("When is it worth paying for a sort before searching?",
                         "什么时候值得在查找之前花代价排序？"),
                    step=("Compare the total cost for 1 query and for n queries, with and without sorting once.",
                          "分别比较 1 次查询和 n 次查询时，排序一次与不排序的总代价。"),
                ),
                Mistake(
                    attempt=("claims binary search on a sorted linked list is O(log n).",
                             "声称在有序链表上做二分查找是 O(log n)。"),
                    alt=("“A sorted linked list plus binary search gives log n.”",
                         "“有序链表加上二分查找，就是 log n。”"),
                    diag=("Binary search needs O(1) access to the middle element, which a linked list can't give.",
                          "二分查找需要 O(1) 访问中间元素，而链表做不到。"),
                    ask=("How many steps does it take to reach the middle node of a linked list?",
                         "走到链表的中间结点需要多少步？"),
                    step=("Count the steps needed to reach the middle of a 16-node list, and add them up over all halvings.",
                          "数一数走到 16 个结点链表中间要几步，再把每次折半的步数加起来。"),
                ),
            ),
            key=(
                "many | multiple | repeated | lots of | 很多 | 多次 | 大量 | 反复 | log n | logn & searches | queries | "
                "lookups | 查找 | 查询 & pays off | pay off | worth | amortize | amortise | 划算 | 值得 | 摊",
                "more than log n | at least log n | about log n | ≥ log n | >log n | log n or more | log n 次以上 | "
                "超过 log n | 至少 log n | 多于 log n | 大约 log n | log n 次 & search | query | queries | searches | "
                "lookups | 查找 | 查询",
                "sort once | 排序1次 | 只排一次 | 只排序一次 | 先排一次序 & many | 多次 | 很多 | repeated | 反复 | multiple",
            ),
        ),
        Exercise(
            "answer_search",
            ("Find any peak index i with a[i] greater than its neighbours (a[−1] = a[n] = −∞, adjacent values distinct) in O(log n).",
             "在 O(log n) 时间内找出任意一个峰值下标 i，使 a[i] 大于它的邻居（a[−1] = a[n] = −∞，相邻值互不相同）。"),
            ("With `lo, hi = 0, n - 1`, while `lo < hi` take mid; if `a[mid] < a[mid + 1]` a peak lies to the right (`lo = mid + 1`), otherwise one lies at mid or to its left (`hi = mid`); return lo.",
             "令 `lo, hi = 0, n - 1`，当 `lo < hi` 时取 mid；若 `a[mid] < a[mid + 1]`，右边一定有峰值（`lo = mid + 1`），否则 mid 处或其左边有峰值（`hi = mid`）；返回 lo。"),
            (
                Mistake(
                    attempt=("scans the array linearly for a peak.",
                             "线性扫描数组寻找峰值。"),
                    alt=("“Scanning works, but it's O(n).”",
                         "“扫描是可行的，但它是 O(n)。”"),
                    diag=("Scanning is correct, but it doesn't use the fact that the slope at mid tells you where a peak must exist.",
                          "扫描是正确的，但没有利用 mid 处的坡度能告诉你峰值一定在哪一侧这一点。"),
                    ask=("If a[mid] < a[mid + 1], must there be a peak somewhere to the right of mid?",
                         "如果 a[mid] < a[mid + 1]，mid 右边是否一定存在峰值？"),
                    step=("Draw a few arrays and check that claim on each one.",
                          "画几个数组，逐个验证这个说法。"),
                ),
                Mistake(
                    attempt=("compares a[mid] with a[mid + 1] but moves left when the values are rising.",
                             "比较了 a[mid] 和 a[mid + 1]，但在上升时却往左走。"),
                    alt=("“My search returns an index that isn't a peak.”",
                         "“我的查找返回了一个不是峰值的下标。”"),
                    diag=("Moving against the rising slope can lead the search away from the half where a peak is guaranteed.",
                          "逆着上升的坡度走，可能让查找离开一定存在峰值的那一半。"),
                    ask=("Which half is guaranteed to contain a peak when a[mid] < a[mid + 1]?",
                         "当 a[mid] < a[mid + 1] 时，哪一半一定包含峰值？"),
                    step=("Trace [1, 2, 3, 1] and check the answer your code returns.",
                          "追踪 [1, 2, 3, 1]，检查你的代码返回的答案。"),
                ),
                Mistake(
                    attempt=("reads `a[mid + 1]` even when mid is the last index.",
                             "即使 mid 是最后一个下标，也读取 `a[mid + 1]`。"),
                    alt=("“I get an IndexError on [1, 2].”",
                         "“在 [1, 2] 上报 IndexError。”"),
                    diag=("Your comparison reaches one position past the end of the search range.",
                          "你的比较越过了查找范围的末尾一个位置。"),
                    ask=("Which loop condition keeps mid + 1 inside the array?",
                         "什么样的循环条件能保证 mid + 1 在数组之内？"),
                    step=("Trace [1, 2] with your loop bounds.",
                          "用你的循环边界追踪 [1, 2]。"),
                ),
            ),
            code=(
                "def find_peak(a):\n"
                "    lo, hi = 0, len(a) - 1\n"
                "    while lo < hi:\n"
                "        mid = (lo + hi) // 2\n"
                "        if a[mid] < a[mid + 1]:\n"
                "            lo = mid + 1\n"
                "        else:\n"
                "            hi = mid\n"
                "    return lo"
            ),
            key=(
                "lo=mid+1 | go right | move right | search right | search the right | go to the right | "
                "move to the right | 往右走 | 向右走 | 往右找 | 向右找 | 去右边 | 到右边 | 在右半 | climb | uphill | 往高处 | "
                "上坡 & a[mid]<a[mid+1] | rising | increasing | 上升 | 递增 | larger neighbour | 更大",
                "toward the larger neighbour | towards the larger neighbour | toward the larger neighbor | "
                "towards the larger neighbor | 向更大的邻居 | 往更大的邻居 | walk uphill | climb uphill | 朝更大的一侧 | "
                "move toward the bigger | 往大的那边走",
                "while lo<hi",
            ),
        ),
        Exercise(
            "boundaries",
            ("How should mid be computed so that it never overflows with 32-bit integers, and how should it be rounded?",
             "mid 应该怎样计算才能在 32 位整数下永不溢出？又应该怎样取整？"),
            ("Use `mid = lo + (hi - lo) / 2` (integer division), which never exceeds hi; round down when the success update is `hi = mid` and up (`lo + (hi - lo + 1) / 2`) when it is `lo = mid`, so the interval always shrinks.",
             "使用 `mid = lo + (hi - lo) / 2`（整数除法），它永远不会超过 hi；当成功时的更新是 `hi = mid` 时向下取整，是 `lo = mid` 时向上取整（`lo + (hi - lo + 1) / 2`），这样区间总会缩小。"),
            (
                Mistake(
                    attempt=("says `(lo + hi) / 2` can never overflow in any language.",
                             "说 `(lo + hi) / 2` 在任何语言中都不会溢出。"),
                    alt=("“Python has big integers, so it's fine everywhere.”",
                         "“Python 有大整数，所以在哪里都没问题。”"),
                    diag=("In languages with 32-bit ints, lo + hi can exceed the largest value before the division happens.",
                          "在使用 32 位整数的语言中，lo + hi 可能在做除法之前就超过了最大值。"),
                    ask=("What is lo + hi when both are close to 2³¹ − 1?",
                         "当 lo 和 hi 都接近 2³¹ − 1 时，lo + hi 是多少？"),
                    step=("Rewrite mid so that the intermediate value never exceeds hi.",
                          "改写 mid 的计算，使中间结果永远不超过 hi。"),
                ),
                Mistake(
                    attempt=("uses `(lo + hi) >> 1` in Java and believes the shift prevents overflow.",
                             "在 Java 中用 `(lo + hi) >> 1`，并认为移位可以防止溢出。"),
                    alt=("“Shifting right instead of dividing avoids the overflow, right?”",
                         "“用右移代替除法就能避免溢出，对吧？”"),
                    diag=("The overflow already happens in the addition, before the shift is applied to mid.",
                          "溢出早在加法时就发生了，在对 mid 做移位之前。"),
                    ask=("Does the overflow happen in the addition or in the division?",
                         "溢出发生在加法里，还是除法里？"),
                    step=("Compute lo + hi for lo = hi = 2³⁰ + 2²⁹ in 32-bit signed arithmetic.",
                          "在 32 位有符号算术中，计算 lo = hi = 2³⁰ + 2²⁹ 时的 lo + hi。"),
                ),
                Mistake(
                    attempt=("always rounds mid up, and a lower-bound search with `hi = mid` loops forever.",
                             "总是把 mid 向上取整，结果使用 `hi = mid` 的下界查找陷入死循环。"),
                    alt=("“My lower-bound search hangs when two elements remain.”",
                         "“当只剩两个元素时，我的下界查找就卡住了。”"),
                    diag=("Rounding mid up together with `hi = mid` can leave the interval unchanged when lo and hi are adjacent.",
                          "mid 向上取整再配合 `hi = mid`，在 lo 和 hi 相邻时可能让区间保持不变。"),
                    ask=("With the update `hi = mid`, should mid round up or down?",
                         "当更新为 `hi = mid` 时，mid 应该向上还是向下取整？"),
                    step=("Trace lo = 0 and hi = 1 with your rounding.",
                          "用你的取整方式追踪 lo = 0、hi = 1 的情况。"),
                ),
            ),
            key=(
                "lo+(hi-lo)/2 | lo+(hi-lo)//2 | lo+((hi-lo)>>1) | lo+(hi-lo)>>1 | (hi-lo)/2 | (hi-lo)//2 | >>>1 | "
                "half the distance | half the difference | half of hi-lo | 差的一半 | 距离的一半 | hi-lo 的一半",
                "round up | rounds up | rounded up | round mid up | ceil | ceiling | 向上取整 | +1)/2 | +1)//2 & lo=mid",
                "lo+(hi-lo+1)/2 | (hi-lo+1)/2 | (hi-lo+1)//2 | (lo+hi+1)/2 | (lo+hi+1)//2",
                "hi=mid,round down | hi=mid round down | hi=mid needs round down | hi=mid 时向下 | hi=mid 要向下 | "
                "hi=mid 应向下 | hi=mid 就向下 | round down when | round down with | round down for | 向下取整配合 hi=mid | "
                "向下取整,配 hi=mid",
            ),
        ),
        Exercise(
            "bounds",
            ("Insert x into a sorted Python list so that it stays sorted, finding the position with binary search.",
             "用二分查找确定位置，把 x 插入一个有序的 Python 列表并保持有序。"),
            ("Find the lower bound i (first index with `a[i] >= x`) by binary search in O(log n) and call `a.insert(i, x)` (as `bisect.insort` does); the insert itself shifts elements, so the whole operation is O(n).",
             "用二分查找在 O(log n) 内找到下界 i（第一个满足 `a[i] >= x` 的下标），再调用 `a.insert(i, x)`（`bisect.insort` 就是这么做的）；插入本身要移动元素，所以整个操作是 O(n)。"),
            (
                Mistake(
                    attempt=("appends x and then sorts the whole list again.",
                             "先追加 x，再把整个列表重新排序。"),
                    alt=("“Each insert costs O(n log n) in my code.”",
                         "“在我的代码里每次插入都是 O(n log n)。”"),
                    diag=("Re-sorting ignores that the list was already sorted before x arrived.",
                          "重新排序忽略了在 x 到来之前列表就已经有序这一事实。"),
                    ask=("How can you find x's position in the sorted range in O(log n)?",
                         "怎样在 O(log n) 内找到 x 在有序范围中的位置？"),
                    step=("Find by hand the first element that is at least 4 in [1, 3, 5].",
                          "手工找出 [1, 3, 5] 中第一个不小于 4 的元素。"),
                ),
                Mistake(
                    attempt=("uses the exact-match binary search and gets −1 for a value that isn't in the list yet.",
                             "使用精确匹配的二分查找，对尚不在列表中的值得到 −1。"),
                    alt=("“Inserting 4 into [1, 3, 5] fails because 4 isn't found.”",
                         "“把 4 插入 [1, 3, 5] 失败了，因为找不到 4。”"),
                    diag=("An exact-match search answers 'where is x?', not 'where should x go?'.",
                          "精确匹配的查找回答的是“x 在哪里”，而不是“x 应该放在哪里”。"),
                    ask=("What should the search return when x isn't present?",
                         "当 x 不存在时，查找应该返回什么？"),
                    step=("Trace a lower-bound search for 4 in [1, 3, 5].",
                          "在 [1, 3, 5] 中追踪对 4 的下界查找。"),
                ),
                Mistake(
                    attempt=("claims that the whole insertion is O(log n) because the search is.",
                             "因为查找是 O(log n)，就声称整个插入都是 O(log n)。"),
                    alt=("“`bisect.insort` is O(log n), isn't it?”",
                         "“`bisect.insort` 是 O(log n) 的，对吧？”"),
                    diag=("Finding the position is O(log n), but inserting into a list then shifts every later element.",
                          "找到位置是 O(log n)，但插入列表时还要移动后面的每个元素。"),
                    ask=("What does `list.insert` cost when the position is in the middle of the list?",
                         "当位置在列表中间时，`list.insert` 的代价是多少？"),
                    step=("Write the cost of the search and the cost of the shifting as two separate terms.",
                          "把查找的代价和移动的代价写成两个独立的项。"),
                ),
            ),
            code=(
                "def insert_sorted(a, x):\n"
                "    lo, hi = 0, len(a)\n"
                "    while lo < hi:\n"
                "        mid = (lo + hi) // 2\n"
                "        if a[mid] < x:\n"
                "            lo = mid + 1\n"
                "        else:\n"
                "            hi = mid\n"
                "    a.insert(lo, x)"
            ),
            key=(
                "a.insert(i,x) | a.insert(lo,x) | .insert(lo,x) | .insert(i,x) | .insert(pos,x) | bisect_left | "
                "insort(a,x) | use bisect.insort | 用 bisect.insort | 使用 bisect.insort",
                "is o(n) | 是 o(n) | overall o(n) | total o(n) | 整体 o(n) | 总共 o(n) | still o(n) | 仍是 o(n) | 仍然是 o(n) | "
                "为 o(n)",
                "shift | shifting | shifts | 移动 & o(n) | linear | 线性",
                "a[i]>=x | a[mid]>=x | >=x | ≥ x | 第一个不小于 x | first element >=x | first index >=x | "
                "first element at least x | first element not less than x | 第一个大于等于 x",
            ),
        ),
        Exercise(
            "binary_search",
            ("Search a sorted m × n matrix in which each row is sorted and each row starts after the previous row ends.",
             "在一个 m × n 的有序矩阵中查找：每行有序，且每行的第一个元素大于上一行的最后一个元素。"),
            ("Treat the matrix as one sorted array of length m·n: binary search k in [0, m·n − 1] and read the cell `(k // n, k % n)`; this is O(log(mn)).",
             "把矩阵看作一个长度为 m·n 的有序数组：在 [0, m·n − 1] 上二分 k，读取格子 `(k // n, k % n)`；时间为 O(log(mn))。"),
            (
                Mistake(
                    attempt=("binary searches every row separately, which is O(m log n).",
                             "对每一行分别做二分查找，复杂度 O(m log n)。"),
                    alt=("“I search each row in turn; can it be faster?”",
                         "“我逐行查找，能更快吗？”"),
                    diag=("The whole matrix is one sorted sequence, so searching row by row repeats work the first comparisons could skip.",
                          "整个矩阵就是一个有序序列，逐行查找重复了本可以通过前几次比较跳过的工作。"),
                    ask=("How could you map an index k from 0 to mn − 1 to a cell of the matrix?",
                         "怎样把 0 到 mn − 1 之间的下标 k 对应到矩阵的一个格子？"),
                    step=("Write the cells of a 2 × 3 matrix next to their positions in one flat sorted sequence.",
                          "把一个 2 × 3 矩阵的格子和它们在一维有序序列中的位置并排写出来。"),
                ),
                Mistake(
                    attempt=("maps k to the cell `(k // m, k % m)`, dividing by the number of rows.",
                             "把 k 对应到格子 `(k // m, k % m)`，除以的是行数。"),
                    alt=("“Some of my mid cells are read out of range.”",
                         "“我读取的有些 mid 格子越界了。”"),
                    diag=("To turn the flat index back into a row and column, the divisor must be the number of columns.",
                          "要把一维下标还原成行和列，除数必须是列数。"),
                    ask=("How many cells come before the start of row r?",
                         "第 r 行开始之前有多少个格子？"),
                    step=("Check which cell k = 4 maps to in a 2 × 3 matrix with your formula.",
                          "用你的公式检查在 2 × 3 矩阵中 k = 4 对应哪个格子。"),
                ),
                Mistake(
                    attempt=("sets `hi = m * n` and loops `while lo <= hi`, reading one cell past the end.",
                             "令 `hi = m * n` 并用 `while lo <= hi` 循环，结果多读了末尾之后的一个格子。"),
                    alt=("“I get an IndexError when the target is larger than everything.”",
                         "“目标比所有元素都大时报 IndexError。”"),
                    diag=("An inclusive loop condition with an exclusive hi reads one element beyond the search range.",
                          "闭区间的循环条件配上开区间的 hi，会读到查找范围之外的一个元素。"),
                    ask=("Is hi an index that can actually be read?",
                         "hi 是一个真正能读取的下标吗？"),
                    step=("Search for 100 in [[1, 2], [3, 4]] and trace lo, hi and mid.",
                          "在 [[1, 2], [3, 4]] 中查找 100，追踪 lo、hi 和 mid。"),
                ),
            ),
            code=(
                "def search_matrix(matrix, target):\n"
                "    m, n = len(matrix), len(matrix[0])\n"
                "    lo, hi = 0, m * n - 1\n"
                "    while lo <= hi:\n"
                "        mid = (lo + hi) // 2\n"
                "        value = matrix[mid // n][mid % n]\n"
                "        if value == target:\n"
                "            return True\n"
                "        if value < target:\n"
                "            lo = mid + 1\n"
                "        else:\n"
                "            hi = mid - 1\n"
                "    return False"
            ),
            key=(
                "k//n | k%n | mid//n | mid%n | divmod(k,n) | divmod(mid,n) | 除以列数 | divide by the number of columns | "
                "divide by n | 除以 n",
                "o(log(mn)) | o(logm+logn) | o(log(m*n)) | log(mn) | log(m*n) | log m + log n",
                "hi=m*n-1 | hi=m*n − 1 | hi=len(matrix)*len(matrix[0])-1",
            ),
        ),
    ),
)
