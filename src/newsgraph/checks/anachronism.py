"""Office anachronism: a title given to a person on a date outside their term.

"U.S. President Donald Trump at the White House in September 2024": the clause is
dated September 2024, the knowledge base says Donald Trump held the US presidency from
2017-01-20 to 2021-01-20 and from 2025-01-20, and that Joe Biden held it in September
2024. The flag is an error, with the titled name and the date as evidence, and the
article's own word on when the term began ("sworn in on January 20, 2025") when it
gives one.

A report check: it reads only the report (the titles written before people's names
and what dates their clauses, which ``newsgraph_titles_v1`` keeps on each person
entity; see :mod:`newsgraph.entities.titles` for which titles and dates count) and the
knowledge base, so ``newsgraph recheck`` can run it again on stored reports after the
knowledge base changes. A title is checked when the person held an office of that
title at some time and the knowledge base knows who else held it on that date (a date
before the table's coverage says nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from ..kb import KBEntity, KnowledgeBase
from ..kb.model import Term
from ..report import Entity, Flag, Report, Severity, Span, TitledName, TookOffice
from ..timevalues import parse_value

ORIGIN: Final = "checks.anachronism"
#: The component that reads the titles this check judges (``entities.titles``).
TITLES_COMPONENT: Final = "newsgraph_titles_v1"
#: granularities a clause can be dated to (not centuries or decades)
DATED: Final = frozenset({"Y", "H", "Q", "S", "M", "W", "WE", "D", "T"})
#: verbs of being elected: the term begins later, so their dates rank after swearing-in
ELECTED: Final = frozenset({"elect", "reelect", "re-elect"})


def fits(title: TitledName, term: Term) -> bool:
    """Is ``term`` an office the title names?"""
    if term.kind != title.office or (title.country is not None and term.country != title.country):
        return False
    return title.host is None or term.office.endswith(f".{title.host}")


def _person(kb: KnowledgeBase, entity: Entity) -> KBEntity | None:
    if entity.type != "PERSON" or not entity.kb_id:
        return None
    found = kb.by_kb_id(entity.kb_id)
    return found if found is not None and found.type == "PERSON" else None


def _overlaps(term: Term, low: dt.date, high: dt.date) -> bool:
    return term.start_date <= high and low <= term.end_date


def _term_text(term: Term) -> str:
    return f"from {term.start} to {term.end}" if term.end else f"since {term.start}"


def _own_words(words: list[TookOffice], terms: list[Term]) -> list[Span]:
    """Where the article itself says when the person's term began: the words naming a
    term's first day first, then swearing-in before election."""
    starts = {t.start_date for t in terms}
    ranked: list[tuple[int, Span]] = []
    for took in words:
        point = parse_value(took.value)
        rank = 0 if point is not None and point.day in starts else 1
        if took.verb in ELECTED:
            rank += 1
        ranked.append((rank, took.span))
    return [s for _, s in sorted(ranked, key=lambda x: (x[0], x[1].start))]


@dataclass(frozen=True)
class _When:
    """The date a titled name is checked on, and the words that give it."""

    low: dt.date
    high: dt.date
    said: str  #: "dated September 2024", "used in the present tense on 2025-12-19"
    evidence: Span
    severity: Severity


def _published(report: Report) -> dt.date | None:
    """The publication date when it was given or read from the page (not estimated)."""
    if report.article.published_source not in ("given", "metadata"):
        return None
    try:
        return dt.date.fromisoformat(str(report.article.published)[:10])
    except ValueError:
        return None


def when(report: Report, title: TitledName) -> _When | None:
    """The clause's own date, else the publication day for a clause in the present
    tense ("President Joe Biden says ..." in an article of 2025): the latter is a
    warning, as the tense is read from the parse."""
    if title.date is not None:
        point = parse_value(title.date_value or "")
        if point is None or point.gran not in DATED:
            return None
        return _When(point.day, point.end, f"is dated {title.date.text}", title.date, "error")
    on = _published(report)
    if on is None or title.present is None:
        return None
    verb = title.present
    said = f"is the subject of \u201c{verb.text}\u201d, present tense, on {on.isoformat()}"
    return _When(on, on, said, verb, "warning")


def check(report: Report, kb: KnowledgeBase) -> list[Flag]:
    """A flag for every title the knowledge base shows was not the person's on the date
    of the clause it appears in (an error), or on the publication day of a present-tense
    clause (a warning)."""
    flags: list[Flag] = []
    for entity in report.entities:
        person = _person(kb, entity)
        if person is None or not entity.titles:
            continue
        terms = kb.roles(person)
        if not terms:
            continue
        for title in entity.titles:
            same = [t for t in terms if fits(title, t)]
            if not same:
                continue
            date = when(report, title)
            if date is None or any(_overlaps(t, date.low, date.high) for t in same):
                continue
            office = same[-1].office
            other = kb.holder(office, date.low) or kb.holder(office, date.high)
            if other is None or other.person_id == person.id:
                continue  # the table does not reach back that far
            holder = kb.get(other.person_id)
            named = title.span
            evidence = [named, date.evidence]
            own = _own_words(entity.took_office, same)[:2]
            evidence += own
            said = ""
            if own:
                said = f"; the article itself has \u201c{own[0].text}\u201d"
            terms_text = " and ".join(_term_text(t) for t in same)
            flags.append(
                Flag(
                    "OFFICE_ANACHRONISM",
                    date.severity,
                    f"\u201c{' '.join(named.text.split())}\u201d {date.said}, but "
                    f"{person.name} did not hold that office then"
                    + (f" ({holder.name} did)" if holder else "")
                    + f": the knowledge base has {person.name} in it {terms_text}{said}.",
                    evidence,
                    origin=ORIGIN,
                )
            )
    return flags


def checkable(report: Report) -> bool:
    """Does the report hold what this check reads? Only a report made with the component
    that keeps the titles of people's names does (its ``generator`` names it); older
    ones must be analysed again."""
    return TITLES_COMPONENT in (report.generator.get("components") or [])


__all__ = ["ORIGIN", "check", "checkable", "fits", "when"]
