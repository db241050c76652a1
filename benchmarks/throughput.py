"""Throughput: bare ``nlp.pipe`` of the spaCy pipeline vs ``newsgraph.analyze_many``.

Both run in this process on the same texts (news documents from ../shared/data),
with the pipeline loaded once, timed in turns on chunks of 20 texts for ``--repeat``
passes (``_pipe.py``: timing each over all the texts in one go measured the machine's
drift more than the pipeline).

With ``--components`` the same rounds also time each of newsgraph's components on
its own: the texts are parsed by the bare pipeline, then each component runs on each
parsed document in pipeline order, timed in CPU time (``time.process_time``, so another
process on the machine does not count). A component's share is its time over the
pipeline's (the bare ``nlp.pipe`` plus every component), best of the rounds. (Timing
leave-one-out pipelines instead was too noisy on a shared machine to read.)

    .venv/bin/python benchmarks/throughput.py [--limit N] [--repeat R] [--processes P]
    .venv/bin/python benchmarks/throughput.py --components --limit 100
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from _data import DATA, news_texts
from _pipe import pipe_ratio
from newsgraph.api import pipeline
from newsgraph.engines.local import analyze_many
from newsgraph.pipeline import COMPONENTS


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="use at most N texts")
    parser.add_argument("--repeat", type=int, default=2, help="passes (components: best counts)")
    parser.add_argument("--processes", type=int, default=1, help="also time analyze_many with P")
    parser.add_argument(
        "--components", action="store_true", help="also time each component (leave-one-out)"
    )
    args = parser.parse_args()

    texts = news_texts(args.limit)
    if len(texts) < 1:
        print(f"skipped: no development data under {DATA}")
        return 0
    words = sum(len(t.split()) for t in texts)
    nlp = pipeline()
    list(analyze_many(texts[:10]))  # warm up caches and lazy imports

    def pipe_without(disabled: list[str]) -> Callable[[], None]:
        def run() -> None:
            with nlp.select_pipes(disable=disabled):
                for _ in nlp.pipe(texts, batch_size=32):
                    pass

        return run

    bare = pipe_without(list(COMPONENTS))
    own = [(name, proc) for name, proc in nlp.pipeline if name in COMPONENTS]

    def components() -> dict[str, float]:
        """CPU seconds inside each component, on the bare pipeline's documents."""
        spent = dict.fromkeys(COMPONENTS, 0.0)
        with nlp.select_pipes(disable=list(COMPONENTS)):
            parsed = list(nlp.pipe(texts, batch_size=32))
        for doc in parsed:
            for name, proc in own:
                start = time.process_time()
                doc = proc(doc)
                spent[name] += time.process_time() - start
        return spent

    bare_rate, ours_rate = pipe_ratio(texts, args.repeat)
    best_bare_cpu = float("inf")
    best = dict.fromkeys(COMPONENTS, float("inf"))
    if args.components:
        for _ in range(args.repeat):
            start = time.process_time()
            bare()
            best_bare_cpu = min(best_bare_cpu, time.process_time() - start)
            for name, secs in components().items():
                best[name] = min(best[name], secs)

    print(f"texts: {len(texts)} news documents, {words:,} words (from {DATA})")
    print(
        f"model: {nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}; {args.repeat} passes"
    )
    rows = [
        ("bare nlp.pipe", len(texts) / bare_rate),
        ("newsgraph.analyze_many", len(texts) / ours_rate),
    ]
    if args.processes > 1:

        def par() -> None:
            for _ in analyze_many(texts, processes=args.processes):
                pass

        rows.append((f"analyze_many processes={args.processes}", timed(par)))
    for name, secs in rows:
        print(f"{name:32s} {len(texts) / secs:8.1f} articles/s {words / secs:10.0f} words/s")
    print(f"ratio ours/bare: {ours_rate / bare_rate:.3f}")
    if args.components:
        total = best_bare_cpu + sum(best.values())
        print(f"pipeline CPU time: {total:.2f}s (bare nlp.pipe {best_bare_cpu:.2f}s)")
        for name in COMPONENTS:
            print(
                f"component {name}: {100 * best[name] / total:5.1f}% of pipeline time"
                f" ({best[name]:.2f}s)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
