"""Bare spaCy ``nlp.pipe`` against the whole newsgraph pipeline, timed fairly.

The two are timed in turns on the same small chunks of texts (bare, then newsgraph,
chunk after chunk, for ``rounds`` passes over the texts), and each side's wall time is
summed. Timing each side over all the texts in one go compares two different stretches
of time: on a shared machine, whose speed drifts by a third from minute to minute, that
measured the drift more than the pipeline (0.75 and 0.81 for the same code).
"""

from __future__ import annotations

import time

from newsgraph.api import pipeline
from newsgraph.engines.local import analyze_many
from newsgraph.pipeline import COMPONENTS

CHUNK = 20


def pipe_ratio(
    texts: list[str], rounds: int = 2, *, published: str | None = None
) -> tuple[float, float]:
    """Articles/s of bare ``nlp.pipe`` and of ``analyze_many`` on ``texts``."""
    nlp = pipeline()
    list(analyze_many(texts[:10], published=published))  # warm caches and lazy imports
    bare = ours = 0.0
    for _ in range(rounds):
        for at in range(0, len(texts), CHUNK):
            chunk = texts[at : at + CHUNK]
            start = time.perf_counter()
            with nlp.select_pipes(disable=list(COMPONENTS)):
                for _doc in nlp.pipe(chunk, batch_size=32):
                    pass
            bare += time.perf_counter() - start
            start = time.perf_counter()
            for _report in analyze_many(chunk, published=published, batch_size=32):
                pass
            ours += time.perf_counter() - start
    n = rounds * len(texts)
    return n / bare, n / ours
