"""Reward model (stage 2 of the RLHF route): a scalar head on the SFT model, Bradley–Terry loss on preference pairs.

    deepspeed --num_gpus 2 launch/rm.py --deepspeed_config launch/configs/ds_zero3.json \
        --model_name_or_path runs/sft/final --train_file data/easyds/en/pref_train.jsonl \
        --eval_file data/easyds/en/pref_eval.jsonl --output_dir runs/rm --lora_rank 8 \
        --normalize_scores --normalize_file data/easyds/en/sft_train.jsonl

Also runs without the launcher as one process: python launch/rm.py ... (same flags). The model is saved to
runs/rm/final, which ScalarHeadModel.from_pretrained and launch/ppo.py (--reward_model_name_or_path) load.
"""
from common.config import DataArguments, ModelArguments, PeftArguments, TrainingArguments, parse_args
from easyds.situations import LAUNCH_DEFAULTS
from rlhf.reward_trainer import RewardArguments, RewardTrainer


def main(argv=None):
    groups = parse_args(ModelArguments, DataArguments, PeftArguments, TrainingArguments, RewardArguments, args=argv,
                        defaults=LAUNCH_DEFAULTS, sections=("common", "rm"))
    RewardTrainer.from_args(*groups).train()


if __name__ == "__main__":
    main()
