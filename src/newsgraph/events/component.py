"""``newsgraph_events_v1``: who did what to whom, PLOVER-coded, from the dependency parse.

1. Triggers: a verb or event noun whose lemma is in ``events/data/event_lexicon.tsv``;
   a row may require an object ("impose sanctions"), a preposition ("call for") or a
   particle ("pull out"). A noun already counted as a verb's object is not coded again.
2. Actors: the source is the subject, the agent of a passive ("... by the U.S."), the
   controller of an infinitive ("prompting the U.S. to suspend"), a relative clause's
   noun, or a noun event's possessor or modifier ("Israeli attack"); the target and
   the object acted on come from the places the row names (``dobj``, ``prep:to``,
   ``obj-prep:on`` ...). Each actor is the entity mentioned in its phrase.
3. Codes: ISO3 from the entity (a state, a demonym, an IGO's own code, a person's
   office on the event's date from the knowledge base) plus a sector from the head
   noun ("Turkish officials" -> TURGOV, "Israeli police" -> ISRCOP).
4. Date from the time layer (the expression the same verb governs, else one in the
   sentence); ``hypothetical`` for modals, the future, conditions and intentions
   ("is seeking to return"); ``negated``; ``quote`` when it sits in a quotation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..kb import get_kb
from ..report import Entity, Event, Quote, Timex
from ..report import Span as RSpan
from ..text import docview
from ..text.spanindex import SpanIndex
from ..text.tense import governing_verb
from ..timevalues import parse_value
from .lexicon import Sense, sectors, senses

COMPONENT = "newsgraph_events_v1"

MODALS: Final = frozenset(
    {"could", "would", "may", "might", "should", "can", "must", "ca", "will", "'ll", "shall"}
)
#: verbs whose infinitive is intended, not done ("seeking to return", "plans to deploy")
INTENT: Final = frozenset(
    {
        "seek",
        "plan",
        "hope",
        "want",
        "aim",
        "intend",
        "consider",
        "propose",
        "expect",
        "offer",
        "try",
        "attempt",
        "prepare",
        "promise",
        "pledge",
        "vow",
        "wish",
        "need",
        "decide",
        "agree",
        "threaten",
        "urge",
        "ask",
        "call",
        "demand",
    }
)
HEDGES: Final = frozenset({"potential", "possible", "proposed", "planned", "expected", "likely"})
CONDITIONS: Final = frozenset({"if", "unless", "whether"})
SUBJECTS: Final = ("nsubj", "csubj", "expl")
RELATIVES: Final = frozenset({"which", "who", "that", "whom", "whose"})
PRONOUNS: Final = frozenset(
    {"he", "she", "it", "they", "his", "her", "its", "their", "him", "them"}
)
PERSON_PRONOUNS: Final = frozenset({"he", "she", "his", "her", "him"})
#: first-person words inside a quotation stand for its speaker
FIRST_PERSON: Final = frozenset({"i", "we", "me", "us", "my", "our"})
#: entity types that can act; systems, programs and events are acted on
ACTOR_TYPES: Final = frozenset(
    {"COUNTRY", "NORP", "PERSON", "ORGANIZATION", "IGO", "MEDIA", "LOCATION"}
)
#: verbs whose subject undergoes the noun event ("faced criticism", "came under attack")
UNDERGO: Final = frozenset(
    {"face", "receive", "suffer", "draw", "attract", "endure", "undergo", "come"}
)
#: the dependents of a trigger in which its target may be named
COMPLEMENTS: Final = frozenset(
    {"dobj", "xcomp", "ccomp", "prep", "dative", "attr", "oprd", "advcl", "nsubjpass"}
)
#: prepositions by which a verb's subject takes part in a noun event ("on a visit")
ALONG: Final = frozenset({"on", "for", "in", "during", "at", "into"})
#: the links by which an event is the content or purpose of the words above it
EMBEDDING: Final = frozenset({"xcomp", "ccomp", "dobj", "pcomp", "pobj", "prep", "advcl", "acl"})
#: frames whose content is the event itself ("offered to provide Patriot systems")
OFFERS: Final = frozenset({"offer", "propose"})
#: what a promise or a stated intention to act is coded as (CAMEO 03 / 13)
PROMISE: Final = frozenset({"promise", "pledge", "vow", "commit", "undertake"})
READY: Final = frozenset({"willing", "ready", "prepared", "determined"})
REFUSE: Final = frozenset({"decline", "refuse", "fail"})
COOPERATIVE: Final = frozenset(
    {"RETREAT", "CONCEDE", "AID", "COOPERATE", "SUPPORT", "CONSULT", "AGREE"}
)
HOSTILE_MODE: Final[dict[str, str]] = {
    "ASSAULT": "violence",
    "COERCE": "restrict",
    "SANCTION": "relations",
    "MOBILIZE": "violence",
}
#: types whose missing target may be read from the sentences before (an offer to whom)
CONTEXT_TARGET: Final = frozenset({"AID", "AGREE", "COOPERATE", "SUPPORT"})


@dataclass
class _Actor:
    entity: Entity
    head: Token


class EventCoder:
    """The component: fills ``doc._.ng_events`` with report :class:`Event` objects."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.ng_events = self.code(doc)
        return doc

    def code(self, doc: Doc) -> list[Event]:
        entities: list[Entity] = list(doc._.ng_entities or [])
        if not entities:
            return []
        # By position only: two entities on one span keep their order (comparing the
        # entities themselves would raise).
        spans = sorted(
            ((m.start, m.end, e) for e in entities for m in [*e.mentions, *e.references]),
            key=lambda row: (row[0], row[1]),
        )
        timexes: list[Timex] = list(doc._.ng_timexes or [])
        quotes: list[Quote] = list(doc._.ng_quotes or [])
        published = doc._.ng_published if isinstance(doc._.ng_published, dt.date) else None
        dates = _dates_by_verb(doc, timexes)
        coder = _Coder(doc, spans, dates, timexes, quotes, published)
        return coder.run()


class _Coder:
    def __init__(
        self,
        doc: Doc,
        spans: list[tuple[int, int, Entity]],
        dates: dict[int, str],
        timexes: list[Timex],
        quotes: list[Quote],
        published: dt.date | None,
    ) -> None:
        self.doc = doc
        self.spans = spans
        self.dates = dates
        self.timexes = timexes
        self.quotes = quotes
        self.published = published
        self.events: list[Event] = []
        self.by_trigger: dict[int, Event] = {}
        self.object_nouns: set[int] = set()
        # the mentions, quotes and time expressions by position, and the entities by id
        # and by country code (each asked about per word: scans would be quadratic)
        self.mentions = SpanIndex(spans, lambda r: (r[0], r[1]))
        self.quote_at = SpanIndex(quotes, lambda q: (q.content.start, q.content.end))
        self.timex_at = SpanIndex(timexes, lambda t: (t.start, t.end))
        self.by_id: dict[str, Entity] = {}
        self.country: dict[str, Entity] = {}
        for _, _, entity in spans:
            self.by_id.setdefault(entity.id, entity)
            iso = (entity.attrs or {}).get("iso3")
            if entity.type == "COUNTRY" and isinstance(iso, str):
                self.country.setdefault(iso, entity)

    def run(self) -> list[Event]:
        table = senses()
        for pos in ("VERB", "NOUN"):
            for tok in self.doc:
                if (tok.pos_ == "VERB") != (pos == "VERB") or tok.pos_ not in ("VERB", "NOUN"):
                    continue
                if pos == "NOUN" and tok.i in self.object_nouns:
                    continue
                options = table.get((tok.lemma_.lower(), pos))
                if options:
                    sense = next((s for s in options if _holds(tok, s)), None)
                    if sense is not None:
                        self._code(tok, sense)
        self._fold_embedded()
        self.events.sort(key=lambda e: e.trigger.start)
        for i, event in enumerate(self.events, 1):
            event.id = f"v{i}"
        return self.events

    def _fold_embedded(self) -> None:
        """An event that is the content or the purpose of another ("threatened to ban",
        "called for sanctions", "staged rallies to demand reforms") is part of it, not a
        second event, and lends it its target; under an offer the content is the event,
        and the offer its hypothetical frame."""
        drop: set[int] = set()
        for i, event in list(self.by_trigger.items()):
            head, outer = self.doc[i], None
            for _ in range(4):  # "rejected a U.S. request to interrogate detainees"
                if head.dep_ not in EMBEDDING or head.head is head:
                    break
                head = head.head
                outer = self.by_trigger.get(head.i)
                if outer is not None:
                    break
            if outer is None or id(outer) in drop:
                continue
            if head.lemma_.lower() in OFFERS:
                drop.add(id(outer))
                event.hypothetical = True
            else:  # "staged demonstrations to demand reforms by the government"
                drop.add(id(event))
                if outer.target is None and event.target not in (None, outer.source):
                    outer.target, outer.target_code = event.target, event.target_code
        self.events = [e for e in self.events if id(e) not in drop]

    # ---- one event ---------------------------------------------------------------------
    def _code(self, tok: Token, sense: Sense) -> None:
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        if sense.type == "CONSULT" and passive:
            return  # "our efforts have been met with hostility"
        if tok.pos_ == "VERB":
            self.object_nouns.update(c.i for c in _objects(tok))
        source = self._source(tok)
        target, obj = self._target(tok, sense, source)
        if source is None and target is None:
            return  # nobody acts and nobody is acted on: not an event we can code
        date = self._date(tok)
        on = _day(date) or self.published
        sentence = docview.sentence_of(self.doc, tok.i)
        end = sentence.end
        while end > sentence.start + 1 and self.doc[end - 1].is_space:
            end -= 1
        sent = self.doc[sentence.start : end]
        holding = self.quote_at.first_containing(tok.idx)
        quote = holding.id if holding is not None else None
        kind, mode = sense.type, sense.mode
        act = _speech_act(tok)
        if act == "intent" and kind in COOPERATIVE:
            kind, mode = "AGREE", None  # "will release", "is willing to withdraw"
        elif act == "intent" and kind in HOSTILE_MODE:
            kind, mode = (
                "THREATEN",
                mode if mode in ("curfew", "martial-law") else HOSTILE_MODE[kind],
            )
        elif act == "refuse":
            kind, mode = "REJECT", None  # "will not accept", "would not meet demands"
        elif act == "must":
            # "X said Y must hand over the bombers": X demands it of Y
            speaker = self._speaker_of(tok)
            kind, mode, target, source = "REQUEST", None, source, speaker
        if source is None and tok.pos_ == "NOUN":
            return  # a happening the text names with no actor ("the bombing in Samarra")
        event = Event(
            id="",
            type=kind,  # type: ignore[arg-type]
            mode=mode,
            source=source.entity.id if source else None,
            target=target.entity.id if target else None,
            trigger=RSpan(tok.idx, tok.idx + len(tok.text), tok.text),
            date=date,
            negated=_negated(tok),
            hypothetical=_hypothetical(tok),
            sentence=RSpan(sent.start_char, sent.end_char, sent.text),
            origin=f"lexicon:{sense.trigger}/{sense.pos}"
            + (f"+{sense.condition[0]}" if sense.condition else ""),
            source_code=self._code_of(source, on),
            target_code=self._code_of(target, on),
            object=RSpan(obj.start_char, obj.end_char, obj.text) if obj is not None else None,
            quote=quote,
        )
        self.events.append(event)
        self.by_trigger[tok.i] = event

    # ---- actors ----------------------------------------------------------------------
    def _entity_at(self, start: int, end: int) -> Entity | None:
        for _s, _e, entity in self.mentions.overlapping(start, end):
            acts = entity.type != "LOCATION" or bool((entity.attrs or {}).get("seat_of"))
            if entity.type in ACTOR_TYPES and acts:
                return entity
        return None

    def _actor(self, head: Token | None) -> _Actor | None:
        """The entity named in the phrase headed by ``head``."""
        if head is None:
            return None
        if head.lower_ in FIRST_PERSON:
            return self._speaker(head)
        if head.lower_ in PRONOUNS or head.lower_ in RELATIVES:
            return self._antecedent(head)
        own = self._entity_at(head.idx, head.idx + len(head.text))
        if own is not None:
            return _Actor(own, head)
        left = self.doc[head.left_edge.i : head.i + 1]
        found = self._entity_at(left.start_char, left.end_char)
        if found is None:
            whole = self.doc[head.left_edge.i : head.right_edge.i + 1]
            found = self._entity_at(whole.start_char, whole.end_char)
        if found is None:  # "his administration": whoever "his" is
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None and owner.lower_ in PRONOUNS | FIRST_PERSON:
                return self._actor(owner)
        return _Actor(found, head) if found is not None else None

    def _speaker_of(self, tok: Token) -> _Actor | None:
        """Who says the clause of ``tok`` (the subject of the verb it is reported by)."""
        probe = tok
        for _ in range(3):
            if probe.dep_ == "ccomp" and probe.head is not probe:
                subject = next((c for c in probe.head.children if c.dep_ in SUBJECTS), None)
                return self._actor(subject)
            if probe.dep_ in ("conj", "xcomp") and probe.head is not probe:
                probe = probe.head
            else:
                break
        return None

    def _speaker(self, word: Token) -> _Actor | None:
        for q in self.quote_at.containing(word.idx):
            # the named speaker, else whom an unnamed one speaks for ("a senior Russian
            # official": Russia)
            for ident in (q.speaker_entity, (q.source or {}).get("affiliation")):
                entity = self.by_id.get(ident) if isinstance(ident, str) else None
                if ident and entity is not None and entity.type in ACTOR_TYPES:
                    return _Actor(entity, word)
        return None

    def _antecedent(self, pronoun: Token) -> _Actor | None:
        """The entity a pronoun or relative word stands for."""
        if pronoun.lower_ in RELATIVES and pronoun.head.dep_ == "relcl":
            return self._actor(pronoun.head.head)
        want_person = pronoun.lower_ in PERSON_PRONOUNS
        best: tuple[int, Entity] | None = None
        floor = docview.sentence_of(self.doc, pronoun.i).start_char - 600
        for s, _e, entity in self.mentions.starting(floor, pronoun.idx):
            if want_person != (entity.type == "PERSON"):
                continue
            if entity.type in ("MILITARY_SYSTEM", "PROGRAM", "LOCATION", "OTHER"):
                continue
            if best is None or s > best[0]:
                best = (s, entity)
        return _Actor(best[1], pronoun) if best else None

    def _source(self, tok: Token, depth: int = 0) -> _Actor | None:
        if depth > 4:
            return None
        if tok.pos_ == "NOUN":
            return self._noun_source(tok, depth)
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            return self._actor(pobj)
        subject = next((c for c in tok.children if c.dep_ in SUBJECTS), None)
        if subject is not None and not any(c.dep_ == "nsubjpass" for c in tok.children):
            return self._actor(subject)
        head = tok.head
        if head is tok:
            return None
        if tok.dep_ == "xcomp":
            controller = next((c for c in head.children if c.dep_ in ("dobj", "dative")), None)
            if controller is not None and head.lemma_ not in ("offer", "promise", "seek"):
                return self._actor(controller)
            return self._source(head, depth + 1)
        if tok.dep_ in ("conj", "advcl", "ccomp"):
            return self._source(head, depth + 1)
        if tok.dep_ in ("relcl", "acl") and tok.tag_ != "VBN":
            return self._actor(head)
        return None

    def _noun_source(self, noun: Token, depth: int) -> _Actor | None:
        for child in noun.children:
            if child.dep_ == "poss":
                if child.lower_ in PRONOUNS and noun.head.pos_ in ("VERB", "AUX", "ADP"):
                    verb = governing_verb(self.doc[noun.i : noun.i + 1])
                    if verb is not None:
                        return self._source(verb, depth + 1) or self._actor(child)
                return self._actor(child)
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        if by is not None:
            pobj = next((c for c in by.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return self._actor(pobj)
        for child in noun.children:
            if child.dep_ in ("amod", "compound", "nmod") and child.i < noun.i:
                found = self._entity_at(child.idx, child.idx + len(child.text))
                if found is not None:
                    return _Actor(found, child)
        if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ == "VERB":
            if noun.head.lemma_.lower() in UNDERGO:
                return None
            return self._source(noun.head, depth + 1)
        prep = noun.head
        if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in ALONG:
            verb = prep.head  # "arrived in Amman on a visit", "left for talks"
            if verb.pos_ == "VERB" and verb.lemma_.lower() not in UNDERGO:
                return self._source(verb, depth + 1)
        return None

    def _target(
        self, tok: Token, sense: Sense, source: _Actor | None
    ) -> tuple[_Actor | None, Span | None]:
        target: _Actor | None = None
        for place in sense.target:
            found = self._actor(_place(tok, place))
            if found is not None and (source is None or found.entity.id != source.entity.id):
                target = found
                break
        if target is None and tok.dep_ == "conj" and tok.head.i in self.by_trigger:
            head_event = self.by_trigger[tok.head.i]  # "suspend Turkey ... and impose sanctions"
            if head_event.target is not None:
                entity = self.by_id.get(head_event.target)
                if entity is not None:
                    target = _Actor(entity, tok.head)
        if target is None:
            target = self._complement_actor(tok, source)
        if target is None and tok.pos_ == "NOUN" and tok.head.lemma_.lower() in UNDERGO:
            subject = next((c for c in tok.head.children if c.dep_ in SUBJECTS), None)
            target = self._actor(subject)  # "Trump has faced criticism"
        obj: Span | None = None
        for place in sense.object:
            head = _place(tok, place)
            if head is not None and head.lower_ in RELATIVES and head.head.dep_ == "relcl":
                head = head.head.head  # "the S-400 system, which Turkey purchased"
            if head is not None and (target is None or head.i != target.head.i):
                obj = self.doc[head.left_edge.i : head.right_edge.i + 1]
                if any(t.dep_ == "relcl" for t in head.children):
                    obj = self.doc[head.left_edge.i : head.i + 1]
                break
        if target is None and obj is not None:
            target = self._implied_target(tok, sense, source, obj)
        return target, obj

    def _complement_actor(self, tok: Token, source: _Actor | None) -> _Actor | None:
        """The first actor named in what the trigger governs ("demanded that the DPRK
        forsake ...", "threatened to break relations with Russia", "forces in Lebanon")."""
        mine = self._iso(source) if source else None
        parts = [c for c in tok.children if c.dep_ in COMPLEMENTS]
        for part in sorted(parts, key=lambda t: t.i):
            for word in part.subtree:
                found = None
                for _s, _e, entity in self.mentions.containing(word.idx):
                    if entity.type in ACTOR_TYPES:
                        found = entity
                        break
                if found is None:
                    continue
                if source is not None and found.id == source.entity.id:
                    continue
                iso = (found.attrs or {}).get("iso3") or (found.attrs or {}).get("country")
                if mine is not None and iso == mine and found.type != "PERSON":
                    continue
                return _Actor(found, word)
        return None

    def _implied_target(
        self, tok: Token, sense: Sense, source: _Actor | None, obj: Span
    ) -> _Actor | None:
        """Whom an acquisition or an offer concerns when the clause does not say: the
        maker of the system bought, else the state named last before the clause."""
        if sense.mode == "acquire":
            system = next(
                (
                    e
                    for _, _, e in self.mentions.starting(obj.start_char, obj.end_char)
                    if e.type == "MILITARY_SYSTEM"
                ),
                None,
            )
            origin = (system.attrs or {}).get("origin") if system else None
            if not origin:
                return None
            if isinstance(origin, str):
                seller = self.country.get(origin)
            else:
                seller = next(
                    (
                        e
                        for _, _, e in self.spans
                        if e.type == "COUNTRY" and (e.attrs or {}).get("iso3") == origin
                    ),
                    None,
                )
            return _Actor(seller, tok) if seller else None
        if sense.type not in CONTEXT_TARGET:
            return None
        before = max(0, docview.sentence_of(self.doc, tok.i).start - 1)
        floor = docview.sentence_of(self.doc, before).start_char
        mine = self._iso(source) if source else None
        best: Entity | None = None
        for _s, _e, entity in self.mentions.starting(floor, tok.idx):
            if entity.type in ("COUNTRY", "NORP"):
                iso = (entity.attrs or {}).get("iso3") or (entity.attrs or {}).get("country")
                if iso and iso != mine:
                    best = entity
        return _Actor(best, tok) if best else None

    @staticmethod
    def _iso(actor: _Actor) -> str | None:
        attrs = actor.entity.attrs or {}
        value = attrs.get("iso3") or attrs.get("country")
        return str(value) if value else None

    def _code_of(self, actor: _Actor | None, on: dt.date | None) -> str | None:
        if actor is None:
            return None
        entity = actor.entity
        attrs = entity.attrs or {}
        country: str | None = attrs.get("iso3") or attrs.get("country") or attrs.get("seat_of")
        sector = ""
        if entity.type == "IGO":
            return str(attrs.get("code") or entity.name)
        if entity.type == "PERSON" and entity.kb_id:
            kb = get_kb()
            person = kb.by_kb_id(entity.kb_id) or kb.get(entity.kb_id)
            if person is not None:
                current = kb.roles(person, on)
                terms = current or kb.roles(person)
                if terms:
                    office = terms[-1].office.split(".")[0]
                    if not (len(office) == 3 and office.isupper()):
                        return office  # NATO.secretary_general -> NATO
                    # in office on the day: government; out of it: the country alone
                    country, sector = office, "GOV" if current else ""
        if entity.type == "MEDIA":
            sector = "MED"
        word = actor.head.lemma_.lower() if actor.head.pos_ == "NOUN" else ""
        sector = sector or sectors().get(actor.head.lower_, "") or sectors().get(word, "")
        return f"{country}{sector}" if country else None

    # ---- when ---------------------------------------------------------------------------
    def _date(self, tok: Token) -> str | None:
        probe: Token | None = tok
        for _ in range(4):
            if probe is None:
                break
            if probe.i in self.dates:
                return self.dates[probe.i]
            if probe.dep_ in ("xcomp", "conj", "acl") and probe.head is not probe:
                probe = probe.head
            else:
                break
        if tok.pos_ == "NOUN":
            verb = governing_verb(self.doc[tok.i : tok.i + 1])
            if verb is not None and verb.i in self.dates:
                return self.dates[verb.i]
        sent = docview.sentence_of(self.doc, tok.i)
        inside = [
            t
            for t in self.timex_at.starting(sent.start_char, sent.end_char + 160)
            if _calendar(t) is not None
        ]
        if tok.pos_ == "NOUN" and len(inside) == 1 and inside[0].start > tok.idx:
            return _calendar(inside[0])
        return None


def _dates_by_verb(doc: Doc, timexes: list[Timex]) -> dict[int, str]:
    out: dict[int, str] = {}
    for timex in timexes:
        value = _calendar(timex)
        if value is None:
            continue
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        if span is None:
            continue
        verb = governing_verb(span)
        if verb is not None:
            out.setdefault(verb.i, value)
        head = span.root.head
        if head.dep_ == "prep":
            head = head.head
        if head.pos_ == "NOUN":
            out.setdefault(head.i, value)
    return out


def _calendar(timex: Timex) -> str | None:
    if timex.refers_to:
        return timex.refers_to
    if timex.type in ("DATE", "TIME") and parse_value(timex.value) is not None:
        return timex.value
    return None


def _day(value: str | None) -> dt.date | None:
    point = parse_value(value) if value else None
    return point.day if point else None


def _objects(tok: Token) -> list[Token]:
    passive = any(c.dep_ == "nsubjpass" for c in tok.children)
    deps = ("nsubjpass",) if passive else ("dobj", "obj", "attr")
    return [c for c in tok.children if c.dep_ in deps]


def _holds(tok: Token, sense: Sense) -> bool:
    if sense.condition is None:
        return True
    kind, words = sense.condition
    if kind == "obj":
        objects = _objects(tok)
        objects += [c for o in objects for c in o.children if c.dep_ == "conj"]
        # "25,000 tons of food aid", "a series of attacks"
        of = [c for o in objects for c in o.children if c.dep_ == "prep" and c.lower_ == "of"]
        objects += [c for p in of for c in p.children if c.dep_ == "pobj"]
        return any(c.lemma_.lower() in words or c.lower_ in words for c in objects)
    if kind == "prep":
        return any(c.dep_ in ("prep", "agent") and c.lower_ in words for c in tok.children)
    if kind == "prt":  # the small model also hangs particles as advmod or prep
        deps = ("prt", "advmod", "prep")
        return any(c.dep_ in deps and c.lower_ in words for c in tok.children)
    if kind == "mod":  # "hunger strike", "general strike"
        deps = ("amod", "compound", "nmod")
        return any(c.dep_ in deps and c.lemma_.lower() in words for c in tok.children)
    return any(c.dep_ == "xcomp" and c.lemma_.lower() in words for c in tok.children)


def _place(tok: Token, place: str) -> Token | None:
    """The head token at a place the lexicon names (dobj, dative, prep:to, obj-prep:on)."""
    if place == "dobj":
        found = _objects(tok)
        return found[0] if found else None
    if place == "dative":  # "gave Kyiv arms", or "provide arms to Kyiv" (dative "to")
        dative = next((c for c in tok.children if c.dep_ in ("dative", "iobj")), None)
        if dative is not None and dative.pos_ == "ADP":
            return next((c for c in dative.children if c.dep_ == "pobj"), None)
        return dative
    kind, _, word = place.partition(":")
    holders = [tok]
    if kind == "obj-prep":
        holders = _objects(tok)
    elif kind != "prep":
        return None
    for holder in holders:
        for child in holder.children:
            if child.dep_ in ("prep", "agent") and child.lower_ == word:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return None


def _chain(tok: Token) -> list[Token]:
    """The trigger and the verbs it hangs on through infinitives and coordination."""
    out = [tok]
    probe = tok
    for _ in range(3):
        if probe.dep_ in ("xcomp", "conj") and probe.head is not probe:
            probe = probe.head
            out.append(probe)
        else:
            break
    return out


def _speech_act(tok: Token) -> str | None:
    """How the clause of ``tok`` frames it: a stated intention ("will release", "is
    willing to withdraw", "pledged to send"), a refusal ("will not accept"), a demand
    ("must hand over"), or nothing (a report of what happened)."""
    if tok.pos_ != "VERB":
        return None
    auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    negated = any(c.dep_ == "neg" for c in tok.children)
    if auxes & {"must", "should"}:
        return None if negated else "must"
    future = bool(auxes & {"will", "'ll", "shall", "wo", "would"})
    if negated and future:
        return "refuse"
    head = tok.head
    if tok.dep_ == "xcomp" and head is not tok:
        if head.lemma_.lower() in REFUSE:
            return "refuse"  # "declined to resign", "failed to reach agreement"
        if head.lemma_.lower() in PROMISE or head.lower_ in READY:
            return "intent"
        if head.lemma_.lower() == "have" and "to" in auxes:
            return "must"
    if future and not negated:
        return "intent"
    return None


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for t in _chain(tok) for c in t.children)


def _hypothetical(tok: Token) -> bool:
    chain = _chain(tok)
    if tok.pos_ == "NOUN":
        if any(c.dep_ == "amod" and c.lower_ in HEDGES for c in tok.children):
            return True
        verb = governing_verb(tok.doc[tok.i : tok.i + 1])
        if verb is not None:
            chain = [*chain, *_chain(verb)]
    for t in chain:
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS for c in t.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in t.children):
            return True
        if t.dep_ == "advcl" and any(c.lower_ in CONDITIONS for c in t.children):
            return True
    for inner, outer in pairwise(chain):
        if inner.dep_ == "xcomp" and outer.lemma_.lower() in INTENT:
            return True
    return False


@Language.factory(COMPONENT, requires=["token.dep", "token.lemma", "doc.ents"])
def make_event_coder(nlp: Language, name: str) -> EventCoder:
    return EventCoder()


__all__ = ["COMPONENT", "EventCoder"]
