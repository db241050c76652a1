"""TIMEX3 values for matched expressions.

:class:`Resolver` walks an article's expressions in order. Relative expressions
("last week", "Friday", "in December") are anchored on the publication date, with the
tense of the governing verb choosing past or future; news-style references ("the next
day", "two days later", "a year earlier", "the quarter") are anchored on the last date
the article mentioned. Without a publication date, DCT-relative values keep X
placeholders (``XXXX-XX-XX``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Final

from ..text.tense import Tense
from ..timevalues import Point, add_months, season_point
from .grammar import Candidate, lexicon, parse_number

#: lexicon unit code -> (duration designator, is a time unit, shift unit)
UNITS: Final[dict[str, tuple[str, bool, str]]] = {
    "S": ("S", True, "D"),
    "MIN": ("M", True, "D"),
    "H": ("H", True, "D"),
    "D": ("D", False, "D"),
    "W": ("W", False, "W"),
    "2W": ("W", False, "W"),
    "M": ("M", False, "M"),
    "Q": ("Q", False, "Q"),
    "Y": ("Y", False, "Y"),
    "DE": ("DE", False, "DE"),
    "CE": ("CE", False, "CE"),
    "ML": ("ML", False, "CE"),
}
EDGE_MOD: Final[dict[str, str]] = {
    "early": "START",
    "beginning": "START",
    "start": "START",
    "first half": "START",
    "early part": "START",
    "turn": "START",
    "mid": "MID",
    "middle": "MID",
    "late": "END",
    "end": "END",
    "second half": "END",
    "latter": "END",
    "late part": "END",
}
SHIFT: Final[dict[str, int]] = {
    "last": -1,
    "past": -1,
    "previous": -1,
    "preceding": -1,
    "prior": -1,
    "this": 0,
    "current": 0,
    "same": 0,
    "very": 0,
    "the": 0,
    "next": 1,
    "coming": 1,
    "following": 1,
    "subsequent": 1,
}
OFFSET_SIGN: Final[dict[str, int]] = {
    "ago": -1,
    "earlier": -1,
    "before": -1,
    "previously": -1,
    "back": -1,
    "later": 1,
    "after": 1,
    "from now": 1,
    "hence": 1,
}
#: offsets that count from the article's reference date rather than its publication date
REFERENCE_DIRS: Final = frozenset({"earlier", "later", "before", "after"})
DURATION_MOD: Final[dict[str, str]] = {
    "LESS_THAN": "LESS_THAN",
    "APPROX": "APPROX",
    "MORE_THAN": "MORE_THAN",
    "EQUAL_OR_LESS": "EQUAL_OR_LESS",
}
DECADE_WORDS: Final = (
    "twenties",
    "thirties",
    "forties",
    "fifties",
    "sixties",
    "seventies",
    "eighties",
    "nineties",
)


@dataclass
class Value:
    type: str
    value: str
    mod: str | None = None
    upper: str | None = None
    anchor: str | None = None  # "published" | "reference" | None (absolute)
    point: Point | None = None
    #: the calendar value an anchored duration lands on ("two days later" -> its date)
    refers_to: str | None = None
    #: derived from another date ("a year earlier"): never itself a reference time
    derived: bool = False


@dataclass
class Resolver:
    """Normalises one article's expressions in document order."""

    dct: dt.date | None
    ref: Point | None = None
    last_quarter: Point | None = None
    sentence_points: list[tuple[int, Point]] = field(default_factory=list)
    #: the tense comes from a finite verb the expression hangs on directly ("fell in
    #: January"), not through a noun or an infinitive ("a cutback in September")
    direct: bool = False

    # ---- helpers ----------------------------------------------------------------
    def _dct_point(self, gran: str) -> Point | None:
        return Point.of(self.dct, gran) if self.dct else None

    def _anchor(self) -> tuple[Point | None, str]:
        if self.ref is not None:
            return self.ref, "reference"
        return (Point.of(self.dct, "D") if self.dct else None), "published"

    @staticmethod
    def _edge_mod(edge: str | None) -> str | None:
        if not edge:
            return None
        e = edge.lower()
        for key, mod in EDGE_MOD.items():
            if key in e:
                return mod
        return None

    def _pick_year(self, month: int, day: int | None, tense: Tense, months: int = 1) -> int | None:
        """The year of a month, day or quarter given without one.

        The occurrence closest to the publication date, unless the tense points the
        other way: a past-tense "in January" written in December is last January, a
        future-tense "in November" written in December next November. A day may lie up
        to two months the other way ("declared a dividend payable Dec. 7"), and a date
        a past-tense verb aims at ("extended to Nov. 20") comes without a tense."""
        if self.dct is None:
            return None
        dct = self.dct
        options: list[tuple[int, int]] = []  # (signed distance in days, year)
        for year in (dct.year - 1, dct.year, dct.year + 1):
            try:
                start = dt.date(year, month, day or 1)
            except ValueError:
                continue
            end = start if day else add_months(start, months) - dt.timedelta(days=1)
            if start <= dct <= end:
                distance = 0
            else:
                distance = (start - dct).days if start > dct else (end - dct).days
            options.append((distance, year))
        if not options:
            return None
        distance, year = min(options, key=lambda o: (abs(o[0]), o[1] != dct.year))
        # a day may lie a little ahead of a past-tense verb ("declared a dividend payable
        # Dec. 7"); a month or quarter told in the past tense has begun
        slack = 0 if self.direct and not day else 60
        if tense == "PAST" and distance > slack:
            past = [o for o in options if o[0] <= 0]
            if past:
                return max(past, key=lambda o: o[0])[1]
        if tense == "FUTURE" and distance < -slack:
            future = [o for o in options if o[0] >= 0]
            if future:
                return min(future, key=lambda o: o[0])[1]
        return year

    def note(self, start: int, value: Value) -> None:
        """Remember a resolved date as the article's reference time."""
        point = value.point
        if point is None or value.derived or value.type not in ("DATE", "TIME"):
            return
        if point.gran == "Q":
            self.last_quarter = point
        self.ref = point
        self.sentence_points.append((start, point))

    def new_sentence(self) -> None:
        self.sentence_points.clear()

    # ---- the normalisers --------------------------------------------------------------
    def resolve(self, cand: Candidate, tense: Tense, direct: bool = False) -> Value | None:
        self.direct = direct
        g = {k: v.lower() if k != "month" else v for k, v in cand.groups.items()}
        method = getattr(self, f"_norm_{cand.rule.norm}")
        result: Value | None = method(g, cand.rule.type, tense)
        return result

    def _year_of(self, g: dict[str, str]) -> int | None:
        if "year" in g:
            text = g["year"]
            if text in ("this year", "last year", "next year") and self.dct:
                return self.dct.year + {"this year": 0, "last year": -1, "next year": 1}[text]
            if text.isdigit():
                return int(text)
        if "yearpre" in g:
            pre = g["yearpre"]
            if pre.isdigit():
                return int(pre)
            if self.dct:
                return self.dct.year + {"this": 0, "last": -1, "next": 1}[pre.split("'")[0]]
        if "year2" in g:
            two = int(g["year2"].lstrip("'’"))
            century = (self.dct.year // 100 * 100) if self.dct else 1900
            year = century + two
            if self.dct and year > self.dct.year + 10:
                year -= 100
            return year
        if "yearwords" in g:
            return _year_from_words(g["yearwords"])
        return None

    def _norm_calendar(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        lex = lexicon()
        year = self._year_of(g)
        month = None
        if "monthnum" in g:
            month = int(g["monthnum"])
        elif "month" in g:
            month = int(lex.get("month", g["month"]) or 0) or None
        mod = self._edge_mod(g.get("edge"))
        if "season" in g and year:
            season = lex.get("season", g["season"]) or "SU"
            point = season_point(year, season)
            return Value("DATE", point.value, mod, point=point)
        if month is None:
            if year is None:
                return None
            point = Point(dt.date(year, 1, 1), "Y")
            return Value("DATE", point.value, mod, point=point)
        day = int(re.sub(r"\D", "", g["day"])) if "day" in g else None
        if year is None:
            year = self._pick_year(month, day, tense)
        if year is None:
            value = f"XXXX-{month:02d}" + (f"-{day:02d}" if day else "")
            return Value("DATE", value, mod, anchor="published")
        try:
            if day is None:
                point = Point(dt.date(year, month, 1), "M")
            else:
                point = Point(dt.date(year, month, day), "D")
        except ValueError:
            return None
        anchor = None if ("year" in g or "year2" in g) else "published"
        if "hour" in g:
            point = Point(point.day, "T", part=f"{int(g['hour']):02d}:{g['minute']}")
            return Value("TIME", point.value, mod, anchor=anchor, point=point)
        if "part" in g and point.gran == "D":
            point = Point(point.day, "T", part=_part_code(g["part"]))
            return Value("TIME", point.value, mod, anchor=anchor, point=point)
        return Value("DATE", point.value, mod, anchor=anchor, point=point)

    def _norm_week(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        """Week 3 (of 2025), 2025-W03, the week of March 6."""
        if "isoweek" in g:
            year, week = int(g["isoyear"]), int(g["isoweek"])
        elif "weeknum" in g:
            week = int(g["weeknum"])
            found = self._year_of(g) or (self.dct.isocalendar().year if self.dct else None)
            if found is None:
                return Value("DATE", f"XXXX-W{week:02d}", anchor="published")
            year = found
        else:
            day = self._norm_calendar(g, "DATE", tense)
            if day is None or day.point is None:
                return day
            point = day.point.at("W")
            return Value("DATE", point.value, anchor=day.anchor, point=point)
        try:
            point = Point(dt.date.fromisocalendar(year, week, 1), "W")
        except ValueError:
            return None
        return Value("DATE", point.value, point=point)

    def _norm_relative(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        lex = lexicon()
        shift_word = g.get("shift", "")
        mod = self._edge_mod(g.get("edge") or shift_word)
        if "deixis" in g:
            if self.dct is None:
                return Value(typ, "XXXX-XX-XX", mod, anchor="published")
            step = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["deixis"]]
            if "dir" in g:
                step += -1 if g["dir"] == "before" else 1
            point = Point(self.dct + dt.timedelta(days=step), "D")
            if g["deixis"] == "tonight" and "part" not in g:
                return Value("DATE", point.value, anchor="published", point=point)
            if "part" in g:
                point = Point(point.day, "T", part=_part_code(g["part"]))
                return Value("TIME", point.value, mod, anchor="published", point=point)
            return Value("DATE", point.value, mod, anchor="published", point=point)
        if "weekday" in g:
            return self._weekday(g, tense, mod)
        if "month" in g:
            month = int(lex.get("month", g["month"]) or 0)
            if not month or self.dct is None:
                return Value("DATE", f"XXXX-{month:02d}", mod, anchor="published")
            if "relyear" in g:  # June last year
                year = self.dct.year + SHIFT[g["relyear"]]
            else:
                year = self._month_year(month, shift_word, tense)
            point = Point(dt.date(year, month, 1), "M")
            return Value("DATE", point.value, mod, anchor="published", point=point)
        if "season" in g:
            season = lex.get("season", g["season"]) or "SU"
            if self.dct is None:
                return Value("DATE", f"XXXX-{season}", mod, anchor="published")
            return self._season(season, shift_word, tense, mod)
        if "part" in g:  # this morning, last night, the evening
            part = _part_code(g["part"])
            if shift_word == "the":
                anchor, how = self._anchor()
            else:
                anchor, how = self._dct_point("D"), "published"
            if anchor is None:
                return Value("TIME", f"XXXX-XX-XXT{part}", anchor="published")
            day = anchor.day
            if shift_word in ("yesterday", "last"):
                day -= dt.timedelta(days=1)
            elif shift_word == "tomorrow":
                day += dt.timedelta(days=1)
            point = Point(day, "T", part=part)
            return Value("TIME", point.value, mod, anchor=how, point=point)
        unit = g.get("unit") or ""
        edge = g.get("edge", "")
        if not unit and edge:  # year-end, end of the month
            unit = next((u for u in ("year", "month", "week", "decade") if u in edge), "year")
            mod = "END"
        gran = {
            "week": "W",
            "weekend": "WE",
            "month": "M",
            "year": "Y",
            "decade": "E",
            "century": "C",
            "fortnight": "W",
        }.get(unit)
        if gran is None:
            return None
        if not shift_word or shift_word == "the":  # the year, the week: the article's time
            base, how = self._dct_point("D"), "published"
            if base is None:
                return None
            point = base.at(gran)
            if gran == "WE":
                point = self._weekend(tense)
            return Value("DATE", point.value, mod, anchor=how, point=point) if point else None
        step = SHIFT.get(shift_word.split()[-1], 0)
        if gran in ("E", "C") and shift_word.split()[-1] == "past":  # over the past decade
            return Value("DURATION", "P10Y" if gran == "E" else "P100Y")
        if self.dct is None:
            return Value("DATE", _x_value(gran), mod, anchor="published")
        if gran == "WE":
            point = self._weekend(tense, step)
            return Value("DATE", point.value, mod, anchor="published", point=point)
        point = Point.of(self.dct, gran).shift(step)
        return Value("DATE", point.value, mod, anchor="published", point=point)

    def _month_year(self, month: int, shift: str, tense: Tense) -> int:
        assert self.dct is not None
        year = self.dct.year
        here = self.dct.month
        if shift in ("last", "past"):
            return year if month < here else year - 1
        if shift in ("next", "coming"):
            return year if month > here else year + 1
        if shift == "this":
            return year
        picked = self._pick_year(month, None, tense)
        return picked if picked is not None else year

    def _season(self, season: str, shift: str, tense: Tense, mod: str | None) -> Value:
        assert self.dct is not None
        current = None
        for year in (self.dct.year - 1, self.dct.year):
            for code in ("SP", "SU", "FA", "WI"):
                p = season_point(year, code)
                if p.day <= self.dct <= p.end:
                    current = p
        candidates = [season_point(y, season) for y in range(self.dct.year - 2, self.dct.year + 2)]
        if shift in ("last", "past"):
            pick = max(
                (c for c in candidates if c.end < (current.day if current else self.dct)), key=_day
            )
        elif shift in ("next", "coming"):
            pick = min(
                (c for c in candidates if c.day > (current.end if current else self.dct)), key=_day
            )
        elif shift == "this" or tense is None or tense == "PRESENT":
            same = [c for c in candidates if c.day <= self.dct <= c.end]
            pick = same[0] if same else season_point(self.dct.year, season)
            if not same:
                dct = self.dct
                pick = min(candidates, key=lambda c: abs((c.day - dct).days))
        elif tense == "PAST":
            pick = max((c for c in candidates if c.day <= self.dct), key=_day)
        else:
            pick = min((c for c in candidates if c.end >= self.dct), key=_day)
        return Value("DATE", pick.value, mod, anchor="published", point=pick)

    def _weekend(self, tense: Tense, step: int | None = None) -> Point:
        assert self.dct is not None
        week = Point.of(self.dct, "WE")
        if step is None:
            step = -1 if tense == "PAST" and self.dct.weekday() < 5 else 0
        return week.shift(step)

    def _weekday(self, g: dict[str, str], tense: Tense, mod: str | None) -> Value | None:
        wd = int(lexicon().get("weekday", g["weekday"]) or 0) - 1
        part = _part_code(g["part"]) if "part" in g else None
        if self.dct is None:
            return Value("DATE", "XXXX-WXX-" + str(wd + 1), mod, anchor="published")
        dct = self.dct
        delta = wd - dct.weekday()
        shift = g.get("shift", "")
        if shift in ("last", "past", "previous", "earlier"):
            days = delta - 7 if delta >= 0 and shift != "earlier" else delta
            if shift == "earlier" and delta > 0:
                days = delta - 7
        elif shift in ("next", "coming"):
            days = delta + 7 if delta <= 0 else delta
        elif shift == "this":
            days = delta
        elif delta == 0:
            days = 0
        elif tense == "FUTURE" or (tense == "PRESENT" and delta > 0):
            days = delta if delta > 0 else delta + 7
        else:
            days = delta if delta < 0 else delta - 7
        day = dct + dt.timedelta(days=days)
        if part:  # "Friday night": a day and its part, a date rather than a clock time
            point = Point(day, "T", part=part)
            return Value("DATE", point.value, mod, anchor="published", point=point)
        point = Point(day, "D")
        return Value("DATE", point.value, mod, anchor="published", point=point)

    def _norm_quarter(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        year = self._year_of(g)
        shift = g.get("shift", "")
        if "half" in g:
            half = 1 if g["half"] in ("first", "1st") else 2  # second, last, latter
            if year is None and "shift" in g and self.dct:
                year = self.dct.year + SHIFT.get(shift, 0)
            if year is None:
                year = self.dct.year if self.dct else None
            if year is None:
                return Value("DATE", f"XXXX-H{half}", anchor="published")
            point = Point(dt.date(year, 6 * half - 5, 1), "H")
            return Value("DATE", point.value, point=point)
        if "quarter" in g:
            q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}.get(
                g["quarter"], 4
            )
            anchor = None
            if year is None:
                year, anchor = self._pick_year(3 * q - 2, None, tense, months=3), "published"
            if year is None:
                return Value("DATE", f"XXXX-Q{q}", anchor="published")
            point = Point(dt.date(year, 3 * q - 2, 1), "Q")
            return Value("DATE", point.value, anchor=anchor, point=point)
        if year is not None:  # the 1988 period
            if self.last_quarter is not None:
                point = Point(self.last_quarter.day.replace(year=year), "Q")
                return Value("DATE", point.value, anchor="reference", point=point)
            point = Point(dt.date(year, 1, 1), "Y")
            return Value("DATE", point.value, point=point)
        latest = self._dct_point("Q")
        latest = latest.shift(-1) if latest else None
        if shift in ("this", "current"):
            base = self._dct_point("Q")
        elif shift in ("next", "coming"):
            base = self._dct_point("Q")
            base = base.shift(1) if base else None
        elif shift.startswith("year"):
            last = self.last_quarter or latest
            base = last.shift(-4) if last else None
            if base is not None:
                return Value("DATE", base.value, anchor="reference", point=base, derived=True)
        elif shift in ("same", "comparable") or not shift:
            base = self.last_quarter or latest
        else:  # latest, last, past, previous, prior: the last full quarter
            base = latest
        if base is None:
            return Value("DATE", "XXXX-QX", anchor="published")
        return Value("DATE", base.value, anchor="reference", point=base)

    def _norm_decade(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        mod = self._edge_mod(g.get("edge") or g.get("edge2"))
        if "decade" in g:
            start = int(g["decade"])
        elif "decade2" in g:
            start = 1900 + int(g["decade2"])
            if self.dct and start + 100 <= self.dct.year:
                start += 100
        else:
            names = DECADE_WORDS
            start = 1920 + 10 * names.index(g["decadewords"])
        point = Point(dt.date(start, 1, 1), "E")
        return Value("DATE", point.value, mod, point=point)

    def _norm_century(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        word = g["century"]
        digits = re.match(r"\d+", word)
        n = int(digits[0]) if digits else int(lexicon().get("ordinal", word) or 0)
        if n <= 0:
            return None
        point = Point(dt.date(max(1, (n - 1) * 100), 1, 1), "C")
        return Value("DATE", f"{n - 1:02d}", self._edge_mod(g.get("edge")), point=point)

    def _norm_holiday(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        code = lexicon().get("holiday", g["holiday"])
        if code is None:
            return None
        year = self._year_of(g)
        if year is None and self.dct is not None:
            year = self.dct.year + SHIFT.get(g.get("shift", ""), 0)
            day = _holiday(code, year)
            if day and "shift" not in g:
                year = self._pick_year(day.month, day.day, tense) or year
        if year is None:
            return Value("DATE", "XXXX-" + code if code[0].isdigit() else "XXXX-XX-XX")
        day = _holiday(code, year)
        if day is None:
            return None
        point = Point(day, "D")
        return Value("DATE", point.value, point=point)

    def _norm_offset(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        direction = re.sub(r"\s+", " ", g["dir"])
        sign = OFFSET_SIGN[direction]
        unit = lexicon().get("unit", g["unit"]) or "D"
        n = parse_number(g["num"]) if "num" in g else None
        modword = lexicon().get("modifier", g.get("mod", "")) if "mod" in g else None
        if n is None:  # several years ago
            return Value("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
        if direction in REFERENCE_DIRS:
            base, how = self.ref, "reference"  # "two days later": after what the text said
        else:
            base, how = self._dct_point("D"), "published"
        designator, is_time, step_unit = UNITS[unit]
        mod = "APPROX" if modword else None
        amount = int(n) if n == int(n) else n
        if unit == "2W":
            amount = 2 * amount
        if "half" in g:
            amount += 0.5
        if direction in REFERENCE_DIRS and step_unit in ("D", "W"):
            # "two days later": a duration counted from the last date mentioned
            duration = Value("DURATION", _duration(amount, designator, is_time), mod, anchor=how)
            if base is not None and not is_time and base.gran in ("D", "T", "W"):
                days = int(amount) * (7 if step_unit == "W" else 1) * sign
                duration.refers_to = Point(base.day + dt.timedelta(days=days), "D").value
            return duration
        if base is None:
            return Value("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod)
        if is_time:
            point = Point(base.day, "D")
            return Value("DATE", point.value, mod, anchor=how, point=point)
        gran = {"D": "D", "W": "W", "M": "M", "Q": "Q", "Y": "Y", "DE": "Y", "CE": "Y"}[step_unit]
        years = {"DE": 10, "CE": 100}.get(step_unit)
        if years:
            amount, step_unit = amount * years, "Y"
        if modword == "LESS_THAN" and step_unit == "Y" and amount >= 1:
            # nearly four years ago: between four and three years back; the middle counts
            amount, step_unit, gran = 12 * amount - 6, "M", "Y"
            point = Point.of(base.day, "M").shift(sign * int(amount), "M").at("Y")
            return Value("DATE", point.value, mod, anchor=how, point=point)
        if isinstance(amount, float):
            if step_unit == "Y":
                amount, step_unit, gran = round(amount * 12), "M", "M"
            else:
                amount = round(amount)
        point = base.at(gran).shift(sign * int(amount), step_unit)
        return Value("DATE", point.value, mod, anchor=how, point=point)

    def _norm_comparison(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        unit = g["unit"]
        step = {"year": "Y", "month": "M", "week": "W", "quarter": "Q"}[unit]
        earlier = [p for _, p in self.sentence_points if p.gran in ("Q", "M", "H", "S", "D", "W")]
        if earlier:
            base, how = earlier[-1], "reference"
        elif self.last_quarter is not None and unit == "year":
            base, how = self.last_quarter, "reference"
        else:
            gran = {"Y": "Y", "M": "M", "W": "W", "Q": "Q"}[step]
            dct = self._dct_point(gran)
            if dct is None:
                return Value("DATE", "PAST_REF")
            base, how = dct, "published"
        point = base.shift(-1, step)
        return Value("DATE", point.value, anchor=how, point=point, derived=True)

    def _norm_reference(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        unit = g["unit"]
        shift = g.get("shift")
        if shift is None and g.get("det") == "the" and unit != "weekend":
            return None  # "the day", "the night": too often not a time at all
        if shift is None and self.ref is None:
            return None  # "that day has come": no date before it to point at
        base, how = self._anchor()
        step = SHIFT.get(shift or "same", 0)
        mod = self._edge_mod(g.get("edge"))
        if unit in WEEKDAY_PARTS:
            if base is None:
                return Value("TIME", f"XXXX-XX-XXT{WEEKDAY_PARTS[unit]}", anchor=how)
            day = base.day + dt.timedelta(days=step)
            point = Point(day, "T", part=WEEKDAY_PARTS[unit])
            return Value("TIME", point.value, mod, anchor=how, point=point)
        gran = {"day": "D", "week": "W", "month": "M", "year": "Y", "weekend": "WE"}[unit]
        if base is None:
            return Value("DATE", _x_value(gran), mod, anchor=how)
        if base.gran in ("C", "E", "Y") and gran in ("D", "W", "WE", "M"):
            return None  # "the next day" after "in 2017": no day to count from
        point = base.at(gran).shift(step)
        return Value("DATE", point.value, mod, anchor=how, point=point)

    def _norm_clock(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        if "named" in g:
            clock = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[g["named"]]
        else:
            hour = int(g["hour"])
            ampm = g.get("ampm", "").replace(".", "")
            if ampm in ("pm", "p m") and hour < 12:
                hour += 12
            elif ampm in ("am", "a m") and hour == 12:
                hour = 0
            if hour > 24:
                return None
            clock = f"{hour:02d}:{g.get('minute', '00')}"
        day: dt.date | None = None
        if "month" in g and "day" in g:
            res = self._norm_calendar({"month": g["month"], "day": g["day"]}, "DATE", tense)
            day = res.point.day if res and res.point else None
        elif "weekday" in g and "deixis" not in g:
            res = self._weekday({"weekday": g["weekday"]}, tense, None)
            day = res.point.day if res and res.point else None
        elif self.dct is not None:
            step = {"yesterday": -1, "tomorrow": 1}.get(g.get("deixis", ""), 0)
            day = self.dct + dt.timedelta(days=step)
        if day is None:
            return Value("TIME", f"XXXX-XX-XXT{clock}", anchor="published")
        point = Point(day, "T", part=clock)
        return Value("TIME", point.value, anchor="published", point=point)

    def _norm_duration(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        unit = lexicon().get("unit", g["unit"].split("-")[0])
        if unit is None:
            return None
        designator, is_time, _ = UNITS[unit]
        n: float | None
        if "num" in g:
            n = parse_number(g["num"])
            if n is None and lexicon().get("vague", g["num"]) is None:
                return None
        elif "single" in g or not g["unit"].lower().endswith("s"):
            n = 1.0  # the year ended June 30, the past decade, the first day
        else:
            n = None  # years, many months
        if n is not None:
            if unit == "2W":
                n *= 2
            if "half" in g or "halfnum" in g:
                n += 0.5
            if "frac" in g:
                a, b = g["frac"].strip().split("/")
                n += int(a) / int(b) if int(b) else 0
        mods = [lexicon().get("modifier", g[k]) for k in ("mod", "mod2") if k in g]
        mod = next((DURATION_MOD[m] for m in mods if m), None)
        value = _duration(n, designator, is_time)
        upper = None
        if "num2" in g:
            n2 = parse_number(g["num2"])
            if n2 is None or n is None or n2 <= n:
                return None
            upper = _duration(n2, designator, is_time)
        return Value("DURATION", value, mod, upper=upper)

    def _norm_set(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        lex = lexicon()
        if "setw" in g:
            value = lex.get("set_word", g["setw"])
            return Value("SET", value) if value else None
        if "weekday" in g:
            word = g["weekday"].rstrip("sS") if g["weekday"].lower().endswith("s") else g["weekday"]
            wd = lex.get("weekday", word) or lex.get("weekday", g["weekday"])
            if wd is None:
                return None
            part = g.get("part", "").rstrip("s")
            suffix = f"T{_part_code(part)}" if part else ""
            return Value("SET", f"XXXX-WXX-{wd}{suffix}")
        if "month" in g:
            return Value("SET", f"XXXX-{int(lex.get('month', g['month']) or 0):02d}")
        if "season" in g:
            return Value("SET", f"XXXX-{lex.get('season', g['season'])}")
        unit = lex.get("unit", g.get("unit", ""))
        if unit is None:
            return None
        n = parse_number(g["num"]) if "num" in g else 1.0
        designator, is_time, _ = UNITS[unit]
        return Value("SET", _duration(n, designator, is_time))

    def _norm_fuzzy(self, g: dict[str, str], typ: str, tense: Tense) -> Value | None:
        if "fuzzy" in g:
            value = lexicon().get("fuzzy", g["fuzzy"])
            return Value("DATE", value) if value else None
        return Value("DATE", "PAST_REF")  # recent years, months ago


def _day(point: Point) -> dt.date:
    return point.day


WEEKDAY_PARTS: Final[dict[str, str]] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
}


def _part_code(word: str) -> str:
    code = lexicon().get("part_of_day", word.rstrip("s") if word.endswith("s") else word)
    return code if code and ":" not in code else (code or "MO")


def _x_value(gran: str) -> str:
    return {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX"}.get(
        gran, "XXXX"
    )


def _duration(n: float | None, designator: str, is_time: bool) -> str:
    lead = "PT" if is_time else "P"
    if n is None:
        return f"{lead}X{'Y' if designator == 'DE' else designator}"
    if designator == "DE":
        n, designator = n * 10, "Y"
    elif designator == "CE":
        n, designator = n * 100, "Y"
    elif designator == "ML":
        n, designator = n * 1000, "Y"
    if n != int(n):
        whole = int(n)
        if designator == "Y":
            return f"P{whole}Y{round((n - whole) * 12)}M" if whole else f"P{round(n * 12)}M"
        if designator == "H":
            return f"PT{whole}H{round((n - whole) * 60)}M" if whole else f"PT{round(n * 60)}M"
        if designator == "M" and is_time:
            return f"PT{whole}M{round((n - whole) * 60)}S" if whole else f"PT{round(n * 60)}S"
        if designator == "D":
            return f"P{whole}DT{round((n - whole) * 24)}H" if whole else f"PT{round(n * 24)}H"
        return f"{lead}{n:g}{designator}"
    return f"{lead}{int(n)}{designator}"


def _year_from_words(text: str) -> int | None:
    words = re.split(r"[\s-]+", text.lower())
    lex = lexicon()
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        value = sum(parse_number(w) or 0 for w in rest)
        return 2000 + int(value)
    head = {"nineteen": 1900, "twenty": 2000}.get(words[0])
    if head is None:
        return None
    tail = words[1:]
    if tail == ["hundred"]:
        return head
    total = 0
    for w in tail:
        if w in lex.words["tens"]:
            total += int(lex.words["tens"][w])
        elif w in lex.words["number"]:
            total += int(lex.words["number"][w])
    return head + total if 0 < total < 100 else None


def _holiday(code: str, year: int) -> dt.date | None:
    try:
        if re.fullmatch(r"\d\d-\d\d", code):
            return dt.date(year, int(code[:2]), int(code[3:]))
        if code == "US_THANKSGIVING":
            return _nth_weekday(year, 11, 3, 4)
        if code == "US_LABOR":
            return _nth_weekday(year, 9, 0, 1)
        if code == "US_MEMORIAL":
            last = _nth_weekday(year, 5, 0, 5) or _nth_weekday(year, 5, 0, 4)
            return last
        if code.startswith("EASTER"):
            offset = int(code[6:] or 0)
            return _easter(year) + dt.timedelta(days=offset)
    except ValueError:
        return None
    return None


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date | None:
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    return day if day.month == month else None


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


__all__ = ["Resolver", "Value"]
