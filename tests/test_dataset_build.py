"""The bundled EasyDS data set: reproducible from its builder, complete, aligned across languages, and
with evaluation exercises that no training file has seen. Standard library only; runs in a few seconds."""
import functools
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "easyds"
BUILDER = DATA / "build_dataset.py"
LANGS = ("en", "zh")
LEVELS = {"beginner", "intermediate", "advanced"}
REJECTED_TYPES = {"full_solution", "plain_reveal", "off_topic", "vague", "wrong_concept", "wrong_mistake", "too_long",
                  "discouraging", "unfinished"}

META = ["topic", "knowledge_point", "exercise", "attempt", "level", "lang"]
SCHEMAS = {
    "sft_train": ["id", "exercise_id", "prompt", "response", *META],
    "sft_eval": ["id", "exercise_id", "prompt", "response", *META],
    "pref_train": ["id", "exercise_id", "prompt", "chosen", "rejected", "rejected_type", "topic", "level", "lang"],
    "pref_eval": ["id", "exercise_id", "prompt", "chosen", "rejected", "rejected_type", "topic", "level", "lang"],
    "ppo_prompts": ["id", "exercise_id", "prompt", *META],
    "eval_prompts": ["id", "exercise_id", "prompt", *META, "reference"],
}
# (minimum, maximum) lines per language; the brief asks for ~100 SFT eval and ~150 preference eval items.
SIZES = {
    "sft_train": (1000, None),
    "sft_eval": (80, 200),
    "pref_train": (1000, None),
    "pref_eval": (120, 250),
    "ppo_prompts": (500, None),
    "eval_prompts": (200, None),
}
TRAINING_FILES = ("sft_train", "sft_eval", "pref_train", "pref_eval", "ppo_prompts")


@functools.lru_cache(maxsize=None)
def load(name: str, lang: str) -> tuple:
    path = DATA / lang / f"{name}.jsonl"
    with path.open(encoding="utf-8") as f:
        return tuple(json.loads(line) for line in f)


def test_builder_check_passes_on_committed_files():
    # --check rebuilds into a temporary folder and compares bytes, so this proves the committed files are
    # both deterministic and up to date with the tables.
    result = subprocess.run([sys.executable, str(BUILDER), "--check"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", SCHEMAS)
@pytest.mark.parametrize("lang", LANGS)
def test_split_sizes(name, lang):
    lo, hi = SIZES[name]
    n = len(load(name, lang))
    assert n >= lo and (hi is None or n <= hi), f"{lang}/{name}: {n} lines"
    assert (DATA / lang / f"{name}.jsonl").stat().st_size < 3_000_000


@pytest.mark.parametrize("name", SCHEMAS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_record_complete(name, lang):
    ids = set()
    for k, rec in enumerate(load(name, lang), start=1):
        where = f"{lang}/{name}.jsonl line {k}"
        assert list(rec) == SCHEMAS[name], where
        for key, value in rec.items():
            assert isinstance(value, str) and value.strip(), f"{where}: empty {key}"
        assert rec["lang"] == lang and rec["level"] in LEVELS, where
        assert rec["id"] not in ids, f"{where}: duplicate id {rec['id']}"
        ids.add(rec["id"])


@pytest.mark.parametrize("name", SCHEMAS)
def test_languages_describe_the_same_items(name):
    en, zh = load(name, "en"), load(name, "zh")
    keys = ("id", "exercise_id", "level", "rejected_type")
    assert [[r.get(k) for k in keys] for r in en] == [[r.get(k) for k in keys] for r in zh]


def test_eval_exercises_appear_in_no_other_file():
    eval_exercises = {r["exercise_id"] for r in load("eval_prompts", "en")}
    for name in TRAINING_FILES:
        seen = {r["exercise_id"] for r in load(name, "en")}
        assert not eval_exercises & seen, f"{name} uses held-out exercises {sorted(eval_exercises & seen)}"
    topics = json.loads((DATA / "topics.json").read_text(encoding="utf-8"))
    assert eval_exercises == {e for t in topics.values() for e in t["eval_exercises"]}


def test_eval_knowledge_points_are_trained():
    # Held-out exercises are new, but what they test is not: every knowledge point has training exercises.
    trained = {(r["topic"], r["knowledge_point"]) for name in ("sft_train", "ppo_prompts") for r in load(name, "en")}
    assert {(r["topic"], r["knowledge_point"]) for r in load("eval_prompts", "en")} <= trained


def test_held_out_hint_material_does_not_leak():
    # Off-topic and too-long failures reuse hint sentences, so check the tables' own text for the held-out
    # exercises (their exercise statement and diagnoses) against every training file.
    previous = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # keep __pycache__ out of the committed data folder
    sys.path.insert(0, str(DATA))
    try:
        import build_dataset
    finally:
        sys.path.remove(str(DATA))
        sys.dont_write_bytecode = previous
    held = {r["exercise_id"] for r in load("eval_prompts", "en")}
    for i, lang in enumerate(LANGS):
        secrets = [text for topic in build_dataset.TOPICS
                   for e, ex in enumerate(topic.exercises, start=1) if f"{topic.key}-{e:02d}" in held
                   for text in (ex.text[i], *(m.diag[i] for m in ex.mistakes))]
        corpus = "\n".join(json.dumps(r, ensure_ascii=False) for name in TRAINING_FILES for r in load(name, lang))
        leaked = [s for s in secrets if json.dumps(s, ensure_ascii=False)[1:-1] in corpus]
        assert not leaked, f"{lang}: held-out text in training files: {leaked[:3]}"


def test_ppo_prompts_are_new_combinations():
    # A prompt renders exercise, attempt and level, so equal prompts mean the same combination.
    ppo = {r["prompt"] for r in load("ppo_prompts", "en")}
    for name in ("sft_train", "sft_eval", "pref_train", "pref_eval"):
        assert not ppo & {r["prompt"] for r in load(name, "en")}, name


def test_eval_splits_do_not_repeat_training_items():
    assert not {r["id"] for r in load("sft_eval", "en")} & {r["id"] for r in load("sft_train", "en")}
    assert not {r["id"] for r in load("pref_eval", "en")} & {r["id"] for r in load("pref_train", "en")}


@pytest.mark.parametrize("name", ["pref_train", "pref_eval"])
@pytest.mark.parametrize("lang", LANGS)
def test_rejected_types_cover_all_failures(name, lang):
    records = load(name, lang)
    counts = Counter(r["rejected_type"] for r in records)
    assert set(counts) == REJECTED_TYPES
    assert max(counts.values()) <= 1.5 * min(counts.values()), counts
    assert all(r["chosen"] != r["rejected"] for r in records)
