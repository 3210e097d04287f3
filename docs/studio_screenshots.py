"""Take the README's screenshots of the studio (docs/studio-try.png, studio-label.png, studio-report.png) in headless
Chromium, from a studio already running on the demo's models:

    S=runs/demo/seed-42
    python launch/studio.py --models SFT=$S/sft/final PPO=$S/ppo/final DPO=$S/dpo/final --reward_model $S/rm/final \
        --compare_samples SFT=$S/eval/sft/samples.jsonl DPO=$S/eval/dpo/samples.jsonl --runs runs/demo --port 8765 &
    python docs/studio_screenshots.py --url http://127.0.0.1:8765/

It fills the Try form with a held-out situation, labels one pair as a teacher would, and opens the report. Each PNG
is saved with a 256-colour palette (a third of the size, the same to the eye).
"""
import argparse
import shutil
import tempfile
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

SITUATION = {"topic": "Stacks", "knowledge_point": "matching brackets with a stack",
             "exercise": "Check whether the brackets in a string such as \"([]{})\" are balanced.",
             "attempt": "pushes every opening bracket but never pops, then checks that the stack is not empty",
             "level": "beginner"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8765/")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent))
    parser.add_argument("--annotator", default="teacher-1")
    args = parser.parse_args()
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--window-size=1280,1000", "--force-device-scale-factor=1",
                 f"--user-data-dir={tempfile.mkdtemp()}"):
        options.add_argument(flag)
    d = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    wait = WebDriverWait(d, 300, poll_frequency=0.1).until
    out = Path(args.out)
    try:
        d.get(args.url + "#try")
        wait(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        for name, value in SITUATION.items():
            if name == "level":
                Select(d.find_element(By.ID, "f-level")).select_by_value(value)
            else:
                d.find_element(By.ID, f"f-{name}").send_keys(value)
        d.find_element(By.ID, "try-submit").click()
        wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".result")) >= 2)
        d.execute_script("document.getElementById('try-submit').scrollIntoView()")
        d.save_screenshot(str(out / "studio-try.png"))

        d.get(args.url + "#label")
        wait(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        name = d.find_element(By.ID, "annotator")
        name.clear()
        name.send_keys(args.annotator)
        d.find_element(By.ID, "label-begin").click()
        wait(lambda d: d.find_element(By.ID, "label-pair-id").text)
        d.find_element(By.CSS_SELECTOR, "#label-tags input[value='actionability']").click()
        d.save_screenshot(str(out / "studio-label.png"))

        d.get(args.url + "#report")
        wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#report-body img"))
        d.execute_script("document.querySelector('#report-body img').scrollIntoView()")
        d.save_screenshot(str(out / "studio-report.png"))
    finally:
        d.quit()
    for name in ("studio-try.png", "studio-label.png", "studio-report.png"):
        path = out / name
        Image.open(path).convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)


if __name__ == "__main__":
    main()
