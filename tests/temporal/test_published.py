"""The publication date estimated from the text when none is given."""

from __future__ import annotations

import datetime as dt

import pytest

import newsgraph
from newsgraph.report import Flag, Report
from newsgraph.temporal.published import Estimate, Mention, estimate, flags
from newsgraph.timevalues import Point

D = dt.date


def mention(start: int, value: Point, tense: str | None) -> Mention:
    return Mention(start, start + 4, value, tense)


# ---- the window, from hand-built mentions ------------------------------------------------
def test_no_past_tense_date_means_no_estimate() -> None:
    future = mention(0, Point(D(2026, 3, 1), "M"), "FUTURE")
    untensed = mention(10, Point(D(2017, 1, 1), "Y"), None)
    assert estimate([future, untensed], []) is None
    assert estimate([], []) is None


def test_the_latest_past_date_is_the_lower_bound() -> None:
    older = mention(0, Point(D(2017, 1, 1), "Y"), "PAST")
    newer = mention(20, Point(D(2025, 1, 20), "D"), "PAST")
    found = estimate([newer, older], [(40, 49)])
    assert found is not None
    assert (found.earliest, found.latest, found.width_days) == (D(2025, 1, 20), None, None)
    assert found.lower_evidence == (20, 24)
    assert found.upper_evidence is None
    assert found.unanchored == [(40, 49)]


def test_the_earliest_future_period_ending_after_the_lower_bound_is_the_upper_bound() -> None:
    low = mention(0, Point(D(2025, 1, 20), "D"), "PAST")
    stale = mention(10, Point(D(2024, 1, 1), "Y"), "FUTURE")  # ends before the lower bound
    far = mention(20, Point(D(2027, 1, 1), "Y"), "FUTURE")
    near = mention(30, Point(D(2026, 3, 1), "M"), "FUTURE")
    found = estimate([low, stale, far, near], [])
    assert found is not None
    assert (found.earliest, found.latest) == (D(2025, 1, 20), D(2026, 3, 31))
    assert found.upper_evidence == (30, 34)
    assert found.width_days == (D(2026, 3, 31) - D(2025, 1, 20)).days + 1


def test_a_future_period_that_holds_the_lower_bound_still_bounds_it() -> None:
    low = mention(0, Point(D(2025, 6, 10), "D"), "PAST")
    same_year = mention(10, Point(D(2025, 1, 1), "Y"), "FUTURE")
    found = estimate([low, same_year], [])
    assert found is not None and found.latest == D(2025, 12, 31)


def test_flags_for_no_estimate_are_empty() -> None:
    assert flags(None, "Some text.") == []


def test_the_flag_quotes_both_ends_as_evidence() -> None:
    text = "Sworn in on 2025-01-20; a visit is due in March 2026."
    march = text.index("March")
    found = Estimate(D(2025, 1, 20), D(2026, 3, 31), (12, 22), (march, march + 10), [(0, 5)])
    (flag,) = flags(found, text)
    assert (flag.code, flag.severity, flag.origin) == (
        "PUBLISHED_DATE_ESTIMATED",
        "warning",
        "temporal",
    )
    assert [s.text for s in flag.evidence] == ["2025-01-20", "March 2026"]
    assert "between 2025-01-20 and 2026-03-31 (436 days)" in flag.message
    assert "1 relative time expressions (such as 'Sworn')" in flag.message


def test_an_open_window_says_so() -> None:
    text = "The port opened in 2017."
    (flag,) = flags(Estimate(D(2017, 1, 1), None, (19, 23)), text)
    assert [s.text for s in flag.evidence] == ["2017"]
    assert "on or after 2017-01-01" in flag.message and "open" in flag.message
    assert "unanchored" not in flag.message


# ---- end to end, with no publication date -------------------------------------------------
def analyze(text: str) -> Report:
    report = newsgraph.analyze(text)
    assert report.span_problems() == []
    return report


def estimated(report: Report) -> Flag:
    (flag,) = [f for f in report.flags if f.code == "PUBLISHED_DATE_ESTIMATED"]
    return flag


@pytest.mark.model
def test_a_past_tense_date_gives_the_lower_bound() -> None:
    text = "The president was sworn in on January 20, 2025, in Washington."
    r = analyze(text)
    assert (r.article.published, r.article.published_source) == ("2025-01-20", "estimated")
    flag = estimated(r)
    assert [(s.start, s.end, s.text) for s in flag.evidence] == [
        (text.index("January"), text.index(", in"), "January 20, 2025")
    ]
    assert "the window is open" in flag.message


@pytest.mark.model
def test_a_future_tense_date_gives_the_upper_bound() -> None:
    text = "The president was sworn in on January 20, 2025. He will visit Tokyo in March 2026."
    r = analyze(text)
    assert (r.article.published, r.article.published_source) == ("2025-01-20", "estimated")
    flag = estimated(r)
    assert [s.text for s in flag.evidence] == ["January 20, 2025", "March 2026"]
    assert all(text[s.start : s.end] == s.text for s in flag.evidence)
    assert "between 2025-01-20 and 2026-03-31" in flag.message


@pytest.mark.model
def test_the_latest_past_date_wins_and_relative_ones_are_counted() -> None:
    text = "The port was built in 2017. It was expanded in 2019. Traffic fell yesterday."
    r = analyze(text)
    assert r.article.published == "2019-01-01"
    flag = estimated(r)
    assert [s.text for s in flag.evidence] == ["2019"]
    assert "1 relative time expressions (such as 'yesterday')" in flag.message
    assert [t.value for t in r.timexes if t.text == "yesterday"] == ["XXXX-XX-XX"]


@pytest.mark.model
def test_only_future_dates_give_no_estimate() -> None:
    r = analyze("The summit will take place in June 2026.")
    assert (r.article.published, r.article.published_source) == (None, None)
    assert not [f for f in r.flags if f.code == "PUBLISHED_DATE_ESTIMATED"]


@pytest.mark.model
def test_relative_dates_alone_give_no_estimate() -> None:
    r = analyze("The minister resigned yesterday after talks failed last week.")
    assert r.article.published is None
    assert [t.value for t in r.timexes] == ["XXXX-XX-XX", "XXXX-WXX"]


@pytest.mark.model
def test_a_given_date_is_never_replaced_by_an_estimate() -> None:
    r = newsgraph.analyze("The plant opened in 2017.", published="2025-12-19")
    assert (r.article.published, r.article.published_source) == ("2025-12-19", "given")
    assert not [f for f in r.flags if f.code == "PUBLISHED_DATE_ESTIMATED"]
