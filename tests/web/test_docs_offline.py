"""``/docs`` works offline: the vendored Swagger UI, under the pages' strict CSP.

The first tests use a TestClient over an empty store: the page, the CSP header, that
every asset it names is one of ours and is served with its type, and that the static
route serves sub-paths of ``static/`` without ever leaving it. The last test opens
``/docs`` on a real server in Debian's Chromium (``/usr/bin/chromium``) with every
request to another host aborted and recorded, and waits for the operations to render.
Without Chromium or Playwright that test skips, except under CI (``CI`` set).
"""

from __future__ import annotations

import glob
import hashlib
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import anyio
import pytest
from fastapi.testclient import TestClient

from conftest import ROOT
from newsgraph.web import pages

from .conftest import live_server, make_client
from .test_browser import SCREENSHOTS, browser  # noqa: F401  (the module's Chromium)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Route

VENDOR = pages.STATIC / "vendor"
SWAGGER = VENDOR / "swagger-ui"
PACKAGE = ROOT / "src" / "newsgraph"
#: Content types by suffix, as the static route must send them.
TYPES = {".css": "text/css", ".js": "text/javascript", ".txt": "text/plain"}
STEP_TIMEOUT_MS = 15_000


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each <script>/<style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.inline.append((self._open, data))


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


def _asset_urls(html: str) -> list[str]:
    """Every URL the page loads: script src, link href, img src ..."""
    return [
        value
        for _, attrs in _parse(html).tags
        for name, value in attrs.items()
        if name in ("src", "href") and value
    ]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """An app over an empty store (no analysis: its worker pool is never started)."""
    return make_client(tmp_path_factory.mktemp("docs") / "empty.duckdb")


# -- the page --------------------------------------------------------------------------


def test_docs_is_an_html_page_under_the_pages_csp(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == pages.CSP
    assert "'unsafe-inline'" not in pages.CSP and "'unsafe-eval'" not in pages.CSP
    assert r.headers["x-content-type-options"] == "nosniff"


def test_docs_has_no_inline_script_style_or_handler(client: TestClient) -> None:
    p = _parse(client.get("/docs").text)
    assert not p.inline, p.inline
    assert not [t for t, _ in p.tags if t == "style"]
    for tag, attrs in p.tags:
        assert "style" not in attrs, tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag == "script":
            assert attrs.get("src"), "every script is a file"


def test_docs_loads_only_our_static_files_each_served_with_its_type(client: TestClient) -> None:
    html = client.get("/docs").text
    urls = _asset_urls(html)
    # The one URL that is not a file: an empty icon, so no /favicon.ico is asked for.
    assert urls.count("data:,") == 1
    urls.remove("data:,")
    assert urls, "the page loads its assets"
    assert "//" not in html.replace("<!doctype html>", "")  # no http://, https:// or //cdn
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url
        assert parts.path.startswith("/static/"), url
        assert re.fullmatch(r"v=[0-9a-f]{12}", parts.query), url  # versioned: cacheable
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith(TYPES[Path(parts.path).suffix]), url
        assert "max-age" in r.headers["cache-control"]
    paths = {urlsplit(u).path for u in urls}
    assert paths == {
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/swagger-init.js",
    }


def test_the_init_script_starts_swagger_ui_on_our_spec_without_the_validator() -> None:
    js = (pages.STATIC / "swagger-init.js").read_text(encoding="utf-8")
    assert "SwaggerUIBundle(" in js and '"#swagger-ui"' in js
    assert "/openapi.json" in js
    assert "validatorUrl: null" in js
    assert "http" not in js


def test_docs_is_not_in_the_schema_and_the_spec_is_served(client: TestClient) -> None:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/articles" in paths
    assert not [p for p in paths if p.startswith(("/docs", "/static"))]
    # No OAuth2 flow is declared, so Swagger UI never needs an OAuth2 redirect page.
    assert "securitySchemes" not in r.json().get("components", {})
    assert client.get("/docs/oauth2-redirect").status_code == 404


def test_a_vendored_file_is_revalidated_by_its_etag(client: TestClient) -> None:
    url = "/static/vendor/swagger-ui/swagger-ui.css"
    r = client.get(url)
    assert r.status_code == 200 and r.headers["etag"]
    again = client.get(url, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


# -- the static route stays inside static/ ---------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/%2e%2e/pages.py",
        "/static/vendor/..%2F..%2Fpages.py",
        "/static/vendor/swagger-ui/..%2F..%2F..%2Fpages.py",
        "/static/vendor/%2e%2e%2f%2e%2e%2fpages.py",
        "/static/%2Fetc%2Fpasswd",
        "/static//etc/passwd",
        "/static/vendor//swagger-ui/swagger-ui.css",
        "/static/vendor/swagger-ui/.hidden.css",
        "/static/vendor%5C..%5C..%5Cpages.py",
        "/static/vendor/swagger-ui/LICENSE",  # shipped, but not a type the route serves
        "/static/vendor/README.md",
        "/static/vendor/swagger-ui/missing.js",
        "/static/vendor",
        "/static/vendor/",
        "/static/a/b/c/d/e.css",
    ],
)
def test_the_static_route_refuses_paths_outside_or_odd(client: TestClient, path: str) -> None:
    assert client.get(path).status_code in (400, 404)


def _raw_get(app: Any, path: str) -> int:
    """The status of a GET whose path reaches the app exactly as given (an HTTP client
    would resolve ``..`` itself before sending)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("latin-1"),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:8000")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def call() -> None:
        await app(scope, receive, send)

    anyio.run(call)
    return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))


@pytest.mark.parametrize(
    "path",
    [
        "/static/vendor/../pages.py",
        "/static/vendor/swagger-ui/../../../pages.py",
        "/static/vendor/swagger-ui/../../newsgraph.css",
        "/static/../pages.py",
        "/static/vendor/./swagger-ui/swagger-ui.css",
        "/static//etc/passwd",
        "/static/vendor\\..\\..\\pages.py",
    ],
)
def test_dot_segments_that_reach_the_server_are_refused(client: TestClient, path: str) -> None:
    assert _raw_get(client.app, path) in (400, 404)


def test_the_raw_route_serves_a_plain_vendored_path(client: TestClient) -> None:
    assert _raw_get(client.app, "/static/vendor/swagger-ui/swagger-ui.css") == 200


def test_a_link_out_of_static_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "static"
    (root / "vendor").mkdir(parents=True)
    (tmp_path / "secret.css").write_text("secret", encoding="utf-8")
    (root / "vendor" / "ok.css").write_text("ok", encoding="utf-8")
    (root / "vendor" / "out.css").symlink_to(tmp_path / "secret.css")
    monkeypatch.setattr(pages, "STATIC", root)
    assert pages._static_path("vendor/ok.css") == (root / "vendor" / "ok.css").resolve()
    assert pages._static_path("vendor/out.css") is None
    assert pages._static_path("vendor/../../secret.css") is None


# -- what is vendored ------------------------------------------------------------------


def _readme_hashes() -> dict[str, str]:
    text = (VENDOR / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([^`]+)` \| `[^`]+` \| `([0-9a-f]{64})` \|$", text, re.M))


def test_the_vendored_files_are_the_ones_the_readme_pins() -> None:
    hashes = _readme_hashes()
    on_disk = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()} - {
        "README.md"
    }
    assert set(hashes) == on_disk
    for name, digest in hashes.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_swagger_ui_ships_with_its_licence_and_notice() -> None:
    assert "Apache License" in (SWAGGER / "LICENSE").read_text(encoding="utf-8")
    assert "SmartBear" in (SWAGGER / "NOTICE").read_text(encoding="utf-8")
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert "swagger-ui-dist" in readme and "5.36.0" in readme and "Apache-2.0" in readme


def test_the_package_data_ships_the_vendored_files() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["newsgraph"]
    shipped = {
        Path(found).resolve()
        for pattern in patterns
        for found in glob.glob(str(PACKAGE / pattern), recursive=True)
    }
    wanted = [p.resolve() for p in VENDOR.rglob("*") if p.is_file()]
    wanted.append((pages.STATIC / "swagger-init.js").resolve())
    assert wanted and not [p for p in wanted if p not in shipped]


# -- in a real browser -----------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.model
def test_docs_renders_the_operations_offline_with_no_outside_request(
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    outside: list[str] = []
    console: list[str] = []
    errors: list[str] = []

    def route(r: Route) -> None:
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type in ("error", "warning"):
            console.append(f"{msg.type}: {msg.text}")

    with live_server(tmp_path / "empty.duckdb") as live:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            context.route("**/*", route)
            page = context.new_page()
            page.set_default_timeout(STEP_TIMEOUT_MS)
            page.on("console", on_console)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.add_init_script(
                "window.__csp = [];"
                "document.addEventListener('securitypolicyviolation', e =>"
                " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
            )
            response = page.goto(live.base + "/docs")
            assert response is not None and response.ok
            assert response.headers["content-security-policy"] == pages.CSP
            block = page.locator('.opblock-get .opblock-summary-path[data-path="/api/articles"]')
            block.first.wait_for(state="visible")
            assert page.locator(".opblock").count() >= 5
            # The vendored stylesheet applies: a GET block has its coloured background.
            colour = page.eval_on_selector(
                ".opblock.opblock-get", "e => getComputedStyle(e).backgroundColor"
            )
            assert colour not in ("", "rgba(0, 0, 0, 0)"), colour
            # Opening an operation works too (no request: the spec is already loaded).
            block.first.click()
            page.locator(".opblock-get.is-open .try-out__btn").first.wait_for(state="visible")
            page.wait_for_load_state("networkidle")
            violations = page.evaluate("window.__csp")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "docs.png"), full_page=True)
        finally:
            context.close()
    assert not outside, f"requests to other hosts: {outside}"
    assert not violations, f"CSP violations: {violations}"
    assert not [m for m in console if "Content Security Policy" in m], console
    assert not [m for m in console if not m.startswith("warning")], console
    assert not errors, f"uncaught script errors: {errors}"
