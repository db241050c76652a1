"""Actor timelines: ``actor_timeline`` over a store of 10,000 articles (bar: under 200 ms).

The store is built fast. ``--base`` real news documents (a seeded sample of the
document sets in ../shared/data with at least 80 words) are analysed once with
``analyze_many``. The store then holds ``--articles`` clones of their reports, each a
different article:

- 70% of the words outside short spans (up to 40 characters: entity mentions, timexes,
  quote cues and speakers, event triggers) are replaced by random corpus words of the
  same length. Every offset stays valid (the spans' texts are read again from the new
  text), and two clones of one report share about 6% of their word 5-grams (under 15%
  in a trial), so the corpus layer has no reason to take them for duplicates;
- (``--clones copies``: the base's text with " [copy k]" appended instead, so the
  clones of one report are near-duplicates and a timeline counts them once);
- the Article is rebuilt, so its id is the sha256 of the new text;
- the publication day is drawn from 2015-2025, so the timelines span years, and the
  outlet from a list of 20.

Entities (with their kb ids), quotes, events and claims are those of the analysed report.
Then ``update_corpus(store)`` places them all (timed, in articles/s; progress on stderr), and
``actor_timeline(store, key)`` (its first page of 200 items in time order, with the total:
what ``newsgraph actor`` and ``/api/actors/{id}`` serve) is timed ``--repeat`` times for
each of several actors, and every item at once for scale:
the most frequent knowledge-base actor and the most frequent person (by QID and by
name), a rare actor that is quoted (by QID), and the most frequent person without a kb
id (by name). It prints the items and the median and maximum in ms. ``--check`` exits 1
when a median is 200 ms or more.

    .venv/bin/python benchmarks/actor_timeline.py [--articles N] [--base B] [--repeat R]
    .venv/bin/python benchmarks/actor_timeline.py --articles 2000 --clones copies
    .venv/bin/python benchmarks/actor_timeline.py --check --keep /tmp/timeline.duckdb
    # again with the same --keep: the store is reused (articles not yet placed are placed)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _data import DATA, documents
from _data import DOCUMENT_SETS as SETS
from newsgraph import analyze_many
from newsgraph.report import Article, Report
from newsgraph.store import Store

OUTLETS = (
    "Associated Press",
    "Reuters",
    "AFP",
    "BBC News",
    "Al Jazeera",
    "The Guardian",
    "New York Times",
    "Washington Post",
    "Le Monde",
    "Der Spiegel",
    "Hurriyet Daily News",
    "Kyiv Independent",
    "Times of India",
    "South China Morning Post",
    "The Times",
    "Politico",
    "Bloomberg",
    "CNN",
    "Yahoo News",
    "Deutsche Welle",
)
FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2025, 12, 31)
#: spans up to this long keep their words (entity mentions, timexes, cues, triggers)
PROTECTED = 40
REPLACE_SHARE = 0.7
#: bar for --check
MAX_MEDIAN_MS = 200.0

_WORD = re.compile(r"[A-Za-z]{3,}")


def spans_in(node: Any) -> Iterator[dict[str, Any]]:
    """Every span (a dict with ``start``, ``end`` and ``text``) in a report's dict."""
    if isinstance(node, dict):
        start, end, text = node.get("start"), node.get("end"), node.get("text")
        if isinstance(start, int) and isinstance(end, int) and isinstance(text, str):
            yield node
        for value in node.values():
            yield from spans_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from spans_in(value)


@dataclass
class Base:
    """An analysed report, ready to clone: its JSON and the words that may change."""

    report: Report
    json: str
    #: (start, end) of each word outside the protected spans
    words: list[tuple[int, int]]


def prepare(report: Report) -> Base:
    d = report.to_dict()
    text = report.article.text
    protected = [(s["start"], s["end"]) for s in spans_in(d) if s["end"] - s["start"] <= PROTECTED]
    covered = bytearray(len(text) + 1)
    for start, end in protected:
        covered[start:end] = b"\x01" * (end - start)
    words = [
        (m.start(), m.end()) for m in _WORD.finditer(text) if not any(covered[m.start() : m.end()])
    ]
    return Base(report, json.dumps(d), words)


def vocabulary(texts: Sequence[str]) -> dict[int, list[str]]:
    """The corpus words by length (lower case)."""
    by_len: dict[int, set[str]] = defaultdict(set)
    for text in texts:
        for w in _WORD.findall(text):
            by_len[len(w)].add(w.lower())
    return {n: sorted(ws) for n, ws in by_len.items()}


def clone(
    base: Base, k: int, vocab: dict[int, list[str]], rng: random.Random, *, copy: bool = False
) -> Report:
    """Clone ``k`` of a report (a different text, id, day and outlet).
    With ``copy`` the text is the base's with `` [copy k]`` appended: a near-duplicate."""
    d = json.loads(base.json)
    text = base.report.article.text
    pieces: list[str] = []
    last = 0
    for start, end in [] if copy else base.words:
        if rng.random() >= REPLACE_SHARE:
            continue
        word = rng.choice(vocab[end - start])
        old = text[start:end]
        if old[0].isupper():
            word = word.upper() if old.isupper() else word[0].upper() + word[1:]
        pieces += [text[last:start], word]
        last = end
    pieces.append(text[last:])
    new = "".join(pieces) + (f" [copy {k}]" if copy else "")
    for span in spans_in(d):
        span["text"] = new[span["start"] : span["end"]]
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    art = d["article"]
    d["article"] = Article(
        text=new,
        title=art.get("title"),
        url=None,
        outlet=rng.choice(OUTLETS),
        published=day.isoformat(),
        published_source="given",
    ).to_dict()
    return Report.from_dict(d)


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def base_articles(count: int, rng: random.Random) -> list[Article]:
    records = [r for _, r in documents(SETS, 80)]
    seen: set[str] = set()
    unique = []
    for r in records:
        if r["text"] not in seen:
            seen.add(r["text"])
            unique.append(r)
    chosen = rng.sample(unique, min(count, len(unique)))
    return [
        Article(
            text=r["text"],
            title=r.get("title") if isinstance(r.get("title"), str) else None,
            outlet=r.get("outlet") if isinstance(r.get("outlet"), str) else None,
            published=r.get("published") or None,
            published_source="given" if r.get("published") else None,
        )
        for r in chosen
    ]


def pick_actors(store: Store) -> list[tuple[str, str, int]]:
    """(key, what it is, articles naming it) of the actors to time, from the stored
    entities: the most frequent QID and person QID (each also by its name), the rarest
    QID quoted somewhere, and the most frequent person name (two words or more) without
    a kb id."""
    qid = "regexp_full_match(kb_id, 'Q[0-9]+')"
    by_qid = (
        "SELECT kb_id, count(DISTINCT article_id) AS n, mode(name) FROM entities"
        " WHERE {} GROUP BY kb_id ORDER BY n {}, kb_id LIMIT 1"
    )
    top = store.sql(by_qid.format(qid, "DESC"))
    person = store.sql(by_qid.format(qid + " AND type = 'PERSON'", "DESC"))
    speaks = (
        " AND EXISTS (SELECT 1 FROM quotes q WHERE q.article_id = entities.article_id"
        " AND q.speaker_entity = entities.entity_id)"
    )
    rare = store.sql(by_qid.format(qid + speaks, "ASC")) or store.sql(by_qid.format(qid, "ASC"))
    unlinked = store.sql(
        "SELECT name, count(DISTINCT article_id) AS n FROM entities WHERE kb_id IS NULL"
        " AND type = 'PERSON' AND name LIKE '% %' GROUP BY name ORDER BY n DESC, name LIMIT 1"
    )
    keys: list[tuple[str, str, int]] = []
    for rows, what in ((top, "most frequent actor"), (person, "most frequent person")):
        for kb_id, n, name in rows:
            keys += [(kb_id, what, n), (name, f"its name ({kb_id})", n)]
    for kb_id, n, name in rare:
        keys.append((kb_id, f"a rare actor ({name})", n))
    for name, n in unlinked:
        keys.append((name, "most frequent person without a kb id", n))
    unique: dict[str, tuple[str, str, int]] = {}
    for key in keys:
        unique.setdefault(key[0], key)
    return list(unique.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles stored (10000)")
    parser.add_argument("--base", type=int, default=300, help="real documents analysed (300)")
    parser.add_argument("--repeat", type=int, default=5, help="timings per actor (5)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (7)")
    parser.add_argument("-j", "--processes", type=int, default=1, help="analysis processes")
    parser.add_argument(
        "--clones", choices=("distinct", "copies"), default="distinct", help="clone texts"
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="build the store in DB and keep it (or reuse it)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a median is >= 200 ms")
    args = parser.parse_args()

    if not any((DATA / name).exists() for name in SETS):
        print(f"skipped: no development data under {DATA}")
        return 0
    from newsgraph.corpus import actor_timeline, update_corpus

    reuse = args.keep is not None and args.keep.exists()
    rng = random.Random(args.seed)
    bases: list[Base] = []
    vocab: dict[int, list[str]] = {}
    if not reuse:
        articles = base_articles(args.base, rng)
        took, reports = timed(lambda: list(analyze_many(articles, processes=args.processes)))
        bases = [prepare(r) for r in reports]
        words = sum(len(a.text.split()) for a in articles)
        print(
            f"base: {len(bases)} documents ({words:,} words) analysed in {took:.1f}s"
            f" ({len(bases) / took:.1f} articles/s);"
            f" {sum(len(r.entities) for r in reports):,} entities,"
            f" {sum(len(r.quotes) for r in reports):,} quotes,"
            f" {sum(len(r.events) for r in reports):,} events"
        )
        vocab = vocabulary([a.text for a in articles])
    problems = 0

    def items() -> Iterator[tuple[Report, str | None, str | None]]:
        nonlocal problems
        seen: set[str] = set()
        for k in range(args.articles):
            i = k % len(bases)
            report = clone(bases[i], k, vocab, rng, copy=args.clones == "copies")
            if report.article.id in seen:
                continue
            seen.add(report.article.id)
            problems += bool(report.span_problems())
            yield report, f"clone {k} of base {i}", None

    start = 0.0
    shown = [0]

    def progress(done: int, total: int) -> None:
        if done - shown[0] >= total / 20 or done == total:
            shown[0] = done
            secs = time.perf_counter() - start
            print(f"  update_corpus {done:,}/{total:,} ({secs:.0f}s)", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="ng-timeline-") as tmp:
        path = args.keep or Path(tmp) / "timeline.duckdb"
        with Store.open(path) as store:
            if reuse:
                print(f"store: {path} reused, {store.count():,} articles (nothing added)")
            else:
                took, added = timed(store.add_many, items())
                print(
                    f"store: {added:,} clones ({args.clones}) stored in {took:.1f}s"
                    f" ({added / took:.0f} articles/s), days {FIRST_DAY}..{LAST_DAY}"
                    + (f"; {problems} WITH SPAN PROBLEMS" if problems else "")
                )
            start = time.perf_counter()
            took, done = timed(update_corpus, store, progress=progress)
            print(
                f"update_corpus: {done.placed:,} articles placed in {took:.1f}s"
                f" ({done.placed / max(took, 1e-9):.1f} articles/s); "
                + ", ".join(f"{k} {v:,}" for k, v in asdict(done).items() if k != "placed")
            )
            failed = bool(problems)
            print(f"actor_timeline ({args.repeat} runs each):")
            print(
                "  (the timeline as the CLI and the API serve it: the first page of "
                "200 items in time order, with the total; and, for scale, every item at once)"
            )
            for key, what, naming in pick_actors(store):
                times, result = [], None
                for _ in range(args.repeat):
                    secs, result = timed(actor_timeline, store, key)
                    times.append(1000 * secs)
                whole = [1000 * timed(actor_timeline, store, key, limit=None)[0] for _ in range(2)]
                median = statistics.median(times)
                ok = median < MAX_MEDIAN_MS
                failed |= not ok
                n = result.total if result is not None else 0
                print(
                    f"  {key!r:28} {what:42} ~{naming:>5,} articles {n:>6,} items"
                    f"  page p50 {median:7.1f} ms  max {max(times):7.1f} ms"
                    f"  (all items: {min(whole):7.1f} ms)" + ("" if ok else "  FAIL")
                )
        if args.keep:
            print(f"kept: {path}")
    print(f"bar: every median < {MAX_MEDIAN_MS:.0f} ms{'  FAIL' if failed else ''}")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
