"""Local multiprocessing: a thin adapter around the pure per-article analysis.

Each worker process loads the pipeline once (in its initializer); blocks of articles
go out as they are read (a bounded number in flight, so a stream of any length runs
in constant memory) and outcomes come back in input order. Nothing spaCy-related is
ever pickled. An article that fails comes back as its coded error; a worker that
dies (killed, out of memory) costs only the block it held, whose articles come back
as E029, and the pool is started again.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from multiprocessing import get_context

from ..errors import NewsgraphError
from ..ingest.item import Item
from ..options import DEFAULT_OPTIONS, Options
from ..report import Article, Report

Outcome = Report | NewsgraphError
_options: Options = DEFAULT_OPTIONS
_startup_error: NewsgraphError | None = None


def _init(options: Options) -> None:
    # The parent decides how to stop on Ctrl-C; workers just finish their block.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _options, _startup_error
    _options = options
    from ..api import pipeline

    try:
        pipeline(options)
    except NewsgraphError as exc:  # e.g. E014, no model: every call says so
        _startup_error = exc


def _work(articles: list[Article], wheres: list[str]) -> list[Outcome]:
    if _startup_error is not None:
        raise _startup_error
    from ..api import analyze_block

    return analyze_block(articles, wheres, options=_options)


def _pool(options: Options, processes: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        processes, mp_context=get_context("spawn"), initializer=_init, initargs=(options,)
    )


def _lost(block: list[Item], why: str) -> list[Outcome]:
    return [
        NewsgraphError("E029", where=i.origin, step="a worker process", reason=why)
        for i in block
        if i.article is not None
    ]


def analyze_parallel(
    items: Iterable[Item],
    *,
    options: Options | None = None,
    processes: int = 2,
    chunk_size: int = 8,
) -> Iterator[tuple[Item, Outcome | None]]:
    """Each item with its outcome (None for an item that arrived failed), in input order,
    computed by ``processes`` spawned workers."""
    opts = options or DEFAULT_OPTIONS
    it = iter(items)
    size = max(1, chunk_size)
    in_flight = 2 * processes
    pool = _pool(opts, processes)
    pending: deque[tuple[list[Item], Future[list[Outcome]] | None]] = deque()

    def submit(block: list[Item]) -> Future[list[Outcome]] | None:
        good = [i for i in block if i.article is not None]
        if not good:
            return None
        return pool.submit(
            _work, [i.article for i in good if i.article is not None], [i.origin for i in good]
        )

    try:
        while True:
            while len(pending) < in_flight and (block := list(islice(it, size))):
                pending.append((block, submit(block)))
            if not pending:
                return
            block, future = pending.popleft()
            outcomes: list[Outcome] = []
            if future is not None:
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    # A worker died and took the pool with it; which block killed it is
                    # unknown. Run this block's articles one at a time in fresh pools (only
                    # an article that kills its worker again is lost), then resubmit the rest.
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _pool(opts, processes)
                    for single in (i for i in block if i.article is not None):
                        try:
                            outcomes += submit([single]).result()  # type: ignore[union-attr]
                        except BrokenProcessPool:
                            outcomes += _lost([single], "the worker process died")
                            pool.shutdown(wait=False, cancel_futures=True)
                            pool = _pool(opts, processes)
                    pending = deque((b, submit(b)) for b, _ in pending)
            done = iter(outcomes)
            for item in block:
                yield item, (next(done) if item.article is not None else None)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
