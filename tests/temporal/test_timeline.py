"""The article timeline: dated statements in time order, consequences, deadlines,
restatements, quote dates and the report round trip."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import newsgraph
from newsgraph.report import Report, TimelineEntry
from newsgraph.temporal.timeline import event_classes, sequence_cues

FRIDAY = "2025-12-19"


def analyze(text: str, published: str | None = FRIDAY) -> Report:
    report = newsgraph.analyze(text, published=published)
    assert report.span_problems() == []
    return report


def placed(entries: list[TimelineEntry]) -> list[tuple[str, str | None, str, str]]:
    return [(e.start, e.end, e.relation, e.value) for e in entries]


# ---- the data tables -------------------------------------------------------------------
def test_sequence_cues_load() -> None:
    cues = sequence_cues()
    assert cues["prompt"] == "after" and cues["trigger"] == "after"
    assert cues["follow"] == "before"
    assert set(cues.values()) == {"after", "before"}


def test_event_classes_load() -> None:
    classes = event_classes()
    assert classes["purchase"] == classes["acquire"] == classes["buy"] == "acquire"
    assert classes["sell"] == "sell" != classes["buy"]
    assert "walk" not in classes


# ---- ordering ------------------------------------------------------------------------
@pytest.mark.model
def test_entries_are_in_time_order_not_text_order() -> None:
    r = analyze(
        "Officials met in Geneva last week. The talks began in March. "
        "The accord was signed yesterday."
    )
    assert placed(r.timeline) == [
        ("2025-03-01", "2025-03-31", "on", "2025-03"),
        ("2025-12-08", "2025-12-14", "on", "2025-W50"),
        ("2025-12-18", "2025-12-18", "on", "2025-12-18"),
    ]
    assert [e.label for e in r.timeline] == [
        "The talks began in March",
        "Officials met in Geneva last week",
        "The accord was signed yesterday",
    ]
    assert [e.timex.text for e in r.timeline if e.timex] == ["March", "last week", "yesterday"]
    assert r.timeline[0].sentence.text == "The talks began in March."


@pytest.mark.model
def test_a_narrative_with_references_is_ordered() -> None:
    r = analyze(
        "The ceasefire was signed on March 3, 2024. Two days later, fighting resumed. "
        "The talks had started in 2023."
    )
    assert placed(r.timeline) == [
        ("2023-01-01", "2023-12-31", "on", "2023"),
        ("2024-03-03", "2024-03-03", "on", "2024-03-03"),
        ("2024-03-05", "2024-03-05", "on", "2024-03-05"),  # the duration's landing day
    ]
    assert r.timeline[2].timex is not None and r.timeline[2].timex.text == "Two days later"


@pytest.mark.model
def test_what_is_not_on_the_calendar_makes_no_entry() -> None:
    r = analyze(
        "Prices rose in the 1990s. Prices are high now. The ferry runs daily. "
        "The war has lasted three years."
    )
    assert r.timeline == []


@pytest.mark.model
def test_last_weekend_is_placed_on_saturday_and_sunday() -> None:
    (entry,) = analyze("Farmers protested in Paris last weekend.").timeline
    assert (entry.start, entry.end) == ("2025-12-13", "2025-12-14")


# ---- consequences ---------------------------------------------------------------------
@pytest.mark.model
def test_a_consequence_cue_gives_an_after_entry() -> None:
    r = analyze("The army bought the missiles in 2017, prompting Washington to impose sanctions.")
    assert placed(r.timeline) == [
        ("2017-01-01", "2017-12-31", "on", "2017"),
        ("2018-01-01", None, "after", "2017"),
    ]
    dated, after = r.timeline
    assert dated.label == "The army bought the missiles in 2017"
    assert after.label == "Washington to impose sanctions"
    assert after.timex is None
    assert after.sentence == dated.sentence


@pytest.mark.model
def test_a_triggering_cue_after_a_month() -> None:
    r = analyze("The bank raised rates in May, triggering a sell-off in bonds.")
    assert placed(r.timeline) == [
        ("2025-05-01", "2025-05-31", "on", "2025-05"),
        ("2025-06-01", None, "after", "2025-05"),
    ]
    assert r.timeline[1].label == "a sell-off in bonds"


@pytest.mark.model
def test_no_cue_no_consequence() -> None:
    r = analyze("The army bought the missiles in 2017, and Washington imposed sanctions.")
    assert [e.relation for e in r.timeline] == ["on"]


# ---- deadlines ------------------------------------------------------------------------
@pytest.mark.model
def test_within_six_months_in_the_future_is_a_by_entry() -> None:
    (entry,) = analyze("The agency will decide on the merger within six months.").timeline
    # any day from publication until six months on
    assert placed([entry]) == [("2025-12-19", "2026-06-19", "by", "2026-06-19")]
    assert entry.timex is not None and entry.timex.text == "six months"


@pytest.mark.model
def test_in_two_years_in_the_future_is_about_then() -> None:
    (entry,) = analyze("The first jets will arrive in two years.").timeline
    assert placed([entry]) == [("2027-12-19", "2027-12-19", "about", "2027-12-19")]


@pytest.mark.model
def test_a_deadline_range_spans_both_ends() -> None:
    (entry,) = analyze(
        "The ministry expects to complete the review within four to six months."
    ).timeline
    assert placed([entry]) == [("2026-04-19", "2026-06-19", "by", "2026-04-19/2026-06-19")]


@pytest.mark.model
def test_a_past_tense_duration_is_no_deadline() -> None:
    assert analyze("The ministry finished the audit within six months.").timeline == []


@pytest.mark.model
def test_a_deadline_needs_a_publication_date() -> None:
    r = analyze("The agency will decide on the merger within six months.", published=None)
    assert r.timeline == []


# ---- restatements ---------------------------------------------------------------------
@pytest.mark.model
def test_an_approximate_restatement_is_folded_into_the_exact_entry() -> None:
    text = (
        "Turkey purchased the system in 2017. "
        "Ankara acquired the batteries nearly a decade ago, officials said."
    )
    r = analyze(text)
    (entry,) = r.timeline
    assert placed([entry]) == [("2017-01-01", "2017-12-31", "on", "2017")]
    assert [(s.start, s.text) for s in entry.also] == [
        (text.index("nearly"), "nearly a decade ago")
    ]


@pytest.mark.model
def test_a_restatement_with_a_verb_of_another_class_stays_apart() -> None:
    r = analyze(
        "Turkey purchased the system in 2017. Ankara sold the batteries nearly a decade ago."
    )
    assert placed(r.timeline) == [
        ("2016-01-01", "2016-12-31", "about", "2016"),
        ("2017-01-01", "2017-12-31", "on", "2017"),
    ]
    assert all(e.also == [] for e in r.timeline)


@pytest.mark.model
def test_a_restatement_years_apart_stays_apart() -> None:
    r = analyze("Turkey bought the jets in 2019. Ankara purchased the radars nearly a decade ago.")
    assert [e.relation for e in r.timeline] == ["about", "on"]


# ---- quotes ---------------------------------------------------------------------------
@pytest.mark.model
def test_a_date_inside_a_quote_dates_what_it_tells_not_the_quote() -> None:
    r = analyze("“We signed the deal on March 3, 2024,” the minister said.")
    (quote,) = r.quotes
    assert quote.date is None  # the day of the signing, not of the saying
    (entry,) = r.timeline
    assert (entry.quote, entry.value, entry.label) == (
        quote.id,
        "2024-03-03",
        "We signed the deal on March 3, 2024",
    )


@pytest.mark.model
def test_a_date_of_the_reporting_verb_is_when_the_quote_was_said() -> None:
    r = analyze("“We will not sign,” the minister said on Tuesday.")
    (quote,) = r.quotes
    assert quote.date == "2025-12-16"
    (entry,) = r.timeline
    assert (entry.value, entry.quote) == ("2025-12-16", quote.id)


@pytest.mark.model
def test_said_on_monday_dates_the_saying_not_the_reported_clause() -> None:
    # wire copy's commonest sentence: the parser hangs "on Monday" on "return"; the
    # weekday is the saying's (the Monday before a Friday), not a Monday ahead
    r = analyze("Turkey said on Monday it would return the systems to Russia.")
    (timex,) = r.timexes
    assert (timex.text, timex.value) == ("Monday", "2025-12-15")
    (quote,) = r.quotes
    assert quote.content.text == "it would return the systems to Russia"
    assert quote.date == "2025-12-15"
    (entry,) = r.timeline
    assert (entry.start, entry.quote) == ("2025-12-15", quote.id)
    dated = [e for e in r.events if e.trigger.text == "return"]
    assert dated and all((e.date, e.date_source) == ("2025-12-15", "clause") for e in dated)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Officials said last week that they will meet again.", "2025-W50"),
        ("The ministry announced on Tuesday plans to buy new jets.", "2025-12-16"),
        ("Ankara said Monday it would return the systems.", "2025-12-15"),
    ],
)
def test_other_dated_sayings(text: str, value: str) -> None:
    r = analyze(text)
    (timex,) = r.timexes
    assert timex.value == value
    (quote,) = r.quotes
    assert quote.date == value


# ---- the report round trip ----------------------------------------------------------------
ROUND_TRIP = (
    "The ceasefire was signed on March 3, 2024. Two days later, fighting resumed, "
    "prompting the envoy to leave. “We will decide within four to six months,” "
    "the minister said on Tuesday. Turkey purchased the system in 2017. "
    "Ankara acquired the batteries nearly a decade ago."
)


@pytest.mark.model
def test_to_dict_and_back_keeps_the_timeline_and_timex_fields(
    validate: Callable[[dict[str, Any]], None],
) -> None:
    r = analyze(ROUND_TRIP)
    relations = {e.relation for e in r.timeline}
    assert relations == {"on", "after", "by"}  # the "about" restatement was folded
    assert any(e.also for e in r.timeline) and any(e.quote for e in r.timeline)
    assert any(t.upper for t in r.timexes) and any(t.refers_to for t in r.timexes)
    assert any(t.mod for t in r.timexes) and any(t.anchor for t in r.timexes)
    data = r.to_dict()
    validate(data)
    back = Report.from_dict(data)
    assert back.timeline == r.timeline
    assert back.timexes == r.timexes
    assert back.quotes == r.quotes
    assert back.to_dict() == data
    again = Report.from_json(r.to_json())
    assert again.timeline == r.timeline and again.span_problems() == []


@pytest.mark.model
def test_an_estimated_date_round_trips() -> None:
    r = analyze("The port was built in 2017. It will close in 2030.", published=None)
    back = Report.from_json(r.to_json())
    assert (back.article.published, back.article.published_source) == ("2017-01-01", "estimated")
    assert [f.code for f in back.flags if f.origin == "temporal"] == ["PUBLISHED_DATE_ESTIMATED"]
    assert back.span_problems() == []


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "He served as mayor from 2010 to 2015.",
            ("2010-01-01", "2015-12-31", "during", "2010/2015"),
        ),
        (
            "Fighting raged between 1990 and 1995.",
            ("1990-01-01", "1995-12-31", "during", "1990/1995"),
        ),
        (
            "The summit ran Dec. 5-7.",
            ("2025-12-05", "2025-12-07", "during", "2025-12-05/2025-12-07"),
        ),
        (
            "She has lived in exile since 2014.",
            ("2014-01-01", "2025-12-19", "during", "2014/2025-12-19"),
        ),
    ],
)
def test_a_stretch_of_time_is_one_during_entry(
    sentence: str, expected: tuple[str, str, str, str]
) -> None:
    report = analyze(sentence)
    assert placed(report.timeline) == [expected]
    assert report.span_problems() == []


@pytest.mark.model
def test_two_dates_of_two_clauses_stay_two_entries() -> None:
    report = analyze("Talks failed in 2010 and the war began in 2015.")
    assert [e.relation for e in report.timeline] == ["on", "on"]
