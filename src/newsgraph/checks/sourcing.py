"""Sourcing: who the article rests on, and flags after the AP and Reuters rules on
anonymous sources (use them for information, not opinion; say why they are unnamed;
do not let them carry the story; attribute every quotation)."""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from spacy.tokens import Doc

from ..datafile import read_table
from ..report import Flag, Quote, Report, Span

UNNAMED: Final = frozenset({"anonymous_person", "anonymous_group", "unattributed"})
#: Roles that make a group source vague ("analysts suggest", "experts say").
VAGUE_ROLES: Final = frozenset({"analyst", "expert", "observer", "source", "critic", "researcher"})
ORIGIN: Final = "checks.sourcing"


@cache
def opinion_markers() -> frozenset[str]:
    """Words that mark opinion, from ``data/opinion_markers.tsv``."""
    rows = read_table("newsgraph.checks", "opinion_markers.tsv", ["marker"])
    return frozenset(row[0].lower() for row in rows)


def is_unnamed(q: Quote) -> bool:
    """Unnamed: an anonymous or unattributed source, or an outlet relaying one."""
    citing = q.source.get("citing")
    relayed = isinstance(citing, dict) and citing.get("source_kind") in UNNAMED
    return q.source_kind in UNNAMED or relayed


def words(q: Quote) -> int:
    return len(q.content.text.split())


def profile(report: Report) -> dict[str, Any]:
    """Counts of quotes by source kind and the share of quoted words from unnamed sources."""
    by_kind: dict[str, int] = {}
    for q in report.quotes:
        by_kind[q.source_kind] = by_kind.get(q.source_kind, 0) + 1
    total = sum(words(q) for q in report.quotes)
    unnamed = sum(words(q) for q in report.quotes if is_unnamed(q))
    return {
        "quotes": len(report.quotes),
        "by_source_kind": dict(sorted(by_kind.items())),
        "quoted_words": total,
        "unnamed_quoted_words": unnamed,
        "unnamed_share": round(unnamed / total, 3) if total else 0.0,
        "named_sources": len({q.speaker_entity for q in report.quotes if q.speaker_entity}),
    }


def _evidence(q: Quote) -> list[Span]:
    return [s for s in (q.speaker, q.content) if s is not None]


def check(report: Report, doc: Doc | None = None) -> list[Flag]:
    """Sourcing flags with the spans that show them (the parse is not needed)."""
    flags: list[Flag] = []
    prof = profile(report)
    unnamed = [q for q in report.quotes if is_unnamed(q)]
    if prof["quoted_words"] and prof["unnamed_share"] > 0.5:
        speakers = [q.speaker for q in unnamed if q.speaker is not None]
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
                f"Most of the quoted material ({prof['unnamed_share']:.0%} of "
                f"{prof['quoted_words']} quoted words) comes from unnamed sources.",
                evidence,
                origin=ORIGIN,
            )
        )
    markers = opinion_markers()
    opinions: dict[str, tuple[list[str], list[Span]]] = {}  # one flag per unnamed source
    for q in unnamed:
        if q.source_kind == "unattributed" or q.speaker is None:
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
    return flags
