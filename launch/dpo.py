"""DPO and its variants (stage 2 of the DPO route).

    deepspeed --num_gpus 2 launch/dpo.py --deepspeed_config launch/configs/ds_zero3.json \
        --model_name_or_path runs/sft/final --train_file data/easyds/en/pref_train.jsonl \
        --eval_file data/easyds/en/pref_eval.jsonl --output_dir runs/dpo --beta 0.1 --loss_type sigmoid

Also runs without the launcher: python launch/dpo.py ... (same flags).
"""
import os
import sys

# This script is named like the dpo package, and Python puts launch/ first on sys.path: there `import dpo` would find
# this file. Taking launch/ off the path is the one sys.path change in launch/ (tests/test_layers.py allows it here).
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

from common.config import DataArguments, ModelArguments, PeftArguments, TrainingArguments, parse_args  # noqa: E402
from dpo.trainer import DPOArguments, DPOTrainer  # noqa: E402
from easyds.situations import LAUNCH_DEFAULTS  # noqa: E402


def main(argv=None):
    groups = parse_args(ModelArguments, DataArguments, PeftArguments, TrainingArguments, DPOArguments, args=argv,
                        defaults=LAUNCH_DEFAULTS, sections=("common", "dpo"))
    DPOTrainer.from_args(*groups).train()


if __name__ == "__main__":
    main()
