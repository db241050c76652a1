"""Search that finds people by any spelling and lands on the span; entity pages worth
reading (KB facts, counts, co-actors, timeline, activity by article without repeats);
the entity index (page, JSON and CSV)."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from newsgraph.kb import get_kb
from newsgraph.report import Article, Entity, Event, Report, Span
from newsgraph.store import Store
from newsgraph.web import data, pages

from .conftest import ERDOGAN, RUSSIA, Corpus, make_client

TRADE = "Trade talks stall"
NATO = "NATO ministers meet in Brussels"
FIRST = "Turkey and Russia talk air defence"


def error_of(response: httpx.Response, status: int) -> dict[str, str]:
    """The ``{"code", "message"}`` of a JSON error, after checking its status and shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return dict(body["error"])


def report_of(client: TestClient, article_id: str) -> dict[str, Any]:
    body = client.get(f"/api/articles/{article_id}").json()
    assert isinstance(body, dict)
    return body


def hits(client: TestClient, q: str, **params: Any) -> list[dict[str, Any]]:
    r = client.get("/api/search", params={"q": q, "limit": 500, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["items"])
    return list(body["items"])


def kb_id_of(name: str) -> str:
    found = get_kb().lookup(name)
    assert found, name
    return found[0].kb_id


def text_of(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


# -- search: people by any spelling ------------------------------------------------------


@pytest.mark.parametrize("q", ["Erdoğan", "erdogan", "ERDOGAN", "ERDOĞAN", "Tayyip Erdoğan"])
def test_search_finds_erdogan_by_any_spelling_first(client: TestClient, q: str) -> None:
    found = hits(client, q)
    first = found[0]
    assert first["kind"] == "entity" and first["kb_id"] == ERDOGAN
    assert first["type"] == "PERSON" and first["articles"] >= 1 and first["mentions"] >= 2
    assert first["start"] is None and first["end"] is None  # it links to its entity page
    # entities come first, one hit per KB id
    kinds = [h["kind"] for h in found]
    assert kinds == sorted(kinds, key=lambda k: k != "entity")
    assert [h["kb_id"] for h in found if h["kind"] == "entity"].count(ERDOGAN) == 1


def test_fold_is_the_same_in_python_and_sql(corpus: Corpus) -> None:
    samples = ["Erdoğan", "ERDOĞAN", "İstanbul", "Łódź", "Øresund", "Tiếng Việt", "Tomバーク"]
    with data.reading(corpus.db) as store:
        for s in samples:
            sql = data.fold_sql("?")
            assert store.sql(f"SELECT {sql}", [s])[0][0] == data.fold(s), s
    assert data.fold("ERDOĞAN") == data.fold("Erdogan") == "erdogan"


def barrack_report() -> Report:
    """An article naming Tom Barrack only as "Barrack", a company no KB knows, and an
    event of the company's in a sentence that does not name it."""
    text = (
        "Barrack told reporters in Ankara that talks would go on. "
        "Zorblax Holdings said it would bid for the contract.\n"
    )
    first = text.index(". ") + 1
    zorblax = text.index("Zorblax")
    return Report(
        article=Article(text=text, title="Envoy of Erdoğan speaks", published="2025-06-01"),
        entities=[
            Entity("e1", "Barrack", "PERSON", kb_id_of("Tom Barrack"), [Span.of(text, 0, 7)]),
            Entity(
                "e2",
                "Zorblax Holdings",
                "ORGANIZATION",
                None,
                [Span.of(text, zorblax, zorblax + len("Zorblax Holdings"))],
            ),
        ],
        events=[
            Event(
                "v1",
                "CONSULT",
                None,
                "e2",
                "e1",
                Span.of(text, 8, 12),  # "told"
                None,
                False,
                False,
                Span.of(text, 0, first),
            )
        ],
    )


@pytest.fixture
def barrack_client(db_copy: Path) -> TestClient:
    with Store.open(db_copy) as store:
        store.add(barrack_report(), origin="test")
    return make_client(db_copy)


@pytest.mark.parametrize("q", ["Tom Barrack", "Thomas Barrack", "tom barrack", "Barrack"])
def test_search_finds_tom_barrack_where_the_article_writes_barrack(
    barrack_client: TestClient, q: str
) -> None:
    found = hits(barrack_client, q)
    assert found[0]["kind"] == "entity"
    assert found[0]["kb_id"] == kb_id_of("Tom Barrack")
    page = barrack_client.get("/search", params={"q": q}).text
    assert f'href="{pages.entity_href(kb_id_of("Tom Barrack"))}"' in page


def test_stored_words_with_accents_are_found_without_them(barrack_client: TestClient) -> None:
    aid = barrack_report().article.id
    for q in ("erdogan", "ERDOĞAN", "Erdoğan"):
        titles = [h for h in hits(barrack_client, q) if h["kind"] == "title"]
        assert [h["article_id"] for h in titles] == [aid], q
    page = barrack_client.get("/search", params={"q": "erdogan"}).text
    assert "Envoy of <mark>Erdoğan</mark> speaks" in page


def test_an_entity_without_kb_id_links_to_its_first_mention(barrack_client: TestClient) -> None:
    report = barrack_report()
    found = [h for h in hits(barrack_client, "zorblax") if h["kind"] == "entity"]
    assert len(found) == 1
    hit = found[0]
    assert hit["kb_id"] is None and hit["article_id"] == report.article.id
    assert report.article.text[hit["start"] : hit["end"]] == "Zorblax Holdings"
    page = barrack_client.get("/search", params={"q": "zorblax"}).text
    href = pages.span_href(report.article.id, hit["start"], hit["end"])
    assert f'href="{html.escape(href)}"' in page


# -- search: events, flags, spans ---------------------------------------------------------


def test_event_hits_carry_the_sentence_span(client: TestClient, corpus: Corpus) -> None:
    aid = corpus.ids[NATO]
    report = report_of(client, aid)
    text = report["article"]["text"]
    event = next(e for e in report["events"] if e["trigger"]["text"] == "pledged")
    found = [h for h in hits(client, "pledged") if h["kind"] == "event"]
    assert found, "the event's trigger finds it"
    hit = next(h for h in found if h["article_id"] == aid)
    assert (hit["start"], hit["end"]) == (event["sentence"]["start"], event["sentence"]["end"])
    assert text[hit["start"] : hit["end"]] == hit["text"]
    assert event["type"] in hit["type"].split(", ")


def test_an_actors_name_finds_its_event_where_the_sentence_does_not_name_it(
    barrack_client: TestClient,
) -> None:
    report = barrack_report()
    found = [h for h in hits(barrack_client, "zorblax") if h["kind"] == "event"]
    assert len(found) == 1
    hit = found[0]
    sentence = report.events[0].sentence
    assert (hit["start"], hit["end"], hit["text"]) == (sentence.start, sentence.end, sentence.text)
    assert "zorblax" not in hit["text"].lower()
    assert hit["actors"] == "Zorblax Holdings → Barrack" and hit["type"] == "CONSULT"


def test_events_in_one_sentence_are_one_hit(client: TestClient) -> None:
    found = [h for h in hits(client, "S-400") if h["kind"] == "event"]
    spans = [(h["article_id"], h["start"], h["end"]) for h in found]
    assert len(spans) == len(set(spans))


def test_flag_hits_carry_their_first_evidence_span(client: TestClient, corpus: Corpus) -> None:
    aid = corpus.ids[TRADE]
    report = report_of(client, aid)
    text = report["article"]["text"]
    flag = next(f for f in report["flags"] if f["evidence"])
    for q in (flag["code"], flag["code"].lower().replace("_", " ")):
        found = [h for h in hits(client, q) if h["kind"] == "flag" and h["article_id"] == aid]
        assert found, q
        hit = found[0]
        assert hit["code"] == flag["code"] and hit["severity"] == flag["severity"]
        first = flag["evidence"][0]
        assert (hit["start"], hit["end"]) == (first["start"], first["end"])
        assert text[hit["start"] : hit["end"]] == hit["evidence"] == first["text"]
        assert hit["text"] == flag["message"]


def test_quote_and_claim_hits_carry_their_spans(client: TestClient) -> None:
    found = hits(client, "keep buying")
    kinds = {h["kind"] for h in found}
    assert "quote" in kinds
    for h in found:
        if h["kind"] in ("quote", "claim"):
            text = report_of(client, h["article_id"])["article"]["text"]
            assert text[h["start"] : h["end"]] == h["text"]


def test_hits_after_the_entities_are_newest_article_first(client: TestClient) -> None:
    found = [h for h in hits(client, "russia") if h["kind"] != "entity"]
    days = [h["published"] for h in found]
    dated = [d for d in days if d]
    assert dated == sorted(dated, reverse=True)
    assert days == dated + [None] * (len(days) - len(dated))  # undated last


def test_search_pages_with_limit_and_offset(client: TestClient) -> None:
    every = hits(client, "e")
    assert len(every) > 6
    page = client.get("/api/search", params={"q": "e", "limit": 3, "offset": 2}).json()
    assert page["total"] == len(every)
    assert page["items"] == every[2:5]
    beyond = client.get("/api/search", params={"q": "e", "offset": 10_000}).json()
    assert beyond == {"items": [], "total": len(every)}


@pytest.mark.parametrize("q", ["%", "_", "100%", "'", '"', "\\", "a'; DROP TABLE articles; --"])
def test_odd_input_is_taken_literally(client: TestClient, q: str) -> None:
    for h in hits(client, q):
        said = " ".join(str(h.get(k) or "") for k in ("text", "evidence", "actors", "code"))
        assert data.fold(q) in data.fold(said)
    assert client.get("/api/articles").json()["total"] >= 3  # nothing was dropped


def test_blank_long_and_unicode_queries_are_safe(client: TestClient) -> None:
    assert hits(client, "   ") == []
    assert hits(client, "日本語 ☃ \u0301") == []
    assert hits(client, "x" * data.MAX_QUERY) == []
    err = error_of(client.get("/api/search", params={"q": "x" * (data.MAX_QUERY + 1)}), 422)
    assert err["code"] == "E025"
    assert error_of(client.get("/api/search"), 422)["code"] == "E025"
    assert client.get("/search", params={"q": "\u0301"}).status_code == 200


# -- the search page -------------------------------------------------------------------------


def test_search_page_marks_words_whatever_the_accents_and_links_spans(
    client: TestClient, corpus: Corpus
) -> None:
    r = client.get("/search", params={"q": "erdoğan"})
    assert r.status_code == 200
    body = r.text
    assert f'href="{pages.entity_href(ERDOGAN)}"' in body
    assert "<mark>Erdogan</mark>" in body  # the word as written, marked for "erdoğan"
    assert 'class="ng-kind ng-kind-entity"' in body
    spans = re.findall(r'href="(/articles/[0-9a-f]+\?at=(\d+)-(\d+)#ng-at)"', body)
    assert spans, "quote, claim and event hits link to their spans"
    for api_hit in hits(client, "erdoğan"):
        if api_hit["start"] is not None and api_hit["kind"] != "entity":
            href = pages.span_href(api_hit["article_id"], api_hit["start"], api_hit["end"])
            assert f'href="{html.escape(href)}"' in body


def test_search_page_escapes_hit_text(client: TestClient) -> None:
    body = client.get("/search", params={"q": "We will keep buying"}).text
    # the event's sentence starts with a straight quote: escaped, the words marked
    assert "&#34;<mark>We</mark> <mark>will</mark> <mark>keep</mark>" in body
    assert "<script" not in body.split("<main", 1)[1]


def test_header_search_box_says_what_is_searched(client: TestClient) -> None:
    body = client.get("/search").text
    box = re.search(r'<input id="ng-search-q"[^>]*>', body)
    assert box and "people" in box.group(0) and "events" in box.group(0)


# -- entity pages ------------------------------------------------------------------------------


def test_entity_api_keeps_its_keys_and_adds_counts_co_actors_and_timeline(
    client: TestClient, corpus: Corpus
) -> None:
    body = client.get(f"/api/entities/{ERDOGAN}").json()
    assert {"entity", "items"} <= set(body)
    counts = body["counts"]
    reports = [report_of(client, aid) for aid in corpus.ids.values()]
    mine = [(r, e) for r in reports for e in r["entities"] if e["kb_id"] == ERDOGAN]
    assert counts["articles"] == len({r["article"]["id"] for r, _ in mine})
    assert counts["mentions"] == sum(len(e["mentions"]) for _, e in mine)
    ids = {(r["article"]["id"], e["id"]) for r, e in mine}
    quotes = [
        q for r in reports for q in r["quotes"] if (r["article"]["id"], q["speaker_entity"]) in ids
    ]
    events = [(r["article"]["id"], v) for r in reports for v in r["events"]]
    assert counts["quotes"] == len(quotes) >= 1
    assert counts["events_source"] == sum((a, v["source"]) in ids for a, v in events) >= 1
    assert counts["events_target"] == sum((a, v["target"]) in ids for a, v in events)
    roles = body["entity"]["kb"]["roles"]
    assert any(r["label"] == "President of Turkey" and r["office"] for r in roles)
    putin = kb_id_of("Vladimir Putin")
    assert putin in [c["kb_id"] for c in body["co_actors"]["events"]]
    assert RUSSIA in [c["kb_id"] for c in body["co_actors"]["articles"]]
    assert ERDOGAN not in [c["kb_id"] for c in body["co_actors"]["articles"]]
    timeline = body["timeline"]
    in_periods = sum(p["articles"] for p in timeline["periods"])
    assert in_periods + timeline["undated"] == counts["articles"]
    assert "2025-03" in [p["period"] for p in timeline["periods"]]


def activity_blocks(body: str) -> list[list[str]]:
    """The texts of the activity rows, one list per article block, in page order."""
    section = body.split('id="ng-activity"', 1)[1].split("</section>", 1)[0]
    blocks = section.split('<li class="ng-activity-article"')[1:]
    return [
        [text_of(p) for p in re.findall(r'<p class="ng-activity-text">(.*?)</p>', b, re.S)]
        for b in blocks
    ]


def test_entity_page_shows_facts_counts_co_actors_and_no_repeated_sentence(
    client: TestClient, corpus: Corpus
) -> None:
    api = client.get(f"/api/entities/{ERDOGAN}").json()
    first = corpus.ids[FIRST]
    sentence = "Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin"
    # the API has this sentence twice (a mention and an event): the page once
    assert sum(sentence in i["text"] for i in api["items"] if i["article_id"] == first) >= 2
    r = client.get(f"/entities/{ERDOGAN}")
    assert r.status_code == 200
    body = r.text
    assert "President of Turkey" in body and "head of state" in body
    stats = dict(
        (label, int(n))
        for n, label in re.findall(
            r'<span class="ng-stat-n">(\d+)</span> <span class="ng-stat-label">([^<]+)</span>', body
        )
    )
    assert stats["articles"] == api["counts"]["articles"]
    assert stats["mentions"] == api["counts"]["mentions"]
    assert stats["quotes as speaker"] == api["counts"]["quotes"]
    assert stats["events as source"] == api["counts"]["events_source"]
    co = body.split('id="ng-co-events"', 1)[1].split("</ol>", 1)[0]
    assert f'href="{pages.entity_href(kb_id_of("Vladimir Putin"))}"' in co
    assert "<svg" in body and 'class="ng-ent-bar"' in body and "style=" not in body
    blocks = activity_blocks(body)
    assert len(blocks) == api["counts"]["articles"]
    for rows in blocks:
        assert len(rows) == len(set(rows)), rows
    assert sum(sentence in row for rows in blocks for row in rows) == 1
    assert '<mark class="ng-self">Recep Tayyip Erdogan</mark>' in body
    # each row links to its span
    links = re.findall(r'<a class="ng-span-link" href="([^"]+)">', body)
    assert links and all("?at=" in html.unescape(h) for h in links)


def test_entity_page_groups_by_article_newest_first_and_pages(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = client.get(f"/api/entities/{RUSSIA}").json()
    days = [a["published"] for a in api["articles"]]
    dated = [d for d in days if d]
    assert dated == sorted(dated, reverse=True) and len(days) >= 2
    monkeypatch.setattr(pages, "ENTITY_PAGE_SIZE", 1)
    seen = []
    for page in (1, 2):
        body = client.get(f"/entities/{RUSSIA}", params={"page": page}).text
        found = re.findall(r'<li class="ng-activity-article" data-article="([0-9a-f]+)"', body)
        assert len(found) == 1
        seen += found
        assert ('rel="next"' if page == 1 else 'rel="prev"') in body
        assert f"Page {page} of {len(days)}" in body
    assert seen == [a["id"] for a in api["articles"][:2]]


def test_tom_barracks_entity_page_works_by_ngkb_id(barrack_client: TestClient) -> None:
    kb_id = kb_id_of("Tom Barrack")
    r = barrack_client.get(pages.entity_href(kb_id))
    assert r.status_code == 200
    assert "Ambassador of United States to Turkey" in r.text
    counts = barrack_client.get(f"/api/entities/{kb_id}").json()["counts"]
    assert counts["events_target"] == 1 and counts["events_source"] == 0
    assert 'href="/search?q=Zorblax+Holdings"' in r.text  # the co-actor without KB id


# -- the entity index --------------------------------------------------------------------------


def index(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get("/api/entities", params={"limit": 500, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert isinstance(body, dict)
    return body


def test_entity_index_has_one_row_per_kb_id_with_counts(client: TestClient) -> None:
    body = index(client)
    items = body["items"]
    assert body["total"] == len(items) > 5
    kb_ids = [i["kb_id"] for i in items if i["kb_id"]]
    assert len(kb_ids) == len(set(kb_ids))
    keys = [(i["name"].lower(), i["type"]) for i in items if not i["kb_id"]]
    assert len(keys) == len(set(keys))
    erdogan = next(i for i in items if i["kb_id"] == ERDOGAN)
    counts = client.get(f"/api/entities/{ERDOGAN}").json()["counts"]
    assert erdogan["type"] == "PERSON"
    assert erdogan["articles"] == counts["articles"]
    assert erdogan["mentions"] == counts["mentions"]
    assert erdogan["quotes"] == counts["quotes"]
    assert erdogan["events"] == counts["events"]
    russia = next(i for i in items if i["kb_id"] == RUSSIA)
    assert russia["name"] == "Russia" and russia["type"] == "COUNTRY"  # not the demonym
    ranked = [(i["articles"], i["mentions"]) for i in items]
    assert ranked == sorted(ranked, reverse=True)


def test_entity_index_filters_by_type_and_name(client: TestClient) -> None:
    people = index(client, type="person")["items"]
    assert people and all(i["type"] == "PERSON" for i in people)
    assert ERDOGAN in [i["kb_id"] for i in people]
    countries = index(client, type="COUNTRY")["items"]
    assert RUSSIA in [i["kb_id"] for i in countries]
    assert ERDOGAN not in [i["kb_id"] for i in countries]
    for q in ("erdoğan", "ERDOGAN", "Tayyip"):
        assert [i["kb_id"] for i in index(client, q=q)["items"]] == [ERDOGAN], q
    assert index(client, q="rdoga")["items"][0]["kb_id"] == ERDOGAN  # part of a name
    assert index(client, q="erdogan", type="COUNTRY") == {"items": [], "total": 0}
    assert index(client, type="NO_SUCH_TYPE") == {"items": [], "total": 0}


@pytest.mark.parametrize("sort", ["mentions", "events", "name"])
def test_entity_index_sorts(client: TestClient, sort: str) -> None:
    items = index(client, sort=sort)["items"]
    if sort == "name":
        names = [data.fold(i["name"]) for i in items]
        assert names == sorted(names)
    else:
        values = [i[sort] for i in items]
        assert values == sorted(values, reverse=True)


def test_entity_index_pages(client: TestClient) -> None:
    every = index(client, sort="name")["items"]
    page = index(client, sort="name", limit=4, offset=3)
    assert page["items"] == every[3:7] and page["total"] == len(every)
    past = index(client, offset=len(every) + 10)
    assert past == {"items": [], "total": len(every)}
    assert index(client, limit=0) == {"items": [], "total": len(every)}


def test_entity_index_csv_has_the_json_rows(client: TestClient) -> None:
    params = {"type": "COUNTRY", "sort": "name", "limit": 50}
    as_json = index(client, **params)["items"]
    r = client.get("/api/entities", params={**params, "format": "csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == list(data.ENTITY_FIELDS)
    expected = [{k: "" if i[k] is None else str(i[k]) for k in data.ENTITY_FIELDS} for i in as_json]
    assert rows == expected and len(rows) >= 2


@pytest.mark.parametrize(
    "params",
    [{"sort": "size"}, {"format": "xml"}, {"limit": 501}, {"offset": -1}, {"q": "x" * 501}],
)
def test_entity_index_bad_parameters_are_coded_json(
    client: TestClient, params: dict[str, Any]
) -> None:
    assert error_of(client.get("/api/entities", params=params), 422)["code"] == "E025"


def test_entity_index_page_filters_in_the_url(client: TestClient) -> None:
    r = client.get("/entities", params={"type": "PERSON", "q": "erdogan", "sort": "name"})
    assert r.status_code == 200
    body = r.text
    form = re.search(r'<form id="ng-entities-filter"[^>]*>', body)
    assert form and 'method="get"' in form.group(0) and 'action="/entities"' in form.group(0)
    assert re.search(r'<option value="PERSON" selected>', body)
    assert re.search(r'<option value="name" selected>', body)
    table = body.split('id="ng-entity-index"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 2  # the header and Erdogan
    assert f'href="{pages.entity_href(ERDOGAN)}"' in table
    everyone = client.get("/entities").text
    assert 'href="/search?q=Ankara"' in everyone  # no KB id: the search for its name
    csv_link = re.search(r'id="ng-entities-csv" href="([^"]+)"', body)
    assert csv_link and "format=csv" in html.unescape(csv_link.group(1))
    bad = client.get("/entities", params={"sort": "nonsense", "page": 5})
    assert bad.status_code == 200


def test_entity_index_pages_on_the_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 5)
    total = index(client)["total"]
    first = client.get("/entities").text
    assert 'rel="next"' in first and f"Page 1 of {-(-total // 5)}" in first
    second = client.get("/entities", params={"page": 2}).text
    names = re.findall(r'<a class="ng-entity-link" href="[^"]+">([^<]+)</a>', second)
    assert [html.unescape(n) for n in names] == [i["name"] for i in index(client)["items"][5:10]]
