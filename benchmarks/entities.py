"""Entities: bare en_core_web_sm vs newsgraph on the dev sets, in one run.

Scores both with ``../shared/eval/score.py entities`` on meantime-apple.jsonl and
re3d.jsonl and prints typed micro-F1 (exact and overlap), the gain in points, and
weapon/platform (PRO) recall on re3d: exact, overlapping, and on the gold items the
re3d crowd model gave a confidence above 0 (its confidence-0 items include broken
spans such as "st ISIL").

    .venv/bin/python benchmarks/entities.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from _data import DATA
from _eval import available, bare, figures, load_gold, ours, score, write_jsonl

SETS = ("meantime-apple.jsonl", "re3d.jsonl")


def main() -> int:
    parser = argparse.ArgumentParser(description="entity accuracy: bare spaCy vs newsgraph")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not available():
        print(f"skipped: no development data or scorer under {DATA.parent}")
        return 0
    out: dict[str, Any] = {}
    for name in SETS:
        docs = load_gold(name)
        gold = DATA / name
        t = time.perf_counter()
        mine_reports = ours(docs)
        mine_secs = time.perf_counter() - t
        base_reports = bare(docs)
        mine, base = score("entities", gold, mine_reports), score("entities", gold, base_reports)
        row: dict[str, Any] = {
            "newsgraph": figures("entities", mine),
            "bare_spacy": figures("entities", base),
            "per_type_newsgraph": {k: v["f1"] for k, v in mine["per_type"].items()},
            "per_type_bare": {k: v["f1"] for k, v in base["per_type"].items()},
            "seconds_newsgraph": round(mine_secs, 2),
        }
        if name == "re3d.jsonl":
            pro = score("entities", gold, mine_reports, ("--types", "PRO"))
            confident = [
                {**d, "entities": [e for e in d["entities"] if e.get("confidence", 1) > 0]}
                for d in docs
            ]
            cgold = write_jsonl(confident)
            try:
                cpro = score("entities", cgold, mine_reports, ("--types", "PRO"))
            finally:
                cgold.unlink()
            row["pro_recall"] = {
                "exact": mine["per_type"]["PRO"]["recall"],
                "overlap": pro["relaxed_typed"]["recall"],
                "exact_confidence_gt_0": cpro["typed"]["recall"],
                "overlap_confidence_gt_0": cpro["relaxed_typed"]["recall"],
                "gold": mine["per_type"]["PRO"]["gold"],
                "gold_confidence_gt_0": cpro["typed"]["gold"],
            }
        out[name] = row
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{'set':22s} {'metric':18s} {'bare spaCy':>10s} {'newsgraph':>10s} {'gain (pts)':>10s}")
    for name, row in out.items():
        for metric in ("typed_exact_f1", "typed_overlap_f1", "pro_recall_exact"):
            b, m = row["bare_spacy"][metric], row["newsgraph"][metric]
            print(f"{name:22s} {metric:18s} {b:10.4f} {m:10.4f} {100 * (m - b):+10.1f}")
    for name, row in out.items():
        types = sorted(set(row["per_type_bare"]) | set(row["per_type_newsgraph"]))
        per = ", ".join(
            f"{t} {row['per_type_bare'].get(t, 0):.2f}->{row['per_type_newsgraph'].get(t, 0):.2f}"
            for t in types
        )
        print(f"{name}: per-type exact F1 bare->newsgraph: {per}")
    pro = out["re3d.jsonl"]["pro_recall"]
    print(
        f"re3d PRO recall: exact {pro['exact']:.3f}, overlap {pro['overlap']:.3f} "
        f"(gold {pro['gold']}); confidence>0 gold ({pro['gold_confidence_gt_0']}): "
        f"exact {pro['exact_confidence_gt_0']:.3f}, overlap {pro['overlap_confidence_gt_0']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
