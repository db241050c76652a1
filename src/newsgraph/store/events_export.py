"""Stored events in the shapes event-data researchers load (POLECAT, ICEWS, GDELT users).

One record per event, built here from the rows :meth:`Store.coded_events
<newsgraph.store.duckdb_store.Store.coded_events>` reads page by page, and written as
POLECAT-style JSON Lines (nested: ``source``, ``target`` and ``location`` are objects), as
a flat CSV or as the flat ``events_coded.parquet`` (one column per CSV column). The
fields and the choices behind them are in ``docs/events.md`` ("Exports").

Nothing here reads the database: the store passes each event's columns and, per article,
the knowledge-base attributes of its entities (``attrs``) from the stored report.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, TextIO

from newsgraph.kb import HEADERS, KBError
from newsgraph.kb.base import default_dir
from newsgraph.kb.tsv import read_table
from newsgraph.report import json_text
from newsgraph.timevalues import Point, parse_value

#: The export formats of ``newsgraph export --events``.
FORMATS: Final[tuple[str, ...]] = ("polecat", "csv")

#: TIMEX3 granularity -> ``date_precision``; ``"published"`` when the date is only the
#: article's publication day.
PRECISION: Final[dict[str, str]] = {
    "C": "century",
    "E": "decade",
    "Y": "year",
    "H": "half",
    "Q": "quarter",
    "S": "season",
    "M": "month",
    "W": "week",
    "WE": "weekend",
    "D": "day",
    "T": "day",
}
PUBLISHED: Final = "published"

#: The fields of an actor (``source``, ``target``) and of the ``location``.
ACTOR_FIELDS: Final[tuple[str, ...]] = (
    "name",
    "kb_id",
    "type",
    "code",
    "country",
    "sector",
    "phrase",
)
#: ``country`` comes first from the knowledge base, else from the gazetteer; ``lat``,
#: ``lon``, ``geonames_id`` and ``feature`` (v7) from the place's gazetteer entry (its
#: report ``geo``), null when the gazetteer does not know it.
PLACE_FIELDS: Final[tuple[str, ...]] = (
    "name",
    "kb_id",
    "country",
    "lat",
    "lon",
    "geonames_id",
    "feature",
)

#: The CSV header and the columns of ``events_coded.parquet``, in order: the record's
#: fields with ``source``, ``target`` and ``location`` spread over prefixed columns.
CSV_FIELDS: Final[tuple[str, ...]] = (
    "id",
    "event_id",
    "event_type",
    "mode",
    *(f"source_{f}" for f in ACTOR_FIELDS),
    *(f"target_{f}" for f in ACTOR_FIELDS),
    "date",
    "date_start",
    "date_end",
    "date_precision",
    "date_source",
    *(f"location_{f}" for f in PLACE_FIELDS),
    "trigger",
    "object",
    "mentions",
    "sentence",
    "negated",
    "hypothetical",
    "quote",
    "origin",
    "article_id",
    "url",
    "outlet",
    "title",
    "published",
    "story",
    "duplicate_of",
)

#: What joins a list (``mentions``) in one CSV cell.
LIST_SEPARATOR: Final = " | "

#: Parquet column types that are not VARCHAR.
_PARQUET_TYPES: Final[dict[str, str]] = {
    "date_start": "DATE",
    "date_end": "DATE",
    "published": "DATE",
    "negated": "BOOLEAN",
    "hypothetical": "BOOLEAN",
    "quote": "BOOLEAN",
    "mentions": "VARCHAR[]",
    "location_lat": "DOUBLE",
    "location_lon": "DOUBLE",
    "location_geonames_id": "BIGINT",
}
#: ``events_coded.parquet``: ``(column, DuckDB type)`` in :data:`CSV_FIELDS` order.
PARQUET_COLUMNS: Final[tuple[tuple[str, str], ...]] = tuple(
    (name, _PARQUET_TYPES.get(name, "VARCHAR")) for name in CSV_FIELDS
)


@dataclass(frozen=True)
class Dated:
    """An event's resolved date: as precise as its TIMEX3 value allows."""

    #: ``2024-05-03``, ``2024-05``, ``2024``, ``2024-W17``, ``2024-Q2``, ``2024-SU`` ...
    date: str | None = None
    #: the first and last day of that date
    start: dt.date | None = None
    end: dt.date | None = None
    #: day | week | weekend | month | season | quarter | half | year | decade | century,
    #: or "published"
    precision: str | None = None
    #: event | clause | published
    source: str | None = None


def resolve_date(value: str | None, date_source: str | None, published: dt.date | None) -> Dated:
    """The date of an event from its stored TIMEX3 ``value`` and ``date_source``.

    A calendar value keeps its own precision (a time of day is its day). An event dated
    by its article's publication (``date_source`` "published", or a stored value that is
    not a calendar date, or none at all) gets that day with precision "published". Rows
    stored before ``date_source`` existed hold NULL there: it is "event" when the value
    dates the event, "published" when the publication day does. No date at all: every
    field None.
    """
    point = parse_value(value) if value else None
    if date_source == PUBLISHED:
        day = point.day if point is not None and point.gran in ("D", "T") else published
        return _published(day)
    if point is not None:
        return Dated(
            date=_written(point),
            start=point.day,
            end=point.end,
            precision=PRECISION[point.gran],
            source=date_source or "event",
        )
    return _published(published)


def _published(day: dt.date | None) -> Dated:
    if day is None:
        return Dated()
    return Dated(date=day.isoformat(), start=day, end=day, precision=PUBLISHED, source=PUBLISHED)


def _written(point: Point) -> str:
    """The TIMEX3 value of a calendar point, a time of day cut to its day."""
    return point.day.isoformat() if point.gran == "T" else point.value


@cache
def state_codes() -> frozenset[str]:
    """The ISO3 codes of the knowledge base's states (``$NEWSGRAPH_KB`` if it has a
    states table, else the packaged one)."""
    roots = [Path(p) for p in (os.environ.get("NEWSGRAPH_KB"),) if p]
    for root in [*roots, default_dir()]:
        path = root / "states.tsv"
        if not path.exists():
            continue
        try:
            table = read_table(path, HEADERS["states"])
        except KBError:
            continue
        return frozenset(row["iso3"] for _, row in table)
    return frozenset()  # pragma: no cover - the packaged table is always there


def split_code(code: str | None, entity_type: str | None) -> tuple[str | None, str | None]:
    """``(country, sector)`` of a PLOVER-style actor code: ``TURGOV`` -> (TUR, GOV),
    ``USA`` -> (USA, None). An IGO's own code (``NATO``, ``EU``; also a person's when
    they act for one) is neither: (None, None)."""
    if not code or entity_type == "IGO":
        return None, None
    head = code[:3]
    if head in state_codes():
        return head, code[3:] or None
    return None, None


def _attr_country(attrs: Mapping[str, Any] | None) -> str | None:
    """The country the knowledge base gives an entity: a state's ISO3, a demonym's,
    place's or organisation's country, the state a seat of power belongs to."""
    attrs = attrs or {}
    value = attrs.get("iso3") or attrs.get("country") or attrs.get("seat_of")
    return str(value) if value else None


def actor(
    entity_id: str | None,
    name: str | None,
    kb_id: str | None,
    entity_type: str | None,
    code: str | None,
    attrs: Mapping[str, Any] | None,
    phrase: str | None = None,
) -> dict[str, Any] | None:
    """One side of an event, or None when the event names nobody there. ``phrase`` is
    the words of the sentence that name the actor; a described group ("riot police")
    has no entity: its name is that phrase, its ``kb_id`` and ``type`` are None."""
    if entity_id is None and code is None:
        return None
    country, sector = split_code(code, entity_type)
    if code is None:
        country = _attr_country(attrs)
    elif entity_id is None and country is None:
        sector = code  # a described group of no known country: its sector alone ("COP")
    return {
        "name": name,
        "kb_id": kb_id,
        "type": entity_type,
        "code": code,
        "country": country,
        "sector": sector,
        "phrase": phrase,
    }


def place(
    entity_id: str | None,
    name: str | None,
    kb_id: str | None,
    attrs: Mapping[str, Any] | None,
    geo: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Where the event happened, or None when the text does not say. ``geo`` is the
    place's gazetteer entry (the report entity's ``geo``: ``lat``, ``lon``,
    ``geonames_id``, ``country``, ``feature``), None when it has none: those fields are
    then null. The country is the knowledge base's when it gives one, else the
    gazetteer's."""
    if entity_id is None:
        return None
    geo = geo or {}
    return {
        "name": name,
        "kb_id": kb_id,
        "country": _attr_country(attrs) or geo.get("country"),
        "lat": geo.get("lat"),
        "lon": geo.get("lon"),
        "geonames_id": geo.get("geonames_id"),
        "feature": geo.get("feature"),
    }


def _texts(spans: str | None) -> list[str]:
    """The texts of a JSON list of spans (the ``mentions`` column)."""
    if not spans:
        return []
    return [str(s.get("text", "")) for s in json.loads(spans)]


def record(
    row: Mapping[str, Any], attrs: Mapping[str, Mapping[str, Any]], dated: Dated
) -> dict[str, Any]:
    """The export record of one stored event.

    ``row`` holds the columns :meth:`Store.coded_events` reads (the event, its
    entities' names, the location's gazetteer entry as ``location_geo``, its article
    and the article's place in the corpus); ``attrs`` the knowledge-base attributes of
    the article's entities by entity id; ``dated`` the event's :func:`resolve_date`.
    """
    published: dt.date | None = row["published"]

    def side(name: str) -> dict[str, Any] | None:
        eid = row[name]
        return actor(
            eid,
            row[f"{name}_name"],
            row[f"{name}_kb_id"],
            row[f"{name}_type"],
            row[f"{name}_code"],
            attrs.get(eid) if eid else None,
            row.get(f"{name}_phrase_text"),
        )

    loc = row["location"]
    return {
        "id": f"{row['article_id']}:{row['event_id']}",
        "event_id": row["event_id"],
        "event_type": row["type"],
        "mode": row["mode"],
        "source": side("source"),
        "target": side("target"),
        "date": dated.date,
        "date_start": dated.start.isoformat() if dated.start else None,
        "date_end": dated.end.isoformat() if dated.end else None,
        "date_precision": dated.precision,
        "date_source": dated.source,
        "location": place(
            loc,
            row["location_name"],
            row["location_kb_id"],
            attrs.get(loc) if loc else None,
            row.get("location_geo"),
        ),
        "trigger": row["trigger_text"] or "",
        "object": row["object_text"],
        "mentions": _texts(row["mentions"]),
        "sentence": row["sentence_text"] or "",
        "negated": bool(row["negated"]),
        "hypothetical": bool(row["hypothetical"]),
        "quote": row["quote"] is not None,
        "origin": row["origin"],
        "article_id": row["article_id"],
        "url": row["url"],
        "outlet": row["outlet"],
        "title": row["title"],
        "published": published.isoformat() if published else None,
        "story": row["story"],
        "duplicate_of": row["duplicate_of"],
    }


_NESTED: Final = ("source", "target", "location")


def flat(rec: Mapping[str, Any]) -> dict[str, Any]:
    """A record with ``source``, ``target`` and ``location`` spread over prefixed
    fields (``source_name`` ...), in :data:`CSV_FIELDS` order."""
    out: dict[str, Any] = {}
    for name in CSV_FIELDS:
        head, _, rest = name.partition("_")
        if head in _NESTED:
            nested = rec.get(head)
            out[name] = nested.get(rest) if nested else None
        else:
            out[name] = rec[name]
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def write_jsonl(records: Iterable[Mapping[str, Any]], stream: TextIO) -> int:
    """Write one JSON object per line (POLECAT-style, nested); return how many."""
    n = 0
    for rec in records:
        stream.write(json_text(rec) + "\n")
        n += 1
    return n


def write_csv(records: Iterable[Mapping[str, Any]], stream: TextIO) -> int:
    """Write the header and one row per record (RFC 4180: quoted where needed, CRLF line
    ends; empty cell for null, ``true``/``false``, lists joined by
    :data:`LIST_SEPARATOR`); return how many rows. ``stream`` should be opened with
    ``newline=""``."""
    writer = csv.writer(stream)
    writer.writerow(CSV_FIELDS)
    n = 0
    for rec in records:
        row = flat(rec)
        writer.writerow([_cell(row[name]) for name in CSV_FIELDS])
        n += 1
    return n


def write_flat_jsonl(records: Iterable[Mapping[str, Any]], stream: TextIO) -> int:
    """Write flat records (:func:`flat`) one per line: what DuckDB reads into
    ``events_coded.parquet``; return how many."""
    return write_jsonl((flat(r) for r in records), stream)
