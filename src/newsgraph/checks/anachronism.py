"""Office anachronism: a title given to a person on a date outside their term.

"U.S. President Donald Trump at the White House in September 2024": the clause is
dated September 2024, the knowledge base says Donald Trump held the US presidency from
2017-01-20 to 2021-01-20 and from 2025-01-20, and that Joe Biden held it in September
2024. The flag is an error, with the titled name and the date as evidence, and the
article's own word on when the term began ("sworn in on January 20, 2025") when it
gives one.

To keep false alarms out, a title is checked only when
- it stands right before the name (after an optional country: "Russian President"),
  with no "former", "then-", "ex-", "late" or "-elect";
- the date is a time adjunct of the same clause ("met ... in September 2024", "last
  week"), not a modifier of a noun ("the 2017 tax law") nor part of a relative clause
  about the person ("Trump, who was reelected in 2024, ...");
- the person held an office of that title at some time, and the knowledge base knows
  who else held it on that date (a date before the table's coverage says nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..kb import KBEntity, KnowledgeBase, get_kb
from ..kb.model import Term
from ..nlp import docview
from ..nlp.linker import office_titles
from ..nlp.spanindex import SpanIndex
from ..report import Entity, Flag, Report, Severity, Span, Timex
from ..temporal.points import parse_value
from ..temporal.tense import governing_verb, verb_tense

ORIGIN: Final = "checks.anachronism"
#: words before a title that say the person no longer (or not yet) holds it
QUALIFIERS: Final = frozenset(
    {"former", "ex", "then", "late", "erstwhile", "future", "incoming", "outgoing", "one-time"}
)
#: prepositions by which a date places a clause within it
WITHIN: Final = frozenset({"in", "on", "during", "at", "throughout", "over"})
#: granularities a clause can be dated to (not centuries or decades)
DATED: Final = frozenset({"Y", "H", "Q", "S", "M", "W", "WE", "D", "T"})
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

    def fits(self, term: Term) -> bool:
        """Is ``term`` an office this title names?"""
        if term.kind != self.kind or (self.owner is not None and term.country != self.owner):
            return False
        return self.host is None or term.office.endswith(f".{self.host}")


def _previous(doc: Doc, i: int) -> int:
    """The index of the last non-space token before ``i`` (-1 if none)."""
    i -= 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i


Owners = SpanIndex[tuple[int, int, Entity]]


def owners(report: Report) -> Owners:
    """The mentions of the report's states, nationalities and IGOs, found by position."""
    rows = [
        (m.start, m.end, e)
        for e in report.entities
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


def titled(report: Report, doc: Doc, mention: Span, index: Owners | None = None) -> Titled | None:
    """The office title written right before ``mention``, if any and unqualified.

    ``index`` is :func:`owners` of the report (made here when not given)."""
    index = owners(report) if index is None else index
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
        if tok.head is tok:
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


def _person(kb: KnowledgeBase, entity: Entity) -> KBEntity | None:
    if entity.type != "PERSON" or not entity.kb_id:
        return None
    found = kb.by_kb_id(entity.kb_id)
    return found if found is not None and found.type == "PERSON" else None


def _overlaps(term: Term, low: dt.date, high: dt.date) -> bool:
    return term.start_date <= high and low <= term.end_date


def _term_text(term: Term) -> str:
    return f"from {term.start} to {term.end}" if term.end else f"since {term.start}"


def _own_words(doc: Doc, report: Report, entity: Entity, terms: list[Term]) -> list[Span]:
    """Where the article itself says when the person's term began ("sworn in on January
    20, 2025"): dated verbs of taking office whose subject is the person, the one naming
    a term's first day first, then swearing-in before election."""
    spans = [(m.start, m.end) for m in entity.mentions]
    starts = {t.start_date for t in terms}

    def names(tok: Token) -> bool:
        return any(a <= tok.idx < b for a, b in spans)

    found: list[tuple[int, Span]] = []
    for timex in report.timexes:
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        verb = governing_verb(span) if span is not None else None
        if span is None or verb is None or verb.lemma_.lower() not in TERM_START:
            continue
        if not _about(verb, names):
            continue
        point = parse_value(timex.value)
        rank = 0 if point is not None and point.day in starts else 1
        if verb.lemma_.lower() in ("elect", "reelect", "re-elect"):
            rank += 1
        start = min(verb.idx, timex.start)
        end = max(timex.end, verb.idx + len(verb.text))
        found.append((rank, Span.of(docview.text(doc), start, end)))
    return [s for _, s in sorted(found, key=lambda x: (x[0], x[1].start))]


def _about(verb: Token, names: Callable[[Token], bool]) -> bool:
    """Is the person the subject of ``verb`` (through conjunctions and a relative clause
    on the name: "Trump, who was reelected in 2024 and sworn in on ...")?"""
    tok = verb
    for _ in range(6):
        if any(names(c) for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")):
            return True
        if tok.dep_ in ("relcl", "acl") and names(tok.head):
            return True
        if tok.dep_ not in ("conj", "relcl", "acl") or tok.head is tok:
            return False
        tok = tok.head
    return False


@dataclass(frozen=True)
class _When:
    """The date a titled name is checked on, and the words that give it."""

    low: dt.date
    high: dt.date
    said: str  #: "dated September 2024", "used in the present tense on 2025-12-19"
    evidence: Span
    severity: Severity


def _published(report: Report) -> dt.date | None:
    """The publication date when it was given or read from the page (not estimated)."""
    if report.article.published_source not in ("given", "metadata"):
        return None
    try:
        return dt.date.fromisoformat(str(report.article.published)[:10])
    except ValueError:
        return None


def when(report: Report, doc: Doc, mention: Span) -> _When | None:
    """The clause's own date, else the publication day for a clause in the present
    tense ("President Joe Biden says ..." in an article of 2025): the latter is a
    warning, as the tense is read from the parse."""
    dated = clause_date(doc, mention, report.timexes)
    if dated is not None:
        timex, _ = dated
        point = parse_value(timex.value)
        if point is None or point.gran not in DATED:
            return None
        span = Span(timex.start, timex.end, timex.text)
        return _When(point.day, point.end, f"is dated {timex.text}", span, "error")
    on = _published(report)
    name = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    verb = governing_verb(name) if name is not None else None
    if on is None or name is None or verb is None or verb_tense(verb) != "PRESENT":
        return None
    if name.root.dep_ not in ("nsubj", "nsubjpass") or name.root.head.i != verb.i:
        return None  # only the subject of a present-tense verb: "President X says"
    span = Span.of(docview.text(doc), verb.idx, verb.idx + len(verb.text))
    said = f"is the subject of \u201c{verb.text}\u201d, present tense, on {on.isoformat()}"
    return _When(on, on, said, span, "warning")


def check(report: Report, doc: Doc | None = None) -> list[Flag]:
    """A flag for every title the knowledge base shows was not the person's on the date
    of the clause it appears in (an error), or on the publication day of a present-tense
    clause (a warning)."""
    if doc is None:
        return []
    kb_obj = doc._.ng_kb if doc.has_extension("ng_kb") else None
    kb = kb_obj if isinstance(kb_obj, KnowledgeBase) else get_kb()
    flags: list[Flag] = []
    index = owners(report)
    for entity in report.entities:
        person = _person(kb, entity)
        if person is None:
            continue
        terms = kb.roles(person)
        if not terms:
            continue
        for mention in entity.mentions:
            title = titled(report, doc, mention, index)
            if title is None:
                continue
            same = [t for t in terms if title.fits(t)]
            if not same:
                continue
            date = when(report, doc, mention)
            if date is None or any(_overlaps(t, date.low, date.high) for t in same):
                continue
            office = same[-1].office
            other = kb.holder(office, date.low) or kb.holder(office, date.high)
            if other is None or other.person_id == person.id:
                continue  # the table does not reach back that far
            holder = kb.get(other.person_id)
            named = Span.of(docview.text(doc), title.start, mention.end)
            evidence = [named, date.evidence]
            own = _own_words(doc, report, entity, same)[:2]
            evidence += own
            said = ""
            if own:
                said = f"; the article itself has \u201c{own[0].text}\u201d"
            terms_text = " and ".join(_term_text(t) for t in same)
            flags.append(
                Flag(
                    "OFFICE_ANACHRONISM",
                    date.severity,
                    f"\u201c{' '.join(named.text.split())}\u201d {date.said}, but "
                    f"{person.name} did not hold that office then"
                    + (f" ({holder.name} did)" if holder else "")
                    + f": the knowledge base has {person.name} in it {terms_text}{said}.",
                    evidence,
                    origin=ORIGIN,
                )
            )
    return flags


__all__ = ["check", "clause_date", "titled"]
