"""The analyst's workspace: explorers and views over the whole store, as pages and as
their ``/api`` twins.

Pages: ``/events``, ``/claims``, ``/flags``, ``/quotes`` (explorers with facets),
``/stories`` and ``/stories/{id}``, ``/network``, ``/timeline``, ``/map``. The JSON at
``/api/events``, ``/api/claims``, ``/api/flags``, ``/api/quotes`` takes the same query
parameters as the page (parsed once, by :func:`newsgraph.web.explore.parse_filter`);
``format=csv`` (and for events ``format=jsonl``, POLECAT-style records) exports every
row the filter keeps, not one page. Events are exported in the shapes of
``newsgraph export --events`` (:mod:`newsgraph.store.events_export`).

The views are inline SVG drawn here: no script library and no tile server. Every mark
is a link (an ``<a>`` in the SVG) to the events behind it, and every row of an
explorer links to its evidence span in its article (``/articles/{id}?at=START-END``).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..errors import NewsgraphError
from ..report import json_text
from ..store.events_export import CSV_FIELDS, flat
from . import explore
from .explore import ClaimFilter, EventFilter, FlagFilter, QuoteFilter
from .pages import (
    PAGE_SIZE,
    _db,
    _render,
    _status,
    entity_href,
    error_response,
    pager,
    source_label,
    span_href,
)

__all__ = ["api_router", "csv_download", "router", "stories_csv"]

router = APIRouter()
api_router = APIRouter()

_TYPES: Final = explore.EVENT_TYPES
_API_LIMIT: Final = 50


# -- parameters ---------------------------------------------------------------------------


def _params(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, []).append(value)
    return out


def _int(params: Mapping[str, list[str]], name: str, default: int, top: int) -> int:
    raw = (params.get(name) or [""])[0].strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > top:
        raise NewsgraphError("E025", reason=f"{name}: '{raw[:20]}' is not a number from 0 to {top}")
    return int(raw)


def _href(path: str, query: Mapping[str, str], **more: str | None) -> str:
    merged = {**query}
    for k, v in more.items():
        if v is None:
            merged.pop(k, None)
        else:
            merged[k] = v
    merged.pop("page", None)
    return path + ("?" + urlencode(merged) if merged else "")


# -- filter forms ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    name: str
    label: str
    kind: str = "text"  # text | date | select
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""


_YESNO: Final = (("", "either"), ("yes", "yes"), ("no", "no"))
_COMMON: Final = (
    _Field("q", "Words"),
    _Field("outlet", "Outlet"),
    _Field("story", "Story id"),
    _Field("since", "From", "date"),
    _Field("until", "To", "date"),
)
_EVENT_FIELDS: Final = (
    _Field("type", "Type", "select", (("", "any"), *((t, t) for t in _TYPES))),
    _Field("actor", "Actor", hint="name, KB id or code"),
    _Field("source", "Source", hint="who acts"),
    _Field("target", "Target", hint="acted upon"),
    _Field("country", "Country", hint="ISO3, e.g. TUR"),
    _Field("place", "Place"),
    _Field("mode", "Mode"),
    _Field("hypothetical", "Hypothetical", "select", _YESNO),
    _Field("negated", "Negated", "select", _YESNO),
    *_COMMON,
    _Field("dedupe", "Copies", "select", (("", "keep"), ("yes", "leave out"))),
)
_VIEW_FIELDS: Final = tuple(f for f in _EVENT_FIELDS if f.name not in ("mode", "dedupe"))
_CLAIM_FIELDS: Final = (
    _Field(
        "sort",
        "Order",
        "select",
        (("score", "most check-worthy"), ("newest", "newest"), ("oldest", "oldest")),
    ),
    _Field("kind", "Kind", "select", (("", "any"), *((k, k) for k in explore.CLAIM_KINDS))),
    _Field("min_score", "Least score", hint="0 to 1"),
    _Field("status", "Status", "select", (("", "any"), *((s, s) for s in explore.CLAIM_STATUSES))),
    *_COMMON,
)
_FLAG_FIELDS: Final = (
    _Field("code", "Code"),
    _Field("severity", "Severity", "select", (("", "any"), *((s, s) for s in explore.SEVERITIES))),
    *_COMMON,
)
_QUOTE_FIELDS: Final = (
    _Field("speaker", "Speaker", hint="name or KB id"),
    _Field(
        "source_kind",
        "Source kind",
        "select",
        (("", "any"), *((k, source_label(k)) for k in explore.SOURCE_KINDS)),
    ),
    _Field("kind", "Kind", "select", (("", "any"), ("direct", "direct"), ("indirect", "indirect"))),
    *_COMMON,
)


def _form(fields: Iterable[_Field], params: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    out = []
    for f in fields:
        value = ",".join(params.get(f.name, []))
        out.append(
            {
                "name": f.name,
                "label": f.label,
                "kind": f.kind,
                "value": value,
                "hint": f.hint,
                "options": [(v, lab, v == value) for v, lab in f.options],
            }
        )
    return out


def _facets(
    path: str, query: Mapping[str, str], facets: Mapping[str, list[tuple[str, int]]]
) -> list[dict[str, Any]]:
    """Facet counts as links that set (or, when set, clear) the facet's parameter."""
    out = []
    for name, values in facets.items():
        current = query.get(name)
        items = []
        for value, n in values:
            chosen = current is not None and value.lower() in current.lower().split(",")
            label = source_label(value) if name == "source_kind" else value
            items.append(
                {
                    "value": label,
                    "n": n,
                    "chosen": chosen,
                    "href": _href(path, query, **{name: None if chosen else value}),
                }
            )
        if items:
            out.append(
                {"name": name, "label": name.replace("_", " ").capitalize(), "values": items}
            )
    return out


# -- rows of the explorers -----------------------------------------------------------------


def _cell(text: Any, href: str | None = None, css: str = "", title: str = "") -> dict[str, Any]:
    return {"text": "" if text is None else str(text), "href": href, "css": css, "title": title}


def _actor_cell(side: Mapping[str, Any] | None, query_key: str) -> dict[str, Any]:
    if not side:
        return _cell("—", css="ng-muted")
    name = " ".join(str(side.get("name") or side.get("code") or "?").split())
    code = side.get("code")
    key = side.get("kb_id") or (f"={code}" if code else f"~{name}")
    label = f"{name} ({code})" if code and code != name else name
    return _cell(label, _href("/events", {}, **{query_key: str(key)}))


def _event_rows(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    rows = []
    for it in items:
        where = it.get("location") or {}
        marks = [m for m in ("negated", "hypothetical") if it.get(m)]
        what = it["event_type"] + (f" · {it['mode']}" if it.get("mode") else "")
        rows.append(
            [
                _cell(it.get("day"), title=f"date: {it.get('date')} ({it.get('date_precision')})"),
                _cell(
                    what,
                    _href("/events", {}, type=it["event_type"]),
                    "ng-ty ng-ty-" + it["event_type"],
                ),
                _actor_cell(it.get("source"), "source"),
                _actor_cell(it.get("target"), "target"),
                _cell(
                    where.get("name") or "",
                    _href("/events", {}, place=str(where.get("geonames_id") or where.get("name")))
                    if where
                    else None,
                ),
                _cell(
                    it.get("sentence"),
                    span_href(it["article_id"], it.get("sentence_start"), it.get("sentence_end")),
                    "ng-evidence" + (" ng-marked" if marks else ""),
                    title=f"trigger: {it.get('trigger')}"
                    + (f" ({', '.join(marks)})" if marks else ""),
                ),
                _cell(it.get("outlet") or ""),
            ]
        )
    return rows


def _claim_rows(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    rows = []
    for it in items:
        backers = ", ".join(sorted({str(x["outlet"] or "?") for x in it["corroborated_by"]}))
        against = ", ".join(sorted({str(x["outlet"] or "?") for x in it["contradicted_by"]}))
        status = (
            it["status"]
            + (f": {backers}" if backers else "")
            + (f" · against: {against}" if against else "")
        )
        rows.append(
            [
                _cell(f"{it['checkworthiness']:.2f}", css="ng-num"),
                _cell(it["kind"]),
                _cell(
                    it["text"], span_href(it["article_id"], it["start"], it["end"]), "ng-evidence"
                ),
                _cell(status, css="ng-status ng-status-" + it["status"]),
                _cell(it.get("outlet") or ""),
                _cell(it.get("published") or ""),
            ]
        )
    return rows


def _flag_rows(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    rows = []
    for it in items:
        ev = it["evidence"][0] if it["evidence"] else {}
        rows.append(
            [
                _cell(it["severity"], css="ng-sev ng-sev-" + it["severity"]),
                _cell(it["code"], _href("/flags", {}, code=it["code"]), "ng-code"),
                _cell(
                    it["message"],
                    span_href(it["article_id"], ev.get("start"), ev.get("end")),
                    "ng-evidence",
                    title=str(ev.get("text") or ""),
                ),
                _cell(it.get("title") or "", span_href(it["article_id"], None, None)),
                _cell(it.get("outlet") or ""),
                _cell(it.get("published") or ""),
            ]
        )
    return rows


def _quote_rows(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    rows = []
    for it in items:
        who = it.get("speaker") or "—"
        href = entity_href(it["speaker_kb_id"]) if it.get("speaker_kb_id") else None
        rows.append(
            [
                _cell(who, href),
                _cell(source_label(it["source_kind"]), css="ng-src ng-src-" + it["source_kind"]),
                _cell(it.get("cue") or ""),
                _cell(
                    it["text"], span_href(it["article_id"], it["start"], it["end"]), "ng-evidence"
                ),
                _cell(it.get("outlet") or ""),
                _cell(it.get("published") or ""),
            ]
        )
    return rows


@dataclass(frozen=True)
class _Explorer:
    path: str
    title: str
    intro: str
    kind: type
    fetch: Callable[..., explore.Page]
    fields: tuple[_Field, ...]
    columns: tuple[str, ...]
    rows: Callable[[list[dict[str, Any]]], list[list[dict[str, Any]]]]
    default_sort: str = "newest"


EXPLORERS: Final[dict[str, _Explorer]] = {
    "events": _Explorer(
        "/events",
        "Events",
        "Who did what to whom, when and where: PLOVER-coded events of every stored article.",
        EventFilter,
        explore.event_page,
        _EVENT_FIELDS,
        ("Day", "Type", "Source", "Target", "Place", "Evidence", "Outlet"),
        _event_rows,
    ),
    "claims": _Explorer(
        "/claims",
        "Claims",
        "Check-worthy claims, most check-worthy first, with the articles that corroborate "
        "or contradict them.",
        ClaimFilter,
        explore.claim_page,
        _CLAIM_FIELDS,
        ("Score", "Kind", "Claim", "In the corpus", "Outlet", "Published"),
        _claim_rows,
        "score",
    ),
    "flags": _Explorer(
        "/flags",
        "Flags",
        "What the checks raised across the store, the most severe first.",
        FlagFilter,
        explore.flag_page,
        _FLAG_FIELDS,
        ("Severity", "Code", "Message", "Article", "Outlet", "Published"),
        _flag_rows,
    ),
    "quotes": _Explorer(
        "/quotes",
        "Quotes",
        "Who said what, and how they are identified.",
        QuoteFilter,
        explore.quote_page,
        _QUOTE_FIELDS,
        ("Speaker", "Source kind", "Cue", "Quote", "Outlet", "Published"),
        _quote_rows,
    ),
}


def _parse(ex: _Explorer, params: dict[str, list[str]]) -> Any:
    if "sort" not in params:
        params = {**params, "sort": [ex.default_sort]}
    return explore.parse_filter(ex.kind, params)


def _explorer_page(request: Request, key: str) -> HTMLResponse:
    from . import data

    ex = EXPLORERS[key]
    params = _params(request)
    try:
        page = _int(params, "page", 1, 10**6) or 1
        f = _parse(ex, params)
        with data.reading(_db(request)) as store:
            extra = {"kb_attrs": False} if key == "events" else {}
            found = ex.fetch(store, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **extra)
    except NewsgraphError as exc:
        return error_response(request, _status(exc.code), exc.message, exc.code)
    query = f.query()
    if ex.default_sort != "newest":
        query.setdefault("sort", f.sort)
        if query["sort"] == ex.default_sort:
            query.pop("sort")
    api = "/api" + ex.path + ("?" + urlencode(query) if query else "")
    sep = "&" if query else "?"
    lines = "JSON Lines (POLECAT-style)" if key == "events" else "JSON Lines"
    exports = [
        ("CSV", api + sep + "format=csv"),
        (lines, api + sep + "format=jsonl"),
        ("JSON", api + sep + "limit=500"),
    ]
    views = []
    if key == "events":
        views = [
            (label, path + ("?" + urlencode(query) if query else ""))
            for label, path in (("Network", "/network"), ("Timeline", "/timeline"), ("Map", "/map"))
        ]
    return _render(
        request,
        "explore.html",
        page_title=ex.title,
        x={
            "key": key,
            "path": ex.path,
            "title": ex.title,
            "intro": ex.intro,
            "form": _form(ex.fields, params),
            "facets": _facets(ex.path, query, found.facets),
            "columns": ex.columns,
            "rows": ex.rows(found.items),
            "total": found.total,
            "exports": exports,
            "views": views,
            "filtered": bool(f.query()) and query != {},
            "clear": ex.path,
        },
        pager=pager(ex.path, query, page, found.total),
    )


@router.get("/events", response_class=HTMLResponse, include_in_schema=False)
def events_page(request: Request) -> HTMLResponse:
    return _explorer_page(request, "events")


@router.get("/claims", response_class=HTMLResponse, include_in_schema=False)
def claims_page(request: Request) -> HTMLResponse:
    return _explorer_page(request, "claims")


@router.get("/flags", response_class=HTMLResponse, include_in_schema=False)
def flags_page(request: Request) -> HTMLResponse:
    return _explorer_page(request, "flags")


@router.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
def quotes_page(request: Request) -> HTMLResponse:
    return _explorer_page(request, "quotes")


# -- the API twins ---------------------------------------------------------------------------


def csv_download(
    header: Iterable[str], rows: Iterable[Iterable[Any]], name: str, total: int | None = None
) -> Response:
    """Rows as a CSV download (formula-safe cells, ``X-Total-Count`` when given)."""
    return _download(_csv(header, rows), "text/csv; charset=utf-8", name, total)


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(header))
    for row in rows:
        writer.writerow(["" if v is None else _csv_value(v) for v in row])
    return out.getvalue()


def _csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = " | ".join(str(v) for v in value)
    text = str(value)
    if text[:1] in _FORMULA and not _is_number(text):
        return "'" + text  # a spreadsheet must not run a cell of article text as a formula
    return text


#: What starts a formula in a spreadsheet cell.
_FORMULA: Final = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_FLAT: Final[dict[str, tuple[str, ...]]] = {
    "claims": (
        "article_id",
        "claim_id",
        "start",
        "end",
        "text",
        "checkworthiness",
        "kind",
        "status",
        "corroborated_by",
        "contradicted_by",
        "title",
        "outlet",
        "published",
        "url",
        "story",
    ),
    "flags": (
        "article_id",
        "index",
        "code",
        "severity",
        "message",
        "evidence",
        "title",
        "outlet",
        "published",
        "story",
    ),
    "quotes": (
        "article_id",
        "quote_id",
        "kind",
        "start",
        "end",
        "text",
        "speaker",
        "speaker_kb_id",
        "source_kind",
        "cue",
        "date",
        "title",
        "outlet",
        "published",
        "story",
    ),
}


def _flat_value(name: str, value: Any) -> Any:
    if name in ("corroborated_by", "contradicted_by"):
        return [f"{x['outlet'] or '?'} {x['article_id'][:12]}" for x in value]
    if name == "evidence":
        return [str(x.get("text", "")) for x in value]
    return value


def _download(body: str, media: str, name: str, total: int | None = None) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
    }
    if total is not None:
        headers["X-Total-Count"] = str(total)
    return Response(body, media_type=media, headers=headers)


def _all_items(ex: _Explorer, store: Any, f: Any) -> tuple[list[dict[str, Any]], int]:
    """Every row the filter keeps (at most :data:`explore.EXPORT_LIMIT`), page by page."""
    items: list[dict[str, Any]] = []
    total = 0
    while len(items) < explore.EXPORT_LIMIT:
        page = ex.fetch(store, f, limit=500, offset=len(items))
        if not items:
            total = page.total
        items.extend(page.items)
        if len(page.items) < 500:
            break
    return items, total


def _api(request: Request, key: str) -> Response:
    from . import data

    ex = EXPLORERS[key]
    params = _params(request)
    fmt = (params.get("format") or ["json"])[0].strip().lower()
    if fmt not in ("json", "csv", "jsonl"):
        raise NewsgraphError("E025", reason=f"format: '{fmt[:20]}' is not json, csv or jsonl")
    limit = _int(params, "limit", _API_LIMIT, explore.EXPORT_LIMIT)
    offset = _int(params, "offset", 0, 2**31 - 1)
    f = _parse(ex, params)
    with data.reading(_db(request)) as store:
        if fmt == "json":
            return Response(
                json_text(ex.fetch(store, f, limit=min(limit, 500), offset=offset).to_dict()),
                media_type="application/json",
            )
        if key == "events":
            records = list(explore.event_records(store, f))
        else:
            records, total = _all_items(ex, store, f)
    if key == "events":
        if fmt == "jsonl":
            body = "".join(json_text(_public(r)) + "\n" for r in records)
            return _download(body, "application/x-ndjson", "events.jsonl", len(records))
        body = _csv(CSV_FIELDS, ([flat(r)[c] for c in CSV_FIELDS] for r in records))
        return _download(body, "text/csv; charset=utf-8", "events.csv", len(records))
    if fmt == "jsonl":
        body = "".join(json_text(r) + "\n" for r in records)
        return _download(body, "application/x-ndjson", f"{key}.jsonl", total)
    cols = _FLAT[key]
    body = _csv(cols, ([_flat_value(c, r[c]) for c in cols] for r in records))
    return _download(body, "text/csv; charset=utf-8", f"{key}.csv", total)


#: The columns of ``/api/stories?format=csv``.
STORY_FIELDS: Final = (
    "id",
    "title",
    "first_day",
    "last_day",
    "articles",
    "copies",
    "outlets",
    "corroborations",
    "contradictions",
)


def stories_csv(items: list[dict[str, Any]], total: int) -> Response:
    """Stories as a CSV download (:data:`STORY_FIELDS`)."""
    return csv_download(
        STORY_FIELDS, ([it[c] for c in STORY_FIELDS] for it in items), "stories.csv", total
    )


def _public(rec: Mapping[str, Any]) -> dict[str, Any]:
    """An event export record without the explorer's extras (offsets, ``day``)."""
    return {k: v for k, v in rec.items() if k not in ("day", *explore.EVENT_EXTRA)}


def _doc_params(kind: type, extra: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    import dataclasses

    described = {
        "type": "PLOVER type(s): a comma list or the name repeated",
        "actor": "an actor on either side: KB id (Q43), code prefix (TUR, TURGOV), name, or "
        "an actor key as the network gives it (=TURGOV, ~name: exactly that actor)",
        "source": "the acting actor (as actor)",
        "target": "the actor acted upon (as actor)",
        "country": "ISO3 of either actor or of the place",
        "place": "the event's place: GeoNames id, KB id or name",
        "since": "first day (YYYY-MM-DD)",
        "until": "last day (YYYY-MM-DD)",
        "q": "words in the text (case and accents ignored)",
        "dedupe": "yes: leave out articles that copy another",
        "sort": "newest, oldest or (claims) score",
        "hypothetical": "yes, no or any",
        "negated": "yes, no or any",
        "located": "yes: only events with a place that has a point",
        "min_score": "least check-worthiness, 0 to 1",
        "status": "corroborated, contradicted, disputed or alone",
    }
    names = [
        (f.name, described.get(f.name, f.name.replace("_", " "))) for f in dataclasses.fields(kind)
    ]
    names += [
        ("limit", "rows per page (JSON; at most 500)"),
        ("offset", "rows to skip (JSON)"),
        *extra,
    ]
    return {
        "parameters": [
            {
                "name": n,
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": d,
            }
            for n, d in names
        ]
    }


_FORMAT_DOC: Final = (
    "format",
    "json (one page, with facets), csv or jsonl (every row the filter keeps)",
)
_ERRORS: Final[dict[int | str, dict[str, Any]]] = {
    422: {"description": "A parameter cannot be read (E025)"},
}


@api_router.get(
    "/api/events",
    tags=["workspace"],
    responses=_ERRORS,
    openapi_extra=_doc_params(
        EventFilter, [("format", "json (one page), csv or jsonl (every event the filter keeps)")]
    ),
)
def api_events(request: Request) -> Response:
    """Events across the store, filtered (the /events page's parameters)."""
    return _api(request, "events")


@api_router.get(
    "/api/claims",
    tags=["workspace"],
    responses=_ERRORS,
    openapi_extra=_doc_params(ClaimFilter, [_FORMAT_DOC]),
)
def api_claims(request: Request) -> Response:
    """Claims across the store with their corroboration, filtered (as /claims)."""
    return _api(request, "claims")


@api_router.get(
    "/api/flags",
    tags=["workspace"],
    responses=_ERRORS,
    openapi_extra=_doc_params(FlagFilter, [_FORMAT_DOC]),
)
def api_flags(request: Request) -> Response:
    """Flags across the store, filtered (the /flags page's parameters)."""
    return _api(request, "flags")


@api_router.get(
    "/api/quotes",
    tags=["workspace"],
    responses=_ERRORS,
    openapi_extra=_doc_params(QuoteFilter, [_FORMAT_DOC]),
)
def api_quotes(request: Request) -> Response:
    """Quotes across the store, filtered (the /quotes page's parameters)."""
    return _api(request, "quotes")


def _view_data(request: Request, key: str) -> tuple[EventFilter, dict[str, Any]]:
    """The events filter of the request and the data of one view (``network``,
    ``timeline``, ``map``): what the page draws and its API twin answers."""
    from . import data

    params = _params(request)
    f = explore.parse_filter(EventFilter, params)
    top = _int(params, "top", 40, 200)
    unit = (params.get("unit") or [""])[0] or None
    with data.reading(_db(request)) as store:
        if key == "network":
            return f, explore.network(store, f, top=top)
        if key == "timeline":
            return f, explore.timeline(store, f, unit=unit)
        return f, explore.map_points(store, f)


def _view_json(request: Request, key: str) -> Response:
    return Response(json_text(_view_data(request, key)[1]), media_type="application/json")


@api_router.get(
    "/api/network",
    tags=["workspace"],
    responses=_ERRORS,
    openapi_extra=_doc_params(EventFilter, [("top", "most actors shown (default 40)")]),
)
def api_network(request: Request) -> Response:
    """The actor network of the filtered events: nodes and weighted, toned edges."""
    return _view_json(request, "network")


@api_router.get(
    "/api/timeline",
    tags=["workspace"],
    responses=_ERRORS,
    openapi_extra=_doc_params(EventFilter, [("unit", "day, week or month (default: by the span)")]),
)
def api_timeline(request: Request) -> Response:
    """Events by type and claims per day, week or month, under the events filter."""
    return _view_json(request, "timeline")


@api_router.get(
    "/api/map", tags=["workspace"], responses=_ERRORS, openapi_extra=_doc_params(EventFilter)
)
def api_map(request: Request) -> Response:
    """Located events by place, and the places the filtered articles mention."""
    return _view_json(request, "map")


# -- views -----------------------------------------------------------------------------------


def _view_page(request: Request, key: str) -> tuple[EventFilter, dict[str, Any]] | HTMLResponse:
    try:
        return _view_data(request, key)
    except NewsgraphError as exc:
        return error_response(request, _status(exc.code), exc.message, exc.code)


def _view_context(f: EventFilter, params: Mapping[str, list[str]], path: str) -> dict[str, Any]:
    query = f.query()
    return {
        "path": path,
        "form": _form(_VIEW_FIELDS, params),
        "events_href": "/events" + ("?" + urlencode(query) if query else ""),
        "views": [
            (label, p + ("?" + urlencode(query) if query else ""), p == path)
            for label, p in (("Network", "/network"), ("Timeline", "/timeline"), ("Map", "/map"))
        ],
    }


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@router.get("/network", response_class=HTMLResponse, include_in_schema=False)
def network_page(request: Request) -> HTMLResponse:
    got = _view_page(request, "network")
    if isinstance(got, HTMLResponse):
        return got
    f, found = got
    query = f.query()
    nodes = found["nodes"]
    size, radius = 760.0, 250.0
    cx = cy = size / 2
    ordered = sorted(nodes, key=lambda n: (n["country"] or "~", n["name"].lower()))
    place: dict[str, tuple[float, float, float]] = {}
    for i, n in enumerate(ordered):
        angle = 2 * math.pi * i / max(1, len(ordered)) - math.pi / 2
        place[n["key"]] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)
    top_node = max((n["events"] for n in nodes), default=1)
    top_edge = max((e["events"] for e in found["edges"]), default=1)
    names = {n["key"]: n["name"] for n in nodes}
    edges = []
    radii = {n["key"]: 4 + 10 * math.sqrt(n["events"] / top_node) for n in nodes}
    for e in found["edges"]:
        x1, y1, _ = place[e["source"]]
        x2, y2, _ = place[e["target"]]
        # a gentle curve, bent to the right of the direction, so A->B and B->A differ
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        dx, dy = x2 - x1, y2 - y1
        qx, qy = mx - dy * 0.12, my + dx * 0.12
        # the arrow stops at the target's rim
        ex, ey = x2 - qx, y2 - qy
        length = math.hypot(ex, ey) or 1.0
        cut = radii[e["target"]] + 2
        x2, y2 = x2 - ex / length * cut, y2 - ey / length * cut
        types = ", ".join(f"{t} {n}" for t, n in e["types"].items())
        edges.append(
            {
                "d": f"M{_num(x1)},{_num(y1)} Q{_num(qx)},{_num(qy)} {_num(x2)},{_num(y2)}",
                "width": _num(1 + 7 * e["events"] / top_edge),
                "tone": e["tone"],
                "href": _href("/events", query, source=e["source"], target=e["target"]),
                "title": f"{names[e['source']]} → {names[e['target']]}: "
                f"{e['events']} events ({types})",
                "source": names[e["source"]],
                "target": names[e["target"]],
                "events": e["events"],
                "types": types,
            }
        )
    drawn = []
    for n in ordered:
        x, y, angle = place[n["key"]]
        lx, ly = cx + (radius + 14) * math.cos(angle), cy + (radius + 14) * math.sin(angle)
        drawn.append(
            {
                "x": _num(x),
                "y": _num(y),
                "r": _num(radii[n["key"]]),
                "lx": _num(lx),
                "ly": _num(ly),
                "anchor": "start" if math.cos(angle) >= 0 else "end",
                # labels run outward along the radius, so neighbours never overlap
                "rotate": _num(math.degrees(angle) + (0 if math.cos(angle) >= 0 else 180)),
                "name": n["name"],
                "label": n["name"] if len(n["name"]) <= 26 else n["name"][:25] + "…",
                "country": n["country"] or "",
                "events": n["events"],
                "href": _href("/events", query, actor=n["key"]),
                "entity": entity_href(n["key"]) if n["key"].startswith("Q") else None,
            }
        )
    return _render(
        request,
        "network.html",
        page_title="Actor network",
        v={
            **_view_context(f, _params(request), "/network"),
            "viewbox": f"{_num(cx - radius - 190)} {_num(cy - radius - 190)} "
            f"{_num(2 * radius + 380)} {_num(2 * radius + 380)}",
            "nodes": drawn,
            "edges": edges,
            "actors": found["actors"],
        },
    )


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(request: Request) -> HTMLResponse:
    got = _view_page(request, "timeline")
    if isinstance(got, HTMLResponse):
        return got
    f, found = got
    query = f.query()
    buckets = found["buckets"]
    # bars from y=24 down to the axis; the dates under it; a band of claim dots below
    width, pad, axis = 960.0, 30.0, 250.0
    height, band = 320.0, 300.0
    n = max(1, len(buckets))
    step = (width - 2 * pad) / n
    top = max((sum(b["events"].values()) for b in buckets), default=0)
    top_claims = max((b["claims"] for b in buckets), default=0)
    scale = (axis - 24) / max(1, top)
    present = [t for t in _TYPES if any(t in b["events"] for b in buckets)]
    bars, dots = [], []
    for i, b in enumerate(buckets):
        x = pad + i * step
        y = axis
        for t in present:
            count = b["events"].get(t, 0)
            if not count:
                continue
            h = count * scale
            y -= h
            bars.append(
                {
                    "x": _num(x + step * 0.1),
                    "y": _num(y),
                    "w": _num(max(1.0, step * 0.8)),
                    "h": _num(h),
                    "type": t,
                    "href": _href("/events", query, type=t, since=b["start"], until=b["end"]),
                    "title": f"{b['start']}: {count} {t}",
                }
            )
        if b["claims"] and top_claims:
            dots.append(
                {
                    "x": _num(x + step / 2),
                    "y": _num(band),
                    "r": _num(max(1.5, min(step / 2, 7.0) * math.sqrt(b["claims"] / top_claims))),
                    "href": "/claims?" + urlencode({"since": b["start"], "until": b["end"]}),
                    "title": f"{b['start']}: {b['claims']} claims",
                }
            )
    ticks = []
    every = max(1, n // 8)
    for i in range(0, len(buckets), every):
        ticks.append({"x": _num(pad + i * step + step / 2), "label": buckets[i]["start"]})
    table = [
        {
            "start": b["start"],
            "end": b["end"],
            "events": sum(b["events"].values()),
            "types": ", ".join(
                f"{t} {c}" for t, c in sorted(b["events"].items(), key=lambda kv: -kv[1])
            ),
            "claims": b["claims"],
            "href": _href("/events", query, since=b["start"], until=b["end"]),
        }
        for b in buckets
    ]
    return _render(
        request,
        "timeline.html",
        page_title="Timeline",
        v={
            **_view_context(f, _params(request), "/timeline"),
            "unit": found["unit"],
            "width": int(width),
            "height": int(height),
            "base": _num(axis),
            "band": _num(band),
            "tick_y": _num(axis + 16),
            "pad": _num(pad),
            "right": _num(width - pad),
            "top": top,
            "top_claims": top_claims,
            "bars": bars,
            "dots": dots,
            "ticks": ticks,
            "legend": present,
            "table": table,
            "unit_links": [
                (u, _href("/timeline", query, unit=u), u == found["unit"]) for u in explore.UNITS
            ],
            "since": found["since"],
            "until": found["until"],
            "outside": found["outside"],
            "undated": found["undated"],
            "before_href": _href("/events", query, until=found["since"]),
            "after_href": _href("/events", query, since=found["until"]),
        },
    )


@router.get("/map", response_class=HTMLResponse, include_in_schema=False)
def map_page(request: Request) -> HTMLResponse:
    from .worldmap import outline_path, project

    got = _view_page(request, "map")
    if isinstance(got, HTMLResponse):
        return got
    f, found = got
    query = f.query()
    width, height = 960.0, 480.0
    params = _params(request)
    whole = (params.get("zoom") or ["fit"])[0] == "world"
    top = max((p["events"] for p in found["events"]), default=1)
    points = []
    for p in found["events"]:
        x, y = project(p["lon"], p["lat"], width, height)
        points.append(
            {
                "x": _num(x),
                "y": _num(y),
                "r": _num(3 + 9 * math.sqrt(p["events"] / top)),
                "href": _href("/events", query, place=str(p["place"])),
                "title": f"{p['name']}: {p['events']} event{'s' if p['events'] != 1 else ''}",
                **p,
            }
        )
    places = []
    for p in found["places"]:
        x, y = project(p["lon"], p["lat"], width, height)
        places.append(
            {
                "x": _num(x),
                "y": _num(y),
                "title": f"{p['name']}: named in {p['articles']} "
                f"article{'s' if p['articles'] != 1 else ''}",
                "href": "/search?" + urlencode({"q": p["name"]}),
            }
        )
    box = (0.0, 0.0, width, height)
    if not whole and points:
        xs = [float(p["x"]) for p in points]
        ys = [float(p["y"]) for p in points]
        w = max(max(xs) - min(xs), width / 12) * 1.4
        h = max(max(ys) - min(ys), height / 12) * 1.4
        w, h = max(w, h * 2), max(h, w / 2)
        mx, my = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        w, h = min(w, width), min(h, height)
        x0 = min(max(0.0, mx - w / 2), width - w)
        y0 = min(max(0.0, my - h / 2), height - h)
        box = (x0, y0, w, h)
    zoom = box[2] / width
    return _render(
        request,
        "map.html",
        page_title="Map",
        v={
            **_view_context(f, params, "/map"),
            "width": int(width),
            "height": int(height),
            "viewbox": " ".join(_num(b) for b in box),
            "outline": outline_path(width, height),
            "stroke": _num(0.6 * zoom),
            "dot": _num(1.6 * zoom),
            "scale": _num(zoom),
            "points": [{**p, "r": _num(float(p["r"]) * max(zoom, 0.25))} for p in points],
            "places": places,
            "zoom_links": [
                ("Fit the events", _href("/map", query, zoom=None), not whole),
                ("Whole world", _href("/map", query, zoom="world"), whole),
            ],
        },
    )


# -- stories ---------------------------------------------------------------------------------


@router.get("/stories", response_class=HTMLResponse, include_in_schema=False)
def stories_page(request: Request) -> HTMLResponse:
    from . import data

    params = _params(request)
    contains = ",".join(params.get("contains", [])).strip()[:200] or None
    try:
        page = _int(params, "page", 1, 10**6) or 1
        least = _int(params, "min_articles", 1, 10**6) or 1
        with data.reading(_db(request)) as store:
            items, total = data.list_stories_page(
                store,
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
                min_articles=least,
                contains=contains,
            )
    except NewsgraphError as exc:
        return error_response(request, _status(exc.code), exc.message, exc.code)
    query = {
        k: v
        for k, v in (("contains", contains or ""), ("min_articles", str(least)))
        if v and v != "1"
    }
    return _render(
        request,
        "stories.html",
        page_title="Stories",
        stories=[{**s, "href": "/stories/" + s["id"]} for s in items],
        form={"contains": contains or "", "min_articles": least},
        pager=pager("/stories", query, page, total),
        export="/api/stories?" + urlencode({**query, "format": "csv"}),
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story_page(story_id: str, request: Request) -> HTMLResponse:
    from . import data

    try:
        with data.reading(_db(request)) as store:
            found = data.story_detail(store, story_id)
        if found is None:
            raise NewsgraphError("E039", story=story_id[:80])
    except NewsgraphError as exc:
        return error_response(request, _status(exc.code), exc.message, exc.code)
    outlets = {a["id"]: a.get("outlet") or "?" for a in found["articles"]}
    by_outlet = [
        {
            "outlet": outlet,
            "articles": [
                {**a, "href": span_href(a["id"], None, None)}
                for a in found["articles"]
                if (a.get("outlet") or "?") == outlet
            ],
        }
        for outlet in sorted({a.get("outlet") or "?" for a in found["articles"]})
    ]

    def refs(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "outlet": x.get("outlet") or outlets.get(x.get("article_id", ""), "?"),
                "href": span_href(x["article_id"], x.get("start"), x.get("end")),
                "text": x.get("text") or "",
            }
            for x in items
            if x.get("article_id")
        ]

    claims = [
        {
            **c,
            "href": span_href(c["article_id"], c["start"], c["end"]),
            "corroborated": refs(c["corroborated_by"]),
            "contradicted": refs(c["contradicted_by"]),
        }
        for c in found["claims"]
    ]
    timeline = [{**t, "sources": refs(t["sources"])} for t in found["timeline"]]
    query = {"story": found["id"]}
    return _render(
        request,
        "story.html",
        page_title=found["title"] or "Story",
        s=found,
        by_outlet=by_outlet,
        claims=claims,
        timeline=timeline,
        actors=[
            {**a, "href": entity_href(a["kb_id"]) if a.get("kb_id") else None}
            for a in found["actors"]
        ],
        views=[
            (label, p + "?" + urlencode(query))
            for label, p in (
                ("Events", "/events"),
                ("Claims", "/claims"),
                ("Network", "/network"),
                ("Timeline", "/timeline"),
                ("Map", "/map"),
            )
        ],
    )
