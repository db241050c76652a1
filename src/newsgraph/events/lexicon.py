"""The event lexicon (``data/event_lexicon.tsv``) and the actor-sector words
(``data/sectors.tsv``), read once and checked on load."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Final, get_args

from ..datafile import read_table
from ..report import EventType

PLOVER_TYPES: Final = frozenset(get_args(EventType))
#: Kinds the lexicon may name that PLOVER has no category for, and the PLOVER type
#: they are coded as: an arms purchase is material (military) cooperation with the
#: seller, CAMEO 062.
NON_PLOVER: Final[dict[str, tuple[str, str]]] = {"ACQUIRE": ("COOPERATE", "acquire")}
CONDITIONS: Final = ("obj", "prep", "prt", "xcomp", "mod")


@dataclass(frozen=True)
class Sense:
    """One row: a trigger (with a condition) and what it codes."""

    trigger: str
    pos: str  # VERB | NOUN
    condition: tuple[str, frozenset[str]] | None  # (obj|prep|prt|xcomp|mod, words)
    type: str
    mode: str | None
    target: tuple[str, ...]  # dobj, dative, prep:<w>, obj-prep:<w>, none
    object: tuple[str, ...]  # dobj, prep:<w>

    @property
    def specific(self) -> bool:
        return self.condition is not None


def _condition(cell: str, where: str) -> tuple[str, frozenset[str]] | None:
    if not cell:
        return None
    kind, sep, words = cell.partition("=")
    if not sep or kind not in CONDITIONS or not words:
        raise ValueError(f"event_lexicon.tsv: bad condition {cell!r} ({where})")
    return kind, frozenset(w.strip().lower() for w in words.split("|") if w.strip())


def _places(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split("|") if p.strip() and p.strip() != "none")


@cache
def senses() -> dict[tuple[str, str], tuple[Sense, ...]]:
    """(lemma, pos) -> its senses, those with a condition first."""
    rows = read_table(
        "newsgraph.events",
        "event_lexicon.tsv",
        ["trigger", "pos", "condition", "type", "mode", "target", "object"],
    )
    table: dict[tuple[str, str], list[Sense]] = defaultdict(list)
    for trigger, pos, condition, kind, mode, target, obj in rows:
        where = f"{trigger}/{pos}"
        if pos not in ("VERB", "NOUN"):
            raise ValueError(f"event_lexicon.tsv: bad pos {pos!r} ({where})")
        if kind in NON_PLOVER:
            kind, mode = NON_PLOVER[kind][0], mode or NON_PLOVER[kind][1]
        if kind not in PLOVER_TYPES:
            raise ValueError(f"event_lexicon.tsv: bad type {kind!r} ({where})")
        table[(trigger.lower(), pos)].append(
            Sense(
                trigger.lower(),
                pos,
                _condition(condition, where),
                kind,
                mode or None,
                _places(target),
                _places(obj),
            )
        )
    return {k: tuple(sorted(v, key=lambda s: not s.specific)) for k, v in table.items()}


@cache
def sectors() -> dict[str, str]:
    """Head noun lemma -> PLOVER/CAMEO sector code (GOV, MIL, COP, REB, OPP, CVL ...)."""
    rows = read_table("newsgraph.events", "sectors.tsv", ["word", "sector"])
    return {word.lower(): sector for word, sector in rows}


__all__ = ["PLOVER_TYPES", "Sense", "sectors", "senses"]
