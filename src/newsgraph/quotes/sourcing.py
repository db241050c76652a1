"""The sourcing profile of an article: how many quotes from each kind of source, and how
much of the quoted material comes from unnamed sources. The quotes component writes it
(``doc._.ng_sourcing``; the report's ``sourcing``); the sourcing checks judge it."""

from __future__ import annotations

from typing import Any, Final

from ..report import Quote

#: Source kinds that do not name who speaks.
UNNAMED: Final = frozenset({"anonymous_person", "anonymous_group", "unattributed"})


def is_unnamed(q: Quote) -> bool:
    """Unnamed: an anonymous or unattributed source, or an outlet relaying one."""
    citing = q.source.get("citing")
    relayed = isinstance(citing, dict) and citing.get("source_kind") in UNNAMED
    return q.source_kind in UNNAMED or relayed


def words(q: Quote) -> int:
    return len(q.content.text.split())


def profile(quotes: list[Quote]) -> dict[str, Any]:
    """Counts of quotes by source kind and the share of quoted words from unnamed sources."""
    by_kind: dict[str, int] = {}
    for q in quotes:
        by_kind[q.source_kind] = by_kind.get(q.source_kind, 0) + 1
    total = sum(words(q) for q in quotes)
    unnamed = sum(words(q) for q in quotes if is_unnamed(q))
    return {
        "quotes": len(quotes),
        "by_source_kind": dict(sorted(by_kind.items())),
        "quoted_words": total,
        "unnamed_quoted_words": unnamed,
        "unnamed_share": round(unnamed / total, 3) if total else 0.0,
        "named_sources": len({q.speaker_entity for q in quotes if q.speaker_entity}),
    }


__all__ = ["UNNAMED", "is_unnamed", "profile", "words"]
