"""Preference-pair collection: each quality-control filter on crafted samples, the labelling sheet's round trip and
its validation, and collection on the tiny model through launch/collect_pairs.py and launch/label_pairs.py."""
import csv
import json

import pytest

from conftest import ROOT, launch

W = {"rm": 1.0, "rubric": 2.0}


def sample(text, rm=0.0, rubric=0.0, tokens=None, ended=True):
    return {"text": text, "tokens": tokens if tokens is not None else len(text.split()), "ended": ended,
            "scores": {"rm": rm, "rubric": rubric}}


def group(pid, samples, prompt=None):
    return {"record": {"id": pid, "prompt": prompt or f"Topic: Stacks\nExercise {pid}", "lang": "en"},
            "samples": samples}


def test_malformed_samples_are_counted_by_kind_and_never_paired_unless_asked():
    from easyds.pairs import build_pairs

    def samples():
        return [sample("   "), sample("What does your loop do on the last element?", rm=1.0),
                sample("Broken \ufffd bytes here, never a hint", rm=5.0),
                sample("A hint that was cut off in the", rm=4.0, ended=False),
                sample("Try tracing the stack after each push.", rm=-1.0)]

    g = group("a", samples())
    pairs, report = build_pairs([g], W)
    assert report["malformed"] == {"empty": 1, "broken_text": 1, "no_end_of_turn": 1} and report["sampled"] == 5
    assert [(p["chosen"], p["rejected"]) for p in pairs] == [(g["samples"][1]["text"], g["samples"][4]["text"])]
    assert [s["fate"] for s in g["samples"]] == ["malformed:empty", "chosen", "malformed:broken_text",
                                                 "malformed:no_end_of_turn", "rejected"]
    g = group("a", samples())
    pairs, report = build_pairs([g], W, exclude=("empty",))
    assert report["malformed"] == {"empty": 1}
    assert report["malformed_kept"] == {"broken_text": 1, "no_end_of_turn": 1}
    assert pairs[0]["chosen"].startswith("Broken")  # paired because the caller asked, and counted


def test_exact_and_near_duplicates_are_removed():
    from easyds.pairs import build_pairs, jaccard, shingles

    base = "What happens to top when you pop from a stack that holds a single element"  # 15 words, 13 trigrams
    near = base.replace("element", "item")  # shares 12 of 14 trigrams: 12/14 = 0.857
    assert jaccard(shingles(base), shingles(near)) == pytest.approx(12 / 14)
    far = "Compare the two loops: which one visits every node of the list exactly once"
    g = group("d", [sample(base, rm=1.0), sample("  what HAPPENS to top when you pop from a stack that holds a "
                                                 "single   element"), sample(near, rm=3.0), sample(far, rm=-2.0)])
    pairs, report = build_pairs([g], W, near_duplicate=0.8)
    assert (report["exact_duplicates"], report["near_duplicates"]) == (1, 1)
    assert (pairs[0]["chosen"], pairs[0]["rejected"]) == (base, far)  # the later near duplicate (rm 3) is gone
    _, report = build_pairs([group("d", [sample(base), sample(near), sample(far)])], W, near_duplicate=0.9)
    assert report["near_duplicates"] == 0  # 0.857 is under a 0.9 threshold
    zh = [sample("想一想：栈顶元素在弹出之后会变成哪一个？"), sample("想一想：栈顶元素在弹出之后会变成哪一个呢？"),
          sample("试着画出每次入栈后链表的样子。")]
    _, report = build_pairs([group("z", zh)], W)
    assert report["near_duplicates"] == 1  # character 3-grams for Chinese


def test_pairs_under_the_margin_are_dropped_and_kept_pairs_respect_it():
    from easyds.pairs import build_pairs

    groups = [group("small", [sample("first hint text", rm=0.10), sample("second hint text", rm=0.0)]),
              group("exact", [sample("first hint text", rm=0.25), sample("second hint text", rm=0.0)]),
              group("tie", [sample("first hint text", rm=0.5, rubric=0.5), sample("second hint text", rm=1.5)]),
              group("big", [sample("first hint text", rm=-1.0), sample("second hint text", rm=1.0, rubric=1.0)]),
              group("one", [sample("only one hint"), sample("")])]
    pairs, report = build_pairs(groups, W, min_margin=0.25)
    assert [p["id"] for p in pairs] == ["exact", "big"]
    assert (report["low_margin"], report["too_few_candidates"], report["kept"]) == (2, 1, 2)
    assert report["candidates"] == 9 and report["malformed"] == {"empty": 1}
    assert [s["fate"] for s in groups[0]["samples"]] == ["pair_dropped:low_margin"] * 2
    for p in pairs:
        assert p["chosen_score"] >= p["rejected_score"] + 0.25 - 1e-12
        assert p["chosen_score"] == pytest.approx(p["chosen_scores"]["rm"] + 2 * p["chosen_scores"]["rubric"])
    assert pairs[1]["chosen"] == "second hint text" and pairs[1]["chosen_score"] == pytest.approx(3.0)
    assert pairs[0]["judge"] == "1*rm + 2*rubric"


def test_judge_disagreement_is_reported_and_optionally_filtered():
    from easyds.pairs import build_pairs

    groups = [
        # combined: a = 2 + 2*0.2 = 2.4, b = 0 + 2*0.9 = 1.8 -> a chosen; RM prefers a, rubric prefers b
        group("disagree", [sample("answer a text", rm=2.0, rubric=0.2), sample("answer b text", rm=0.0, rubric=0.9)]),
        group("agree", [sample("answer a text", rm=1.0, rubric=1.0), sample("answer b text", rm=0.0, rubric=0.5)]),
        group("rubric tie", [sample("answer a text", rm=1.0, rubric=0.5), sample("answer b text", rm=0.0, rubric=0.5)]),
    ]
    pairs, report = build_pairs(groups, W)
    a = report["judge_agreement"]
    assert (a["compared"], a["agree"], a["disagree"], a["rubric_ties"], a["agreement_rate"]) == (2, 1, 1, 1, 0.5)
    assert len(pairs) == 3 and report["dropped_disagreement"] == 0
    pairs, report = build_pairs(groups, W, drop_disagreements=True)
    assert [p["id"] for p in pairs] == ["agree", "rubric tie"] and report["dropped_disagreement"] == 1
    _, report = build_pairs(groups, {"rm": 1.0})
    assert report["judge_agreement"] is None  # one judge: nothing to agree with


def test_length_bias_is_reported_and_balanced_by_dropping_the_weakest_pairs():
    from easyds.pairs import build_pairs

    groups = [group(f"long{m}", [sample("chosen " * 10, rm=m, tokens=10), sample("rejected x", tokens=2)])
              for m in (1.0, 2.0, 3.0, 4.0)]
    groups.append(group("short", [sample("ok", rm=5.0, tokens=1), sample("rejected " * 9, tokens=9)]))
    groups.append(group("same", [sample("one two", rm=1.0, tokens=2), sample("three four", tokens=2)]))
    pairs, report = build_pairs(groups, W)
    assert report["chosen_longer_share"] == pytest.approx(4 / 6) and len(pairs) == 6
    pairs, report = build_pairs(groups, W, balance_length=True)
    assert sorted(p["id"] for p in pairs) == ["long4.0", "same", "short"]  # 3 weakest chosen-longer pairs dropped
    assert groups[0]["samples"][0]["fate"] == "pair_dropped:length_balance"
    assert groups[3]["samples"][0]["fate"] == "chosen"
    assert report["dropped_for_length"] == 3 and report["chosen_longer_share_before_balance"] == pytest.approx(4 / 6)
    assert report["chosen_longer_share"] == pytest.approx(1 / 3)  # one longer, one shorter, one equal


# --- the labelling sheet ----------------------------------------------------------------------------------------------
def crafted_pairs():
    from easyds.pairs import build_pairs

    groups = [group(f"p{i}", [sample(f"good hint {i}, with a comma", rm=2.0), sample(f'bad "hint" {i}\nsecond line')],
                    prompt=f"Topic: Stacks\nExercise {i}: balanced brackets") for i in range(4)]
    return build_pairs(groups, W, source="policy/final")[0]


def edit_sheet(path, edits):
    """Apply ``{pair_id: {column: value}}`` (or ``"delete"``) to a sheet, as a labeller's spreadsheet would."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows = [r for r in rows if edits.get(r[0]) != "delete"]
    for row in rows[1:]:
        for column, value in edits.get(row[0], {}).items():
            row[list(rows[0]).index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def start_line(path, pair_id):
    """The physical line on which the sheet's row for ``pair_id`` starts (rows span lines: texts hold newlines)."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if line.startswith(pair_id + ","):
                return n


def test_labelling_round_trip_applies_keep_swap_drop(tmp_path):
    from easyds.labels import read_sheet, write_sheet

    pairs = crafted_pairs()
    sheet = tmp_path / "sheet.csv"
    write_sheet(pairs, str(sheet))
    edit_sheet(sheet, {"p1": {"decision": "swap", "reason": "the rejected one asks a better question"},
                       "p2": {"decision": " DROP ", "reason": "both give the answer away"}})
    labelled, counts = read_sheet(str(sheet), pairs)
    assert counts == {"keep": 2, "swap": 1, "drop": 1}
    assert [p["id"] for p in labelled] == ["p0", "p1", "p3"]
    swapped = labelled[1]
    assert (swapped["chosen"], swapped["rejected"]) == (pairs[1]["rejected"], pairs[1]["chosen"])
    assert (swapped["chosen_score"], swapped["rejected_score"]) == (pairs[1]["rejected_score"], pairs[1]["chosen_score"])
    assert swapped["label"] == {"decision": "swap", "reason": "the rejected one asks a better question"}
    assert labelled[0]["chosen"] == pairs[0]["chosen"] and labelled[0]["label"]["decision"] == "keep"


def test_labelling_sheet_rejects_bad_rows_with_their_line_numbers(tmp_path):
    from easyds.labels import SheetError, read_sheet, write_sheet

    pairs = crafted_pairs()
    sheet = tmp_path / "sheet.csv"
    write_sheet(pairs, str(sheet))
    edit_sheet(sheet, {"p0": {"decision": "maybe"}, "p1": {"decision": "swap"},
                       "p2": {"chosen": "an improved hint"}, "p3": "delete"})
    with open(sheet, "a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(["p9", "keep", "", "x", "y", "z", "1", "0", "j", "s"])
        csv.writer(f).writerow(["p0", "keep", "", pairs[0]["prompt"], pairs[0]["chosen"], pairs[0]["rejected"],
                                "1", "0", "j", "s"])
    with pytest.raises(SheetError) as e:
        read_sheet(str(sheet), pairs)
    message = str(e.value)
    assert str(sheet) in message and "6 problem(s)" in message
    assert f"line {start_line(sheet, 'p0')}: pair p0: decision 'maybe'; expected keep, swap or drop" in message
    assert f"line {start_line(sheet, 'p1')}: pair p1: a swap needs a reason" in message
    assert f"line {start_line(sheet, 'p2')}: pair p2: chosen edited" in message
    assert f"line {start_line(sheet, 'p9')}: pair_id 'p9' is not a pair of this file" in message
    assert "pair_id 'p0' appears twice" in message
    assert "1 pair(s) missing from the sheet: p3" in message
    assert start_line(sheet, "p1") - start_line(sheet, "p0") == 3  # rows really span several lines

    (tmp_path / "bad.csv").write_text("id,decision\np0,keep\n", encoding="utf-8")
    with pytest.raises(SheetError, match="line 1: expected the columns pair_id, decision"):
        read_sheet(str(tmp_path / "bad.csv"), pairs)
    (tmp_path / "latin1.csv").write_bytes(",".join(["pair_id", "d\xe9cision"]).encode("latin-1"))
    with pytest.raises(SheetError, match="not UTF-8 text"):
        read_sheet(str(tmp_path / "latin1.csv"), pairs)
    with pytest.raises(SheetError, match="repeats the id"):
        read_sheet(str(sheet), pairs + pairs[:1])


def test_a_sheet_is_written_whole_or_not_at_all_and_long_cells_read_back(tmp_path):
    from easyds.labels import read_sheet, write_sheet

    pairs = crafted_pairs()
    pairs[0]["prompt"] = "x" * 200_000  # over the csv module's default cell limit of 131,072 characters
    sheet = tmp_path / "sheet.csv"
    write_sheet(pairs, str(sheet))
    labelled, counts = read_sheet(str(sheet), pairs)
    assert counts["keep"] == 4 and labelled[0]["prompt"] == pairs[0]["prompt"]
    before = sheet.read_bytes()
    broken = [dict(p) for p in pairs]
    del broken[3]["chosen_score"]  # the export fails on the last row
    with pytest.raises(KeyError):
        write_sheet(broken, str(sheet))
    assert sheet.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["sheet.csv"]  # no partial file


def test_sheet_saved_by_a_spreadsheet_with_a_byte_order_mark_reads_back(tmp_path):
    """Spreadsheet programs save "CSV UTF-8" with a byte-order mark; Chinese text survives the round trip."""
    from easyds.labels import read_sheet, write_sheet
    from easyds.pairs import build_pairs

    zh = [sample("想一想：栈顶元素在弹出之后会变成哪一个？", rm=2.0), sample("答案是 3。")]
    pairs = build_pairs([group("z1", zh, prompt="主题：栈\n题目：括号匹配")], W)[0]
    sheet = tmp_path / "sheet.csv"
    write_sheet(pairs, str(sheet))
    assert sheet.read_bytes()[:3] == b"\xef\xbb\xbf"
    labelled, counts = read_sheet(str(sheet), pairs)
    assert counts == {"keep": 1} and labelled[0]["chosen"] == zh[0]["text"]


# --- collection on the tiny model -----------------------------------------------------------------------------------
def test_collect_pairs_on_the_tiny_model_gives_valid_pairs(random_policy, tmp_path):
    """Sample, judge with the reward model and the rubric, filter, write; then the labelling round trip through the
    launch scripts; the pairs load as a DPO training file."""
    from common.data import PreferenceDataset, read_jsonl
    from common.modeling import ScalarHeadModel, load_tokenizer

    ScalarHeadModel.from_backbone("embedded:tiny-qwen2").save_pretrained(str(tmp_path / "rm"))
    out = tmp_path / "pairs"
    stdout = launch("collect_pairs", [
        "--model_name_or_path", random_policy, "--prompt_file", ROOT / "data" / "easyds" / "en" / "ppo_prompts.jsonl",
        "--output_dir", out, "--reward_model_name_or_path", tmp_path / "rm", "--judge", "both", "--max_prompts", 8,
        "--num_samples", 4, "--batch_size", 4, "--max_new_tokens", 12, "--min_margin", 0.1,
        # The random tiny model writes byte soup that never ends its turn: pair it anyway, counted.
        "--exclude_malformed", "empty", "--max_source_length", 400])
    assert "pairs kept" in stdout
    report = json.loads((out / "pairs_report.json").read_text())
    pairs = read_jsonl(str(out / "pairs.jsonl"), ("prompt", "chosen", "rejected", "chosen_score", "rejected_score",
                                                   "judge", "source"), text_fields=("prompt", "chosen", "rejected"))
    samples = read_jsonl(str(out / "samples.jsonl"), ("prompt", "fate"), text_fields=("prompt",))
    assert report["prompts"] == 8 and report["sampled"] == len(samples) == 32 and report["kept"] == len(pairs) >= 2
    fates = [s["fate"] for s in samples]
    assert fates.count("chosen") == fates.count("rejected") == len(pairs)
    removed = sum(report["malformed"].values()) + report["exact_duplicates"] + report["near_duplicates"]
    assert report["candidates"] == len(samples) - removed == sum(
        f in ("chosen", "rejected", "candidate") or f.startswith("pair_dropped:") for f in fates)
    assert report["prompts"] == report["too_few_candidates"] + report["low_margin"] + report["kept"]
    for p in pairs:
        assert p["chosen_score"] >= p["rejected_score"] + 0.1 and p["chosen"] != p["rejected"]
        assert p["judge"] == "1*rm + 2*rubric" and p["source"] == random_policy
        assert p["chosen_score"] == pytest.approx(p["chosen_scores"]["rm"] + 2 * p["chosen_scores"]["rubric"])
    assert PreferenceDataset(str(out / "pairs.jsonl"), load_tokenizer("embedded:tiny-qwen2"), 400, 16).stats["items"] \
        == len(pairs)
    run = json.loads((out / "run_summary.json").read_text())
    assert run["tokens_seen"] > 0 and run["final_metrics"]["pairs/kept"] == len(pairs)

    sheet = tmp_path / "sheet.csv"
    launch("label_pairs", ["--mode", "export", "--pairs_file", out / "pairs.jsonl", "--sheet_file", sheet])
    edit_sheet(sheet, {pairs[0]["id"]: {"decision": "drop", "reason": "unreadable"}})
    stdout = launch("label_pairs", ["--mode", "import", "--pairs_file", out / "pairs.jsonl", "--sheet_file", sheet,
                                    "--output_file", tmp_path / "labelled.jsonl"])
    assert f"keep {len(pairs) - 1}, swap 0, drop 1" in stdout
    labelled = read_jsonl(str(tmp_path / "labelled.jsonl"), ("prompt", "chosen", "rejected", "label"),
                          text_fields=("prompt", "chosen", "rejected"))
    assert [p["id"] for p in labelled] == [p["id"] for p in pairs[1:]]

    # A person labelled the collection's own sheet: collecting again into that directory is refused up front,
    # before any sampling, and the sheet is kept as it is.
    from easyds.labels import sheet_edited

    assert not sheet_edited(str(out))
    edit_sheet(out / "sheet.csv", {pairs[0]["id"]: {"decision": "swap", "reason": "B asks a better question"}})
    edited = (out / "sheet.csv").read_bytes()
    assert sheet_edited(str(out))
    with pytest.raises(AssertionError, match="sheet.csv has been edited since it was written"):
        launch("collect_pairs", ["--model_name_or_path", random_policy, "--prompt_file",
                                 ROOT / "data" / "easyds" / "en" / "ppo_prompts.jsonl", "--output_dir", out,
                                 "--judge", "rubric", "--max_prompts", 2, "--num_samples", 2])
    assert (out / "sheet.csv").read_bytes() == edited
