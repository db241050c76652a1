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
SCHEMA_VERSION: Final = 7


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

#: The columns of an entity's ``geo`` (v7): ``(column, SQL type)``, in the order of
#: :data:`GEO_KEYS`.
GEO_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("lat", "DOUBLE"),
    ("lon", "DOUBLE"),
    ("geonames_id", "BIGINT"),
    ("geo_country", "VARCHAR"),  # ISO3 of the state the place lies in
    # continent | country | admin1 | region | territory | sea | city | facility
    ("geo_feature", "VARCHAR"),
)
#: The keys of a report entity's ``geo`` object, one per column of :data:`GEO_COLUMNS`.
GEO_KEYS: Final[tuple[str, ...]] = ("lat", "lon", "geonames_id", "country", "feature")

ENTITIES: Final = Table(
    "entities",
    (
        ("article_id", "VARCHAR"),
        ("entity_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("type", "VARCHAR"),
        ("kb_id", "VARCHAR"),
        ("origin", "VARCHAR"),
        # v7: a place's point and gazetteer entry (the report's ``geo``); NULL when the
        # entity has none
        *GEO_COLUMNS,
    ),
    primary_key=("article_id", "entity_id"),
    indexes=(("entities_kb", ("kb_id",)),),
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
        # v5
        ("date_source", "VARCHAR"),  # event | clause | published
        ("location", "VARCHAR"),  # entity id of the place
        ("mentions", "VARCHAR"),  # JSON list of the other trigger spans
        # v6: the words naming each actor (a described group has them and no entity id)
        *_span("source_phrase"),
        *_span("target_phrase"),
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

# -- the corpus layer (v4): written by newsgraph.corpus, one row set per placed article --

#: Each placed article: its duplicate group and its story. An article stored but not
#: yet placed (ingested with the corpus layer off, or before v4) has no row here.
CORPUS_ARTICLES: Final = Table(
    "corpus_articles",
    (
        ("article_id", "VARCHAR"),
        ("seq", "BIGINT"),  # placement order
        ("duplicate_of", "VARCHAR"),  # the canonical (earliest) article of its group, or null
        ("containment", "DOUBLE"),  # share of the shorter text found in the other, duplicates
        ("story", "VARCHAR"),
        ("published", "DATE"),  # the article's day (publication, else ingest)
        ("outlet_key", "VARCHAR"),  # who published it: outlet, else the URL's host
        ("shingles", "INTEGER"),  # distinct word shingles of its text
    ),
    primary_key=("article_id",),
)

#: Locality-sensitive hashing buckets: one row per (band, article); articles sharing a
#: key are duplicate candidates.
CORPUS_BANDS: Final = Table(
    "corpus_bands",
    (("band", "UBIGINT"), ("article_id", "VARCHAR")),
    indexes=(("corpus_bands_band", ("band",)),),
)

#: An article's weighted story terms (KB actors, names, event dyads, content words).
CORPUS_TERMS: Final = Table(
    "corpus_terms",
    (("article_id", "VARCHAR"), ("term", "VARCHAR"), ("weight", "DOUBLE")),
)

#: Document frequency of each story term over the canonical articles.
CORPUS_DF: Final = Table(
    "corpus_df",
    (("term", "VARCHAR"), ("df", "INTEGER")),
    primary_key=("term",),
)

STORIES: Final = Table(
    "stories",
    (
        ("id", "VARCHAR"),
        ("title", "VARCHAR"),
        ("first_day", "DATE"),
        ("last_day", "DATE"),
        ("articles", "INTEGER"),  # canonical articles
        ("copies", "INTEGER"),  # duplicates folded into them
        ("seq", "BIGINT"),  # creation order
    ),
    primary_key=("id",),
)

#: Claims and quotes as the corpus compares them (words and values, JSON).
CORPUS_STATEMENTS: Final = Table(
    "corpus_statements",
    (
        ("article_id", "VARCHAR"),
        ("item_id", "VARCHAR"),
        ("kind", "VARCHAR"),  # claim | quote
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("text", "VARCHAR"),
        ("words", "JSON"),
        ("vals", "JSON"),
        ("speaker", "VARCHAR"),
    ),
)

#: A claim or quote linked to one in another article, stored in both directions:
#: corroborates (the same statement from an independent outlet), contradicts (a
#: conflicting version) or copies (the same statement in a duplicate of its article).
CORPUS_LINKS: Final = Table(
    "corpus_links",
    (
        ("article_id", "VARCHAR"),
        ("item_id", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("relation", "VARCHAR"),
        ("other_article_id", "VARCHAR"),
        ("other_item_id", "VARCHAR"),
        ("other_kind", "VARCHAR"),
        ("start", "INTEGER"),
        ("end", "INTEGER"),
        ("text", "VARCHAR"),
        ("other_start", "INTEGER"),
        ("other_end", "INTEGER"),
        ("other_text", "VARCHAR"),
        ("why", "VARCHAR"),
        ("story", "VARCHAR"),
    ),
)

#: Every dated event, quote and claim of an actor, one row per actor and item of a
#: canonical article (copies are left out): the actor timeline, written as articles are
#: placed and read by one indexed look-up.
ACTOR_ITEMS: Final = Table(
    "actor_items",
    (
        ("actor", "VARCHAR"),  # kb id, else "~" and the lower-cased name
        ("kind", "VARCHAR"),  # event | quote | claim
        ("article_id", "VARCHAR"),
        ("item_id", "VARCHAR"),
        ("type", "VARCHAR"),  # event type, quote kind, claim kind
        ("role", "VARCHAR"),  # source | target | speaker | mentioned
        ("other", "VARCHAR"),  # the other actor of an event
        ("first_day", "DATE"),
        ("last_day", "DATE"),
        ("dated_by", "VARCHAR"),  # own | published
        ("text", "VARCHAR"),
        ("span_start", "INTEGER"),
        ("span_end", "INTEGER"),
    ),
    indexes=(("actor_items_actor", ("actor",)),),
)

#: The corpus layer's tables, in creation (and export) order.
CORPUS_TABLES: Final[tuple[Table, ...]] = (
    CORPUS_ARTICLES,
    CORPUS_BANDS,
    CORPUS_TERMS,
    CORPUS_DF,
    STORIES,
    CORPUS_STATEMENTS,
    CORPUS_LINKS,
    ACTOR_ITEMS,
)

#: Every table, ``meta`` first.
ALL_TABLES: Final[tuple[Table, ...]] = (META, *DATA_TABLES, *CORPUS_TABLES)

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
    # 3 -> 4: the corpus layer. Its tables and the entities' kb_id index are created by
    # the CREATE statements that follow; stored articles are placed by the next ingest
    # (or `newsgraph relink`).
    3: (),
    # 4 -> 5: events say where their date comes from, where they happened and the other
    # words that state them (stored events keep NULL: `newsgraph ingest` of new articles
    # fills them; the reports themselves are not analysed again).
    4: (
        'ALTER TABLE events ADD COLUMN IF NOT EXISTS "date_source" VARCHAR',
        'ALTER TABLE events ADD COLUMN IF NOT EXISTS "location" VARCHAR',
        'ALTER TABLE events ADD COLUMN IF NOT EXISTS "mentions" VARCHAR',
    ),
    # 5 -> 6: events keep the words naming each actor, the only name of a described
    # group ("riot police"); stored events keep NULL there.
    5: tuple(
        f'ALTER TABLE events ADD COLUMN IF NOT EXISTS "{side}_phrase_{part}" {kind}'
        for side in ("source", "target")
        for part, kind in (("start", "INTEGER"), ("end", "INTEGER"), ("text", "VARCHAR"))
    ),
    # 6 -> 7: entities keep a place's point and gazetteer entry (the report's ``geo``);
    # stored entities keep NULL there (their report JSON has no geo either).
    6: tuple(
        f'ALTER TABLE entities ADD COLUMN IF NOT EXISTS "{name}" {kind}'
        for name, kind in GEO_COLUMNS
    ),
}


def create_statements() -> list[str]:
    """Every idempotent ``CREATE`` statement of the current schema, in order."""
    return [stmt for table in ALL_TABLES for stmt in table.ddl()]
