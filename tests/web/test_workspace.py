"""The analyst's workspace over a real store: the explorers (events, claims, flags,
quotes), their /api twins and exports, the views (network, timeline, map), the story
pages, the home page's filters and the article page landed on a span.

Expected rows are computed from the stored reports themselves (``Store.iter_reports``),
not from the SQL under test.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from newsgraph.report import Report

from .conftest import WorkspaceStore, make_client

pytestmark = pytest.mark.model


@dataclass(frozen=True)
class Workspace:
    client: TestClient
    reports: dict[str, Report]  # article id -> report


@pytest.fixture(scope="module")
def ws(workspace_store: WorkspaceStore) -> Iterator[Workspace]:
    with make_client(workspace_store.db) as client:
        yield Workspace(client, workspace_store.reports)


# -- helpers ------------------------------------------------------------------------------


def events_of(ws: Workspace) -> list[tuple[Report, Any]]:
    return [(r, v) for r in ws.reports.values() for v in r.events]


def key(article_id: str, item_id: str) -> str:
    return f"{article_id}:{item_id}"


def api(ws: Workspace, path: str, **params: Any) -> dict[str, Any]:
    response = ws.client.get(path, params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    got: dict[str, Any] = response.json()
    return got


def entity(report: Report, entity_id: str | None) -> Any:
    return next((e for e in report.entities if e.id == entity_id), None)


def hrefs(html: str, pattern: str) -> list[str]:
    return [unescape(h) for h in re.findall(rf'href="({pattern}[^"]*)"', html)]


def landed(ws: Workspace, href: str) -> str:
    """The text an ``?at=START-END`` link marks, checked against the article text."""
    parts = urlsplit(href)
    article_id = parts.path.rsplit("/", 1)[1]
    start, end = (int(x) for x in parse_qs(parts.query)["at"][0].split("-"))
    page = ws.client.get(href)
    assert page.status_code == 200
    assert 'id="ng-at"' in page.text and parts.fragment == "ng-at"
    return ws.reports[article_id].article.text[start:end]


# -- events -------------------------------------------------------------------------------


def test_the_events_api_lists_every_stored_event_as_an_export_record(ws: Workspace) -> None:
    got = api(ws, "/api/events")
    expected = {key(r.article.id, v.id) for r, v in events_of(ws)}
    assert got["total"] == len(expected) > 50
    assert {it["id"] for it in got["items"]} == expected
    item = got["items"][0]
    for field in ("event_type", "source", "target", "date", "date_precision", "location"):
        assert field in item
    report = ws.reports[item["article_id"]]
    text = report.article.text
    assert text[item["sentence_start"] : item["sentence_end"]] == item["sentence"]


@pytest.mark.parametrize("etype", ["CONSULT", "SANCTION", "ASSAULT"])
def test_the_type_filter_keeps_that_type_only(ws: Workspace, etype: str) -> None:
    got = api(ws, "/api/events", type=etype)
    expected = {key(r.article.id, v.id) for r, v in events_of(ws) if v.type == etype}
    assert expected and {it["id"] for it in got["items"]} == expected
    assert got["total"] == len(expected)


def test_actor_filters_find_either_side_or_one_side(ws: Workspace) -> None:
    erdogan = "Q39259"

    def side(r: Report, v: Any, name: str) -> bool:
        found = entity(r, getattr(v, name))
        return found is not None and found.kb_id == erdogan

    either = {
        key(r.article.id, v.id)
        for r, v in events_of(ws)
        if side(r, v, "source") or side(r, v, "target")
    }
    as_source = {key(r.article.id, v.id) for r, v in events_of(ws) if side(r, v, "source")}
    assert either and as_source
    assert {it["id"] for it in api(ws, "/api/events", actor=erdogan)["items"]} == either
    assert {it["id"] for it in api(ws, "/api/events", source=erdogan)["items"]} == as_source
    # a name finds the same actor, whatever the accents
    by_name = {it["id"] for it in api(ws, "/api/events", source="Erdoğan")["items"]}
    assert as_source <= by_name


def test_country_date_outlet_and_flag_filters(ws: Workspace) -> None:
    turkey = api(ws, "/api/events", country="TUR")["items"]
    assert turkey
    for it in turkey:
        codes = [(it[s] or {}).get("code") or "" for s in ("source", "target")]
        place = (it["location"] or {}).get("country")
        assert any(c.startswith("TUR") for c in codes) or place == "TUR"
    dated = api(ws, "/api/events", since="2025-03-11", until="2025-03-12")["items"]
    assert dated and all("2025-03-11" <= it["day"] <= "2025-03-12" for it in dated)
    outlet = api(ws, "/api/events", outlet="harbour times")["items"]
    assert outlet and {it["outlet"] for it in outlet} == {"Harbour Times"}
    hypothetical = api(ws, "/api/events", hypothetical="yes")["items"]
    assert all(it["hypothetical"] for it in hypothetical)
    plain = api(ws, "/api/events", hypothetical="no", negated="no")["items"]
    assert all(not it["hypothetical"] and not it["negated"] for it in plain)
    words = api(ws, "/api/events", q="S-400")["items"]
    assert words and all("s-400" in it["sentence"].lower() for it in words)


def test_a_place_filter_finds_the_located_events(ws: Workspace) -> None:
    palmyra = api(ws, "/api/events", place="Palmyra")["items"]
    assert [it["location"]["name"] for it in palmyra] == ["Palmyra"]
    geonames_id = palmyra[0]["location"]["geonames_id"]
    assert isinstance(geonames_id, int) and palmyra[0]["location"]["country"] == "SYR"
    by_id = api(ws, "/api/events", place=str(geonames_id))["items"]
    assert [it["id"] for it in by_id] == [it["id"] for it in palmyra]


def test_facets_count_the_filtered_events(ws: Workspace) -> None:
    got = api(ws, "/api/events", outlet="Harbour Times")
    types = {f["value"]: f["n"] for f in got["facets"]["type"]}
    assert sum(types.values()) == got["total"]
    states = [f["value"] for f in api(ws, "/api/events")["facets"]["country"]]
    assert "TUR" in states and "GOV" not in states


def test_the_csv_and_json_lines_exports_hold_the_filtered_rows(ws: Workspace) -> None:
    filtered = api(ws, "/api/events", type="CONSULT")
    response = ws.client.get("/api/events", params={"type": "CONSULT", "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["id"] for r in rows] == [it["id"] for it in filtered["items"]]
    assert {r["event_type"] for r in rows} == {"CONSULT"}
    first = filtered["items"][0]
    assert rows[0]["source_name"] == ((first["source"] or {}).get("name") or "")
    lines = ws.client.get("/api/events", params={"type": "CONSULT", "format": "jsonl"})
    records = [json.loads(line) for line in lines.text.splitlines()]
    assert [r["id"] for r in records] == [r["id"] for r in rows]
    assert "sentence_start" not in records[0] and "source" in records[0]


def test_bad_parameters_get_one_clear_error(ws: Workspace) -> None:
    for params in (
        {"type": "BOMBING"},
        {"since": "last week"},
        {"country": "Turkey"},
        {"limit": "many"},
        {"format": "xml"},
        {"hypothetical": "maybe"},
    ):
        response = ws.client.get("/api/events", params=params)
        assert response.status_code == 422, params
        assert response.json()["error"]["code"] == "E025"
    page = ws.client.get("/events", params={"since": "yesterday"}, headers={"accept": "text/html"})
    assert page.status_code == 422 and "E025" in page.text


def test_the_events_page_filters_pages_and_links_each_row_to_its_evidence(ws: Workspace) -> None:
    page = ws.client.get("/events", params={"type": "CONSULT"})
    assert page.status_code == 200
    assert "Content-Security-Policy" in page.headers
    total = api(ws, "/api/events", type="CONSULT")["total"]
    assert f'id="ng-total">({total})' in page.text
    links = hrefs(page.text, "/articles/")
    assert len(links) == min(total, 50)
    sentences = {it["sentence"] for it in api(ws, "/api/events", type="CONSULT")["items"]}
    assert landed(ws, links[0]) in sentences
    # the export links carry the filter
    csv_link = hrefs(page.text, "/api/events")[0]
    assert "type=CONSULT" in csv_link and "format=csv" in csv_link
    # a facet link sets its filter; the chosen one clears it
    assert 'href="/events?type=CONSULT&amp;outlet=' in page.text or "outlet=" in page.text
    everything = ws.client.get("/events", params={"page": 2})
    assert everything.status_code == 200 and 'rel="prev"' in everything.text


# -- claims, flags, quotes ------------------------------------------------------------------


def test_claims_come_most_check_worthy_first_with_their_corroboration(ws: Workspace) -> None:
    got = api(ws, "/api/claims")
    scores = [it["checkworthiness"] for it in got["items"]]
    assert scores == sorted(scores, reverse=True)
    assert got["total"] == sum(len(r.claims) for r in ws.reports.values())
    statuses = {it["status"] for it in got["items"]}
    assert statuses & {"corroborated", "contradicted", "disputed"}
    for it in got["items"]:
        assert bool(it["corroborated_by"]) == (it["status"] in ("corroborated", "disputed"))
        assert bool(it["contradicted_by"]) == (it["status"] in ("contradicted", "disputed"))
    high = api(ws, "/api/claims", min_score=0.7)["items"]
    assert high and all(it["checkworthiness"] >= 0.7 for it in high)
    contradicted = api(ws, "/api/claims", status="contradicted,disputed")["items"]
    assert contradicted and all(it["contradicted_by"] for it in contradicted)
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                ws.client.get("/api/claims", params={"min_score": 0.7, "format": "csv"}).text
            )
        )
    )
    assert [r["claim_id"] for r in csv_rows] == [it["claim_id"] for it in high]


def test_the_claims_page_links_claims_to_their_spans(ws: Workspace) -> None:
    page = ws.client.get("/claims", params={"status": "contradicted"})
    assert page.status_code == 200
    items = api(ws, "/api/claims", status="contradicted")["items"]
    links = hrefs(page.text, "/articles/")
    assert items and landed(ws, links[0]) == items[0]["text"]


def test_flags_across_the_store_filter_by_code_and_severity(ws: Workspace) -> None:
    every = [(r, f) for r in ws.reports.values() for f in r.flags]
    got = api(ws, "/api/flags")
    assert got["total"] == len(every)
    assert [it["severity"] for it in got["items"]] == sorted(
        (it["severity"] for it in got["items"]), key=["error", "warning", "info"].index
    )
    code = every[0][1].code
    coded = api(ws, "/api/flags", code=code.lower())["items"]
    assert len(coded) == sum(1 for _, f in every if f.code == code)
    warnings = api(ws, "/api/flags", severity="warning")["items"]
    assert all(it["severity"] == "warning" for it in warnings)
    page = ws.client.get("/flags", params={"code": code})
    with_evidence = [it for it in coded if it["evidence"]]
    if with_evidence:
        link = hrefs(page.text, "/articles/")[0]
        assert landed(ws, link) == with_evidence[0]["evidence"][0]["text"]


def test_quotes_filter_by_speaker_and_source_kind(ws: Workspace) -> None:
    every = [(r, q) for r in ws.reports.values() for q in r.quotes]
    assert api(ws, "/api/quotes")["total"] == len(every)
    unnamed = api(ws, "/api/quotes", source_kind="anonymous_person,anonymous_group")["items"]
    assert unnamed and {it["source_kind"] for it in unnamed} <= {
        "anonymous_person",
        "anonymous_group",
    }
    erdogan = api(ws, "/api/quotes", speaker="erdogan")["items"]
    assert erdogan and all("erdo" in (it["speaker"] or "").lower() for it in erdogan)
    page = ws.client.get("/quotes", params={"speaker": "Erdogan"})
    assert landed(ws, hrefs(page.text, "/articles/")[0]) == erdogan[0]["text"]


# -- views ------------------------------------------------------------------------------------


def test_each_network_edge_counts_and_links_its_events(ws: Workspace) -> None:
    net = api(ws, "/api/network")
    assert net["nodes"] and net["edges"]
    keys = {n["key"] for n in net["nodes"]}
    for edge in net["edges"][:8]:
        assert edge["source"] in keys and edge["target"] in keys
        assert edge["tone"] in ("cooperation", "conflict", "mixed")
        got = api(ws, "/api/events", source=edge["source"], target=edge["target"])
        assert got["total"] == edge["events"]
    page = ws.client.get("/network")
    assert page.status_code == 200 and "<svg" in page.text
    edge_links = hrefs(page.text, "/events\\?source=")
    assert len(edge_links) >= len(net["edges"])
    first = ws.client.get(edge_links[0])
    assert first.status_code == 200
    shown = int(re.search(r'id="ng-total">\((\d+)\)', first.text)[1])  # type: ignore[index]
    assert shown == net["edges"][0]["events"]


def test_the_timeline_counts_every_event_of_its_span(ws: Workspace) -> None:
    got = api(ws, "/api/timeline", unit="day")
    assert got["unit"] == "day" and got["buckets"]
    counted = sum(sum(b["events"].values()) for b in got["buckets"])
    inside = api(ws, "/api/events", since=got["since"], until=got["until"])["total"]
    assert counted == inside
    everything = api(ws, "/api/events")["total"]
    assert got["undated"] > 0  # the article with no publication day
    assert counted + got["outside"] + got["undated"] == everything
    days = [b["start"] for b in got["buckets"]]
    assert days == sorted(days) and len(days) == len(set(days))
    busy = max(got["buckets"], key=lambda b: sum(b["events"].values()))
    one = api(ws, "/api/events", since=busy["start"], until=busy["end"])
    assert one["total"] == sum(busy["events"].values())
    page = ws.client.get("/timeline", params={"unit": "day"})
    assert page.status_code == 200 and "<rect" in page.text


def test_the_map_places_located_events_and_named_places(ws: Workspace) -> None:
    got = api(ws, "/api/map")
    names = {p["name"] for p in got["events"]}
    assert {"Palmyra", "Ankara"} <= names
    for point in got["events"]:
        assert api(ws, "/api/events", place=point["place"])["total"] == point["events"]
    assert any(p["name"] == "Moscow" for p in got["places"])
    page = ws.client.get("/map")
    assert page.status_code == 200 and 'class="ng-land"' in page.text
    point_links = set(hrefs(page.text, "/events\\?place="))  # the SVG's and the table's
    assert point_links == {f"/events?place={p['place']}" for p in got["events"]}


# -- stories, home, article ----------------------------------------------------------------


def test_story_pages_show_outlets_claims_and_who_contradicts_them(ws: Workspace) -> None:
    listing = ws.client.get("/stories")
    assert listing.status_code == 200
    story_links = hrefs(listing.text, "/stories/st-")
    assert story_links
    sizes = []
    for link in story_links:
        page = ws.client.get(link)
        assert page.status_code == 200
        sizes.append((page.text.count("Contradicted by:"), link, page.text))
    contradictions, link, html = max(sizes)
    assert contradictions > 0
    assert "Articles by outlet" in html and f'href="/events?story={link.rsplit("/", 1)[1]}"' in html
    assert ws.client.get("/stories/st-nothing").status_code == 404


def test_the_home_page_filters_by_flag_and_outlet(ws: Workspace) -> None:
    code = "UNNAMED_SOURCES_MAJORITY"
    flagged = {r.article.id for r in ws.reports.values() if any(f.code == code for f in r.flags)}
    page = ws.client.get("/", params={"flag": code})
    found = {h.rsplit("/", 1)[1] for h in hrefs(page.text, "/articles/")}
    assert flagged and found == flagged
    outlet = ws.client.get("/", params={"outlet": "Harbour Times"})
    titles = {r.article.title for r in ws.reports.values() if r.article.outlet == "Harbour Times"}
    assert all(unescape(t or "") in unescape(outlet.text) for t in titles)
    assert "Showing articles with outlet" in outlet.text


def test_the_article_page_has_a_legend_quotes_table_and_claims_list(ws: Workspace) -> None:
    report = max(ws.reports.values(), key=lambda r: len(r.quotes))
    page = ws.client.get(f"/articles/{report.article.id}")
    assert 'id="ng-legend"' in page.text
    assert page.text.count("ng-swatch-q ng-src-") >= len({q.source_kind for q in report.quotes})
    table = page.text.split('id="ng-quotes-table"')[1].split("</table>")[0]
    assert table.count("<tr>") == len(report.quotes) + 1
    claims = page.text.split('id="ng-claims-list"')[1].split("</ol>")[0]
    assert claims.count("<li>") == len(report.claims)
    # the flags come before the text in the page, so a phone shows them first
    assert page.text.index('id="ng-flags"') < page.text.index('id="ng-text"')


def test_a_span_link_marks_exactly_that_span(ws: Workspace) -> None:
    report = next(r for r in ws.reports.values() if r.claims)
    claim = report.claims[0]
    href = f"/articles/{report.article.id}?at={claim.start}-{claim.end}#ng-at"
    assert landed(ws, href) == claim.text
    page = ws.client.get(href)
    marked = re.findall(r'<span[^>]*class="[^"]*ng-at[^"]*"[^>]*>([^<]*)</span>', page.text)
    assert unescape("".join(marked)) == claim.text
    for bad in ("abc", "9-3", "-1-5", "99999999-999999999"):
        assert (
            ws.client.get(f"/articles/{report.article.id}", params={"at": bad}).status_code == 200
        )


def test_every_filter_survives_in_the_page_s_links(ws: Workspace) -> None:
    params = {"type": "CONSULT", "hypothetical": "no", "negated": "no", "outlet": "Harbour Times"}
    page = ws.client.get("/events", params=params)
    export = hrefs(page.text, "/api/events")[0]
    query = parse_qs(urlsplit(export).query)
    assert query["hypothetical"] == ["no"] and query["negated"] == ["no"]
    assert query["type"] == ["CONSULT"] and query["outlet"] == ["Harbour Times"]
    rows = list(csv.DictReader(io.StringIO(ws.client.get(export).text)))
    assert len(rows) == api(ws, "/api/events", **params)["total"]


def test_csv_cells_never_start_a_spreadsheet_formula() -> None:
    from newsgraph.web.workspace import _csv_value

    assert _csv_value("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _csv_value("@SUM(A1)") == "'@SUM(A1)"
    assert _csv_value("-12.5") == "-12.5" and _csv_value(-3.25) == "-3.25"
    assert _csv_value(["a", "b"]) == "a | b" and _csv_value(True) == "true"


@pytest.mark.parametrize("path", ["/api/claims", "/api/flags", "/api/quotes"])
def test_every_explorer_exports_its_filtered_rows_as_json_lines(ws: Workspace, path: str) -> None:
    page = api(ws, path)
    lines = ws.client.get(path, params={"format": "jsonl"})
    assert lines.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in lines.text.splitlines()]
    assert records == page["items"]  # every row, in the page's order, the same fields


def test_stories_export_and_filter_as_the_page_does(ws: Workspace) -> None:
    every = api(ws, "/api/stories")
    rows = list(csv.DictReader(io.StringIO(ws.client.get("/api/stories?format=csv").text)))
    assert [r["id"] for r in rows] == [s["id"] for s in every["items"]] and rows
    word = every["items"][0]["title"].split()[0]
    page = ws.client.get("/stories", params={"contains": word})
    found = {h.rsplit("/", 1)[1] for h in hrefs(page.text, "/stories/st-")}
    expected = {s["id"] for s in api(ws, "/api/stories", contains=word)["items"]}
    assert found == expected and found
    assert f"contains={word}" in hrefs(page.text, "/api/stories")[0]


def test_each_facet_count_is_what_its_filter_keeps(ws: Workspace) -> None:
    for path, facets in (
        ("/api/events", ("type", "mode", "outlet", "country")),
        ("/api/claims", ("kind", "status", "outlet")),
        ("/api/flags", ("code", "severity", "outlet")),
        ("/api/quotes", ("source_kind", "kind", "outlet")),
    ):
        got = api(ws, path)["facets"]
        for facet in facets:
            for entry in got[facet][:4]:
                kept = api(ws, path, **{facet: entry["value"]})["total"]
                assert kept == entry["n"], (path, facet, entry)
