"""The teaching-quality rubric of ``data/easyds/ANNOTATION.md``, criterion by criterion, in both languages.

Each criterion is a rule from section 2 of the annotation guide and scores 0 or 1; ``total`` is their mean.
``rubric_reward`` wraps it as a PPO ``--reward_fn`` (``common/evaluation.py:rubric_reward``): it reads the
student's situation back from the prompt text, so it needs nothing but the prompts and responses.
"""
import json
import re
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "easyds"
CRITERIA = ("relevance", "no_giveaway", "guiding", "addresses_mistake", "length", "language", "tone")

# Labels of the prompt's lines (en, zh), as the data set writes them.
FIELDS = {"topic": ("Topic:", "主题："), "knowledge_point": ("Knowledge point:", "知识点："),
          "exercise": ("Exercise:", "题目："), "attempt": ("Student's attempt:", "学生的尝试："),
          "level": ("Level:", "水平：")}
IMPERATIVES = {"en": ("try", "trace", "draw", "write", "print", "count", "compare", "test"),
               "zh": ("试", "追踪", "画", "写出", "打印", "数一数", "比较", "测试")}
STOPWORDS = set("""about after again also because been before being between both could does doing down each
every from have having here into just like more most much must only other over same should some such than that
their them then there these they this those through under until very were what when where which while will with
would your yours student students answer exercise""".split())
HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return json.loads((DATA_DIR / "lexicon.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def topics() -> dict:
    return json.loads((DATA_DIR / "topics.json").read_text(encoding="utf-8"))


def topic_key(name: str):
    """The topic's key (``linked_lists``) from its key or its display name in either language."""
    for key, t in topics().items():
        if name in (key, t["name"]["en"], t["name"]["zh"]):
            return key
    return None


def parse_prompt(prompt: str) -> dict:
    """The situation's fields from a prompt written like the data set's; ``lang`` from its labels."""
    item = {"lang": "zh" if "主题：" in prompt else "en"}
    for line in prompt.splitlines():
        for field, labels in FIELDS.items():
            for label in labels:
                if line.startswith(label):
                    item[field] = line[len(label):].strip()
    return item


def _content_words(text: str) -> set:
    return {w[:5] for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in STOPWORDS}


def _identifiers(text: str) -> set:
    return set(re.findall(r"`([^`]+)`", text)) | set(re.findall(r"\b[A-Za-z_]\w*(?:\.\w+|\[\w*\])+", text)) | \
        set(re.findall(r"\b\d+\b", text))


def length_of(text: str, lang: str) -> int:
    """Words (en) or non-space characters (zh), the units of the length bounds."""
    return len(text.split()) if lang == "en" else len(re.sub(r"\s", "", text))


def score_response(response: str, item: dict) -> dict:
    """Each criterion 0/1 for ``response`` to the situation ``item`` (topic, knowledge_point, exercise, attempt,
    lang), and ``total``, their mean."""
    lang = item.get("lang", "en")
    text, low = response.strip(), response.lower()
    lex = lexicon()
    key = topic_key(item.get("topic", ""))
    keywords = topics()[key]["keywords"][lang] if key else []
    kp = item.get("knowledge_point", "")
    scores = {
        "relevance": any(k.lower() in low for k in keywords) or bool(kp and kp.lower() in low),
        "no_giveaway": "```" not in text and not any(m.lower() in low for m in lex["giveaway_markers"][lang]),
        "guiding": "?" in text or "？" in text or any(
            re.search(rf"(^|[.!。！；;]\s*){re.escape(w)}", low) for w in IMPERATIVES[lang]),
        "tone": not any(m.lower() in low for m in lex["belittling_markers"][lang]),
    }
    bounds = lex["good_length"][lang]
    scores["length"] = bounds["min"] <= length_of(text, lang) <= bounds["max"]
    han = len(HAN.findall(text))
    scores["language"] = han == 0 if lang == "en" else han >= 0.3 * max(1, len(re.sub(r"\s", "", text)))
    context = item.get("attempt", "") + " " + item.get("exercise", "")
    if lang == "en":
        shared = _content_words(text) & _content_words(context)
    else:
        pairs = lambda s: {s[i:i + 2] for i in range(len(s) - 1) if HAN.match(s[i]) and HAN.match(s[i + 1])}  # noqa: E731
        shared = pairs(text) & pairs(context)
    scores["addresses_mistake"] = bool(shared or (_identifiers(text) & _identifiers(context)))
    out = {c: float(scores[c]) for c in CRITERIA}
    out["total"] = sum(out.values()) / len(CRITERIA)
    return out


def rubric_reward(prompts: list, responses: list) -> list:
    """PPO ``--reward_fn``: the rubric total of each response, the situation read back from its prompt."""
    return [score_response(r, parse_prompt(p))["total"] for p, r in zip(prompts, responses)]
