"""Throughput: bare ``nlp.pipe`` of the spaCy pipeline vs ``newsgraph.analyze_many``.

Both run in this process on the same texts (news documents from ../shared/data),
with the pipeline loaded once; the best of ``--repeat`` interleaved rounds counts.

With ``--components`` the same rounds also time ``nlp.pipe`` with all of newsgraph's
components and with each one of them disabled in turn, and print each component's
cost as (all - without it) / without it. That is the cost of removing it from the full
pipeline: a component that later ones read from (the linker's entities) may also
change what those do.

    .venv/bin/python benchmarks/throughput.py [--limit N] [--repeat R] [--processes P]
    .venv/bin/python benchmarks/throughput.py --components --limit 100
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from _data import DATA, news_texts
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
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (best counts)")
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

    def ours() -> None:
        for _ in analyze_many(texts, batch_size=32):
            pass

    bare = pipe_without(list(COMPONENTS))
    #: leave-one-out runs: "" is the full pipeline, then each component disabled
    variants: dict[str, Callable[[], None]] = {}
    if args.components:
        variants[""] = pipe_without([])
        variants.update({name: pipe_without([name]) for name in COMPONENTS})
    best_bare = best_ours = float("inf")
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(args.repeat):
        best_bare = min(best_bare, timed(bare))
        best_ours = min(best_ours, timed(ours))
        for name, run in variants.items():
            best[name] = min(best[name], timed(run))

    print(f"texts: {len(texts)} news documents, {words:,} words (from {DATA})")
    print(
        f"model: {nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}; best of {args.repeat}"
    )
    rows = [("bare nlp.pipe", best_bare), ("newsgraph.analyze_many", best_ours)]
    if args.processes > 1:

        def par() -> None:
            for _ in analyze_many(texts, processes=args.processes):
                pass

        rows.append((f"analyze_many processes={args.processes}", timed(par)))
    for name, secs in rows:
        print(f"{name:32s} {len(texts) / secs:8.1f} articles/s {words / secs:10.0f} words/s")
    print(f"ratio ours/bare: {best_bare / best_ours:.3f}")
    if variants:
        full = best[""]
        print(f"nlp.pipe with all components: {full:.2f}s (bare {best_bare:.2f}s)")
        for name in COMPONENTS:
            without = best[name]
            print(
                f"component {name}: {100 * (full - without) / without:+.1f}% of pipeline time"
                f" ({full - without:+.2f}s; {without:.2f}s without it)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
