"""The server-rendered HTML pages: home, article, entity, search, and their static files.

Every piece of article text reaches the page escaped: templates autoescape, and the
highlighted article text is built here by cutting ``article.text`` at every span
boundary and escaping each slice with :func:`markupsafe.escape`. The page script reads
its data only from ``data-*`` attributes and one ``<script type="application/json">``
block whose JSON has ``<``, ``>`` and ``&`` escaped, and every HTML response carries a
Content-Security-Policy that allows scripts and styles from ``/static`` only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from newsgraph.errors import NewsgraphError
from newsgraph.render._common import (
    by_prominence,
    display_title,
    safe_href,
    short_id,
    sorted_flags,
    timeline_date,
    truncate,
    type_label,
    types_present,
)
from newsgraph.report import Report

__all__ = [
    "CSP",
    "build_segments",
    "error_response",
    "refused_form",
    "router",
]

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

router = APIRouter()

_HERE: Final = Path(__file__).resolve().parent
TEMPLATES: Final = _HERE / "templates"
STATIC: Final = _HERE / "static"

#: Rows per page on the home and search pages.
PAGE_SIZE: Final = 50
#: The highlight layers of the article text, in the order their toggles are shown.
LAYERS: Final[tuple[tuple[str, str], ...]] = (
    ("entity", "Entities"),
    ("quote", "Quotes"),
    ("claim", "Claims"),
    ("timex", "Time expressions"),
)
#: Scripts and styles from this server only; no inline script, style or event handler.
CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_HTML_HEADERS: Final = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_CONTENT_TYPES: Final = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
#: One segment of a static path: no leading dot, no slash, nothing to escape.
_STATIC_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
#: At most this many segments (``vendor/swagger-ui/swagger-ui.css`` is three).
_STATIC_DEPTH: Final = 4
_SEVERITY_LABELS: Final = {"error": "Error", "warning": "Warning", "info": "Info"}
_SOURCE_LABELS: Final = {
    "named_person": "Named person",
    "named_organization": "Named organization",
    "media_outlet": "Media outlet",
    "document": "Document",
    "anonymous_person": "Anonymous person",
    "anonymous_group": "Anonymous group",
    "unattributed": "Unattributed",
}
_UNNAMED: Final = frozenset({"anonymous_person", "anonymous_group", "unattributed"})
#: Source kinds in the order the legend lists them.
_SOURCE_ORDER: Final = list(_SOURCE_LABELS)
#: Check-worthiness buckets and their legend labels.
_CW_LABELS: Final = (
    ("high", "check-worthy claim (0.7 and above)"),
    ("mid", "claim worth a look (0.4 to 0.7)"),
    ("low", "claim, less check-worthy"),
)


# -- highlighted text ------------------------------------------------------------------


def _ident(value: str) -> str:
    """A class-name-safe form of a data value."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", value) or "_"


def cw_bucket(score: float) -> str:
    """A claim's check-worthiness as ``high`` (>= .7), ``mid`` (>= .4) or ``low``."""
    return "high" if score >= 0.7 else "mid" if score >= 0.4 else "low"


def source_label(kind: str) -> str:
    return _SOURCE_LABELS.get(kind, kind.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class _Ann:
    """One annotated span: ``layer`` is entity, quote, claim, timex or ev (flag evidence)."""

    start: int
    end: int
    layer: str
    key: str  # entity id, quote id, claim id, timex index or flag index
    css: str  # the class telling its sort (entity type, source kind, score bucket)


def _annotations(report: Report, flags: list[Any]) -> list[_Ann]:
    """Every valid span of every layer (spans that do not index the text are left out)."""
    text = report.article.text
    n = len(text)
    out: list[_Ann] = []

    def add(start: int, end: int, span_text: str, layer: str, key: str, css: str) -> None:
        if 0 <= start < end <= n and text[start:end] == span_text:
            out.append(_Ann(start, end, layer, key, css))

    for e in report.entities:
        css = "ng-t-" + _ident(e.type)
        for s in e.mentions:
            add(s.start, s.end, s.text, "entity", e.id, css)
        for s in e.references:
            add(s.start, s.end, s.text, "entity", e.id, css + " ng-ref")
    for q in report.quotes:
        c = q.content
        add(c.start, c.end, c.text, "quote", q.id, "ng-src-" + _ident(q.source_kind))
    for cl in report.claims:
        add(cl.start, cl.end, cl.text, "claim", cl.id, "ng-cw-" + cw_bucket(cl.checkworthiness))
    for i, t in enumerate(report.timexes):
        add(t.start, t.end, t.text, "timex", str(i), "ng-tx-" + _ident(t.type))
    for i, f in enumerate(flags):
        for s in f.evidence:
            add(s.start, s.end, s.text, "ev", str(i), "")
    return out


_LAYER_ORDER: Final = ("entity", "quote", "claim", "timex")
_DATA_ATTR: Final = {"entity": "data-entity", "quote": "data-quote", "claim": "data-claim"}


def build_segments(
    report: Report, flags: list[Any] | None = None, at: tuple[int, int] | None = None
) -> Markup:
    """The article text, escaped, cut at every span boundary; each covered segment is
    one ``<span class="ng-mark ng-<layer>...">`` carrying the classes and data of every
    layer that covers it, so markup never crosses however the spans overlap.

    ``flags`` are the flags in the order the page lists them (their index is the
    ``data-flags`` value of their evidence); by default the report's, sorted by severity.
    ``at`` is a span a link landed on (``?at=START-END``): its segments get the class
    ``ng-at`` and the first of them the id ``ng-at``, which the link's fragment scrolls to.
    """
    text = report.article.text
    flag_list = sorted_flags(report.flags) if flags is None else flags
    anns = _annotations(report, flag_list)
    if at is not None and 0 <= at[0] < at[1] <= len(text):
        anns.append(_Ann(at[0], at[1], "at", "", ""))
    if not anns:
        return escape(text)
    bounds = sorted({0, len(text), *(a.start for a in anns), *(a.end for a in anns)})
    anns.sort(key=lambda a: (a.start, -a.end))
    parts: list[str] = []
    active: list[_Ann] = []
    nxt = 0
    landed = False
    for pos, stop in pairwise(bounds):
        if active:
            active = [a for a in active if a.end > pos]
        starts = False
        while nxt < len(anns) and anns[nxt].start == pos:
            if anns[nxt].layer not in ("ev", "at"):
                starts = True
            active.append(anns[nxt])
            nxt += 1
        piece = str(escape(text[pos:stop]))
        if not active:
            parts.append(piece)
            continue
        inner: dict[str, _Ann] = {}  # per layer, the shortest span covering the segment
        flag_ids: list[int] = []
        here = False
        for a in active:
            if a.layer == "ev":
                flag_ids.append(int(a.key))
                continue
            if a.layer == "at":
                here = True
                continue
            cur = inner.get(a.layer)
            if cur is None or (a.end - a.start) < (cur.end - cur.start):
                inner[a.layer] = a
        classes: list[str] = []
        attrs: list[str] = []
        if inner:
            layers = [layer for layer in _LAYER_ORDER if layer in inner]
            classes.append("ng-mark")
            for layer in layers:
                a = inner[layer]
                classes.append(f"ng-{layer} {a.css}")
                if layer == "timex":
                    attrs.append(f' data-timex="{a.key}"')
                else:
                    attrs.append(f' {_DATA_ATTR[layer]}="{escape(a.key)}"')
            attrs.insert(0, f' data-layers="{" ".join(layers)}"')
            if starts:
                attrs.append(' tabindex="0"')
        if flag_ids:
            classes.append("ng-ev")
            attrs.append(f' data-flags="{" ".join(str(i) for i in sorted(set(flag_ids)))}"')
        if here:
            classes.append("ng-at")
            if not landed:
                attrs.insert(0, ' id="ng-at"')
                landed = True
        parts.append(f'<span class="{" ".join(classes)}"{"".join(attrs)}>{piece}</span>')
    return Markup("".join(parts))


def json_for_html(value: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``."""
    dumped = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    dumped = dumped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(dumped.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# -- small helpers ---------------------------------------------------------------------


def entity_href(kb_id: str) -> str:
    return "/entities/" + quote(kb_id, safe="")


def article_href(article_id: str) -> str:
    return "/articles/" + quote(article_id, safe="")


def span_href(article_id: str, start: int | None, end: int | None) -> str:
    """The article page landed on one span of its text: ``?at=START-END#ng-at`` (the
    span is marked and scrolled to); the plain article page when there is no span."""
    if start is None or end is None or not 0 <= start < end:
        return article_href(article_id)
    return f"{article_href(article_id)}?at={int(start)}-{int(end)}#ng-at"


def parse_at(value: str | None) -> tuple[int, int] | None:
    """The span of an ``at`` parameter (``START-END``), None when absent or malformed."""
    found = re.fullmatch(r"(\d{1,9})-(\d{1,9})", (value or "").strip())
    if found is None:
        return None
    start, end = int(found[1]), int(found[2])
    return (start, end) if start < end else None


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _facts(attrs: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(k).replace("_", " "), _shown(v)) for k, v in attrs.items() if v not in (None, "")]


def pager(
    path: str, query: Mapping[str, str], page: int, total: int, size: int | None = None
) -> dict[str, Any]:
    """The pager (``pager.html``) of a list at ``path`` shown ``size`` (by default
    :data:`PAGE_SIZE`) to a page, its links keeping ``query``."""
    pages = max(1, -(-total // (size or PAGE_SIZE)))

    def link(p: int) -> str:
        return path + "?" + urlencode({**query, "page": str(p)})

    return {
        "page": page,
        "pages": pages,
        "total": total,
        "prev": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < pages else None,
    }


def _pager(request: Request, page: int, total: int, size: int | None = None) -> dict[str, Any]:
    """The pager of this request's list, keeping its query."""
    return pager(request.url.path, dict(request.query_params), page, total, size)


def _date_text(value: Any) -> str:
    return "" if value is None else str(value)[:10] if len(str(value)) >= 10 else str(value)


# -- templates and responses -----------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals["static_url"] = static_url
    env.globals["severity_label"] = lambda s: _SEVERITY_LABELS.get(s, s)
    env.globals["article_href"] = article_href
    env.globals["span_href"] = span_href
    env.globals["entity_href"] = entity_href
    return env


def _render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("q", "")
    context.setdefault("token_required", bool(getattr(request.app.state, "token", None)))
    html = _environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=_HTML_HEADERS)


def error_response(
    request: Request, status: int, message: str, code: str | None = None
) -> HTMLResponse:
    """The error page: the HTTP status, the error code (if any) and one plain sentence.

    ``create_app`` may use this in an exception handler so unknown paths get the same page.
    """
    return _render(
        request,
        "error.html",
        status=status,
        page_title=f"{code or status}: {message}",
        http_status=status,
        code=code,
        message=message,
    )


def _db(request: Request) -> Path:
    return Path(request.app.state.db)


def _options(request: Request) -> Any:
    return getattr(request.app.state, "options", None)


def _status(code: str) -> int:
    """The HTTP status the API answers an error code with."""
    from newsgraph.web.responses import status_for

    return int(status_for(code))


# -- static files ----------------------------------------------------------------------


def _static_path(name: str) -> Path | None:
    """The file under ``static/`` that ``name`` (``a.css``, ``vendor/x/y.js``) names, or
    None: every ``/``-separated segment must match ``_STATIC_NAME`` (so no empty, ``.``
    or ``..`` segment, no absolute path, no backslash), and the resolved path (links
    followed) must still lie under ``static/``."""
    segments = name.split("/")
    if len(segments) > _STATIC_DEPTH:
        return None
    if not all(_STATIC_NAME.match(s) and ".." not in s for s in segments):
        return None
    path = STATIC.joinpath(*segments)
    if path.suffix not in _CONTENT_TYPES:
        return None
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(STATIC.resolve()) or not resolved.is_file():
        return None
    return resolved


@lru_cache(maxsize=32)
def _static_file(name: str) -> tuple[bytes, str] | None:
    """The bytes and a short content hash of a packaged static file, or None."""
    path = _static_path(name)
    if path is None:
        return None
    body = path.read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:12]


def static_url(name: str) -> str:
    """``/static/<name>?v=<hash>``: the hash changes with the file, so it can be cached."""
    found = _static_file(name)
    return f"/static/{name}?v={found[1]}" if found else f"/static/{name}"


@router.get("/static/{name:path}", include_in_schema=False)
def static(name: str, request: Request) -> Response:
    """A packaged static file: ``newsgraph.css``, ``newsgraph.js``, ``swagger-init.js``
    and the vendored assets under ``vendor/`` (see ``static/vendor/README.md``)."""
    found = _static_file(name)
    if found is None:
        return Response("not found\n", status_code=404, media_type="text/plain")
    body, digest = found
    etag = f'"{digest}"'
    headers = {
        "ETag": etag,
        "Cache-Control": "public, max-age=86400",
        "X-Content-Type-Options": "nosniff",
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=_CONTENT_TYPES[Path(name).suffix], headers=headers)


# -- home and analyse ------------------------------------------------------------------


def _home(
    request: Request,
    page: int,
    *,
    status: int = 200,
    error: NewsgraphError | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    from newsgraph.web import data

    rows: list[dict[str, Any]] = []
    total = 0
    store_error: str | None = None
    filters = {k: (request.query_params.get(k) or "").strip()[:200] for k in _HOME_FILTERS}
    try:
        with data.reading(_db(request)) as store:
            items, total = data.list_articles(
                store,
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
                **{k: v or None for k, v in filters.items()},
            )
    except NewsgraphError as exc:
        items, store_error = [], str(exc)
    for it in items:
        flags = it.get("flags") or {}
        rows.append(
            {
                "id": it["id"],
                "href": article_href(str(it["id"])),
                "title": truncate(str(it.get("headline") or ""), 120)
                or f"Untitled ({short_id(str(it['id']))})",
                "outlet": it.get("outlet") or "",
                "published": _date_text(it.get("published")),
                "flags": [(s, int(flags.get(s) or 0)) for s in ("error", "warning", "info")],
            }
        )
    return _render(
        request,
        "home.html",
        status=status,
        page_title="newsgraph",
        rows=rows,
        pager=_pager(request, page, total),
        error=error,
        store_error=store_error,
        form=form or {"text": "", "url": "", "published": ""},
        filters=filters,
        filtered=[(k, v) for k, v in filters.items() if v],
    )


#: The home list's filters (query parameters of ``/``, as ``data.list_articles``'s).
_HOME_FILTERS: Final = ("outlet", "flag", "entity", "since", "until")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, page: int = Query(1, ge=1, le=1_000_000)) -> HTMLResponse:
    return _home(request, page)


@router.post("/analyze", response_class=HTMLResponse)
async def analyze(
    request: Request,
    text: str = Form(""),
    url: str = Form(""),
    published: str = Form(""),
    token: str = Form(""),
) -> Response:
    """Analyse the posted text (or fetch the URL) in a worker process, store the report,
    and go to its page; bad input comes back as the home page with the error's code and
    sentence. (The token, when the server has one, was checked before the form got here.)"""
    from newsgraph.web import data
    from newsgraph.web.responses import check_token

    form = {"text": text, "url": url, "published": published}
    try:
        if getattr(request.app.state, "token", None):
            check_token(request, token or None)
        if text.strip():
            given: dict[str, str] = {"text": text}
        elif url.strip():
            given = {"url": url.strip()}
        else:
            raise NewsgraphError("E001", where="")
        state = request.app.state
        article_input, day = data.check_request(given, published.strip() or None, state.options)
        done = await state.pool.analyze(article_input.kind, article_input.value, day)
        await run_in_threadpool(
            data.store_report, _db(request), done.report, data.origin_of(article_input)
        )
    except NewsgraphError as exc:
        return await run_in_threadpool(refused_form, request, exc, form)
    except Exception as exc:  # never a traceback on the page
        log.exception("analysis failed")
        err = NewsgraphError("E999", reason=type(exc).__name__)
        return await run_in_threadpool(_home, request, 1, status=500, error=err, form=form)
    return RedirectResponse(article_href(done.report.article.id), status_code=303)


def refused_form(request: Request, exc: NewsgraphError, form: dict[str, str]) -> HTMLResponse:
    """The home page again after a refused analyse form: the error's code and sentence,
    with what was typed (never the token), at the status the API gives that code."""
    kept = {k: str(form.get(k) or "") for k in ("text", "url", "published")}
    return _home(request, 1, status=_status(exc.code), error=exc, form=kept)


# -- article ---------------------------------------------------------------------------


def _sourcing_view(report: Report) -> dict[str, Any]:
    prof = report.sourcing or {}
    by_kind_raw = prof.get("by_source_kind")
    if not isinstance(by_kind_raw, dict):
        by_kind_raw = {}
        for q in report.quotes:
            by_kind_raw[q.source_kind] = by_kind_raw.get(q.source_kind, 0) + 1
    by_kind = sorted(
        ((str(k), int(v)) for k, v in by_kind_raw.items()), key=lambda kv: (-kv[1], kv[0])
    )
    most = max((v for _, v in by_kind), default=0)
    words = int(prof.get("quoted_words") or 0)
    unnamed_share = float(prof.get("unnamed_share") or 0.0)
    if not prof and report.quotes:
        total = sum(len(q.content.text.split()) for q in report.quotes)
        unnamed = sum(
            len(q.content.text.split()) for q in report.quotes if q.source_kind in _UNNAMED
        )
        words, unnamed_share = total, (unnamed / total if total else 0.0)
    unnamed_pct = round(unnamed_share * 100, 1)
    return {
        "quotes": int(prof.get("quotes") or len(report.quotes)),
        "words": words,
        "named_pct": round(100 - unnamed_pct, 1),
        "unnamed_pct": unnamed_pct,
        "named_sources": prof.get("named_sources"),
        "by_kind": [
            {
                "kind": k,
                "css": "ng-src-" + _ident(k),
                "label": source_label(k),
                "n": v,
                "pct": round(100 * v / most, 1) if most else 0,
            }
            for k, v in by_kind
        ],
    }


def _article_view(report: Report, at: tuple[int, int] | None = None) -> dict[str, Any]:
    a = report.article
    flags = sorted_flags(report.flags)
    names = {e.id: e.name for e in report.entities}
    ents: dict[str, Any] = {}
    for e in report.entities:
        ents[e.id] = {
            "name": e.name,
            "type": e.type,
            "label": type_label(e.type),
            "kb_id": e.kb_id,
            "href": entity_href(e.kb_id) if e.kb_id else None,
            "facts": _facts(e.attrs),
        }
    quotes = {}
    for q in report.quotes:
        who = names.get(q.speaker_entity or "") or (
            " ".join(q.speaker.text.split()) if q.speaker else ""
        )
        quotes[q.id] = {
            "kind": q.kind,
            "speaker": who or "no speaker",
            "source_kind": q.source_kind,
            "source_label": source_label(q.source_kind),
        }
    claims = {
        c.id: {
            "kind": c.kind,
            "score": round(c.checkworthiness, 2),
            "bucket": cw_bucket(c.checkworthiness),
        }
        for c in report.claims
    }
    timexes = [
        {"type": t.type, "value": t.value, "text": t.text, "refers_to": t.refers_to, "mod": t.mod}
        for t in report.timexes
    ]
    entity_groups = []
    for etype in types_present(report.entities):
        members = by_prominence(e for e in report.entities if e.type == etype)
        entity_groups.append(
            {
                "label": type_label(etype),
                "css": "ng-t-" + _ident(etype),
                "members": [
                    {
                        "name": e.name,
                        "id": e.id,
                        "href": entity_href(e.kb_id) if e.kb_id else None,
                        "n": len(e.mentions),
                    }
                    for e in members
                ],
            }
        )
    events = []
    for ev in sorted(report.events, key=lambda e: (e.trigger.start, e.id)):
        events.append(
            {
                "type": ev.type,
                "source": ev.actor_name("source", names),
                "target": ev.actor_name("target", names),
                "trigger": ev.trigger.text,
                "date": ev.date,
                "negated": ev.negated,
                "hypothetical": ev.hypothetical,
            }
        )
    quote_rows = [
        {
            "speaker": quotes[q.id]["speaker"],
            "source_kind": q.source_kind,
            "source_label": source_label(q.source_kind),
            "cue": q.cue.text if q.cue else "",
            "kind": q.kind,
            "text": truncate(" ".join(q.content.text.split()), 220),
            "href": span_href(a.id, q.content.start, q.content.end),
            "date": q.date,
        }
        for q in sorted(report.quotes, key=lambda q: q.content.start)
    ]
    claim_rows = [
        {
            "score": f"{c.checkworthiness:.2f}",
            "bucket": cw_bucket(c.checkworthiness),
            "kind": c.kind,
            "text": truncate(" ".join(c.text.split()), 220),
            "href": span_href(a.id, c.start, c.end),
        }
        for c in sorted(report.claims, key=lambda c: (-c.checkworthiness, c.start))
    ]
    kinds_present = sorted(
        {q.source_kind for q in report.quotes},
        key=lambda k: (_SOURCE_ORDER.index(k) if k in _SOURCE_ORDER else len(_SOURCE_ORDER), k),
    )
    buckets_present = [
        (b, label)
        for b, label in _CW_LABELS
        if any(cw_bucket(c.checkworthiness) == b for c in report.claims)
    ]
    layer_counts = {
        "entity": sum(len(e.mentions) + len(e.references) for e in report.entities),
        "quote": len(report.quotes),
        "claim": len(report.claims),
        "timex": len(report.timexes),
    }
    return {
        "title": display_title(report, limit=300),
        "has_title": bool(a.title and a.title.strip()),
        "article": a,
        "href": safe_href(a.url),
        "short_id": short_id(a.id),
        "text_html": build_segments(report, flags, at),
        "layers": [(k, label, layer_counts[k]) for k, label in LAYERS],
        "flags": [{"i": i, "f": f, "n": len(f.evidence)} for i, f in enumerate(flags)],
        "sourcing": _sourcing_view(report),
        "timeline": [
            {"date": timeline_date(t), "relation": t.relation, "label": t.label}
            for t in report.timeline
        ],
        "entity_groups": entity_groups,
        "events": events,
        "quote_rows": quote_rows,
        "claim_rows": claim_rows,
        "legend_quotes": [("ng-src-" + _ident(k), source_label(k)) for k in kinds_present],
        "legend_claims": buckets_present,
        "has_timex": bool(report.timexes),
        "has_evidence": any(f.evidence for f in flags),
        "data_json": json_for_html(
            {"entities": ents, "quotes": quotes, "claims": claims, "timexes": timexes}
        ),
    }


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(article_id: str, request: Request) -> HTMLResponse:
    from newsgraph.web import data

    try:
        with data.reading(_db(request)) as store:
            report = data.get_report(store, article_id)
        if report is None:
            raise NewsgraphError("E022", id=article_id)
    except NewsgraphError as exc:
        return error_response(request, _status(exc.code), exc.message, exc.code)
    view = _article_view(report, parse_at(request.query_params.get("at")))
    return _render(request, "article.html", page_title=view["title"], v=view)


# -- entity ----------------------------------------------------------------------------

#: Articles per page on an entity page.
ENTITY_PAGE_SIZE: Final = 20
#: The timeline chart's drawing box (SVG user units) and the height of its bars.
_CHART_W: Final = 600
_CHART_H: Final = 90
_BAR_H: Final = 70


def _entity_href_or_search(kb_id: Any, name: Any) -> str:
    """An entity's page, or for one without a KB id the search for its name."""
    if kb_id:
        return entity_href(str(kb_id))
    return "/search?" + urlencode({"q": str(name or "")})


def _entity_kb(ent: dict[str, Any]) -> dict[str, Any]:
    """What the knowledge base says about an entity: aliases, roles, other facts."""
    kb = ent.get("kb")
    extra = {k: v for k, v in ent.items() if k not in {"kb_id", "name", "type", "kb"}}
    facts = _facts(extra)
    if not isinstance(kb, dict):
        return {"qid": None, "aliases": [], "roles": [], "facts": facts}
    attrs = kb.get("attrs")
    if isinstance(attrs, dict):
        facts += _facts(attrs)
    roles = []
    for role in kb.get("roles") or []:
        if isinstance(role, dict):
            roles.append(
                {
                    "label": str(role.get("label") or role.get("title") or role.get("office")),
                    "kind": str(role.get("kind") or ""),
                    "office": str(role.get("office") or ""),
                    "start": str(role.get("start") or ""),
                    "end": str(role.get("end") or ""),
                }
            )
    aliases = [str(a) for a in kb.get("aliases") or [] if str(a) != ent.get("name")]
    return {"qid": kb.get("qid"), "aliases": aliases, "roles": roles, "facts": facts}


def _timeline_chart(timeline: dict[str, Any]) -> dict[str, Any]:
    """The bars of the activity chart (SVG user units), one per period."""
    periods = [p for p in timeline.get("periods") or [] if isinstance(p, dict)]
    most = max((int(p.get("articles") or 0) for p in periods), default=0)
    width = _CHART_W / max(1, len(periods))
    bars = []
    for i, p in enumerate(periods):
        articles, mentions = int(p.get("articles") or 0), int(p.get("mentions") or 0)
        height = round(_BAR_H * articles / most, 1) if most else 0
        bars.append(
            {
                "period": str(p.get("period") or ""),
                "articles": articles,
                "mentions": mentions,
                "x": round(i * width + width * 0.1, 1),
                "w": round(max(width * 0.8, 1), 1),
                "h": max(height, 1.0 if articles else 0.0),
                "y": round(_BAR_H - max(height, 1.0 if articles else 0.0), 1),
                "label": f"{p.get('period')}: {articles} article{'s' if articles != 1 else ''}, "
                f"{mentions} mention{'s' if mentions != 1 else ''}",
            }
        )
    return {
        "by": str(timeline.get("by") or "month"),
        "bars": bars,
        "undated": int(timeline.get("undated") or 0),
        "w": _CHART_W,
        "h": _CHART_H,
        "base": _BAR_H,
        "first": bars[0]["period"] if bars else "",
        "last": bars[-1]["period"] if len(bars) > 1 else "",
    }


def _span_of(it: dict[str, Any], *keys: str) -> tuple[int, int] | None:
    start, end = (it.get(k) for k in keys)
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        return start, end
    return None


_ROW_KINDS: Final = {"event": 0, "quote": 1, "mention": 2}


def _article_rows(aid: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One article's activity items as rows, one per distinct sentence (or quote):
    an item joins the row whose span holds its own words (a mention, an event's
    trigger, a quote) or whose text is the same, else starts one; rows in text order."""

    def row_span(it: dict[str, Any]) -> tuple[int, int] | None:
        if it.get("kind") == "mention":
            return _span_of(it, "sentence_start", "sentence_end") or _span_of(it, "start", "end")
        return _span_of(it, "start", "end")

    def anchor(it: dict[str, Any]) -> tuple[int, int] | None:
        if it.get("kind") == "event":
            return _span_of(it, "trigger_start", "trigger_end") or _span_of(it, "start", "end")
        return _span_of(it, "start", "end")

    def size(it: dict[str, Any]) -> int:
        span = row_span(it)
        return span[1] - span[0] if span else 0

    rows: list[dict[str, Any]] = []
    by_text: dict[str, dict[str, Any]] = {}
    for it in sorted(items, key=lambda i: (-size(i), _ROW_KINDS.get(str(i.get("kind")), 9))):
        text = str(it.get("text") or "")
        key = " ".join(text.split())
        at = anchor(it)
        home = None
        if at is not None:
            home = next((r for r in rows if r["start"] <= at[0] and at[1] <= r["end"]), None)
        if home is None:
            home = by_text.get(key) if key else None
        if home is None:
            span = row_span(it) or (-1, -1)
            home = {"start": span[0], "end": span[1], "text": text, "items": []}
            rows.append(home)
            if key:
                by_text[key] = home
        home["items"].append(it)
    rows.sort(key=lambda r: (r["start"], r["end"]))
    return [_activity_row(aid, r) for r in rows]


def _activity_row(aid: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row's text (the entity's own words in it marked) and what the entity does there."""
    start, end, text = row["start"], row["end"], row["text"]
    items = sorted(row["items"], key=lambda i: (_ROW_KINDS.get(str(i.get("kind")), 9), i["start"]))
    marks: list[tuple[int, int]] = []
    tags: list[dict[str, Any]] = []
    said: dict[str, dict[str, Any]] = {}
    for it in items:
        kind = str(it.get("kind") or "")
        if kind == "mention":
            span = _span_of(it, "start", "end")
            if span and start <= span[0] and span[1] <= end:
                marks.append(span)
            words = " ".join(str(it.get("mention") or "").split())
            if words in said:
                said[words]["n"] += 1
                continue
            tag = {"kind": kind, "label": f"“{words}”", "n": 1, "other": None}
            said[words] = tag
        elif kind == "quote":
            label = source_label(str(it.get("source_kind") or "unattributed"))
            tag = {"kind": kind, "label": f"quoted · {label}", "n": 1, "other": None}
        else:
            role = it.get("role")
            other = it.get("other")
            tag = {
                "kind": kind,
                "label": str(it.get("type") or "event"),
                "n": 1,
                "arrow": "→" if role == "source" else "←",
                "role": "source" if role == "source" else "target",
                "other": " ".join(str(other).split()) if other else None,
                "other_href": entity_href(str(it["other_kb_id"]))
                if it.get("other_kb_id")
                else None,
                "date": _date_text(it.get("date")) if it.get("dated_by") == "event" else "",
            }
        span = (
            _span_of(it, "trigger_start", "trigger_end") if kind == "event" else None
        ) or _span_of(it, "start", "end")
        tag["href"] = span_href(aid, *span) if span else article_href(aid)
        tags.append(tag)
    exact = 0 <= start < end and end - start == len(text)
    if exact and marks:
        parts: list[str] = []
        pos = 0
        for s, e in sorted(set(marks)):
            if s - start < pos:
                continue
            parts.append(str(escape(text[pos : s - start])))
            parts.append(f'<mark class="ng-self">{escape(text[s - start : e - start])}</mark>')
            pos = e - start
        parts.append(str(escape(text[pos:])))
        shown = Markup("".join(parts))
    else:
        shown = escape(text)
    return {
        "text": shown,
        "href": span_href(aid, start, end) if start >= 0 else article_href(aid),
        "tags": tags,
    }


def _activity_blocks(found: dict[str, Any]) -> list[dict[str, Any]]:
    """The activity grouped by article, in the order of ``found["articles"]`` (newest
    first), each article's items as de-duplicated rows."""
    by_article: dict[str, list[dict[str, Any]]] = {}
    for it in found.get("items") or []:
        by_article.setdefault(str(it.get("article_id") or ""), []).append(it)
    blocks = []
    for art in found.get("articles") or []:
        aid = str(art.get("id") or "")
        rows = _article_rows(aid, by_article.get(aid, []))
        blocks.append(
            {
                "id": aid,
                "href": article_href(aid),
                "title": truncate(str(art.get("headline") or ""), 160)
                or f"Untitled ({short_id(aid)})",
                "outlet": str(art.get("outlet") or ""),
                "published": _date_text(art.get("published")),
                "rows": rows,
            }
        )
    return blocks


def _co_actors(rows: Any) -> list[dict[str, Any]]:
    return [
        {
            "name": str(r.get("name") or ""),
            "type": type_label(str(r.get("type") or "OTHER")),
            "n": int(r.get("n") or 0),
            "href": _entity_href_or_search(r.get("kb_id"), r.get("name")),
        }
        for r in rows or []
        if isinstance(r, dict)
    ]


@router.get("/entities/{kb_id}", response_class=HTMLResponse)
def entity_page(
    kb_id: str, request: Request, page: int = Query(1, ge=1, le=1_000_000)
) -> HTMLResponse:
    from newsgraph.web import data

    try:
        with data.reading(_db(request)) as store:
            found = data.entity_activity(
                store,
                kb_id,
                options=_options(request),
                article_limit=ENTITY_PAGE_SIZE,
                article_offset=(page - 1) * ENTITY_PAGE_SIZE,
            )
        if not found:
            raise NewsgraphError("E023", kb_id=kb_id)
    except NewsgraphError as exc:
        return error_response(request, _status(exc.code), exc.message, exc.code)
    ent = dict(found.get("entity") or {})
    name = str(ent.get("name") or kb_id)
    counts = found.get("counts") or {}
    co = found.get("co_actors") or {}
    return _render(
        request,
        "entity.html",
        page_title=name,
        name=name,
        kb_id=kb_id,
        etype=type_label(str(ent.get("type") or "OTHER")) if ent.get("type") else None,
        kb=_entity_kb(ent),
        counts=[
            (label, int(counts.get(key) or 0))
            for key, label in (
                ("articles", "articles"),
                ("mentions", "mentions"),
                ("quotes", "quotes as speaker"),
                ("events_source", "events as source"),
                ("events_target", "events as target"),
            )
        ],
        co_events=_co_actors(co.get("events")),
        co_articles=_co_actors(co.get("articles")),
        chart=_timeline_chart(found.get("timeline") or {}),
        blocks=_activity_blocks(found),
        pager=_pager(request, page, int(found.get("articles_total") or 0), ENTITY_PAGE_SIZE),
    )


# -- search ----------------------------------------------------------------------------

_SEARCH_KIND_LABELS: Final = {
    "entity": "entity",
    "title": "title",
    "quote": "quote",
    "claim": "claim",
    "event": "event",
    "flag": "flag",
}


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` folded as search folds it, and for each folded character the index of
    the character of ``text`` it comes from."""
    from newsgraph.web import data

    out: list[str] = []
    at: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch.lower())
            at.append(i)
            continue
        for c in data.fold(ch):
            out.append(c)
            at.append(i)
    return "".join(out), at


def mark_matches(text: str, q: str) -> Markup:
    """``text`` escaped, with every occurrence of a word of ``q`` in ``<mark>``, found
    without regard to case or accents (``erdogan`` marks ``Erdoğan``); one-letter words
    are marked only when ``q`` has nothing longer."""
    from newsgraph.web import data

    words = {data.fold(w) for w in q.split()} - {""}
    if any(len(w) > 1 for w in words):
        words = {w for w in words if len(w) > 1}
    if not words:
        return escape(text)
    folded, at = _folded_with_map(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(folded):
        start, end = at[m.start()], at[m.end() - 1] + 1
        if start < pos:
            continue
        out.append(str(escape(text[pos:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _search_result(it: dict[str, Any], q: str) -> dict[str, Any]:
    """One search hit as the page shows it: its badge, link, text and details."""
    kind = str(it.get("kind") or "")
    aid = str(it.get("article_id") or "")
    title = truncate(str(it.get("headline") or it.get("title") or ""), 160) or (
        f"Untitled ({short_id(aid)})" if aid else ""
    )
    details: list[str] = []
    if kind == "entity":
        href = (
            entity_href(str(it["kb_id"]))
            if it.get("kb_id")
            else span_href(aid, it.get("start"), it.get("end"))
        )
        n, m = int(it.get("articles") or 0), int(it.get("mentions") or 0)
        details = [
            type_label(str(it.get("type") or "OTHER")),
            str(it.get("kb_id") or "no KB id"),
            f"{n} article{'s' if n != 1 else ''}, {m} mention{'s' if m != 1 else ''}",
        ]
        title = ""
    elif kind == "title":
        href = article_href(aid)
    else:
        href = span_href(aid, it.get("start"), it.get("end"))
        if kind == "quote":
            details = [source_label(str(it.get("source_kind") or "unattributed"))]
            if it.get("speaker"):
                details.append(" ".join(str(it["speaker"]).split()))
        elif kind == "claim" and it.get("claim_kind"):
            details = [str(it["claim_kind"])]
        elif kind == "event":
            details = [str(it.get("type") or ""), str(it.get("actors") or "")]
        elif kind == "flag":
            details = [str(it.get("code") or ""), str(it.get("severity") or "")]
            if it.get("evidence"):
                details.append(f"“{' '.join(str(it['evidence']).split())}”")
    return {
        "kind": kind,
        "badge": _SEARCH_KIND_LABELS.get(kind, kind),
        "href": href,
        "article_href": article_href(aid) if aid else None,
        "title": title,
        "published": _date_text(it.get("published")),
        "text": mark_matches(str(it.get("text") or ""), q),
        "details": [d for d in details if d],
    }


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = Query("", max_length=500),
    page: int = Query(1, ge=1, le=1_000_000),
) -> HTMLResponse:
    from newsgraph.web import data

    q = q.strip()
    results: list[dict[str, Any]] = []
    total = 0
    error: str | None = None
    if q:
        try:
            with data.reading(_db(request)) as store:
                items, total = data.search(
                    store,
                    q,
                    limit=PAGE_SIZE,
                    offset=(page - 1) * PAGE_SIZE,
                    options=_options(request),
                )
        except NewsgraphError as exc:
            items, error = [], str(exc)
        results = [_search_result(it, q) for it in items]
    return _render(
        request,
        "search.html",
        page_title=f"Search: {q}" if q else "Search",
        q=q,
        results=results,
        pager=_pager(request, page, total),
        error=error,
    )


# -- entity index ----------------------------------------------------------------------


@router.get("/entities", response_class=HTMLResponse, include_in_schema=False)
def entities_page(
    request: Request,
    q: str = Query("", max_length=500),
    etype: str = Query("", alias="type", max_length=100),
    sort: str = Query("articles", max_length=20),
    page: int = Query(1, ge=1, le=1_000_000),
) -> HTMLResponse:
    """Every entity in the store, one row per KB id (else per name and type), filtered
    by type and name and sorted as the GET form in the URL says."""
    from newsgraph.web import data

    q, etype = q.strip(), etype.strip()
    sort = sort if sort in data.ENTITY_SORTS else "articles"
    rows: list[dict[str, Any]] = []
    types: list[str] = []
    total = 0
    error: str | None = None
    try:
        with data.reading(_db(request)) as store:
            types = data.entity_types(store)
            items, total = data.list_entities(
                store,
                type=etype or None,
                q=q or None,
                sort=sort,
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
                options=_options(request),
            )
    except NewsgraphError as exc:
        items, error = [], str(exc)
    for it in items:
        rows.append(
            {
                **it,
                "href": _entity_href_or_search(it.get("kb_id"), it.get("name")),
                "type_label": type_label(str(it.get("type") or "OTHER")),
                "name_html": mark_matches(str(it.get("name") or ""), q) if q else it.get("name"),
            }
        )
    filters = {k: v for k, v in (("q", q), ("type", etype), ("sort", sort)) if v}
    csv_href = "/api/entities?" + urlencode({**filters, "format": "csv", "limit": 500})
    return _render(
        request,
        "entities.html",
        page_title="Entities",
        filter_q=q,
        filter_type=etype,
        sort=sort,
        sorts=[(s, s.capitalize() if s != "name" else "Name") for s in data.ENTITY_SORTS],
        types=[(t, type_label(t)) for t in types],
        rows=rows,
        csv_href=csv_href,
        pager=_pager(request, page, total, PAGE_SIZE),
        error=error,
    )
