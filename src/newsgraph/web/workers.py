"""Analyses off the request threads: a pool of spawned worker processes.

Each worker process loads the spaCy pipeline once when it starts, then takes one
article at a time: it fetches the URL, extracts the text of an HTML page, analyses
it, and sends back the report and its JSON. Requests hand their article to the pool
and await the answer (:meth:`AnalysisPool.analyze` is a coroutine), so a waiting
analysis holds no thread of the pool that reads run in.

- One queue feeds all workers. At most ``Options.max_pending_analyses`` articles may
  wait in it; one more is refused at once with E037 (the server answers 503).
- An analysis running longer than ``Options.analysis_timeout`` seconds is stopped: its
  worker process is killed and replaced, and the request gets E036 (504). The time a
  new worker takes to load the pipeline does not count against the analysis.
- A worker that dies (killed, out of memory) costs only the article it held, which
  gets E029 (500); the worker is replaced.

Each worker has a supervisor thread in the server that sends it jobs and waits for
its answers, so one can be killed without disturbing the others. :meth:`stop` ends
every worker process and waits for it (no zombies); the web app starts and stops
the pool with its lifespan, and starts it on first use when it runs without one.
Worker processes are daemonic and leave when the server's pipe closes, so even a
server killed outright does not leave them running.

Nothing here imports the web framework: the worker processes import only this module,
the ingest functions and the pipeline.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import queue
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Final, Literal

from ..errors import NewsgraphError
from ..ingest.text import check_size
from ..options import Options
from ..report import Article, Report

__all__ = ["Analysed", "AnalysisPool", "read_article", "render_json", "run_analysis"]

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

Kind = Literal["text", "html", "url"]

#: Seconds a new worker may take to load the pipeline before it counts as failed.
STARTUP_TIMEOUT: Final = 300.0
#: Seconds a worker is given to leave on its own when the pool stops.
_GRACE: Final = 2.0
#: How often a waiting supervisor looks whether the pool is stopping.
_TICK: Final = 0.1


# -- the work (in the worker process; also usable in-process) ------------------------------


def read_article(kind: Kind, value: str, options: Options) -> Article:
    """The Article of a request: plain ``text``, an ``html`` page, or a ``url`` fetched
    safely (E007 for private addresses unless ``options.allow_private``)."""
    if kind == "url":
        from ..ingest.url import article_from_url

        return article_from_url(value, options=options)
    where = f"request {kind}"
    check_size(len(value.encode("utf-8", errors="replace")), options, where=where)
    if kind == "html":
        from ..ingest.html import article_from_html

        return article_from_html(value, options=options, where=where)
    from ..ingest import article_from_text

    return article_from_text(value, options=options, where=where)


def run_analysis(kind: Kind, value: str, published: str | None, options: Options) -> Report:
    """Read the article and analyse it; ``published`` (``YYYY-MM-DD``) wins over page
    metadata. Raises NewsgraphError for bad input and E029 when a step fails."""
    from ..api import analyze

    article = read_article(kind, value, options)
    return analyze(article, published=published or None, options=options)


def render_json(report: Report) -> bytes:
    """The report as the API sends it: compact UTF-8 JSON of ``report.to_dict()``."""
    return json.dumps(
        report.to_dict(), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode("utf-8")


@dataclass(frozen=True)
class Analysed:
    """A finished analysis: the report, and its JSON ready to send."""

    report: Report
    body: bytes


def _worker_main(conn: Connection, options: Options) -> None:
    """A worker process: load the pipeline, then answer jobs until told to stop or the
    server's end of the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when workers stop
    startup: NewsgraphError | None = None
    try:
        from ..api import pipeline

        pipeline(options)
    except NewsgraphError as exc:  # e.g. E014, no model: every job is told so
        startup = exc
    except Exception as exc:
        startup = NewsgraphError(
            "E029", where="the article", step="loading the pipeline", reason=type(exc).__name__
        )
    try:
        conn.send(("ready", None))
        while True:
            job = conn.recv()
            if job is None:
                return
            kind, value, published = job
            answer: tuple[str, Analysed | NewsgraphError]
            try:
                if startup is not None:
                    raise startup
                report = run_analysis(kind, value, published, options)
                answer = ("ok", Analysed(report, render_json(report)))
            except NewsgraphError as exc:
                answer = ("error", exc)
            except Exception as exc:  # an internal failure: coded, never a lost answer
                log.exception("analysis failed in a worker process")
                answer = (
                    "error",
                    NewsgraphError(
                        "E029", where="the article", step="the analysis", reason=type(exc).__name__
                    ),
                )
            conn.send(answer)
    except (EOFError, OSError):  # the server went away
        return
    finally:
        conn.close()


# -- the pool (in the server) --------------------------------------------------------------


@dataclass(eq=False)
class _Job:
    kind: Kind
    value: str
    published: str | None
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Analysed]
    abandoned: bool = field(default=False)

    def settle(self, outcome: Analysed | NewsgraphError) -> None:
        """Hand the outcome to the waiting request (from a supervisor thread)."""

        def apply() -> None:
            if self.future.done():
                return
            if isinstance(outcome, NewsgraphError):
                self.future.set_exception(outcome)
            else:
                self.future.set_result(outcome)

        # RuntimeError: the request's event loop is gone, so nobody is waiting
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(apply)


_Wait = Literal["message", "timeout", "stopping", "lost"]


class _Supervisor(threading.Thread):
    """One worker process: starts it, sends it jobs, kills and replaces it when needed."""

    def __init__(self, pool: AnalysisPool, jobs: queue.Queue[_Job | None], index: int) -> None:
        super().__init__(name=f"newsgraph-analysis-{index}", daemon=True)
        self.pool = pool
        self.jobs = jobs
        self.stopping = threading.Event()
        self.process: BaseProcess | None = None
        self.conn: Connection | None = None
        self.ready = False
        self.busy = False

    # -- the worker process

    def _spawn(self) -> None:
        ctx = get_context("spawn")
        ours, theirs = ctx.Pipe(duplex=True)
        process = ctx.Process(
            target=_worker_main,
            args=(theirs, self.pool.options),
            name="newsgraph-analysis",
            daemon=True,
        )
        process.start()
        theirs.close()  # so the worker's death reads as end of file here
        self.process, self.conn, self.ready, self.busy = process, ours, False, False

    def _try_spawn(self) -> Exception | None:
        """Start a new worker process; the error when that fails (logged; the next job
        tries again and is answered E029 if it fails again)."""
        try:
            self._spawn()
        except Exception as exc:
            log.exception("could not start an analysis worker process")
            self.process, self.conn, self.ready, self.busy = None, None, False, False
            return exc
        return None

    def _end(self, *, kill: bool) -> None:
        """Stop the worker process (killed at once, or asked to leave) and reap it."""
        process, conn = self.process, self.conn
        self.process, self.conn, self.ready, self.busy = None, None, False, False
        if process is None:
            return
        if not kill and conn is not None and process.is_alive():
            with contextlib.suppress(OSError):
                conn.send(None)
            process.join(_GRACE)
        if process.is_alive():
            process.kill()
        process.join()
        if conn is not None:
            conn.close()
        process.close()

    def _wait(self, until: float | None) -> _Wait:
        """Wait for the worker's next message, until ``until`` (a monotonic time)."""
        assert self.conn is not None
        while True:
            if self.stopping.is_set():
                return "stopping"
            step = _TICK if until is None else min(_TICK, until - time.monotonic())
            if step <= 0:
                return "timeout"
            try:
                if wait([self.conn], step):
                    return "message"
            except OSError:
                return "lost"

    def _receive(self) -> tuple[str, object] | None:
        assert self.conn is not None
        try:
            got = self.conn.recv()
        except (EOFError, OSError):
            return None
        if not (isinstance(got, tuple) and len(got) == 2):  # pragma: no cover - never sent
            return None
        return got

    def _lost(self, step: str) -> NewsgraphError:
        """E029 for a worker that died, which is then replaced."""
        code = None
        if self.process is not None:
            self.process.join(1.0)  # it closed its pipe: let it finish dying to read its code
            code = self.process.exitcode
        self._end(kill=True)
        self._try_spawn()
        why = "the worker process stopped" + (f" (exit code {code})" if code is not None else "")
        return NewsgraphError("E029", where="the article", step=step, reason=why)

    # -- one job

    def _start_worker(self) -> NewsgraphError | None:
        """Wait until the worker has loaded the pipeline (not part of any timeout)."""
        if self.process is not None and not self.process.is_alive():  # died while idle
            self._end(kill=True)
        if self.process is None:
            failed = self._try_spawn()
            if failed is not None:
                return NewsgraphError(
                    "E029",
                    where="the article",
                    step="starting a worker process",
                    reason=type(failed).__name__,
                )
        if self.ready:
            return None
        waited = self._wait(time.monotonic() + STARTUP_TIMEOUT)
        if waited == "stopping":
            return self.pool.stopping_error()
        if waited == "timeout":
            self._end(kill=True)
            self._try_spawn()
            return NewsgraphError(
                "E029",
                where="the article",
                step="starting a worker process",
                reason=f"it did not load the pipeline within {STARTUP_TIMEOUT:g} seconds",
            )
        if waited == "lost" or self._receive() is None:
            return self._lost("starting a worker process")
        self.ready = True
        return None

    def _run(self, job: _Job) -> Analysed | NewsgraphError:
        failed = self._start_worker()
        if failed is not None:
            return failed
        assert self.conn is not None
        try:
            self.conn.send((job.kind, job.value, job.published))
        except OSError:
            return self._lost("a worker process")
        self.busy = True
        seconds = self.pool.options.analysis_timeout
        waited = self._wait(time.monotonic() + seconds)
        if waited == "timeout":
            log.warning("an analysis ran over %g seconds; its worker is replaced", seconds)
            self._end(kill=True)
            self._try_spawn()  # replaced at once: it loads the pipeline while idle
            return NewsgraphError("E036", seconds=seconds)
        if waited == "stopping":
            return self.pool.stopping_error()
        got = self._receive() if waited == "message" else None
        if got is None:
            return self._lost("a worker process")
        self.busy = False
        status, payload = got
        if isinstance(payload, (Analysed, NewsgraphError)):
            return payload
        return NewsgraphError(  # pragma: no cover - the worker sends nothing else
            "E029", where="the article", step="a worker process", reason=f"answer {status!r}"
        )

    def run(self) -> None:
        try:
            self._try_spawn()
            while not self.stopping.is_set():
                job = self.pool.take(self.jobs)
                if job is None:
                    break
                if job.abandoned:
                    continue
                try:
                    outcome = self._run(job)
                except Exception as exc:  # a bug here must not leave the request waiting
                    log.exception("a worker supervisor failed")
                    outcome = NewsgraphError("E999", reason=type(exc).__name__)
                    self._end(kill=True)
                job.settle(outcome)
        finally:
            self._end(kill=self.busy or not self.ready)


class AnalysisPool:
    """``options.analysis_workers`` worker processes fed from one bounded queue.

    :meth:`start` and :meth:`stop` run in the server; :meth:`analyze` is awaited by the
    request handlers. A pool never started starts on first use; a stopped pool refuses
    analyses (E037) until :meth:`start` is called again.
    """

    def __init__(self, options: Options) -> None:
        self.options = options
        self._lock = threading.Lock()
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._supervisors: list[_Supervisor] = []
        self._waiting = 0
        self._running = False
        self._started = False

    @property
    def running(self) -> bool:
        return self._running

    @property
    def waiting(self) -> int:
        """Analyses queued and not yet taken by a worker."""
        return self._waiting

    def pids(self) -> list[int]:
        """The process ids of the live worker processes."""
        found = []
        for sup in list(self._supervisors):
            process = sup.process
            pid = process.pid if process is not None else None
            if pid is not None:
                found.append(pid)
        return found

    def start(self) -> None:
        """Start the workers (each loads the pipeline in the background); idempotent."""
        with self._lock:
            if self._running:
                return
            self._running = self._started = True
            self._jobs = queue.Queue()
            self._waiting = 0
            self._supervisors = [
                _Supervisor(self, self._jobs, i) for i in range(self.options.analysis_workers)
            ]
            supervisors = list(self._supervisors)
        for sup in supervisors:
            sup.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop every worker process and wait for it; analyses still waiting get E037."""
        with self._lock:
            if not self._running:
                return
            self._running = False
            supervisors, jobs = self._supervisors, self._jobs
            self._supervisors = []
        for sup in supervisors:
            sup.stopping.set()
        for _ in supervisors:
            jobs.put(None)
        deadline = time.monotonic() + timeout
        for sup in supervisors:
            sup.join(max(0.0, deadline - time.monotonic()))
            if sup.is_alive():  # pragma: no cover - a supervisor stuck in a send
                log.warning("a worker supervisor did not stop in time")
                process = sup.process
                if process is not None and process.is_alive():
                    process.kill()
                    process.join()
        while True:
            try:
                job = jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job.settle(self.stopping_error())
        self._waiting = 0

    def stopping_error(self) -> NewsgraphError:
        return NewsgraphError("E037", pending=self._waiting)

    def take(self, jobs: queue.Queue[_Job | None]) -> _Job | None:
        """The next job for a supervisor (blocking); None tells it to stop."""
        job = jobs.get()
        if job is not None:
            with self._lock:
                self._waiting = max(0, self._waiting - 1)
        return job

    async def analyze(self, kind: Kind, value: str, published: str | None) -> Analysed:
        """Analyse one article in a worker process and return its report and JSON.

        Raises NewsgraphError: the article's own (bad input, E029), E036 when it ran
        over ``analysis_timeout``, E037 when ``max_pending_analyses`` already wait.
        """
        if not self._started:  # an app run without lifespan events starts it on first use
            self.start()
        loop = asyncio.get_running_loop()
        job = _Job(kind, value, published, loop, loop.create_future())
        with self._lock:
            if not self._running:  # stopped: the server is shutting down
                raise self.stopping_error()
            if self._waiting >= self.options.max_pending_analyses:
                raise NewsgraphError("E037", pending=self._waiting)
            self._waiting += 1
            self._jobs.put(job)
        try:
            return await job.future
        except asyncio.CancelledError:
            job.abandoned = True  # not started yet: skipped; running: its answer is dropped
            raise
