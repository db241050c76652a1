"""How the web app answers errors and writes: the status of each error code, the JSON
error body, whether a request wants a page, and the token check of writes. Shared by
the API (``app``), the pages (``pages``) and the request guard (``guard``)."""

from __future__ import annotations

import hmac
from typing import Final

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers

from ..errors import NewsgraphError

#: HTTP status of each error code the API can return (400 for any other input error).
STATUS: Final[dict[str, int]] = {
    "E005": 413,
    "E013": 503,
    "E014": 500,
    "E022": 404,
    "E023": 404,
    "E038": 404,
    "E039": 404,
    "E025": 422,
    "E026": 401,
    "E027": 403,
    "E029": 500,
    "E034": 400,
    "E035": 403,
    "E036": 504,
    "E037": 503,
    "E999": 500,
}


def status_for(code: str) -> int:
    """The HTTP status an error code is answered with."""
    return STATUS.get(code, 400)


def error_response(exc: NewsgraphError, status: int | None = None) -> JSONResponse:
    """``{"error": {"code", "message"}}`` with the status of its code (or ``status``)."""
    return JSONResponse(
        {"error": {"code": exc.code, "message": exc.message}},
        status_code=status or status_for(exc.code),
    )


def bearer_token(headers: Headers) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


def token_error(token: str | None, supplied: str | None) -> NewsgraphError | None:
    """None when a write may go ahead: the server has no token or ``supplied`` is it;
    else E026 (none supplied) or E027 (a wrong one)."""
    if not token:
        return None
    if not supplied:
        return NewsgraphError("E026")
    if not hmac.compare_digest(supplied.encode("utf-8"), token.encode("utf-8")):
        return NewsgraphError("E027")
    return None


def check_token(request: Request, supplied: str | None) -> None:
    """Allow a write when the server has no token or ``supplied`` is it.

    Raises :class:`NewsgraphError` E026 (answered 401) when a token is needed and
    none was given, E027 (403) when the one given is wrong. (Every write has passed
    the same check in :class:`~newsgraph.web.guard.RequestGuard` before it gets here.)
    """
    refused = token_error(request.app.state.token, supplied)
    if refused is not None:
        raise refused


def require_write(request: Request) -> None:
    """:func:`check_token` with the token of an ``Authorization: Bearer <token>`` header."""
    check_token(request, bearer_token(request.headers))


def wants_page(request: Request) -> bool:
    """A request for a page (not under /api) from a client that accepts HTML."""
    path = request.url.path
    if path.startswith("/api") or path in ("/docs", "/openapi.json", "/redoc"):
        return False
    return "text/html" in request.headers.get("accept", "")


__all__ = [
    "STATUS",
    "bearer_token",
    "check_token",
    "error_response",
    "require_write",
    "status_for",
    "token_error",
    "wants_page",
]
