"""The FastAPI application: the REST API under ``/api`` and the pages router.

``create_app(db)`` builds it over one DuckDB file; ``newsgraph serve`` runs it with
uvicorn. Every error comes back as JSON ``{"error": {"code", "message"}}`` with a
fitting status, never a stack trace.

Before any route runs, :class:`~newsgraph.web.guard.RequestGuard` checks the Host
header (E034), the origin of writes (E035), the token of writes when the server has
one (``Authorization: Bearer <token>``, or the pages' ``token`` form field; E026/E027)
and the body size (E005). Analyses run in worker processes
(:class:`~newsgraph.web.workers.AnalysisPool`, started and stopped with the app's
lifespan); the analyse endpoints await them, so reads are never queued behind them.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import anyio.to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import NewsgraphError
from ..options import Options
from ..store import Store
from . import data
from .guard import HostPolicy, RequestGuard, is_loopback, is_wildcard
from .responses import (
    STATUS,
    check_token,
    error_response,
    require_write,
    status_for,
    wants_page,
)
from .workers import AnalysisPool

log = logging.getLogger(__name__)

__all__ = [
    "STATUS",
    "AnalyzeRequest",
    "allowed_hosts_for",
    "check_token",
    "create_app",
    "error_response",
    "is_loopback",
    "require_write",
    "status_for",
    "wants_page",
]

_API_TAGS: Final[list[str | Enum]] = ["api"]


def allowed_hosts_for(bind: str, names: Iterable[str] = ()) -> list[str]:
    """The host names a server bound to ``bind`` answers to besides loopback ones:
    ``names`` (``--allowed-host``) and ``bind`` itself unless it is a wildcard
    (``0.0.0.0``, ``::``)."""
    found = [n.strip() for n in names if n.strip()]
    if not is_wildcard(bind) and not is_loopback(bind):
        found.append(bind.strip())
    return found


class AnalyzeRequest(BaseModel):
    """The body of ``POST /api/analyze``: exactly one of ``text``, ``html`` or ``url``."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="Plain article text.")
    html: str | None = Field(None, description="An HTML page; its main text is extracted.")
    url: str | None = Field(
        None,
        description="An http(s) URL to fetch; private and loopback addresses are refused "
        "unless the server runs with --allow-private.",
    )
    published: str | None = Field(
        None, description="Publication date (YYYY-MM-DD), the anchor for relative dates."
    )
    store: bool = Field(False, description="Also store the report (needs the token, if any).")

    @model_validator(mode="after")
    def _exactly_one_source(self) -> AnalyzeRequest:
        given = [n for n in ("text", "html", "url") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url")
        return self

    def article_input(self) -> data.ArticleInput:
        for kind in ("text", "html", "url"):
            value = getattr(self, kind)
            if value is not None:
                return data.as_input({kind: value})
        raise ValueError("no article given")  # pragma: no cover - validated above


class ActorItemKind(StrEnum):
    event = "event"
    quote = "quote"
    claim = "claim"


def _validation_reason(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts) or "the request could not be read"


def _install_error_handlers(app: FastAPI) -> None:
    async def on_newsgraph(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, NewsgraphError)
        return error_response(exc)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return error_response(NewsgraphError("E025", reason=_validation_reason(exc)))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        reason = exc.detail if isinstance(exc.detail, str) else "see the status"
        err = NewsgraphError(
            "E024",
            method=request.method,
            path=request.url.path,
            status=exc.status_code,
            reason=reason,
        )
        response: Response
        if wants_page(request):  # a browser on a page path: the error page, not JSON
            from . import pages

            response = pages.error_response(request, exc.status_code, err.message, err.code)
        else:
            response = error_response(err, exc.status_code)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def on_anything(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(NewsgraphError("E999", reason=type(exc).__name__), 500)

    app.add_exception_handler(NewsgraphError, on_newsgraph)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_anything)


_ERRORS: Final[dict[int | str, dict[str, Any]]] = {
    400: {"description": 'Bad input: `{"error": {"code": "E0xx", "message": ...}}`'},
    422: {"description": "The request does not match the schema (E025)"},
}

Limit = Annotated[int, Query(ge=0, le=data.MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Items to skip.")]


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The analysis workers live as long as the app serves."""
    pool: AnalysisPool = app.state.pool
    pool.start()
    try:
        yield
    finally:
        await anyio.to_thread.run_sync(pool.stop)


def create_app(
    db: Path,
    *,
    options: Options | None = None,
    token: str | None = None,
    allowed_hosts: Iterable[str] = (),
) -> FastAPI:
    """The web app over the DuckDB store at ``db`` (created empty when missing).

    ``app.state`` holds ``db`` (a :class:`~pathlib.Path`), ``options`` (the
    :class:`~newsgraph.options.Options` for analysis, including ``allow_private``,
    ``max_input_bytes`` (the request body limit) and the worker settings
    ``analysis_workers``, ``analysis_timeout``, ``max_pending_analyses``), ``token``
    (None: writes are open), ``hosts`` (the :class:`~newsgraph.web.guard.HostPolicy`:
    loopback names plus ``allowed_hosts``) and ``pool`` (the
    :class:`~newsgraph.web.workers.AnalysisPool`, started and stopped with the app's
    lifespan, or on first use by a server that sends no lifespan events).
    """
    from .. import __version__

    db = Path(db)
    opts = options or Options()
    if not db.exists():
        Store.open(db).close()
    app = FastAPI(
        title="newsgraph",
        version=__version__,
        description="Analyse news articles into evidence-linked reports and browse a store "
        'of them. Errors are JSON: `{"error": {"code": "E0xx", "message": "..."}}`. '
        "When the server has a token, every write (every method but GET, HEAD and OPTIONS) "
        "needs `Authorization: Bearer <token>`.",
        # /docs is our own page below (the vendored Swagger UI, no CDN, no inline
        # script); the API declares no OAuth2 flow, so no /docs/oauth2-redirect either.
        docs_url=None,
        swagger_ui_oauth2_redirect_url=None,
        openapi_url="/openapi.json",
        redoc_url=None,
        lifespan=_lifespan,
    )
    hosts = HostPolicy(allowed_hosts)
    app.state.db = db
    app.state.options = opts
    app.state.token = token or None
    app.state.hosts = hosts
    app.state.pool = AnalysisPool(opts)
    _install_error_handlers(app)
    app.add_middleware(RequestGuard, hosts=hosts, limit=opts.max_input_bytes)

    @app.post(
        "/api/analyze",
        tags=_API_TAGS,
        responses={**_ERRORS, 401: {}, 403: {}, 413: {}, 500: {}, 503: {}, 504: {}},
    )
    async def analyze(request: Request, body: AnalyzeRequest) -> Response:
        """Analyse one article into a report (the JSON contract); with `store: true` also
        store it. When the server has a token, send `Authorization: Bearer <token>`.
        The analysis runs in a worker process: 504 (E036) when it takes longer than
        `analysis_timeout`, 503 (E037) when too many analyses already wait."""
        if body.store:
            require_write(request)
        state = request.app.state
        article_input, published = data.check_request(
            body.article_input(), body.published, state.options
        )
        done = await state.pool.analyze(article_input.kind, article_input.value, published)
        if body.store:
            await run_in_threadpool(
                data.store_report, state.db, done.report, data.origin_of(article_input)
            )
        return Response(done.body, media_type="application/json")

    @app.get("/api/articles", tags=_API_TAGS, responses=_ERRORS)
    def articles(
        request: Request,
        limit: Limit = 50,
        offset: Offset = 0,
        outlet: Annotated[str | None, Query(description="Outlet name (any case).")] = None,
        since: Annotated[
            str | None, Query(description="Published on or after (YYYY-MM-DD).")
        ] = None,
        until: Annotated[
            str | None, Query(description="Published on or before (YYYY-MM-DD).")
        ] = None,
        flag: Annotated[str | None, Query(description="Has a flag with this code.")] = None,
        entity: Annotated[str | None, Query(description="Names this KB id or entity name.")] = None,
    ) -> dict[str, Any]:
        """Stored articles, newest first, one page at a time: `{"items": [...], "total": N}`."""
        with data.reading(request.app.state.db) as store:
            items, total = data.list_articles(
                store,
                outlet=outlet,
                since=since,
                until=until,
                flag=flag,
                entity=entity,
                limit=limit,
                offset=offset,
            )
        return {"items": items, "total": total}

    @app.get("/api/articles/{article_id}", tags=_API_TAGS, responses={404: {}})
    def article(request: Request, article_id: str) -> JSONResponse:
        """The stored report of one article (its id, or a unique prefix of 6+ hex digits)."""
        with data.reading(request.app.state.db) as store:
            report = data.get_report(store, article_id)
        if report is None:
            raise NewsgraphError("E022", id=article_id)
        return JSONResponse(report.to_dict())

    @app.get("/api/entities/{kb_id}", tags=_API_TAGS, responses={404: {}})
    def entity(request: Request, kb_id: str) -> dict[str, Any]:
        """Everything the stored articles say about one entity (mentions, its quotes,
        events it is source or target of), by date, with the knowledge base's facts."""
        with data.reading(request.app.state.db) as store:
            found = data.entity_activity(store, kb_id, options=request.app.state.options)
        if found is None:
            raise NewsgraphError("E023", kb_id=kb_id)
        return found

    @app.get("/api/search", tags=_API_TAGS, responses=_ERRORS)
    def search_(
        request: Request,
        q: Annotated[
            str,
            Query(
                min_length=1,
                max_length=data.MAX_QUERY,
                description="Words to find (any case, any accents; taken literally).",
            ),
        ],
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Search the store: `{"items": [...], "total": N}`. First the entities known by
        `q` (any KB name, alias or spelling, a stored name or mention; `kind: "entity"`,
        with `kb_id`, `type`, `articles`, `mentions`), then, newest article first, titles,
        quotes, claims, events and flags holding `q`, each with its span (`start`, `end`)
        in the article text."""
        with data.reading(request.app.state.db) as store:
            items, total = data.search(
                store, q, limit=limit, offset=offset, options=request.app.state.options
            )
        return {"items": items, "total": total}

    @app.get(
        "/api/entities",
        tags=_API_TAGS,
        responses={
            **_ERRORS,
            200: {
                "description": '`{"items": [...], "total": N}`, or with `format=csv` '
                "the rows as CSV with a header row",
                "content": {"application/json": {}, "text/csv": {}},
            },
        },
    )
    def entities(
        request: Request,
        etype: Annotated[
            str | None,
            Query(
                alias="type",
                max_length=100,
                description="Only entities of this type (`PERSON`, `COUNTRY`, ...; any case).",
            ),
        ] = None,
        q: Annotated[
            str | None,
            Query(
                max_length=data.MAX_QUERY,
                description="Only entities with this in a name, or known by it to the "
                "knowledge base (any case, any accents).",
            ),
        ] = None,
        sort: Annotated[
            Literal["articles", "mentions", "events", "name"],
            Query(description="Most articles, mentions or events first, or by name."),
        ] = "articles",
        fmt: Annotated[
            Literal["json", "csv"], Query(alias="format", description="`json` or `csv`.")
        ] = "json",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        """Every entity in the store, one row per KB id (an entity without one: per name
        and type), with `kb_id`, `name`, `type` and how many `articles`, `mentions`,
        `events` (as source or target) and `quotes` (as speaker) it has."""
        with data.reading(request.app.state.db) as store:
            items, total = data.list_entities(
                store,
                type=etype,
                q=q,
                sort=sort,
                limit=limit,
                offset=offset,
                options=request.app.state.options,
            )
        if fmt == "json":
            return JSONResponse({"items": items, "total": total})
        from .workspace import csv_download

        rows = ([item[k] for k in data.ENTITY_FIELDS] for item in items)
        return csv_download(data.ENTITY_FIELDS, rows, "entities.csv", total)

    @app.get("/api/stories", tags=_API_TAGS, responses=_ERRORS)
    def stories(
        request: Request,
        limit: Limit = 50,
        offset: Offset = 0,
        contains: Annotated[
            str | None, Query(description="Only stories whose title holds these words.")
        ] = None,
        min_articles: Annotated[
            int, Query(ge=1, description="Only stories with at least this many articles.")
        ] = 1,
        fmt: Annotated[
            Literal["json", "csv"],
            Query(alias="format", description="`json` (one page) or `csv` (every story)."),
        ] = "json",
    ) -> Any:
        """The corpus's stories, the latest first: `{"items": [...], "total": N}`. Each has
        its id, title, first and last day, articles (copies folded), copies, outlets,
        and how many claim links corroborate or contradict within it. With `format=csv`
        every story the filter keeps, one row each."""
        from .workspace import stories_csv

        with data.reading(request.app.state.db) as store:
            if fmt == "csv":
                found, total = data.list_stories_page(
                    store, contains=contains, min_articles=min_articles, limit=None, offset=0
                )
                return stories_csv(found, total)
            items, total = data.list_stories_page(
                store, contains=contains, min_articles=min_articles, limit=limit, offset=offset
            )
        return {"items": items, "total": total}

    @app.get("/api/stories/{story_id}", tags=_API_TAGS, responses={404: {}})
    def story(request: Request, story_id: str) -> dict[str, Any]:
        """One story: its articles (with `duplicate_of`) and articles by outlet, its actors,
        its timeline merged from its articles (each entry with its sources), its claims
        with `corroborated_by` / `contradicted_by` (each link with both spans and why),
        and the quotes several articles carry, each with its carriers."""
        with data.reading(request.app.state.db) as store:
            found = data.story_detail(store, story_id)
        if found is None:
            raise NewsgraphError("E039", story=story_id)
        return found

    @app.get("/api/actors/{actor}", tags=_API_TAGS, responses={**_ERRORS, 404: {}})
    def actor(
        request: Request,
        actor: str,
        kind: Annotated[
            list[ActorItemKind] | None,
            Query(description="Only these kinds of items (repeat for several)."),
        ] = None,
        limit: Limit = 200,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """An actor's timeline across the corpus, by QID (`Q43`), `ngkb:` id, name or any
        alias: every dated event, quote and claim in time order, each with its article,
        outlet, story and span, a page at a time (`total` says how many in all). Copies
        of one article count once."""
        kinds = tuple(k.value for k in kind) if kind else ("event", "quote", "claim")
        with data.reading(request.app.state.db) as store:
            return data.actor_detail(
                store,
                actor,
                options=request.app.state.options,
                kinds=kinds,
                limit=limit,
                offset=offset,
            )

    from . import pages

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        """The OpenAPI docs: Swagger UI from ``static/vendor/swagger-ui`` started by
        ``static/swagger-init.js``, under the pages' Content-Security-Policy, offline."""
        from markupsafe import escape

        css = escape(pages.static_url("vendor/swagger-ui/swagger-ui.css"))
        bundle = escape(pages.static_url("vendor/swagger-ui/swagger-ui-bundle.js"))
        init = escape(pages.static_url("swagger-init.js"))
        spec = escape(app.openapi_url or "/openapi.json")
        page = (
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(app.title)} API - Swagger UI</title>\n"
            '<link rel="icon" href="data:,">\n'  # as the pages: no /favicon.ico request
            f'<link rel="stylesheet" href="{css}">\n</head>\n<body>\n'
            f'<div id="swagger-ui" data-openapi-url="{spec}"></div>\n'
            f'<script src="{bundle}"></script>\n<script src="{init}"></script>\n'
            "</body>\n</html>\n"
        )
        headers = {
            "Content-Security-Policy": pages.CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
        }
        return Response(page, media_type="text/html; charset=utf-8", headers=headers)

    from . import workspace

    app.include_router(workspace.api_router)
    app.include_router(workspace.router)
    app.include_router(pages.router)
    return app
