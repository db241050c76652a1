"""Checks: functions Report -> flags, run after the report is built."""

from __future__ import annotations

from ..report import Flag, Report
from . import sourcing

CHECKS = (sourcing.check,)


def run_checks(report: Report) -> list[Flag]:
    """Every check's flags, most severe first."""
    flags = [flag for check in CHECKS for flag in check(report)]
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(flags, key=lambda f: order[f.severity])


__all__ = ["CHECKS", "run_checks"]
