"""Quotes: textacy's ``direct_quotations`` vs newsgraph on quotes-wikinews.jsonl, one run.

Both are scored with ``../shared/eval/score.py quotes``: quote F1 at 30% content
overlap, speaker and cue accuracy, and token-level scores. textacy runs on the same
loaded en_core_web_sm pipeline (without newsgraph's components). Needs the bench
extra: ``pip install -e '.[bench]'``.

    .venv/bin/python benchmarks/quotes.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from _data import DATA
from _eval import available, figures, load_gold, ours, score
from newsgraph.api import pipeline
from newsgraph.pipeline import COMPONENTS
from newsgraph.report import Article, Quote, Report, Span

GOLD = "quotes-wikinews.jsonl"
MARKS = "\"'“”‘’«»"
BAILED: list[str] = []


def textacy_reports(docs: list[dict[str, Any]]) -> list[Report]:
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
                BAILED.append(d["id"])
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


def main() -> int:
    parser = argparse.ArgumentParser(description="quotes: textacy vs newsgraph")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not available() or not (DATA / GOLD).exists():
        print(f"skipped: {DATA / GOLD} or the scorer not found")
        return 0
    try:
        import textacy  # noqa: F401
    except ImportError:
        print("textacy is not installed: pip install -e '.[bench]'")
        return 1
    docs = load_gold(GOLD)
    gold = DATA / GOLD
    mine = figures("quotes", score("quotes", gold, ours(docs)))
    base = figures("quotes", score("quotes", gold, textacy_reports(docs)))
    if args.json:
        print(json.dumps({"newsgraph": mine, "textacy": base}, indent=2))
        return 0
    print(f"{len(docs)} articles; textacy bailed out on {len(BAILED)} (unbalanced marks)")
    print(f"{'metric':20s} {'textacy':>9s} {'newsgraph':>10s} {'gain (pts)':>10s}")
    for key in mine:
        print(
            f"{key:20s} {base[key]:9.3f} {mine[key]:10.3f} {100 * (mine[key] - base[key]):+10.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
