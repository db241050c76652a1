"""A small store of hand-built reports with coded events, for the event-export tests
(tests/store/test_events_export.py, tests/test_export_events.py): no model needed.

Three articles: a wire story (``WIRE``), a copy of it carried by another outlet (placed by
the corpus layer as its duplicate) and an undated article of its own. The wire's events
cover every kind of date (a month, a day of the clause, a year, the publication day, a
stored row from before ``date_source``, an ISO week, a quarter, a time of day), a place,
an IGO and a person acting for one, an actor known only by its knowledge-base attributes,
a quote, a negation and a hypothetical.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.corpus import update_corpus
from newsgraph.report import Article, Entity, Event, Report, Span
from newsgraph.store import Store

SENTENCES = [
    "The United States suspended Turkey from the F-35 programme in July 2019.",
    'Turkish officials said: "Ankara will return the S-400 systems to Russia."',
    "NATO struck rebel positions near Palmyra in 2024.",
    "Hakan Fidan met Mark Rutte in Brussels.",
    "Rosoboronexport delivered spare parts during the seventeenth week of 2024.",
    "Russia agreed to a new pipeline deal with Turkey in the second quarter of 2024.",
    "Turkey did not attack Russian ships at nine in the morning on 3 May 2024.",
    "Moscow threatened sanctions against Ankara.",
    "Ankara plans to hand back the systems, the ministry said.",
]

WORDS = [
    "harbour",
    "council",
    "budget",
    "river",
    "bridge",
    "tunnel",
    "ferry",
    "tariff",
    "grain",
    "wheat",
    "barley",
    "vessel",
    "convoy",
    "reactor",
    "turbine",
    "vaccine",
    "clinic",
    "drought",
    "flood",
    "levee",
    "election",
    "ballot",
    "recount",
    "quorum",
    "senate",
    "motion",
    "veto",
    "verdict",
    "appeal",
    "strike",
    "union",
    "wage",
    "factory",
    "copper",
    "nickel",
]


def filler(seed: int, sentences: int = 12) -> str:
    """Prose of its own (seeded), so the corpus layer has shingles to compare."""
    rng = random.Random(seed)
    out = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 18))]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


WIRE_TEXT = " ".join(SENTENCES) + "\n\n" + filler(1) + "\n\n" + filler(2)
COPY_TEXT = "By Staff Writer\n\n" + WIRE_TEXT + "\n\nAll rights reserved."
OTHER_TEXT = "Greece protested against Turkey. " + filler(7) + "\n\n" + filler(8)


def span(text: str, phrase: str, after: int = 0) -> Span:
    start = text.index(phrase, after)
    return Span(start, start + len(phrase), phrase)


def sentence(text: str, k: int) -> Span:
    return span(text, SENTENCES[k])


@dataclass
class Ent:
    eid: str
    name: str
    type: str
    kb_id: str | None
    attrs: dict[str, Any] = field(default_factory=dict)


WIRE_ENTITIES = [
    Ent("e1", "United States", "COUNTRY", "Q30", {"iso3": "USA"}),
    Ent("e2", "Turkey", "COUNTRY", "Q43", {"iso3": "TUR"}),
    Ent("e3", "Russia", "COUNTRY", "Q159", {"iso3": "RUS"}),
    Ent("e4", "NATO", "IGO", "Q7184", {"code": "NATO"}),
    Ent("e5", "Palmyra", "LOCATION", "Q5747", {"country": "SYR"}),
    Ent("e6", "Hakan Fidan", "PERSON", "Q3135306"),
    Ent("e7", "Mark Rutte", "PERSON", "Q57792"),
    Ent(
        "e8", "Rosoboronexport", "ORGANIZATION", "ngkb:company:rosoboronexport", {"country": "RUS"}
    ),
    Ent("e9", "Brussels", "LOCATION", "Q239", {"country": "BEL"}),
    Ent("e10", "Turkish officials", "NORP", "Q43", {"country": "TUR", "country_kb_id": "Q43"}),
]


def entities(text: str, ents: list[Ent]) -> list[Entity]:
    out = []
    for e in ents:
        spans, at = [], text.find(e.name)
        while at >= 0:
            spans.append(Span(at, at + len(e.name), e.name))
            at = text.find(e.name, at + 1)
        out.append(Entity(e.eid, e.name, e.type, e.kb_id, spans, origin="test", attrs=e.attrs))  # type: ignore[arg-type]
    return out


def wire_events(text: str) -> list[Event]:
    """The wire's events, their spans found in ``text`` (the wire or its copy)."""

    def ev(eid: str, k: int, trigger: str, lemma: str = "", **kw: Any) -> Event:
        s = sentence(text, k)
        defaults: dict[str, Any] = {
            "mode": None,
            "source": None,
            "target": None,
            "date": None,
            "negated": False,
            "hypothetical": False,
        }
        defaults.update(kw)
        obj = defaults.pop("object", None)
        mentions = defaults.pop("mentions", [])
        for side in ("source_phrase", "target_phrase"):
            if side in defaults:
                defaults[side] = span(text, defaults[side], s.start)
        return Event(
            id=eid,
            type=defaults.pop("type"),
            trigger=span(text, trigger, s.start),
            sentence=s,
            origin=f"lexicon:{lemma or trigger}/VERB",
            object=span(text, obj, s.start) if obj else None,
            mentions=[span(text, m) for m in mentions],
            **defaults,
        )

    return [
        ev(
            "v1",
            0,
            "suspended",
            "suspend",
            type="SANCTION",
            mode="suspend",
            source="e1",
            target="e2",
            source_code="USA",
            target_code="TUR",
            date="2019-07",
            date_source="event",
            object="the F-35 programme",
        ),
        ev(
            "v2",
            1,
            "return",
            type="RETREAT",
            mode="return",
            source="e10",
            target="e3",
            source_code="TURGOV",
            source_phrase="Turkish officials",
            target_code="RUS",
            date="2025-12-15",
            date_source="clause",
            hypothetical=True,
            quote="q1",
            object="the S-400 systems",
            mentions=["hand back"],
        ),
        ev(
            "v3",
            2,
            "struck",
            type="ASSAULT",
            source="e4",
            source_code="NATO",
            # a described group, no entity: its words and a sector code
            target_code="REB",
            target_phrase="rebel positions",
            date="2024",
            date_source="event",
            location="e5",
        ),
        ev(
            "v4",
            3,
            "met",
            type="CONSULT",
            mode="third-party",
            source="e6",
            target="e7",
            source_code="TURGOV",
            target_code="NATO",
            date="2025-12-16",
            date_source="published",
            location="e9",
        ),
        # stored before date_source existed: no date, no code (the attrs give the country)
        ev("v5", 4, "delivered", type="AID", source="e8"),
        ev("v6", 4, "delivered", type="COOPERATE", source="e8", date="2024-W17"),
        ev(
            "v7",
            5,
            "agreed",
            type="AGREE",
            source="e3",
            target="e2",
            source_code="RUS",
            target_code="TUR",
            date="2024-Q2",
            date_source="event",
        ),
        ev(
            "v8",
            6,
            "attack",
            type="ASSAULT",
            source="e2",
            source_code="TURMIL",
            date="2024-05-03TMO",
            date_source="event",
            negated=True,
        ),
    ]


def wire_report(text: str, *, outlet: str, published: str, url: str) -> Report:
    return Report(
        article=Article(
            text=text,
            title="Turkey and the S-400",
            url=url,
            outlet=outlet,
            published=published,
        ),
        entities=entities(text, WIRE_ENTITIES),
        events=wire_events(text),
    )


def other_report() -> Report:
    text = OTHER_TEXT
    ents = [
        Ent("e1", "Greece", "COUNTRY", "Q41", {"iso3": "GRC"}),
        Ent("e2", "Turkey", "COUNTRY", "Q43", {"iso3": "TUR"}),
    ]
    s = span(text, "Greece protested against Turkey.")
    event = Event(
        id="v1",
        type="PROTEST",
        mode=None,
        source="e1",
        target="e2",
        trigger=span(text, "protested"),
        date=None,
        negated=False,
        hypothetical=False,
        sentence=s,
        origin="lexicon:protest/VERB",
        source_code="GRC",
        target_code="TUR",
    )
    return Report(
        article=Article(text=text, title=None, url=None, outlet="Athens Daily", published=None),
        entities=entities(text, ents),
        events=[event],
    )


@dataclass(frozen=True)
class Built:
    db: Path
    wire: str  # article ids
    copy: str
    other: str


def build_store(db: Path) -> Built:
    """The three articles stored (wire, copy, other) and placed by the corpus layer."""
    wire = wire_report(
        WIRE_TEXT, outlet="Wire", published="2025-12-16", url="https://wire.example/s400"
    )
    copy = wire_report(
        COPY_TEXT, outlet="Daily", published="2025-12-17", url="https://daily.example/s400"
    )
    other = other_report()
    with Store.open(db) as store:
        store.add_many((r, None, None) for r in (wire, copy, other))
        update_corpus(store)
    return Built(db, wire.article.id, copy.article.id, other.article.id)


# -- located events (schema 7: places with a point) ----------------------------------------

LOCATED_TEXT = (
    "Government forces clashed with rebels near Palmyra on Monday. "
    "The ministers met in Brussels on Tuesday. "
    "Protesters marched against the plan."
)
#: The places' gazetteer entries, as the geo component writes them (``Entity.geo``).
PALMYRA_GEO = {
    "lat": 34.5503,
    "lon": 38.2691,
    "geonames_id": 170987,
    "country": "SYR",
    "feature": "city",
}
BRUSSELS_GEO = {
    "lat": 50.8505,
    "lon": 4.3488,
    "geonames_id": 2800866,
    "country": "BEL",
    "feature": "city",
}


def located_report(published: str = "2025-03-04") -> Report:
    """An article whose events happen at Palmyra (``v1``), in Brussels (``v2``) and at no
    place it names (``v3``); Palmyra and Brussels carry their ``geo``, the ``Rebels``
    entity none. Palmyra's knowledge-base attributes give no country (the gazetteer's
    is used); Brussels' do."""
    text = LOCATED_TEXT
    ents = [
        Entity(
            "e1",
            "Palmyra",
            "LOCATION",
            "Q5747",
            [span(text, "Palmyra")],
            origin="test",
            geo=dict(PALMYRA_GEO),
        ),
        Entity(
            "e2",
            "Brussels",
            "LOCATION",
            "Q239",
            [span(text, "Brussels")],
            origin="test",
            attrs={"country": "BEL"},
            geo=dict(BRUSSELS_GEO),
        ),
        Entity("e3", "rebels", "ORGANIZATION", None, [span(text, "rebels")], origin="test"),
    ]

    def ev(eid: str, kind: str, trigger: str, sent: str, **kw: Any) -> Event:
        return Event(
            id=eid,
            type=kind,  # type: ignore[arg-type]
            mode=None,
            source=None,
            target=kw.pop("target", None),
            trigger=span(text, trigger),
            date=None,
            negated=False,
            hypothetical=False,
            sentence=span(text, sent),
            origin="test:event",
            **kw,
        )

    events = [
        ev(
            "v1",
            "ASSAULT",
            "clashed",
            "Government forces clashed with rebels near Palmyra on Monday.",
            source_code="SYRGOV",
            target="e3",
            location="e1",
        ),
        ev(
            "v2",
            "CONSULT",
            "met",
            "The ministers met in Brussels on Tuesday.",
            source_code="GOV",
            location="e2",
        ),
        ev("v3", "PROTEST", "marched", "Protesters marched against the plan.", source_code="CVL"),
    ]
    return Report(
        article=Article(text=text, title="Clashes and talks", outlet="Wire", published=published),
        entities=ents,
        events=events,
    )
