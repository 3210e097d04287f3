"""PPO (stage 3 of the RLHF route): actor, critic, reference and reward engines.

    deepspeed --num_gpus 2 launch/ppo.py --deepspeed_config launch/configs/ds_zero3.json \
        --actor_model_name_or_path runs/sft/final --reward_model_name_or_path runs/rm/final \
        --prompt_file data/easyds/en/ppo_prompts.jsonl --output_dir runs/ppo \
        --rollout_batch_size 8 --max_new_tokens 64 --max_steps 20 --ref_mode adapter_disabled

Rule-based rewards instead of a reward model: --reward_fn FILE.py:FUNCTION (fn(prompts, responses) -> floats)
together with --critic_model_name_or_path. Also runs without the launcher: python launch/ppo.py ...
"""
from common.config import DataArguments, ModelArguments, PeftArguments, TrainingArguments, parse_args
from easyds.situations import LAUNCH_DEFAULTS
from rlhf.ppo_config import PPOArguments, recipe_sections
from rlhf.ppo_trainer import PPOTrainer


def main(argv=None):
    groups = parse_args(PPOArguments, ModelArguments, DataArguments, PeftArguments, TrainingArguments, args=argv,
                        defaults=LAUNCH_DEFAULTS, sections=recipe_sections(argv))
    PPOTrainer.from_args(*groups).train()


if __name__ == "__main__":
    main()
