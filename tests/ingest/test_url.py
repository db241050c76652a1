"""URL fetching against a real HTTP server on 127.0.0.1, plus the address guard.

Nothing here sends traffic anywhere but the loopback interface: refused addresses
are refused before any socket connects, which the ``no_connect`` fixture enforces.
"""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from newsgraph.errors import NewsgraphError
from newsgraph.ingest import read_sources
from newsgraph.ingest.url import (
    address_kind,
    article_from_url,
    fetch_url,
    parse_content_type,
    to_utf8,
)
from newsgraph.options import Options

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbour authority approves night-time ferry trials in Tallinn</title>
<meta property="og:site_name" content="Baltic Coastal Times">
<meta property="og:title" content="Harbour authority approves night-time ferry trials in Tallinn">
<meta property="article:published_time" content="2025-10-14T08:30:00+03:00">
</head>
<body>
<header><nav><ul>
<li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>
</ul></nav></header>
<main><article>
<h1>Harbour authority approves night-time ferry trials in Tallinn</h1>
<p class="byline">By Maria Kask, transport correspondent</p>
<p>The Port of Tallinn said on Tuesday that it had approved a six-month trial of night-time
passenger ferries between the Estonian capital and Helsinki, starting in the first week of
December.</p>
<p>Harbour master Jaan Tamm told reporters that the trial would add two crossings after
midnight on Fridays and Saturdays, and that the operator had agreed to cover the extra cost
of pilots and security staff.</p>
<p>"We expect about four hundred passengers on each late crossing, mostly people returning
from concerts and football matches," Tamm said, adding that the port would publish passenger
figures every month.</p>
<p>The Finnish transport agency welcomed the decision but warned that winter ice in the Gulf
of Finland could force the operator to cancel some of the crossings in January and
February.</p>
<p>Residents of the old town have complained about noise from the terminal, and the city
council said it would review the trial in May. Café owners near the quay said they hoped to
stay open later.</p>
</article></main>
<footer><p>© 2025 Baltic Coastal Times. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/contact">Contact us</a></p></footer>
</body>
</html>
"""
SENTENCE = "approved a six-month trial of night-time passenger ferries"
PLAIN = (
    "Ministers from the three Baltic states met in Riga on Monday to discuss a shared rail "
    "timetable.\n\nThe talks ended without agreement, officials said.\n"
)
LATIN1 = "Le café du port a rouvert jeudi après trois semaines de travaux.\n"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
HUGE = 200_000
SMALL = Options(allow_private=True, max_input_bytes=50_000)
LOCAL = Options(allow_private=True, fetch_timeout=5.0)


class Handler(BaseHTTPRequestHandler):
    """Routes of the test site; the server keeps the headers of every request."""

    server: Site

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def send(
        self, status: int, body: bytes = b"", ctype: str | None = None, **headers: str
    ) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers.items())))
        path = self.path.split("?")[0]
        route = ROUTES.get(path) or (_slow_hop if path.startswith("/hop/") else None)
        if route is None:
            self.send(404, b"<h1>Not Found</h1>", "text/html")
        else:
            route(self)


def _redirect(status: int, to: str) -> Callable[[Handler], None]:
    def go(h: Handler) -> None:
        target = to.replace("{base}", h.server.base)
        h.send(status, b"moved", "text/plain", Location=target)

    return go


def _stream_huge(h: Handler) -> None:
    # HTTP/1.0 without Content-Length: the body runs until the connection closes.
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.end_headers()
    for _ in range(HUGE // 1000):
        h.wfile.write(b"x" * 999 + b"\n")


def _slow(h: Handler) -> None:
    time.sleep(1.5)
    h.send(200, PLAIN.encode(), "text/plain")


#: How many bytes a drip route sends (one a second) before it gives up on the client.
DRIP_BYTES = 30


def _drip(h: Handler, data: bytes) -> None:
    for i in range(min(len(data), DRIP_BYTES)):
        try:
            h.wfile.write(data[i : i + 1])
            h.wfile.flush()
        except OSError:
            return  # the client hung up: what the deadline is for
        time.sleep(1.0)


def _drip_body(h: Handler) -> None:
    # Prompt headers, then a body of one byte a second: every read gets a byte in time.
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.send_header("Content-Length", str(DRIP_BYTES))
    h.end_headers()
    h.wfile.flush()
    _drip(h, b"x" * DRIP_BYTES)


def _drip_headers(h: Handler) -> None:
    # The status line, then header bytes one a second: the headers never finish in time.
    h.wfile.write(b"HTTP/1.0 200 OK\r\n")
    h.wfile.flush()
    _drip(h, b"X-Slow: " + b"y" * DRIP_BYTES)


def _slow_hop(h: Handler) -> None:
    # Each hop answers within a second, but a chain of them outlasts the deadline.
    n = int(h.path.rsplit("/", 1)[1])
    time.sleep(0.8)
    h.send(302, b"moved", "text/plain", Location=f"/hop/{n + 1}")


def _chunked(body: bytes, **headers: str) -> Callable[[Handler], None]:
    """An HTTP/1.1 chunked response without Content-Length, in 1000-byte chunks."""

    def go(h: Handler) -> None:
        h.protocol_version = "HTTP/1.1"
        h.close_connection = True
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Transfer-Encoding", "chunked")
        h.send_header("Connection", "close")
        for name, value in headers.items():
            h.send_header(name.replace("_", "-"), value)
        h.end_headers()
        try:
            for i in range(0, len(body), 1000):
                piece = body[i : i + 1000]
                h.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            h.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # refused mid-body: the client hung up

    return go


ROUTES: dict[str, Callable[[Handler], None]] = {
    "/article": lambda h: h.send(200, ARTICLE_HTML.encode(), "text/html; charset=utf-8"),
    "/xhtml": lambda h: h.send(200, ARTICLE_HTML.encode(), "application/xhtml+xml"),
    "/notype": lambda h: h.send(200, ARTICLE_HTML.encode()),
    "/plain": lambda h: h.send(200, PLAIN.encode(), "text/plain; charset=UTF-8"),
    "/latin1": lambda h: h.send(200, LATIN1.encode("latin-1"), 'text/plain; charset="ISO-8859-1"'),
    "/cp1252": lambda h: h.send(
        200,
        ARTICLE_HTML.replace('<meta charset="utf-8">', "").encode("cp1252"),
        "text/html; charset=windows-1252",
    ),
    "/gzip": lambda h: h.send(
        200, gzip.compress(ARTICLE_HTML.encode()), "text/html", Content_Encoding="gzip"
    ),
    "/brotli": lambda h: h.send(200, b"???", "text/html", Content_Encoding="br"),
    "/r1": _redirect(302, "/r2"),
    "/r2": _redirect(301, "{base}/r3"),
    "/r3": _redirect(307, "article"),
    "/loop": _redirect(302, "/loop"),
    "/no-location": lambda h: h.send(302, b"", "text/plain"),
    "/to-private": _redirect(302, "http://10.0.0.1/latest/meta-data/"),
    "/to-metadata": _redirect(303, "http://169.254.169.254/latest/meta-data/"),
    "/to-ftp": _redirect(302, "ftp://files.example.com/report.txt"),
    "/error": lambda h: h.send(500, b"oops", "text/plain"),
    "/huge": lambda h: h.send(200, b"y" * HUGE, "text/plain"),
    "/huge-stream": _stream_huge,
    "/pdf": lambda h: h.send(200, PDF, "application/pdf"),
    "/empty-nav": lambda h: h.send(
        200, b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html"
    ),
    "/slow": _slow,
    "/drip-body": _drip_body,
    "/drip-headers": _drip_headers,
    "/huge-chunked": _chunked(b"z" * HUGE),
    "/chunked": _chunked(PLAIN.encode()),
    "/gzip-bomb": lambda h: h.send(
        200, gzip.compress(b"\0" * HUGE), "text/plain", Content_Encoding="gzip"
    ),
    "/gzip-bomb-chunked": _chunked(gzip.compress(b"\0" * HUGE), Content_Encoding="gzip"),
}


class Site(ThreadingHTTPServer):
    daemon_threads = True
    requests: list[tuple[str, dict[str, str]]]
    base: str

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hang up mid-body on purpose (size cap, timeout)


class Site6(Site):
    address_family = socket.AF_INET6


@contextmanager
def _serve(address: tuple[str, int], family: socket.AddressFamily) -> Iterator[Site]:
    server = (Site6 if family == socket.AF_INET6 else Site)(address, Handler)
    server.requests = []
    host = address[0] if family == socket.AF_INET else f"[{address[0]}]"
    server.base = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with _serve(("127.0.0.1", 0), socket.AF_INET) as server:
        yield server


@pytest.fixture()
def connects(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record every socket connect; refuse any that is not to the loopback interface."""
    seen: list[Any] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        seen.append(address)
        ip = ipaddress.ip_address(str(address[0]).split("%")[0])
        assert ip.is_loopback, f"test tried to connect to {address}"
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


# ----------------------------------------------------------------- successful fetches


def test_html_article(site: Site, connects: list[Any]) -> None:
    url = f"{site.base}/article"
    article = article_from_url(url, options=LOCAL)
    assert SENTENCE in article.text
    assert "Café owners near the quay" in article.text
    assert "Privacy policy" not in article.text
    assert "Politics" not in article.text
    assert article.title == "Harbour authority approves night-time ferry trials in Tallinn"
    assert article.outlet == "Baltic Coastal Times"
    assert article.published == "2025-10-14"
    assert article.published_source == "metadata"
    assert article.url == url
    assert connects and all(addr[0] == "127.0.0.1" for addr in connects)


def test_request_headers(site: Site) -> None:
    options = LOCAL.replace(user_agent="newsgraph-test/1.0")
    fetch_url(f"{site.base}/plain?q=caf%C3%A9&x=1", options=options)
    path, headers = site.requests[-1]
    assert path == "/plain?q=caf%C3%A9&x=1"
    assert headers["Host"] == site.base.removeprefix("http://")
    assert headers["User-Agent"] == "newsgraph-test/1.0"
    assert headers["Accept-Encoding"] == "identity"


def test_fetched_fields(site: Site) -> None:
    fetched = fetch_url(f"{site.base}/plain", options=LOCAL)
    assert fetched.url == f"{site.base}/plain"
    assert fetched.content_type == "text/plain"
    assert fetched.charset == "utf-8"
    assert fetched.body == PLAIN.encode()


def test_plain_text_page(site: Site) -> None:
    article = article_from_url(f"{site.base}/plain", options=LOCAL)
    assert article.text == PLAIN
    assert article.url == f"{site.base}/plain"
    assert article.title is None


def test_plain_text_declared_latin1(site: Site) -> None:
    fetched = fetch_url(f"{site.base}/latin1", options=LOCAL)
    assert (fetched.content_type, fetched.charset) == ("text/plain", "iso-8859-1")
    assert article_from_url(f"{site.base}/latin1", options=LOCAL).text == LATIN1


def test_html_charset_from_header(site: Site) -> None:
    article = article_from_url(f"{site.base}/cp1252", options=LOCAL)
    assert "Café owners near the quay" in article.text


@pytest.mark.parametrize("path", ["/xhtml", "/notype", "/gzip"])
def test_other_html_deliveries(site: Site, path: str) -> None:
    article = article_from_url(site.base + path, options=LOCAL)
    assert SENTENCE in article.text
    assert article.title == "Harbour authority approves night-time ferry trials in Tallinn"


def test_missing_content_type_is_sniffed(site: Site) -> None:
    assert fetch_url(f"{site.base}/notype", options=LOCAL).content_type == ""


def test_redirect_chain(site: Site) -> None:
    fetched = fetch_url(f"{site.base}/r1", options=LOCAL)
    assert fetched.url == f"{site.base}/article"
    assert [p for p, _ in site.requests[-4:]] == ["/r1", "/r2", "/r3", "/article"]
    article = article_from_url(f"{site.base}/r1", options=LOCAL)
    assert article.url == f"{site.base}/article"
    assert SENTENCE in article.text


def test_redirect_limit_is_exact(site: Site) -> None:
    assert fetch_url(f"{site.base}/r1", options=LOCAL.replace(max_redirects=3)).body
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(f"{site.base}/r1", options=LOCAL.replace(max_redirects=2))
    assert exc.value.code == "E006"
    assert "too many redirects" in exc.value.message


def test_read_sources_with_url(site: Site) -> None:
    items = list(read_sources([f"{site.base}/article", f"{site.base}/missing"], options=LOCAL))
    assert [item.ok for item in items] == [True, False]
    assert items[0].article is not None and SENTENCE in items[0].article.text
    assert items[1].error is not None and items[1].error.code == "E006"


def test_ipv6_loopback_server() -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("cannot listen on ::1")
    with _serve(("::1", 0), socket.AF_INET6) as server:
        fetched = fetch_url(f"{server.base}/plain", options=LOCAL)
        assert fetched.body == PLAIN.encode()
        assert server.requests[-1][1]["Host"] == server.base.removeprefix("http://")


def test_name_resolved_once_and_pinned(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The connection goes to the address that was vetted; a second lookup never happens."""
    port = site.server_address[1]
    real = socket.getaddrinfo
    calls: list[str] = []

    def fake(host: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(host)
        if host == "news.rebind.test":
            if len(calls) > 1:  # a rebinding resolver would now answer 10.0.0.1
                raise AssertionError("host name resolved twice")
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    fetched = fetch_url(f"http://news.rebind.test:{port}/plain", options=LOCAL)
    assert fetched.body == PLAIN.encode()
    assert calls == ["news.rebind.test"]
    assert site.requests[-1][1]["Host"] == f"news.rebind.test:{port}"


# ------------------------------------------------------------------ fetch failures


def test_not_found(site: Site) -> None:
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(f"{site.base}/missing", options=LOCAL)
    assert exc.value.code == "E006"
    assert exc.value.fields["reason"] == "HTTP 404 Not Found"
    assert str(exc.value) == f"E006: could not fetch {site.base}/missing: HTTP 404 Not Found"


def test_server_error(site: Site) -> None:
    with pytest.raises(NewsgraphError, match="HTTP 500 Internal Server Error"):
        fetch_url(f"{site.base}/error", options=LOCAL)


def test_redirect_loop(site: Site) -> None:
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(f"{site.base}/loop", options=LOCAL)
    assert exc.value.code == "E006"
    assert "too many redirects" in str(exc.value.fields["reason"])
    assert len([p for p, _ in site.requests if p == "/loop"]) >= LOCAL.max_redirects + 1


def test_redirect_without_location(site: Site) -> None:
    with pytest.raises(NewsgraphError, match="without a Location"):
        fetch_url(f"{site.base}/no-location", options=LOCAL)


def test_redirect_to_other_scheme(site: Site) -> None:
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(f"{site.base}/to-ftp", options=LOCAL)
    assert exc.value.code == "E011"
    assert "ftp://files.example.com/report.txt" in exc.value.message


@pytest.mark.parametrize(
    ("path", "kind", "address"),
    [("/to-private", "private", "10.0.0.1"), ("/to-metadata", "link-local", "169.254.169.254")],
)
def test_redirect_to_forbidden_address(
    site: Site, connects: list[Any], path: str, kind: str, address: str
) -> None:
    """Loopback allowed (for the test server), everything non-public refused: each hop is vetted."""

    def loopback_or_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return ip.is_loopback or address_kind(ip) is None

    with pytest.raises(NewsgraphError) as exc:
        fetch_url(site.base + path, options=Options(), allow_address=loopback_or_public)
    err = exc.value
    assert err.code == "E007"
    assert (err.fields["kind"], err.fields["address"]) == (kind, address)
    assert f"redirected from {site.base}{path}" in err.message
    assert all(addr[0] == "127.0.0.1" for addr in connects)


def test_too_large_by_content_length(site: Site) -> None:
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(f"{site.base}/huge", options=SMALL)
    err = exc.value
    assert err.code == "E005"
    assert err.fields["size"] == "200.0 KB"
    assert err.fields["limit"] == "50.0 KB"
    assert f"{site.base}/huge" in err.message


def test_too_large_while_streaming(site: Site) -> None:
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(f"{site.base}/huge-stream", options=SMALL)
    assert exc.value.code == "E005"
    assert exc.value.fields["limit"] == "50.0 KB"
    # The same body fits once the limit allows it.
    body = fetch_url(f"{site.base}/huge-stream", options=LOCAL).body
    assert len(body) == HUGE


def test_unsupported_content_type(site: Site) -> None:
    with pytest.raises(NewsgraphError) as exc:
        article_from_url(f"{site.base}/pdf", options=LOCAL)
    assert exc.value.code == "E015"
    assert exc.value.fields["ctype"] == "application/pdf"


def test_unsupported_content_encoding(site: Site) -> None:
    with pytest.raises(NewsgraphError, match="content encoding 'br'"):
        fetch_url(f"{site.base}/brotli", options=LOCAL)


def test_page_without_main_text(site: Site) -> None:
    with pytest.raises(NewsgraphError) as exc:
        article_from_url(f"{site.base}/empty-nav", options=LOCAL)
    assert exc.value.code == "E004"


def test_timeout(site: Site) -> None:
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(f"{site.base}/slow", options=LOCAL.replace(fetch_timeout=0.3))
    assert exc.value.code == "E006"
    assert exc.value.fields["reason"] == "the page did not arrive within 0.3 seconds"


#: The deadline of the slow-drip tests, and how far past it a fetch may end.
DEADLINE, SLACK = 2.0, 0.75


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers", "/hop/0"])
def test_a_slow_drip_is_cut_at_the_deadline(site: Site, path: str) -> None:
    """One byte a second (in the body, or in the headers), or redirects that each take
    0.8 s: every socket read is answered in time, but the whole fetch has one deadline."""
    options = Options(allow_private=True, fetch_timeout=DEADLINE)
    started = time.monotonic()
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(site.base + path, options=options)
    elapsed = time.monotonic() - started
    print(f"{path}: cut after {elapsed:.2f} s (deadline {DEADLINE:g} s)")
    assert exc.value.code == "E006"
    assert exc.value.fields["reason"] == "the page did not arrive within 2 seconds"
    assert DEADLINE - 0.05 <= elapsed <= DEADLINE + SLACK, elapsed


def test_the_deadline_covers_the_whole_fetch_not_each_hop(site: Site) -> None:
    """Each hop alone is quick: with a roomy deadline the chain of 0.8 s hops ends at the
    redirect limit, not at a timeout (the test above cuts the same chain at 2 s)."""
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(f"{site.base}/hop/0", options=LOCAL.replace(max_redirects=1))
    assert "too many redirects" in exc.value.message  # each hop alone is quick enough


def test_chunked_page_is_read(site: Site) -> None:
    assert fetch_url(f"{site.base}/chunked", options=LOCAL).body == PLAIN.encode()


def test_too_large_chunked_without_content_length(site: Site) -> None:
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(f"{site.base}/huge-chunked", options=SMALL)
    assert exc.value.code == "E005"
    assert str(exc.value.fields["size"]).startswith("at least")
    assert len(fetch_url(f"{site.base}/huge-chunked", options=LOCAL).body) == HUGE


@pytest.mark.parametrize("path", ["/gzip-bomb", "/gzip-bomb-chunked"])
def test_compressed_body_is_capped_once_inflated(site: Site, path: str) -> None:
    """A small gzip body that inflates past the cap is refused, not inflated in full."""
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(site.base + path, options=SMALL)
    assert exc.value.code == "E005"
    assert "decompressed" in str(exc.value.fields["size"])
    assert len(fetch_url(site.base + path, options=LOCAL).body) == HUGE


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Nothing listens on the port any more.
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(f"http://127.0.0.1:{port}/", options=LOCAL)
    assert exc.value.code == "E006"
    assert exc.value.fields["reason"] == "the connection was refused"
    assert "Traceback" not in str(exc.value)


def test_tls_error_is_plain(site: Site) -> None:
    """https to a plain-HTTP server fails the TLS handshake: E006, not a traceback."""
    port = site.server_address[1]
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(f"https://127.0.0.1:{port}/plain", options=LOCAL)
    assert exc.value.code == "E006"
    assert "TLS" in str(exc.value.fields["reason"])


def test_unresolvable_host() -> None:
    with pytest.raises(NewsgraphError) as exc:
        fetch_url("http://no-such-host.invalid/", options=LOCAL)
    assert exc.value.code == "E006"
    assert "could not be resolved" in exc.value.message


@pytest.mark.parametrize(
    "url", ["http:///nohost", "http://example.com:99999/", "http://[::1/", "http://[zz]/"]
)
def test_malformed_url(url: str, connects: list[Any]) -> None:
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(url, options=Options())
    assert exc.value.code == "E006"
    assert not connects


# --------------------------------------------------------------------- address guard


@pytest.mark.parametrize(
    ("url", "kind", "address"),
    [
        ("http://127.0.0.1:{port}/article", "loopback", "127.0.0.1"),
        ("http://localhost/", "loopback", None),
        ("http://[::1]/", "loopback", "::1"),
        ("http://10.0.0.1/", "private", "10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "link-local", "169.254.169.254"),
        ("http://0.0.0.0:8080/", "unspecified", "0.0.0.0"),
        ("http://[::ffff:127.0.0.1]/", "loopback", "::ffff:7f00:1"),
        ("https://192.168.1.1/", "private", "192.168.1.1"),
        ("http://2130706433/", "loopback", "127.0.0.1"),
    ],
)
def test_forbidden_addresses_refused_before_connecting(
    site: Site, connects: list[Any], url: str, kind: str, address: str | None
) -> None:
    url = url.replace("{port}", str(site.server_address[1]))
    before = len(site.requests)
    with pytest.raises(NewsgraphError) as exc:
        article_from_url(url, options=Options())
    err = exc.value
    assert err.code == "E007"
    assert err.fields["kind"] == kind
    if address is not None:
        assert err.fields["address"] == address
    assert "--allow-private" in err.message
    assert connects == []
    assert len(site.requests) == before


def test_allow_private_reaches_loopback(site: Site) -> None:
    with pytest.raises(NewsgraphError, match="E007"):
        fetch_url(f"{site.base}/plain", options=Options())
    assert fetch_url(f"{site.base}/plain", options=Options(allow_private=True)).body


@pytest.mark.parametrize(
    "url", ["ftp://x", "file:///etc/passwd", "gopher://127.0.0.1/", "javascript:alert(1)"]
)
def test_unsupported_scheme(url: str, connects: list[Any]) -> None:
    with pytest.raises(NewsgraphError) as exc:
        fetch_url(url, options=Options(allow_private=True))
    assert exc.value.code == "E011"
    assert connects == []


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.9.9.9", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.0.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("2002:7f00:1::", "loopback"),
        ("8.8.8.8", None),
        ("::ffff:8.8.8.8", None),
        ("2001:4860:4860::8888", None),
        ("64:ff9b::808:808", None),
    ],
)
def test_address_kind(address: str, kind: str | None) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, ("", None)),
        ("", ("", None)),
        ("text/html", ("text/html", None)),
        ("Text/HTML; Charset=UTF-8", ("text/html", "utf-8")),
        ('text/plain; format=flowed; charset="iso-8859-1"', ("text/plain", "iso-8859-1")),
        ("garbage", ("", None)),
    ],
)
def test_parse_content_type(header: str | None, expected: tuple[str, str | None]) -> None:
    assert parse_content_type(header) == expected


def test_to_utf8() -> None:
    assert to_utf8("café".encode(), "iso-8859-1", html=False) == "café".encode()
    assert to_utf8("café".encode("latin-1"), "iso-8859-1", html=False) == "café".encode()
    assert to_utf8(b"caf\xe9", None, html=False) == b"caf\xe9"
    assert to_utf8(b"caf\xe9", "no-such-charset", html=False) == b"caf\xe9"
    assert to_utf8(b"caf\xe9", "latin-1", html=True).startswith(b'<meta charset="utf-8">')
