"""The publication date estimated from the article itself, when nothing gives it.

Every absolute date the article mentions bounds the publication date: a date told in
the past tense ("was sworn in on January 20, 2025") had begun by then, so
the article is no older than its start; a date told in the future tense ("will meet
in March 2026") had not ended, so the article is no newer than its end. The latest
lower bound and the earliest upper bound above it give a window; the estimate is the
window's start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..report import Flag, Span
from ..timevalues import Point


@dataclass
class Estimate:
    """A window for the publication date and the expressions that set its ends."""

    earliest: dt.date
    latest: dt.date | None  # None: open-ended
    lower_evidence: tuple[int, int]
    upper_evidence: tuple[int, int] | None = None
    #: relative expressions ("last week") that stay unanchored without a date
    unanchored: list[tuple[int, int]] = field(default_factory=list)

    @property
    def width_days(self) -> int | None:
        return (self.latest - self.earliest).days + 1 if self.latest else None


@dataclass(frozen=True)
class Mention:
    """An absolute date in the text: its span, its period and the tense it is told in."""

    start: int
    end: int
    point: Point
    tense: str | None


def estimate(mentions: list[Mention], unanchored: list[tuple[int, int]]) -> Estimate | None:
    """The window the mentions allow (None when no mention bounds it from below)."""
    lowers = [m for m in mentions if m.tense == "PAST"]
    if not lowers:
        return None
    low = max(lowers, key=lambda m: m.point.day)
    uppers = [m for m in mentions if m.tense == "FUTURE" and m.point.end >= low.point.day]
    high = min(uppers, key=lambda m: m.point.end) if uppers else None
    return Estimate(
        earliest=low.point.day,
        latest=high.point.end if high else None,
        lower_evidence=(low.start, low.end),
        upper_evidence=(high.start, high.end) if high else None,
        unanchored=list(unanchored),
    )


def flags(found: Estimate | None, text: str) -> list[Flag]:
    """What a reader should know about a publication date taken from the content."""
    if found is None:
        return []
    low = found.earliest.isoformat()
    evidence = [_span(text, found.lower_evidence)]
    if found.latest is None:
        window = f"on or after {low} (the latest date it reports as past); the window is open"
    else:
        window = f"between {low} and {found.latest.isoformat()} ({found.width_days} days)"
        evidence.append(_span(text, found.upper_evidence or found.lower_evidence))
    message = f"No publication date was given, so it was estimated from the text: {window}."
    if found.unanchored:
        message += (
            f" {len(found.unanchored)} relative time expressions (such as"
            f" '{text[slice(*found.unanchored[0])]}') are left unanchored."
        )
    out = [Flag("PUBLISHED_DATE_ESTIMATED", "warning", message, evidence, origin="temporal")]
    return out


def _span(text: str, bounds: tuple[int, int]) -> Span:
    return Span(bounds[0], bounds[1], text[bounds[0] : bounds[1]])


__all__ = ["Estimate", "Mention", "estimate", "flags"]
