"""What a request must pass before the app sees it, against a real uvicorn server over
real HTTP: the token on every write, the Host header on every request, and the origin
of every write (no cross-site form posts, no DNS rebinding)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsgraph.web.app import allowed_hosts_for
from newsgraph.web.guard import SAFE_METHODS, split_host

from .conftest import Corpus, Live, alive, live_server
from .test_api import TEXT, error_of

TOKEN = "s3cret"
ALLOWED = "news.example.org"
FORM = {"text": TEXT, "url": "", "published": "2025-06-03"}
FORM_TYPE = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def module_db(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    db = tmp_path_factory.mktemp("guard") / "news.duckdb"
    shutil.copy(corpus.db, db)
    return db


@pytest.fixture(scope="module")
def token_server(module_db: Path) -> Iterator[Live]:
    """A server with a token that also answers to news.example.org."""
    with live_server(module_db, token=TOKEN, allowed_hosts=[ALLOWED]) as live:
        yield live


@pytest.fixture(scope="module")
def open_server(module_db: Path) -> Iterator[Live]:
    """A server without a token on loopback: what a cross-site page would attack."""
    with live_server(module_db) as live:
        yield live


def total(live: Live) -> int:
    return int(httpx.get(live.base + "/api/articles").json()["total"])


# -- 1. the token: every write needs it -----------------------------------------------------


def write_routes(app: object, prefix: str = "") -> list[tuple[str, str]]:
    """(method, path) of every route of the app (and of the routers it includes, and
    mounted apps) that takes a method other than GET, HEAD or OPTIONS, with path
    parameters filled in."""
    found = []
    for route in getattr(app, "routes", []):
        included = getattr(route, "original_router", None)  # FastAPI's included routers
        if included is not None:
            more = str(getattr(route.include_context, "prefix", "") or "")
            found += write_routes(included, prefix + more)
            continue
        if getattr(route, "app", None) is not None and hasattr(route.app, "routes"):
            found += write_routes(route.app, prefix + str(getattr(route, "path", "")))
        methods = set(getattr(route, "methods", None) or ()) - SAFE_METHODS
        path = prefix + re.sub(r"\{[^}]+\}", "x", str(getattr(route, "path", "")))
        found += [(m, path) for m in sorted(methods)]
    return found


def test_every_write_route_answers_401_without_the_token(token_server: Live) -> None:
    routes = write_routes(token_server.app)
    assert ("POST", "/api/analyze") in routes
    assert ("POST", "/analyze") in routes  # the pages' analyse form
    before = total(token_server)
    with httpx.Client(base_url=token_server.base) as c:
        for method, path in routes:
            for body in ({"json": {"text": TEXT}}, {"data": FORM}, {}):
                r = c.request(method, path, **body)  # type: ignore[arg-type]
                assert r.status_code == 401, f"{method} {path} {body.keys()}: {r.text[:200]}"
                assert "E026" in r.text
            wrong = c.request(method, path, json={"text": TEXT}, headers={"Authorization": "x"})
            assert wrong.status_code == 401, f"{method} {path}"
            bad = c.request(method, path, headers={"Authorization": "Bearer nope"})
            assert error_of(bad, 403)["code"] == "E027", f"{method} {path}"
        # the guard stands before the routes: writes to paths no route takes need it too
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            assert c.request(method, "/api/nothing-here").status_code == 401, method
            assert c.request(method, "/api/articles").status_code == 401, method
        # and reads stay open
        assert c.get("/api/articles").status_code == 200
        assert c.get("/").status_code == 200
    assert total(token_server) == before


def test_the_analyse_form_without_the_token_shows_the_form_again(token_server: Live) -> None:
    before = total(token_server)
    with httpx.Client(base_url=token_server.base) as c:
        page = {"Accept": "text/html"}
        r = c.post("/analyze", data=FORM, headers=page)
        assert r.status_code == 401
        assert r.headers["content-type"].startswith("text/html")
        assert "E026" in r.text and 'id="ng-analyze"' in r.text
        assert "Finland said on Tuesday" in r.text  # what was typed is kept
        r = c.post("/analyze", data={**FORM, "token": "nope"}, headers=page)
        assert r.status_code == 403 and "E027" in r.text
        assert "nope" not in r.text  # the token is never echoed
        # a form field in the query string is not a form field
        r = c.post("/analyze?token=" + TOKEN, data=FORM, headers=page)
        assert r.status_code == 401
    assert total(token_server) == before


@pytest.mark.model
def test_the_right_token_lets_every_kind_of_write_through(token_server: Live) -> None:
    with httpx.Client(base_url=token_server.base, timeout=120) as c:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        r = c.post("/api/analyze", json={"text": TEXT}, headers=auth)
        assert r.status_code == 200, r.text
        r = c.post("/analyze", data={**FORM, "token": TOKEN}, follow_redirects=False)
        assert r.status_code == 303, r.text
        assert re.fullmatch(r"/articles/[0-9a-f]{64}", r.headers["location"])
        multipart = c.post(
            "/analyze", files={"token": (None, TOKEN), "text": (None, TEXT)}, follow_redirects=False
        )
        assert multipart.status_code == 303, multipart.text


# -- 2. the Host header ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example",
        "localhost.evil.example",
        "10.0.0.1",
        "[::2]",
        "example.org",
        "news.example.org.evil.example",
        "",
        "bad host",
        "127.0.0.1:{port}@evil.example",
    ],
)
def test_a_foreign_host_is_refused_for_reads_and_writes(
    token_server: Live, open_server: Live, host: str
) -> None:
    for live in (token_server, open_server):
        headers = {"Host": host.replace("{port}", str(live.port))}
        with httpx.Client(base_url=live.base) as c:
            err = error_of(c.get("/api/articles", headers=headers), 400)
            assert err["code"] == "E034", err
            assert "--allowed-host" in err["message"]
            post = c.post("/api/analyze", json={"text": TEXT}, headers=headers)
            assert error_of(post, 400)["code"] == "E034"
            form = c.post("/analyze", data=FORM, headers=headers)
            assert error_of(form, 400)["code"] == "E034"
            page = c.get("/", headers={**headers, "Accept": "text/html"})
            assert page.status_code == 400
            assert page.headers["content-type"].startswith("text/html")
            assert "E034" in page.text and "Stored articles" not in page.text


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:{port}",
        "127.0.0.1",
        "127.8.9.10:{port}",
        "localhost:{port}",
        "LOCALHOST",
        "localhost.:{port}",
        "app.localhost:{port}",
        "[::1]:{port}",
        "[::1]",
        "news.example.org",
        "News.Example.Org:443",
    ],
)
def test_loopback_names_and_allowed_hosts_are_served(token_server: Live, host: str) -> None:
    headers = {"Host": host.replace("{port}", str(token_server.port))}
    r = httpx.get(token_server.base + "/api/articles", headers=headers)
    assert r.status_code == 200, r.text


def test_a_name_allowed_on_one_server_is_not_allowed_on_another(open_server: Live) -> None:
    r = httpx.get(open_server.base + "/api/articles", headers={"Host": ALLOWED})
    assert error_of(r, 400)["code"] == "E034"


def test_host_parsing_and_the_names_a_bound_address_adds() -> None:
    assert split_host("Example.ORG:8080") == ("example.org", 8080)
    assert split_host("[::1]:80") == ("::1", 80)
    assert split_host("localhost.") == ("localhost", None)
    for bad in ("", "a b", "x:99999", "[zz]", "a:b:c", "host/path", "user@host"):
        assert split_host(bad) is None, bad
    assert allowed_hosts_for("127.0.0.1") == []
    assert allowed_hosts_for("0.0.0.0", [" a.example "]) == ["a.example"]
    assert allowed_hosts_for("::", []) == []
    assert allowed_hosts_for("192.168.1.10", ["b.example"]) == ["b.example", "192.168.1.10"]


# -- 2. the origin of writes ----------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "https://evil.example:{port}"},
        {"Origin": "http://127.0.0.1.evil.example:{port}"},
        {"Origin": "null"},
        {"Origin": "file://"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://127.0.0.1:{port}", "Sec-Fetch-Site": "cross-site"},
    ],
    ids=["other-site", "other-site-same-port", "lookalike", "null", "file", "fetch-site", "both"],
)
def test_a_cross_origin_form_post_is_refused_and_stores_nothing(
    open_server: Live, headers: dict[str, str]
) -> None:
    sent = {k: v.replace("{port}", str(open_server.port)) for k, v in headers.items()}
    before = total(open_server)
    with httpx.Client(base_url=open_server.base) as c:
        r = c.post("/analyze", data=FORM, headers={**sent, **FORM_TYPE})
        err = error_of(r, 403)
        assert err["code"] == "E035", err
        # what a browser that followed the hostile form sees: the error page
        page = c.post("/analyze", data=FORM, headers={**sent, "Accept": "text/html"})
        assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
        assert "E035" in page.text
        api = c.post("/api/analyze", json={"text": TEXT, "store": True}, headers=sent)
        assert error_of(api, 403)["code"] == "E035"
        # reads from anywhere are still answered (the browser's same-origin policy keeps
        # another site from reading them; the Host check stops DNS rebinding)
        assert c.get("/api/articles", headers=sent).status_code == 200
    time.sleep(0.5)  # had anything been analysed and stored, it would show by now
    assert total(open_server) == before


def test_an_origin_check_comes_before_the_token(token_server: Live) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Origin": "http://evil.example"}
    r = httpx.post(token_server.base + "/api/analyze", json={"text": TEXT}, headers=auth)
    assert error_of(r, 403)["code"] == "E035"


@pytest.mark.model
@pytest.mark.parametrize(
    "origin",
    ["http://127.0.0.1:{port}", "http://localhost:{port}", None],
    ids=["same-origin", "loopback-name", "no-origin"],
)
def test_same_origin_posts_still_work(open_server: Live, origin: str | None) -> None:
    headers = {"Sec-Fetch-Site": "same-origin"}
    if origin is not None:
        headers["Origin"] = origin.replace("{port}", str(open_server.port))
    with httpx.Client(base_url=open_server.base, timeout=120) as c:
        r = c.post("/analyze", data=FORM, headers=headers, follow_redirects=False)
        assert r.status_code == 303, r.text
        stored = c.get("/api" + r.headers["location"])  # /api/articles/<id>: it was stored
        assert stored.status_code == 200 and stored.json()["article"]["text"] == TEXT
        api = c.post("/api/analyze", json={"text": TEXT}, headers=headers)
        assert api.status_code == 200, api.text


# -- the serve command ----------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_serve_answers_to_allowed_hosts_only_and_leaves_no_worker_behind(
    tmp_path: Path,
) -> None:
    from .test_api import _free_port

    port = _free_port()
    exe = Path(sys.executable).with_name("newsgraph")
    db = tmp_path / "news.duckdb"
    command = [str(exe), "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "--allowed-host", ALLOWED, "--allowed-host", "intranet.example"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    workers: list[int] = []
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/articles", timeout=1)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.1)
        for host in (ALLOWED, "intranet.example", f"localhost:{port}"):
            assert httpx.get(base + "/api/articles", headers={"Host": host}).status_code == 200
        r = httpx.get(base + "/api/articles", headers={"Host": "evil.example"})
        assert error_of(r, 400)["code"] == "E034"
        for _ in range(100):  # the worker process starts with the app
            workers = _children(proc.pid)
            if workers:
                break
            time.sleep(0.1)
        assert workers, "no analysis worker process started"
    finally:
        proc.terminate()
        proc.wait(30)
    assert proc.returncode is not None
    for _ in range(50):
        left = [pid for pid in workers if alive(pid)]
        if not left:
            break
        time.sleep(0.1)
    assert not left, "a worker process outlived the server"
