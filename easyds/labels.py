"""The human-labelling round trip of preference pairs (``launch/label_pairs.py``).

The labelling sheet is a CSV a labeller opens in a spreadsheet: one row per pair with ``decision`` (keep, swap or
drop, prefilled keep) and ``reason`` (required for swap and drop). Reading it back checks every row and reports all
problems with their line numbers; texts must be unchanged and every pair must be present exactly once.
"""
import csv
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from common.config import Arguments, _help, choice
from common.data import DataError, read_jsonl
from common.files import atomic_open

DECISIONS = ("keep", "swap", "drop")
SHEET_COLUMNS = ("pair_id", "decision", "reason", "prompt", "chosen", "rejected", "chosen_score", "rejected_score",
                 "judge", "source")


@dataclass
class LabelArguments(Arguments):
    mode: str = choice("export", ("export", "import"), "export: pairs -> sheet; import: sheet -> labelled pairs.")
    pairs_file: Optional[str] = field(default=None, metadata=_help("pairs.jsonl of launch/collect_pairs.py."))
    sheet_file: Optional[str] = field(default=None, metadata=_help("The CSV sheet to write (export) or read (import)."))
    output_file: Optional[str] = field(default=None, metadata=_help("Labelled pairs JSONL (import)."))

    def problems(self, groups) -> list:
        out = []
        if not self.pairs_file or not os.path.isfile(self.pairs_file):
            out.append(f"--pairs_file {self.pairs_file}: no such file")
        if not self.sheet_file or (self.mode == "import" and not os.path.isfile(self.sheet_file)):
            out.append(f"--sheet_file {self.sheet_file}: " + ("required" if not self.sheet_file else "no such file"))
        if self.mode == "import" and not self.output_file:
            out.append("--output_file is required with --mode import")
        if self.mode == "export" and self.sheet_file and os.path.exists(self.sheet_file):
            out.append(f"--sheet_file {self.sheet_file} exists (it may hold a labeller's work); remove it or choose "
                       "another path")
        return out


class SheetError(ValueError):
    """Rows of a labelling sheet that cannot be read back; the message lists every one with its line."""


def sheet_text(pairs: list, decisions: dict = None) -> str:
    """The sheet of ``pairs``, each row's decision and reason from ``decisions`` (``{pair_id: (decision, reason)}``,
    the studio's consensus) or keep with no reason."""
    import io

    f = io.StringIO(newline="")
    w = csv.writer(f)
    w.writerow(SHEET_COLUMNS)
    for p in pairs:
        decision, reason = (decisions or {}).get(p["id"], ("keep", ""))
        w.writerow([p["id"], decision, reason, p["prompt"], p["chosen"], p["rejected"], f"{p['chosen_score']:.4f}",
                    f"{p['rejected_score']:.4f}", p["judge"], p["source"]])
    return f.getvalue()


def write_sheet(pairs: list, path: str, decisions: dict = None):
    """The labelling sheet (``sheet_text``), written whole or not at all (``atomic_open``). With a byte-order mark,
    spreadsheet programs open it as UTF-8 (Chinese texts survive the round trip)."""
    with atomic_open(path, encoding="utf-8-sig", newline="") as f:
        f.write(sheet_text(pairs, decisions))


def sheet_edited(directory: str) -> bool:
    """True when ``directory/sheet.csv`` differs from the sheet its ``pairs.jsonl`` gives: a person has edited it."""
    sheet = os.path.join(directory, "sheet.csv")
    if not os.path.exists(sheet):
        return False
    try:
        pairs = [{k: v for k, v in p.items() if k != "_line"}
                 for p in read_jsonl(os.path.join(directory, "pairs.jsonl"))]
        with open(sheet, encoding="utf-8-sig", newline="") as f:
            return f.read() != sheet_text(pairs)
    except (DataError, OSError, KeyError, UnicodeDecodeError):
        return True


def read_sheet(path: str, pairs: list) -> tuple:
    """``(labelled pairs, counts)``: the pairs with each row's decision applied (swap exchanges chosen and
    rejected with their scores, drop removes the pair), each with ``label: {decision, reason}``.

    Raises ``SheetError`` naming the file and, for every bad row, its line: an unknown or repeated ``pair_id``, a
    decision other than keep/swap/drop, a swap or drop without a reason, an edited prompt or response, a missing
    column; and every pair of ``pairs`` the sheet lacks.
    """
    by_id = {p["id"]: p for p in pairs}
    if len(by_id) < len(pairs):
        repeated = sorted(pid for pid, n in Counter(p["id"] for p in pairs).items() if n > 1)
        raise SheetError(f"the pairs file repeats the id(s) {', '.join(repeated[:10])}: a sheet row could not say "
                         "which pair it labels (label each collection's pairs.jsonl on its own)")
    try:
        return _read_rows(path, by_id)
    except UnicodeDecodeError as e:
        raise SheetError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start}); save the sheet as CSV UTF-8") from None


def _read_rows(path: str, by_id: dict) -> tuple:
    csv.field_size_limit(sys.maxsize)  # a cell as long as any text the export wrote (the default stops at 128 KiB)
    problems, seen, out, counts = [], set(), [], Counter()
    with open(path, encoding="utf-8-sig", newline="") as f:  # the byte-order mark a spreadsheet adds is skipped
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or [h.strip() for h in header] != list(SHEET_COLUMNS):
            raise SheetError(f"{path}, line 1: expected the columns {', '.join(SHEET_COLUMNS)}; got {header}")
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(SHEET_COLUMNS):
                problems.append(f"line {line}: {len(row)} cells, expected {len(SHEET_COLUMNS)}")
                continue
            r = dict(zip(SHEET_COLUMNS, row))
            pid, decision, reason = r["pair_id"].strip(), r["decision"].strip().lower(), r["reason"].strip()
            if pid not in by_id:
                problems.append(f"line {line}: pair_id {pid!r} is not a pair of this file")
                continue
            if pid in seen:
                problems.append(f"line {line}: pair_id {pid!r} appears twice")
                continue
            seen.add(pid)
            pair = by_id[pid]
            edited = [k for k in ("prompt", "chosen", "rejected") if r[k] != pair[k]]
            if edited:
                problems.append(f"line {line}: pair {pid}: {', '.join(edited)} edited; texts must stay as written "
                                "(use swap or drop)")
            if decision not in DECISIONS:
                problems.append(f"line {line}: pair {pid}: decision {r['decision']!r}; expected keep, swap or drop")
                continue
            if decision != "keep" and not reason:
                problems.append(f"line {line}: pair {pid}: a {decision} needs a reason")
            counts[decision] += 1
            if decision == "drop":
                continue
            labelled = dict(pair, label={"decision": decision, "reason": reason})
            if decision == "swap":
                for a, b in (("chosen", "rejected"), ("chosen_score", "rejected_score"),
                             ("chosen_scores", "rejected_scores"), ("chosen_tokens", "rejected_tokens")):
                    if a in labelled:
                        labelled[a], labelled[b] = labelled[b], labelled[a]
            out.append(labelled)
    missing = [pid for pid in by_id if pid not in seen]
    if missing:
        problems.append(f"{len(missing)} pair(s) missing from the sheet: {', '.join(missing[:10])}"
                        + (" ..." if len(missing) > 10 else ""))
    if problems:
        raise SheetError(f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return out, dict(counts)


def label_round_trip(a):
    """``launch/label_pairs.py``: ``export`` writes the sheet of ``a.pairs_file``; ``import`` reads it back into
    ``a.output_file`` and prints the decisions."""
    pairs = [{k: v for k, v in p.items() if k != "_line"} for p in read_jsonl(
        a.pairs_file, ("id", "prompt", "chosen", "rejected", "chosen_score", "rejected_score"),
        text_fields=("id", "prompt", "chosen", "rejected"))]
    if a.mode == "export":
        write_sheet(pairs, a.sheet_file)
        print(f"[label_pairs] {len(pairs)} pairs -> {a.sheet_file} (decision: keep, swap or drop; a reason for swap "
              "and drop)", flush=True)
        return
    labelled, counts = read_sheet(a.sheet_file, pairs)
    with atomic_open(a.output_file) as f:
        f.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in labelled)
    print(f"[label_pairs] {a.sheet_file}: " + ", ".join(f"{k} {counts.get(k, 0)}" for k in DECISIONS)
          + f" -> {len(labelled)} pairs in {a.output_file}", flush=True)
