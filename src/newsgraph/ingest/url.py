"""Fetch one web page over http(s), guarded against server-side request forgery.

Every hop (the first request and each redirect) resolves its host once, refuses
non-public addresses unless ``Options.allow_private`` is set, and then connects to
the vetted address itself, so a second DNS answer cannot swap in another host.
Only the standard library is used; proxy environment variables are not honoured.

``Options.fetch_timeout`` is the deadline of the whole fetch: every hop's name lookup,
connect, TLS handshake, request, headers and body share it, and each socket operation
gets only the time that remains, so a server that sends one byte a second cannot hold
a fetch past it (E006, "the page did not arrive within N seconds"). The size cap
(``max_input_bytes``) is enforced while the body arrives, chunked or not, and again
while a compressed body is inflated.
"""

from __future__ import annotations

import codecs
import http.client
import io
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, urljoin, urlsplit

from ..errors import NewsgraphError, human_size
from ..options import Options
from ..report import Article
from .detect import article_from_bytes

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: Decides whether a resolved address may be contacted.
AddressPolicy = Callable[[IPAddress], bool]

HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES: Final = frozenset({"text/plain"})
REDIRECT_CODES: Final = frozenset({301, 302, 303, 307, 308})
_SCHEMES: Final = {"http": 80, "https": 443}
_CHUNK: Final = 64 * 1024
_NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")
_ACCEPT: Final = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"
# Characters kept as they are in a request target; everything else is %-escaped.
_TARGET_SAFE: Final = "!#$%&'()*+,/:;=?@[]~"

# family, type, proto, sockaddr: one getaddrinfo answer that passed the policy.
_SockAddr = tuple[int, int, int, tuple[Any, ...]]


@dataclass(frozen=True)
class Fetched:
    """A fetched page."""

    #: The final URL, after redirects.
    url: str
    #: Media type, lowercased, without parameters; "" when the server sent none.
    content_type: str
    #: The charset parameter of the Content-Type header, lowercased, if any.
    charset: str | None
    #: The body, with any gzip/deflate content encoding removed.
    body: bytes


def address_kind(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address (``"loopback"``, ``"private"``, ...), or None."""
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv4 wrapped in IPv6 (mapped, 6to4, NAT64) reaches the IPv4 host: judge that.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_kind(embedded)
    if ip.is_loopback:
        return "loopback"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "non-public"
    return None


def default_policy(options: Options) -> AddressPolicy:
    """The address policy ``options`` ask for: public addresses only, unless allow_private."""
    if options.allow_private:
        return lambda ip: True
    return lambda ip: address_kind(ip) is None


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """Split a Content-Type header into (media type, charset); ``""`` when absent or malformed."""
    if not value:
        return "", None
    media, *params = value.split(";")
    media = media.strip().lower()
    if media.count("/") != 1 or " " in media:
        media = ""
    charset = None
    for param in params:
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip().lower() or None
    return media, charset


def to_utf8(body: bytes, charset: str | None, *, html: bool | None) -> bytes:
    """Re-encode a body that is not UTF-8 from its declared ``charset`` to UTF-8.

    Bodies that already decode as UTF-8 (or start with a UTF-8 BOM) are returned
    unchanged, as are those whose charset is unknown or does not fit. A transcoded
    HTML body gets a leading ``<meta charset="utf-8">`` so a stale in-page
    declaration cannot override the header.
    """
    if not charset or not body or body.startswith(codecs.BOM_UTF8):
        return body
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    try:
        text = body.decode(codecs.lookup(charset).name)
    except (LookupError, UnicodeDecodeError):
        return body
    data = text.encode("utf-8")
    return b'<meta charset="utf-8">\n' + data if html else data


def fetch_url(url: str, *, options: Options, allow_address: AddressPolicy | None = None) -> Fetched:
    """Fetch ``url`` (E006, E007, E005, E011, E015 on failure), all of it, redirects
    included, within ``options.fetch_timeout`` seconds.

    ``allow_address`` replaces the policy built from ``options.allow_private``
    (for embedders with their own rules, and for tests).
    """
    allow = allow_address or default_policy(options)
    url = current = url.strip()
    deadline = time.monotonic() + options.fetch_timeout
    for _ in range(options.max_redirects + 1):
        result = _get(current, original=url, options=options, allow=allow, deadline=deadline)
        if isinstance(result, Fetched):
            return result
        current = result
    raise NewsgraphError(
        "E006", url=url, reason=f"too many redirects (more than {options.max_redirects})"
    )


def article_from_url(url: str, *, options: Options) -> Article:
    """Fetch ``url`` and extract its article; the article's url is the final URL."""
    fetched = fetch_url(url, options=options)
    ctype = fetched.content_type
    html = True if ctype in HTML_TYPES else False if ctype in TEXT_TYPES else None
    body = to_utf8(fetched.body, fetched.charset, html=html)
    article = article_from_bytes(body, options=options, where=url, url=fetched.url, html=html)
    if not article.url:
        article.url = fetched.url
    return article


# --------------------------------------------------------------------------- internals


class _Expired(TimeoutError):
    """The fetch's deadline passed."""


class _Deadline:
    """The moment a fetch must be done by; each socket operation gets what remains."""

    def __init__(self, at: float, seconds: float) -> None:
        self.at = at
        self.seconds = seconds

    def remaining(self) -> float:
        """Seconds left (more than zero), or :class:`_Expired`."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise _Expired(f"the page did not arrive within {self.seconds:g} seconds")
        return left

    def arm(self, sock: socket.socket) -> None:
        """Let the next blocking operation on ``sock`` take at most the time that remains."""
        sock.settimeout(self.remaining())


class _DeadlineReader(io.RawIOBase):
    """The response stream: each read from the socket gets only the time that remains,
    so buffered reads of many small pieces (a slow drip) still end at the deadline."""

    def __init__(self, owner: _DeadlineSocket) -> None:
        super().__init__()
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        sock = self._owner.sock
        self._owner.deadline.arm(sock)
        return sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._owner.release()


class _DeadlineSocket:
    """The socket http.client talks through: sends and reads share one deadline.

    Like a socket's own ``makefile``, a response stream keeps the socket open after the
    connection lets go of it (``Connection: close`` hands the socket to the response)."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self.sock = sock
        self.deadline = deadline
        self._streams = 0
        self._closing = False

    def sendall(self, data: bytes) -> None:
        self.deadline.arm(self.sock)
        self.sock.sendall(data)

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        if mode != "rb":  # pragma: no cover - http.client only reads through it
            raise ValueError(f"unsupported mode {mode!r}")
        self._streams += 1
        return io.BufferedReader(_DeadlineReader(self))

    def release(self) -> None:
        self._streams -= 1
        if self._closing and self._streams <= 0:
            self.sock.close()

    def close(self) -> None:
        self._closing = True
        if self._streams <= 0:
            self.sock.close()


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP(S) to already-vetted addresses; Host, SNI and certificate use the URL's name.
    Connecting, the TLS handshake and every send and read end at ``deadline``."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        addresses: list[_SockAddr],
        deadline: _Deadline,
        tls: ssl.SSLContext | None,
    ) -> None:
        super().__init__(host, port, timeout=deadline.seconds)
        self._addresses = addresses
        self._deadline = deadline
        self._tls = tls
        if tls is not None:
            self.default_port = 443  # so the Host header omits ":443"

    def connect(self) -> None:
        error: OSError = ConnectionError("no address to connect to")
        for family, type_, proto, sockaddr in self._addresses:
            sock = socket.socket(family, type_, proto)
            try:
                self._deadline.arm(sock)
                sock.connect(sockaddr)
                if self._tls is not None:
                    self._deadline.arm(sock)
                    sock = self._tls.wrap_socket(sock, server_hostname=self.host)
            except _Expired:
                sock.close()
                raise
            except ssl.SSLError:
                sock.close()
                raise  # a TLS failure on one address is not worth retrying on another
            except OSError as exc:
                sock.close()
                error = exc
                continue
            self.sock = _DeadlineSocket(sock, self._deadline)
            return
        raise error


def _fail(url: str, reason: str) -> NewsgraphError:
    return NewsgraphError("E006", url=url, reason=reason)


def _hop_url(url: str, original: str) -> str:
    return url if url == original else f"{url} (redirected from {original})"


def _lookup(host: str, port: int, deadline: _Deadline) -> list[Any]:
    """``getaddrinfo`` within the time that remains (it has no timeout of its own, so it
    runs in a helper thread that is left to finish on its own if the deadline passes)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:  # an address: nothing to look up, no thread needed
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    answer: list[Any] = []
    failure: list[BaseException] = []

    def resolve() -> None:
        try:
            answer.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the caller
            failure.append(exc)

    worker = threading.Thread(target=resolve, name="newsgraph-resolve", daemon=True)
    worker.start()
    worker.join(deadline.remaining())
    if worker.is_alive():
        deadline.remaining()  # raises _Expired once the time is up
        worker.join()  # pragma: no cover - join() returned early without the time being up
    if failure:
        raise failure[0]
    return answer


def _resolve(
    host: str, port: int, *, url: str, original: str, allow: AddressPolicy, deadline: _Deadline
) -> list[_SockAddr]:
    """Resolve once and vet every answer (E007 when any is refused)."""
    try:
        infos = _lookup(host, port, deadline)
    except socket.gaierror as exc:
        raise _fail(original, f"the host name {host} could not be resolved") from exc
    except (UnicodeError, ValueError) as exc:
        raise _fail(original, f"the host name {host} is not valid") from exc
    vetted: list[_SockAddr] = []
    for family, type_, proto, _name, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip = ipaddress.ip_address(str(sockaddr[0]))
        if not allow(ip):
            raise NewsgraphError(
                "E007",
                url=_hop_url(url, original),
                kind=address_kind(ip) or "public",
                address=str(ip),
            )
        vetted.append((family, type_, proto, tuple(sockaddr)))
    if not vetted:
        raise _fail(original, f"the host name {host} has no IP address")
    return vetted


def _reason(exc: BaseException, timeout: float) -> str:
    """A short plain reason for a network failure."""
    if isinstance(exc, TimeoutError):  # the deadline, whichever operation met it
        return f"the page did not arrive within {timeout:g} seconds"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"its TLS certificate could not be verified ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"the TLS connection failed ({exc.reason or exc.strerror or 'SSL error'})"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, http.client.IncompleteRead):
        return "the connection closed before the whole page arrived"
    if isinstance(exc, http.client.LineTooLong):
        return "the server sent an over-long header line"
    if isinstance(exc, http.client.HTTPException):
        return "the server did not answer with valid HTTP"
    if isinstance(exc, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(exc, ConnectionResetError):
        return "the connection was reset"
    if isinstance(exc, OSError):
        return (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
    return type(exc).__name__  # pragma: no cover


def _target(path: str, query: str) -> str:
    target = quote(path or "/", safe=_TARGET_SAFE)
    if query:
        target += "?" + quote(query, safe=_TARGET_SAFE)
    return target


def _too_large(where: str, size: str, options: Options) -> NewsgraphError:
    return NewsgraphError("E005", where=where, size=size, limit=human_size(options.max_input_bytes))


def _read_body(resp: http.client.HTTPResponse, *, where: str, options: Options) -> bytes:
    """The body as it arrives (plain, chunked or close-delimited), refused (E005) as soon
    as it passes ``max_input_bytes``."""
    limit = options.max_input_bytes
    chunks: list[bytes] = []
    total = 0
    while chunk := resp.read1(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise _too_large(where, f"at least {human_size(total)}", options)
        chunks.append(chunk)
    return b"".join(chunks)


def _decode_content(body: bytes, encoding: str, *, url: str, options: Options) -> bytes:
    """Undo a gzip/deflate Content-Encoding, capped at ``max_input_bytes``."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding in ("gzip", "x-gzip"):
        modes = [16 + zlib.MAX_WBITS]
    elif encoding == "deflate":
        modes = [zlib.MAX_WBITS, -zlib.MAX_WBITS]  # zlib-wrapped, or raw as some servers send
    else:
        raise _fail(url, f"the server used the unsupported content encoding '{encoding}'")
    limit = options.max_input_bytes
    for wbits in modes:
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(body, limit + 1)
        except zlib.error:
            continue
        if len(out) > limit:
            raise _too_large(url, f"more than {human_size(limit)} once decompressed", options)
        if inflater.eof:
            return out
    raise _fail(url, f"the {encoding}-compressed page is corrupt or truncated")


def _get(
    url: str, *, original: str, options: Options, allow: AddressPolicy, deadline: float
) -> Fetched | str:
    """One request, finished by ``deadline`` (a ``time.monotonic()`` value): the fetched
    page, or the URL a redirect points to."""
    hop = "" if url == original else f" (redirected to {url})"
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket
        raise _fail(original, f"the URL is malformed{hop}") from exc
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise NewsgraphError("E011", url=_hop_url(url, original))
    host = parts.hostname
    if not host:
        raise _fail(original, f"the URL has no host name{hop}")
    try:
        port = parts.port or _SCHEMES[scheme]
        if not host.isascii():
            host = host.encode("idna").decode("ascii")
    except ValueError as exc:  # bad port, or a host name IDNA cannot encode
        raise _fail(original, f"the URL has a malformed port or host name{hop}") from exc

    limit = _Deadline(deadline, options.fetch_timeout)
    try:
        addresses = _resolve(host, port, url=url, original=original, allow=allow, deadline=limit)
    except _Expired as exc:
        raise _fail(original, _reason(exc, options.fetch_timeout)) from exc
    tls = ssl.create_default_context() if scheme == "https" else None
    conn = _PinnedConnection(host, port, addresses=addresses, deadline=limit, tls=tls)
    headers = {
        "User-Agent": options.user_agent,
        "Accept": _ACCEPT,
        "Accept-Encoding": "identity",
        "Connection": "close",
    }
    resp: http.client.HTTPResponse | None = None
    try:
        conn.request("GET", _target(parts.path, parts.query), headers=headers)
        resp = conn.getresponse()
        status = resp.status
        if status in REDIRECT_CODES:
            location = resp.getheader("Location")
            if not location or not location.strip():
                raise _fail(original, f"HTTP {status} redirect without a Location header")
            try:
                return urljoin(url, location.strip())
            except ValueError as exc:
                raise _fail(original, f"HTTP {status} redirect to a malformed URL") from exc
        if not 200 <= status < 300:
            raise _fail(original, f"HTTP {status} {resp.reason or ''}".strip())
        ctype, charset = parse_content_type(resp.getheader("Content-Type"))
        if ctype and ctype not in HTML_TYPES | TEXT_TYPES:
            raise NewsgraphError("E015", url=_hop_url(url, original), ctype=ctype)
        length = (resp.getheader("Content-Length") or "").strip()
        if length.isascii() and length.isdigit() and int(length) > options.max_input_bytes:
            raise _too_large(original, human_size(int(length)), options)
        body = _read_body(resp, where=original, options=options)
        body = _decode_content(
            body, resp.getheader("Content-Encoding") or "", url=original, options=options
        )
    except NewsgraphError:
        raise
    except (OSError, http.client.HTTPException) as exc:
        raise _fail(original, _reason(exc, options.fetch_timeout)) from exc
    finally:
        if resp is not None:
            resp.close()
        conn.close()
    return Fetched(url=url, content_type=ctype, charset=charset, body=body)
