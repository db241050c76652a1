"""Office anachronism: titles checked against the knowledge base's terms of office."""

from __future__ import annotations

import pytest

import newsgraph
from newsgraph.report import Flag, Report

pytestmark = pytest.mark.model


def anachronisms(report: Report) -> list[Flag]:
    return [f for f in report.flags if f.code == "OFFICE_ANACHRONISM"]


def test_a_president_dated_before_his_term_is_an_error() -> None:
    text = (
        "U.S. President Donald Trump met Turkish officials at the White House in "
        "September 2024, officials said."
    )
    report = newsgraph.analyze(text, published="2025-12-19")
    [flag] = anachronisms(report)
    assert flag.severity == "error"
    evidence = [e.text for e in flag.evidence]
    assert evidence[:2] == ["President Donald Trump", "September 2024"]
    assert "Joe Biden" in flag.message
    assert all(report.article.text[e.start : e.end] == e.text for e in flag.evidence)


def test_the_articles_own_word_on_the_term_is_evidence() -> None:
    text = (
        "The issue came up when President Donald Trump met Recep Tayyip Erdogan in "
        "September 2024. Trump, who was reelected in 2024 and sworn in on January 20, "
        "2025, has faced criticism."
    )
    report = newsgraph.analyze(text, published="2025-12-19")
    [flag] = anachronisms(report)
    assert "sworn in on January 20, 2025" in [e.text for e in flag.evidence]


@pytest.mark.parametrize(
    "text",
    [
        # in office on the date
        "President Joe Biden met Turkish officials at the White House in September 2024.",
        "President Recep Tayyip Erdogan met Russian President Vladimir Putin last week.",
        # qualified titles
        "Former President Donald Trump spoke at a rally in September 2024.",
        "Then-President Barack Obama signed the law in March 2010.",
        # the date belongs to a relative clause about the person, not to the title
        "President Trump, who was reelected in 2024 and sworn in on January 20, 2025, "
        "has faced criticism for his tariffs.",
        # the date modifies a noun, it does not date the clause
        "President Joe Biden criticized the 2017 tax law on Monday.",
    ],
)
def test_no_flag_where_the_title_fits_or_is_not_dated(text: str) -> None:
    report = newsgraph.analyze(text, published="2023-05-10" if "2017 tax" in text else "2025-12-19")
    assert anachronisms(report) == []


def test_a_date_before_the_knowledge_base_reaches_says_nothing() -> None:
    # the US table starts in 2000: who held the office in 1990 is not known to it
    text = "President George W. Bush visited Kuwait in August 1990."
    report = newsgraph.analyze(text, published="1990-08-20")
    assert anachronisms(report) == []


def test_the_check_reads_only_the_report_and_the_knowledge_base() -> None:
    from newsgraph.checks import anachronism
    from newsgraph.kb import get_kb
    from newsgraph.report import Report

    report = newsgraph.analyze(
        "U.S. President Donald Trump met Turkish officials in September 2024.",
        published="2025-12-19",
    )
    stored = Report.from_json(report.to_json())  # no parse: what a store gives back
    again = anachronism.check(stored, get_kb())
    assert [f.to_dict() for f in again] == [f.to_dict() for f in anachronisms(report)]
    assert len(again) == 1


def test_an_ambassador_is_checked_for_the_post_named() -> None:
    text = (
        "U.S. Ambassador to Turkey Tom Barrack met Turkish officials in Ankara in March "
        "2024, the embassy said."
    )
    [flag] = anachronisms(newsgraph.analyze(text, published="2025-12-19"))
    assert [e.text for e in flag.evidence][:2] == ["Ambassador to Turkey Tom Barrack", "March 2024"]
    assert "Jeff Flake" in flag.message


def test_a_present_tense_title_is_checked_on_the_publication_day() -> None:
    present = newsgraph.analyze(
        "President Joe Biden says the deal will hold.", published="2025-12-19"
    )
    [flag] = anachronisms(present)
    assert flag.severity == "warning"  # the tense is read from the parse
    assert [e.text for e in flag.evidence] == ["President Joe Biden", "says"]
    # told in the past, or with no date given, it says nothing
    past = newsgraph.analyze(
        "President Joe Biden said the deal would hold.", published="2025-12-19"
    )
    assert anachronisms(past) == []
    undated = newsgraph.analyze("President Joe Biden says the deal will hold.")
    assert anachronisms(undated) == []
