"""The student's situation: its fields, its rendering as a prompt, and parsing it back.

A situation is ``{"topic", "knowledge_point" (optional), "exercise", "attempt", "level", "lang"}``.
``render_situation`` writes it as the bundled data set's prompts are written (a labelled line per field, then the
instruction); serving renders requests with it, so a deployed model is asked exactly as it was trained.
``parse_prompt`` reads the labels back. ``check_situation`` validates one from an API request, naming the bad field.
``SYSTEM_PROMPT`` is the system message every EasyDS stage trains and serves with (the launch scripts' default).
"""

SYSTEM_PROMPT = (
    "You are EasyDS, a data-structures tutor. Write a short hint that guides the student "
    "toward the idea without giving away the answer."
)
LAUNCH_DEFAULTS = {"system_prompt": SYSTEM_PROMPT}  # what the launch scripts give the training core's groups
REQUIRED_FIELDS = ("topic", "exercise", "attempt", "level")
OPTIONAL_FIELDS = ("knowledge_point", "lang")
MAX_FIELD_CHARS = 2000  # the longest field a request may send

# The data set's prompt (data/easyds/curriculum/phrases.py, PROMPT): one labelled line per field, then the instruction.
SITUATION_LABELS = {
    "en": {"topic": "Topic: ", "knowledge_point": "Knowledge point: ", "exercise": "Exercise: ",
           "attempt": "Student's attempt: ", "level": "Level: "},
    "zh": {"topic": "主题：", "knowledge_point": "知识点：", "exercise": "题目：", "attempt": "学生的尝试：",
           "level": "水平："},
}
INSTRUCTION = {"en": "Write a short teaching prompt that guides the student without giving the answer.",
               "zh": "请写一段简短的教学提示，引导学生思考，但不要直接给出答案。"}
LEVEL_NAMES = {"beginner": {"en": "beginner", "zh": "初级"}, "intermediate": {"en": "intermediate", "zh": "中级"},
               "advanced": {"en": "advanced", "zh": "高级"}}
LANGS = tuple(SITUATION_LABELS)


def render_situation(item: dict) -> str:
    """The prompt text of a situation ``{"topic", "knowledge_point" (optional), "exercise", "attempt", "level",
    "lang"}``; ``level`` is a key of ``LEVEL_NAMES`` (written in the item's language) or free text."""
    lang = item.get("lang") or "en"
    labels = SITUATION_LABELS[lang]
    level = LEVEL_NAMES.get(item["level"], {}).get(lang, item["level"])
    values = {**item, "level": level}
    lines = [labels[f] + values[f] for f in labels if values.get(f)]
    return "\n".join(lines + [INSTRUCTION[lang]])


def parse_prompt(prompt: str) -> dict:
    """The situation's fields from a prompt written like the data set's; ``lang`` from its labels."""
    lang = "zh" if SITUATION_LABELS["zh"]["topic"] in prompt else "en"
    item = {"lang": lang}
    for line in prompt.splitlines():
        for field, label in SITUATION_LABELS[lang].items():
            if line.startswith(label.strip()):
                item[field] = line[len(label.strip()):].strip()
    return item


class RequestError(ValueError):
    """A bad situation or setting; ``field`` names it (``body`` for the request as a whole)."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


def check_situation(item, max_field_chars: int = MAX_FIELD_CHARS) -> dict:
    """The situation with defaults filled (``lang`` en), or ``RequestError`` naming the first bad field."""
    if not isinstance(item, dict):
        raise RequestError("body", f"expected a JSON object with the fields {', '.join(REQUIRED_FIELDS)}; "
                                   f"got {type(item).__name__}")
    unknown = sorted(set(item) - set(REQUIRED_FIELDS + OPTIONAL_FIELDS))
    if unknown:
        raise RequestError(unknown[0], f"unknown field; a situation has {', '.join(REQUIRED_FIELDS)} and optionally "
                                       f"{', '.join(OPTIONAL_FIELDS)}")
    out = {}
    for name in REQUIRED_FIELDS + OPTIONAL_FIELDS:
        if name not in item or item[name] is None:
            if name in REQUIRED_FIELDS:
                raise RequestError(name, "missing")
            continue
        value = item[name]
        if not isinstance(value, str):
            raise RequestError(name, f"expected a string, got {type(value).__name__}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:  # JSON may escape a lone surrogate (\ud800), which no text can hold
            raise RequestError(name, f"not valid Unicode text (lone surrogate at character {e.start})") from None
        if not value.strip():
            raise RequestError(name, "empty")
        if len(value) > max_field_chars:
            raise RequestError(name, f"{len(value)} characters; at most {max_field_chars}")
        out[name] = value.strip()
    if out["level"] not in LEVEL_NAMES:
        raise RequestError("level", f"{out['level']!r}; expected one of {', '.join(LEVEL_NAMES)}")
    out.setdefault("lang", "en")
    if out["lang"] not in LANGS:
        raise RequestError("lang", f"{out['lang']!r}; expected one of {', '.join(LANGS)}")
    return out
