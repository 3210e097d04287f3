from .schema import Exercise, Mistake, Point, Topic

TOPIC = Topic(
    key="recursion",
    name=("Recursion", "递归"),
    keywords=(
        ("recurs", "base case", "call", "stack", "frame", "return", "branch", "choice", "argument", "depth", "memo",
         "subproblem"),
        ("递归", "基本情况", "终止条件", "调用", "栈", "返回", "分支", "选择", "参数", "深度", "备忘", "子问题"),
    ),
    points={
        "base_case": Point(
            ("base cases", "基本情况"),
            ("A recursive function doesn't need an explicit base case; Python stops the recursion on its own once the input gets small.",
             "递归函数不需要显式的基本情况；输入变小以后，Python 会自己停止递归。"),
        ),
        "progress": Point(
            ("making progress towards the base case", "向基本情况推进"),
            ("As long as a base case exists somewhere in the function, the recursion is guaranteed to terminate.",
             "只要函数中某处存在基本情况，递归就一定会终止。"),
        ),
        "return_values": Point(
            ("combining the results of recursive calls", "组合递归调用的结果"),
            ("The result of a recursive call is passed back to the caller automatically, even if the function has no return statement.",
             "即使函数里没有 return 语句，递归调用的结果也会自动传回给调用者。"),
        ),
        "backtracking": Point(
            ("backtracking", "回溯"),
            ("In backtracking you never need to undo a choice, because every recursive call automatically gets its own copy of the shared list.",
             "回溯时永远不需要撤销选择，因为每次递归调用都会自动得到共享列表的一份独立副本。"),
        ),
        "recursion_cost": Point(
            ("the cost of recursion", "递归的代价"),
            ("Recursion always uses O(1) memory, because each call finishes before the next one starts.",
             "递归总是只用 O(1) 的内存，因为每次调用都在下一次调用开始之前就结束了。"),
        ),
    },
    facts=(
        ("Every recursive function needs a base case that returns without recursing, and every other call must move closer to it.",
         "每个递归函数都需要一个不再递归就直接返回的基本情况，其他每次调用都必须离它更近一步。"),
        ("Each active call keeps its own stack frame, so recursion depth costs memory; CPython limits the depth to about 1000 by default.",
         "每个尚未结束的调用都占着自己的栈帧，所以递归深度会消耗内存；CPython 默认把深度限制在 1000 左右。"),
        ("Backtracking makes a choice, recurses, and then undoes the choice, so that sibling branches start from the same state.",
         "回溯先做一个选择，再递归，然后撤销这个选择，使兄弟分支都从相同的状态出发。"),
    ),
    exercises=(
        Exercise(
            "base_case",
            ("Write a recursive function factorial(n) for integers n ≥ 0.",
             "为整数 n ≥ 0 写一个递归函数 factorial(n)。"),
            ("`if n == 0: return 1`, otherwise `return n * factorial(n - 1)`; the base case covers the smallest valid input and returns the multiplicative identity.",
             "`if n == 0: return 1`，否则 `return n * factorial(n - 1)`；基本情况覆盖了最小的合法输入，并返回乘法单位元。"),
            (
                Mistake(
                    attempt=("writes only `return n * factorial(n - 1)`, with no base case.",
                             "只写了 `return n * factorial(n - 1)`，没有基本情况。"),
                    alt=("“I get RecursionError: maximum recursion depth exceeded.”",
                         "“报错 RecursionError: maximum recursion depth exceeded。”"),
                    diag=("Nothing ever stops the chain of recursive calls, so it continues past 0 into negative numbers.",
                          "没有任何东西能终止这串递归调用，所以它越过 0 一直调用到负数。"),
                    ask=("For which n do you know the answer without making another call?",
                         "对于哪个 n，你不用再调用一次就能知道答案？"),
                    step=("Trace factorial(2) and write down the argument of every call.",
                          "追踪 factorial(2)，写下每次调用的参数。"),
                ),
                Mistake(
                    attempt=("uses the base case `if n == 1: return 1`, which is never reached from n = 0.",
                             "基本情况写成 `if n == 1: return 1`，从 n = 0 出发永远到不了。"),
                    alt=("“factorial(0) never returns.”",
                         "“factorial(0) 永远不返回。”"),
                    diag=("Your base case misses the smallest valid input, so that call recurses past it.",
                          "你的基本情况漏掉了最小的合法输入，所以那次调用会越过它继续递归。"),
                    ask=("What is 0!, and does your function ever reach n == 1 when it starts from 0?",
                         "0! 等于多少？从 0 开始时，你的函数会到达 n == 1 吗？"),
                    step=("Trace factorial(0) call by call.",
                          "逐次调用追踪 factorial(0)。"),
                ),
                Mistake(
                    attempt=("returns 0 in the base case instead of 1.",
                             "基本情况返回 0 而不是 1。"),
                    alt=("“Every answer my function gives is 0.”",
                         "“我的函数给出的每个答案都是 0。”"),
                    diag=("The value returned by the base case is multiplied into every result further up the calls.",
                          "基本情况返回的值会被乘进上层每一次调用的结果里。"),
                    ask=("Which value leaves a product unchanged?",
                         "哪个值乘进去以后不会改变乘积？"),
                    step=("Trace factorial(3) and write out the chain of multiplications.",
                          "追踪 factorial(3)，写出整条乘法链。"),
                ),
            ),
            code=(
                "def factorial(n):\n"
                "    if n == 0:\n"
                "        return 1\n"
                "    return n * factorial(n - 1)"
            ),
            key=(
                "if n==0:return 1 | if n==0 return 1 | if n<=1:return 1 | if n<2:return 1 | if not n:return 1",
                "0!=1 | 0! is 1 | 0! equals 1 | 0!等于1 | 0!为1 | 0!是1 | factorial(0)=1 | factorial(0)==1 | "
                "factorial(0) is 1 | factorial(0) returns 1 | factorial(0)返回1 | factorial(0)等于1 | "
                "factorial of 0 is 1 | 0的阶乘是1 | 0的阶乘为1 | 0的阶乘等于1",
                "when n==0 | when n is 0 | when n=0 | for n==0 | for n=0 | if n==0 | if n is 0 | n==0时 | n=0时 | "
                "n为0时 | n等于0时 | n是0时 | n为零时 | n等于零时 | n是零时 | 当n==0 | 当n为0 & return 1 | returns 1 | returning 1 | "
                "返回1 | is 1 | be 1 | 为1 | 是1 | 等于1",
                "base case n==0 | base case to n==0 | base case should be n==0 | base case is n==0 | "
                "base case at n==0 | base case at 0 | stop at 0 | stop at n==0 | 基本情况改为n==0 | 基本情况改成n==0 | "
                "基本情况应该是n==0 | 基本情况设为n==0 | 以n==0为基本情况 | 以n==0作为基本情况 | 把n==0作为基本情况 | 在n==0时停止 | 到0时停止 | 到0就停止",
                "should return 1 | must return 1 | needs to return 1 | return 1 instead | returns 1 instead | "
                "1 instead of 0 | 1 rather than 0 | 1,not 0 | 应该返回1 | 应返回1 | 改成返回1 | 改为返回1 | 返回1而不是0 | 应该是1而不是0",
            ),
        ),
        Exercise(
            "progress",
            ("Write a recursive function that returns the sum of the decimal digits of a non-negative integer.",
             "写一个递归函数，返回一个非负整数各位数字之和。"),
            ("`if n < 10: return n`, otherwise `return n % 10 + digit_sum(n // 10)`; integer division removes the last digit, so the argument shrinks to a single digit.",
             "`if n < 10: return n`，否则 `return n % 10 + digit_sum(n // 10)`；整数除法去掉最后一位，参数最终缩小到一位数。"),
            (
                Mistake(
                    attempt=("recurses on `n / 10`, which produces floats that never reach 0 exactly.",
                             "对 `n / 10` 递归，产生的浮点数永远不会正好等于 0。"),
                    alt=("“I get a RecursionError although I have the base case n == 0.”",
                         "“我明明写了基本情况 n == 0，还是报 RecursionError。”"),
                    diag=("True division produces values like 0.12 that keep shrinking forever without ever hitting the base case.",
                          "真除法会产生像 0.12 这样的值，它们不断变小，却永远碰不到基本情况。"),
                    ask=("Which division operator keeps n an integer?",
                         "哪种除法运算能让 n 保持为整数？"),
                    step=("Print the argument of every call for digit_sum(12).",
                          "打印 digit_sum(12) 每次调用的参数。"),
                ),
                Mistake(
                    attempt=("recurses on `n % 10` instead of the remaining digits.",
                             "对 `n % 10` 递归，而不是对剩下的各位数字递归。"),
                    alt=("“digit_sum(123) recurses forever.”",
                         "“digit_sum(123) 无限递归。”"),
                    diag=("The recursive call gets the last digit instead of the rest of the number, so the argument stops shrinking.",
                          "递归调用拿到的是最后一位，而不是剩下的部分，所以参数不再变小。"),
                    ask=("After taking the last digit, which part of n still needs to be summed?",
                         "取出最后一位之后，n 的哪一部分还需要求和？"),
                    step=("Write n % 10 and n // 10 for n = 123.",
                          "对 n = 123 写出 n % 10 和 n // 10。"),
                ),
                Mistake(
                    attempt=("uses the base case `if n < 10: return 0`, throwing away the last digit.",
                             "基本情况写成 `if n < 10: return 0`，把最后一位丢掉了。"),
                    alt=("“digit_sum(123) returns 5 instead of 6.”",
                         "“digit_sum(123) 返回 5 而不是 6。”"),
                    diag=("Your base case discards the single digit it is called with.",
                          "你的基本情况把传进来的那一位数字丢掉了。"),
                    ask=("What is the digit sum of a one-digit number?",
                         "一位数的各位数字之和是多少？"),
                    step=("Trace digit_sum(7).",
                          "追踪 digit_sum(7)。"),
                ),
            ),
            code=(
                "def digit_sum(n):\n"
                "    if n < 10:\n"
                "        return n\n"
                "    return n % 10 + digit_sum(n // 10)"
            ),
            key=(
                "digit_sum(n//10) | sum(n//10) | f(n//10) | rec(n//10) | recurse on n//10 | recursing on n//10 | "
                "recurse with n//10 | recursive call on n//10 | call itself on n//10 | pass n//10 | 对n//10递归 | "
                "对n//10进行递归 | 用n//10递归 | 递归调用n//10 | 以n//10递归 | 传入n//10 | 传n//10",
                "use// | use floor division | use integer division | floor division instead | "
                "integer division instead | n//10 instead | n//10 rather | 用// | 改用// | 换成// | 用整数除法 | 改用整数除法 | "
                "用整除 | 改用整除 | 换成整除 | 用n//10 | 改为n//10 | 改成n//10 | 换成n//10",
                "return n | returns n | returning n | 返回n & n<10 | single digit | single-digit | 1 digit | 1-digit | "
                "一位数 | 个位数",
                "is the digit itself | is the number itself | is just the digit | is just the number | 就是它本身 | "
                "就是它自己 | 等于它本身 | 就是这个数字本身 | 就是该数字 | 就是这一位",
            ),
        ),
        Exercise(
            "return_values",
            ("Write a recursive function that returns the maximum of a non-empty list.",
             "写一个递归函数，返回非空列表中的最大值。"),
            ("Recurse on an index to avoid copying: `rec(i)` returns `a[i]` when `i == len(a) - 1`, otherwise `max(a[i], rec(i + 1))`; call `rec(0)`.",
             "对下标递归以避免复制：当 `i == len(a) - 1` 时 `rec(i)` 返回 `a[i]`，否则返回 `max(a[i], rec(i + 1))`；调用 `rec(0)`。"),
            (
                Mistake(
                    attempt=("calls `max_rec(a[1:])` but never returns or uses its result.",
                             "调用了 `max_rec(a[1:])`，却从不返回或使用它的结果。"),
                    alt=("“My function returns None.”",
                         "“我的函数返回了 None。”"),
                    diag=("The result of the recursive call is computed and then thrown away.",
                          "递归调用的结果算出来之后就被扔掉了。"),
                    ask=("What should the function do with the value returned by the recursive call?",
                         "函数应该怎样使用递归调用返回的值？"),
                    step=("Trace max_rec([3, 1]) and write what each call returns.",
                          "追踪 max_rec([3, 1])，写下每次调用返回什么。"),
                ),
                Mistake(
                    attempt=("returns 0 for the empty list as the base case.",
                             "把空列表作为基本情况并返回 0。"),
                    alt=("“The maximum of [-5, -2] comes out as 0.”",
                         "“[-5, -2] 的最大值算出来是 0。”"),
                    diag=("0 isn't a neutral starting value for max when every number is negative, so the base case wins the comparison.",
                          "当所有数都是负数时，0 对 max 来说不是中性的初值，于是基本情况的值赢得了比较。"),
                    ask=("Which base case can never beat a real element of the list?",
                         "什么样的基本情况永远不会胜过列表中的真实元素？"),
                    step=("Trace [-5, -2] and write each call's return value.",
                          "追踪 [-5, -2]，写下每次调用的返回值。"),
                ),
                Mistake(
                    attempt=("slices `a[1:]` at every level, which makes the recursion O(n²).",
                             "每一层都切片 `a[1:]`，使递归变成 O(n²)。"),
                    alt=("“It's correct, but slow for long lists.”",
                         "“结果正确，但长列表时很慢。”"),
                    diag=("Each slice copies the rest of the list before the recursive call.",
                          "每次切片都会在递归调用之前复制列表的剩余部分。"),
                    ask=("Could you pass an index into the list instead of building a new list?",
                         "能不能传一个下标进去，而不是构造一个新列表？"),
                    step=("Count the elements copied over all calls for n = 5.",
                          "当 n = 5 时，数一数所有调用一共复制了多少个元素。"),
                ),
            ),
            code=(
                "def max_rec(a, i=0):\n"
                "    if i == len(a) - 1:\n"
                "        return a[i]\n"
                "    return max(a[i], max_rec(a, i + 1))"
            ),
            key=(
                "max(a[i], | max(a[0], | max(first, | max(lst[0], | max(a[i],rec | return max(",
                "larger of | bigger of | greater of | 较大者 | 较大的那个 | 取较大 | 中的较大 & rest | remaining | 剩余 | 其余 | 剩下 | "
                "recursive | 递归",
                "len(a)==1 | i==len(a)-1 | single element | 1 element | 只有1个元素 | 单个元素 | 最后1个元素 | last element & "
                "return a[0] | return a[i] | returns a[0] | returns a[i] | return it | return that element | "
                "返回a[0] | 返回a[i] | 返回它 | 返回该元素 | 返回这个元素",
                "rec(i+1) | max_rec(a,i+1) | f(a,i+1) | rec(a,i+1)",
            ),
        ),
        Exercise(
            "backtracking",
            ("Generate all subsets of a list with recursive backtracking.",
             "用递归回溯生成一个列表的所有子集。"),
            ("`rec(i)`: if `i == len(a)`, append a copy `current[:]` to the result; otherwise call `rec(i + 1)` without a[i], then append a[i], call `rec(i + 1)`, and pop it again.",
             "`rec(i)`：若 `i == len(a)`，把副本 `current[:]` 加入结果；否则先在不选 a[i] 的情况下调用 `rec(i + 1)`，再把 a[i] 加入 current，调用 `rec(i + 1)`，然后再把它弹出。"),
            (
                Mistake(
                    attempt=("appends the list object `current` itself to the results, and every saved subset ends up empty.",
                             "把列表对象 `current` 本身加入结果，结果保存的每个子集最后都是空的。"),
                    alt=("“All my subsets print as [].”",
                         "“我的子集打印出来全是 []。”"),
                    diag=("Every result entry refers to the same list, which backtracking empties again after each recursive call.",
                          "结果中的每一项都指向同一个列表，而每次递归调用返回后回溯又把它清空了。"),
                    ask=("What do you need to store so that later changes don't affect a saved subset?",
                         "需要保存什么，才能让之后的修改不影响已经保存的子集？"),
                    step=("Print the `id()` of two saved subsets and compare them.",
                          "打印两个已保存子集的 `id()` 并比较。"),
                ),
                Mistake(
                    attempt=("appends an element before the recursive call but never removes it afterwards.",
                             "在递归调用之前加入元素，但之后从不把它移除。"),
                    alt=("“My subsets keep growing: [1], [1, 2], [1, 2, 2] …”",
                         "“我的子集越来越长：[1]、[1, 2]、[1, 2, 2]……”"),
                    diag=("The choice made before the call isn't undone when the call returns, so it leaks into sibling branches.",
                          "调用前做出的选择在调用返回后没有撤销，于是泄漏到了兄弟分支里。"),
                    ask=("What must happen to current after exploring the branch that includes an element?",
                         "在探索完包含某个元素的分支之后，current 应该怎样处理？"),
                    step=("Trace [1, 2] and write current before and after each call.",
                          "追踪 [1, 2]，写下每次调用前后的 current。"),
                ),
                Mistake(
                    attempt=("only explores the branch that includes each element.",
                             "只探索包含每个元素的那条分支。"),
                    alt=("“I only get one subset, the whole list.”",
                         "“我只得到一个子集，就是整个列表。”"),
                    diag=("Every element needs two branches in the recursion: one with it and one without it.",
                          "在递归中每个元素都需要两条分支：一条包含它，一条不包含它。"),
                    ask=("What is the other choice available for each element?",
                         "对每个元素来说，另一种可选的选择是什么？"),
                    step=("Draw the decision tree for [1, 2].",
                          "画出 [1, 2] 的决策树。"),
                ),
            ),
            code=(
                "def subsets(a):\n"
                "    result, current = [], []\n"
                "    def rec(i):\n"
                "        if i == len(a):\n"
                "            result.append(current[:])\n"
                "            return\n"
                "        rec(i + 1)\n"
                "        current.append(a[i])\n"
                "        rec(i + 1)\n"
                "        current.pop()\n"
                "    rec(0)\n"
                "    return result"
            ),
            key=(
                "append a copy | appending a copy | store a copy | save a copy | add a copy | copy of current | "
                "current[:] | list(current) | current.copy() | 加入副本 | 保存副本 | 存副本 | 存一份副本 | 保存一份副本 | 加入一份副本 | "
                "current的副本 | 当前列表的副本 | 复制一份 | 拷贝一份",
                "current.pop() | pop() | pop it | pop a[i] | pop the element | pop the last | 弹出 | 再把它移除 | 之后把它移除 | "
                "然后把它移除 | 随后移除",
                "rec(i+1) without | recurse without a[i] | recurse without adding | recurse without it | "
                "recursing without | 不选a[i] | 不选它 | 不选择它 | 不加入a[i] | 不加a[i] | skip a[i] | skip the element | "
                "skip it | skipping it | exclude it | excluding it | exclude a[i] | leave it out | leave a[i] out",
            ),
        ),
        Exercise(
            "recursion_cost",
            ("A recursive function sums a list by returning `a[0] + total(a[1:])`. How much memory does it use, and what happens for n = 100,000 in Python?",
             "一个递归函数通过返回 `a[0] + total(a[1:])` 来对列表求和。它用了多少内存？在 Python 中 n = 100,000 时会发生什么？"),
            ("All n calls are active at the deepest point, so the stack holds n frames (plus O(n²) total copying from the slices); CPython has no tail-call optimisation and its default limit is about 1000, so it raises RecursionError. A loop with an accumulator uses O(1) extra space.",
             "在最深处 n 次调用同时处于活动状态，所以栈中有 n 个栈帧（切片还带来 O(n²) 的总复制量）；CPython 没有尾调用优化，默认深度限制约为 1000，所以会抛出 RecursionError。用带累加器的循环只需 O(1) 的额外空间。"),
            (
                Mistake(
                    attempt=("says the recursion uses O(1) memory.",
                             "说这个递归只用 O(1) 的内存。"),
                    alt=("“Each call finishes before the next one, so memory is constant.”",
                         "“每次调用都在下一次之前结束，所以内存是常数。”"),
                    diag=("Each call waits for the next one to return, so all their stack frames are alive at the same time.",
                          "每次调用都要等下一次调用返回，所以它们的栈帧同时都存在。"),
                    ask=("How many stack frames exist while the deepest call is running?",
                         "当最深的那次调用正在运行时，一共有多少个栈帧？"),
                    step=("Draw the call stack for total([1, 2, 3]) at its deepest moment.",
                          "画出 total([1, 2, 3]) 在最深时刻的调用栈。"),
                ),
                Mistake(
                    attempt=("argues that Python optimises the call because it is the last thing the function does.",
                             "认为 Python 会优化这次调用，因为它是函数做的最后一件事。"),
                    alt=("“It's tail recursive, so Python reuses the same frame.”",
                         "“这是尾递归，所以 Python 会复用同一个栈帧。”"),
                    diag=("CPython never performs tail-call optimisation, and this call isn't even in tail position because of the addition.",
                          "CPython 从不做尾调用优化，而且由于还要做加法，这次调用甚至不在尾位置。"),
                    ask=("What does `sys.getrecursionlimit()` return on your machine?",
                         "在你的机器上 `sys.getrecursionlimit()` 返回多少？"),
                    step=("Run the function for n = 5000 and watch what happens.",
                          "用 n = 5000 运行这个函数，看看会发生什么。"),
                ),
                Mistake(
                    attempt=("calls `sys.setrecursionlimit(10**9)` to make the recursion work.",
                             "调用 `sys.setrecursionlimit(10**9)` 来让递归能运行。"),
                    alt=("“I raised the recursion limit and now Python crashes with a segmentation fault.”",
                         "“我把递归深度上限调高了，结果 Python 直接段错误崩溃了。”"),
                    diag=("The limit protects the real C stack; raising it far beyond that lets the deep recursion crash the interpreter.",
                          "这个上限保护的是真正的 C 栈；把它调得远远超出，会让深度递归直接把解释器弄崩溃。"),
                    ask=("Could the same computation be written without recursion at all?",
                         "同样的计算能不能完全不用递归来写？"),
                    step=("Rewrite the sum as a loop with an accumulator and compare the memory it needs.",
                          "把求和改写成带累加器的循环，比较它需要的内存。"),
                ),
            ),
            key=(
                "o(n) memory | o(n) space | o(n) stack | o(n) extra | uses o(n) | needs o(n) | is o(n) | 是o(n) | "
                "为o(n) | o(n)的内存 | o(n)的空间 | o(n)的栈 | o(n)内存 | o(n)空间 | n frames | n stack frames | n个栈帧 | n层栈帧 | "
                "linear memory | linear space | 线性的内存 | 线性空间 | 线性内存 | grows linearly | 线性增长 | proportional to n | "
                "与n成正比 | depth of n | 深度为n | 深度是n",
                "recursionerror | stack overflow | 栈溢出 | 爆栈 & raise | raises | throws | throw | crash | crashes | "
                "fails with | 抛出 | 引发 | 报错 | 崩溃 | 导致",
                "1000 & limit | 限制 | 上限",
            ),
        ),
        Exercise(
            "progress",
            ("Write binary search recursively: search(a, target, lo, hi) returns an index or −1.",
             "递归地写二分查找：search(a, target, lo, hi) 返回下标或 −1。"),
            ("`if lo > hi: return -1`; compute mid; return mid on a match, otherwise `return search(a, target, mid + 1, hi)` or `return search(a, target, lo, mid - 1)`, so the range strictly shrinks and each result is passed back up.",
             "`if lo > hi: return -1`；计算 mid；相等时返回 mid，否则 `return search(a, target, mid + 1, hi)` 或 `return search(a, target, lo, mid - 1)`，这样范围严格缩小，每层的结果也都被传回上层。"),
            (
                Mistake(
                    attempt=("recurses on (lo, mid) instead of (lo, mid − 1).",
                             "对 (lo, mid) 递归，而不是 (lo, mid − 1)。"),
                    alt=("“When the target is absent, the recursion never stops.”",
                         "“目标不存在时，递归永远停不下来。”"),
                    diag=("When lo == mid the range passed to the recursive call doesn't shrink, so no progress is made.",
                          "当 lo == mid 时，传给递归调用的范围并没有缩小，因此没有任何进展。"),
                    ask=("After comparing with a[mid], is mid still a candidate for the next call?",
                         "和 a[mid] 比较之后，mid 还应该是下一次调用的候选吗？"),
                    step=("Trace lo = hi = 0 with a target that is not in the array.",
                          "在 lo = hi = 0 且目标不在数组中的情况下追踪一遍。"),
                ),
                Mistake(
                    attempt=("has no base case for an empty range.",
                             "没有针对空范围的基本情况。"),
                    alt=("“I get an IndexError when the target isn't in the array.”",
                         "“目标不在数组里时，我得到 IndexError。”"),
                    diag=("The recursion keeps going after the range has become empty.",
                          "范围变空之后，递归还在继续。"),
                    ask=("What should the call return when lo > hi?",
                         "当 lo > hi 时，这次调用应该返回什么？"),
                    step=("Trace a search for 4 in [1, 3], call by call.",
                          "逐次调用追踪在 [1, 3] 中查找 4。"),
                ),
                Mistake(
                    attempt=("calls itself on the correct half but forgets to return the recursive call's result.",
                             "在正确的一半上调用了自己，却忘了返回递归调用的结果。"),
                    alt=("“My search returns None even when the target is there.”",
                         "“即使目标存在，我的查找也返回 None。”"),
                    diag=("The index found deep in the recursion is never passed back up through the calls.",
                          "在递归深处找到的下标，从来没有沿着调用链传回上层。"),
                    ask=("What does each level of the recursion return to its caller?",
                         "递归的每一层都向它的调用者返回了什么？"),
                    step=("Print the return value at every level for a successful search.",
                          "对一次成功的查找，打印每一层的返回值。"),
                ),
            ),
            code=(
                "def search(a, target, lo, hi):\n"
                "    if lo > hi:\n"
                "        return -1\n"
                "    mid = (lo + hi) // 2\n"
                "    if a[mid] == target:\n"
                "        return mid\n"
                "    if a[mid] < target:\n"
                "        return search(a, target, mid + 1, hi)\n"
                "    return search(a, target, lo, mid - 1)"
            ),
            key=(
                "search(a,target,lo,mid-1) | hi=mid-1 | mid-1 instead | use mid-1 | 用mid-1 | 改成mid-1 | 改为mid-1 | "
                "to mid-1 | 换成mid-1",
                "exclude mid | excluding mid | leave out mid | skip mid | 排除mid | 去掉mid | 不包括mid | 不再包含mid | "
                "mid is not a candidate | mid isn't a candidate | mid is no longer a candidate | mid不再是候选 | "
                "mid已经不是候选",
                "return -1 | returns -1 | return −1 | returns −1 | 返回-1 | 返回−1 & lo>hi | empty range | 空范围 | 范围为空 | "
                "范围变空",
                "return search( | must return the result | should return the result | need to return the result | "
                "must return the recursive | should return the recursive | need to return the recursive | "
                "要返回递归调用的结果 | 应该返回递归调用的结果 | 需要返回递归调用的结果 | 把递归调用的结果返回 | add return | add a return | 加上return | "
                "加return | 加一个return | 写上return",
            ),
        ),
        Exercise(
            "return_values",
            ("Write a recursive function that returns the reverse of a string.",
             "写一个递归函数，返回一个字符串的反转。"),
            ("`if s == '': return ''`, otherwise `return reverse(s[1:]) + s[0]`: reverse the rest, then put the first character at the end.",
             "`if s == '': return ''`，否则 `return reverse(s[1:]) + s[0]`：先反转剩余部分，再把第一个字符放到末尾。"),
            (
                Mistake(
                    attempt=("writes `return reverse(s[1:]) + s[0]` with no base case, and it crashes on ''.",
                             "写了 `return reverse(s[1:]) + s[0]`，没有基本情况，遇到 '' 时崩溃。"),
                    alt=("“I get IndexError: string index out of range.”",
                         "“报错 IndexError: string index out of range。”"),
                    diag=("Eventually the recursive call receives an empty string, and s[0] doesn't exist.",
                          "递归调用最终会收到一个空字符串，而 s[0] 并不存在。"),
                    ask=("What is the reverse of the empty string?",
                         "空字符串的反转是什么？"),
                    step=("Trace reverse('ab') call by call.",
                          "逐次调用追踪 reverse('ab')。"),
                ),
                Mistake(
                    attempt=("writes `return s[0] + reverse(s[1:])`.",
                             "写成了 `return s[0] + reverse(s[1:])`。"),
                    alt=("“My function returns the string unchanged.”",
                         "“我的函数原样返回了字符串。”"),
                    diag=("Each call puts the first character back in front of the recursive result, so the order never changes.",
                          "每次调用都把第一个字符放回递归结果的前面，所以顺序从未改变。"),
                    ask=("Where should the first character end up in the reversed string?",
                         "在反转后的字符串里，第一个字符应该在哪里？"),
                    step=("Trace 'ab' and write the value each call returns.",
                          "追踪 'ab'，写下每次调用返回的值。"),
                ),
                Mistake(
                    attempt=("prints the characters in reverse order instead of returning a string.",
                             "按相反的顺序打印字符，而不是返回一个字符串。"),
                    alt=("“It prints the reverse, but the function returns None.”",
                         "“它打印出了反转结果，但函数返回 None。”"),
                    diag=("Printing shows the answer on screen but doesn't give it back to the caller of the recursive function.",
                          "打印只是把答案显示在屏幕上，并没有把它交还给递归函数的调用者。"),
                    ask=("What should each call return so that its caller can build on it?",
                         "每次调用应该返回什么，调用它的上层才能在此基础上继续构造？"),
                    step=("Assign the result of your function to a variable and print that variable.",
                          "把函数的结果赋给一个变量，再打印这个变量。"),
                ),
            ),
            code=(
                "def reverse(s):\n"
                "    if s == '':\n"
                "        return ''\n"
                "    return reverse(s[1:]) + s[0]"
            ),
            key=(
                "if s=='' | if not s | if len(s)==0 | if len(s)<=1 | if len(s)<2",
                "reverse of the empty string is the empty string | reverse of an empty string is an empty string | "
                "reverse of an empty string is the empty string | reverse('')=='' | reverse('')='' | 空字符串的反转是空字符串 | "
                "空字符串的反转还是空字符串 | 空串的反转是空串 | 空串的反转还是空串 | 空字符串反转后还是空字符串 | return the empty string | "
                "return an empty string | returns the empty string | returns an empty string | 返回空字符串 | 返回空串 | "
                "return ''",
                "put | puts | putting | place | append | add | move | goes | go | belongs | comes | 放 | 加 | 拼 | 移 | "
                "接 & at the end | to the end | last | 末尾 | 最后 | 后面 & first character | first char | first letter | "
                "s[0] | 第一个字符 | 首字符 | 第一个字母",
                "return it instead of printing | return instead of print | return the string instead | 返回而不是打印 | "
                "用return代替print | 把print改成return | replace print with return",
            ),
        ),
        Exercise(
            "backtracking",
            ("Generate all permutations of a list of distinct elements with backtracking.",
             "用回溯生成一个元素互不相同的列表的所有排列。"),
            ("Keep `current` and a `used` array: at each level try every unused element, mark it and append it, recurse, then pop it and unmark it; when `len(current) == n` save a copy.",
             "维护 `current` 和一个 `used` 数组：每一层尝试每个未使用的元素，标记并加入它，递归，然后弹出并取消标记；当 `len(current) == n` 时保存一个副本。"),
            (
                Mistake(
                    attempt=("doesn't track which elements are already used, and produces sequences like [1, 1, 1].",
                             "没有记录哪些元素已经用过，结果产生了 [1, 1, 1] 这样的序列。"),
                    alt=("“[1, 1, 1] shows up among my permutations.”",
                         "“我的排列里出现了 [1, 1, 1]。”"),
                    diag=("Each element can be chosen again at every level of the recursion.",
                          "在递归的每一层，每个元素都可以被再次选择。"),
                    ask=("How can a level know which elements are already in the current permutation?",
                         "某一层怎样才能知道哪些元素已经在当前排列中了？"),
                    step=("Trace [1, 2] and list the choices available at each level.",
                          "追踪 [1, 2]，列出每一层可以做的选择。"),
                ),
                Mistake(
                    attempt=("marks elements as used but never unmarks them after the recursive call.",
                             "把元素标记为已使用，但在递归调用之后从不取消标记。"),
                    alt=("“I only get a single permutation.”",
                         "“我只得到了一个排列。”"),
                    diag=("After returning from a branch, the element stays marked, so sibling branches can't choose it.",
                          "从一个分支返回之后，该元素仍然被标记着，兄弟分支就不能再选它了。"),
                    ask=("What should happen to the 'used' mark after the recursive call returns?",
                         "递归调用返回之后，“已使用”标记应该怎样处理？"),
                    step=("Trace [1, 2, 3] and write the used set before and after each call.",
                          "追踪 [1, 2, 3]，写下每次调用前后的已使用集合。"),
                ),
                Mistake(
                    attempt=("swaps elements in place to build permutations but never swaps them back.",
                             "通过原地交换元素来构造排列，但从不把它们换回来。"),
                    alt=("“Some permutations repeat and others are missing.”",
                         "“有些排列重复了，另一些却缺失了。”"),
                    diag=("The array isn't restored after exploring a branch, so later branches start from a scrambled state.",
                          "探索完一个分支后数组没有恢复，所以后面的分支从一个被打乱的状态开始。"),
                    ask=("What must be undone after each recursive call returns?",
                         "每次递归调用返回之后，必须撤销什么？"),
                    step=("Trace [1, 2, 3] and print the array before and after every swap.",
                          "追踪 [1, 2, 3]，在每次交换前后打印数组。"),
                ),
            ),
            code=(
                "def permutations(a):\n"
                "    result, current, used = [], [], [False] * len(a)\n"
                "    def rec():\n"
                "        if len(current) == len(a):\n"
                "            result.append(current[:])\n"
                "            return\n"
                "        for i, x in enumerate(a):\n"
                "            if not used[i]:\n"
                "                used[i] = True\n"
                "                current.append(x)\n"
                "                rec()\n"
                "                current.pop()\n"
                "                used[i] = False\n"
                "    rec()\n"
                "    return result"
            ),
            key=(
                "used[i]=false | unmark it | unmark the element | unmark them | must unmark | should unmark | "
                "need to unmark | then unmark | and unmark | 再取消标记 | 然后取消标记 | 并取消标记 | 要取消标记 | 需要取消标记 | 应该取消标记 | "
                "应取消标记 | 把它的标记取消 | 取消它的标记 | 标记为未使用 | mark it unused | mark it as unused",
                "used array | used list | boolean array | used[i] | used数组 | 布尔数组 | visited array | visited set | "
                "已使用数组 | not in current | 跳过已使用 | 跳过已经用过",
                "swap back | swap them back | swap it back | swapping back | swap again | undo the swap | 再换回来 | "
                "交换回来 | 再交换回来 | 要换回来 | 需要换回来 | 换回原位 | 撤销交换 | 撤销这次交换 | 再交换一次",
            ),
        ),
        Exercise(
            "progress",
            ("Tower of Hanoi: print the moves that transfer n disks from peg A to peg C using peg B, and give the number of moves.",
             "汉诺塔：借助柱 B，把 n 个盘子从柱 A 移到柱 C，打印每一步移动并给出移动次数。"),
            ("`hanoi(n, src, dst, spare)`: if n == 0 return; move n − 1 disks from src to spare (using dst), move disk n from src to dst, then move n − 1 disks from spare to dst (using src); T(n) = 2T(n − 1) + 1 = 2ⁿ − 1 moves.",
             "`hanoi(n, src, dst, spare)`：若 n == 0 则返回；先把 n − 1 个盘子从 src 移到 spare（借助 dst），再把第 n 个盘子从 src 移到 dst，最后把 n − 1 个盘子从 spare 移到 dst（借助 src）；T(n) = 2T(n − 1) + 1 = 2ⁿ − 1 步。"),
            (
                Mistake(
                    attempt=("makes both recursive calls with the same source and target pegs, never using the spare peg.",
                             "两次递归调用都使用相同的起点柱和目标柱，从不使用辅助柱。"),
                    alt=("“My solution tries to put big disks on top of small ones.”",
                         "“我的解法会把大盘子放到小盘子上面。”"),
                    diag=("The subproblems must first move the n − 1 smaller disks out of the way onto the spare peg.",
                          "子问题必须先把 n − 1 个较小的盘子挪到辅助柱上让开位置。"),
                    ask=("Where must the n − 1 smaller disks be while the largest disk moves?",
                         "当最大的盘子移动时，n − 1 个较小的盘子必须在哪里？"),
                    step=("Solve n = 2 by hand and write down every move.",
                          "手工解出 n = 2 的情况，写下每一步移动。"),
                ),
                Mistake(
                    attempt=("has only the base case n == 1, so calling with n = 0 recurses forever.",
                             "只有 n == 1 这一个基本情况，所以用 n = 0 调用时会无限递归。"),
                    alt=("“hanoi(0) crashes with a RecursionError.”",
                         "“hanoi(0) 报 RecursionError 崩溃了。”"),
                    diag=("Starting from n = 0, the calls move to −1, −2, … and never reach your base case.",
                          "从 n = 0 开始，调用会走到 −1、−2……永远到不了你的基本情况。"),
                    ask=("What should happen when there are zero disks to move?",
                         "当没有盘子要移动时，应该发生什么？"),
                    step=("Call hanoi(0) and trace the arguments of the calls.",
                          "调用 hanoi(0)，追踪各次调用的参数。"),
                ),
                Mistake(
                    attempt=("states that moving n disks takes 2n moves.",
                             "说移动 n 个盘子需要 2n 步。"),
                    alt=("“n disks need 2n moves.”",
                         "“n 个盘子需要 2n 步。”"),
                    diag=("Each call makes two recursive calls on n − 1 disks, so the count doubles at each level rather than adding two.",
                          "每次调用都对 n − 1 个盘子做两次递归调用，所以步数每一层都翻倍，而不是加二。"),
                    ask=("How many moves are needed for n = 1, 2, 3 and 4?",
                         "n = 1、2、3、4 时分别需要多少步？"),
                    step=("Compute T(n) = 2T(n − 1) + 1 for small n and look for the pattern.",
                          "对较小的 n 计算 T(n) = 2T(n − 1) + 1，找找规律。"),
                ),
            ),
            code=(
                "def hanoi(n, src='A', dst='C', spare='B'):\n"
                "    if n == 0:\n"
                "        return 0\n"
                "    moves = hanoi(n - 1, src, spare, dst)\n"
                "    print(f'move disk {n} from {src} to {dst}')\n"
                "    return moves + 1 + hanoi(n - 1, spare, dst, src)"
            ),
            key=(
                "2^n-1 | 2**n-1 | 2ⁿ-1 | 2ⁿ − 1 | 2^n − 1 | 2 to the n minus 1 | 2 to the power n minus 1 | "
                "2 to the power of n minus 1 | 2的n次方减1 | 2的n次方减一 | 2的n次幂减1",
                "1,3,7,15 | 1、3、7、15",
                "double and add 1 | doubles and adds 1 | doubled plus 1 | double plus 1 | 翻倍再加1 | 翻倍后加1 | 乘2加1 | "
                "乘以2再加1",
                "from spare | from the spare | from b | from peg b | 从spare | 从辅助柱 | 从柱b | 从b柱 & n-1 | n − 1 | "
                "smaller disks | 较小的盘子 | 小盘子",
                "0 disks & nothing | do nothing | return immediately | just return | 什么都不做 | 直接返回 | 不做任何事",
                "if n==0:return | if n==0 return | if n<=0 | n==0时返回 | n==0时直接返回 | when n==0,return",
            ),
        ),
        Exercise(
            "recursion_cost",
            ("Speed up the naive recursive Fibonacci function with memoisation.",
             "用记忆化加速朴素的递归斐波那契函数。"),
            ("Keep one memo shared by all calls (a dict outside the function, or `functools.lru_cache`): look the answer up first, otherwise compute `fib(n - 1) + fib(n - 2)`, store it and return it; this makes fib O(n).",
             "维护一个所有调用共享的备忘录（函数外的字典，或用 `functools.lru_cache`）：先查表，查不到再计算 `fib(n - 1) + fib(n - 2)`，存起来并返回；这样 fib 变成 O(n)。"),
            (
                Mistake(
                    attempt=("creates the memo dict inside the function, so it starts empty on every call.",
                             "在函数内部创建备忘录字典，结果每次调用它都是空的。"),
                    alt=("“My memoised version is still exponential.”",
                         "“我的记忆化版本仍然是指数级的。”"),
                    diag=("A new, empty memo on every call means no recursive call can reuse an earlier result.",
                          "每次调用都新建一个空的备忘录，意味着没有任何递归调用能复用之前的结果。"),
                    ask=("Where must the memo live so that all calls share it?",
                         "备忘录应该放在哪里，才能被所有调用共享？"),
                    step=("Print the size of the memo after computing fib(20).",
                          "计算 fib(20) 之后打印备忘录的大小。"),
                ),
                Mistake(
                    attempt=("stores results in the memo but never looks them up before recursing.",
                             "把结果存进了备忘录，但递归之前从不查表。"),
                    alt=("“The memo fills up, but it is still slow.”",
                         "“备忘录填满了，可还是很慢。”"),
                    diag=("Saving results only helps if each call checks for a stored answer before making its recursive calls.",
                          "只有在每次调用进行递归之前先查找已存的答案，保存结果才有用。"),
                    ask=("What should a call do first if its result is already stored in the memo?",
                         "如果结果已经存在备忘录里，一次调用首先应该做什么？"),
                    step=("Count the calls to fib(20) with and without the lookup.",
                          "分别数一数有查表和没有查表时 fib(20) 的调用次数。"),
                ),
                Mistake(
                    attempt=("puts `@lru_cache` on a recursive function that takes a list argument.",
                             "给一个接收列表参数的递归函数加上 `@lru_cache`。"),
                    alt=("“I get TypeError: unhashable type: 'list'.”",
                         "“报错 TypeError: unhashable type: 'list'。”"),
                    diag=("The cache uses the call's arguments as dictionary keys, so they must be hashable.",
                          "缓存把调用的参数当作字典的键，所以参数必须是可哈希的。"),
                    ask=("Which immutable type could you pass to the recursive call instead?",
                         "可以改为向递归调用传入哪种不可变类型？"),
                    step=("Convert the argument to a tuple and run it again.",
                          "把参数转换成元组，再运行一次。"),
                ),
            ),
            code=(
                "from functools import lru_cache\n\n"
                "@lru_cache(maxsize=None)\n"
                "def fib(n):\n"
                "    if n < 2:\n"
                "        return n\n"
                "    return fib(n - 1) + fib(n - 2)"
            ),
            key=(
                "outside the function | outside of the function | 函数外 | 函数之外 | global | 全局 | default argument | "
                "默认参数 | module level | 模块级 & memo | dict | 备忘录 | 字典 | cache | 缓存",
                "use lru_cache | use @lru_cache | use functools.lru_cache | 用lru_cache | 使用lru_cache | 用@lru_cache | "
                "使用@lru_cache",
                "if n in memo:return memo[n] | if n in memo | return memo[n] | 先查表 | 先查备忘录 | check the memo first | "
                "look it up first | look up the memo first",
                "becomes o(n) | is o(n) | makes fib o(n) | in o(n) | runs in o(n) | 变成o(n) | 是o(n) | "
                "为o(n) | 变为o(n) | 降到o(n) | 只需o(n) | o(n)时间",
            ),
        ),
        Exercise(
            "backtracking",
            ("Count the ways to place n queens on an n × n board so that no two attack each other.",
             "统计在 n × n 棋盘上放置 n 个互不攻击的皇后的方法数。"),
            ("Place one queen per row: `rec(r)` tries each column c not in `cols`, `r - c` not in `diag1` and `r + c` not in `diag2`, adds them, recurses on r + 1 and removes them again; `rec(n)` counts one solution (n = 4 gives 2, n = 8 gives 92).",
             "每行放一个皇后：`rec(r)` 尝试每个满足 c 不在 `cols`、`r - c` 不在 `diag1`、`r + c` 不在 `diag2` 的列 c，加入这些标记，递归处理 r + 1，再把标记移除；到达 `rec(n)` 时计一个解（n = 4 有 2 个解，n = 8 有 92 个）。"),
            (
                Mistake(
                    attempt=("checks rows and columns for conflicts but not the diagonals.",
                             "检查了行和列的冲突，却没检查对角线。"),
                    alt=("“For n = 4 I count 24 solutions instead of 2.”",
                         "“n = 4 时我数出 24 个解，而不是 2 个。”"),
                    diag=("Queens also attack along diagonals, and your recursion never checks them.",
                          "皇后还会沿对角线攻击，而你的递归从没检查过对角线。"),
                    ask=("What do all the cells on one diagonal have in common, in terms of r − c or r + c?",
                         "同一条对角线上的所有格子，在 r − c 或 r + c 上有什么共同点？"),
                    step=("Place queens at (0, 0) and (1, 1) and check what your conflict test says.",
                          "在 (0, 0) 和 (1, 1) 放皇后，看看你的冲突检测怎么说。"),
                ),
                Mistake(
                    attempt=("marks a column as taken but doesn't unmark it after the recursive call returns.",
                             "把某列标记为已占用，但在递归调用返回后没有取消标记。"),
                    alt=("“I find at most one solution, sometimes none.”",
                         "“我最多只能找到一个解，有时一个都找不到。”"),
                    diag=("The choice isn't undone before the next column is tried, so later branches see a board that is too full.",
                          "在尝试下一列之前没有撤销选择，所以后面的分支看到的棋盘过于拥挤。"),
                    ask=("What must happen to the column mark once the recursive call returns?",
                         "递归调用返回后，列的标记应该怎样处理？"),
                    step=("Trace n = 4 for the first two rows, writing the marks after each call.",
                          "追踪 n = 4 时的前两行，每次调用后写下标记。"),
                ),
                Mistake(
                    attempt=("tries every cell of the board at every level, so each solution is counted many times.",
                             "每一层都尝试棋盘上的每个格子，结果每个解被数了很多次。"),
                    alt=("“For n = 4 I count 48 solutions.”",
                         "“n = 4 时我数出了 48 个解。”"),
                    diag=("Your search places the same queens in every possible order, so each board is reached through many branches.",
                          "你的搜索以各种可能的顺序放置同一组皇后，所以同一个棋盘会通过许多分支到达。"),
                    ask=("If each row gets exactly one queen, what should each level of the recursion decide?",
                         "如果每行恰好放一个皇后，递归的每一层应该决定什么？"),
                    step=("Restructure the search so that level r only chooses the column for row r, and count again.",
                          "重新组织搜索，让第 r 层只为第 r 行选择列，然后再数一次。"),
                ),
            ),
            code=(
                "def n_queens(n):\n"
                "    cols, diag1, diag2 = set(), set(), set()\n"
                "    def rec(r):\n"
                "        if r == n:\n"
                "            return 1\n"
                "        count = 0\n"
                "        for c in range(n):\n"
                "            if c in cols or r - c in diag1 or r + c in diag2:\n"
                "                continue\n"
                "            cols.add(c); diag1.add(r - c); diag2.add(r + c)\n"
                "            count += rec(r + 1)\n"
                "            cols.remove(c); diag1.remove(r - c); diag2.remove(r + c)\n"
                "        return count\n"
                "    return rec(0)"
            ),
            key=(
                "92",
                "n=4 & 2 solutions | 2个解 | 2种 | 2 ways | gives 2 | has 2 | answer is 2 | 有2个解 | 共2个 | 只有2个",
                "r-c is constant | r-c is the same | r-c相同 | r-c相等 | r-c不变 | 相同的r-c | r+c is constant | "
                "r+c is the same | r+c相同 | r+c相等 | r+c不变 | 相同的r+c | r-c in diag1 | r-c not in diag1 | "
                "r+c not in diag2 | r+c in diag2",
                "cols.remove(c) | remove c from cols | 把c从cols中移除 | 从cols中删除 | then unmark | and unmark | "
                "must unmark | should unmark | need to unmark | unmark the column again | unmark it again | "
                "remove it again | remove them again | removes them again | remove the marks | 再把标记移除 | 把标记移除 | "
                "再取消标记 | 然后取消标记 | 并取消标记 | 要取消标记 | 应该取消标记",
            ),
        ),
        Exercise(
            "return_values",
            ("Compute xⁿ for an integer n ≥ 0 in O(log n) multiplications with recursion.",
             "用递归在 O(log n) 次乘法内计算 xⁿ（整数 n ≥ 0）。"),
            ("`if n == 0: return 1`; compute `half = power(x, n // 2)` once; return `half * half` if n is even, else `half * half * x`.",
             "`if n == 0: return 1`；只计算一次 `half = power(x, n // 2)`；n 为偶数时返回 `half * half`，否则返回 `half * half * x`。"),
            (
                Mistake(
                    attempt=("returns `power(x, n // 2) * power(x, n // 2)`, computing the half twice.",
                             "返回 `power(x, n // 2) * power(x, n // 2)`，把一半的结果算了两次。"),
                    alt=("“It's correct, but just as slow as multiplying n times.”",
                         "“结果正确，但和乘 n 次一样慢。”"),
                    diag=("Calling the same subproblem twice doubles the work at every level of the recursion.",
                          "对同一个子问题调用两次，会让递归每一层的工作量都翻倍。"),
                    ask=("Could you compute the half power once and reuse the value it returns?",
                         "能不能只计算一次一半的幂，然后复用它返回的值？"),
                    step=("Count the calls made for n = 8 with your version.",
                          "数一数你的版本在 n = 8 时发生了多少次调用。"),
                ),
                Mistake(
                    attempt=("always returns `half * half`, also when n is odd.",
                             "总是返回 `half * half`，n 为奇数时也是如此。"),
                    alt=("“power(2, 5) gives 16 instead of 32.”",
                         "“power(2, 5) 得到 16 而不是 32。”"),
                    diag=("For odd n, integer halving loses one factor of x, and your return value never puts it back.",
                          "n 为奇数时，整数减半会丢掉一个因子 x，而你的返回值从没把它补回来。"),
                    ask=("How many factors of x are missing when n is odd?",
                         "当 n 为奇数时，缺少了几个因子 x？"),
                    step=("Trace power(2, 5) and write what each call returns.",
                          "追踪 power(2, 5)，写下每次调用的返回值。"),
                ),
                Mistake(
                    attempt=("has no base case for n == 0.",
                             "没有 n == 0 的基本情况。"),
                    alt=("“I get a RecursionError for every n.”",
                         "“对任何 n 都报 RecursionError。”"),
                    diag=("Halving eventually reaches 0, and 0 // 2 is still 0, so the calls never stop.",
                          "减半最终会到 0，而 0 // 2 仍然是 0，所以调用永远不会停止。"),
                    ask=("What is x to the power 0?",
                         "x 的 0 次方是多少？"),
                    step=("Trace power(2, 1) all the way down.",
                          "把 power(2, 1) 一直追踪到最底层。"),
                ),
            ),
            code=(
                "def power(x, n):\n"
                "    if n == 0:\n"
                "        return 1\n"
                "    half = power(x, n // 2)\n"
                "    return half * half if n % 2 == 0 else half * half * x"
            ),
            key=(
                "half*half*x | x*half*half | half**2*x | x*half**2",
                "odd | 奇数 & times x | multiply by x | multiplied by x | multiply it by x | extra x | "
                "extra factor of x | 1 more x | 1 more factor | *x | 乘以x | 乘x | 乘上x | 多乘 | 再乘 | 补上x | 补上那个x | 补一个x | "
                "补回x | 补上1个x | 补1个x",
                "half=power(x,n//2) | store it in a variable | save it in a variable | 存到变量 | 存进变量 | 保存到变量 | 存在一个变量",
                "if n==0:return 1 | x^0=1 | x**0=1 | x^0 is 1 | x to the power 0 is 1 | x的0次方是1 | x的0次方等于1 | "
                "x的0次方为1 | power(x,0)=1 | power(x,0) returns 1 | n==0时返回1 | n为0时返回1 | when n==0,return 1 | "
                "when n is 0,return 1",
            ),
        ),
    ),
)
