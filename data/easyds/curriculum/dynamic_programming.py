from .schema import Exercise, Mistake, Point, Topic

TOPIC = Topic(
    key="dynamic_programming",
    name=("Dynamic programming basics", "动态规划基础"),
    keywords=(
        ("state", "subproblem", "recurrence", "table", "dp", "memo", "base case", "transition", "cell", "optimal",
         "greedy", "smaller"),
        ("状态", "子问题", "递推", "转移", "表", "dp", "备忘", "初始", "格子", "最优", "贪心", "更小"),
    ),
    points={
        "state": Point(
            ("defining the state", "定义状态"),
            ("The DP state only needs to hold the answer for the whole input; answers for smaller inputs can simply be recomputed when they are needed.",
             "DP 的状态只需要保存整个输入的答案；更小输入的答案需要时重新计算就行。"),
        ),
        "recurrence": Point(
            ("writing the recurrence", "写出递推式"),
            ("Any recursive solution becomes dynamic programming as soon as you store its final answer in a variable.",
             "只要把最终答案存进一个变量，任何递归解法就都变成了动态规划。"),
        ),
        "order": Point(
            ("base cases and evaluation order", "初始条件与计算顺序"),
            ("In a bottom-up table the order in which cells are filled never matters, because every cell gets computed eventually.",
             "在自底向上的表中，填格子的顺序无关紧要，因为每个格子最终都会被算出来。"),
        ),
        "memo_vs_table": Point(
            ("memoisation versus tabulation", "记忆化与制表"),
            ("Memoisation and tabulation always do exactly the same work, and both need O(n) memory that can never be reduced.",
             "记忆化和制表做的工作总是完全相同，而且两者都需要 O(n) 的内存，永远无法再减少。"),
        ),
        "greedy_vs_dp": Point(
            ("dynamic programming versus greedy", "动态规划与贪心"),
            ("Taking the locally best option at every step always gives the optimal answer, so a DP table is only needed for speed.",
             "每一步都选当前最好的选项总能得到最优答案，所以 DP 表只是为了提速。"),
        ),
    },
    facts=(
        ("Dynamic programming applies when a problem has overlapping subproblems and optimal substructure.",
         "当问题具有重叠子问题和最优子结构时，就可以使用动态规划。"),
        ("A DP solution is defined by its state, its recurrence, its base cases and an evaluation order in which every dependency is computed first.",
         "一个 DP 解法由状态、递推式、初始条件以及保证依赖先被计算的计算顺序共同确定。"),
        ("Memoisation solves subproblems top-down on demand; tabulation fills a table bottom-up and can often keep only the last few rows.",
         "记忆化自顶向下按需求解子问题；制表法自底向上填表，常常只需保留最后几行。"),
    ),
    exercises=(
        Exercise(
            "state",
            ("Count the ways to climb a staircase of n steps when you may take 1 or 2 steps at a time.",
             "每次可以走 1 级或 2 级台阶，统计走完 n 级台阶共有多少种走法。"),
            ("Let dp[i] be the number of ways to reach step i: dp[0] = 1, dp[1] = 1 and dp[i] = dp[i − 1] + dp[i − 2], because the last move is either one step or two; dp[n] is the answer (a Fibonacci number).",
             "令 dp[i] 为到达第 i 级的走法数：dp[0] = 1，dp[1] = 1，dp[i] = dp[i − 1] + dp[i − 2]，因为最后一步要么走 1 级要么走 2 级；dp[n] 就是答案（一个斐波那契数）。"),
            (
                Mistake(
                    attempt=("defines dp[i] as the number of steps taken so far.",
                             "把 dp[i] 定义为到目前为止走过的台阶数。"),
                    alt=("“My table just counts 0, 1, 2, 3, … .”",
                         "“我的表只是在数 0、1、2、3……”"),
                    diag=("The state should be the quantity you want to count, for a smaller staircase, not a position counter.",
                          "状态应该是你想统计的那个量在更小台阶数上的取值，而不是一个位置计数器。"),
                    ask=("What should dp[i] mean so that dp[n] is exactly the answer?",
                         "dp[i] 应该表示什么，才能让 dp[n] 正好就是答案？"),
                    step=("Finish the sentence 'dp[i] is the number of …' and check dp[3] by listing the ways.",
                          "把“dp[i] 表示……的数目”这句话补完整，再通过列举走法检验 dp[3]。"),
                ),
                Mistake(
                    attempt=("uses the recurrence dp[i] = dp[i − 1] + 1.",
                             "使用递推式 dp[i] = dp[i − 1] + 1。"),
                    alt=("“For n = 4 I get 4 ways, but there are 5.”",
                         "“n = 4 时我得到 4 种走法，可实际有 5 种。”"),
                    diag=("The last move can be one step or two steps, and each option brings a whole set of smaller subproblem solutions.",
                          "最后一步可以走 1 级也可以走 2 级，每种选择都对应一整批更小子问题的解。"),
                    ask=("From which earlier steps can you arrive at step i in a single move?",
                         "从哪些更早的台阶可以一步到达第 i 级？"),
                    step=("List all the ways to reach step 4, grouped by their last move.",
                          "列出到达第 4 级的所有走法，并按最后一步分组。"),
                ),
                Mistake(
                    attempt=("sets dp[0] = 0, so every count in the table is 0.",
                             "令 dp[0] = 0，结果表中的每个计数都是 0。"),
                    alt=("“All my answers come out as 0.”",
                         "“我的答案全都是 0。”"),
                    diag=("This base case says there is no way to stand at the bottom, which zeroes every sum built on it.",
                          "这个初始条件表示站在底部没有任何走法，于是在它之上建立的每个和都成了 0。"),
                    ask=("How many ways are there to climb a staircase of 0 steps?",
                         "走完 0 级台阶有多少种走法？"),
                    step=("Check dp[1] and dp[2] by hand using your base values.",
                          "用你的初始值手工验证 dp[1] 和 dp[2]。"),
                ),
            ),
            code=(
                "def climb(n):\n"
                "    a, b = 1, 1  # dp[0], dp[1]\n"
                "    for _ in range(n - 1):\n"
                "        a, b = b, a + b\n"
                "    return b if n > 0 else 1"
            ),
            key=(
                "dp[i-1]+dp[i-2] | dp[i − 1] + dp[i − 2] | f(n-1)+f(n-2) | f(n − 1) + f(n − 2) | "
                "ways(n-1)+ways(n-2) | dp[n-1]+dp[n-2] | sum of the previous 2 | sum of the 2 previous | 前两项之和 | "
                "前2项之和 | 前两个之和 | fibonacci | 斐波那契",
                "i-1 | i − 1 & i-2 | i − 2 & plus | sum | add | 加上 | 之和 | 相加",
                "dp[0]=1 | exactly 1 way | 恰好1种 | 恰好有1种 | 有1种走法 | 1种走法 | there is 1 way | is 1 way",
            ),
        ),
        Exercise(
            "greedy_vs_dp",
            ("Find the minimum number of coins that make amount A from given denominations, with an unlimited supply of each.",
             "给定若干面值（每种数量不限），求凑出金额 A 所需的最少硬币数。"),
            ("dp[0] = 0 and dp[a] = 1 + min(dp[a − c]) over coins c ≤ a, with unreachable amounts kept at infinity; answer dp[A] (or −1 if infinite). Greedy fails, e.g. coins {1, 3, 4}, A = 6: greedy uses 3 coins, DP finds 3 + 3.",
             "dp[0] = 0，对所有不超过 a 的面值 c 取 dp[a] = 1 + min(dp[a − c])，凑不出的金额保持为无穷大；答案为 dp[A]（若为无穷大则返回 −1）。贪心会失败，例如面值 {1, 3, 4}、A = 6：贪心用 3 枚，DP 找到 3 + 3。"),
            (
                Mistake(
                    attempt=("always takes the largest coin that still fits.",
                             "总是选择还能放得下的最大面值硬币。"),
                    alt=("“With coins {1, 3, 4} and A = 6 I use 3 coins: 4 + 1 + 1.”",
                         "“面值为 {1, 3, 4}、A = 6 时，我用了 3 枚：4 + 1 + 1。”"),
                    diag=("Taking the largest coin first isn't optimal for every coin system, so the choice has to consider smaller subproblems.",
                          "先取最大面值并不是对所有面值体系都最优，所以选择时必须考虑更小的子问题。"),
                    ask=("Is there a way to make 6 with fewer coins?",
                         "有没有用更少硬币凑出 6 的办法？"),
                    step=("Write dp[a] for a = 0 to 6 with coins {1, 3, 4}.",
                          "用面值 {1, 3, 4} 写出 a = 0 到 6 的 dp[a]。"),
                ),
                Mistake(
                    attempt=("uses dp[a] = min(dp[a − c]) without adding 1 for the coin just used.",
                             "使用 dp[a] = min(dp[a − c])，没有为刚用的那枚硬币加 1。"),
                    alt=("“Every amount in my table needs 0 coins.”",
                         "“我的表里每个金额都只需要 0 枚硬币。”"),
                    diag=("Your recurrence forgets to count the coin you add on top of the smaller amount.",
                          "你的递推式忘了计入在更小金额之上新加的那枚硬币。"),
                    ask=("If coin c is used last, how many coins does that add to dp[a − c]?",
                         "如果最后用的是面值 c，这会在 dp[a − c] 的基础上增加几枚硬币？"),
                    step=("Compute dp[1] with your formula and compare it with the count you get by hand.",
                          "用你的公式计算 dp[1]，并与手工数出的结果比较。"),
                ),
                Mistake(
                    attempt=("initialises every entry of dp with 0, so unreachable amounts look free.",
                             "把 dp 的每一项都初始化为 0，于是凑不出的金额看起来不花任何硬币。"),
                    alt=("“Coins {2} with A = 3 gives 0 instead of ‘impossible’.”",
                         "“面值 {2}、A = 3 时得到 0，而不是‘不可能’。”"),
                    diag=("Unreachable amounts must start with a value that min() will never choose over a real solution.",
                          "凑不出的金额必须以一个 min() 永远不会选中的值开始，不能胜过真实的解。"),
                    ask=("What initial value in the table marks an amount as not yet reachable?",
                         "表中用什么初始值来表示一个金额尚不可达？"),
                    step=("Trace coins {2} with A = 3 cell by cell.",
                          "逐个格子追踪面值 {2}、A = 3 的情况。"),
                ),
            ),
            code=(
                "def min_coins(coins, A):\n"
                "    INF = float('inf')\n"
                "    dp = [0] + [INF] * A\n"
                "    for a in range(1, A + 1):\n"
                "        for c in coins:\n"
                "            if c <= a and dp[a - c] + 1 < dp[a]:\n"
                "                dp[a] = dp[a - c] + 1\n"
                "    return dp[A] if dp[A] != INF else -1"
            ),
            key=(
                "1+min(dp[a-c]) | 1 + min(dp[a − c]) | min(dp[a-c])+1 | min(dp[a − c])+1 | dp[a-c]+1 | dp[a − c]+1 | "
                "1+dp[a-c] | 1 + dp[a − c] | add 1 for the coin | 1 more coin | 多一枚硬币 | 多1枚 | 再加1枚 | 加上1枚 | 加上这1枚",
                "3+3 | 2 coins | 2枚 | 两枚 | 2个硬币",
                "infinity | inf | float('inf') | 无穷大 | 无穷 | ∞ | math.inf | a large value | 很大的值 | 极大值 | "
                "large sentinel",
            ),
        ),
        Exercise(
            "recurrence",
            ("Compute the length of the longest common subsequence of two strings a and b.",
             "计算两个字符串 a 和 b 的最长公共子序列的长度。"),
            ("Use an (n + 1) × (m + 1) table with row 0 and column 0 equal to 0; dp[i][j] = dp[i − 1][j − 1] + 1 if a[i − 1] == b[j − 1], else max(dp[i − 1][j], dp[i][j − 1]); the answer is dp[n][m].",
             "使用 (n + 1) × (m + 1) 的表，第 0 行和第 0 列为 0；若 a[i − 1] == b[j − 1]，则 dp[i][j] = dp[i − 1][j − 1] + 1，否则 dp[i][j] = max(dp[i − 1][j], dp[i][j − 1])；答案为 dp[n][m]。"),
            (
                Mistake(
                    attempt=("sets dp[i][j] = 0 whenever the last characters differ.",
                             "只要最后的字符不同，就令 dp[i][j] = 0。"),
                    alt=("“The LCS of 'abc' and 'axc' comes out as 1 instead of 2.”",
                         "“'abc' 和 'axc' 的最长公共子序列算出来是 1，而不是 2。”"),
                    diag=("A mismatch at the end doesn't reset the subsequence; it can skip one of the two characters instead.",
                          "末尾字符不匹配并不会让子序列清零，它只需跳过两个字符中的一个。"),
                    ask=("If a[i − 1] != b[j − 1], which smaller subproblems could still give a long common subsequence?",
                         "如果 a[i − 1] != b[j − 1]，哪些更小的子问题仍可能给出较长的公共子序列？"),
                    step=("Fill the table for 'ab' and 'b' by hand.",
                          "手工为 'ab' 和 'b' 填表。"),
                ),
                Mistake(
                    attempt=("on a match uses dp[i − 1][j] + 1 instead of dp[i − 1][j − 1] + 1.",
                             "匹配时用 dp[i − 1][j] + 1，而不是 dp[i − 1][j − 1] + 1。"),
                    alt=("“The LCS of 'aa' and 'a' comes out as 2.”",
                         "“'aa' 和 'a' 的最长公共子序列算出来是 2。”"),
                    diag=("Matching a[i − 1] with b[j − 1] uses up both characters, so both strings must shrink in the subproblem.",
                          "让 a[i − 1] 和 b[j − 1] 匹配会用掉两个字符，所以子问题里两个字符串都必须缩短。"),
                    ask=("Which cell stands for both strings without their last characters?",
                         "哪个格子表示两个字符串都去掉最后一个字符的情况？"),
                    step=("Fill the table for 'aa' and 'a' and look at the cell your formula reads.",
                          "为 'aa' 和 'a' 填表，看看你的公式读取的是哪个格子。"),
                ),
                Mistake(
                    attempt=("sizes the table n × m with no row or column for empty prefixes.",
                             "把表的大小设为 n × m，没有为空前缀留出行和列。"),
                    alt=("“For i = 0 my code reads dp[-1][j], which is the last row.”",
                         "“当 i = 0 时，我的代码读取的是 dp[-1][j]，也就是最后一行。”"),
                    diag=("Without cells for empty prefixes, the first cells read outside the table, and Python's negative indices hide it.",
                          "没有为空前缀准备格子，最前面的格子会读到表外，而 Python 的负数下标把这个问题掩盖了。"),
                    ask=("What is the LCS when one of the strings is empty, and where could that value be stored?",
                         "当其中一个字符串为空时，最长公共子序列是多少？这个值可以存在哪里？"),
                    step=("Print the cells your code reads when it computes the very first cell.",
                          "打印你的代码在计算第一个格子时读取了哪些格子。"),
                ),
            ),
            code=(
                "def lcs(a, b):\n"
                "    n, m = len(a), len(b)\n"
                "    dp = [[0] * (m + 1) for _ in range(n + 1)]\n"
                "    for i in range(1, n + 1):\n"
                "        for j in range(1, m + 1):\n"
                "            if a[i - 1] == b[j - 1]:\n"
                "                dp[i][j] = dp[i - 1][j - 1] + 1\n"
                "            else:\n"
                "                dp[i][j] = max(dp[i - 1][j], dp[i][j - 1])\n"
                "    return dp[n][m]"
            ),
            key=(
                "max(dp[i-1][j],dp[i][j-1]) | max(dp[i − 1][j], dp[i][j − 1]) | max(dp[i][j-1],dp[i-1][j]) | "
                "max(dp[i][j − 1], dp[i − 1][j])",
                "max | maximum | larger | 较大 | 最大 & above | up | top | 上方 | 上边 | 上面 & left | 左方 | 左边 | 左侧",
                "dp[i][j]=dp[i-1][j-1]+1 | dp[i][j]=1+dp[i-1][j-1] | diagonal+1 | diagonal plus 1 | 对角线加1 | 左上角加1 | 左上加1 | 左上方加1 | "
                "对角格子加1",
                "(n+1)*(m+1) | (n + 1) × (m + 1) | n+1 by m+1 | (n+1)x(m+1) | (n+1)行(m+1)列 | n+1行 | "
                "extra row and column | extra row and an extra column | 多1行1列 | 多一行一列 | 多加一行一列 | 额外的一行一列 | "
                "row 0 and column 0 | 第0行和第0列",
                "empty & lcs is 0 | length 0 | is 0 | 为0 | 是0 | 长度为0 | 等于0",
            ),
        ),
        Exercise(
            "state",
            ("0/1 knapsack: choose items (each at most once) with total weight at most W to maximise the total value.",
             "0/1 背包：选择若干物品（每件最多一次），总重量不超过 W，使总价值最大。"),
            ("Let dp[c] be the best value with capacity c; for each item (w, v) loop c from W down to w and set dp[c] = max(dp[c], dp[c − w] + v); the downward loop keeps each item used at most once. Answer dp[W], O(nW).",
             "令 dp[c] 为容量 c 时的最大价值；对每件物品 (w, v)，让 c 从 W 递减到 w，令 dp[c] = max(dp[c], dp[c − w] + v)；倒序循环保证每件物品最多用一次。答案为 dp[W]，时间 O(nW)。"),
            (
                Mistake(
                    attempt=("uses a one-dimensional table but loops the capacity upwards, so items get reused.",
                             "使用一维表，但容量从小到大循环，结果物品被重复使用。"),
                    alt=("“One item gets packed several times.”",
                         "“有一件物品被装了好几次。”"),
                    diag=("Looping capacities upwards lets a cell updated with this item be used again in the same round.",
                          "容量从小到大循环时，刚用这件物品更新过的格子会在同一轮里再次被使用。"),
                    ask=("In which direction should the capacity loop run so that each item is counted once?",
                         "容量循环应该朝哪个方向进行，才能让每件物品只被计入一次？"),
                    step=("Run a single item (weight 1, value 1) with W = 3 in both directions and compare the tables.",
                          "用一件物品（重量 1、价值 1）和 W = 3，两个方向各跑一遍，比较两张表。"),
                ),
                Mistake(
                    attempt=("defines the state only by how many items have been considered, ignoring the remaining capacity.",
                             "只用“已考虑了多少件物品”来定义状态，忽略了剩余容量。"),
                    alt=("“My dp[i] can't tell whether the next item still fits.”",
                         "“我的 dp[i] 无法判断下一件物品还放不放得下。”"),
                    diag=("The best value depends on how much capacity is left, so the state must include it.",
                          "最大价值取决于剩余多少容量，所以状态必须包含它。"),
                    ask=("Which second quantity decides which items can still be added?",
                         "是哪第二个量决定了还能加入哪些物品？"),
                    step=("Find two situations with the same items considered but different remaining capacity, and compare their best values.",
                          "找出两种已考虑物品相同、但剩余容量不同的情况，比较它们的最大价值。"),
                ),
                Mistake(
                    attempt=("picks items greedily by value per unit of weight.",
                             "按单位重量价值贪心地挑选物品。"),
                    alt=("“With W = 4 and items (1, 2), (2, 3), (2, 3) my answer is 5, but 6 is possible.”",
                         "“W = 4，物品为 (1, 2)、(2, 3)、(2, 3) 时，我得到 5，可实际能得到 6。”"),
                    diag=("Greedy by ratio is optimal for the fractional knapsack, but not when items can't be split.",
                          "按价值比贪心对分数背包是最优的，但物品不能分割时就不是了。"),
                    ask=("Which combination of items fills the capacity better in that example?",
                         "在那个例子里，哪种物品组合能更好地利用容量？"),
                    step=("Enumerate all subsets of the three items and compare their values.",
                          "列举这三件物品的所有子集，比较它们的价值。"),
                ),
            ),
            code=(
                "def knapsack(items, W):\n"
                "    dp = [0] * (W + 1)\n"
                "    for w, v in items:\n"
                "        for c in range(W, w - 1, -1):\n"
                "            dp[c] = max(dp[c], dp[c - w] + v)\n"
                "    return dp[W]"
            ),
            key=(
                "downward | downwards | down to w | from w down | backwards | backward | in reverse | "
                "reverse order | decreasing | descending | high to low | large to small | largest to smallest | "
                "从高到低 | 倒序 | 递减 | 从大到小 | 逆序 | range(w,w-1,-1) & capacity | loop | iterate | 容量 | 循环 | range( | "
                "c from",
                "dp[c-w]+v | dp[c − w] + v | dp[i-1][c-w]+v | dp[i − 1][c − w] + v | dp[i-1][w-wi]+v",
            ),
        ),
        Exercise(
            "recurrence",
            ("Count the paths from the top-left to the bottom-right cell of an m × n grid moving only right or down.",
             "统计在 m × n 网格中只能向右或向下移动时，从左上角到右下角的路径数。"),
            ("dp[0][j] = dp[i][0] = 1, and dp[i][j] = dp[i − 1][j] + dp[i][j − 1]; the answer dp[m − 1][n − 1] equals C(m + n − 2, m − 1).",
             "dp[0][j] = dp[i][0] = 1，dp[i][j] = dp[i − 1][j] + dp[i][j − 1]；答案 dp[m − 1][n − 1] 等于 C(m + n − 2, m − 1)。"),
            (
                Mistake(
                    attempt=("uses dp[i][j] = dp[i − 1][j] * dp[i][j − 1].",
                             "使用 dp[i][j] = dp[i − 1][j] * dp[i][j − 1]。"),
                    alt=("“Every cell of my table ends up as 1.”",
                         "“我的表里每个格子最后都是 1。”"),
                    diag=("Paths arriving from above and paths arriving from the left are different paths, so their counts combine by adding.",
                          "从上方到达的路径和从左边到达的路径是不同的路径，所以它们的数量应该相加。"),
                    ask=("If 2 paths reach the cell above and 3 reach the cell on the left, how many reach this cell?",
                         "如果有 2 条路径到达上方格子、3 条到达左边格子，那么到达这个格子的有几条？"),
                    step=("Fill a 3 × 3 table by hand.",
                          "手工填一张 3 × 3 的表。"),
                ),
                Mistake(
                    attempt=("doesn't set up the first row and column, so those cells read outside the table.",
                             "没有初始化第一行和第一列，结果这些格子读到了表外。"),
                    alt=("“dp[0][j] reads dp[-1][j] and gets a wrong value.”",
                         "“dp[0][j] 读取了 dp[-1][j]，得到一个错误的值。”"),
                    diag=("Cells in the top row and the left column have only one neighbour they can be reached from.",
                          "第一行和第一列的格子只有一个可以到达它们的邻居。"),
                    ask=("How many paths reach any cell of the first row?",
                         "到达第一行任意一个格子的路径有多少条？"),
                    step=("Print the first row and column of your table right after initialisation.",
                          "初始化之后立刻打印表的第一行和第一列。"),
                ),
                Mistake(
                    attempt=("uses plain recursion without storing results, and it never finishes for a 20 × 20 grid.",
                             "使用不保存结果的普通递归，对 20 × 20 的网格一直算不完。"),
                    alt=("“My recursion never finishes for a 20 × 20 grid.”",
                         "“对 20 × 20 的网格，我的递归一直算不完。”"),
                    diag=("The same subproblems are counted again and again by different branches of the recursion.",
                          "同样的子问题被递归的不同分支一遍又一遍地重复计算。"),
                    ask=("How many times is paths(1, 1) computed for a 5 × 5 grid?",
                         "对 5 × 5 的网格，paths(1, 1) 被计算了多少次？"),
                    step=("Add a memo dictionary and count the calls before and after.",
                          "加一个备忘录字典，比较加之前和之后的调用次数。"),
                ),
            ),
            code=(
                "def unique_paths(m, n):\n"
                "    dp = [[1] * n for _ in range(m)]\n"
                "    for i in range(1, m):\n"
                "        for j in range(1, n):\n"
                "            dp[i][j] = dp[i - 1][j] + dp[i][j - 1]\n"
                "    return dp[m - 1][n - 1]"
            ),
            key=(
                "dp[i-1][j]+dp[i][j-1] | dp[i − 1][j] + dp[i][j − 1] | dp[i][j-1]+dp[i-1][j] | "
                "dp[i][j − 1] + dp[i − 1][j]",
                "c(m+n-2,m-1) | c(m + n − 2, m − 1) | c(m+n-2,n-1) | c(m + n − 2, n − 1) | binomial | 组合数 | 二项式系数",
                "2+3=5 | 5 paths | 5条路径 | 5条 | is 5 | 是5 | 为5 | 等于5",
                "first row | top row | first column | left column | 第一行 | 第一列 | 首行 | 首列 | dp[0][j] | dp[i][0] & =1 | "
                "are 1 | are all 1 | is 1 | all 1 | 1 path | exactly 1 | only 1 path | 为1 | 是1 | 都是1 | 全是1 | 全为1 | "
                "都为1 | 等于1 | 只有1条 | 1条路径",
            ),
        ),
        Exercise(
            "order",
            ("Compute the edit distance between two words, where insert, delete and replace each cost 1.",
             "计算两个单词之间的编辑距离，插入、删除和替换的代价都是 1。"),
            ("dp[i][0] = i and dp[0][j] = j; if a[i − 1] == b[j − 1] then dp[i][j] = dp[i − 1][j − 1], else 1 + min(dp[i − 1][j] (delete), dp[i][j − 1] (insert), dp[i − 1][j − 1] (replace)); answer dp[n][m].",
             "dp[i][0] = i，dp[0][j] = j；若 a[i − 1] == b[j − 1]，则 dp[i][j] = dp[i − 1][j − 1]，否则 dp[i][j] = 1 + min(dp[i − 1][j]（删除）、dp[i][j − 1]（插入）、dp[i − 1][j − 1]（替换））；答案为 dp[n][m]。"),
            (
                Mistake(
                    attempt=("fills the first row with dp[0][j] = 0.",
                             "把第一行填成 dp[0][j] = 0。"),
                    alt=("“The distance from '' to 'abc' comes out as 0.”",
                         "“从 '' 到 'abc' 的距离算出来是 0。”"),
                    diag=("Turning an empty string into j characters takes j insertions, so the base row of the table can't be 0.",
                          "把空串变成 j 个字符需要 j 次插入，所以表的初始行不能是 0。"),
                    ask=("What is the edit distance between the empty string and a string of length j?",
                         "空串和长度为 j 的字符串之间的编辑距离是多少？"),
                    step=("Fill row 0 and column 0 for '' versus 'ab'.",
                          "为 '' 和 'ab' 填写第 0 行和第 0 列。"),
                ),
                Mistake(
                    attempt=("adds 1 even when the two characters match.",
                             "即使两个字符相同也加 1。"),
                    alt=("“distance('a', 'a') is 1 in my table.”",
                         "“在我的表里 distance('a', 'a') 是 1。”"),
                    diag=("Matching characters cost nothing, so that cell should inherit its diagonal neighbour unchanged.",
                          "相同的字符不需要任何代价，所以这个格子应该原样继承它的对角邻居。"),
                    ask=("Which cell do you take when a[i − 1] == b[j − 1], and does it need + 1?",
                         "当 a[i − 1] == b[j − 1] 时你取哪个格子？需要加 1 吗？"),
                    step=("Fill the 2 × 2 table for 'a' versus 'a'.",
                          "为 'a' 和 'a' 填写 2 × 2 的表。"),
                ),
                Mistake(
                    attempt=("takes the minimum over replace and delete only, leaving out insert.",
                             "只在替换和删除之间取最小值，漏掉了插入。"),
                    alt=("“distance('a', 'ab') is 2 instead of 1.”",
                         "“distance('a', 'ab') 是 2 而不是 1。”"),
                    diag=("One of the three operations is missing from the minimum in your recurrence.",
                          "你的递推式在取最小值时漏掉了三种操作中的一种。"),
                    ask=("Which neighbouring cell corresponds to inserting a character?",
                         "哪个相邻格子对应插入一个字符？"),
                    step=("Label dp[i − 1][j], dp[i][j − 1] and dp[i − 1][j − 1] with the operation each one represents.",
                          "为 dp[i − 1][j]、dp[i][j − 1] 和 dp[i − 1][j − 1] 分别标上它们代表的操作。"),
                ),
            ),
            code=(
                "def edit_distance(a, b):\n"
                "    n, m = len(a), len(b)\n"
                "    dp = [[0] * (m + 1) for _ in range(n + 1)]\n"
                "    for i in range(n + 1):\n"
                "        dp[i][0] = i\n"
                "    for j in range(m + 1):\n"
                "        dp[0][j] = j\n"
                "    for i in range(1, n + 1):\n"
                "        for j in range(1, m + 1):\n"
                "            if a[i - 1] == b[j - 1]:\n"
                "                dp[i][j] = dp[i - 1][j - 1]\n"
                "            else:\n"
                "                dp[i][j] = 1 + min(dp[i - 1][j], dp[i][j - 1], dp[i - 1][j - 1])\n"
                "    return dp[n][m]"
            ),
            key=(
                "dp[0][j]=j | dp[i][0]=i",
                "empty | 空 & is j | equals j | =j | 距离是j | 距离为j | 距离等于j | 就是j | 是j次",
                "dp[i][j]=dp[i-1][j-1] | dp[i][j] = dp[i − 1][j − 1] | copy the diagonal | 继承对角 | 直接取对角 | no +1 | "
                "without +1 | 不加1 | 不需要加1 | 不用加1 | cost 0 | costs 0 | 代价为0",
                "1+min(dp[i-1][j],dp[i][j-1],dp[i-1][j-1]) | 1 + min(dp[i − 1][j], dp[i][j − 1], dp[i − 1][j − 1])",
                "dp[i][j-1](insert) | dp[i][j-1](插入) | dp[i][j-1] is the insert | dp[i][j-1] is insertion | "
                "insertion is dp[i][j-1] | 插入对应dp[i][j-1] | 插入是dp[i][j-1] | left neighbour is the insert | 左边是插入 | "
                "左边对应插入 | insert comes from the left | 插入来自左边",
            ),
        ),
        Exercise(
            "greedy_vs_dp",
            ("House robber: choose elements of an array of non-negative numbers, no two adjacent, to maximise their sum.",
             "打家劫舍：从一个非负数数组中选取若干元素，任意两个不相邻，使它们的和最大。"),
            ("dp[i] = max(dp[i − 1], dp[i − 2] + a[i]) (skip house i or rob it), with dp[−1] = dp[−2] = 0; keep only the last two values; the answer is the final value.",
             "dp[i] = max(dp[i − 1], dp[i − 2] + a[i])（跳过第 i 间或抢第 i 间），令 dp[−1] = dp[−2] = 0；只需保留最后两个值；答案是最后的值。"),
            (
                Mistake(
                    attempt=("takes either all even-indexed or all odd-indexed elements, whichever sum is larger.",
                             "取所有偶数下标或所有奇数下标的元素，看哪个和更大。"),
                    alt=("“[2, 1, 1, 9] gives 3 instead of 11.”",
                         "“[2, 1, 1, 9] 得到 3，而不是 11。”"),
                    diag=("The best choice may skip two houses in a row, which neither alternating pattern allows.",
                          "最优的选择可能连续跳过两间房子，而两种交替模式都不允许这样做。"),
                    ask=("In [2, 1, 1, 9], which elements would you take, and what does the state of the best smaller prefix look like?",
                         "在 [2, 1, 1, 9] 中你会选哪些元素？更短前缀的最优状态是什么样子？"),
                    step=("Define dp[i] as the best sum using the first i houses and fill it for this example.",
                          "把 dp[i] 定义为只用前 i 间房子时的最大和，并为这个例子填表。"),
                ),
                Mistake(
                    attempt=("uses the recurrence dp[i] = dp[i − 1] + a[i].",
                             "使用递推式 dp[i] = dp[i − 1] + a[i]。"),
                    alt=("“I get the total sum, robbing adjacent houses.”",
                         "“我得到的是总和，相邻的房子也被抢了。”"),
                    diag=("Taking a[i] forbids taking a[i − 1], so its value can't simply be added to dp[i − 1].",
                          "选了 a[i] 就不能选 a[i − 1]，所以不能直接把它加到 dp[i − 1] 上。"),
                    ask=("If you rob house i, what is the best total from the earlier houses that are still allowed?",
                         "如果抢了第 i 间，前面仍然允许抢的房子最多能得到多少？"),
                    step=("Write the two options for house i in words: skip it, or rob it.",
                          "用文字写出第 i 间房的两个选项：跳过它，或者抢它。"),
                ),
                Mistake(
                    attempt=("greedily takes the largest remaining house and removes its neighbours.",
                             "贪心地选择剩下的最大那间房子，并删除它的邻居。"),
                    alt=("“[3, 4, 3] gives 4 instead of 6.”",
                         "“[3, 4, 3] 得到 4，而不是 6。”"),
                    diag=("Taking the biggest house blocks two neighbours that together are worth more, so the locally best choice isn't optimal.",
                          "选最大的房子会挡住两个加起来更值钱的邻居，所以局部最好的选择并不是最优的。"),
                    ask=("Is 4 better than 3 + 3?",
                         "4 比 3 + 3 更好吗？"),
                    step=("Compare the greedy answer and a table-based answer on [3, 4, 3].",
                          "在 [3, 4, 3] 上比较贪心答案和用表算出的答案。"),
                ),
            ),
            code=(
                "def rob(a):\n"
                "    prev2, prev1 = 0, 0\n"
                "    for x in a:\n"
                "        prev2, prev1 = prev1, max(prev1, prev2 + x)\n"
                "    return prev1"
            ),
            key=(
                "max(dp[i-1],dp[i-2]+a[i]) | max(dp[i − 1], dp[i − 2] + a[i]) | dp[i-2]+a[i] | dp[i − 2] + a[i] | "
                "prev2+x | a[i]+dp[i-2] | a[i] + dp[i − 2]",
                "i-2 | i − 2 | house before the previous | 前前一间 | 隔一间 | 跳过前一间 & a[i] | rob | take | 抢 | 选 | add | "
                "plus | 加上",
            ),
        ),
        Exercise(
            "state",
            ("Find the length of the longest strictly increasing subsequence of an array in O(n²).",
             "在 O(n²) 时间内求数组最长严格递增子序列的长度。"),
            ("Let dp[i] be the length of the longest increasing subsequence ending exactly at a[i]: dp[i] = 1 + max(dp[j] for j < i with a[j] < a[i]), or 1 if none; the answer is max(dp).",
             "令 dp[i] 为恰好以 a[i] 结尾的最长递增子序列长度：dp[i] = 1 + max(dp[j])，其中 j < i 且 a[j] < a[i]，若没有这样的 j 则为 1；答案为 max(dp)。"),
            (
                Mistake(
                    attempt=("defines dp[i] as the LIS length of the first i elements and tries to extend it with a[i].",
                             "把 dp[i] 定义为前 i 个元素的最长递增子序列长度，然后试图用 a[i] 去延长它。"),
                    alt=("“From dp[i − 1] alone I can't tell whether a[i] can be appended.”",
                         "“只看 dp[i − 1]，我无法判断 a[i] 能不能接上去。”"),
                    diag=("Knowing only the length doesn't tell you the last element, and the last element decides whether a[i] can extend the subsequence.",
                          "只知道长度并不知道最后一个元素，而正是最后一个元素决定了 a[i] 能否延长这个子序列。"),
                    ask=("What if dp[i] were the length of the longest increasing subsequence ending exactly at a[i]?",
                         "如果让 dp[i] 表示恰好以 a[i] 结尾的最长递增子序列长度，会怎样？"),
                    step=("Fill that table for [3, 1, 2, 4].",
                          "为 [3, 1, 2, 4] 填写这样的表。"),
                ),
                Mistake(
                    attempt=("returns dp[n − 1] instead of the maximum over all i.",
                             "返回 dp[n − 1]，而不是所有 i 中的最大值。"),
                    alt=("“For [3, 4, 1] I return 1, but the answer is 2.”",
                         "“对 [3, 4, 1]，我返回 1，可答案是 2。”"),
                    diag=("With the state 'ending at i', the best subsequence may end at any index, not only the last.",
                          "在“以 i 结尾”的状态定义下，最优子序列可能在任何下标结束，而不只是最后一个。"),
                    ask=("Where can the longest increasing subsequence end?",
                         "最长递增子序列可能在哪里结束？"),
                    step=("Print the whole dp array for [3, 4, 1].",
                          "打印 [3, 4, 1] 的整个 dp 数组。"),
                ),
                Mistake(
                    attempt=("extends with `a[j] <= a[i]`, counting non-strict sequences.",
                             "用 `a[j] <= a[i]` 来延长，统计成了非严格递增的序列。"),
                    alt=("“[2, 2] gives 2, but it should be 1 for strictly increasing.”",
                         "“[2, 2] 得到 2，可对严格递增来说应该是 1。”"),
                    diag=("Your transition allows equal elements to extend the subsequence.",
                          "你的转移允许相等的元素延长子序列。"),
                    ask=("Should equal values extend a strictly increasing subsequence?",
                         "相等的值能延长一个严格递增的子序列吗？"),
                    step=("Check the comparison in your transition on [2, 2].",
                          "在 [2, 2] 上检查你的转移中的比较。"),
                ),
            ),
            code=(
                "def lis_length(a):\n"
                "    if not a:\n"
                "        return 0\n"
                "    dp = [1] * len(a)\n"
                "    for i in range(len(a)):\n"
                "        for j in range(i):\n"
                "            if a[j] < a[i]:\n"
                "                dp[i] = max(dp[i], dp[j] + 1)\n"
                "    return max(dp)"
            ),
            key=(
                "1+max(dp[j] | max(dp[j])+1 | dp[j]+1 | dp[i]=max(dp[i],dp[j]+1)",
                "return max(dp) | max(dp) | 返回max(dp) | maximum of dp | max over dp | dp中的最大值 | dp的最大值 | dp数组的最大值 | "
                "整个dp数组中的最大值 | 所有dp[i]中的最大值 | 所有dp[i]的最大值",
                "a[j]<a[i] | use < instead of <= | < instead of <= | < rather than <= | 用<而不是<= | 改成< | 改为< | 换成< | "
                "equal values must not | equal values should not | equal values cannot | equal values can't | "
                "相等的值不能 | 相等的元素不能 | 相等的值不应",
            ),
        ),
        Exercise(
            "memo_vs_table",
            ("Compare top-down memoisation and bottom-up tabulation for computing fib(n). How much memory does each need?",
             "比较用自顶向下记忆化和自底向上制表计算 fib(n)。两者各需要多少内存？"),
            ("Memoisation recurses and caches results (O(n) memo plus O(n) call stack, computing only reachable states); tabulation fills dp[0..n] left to right with a loop (O(n) table), and since each value needs only the previous two, it can be reduced to O(1) with two variables.",
             "记忆化通过递归并缓存结果（O(n) 的备忘录加 O(n) 的调用栈，只计算可达的状态）；制表法用循环从左到右填写 dp[0..n]（O(n) 的表），而由于每个值只依赖前两个，可以用两个变量把空间降到 O(1)。"),
            (
                Mistake(
                    attempt=("says tabulation also needs recursion, just with a table added.",
                             "说制表法同样需要递归，只是多加了一张表。"),
                    alt=("“Tabulation is just recursion with a table.”",
                         "“制表法不过就是带一张表的递归。”"),
                    diag=("Tabulation fills the table with plain loops, in an order where every dependency of a cell is already computed.",
                          "制表法用普通循环填表，并按照每个格子的依赖都已算好的顺序进行。"),
                    ask=("In which order must the fib values be computed so that each one's inputs already exist?",
                         "fib 的值应该按什么顺序计算，才能保证每个值需要的输入都已存在？"),
                    step=("Fill dp[0] to dp[6] by hand from left to right.",
                          "从左到右手工填写 dp[0] 到 dp[6]。"),
                ),
                Mistake(
                    attempt=("claims memoisation always computes every subproblem, just like the table.",
                             "声称记忆化总会像制表一样计算所有子问题。"),
                    alt=("“Memoisation always does at least as much work as the table.”",
                         "“记忆化的工作量总是不少于制表。”"),
                    diag=("Top-down memoisation only solves the subproblems that the recursion actually reaches.",
                          "自顶向下的记忆化只求解递归真正到达的那些子问题。"),
                    ask=("For a problem where only a few states are reachable, which approach visits fewer states?",
                         "对于只有少数状态可达的问题，哪种方法访问的状态更少？"),
                    step=("Count the states each approach visits for a recurrence like f(n) = f(n // 2) + 1 with n = 1000.",
                          "对 n = 1000 的递推 f(n) = f(n // 2) + 1，数一数两种方法各访问了多少个状态。"),
                ),
                Mistake(
                    attempt=("keeps the full O(n) table although only the last two values are ever read.",
                             "一直保留完整的 O(n) 表，尽管只会读取最后两个值。"),
                    alt=("“My table uses O(n) memory — can it be less?”",
                         "“我的表用了 O(n) 的内存，能不能更少？”"),
                    diag=("Each fib value depends only on the two values before it, so most of the table is never read again.",
                          "每个 fib 值只依赖它前面的两个值，所以表的大部分内容再也不会被读取。"),
                    ask=("How many previous values of the table must you keep at any moment?",
                         "在任何时刻，表里需要保留几个之前的值？"),
                    step=("Rewrite the loop with two variables and check that fib(10) = 55.",
                          "用两个变量改写循环，检查 fib(10) 是否等于 55。"),
                ),
            ),
            key=(
                "is o(1) | 降到o(1) | reduced to o(1) | reduce it to o(1) | down to o(1) | o(1) space | o(1) memory | "
                "o(1)空间 | o(1)的空间 | o(1)内存 | o(1)的内存 | o(1) extra | constant space | constant memory | "
                "constant extra | 常数空间 | 常数的空间",
                "o(n) & call stack | stack | 调用栈 | 栈 & memo | 记忆化 | recursion | 递归",
            ),
        ),
        Exercise(
            "recurrence",
            ("Find the maximum sum of a non-empty contiguous subarray in O(n).",
             "在 O(n) 时间内求非空连续子数组的最大和。"),
            ("Kadane: keep `cur`, the best sum of a subarray ending at i: `cur = max(a[i], cur + a[i])`, and `best = max(best, cur)`, both starting from a[0]; return best.",
             "Kadane 算法：维护 `cur`，即以 i 结尾的子数组的最大和：`cur = max(a[i], cur + a[i])`，以及 `best = max(best, cur)`，两者都从 a[0] 开始；返回 best。"),
            (
                Mistake(
                    attempt=("starts `best = 0`, so it returns 0 for an all-negative array.",
                             "令 `best = 0` 开始，结果全负数组返回 0。"),
                    alt=("“For [-3, -1, -2] I return 0 instead of −1.”",
                         "“对 [-3, -1, -2]，我返回 0 而不是 −1。”"),
                    diag=("Starting best at 0 is the base case for an empty subarray, which this exercise doesn't allow.",
                          "让 best 从 0 开始，相当于把空子数组当作初始情况，而本题不允许空子数组。"),
                    ask=("If the subarray must be non-empty, what should best start as?",
                         "如果子数组必须非空，best 应该从什么值开始？"),
                    step=("Trace [-3, -1, -2] with your starting values.",
                          "用你的初始值追踪 [-3, -1, -2]。"),
                ),
                Mistake(
                    attempt=("updates `cur = max(cur, cur + a[i])`, never letting a subarray start fresh at a[i].",
                             "用 `cur = max(cur, cur + a[i])` 更新，从不允许子数组在 a[i] 处重新开始。"),
                    alt=("“[-5, 4] gives −1 instead of 4.”",
                         "“[-5, 4] 得到 −1 而不是 4。”"),
                    diag=("Your recurrence never lets the best subarray ending at i consist of a[i] alone.",
                          "你的递推式从不允许以 i 结尾的最优子数组只由 a[i] 自己构成。"),
                    ask=("What are the two options for the best subarray that ends exactly at i?",
                         "恰好以 i 结尾的最优子数组有哪两种选择？"),
                    step=("Trace [-5, 4] and write cur after each element.",
                          "追踪 [-5, 4]，写下处理每个元素后的 cur。"),
                ),
                Mistake(
                    attempt=("sums every pair (i, j) separately, which is O(n³).",
                             "对每一对 (i, j) 分别求和，复杂度 O(n³)。"),
                    alt=("“It's correct, but very slow.”",
                         "“结果正确，但非常慢。”"),
                    diag=("Many sums are recomputed, although the best subarray ending at i can be built from the subproblem ending at i − 1.",
                          "许多和被重复计算，而以 i 结尾的最优子数组可以由以 i − 1 结尾的子问题构造出来。"),
                    ask=("How does the best sum ending at i relate to the best sum ending at i − 1?",
                         "以 i 结尾的最大和，与以 i − 1 结尾的最大和有什么关系？"),
                    step=("Write the best sum ending at each index for [−2, 1, −3, 4].",
                          "为 [−2, 1, −3, 4] 写出以每个下标结尾的最大和。"),
                ),
            ),
            code=(
                "def max_subarray(a):\n"
                "    cur = best = a[0]\n"
                "    for x in a[1:]:\n"
                "        cur = max(x, cur + x)\n"
                "        best = max(best, cur)\n"
                "    return best"
            ),
            key=(
                "max(a[i],cur+a[i]) | max(x,cur+x) | max(cur+a[i],a[i]) | max(cur+x,x)",
                "cur=a[i] | cur=x | reset cur | resets cur | 重置cur | 把cur重置 | discard the previous | "
                "drop the previous | throw away the previous | restart at a[i] | restart from a[i] | "
                "restart the subarray | 从a[i]重新开始 | 丢弃前面 | 丢弃之前 | 丢掉前面 | 舍弃前面 | 舍弃之前 | cur+a[i]<a[i] | "
                "when cur is negative | if cur is negative | if cur<0 | when cur<0 | cur为负 | cur小于0 | cur<0时",
                "best=a[0] | best=-inf | best=float('-inf') | best=-float('inf') | best=-math.inf | "
                "starting from a[0] | starting at a[0] | start at a[0] | start from a[0] | 从a[0]开始",
                "best & first element | a[0] | 第一个元素 | 首个元素 | negative infinity | 负无穷 & start | starting | initial | "
                "initialise | initialize | 开始 | 初始 | 初值 | 设为",
            ),
        ),
        Exercise(
            "order",
            ("Count the ways to make amount A from given coin denominations, where the order of the coins doesn't matter.",
             "统计用给定面值凑出金额 A 的方法数，硬币的顺序不计。"),
            ("dp[0] = 1; for each coin c (outer loop), for a from c to A (inner loop), dp[a] += dp[a − c]; putting coins in the outer loop counts each combination once. Answer dp[A].",
             "dp[0] = 1；对每种面值 c（外层循环），让 a 从 c 到 A（内层循环），执行 dp[a] += dp[a − c]；把面值放在外层循环，每种组合只被计数一次。答案为 dp[A]。"),
            (
                Mistake(
                    attempt=("loops over amounts in the outer loop and coins in the inner loop.",
                             "外层循环遍历金额，内层循环遍历面值。"),
                    alt=("“For coins {1, 2} and A = 3 I get 3 instead of 2.”",
                         "“面值 {1, 2}、A = 3 时，我得到 3 而不是 2。”"),
                    diag=("With amounts in the outer loop, 1 + 2 and 2 + 1 are counted as different ways, so the table counts orderings.",
                          "把金额放在外层循环时，1 + 2 和 2 + 1 被当作不同的方法，表统计的就成了排列。"),
                    ask=("Which loop order makes each combination of coins appear only once?",
                         "哪种循环顺序能让每种硬币组合只出现一次？"),
                    step=("Trace both loop orders for A = 3 and list what each cell counts.",
                          "对 A = 3 追踪两种循环顺序，列出每个格子数的是什么。"),
                ),
                Mistake(
                    attempt=("sets dp[0] = 0.",
                             "令 dp[0] = 0。"),
                    alt=("“All my counts come out as 0.”",
                         "“我算出来的方法数全是 0。”"),
                    diag=("There is exactly one way to make the amount 0, using no coins, and every other cell builds on that base case.",
                          "凑出金额 0 恰好有一种方法，就是一枚硬币都不用，而其他每个格子都建立在这个初始条件之上。"),
                    ask=("How many ways are there to make the amount 0?",
                         "凑出金额 0 有多少种方法？"),
                    step=("Trace coins {1} with A = 2 cell by cell.",
                          "逐个格子追踪面值 {1}、A = 2 的情况。"),
                ),
                Mistake(
                    attempt=("updates `dp[a] += dp[a - c]` for every a from 0, without checking a ≥ c.",
                             "对从 0 开始的每个 a 都执行 `dp[a] += dp[a - c]`，没有检查 a ≥ c。"),
                    alt=("“Negative indices make some of my counts wrong.”",
                         "“负数下标让我的一些计数出错了。”"),
                    diag=("a − c can be negative, and Python then reads a cell from the end of the table.",
                          "a − c 可能为负数，这时 Python 会从表的末尾读取一个格子。"),
                    ask=("For which amounts can coin c actually be used?",
                         "面值 c 实际上能用于哪些金额？"),
                    step=("Print a − c for every update with coin 5 and A = 3.",
                          "用面值 5 和 A = 3，打印每次更新时的 a − c。"),
                ),
            ),
            code=(
                "def count_ways(coins, A):\n"
                "    dp = [1] + [0] * A\n"
                "    for c in coins:\n"
                "        for a in range(c, A + 1):\n"
                "            dp[a] += dp[a - c]\n"
                "    return dp[A]"
            ),
            key=(
                "coins in the outer loop | coins outer | coin loop outside | outer loop over coins | "
                "outer loop over the coins | 外层循环遍历面值 | 面值放在外层 | 面值在外层 | 外层是面值 | 外层遍历面值 | 外层循环是面值 | 先遍历面值 | "
                "for c in coins first | loop over coins first | swap the loops | swap the 2 loops | 交换两层循环 | "
                "交换循环顺序 | 把两层循环交换 | amounts inside | amounts in the inner loop | 金额放在内层 | 内层循环遍历金额 | 金额在内层",
                "dp[0]=1",
                "range(c,a+1) | for a in range(c | from c to a | a from c | 从c到a | 从c开始 | start at c | "
                "start from c | starting at c | starting from c",
            ),
        ),
        Exercise(
            "greedy_vs_dp",
            ("Weighted interval scheduling: choose non-overlapping intervals with the largest total weight.",
             "带权区间调度：选择若干互不重叠的区间，使总权重最大。"),
            ("Sort by finish time; let p(i) be the last interval that finishes before interval i starts (found by binary search on finish times); dp[i] = max(dp[i − 1], w[i] + dp[p(i)]), O(n log n).",
             "按结束时间排序；令 p(i) 为在区间 i 开始之前结束的最后一个区间（在结束时间上二分查找得到）；dp[i] = max(dp[i − 1], w[i] + dp[p(i)])，时间 O(n log n)。"),
            (
                Mistake(
                    attempt=("greedily picks intervals by earliest finish time, as for unweighted scheduling.",
                             "像无权调度那样，按最早结束时间贪心地挑选区间。"),
                    alt=("“With [0, 3] of weight 10 and [1, 2] of weight 1, greedy keeps the weight-1 interval.”",
                         "“有权重为 10 的 [0, 3] 和权重为 1 的 [1, 2]，贪心保留了权重为 1 的区间。”"),
                    diag=("Earliest finish time is optimal when all weights are equal, but with weights the locally best choice can lose.",
                          "当所有权重相等时最早结束是最优的，但有了权重后，局部最好的选择可能会吃亏。"),
                    ask=("Which interval would you rather keep in that example?",
                         "在那个例子里你更想保留哪个区间？"),
                    step=("Sort by finish time and define dp[i] as the best total using only the first i intervals.",
                          "按结束时间排序，把 dp[i] 定义为只用前 i 个区间时的最大总权重。"),
                ),
                Mistake(
                    attempt=("uses dp[i] = max(dp[i − 1], w[i] + dp[i − 1]).",
                             "使用 dp[i] = max(dp[i − 1], w[i] + dp[i − 1])。"),
                    alt=("“My answer includes intervals that overlap.”",
                         "“我的答案里包含了相互重叠的区间。”"),
                    diag=("Taking interval i is only compatible with the intervals that finish before it starts, not with every state up to i − 1.",
                          "选了区间 i，就只能和在它开始之前结束的区间兼容，而不是和 i − 1 之前的所有状态兼容。"),
                    ask=("Which earlier interval is the last one that doesn't overlap interval i?",
                         "哪个更早的区间是最后一个不与区间 i 重叠的？"),
                    step=("For each interval of a small example, find p(i), the last one finishing before it starts.",
                          "对一个小例子中的每个区间，找出 p(i)，即在它开始前结束的最后一个区间。"),
                ),
                Mistake(
                    attempt=("finds p(i) by scanning backwards from i every time, which is O(n²).",
                             "每次都从 i 往回扫描来找 p(i)，复杂度 O(n²)。"),
                    alt=("“It's correct, but slow for 100,000 intervals.”",
                         "“结果正确，但 100,000 个区间时很慢。”"),
                    diag=("The intervals are sorted by finish time, so p(i) can be found faster than by a backward scan for each state.",
                          "区间已经按结束时间排好序，所以对每个状态来说，p(i) 可以比往回扫描更快地找到。"),
                    ask=("How could binary search find the last interval that finishes before start[i]?",
                         "怎样用二分查找找到在 start[i] 之前结束的最后一个区间？"),
                    step=("Use `bisect_right` on the list of finish times for one interval of an example.",
                          "在一个例子里，对某个区间在结束时间列表上使用 `bisect_right`。"),
                ),
            ),
            code=(
                "from bisect import bisect_right\n\n"
                "def max_weight(intervals):  # (start, finish, weight)\n"
                "    intervals = sorted(intervals, key=lambda t: t[1])\n"
                "    finishes = [f for _, f, _ in intervals]\n"
                "    dp = [0] * (len(intervals) + 1)\n"
                "    for i, (s, f, w) in enumerate(intervals, start=1):\n"
                "        p = bisect_right(finishes, s, 0, i - 1)\n"
                "        dp[i] = max(dp[i - 1], w + dp[p])\n"
                "    return dp[-1]"
            ),
            key=(
                "w[i]+dp[p(i)] | dp[p(i)]+w[i] | w+dp[p] | max(dp[i-1],w[i]+dp[p(i)])",
                "is o(nlogn) | in o(nlogn) | runs in o(nlogn) | 是o(nlogn) | 为o(nlogn) | 时间o(nlogn) | 总共o(nlogn) | "
                "o(nlogn) overall | o(nlogn) total | o(nlogn) in total | o(nlogn)时间",
                "w[i] | its weight | weight of i | 它的权重 | 区间i的权重 | 权重 & dp[p(i)] | best up to p(i) | "
                "best value up to p(i) | best total up to p(i) | p(i)为止 | 到p(i) | 前p(i) | last compatible | "
                "last non-overlapping | 最后一个不重叠 | 最后一个兼容 & plus | + | add | 加上 | 加",
            ),
        ),
    ),
)
