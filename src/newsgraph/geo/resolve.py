"""Toponym resolution: which gazetteer place each place name of an article means.

Candidates come by name and alternate name. Some names are settled by what the other
layers know: a state the KB linked is its country, a KB place (Donbas) is its entry, a
capital standing for its state is that capital, a seat that is no town (the White
House) lies in its capital. The others are scored, in three rounds (the first only to
learn the article's country, the second to learn its regions and towns):

- the place's size: log10 of its population (a country's, a region's summed over its
  towns), plus a little for the broader features (country, continent, region) that a
  bare name more often means, minus a little for a match on an alternate name only;
- what the text writes after it: "Alexandria, La." keeps Louisiana's Alexandria,
  "Paris, Texas" keeps the Texan one (other candidates drop far behind);
- the article's country (the one its places vote for) and the others it names;
- the US states (first-level regions) it names: "Alexandria" in a story that names
  Louisiana;
- places close to the article's settled places (within 100 km);
- a place use of a capital's name ("talks in Athens") leans to the capital.

No rule here names a place: all of it is the gazetteer and the text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Final

from .gazetteer import Gazetteer, Place, haversine_km, name_key, us_state_abbreviations

#: Broader features a bare name more often means, over a town of the same size.
FEATURE_BONUS: Final = {
    "country": 2.0,
    "continent": 2.0,
    "admin1": 1.5,
    "region": 1.0,
    "territory": 1.0,
    "sea": 1.0,
    "island": 1.0,
    "city": 0.0,
    "facility": 0.0,
}
ALTERNATE_NAME: Final = -0.5
QUALIFIED: Final = 3.0
NOT_QUALIFIED: Final = -10.0
IN_MAIN_COUNTRY: Final = 2.5
#: How far below a name's best reading another still counts as plausible (round 1).
PLAUSIBLE: Final = 2.0
IN_NAMED_COUNTRY: Final = 0.75
IN_NAMED_REGION: Final = 1.5
NEAR_SETTLED: Final = 1.0
#: A capital the KB names as its state's (a place use of "Athens", "Washington").
CAPITAL: Final = 2.5
NEAR_KM: Final = 100.0
#: "Alexandria, La." / "Paris, Texas" / "Tripoli, Lebanon": up to three capitalised words.
_QUALIFIER = re.compile(r"\s*,\s*((?:[A-Z][A-Za-z.]*\.?)(?:\s+[A-Z][A-Za-z.]*){0,2})")


@dataclass
class Mention:
    """A place entity as the resolver sees it."""

    entity_id: str
    name: str
    type: str
    kb_id: str | None = None
    iso3: str | None = None  #: a COUNTRY the KB linked
    seat_of: str | None = None  #: a capital named for its state: that state's ISO3
    capital: str | None = None  #: with ``seat_of``: that state's capital
    stands_for: bool = False  #: a capital's name that stood for its state ("Ankara said")
    city: bool = False  #: only a town will do (a dateline)
    #: longer names the text writes around a mention, longest first ("Rio Grande do Sul"
    #: where the tagger took "Rio Grande")
    longer: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class _Context:
    countries: dict[str, float] = field(default_factory=dict)  #: votes, from round 1 on
    regions: set[tuple[str, str]] = field(default_factory=set)
    points: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def main(self) -> str | None:
        # ties go to the first in alphabetical order, whatever the hash seed
        return max(sorted(self.countries), key=lambda c: self.countries[c], default=None)

    def add(self, entity_id: str, place: Place, weight: int) -> None:
        if place.country:
            self.countries[place.country] = self.countries.get(place.country, 0.0) + weight
        if place.country and place.admin1 and place.feature == "admin1":
            self.regions.add((place.country, place.admin1))
        if place.feature in ("city", "admin1", "facility"):
            self.points.append((entity_id, place.lat, place.lon))


def _qualifier(
    text: str, end: int, abbreviations: dict[str, str], countries: dict[str, str]
) -> tuple[str | None, str | None]:
    """(country, US state code) written right after a place name, or (None, None)."""
    m = _QUALIFIER.match(text, end)
    if not m:
        return None, None
    words = m.group(1).split()
    for n in range(len(words), 0, -1):
        form = " ".join(words[:n])
        bare = form.rstrip(",")
        # "La.", "Texas", "New York"; a bare postal code only in capitals ("LA", not "La")
        if bare in abbreviations and (
            bare.endswith(".") or len(bare) > 2 or n > 1 or bare.isupper()
        ):
            return "USA", abbreviations[bare]
        key = name_key(bare.rstrip("."))
        if key in countries:
            return countries[key], None
    return None, None


def _score(
    place: Place,
    mention_id: str,
    qualifier: tuple[str | None, str | None],
    ctx: _Context | None,
    capital: int | None = None,
) -> float:
    score = math.log10(max(place.population, 0) + 10) + FEATURE_BONUS.get(place.feature, 0.0)
    if place.rowid == capital:
        score += CAPITAL
    if not place.primary:
        score += ALTERNATE_NAME
    q_country, q_region = qualifier
    if q_country is not None:
        if place.country != q_country or (q_region is not None and place.admin1 != q_region):
            score += NOT_QUALIFIED
        else:
            score += QUALIFIED
    if ctx is not None:
        if place.country and place.country == ctx.main:
            score += IN_MAIN_COUNTRY
        elif place.country and place.country in ctx.countries:
            score += IN_NAMED_COUNTRY
        region = (place.country or "", place.admin1 or "")
        if place.feature != "admin1" and region in ctx.regions:
            score += IN_NAMED_REGION
        if place.feature in ("city", "facility") and any(
            other != mention_id and haversine_km(place.lat, place.lon, lat, lon) <= NEAR_KM
            for other, lat, lon in ctx.points
        ):
            score += NEAR_SETTLED
    return score


@dataclass
class _Open:
    """A name still to choose for: its candidates, what is written after it, and the
    capital its name may stand for (a place use of "Athens")."""

    candidates: list[Place]
    qualifier: tuple[str | None, str | None]
    capital: int | None = None


def resolve_places(
    mentions: list[Mention],
    gazetteer: Gazetteer,
    text: str,
    hints: Mapping[str, float] | None = None,
) -> dict[str, Place]:
    """entity id -> the place it names, for every mention the gazetteer can place.

    ``hints`` are votes for the article's country from words that are not places (a
    demonym: "Syrian forces" votes for Syria), counted with the places' own."""
    abbreviations = us_state_abbreviations()
    country_names = {
        name_key(p.name): p.country
        for m in mentions
        for p in gazetteer.lookup(m.name)
        if p.feature == "country" and p.country
    }
    chosen: dict[str, Place] = {}
    ctx = _Context(countries=dict(sorted((hints or {}).items())))
    open_: dict[str, _Open] = {}
    for m in mentions:
        qualifier: tuple[str | None, str | None] = (None, None)
        for _s, end, _t in m.spans:
            qualifier = _qualifier(text, end, abbreviations, country_names)
            if qualifier[0] is not None:
                break
        settled = _settled(m, gazetteer)
        if settled is not None and qualifier[0] not in (None, settled.country):
            settled = None  # "Paris, Texas" is not the capital of France
        if settled is not None:
            chosen[m.entity_id] = settled
            ctx.add(m.entity_id, settled, 2 * len(m.spans))
            continue
        candidates = _candidates(m, gazetteer)
        if m.iso3 is not None:  # a linked state whose name a US state shares ("Georgia")
            country = gazetteer.country(m.iso3)
            if country is not None:
                candidates = {
                    k: p for k, p in candidates.items() if p.feature in ("admin1", "country")
                }
                candidates.setdefault(country.rowid, country)
        if m.city:
            candidates = {k: p for k, p in candidates.items() if p.feature == "city"}
        capital = _capital(m, gazetteer)
        if capital is not None:
            candidates.setdefault(capital.rowid, capital)
        if candidates:
            open_[m.entity_id] = _Open(
                list(candidates.values()), qualifier, capital.rowid if capital else None
            )
    _learn_country(open_, ctx)
    # round 2: with the context; round 3: with the regions and towns round 2 settled
    # ("Athens" near Atlanta in a story that names the state of Georgia)
    for final in (False, True):
        for entity_id, o in open_.items():
            chosen[entity_id] = max(
                o.candidates, key=lambda p: _score(p, entity_id, o.qualifier, ctx, o.capital)
            )
        if not final:
            for entity_id in open_:
                place = chosen[entity_id]
                if place.feature == "admin1" and place.country and place.admin1:
                    ctx.regions.add((place.country, place.admin1))
                elif place.feature == "city":
                    ctx.points.append((entity_id, place.lat, place.lon))
    return chosen


def _learn_country(open_: dict[str, _Open], ctx: _Context) -> None:
    """Round 1: each name on its own, to learn the article's country. A name votes for
    the countries of its plausible readings (within PLAUSIBLE of its best), shared among
    them: "Athens", "Dublin" and "Georgia" together vote for the United States."""
    votes = dict(ctx.countries)
    for entity_id, o in open_.items():
        scored = [(_score(p, entity_id, o.qualifier, None, o.capital), p) for p in o.candidates]
        top = max(score for score, _p in scored)
        plausible = {p.country for score, p in scored if p.country and score >= top - PLAUSIBLE}
        for country in sorted(plausible):
            votes[country] = votes.get(country, 0.0) + 1 / len(plausible)
        best = max(scored, key=lambda sp: sp[0])[1]
        if best.feature == "admin1" and best.country and best.admin1 and len(plausible) == 1:
            ctx.regions.add((best.country, best.admin1))  # "W.Va.", "Minnesota"
        q_country, q_region = o.qualifier
        if q_country and q_region:
            ctx.regions.add((q_country, q_region))  # "Charleston, W.Va."
    ctx.countries = votes


#: Words before a place that name a part of it: "Northeast Georgia" is placed at Georgia.
_PART: Final = re.compile(
    r"^(?:(?:north|south)(?:east|west)?(?:ern)?|east(?:ern)?|west(?:ern)?|central|upper|lower"
    r"|greater|metro|downtown|rural|coastal|mainland)\s+",
    re.IGNORECASE,
)


def _candidates(m: Mention, gazetteer: Gazetteer) -> dict[int, Place]:
    """The places a mention may name: by each of its written forms (a US state by its
    abbreviation too), and by the form without a part word ("Northeast Georgia" ->
    "Georgia") when the whole is unknown."""
    candidates: dict[int, Place] = {}
    for longer in m.longer:  # "Goz Beida" where spaCy tagged "Beida"
        found = gazetteer.lookup(longer)
        if found:
            return {p.rowid: p for p in found}
    for n in sorted({m.name, *(t for _s, _e, t in m.spans)}):
        found = gazetteer.lookup(n)
        if not found and (part := _PART.match(n)):
            found = [p for p in gazetteer.lookup(n[part.end() :]) if p.feature != "city"]
        for p in found:
            if p.rowid not in candidates or (p.primary and not candidates[p.rowid].primary):
                candidates[p.rowid] = p
    return candidates


def _settled(m: Mention, gazetteer: Gazetteer) -> Place | None:
    """The place other layers already settled, when the name needs no choosing."""
    if m.iso3 is not None:
        has_region = any(p.feature == "admin1" for p in gazetteer.lookup(m.name))
        return None if has_region else gazetteer.country(m.iso3)
    if m.kb_id is not None:
        place = gazetteer.by_kb_id(m.kb_id)
        if place is not None:
            return place
    capital = _capital(m, gazetteer)
    if capital is not None and (m.stands_for or capital.feature == "facility"):
        return capital
    return None


def _capital(m: Mention, gazetteer: Gazetteer) -> Place | None:
    """The capital a seat of government stands in: "Ankara" standing for Turkey is
    Ankara; "the White House", "the Kremlin" (seats, not towns) lie in the capital: its
    point, as a facility."""
    if m.seat_of is None or not m.capital:
        return None
    capital = [
        p for p in gazetteer.lookup(m.capital) if p.country == m.seat_of and p.feature == "city"
    ]
    if not capital:
        return None
    city = max(capital, key=lambda p: (p.primary, p.population))
    names = {name_key(n) for n in (m.name, *(t for _s, _e, t in m.spans))}
    if name_key(m.capital) in names or name_key(city.name) in names:
        return city
    # a seat that is a town of its own ("Dar es Salaam" for Tanzania) is that town
    towns = [
        p
        for n in sorted({m.name, *(t for _s, _e, t in m.spans)})
        for p in gazetteer.lookup(n)
        if p.country == m.seat_of and p.feature == "city" and p.primary
    ]
    if towns:
        return max(towns, key=lambda p: p.population)
    return replace(city, geonames_id=None, name=m.name, feature="facility", kb_id=None)


__all__ = ["Mention", "resolve_places"]
