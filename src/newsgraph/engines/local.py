"""Local multiprocessing: a thin adapter around the pure per-article analysis.

Each worker process loads the pipeline once (in its initializer); articles go out
and reports come back in input order. Nothing spaCy-related is ever pickled.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
from collections.abc import Iterable, Iterator

from ..options import DEFAULT_OPTIONS, Options
from ..report import Article, Report

_options: Options = DEFAULT_OPTIONS


def _init(options: Options) -> None:
    # The parent decides how to stop on Ctrl-C; workers just finish their chunk.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _options
    _options = options
    from ..api import pipeline

    pipeline(options)


def _work(articles: list[Article]) -> list[Report]:
    from ..api import analyze_articles

    return list(analyze_articles(articles, options=_options))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    block: list[Article] = []
    for a in articles:
        block.append(a)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


def analyze_parallel(
    articles: Iterable[Article],
    *,
    options: Options | None = None,
    processes: int = 2,
    chunk_size: int = 8,
) -> Iterator[Report]:
    """Reports in input order, computed by ``processes`` spawned workers."""
    opts = options or DEFAULT_OPTIONS
    ctx = mp.get_context("spawn")
    with ctx.Pool(processes, initializer=_init, initargs=(opts,)) as pool:
        for reports in pool.imap(_work, _chunks(articles, chunk_size)):
            yield from reports
