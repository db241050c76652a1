"""The FastAPI application: the REST API under ``/api`` and the pages router.

``create_app(db)`` builds it over one DuckDB file; ``newsgraph serve`` runs it with
uvicorn. Every error comes back as JSON ``{"error": {"code", "message"}}`` with a
fitting status, never a stack trace. When the server has a token, writes need it
(``Authorization: Bearer <token>`` for the API; the pages pass a form field to
:func:`check_token`).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import NewsgraphError, human_size
from ..options import Options
from ..store import Store
from . import data

log = logging.getLogger(__name__)

__all__ = [
    "STATUS",
    "AnalyzeRequest",
    "check_token",
    "create_app",
    "error_response",
    "is_loopback",
    "require_write",
    "status_for",
]

#: HTTP status of each error code the API can return (400 for any other input error).
STATUS: Final[dict[str, int]] = {
    "E005": 413,
    "E013": 503,
    "E014": 500,
    "E022": 404,
    "E023": 404,
    "E025": 422,
    "E026": 401,
    "E027": 403,
    "E999": 500,
}

_API_TAGS: Final[list[str | Enum]] = ["api"]


def status_for(code: str) -> int:
    """The HTTP status an error code is answered with."""
    return STATUS.get(code, 400)


def error_response(exc: NewsgraphError, status: int | None = None) -> JSONResponse:
    """``{"error": {"code", "message"}}`` with the status of its code (or ``status``)."""
    return JSONResponse(
        {"error": {"code": exc.code, "message": exc.message}},
        status_code=status or status_for(exc.code),
    )


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server on this machine."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_token(request: Request, supplied: str | None) -> None:
    """Allow a write when the server has no token or ``supplied`` is it.

    Raises :class:`NewsgraphError` E026 (answered 401) when a token is needed and
    none was given, E027 (403) when the one given is wrong.
    """
    token: str | None = request.app.state.token
    if not token:
        return
    if not supplied:
        raise NewsgraphError("E026")
    if not hmac.compare_digest(supplied.encode("utf-8"), token.encode("utf-8")):
        raise NewsgraphError("E027")


def require_write(request: Request) -> None:
    """:func:`check_token` with the token of an ``Authorization: Bearer <token>`` header."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    supplied = value.strip() if scheme.lower() == "bearer" else None
    check_token(request, supplied or None)


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


class _BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413 E005, before the app reads
    them: by Content-Length when given, else by counting as the body arrives."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _too_large(self, size: str) -> JSONResponse:
        exc = NewsgraphError("E005", where="request body", size=size, limit=human_size(self.limit))
        return error_response(exc)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"").strip()
        if length.isdigit() and int(length) > self.limit:
            await self._too_large(human_size(int(length)))(scope, receive, send)
            return
        # Read the whole body now (at most limit + 1 bytes), then replay it to the app.
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            total += len(body)
            if total > self.limit:
                await self._too_large(f"at least {human_size(total)}")(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _validation_reason(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts) or "the request could not be read"


def _wants_page(request: Request) -> bool:
    """A request for a page (not under /api) from a client that accepts HTML."""
    path = request.url.path
    if path.startswith("/api") or path in ("/docs", "/openapi.json", "/redoc"):
        return False
    return "text/html" in request.headers.get("accept", "")


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
        if _wants_page(request):  # a browser on a page path: the error page, not JSON
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


def create_app(db: Path, *, options: Options | None = None, token: str | None = None) -> FastAPI:
    """The web app over the DuckDB store at ``db`` (created empty when missing).

    ``app.state`` holds ``db`` (a :class:`~pathlib.Path`), ``options`` (the
    :class:`~newsgraph.options.Options` for analysis, including ``allow_private`` and
    ``max_input_bytes``, the request body limit) and ``token`` (None: writes are open).
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
        'of them. Errors are JSON: `{"error": {"code": "E0xx", "message": "..."}}`.',
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    app.state.db = db
    app.state.options = opts
    app.state.token = token or None
    _install_error_handlers(app)
    app.add_middleware(_BodyLimit, limit=opts.max_input_bytes)

    @app.post("/api/analyze", tags=_API_TAGS, responses={**_ERRORS, 413: {}, 401: {}, 403: {}})
    def analyze(request: Request, body: AnalyzeRequest) -> JSONResponse:
        """Analyse one article into a report (the JSON contract); with `store: true` also
        store it (when the server has a token, send `Authorization: Bearer <token>`)."""
        if body.store:
            require_write(request)
        report = data.analyze_and_store(
            request.app.state.db,
            body.article_input(),
            body.published,
            body.store,
            request.app.state.options,
        )
        return JSONResponse(report.to_dict())

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
        q: Annotated[str, Query(min_length=1, description="Words to find (any case).")],
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Substring search over titles, quotes and claims: `{"items": [...], "total": N}`."""
        with data.reading(request.app.state.db) as store:
            items, total = data.search(store, q, limit=limit, offset=offset)
        return {"items": items, "total": total}

    from . import pages

    app.include_router(pages.router)
    return app
