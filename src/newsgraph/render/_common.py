"""Helpers shared by the text and HTML renderers: orderings, labels, truncation."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final
from urllib.parse import urlsplit

from newsgraph.report import Entity, Flag, Report, TimelineEntry

#: The order entity types are shown in (most newsworthy first); unknown types go last.
TYPE_ORDER: Final[tuple[str, ...]] = (
    "PERSON",
    "COUNTRY",
    "IGO",
    "ORGANIZATION",
    "MEDIA",
    "MILITARY_SYSTEM",
    "PROGRAM",
    "NORP",
    "LOCATION",
    "EVENT",
    "OTHER",
)

#: Human labels for entity types.
TYPE_LABELS: Final[dict[str, str]] = {
    "PERSON": "Person",
    "COUNTRY": "Country",
    "IGO": "Intergovernmental org.",
    "ORGANIZATION": "Organization",
    "MEDIA": "Media",
    "MILITARY_SYSTEM": "Military system",
    "PROGRAM": "Program",
    "NORP": "Nationality / group",
    "LOCATION": "Location",
    "EVENT": "Event",
    "OTHER": "Other",
}

#: Flag severities, most serious first.
SEVERITY_ORDER: Final[dict[str, int]] = {"error": 0, "warning": 1, "info": 2}

#: Labels of the layers, in report order, as shown in the counts line.
LAYER_LABELS: Final[tuple[tuple[str, str, str], ...]] = (
    ("entities", "entity", "entities"),
    ("quotes", "quote", "quotes"),
    ("timexes", "time expression", "time expressions"),
    ("events", "event", "events"),
    ("claims", "claim", "claims"),
    ("flags", "flag", "flags"),
)


def type_rank(entity_type: str) -> int:
    """Position of a type in :data:`TYPE_ORDER` (unknown types after all known ones)."""
    try:
        return TYPE_ORDER.index(entity_type)
    except ValueError:
        return len(TYPE_ORDER)


def type_label(entity_type: str) -> str:
    """Human label of an entity type."""
    return TYPE_LABELS.get(entity_type, entity_type.replace("_", " ").title())


def types_present(entities: Iterable[Entity]) -> list[str]:
    """The entity types that occur, in display order."""
    return sorted({e.type for e in entities}, key=lambda t: (type_rank(t), t))


def by_prominence(entities: Iterable[Entity]) -> list[Entity]:
    """Entities with the most mentions first, then by name."""
    return sorted(entities, key=lambda e: (-len(e.mentions), e.name.casefold(), e.id))


def sorted_flags(flags: Iterable[Flag]) -> list[Flag]:
    """Flags ordered error > warning > info (stable within a severity)."""
    return sorted(flags, key=lambda f: SEVERITY_ORDER.get(f.severity, len(SEVERITY_ORDER)))


def squash(text: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space."""
    return " ".join(text.split())


def truncate(text: str, limit: int) -> str:
    """``text`` on one line, cut to at most ``limit`` characters at a word boundary."""
    flat = squash(text)
    if len(flat) <= limit:
        return flat
    cut = flat[: max(limit - 1, 1)]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-—–") + "…"


def display_title(report: Report, limit: int = 120) -> str:
    """The article title, or its first non-empty line when it has none."""
    if report.article.title and report.article.title.strip():
        return truncate(report.article.title, limit)
    for line in report.article.text.splitlines():
        if line.strip():
            return truncate(line, limit)
    return "(untitled, empty article)"


def word_count(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an http(s) address that can be a link, else None."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def short_id(article_id: str) -> str:
    """The first 12 characters of an article id."""
    return article_id[:12]


def layer_counts(report: Report) -> list[tuple[int, str]]:
    """``(count, label)`` for every layer, label singular or plural to match."""
    out = []
    for attr, one, many in LAYER_LABELS:
        n = len(getattr(report, attr))
        out.append((n, one if n == 1 else many))
    return out


def entity_names(report: Report) -> dict[str, str]:
    """Entity id -> canonical name."""
    return {e.id: e.name for e in report.entities}


def published_line(report: Report) -> str:
    """``2025-01-20 (given)``, or ``unknown`` when there is no date."""
    a = report.article
    if not a.published:
        return "unknown"
    return f"{a.published} ({a.published_source})" if a.published_source else a.published


def timeline_date(entry: TimelineEntry) -> str:
    """``2017``, ``after 2017``, ``about 2016``, ``by 2028-11-03``, ``by 2026-04-19 –
    2026-06-19``; a relative expression is quoted after its value (``2025-W50 “last
    week”``)."""
    return when(entry.relation, entry.value, entry.timex.text if entry.timex else None)


def when(relation: str, value: str, expression: str | None = None) -> str:
    """A timeline entry's date as a reader sees it (see :func:`timeline_date`)."""
    shown = value.replace("/", " – ")
    if relation != "on":
        return f"{relation} {shown}"
    if expression is not None and not re.search(r"\d", expression):
        shown += f" “{truncate(expression, 30)}”"
    return shown
