"""Checks: functions (Report, Doc) -> flags, run after the report is built.

Each check reads the finished report; the parsed ``Doc`` is passed along when there
is one (``None`` when a stored report is checked again), and a check that needs the
parse returns no flags without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from spacy.tokens import Doc

from ..report import Flag, Report
from . import anachronism, contradictions, integrity, language, sourcing

Check = Callable[[Report, Doc | None], list[Flag]]
CHECKS: Final[tuple[Check, ...]] = (
    anachronism.check,
    contradictions.check,
    integrity.check,
    language.check,
    sourcing.check,
)
SEVERITY_ORDER: Final = {"error": 0, "warning": 1, "info": 2}


def run_checks(report: Report, doc: Doc | None = None) -> list[Flag]:
    """Every check's flags, most severe first."""
    flags = [flag for check in CHECKS for flag in check(report, doc)]
    return sorted(flags, key=lambda f: SEVERITY_ORDER[f.severity])


__all__ = ["CHECKS", "SEVERITY_ORDER", "Check", "run_checks"]
