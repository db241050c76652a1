"""The time grammar: its data files, number words, overlap resolution and the parse vetoes."""

from __future__ import annotations

import re

import pytest

import newsgraph
from newsgraph.report import Report
from newsgraph.temporal.component import COMPONENT
from newsgraph.temporal.grammar import (
    KINDS,
    NORMS,
    TYPES,
    Candidate,
    Rule,
    candidates,
    classes,
    lexicon,
    parse_number,
    rules,
    select,
)


def tagged(text: str) -> list[tuple[str, str]]:
    """(text, rule) of what the grammar alone keeps, before any parse veto."""
    return [(text[c.start : c.end], c.rule.name) for c in select(list(candidates(text)))]


def analyze(text: str) -> Report:
    report = newsgraph.analyze(text, published="2025-12-19")
    assert report.span_problems() == []
    return report


def timex_texts(text: str) -> list[str]:
    return [t.text for t in analyze(text).timexes]


# ---- the data files -------------------------------------------------------------------
def test_lexicon_loads_every_kind_with_values() -> None:
    lex = lexicon()
    assert set(lex.words) == set(KINDS)
    assert all(lex.words[kind] for kind in KINDS)
    assert lex.get("month", "Sept.") == "9"
    assert lex.get("weekday", "Thurs.") == "4"
    assert lex.get("season", "Autumn") == "FA"
    assert lex.get("unit", "fortnight") == "2W"
    assert lex.get("set_word", "per annum") == "P1Y"
    assert lex.get("fuzzy", "The  Coming Months") == "FUTURE_REF"  # case and spaces folded
    assert lex.get("holiday", "New Year’s Day") == "01-01"  # curly apostrophe folded
    assert lex.get("month", "Smarch") is None


def test_rules_load_with_known_types_and_unique_names() -> None:
    loaded = rules()
    names = [r.name for r in loaded]
    assert len(names) == len(set(names)) > 30
    assert all(r.type in TYPES and r.norm in NORMS for r in loaded)
    assert [r.order for r in loaded] == list(range(len(loaded)))
    assert {"month_day_year", "offset", "reference", "set_word", "decade"} <= set(names)


def test_word_classes_are_filled_and_compile() -> None:
    fills = classes()
    for name in ("MONTH", "WEEKDAY", "NUM", "UNIT", "SEASON", "YEAR"):
        re.compile(fills[name])
    month = re.compile(fills["MONTH"], re.IGNORECASE)
    assert month.fullmatch("May") and month.fullmatch("MAY") and not month.fullmatch("may")
    assert re.fullmatch(fills["YEAR"], "2024") and not re.fullmatch(fills["YEAR"], "2124")


# ---- numbers ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("twenty-four", 24),
        ("Twenty four", 24),
        ("a couple of", 2),
        ("two thousand", 2000),
        ("three hundred", 300),
        ("2.5", 2.5),
        ("1,000", 1000),
        ("12,500,000", 12_500_000),
        ("seven", 7),
        ("forty", 40),
        ("a dozen", 12),
        ("an", 1),
    ],
)
def test_parse_number(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["banana", "1,00", "several", "a few", "", "twenty-banana"])
def test_parse_number_refuses_what_is_not_a_number(text: str) -> None:
    assert parse_number(text) is None


# ---- overlap resolution ---------------------------------------------------------------
def _cand(start: int, end: int, rule: Rule) -> Candidate:
    return Candidate(start, end, rule, {})


def test_select_keeps_the_longest_non_overlapping_in_text_order() -> None:
    first, second = rules()[0], rules()[1]
    found = [
        _cand(30, 35, second),  # free: kept
        _cand(0, 10, first),  # overlaps the longest: dropped
        _cand(5, 20, second),  # the longest: kept
        _cand(20, 24, first),  # only touches the longest's end: kept
        _cand(18, 26, first),  # longer than (20, 24) but overlaps (5, 20): dropped
    ]
    assert [(c.start, c.end) for c in select(found)] == [(5, 20), (20, 24), (30, 35)]
    assert select([]) == []


def test_select_breaks_ties_by_rule_order() -> None:
    early, late = rules()[2], rules()[7]
    chosen = select([_cand(0, 8, late), _cand(0, 8, early)])
    assert [c.rule.name for c in chosen] == [early.name]


def test_the_grammar_prefers_the_full_date_over_its_parts() -> None:
    assert tagged("The deal was signed on January 20, 2025 in Rome.") == [
        ("January 20, 2025", "month_day_year")
    ]
    assert tagged("It rained in the third quarter of 2024.") == [
        ("the third quarter of 2024", "quarter")
    ]


# ---- what the grammar alone does not tag ---------------------------------------------------
def test_lowercase_may_is_never_a_month_candidate() -> None:
    assert tagged("Prices may rise in the spring.") == [("the spring", "season")]


def test_an_age_is_not_a_duration() -> None:
    assert tagged("The rescued child was a 6-year-old boy.") == []
    assert tagged("The 40-year-old driver was unhurt.") == []


def test_a_price_is_not_a_year() -> None:
    assert tagged("The handset costs $1,990 in Berlin.") == []
    assert tagged("Tickets cost £2,020 each.") == []


def test_numbers_glued_to_other_characters_are_not_years() -> None:
    assert tagged("Read issue #2019 and page 2019/20 of the file.") == []
    assert tagged("The index stood at 2019.5 points.") == []


def test_a_hyphenated_duration_is_found() -> None:
    assert tagged("Rescuers ended a 16-hour search.") == [("16-hour", "duration")]


# ---- parse vetoes (the real pipeline) -------------------------------------------------------
@pytest.mark.model
def test_the_component_is_in_the_pipeline_after_ner() -> None:
    from newsgraph.api import pipeline

    names = pipeline().pipe_names
    assert COMPONENT == "newsgraph_time_v1"
    assert names.index("ner") < names.index(COMPONENT)


@pytest.mark.model
def test_may_the_modal_verb_is_not_a_month() -> None:
    assert timex_texts("“May they rest in peace,” the mayor told mourners.") == []


@pytest.mark.model
def test_may_with_a_day_is_a_date() -> None:
    (t,) = analyze("The vote was held on May 5.").timexes
    assert (t.text, t.type, t.value) == ("May 5", "DATE", "2025-05-05")


@pytest.mark.model
def test_fall_the_verb_is_not_a_season() -> None:
    assert timex_texts("Shares could fall sharply if the talks fail.") == []
    r = analyze("Leaves fall early in the fall.")
    assert [(t.text, t.value) for t in r.timexes] == [("the fall", "2025-FA")]


@pytest.mark.model
def test_now_that_is_not_a_time() -> None:
    assert timex_texts("Now that the strike is over, trains are running.") == []


@pytest.mark.model
def test_an_age_and_a_price_stay_untagged_in_the_pipeline() -> None:
    assert timex_texts("A 6-year-old girl was rescued from the flooded house.") == []
    assert timex_texts("The new phone costs $1,990 in stores.") == []


@pytest.mark.model
def test_a_count_before_a_noun_is_not_a_year() -> None:
    assert timex_texts("The small museum counts 1990 visitors.") == []
