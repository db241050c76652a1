"""The places component: every place the article names, resolved to a GeoNames point.

It runs last, over the entity layer the other components have already read, and:

1. **Adds the place of a metonymic capital.** "Ankara said" is a mention of Turkey (the
   actor every other layer used) and stays one; it also becomes a mention of a LOCATION
   entity of the capital (``attrs.stands_for`` names the state's entity), so the state
   is placed at its point and Ankara at Ankara's. Nothing is taken from another entity.
2. **Takes demonyms used as places** ("Turkish territory", "Syrian soil") as mentions of
   their state too.
3. **Resolves each place** (COUNTRY and LOCATION entities) to one gazetteer entry
   (:mod:`.resolve`) and writes its ``geo``: ``{lat, lon, geonames_id, country,
   feature}``.
4. **Names the article's main places** (``doc._.ng_places``: the report's ``places``).

Event locations were set by the event coder (an entity id from the event's own clause,
never the dateline); they keep pointing at the entity, which now has its point.
"""

from __future__ import annotations

import re
from typing import Any, Final

from spacy.language import Language
from spacy.tokens import Doc

from ..kb import get_kb
from ..kb.base import KnowledgeBase
from ..report import Entity
from ..report import Span as RSpan
from ..text import docview
from .gazetteer import Gazetteer, Place, get_gazetteer, us_state_abbreviations
from .resolve import Mention, resolve_places

COMPONENT: Final = "newsgraph_geo_v1"
#: Nouns a demonym before them makes a place of the state ("Turkish territory").
_PLACE_HEADS: Final = frozenset(
    {
        "territory",
        "soil",
        "border",
        "borders",
        "airspace",
        "waters",
        "coast",
        "coastline",
        "mainland",
        "side",
        "frontier",
        "countryside",
        "capital",
    }
)
_WORD: Final = re.compile(r"(?!The\b)[A-Z][\w.'’-]*")
_BROAD: Final = frozenset({"country", "admin1", "continent", "region", "territory"})
#: A town inside an organisation's name counts from this size ("Hong Kong", not "Bureau").
_EMBEDDED_CITY: Final = 100_000
#: Names spaCy tags as places that name no place: "the West" is no town in Texas.
_NOT_PLACES: Final = frozenset({"west", "east", "north", "south", "the west", "the east"})
#: How many main places the report lists.
MAIN_PLACES: Final = 5
_ID = re.compile(r"^e(\d+)$")


class GeoResolver:
    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = get_gazetteer()
        return self._gazetteer

    def __call__(self, doc: Doc) -> Doc:
        entities: list[Entity] = list(doc._.ng_entities or [])
        kb: KnowledgeBase = doc._.ng_kb or get_kb()
        text = docview.text(doc)
        places = _Places(doc, entities, kb)
        places.rearrange()
        places.add_written(self.gazetteer, text)
        places.add_embedded(self.gazetteer, text)
        places.retype(self.gazetteer, text)
        mentions = _mentions(entities, kb, text)
        if mentions:
            chosen = resolve_places(mentions, self.gazetteer, text, _demonym_votes(entities))
            for entity in entities:
                place = chosen.get(entity.id)
                if place is not None:
                    entity.geo = place.geo()
        doc._.ng_entities = entities
        doc._.ng_places = main_places(entities)
        return doc


def _demonym_votes(entities: list[Entity]) -> dict[str, float]:
    """The country each demonym names ("Syrian" -> SYR), one vote per mention."""
    votes: dict[str, float] = {}
    for e in entities:
        iso3 = e.attrs.get("country") if e.type == "NORP" else None
        if iso3:
            votes[str(iso3)] = votes.get(str(iso3), 0.0) + len(e.mentions)
    return votes


def _mentions(entities: list[Entity], kb: KnowledgeBase, text: str) -> list[Mention]:
    out = []
    for e in entities:
        if e.type not in ("COUNTRY", "LOCATION") or not e.mentions:
            continue
        if e.type == "LOCATION" and e.name.casefold() in _NOT_PLACES:
            continue
        seat_of = str(e.attrs.get("seat_of") or "") or None
        state = kb.state(seat_of) if seat_of else None
        out.append(
            Mention(
                entity_id=e.id,
                name=e.name,
                type=e.type,
                kb_id=e.kb_id,
                iso3=str(e.attrs.get("iso3") or "") or None,
                seat_of=seat_of,
                capital=str(state.attrs.get("capital") or "") or None if state else None,
                spans=[(m.start, m.end, m.text) for m in e.mentions],
                city=bool(e.attrs.get("dateline")),
                stands_for=bool(e.attrs.get("stands_for")),
                longer=_longer_names(text, e.mentions) if e.type == "LOCATION" else [],
            )
        )
    return out


class _Places:
    """Rearranges the entity layer for places: metonymic capitals and demonyms used as
    places move to the entity that is the place; places the tagger missed or mistyped
    become LOCATION entities."""

    def __init__(self, doc: Doc, entities: list[Entity], kb: KnowledgeBase) -> None:
        self.doc = doc
        self.entities = entities
        self.kb = kb
        numbers = [int(m.group(1)) for e in entities if (m := _ID.match(e.id))]
        self.next_id = max(numbers, default=0) + 1

    def _new(
        self,
        name: str,
        etype: str,
        kb_id: str | None,
        attrs: dict[str, Any],
        origin: str,
        *,
        before: Entity | None = None,
    ) -> Entity:
        entity = Entity(
            id=f"e{self.next_id}",
            name=name,
            type=etype,  # type: ignore[arg-type]
            kb_id=kb_id,
            mentions=[],
            origin=f"{COMPONENT}:{origin}",
            attrs=attrs,
        )
        self.next_id += 1
        if before is None:
            self.entities.append(entity)
        else:
            self.entities.insert(self.entities.index(before), entity)
        return entity

    def _covered(self, start: int, end: int) -> bool:
        return any(m.start < end and start < m.end for e in self.entities for m in e.mentions)

    def add_written(self, gazetteer: Gazetteer, text: str) -> None:
        """Places no tagger marked: the dateline ("MANSFIELD, La. --"), and the state
        written after a town ("Alexandria, La.", "Gainesville, Ga.")."""
        spans: list[tuple[int, int, bool]] = []  # (start, end, a dateline's town)
        if m := _DATELINE.search(text[:600]):
            spans.append((*m.span(1), True))
            if m.group(2):
                spans.append((*m.span(2), False))
        abbreviations = us_state_abbreviations()
        for e in self.entities:
            if e.type not in ("LOCATION", "COUNTRY", "ORGANIZATION", "PERSON"):
                continue
            for mention in e.mentions:
                q = _AFTER_COMMA.match(text, mention.end)
                if q and q.group(1).strip() in abbreviations:
                    spans.append((*q.span(1), False))
        for start, end, dateline in spans:
            while end > start and text[end - 1] in " ,":
                end -= 1
            words = text[start:end]
            if not words:
                continue
            if self._covered(start, end):
                for e in self.entities:  # the dateline the tagger found: a town
                    if (
                        dateline
                        and e.type == "LOCATION"
                        and any(m.start == start for m in e.mentions)
                    ):
                        e.attrs["dateline"] = True
                continue
            name = words if not words.isupper() or len(words) <= 3 else words.title()
            if not gazetteer.lookup(name) and words.strip() not in abbreviations:
                continue
            attrs: dict[str, Any] = {"dateline": True} if dateline else {}
            entity = self._new(
                name, "LOCATION", None, attrs, "dateline" if dateline else "written-place"
            )
            entity.mentions = [RSpan(start, end, words)]

    def add_embedded(self, gazetteer: Gazetteer, text: str) -> None:
        """Places named inside an organisation's name ("the Georgia Bureau of
        Investigation", "University of Hong Kong"): a country, a US state or region, a
        continent, or a city of 100,000 people or more, written capitalised."""
        found: dict[str, list[RSpan]] = {}
        for e in self.entities:
            if e.type not in ("ORGANIZATION", "MEDIA", "IGO"):
                continue
            for mention in e.mentions:
                words = [
                    (w.start() + mention.start, w.end() + mention.start)
                    for w in _WORD.finditer(mention.text)
                ]
                i = 0
                while i < len(words):
                    for n in (3, 2, 1):
                        if i + n > len(words) or (i == 0 and n == len(words)):
                            continue  # the whole name is the organisation's
                        start, end = words[i][0], words[i + n - 1][1]
                        name = text[start:end]
                        if not any(
                            p.primary and (p.feature in _BROAD or p.population >= _EMBEDDED_CITY)
                            for p in gazetteer.lookup(name)
                        ):
                            continue
                        found.setdefault(name, []).append(RSpan(start, end, name))
                        i += n - 1
                        break
                    i += 1
        for name, spans in found.items():
            spans = [m for m in spans if not self._covered_by_place(m.start, m.end)]
            if not spans:
                continue
            entity = self._new(name, "LOCATION", None, {"in_name": True}, "place-in-name")
            entity.mentions = sorted(spans, key=lambda m: m.start)

    def _covered_by_place(self, start: int, end: int) -> bool:
        return any(
            m.start < end and start < m.end
            for e in self.entities
            if e.type in ("LOCATION", "COUNTRY")
            for m in e.mentions
        )

    def retype(self, gazetteer: Gazetteer, text: str) -> None:
        """A place the tagger took for a person or an organisation ("Alexandria" as a
        PERSON): no KB entity, a name the gazetteer knows, and written as a place: after
        "in", "near", "from" ..., before a state ("Alexandria, La."), or the name of a
        country or US state."""
        for e in self.entities:
            if (
                e.type not in ("PERSON", "ORGANIZATION", "OTHER", "EVENT")
                or e.kb_id
                or not e.mentions
            ):
                continue
            if e.type == "PERSON" and len(e.name.split()) > 1 and not _place_word(e.name):
                continue
            if e.name.isupper() or e.name.islower():  # "FAO", "swan"
                continue
            candidates = gazetteer.lookup(e.name)
            if not candidates:
                continue
            broad = any(
                p.feature in ("country", "admin1", "continent") and p.primary for p in candidates
            )
            if (
                not (broad and e.type != "PERSON")
                and not any(_written_as_place(text, m.start, m.end) for m in e.mentions)
                and not (e.type == "PERSON" and _lone_town(e, candidates, text))
            ):
                continue
            e.origin = f"{e.origin}+{COMPONENT}:place-not-{e.type.lower()}"
            e.type = "LOCATION"

    def rearrange(self) -> None:
        self._split_metonyms()
        self._demonym_places()

    def _split_metonyms(self) -> None:
        """A capital standing for its state ("Ankara said") stays a mention of the state,
        which acts in every other layer, and is also a mention of a LOCATION entity of
        the capital (``attrs.stands_for`` names the state's entity), listed just before
        the state: the span is the state as actor and the capital as place."""
        for state_entity in list(self.entities):
            if state_entity.type != "COUNTRY" or not state_entity.kb_id:
                continue
            state = self.kb.by_kb_id(state_entity.kb_id)
            metonyms = set(state.attrs.get("metonyms") or ()) if state else set()
            if not metonyms or state is None:
                continue
            seats = [m for m in state_entity.mentions if " ".join(m.text.split()) in metonyms]
            # its own entity, apart from a place use of the name ("talks in Ankara"):
            # ``stands_for`` holds for these mentions only
            for name in sorted({" ".join(m.text.split()) for m in seats}):
                place = self._new(
                    name,
                    "LOCATION",
                    None,
                    {"seat_of": state.attrs.get("iso3"), "stands_for": state_entity.id},
                    "metonym-place",
                    before=state_entity,
                )
                place.mentions = [m for m in seats if " ".join(m.text.split()) == name]

    def _demonym_places(self) -> None:
        """A demonym right before a place noun ("Turkish territory", "Syrian soil") is
        also a mention of its state (placed there); the NORP entity keeps it."""
        doc = self.doc
        for norp in list(self.entities):
            iso3 = norp.attrs.get("country")
            if norp.type != "NORP" or not iso3:
                continue
            placed: list[RSpan] = []
            for m in norp.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None:
                    continue
                last = span[-1]
                head = last.head
                # adjacent only: "Albanian rebel-held territory" is not Albania
                if last.dep_ == "amod" and head.i == last.i + 1 and head.lower_ in _PLACE_HEADS:
                    placed.append(m)
            if not placed:
                continue
            state = self.kb.state(str(iso3))
            country = next(
                (e for e in self.entities if e.type == "COUNTRY" and e.attrs.get("iso3") == iso3),
                None,
            )
            if country is None:
                country = self._new(
                    state.name if state else str(iso3),
                    "COUNTRY",
                    state.kb_id if state else None,
                    {"iso3": iso3},
                    "demonym-place",
                )
            country.mentions = sorted([*country.mentions, *placed], key=lambda m: (m.start, m.end))


#: A dateline: an upper-case place at the start of a line or sentence, maybe its state,
#: then a dash ("MANSFIELD, La. --", "ATLANTA - ", "FALLS VILLAGE—").
_DATELINE: Final = re.compile(
    r"(?:^|\n|[.!?]\s+|\d{4}\s+)([A-Z][A-Z.'-]{2,}(?: [A-Z][A-Z.'-]+){0,3})"
    r"(?:,\s*([A-Z][A-Za-z.]+(?: ?[A-Z][A-Za-z.]+)?))?\s*(?:\([^)]{1,30}\)\s*)?(?:-{1,3}|—|–)"
)
_AFTER_COMMA: Final = re.compile(
    r",\s*([A-Z][A-Za-z]*\.(?: ?[A-Z][A-Za-z]*\.)?|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
)
#: Words before a name that make it a place.
_LOCATIVE: Final = frozenset(
    {
        "in",
        "at",
        "near",
        "from",
        "outside",
        "across",
        "around",
        "throughout",
        "into",
        "toward",
        "towards",
    }
)
_LAST_WORD = re.compile(r"([A-Za-z]+)\W*$")
_PLACE_WORDS: Final = frozenset(
    {
        "county",
        "parish",
        "city",
        "township",
        "village",
        "island",
        "islands",
        "valley",
        "lake",
        "river",
        "beach",
        "heights",
        "falls",
        "springs",
        "park",
    }
)


_BEFORE: Final = re.compile(r"((?:[A-Z][\w'’-]*\s+){1,2})$")
_AFTER: Final = re.compile(
    r"((?:\s+(?:[A-Z][\w'’-]*|de|do|da|del|des|du|el|es|al|la|le|of|on|upon)){1,3})"
)
_LINKS: Final = frozenset(
    {"de", "do", "da", "del", "des", "du", "el", "es", "al", "la", "le", "of", "on", "upon"}
)


def _longer_names(text: str, mentions: list[RSpan]) -> list[str]:
    """Names the text writes around the mentions, longer than the mention and ending
    in a capitalised word, longest first: "Goz Beida" around "Beida", "Rio Grande do
    Sul" around "Rio Grande"."""
    out: set[str] = set()
    for m in mentions:
        before = _BEFORE.search(text[max(0, m.start - 40) : m.start])
        after = _AFTER.match(text, m.end)
        lefts = [""]
        if before:
            words = before.group(1).split()
            lefts += [" ".join(words[-k:]) + " " for k in range(1, len(words) + 1)]
        rights = [""]
        if after:
            words = after.group(1).split()
            rights += [" " + " ".join(words[:k]) for k in range(1, len(words) + 1)]
        for left in lefts:
            for right in rights:
                if (left or right) and (not right or right.split()[-1] not in _LINKS):
                    out.add(f"{left}{m.text}{right}")
    return sorted(out, key=lambda n: (-len(n.split()), n))


#: Words before a name that make it a person's.
_PERSON_BEFORE: Final = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sen|Rep|Gov|Gen|Col|Sgt|Lt|Capt|Officer|Deputy|Judge|Mayor|"
    r"President|Coach|Sheriff|Chief|Professor|Prof|Rev|Father|Sister|Brother)\.?\s+$"
)
_SPEECH_AFTER: Final = re.compile(r"\s*(?:,\s*\d+,|said|says|told|added|asked|explained)\b")
LONE_TOWN: Final = 10_000


def _lone_town(e: Entity, candidates: list[Place], text: str) -> bool:
    """A one-word "person" that is a town of LONE_TOWN people or more, never written
    after a title ("Mayor Jackson") nor before a speech verb or an age ("Henry, 19,"):
    "Gainesville", tagged PERSON, in a story where it is never anybody."""
    if len(e.name.split()) != 1 or (len(e.mentions) > 1 and len({m.text for m in e.mentions}) > 1):
        return False
    if not any(p.primary and p.feature == "city" and p.population >= LONE_TOWN for p in candidates):
        return False
    for m in e.mentions:
        if _PERSON_BEFORE.search(text[max(0, m.start - 30) : m.start]):
            return False
        if _SPEECH_AFTER.match(text, m.end):
            return False
    return True


def _place_word(name: str) -> bool:
    return name.split()[-1].lower() in _PLACE_WORDS


def _written_as_place(text: str, start: int, end: int) -> bool:
    before = _LAST_WORD.search(text[max(0, start - 20) : start])
    if before and before.group(1).lower() in _LOCATIVE:
        return True
    after = _AFTER_COMMA.match(text, end)
    return bool(after and after.group(1).strip() in us_state_abbreviations())


def main_places(entities: list[Entity]) -> list[dict[str, Any]]:
    """The places the article is most about: the placed entities by how often they are
    named (a first mention in the first sentences counts double)."""
    ranked = []
    for e in entities:
        if e.geo is None or not e.mentions:
            continue
        weight = len(e.mentions) + (1 if e.mentions[0].start < 300 else 0)
        ranked.append((weight, -e.mentions[0].start, e))
    ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return [
        {"entity": e.id, "name": e.name, "mentions": len(e.mentions), "geo": e.geo}
        for _w, _s, e in ranked[:MAIN_PLACES]
    ]


@Language.factory(COMPONENT, requires=["token.dep"])
def make_geo(nlp: Language, name: str) -> GeoResolver:
    return GeoResolver()


__all__ = ["COMPONENT", "GeoResolver", "main_places"]
