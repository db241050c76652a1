"""CAMEO actor codes for names the knowledge base does not know, as of a date.

``data/actors.tsv`` maps about 29,000 names of persons and organisations (leaders and
officials, ministries and agencies, international organisations, NGOs, companies, armed
groups) to CAMEO actor codes with the dates they hold: "hillary clinton" is USAGOV from
2009-01-21 to 2013-02-01 and USAELI otherwise, "fbi" USACOP, "unicef" IGOUNOKID, "hamas"
PSEREBHMS. The events component asks it (:func:`dictionary_code`) for an actor whose
organisation or person the knowledge base does not code itself.

Each row is a *term*: a code with an optional start and end (both days included, empty
= open). A name's undated term is its default, the code when no dated term holds on the
day asked about (or when no day is known).

The table is derived from the actor dictionaries of the PETRARCH2 event coder
(``Phoenix.Countries.actors.txt``, ``Phoenix.International.actors.txt``,
``Phoenix.MilNonState.actors.txt``; openeventdata/petrarch2, Computational Event Data
System Project / Open Event Data Alliance, MIT licence) by
``scripts/build_event_actors.py``, which documents how the format is read. The MIT notice
is in the table's header and in ``data/LICENSE-petrarch2.txt``; see also
``data/LICENSE-event-dictionaries.txt``. Country sections of the source (a state with its
demonyms and cities) are not in it: the knowledge base names states and places.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final

from ..datafile import read_table
from ..kb import get_kb

TABLE: Final = "actors.tsv"
HEADER: Final = ["name", "code", "start", "end"]


@dataclass(frozen=True, slots=True)
class Term:
    """A code of a name and when it holds (``None``: open on that side)."""

    code: str
    start: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def dated(self) -> bool:
        """Whether the term holds only for a time (an undated term is the default)."""
        return self.start is not None or self.end is not None

    def holds(self, on: datetime.date) -> bool:
        """Whether the term holds on ``on`` (both ends included)."""
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


def normalise(name: str) -> str:
    """A name as the table writes it: lower case, one space between words, without a
    leading "the " or a final possessive "'s" ("The  FBI's" -> "fbi")."""
    name = " ".join(name.lower().replace("’", "'").split())
    if name.startswith("the "):
        name = name[4:]
    if name.endswith("'s"):
        name = name[:-2]
    return name.strip()


def _is_code(code: str) -> bool:
    """A CAMEO code: capital letters and digits, a letter first (USAGOV, NGOHINDEN211DEV)."""
    return code.isascii() and code.isalnum() and code[:1].isalpha() and code.isupper()


def _date(text: str, row: list[str]) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{TABLE}: bad date {text!r} in row {'<TAB>'.join(row)}") from None


@cache
def actor_table() -> dict[str, tuple[Term, ...]]:
    """Name -> its terms in the table's order (read once, on first use)."""
    table: dict[str, list[Term]] = {}
    terms: dict[tuple[str, str, str], Term] = {}  # one object per distinct term
    for row in read_table("newsgraph.events", TABLE, HEADER):
        name, code, start, end = row
        key = (code, start, end)
        term = terms.get(key)
        if term is None:
            if not name or not _is_code(code):
                raise ValueError(f"{TABLE}: bad row {'<TAB>'.join(row)}")
            term = Term(code, _date(start, row), _date(end, row))
            if term.start and term.end and term.end < term.start:
                raise ValueError(f"{TABLE}: the term ends before it starts: {'<TAB>'.join(row)}")
            terms[key] = term
        elif not name:
            raise ValueError(f"{TABLE}: bad row {'<TAB>'.join(row)}")
        table.setdefault(name, []).append(term)
    return {name: tuple(found) for name, found in table.items()}


def _choose(terms: tuple[Term, ...], on: datetime.date | None) -> str | None:
    """The code in force on ``on``: a dated term that holds (the latest start first),
    else the undated default; only the default when ``on`` is None."""
    if on is not None:
        held = [term for term in terms if term.dated and term.holds(on)]
        if held:
            # max() keeps the first of equal starts
            return max(held, key=lambda term: term.start or datetime.date.min).code
    default = next((term.code for term in terms if not term.dated), None)
    if default is not None or on is None:
        return default
    # out of every dated term and no default: the state of the last term that ended
    # before the day, without the office (Madeleine Albright in 2016: USA), as the
    # knowledge base codes a person out of office
    ended = [t for t in terms if t.end is not None and t.end < on]
    if ended:
        last = max(ended, key=lambda term: term.end or datetime.date.min).code[:3]
        return last if get_kb().state(last) is not None else None
    return None


def dictionary_code(names: Iterable[str], on: datetime.date | None) -> str | None:
    """The CAMEO code of the first of ``names`` (a name and its aliases, best first) that
    the table codes on the day ``on``; None when none does.

    For a name, a dated term that holds on ``on`` wins (of several, the one that started
    last; of equal starts, the first in the table), else the name's undated term; when
    ``on`` is None only the undated term counts. A name with terms but none that applies
    gives way to the next name."""
    table = actor_table()
    for name in names:
        terms = table.get(normalise(name))
        if terms:
            code = _choose(terms, on)
            if code is not None:
                return code
    return None
