"""Engines: local cores and Spark on the same news, in the same run.

The texts are the first ``--limit`` (500) news-length documents of the dev sets
(../shared/data, in file order), written to one JSON Lines file. Then, each a fresh
command timed from start to exit (model loading and Spark's start-up included):

- ``newsgraph ingest FILE --db A -j 1``, and ``-j 2``, each into a new store, in the
  order -j 1, -j 2, -j 2, -j 1 so that the machine's drift falls on both alike; each
  figure is the mean of its two runs (bar: -j 2 at least 1.7x faster than -j 1 on this
  2-core machine);
- ``newsgraph spark FILE --out DIR --master local[2]`` (bar: within 1.3x of
  ``ingest -j 2``), then ``newsgraph import-parquet DIR --db B`` (timed apart: it
  is the corpus placement that ``ingest`` does as it goes);
- in this process, bare spaCy ``nlp.pipe`` against the whole newsgraph pipeline
  (``analyze_many``) on the first ``--pipe-limit`` of the same texts, timed in turns
  on chunks of 20 texts for ``--rounds`` passes, by wall time and again by CPU time
  (``_pipe.py``; bar: newsgraph at least 0.85x bare spaCy).

It checks that every run stored the same articles, and prints each figure with the
per-core throughput and the sizing rule the README quotes.

    .venv/bin/python benchmarks/engines.py [--limit 500] [--rounds 2] [--skip-spark]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from _data import DATA, DOCUMENT_SETS, ROOT, documents
from _pipe import pipe_ratio

NEWSGRAPH = Path(sys.executable).with_name("newsgraph")
PUBLISHED = "2025-11-03"


def write_inputs(path: Path, limit: int) -> tuple[list[str], int]:
    """The first ``limit`` news-length documents as JSON Lines; their texts and words."""
    texts: list[str] = []
    with path.open("w", encoding="utf-8") as out:
        for name, record in documents(DOCUMENT_SETS, min_words=150):
            text = record["text"]
            texts.append(text)
            line = {"id": f"{name}:{len(texts)}", "text": text}
            if isinstance(record.get("published"), str):
                line["published"] = record["published"]
            out.write(json.dumps(line) + "\n")
            if len(texts) >= limit:
                break
    return texts, sum(len(t.split()) for t in texts)


def run(*args: str) -> float:
    """Wall seconds of one newsgraph command (it must succeed)."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(NEWSGRAPH), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NEWSGRAPH_PROGRESS": ""},
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): newsgraph {' '.join(args)}\n{done.stderr[-2000:]}")
    last = done.stderr.strip().splitlines()[-2:]
    print(f"  newsgraph {' '.join(args)[:90]}\n    {seconds:7.1f} s   {' | '.join(last)[:160]}")
    return seconds


def stored_ids(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}


def parquet_ids(out: Path) -> set[str]:
    con = duckdb.connect()
    rows = con.execute(f"SELECT id FROM read_parquet('{out}/articles/*/*.parquet')").fetchall()
    return {r[0] for r in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=500, help="articles (default 500)")
    parser.add_argument("--pipe-limit", type=int, default=200, help="texts for the pipe ratio")
    parser.add_argument("--rounds", type=int, default=2, help="passes of the pipe ratio")
    parser.add_argument("--skip-spark", action="store_true", help="only the local engines")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: no development data under {DATA}")
        return 0
    work = Path(tempfile.mkdtemp(prefix="ng-engines-"))
    try:
        source = work / "news.jsonl"
        texts, words = write_inputs(source, args.limit)
        print(f"texts: {len(texts)} news documents, {words:,} words (from {DATA})")
        print(f"machine: {os.cpu_count()} cores; code: {ROOT}")

        print(
            f"\npipeline vs bare spaCy, {min(len(texts), args.pipe_limit)} texts, timed in"
            f" turns on chunks of 20, {args.rounds} passes:"
        )
        for cpu in (False, True):
            bare, ours = pipe_ratio(
                texts[: args.pipe_limit], args.rounds, published=PUBLISHED, cpu=cpu
            )
            clock = "CPU time" if cpu else "wall time"
            print(f"  {clock}: bare nlp.pipe {bare:6.1f} articles/s; newsgraph {ours:6.1f}")
            print(f"  {clock}: ratio newsgraph/bare: {ours / bare:.3f}   (bar >= 0.85)")

        print("\nlocal engine:")
        # j1, j2, j2, j1: the machine's drift during the four runs falls on both alike
        times: dict[str, list[float]] = {"1": [], "2": []}
        for k, jobs in enumerate(("1", "2", "2", "1")):
            db = work / f"j{jobs}-{k}.duckdb"
            times[jobs].append(
                run("ingest", str(source), "--db", str(db), "-j", jobs, "--published", PUBLISHED)
            )
        j1, j2 = sum(times["1"]) / 2, sum(times["2"]) / 2
        for k, jobs in enumerate(("1", "2", "2", "1")):
            other = stored_ids(work / f"j{jobs}-{k}.duckdb")
            assert other == stored_ids(work / "j1-0.duckdb"), "the runs stored different articles"
        ids = stored_ids(work / "j1-0.duckdb")
        n = len(ids)
        print(f"  -j 1: {n / j1:.1f} articles/s; -j 2: {n / j2:.1f} articles/s (mean of two runs)")
        print(f"  speed-up -j 2 / -j 1: {j1 / j2:.2f}x   (bar >= 1.7x)")
        if not args.skip_spark:
            print("\nSpark engine:")
            sp = run(
                "spark",
                str(source),
                "--out",
                str(work / "spark"),
                "--master",
                "local[2]",
                "--published",
                PUBLISHED,
                "--conf",
                "spark.ui.enabled=false",
            )
            imp = run("import-parquet", str(work / "spark"), "--db", str(work / "sp.duckdb"))
            assert parquet_ids(work / "spark") == ids, "Spark wrote other articles than ingest"
            assert stored_ids(work / "sp.duckdb") == ids
            print(f"  spark local[2]: {n / sp:.1f} articles/s ({n / sp / 2:.1f} per core)")
            print(f"  spark / ingest -j 2 wall time: {sp / j2:.2f}x   (bar <= 1.3x)")
            print(f"  spark + import-parquet / ingest -j 2: {(sp + imp) / j2:.2f}x")
        per_core = n / j1
        print("\nsizing (from -j 1, one core with the store beside it):")
        print(f"  {per_core:.1f} articles/s per core = {per_core * 86400:,.0f} articles a day")
        print(f"  cores for N articles a day = N / {per_core * 86400 * 0.7:,.0f} (at 70% busy)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
