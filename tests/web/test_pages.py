"""The HTML pages: structure (the DOM contract the browser tests use), escaping of
article text, error pages, the entity and search pages, and static files."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsgraph.report import (
    Article,
    Claim,
    Entity,
    Flag,
    Quote,
    Report,
    Span,
    TimelineEntry,
    Timex,
)
from newsgraph.store import Store
from newsgraph.web import pages

from .conftest import ERDOGAN, RUSSIA, Corpus, make_client

EVIL = "<script>alert(1)</script> and <img src=x onerror=alert(1)>"
TEXT = (
    "Ankara talks\n\n"
    "President Recep Tayyip Erdogan met officials on Monday. "
    "\u201cTurkey will buy 40 jets from Russia next year,\u201d a Turkish official said. "
    f"Readers wrote {EVIL} in the comments.\n"
)


def span(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def hand_report(text: str = TEXT) -> Report:
    """A report with every layer, overlapping: an entity inside a quote inside a claim,
    and flag evidence that crosses the quote's start."""
    t = text
    quote = span(t, "Turkey will buy 40 jets from Russia next year,")
    claim = span(t, "Turkey will buy 40 jets")
    crossing = span(t, "Monday. \u201cTurkey")
    monday = span(t, "Monday")
    entities = [
        Entity(
            "e1",
            "Recep Tayyip Erdogan",
            "PERSON",
            ERDOGAN,
            [span(t, "Recep Tayyip Erdogan")],
            attrs={"office": "President of Turkey"},
        ),
        Entity("e2", "Turkey", "COUNTRY", "Q43", [span(t, "Turkey")]),
        Entity("e3", "Russia", "COUNTRY", RUSSIA, [span(t, "Russia")]),
        Entity(
            "e4",
            "</script><script>alert(2)</script>",
            "OTHER",
            None,
            [span(t, "<script>alert(1)</script>")],
        ),
    ]
    return Report(
        article=Article(
            text=t,
            title="Ankara talks <b>bold</b>",
            url="javascript:alert(3)",
            outlet="Example <i>Daily</i>",
            published="2025-03-10",
            published_source="given",
        ),
        entities=entities,
        quotes=[
            Quote(
                "q1",
                "direct",
                quote,
                span(t, "said"),
                span(t, "a Turkish official"),
                None,
                "anonymous_person",
            )
        ],
        timexes=[
            Timex(monday.start, monday.end, monday.text, "DATE", "2025-03-10"),
            Timex(*_sp(span(t, "next year")), "DATE", "2026"),
        ],
        claims=[Claim("c1", claim.start, claim.end, claim.text, 0.9, "numeric", "q1")],
        flags=[
            Flag(
                "SOURCE_ANONYMOUS", "info", "An unnamed official.", [span(t, "a Turkish official")]
            ),
            Flag("TEXT_MARKUP", "error", "Markup <in> the text.", [span(t, EVIL)]),
            Flag("CROSSING", "warning", "Evidence crossing marks.", [crossing]),
        ],
        sourcing={
            "quotes": 1,
            "by_source_kind": {"anonymous_person": 1},
            "quoted_words": 9,
            "unnamed_quoted_words": 9,
            "unnamed_share": 1.0,
            "named_sources": 0,
        },
        timeline=[
            TimelineEntry(
                "2026-01-01",
                "2026-12-31",
                "by",
                "2026",
                "Turkey <buys> jets",
                span(t, "\u201cTurkey will buy 40 jets from Russia next year,\u201d"),
                span(t, "next year"),
            )
        ],
    )


def _sp(s: Span) -> tuple[int, int, str]:
    return s.start, s.end, s.text


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside ``#ng-text``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.depth = 0  # > 0 inside #ng-text
        self.text: list[str] = []
        self.max_nesting = 0
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if self.depth:
            self.depth += 1
            self.max_nesting = max(self.max_nesting, self.depth - 1)
        elif a.get("id") == "ng-text":
            self.depth = 1
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)
        if self._in_script:
            self.scripts.append(data)

    def find(self, **want: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if all(a.get(k) == v for k, v in want.items())]


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


@pytest.fixture
def hand_client(tmp_path: Path) -> TestClient:
    db = tmp_path / "hand.duckdb"
    with Store.open(db) as store:
        store.add(hand_report(), origin="test")
    return make_client(db)


@pytest.fixture
def hand_page(hand_client: TestClient) -> str:
    r = hand_client.get(f"/articles/{hand_report().article.id}")
    assert r.status_code == 200
    return r.text


# -- the article page ------------------------------------------------------------------


def test_article_page_keeps_the_dom_contract(hand_page: str) -> None:
    p = parse(hand_page)
    assert p.find(id="ng-text")
    for layer in ("entity", "quote", "claim", "timex"):
        box = p.find(id=f"ng-toggle-{layer}")
        assert box and box[0]["type"] == "checkbox" and box[0]["data-layer"] == layer
        assert "ng-toggle" in (box[0]["class"] or "") and "checked" in box[0]
        assert p.find(**{"for": f"ng-toggle-{layer}"}), f"no label for {layer}"
    tip = p.find(id="ng-tip")
    assert tip and tip[0]["role"] == "tooltip" and "hidden" in tip[0]
    marks = [a for _, a in p.tags if "ng-mark" in (a.get("class") or "").split()]
    assert marks
    for a in marks:
        classes = (a["class"] or "").split()
        layers = (a["data-layers"] or "").split()
        assert layers and all(f"ng-{layer}" in classes for layer in layers)
    erdogan = [a for a in marks if a.get("data-entity") == "e1"]
    assert erdogan and erdogan[0]["tabindex"] == "0"
    assert any(a.get("data-layers") == "entity quote claim" for a in marks)
    assert p.find(id="ng-sourcing") and p.find(id="ng-timeline") and p.find(id="ng-entities")
    links = [a["href"] for _, a in p.tags if a.get("class") == "ng-entity-link"]
    assert f"/entities/{ERDOGAN}" in links and f"/entities/{RUSSIA}" in links


def test_flags_are_ordered_by_severity_and_point_at_their_evidence(hand_page: str) -> None:
    p = parse(hand_page)
    flags = [a for _, a in p.tags if "ng-flag" in (a.get("class") or "").split()]
    assert [f["data-code"] for f in flags] == ["TEXT_MARKUP", "CROSSING", "SOURCE_ANONYMOUS"]
    assert [f["data-flag"] for f in flags] == ["0", "1", "2"]
    assert all(f["tabindex"] == "0" and f["role"] == "button" for f in flags)
    assert "ng-sev-error" in (flags[0]["class"] or "")
    ev = [a for _, a in p.tags if "ng-ev" in (a.get("class") or "").split()]
    indices = {i for a in ev for i in (a["data-flags"] or "").split()}
    assert indices == {"0", "1", "2"}
    # the crossing evidence covers plain text and the start of the quote
    crossing = [a for a in ev if "1" in (a["data-flags"] or "").split()]
    assert any("ng-quote" in (a["class"] or "") for a in crossing)
    assert any("ng-mark" not in (a["class"] or "") for a in crossing)


def test_highlighted_text_is_flat_and_reassembles_the_article(hand_page: str) -> None:
    p = parse(hand_page)
    assert p.max_nesting == 1, "segments must not nest, so markup never crosses"
    assert "".join(p.text) == TEXT


def test_segments_carry_every_covering_layer() -> None:
    html = str(pages.build_segments(hand_report()))
    turkey = re.search(r'<span class="([^"]+)"([^>]*)>Turkey</span>', html)
    assert turkey is not None
    assert "ng-entity ng-t-COUNTRY" in turkey.group(1)
    assert "ng-quote ng-src-anonymous_person" in turkey.group(1)
    assert "ng-claim ng-cw-high" in turkey.group(1)
    assert 'data-entity="e2"' in turkey.group(2) and 'data-quote="q1"' in turkey.group(2)


def test_article_text_and_data_are_escaped(hand_page: str) -> None:
    p = parse(hand_page)
    assert not [t for t, _ in p.tags if t in ("img", "b", "i", "in", "buys")]
    for tag, attrs in p.tags:
        assert not [k for k in attrs if k.startswith("on")], f"event handler on <{tag}>"
        if tag == "script":
            assert attrs.get("src") or attrs.get("type") == "application/json"
        if tag == "a":
            assert not (attrs.get("href") or "").lower().startswith("javascript:")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hand_page
    assert "&lt;img src=x onerror=alert(1)&gt;" in hand_page
    assert "Ankara talks &lt;b&gt;bold&lt;/b&gt;" in hand_page
    # the JSON block cannot be closed early by an entity name holding </script>
    (data,) = [s for s in p.scripts if s.strip()]
    assert "</" not in data and "<" not in data
    assert "\\u003c/script\\u003e" in data


def test_article_page_sends_a_strict_content_security_policy(hand_client: TestClient) -> None:
    r = hand_client.get(f"/articles/{hand_report().article.id}")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["content-type"].startswith("text/html")


def test_unknown_article_is_a_404_page_without_traceback(client: TestClient) -> None:
    r = client.get("/articles/0123456789abcdef")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "E022" in r.text and "Traceback" not in r.text
    assert "0123456789abcdef" in r.text


def test_article_page_of_a_real_report(client: TestClient, corpus: Corpus) -> None:
    article_id = corpus.ids["Turkey and Russia talk air defence"]
    r = client.get(f"/articles/{article_id}")
    assert r.status_code == 200
    p = parse(r.text)
    assert "".join(p.text).startswith("Turkish President Recep Tayyip Erdogan")
    assert p.find(id="ng-flags") and p.find(id="ng-sourcing")
    assert any("ng-entity" in (a.get("class") or "") for _, a in p.tags)


def test_a_long_article_renders_every_layer(tmp_path: Path) -> None:
    # How fast is a benchmark's question (the house rule: no timed unit tests; this one
    # failed a CI run at 0.42 s against 0.3 s on a busy machine); here: all of it renders.
    paragraph = TEXT.split("\n", 2)[2]
    text = "Ankara talks\n\n" + paragraph * 300
    base = hand_report(TEXT)
    shift = len(paragraph)
    offset0 = len("Ankara talks\n\n")

    def moved(s: Span, k: int) -> Span:
        return Span.of(text, s.start + k * shift, s.end + k * shift)

    entities = [
        Entity(e.id + f"-{k}", e.name, e.type, e.kb_id, [moved(m, k) for m in e.mentions])
        for k in range(300)
        for e in base.entities
    ]
    quotes = [
        Quote(f"q{k}", "direct", moved(q.content, k), None, None, None, q.source_kind)
        for k in range(300)
        for q in base.quotes
    ]
    flags = [
        Flag(f.code, f.severity, f.message, [moved(s, k) for s in f.evidence])
        for k in range(300)
        for f in base.flags
        if f.evidence[0].start >= offset0
    ]
    report = Report(article=Article(text=text), entities=entities, quotes=quotes, flags=flags)
    assert report.span_problems() == []
    view = pages._article_view(report)
    html = (
        pages._environment()
        .get_template("article.html")
        .render(page_title="x", v=view, q="", token_required=False)
    )
    assert html.count('class="ng-entity') >= 300  # each of the 300 paragraphs marked
    assert html.count("ng-quote") >= 300


# -- home and analyse ------------------------------------------------------------------


def test_home_has_the_analyse_form_the_article_list_and_search(
    client: TestClient, corpus: Corpus
) -> None:
    r = client.get("/")
    assert r.status_code == 200
    p = parse(r.text)
    form = p.find(id="ng-analyze")
    assert form and form[0]["method"] == "post" and form[0]["action"] == "/analyze"
    assert p.find(id="ng-analyze-text", name="text")
    assert p.find(id="ng-analyze-url", name="url")
    assert p.find(id="ng-analyze-published", name="published", type="date")
    assert p.find(id="ng-analyze-submit", type="submit")
    search = p.find(id="ng-search")
    assert search and search[0]["action"] == "/search" and search[0]["method"] == "get"
    assert p.find(name="q")
    assert p.find(id="ng-articles")
    hrefs = {a["href"] for _, a in p.tags if a.get("class") == "ng-article-link"}
    assert {f"/articles/{i}" for i in corpus.ids.values()} <= hrefs


def test_home_pages_through_the_articles(
    client: TestClient, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    first = parse(client.get("/").text)
    second = parse(client.get("/?page=2").text)
    links = [
        [a["href"] for _, a in p.tags if a.get("class") == "ng-article-link"]
        for p in (first, second)
    ]
    assert len(links[0]) == 2 and links[1] and not set(links[0]) & set(links[1])
    assert first.find(rel="next", href="/?page=2")


def test_analyze_stores_the_article_and_redirects_to_its_page(db_copy: Path) -> None:
    with make_client(db_copy) as c:
        text = f"Germany pledged troops to Lithuania on Tuesday, officials said. {EVIL}\n"
        r = c.post(
            "/analyze",
            data={"text": text, "url": "", "published": "2025-05-06"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        location = r.headers["location"]
        assert re.fullmatch(r"/articles/[0-9a-f]{64}", location)
        page = c.get(location)
        assert page.status_code == 200
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert not [t for t, _ in parse(page.text).tags if t == "img"]


def test_analyze_without_input_shows_the_error_code_and_sentence(db_copy: Path) -> None:
    with make_client(db_copy) as c:
        r = c.post("/analyze", data={"text": "   ", "url": "", "published": "2025-13-99"})
        assert r.status_code == 400
        assert "E001" in r.text and "Traceback" not in r.text
        assert parse(r.text).find(id="ng-analyze")


def test_analyze_with_a_bad_date_keeps_what_was_typed(db_copy: Path) -> None:
    with make_client(db_copy) as c:
        r = c.post("/analyze", data={"text": "Poland <b>criticised</b> Russia.", "published": "x"})
        assert r.status_code == 400 and "E010" in r.text
        assert "Poland &lt;b&gt;criticised&lt;/b&gt; Russia." in r.text


def test_analyze_needs_the_token_when_the_server_has_one(db_copy: Path) -> None:
    with make_client(db_copy, token="s3cret") as c:
        home = parse(c.get("/").text)
        assert home.find(name="token", type="password")
        r = c.post("/analyze", data={"text": "Poland criticised Russia."})
        assert r.status_code == 401 and "E026" in r.text
        r = c.post("/analyze", data={"text": "Poland criticised Russia.", "token": "nope"})
        assert r.status_code == 403 and "E027" in r.text


# -- entity and search -----------------------------------------------------------------


def test_entity_page_lists_activity_by_article_newest_first(client: TestClient) -> None:
    r = client.get(f"/entities/{RUSSIA}")
    assert r.status_code == 200
    p = parse(r.text)
    assert p.find(id="ng-entity-name") and p.find(id="ng-activity")
    items = [
        a for _, a in p.tags if a.get("class", "") and "ng-activity-item" in (a["class"] or "")
    ]
    assert len(items) >= 2
    # one date per article block: the newest article first (undated ones last)
    dates = re.findall(r'<span class="ng-date ng-nowrap">([^<]*)</span>', r.text)
    dated = [d for d in dates if d != "undated"]
    assert len(dated) >= 2 and dated == sorted(dated, reverse=True)
    assert "/articles/" in r.text


def test_unknown_entity_is_a_404_page(client: TestClient) -> None:
    r = client.get("/entities/Q999999999999")
    assert r.status_code == 404 and "E023" in r.text
    assert r.headers["content-type"].startswith("text/html")


def test_search_page_finds_quotes_and_marks_the_words(client: TestClient, corpus: Corpus) -> None:
    r = client.get("/search", params={"q": "every ally"})
    assert r.status_code == 200
    p = parse(r.text)
    assert p.find(id="ng-results")
    nato = corpus.ids["NATO ministers meet in Brussels"]
    assert f'href="/articles/{nato}"' in r.text
    assert "<mark>Every</mark>" in r.text


def test_search_page_escapes_the_query(client: TestClient) -> None:
    r = client.get("/search", params={"q": '<img src=x onerror="alert(1)">'})
    assert r.status_code == 200
    assert not [t for t, _ in parse(r.text).tags if t == "img"]
    assert "&lt;img" in r.text


def test_empty_search_shows_the_form_only(client: TestClient) -> None:
    r = client.get("/search")
    assert r.status_code == 200
    assert parse(r.text).find(id="ng-results") is not None


# -- static files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ctype"), [("newsgraph.css", "text/css"), ("newsgraph.js", "text/javascript")]
)
def test_static_files_are_served_with_type_and_caching(
    client: TestClient, name: str, ctype: str
) -> None:
    r = client.get(f"/static/{name}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(ctype)
    assert "max-age" in r.headers["cache-control"]
    again = client.get(f"/static/{name}", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path", ["/static/..%2Fpages.py", "/static/pages.py", "/static/.hidden.css", "/static/x.css"]
)
def test_static_files_refuse_anything_else(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_pages_link_their_static_files_with_a_version(client: TestClient) -> None:
    p = parse(client.get("/").text)
    css = [a["href"] for t, a in p.tags if t == "link" and a.get("rel") == "stylesheet"]
    js = [a["src"] for t, a in p.tags if t == "script" and a.get("src")]
    assert css and re.fullmatch(r"/static/newsgraph\.css\?v=[0-9a-f]{12}", css[0] or "")
    assert js and re.fullmatch(r"/static/newsgraph\.js\?v=[0-9a-f]{12}", js[0] or "")


def test_the_page_script_reads_no_html_from_data() -> None:
    js = (pages.STATIC / "newsgraph.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "eval(" not in js and "http" not in js


def test_an_article_without_a_title_is_listed_by_its_first_line(
    client: TestClient, corpus: Corpus
) -> None:
    if corpus.seed_id is None:
        pytest.skip("the seed article (../shared) is not in the corpus")
    body = client.get("/").text
    assert "Turkey’s long-standing standoff with the United States" in body
    items = client.get("/api/articles", params={"outlet": "Seed Wire"}).json()["items"]
    assert items[0]["title"] is None
    assert items[0]["headline"].startswith("Turkey’s long-standing standoff")


def test_an_unknown_page_path_gets_the_error_page_and_an_unknown_api_path_json(
    client: TestClient,
) -> None:
    page = client.get("/no/such/page", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "E024" in page.text
    api = client.get("/api/no/such/thing", headers={"Accept": "text/html"})
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "E024"
