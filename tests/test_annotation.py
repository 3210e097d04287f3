"""Blind labelling of preference pairs (easyds/annotation.py): the A/B blinding, the journal (latest decision wins,
retries, several writing processes, a crash mid-write, a malformed line), field validation, agreement (Cohen's
kappa) and the consensus exported as a labelling sheet that easyds.labels reads back."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, write_jsonl


def make_pairs(n, tag=""):
    return [{"id": f"p{i}", "prompt": f"Topic: Stacks\nExercise {i}{tag}: balanced brackets",
             "chosen": f"good hint {i}, with a comma", "rejected": f'bad "hint" {i}\nsecond line',
             "chosen_score": 1.0 + i / 8, "rejected_score": 0.25, "judge": "rm+rubric", "source": "policy/final"}
            for i in range(n)]


@pytest.fixture
def pairs_file(tmp_path):
    return write_jsonl(tmp_path / "pairs.jsonl", make_pairs(12))


@pytest.fixture
def journal(tmp_path, pairs_file):
    from easyds.annotation import Journal, load_pairs

    return Journal(str(tmp_path / "labels" / "journal.jsonl"), load_pairs(pairs_file), salt="fixed salt")


def journal_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def letter_for(journal, annotator, pair_id, text):
    """The letter under which ``annotator`` sees ``text`` ("chosen" or "rejected") of the pair."""
    view = journal.view(pair_id, annotator)
    wanted = journal.pairs[view["index"]][text]
    return "A" if view["A"] == wanted else "B"


def vote(journal, annotator, pair_id, preference, **kw):
    """Record the choice that means ``preference`` for this annotator's A/B order."""
    choice = letter_for(journal, annotator, pair_id, preference) if preference in ("chosen", "rejected") else preference
    return journal.record(annotator, pair_id, choice, **kw)


# --- Cohen's kappa ----------------------------------------------------------------------------------------------------
def test_cohen_kappa_matches_hand_computed_values():
    from easyds.annotation import cohen_kappa

    # 2x2 over 50 items: both chosen 20, x chosen/y rejected 5, x rejected/y chosen 10, both rejected 15.
    # p_o = 35/50 = 0.7; x: chosen 25, rejected 25; y: chosen 30, rejected 20; p_e = 0.5*0.6 + 0.5*0.4 = 0.5;
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    x = ["chosen"] * 25 + ["rejected"] * 25
    y = ["chosen"] * 20 + ["rejected"] * 5 + ["chosen"] * 10 + ["rejected"] * 15
    assert cohen_kappa(x, y) == pytest.approx(0.4)
    # 3 categories over 6 items: agree on items 1, 3, 4, 6 -> p_o = 4/6; x: chosen 2, rejected 2, tie 2;
    # y: chosen 2, rejected 3, tie 1; p_e = (2*2 + 2*3 + 2*1)/36 = 1/3; kappa = (2/3 - 1/3)/(1 - 1/3) = 0.5
    x = ["chosen", "chosen", "rejected", "tie", "tie", "rejected"]
    y = ["chosen", "rejected", "rejected", "tie", "chosen", "rejected"]
    assert cohen_kappa(x, y) == pytest.approx(0.5)
    assert cohen_kappa(x, x) == 1.0
    assert cohen_kappa(["tie"] * 5, ["tie"] * 5) == 1.0  # p_e == 1: 0/0, defined as full agreement
    with pytest.raises(ValueError):
        cohen_kappa(["chosen"], ["chosen", "tie"])
    with pytest.raises(ValueError, match="maybe"):
        cohen_kappa(["maybe"], ["tie"])


# --- blinding ---------------------------------------------------------------------------------------------------------
def test_blinding_is_balanced_deterministic_and_survives_a_restart(tmp_path, pairs_file):
    from easyds.annotation import Journal, a_is_chosen, load_pairs

    ids = [f"pair-{i}" for i in range(200)]
    firsts = [a_is_chosen(pid, "alice", "salt") for pid in ids]
    assert 70 <= sum(firsts) <= 130
    assert firsts == [a_is_chosen(pid, "alice", "salt") for pid in ids]
    assert firsts != [a_is_chosen(pid, "bob", "salt") for pid in ids]  # each annotator gets their own order
    assert firsts != [a_is_chosen(pid, "alice", "other salt") for pid in ids]

    pairs = load_pairs(pairs_file)
    path = str(tmp_path / "journal.jsonl")
    first = Journal(path, pairs)  # a random salt, kept in the header
    views = [first.view(p["id"], "alice") for p in pairs]
    again = Journal(path, pairs)
    assert again.salt == first.salt and [again.view(p["id"], "alice") for p in pairs] == views
    assert json.loads(journal_lines(path)[0])["salt"] == first.salt
    for view, pair in zip(views, pairs):
        assert set(view) == {"pair_id", "prompt", "A", "B", "index", "total"}
        assert {view["A"], view["B"]} == {pair["chosen"], pair["rejected"]} and view["total"] == len(pairs)
    assert {v["A"] == p["chosen"] for v, p in zip(views, pairs)} == {True, False}  # both orders occur


def test_a_choice_is_unblinded_to_the_text_it_names(journal):
    a_chosen = next(p["id"] for p in journal.pairs if journal.view(p["id"], "alice")["A"] == p["chosen"])
    a_rejected = next(p["id"] for p in journal.pairs if journal.view(p["id"], "alice")["A"] == p["rejected"])
    assert journal.record("alice", a_chosen, "A")["preference"] == "chosen"
    assert journal.record("alice", a_rejected, "A")["preference"] == "rejected"
    assert journal.record("bob", a_chosen, "tie")["preference"] == "tie"
    entry = journal.record("carol", a_chosen, "both_bad", tags=["not_revealing"], note="both give the answer away")
    assert entry["preference"] == "both_bad" and entry["tags"] == ["not_revealing"]


# --- the journal ------------------------------------------------------------------------------------------------------
def test_the_latest_decision_wins_and_counts_once(journal):
    vote(journal, "alice", "p3", "rejected")
    later = vote(journal, "alice", "p3", "chosen", note="on second reading")
    decisions = journal.decisions()
    assert list(decisions) == [("alice", "p3")] and decisions[("alice", "p3")] == later
    assert journal.progress("alice") == {"done": 1, "total": 12, "next": "p0"}
    for p in journal.pairs:
        if p["id"] != "p5":
            journal.record("alice", p["id"], "tie")
    assert journal.progress("alice") == {"done": 11, "total": 12, "next": "p5"}
    journal.record("alice", "p5", "B")
    assert journal.progress("alice")["next"] is None and journal.annotators() == ["alice"]


def test_a_retried_decision_id_writes_nothing(journal):
    first = journal.record("alice", "p1", "A", decision_id="req-1")
    size = len(journal_lines(journal.path))
    assert journal.record("alice", "p1", "A", decision_id="req-1") == first
    assert len(journal_lines(journal.path)) == size
    from easyds.annotation import AnnotationError

    with pytest.raises(AnnotationError) as e:
        journal.record("bob", "p2", "A", decision_id="req-1")
    assert e.value.field == "decision_id"


WRITER = textwrap.dedent("""
    import os, sys, threading, time
    sys.path.insert(0, {root!r})
    from easyds.annotation import Journal, load_pairs
    me, journal_path, pairs_path, go = sys.argv[1:5]
    journal = Journal(journal_path, load_pairs(pairs_path))
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.005)

    def work(thread):
        for i in range(50):
            journal.record(f"{{me}}-{{thread}}", f"p{{i % 12}}", "AB"[i % 2], decision_id=f"{{me}}-{{thread}}-{{i}}")
            if i % 3 == 0:  # both processes (and both threads) send these, as a retrying page would
                journal.record("shared", f"p{{i % 12}}", "tie", decision_id=f"shared-{{i}}")

    threads = [threading.Thread(target=work, args=(t,)) for t in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
""")


def test_concurrent_processes_lose_and_double_nothing(tmp_path, pairs_file, journal):
    go = tmp_path / "go"
    script = WRITER.format(root=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", script, name, journal.path, pairs_file, str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("w1", "w2")]
    for p in procs:
        line = p.stdout.readline().strip()
        if line != "ready":  # the worker failed to start: stop both before reporting (they would wait forever)
            for q in procs:
                q.kill()
            raise AssertionError(f"worker said {line!r}: {p.communicate()[1][-3000:]}")
    go.touch()  # both start writing at once
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    lines = journal_lines(journal.path)
    assert lines[-1] == ""  # the file ends with a newline: every line whole
    entries = [json.loads(line) for line in lines[1:-1]]
    ids = [e["decision_id"] for e in entries]
    expected = {f"{w}-{t}-{i}" for w in ("w1", "w2") for t in range(2) for i in range(50)}
    expected |= {f"shared-{i}" for i in range(0, 50, 3)}
    assert len(ids) == len(set(ids)) == len(expected) and set(ids) == expected
    decisions = journal.decisions()  # this process reads what the others appended
    assert set(decisions) == ({(f"{w}-{t}", f"p{i}") for w in ("w1", "w2") for t in range(2) for i in range(12)}
                              | {("shared", f"p{i % 12}") for i in range(0, 50, 3)})
    assert journal.progress("w1-0") == {"done": 12, "total": 12, "next": None}


def test_a_line_cut_by_a_crash_is_ignored_then_cut_off(journal):
    journal.record("alice", "p0", "A")
    with open(journal.path, "ab") as f:
        f.write(b'{"decision_id": "lost", "annotator": "bob", "pair_')
    assert list(journal.decisions()) == [("alice", "p0")]
    journal.record("bob", "p1", "B")
    lines = journal_lines(journal.path)
    assert lines[-1] == "" and len(lines) == 4  # header, two decisions, and the final newline
    assert [json.loads(line)["annotator"] for line in lines[1:-1]] == ["alice", "bob"]
    assert sorted(journal.decisions()) == [("alice", "p0"), ("bob", "p1")]


def test_a_malformed_line_names_the_file_and_line(journal):
    from easyds.annotation import AnnotationError

    journal.record("alice", "p0", "A")
    with open(journal.path, "a", encoding="utf-8") as f:
        f.write("{not json\n")
    for call in (journal.decisions, lambda: journal.record("alice", "p1", "A")):
        with pytest.raises(AnnotationError) as e:
            call()
        assert journal.path in str(e.value) and "line 3" in str(e.value)


def test_a_journal_of_another_pairs_file_is_refused(tmp_path, journal):
    from easyds.annotation import AnnotationError, Journal

    with pytest.raises(AnnotationError) as e:
        Journal(journal.path, make_pairs(12, tag=" (edited)"))
    assert e.value.field == "pairs" and "another pairs file" in str(e.value)
    with pytest.raises(AnnotationError) as e:
        Journal(journal.path, journal.pairs, salt="another salt")
    assert e.value.field == "salt"
    not_a_journal = write_jsonl(tmp_path / "other.jsonl", ['{"id": "x"}'])
    with pytest.raises(AnnotationError) as e:
        Journal(not_a_journal, journal.pairs)
    assert e.value.field == "journal" and "line 1" in str(e.value)


@pytest.mark.parametrize("field, kwargs", [
    ("annotator", {"annotator": "  "}),
    ("annotator", {"annotator": "x" * 65}),
    ("annotator", {"annotator": "bad\nname"}),
    ("annotator", {"annotator": None}),
    ("pair_id", {"pair_id": "p99"}),
    ("choice", {"choice": "a"}),
    ("tags", {"tags": ["not_revealing", "not_revealing"]}),
    ("tags", {"tags": ["politeness"]}),
    ("tags", {"tags": "length"}),
    ("note", {"note": "x" * 2001}),
    ("note", {"note": 3}),
    ("decision_id", {"decision_id": "x" * 65}),
    ("decision_id", {"decision_id": ""}),
])
def test_each_bad_field_is_named(journal, field, kwargs):
    from easyds.annotation import AnnotationError

    args = {"annotator": "alice", "pair_id": "p0", "choice": "A", **kwargs}
    with pytest.raises(AnnotationError) as e:
        journal.record(**args)
    assert e.value.field == field and e.value.message == str(e.value)
    assert journal.decisions() == {} and len(journal_lines(journal.path)) == 2  # nothing written


def test_load_pairs_fills_defaults_and_refuses_repeated_ids(tmp_path):
    from common.data import DataError
    from easyds.annotation import load_pairs

    bare = {"id": "q1", "prompt": "Exercise", "chosen": "good", "rejected": "bad"}
    pairs = load_pairs(write_jsonl(tmp_path / "bare.jsonl", [bare]))
    assert pairs == [{**bare, "chosen_score": 0.0, "rejected_score": 0.0, "judge": "unknown", "source": "unknown"}]
    path = write_jsonl(tmp_path / "twice.jsonl", [bare, {**bare, "chosen": "other"}])
    with pytest.raises(DataError, match=r"twice.jsonl.*'q1' \(lines 1, 2\)"):
        load_pairs(path)


# --- agreement, consensus and export ----------------------------------------------------------------------------------
def entry(annotator, pair_id, preference, tags=(), note=""):
    return {"annotator": annotator, "pair_id": pair_id, "preference": preference, "tags": list(tags), "note": note}


def test_agreement_between_three_annotators():
    from easyds.annotation import agreement

    table = {"a": {"p1": "chosen", "p2": "chosen", "p3": "rejected", "p4": "tie", "p5": "both_bad"},
             "b": {"p1": "chosen", "p2": "rejected", "p3": "rejected", "p4": "tie"},
             "c": {"p1": "chosen", "p2": "chosen"}}
    decisions = {(who, pid): entry(who, pid, pref) for who, row in table.items() for pid, pref in row.items()}
    report = agreement(decisions)
    assert report["annotators"] == ["a", "b", "c"]
    assert report["pairs_labelled"] == 5 and report["pairs_shared"] == 4
    between = {(r["a"], r["b"]): r for r in report["between"]}
    # a-b on p1..p4: agree on p1, p3, p4 -> 3/4; a: chosen 2, rejected 1, tie 1; b: chosen 1, rejected 2, tie 1;
    # p_e = (2*1 + 1*2 + 1*1)/16 = 5/16; kappa = (12/16 - 5/16)/(11/16) = 7/11
    assert between[("a", "b")]["shared"] == 4 and between[("a", "b")]["raw_agreement"] == 0.75
    assert between[("a", "b")]["kappa"] == pytest.approx(7 / 11)
    # a-c on p1, p2: both chosen twice -> raw 1, p_e = 1 -> kappa 1
    assert between[("a", "c")]["raw_agreement"] == 1.0 and between[("a", "c")]["kappa"] == 1.0
    # b-c on p1, p2: agree on p1 -> 1/2; b: chosen 1, rejected 1; c: chosen 2; p_e = 2/4; kappa = 0
    assert between[("b", "c")]["raw_agreement"] == 0.5 and between[("b", "c")]["kappa"] == pytest.approx(0.0)
    assert report["disagreements"] == [{"pair_id": "p2", "votes": {"a": "chosen", "b": "rejected", "c": "chosen"}}]


def test_consensus_decides_by_strict_majority():
    from easyds.annotation import consensus

    pairs = make_pairs(6)
    decisions = {(e["annotator"], e["pair_id"]): e for e in [
        entry("a", "p0", "chosen"), entry("b", "p0", "chosen"), entry("c", "p0", "rejected"),
        entry("a", "p1", "rejected", tags=["not_revealing"], note="gives the answer"),
        entry("b", "p1", "rejected", tags=["not_revealing", "length"]),
        entry("a", "p2", "tie"), entry("b", "p2", "both_bad"),
        entry("a", "p3", "chosen"), entry("b", "p3", "rejected"),
        entry("a", "p4", "chosen"), entry("b", "p4", "rejected"), entry("c", "p4", "tie")]}
    out = consensus(pairs, decisions)
    assert out["p0"] == ("keep", "2 of 3 prefer the chosen response")
    assert out["p1"] == ("swap", "2 of 2 prefer the rejected response; tags: not_revealing (2), length; "
                                 "notes: a: gives the answer")
    assert out["p2"] == ("drop", "2 of 2 find the responses tied (1) or both bad (1)")
    assert out["p3"] == ("drop", "annotators disagree: a chosen, b rejected")
    assert out["p4"][0] == "drop" and out["p4"][1].startswith("annotators disagree")
    assert out["p5"] == ("drop", "not labelled")


def test_export_writes_a_sheet_that_labels_reads_back(tmp_path, pairs_file, journal):
    from easyds.annotation import a_is_chosen, export
    from easyds.labels import LabelArguments, SHEET_COLUMNS, read_sheet, label_round_trip

    pairs = journal.pairs
    both_see_chosen_as_b = next(p["id"] for p in pairs
                                if not any(a_is_chosen(p["id"], who, journal.salt) for who in ("x", "y")))
    keep = both_see_chosen_as_b
    swap, tie, split = [p["id"] for p in pairs if p["id"] != keep][:3]
    journal.record("x", keep, "B")
    journal.record("y", keep, "B")
    vote(journal, "x", swap, "rejected", tags=["not_revealing"], note="states the answer")
    vote(journal, "y", swap, "rejected")
    vote(journal, "z", swap, "chosen")
    journal.record("x", tie, "tie")
    journal.record("y", tie, "both_bad")
    vote(journal, "x", split, "chosen")
    vote(journal, "y", split, "rejected")

    result = export(pairs, journal.decisions(), str(tmp_path / "out"))
    assert result["counts"] == {"keep": 1, "swap": 1, "drop": len(pairs) - 2} and result["pairs"] == 2
    with open(result["sheet"], "rb") as f:
        assert f.read(3) == b"\xef\xbb\xbf"
    with open(result["sheet"], encoding="utf-8-sig") as f:
        assert f.readline().strip() == ",".join(SHEET_COLUMNS)
    labelled, counts = read_sheet(result["sheet"], pairs)
    with open(result["labelled"], encoding="utf-8") as f:
        written = [json.loads(line) for line in f]
    assert written == labelled and counts == result["counts"]
    by_id = {p["id"]: p for p in written}
    original = {p["id"]: p for p in pairs}
    assert set(by_id) == {keep, swap}
    assert by_id[keep]["chosen"] == original[keep]["chosen"] and by_id[keep]["label"]["decision"] == "keep"
    assert by_id[swap]["chosen"] == original[swap]["rejected"] and by_id[swap]["rejected"] == original[swap]["chosen"]
    assert (by_id[swap]["chosen_score"], by_id[swap]["rejected_score"]) == (original[swap]["rejected_score"],
                                                                            original[swap]["chosen_score"])
    assert by_id[swap]["label"]["reason"].startswith("2 of 3 prefer the rejected response; tags: not_revealing")

    # the same sheet through launch/label_pairs.py's import gives the same file, byte for byte
    again = tmp_path / "again.jsonl"
    label_round_trip(LabelArguments(mode="import", pairs_file=pairs_file, sheet_file=result["sheet"],
                                    output_file=str(again)))
    with open(result["labelled"], "rb") as f:
        assert again.read_bytes() == f.read()
    # no temp file left behind
    assert sorted(os.listdir(tmp_path / "out")) == [".studio-export.json", "pairs.labelled.jsonl", "sheet.csv"]


def test_a_pairs_file_without_ids_gets_line_ids(tmp_path):
    """A hand-made pairs file (a DPO training file) has no ids: each pair is named by its line, and the export's
    sheet reads back."""
    from easyds.annotation import Journal, export, load_pairs
    from easyds.labels import read_sheet

    path = tmp_path / "dpo.jsonl"
    rows = [{"prompt": f"主题：栈 {i}", "chosen": f"想一想 {i}？", "rejected": f"答案是 {i}。"} for i in range(3)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    pairs = load_pairs(str(path))
    assert [p["id"] for p in pairs] == ["line-1", "line-2", "line-3"]
    journal = Journal(str(tmp_path / "j.jsonl"), pairs)
    journal.record("老师", "line-2", "A" if journal.view("line-2", "老师")["A"] == "想一想 1？" else "B")
    result = export(pairs, journal.decisions(), str(tmp_path / "out"))
    labelled, counts = read_sheet(result["sheet"], pairs)
    assert counts == {"keep": 1, "drop": 2} and labelled[0]["chosen"] == "想一想 1？"
