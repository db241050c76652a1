"""The REST API over a real store: analyse, list, filter, read, entity pages, search,
errors as coded JSON, the token for writes, and the serve command's binding rule."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import QuietHandler, run_cli, serve
from newsgraph.options import Options
from newsgraph.report import Report

from .conftest import ARTICLES, ERDOGAN, RUSSIA, Corpus, make_client

TEXT = (
    "Finland said on Tuesday it would buy 64 fighter jets from the United States. "
    '"This is the right choice," Defence Minister Antti Hakkarainen told reporters.\n'
)
HTML = (
    "<!doctype html><html><head><title>Finland buys jets</title></head><body>"
    "<nav>Home | World</nav><article><h1>Finland buys jets</h1>"
    f"<p>{TEXT.strip()}</p><p>The purchase is the largest in the country's history, "
    "officials said on Tuesday in Helsinki.</p></article></body></html>"
)


def error_of(response: httpx.Response, status: int) -> dict[str, str]:
    """The ``{"code", "message"}`` of an error response, after checking its status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"code", "message"}
    assert "Traceback" not in response.text
    return dict(err)


def stored_reports(client: TestClient, corpus: Corpus) -> list[Report]:
    return [
        Report.from_dict(client.get(f"/api/articles/{aid}").json())
        for aid in [*corpus.ids.values()]
    ]


# -- analyse -------------------------------------------------------------------------------


@pytest.mark.model
def test_analyze_text_returns_a_contract_report_and_stores_nothing(
    db_copy: Path, validate: Callable[[dict[str, Any]], None]
) -> None:
    with make_client(db_copy) as c:
        before = c.get("/api/articles").json()["total"]
        r = c.post("/api/analyze", json={"text": TEXT, "published": "2025-06-03"})
        assert r.status_code == 200, r.text
        report = r.json()
        validate(report)
        assert report["article"]["text"] == TEXT
        assert report["article"]["published"] == "2025-06-03"
        assert any(e["name"] == "Finland" for e in report["entities"])
        assert c.get("/api/articles").json()["total"] == before
        error_of(c.get(f"/api/articles/{report['article']['id']}"), 404)


@pytest.mark.model
def test_analyze_html_extracts_the_main_text(client: TestClient) -> None:
    r = client.post("/api/analyze", json={"html": HTML})
    assert r.status_code == 200, r.text
    text = r.json()["article"]["text"]
    assert "64 fighter jets" in text
    assert "Home | World" not in text


def test_analyze_url_on_loopback_is_refused_with_e007(client: TestClient) -> None:
    class Page(QuietHandler):
        def do_GET(self) -> None:
            self.reply(f"<html><body><p>{TEXT}</p></body></html>".encode(), "text/html")

    with serve(Page) as base:
        err = error_of(client.post("/api/analyze", json={"url": base + "/a"}), 400)
    assert err["code"] == "E007"
    assert "loopback" in err["message"]


@pytest.mark.model
def test_analyze_url_on_loopback_works_when_the_server_allows_private(corpus: Corpus) -> None:
    class Page(QuietHandler):
        def do_GET(self) -> None:
            self.reply(TEXT.encode(), "text/plain; charset=utf-8")

    with serve(Page) as base, make_client(corpus.db, options=Options(allow_private=True)) as c:
        r = c.post("/api/analyze", json={"url": base + "/a"})
    assert r.status_code == 200, r.text
    assert r.json()["article"]["url"] == base + "/a"


@pytest.mark.parametrize(
    "body",
    [{}, {"text": "a", "url": "http://example.com"}, {"text": None}, {"text": "a", "x": 1}],
    ids=["none", "two", "null", "unknown-field"],
)
def test_analyze_needs_exactly_one_source(client: TestClient, body: dict[str, Any]) -> None:
    assert error_of(client.post("/api/analyze", json=body), 422)["code"] == "E025"


def test_analyze_rejects_a_bad_date_and_empty_text(client: TestClient) -> None:
    bad = client.post("/api/analyze", json={"text": TEXT, "published": "2025-02-30"})
    assert error_of(bad, 400)["code"] == "E010"
    assert error_of(client.post("/api/analyze", json={"text": "  \n"}), 400)["code"] == "E001"


@pytest.mark.model
def test_analyze_with_store_keeps_the_report_for_get_by_id(db_copy: Path) -> None:
    with make_client(db_copy) as c:
        before = c.get("/api/articles").json()["total"]
        body = {"text": TEXT, "published": "2026-01-05", "store": True}
        r = c.post("/api/analyze", json=body)
        assert r.status_code == 200, r.text
        aid = r.json()["article"]["id"]
        got = c.get(f"/api/articles/{aid}")
        assert got.status_code == 200
        assert got.json() == r.json()
        listing = c.get("/api/articles").json()
        assert listing["total"] == before + 1
        assert listing["items"][0]["id"] == aid  # the newest publication comes first


# -- reading -------------------------------------------------------------------------------


def test_articles_are_listed_newest_first_with_counts(client: TestClient, corpus: Corpus) -> None:
    body = client.get("/api/articles").json()
    assert body["total"] == len(corpus.ids)
    items = body["items"]
    assert {i["id"] for i in items} == set(corpus.ids.values())
    dated = [i["published"] for i in items if i["published"]]
    assert dated == sorted(dated, reverse=True)
    assert items[-1]["title"] == "Trade talks stall"  # undated last
    for item in items:
        report = Report.from_dict(client.get(f"/api/articles/{item['id']}").json())
        assert item["counts"] == {
            "entities": len(report.entities),
            "quotes": len(report.quotes),
            "claims": len(report.claims),
            "events": len(report.events),
        }
        assert item["flags"] == {
            s: sum(f.severity == s for f in report.flags) for s in ("error", "warning", "info")
        }
        assert item["outlet"] == report.article.outlet
        assert item["published_source"] == report.article.published_source


def test_articles_page_with_limit_and_offset_keeps_the_total(
    client: TestClient, corpus: Corpus
) -> None:
    everything = [i["id"] for i in client.get("/api/articles").json()["items"]]
    pages = []
    for offset in range(len(everything)):
        body = client.get("/api/articles", params={"limit": 1, "offset": offset}).json()
        assert body["total"] == len(everything)
        pages += [i["id"] for i in body["items"]]
    assert pages == everything
    past = client.get("/api/articles", params={"offset": 99}).json()
    assert past == {"items": [], "total": len(everything)}
    assert error_of(client.get("/api/articles", params={"limit": 501}), 422)["code"] == "E025"
    assert error_of(client.get("/api/articles", params={"offset": -1}), 422)["code"] == "E025"


def titles(client: TestClient, **params: str) -> set[str]:
    body = client.get("/api/articles", params=params).json()
    assert body["total"] == len(body["items"])
    return {i["title"] for i in body["items"]}


def test_articles_filter_by_outlet_dates_flag_and_entity(
    client: TestClient, corpus: Corpus
) -> None:
    first, second, third = (a[0] for a in ARTICLES)
    assert titles(client, outlet="harbour TIMES") == {first, third}
    assert titles(client, since="2025-03-11", until="2025-04-30") == {second}
    assert titles(client, until="2025-03-10") == {first}
    reports = stored_reports(client, corpus)
    flagged = {
        r.article.title
        for r in reports
        if any(f.code == "UNNAMED_SOURCES_MAJORITY" for f in r.flags)
    }
    assert third in flagged
    assert titles(client, flag="unnamed_sources_majority") == flagged
    naming_erdogan = {
        r.article.title for r in reports if any(e.kb_id == ERDOGAN for e in r.entities)
    }
    assert first in naming_erdogan and second not in naming_erdogan
    assert titles(client, entity=ERDOGAN) == naming_erdogan
    naming_russia = {r.article.title for r in reports if any(e.kb_id == RUSSIA for e in r.entities)}
    assert {first, second} <= naming_russia
    assert titles(client, entity=RUSSIA) == naming_russia
    assert titles(client, entity="mark rutte") == {second}
    assert titles(client, outlet="Nobody") == set()
    assert error_of(client.get("/api/articles", params={"since": "March"}), 400)["code"] == "E010"


def test_an_article_is_found_by_id_or_prefix_and_404_otherwise(
    client: TestClient, corpus: Corpus
) -> None:
    aid = corpus.ids["Trade talks stall"]
    full = client.get(f"/api/articles/{aid}")
    assert full.status_code == 200
    assert full.json()["article"]["title"] == "Trade talks stall"
    assert client.get(f"/api/articles/{aid[:10]}").json() == full.json()
    err = error_of(client.get("/api/articles/ffffffffffff"), 404)
    assert err["code"] == "E022"
    assert "ffffffffffff" in err["message"]


def test_entity_page_lists_mentions_quotes_and_events_by_date(
    client: TestClient, corpus: Corpus
) -> None:
    body = client.get(f"/api/entities/{ERDOGAN}").json()
    entity = body["entity"]
    assert entity["kb_id"] == ERDOGAN
    assert entity["type"] == "PERSON"
    assert entity["kb"] is not None and entity["kb"]["qid"] == ERDOGAN
    assert "Erdo" in entity["name"]
    first = corpus.ids["Turkey and Russia talk air defence"]
    ours = [i for i in body["items"] if i["article_id"] == first]
    assert {i["kind"] for i in ours} == {"mention", "quote", "event"}
    quote = next(i for i in ours if i["kind"] == "quote")
    assert "We will keep buying" in quote["text"]
    mention = next(i for i in ours if i["kind"] == "mention")
    assert "Erdogan" in mention["text"] and len(mention["text"]) > len(mention["mention"])
    event = next(i for i in ours if i["kind"] == "event")
    assert event["role"] == "source" and event["type"]
    for item in ours:
        assert item["title"] == "Turkey and Russia talk air defence"
        assert item["date"] == "2025-03-10" or item["dated_by"] != "published"
    dates = [i["date"] for i in body["items"]]
    assert dates == sorted(dates)
    russia = client.get(f"/api/entities/{RUSSIA}").json()["items"]
    dates = [i["date"] for i in russia]
    assert dates == sorted(dates)
    assert len({i["article_id"] for i in russia}) >= 2


@pytest.mark.shared
def test_entity_page_for_donald_trump_in_the_seed(client: TestClient, corpus: Corpus) -> None:
    if corpus.seed_id is None:
        pytest.skip("../shared absent")
    body = client.get("/api/entities/Q22686").json()
    assert body["entity"]["name"] == "Donald Trump"
    assert any(r["office"].startswith("USA.") for r in body["entity"]["kb"]["roles"])
    assert body["items"] and all(i["article_id"] == corpus.seed_id for i in body["items"])


def test_entity_known_only_to_the_kb_has_no_items_and_unknown_is_404(client: TestClient) -> None:
    body = client.get("/api/entities/Q30").json()  # the United States: in no test article
    assert body["entity"]["kb"]["name"]
    assert body["items"] == [] or all(i["article_id"] for i in body["items"])
    assert error_of(client.get("/api/entities/Q0"), 404)["code"] == "E023"


def test_search_finds_titles_quotes_and_claims_case_insensitively(client: TestClient) -> None:
    def kinds(q: str) -> list[tuple[str, str]]:
        body = client.get("/api/search", params={"q": q}).json()
        assert body["total"] == len(body["items"])
        return [(i["kind"], i["text"]) for i in body["items"]]

    assert ("title", "Turkey and Russia talk air defence") in kinds("AIR DEFENCE")
    assert any(k == "quote" and "keep buying" in t for k, t in kinds("Keep Buying"))
    beef = kinds("beef")
    assert any(k == "claim" for k, _ in beef)
    assert all("beef" in t.lower() for _, t in beef)
    # % is taken literally (a flag's message says "100%": search covers flags now)
    assert all("100%" in t for _, t in kinds("100%"))
    assert kinds("1%0") == []
    assert kinds("a_b") == []
    page = client.get("/api/search", params={"q": "e", "limit": 2, "offset": 1}).json()
    assert len(page["items"]) == 2 and page["total"] > 3
    assert error_of(client.get("/api/search"), 422)["code"] == "E025"


# -- errors --------------------------------------------------------------------------------


def test_unknown_paths_and_methods_answer_coded_json(client: TestClient) -> None:
    err = error_of(client.get("/api/nothing-here"), 404)
    assert err["code"] == "E024" and "/api/nothing-here" in err["message"]
    assert error_of(client.delete("/api/articles"), 405)["code"] == "E024"


def test_a_body_that_is_not_json_is_a_422(client: TestClient) -> None:
    r = client.post(
        "/api/analyze", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert error_of(r, 422)["code"] == "E025"


def test_a_body_over_the_size_limit_is_a_413(corpus: Corpus) -> None:
    # An unknown field pads the body: were the body read, that would be a 422 (E025).
    padded = {"text": "short", "pad": "x" * 2000}
    with make_client(corpus.db, options=Options(max_input_bytes=1000)) as c:
        assert error_of(c.post("/api/analyze", json=padded), 413)["code"] == "E005"
        # without a Content-Length: counted as it arrives
        chunks = iter([b'{"text": "short", "pad": "', b"x" * 1500, b'"}'])
        r = c.post("/api/analyze", content=chunks, headers={"content-type": "application/json"})
        assert "content-length" not in r.request.headers
        assert error_of(r, 413)["code"] == "E005"
        small = c.post("/api/analyze", json={"text": "short", "pad": "x"})
        assert error_of(small, 422)["code"] == "E025"


def test_an_unexpected_failure_is_a_500_without_a_traceback(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsgraph.web import data

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(data, "list_articles", boom)
    with make_client(corpus.db) as c:
        err = error_of(c.get("/api/articles"), 500)
    assert err["code"] == "E999"
    assert "secret" not in err["message"]


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/analyze",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/entities/{kb_id}",
        "/api/search",
    ):
        assert path in spec["paths"], path
    assert client.get("/docs").status_code == 200


def test_reads_wait_for_a_write_in_progress_instead_of_failing(corpus: Corpus) -> None:
    from newsgraph.web import data

    held = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with data.writing(corpus.db):
            held.set()
            release.wait(5)

    t = threading.Thread(target=writer)
    with make_client(corpus.db) as c:
        t.start()
        assert held.wait(5)
        threading.Timer(0.3, release.set).start()
        started = time.perf_counter()
        r = c.get("/api/articles")
        waited = time.perf_counter() - started
        t.join()
    assert r.status_code == 200
    assert waited >= 0.25


# -- the token -----------------------------------------------------------------------------


def test_writes_need_the_token_when_the_server_has_one(db_copy: Path) -> None:
    with make_client(db_copy, token="s3cret") as c:
        body = {"text": TEXT, "store": True}
        assert error_of(c.post("/api/analyze", json=body), 401)["code"] == "E026"
        wrong = {"Authorization": "Bearer nope"}
        assert error_of(c.post("/api/analyze", json=body, headers=wrong), 403)["code"] == "E027"
        basic = {"Authorization": "Basic s3cret"}
        assert error_of(c.post("/api/analyze", json=body, headers=basic), 401)["code"] == "E026"
        assert c.get("/api/articles").status_code == 200  # reads stay open


@pytest.mark.model
def test_the_right_token_writes_and_analysis_without_store_needs_it_too(db_copy: Path) -> None:
    with make_client(db_copy, token="s3cret") as c:
        bare = c.post("/api/analyze", json={"text": TEXT})
        assert error_of(bare, 401)["code"] == "E026"
        auth = {"Authorization": "Bearer s3cret"}
        assert c.post("/api/analyze", json={"text": TEXT}, headers=auth).status_code == 200
        ok = c.post("/api/analyze", json={"text": TEXT, "store": True}, headers=auth)
        assert ok.status_code == 200, ok.text
        assert c.get(f"/api/articles/{ok.json()['article']['id']}").status_code == 200


def test_check_token_is_what_the_pages_call(corpus: Corpus) -> None:
    from starlette.requests import Request

    from newsgraph.errors import NewsgraphError
    from newsgraph.web.app import check_token, create_app

    app = create_app(corpus.db, token="s3cret")
    request = Request({"type": "http", "app": app, "headers": []})
    check_token(request, "s3cret")
    with pytest.raises(NewsgraphError) as missing:
        check_token(request, None)
    assert missing.value.code == "E026"
    with pytest.raises(NewsgraphError) as wrong:
        check_token(request, "s3cre")
    assert wrong.value.code == "E027"
    open_app = create_app(corpus.db)
    check_token(Request({"type": "http", "app": open_app, "headers": []}), None)


# -- serve ---------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])
def test_serve_refuses_a_public_address_without_a_token(tmp_path: Path, host: str) -> None:
    db = tmp_path / "news.duckdb"
    done = run_cli("serve", "--db", str(db), "--host", host, env={"NEWSGRAPH_TOKEN": ""})
    assert done.returncode == 1
    err = done.stderr.decode()
    assert err.startswith("E028:"), err
    assert host in err and len(err.strip().splitlines()) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_creates_the_store_and_answers_on_loopback(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    port = _free_port()
    exe = Path(sys.executable).with_name("newsgraph")
    proc = subprocess.Popen(
        [str(exe), "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        body = None
        for _ in range(200):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/articles", timeout=1)
                body = r.json()
                break
            except httpx.HTTPError:
                if proc.poll() is not None:
                    break
                time.sleep(0.1)
        assert body == {"items": [], "total": 0}, proc.stderr.read() if proc.stderr else ""
        assert db.exists()
    finally:
        proc.terminate()
        proc.wait(10)


def test_serve_with_a_token_from_the_environment_may_bind_publicly(tmp_path: Path) -> None:
    # An unusable --config makes it stop right after the binding check, before listening.
    bad = tmp_path / "bad.toml"
    bad.write_text("nonsense = 1\n", encoding="utf-8")
    done = run_cli(
        "serve",
        "--db",
        str(tmp_path / "x.duckdb"),
        "--host",
        "0.0.0.0",
        "--config",
        str(bad),
        env={"NEWSGRAPH_TOKEN": "s3cret"},
    )
    assert done.returncode == 1
    assert done.stderr.decode().startswith("E016:")
    without = run_cli(
        "serve",
        "--db",
        str(tmp_path / "x.duckdb"),
        "--host",
        "0.0.0.0",
        "--config",
        str(bad),
        env={"NEWSGRAPH_TOKEN": ""},
    )
    assert without.stderr.decode().startswith("E028:")


def test_error_bodies_are_plain_json(client: TestClient) -> None:
    raw = client.get("/api/articles/abc").content
    assert json.loads(raw)["error"]["code"] == "E022"
