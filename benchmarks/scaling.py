"""Scaling: analysis time and peak memory of one long article, 10k to 1M characters.

Each text is real news prose: examples/baltic-air-defence.txt followed by the
articles of ../shared/data/quotes-polnear.jsonl in file order (read in place), joined
by blank lines and cut at the last paragraph boundary within the size asked for; without
../shared the example is repeated. Each run is a fresh subprocess that loads the
pipeline and warms it up on the example (not timed), then times one
``newsgraph.analyze(text, published=...)``; its peak RSS (``ru_maxrss``) is that
size's alone. A size runs again (up to ``--repeat`` runs) while its runs so far took
under ``--budget`` seconds, so that the small sizes are not one noisy run: the best
time counts, and the highest peak. Every run starts cold (spaCy's lemmatizer cache,
the timex grammar's word cache): one process timing a text again would be faster.

It prints, per size, the time, the time per 1,000 characters and the peak RSS, then
the ratios: largest / smallest time per character (target <= 1.5) and
time(200k) / time(50k) (bar <= 5; 4 is linear).

    .venv/bin/python benchmarks/scaling.py                      # 10k 50k 200k 1M
    .venv/bin/python benchmarks/scaling.py --sizes 10k,100k,400k --check
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from typing import Any

from _data import DATA, ROOT

EXAMPLE = ROOT / "examples" / "baltic-air-defence.txt"
PUBLISHED = "2025-11-03"
QUOTES = DATA / "quotes-polnear.jsonl"
DEFAULT_SIZES = "10k,50k,200k,1M"
#: bars for --check
MAX_SPREAD = 1.5  # largest / smallest time per character
MAX_200K_50K = 5.0  # time(200k) / time(50k)


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def articles() -> list[str]:
    """The example, then the polnear articles when ../shared is there."""
    out = [EXAMPLE.read_text("utf-8").strip()]
    if QUOTES.exists():
        with QUOTES.open(encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line).get("text")
                if isinstance(text, str) and text.strip():
                    out.append(text.strip())
    return out


def news_text(size: int) -> str:
    """At most ``size`` characters of articles joined by blank lines, cut at the last
    paragraph boundary before ``size`` (the articles repeat when there are too few)."""
    pool = articles()
    parts: list[str] = []
    length, i = 0, 0
    while length < size + 5_000:
        parts.append(pool[i % len(pool)])
        length += len(parts[-1]) + 2
        i += 1
    text = "\n\n".join(parts)
    # the last paragraph boundary at or before the size (1M is also the length limit)
    cuts = [m.start() for m in re.finditer("\n\n", text) if m.start() < size]
    cut = max(cuts, default=size - 1)
    return text[:cut] + "\n"


def child(size: int) -> dict[str, Any]:
    """Runs in the subprocess: load, warm up, time ``analyze`` on ``size`` characters."""
    import newsgraph
    from newsgraph.api import pipeline

    text = news_text(size)
    start = time.perf_counter()
    pipeline()
    newsgraph.analyze(EXAMPLE.read_text("utf-8"), published=PUBLISHED)  # warm up
    load = time.perf_counter() - start
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    report = newsgraph.analyze(text, published=PUBLISHED)
    took = time.perf_counter() - start
    return {
        "size": size,
        "chars": len(text),
        "seconds": took,
        "load_seconds": load,
        "rss_loaded_mb": rss_loaded / 1024,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "entities": len(report.entities),
        "quotes": len(report.quotes),
        "span_problems": len(report.span_problems()),
    }


def run_once(size: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", str(size)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"size {size} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_size(size: int, repeat: int, budget: float) -> dict[str, Any]:
    """The best of up to ``repeat`` fresh runs (while they took under ``budget`` s)."""
    runs = [run_once(size)]
    while len(runs) < repeat and sum(r["seconds"] for r in runs) < budget:
        runs.append(run_once(size))
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["rss_peak_mb"] = max(r["rss_peak_mb"] for r in runs)
    best["span_problems"] = max(r["span_problems"] for r in runs)
    best["runs"] = len(runs)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"sizes ({DEFAULT_SIZES})")
    parser.add_argument("--repeat", type=int, default=3, help="most runs of a size (best counts)")
    parser.add_argument(
        "--budget", type=float, default=40.0, help="run a size again while its runs took < S"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a bar fails")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return 0

    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    source = f"{EXAMPLE.name} + {QUOTES.name}" if QUOTES.exists() else f"{EXAMPLE.name} repeated"
    print(f"texts: {source}; published {PUBLISHED}; a fresh process per run")
    print(
        f"{'size':>9} {'chars':>9} {'time s':>8} {'ms/1k':>7} {'peak MB':>8} {'load MB':>8}"
        f" {'runs':>4}"
    )
    results = []
    for size in sizes:
        r = run_size(size, args.repeat, args.budget)
        results.append(r)
        per_k = 1000 * r["seconds"] / r["chars"] * 1000
        print(
            f"{size:>9,} {r['chars']:>9,} {r['seconds']:>8.2f} {per_k:>7.1f}"
            f" {r['rss_peak_mb']:>8.0f} {r['rss_loaded_mb']:>8.0f} {r['runs']:>4}"
            + (f"  {r['span_problems']} SPAN PROBLEMS" if r["span_problems"] else ""),
            flush=True,
        )
    failed = any(r["span_problems"] for r in results)
    per_char = [r["seconds"] / r["chars"] for r in results]
    if len(results) > 1:
        spread = max(per_char) / min(per_char)
        ok = spread <= MAX_SPREAD
        failed |= not ok
        print(
            f"largest/smallest time per character: {spread:.2f}"
            f" (target <= {MAX_SPREAD}){'' if ok else '  FAIL'}"
        )
    by_size = {r["size"]: r for r in results}
    if 50_000 in by_size and 200_000 in by_size:
        ratio = by_size[200_000]["seconds"] / by_size[50_000]["seconds"]
        ok = ratio <= MAX_200K_50K
        failed |= not ok
        print(
            f"time(200k)/time(50k): {ratio:.2f} (bar <= {MAX_200K_50K}; linear 4)"
            + ("" if ok else "  FAIL")
        )
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
