"""The terminal summary: what a person sees from ``newsgraph analyze --format text``."""

from __future__ import annotations

import io

from rich.console import Console

from newsgraph.render import render_text, render_text_many
from newsgraph.render._common import truncate
from newsgraph.report import Article, Claim, Entity, Report, Span

from .conftest import build_empty_report, build_full_report


def _render(report: Report, width: int = 80) -> str:
    buffer = io.StringIO()
    render_text(report, Console(file=buffer, width=width, no_color=True))
    return buffer.getvalue()


def test_header_shows_title_outlet_url_date_source_id_and_words(full_report: Report) -> None:
    out = _render(full_report)
    first = out.splitlines()[0]
    assert first == "Turkey seeks to return S-400 systems to Russia"
    assert "Example Daily · https://example.com/world/s400?id=1&lang=en" in out
    assert "2025-09-30 (given)" in out
    assert full_report.article.id[:12] in out
    assert full_report.article.id not in out  # only the short id
    assert f"{len(full_report.article.text.split())} words" in out


def test_counts_line_names_every_layer(full_report: Report) -> None:
    out = _render(full_report)
    assert "12 entities · 3 quotes · 3 time expressions · 3 events · 2 claims · 3 flags" in out


def test_entities_are_grouped_by_type_in_the_documented_order(full_report: Report) -> None:
    out = _render(full_report)
    assert "Entities by type" in out
    lines = out.splitlines()
    starts = {}
    for etype in ("PERSON", "COUNTRY", "IGO", "MEDIA", "MILITARY_SYSTEM", "PROGRAM"):
        starts[etype] = next(i for i, line in enumerate(lines) if line.startswith(etype + " "))
    assert list(starts.values()) == sorted(starts.values())
    assert "Recep Tayyip Erdogan (1) Q39259" in out
    assert "Turkey (2) Q43" in out
    assert "Tom Barrack (1)," in out  # no kb_id: nothing after the count
    # most mentioned first within a type
    assert out.index("Ankara (2)") < out.index("Russia (1)")


def test_quotes_show_speaker_content_source_kind_and_kind(full_report: Report) -> None:
    out = _render(full_report)
    assert "Bloomberg → “President Recep Tayyip Erdogan" in out
    assert "a Turkish official → “Ankara hopes that this step will end the deal,”" in out
    assert "anonymous_person · direct · cue “told”" in out
    assert "U.S. Ambassador Tom Barrack → “finally resolved" in out


def test_timexes_events_claims_are_listed(full_report: Report) -> None:
    out = _render(full_report)
    assert "2025-W39" in out and "P6M" in out and "DURATION" in out
    assert "SANCTION/suspend" in out
    assert "United States Armed Forces → Turkey" in out
    assert "NATO → Ankara" in out
    assert "[negated]" in out and "[hypothetical]" in out
    assert "Turkey → ?" in out  # no target
    assert "0.91 factual" in out
    assert "(in quote q1)" in out


def test_flags_are_sorted_by_severity(full_report: Report) -> None:
    out = _render(full_report)
    assert out.index("ERROR") < out.index("WARNING") < out.index("INFO")
    assert "DATE_CONFLICT A date contradicts the publication date." in out
    assert "“a Turkish official”" in out


def test_fits_80_columns_and_has_no_escape_codes_without_colour(full_report: Report) -> None:
    out = _render(full_report)
    assert "\x1b[" not in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_colour_terminal_gets_styles(full_report: Report) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, force_terminal=True, color_system="standard")
    render_text(full_report, console)
    out = buffer.getvalue()
    assert "\x1b[1;31mERROR" in out  # errors in bold red


def test_long_texts_are_truncated() -> None:
    text = "The minister said " + "very " * 200 + "much.\n"
    claim = Span.of(text, 0, len(text) - 1)
    report = Report(
        article=Article(text=text),
        claims=[Claim("c1", claim.start, claim.end, claim.text, 0.5, "evaluative", None)],
    )
    out = _render(report)
    assert "…" in out
    assert "very " * 60 not in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_empty_layers_only_appear_in_the_counts(empty_report: Report) -> None:
    out = _render(empty_report)
    assert out.splitlines()[0] == "A short note with nothing to find."  # first line as title
    assert "Published unknown" in out
    assert "0 entities · 0 quotes · 0 time expressions · 0 events · 0 claims · 0 flags" in out
    for heading in ("Entities by type", "Quotes", "Time expressions", "Events", "Claims", "Flags"):
        assert f"{heading} ─" not in out


def test_article_brackets_are_not_console_markup() -> None:
    text = "[bold]Not bold[/bold] and [/] and :smile: here.\n"
    report = Report(
        article=Article(text=text, title="[red]Title[/red] [/]", outlet="[link=x]o[/link]"),
        entities=[Entity("e1", "[/]", "OTHER", None, [Span.of(text, 0, 6)])],
    )
    out = _render(report)
    assert "[red]Title[/red] [/]" in out
    assert "[link=x]o[/link]" in out
    assert "[/] (1)" in out


def test_many_reports_are_separated_by_numbered_rules() -> None:
    buffer = io.StringIO()
    render_text_many(
        [build_full_report(), build_empty_report()], Console(file=buffer, width=80, no_color=True)
    )
    out = buffer.getvalue()
    assert "report 1 of 2" in out and "report 2 of 2" in out
    assert out.index("Turkey seeks to return") < out.index("A short note with nothing")


def test_truncate_cuts_at_a_word_boundary() -> None:
    assert truncate("one two\nthree", 50) == "one two three"
    cut = truncate("alpha beta gamma delta epsilon", 20)
    assert cut == "alpha beta gamma…"
    assert len(cut) <= 20
