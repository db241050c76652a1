"""Local engines: many articles through the pure per-article analysis, in this process
or in local worker processes; ``analyze_many`` and ``analyze_items`` are the batch entry
points the package, the CLI and the benchmarks use.

With several processes, each worker process loads the pipeline once (in its
initializer); blocks of articles go out as they are read (a bounded number in flight,
so a stream of any length runs in constant memory) and outcomes come back in input
order. Nothing spaCy-related is
ever pickled. An article that fails comes back as its coded error; a worker that
dies (killed, out of memory) costs only the block it held, whose articles come back
as E029, and the pool is started again.

This module does not import spaCy itself (the analysis modules are imported where they
are used): a process that only hands out work and stores what comes back (``ingest``)
does not pay for loading them.
"""

from __future__ import annotations

import logging
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from itertools import islice
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any, Literal

from ..errors import NewsgraphError
from ..ingest.item import Item
from ..options import DEFAULT_OPTIONS, Options
from ..report import Article, Report

if TYPE_CHECKING:
    from ..api import Outcome, Source

log = logging.getLogger(__name__)

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
    # (loading the pipeline froze it out of the garbage collector's way: load_pipeline)


def _work(articles: list[Article], wheres: list[str]) -> list[Outcome]:
    from ..api import analyze_block

    if _startup_error is not None:
        raise _startup_error
    return analyze_block(articles, wheres, options=_options)


def _readable(block: list[Item]) -> tuple[list[Article], list[str]]:
    """The articles of a block's readable items and where each came from."""
    good = [(i.article, i.origin) for i in block if i.article is not None]
    return [a for a, _ in good], [w for _, w in good]


def _paired(block: list[Item], outcomes: list[Outcome]) -> Iterator[tuple[Item, Outcome | None]]:
    """Each item of ``block`` with its outcome (None for one that arrived failed)."""
    done = iter(outcomes)
    for item in block:
        yield item, (next(done) if item.article is not None else None)


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
    ahead: int = 2,
) -> Iterator[tuple[Item, Outcome | None]]:
    """Each item with its outcome (None for an item that arrived failed), in input order,
    computed by ``processes`` spawned workers, with ``ahead`` blocks per worker in flight
    (what the workers go on with while the caller handles the outcomes it has)."""
    opts = options or DEFAULT_OPTIONS
    it = iter(items)
    size = max(1, chunk_size)
    in_flight = max(1, ahead) * processes
    pool = _pool(opts, processes)
    pending: deque[tuple[list[Item], Future[list[Outcome]] | None]] = deque()

    def submit(block: list[Item]) -> Future[list[Outcome]] | None:
        articles, wheres = _readable(block)
        return pool.submit(_work, articles, wheres) if articles else None

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
            yield from _paired(block, outcomes)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


ErrorMode = Literal["raise", "skip", "include"]


def analyze_many(
    sources: Iterable[Source],
    *,
    published: str | None = None,
    options: Options | None = None,
    batch_size: int | None = None,
    processes: int = 1,
    errors: ErrorMode = "raise",
) -> Iterator[Any]:
    """Analyse many articles in order; the same reports as one ``analyze`` call each.

    An article that cannot be read or analysed never stops the others from being
    analysed; ``errors`` says what the caller gets for it: ``"raise"`` raises its
    NewsgraphError when it is reached (the reports before it were yielded),
    ``"skip"`` leaves it out (logged as a warning), ``"include"`` yields the
    NewsgraphError in its place so outputs stay aligned with inputs. Its ``where``
    names the article's position ("article 151").

    With ``processes > 1`` the work is spread over local worker processes, each
    loading the pipeline once.
    """
    if errors not in ("raise", "skip", "include"):
        raise ValueError(f"errors must be 'raise', 'skip' or 'include', not {errors!r}")
    from ..api import to_article

    opts = options or DEFAULT_OPTIONS

    def items() -> Iterator[Item]:
        for i, source in enumerate(sources, 1):
            where = f"article {i}"
            try:
                article = to_article(source, published=published, options=opts)
            except NewsgraphError as exc:
                yield Item(origin=where, error=exc)
            else:
                yield Item(origin=where, article=article)

    for item, report in analyze_items(
        items(), options=opts, processes=processes, batch_size=batch_size
    ):
        if report is not None:
            yield report
            continue
        assert item.error is not None
        if errors == "raise":
            raise item.error
        if errors == "include":
            yield item.error
        else:
            log.warning("skipped %s: %s", item.origin, item.error)


def analyze_items(
    items: Iterable[Item],
    *,
    options: Options | None = None,
    processes: int = 1,
    batch_size: int | None = None,
    beside: bool = False,
) -> Iterator[tuple[Item, Report | None]]:
    """Batch work: pass failed items through, analyse the rest, keep order.

    ``beside``: analyse in worker processes even when there is one (``processes=1``), so
    that this process is free for what the caller does with each report meanwhile (an
    ingest stores and places the previous batch while the next is analysed).

    An item whose analysis fails comes back with ``error`` set (E029) and no report."""
    opts = options or DEFAULT_OPTIONS
    chunk = max(1, batch_size or opts.batch_size)
    it = iter(items)
    if processes > 1 or beside:
        outcomes: Iterator[tuple[Item, Outcome | None]] = analyze_parallel(
            it,
            options=opts,
            processes=processes,
            chunk_size=min(chunk, 8),
            ahead=max(2, -(-chunk // 8)) if beside else 2,
        )
    else:
        outcomes = _serial(it, opts, chunk)
    for item, outcome in outcomes:
        if isinstance(outcome, NewsgraphError):
            yield replace(item, article=None, error=outcome), None
        else:
            yield item, outcome


def _serial(
    items: Iterator[Item], options: Options, chunk: int
) -> Iterator[tuple[Item, Outcome | None]]:
    from ..api import analyze_block

    while block := list(islice(items, chunk)):
        articles, wheres = _readable(block)
        yield from _paired(block, analyze_block(articles, wheres, options=options))


__all__ = ["ErrorMode", "analyze_items", "analyze_many", "analyze_parallel"]
