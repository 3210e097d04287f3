"""Export a trained model for serving: LoRA merged into the base, one standalone safetensors model with its
tokenizer, generation config and serving settings, checked against base + adapter (see common/checkpoint.py).

    python launch/export.py --model_name_or_path runs/demo/seed-42/dpo/final --output_dir exports/dpo

Serve it with launch/serve.py --model_name_or_path exports/dpo, or load it anywhere transformers runs.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from common.checkpoint import export_standalone  # noqa: E402
from common.config import ExportArguments, ModelArguments, parse_args  # noqa: E402
from common.data import read_jsonl, spread  # noqa: E402
from common.rubric import DATA_DIR  # noqa: E402


def main(argv=None):
    model_args, a = parse_args(ModelArguments, ExportArguments, args=argv)
    records = spread(read_jsonl(a.verify_file or str(DATA_DIR / "en" / "eval_prompts.jsonl"), ("prompt",)),
                     a.verify_samples)
    report = export_standalone(model_args.model_name_or_path, a.output_dir, a.save_dtype,
                               [(r["prompt"], r.get("reference", "")) for r in records], a.atol)
    print(f"[export] {report['source']} -> {report['output_dir']} ({report['size_mb']} MB, {report['save_dtype']}): "
          f"max |merged - (base + adapter)| {report['merge_max_abs_diff']:.2e} over {report['positions']} positions, "
          f"saved {report['saved_max_abs_diff']:.2e}, next-token agreement {report['saved_argmax_agreement']:.4f}, "
          f"{report['seconds']} s")


if __name__ == "__main__":
    main()
