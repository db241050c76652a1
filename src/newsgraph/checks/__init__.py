"""Checks: flags on a report, in two kinds.

- **Parse checks** judge the article as it was parsed: text integrity, loaded language,
  internal contradictions, sourcing. They take the report and its parsed ``Doc`` and
  run once, as the last step of analysing an article.
- **Report checks** judge a report against the knowledge base (office anachronism; the
  corpus layer's checks against other reports join them). They take only the report
  and the knowledge base, so ``newsgraph recheck`` runs them again on stored reports
  after ``kb refresh`` and replaces the flags they made (:func:`recheck`).

Flags come out most severe first; among equals, in the order of the checks below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from spacy.tokens import Doc

from ..kb import KnowledgeBase
from ..report import Flag, Report
from . import anachronism, contradictions, integrity, language, sourcing

ParseCheck = Callable[[Report, Doc], list[Flag]]
ReportCheck = Callable[[Report, KnowledgeBase], list[Flag]]

#: Checks of a report against the knowledge base (re-runnable on stored reports).
REPORT_CHECKS: Final[tuple[ReportCheck, ...]] = (anachronism.check,)
#: Checks of the parsed article, each module's ``check``.
_PARSE_MODULES: Final = (contradictions, integrity, language, sourcing)
PARSE_CHECKS: Final[tuple[ParseCheck, ...]] = tuple(m.check for m in _PARSE_MODULES)
#: The ``origin`` of the flags the report checks make.
REPORT_ORIGINS: Final[frozenset[str]] = frozenset({anachronism.ORIGIN})
#: The ``origin`` of every flag a check makes (others come from the components).
CHECK_ORIGINS: Final[frozenset[str]] = REPORT_ORIGINS | {m.ORIGIN for m in _PARSE_MODULES}
SEVERITY_ORDER: Final = {"error": 0, "warning": 1, "info": 2}


def _ordered(flags: list[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: SEVERITY_ORDER[f.severity])


def run_checks(report: Report, doc: Doc, kb: KnowledgeBase) -> list[Flag]:
    """Every check's flags for a freshly analysed article, most severe first."""
    flags = [flag for check in REPORT_CHECKS for flag in check(report, kb)]
    flags += [flag for check in PARSE_CHECKS for flag in check(report, doc)]
    return _ordered(flags)


def recheck(report: Report, kb: KnowledgeBase) -> list[Flag] | None:
    """The report's flags with the report checks run again against ``kb``: the flags
    the components and the parse checks made are kept, those of the report checks
    replaced, in the order a fresh analysis gives. None when the report does not hold
    what a report check reads (made by an older newsgraph: analyse it again)."""
    if not anachronism.checkable(report):
        return None
    layer = [f for f in report.flags if f.origin not in CHECK_ORIGINS]
    parsed = [f for f in report.flags if f.origin in CHECK_ORIGINS - REPORT_ORIGINS]
    fresh = [flag for check in REPORT_CHECKS for flag in check(report, kb)]
    return [*layer, *_ordered([*fresh, *parsed])]


__all__ = [
    "CHECK_ORIGINS",
    "PARSE_CHECKS",
    "REPORT_CHECKS",
    "REPORT_ORIGINS",
    "SEVERITY_ORDER",
    "ParseCheck",
    "ReportCheck",
    "recheck",
    "run_checks",
]
