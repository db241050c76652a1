"""``newsgraph_titles_v1``: office titles written before the names of known people, and
what dates their clauses, kept on each person entity (``Entity.titles``,
``Entity.took_office``).

These are the facts of the parse that the office-anachronism check
(:mod:`newsgraph.checks.anachronism`) judges against the knowledge base: read once
here, with the parse, and kept in the report, so a stored report can be checked again
after the knowledge base changes without the text being parsed again.

A title counts when
- it stands right before the name (after an optional country: "Russian President"),
  with no "former", "then-", "ex-", "late" or "-elect"; an ambassador's title names
  the host country ("Ambassador to Turkey Tom Barrack");
- its clause's date is a time adjunct of the same clause ("met ... in September 2024",
  "last week"), not a modifier of a noun ("the 2017 tax law") nor part of a relative
  clause about the person ("Trump, who was reelected in 2024, ..."); without one, the
  present-tense verb the name is the subject of is kept ("President X says").
The article's own words on when a term began ("sworn in on January 20, 2025") are kept
for a person with titles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..report import Entity, Span, Timex, TitledName, TookOffice
from ..text import docview
from ..text.spanindex import SpanIndex
from ..text.tense import governing_verb, verb_tense
from ..text.titles import office_titles

COMPONENT = "newsgraph_titles_v1"
#: words before a title that say the person no longer (or not yet) holds it
QUALIFIERS: Final = frozenset(
    {"former", "ex", "then", "late", "erstwhile", "future", "incoming", "outgoing", "one-time"}
)
#: prepositions by which a date places a clause within it
WITHIN: Final = frozenset({"in", "on", "during", "at", "throughout", "over"})
#: verbs by which an article says when a term began
TERM_START: Final = frozenset({"swear", "inaugurate", "elect", "reelect", "re-elect", "assume"})
MAX_TITLE_WORDS: Final = 4


@dataclass(frozen=True)
class Titled:
    """A title written before a person's name: "U.S. President Donald Trump"."""

    start: int  #: character offset of the title's first word
    kind: str  #: office kind: head_of_state, foreign_minister, ambassador ...
    title: str  #: as written
    owner: str | None  #: ISO3 or IGO code of the country written before it
    host: str | None = None  #: an ambassador's host country ("Ambassador to Turkey")


def _previous(doc: Doc, i: int) -> int:
    """The index of the last non-space token before ``i`` (-1 if none)."""
    i -= 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i


Owners = SpanIndex[tuple[int, int, Entity]]


def owners(entities: list[Entity]) -> Owners:
    """The mentions of the states, nationalities and IGOs, found by position."""
    rows = [
        (m.start, m.end, e)
        for e in entities
        if e.type in ("COUNTRY", "NORP", "IGO")
        for m in e.mentions
    ]
    return SpanIndex(rows, lambda row: (row[0], row[1]))


def _owner(index: Owners, tok: Token) -> str | None:
    """The code of the first state, nationality or IGO (in entity order) a mention of
    which holds ``tok``."""
    found = index.containing(tok.idx)
    if not found:
        return None
    e = found[0][2]
    code = e.attrs.get("iso3") or e.attrs.get("country") or e.attrs.get("code")
    return str(code) if code else None


def titled(doc: Doc, mention: Span, index: Owners) -> Titled | None:
    """The office title written right before ``mention``, if any and unqualified
    (``index``: :func:`owners` of the Doc's entities)."""
    first = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if first is None:
        return None
    nxt = first.end
    if nxt + 1 < len(doc) and doc[nxt].text == "-" and doc[nxt + 1].lower_ == "elect":
        return None
    titles = office_titles()
    end = _previous(doc, first.start)
    host = None
    # "Ambassador to Turkey Tom Barrack": the host country between the title and the name
    to = _previous(doc, end)
    while to >= 0 and _owner(index, doc[to]) is not None and doc[to].lower_ != "to":
        to = _previous(doc, to)
    if to > 0 and doc[to].lower_ == "to" and _owner(index, doc[end]) is not None:
        host, end = _owner(index, doc[end]), _previous(doc, to)
    best: tuple[int, str] | None = None
    start = end
    for _ in range(MAX_TITLE_WORDS):
        if start < 0:
            break
        words = " ".join(t.lower_ for t in doc[start : end + 1] if not t.is_space)
        if words in titles:
            best = (start, words)
        start = _previous(doc, start)
    if best is None:
        return None
    t_start, words = best
    before = _previous(doc, t_start)
    owner = _owner(index, doc[before]) if before >= 0 else None
    if owner is not None:  # step over the country: "U.S. President", "Russian President"
        while before >= 0 and _owner(index, doc[before]) == owner:
            before = _previous(doc, before)
    window = [doc[i].lower_ for i in (before, _previous(doc, before)) if i >= 0]
    if window and window[0] == "-":  # "then-President", "ex-President"
        window = window[1:]
    if any(w.strip("-") in QUALIFIERS for w in window):
        return None
    kind = titles[words]
    if (kind == "ambassador") != (host is not None):
        return None
    return Titled(doc[t_start].idx, kind, doc[t_start : end + 1].text, owner, host)


def _adjunct(span: SpacySpan) -> bool:
    """Is the date a time adjunct ("in September 2024", "last week"), not a modifier of
    a noun ("the 2017 law", "2024's vote")?"""
    root = span.root
    if root.dep_ == "pobj":
        return root.head.lower_ in WITHIN
    return root.dep_ in ("npadvmod", "tmod", "advmod", "obl")


def _subordinate_to(tok: Token, head: Token) -> bool:
    """Does ``tok`` sit in a relative clause or apposition attached to ``head``'s phrase?"""
    for _ in range(12):
        if tok.dep_ in ("relcl", "acl", "appos", "parataxis") and tok.head.i in range(
            head.left_edge.i, head.right_edge.i + 1
        ):
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def clause_date(doc: Doc, mention: Span, timexes: list[Timex]) -> tuple[Timex, SpacySpan] | None:
    """The date the clause that ``mention`` takes part in is placed on, if it has one."""
    name = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if name is None:
        return None
    verb = governing_verb(name)
    if verb is None:
        return None
    sent = docview.sentence_of(doc, name.start)
    best: tuple[int, Timex, SpacySpan] | None = None
    for timex in timexes:
        if timex.type != "DATE" or not sent.start_char <= timex.start < sent.end_char:
            continue
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        if span is None or (governing_verb(span) or name.root).i != verb.i or not _adjunct(span):
            continue
        if _subordinate_to(span.root, name.root):
            continue
        distance = abs(span.start - name.start)
        if best is None or distance < best[0]:
            best = (distance, timex, span)
    return (best[1], best[2]) if best else None


def present_verb(doc: Doc, mention: Span) -> Span | None:
    """The present-tense verb the name is the subject of ("President X says"), if any."""
    name = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    verb = governing_verb(name) if name is not None else None
    if name is None or verb is None or verb_tense(verb) != "PRESENT":
        return None
    if name.root.dep_ not in ("nsubj", "nsubjpass") or name.root.head.i != verb.i:
        return None
    return Span.of(docview.text(doc), verb.idx, verb.idx + len(verb.text))


def took_office(doc: Doc, entity: Entity, timexes: list[Timex]) -> list[TookOffice]:
    """Dated verbs of taking office whose subject is the person, in the order of their
    dates in the text."""
    spans = [(m.start, m.end) for m in entity.mentions]

    def names(tok: Token) -> bool:
        return any(a <= tok.idx < b for a, b in spans)

    found: list[TookOffice] = []
    for timex in timexes:
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        verb = governing_verb(span) if span is not None else None
        if span is None or verb is None or verb.lemma_.lower() not in TERM_START:
            continue
        if not _about(verb, names):
            continue
        start = min(verb.idx, timex.start)
        end = max(timex.end, verb.idx + len(verb.text))
        words = Span.of(docview.text(doc), start, end)
        found.append(TookOffice(words, verb.lemma_.lower(), timex.value))
    return found


def _about(verb: Token, names: Callable[[Token], bool]) -> bool:
    """Is the person the subject of ``verb`` (through conjunctions and a relative clause
    on the name: "Trump, who was reelected in 2024 and sworn in on ...")?"""
    tok = verb
    for _ in range(6):
        if any(names(c) for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")):
            return True
        if tok.dep_ in ("relcl", "acl") and names(tok.head):
            return True
        if tok.dep_ not in ("conj", "relcl", "acl") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def titled_names(doc: Doc, entity: Entity, timexes: list[Timex], index: Owners) -> list[TitledName]:
    """The titled mentions of ``entity``, in mention order, each with its clause's date
    (else its present-tense verb)."""
    text = docview.text(doc)
    out: list[TitledName] = []
    for mention in entity.mentions:
        title = titled(doc, mention, index)
        if title is None:
            continue
        named = Span.of(text, title.start, mention.end)
        dated = clause_date(doc, mention, timexes)
        if dated is not None:
            timex, _ = dated
            date = Span(timex.start, timex.end, timex.text)
            out.append(TitledName(named, title.kind, title.owner, title.host, date, timex.value))
        else:
            out.append(
                TitledName(
                    named, title.kind, title.owner, title.host, present=present_verb(doc, mention)
                )
            )
    return out


class TitleReader:
    """The component: ``titles`` and ``took_office`` of every person entity with a
    knowledge-base id."""

    def __call__(self, doc: Doc) -> Doc:
        entities: list[Entity] = list(doc._.ng_entities or [])
        timexes: list[Timex] = list(doc._.ng_timexes or [])
        index = owners(entities)
        for entity in entities:
            if entity.type != "PERSON" or not entity.kb_id:
                continue
            entity.titles = titled_names(doc, entity, timexes, index)
            entity.took_office = took_office(doc, entity, timexes) if entity.titles else []
        return doc


@Language.factory(
    COMPONENT,
    assigns=["doc._.ng_entities"],
    requires=["doc._.ng_entities", "doc._.ng_timexes", "token.dep", "token.tag"],
)
def make_title_reader(nlp: Language, name: str) -> TitleReader:
    return TitleReader()


__all__ = [
    "COMPONENT",
    "TERM_START",
    "TitleReader",
    "Titled",
    "clause_date",
    "owners",
    "present_verb",
    "titled",
    "titled_names",
    "took_office",
]
