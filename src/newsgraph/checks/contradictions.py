"""Internal contradictions: one fact given two incompatible dates or numbers.

A fact is a verb of a class that names a one-time happening (``event_classes.tsv``:
acquire, sell, agree, start, end) done to one thing, or a count of one thing by
one verb. Two statements of the same fact conflict when their dates cannot overlap,
an approximate date ("nearly a decade ago") allowed a year's slack each way, or when
they count it with different exact numbers ("killed 12 people" ... "killed 15
people"). "Purchased in 2017" and "acquired nearly a decade ago" in December 2025 agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from spacy.tokens import Doc, Token

from ..report import Flag, Report, Span, Timex
from ..temporal.timeline import event_classes
from ..text import docview
from ..text.tense import governing_verb
from ..timevalues import parse_value

ORIGIN: Final = "checks.contradictions"
#: classes of happenings that befall one thing once (a purchase, a signing, a launch);
#: not elections, which repeat
ONCE: Final = frozenset({"acquire", "sell", "agree", "start", "end"})
#: granularities precise enough to compare
DATED: Final = frozenset({"Y", "H", "Q", "S", "M", "W", "WE", "D"})
#: words that make a number approximate or a bound
LOOSE: Final = frozenset(
    {
        "about",
        "around",
        "nearly",
        "almost",
        "roughly",
        "approximately",
        "some",
        "over",
        "more",
        "less",
        "fewer",
        "least",
        "most",
        "up",
        "than",
        "estimated",
        "several",
        "under",
        "below",
        "above",
    }
)
SLACK_DAYS: Final = 366


#: nouns of time: "the quarter ended June 30" names a period, not one thing
PERIODS: Final = frozenset(
    {
        "quarter",
        "year",
        "month",
        "week",
        "day",
        "period",
        "session",
        "term",
        "season",
        "half",
        "semester",
        "decade",
        "century",
        "era",
        "fiscal",
        "time",
    }
)


@dataclass(frozen=True)
class Fact:
    key: tuple[str, ...]
    low: dt.date
    high: dt.date
    span: Span  #: the clause's words that state it (verb to date)
    value: str
    verb: int  #: the verb's token index (one clause with two dates is one statement)
    agent: str  #: who did it, when the clause says ("Turkey", "the walt disney company")


def _thing(verb: Token) -> Token | None:
    """What the happening befalls: the object, the passive subject, or the noun a
    participle describes ("the S-400 system, which Turkey purchased")."""
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass") and child.tag_ not in ("WDT", "WP", "PRP"):
            return child
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    # "the systems—acquired nearly a decade ago—": a participle set off after its noun
    doc, i = verb.doc, verb.i - 1
    if i < 1 or doc[i - 1].pos_ not in ("NOUN", "PROPN") or verb.tag_ not in ("VBD", "VBN"):
        return None
    if doc[i].text in ("—", "–"):
        return doc[i - 1]
    if doc[i].text == "," and not any(c.dep_.startswith("nsubj") for c in verb.children):
        return doc[i - 1]
    return None


def _agent(verb: Token) -> str:
    """Who did it: the active subject or the passive "by" phrase ('' when unsaid)."""
    for child in verb.children:
        if child.dep_ == "nsubj" and child.tag_ not in ("WDT", "WP"):
            return " ".join(t.lower_ for t in child.subtree if t.dep_ != "det")
        if child.dep_ == "agent":
            objs = [g for g in child.children if g.dep_ == "pobj"]
            if objs:
                return " ".join(t.lower_ for t in objs[0].subtree if t.dep_ != "det")
    if verb.dep_ == "relcl":  # "the system, which Turkey purchased"
        for child in verb.children:
            if child.dep_ == "nsubj":
                return " ".join(t.lower_ for t in child.subtree if t.dep_ != "det")
    return ""


def _key(thing: Token) -> str:
    """A thing's identity: its head word ("the S-400 system" ... "the systems")."""
    return thing.lemma_.lower()


def _specific(thing: Token) -> bool:
    """A definite thing ("the systems", "its stake", "Alcatel"), not "a deal" or "more"."""
    if thing.pos_ == "PROPN":
        return True
    dets = [c for c in thing.children if c.dep_ in ("det", "poss")]
    return any(d.dep_ == "poss" or d.lower_ in ("the", "this", "that", "these") for d in dets)


def _words(doc: Doc, verb: Token, timex: Timex) -> Span:
    start = min(verb.idx, timex.start)
    end = max(verb.idx + len(verb.text), timex.end)
    return Span.of(docview.text(doc), start, end)


def date_facts(doc: Doc, timexes: list[Timex]) -> list[Fact]:
    classes = event_classes()
    out: list[Fact] = []
    for timex in timexes:
        if timex.type != "DATE":
            continue
        point = parse_value(timex.value)
        if point is None or point.gran not in DATED:
            continue
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        verb = governing_verb(span) if span is not None else None
        if verb is None:
            continue
        kind = classes.get(verb.lemma_.lower())
        thing = _thing(verb)
        if kind not in ONCE or thing is None or not _specific(thing):
            continue
        if thing.lemma_.lower() in PERIODS or any(c.dep_ == "neg" for c in verb.children):
            continue
        if timex.mod not in (None, "APPROX"):  # "more than four decades ago": a bound
            continue
        low, high = point.day, point.end
        if timex.mod == "APPROX" or (point.gran == "Y" and _approximate(span)):
            low -= dt.timedelta(days=SLACK_DAYS)
            high += dt.timedelta(days=SLACK_DAYS)
        words = _words(doc, verb, timex)
        key = (kind or "", _key(thing))
        out.append(Fact(key, low, high, words, timex.text, verb.i, _agent(verb)))
    return out


def _approximate(span: object) -> bool:
    text = str(span).lower()
    return any(w in text.split() for w in ("nearly", "about", "around", "almost", "some"))


def count_facts(doc: Doc) -> list[tuple[tuple[str, ...], int, Span]]:
    """Exact counts: (verb, subject, thing) -> the number ("killed 12 people")."""
    out: list[tuple[tuple[str, ...], int, Span]] = []
    for tok in doc:
        if tok.dep_ != "nummod" or not tok.text.replace(",", "").isdecimal():
            continue
        thing = tok.head
        verb = thing.head
        if thing.dep_ not in ("dobj", "nsubjpass") or verb.pos_ != "VERB":
            continue
        if any(c.lower_ in LOOSE for c in tok.children) or (
            tok.i > 0 and doc[tok.i - 1].lower_ in LOOSE
        ):
            continue
        if any(c.dep_ == "neg" for c in verb.children):
            continue
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        who = subj[0].lemma_.lower() if subj else ""
        key = ("count", verb.lemma_.lower(), who, thing.lemma_.lower())
        start, end = min(tok.idx, verb.idx), max(thing.idx + len(thing.text), tok.idx)
        out.append((key, int(tok.text.replace(",", "")), Span.of(docview.text(doc), start, end)))
    return out


def check(report: Report, doc: Doc | None = None) -> list[Flag]:
    """A warning for each fact the article dates or counts in two incompatible ways."""
    if doc is None:
        return []
    flags: list[Flag] = []
    facts = date_facts(doc, report.timexes)
    for i, a in enumerate(facts):
        for b in facts[i + 1 :]:
            if a.key != b.key or a.verb == b.verb or (a.low <= b.high and b.low <= a.high):
                continue
            if a.agent and b.agent and a.agent != b.agent:
                continue  # "he bought Pixar in 1986" ... "acquired by Disney in 2005"
            flags.append(
                Flag(
                    "DATE_CONTRADICTION",
                    "warning",
                    f"The article dates one event two ways that cannot both hold: "
                    f"\u201c{a.span.text}\u201d and \u201c{b.span.text}\u201d.",
                    [a.span, b.span],
                    origin=ORIGIN,
                )
            )
    counts = count_facts(doc)
    dated = {t.start for t in report.timexes}
    for i, (key, n, span) in enumerate(counts):
        for key2, n2, span2 in counts[i + 1 :]:
            if key != key2 or n == n2 or not key[2]:
                continue
            if _sentence_dated(doc, span, dated) or _sentence_dated(doc, span2, dated):
                continue  # "sold 5 in 2019 ... sold 8 in 2020": different times
            flags.append(
                Flag(
                    "NUMBER_CONTRADICTION",
                    "warning",
                    f"The article gives two different numbers for one fact: "
                    f"\u201c{span.text}\u201d and \u201c{span2.text}\u201d.",
                    [span, span2],
                    origin=ORIGIN,
                )
            )
    return flags


def _sentence_dated(doc: Doc, span: Span, timex_starts: set[int]) -> bool:
    tok = doc.char_span(span.start, span.end, alignment_mode="expand")
    if tok is None:
        return True
    sent = docview.sentence_of(doc, tok.start)
    return any(sent.start_char <= s < sent.end_char for s in timex_starts)


__all__ = ["Fact", "check", "count_facts", "date_facts"]
