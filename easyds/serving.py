"""The HTTP service of the teaching-prompt generator (``launch/serve.py``), on Starlette served by uvicorn.

    POST /v1/teaching-prompt   {"topic", "exercise", "attempt", "level", ["knowledge_point", "lang",
                                "max_new_tokens", "do_sample", "temperature", "top_p"]}
                               -> 200 {"teaching_prompt", "finish_reason", "tokens", "batch_size", "queue_ms",
                                       "generate_ms", "model"}
    GET  /healthz              -> 200 {"status": "ok", "model", "queued", counters}

A request's path: the event loop reads the body (413 past ``max_body_bytes``), parses it (400 for invalid JSON),
checks it (422 naming the field: ``TeachingPromptGenerator.parse``, the same checks as the Python API) and puts it
in a bounded queue (503 with Retry-After when full or shutting down). One worker thread owns the model: it takes
the oldest queued request and every queued one that may share its batch (same sampling settings), up to
``max_batch_size``, waiting up to ``max_wait_ms`` for batch-mates, and generates them together. The handler waits
for its answer, its deadline (504) or its client leaving; a request given up on is dropped from the queue, or its
answer discarded if it was already generating. Every error is ``{"error": {"status", "field", "message"}}``.

Access: bound to loopback (the default, 127.0.0.1) the service is open to this machine's users; bound to any other
address it refuses to start without an API key (``--api_key`` or the environment variable ``EASYDS_API_KEY``).
With a key, every request must send ``Authorization: Bearer <key>`` (compared in constant time) or gets 401.

Shutdown (SIGINT/SIGTERM): uvicorn stops accepting connections and waits for the requests in flight (queued ones
included) to be answered; then the worker stops.
"""
import asyncio
import concurrent.futures
import hmac
import json
import os
import signal
import socket
import threading
import time
from collections import Counter, deque
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Optional

import uvicorn

from common.config import Arguments, _help
from .inference import RequestError, Sampling, TeachingPromptGenerator

API_KEY_ENV = "EASYDS_API_KEY"


@dataclass
class ServingArguments(Arguments):
    host: str = field(default="127.0.0.1", metadata=_help("Address to listen on (0.0.0.0: every interface)."))
    port: int = field(default=8000, metadata=_help("Port to listen on (0: any free port; the address is printed)."))
    max_batch_size: int = field(
        default=16, metadata=_help("Most concurrent requests generated as one batch (1: no micro-batching).")
    )
    max_wait_ms: float = field(
        default=10.0, metadata=_help("How long the first request of a batch waits for batch-mates.")
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


class QueueFull(RuntimeError):
    pass


class ShuttingDown(RuntimeError):
    pass


@dataclass
class Job:
    prompt_ids: list
    sampling: Sampling
    future: concurrent.futures.Future
    enqueued: float  # time.monotonic()


@dataclass
class Answer:
    teaching_prompt: object  # inference.TeachingPrompt
    batch_size: int
    queue_s: float
    generate_s: float


class MicroBatcher:
    """A bounded queue of requests and the one thread that generates them in batches (see the module docstring).

    ``generator`` needs ``generate_ids(prompts, max_new_tokens, sampling)``. ``submit`` is thread-safe and returns a
    ``concurrent.futures.Future`` of an ``Answer``; cancelling it before its batch starts removes it from the work.
    """

    def __init__(self, generator, max_batch_size: int = 16, max_wait_ms: float = 10.0, max_queue: int = 64):
        self.generator = generator
        self.max_batch_size, self.max_wait_s, self.max_queue = max_batch_size, max_wait_ms / 1000, max_queue
        self.stats = Counter(requests=0, batches=0, generated=0, dropped=0, rejected_full=0, failed=0)
        self._queue, self._cond, self._closed = deque(), threading.Condition(), False
        self._thread = threading.Thread(target=self._run, name="generator", daemon=True)

    def start(self):
        self._thread.start()

    def queued(self) -> int:
        """Requests waiting whose clients still wait (a client that gave up no longer counts)."""
        with self._cond:
            return sum(not job.future.cancelled() for job in self._queue)

    def submit(self, prompt_ids: list, sampling: Sampling) -> concurrent.futures.Future:
        job = Job(prompt_ids, sampling, concurrent.futures.Future(), time.monotonic())
        with self._cond:
            if self._closed:
                raise ShuttingDown("the service is shutting down")
            self._drop_cancelled()
            if len(self._queue) >= self.max_queue:
                self.stats["rejected_full"] += 1
                raise QueueFull(f"{len(self._queue)} requests are waiting (--max_queue {self.max_queue})")
            self._queue.append(job)
            self.stats["requests"] += 1
            self._cond.notify()
        return job.future

    def close(self, timeout: float = None):
        """Stop taking requests, generate what is queued, stop the thread."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _drop_cancelled(self):
        """Forget queued jobs whose client gave up (cancelled futures), so they take no queue or batch slot."""
        live = deque(job for job in self._queue if not job.future.cancelled())
        self.stats["dropped"] += len(self._queue) - len(live)
        self._queue = live

    def _next_batch(self) -> list:
        """The next batch (oldest job first), or None once closed with nothing left."""
        with self._cond:
            self._drop_cancelled()
            while not self._queue and not self._closed:
                self._cond.wait()
                self._drop_cancelled()
            if not self._queue:
                return None
            key = self._queue[0].sampling.batch_key()
            deadline = time.monotonic() + self.max_wait_s
            while not self._closed and sum(j.sampling.batch_key() == key for j in self._queue) < self.max_batch_size:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            self._drop_cancelled()
            batch = [job for job in self._queue if job.sampling.batch_key() == key][: self.max_batch_size]
            taken = {id(job) for job in batch}
            self._queue = deque(job for job in self._queue if id(job) not in taken)
            return batch  # may be empty: the jobs it waited with were all cancelled meanwhile

    def _run(self):
        while (batch := self._next_batch()) is not None:
            # A job whose client gave up was cancelled while queued: it is never generated.
            jobs = [job for job in batch if job.future.set_running_or_notify_cancel()]
            with self._cond:  # submit() counts drops too
                self.stats["dropped"] += len(batch) - len(jobs)
            if not jobs:
                continue
            start = time.monotonic()
            try:
                outputs = self.generator.generate_ids([j.prompt_ids for j in jobs],
                                                      [j.sampling.max_new_tokens for j in jobs], jobs[0].sampling)
            except Exception as e:  # noqa: BLE001 - the error goes to every request of the batch, the worker lives on
                self.stats["failed"] += len(jobs)
                for job in jobs:
                    job.future.set_exception(e)
                continue
            seconds = time.monotonic() - start
            self.stats["batches"] += 1
            self.stats["generated"] += len(jobs)
            for job, out in zip(jobs, outputs):
                job.future.set_result(Answer(out, len(jobs), start - job.enqueued, seconds))


def error(status: int, message: str, field: str = None, headers: dict = None):
    from starlette.responses import JSONResponse

    return JSONResponse({"error": {"status": status, "field": field, "message": message}}, status_code=status,
                        headers=headers)


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
               request_timeout_s: float = 60.0, max_body_bytes: int = 16384, api_key: str = None):
    """The Starlette application around ``generator`` (a ``TeachingPromptGenerator``); ``app.state.batcher`` is its
    ``MicroBatcher``, started and stopped with the application's lifespan. With ``api_key`` every request must
    carry ``Authorization: Bearer <api_key>`` (compared in constant time), or gets 401.

    Long on purpose: the routes are closures over the one batcher and the limits, and each reads as the request's
    path through the checks in the module docstring."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import ClientDisconnect
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    batcher = MicroBatcher(generator, max_batch_size, max_wait_ms, max_queue)
    counts = Counter()

    async def teaching_prompt(request):
        started = time.monotonic()
        try:
            declared = int(request.headers.get("content-length", 0))
        except ValueError:
            return error(400, "Content-Length is not an integer")
        if declared > max_body_bytes:
            return error(413, f"body of {declared} bytes; at most {max_body_bytes}")
        body = bytearray()
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > max_body_bytes:
                    return error(413, f"body over {max_body_bytes} bytes")
        except ClientDisconnect:
            counts["disconnected"] += 1
            return error(400, "client disconnected while sending the body")
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as e:  # bad UTF-8 or JSON, a 5000-digit number, nesting too deep
            return error(400, f"invalid JSON: {e}")
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
        return JSONResponse({"status": "ok", "model": generator.name, "queued": batcher.queued(),
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
                     api_key)
    # The socket is bound here so that --port 0 can print the port it got.
    sock = socket.socket(socket.AF_INET6 if ":" in a.host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((a.host, a.port))
    sock.listen(2048)  # from here on connections wait in the backlog until uvicorn accepts them
    host, port = sock.getsockname()[:2]
    host = f"[{host}]" if ":" in host else host
    print(f"[serve] {model_args.model_name_or_path} on http://{host}:{port} (max_batch_size {a.max_batch_size}, "
          f"default max_new_tokens {generator.default.max_new_tokens}, prompt budget "
          f"{generator.limits.max_prompt_tokens} tokens; {'API key required' if api_key else 'no API key'})",
          flush=True)
    config = uvicorn.Config(app, log_level=a.log_level, timeout_graceful_shutdown=a.request_timeout_s + 5)
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then raises the signal again for the handler it found; with
    # these, that ends the process normally (exit 0) instead of killing it.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: None)
    uvicorn.Server(config).run(sockets=[sock])
    print("[serve] stopped", flush=True)
