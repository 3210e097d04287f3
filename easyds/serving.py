"""The HTTP service of the teaching-prompt generator (``launch/serve.py``), on Starlette served by uvicorn.

    POST /v1/teaching-prompt   {"topic", "exercise", "attempt", "level", ["knowledge_point", "lang",
                                "max_new_tokens", "do_sample", "temperature", "top_p"]}
                               -> 200 {"teaching_prompt", "finish_reason", "tokens", "batch_size", "queue_ms",
                                       "generate_ms", "model"}
    GET  /healthz              -> 200 {"status": "ok", "model", "queued", counters}

A request's path: the event loop reads the body (413 past ``max_body_bytes``), parses it (400 for invalid JSON),
checks it (422 naming the field: ``TeachingPromptGenerator.parse``, the same checks as the Python API) and puts it
in a bounded queue (503 with Retry-After when full or shutting down). One worker thread owns the model and
answers the queue (``easyds/batching.py``): by default a request joins the running decode at its next step and
leaves it when it finishes (continuous batching, up to ``max_batch_size`` rows); ``--batching micro`` generates
micro-batches from start to end instead. The handler waits for its answer, its deadline (504) or its client
leaving; a request given up on is dropped from the queue, or its answer discarded if it was already generating.
Every error is ``{"error": {"status", "field", "message"}}``.

Access: bound to loopback (the default, 127.0.0.1) the service is open to this machine's users; bound to any other
address it refuses to start without an API key (``--api_key`` or the environment variable ``EASYDS_API_KEY``).
With a key, every request must send ``Authorization: Bearer <key>`` (compared in constant time) or gets 401.

Shutdown (SIGINT/SIGTERM): uvicorn stops accepting connections and waits for the requests in flight (queued ones
included) to be answered; then the worker stops.
"""
import asyncio
import hmac
import json
import os
import signal
import socket
import time
from collections import Counter
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Optional

import uvicorn

from common.config import Arguments, _help, choice

from .batching import BATCHING, ContinuousBatcher, MicroBatcher, QueueFull, ShuttingDown
from .inference import RequestError, TeachingPromptGenerator

API_KEY_ENV = "EASYDS_API_KEY"


@dataclass
class ServingArguments(Arguments):
    host: str = field(default="127.0.0.1", metadata=_help("Address to listen on (0.0.0.0: every interface)."))
    port: int = field(default=8000, metadata=_help("Port to listen on (0: any free port; the address is printed)."))
    batching: str = choice("continuous", BATCHING,
                           "continuous: requests join the running decode at its next step and leave it when done; "
                           "micro: batches generated from start to end.")
    max_batch_size: int = field(
        default=16, metadata=_help("Most requests decoding at once (1: one at a time).")
    )
    max_wait_ms: float = field(
        default=10.0, metadata=_help("How long a request arriving at an idle service waits for batch-mates.")
    )
    max_queue: int = field(default=64, metadata=_help("Most requests waiting; more get 503 with Retry-After."))
    request_timeout_s: float = field(
        default=60.0, metadata=_help("A request not answered within this many seconds gets 504.")
    )
    max_body_bytes: int = field(default=16384, metadata=_help("Larger request bodies get 413."))
    max_field_chars: int = field(default=2000, metadata=_help("Longer situation fields get 422."))
    max_prompt_tokens: Optional[int] = field(
        default=None, metadata=_help("Longer situations (in the chat template) get 422 (default: the training "
                                     "run's --max_source_length).")
    )
    max_new_tokens: Optional[int] = field(
        default=None, metadata=_help("Default length limit of a teaching prompt (default: the training run's "
                                     "--max_target_length); a request may ask for up to twice it.")
    )
    system_prompt: Optional[str] = field(
        default=None, metadata=_help("System message (default: the one the model was trained with).")
    )
    api_key: Optional[str] = field(
        default=None, metadata=_help("Every request must send 'Authorization: Bearer KEY' (also from the environment "
                                     "variable EASYDS_API_KEY, which keeps it out of the process list); required "
                                     "when --host is not a loopback address.")
    )
    log_level: str = field(default="info", metadata=_help("uvicorn's log level: warning, info, debug."))

    def problems(self, groups) -> list:
        out = []
        if not 0 <= self.port <= 65535:
            out.append(f"--port must be in 0..65535, got {self.port}")
        if min(self.max_batch_size, self.max_queue, self.max_body_bytes, self.max_field_chars) < 1:
            out.append("--max_batch_size, --max_queue, --max_body_bytes and --max_field_chars must be >= 1")
        if self.max_wait_ms < 0 or self.request_timeout_s <= 0:
            out.append("--max_wait_ms must be >= 0 and --request_timeout_s > 0")
        for name in ("max_prompt_tokens", "max_new_tokens"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                out.append(f"--{name} must be >= 1")
        return out


def error(status: int, message: str, field: str = None, headers: dict = None):
    from starlette.responses import JSONResponse

    return JSONResponse({"error": {"status": status, "field": field, "message": message}}, status_code=status,
                        headers=headers)


class BodyError(Exception):
    """A request body that cannot be read as JSON: ``status`` 413 (too large) or 400, and what went wrong."""

    def __init__(self, status: int, message: str, disconnected: bool = False):
        super().__init__(message)
        self.status, self.message, self.disconnected = status, message, disconnected


async def read_json(request, max_body_bytes: int):
    """The request's body parsed as JSON, read no further than ``max_body_bytes`` (declared or sent: 413); a
    non-integer Content-Length, a client leaving mid-body and invalid JSON are 400 (``BodyError``)."""
    from starlette.requests import ClientDisconnect

    try:
        declared = int(request.headers.get("content-length", 0))
    except ValueError:
        raise BodyError(400, "Content-Length is not an integer") from None
    if declared > max_body_bytes:
        raise BodyError(413, f"body of {declared} bytes; at most {max_body_bytes}")
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_body_bytes:
                raise BodyError(413, f"body over {max_body_bytes} bytes")
    except ClientDisconnect:
        raise BodyError(400, "client disconnected while sending the body", disconnected=True) from None
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as e:  # bad UTF-8 or JSON, a 5000-digit number, nesting too deep
        raise BodyError(400, f"invalid JSON: {e}") from None


async def _client_gone(request):
    """Returns when the client disconnects (after the body has been read, the next ASGI message is the disconnect)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def create_app(generator, max_batch_size: int = 16, max_wait_ms: float = 10.0, max_queue: int = 64,
               request_timeout_s: float = 60.0, max_body_bytes: int = 16384, api_key: str = None,
               batching: str = "continuous"):
    """The Starlette application around ``generator`` (a ``TeachingPromptGenerator``); ``app.state.batcher`` is its
    ``ContinuousBatcher`` (or ``MicroBatcher``), started and stopped with the application's lifespan. With ``api_key`` every request must
    carry ``Authorization: Bearer <api_key>`` (compared in constant time), or gets 401.

    Long on purpose: the routes are closures over the one batcher and the limits, and each reads as the request's
    path through the checks in the module docstring."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    batcher = (ContinuousBatcher if batching == "continuous" else MicroBatcher)(generator, max_batch_size, max_wait_ms,
                                                                                max_queue)
    counts = Counter()

    async def teaching_prompt(request):
        started = time.monotonic()
        try:
            data = await read_json(request, max_body_bytes)
        except BodyError as e:
            counts["disconnected"] += e.disconnected
            return error(e.status, e.message)
        try:
            prompt_ids, sampling = generator.parse(data)
        except RequestError as e:
            return error(422, e.message, field=e.field)
        try:
            job = batcher.submit(prompt_ids, sampling)
        except QueueFull as e:
            return error(503, str(e), headers={"Retry-After": "1"})
        except ShuttingDown as e:
            return error(503, str(e))
        answer, gone = asyncio.wrap_future(job), asyncio.ensure_future(_client_gone(request))
        try:
            done, _ = await asyncio.wait({answer, gone}, timeout=request_timeout_s - (time.monotonic() - started),
                                         return_when=asyncio.FIRST_COMPLETED)
        finally:  # also when the handler itself is cancelled (uvicorn's shutdown deadline)
            gone.cancel()
            if not answer.done():
                job.cancel()  # still queued: never generated; already generating: its answer is discarded
                answer.cancel()
        if answer.cancelled():
            if gone in done:
                counts["disconnected"] += 1
                return error(499, "client disconnected")  # nobody reads it; ends the handler
            counts["timed_out"] += 1
            return error(504, f"no answer within {request_timeout_s:g} s")
        if answer.exception() is not None:
            return error(500, f"generation failed: {answer.exception()!r}")
        a = answer.result()
        tp = a.teaching_prompt
        return JSONResponse({"teaching_prompt": tp.text, "finish_reason": tp.finish_reason, "tokens": tp.tokens,
                             "batch_size": a.batch_size, "queue_ms": round(1000 * a.queue_s, 1),
                             "generate_ms": round(1000 * a.generate_s, 1), "model": generator.name})

    async def healthz(request):
        return JSONResponse({"status": "ok", "model": generator.name, "queued": batcher.queued(), "batching": batching,
                             "max_batch_size": batcher.max_batch_size, **batcher.stats, **counts})

    async def http_error(request, exc):
        return error(exc.status_code, exc.detail, headers=exc.headers)  # 405 keeps its Allow header

    def authorized(handler):
        if not api_key:
            return handler
        expected = f"Bearer {api_key}".encode()

        async def check(request):
            given = request.headers.get("authorization", "").encode("latin-1", "replace")
            if not hmac.compare_digest(given, expected):
                counts["unauthorized"] += 1
                return error(401, "missing or wrong API key (send the header Authorization: Bearer <key>)",
                             headers={"WWW-Authenticate": "Bearer"})
            return await handler(request)

        return check

    @asynccontextmanager
    async def lifespan(app):
        batcher.start()
        yield
        await asyncio.to_thread(batcher.close, request_timeout_s)

    app = Starlette(routes=[Route("/v1/teaching-prompt", authorized(teaching_prompt), methods=["POST"]),
                            Route("/healthz", authorized(healthz), methods=["GET"])],
                    exception_handlers={HTTPException: http_error}, lifespan=lifespan)
    app.state.batcher = batcher
    return app


def run_app(app, host: str, port: int, log_level: str, graceful_s: float, banner):
    """Serve ``app`` with uvicorn on ``host:port`` until SIGINT/SIGTERM; ``banner(url)`` is printed once the socket
    is bound (so that port 0 prints the port it got)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)  # from here on connections wait in the backlog until uvicorn accepts them
    bound, port = sock.getsockname()[:2]
    print(banner(f"http://{f'[{bound}]' if ':' in bound else bound}:{port}"), flush=True)
    config = uvicorn.Config(app, log_level=log_level, timeout_graceful_shutdown=graceful_s)
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then raises the signal again for the handler it found; with
    # these, that ends the process normally (exit 0) instead of killing it.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: None)
    uvicorn.Server(config).run(sockets=[sock])


def serve(model_args, serving_args):
    """``launch/serve.py``: load the model, warm it up, and serve until SIGINT/SIGTERM."""
    a = serving_args
    api_key = a.api_key or os.environ.get(API_KEY_ENV) or None
    if not api_key and not is_loopback(a.host):
        raise SystemExit(f"[serve] --host {a.host} is reachable from other machines: give an API key (--api_key, or "
                         f"the environment variable {API_KEY_ENV}), which every request must then send as "
                         f"'Authorization: Bearer <key>'")
    generator = TeachingPromptGenerator.from_pretrained(
        model_args.model_name_or_path, dtype=model_args.dtype, system_prompt=a.system_prompt,
        max_prompt_tokens=a.max_prompt_tokens, max_new_tokens=a.max_new_tokens, max_field_chars=a.max_field_chars)
    generator.warm_up()
    app = create_app(generator, a.max_batch_size, a.max_wait_ms, a.max_queue, a.request_timeout_s, a.max_body_bytes,
                     api_key, a.batching)
    run_app(app, a.host, a.port, a.log_level, a.request_timeout_s + 5, lambda url: (
        f"[serve] {model_args.model_name_or_path} on {url} ({a.batching} batching, max_batch_size "
        f"{a.max_batch_size}, default max_new_tokens {generator.default.max_new_tokens}, prompt budget "
        f"{generator.limits.max_prompt_tokens} tokens; {'API key required' if api_key else 'no API key'})"))
    print("[serve] stopped", flush=True)
