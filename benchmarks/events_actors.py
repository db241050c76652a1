"""Coded dyads: how many events name both actors with a code, on mixed real news.

An event-data researcher needs dyads (source code -> target code). This runs newsgraph
over a seeded sample of the whole-document dev sets (``_data.DOCUMENT_SETS``: TimeBank,
MEANTIME, re3d, PolNeAR, LGL, GeoVirus; each text at least 80 words, each text once)
and prints, over all the events found:

- the share with both actor codes, with a source code, with a target code;
- the share of actors (sources and targets) shown as a nationality word: a NORP entity
  linked to a state that still bears the demonym as its name ("Turkey -> Russian");
  the event should name the state (should be 0);
- the share of actors that are places: a source that is a LOCATION which is no seat of
  power, or a phrase of place read as a name on either side ("Near Palmyra") (should
  be 0);
- the share with both actor codes naming a country (``USACOP``, not a sector alone:
  ``COP``, as CAMEO codes an agent of no known country), and how many actors are
  described groups (no entity: "riot police", "protesters", coded by their words);
- for information: targets that are places (what is acted on may be a place: "fired at
  targets in Jericho", as PLOVER GSR codes it), and actors that are groups named by a
  word of no state (NORP without a state: "Kurdish", "Sunni").

The bar: both actors coded for at least 60% of the events.

    .venv/bin/python benchmarks/events_actors.py                     # 200 articles, seed 7
    .venv/bin/python benchmarks/events_actors.py --articles 100 --examples 10
    .venv/bin/python benchmarks/events_actors.py --json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from typing import Any

from _data import DATA, documents
from _data import DOCUMENT_SETS as SETS
from newsgraph import analyze_many
from newsgraph.kb import get_kb
from newsgraph.report import Article, Entity, Event, Report

BAR = 0.60
#: words that open a phrase of place ("Near Palmyra" read as a name)
PLACE_WORDS = frozenset({"in", "near", "at", "outside", "inside", "around", "across", "from"})


def sample(count: int, seed: int) -> list[tuple[str, Article]]:
    """``count`` distinct texts of the document sets (set name, article), seeded."""
    seen: set[str] = set()
    unique: list[tuple[str, dict[str, Any]]] = []
    for name, record in documents(SETS, 80):
        if record["text"] not in seen:
            seen.add(record["text"])
            unique.append((name, record))
    chosen = random.Random(seed).sample(unique, min(count, len(unique)))
    return [
        (
            name,
            Article(
                text=r["text"],
                title=r.get("title") if isinstance(r.get("title"), str) else None,
                published=r.get("published") or None,
                published_source="given" if r.get("published") else None,
            ),
        )
        for name, r in chosen
    ]


def actor_kind(entity: Entity | None, side: str) -> str | None:
    """ "nationality", "place", "place_target" or "group" for an actor (of ``side``,
    source or target) that is one, else None."""
    if entity is None:
        return None
    attrs = entity.attrs or {}
    if entity.type == "NORP":
        if attrs.get("country") and "demonym" not in attrs:
            return "nationality"
        return None if attrs.get("country") else "group"
    mentions = [m.text for m in entity.mentions]
    if mentions and all(m.split()[0].lower() in PLACE_WORDS for m in mentions if m.split()):
        return "place"  # "Near Palmyra": a phrase of place read as a name
    if entity.type == "LOCATION" and not attrs.get("seat_of"):
        return "place" if side == "source" else "place_target"
    return None


def measure(reports: list[Report]) -> dict[str, Any]:
    events = both = both_country = source = target = actors = described = 0
    kinds: Counter[str] = Counter()
    examples: dict[str, list[dict[str, Any]]] = {"uncoded": [], "nationality": [], "place": []}
    for report in reports:
        by_id = {e.id: e for e in report.entities}
        for event in report.events:
            events += 1
            both += bool(event.source_code and event.target_code)
            both_country += _stated(event.source_code) and _stated(event.target_code)
            source += bool(event.source_code)
            target += bool(event.target_code)
            for role, side in (("source", event.source), ("target", event.target)):
                if side is None and getattr(event, f"{role}_phrase") is not None:
                    actors += 1
                    described += 1
                    continue
                if side is None:
                    continue
                actors += 1
                kind = actor_kind(by_id.get(side), role)
                if kind:
                    kinds[kind] += 1
                    if kind in examples:
                        examples[kind].append(_row(event, by_id))
            if not (event.source_code and event.target_code):
                examples["uncoded"].append(_row(event, by_id))
    return {
        "articles": len(reports),
        "events": events,
        "both_coded": share(both, events),
        "both_coded_country": share(both_country, events),
        "described_actors": share(described, actors),
        "source_coded": share(source, events),
        "target_coded": share(target, events),
        "actors": actors,
        "nationality_actors": share(kinds["nationality"], actors),
        "place_actors": share(kinds["place"], actors),
        "place_targets": share(kinds["place_target"], actors),
        "group_actors": share(kinds["group"], actors),
        "counts": {
            "both": both,
            "both_country": both_country,
            "described": described,
            "source": source,
            "target": target,
            "nationality": kinds["nationality"],
            "place": kinds["place"],
            "place_target": kinds["place_target"],
            "group": kinds["group"],
        },
        "examples": examples,
    }


def _stated(code: str | None) -> bool:
    """Whether an actor code names a country: a state's ISO3 first (``USACOP``, ``TUR``);
    a sector alone (``COP``) or an IGO's code (``NATO``) does not."""
    return bool(code) and get_kb().state(str(code)[:3]) is not None


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _row(event: Event, by_id: dict[str, Entity]) -> dict[str, Any]:
    def name(ident: str | None) -> str | None:
        entity = by_id.get(ident) if ident else None
        return f"{entity.name} [{entity.type}]" if entity else None

    return {
        "type": event.type,
        "trigger": event.trigger.text,
        "source": name(event.source),
        "target": name(event.target),
        "source_code": event.source_code,
        "target_code": event.target_code,
        "sentence": " ".join(event.sentence.text.split())[:220],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="coded dyads of newsgraph's events")
    parser.add_argument("--articles", type=int, default=200, help="sample size (200)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (7)")
    parser.add_argument("--examples", type=int, default=0, help="show N events of each kind")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: no development data under {DATA}")
        return 0
    chosen = sample(args.articles, args.seed)
    if not chosen:
        print(f"skipped: no documents of {', '.join(SETS)} under {DATA}")
        return 0
    started = time.perf_counter()
    reports = list(analyze_many([a for _, a in chosen]))
    secs = time.perf_counter() - started
    out = measure(reports)
    out["sets"] = dict(Counter(name for name, _ in chosen))
    by_set: dict[str, list[Report]] = {}
    for (name, _), report in zip(chosen, reports, strict=True):
        by_set.setdefault(name, []).append(report)
    out["by_set"] = {
        name: {k: part[k] for k in ("articles", "events", "both_coded")}
        for name, part in ((n, measure(rs)) for n, rs in sorted(by_set.items()))
    }
    named = [e for r in reports for e in r.events if e.source and e.target]
    out["both_named"] = share(len(named), out["events"])
    out["both_coded_of_named"] = share(
        sum(bool(e.source_code and e.target_code) for e in named), len(named)
    )
    out["seconds"] = round(secs, 1)
    out["bar"] = BAR
    out["meets_bar"] = out["both_coded"] >= BAR
    examples = out.pop("examples")
    rng = random.Random(args.seed)
    if args.json:
        if args.examples:
            out["examples"] = {
                k: rng.sample(v, min(args.examples, len(v))) for k, v in examples.items()
            }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    c = out["counts"]
    print(
        f"{out['articles']} articles ({', '.join(f'{k} {v}' for k, v in out['sets'].items())}), "
        f"{out['events']} events, {out['actors']} actors ({secs:.0f}s)"
    )
    print(f"both actors coded     {out['both_coded']:7.1%}  ({c['both']})  bar >= {BAR:.0%}")
    print(f"  with a country        {out['both_coded_country']:7.1%}  ({c['both_country']})")
    print(f"source coded          {out['source_coded']:7.1%}  ({c['source']})")
    print(f"target coded          {out['target_coded']:7.1%}  ({c['target']})")
    print(
        f"both actors named     {out['both_named']:7.1%}  "
        f"(of them both coded {out['both_coded_of_named']:.1%})"
    )
    print(f"nationality actors    {out['nationality_actors']:7.1%}  ({c['nationality']})  (0)")
    print(f"place actors          {out['place_actors']:7.1%}  ({c['place']})  (0)")
    print(f"place targets (info)  {out['place_targets']:7.1%}  ({c['place_target']})")
    print(f"group actors (info)   {out['group_actors']:7.1%}  ({c['group']})")
    print(f"described groups      {out['described_actors']:7.1%}  ({c['described']})")
    for name, part in out["by_set"].items():
        print(
            f"  {name:24s} {part['articles']:4d} articles {part['events']:5d} events, "
            f"both coded {part['both_coded']:6.1%}"
        )
    if not out["meets_bar"]:
        print("BELOW BAR")
    for kind, rows in examples.items():
        if not args.examples or not rows:
            continue
        print(f"\n== {kind}: {len(rows)}")
        for r in rng.sample(rows, min(args.examples, len(rows))):
            print(
                f"- {r['type']} {r['trigger']!r}: {r['source']} ({r['source_code']}) -> "
                f"{r['target']} ({r['target_code']})\n    {r['sentence']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
