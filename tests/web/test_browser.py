"""The pages in a real browser: Playwright driving Debian's Chromium against the real server.

The module starts ``newsgraph serve`` in a subprocess on a store filled by ``newsgraph
ingest examples/``, and drives ``/usr/bin/chromium`` (never a browser Playwright
downloads). Each step leaves a screenshot under ``test-output/screenshots/``.

Without Chromium or Playwright the tests skip, except under CI (``CI`` set), where
.ci/run installs both and a missing one is a failure.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from conftest import EXAMPLE, ROOT, SHARED, run_cli

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

pytestmark = [pytest.mark.browser, pytest.mark.model]

CHROMIUM = Path(os.environ.get("NEWSGRAPH_CHROMIUM", "/usr/bin/chromium"))
#: The machine's closed network refuses Chromium's background connections; these keep
#: it from trying (and from waiting on them).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # a small /dev/shm in a container crashes tabs
]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
SEED = SHARED / "seed" / "s400-return.txt"
SEED_PUBLISHED = "2025-12-19"
#: Analysing through the form loads the model in the server the first time.
ANALYSE_TIMEOUT_MS = 120_000
STEP_TIMEOUT_MS = 10_000

TRANSPARENT = "rgba(0, 0, 0, 0)"
PHONE = {"width": 390, "height": 844}

#: An article whose text (and first line, which may become its title) carries markup
#: that would run if a page put it into the DOM unescaped.
HOSTILE_TEXT = (
    "<b>Talks</b> resume <script>window.__pwned=3</script> in Vilnius\n\n"
    "VILNIUS, Lithuania - Defence ministers from the three Baltic states met in Vilnius "
    "on Monday to discuss joint air defence. <script>window.__pwned=1</script> "
    "The Lithuanian minister said the talks would continue in March. "
    '<img src=x onerror="window.__pwned=2"> Officials declined to give further details, '
    "according to a statement released after the meeting.\n"
)


def _missing(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI installs it: see .ci/run)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli_command() -> list[str]:
    exe = Path(sys.executable).with_name("newsgraph")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "newsgraph.cli"]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # it answered, if not with 200
    except OSError:
        return False


@dataclass(frozen=True)
class Served:
    """A running ``newsgraph serve``: its base URL and its log file."""

    base: str
    log: Path

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


def _ingest(db: Path, *args: str) -> None:
    done = run_cli("ingest", *args, "--db", str(db), timeout=300)
    assert done.returncode == 0, done.stderr.decode(errors="replace")


@pytest.fixture(scope="module")
def server(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``newsgraph serve`` on a fresh store holding the bundled example.

    It asks for the browser first so that, without one, the tests skip before any work."""
    where = tmp_path_factory.mktemp("browser")
    db = where / "store.duckdb"
    _ingest(db, str(ROOT / "examples"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = where / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*_cli_command(), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 60
        while not _answers(base + "/"):
            if proc.poll() is not None or time.monotonic() > deadline:
                log_text = log_path.read_text(encoding="utf-8", errors="replace")
                pytest.fail(f"newsgraph serve did not answer on {base}:\n{log_text[-3000:]}")
            time.sleep(0.2)
        yield Served(base, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _new_page(browser: Browser, **context: Any) -> tuple[Page, list[str]]:
    """A page in a fresh context, and the list its uncaught script errors go to."""
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, errors


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized page; the test fails if a script on it threw."""
    page, errors = _new_page(browser, viewport={"width": 1280, "height": 900})
    try:
        yield page
    finally:
        page.context.close()
    assert not errors, f"uncaught script errors on the page: {errors}"


def shot(page: Page, request: pytest.FixtureRequest, step: str) -> None:
    """Save a screenshot of this step as test-output/screenshots/<test>-<step>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{step}.png"), full_page=True)


def _check_response(response: Response | None, server: Served) -> None:
    assert response is not None, "no response"
    if not response.ok:
        body = response.text()[:500]
        pytest.fail(
            f"GET {response.url}: HTTP {response.status}: {body}\n"
            f"--- server log ---\n{server.log_tail()}"
        )


def visit(page: Page, server: Served, url: str) -> None:
    """Open ``url`` (a path on the server, or a full URL); fail on anything but HTTP 2xx."""
    _check_response(page.goto(url if "://" in url else server.base + url), server)


def analyse_through_form(page: Page, server: Served, text: str, published: str | None) -> str:
    """Fill the home page's form, submit it, and return the article page's URL it lands on."""
    visit(page, server, "/")
    page.fill("#ng-analyze-text", text)
    if published:
        page.fill("#ng-analyze-published", published)
    with page.expect_navigation(timeout=ANALYSE_TIMEOUT_MS) as navigation:
        page.click("#ng-analyze-submit")
    _check_response(navigation.value, server)
    assert re.search(r"/articles/[^/?#]+$", page.url), f"landed on {page.url}"
    return page.url


def _seed() -> str:
    if not SEED.exists():
        pytest.skip(f"{SEED} is not available (../shared absent)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_url(server: Served, browser: Browser) -> str:
    """The seed article's page, analysed and stored through the home page's form."""
    text = _seed()
    page, errors = _new_page(browser)
    try:
        url = analyse_through_form(page, server, text, SEED_PUBLISHED)
    finally:
        page.context.close()
    assert not errors, f"uncaught script errors on the page: {errors}"
    return url


def _squash(text: str) -> str:
    return " ".join(text.split())


# -- 1. analyse the seed article through the page ---------------------------------------


@pytest.mark.shared
def test_seed_article_is_analysed_through_the_form_and_shown_with_marks(
    server: Served, page: Page, request: pytest.FixtureRequest
) -> None:
    text = _seed()
    visit(page, server, "/")
    shot(page, request, "1-home")
    url = analyse_through_form(page, server, text, SEED_PUBLISHED)
    assert re.search(r"/articles/[0-9a-f]{8,}", url), url
    shot(page, request, "2-article")
    shown = page.inner_text("#ng-text")
    assert _squash(text) in _squash(shown)
    assert page.locator("#ng-text .ng-mark.ng-entity").count() > 0
    assert page.locator("#ng-flags .ng-flag").count() > 0


# -- 2. toggle a layer --------------------------------------------------------------------


def _background(page: Page, selector: str) -> str:
    return str(page.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor"))


@pytest.mark.shared
def test_unchecking_a_layer_hides_its_marks_and_checking_it_shows_them_again(
    server: Served, seed_url: str, page: Page, request: pytest.FixtureRequest
) -> None:
    from playwright.sync_api import expect

    visit(page, server, seed_url)
    # a mark of the entity layer alone: another layer's colour would stay when hidden
    mark = "#ng-text .ng-mark.ng-entity:not(.ng-quote):not(.ng-claim):not(.ng-timex)"
    page.wait_for_selector(mark)
    before = _background(page, mark)
    assert before != TRANSPARENT, "an entity mark has no background colour to hide"
    text = page.locator("#ng-text")
    toggle = page.locator("#ng-toggle-entity")
    expect(toggle).to_be_checked()
    assert toggle.get_attribute("data-layer") == "entity"

    toggle.uncheck()
    expect(text).to_have_class(re.compile(r"\bng-hide-entity\b"))
    page.wait_for_function(
        "([sel, bg]) => getComputedStyle(document.querySelector(sel)).backgroundColor === bg",
        arg=[mark, TRANSPARENT],
    )
    shot(page, request, "1-entities-hidden")

    toggle.check()
    expect(text).not_to_have_class(re.compile(r"\bng-hide-entity\b"))
    page.wait_for_function(
        "([sel, bg]) => getComputedStyle(document.querySelector(sel)).backgroundColor === bg",
        arg=[mark, before],
    )
    shot(page, request, "2-entities-shown")


# -- 3. a flag shows its evidence -------------------------------------------------------


@pytest.mark.shared
def test_clicking_the_anachronism_flag_highlights_its_evidence_in_view(
    server: Served, seed_url: str, page: Page, request: pytest.FixtureRequest
) -> None:
    from playwright.sync_api import expect

    visit(page, server, seed_url)
    flag = page.locator('#ng-flags .ng-flag[data-code="OFFICE_ANACHRONISM"]')
    expect(flag).to_have_count(1)
    expect(flag).to_have_attribute("role", "button")
    index = flag.get_attribute("data-flag")
    assert index is not None and index.isdigit()
    flag.click()
    active = page.locator("#ng-text .ng-ev-active")
    expect(active.first).to_be_visible()
    shown = "".join(active.all_text_contents())
    assert "September 2024" in shown
    assert "President Donald Trump" in _squash(shown)
    # every highlighted element is evidence of this flag
    for flags in active.evaluate_all("els => els.map(e => e.dataset.flags || '')"):
        assert index in flags.split(), flags
    expect(active.first).to_be_in_viewport()
    shot(page, request, "1-anachronism")


@pytest.mark.shared
def test_a_focused_flag_shows_its_evidence_on_enter(
    server: Served, seed_url: str, page: Page, request: pytest.FixtureRequest
) -> None:
    from playwright.sync_api import expect

    visit(page, server, seed_url)
    flag = page.locator('#ng-flags .ng-flag[data-code="UNNAMED_SOURCES_MAJORITY"]')
    expect(flag).to_have_count(1)
    expect(flag).to_have_attribute("tabindex", "0")
    index = flag.get_attribute("data-flag")
    assert index is not None
    flag.focus()
    expect(flag).to_be_focused()
    page.keyboard.press("Enter")
    evidence = page.locator(f'#ng-text .ng-ev[data-flags~="{index}"]')
    assert evidence.count() > 0, "the flag has no evidence in the text"
    expect(evidence.first).to_have_class(re.compile(r"\bng-ev-active\b"))
    active = page.locator("#ng-text .ng-ev-active")
    for flags in active.evaluate_all("els => els.map(e => e.dataset.flags || '')"):
        assert index in flags.split(), flags
    shot(page, request, "1-unnamed-sources")


# -- 4. tooltip ---------------------------------------------------------------------------


@pytest.mark.shared
def test_hovering_or_focusing_a_mark_shows_the_tooltip(
    server: Served, seed_url: str, page: Page, request: pytest.FixtureRequest
) -> None:
    from playwright.sync_api import expect

    visit(page, server, seed_url)
    tip = page.locator("#ng-tip")
    expect(tip).to_have_attribute("role", "tooltip")
    expect(tip).to_be_hidden()
    marks = page.locator("#ng-text .ng-mark.ng-entity")
    marks.first.hover()
    expect(tip).to_be_visible()
    assert tip.inner_text().strip()
    shot(page, request, "1-hover")

    page.mouse.move(0, 0)
    other = marks.nth(1)
    expect(other).to_have_attribute("tabindex", "0")
    other.focus()
    expect(tip).to_be_visible()
    assert tip.inner_text().strip()
    shot(page, request, "2-focus")


# -- 5. entity page -----------------------------------------------------------------------


@pytest.mark.shared
def test_an_entity_link_opens_the_entity_page_with_its_activity(
    server: Served, seed_url: str, page: Page, request: pytest.FixtureRequest
) -> None:
    from playwright.sync_api import expect

    visit(page, server, seed_url)
    link = page.locator("#ng-entities a.ng-entity-link", has_text="Donald Trump").first
    href = link.get_attribute("href") or ""
    assert re.search(r"/entities/Q22686$", href), href
    link.click()
    page.wait_for_url(re.compile(r"/entities/Q22686$"))
    expect(page.locator("h1#ng-entity-name")).to_contain_text("Donald Trump")
    items = page.locator("ol#ng-activity li.ng-activity-item")
    expect(items.first).to_be_visible()
    shot(page, request, "1-entity")


# -- 6. escaping --------------------------------------------------------------------------


def test_markup_in_an_article_is_shown_as_text_and_never_runs(
    server: Served, page: Page, request: pytest.FixtureRequest
) -> None:
    url = analyse_through_form(page, server, HOSTILE_TEXT, None)
    page.wait_for_load_state("load")
    shot(page, request, "1-article")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    shown = page.inner_text("#ng-text")
    assert "<script>window.__pwned=1</script>" in shown
    assert '<img src=x onerror="window.__pwned=2">' in shown
    assert page.locator("#ng-text script, #ng-text img, #ng-text b").count() == 0

    # the home page lists it (its title may come from the first line): still inert
    visit(page, server, "/")
    page.wait_for_load_state("load")
    shot(page, request, "2-home")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("table#ng-articles script, table#ng-articles b").count() == 0
    visit(page, server, url)
    assert page.evaluate("typeof window.__pwned") == "undefined"


# -- 7. phone width -----------------------------------------------------------------------


@pytest.mark.parametrize("which", ["example", pytest.param("seed", marks=pytest.mark.shared)])
def test_the_article_page_fits_a_phone_without_horizontal_scroll(
    which: str, server: Served, browser: Browser, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("seed_url") if which == "seed" else ""
    page, errors = _new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        if not url:
            visit(page, server, "/")
            from newsgraph.api import to_article

            example = to_article(EXAMPLE.read_text(encoding="utf-8")).id
            link = page.locator(f'table#ng-articles a.ng-article-link[href$="{example}"]')
            link.click()
            page.wait_for_url(re.compile(r"/articles/[^/?#]+"))
        else:
            visit(page, server, url)
        page.wait_for_load_state("load")
        page.wait_for_selector("#ng-text")
        shot(page, request, "1-phone")
        # a phone lays a page without <meta name=viewport> out 980 px wide: that fails too
        widths = page.evaluate(
            "() => ({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth})"
        )
        assert widths["scroll"] <= PHONE["width"] + 1, widths
    finally:
        page.context.close()
    assert not errors, f"uncaught script errors on the page: {errors}"
