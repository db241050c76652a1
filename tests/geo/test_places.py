"""newsgraph_geo_v1: every place the article names, resolved to a GeoNames point."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import newsgraph
from newsgraph.geo.gazetteer import haversine_km
from newsgraph.report import Entity, Report

pytestmark = pytest.mark.model


def analyze(text: str) -> Report:
    report = newsgraph.analyze(text, published="2025-12-19")
    assert report.span_problems() == []
    return report


def place(report: Report, written: str) -> Entity:
    """The entity a mention with this text belongs to."""
    return next(e for e in report.entities for m in e.mentions if m.text == written)


def near(entity: Entity, lat: float, lon: float, km: float = 50) -> bool:
    assert entity.geo is not None, f"{entity.name} is not placed"
    return haversine_km(entity.geo["lat"], entity.geo["lon"], lat, lon) <= km


def test_the_seed_places_every_place_and_invents_no_event_location(
    seed_text: str, validate: Callable[[dict[str, Any]], None]
) -> None:
    report = newsgraph.analyze(seed_text, published="2025-12-19")
    validate(report.to_dict())
    points = {
        "Ankara": (39.92, 32.85, "city"),
        "Washington": (38.90, -77.04, "city"),
        "Moscow": (55.75, 37.62, "city"),
        "Donbass": (48.3, 38.3, "region"),
        "the Middle East": (29.0, 42.0, "region"),
        "Turkey": (39.0, 35.0, "country"),
        "Russia": (60.0, 100.0, "country"),
        "Ukraine": (49.0, 32.0, "country"),
        "the United States": (39.76, -98.5, "country"),
    }
    for written, (lat, lon, feature) in points.items():
        entity = place(report, written)
        assert near(entity, lat, lon, 100), written
        assert entity.geo is not None and entity.geo["feature"] == feature, written
    # "Ankara" is the place; the state it stands for stays the actor of every event
    ankara, turkey = place(report, "Ankara"), place(report, "Turkey")
    assert ankara.attrs["stands_for"] == turkey.id
    assert any(e.source == turkey.id for e in report.events)
    assert all(e.source != ankara.id and e.target != ankara.id for e in report.events)
    returns = [e for e in report.events if e.type == "RETREAT"]
    assert returns and all(e.location is None for e in returns)  # no invented location
    assert report.places[0]["name"] == "Turkey"
    assert {p["name"] for p in report.places} >= {"Turkey", "United States", "Russia"}


def test_a_town_is_the_one_in_the_state_written_after_it() -> None:
    report = analyze("A woman from Alexandria, La., was charged with arson on Friday.")
    assert near(place(report, "Alexandria"), 31.31, -92.45)
    report = analyze("He grew up in Paris, Texas, and moved away at 18.")
    assert near(place(report, "Paris"), 33.66, -95.56)


def test_a_bare_name_is_the_one_the_story_is_about() -> None:
    assert near(place(analyze("The mayor of Paris opened the new bridge."), "Paris"), 48.85, 2.35)
    report = analyze("Police in Alexandria said the protest in Cairo spread across Egypt.")
    assert near(place(report, "Alexandria"), 31.20, 29.92)
    report = analyze(
        "Atlanta officials met in Athens on Monday. The University of Georgia hosted the "
        "meeting, and Georgia lawmakers attended."
    )
    assert near(place(report, "Athens"), 33.96, -83.38)
    georgia = [e for e in report.entities if e.name == "Georgia" and e.geo]
    assert georgia and georgia[0].geo is not None and georgia[0].geo["feature"] == "admin1"
    report = analyze("Georgia and Armenia signed a border deal in Tbilisi on Monday.")
    georgia_state = place(report, "Georgia")
    assert georgia_state.geo is not None and georgia_state.geo["country"] == "GEO"


def test_demonyms_tell_the_story_s_country() -> None:
    # Palmyra in Western Australia is the more populous reading without the context
    report = analyze(
        "Syrian government forces attacked rebel positions near Palmyra on Tuesday, the "
        "Syrian Observatory for Human Rights said."
    )
    palmyra = place(report, "Palmyra")
    assert palmyra.geo is not None and palmyra.geo["country"] == "SYR"
    assert near(palmyra, 34.56, 38.28)


def test_a_demonym_used_as_a_place_is_its_state() -> None:
    report = analyze("Two drones crashed on Turkish territory, officials said.")
    named = [e for e in report.entities for m in e.mentions if m.text == "Turkish"]
    assert sorted(e.type for e in named) == ["COUNTRY", "NORP"]  # the NORP keeps it
    turkey = next(e for e in named if e.type == "COUNTRY")
    assert turkey.geo is not None and turkey.geo["country"] == "TUR"
    for text in (
        "Turkish officials said the talks would resume.",  # people, not a place
        "The army shelled Albanian rebel-held territory.",  # not Albania's territory
    ):
        report = analyze(text)
        assert all(e.geo is None for e in report.entities if e.type == "COUNTRY"), text


def test_the_dateline_and_a_tagger_s_person_are_places() -> None:
    report = analyze(
        "MANSFIELD, La. -- The city council voted on Monday to repair the roads in "
        "Mansfield, a town of 5,000 people."
    )
    mansfield = place(report, "MANSFIELD")
    assert near(mansfield, 32.04, -93.70)
    assert mansfield.attrs.get("dateline") is True
    # an event's place comes from its own clause, never from the dateline
    assert all(e.location != mansfield.id for e in report.events)


def test_places_inside_an_organisation_s_name() -> None:
    report = analyze("The Georgia Bureau of Investigation arrested two men in Atlanta.")
    georgia = place(report, "Georgia")
    assert georgia.type == "LOCATION" and georgia.geo is not None
    assert georgia.geo["feature"] == "admin1"


def test_no_place_where_there_is_none() -> None:
    report = analyze("The West must act, the minister said.")
    assert all(e.geo is None for e in report.entities)
    assert report.places == []
