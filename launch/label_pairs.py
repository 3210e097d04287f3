"""The human-labelling round trip of collected pairs (see easyds/pairs.py): write a CSV sheet a labeller edits (keep,
swap or drop each pair, with a reason), then read it back, every row checked.

    python launch/label_pairs.py --mode export --pairs_file runs/pairs/r1/pairs.jsonl --sheet_file sheet.csv
    # ... the labeller edits the decision and reason columns ...
    python launch/label_pairs.py --mode import --pairs_file runs/pairs/r1/pairs.jsonl --sheet_file sheet.csv \
        --output_file runs/pairs/r1/pairs.labelled.jsonl

The labelled file trains DPO like any pairs file (launch/dpo.py --train_file ...). A bad sheet fails with every
problem and its line number, and nothing is written.
"""
from common.config import parse_args
from easyds.labels import LabelArguments, label_round_trip


def main(argv=None):
    (args,) = parse_args(LabelArguments, args=argv)
    label_round_trip(args)


if __name__ == "__main__":
    main()
