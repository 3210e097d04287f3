"""The teaching-quality rubric on hand-written responses in both languages and on the bundled pairs."""
import json

import pytest

from common.evaluation import CRITERIA, parse_prompt, rubric_reward, score_response
from conftest import ROOT

EN = {"lang": "en", "topic": "Linked lists", "knowledge_point": "deleting a node",
      "exercise": "Delete the last node of a singly linked list that keeps head and tail pointers.",
      "attempt": "walks to the second-to-last node and sets its next to None, but leaves tail unchanged."}
ZH = {"lang": "zh", "topic": "链表", "knowledge_point": "删除结点",
      "exercise": "删除一个同时维护 head 和 tail 指针的单链表的最后一个结点。",
      "attempt": "走到倒数第二个结点并把它的 next 设为 None，但没有修改 tail。"}
GOOD_EN = ("Unlinking the last node from the second-to-last one is right, but another pointer of the list still "
           "refers to the removed node. After your deletion, which node does tail point to? Draw a three-node list "
           "and update head and tail by hand after each line.")
GOOD_ZH = "断开最后一个结点这一步是对的，但链表还有另一个指针仍然指向被删掉的结点。删除之后 tail 指向哪个结点？画一个有三个结点的链表，按你代码的每一行手动更新 head 和 tail。"


def test_a_good_hint_passes_every_criterion_in_both_languages():
    assert score_response(GOOD_EN, EN) == {**{c: 1.0 for c in CRITERIA}, "total": 1.0}
    assert score_response(GOOD_ZH, ZH) == {**{c: 1.0 for c in CRITERIA}, "total": 1.0}


@pytest.mark.parametrize("item, response, failed", [
    (EN, GOOD_EN + " The answer is: set tail = cur.", "no_giveaway"),
    (EN, GOOD_EN + "\n```python\ncur.next = None\nlst.tail = cur\n```", "no_giveaway"),
    (EN, GOOD_EN.replace("?", ".").replace("Draw", "You could draw"), "guiding"),
    (EN, GOOD_EN + " Honestly, this is a basic mistake.", "tone"),
    (EN, "Check tail.", "length"),
    (EN, GOOD_EN + " " + GOOD_EN, "length"),
    (EN, "A binary operator needs two operands from the value stack. How many values does plus need before it "
         "can be applied? Trace the stack for a short expression with three operators and two operands.", "relevance"),
    (ZH, GOOD_ZH.replace("删除之后", "") + "答案是把 tail 设为 cur。", "no_giveaway"),
    (ZH, GOOD_ZH + "说实话，这是个非常基础的错误。", "tone"),
    (ZH, "检查 tail。", "length"),
    (ZH, GOOD_EN, "language"),
    (EN, GOOD_ZH, "language"),
])
def test_each_criterion_catches_its_failure(item, response, failed):
    scores = score_response(response, item)
    assert scores[failed] == 0.0, scores
    assert scores["total"] < 1.0


def test_generic_hint_does_not_address_the_mistake():
    generic = ("Compare your answer with the examples from class and see what is different. Which part of the "
               "lecture notes covers this kind of problem? Review them carefully and then try again slowly.")
    assert score_response(generic, EN)["addresses_mistake"] == 0.0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bundled_pairs_chosen_pass_and_each_failure_type_fails_its_criterion(lang):
    rows = [json.loads(line) for line in open(ROOT / "data" / "easyds" / lang / "pref_eval.jsonl", encoding="utf-8")]
    chosen = [score_response(r["chosen"], parse_prompt(r["prompt"])) for r in rows]
    assert sum(s["total"] == 1.0 for s in chosen) / len(rows) >= 0.95
    expected = {"full_solution": "no_giveaway", "discouraging": "tone", "too_long": "length"}
    for r in rows:
        if r["rejected_type"] in expected:
            assert score_response(r["rejected"], parse_prompt(r["prompt"]))[expected[r["rejected_type"]]] == 0.0
    # As a reward: chosen beats rejected on most pairs (wrong_concept is beyond any surface rule).
    rewards_c = rubric_reward([r["prompt"] for r in rows], [r["chosen"] for r in rows])
    rewards_r = rubric_reward([r["prompt"] for r in rows], [r["rejected"] for r in rows])
    assert sum(c > r for c, r in zip(rewards_c, rewards_r)) / len(rows) >= 0.8


def test_prompt_fields_are_read_back_in_both_languages():
    en = parse_prompt("Topic: Stacks\nKnowledge point: push and pop\nExercise: E\nStudent's attempt: A\nLevel: beginner")
    zh = parse_prompt("主题：栈\n知识点：入栈与出栈\n题目：E\n学生的尝试：A\n水平：初级")
    assert en == {"lang": "en", "topic": "Stacks", "knowledge_point": "push and pop", "exercise": "E",
                  "attempt": "A", "level": "beginner"}
    assert zh["lang"] == "zh" and zh["topic"] == "栈" and zh["attempt"] == "A"
