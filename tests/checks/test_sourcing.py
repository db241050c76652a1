"""Sourcing flags that read the claims and the cue verbs."""

from __future__ import annotations

import pytest

import newsgraph
from newsgraph.report import Flag, Report

pytestmark = pytest.mark.model


def flags(report: Report, code: str) -> list[Flag]:
    return [f for f in report.flags if f.code == code]


def test_a_media_report_revealed_is_presented_as_fact() -> None:
    text = (
        "Bloomberg has revealed that Ankara is seeking to return the missile systems to "
        "Russia, citing people familiar with the matter."
    )
    [flag] = flags(newsgraph.analyze(text, published="2025-12-19"), "PRESENTED_AS_FACT")
    assert flag.severity == "warning"
    assert "Bloomberg has revealed" in flag.message
    assert [e.text for e in flag.evidence][:2] == ["Bloomberg", "revealed"]


@pytest.mark.parametrize(
    "text",
    [
        "Bloomberg reported that Ankara is seeking to return the systems to Russia.",
        "Police confirmed that the body was found along a highway south of the city.",
    ],
)
def test_neutral_verbs_and_officials_confirming_are_not(text: str) -> None:
    assert flags(newsgraph.analyze(text, published="2025-12-19"), "PRESENTED_AS_FACT") == []


def test_a_numeric_claim_with_no_source_is_noted() -> None:
    text = (
        "Hundreds of F-35 jets bought by the air force are sitting idle because of a lack "
        "of trained pilots."
    )
    [flag] = flags(newsgraph.analyze(text, published="2025-12-19"), "UNATTRIBUTED_CLAIM")
    assert flag.severity == "info"
    assert "Hundreds of F-35 jets" in flag.evidence[0].text


def test_a_sourced_numeric_claim_is_not() -> None:
    text = (
        "Hundreds of F-35 jets bought by the air force are sitting idle because of a lack "
        "of trained pilots, according to a Pentagon audit."
    )
    assert flags(newsgraph.analyze(text, published="2025-12-19"), "UNATTRIBUTED_CLAIM") == []


# ---- vague attribution ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The standoff nears an end, according to recent reports.", "according to recent reports"),
        ("Reports indicate that Ankara is seeking a deal.", "Reports indicate"),
        ("The two leaders reportedly discussed the deal.", "reportedly"),
        ("It is understood that the talks will resume next week.", "It is understood"),
        ("The minister is said to favour a compromise.", "is said to"),
        ("Media reports said the envoy had resigned.", "Media reports said"),
    ],
)
def test_vague_attributions_are_flagged_with_their_spans(text: str, phrase: str) -> None:
    [flag] = flags(newsgraph.analyze(text, published="2025-12-19"), "VAGUE_ATTRIBUTION")
    assert flag.severity == "info"
    assert [e.text for e in flag.evidence] == [phrase]
    assert text[flag.evidence[0].start : flag.evidence[0].end] == phrase
    assert f"\u201c{phrase}\u201d" in flag.message


@pytest.mark.parametrize(
    "text",
    [
        "Reuters reports said the envoy had resigned.",
        "The ministry said it would publish the reports that the auditors wrote.",
        "According to the defence ministry, the drills will end on Friday.",
        "The agency reported that 12 people were hurt.",
    ],
)
def test_named_sources_and_plain_reporting_are_not_vague(text: str) -> None:
    assert flags(newsgraph.analyze(text, published="2025-12-19"), "VAGUE_ATTRIBUTION") == []


def test_the_seeds_vaguest_attributions_are_flagged(seed_text: str) -> None:
    [flag] = flags(newsgraph.analyze(seed_text, published="2025-12-19"), "VAGUE_ATTRIBUTION")
    phrases = [e.text for e in flag.evidence]
    assert phrases == ["according to recent reports", "reportedly", "Reports indicate"]


def test_a_poll_that_shows_is_not_presented_as_fact() -> None:
    text = "A new poll shows that the senator leads the race in Ohio by five points."
    report = newsgraph.analyze(text, published="2025-12-19")
    assert [q.source.get("attribution") for q in report.quotes] == ["finding"]
    assert flags(report, "PRESENTED_AS_FACT") == []
