"""Internal contradictions: one fact with two incompatible dates or numbers."""

from __future__ import annotations

import pytest

import newsgraph
from newsgraph.report import Flag, Report

pytestmark = pytest.mark.model


def codes(report: Report) -> list[Flag]:
    return [f for f in report.flags if f.code in ("DATE_CONTRADICTION", "NUMBER_CONTRADICTION")]


def test_one_purchase_dated_two_years_apart_is_flagged() -> None:
    text = (
        "Turkey bought the S-400 system in 2017. Officials said the system was purchased "
        "in 2019 after long talks."
    )
    [flag] = codes(newsgraph.analyze(text, published="2025-12-19"))
    assert flag.code == "DATE_CONTRADICTION"
    assert flag.severity == "warning"
    assert [e.text for e in flag.evidence] == [
        "bought the S-400 system in 2017",
        "purchased in 2019",
    ]


def test_an_approximate_restatement_agrees() -> None:
    text = (
        "The S-400 system, which Turkey purchased in 2017, has been a flashpoint. "
        "Ankara's decision to return the systems\u2014acquired nearly a decade ago\u2014could "
        "signal a shift."
    )
    assert codes(newsgraph.analyze(text, published="2025-12-19")) == []


def test_two_exact_counts_of_one_fact_are_flagged() -> None:
    text = (
        "The attack killed 12 people, police said. Hospital staff said the attack killed 15 people."
    )
    [flag] = codes(newsgraph.analyze(text, published="2025-12-19"))
    assert flag.code == "NUMBER_CONTRADICTION"
    assert [e.text for e in flag.evidence] == ["killed 12 people", "killed 15 people"]


@pytest.mark.parametrize(
    "text",
    [
        # a bound is not an exact count
        "The attack killed at least 12 people. Officials later said the attack killed 15 people.",
        # different times
        "The company sold 5 plants in 2019. The company sold 8 plants in 2021.",
        # different things bought at different times
        "Turkey bought the S-400 system in 2017. Turkey bought the F-16 jets in 1987.",
        # different buyers of one thing
        "In 1986 he bought Pixar. Pixar was acquired by The Walt Disney Company in 2006.",
        # periods that end every quarter
        "Profit rose in the quarter ended Sept. 29. In the quarter ended June 30, it fell.",
        # one clause with two dates
        "Castro launched the revolution more than four decades ago in a rally Saturday.",
    ],
)
def test_compatible_statements_are_not_flagged(text: str) -> None:
    assert codes(newsgraph.analyze(text, published="2025-12-19")) == []
