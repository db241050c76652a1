"""Quotes: textacy's ``direct_quotations`` vs newsgraph on the attribution sets, one run.

Two gold sets, each scored with ``../shared/eval/score.py quotes``:

- ``wikinews``: quotes-wikinews.jsonl (Wikinews articles, direct and indirect quotes);
- ``polnear-dev``: the dev compartment of quotes-polnear.jsonl (PolNeAR: US political
  news of 2016, every attribution of a statement, belief or intention).

For each it prints quote F1 at 30% content overlap, speaker and cue accuracy (on
matched quotes), direct recall (gold quotes opening with a quotation mark that are
found) and the token-level macro F1, for textacy and newsgraph, and the ratio.
textacy runs on the same loaded en_core_web_sm pipeline (without newsgraph's
components); it finds direct quotes only. Needs the bench extra:
``pip install -e '.[bench]'``.

    .venv/bin/python benchmarks/quotes.py [--set wikinews|polnear-dev] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from _data import DATA, polnear_dev
from _eval import available, figures, load_gold, ours, score, write_jsonl
from newsgraph.api import pipeline
from newsgraph.pipeline import COMPONENTS
from newsgraph.report import Article, Quote, Report, Span

MARKS = "\"'“”‘’«»"
#: set name -> (gold file, which of its records)
SETS: dict[str, tuple[str, Callable[[dict[str, Any]], bool]]] = {
    "wikinews": ("quotes-wikinews.jsonl", lambda d: True),
    "polnear-dev": ("quotes-polnear.jsonl", polnear_dev),
}


def gold_docs(name: str, limit: int | None = None) -> list[dict[str, Any]]:
    """The gold records of set ``name`` (the first ``limit``); [] when its file is absent."""
    file, keep = SETS[name]
    if not (DATA / file).exists():
        return []
    docs = [d for d in load_gold(file) if keep(d)]
    return docs[:limit] if limit else docs


def textacy_reports(docs: list[dict[str, Any]], bailed: list[str]) -> list[Report]:
    from textacy.extract.triples import direct_quotations

    nlp = pipeline()
    reports = []
    with nlp.select_pipes(disable=list(COMPONENTS)):
        for d, doc in zip(docs, nlp.pipe(d["text"] for d in docs), strict=True):
            text = d["text"]
            quotes = []
            try:
                triples = list(direct_quotations(doc))
            except ValueError:  # textacy bails out on unbalanced quotation marks
                triples = []
                bailed.append(d["id"])
            for i, (speaker, cue, content) in enumerate(triples, start=1):
                s, e = content.start_char, content.end_char
                while s < e and text[s] in MARKS + " ":
                    s += 1
                while e > s and text[e - 1] in MARKS + " ":
                    e -= 1
                spk = (
                    (min(t.idx for t in speaker), max(t.idx + len(t) for t in speaker))
                    if speaker
                    else None
                )
                cu = (min(t.idx for t in cue), max(t.idx + len(t) for t in cue)) if cue else None
                quotes.append(
                    Quote(
                        id=f"q{i}",
                        kind="direct",
                        content=Span.of(text, s, e),
                        cue=Span.of(text, *cu) if cu else None,
                        speaker=Span.of(text, *spk) if spk else None,
                        speaker_entity=None,
                        source_kind="unattributed",
                    )
                )
            reports.append(Report(article=Article(text=text), quotes=quotes))
    return reports


def measure(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """newsgraph's and textacy's figures on ``docs`` (scored against exactly these)."""
    gold = write_jsonl(docs)
    bailed: list[str] = []
    try:
        mine = figures("quotes", score("quotes", gold, ours(docs)))
        base = figures("quotes", score("quotes", gold, textacy_reports(docs, bailed)))
    finally:
        gold.unlink()
    return {"docs": len(docs), "textacy_bailed": len(bailed), "newsgraph": mine, "textacy": base}


def main() -> int:
    parser = argparse.ArgumentParser(description="quotes: textacy vs newsgraph")
    parser.add_argument("--set", choices=sorted(SETS), action="append", help="(default: all)")
    parser.add_argument("--limit", type=int, default=None, help="at most N articles a set")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not available():
        print(f"skipped: {DATA} or the scorer not found")
        return 0
    try:
        import textacy  # noqa: F401
    except ImportError:
        print("textacy is not installed: pip install -e '.[bench]'")
        return 1
    out: dict[str, Any] = {}
    for name in args.set or list(SETS):
        docs = gold_docs(name, args.limit)
        if not docs:
            print(f"skipped {name}: {SETS[name][0]} not found under {DATA}")
            continue
        out[name] = measure(docs)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    for name, row in out.items():
        mine, base = row["newsgraph"], row["textacy"]
        print(
            f"\n{name}: {row['docs']} articles; textacy bailed out on "
            f"{row['textacy_bailed']} (unbalanced marks)"
        )
        print(f"{'metric':20s} {'textacy':>9s} {'newsgraph':>10s} {'ratio':>7s}")
        for key in mine:
            ratio = f"{mine[key] / base[key]:7.2f}" if base[key] else f"{'-':>7s}"
            print(f"{key:20s} {base[key]:9.3f} {mine[key]:10.3f} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
