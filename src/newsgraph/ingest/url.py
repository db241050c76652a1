"""Fetch one web page over http(s), guarded against server-side request forgery.

Every hop (the first request and each redirect) resolves its host once, refuses
non-public addresses unless ``Options.allow_private`` is set, and then connects to
the vetted address itself, so a second DNS answer cannot swap in another host.
Only the standard library is used; proxy environment variables are not honoured.
"""

from __future__ import annotations

import codecs
import http.client
import ipaddress
import socket
import ssl
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, urljoin, urlsplit

from ..errors import NewsgraphError, human_size
from ..options import Options
from ..report import Article
from .text import article_from_bytes

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
    """Fetch ``url`` (E006, E007, E005, E011, E015 on failure).

    ``allow_address`` replaces the policy built from ``options.allow_private``
    (for embedders with their own rules, and for tests).
    """
    allow = allow_address or default_policy(options)
    url = current = url.strip()
    for _ in range(options.max_redirects + 1):
        result = _get(current, original=url, options=options, allow=allow)
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


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP(S) to already-vetted addresses; Host, SNI and certificate use the URL's name."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        addresses: list[_SockAddr],
        timeout: float,
        tls: ssl.SSLContext | None,
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses
        self._tls = tls
        if tls is not None:
            self.default_port = 443  # so the Host header omits ":443"

    def connect(self) -> None:
        error: OSError = ConnectionError("no address to connect to")
        for family, type_, proto, sockaddr in self._addresses:
            sock = socket.socket(family, type_, proto)
            try:
                sock.settimeout(self.timeout)
                sock.connect(sockaddr)
                if self._tls is not None:
                    sock = self._tls.wrap_socket(sock, server_hostname=self.host)
            except ssl.SSLError:
                sock.close()
                raise  # a TLS failure on one address is not worth retrying on another
            except OSError as exc:
                sock.close()
                error = exc
                continue
            self.sock = sock
            return
        raise error


def _fail(url: str, reason: str) -> NewsgraphError:
    return NewsgraphError("E006", url=url, reason=reason)


def _hop_url(url: str, original: str) -> str:
    return url if url == original else f"{url} (redirected from {original})"


def _resolve(
    host: str, port: int, *, url: str, original: str, allow: AddressPolicy
) -> list[_SockAddr]:
    """Resolve once and vet every answer (E007 when any is refused)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
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
    if isinstance(exc, TimeoutError):
        return f"no answer within {timeout:g} seconds"
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
    limit = options.max_input_bytes
    chunks: list[bytes] = []
    total = 0
    while chunk := resp.read(_CHUNK):
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


def _get(url: str, *, original: str, options: Options, allow: AddressPolicy) -> Fetched | str:
    """One request: the fetched page, or the URL a redirect points to."""
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

    addresses = _resolve(host, port, url=url, original=original, allow=allow)
    tls = ssl.create_default_context() if scheme == "https" else None
    conn = _PinnedConnection(
        host, port, addresses=addresses, timeout=options.fetch_timeout, tls=tls
    )
    headers = {
        "User-Agent": options.user_agent,
        "Accept": _ACCEPT,
        "Accept-Encoding": "identity",
        "Connection": "close",
    }
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
        conn.close()
    return Fetched(url=url, content_type=ctype, charset=charset, body=body)
