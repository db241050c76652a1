"""A DuckDB file holding reports: one row per article, one table per report layer.

The full report JSON is kept in ``articles.report`` so :meth:`Store.get` gives back
exactly what was added; the layer tables (``entities``, ``quotes``, ...) hold the
same data flattened for queries. Writes go through :meth:`Store.add_many`, which
writes a whole batch in one transaction: a failed or interrupted batch leaves the
database as it was before the batch.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Final, NoReturn, get_args

import duckdb

from newsgraph.errors import NewsgraphError
from newsgraph.report import ClaimKind, Report, Severity, Span
from newsgraph.store import schema
from newsgraph.store.events_export import PARQUET_COLUMNS, record, resolve_date, write_flat_jsonl
from newsgraph.store.schema import SCHEMA_VERSION, Table, quote_ident
from newsgraph.timevalues import parse_value


@dataclass(frozen=True)
class TimelineRow:
    """One dated statement of a stored article, as listed by :meth:`Store.timeline`."""

    article_id: str
    title: str | None
    published: str | None
    start: str
    end: str | None
    relation: str
    value: str
    label: str
    sentence: str
    timex: str | None
    quote: str | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        return {
            "article_id": self.article_id,
            "title": self.title,
            "published": self.published,
            "start": self.start,
            "end": self.end,
            "relation": self.relation,
            "value": self.value,
            "label": self.label,
            "sentence": self.sentence,
            "timex": self.timex,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class EventRow:
    """One stored event with its article, as listed by :meth:`Store.events`.

    ``start``/``end`` are the first and last day the event is placed on: those of
    its own date (``date``, a TIMEX3 value) when that is a calendar value, else the
    article's publication day. ``dated_by`` says which (``"event"`` or
    ``"published"``); when neither gives a day, all three are None.

    ``location`` is the entity id of the place the event happened (None when the text
    does not say), ``location_name`` its name and ``location_lat``/``location_lon`` its
    point (None when the gazetteer does not know it). ``distance_km`` is the distance
    from the point :meth:`Store.events` was asked about (``near``), else None.
    """

    article_id: str
    title: str | None
    published: str | None
    event_id: str
    type: str
    mode: str | None
    source: str | None  # entity id
    target: str | None  # entity id
    source_name: str | None  # that entity's name
    target_name: str | None
    source_code: str | None  # PLOVER actor code ("TURGOV", "USA", "NATO")
    target_code: str | None
    trigger: str
    object: str | None
    sentence: str
    date: str | None
    start: str | None
    end: str | None
    dated_by: str | None
    negated: bool
    hypothetical: bool
    quote: str | None
    origin: str | None
    location: str | None = None  # entity id of the place
    location_name: str | None = None
    location_lat: float | None = None
    location_lon: float | None = None
    distance_km: float | None = None  # from the point asked about (``near``)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class ClaimRow:
    """One stored claim with its article, as listed by :meth:`Store.claims`.

    ``start``/``end`` place ``text`` in the article text. When the claim sits in a
    quote (``quote``, a quote id), ``speaker`` is that quote's speaker as written at
    the attribution and ``speaker_name`` the canonical name of the entity it resolves
    to; each is None when there is no quote or the quote does not give it.
    """

    article_id: str
    title: str | None
    url: str | None
    published: str | None
    claim_id: str
    start: int
    end: int
    text: str
    checkworthiness: float
    kind: str
    quote: str | None  # quote id
    speaker: str | None
    speaker_name: str | None
    origin: str | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class FlagRow:
    """One stored flag with its article, as listed by :meth:`Store.flags`.

    ``evidence`` holds the flag's spans as dicts (``start``, ``end``, ``text``).
    """

    article_id: str
    title: str | None
    url: str | None
    published: str | None
    code: str
    severity: str
    message: str
    evidence: list[dict[str, Any]]
    origin: str | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["evidence"] = [dict(span) for span in self.evidence]
        return out


#: The claim kinds of the report contract.
CLAIM_KINDS: Final[tuple[str, ...]] = get_args(ClaimKind)
#: Flag severities, least serious first (``info``, ``warning``, ``error``).
SEVERITIES: Final[tuple[str, ...]] = get_args(Severity)
#: SQL ranking a flag's severity, most serious first (unknown values last).
_SEVERITY_RANK: Final = (
    "CASE f.severity "
    + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(reversed(SEVERITIES)))
    + f" ELSE {len(SEVERITIES)} END"
)

#: SQL keeping rows of articles that are not a copy of another (``a`` is the article):
#: with it, a wire story carried by five outlets counts once.
_NOT_A_COPY: Final = (
    "NOT EXISTS (SELECT 1 FROM corpus_articles cp "
    "WHERE cp.article_id = a.id AND cp.duplicate_of IS NOT NULL)"
)

#: ``(report, origin, record_id)``: one item of :meth:`Store.add_many`.
ReportItem = tuple[Report, str | None, str | None]


def _storing_error(item: ReportItem, exc: BaseException) -> NewsgraphError:
    """``exc`` as a coded error: itself, or E029 for an unexpected exception."""
    if isinstance(exc, NewsgraphError):
        return exc
    report, origin, _ = item
    return NewsgraphError(
        "E029",
        where=origin or report.article.id[:12],
        step="storing the report",
        reason=f"{type(exc).__name__}: {exc}"[:160],
    )


_HEX_PREFIX: Final = re.compile(r"[0-9a-f]{6,64}")
_MIN_PREFIX: Final = 6
_MEMORY: Final = ":memory:"


@dataclass(frozen=True)
class ArticleRow:
    """One stored article as listed by :meth:`Store.articles` (no text, no layers)."""

    id: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    published_source: str | None
    origin: str | None
    ingested_at: str
    #: Rows per layer: ``entities``, ``quotes``, ``timexes``, ``events``, ``claims``, ``flags``.
    counts: dict[str, int] = field(default_factory=dict)
    record_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published,
            "published_source": self.published_source,
            "origin": self.origin,
            "record_id": self.record_id,
            "ingested_at": self.ingested_at,
            "counts": dict(self.counts),
        }


def _reason(exc: BaseException) -> str:
    """A plain one-line reason from a DuckDB error message."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "Could not set lock" in msg or "Conflicting lock" in msg:
        return "it is in use by another process"
    if "not a valid DuckDB database" in msg:
        return "it is not a DuckDB database file"
    if "different configuration" in msg:
        return "it is already open in this process with different settings"
    msg = re.sub(r"^[A-Za-z ]*Error:\s*", "", msg)
    return msg[:1].lower() + msg[1:] if msg else type(exc).__name__


def _date_or_none(value: str | None) -> date | None:
    """The ISO date at the start of ``value``, or None when there is none."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _event_days(value: str | None, published: date | None) -> tuple[date, date, str] | None:
    """``(first day, last day, "event" | "published")`` an event is placed on, or None."""
    point = parse_value(value) if value else None
    if point is not None:
        return point.day, point.end, "event"
    if published is not None:
        return published, published, "published"
    return None


def _like(words: str) -> str:
    """An ``ILIKE ... ESCAPE '\\'`` pattern matching ``words`` anywhere, taken literally."""
    return "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _one_of(names: Sequence[str]) -> str:
    """``"a, b or c"``."""
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)


def _names(value: str | None, known: Sequence[str] | None, what: str) -> list[str]:
    """The comma-separated names in ``value``: lower-cased and each one of ``known``, or
    upper-cased when ``known`` is None (flag codes); E021 for a name not known."""
    if value is None:
        return []
    names = [n.strip() for n in value.split(",") if n.strip()]
    if known is None:
        return [n.upper() for n in names]
    names = [n.lower() for n in names]
    for name in names:
        if name not in known:
            raise NewsgraphError("E021", value=name, what=what, expected=_one_of(known))
    return names


def _published_between(since: date | None, until: date | None) -> tuple[list[str], list[Any]]:
    """SQL conditions (and parameters) keeping articles published within the days given;
    an article with no publication date is dropped by either bound."""
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        where.append("a.published >= ?")
        params.append(since)
    if until is not None:
        where.append("a.published <= ?")
        params.append(until)
    return where, params


def _event_codes(
    actor: str | None, source: str | None, target: str | None, type_: str | None
) -> tuple[list[str], list[Any]]:
    """SQL conditions (and parameters) on the events table ``v`` of :meth:`Store.events`
    and :meth:`Store.coded_events`: actor codes by prefix, a PLOVER type (any case)."""
    where: list[str] = []
    params: list[Any] = []
    if actor:
        where.append("(starts_with(v.source_code, ?) OR starts_with(v.target_code, ?))")
        params += [actor.strip().upper()] * 2
    for column, code in (("source_code", source), ("target_code", target)):
        if code:
            where.append(f"starts_with(v.{column}, ?)")
            params.append(code.strip().upper())
    if type_:
        where.append("v.type = ?")
        params.append(type_.strip().upper())
    return where, params


def _overlaps(
    first: date | None, last: date | None, since: date | None, until: date | None
) -> bool:
    """Whether the days ``first``..``last`` overlap ``since``..``until`` (no days: only
    when there is no bound)."""
    if first is None or last is None:
        return since is None and until is None
    return not ((since is not None and last < since) or (until is not None and first > until))


#: SQL: the values of a list parameter, for ``x IN (...)``.
_ONE_OF: Final = "(SELECT unnest(?::VARCHAR[]))"

#: The mean Earth radius (km) of the great-circle distances (as ``newsgraph.geo`` has it).
EARTH_RADIUS_KM: Final = 6371.0088

#: SQL: the haversine distance in km from the point of the parameters ``(lat, lat, lon)``
#: to the entity ``l``'s point; NULL when the entity has none (or there is no entity).
_DISTANCE_KM: Final = (
    f"(2 * {EARTH_RADIUS_KM} * asin(least(1.0, sqrt("
    "pow(sin(radians(l.lat - ?) / 2), 2)"
    " + cos(radians(?)) * cos(radians(l.lat)) * pow(sin(radians(l.lon - ?) / 2), 2)))))"
)


def _check_near(near: tuple[float, float] | None, within_km: float) -> None:
    """ValueError for a point off the map or a negative distance."""
    if near is None:
        return
    lat, lon = near
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"not a point on the map: {lat}, {lon}")
    if not within_km >= 0:
        raise ValueError("within_km must not be negative")


#: The columns of an event :meth:`Store.coded_events` reads from the events table.
CODED_EVENT_COLUMNS: Final = (
    "article_id",
    "event_id",
    "type",
    "mode",
    "source",
    "source_code",
    "target",
    "target_code",
    "location",
    "trigger_text",
    "object_text",
    "sentence_text",
    "date",
    "date_source",
    "negated",
    "hypothetical",
    "quote",
    "origin",
    "mentions",
    "source_phrase_text",
    "target_phrase_text",
)


def _literal(path: Path) -> str:
    """A path as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def _span_cols(span: Span | None) -> tuple[int | None, int | None, str | None]:
    return (None, None, None) if span is None else (span.start, span.end, span.text)


def _as(kind: type[float] | type[int], value: Any) -> Any:
    """``value`` as a float or int, None when it is none or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return kind(value)
    except (TypeError, ValueError):
        return None


def _geo_cols(
    geo: dict[str, Any] | None,
) -> tuple[float | None, float | None, int | None, str | None, str | None]:
    """The ``entities`` columns of an entity's ``geo`` (:data:`schema.GEO_COLUMNS`);
    all None when it has none."""
    if not geo:
        return None, None, None, None, None
    country, feature = geo.get("country"), geo.get("feature")
    return (
        _as(float, geo.get("lat")),
        _as(float, geo.get("lon")),
        _as(int, geo.get("geonames_id")),
        str(country) if country else None,
        str(feature) if feature else None,
    )


def _geo(row: Sequence[Any]) -> dict[str, Any] | None:
    """An entity's ``geo`` from its :data:`schema.GEO_COLUMNS` values, None when they
    are all NULL."""
    if all(value is None for value in row):
        return None
    return dict(zip(schema.GEO_KEYS, row, strict=True))


def _insert_sql(table: Table) -> str:
    """``INSERT ... SELECT unnest(...)``: one statement per table and batch, one list per column."""
    names = ", ".join(quote_ident(n) for n in table.column_names)
    lists = ", ".join(f"unnest(${i}::{t}[])" for i, t in enumerate(table.column_types, start=1))
    return f"INSERT INTO {quote_ident(table.name)} ({names}) SELECT {lists}"


_INSERT: Final[dict[str, str]] = {
    t.name: _insert_sql(t) for t in (*schema.DATA_TABLES, *schema.CORPUS_TABLES)
}


def _flag_rows(report: Report) -> list[tuple[Any, ...]]:
    """The rows of the ``flags`` table for ``report``."""
    return [
        (
            report.article.id,
            i,
            f.code,
            f.severity,
            f.message,
            json.dumps([s.to_dict() for s in f.evidence], ensure_ascii=False),
            f.origin,
        )
        for i, f in enumerate(report.flags)
    ]


def _report_rows(
    report: Report, origin: str | None, record_id: str | None, ingested_at: datetime
) -> dict[str, list[tuple[Any, ...]]]:
    """The rows ``report`` adds to each table (column order as in :mod:`schema`)."""
    full = json.dumps(report.to_dict(), ensure_ascii=False)
    a = report.article
    aid = a.id
    rows: dict[str, list[tuple[Any, ...]]] = {t.name: [] for t in schema.DATA_TABLES}
    rows["articles"].append(
        (
            aid,
            a.text,
            a.title,
            a.url,
            a.outlet,
            _date_or_none(a.published),
            a.published_source,
            origin,
            record_id,
            ingested_at,
            json.dumps(report.generator, ensure_ascii=False),
            full,
        )
    )
    for e in report.entities:
        rows["entities"].append((aid, e.id, e.name, e.type, e.kb_id, e.origin, *_geo_cols(e.geo)))
        rows["mentions"] += [
            (aid, e.id, i, m.start, m.end, m.text) for i, m in enumerate(e.mentions)
        ]
    for q in report.quotes:
        rows["quotes"].append(
            (
                aid,
                q.id,
                q.kind,
                *_span_cols(q.content),
                *_span_cols(q.cue),
                *_span_cols(q.speaker),
                q.speaker_entity,
                q.source_kind,
                q.origin,
                q.date,
            )
        )
    rows["timexes"] += [
        (
            aid,
            i,
            t.start,
            t.end,
            t.text,
            t.type,
            t.value,
            t.origin,
            t.mod,
            t.upper,
            t.anchor,
            t.refers_to,
        )
        for i, t in enumerate(report.timexes)
    ]
    rows["timeline"] += [
        (
            aid,
            i,
            _date_or_none(e.start),
            _date_or_none(e.end),
            e.relation,
            e.value,
            e.label,
            *_span_cols(e.sentence),
            *_span_cols(e.timex),
            e.quote,
        )
        for i, e in enumerate(report.timeline)
    ]
    for ev in report.events:
        rows["events"].append(
            (
                aid,
                ev.id,
                ev.type,
                ev.mode,
                ev.source,
                ev.target,
                *_span_cols(ev.trigger),
                ev.date,
                ev.negated,
                ev.hypothetical,
                *_span_cols(ev.sentence),
                ev.origin,
                ev.source_code,
                ev.target_code,
                *_span_cols(ev.object),
                ev.quote,
                ev.date_source,
                ev.location,
                json.dumps([m.to_dict() for m in ev.mentions]) if ev.mentions else None,
                *_span_cols(ev.source_phrase),
                *_span_cols(ev.target_phrase),
            )
        )
    rows["claims"] += [
        (aid, c.id, c.start, c.end, c.text, float(c.checkworthiness), c.kind, c.quote, c.origin)
        for c in report.claims
    ]
    rows["flags"] += _flag_rows(report)
    return rows


class Store:
    """A newsgraph database file. Open with :meth:`Store.open`; use as a context manager."""

    #: The tables holding report data (``articles`` and one per layer), in export order.
    tables: ClassVar[tuple[str, ...]] = tuple(t.name for t in schema.DATA_TABLES)
    #: The corpus layer's tables (duplicates, stories, links), exported after them.
    corpus_tables: ClassVar[tuple[str, ...]] = tuple(t.name for t in schema.CORPUS_TABLES)
    #: Reports written per ``INSERT`` round inside one :meth:`add_many` transaction.
    chunk_size: ClassVar[int] = 500

    def __init__(self, con: duckdb.DuckDBPyConnection, where: str, *, read_only: bool) -> None:
        """Wrap an open connection; use :meth:`Store.open` instead."""
        self._con: duckdb.DuckDBPyConnection | None = con
        self.where = where
        self.read_only = read_only

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Store:
        """Open (and, unless ``read_only``, create) the database at ``path``.

        ``":memory:"`` opens a throwaway in-memory store. Raises E013 when the file is
        missing (read-only), is not a DuckDB database, holds other data, was written by
        a newer newsgraph, or is in use by another process.
        """
        where = str(path)
        if where != _MEMORY:
            cls._check_file(Path(path), where, read_only=read_only)
        try:
            con = duckdb.connect(where, read_only=read_only)
        except duckdb.Error as exc:
            raise NewsgraphError("E013", where=where, reason=_reason(exc)) from None
        store = cls(con, where, read_only=read_only)
        try:
            store._prepare()
        except BaseException:
            store.close()
            raise
        return store

    @staticmethod
    def _check_file(p: Path, where: str, *, read_only: bool) -> None:
        """Refuse paths DuckDB would fail on with a less helpful message."""
        if p.is_dir():
            raise NewsgraphError("E013", where=where, reason="it is a folder, not a file")
        if read_only and not p.exists():
            raise NewsgraphError("E013", where=where, reason="it does not exist")
        if p.exists() and p.stat().st_size == 0:
            if read_only:
                raise NewsgraphError("E013", where=where, reason="it is an empty file")
            # An empty file (e.g. from tempfile) holds nothing: start a new database there.
            try:
                p.unlink()
            except OSError as exc:
                raise NewsgraphError("E013", where=where, reason=exc.strerror or str(exc)) from None
        if not read_only:
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise NewsgraphError("E013", where=where, reason=exc.strerror or str(exc)) from None

    def _prepare(self) -> None:
        """Check the schema version; create or migrate the schema when writable."""
        con = self._connection()
        with self._db_errors():
            names = {
                str(r[0]) for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
            }
            version: int | None = None
            if "meta" in names:
                row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                if row is None:
                    self._refuse("it is not a newsgraph database (its meta table has no version)")
                try:
                    version = int(str(row[0]))
                except ValueError:
                    self._refuse(f"its schema version {row[0]!r} is not a number")
            elif names:
                self._refuse("it holds other data, not a newsgraph database")
            if version is not None and version > SCHEMA_VERSION:
                self._refuse(
                    f"it was written by a newer newsgraph (schema version {version}; "
                    f"this version reads up to {SCHEMA_VERSION})"
                )
            if self.read_only:
                if version is None:
                    self._refuse("it is not a newsgraph database")
                if version < SCHEMA_VERSION:
                    self._refuse(
                        f"it has schema version {version} and needs an upgrade to "
                        f"{SCHEMA_VERSION}; open it once without read-only"
                    )
                return
            with self._transaction():
                for v in range(version or SCHEMA_VERSION, SCHEMA_VERSION):
                    for stmt in schema.MIGRATIONS[v]:
                        con.execute(stmt)
                for stmt in schema.create_statements():
                    con.execute(stmt)
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                    [str(SCHEMA_VERSION)],
                )
                if version is None:
                    con.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('created_at', ?)",
                        [datetime.now(UTC).isoformat(timespec="seconds")],
                    )

    def _refuse(self, reason: str) -> NoReturn:
        raise NewsgraphError("E013", where=self.where, reason=reason)

    def close(self) -> None:
        """Close the database (safe to call twice)."""
        if self._con is not None:
            with contextlib.suppress(duckdb.Error):
                self._con.close()
            self._con = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        state = "closed" if self._con is None else mode
        return f"Store({self.where!r}, {state})"

    # -- helpers -------------------------------------------------------------------------

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise NewsgraphError("E013", where=self.where, reason="the store is closed")
        return self._con

    @contextlib.contextmanager
    def _db_errors(self) -> Iterator[None]:
        """Turn DuckDB errors into E013 (plain reason, no traceback chain)."""
        try:
            yield
        except duckdb.Error as exc:
            raise NewsgraphError("E013", where=self.where, reason=_reason(exc)) from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN ... COMMIT; ROLLBACK on any error or interrupt, then re-raise."""
        con = self._connection()
        with self._db_errors():
            con.execute("BEGIN TRANSACTION")
        try:
            with self._db_errors():
                yield
                con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise

    # -- reading -------------------------------------------------------------------------

    def has(self, article_id: str) -> bool:
        """Whether an article with exactly this id is stored."""
        with self._db_errors():
            row = (
                self._connection()
                .execute("SELECT 1 FROM articles WHERE id = ?", [article_id])
                .fetchone()
            )
        return row is not None

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored (one query)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return set()
        with self._db_errors():
            rows = (
                self._connection()
                .execute(
                    "SELECT id FROM articles WHERE id IN (SELECT unnest($1::VARCHAR[]))",
                    [wanted],
                )
                .fetchall()
            )
        return {str(r[0]) for r in rows}

    def find_ids(self, prefix: str, *, limit: int = 10) -> list[str]:
        """Stored ids starting with ``prefix`` (6+ hex digits), sorted, at most ``limit``."""
        p = prefix.strip().lower()
        if not _HEX_PREFIX.fullmatch(p):
            return []
        with self._db_errors():
            rows = (
                self._connection()
                .execute(
                    "SELECT id FROM articles WHERE starts_with(id, ?) ORDER BY id LIMIT ?",
                    [p, limit],
                )
                .fetchall()
            )
        return [str(r[0]) for r in rows]

    def get(self, article_id: str) -> Report | None:
        """The stored report for an id, or a unique id prefix of 6+ hex digits; else None."""
        con = self._connection()
        with self._db_errors():
            row = con.execute("SELECT report FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            matches = self.find_ids(article_id, limit=2)
            if len(matches) != 1:
                return None
            with self._db_errors():
                row = con.execute(
                    "SELECT report FROM articles WHERE id = ?", [matches[0]]
                ).fetchone()
            if row is None:  # pragma: no cover - removed in between
                return None
        return Report.from_json(str(row[0]))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction for callers that keep their own tables in the store (the
        corpus layer): committed as a whole, or rolled back on any error or interrupt.
        DuckDB errors inside become E013."""
        with self._transaction():
            yield

    def execute(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement (read or write) and return its rows (E013 on a DuckDB error)."""
        with self._db_errors():
            con = self._connection().execute(statement, list(params))
            return con.fetchall() if con.description else []

    def insert_columns(self, table: str, columns: Sequence[Sequence[Any]]) -> None:
        """Insert rows given column-wise (one list per column of ``table``, in order)."""
        if not columns or not columns[0]:
            return
        if table not in _INSERT:
            raise ValueError(f"no such table: {table}")
        with self._db_errors():
            self._connection().execute(_INSERT[table], [list(c) for c in columns])

    def sql(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one read query with ``?``/``$n`` parameters and return its rows (E013 on a
        DuckDB error). For callers with their own queries (the web app)."""
        with self._db_errors():
            return self._connection().execute(query, list(params)).fetchall()

    def iter_reports(self, batch: int = 200) -> Iterator[Report]:
        """Every stored report, in ingest order, read ``batch`` at a time."""
        con = self._connection()
        with self._db_errors():
            found = con.execute("SELECT id FROM articles ORDER BY ingested_at, id").fetchall()
        ids = [str(r[0]) for r in found]
        for k in range(0, len(ids), batch):
            chunk = ids[k : k + batch]
            marks = ", ".join("?" for _ in chunk)
            with self._db_errors():
                rows = dict(
                    con.execute(
                        f"SELECT id, report FROM articles WHERE id IN ({marks})", chunk
                    ).fetchall()
                )
            for aid in chunk:
                if aid in rows:
                    yield Report.from_json(str(rows[aid]))

    def replace_flags(self, reports: Sequence[Report]) -> int:
        """Store the flags of already stored reports anew (their report JSON and their
        rows of the ``flags`` table), in one transaction; return how many were stored."""
        con = self._connection()
        done = 0
        with self._transaction():
            for report in reports:
                aid = report.article.id
                full = json.dumps(report.to_dict(), ensure_ascii=False)
                found = con.execute(
                    "UPDATE articles SET report = ? WHERE id = ? RETURNING id", [full, aid]
                ).fetchall()
                if not found:
                    continue
                con.execute("DELETE FROM flags WHERE article_id = ?", [aid])
                rows = _flag_rows(report)
                if rows:
                    columns = [list(col) for col in zip(*rows, strict=True)]
                    con.execute(_INSERT["flags"], columns)
                done += 1
        return done

    def count(self) -> int:
        """How many articles are stored."""
        with self._db_errors():
            row = self._connection().execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else 0

    def articles(self, limit: int | None = None, offset: int = 0) -> list[ArticleRow]:
        """Stored articles, newest publication first (undated last), then in ingest order."""
        if (limit is not None and limit < 0) or offset < 0:
            raise ValueError("limit and offset must not be negative")
        counts = ",\n".join(
            f"(SELECT count(*) FROM {quote_ident(layer)} x WHERE x.article_id = p.id)"
            for layer in schema.COUNTED_LAYERS
        )
        order = "published DESC NULLS LAST, ingested_at, rid"
        page = (
            f"LIMIT {int(limit)} OFFSET {int(offset)}"
            if limit is not None
            else (f"OFFSET {int(offset)}")
        )
        sql = f"""
            WITH p AS (
                SELECT id, title, url, outlet, published, published_source, origin,
                       ingested_at, record_id, rowid AS rid
                FROM articles ORDER BY {order} {page}
            )
            SELECT p.id, p.title, p.url, p.outlet, p.published, p.published_source, p.origin,
                   p.ingested_at, p.record_id,
                   {counts}
            FROM p ORDER BY {order}
        """
        with self._db_errors():
            rows = self._connection().execute(sql).fetchall()
        out = []
        for r in rows:
            published: date | None = r[4]
            ingested: datetime | None = r[7]
            out.append(
                ArticleRow(
                    id=r[0],
                    title=r[1],
                    url=r[2],
                    outlet=r[3],
                    published=published.isoformat() if published else None,
                    published_source=r[5],
                    origin=r[6],
                    ingested_at=ingested.isoformat(timespec="seconds") + "Z" if ingested else "",
                    counts={
                        layer: int(n) for layer, n in zip(schema.COUNTED_LAYERS, r[9:], strict=True)
                    },
                    record_id=r[8],
                )
            )
        return out

    def timeline(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        contains: str | None = None,
        limit: int | None = None,
    ) -> list[TimelineRow]:
        """Dated statements across the stored articles in time order (the order of
        :func:`newsgraph.temporal.timeline.build_timeline`: the last day a statement can
        fall on; the first for a stretch or an open one).

        ``since``/``until`` keep the statements whose days overlap that stretch (an
        open-ended one runs on); ``contains`` keeps those whose label or sentence holds
        the words (case-insensitive)."""
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        where: list[str] = []
        params: list[Any] = []
        if since is not None:
            where.append("coalesce(t.\"end\", DATE '9999-12-31') >= ?")
            params.append(since)
        if until is not None:
            where.append("t.start <= ?")
            params.append(until)
        if contains:
            where.append("(t.label ILIKE ? ESCAPE '\\' OR t.sentence_text ILIKE ? ESCAPE '\\')")
            params += [_like(contains)] * 2
        sql = f"""
            SELECT t.article_id, a.title, a.published, t.start, t."end", t.relation, t.value,
                   t.label, t.sentence_text, t.timex_text, t.quote
            FROM timeline t JOIN articles a ON a.id = t.article_id
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY CASE WHEN t.relation IN ('after', 'during') OR t."end" IS NULL THEN t.start
                          WHEN t.relation = 'before' THEN t.start - 1
                          ELSE t."end" END,
                     t.start, a.published NULLS LAST, t.article_id, t.idx
            {f"LIMIT {int(limit)}" if limit is not None else ""}
        """
        with self._db_errors():
            rows = self._connection().execute(sql, params).fetchall()
        return [
            TimelineRow(
                article_id=r[0],
                title=r[1],
                published=r[2].isoformat() if r[2] else None,
                start=r[3].isoformat(),
                end=r[4].isoformat() if r[4] else None,
                relation=r[5],
                value=r[6],
                label=r[7],
                sentence=r[8],
                timex=r[9],
                quote=r[10],
            )
            for r in rows
        ]

    def events(
        self,
        *,
        actor: str | None = None,
        source: str | None = None,
        target: str | None = None,
        type: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
        copies: bool = True,
        near: tuple[float, float] | None = None,
        within_km: float = 50.0,
    ) -> list[EventRow]:
        """Stored events across the articles, in time order.

        An event is placed on the days of its own ``date`` when that TIMEX3 value is a
        calendar value (``2024-05-03``, ``2024-05``, ``2024-W17``; see
        :func:`newsgraph.timevalues.parse_value`), else on its article's
        publication day. The order is that of :meth:`timeline`: the last of those days,
        then the first (so "May 2024" follows "3 May 2024"), then the article's
        publication, article id and trigger position; events with no day at all come
        last. The days are worked out here in Python from the stored values, not kept
        in a column, so they follow the TIMEX3 reading of the version that lists them
        (and a database upgraded in place needs no backfill); the actor and type
        filters run in SQL first.

        ``actor`` keeps events whose source or target actor code starts with it
        (``"TUR"`` matches ``"TURGOV"``); ``source``/``target`` the same for one side;
        ``type`` a PLOVER type (any case). ``since``/``until`` keep the events whose
        days overlap that stretch (an event with no day is dropped by either).
        ``copies=False`` leaves out the events of articles the corpus layer found to be
        copies of another (each event of a wire story then counts once).

        ``near=(lat, lon)`` keeps the events whose place (``location``) lies within
        ``within_km`` kilometres of that point (great-circle distance, in SQL) and gives
        each its ``distance_km``; an event with no place, or whose place the gazetteer
        does not know (no ``lat``/``lon``), is dropped. ValueError for a point off the
        map or a negative distance.
        """
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        _check_near(near, within_km)
        where, params = _event_codes(actor, source, target, type)
        if not copies:
            where.append(_NOT_A_COPY)
        distance, head = "NULL::DOUBLE", []
        if near is not None:
            lat, lon = float(near[0]), float(near[1])
            distance, head = _DISTANCE_KM, [lat, lat, lon]
            where.append(f"{_DISTANCE_KM} <= ?")
            params += [lat, lat, lon, float(within_km)]
        sql = f"""
            SELECT v.article_id, a.title, a.published, v.event_id, v.type, v.mode,
                   v.source, v.target, coalesce(s.name, v.source_phrase_text),
                   coalesce(t.name, v.target_phrase_text), v.source_code, v.target_code,
                   v.trigger_text, v.object_text, v.sentence_text, v.date, v.negated,
                   v.hypothetical, v.quote, v.origin, v.trigger_start,
                   v.location, l.name, l.lat, l.lon, {distance}
            FROM events v
            JOIN articles a ON a.id = v.article_id
            LEFT JOIN entities s ON s.article_id = v.article_id AND s.entity_id = v.source
            LEFT JOIN entities t ON t.article_id = v.article_id AND t.entity_id = v.target
            LEFT JOIN entities l ON l.article_id = v.article_id AND l.entity_id = v.location
            {"WHERE " + " AND ".join(where) if where else ""}
        """
        with self._db_errors():
            rows = self._connection().execute(sql, [*head, *params]).fetchall()
        keyed: list[tuple[tuple[Any, ...], EventRow]] = []
        for r in rows:
            published: date | None = r[2]
            days = _event_days(r[15], published)
            if days is None and (since is not None or until is not None):
                continue
            if days is not None and (
                (since is not None and days[1] < since) or (until is not None and days[0] > until)
            ):
                continue
            key = (
                days is None,
                days[1] if days else date.max,
                days[0] if days else date.max,
                published is None,
                published or date.max,
                r[0],
                r[20] if r[20] is not None else -1,
                r[3],
            )
            keyed.append(
                (
                    key,
                    EventRow(
                        article_id=r[0],
                        title=r[1],
                        published=published.isoformat() if published else None,
                        event_id=r[3],
                        type=r[4],
                        mode=r[5],
                        source=r[6],
                        target=r[7],
                        source_name=r[8],
                        target_name=r[9],
                        source_code=r[10],
                        target_code=r[11],
                        trigger=r[12] or "",
                        object=r[13],
                        sentence=r[14] or "",
                        date=r[15],
                        start=days[0].isoformat() if days else None,
                        end=days[1].isoformat() if days else None,
                        dated_by=(days[2] if days else None),
                        negated=bool(r[16]),
                        hypothetical=bool(r[17]),
                        quote=r[18],
                        origin=r[19],
                        location=r[21],
                        location_name=r[22],
                        location_lat=r[23],
                        location_lon=r[24],
                        distance_km=round(r[25], 3) if r[25] is not None else None,
                    ),
                )
            )
        keyed.sort(key=lambda kv: kv[0])
        out = [row for _, row in keyed]
        return out[:limit] if limit is not None else out

    #: Rows of the events table read per page by :meth:`coded_events`.
    export_page: ClassVar[int] = 5000

    def coded_events(
        self,
        *,
        actor: str | None = None,
        source: str | None = None,
        target: str | None = None,
        type: str | None = None,
        since: date | None = None,
        until: date | None = None,
        copies: bool = True,
    ) -> Iterator[dict[str, Any]]:
        """Every stored event as an export record (:func:`events_export.record
        <newsgraph.store.events_export.record>`: the actors' names, knowledge-base ids,
        codes, countries and sectors, the resolved date and its precision, the place
        with its point, the article and its place in the corpus), streamed.

        The events come in the order they were stored (articles in ingest order, each
        one's events in report order), read :attr:`export_page` rows of the events
        table at a time, so memory stays flat however many there are. The filters are
        those of :meth:`events`: ``actor``/``source``/``target`` codes by prefix,
        ``type``, ``since``/``until`` on the event's days, ``copies=False`` to leave
        out articles the corpus layer found to copy another.
        """
        where, params = _event_codes(actor, source, target, type)
        cols = ", ".join(f"v.{quote_ident(c)}" for c in CODED_EVENT_COLUMNS)
        con = self._connection()
        with self._db_errors():
            found = con.execute("SELECT max(rowid) FROM events").fetchone()
        last = found[0] if found and found[0] is not None else -1
        page = max(1, int(self.export_page))
        for low in range(0, int(last) + 1, page):
            sql = (
                f"SELECT {cols} FROM events v WHERE v.rowid >= ? AND v.rowid < ?"
                + "".join(f" AND {w}" for w in where)
                + " ORDER BY v.rowid"
            )
            with self._db_errors():
                rows = con.execute(sql, [low, low + page, *params]).fetchall()
            if not rows:
                continue
            events = [dict(zip(CODED_EVENT_COLUMNS, r, strict=True)) for r in rows]
            yield from self._coded_page(events, since=since, until=until, copies=copies)

    def coded_records(
        self, rows: Iterable[Mapping[str, Any]], *, kb_attrs: bool = True
    ) -> list[dict[str, Any]]:
        """The export records of the given event rows, in their order: each row maps
        the names of :data:`CODED_EVENT_COLUMNS` to an ``events`` row's values (what a
        caller with its own filter, such as the web app, has selected).

        ``kb_attrs=False`` skips reading the stored reports for the knowledge-base
        attributes (the slow part): an actor without a code then has no ``country``, and
        a place only the gazetteer's."""
        events = [{c: row[c] for c in CODED_EVENT_COLUMNS} for row in rows]
        if not events:
            return []
        return list(
            self._coded_page(events, since=None, until=None, copies=True, kb_attrs=kb_attrs)
        )

    def _coded_page(
        self,
        events: list[dict[str, Any]],
        *,
        since: date | None,
        until: date | None,
        copies: bool,
        kb_attrs: bool = True,
    ) -> Iterator[dict[str, Any]]:
        """The export records of one page of event rows (see :meth:`coded_events`)."""
        con = self._connection()
        ids = list(dict.fromkeys(str(e["article_id"]) for e in events))
        with self._db_errors():
            articles = {
                r[0]: r[1:]
                for r in con.execute(
                    "SELECT a.id, a.title, a.url, a.outlet, a.published, c.story, c.duplicate_of "
                    "FROM articles a LEFT JOIN corpus_articles c ON c.article_id = a.id "
                    f"WHERE a.id IN {_ONE_OF}",
                    [ids],
                ).fetchall()
            }
            geo_cols = ", ".join(quote_ident(c) for c, _ in schema.GEO_COLUMNS)
            entities = {
                (r[0], r[1]): r[2:]
                for r in con.execute(
                    f"SELECT article_id, entity_id, name, kb_id, type, {geo_cols} FROM entities "
                    f"WHERE article_id IN {_ONE_OF}",
                    [ids],
                ).fetchall()
            }
        # The knowledge-base attributes live only in the stored report: read them for
        # the articles whose events need them (a place, or an actor without a code).
        needy = list(
            dict.fromkeys(
                str(e["article_id"])
                for e in events
                if kb_attrs
                and (
                    e["location"]
                    or (e["source"] and not e["source_code"])
                    or (e["target"] and not e["target_code"])
                )
            )
        )
        attrs: dict[str, dict[str, dict[str, Any]]] = {}
        if needy:
            with self._db_errors():
                found = con.execute(
                    "SELECT id, json_extract_string(report, '$.entities[*].id'), "
                    "json_extract_string(report, '$.entities[*].attrs') "
                    f"FROM articles WHERE id IN {_ONE_OF}",
                    [needy],
                ).fetchall()
            for aid, eids, values in found:
                attrs[aid] = {
                    str(eid): json.loads(value) if value else {}
                    for eid, value in zip(eids or [], values or [], strict=False)
                }
        for event in events:
            aid = event["article_id"]
            title, url, outlet, published, story, duplicate_of = articles.get(
                aid, (None, None, None, None, None, None)
            )
            if not copies and duplicate_of is not None:
                continue
            dated = resolve_date(event["date"], event["date_source"], published)
            if not _overlaps(dated.start, dated.end, since, until):
                continue
            for side in ("source", "target", "location"):
                entity = entities.get((aid, event[side]))
                name, kb_id, etype = entity[:3] if entity else (None, None, None)
                if side != "location" and event[side] is None:
                    name = event[f"{side}_phrase_text"]  # a described group: its words
                event[f"{side}_name"], event[f"{side}_kb_id"] = name, kb_id
                event[f"{side}_type"] = etype
                if side == "location":
                    event["location_geo"] = _geo(entity[3:]) if entity else None
            event.update(
                title=title,
                url=url,
                outlet=outlet,
                published=published,
                story=story,
                duplicate_of=duplicate_of,
            )
            yield record(event, attrs.get(aid, {}), dated)

    def claims(
        self,
        *,
        kind: str | None = None,
        min_score: float | None = None,
        contains: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = 100,
        copies: bool = True,
    ) -> list[ClaimRow]:
        """Claims of the stored articles, most check-worthy first; ties go to the newest
        article (undated ones last), then by article id and position in the text.

        ``kind`` keeps claims of a kind (any case; a comma list keeps any of them);
        ``min_score`` those at least that check-worthy (0 to 1); ``contains`` those whose
        text holds the words (case-insensitive); ``since``/``until`` those of articles
        published within those days (an undated article is dropped by either). E021 for
        an unknown kind or a score outside 0 to 1.
        """
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        kinds = _names(kind, CLAIM_KINDS, "a claim kind")
        if min_score is not None and not 0.0 <= min_score <= 1.0:
            raise NewsgraphError(
                "E021",
                value=f"{min_score:g}",
                what="a checkworthiness score",
                expected="a number from 0 to 1",
            )
        where, params = _published_between(since, until)
        if kinds:
            where.append("list_contains(?::VARCHAR[], c.kind)")
            params.append(kinds)
        if min_score is not None:
            where.append("c.checkworthiness >= ?")
            params.append(min_score)
        if contains:
            where.append("c.text ILIKE ? ESCAPE '\\'")
            params.append(_like(contains))
        if not copies:
            where.append(_NOT_A_COPY)
        sql = f"""
            SELECT c.article_id, a.title, a.url, a.published, c.claim_id, c.start, c."end",
                   c.text, c.checkworthiness, c.kind, c.quote, q.speaker_text, e.name, c.origin
            FROM claims c
            JOIN articles a ON a.id = c.article_id
            LEFT JOIN quotes q ON q.article_id = c.article_id AND q.quote_id = c.quote
            LEFT JOIN entities e
                ON e.article_id = q.article_id AND e.entity_id = q.speaker_entity
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY c.checkworthiness DESC NULLS LAST, a.published DESC NULLS LAST,
                     c.article_id, c.start, c.claim_id
            {f"LIMIT {int(limit)}" if limit is not None else ""}
        """
        with self._db_errors():
            rows = self._connection().execute(sql, params).fetchall()
        return [
            ClaimRow(
                article_id=r[0],
                title=r[1],
                url=r[2],
                published=r[3].isoformat() if r[3] else None,
                claim_id=r[4],
                start=int(r[5]),
                end=int(r[6]),
                text=r[7] or "",
                checkworthiness=float(r[8]),
                kind=r[9],
                quote=r[10],
                speaker=r[11],
                speaker_name=r[12],
                origin=r[13],
            )
            for r in rows
        ]

    @staticmethod
    def _flag_filter(
        severity: str | None,
        code: str | None,
        since: date | None,
        until: date | None,
        copies: bool = True,
    ) -> tuple[list[str], list[Any]]:
        """The SQL conditions and parameters of :meth:`flags` and :meth:`flag_counts`."""
        where, params = _published_between(since, until)
        if severity is not None:
            level = _names(severity, SEVERITIES, "a flag severity")
            if len(level) != 1:
                raise NewsgraphError(
                    "E021", value=severity, what="a flag severity", expected=_one_of(SEVERITIES)
                )
            where.append("list_contains(?::VARCHAR[], f.severity)")
            params.append(list(SEVERITIES[SEVERITIES.index(level[0]) :]))
        codes = _names(code, None, "a flag code")
        if codes:
            where.append("list_contains(?::VARCHAR[], f.code)")
            params.append(codes)
        if not copies:
            where.append(_NOT_A_COPY)
        return where, params

    def flags(
        self,
        *,
        severity: str | None = None,
        code: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = 100,
        copies: bool = True,
    ) -> list[FlagRow]:
        """Flags of the stored articles, most severe first (error, warning, info), then
        the newest article first (undated ones last), then by article id and position.

        ``severity`` keeps flags at or above that level (any case: ``"warning"`` keeps
        warnings and errors); ``code`` flags with exactly that code (any case; a comma
        list keeps any of them); ``since``/``until`` those of articles published within
        those days (an undated article is dropped by either); ``copies=False`` leaves out
        articles that copy another. E021 for an unknown severity.
        """
        if limit is not None and limit < 0:
            raise ValueError("limit must not be negative")
        where, params = self._flag_filter(severity, code, since, until, copies)
        sql = f"""
            SELECT f.article_id, a.title, a.url, a.published, f.code, f.severity, f.message,
                   f.evidence, f.origin
            FROM flags f JOIN articles a ON a.id = f.article_id
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY {_SEVERITY_RANK}, a.published DESC NULLS LAST, f.article_id, f.idx
            {f"LIMIT {int(limit)}" if limit is not None else ""}
        """
        with self._db_errors():
            rows = self._connection().execute(sql, params).fetchall()
        return [
            FlagRow(
                article_id=r[0],
                title=r[1],
                url=r[2],
                published=r[3].isoformat() if r[3] else None,
                code=r[4],
                severity=r[5],
                message=r[6] or "",
                evidence=list(json.loads(r[7])) if r[7] else [],
                origin=r[8],
            )
            for r in rows
        ]

    def flag_counts(
        self,
        *,
        severity: str | None = None,
        code: str | None = None,
        since: date | None = None,
        until: date | None = None,
        copies: bool = True,
    ) -> dict[str, dict[str, int]]:
        """How many flags of each code there are, by severity: ``{code: {severity: n}}``.

        Codes come in the order of :meth:`flags` (the most severe first), then the most
        frequent, then by name; severities within a code most severe first. The filters
        are those of :meth:`flags`, so the counts describe what it would list with no
        limit.
        """
        where, params = self._flag_filter(severity, code, since, until, copies)
        sql = f"""
            SELECT f.code, f.severity, count(*) AS n, {_SEVERITY_RANK} AS rank
            FROM flags f JOIN articles a ON a.id = f.article_id
            {"WHERE " + " AND ".join(where) if where else ""}
            GROUP BY f.code, f.severity
        """
        with self._db_errors():
            rows = self._connection().execute(sql, params).fetchall()
        worst: dict[str, int] = {}
        total: dict[str, int] = {}
        for code_, _, n, rank in rows:
            worst[code_] = min(worst.get(code_, rank), rank)
            total[code_] = total.get(code_, 0) + int(n)
        out: dict[str, dict[str, int]] = {
            c: {} for c in sorted(total, key=lambda c: (worst[c], -total[c], c))
        }
        for code_, sev, n, _ in sorted(rows, key=lambda r: (r[3], r[1])):
            out[code_][sev] = int(n)
        return out

    # -- writing -------------------------------------------------------------------------

    def add(
        self, report: Report, *, origin: str | None = None, record_id: str | None = None
    ) -> bool:
        """Store one report; False (and nothing written) when its id is already stored."""
        return self.add_many([(report, origin, record_id)]) == 1

    def add_many(self, reports: Iterable[ReportItem]) -> int:
        """Store ``(report, origin, record_id)`` items in ONE transaction; return how many were new.

        Reports whose id is already stored (or repeats earlier in the batch) are skipped.
        If anything fails or the batch is interrupted, the transaction is rolled back and
        the database is exactly as before the call; the error is re-raised (DuckDB
        errors as E013).
        """
        added = 0
        seen: set[str] = set()
        with self._transaction():
            chunk: list[ReportItem] = []
            for item in reports:
                chunk.append(item)
                if len(chunk) >= self.chunk_size:
                    added += self._write_chunk(chunk, seen)
                    chunk = []
            added += self._write_chunk(chunk, seen)
        return added

    def add_each(
        self, reports: Sequence[ReportItem]
    ) -> tuple[int, list[tuple[int, NewsgraphError]]]:
        """:meth:`add_many`, and when that batch fails, each report in a transaction of
        its own, so one report that cannot be stored costs only itself.

        Returns how many were new and, for each report that could not be stored, its
        index in ``reports`` and its error. When not one report of a failed batch can be
        stored, the database itself is the problem: that error is raised (nothing stored
        before is lost)."""
        try:
            return self.add_many(reports), []
        except Exception as exc:
            first = exc
        added, failed = 0, []
        for k, item in enumerate(reports):
            try:
                added += self.add_many([item])
            except Exception as exc:
                failed.append((k, _storing_error(item, exc)))
        if len(failed) == len(reports):
            raise _storing_error(reports[0], first) from first
        return added, failed

    def _write_chunk(self, chunk: Sequence[ReportItem], seen: set[str]) -> int:
        """Insert the new reports of ``chunk`` (inside the caller's transaction)."""
        if not chunk:
            return 0
        known = self.known_ids(r.article.id for r, _, _ in chunk)
        rows: dict[str, list[tuple[Any, ...]]] = {t.name: [] for t in schema.DATA_TABLES}
        added = 0
        for report, origin, record_id in chunk:
            aid = report.article.id
            if aid in known or aid in seen:
                continue
            seen.add(aid)
            # Naive UTC, microseconds apart, so ingest order is kept within a batch.
            now = datetime.now(UTC).replace(tzinfo=None)
            for name, new in _report_rows(report, origin, record_id, now).items():
                rows[name] += new
            added += 1
        con = self._connection()
        with self._db_errors():
            for table in schema.DATA_TABLES:
                batch = rows[table.name]
                if batch:
                    columns = [list(col) for col in zip(*batch, strict=True)]
                    con.execute(_INSERT[table.name], columns)
        return added

    # -- export --------------------------------------------------------------------------

    def export_parquet(self, directory: str | Path) -> list[Path]:
        """Write ``<table>.parquet`` for each of :attr:`tables` and :attr:`corpus_tables`
        into ``directory``, and ``events_coded.parquet``: every event (copies too, with
        ``duplicate_of`` saying which are) with its actors' names, codes, countries and
        sectors, its resolved date and its article, the columns of the CSV export
        (:data:`~newsgraph.store.events_export.PARQUET_COLUMNS`).

        The directory is created if needed; E018 when it cannot be written. All files
        come from one consistent snapshot of the database.
        """
        out_dir = Path(directory)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NewsgraphError(
                "E018", where=str(out_dir), reason=exc.strerror or str(exc)
            ) from None
        con = self._connection()
        written: list[Path] = []
        with self._transaction():
            for name in (*self.tables, *self.corpus_tables):
                target = out_dir / f"{name}.parquet"
                try:
                    con.execute(
                        f"COPY (SELECT * FROM {quote_ident(name)} ORDER BY ALL) "
                        f"TO {_literal(target)} (FORMAT PARQUET)"
                    )
                except duckdb.IOException as exc:
                    raise NewsgraphError("E018", where=str(target), reason=_reason(exc)) from None
                written.append(target)
            target = out_dir / "events_coded.parquet"
            self._export_coded_events(target)
            written.append(target)
        return written

    def _export_coded_events(self, target: Path) -> None:
        """Write :meth:`coded_events` (all of them) to ``target`` as Parquet: streamed
        through a JSON Lines file beside it that DuckDB reads with fixed column types."""
        part = target.with_name(f".{target.stem}.jsonl.part")
        columns = ", ".join(f"'{name}': '{sql_type}'" for name, sql_type in PARQUET_COLUMNS)
        try:
            try:
                with part.open("w", encoding="utf-8") as stream:
                    write_flat_jsonl(self.coded_events(), stream)
            except OSError as exc:
                raise NewsgraphError(
                    "E018", where=str(part), reason=exc.strerror or str(exc)
                ) from None
            try:
                self._connection().execute(
                    f"COPY (SELECT * FROM read_json({_literal(part)}, "
                    f"format = 'newline_delimited', columns = {{{columns}}})) "
                    f"TO {_literal(target)} (FORMAT PARQUET)"
                )
            except duckdb.IOException as exc:
                raise NewsgraphError("E018", where=str(target), reason=_reason(exc)) from None
        finally:
            with contextlib.suppress(OSError):
                part.unlink()
