"""Answer keys: does a hint state an exercise's answer, in any words?

Pure: the standard library only; the data builder (``data/easyds/build_dataset.py``) validates the curriculum's keys
with it, and the rubric (``easyds/rubric.py``) flags hints with it, so both read a key the same way.

A key is a tuple of **facts**; a hint states the answer when it states any one fact. A fact is a string of **terms**
joined by ``" & "`` (all must occur); a term is alternatives joined by ``" | "`` (any may occur), in either language
or as code::

    key=("new tail | tail=cur | tail=prev | 新的 tail | 成为 tail",
         "head & tail & none | null | 空")

Hint and terms go through the same ``normalise``: lower case; full-width punctuation to ASCII; quotes and backticks
dropped; no spaces around code operators (``tail = cur`` and ``tail=cur`` are one); number words to digits (``three``,
``三`` → ``3``); complexity classes to one spelling (``O(n log n)``, ``n log n time``, ``linearithmic``, ``线性对数``
→ ``o(nlogn)``). A term that starts or ends with a letter or digit matches only at a word boundary there, so
``n`` does not match inside ``node``.
"""
import re
from functools import lru_cache

_WIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";", "＝": "=", "＋": "+", "－": "-",
                        "［": "[", "］": "]", "＜": "<", "＞": ">", "×": "*", "²": "^2", "³": "^3", "ⁿ": "^n",
                        "−": "-", "≤": "<=", "≥": ">=", "≠": "!=",
                        "“": "", "”": "", "‘": "", "’": "'", "`": "", "\"": "", "「": "", "」": ""})
_EN_NUMBERS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_EN_NUMBERS.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
                    "ninety": "90", "hundred": "100", "once": "1 time", "twice": "2 times"})
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Words for complexity classes, longest first within a language so "线性对数" is read before "线性".
_CLASSES = (
    (r"\bn\s*log\s*n\b(?!\))|\blinearithmic\b|线性对数", "o(nlogn)"),
    (r"\bn\s*squared\b|\bquadratic\b(?!\s+probing)|平方(?:阶|级|时间|复杂度)", "o(n^2)"),
    (r"\bn\s*cubed\b|\bcubic\b|立方(?:阶|级)", "o(n^3)"),
    (r"\blogarithmic\b|对数(?:阶|级|时间)", "o(logn)"),
    (r"\blinear(?=\s+(?:time|complexity)\b)|线性(?:阶|级|时间|复杂度)", "o(n)"),
    (r"\bconstant(?=\s+time\b)|常数(?:阶|级|时间)", "o(1)"),
    (r"\bexponential\b|指数(?:阶|级|时间)", "o(2^n)"),
)
_CLASS_NOUN = re.compile(r"(o\([^()]*\))\s+(?:time|complexity)\b")  # "linear time" and "o(n) time" are one

_OPERATORS = r"=<>!+\-*/%()\[\],.:;^"


def _zh_number(match: re.Match) -> str:
    s = match.group(0)
    if "十" not in s:
        return str(_ZH_DIGITS[s]) if len(s) == 1 else s
    tens, _, ones = s.partition("十")
    return str((_ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, 0) if ones else 0))


def _big_o(match: re.Match) -> str:
    inner = re.sub(r"\s+|\*", "", match.group(1))
    return "o(" + inner.replace("**", "^") + ")"


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """``text`` in the one spelling keys are matched in (see the module's docstring)."""
    t = text.casefold().translate(_WIDTH)
    t = re.sub(r"[a-z]+", lambda m: _EN_NUMBERS.get(m.group(0), m.group(0)), t)
    t = re.sub(r"[一二两三四五六七八九]?十[一二三四五六七八九]?|(?<![一二两三四五六七八九十])[零一二两三四五六七八九]"
               r"(?=[个次步层位条项种倍])", _zh_number, t)
    t = re.sub(r"\bo\s*\(([^()]*)\)", _big_o, t)
    for pattern, spelling in _CLASSES:
        t = re.sub(pattern, spelling, t)
    t = _CLASS_NOUN.sub(r"\1", t)
    t = re.sub(rf"\s*([{_OPERATORS}])\s*", r"\1", t)
    t = re.sub(r"\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+", "", t)  # spaces next to Han mean nothing
    return re.sub(r"\s+", " ", t).strip()


def parse_fact(fact: str) -> tuple:
    """A fact's terms, each a tuple of normalised alternatives."""
    terms = tuple(tuple(normalise(alt) for alt in re.split(r"\s+\|\s+", term) if alt.strip())
                  for term in re.split(r"\s+&\s+", fact.strip()))
    if not terms or not all(terms):
        raise ValueError(f"empty term in answer-key fact {fact!r}")
    return terms


@lru_cache(maxsize=8192)
def _pattern(alt: str) -> re.Pattern:
    left = r"(?<![a-z0-9_])" if re.match(r"[a-z0-9_]", alt) else ""
    right = r"(?![a-z0-9_])" if re.search(r"[a-z0-9_]$", alt) else ""
    return re.compile(left + re.escape(alt) + right)


def stated_fact(text: str, key) -> str | None:
    """The first fact of ``key`` that ``text`` states, or None."""
    t = normalise(text)
    for fact in key:
        if all(any(_pattern(alt).search(t) for alt in term) for term in parse_fact(fact)):
            return fact
    return None


def has_marker(text: str, marker: str) -> bool:
    """Whether ``text`` contains the phrase ``marker`` (case-insensitive; whole words where it starts or ends with a
    letter, so "copy it" is not found in "copy its key")."""
    marker = marker.lower()
    left = r"(?<![a-z])" if marker[:1].isascii() and marker[:1].isalpha() else ""
    right = r"(?![a-z])" if marker[-1:].isascii() and marker[-1:].isalpha() else ""
    return re.search(left + re.escape(marker) + right, text.lower()) is not None
