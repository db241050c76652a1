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
import functools
import re
import threading
import unicodedata
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
    "ENTITY_FIELDS",
    "ENTITY_SORTS",
    "MAX_LIMIT",
    "MAX_QUERY",
    "SEARCH_KINDS",
    "ArticleInput",
    "analyze_and_store",
    "as_input",
    "check_request",
    "db_lock",
    "entity_activity",
    "entity_types",
    "fold",
    "fold_sql",
    "get_report",
    "like_pattern",
    "list_articles",
    "list_entities",
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


def like_pattern(words: str) -> str:
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
    first, last = _sentence_bounds(window, start, end)
    return window[first:last]


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
    limit: int | None = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """One page of stories (``limit`` None: every one), the latest first, and how many
    there are in all."""
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
    """What the packaged (or configured) knowledge base says about ``kb_id``, or None.

    Each role has the term's ``office`` (``TUR.head_of_state``), ``title``, ``start``
    and ``end``, and for people to read: ``label`` (``President of Turkey``; an
    ambassador's also says where to) and ``kind`` (``head of state``)."""
    from ..kb import get_kb

    kb = get_kb(options.kb_dir if options else None)
    known = kb.by_kb_id(kb_id)
    if known is None:
        return None
    attrs = {k: list(v) if isinstance(v, tuple) else v for k, v in dict(known.attrs).items()}
    roles = []
    for t in kb.roles(known):
        owner = kb.owner(t.country)
        label = f"{t.title} of {owner.name if owner else t.country}"
        if t.host:
            host = kb.owner(t.host)
            label += f" to {host.name if host else t.host}"
        roles.append(
            {
                "office": t.office,
                "title": t.title,
                "start": t.start or None,
                "end": t.end or None,
                "label": label,
                "kind": t.kind.replace("_", " "),
            }
        )
    return {
        "id": known.id,
        "qid": known.qid,
        "name": known.name,
        "type": known.type,
        "aliases": list(known.aliases),
        "attrs": attrs,
        "roles": roles,
    }


def _sentence_bounds(window: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence holding ``window[start:end]`` starts and ends in ``window``
    (cut at line breaks and sentence ends, without the spaces around it)."""
    left = max(
        window.rfind("\n", 0, start), *(window.rfind(p, 0, start) for p in (". ", "? ", "! "))
    )
    first = left + 1 if left >= 0 else 0
    if left >= 0 and window[left] in ".?!":
        first = left + 2
    stops = [i for i in (window.find(p, end) for p in (". ", "? ", "! ", "\n")) if i >= 0]
    last = min(stops) + 1 if stops else len(window)
    while first < last and window[first].isspace():
        first += 1
    while last > first and window[last - 1].isspace():
        last -= 1
    return first, last


#: Co-actors listed on an entity page, of each kind.
_CO_ACTORS: Final = 10
#: A timeline longer than this many months is counted by year.
_MONTHS: Final = 60


def _entity_articles(
    store: Store, kb_id: str, limit: int | None, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """The articles naming ``kb_id``, newest first (a page of them when ``limit`` is
    set), and how many there are."""
    page = "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"
    rows = store.sql(
        f"""
        SELECT a.id, a.title, a.outlet, a.published,
               left(split_part(ltrim(a.text, chr(10) || chr(13) || ' '), chr(10), 1), 300),
               count(*) OVER () AS total
        FROM articles a
        WHERE a.id IN (SELECT article_id FROM entities WHERE kb_id = $1)
        ORDER BY a.published DESC NULLS LAST, a.ingested_at, a.id
        {page}
        """,
        [kb_id],
    )
    if rows:
        total = int(rows[0][5])
    else:
        found = store.sql(
            "SELECT count(DISTINCT article_id) FROM entities WHERE kb_id = ?", [kb_id]
        )
        total = int(found[0][0]) if found else 0
    items = [
        {
            "id": r[0],
            "title": r[1],
            "headline": (r[1] or "").strip() or (r[4] or "").strip() or None,
            "outlet": r[2],
            "published": _iso(r[3]),
        }
        for r in rows
    ]
    return items, total


def _entity_summary(store: Store, kb_id: str, options: Options | None) -> dict[str, Any]:
    """An entity's counts, co-actors and activity per month (or year) across the store."""
    from ..kb import get_kb

    kb = get_kb(options.kb_dir if options else None)
    me = "me AS (SELECT DISTINCT article_id, entity_id FROM entities WHERE kb_id = $1)"
    counted = store.sql(
        f"""
        WITH {me}
        SELECT
          (SELECT count(DISTINCT article_id) FROM me),
          (SELECT count(*) FROM mentions m JOIN me USING (article_id, entity_id)),
          (SELECT count(*) FROM quotes q WHERE EXISTS (
             SELECT 1 FROM me WHERE me.article_id = q.article_id
                                AND me.entity_id = q.speaker_entity)),
          (SELECT count(*) FROM events v WHERE EXISTS (
             SELECT 1 FROM me WHERE me.article_id = v.article_id AND me.entity_id = v.source)),
          (SELECT count(*) FROM events v WHERE EXISTS (
             SELECT 1 FROM me WHERE me.article_id = v.article_id AND me.entity_id = v.target)),
          (SELECT count(*) FROM events v WHERE EXISTS (
             SELECT 1 FROM me WHERE me.article_id = v.article_id
                                AND me.entity_id IN (v.source, v.target)))
        """,
        [kb_id],
    )
    n = [int(x or 0) for x in counted[0]] if counted else [0] * 6
    counts = {
        "articles": n[0],
        "mentions": n[1],
        "quotes": n[2],
        "events_source": n[3],
        "events_target": n[4],
        "events": n[5],
    }

    def named(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        out = []
        for other_kb, name, etype, count in rows:
            known = kb.by_kb_id(other_kb) if other_kb else None
            out.append(
                {
                    "kb_id": other_kb,
                    "name": known.name if known else name,
                    "type": etype,
                    "n": int(count),
                }
            )
        return out

    # the entity on the other side of each event it is source or target of
    by_events = store.sql(
        f"""
        WITH {me},
        other AS (
            SELECT o.kb_id, o.name, o.type,
                   coalesce(o.kb_id, '~' || lower(o.name) || chr(31) || coalesce(o.type, '')) AS key
            FROM events v
            JOIN me ON me.article_id = v.article_id
                   AND (v.source = me.entity_id OR v.target = me.entity_id)
            JOIN entities o ON o.article_id = v.article_id
                   AND o.entity_id = CASE WHEN v.source = me.entity_id THEN v.target
                                          ELSE v.source END
            WHERE o.kb_id IS DISTINCT FROM $1
        )
        SELECT any_value(kb_id), coalesce(mode(name) FILTER (type <> 'NORP'), mode(name)),
               coalesce(mode(type) FILTER (type <> 'NORP'), mode(type)), count(*) AS n
        FROM other GROUP BY key ORDER BY n DESC, min(lower(name)) LIMIT {_CO_ACTORS}
        """,
        [kb_id],
    )
    # the entities named in the same articles, by how many articles
    by_articles = store.sql(
        f"""
        WITH {me},
        other AS (
            SELECT o.article_id, o.kb_id, o.name, o.type,
                   coalesce(o.kb_id, '~' || lower(o.name) || chr(31) || coalesce(o.type, '')) AS key
            FROM entities o
            WHERE o.article_id IN (SELECT article_id FROM me) AND o.kb_id IS DISTINCT FROM $1
        )
        SELECT any_value(kb_id), coalesce(mode(name) FILTER (type <> 'NORP'), mode(name)),
               coalesce(mode(type) FILTER (type <> 'NORP'), mode(type)),
               count(DISTINCT article_id) AS n
        FROM other GROUP BY key
        ORDER BY n DESC, count(*) DESC, min(lower(name)) LIMIT {_CO_ACTORS}
        """,
        [kb_id],
    )
    months = store.sql(
        f"""
        WITH {me}
        SELECT date_trunc('month', a.published)::DATE AS month, count(DISTINCT a.id),
               count(m.start)
        FROM me JOIN articles a ON a.id = me.article_id
        LEFT JOIN mentions m ON m.article_id = me.article_id AND m.entity_id = me.entity_id
        GROUP BY month ORDER BY month NULLS LAST
        """,
        [kb_id],
    )
    return {
        "counts": counts,
        "co_actors": {"events": named(by_events), "articles": named(by_articles)},
        "timeline": _timeline(months),
    }


def _timeline(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """Articles and mentions per month (per year over :data:`_MONTHS` months), every
    period from the first to the last present, and the undated articles apart."""
    dated = [(r[0], int(r[1]), int(r[2])) for r in rows if r[0] is not None]
    undated = sum(int(r[1]) for r in rows if r[0] is None)
    if not dated:
        return {"by": "month", "periods": [], "undated": undated}
    first, last = dated[0][0], dated[-1][0]
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    by = "month" if span <= _MONTHS else "year"
    found: dict[str, list[int]] = {}
    for day, articles, mentions in dated:
        key = f"{day.year:04d}-{day.month:02d}" if by == "month" else f"{day.year:04d}"
        got = found.setdefault(key, [0, 0])
        got[0] += articles
        got[1] += mentions
    keys: list[str] = []
    if by == "month":
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            keys.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        keys = [f"{y:04d}" for y in range(first.year, last.year + 1)]
    periods = [
        {"period": k, "articles": found.get(k, [0, 0])[0], "mentions": found.get(k, [0, 0])[1]}
        for k in keys
    ]
    return {"by": by, "periods": periods, "undated": undated}


def entity_activity(
    store: Store,
    kb_id: str,
    *,
    options: Options | None = None,
    article_limit: int | None = None,
    article_offset: int = 0,
) -> dict[str, Any] | None:
    """Everything the stored articles say about one KB entity, in time order; None when
    neither the store nor the knowledge base knows ``kb_id``.

    ``{"entity": {kb_id, name, type, kb}, "items": [...], "counts", "co_actors",
    "timeline", "articles", "articles_total"}``: ``kb`` holds the knowledge base's facts
    (id, qid, name, type, aliases, attrs, roles) or None. Each item has ``kind``
    (``"mention"``, ``"quote"`` where the entity speaks, ``"event"`` where it is source
    or target), ``article_id``, ``title``, ``published``, ``text`` (the mention's
    sentence, the quote, the event's sentence), ``date`` (the quote's or event's own
    calendar day when it has one, else the article's publication day), ``dated_by``
    (``"quote"``, ``"event"``, ``"published"`` or None), ``start``/``end`` (the offsets
    in the article text: the mention, the quote, the event's sentence) and
    kind-specific details (a mention's ``sentence_start``/``sentence_end``, an event's
    ``trigger_start``/``trigger_end`` and ``other``/``other_kb_id``, the actor on its
    other side). Sorted by date (undated last), then article and position.

    ``counts``: ``articles``, ``mentions``, ``quotes`` (as speaker), ``events_source``,
    ``events_target``, ``events``. ``co_actors``: ``events`` (the entities most often on
    the other side of its events) and ``articles`` (most often named in the same
    articles), each ``{kb_id, name, type, n}``. ``timeline``: ``{by: "month" | "year",
    periods: [{period, articles, mentions}], undated}`` by publication day.
    ``articles``: the articles naming it, newest first (``{id, title, headline, outlet,
    published}``); with ``article_limit`` only that page of them, and ``items`` only
    from those articles (``articles_total`` counts them all).
    """
    kb_id = kb_id.strip()
    named = store.sql(
        "SELECT name, type, count(*) AS n FROM entities WHERE kb_id = ? "
        "GROUP BY name, type ORDER BY type = 'NORP', n DESC, name LIMIT 1",
        [kb_id],
    )
    facts = _kb_facts(kb_id, options)
    if not named and facts is None:
        return None
    name = facts["name"] if facts else named[0][0]
    etype = named[0][1] if named else (facts["type"] if facts else None)
    articles, articles_total = _entity_articles(store, kb_id, article_limit, article_offset)
    scope = ""
    params: list[Any] = [kb_id]
    if article_limit is not None:
        scope = "AND e.article_id IN (SELECT unnest($2::VARCHAR[]))"
        params = [kb_id, [a["id"] for a in articles]]
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
        WHERE e.kb_id = $1 {scope}
        """,
        params,
    )
    for aid, title, published, start, end, text, w0, window in mentions:
        window = window or ""
        first, last = _sentence_bounds(window, start - w0, end - w0)
        around = window[first:last] if first < last else ""
        bounds = (first + w0, last + w0) if around else (start, end)
        items.append(
            item(
                "mention",
                aid,
                title,
                published,
                None,
                start,
                end,
                text=around or text,
                mention=text,
                sentence_start=bounds[0],
                sentence_end=bounds[1],
            )
        )
    quotes = store.sql(
        f"""
        SELECT q.article_id, a.title, a.published, q.content_start, q.content_end,
               q.content_text, q.date, q.quote_id, q.source_kind, q.speaker_text
        FROM entities e
        JOIN quotes q ON q.article_id = e.article_id AND q.speaker_entity = e.entity_id
        JOIN articles a ON a.id = e.article_id
        WHERE e.kb_id = $1 {scope}
        """,
        params,
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
        f"""
        SELECT v.article_id, a.title, a.published, v.sentence_start, v.sentence_end,
               v.sentence_text, v.date, v.event_id, v.type, v.trigger_text,
               CASE WHEN v.source = e.entity_id THEN 'source' ELSE 'target' END AS role,
               coalesce(s.name, v.source_phrase_text), coalesce(t.name, v.target_phrase_text),
               s.kb_id, t.kb_id, v.trigger_start, v.trigger_end
        FROM entities e
        JOIN events v ON v.article_id = e.article_id
                     AND (v.source = e.entity_id OR v.target = e.entity_id)
        JOIN articles a ON a.id = e.article_id
        LEFT JOIN entities s ON s.article_id = v.article_id AND s.entity_id = v.source
        LEFT JOIN entities t ON t.article_id = v.article_id AND t.entity_id = v.target
        WHERE e.kb_id = $1 {scope}
        """,
        params,
    )
    for r in events:
        aid, title, published, start, end, text, vdate, eid, etyp, trigger, role, src, tgt = r[:13]
        src_kb, tgt_kb, t_start, t_end = r[13:]
        if start is None or end is None:  # no sentence: the trigger stands for it
            start, end, text = t_start, t_end, text or trigger
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
                other=tgt if role == "source" else src,
                other_kb_id=tgt_kb if role == "source" else src_kb,
                trigger_start=t_start,
                trigger_end=t_end,
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
        **_entity_summary(store, kb_id, options),
        "articles": articles,
        "articles_total": articles_total,
    }


# -- folding: case and accents -------------------------------------------------------------

#: Letters ``strip_accents`` leaves alone that readers take for plain ones, and the
#: typographic quotes: folded alike in Python (:func:`fold`) and SQL (:func:`fold_sql`).
_FOLD_FROM: Final = "ıłøđħ\u2019\u2018\u201c\u201d"
_FOLD_TO: Final = "ilodh''\"\""
_FOLD_TABLE: Final = str.maketrans(_FOLD_FROM, _FOLD_TO)
_MARKS: Final = frozenset({"Mn", "Mc", "Me"})


def fold(text: str) -> str:
    """``text`` as search compares it: lower case, without accents or other marks
    (``ERDOĞAN`` -> ``erdogan``), as DuckDB's ``strip_accents(lower(...))`` has it."""
    low = unicodedata.normalize("NFD", text.lower().translate(_FOLD_TABLE))
    return unicodedata.normalize(
        "NFC", "".join(c for c in low if unicodedata.category(c) not in _MARKS)
    )


def fold_sql(column: str) -> str:
    """The SQL of :func:`fold` applied to ``column`` (a column name, never user text)."""
    src, dst = (s.replace("'", "''") for s in (_FOLD_FROM, _FOLD_TO))
    return f"strip_accents(translate(lower({column}), '{src}', '{dst}'))"


def _matches_sql(column: str, pattern: str) -> str:
    """SQL: the folded ``column`` is ``LIKE`` the parameter ``pattern`` (``$1`` or ``?``),
    a folded pattern. Folding an ASCII value only lowers it, so the costly fold runs
    only on values with other characters (``strlen`` counts bytes, ``length`` letters)."""
    like = f"LIKE {pattern} ESCAPE '\\'"
    return (
        f"(lower({column}) {like} OR (strlen({column}) <> length({column}) "
        f"AND {fold_sql(column)} {like}))"
    )


# -- the knowledge base's names, folded ----------------------------------------------------

#: The kinds of KB alias search goes by (metonyms such as "Ankara" for Turkey would mislead).
_ALIAS_KINDS: Final = ("name", "demonym", "surname")
#: At most this many KB entities found by part of one of their names.
_KB_RELATED: Final = 200
_KB_ID: Final = re.compile(r"(Q[1-9][0-9]{0,11}|ngkb:[a-z0-9_-]+:[a-z0-9._:-]+)\Z")


@dataclass(frozen=True)
class _KBNames:
    """Every KB name and alias, folded: ``exact`` maps one to its entities' KB ids (names
    first, then demonyms, then surnames), ``pairs`` lists (folded name, KB id)."""

    exact: dict[str, tuple[str, ...]]
    pairs: tuple[tuple[str, str], ...]


@functools.lru_cache(maxsize=4)
def _kb_names(kb_dir: str | None) -> _KBNames:
    from ..kb import get_kb

    kb = get_kb(kb_dir)
    ranked: dict[str, dict[str, int]] = {}

    def add(alias: str, kb_id: str, rank: int) -> None:
        key = " ".join(fold(alias).split())
        if key:
            got = ranked.setdefault(key, {})
            got[kb_id] = min(rank, got.get(kb_id, rank))

    for entity in kb.entities.values():
        for alias in (entity.name, *entity.aliases):
            add(alias, entity.kb_id, 0)
    for alias, refs in kb.aliases.items():
        for ref in refs:
            known = kb.get(ref.entity_id)
            if ref.kind in _ALIAS_KINDS and known is not None:
                add(alias, known.kb_id, _ALIAS_KINDS.index(ref.kind))
    exact = {k: tuple(sorted(v, key=lambda i: (v[i], i))) for k, v in ranked.items()}
    pairs = tuple((k, i) for k, ids in exact.items() for i in ids)
    return _KBNames(exact, pairs)


def _kb_ids(words: str, folded: str, options: Options | None) -> tuple[list[str], list[str]]:
    """The KB ids known by ``words``: ``(exact, all)``, where ``exact`` are known by
    exactly that name, alias or id and ``all`` adds those with it as whole words in
    one of their names (``tayyip`` -> Recep Tayyip Erdoğan)."""
    names = _kb_names(options.kb_dir if options is not None else None)
    key = " ".join(folded.split())
    exact = list(names.exact.get(key, ()))
    if _KB_ID.match(words):
        exact.append(words)
    found = dict.fromkeys(exact)
    if len(key) >= 3:
        whole = re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)")
        for alias, kb_id in names.pairs:
            if key in alias and kb_id not in found and whole.search(alias):
                found[kb_id] = None
                if len(found) >= _KB_RELATED:
                    break
    return exact, list(found)


# -- search --------------------------------------------------------------------------------

#: A query is cut to this many characters.
MAX_QUERY: Final = 500
#: The kinds of search hits, in the order they are listed within an article.
SEARCH_KINDS: Final = ("entity", "title", "quote", "claim", "event", "flag")


def _entity_key(alias: str = "") -> str:
    """SQL grouping stored entities: by KB id, else by lower-cased name and type."""
    p = f"{alias}." if alias else ""
    return f"coalesce({p}kb_id, '~' || lower({p}name) || chr(31) || coalesce({p}type, ''))"


def _search_sql() -> str:
    """The hits of a search, as a CTE list ending in ``hits``. Parameters: $1 the LIKE
    pattern of the folded words, $2 the KB ids known by them, $3 those known by exactly
    them, $4 the folded words."""
    f = fold_sql

    def m(column: str) -> str:
        return _matches_sql(column, "$1")

    return f"""
    ek AS (
        SELECT article_id, entity_id, name, type, kb_id, {_entity_key()} AS key FROM entities
    ),
    mk AS (
        SELECT key, coalesce(bool_or(list_contains($3::VARCHAR[], kb_id)
                                     OR {f("name")} = $4), false) AS exact
        FROM (
            SELECT key, kb_id, name FROM ek
            WHERE list_contains($2::VARCHAR[], kb_id) OR {m("name")}
            UNION ALL
            SELECT ek.key, ek.kb_id, ek.name
            FROM mentions m JOIN ek USING (article_id, entity_id)
            WHERE {m("m.text")}
        )
        GROUP BY key
    ),
    ents AS (
        SELECT ek.key, any_value(ek.kb_id) AS kb_id,
               count(DISTINCT ek.article_id) AS n_articles, count(m.start) AS n_mentions
        FROM ek JOIN mk USING (key)
        LEFT JOIN mentions m USING (article_id, entity_id)
        GROUP BY ek.key
    ),
    names AS (
        SELECT ek.key, ek.name, ek.type,
               row_number() OVER (PARTITION BY ek.key
                                  ORDER BY ek.type = 'NORP', count(*) DESC, ek.name) AS rn
        FROM ek JOIN mk USING (key)
        GROUP BY ek.key, ek.name, ek.type
    ),
    firsts AS (
        SELECT ek.key, m.article_id, m.start, m."end",
               row_number() OVER (PARTITION BY ek.key
                                  ORDER BY a.published DESC NULLS LAST, a.ingested_at, a.id,
                                           m.start) AS rn
        FROM ek JOIN mk USING (key)
        JOIN mentions m USING (article_id, entity_id)
        JOIN articles a ON a.id = m.article_id
        WHERE ek.kb_id IS NULL
    ),
    evs AS (
        SELECT v.article_id, v.type,
               coalesce(v.sentence_start, v.trigger_start) AS pos,
               coalesce(v.sentence_end, v.trigger_end) AS stop,
               coalesce(v.sentence_text, v.trigger_text) AS text,
               coalesce(s.name, v.source_phrase_text, '?') || ' → '
                   || coalesce(t.name, v.target_phrase_text, '–') AS actors
        FROM events v
        LEFT JOIN entities s ON s.article_id = v.article_id AND s.entity_id = v.source
        LEFT JOIN entities t ON t.article_id = v.article_id AND t.entity_id = v.target
        WHERE {m("v.trigger_text")} OR {m("v.sentence_text")}
           OR {m("s.name")} OR {m("t.name")}
           OR {m("v.source_phrase_text")} OR {m("v.target_phrase_text")}
    ),
    hits AS (
        SELECT 'entity' AS kind, 0 AS grp, 0 AS krank, NOT mk.exact AS inexact,
               e.n_articles, e.n_mentions, lower(n.name) AS sortname, fm.article_id,
               n.name AS text, fm.start AS pos, fm."end" AS stop,
               e.kb_id AS d1, n.type AS d2, NULL::VARCHAR AS d3
        FROM ents e JOIN mk USING (key)
        JOIN names n ON n.key = e.key AND n.rn = 1
        LEFT JOIN firsts fm ON fm.key = e.key AND fm.rn = 1
        UNION ALL
        SELECT 'title', 1, 1, false, 0, 0, '', a.id, a.title, NULL, NULL, NULL, NULL, NULL
        FROM articles a WHERE {m("a.title")}
        UNION ALL
        SELECT 'quote', 1, 2, false, 0, 0, '', q.article_id, q.content_text, q.content_start,
               q.content_end, q.speaker_text, q.source_kind, NULL
        FROM quotes q WHERE {m("q.content_text")}
        UNION ALL
        SELECT 'claim', 1, 3, false, 0, 0, '', c.article_id, c.text, c.start, c."end", c.kind,
               NULL, NULL
        FROM claims c WHERE {m("c.text")}
        UNION ALL
        SELECT 'event', 1, 4, false, 0, 0, '', article_id, any_value(text), pos, stop,
               string_agg(DISTINCT type, ', ' ORDER BY type),
               string_agg(DISTINCT actors, '; ' ORDER BY actors), NULL
        FROM evs GROUP BY article_id, pos, stop
        UNION ALL
        SELECT 'flag', 1, 5, false, 0, 0, '', fl.article_id, fl.message,
               json_extract(fl.evidence, '$[0].start')::INTEGER,
               json_extract(fl.evidence, '$[0].end')::INTEGER,
               fl.code, fl.severity, json_extract_string(fl.evidence, '$[0].text')
        FROM flags fl
        WHERE {m("fl.code")} OR {m("replace(fl.code, '_', ' ')")}
           OR {m("fl.message")}
    )
    """


def search(
    store: Store,
    q: str,
    *,
    limit: int = 50,
    offset: int = 0,
    options: Options | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Search the store for ``q``, without regard to case or accents (``erdogan`` finds
    ``Erdoğan``); the words are taken literally (``%`` and ``_`` match themselves) and
    cut to :data:`MAX_QUERY` characters; a blank ``q`` finds nothing.

    Returns one page of hits and how many there are in all. First the entities
    (``kind: "entity"``) known by ``q``: by a name or alias in the knowledge base
    (``options.kb_dir``, else the packaged one; ``Tom Barrack`` finds him where an
    article writes ``Barrack``), by a stored name or the words of a mention; one hit per
    KB id (an entity without one: per name and type), those known by exactly ``q``
    first, then by how many articles name them. Then, newest article first, the article
    titles, quotes, claims, events (their trigger, sentence or actors' names; events in
    one sentence are one hit) and flags (code or message) holding ``q``.

    Each hit: ``kind``, ``article_id``, ``title``, ``headline`` (the title, else the
    first line), ``published``, ``text`` (the entity's name, the title, the quote, the
    claim, the event's sentence, the flag's message), ``start`` and ``end`` (the span in
    the article text: the quote, the claim, the event's sentence, the flag's first
    evidence, an entity without KB id's first mention; None for a title and an entity
    with a KB id). Entities add ``kb_id``, ``name``, ``type``, ``articles``,
    ``mentions`` (their ``article_id`` is that first mention's, else None); quotes
    ``speaker`` and ``source_kind``; claims ``claim_kind``; events ``type`` (the types,
    comma-separated) and ``actors`` (``source → target``, ``;``-separated); flags
    ``code``, ``severity`` and ``evidence`` (the words of the span).
    """
    limit, offset = _page(limit, offset)
    words = " ".join(q.split())[:MAX_QUERY].strip()
    folded = fold(words).strip()
    if not folded:
        return [], 0
    exact, related = _kb_ids(words, folded, options)
    params: list[Any] = [like_pattern(folded), related, exact, folded]
    ctes = _search_sql()
    rows = store.sql(
        f"""
        WITH {ctes}
        SELECT h.kind, h.article_id, a.title, a.published, h.text, h.pos, h.stop,
               h.d1, h.d2, h.d3, h.n_articles, h.n_mentions,
               left(split_part(ltrim(a.text, chr(10) || chr(13) || ' '), chr(10), 1), 300),
               count(*) OVER () AS total
        FROM hits h LEFT JOIN articles a ON a.id = h.article_id
        ORDER BY h.grp, h.inexact, h.n_articles DESC, h.n_mentions DESC, h.sortname,
                 a.published DESC NULLS LAST, a.ingested_at, h.article_id, h.krank,
                 h.pos NULLS FIRST, h.text
        LIMIT {int(limit)} OFFSET {int(offset)}
        """,
        params,
    )
    if rows:
        total = int(rows[0][13])
    elif limit and not offset:
        total = 0
    else:  # an empty page past the end (or of no rows): count the hits
        count = store.sql(f"WITH {ctes} SELECT count(*) FROM hits", params)
        total = int(count[0][0]) if count else 0
    return [_search_hit(r) for r in rows], total


def _search_hit(r: tuple[Any, ...]) -> dict[str, Any]:
    kind, aid, title, published, text, start, end, d1, d2, d3 = r[:10]
    hit: dict[str, Any] = {
        "kind": kind,
        "article_id": aid,
        "title": title,
        "headline": ((title or "").strip() or (r[12] or "").strip() or None) if aid else None,
        "published": _iso(published),
        "text": text or "",
        "start": start,
        "end": end,
    }
    if kind == "entity":
        hit.update(kb_id=d1, name=text, type=d2, articles=int(r[10]), mentions=int(r[11]))
    elif kind == "quote":
        hit.update(speaker=d1, source_kind=d2)
    elif kind == "claim":
        hit.update(claim_kind=d1)
    elif kind == "event":
        hit.update(type=d1, actors=d2)
    elif kind == "flag":
        hit.update(code=d1, severity=d2, evidence=d3)
    return hit


# -- the entity index ----------------------------------------------------------------------

#: How the entity index can be sorted.
ENTITY_SORTS: Final = ("articles", "mentions", "events", "name")
#: The fields of an entity index row, in the order of its CSV columns.
ENTITY_FIELDS: Final = ("kb_id", "name", "type", "articles", "mentions", "events", "quotes")
_ENTITY_ORDER: Final = {
    "articles": "g.articles DESC, g.mentions DESC, sortname",
    "mentions": "g.mentions DESC, g.articles DESC, sortname",
    "events": "g.events DESC, g.articles DESC, sortname",
    "name": "sortname, g.articles DESC",
}


def entity_types(store: Store) -> list[str]:
    """The entity types the store holds (``COUNTRY``, ``PERSON`` ...), sorted."""
    rows = store.sql("SELECT DISTINCT type FROM entities WHERE type IS NOT NULL ORDER BY type")
    return [str(r[0]) for r in rows]


def list_entities(
    store: Store,
    *,
    type: str | None = None,
    q: str | None = None,
    sort: str = "articles",
    limit: int = 50,
    offset: int = 0,
    options: Options | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """One page of the entities in the store and how many match in all: one row per KB
    id (an entity without one: per lower-cased name and type), with the name and type
    the articles give it most (a demonym's last: ``Russia`` before ``Russian``) and
    ``kb_id``, ``articles``, ``mentions``, ``events`` (as source or target) and
    ``quotes`` (as speaker): the fields of :data:`ENTITY_FIELDS`.

    ``type`` keeps one type (any case); ``q`` the entities with it in a stored name, or
    known by it to the knowledge base, without regard to case or accents; ``sort`` is
    one of :data:`ENTITY_SORTS` (ValueError otherwise): most articles, mentions or
    events first, or by name. One aggregate query.
    """
    limit, offset = _page(limit, offset)
    if sort not in _ENTITY_ORDER:
        raise ValueError(f"sort must be one of {', '.join(ENTITY_SORTS)}")
    params: list[Any] = []
    named = "false"
    where: list[str] = []
    words = " ".join((q or "").split())[:MAX_QUERY].strip()
    folded = fold(words).strip()
    if folded:
        params += [like_pattern(folded), _kb_ids(words, folded, options)[1]]
        named = f"bool_or({_matches_sql('p.name', '$1')})"
        where.append("(g.named OR list_contains($2::VARCHAR[], g.kb_id))")
    if type and type.strip():
        params.append(type.strip())
        where.append(f"upper(n.type) = upper(${len(params)})")
    cond = "WHERE " + " AND ".join(where) if where else ""
    rows = store.sql(
        f"""
        WITH ek AS (
            SELECT article_id, entity_id, name, type, kb_id, {_entity_key()} AS key
            FROM entities
        ),
        mn AS (SELECT article_id, entity_id, count(*) AS n FROM mentions GROUP BY ALL),
        qn AS (SELECT article_id, speaker_entity AS entity_id, count(*) AS n FROM quotes
               WHERE speaker_entity IS NOT NULL GROUP BY ALL),
        vn AS (SELECT article_id, entity_id, count(*) AS n FROM (
                   SELECT article_id, source AS entity_id FROM events WHERE source IS NOT NULL
                   UNION ALL
                   SELECT article_id, target FROM events
                   WHERE target IS NOT NULL AND target IS DISTINCT FROM source
               ) GROUP BY ALL),
        per AS (
            SELECT ek.*, coalesce(mn.n, 0) AS mentions, coalesce(qn.n, 0) AS quotes,
                   coalesce(vn.n, 0) AS events
            FROM ek
            LEFT JOIN mn USING (article_id, entity_id)
            LEFT JOIN qn USING (article_id, entity_id)
            LEFT JOIN vn USING (article_id, entity_id)
        ),
        names AS (
            SELECT key, name, type,
                   row_number() OVER (PARTITION BY key
                                      ORDER BY type = 'NORP', count(*) DESC,
                                               sum(mentions) DESC, name) AS rn
            FROM per GROUP BY key, name, type
        ),
        g AS (
            SELECT p.key, any_value(p.kb_id) AS kb_id, count(DISTINCT p.article_id) AS articles,
                   sum(p.mentions) AS mentions, sum(p.events) AS events,
                   sum(p.quotes) AS quotes, {named} AS named
            FROM per p GROUP BY p.key
        )
        SELECT g.kb_id, n.name, n.type, g.articles, g.mentions, g.events, g.quotes,
               {fold_sql("n.name")} AS sortname, count(*) OVER () AS total
        FROM g JOIN names n ON n.key = g.key AND n.rn = 1
        {cond}
        ORDER BY {_ENTITY_ORDER[sort]}, n.name, g.key
        LIMIT {int(limit)} OFFSET {int(offset)}
        """,
        params,
    )
    if rows:
        total = int(rows[0][8])
    elif limit and not offset:
        total = 0
    else:  # an empty page past the end (or of no rows): count with a page of one
        return [], list_entities(store, type=type, q=q, sort=sort, limit=1, options=options)[1]
    items = [
        {
            "kb_id": r[0],
            "name": r[1],
            "type": r[2],
            "articles": int(r[3]),
            "mentions": int(r[4]),
            "events": int(r[5]),
            "quotes": int(r[6]),
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
