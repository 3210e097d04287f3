"""The teaching-quality rubric on hand-written responses in both languages and on the bundled pairs."""
import json

import pytest

from easyds.rubric import CRITERIA, rubric_reward, score_response
from easyds.situations import parse_prompt
from conftest import ROOT

EN = {"lang": "en", "topic": "Linked lists", "knowledge_point": "deleting a node",
      "exercise": "Delete the last node of a singly linked list that keeps head and tail pointers.",
      "attempt": "walks to the second-to-last node and sets its next to None, but leaves tail unchanged."}
ZH = {"lang": "zh", "topic": "链表", "knowledge_point": "删除结点",
      "exercise": "在同时维护 head 和 tail 指针的单链表中删除最后一个结点。",
      "attempt": "走到倒数第二个结点并把它的 next 置为 None，但没有修改 tail。"}
GOOD_EN = ("Unlinking the last node from the second-to-last one is right, but another pointer of the list still "
           "refers to the removed node. After your deletion, which node does tail point to? Draw a three-node list "
           "and update head and tail by hand after each line.")
GOOD_ZH = "断开最后一个结点这一步是对的，但链表还有另一个指针仍然指向被删掉的结点。删除之后 tail 指向哪个结点？画一个有三个结点的链表，按你代码的每一行手动更新 head 和 tail。"


def test_a_good_hint_passes_every_criterion_in_both_languages():
    assert score_response(GOOD_EN, EN) == {**{c: 1.0 for c in CRITERIA}, "total": 1.0}
    assert score_response(GOOD_ZH, ZH) == {**{c: 1.0 for c in CRITERIA}, "total": 1.0}


# Hand-written failures (not the builder's phrasing): each must fail its criterion and only lower the total.
@pytest.mark.parametrize("item, response, failed", [
    # not_revealing: markers, code, and the answer key's facts in plain words with no marker at all
    (EN, GOOD_EN + " The answer is: set tail = cur.", "not_revealing"),
    (EN, GOOD_EN + "\n```python\ncur.next = None\nlst.tail = cur\n```", "not_revealing"),
    (EN, "Good try. Removing the link is fine, but the list still remembers the old node. You should walk to the "
         "node before the last one and then make that node the new tail of the list, so appends work again.",
     "not_revealing"),
    (ZH, "你的思路不错。断开链接没问题，但链表还记着旧结点。你应该走到倒数第二个结点，把它设成新的 tail，这样以后追加就正常了。",
     "not_revealing"),
    # mistake_identification: a sound hint, but for the one-node crash, not for this student's stale tail
    (EN, "Nice work so far on deleting a node. With only one node in the list there is nothing before it to walk "
         "to. What happens to your loop on a list of length one? Run it on a one-node list.",
     "mistake_identification"),
    (ZH, "删除结点这一步做得不错。如果链表里只有一个结点，就没有可以走到的前一个结点。长度为一的链表上你的循环会怎样？在只有一个结点的链表上运行一下。",
     "mistake_identification"),
    # mistake_location: a polished hint for another topic
    (EN, "A binary operator needs two operands from the value stack. How many values does plus need before it "
         "can be applied? Trace the stack for a short expression with three operators and two operands.",
     "mistake_location"),
    # providing_guidance: the knowledge point's known false claim, reworded around
    (EN, "Remember that in a singly linked list you can always reach a node's predecessor in O(1), so deleting "
         "only needs a pointer to the node itself. Which pointer do you hold after the loop?", "providing_guidance"),
    (ZH, "二元运算符需要从值栈中取出两个操作数。加号在计算之前需要几个值？用一个有三个运算符的短表达式追踪一下栈。",
     "mistake_location"),
    (ZH, "记住，单链表里总能以 O(1) 找到任何结点的前驱，所以删除时只需要指向该结点本身的指针。循环结束后你手里是哪个指针？",
     "providing_guidance"),
    # actionability, coherence (cut mid-sentence, looping), tone, length, language
    (EN, GOOD_EN.replace("?", ".").replace("Draw", "You could draw"), "actionability"),
    (ZH, GOOD_ZH.replace("？", "。").replace("画一个", "你也许可以画一个"), "actionability"),
    (EN, "Unlinking the last node from the second-to-last one is right, but another pointer of the list still "
         "refers to the removed node. After your deletion, which node does", "coherence"),
    (ZH, "断开最后一个结点这一步是对的，但链表还有另一个指针仍然指向被删掉的结点。删除之后 tail 指向", "coherence"),
    (EN, "Check which node tail points to after the deletion. " * 3 + "What happens on the next append?", "coherence"),
    (EN, GOOD_EN + " Honestly, this is a basic mistake.", "tutor_tone"),
    (ZH, GOOD_ZH + "说实话，这是个非常基础的错误。", "tutor_tone"),
    (EN, "Check tail.", "length"),
    (ZH, "检查 tail。", "length"),
    (ZH, GOOD_EN, "language"),
    (EN, GOOD_ZH, "language"),
])
def test_each_criterion_catches_its_failure(item, response, failed):
    scores = score_response(response, item)
    assert scores[failed] == 0.0, scores
    assert scores["total"] < 1.0


def test_a_hint_may_quote_the_attempt_without_revealing_the_answer():
    quoting = ("You set the second-to-last node's next to None, and that part is right. But something else of the "
               "list still refers to the removed node. Which pointer is it? Print head and tail after each line.")
    assert score_response(quoting, EN)["not_revealing"] == 1.0
    assert score_response(quoting, EN)["mistake_identification"] == 1.0


def test_generic_hint_neither_identifies_nor_locates_the_mistake():
    generic = ("Compare your answer with the examples from class and see what is different. Which part of the "
               "lecture notes covers this kind of problem? Review them carefully and then try again slowly.")
    scores = score_response(generic, EN)
    assert scores["mistake_identification"] == 0.0 and scores["mistake_location"] == 0.0


def test_answer_keys_read_numbers_complexity_classes_and_code_in_any_spelling():
    from easyds.answer_key import stated_fact

    key = ("is o(n^2) | 是 o(n^2)", "tail=cur", "3 & nodes | 个结点")
    assert stated_fact("It is O(n²) in the end.", key) == key[0]
    assert stated_fact("so it is quadratic", key) == key[0]          # the class in words
    assert stated_fact("和平方阶比一比？", key) is None                # the class named, not claimed
    assert stated_fact("它是 O(n^2) 的", key) == key[0]
    assert stated_fact("then `lst.tail  =  cur`", key) == key[1]       # code spacing
    assert stated_fact("then tail = current", key) is None             # another identifier
    assert stated_fact("it has three nodes", key) == key[2]           # number words
    assert stated_fact("一共三个结点", key) == key[2]
    assert stated_fact("a node or two", key) is None


def test_every_exercise_has_an_answer_key_that_its_answer_states_and_no_hint_material_does():
    import sys

    sys.path.insert(0, str(ROOT / "data" / "easyds"))
    import build_dataset

    assert build_dataset.check_keys() == []
    table = json.loads((ROOT / "data" / "easyds" / "exercises.json").read_text(encoding="utf-8"))
    assert len(table) == 168 and all(ex["key"] for ex in table.values())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bundled_pairs_chosen_pass_and_each_failure_type_fails_its_criterion(lang):
    rows = [json.loads(line) for line in open(ROOT / "data" / "easyds" / lang / "pref_eval.jsonl", encoding="utf-8")]
    chosen = [score_response(r["chosen"], parse_prompt(r["prompt"])) for r in rows]
    assert sum(s["total"] == 1.0 for s in chosen) / len(rows) >= 0.95
    expected = {"full_solution": "not_revealing", "plain_reveal": "not_revealing", "discouraging": "tutor_tone",
                "too_long": "length", "unfinished": "coherence", "wrong_mistake": "mistake_identification",
                "wrong_concept": "providing_guidance"}
    for r in rows:
        if r["rejected_type"] in expected:
            scores = score_response(r["rejected"], parse_prompt(r["prompt"]))
            assert scores[expected[r["rejected_type"]]] == 0.0, (r["rejected_type"], r["rejected"], scores)
    # As a reward: chosen beats rejected on most pairs.
    rewards_c = rubric_reward([r["prompt"] for r in rows], [r["chosen"] for r in rows])
    rewards_r = rubric_reward([r["prompt"] for r in rows], [r["rejected"] for r in rows])
    assert sum(c > r for c, r in zip(rewards_c, rewards_r)) / len(rows) >= 0.9


def test_prompt_fields_are_read_back_in_both_languages():
    en = parse_prompt("Topic: Stacks\nKnowledge point: push and pop\nExercise: E\nStudent's attempt: A\nLevel: beginner")
    zh = parse_prompt("主题：栈\n知识点：入栈与出栈\n题目：E\n学生的尝试：A\n水平：初级")
    assert en == {"lang": "en", "topic": "Stacks", "knowledge_point": "push and pop", "exercise": "E",
                  "attempt": "A", "level": "beginner"}
    assert zh["lang"] == "zh" and zh["topic"] == "栈" and zh["attempt"] == "A"


# --- statistics over samples -----------------------------------------------------------------------------------------
def test_distinct_n_counts_unique_ngrams_over_all_responses():
    from easyds.evaluate import distinct_n

    texts, langs = ["a b a b", "A c"], ["en", "en"]
    assert distinct_n(texts, langs, 1) == pytest.approx(3 / 6)  # a b a b a c -> {a, b, c}
    assert distinct_n(texts, langs, 2) == pytest.approx(3 / 4)  # ab ba ab ac -> {ab, ba, ac}
    assert distinct_n(["栈 栈顶", "栈"], ["zh", "zh"], 1) == pytest.approx(2 / 4)  # characters, spaces ignored
    assert distinct_n(["a"], ["en"], 2) == 0.0


def _sample(i, rubric_total, rm, tokens=4, nll=2.0, ended=True, kl=0.5):
    rubric = {c: 1.0 for c in CRITERIA}
    rubric["total"] = rubric_total
    return {"id": f"q{i}", "prompt": f"p{i}", "response": f"hint number {i}", "lang": "en", "tokens": tokens,
            "ended": ended, "rubric": rubric, "rubric_total": rubric_total, "rm_score": rm, "base_nll": nll, "kl": kl}


def test_win_rates_mean_sem_and_perplexity_on_fixed_samples():
    from easyds.evaluate import mean_sem, summarize, win_rate

    mean, sem = mean_sem([1.0, 2.0, 3.0])
    assert mean == 2.0 and sem == pytest.approx(1 / 3 ** 0.5)
    samples = [_sample(0, 1.0, 2.0), _sample(1, 0.5, 1.0, ended=False), _sample(2, 0.5, -1.0), _sample(3, 1.0, 0.0)]
    baseline = [_sample(0, 0.5, 1.0), _sample(1, 0.5, 3.0), _sample(2, 1.0, -1.0), _sample(9, 0.0, 9.0)]
    # By reward: win, loss, tie (q3 has no baseline and is left out) -> (1 + 0 + 0.5) / 3.
    w = win_rate(samples, baseline, "rm_score")
    assert w["n"] == 3 and w["rate"] == pytest.approx(0.5) and w["sem"] == pytest.approx((0.25 / 3) ** 0.5)
    m = summarize(samples, baseline)
    assert m["win_rate/rubric"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert m["rubric/total"] == pytest.approx(0.75) and m["reward/score"] == pytest.approx(0.5)
    assert m["length/eos_rate"] == pytest.approx(0.75) and m["length/tokens"] == 4
    assert m["fluency/ppl_base"] == pytest.approx(2.718281828 ** (8.0 / 16))  # exp(sum NLL / sum tokens)
    assert m["kl/to_reference"] == pytest.approx(0.5) and m["kl/per_token"] == pytest.approx(2.0 / 16)
    assert "win_rate/rm" not in summarize(samples)  # no baseline, no win rate


# --- evaluation of a checkpoint against a naive, unbatched reference ------------------------------------------------
def test_evaluate_checkpoint_matches_one_prompt_at_a_time(tmp_path, tokenizer):
    """Batched, left-padded generation and scoring give what each prompt alone gives, computed independently: greedy
    tokens, the exact KL summed over tokens, the base model's NLL and the reward score; KL to itself is 0."""
    import torch
    from peft import LoraConfig, get_peft_model

    from common.config import ModelArguments
    from easyds.evaluate import EvaluationArguments
    from common.data import read_jsonl, spread
    from easyds.evaluate import evaluate_checkpoint
    from common.modeling import ScalarHeadModel, load_causal_lm
    from common.templates import build_prompt

    torch.manual_seed(0)
    policy = get_peft_model(load_causal_lm("embedded:tiny-qwen2"), LoraConfig(
        target_modules=["q_proj", "v_proj"], r=4, lora_alpha=16, init_lora_weights=False))
    policy.peft_config["default"].base_model_name_or_path = "embedded:tiny-qwen2"
    policy.save_pretrained(tmp_path / "policy")
    tokenizer.save_pretrained(tmp_path / "policy")
    ScalarHeadModel.from_backbone("embedded:tiny-qwen2").save_pretrained(str(tmp_path / "rm"))
    eval_file = str(ROOT / "data" / "easyds" / "en" / "eval_prompts.jsonl")
    args = EvaluationArguments(eval_file=eval_file, output_dir=str(tmp_path / "eval"), max_eval_samples=3,
                               batch_size=3, max_new_tokens=6, reference_model_name_or_path="embedded:tiny-qwen2",
                               reward_model_name_or_path=str(tmp_path / "rm"))
    samples, metrics = evaluate_checkpoint(ModelArguments(model_name_or_path=str(tmp_path / "policy")), args)
    assert metrics["n"] == 3 and metrics["kl/to_reference"] > 0

    merged = load_causal_lm(str(tmp_path / "policy"), adapter="merge").eval()
    base = load_causal_lm("embedded:tiny-qwen2").eval()
    rm = ScalarHeadModel.from_pretrained(str(tmp_path / "rm"))
    for record, sample in zip(spread(read_jsonl(eval_file, ("prompt",)), 3), samples):
        prompt = tokenizer(build_prompt(tokenizer, record["prompt"], args.system_prompt),
                           add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            stops = [tokenizer.eos_token_id, tokenizer.convert_tokens_to_ids("<|endoftext|>")]
            out = merged.generate(torch.tensor([prompt]), max_new_tokens=6, do_sample=False, eos_token_id=stops,
                                  pad_token_id=tokenizer.pad_token_id)
            response = out[0, len(prompt):].tolist()
            assert sample["tokens"] == len(response)
            ids = torch.tensor([prompt + response])
            kl = nll = 0.0
            for t in range(len(response)):  # the naive loop: one position at a time
                p = torch.log_softmax(merged(ids).logits[0, len(prompt) - 1 + t], -1)
                q = torch.log_softmax(base(ids).logits[0, len(prompt) - 1 + t], -1)
                kl += float((p.exp() * (p - q)).sum())
                nll -= float(q[response[t]])
            score = float(rm.score(ids, torch.ones_like(ids)))
        assert sample["kl"] == pytest.approx(kl, abs=1e-4)
        assert sample["base_nll"] == pytest.approx(nll, rel=1e-4)
        assert sample["rm_score"] == pytest.approx(score, abs=1e-4)

    itself = EvaluationArguments(eval_file=eval_file, output_dir=str(tmp_path / "eval2"), max_eval_samples=2,
                                 max_new_tokens=4, reference_model_name_or_path=str(tmp_path / "policy"))
    _, m = evaluate_checkpoint(ModelArguments(model_name_or_path=str(tmp_path / "policy")), itself)
    assert m["kl/to_reference"] == 0.0 and "reward/score" not in m


def test_a_failed_rerun_leaves_no_stale_metrics_json(tmp_path):
    """metrics.json is the pipeline's "done" marker: a re-run removes it before it starts, so a failure can never
    leave the old one beside new, partial files; the bad input is named with its line and field."""
    from conftest import launch, write_jsonl

    out = tmp_path / "eval"
    out.mkdir()
    (out / "metrics.json").write_text('{"n": 8}')
    bad = write_jsonl(tmp_path / "prompts.jsonl", [{"prompt": "Topic: heaps", "lang": "fr"}])
    with pytest.raises(AssertionError, match=r"prompts.jsonl:1: field 'lang' is 'fr', expected one of en, zh"):
        launch("evaluate", ["--model_name_or_path", "embedded:tiny-qwen2", "--eval_file", bad, "--output_dir", out])
    assert not (out / "metrics.json").exists()


def test_judge_agreement_counts_by_hand():
    from easyds.judges import judge_agreement

    pairs = [{"prompt": "Topic: Stacks", "rejected_type": "vague", "lang": "en"},
             {"prompt": "Topic: Stacks", "rejected_type": "vague", "lang": "en"},
             {"prompt": "主题：栈", "rejected_type": "full_solution"},  # lang read from the prompt's labels
             {"prompt": "Topic: Queues"}]  # no type
    r = judge_agreement(pairs, [1.0, 0.5, 0.2, 3.0], [0.0, 0.5, 0.9, 1.0], judge="j")
    assert (r["pairs"], r["prefers_chosen"], r["tie"], r["prefers_rejected"]) == (4, 2, 1, 1)
    assert r["agreement"] == 0.5 and r["agreement_strict"] == pytest.approx(2 / 3)
    assert r["by_type"]["vague"] == {"pairs": 2, "prefers_chosen": 1, "tie": 1, "prefers_rejected": 0,
                                     "agreement": 0.5, "agreement_strict": 1.0}
    assert r["by_type"]["full_solution"]["prefers_rejected"] == 1 and r["by_type"]["unlabelled"]["agreement"] == 1.0
    assert r["by_lang"]["zh"]["pairs"] == 1 and r["by_lang"]["en"]["pairs"] == 3
    assert r["confusion"]["rows"] == {"full_solution": [0, 0, 1], "unlabelled": [1, 0, 0], "vague": [1, 1, 0]}


def test_validate_judges_on_a_crafted_file(tmp_path):
    """The rubric on three hand-made pairs (a good hint over a give-away: agree; the same text twice: tie; the pair
    the wrong way round: oppose), and a reward model alongside, through the launch script."""
    from common.modeling import ScalarHeadModel
    from conftest import launch, write_jsonl

    prompt = ("Topic: Stacks\nKnowledge point: push and pop\nExercise: Check balanced brackets.\nStudent's attempt: "
              "pushes every bracket but never pops\nLevel: beginner\nWrite a short teaching prompt that guides the "
              "student without giving the answer.")
    good = ("Good start: pushing is right. When you meet a closing bracket, what should happen to the stack? Trace "
            "your loop on the input ( ] by hand and watch which bracket you pop.")
    giveaway = "Here is the answer: ```python\ndef ok(s):\n    st = []\n    return not st\n```"
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [
        {"prompt": prompt, "chosen": good, "rejected": giveaway, "rejected_type": "full_solution"},
        {"prompt": prompt, "chosen": good, "rejected": good, "rejected_type": "vague"},
        {"prompt": prompt, "chosen": giveaway, "rejected": good, "rejected_type": "vague"}])
    ScalarHeadModel.from_backbone("embedded:tiny-qwen2").save_pretrained(str(tmp_path / "rm"))
    out = tmp_path / "judges.jsonl"
    stdout = launch("validate_judges", ["--pairs", pairs, "--reward_model_name_or_path", tmp_path / "rm",
                                        "--output_file", out, "--batch_size", 2])
    rubric, rm = [json.loads(line) for line in out.read_text().splitlines()]
    assert rubric["judge"] == "rubric" and (rubric["prefers_chosen"], rubric["tie"], rubric["prefers_rejected"]) == (1, 1, 1)
    assert rubric["by_type"]["full_solution"]["agreement"] == 1.0 and rubric["confusion"]["rows"]["vague"] == [0, 1, 1]
    assert rm["judge"].startswith("reward model") and rm["pairs"] == 3 and rm["tie"] >= 1  # identical texts tie
    assert rm["prefers_chosen"] + rm["tie"] + rm["prefers_rejected"] == 3
    assert "full_solution" in stdout and "all" in stdout


@pytest.mark.parametrize("spec", ["easyds/rubric.py:rubric_reward", "common/rubric.py:rubric_reward",
                                  "common/evaluation.py:rubric_reward"])  # the last two: deprecated aliases
def test_the_rubric_loads_as_a_ppo_reward_function_from_its_file(spec):
    from rlhf.experience import load_reward_fn

    prompt = ("Topic: Linked lists\nKnowledge point: deleting a node\nExercise: " + EN["exercise"]
              + "\nStudent's attempt: " + EN["attempt"] + "\nLevel: beginner\nWrite a short teaching prompt.")
    reward = load_reward_fn(str(ROOT / spec))
    responses = [GOOD_EN, "Check tail."]
    assert reward([prompt, prompt], responses) == rubric_reward([prompt, prompt], responses)
    assert reward([prompt], [GOOD_EN]) == [1.0]
