"""What a request must pass before the app sees it: the Host, the Origin, the token and
the size of the body.

:class:`RequestGuard` is one ASGI middleware, checking in this order:

1. every request: the ``Host`` header names this server: a loopback name (``localhost``,
   ``*.localhost``, ``127.0.0.0/8``, ``[::1]``), any port, or a name the server was
   started with (``--allowed-host``, and the address it binds to). Anything else is
   E034 (400): a page on another site that rebinds its DNS name to 127.0.0.1 cannot
   read the store.
2. every write (any method but GET, HEAD and OPTIONS): no ``Origin: null``, no
   ``Origin`` whose host is not one of those names, no ``Sec-Fetch-Site: cross-site``:
   E035 (403), so another site cannot post a form to a server on this machine.
3. every write, when the server has a token: ``Authorization: Bearer <token>``, or a
   ``token`` field in a posted form (the pages' analyse form): E026 (401) without it,
   E027 (403) with a wrong one. This covers every route, present or future.
4. every write: a body of at most ``max_input_bytes`` (E005, 413), by Content-Length
   when given, else counted as it arrives; the body is read whole and replayed to the app.

A refused request gets the API's JSON error, a browser asking for a page (not under
``/api``, ``Accept: text/html``) the HTML error page, and the analyse form the home
page with the error and what was typed.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Final
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import NewsgraphError, human_size
from .responses import bearer_token, error_response, status_for, token_error, wants_page

__all__ = [
    "SAFE_METHODS",
    "HostPolicy",
    "RequestGuard",
    "bearer_token",
    "is_loopback",
    "is_wildcard",
    "normalise_host",
    "split_host",
    "token_error",
]

#: Methods that only read; every other method is a write.
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
_HOST: Final = re.compile(
    r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::(?P<port>[0-9]{1,5}))?\Z"
)
_FORMS: Final = ("application/x-www-form-urlencoded", "multipart/form-data")
#: How much of a refused host or origin the error repeats.
_SHOWN: Final = 100


def normalise_host(name: str) -> str:
    """A host name or address as compared: lowercase, without IPv6 brackets or a final dot."""
    name = name.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    return name[:-1] if name.endswith(".") and not name.endswith("..") else name


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or address) stays on this machine: ``localhost``,
    ``*.localhost``, ``127.0.0.0/8`` or ``::1``."""
    name = normalise_host(host)
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """Whether binding to ``host`` listens on every address (``0.0.0.0``, ``::``, empty)."""
    name = normalise_host(host)
    if not name:
        return True
    try:
        return ipaddress.ip_address(name).is_unspecified
    except ValueError:
        return False


def split_host(value: str) -> tuple[str, int | None] | None:
    """A ``Host`` header (``name``, ``name:port``, ``[v6]:port``) as (name, port), the
    name normalised; None when it is not one."""
    found = _HOST.match(value.strip())
    if found is None:
        return None
    port = int(found["port"]) if found["port"] else None
    if port is not None and port > 65535:
        return None
    if found["v6"] is not None:
        try:
            ipaddress.IPv6Address(found["v6"])
        except ValueError:
            return None
        return normalise_host(found["v6"]), port
    return normalise_host(found["name"]), port


class HostPolicy:
    """The host names a server answers to: loopback names, plus ``allowed``."""

    def __init__(self, allowed: Iterable[str] = ()) -> None:
        self.names = frozenset(n for n in (normalise_host(a) for a in allowed) if n)

    def allows(self, name: str) -> bool:
        """Whether a (normalised) host name is this server's."""
        return is_loopback(name) or name in self.names

    def allows_origin(self, origin: str) -> bool:
        """Whether an ``Origin`` header is one of this server's names (any port), with an
        http(s) scheme. ``null`` (a sandboxed or opaque origin) never is."""
        try:
            parts = urlsplit(origin.strip())
            host = parts.hostname
        except ValueError:
            return False
        if parts.scheme.lower() not in ("http", "https") or not host:
            return False
        if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
            return False
        return self.allows(normalise_host(host))


def _shown(value: str) -> str:
    value = "".join(c if c.isprintable() else "?" for c in value.strip())
    return value if len(value) <= _SHOWN else value[: _SHOWN - 3] + "..."


def _is_form(headers: Headers) -> bool:
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    return ctype in _FORMS


class RequestGuard:
    """The checks of the module docstring, as ASGI middleware around the app.

    ``hosts`` are the names beyond loopback the server answers to; the token is read
    from ``app.state.token`` at each request; ``limit`` is the largest body in bytes.
    """

    def __init__(self, app: ASGIApp, *, hosts: HostPolicy, limit: int) -> None:
        self.app = app
        self.hosts = hosts
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refused = self._check_host(scope, headers)
        method = str(scope.get("method", "GET")).upper()
        if refused is None and method not in SAFE_METHODS:
            refused = self._check_origin(method, headers)
        if refused is not None:
            await self._refuse(scope, receive, send, refused)
            return
        if method in SAFE_METHODS:
            await self.app(scope, receive, send)
            return

        token: str | None = getattr(scope["app"].state, "token", None) if "app" in scope else None
        supplied = bearer_token(headers)
        from_form = bool(token) and supplied is None and _is_form(headers)
        if token and not from_form:  # decided before reading any of the body
            refused = token_error(token, supplied)
            if refused is not None:
                await self._refuse(scope, receive, send, refused)
                return

        length = headers.get("content-length", "").strip()
        if length.isascii() and length.isdigit() and int(length) > self.limit:
            too_large = NewsgraphError(
                "E005", where="request body", size=human_size(int(length)), limit=self._limit()
            )
            await self._refuse(scope, receive, send, too_large)
            return
        body = await self._read_body(receive)
        if isinstance(body, NewsgraphError):
            await self._refuse(scope, receive, send, body)
            return
        if body is None:  # the client went away
            return

        form: Mapping[str, str] | None = None
        if from_form:
            form = await _parse_form(scope, body)
            refused = token_error(token, form.get("token") or None)
            if refused is not None:
                await self._refuse(scope, receive, send, refused, form)
                return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _limit(self) -> str:
        return human_size(self.limit)

    def _check_host(self, scope: Scope, headers: Headers) -> NewsgraphError | None:
        value = headers.get("host")
        if value is None:  # HTTP/1.0 without Host: the address the request came in on
            server = scope.get("server")
            name = normalise_host(str(server[0])) if server else ""
            return None if name and self.hosts.allows(name) else _host_error(name)
        parsed = split_host(value)
        if parsed is None or not self.hosts.allows(parsed[0]):
            return _host_error(parsed[0] if parsed else value)
        return None

    def _check_origin(self, method: str, headers: Headers) -> NewsgraphError | None:
        origin = headers.get("origin")
        if origin is not None and not self.hosts.allows_origin(origin):
            return NewsgraphError("E035", method=method, origin=_shown(origin) or "null")
        if headers.get("sec-fetch-site", "").strip().lower() == "cross-site":
            return NewsgraphError("E035", method=method, origin=_shown(origin or "another site"))
        return None

    async def _read_body(self, receive: Receive) -> bytes | NewsgraphError | None:
        """The whole body (at most ``limit`` bytes), E005 past it, None on a disconnect."""
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            piece = message.get("body", b"")
            total += len(piece)
            if total > self.limit:
                return NewsgraphError(
                    "E005",
                    where="request body",
                    size=f"at least {human_size(total)}",
                    limit=self._limit(),
                )
            chunks.append(piece)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        exc: NewsgraphError,
        form: Mapping[str, str] | None = None,
    ) -> None:
        response = await refusal(Request(scope), exc, form)
        await response(scope, receive, send)


def _host_error(name: str) -> NewsgraphError:
    return NewsgraphError("E034", host=_shown(name) or "(none)")


async def _parse_form(scope: Scope, body: bytes) -> dict[str, str]:
    """The text fields of a posted form (an unreadable form has none)."""
    sent = False

    async def once() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    request = Request(scope, once)
    try:
        data: FormData = await request.form()
    except Exception:  # malformed: no fields, so no token
        return {}
    try:
        return {k: v for k, v in data.multi_items() if isinstance(v, str)}
    finally:
        await data.close()


async def refusal(
    request: Request, exc: NewsgraphError, form: Mapping[str, str] | None = None
) -> Response:
    """The answer to a refused request: the analyse form's page again (with the error and
    what was typed), the HTML error page for a browser asking for a page, else JSON."""
    from . import pages

    status = status_for(exc.code)
    if form is not None and request.url.path == "/analyze":
        return await run_in_threadpool(pages.refused_form, request, exc, dict(form))
    if wants_page(request):
        return pages.error_response(request, status, exc.message, exc.code)
    return error_response(exc)
