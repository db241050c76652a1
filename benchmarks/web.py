"""Serving: the pages of a store of 1,000 analysed articles, server time each.

Builds a DuckDB store of ``--articles`` analysed articles (or reuses ``--db`` when it
already holds them): the news texts of ../shared/data, cycled and each given a distinct
closing line so every article has its own id and a publication day of its own. Then it
calls the ASGI app (``newsgraph.web.app.create_app``) in this process through
``fastapi.testclient.TestClient`` and times every request: every page of the home list
(``/``, ``/?page=N``), ``--samples`` random article pages, and (no bar, for the record)
entity pages of the most mentioned knowledge-base entities, and the analyst's workspace:
the events explorer (unfiltered, later pages, each event type, the most active actors,
each outlet, a country, a date range) and the network view (unfiltered, each type, each
actor), then, for the record, the other explorers and views (claims, flags, quotes,
timeline, map, stories) and the events CSV export. The first request of each kind warms
templates and caches and is shown apart (it counts for the bar too). The bars: every
home, article, events-explorer and network request under 300 ms.

The store is placed in the corpus (duplicates, stories) once after it is built, as
``newsgraph ingest`` does.

    .venv/bin/python benchmarks/web.py                      # builds a store in a temp dir
    .venv/bin/python benchmarks/web.py --db /tmp/web1k.duckdb   # build once, then reuse
    .venv/bin/python benchmarks/web.py --check              # exit 1 above the bar
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args
from urllib.parse import quote

from _data import DATA, news_texts

if TYPE_CHECKING:
    from newsgraph.report import Article

#: Server time allowed for one home or article page request.
BAR_MS = 300.0
#: The store's size the bar is about.
ARTICLES = 1000
OUTLETS = ("Baltic Wire", "Harbour Gazette", "Northern Ledger", "Plains Courier")
FIRST_DAY = date(2024, 1, 1)


def articles(texts: list[str], n: int) -> Iterator[Article]:
    """``n`` distinct articles: the texts cycled, each with its own closing update line."""
    from newsgraph.api import to_article

    for i in range(n):
        text = texts[i % len(texts)].rstrip()
        day = FIRST_DAY + timedelta(days=i % 700)
        text += f"\n\nUpdate {i + 1}: this report was revised on {day:%B} {day.day}, {day.year}."
        yield to_article(text, published=day.isoformat(), outlet=OUTLETS[i % len(OUTLETS)])


def build(db: Path, n: int, processes: int) -> None:
    """Analyse and store ``n`` articles into ``db`` (what ``newsgraph ingest`` does)."""
    from newsgraph.engines.local import analyze_many
    from newsgraph.store import Store

    texts = news_texts()
    started = time.perf_counter()
    stored = 0
    with Store.open(db) as store:
        batch = []
        for report in analyze_many(articles(texts, n), processes=processes):
            batch.append((report, "benchmarks/web.py", None))
            if len(batch) >= 100:
                stored += store.add_many(batch)
                batch.clear()
                print(f"  stored {stored}/{n}", file=sys.stderr, end="\r")
        stored += store.add_many(batch)
    secs = time.perf_counter() - started
    print(f"built: {stored} articles analysed and stored in {secs:.0f}s -> {db}", file=sys.stderr)


def place_in_corpus(db: Path) -> None:
    """Place every stored article in the corpus (stories, duplicates) when not yet done."""
    from newsgraph.corpus import update_corpus
    from newsgraph.store import Store

    with Store.open(db) as store:
        placed = store.sql("SELECT count(*) FROM corpus_articles")[0][0]
        total = store.sql("SELECT count(*) FROM articles")[0][0]
        if placed < total:
            started = time.perf_counter()
            update_corpus(store)
            secs = time.perf_counter() - started
            print(f"placed {total - placed} articles in the corpus in {secs:.0f}s", file=sys.stderr)


def store_facts(db: Path) -> tuple[int, list[str], list[str]]:
    """Article count, every article id, and the 20 most mentioned KB ids."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        count = con.execute("SELECT count(*) FROM articles").fetchone()
        ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
        kb = con.execute(
            "SELECT kb_id FROM entities WHERE kb_id IS NOT NULL "
            "GROUP BY kb_id ORDER BY count(*) DESC, kb_id LIMIT 20"
        ).fetchall()
    finally:
        con.close()
    return int(count[0]) if count else 0, ids, [r[0] for r in kb]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="store to build (when short of articles) or reuse")
    parser.add_argument("--articles", type=int, default=ARTICLES, help="articles in the store")
    parser.add_argument("--samples", type=int, default=50, help="random article pages to time")
    parser.add_argument("--processes", type=int, default=1, help="analysis worker processes")
    parser.add_argument("--seed", type=int, default=8, help="random seed for the sampled pages")
    parser.add_argument("--check", action="store_true", help="exit 1 when over the bar")
    args = parser.parse_args()

    if not news_texts(1):
        print(f"skipped: no development data under {DATA}")
        return 0

    with tempfile.TemporaryDirectory(prefix="newsgraph-web-") as tmp:
        db = args.db or Path(tmp) / "web.duckdb"
        have = store_facts(db)[0] if db.exists() else 0
        if have < args.articles:
            build(db, args.articles, args.processes)
        place_in_corpus(db)
        count, ids, kb_ids = store_facts(db)
        return measure(db, count, ids, kb_ids, args)


def measure(
    db: Path, count: int, ids: list[str], kb_ids: list[str], args: argparse.Namespace
) -> int:
    with warnings.catch_warnings():  # starlette's note on httpx: not ours to act on
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from newsgraph.web import pages
    from newsgraph.web.app import create_app

    rng = random.Random(args.seed)
    size = int(getattr(pages, "PAGE_SIZE", 50))
    home = ["/"] + [f"/?page={n}" for n in range(2, -(-count // size) + 1)]
    article = [f"/articles/{i}" for i in rng.sample(ids, min(args.samples, len(ids)))]
    entity = [f"/entities/{quote(k, safe='')}" for k in kb_ids]

    started = time.perf_counter()
    app = create_app(db)
    with TestClient(app, base_url="http://127.0.0.1") as client:  # a loopback Host
        startup = time.perf_counter() - started

        def timed(paths: list[str]) -> tuple[float, list[float]]:
            times: list[float] = []
            for path in paths:
                t0 = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"GET {path}: HTTP {response.status_code}")
            return times[0], times[1:] or times

        rows = [
            ("home /?page=N", True, *timed(home)),
            ("article /articles/<id>", True, *timed(article)),
        ]
        if entity:
            rows.append(("entity /entities/<kb_id>", False, *timed(entity)))
        explorer, network = workspace_paths(client, kb_ids)
        rows.append(("events explorer /events", True, *timed(explorer)))
        rows.append(("network /network", True, *timed(network)))
        for name, paths in (
            ("claims /claims", ["/claims", "/claims?page=5", "/claims?status=corroborated"]),
            ("flags /flags", ["/flags", "/flags?severity=warning", "/flags?page=3"]),
            ("quotes /quotes", ["/quotes", "/quotes?source_kind=anonymous_person"]),
            ("timeline /timeline", ["/timeline", "/timeline?unit=week", "/timeline?type=ASSAULT"]),
            ("map /map", ["/map", "/map?zoom=world"]),
            ("stories /stories", ["/stories", "/stories?page=2"]),
            ("/api/events?format=csv", ["/api/events?format=csv", "/api/events?format=csv"]),
        ):
            rows.append((name, False, *timed(paths)))

    print(f"store: {count:,} analysed articles ({db.stat().st_size / 2**20:.0f} MiB) at {db}")
    print(f"server time in-process (ASGI app via TestClient); app start {startup * 1000:.0f} ms")
    print(f"{'page':26s} {'n':>4s} {'first':>8s} {'p50':>8s} {'p95':>8s} {'max':>8s}  bar")
    over = False
    for name, gated, first, times in rows:
        worst = max(times)
        verdict = "-"
        if gated:
            ok = worst < BAR_MS and first < BAR_MS
            over |= not ok
            verdict = f"< {BAR_MS:.0f} ms {'pass' if ok else 'FAIL'}"
        print(
            f"{name:26s} {len(times) + 1:4d} {first:6.1f}ms {statistics.median(times):6.1f}ms"
            f" {percentile(times, 0.95):6.1f}ms {worst:6.1f}ms  {verdict}"
        )
    print(
        f"bar: every home, article, events-explorer and network page under {BAR_MS:.0f} ms: "
        f"{'FAIL' if over else 'pass'}"
    )
    return 1 if over and args.check else 0


def workspace_paths(client: Any, kb_ids: list[str]) -> tuple[list[str], list[str]]:
    """The events-explorer and network requests timed: unfiltered, later pages, each
    event type, the ten most active actors, each outlet, a country and a date range."""
    from newsgraph.report import EventType

    page = client.get("/api/events?limit=1").json()
    facets = {k: [v["value"] for v in vs] for k, vs in page["facets"].items()}
    pages = max(1, -(-int(page["total"]) // 50))
    types = list(get_args(EventType))
    actors = kb_ids[:10]
    explorer = ["/events", *(f"/events?page={n}" for n in (2, pages // 2, pages) if n > 1)]
    explorer += [f"/events?type={t}" for t in types]
    explorer += [f"/events?actor={quote(a)}" for a in actors]
    explorer += [f"/events?outlet={quote(o)}" for o in facets.get("outlet", [])]
    explorer += [f"/events?country={c}" for c in facets.get("country", [])[:3]]
    explorer += ["/events?since=2024-03-01&until=2024-06-30", "/events?q=president&sort=oldest"]
    network = ["/network", *(f"/network?type={t}" for t in types)]
    network += [f"/network?actor={quote(a)}" for a in actors]
    return explorer, network


if __name__ == "__main__":
    sys.exit(main())
