"""False alarms: flags raised on clean, edited news, where there should be (almost) none.

Every document of the MEANTIME (Wikinews) and TimeBank (1990s newswire) sets is
analysed with its own publication date; every flag counts, from every check. The bar:
at most one error-severity flag per 10 documents on each set. Warnings and notes are
counted and shown but not held to the bar (loaded words and long sentences are the
writer's choice, not a defect).

    .venv/bin/python benchmarks/flags.py            # counts, rates, and every error flag
    .venv/bin/python benchmarks/flags.py --check    # also exit 1 when a set is over the bar
    .venv/bin/python benchmarks/flags.py --json     # machine-readable figures
    .venv/bin/python benchmarks/flags.py --show LOADED_LANGUAGE   # list flags of a code too
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

from _data import DATA, SHARED
from _eval import load_gold
from newsgraph.engines.local import analyze_many
from newsgraph.report import Article, Report

#: Clean news sets the bar applies to.
SETS = ("meantime-apple.jsonl", "timebank-train.jsonl")
#: At most this many error-severity flags per 10 documents.
BAR_ERRORS_PER_10_DOCS = 1.0


def false_alarm_figures(docs: list[dict[str, Any]], reports: list[Report]) -> dict[str, Any]:
    """The false-alarm figures of reports on clean news.

    ``error_flags`` and ``errors_per_10_docs`` (the bar), ``docs``, counts ``by_code``,
    ``by_severity`` and ``by_code_severity`` ("CODE/severity"), and ``errors``: every
    error flag with its document id, code, message, evidence texts and origin."""
    errors = []
    by_code: Counter[str] = Counter()
    by_code_severity: Counter[str] = Counter()
    by_severity: Counter[str] = Counter()
    for doc, report in zip(docs, reports, strict=True):
        for flag in report.flags:
            by_code[flag.code] += 1
            by_code_severity[f"{flag.code}/{flag.severity}"] += 1
            by_severity[flag.severity] += 1
            if flag.severity == "error":
                errors.append(
                    {
                        "doc": doc.get("id", report.article.id),
                        "code": flag.code,
                        "message": flag.message,
                        "evidence": [s.text for s in flag.evidence],
                        "origin": flag.origin,
                    }
                )
    n = len(docs)
    return {
        "docs": n,
        "error_flags": len(errors),
        "errors_per_10_docs": round(10 * len(errors) / n, 3) if n else 0.0,
        "by_severity": dict(sorted(by_severity.items())),
        "by_code": dict(sorted(by_code.items())),
        "by_code_severity": dict(sorted(by_code_severity.items())),
        "errors": errors,
    }


def analyse(docs: list[dict[str, Any]]) -> list[Report]:
    articles = [Article(text=d["text"], published=d.get("published")) for d in docs]
    return list(analyze_many(articles))


def _print(name: str, fig: dict[str, Any], shown: list[tuple[str, str, Any]]) -> None:
    rate = fig["errors_per_10_docs"]
    verdict = "ok" if rate <= BAR_ERRORS_PER_10_DOCS else "OVER THE BAR"
    print(f"\n{name}: {fig['docs']} documents")
    print(
        f"  error flags: {fig['error_flags']} = {rate:.2f} per 10 documents "
        f"(bar {BAR_ERRORS_PER_10_DOCS:g}): {verdict}"
    )
    sev = ", ".join(f"{k} {v}" for k, v in fig["by_severity"].items()) or "none"
    print(f"  all flags by severity: {sev}")
    for code, count in sorted(fig["by_code_severity"].items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"    {count:5d}  {code}")
    for e in fig["errors"]:
        evidence = " | ".join(repr(x) for x in e["evidence"][:5])
        print(f"  ERROR {e['doc']} {e['code']}: {e['message']}\n        evidence: {evidence}")
    for doc_id, code, flag in shown:
        evidence = " | ".join(repr(s.text) for s in flag.evidence[:5])
        print(f"  {flag.severity} {doc_id} {code}: {flag.message}\n        evidence: {evidence}")


def main() -> int:
    parser = argparse.ArgumentParser(description="flags raised on clean news (false alarms)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a set is over the bar")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--limit", type=int, default=None, help="first N documents of each set")
    parser.add_argument(
        "--show", action="append", default=[], metavar="CODE", help="also list flags of CODE"
    )
    args = parser.parse_args()
    if not all((DATA / name).exists() for name in SETS):
        print(f"skipped: {SHARED} (data) not found")
        return 0
    out: dict[str, dict[str, Any]] = {}
    failures = []
    for name in SETS:
        docs = load_gold(name)[: args.limit]
        reports = analyse(docs)
        fig = false_alarm_figures(docs, reports)
        out[name] = fig
        if fig["errors_per_10_docs"] > BAR_ERRORS_PER_10_DOCS:
            failures.append(name)
        if not args.json:
            shown = [
                (d["id"], f.code, f)
                for d, r in zip(docs, reports, strict=True)
                for f in r.flags
                if f.code in args.show
            ]
            _print(name, fig, shown)
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    elif failures:
        print(f"\nover the bar: {', '.join(failures)}")
    return 1 if args.check and failures else 0


if __name__ == "__main__":
    sys.exit(main())
