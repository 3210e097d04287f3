"""Evaluate a checkpoint on held-out situations: rubric, reward-model score, KL to SFT, fluency, diversity, length,
win rates against a baseline evaluation, generation speed.

    python launch/evaluate.py --model_name_or_path runs/ppo/final --eval_file data/easyds/en/eval_prompts.jsonl \
        --output_dir runs/eval/ppo --reference_model_name_or_path runs/sft/final \
        --reward_model_name_or_path runs/rm/final --baseline_samples runs/eval/sft/samples.jsonl

Writes samples.jsonl (one scored response a prompt) and metrics.json into --output_dir. One process; the GPU when
there is one. With --snapshots, --model_name_or_path is a training run saved with --save_snapshots: each snapshot and
final/ are evaluated into --output_dir/step-N/ and curve.json lists them (quality over training).
"""
from common.config import ModelArguments, parse_args
from easyds.evaluate import EvaluationArguments, evaluate_snapshots, run_evaluation


def main(argv=None):
    model_args, eval_args = parse_args(ModelArguments, EvaluationArguments, args=argv, sections=("eval",))
    (evaluate_snapshots if eval_args.snapshots else run_evaluation)(model_args, eval_args)


if __name__ == "__main__":
    main()
