"""newsgraph_events_v1: PLOVER events with actors, codes, dates and flags."""

from __future__ import annotations

import pytest

import newsgraph
from newsgraph.events.lexicon import PLOVER_TYPES, sectors, senses
from newsgraph.report import Event, Report

pytestmark = pytest.mark.model

DAY = "2025-12-19"


def events(text: str, published: str | None = DAY) -> tuple[Report, list[Event]]:
    report = newsgraph.analyze(text, published=published)
    assert report.span_problems() == []
    return report, report.events


def coded(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """(type, mode, source code, target code) of each event."""
    return [(e.type, e.mode, e.source_code, e.target_code) for e in events(text)[1]]


def test_the_lexicon_loads_and_names_only_plover_types() -> None:
    table = senses()
    assert len(table) > 300
    assert {s.type for options in table.values() for s in options} <= PLOVER_TYPES
    assert sectors()["police"] == "COP"
    # a sense with a condition is tried before the bare sense of the same word
    options = table[("impose", "VERB")]
    assert all(s.condition is not None for s in options)


def test_a_plain_statement_of_an_attack() -> None:
    assert coded("Russian forces attacked Ukraine on Tuesday.") == [
        ("ASSAULT", None, "RUSMIL", "UKR")
    ]


def test_a_passive_with_its_agent() -> None:
    report, (event,) = events("Turkey was suspended from the program by the United States.")
    names = {e.id: e.name for e in report.entities}
    assert (event.type, names[event.source or ""], names[event.target or ""]) == (
        "SANCTION",
        "United States",
        "Turkey",
    )
    assert event.object is not None and event.object.text == "the program"


def test_reporting_verbs_are_not_events() -> None:
    assert coded("The minister said on Monday that talks were useful.") == []


def test_negation_and_conditions_are_flagged() -> None:
    (event,) = events("Iran did not attack Iraq.")[1]
    assert event.negated and not event.hypothetical
    (cond,) = events("Israel would attack Lebanon if the rockets continue.")[1]
    assert cond.type == "THREATEN" and cond.hypothetical


def test_a_stated_intention_is_coded_as_cameo_does() -> None:
    assert coded("Syria says it will withdraw its troops from Lebanon.")[0][:2] == ("AGREE", None)
    (refusal,) = events("Iran said it would not release the prisoners.")[1]
    assert (refusal.type, refusal.source_code, refusal.negated) == ("REJECT", "IRN", True)
    assert coded("Pakistan threatened to break off relations with Costa Rica.") == [
        ("THREATEN", None, "PAK", "CRI")
    ]


def test_must_is_a_demand_by_the_speaker() -> None:
    (event,) = events("Britain said Libya must hand over the suspects.")[1]
    assert (event.type, event.source_code, event.target_code) == ("REQUEST", "GBR", "LBY")


def test_a_noun_event_takes_its_actors_from_possessor_and_preposition() -> None:
    (event,) = events("Putin's meeting with Recep Tayyip Erdogan last week was tense.")[1]
    assert (event.type, event.source_code, event.target_code) == ("CONSULT", "RUSGOV", "TURGOV")
    assert event.date == "2025-W50"


def test_an_event_in_a_quote_names_the_quote() -> None:
    report, evs = events('"We will never attack Georgia," the Russian minister said.')
    assert evs and evs[0].quote is not None
    assert evs[0].quote in {q.id for q in report.quotes}


@pytest.mark.shared
def test_the_seed_events(seed_text: str) -> None:
    report = newsgraph.analyze(seed_text, published=DAY)
    assert report.span_problems() == []
    got = {
        (e.type, e.mode, e.source_code, e.target_code, e.date, e.hypothetical)
        for e in report.events
    }
    # an event the text does not date is placed on the publication day, and says so
    assert ("RETREAT", "return", "TUR", "RUS", DAY, True) in got
    assert ("SANCTION", "suspend", "USA", "TUR", DAY, False) in got
    assert ("SANCTION", None, "USA", "TUR", DAY, False) in got
    assert ("CONSULT", None, "TURGOV", "RUSGOV", "2025-W50", False) in got
    assert ("CONSULT", None, "TURGOV", "USA", "2024-09", False) in got  # Trump not yet in office
    assert ("AID", "military", "USA", "TUR", DAY, True) in got
    assert ("COOPERATE", "acquire", "TUR", "RUS", "2017", False) in got
    sources = {e.date_source for e in report.events if e.date == DAY}
    assert sources == {"published"}
    # the purchase is one event, told three times ("acquisition", "purchased in 2017",
    # "acquired nearly a decade ago")
    (purchase,) = [e for e in report.events if e.mode == "acquire"]
    assert purchase.date_source == "event" and len(purchase.mentions) == 2
    # the meeting at the White House is where the two leaders "discussed" the way forward
    names = {e.id: e.name for e in report.entities}
    (meeting,) = [e for e in report.events if e.date == "2024-09"]
    assert [m.text for m in meeting.mentions] == ["discussed"]
    assert meeting.location is not None and names[meeting.location] == "White House"
    # the return: its object is the systems; the offer: Patriot systems
    objects = {e.type: e.object.text for e in report.events if e.object and e.mode != "acquire"}
    assert "Patriot" in objects["AID"]
    said = [e for e in report.events if e.trigger.text in ("said", "stated", "reported")]
    assert said == []
