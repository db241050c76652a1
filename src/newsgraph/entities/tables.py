"""Heuristics as data: the tables the entity component reads, validated at import."""

from __future__ import annotations

import unicodedata
from typing import Final

from ..report import ENTITY_TYPES

#: spaCy (OntoNotes) label -> report type, for names the knowledge base does not know.
#: Labels absent here (DATE, TIME, MONEY, PERCENT, QUANTITY, ORDINAL, CARDINAL)
#: are values, not actors: the time layer, not the entity layer, reads dates.
NER_TYPE_MAP: Final[dict[str, str]] = {
    "PERSON": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "ORGANIZATION",
    "NORP": "NORP",
    "EVENT": "EVENT",
    "PRODUCT": "OTHER",
    "LAW": "OTHER",
    "WORK_OF_ART": "OTHER",
    "LANGUAGE": "OTHER",
}

#: Words dropped from the front of an entity mention.
LEADING_DROP: Final[frozenset[str]] = frozenset({"the", "a", "an"})
#: Tokens dropped from the end of an entity mention (possessives, stray punctuation).
TRAILING_DROP: Final[frozenset[str]] = frozenset(
    {"'s", "’s", "'", "’", ",", ".", ";", ":", "-", "—", "–", '"', "“", "”"}
)

for _label, _type in NER_TYPE_MAP.items():
    if _type not in ENTITY_TYPES:  # pragma: no cover - import-time validation
        raise ValueError(f"NER_TYPE_MAP[{_label}] = {_type} is not a report entity type")


def norm_key(name: str) -> str:
    """A matching key: NFKC, casefolded, whitespace collapsed, dots and a leading 'the' gone."""
    s = unicodedata.normalize("NFKC", name).casefold().replace("’", "'")
    s = " ".join(s.split())
    if s.startswith("the "):
        s = s[4:]
    return s.replace(".", "")
