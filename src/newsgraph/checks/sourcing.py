"""Sourcing: who the article rests on, and flags after the AP and Reuters rules on
anonymous sources (use them for information, not opinion; say why they are unnamed;
do not let them carry the story; attribute every quotation)."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from typing import Final

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..datafile import read_table
from ..quotes.component import role_table
from ..quotes.sourcing import words
from ..report import Flag, Quote, Report, Span

#: Roles that make a group source vague ("analysts suggest", "experts say").
VAGUE_ROLES: Final = frozenset({"analyst", "expert", "observer", "source", "critic", "researcher"})
ORIGIN: Final = "checks.sourcing"
#: source kinds of sources left unnamed on purpose
ANONYMOUS: Final = frozenset({"anonymous_person", "anonymous_group"})
#: UNNAMED_SOURCES_MAJORITY: more than this share of the attributed quoted words, at
#: least this many words, in two quotes or more (one short anonymous quote in an
#: article of named voices does not carry it)
MAJORITY: Final = 0.5
MAJORITY_WORDS: Final = 25
#: roles that speak on the record for their body, named or not
ON_RECORD: Final = frozenset({"spokesperson"})


#: sources whose word a factive verb turns into established fact: a report, an outlet
REPORTS: Final = frozenset({"media_outlet", "document"})
#: claim kinds that most need a source when the writer states them
NEEDS_SOURCE: Final = frozenset({"numeric", "causal"})
#: a claim this check-worthy, stated in the writer's voice, is worth a source
UNSOURCED_AT: Final = 0.7
#: words by which a sentence gives its source ("according to", "data show")
ATTRIBUTION: Final = frozenset(
    {
        "said",
        "says",
        "according",
        "reported",
        "reportedly",
        "reports",
        "told",
        "cited",
        "citing",
        "data",
        "figures",
        "statistics",
        "survey",
        "study",
        "estimates",
        "estimated",
        "census",
        "records",
        "showed",
        "shows",
    }
)
#: kinds of vague attribution (data/vague_attribution.tsv)
VAGUE_KINDS: Final = frozenset({"reports", "hearsay", "impersonal", "sources"})
#: a word before "reports" that names whose they are ("Reuters reports said")
_NAME_BEFORE: Final = re.compile(r"(?:[A-Z][\w.&-]*|\w+['’]s?)\s+$")

#: how a source kind is named in a message
SOURCE_NAMES: Final = {
    "media_outlet": "a media report",
    "document": "a report",
    "anonymous_person": "an unnamed source",
    "anonymous_group": "unnamed sources",
    "unattributed": "no named source",
}


@cache
def factive_cues() -> frozenset[str]:
    """Reporting verbs that present their content as fact, from ``data/factive_cues.tsv``."""
    return frozenset(
        row[0].lower() for row in read_table("newsgraph.checks", "factive_cues.tsv", ["cue"])
    )


@cache
def vague_patterns() -> list[tuple[re.Pattern[str], str]]:
    """(pattern, kind) of attributions that name no one, from
    ``data/vague_attribution.tsv``."""
    rows = read_table("newsgraph.checks", "vague_attribution.tsv", ["pattern", "kind"])
    out = []
    for pattern, kind in rows:
        if kind not in VAGUE_KINDS:
            raise ValueError(f"vague_attribution.tsv: bad kind {kind!r}")
        out.append((re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE), kind))
    return out


@cache
def opinion_markers() -> frozenset[str]:
    """Words that mark opinion, from ``data/opinion_markers.tsv``."""
    rows = read_table("newsgraph.checks", "opinion_markers.tsv", ["marker"])
    return frozenset(row[0].lower() for row in rows)


def _evidence(q: Quote) -> list[Span]:
    return [s for s in (q.speaker, q.content) if s is not None]


def anonymous(q: Quote) -> bool:
    """A quote that rests on a source the writer chose not to name: an unnamed official,
    expert, source or witness (a role of ``quotes/data/source_roles.tsv``), or an outlet
    relaying one. A quote with no speaker found, or one whose speaker is no source
    ("the clip", "a serial liar"), is not."""
    citing = q.source.get("citing")
    if isinstance(citing, dict) and citing.get("source_kind") in ANONYMOUS:
        return True
    return q.source_kind in ANONYMOUS and q.source.get("role") in person_roles()


@cache
def person_roles() -> frozenset[str]:
    """The roles of unnamed people who speak ("official", "source", "analyst"); not a
    spokesperson, who speaks on the record for a body ("an Upjohn spokesman")."""
    return frozenset(
        role for kind, role in role_table().values() if kind == "person" and role not in ON_RECORD
    )


def carried_by_unnamed(quotes: list[Quote]) -> tuple[float, int, list[Quote]]:
    """(share, words, quotes): how much of the attributed quoted material comes from
    anonymous sources (:func:`anonymous`). Quotes with no speaker found count for
    neither side."""
    attributed = [q for q in quotes if q.source_kind != "unattributed" or anonymous(q)]
    unnamed = [q for q in attributed if anonymous(q)]
    total = sum(words(q) for q in attributed)
    part = sum(words(q) for q in unnamed)
    return (part / total if total else 0.0), part, unnamed


def check(report: Report, doc: Doc | None = None) -> list[Flag]:
    """Sourcing flags with the spans that show them (the parse is not needed)."""
    flags: list[Flag] = []
    share, carried, anonymous_quotes = carried_by_unnamed(report.quotes)
    if share > MAJORITY and carried >= MAJORITY_WORDS and len(anonymous_quotes) >= 2:
        speakers = [q.speaker for q in anonymous_quotes if q.speaker is not None]
        seen: set[tuple[int, int]] = set()
        evidence = []
        for s in speakers:
            if (s.start, s.end) not in seen:
                seen.add((s.start, s.end))
                evidence.append(s)
        flags.append(
            Flag(
                "UNNAMED_SOURCES_MAJORITY",
                "warning",
                f"Most of the attributed quoted material ({share:.0%}, {carried} words in "
                f"{len(anonymous_quotes)} quotes) comes from unnamed sources.",
                evidence,
                origin=ORIGIN,
            )
        )
    markers = opinion_markers()
    opinions: dict[str, tuple[list[str], list[Span]]] = {}  # one flag per unnamed source
    for q in anonymous_quotes:
        if q.speaker is None:
            continue
        tokens = {t.strip(".,;:!?‘’“”\"'").lower() for t in q.content.text.split()}
        hits = sorted(tokens & markers)
        if hits:
            who = " ".join(q.speaker.text.split())
            seen_hits, spans = opinions.setdefault(who, ([], [q.speaker]))
            seen_hits.extend(h for h in hits if h not in seen_hits)
            spans.append(q.content)
    for who, (hits, spans) in opinions.items():
        shown = ", ".join(f"\u201c{h}\u201d" for h in hits[:3])
        flags.append(
            Flag(
                "UNNAMED_SOURCE_OPINION",
                "warning",
                f"An unnamed source ({who}) gives opinion rather than fact ({shown}); "
                "anonymity is meant for information.",
                spans,
                origin=ORIGIN,
            )
        )
    for q in report.quotes:
        role = q.source.get("role")
        if q.source_kind == "anonymous_group" and role in VAGUE_ROLES and q.speaker is not None:
            cue = f" {q.cue.text}" if q.cue else ""
            flags.append(
                Flag(
                    "VAGUE_GROUP_SOURCE",
                    "info",
                    f"A vague group is cited as the source (\u201c{q.speaker.text}{cue}\u201d).",
                    [s for s in (q.speaker, q.cue) if s is not None],
                    origin=ORIGIN,
                )
            )
        if q.source_kind == "unattributed" and q.kind in ("direct", "mixed"):
            flags.append(
                Flag(
                    "UNATTRIBUTED_QUOTE",
                    "warning",
                    "A quotation is not attributed to anyone.",
                    [q.content],
                    origin=ORIGIN,
                )
            )
    flags += vague_attributions(report, flags)
    flags += presented_as_fact(report, doc)
    flags += unattributed_claims(report, doc)
    return flags


def vague_attributions(report: Report, raised: list[Flag] | None = None) -> list[Flag]:
    """Attributions that name no one a reader could check ("according to recent reports",
    "Reports indicate", "reportedly", "it is understood", "sources said"): one flag with
    every phrase as evidence. A phrase already shown by another flag (a vague group of
    sources quoted) is left to it; "reports" right after a name ("Reuters reports said")
    name their source."""
    text = report.article.text
    shown = [(s.start, s.end) for f in raised or [] for s in f.evidence]
    found: list[Span] = []
    for pattern, kind in vague_patterns():
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            if any(a < end and start < b for a, b in shown):
                continue
            if kind in ("reports", "sources") and not m.group().lower().startswith("according"):
                line_start = text.rfind("\n", 0, start) + 1
                before = text[max(line_start, start - 40) : start]
                sentence_start = not before.strip() or before.rstrip()[-1:] in '.!?"“”'
                if not sentence_start and _NAME_BEFORE.search(before):
                    continue  # "Reuters reports said", "the agency's sources said"
            shown.append((start, end))
            found.append(Span(start, end, text[start:end]))
    if not found:
        return []
    found.sort(key=lambda s: s.start)
    phrases = list(dict.fromkeys(" ".join(s.text.split()) for s in found))
    listed = ", ".join(f"\u201c{p}\u201d" for p in phrases[:4])
    more = f" and {len(phrases) - 4} more" if len(phrases) > 4 else ""
    return [
        Flag(
            "VAGUE_ATTRIBUTION",
            "info",
            f"Attributed to no one a reader could check: {listed}{more}.",
            found,
            origin=ORIGIN,
        )
    ]


def _cue_lemma(q: Quote, doc: Doc | None) -> str:
    assert q.cue is not None
    if doc is not None:
        span = doc.char_span(q.cue.start, q.cue.end, alignment_mode="expand")
        verbs = [t for t in span or [] if t.pos_ in ("VERB", "AUX")]
        if verbs:
            return str(verbs[-1].lemma_).lower()
    return q.cue.text.split()[-1].lower() if q.cue.text.split() else ""


def presented_as_fact(report: Report, doc: Doc | None = None) -> list[Flag]:
    """A factive verb ("revealed", "confirmed") on what a media report or a document
    says presents it as established; "reported" or "said" would not. (An official who
    confirms or acknowledges speaks for what they know: not flagged.)"""
    factive = factive_cues()
    flags: list[Flag] = []
    for q in report.quotes:
        if q.cue is None or q.source_kind not in REPORTS:
            continue
        if q.source.get("attribution") == "finding":
            continue  # "a poll shows that": how data are reported, not a report's claim
        lemma = _cue_lemma(q, doc)
        if lemma not in factive:
            continue
        citing = q.source.get("citing")
        kind = citing.get("source_kind") if isinstance(citing, dict) else q.source_kind
        rests = SOURCE_NAMES.get(str(kind), SOURCE_NAMES.get(q.source_kind, "a report"))
        said = q.cue.text
        if q.speaker is not None and 0 <= q.cue.start - q.speaker.end <= 12:
            said = report.article.text[q.speaker.start : q.cue.end]  # "Bloomberg has revealed"
        elif q.speaker is not None:
            said = f"{q.speaker.text} {q.cue.text}"
        flags.append(
            Flag(
                "PRESENTED_AS_FACT",
                "warning",
                f"\u201c{' '.join(said.split())}\u201d presents as established what rests "
                f"on {rests}; a neutral verb (\u201creported\u201d, \u201csaid\u201d) would not.",
                [s for s in (q.speaker, q.cue, q.content) if s is not None],
                origin=ORIGIN,
            )
        )
    return flags


def unattributed_claims(report: Report, doc: Doc | None = None) -> list[Flag]:
    """Check-worthy numeric and causal claims the writer states with no source in the
    sentence or the ones beside it (no quote, no "according to", no "data show"):
    wire copy often gives the source once for two or three sentences."""
    if doc is None:
        return []
    from ..text.sentences import statement_sentences
    from ..text.spanindex import SpanIndex

    sentences = statement_sentences(doc)
    sentence_starts = [s.start_char for s in sentences]  # in order, none overlapping

    quoted = SpanIndex(report.quotes, lambda q: (q.content.start, q.content.end))

    def sourced(sent: SpacySpan) -> bool:
        if any(t.lower_ in ATTRIBUTION for t in sent):
            return True
        return bool(quoted.overlapping(sent.start_char, sent.end_char))

    found: list[Span] = []
    for claim in report.claims:
        if claim.quote is not None or claim.kind not in NEEDS_SOURCE:
            continue
        if claim.checkworthiness < UNSOURCED_AT:
            continue
        k = bisect_right(sentence_starts, claim.start) - 1  # the sentence it starts in
        at = k if k >= 0 and claim.start < sentences[k].end_char else None
        if at is None or any(sourced(s) for s in sentences[max(at - 1, 0) : at + 2]):
            continue
        found.append(Span(claim.start, claim.end, claim.text))
    if not found:
        return []
    said = (
        "claim in the writer's own voice names"
        if len(found) == 1
        else ("claims in the writer's own voice name")
    )
    return [
        Flag(
            "UNATTRIBUTED_CLAIM",
            "info",
            f"{len(found)} check-worthy numeric or causal {said} no source.",
            found[:10],
            origin=ORIGIN,
        )
    ]
