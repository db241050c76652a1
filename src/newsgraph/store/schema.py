"""The store's tables as data: one table per report layer, keyed by article id.

Column names mirror the report fields (``../shared/spec/report.md``); a span field
``trigger`` becomes ``trigger_start``, ``trigger_end`` and ``trigger_text``. Later
versions change the schema only through :data:`MIGRATIONS`, so a database written
by an older version can be brought up to date in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

#: The schema version this code writes and reads; stored in ``meta``.
SCHEMA_VERSION: Final = 3


def quote_ident(name: str) -> str:
    """A double-quoted SQL identifier (safe for reserved words such as ``end``)."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Table:
    """One table: ordered ``(column, SQL type)`` pairs, a primary key and indexes."""

    name: str
    columns: tuple[tuple[str, str], ...]
    primary_key: tuple[str, ...] = ()
    #: ``(index name, columns)`` pairs.
    indexes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    @property
    def column_types(self) -> tuple[str, ...]:
        return tuple(sql_type for _, sql_type in self.columns)

    def ddl(self) -> list[str]:
        """Idempotent ``CREATE`` statements for the table and its indexes."""
        cols = [f"{quote_ident(n)} {t}" for n, t in self.columns]
        if self.primary_key:
            cols.append(f"PRIMARY KEY ({', '.join(quote_ident(c) for c in self.primary_key)})")
        out = [f"CREATE TABLE IF NOT EXISTS {quote_ident(self.name)} ({', '.join(cols)})"]
        for index, on in self.indexes:
            out.append(
                f"CREATE INDEX IF NOT EXISTS {quote_ident(index)} ON {quote_ident(self.name)} "
                f"({', '.join(quote_ident(c) for c in on)})"
            )
        return out


def _span(prefix: str) -> tuple[tuple[str, str], ...]:
    return (
        (f"{prefix}_start", "INTEGER"),
        (f"{prefix}_end", "INTEGER"),
        (f"{prefix}_text", "VARCHAR"),
    )


META: Final = Table(
    "meta",
    (("key", "VARCHAR"), ("value", "VARCHAR")),
    primary_key=("key",),
)

ARTICLES: Final = Table(
    "articles",
    (
        ("id", "VARCHAR"),  # sha256 of the text
        ("text", "VARCHAR"),
        ("title", "VARCHAR"),
        ("url", "VARCHAR"),
        ("outlet", "VARCHAR"),
        ("published", "DATE"),
        ("published_source", "VARCHAR"),
        ("origin", "VARCHAR"),  # where it came from: a path, a URL, a path:line
        ("record_id", "VARCHAR"),  # the input record's own id (a .jsonl line's "id"), if any
        ("ingested_at", "TIMESTAMP"),  # UTC
        ("generator", "JSON"),
        ("report", "JSON"),  # the full report, for a lossless round trip
    ),
    primary_key=("id",),
)

ENTITIES: Final = Table(
    "entities",
    (
        ("article_id", "VARCHAR"),
        ("entity_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("type", "VARCHAR"),
        ("kb_id", "VARCHAR"),
        ("origin", "VARCHAR"),
    ),
    primary_key=("article_id", "entity_id"),
)

MENTIONS: Final = Table(
    "mentions",
    (
        ("article_id", "VARCHAR"),
        ("entity_id", "VARCHAR"),
        ("idx", "INTEGER"),  # position in the entity's mentions[]
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("text", "VARCHAR"),
    ),
)

QUOTES: Final = Table(
    "quotes",
    (
        ("article_id", "VARCHAR"),
        ("quote_id", "VARCHAR"),
        ("kind", "VARCHAR"),
        *_span("content"),
        *_span("cue"),
        *_span("speaker"),
        ("speaker_entity", "VARCHAR"),
        ("source_kind", "VARCHAR"),
        ("origin", "VARCHAR"),
        ("date", "VARCHAR"),  # TIMEX3 value the quote refers to (v2)
    ),
)

TIMEXES: Final = Table(
    "timexes",
    (
        ("article_id", "VARCHAR"),
        ("idx", "INTEGER"),  # position in timexes[]
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("text", "VARCHAR"),
        ("type", "VARCHAR"),
        ("value", "VARCHAR"),
        ("origin", "VARCHAR"),
        # v2
        ("mod", "VARCHAR"),
        ("upper", "VARCHAR"),
        ("anchor", "VARCHAR"),
        ("refers_to", "VARCHAR"),
    ),
)

TIMELINE: Final = Table(
    "timeline",
    (
        ("article_id", "VARCHAR"),
        ("idx", "INTEGER"),  # position in timeline[] (time order)
        ("start", "DATE"),
        ("end", "DATE"),  # null when open
        ("relation", "VARCHAR"),
        ("value", "VARCHAR"),
        ("label", "VARCHAR"),
        *_span("sentence"),
        *_span("timex"),
        ("quote", "VARCHAR"),  # quote id
    ),
    indexes=(("timeline_start", ("start",)),),
)

EVENTS: Final = Table(
    "events",
    (
        ("article_id", "VARCHAR"),
        ("event_id", "VARCHAR"),
        ("type", "VARCHAR"),
        ("mode", "VARCHAR"),
        ("source", "VARCHAR"),  # entity id
        ("target", "VARCHAR"),  # entity id
        *_span("trigger"),
        ("date", "VARCHAR"),  # TIMEX3 value
        ("negated", "BOOLEAN"),
        ("hypothetical", "BOOLEAN"),
        *_span("sentence"),
        ("origin", "VARCHAR"),
        # v3
        ("source_code", "VARCHAR"),  # PLOVER actor code ("TURGOV", "USA", "NATO")
        ("target_code", "VARCHAR"),
        *_span("object"),  # what is acted on
        ("quote", "VARCHAR"),  # quote id
    ),
    indexes=(
        ("events_dyad", ("source", "target", "type")),
        ("events_codes", ("source_code", "target_code", "type")),
        ("events_date", ("date",)),
    ),
)

CLAIMS: Final = Table(
    "claims",
    (
        ("article_id", "VARCHAR"),
        ("claim_id", "VARCHAR"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("text", "VARCHAR"),
        ("checkworthiness", "DOUBLE"),
        ("kind", "VARCHAR"),
        ("quote", "VARCHAR"),  # quote id
        ("origin", "VARCHAR"),
    ),
)

FLAGS: Final = Table(
    "flags",
    (
        ("article_id", "VARCHAR"),
        ("idx", "INTEGER"),  # position in flags[]
        ("code", "VARCHAR"),
        ("severity", "VARCHAR"),
        ("message", "VARCHAR"),
        ("evidence", "JSON"),  # list of spans
        ("origin", "VARCHAR"),
    ),
)

#: The tables holding report data, in creation (and export) order.
DATA_TABLES: Final[tuple[Table, ...]] = (
    ARTICLES,
    ENTITIES,
    MENTIONS,
    QUOTES,
    TIMEXES,
    TIMELINE,
    EVENTS,
    CLAIMS,
    FLAGS,
)

#: Every table, ``meta`` first.
ALL_TABLES: Final[tuple[Table, ...]] = (META, *DATA_TABLES)

#: Per-article count columns of :meth:`Store.articles`: report layer -> table.
COUNTED_LAYERS: Final[tuple[str, ...]] = (
    "entities",
    "quotes",
    "timexes",
    "events",
    "claims",
    "flags",
)

#: ``MIGRATIONS[n]`` holds the statements taking a version ``n`` database to ``n + 1``.
MIGRATIONS: Final[dict[int, tuple[str, ...]]] = {
    # 1 -> 2: the time layer (timex mod/upper/anchor/refers_to, quote dates; the
    # timeline table itself is created by the CREATE statements that follow).
    1: (
        'ALTER TABLE timexes ADD COLUMN IF NOT EXISTS "mod" VARCHAR',
        'ALTER TABLE timexes ADD COLUMN IF NOT EXISTS "upper" VARCHAR',
        'ALTER TABLE timexes ADD COLUMN IF NOT EXISTS "anchor" VARCHAR',
        'ALTER TABLE timexes ADD COLUMN IF NOT EXISTS "refers_to" VARCHAR',
        'ALTER TABLE quotes ADD COLUMN IF NOT EXISTS "date" VARCHAR',
    ),
    # 2 -> 3: events gain actor codes, the object acted on and the quote they are
    # reported in (the indexes on them are created by the CREATE statements that follow).
    2: (
        'ALTER TABLE events ADD COLUMN IF NOT EXISTS "source_code" VARCHAR',
        'ALTER TABLE events ADD COLUMN IF NOT EXISTS "target_code" VARCHAR',
        'ALTER TABLE events ADD COLUMN IF NOT EXISTS "object_start" INTEGER',
        'ALTER TABLE events ADD COLUMN IF NOT EXISTS "object_end" INTEGER',
        'ALTER TABLE events ADD COLUMN IF NOT EXISTS "object_text" VARCHAR',
        'ALTER TABLE events ADD COLUMN IF NOT EXISTS "quote" VARCHAR',
    ),
}


def create_statements() -> list[str]:
    """Every idempotent ``CREATE`` statement of the current schema, in order."""
    return [stmt for table in ALL_TABLES for stmt in table.ddl()]
