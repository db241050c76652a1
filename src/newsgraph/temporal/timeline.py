"""The article's timeline: its dated statements in time order.

1. Each time expression that places something on the calendar (a date, a week, an
   anchored duration such as "two days later", a deadline such as "within four to six
   months" told in the future) dates the clause of the verb that governs it.
2. A clause with no date of its own that a consequence cue ties to a dated one
   ("..., which Turkey purchased in 2017, ... prompting the U.S. to suspend Turkey")
   is placed after it. The cues are data: ``data/sequence_cues.tsv``.
3. An approximate restatement of an exactly dated statement ("acquired nearly a decade
   ago" beside "purchased in 2017": the verbs are of one class in
   ``data/event_classes.tsv``) joins it instead of standing alone.
4. Entries are ordered by the last day they can fall on, then by their place in the text.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Final

from spacy.tokens import Doc, Span, Token

from ..datafile import read_table
from ..report import Quote, TimelineEntry, Timex
from ..report import Span as RSpan
from ..text import docview
from ..text.sentences import statement_sentence
from ..text.spanindex import SpanIndex
from ..text.tense import governing_verb, tense_of
from ..timevalues import add_months, parse_value

#: dependency labels whose subtrees a clause label leaves out (and at its top, conj/cc)
SKIP_DEPS: Final = frozenset(
    {"advcl", "relcl", "ccomp", "parataxis", "punct", "mark", "appos", "dep", "meta"}
)
TOP_SKIP: Final = SKIP_DEPS | {"conj", "cc"}
MAX_LABEL_TOKENS: Final = 24
#: prepositions that make a future duration a deadline ("within six months")
DEADLINE_PREPS: Final = frozenset({"within", "in", "by"})
_DURATION: Final = re.compile(r"^P(?:(\d+(?:\.\d+)?)([YMWDQ]))$")


@cache
def sequence_cues() -> dict[str, str]:
    """cue lemma -> relation of its complement to the dated clause (after, before)."""
    rows = read_table("newsgraph.temporal", "sequence_cues.tsv", ["cue", "relation"])
    table = {cue: relation for cue, relation in rows}
    if set(table.values()) - {"after", "before"}:
        raise ValueError("sequence_cues.tsv: relation must be after or before")
    return table


@cache
def event_classes() -> dict[str, str]:
    """verb lemma -> its class (verbs of one class can name the same happening)."""
    rows = read_table("newsgraph.temporal", "event_classes.tsv", ["class", "lemmas"])
    return {lemma: name for name, lemmas in rows for lemma in lemmas.split("|")}


def _text(tokens: list[Token]) -> str:
    """The tokens as text: one space wherever the text had space or a gap."""
    while tokens and tokens[-1].text in (".", ",", ";", ":", "!", "?", "—", "–", "-"):
        tokens = tokens[:-1]
    parts: list[str] = []
    for prev, tok in zip([None, *tokens], tokens, strict=False):
        if prev is not None and (prev.whitespace_ or tok.i != prev.i + 1):
            parts.append(" ")
        parts.append(tok.text)
    return re.sub(r"\s+", " ", "".join(parts)).strip(" ,;:—–-‘’'\"“”")


def _phrase(
    head: Token, skip_top: frozenset[str] = TOP_SKIP, keep_span: Span | None = None
) -> list[Token]:
    """``head``'s subtree without subordinate clauses, in text order (always keeping
    ``keep_span`` and the hyphens inside words)."""
    keep: list[Token] = []

    def wanted(child: Token, top: bool) -> bool:
        if keep_span is not None and keep_span.start <= child.i < keep_span.end:
            return True
        if child.dep_ == "punct" and child.text in ("-", "/") and not child.whitespace_:
            return True
        return child.dep_ not in (skip_top if top else SKIP_DEPS)

    def walk(tok: Token, top: bool) -> None:
        keep.append(tok)
        for child in tok.children:
            if wanted(child, top):
                walk(child, False)

    walk(head, True)
    return sorted(keep, key=lambda t: t.i)


def clause_label(verb: Token, timex: Span | None = None) -> str:
    """A short phrase for the clause of ``verb``: who did what (and when)."""
    while verb.dep_ == "xcomp" and not any(c.dep_.startswith("nsubj") for c in verb.children):
        verb = verb.head  # "to meet again in March" -> "officials are expected to meet ..."
    tokens = _phrase(verb, keep_span=timex)
    first = verb
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    if first.dep_ in ("relcl", "acl") and first.head.pos_ in ("NOUN", "PROPN"):
        noun = [t for t in _phrase(first.head) if t.i < first.head.i + 1]
        # a later conjunct keeps its own words: "Trump ... sworn in on January 20, 2025"
        tail = tokens if first.i == verb.i else [t for t in tokens if t.i >= verb.i]
        tokens = noun + tail
    if len(tokens) > MAX_LABEL_TOKENS:  # the words nearest the verb, and the date
        near = sorted(tokens, key=lambda t: abs(t.i - verb.i))[:MAX_LABEL_TOKENS]
        if timex is not None:
            near += [t for t in timex if t not in near]
        return _text(sorted(near, key=lambda t: t.i)) + " …"
    return _text(tokens)


def _range(
    timex: Timex, published: dt.date | None, verb: Token | None
) -> tuple[dt.date, dt.date | None, str, str] | None:
    """(first day, last day, relation, value) a time expression places a clause in."""
    if timex.type in ("DATE", "TIME"):
        point = parse_value(timex.value)
        if point is None or point.gran in ("C", "E"):
            return None
        relation = "about" if timex.mod == "APPROX" else "on"
        return point.day, point.end, relation, timex.value
    if timex.type != "DURATION":
        return None
    if timex.refers_to:
        point = parse_value(timex.refers_to)
        return (point.day, point.end, "on", timex.refers_to) if point else None
    if published is None or verb is None:
        return None
    doc = verb.doc
    span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
    if span is None or span.start == 0 or doc[span.start - 1].lower_ not in DEADLINE_PREPS:
        return None
    if tense_of(span) != "FUTURE":
        return None
    low = _after(published, timex.value)
    high = _after(published, timex.upper) if timex.upper else low
    if low is None or high is None:
        return None
    window = high.isoformat() if low == high else f"{low.isoformat()}/{high.isoformat()}"
    if doc[span.start - 1].lower_ == "in":  # "in three years": about then
        return low, high, "about", window
    if not timex.upper:  # "within three years": any day from now until then
        low = published
    return low, high, "by", window


def _after(day: dt.date, duration: str) -> dt.date | None:
    m = _DURATION.match(duration)
    if not m or "." in m[1]:
        return None
    n, unit = int(m[1]), m[2]
    try:
        if unit in ("Y", "Q", "M"):
            return add_months(day, n * {"Y": 12, "Q": 3, "M": 1}[unit])
        return day + dt.timedelta(days=n * (7 if unit == "W" else 1))
    except OverflowError:  # beyond the calendar
        return None


def build_timeline(
    doc: Doc, timexes: list[Timex], quotes: list[Quote], published: dt.date | None
) -> list[TimelineEntry]:
    """The dated statements of ``doc`` in time order; sets each quote's ``date``: the day
    it was said, from a time expression of its reporting verb ("said on Monday")."""
    entries: list[tuple[TimelineEntry, int, Token | None]] = []
    quote_at = SpanIndex(quotes, lambda q: (q.content.start, q.content.end))
    cue_at = SpanIndex([q for q in quotes if q.cue], lambda q: (q.cue.start, q.cue.end))  # type: ignore[union-attr]
    for timex in timexes:
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        if span is None:
            continue
        verb = governing_verb(span)
        try:
            placed = _range(timex, published, verb)
        except (ValueError, OverflowError):  # a date at the calendar's edge
            continue
        if placed is None:
            continue
        start, end, relation, value = placed
        if relation == "on" and span.start and doc[span.start - 1].lower_ == "since":
            # "has lived there since 2014": from then until the article's day (or open)
            relation, end = "during", published
            value = f"{value}/{published.isoformat()}" if published else value
        sentence = statement_sentence(doc, span[0])
        if verb is not None and sentence.start <= verb.i < sentence.end:
            label = clause_label(verb, span)
        else:
            label = _text(list(sentence))
            if len(sentence) > MAX_LABEL_TOKENS:
                label = _text(list(sentence)[:MAX_LABEL_TOKENS]) + " …"
        # a date of the reporting verb is when the quote was said ("said on Monday it
        # would return": Monday); one inside the quote dates what it tells of
        said = cue_at.first_containing(verb.idx) if verb is not None else None
        if said is not None and said.date is None and not quote_at.containing(timex.start):
            said.date = value
        quote = quote_at.first_containing(timex.start) or said
        entries.append(
            (
                TimelineEntry(
                    start.isoformat(),
                    end.isoformat() if end else None,
                    relation,  # type: ignore[arg-type]
                    value,
                    label,
                    _span(sentence),
                    RSpan(timex.start, timex.end, timex.text),
                    quote.id if quote else None,
                ),
                timex.start,
                verb,
            )
        )
    entries = _join_ranges(doc, entries)
    entries += _consequences(doc, entries, quote_at)
    merged = _merge_restatements(entries)
    merged.sort(key=lambda item: (_sort_day(item[0]), item[1]))
    return [entry for entry, _, _ in merged]


_RANGE_LINK: Final = re.compile(r"\s*(?:to|until|till|through|and|-|–|—)\s*", re.IGNORECASE)
_DAY_TAIL: Final = re.compile(r"[-–](\d{1,2})\b")


def _join_ranges(
    doc: Doc, entries: list[tuple[TimelineEntry, int, Token | None]]
) -> list[tuple[TimelineEntry, int, Token | None]]:
    """One "during" entry for a stretch: "from 2010 to 2015", "between 1990 and 1995",
    "Jan. 5-7"."""
    text = docview.text(doc)
    out: list[tuple[TimelineEntry, int, Token | None]] = []
    for item in entries:
        entry, _, verb = item
        if entry.relation != "on" or entry.timex is None or entry.end is None:
            out.append(item)
            continue
        tail = _DAY_TAIL.match(text, entry.timex.end)
        if tail and len(entry.value) == 10 and int(tail[1]) > int(entry.value[8:]):
            try:
                last = dt.date.fromisoformat(entry.value[:8] + f"{int(tail[1]):02d}")
            except ValueError:
                last = None
            if last is not None:
                entry.relation, entry.end = "during", last.isoformat()
                entry.value = f"{entry.value}/{last.isoformat()}"
                entry.timex = RSpan(
                    entry.timex.start, tail.end(), text[entry.timex.start : tail.end()]
                )
        if out:
            prev, _, prev_verb = out[-1]
            link = text[prev.timex.end : entry.timex.start] if prev.timex else ""
            before = (
                text[max(0, prev.timex.start - 8) : prev.timex.start].lower() if prev.timex else ""
            )
            joined = (
                prev.relation == "on"
                and (prev_verb.i if prev_verb else -1) == (verb.i if verb else -1)
                and prev.end is not None
                and _RANGE_LINK.fullmatch(link) is not None
                and ("and" not in link.lower() or before.endswith("between "))
                and prev.start <= entry.start
            )
            if joined and prev.timex is not None:
                prev.relation, prev.end = "during", entry.end
                prev.value = f"{prev.value}/{entry.value}"
                prev.timex = RSpan(
                    prev.timex.start, entry.timex.end, text[prev.timex.start : entry.timex.end]
                )
                continue
        out.append(item)
    return out


def _span(span: Span) -> RSpan:
    return RSpan(span.start_char, span.end_char, span.text)


def _consequences(
    doc: Doc,
    entries: list[tuple[TimelineEntry, int, Token | None]],
    quote_at: SpanIndex[Quote],
) -> list[tuple[TimelineEntry, int, Token | None]]:
    """Undated clauses a cue ("prompting", "leading to") ties to a dated one before it."""
    cues = sequence_cues()
    dated_verbs = {verb.i for _, _, verb in entries if verb is not None}
    out: list[tuple[TimelineEntry, int, Token | None]] = []
    for entry, _, verb in entries:
        if verb is None or entry.end is None:
            continue
        sent = docview.sentence_of(doc, verb.i)
        for cue in sent:
            relation = cues.get(cue.lemma_.lower())
            if relation is None or cue.i <= verb.i or cue.i in dated_verbs:
                continue
            if cue.pos_ != "VERB" or any(t.i in dated_verbs for t in cue.subtree if t is not cue):
                continue
            tokens = [t for t in _phrase(cue, SKIP_DEPS) if t is not cue]
            if not tokens:
                continue
            anchor = dt.date.fromisoformat(entry.end)
            day = anchor + dt.timedelta(days=1) if relation == "after" else anchor
            sentence = statement_sentence(doc, cue)
            quote = quote_at.first_containing(cue.idx)
            out.append(
                (
                    TimelineEntry(
                        day.isoformat() if relation == "after" else entry.start,
                        None if relation == "after" else entry.start,
                        relation,  # type: ignore[arg-type]
                        entry.value,
                        _text(tokens),
                        _span(sentence),
                        None,
                        quote.id if quote else None,
                    ),
                    cue.idx,
                    cue,
                )
            )
            dated_verbs.add(cue.i)
    return out


def _merge_restatements(
    entries: list[tuple[TimelineEntry, int, Token | None]],
) -> list[tuple[TimelineEntry, int, Token | None]]:
    """Fold an approximately dated clause into an exactly dated one of the same class
    (the first such, in order, dated within a year of it)."""
    classes = event_classes()
    # the exactly dated clauses by class and year, in order (folding never changes them)
    exact: dict[tuple[str, int], list[int]] = {}
    for n, (o_entry, _, o_verb) in enumerate(entries):
        if o_entry.relation != "on" or o_verb is None or o_entry.end is None:
            continue
        o_kind = classes.get(o_verb.lemma_.lower())
        if o_kind is not None:
            exact.setdefault((o_kind, int(o_entry.start[:4])), []).append(n)
    folded: set[int] = set()
    for n, (entry, _, verb) in enumerate(entries):
        if entry.relation != "about" or verb is None:
            continue
        kind = classes.get(verb.lemma_.lower())
        if kind is None:
            continue
        year = int(entry.start[:4])
        near = [exact[(kind, y)][0] for y in (year - 1, year, year + 1) if (kind, y) in exact]
        if near:
            if entry.timex is not None:
                entries[min(near)][0].also.append(entry.timex)
            folded.add(n)
    return [item for n, item in enumerate(entries) if n not in folded]


def _sort_day(entry: TimelineEntry) -> str:
    if entry.relation in ("after", "during") or entry.end is None:
        return entry.start
    if entry.relation == "before":
        return (dt.date.fromisoformat(entry.start) - dt.timedelta(days=1)).isoformat()
    return entry.end


__all__ = ["build_timeline", "clause_label"]
