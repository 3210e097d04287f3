"""How far to trust a judge: the rubric (and a reward model) against labelled preference pairs.

    python launch/validate_judges.py --pairs data/easyds/en/pref_eval.jsonl data/easyds/zh/pref_eval.jsonl \
        --reward_model_name_or_path runs/demo/seed-42/rm/final --output_file runs/judges.jsonl

Any file of labelled pairs works: the bundled evaluation pairs, pairs labelled with launch/label_pairs.py, or an
expert file in the same format ({"prompt", "chosen", "rejected"}, optional "rejected_type" and "lang"). For each judge:
agreement with the labels overall, per failure type and per language, ties counted apart, as a table and (with
--output_file) one JSON line.
"""
from common.config import ModelArguments, parse_args
from easyds.judges import JudgeArguments, validate_judges


def main(argv=None):
    model_args, judge_args = parse_args(ModelArguments, JudgeArguments, args=argv)
    validate_judges(model_args, judge_args)


if __name__ == "__main__":
    main()
