"""Event exports from a real DuckDB store of hand-built reports (no model): the records
field by field, dates of every precision, codes split into country and sector, copies
left out unless asked, filters, paging, the CSV and JSON Lines writers and
``events_coded.parquet``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from eventstore import PALMYRA_GEO, WIRE_TEXT, Built, build_store, located_report, sentence
from newsgraph.store import TABLES, Store
from newsgraph.store.events_export import (
    CSV_FIELDS,
    PARQUET_COLUMNS,
    PLACE_FIELDS,
    Dated,
    flat,
    place,
    resolve_date,
    split_code,
    write_csv,
    write_jsonl,
)

D = dt.date
#: dated by the publication day (2025-12-16)
PUB = Dated("2025-12-16", D(2025, 12, 16), D(2025, 12, 16), "published", "published")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_store(tmp_path_factory.mktemp("events") / "events.duckdb")


#: The gazetteer fields of a place stored without a ``geo`` (the hand-built reports have none).
NO_GEO: dict[str, Any] = {"lat": None, "lon": None, "geonames_id": None, "feature": None}


def coded(built: Built, **kw: Any) -> list[dict[str, Any]]:
    with Store.open(built.db, read_only=True) as store:
        return list(store.coded_events(**kw))


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


# -- dates and codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "source", "expected"),
    [
        ("2024-05-03", "event", Dated("2024-05-03", D(2024, 5, 3), D(2024, 5, 3), "day", "event")),
        (
            "2024-05-03TMO",
            "clause",
            Dated("2024-05-03", D(2024, 5, 3), D(2024, 5, 3), "day", "clause"),
        ),
        ("2024-W17", None, Dated("2024-W17", D(2024, 4, 22), D(2024, 4, 28), "week", "event")),
        ("2024-05", "event", Dated("2024-05", D(2024, 5, 1), D(2024, 5, 31), "month", "event")),
        ("2024-SU", "event", Dated("2024-SU", D(2024, 6, 1), D(2024, 8, 31), "season", "event")),
        ("2024-Q2", "event", Dated("2024-Q2", D(2024, 4, 1), D(2024, 6, 30), "quarter", "event")),
        ("2024-H2", "event", Dated("2024-H2", D(2024, 7, 1), D(2024, 12, 31), "half", "event")),
        ("2024", "event", Dated("2024", D(2024, 1, 1), D(2024, 12, 31), "year", "event")),
        ("202", "event", Dated("202", D(2020, 1, 1), D(2029, 12, 31), "decade", "event")),
        # the publication day: told so, or nothing (or nothing calendar) dates the event
        ("2025-12-16", "published", PUB),
        (None, None, PUB),
        ("PRESENT_REF", None, PUB),
    ],
)
def test_a_date_is_as_precise_as_its_timex3_value_allows(
    value: str | None, source: str | None, expected: Dated
) -> None:
    assert resolve_date(value, source, D(2025, 12, 16)) == expected


def test_an_event_with_no_date_in_an_undated_article_has_no_date() -> None:
    assert resolve_date(None, None, None) == Dated()


def test_a_code_splits_into_country_and_sector_an_igos_own_code_into_neither() -> None:
    assert split_code("TURGOV", "COUNTRY") == ("TUR", "GOV")
    assert split_code("ISRCOP", "NORP") == ("ISR", "COP")
    assert split_code("USA", "PERSON") == ("USA", None)
    assert split_code("NATO", "IGO") == (None, None)
    assert split_code("NATO", "PERSON") == (None, None)  # the Secretary General
    assert split_code("WHO", "PERSON") == (None, None)  # three letters, not a state
    assert split_code("NAM", "IGO") == (None, None)  # the Non-Aligned Movement, not Namibia
    assert split_code("NAM", "COUNTRY") == ("NAM", None)
    assert split_code(None, "PERSON") == (None, None)


# -- records -------------------------------------------------------------------------------


def test_each_event_is_one_record_with_names_codes_and_its_resolved_date(built: Built) -> None:
    records = by_id(coded(built, copies=False))
    w = built.wire
    article = {
        "article_id": w,
        "url": "https://wire.example/s400",
        "outlet": "Wire",
        "title": "Turkey and the S-400",
        "published": "2025-12-16",
        "duplicate_of": None,
    }
    with Store.open(built.db, read_only=True) as store:
        (story,) = store.sql("SELECT story FROM corpus_articles WHERE article_id = ?", [w])[0]
    assert story
    assert records[f"{w}:v1"] == {
        "id": f"{w}:v1",
        "event_id": "v1",
        "event_type": "SANCTION",
        "mode": "suspend",
        "source": {
            "name": "United States",
            "kb_id": "Q30",
            "type": "COUNTRY",
            "code": "USA",
            "country": "USA",
            "sector": None,
            "phrase": None,
        },
        "target": {
            "name": "Turkey",
            "kb_id": "Q43",
            "type": "COUNTRY",
            "code": "TUR",
            "country": "TUR",
            "sector": None,
            "phrase": None,
        },
        "date": "2019-07",
        "date_start": "2019-07-01",
        "date_end": "2019-07-31",
        "date_precision": "month",
        "date_source": "event",
        "location": None,
        "trigger": "suspended",
        "object": "the F-35 programme",
        "mentions": [],
        "sentence": sentence(WIRE_TEXT, 0).text,
        "negated": False,
        "hypothetical": False,
        "quote": False,
        "origin": "lexicon:suspend/VERB",
        **article,
        "story": story,
    }
    ev2 = records[f"{w}:v2"]
    assert ev2["source"] == {
        "name": "Turkish officials",
        "kb_id": "Q43",
        "type": "NORP",
        "code": "TURGOV",
        "country": "TUR",
        "sector": "GOV",
        "phrase": "Turkish officials",
    }
    assert (ev2["date"], ev2["date_precision"], ev2["date_source"]) == (
        "2025-12-15",
        "day",
        "clause",
    )
    assert (ev2["hypothetical"], ev2["quote"], ev2["mentions"]) == (True, True, ["hand back"])
    assert ev2["object"] == "the S-400 systems"

    ev3 = records[f"{w}:v3"]  # an IGO acts: its own code, no country, no sector
    assert ev3["source"] == {
        "name": "NATO",
        "kb_id": "Q7184",
        "type": "IGO",
        "code": "NATO",
        "country": None,
        "sector": None,
        "phrase": None,
    }
    # a described group ("rebel positions") is no entity: its words name it, its code
    # is its sector alone when no country is known
    assert ev3["target"] == {
        "name": "rebel positions",
        "kb_id": None,
        "type": None,
        "code": "REB",
        "country": None,
        "sector": "REB",
        "phrase": "rebel positions",
    }
    assert ev3["location"] == {"name": "Palmyra", "kb_id": "Q5747", "country": "SYR", **NO_GEO}
    assert (ev3["date"], ev3["date_start"], ev3["date_end"]) == ("2024", "2024-01-01", "2024-12-31")
    assert ev3["date_precision"] == "year"

    ev4 = records[f"{w}:v4"]  # dated only by the publication; a person acting for NATO
    assert (ev4["date"], ev4["date_precision"], ev4["date_source"]) == (
        "2025-12-16",
        "published",
        "published",
    )
    assert ev4["target"]["code"] == "NATO" and ev4["target"]["country"] is None
    assert ev4["location"] == {"name": "Brussels", "kb_id": "Q239", "country": "BEL", **NO_GEO}

    ev5 = records[f"{w}:v5"]  # a row from before date_source: no date, no code
    assert ev5["source"] == {
        "name": "Rosoboronexport",
        "kb_id": "ngkb:company:rosoboronexport",
        "type": "ORGANIZATION",
        "code": None,
        "country": "RUS",  # from the entity's knowledge-base attributes
        "sector": None,
        "phrase": None,
    }
    assert (ev5["date"], ev5["date_precision"], ev5["date_source"]) == (
        "2025-12-16",
        "published",
        "published",
    )
    ev6 = records[f"{w}:v6"]
    assert (ev6["date"], ev6["date_precision"], ev6["date_source"]) == ("2024-W17", "week", "event")
    assert (ev6["date_start"], ev6["date_end"]) == ("2024-04-22", "2024-04-28")
    ev7 = records[f"{w}:v7"]
    assert (ev7["date"], ev7["date_precision"]) == ("2024-Q2", "quarter")
    ev8 = records[f"{w}:v8"]
    assert (ev8["date"], ev8["date_precision"], ev8["negated"]) == ("2024-05-03", "day", True)
    assert (ev8["source"]["country"], ev8["source"]["sector"]) == ("TUR", "MIL")

    other = records[f"{built.other}:v1"]  # an undated article, an undated event
    assert [other[k] for k in ("date", "date_start", "date_end", "date_precision")] == [None] * 4
    assert other["date_source"] is None and other["published"] is None
    assert (other["url"], other["title"], other["outlet"]) == (None, None, "Athens Daily")


def test_copies_are_left_out_unless_asked_for_and_say_what_they_copy(built: Built) -> None:
    once = coded(built, copies=False)
    every = coded(built)
    assert {r["article_id"] for r in once} == {built.wire, built.other}
    assert len(once) == 9 and len(every) == 17
    copies = [r for r in every if r["article_id"] == built.copy]
    assert len(copies) == 8
    assert all(r["duplicate_of"] == built.wire for r in copies)
    wire = by_id(once)
    for r in copies:
        original = wire[f"{built.wire}:{r['event_id']}"]
        assert r["story"] == original["story"]
        assert (r["source"], r["target"], r["event_type"]) == (
            original["source"],
            original["target"],
            original["event_type"],
        )
    # dated by its own (later) publication where the publication dates it
    assert by_id(copies)[f"{built.copy}:v5"]["date"] == "2025-12-17"


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"type": "assault"},
        {"actor": "TUR"},
        {"source": "TURGOV"},
        {"target": "NATO"},
        {"since": D(2024, 1, 1), "until": D(2024, 12, 31)},
        {"since": D(2025, 12, 16)},
        {"until": D(2019, 12, 31)},
    ],
    ids=["all", "type", "actor", "source", "target", "2024", "since", "until"],
)
def test_the_filters_keep_what_the_events_command_lists(built: Built, filters: Any) -> None:
    with Store.open(built.db, read_only=True) as store:
        for copies in (False, True):
            listed = store.events(limit=None, copies=copies, **filters)
            exported = list(store.coded_events(copies=copies, **filters))
            assert {f"{r.article_id}:{r.event_id}" for r in listed} == {r["id"] for r in exported}


def test_events_come_page_by_page_in_the_order_they_were_stored(
    built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = coded(built)
    monkeypatch.setattr(Store, "export_page", 3)
    paged = coded(built)
    assert paged == whole
    assert [r["article_id"] for r in whole] == [built.wire] * 8 + [built.copy] * 8 + [built.other]
    assert [r["event_id"] for r in whole[:8]] == [f"v{k}" for k in range(1, 9)]


def test_an_empty_store_exports_nothing(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    Store.open(db).close()
    with Store.open(db, read_only=True) as store:
        assert list(store.coded_events()) == []
        store.export_parquet(tmp_path / "pq")
    con = duckdb.connect()
    assert con.execute(
        f"SELECT count(*) FROM '{tmp_path / 'pq' / 'events_coded.parquet'}'"
    ).fetchone() == (0,)


# -- writers -------------------------------------------------------------------------------


def test_csv_is_one_flat_row_per_event_under_a_header(built: Built) -> None:
    records = coded(built, copies=False)
    out = io.StringIO(newline="")
    assert write_csv(records, out) == len(records)
    text = out.getvalue()
    assert text.splitlines()[0] == ",".join(CSV_FIELDS)
    assert "\r\n" in text  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(records)
    for row, rec in zip(rows, records, strict=True):
        for name, value in flat(rec).items():
            if value is None:
                assert row[name] == "", name
            elif isinstance(value, bool):
                assert row[name] == str(value).lower(), name
            elif isinstance(value, list):
                assert row[name] == " | ".join(value), name
            else:
                assert row[name] == value, name
    ev2 = next(r for r in rows if r["id"].endswith(":v2"))
    assert (ev2["source_country"], ev2["source_sector"], ev2["mentions"]) == (
        "TUR",
        "GOV",
        "hand back",
    )
    assert ev2["sentence"] == sentence(WIRE_TEXT, 1).text  # quote marks survive quoting
    assert (ev2["hypothetical"], ev2["quote"], ev2["location_name"]) == ("true", "true", "")


def test_json_lines_hold_one_nested_record_per_line(built: Built) -> None:
    records = coded(built, copies=False)
    out = io.StringIO()
    assert write_jsonl(records, out) == len(records)
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == records


def test_parquet_export_carries_names_codes_and_dates_in_events_coded(
    built: Built, tmp_path: Path
) -> None:
    with Store.open(built.db, read_only=True) as store:
        files = store.export_parquet(tmp_path / "pq")
        records = list(store.coded_events())  # copies too: the Parquet export is the store
    names = sorted(p.name for p in files)
    assert names == sorted(
        [*(f"{t}.parquet" for t in (*TABLES, *Store.corpus_tables)), "events_coded.parquet"]
    )
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == names  # no temporary left
    path = tmp_path / "pq" / "events_coded.parquet"
    con = duckdb.connect()
    described = con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
    assert [(r[0], r[1]) for r in described] == list(PARQUET_COLUMNS)
    cur = con.execute(f"SELECT * FROM '{path}'")
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    assert len(rows) == len(records) == 17
    for row, rec in zip(rows, records, strict=True):
        want = flat(rec)
        for name in ("date_start", "date_end", "published"):
            want[name] = D.fromisoformat(want[name]) if want[name] else None
        assert row == want
    sanction = next(r for r in rows if r["event_type"] == "SANCTION")
    assert (sanction["source_name"], sanction["source_code"], sanction["target_country"]) == (
        "United States",
        "USA",
        "TUR",
    )
    assert (sanction["date"], sanction["date_precision"]) == ("2019-07", "month")


# -- places with a point (schema 7) --------------------------------------------------------


@pytest.fixture(scope="module")
def located(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store holding :func:`eventstore.located_report`: its path and the article id."""
    db = tmp_path_factory.mktemp("located") / "located.duckdb"
    report = located_report()
    with Store.open(db) as store:
        store.add(report)
    return db, report.article.id


def test_the_location_carries_the_places_point_and_gazetteer_entry(
    located: tuple[Path, str],
) -> None:
    db, aid = located
    with Store.open(db, read_only=True) as store:
        records = by_id(list(store.coded_events()))
    assert records[f"{aid}:v1"]["location"] == {
        "name": "Palmyra",
        "kb_id": "Q5747",
        "country": "SYR",  # no knowledge-base country: the gazetteer's
        "lat": 34.5503,
        "lon": 38.2691,
        "geonames_id": 170987,
        "feature": "city",
    }
    assert records[f"{aid}:v2"]["location"] == {
        "name": "Brussels",
        "kb_id": "Q239",
        "country": "BEL",
        "lat": 50.8505,
        "lon": 4.3488,
        "geonames_id": 2800866,
        "feature": "city",
    }
    assert records[f"{aid}:v3"]["location"] is None


def test_a_knowledge_base_country_wins_over_the_gazetteers() -> None:
    geo = {**PALMYRA_GEO, "country": "XXX"}
    known = place("e1", "Palmyra", "Q5747", {"country": "SYR"}, geo)
    assert known is not None and known["country"] == "SYR"
    unknown = place("e1", "Palmyra", "Q5747", None, geo)
    assert unknown is not None and unknown["country"] == "XXX"
    assert place("e1", "Palmyra", "Q5747", None) == {
        "name": "Palmyra",
        "kb_id": "Q5747",
        **{f: None for f in PLACE_FIELDS[2:]},
    }
    assert place(None, None, None, None, geo) is None


def test_the_csv_json_and_parquet_carry_the_location_point(
    located: tuple[Path, str], tmp_path: Path
) -> None:
    db, _ = located
    assert PLACE_FIELDS == ("name", "kb_id", "country", "lat", "lon", "geonames_id", "feature")
    at = CSV_FIELDS.index("location_name")
    assert CSV_FIELDS[at : at + len(PLACE_FIELDS)] == tuple(f"location_{f}" for f in PLACE_FIELDS)
    assert CSV_FIELDS[at - 1] == "date_source" and CSV_FIELDS[at + len(PLACE_FIELDS)] == "trigger"
    with Store.open(db, read_only=True) as store:
        records = list(store.coded_events())
        store.export_parquet(tmp_path / "pq")

    out = io.StringIO(newline="")
    write_csv(records, out)
    rows = {r["event_id"]: r for r in csv.DictReader(io.StringIO(out.getvalue(), newline=""))}
    located_cols = [f"location_{f}" for f in PLACE_FIELDS]
    assert [rows["v1"][c] for c in located_cols] == [
        "Palmyra",
        "Q5747",
        "SYR",
        "34.5503",
        "38.2691",
        "170987",
        "city",
    ]
    assert [rows["v3"][c] for c in located_cols] == [""] * len(PLACE_FIELDS)

    lines = io.StringIO()
    write_jsonl(records, lines)
    parsed = {r["event_id"]: r for r in map(json.loads, lines.getvalue().splitlines())}
    loc = parsed["v2"]["location"]
    assert (loc["lat"], loc["lon"], loc["country"], loc["feature"]) == (
        50.8505,
        4.3488,
        "BEL",
        "city",
    )

    path = tmp_path / "pq" / "events_coded.parquet"
    con = duckdb.connect()
    types = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
    assert (types["location_lat"], types["location_lon"]) == ("DOUBLE", "DOUBLE")
    assert types["location_geonames_id"] == "BIGINT"
    got = con.execute(
        f"SELECT event_id, location_lat, location_lon, location_geonames_id, location_country,"
        f" location_feature FROM '{path}' ORDER BY event_id"
    ).fetchall()
    assert got == [
        ("v1", 34.5503, 38.2691, 170987, "SYR", "city"),
        ("v2", 50.8505, 4.3488, 2800866, "BEL", "city"),
        ("v3", None, None, None, None, None),
    ]


def test_the_documented_csv_header_is_the_csv_header() -> None:
    from conftest import ROOT

    doc = (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
    (header,) = [line for line in doc.splitlines() if line.startswith("id,event_id,")]
    assert tuple(header.split(",")) == CSV_FIELDS
