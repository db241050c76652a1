"""The DuckDB report store: round trips, idempotence, atomic batches, export, refusals."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from eventstore import BRUSSELS_GEO, PALMYRA_GEO, located_report
from newsgraph.errors import NewsgraphError
from newsgraph.report import (
    Article,
    Claim,
    Entity,
    Event,
    EventType,
    Flag,
    Quote,
    Report,
    Span,
    TimelineEntry,
    Timex,
    text_id,
)
from newsgraph.store import SCHEMA_VERSION, TABLES, ArticleRow, ClaimRow, EventRow, FlagRow, Store
from newsgraph.store.schema import ENTITIES, EVENTS, GEO_COLUMNS, MIGRATIONS

LAYER_TABLES = (
    "entities",
    "mentions",
    "quotes",
    "timexes",
    "timeline",
    "events",
    "claims",
    "flags",
)


def _span(text: str, needle: str, after: int = 0) -> Span:
    start = text.index(needle, after)
    return Span(start, start + len(needle), needle)


def make_report(
    n: int = 0,
    *,
    published: str | None = "2024-05-04",
    extra_entities: int = 0,
) -> Report:
    """A hand-built report touching every layer, its spans consistent with its text."""
    text = (
        f"Story {n}. Foreign Minister Anna Berg said on Friday that Norland would send aid "
        f'to Vesland. "We will not abandon our neighbours," Berg told reporters. '
        f"Officials said Vesland rejected the offer last week. Prices rose 12% in May."
    )
    for i in range(extra_entities):
        text += f" Person{i} Example spoke."
    anna = _span(text, "Anna Berg")
    berg2 = _span(text, "Berg", anna.end)
    norland = _span(text, "Norland")
    vesland1 = _span(text, "Vesland")
    vesland2 = _span(text, "Vesland", vesland1.end)
    entities = [
        Entity("e1", "Anna Berg", "PERSON", "Q1", [anna, berg2], "test:person"),
        Entity("e2", "Norland", "COUNTRY", None, [norland], "test:gpe"),
        Entity("e3", "Vesland", "COUNTRY", "Q3", [vesland1, vesland2], "test:gpe"),
    ]
    pos = 0
    for i in range(extra_entities):
        m = _span(text, f"Person{i} Example", pos)
        pos = m.end
        entities.append(Entity(f"x{i}", m.text, "PERSON", None, [m], "test:extra"))
    content = _span(text, "We will not abandon our neighbours,")
    quotes = [
        Quote(
            "q1",
            "direct",
            content,
            _span(text, "told"),
            _span(text, "Berg", content.end),
            "e1",
            "named_person",
            "test:quote",
        ),
        Quote(
            "q2",
            "indirect",
            _span(text, "Vesland rejected the offer last week"),
            _span(text, "said", content.end),
            None,
            None,
            "anonymous_group",
            "test:quote",
            date="2024-W17",
        ),
    ]
    friday = _span(text, "Friday")
    timexes = [
        Timex(friday.start, friday.end, friday.text, "DATE", "2024-05-03", "test:timex"),
        Timex(
            *_astuple(_span(text, "last week")),
            "DATE",
            "2024-W17",
            "test:timex",
            anchor="published",
        ),
        Timex(*_astuple(_span(text, "May", friday.end)), "DATE", "2024-05", "test:timex"),
    ]
    sentence1 = _span(
        text, "Foreign Minister Anna Berg said on Friday that Norland would send aid to"
    )
    sentence2 = _span(text, "Officials said Vesland rejected the offer last week.")
    events = [
        Event(
            "v1",
            "AID",
            None,
            "e2",
            "e3",
            _span(text, "send aid"),
            "2024-05-03",
            False,
            True,
            sentence1,
            "test:event",
            source_code="NORGOV",
            target_code="VES",
            object=_span(text, "aid"),
        ),
        Event(
            "v2",
            "REJECT",
            "verbal",
            "e3",
            "e2",
            _span(text, "rejected"),
            None,
            False,
            False,
            sentence2,
            "test:event",
            source_code="VES",
            target_code="NORGOV",
            quote="q2",
        ),
    ]
    rose = _span(text, "Prices rose 12% in May.")
    claims = [
        Claim("c1", rose.start, rose.end, rose.text, 0.8, "numeric", None, "test:claim"),
        Claim("c2", content.start, content.end, content.text, 0.25, "prediction", "q1", "t:c"),
    ]
    flags = [
        Flag("ANONYMOUS_SOURCE", "warning", "A claim rests on unnamed officials.", [sentence2]),
        Flag("NO_EVIDENCE", "info", "Nothing to show.", []),
    ]
    timeline = [
        TimelineEntry(
            "2024-04-22",
            "2024-04-28",
            "on",
            "2024-W17",
            "Vesland rejected the offer last week",
            sentence2,
            _span(text, "last week"),
            quote="q2",
        ),
        TimelineEntry("2024-05-04", None, "after", "2024-05-03", "send aid", sentence1, None),
    ]
    report = Report(
        timeline=timeline,
        article=Article(
            text=text,
            title=f"Story {n}",
            url=f"https://example.org/{n}",
            outlet="Example Times",
            published=published,
            published_source="given" if published else None,
        ),
        entities=entities,
        quotes=quotes,
        timexes=timexes,
        events=events,
        claims=claims,
        flags=flags,
        generator={"newsgraph": "0.1.0", "components": ["test"]},
    )
    assert report.span_problems() == []
    return report


def _astuple(s: Span) -> tuple[int, int, str]:
    return s.start, s.end, s.text


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _table_counts(path: Path) -> dict[str, int]:
    return {t: _rows(path, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


class Exploding(Report):
    """A report that fails while being written, as a bug or a bad input would."""

    def to_dict(self) -> dict[str, Any]:
        raise RuntimeError("boom")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "news.duckdb"


# -- round trip and idempotence ----------------------------------------------------------


def test_round_trip_equals_original(db: Path) -> None:
    report = make_report(1)
    with Store.open(db) as store:
        assert store.add(report, origin="story1.txt") is True
        got = store.get(report.article.id)
    assert got is not None
    assert got.to_dict() == report.to_dict()


def test_layer_rows_mirror_report_fields(db: Path) -> None:
    report = make_report(1)
    aid = report.article.id
    with Store.open(db) as store:
        store.add(report, origin="in.jsonl:3", record_id="r-3")
    counts = _table_counts(db)
    assert counts == {
        "articles": 1,
        "entities": 3,
        "mentions": 5,
        "quotes": 2,
        "timexes": 3,
        "timeline": 2,
        "events": 2,
        "claims": 2,
        "flags": 2,
    }
    art = _rows(
        db,
        "SELECT id, title, url, outlet, published, published_source, origin, record_id,"
        " generator->>'newsgraph' FROM articles",
    )
    assert art[0][0] == aid == text_id(report.article.text)
    assert art[0][1:4] == ("Story 1", "https://example.org/1", "Example Times")
    assert str(art[0][4]) == "2024-05-04"
    assert art[0][5:] == ("given", "in.jsonl:3", "r-3", "0.1.0")
    q = _rows(
        db,
        "SELECT kind, content_text, cue_text, speaker_start, speaker_text, speaker_entity"
        " FROM quotes WHERE quote_id = 'q1'",
    )[0]
    assert q[0] == "direct" and q[1].startswith("We will not") and q[2] == "told"
    assert report.article.text[q[3] : q[3] + 4] == q[4] == "Berg" and q[5] == "e1"
    assert _rows(db, "SELECT cue_text, speaker_text FROM quotes WHERE quote_id = 'q2'") == [
        ("said", None)
    ]
    ev = _rows(
        db,
        "SELECT source, target, type, trigger_text, date, negated, hypothetical FROM events"
        " ORDER BY event_id",
    )
    assert ev == [
        ("e2", "e3", "AID", "send aid", "2024-05-03", False, True),
        ("e3", "e2", "REJECT", "rejected", None, False, False),
    ]
    ev3 = _rows(
        db,
        "SELECT source_code, target_code, object_start, object_end, object_text, quote"
        " FROM events ORDER BY event_id",
    )
    aid_at = report.events[0].object
    assert aid_at is not None and aid_at.text == "aid"
    assert ev3 == [
        ("NORGOV", "VES", aid_at.start, aid_at.end, "aid", None),
        ("VES", "NORGOV", None, None, None, "q2"),
    ]
    ments = _rows(db, "SELECT idx, start, \"end\", text FROM mentions WHERE entity_id = 'e1'")
    m0, m1 = report.entities[0].mentions
    assert sorted(ments) == [(0, *_astuple(m0)), (1, *_astuple(m1))]
    assert _rows(db, "SELECT checkworthiness, quote FROM claims ORDER BY claim_id") == [
        (0.8, None),
        (0.25, "q1"),
    ]
    ev_json = _rows(db, "SELECT json_array_length(evidence) FROM flags ORDER BY idx")
    assert ev_json == [(1,), (0,)]
    assert _rows(db, "SELECT value, anchor FROM timexes WHERE anchor IS NOT NULL") == [
        ("2024-W17", "published")
    ]
    assert _rows(db, "SELECT date FROM quotes ORDER BY quote_id") == [(None,), ("2024-W17",)]
    tl = _rows(
        db,
        'SELECT idx, start, "end", relation, value, timex_text, quote FROM timeline ORDER BY idx',
    )
    assert [(i, str(a), str(b) if b else None, r, v, t, q) for i, a, b, r, v, t, q in tl] == [
        (0, "2024-04-22", "2024-04-28", "on", "2024-W17", "last week", "q2"),
        (1, "2024-05-04", None, "after", "2024-05-03", None, None),
    ]


#: The columns schema version 3 added to ``events``, and the indexes on them.
V3_EVENT_COLUMNS = (
    "source_code",
    "target_code",
    "object_start",
    "object_end",
    "object_text",
    "quote",
)
V3_INDEXES = ("events_codes", "events_date")
V5_EVENT_COLUMNS = ("date_source", "location", "mentions")
V6_EVENT_COLUMNS = tuple(
    f"{side}_phrase_{part}" for side in ("source", "target") for part in ("start", "end", "text")
)
#: The columns schema version 7 added to ``entities``.
V7_ENTITY_COLUMNS = ("lat", "lon", "geonames_id", "geo_country", "geo_feature")


def _downgrade_to_v6(con: duckdb.DuckDBPyConnection) -> None:
    """Make a current database look as version 6 wrote it."""
    con.execute("DROP INDEX entities_kb")  # DuckDB drops no column of an indexed table
    for column in V7_ENTITY_COLUMNS:
        con.execute(f'ALTER TABLE entities DROP COLUMN "{column}"')
    con.execute("CREATE INDEX entities_kb ON entities (kb_id)")
    con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")


def _downgrade_to_v2(con: duckdb.DuckDBPyConnection) -> None:
    """Make a current database look as version 2 wrote it."""
    _downgrade_to_v6(con)
    for index in ("events_dyad", *V3_INDEXES):  # DuckDB drops no column of an indexed table
        con.execute(f"DROP INDEX {index}")
    for column in (*V3_EVENT_COLUMNS, *V5_EVENT_COLUMNS, *V6_EVENT_COLUMNS):
        con.execute(f'ALTER TABLE events DROP COLUMN "{column}"')
    con.execute("CREATE INDEX events_dyad ON events (source, target, type)")  # as v2 had it
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")


def _columns(path: Path, table: str) -> list[str]:
    sql = (
        "SELECT column_name FROM duckdb_columns()"
        f" WHERE table_name = '{table}' ORDER BY column_index"
    )
    return [r[0] for r in _rows(path, sql)]


def test_a_version_1_database_is_upgraded_in_place(db: Path) -> None:
    with Store.open(db) as store:
        store.add(make_report(1))
    con = duckdb.connect(str(db))
    _downgrade_to_v2(con)
    for column in ("mod", "upper", "anchor", "refers_to"):
        con.execute(f'ALTER TABLE timexes DROP COLUMN "{column}"')
    con.execute('ALTER TABLE quotes DROP COLUMN "date"')
    con.execute("DROP TABLE timeline")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    with Store.open(db) as store:
        assert store.count() == 1
        assert store.add(make_report(2)) is True
    assert _rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    assert _rows(db, "SELECT count(*) FROM timeline")[0][0] == 2
    assert _rows(db, "SELECT count(anchor) FROM timexes")[0][0] == 1
    assert _columns(db, "events") == list(EVENTS.column_names)
    # the new report's events carry their codes; the old one's have none
    assert _rows(db, "SELECT count(source_code), count(quote) FROM events") == [(2, 1)]


def test_a_version_2_database_is_upgraded_in_place(db: Path) -> None:
    old = make_report(1)
    with Store.open(db) as store:
        store.add(old)
    con = duckdb.connect(str(db))
    _downgrade_to_v2(con)
    con.close()
    assert "source_code" not in _columns(db, "events")
    with pytest.raises(NewsgraphError) as err:  # read-only cannot upgrade
        Store.open(db, read_only=True)
    assert err.value.code == "E013"
    assert f"needs an upgrade to {SCHEMA_VERSION}" in err.value.message
    with Store.open(db) as store:
        assert store.count() == 1
        assert store.add(make_report(2)) is True
        got = store.get(old.article.id)  # the full report JSON was there all along
        assert got is not None and got.to_dict() == old.to_dict()
        rows = store.events(actor="NOR")
        assert len(rows) == 2 and {r.source_code for r in rows} == {"NORGOV", "VES"}
    assert _rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    assert _columns(db, "events") == list(EVENTS.column_names)
    indexes = {r[0] for r in _rows(db, "SELECT index_name FROM duckdb_indexes()")}
    assert set(V3_INDEXES) <= indexes
    assert _rows(db, "SELECT count(*), count(source_code), count(object_text) FROM events") == [
        (4, 2, 1)
    ]


def test_adding_twice_stores_once(db: Path) -> None:
    report = make_report(1)
    with Store.open(db) as store:
        assert store.add(report) is True
        assert store.add(report, origin="again") is False
        assert store.count() == 1
        assert store.has(report.article.id)
        assert not store.has("0" * 64)
    assert _table_counts(db)["entities"] == 3


def test_add_many_skips_known_and_repeated_ids(db: Path) -> None:
    a, b, c = make_report(1), make_report(2), make_report(3)
    with Store.open(db) as store:
        store.add(a)
        n = store.add_many(
            [(a, None, None), (b, "b.txt", None), (b, "b2.txt", None), (c, None, "7")]
        )
        assert n == 2
        assert store.count() == 3
        assert store.known_ids([a.article.id, "f" * 64, c.article.id]) == {
            a.article.id,
            c.article.id,
        }
        assert store.known_ids([]) == set()
        origins = {r.id: (r.origin, r.record_id) for r in store.articles()}
    assert origins[b.article.id] == ("b.txt", None)
    assert origins[c.article.id] == (None, "7")


# -- atomic batches ----------------------------------------------------------------------


def test_add_many_is_atomic(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One report per INSERT round, so good reports really are written before the failure.
    monkeypatch.setattr(Store, "chunk_size", 1)
    committed = [make_report(i) for i in range(3)]
    with Store.open(db) as store:
        assert store.add_many((r, f"{i}.txt", None) for i, r in enumerate(committed)) == 3
    before = _table_counts(db)

    good = [make_report(i) for i in range(10, 13)]
    bad = Exploding(make_report(99).article)
    batch = [(good[0], None, None), (good[1], None, None), (bad, None, None), (good[2], None, None)]
    with Store.open(db) as store:
        with pytest.raises(RuntimeError, match="boom"):
            store.add_many(batch)
        # Still usable, and nothing of the failed batch is visible.
        assert store.count() == 3
        assert store.known_ids(r.article.id for r in good) == set()
        assert all(store.get(r.article.id) is not None for r in committed)
    assert _table_counts(db) == before

    # The same batch without the bad report goes in whole.
    with Store.open(db) as store:
        assert store.add_many((r, None, None) for r in good) == 3
        assert store.count() == 6


def test_interrupted_batch_leaves_nothing(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Store, "chunk_size", 2)
    with Store.open(db) as store:
        store.add(make_report(0))

    def interrupted() -> Iterator[tuple[Report, str | None, str | None]]:
        for i in range(1, 6):
            yield make_report(i), None, None
        raise KeyboardInterrupt

    with Store.open(db) as store:
        with pytest.raises(KeyboardInterrupt):
            store.add_many(interrupted())
        assert store.count() == 1
    assert _table_counts(db)["entities"] == 3


# -- persistence -------------------------------------------------------------------------


def test_reopen_keeps_data(db: Path) -> None:
    reports = [make_report(i) for i in range(4)]
    with Store.open(db) as store:
        store.add_many((r, None, None) for r in reports)
    with Store.open(db) as store:
        assert store.count() == 4
        got = store.get(reports[2].article.id)
        assert got is not None and got.to_dict() == reports[2].to_dict()
    with Store.open(db, read_only=True) as store:
        assert store.count() == 4
        assert store.read_only
    assert _rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]


def test_open_is_idempotent_and_memory_works(db: Path) -> None:
    for _ in range(2):
        with Store.open(db) as store:
            assert store.count() == 0
    with Store.open(":memory:") as mem:
        mem.add(make_report(1))
        assert mem.count() == 1


def test_read_only_store_refuses_writes(db: Path) -> None:
    Store.open(db).close()
    with Store.open(db, read_only=True) as store, pytest.raises(NewsgraphError) as err:
        store.add(make_report(1))
    assert err.value.code == "E013"


def test_closed_store_raises_e013(db: Path) -> None:
    store = Store.open(db)
    store.close()
    store.close()
    with pytest.raises(NewsgraphError) as err:
        store.count()
    assert err.value.code == "E013" and "closed" in err.value.message


def test_unparseable_published_is_kept_in_report(db: Path) -> None:
    report = make_report(1, published="sometime in 2024")
    with Store.open(db) as store:
        store.add(report)
        (row,) = store.articles()
        got = store.get(report.article.id)
    assert row.published is None
    assert got is not None and got.article.published == "sometime in 2024"


# -- get by prefix -----------------------------------------------------------------------


def test_get_by_id_prefix(db: Path) -> None:
    report = make_report(1)
    aid = report.article.id
    with Store.open(db) as store:
        store.add(report)
        for prefix in (aid[:6], aid[:12], aid[:12].upper(), aid):
            got = store.get(prefix)
            assert got is not None and got.article.id == aid
        assert store.get(aid[:5]) is None  # too short
        assert store.get("not-hex") is None
        assert store.get("0" * 64) is None
        assert store.find_ids(aid[:8]) == [aid]


def test_ambiguous_prefix_gives_none(db: Path) -> None:
    seen: dict[str, str] = {}
    pair: tuple[str, str] | None = None
    i = 0
    while pair is None:
        text = f"collide {i}"
        prefix = text_id(text)[:6]
        if prefix in seen:
            pair = (seen[prefix], text)
        seen[prefix] = text
        i += 1
    with Store.open(db) as store:
        for t in pair:
            store.add(Report(article=Article(text=t)))
        prefix = text_id(pair[0])[:6]
        assert len(store.find_ids(prefix)) == 2
        assert store.get(prefix) is None
        assert store.get(text_id(pair[1])[:12]) is not None


# -- listing -----------------------------------------------------------------------------


def test_articles_order_and_counts(db: Path) -> None:
    dates = ["2024-01-01", None, "2024-03-01", None, "2024-02-01"]
    reports = [make_report(i, published=d) for i, d in enumerate(dates)]
    reports[3].flags = []
    with Store.open(db) as store:
        store.add_many((r, f"{i}.txt", None) for i, r in enumerate(reports))
        rows = store.articles()
        assert [r.published for r in rows] == [
            "2024-03-01",
            "2024-02-01",
            "2024-01-01",
            None,
            None,
        ]
        # Undated articles follow in ingest order.
        assert [r.origin for r in rows[3:]] == ["1.txt", "3.txt"]
        assert rows[0].counts == {
            "entities": 3,
            "quotes": 2,
            "timexes": 3,
            "events": 2,
            "claims": 2,
            "flags": 2,
        }
        assert rows[4].counts["flags"] == 0
        assert rows[0].title == "Story 2" and rows[0].url == "https://example.org/2"
        assert rows[0].outlet == "Example Times" and rows[0].published_source == "given"
        assert rows[0].ingested_at.endswith("Z") and rows[0].ingested_at[:2] == "20"
        assert isinstance(rows[0], ArticleRow)
        d = rows[0].to_dict()
        assert d["id"] == rows[0].id and d["counts"]["quotes"] == 2 and d["origin"] == "2.txt"
        assert json.loads(json.dumps(d)) == d
        assert [r.id for r in store.articles(limit=2, offset=1)] == [r.id for r in rows[1:3]]
        assert [r.id for r in store.articles(offset=3)] == [r.id for r in rows[3:]]
        assert store.articles(limit=0) == []
        with pytest.raises(ValueError):
            store.articles(limit=-1)


# -- export ------------------------------------------------------------------------------


def test_export_parquet_one_file_per_table(db: Path, tmp_path: Path) -> None:
    with Store.open(db) as store:
        store.add_many((make_report(i), None, None) for i in range(3))
    with Store.open(db, read_only=True) as store:
        out = tmp_path / "export" / "nested"
        files = store.export_parquet(out)
        assert store.export_parquet(out) == files  # overwrites in place
    tables = (*TABLES, *Store.corpus_tables, "events_coded")
    assert sorted(p.name for p in files) == sorted(f"{t}.parquet" for t in tables)
    assert set(out.iterdir()) == set(files)
    counts = _table_counts(db) | {
        t: _rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in Store.corpus_tables
    }
    counts["events_coded"] = counts["events"]  # the same events with names and codes
    con = duckdb.connect(":memory:")
    for path in files:
        table = path.stem
        (n,) = con.execute(f"SELECT count(*) FROM '{path}'").fetchone() or (None,)
        assert n == counts[table], table
    cols = [
        r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{out / 'mentions.parquet'}'").fetchall()
    ]
    assert cols == ["article_id", "entity_id", "idx", "start", "end", "text"]
    con.close()


def test_export_to_unwritable_target_is_e018(db: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with Store.open(db) as store:
        with pytest.raises(NewsgraphError) as err:
            store.export_parquet(blocker)
        assert err.value.code == "E018"
        with pytest.raises(NewsgraphError) as err:
            store.export_parquet(blocker / "sub")
        assert err.value.code == "E018"


# -- refusals ----------------------------------------------------------------------------


def test_not_a_duckdb_file_is_e013(tmp_path: Path) -> None:
    bad = tmp_path / "notes.duckdb"
    bad.write_bytes(b"this is plain text, not a database\n" * 20)
    with pytest.raises(NewsgraphError) as err:
        Store.open(bad)
    assert err.value.code == "E013"
    assert (
        str(err.value)
        == f"E013: the database {bad} cannot be used: it is not a DuckDB database file"
    )
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert bad.read_bytes().startswith(b"this is plain text")


def test_read_only_missing_file_is_e013(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    with pytest.raises(NewsgraphError) as err:
        Store.open(missing, read_only=True)
    assert err.value.code == "E013" and "does not exist" in err.value.message
    assert not missing.exists()


def test_newer_schema_version_is_e013(db: Path) -> None:
    Store.open(db).close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    for read_only in (False, True):
        with pytest.raises(NewsgraphError) as err:
            Store.open(db, read_only=read_only)
        assert err.value.code == "E013" and "newer" in err.value.message


def test_foreign_duckdb_database_is_e013(db: Path) -> None:
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE other (x INTEGER)")
    con.close()
    with pytest.raises(NewsgraphError) as err:
        Store.open(db)
    assert err.value.code == "E013" and "not a newsgraph database" in err.value.message


def test_empty_file_becomes_a_new_store(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    empty.touch()
    with pytest.raises(NewsgraphError):
        Store.open(empty, read_only=True)
    with Store.open(empty) as store:
        assert store.count() == 0


def test_folder_is_e013(tmp_path: Path) -> None:
    with pytest.raises(NewsgraphError) as err:
        Store.open(tmp_path)
    assert err.value.code == "E013" and "folder" in err.value.message


def test_locked_file_is_e013(db: Path) -> None:
    Store.open(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
            " sys.stdin.read()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(NewsgraphError) as err:
            Store.open(db)
        assert err.value.code == "E013"
        assert err.value.message.endswith("it is in use by another process")
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    with Store.open(db) as store:
        assert store.count() == 0


# -- speed -------------------------------------------------------------------------------


def test_adding_300_reports_is_fast(db: Path) -> None:
    reports = [make_report(i, extra_entities=47) for i in range(300)]
    assert len(reports[0].entities) == 50
    with Store.open(db) as store:
        t0 = time.perf_counter()
        assert store.add_many((r, None, None) for r in reports) == 300
        elapsed = time.perf_counter() - t0
        assert store.count() == 300
    assert _table_counts(db)["entities"] == 300 * 50
    assert elapsed < 5.0, f"adding 300 reports took {elapsed:.2f}s"


def test_timeline_lists_dated_statements_across_articles(db: Path) -> None:
    with Store.open(db) as store:
        store.add(make_report(1))
        store.add(make_report(2))
        every = store.timeline()
        assert [(r.start, r.relation) for r in every] == [
            ("2024-04-22", "on"),
            ("2024-04-22", "on"),
            ("2024-05-04", "after"),
            ("2024-05-04", "after"),
        ]
        assert every[0].label == "Vesland rejected the offer last week"
        assert every[0].timex == "last week" and every[0].quote == "q2"
        # an open-ended statement runs on past any later day
        later = store.timeline(since=date(2030, 1, 1))
        assert {r.relation for r in later} == {"after"}
        assert store.timeline(until=date(2024, 4, 21)) == []
        assert len(store.timeline(contains="SEND AID")) == 2
        assert store.timeline(contains="100%_") == []
        assert len(store.timeline(limit=1)) == 1


def test_migrations_add_the_columns_the_schema_ends_with() -> None:
    assert max(MIGRATIONS) == SCHEMA_VERSION - 1
    added = [stmt.split('"')[1] for stmt in (*MIGRATIONS[2], *MIGRATIONS[4], *MIGRATIONS[5])]
    assert added == [*V3_EVENT_COLUMNS, *V5_EVENT_COLUMNS, *V6_EVENT_COLUMNS]
    assert added == list(EVENTS.column_names[-len(added) :])
    geo = [(stmt.split(" ")[2], stmt.split('"')[1]) for stmt in MIGRATIONS[6]]
    assert geo == [("entities", c) for c in V7_ENTITY_COLUMNS]
    assert list(V7_ENTITY_COLUMNS) == [c for c, _ in GEO_COLUMNS]
    assert ENTITIES.columns[-len(GEO_COLUMNS) :] == GEO_COLUMNS
    assert all(
        f'"{c}" {t}' in stmt for (c, t), stmt in zip(GEO_COLUMNS, MIGRATIONS[6], strict=True)
    )


def test_a_version_6_database_is_upgraded_to_7_in_place(db: Path) -> None:
    old = make_report(1)
    with Store.open(db) as store:
        store.add(old)
    con = duckdb.connect(str(db))
    _downgrade_to_v6(con)
    con.close()
    assert "lat" not in _columns(db, "entities")
    with pytest.raises(NewsgraphError) as err:  # read-only cannot upgrade
        Store.open(db, read_only=True)
    assert err.value.code == "E013" and "has schema version 6" in err.value.message
    located = located_report()
    with Store.open(db) as store:
        assert store.count() == 1
        assert store.add(located) is True
        got = store.get(old.article.id)
        assert got is not None and got.to_dict() == old.to_dict()
        got = store.get(located.article.id)
        assert got is not None and got.entities[0].geo == PALMYRA_GEO
        near = store.events(near=(34.55, 38.27), within_km=10)
        assert [(r.event_id, r.location_name) for r in near] == [("v1", "Palmyra")]
    assert _rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    assert _columns(db, "entities") == list(ENTITIES.column_names)
    indexes = {r[0] for r in _rows(db, "SELECT index_name FROM duckdb_indexes()")}
    assert "entities_kb" in indexes
    # the old article's entities keep NULL there; the new one's places have their point
    assert _rows(db, "SELECT count(*), count(lat), count(geo_feature) FROM entities") == [(6, 2, 2)]


# -- places with a point (schema 7) ------------------------------------------------------


def test_an_entitys_geo_round_trips_and_fills_the_entity_columns(db: Path) -> None:
    report = located_report()
    with Store.open(db) as store:
        store.add(report)
        got = store.get(report.article.id)
    assert got is not None and got.to_dict() == report.to_dict()
    assert [e.geo for e in got.entities] == [PALMYRA_GEO, BRUSSELS_GEO, None]
    assert "geo" not in got.entities[2].to_dict()
    rows = _rows(
        db,
        "SELECT entity_id, lat, lon, geonames_id, geo_country, geo_feature FROM entities"
        " ORDER BY entity_id",
    )
    assert rows == [
        ("e1", 34.5503, 38.2691, 170987, "SYR", "city"),
        ("e2", 50.8505, 4.3488, 2800866, "BEL", "city"),
        ("e3", None, None, None, None, None),
    ]


def test_a_geo_with_odd_values_is_stored_as_far_as_it_can_be(db: Path) -> None:
    report = located_report()
    report.entities[0].geo = {"lat": "34.5", "lon": 38, "geonames_id": None, "feature": "city"}
    report.entities[1].geo = {"lat": "north", "lon": None, "country": "", "feature": None}
    with Store.open(db) as store:
        store.add(report)
        got = store.get(report.article.id)  # the report itself keeps what it was given
    assert got is not None and got.to_dict() == report.to_dict()
    assert _rows(
        db,
        "SELECT lat, lon, geonames_id, geo_country, geo_feature FROM entities"
        " WHERE entity_id IN ('e1', 'e2') ORDER BY entity_id",
    ) == [(34.5, 38.0, None, None, "city"), (None, None, None, None, None)]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The haversine distance, worked out here to check the store's SQL."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_events_near_a_point_keep_the_events_whose_place_is_within_the_distance(
    db: Path,
) -> None:
    located = located_report()
    with Store.open(db) as store:
        store.add_many([(located, None, None), (make_report(1), None, None)])
        every = store.events()
        assert len(every) == 5 and all(r.distance_km is None for r in every)
        by_id = {(r.article_id, r.event_id): r for r in every}
        v1 = by_id[(located.article.id, "v1")]
        assert (v1.location, v1.location_name) == ("e1", "Palmyra")
        assert (v1.location_lat, v1.location_lon) == (34.5503, 38.2691)
        assert by_id[(located.article.id, "v3")].location is None

        # Tadmur's centre, some 3 km from the stored point
        near = store.events(near=(34.56, 38.30), within_km=10)
        assert [r.event_id for r in near] == ["v1"]
        assert near[0].distance_km is not None and 2 < near[0].distance_km < 4
        assert store.events(near=(34.56, 38.30), within_km=2) == []
        # Brussels to Palmyra is about 3,270 km: both within 5,000 km of Brussels, the
        # event with no place and those of the article with no places never
        wide = store.events(near=(50.85, 4.35), within_km=5000)
        assert [r.event_id for r in wide] == ["v1", "v2"]  # time order: both published
        assert wide[0].distance_km == pytest.approx(_km(50.85, 4.35, 34.5503, 38.2691), abs=1e-3)
        assert wide[1].distance_km == pytest.approx(_km(50.85, 4.35, 50.8505, 4.3488), abs=1e-3)
        assert [r.event_id for r in store.events(near=(50.85, 4.35), within_km=3267)] == ["v2"]
        # combined with the other filters
        assert [
            r.event_id for r in store.events(near=(50.85, 4.35), within_km=5000, type="consult")
        ] == ["v2"]
        assert store.events(near=(50.85, 4.35), within_km=5000, actor="SYR")[0].event_id == "v1"
        assert store.events(near=(50.85, 4.35), within_km=5000, since=date(2026, 1, 1)) == []
        assert len(store.events(near=(50.85, 4.35), within_km=5000, limit=1)) == 1
        with pytest.raises(ValueError):
            store.events(near=(91.0, 0.0))
        with pytest.raises(ValueError):
            store.events(near=(0.0, 0.0), within_km=-1)


def test_the_distance_crosses_the_antimeridian(db: Path) -> None:
    report = located_report()
    report.entities[0].geo = {**PALMYRA_GEO, "lat": 0.0, "lon": 179.9}
    with Store.open(db) as store:
        store.add(report)
        near = store.events(near=(0.0, -179.9), within_km=30)
    # 179.9 E and 179.9 W are 22 km apart at the equator
    assert [r.event_id for r in near] == ["v1"]
    assert near[0].distance_km == pytest.approx(_km(0.0, -179.9, 0.0, 179.9), abs=1e-3)
    assert 22 < _km(0.0, -179.9, 0.0, 179.9) < 23


def _event(report: Report, eid: str, kind: EventType, trigger: str, **kw: Any) -> Event:
    """An event in the sentence of the offer, its trigger the first ``trigger`` in the text."""
    text = report.article.text
    return Event(
        eid,
        kind,
        kw.pop("mode", None),
        kw.pop("source", None),
        kw.pop("target", None),
        _span(text, trigger),
        kw.pop("date", None),
        False,
        False,
        _span(text, "Officials said Vesland rejected the offer last week."),
        "test:event",
        **kw,
    )


def test_events_filters_by_actor_side_type_and_days(db: Path) -> None:
    a = make_report(1, published="2024-05-04")
    b = make_report(2, published="2024-06-10")
    b.events.append(
        _event(
            b,
            "v3",
            "SANCTION",
            "rejected",
            source="e2",
            source_code="USA",
            target_code="TURGOV",
            date="2024-W10",
            mode="suspend",
        )
    )
    c = make_report(3, published=None)
    c.events = [_event(c, "v1", "SANCTION", "offer", source_code="TUR", target_code="USAGOV")]
    with Store.open(db) as store:
        store.add_many([(a, None, None), (b, None, None), (c, None, None)])
        every = store.events()
        assert len(every) == 6 and all(isinstance(r, EventRow) for r in every)
        # in time order: the event's own date where it has one, else publication;
        # events with no day at all last
        assert [(r.start, r.end, r.dated_by, r.type) for r in every] == [
            ("2024-03-04", "2024-03-10", "event", "SANCTION"),
            ("2024-05-03", "2024-05-03", "event", "AID"),
            ("2024-05-03", "2024-05-03", "event", "AID"),
            ("2024-05-04", "2024-05-04", "published", "REJECT"),
            ("2024-06-10", "2024-06-10", "published", "REJECT"),
            (None, None, None, "SANCTION"),
        ]
        first = every[0]
        assert first.article_id == b.article.id and first.title == "Story 2"
        assert first.published == "2024-06-10" and first.date == "2024-W10"
        assert (first.source, first.source_name, first.target, first.target_name) == (
            "e2",
            "Norland",
            None,
            None,
        )
        assert first.trigger == "rejected" and first.mode == "suspend"
        assert first.sentence.startswith("Officials said")
        aid = every[1]
        assert aid.object == "aid" and aid.source_name == "Norland" and aid.hypothetical
        assert every[3].quote == "q2"
        d = first.to_dict()
        assert json.loads(json.dumps(d)) == d and d["source_code"] == "USA"

        # actor: a code prefix on either side
        assert {(r.source_code, r.target_code) for r in store.events(actor="tur")} == {
            ("USA", "TURGOV"),
            ("TUR", "USAGOV"),
        }
        assert len(store.events(actor="NOR")) == 4
        assert len(store.events(actor="NORGOVX")) == 0
        # source / target: one side only
        assert [r.target_code for r in store.events(source="USA")] == ["TURGOV"]
        assert [r.source_code for r in store.events(target="USA")] == ["TUR"]
        assert len(store.events(source="VES", target="NOR")) == 2
        assert store.events(source="TUR", target="TUR") == []
        # type, any case, combined with an actor
        assert len(store.events(type="sanction")) == 2
        assert [r.source_code for r in store.events(type="SANCTION", target="TUR")] == ["USA"]
        # days: overlap with the stretch; undated events drop out
        assert [r.type for r in store.events(until=date(2024, 3, 4))] == ["SANCTION"]
        assert [r.start for r in store.events(since=date(2024, 3, 10), until=date(2024, 5, 3))] == [
            "2024-03-04",
            "2024-05-03",
            "2024-05-03",
        ]
        assert [r.start for r in store.events(since=date(2024, 6, 1))] == ["2024-06-10"]
        assert store.events(since=date(2030, 1, 1)) == []
        # limit after ordering
        assert [r.event_id for r in store.events(limit=2)] == ["v3", "v1"]
        assert store.events(limit=0) == []
        with pytest.raises(ValueError):
            store.events(limit=-1)


def test_events_of_a_store_without_events_is_empty(db: Path) -> None:
    with Store.open(db) as store:
        store.add(Report(article=Article(text="Nothing happened.", published="2024-01-01")))
        assert store.events() == []
        assert store.events(actor="USA", since=date(2024, 1, 1)) == []


# -- claims and flags across articles ----------------------------------------------------


def _three_reports() -> tuple[Report, Report, Report]:
    """Stories 1 and 2 (published 2024-05-04 and 2024-06-10) and an undated story 3 with a
    top-scoring causal claim inside the unattributed quote q2 and three more flags."""
    a = make_report(1, published="2024-05-04")
    b = make_report(2, published="2024-06-10")
    c = make_report(3, published=None)
    text = c.article.text
    offer = _span(text, "Vesland rejected the offer last week")
    c.claims.append(Claim("c3", offer.start, offer.end, offer.text, 0.95, "causal", "q2"))
    c.flags += [
        Flag("DATE_CONTRADICTION", "error", "Two dates clash.", [_span(text, "Friday")]),
        Flag("ALL_CAPS_HEADLINE", "warning", "Shouting.", []),
        Flag("ANONYMOUS_SOURCE", "info", "An unnamed source, mildly.", []),
    ]
    return a, b, c


def test_claims_list_the_most_check_worthy_first_with_their_speaker(db: Path) -> None:
    a, b, c = _three_reports()
    with Store.open(db) as store:
        store.add_many([(a, None, None), (b, None, None), (c, None, None)])
        every = store.claims()
        assert all(isinstance(r, ClaimRow) for r in every)
        # score, then the newest article (undated last), then article id and position
        assert [(r.claim_id, r.checkworthiness, r.published) for r in every] == [
            ("c3", 0.95, None),
            ("c1", 0.8, "2024-06-10"),
            ("c1", 0.8, "2024-05-04"),
            ("c1", 0.8, None),
            ("c2", 0.25, "2024-06-10"),
            ("c2", 0.25, "2024-05-04"),
            ("c2", 0.25, None),
        ]
        top, numeric, quoted = every[0], every[1], every[4]
        assert (top.kind, top.quote, top.speaker, top.speaker_name) == ("causal", "q2", None, None)
        assert top.article_id == c.article.id and top.title == "Story 3"
        assert (numeric.kind, numeric.quote, numeric.speaker) == ("numeric", None, None)
        assert numeric.text == "Prices rose 12% in May."
        assert b.article.text[numeric.start : numeric.end] == numeric.text
        assert numeric.url == "https://example.org/2" and numeric.origin == "test:claim"
        # a claim inside a quote carries the quote's speaker as written and as resolved
        assert (quoted.quote, quoted.speaker, quoted.speaker_name) == ("q1", "Berg", "Anna Berg")
        d = quoted.to_dict()
        assert json.loads(json.dumps(d)) == d
        assert (
            d["claim_id"] == "c2"
            and d["speaker_name"] == "Anna Berg"
            and d["kind"] == ("prediction")
        )


def test_claims_filter_by_kind_score_words_and_publication_days(db: Path) -> None:
    a, b, c = _three_reports()
    with Store.open(db) as store:
        store.add_many([(a, None, None), (b, None, None), (c, None, None)])

        def ids(**kw: Any) -> list[tuple[str, str | None]]:
            return [(r.claim_id, r.published) for r in store.claims(**kw)]

        assert {r.kind for r in store.claims(kind="NUMERIC")} == {"numeric"}
        assert len(store.claims(kind="numeric")) == 3
        assert [r.kind for r in store.claims(kind="causal, prediction")] == ["causal"] + [
            "prediction"
        ] * 3
        assert len(store.claims(min_score=0.8)) == 4
        assert ids(min_score=0.81) == [("c3", None)]
        assert len(store.claims(min_score=0.0)) == 7 and store.claims(min_score=1.0) == []
        # words anywhere, any case, taken literally (% and _ are no wildcards)
        assert len(store.claims(contains="PRICES rose")) == 3
        assert len(store.claims(contains="12%")) == 3
        assert store.claims(contains="1_%") == []
        # the article's publication day; undated articles drop out
        assert ids(since=date(2024, 6, 1)) == [("c1", "2024-06-10"), ("c2", "2024-06-10")]
        assert ids(until=date(2024, 5, 4)) == [("c1", "2024-05-04"), ("c2", "2024-05-04")]
        assert store.claims(since=date(2024, 5, 5), until=date(2024, 6, 9)) == []
        assert ids(kind="prediction", min_score=0.2, since=date(2024, 5, 4)) == [
            ("c2", "2024-06-10"),
            ("c2", "2024-05-04"),
        ]
        # limit after ordering
        assert ids(limit=2) == [("c3", None), ("c1", "2024-06-10")]
        assert store.claims(limit=0) == []
        with pytest.raises(ValueError):
            store.claims(limit=-1)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (
            {"kind": "numeric,rumour"},
            "E021: 'rumour' is not a claim kind; use numeric, causal, prediction, evaluative "
            "or factual",
        ),
        (
            {"min_score": 1.5},
            "E021: '1.5' is not a checkworthiness score; use a number from 0 to 1",
        ),
        (
            {"min_score": -0.1},
            "E021: '-0.1' is not a checkworthiness score; use a number from 0 to 1",
        ),
        (
            {"min_score": float("nan")},
            "E021: 'nan' is not a checkworthiness score; use a number from 0 to 1",
        ),
    ],
)
def test_claims_refuse_an_unknown_kind_or_a_score_outside_0_to_1(
    db: Path, kw: dict[str, Any], message: str
) -> None:
    with Store.open(db) as store, pytest.raises(NewsgraphError) as err:
        store.claims(**kw)
    assert str(err.value) == message


def test_flags_list_the_most_severe_first_then_the_newest_article(db: Path) -> None:
    a, b, c = _three_reports()
    with Store.open(db) as store:
        store.add_many([(a, None, None), (b, None, None), (c, None, None)])
        every = store.flags()
        assert all(isinstance(r, FlagRow) for r in every)
        assert [(r.severity, r.code, r.published) for r in every] == [
            ("error", "DATE_CONTRADICTION", None),
            ("warning", "ANONYMOUS_SOURCE", "2024-06-10"),
            ("warning", "ANONYMOUS_SOURCE", "2024-05-04"),
            ("warning", "ANONYMOUS_SOURCE", None),
            ("warning", "ALL_CAPS_HEADLINE", None),  # after its article's earlier flag
            ("info", "NO_EVIDENCE", "2024-06-10"),
            ("info", "NO_EVIDENCE", "2024-05-04"),
            ("info", "NO_EVIDENCE", None),
            ("info", "ANONYMOUS_SOURCE", None),
        ]
        error, warning, info = every[0], every[1], every[5]
        friday = _span(c.article.text, "Friday")
        assert error.evidence == [friday.to_dict()] and error.article_id == c.article.id
        assert warning.message == "A claim rests on unnamed officials."
        assert warning.evidence == [b.flags[0].evidence[0].to_dict()]
        assert (warning.title, warning.url) == ("Story 2", "https://example.org/2")
        assert info.evidence == []
        d = warning.to_dict()
        assert json.loads(json.dumps(d)) == d
        assert d["evidence"][0]["text"].startswith("Officials said") and d["code"] == (
            "ANONYMOUS_SOURCE"
        )


def test_flags_filter_by_severity_at_or_above_code_and_days(db: Path) -> None:
    a, b, c = _three_reports()
    with Store.open(db) as store:
        store.add_many([(a, None, None), (b, None, None), (c, None, None)])

        def shown(**kw: Any) -> list[tuple[str, str]]:
            return [(r.severity, r.code) for r in store.flags(**kw)]

        assert shown(severity="ERROR") == [("error", "DATE_CONTRADICTION")]
        assert {s for s, _ in shown(severity="warning")} == {"error", "warning"}
        assert len(shown(severity="warning")) == 5 and len(shown(severity="info")) == 9
        # codes exactly (any case), one or a comma list; no prefixes
        assert shown(code="no_evidence") == [("info", "NO_EVIDENCE")] * 3
        assert len(shown(code="NO_EVIDENCE, DATE_CONTRADICTION")) == 4
        assert shown(code="NO_EVID") == []
        assert (
            shown(code="ANONYMOUS_SOURCE", severity="warning")
            == [("warning", "ANONYMOUS_SOURCE")] * 3
        )
        assert [r.published for r in store.flags(since=date(2024, 6, 1))] == ["2024-06-10"] * 2
        assert [r.published for r in store.flags(until=date(2024, 5, 4))] == ["2024-05-04"] * 2
        assert shown(limit=2) == [("error", "DATE_CONTRADICTION"), ("warning", "ANONYMOUS_SOURCE")]
        assert store.flags(limit=0) == []
        with pytest.raises(ValueError):
            store.flags(limit=-1)
        for bad, value in (("fatal", "fatal"), ("warning,error", "warning,error")):
            with pytest.raises(NewsgraphError) as err:
                store.flags(severity=bad)
            assert str(err.value) == (
                f"E021: '{value}' is not a flag severity; use info, warning or error"
            )
        with pytest.raises(NewsgraphError, match=r"^E021: 'fatal'"):
            store.flag_counts(severity="fatal")


def test_flag_counts_by_code_and_severity_follow_the_filters(db: Path) -> None:
    a, b, c = _three_reports()
    with Store.open(db) as store:
        assert store.flag_counts() == {}
        store.add_many([(a, None, None), (b, None, None), (c, None, None)])
        counts = store.flag_counts()
        assert counts == {
            "DATE_CONTRADICTION": {"error": 1},
            "ANONYMOUS_SOURCE": {"warning": 3, "info": 1},
            "ALL_CAPS_HEADLINE": {"warning": 1},
            "NO_EVIDENCE": {"info": 3},
        }
        # the most severe code first, then the most frequent; severities most severe first
        assert list(counts) == [
            "DATE_CONTRADICTION",
            "ANONYMOUS_SOURCE",
            "ALL_CAPS_HEADLINE",
            "NO_EVIDENCE",
        ]
        assert list(counts["ANONYMOUS_SOURCE"]) == ["warning", "info"]
        assert store.flag_counts(severity="error") == {"DATE_CONTRADICTION": {"error": 1}}
        assert store.flag_counts(code="anonymous_source", severity="warning") == {
            "ANONYMOUS_SOURCE": {"warning": 3}
        }
        assert store.flag_counts(since=date(2024, 6, 1)) == {
            "ANONYMOUS_SOURCE": {"warning": 1},
            "NO_EVIDENCE": {"info": 1},
        }


def test_claims_and_flags_of_a_store_without_them_are_empty(db: Path) -> None:
    with Store.open(db) as store:
        store.add(Report(article=Article(text="Nothing happened.", published="2024-01-01")))
        assert store.claims() == [] and store.flags() == []
        assert store.claims(kind="numeric", min_score=0.5, since=date(2024, 1, 1)) == []
        assert store.flag_counts(severity="info") == {}
