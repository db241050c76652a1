"""Publication dates as sources write them, read exactly: to ``YYYY-MM-DD`` or E010.

Lenient in form, exact in meaning. Accepted:

- ISO 8601 dates and date-times: ``2016-11-22``, ``20161122``, ``2016-11-22T10:30:00Z``,
  ``2016-11-22 10:30:00+02:00`` (the calendar date as written: the date of the
  stated offset, never shifted to UTC), also with ``/`` or ``.`` between the parts;
- RFC 2822 / RSS dates: ``Tue, 22 Nov 2016 10:30:00 +0000``;
- dates with a month name, with or without weekday and time: ``Nov 22, 2016``,
  ``Nov. 22, 2016``, ``November 22 2016``, ``22 November 2016``, ``Tuesday,
  November 22, 2016 3:04 PM ET``, ``22-Nov-2016``;
- numeric day and month only where one reading fits: ``11/22/2016`` (month first),
  ``22/11/2016`` (day first), ``22.11.2016``; ``03/04/2016`` could be either and is
  refused.

A weekday that contradicts the date, a day the month does not have, or anything
else no reading fits is E010.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from typing import Final

from ..errors import NewsgraphError

_MONTHS: Final = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for name in names
}
_WEEKDAYS: Final = {
    name: i
    for i, names in enumerate(
        [
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ]
    )
    for name in names
}

_ISO: Final = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/.]?)(?P<m>\d{2})(?P=sep)(?P<d>\d{2})"
    r"(?:[T ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"
)
_NUMERIC: Final = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})")
_WEEKDAY: Final = r"(?:(?P<wd>[A-Za-z]{3,9})\.?,?\s+)?"
_MONTH: Final = r"(?P<mon>[A-Za-z]{3,9})\.?"
_DAY: Final = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR: Final = r"(?P<y>\d{4})"
# What may follow a date: a time ("3:04 PM", "15:04:05", "at 10 a.m.") and a zone.
_TIME: Final = (
    r"(?:(?:\s*,)?\s+(?:at\s+)?\d{1,2}(?:[:.]\d{2}){0,2}(?:\.\d+)?"
    r"(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2}))?)?"
)
_NAMED: Final = (
    re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME}"),  # Nov 22, 2016
    re.compile(rf"{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}{_TIME}"),  # 22 Nov 2016
    re.compile(rf"{_DAY}-{_MONTH}-{_YEAR}{_TIME}"),  # 22-Nov-2016
)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _named(text: str) -> dt.date | None:
    for pattern in _NAMED:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        month = _MONTHS.get(m["mon"].lower())
        if month is None:
            continue
        day = _date(int(m["y"]), month, int(m["d"]))
        if day is None:
            return None
        wd = m.groupdict().get("wd")
        if wd is not None:
            weekday = _WEEKDAYS.get(wd.lower())
            if weekday is None or weekday != day.weekday():
                return None
        return day
    return None


def _rfc2822(text: str) -> dt.date | None:
    if not re.search(r"\d{1,2}:\d{2}", text):
        return None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    head = text.split(",", 1)[0].strip().lower() if "," in text else None
    if head is not None and head in _WEEKDAYS and _WEEKDAYS[head] != when.date().weekday():
        return None
    return when.date()


def _numeric(text: str) -> dt.date | None:
    m = _NUMERIC.fullmatch(text)
    if m is None:
        return None
    a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
    readings = {d for d in (_date(year, a, b), _date(year, b, a)) if d is not None}
    return readings.pop() if len(readings) == 1 else None


def read_date(value: str) -> dt.date | None:
    """The calendar date ``value`` states, or None when no reading fits exactly."""
    text = " ".join(value.split())
    if not text or len(text) > 80:
        return None
    m = _ISO.fullmatch(text)
    if m is not None:
        return _date(int(m["y"]), int(m["m"]), int(m["d"]))
    for reader in (_named, _rfc2822, _numeric):
        found = reader(text)
        if found is not None:
            return found
    return None


def parse_date(value: str) -> str:
    """``value`` as ``YYYY-MM-DD`` (E010 when no reading fits; see the module docstring)."""
    found = read_date(value) if isinstance(value, str) else None
    if found is None:
        raise NewsgraphError("E010", value=value)
    return found.isoformat()
