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
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
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
from .actors import (
    GROUP_AGENT,
    NO_COUNTRY,
    PLACE_NOUNS,
    TABLE_AGENT,
    agent_sector,
    pair_kind,
    party_code,
    phrase_sector,
    sector_of,
    starts_with_place_word,
    title_sector,
)
from .dictionary import dictionary_code
from .lexicon import DERIVED, Sense, choices
from .patterns import first, has_subject, overlapping
from .scope import acts_on_illness, in_competition, political

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
PROMISE: Final = frozenset({"promise", "pledge", "vow", "commit", "undertake", "offer"})
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
#: sectors of the bodies of a state's own politics (coded as of the article's home state
#: when the text names no state: "the House", "the Supreme Court", "police")
HOME_SECTORS: Final = frozenset({"GOV", "LEG", "JUD", "COP", "MIL", "PTY", "SPY"})
#: verbs of attack that news also uses for attacks in words ("Cruz attacked Clinton")
VERBAL_ATTACK: Final = frozenset({"attack", "hit", "slam", "blast", "hammer", "bash", "lash"})
#: words that make an attack one of arms
ARMED_WORDS: Final = frozenset(
    {
        "gun",
        "knife",
        "bomb",
        "weapon",
        "rifle",
        "pistol",
        "missile",
        "rocket",
        "drone",
        "shot",
        "shoot",
        "stab",
        "fire",
        "explosive",
        "grenade",
        "troops",
        "soldier",
        "force",
        "militant",
        "gunman",
        "airstrike",
        "strike",
        "shell",
        "artillery",
    }
)
#: prepositions of the place an event happens in, and the entity types of places
PLACE_PREPS: Final = frozenset({"in", "near", "at", "outside", "inside", "around", "across"})
PLACE_TYPES: Final = frozenset({"LOCATION", "COUNTRY"})
#: prepositions after which any name is a place ("near Palmyra", tagged a person or not)
NEAR_PREPS: Final = frozenset({"near", "outside", "around"})
#: the better of two dates of one event told twice
_DATE_RANK: Final[dict[str | None, int]] = {"event": 3, "clause": 2, "published": 1}
#: types whose missing target may be read from the sentences before (an offer to whom)
CONTEXT_TARGET: Final = frozenset({"AID", "AGREE", "COOPERATE", "SUPPORT"})


@dataclass
class _Actor:
    entity: Entity
    head: Token
    #: a described group ("riot police", "protesters"): no entity of the report; its
    #: ``entity`` only carries the phrase as its name, for the coder's comparisons
    group: bool = False
    #: whether ``head`` is a word of the clause that names the actor (not an actor read
    #: from elsewhere: a pair's partner, the maker of a system, the sentence before)
    written: bool = True


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
        dates: dict[int, Timex],
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
        self.timex_of: dict[int, Timex] = {}  # id(event) -> the time expression dating it
        self.things_of: dict[int, set[str]] = {}  # id(event) -> the entities it acts on
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
        # actors: the text once (Doc.text joins every token), the second actor of a pair
        # ("the two leaders") by the token that names the pair, the state of a person's
        # office by entity id
        self.text = docview.text(doc)
        self.partners: dict[int, Entity] = {}
        self.person_state: dict[str, str | None] = {}

    @cached_property
    def home(self) -> str | None:
        """The article's home state: the state that at least two thirds (and two or more)
        of the mentions of states, demonyms and places the knowledge base places name
        (a Flint story naming Michigan, the US and Americans: USA); None when no state
        dominates. A person or body of the state's own politics that nothing else codes
        is read as of this state ("Gov. Rick Snyder", "the House")."""
        counts: Counter[str] = Counter()
        for _s, _e, entity in self.spans:
            if entity.type in ("COUNTRY", "NORP", "LOCATION"):
                # a capital read as its state is left out: a town of the same name is
                # common in local news ("Athens", Texas)
                attrs = entity.attrs or {}
                iso = attrs.get("iso3") or attrs.get("country")
                if isinstance(iso, str) and len(iso) == 3:
                    counts[iso] += 1
        if not counts:
            return None
        top, count = counts.most_common(1)[0]
        return top if count >= 2 and 3 * count >= 2 * sum(counts.values()) else None

    def run(self) -> list[Event]:
        # the rows of the lemma (the hand-built ones first), most specific first: the
        # first whose conditions hold decides, and a "no event" row stops the word
        # ("confined illegal immigrants")
        table = choices()
        derived: set[int] = set()  # the triggers of events coded from derived rows
        # the verbs, then the nouns, whose lemma has rows (docview's lists: a Token
        # object for every word of the article would cost more than the rest)
        words: dict[str, list[tuple[int, str]]] = {"VERB": [], "NOUN": []}
        lemmas, tags = docview.lemmas(self.doc), docview.pos(self.doc)
        for i, (lemma, pos) in enumerate(zip(lemmas, tags, strict=True)):
            if (pos == "VERB" or pos == "NOUN") and (lemma, pos) in table:
                words[pos].append((i, lemma))
        for pos in ("VERB", "NOUN"):
            for i, lemma in words[pos]:
                if pos == "NOUN" and i in self.object_nouns:
                    continue
                options = table.get((lemma, pos))
                if not options:
                    continue
                tok = self.doc[i]
                sense = first(tok, options)
                if sense is None or not sense.event:
                    continue
                if sense.table != DERIVED:
                    self._code(tok, sense)
                    continue
                # a row derived from the CAMEO dictionary codes, as PETRARCH does, a
                # clause with its own subject ("to help him oust" is left to the frames
                # of the hand-built rows) and an event between two actors (PETRARCH's
                # RequireDyad: "Apple introduced the iPod" is no CONSULT)
                if not has_subject(tok):
                    continue
                nouns = set(self.object_nouns)
                self._code(tok, sense)
                self.object_nouns = nouns  # a hand-built noun event in it still counts
                event = self.by_trigger.get(tok.i)
                if event is not None and not (_named(event, "source") and _named(event, "target")):
                    if self.events and self.events[-1] is event:
                        self.events.pop()
                    del self.by_trigger[tok.i]
                elif event is not None:
                    derived.add(tok.i)
        # a derived event never frames, nor is framed by, a hand-coded one
        hand = set(self.by_trigger) - derived
        for i in overlapping(self.doc, derived, hand, EMBEDDING):
            dropped = self.by_trigger.pop(i)
            self.events = [e for e in self.events if e is not dropped]
        self._fold_embedded()
        self._fold_repeated()
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
                if head.dep_ not in EMBEDDING or head.head.i == head.i:
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
                lent = event.target is None or event.target != outer.source
                if lent and not _named(outer, "target") and _named(event, "target"):
                    outer.target, outer.target_code = event.target, event.target_code
                    outer.target_phrase = event.target_phrase
        self.events = [e for e in self.events if id(e) not in drop]

    def _fold_repeated(self) -> None:
        """One event told twice in an article ("which Turkey purchased in 2017" ...
        "the systems, acquired nearly a decade ago") is one event: the first telling that
        names the most keeps the event, the others are its ``mentions``."""
        kept: list[Event] = []
        for event in sorted(self.events, key=_completeness, reverse=True):
            same = next((k for k in kept if self._same_event(k, event)), None)
            if same is None:
                kept.append(event)
                continue
            same.mentions.append(event.trigger)
            for side in ("source", "target"):
                if not _named(same, side) and _named(event, side):
                    for field_ in ("", "_code", "_phrase"):
                        setattr(same, side + field_, getattr(event, side + field_))
            if same.object is None:
                same.object = event.object
            if same.location is None:
                same.location = event.location
            if _DATE_RANK.get(event.date_source, 0) > _DATE_RANK.get(same.date_source, 0):
                same.date, same.date_source = event.date, event.date_source
        for event in kept:
            event.mentions.sort(key=lambda m: m.start)
        self.events = kept

    def _same_event(self, a: Event, b: Event) -> bool:
        """Whether two coded events are one: the same type and mode, the same actors
        (or one side unnamed in one of them), not two different things acted on, told
        both as done or both as not done, and dates that can be the same day (an
        undated one is placed on the day of its report, as the field's one-a-day rule
        does)."""
        if (a.type, a.mode, a.negated, a.hypothetical) != (
            b.type,
            b.mode,
            b.negated,
            b.hypothetical,
        ):
            return False
        for x, y in ((a.source, b.source), (a.target, b.target)):
            if x is not None and y is not None and x != y:
                return False
        if a.source is None and b.source is None:
            return False
        things_a, things_b = self.things_of.get(id(a), set()), self.things_of.get(id(b), set())
        if things_a and things_b and not (things_a & things_b):
            return False  # two purchases of two things are two events
        return self._dates_agree(a, b)

    def _acted_on(self, tok: Token, obj: Span | None) -> list[Span]:
        """Where what an event acts on is named: its object, and for a participle the noun
        it describes ("F-35 jets purchased by ...", "the systems, acquired ...")."""
        spans = [obj] if obj is not None else []
        if tok.dep_ in ("acl", "relcl") and tok.head.i != tok.i:
            noun = tok.head
            spans.append(self.doc[noun.left_edge.i : noun.i + 1])
        return spans

    def _things(self, tok: Token, obj: Span | None) -> set[str]:
        """The entities an event acts on: named in its object, in the noun a participle
        describes ("the systems, acquired nearly a decade ago"), or in a noun event's own
        phrase ("Turkey's acquisition of the S-400")."""
        spans = self._acted_on(tok, obj)
        if tok.pos_ == "NOUN":
            spans.append(self.doc[tok.left_edge.i : tok.right_edge.i + 1])
        return {
            e.id
            for span in spans
            for _s, _e, e in self.mentions.overlapping(span.start_char, span.end_char)
            if e.type not in ("COUNTRY", "NORP", "PERSON")
        }

    def _dates_agree(self, a: Event, b: Event) -> bool:
        ta, tb = self.timex_of.get(id(a)), self.timex_of.get(id(b))
        if ta is None or tb is None:
            return True  # one of them undated: nothing says they differ
        da, db = parse_value(_calendar(ta) or ""), parse_value(_calendar(tb) or "")
        if da is None or db is None:
            return True
        slack = 0
        if any((t.mod or "").upper() in ("APPROX", "LESS_THAN", "MORE_THAN") for t in (ta, tb)):
            slack = 2 * 366  # "nearly a decade ago": a year or two either way
        gap = max((da.day - db.end).days, (db.day - da.end).days, 0)
        return bool(gap <= slack)

    def _maker(self, tok: Token, obj: Span | None) -> str | None:
        """The country (ISO3) that makes the system a purchase is of: named in what is
        bought, or in the noun the purchase describes ("F-35 jets purchased by ...")."""
        for span in self._acted_on(tok, obj):
            for _s, _e, entity in self.mentions.overlapping(span.start_char, span.end_char):
                origin = (entity.attrs or {}).get("origin")
                if entity.type == "MILITARY_SYSTEM" and isinstance(origin, str) and origin:
                    return origin
        return None

    def _location(self, tok: Token, source: _Actor | None, target: _Actor | None) -> str | None:
        """The place the event happened, when the trigger (or, for a noun event, the verb
        it belongs to) has one: "clashed near Palmyra", "the bombing in Samarra"."""
        actors = {a.entity.id for a in (source, target) if a is not None}
        holders = [tok]
        if tok.pos_ == "NOUN":
            verb = governing_verb(self.doc[tok.i : tok.i + 1])
            if verb is not None:
                holders.append(verb)
        for holder in holders:
            for prep in holder.children:
                if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
                    continue
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                phrase = self.doc[pobj.left_edge.i : pobj.i + 1]
                for _s, _e, entity in self.mentions.overlapping(phrase.start_char, phrase.end_char):
                    # "near Palmyra" is a place whatever the tagger made of the name
                    placed = entity.type in PLACE_TYPES or prep.lower_ in NEAR_PREPS
                    if placed and entity.id not in actors:
                        return entity.id
        return None

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
        timex, date_source = self._date(tok)
        date = _calendar(timex) if timex is not None else None
        on = _day(date) or self.published
        if date is None and self.published is not None:
            date, date_source = self.published.isoformat(), "published"
        sentence = docview.sentence_of(self.doc, tok.i)
        end = sentence.end
        while end > sentence.start + 1 and self.doc[end - 1].is_space:
            end -= 1
        sent = self.doc[sentence.start : end]
        holding = self.quote_at.first_containing(tok.idx)
        quote = holding.id if holding is not None else None
        kind, mode = sense.type, sense.mode
        act = _speech_act(tok)
        offered = tok.dep_ == "xcomp" and tok.head.lemma_.lower() == "offer"
        if act == "intent" and kind in COOPERATIVE and not (offered and kind == "AID"):
            # "will release", "is willing to withdraw", "offered to negotiate"; an offer of
            # aid stays aid ("offered to provide Patriot systems": AID, hypothetical)
            kind, mode = "AGREE", None
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
        if kind == "ASSAULT" and _verbal_attack(tok, source, target):
            kind, mode = "ACCUSE", "disapprove"  # "Cruz attacked Clinton": words, not arms
        location = self._location(tok, source, target)
        place = (self.by_id[location].attrs or {}) if location in self.by_id else {}
        where = place.get("country") or place.get("iso3")
        source_code = self._code_of(source, on, where)
        target_code = self._code_of(target, on, where)
        grouped = not any(a is not None and not a.group for a in (source, target))
        if grouped and not (self.home or where):
            # only described groups: an event when they are of a known state (the
            # article's: "police arrested protesters" in a Flint story), not "28 people
            # have been killed" in a story of no one state
            return
        if acts_on_illness(tok) or in_competition(tok):
            return  # an illness fought, a match won: not political interaction
        if not political(
            source.entity if source and not source.group else None,
            target.entity if target and not target.group else None,
            source_code,
            target_code,
            mode,
            self._maker(tok, obj) if mode == "acquire" else None,
        ):
            return  # a deal between companies, a state buying from its own industry
        event = Event(
            id="",
            type=kind,  # type: ignore[arg-type]
            mode=mode,
            source=source.entity.id if source and not source.group else None,
            target=target.entity.id if target and not target.group else None,
            trigger=RSpan(tok.idx, tok.idx + len(tok.text), tok.text),
            date=date,
            negated=_negated(tok),
            hypothetical=_hypothetical(tok),
            sentence=RSpan(sent.start_char, sent.end_char, sent.text),
            origin=f"lexicon:{sense.trigger}/{sense.pos}"
            + (f"+{sense.condition[0]}" if sense.condition else ""),
            source_code=source_code,
            target_code=target_code,
            object=RSpan(obj.start_char, obj.end_char, obj.text) if obj is not None else None,
            quote=quote,
            date_source=date_source,
            location=location,
            source_phrase=self._written(source),
            target_phrase=self._written(target),
        )
        if timex is not None:
            self.timex_of[id(event)] = timex
        self.things_of[id(event)] = self._things(tok, obj) - {event.source, event.target}
        self.events.append(event)
        self.by_trigger[tok.i] = event

    # ---- actors ----------------------------------------------------------------------
    def _written(self, actor: _Actor | None) -> RSpan | None:
        """The span of the words naming ``actor`` in the event's clause: its phrase, and
        the whole of a name the head is in ("Rick Snyder", not "Rick"); None when the
        actor is read from elsewhere."""
        if actor is None or not actor.written:
            return None
        head = actor.head
        if head.pos_ == "PRON":
            return RSpan(head.idx, head.idx + len(head.text), head.text)  # "he", "We"
        words = _phrase(head)
        start, end = words.start_char, words.end_char
        inside = self.mentions.overlapping(head.idx, head.idx + len(head.text))
        if inside or actor.group or sector_of(head) or pair_kind(head):
            # a name, a group, an agent of a state or a pair: the phrase ("Israeli riot
            # police", "the two leaders") and the whole of a name ("Rick Snyder")
            for s, e, _ in inside:
                start, end = min(start, s), max(end, e)
            return RSpan(start, end, self.text[start:end])
        # a word that only holds the name ("Ankara's decision", "the deal"): the name
        named = self.mentions.overlapping(start, end)
        own = [m for m in named if m[2].id == actor.entity.id]
        if not (own or named):
            return None
        s, e, _ = (own or named)[-1]
        return RSpan(s, e, self.text[s:e])

    def _entity_at(self, start: int, end: int) -> Entity | None:
        for s, e, entity in self.mentions.overlapping(start, end):
            if self._acts(entity, s, e):
                return entity
        return None

    def _acts(self, entity: Entity, start: int, end: int) -> bool:
        """Whether the entity mentioned at ``start:end`` can act: states, demonyms,
        people, organisations, IGOs, outlets and seats of power do; systems and
        programmes do not, nor a place: a LOCATION that is no seat of power, or a phrase
        of place read as a name ("Near Palmyra")."""
        if entity.type not in ACTOR_TYPES:
            return False
        if entity.type == "LOCATION" and not (entity.attrs or {}).get("seat_of"):
            return False
        return not starts_with_place_word(self.text[start:end])

    def _as_state(self, actor: _Actor | None) -> _Actor | None:
        """A demonym that stands for its state away from the actor's own words (whom an
        unnamed "senior Russian official" speaks for, the maker of "Russian S-400
        systems", the antecedent of a pronoun, one of a pair): the state's COUNTRY
        entity when the article names the state, else the demonym's own entity."""
        if actor is None or actor.entity.type != "NORP" or self._ethnic(actor):
            return actor
        iso = (actor.entity.attrs or {}).get("country")
        state = self.country.get(iso) if isinstance(iso, str) else None
        return _Actor(state, actor.head) if state is not None else actor

    def _ethnic(self, actor: _Actor) -> bool:
        """Whether the demonym of ``actor`` names a people, not a state ("ethnic
        Albanians", "the ethnic Russian minority")."""
        for m in actor.entity.mentions:
            if actor.head.left_edge.idx <= m.start <= actor.head.idx + len(actor.head.text):
                before = self.text[: m.start].split()
                if before and before[-1].lower() == "ethnic":
                    return True
        return any(c.lower_ == "ethnic" for c in actor.head.children)

    def _actor(self, head: Token | None) -> _Actor | None:
        """The entity named in the phrase headed by ``head``."""
        if head is None:
            return None
        if head.lower_ in FIRST_PERSON:
            return self._speaker(head)
        if head.lower_ in PRONOUNS or head.lower_ in RELATIVES:
            return self._antecedent(head)
        kind = pair_kind(head)
        if kind is not None:  # "the two leaders", "both countries", "the two sides"
            return self._pair(head, kind)
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
            # "officials of the two countries", "forces of both sides"
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                kind = pair_kind(pobj) if pobj is not None else None
                if pobj is not None and kind is not None:
                    return self._pair(pobj, kind, head)
        if found is not None and found.type == "NORP" and not self._names_agent(found, head):
            return self._as_state(_Actor(found, head))  # "an offer of Bolivian gas"
        return _Actor(found, head) if found is not None else self._group(head)

    def _group(self, head: Token) -> _Actor | None:
        """A group the text describes and does not name ("riot police", "protesters",
        "the ministry", "troops"): a common noun the agent tables give a sector, with
        no name in its phrase. It is no entity of the report; the event keeps its words
        (``source_phrase``) and a code (:meth:`_code_of`)."""
        if head.pos_ != "NOUN" or head.lower_ in PRONOUNS | FIRST_PERSON | RELATIVES:
            return None
        if head.lemma_.lower() in PLACE_NOUNS:
            return None
        if not sector_of(head):
            # "dozens of protesters", "a group of students": the group is the noun after
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
            if pobj is None or pobj.pos_ != "NOUN" or not sector_of(pobj):
                return None
            if self._entity_at(pobj.left_edge.idx, pobj.idx + len(pobj.text)) is not None:
                return None
            head = pobj
        phrase = _phrase(head)
        entity = Entity(
            id=f"group:{head.i}", name=phrase.text, type="OTHER", kb_id=None, mentions=[]
        )
        return _Actor(entity, head, group=True)

    def _names_agent(self, demonym: Entity, head: Token) -> bool:
        """Whether a demonym in the phrase of ``head`` names who acts ("Peruvian
        officials", "a group of Moroccan diplomats", "the Peruvians"), not the origin of
        a thing ("Bolivian gas", "Russian S-400 systems")."""
        spans = [(m.start, m.end) for m in demonym.mentions]
        if any(a <= head.idx < b for a, b in spans):
            return True  # the head is (in) the demonym: "the Peruvians", "Iraqi Kurds"
        for tok in self.doc[head.left_edge.i : head.right_edge.i + 1]:
            if any(a <= tok.idx < b for a, b in spans):
                if tok.i == head.i or tok.head.i == tok.i:
                    return True
                if tok.dep_ not in ("amod", "compound", "nmod") or sector_of(tok.head):
                    return True
                # "Iraqi Kurds": a people named by the demonym
                return bool(self.mentions.containing(tok.head.idx))
        return True

    def _state_key(self, entity: Entity) -> str:
        """What makes two actors one side: their state (a state, its demonym, its seat,
        a person's office), else the entity itself."""
        attrs = entity.attrs or {}
        if entity.type in ("COUNTRY", "NORP", "LOCATION"):
            iso = attrs.get("iso3") or attrs.get("country") or attrs.get("seat_of")
            if isinstance(iso, str) and iso:
                return iso
        if entity.type == "PERSON" and entity.kb_id:
            if entity.id not in self.person_state:
                kb = get_kb()
                person = kb.by_kb_id(entity.kb_id) or kb.get(entity.kb_id)
                terms = kb.roles(person) if person is not None else []
                office = terms[-1].office.split(".")[0] if terms else ""
                self.person_state[entity.id] = office or None
            state = self.person_state[entity.id]
            if state:
                return state
        return entity.id

    def _pair(self, word: Token, kind: str, head: Token | None = None) -> _Actor | None:
        """The two actors a pair stands for ("the two leaders", "both countries", "the
        two sides"): the last two sides named before it in its sentence and the one
        before, in the order they were named. The first is the actor (with ``head`` for
        its sector); the second is kept as its partner, the target of an event that
        names no other (:meth:`_complement_actor`)."""
        head = head if head is not None else word
        sent = docview.sentence_of(self.doc, word.i)
        floor = docview.sentence_of(self.doc, max(0, sent.start - 1)).start_char
        sides: dict[str, list[Entity]] = {}  # by side, in the order of their last mention
        first: dict[str, int] = {}  # where each side is first named in the window
        for s, e, entity in sorted(self.mentions.starting(floor, word.idx), key=lambda r: r[0]):
            if not self._acts(entity, s, e):
                continue
            if kind == "state" and entity.type not in ("COUNTRY", "NORP", "LOCATION", "PERSON"):
                continue
            key = self._state_key(entity)
            if kind == "state" and key == entity.id:
                continue  # a person with no known state: not one of two countries
            first.setdefault(key, s)
            sides.setdefault(key, []).append(entity)
            sides[key] = sides.pop(key)  # the side named last comes last
        chosen = sorted(list(sides.items())[-2:], key=lambda kv: first[kv[0]])
        actors: list[Entity] = []
        for key, entities in chosen:
            people = [x for x in entities if x.type == "PERSON"]
            if kind == "person" and people:
                actors.append(people[-1])
            elif kind == "state":
                state = self.country.get(key)
                norp = next((x for x in entities if x.type == "NORP"), None)
                actors.append(state or norp or entities[-1])
            else:
                found = self._as_state(_Actor(entities[-1], head))
                actors.append(found.entity if found is not None else entities[-1])
        if not actors:
            return None
        if len(actors) > 1:
            self.partners[head.i] = actors[1]
        return _Actor(actors[0], head)

    def _speaker_of(self, tok: Token) -> _Actor | None:
        """Who says the clause of ``tok`` (the subject of the verb it is reported by)."""
        probe = tok
        for _ in range(3):
            if probe.dep_ == "ccomp" and probe.head.i != probe.i:
                subject = next((c for c in probe.head.children if c.dep_ in SUBJECTS), None)
                return self._actor(subject)
            if probe.dep_ in ("conj", "xcomp") and probe.head.i != probe.i:
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
                    if entity.type == "LOCATION" and not (entity.attrs or {}).get("seat_of"):
                        continue
                    return self._as_state(_Actor(entity, word))
        return None

    def _antecedent(self, pronoun: Token) -> _Actor | None:
        """The entity a pronoun or relative word stands for: for a subject pronoun
        that opens its clause, the subject of the clause it continues ("Turkey bought
        the S-400 from Russia. It now wants ...", "Russia told Turkey it would ..."),
        else the last person (he, she) or other actor (it, they) named; "they" for two
        actors named together ("Turkey and Russia ... they") is the pair."""
        if pronoun.lower_ in RELATIVES and pronoun.head.dep_ == "relcl":
            return self._actor(pronoun.head.head)
        want_person = pronoun.lower_ in PERSON_PRONOUNS
        candidates: list[tuple[int, int, Entity]] = []
        floor = docview.sentence_of(self.doc, pronoun.i).start_char - 600
        for s, e, entity in self.mentions.starting(floor, pronoun.idx):
            if want_person != (entity.type == "PERSON") or entity.type == "LOCATION":
                continue  # (a seat of power named as a place is no antecedent either)
            if self._acts(entity, s, e):
                candidates.append((s, e, entity))
        if not candidates:
            return None
        best = max(candidates, key=lambda c: c[0])
        subject = self._subject_before(pronoun)
        if subject is not None:
            chosen = [c for c in candidates if subject.start_char <= c[0] < subject.end_char]
            if chosen:
                best = chosen[-1]
        if pronoun.lower_ in ("they", "them", "their"):
            token = self.doc.char_span(best[0], best[1], alignment_mode="expand")
            root = token.root if token is not None else None
            other = next((c for c in root.children if c.dep_ == "conj"), None) if root else None
            partner = self._actor(other) if other is not None else None
            if partner is not None and partner.entity.id != best[2].id:
                self.partners[pronoun.i] = partner.entity  # "Turkey and Russia ... they"
        return self._as_state(_Actor(best[2], pronoun))

    def _subject_before(self, pronoun: Token) -> Span | None:
        """For a subject pronoun that opens its clause, the subject phrase of the clause
        it continues: of the verb that reports it ("X said it ..."), else of the
        sentence before (when no one is named between its start and the pronoun)."""
        if pronoun.dep_ not in ("nsubj", "nsubjpass"):
            return None
        verb = pronoun.head
        subject: Token | None = None
        if verb.dep_ == "ccomp" and verb.head.i != verb.i:
            subject = next((c for c in verb.head.children if c.dep_ in SUBJECTS), None)
        else:
            sent = docview.sentence_of(self.doc, pronoun.i)
            if sent.start == 0 or self.mentions.starting(sent.start_char, pronoun.idx):
                return None
            before = docview.sentence_of(self.doc, sent.start - 1)
            subject = next((t for t in before if t.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.head.dep_ != "ROOT":
                root = before.root
                subject = next((c for c in root.children if c.dep_ in SUBJECTS), subject)
        if subject is None or subject.lower_ in PRONOUNS | FIRST_PERSON | RELATIVES:
            return None
        return self.doc[subject.left_edge.i : subject.i + 1]

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
        if head.i == tok.i:
            return None
        if tok.dep_ == "xcomp":
            controller = next((c for c in head.children if c.dep_ in ("dobj", "dative")), None)
            if controller is not None and head.lemma_ not in ("offer", "promise", "seek"):
                return self._actor(controller)
            return self._source(head, depth + 1)
        if tok.dep_ in ("conj", "advcl", "ccomp"):
            found = self._source(head, depth + 1)
            if found is not None and found.group and tok.dep_ == "ccomp":
                return None  # "..., two people familiar with the plans said": who told it
            return found
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
                if child.dep_ == "compound":  # "a police raid"
                    group = self._group(child)
                    if group is not None:
                        return group
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
        described: _Actor | None = None  # a group the text describes: the last resort
        for place in sense.target:
            found = self._actor(_place(tok, place))
            if found is not None and found.group:
                described = described or found
            elif found is not None and (source is None or found.entity.id != source.entity.id):
                target = found
                break
        if target is None and tok.dep_ == "conj" and tok.head.i in self.by_trigger:
            head_event = self.by_trigger[tok.head.i]  # "suspend Turkey ... and impose sanctions"
            if head_event.target is not None:
                entity = self.by_id.get(head_event.target)
                if entity is not None:
                    target = _Actor(entity, tok.head, written=False)
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
        if described is not None and target is not None and self._placed(target, tok):
            target = None  # "arrested protesters in Flint": the group, not the place
        return target or described, obj

    def _placed(self, actor: _Actor, tok: Token) -> bool:
        """Whether ``actor`` is a place named where the event ``tok`` happened ("in
        Flint", "near Palmyra": a LOCATION that is no seat of power, in a phrase of place
        on the trigger)."""
        entity = actor.entity
        if entity.type != "LOCATION" or (entity.attrs or {}).get("seat_of"):
            return False
        word = actor.head
        while word.head.i not in (word.i, tok.i):
            word = word.head
        return word.head.i == tok.i and word.dep_ == "prep" and word.lower_ in PLACE_PREPS

    def _complement_actor(self, tok: Token, source: _Actor | None) -> _Actor | None:
        """The first actor named in what the trigger governs ("demanded that the DPRK
        forsake ...", "threatened to break relations with Russia", "forces in Lebanon")."""
        mine = self._iso(source) if source else None
        if source is not None and source.entity.type == "PERSON":
            key = self._state_key(source.entity)  # a person's side is their state
            mine = key if key != source.entity.id else None
        parts = [c for c in tok.children if c.dep_ in COMPLEMENTS]
        # "near Palmyra", "outside Aleppo": where it happened, not whom it was done to
        parts = [c for c in parts if not (c.dep_ == "prep" and c.lower_ in NEAR_PREPS)]
        for part in sorted(parts, key=lambda t: t.i):
            for word in part.subtree:
                found = None
                for s, e, entity in self.mentions.containing(word.idx):
                    # what is acted on may be a place ("fired at targets in Jericho"), a
                    # place never acts; a phrase of place is no name ("Near Palmyra")
                    if entity.type in ACTOR_TYPES and not starts_with_place_word(self.text[s:e]):
                        found = entity
                        break
                if found is None:
                    continue
                if word.dep_ in ("amod", "compound") and not sector_of(word.head):
                    # "acquisition of Russian S-400 systems": the state, not the words
                    state = self._as_state(_Actor(found, word))
                    found = state.entity if state is not None else found
                if source is not None and found.id == source.entity.id:
                    continue
                iso = (found.attrs or {}).get("iso3") or (found.attrs or {}).get("country")
                if mine is not None and iso == mine and found.type != "PERSON":
                    continue
                return _Actor(found, word)
        # the other of a pair ("the two leaders discussed ...": one with the other)
        partner = self.partners.get(source.head.i) if source is not None else None
        if source is not None and partner is not None and partner.id != source.entity.id:
            return _Actor(partner, tok, written=False)
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
            return _Actor(seller, tok, written=False) if seller else None
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
        return self._as_state(_Actor(best, tok, written=False)) if best else None

    @staticmethod
    def _iso(actor: _Actor) -> str | None:
        if actor.group:
            return None
        attrs = actor.entity.attrs or {}
        value = attrs.get("iso3") or attrs.get("country")
        return str(value) if value else None

    def _code_of(
        self, actor: _Actor | None, on: dt.date | None, where: str | None = None
    ) -> str | None:
        """The actor's code: ISO3 (or an IGO's code) plus the sector its phrase names
        ("Turkish officials" -> TURGOV, "Israeli riot police" -> ISRCOP, the defense
        ministry -> GOVMIL), a person's office on the day (Erdogan -> TURGOV), an
        organisation's kind (a company BUS, a militia REB). A demonym that codes an event
        takes the state's name (``attrs.demonym`` keeps the word): the report then shows
        the state, as it shows the state's kb id, which the demonym's entity carries. A
        demonym of a people ("ethnic Albanians") is coded as no state."""
        if actor is None:
            return None
        if actor.group:
            # a described group: its sector, of the country the event happened in
            # (``where``: "killed 23 people in Tel Aviv"), else of the article's home
            # state ("police" in a Flint story: USACOP), else the sector alone, as CAMEO
            # codes an agent of no known country ("COP")
            home = where if isinstance(where, str) and len(where) == 3 else self.home
            return f"{home or ''}{sector_of(actor.head)}" or None
        entity = actor.entity
        attrs = entity.attrs or {}
        country: str | None = attrs.get("iso3") or attrs.get("country") or attrs.get("seat_of")
        sector = ""
        if entity.type == "IGO":
            return str(attrs.get("code") or entity.name)
        if entity.type == "NORP" and country and self._ethnic(actor):
            country = None
        elif entity.type == "NORP" and country and "demonym" not in attrs:
            state = get_kb().state(country)
            if state is not None and entity.kb_id == state.kb_id:
                entity.attrs = {**attrs, "demonym": entity.name}
                entity.name = state.name
        if entity.type == "PERSON" and not entity.kb_id:
            # "Hungarian Foreign Minister Peter Szijjarto", "Massachusetts Sen. Elizabeth
            # Warren": the state and the office before the name of a person the knowledge
            # base does not know, in any of its mentions
            country, sector = self._person_title(entity)
            if not country:
                coded = dictionary_code(_names(entity), on)
                if coded:
                    return coded
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
        sector = sector or sector_of(actor.head)
        if entity.type == "ORGANIZATION" and entity.kb_id:
            known = get_kb().by_kb_id(entity.kb_id)
            table = known.id.split(":")[0] if known is not None else ""
            kind = str(known.attrs.get("kind") or "") if known is not None else ""
            word = GROUP_AGENT.get(kind) if table == "group" else TABLE_AGENT.get(table)
            sector = sector or (agent_sector(word) if word else "")
            if not country and table == "group":
                country = NO_COUNTRY  # a group of no one country ("Islamic State": IMG)
        if entity.type in ("NORP", "ORGANIZATION") and not country:
            # "Republicans", "the GOP", "Tories": a party and its members
            party = next(filter(None, map(party_code, _names(entity))), "")
            if party:
                return party if sector in ("", "PTY") else f"{party[:3]}{sector}"
        if entity.type in ("ORGANIZATION", "MEDIA") and not country:
            # an organisation the field's actor dictionaries know ("FBI": USACOP), on the day
            coded = dictionary_code(_names(entity), on)
            if coded:
                return coded
        if entity.type == "ORGANIZATION" and not country:
            # "the Vietnamese Ministry of Health", "the U.S. Court of Appeals": the state
            # the organisation's own name gives
            country = self._state_in_name(entity.name)
            if country:
                sector = sector or phrase_sector(entity.name)
        if not country and self.home and entity.type in ("PERSON", "ORGANIZATION"):
            # nothing codes it: a person of the article's home state ("Bernie Sanders" in
            # a story of Iowa and New Hampshire), a body of its state by the word for it
            # ("the House", "the Supreme Court"); a company or a group stays uncoded
            if entity.type == "ORGANIZATION":
                sector = sector or phrase_sector(entity.name)
                if sector[:3] in HOME_SECTORS:
                    country = self.home
            elif not entity.kb_id:
                country = self.home
        return f"{country}{sector}" if country else None

    def _person_title(self, entity: Entity) -> tuple[str | None, str]:
        """The state and the sector the words before a person's name give, read over all
        its mentions: a state, demonym, region of a state or party word ("Hungarian",
        "Massachusetts", "Republican": the first mention that names one wins) and an
        office ("Foreign Minister" GOV, "Sen." LEG, "presidential candidate" PTY)."""
        country: str | None = None
        sector = ""
        for m in entity.mentions:
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            head = span.root
            if head.left_edge.i < span.start:
                words = self.doc[head.left_edge.i : span.start]
                found = self._state_before(words)
                if found and country is None:
                    country, sector = found, title_sector(head) or sector
                else:
                    sector = sector or title_sector(head)
            for child in head.children:
                # "Sen. Bernie Sanders of Vermont"; "Joe Manchin, a Democrat"; "Ted
                # Nordhaus, the Ohio governor"
                if child.dep_ == "prep" and child.lower_ == "of":
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    if not objects:
                        continue
                    after = self.doc[objects[0].left_edge.i : objects[0].i + 1]
                elif child.dep_ == "appos":
                    after = self.doc[child.left_edge.i : child.right_edge.i + 1]
                else:
                    continue
                found = self._state_before(after)
                if found and country is None:
                    country = found
                if child.dep_ == "appos":
                    sector = sector or sector_of(child)
            if country and sector:
                break
        return country, sector

    def _state_before(self, words: Span) -> str | None:
        """The state named among ``words`` (the words before a person's name): a state or
        its demonym, a region the knowledge base places in a state, a party word."""
        for _s, _e, named in self.mentions.overlapping(words.start_char, words.end_char):
            attrs = named.attrs or {}
            iso = attrs.get("iso3") or attrs.get("country") or attrs.get("seat_of")
            if named.type in ("COUNTRY", "NORP", "LOCATION") and iso:
                return str(iso)
        for word in words:
            party = party_code(word.text)
            if party:
                return party[:3]
        return None

    def _state_in_name(self, name: str) -> str | None:
        """The state a name gives by a demonym ("Vietnamese") or an abbreviation
        ("U.S."); a state's bare name may be a place or a person ("Georgia Tech",
        "Jordan Foundation") and does not count."""
        kb = get_kb()
        for word in name.replace("’s", " ").replace("'s", " ").split():
            for ref in kb.aliases.get(word, []):
                if ref.kind == "demonym" or (ref.kind == "name" and "." in word):
                    known = kb.get(ref.entity_id)
                    iso = known.attrs.get("iso3") if known is not None else None
                    if known is not None and known.type == "COUNTRY" and iso:
                        return str(iso)
        return None

    # ---- when ---------------------------------------------------------------------------
    def _date(self, tok: Token) -> tuple[Timex | None, str | None]:
        """The time expression that dates the event and where it is: "event" (one the
        trigger itself governs), "clause" (one of the verb it hangs on, the reporting
        verb of a reported clause among them, or the only one of the sentence after a
        noun event); (None, None) when the text gives none."""
        probe: Token | None = tok
        for step in range(4):
            if probe is None:
                break
            if probe.i in self.dates:
                return self.dates[probe.i], "event" if step == 0 else "clause"
            # up to the verb it hangs on; a reported clause takes the day it was said
            # ("said on Monday it would return the systems": Monday)
            if probe.dep_ in ("xcomp", "conj", "acl", "ccomp") and probe.head.i != probe.i:
                probe = probe.head
            else:
                break
        if tok.pos_ == "NOUN":
            verb = governing_verb(self.doc[tok.i : tok.i + 1])
            if verb is not None and verb.i in self.dates:
                return self.dates[verb.i], "clause"
        sent = docview.sentence_of(self.doc, tok.i)
        inside = [
            t
            for t in self.timex_at.starting(sent.start_char, sent.end_char + 160)
            if _calendar(t) is not None
        ]
        if tok.pos_ == "NOUN" and len(inside) == 1 and inside[0].start > tok.idx:
            return inside[0], "clause"
        return None, None


def _names(entity: Entity) -> list[str]:
    """The names to look an actor up by: its name, then its mentions of two words or more
    ("Clinton" alone may be another Clinton)."""
    names = [entity.name]
    for m in entity.mentions:
        if len(m.text.split()) > 1 and m.text not in names:
            names.append(m.text)
    return names


def _named(event: Event, side: str) -> bool:
    """Whether the event names its ``side`` ("source", "target"): an entity or a
    described group."""
    return bool(getattr(event, side) or getattr(event, f"{side}_phrase"))


def _completeness(event: Event) -> tuple[int, int, int]:
    """How much an event's telling says: a date of its own (its actors' codes are read on
    that day), then actors and object, then the earliest."""
    named = _named(event, "source") + _named(event, "target") + (event.object is not None)
    return _DATE_RANK.get(event.date_source, 0), named, -event.trigger.start


def _dates_by_verb(doc: Doc, timexes: list[Timex]) -> dict[int, Timex]:
    """The calendar time expression each verb (or event noun) governs, by token index."""
    out: dict[int, Timex] = {}
    for timex in timexes:
        if _calendar(timex) is None:
            continue
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        if span is None:
            continue
        verb = governing_verb(span)
        if verb is not None:
            out.setdefault(verb.i, timex)
        head = span.root.head
        if head.dep_ == "prep":
            head = head.head
        if head.pos_ == "NOUN":
            out.setdefault(head.i, timex)
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


def _phrase(head: Token) -> Span:
    """The words that name an actor: its noun phrase up to the head, from after the last
    punctuation before the head and without a leading article ("riot police" in "the
    riot police", "Police" in "FLINT, Mich. — Police")."""
    doc = head.doc
    start = head.i
    while start > head.left_edge.i and not (doc[start - 1].is_punct or doc[start - 1].is_space):
        start -= 1
    while start < head.i and doc[start].pos_ == "DET":
        start += 1
    return doc[start : head.i + 1]


def _objects(tok: Token) -> list[Token]:
    passive = any(c.dep_ == "nsubjpass" for c in tok.children)
    deps = ("nsubjpass",) if passive else ("dobj", "obj", "attr")
    return [c for c in tok.children if c.dep_ in deps]


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
            # "to" after give-type verbs is labelled dative ("provide arms to Kyiv")
            preposition = child.dep_ in ("prep", "agent") or (
                child.dep_ == "dative" and child.pos_ == "ADP"
            )
            if preposition and child.lower_ == word:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return None


def _chain(tok: Token) -> list[Token]:
    """The trigger and the verbs it hangs on through infinitives and coordination."""
    out = [tok]
    probe = tok
    for _ in range(3):
        if probe.dep_ in ("xcomp", "conj") and probe.head.i != probe.i:
            probe = probe.head
            out.append(probe)
        else:
            break
    return out


def _verbal_attack(tok: Token, source: _Actor | None, target: _Actor | None) -> bool:
    """Whether an attack is one of words: a verb that news uses for both ("attacked",
    "hit", "slammed") with a named person attacking a named person or a party
    ("Cruz attacked Clinton", "Trump hit Republicans"), and no weapon or unit in the
    clause. Persons named in news attack persons with words; armed attacks on them have
    a weapon, a unit or a place."""
    if tok.lemma_.lower() not in VERBAL_ATTACK or source is None or target is None:
        return False
    if source.entity.type != "PERSON" or target.entity.type not in (
        "PERSON",
        "NORP",
        "ORGANIZATION",
    ):
        return False
    if target.entity.type != "PERSON" and not party_code(target.entity.name):
        return False
    return not any(t.lemma_.lower() in ARMED_WORDS for t in tok.subtree if t.i != tok.i)


def _speech_act(tok: Token) -> str | None:
    """How the clause of ``tok`` frames it: a stated intention ("will release", "is
    willing to withdraw", "pledged to send"), a refusal ("will not accept"), a demand
    ("must hand over"), or nothing (a report of what happened). A noun event takes the
    frame of the verb it is the object of ("will extend the curfew", "would tighten the
    naval blockade")."""
    if tok.pos_ == "NOUN" and tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
        return _speech_act(tok.head)
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
    if tok.dep_ == "xcomp" and head.i != tok.i:
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
