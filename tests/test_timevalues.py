"""Calendar points: TIMEX3 values per granularity, arithmetic, and reading values back."""

from __future__ import annotations

import datetime as dt

import pytest

from newsgraph.timevalues import GRANULARITIES, Point, add_months, parse_value, season_point

D = dt.date
MID_AUGUST = D(2025, 8, 14)  # a Thursday


@pytest.mark.parametrize(
    ("gran", "first_day", "value", "last_day"),
    [
        ("C", D(2000, 1, 1), "20", D(2099, 12, 31)),
        ("E", D(2020, 1, 1), "202", D(2029, 12, 31)),
        ("Y", D(2025, 1, 1), "2025", D(2025, 12, 31)),
        ("H", D(2025, 7, 1), "2025-H2", D(2025, 12, 31)),
        ("Q", D(2025, 7, 1), "2025-Q3", D(2025, 9, 30)),
        ("M", D(2025, 8, 1), "2025-08", D(2025, 8, 31)),
        ("W", D(2025, 8, 11), "2025-W33", D(2025, 8, 17)),
        ("D", D(2025, 8, 14), "2025-08-14", D(2025, 8, 14)),
    ],
)
def test_of_value_and_end_for_each_granularity(
    gran: str, first_day: dt.date, value: str, last_day: dt.date
) -> None:
    point = Point.of(MID_AUGUST, gran)
    assert (point.day, point.value, point.end) == (first_day, value, last_day)


def test_every_granularity_is_covered_by_the_table() -> None:
    assert GRANULARITIES == ("C", "E", "Y", "H", "Q", "S", "M", "W", "WE", "D", "T")


def test_first_half_of_the_year() -> None:
    assert Point.of(D(2025, 6, 30), "H").value == "2025-H1"
    assert Point.of(D(2025, 6, 30), "H").end == D(2025, 6, 30)


def test_quarter_boundaries() -> None:
    assert [Point.of(D(2025, m, 15), "Q").value for m in (1, 3, 4, 6, 10, 12)] == [
        "2025-Q1",
        "2025-Q1",
        "2025-Q2",
        "2025-Q2",
        "2025-Q4",
        "2025-Q4",
    ]


def test_a_time_of_day_keeps_its_clock_or_part() -> None:
    assert Point.of(MID_AUGUST, "T", part="14:30").value == "2025-08-14T14:30"
    assert Point.of(MID_AUGUST, "T", part="MO").value == "2025-08-14TMO"
    assert Point.of(MID_AUGUST, "T").value == "2025-08-14"  # no part: just the day


def test_the_weekend_value_names_its_iso_week() -> None:
    assert Point.of(D(2025, 12, 19), "WE").value == "2025-W51-WE"
    assert Point.of(D(2025, 12, 21), "WE").value == "2025-W51-WE"  # Sunday: same week


def test_the_weekend_is_saturday_and_sunday() -> None:
    weekend = Point.of(D(2025, 12, 17), "WE")
    assert (weekend.day, weekend.end) == (D(2025, 12, 20), D(2025, 12, 21))


def test_iso_week_year_at_the_turn_of_the_year() -> None:
    # 1 January 2021 (a Friday) belongs to the last ISO week of 2020
    assert Point.of(D(2021, 1, 1), "W").value == "2020-W53"
    assert Point.of(D(2021, 1, 1), "WE").value == "2020-W53-WE"
    assert Point.of(D(2021, 1, 1), "W").day == D(2020, 12, 28)
    # 29 December 2025 (a Monday) is already week 1 of 2026
    assert Point.of(D(2025, 12, 29), "W").value == "2026-W01"


def test_seasons_and_winter_spanning_two_years() -> None:
    summer = season_point(2023, "SU")
    assert (summer.value, summer.day, summer.end) == ("2023-SU", D(2023, 6, 1), D(2023, 8, 31))
    winter = season_point(2024, "WI")  # winter 2024 starts in December 2024
    assert (winter.value, winter.day, winter.end) == ("2024-WI", D(2024, 12, 1), D(2025, 2, 28))
    assert season_point(2023, "WI").end == D(2024, 2, 29)  # a leap year's February
    assert season_point(2025, "FA").value == "2025-FA"
    assert season_point(2025, "SP").end == D(2025, 5, 31)


def test_of_a_season_snaps_to_the_season_start() -> None:
    assert Point.of(MID_AUGUST, "S", season="SU") == season_point(2025, "SU")
    assert Point.of(D(2025, 1, 15), "S", season="WI") == season_point(2024, "WI")


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)
    assert add_months(D(2025, 11, 30), 2) == D(2026, 1, 30)
    with pytest.raises(OverflowError):
        add_months(D(9999, 12, 1), 1)


def test_shift_a_day_by_a_month_clamps() -> None:
    assert Point(D(2025, 1, 31), "D").shift(1, "M") == Point(D(2025, 2, 28), "D")
    assert Point(D(2024, 2, 29), "D").shift(1, "Y") == Point(D(2025, 2, 28), "D")
    assert Point.of(D(2025, 1, 31), "M").shift(1).value == "2025-02"


def test_shift_quarters_and_halves_across_years() -> None:
    assert Point.of(D(2025, 11, 5), "Q").shift(1).value == "2026-Q1"
    assert Point.of(D(2025, 2, 5), "Q").shift(-1).value == "2024-Q4"
    assert Point.of(D(2024, 8, 1), "Q").shift(-4).value == "2023-Q3"  # a year earlier
    assert Point.of(D(2025, 2, 5), "H").shift(-1).value == "2024-H2"
    assert Point.of(D(2025, 8, 5), "Y").shift(1, "Q").value == "2025"  # stays a year


def test_shift_weeks_and_days() -> None:
    week = Point.of(D(2025, 12, 19), "W")
    assert week.shift(-1).value == "2025-W50"
    assert week.shift(2).value == "2026-W01"
    assert Point.of(D(2021, 1, 1), "W").shift(1).value == "2021-W01"
    assert Point(D(2025, 12, 31), "D").shift(1).value == "2026-01-01"
    assert Point(D(2025, 12, 19), "T", part="EV").shift(-1).value == "2025-12-18TEV"


def test_shift_decades_centuries_and_seasons() -> None:
    assert Point.of(D(2025, 1, 1), "E").shift(-3).value == "199"
    assert Point.of(D(2025, 1, 1), "C").shift(-1).value == "19"
    assert season_point(2025, "SU").shift(-1) == season_point(2024, "SU")  # last summer


def test_at_changes_granularity() -> None:
    day = Point(D(2025, 12, 19), "D")
    assert day.at("Q").value == "2025-Q4"
    assert day.at("W").value == "2025-W51"
    assert day.at("Y").end == D(2025, 12, 31)


@pytest.mark.parametrize(
    "point",
    [
        Point.of(MID_AUGUST, "C"),
        Point.of(MID_AUGUST, "E"),
        Point.of(MID_AUGUST, "Y"),
        Point.of(MID_AUGUST, "H"),
        Point.of(MID_AUGUST, "Q"),
        season_point(2025, "SU"),
        season_point(2024, "WI"),
        Point.of(MID_AUGUST, "M"),
        Point.of(MID_AUGUST, "W"),
        Point.of(D(2021, 1, 1), "W"),
        Point.of(MID_AUGUST, "WE"),
        Point.of(MID_AUGUST, "D"),
        Point.of(MID_AUGUST, "T", part="09:15"),
        Point.of(MID_AUGUST, "T", part="NI"),
    ],
    ids=lambda p: p.value,
)
def test_parse_value_round_trips(point: Point) -> None:
    assert parse_value(point.value) == point


@pytest.mark.parametrize(
    "value",
    ["PAST_REF", "PRESENT_REF", "FUTURE_REF", "P3D", "PT2H", "XXXX-XX-XX", "XXXX-WXX-2", ""],
)
def test_parse_value_is_none_for_what_is_not_a_date(value: str) -> None:
    assert parse_value(value) is None


def test_parse_value_is_none_for_a_day_off_the_calendar() -> None:
    assert parse_value("2025-02-30") is None
    assert parse_value("2025-13") is None
    assert parse_value("2025-W60") is None


def test_parse_value_reads_decades_and_centuries() -> None:
    assert parse_value("199") == Point(D(1990, 1, 1), "E")
    assert parse_value("20") == Point(D(2000, 1, 1), "C")
    assert parse_value("2020-W53-WE") == Point(D(2021, 1, 2), "WE")  # its Saturday
