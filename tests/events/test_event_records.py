"""Events as records a researcher counts: one event told twice is one event, each date
says where it comes from, the place it happened, and what PLOVER does not code (an
illness fought, a match won, a deal between companies, a state buying at home)."""

from __future__ import annotations

import pytest

import newsgraph
from newsgraph.events.scope import is_company, scope_words
from newsgraph.report import Entity, Event, Report, Span

DAY = "2025-12-19"


def events(text: str, published: str | None = DAY) -> tuple[Report, list[Event]]:
    report = newsgraph.analyze(text, published=published)
    assert report.span_problems() == []
    return report, report.events


def names(report: Report) -> dict[str, str]:
    return {e.id: e.name for e in report.entities}


# -- no model --------------------------------------------------------------------------------


def test_the_scope_words_load_by_class() -> None:
    words = scope_words()
    assert {"cancer", "virus"} <= words["disease"]
    assert {"final", "tournament"} <= words["sport"]
    assert {"inc.", "holdings"} <= words["company"]


def test_companies_are_the_kbs_and_names_with_a_company_suffix() -> None:
    mention = [Span(0, 4, "Acme")]
    assert is_company(Entity("e1", "Acme Holdings", "ORGANIZATION", None, mention))
    assert is_company(Entity("e1", "Apple", "ORGANIZATION", "ngkb:company:apple", mention))
    assert not is_company(Entity("e1", "Hamas", "ORGANIZATION", None, mention))
    assert not is_company(Entity("e1", "Holdings", "PERSON", None, mention))


# -- the pipeline ------------------------------------------------------------------------


@pytest.mark.model
def test_an_event_told_twice_is_one_event_with_both_mentions() -> None:
    text = (
        "Egypt bought the Rafale jets from France in 2015. Egypt acquired the Rafale jets "
        "nearly a decade ago to replace its ageing fleet."
    )
    _, found = events(text)
    buys = [e for e in found if e.mode == "acquire"]
    assert len(buys) == 1, [(e.trigger.text, e.date) for e in found]
    (buy,) = buys
    assert buy.trigger.text == "bought" and [m.text for m in buy.mentions] == ["acquired"]
    assert buy.date == "2015" and buy.date_source == "event"


@pytest.mark.model
def test_two_purchases_on_two_dates_stay_two_events() -> None:
    text = "India bought the S-400 system in 2018. India bought the S-400 system again in 2024."
    _, found = events(text)
    assert sorted(e.date for e in found if e.mode == "acquire") == ["2018", "2024"]


@pytest.mark.model
def test_a_date_says_whether_it_is_the_events_the_clauses_or_the_publication_day() -> None:
    (own,) = events("Russian forces attacked Kharkiv on Tuesday.")[1]
    assert own.date_source == "event" and own.date == "2025-12-16"
    (undated,) = events("Russian forces attacked Kharkiv.")[1]
    assert (undated.date, undated.date_source) == (DAY, "published")
    (nothing,) = events("Russian forces attacked Kharkiv.", published=None)[1]
    assert (nothing.date, nothing.date_source) == (None, None)


@pytest.mark.model
def test_the_place_an_event_happened_is_its_location_not_an_actor() -> None:
    report, (event,) = events("Syrian troops attacked rebels near Palmyra on Monday.")
    assert event.location is not None and names(report)[event.location] == "Palmyra"
    assert event.location not in (event.source, event.target)


@pytest.mark.model
def test_illness_sport_and_business_are_not_plover_events() -> None:
    assert events("The senator has been fighting pancreatic cancer since March.")[1] == []
    assert events("Spain beat Italy in the final on Sunday.")[1] == []
    assert events("Acme Holdings agreed to buy Globex Inc. for $2 billion.")[1] == []


@pytest.mark.model
def test_a_state_buying_from_its_own_industry_is_not_an_interaction() -> None:
    text = "Hundreds of F-35 jets purchased by the U.S. military sit idle."
    assert [e for e in events(text)[1] if e.mode == "acquire"] == []
    abroad = events("Poland purchased F-35 jets from the United States in 2020.")[1]
    assert [e.mode for e in abroad] == ["acquire"]
