"""Blind labelling of preference pairs by several annotators: the journal of their decisions, their agreement, and
the consensus exported as a labelling sheet.

**Blinding.** The labelling page shows each pair's two responses as "A" and "B". Which of them is the pair's chosen
text is decided per annotator and pair by ``a_is_chosen``: a bit of ``sha256(salt, annotator, pair_id)``. The order is
random-looking (about half the pairs show the chosen text first), differs between annotators, and is the same every
time the same annotator opens the same pair. The salt is stored in the journal's header, so a restarted server shows
the same order. The page never learns which text is the chosen one; an annotator answers "A", "B", "tie" or
"both_bad", optional reason tags (the rubric's criteria) and a free-text note.

**The journal.** A JSONL file, appended to and never rewritten. Its first line is a header::

    {"journal": "easyds-labels", "version": 1, "salt": "<hex>", "pairs_sha256": "<hash of the pairs' ids and texts>"}

which ties the journal to one pairs file: opened with other pairs, it is refused. Every later line is one decision::

    {"decision_id", "annotator", "pair_id", "choice", "a_is_chosen", "preference", "tags", "note", "time"}

where ``preference`` is the choice unblinded: "chosen" or "rejected" (the pair's text the annotator preferred),
"tie" or "both_bad". Each decision is written the moment it is made, as one ``write`` of one whole line to a file
opened for appending, under a thread lock and an exclusive ``flock``, then flushed to disk: several server processes
may share a journal. A ``decision_id`` already in the journal (a request the page retried) writes nothing and returns
the entry first written. A last line without its newline is what a crash during a write leaves: readers ignore it,
and the next write cuts it off before appending (that decision was never acknowledged, so the page sends it again).

**Latest decision wins.** An annotator may change their mind: of several decisions by one annotator on one pair,
the one written last to the journal counts, and it counts once.

**Agreement and consensus.** ``agreement`` reports, for every two annotators who labelled a pair in common, the share
of shared pairs with the same preference and Cohen's kappa (Cohen 1960, "A coefficient of agreement for nominal
scales"), which discounts the agreement expected by chance. ``consensus`` turns the votes of each pair into a sheet
decision: a preference for the chosen text votes keep, for the rejected text swap, tie and both_bad vote drop; a
strict majority of the pair's annotators decides, anything else (a split, no votes) drops the pair.

**Export.** ``export`` writes the consensus as the labelling sheet of ``easyds.labels`` (same columns and format)
and the labelled pairs that ``launch/label_pairs.py --mode import`` would read from that sheet, so annotated pairs
train DPO like pairs labelled in a spreadsheet.
"""
import fcntl
import hashlib
import json
import os
import secrets
import threading
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import datetime, timezone
from itertools import combinations

from common.data import DataError, read_jsonl, record_key
from common.files import atomic_open

from .labels import DECISIONS, read_sheet, write_sheet
from .rubric import CRITERIA

CHOICES = ("A", "B", "tie", "both_bad")
PREFERENCES = ("chosen", "rejected", "tie", "both_bad")
REASON_TAGS = CRITERIA
MAX_NOTE_CHARS = 2000
MAX_ANNOTATOR_CHARS = 64
MAX_DECISION_ID_CHARS = 64

JOURNAL_KIND = "easyds-labels"
JOURNAL_VERSION = 1
PAIR_TEXTS = ("id", "prompt", "chosen", "rejected")
PAIR_DEFAULTS = {"chosen_score": 0.0, "rejected_score": 0.0, "judge": "unknown", "source": "unknown"}
SHEET_DECISION = {"chosen": "keep", "rejected": "swap", "tie": "drop", "both_bad": "drop"}
ENTRY_KEYS = ("decision_id", "annotator", "pair_id", "preference")
EXPORT_MARKER = ".studio-export.json"  # the hash of the sheet the last export wrote
HEADER_START = json.dumps({"journal": JOURNAL_KIND}).encode()[:-1]  # the bytes every journal begins with


class AnnotationError(ValueError):
    """A request or a file the annotation journal cannot accept; ``field`` names what is wrong ("annotator",
    "pair_id", "choice", "tags", "note", "decision_id"; "pairs", "salt" or "journal" for the files) and ``message``
    says why, for the labelling page to show beside that field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


# --- pairs and blinding -----------------------------------------------------------------------------------------------
def load_pairs(path: str) -> list:
    """The pairs of a pairs file (``launch/collect_pairs.py``) without ``_line``, in file order.

    ``prompt``, ``chosen`` and ``rejected`` are required text; ``id`` is text too, ``line-N`` where a pair has none
    (N its line). ``chosen_score`` and ``rejected_score`` default to 0.0 and ``judge`` and ``source`` to "unknown"
    where absent, so a hand-made pairs file (a DPO training file) can still be exported as a sheet; a score present
    must be a number. Raises ``DataError`` naming the file and every repeated id.
    """
    pairs, lines = [], defaultdict(list)
    for record in read_jsonl(path, PAIR_TEXTS[1:]):
        record.setdefault("id", f"line-{record['_line']}")
        if not isinstance(record["id"], str) or not record["id"].strip():
            raise DataError(f"{path}:{record['_line']}: id must be non-empty text, got {record['id']!r}")
        if record["id"] != record["id"].strip():
            raise DataError(f"{path}:{record['_line']}: id {record['id']!r} has surrounding spaces (the sheet would "
                            "not find it)")
        lines[record["id"]].append(record.pop("_line"))
        for key in ("chosen_score", "rejected_score"):
            if key in record and (isinstance(record[key], bool) or not isinstance(record[key], (int, float))):
                raise DataError(f"{path}:{lines[record['id']][-1]}: {key} must be a number, got {record[key]!r}")
        pairs.append({**record, **{k: v for k, v in PAIR_DEFAULTS.items() if k not in record}})
    repeated = [f"{pid!r} (lines {', '.join(map(str, ns))})" for pid, ns in lines.items() if len(ns) > 1]
    if repeated:
        raise DataError(f"{path}: pair id(s) repeated: {'; '.join(repeated[:10])}; every pair needs its own id")
    return pairs


def pairs_from_samples(first: tuple, second: tuple) -> list:
    """Pairs comparing two models on the same prompts: ``first`` and ``second`` are ``(name, path)`` of two
    ``samples.jsonl`` files of ``launch/evaluate.py``. For every prompt both answered (matched by ``id``, else by
    prompt text, in the first file's order) the pair's chosen text is the first model's response and its rejected
    text the second's; the scores are the rubric totals. Labelled blind, a keep says the first model's answer is
    better, a swap the second's. Raises ``DataError`` when the files share no prompt."""
    (a, path_a), (b, path_b) = first, second
    rows = []
    for path in (path_a, path_b):
        records = read_jsonl(path, ("prompt", "response"), text_fields=("prompt",))
        bad = [r["_line"] for r in records if not isinstance(r["response"], str)]
        if bad:
            raise DataError(f"{path}: line(s) {', '.join(map(str, bad[:10]))}: response must be text")
        rows.append({record_key(r): r for r in records})
    shared = [key for key in rows[0] if key in rows[1]]
    if not shared:
        raise DataError(f"{path_a} and {path_b} share no prompt (by id or text): compare samples of one evaluation set")
    return [{"id": key, "prompt": rows[0][key]["prompt"], "chosen": rows[0][key]["response"],
             "rejected": rows[1][key]["response"], "chosen_score": float(rows[0][key].get("rubric_total") or 0.0),
             "rejected_score": float(rows[1][key].get("rubric_total") or 0.0), "judge": "rubric",
             "source": f"{a} vs {b}"} for key in shared]


def a_is_chosen(pair_id: str, annotator: str, salt: str) -> bool:
    """Whether ``annotator`` sees ``pair_id``'s chosen text as "A": the low bit of sha256 over the three strings,
    JSON-encoded as a list so that no two different triples hash the same bytes."""
    digest = hashlib.sha256(json.dumps([salt, annotator, pair_id], ensure_ascii=False).encode("utf-8")).digest()
    return bool(digest[0] & 1)


def pairs_sha256(pairs: list) -> str:
    """What identifies a pairs file to its journal: the hash of every pair's id and texts, in id order (the A/B order
    depends on ids only, so reordering the file keeps the journal valid; editing a text does not)."""
    rows = sorted([p[k] for k in PAIR_TEXTS] for p in pairs)
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()


# --- validation -------------------------------------------------------------------------------------------------------
def _name(field: str, value, limit: int) -> str:
    """``value`` stripped, if it is printable text of 1 to ``limit`` characters."""
    if not isinstance(value, str) or not value.strip():
        raise AnnotationError(field, f"{field} must be non-empty text, got {value!r}")
    value = value.strip()
    if len(value) > limit:
        raise AnnotationError(field, f"{field} is {len(value)} characters long; at most {limit} are allowed")
    if not value.isprintable():
        raise AnnotationError(field, f"{field} {value!r} holds control or invisible characters")
    return value


def _tags(tags) -> list:
    if isinstance(tags, str) or not isinstance(tags, (list, tuple)):
        raise AnnotationError("tags", f"tags must be a list of {', '.join(REASON_TAGS)}; got {tags!r}")
    unknown = [t for t in tags if t not in REASON_TAGS]
    if unknown:
        raise AnnotationError("tags", f"unknown tag(s) {', '.join(map(repr, unknown))}; expected "
                                      f"{', '.join(REASON_TAGS)}")
    if len(set(tags)) < len(tags):
        raise AnnotationError("tags", f"tags {list(tags)} repeat a tag")
    return list(tags)


def _note(note) -> str:
    if not isinstance(note, str):
        raise AnnotationError("note", f"note must be text, got {type(note).__name__}")
    if len(note) > MAX_NOTE_CHARS:
        raise AnnotationError("note", f"note is {len(note)} characters long; at most {MAX_NOTE_CHARS} are allowed")
    return note


def _choice(choice) -> str:
    if choice not in CHOICES:
        raise AnnotationError("choice", f"choice {choice!r}; expected one of {', '.join(CHOICES)}")
    return choice


def preference_of(choice: str, a_chosen: bool) -> str:
    """The choice unblinded: which of the pair's texts the annotator prefers ("tie" and "both_bad" stay)."""
    if choice in ("A", "B"):
        return "chosen" if (choice == "A") == a_chosen else "rejected"
    return choice


# --- the journal ------------------------------------------------------------------------------------------------------
class Journal:
    """The append-only record of every annotator's decisions on one pairs file (see the module docstring).

    Safe to share between the threads of a process and between processes: every write holds a thread lock and an
    ``flock`` on the file, and every read takes in only the complete lines appended since the last read.
    """

    def __init__(self, path: str, pairs: list, salt: str = None):
        self.path = path
        self.pairs = pairs
        self._index = {p["id"]: i for i, p in enumerate(pairs)}
        if len(self._index) < len(pairs):
            raise AnnotationError("pairs", "the pairs repeat an id; every pair needs its own id")
        self._lock = threading.Lock()
        self._offset, self._lines, self.header = 0, 0, None
        self._by_decision, self._latest = {}, {}
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with self._locked(fcntl.LOCK_EX) as fd:
            self._read_new(fd)
            if self.header is None:  # a new journal, or one whose header a crash cut short
                self._write_header(fd, salt)
        self.salt = self.header["salt"]
        if self.header["pairs_sha256"] != pairs_sha256(pairs):
            raise AnnotationError("pairs", f"{path} is the journal of another pairs file (its pairs' ids or texts "
                                           "differ from these); give these pairs a journal of their own")
        if salt is not None and salt != self.salt:
            raise AnnotationError("salt", f"{path} was started with another salt; its A/B order would change")

    @contextmanager
    def _locked(self, operation: int):
        """The journal open for reading and appending, under the thread lock and an ``flock`` of ``operation``."""
        with self._lock:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, operation)
                yield fd
            finally:
                os.close(fd)  # releases the flock

    def _write_header(self, fd: int, salt):
        """Start the journal. A file with no complete line is new or holds a header a crash cut short (cut off by
        ``_append``); anything else there is another file, and is left alone."""
        start = os.pread(fd, len(HEADER_START), 0)
        if not HEADER_START.startswith(start):
            raise AnnotationError("journal", f"{self.path} is not an {JOURNAL_KIND} journal (it does not start with "
                                             "the header line); choose another journal path")
        header = {"journal": JOURNAL_KIND, "version": JOURNAL_VERSION, "salt": salt or secrets.token_hex(16),
                  "pairs_sha256": pairs_sha256(self.pairs)}
        self._append(fd, header)
        self._read_new(fd)

    def _append(self, fd: int, obj: dict):
        """Write ``obj`` as one line in one ``write``, after cutting off a torn last line; on a short or failed write
        the file is cut back, so it never ends in half a line this process wrote. The caller holds the locks and
        has read every complete line."""
        if os.fstat(fd).st_size > self._offset:
            os.ftruncate(fd, self._offset)
        data = (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            if os.write(fd, data) != len(data):
                raise OSError(f"{self.path}: short write (is the disk full?)")
            os.fsync(fd)
        except BaseException:
            os.ftruncate(fd, self._offset)
            raise

    def _read_new(self, fd: int):
        """Take in the complete lines appended since the last read. A malformed line raises before anything of this
        read is taken in, so every later read raises on it too."""
        size = os.fstat(fd).st_size
        if size < self._offset:
            raise AnnotationError("journal", f"{self.path} is shorter than when last read: it was replaced or cut")
        new = os.pread(fd, size - self._offset, self._offset)
        complete = new[:new.rfind(b"\n") + 1]
        parsed = [self._parse(raw, self._lines + n) for n, raw in enumerate(complete.splitlines(keepends=True), 1)]
        for obj in parsed:
            if self.header is None:
                self.header = obj
            else:
                self._by_decision.setdefault(obj["decision_id"], obj)
                self._latest[(obj["annotator"], obj["pair_id"])] = obj
        self._offset += len(complete)
        self._lines += len(parsed)

    def _parse(self, raw: bytes, line: int) -> dict:
        where = f"{self.path}, line {line}"
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise AnnotationError("journal", f"{where}: not a JSON line ({e}); mend or remove the line") from None
        if line == 1:
            if not _is_header(obj):
                raise AnnotationError("journal", f"{where}: not the header of an {JOURNAL_KIND} journal, version "
                                                 f"{JOURNAL_VERSION}")
            return obj
        if not isinstance(obj, dict) or any(not isinstance(obj.get(k), str) for k in ENTRY_KEYS) \
                or obj["preference"] not in PREFERENCES:
            raise AnnotationError("journal", f"{where}: not a decision (it needs text {', '.join(ENTRY_KEYS)} and a "
                                             f"preference among {', '.join(PREFERENCES)})")
        return obj

    def _pair(self, pair_id) -> dict:
        if not isinstance(pair_id, str) or pair_id not in self._index:
            raise AnnotationError("pair_id", f"pair_id {pair_id!r} is not a pair of this journal's pairs file")
        return self.pairs[self._index[pair_id]]

    def view(self, pair_id: str, annotator: str) -> dict:
        """What the page shows ``annotator`` of ``pair_id``: the prompt and the two texts as "A" and "B", and the
        pair's 0-based ``index`` of ``total`` in file order. It never says which text is the chosen one."""
        annotator = _name("annotator", annotator, MAX_ANNOTATOR_CHARS)
        pair = self._pair(pair_id)
        a, b = pair["chosen"], pair["rejected"]
        if not a_is_chosen(pair_id, annotator, self.salt):
            a, b = b, a
        return {"pair_id": pair_id, "prompt": pair["prompt"], "A": a, "B": b, "index": self._index[pair_id],
                "total": len(self.pairs)}

    def record(self, annotator: str, pair_id: str, choice: str, tags=(), note: str = "",
               decision_id: str = None) -> dict:
        """Validate one decision, unblind it and append it to the journal; returns the entry written.

        Raises ``AnnotationError`` naming the bad field. A ``decision_id`` the journal already holds (a retried
        request) writes nothing and returns the entry first written; reusing it for another annotator or pair is an
        error. Without a ``decision_id`` a new one is made.
        """
        annotator = _name("annotator", annotator, MAX_ANNOTATOR_CHARS)
        self._pair(pair_id)
        a_chosen = a_is_chosen(pair_id, annotator, self.salt)
        entry = {"decision_id": uuid.uuid4().hex if decision_id is None
                 else _name("decision_id", decision_id, MAX_DECISION_ID_CHARS),
                 "annotator": annotator, "pair_id": pair_id, "choice": _choice(choice), "a_is_chosen": a_chosen,
                 "preference": preference_of(choice, a_chosen), "tags": _tags(tags), "note": _note(note),
                 "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds")}
        with self._locked(fcntl.LOCK_EX) as fd:
            self._read_new(fd)
            earlier = self._by_decision.get(entry["decision_id"])
            if earlier is not None:
                return _retried(earlier, entry)
            self._append(fd, entry)
            self._read_new(fd)
        return dict(entry)

    def decisions(self) -> dict:
        """``{(annotator, pair_id): entry}``: each annotator's latest decision on each pair they decided, with what
        other processes have appended since the last read."""
        with self._locked(fcntl.LOCK_SH) as fd:
            self._read_new(fd)
            return dict(self._latest)

    def progress(self, annotator: str, after: int = None) -> dict:
        """How far ``annotator`` is: pairs decided, pairs in all, and the first undecided pair in file order (None
        when every pair is decided), or with ``after`` (a pair's index) the first undecided one after it, wrapping
        round (so a pair the annotator skipped is not forced back on them)."""
        annotator = _name("annotator", annotator, MAX_ANNOTATOR_CHARS)
        decided = {pid for (who, pid) in self.decisions() if who == annotator and pid in self._index}
        start = 0 if after is None else after + 1
        undecided = (p["id"] for p in self.pairs[start:] + self.pairs[:start] if p["id"] not in decided)
        return {"done": len(decided), "total": len(self.pairs), "next": next(undecided, None)}

    def latest(self, annotator: str, pair_id: str):
        """``annotator``'s decision in force on ``pair_id`` (their latest), or None."""
        return self.decisions().get((_name("annotator", annotator, MAX_ANNOTATOR_CHARS), pair_id))

    def annotators(self) -> list:
        """The names of everyone who has decided at least one pair, sorted."""
        return sorted({who for who, _ in self.decisions()})


def _is_header(obj) -> bool:
    return (isinstance(obj, dict) and obj.get("journal") == JOURNAL_KIND and obj.get("version") == JOURNAL_VERSION
            and isinstance(obj.get("salt"), str) and isinstance(obj.get("pairs_sha256"), str))


def _retried(earlier: dict, entry: dict) -> dict:
    """The entry a retried request wrote first, if the retry is for the same annotator and pair."""
    if (earlier["annotator"], earlier["pair_id"]) != (entry["annotator"], entry["pair_id"]):
        raise AnnotationError("decision_id", f"decision_id {entry['decision_id']!r} already records "
                                             f"{earlier['annotator']}'s decision on pair {earlier['pair_id']}")
    return dict(earlier)


# --- agreement --------------------------------------------------------------------------------------------------------
def cohen_kappa(x: list, y: list, categories=PREFERENCES) -> float:
    """Cohen's kappa of two raters' labels of the same items (Cohen 1960): (p_o - p_e) / (1 - p_e), with p_o the
    share of items they label alike and p_e the share expected by chance, sum over categories of the product of the
    two raters' shares of that category. Computed on counts, exactly.

    When p_e == 1 the ratio is 0/0: both raters gave every item one and the same category, so they agree fully and
    1.0 is returned (p_e == 1 forces p_o == 1, so no other case arises).
    """
    if len(x) != len(y) or not x:
        raise ValueError(f"cohen_kappa needs two equally long, non-empty label lists; got {len(x)} and {len(y)}")
    unknown = sorted({str(v) for v in (*x, *y) if v not in categories})
    if unknown:
        raise ValueError(f"cohen_kappa: label(s) {', '.join(unknown)} are not among {', '.join(categories)}")
    n = len(x)
    same = sum(a == b for a, b in zip(x, y))  # n * p_o
    cx, cy = Counter(x), Counter(y)
    chance = sum(cx[c] * cy[c] for c in categories)  # n^2 * p_e
    if chance == n * n:
        return 1.0
    return (n * same - chance) / (n * n - chance)


def votes_by_pair(decisions: dict) -> dict:
    """``{pair_id: {annotator: entry}}`` of a ``Journal.decisions()``, annotators sorted."""
    out = defaultdict(dict)
    for (annotator, pair_id), entry in sorted(decisions.items()):
        out[pair_id][annotator] = entry
    return dict(out)


def agreement(decisions: dict) -> dict:
    """How well the annotators of ``decisions`` (``Journal.decisions()``) agree on the preferences of the pairs
    they share: for every two of them with a pair in common, the raw agreement and Cohen's kappa over the shared
    pairs; and every shared pair whose preferences differ."""
    votes = votes_by_pair(decisions)
    annotators = sorted({who for who, _ in decisions})
    between = []
    for a, b in combinations(annotators, 2):
        shared = [(v[a]["preference"], v[b]["preference"]) for v in votes.values() if a in v and b in v]
        if shared:
            x, y = zip(*shared)
            between.append({"a": a, "b": b, "shared": len(shared),
                            "raw_agreement": sum(p == q for p, q in shared) / len(shared), "kappa": cohen_kappa(x, y)})
    disagreements = [{"pair_id": pid, "votes": {who: e["preference"] for who, e in v.items()}}
                     for pid, v in sorted(votes.items()) if len({e["preference"] for e in v.values()}) > 1]
    return {"annotators": annotators, "pairs_labelled": len(votes),
            "pairs_shared": sum(len(v) >= 2 for v in votes.values()), "between": between,
            "disagreements": disagreements}


# --- consensus and export ---------------------------------------------------------------------------------------------
def _remarks(entries: list) -> str:
    """The tags (with their counts) and notes of ``entries``, as "; tags: ...; notes: ..." (empty if none)."""
    tags = Counter(t for e in entries for t in e.get("tags", ()))
    notes = [f"{e['annotator']}: {e['note'].strip()}" for e in entries if e.get("note", "").strip()]
    out = ""
    if tags:
        out += "; tags: " + ", ".join(t if tags[t] == 1 else f"{t} ({tags[t]})" for t in REASON_TAGS if t in tags)
    if notes:
        out += "; notes: " + " | ".join(notes)
    return out


def _pair_consensus(votes: dict) -> tuple:
    """``(decision, reason)`` of one pair's ``{annotator: entry}``."""
    if not votes:
        return "drop", "not labelled"
    n = len(votes)
    tally = Counter(SHEET_DECISION[e["preference"]] for e in votes.values())
    decision, count = tally.most_common(1)[0]
    if count * 2 <= n:
        split = ", ".join(f"{who} {e['preference']}" for who, e in votes.items())
        return "drop", f"annotators disagree: {split}" + _remarks(list(votes.values()))
    voters = [e for e in votes.values() if SHEET_DECISION[e["preference"]] == decision]
    if decision == "drop":
        kinds = Counter(e["preference"] for e in voters)
        summary = f"{count} of {n} find the responses " + " or ".join(
            f"{'tied' if k == 'tie' else 'both bad'} ({kinds[k]})" for k in ("tie", "both_bad") if k in kinds)
    else:
        summary = f"{count} of {n} prefer the {'chosen' if decision == 'keep' else 'rejected'} response"
    return decision, summary + _remarks(voters)


def consensus(pairs: list, decisions: dict) -> dict:
    """``{pair_id: (decision, reason)}`` for every pair of ``pairs``: the sheet decision (keep, swap, drop) that a
    strict majority of the pair's annotators voted for, else drop; the reason summarises the votes, tags and notes
    (never empty)."""
    votes = votes_by_pair(decisions)
    return {p["id"]: _pair_consensus(votes.get(p["id"], {})) for p in pairs}


def export(pairs: list, decisions: dict, out_dir: str) -> dict:
    """Write ``out_dir/sheet.csv`` (the labelling sheet with the consensus filled in) and
    ``out_dir/pairs.labelled.jsonl`` (that sheet read back by ``labels.read_sheet``: exactly what
    ``launch/label_pairs.py --mode import`` gives for it). The sheet is read back before either file replaces its
    predecessor, so both are from one export or both stay as they were. A ``sheet.csv`` that is not the one the last
    export wrote (a person edited it) is never overwritten: ``AnnotationError("export")``. Returns the two paths,
    the decision counts and the number of labelled pairs written."""
    sheet = os.path.join(out_dir, "sheet.csv")
    labelled_path = os.path.join(out_dir, "pairs.labelled.jsonl")
    marker = os.path.join(out_dir, EXPORT_MARKER)
    if os.path.exists(sheet):
        written = None
        if os.path.exists(marker):
            with open(marker, encoding="utf-8") as f:
                written = json.load(f).get("sheet_sha256")
        if written != _sha256_of(sheet):
            raise AnnotationError("export", f"{sheet} is not the sheet the last export wrote (edited by hand?); move "
                                            "it away or start the studio with another --export_dir")
    pending = os.path.join(out_dir, ".sheet.csv.pending")
    write_sheet(pairs, pending, consensus(pairs, decisions))
    try:
        labelled, counts = read_sheet(pending, pairs)
        with atomic_open(labelled_path) as f:
            f.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in labelled)
        os.replace(pending, sheet)
    finally:
        if os.path.exists(pending):
            os.remove(pending)
    with atomic_open(marker) as f:
        json.dump({"sheet_sha256": _sha256_of(sheet)}, f)
    return {"sheet": sheet, "labelled": labelled_path, "counts": {d: counts.get(d, 0) for d in DECISIONS},
            "pairs": len(labelled)}


def _sha256_of(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
