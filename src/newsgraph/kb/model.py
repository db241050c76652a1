"""What the knowledge base holds: entities, office terms and memberships."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .tsv import date_ceiling, date_floor

AliasKind = Literal["name", "surname", "demonym", "metonym", "class"]


def slug(text: str) -> str:
    """A stable ascii id part: ``Recep Tayyip Erdoğan`` -> ``recep-tayyip-erdogan``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class KBEntity:
    """One thing the KB knows: a state, IGO, person, system, outlet, research body."""

    id: str  #: internal id, e.g. ``state:TUR``, ``person:donald-trump``
    qid: str | None  #: Wikidata QID when known
    name: str
    type: str  #: the report entity type (COUNTRY, IGO, PERSON, MILITARY_SYSTEM, ...)
    aliases: tuple[str, ...] = ()
    attrs: Mapping[str, Any] = field(default_factory=dict)

    @property
    def kb_id(self) -> str:
        """The id reports carry: the QID when known, else ``ngkb:<internal id>``."""
        return self.qid or f"ngkb:{self.id}"


@dataclass(frozen=True)
class AliasRef:
    entity_id: str
    kind: AliasKind


@dataclass(frozen=True)
class Term:
    """One person's term in one office."""

    office: str  #: ``TUR.head_of_state``, ``NATO.secretary_general``, ``USA.ambassador.TUR``
    title: str
    person_id: str
    start: str
    end: str  #: '' while in office
    source: str  #: file:line

    @property
    def start_date(self) -> dt.date:
        return date_floor(self.start) if self.start else dt.date.min

    @property
    def end_date(self) -> dt.date:
        return date_ceiling(self.end) if self.end else dt.date.max

    def holds_on(self, on: dt.date) -> bool:
        """In office on that date (partial dates count generously at both ends)."""
        return self.start_date <= on <= self.end_date

    @property
    def country(self) -> str:
        """The state or IGO whose office this is."""
        return self.office.split(".", 1)[0]

    @property
    def kind(self) -> str:
        """``head_of_state``, ``foreign_minister``, ``ambassador`` ..."""
        return self.office.split(".")[1]

    @property
    def host(self) -> str | None:
        """For ambassadors: where they are posted."""
        parts = self.office.split(".")
        return parts[2] if len(parts) > 2 else None


@dataclass(frozen=True)
class Membership:
    igo: str
    member: str
    start: str
    end: str
    source: str

    def holds_on(self, on: dt.date) -> bool:
        start = date_floor(self.start) if self.start else dt.date.min
        end = date_ceiling(self.end) if self.end else dt.date.max
        return start <= on <= end
