"""Serve the teaching-prompt generator over HTTP: POST /v1/teaching-prompt, GET /healthz (see easyds/serving.py).

    python launch/serve.py --model_name_or_path runs/demo/seed-42/dpo/final --port 8000
    curl -s localhost:8000/v1/teaching-prompt -d '{"topic": "Stacks", "exercise": "Check balanced brackets.",
        "attempt": "pushes every bracket but never pops", "level": "beginner"}'

Takes any stage's final/, an export of launch/export.py, or embedded:NAME. Concurrent requests are generated in
micro-batches (--max_batch_size 1 turns that off); SIGINT/SIGTERM answer the requests in flight, then stop.
"""
from common.config import ModelArguments, parse_args
from easyds.serving import ServingArguments, serve


def main(argv=None):
    model_args, serving_args = parse_args(ModelArguments, ServingArguments, args=argv)
    serve(model_args, serving_args)


if __name__ == "__main__":
    main()
