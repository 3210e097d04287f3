"""The service's request queue and the one thread that owns the model and answers it (``easyds/serving.py``).

Two ways to batch (``launch/serve.py --batching``):

* ``continuous`` (default, ``ContinuousBatcher``): a request joins the running decode at its next step and leaves
  it when it finishes (``common/continuous_batching.py``), so nobody waits for a batch to start or for a longer
  batch-mate to end; rows of any sampling settings share the batch.
* ``micro`` (``MicroBatcher``): the oldest queued request and every queued one with the same sampling settings, up to
  ``max_batch_size``, waiting up to ``max_wait_ms`` for batch-mates, are generated together from start to end with
  transformers' ``generate``.

Both answer a request with what generating it alone would give under greedy decoding. ``submit`` is thread-safe
and returns a ``concurrent.futures.Future`` of an ``Answer``; cancelling it while queued removes it from the work
(a request already decoding is finished and its answer discarded).
"""
import concurrent.futures
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass

from common.continuous_batching import Row

from .inference import Sampling

BATCHING = ("continuous", "micro")


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


class RequestQueue:
    """A bounded queue of requests and the thread that answers them (``_run``, defined by each way to batch)."""

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

    def _run(self):
        raise NotImplementedError


class MicroBatcher(RequestQueue):
    """Requests generated in batches from start to end (``generator.generate_ids``): see the module docstring."""

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


class ContinuousBatcher(RequestQueue):
    """Requests that join the running decode at its next step and leave it when done: see the module docstring.

    ``max_batch_size`` rows decode at once; ``max_wait_ms`` is how long a request arriving at an idle service waits
    for others to prefill with it. ``Answer.batch_size`` is the largest batch the request decoded in, and
    ``generate_s`` the time from its prefill to its last token. ``stats["batches"]`` counts decoding steps.
    """

    def _joiners(self, running: int) -> list:
        """Queued jobs for the free slots, oldest first: waits while idle; None once closed with nothing left."""
        with self._cond:
            self._drop_cancelled()
            if not running:
                while not self._queue and not self._closed:
                    self._cond.wait()
                    self._drop_cancelled()
                if not self._queue:
                    return None
                deadline = time.monotonic() + self.max_wait_s
                while not self._closed and len(self._queue) < self.max_batch_size and \
                        (remaining := deadline - time.monotonic()) > 0:
                    self._cond.wait(remaining)
                self._drop_cancelled()
            jobs = [self._queue.popleft() for _ in range(min(len(self._queue), self.max_batch_size - running))]
        started = [job for job in jobs if job.future.set_running_or_notify_cancel()]
        with self._cond:
            self.stats["dropped"] += len(jobs) - len(started)
        return started

    def _run(self):
        batch, inflight = self.generator.continuous_batch(), {}  # id(job) -> [job, prefill start, largest batch]
        while (jobs := self._joiners(len(batch))) is not None:
            try:
                finished = []
                if jobs:
                    now = time.monotonic()
                    inflight.update({id(job): [job, now, 0] for job in jobs})
                    finished = batch.add([job.prompt_ids for job in jobs], [
                        Row(job, job.sampling.max_new_tokens, job.sampling.do_sample, job.sampling.temperature,
                            job.sampling.top_p) for job in jobs])
                for row in batch.rows + finished:
                    entry = inflight[id(row.key)]
                    entry[2] = max(entry[2], len(batch) + len(finished))
                if len(batch):
                    finished += batch.step()
                    self.stats["batches"] += 1
            except Exception as e:  # noqa: BLE001 - the error goes to every request decoding, the worker lives on
                self.stats["failed"] += len(inflight)
                for job, _, _ in inflight.values():
                    job.future.set_exception(e)
                batch, inflight = self.generator.continuous_batch(), {}
                continue
            for row in finished:
                job, start, size = inflight.pop(id(row.key))
                self.stats["generated"] += 1
                job.future.set_result(Answer(self.generator.teaching_prompt(row.tokens), size, start - job.enqueued,
                                             time.monotonic() - start))
