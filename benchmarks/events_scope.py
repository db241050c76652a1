"""PLOVER events on news with no political interaction: how many the event layer codes.

PLOVER codes political interaction. Business and finance news has almost none, yet its
verbs look like events ("Apple agreed to buy Beats", "fighting pancreatic cancer",
"shares fell"): every event coded there is a false positive or nearly so. This prints
the events coded on the non-political dev texts, MEANTIME's Apple business news
(``meantime-apple.jsonl``) and TimeBank's Wall Street Journal finance stories (the
``wsj_`` files of ``timebank-train.jsonl``), with the scope rules of
``newsgraph.events.scope`` (illness, sport, companies, domestic procurement) and, in the
same run, without them; and it lists the events the rules drop and those left. The bar:
the count is printed and falls.

    .venv/bin/python benchmarks/events_scope.py [--limit N] [--show 30] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from _data import documents
from newsgraph import analyze_many
from newsgraph.events import component
from newsgraph.report import Article, Event, Report

SETS = ("meantime-apple.jsonl", "timebank-train.jsonl")


def non_political(limit: int | None) -> list[dict[str, Any]]:
    """MEANTIME Apple documents and TimeBank's WSJ stories."""
    out = []
    for name, record in documents(SETS, min_words=40):
        if name.startswith("timebank") and "wsj_" not in str(record.get("id", "")):
            continue
        out.append(record)
    return out[:limit] if limit else out


@contextmanager
def without_scope_rules() -> Iterator[None]:
    """The event component as it was before the scope rules: every candidate kept."""
    saved = (component.acts_on_illness, component.in_competition, component.political)
    component.acts_on_illness = lambda tok: False  # type: ignore[assignment]
    component.in_competition = lambda tok: False  # type: ignore[assignment]
    component.political = lambda *args: True  # type: ignore[assignment]
    try:
        yield
    finally:
        component.acts_on_illness, component.in_competition, component.political = saved


def run(docs: list[dict[str, Any]]) -> list[Report]:
    articles = [Article(text=d["text"], published=d.get("published")) for d in docs]
    return list(analyze_many(articles))


def describe(report: Report, event: Event) -> str:
    names = {e.id: e.name for e in report.entities}
    src = names.get(event.source or "", "-")
    tgt = names.get(event.target or "", "-")
    return (
        f"{event.type:<9} {src} ({event.source_code or '-'}) -> {tgt} "
        f"({event.target_code or '-'}) [{event.trigger.text}] "
        f"{' '.join(event.sentence.text.split())[:110]}"
    )


def keys(reports: list[Report]) -> dict[tuple[str, int], tuple[Report, Event]]:
    return {(r.article.id, e.trigger.start): (r, e) for r in reports for e in r.events}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="documents (all)")
    parser.add_argument("--show", type=int, default=30, help="events listed (30)")
    parser.add_argument("--json", action="store_true", help="figures as JSON")
    args = parser.parse_args()
    docs = non_political(args.limit)
    if not docs:
        print("no non-political dev texts under ../shared/data", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with_rules = run(docs)
    with without_scope_rules():
        without = run(docs)
    seconds = time.perf_counter() - started
    kept, before = keys(with_rules), keys(without)
    dropped = [before[k] for k in before if k not in kept]
    figures = {
        "documents": len(docs),
        "events_without_scope_rules": len(before),
        "events": len(kept),
        "per_10_docs_without": round(10 * len(before) / len(docs), 2),
        "per_10_docs": round(10 * len(kept) / len(docs), 2),
        "dropped_by_type": dict(Counter(e.type for _, e in dropped)),
        "left_by_type": dict(Counter(e.type for _, e in kept.values())),
        "seconds": round(seconds, 1),
    }
    if args.json:
        print(json.dumps(figures))
        return 0
    print(
        f"non-political dev texts: {len(docs)} documents (MEANTIME Apple, TimeBank WSJ); "
        f"{seconds:.0f} s for both runs"
    )
    print(
        f"events without the scope rules: {len(before)} ({figures['per_10_docs_without']} "
        f"per 10 documents); with them: {len(kept)} ({figures['per_10_docs']} per 10 "
        f"documents); dropped {len(dropped)}"
    )
    print(f"dropped by type: {figures['dropped_by_type']}")
    print(f"left by type:    {figures['left_by_type']}")
    print(f"\ndropped (first {args.show}):")
    for report, event in dropped[: args.show]:
        print("  " + describe(report, event))
    print(f"\nleft (first {args.show}):")
    for report, event in list(kept.values())[: args.show]:
        print("  " + describe(report, event))
    return 0


if __name__ == "__main__":
    sys.exit(main())
