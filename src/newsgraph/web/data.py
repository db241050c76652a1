"""The queries behind the REST API and the pages, and the one write path (analyse, store).

Reads open the DuckDB file read-only for the length of one request (:func:`reading`);
a write opens it read-write briefly (:func:`writing`). DuckDB lets one process hold
a file read-write, and in one process a file cannot be open read-only and read-write
at once, so each database path has a readers-writer lock: any number of readers, or
one writer; readers wait while a write is in progress (a write is one short
transaction; the analysis itself runs before it, outside the lock, in a worker
process: see :mod:`newsgraph.web.workers`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from ..corpus import actor_timeline, get_story, list_stories, placements
from ..corpus.queries import count_stories
from ..ingest import parse_date
from ..ingest.text import check_size
from ..options import Options
from ..report import Report
from ..store import Store
from ..timevalues import parse_value

__all__ = [
    "MAX_LIMIT",
    "ArticleInput",
    "analyze_and_store",
    "as_input",
    "check_request",
    "db_lock",
    "entity_activity",
    "get_report",
    "list_articles",
    "origin_of",
    "reading",
    "search",
    "store_report",
    "writing",
]

#: The largest page a list or search returns.
MAX_LIMIT: Final = 500
#: Characters of article text read either side of a mention to find its sentence.
_WINDOW: Final = 300
_SEVERITIES: Final = ("error", "warning", "info")


# -- locking and opening -------------------------------------------------------------------


class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds off new readers."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        """Hold the lock as one of possibly many readers."""
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        """Hold the lock alone."""
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


_LOCKS: dict[str, ReadWriteLock] = {}
_LOCKS_GUARD = threading.Lock()
#: spaCy pipelines are not made for concurrent calls: one analysis at a time per process.
_ANALYSIS = threading.Lock()


def db_lock(db_path: str | Path) -> ReadWriteLock:
    """The process-wide readers-writer lock of one database file."""
    key = str(Path(db_path).resolve())
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = ReadWriteLock()
        return lock


@contextlib.contextmanager
def reading(db_path: str | Path) -> Iterator[Store]:
    """The store at ``db_path`` opened read-only for the block (E013 when unusable)."""
    with db_lock(db_path).read(), Store.open(db_path, read_only=True) as store:
        yield store


@contextlib.contextmanager
def writing(db_path: str | Path) -> Iterator[Store]:
    """The store at ``db_path`` opened read-write for the block, with readers held off."""
    with db_lock(db_path).write(), Store.open(db_path) as store:
        yield store


# -- helpers -------------------------------------------------------------------------------


def _like(words: str) -> str:
    """An ``ILIKE ... ESCAPE '\\'`` pattern matching ``words`` anywhere, taken literally."""
    return "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> dt.date | None:
    """The first calendar day of a TIMEX3 value (``2024-05-03``, ``2024-05``), or None."""
    point = parse_value(value) if value else None
    return point.day if point is not None else None


def _sentence_around(window: str, start: int, end: int) -> str:
    """The sentence holding ``window[start:end]``: cut at line breaks and sentence ends."""
    left = max(
        window.rfind("\n", 0, start), *(window.rfind(p, 0, start) for p in (". ", "? ", "! "))
    )
    first = left + 1 if left >= 0 else 0
    if left >= 0 and window[left] in ".?!":
        first = left + 2
    stops = [i for i in (window.find(p, end) for p in (". ", "? ", "! ", "\n")) if i >= 0]
    last = min(stops) + 1 if stops else len(window)
    return window[first:last].strip()


def _page(limit: int, offset: int) -> tuple[int, int]:
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must not be negative")
    return min(limit, MAX_LIMIT), offset


# -- listing -------------------------------------------------------------------------------


def list_articles(
    store: Store,
    *,
    outlet: str | None = None,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    flag: str | None = None,
    entity: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """One page of stored articles, newest publication first (undated last, then in
    ingest order), and how many match in all.

    ``outlet`` keeps an outlet (any case); ``since``/``until`` the articles published
    within those days (``YYYY-MM-DD``; an undated article is dropped by either; E010
    for a bad date); ``flag`` those with a flag of that code (any case); ``entity``
    those naming an entity with that KB id or that name (any case). ``limit`` is
    capped at :data:`MAX_LIMIT`.

    Each item: ``id``, ``title``, ``url``, ``outlet``, ``published``,
    ``published_source``, ``ingested_at``, ``counts`` (``entities``, ``quotes``,
    ``claims``, ``events``) and ``flags`` (counts by severity: ``error``,
    ``warning``, ``info``).
    """
    limit, offset = _page(limit, offset)
    where: list[str] = []
    params: list[Any] = []
    if outlet:
        where.append("lower(a.outlet) = lower(?)")
        params.append(outlet.strip())
    for bound, op in ((since, ">="), (until, "<=")):
        if bound:
            day = bound if isinstance(bound, dt.date) else dt.date.fromisoformat(parse_date(bound))
            where.append(f"a.published {op} ?")
            params.append(day)
    if flag:
        where.append("a.id IN (SELECT article_id FROM flags WHERE code = ?)")
        params.append(flag.strip().upper())
    if entity:
        where.append(
            "a.id IN (SELECT article_id FROM entities WHERE kb_id = ? OR lower(name) = lower(?))"
        )
        params += [entity.strip()] * 2
    cond = "WHERE " + " AND ".join(where) if where else ""
    total_row = store.sql(f"SELECT count(*) FROM articles a {cond}", params)
    total = int(total_row[0][0]) if total_row else 0
    if not total or offset >= total or not limit:
        return [], total

    def counted(table: str) -> str:
        return (
            f"{table[0]} AS (SELECT article_id, count(*) AS n FROM {table} "
            "WHERE article_id IN (SELECT id FROM page) GROUP BY article_id)"
        )

    order = "published DESC NULLS LAST, ingested_at, rid"
    sql = f"""
        WITH page AS (
            SELECT a.id, a.title, a.url, a.outlet, a.published, a.published_source,
                   a.ingested_at, a.rowid AS rid,
                   left(split_part(ltrim(a.text, chr(10) || chr(13) || ' '), chr(10), 1), 300)
                       AS first_line
            FROM articles a {cond}
            ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}
        ),
        {counted("entities")}, {counted("quotes")}, {counted("claims")},
        v AS (SELECT article_id, count(*) AS n FROM events
              WHERE article_id IN (SELECT id FROM page) GROUP BY article_id),
        f AS (SELECT article_id,
                     count(*) FILTER (WHERE severity = 'error') AS err,
                     count(*) FILTER (WHERE severity = 'warning') AS warn,
                     count(*) FILTER (WHERE severity = 'info') AS info
              FROM flags WHERE article_id IN (SELECT id FROM page) GROUP BY article_id)
        SELECT page.id, page.title, page.url, page.outlet, page.published,
               page.published_source, page.ingested_at,
               coalesce(e.n, 0), coalesce(q.n, 0), coalesce(c.n, 0), coalesce(v.n, 0),
               coalesce(f.err, 0), coalesce(f.warn, 0), coalesce(f.info, 0), page.first_line
        FROM page
        LEFT JOIN e ON e.article_id = page.id
        LEFT JOIN q ON q.article_id = page.id
        LEFT JOIN c ON c.article_id = page.id
        LEFT JOIN v ON v.article_id = page.id
        LEFT JOIN f ON f.article_id = page.id
        ORDER BY {order}
    """
    items = []
    for r in store.sql(sql, params):
        ingested: dt.datetime | None = r[6]
        items.append(
            {
                "id": r[0],
                "title": r[1],
                # what a reader sees as the title: the title, else the first line
                "headline": (r[1] or "").strip() or (r[14] or "").strip() or None,
                "url": r[2],
                "outlet": r[3],
                "published": _iso(r[4]),
                "published_source": r[5],
                "ingested_at": ingested.isoformat(timespec="seconds") + "Z" if ingested else None,
                "counts": {
                    "entities": int(r[7]),
                    "quotes": int(r[8]),
                    "claims": int(r[9]),
                    "events": int(r[10]),
                },
                "flags": dict(zip(_SEVERITIES, (int(n) for n in r[11:14]), strict=True)),
            }
        )
    placed = placements(store, (item["id"] for item in items))
    for item in items:
        at = placed.get(item["id"])
        item["duplicate_of"] = at.duplicate_of if at else None
        item["story"] = at.story if at else None
    return items, total


# -- the corpus: stories and actors ------------------------------------------------------


def list_stories_page(
    store: Store,
    *,
    contains: str | None = None,
    min_articles: int = 1,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """One page of stories, the latest first, and how many there are in all."""
    rows = list_stories(
        store, limit=limit, offset=offset, min_articles=min_articles, contains=contains
    )
    total = count_stories(store, min_articles=min_articles, contains=contains)
    return [r.to_dict() for r in rows], total


def story_detail(store: Store, story_id: str) -> dict[str, Any] | None:
    found = get_story(store, story_id)
    return found.to_dict() if found is not None else None


def actor_detail(
    store: Store,
    key: str,
    *,
    options: Options | None = None,
    kinds: tuple[str, ...] = ("event", "quote", "claim"),
    limit: int = 200,
    offset: int = 0,
) -> dict[str, Any]:
    """An actor's timeline across the corpus (E038 when nothing is known by ``key``)."""
    from ..kb import get_kb

    kb_dir = options.kb_dir if options is not None else None
    found = actor_timeline(store, key, kb=get_kb(kb_dir), limit=limit, offset=offset, kinds=kinds)
    return found.to_dict()


def get_report(store: Store, article_id: str) -> Report | None:
    """The stored report of an article id (or a unique id prefix of 6+ hex digits), or None."""
    return store.get(article_id.strip())


# -- one entity across the corpus ----------------------------------------------------------


def _kb_facts(kb_id: str, options: Options | None) -> dict[str, Any] | None:
    """What the packaged (or configured) knowledge base says about ``kb_id``, or None."""
    from ..kb import get_kb

    kb = get_kb(options.kb_dir if options else None)
    known = kb.by_kb_id(kb_id)
    if known is None:
        return None
    attrs = {k: list(v) if isinstance(v, tuple) else v for k, v in dict(known.attrs).items()}
    roles = [
        {"office": t.office, "title": t.title, "start": t.start or None, "end": t.end or None}
        for t in kb.roles(known)
    ]
    return {
        "id": known.id,
        "qid": known.qid,
        "name": known.name,
        "type": known.type,
        "aliases": list(known.aliases),
        "attrs": attrs,
        "roles": roles,
    }


def entity_activity(
    store: Store, kb_id: str, *, options: Options | None = None
) -> dict[str, Any] | None:
    """Everything the stored articles say about one KB entity, in time order; None when
    neither the store nor the knowledge base knows ``kb_id``.

    ``{"entity": {kb_id, name, type, kb}, "items": [...]}``: ``kb`` holds the knowledge
    base's facts (id, qid, name, type, aliases, attrs, roles) or None. Each item has
    ``kind`` (``"mention"``, ``"quote"`` where the entity speaks, ``"event"`` where it
    is source or target), ``article_id``, ``title``, ``published``, ``text`` (the
    mention's sentence, the quote, the event's sentence), ``date`` (the quote's or
    event's own calendar day when it has one, else the article's publication day),
    ``dated_by`` (``"quote"``, ``"event"``, ``"published"`` or None), ``start``/``end``
    (the offsets in the article text) and kind-specific details. Sorted by date
    (undated last), then article and position.
    """
    kb_id = kb_id.strip()
    named = store.sql(
        "SELECT name, type, count(*) AS n FROM entities WHERE kb_id = ? "
        "GROUP BY name, type ORDER BY n DESC, name LIMIT 1",
        [kb_id],
    )
    facts = _kb_facts(kb_id, options)
    if not named and facts is None:
        return None
    name = facts["name"] if facts else named[0][0]
    etype = named[0][1] if named else (facts["type"] if facts else None)
    items: list[dict[str, Any]] = []

    def item(
        kind: str,
        aid: str,
        title: str | None,
        published: dt.date | None,
        own_date: str | None,
        start: int | None,
        end: int | None,
        **fields: Any,
    ) -> dict[str, Any]:
        """One activity item, dated by its own date, else its article's publication."""
        day = _day(own_date)
        if day is not None:
            date, by = day.isoformat(), kind
        elif published is not None:
            date, by = published.isoformat(), "published"
        else:
            date, by = None, None
        head = {"kind": kind, "article_id": aid, "title": title, "published": _iso(published)}
        return {**head, **fields, "date": date, "dated_by": by, "start": start, "end": end}

    mentions = store.sql(
        f"""
        SELECT m.article_id, a.title, a.published, m.start, m."end", m.text,
               greatest(m.start - {_WINDOW}, 0) AS w0,
               substring(a.text, greatest(m.start - {_WINDOW}, 0) + 1,
                         m."end" - greatest(m.start - {_WINDOW}, 0) + {_WINDOW}) AS window
        FROM entities e
        JOIN mentions m ON m.article_id = e.article_id AND m.entity_id = e.entity_id
        JOIN articles a ON a.id = e.article_id
        WHERE e.kb_id = ?
        """,
        [kb_id],
    )
    for aid, title, published, start, end, text, w0, window in mentions:
        around = _sentence_around(window or "", start - w0, end - w0) or text
        items.append(
            item("mention", aid, title, published, None, start, end, text=around, mention=text)
        )
    quotes = store.sql(
        """
        SELECT q.article_id, a.title, a.published, q.content_start, q.content_end,
               q.content_text, q.date, q.quote_id, q.source_kind, q.speaker_text
        FROM entities e
        JOIN quotes q ON q.article_id = e.article_id AND q.speaker_entity = e.entity_id
        JOIN articles a ON a.id = e.article_id
        WHERE e.kb_id = ?
        """,
        [kb_id],
    )
    for aid, title, published, start, end, text, qdate, qid, kind, speaker in quotes:
        items.append(
            item(
                "quote",
                aid,
                title,
                published,
                qdate,
                start,
                end,
                text=text or "",
                quote_id=qid,
                source_kind=kind,
                speaker=speaker,
            )
        )
    events = store.sql(
        """
        SELECT v.article_id, a.title, a.published, v.sentence_start, v.sentence_end,
               v.sentence_text, v.date, v.event_id, v.type, v.trigger_text,
               CASE WHEN v.source = e.entity_id THEN 'source' ELSE 'target' END AS role,
               s.name, t.name
        FROM entities e
        JOIN events v ON v.article_id = e.article_id
                     AND (v.source = e.entity_id OR v.target = e.entity_id)
        JOIN articles a ON a.id = e.article_id
        LEFT JOIN entities s ON s.article_id = v.article_id AND s.entity_id = v.source
        LEFT JOIN entities t ON t.article_id = v.article_id AND t.entity_id = v.target
        WHERE e.kb_id = ?
        """,
        [kb_id],
    )
    for r in events:
        aid, title, published, start, end, text, vdate, eid, etyp, trigger, role, src, tgt = r
        items.append(
            item(
                "event",
                aid,
                title,
                published,
                vdate,
                start,
                end,
                text=text or "",
                event_id=eid,
                type=etyp,
                trigger=trigger,
                role=role,
                source_name=src,
                target_name=tgt,
            )
        )
    rank = {"mention": 0, "quote": 1, "event": 2}
    items.sort(
        key=lambda i: (
            i["date"] is None,
            i["date"] or "",
            i["article_id"],
            i["start"] if i["start"] is not None else -1,
            rank[i["kind"]],
        )
    )
    return {
        "entity": {"kb_id": kb_id, "name": name, "type": etype, "kb": facts},
        "items": items,
    }


# -- search --------------------------------------------------------------------------------


def search(
    store: Store, q: str, *, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Case-insensitive substring search over titles, quote contents and claim texts.

    Returns one page of ``{kind: "title" | "quote" | "claim", article_id, title,
    published, text, start}`` (``start`` is the offset in the article text, None for a
    title), newest article first, and the number of hits in all. ``q`` is taken
    literally (``%`` and ``_`` match themselves); a blank ``q`` finds nothing.
    """
    limit, offset = _page(limit, offset)
    words = q.strip()
    if not words:
        return [], 0
    pattern = _like(words)
    sql = f"""
        WITH hits AS (
            SELECT 'title' AS kind, 0 AS rank, a.id AS article_id, a.title AS text,
                   NULL::INTEGER AS pos
            FROM articles a WHERE a.title ILIKE $1 ESCAPE '\\'
            UNION ALL
            SELECT 'quote', 1, q.article_id, q.content_text, q.content_start
            FROM quotes q WHERE q.content_text ILIKE $1 ESCAPE '\\'
            UNION ALL
            SELECT 'claim', 2, c.article_id, c.text, c.start
            FROM claims c WHERE c.text ILIKE $1 ESCAPE '\\'
        )
        SELECT h.kind, h.article_id, a.title, a.published, h.text, h.pos,
               count(*) OVER () AS total
        FROM hits h JOIN articles a ON a.id = h.article_id
        ORDER BY a.published DESC NULLS LAST, a.ingested_at, h.article_id, h.rank, h.pos
        LIMIT {int(limit)} OFFSET {int(offset)}
    """
    rows = store.sql(sql, [pattern])
    if rows:
        total = int(rows[0][6])
    else:
        count = store.sql(
            """
            SELECT (SELECT count(*) FROM articles WHERE title ILIKE $1 ESCAPE '\\')
                 + (SELECT count(*) FROM quotes WHERE content_text ILIKE $1 ESCAPE '\\')
                 + (SELECT count(*) FROM claims WHERE text ILIKE $1 ESCAPE '\\')
            """,
            [pattern],
        )
        total = int(count[0][0]) if count else 0
    items = [
        {
            "kind": r[0],
            "article_id": r[1],
            "title": r[2],
            "published": _iso(r[3]),
            "text": r[4] or "",
            "start": r[5],
        }
        for r in rows
    ]
    return items, total


# -- analysing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleInput:
    """One article to analyse: plain ``text``, an ``html`` page, or a ``url`` to fetch."""

    kind: Literal["text", "html", "url"]
    value: str


def as_input(article_input: ArticleInput | Mapping[str, str]) -> ArticleInput:
    """An :class:`ArticleInput` from itself or a one-key mapping (``{"url": ...}``)."""
    if isinstance(article_input, ArticleInput):
        return article_input
    given = [(k, v) for k, v in article_input.items() if v is not None]
    if len(given) != 1 or given[0][0] not in ("text", "html", "url"):
        raise ValueError("give exactly one of text, html or url")
    kind, value = given[0]
    return ArticleInput(kind, value)  # type: ignore[arg-type]


def check_request(
    article_input: ArticleInput | Mapping[str, str], published: str | None, options: Options
) -> tuple[ArticleInput, str | None]:
    """The cheap checks of an analysis request, made before it waits for a worker: the
    date (E010; returned as ``YYYY-MM-DD``) and the size of a given text or page (E005)."""
    article_input = as_input(article_input)
    day = parse_date(published) if published and published.strip() else None
    if article_input.kind != "url":
        where = f"request {article_input.kind}"
        check_size(len(article_input.value.encode("utf-8", errors="replace")), options, where=where)
    return article_input, day


def origin_of(article_input: ArticleInput) -> str:
    """What the store records as a report's origin: the URL, else ``api``."""
    return article_input.value if article_input.kind == "url" else "api"


def store_report(db_path: str | Path, report: Report, origin: str) -> None:
    """Add ``report`` to the database at ``db_path`` and place it in the corpus
    (duplicates, story, links), with readers held off meanwhile."""
    from ..corpus import update_corpus

    with writing(db_path) as db:
        db.add(report, origin=origin)
        update_corpus(db)


def analyze_and_store(
    db_path: str | Path | None,
    article_input: ArticleInput | Mapping[str, str],
    published: str | None,
    store: bool,
    options: Options | None = None,
) -> Report:
    """Analyse one article in this process (text, HTML, or a URL fetched safely: private
    and loopback addresses are refused with E007 unless ``options.allow_private``) and,
    when ``store``, add its report to the database at ``db_path``.

    The web app does not call this: it analyses in worker processes
    (:mod:`newsgraph.web.workers`) and stores with :func:`store_report`. ``published``
    (``YYYY-MM-DD``, E010 otherwise) is the anchor for relative dates and wins over page
    metadata. ``article_input`` may also be a one-key mapping (``{"text": ...}``);
    ``options`` None means the packaged defaults. Raises :class:`NewsgraphError` for bad
    input.
    """
    from .workers import run_analysis

    options = options or Options()
    article_input, day = check_request(article_input, published, options)
    with _ANALYSIS:
        report = run_analysis(article_input.kind, article_input.value, day, options)
    if store:
        if db_path is None:
            raise ValueError("store=True needs a database path")
        store_report(db_path, report, origin_of(article_input))
    return report
