"""The report: the output contract of ``../shared/spec/report.md`` as dataclasses.

``Report.to_dict()`` produces exactly the contract's fields (plus a few documented
extras such as ``origin``), and ``Report.from_dict()`` reads it back, so a report
survives a JSON round trip unchanged.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeVar, cast

SCHEMA_VERSION: Final = "newsgraph.report/1"

EntityType = Literal[
    "PERSON",
    "COUNTRY",
    "LOCATION",
    "ORGANIZATION",
    "IGO",
    "MEDIA",
    "MILITARY_SYSTEM",
    "PROGRAM",
    "NORP",
    "EVENT",
    "OTHER",
]
ENTITY_TYPES: Final[tuple[str, ...]] = EntityType.__args__  # type: ignore[attr-defined]
QuoteKind = Literal["direct", "indirect", "mixed"]
SourceKind = Literal[
    "named_person",
    "named_organization",
    "media_outlet",
    "document",
    "anonymous_person",
    "anonymous_group",
    "unattributed",
]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
EventType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
ClaimKind = Literal["numeric", "causal", "prediction", "evaluative", "factual"]
Severity = Literal["info", "warning", "error"]
PublishedSource = Literal["given", "metadata", "estimated"]


def text_id(text: str) -> str:
    """The article id: sha256 of its text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Line ends to Python's str.splitlines() and older JavaScript, which JSON allows raw.
_LINE_BREAK_ESCAPES: Final = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_text(value: Any, *, indent: int | None = None) -> str:
    """``value`` as JSON, non-ASCII kept, U+0085/U+2028/U+2029 escaped (one line)."""
    return json.dumps(value, ensure_ascii=False, indent=indent).translate(_LINE_BREAK_ESCAPES)


def encodable(value: str) -> str:
    """``value`` with what UTF-8 cannot encode made encodable: a surrogate pair (as a JSON
    ``\\ud83d\\ude00`` escape leaves it) joined into its character, a lone surrogate
    replaced by U+FFFD. Strings that encode already are returned as they are."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


@dataclass(frozen=True)
class Span:
    """A piece of the article text: ``article.text[start:end] == text``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, source: str, start: int, end: int) -> Span:
        return cls(start, end, source[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Span:
        return cls(int(d["start"]), int(d["end"]), str(d["text"]))


def _span_or_none(d: dict[str, Any] | None) -> Span | None:
    return None if d is None else Span.from_dict(d)


@dataclass
class Article:
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_source: PublishedSource | None = None
    id: str = ""

    def __post_init__(self) -> None:
        self.clean()

    def clean(self) -> None:
        """Make every field encodable as UTF-8 (see :func:`encodable`); a text that
        changes gets the id of its new text."""
        text = encodable(self.text)
        if text != self.text or not self.id:
            self.text, self.id = text, text_id(text)
        for name in ("title", "url", "outlet"):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, encodable(value))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published,
            "published_source": self.published_source,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        return cls(
            text=d["text"],
            title=d.get("title"),
            url=d.get("url"),
            outlet=d.get("outlet"),
            published=d.get("published"),
            published_source=d.get("published_source"),
            id=d.get("id") or "",
        )


@dataclass
class TitledName:
    """An office title written right before a person's name ("U.S. President Donald
    Trump"), with what dates the clause it stands in. The office-anachronism check judges
    these against the knowledge base; kept in the report, they let a stored report be
    checked again after the knowledge base changes (``newsgraph recheck``)."""

    #: The title and the name, as written ("U.S. President Donald Trump").
    span: Span
    #: The office kind the title names (``head_of_state``, ``foreign_minister`` ...).
    office: str
    #: ISO3 or IGO code of the country written before the title ("U.S." -> ``USA``).
    country: str | None = None
    #: An ambassador's host country ("Ambassador to Turkey" -> ``TUR``).
    host: str | None = None
    #: The date the clause is placed on ("in September 2024"), and its TIMEX3 value.
    date: Span | None = None
    date_value: str | None = None
    #: Else the present-tense verb the name is the subject of ("President X says").
    present: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": self.span.to_dict(),
            "office": self.office,
            "country": self.country,
            "host": self.host,
            "date": self.date.to_dict() if self.date else None,
            "date_value": self.date_value,
            "present": self.present.to_dict() if self.present else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TitledName:
        return cls(
            span=Span.from_dict(d["span"]),
            office=str(d["office"]),
            country=d.get("country"),
            host=d.get("host"),
            date=_span_or_none(d.get("date")),
            date_value=d.get("date_value"),
            present=_span_or_none(d.get("present")),
        )


@dataclass
class TookOffice:
    """Words in which the article says when a person's term began ("sworn in on January
    20, 2025"): a dated verb of taking office whose subject is the person."""

    #: From the verb to its date, or the other way round.
    span: Span
    #: The verb's lemma (``swear``, ``inaugurate``, ``elect`` ...).
    verb: str
    #: The TIMEX3 value of the date.
    value: str

    def to_dict(self) -> dict[str, Any]:
        return {"span": self.span.to_dict(), "verb": self.verb, "value": self.value}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TookOffice:
        return cls(Span.from_dict(d["span"]), str(d["verb"]), str(d["value"]))


@dataclass
class Entity:
    id: str
    name: str
    type: EntityType
    kb_id: str | None
    mentions: list[Span]
    #: The component and rule that made this entity (e.g. ``spacy-ner:GPE``).
    origin: str = ""
    #: Descriptions that refer to the entity without naming it ("the Turkish president").
    references: list[Span] = field(default_factory=list)
    #: What the knowledge base adds (ISO codes, category, the country of a demonym ...).
    attrs: dict[str, Any] = field(default_factory=dict)
    #: For a person the knowledge base knows: the office titles written before their name.
    titles: list[TitledName] = field(default_factory=list)
    #: Where the article says when the person took office (with ``titles`` only).
    took_office: list[TookOffice] = field(default_factory=list)
    #: For a place: its point and gazetteer entry, ``{lat, lon, geonames_id, country
    #: (ISO3), feature}`` (feature: continent, country, admin1, region, territory, sea,
    #: city, facility); None when it is no place or the gazetteer does not know it.
    geo: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "kb_id": self.kb_id,
            "mentions": [m.to_dict() for m in self.mentions],
            "references": [m.to_dict() for m in self.references],
            "attrs": self.attrs,
            "origin": self.origin,
        }
        if self.titles:  # only where there are some: most entities have none
            out["titles"] = [t.to_dict() for t in self.titles]
        if self.took_office:
            out["took_office"] = [t.to_dict() for t in self.took_office]
        if self.geo is not None:
            out["geo"] = dict(self.geo)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        return cls(
            id=d["id"],
            name=d["name"],
            type=d["type"],
            kb_id=d.get("kb_id"),
            mentions=[Span.from_dict(m) for m in d.get("mentions", [])],
            origin=d.get("origin", ""),
            references=[Span.from_dict(m) for m in d.get("references", [])],
            attrs=dict(d.get("attrs") or {}),
            titles=[TitledName.from_dict(t) for t in d.get("titles") or []],
            took_office=[TookOffice.from_dict(t) for t in d.get("took_office") or []],
            geo=dict(d["geo"]) if isinstance(d.get("geo"), dict) else None,
        )


@dataclass
class Quote:
    id: str
    kind: QuoteKind
    content: Span
    cue: Span | None
    speaker: Span | None
    speaker_entity: str | None
    source_kind: SourceKind
    origin: str = ""
    #: How the source is described: role, affiliation (entity id), former, senior, the
    #: stance of the cue, whom a relaying outlet cites, the quote a floating quote continues.
    source: dict[str, Any] = field(default_factory=dict)
    #: when the statement was made (a TIMEX3 value), where a time expression of its
    #: reporting verb says ("said on Monday"); a date inside the quote dates what it tells
    #: of, on the timeline (an entry whose ``quote`` is this quote's id), not the quote
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "speaker_entity": self.speaker_entity,
            "source_kind": self.source_kind,
            "source": self.source,
            "date": self.date,
            "origin": self.origin,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quote:
        return cls(
            id=d["id"],
            kind=d["kind"],
            content=Span.from_dict(d["content"]),
            cue=_span_or_none(d.get("cue")),
            speaker=_span_or_none(d.get("speaker")),
            speaker_entity=d.get("speaker_entity"),
            source_kind=d["source_kind"],
            origin=d.get("origin", ""),
            source=dict(d.get("source") or {}),
            date=d.get("date"),
        )


@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: TimexType
    value: str
    origin: str = ""
    #: TIMEX3 mod: APPROX, START, MID, END, LESS_THAN, MORE_THAN, EQUAL_OR_LESS ...
    mod: str | None = None
    #: the upper end of a range ("four to six months": value P4M, upper P6M)
    upper: str | None = None
    #: what a relative value counts from: "published", "reference" (a date the text
    #: mentioned before) or None (absolute, or not anchored)
    anchor: str | None = None
    #: for an anchored duration, the date it lands on ("two days later" -> 2025-03-07)
    refers_to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "value": self.value,
            "mod": self.mod,
            "upper": self.upper,
            "anchor": self.anchor,
            "refers_to": self.refers_to,
            "origin": self.origin,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Timex:
        return cls(
            start=int(d["start"]),
            end=int(d["end"]),
            text=d["text"],
            type=d["type"],
            value=d["value"],
            origin=d.get("origin", ""),
            mod=d.get("mod"),
            upper=d.get("upper"),
            anchor=d.get("anchor"),
            refers_to=d.get("refers_to"),
        )


@dataclass
class Event:
    id: str
    type: EventType
    mode: str | None
    source: str | None
    target: str | None
    trigger: Span
    date: str | None
    negated: bool
    hypothetical: bool
    sentence: Span
    origin: str = ""
    #: PLOVER-style actor codes: ISO3 country plus sector ("TURGOV", "USAMIL", "RUS"),
    #: an IGO's own code ("NATO"), or None when the actor is not known
    source_code: str | None = None
    target_code: str | None = None
    #: what is acted on ("the S-400 systems" in "return the S-400 systems to Russia")
    object: Span | None = None
    #: the quote the event is reported in (its id), or None for the writer's own statement
    quote: str | None = None
    #: where ``date`` comes from: "event" (a time expression of the event itself), "clause"
    #: (one of the clause or sentence it is told in), "published" (the article's
    #: publication day, when the text gives none); None when there is no date
    date_source: str | None = None
    #: the place it happened (an entity id), when the text says
    location: str | None = None
    #: the other words stating this same event in the article ("acquired" for "purchased")
    mentions: list[Span] = field(default_factory=list)
    #: the words of the event's clause that name each actor ("Israeli riot police", "the
    #: two leaders", "Erdogan"), or None when the actor is read from elsewhere (the
    #: maker of a system bought, the state named the sentence before). A described group
    #: ("protesters", "the ministry") is no entity: ``source`` is None, its phrase and
    #: ``source_code`` say who acted
    source_phrase: Span | None = None
    target_phrase: Span | None = None

    def actor_name(self, side: str, names: dict[str, str]) -> str | None:
        """How to show the actor on ``side`` ("source" or "target"): its entity's name
        (``names`` by entity id), else the words describing a group ("riot police"),
        else None."""
        ident: str | None = getattr(self, side)
        if ident is not None:
            return names.get(ident, ident)
        phrase: Span | None = getattr(self, f"{side}_phrase")
        return phrase.text if phrase is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "source": self.source,
            "target": self.target,
            "source_code": self.source_code,
            "target_code": self.target_code,
            "trigger": self.trigger.to_dict(),
            "object": self.object.to_dict() if self.object else None,
            "date": self.date,
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "quote": self.quote,
            "sentence": self.sentence.to_dict(),
            "origin": self.origin,
            "date_source": self.date_source,
            "location": self.location,
            "mentions": [m.to_dict() for m in self.mentions],
            "source_phrase": self.source_phrase.to_dict() if self.source_phrase else None,
            "target_phrase": self.target_phrase.to_dict() if self.target_phrase else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            id=d["id"],
            type=d["type"],
            mode=d.get("mode"),
            source=d.get("source"),
            target=d.get("target"),
            trigger=Span.from_dict(d["trigger"]),
            date=d.get("date"),
            negated=bool(d["negated"]),
            hypothetical=bool(d["hypothetical"]),
            sentence=Span.from_dict(d["sentence"]),
            origin=d.get("origin", ""),
            source_code=d.get("source_code"),
            target_code=d.get("target_code"),
            object=_span_or_none(d.get("object")),
            quote=d.get("quote"),
            date_source=d.get("date_source"),
            location=d.get("location"),
            mentions=[Span.from_dict(m) for m in d.get("mentions") or []],
            source_phrase=_span_or_none(d.get("source_phrase")),
            target_phrase=_span_or_none(d.get("target_phrase")),
        )


@dataclass
class Claim:
    id: str
    start: int
    end: int
    text: str
    checkworthiness: float
    kind: ClaimKind
    quote: str | None
    origin: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "checkworthiness": self.checkworthiness,
            "kind": self.kind,
            "quote": self.quote,
            "origin": self.origin,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Claim:
        return cls(
            id=d["id"],
            start=int(d["start"]),
            end=int(d["end"]),
            text=d["text"],
            checkworthiness=float(d["checkworthiness"]),
            kind=d["kind"],
            quote=d.get("quote"),
            origin=d.get("origin", ""),
        )


@dataclass
class Flag:
    code: str
    severity: Severity
    message: str
    evidence: list[Span]
    origin: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "evidence": [s.to_dict() for s in self.evidence],
            "origin": self.origin,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Flag:
        return cls(
            code=d["code"],
            severity=d["severity"],
            message=d["message"],
            evidence=[Span.from_dict(s) for s in d.get("evidence", [])],
            origin=d.get("origin", ""),
        )


@dataclass
class TimelineEntry:
    """A dated statement: what the article says happened (or will), and when.

    ``start``/``end`` bound the calendar days it is placed in (``end`` is None when
    open); ``relation`` says how: on (within the period), about (approximately),
    after or before (relative to the period of the statement it follows from), by
    (expected before a date in the range), during (a stretch: "from 2010 to 2015")."""

    start: str
    end: str | None
    relation: Literal["on", "about", "after", "before", "by", "during"]
    value: str
    label: str
    sentence: Span
    timex: Span | None
    quote: str | None = None
    #: other expressions placed on the same statement (an approximate restatement)
    also: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "relation": self.relation,
            "value": self.value,
            "label": self.label,
            "sentence": self.sentence.to_dict(),
            "timex": self.timex.to_dict() if self.timex else None,
            "quote": self.quote,
            "also": [s.to_dict() for s in self.also],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TimelineEntry:
        return cls(
            start=d["start"],
            end=d.get("end"),
            relation=d["relation"],
            value=d["value"],
            label=d["label"],
            sentence=Span.from_dict(d["sentence"]),
            timex=_span_or_none(d.get("timex")),
            quote=d.get("quote"),
            also=[Span.from_dict(x) for x in d.get("also") or []],
        )


T = TypeVar("T")


@dataclass
class Report:
    """One article's analysis. ``to_json()`` is the contract; ``from_json()`` reads it."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    #: What produced the report: package version, spaCy pipeline and components.
    generator: dict[str, Any] = field(default_factory=dict)
    #: Who the article rests on: quotes by source kind, share of words from unnamed sources.
    sourcing: dict[str, Any] = field(default_factory=dict)
    #: The article's dated statements in time order.
    timeline: list[TimelineEntry] = field(default_factory=list)
    #: The places the article is most about: ``{entity, name, mentions, geo}``, most named first.
    places: list[dict[str, Any]] = field(default_factory=list)
    schema: str = SCHEMA_VERSION

    LAYERS: Final = ("entities", "quotes", "timexes", "events", "claims", "flags")  # type: ignore[misc]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "article": self.article.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "timexes": [t.to_dict() for t in self.timexes],
            "events": [e.to_dict() for e in self.events],
            "claims": [c.to_dict() for c in self.claims],
            "flags": [f.to_dict() for f in self.flags],
            "sourcing": self.sourcing,
            "timeline": [t.to_dict() for t in self.timeline],
            "places": self.places,
            "generator": self.generator,
        }

    def acting(self, entity: Entity) -> Entity:
        """The entity a place's name stands for when it names a state's seat ("Ankara
        said": Turkey acts, Ankara is the place; ``attrs.stands_for``), else ``entity``."""
        target = entity.attrs.get("stands_for")
        if target:
            for e in self.entities:
                if e.id == target:
                    return e
        return entity

    def to_json(self, *, indent: int | None = None) -> str:
        """The report as JSON text (UTF-8 safe). Characters that some readers take for a
        line end (U+0085, U+2028, U+2029) are written as escapes, so a report is always
        one line of a JSON Lines file."""
        return json_text(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        if d.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"not a {SCHEMA_VERSION} report: schema is {d.get('schema')!r}")
        return cls(
            article=Article.from_dict(d["article"]),
            entities=[Entity.from_dict(x) for x in d.get("entities", [])],
            quotes=[Quote.from_dict(x) for x in d.get("quotes", [])],
            timexes=[Timex.from_dict(x) for x in d.get("timexes", [])],
            events=[Event.from_dict(x) for x in d.get("events", [])],
            claims=[Claim.from_dict(x) for x in d.get("claims", [])],
            flags=[Flag.from_dict(x) for x in d.get("flags", [])],
            generator=dict(d.get("generator") or {}),
            sourcing=dict(d.get("sourcing") or {}),
            timeline=[TimelineEntry.from_dict(x) for x in d.get("timeline") or []],
            places=[dict(x) for x in d.get("places") or []],
            schema=d["schema"],
        )

    @classmethod
    def from_json(cls, s: str | bytes) -> Report:
        return cls.from_dict(cast(dict[str, Any], json.loads(s)))

    def spans(self) -> list[tuple[str, Span]]:
        """Every span in the report with a path saying where it sits."""
        out: list[tuple[str, Span]] = []
        for e in self.entities:
            out += [(f"entities[{e.id}].mentions", m) for m in e.mentions]
            out += [(f"entities[{e.id}].references", m) for m in e.references]
            for i, titled in enumerate(e.titles):
                parts = {"span": titled.span, "date": titled.date, "present": titled.present}
                for key, part in parts.items():
                    if part is not None:
                        out.append((f"entities[{e.id}].titles[{i}].{key}", part))
            for i, took in enumerate(e.took_office):
                out.append((f"entities[{e.id}].took_office[{i}]", took.span))
        for q in self.quotes:
            out.append((f"quotes[{q.id}].content", q.content))
            if q.cue:
                out.append((f"quotes[{q.id}].cue", q.cue))
            if q.speaker:
                out.append((f"quotes[{q.id}].speaker", q.speaker))
        for i, t in enumerate(self.timexes):
            out.append((f"timexes[{i}]", Span(t.start, t.end, t.text)))
        for i, entry in enumerate(self.timeline):
            out.append((f"timeline[{i}].sentence", entry.sentence))
            if entry.timex:
                out.append((f"timeline[{i}].timex", entry.timex))
            out += [(f"timeline[{i}].also", x) for x in entry.also]
        for ev in self.events:
            out.append((f"events[{ev.id}].trigger", ev.trigger))
            if ev.object:
                out.append((f"events[{ev.id}].object", ev.object))
            out.append((f"events[{ev.id}].sentence", ev.sentence))
        for c in self.claims:
            out.append((f"claims[{c.id}]", Span(c.start, c.end, c.text)))
        for i, f in enumerate(self.flags):
            out += [(f"flags[{i}].evidence", s) for s in f.evidence]
        return out

    def span_problems(self) -> list[str]:
        """Spans that do not index ``article.text`` exactly (empty when all is well)."""
        text = self.article.text
        bad = []
        for path, s in self.spans():
            if not (0 <= s.start <= s.end <= len(text)) or text[s.start : s.end] != s.text:
                bad.append(f"{path}: [{s.start}:{s.end}] {s.text!r}")
        return bad
