"""The analyst's workspace in a real browser: Playwright driving Debian's Chromium against
a real server, with every request to another host blocked and recorded.

Each view is opened and looked at (a screenshot per view, under
``$NEWSGRAPH_SCREENSHOTS``, default ``test-output/screenshots``; ``make screenshots``
writes them to ``docs/screenshots``, which docs/web.md links); a filter is set through a
form; a network edge and a map point are clicked through to their evidence span; the
CSV export of a filtered page is downloaded and parsed. Without Chromium or Playwright
the tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT

from .conftest import WorkspaceStore, live_server
from .test_browser import browser  # noqa: F401  (the module's Chromium)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

pytestmark = [pytest.mark.browser, pytest.mark.model]

SHOTS = Path(os.environ.get("NEWSGRAPH_SCREENSHOTS") or ROOT / "test-output" / "screenshots")
STEP_MS = 15_000


@dataclass
class Watch:
    """What the page asked of other hosts, and the errors and CSP reports it raised."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def base(workspace_store: WorkspaceStore) -> Iterator[str]:
    with live_server(workspace_store.db) as live:
        yield live.base


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, Watch]]:  # noqa: F811
    """A desktop page whose requests to any host but 127.0.0.1 are aborted and recorded."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    watch = Watch()

    def gate(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.set_default_timeout(STEP_MS)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: watch.console.append(msg.text) if msg.type in ("error", "warning") else None,
    )
    try:
        yield page, watch
    finally:
        context.close()
    assert not watch.outside, f"requests to other hosts: {watch.outside}"
    assert not watch.errors, f"script errors: {watch.errors}"
    csp = [m for m in watch.console if "Content Security Policy" in m]
    assert not csp, f"CSP violations: {csp}"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"workspace-{name}.png"), full_page=False)


def go(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"


def total_shown(page: Page) -> int:
    found = re.search(r"\((\d+)\)", page.locator("#ng-total").inner_text())
    assert found
    return int(found[1])


def click_svg_path(page: Page, selector: str) -> None:
    """A real mouse click on a point of an SVG path that is on top there (the centre of
    a curve's box may miss the line, and other lines cross it)."""
    target = page.locator(selector)
    target.scroll_into_view_if_needed()
    point = target.evaluate(
        """(path) => {
            const link = path.closest("a");
            const total = path.getTotalLength();
            for (const share of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9]) {
                const p = path.getPointAtLength(total * share);
                const m = path.getScreenCTM();
                const x = p.x * m.a + p.y * m.c + m.e, y = p.x * m.b + p.y * m.d + m.f;
                const hit = document.elementFromPoint(x, y);
                if (hit && hit.closest("a") === link) return {x, y};
            }
            return null;
        }"""
    )
    assert point is not None, f"no point of {selector} is on top"
    page.mouse.click(point["x"], point["y"])


def landed_span(page: Page, store: WorkspaceStore) -> str:
    """On an article page reached by a span link: the marked span, visible on screen,
    checked against the article text."""
    parts = urlsplit(page.url)
    assert parts.fragment == "ng-at"
    start, end = (int(x) for x in parse_qs(parts.query)["at"][0].split("-"))
    article_id = parts.path.rsplit("/", 1)[1]
    mark = page.locator("#ng-at")
    mark.wait_for(state="visible")
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]  # type: ignore[index]
    marked = "".join(page.locator("#ng-text .ng-at").all_inner_texts())
    expected = store.reports[article_id].article.text[start:end]
    assert " ".join(marked.split()) == " ".join(expected.split())
    return expected


VIEWS = (
    ("home", "/"),
    ("search", "/search?q=Erdo%C4%9Fan"),
    ("entity", "/entities/Q39259"),
    ("events", "/events"),
    ("claims", "/claims"),
    ("flags", "/flags"),
    ("quotes", "/quotes"),
    ("stories", "/stories"),
    ("entities", "/entities"),
    ("network", "/network"),
    ("timeline", "/timeline?unit=day"),
    ("map", "/map"),
    ("docs", "/docs"),
)


@pytest.mark.parametrize(("name", "path"), VIEWS, ids=[v[0] for v in VIEWS])
def test_every_view_loads_offline(
    watched: tuple[Page, Watch], base: str, name: str, path: str
) -> None:
    page, _watch = watched
    go(page, base + path)
    if name == "docs":
        page.locator(".opblock").first.wait_for(state="visible")
    else:
        page.locator("main h1").first.wait_for(state="visible")
        assert page.locator(".ng-nav a").count() >= 10
    shot(page, name)


def test_a_story_page_and_an_article_page_load_offline(
    watched: tuple[Page, Watch], base: str
) -> None:
    page, _watch = watched
    go(page, base + "/stories")
    page.locator("#ng-rows a").first.click()
    page.wait_for_url(re.compile(r"/stories/st-"))
    page.locator("#ng-story-claims").wait_for(state="visible")
    shot(page, "story")
    page.locator("#ng-story-outlets a").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    page.locator("#ng-legend").wait_for(state="visible")
    shot(page, "article")


def test_a_filter_set_in_the_form_lands_in_the_address(
    watched: tuple[Page, Watch], base: str
) -> None:
    page, _watch = watched
    go(page, base + "/events")
    everything = total_shown(page)
    page.select_option("#ng-f-type", "CONSULT")
    page.fill("#ng-f-outlet", "Harbour Times")
    with page.expect_navigation():
        page.click("#ng-filter-submit")
    query = parse_qs(urlsplit(page.url).query)
    assert query["type"] == ["CONSULT"] and query["outlet"] == ["Harbour Times"]
    filtered = total_shown(page)
    api = page.request.get(base + "/api/events?type=CONSULT&outlet=Harbour+Times").json()
    assert 0 < filtered == api["total"] < everything
    types = page.locator("#ng-rows tbody td:nth-child(2)").all_inner_texts()
    assert types and all(t.startswith("CONSULT") for t in types)
    # the chosen facet clears itself
    page.locator(".ng-facet[data-facet='type'] a.ng-chosen").click()
    page.wait_for_load_state()
    assert "type=" not in page.url and total_shown(page) > filtered


FACETS = (
    ("/events", "country"),
    ("/events", "outlet"),
    ("/claims", "status"),
    ("/claims", "kind"),
    ("/flags", "code"),
    ("/flags", "severity"),
    ("/quotes", "source_kind"),
)


@pytest.mark.parametrize(("path", "facet"), FACETS, ids=[f"{p[1:]}-{f}" for p, f in FACETS])
def test_a_facet_click_filters_the_explorer_and_its_api_twin(
    watched: tuple[Page, Watch], base: str, path: str, facet: str
) -> None:
    page, _watch = watched
    go(page, base + path)
    link = page.locator(f".ng-facet[data-facet='{facet}'] li").first
    count = int(link.locator(".ng-muted").inner_text())
    with page.expect_navigation():
        link.locator("a").click()
    query = parse_qs(urlsplit(page.url).query)
    assert facet in query
    assert total_shown(page) == count
    twin = page.request.get(f"{base}/api{path}", params={facet: query[facet][0]}).json()
    assert twin["total"] == count
    rows = page.locator("#ng-rows tbody tr").count()
    assert rows == min(count, 50)
    # the evidence link of the first row lands on a span of its article
    with page.expect_navigation():
        page.locator("#ng-rows tbody td.ng-evidence a").first.click()
    assert "/articles/" in page.url


def test_a_network_edge_leads_to_its_events_and_their_evidence(
    watched: tuple[Page, Watch], base: str, workspace_store: WorkspaceStore
) -> None:
    page, _watch = watched
    go(page, base + "/network")
    edge = page.locator("a.ng-edge").first
    source, target = edge.get_attribute("data-source"), edge.get_attribute("data-target")
    weight = int(page.locator("#ng-edges-table tbody tr").first.locator("td").nth(2).inner_text())
    with page.expect_navigation():
        click_svg_path(page, "a.ng-edge >> nth=0 >> path")
    assert urlsplit(page.url).path == "/events"
    assert total_shown(page) == weight
    sources = page.locator("#ng-rows tbody td:nth-child(3)").all_inner_texts()
    targets = page.locator("#ng-rows tbody td:nth-child(4)").all_inner_texts()
    assert all(s.startswith(source or "?") for s in sources)
    assert all(t.startswith(target or "?") for t in targets)
    sentence = page.locator("#ng-rows tbody td.ng-evidence").first.inner_text()
    with page.expect_navigation():
        page.locator("#ng-rows tbody td.ng-evidence a").first.click()
    assert " ".join(landed_span(page, workspace_store).split()) == " ".join(sentence.split())
    shot(page, "network-edge-evidence")


def test_a_map_point_leads_to_its_events_and_their_evidence(
    watched: tuple[Page, Watch], base: str, workspace_store: WorkspaceStore
) -> None:
    page, _watch = watched
    go(page, base + "/map")
    point = page.locator("a.ng-point[data-place]").first
    place = point.get_attribute("data-place")
    with page.expect_navigation():
        point.locator("circle").click()
    assert parse_qs(urlsplit(page.url).query)["place"] == [place]
    api = page.request.get(f"{base}/api/events?place={place}").json()
    assert total_shown(page) == api["total"] > 0
    with page.expect_navigation():
        page.locator("#ng-rows tbody td.ng-evidence a").first.click()
    text = landed_span(page, workspace_store)
    assert text == api["items"][0]["sentence"]


def test_the_csv_export_of_a_filtered_page_parses_to_its_rows(
    watched: tuple[Page, Watch], base: str
) -> None:
    page, _watch = watched
    go(page, base + "/events?type=CONSULT&hypothetical=no")
    shown = total_shown(page)
    with page.expect_download() as info:
        page.locator("a.ng-export[data-format='CSV']").click()
    body = Path(info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == shown > 0
    assert {r["event_type"] for r in rows} == {"CONSULT"}
    assert {r["hypothetical"] for r in rows} == {"false"}
    api: Any = page.request.get(f"{base}/api/events?type=CONSULT&hypothetical=no&limit=500").json()
    assert [r["id"] for r in rows] == [it["id"] for it in api["items"]]
    go(page, base + "/claims?min_score=0.7")
    with page.expect_download() as info:
        page.locator("a.ng-export[data-format='CSV']").click()
    claims = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
    assert len(claims) == total_shown(page) > 0
    assert all(float(c["checkworthiness"]) >= 0.7 for c in claims)


def test_a_timeline_bar_leads_to_the_events_of_its_day(
    watched: tuple[Page, Watch], base: str
) -> None:
    page, _watch = watched
    go(page, base + "/timeline?unit=day")
    bar = page.locator("a.ng-bar-link").first
    title = bar.locator("title").text_content() or ""  # "2025-12-18: 3 CONSULT"
    found = re.match(r"(\S+): (\d+) (\w+)", title)
    assert found
    with page.expect_navigation():
        bar.locator("rect").click()
    query = parse_qs(urlsplit(page.url).query)
    assert query["since"] == [found[1]] and query["type"] == [found[3]]
    assert total_shown(page) == int(found[2])


def test_the_article_page_shows_flags_before_the_text_on_a_phone(
    browser: Browser,  # noqa: F811
    base: str,
    workspace_store: WorkspaceStore,
) -> None:
    report = max(workspace_store.reports.values(), key=lambda r: len(r.flags))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        go(page, f"{base}/articles/{report.article.id}")
        flags = page.locator("#ng-flags").bounding_box()
        text = page.locator("#ng-text").bounding_box()
        assert flags is not None and text is not None and flags["y"] < text["y"]
        assert page.locator("#ng-quotes-table tbody tr").count() == len(report.quotes)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "workspace-article-phone.png"))
    finally:
        context.close()
