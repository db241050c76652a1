"""PLOVER events: newsgraph on a gold set, scored by ``../shared/eval/score.py events``.

Pairing and metrics are the scorer's (see ``../shared/eval/README.md``): predicted and
gold events pair one to one when their triggers overlap (same type first), else when
the types agree and the predicted trigger lies in the gold event's sentence.
Detection counts pairs, typed P/R/F1 the pairs whose types agree; mode accuracy is
over typed pairs whose gold event has a mode, source/target accuracy over pairs
whose gold event names that actor (some mention of the predicted entity overlaps
the gold actor), negated/hypothetical accuracy over all pairs. The bar: typed F1,
source accuracy and target accuracy each at least 0.75.

There is no baseline: bare spaCy finds no events.

    .venv/bin/python benchmarks/events.py                          # plover-gsr.jsonl
    .venv/bin/python benchmarks/events.py --limit 40 --errors 10   # first 40 docs, mistakes
    .venv/bin/python benchmarks/events.py --json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from _data import DATA
from _eval import (
    SCORER,
    available,
    layer_docs,
    ours,
    row_key,
    score,
    spread,
    write_jsonl,
)
from newsgraph.report import Report

BAR = 0.75
#: (label, section of the score.py result, key)
ROWS = (
    ("detection precision", "detection", "precision"),
    ("detection recall", "detection", "recall"),
    ("detection F1", "detection", "f1"),
    ("typed precision", "typed", "precision"),
    ("typed recall", "typed", "recall"),
    ("typed F1", "typed", "f1"),
    ("mode accuracy", "mode_accuracy", "accuracy"),
    ("source accuracy", "source_accuracy", "accuracy"),
    ("target accuracy", "target_accuracy", "accuracy"),
    ("negated accuracy", "negated_accuracy", "accuracy"),
    ("hypothetical accuracy", "hypothetical_accuracy", "accuracy"),
)
KINDS = {
    "missed": "gold events paired with no prediction",
    "spurious": "predictions paired with no gold event",
    "wrong_type": "paired (triggers overlap), type differs",
    "wrong_source": "paired, gold names a source, the predicted source is not it",
    "wrong_target": "paired, gold names a target, the predicted target is not it",
    "wrong_mode": "paired with the same type, gold has a mode, the predicted one differs",
    "wrong_flags": "paired, negated or hypothetical differs",
}
Bounds = tuple[int, int]


def scorer() -> ModuleType:
    """``../shared/eval/score.py`` as a module: the mistakes below use its own pairing
    (``gold_events``, ``predicted_events``, ``pair_events``, ``actor_right``), so the
    ones listed are exactly the ones the scores count."""
    spec = importlib.util.spec_from_file_location("newsgraph_shared_score", SCORER)
    if spec is None or spec.loader is None:  # pragma: no cover - checked by available()
        raise ImportError(SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _marked(text: str, where: Bounds, marks: list[Bounds]) -> str:
    """``text[where]`` on one line with each of ``marks`` (inside it) in [[...]]."""
    merged: list[list[int]] = []  # overlapping marks (gold and predicted trigger) as one
    for start, end in sorted(m for m in marks if where[0] <= m[0] < m[1] <= where[1]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], where[0]
    for start, end in merged:
        out += [text[at:start], "[[", text[start:end], "]]"]
        at = end
    out.append(text[at : where[1]])
    return " ".join("".join(out).split())


def _gold_actor(raw: dict[str, Any], role: str) -> str | None:
    """A gold event's actor of ``role`` as written, with its code where gold gives one."""
    if role in raw:  # current shape: a span and a code
        span = raw[role]
        if not isinstance(span, dict):
            return None
        code = raw.get(f"{role}_code")
        return f"{span.get('text')}" + (f" ({code})" if code else "")
    actors = [a for a in raw.get(f"{role}_actors") or [] if isinstance(a, dict)]
    if actors:
        codes = [f"{a.get('code') or ''}{a.get('sector') or ''}" for a in actors]
        return "; ".join(
            f"{a.get('text')}" + (f" ({code})" if code else "")
            for a, code in zip(actors, codes, strict=True)
        )
    text = raw.get(f"{role}_text")
    return text if isinstance(text, str) and text.strip() else None


def _pred_actor(event: dict[str, Any], role: str, entities: dict[str, dict[str, Any]]) -> str:
    """A predicted event's actor: its entity's name and mentions, and its code."""
    ident, code = event.get(role), event.get(f"{role}_code")
    entity = entities.get(ident) if isinstance(ident, str) else None
    if entity is None:
        name = "-" if ident is None else f"{ident} (no such entity)"
    else:
        mentions = sorted({m["text"] for m in entity.get("mentions") or []} - {entity["name"]})
        name = entity["name"] + (f" [also {', '.join(mentions)}]" if mentions else "")
    return name + (f" ({code})" if code else "")


def mistakes(
    docs: list[dict[str, Any]], reports: list[Report], sc: ModuleType
) -> dict[str, list[dict[str, Any]]]:
    """Every mismatch of the reports (one per doc, in order) against the gold, by kind."""
    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for doc, report in zip(docs, reports, strict=True):
        for kind, rows in doc_mistakes(doc, report, sc).items():
            out[kind] += rows
    return out


def doc_mistakes(
    doc: dict[str, Any], report: Report, sc: ModuleType
) -> dict[str, list[dict[str, Any]]]:
    """The mismatches of one report against its gold document, by kind."""
    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    text = doc["text"]
    region = sc.annotated_region(doc)
    rep = report.to_dict()
    entities = {e["id"]: e for e in rep["entities"]}
    gold = sc.gold_events(doc)
    raw_gold = [e for e in doc.get("events") or [] if isinstance(e, dict)]
    pred = sc.predicted_events(rep, text, region, set())
    raw_pred = [
        e
        for e in rep["events"]
        if (b := sc.span_bounds(e.get("trigger"), text)) is not None and sc.inside(b, region)
    ]
    assert len(raw_pred) == len(pred) and len(raw_gold) == len(gold)
    pairs = sc.pair_events(gold, pred)

    def item(g: int | None, p: int | None, rule: str | None = None) -> dict[str, Any]:
        marks: list[Bounds] = []
        where: Bounds | None = None
        row: dict[str, Any] = {"doc": doc.get("id", ""), "empty_doc": not gold}
        if g is not None:
            ge, raw = gold[g], raw_gold[g]
            marks += ge["pieces"]
            where = ge["sentence"]
            row["gold"] = {
                "type": ge["type"],
                "mode": ge["mode"],
                "trigger": " … ".join(text[a:b] for a, b in ge["pieces"]),
                "source": _gold_actor(raw, "source"),
                "target": _gold_actor(raw, "target"),
                "negated": ge["negated"],
                "hypothetical": ge["hypothetical"],
            }
        if p is not None:
            pe, raw = pred[p], raw_pred[p]
            marks.append(pe["trigger"])
            if where is None:
                sentence = sc.span_bounds(raw.get("sentence"), text)
                where = sentence or sc.sentence_around(doc, pe["trigger"][0])
            obj = raw.get("object")
            row["pred"] = {
                "type": pe["type"],
                "mode": pe["mode"],
                "trigger": text[pe["trigger"][0] : pe["trigger"][1]],
                "source": _pred_actor(raw, "source", entities),
                "target": _pred_actor(raw, "target", entities),
                "object": obj["text"] if isinstance(obj, dict) else None,
                "negated": pe["negated"],
                "hypothetical": pe["hypothetical"],
                "origin": raw.get("origin", ""),
            }
        if rule is not None:
            row["rule"] = rule
        region_all = where or (0, len(text))
        row["sentence"] = _marked(text, region_all, marks)
        return row

    paired_gold = {g for g, _, _ in pairs}
    paired_pred = {p for _, p, _ in pairs}
    out["missed"] += [item(g, None) for g in range(len(gold)) if g not in paired_gold]
    out["spurious"] += [item(None, p) for p in range(len(pred)) if p not in paired_pred]
    for g, p, rule in sorted(pairs):
        ge, pe = gold[g], pred[p]
        if ge["type"] != pe["type"]:
            out["wrong_type"].append(item(g, p, rule))
        elif ge["mode"] is not None:
            mode = pe["mode"]
            if not (isinstance(mode, str) and mode.strip().casefold() == ge["mode"].casefold()):
                out["wrong_mode"].append(item(g, p, rule))
        for role in ("source", "target"):
            if ge[role] and not sc.actor_right(ge[role], pe[role], text):
                out[f"wrong_{role}"].append(item(g, p, rule))
        if any(
            ge[flag] is not None and pe[flag] is not ge[flag]
            for flag in ("negated", "hypothetical")
        ):
            out["wrong_flags"].append(item(g, p, rule))
    return out


def show(event: dict[str, Any]) -> str:
    kind = f"{event['type']}({event['mode']})" if event.get("mode") else event["type"]
    flags = [f for f in ("negated", "hypothetical") if event.get(f)]
    line = f"{kind} {event['trigger']!r}: {event['source'] or '-'} → {event['target'] or '-'}"
    if event.get("object"):
        line += f", object {event['object']!r}"
    if flags:
        line += " [" + ", ".join(flags) + "]"
    if event.get("origin"):
        line += f" ({event['origin']})"
    return line


def print_mistakes(found: dict[str, list[dict[str, Any]]], n: int) -> None:
    print()
    print(f"newsgraph mistakes (up to {n} examples of each kind, spread over the documents)")
    for kind, rows in found.items():
        print(f"\n== {kind}: {len(rows)} ({KINDS[kind]})")
        if not rows:
            continue
        if kind == "missed":
            common = Counter(r["gold"]["type"] for r in rows).most_common()
        elif kind == "spurious":
            common = Counter(r["pred"]["type"] for r in rows).most_common()
        else:
            common = Counter(f"{r['gold']['type']}->{r['pred']['type']}" for r in rows).most_common(
                8
            )
        print("   by type: " + ", ".join(f"{t} x{c}" for t, c in common))
        for r in spread(rows, n):
            rule = f" [{r['rule']}]" if "rule" in r else ""
            empty = " (gold has no event)" if r["empty_doc"] else ""
            print(f"-- {r['doc']}{rule}{empty}: {r['sentence']}")
            if "gold" in r:
                print(f"     gold {show(r['gold'])}")
            if "pred" in r:
                print(f"     pred {show(r['pred'])}")


def main() -> int:
    parser = argparse.ArgumentParser(description="PLOVER event accuracy of newsgraph")
    parser.add_argument("--gold", default="plover-gsr.jsonl", help="gold set under data/")
    parser.add_argument("--limit", type=int, default=None, help="use the first N documents")
    parser.add_argument("--errors", type=int, default=0, help="show N newsgraph mistakes per kind")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if not available():
        print(f"skipped: no development data or scorer under {DATA.parent}")
        return 0
    docs = layer_docs(parser, args.gold, "events", args.limit)
    subset: Path | None = write_jsonl(docs) if args.limit else None
    try:
        t = time.perf_counter()
        reports = ours(docs)
        secs = time.perf_counter() - t
        result = score("events", subset or DATA / args.gold, reports)
    finally:
        if subset is not None:
            subset.unlink()
    figures = {row_key(label): result[sec][key] for label, sec, key in ROWS}
    passed = all(figures[k] >= BAR for k in ("typed_f1", "source_accuracy", "target_accuracy"))
    out: dict[str, Any] = {
        "gold": args.gold,
        "docs": len(docs),
        "gold_events": result["detection"]["gold"],
        "predicted_events": result["detection"]["pred"],
        "newsgraph": figures,
        "counts": {
            name: {k: result[name][k] for k in ("correct", "total")}
            for _, name, key in ROWS
            if key == "accuracy"
        },
        "per_type": result["per_type"],
        "matched_by_rule": result["matched_by_rule"],
        "spurious_in_empty_docs": result["spurious_in_empty_docs"],
        "unknown_report_types": result.get("unknown_report_types", []),
        "bar": BAR,
        "meets_bar": passed,
        "seconds": round(secs, 2),
        "warnings": result.get("warnings", []),
    }
    found = mistakes(docs, reports, scorer()) if args.errors else None
    if args.json:
        if found is not None:
            out["errors"] = {k: spread(v, args.errors) for k, v in found.items()}
            out["error_counts"] = {k: len(v) for k, v in found.items()}
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(
        f"{args.gold}: {len(docs)} docs, {out['gold_events']} gold events; newsgraph predicted "
        f"{out['predicted_events']} ({secs:.1f}s)"
    )
    print(f"{'metric':22s} {'newsgraph':>10s} {'counts':>10s}")
    for label, sec, key in ROWS:
        r = result[sec]
        counted = {
            "accuracy": f"{r.get('correct')}/{r.get('total')}",
            "precision": f"{r.get('tp')}/{r.get('pred')}",
            "recall": f"{r.get('tp')}/{r.get('gold')}",
        }.get(key, "")
        print(f"{label:22s} {r[key]:10.4f} {counted:>10s}")
    print()
    print(f"{'type':12s} {'P':>6s} {'R':>6s} {'F1':>6s} {'pred':>5s} {'gold':>5s}")
    for kind, s in result["per_type"].items():
        print(
            f"{kind:12s} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
            f"{s['pred']:5d} {s['gold']:5d}"
        )
    print()
    print("pairs by rule: " + ", ".join(f"{r} {n}" for r, n in result["matched_by_rule"].items()))
    sp = result["spurious_in_empty_docs"]
    print(
        f"spurious in empty docs: {sp['events']} events in {sp['docs_with_events']} of "
        f"{sp['empty_docs']} docs whose gold has no event"
    )
    if out["unknown_report_types"]:
        print("unknown report types (never typed right): " + ", ".join(out["unknown_report_types"]))
    for warning in out["warnings"]:
        print(f"warning: {warning}")
    print(
        f"typed F1 {figures['typed_f1']:.4f} (bar >= {BAR}), "
        f"source accuracy {figures['source_accuracy']:.4f} (>= {BAR}), "
        f"target accuracy {figures['target_accuracy']:.4f} (>= {BAR})"
        + ("" if passed else "  BELOW BAR")
    )
    if found is not None:
        print_mistakes(found, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
