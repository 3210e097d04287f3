"""Export a trained model for serving: LoRA merged into the base, one standalone safetensors model with its
tokenizer, generation config and serving settings, checked against base + adapter (see common/checkpoint.py).

    python launch/export.py --model_name_or_path runs/demo/seed-42/dpo/final --output_dir exports/dpo

Serve it with launch/serve.py --model_name_or_path exports/dpo, or load it anywhere transformers runs.
"""
from common.config import ModelArguments, parse_args
from easyds.export import ExportArguments, run_export


def main(argv=None):
    model_args, export_args = parse_args(ModelArguments, ExportArguments, args=argv)
    run_export(model_args, export_args)


if __name__ == "__main__":
    main()
