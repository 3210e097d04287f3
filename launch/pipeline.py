"""The main job: SFT -> reward model -> PPO and SFT -> DPO, each evaluated, then the comparison report.

    python launch/pipeline.py --preset smollm2 --output_dir runs/demo     # CPU demo, about 20 minutes
    python launch/pipeline.py --preset tiny --output_dir runs/tiny        # integration run, about 3 minutes
    python launch/pipeline.py --preset qwen2.5 --model_name_or_path /models/Qwen2.5-0.5B-Instruct \
        --output_dir runs/qwen --seeds 1,2,3                             # GPU recipe (deepspeed, ZeRO-3)

Started again after an interruption, it skips finished stages and resumes the interrupted one from its newest
checkpoint. The report is runs/.../report.md with plots/.
"""
from common.config import parse_args
from easyds.pipeline import PipelineArguments, run_pipeline


def main(argv=None):
    (args,) = parse_args(PipelineArguments, args=argv)
    run_pipeline(args)


if __name__ == "__main__":
    main()
