from __future__ import annotations

import pytest

from newsgraph.report import (
    SCHEMA_VERSION,
    Article,
    Claim,
    Entity,
    Event,
    Flag,
    Quote,
    Report,
    Span,
    Timex,
    text_id,
)

TEXT = 'Turkey was suspended by the U.S. in 2019, "a mistake," an official said.'


def full_report() -> Report:
    art = Article(text=TEXT, published="2025-12-19", published_source="given")
    s = lambda a, b: Span.of(TEXT, a, b)  # noqa: E731
    return Report(
        article=art,
        entities=[
            Entity("e1", "Turkey", "COUNTRY", "Q43", [s(0, 6)], origin="test"),
            Entity("e2", "United States", "COUNTRY", None, [s(28, 32)]),
        ],
        quotes=[Quote("q1", "direct", s(43, 52), s(67, 71), s(55, 66), None, "anonymous_person")],
        timexes=[Timex(36, 40, "2019", "DATE", "2019")],
        events=[
            Event(
                "v1",
                "SANCTION",
                "suspend",
                "e2",
                "e1",
                s(11, 20),
                "2019",
                False,
                False,
                s(0, len(TEXT)),
            )
        ],
        claims=[Claim("c1", 0, 41, TEXT[:41], 0.8, "factual", None)],
        flags=[Flag("UNNAMED_SOURCE", "info", "An unnamed official is quoted.", [s(55, 66)])],
    )


def test_article_id_is_sha256_of_text() -> None:
    art = Article(text="hello")
    assert (
        art.id
        == text_id("hello")
        == ("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
    )


def test_report_round_trips_through_json_unchanged() -> None:
    report = full_report()
    again = Report.from_json(report.to_json())
    assert again == report
    assert again.to_dict() == report.to_dict()


def test_report_has_every_contract_field(validate) -> None:  # type: ignore[no-untyped-def]
    d = full_report().to_dict()
    assert d["schema"] == SCHEMA_VERSION
    validate(d)
    validate(Report(article=Article(text="x")).to_dict())


def test_span_problems_finds_spans_that_do_not_index_the_text() -> None:
    report = full_report()
    assert report.span_problems() == []
    report.entities[0].mentions.append(Span(0, 6, "Turkei"))
    report.timexes.append(Timex(500, 504, "2019", "DATE", "2019"))
    problems = report.span_problems()
    assert len(problems) == 2
    assert "Turkei" in problems[0]


def test_from_dict_refuses_another_schema() -> None:
    d = full_report().to_dict()
    d["schema"] = "something/2"
    with pytest.raises(ValueError, match="schema"):
        Report.from_dict(d)
