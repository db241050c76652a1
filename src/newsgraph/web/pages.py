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
_STATIC_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
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


def build_segments(report: Report, flags: list[Any] | None = None) -> Markup:
    """The article text, escaped, cut at every span boundary; each covered segment is
    one ``<span class="ng-mark ng-<layer>...">`` carrying the classes and data of every
    layer that covers it, so markup never crosses however the spans overlap.

    ``flags`` are the flags in the order the page lists them (their index is the
    ``data-flags`` value of their evidence); by default the report's, sorted by severity.
    """
    text = report.article.text
    flag_list = sorted_flags(report.flags) if flags is None else flags
    anns = _annotations(report, flag_list)
    if not anns:
        return escape(text)
    bounds = sorted({0, len(text), *(a.start for a in anns), *(a.end for a in anns)})
    anns.sort(key=lambda a: (a.start, -a.end))
    parts: list[str] = []
    active: list[_Ann] = []
    nxt = 0
    for pos, stop in pairwise(bounds):
        if active:
            active = [a for a in active if a.end > pos]
        starts = False
        while nxt < len(anns) and anns[nxt].start == pos:
            if anns[nxt].layer != "ev":
                starts = True
            active.append(anns[nxt])
            nxt += 1
        piece = str(escape(text[pos:stop]))
        if not active:
            parts.append(piece)
            continue
        inner: dict[str, _Ann] = {}  # per layer, the shortest span covering the segment
        flag_ids: list[int] = []
        for a in active:
            if a.layer == "ev":
                flag_ids.append(int(a.key))
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


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _facts(attrs: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(k).replace("_", " "), _shown(v)) for k, v in attrs.items() if v not in (None, "")]


def _pager(request: Request, page: int, total: int) -> dict[str, Any]:
    pages = max(1, -(-total // PAGE_SIZE))

    def link(p: int) -> str:
        params = dict(request.query_params)
        params["page"] = str(p)
        return request.url.path + "?" + urlencode(params)

    return {
        "page": page,
        "pages": pages,
        "total": total,
        "prev": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < pages else None,
    }


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


@lru_cache(maxsize=32)
def _static_file(name: str) -> tuple[bytes, str] | None:
    """The bytes and a short content hash of a packaged static file, or None."""
    if not _STATIC_NAME.match(name) or ".." in name:
        return None
    path = STATIC / name
    if path.suffix not in _CONTENT_TYPES or not path.is_file():
        return None
    body = path.read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:12]


def static_url(name: str) -> str:
    """``/static/<name>?v=<hash>``: the hash changes with the file, so it can be cached."""
    found = _static_file(name)
    return f"/static/{name}?v={found[1]}" if found else f"/static/{name}"


@router.get("/static/{name}", include_in_schema=False)
def static(name: str, request: Request) -> Response:
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
    try:
        with data.reading(_db(request)) as store:
            items, total = data.list_articles(store, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
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
    )


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


def _article_view(report: Report) -> dict[str, Any]:
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
        "text_html": build_segments(report, flags),
        "layers": [(k, label, layer_counts[k]) for k, label in LAYERS],
        "flags": [{"i": i, "f": f, "n": len(f.evidence)} for i, f in enumerate(flags)],
        "sourcing": _sourcing_view(report),
        "timeline": [
            {"date": timeline_date(t), "relation": t.relation, "label": t.label}
            for t in report.timeline
        ],
        "entity_groups": entity_groups,
        "events": events,
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
    view = _article_view(report)
    return _render(request, "article.html", page_title=view["title"], v=view)


# -- entity ----------------------------------------------------------------------------


def _entity_facts(ent: dict[str, Any]) -> list[tuple[str, str]]:
    """What the knowledge base says about an entity, as (label, value) rows."""
    kb = ent.get("kb")
    extra = {k: v for k, v in ent.items() if k not in {"kb_id", "name", "type", "kb"}}
    rows = _facts(extra)
    if not isinstance(kb, dict):
        return rows
    if kb.get("qid"):
        rows.append(("Wikidata", str(kb["qid"])))
    aliases = kb.get("aliases")
    if aliases:
        rows.append(("also called", _shown(aliases)))
    attrs = kb.get("attrs")
    if isinstance(attrs, dict):
        rows += _facts(attrs)
    for role in kb.get("roles") or []:
        if isinstance(role, dict):
            span = " – ".join(str(role.get(k) or "…") for k in ("start", "end"))
            what = role.get("title") or role.get("office") or "role"
            rows.append(("role", f"{what} ({span})"))
    return rows


_ACTIVITY_DETAILS: Final = (
    ("type", "event"),
    ("role", "as"),
    ("trigger", "trigger"),
    ("source_name", "source"),
    ("target_name", "target"),
    ("source_kind", "source"),
    ("speaker", "speaker"),
)


def _activity_item(it: dict[str, Any]) -> dict[str, Any]:
    aid = str(it.get("article_id") or "")
    extra = []
    for key, label in _ACTIVITY_DETAILS:
        value = it.get(key)
        if value in (None, "") or not isinstance(value, (str, int, float)):
            continue
        shown = source_label(str(value)) if key == "source_kind" else " ".join(str(value).split())
        extra.append((label, shown))
    return {
        "kind": str(it.get("kind") or ""),
        "date": _date_text(it.get("date")),
        "published": _date_text(it.get("published")),
        "text": str(it.get("text") or ""),
        "href": article_href(aid),
        "title": str(it.get("title") or f"Untitled ({short_id(aid)})"),
        "extra": extra,
    }


@router.get("/entities/{kb_id}", response_class=HTMLResponse)
def entity_page(kb_id: str, request: Request) -> HTMLResponse:
    from newsgraph.web import data

    try:
        with data.reading(_db(request)) as store:
            found = data.entity_activity(store, kb_id, options=_options(request))
        if not found:
            raise NewsgraphError("E023", kb_id=kb_id)
    except NewsgraphError as exc:
        return error_response(request, _status(exc.code), exc.message, exc.code)
    ent = dict(found.get("entity") or {})
    name = str(ent.get("name") or kb_id)
    items = [_activity_item(it) for it in found.get("items") or []]
    return _render(
        request,
        "entity.html",
        page_title=name,
        name=name,
        kb_id=kb_id,
        etype=type_label(str(ent.get("type") or "OTHER")) if ent.get("type") else None,
        facts=_entity_facts(ent),
        items=items,
    )


# -- search ----------------------------------------------------------------------------


def mark_matches(text: str, q: str) -> Markup:
    """``text`` escaped, with every case-insensitive occurrence of ``q`` in ``<mark>``."""
    words = [w for w in q.split() if w]
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(str(escape(text[pos : m.start()])))
        out.append(f"<mark>{escape(m.group())}</mark>")
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


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
                items, total = data.search(store, q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        except NewsgraphError as exc:
            items, error = [], str(exc)
        for it in items:
            aid = str(it.get("article_id") or "")
            results.append(
                {
                    "kind": str(it.get("kind") or ""),
                    "href": article_href(aid),
                    "title": str(it.get("title") or f"Untitled ({short_id(aid)})"),
                    "published": _date_text(it.get("published")),
                    "text": mark_matches(str(it.get("text") or ""), q),
                }
            )
    return _render(
        request,
        "search.html",
        page_title=f"Search: {q}" if q else "Search",
        q=q,
        results=results,
        pager=_pager(request, page, total),
        error=error,
    )
