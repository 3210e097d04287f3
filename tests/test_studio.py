"""The teacher's studio (easyds/studio): its routes, limits and access checks through Starlette's test client, the
report renderer's escaping, two clients labelling at once, and the whole page in a real headless Chromium (Try with
two models, five pairs labelled with the keyboard across a reload, the export trained on by launch/dpo.py, the
report with its plots and samples). Screenshots of each view go to runs/test-artifacts/studio/ (or
$EASYDS_TEST_ARTIFACTS)."""
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from conftest import FULL, ROOT, launch, running, write_jsonl

SITUATION = {"topic": "Stacks", "exercise": "Check whether the brackets in a string are balanced.",
             "attempt": "pushes every bracket but never pops", "level": "beginner"}
XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
ARTIFACTS = Path(os.environ.get("EASYDS_TEST_ARTIFACTS", ROOT / "runs" / "test-artifacts")) / "studio"


@pytest.fixture(scope="module")
def generators(random_policy):
    from easyds.inference import TeachingPromptGenerator

    # The tiny model's tokenizer is coarse: a situation takes 100-300 tokens in it.
    tuned = TeachingPromptGenerator.from_pretrained(random_policy, max_new_tokens=12, max_prompt_tokens=400)
    base = TeachingPromptGenerator.from_pretrained("embedded:tiny-qwen2", max_new_tokens=12, max_prompt_tokens=400)
    return {"tuned": tuned, "base": base, "echo": Echo(tuned)}


class Echo:
    """A generator whose every teaching prompt is an XSS attempt followed by the situation's attempt: what the page
    must show as text."""

    def __init__(self, real):
        self.real = real
        self.limits, self.default, self.name, self.tokenizer = real.limits, real.default, "echo", real.tokenizer

    def parse(self, body):
        return self.real.parse(body)

    def generate_ids(self, prompts, max_new_tokens, sampling, seed=None):
        from easyds.inference import TeachingPrompt

        text = XSS + " " + self.real.tokenizer.decode(prompts[0][-8:])
        return [TeachingPrompt(text, "stop", 3, [1, 2, 3]) for _ in prompts]


@pytest.fixture(scope="module")
def reward_model(tmp_path_factory):
    from common.modeling import ScalarHeadModel, load_tokenizer

    path = tmp_path_factory.mktemp("rm") / "final"
    ScalarHeadModel.from_backbone("embedded:tiny-qwen2").save_pretrained(str(path))
    load_tokenizer("embedded:tiny-qwen2").save_pretrained(str(path))  # as launch/rm.py's export has it
    return str(path)


def make_pairs(path, n=8):
    """``n`` pairs in launch/collect_pairs.py's format; pair 2's texts try to inject markup."""
    from easyds.situations import render_situation

    topics = ["Stacks", "Queues", "Linked lists", "Binary search", "Heaps", "Hashing", "Graphs", "Sorting"]
    rows = [{"id": f"p{i}", "prompt": render_situation({**SITUATION, "topic": topics[i % 8],
                                                         "exercise": f"Exercise {i}: check the brackets."}),
             "chosen": f"What happens to your stack when you meet a closing bracket? ({i})",
             "rejected": f"Here is the answer: pop on every closing bracket and compare. ({i})",
             "chosen_score": 0.9, "rejected_score": 0.2, "judge": "rubric", "source": "test"} for i in range(n)]
    rows[2]["rejected"] = XSS
    return write_jsonl(path, rows)


def make_report(directory):
    """A pipeline output directory in miniature: report.md with a table, a plot and markup to escape, and samples."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = Path(directory)
    (d / "plots").mkdir(parents=True)
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [0.2, 0.5, 0.9])
    fig.savefig(d / "plots" / "quality.png", dpi=60)
    plt.close(fig)
    (d / "report.md").write_text("# EasyDS teaching prompts: RLHF (PPO) vs DPO\n\nA **test** report " + XSS + "\n\n"
                                 "| | SFT | DPO |\n|---|---|---|\n| rubric | 0.90 | 0.93 |\n\n"
                                 "![quality](plots/quality.png)\n\n![escape](../../../etc/hosts)\n\n"
                                 "- a list item with `code`\n", encoding="utf-8")
    for route, text in (("sft", "What does your loop do at the end?"), ("dpo", XSS)):
        (d / "seed-42" / "eval" / route).mkdir(parents=True)
        write_jsonl(d / "seed-42" / "eval" / route / "samples.jsonl",
                    [{"id": "s1", "prompt": "Topic: Stacks", "response": text, "rubric_total": 0.9, "rm_score": 0.1}])
    return str(d)


@pytest.fixture
def studio(generators, reward_model, tmp_path):
    """The studio app over the three generators, a reward model, eight pairs and a report."""
    from easyds.annotation import Journal, load_pairs
    from easyds.studio.app import RewardScorer, create_app
    from easyds.studio.report_page import find_reports

    pairs = make_pairs(tmp_path / "pairs.jsonl")
    journal = Journal(str(tmp_path / "pairs.journal.jsonl"), load_pairs(pairs))
    reports = find_reports([make_report(tmp_path / "run")])
    app = create_app(generators, RewardScorer(reward_model), journal, str(tmp_path / "export"), reports)
    return app, journal, tmp_path


def client(app, **headers):
    from starlette.testclient import TestClient

    return TestClient(app, base_url="http://127.0.0.1", headers={"X-Studio": "1", **headers})


# --- the routes through the test client --------------------------------------------------------------------------
def test_try_gives_each_chosen_models_hint_with_rubric_and_reward(studio, generators, reward_model):
    from common.modeling import ScalarHeadModel
    from easyds.rubric import CRITERIA, score_response

    app, _, _ = studio
    r = client(app).post("/api/try", json={**SITUATION, "models": ["tuned", "base"]})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["model"] for x in results] == ["tuned", "base"]
    rm = ScalarHeadModel.from_pretrained(reward_model)
    for x in results:
        gen = generators[x["model"]]
        [alone] = gen.generate([SITUATION])
        assert (x["text"], x["tokens"], x["finish_reason"]) == (alone.text, alone.tokens, alone.finish_reason)
        assert x["rubric"] == score_response(alone.text, {**SITUATION, "lang": "en"})
        assert set(x["rubric"]) == set(CRITERIA) | {"total"}
        import torch

        ids = torch.tensor([gen.prompt_ids({**SITUATION, "lang": "en"}) + alone.token_ids])
        assert x["reward"] == pytest.approx(float(rm.score(ids, torch.ones_like(ids))[0]), abs=1e-5)


@pytest.mark.parametrize("body, field", [
    ({k: v for k, v in SITUATION.items() if k != "topic"}, "topic"),
    ({**SITUATION, "level": "expert"}, "level"),
    ({**SITUATION, "temperature": 5}, "temperature"),
    ({**SITUATION, "max_new_tokens": 10 ** 6}, "max_new_tokens"),
    ({**SITUATION, "models": ["nobody"]}, "models"),
    ({**SITUATION, "seed": "x"}, "seed"),
    ({**SITUATION, "surprise": 1}, "surprise"),
])
def test_try_names_the_bad_field(studio, body, field):
    r = client(studio[0]).post("/api/try", json=body)
    assert r.status_code == 422 and r.json()["error"]["field"] == field, r.text


def test_limits_and_access_checks(studio, generators):
    from easyds.studio.app import create_app

    app = studio[0]
    c = client(app)
    assert c.post("/api/try", content=b"{" + b" " * 20000 + b"}",
                  headers={"Content-Type": "application/json"}).status_code == 413
    assert c.post("/api/try", content=b"{not json").status_code == 400
    assert client(app, **{"X-Studio": ""}).post("/api/try", json=SITUATION).status_code == 403  # cross-site form
    # A page elsewhere reaching the loopback studio through a name it controls (DNS rebinding) is refused.
    assert c.get("/api/config", headers={"Host": "attacker.example:8000"}).status_code == 421
    r = c.get("/")
    csp = r.headers["content-security-policy"]
    assert r.status_code == 200 and "default-src 'self'" in csp and "unsafe-inline" not in csp  # no inline script
    assert c.get("/static/../app.py").status_code == 404 and c.get("/static/studio.js").status_code == 200
    # With a token: every route wants it; ?token= sets a cookie and leaves the address bar.
    guarded = create_app(generators, auth_token="s3cret", loopback_only=False)
    g = client(guarded)
    assert g.get("/").status_code == 401 and g.get("/static/studio.js").status_code == 401
    assert g.get("/api/config", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert g.get("/api/config", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    r = g.get("/?token=s3cret", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/" and "httponly" in r.headers["set-cookie"].lower()
    assert "s3cret" not in r.headers["set-cookie"]  # a keyed hash of it: a cookie reaches every port of the host
    assert g.get("/api/config").status_code == 200  # the cookie now
    assert g.get("/api/config", headers={"Host": "studio.lan:8000"}).status_code == 200  # any host, with the token
    r = g.get("http://127.0.0.1//evil.example/x?token=s3cret", follow_redirects=False)  # path //evil.example/x
    assert r.headers["location"] == "/evil.example/x"  # never //host: no redirect off the studio
    assert c.get("/api/config", headers={"Host": "127.0.0.2:8000"}).status_code == 200  # any loopback address


@pytest.mark.parametrize("method, path, body, status, field", [
    ("GET", "/api/label/pair?annotator=a&index=²", None, 422, "index"),
    ("GET", "/api/label/pair?annotator=a&after=99", None, 422, "after"),
    ("GET", "/api/label/pair?annotator=", None, 422, "annotator"),
    ("POST", "/api/try", {**SITUATION, "models": [[1]]}, 422, "models"),
    ("POST", "/api/label", {"annotator": "a", "pair_id": "p0", "choice": "A", "tags": 0}, 422, "tags"),
    ("POST", "/api/label", {"annotator": "a", "pair_id": "p0", "choice": "C"}, 422, "choice"),
    ("POST", "/api/label", {"annotator": "a", "pair_id": "nope", "choice": "A"}, 422, "pair_id"),
    ("POST", "/api/label", {"annotator": "a", "pair_id": "p0", "choice": "A", "extra": 1}, 422, "extra"),
    ("GET", "/api/reports/0/files/plots/a%00.png", None, 404, None),
])
def test_odd_input_gets_a_named_error_not_a_crash(studio, method, path, body, status, field):
    r = client(studio[0]).request(method, path, json=body)
    assert r.status_code == status and r.json()["error"]["field"] == field, r.text


def test_labelling_moves_on_past_the_current_pair_and_keeps_votes_blind(studio):
    """After a decision the next pair is the first undecided one after it (a skipped pair is not forced back); the
    disagreement list shows each vote in its annotator's own A/B letters; an export refuses to overwrite a sheet
    edited by hand."""
    app, journal, tmp_path = studio
    c = client(app)
    assert c.get("/api/label/pair?annotator=ann").json()["pair"]["pair_id"] == "p0"
    c.post("/api/label", json={"annotator": "ann", "pair_id": "p1", "choice": "A"})  # p0 skipped
    assert c.get("/api/label/pair?annotator=ann&after=1").json()["pair"]["pair_id"] == "p2"
    assert c.get("/api/label/pair?annotator=ann&after=7").json()["pair"]["pair_id"] == "p0"  # wraps round
    c.post("/api/label", json={"annotator": "bo", "pair_id": "p1", "choice": "tie"})
    [d] = c.get("/api/label/agreement").json()["disagreements"]
    assert d == {"pair_id": "p1", "votes": {"ann": "A", "bo": "tie"}}
    assert c.post("/api/label/export").status_code == 200
    sheet = tmp_path / "export" / "sheet.csv"
    assert c.post("/api/label/export").status_code == 200  # its own earlier export: replaced
    sheet.write_text(sheet.read_text(encoding="utf-8-sig").replace("drop", "keep", 1), encoding="utf-8-sig")
    r = c.post("/api/label/export")
    assert r.status_code == 409 and "edited" in r.json()["error"]["message"]


def test_the_studio_refuses_a_public_address_without_a_token(monkeypatch):
    from common.config import ConfigError, parse_args
    from easyds.studio.app import StudioArguments

    monkeypatch.delenv("EASYDS_STUDIO_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="auth_token"):
        parse_args(StudioArguments, args=["--runs", str(ROOT), "--host", "0.0.0.0"])
    with pytest.raises(ConfigError, match="NAME=PATH"):
        parse_args(StudioArguments, args=["--models", "nameless"])


def test_report_is_rendered_with_every_text_escaped(studio):
    app = studio[0]
    c = client(app)
    assert c.get("/api/reports").json() == [{"id": 0, "name": "run"}]
    r = c.get("/api/reports/0").json()
    assert "<script>" not in r["html"] and "&lt;script&gt;" in r["html"] and "onerror=" not in r["html"].replace(
        "onerror=&quot;", "")
    assert '<img src="/api/reports/0/files/plots/quality.png"' in r["html"] and "etc/hosts" not in r["html"]
    assert "<table>" in r["html"] and "<strong>test</strong>" in r["html"] and "<code>code</code>" in r["html"]
    assert r["samples"]["routes"] == ["sft", "dpo"] and r["samples"]["rows"][0]["responses"]["dpo"]["text"] == XSS
    assert c.get("/api/reports/0/files/plots/quality.png").content[:4] == b"\x89PNG"
    for path in ("../pairs.jsonl", "..%2Fpairs.jsonl", "report.md", "/etc/hosts"):
        assert c.get(f"/api/reports/0/files/{path}").status_code == 404, path
    assert c.get("/api/reports/7").status_code == 404


def test_two_clients_labelling_at_once_lose_and_double_nothing(studio):
    """Two annotators label every pair at once, each decision sent twice with its id (a retry) from two threads:
    the journal holds each decision exactly once and both annotators' progress is complete."""
    app, journal, tmp_path = studio
    ids = [p["id"] for p in journal.pairs]
    with running(app) as port:
        import http.client

        def post(body):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("POST", "/api/label", json.dumps(body), {"Content-Type": "application/json",
                                                                  "X-Studio": "1"})
            status = conn.getresponse().status
            conn.close()
            assert status == 200

        def annotate(name):
            for k, pid in enumerate(ids):
                body = {"annotator": name, "pair_id": pid, "choice": "AB"[k % 2], "decision_id": f"{name}-{pid}"}
                twice = [threading.Thread(target=post, args=(body,)) for _ in range(2)]
                for t in twice:
                    t.start()
                for t in twice:
                    t.join()

        workers = [threading.Thread(target=annotate, args=(n,)) for n in ("ann", "bo")]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    lines = [json.loads(x) for x in Path(journal.path).read_text().splitlines() if x.strip()]
    decided = [x["decision_id"] for x in lines if "decision_id" in x]
    assert sorted(decided) == sorted(f"{n}-{p}" for n in ("ann", "bo") for p in ids)
    assert journal.progress("ann")["done"] == journal.progress("bo")["done"] == len(ids)


# --- the page in a real browser ----------------------------------------------------------------------------------
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture
def browser(tmp_path):
    if not (CHROMIUM and CHROMEDRIVER):
        if FULL:  # CI installs them (run.sh test): missing there is a failure, not a skip
            pytest.fail("chromium and chromedriver are not installed (bash run.sh test installs them)")
        pytest.skip("chromium and chromedriver are not installed (bash run.sh test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,1000", f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def wait(driver, condition, timeout=60):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: condition(d))


def screenshot(driver, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def press(driver, *keys):
    from selenium.webdriver.common.action_chains import ActionChains

    for key in keys:
        ActionChains(driver).send_keys(key).perform()


def test_studio_in_a_real_browser(studio, generators, browser):
    """Each view loads; a situation gets two models' hints side by side (markup in a field or an output shows as
    text); five pairs are labelled with the keyboard, with a reload after the third that finds the progress; a
    second annotator's disagreement shows in the agreement table; the export trains launch/dpo.py."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    from easyds.annotation import a_is_chosen
    from easyds.labels import read_sheet

    app, journal, tmp_path = studio
    d = browser
    find = d.find_element
    with running(app) as port:
        base = f"http://127.0.0.1:{port}/"
        # Try: two of the three models, a field holding markup.
        d.get(base + "#try")
        wait(d, lambda d: find(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        find(By.ID, "f-topic").send_keys(SITUATION["topic"])
        find(By.ID, "f-exercise").send_keys(SITUATION["exercise"])
        find(By.ID, "f-attempt").send_keys(SITUATION["attempt"] + " " + XSS)
        Select(find(By.ID, "f-level")).select_by_value("beginner")
        find(By.CSS_SELECTOR, 'input[name="model"][value="echo"]').click()  # unchecked: tuned and base remain
        find(By.ID, "try-submit").click()
        wait(d, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".result")) == 2)
        cards = d.find_elements(By.CSS_SELECTOR, ".result")
        assert [c.get_attribute("data-model") for c in cards] == ["tuned", "base"]
        for c in cards:  # each the model's own greedy answer
            [alone] = generators[c.get_attribute("data-model")].generate([{**SITUATION, "attempt": SITUATION["attempt"]
                                                                           + " " + XSS}])
            assert c.find_element(By.CSS_SELECTOR, ".hint").get_attribute("textContent") == alone.text
        assert len(cards[0].find_elements(By.CSS_SELECTOR, ".rubric li")) == 9
        assert "reward model" in cards[0].text
        screenshot(d, "try")
        # The echo model's output is markup: shown as text, never run.
        for name in ("tuned", "base", "echo"):
            find(By.CSS_SELECTOR, f'input[name="model"][value="{name}"]').click()
        find(By.ID, "try-submit").click()
        wait(d, lambda d: d.execute_script(
            "return Array.from(document.querySelectorAll('.result'), c => c.dataset.model).join()") == "echo")
        assert "<script>window.__pwned = 1</script>" in find(By.CSS_SELECTOR, ".result .hint").text
        assert d.execute_script("return window.__pwned") is None
        # A bad field is named at the field.
        find(By.ID, "f-topic").clear()
        find(By.ID, "try-submit").click()
        wait(d, lambda d: find(By.CSS_SELECTOR, '.err[data-err="topic"]').text)
        assert "invalid" in find(By.ID, "f-topic").get_attribute("class")

        # Label: five pairs with the keyboard, a reload after the third.
        d.get(base + "#label")
        wait(d, lambda d: find(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        find(By.ID, "annotator").send_keys("alice", Keys.ENTER)
        keys, pressed = ["1", "2", "3", "4", "1"], {}

        def label(k):
            wait(d, lambda d: find(By.ID, "label-progress-text").text.startswith(f"{k} /"))
            pid = find(By.ID, "label-pair-id").text.split("· ")[-1]
            d.execute_script("document.activeElement.blur()")  # keys to the page, not the name field
            press(d, "w" if k % 2 == 0 else "q", keys[k])  # a reason tag, then the choice
            pressed[pid] = keys[k]
            wait(d, lambda d: find(By.ID, "label-progress-text").text.startswith(f"{k + 1} /"))

        for k in range(3):
            label(k)
        d.refresh()
        wait(d, lambda d: find(By.ID, "label-progress-text").text.startswith("3 / 8"))
        assert int(find(By.ID, "label-progress").get_attribute("value")) == 3
        for k in range(3, 5):
            label(k)
        screenshot(d, "label")
        decisions = journal.decisions()
        assert len([k for k in decisions if k[0] == "alice"]) == 5
        expected = {"1": "A", "2": "B", "3": "tie", "4": "both_bad"}
        for pid, key in pressed.items():
            entry = decisions[("alice", pid)]
            assert entry["choice"] == expected[key] and entry["tags"] in (["mistake_location"],
                                                                           ["mistake_identification"])
            if key in "12":
                shown_a = "chosen" if a_is_chosen(pid, "alice", journal.salt) else "rejected"
                other = "rejected" if shown_a == "chosen" else "chosen"
                assert entry["preference"] == (shown_a if key == "1" else other)
        # The pair with markup in it shows it as text.
        d.get(base + "#label")
        wait(d, lambda d: find(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        wait(d, lambda d: find(By.ID, "label-pair-id").text)
        find(By.ID, "label-prev").click()
        wait(d, lambda d: find(By.ID, "label-pair-id").text.startswith("#5"))
        for _ in range(2):
            find(By.ID, "label-prev").click()
        wait(d, lambda d: find(By.ID, "label-pair-id").text.startswith("#3"))
        assert XSS in (find(By.ID, "label-a").text + find(By.ID, "label-b").text)
        assert d.execute_script("return window.__pwned") is None

        # A second annotator disagrees on one pair: the agreement table and the disagreement list show it.
        for pid in pressed:  # bob sees his own A/B order: he names alice's preference by his letters
            preference = decisions[("alice", pid)]["preference"]
            if pid == "p0":
                preference = {"chosen": "rejected", "rejected": "chosen"}[preference]
            letter = {True: "A", False: "B"}[a_is_chosen(pid, "bob", journal.salt) == (preference == "chosen")]
            journal.record("bob", pid, letter if preference in ("chosen", "rejected") else preference)
        find(By.ID, "label-agreement-btn").click()
        wait(d, lambda d: "p0" in find(By.ID, "label-agreement").text)
        assert "alice · bob" in find(By.ID, "label-agreement").text

        # Export: the sheet reads back through label_pairs' reader, and DPO trains on the labelled file.
        find(By.ID, "label-export-btn").click()
        wait(d, lambda d: "pairs.labelled.jsonl" in find(By.ID, "label-export").text)
        export_dir = tmp_path / "export"
        labelled = [json.loads(x) for x in (export_dir / "pairs.labelled.jsonl").read_text().splitlines()]
        pairs = [{k: v for k, v in p.items()} for p in journal.pairs]
        assert read_sheet(str(export_dir / "sheet.csv"), pairs)[0] == labelled
        # Kept: the two pairs both preferred one side of (p1, p4); dropped: the tie (p2), both bad (p3), the
        # disagreement (p0) and the unlabelled pairs.
        assert sorted(p["id"] for p in labelled) == ["p1", "p4"]

        # Report: the rendered report with its plot, and the samples side by side.
        d.get(base + "#report")
        wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#report-body h1"))
        wait(d, lambda d: d.execute_script("const i = document.querySelector('#report-body img');"
                                           "return i && i.complete && i.naturalWidth > 0"))
        assert XSS in find(By.ID, "report-samples").text and XSS.split("<img")[0] in find(By.ID, "report-body").text
        assert d.execute_script("return window.__pwned") is None
        screenshot(d, "report")
        # The page in Chinese.
        find(By.ID, "lang-toggle").click()
        assert find(By.ID, "nav-label").text == "标注"
    out = tmp_path / "dpo"
    launch("dpo", ["--model_name_or_path", "embedded:tiny-qwen2", "--train_file", export_dir / "pairs.labelled.jsonl",
                   "--output_dir", out, "--max_steps", 2, "--per_device_train_batch_size", 1,
                   "--max_source_length", 400, "--max_target_length", 48])
    assert (out / "final").is_dir()


def test_two_models_samples_become_blind_pairs(tmp_path):
    """--compare_samples: each prompt both models answered is a pair (the first model's answer as chosen), matched
    by id; the journal and export sit beside the first file; keep then reads "the first model is better"."""
    from common.config import ConfigError, parse_args
    from common.data import DataError
    from easyds.annotation import Journal, export, pairs_from_samples
    from easyds.studio.app import StudioArguments, labelling

    sft = write_jsonl(tmp_path / "sft.jsonl", [{"id": f"s{i}", "prompt": f"P{i}", "response": f"sft {i}",
                                                "rubric_total": 0.5} for i in range(4)])
    dpo = write_jsonl(tmp_path / "dpo.jsonl", [{"id": f"s{i}", "prompt": f"P{i}", "response": f"dpo {i}"}
                                               for i in (3, 1, 7)])
    (a,) = parse_args(StudioArguments, args=["--compare_samples", f"SFT={sft}", f"DPO={dpo}"])
    pairs, journal_path, export_dir = labelling(a)
    assert [(p["id"], p["chosen"], p["rejected"], p["chosen_score"]) for p in pairs] == [
        ("s1", "sft 1", "dpo 1", 0.5), ("s3", "sft 3", "dpo 3", 0.5)]
    assert journal_path == str(tmp_path / "SFT-vs-DPO.journal.jsonl")
    assert export_dir == str(tmp_path / "SFT-vs-DPO.labelled")
    journal = Journal(journal_path, pairs)
    journal.record("t", "s1", "A" if journal.view("s1", "t")["A"] == "dpo 1" else "B")  # prefers DPO's answer
    result = export(pairs, journal.decisions(), export_dir)
    assert result["counts"] == {"keep": 0, "swap": 1, "drop": 1}
    with pytest.raises(DataError, match="share no prompt"):
        pairs_from_samples(("A", sft), ("B", write_jsonl(tmp_path / "x.jsonl", [{"id": "z", "prompt": "Q",
                                                                                  "response": "r"}])))
    with pytest.raises(ConfigError, match="compare_samples"):
        parse_args(StudioArguments, args=["--compare_samples", f"SFT={sft}"])
