"""``newsgraph_time_v1``: time expressions, typed and normalised to TIMEX3 values.

1. The grammar (``newsgraph.temporal``: ``data/rules.toml`` over ``data/lexicon.tsv``)
   finds every candidate in the text; the longest wins where they overlap.
2. The parse vetoes readings the words alone cannot: ``May`` the modal verb, ``fall``
   the verb, a four-digit number that counts things, "a year" that is not a rate.
3. Each expression is normalised in document order (``temporal.normalise``): relative
   ones on the publication date (``doc._.ng_published``) with the tense of the
   governing verb choosing past or future, news-style references on the last date
   mentioned.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..report import Timex
from ..text import docview
from ..text.tense import tense_of, told_directly
from .grammar import Candidate, candidates, select
from .normalise import Resolver
from .published import Mention, estimate
from .published import flags as published_flags
from .timeline import build_timeline

COMPONENT = "newsgraph_time_v1"
TIMELINE = "newsgraph_timeline_v1"

#: a season word is the season only after one of these ("in the fall", "last fall")
SEASON_LEFT: Final = frozenset(
    {"in", "the", "this", "last", "next", "during", "by", "until", "since", "of", "that", "early"}
)
#: spaCy labels under which a bare four-digit number is a count, not a year
COUNT_LABELS: Final = frozenset({"MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL"})
NAME_LABELS: Final = frozenset({"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "FAC", "LAW"})
NOUNISH: Final = frozenset({"NOUN", "ADJ", "PROPN"})
#: prepositions by which a past-tense verb points at a date that may lie ahead of it
TARGET_PREPS: Final = frozenset({"to", "until", "till", "through", "by", "before", "effective"})


class TimeTagger:
    """The component: fills ``doc._.ng_timexes`` with report :class:`Timex` objects."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.ng_timexes = self.timexes(doc)
        return doc

    def timexes(self, doc: Doc) -> list[Timex]:
        text = docview.text(doc)
        found = [c for c in candidates(text) if _plausible(doc, c)]
        published = doc._.ng_published
        resolver = Resolver(published if isinstance(published, dt.date) else None)
        out: list[Timex] = []
        mentions: list[Mention] = []
        sentence = -1
        parsed = doc.has_annotation("SENT_START")
        for cand in select(found):
            span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            sent_start = docview.sentence_of(doc, span.start).start_char if parsed else 0
            if sent_start != sentence:
                sentence = sent_start
                resolver.new_sentence()
            tense = tense_of(span)
            if tense == "PAST" and span.start and doc[span.start - 1].lower_ in TARGET_PREPS:
                tense = None  # "extended the offer to Nov. 20": the date lies ahead of the verb
            try:
                value = resolver.resolve(cand, tense, told_directly(span))
            except (ValueError, OverflowError, KeyError):  # a date off the calendar
                continue
            if value is None:
                continue
            resolver.note(cand.start, value)
            point = value.point
            absolute = value.anchor is None and value.type == "DATE"
            if point is not None and absolute and point.gran not in ("C", "E"):
                mentions.append(Mention(cand.start, cand.end, point, tense))
            start = cand.start + _leading_determiner(cand)
            out.append(
                Timex(
                    start,
                    cand.end,
                    text[start : cand.end],
                    value.type,  # type: ignore[arg-type]
                    value.value,
                    origin=f"rule:{cand.rule.name}",
                    mod=value.mod,
                    upper=value.upper,
                    anchor=value.anchor,
                    refers_to=value.refers_to,
                )
            )
        if resolver.dct is None:
            loose = [(t.start, t.end) for t in out if t.anchor == "published"]
            window = estimate(mentions, loose)
            doc._.ng_published_estimate = window
            doc._.ng_flags = [*(doc._.ng_flags or []), *published_flags(window, text)]
        return out


_DETERMINER: Final = re.compile(r"(?:the|its|their|his|her|our)\s+", re.IGNORECASE)
_HYPHENATED: Final = re.compile(
    r"\w-(?:year|quarter|month|week|day|hour|minute|ago|earlier)s?$", re.IGNORECASE
)


def _leading_determiner(cand: Candidate) -> int:
    """Characters of a determiner before an adjectival expression ("the 16-hour")."""
    text = cand.groups_text
    m = _DETERMINER.match(text)
    if m and _HYPHENATED.search(text[m.end() :]):
        return m.end()
    return 0


def _tokens(doc: Doc, cand: Candidate) -> Span | None:
    return doc.char_span(cand.start, cand.end, alignment_mode="expand")


def _plausible(doc: Doc, cand: Candidate) -> bool:
    """Parse-based vetoes for readings the grammar alone cannot rule out."""
    name, g = cand.rule.name, cand.groups
    span = _tokens(doc, cand)
    if span is None:
        return False
    first, last = span[0], span[-1]
    if name == "month" and "shift" not in g:
        if first.tag_ == "MD" or first.pos_ == "VERB" or first.ent_type_ in NAME_LABELS:
            return False
        if first.i + 1 < len(doc) and doc[first.i + 1].is_title:  # "April Ryan"
            return first.ent_type_ == "DATE"
    if name in ("weekday", "set_plural_weekday") and first.ent_type_ in NAME_LABELS:
        return False
    if name == "season" and "shift" not in g:
        before = doc[first.i - 1].lower_ if first.i else ""
        if first.pos_ == "VERB" or before not in SEASON_LEFT:
            return False
    if name == "year" and len(span) == 1:
        if first.ent_type_ in COUNT_LABELS or first.ent_type_ in NAME_LABELS:
            return False
        nxt = doc[first.i + 1] if first.i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in ("%", "percent", "per"):
            return False
        if first.dep_ == "nummod" and first.head.tag_ == "NNS":
            return False  # "1990 visitors": a count
    if name == "set_word" and g["setw"].lower().split()[0] in ("a", "an"):
        prev = doc[first.i - 1] if first.i else None
        if prev is None:
            return False
        rate = prev.like_num or prev.lower_ in ("times", "twice", "once", "%", "percent")
        rate = rate or any(c.dep_ == "nummod" for c in prev.children)
        rate = rate or prev.ent_type_ in ("MONEY", "QUANTITY", "PERCENT", "CARDINAL")
        if not rate:
            return False
    if cand.rule.norm == "duration":
        unit = g.get("unit", "").lower()
        nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
        one = g.get("num", "").lower() in ("a", "an", "one")
        if unit.startswith("second") and one and nxt is not None and nxt.pos_ in NOUNISH:
            return False
        if unit.startswith("quarter") and nxt is not None and nxt.lower_ == "of":
            return False
        if unit in ("minute", "second") and nxt is not None and nxt.pos_ == "NOUN":
            return g.get("num", "").lower() not in ("a", "an")
    if name == "fuzzy" and g["fuzzy"].lower() == "now":
        nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ == "that":
            return False
    return True


@Language.factory(
    COMPONENT,
    assigns=["doc._.ng_timexes", "doc._.ng_published_estimate", "doc._.ng_flags"],
    requires=["token.dep", "token.tag", "doc.ents"],
)
def make_time_tagger(nlp: Language, name: str) -> TimeTagger:
    return TimeTagger()


class TimelineBuilder:
    """``newsgraph_timeline_v1``: the article's dated statements in time order
    (``doc._.ng_timeline``), and each quote's ``date``; see :mod:`.timeline`. It runs
    last, so no other component sees the quotes' dates."""

    def __call__(self, doc: Doc) -> Doc:
        published = doc._.ng_published
        anchor = published if isinstance(published, dt.date) else None
        timexes = list(doc._.ng_timexes or [])
        quotes = list(doc._.ng_quotes or [])
        doc._.ng_timeline = build_timeline(doc, timexes, quotes, anchor)
        return doc


@Language.factory(
    TIMELINE,
    assigns=["doc._.ng_timeline"],
    requires=["doc._.ng_timexes", "doc._.ng_quotes", "token.dep"],
)
def make_timeline_builder(nlp: Language, name: str) -> TimelineBuilder:
    return TimelineBuilder()


__all__ = ["COMPONENT", "TIMELINE", "TimeTagger", "TimelineBuilder", "tense_of"]
