"""Accuracy on the development sets, scored by ../shared/eval/score.py, against floors.

For each set it analyses the gold documents (their own texts and dates) with
newsgraph and, in the same run, with the task's baseline, scores both, and prints
the figures. The baseline of the timex sets is ``_eval.dateparser_baseline`` (every
DATE/TIME mention of bare spaCy, normalised by dateparser); of every other set, bare
spaCy (every ``doc.ents`` mention typed by a plain label map; it has no events, so
its event figures are zero).

    .venv/bin/python benchmarks/accuracy.py            # print the table
    .venv/bin/python benchmarks/accuracy.py --check    # also exit 1 if below benchmarks/floors.toml
    .venv/bin/python benchmarks/accuracy.py --json     # machine-readable figures
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

from _data import DATA, SHARED
from _eval import available, bare, dateparser_baseline, figures, load_gold, ours, score

FLOORS = Path(__file__).with_name("floors.toml")
#: set name -> (task, gold file)
SETS = {
    "entities.meantime": ("entities", "meantime-apple.jsonl"),
    "entities.re3d": ("entities", "re3d.jsonl"),
    "quotes.wikinews": ("quotes", "quotes-wikinews.jsonl"),
    "timex.timebank": ("timex", "timebank-train.jsonl"),
    "timex.meantime": ("timex", "meantime-apple.jsonl"),
    "events.plover": ("events", "plover-gsr.jsonl"),
}
#: task -> (name, function) of the baseline it is compared with; bare spaCy for the others
BASELINES = {"timex": ("dateparser", dateparser_baseline)}


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
    for name, (task, gold_name) in SETS.items():
        docs = load_gold(gold_name)
        gold = DATA / gold_name
        mine = figures(task, score(task, gold, ours(docs)))
        base_name, baseline = BASELINES.get(task, ("bare_spacy", bare))
        base = figures(task, score(task, gold, baseline(docs)))
        group, sub = name.split(".")
        floor = floors.get(group, {}).get(sub, {})
        out[name] = {
            "newsgraph": mine,
            "baseline": base,
            "baseline_name": base_name,
            "floor": floor,
        }
        for metric, minimum in floor.items():
            if mine[metric] < minimum:
                failures.append(f"{name} {metric} {mine[metric]:.4f} < floor {minimum}")
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{'set':20s} {'metric':18s} {'newsgraph':>10s} {'baseline':>10s} {'floor':>7s}")
        for name, row in out.items():
            for metric, value in row["newsgraph"].items():
                floor = row["floor"].get(metric)
                shown = f"{floor:.2f}" if floor is not None else "-"
                base = row["baseline"][metric]
                print(f"{name:20s} {metric:18s} {value:10.4f} {base:10.4f} {shown:>7s}")
    for failure in failures:
        print(f"BELOW FLOOR: {failure}", file=sys.stderr)
    return 1 if args.check and failures else 0


if __name__ == "__main__":
    sys.exit(main())
