"""The Doc extensions our components fill; one per report layer."""

from __future__ import annotations

from typing import Final

from spacy.tokens import Doc

#: Doc attribute -> report layer. Each holds a list of report dataclasses (or None).
LAYER_ATTRS: Final[dict[str, str]] = {
    "ng_entities": "entities",
    "ng_quotes": "quotes",
    "ng_timexes": "timexes",
    "ng_events": "events",
    "ng_claims": "claims",
    "ng_flags": "flags",
}


#: Inputs our components read: the article's publication date (``datetime.date``).
INPUT_ATTRS: Final[tuple[str, ...]] = ("ng_published",)
#: Other outputs: the publication-date window estimated from the text when none is given
#: (``temporal.published.Estimate``), the knowledge base the entities were linked with
#: (``kb.KnowledgeBase``; the checks ask it about offices), the sourcing profile (a dict,
#: the report's ``sourcing``), the timeline (``report.TimelineEntry`` list) and the main
#: places (the report's ``places``).
OUTPUT_ATTRS: Final[tuple[str, ...]] = (
    "ng_published_estimate",
    "ng_kb",
    "ng_sourcing",
    "ng_timeline",
    "ng_places",
)


def register_extensions() -> None:
    """Register the Doc extensions once (idempotent)."""
    for attr in (*LAYER_ATTRS, *INPUT_ATTRS, *OUTPUT_ATTRS):
        if not Doc.has_extension(attr):
            Doc.set_extension(attr, default=None)


register_extensions()
