"""The event lexicon and the actor-sector words (``data/sectors.tsv``), read once and
checked on load.

Two tables make the lexicon: ``data/event_lexicon.tsv``, hand-built, and
``data/cameo_lexicon.tsv``, derived from the PETRARCH2 CAMEO verb dictionary and the
PLOVER project's CAMEO-to-PLOVER table by ``scripts/build_event_lexicon.py``. A row
names a trigger lemma (the derived table may list several, ``a|b``), its part of
speech, conditions on the parse that must all hold (``obj=sanction;prep=on``), and what
it codes. For each (lemma, pos) the rows are tried most specific first: more conditions,
then longer phrases. The hand-built table decides first for the words it lists (its
rows encode decisions tested on real articles): their derived rows come after its own,
never with no condition, never where both give the same conditions; they only code
what the hand-built rows leave uncoded. A derived row may say "no event" (type ``-``):
when its conditions hold, the word is not coded.
"""

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
#: condition kinds; ``pp`` is written ``pp:<preposition>=<nouns>``
CONDITIONS: Final = ("obj", "prep", "prt", "xcomp", "mod", "subj", "pp")
#: the type of a derived row that says "not an event"
NO_EVENT: Final = "-"
COLUMNS: Final = ["trigger", "pos", "condition", "type", "mode", "target", "object"]
HAND: Final = "event_lexicon.tsv"
DERIVED: Final = "cameo_lexicon.tsv"


@dataclass(frozen=True)
class Condition:
    """One condition on the parse: its kind, the preposition of a ``pp`` condition, and
    the words it accepts: single words, and phrases (modifiers first, the head last)."""

    kind: str  # obj | subj | prep | prt | xcomp | mod | pp
    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...] = ()
    prep: str = ""

    @property
    def size(self) -> int:
        """The length of its longest value, in words."""
        return max((len(p) for p in self.phrases), default=1)

    @property
    def key(self) -> tuple[str, str, frozenset[str], frozenset[tuple[str, ...]]]:
        return self.kind, self.prep, self.words, frozenset(self.phrases)


@dataclass(frozen=True)
class Sense:
    """One row: a trigger (with its conditions) and what it codes."""

    trigger: str
    pos: str  # VERB | NOUN
    conditions: tuple[Condition, ...]
    type: str  # a PLOVER type, or NO_EVENT
    mode: str | None
    target: tuple[str, ...]  # dobj, dative, prep:<w>, obj-prep:<w>, none
    object: tuple[str, ...]  # dobj, prep:<w>
    table: str = HAND
    #: how specific the row is: its number of conditions, then its words
    rank: tuple[int, int] = (0, 0)

    @property
    def specific(self) -> bool:
        return bool(self.conditions)

    @property
    def condition(self) -> tuple[str, frozenset[str]] | None:
        """The first condition as (kind, words), or None for a bare trigger."""
        if not self.conditions:
            return None
        first = self.conditions[0]
        return first.kind, first.words

    @property
    def event(self) -> bool:
        return self.type != NO_EVENT


def parse_conditions(cell: str, where: str = "") -> tuple[Condition, ...]:
    """``obj=sanction|embargo;pp:on=humanitarian aid`` -> conditions (all must hold)."""
    out: list[Condition] = []
    for part in (p.strip() for p in cell.split(";")):
        if not part:
            continue
        kind, sep, values = part.partition("=")
        kind, _, prep = kind.strip().partition(":")
        if not sep or kind not in CONDITIONS or not values.strip() or bool(prep) != (kind == "pp"):
            raise ValueError(f"bad condition {part!r} ({where})")
        words: set[str] = set()
        phrases: list[tuple[str, ...]] = []
        for value in values.split("|"):
            tokens = tuple(value.lower().split())
            if len(tokens) == 1:
                words.add(tokens[0])
            elif tokens:
                phrases.append(tokens)
        out.append(Condition(kind, frozenset(words), tuple(phrases), prep.strip().lower()))
    return tuple(out)


@cache
def _places(cell: str) -> tuple[str, ...]:
    places = (p.strip() for p in cell.split("|"))
    return tuple(p for p in places if p and p != "none")


def _read(name: str, derived: bool) -> list[Sense]:
    columns = [*COLUMNS, "cameo"] if derived else COLUMNS
    out: list[Sense] = []
    for row in read_table("newsgraph.events", name, columns):
        triggers, pos, condition, kind, mode, target, obj = row[:7]
        where = f"{name}: {triggers}/{pos}"
        if pos not in ("VERB", "NOUN"):
            raise ValueError(f"bad pos {pos!r} ({where})")
        if kind in NON_PLOVER:
            kind, mode = NON_PLOVER[kind][0], mode or NON_PLOVER[kind][1]
        if kind not in PLOVER_TYPES and not (derived and kind == NO_EVENT):
            raise ValueError(f"bad type {kind!r} ({where})")
        conditions = parse_conditions(condition, where)
        places, objects = _places(target), _places(obj)
        rank = (len(conditions), sum(c.size for c in conditions))
        table = DERIVED if derived else HAND
        for trigger in triggers.lower().split("|"):
            out.append(
                Sense(
                    trigger.strip(),
                    pos,
                    conditions,
                    kind,
                    mode or None,
                    places,
                    objects,
                    table,
                    rank,
                )
            )
    return out


def _key(conditions: tuple[Condition, ...]) -> frozenset[object]:
    return frozenset(c.key for c in conditions)


@cache
def triggers() -> dict[tuple[str, str], tuple[Sense, ...]]:
    """(lemma, pos) -> every sense, "no event" rows included, in the order they are
    tried: most specific first, the hand-built table first at equal rank."""
    hand: dict[tuple[str, str], list[Sense]] = defaultdict(list)
    for sense in _read(HAND, derived=False):
        hand[(sense.trigger, sense.pos)].append(sense)
    hand_keys = {k: {_key(s.conditions) for s in v} for k, v in hand.items()}
    derived: dict[tuple[str, str], list[Sense]] = defaultdict(list)
    for sense in _read(DERIVED, derived=True):
        key = (sense.trigger, sense.pos)
        known = hand_keys.get(key)
        if known is not None and (not sense.conditions or _key(sense.conditions) in known):
            continue  # the hand-built rows decide for this word
        derived[key].append(sense)

    def ordered(senses: list[Sense]) -> list[Sense]:
        return sorted(senses, key=lambda s: (-s.rank[0], -s.rank[1]))

    # a word the hand-built table lists is decided by its rows first; the derived rows
    # only add what they leave uncoded ("hold" + a noun the hand-built rows do not name)
    return {
        k: tuple(ordered(hand.get(k, [])) + ordered(derived.get(k, [])))
        for k in sorted(hand.keys() | derived.keys())
    }


@dataclass(frozen=True)
class Choice:
    """The rows of one (lemma, pos) in their order, indexed by what their first condition
    asks for, so that a word with hundreds of rows ("set", "go") is matched by looking
    up what it governs, not by trying every row."""

    senses: tuple[Sense, ...]
    bare: tuple[int, ...]  # the rows without a condition
    keys: tuple[tuple[str, str], ...]  # the (kind, preposition) the first conditions ask
    by_word: dict[tuple[str, str, str], tuple[int, ...]]  # (kind, prep, word) -> rows

    @classmethod
    def of(cls, senses: tuple[Sense, ...]) -> Choice:
        bare: list[int] = []
        by_word: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for i, sense in enumerate(senses):
            if not sense.conditions:
                bare.append(i)
                continue
            first = sense.conditions[0]
            heads = first.words | {p[-1] for p in first.phrases}
            for word in heads:
                by_word[(first.kind, first.prep, word)].append(i)
        keys = tuple(sorted({(k, p) for k, p, _ in by_word}))
        return cls(senses, tuple(bare), keys, {k: tuple(v) for k, v in by_word.items()})


@cache
def choices() -> dict[tuple[str, str], Choice]:
    """(lemma, pos) -> its rows (:func:`triggers`) ready to match."""
    return {key: Choice.of(options) for key, options in triggers().items()}


@cache
def senses() -> dict[tuple[str, str], tuple[Sense, ...]]:
    """(lemma, pos) -> the senses that code an event, those with conditions first."""
    out: dict[tuple[str, str], tuple[Sense, ...]] = {}
    for key, options in triggers().items():
        events = tuple(s for s in options if s.event)
        if events:
            out[key] = events
    return out


@cache
def sectors() -> dict[str, str]:
    """Head noun lemma -> PLOVER/CAMEO sector code (GOV, MIL, COP, REB, OPP, CVL ...)."""
    rows = read_table("newsgraph.events", "sectors.tsv", ["word", "sector"])
    return {word.lower(): sector for word, sector in rows}


__all__ = [
    "NO_EVENT",
    "PLOVER_TYPES",
    "Choice",
    "Condition",
    "Sense",
    "choices",
    "parse_conditions",
    "sectors",
    "senses",
    "triggers",
]
