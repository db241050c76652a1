"""The queries of the analyst's workspace: events, claims, flags and quotes across the
store, filtered, faceted and paged, and the aggregates of its views (the actor network,
the timeline, the map).

Every explorer has a filter (a frozen dataclass) parsed from query parameters by
:func:`parse_filter` the same way for the pages and the API, so a page's address and its
``/api`` twin take the same parameters. Filters become SQL conditions with ``?``
parameters only (nothing typed by a user is pasted into SQL). Names are compared
case- and accent-insensitively (``strip_accents(lower(...))`` on both sides), so
"Erdogan" finds "Erdoğan".

An event's day is its own date when it has a calendar one (``2024-05-03``; a month or
a year counts from its first day), else its article's publication day (the same rule
as the event exports' ``date_start``, :func:`newsgraph.store.events_export.resolve_date`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar, get_args

from ..errors import NewsgraphError
from ..report import ClaimKind, EventType, SourceKind
from ..store import CODED_EVENT_COLUMNS, Store
from ..store.events_export import state_codes
from .data import fold, fold_sql, like_pattern

__all__ = [
    "CLAIM_STATUSES",
    "CONFLICT",
    "COOPERATION",
    "EXPORT_LIMIT",
    "ClaimFilter",
    "EventFilter",
    "FlagFilter",
    "Page",
    "QuoteFilter",
    "claim_page",
    "event_page",
    "event_records",
    "flag_page",
    "map_points",
    "network",
    "parse_filter",
    "quote_page",
    "timeline",
    "tone",
]

#: The PLOVER types of material and verbal cooperation, and of conflict; REQUEST is
#: neither (a demand may be friendly or not). The network colours edges by them.
COOPERATION: Final = frozenset(
    {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}
)
CONFLICT: Final = frozenset(
    {"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
)
EVENT_TYPES: Final[tuple[str, ...]] = get_args(EventType)
SEVERITIES: Final[tuple[str, ...]] = ("error", "warning", "info")  # most severe first
CLAIM_STATUSES: Final = ("corroborated", "contradicted", "disputed", "alone")
SOURCE_KINDS: Final[tuple[str, ...]] = get_args(SourceKind)
CLAIM_KINDS: Final[tuple[str, ...]] = get_args(ClaimKind)
#: The most rows an export (CSV, JSON Lines) carries; more are cut (the response says so).
EXPORT_LIMIT: Final = 100_000
_MAX_PAGE: Final = 500


def _contains(text: str) -> str:
    """A ``LIKE ... ESCAPE '\\'`` pattern finding the folded ``text`` anywhere."""
    return like_pattern(fold(text).strip())


def tone(types: Mapping[str, int]) -> str:
    """``cooperation``, ``conflict`` or ``mixed``: what two thirds of the events (by
    type, with counts) are, REQUEST counting for neither."""
    coop = sum(n for t, n in types.items() if t in COOPERATION)
    conf = sum(n for t, n in types.items() if t in CONFLICT)
    if coop + conf == 0:
        return "mixed"
    if coop >= 2 * conf:
        return "cooperation"
    if conf >= 2 * coop:
        return "conflict"
    return "mixed"


# -- filters -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Common:
    """What every explorer filters by: the article's outlet, story and days, and words."""

    outlet: str | None = None
    story: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    q: str | None = None
    #: leave out articles the corpus layer found to copy another
    dedupe: bool = False
    #: newest (default) or oldest first; claims also by score
    sort: str = "newest"

    def query(self) -> dict[str, str]:
        """The filter as query parameters (what a link to the same view carries)."""
        out: dict[str, str] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None or value in ("", ()) or (f.name == "sort" and value == _SORTS[0]):
                continue
            if value is False and f.type == "bool":  # an off switch is no filter
                continue
            if isinstance(value, tuple):
                out[f.name] = ",".join(value)
            elif isinstance(value, bool):
                out[f.name] = "yes" if value else "no"
            else:
                out[f.name] = str(value)
        return out


@dataclass(frozen=True)
class EventFilter(_Common):
    """Events: PLOVER type(s), mode, actors (either side, source, target: a KB id, an
    actor code prefix such as ``TUR`` or ``TURGOV``, a name, or an actor key:
    ``=TURGOV``, ``~name``, see :func:`_actor`), a country (ISO3 of either actor or of
    the place), the place (a GeoNames id, a KB id or a name), hypothetical and negated
    (yes, no, or either)."""

    type: tuple[str, ...] = ()
    mode: str | None = None
    actor: str | None = None
    source: str | None = None
    target: str | None = None
    country: str | None = None
    place: str | None = None
    hypothetical: bool | None = None
    negated: bool | None = None
    located: bool = False


@dataclass(frozen=True)
class ClaimFilter(_Common):
    """Claims: kind(s), least check-worthiness, status in the corpus."""

    kind: tuple[str, ...] = ()
    min_score: float | None = None
    status: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlagFilter(_Common):
    """Flags: code(s) and severity(ies)."""

    code: tuple[str, ...] = ()
    severity: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuoteFilter(_Common):
    """Quotes: the speaker (KB id or name), source kind(s), quote kind."""

    speaker: str | None = None
    source_kind: tuple[str, ...] = ()
    kind: str | None = None


_SORTS: Final = ("newest", "oldest", "score")
F = TypeVar("F", bound=_Common)
_CHOICES: Final[dict[tuple[type, str], tuple[str, ...]]] = {
    (EventFilter, "type"): EVENT_TYPES,
    (ClaimFilter, "kind"): CLAIM_KINDS,
    (ClaimFilter, "status"): CLAIM_STATUSES,
    (FlagFilter, "severity"): SEVERITIES,
    (QuoteFilter, "source_kind"): SOURCE_KINDS,
}
_YES: Final = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def _bad(name: str, value: str, expected: str) -> NewsgraphError:
    return NewsgraphError("E025", reason=f"{name}: '{value[:60]}' is not {expected}")


def parse_filter(kind: type[F], params: Mapping[str, Sequence[str]]) -> F:
    """A filter of ``kind`` from query parameters (each name mapped to its values, as
    ``request.query_params`` gives them: a repeated name or a comma list gives several);
    unknown names are ignored, blank values mean no filter. E025 for a value that cannot
    be read (a date that is not ``YYYY-MM-DD``, an unknown type)."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(kind):
        given = [v.strip() for raw in params.get(f.name, ()) for v in str(raw).split(",")]
        given = [v for v in given if v]
        if not given:
            continue
        first = given[0]
        if f.name in ("since", "until"):
            try:
                values[f.name] = dt.date.fromisoformat(first)
            except ValueError:
                raise _bad(f.name, first, "a date (YYYY-MM-DD)") from None
        elif f.name == "sort":
            if first not in _SORTS:
                raise _bad(f.name, first, "one of " + ", ".join(_SORTS))
            values[f.name] = first
        elif f.name == "min_score":
            try:
                score = float(first)
            except ValueError:
                score = math.nan
            if not 0.0 <= score <= 1.0:
                raise _bad(f.name, first, "a number from 0 to 1")
            values[f.name] = score
        elif f.type in ("bool | None", "bool"):
            if first.lower() == "any" and f.type == "bool | None":
                continue
            if first.lower() not in _YES:
                raise _bad(f.name, first, "yes or no")
            values[f.name] = _YES[first.lower()]
        elif f.name == "country":
            if not re.fullmatch(r"[A-Za-z]{3}", first):
                raise _bad(f.name, first, "an ISO3 country code such as TUR")
            values[f.name] = first.upper()
        elif f.type == "tuple[str, ...]":
            choices = _CHOICES.get((kind, f.name))
            if choices is not None:
                upper = f.name == "type"
                given = [v.upper() if upper else v.lower() for v in given]
                for v in given:
                    if v not in choices:
                        raise _bad(f.name, v, "one of " + ", ".join(choices))
            values[f.name] = tuple(dict.fromkeys(v[:200] for v in given))
        else:
            values[f.name] = ",".join(given)[:500]
    return kind(**values)


# -- SQL pieces --------------------------------------------------------------------------

#: An event's day: its own calendar date, else its article's publication day.
EVENT_DAY: Final = """
    CASE WHEN v.date_source = 'published' OR v.date IS NULL THEN a.published
         ELSE coalesce(try_cast(substr(v.date, 1, 10) AS DATE),
                       try_cast(substr(v.date, 1, 7) || '-01' AS DATE),
                       CASE WHEN regexp_full_match(v.date, '\\d{4}') THEN
                            try_cast(v.date || '-01-01' AS DATE) END,
                       a.published) END"""
_EVENT_JOINS: Final[dict[str, str]] = {
    "c": "LEFT JOIN corpus_articles c ON c.article_id = v.article_id",
    "s": "LEFT JOIN entities s ON s.article_id = v.article_id AND s.entity_id = v.source",
    "t": "LEFT JOIN entities t ON t.article_id = v.article_id AND t.entity_id = v.target",
    "l": "LEFT JOIN entities l ON l.article_id = v.article_id AND l.entity_id = v.location",
}
#: Every join: what the views (network, map) read from.
_EVENT_FROM: Final = "FROM events v JOIN articles a ON a.id = v.article_id " + " ".join(
    _EVENT_JOINS.values()
)


def _event_from(*sqls: str) -> str:
    """The FROM clause of events with only the joins that ``sqls`` use (a join costs a
    scan of the entities table)."""
    used = " ".join(sqls)
    joins = [j for alias, j in _EVENT_JOINS.items() if re.search(rf"\b{alias}\.", used)]
    return " ".join(["FROM events v JOIN articles a ON a.id = v.article_id", *joins])


#: The key of an event's actor: its KB id, else ``=`` and its code, else ``~`` and its
#: folded name. The events filter takes a key as an actor and matches it exactly.
SOURCE_KEY: Final = (
    "coalesce(s.kb_id, '=' || v.source_code, "
    "'~' || strip_accents(lower(coalesce(s.name, v.source_phrase_text))))"
)
TARGET_KEY: Final = (
    "coalesce(t.kb_id, '=' || v.target_code, "
    "'~' || strip_accents(lower(coalesce(t.name, v.target_phrase_text))))"
)
_KB_ID: Final = re.compile(r"Q\d+|[a-z]+:[\w:.-]+")
_CODE: Final = re.compile(r"[A-Z]{3}[A-Z0-9]{0,6}")


class _Where:
    """SQL conditions and their parameters, built up."""

    def __init__(self) -> None:
        self.terms: list[str] = []
        self.params: list[Any] = []

    def add(self, term: str, *params: Any) -> None:
        self.terms.append(term)
        self.params.extend(params)

    def sql(self) -> str:
        return ("WHERE " + " AND ".join(self.terms)) if self.terms else ""


def _actor(where: _Where, value: str, sides: Sequence[tuple[str, str, str]]) -> None:
    """Events whose actor on any of ``sides`` ((entity alias, code column, phrase
    column)) is ``value``: a KB id, a code prefix (``TUR``, ``TURGOV``) or a name
    (contained, accents ignored); or, exactly, an actor key (:data:`SOURCE_KEY`:
    ``=TURGOV`` an actor of that code and no KB id, ``~name`` one of that name and
    neither)."""
    terms: list[str] = []
    params: list[Any] = []
    for alias, code, phrase in sides:
        name = fold_sql(f"coalesce({alias}.name, {phrase})")
        if value.startswith("="):
            terms.append(f"({alias}.kb_id IS NULL AND {code} = ?)")
            params.append(value[1:])
            continue
        if value.startswith("~"):
            terms.append(f"({alias}.kb_id IS NULL AND {code} IS NULL AND {name} = ?)")
            params.append(fold(value[1:]))
            continue
        terms.append(f"{alias}.kb_id = ?")
        params.append(value)
        if _CODE.fullmatch(value):
            terms.append(f"starts_with({code}, ?)")
            params.append(value)
        if not _KB_ID.fullmatch(value):
            terms.append(f"{name} LIKE ? ESCAPE '\\'")
            params.append(_contains(value))
    where.add("(" + " OR ".join(terms) + ")", *params)


def _common(where: _Where, f: _Common, day: str, text: str) -> None:
    if f.outlet:
        where.add("lower(a.outlet) = lower(?)", f.outlet)
    if f.story:
        where.add("(c.story = ? OR starts_with(c.story, ?))", f.story, f.story)
    if f.since:
        where.add(f"{day} >= ?", f.since)
    if f.until:
        where.add(f"{day} <= ?", f.until)
    if f.q:
        where.add(f"{fold_sql(text)} LIKE ? ESCAPE '\\'", _contains(f.q))
    if f.dedupe:
        where.add("c.duplicate_of IS NULL")


def _event_where(f: EventFilter) -> _Where:
    w = _Where()
    _common(w, f, EVENT_DAY, "v.sentence_text")
    if f.type:
        w.add("list_contains(?, v.type)", list(f.type))
    if f.mode:
        w.add("lower(v.mode) = lower(?)", f.mode)
    src = ("s", "v.source_code", "v.source_phrase_text")
    tgt = ("t", "v.target_code", "v.target_phrase_text")
    if f.actor:
        _actor(w, f.actor, (src, tgt))
    if f.source:
        _actor(w, f.source, (src,))
    if f.target:
        _actor(w, f.target, (tgt,))
    if f.country:
        w.add(
            "(starts_with(v.source_code, ?) OR starts_with(v.target_code, ?) OR l.geo_country = ?)",
            f.country,
            f.country,
            f.country,
        )
    if f.place:
        if f.place.isdigit():
            w.add("l.geonames_id = ?", int(f.place[:18]))
        else:
            w.add(
                f"(l.kb_id = ? OR {fold_sql('l.name')} LIKE ? ESCAPE '\\')",
                f.place,
                _contains(f.place),
            )
    if f.located:
        w.add("l.lat IS NOT NULL")
    if f.hypothetical is not None:
        w.add("v.hypothetical = ?", f.hypothetical)
    if f.negated is not None:
        w.add("v.negated = ?", f.negated)
    return w


# -- pages -------------------------------------------------------------------------------


@dataclass
class Page:
    """One page of an explorer: its rows, how many match in all, and facet counts
    (``{facet: [(value, count), ...]}``, largest first) under the same filter."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    facets: dict[str, list[tuple[str, int]]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "facets": {k: [{"value": v, "n": n} for v, n in vs] for k, vs in self.facets.items()},
        }


def _window(limit: int, offset: int) -> tuple[int, int]:
    return max(0, min(int(limit), _MAX_PAGE)), max(0, int(offset))


def _facet(
    store: Store, expr: str, from_sql: str, where: _Where, top: int = 25
) -> list[tuple[str, int]]:
    if from_sql is _EVENT_FROM:
        from_sql = _event_from(expr, where.sql())
    rows = store.sql(
        f"SELECT {expr} AS value, count(*) AS n {from_sql} {where.sql()} "
        f"GROUP BY value HAVING value IS NOT NULL ORDER BY n DESC, value LIMIT {int(top)}",
        where.params,
    )
    return [(str(v), int(n)) for v, n in rows]


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


#: What an explorer's event carries beyond its export record (with ``day``).
EVENT_EXTRA: Final = (
    "trigger_start",
    "trigger_end",
    "sentence_start",
    "sentence_end",
)


def _event_rows(
    store: Store, f: EventFilter, limit: int, offset: int, *, count: bool = True
) -> tuple[list[dict[str, Any]], int]:
    where = _event_where(f)
    cols = ", ".join(f'v."{c}"' for c in (*CODED_EVENT_COLUMNS, *EVENT_EXTRA))
    order = "ASC" if f.sort == "oldest" else "DESC"
    total_col = ", count(*) OVER () AS total" if count else ", 0"
    rows = store.sql(
        f"SELECT {cols}, {EVENT_DAY} AS day{total_col} {_event_from(where.sql())} {where.sql()} "
        f"ORDER BY day {order} NULLS LAST, a.id, v.trigger_start, v.event_id "
        f"LIMIT {int(limit)} OFFSET {int(offset)}",
        where.params,
    )
    names = (*CODED_EVENT_COLUMNS, *EVENT_EXTRA, "day", "total")
    found = [dict(zip(names, r, strict=True)) for r in rows]
    total = int(found[0]["total"]) if found else 0
    if count and not found and offset:
        found_n = store.sql(
            f"SELECT count(*) {_event_from(where.sql())} {where.sql()}", where.params
        )
        total = int(found_n[0][0])
    return found, total


def _event_items(
    store: Store, rows: list[dict[str, Any]], *, kb_attrs: bool = True
) -> list[dict[str, Any]]:
    records = store.coded_records(rows, kb_attrs=kb_attrs)
    for rec, row in zip(records, rows, strict=True):
        rec["day"] = _iso(row["day"])
        for col in EVENT_EXTRA:
            rec[col] = row[col]
    return records


def event_page(
    store: Store, f: EventFilter, *, limit: int = 50, offset: int = 0, kb_attrs: bool = True
) -> Page:
    """One page of events (export records, see :mod:`newsgraph.store.events_export`,
    with ``day``, the trigger's and the sentence's offsets), newest first unless
    ``f.sort`` is ``oldest``; facets by type, mode, outlet and actor country.
    ``kb_attrs=False``: see :meth:`Store.coded_records` (what the page, which shows no
    countries, asks for)."""
    limit, offset = _window(limit, offset)
    rows, total = _event_rows(store, f, limit, offset)
    where = _event_where(f)
    facets = {
        "type": _facet(store, "v.type", _EVENT_FROM, where),
        "mode": _facet(store, "v.mode", _EVENT_FROM, where),
        "outlet": _facet(store, "a.outlet", _EVENT_FROM, where),
        "country": _facet(
            store,
            # each event once per country, as the country filter keeps it
            "unnest(list_distinct(list_filter([substr(v.source_code, 1, 3), "
            "substr(v.target_code, 1, 3), l.geo_country], lambda c: c IS NOT NULL)))",
            _EVENT_FROM,
            where,
        ),
    }
    states = state_codes()
    facets["country"] = [(v, n) for v, n in facets["country"] if v in states]
    return Page(_event_items(store, rows, kb_attrs=kb_attrs), total, limit, offset, facets)


def event_records(
    store: Store, f: EventFilter, *, cap: int = EXPORT_LIMIT
) -> Iterator[dict[str, Any]]:
    """Every event the filter keeps (at most ``cap``), as export records, in page order."""
    done, step = 0, 1000
    while done < cap:
        rows, _ = _event_rows(store, f, min(step, cap - done), done, count=False)
        if not rows:
            return
        yield from _event_items(store, rows)
        done += len(rows)
        if len(rows) < step:
            return


# claims ---------------------------------------------------------------------------------

_CLAIM_FROM: Final = """
    FROM claims cl
    JOIN articles a ON a.id = cl.article_id
    LEFT JOIN corpus_articles c ON c.article_id = cl.article_id
    LEFT JOIN (
        SELECT article_id, item_id,
               count(*) FILTER (WHERE relation = 'corroborates') AS corr,
               count(*) FILTER (WHERE relation = 'contradicts') AS contra
        FROM corpus_links WHERE kind = 'claim' GROUP BY article_id, item_id
    ) k ON k.article_id = cl.article_id AND k.item_id = cl.claim_id"""
_CLAIM_STATUS: Final = """
    CASE WHEN coalesce(k.corr, 0) > 0 AND coalesce(k.contra, 0) > 0 THEN 'disputed'
         WHEN coalesce(k.corr, 0) > 0 THEN 'corroborated'
         WHEN coalesce(k.contra, 0) > 0 THEN 'contradicted'
         ELSE 'alone' END"""


def _claim_where(f: ClaimFilter) -> _Where:
    w = _Where()
    _common(w, f, "a.published", "cl.text")
    if f.kind:
        w.add("list_contains(?, cl.kind)", list(f.kind))
    if f.min_score is not None:
        w.add("cl.checkworthiness >= ?", f.min_score)
    if f.status:
        w.add(f"list_contains(?, {_CLAIM_STATUS})", list(f.status))
    return w


def claim_page(store: Store, f: ClaimFilter, *, limit: int = 50, offset: int = 0) -> Page:
    """One page of claims, most check-worthy first (``sort=score``, the default for
    claims is given by the caller) or newest/oldest, each with its status in the corpus
    and the articles corroborating or contradicting it; facets by kind, status, outlet."""
    from ..corpus.queries import links_of

    limit, offset = _window(limit, offset)
    where = _claim_where(f)
    order = {
        "score": "cl.checkworthiness DESC, a.published DESC NULLS LAST",
        "oldest": "a.published ASC NULLS LAST, cl.checkworthiness DESC",
    }.get(f.sort, "a.published DESC NULLS LAST, cl.checkworthiness DESC")
    rows = store.sql(
        f'SELECT cl.article_id, cl.claim_id, cl.start, cl."end", cl.text, '
        f"cl.checkworthiness, cl.kind, {_CLAIM_STATUS}, a.title, a.outlet, a.published, "
        f"a.url, c.story, count(*) OVER () {_CLAIM_FROM} {where.sql()} "
        f"ORDER BY {order}, cl.article_id, cl.start LIMIT {int(limit)} OFFSET {int(offset)}",
        where.params,
    )
    links = links_of(store, [(r[0], r[1]) for r in rows])
    items = []
    for r in rows:
        mine = links.get((r[0], r[1]), [])

        def others(relation: str, mine: list[Any] = mine) -> list[dict[str, Any]]:
            return [
                {
                    "article_id": x.article_id,
                    "outlet": x.outlet,
                    "start": x.start,
                    "end": x.end,
                    "text": x.text,
                }
                for x in mine
                if x.relation == relation
            ]

        items.append(
            {
                "article_id": r[0],
                "claim_id": r[1],
                "start": r[2],
                "end": r[3],
                "text": r[4],
                "checkworthiness": round(float(r[5]), 4),
                "kind": r[6],
                "status": r[7],
                "title": r[8],
                "outlet": r[9],
                "published": _iso(r[10]),
                "url": r[11],
                "story": r[12],
                "corroborated_by": others("corroborates"),
                "contradicted_by": others("contradicts"),
            }
        )
    total = int(rows[0][13]) if rows else _count(store, _CLAIM_FROM, where, offset)
    facets = {
        "kind": _facet(store, "cl.kind", _CLAIM_FROM, where),
        "status": _facet(store, _CLAIM_STATUS, _CLAIM_FROM, where),
        "outlet": _facet(store, "a.outlet", _CLAIM_FROM, where),
    }
    return Page(items, total, limit, offset, facets)


def _count(store: Store, from_sql: str, where: _Where, offset: int) -> int:
    if not offset:
        return 0
    return int(store.sql(f"SELECT count(*) {from_sql} {where.sql()}", where.params)[0][0])


# flags ----------------------------------------------------------------------------------

_FLAG_FROM: Final = """
    FROM flags f
    JOIN articles a ON a.id = f.article_id
    LEFT JOIN corpus_articles c ON c.article_id = f.article_id"""


def _flag_where(f: FlagFilter) -> _Where:
    w = _Where()
    _common(w, f, "a.published", "f.message")
    if f.code:
        w.add("list_contains(?, upper(f.code))", [c.upper() for c in f.code])
    if f.severity:
        w.add("list_contains(?, f.severity)", list(f.severity))
    return w


def flag_page(store: Store, f: FlagFilter, *, limit: int = 50, offset: int = 0) -> Page:
    """One page of flags across the store, the most severe first, then newest; each
    with its evidence spans. Facets by code, severity and outlet."""
    import json

    limit, offset = _window(limit, offset)
    where = _flag_where(f)
    when = "ASC" if f.sort == "oldest" else "DESC"
    rows = store.sql(
        "SELECT f.article_id, f.idx, f.code, f.severity, f.message, f.evidence, a.title, "
        f"a.outlet, a.published, c.story, count(*) OVER () {_FLAG_FROM} {where.sql()} "
        "ORDER BY list_position(['error', 'warning', 'info'], f.severity), "
        f"a.published {when} NULLS LAST, f.article_id, f.idx "
        f"LIMIT {int(limit)} OFFSET {int(offset)}",
        where.params,
    )
    items = []
    for r in rows:
        evidence = json.loads(r[5]) if r[5] else []
        items.append(
            {
                "article_id": r[0],
                "index": r[1],
                "code": r[2],
                "severity": r[3],
                "message": r[4],
                "evidence": evidence,
                "title": r[6],
                "outlet": r[7],
                "published": _iso(r[8]),
                "story": r[9],
            }
        )
    total = int(rows[0][10]) if rows else _count(store, _FLAG_FROM, where, offset)
    facets = {
        "code": _facet(store, "f.code", _FLAG_FROM, where),
        "severity": _facet(store, "f.severity", _FLAG_FROM, where),
        "outlet": _facet(store, "a.outlet", _FLAG_FROM, where),
    }
    return Page(items, total, limit, offset, facets)


# quotes ---------------------------------------------------------------------------------

_QUOTE_FROM: Final = """
    FROM quotes qt
    JOIN articles a ON a.id = qt.article_id
    LEFT JOIN corpus_articles c ON c.article_id = qt.article_id
    LEFT JOIN entities e ON e.article_id = qt.article_id AND e.entity_id = qt.speaker_entity"""
_SPEAKER: Final = "coalesce(e.name, qt.speaker_text)"


def _quote_where(f: QuoteFilter) -> _Where:
    w = _Where()
    _common(
        w, f, "coalesce(try_cast(substr(qt.date, 1, 10) AS DATE), a.published)", "qt.content_text"
    )
    if f.speaker:
        if _KB_ID.fullmatch(f.speaker):
            w.add("e.kb_id = ?", f.speaker)
        else:
            w.add(f"{fold_sql(_SPEAKER)} LIKE ? ESCAPE '\\'", _contains(f.speaker))
    if f.source_kind:
        w.add("list_contains(?, qt.source_kind)", list(f.source_kind))
    if f.kind:
        w.add("lower(qt.kind) = lower(?)", f.kind)
    return w


def quote_page(store: Store, f: QuoteFilter, *, limit: int = 50, offset: int = 0) -> Page:
    """One page of quotes, newest article first; facets by source kind, quote kind,
    speaker and outlet."""
    limit, offset = _window(limit, offset)
    where = _quote_where(f)
    when = "ASC" if f.sort == "oldest" else "DESC"
    rows = store.sql(
        "SELECT qt.article_id, qt.quote_id, qt.kind, qt.content_start, qt.content_end, "
        f"qt.content_text, {_SPEAKER}, e.kb_id, qt.source_kind, qt.cue_text, qt.date, "
        f"a.title, a.outlet, a.published, c.story, count(*) OVER () {_QUOTE_FROM} "
        f"{where.sql()} ORDER BY a.published {when} NULLS LAST, qt.article_id, "
        f"qt.content_start LIMIT {int(limit)} OFFSET {int(offset)}",
        where.params,
    )
    items = [
        {
            "article_id": r[0],
            "quote_id": r[1],
            "kind": r[2],
            "start": r[3],
            "end": r[4],
            "text": r[5],
            "speaker": " ".join((r[6] or "").split()) or None,
            "speaker_kb_id": r[7],
            "source_kind": r[8],
            "cue": r[9],
            "date": r[10],
            "title": r[11],
            "outlet": r[12],
            "published": _iso(r[13]),
            "story": r[14],
        }
        for r in rows
    ]
    total = int(rows[0][15]) if rows else _count(store, _QUOTE_FROM, where, offset)
    facets = {
        "source_kind": _facet(store, "qt.source_kind", _QUOTE_FROM, where),
        "kind": _facet(store, "qt.kind", _QUOTE_FROM, where),
        "speaker": _facet(store, _SPEAKER, _QUOTE_FROM, where, top=15),
        "outlet": _facet(store, "a.outlet", _QUOTE_FROM, where),
    }
    return Page(items, total, limit, offset, facets)


# -- views ------------------------------------------------------------------------------


def network(store: Store, f: EventFilter, *, top: int = 40) -> dict[str, Any]:
    """Who acts on whom among the events the filter keeps: the ``top`` actors by number
    of events (``nodes``: key, name, events, country) and the edges among them
    (``edges``: source, target, events, types ``{type: n}``, tone). An actor's key is
    its KB id, else its code, else ``~`` and its name; the events filter takes it as
    ``source``/``target``."""
    where = _event_where(f)
    where.add(f"{SOURCE_KEY} IS NOT NULL")
    where.add(f"{TARGET_KEY} IS NOT NULL")
    rows = store.sql(
        f"SELECT {SOURCE_KEY} AS sk, {TARGET_KEY} AS tk, v.type, count(*) AS n, "
        "mode(coalesce(s.name, v.source_phrase_text)), "
        "mode(coalesce(t.name, v.target_phrase_text)), "
        "mode(substr(v.source_code, 1, 3)), mode(substr(v.target_code, 1, 3)) "
        f"{_EVENT_FROM} {where.sql()} GROUP BY sk, tk, v.type",
        where.params,
    )
    weight: Counter[str] = Counter()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    country: dict[str, str] = {}
    pairs: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for sk, tk, etype, n, sname, tname, scc, tcc in rows:
        if sk == tk:
            continue
        weight[sk] += n
        weight[tk] += n
        names[sk][sname or sk] += n
        names[tk][tname or tk] += n
        if scc and re.fullmatch("[A-Z]{3}", scc):
            country.setdefault(sk, scc)
        if tcc and re.fullmatch("[A-Z]{3}", tcc):
            country.setdefault(tk, tcc)
        pairs[(sk, tk)][etype] += n
    keep = [k for k, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    kept = set(keep)
    nodes = [
        {
            "key": k,
            "name": " ".join(
                sorted(names[k].items(), key=lambda kv: (-kv[1], kv[0]))[0][0].split()
            ),
            "events": weight[k],
            "country": country.get(k),
        }
        for k in keep
    ]
    edges: list[dict[str, Any]] = [
        {
            "source": a,
            "target": b,
            "events": sum(types.values()),
            "types": dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
            "tone": tone(types),
        }
        for (a, b), types in sorted(pairs.items())
        if a in kept and b in kept
    ]
    edges.sort(key=lambda e: (-int(e["events"]), str(e["source"]), str(e["target"])))
    return {"nodes": nodes, "edges": edges, "actors": len(weight)}


#: Timeline units: the first day of a bucket holding ``day``, and the next bucket's.
UNITS: Final = ("day", "week", "month")


def _bucket_start(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next_bucket(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day + dt.timedelta(days=7)
    if unit == "month":
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day + dt.timedelta(days=1)


#: Most buckets a timeline draws; a longer span is cut to its latest part.
MAX_BUCKETS: Final = 400


def timeline(store: Store, f: EventFilter, *, unit: str | None = None) -> dict[str, Any]:
    """Events per day, week or month by type, and claims per bucket (by their
    article's publication day, under the filter's outlet, story and days).

    Without ``since``/``until`` the timeline spans the articles' publication days (a
    month either side): events the articles date long before (a 1949 treaty recalled)
    are counted in ``outside`` instead of stretching the axis; events with no day at all
    (no date of their own, an undated article) in ``undated``. ``unit`` by default:
    day up to 60 days, week up to two years, else month. Every bucket of the span is
    listed, empty ones too, so the axis is even. ``{"unit", "since", "until",
    "outside", "undated", "buckets": [{"start", "end", "events": {type: n}, "claims": n}]}``."""
    where = _event_where(f)
    lo, hi = f.since, f.until
    outside = 0
    found_undated = store.sql(
        f"SELECT count(*) FILTER (WHERE {EVENT_DAY} IS NULL) {_event_from(where.sql())} "
        f"{where.sql()}",
        where.params,
    )
    undated = int(found_undated[0][0]) if found_undated else 0
    if lo is None or hi is None:
        found = store.sql(
            f"SELECT min(a.published), max(a.published) {_event_from(where.sql())} {where.sql()}",
            where.params,
        )
        first, last = found[0] if found else (None, None)
        if first is None or last is None:
            found = store.sql(f"SELECT min({EVENT_DAY}), max({EVENT_DAY}) {_EVENT_FROM}")
            first, last = found[0] if found else (None, None)
        if first is not None and last is not None:
            lo = lo or first - dt.timedelta(days=31)
            hi = hi or last + dt.timedelta(days=31)
            n_out = store.sql(
                f"SELECT count(*) FILTER (WHERE NOT ({EVENT_DAY} BETWEEN ? AND ?)) "
                f"{_event_from(where.sql())} {where.sql()}",
                [lo, hi, *where.params],
            )
            outside = int(n_out[0][0]) if n_out else 0
    if lo is None or hi is None:
        return {
            "unit": unit or "day",
            "since": None,
            "until": None,
            "outside": 0,
            "undated": undated,
            "buckets": [],
        }
    if unit not in UNITS:
        days = (hi - lo).days
        unit = "day" if days <= 60 else "week" if days <= 730 else "month"
    first_b = _bucket_start(lo, unit)
    starts = [first_b]
    while _next_bucket(starts[-1], unit) <= hi:
        starts.append(_next_bucket(starts[-1], unit))
    starts = starts[-MAX_BUCKETS:]
    lo = max(lo, starts[0])
    trunc = f"date_trunc('{unit}', {{day}})::DATE"
    rows = store.sql(
        f"SELECT {trunc.format(day=EVENT_DAY)} AS b, v.type, count(*) "
        f"{_event_from(where.sql())} {where.sql()}"
        f"{' AND' if where.terms else ' WHERE'} {EVENT_DAY} BETWEEN ? AND ? "
        "GROUP BY b, v.type ORDER BY b",
        [*where.params, lo, hi],
    )
    cw = _Where()
    _common(cw, dataclasses.replace(ClaimFilter(), **_common_fields(f)), "a.published", "cl.text")
    cw.add("a.published BETWEEN ? AND ?", lo, hi)
    claim_rows = store.sql(
        f"SELECT {trunc.format(day='a.published')} AS b, count(*) {_CLAIM_FROM} {cw.sql()} "
        "GROUP BY b ORDER BY b",
        cw.params,
    )
    buckets: dict[dt.date, dict[str, Any]] = {
        day: {
            "start": day.isoformat(),
            "end": (_next_bucket(day, unit) - dt.timedelta(days=1)).isoformat(),
            "events": {},
            "claims": 0,
        }
        for day in starts
    }
    for b, etype, n in rows:
        if b in buckets:
            buckets[b]["events"][etype] = int(n)
    for b, n in claim_rows:
        if b in buckets:
            buckets[b]["claims"] = int(n)
    return {
        "unit": unit,
        "since": lo.isoformat(),
        "until": hi.isoformat(),
        "outside": outside,
        "undated": undated,
        "buckets": [buckets[k] for k in starts],
    }


def _common_fields(f: _Common) -> dict[str, Any]:
    return {x.name: getattr(f, x.name) for x in dataclasses.fields(_Common) if x.name != "q"}


def map_points(store: Store, f: EventFilter) -> dict[str, Any]:
    """Where things happen: ``events``, the places of located events under the filter
    (name, point, GeoNames id, feature, number of events), and ``places``, every place
    the filtered articles mention that has a point (with the number of articles)."""
    where = _event_where(f)
    where.add("l.lat IS NOT NULL")
    rows = store.sql(
        "SELECT coalesce(CAST(l.geonames_id AS VARCHAR), l.name) AS k, avg(l.lat), avg(l.lon), "
        "mode(l.name), any_value(l.geonames_id), mode(l.geo_feature), mode(l.geo_country), "
        f"count(*) AS n {_EVENT_FROM} {where.sql()} GROUP BY k ORDER BY n DESC, k",
        where.params,
    )
    events = [
        {
            "place": str(r[4]) if r[4] is not None else r[3],
            "name": r[3],
            "lat": round(float(r[1]), 4),
            "lon": round(float(r[2]), 4),
            "geonames_id": r[4],
            "feature": r[5],
            "country": r[6],
            "events": int(r[7]),
        }
        for r in rows
    ]
    pw = _Where()
    _common(pw, dataclasses.replace(ClaimFilter(), **_common_fields(f)), "a.published", "a.title")
    pw.add("p.lat IS NOT NULL")
    places = store.sql(
        "SELECT coalesce(CAST(p.geonames_id AS VARCHAR), p.name) AS k, avg(p.lat), avg(p.lon), "
        "mode(p.name), any_value(p.geonames_id), mode(p.geo_feature), "
        "count(DISTINCT p.article_id) AS n FROM entities p JOIN articles a ON a.id = p.article_id "
        f"LEFT JOIN corpus_articles c ON c.article_id = p.article_id {pw.sql()} "
        "GROUP BY k ORDER BY n DESC, k LIMIT 2000",
        pw.params,
    )
    return {
        "events": events,
        "places": [
            {
                "name": r[3],
                "lat": round(float(r[1]), 4),
                "lon": round(float(r[2]), 4),
                "geonames_id": r[4],
                "feature": r[5],
                "articles": int(r[6]),
            }
            for r in places
        ],
    }
