#!/usr/bin/env python3
"""Build the bundled EasyDS teaching-prompt data set (en and zh) deterministically.

    python data/easyds/build_dataset.py             # regenerate the files next to this script
    python data/easyds/build_dataset.py --out DIR   # write them somewhere else
    python data/easyds/build_dataset.py --check     # exit 1 if the committed files are not what this builds

The content is hand-written in ``curriculum/`` (topics, knowledge points, exercises, misconceptions and the
hint material for each misconception, in both languages); this script only enumerates situations, splits
them and composes the texts. ANNOTATION.md documents the files and what a good teaching prompt is.
Standard library only, no network; the same tables and seed give the same bytes.
"""
import argparse
import hashlib
import json
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The tables are a sibling package; putting this folder first also makes the script importable from tests.
# No bytecode: the data folder is committed as is, and a stray __pycache__ would end up next to the data.
# The answer-key matcher is the rubric's own (easyds/answer_key.py, standard library only), so the repository root
# goes on the path too.
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent.parent))
sys.dont_write_bytecode = True

from easyds.answer_key import has_marker, parse_fact, stated_fact  # noqa: E402

from curriculum import TOPICS  # noqa: E402
from curriculum import phrases as P  # noqa: E402
from curriculum.schema import Exercise, Mistake, Topic  # noqa: E402

SEED = 20240611
LANGS = ("en", "zh")
LEVELS = ("beginner", "intermediate", "advanced")
FORMS = ("attempt", "alt")  # the same misconception, described by a tutor or reported by the student
# The failure types of a rejected response (ANNOTATION.md, section 3), each failing one criterion of the rubric.
REJECTED_TYPES = ("full_solution", "plain_reveal", "off_topic", "vague", "wrong_concept", "wrong_mistake", "too_long",
                  "discouraging", "unfinished")

EVAL_EXERCISES_PER_TOPIC = 2  # held out of every training split; eval_prompts uses only these
N_SFT_EVAL = 100
N_PREF_EVAL = 150
N_TRAIN = 1200                # sft_train and pref_train; the remaining training situations go to PPO

# Length bounds of a good teaching prompt (ANNOTATION.md, criterion 5): words for en, non-space characters
# for zh. Hand-written material that breaks them fails the build instead of slipping into the data.
GOOD_LENGTH = {"en": (25, 70), "zh": (40, 170)}
MAX_PROMPT_WORDS_EN = 90
TOO_LONG_FACTOR = 3

FILES = ("sft_train", "sft_eval", "pref_train", "pref_eval", "ppo_prompts", "eval_prompts")


@dataclass(frozen=True)
class Situation:
    """One student situation: an exercise, one misconception in one form, at one level."""

    sid: str
    topic: Topic
    exercise_id: str
    exercise: Exercise
    mistake_index: int
    form: str
    level: str

    @property
    def mistake(self) -> Mistake:
        return self.exercise.mistakes[self.mistake_index]


def text_length(text: str, lang: str) -> int:
    return len(text.split()) if lang == "en" else sum(not ch.isspace() for ch in text)


def fill(template: str, **values: str) -> str:
    # str.format would choke on braces in code fragments, so only the named slots are replaced.
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def join(parts: list[str], lang: str) -> str:
    return (" " if lang == "en" else "").join(p for p in parts if p)


def render(parts: list, lang: str, topic: Topic, point: str) -> str:
    """Render a list of (en, zh) pairs in one language, filling the {kp} and {topic} slots."""
    i = LANGS.index(lang)
    slots = {"kp": topic.points[point].name[i], "topic": topic.name[i]}
    return join([fill(p[i], **slots) for p in parts], lang)


# --- enumeration and splits ------------------------------------------------------------------------------

def enumerate_situations() -> list[Situation]:
    situations = []
    for topic in TOPICS:
        for e, exercise in enumerate(topic.exercises, start=1):
            for m in range(len(exercise.mistakes)):
                for form in FORMS:
                    for level in LEVELS:
                        sid = f"easyds-{len(situations) + 1:04d}"
                        situations.append(Situation(sid, topic, f"{topic.key}-{e:02d}", exercise, m, form, level))
    return situations


def held_out_exercises(rng: random.Random) -> set[str]:
    """Exercises reserved for eval_prompts: unseen exercises, but never an unseen knowledge point.

    Each topic's first exercise is its core operation (plain binary search, deleting the last node, ...) and
    is never held out; a draw that would leave some knowledge point without a training exercise is redrawn.
    """
    held = set()
    for topic in TOPICS:
        point_of = {f"{topic.key}-{e:02d}": ex.point for e, ex in enumerate(topic.exercises, start=1)}
        candidates = sorted(point_of)[1:]
        while True:
            pick = rng.sample(candidates, EVAL_EXERCISES_PER_TOPIC)
            trained = {point for ex_id, point in point_of.items() if ex_id not in pick}
            if trained == set(topic.points):
                break
        held.update(pick)
    return held


def make_splits(situations: list[Situation], held: set[str], rng: random.Random) -> dict[str, list[Situation]]:
    train_pool = [s for s in situations if s.exercise_id not in held]
    rng.shuffle(train_pool)
    # pref_eval holds out 150 situations; sft_eval is its first 100, so neither eval set leaks into the
    # training files. SFT and preference training share their situations; PPO gets the situations (other
    # form/level combinations) that no SFT or preference file uses.
    splits = {
        "sft_eval": train_pool[:N_SFT_EVAL],
        "pref_eval": train_pool[:N_PREF_EVAL],
        "sft_train": train_pool[N_PREF_EVAL:N_PREF_EVAL + N_TRAIN],
        "pref_train": train_pool[N_PREF_EVAL:N_PREF_EVAL + N_TRAIN],
        "ppo_prompts": train_pool[N_PREF_EVAL + N_TRAIN:],
    }
    # eval_prompts: every held-out (misconception, level) once, in one of its two forms.
    by_key = {(s.exercise_id, s.mistake_index, s.level, s.form): s for s in situations if s.exercise_id in held}
    splits["eval_prompts"] = [by_key[(e, m, level, rng.choice(FORMS))]
                              for (e, m, level, form) in sorted(by_key) if form == FORMS[0]]
    return splits


# --- composition -----------------------------------------------------------------------------------------

def good_parts(topic: Topic, point: str, mistake: Mistake, level: str, rng: random.Random) -> list:
    """Pairs of a good teaching prompt: diagnosis, guiding question and next step, framed for the level."""
    opener = rng.choice(P.OPENERS[level])
    closer = rng.choice(P.CLOSERS[level])
    m = mistake
    if level == "beginner":
        # Beginners get the concrete step and warmth; the order varies so not every hint ends the same way.
        body = [m.diag, m.step, m.ask] if rng.random() < 0.5 else [m.diag, m.ask, m.step]
        parts = [opener, *body] + ([closer] if rng.random() < 0.4 else [])
    elif level == "intermediate":
        parts = [opener, m.diag, m.ask, m.step if rng.random() < 0.6 else closer]
    else:
        # Advanced students get less scaffolding and a push to justify or generalise.
        parts = ([opener] if rng.random() < 0.6 else []) + [m.diag, m.ask] + ([closer] if rng.random() < 0.6 else [])

    def outside(side: int) -> bool:  # side 0: below the lower bound in some language, 1: above the upper
        lengths = {lang: text_length(render(parts, lang, topic, point), lang) for lang in LANGS}
        return any((n < GOOD_LENGTH[lang][0]) if side == 0 else (n > GOOD_LENGTH[lang][1])
                   for lang, n in lengths.items())

    droppable = [closer, opener]
    while outside(1) and any(d in parts for d in droppable):
        parts.remove(next(d for d in droppable if d in parts))
    for extra in (closer, m.step):
        if outside(0) and extra not in parts:
            parts.append(extra)
    return parts


def good_response(s: Situation, rng: random.Random) -> dict[str, str]:
    parts = good_parts(s.topic, s.exercise.point, s.mistake, s.level, rng)
    return {lang: render(parts, lang, s.topic, s.exercise.point) for lang in LANGS}


def rejected_response(kind: str, s: Situation, chosen: dict[str, str], off_topic_pool: list[Situation],
                      rng: random.Random) -> dict[str, str]:
    topic, ex, m = s.topic, s.exercise, s.mistake
    out = {}
    if kind == "full_solution":
        intro = rng.choice(P.SOLUTION_INTROS)
        for lang in LANGS:
            i = LANGS.index(lang)
            text = join([intro[i], ex.answer[i]], lang)
            out[lang] = text + (f"\n```python\n{ex.code.strip()}\n```" if ex.code else "")
    elif kind == "plain_reveal":
        # The answer told as a friendly hint: no code, no "the answer is", just the fix or the result in plain words.
        parts = [rng.choice(P.OPENERS[s.level]), m.diag, tuple(plain(t) for t in ex.answer)]
        out = {lang: render(parts, lang, topic, ex.point) for lang in LANGS}
    elif kind == "wrong_mistake":
        # A good hint for another misconception of the same exercise: on topic and kind, but not this student's gap.
        other = rng.choice([k for k in range(len(ex.mistakes)) if k != s.mistake_index])
        parts = good_parts(topic, ex.point, ex.mistakes[other], s.level, rng)
        out = {lang: render(parts, lang, topic, ex.point) for lang in LANGS}
    elif kind == "unfinished":
        out = unfinished(chosen, rng)
    elif kind == "off_topic":
        # A polished hint, but for another topic's exercise: fluent and kind, yet irrelevant here.
        other = rng.choice([t for t in off_topic_pool if t.topic.key != topic.key])
        parts = good_parts(other.topic, other.exercise.point, other.mistake, s.level, rng)
        out = {lang: render(parts, lang, other.topic, other.exercise.point) for lang in LANGS}
    elif kind == "vague":
        parts = rng.sample(P.VAGUE, 2)
        out = {lang: render(parts, lang, topic, ex.point) for lang in LANGS}
    elif kind == "wrong_concept":
        tail = m.ask if rng.random() < 0.5 else rng.choice(P.WRONG_PUSH)
        parts = [rng.choice(P.OPENERS[s.level]), topic.points[ex.point].wrong, tail]
        out = {lang: render(parts, lang, topic, ex.point) for lang in LANGS}
    elif kind == "too_long":
        out = too_long(s, chosen, rng)
    elif kind == "discouraging":
        parts = [rng.choice(P.BELITTLE_OPEN), m.diag, rng.choice(P.BELITTLE_CLOSE)]
        out = {lang: render(parts, lang, topic, ex.point) for lang in LANGS}
    else:
        raise ValueError(kind)
    return out


def plain(answer: str) -> str:
    """An exercise's answer without the give-away phrases it may contain ("the answer is dp[n][m]")."""
    for marker, neutral in (("the answer is", "the result is"), ("答案是", "结果是")):
        answer = answer.replace(marker, neutral)
    return answer


def unfinished(chosen: dict[str, str], rng: random.Random) -> dict[str, str]:
    """The good hint cut off mid-sentence, as a generation that hit its token limit: 40-85% of it, ending inside a
    sentence (never right after a sentence's end)."""
    fraction = rng.uniform(0.4, 0.85)
    out = {}
    for lang, text in chosen.items():
        units = text.split(" ") if lang == "en" else list(text)
        k = max(1, int(fraction * len(units)))
        while k > 1 and (units[k - 1][-1:] in SENTENCE_ENDS or units[k - 1][-1:] in ",，、；;:：“”\"'" or
                         not units[k - 1].strip()):
            k -= 1
        out[lang] = (" " if lang == "en" else "").join(units[:k])
    return out


SENTENCE_ENDS = ".?!。？！…"


def too_long(s: Situation, chosen: dict[str, str], rng: random.Random) -> dict[str, str]:
    """Correct but rambling: the good hint buried in background, other mistakes and study advice."""
    topic, ex = s.topic, s.exercise
    others = [m for k, m in enumerate(ex.mistakes) if k != s.mistake_index]
    ramble = rng.sample(P.LONG_RAMBLE, len(P.LONG_RAMBLE))
    parts = [P.LONG_BACKGROUND, *topic.facts, P.LONG_OTHERS]
    for m in others:
        parts += [m.diag, m.step]
    out = {}
    for lang in LANGS:
        extra = list(parts)
        pool = list(ramble)
        text = join([chosen[lang], render(extra, lang, topic, ex.point)], lang)
        # Keep adding study advice until the response is clearly over the limit in this language.
        while text_length(text, lang) <= TOO_LONG_FACTOR * text_length(chosen[lang], lang) + 10 and pool:
            extra.append(pool.pop(0))
            text = join([chosen[lang], render(extra, lang, topic, ex.point)], lang)
        final = render([P.LONG_FINAL, s.mistake.ask], lang, topic, ex.point)
        out[lang] = join([text, final], lang)
    return out


# --- records ---------------------------------------------------------------------------------------------

def fields(s: Situation, lang: str) -> dict[str, str]:
    i = LANGS.index(lang)
    attempt = getattr(s.mistake, s.form)[i]
    kp = s.topic.points[s.exercise.point].name[i]
    prompt = fill(P.PROMPT[i], topic=s.topic.name[i], kp=kp, exercise=s.exercise.text[i], attempt=attempt,
                  level=P.LEVEL_NAMES[s.level][i])
    return {"prompt": prompt, "topic": s.topic.name[i], "knowledge_point": kp, "exercise": s.exercise.text[i],
            "attempt": attempt}


def build_records(splits: dict[str, list[Situation]], held: set[str], seed: int) -> dict[str, dict[str, list[dict]]]:
    """{file: {lang: [record, ...]}}, records sorted by id."""
    # Off-topic hints borrow another topic's hint material, but never a held-out exercise's, so nothing of
    # the eval exercises leaks into a training file.
    off_topic_pool = [s for s in enumerate_situations()
                      if s.exercise_id not in held and s.form == FORMS[0] and s.level == LEVELS[0]]
    out = {name: {lang: [] for lang in LANGS} for name in FILES}

    def rng_for(name: str, s: Situation) -> random.Random:
        # Seeding per (file, item) keeps every record independent of the order items are visited in.
        return random.Random(f"{seed}|{name}|{s.sid}")

    for name in FILES:
        items = splits[name]
        kinds = {}
        if name.startswith("pref"):
            # Failure types are dealt round-robin over the shuffled split, so each gets an equal share.
            kinds = {s.sid: REJECTED_TYPES[k % len(REJECTED_TYPES)] for k, s in enumerate(items)}
        for s in sorted(items, key=lambda s: s.sid):
            rng = rng_for(name, s)
            base = {"id": s.sid, "exercise_id": s.exercise_id}
            if name.startswith("sft") or name == "eval_prompts":
                resp = good_response(s, rng)
            if name.startswith("pref"):
                chosen = good_response(s, rng)
                rejected = rejected_response(kinds[s.sid], s, chosen, off_topic_pool, rng)
            for lang in LANGS:
                f = fields(s, lang)
                if name.startswith("sft"):
                    rec = {**base, "prompt": f["prompt"], "response": resp[lang], **_meta(f, s, lang)}
                elif name.startswith("pref"):
                    rec = {**base, "prompt": f["prompt"], "chosen": chosen[lang], "rejected": rejected[lang],
                           "rejected_type": kinds[s.sid], "topic": f["topic"], "level": s.level, "lang": lang}
                elif name == "ppo_prompts":
                    rec = {**base, "prompt": f["prompt"], **_meta(f, s, lang)}
                else:
                    rec = {**base, "prompt": f["prompt"], **_meta(f, s, lang), "reference": resp[lang]}
                out[name][lang].append(rec)
    return out


def _meta(f: dict[str, str], s: Situation, lang: str) -> dict[str, str]:
    return {"topic": f["topic"], "knowledge_point": f["knowledge_point"], "exercise": f["exercise"],
            "attempt": f["attempt"], "level": s.level, "lang": lang}


# --- validation ------------------------------------------------------------------------------------------

def validate(records: dict[str, dict[str, list[dict]]]) -> None:
    """Fail the build on material that breaks the annotation rules, naming the record that does."""
    keywords = {t.name[i]: t.keywords[i] for t in TOPICS for i in range(len(LANGS))}
    exercise_key = {f"{t.key}-{e:02d}": ex.key for t in TOPICS for e, ex in enumerate(t.exercises, start=1)}
    problems = check_keys()
    assert not problems, "answer keys:\n" + "\n".join(problems)
    for name, by_lang in records.items():
        for lang, recs in by_lang.items():
            ids = [r["id"] for r in recs]
            assert len(ids) == len(set(ids)), f"{lang}/{name}: duplicate ids"
            for r in recs:
                where = f"{lang}/{name} {r['id']}"
                for key, value in r.items():
                    assert isinstance(value, str) and value.strip(), f"{where}: empty field {key}"
                if lang == "en":
                    n = text_length(r["prompt"], lang)
                    assert n <= MAX_PROMPT_WORDS_EN, f"{where}: prompt has {n} words"
                good = r.get("response") or r.get("chosen") or r.get("reference")
                if good:
                    lo, hi = GOOD_LENGTH[lang]
                    n = text_length(good, lang)
                    assert lo <= n <= hi, f"{where}: good response length {n} outside [{lo}, {hi}]: {good}"
                    assert any(k.lower() in good.lower() for k in keywords[r["topic"]]), \
                        f"{where}: good response uses none of the topic keywords: {good}"
                    assert "?" in good or "？" in good, f"{where}: good response asks no question"
                    assert good.rstrip("”’\"')）) ")[-1:] in SENTENCE_ENDS, f"{where}: good response is unfinished"
                    fact = stated_fact(good, exercise_key[r["exercise_id"]])
                    assert not fact, f"{where}: good response states the answer-key fact {fact!r}: {good}"
                    for kind, markers in (("give-away", P.GIVEAWAY_MARKERS), ("belittling", P.BELITTLING_MARKERS)):
                        hit = _marker(good, markers[lang])
                        assert not hit, f"{where}: good response contains the {kind} marker {hit!r}: {good}"
                if "rejected" in r:
                    kind, bad = r["rejected_type"], r["rejected"]
                    assert bad != r["chosen"], f"{where}: chosen == rejected"
                    if kind == "too_long":
                        assert text_length(bad, lang) > TOO_LONG_FACTOR * text_length(r["chosen"], lang), where
                    if kind == "plain_reveal":
                        assert "```" not in bad and not _marker(bad, P.GIVEAWAY_MARKERS[lang]), \
                            f"{where}: plain_reveal has a code block or a give-away marker: {bad}"
                        assert stated_fact(bad, exercise_key[r["exercise_id"]]), \
                            f"{where}: the answer key misses the plain_reveal: {bad}"
                    if kind == "unfinished":
                        assert bad.rstrip()[-1:] not in SENTENCE_ENDS, f"{where}: unfinished ends a sentence: {bad}"
                    if kind in ("full_solution", "discouraging"):
                        markers = P.GIVEAWAY_MARKERS if kind == "full_solution" else P.BELITTLING_MARKERS
                        assert _marker(bad, markers[lang]), f"{where}: {kind} failure has no marker: {bad}"


def check_keys(topics=TOPICS) -> list[str]:
    """Problems with the answer keys: an exercise without one, a fact that does not parse, an answer that states no
    fact in some language, or an exercise text, its knowledge point's or topic's name, an attempt or a piece of hint
    material that states one (a good hint built from it, or one quoting the student, would then be flagged as a
    give-away)."""
    problems = []
    for topic in topics:
        for e, ex in enumerate(topic.exercises, start=1):
            where = f"{topic.key}-{e:02d}"
            if not ex.key:
                problems.append(f"{where}: no answer key")
                continue
            try:
                [parse_fact(f) for f in ex.key]
            except ValueError as err:
                problems.append(f"{where}: {err}")
                continue
            for i, lang in enumerate(LANGS):
                if not stated_fact(ex.answer[i], ex.key):
                    problems.append(f"{where}: the key misses the {lang} answer: {ex.answer[i]}")
                texts = [("exercise", ex.text[i]), ("knowledge point", topic.points[ex.point].name[i]),
                         ("topic", topic.name[i])] + [
                    (f"mistake {k + 1} {part}", getattr(m, part)[i])
                    for k, m in enumerate(ex.mistakes) for part in Mistake._fields]
                for what, text in texts:
                    fact = stated_fact(text, ex.key)
                    if fact:
                        problems.append(f"{where}: {lang} {what} states the fact {fact!r}: {text}")
    return problems


def _marker(text: str, markers: tuple[str, ...]) -> str | None:
    return next((m for m in markers if has_marker(text, m)), None)


# --- output ----------------------------------------------------------------------------------------------

def dump_jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def build(seed: int = SEED) -> dict[str, bytes]:
    """All generated files as {relative path: bytes}."""
    rng = random.Random(seed)
    situations = enumerate_situations()
    held = held_out_exercises(rng)
    splits = make_splits(situations, held, rng)
    records = build_records(splits, held, seed)
    validate(records)

    files = {}
    for name in FILES:
        for lang in LANGS:
            files[f"{lang}/{name}.jsonl"] = dump_jsonl(records[name][lang])
    files["topics.json"] = _json_bytes(topics_table(held))
    files["lexicon.json"] = _json_bytes(lexicon())
    files["exercises.json"] = _json_bytes(exercises_table())
    files["manifest.json"] = _json_bytes(manifest(seed, files, records))
    return files


def topics_table(held: set[str]) -> dict:
    """Names, knowledge points and keywords per topic, for the rubric and for per-topic reports."""
    table = {}
    for topic in TOPICS:
        ids = [f"{topic.key}-{e:02d}" for e in range(1, len(topic.exercises) + 1)]
        table[topic.key] = {
            "name": dict(zip(LANGS, topic.name)),
            "keywords": dict(zip(LANGS, map(list, topic.keywords))),
            "knowledge_points": {k: {**dict(zip(LANGS, p.name)), "misconception": dict(zip(LANGS, p.wrong))}
                                 for k, p in topic.points.items()},
            "train_exercises": [e for e in ids if e not in held],
            "eval_exercises": [e for e in ids if e in held],
        }
    return table


def exercises_table() -> dict:
    """Per exercise, what an answer-aware judge needs: its text, its answer key, and its known misconceptions with
    their hint material (to tell a hint for this student's mistake from one for another mistake of the exercise)."""
    def both(pair):
        return dict(zip(LANGS, pair))

    return {f"{topic.key}-{e:02d}": {
        "topic": topic.key, "knowledge_point": ex.point, "text": both(ex.text), "answer": both(ex.answer),
        "key": list(ex.key),
        "mistakes": [{part: both(getattr(m, part)) for part in Mistake._fields} for m in ex.mistakes],
    } for topic in TOPICS for e, ex in enumerate(topic.exercises, start=1)}


def lexicon() -> dict:
    """The machine-readable part of ANNOTATION.md: length bounds and marker lists for the rubric."""
    return {
        "good_length": {"en": {"unit": "words", "min": GOOD_LENGTH["en"][0], "max": GOOD_LENGTH["en"][1]},
                        "zh": {"unit": "non-space characters", "min": GOOD_LENGTH["zh"][0],
                               "max": GOOD_LENGTH["zh"][1]}},
        "too_long_factor": TOO_LONG_FACTOR,
        "giveaway_markers": {lang: list(v) for lang, v in P.GIVEAWAY_MARKERS.items()},
        "belittling_markers": {lang: list(v) for lang, v in P.BELITTLING_MARKERS.items()},
        "rejected_types": list(REJECTED_TYPES),
    }


def manifest(seed: int, files: dict[str, bytes], records: dict) -> dict:
    return {
        "seed": seed,
        "topics": len(TOPICS),
        "exercises": sum(len(t.exercises) for t in TOPICS),
        "misconceptions": sum(len(e.mistakes) for t in TOPICS for e in t.exercises),
        "rejected_type_counts": {
            name: {k: sum(r["rejected_type"] == k for r in records[name]["en"]) for k in REJECTED_TYPES}
            for name in ("pref_train", "pref_eval")
        },
        "files": {path: {"lines": data.count(b"\n"), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for path, data in sorted(files.items()) if path.endswith(".jsonl")},
    }


def _json_bytes(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write(files: dict[str, bytes], out_dir: Path) -> None:
    for path, data in sorted(files.items()):
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def check(out_dir: Path, seed: int) -> list[str]:
    """Rebuild in a temporary folder and list every committed file that is missing or differs."""
    with tempfile.TemporaryDirectory() as tmp:
        write(build(seed), Path(tmp))
        fresh = {p.relative_to(tmp).as_posix(): p.read_bytes() for p in Path(tmp).rglob("*") if p.is_file()}
    problems = []
    for path, data in sorted(fresh.items()):
        committed = out_dir / path
        if not committed.exists():
            problems.append(f"missing: {path}")
        elif committed.read_bytes() != data:
            problems.append(f"differs: {path}")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: this script's folder)")
    parser.add_argument("--seed", type=int, default=SEED, help="split and phrasing seed")
    parser.add_argument("--check", action="store_true", help="only verify that the files in --out are up to date")
    args = parser.parse_args(argv)
    if args.check:
        problems = check(args.out, args.seed)
        for p in problems:
            print(p, file=sys.stderr)
        if problems:
            print("EasyDS data is stale: run python data/easyds/build_dataset.py", file=sys.stderr)
            return 1
        print("EasyDS data is up to date")
        return 0
    files = build(args.seed)
    write(files, args.out)
    for path, data in sorted(files.items()):
        print(f"{path}: {len(data.splitlines())} lines, {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
