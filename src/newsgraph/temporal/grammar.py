"""The time grammar: word classes from ``data/lexicon.tsv``, rules from ``data/rules.toml``.

Each rule's pattern is compiled once with its ``<CLASS>`` placeholders filled in. Month
and weekday names are matched case-sensitively (``May`` the month, not ``may`` the
verb); everything else ignores case. :func:`candidates` returns every match of every
rule; overlaps are resolved by the caller.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from ..datafile import read_table

TYPES: Final = frozenset({"DATE", "TIME", "DURATION", "SET"})
NORMS: Final = frozenset(
    {
        "calendar",
        "relative",
        "offset",
        "reference",
        "comparison",
        "duration",
        "set",
        "fuzzy",
        "decade",
        "century",
        "holiday",
        "quarter",
        "clock",
        "week",
    }
)
KINDS: Final = frozenset(
    {
        "month",
        "weekday",
        "number",
        "tens",
        "vague",
        "ordinal",
        "unit",
        "season",
        "part_of_day",
        "set_word",
        "fuzzy",
        "modifier",
        "holiday",
    }
)
#: Start and end guards: an expression never starts or ends inside a word or a number.
_BEFORE: Final = r"(?<![\w$£€#@/&-])(?<![\d][.,:])"
_AFTER: Final = r"(?![\w@])(?![.,:/]\d)"
_EDGES: Final = (
    "early|late|mid|the end of|end of|the beginning of|beginning of|the start of|start of"
    "|the middle of|middle of|the first half of|the second half of|the latter half of"
    "|the latter part of|the early part of|the late part of|the turn of"
)
_TZ: Final = "EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST|MSK|local time|ET|PT|Z"


#: Characters before and after an anchor word within which a match must lie.
LEAD: Final = 60
TAIL: Final = 48


@dataclass(frozen=True)
class Rule:
    name: str
    type: str
    norm: str
    regex: re.Pattern[str]
    order: int
    anchor: re.Pattern[str]


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    rule: Rule
    groups: dict[str, str]
    groups_text: str = ""

    @property
    def text_len(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Lexicon:
    """Each word class: lower-cased word -> value."""

    words: dict[str, dict[str, str]]

    def get(self, kind: str, word: str) -> str | None:
        return self.words[kind].get(_fold(word))


def _fold(word: str) -> str:
    return re.sub(r"\s+", " ", word.strip().lower().replace("’", "'"))


@cache
def lexicon() -> Lexicon:
    words: dict[str, dict[str, str]] = defaultdict(dict)
    for kind, word, value in read_table(
        "newsgraph.temporal", "lexicon.tsv", ["kind", "word", "value"]
    ):
        if kind not in KINDS:
            raise ValueError(f"lexicon.tsv: unknown kind {kind!r} for {word!r}")
        words[kind][_fold(word)] = value
    return Lexicon({kind: dict(words[kind]) for kind in KINDS})


def _alternation(words: list[str], case_sensitive: bool = False) -> str:
    forms: set[str] = set()
    for word in words:
        escaped = re.escape(word).replace(r"\ ", r"\s+").replace("'", "['’]")
        forms.add(escaped)
        if case_sensitive:
            forms.add(re.escape(word.upper()))
    body = "|".join(sorted(forms, key=lambda w: (-len(w), w)))
    return f"(?-i:{body})" if case_sensitive else f"(?:{body})"


def _raw_words(kind: str) -> list[str]:
    return [
        word
        for k, word, _ in read_table("newsgraph.temporal", "lexicon.tsv", ["kind", "word", "value"])
        if k == kind
    ]


@cache
def classes() -> dict[str, str]:
    """Placeholder name -> regex alternation."""
    lex = lexicon()
    months = _raw_words("month")
    full_months = [w for w in months if w.endswith(".") or w in calendar.month_name]
    days = _raw_words("weekday")
    full_days = [w for w in days if not w.endswith(".")]
    ones = [w for w, v in lex.words["number"].items() if w.isalpha() and 1 <= int(v) <= 9]
    teens = [w for w, v in lex.words["number"].items() if w.isalpha() and 10 <= int(v) <= 19]
    tens = list(lex.words["tens"])
    word_number = (
        f"(?:{_alternation(tens)}(?:[- ]{_alternation(ones)})?"
        f"|{_alternation([w for w in lex.words['number'] if w not in ('zero',)])})"
        r"(?:\s+(?:hundred|thousand))?"
    )
    digits = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    ordinals = _alternation([w for w in lex.words["ordinal"]])
    return {
        "MONTH": _alternation(months, case_sensitive=True),
        "MONTHF": _alternation(full_months, case_sensitive=True),
        "WEEKDAY": _alternation(days, case_sensitive=True),
        "WEEKDAYF": _alternation(full_days, case_sensitive=True),
        "WEEKDAYS": _alternation([d + "s" for d in full_days], case_sensitive=True),
        "DAY": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?",
        "YEAR": r"(?:1[0-9]\d\d|20\d\d)",
        "EDGE": f"(?:{_EDGES})",
        "PART": _alternation(list(lex.words["part_of_day"])),
        "SEASON": _alternation(list(lex.words["season"])),
        "QORD": r"(?:first|second|third|fourth|final|1st|2nd|3rd|4th|last)",
        "CORD": f"(?:{ordinals}|\\d{{1,2}}(?:st|nd|rd|th))",
        "HOLIDAY": _alternation(_raw_words("holiday"), case_sensitive=True),
        "NUM": f"(?:{digits}|{word_number})",
        "VAGUE": _alternation(list(lex.words["vague"])),
        "UNIT": _alternation(list(lex.words["unit"])),
        "MOD": _alternation(list(lex.words["modifier"])),
        "SETW": _alternation(list(lex.words["set_word"])),
        "FUZZY": _alternation(list(lex.words["fuzzy"])),
        "TENS": _alternation(tens),
        "ONES": _alternation(ones),
        "TEENS": _alternation(teens),
        "TZ": f"(?-i:{_TZ})",
    }


@cache
def rules() -> tuple[Rule, ...]:
    text = resources.files("newsgraph.temporal").joinpath("data/rules.toml").read_text("utf-8")
    fills = classes()
    out = []
    for order, raw in enumerate(tomllib.loads(text)["rule"]):
        name = raw["name"]
        if raw["type"] not in TYPES or raw["norm"] not in NORMS:
            raise ValueError(f"rules.toml: rule {name!r} has a bad type or norm")

        def fill(m: re.Match[str], rule: str = name) -> str:
            if m[1] not in fills:
                raise ValueError(f"rules.toml: rule {rule!r} uses unknown <{m[1]}>")
            return fills[m[1]]

        pattern = re.sub(r"<([A-Z]+)>", fill, raw["pattern"]).replace(" ", r"\s+")
        anchor = re.sub(r"<([A-Z]+)>", fill, raw["anchor"])
        if re.search(r"\\s|\s", anchor):
            raise ValueError(f"rules.toml: rule {name!r}: an anchor is a single word")
        try:
            regex = re.compile(_BEFORE + f"(?:{pattern})" + _AFTER, re.IGNORECASE)
            anchor_regex = _anchor(anchor)
        except re.error as exc:
            raise ValueError(f"rules.toml: rule {name!r}: {exc}") from None
        out.append(Rule(name, raw["type"], raw["norm"], regex, order, anchor_regex))
    return tuple(out)


@cache
def _anchor(pattern: str) -> re.Pattern[str]:
    """The anchor as a whole word (no letter touching either end)."""
    return re.compile(rf"(?<![^\W\d_])(?:{pattern})(?![^\W\d_])", re.IGNORECASE)


_CHUNK: Final = re.compile(r"\S+")
#: whitespace-delimited chunk -> indexes of the anchors found in it (shared, bounded)
_ANCHOR_CACHE: dict[str, tuple[int, ...]] = {}
_CACHE_LIMIT: Final = 200_000


@cache
def _anchors() -> tuple[tuple[re.Pattern[str], ...], tuple[int, ...]]:
    """The distinct anchors, and each rule's anchor index."""
    distinct: list[re.Pattern[str]] = []
    index = []
    for rule in rules():
        if rule.anchor not in distinct:
            distinct.append(rule.anchor)
        index.append(distinct.index(rule.anchor))
    return tuple(distinct), tuple(index)


def _windows(text: str) -> list[list[tuple[int, int]]]:
    """For each anchor, the merged stretches of ``text`` around its occurrences.

    The text is cut at whitespace once; each chunk's anchors are looked up in a cache,
    so an article costs one pass whatever the number of rules."""
    anchors, _ = _anchors()
    hits: list[list[tuple[int, int]]] = [[] for _ in anchors]
    size = len(text)
    for m in _CHUNK.finditer(text):
        word = m.group()
        ids = _ANCHOR_CACHE.get(word)
        if ids is None:
            ids = tuple(i for i, anchor in enumerate(anchors) if anchor.search(word))
            if len(_ANCHOR_CACHE) >= _CACHE_LIMIT:
                _ANCHOR_CACHE.clear()
            _ANCHOR_CACHE[word] = ids
        if ids:
            start, end = max(0, m.start() - LEAD), min(size, m.end() + TAIL)
            for i in ids:
                spans = hits[i]
                if spans and start <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
    return hits


def candidates(text: str) -> Iterator[Candidate]:
    """Every match of every rule (overlapping).

    A rule's pattern runs only in the windows around its anchor word; a match that
    touches a window's cut end (not the text's) is dropped, as the text goes on."""
    windows = _windows(text)
    _, index = _anchors()
    for rule, anchor in zip(rules(), index, strict=True):
        for start, end in windows[anchor]:
            for m in rule.regex.finditer(text, start, end):
                if m.end() > m.start() and (m.end() < end or end == len(text)):
                    groups = {k: v for k, v in m.groupdict().items() if v is not None}
                    yield Candidate(m.start(), m.end(), rule, groups, m.group())


def select(found: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: the longest first, then the earlier-listed rule."""
    chosen: list[Candidate] = []
    # what is taken, sorted: the ranges do not overlap, so sorted by start they are
    # sorted by end too, and a candidate overlaps one of them exactly when it overlaps
    # the last that starts before it ends
    starts: list[int] = []
    ends: list[int] = []
    for cand in sorted(found, key=lambda c: (-c.text_len, c.rule.order, c.start)):
        k = bisect_left(starts, cand.end)
        if k and ends[k - 1] > cand.start:
            continue
        chosen.append(cand)
        starts.insert(k, cand.start)
        ends.insert(k, cand.end)
    return sorted(chosen, key=lambda c: c.start)


def parse_number(text: str) -> float | None:
    """A cardinal written in digits or words ("twenty-four", "a couple of", "2.5")."""
    lex = lexicon()
    word = _fold(text)
    word = re.sub(r"\s+", " ", word)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?", word):
        return float(word.replace(",", ""))
    if word in lex.words["number"]:
        return float(lex.words["number"][word])
    if word in lex.words["tens"]:
        return float(lex.words["tens"][word])
    scale = re.fullmatch(r"(.+?)\s+(hundred|thousand)", word)
    if scale:
        head = parse_number(scale[1])
        return head * (100 if scale[2] == "hundred" else 1000) if head is not None else None
    parts = re.split(r"[- ]", word)
    if len(parts) == 2 and parts[0] in lex.words["tens"] and parts[1] in lex.words["number"]:
        return float(lex.words["tens"][parts[0]]) + float(lex.words["number"][parts[1]])
    return None
