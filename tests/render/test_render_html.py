"""The HTML page: self-contained, escaped, highlighted, and well formed."""

from __future__ import annotations

import re
from html import escape as html_escape
from html.parser import HTMLParser
from importlib import resources

from newsgraph.render import render_html
from newsgraph.render.html import highlight_text
from newsgraph.report import Article, Entity, Flag, Quote, Report, Span, Timex

from .conftest import build_empty_report, build_full_report, span

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class PageChecker(HTMLParser):
    """Parses a page strictly: every element closed in order; collects marks and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[tuple[dict[str, str | None], str]] = []  # (attrs, text)
        self._open_marks: list[tuple[dict[str, str | None], list[str]]] = []
        self.text_blocks: list[str] = []  # text content of each div.text
        self._text_depth: int | None = None
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "mark":
            self._open_marks.append((a, []))
        if tag == "div" and "text" in (a.get("class") or "").split():
            self._text_depth = len(self.stack)
            self.text_blocks.append("")
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            return
        if tag == "mark":
            attrs, parts = self._open_marks.pop()
            self.marks.append((attrs, "".join(parts)))
        if self._text_depth == len(self.stack):
            self._text_depth = None
        if tag == "script":
            self._in_script = False
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for _, parts in self._open_marks:
            parts.append(data)
        if self._text_depth is not None:
            self.text_blocks[-1] += data
        if self._in_script:
            self.scripts[-1] += data


def _check(page: str) -> PageChecker:
    checker = PageChecker()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == [], f"unclosed: {checker.stack}"
    ids = [a["id"] for _, a in checker.tags if a.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    return checker


def _entity_marks(checker: PageChecker) -> list[tuple[dict[str, str | None], str]]:
    return [(a, t) for a, t in checker.marks if "ent" in (a.get("class") or "").split()]


HOSTILE = (
    "Breaking: <script>alert(1)</script> was found in the feed.\n"
    'An image <img src=x onerror=alert(1)> and a "quote" & an ampersand.\n'
)


def _hostile_report() -> Report:
    t = HOSTILE
    return Report(
        article=Article(
            text=t,
            title="</title><script>alert(2)</script>",
            url="https://example.org/a?x=<b>&y=1",
            outlet="<b>Outlet</b>",
            published="2025-01-02",
            published_source="metadata",
        ),
        entities=[
            Entity("e1", '"><script>alert(3)</script>', "OTHER", "Q1<x>", [span(t, "alert(1)")]),
            Entity("e2", "Image", "OTHER", None, [span(t, "<img src=x onerror=alert(1)>")]),
        ],
        quotes=[
            Quote("q1", "direct", span(t, "quote"), None, None, None, "unattributed"),
        ],
        flags=[
            Flag("X", "warning", "<script>alert(4)</script>", [span(t, "<script>alert(1)")]),
        ],
        generator={"newsgraph": "<script>alert(5)</script>", "components": ["<i>"]},
    )


def test_article_markup_is_shown_as_text_never_run() -> None:
    page = render_html(_hostile_report())
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>Outlet" not in page and "<i>" not in page and "<x>" not in page
    assert "&lt;script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    checker = _check(page)
    assert len(checker.scripts) == 1  # only our own toggle script
    assert "alert" not in checker.scripts[0]
    assert not any(tag == "img" for tag, _ in checker.tags)
    # the visible text is exactly the article, markup characters included
    assert checker.text_blocks == [HOSTILE]
    marked = [t for _, t in _entity_marks(checker)]
    assert "<img src=x onerror=alert(1)>" in marked
    tips = [a.get("title") for a, _ in _entity_marks(checker)]
    assert '"><script>alert(3)</script> · Other · Q1<x>' in tips


def test_javascript_urls_are_not_links() -> None:
    report = Report(article=Article(text="Hello.\n", url="javascript:alert(1)"))
    page = render_html(report)
    assert 'href="javascript' not in page.lower()
    assert "javascript:alert(1)" in page  # still shown as text


def test_every_entity_mention_is_inside_a_mark(full_report: Report) -> None:
    checker = _check(render_html(full_report))
    marks = _entity_marks(checker)
    texts = [t for _, t in marks]
    for entity in full_report.entities:
        for mention in entity.mentions:
            assert any(mention.text in t for t in texts), mention
    # one mention ("U.S." inside "U.S. military") is nested, so it is not a mark of its own
    assert len(marks) == sum(len(e.mentions) for e in full_report.entities) - 1
    for attrs, _ in marks:
        assert attrs.get("tabindex") == "0"
        assert attrs.get("title") and attrs.get("data-type")
    assert {"title": "Turkey · Country · Q43"}.items() <= marks[0][0].items()


def test_text_keeps_its_line_breaks_and_timexes_and_quotes_are_marked(
    full_report: Report,
) -> None:
    page = render_html(full_report)
    checker = _check(page)
    assert checker.text_blocks == [full_report.article.text]
    assert "white-space: pre-wrap" in page
    timex_marks = [t for a, t in checker.marks if a.get("class") == "timex"]
    assert timex_marks == ["last week", "2019", "four to six months"]
    quote_spans = [a for tag, a in checker.tags if tag == "span" and a.get("class") == "q"]
    assert len(quote_spans) == 3
    assert all(a.get("tabindex") == "0" for a in quote_spans)


def test_legend_has_a_checkbox_per_highlight_kind(full_report: Report) -> None:
    checker = _check(render_html(full_report))
    toggles = [a["data-toggle"] for tag, a in checker.tags if tag == "input" and "data-toggle" in a]
    assert toggles == [
        "t-PERSON", "t-COUNTRY", "t-IGO", "t-MEDIA", "t-MILITARY_SYSTEM", "t-PROGRAM",
        "timex", "quote",
    ]  # fmt: skip


def test_page_is_self_contained(full_report: Report) -> None:
    page = render_html(full_report)
    own_url = html_escape(full_report.article.url or "")
    rest = page.replace(own_url, "")
    assert "http://" not in rest and "https://" not in rest
    assert "//" not in re.sub(r"<script>.*?</script>", "", rest, flags=re.S).replace("://", "")
    for needle in ("<link", "@import", "url(", " src="):
        assert needle not in page


def test_tables_list_every_layer_and_flags_by_severity(full_report: Report) -> None:
    page = render_html(full_report)
    for heading in ("Entities", "Quotes", "Time expressions", "Events", "Claims", "Flags"):
        assert f">{heading} <span" in page
    assert "United States Armed Forces" in page and "Q11211" in page
    assert "<strong>suspended</strong>" in page  # event trigger inside its sentence
    assert "negated" in page and "hypothetical" in page
    assert page.index("DATE_CONFLICT") < page.index("VAGUE_TIME") < page.index("SOURCE_ANONYMOUS")
    assert 'class="sev sev-error"' in page


def test_footer_shows_generator_and_schema(full_report: Report) -> None:
    page = render_html(full_report)
    footer = page[page.index("<footer>") :]
    assert "newsgraph.report/1" in footer
    assert "3.8.18" in footer
    assert "[&#34;ner&#34;, &#34;quotes&#34;, &#34;timex&#34;]" in footer


def test_report_with_empty_layers(empty_report: Report) -> None:
    page = render_html(empty_report)
    checker = _check(page)
    assert checker.marks == []
    assert checker.text_blocks == [empty_report.article.text]
    assert "<b>0</b> entities" in page
    assert "No entities found." in page and "No flags raised." in page
    assert "<fieldset" not in page  # no legend without highlights
    assert "Published</dt><dd>unknown" in page


def test_several_reports_share_one_page() -> None:
    page = render_html([build_full_report(), build_empty_report()])
    checker = _check(page)
    assert page.count("<html") == 1
    assert 'href="#report-1"' in page and 'href="#report-2"' in page
    assert len(checker.text_blocks) == 2


def test_overlapping_and_broken_spans_still_make_valid_markup() -> None:
    t = "Alpha Beta Gamma said ‘Delta Epsilon Zeta’ on Monday.\n"
    monday = span(t, "Monday")
    report = Report(
        article=Article(text=t),
        entities=[
            Entity("e1", "Alpha Beta", "ORGANIZATION", None, [span(t, "Alpha Beta")]),
            Entity("e2", "Beta Gamma", "PERSON", None, [span(t, "Beta Gamma")]),  # crosses e1
            Entity("e3", "Beta", "PERSON", None, [span(t, "Beta")]),  # nested in e1
            # crosses the quote boundary, so it cannot be drawn inside the quote mark
            Entity("e4", "said Delta", "OTHER", None, [span(t, "said ‘Delta")]),
            Entity("e5", "Epsilon", "PERSON", None, [span(t, "Epsilon")]),
            Entity("e6", "bad", "OTHER", None, [Span(0, 5, "wrong"), Span(500, 510, "x")]),
        ],
        quotes=[
            Quote("q1", "direct", span(t, "Delta Epsilon Zeta"), None, None, None, "unattributed"),
            Quote("q2", "direct", span(t, "Epsilon Zeta’ on"), None, None, None, "unattributed"),
        ],
        timexes=[Timex(monday.start, monday.end, monday.text, "DATE", "XXXX-WXX-1")],
    )
    html = str(highlight_text(report))
    checker = PageChecker()
    checker.feed(f'<div class="text">{html}</div>')
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert checker.text_blocks == [t]
    marked = [text for _, text in checker.marks]
    assert marked == ["Alpha Beta", "Epsilon", "Monday"]
    page = render_html(report)
    _check(page)  # the tables still list everything
    assert "said ‘Delta" in page and "Beta Gamma" in page


def test_template_ships_inside_the_package() -> None:
    template = resources.files("newsgraph.render").joinpath("templates/report.html")
    assert template.is_file()
    assert "{{ r.text_html }}" in template.read_text(encoding="utf-8")
