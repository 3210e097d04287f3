"""Supervised fine-tuning (stage 1 of both routes).

    deepspeed --num_gpus 2 launch/sft.py --deepspeed_config launch/configs/ds_zero3.json \
        --model_name_or_path embedded:smollm2-135m --train_file data/easyds/en/sft_train.jsonl \
        --eval_file data/easyds/en/sft_eval.jsonl --output_dir runs/sft --lora_rank 8

Also runs without the launcher as one process: python launch/sft.py ... (same flags).
"""
from common.config import DataArguments, ModelArguments, PeftArguments, TrainingArguments, parse_args
from easyds.situations import LAUNCH_DEFAULTS
from rlhf.sft_trainer import SFTTrainer


def main(argv=None):
    groups = parse_args(ModelArguments, DataArguments, PeftArguments, TrainingArguments, args=argv,
                        defaults=LAUNCH_DEFAULTS, sections=("common", "sft"))
    SFTTrainer.from_args(*groups).train()


if __name__ == "__main__":
    main()
