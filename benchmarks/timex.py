"""Timexes: newsgraph vs a dateparser baseline on a gold set, in one run.

Both are scored with ``../shared/eval/score.py timex`` (TempEval-3: strict and relaxed
span P/R/F1, type and value accuracy on relaxed matches, value F1 = value accuracy x
relaxed F1). The baseline is ``_eval.dateparser_baseline``: every DATE/TIME mention of
bare en_core_web_sm, typed by its spaCy label, its value normalised by dateparser 1.5
against the document's publication date. The bar for newsgraph is value F1 at least 20
points above the baseline's.

    .venv/bin/python benchmarks/timex.py                         # timebank-train.jsonl
    .venv/bin/python benchmarks/timex.py --gold meantime-apple.jsonl
    .venv/bin/python benchmarks/timex.py --limit 30 --errors 10  # first 30 docs, mistakes
    .venv/bin/python benchmarks/timex.py --json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _data import DATA
from _eval import (
    available,
    dateparser_baseline,
    layer_docs,
    ours,
    row_key,
    score,
    spread,
    write_jsonl,
)
from newsgraph.report import Report

BAR_POINTS = 20.0
#: (label, section of the score.py result, key)
ROWS = (
    ("strict precision", "strict", "precision"),
    ("strict recall", "strict", "recall"),
    ("strict F1", "strict", "f1"),
    ("relaxed precision", "relaxed", "precision"),
    ("relaxed recall", "relaxed", "recall"),
    ("relaxed F1", "relaxed", "f1"),
    ("type accuracy", "type", "accuracy"),
    ("value accuracy", "value", "accuracy"),
    ("value F1", "value", "f1"),
)
KINDS = {
    "missed": "gold timexes with no overlapping prediction",
    "spurious": "predictions overlapping no gold timex",
    "wrong_value": "matched, value differs",
    "wrong_type": "matched, type differs",
    "extent": "matched, extent differs (relaxed but not strict)",
}
Bounds = tuple[int, int]


# The matching below mirrors score.py's timex scoring (predicted spans trimmed of
# whitespace, predictions outside a gold `annotated_span` ignored, gold timexes left to right each
# taking the leftmost overlapping prediction not yet taken), so the mistakes listed
# are exactly the ones the scores count.
def _trimmed(text: str, start: int, end: int) -> Bounds | None:
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _overlap(a: Bounds, b: Bounds) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _item(
    doc: dict[str, Any], b: Bounds, gold: dict[str, Any] | None, pred: dict[str, Any] | None
) -> dict[str, Any]:
    """One mistake: where (the span marked [[...]] in a one-line snippet), gold and pred."""
    text = doc["text"]
    lo, hi = max(0, b[0] - 50), min(len(text), b[1] + 50)
    snippet = f"{text[lo : b[0]]}[[{text[b[0] : b[1]]}]]{text[b[1] : hi]}"
    row: dict[str, Any] = {
        "doc": doc.get("id", ""),
        "published": doc.get("published"),
        "snippet": " ".join(snippet.split()),
    }
    if gold is not None:
        row["gold"] = {k: gold[k] for k in ("text", "type", "value")}
    if pred is not None:
        row["pred"] = {k: pred[k] for k in ("text", "type", "value", "origin")}
    return row


def mistakes(docs: list[dict[str, Any]], reports: list[Report]) -> dict[str, list[dict[str, Any]]]:
    """Every mismatch of the reports (one per doc, in order) against the gold, by kind."""
    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for doc, report in zip(docs, reports, strict=True):  # in order, as score.py pairs them
        text = doc["text"]
        region = doc.get("annotated_span")
        gold: list[tuple[Bounds, dict[str, Any]]] = [
            ((t["start"], t["end"]), t) for t in doc.get("timexes", [])
        ]
        pred: list[tuple[Bounds, dict[str, Any]]] = []
        for p in report.timexes:
            b = _trimmed(text, p.start, p.end) if 0 <= p.start < p.end <= len(text) else None
            if b is None or (region and not region["start"] <= b[0] <= b[1] <= region["end"]):
                continue
            pred.append((b, p.to_dict()))
        gold.sort(key=lambda x: x[0])
        order = sorted(range(len(pred)), key=lambda i: pred[i][0])
        taken: set[int] = set()

        for gb, g in gold:
            match = next((i for i in order if i not in taken and _overlap(gb, pred[i][0])), None)
            if match is None:
                out["missed"].append(_item(doc, gb, g, None))
                continue
            taken.add(match)
            pb, pt = pred[match]
            both = (min(gb[0], pb[0]), max(gb[1], pb[1]))
            if g.get("value") != pt["value"]:
                out["wrong_value"].append(_item(doc, both, g, pt))
            if g.get("type") != pt["type"]:
                out["wrong_type"].append(_item(doc, both, g, pt))
            if gb != pb:
                out["extent"].append(_item(doc, both, g, pt))
        out["spurious"] += [
            _item(doc, *pred[i][:1], None, pred[i][1]) for i in order if i not in taken
        ]
    return out


def show(timex: dict[str, Any]) -> str:
    origin = f" ({timex['origin']})" if timex.get("origin") else ""
    return f"{timex['type']} {timex['value'] or '(empty)'!s}{origin}"


def print_mistakes(found: dict[str, list[dict[str, Any]]], n: int) -> None:
    print()
    print(f"newsgraph mistakes (up to {n} examples of each kind, spread over the documents)")
    for kind, rows in found.items():
        print(f"\n== {kind}: {len(rows)} ({KINDS[kind]})")
        if not rows:
            continue
        side = "pred" if kind == "spurious" else "gold"
        common = Counter(r[side]["text"].lower() for r in rows).most_common(8)
        print("   most frequent: " + ", ".join(f"{t!r} x{c}" for t, c in common))
        for r in spread(rows, n):
            print(f"-- {r['doc']} (published {r['published']}): {r['snippet']}")
            if "gold" in r:
                print(f"     gold {r['gold']['text']!r}: {show(r['gold'])}")
            if "pred" in r:
                print(f"     pred {r['pred']['text']!r}: {show(r['pred'])}")


def by_gold_type(found: dict[str, list[dict[str, Any]]], docs: list[dict[str, Any]]) -> str:
    """Per gold type: how many gold timexes were found (relaxed) and given the right value."""
    total = Counter(t["type"] for d in docs for t in d.get("timexes", []))
    missed = Counter(r["gold"]["type"] for r in found["missed"])
    wrong = Counter(r["gold"]["type"] for r in found["wrong_value"])
    parts = []
    for typ, n in sorted(total.items()):
        hit = n - missed[typ]
        parts.append(f"{typ} {hit}/{n} found, {hit - wrong[typ]} right value")
    return "; ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description="timex accuracy: dateparser baseline vs newsgraph")
    parser.add_argument("--gold", default="timebank-train.jsonl", help="gold set under data/")
    parser.add_argument("--limit", type=int, default=None, help="use the first N documents")
    parser.add_argument("--errors", type=int, default=0, help="show N newsgraph mistakes per kind")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if not available():
        print(f"skipped: no development data or scorer under {DATA.parent}")
        return 0
    docs = layer_docs(parser, args.gold, "timexes", args.limit)
    subset: Path | None = write_jsonl(docs) if args.limit else None
    try:
        t = time.perf_counter()
        mine_reports = ours(docs)
        mine_secs = time.perf_counter() - t
        t = time.perf_counter()
        base_reports = dateparser_baseline(docs)
        base_secs = time.perf_counter() - t
        scored = subset or DATA / args.gold
        mine = score("timex", scored, mine_reports)
        base = score("timex", scored, base_reports)
    finally:
        if subset is not None:
            subset.unlink()
    gain = 100 * (mine["value"]["f1"] - base["value"]["f1"])
    out: dict[str, Any] = {
        "gold": args.gold,
        "docs": len(docs),
        "gold_timexes": mine["strict"]["gold"],
        "newsgraph": {row_key(label): mine[sec][key] for label, sec, key in ROWS},
        "dateparser": {row_key(label): base[sec][key] for label, sec, key in ROWS},
        "predicted": {"newsgraph": mine["strict"]["pred"], "dateparser": base["strict"]["pred"]},
        "value_f1_gain_points": round(gain, 2),
        "bar_points": BAR_POINTS,
        "seconds": {"newsgraph": round(mine_secs, 2), "dateparser": round(base_secs, 2)},
    }
    found = mistakes(docs, mine_reports) if args.errors else None
    if args.json:
        if found is not None:
            out["errors"] = {k: spread(v, args.errors) for k, v in found.items()}
            out["error_counts"] = {k: len(v) for k, v in found.items()}
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(
        f"{args.gold}: {len(docs)} docs, {out['gold_timexes']} gold timexes; predicted: "
        f"newsgraph {mine['strict']['pred']}, dateparser {base['strict']['pred']} "
        f"({mine_secs:.1f}s, {base_secs:.1f}s)"
    )
    print(f"{'metric':18s} {'newsgraph':>10s} {'dateparser':>10s} {'diff (pts)':>10s}")
    for label, sec, key in ROWS:
        m, b = mine[sec][key], base[sec][key]
        print(f"{label:18s} {m:10.4f} {b:10.4f} {100 * (m - b):+10.1f}")
    print(f"value F1 newsgraph - dateparser: {gain:+.1f} points (bar: >= +{BAR_POINTS:.0f})")
    if found is not None:
        print(f"newsgraph by gold type: {by_gold_type(found, docs)}")
        print_mistakes(found, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
