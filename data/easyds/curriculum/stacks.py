from .schema import Exercise, Mistake, Point, Topic

TOPIC = Topic(
    key="stacks",
    name=("Stacks", "栈"),
    keywords=(
        ("stack", "push", "pop", "top", "peek", "LIFO", "bracket", "operator", "operand", "last-in"),
        ("栈", "入栈", "出栈", "栈顶", "压入", "弹出", "后进先出", "括号", "运算符", "操作数"),
    ),
    points={
        "lifo": Point(
            ("LIFO order and stack operations", "后进先出与栈的基本操作"),
            ("A stack gives elements back in the order they were added, so the first element pushed is the first one popped.",
             "栈按元素加入的顺序把它们取出来，所以最先压入的元素最先弹出。"),
        ),
        "matching": Point(
            ("matching with a stack", "用栈做匹配"),
            ("A bracket string is balanced whenever each type of bracket has as many openers as closers; the order doesn't matter.",
             "只要每种括号的左括号和右括号数量相等，括号串就是平衡的，顺序无关紧要。"),
        ),
        "expressions": Point(
            ("evaluating expressions", "表达式求值"),
            ("In postfix evaluation the order of the two popped operands never matters, because every operator gives the same result either way.",
             "在后缀表达式求值中，弹出的两个操作数的顺序从来都无所谓，因为每个运算符无论哪种顺序结果都一样。"),
        ),
        "monotonic": Point(
            ("monotonic stacks", "单调栈"),
            ("A monotonic stack takes O(n²) time in total, because one element can be pushed and popped many times.",
             "单调栈总共需要 O(n²) 时间，因为同一个元素可能被压入和弹出很多次。"),
        ),
        "call_stack": Point(
            ("stacks and recursion", "栈与递归"),
            ("Turning a recursive traversal into a loop never needs a stack; a single variable can always remember where to continue.",
             "把递归遍历改写成循环从来不需要栈，用一个变量总能记住接下来从哪里继续。"),
        ),
    },
    facts=(
        ("A stack is last-in, first-out: push and pop both work on the same end, the top, in O(1).",
         "栈是后进先出的：压入和弹出都在同一端（栈顶）进行，代价为 O(1)。"),
        ("Function calls are managed with a call stack, so every recursive algorithm can be rewritten with an explicit stack.",
         "函数调用由调用栈管理，所以每个递归算法都可以改写成使用显式栈的形式。"),
        ("In a monotonic stack each element is pushed and popped at most once, so the total work is O(n).",
         "在单调栈中，每个元素最多被压入和弹出各一次，所以总工作量是 O(n)。"),
    ),
    exercises=(
        Exercise(
            "lifo",
            ("Implement a stack on a Python list with push, pop and peek, each in O(1).",
             "用 Python 列表实现一个栈，push、pop 和 peek 都要求 O(1)。"),
            ("Use the end of the list as the top: push is `items.append(x)`, pop is `items.pop()`, peek is `items[-1]`, and both pop and peek raise a clear error when the list is empty.",
             "把列表末尾当作栈顶：push 用 `items.append(x)`，pop 用 `items.pop()`，peek 用 `items[-1]`；列表为空时 pop 和 peek 都抛出明确的错误。"),
            (
                Mistake(
                    attempt=("pushes with `items.insert(0, x)` and pops with `items.pop(0)`.",
                             "用 `items.insert(0, x)` 压栈，用 `items.pop(0)` 出栈。"),
                    alt=("“My stack works, but it gets slow once it holds many elements.”",
                         "“我的栈能用，但元素一多就变慢了。”"),
                    diag=("Using the front of a Python list as the top makes every push and pop shift all the other elements.",
                          "把 Python 列表的开头当作栈顶，每次压栈和出栈都要移动其余所有元素。"),
                    ask=("At which end of a Python list can you add and remove elements in O(1)?",
                         "在 Python 列表的哪一端添加和删除元素是 O(1) 的？"),
                    step=("Time 100,000 pushes with `insert(0, x)` and with `append(x)` and compare.",
                          "分别用 `insert(0, x)` 和 `append(x)` 压栈 100,000 次并计时比较。"),
                ),
                Mistake(
                    attempt=("lets pop on an empty stack fail with the list's own IndexError.",
                             "空栈上执行 pop 时，直接让列表抛出它自己的 IndexError。"),
                    alt=("“Popping an empty stack crashes with ‘pop from empty list’.”",
                         "“对空栈出栈时报 ‘pop from empty list’。”"),
                    diag=("The stack should decide what an empty pop means instead of leaking an error from its internal list.",
                          "栈应该自己决定空栈出栈意味着什么，而不是把内部列表的错误直接漏出来。"),
                    ask=("What should pop and peek do when the stack has no elements?",
                         "当栈里没有元素时，pop 和 peek 应该怎么做？"),
                    step=("Write a test that pops from an empty stack and decide on the behaviour you want.",
                          "写一个对空栈出栈的测试，确定你想要的行为。"),
                ),
                Mistake(
                    attempt=("makes peek return `items[0]`, the bottom of the stack.",
                             "让 peek 返回 `items[0]`，也就是栈底元素。"),
                    alt=("“After pushing 1, 2, 3, peek shows 1.”",
                         "“压入 1、2、3 之后，peek 显示的是 1。”"),
                    diag=("Peek looks at the wrong end of the list, the one your stack treats as the bottom.",
                          "peek 看的是列表错误的那一端，也就是你的栈当作栈底的那一端。"),
                    ask=("Where in the list is the most recently pushed element?",
                         "最近压入的元素在列表的哪个位置？"),
                    step=("Push 1, 2, 3 and print the list to see where the top sits.",
                          "压入 1、2、3，然后打印列表，看看栈顶在哪里。"),
                ),
            ),
            code=(
                "class Stack:\n"
                "    def __init__(self):\n"
                "        self.items = []\n"
                "    def push(self, x):\n"
                "        self.items.append(x)\n"
                "    def pop(self):\n"
                "        if not self.items:\n"
                "            raise IndexError('pop from empty stack')\n"
                "        return self.items.pop()\n"
                "    def peek(self):\n"
                "        if not self.items:\n"
                "            raise IndexError('peek at empty stack')\n"
                "        return self.items[-1]"
            ),
            key=(
                "last element | last item | end of the list | list's end | 末尾 | 最后一个元素 | 最后一项 & as the top | "
                "is the top | 当作栈顶 | 作为栈顶 | 是栈顶 | 当栈顶",
                "use the end of the list | end of the list as the top | end of the list is the top | "
                "top is the end | top at the end | top is the last | last element is the top | "
                "last element as the top | last item is the top | last item as the top | 列表末尾当作栈顶 | 末尾当作栈顶 | "
                "末尾作为栈顶 | 末尾是栈顶 | 末尾当栈顶 | 栈顶在末尾 | 栈顶在列表末尾 | 栈顶是列表末尾 | 栈顶是最后一个元素 | 最后一个元素作为栈顶 | 最后一个元素是栈顶 | 最后一个元素当作栈顶",
                "items[-1] | self.items[-1] | [-1]",
                "append & pop() | pop with no argument | pop without an index | pop without an argument | "
                "不带参数的 pop | pop 不带参数",
            ),
        ),
        Exercise(
            "matching",
            ("Check whether a string of brackets such as '([]{})' is balanced.",
             "判断一个由括号组成的字符串（如 '([]{})'）是否平衡。"),
            ("Push every opening bracket; on a closing bracket, return False if the stack is empty or its top is not the matching opener, otherwise pop; at the end the string is balanced exactly when the stack is empty.",
             "遇到左括号就压栈；遇到右括号时，若栈为空或栈顶不是对应的左括号就返回 False，否则出栈；最后当且仅当栈为空时字符串是平衡的。"),
            (
                Mistake(
                    attempt=("counts opening and closing brackets of each type and compares the counts.",
                             "统计每种括号的左右括号数量，然后比较数量。"),
                    alt=("“My code says '([)]' is balanced.”",
                         "“我的代码说 '([)]' 是平衡的。”"),
                    diag=("Equal counts ignore the order in which the brackets are opened and closed.",
                          "数量相等并不能反映括号打开和关闭的顺序。"),
                    ask=("When you read ')' in '([)]', which bracket is the most recent one still open?",
                         "读到 '([)]' 中的 ')' 时，最近一个仍未闭合的括号是哪个？"),
                    step=("Trace '([)]' and write down the still-open brackets after each character.",
                          "追踪 '([)]'，每读一个字符就写下仍未闭合的括号。"),
                ),
                Mistake(
                    attempt=("uses a stack but never checks that it is empty at the end.",
                             "用了栈，但最后没有检查栈是否为空。"),
                    alt=("“'((' is reported as balanced.”",
                         "“'((' 被判定为平衡。”"),
                    diag=("Every closing bracket found its match, but some opening brackets were never closed.",
                          "每个右括号都找到了匹配，但有些左括号从未被闭合。"),
                    ask=("What should be left on the stack when the whole string is balanced?",
                         "当整个字符串平衡时，栈里应该剩下什么？"),
                    step=("Trace '((' and look at the stack after the last character.",
                          "追踪 '(('，看看读完最后一个字符后栈里有什么。"),
                ),
                Mistake(
                    attempt=("pops on a closing bracket without checking whether the stack is empty.",
                             "遇到右括号就出栈，没有先检查栈是否为空。"),
                    alt=("“The input ')' crashes with ‘pop from empty list’.”",
                         "“输入 ')' 时报 ‘pop from empty list’。”"),
                    diag=("A closing bracket can arrive at a moment when no bracket is open at all.",
                          "右括号可能在没有任何左括号打开的时候出现。"),
                    ask=("What does a closing bracket with an empty stack tell you about the string?",
                         "遇到右括号时栈却是空的，这说明字符串怎么样？"),
                    step=("Test ')' and '())' and trace the stack for each.",
                          "测试 ')' 和 '())'，分别追踪栈的变化。"),
                ),
            ),
            code=(
                "def balanced(s):\n"
                "    pairs = {')': '(', ']': '[', '}': '{'}\n"
                "    stack = []\n"
                "    for ch in s:\n"
                "        if ch in '([{':\n"
                "            stack.append(ch)\n"
                "        elif ch in pairs:\n"
                "            if not stack or stack.pop() != pairs[ch]:\n"
                "                return False\n"
                "    return not stack"
            ),
            key=(
                "push the opening | push every opening | push each opening | push opening | push open | "
                "push the open | push the left | push left | push it onto the stack if it is an opening | 左括号就压栈 | "
                "左括号压栈 | 左括号入栈 | 左括号就入栈 | 左括号就压入 | 压入左括号 | 把左括号压 | 左括号压入",
                "balanced | 平衡 | valid | true | 合法 & stack is empty at the end | stack ends empty | "
                "stack must be empty at the end | stack should be empty at the end | when the stack is empty | "
                "if the stack is empty | iff the stack is empty | nothing is left on the stack | "
                "nothing left on the stack | 最后栈为空 | 最后栈是空的 | 最后栈必须为空 | 最后栈必须是空的 | 栈最终为空 | 最后为空 | 结束时栈为空 | 栈为空时 | "
                "栈是空的时候 | 栈空时 | 栈为空才 | 栈空才 | 最后栈里什么都不剩 | 最后栈中没有剩余",
                "return false | returns false | 返回 false | is unbalanced | not balanced | 不平衡 | 不是平衡 & empty | 为空 | "
                "空栈 | 栈空 | top | 栈顶",
                "top matches | top must match | top is the matching | matches the top | compare it with the top | "
                "compare with the top | 与栈顶匹配 | 和栈顶匹配 | 栈顶是对应 | 栈顶是否是对应 | 与栈顶比较 | 和栈顶比较",
            ),
        ),
        Exercise(
            "expressions",
            ("Evaluate a postfix expression such as '3 4 + 2 *' with a stack.",
             "用栈计算后缀表达式，例如 '3 4 + 2 *'。"),
            ("For each token: push numbers as ints; for an operator pop `right` first and then `left`, push `left op right`; the single value left on the stack is the result ('3 4 + 2 *' = 14).",
             "逐个处理记号：数字转成整数后压栈；遇到运算符时先弹出 `right` 再弹出 `left`，压入 `left op right`；最后栈中剩下的唯一值就是结果（'3 4 + 2 *' = 14）。"),
            (
                Mistake(
                    attempt=("computes `stack.pop() - stack.pop()` for '-', and gets the sign wrong.",
                             "对 '-' 计算 `stack.pop() - stack.pop()`，结果符号错了。"),
                    alt=("“'5 3 -' gives -2 instead of 2.”",
                         "“'5 3 -' 得到 -2 而不是 2。”"),
                    diag=("The first value popped from the stack is the right operand, not the left one.",
                          "从栈中先弹出的值是右操作数，而不是左操作数。"),
                    ask=("In '5 3 -', which operand was pushed first, and which comes off the stack first?",
                         "在 '5 3 -' 中，哪个操作数先入栈？哪个先出栈？"),
                    step=("Write the stack after each token of '5 3 -' and label the left and right operands.",
                          "写出读完 '5 3 -' 每个记号后的栈，并标出左右操作数。"),
                ),
                Mistake(
                    attempt=("pushes the operator tokens onto the stack as well.",
                             "把运算符记号也压进了栈。"),
                    alt=("“At the end my stack holds ['3', '4', '+'] and no result.”",
                         "“最后我的栈里是 ['3', '4', '+']，没有结果。”"),
                    diag=("Operators aren't values; in postfix they act on values that are already on the stack.",
                          "运算符不是值；在后缀表达式里，它们作用于已经在栈中的值。"),
                    ask=("What should happen to the stack when you read an operator?",
                         "读到一个运算符时，栈应该发生什么变化？"),
                    step=("Trace '3 4 +' token by token and say what each token does to the stack.",
                          "逐个记号追踪 '3 4 +'，说出每个记号对栈做了什么。"),
                ),
                Mistake(
                    attempt=("pushes the number tokens as strings, so '3 4 +' gives '34'.",
                             "把数字记号当作字符串压栈，结果 '3 4 +' 得到 '34'。"),
                    alt=("“'3 4 +' evaluates to '34'.”",
                         "“'3 4 +' 算出来是 '34'。”"),
                    diag=("The values on your stack are still strings, so + joins them instead of adding.",
                          "栈中的值仍然是字符串，所以 + 把它们拼接起来而不是相加。"),
                    ask=("What type should the operands on the stack have before you do arithmetic?",
                         "在做算术之前，栈中的操作数应该是什么类型？"),
                    step=("Print `type()` of the two values popped for the '+'.",
                          "打印为 '+' 弹出的两个值的 `type()`。"),
                ),
            ),
            code=(
                "def eval_postfix(expr):\n"
                "    ops = {'+': lambda a, b: a + b, '-': lambda a, b: a - b,\n"
                "           '*': lambda a, b: a * b, '/': lambda a, b: a / b}\n"
                "    stack = []\n"
                "    for tok in expr.split():\n"
                "        if tok in ops:\n"
                "            right, left = stack.pop(), stack.pop()\n"
                "            stack.append(ops[tok](left, right))\n"
                "        else:\n"
                "            stack.append(int(tok))\n"
                "    return stack.pop()"
            ),
            key=(
                "=14 | is 14 | gives 14 | evaluates to 14 | result 14 | 得 14 | 得到 14 | 是 14 | 为 14 | 等于 14 | 结果 14",
                "left op right | left-right | left - right | pop right first | pop the right operand first | "
                "pop b first | pop b then a | right, left=stack.pop() | right=stack.pop() | second-popped | "
                "second popped minus | second value you pop is the left | second popped is the left | "
                "second 1 popped is the left | second-first | 后弹出的是左操作数 | 后弹出的值是左操作数 | 第二个弹出的是左操作数 | 减去先弹出 | "
                "先弹出 right | 先弹出右操作数 | 先弹出 b | 后弹出的减去先弹出的 | 后弹出的值减去先弹出 | 用后弹出的",
                "int(tok) | int(token) | int(t) | as ints | as integers | to int | to an int | to ints | "
                "to integers | into integers | into ints | 转成整数 | 转换为整数 | 转为整数 | 转换成整数 | 转成 int | 转为 int | 整数后压栈",
                "pop 2 | pops 2 | pop the 2 | 弹出 2 | 弹出2 | 弹出两 & push the result | push its result | push result | "
                "pushes the result | push back the result | push the value | 结果压 | 压入结果 | 压回结果 | 把结果压",
            ),
        ),
        Exercise(
            "monotonic",
            ("For each element of an array, find the next greater element to its right (−1 if none) in O(n).",
             "对数组中的每个元素，找出它右边第一个更大的元素（没有则为 −1），要求 O(n)。"),
            ("Keep a stack of indices whose answer is still unknown; for each index i, while the stack is non-empty and `a[stack[-1]] < a[i]`, pop j and set `res[j] = a[i]`; then push i; indices left at the end keep −1.",
             "用栈保存尚未找到答案的下标；对每个下标 i，当栈非空且 `a[stack[-1]] < a[i]` 时，弹出 j 并令 `res[j] = a[i]`；然后压入 i；最后仍在栈中的下标答案保持 −1。"),
            (
                Mistake(
                    attempt=("uses two nested loops, scanning to the right for every element.",
                             "用两层嵌套循环，对每个元素都向右扫描。"),
                    alt=("“It's O(n²) and times out on big inputs.”",
                         "“它是 O(n²) 的，大输入会超时。”"),
                    diag=("It is correct, but it scans the right side again for every element, with no stack remembering who is still waiting.",
                          "结果是对的，但它为每个元素都重新扫描一遍右边，没有用栈记住谁还在等待答案。"),
                    ask=("When a new element arrives, which earlier elements could it be the answer for?",
                         "当一个新元素到来时，它可能是前面哪些元素的答案？"),
                    step=("Trace [2, 1, 3] while keeping a stack of the elements still waiting for an answer.",
                          "追踪 [2, 1, 3]，同时用一个栈记录仍在等待答案的元素。"),
                ),
                Mistake(
                    attempt=("keeps a stack of values instead of indices, and cannot tell which result slot to fill.",
                             "栈里存的是值而不是下标，结果不知道该填结果数组的哪个位置。"),
                    alt=("“When I pop, I know the answer value but not where to write it.”",
                         "“弹出时我知道答案是多少，却不知道该写到哪里。”"),
                    diag=("Each waiting element on the stack needs to remember where its answer should go.",
                          "栈中每个等待的元素都需要记住它的答案应该写到哪里。"),
                    ask=("What could you push so that a pop tells you exactly which result slot to fill?",
                         "压入什么东西，才能在弹出时准确知道要填结果数组的哪个位置？"),
                    step=("Trace [2, 1, 2], where a value repeats, and see why values alone are ambiguous.",
                          "追踪有重复值的 [2, 1, 2]，看看为什么只存值会产生歧义。"),
                ),
                Mistake(
                    attempt=("pops at most one element per new value instead of all smaller ones.",
                             "每来一个新值最多只弹出一个元素，而不是弹出所有更小的元素。"),
                    alt=("“For [3, 1, 2, 4] my answer for 3 is −1 instead of 4.”",
                         "“对 [3, 1, 2, 4]，我给 3 的答案是 −1 而不是 4。”"),
                    diag=("A new element can be the answer for several waiting elements on the stack at once.",
                          "一个新元素可能同时是栈中好几个等待元素的答案。"),
                    ask=("After popping one smaller element, should you check the new top as well?",
                         "弹出一个更小的元素之后，是否还应该检查新的栈顶？"),
                    step=("Trace [3, 1, 2, 4] and write the stack after each element.",
                          "追踪 [3, 1, 2, 4]，写出处理每个元素之后的栈。"),
                ),
            ),
            code=(
                "def next_greater(a):\n"
                "    res = [-1] * len(a)\n"
                "    stack = []\n"
                "    for i, x in enumerate(a):\n"
                "        while stack and a[stack[-1]] < x:\n"
                "            res[stack.pop()] = x\n"
                "        stack.append(i)\n"
                "    return res"
            ),
            key=(
                "a[stack[-1]]<a[i] | a[stack[-1]]<x | a[st[-1]]<a[i] | a[st[-1]]<x | a[s[-1]]<a[i]",
                "res[j]=a[i] | res[stack.pop()]=x | res[j]=x | res[stack.pop()]=a[i] | result[j]=a[i]",
                "keep popping | pop while | popping while | pop until | pop all the smaller | pop every smaller | "
                "pop all elements smaller | 一直弹出 | 持续弹出 | 不断弹出 | 循环弹出 | 反复弹出 & smaller | less | < | greater | "
                "larger | bigger | 更小 | 小于 | 更大 | 大于 | 较小",
                "stack of indices | store indices | store the indices | push indices | push the index | "
                "push its index | push i | keep indices | indices on the stack | 存下标 | 保存下标 | 存的是下标 | 栈中存下标 | 下标的栈 | "
                "压入下标 | 下标压栈 | 压入 i",
            ),
        ),
        Exercise(
            "lifo",
            ("Implement a min-stack: push, pop and get_min, all in O(1).",
             "实现一个最小栈：push、pop 和 get_min 都要求 O(1)。"),
            ("Keep a second stack of minimums: on push, push `x` onto it if it is empty or `x <= mins[-1]`; on pop, pop it too when the popped value equals `mins[-1]`; get_min returns `mins[-1]`.",
             "再维护一个最小值栈：push 时若它为空或 `x <= mins[-1]`，就把 `x` 压入；pop 时若弹出的值等于 `mins[-1]`，也把它弹出；get_min 返回 `mins[-1]`。"),
            (
                Mistake(
                    attempt=("keeps one variable `current_min` that is updated only on push.",
                             "只用一个变量 `current_min`，而且只在压栈时更新。"),
                    alt=("“After I pop the minimum, get_min still returns the old value.”",
                         "“把最小值弹出之后，get_min 返回的还是旧值。”"),
                    diag=("A single variable can't recover the previous minimum once the current one is popped off the stack.",
                          "当前最小值出栈以后，单个变量无法恢复出之前的最小值。"),
                    ask=("After a pop, how would you know what the minimum was before that element was pushed?",
                         "出栈之后，你怎么知道那个元素压入之前的最小值是多少？"),
                    step=("Push 5, 2, 7, then pop twice, and write what the minimum should be after each step.",
                          "依次压入 5、2、7，再弹出两次，写出每一步之后最小值应该是多少。"),
                ),
                Mistake(
                    attempt=("computes `min(self.items)` inside get_min.",
                             "在 get_min 里计算 `min(self.items)`。"),
                    alt=("“get_min is correct, but it's O(n).”",
                         "“get_min 是对的，但它是 O(n)。”"),
                    diag=("Scanning the whole stack gives the right result but misses the O(1) requirement.",
                          "扫描整个栈能得到正确的结果，但达不到 O(1) 的要求。"),
                    ask=("Could each stack entry remember the minimum at the moment it was pushed?",
                         "能不能让栈中的每一项都记住它被压入时的最小值？"),
                    step=("Next to each pushed value, write the minimum of the stack at that moment.",
                          "在每个压入的值旁边，写下那一刻栈中的最小值。"),
                ),
                Mistake(
                    attempt=("pushes onto the min-stack only when the value is strictly smaller, which breaks with duplicates.",
                             "只有当值严格更小时才压入最小值栈，遇到重复值就出错。"),
                    alt=("“Push 2, push 2, pop, then get_min fails.”",
                         "“压入 2，再压入 2，弹出一次，然后 get_min 就出错了。”"),
                    diag=("With two copies of the minimum, the min-stack loses track of it when one copy is popped.",
                          "当最小值有两个副本时，弹出其中一个后，最小值栈就丢失了它。"),
                    ask=("Should a value equal to the current minimum also be recorded on the min-stack?",
                         "等于当前最小值的值，是否也应该记录到最小值栈里？"),
                    step=("Trace push 2, push 2, pop, get_min on both stacks side by side.",
                          "把两个栈并排画出来，追踪压入 2、压入 2、弹出、get_min 的过程。"),
                ),
            ),
            code=(
                "class MinStack:\n"
                "    def __init__(self):\n"
                "        self.items, self.mins = [], []\n"
                "    def push(self, x):\n"
                "        self.items.append(x)\n"
                "        if not self.mins or x <= self.mins[-1]:\n"
                "            self.mins.append(x)\n"
                "    def pop(self):\n"
                "        x = self.items.pop()\n"
                "        if x == self.mins[-1]:\n"
                "            self.mins.pop()\n"
                "        return x\n"
                "    def get_min(self):\n"
                "        return self.mins[-1]"
            ),
            key=(
                "<= | less than or equal | smaller than or equal | or equal | 小于或等于 | 小于等于 | 不大于 | 或等于 & min | 最小",
                "mins[-1]",
                "second stack | another stack | auxiliary stack | extra stack | parallel stack | separate stack | "
                "第二个栈 | 另一个栈 | 辅助栈 | 额外的栈 | 再维护一个 & minimum | minimums | minima | min | 最小",
                "when the popped value equals | if the popped value equals | pop it too | pop from both | also pop | "
                "弹出的值等于 | 也把它弹出 | 也弹出 | 两个栈都弹出",
            ),
        ),
        Exercise(
            "call_stack",
            ("Rewrite a recursive preorder traversal of a binary tree as a loop with an explicit stack.",
             "把二叉树的递归先序遍历改写成使用显式栈的循环。"),
            ("Start with `stack = [root]` if root exists; pop a node, visit it, then push its right child and then its left child (skipping None), so the left subtree is popped and visited first.",
             "若根存在，先令 `stack = [root]`；弹出一个结点并访问它，然后先压入右孩子、再压入左孩子（跳过 None），这样左子树会先被弹出访问。"),
            (
                Mistake(
                    attempt=("pushes the left child before the right child, so the right subtree is visited first.",
                             "先压入左孩子再压入右孩子，结果先访问了右子树。"),
                    alt=("“My preorder prints the right subtree before the left one.”",
                         "“我的先序遍历先打印了右子树，再打印左子树。”"),
                    diag=("A stack returns the last item pushed first, so the order you push in is reversed when you pop.",
                          "栈会先返回最后压入的元素，所以压栈的顺序在出栈时会被颠倒。"),
                    ask=("Which child should be pushed last so that it is visited next?",
                         "哪个孩子应该最后压栈，才能让它接下来被访问？"),
                    step=("Trace a three-node tree and write the stack after every pop.",
                          "追踪一棵三个结点的树，每次出栈后写下栈的内容。"),
                ),
                Mistake(
                    attempt=("pushes missing (None) children onto the stack and crashes on `node.val`.",
                             "把不存在的（None）孩子也压进栈，结果在 `node.val` 处崩溃。"),
                    alt=("“I get ‘NoneType object has no attribute val’.”",
                         "“报错 ‘NoneType object has no attribute val’。”"),
                    diag=("Missing children turn into None entries on your stack.",
                          "不存在的孩子变成了栈中的 None 项。"),
                    ask=("What should happen to a None child — before you push it, or when you pop it?",
                         "对于 None 孩子应该怎么处理——在压栈之前，还是在出栈的时候？"),
                    step=("Trace a tree in which one node has only a left child.",
                          "追踪一棵树，其中某个结点只有左孩子。"),
                ),
                Mistake(
                    attempt=("takes nodes with `pop(0)` instead of `pop()`, and gets level order.",
                             "用 `pop(0)` 而不是 `pop()` 取结点，得到的是层序遍历。"),
                    alt=("“My ‘preorder’ prints the nodes level by level.”",
                         "“我的‘先序遍历’是一层一层打印结点的。”"),
                    diag=("Taking from the front turns your stack into a queue, and depth-first into breadth-first.",
                          "从前端取元素会把你的栈变成队列，把深度优先变成广度优先。"),
                    ask=("From which end must you take nodes to go deep first?",
                         "要先往深处走，应该从哪一端取结点？"),
                    step=("Compare the visit order of `pop()` and `pop(0)` on a small tree.",
                          "在一棵小树上比较 `pop()` 和 `pop(0)` 的访问顺序。"),
                ),
            ),
            code=(
                "def preorder(root):\n"
                "    out, stack = [], [root] if root else []\n"
                "    while stack:\n"
                "        node = stack.pop()\n"
                "        out.append(node.val)\n"
                "        if node.right:\n"
                "            stack.append(node.right)\n"
                "        if node.left:\n"
                "            stack.append(node.left)\n"
                "    return out"
            ),
            key=(
                "right child first | right first,then left | right first and then left | right first then left | "
                "push right first | right before left | right then left | right, then left | right and then left | "
                "right child and then | right child, then | right child before the left | push left last | "
                "left last | 先压入右 | 先压右 | 先右后左 | 右孩子先 | 先把右孩子 | 再压入左 | 最后压入左 | 左孩子最后 | 后压入左 | 后压左",
                "skip none | skipping none | skip the none | skip missing | don't push none | do not push none | "
                "never push none | only push non-none | only push existing | push only non-none | if node.right | "
                "if node.left | 跳过 none | 不压入 none | 不要压入 none | 不把 none 压 | 只压入非 none | 非 none 才",
                "pop() instead | use pop() | 用 pop() 而不是 | take from the end | take nodes from the end | "
                "from the top of the stack | 从末尾取 | 从尾部取 | 从栈顶取",
            ),
        ),
        Exercise(
            "matching",
            ("Simplify a Unix path such as '/a/./b/../../c/' to its canonical form '/c' using a stack.",
             "用栈把 Unix 路径（如 '/a/./b/../../c/'）化简为规范形式 '/c'。"),
            ("Split on '/', skip empty parts and '.', pop the stack on '..' if it is non-empty, push any other name; the answer is `'/' + '/'.join(stack)`.",
             "按 '/' 分割，跳过空串和 '.'，遇到 '..' 时若栈非空就出栈，其他名字则压栈；答案为 `'/' + '/'.join(stack)`。"),
            (
                Mistake(
                    attempt=("treats '..' as a directory name and pushes it onto the stack.",
                             "把 '..' 当作目录名压进了栈。"),
                    alt=("“'/a/../b' comes out unchanged as '/a/../b'.”",
                         "“'/a/../b' 处理后原样输出 '/a/../b'。”"),
                    diag=("'..' is an instruction, not a name: it means going up one directory level.",
                          "'..' 是一个指令而不是名字：它表示返回上一级目录。"),
                    ask=("What should '..' do to the stack of directory names?",
                         "'..' 应该对目录名的栈做什么？"),
                    step=("Trace '/a/../b' part by part and write the stack after each part.",
                          "逐段追踪 '/a/../b'，每处理一段就写下栈的内容。"),
                ),
                Mistake(
                    attempt=("pops on '..' even when the stack is empty, and crashes at the root.",
                             "遇到 '..' 时即使栈为空也出栈，在根目录处崩溃。"),
                    alt=("“'/../' crashes with ‘pop from empty list’.”",
                         "“'/../' 报 ‘pop from empty list’。”"),
                    diag=("At the root there is no directory above, so the stack has nothing to pop.",
                          "在根目录时上面没有目录了，所以栈里没有东西可弹出。"),
                    ask=("What does going up from the root do in a Unix path?",
                         "在 Unix 路径中，从根目录再往上走会发生什么？"),
                    step=("Test '/..' and '/../a' and trace the stack.",
                          "测试 '/..' 和 '/../a'，追踪栈的变化。"),
                ),
                Mistake(
                    attempt=("keeps empty strings and '.' from the split as directory names on the stack.",
                             "把分割得到的空串和 '.' 也当作目录名留在栈里。"),
                    alt=("“'/a//b/./' becomes '/a//b/.'.”",
                         "“'/a//b/./' 变成了 '/a//b/.'。”"),
                    diag=("Empty pieces and '.' don't name any directory, yet they end up on your stack.",
                          "空片段和 '.' 并不代表任何目录，却被放进了你的栈里。"),
                    ask=("Which pieces of the split path should simply be ignored?",
                         "分割后路径中的哪些片段应该直接忽略？"),
                    step=("Print `'/a//b/./'.split('/')` and label what each piece means.",
                          "打印 `'/a//b/./'.split('/')`，标出每个片段的含义。"),
                ),
            ),
            code=(
                "def simplify(path):\n"
                "    stack = []\n"
                "    for part in path.split('/'):\n"
                "        if part in ('', '.'):\n"
                "            continue\n"
                "        if part == '..':\n"
                "            if stack:\n"
                "                stack.pop()\n"
                "        else:\n"
                "            stack.append(part)\n"
                "    return '/' + '/'.join(stack)"
            ),
            key=(
                ".. & pop the stack | pop the last | pops the last | pop the top | remove the last | "
                "removes the last | pop a directory | pop the previous | pop one | 弹出栈顶 | 弹出最后 | 出栈一次 | 删除最后 | "
                "弹出上一个 | 就出栈 | 则出栈",
                "skip empty | skip the empty | skipping empty | skips empty | ignore empty | ignore the empty | "
                "ignoring empty | ignores empty | drop empty | drop the empty | discard empty | discard the empty | "
                "跳过空 | 忽略空 | 丢弃空 | 去掉空",
                "empty parts are skipped | empty strings are skipped | empty parts are ignored | "
                "empty strings are ignored | empty pieces are ignored | empty pieces are skipped | 空串直接跳过 | 空串要跳过 | "
                "空串应该跳过 | 空串跳过 | 空串忽略 | 空串直接忽略 | 空字符串跳过 | 空片段跳过 | 空片段忽略 | 空串和'.'直接跳过 | 空串和'.'跳过 | 空串和'.'都跳过 | "
                "空串和'.'忽略 | 空串和'.'直接忽略",
                "'/' + '/'.join(stack) | '/'.join(stack) | join the stack with / | join with / | joined with / | "
                "join with '/' | joined with '/' | 用 '/' 连接 | 用 '/' 拼接 | 用 / 连接 | 用 / 拼接",
                "stays at the root | stay at the root | remains at the root | stays the root | 还是根目录 | 仍在根目录 | "
                "停留在根目录 | 仍然是根目录 | 保持在根目录 | 留在根目录",
                "if the stack is non-empty | if the stack is not empty | if it is non-empty | if it's not empty | "
                "when the stack is non-empty | if stack: | 若栈非空 | 栈非空时 | 栈不为空时 | 如果栈非空 | 栈不空时 & pop | 出栈 | 弹出",
            ),
        ),
        Exercise(
            "expressions",
            ("Convert an infix expression with + − * / and parentheses to postfix with the shunting-yard algorithm.",
             "用调度场算法把含 + − * / 和括号的中缀表达式转换为后缀表达式。"),
            ("Output numbers directly; push '('; on ')' pop operators to the output until '(' and discard it; before pushing an operator, pop every operator on top with higher or equal precedence (left associativity); finally pop everything left.",
             "数字直接输出；'(' 压栈；遇到 ')' 时把运算符弹出到输出，直到遇到 '(' 并丢弃它；压入一个运算符前，先弹出栈顶所有优先级更高或相等的运算符（左结合）；最后弹出剩下的全部运算符。"),
            (
                Mistake(
                    attempt=("outputs each operator as soon as it is read, ignoring precedence.",
                             "读到运算符就立即输出，忽略了优先级。"),
                    alt=("“'1 + 2 * 3' becomes '1 2 + 3 *'.”",
                         "“'1 + 2 * 3' 变成了 '1 2 + 3 *'。”"),
                    diag=("An operator can't be output until you know no higher-precedence operator follows it.",
                          "在确定后面没有更高优先级的运算符之前，一个运算符不能输出。"),
                    ask=("When you read '*' after '+', which of the two must be applied first?",
                         "在 '+' 之后读到 '*' 时，这两个运算符中哪个必须先计算？"),
                    step=("Trace '1 + 2 * 3' with an operator stack and write the output after each token.",
                          "用运算符栈追踪 '1 + 2 * 3'，写出每个记号处理后的输出。"),
                ),
                Mistake(
                    attempt=("on ')' pops the operators but forgets to discard the '('.",
                             "遇到 ')' 时弹出了运算符，却忘了丢弃 '('。"),
                    alt=("“Parentheses show up in my postfix output.”",
                         "“我的后缀表达式输出里出现了括号。”"),
                    diag=("The opening parenthesis only marks where to stop popping; it is never an output token.",
                          "左括号只是标记出栈在哪里停止，它永远不是输出的记号。"),
                    ask=("What should happen to '(' once its matching ')' has been reached?",
                         "当遇到与之匹配的 ')' 后，'(' 应该怎么处理？"),
                    step=("Trace '(1 + 2) * 3' and watch the operator stack closely.",
                          "追踪 '(1 + 2) * 3'，仔细观察运算符栈。"),
                ),
                Mistake(
                    attempt=("pops only operators of strictly higher precedence, which breaks left associativity.",
                             "只弹出优先级严格更高的运算符，破坏了左结合性。"),
                    alt=("“'5 - 3 - 1' becomes '5 3 1 - -'.”",
                         "“'5 - 3 - 1' 变成了 '5 3 1 - -'。”"),
                    diag=("With equal precedence, left associativity means the earlier operator on the stack must be applied first.",
                          "优先级相同时，左结合意味着栈中较早的运算符必须先计算。"),
                    ask=("Before pushing the second '-', should the first '-' be popped from the stack?",
                         "在压入第二个 '-' 之前，是否应该先把第一个 '-' 从栈中弹出？"),
                    step=("Evaluate both postfix outputs for '5 - 3 - 1' and compare them with the infix value.",
                          "分别计算 '5 - 3 - 1' 两种后缀输出的值，与中缀表达式的值比较。"),
                ),
            ),
            key=(
                "higher or equal | greater or equal | greater than or equal | higher than or equal | "
                "equal or higher | equal or greater | at least as high | >= | 更高或相等 | 高于或等于 | 大于或等于 | 大于等于 | 不低于 | "
                "相等或更高 & precedence | 优先级",
                "discard | drop | throw away | 丢弃 | 扔掉 | 丢掉 & ( | opening parenthesis | left parenthesis | "
                "左括号 & until | 直到",
                "1 2 3 * + | 5 3 - 1 -",
            ),
        ),
        Exercise(
            "monotonic",
            ("Daily temperatures: for each day, how many days until a warmer temperature (0 if none)?",
             "每日温度：对于每一天，还要等几天才会有更高的温度（没有则为 0）？"),
            ("Keep a stack of day indices with unresolved answers; for day i, while the stack is non-empty and `t[stack[-1]] < t[i]`, pop j and set `res[j] = i - j`; push i; days left on the stack keep 0.",
             "用栈保存尚未得到答案的日期下标；对第 i 天，当栈非空且 `t[stack[-1]] < t[i]` 时，弹出 j 并令 `res[j] = i - j`；然后压入 i；留在栈中的日期答案保持 0。"),
            (
                Mistake(
                    attempt=("stores temperatures on the stack and cannot compute how many days passed.",
                             "栈里存的是温度，结果算不出过了几天。"),
                    alt=("“I know a warmer day came, but not how many days later it was.”",
                         "“我知道更暖和的一天来了，但不知道隔了几天。”"),
                    diag=("The days waiting on the stack need to remember where they are in the sequence.",
                          "在栈中等待的日期需要记住自己在序列中的位置。"),
                    ask=("What information do you need to compute 'days until warmer'?",
                         "要算出“还要等几天”，你需要什么信息？"),
                    step=("Trace [73, 74, 75], writing both the day and the temperature of each stack entry.",
                          "追踪 [73, 74, 75]，为栈中每一项同时写下日期和温度。"),
                ),
                Mistake(
                    attempt=("pops while the new temperature is >= the top, so an equal temperature counts as warmer.",
                             "当新温度 >= 栈顶时就出栈，把相同的温度也当成了更暖和。"),
                    alt=("“[70, 70] gives [1, 0] but should give [0, 0].”",
                         "“[70, 70] 得到 [1, 0]，正确答案应该是 [0, 0]。”"),
                    diag=("Your pop condition accepts an equal temperature, which is not warmer.",
                          "你的出栈条件接受了相同的温度，而相同并不算更暖和。"),
                    ask=("Should a day with the same temperature resolve a day that is waiting on the stack?",
                         "温度相同的一天，能否让栈中等待的那一天得到答案？"),
                    step=("Test [70, 70] and look closely at the comparison operator.",
                          "测试 [70, 70]，仔细检查比较运算符。"),
                ),
                Mistake(
                    attempt=("leaves the days still on the stack at the end with leftover values instead of 0.",
                             "最后仍留在栈里的日期没有被设为 0，而是残留着别的值。"),
                    alt=("“The last few days get random numbers in my output.”",
                         "“输出中最后几天是些随机的数字。”"),
                    diag=("Days that never find a warmer one still need a defined answer when the stack is left non-empty.",
                          "那些始终没等到更暖和日子的日期，在栈最终非空时也需要一个确定的答案。"),
                    ask=("What should the answer be for the days still waiting when the input ends?",
                         "输入结束时仍在等待的日期，答案应该是什么？"),
                    step=("Initialise the result array on purpose and test a strictly decreasing sequence.",
                          "有意识地初始化结果数组，并用一个严格递减的序列测试。"),
                ),
            ),
            code=(
                "def daily_temperatures(t):\n"
                "    res = [0] * len(t)\n"
                "    stack = []\n"
                "    for i, x in enumerate(t):\n"
                "        while stack and t[stack[-1]] < x:\n"
                "            j = stack.pop()\n"
                "            res[j] = i - j\n"
                "        stack.append(i)\n"
                "    return res"
            ),
            key=(
                "res[j]=i-j | i-j | difference of the indices | difference between the indices | index difference | "
                "下标之差 | 下标差 | 下标相减",
                "t[stack[-1]]<t[i] | t[stack[-1]]<x | strictly greater | strictly warmer | strictly higher | "
                "strictly less | > instead of >= | < instead of <= | 严格大于 | 严格小于 | 严格更高 | 严格更暖",
                "store indices | store the indices | stack of indices | stack of day indices | day indices | "
                "push indices | push the index | push the day index | keep indices | indices on the stack | 存下标 | "
                "存日期下标 | 保存下标 | 存的是下标 | 栈中存下标 | 下标的栈 | 日期下标 | 压入下标",
                "[0]*len | res=[0] | 初始化为 0 | 初始化成 0 | 初始化为全 0 | 初始化为全部 0 | 全部初始化为 0 | 都初始化为 0 | 用 0 初始化 | 用 0 填充 | "
                "填满 0",
                "initialise | initialize | initialized | initialised | fill | filled & to 0 | with 0 | with zeros | "
                "to zeros | to all 0",
                "keep 0 | keeps 0 | stay 0 | stays 0 | remain 0 | remains 0 | left at 0 | get 0 | gets 0 | is 0 | "
                "are 0 | 保持 0 | 保持为 0 | 仍为 0 | 仍是 0 | 答案为 0 | 答案是 0 | 就是 0 & left on the stack | "
                "still on the stack | remain on the stack | remaining on the stack | 留在栈 | 仍在栈 | 栈中剩下 | 还在栈",
            ),
        ),
        Exercise(
            "lifo",
            ("Implement a FIFO queue using two stacks, with amortised O(1) per operation.",
             "用两个栈实现一个先进先出的队列，每个操作均摊 O(1)。"),
            ("Enqueue pushes onto `inbox`; dequeue pops from `outbox`, and only when `outbox` is empty first moves every element of `inbox` onto it; each element moves at most once, so the cost is amortised O(1).",
             "入队时压入 `inbox`；出队时从 `outbox` 弹出，只有当 `outbox` 为空时才先把 `inbox` 的全部元素搬过去；每个元素最多搬一次，所以均摊代价为 O(1)。"),
            (
                Mistake(
                    attempt=("moves all elements to the second stack on every dequeue and back again on every enqueue.",
                             "每次出队都把所有元素搬到第二个栈，每次入队又全部搬回来。"),
                    alt=("“Every operation moves all the elements, so it's O(n).”",
                         "“每个操作都要搬动所有元素，所以是 O(n)。”"),
                    diag=("Moving the elements back and forth every time redoes work that was already done.",
                          "每次都把元素来回搬动，是在重复已经做过的工作。"),
                    ask=("Could elements stay in the second stack until it has been emptied?",
                         "元素能不能一直留在第二个栈里，直到它被取空？"),
                    step=("Trace enqueue 1, 2, 3, dequeue, enqueue 4, dequeue, and count every element move.",
                          "追踪入队 1、2、3，出队，入队 4，出队，数一数每次元素搬动。"),
                ),
                Mistake(
                    attempt=("refills the second stack while it still holds elements, breaking the FIFO order.",
                             "在第二个栈还有元素时就往里补充，破坏了先进先出的顺序。"),
                    alt=("“Enqueue 1, 2, dequeue, enqueue 3, dequeue gives 3 instead of 2.”",
                         "“入队 1、2，出队，入队 3，再出队，得到的是 3 而不是 2。”"),
                    diag=("Pouring new elements on top of the second stack puts them ahead of older ones.",
                          "把新元素倒在第二个栈的上面，会让它们排到旧元素前面。"),
                    ask=("When is it safe to refill the second stack?",
                         "什么时候往第二个栈里补充元素才是安全的？"),
                    step=("Trace that sequence and write both stacks after each operation.",
                          "追踪这一系列操作，每一步之后写出两个栈的内容。"),
                ),
                Mistake(
                    attempt=("dequeues by popping from the stack it enqueues into.",
                             "出队时直接从入队用的那个栈弹出。"),
                    alt=("“My queue returns the newest element first.”",
                         "“我的队列先返回最新的元素。”"),
                    diag=("Popping from the stack you push into gives LIFO order, which is a stack, not a queue.",
                          "从压入的那个栈弹出得到的是后进先出的顺序，那是栈，不是队列。"),
                    ask=("How does pouring the elements into a second stack change their order?",
                         "把元素倒进第二个栈，会怎样改变它们的顺序？"),
                    step=("Push 1, 2, 3 onto one stack, pour them into another, and read the new top.",
                          "把 1、2、3 压入一个栈，再倒进另一个栈，看看新的栈顶是什么。"),
                ),
            ),
            code=(
                "class TwoStackQueue:\n"
                "    def __init__(self):\n"
                "        self.inbox, self.outbox = [], []\n"
                "    def enqueue(self, x):\n"
                "        self.inbox.append(x)\n"
                "    def dequeue(self):\n"
                "        if not self.outbox:\n"
                "            while self.inbox:\n"
                "                self.outbox.append(self.inbox.pop())\n"
                "        return self.outbox.pop()"
            ),
            key=(
                "only when | only if | 只有当 | 只在 | 仅当 | 空了才 | 为空时才 | 空时才 & empty | 为空 | 空了 | 空时",
                "if not outbox | if not self.outbox",
                "at most 1 time | only 1 time | 最多搬1次 | 最多移动1次 | 只搬1次 | 只移动1次 | 最多搬一次 | 最多移动一次 | 只搬一次 | 只移动一次",
                "pop from outbox | pops from outbox | pop from the outbox | pops from the outbox | "
                "pop from the second stack | pops from the second stack | pop from the other stack | 从 outbox 弹出 | "
                "从第二个栈弹出 | 从另一个栈弹出",
            ),
        ),
        Exercise(
            "lifo",
            ("Elements 1..n are pushed in order; decide whether a given sequence can be the order in which they are popped.",
             "元素 1..n 按顺序入栈；判断给定的序列能否是它们的出栈顺序。"),
            ("Simulate: for each value 1..n push it, then while the stack is non-empty and its top equals the next wanted value, pop and advance; the sequence is valid exactly when the stack ends empty.",
             "模拟：依次压入 1..n 中的每个值，然后当栈非空且栈顶等于下一个期望的值时，出栈并前进；当且仅当最后栈为空时序列合法。"),
            (
                Mistake(
                    attempt=("only checks that the sequence is a permutation of 1..n.",
                             "只检查序列是不是 1..n 的一个排列。"),
                    alt=("“It says [3, 1, 2] is valid for pushes 1, 2, 3.”",
                         "“它说对入栈顺序 1、2、3 来说 [3, 1, 2] 是合法的。”"),
                    diag=("Being a permutation isn't enough, because last-in, first-out forbids some orders.",
                          "是一个排列还不够，因为后进先出的规则会禁止某些顺序。"),
                    ask=("Right after 3 is popped, which element must be on top of the stack?",
                         "刚把 3 弹出之后，栈顶一定是哪个元素？"),
                    step=("Simulate pushes and pops for [3, 1, 2] with a real stack.",
                          "用一个真正的栈模拟 [3, 1, 2] 的入栈和出栈。"),
                ),
                Mistake(
                    attempt=("simulates by pushing all n numbers first and only then popping.",
                             "模拟时先把 n 个数全部压栈，然后才开始出栈。"),
                    alt=("“Only the sequence [n, …, 1] ever passes my check.”",
                         "“只有 [n, …, 1] 这个序列能通过我的检查。”"),
                    diag=("Pushes and pops can interleave; pushing everything first allows only one pop order.",
                          "入栈和出栈可以交替进行；先全部压栈就只允许一种出栈顺序。"),
                    ask=("At what moments during the simulation may you pop?",
                         "在模拟过程中，什么时候可以出栈？"),
                    step=("Simulate [1, 2, 3], popping whenever the top equals the next wanted value.",
                          "模拟 [1, 2, 3]，只要栈顶等于下一个期望的值就出栈。"),
                ),
                Mistake(
                    attempt=("pops at most once after each push, so chains of pops are missed.",
                             "每次压栈后最多只出栈一次，漏掉了连续出栈的情况。"),
                    alt=("“[2, 1, 3] is rejected, but it is a valid pop order.”",
                         "“[2, 1, 3] 被判为不合法，可它明明是合法的出栈顺序。”"),
                    diag=("After one pop, the new top of the stack may also match the next wanted value.",
                          "弹出一次之后，新的栈顶也可能等于下一个期望的值。"),
                    ask=("Should you keep popping for as long as the top matches?",
                         "只要栈顶匹配，是否应该一直出栈？"),
                    step=("Trace [2, 1, 3] and write the stack after every push and pop.",
                          "追踪 [2, 1, 3]，每次入栈和出栈后写下栈的内容。"),
                ),
            ),
            code=(
                "def valid_pop_order(n, seq):\n"
                "    stack, k = [], 0\n"
                "    for x in range(1, n + 1):\n"
                "        stack.append(x)\n"
                "        while stack and k < len(seq) and stack[-1] == seq[k]:\n"
                "            stack.pop()\n"
                "            k += 1\n"
                "    return not stack and k == len(seq)"
            ),
            key=(
                "stack ends empty | stack is empty at the end | empty at the end | stack must be empty | "
                "ends empty | stack is empty | 最后栈为空 | 栈为空 | 栈最终为空 | 最后为空 | 栈是空的 | 栈必须为空 | 栈应为空 & valid | possible | "
                "legal | feasible | 合法 | 有效 | 可能",
                "stack[-1]==seq[k] | stack[-1]==seq[j] | stack[-1]==seq[i] | while the top equals | "
                "while the top matches | while its top equals | while the stack top equals | 当栈顶等于",
            ),
        ),
        Exercise(
            "expressions",
            ("Evaluate a fully parenthesised expression such as '((2 + 3) * 4)' with Dijkstra's two-stack algorithm.",
             "用 Dijkstra 双栈算法计算一个完全加括号的表达式，例如 '((2 + 3) * 4)'。"),
            ("Tokenise numbers as whole integers; ignore '('; push numbers onto a value stack and operators onto an operator stack; on ')', pop one operator and two values (right first), and push the result; the last value is the answer (20 here).",
             "把数字整体切分为整数记号；忽略 '('；数字压入值栈，运算符压入运算符栈；遇到 ')' 时弹出一个运算符和两个值（先弹出的是右操作数），把结果压回值栈；最后剩下的值就是答案（这里是 20）。"),
            (
                Mistake(
                    attempt=("applies each operator as soon as it is read, before its right operand is known.",
                             "读到运算符就立即计算，而此时它的右操作数还不知道。"),
                    alt=("“I get an error popping two values right after reading '+'.”",
                         "“刚读到 '+' 就要弹出两个值，结果报错了。”"),
                    diag=("When you read the operator, its right operand hasn't been pushed onto the value stack yet.",
                          "读到运算符时，它的右操作数还没有被压入值栈。"),
                    ask=("At which token are both operands of an operation available on the stack?",
                         "读到哪个记号时，一个运算的两个操作数都已经在栈上了？"),
                    step=("Trace '(2 + 3)' and write both stacks after every token.",
                          "追踪 '(2 + 3)'，每个记号之后写出两个栈的内容。"),
                ),
                Mistake(
                    attempt=("on ')' pops only one value and applies the operator to it.",
                             "遇到 ')' 时只弹出一个值就去计算。"),
                    alt=("“'(2 + 3)' leaves 2 on the stack and then raises an error.”",
                         "“'(2 + 3)' 处理后栈里剩下 2，然后报错。”"),
                    diag=("A binary operator needs two operands from the value stack.",
                          "二元运算符需要从值栈中取出两个操作数。"),
                    ask=("How many values does + need, and in which order do they come off the stack?",
                         "+ 需要几个值？它们按什么顺序出栈？"),
                    step=("Trace '(2 + 3)' while writing the value stack at each step.",
                          "追踪 '(2 + 3)'，每一步写下值栈的内容。"),
                ),
                Mistake(
                    attempt=("reads numbers one character at a time, pushing '1' and '2' separately for 12.",
                             "逐个字符读取数字，把 12 拆成 '1' 和 '2' 分别压栈。"),
                    alt=("“'(12 + 3)' gives a wrong result.”",
                         "“'(12 + 3)' 的结果不对。”"),
                    diag=("A number can span several characters, so the tokens pushed onto your stack are wrong.",
                          "一个数字可能跨越多个字符，所以压入栈中的记号是错的。"),
                    ask=("How can you tell where a number token ends?",
                         "你怎样判断一个数字记号在哪里结束？"),
                    step=("Tokenise '(12 + 3)' by hand and compare it with the tokens your code produces.",
                          "手工切分 '(12 + 3)' 的记号，和你的代码产生的记号比较。"),
                ),
            ),
            key=(
                "=20 | is 20 | gives 20 | evaluates to 20 | result 20 | 20 here | 得 20 | 得到 20 | 是 20 | 为 20 | "
                "等于 20 | 结果 20",
                "on ) | at ) | reading ) | read ) | see ) | reach ) | meet ) | encounter ) | on ')' | at ')' | "
                "reading ')' | read ')' | see ')' | reach ')' | meet ')' | encounter ')' | 遇到 ')' | 读到 ')' | "
                "closing parenthesis | right parenthesis | closing paren | 遇到 ) | 读到 ) | "
                "右括号 & operator and 2 values | operator and 2 operands | operator and the 2 values | "
                "operator and the 2 operands | operator and 2 numbers | 2 values and 1 operator | "
                "2 values and an operator | 2 values and the operator | 2 operands and the operator | "
                "2 operands and an operator | 运算符和2个值 | 运算符和2个操作数 | 运算符和2个数 | 2个值和1个运算符 | 2个值和运算符 | 2个操作数和运算符",
                "read digits until | collect digits | accumulate digits | consecutive digits | multi-digit | "
                "multiple digits | whole integer | whole integers | whole number | whole numbers | \\d+ | "
                "re.findall | 连续的数字 | 连续数字 | 多位数 | 整体切分 | 拼成一个数 | 累积数字",
            ),
        ),
    ),
)
