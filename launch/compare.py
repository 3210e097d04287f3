"""The RLHF-vs-DPO comparison report of a pipeline's output directory: report.md and plots/*.png.

    python launch/compare.py --run_dir runs/demo [--output_dir runs/demo]

launch/pipeline.py writes it at the end; run this to rebuild it (e.g. after adding seeds).
"""
import argparse

from easyds.report import write_report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run_dir", required=True, help="A launch/pipeline.py --output_dir (holding seed-*/).")
    parser.add_argument("--output_dir", default=None, help="Where report.md and plots/ go (default: --run_dir).")
    args = parser.parse_args(argv)
    print(write_report(args.run_dir, args.output_dir))


if __name__ == "__main__":
    main()
