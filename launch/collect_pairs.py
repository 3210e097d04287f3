"""Collect preference pairs from a policy's own samples, judged and quality-controlled (see easyds/pairs.py).

    python launch/collect_pairs.py --model_name_or_path runs/demo/seed-42/sft/final \
        --prompt_file data/easyds/en/ppo_prompts.jsonl --output_dir runs/pairs/r1 \
        --judge both --reward_model_name_or_path runs/demo/seed-42/rm/final --num_samples 4 --max_prompts 64

Writes pairs.jsonl (the DPO format plus scores, judge and source), samples.jsonl (every sample with its scores and
fate), pairs_report.json (what each filter removed, judge agreement, length balance), sheet.csv (for labelling,
launch/label_pairs.py) and run_summary.json; prints the report's table. One process; the GPU when there is one.
"""
from common.config import ModelArguments, parse_args
from easyds.pairs import CollectArguments, collect_pairs


def main(argv=None):
    model_args, collect_args = parse_args(ModelArguments, CollectArguments, args=argv, sections=("collect",))
    collect_pairs(model_args, collect_args)


if __name__ == "__main__":
    main()
