"""The teaching-quality rubric: nine rule-based criteria of a teaching prompt, each 0 or 1, and their mean.

The criteria follow the dimensions tutoring research annotates (MRBench, Maurya et al., NAACL 2025; the BEA 2025
shared task), plus length and language; ``data/easyds/ANNOTATION.md`` (section 2) gives each one's rule, examples and
known blind spots. Where the exercise is one of the curriculum's (found by its text in ``exercises.json``), the rules
are answer-aware: a hint that states the exercise's answer key in any words fails ``not_revealing``, and a hint
closer to another known misconception of the exercise than to this student's fails ``mistake_identification``. On
other exercises those two fall back to surface rules (markers, code blocks; overlap with the student's attempt).

Pure: the standard library only; the tables are read from ``data/easyds`` once.
"""
import json
import re
from functools import lru_cache
from pathlib import Path

from .answer_key import has_marker, normalise, stated_fact
from .situations import parse_prompt

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "easyds"
CRITERIA = ("mistake_identification", "mistake_location", "not_revealing", "providing_guidance", "actionability",
            "coherence", "tutor_tone", "length", "language")

IMPERATIVES = {"en": ("try", "trace", "draw", "write", "print", "count", "compare", "test", "check", "run", "list",
                      "step through", "walk through", "sketch", "work out", "add"),
               "zh": ("试", "追踪", "画", "写出", "写下", "打印", "数一数", "比较", "测试", "检查", "运行", "列出", "算一算", "手动")}
SENTENCE_ENDS = ".?!。？！…"
STOPWORDS = set("""about after again also because been before being between both could does doing down each
every from have having here into just like more most much must only other over same should some such than that
their them then there these they this those through under until very were what when where which while will with
would your yours student students answer exercise""".split())
HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=None)
def _table(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def lexicon() -> dict:
    return _table("lexicon.json")


def topics() -> dict:
    return _table("topics.json")


def exercises() -> dict:
    return _table("exercises.json")


def topic_key(name: str):
    """The topic's key (``linked_lists``) from its key or its display name in either language."""
    for key, t in topics().items():
        if name in (key, t["name"]["en"], t["name"]["zh"]):
            return key
    return None


@lru_cache(maxsize=1)
def _exercise_ids() -> dict:
    return {normalise(text): ex_id for ex_id, ex in exercises().items() for text in ex["text"].values()}


def find_exercise(item: dict):
    """The curriculum's record of the item's exercise (by ``exercise_id``, else by its text), or None."""
    ex_id = item.get("exercise_id")
    if ex_id not in exercises():
        ex_id = _exercise_ids().get(normalise(item.get("exercise", "")))
    return exercises().get(ex_id) if ex_id else None


def length_of(text: str, lang: str) -> int:
    """Words (en) or non-space characters (zh), the units of the length bounds."""
    return len(text.split()) if lang == "en" else len(re.sub(r"\s", "", text))


def content_units(text: str) -> set:
    """What two texts can share about a mistake: stems of English content words, pairs of adjacent Chinese
    characters, code identifiers and numbers (normalised, so ``tail = cur`` and ``tail=cur`` are one)."""
    low = normalise(text)
    words = {w[:5] for w in re.findall(r"[a-z]{4,}", low) if w not in STOPWORDS}
    han = {low[i:i + 2] for i in range(len(low) - 1) if HAN.match(low[i]) and HAN.match(low[i + 1])}
    code = set(re.findall(r"[a-z_][a-z0-9_]*(?:[.=\[(<>!+\-*/%]+[a-z0-9_]+)+", low)) | \
        set(re.findall(r"(?<![a-z0-9_.])\d+(?![a-z0-9_])", low))
    return words | han | code


def _mistake_units(mistake: dict, lang: str) -> set:
    return set().union(*(content_units(mistake[part][lang]) for part in ("attempt", "alt", "diag", "ask", "step")))


def student_mistake(ex: dict, attempt: str, lang: str) -> int:
    """Which of the exercise's known misconceptions the attempt describes: the one whose attempt or report it is,
    else the one sharing most with it."""
    key = normalise(attempt)
    for k, m in enumerate(ex["mistakes"]):
        if key in {normalise(text) for part in ("attempt", "alt") for text in m[part].values()}:
            return k
    units = content_units(attempt)
    return max(range(len(ex["mistakes"])), key=lambda k: len(units & _mistake_units(ex["mistakes"][k], lang)))


def identifies_mistake(response: str, item: dict, ex, own: int = None) -> bool:
    """The hint is about this student's mistake: it shares something specific with it (the attempt, or the known
    misconception's material), and no other known misconception of the exercise shares more with it."""
    lang = item.get("lang", "en")
    hint = content_units(response)
    exercise = content_units(item.get("exercise", ""))
    if ex is None:
        return bool(hint & content_units(item.get("attempt", "")))
    attempt = content_units(item.get("attempt", "")) - exercise
    own = student_mistake(ex, item.get("attempt", ""), lang) if own is None else own
    materials = [_mistake_units(m, lang) for m in ex["mistakes"]]
    materials[own] |= attempt
    # Units every misconception of the exercise shares (its vocabulary) tell nothing about which one is meant.
    common = set.intersection(*materials) | exercise
    overlap = [len(hint & (m - common)) for m in materials]
    return overlap[own] > 0 and overlap[own] >= max(overlap)


def reveals_answer(response: str, lang: str, ex) -> bool:
    """A code block, a give-away phrase, or (on a curriculum exercise) a fact of its answer key in any words."""
    if "```" in response or any(has_marker(response, m) for m in lexicon()["giveaway_markers"][lang]):
        return True
    return bool(ex and stated_fact(response, ex["key"]))


def asserts_misconception(response: str, item: dict) -> bool:
    """The hint repeats the knowledge point's known false statement: three quarters of what that statement says
    beyond the situation itself. Only the curriculum's catalogued misconceptions are known, and a hint that quotes
    one to refute it looks the same to this rule."""
    key = topic_key(item.get("topic", ""))
    lang = item.get("lang", "en")
    for point in (topics()[key]["knowledge_points"].values() if key else ()):
        if item.get("knowledge_point") in (point["en"], point["zh"]):
            situation = content_units(" ".join(item.get(f, "") for f in ("exercise", "attempt", "knowledge_point")))
            wrong = content_units(point["misconception"][lang]) - situation
            return len(wrong) >= 3 and len(content_units(response) & wrong) >= 0.75 * len(wrong)
    return False


def is_complete(text: str) -> bool:
    """Ends a sentence (a cut or unfinished hint does not) and closes its inline code."""
    end = text.rstrip().rstrip("”’\"')）]」*")
    return bool(end) and end[-1] in SENTENCE_ENDS and text.count("`") % 2 == 0


def is_repetitive(text: str) -> bool:
    """A sentence said twice, or a phrase looping (a window of 6 words, or of 10 Chinese characters, seen three
    times), as degenerate generations do."""
    sentences = [normalise(s) for s in re.split(r"(?<=[.?!。？！])\s*", text) if len(s.strip()) > 8]
    if len(sentences) != len(set(sentences)):
        return True
    tokens = re.findall(r"[a-z0-9_]+|[\u4e00-\u9fff]|[^\sa-z0-9_\u4e00-\u9fff]", text.lower())
    n = 10 if HAN.search(text) else 6
    grams = [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return any(grams.count(g) >= 3 for g in set(grams))


def score_response(response: str, item: dict) -> dict:
    """Each criterion 0/1 for ``response`` to the situation ``item`` (topic, knowledge_point, exercise, attempt,
    lang; ``exercise_id`` optional), and ``total``, their mean."""
    lang = item.get("lang", "en")
    text, low = response.strip(), response.lower()
    lex = lexicon()
    ex = find_exercise(item)
    key = topic_key(item.get("topic", ""))
    keywords = topics()[key]["keywords"][lang] if key else []
    kp = item.get("knowledge_point", "")
    on_topic = any(k.lower() in low for k in keywords) or bool(kp and kp.lower() in low)
    situation = content_units(item.get("attempt", "") + " " + item.get("exercise", ""))
    own = student_mistake(ex, item.get("attempt", ""), lang) if ex is not None else None
    if ex is not None:  # what a hint about this student's known misconception may name
        situation |= _mistake_units(ex["mistakes"][own], lang)
    han = len(HAN.findall(text))
    bounds = lex["good_length"][lang]
    scores = {
        "mistake_identification": identifies_mistake(text, item, ex, own),
        "mistake_location": on_topic and bool(content_units(text) & situation),
        "not_revealing": not reveals_answer(text, lang, ex),
        "providing_guidance": not asserts_misconception(text, item),
        "actionability": "?" in text or "？" in text or any(
            re.search(rf"(^|[.!。！；;]\s*){re.escape(w)}", low) for w in IMPERATIVES[lang]),
        "coherence": is_complete(text) and not is_repetitive(text),
        "tutor_tone": not any(has_marker(text, m) for m in lex["belittling_markers"][lang]),
        "length": bounds["min"] <= length_of(text, lang) <= bounds["max"],
        "language": han == 0 if lang == "en" else han >= 0.3 * max(1, len(re.sub(r"\s", "", text))),
    }
    out = {c: float(scores[c]) for c in CRITERIA}
    out["total"] = sum(out.values()) / len(CRITERIA)
    return out


def rubric_reward(prompts: list, responses: list) -> list:
    """PPO ``--reward_fn``: the rubric total of each response, the situation read back from its prompt."""
    return [score_response(r, parse_prompt(p))["total"] for p, r in zip(prompts, responses)]
