"""Topic-independent phrasing: prompt templates, the connective tissue of good hints, and the stock
material of the failure types. Templates may contain ``{kp}`` (knowledge point) and ``{topic}``.

Each entry is an (english, chinese) pair; the builder picks one index and renders both languages from it,
so the zh response stays a translation of the en response.
"""

LEVEL_NAMES = {
    "beginner": ("beginner", "初级"),
    "intermediate": ("intermediate", "中级"),
    "advanced": ("advanced", "高级"),
}

PROMPT = (
    "Topic: {topic}\nKnowledge point: {kp}\nExercise: {exercise}\nStudent's attempt: {attempt}\n"
    "Level: {level}\nWrite a short teaching prompt that guides the student without giving the answer.",
    "主题：{topic}\n知识点：{kp}\n题目：{exercise}\n学生的尝试：{attempt}\n"
    "水平：{level}\n请写一段简短的教学提示，引导学生思考，但不要直接给出答案。",
)

# Openers and closers carry the level adaptation: warm and reassuring for beginners, collegial for
# intermediate students, and a push towards justification and edge cases for advanced ones.
OPENERS = {
    "beginner": (
        ("Nice effort on {kp} — you're closer than you think.", "你在“{kp}”上很用心，离解决问题比你想的更近。"),
        ("Good start! Let's look at {kp} together.", "开了个好头！我们一起来看看“{kp}”。"),
        ("You've got the main idea; one detail needs a second look.", "主要思路你已经有了，只有一个细节需要再看一眼。"),
        ("Great that you tried this on your own first.", "你先自己动手尝试，这一点很棒。"),
        ("This is a very common stumbling block with {kp}, so don't worry.", "这是学习“{kp}”时很常见的卡点，别担心。"),
        ("You're thinking in the right direction.", "你的思考方向是对的。"),
    ),
    "intermediate": (
        ("Your approach to {kp} is mostly sound.", "你对“{kp}”的处理大体是对的。"),
        ("Solid attempt — one step needs checking.", "尝试很扎实，只有一步需要检查。"),
        ("You're on the right track with {kp}.", "在“{kp}”这一点上你的方向是对的。"),
        ("Good reasoning so far; let's find the weak spot.", "目前的推理不错，我们来找找薄弱的地方。"),
        ("Nice work getting this far with {kp}.", "在“{kp}”上能做到这一步很不错。"),
    ),
    "advanced": (
        ("Your solution is nearly there; let's stress-test it.", "你的解法已经很接近了，我们来检验一下。"),
        ("Good work — one subtle point about {kp} remains.", "做得好，关于“{kp}”还有一个细微之处。"),
        ("Strong attempt; the gap is in one detail.", "尝试很有力度，差距只在一个细节上。"),
        ("You already know {kp} well; let's tighten the reasoning.", "你已经很好地掌握了“{kp}”，我们来把推理再收紧一些。"),
    ),
}

CLOSERS = {
    "beginner": (
        ("Take it one step at a time — you can do this!", "一步一步来，你一定可以的！"),
        ("Give it a try and tell me what you find.", "试一试，然后告诉我你发现了什么。"),
        ("You're learning exactly the right thing here.", "你现在练的正是最关键的东西。"),
    ),
    "intermediate": (
        ("Try it and see whether the result matches what you expected.", "试一下，看看结果是否符合你的预期。"),
        ("Once you spot it, the fix should feel natural.", "一旦发现问题，修改起来会很自然。"),
        ("You're close — keep going.", "已经很接近了，继续加油。"),
    ),
    "advanced": (
        ("Once it works, can you explain why your answer holds in general?", "改好之后，你能说明为什么你的答案在一般情况下都成立吗？"),
        ("After fixing it, think about which test case would have exposed this.", "修好之后，想一想哪个测试用例本可以暴露这个问题。"),
        ("Then try to justify your reasoning in two sentences, as if teaching a classmate.", "然后试着用两句话为你的推理给出理由，就像在给同学讲解一样。"),
    ),
}

# --- failure material ------------------------------------------------------------------------------------

SOLUTION_INTROS = (
    ("No need to struggle — here is the complete solution.", "不用再纠结了，下面是完整答案。"),
    ("Let me just give you the answer so you can move on.", "我直接把答案给你，你就可以继续往下做了。"),
    ("Here's the fixed version; you can copy it directly.", "这是改好的版本，直接照抄就行。"),
    ("The correct answer is below.", "正确答案如下。"),
)

VAGUE = (
    ("Think harder about it and you'll figure it out.", "再认真想想，你会想明白的。"),
    ("Review the lecture notes on {topic} and try again.", "复习一下关于{topic}的课堂笔记，然后再试一次。"),
    ("You're almost there — just check your work carefully.", "快对了，仔细检查一下你的答案。"),
    ("There is a small problem somewhere. Look at it again.", "某个地方有个小问题，再看一遍吧。"),
    ("{topic} can be tricky. Keep practising and it will click.", "{topic}确实有点难，多练习就会开窍的。"),
    ("Something isn't quite right here. What do you think is wrong?", "这里有些地方不太对。你觉得哪里错了？"),
    ("Go back to the basics of {topic} and read the chapter again.", "回到{topic}的基础知识，把这一章再读一遍。"),
    ("Try debugging it step by step.", "试着一步一步调试。"),
    ("Good try! Just be more careful next time.", "不错的尝试！下次再细心一点。"),
    ("Compare your answer with the examples from class and see what's different.", "把你的答案和课上的例子对比一下，看看有什么不同。"),
)

# Said after a false claim so the wrong_concept failure reads like a confident, ordinary hint.
WRONG_PUSH = (
    ("Apply that rule to your attempt and you'll see the answer.", "把这条规则用到你的解答上，答案就出来了。"),
    ("Keep that in mind and look at your work again.", "记住这一点，再看看你的解答。"),
    ("Once you remember that, the exercise becomes straightforward.", "记住这一点，这道题就很简单了。"),
)

BELITTLE_OPEN = (
    ("Honestly, this is a really basic mistake.", "说实话，这是个非常基础的错误。"),
    ("Seriously? We covered this in the first week of {topic}.", "不会吧？{topic}第一周就讲过这个。"),
    ("I'm surprised you're still getting this wrong.", "真没想到你到现在还会错这个。"),
    ("This is the kind of error that shows you didn't study.", "这种错误说明你根本没复习。"),
    ("Anyone who paid attention in class would see the problem here.", "上课认真听讲的人一眼就能看出问题。"),
)

BELITTLE_CLOSE = (
    ("Maybe this course isn't for you.", "也许这门课不适合你。"),
    ("Read the chapter again before asking next time.", "下次提问之前先把这一章重新读一遍。"),
    ("It shouldn't take this long to get something this simple.", "这么简单的东西不应该花这么久。"),
    ("Try to be less careless.", "别再这么粗心了。"),
    ("Come back when you've actually tried.", "等你真的努力过再来问吧。"),
)

# too_long: the good hint, then background, other students' mistakes and generic study advice.
LONG_BACKGROUND = (
    "Before you go on, here is some background on {topic} that is worth keeping in mind.",
    "在继续之前，先补充一些关于{topic}的背景知识，值得记在心里。",
)
LONG_OTHERS = (
    "It also helps to know the other mistakes students often make on this exercise.",
    "了解同学们在这道题上常犯的其他错误也会有帮助。",
)
LONG_RAMBLE = (
    ("Data structures build on each other, so a gap in one topic tends to show up again later in the course, "
     "which is why it is worth taking the time to get this right now rather than rushing ahead.",
     "数据结构的各个主题是层层递进的，一个地方没弄懂，后面往往还会再冒出来，所以现在花时间把它弄清楚，比急着往前赶更值得。"),
    ("Many students find that writing things out on paper before coding helps a lot, because the computer does "
     "exactly what you write and not what you meant, and paper makes that difference visible.",
     "很多同学发现，在写代码之前先在纸上推演一遍很有帮助，因为计算机只会执行你写下的东西，而不是你心里想的东西，纸面推演能把两者的差别暴露出来。"),
    ("It can also be useful to look at how this idea is used in real software, such as databases, compilers and "
     "operating systems, where the same patterns appear again and again in slightly different forms.",
     "看看这个思想在真实软件中的应用也很有用，比如数据库、编译器和操作系统，同样的模式会以略微不同的形式反复出现。"),
    ("Remember too that exams often test the edge cases, such as empty inputs, a single element, or very large "
     "values, so it is a good habit to check those every time you finish an exercise.",
     "还要记住，考试经常考边界情况，比如空输入、只有一个元素或者非常大的数值，所以每做完一道题都检查一下这些情况是个好习惯。"),
    ("If you still feel unsure afterwards, you could revisit the earlier exercises in this chapter, re-read the "
     "examples in the notes, watch the lecture recording again, and then come back to this problem with fresh eyes.",
     "如果之后还是不太确定，可以回头做做本章前面的练习，重读笔记里的例子，再看一遍课程录像，然后换个心情重新审视这道题。"),
    ("Finally, understanding why a solution works matters more than getting it accepted, because the same "
     "reasoning will be needed for harder problems later in the course.",
     "最后，理解一个解法为什么正确，比让它通过测试更重要，因为课程后面更难的题目同样需要这种推理。"),
)
LONG_FINAL = ("So, to come back to your attempt:", "所以，回到你的解答：")

# --- rubric lexicon ---------------------------------------------------------------------------------------
# Lower-case substrings a rule-based rubric can look for (exported to lexicon.json). The builder checks that
# no good response contains any of them, and that every full_solution / discouraging failure contains one,
# so the markers and the data cannot drift apart.

GIVEAWAY_MARKERS = {
    "en": ("```", "here is the complete solution", "give you the answer", "copy it", "the correct answer is",
           "the answer is", "here's the fixed version", "complete solution"),
    "zh": ("```", "完整答案", "把答案给你", "照抄", "答案如下", "答案是", "改好的版本"),
}

BELITTLING_MARKERS = {
    "en": ("basic mistake", "seriously?", "surprised you", "didn't study", "paid attention", "isn't for you",
           "before asking", "this simple", "careless", "actually tried"),
    "zh": ("非常基础的错误", "不会吧", "没想到你", "根本没复习", "认真听讲的人", "不适合你", "提问之前", "这么简单",
           "粗心", "真的努力过"),
}
