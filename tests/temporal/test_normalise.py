"""TIMEX3 values through ``newsgraph.analyze`` with a fixed publication date, plus the
resolver alone on grammar matches (tense given by hand)."""

from __future__ import annotations

import datetime as dt

import pytest

import newsgraph
from newsgraph.report import Report, Timex
from newsgraph.temporal.grammar import candidates, select
from newsgraph.temporal.normalise import Resolver, Value
from newsgraph.text.tense import Tense

FRIDAY = "2025-12-19"  # the publication date: a Friday in ISO week 51


def analyze(text: str, published: str | None = FRIDAY) -> Report:
    report = newsgraph.analyze(text, published=published)
    assert report.span_problems() == []
    return report


def find(report: Report, text: str) -> Timex:
    """The one time expression whose text is exactly ``text``."""
    found = [t for t in report.timexes if t.text == text]
    assert len(found) == 1, [t.text for t in report.timexes]
    return found[0]


def tv(sentence: str, text: str, published: str | None = FRIDAY) -> tuple[str, str]:
    t = find(analyze(sentence, published), text)
    return t.type, t.value


# ---- absolute dates ------------------------------------------------------------------
ABSOLUTE = [
    ("The president was sworn in on January 20, 2025.", "January 20, 2025", "2025-01-20"),
    ("The law took effect on 20 January 2025.", "20 January 2025", "2025-01-20"),
    ("Sales fell in Sept. 2024, the company said.", "Sept. 2024", "2024-09"),
    ("The plant opened in 2017.", "2017", "2017"),
    ("Prices rose sharply in the 1990s.", "the 1990s", "199"),
    ("Prices peaked in the '90s.", "the '90s", "199"),
    ("It is the worst crisis of the 21st century.", "the 21st century", "20"),
    ("Revenue fell in the third quarter of 2024.", "the third quarter of 2024", "2024-Q3"),
    ("The festival drew crowds in summer 2023.", "summer 2023", "2023-SU"),
    ("The ban was lifted on Jan. 5, 2024.", "Jan. 5, 2024", "2024-01-05"),
    ("The figures were released on 2025-03-04.", "2025-03-04", "2025-03-04"),
    ("The form was filed on 3/4/2024.", "3/4/2024", "2024-03-04"),
    ("The treaty was signed in nineteen ninety-four.", "nineteen ninety-four", "1994"),
]


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "text", "value"), ABSOLUTE)
def test_absolute_dates(sentence: str, text: str, value: str) -> None:
    t = find(analyze(sentence), text)
    assert (t.type, t.value, t.anchor) == ("DATE", value, None)


@pytest.mark.model
def test_an_edge_word_gives_a_mod() -> None:
    t = find(analyze("Output fell in mid-2024."), "mid-2024")
    assert (t.value, t.mod) == ("2024", "MID")
    t = find(analyze("The deal was signed in late March."), "late March")
    assert (t.value, t.mod) == ("2025-03", "END")


@pytest.mark.model
def test_the_first_half_of_a_year_is_a_half() -> None:
    assert tv("Exports grew in the first half of 2024.", "the first half of 2024") == (
        "DATE",
        "2024-H1",
    )


# ---- relative to the publication date ---------------------------------------------------
RELATIVE = [
    ("Officials met in Brussels last week.", "last week", "DATE", "2025-W50"),
    ("The minister resigned yesterday.", "yesterday", "DATE", "2025-12-18"),
    (
        "The pact expired the day before yesterday.",
        "the day before yesterday",
        "DATE",
        "2025-12-17",
    ),
    ("The talks will resume tomorrow.", "tomorrow", "DATE", "2025-12-20"),
    ("The council voted on Tuesday.", "Tuesday", "DATE", "2025-12-16"),
    ("The leaders will meet on Tuesday.", "Tuesday", "DATE", "2025-12-23"),
    ("The envoy left last Friday.", "last Friday", "DATE", "2025-12-12"),
    ("The envoy will arrive next Monday.", "next Monday", "DATE", "2025-12-22"),
    ("Elections will be held next year.", "next year", "DATE", "2026"),
    ("Hiring slowed last month.", "last month", "DATE", "2025-11"),
    ("The strike began in March.", "March", "DATE", "2025-03"),
    ("The new rules will take effect in March.", "March", "DATE", "2026-03"),
    ("Exports fell in November.", "November", "DATE", "2025-11"),
    ("The vote will be held in the spring.", "the spring", "DATE", "2026-SP"),
    ("The deal was agreed last spring.", "last spring", "DATE", "2025-SP"),
    ("Sales grew in the fourth quarter.", "the fourth quarter", "DATE", "2025-Q4"),
    ("Farmers protested last weekend.", "last weekend", "DATE", "2025-W50-WE"),
    ("Officials met this morning.", "this morning", "TIME", "2025-12-19TMO"),
    ("Troops withdrew last night.", "last night", "TIME", "2025-12-18TNI"),
    ("The blast hit at 3:30 p.m. on Tuesday.", "3:30 p.m. on Tuesday", "TIME", "2025-12-16T15:30"),
    ("The rally began at noon yesterday.", "noon yesterday", "TIME", "2025-12-18T12:00"),
    ("The bill passed three years ago.", "three years ago", "DATE", "2022"),
    ("The deal collapsed two weeks ago.", "two weeks ago", "DATE", "2025-W49"),
]


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "text", "type_", "value"), RELATIVE)
def test_relative_to_the_publication_date(sentence: str, text: str, type_: str, value: str) -> None:
    t = find(analyze(sentence), text)
    assert (t.type, t.value, t.anchor) == (type_, value, "published")


@pytest.mark.model
def test_a_weekday_with_a_part_of_day() -> None:
    t = find(analyze("Shelling resumed on Tuesday night."), "Tuesday night")
    assert (t.value, t.anchor) == ("2025-12-16TNI", "published")


@pytest.mark.model
def test_a_weekday_with_a_part_of_day_is_a_date_with_the_part() -> None:
    # TimeBank types "Tuesday night" DATE (a day and its part; TIMEX3 allows the part in a
    # date value), while "last night" and "this morning", parts of the publication day
    # or the day before, stay TIME.
    r = analyze("Troops withdrew last night and returned on Tuesday night.")
    assert [(t.text, t.type, t.value) for t in r.timexes] == [
        ("last night", "TIME", "2025-12-18TNI"),
        ("Tuesday night", "DATE", "2025-12-16TNI"),
    ]


@pytest.mark.model
def test_the_same_weekday_flips_with_the_tense() -> None:
    r = analyze("The envoys met on Tuesday and will meet again on Thursday.")
    assert [(t.text, t.value) for t in r.timexes] == [
        ("Tuesday", "2025-12-16"),
        ("Thursday", "2025-12-25"),
    ]


@pytest.mark.model
def test_approximate_offsets_carry_a_mod() -> None:
    t = find(analyze("The company acquired the rival nearly a decade ago."), "nearly a decade ago")
    assert (t.type, t.value, t.mod, t.anchor) == ("DATE", "2016", "APPROX", "published")
    t = find(analyze("The bill passed about five months ago."), "about five months ago")
    assert (t.value, t.mod) == ("2025-07", "APPROX")


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("Exports fell in January.", "January", "2025-01"),
        ("Trade grew in the first quarter.", "the first quarter", "2025-Q1"),
        ("Exports will rise in November.", "November", "2026-11"),
    ],
)
def test_the_tense_rules_out_a_month_on_the_wrong_side_of_publication(
    sentence: str, text: str, value: str
) -> None:
    assert tv(sentence, text)[1] == value


# ---- durations -------------------------------------------------------------------------
DURATIONS = [
    ("The war has lasted three years.", "three years", "P3Y", None, None),
    (
        "Repairs will take four to six months, the agency said.",
        "four to six months",
        "P4M",
        "P6M",
        None,
    ),
    ("The flight took two hours and a half.", "two hours and a half", "PT2H30M", None, None),
    ("The talks dragged on for several weeks.", "several weeks", "PXW", None, None),
    ("The siege lasted a fortnight.", "a fortnight", "P2W", None, None),
    ("The probe took 2.5 years.", "2.5 years", "P2Y6M", None, None),
    ("The probe lasted more than two years.", "more than two years", "P2Y", None, "MORE_THAN"),
    ("The trial lasted up to three weeks.", "up to three weeks", "P3W", None, "EQUAL_OR_LESS"),
    ("Rescuers ended a 16-hour search.", "16-hour", "PT16H", None, None),
    ("Rates fell over the past decade.", "the past decade", "P10Y", None, None),
]


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "text", "value", "upper", "mod"), DURATIONS)
def test_durations(
    sentence: str, text: str, value: str, upper: str | None, mod: str | None
) -> None:
    t = find(analyze(sentence), text)
    assert (t.type, t.value, t.upper, t.mod) == ("DURATION", value, upper, mod)


@pytest.mark.model
def test_two_and_a_half_hours() -> None:
    assert tv("The flight took two and a half hours.", "two and a half hours") == (
        "DURATION",
        "PT2H30M",
    )


@pytest.mark.model
def test_the_past_year_is_the_last_calendar_year_but_the_past_decade_a_duration() -> None:
    # TimeBank's convention: "the past year" names last year (DATE), "the past decade"
    # the ten years up to now (DURATION).
    assert tv("Rates fell sharply over the past year.", "the past year") == ("DATE", "2024")
    assert tv("Rates fell over the past decade.", "the past decade") == ("DURATION", "P10Y")


@pytest.mark.model
def test_the_first_day_of_an_event_is_not_an_unknown_duration() -> None:
    r = analyze("The talks began on the first day of the summit.")
    assert [t.value for t in r.timexes if t.value == "PXD"] == []


# ---- sets ------------------------------------------------------------------------------
SETS = [
    ("The summit is held every year.", "every year", "P1Y"),
    ("The ferry runs daily.", "daily", "P1D"),
    ("The report is published weekly.", "weekly", "P1W"),
    ("Rents fall every winter.", "every winter", "XXXX-WI"),
    ("The market opens on Sundays.", "Sundays", "XXXX-WXX-7"),
    ("A bus leaves every two hours.", "every two hours", "PT2H"),
]


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "text", "value"), SETS)
def test_sets(sentence: str, text: str, value: str) -> None:
    assert tv(sentence, text) == ("SET", value)


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("Workers earn $5 a day.", "a day", "P1D"),
        ("Buses run twice a week.", "a week", "P1W"),
        ("Fees rise 3% a year.", "a year", "P1Y"),
        ("Staff were paid 300 euros a month.", "a month", "P1M"),
    ],
)
def test_a_rate_is_a_set(sentence: str, text: str, value: str) -> None:
    assert tv(sentence, text) == ("SET", value)


@pytest.mark.model
def test_a_day_after_is_not_a_set() -> None:
    t = find(analyze("He was released a day after the vote."), "a day")
    assert (t.type, t.value) == ("DURATION", "P1D")
    t = find(analyze("The strike lasted a week and ended on Monday."), "a week")
    assert t.type == "DURATION"


# ---- fuzzy references ---------------------------------------------------------------------
FUZZY = [
    ("Prices are high now.", "now", "PRESENT_REF"),
    ("The mayor recently resigned.", "recently", "PAST_REF"),
    ("Costs will rise in the coming months.", "the coming months", "FUTURE_REF"),
    ("Prices have soared in recent years.", "recent years", "PAST_REF"),
]


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "text", "value"), FUZZY)
def test_fuzzy_references(sentence: str, text: str, value: str) -> None:
    assert tv(sentence, text) == ("DATE", value)


# ---- news-style reference times ------------------------------------------------------------
@pytest.mark.model
def test_the_next_day_counts_from_the_last_date_mentioned() -> None:
    r = analyze("On March 3, 2024, the ceasefire was signed. The next day, fighting resumed.")
    t = find(r, "The next day")
    assert (t.type, t.value, t.anchor) == ("DATE", "2024-03-04", "reference")


@pytest.mark.model
def test_the_previous_day_counts_back() -> None:
    r = analyze("On March 3, 2024, rebels took the town. The previous day, they had shelled it.")
    assert find(r, "The previous day").value == "2024-03-02"


@pytest.mark.model
def test_two_days_later_is_an_anchored_duration() -> None:
    r = analyze("The ceasefire was signed on March 3, 2024. Two days later, fighting resumed.")
    t = find(r, "Two days later")
    assert (t.type, t.value, t.anchor, t.refers_to) == (
        "DURATION",
        "P2D",
        "reference",
        "2024-03-05",
    )


@pytest.mark.model
def test_the_following_week_after_a_date() -> None:
    r = analyze("The group met on March 3, 2024, and again the following week.")
    t = find(r, "the following week")
    assert (t.value, t.anchor) == ("2024-W10", "reference")


@pytest.mark.model
@pytest.mark.parametrize(
    ("follow_up", "text", "value"),
    [
        ("Fighting resumed the next week.", "the next week", "2024-W10"),
        ("It had been drafted the previous month.", "the previous month", "2024-02"),
    ],
)
def test_the_next_week_after_a_date_counts_from_that_date(
    follow_up: str, text: str, value: str
) -> None:
    r = analyze("On March 3, 2024, the ceasefire was signed. " + follow_up)
    t = find(r, text)
    assert (t.value, t.anchor) == (value, "reference")


@pytest.mark.model
def test_that_day_and_that_evening_refer_to_the_last_date() -> None:
    r = analyze(
        "On March 3, 2024, rebels entered the city. The mayor fled that day. "
        "Police arrived that evening."
    )
    assert [(t.text, t.value) for t in r.timexes] == [
        ("March 3, 2024", "2024-03-03"),
        ("that day", "2024-03-03"),
        ("that evening", "2024-03-03TEV"),
    ]


@pytest.mark.model
def test_a_year_earlier_is_the_quarter_a_year_before() -> None:
    r = analyze("Profits rose 8% in the third quarter. A year earlier, they had fallen.")
    assert find(r, "the third quarter").value == "2025-Q3"
    t = find(r, "A year earlier")
    assert (t.type, t.value, t.anchor) == ("DATE", "2024-Q3", "reference")


@pytest.mark.model
def test_a_year_earlier_in_the_same_sentence_as_a_dated_quarter() -> None:
    r = analyze("Profits rose 8% in the third quarter of 2024, up from a year earlier.")
    assert find(r, "a year earlier").value == "2023-Q3"


@pytest.mark.model
def test_later_without_an_earlier_date_is_not_placed_after_publication() -> None:
    t = find(analyze("The strike ended two weeks later."), "two weeks later")
    assert t.refers_to is None or t.refers_to <= FRIDAY


# ---- extents ---------------------------------------------------------------------------
@pytest.mark.model
def test_extents_leave_out_prepositions_and_keep_determiners() -> None:
    text = "In last week's vote, the bill failed; it had passed in the third quarter."
    r = analyze(text)
    assert [t.text for t in r.timexes] == ["last week", "the third quarter"]
    assert r.timexes[0].start == text.index("last week")


@pytest.mark.model
def test_an_adjectival_duration_drops_its_article() -> None:
    text = "Rescuers ended a 16-hour search after the 16-hour flight landed."
    r = analyze(text)
    assert [(t.start, t.text) for t in r.timexes] == [
        (text.index("16-hour"), "16-hour"),
        (text.rindex("16-hour"), "16-hour"),
    ]


@pytest.mark.model
def test_a_deadline_duration_leaves_out_within() -> None:
    r = analyze("The agency will decide within six months.")
    assert [t.text for t in r.timexes] == ["six months"]


# ---- no publication date ---------------------------------------------------------------
NO_DATE = [
    ("The minister resigned yesterday.", "yesterday", "XXXX-XX-XX"),
    ("Officials met on Tuesday.", "Tuesday", "XXXX-WXX-2"),
    ("The strike began in March.", "March", "XXXX-03"),
    ("Officials met in Brussels last week.", "last week", "XXXX-WXX"),
]


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "text", "value"), NO_DATE)
def test_without_a_date_relative_values_keep_placeholders(
    sentence: str, text: str, value: str
) -> None:
    t = find(analyze(sentence, None), text)
    assert (t.value, t.anchor) == (value, "published")


@pytest.mark.model
def test_without_a_date_absolute_and_reference_values_still_resolve() -> None:
    r = analyze(
        "The ceasefire was signed on March 3, 2024. The next day, talks began. "
        "The port reopened in 2017.",
        None,
    )
    assert [(t.text, t.value) for t in r.timexes] == [
        ("March 3, 2024", "2024-03-03"),
        ("The next day", "2024-03-04"),
        ("2017", "2017"),
    ]


# ---- the resolver alone, with the tense given ---------------------------------------------
def resolve(text: str, dct: dt.date | None, tense: Tense = None) -> list[tuple[str, Value]]:
    """Each grammar match of ``text`` normalised in order, as the component does."""
    resolver = Resolver(dct)
    out = []
    for cand in select(list(candidates(text))):
        value = resolver.resolve(cand, tense)
        if value is not None:
            resolver.note(cand.start, value)
            out.append((text[cand.start : cand.end], value))
    return out


def values(text: str, dct: dt.date | None, tense: Tense = None) -> list[str]:
    return [v.value for _, v in resolve(text, dct, tense)]


@pytest.mark.parametrize(
    ("tense", "value"),
    [("PAST", "2025-12-16"), ("FUTURE", "2025-12-23"), (None, "2025-12-16")],
)
def test_a_weekday_goes_the_way_of_the_tense(tense: Tense, value: str) -> None:
    assert values("on Tuesday", dt.date(2025, 12, 19), tense) == [value]


def test_the_publication_weekday_itself_is_that_day() -> None:
    assert values("on Friday", dt.date(2025, 12, 19), "PAST") == ["2025-12-19"]
    assert values("on Friday", dt.date(2025, 12, 19), "FUTURE") == ["2025-12-19"]


def test_a_month_far_from_publication_goes_the_way_of_the_tense() -> None:
    october = dt.date(2025, 10, 15)
    assert values("in April", october, "PAST") == ["2025-04"]
    assert values("in April", october, "FUTURE") == ["2026-04"]


def test_a_day_a_few_weeks_ahead_stays_in_this_year_even_in_the_past_tense() -> None:
    # "the deadline was extended to Nov. 20", written on November 2
    assert values("to Nov. 20", dt.date(2025, 11, 2), "PAST") == ["2025-11-20"]


def test_the_last_date_mentioned_is_the_reference() -> None:
    text = "on March 3, 2024 ... the following day ... the same day ... the next morning"
    got = resolve(text, dt.date(2025, 1, 1))
    assert [(text, v.value, v.anchor) for text, v in got] == [
        ("March 3, 2024", "2024-03-03", None),
        ("the following day", "2024-03-04", "reference"),
        ("the same day", "2024-03-04", "reference"),  # the reference moved on
        ("the next morning", "2024-03-05TMO", "reference"),
    ]


def test_a_derived_date_does_not_become_the_reference() -> None:
    got = resolve("on March 3, 2024 ... a year earlier ... the next day", None)
    assert [(v.value, v.derived) for _, v in got] == [
        ("2024-03-03", False),
        ("2023-03-03", True),
        ("2024-03-04", False),  # counted from March 3, 2024, not from the derived date
    ]


def test_the_next_day_after_a_bare_year_is_not_resolved() -> None:
    assert values("in 2017 ... the next day", None) == ["2017"]


def test_an_estimated_decade_ago_from_the_publication_year() -> None:
    ((_, v),) = resolve("nearly a decade ago", dt.date(2025, 12, 19), "PAST")
    assert (v.value, v.mod, v.anchor) == ("2016", "APPROX", "published")


def test_offsets_without_a_date_are_past_or_future_refs() -> None:
    assert values("three years ago", None) == ["PAST_REF"]
    assert values("three years from now", None) == ["FUTURE_REF"]


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("Sales peaked in week 3 of 2025.", "week 3 of 2025", "2025-W03"),
        ("The plan (2025-W03) slipped.", "2025-W03", "2025-W03"),
        ("Output fell in week 12.", "week 12", "2025-W12"),
        (
            "The hearing moved to the week of March 6, 2024.",
            "the week of March 6, 2024",
            "2024-W10",
        ),
    ],
)
def test_weeks_by_number_and_by_a_day_in_them(sentence: str, text: str, value: str) -> None:
    assert tv(sentence, text) == ("DATE", value)


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "text", "value"),
    [
        ("It opened in June last year.", "June last year", "2024-06"),
        ("It will open in March next year.", "March next year", "2026-03"),
        ("It closed in December this year.", "December this year", "2025-12"),
    ],
)
def test_a_month_with_a_relative_year_counts_the_year(sentence: str, text: str, value: str) -> None:
    assert tv(sentence, text) == ("DATE", value)


@pytest.mark.model
def test_a_scheduled_date_lies_ahead() -> None:
    # published 2025-03-10: last Nov. 3 is nearer, but "is scheduled for" looks forward
    got = tv("The vote is scheduled for Nov. 3.", "Nov. 3", published="2025-03-10")
    assert got == ("DATE", "2025-11-03")
