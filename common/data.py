"""Data sets and collators for every stage, and the one JSONL loader they all use.

* ``read_jsonl`` checks every line and fails with file, line number and reason; nothing is dropped silently.
* ``InputOutputDataset`` (SFT), as in the seed design: prompt tokens labelled -100, response tokens labelled.
* ``PreferenceDataset`` (reward model, DPO): one prompt, a chosen and a rejected response.
* ``PromptDataset`` (PPO rollouts, evaluation): prompts only, with their metadata.

Truncation keeps the chat template whole: only the student's text is shortened (its end is cut) so the system
message and the assistant header that the response conditions on are always present. Every cut is counted in
``dataset.stats``.
"""
import json
from collections import Counter

import torch
from torch.utils.data import Dataset

from .templates import prompt_ids, prompt_parts, response_ids

IGNORE_INDEX = -100
MAX_REPORTED_ERRORS = 10


class DataError(ValueError):
    """A data file that cannot be used as it is; the message names file, line and field."""


# Optional metadata a record may carry, read by evaluation and pair collection: if present, it must be one of these.
METADATA_CHOICES = {"lang": ("en", "zh")}
METADATA_TEXT = ("topic",)


def read_jsonl(path: str, required: tuple = (), text_fields: tuple = None) -> list:
    """Read a JSONL file, one object a line (UTF-8); blank lines are allowed and ignored.

    ``required`` keys must be present; ``text_fields`` (default: the required keys) must be non-empty strings;
    optional metadata, where present, must be valid (``lang`` en or zh, ``topic`` text). Every bad line is reported
    (the first ten in the message, with the total), with its 1-based line number and field.
    """
    text_fields = required if text_fields is None else text_fields
    records, errors = [], []
    try:
        f = open(path, "rb")
    except OSError as e:
        raise DataError(f"{path}: cannot open: {e.strerror}") from None
    with f:
        for lineno, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                errors.append(f"{path}:{lineno}: not UTF-8 text (byte 0x{raw[e.start]:02x} at byte {e.start + 1} of "
                              f"the line)")
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{path}:{lineno}: invalid JSON ({e.msg} at column {e.colno})")
                continue
            if not isinstance(obj, dict):
                errors.append(f"{path}:{lineno}: expected a JSON object, got {type(obj).__name__}")
                continue
            missing = [k for k in required if k not in obj]
            if missing:
                errors.append(f"{path}:{lineno}: missing key(s) {', '.join(map(repr, missing))}")
                continue
            bad = [k for k in text_fields if not isinstance(obj[k], str) or not obj[k].strip()]
            if bad:
                errors.append(f"{path}:{lineno}: field(s) {', '.join(map(repr, bad))} must be non-empty text")
                continue
            bad = [f"field {k!r} is {obj[k]!r}, expected one of {', '.join(choices)}"
                   for k, choices in METADATA_CHOICES.items() if obj.get(k) is not None and obj[k] not in choices]
            bad += [f"field {k!r} must be text, got {type(obj[k]).__name__}"
                    for k in METADATA_TEXT if obj.get(k) is not None and not isinstance(obj[k], str)]
            if bad:
                errors.append(f"{path}:{lineno}: {'; '.join(bad)}")
                continue
            obj["_line"] = lineno
            records.append(obj)
    if errors:
        shown = "\n  ".join(errors[:MAX_REPORTED_ERRORS])
        more = f"\n  ... and {len(errors) - MAX_REPORTED_ERRORS} more" if len(errors) > MAX_REPORTED_ERRORS else ""
        raise DataError(f"{path}: {len(errors)} bad line(s):\n  {shown}{more}")
    if not records:
        raise DataError(f"{path}: no records")
    return records


class _Encoder:
    """Tokenises prompts and responses with the truncation rules shared by every data set."""

    def __init__(self, tokenizer, max_source_length: int, max_target_length: int, system_prompt: str,
                 cut_keeps_end: bool = False):
        self.tokenizer = tokenizer
        self.cut_keeps_end = cut_keeps_end
        self.max_source_length = max_source_length
        self.max_target_length = max_target_length
        self.system_prompt = system_prompt
        self.stats = Counter()
        overhead = len(prompt_ids(tokenizer, "", system_prompt))
        if overhead >= max_source_length:
            raise DataError(
                f"--max_source_length {max_source_length} leaves no room for the student's text: the chat template "
                f"and system prompt alone take {overhead} tokens"
            )

    def prompt_ids(self, prompt: str) -> list:
        head, content, tail = prompt_parts(self.tokenizer, prompt, self.system_prompt)
        excess = len(head) + len(content) + len(tail) - self.max_source_length
        if excess > 0:  # shorten the student's text, never the template
            self.stats["prompt_truncated"] += 1
            content = content[: len(content) - excess]
        return head + content + tail

    def response_ids(self, response: str) -> list:
        ids = response_ids(self.tokenizer, response)
        if len(ids) > self.max_target_length:
            # SFT and DPO: a cut response keeps its beginning and loses its EOS (the model must not learn to stop
            # mid-hint). The reward model (``cut_keeps_end``): the cut text still ends its turn, so that over-long
            # rejected responses are not told apart by a missing EOS that no chosen response lacks.
            self.stats["response_truncated"] += 1
            end = ids[-1:] if self.cut_keeps_end else []
            ids = ids[: self.max_target_length - len(end)] + end
        return ids


def _load(records_or_path, required, text_fields=None):
    if isinstance(records_or_path, str):
        return read_jsonl(records_or_path, required, text_fields), records_or_path
    return list(records_or_path), "<records>"


class InputOutputDataset(Dataset):
    """SFT examples: ``input_ids`` = prompt + response, ``labels`` = -100 on the prompt, the response ids after.

    Every item is tokenised once at construction, so bad data fails before training starts and token counts are
    known up front.
    """

    def __init__(self, data, tokenizer, max_source_length=256, max_target_length=128, prompt_column="prompt",
                 response_column="response", system_prompt=""):
        records, self.source = _load(data, (prompt_column, response_column))
        enc = _Encoder(tokenizer, max_source_length, max_target_length, system_prompt)
        self.records, self.examples = records, []
        for r in records:
            context = enc.prompt_ids(r[prompt_column])
            response = enc.response_ids(r[response_column])
            self.examples.append({
                "input_ids": context + response,
                "attention_mask": [1] * (len(context) + len(response)),
                "labels": [IGNORE_INDEX] * len(context) + response,
            })
        self.stats = dict(enc.stats, items=len(records))
        self.lengths = [len(e["input_ids"]) for e in self.examples]  # a row's tokens (length grouping)

    def __len__(self):
        return len(self.examples)

    def __getitem__(self, i):
        return self.examples[i]


class PreferenceDataset(Dataset):
    """Preference pairs: prompt ids and the chosen / rejected response ids, each truncated like SFT, or, with
    ``cut_keeps_end`` (the reward model), cut to ``max_target_length`` with the end-of-turn token kept."""

    def __init__(self, data, tokenizer, max_source_length=256, max_target_length=128, prompt_column="prompt",
                 chosen_column="chosen", rejected_column="rejected", system_prompt="",
                 cut_keeps_end=False):
        records, self.source = _load(data, (prompt_column, chosen_column, rejected_column))
        enc = _Encoder(tokenizer, max_source_length, max_target_length, system_prompt, cut_keeps_end)
        self.records, self.examples = records, []
        for i, r in enumerate(records):
            self.examples.append({
                "index": i,  # position in the file: the key of precomputed reference log-probs (DPO)
                "prompt_ids": enc.prompt_ids(r[prompt_column]),
                "chosen_ids": enc.response_ids(r[chosen_column]),
                "rejected_ids": enc.response_ids(r[rejected_column]),
            })
        self.stats = dict(enc.stats, items=len(records))
        # a pair's longer row: chosen and rejected are padded together (``PreferenceCollator``)
        self.lengths = [len(e["prompt_ids"]) + max(len(e["chosen_ids"]), len(e["rejected_ids"]))
                        for e in self.examples]

    def __len__(self):
        return len(self.examples)

    def __getitem__(self, i):
        return self.examples[i]


class PromptDataset(Dataset):
    """Prompts for generation; each item keeps its record (topic, lang, ...) for scoring and reports."""

    def __init__(self, data, tokenizer, max_source_length=256, prompt_column="prompt",
                 system_prompt=""):
        records, self.source = _load(data, (prompt_column,))
        enc = _Encoder(tokenizer, max_source_length, 1, system_prompt)
        self.records = records
        self.examples = [{"input_ids": enc.prompt_ids(r[prompt_column]), "record": r} for r in records]
        self.stats = dict(enc.stats, items=len(records))

    def __len__(self):
        return len(self.examples)

    def __getitem__(self, i):
        return self.examples[i]


def record_key(record: dict) -> str:
    """What matches one record of a prompt set with another's (two models' samples of it): its ``id``, else its
    prompt text."""
    return str(record["id"]) if record.get("id") is not None else record["prompt"]


def spread(items: list, k: int) -> list:
    """``k`` items evenly spaced over ``items`` (all of them when ``k`` is 0 or too large): a subset that covers
    every topic of a file ordered by topic, rather than the first topic only."""
    n = len(items)
    return list(items) if not k or k >= n else [items[i * n // k] for i in range(k)]


def pad_sequences(seqs: list, pad_value: int, side: str = "right") -> torch.Tensor:
    """Pad lists of ints to one (B, T) long tensor, on the right (training) or the left (generation)."""
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), pad_value, dtype=torch.long)
    for i, s in enumerate(seqs):
        if side == "right":
            out[i, : len(s)] = torch.tensor(s, dtype=torch.long)
        else:
            out[i, T - len(s):] = torch.tensor(s, dtype=torch.long)
    return out


class SFTCollator:
    """Right-pads SFT examples: pad id in ``input_ids``, 0 in ``attention_mask``, -100 in ``labels``."""

    def __init__(self, pad_token_id: int):
        self.pad_token_id = pad_token_id

    def __call__(self, batch: list) -> dict:
        return {
            "input_ids": pad_sequences([b["input_ids"] for b in batch], self.pad_token_id),
            "attention_mask": pad_sequences([b["attention_mask"] for b in batch], 0),
            "labels": pad_sequences([b["labels"] for b in batch], IGNORE_INDEX),
        }


class PreferenceCollator:
    """Chosen and rejected in one right-padded batch of 2B rows: rows [0, B) chosen, [B, 2B) rejected.

    One concatenated batch means one forward pass for both responses (reward model and DPO).
    """

    def __init__(self, pad_token_id: int):
        self.sft = SFTCollator(pad_token_id)

    def __call__(self, batch: list) -> dict:
        rows = []
        for key in ("chosen_ids", "rejected_ids"):
            for b in batch:
                p, r = b["prompt_ids"], b[key]
                rows.append({"input_ids": p + r, "attention_mask": [1] * (len(p) + len(r)),
                             "labels": [IGNORE_INDEX] * len(p) + r})
        out = self.sft(rows)
        out["index"] = torch.tensor([b["index"] for b in batch])  # (B,) items of the pairs
        return out


class PromptCollator:
    """Left-pads prompts for generation so every row's next token is at the same position."""

    def __init__(self, pad_token_id: int):
        self.pad_token_id = pad_token_id

    def __call__(self, batch: list) -> dict:
        ids = [b["input_ids"] for b in batch]
        return {
            "input_ids": pad_sequences(ids, self.pad_token_id, side="left"),
            "attention_mask": pad_sequences([[1] * len(s) for s in ids], 0, side="left"),
            "records": [b["record"] for b in batch],
        }
