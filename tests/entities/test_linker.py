"""The KB-linked entity component on the real pipeline and the packaged knowledge base."""

from __future__ import annotations

import pytest

import newsgraph
from newsgraph.entities.component import COMPONENT, latin_prefix, mixes_scripts
from newsgraph.report import Entity, Report
from newsgraph.text.titles import office_titles

pytestmark = pytest.mark.model


def ents(text: str, published: str | None = "2025-12-19") -> Report:
    report = newsgraph.analyze(text, published=published)
    assert report.span_problems() == []
    return report


def by_text(report: Report, text: str) -> Entity:
    hits = [e for e in report.entities if any(m.text == text for m in e.mentions)]
    assert hits, f"no entity with a mention {text!r}: {[e.name for e in report.entities]}"
    return hits[0]


def test_the_component_is_the_pipeline_default() -> None:
    assert newsgraph.analyze("NATO met.").generator["components"][0] == COMPONENT


def test_a_capital_that_acts_is_its_state_and_a_capital_you_visit_is_a_place() -> None:
    r = ents("Ankara said on Monday it would return the systems. Talks were held in Ankara.")
    # the acting "Ankara" is Turkey: the events and quotes name Turkey, and the places
    # layer keeps the name as a place that stands for it (placed at Ankara)
    turkey = next(e for e in r.entities if e.type == "COUNTRY")
    assert (turkey.name, turkey.kb_id) == ("Turkey", "Q43")
    assert [m.start for m in turkey.mentions] == [0]
    seat = next(e for e in r.entities if e.attrs.get("stands_for"))
    assert seat.type == "LOCATION" and r.acting(seat) == turkey
    assert [m.start for m in seat.mentions] == [0]
    assert any(e.source == turkey.id for e in r.events)
    places = [e for e in r.entities if e.type == "LOCATION" and e.name == "Ankara"]
    visited = [e for e in places if "stands_for" not in e.attrs]
    assert len(visited) == 1 and visited[0].attrs.get("seat_of") == "TUR"
    assert all(e.geo is not None and e.geo["feature"] == "city" for e in places)


def test_demonyms_are_norp_linked_to_their_state() -> None:
    r = ents("A Turkish official met Russian diplomats in Geneva.")
    turkish = by_text(r, "Turkish")
    assert turkish.type == "NORP" and turkish.kb_id == "Q43"
    assert turkish.attrs["country"] == "TUR"


def test_kb_types_overrule_spacy_mistakes() -> None:
    r = ents(
        "Bloomberg reported that the U.S. offered Patriot missile systems, and Russia "
        "said it protects the people of Donbass. The F-35 program stalled, and F-35 jets sat idle."
    )
    assert by_text(r, "Bloomberg").type == "MEDIA"
    assert by_text(r, "Patriot missile systems").type == "MILITARY_SYSTEM"
    assert by_text(r, "Donbass").type == "LOCATION"
    assert by_text(r, "F-35 program").type == "PROGRAM"
    assert by_text(r, "F-35 jets").type == "MILITARY_SYSTEM"
    assert not [e for e in r.entities if e.type == "PERSON"]


def test_an_office_title_and_the_date_resolve_a_mangled_name() -> None:
    r = ents("U.S. Ambassador to Turkey Tomバーク stated that Ankara was approaching a deal.")
    barrack = by_text(r, "Tomバーク")
    assert (barrack.type, barrack.name) == ("PERSON", "Tom Barrack")
    assert barrack.attrs["office"] == "USA.ambassador.TUR"
    assert barrack.attrs.get("mixed_script") is True
    assert by_text(r, "Turkey").type == "COUNTRY"
    assert not [e for e in r.entities if e.type == "COUNTRY" and "バ" in e.name]


def test_a_description_of_an_office_refers_to_its_holder_on_the_article_date() -> None:
    r = ents("The Turkish president met the Russian president in Sochi.")
    people = {e.name: e for e in r.entities if e.type == "PERSON"}
    assert "Recep Tayyip Erdogan" in people and "Vladimir Putin" in people
    assert [s.text for s in people["Recep Tayyip Erdogan"].references] == ["The Turkish president"]


def test_one_person_across_years_and_a_bare_surname() -> None:
    for date in ("2019-06-01", "2025-06-01"):
        r = ents("President Donald Trump spoke. Later Trump left.", published=date)
        trump = by_text(r, "Donald Trump")
        assert trump.kb_id == "Q22686"
        assert {m.text for m in trump.mentions} == {"Donald Trump", "Trump"}


def test_warships_named_with_a_prefix() -> None:
    r = ents("HMS Daring and USS Mahan escorted the convoy.")
    assert by_text(r, "HMS Daring").type == "MILITARY_SYSTEM"
    assert by_text(r, "USS Mahan").type == "MILITARY_SYSTEM"


def test_unknown_names_keep_their_spacy_type_without_a_kb_id() -> None:
    r = ents("Maarja Tamm, a researcher, spoke in Tallinn.")
    tamm = by_text(r, "Maarja Tamm")
    assert tamm.type == "PERSON" and tamm.kb_id is None


def test_script_helpers() -> None:
    assert mixes_scripts("Tomバーク") and not mixes_scripts("Tom Barrack")
    assert latin_prefix("Tomバーク") == "Tom"
    assert office_titles()["secretary of state"] == "foreign_minister"


def test_everyday_platform_words_count_only_in_a_military_sentence() -> None:
    war = ents("A coalition strike destroyed two vehicles and a truck near Mosul.")
    assert by_text(war, "vehicles").type == "MILITARY_SYSTEM"
    assert by_text(war, "vehicles").attrs["generic"] is True
    peace = ents("Sales of electric vehicles and pickup trucks rose in May.")
    assert not [e for e in peace.entities if e.type == "MILITARY_SYSTEM"]


def test_think_tank_is_no_tank_and_hull_numbers_are_ships() -> None:
    r = ents("A think tank said the destroyer DDG 70 fired missiles.")
    assert [e.name for e in r.entities if e.type == "MILITARY_SYSTEM" and "tank" in e.name] == []
    assert by_text(r, "DDG 70").type == "MILITARY_SYSTEM"
