"""Sourcing flags: how often each fires on the dev sets, with a sample for review.

Fact-checkers read the sourcing flags as a verdict on an article, so a flag that fires
on a third of ordinary political news is noise. This analyses each set (every article
with its own publication date) and prints, for every sourcing flag, the share of
articles it fires on and how many flags it raised; ``--sample N`` then prints N flags
of each code (seeded), with their message and evidence, for a reader to judge.

Sets: ``polnear-dev`` (the 84 dev articles of quotes-polnear.jsonl: US political news,
heavy with attribution), ``wikinews`` (quotes-wikinews.jsonl, the MEANTIME texts) and
``timebank`` (1990s newswire).

    .venv/bin/python benchmarks/sourcing.py                      # rates on every set
    .venv/bin/python benchmarks/sourcing.py --set polnear-dev --sample 5
    .venv/bin/python benchmarks/sourcing.py --json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

from _data import DATA, polnear_dev
from _eval import load_gold, ours
from newsgraph.report import Report

#: the flags of newsgraph.checks.sourcing
CODES = (
    "UNNAMED_SOURCES_MAJORITY",
    "UNNAMED_SOURCE_OPINION",
    "VAGUE_GROUP_SOURCE",
    "VAGUE_ATTRIBUTION",
    "UNATTRIBUTED_QUOTE",
    "PRESENTED_AS_FACT",
    "UNATTRIBUTED_CLAIM",
)
#: set name -> (gold file, which of its records)
SETS: dict[str, tuple[str, Callable[[dict[str, Any]], bool]]] = {
    "polnear-dev": ("quotes-polnear.jsonl", polnear_dev),
    "wikinews": ("quotes-wikinews.jsonl", lambda d: True),
    "timebank": ("timebank-train.jsonl", lambda d: True),
}


def rates(reports: list[Report]) -> dict[str, dict[str, float]]:
    """Per code: articles flagged, their share, flags raised."""
    articles: Counter[str] = Counter()
    raised: Counter[str] = Counter()
    for report in reports:
        codes = [f.code for f in report.flags if f.code in CODES]
        raised.update(codes)
        articles.update(set(codes))
    n = len(reports) or 1
    return {
        code: {"articles": articles[code], "share": articles[code] / n, "flags": raised[code]}
        for code in CODES
    }


def sample(
    docs: list[dict[str, Any]], reports: list[Report], per_code: int, seed: int
) -> dict[str, list[dict[str, Any]]]:
    """``per_code`` flags of each code, seeded, with the article id and evidence."""
    rng = random.Random(seed)
    out: dict[str, list[dict[str, Any]]] = {}
    for code in CODES:
        found = [
            {
                "article": d.get("id"),
                "message": f.message,
                "evidence": [" ".join(s.text.split())[:120] for s in f.evidence[:4]],
            }
            for d, r in zip(docs, reports, strict=True)
            for f in r.flags
            if f.code == code
        ]
        out[code] = rng.sample(found, min(per_code, len(found)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="how often each sourcing flag fires")
    parser.add_argument("--set", choices=sorted(SETS), action="append", help="(default: all)")
    parser.add_argument("--sample", type=int, default=0, help="show N flags of each code")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    out: dict[str, Any] = {}
    for name in args.set or list(SETS):
        file, keep = SETS[name]
        if not (DATA / file).exists():
            print(f"skipped {name}: {DATA / file} not found")
            continue
        docs = [d for d in load_gold(file) if keep(d)]
        reports = ours(docs)
        out[name] = {"articles": len(docs), "rates": rates(reports)}
        if args.sample:
            out[name]["sample"] = sample(docs, reports, args.sample, args.seed)
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    names = list(out)
    print(f"{'share of articles flagged':28s}" + "".join(f"{n:>14s}" for n in names))
    print(f"{'articles':28s}" + "".join(f"{out[n]['articles']:14d}" for n in names))
    for code in CODES:
        cells = "".join(
            f"{out[n]['rates'][code]['share']:8.1%} ({out[n]['rates'][code]['articles']:3d})"
            for n in names
        )
        print(f"{code:28s}{cells}")
    for name in names:
        for code, rows in out[name].get("sample", {}).items():
            for row in rows:
                print(f"\n[{name}] {code} {row['article']}\n  {row['message']}")
                for ev in row["evidence"]:
                    print(f"    · {ev}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
