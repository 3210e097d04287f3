"""The teacher's studio: try the models side by side, label preference pairs blind, read a run's report, in a
browser on this machine (see easyds/studio/app.py).

    python launch/studio.py --models SFT=runs/demo/seed-42/sft/final DPO=runs/demo/seed-42/dpo/final \
        --reward_model runs/demo/seed-42/rm/final --pairs runs/pairs/r1/pairs.jsonl --runs runs/demo --port 8000
    # then open http://127.0.0.1:8000/

Every labelling decision is appended to the journal (--journal, default next to the pairs file) at once; the export
writes sheet.csv and pairs.labelled.jsonl, which launch/label_pairs.py and launch/dpo.py read unchanged. Bound to
any address but loopback (--host 0.0.0.0) it requires --auth_token.
"""
from common.config import parse_args
from easyds.studio.app import StudioArguments, studio


def main(argv=None):
    (args,) = parse_args(StudioArguments, args=argv)
    studio(args)


if __name__ == "__main__":
    main()
