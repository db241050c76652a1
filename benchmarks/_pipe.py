"""Bare spaCy ``nlp.pipe`` against the whole newsgraph pipeline, timed fairly.

The two are timed in turns on the same small chunks of texts (bare, then newsgraph,
chunk after chunk, for ``rounds`` passes over the texts), and each side's time (wall,
or CPU) is summed. Timing each side over all the texts in one go compares two
different stretches of time: on a shared machine, whose speed drifts by a third from
minute to minute, that measured the drift more than the pipeline (0.75 and 0.81 for
the same code).
"""

from __future__ import annotations

import time

from newsgraph.api import pipeline
from newsgraph.engines.local import analyze_many
from newsgraph.pipeline import COMPONENTS

CHUNK = 20


def pipe_ratio(
    texts: list[str], rounds: int = 2, *, published: str | None = None, cpu: bool = False
) -> tuple[float, float]:
    """Articles/s of bare ``nlp.pipe`` and of ``analyze_many`` on ``texts``: per second
    of wall time, or with ``cpu`` per second of this process's CPU time (which leaves
    out the moments the machine gave to something else)."""
    clock = time.process_time if cpu else time.perf_counter
    nlp = pipeline()
    list(analyze_many(texts[:10], published=published))  # warm caches and lazy imports
    bare = ours = 0.0
    for _ in range(rounds):
        for at in range(0, len(texts), CHUNK):
            chunk = texts[at : at + CHUNK]
            start = clock()
            with nlp.select_pipes(disable=list(COMPONENTS)):
                for _doc in nlp.pipe(chunk, batch_size=32):
                    pass
            bare += clock() - start
            start = clock()
            for _report in analyze_many(chunk, published=published, batch_size=32):
                pass
            ours += clock() - start
    n = rounds * len(texts)
    return n / bare, n / ours
