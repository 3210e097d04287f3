"""Shapes of the hand-written EasyDS curriculum tables.

Every human-readable text is a ``Pair``: ``(english, chinese)``. The Chinese text translates the English one,
so the en and zh files describe the same situations item by item and share their ids.
"""
from typing import NamedTuple

Pair = tuple[str, str]


class Mistake(NamedTuple):
    """One real misconception on one exercise, with the hint material a tutor would use for it."""

    attempt: Pair  # the wrong attempt as a tutor would describe it (often with a code fragment)
    alt: Pair      # the same misconception in the student's own words, or the symptom they report
    diag: Pair     # points at what is wrong without saying how to fix it
    ask: Pair      # a guiding question
    step: Pair     # a concrete next step the student can do right now


class Exercise(NamedTuple):
    point: str                    # key into Topic.points
    text: Pair
    answer: Pair                  # the complete answer, used only for the ``full_solution`` failure
    mistakes: tuple[Mistake, ...]
    code: str = ""                # reference code shown by ``full_solution`` (language-neutral)
    # The answer key: facts that give the answer away, in any words (format: ``easyds/answer_key.py``). The
    # rubric flags a hint that states one; the builder checks that ``answer`` states one in both languages and
    # that no exercise text, attempt or hint material does.
    key: tuple[str, ...] = ()


class Point(NamedTuple):
    """A knowledge point: its name, and one plausible but false statement about it."""

    name: Pair
    wrong: Pair  # phrased like a hint; used only for the ``wrong_concept`` failure


class Topic(NamedTuple):
    key: str
    name: Pair
    # Words a relevant hint is expected to use (en, zh); the builder checks every good response has one,
    # and topics.json exports them for the rule-based rubric.
    keywords: tuple[tuple[str, ...], tuple[str, ...]]
    points: dict[str, Point]
    facts: tuple[Pair, ...]       # true background sentences; padding material for ``too_long``
    exercises: tuple[Exercise, ...]
