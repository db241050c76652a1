"""The offline knowledge base: states, IGOs, office holders, military systems, media.

>>> from newsgraph.kb import get_kb
>>> kb = get_kb()
>>> kb.holder("TUR.head_of_state", on="2025-12-19").person_id
'person:recep-tayyip-erdogan'
"""

from __future__ import annotations

from .base import HEADERS, KnowledgeBase, get_kb
from .model import AliasRef, KBEntity, Membership, Term, slug
from .tsv import KBError

__all__ = [
    "HEADERS",
    "AliasRef",
    "KBEntity",
    "KBError",
    "KnowledgeBase",
    "Membership",
    "Term",
    "get_kb",
    "slug",
]
