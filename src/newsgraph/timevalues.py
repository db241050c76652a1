"""Calendar points at a granularity, their TIMEX3 values and their arithmetic.

A :class:`Point` is a period of the calendar (a century, decade, year, half, quarter,
season, month, ISO week, weekend, day or a time of day) held as its first day plus a
granularity code. ``value`` writes it in TIMEX3 notation; ``shift`` moves it by whole
units; ``parse_value`` reads a TIMEX3 date value back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Final

#: Granularity codes from coarse to fine.
GRANULARITIES: Final = ("C", "E", "Y", "H", "Q", "S", "M", "W", "WE", "D", "T")
#: season code -> its first month (meteorological; the winter of 2024, ``2024-WI``,
#: runs from December 2024 to February 2025)
SEASON_START: Final[dict[str, int]] = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
#: unit of a shift -> (months, days) per unit
UNIT_STEP: Final[dict[str, tuple[int, int]]] = {
    "C": (1200, 0),
    "CE": (1200, 0),
    "E": (120, 0),
    "DE": (120, 0),
    "Y": (12, 0),
    "H": (6, 0),
    "Q": (3, 0),
    "S": (12, 0),
    "M": (1, 0),
    "W": (0, 7),
    "WE": (0, 7),
    "D": (0, 1),
    "T": (0, 1),
}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, the day of month clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise OverflowError(year)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Point:
    """A calendar period: its first day and granularity (plus season, part of day, time)."""

    day: dt.date
    gran: str
    season: str = ""
    part: str = ""  # MO AF EV NI, or HH:MM when gran is T

    @classmethod
    def of(cls, day: dt.date, gran: str, **extra: str) -> Point:
        """The period of granularity ``gran`` that contains ``day``."""
        y, m = day.year, day.month
        if gran == "C":
            start = dt.date(max(1, y - y % 100), 1, 1)
        elif gran == "E":
            start = dt.date(max(1, y - y % 10), 1, 1)
        elif gran == "Y":
            start = dt.date(y, 1, 1)
        elif gran == "H":
            start = dt.date(y, 1 if m <= 6 else 7, 1)
        elif gran == "Q":
            start = dt.date(y, m - (m - 1) % 3, 1)
        elif gran == "M":
            start = dt.date(y, m, 1)
        elif gran == "W":
            start = day - dt.timedelta(days=day.weekday())
        elif gran == "WE":  # the Saturday of the ISO week
            start = day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=5)
        elif gran == "S":
            code = extra.get("season") or _season_of(m)
            year = y - 1 if code == "WI" and m <= 2 else y
            return season_point(year, code)
        else:
            start = day
        return cls(start, gran, **extra)

    @property
    def value(self) -> str:
        d, g = self.day, self.gran
        if g == "C":
            return f"{d.year // 100:02d}"
        if g == "E":
            return f"{d.year // 10:03d}"
        if g == "Y":
            return f"{d.year:04d}"
        if g == "H":
            return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
        if g == "Q":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if g == "S":
            return f"{d.year:04d}-{self.season}"
        if g == "M":
            return f"{d.year:04d}-{d.month:02d}"
        if g in ("W", "WE"):
            iso = d.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}" + ("-WE" if g == "WE" else "")
        if g == "T" and self.part:
            return f"{d.isoformat()}T{self.part}"
        return d.isoformat()

    def shift(self, n: int, unit: str | None = None) -> Point:
        """This point moved by ``n`` units (default: its own granularity)."""
        months, days = UNIT_STEP[unit or self.gran]
        day = add_months(self.day, months * n) if months else self.day + dt.timedelta(days * n)
        if self.gran in ("W", "WE", "D", "T"):
            return replace(self, day=day)
        return replace(Point.of(day, self.gran), season=self.season, part=self.part)

    def at(self, gran: str, **extra: str) -> Point:
        """The period of another granularity that holds this point's first day."""
        return Point.of(self.day, gran, **extra)

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        if self.gran in ("D", "T"):
            return self.day
        if self.gran in ("W", "WE"):
            length = 6 if self.gran == "W" else 1
            return min(self.day, dt.date.max - dt.timedelta(days=6)) + dt.timedelta(days=length)
        months = {"C": 1200, "E": 120, "Y": 12, "H": 6, "Q": 3, "S": 3, "M": 1}[self.gran]
        try:
            return add_months(self.day, months) - dt.timedelta(days=1)
        except OverflowError:  # a period running past 9999-12-31
            return dt.date.max


def season_point(year: int, season: str) -> Point:
    """The season ``season`` of ``year`` (winter 1994 starts in December 1994)."""
    return Point(dt.date(year, SEASON_START[season], 1), "S", season=season)


def _season_of(month: int) -> str:
    if month in (12, 1, 2):
        return "WI"
    return "SP" if month <= 5 else "SU" if month <= 8 else "FA"


_VALUE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d\d)(?:-(?P<d>\d\d))?|Q(?P<q>[1-4])|H(?P<h>[12])"
    r"|W(?P<w>\d\d)(?P<we>-WE)?|(?P<s>SP|SU|FA|WI)))?(?:T(?P<t>[\w:]+))?$"
)


def parse_value(value: str) -> Point | None:
    """A TIMEX3 date value as a point (None for durations, references, X-filled values)."""
    m = _VALUE.match(value)
    if not m:
        if re.fullmatch(r"\d{3}", value):
            return Point(dt.date(int(value) * 10 or 1, 1, 1), "E")
        if re.fullmatch(r"\d{2}", value):
            return Point(dt.date(int(value) * 100 or 1, 1, 1), "C")
        return None
    try:
        year = int(m["y"])
        if m["d"]:
            day = dt.date(year, int(m["m"]), int(m["d"]))
            return Point(day, "T", part=m["t"]) if m["t"] else Point(day, "D")
        if m["m"]:
            return Point(dt.date(year, int(m["m"]), 1), "M")
        if m["q"]:
            return Point(dt.date(year, 3 * int(m["q"]) - 2, 1), "Q")
        if m["h"]:
            return Point(dt.date(year, 6 * int(m["h"]) - 5, 1), "H")
        if m["w"]:
            day = dt.date.fromisocalendar(year, int(m["w"]), 6 if m["we"] else 1)
            return Point(day, "WE" if m["we"] else "W")
        if m["s"]:
            return season_point(year, m["s"])
        return Point(dt.date(year, 1, 1), "Y")
    except ValueError:
        return None
