"""Statements of a report and how two of them relate: the same statement told again
(corroborates) or told with another value (contradicts).

A :class:`Statement` is a claim or a quote of one article: its content words
(normalised, stopwords and values removed) and its *values*, the checkable particulars
it holds: dates and durations (from the report's timexes), numbers, amounts of money
and percentages (read from the text), places and actors (the report's entities).

:func:`compare` first decides whether two statements say the same thing: their words
alike (Dice coefficient), where each value they agree on counts as a shared word (a
shared "$2.5 billion" or "July 2019" is evidence the words alone cannot give), and not
two different kinds of particular ("four batteries" and "in July 2019" are two facts
about one delivery). A specific particular both give alike (the same month or day, amount,
duration) with a place or actor agreeing holds a paraphrase at a lower score. A programme
counts as the thing it builds (the F-35 program, the F-35), a nationality as its country
("Russian", "Russia"), and a word glued to a name by a hyphen ("Russian-made") as nothing
beyond the name. Only then are their values set side by side. A value of one kind
and key (a year, an amount, a number of batteries) that the two give differently makes
them contradict, judged on the words and the agreeing dates and numbers only, never on
shared names, since two different facts about the same actors share those; a shared
value, or near-identical wording, makes them corroborate. Values that differ in several
particulars, or with another date or place as well, tell of two occasions (two days'
tallies), not two accounts of one. A place or actor that differs contradicts only when
the rest matches strongly, down to a shared day or number (the same people, the same
day, another city). Two named speakers of one quote told word for word contradict.

The thresholds were set on the hand-built story corpus (tests/data/corpus), whose
designed links they find with no undesigned one, and checked for false links on
unrelated development texts. The word tables are data: ``data/statement_words.tsv``
(stopwords and the words counted as one) and ``data/value_words.tsv`` (number words,
scales, currencies, percent signs).

Pure: reads a Report, never the text analysis; no spaCy.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property, lru_cache
from typing import Final, NamedTuple

from ..datafile import read_table
from ..report import Entity, Quote, Report, Span, Timex
from ..timevalues import GRANULARITIES, Point, parse_value

PACKAGE: Final = "newsgraph.corpus"

#: Entity types whose mentions are place values, and those that are actor values.
PLACE_TYPES: Final = frozenset({"LOCATION", "COUNTRY"})
ACTOR_TYPES: Final = frozenset({"PERSON", "ORGANIZATION", "IGO"})

#: Two statements are the same statement when their *score* reaches SAME_SCORE: the
#: Dice coefficient of their words, where each value they agree on counts as a shared
#: word of VALUE_WEIGHT (a shared "$2.5 billion" or "July 2019" is evidence the words
#: alone cannot give; a year or a name is weaker evidence than a day or an amount).
SAME_SCORE: Final = 0.5
#: ... or when most of the shorter one's words are in the longer (one outlet adds a
#: clause): containment SAME_CONTAINMENT over at least SAME_MIN_SHARED shared words.
SAME_CONTAINMENT: Final = 0.75
SAME_MIN_SHARED: Final = 4
#: Two statements that give the same specific particular (a day or month, an amount, a
#: duration, a number past SMALL_NUMBER) and no other place or actor are the same at
#: this lower score, with a content word in common (:func:`_anchored`).
ANCHORED_SCORE: Final = 0.4
#: A contradiction needs this many shared words and this score counting only the
#: agreeing dates, numbers, amounts and durations (not names): two statements that
#: share a word and a name are too little alike to be at odds.
CONTRADICT_MIN_SHARED: Final = 2
CONTRADICT_SCORE: Final = 0.6
#: Words (and values) this alike make the same text: a quote told again, a copied claim.
NEAR_IDENTICAL: Final = 0.9
#: A different place or actor contradicts only when the rest matches strongly: a score
#: of STRONG_SCORE over at least STRONG_MIN_SHARED shared words, with some place or
#: actor agreeing and a specific particular (a day, a month, a number) in common: the
#: same people on the same day, in another place. Only one place or actor may differ.
STRONG_SCORE: Final = 0.7
STRONG_MIN_SHARED: Final = 3
#: How much an agreeing value counts as a shared word: by kind, and for dates by the
#: granularity they agree at ("2019" and "July 2019" agree as a year).
VALUE_WEIGHT: Final[dict[str, float]] = {
    "amount": 1.0,
    "percent": 1.0,
    "number": 1.0,
    "duration": 1.0,
    "place": 0.5,
    "actor": 0.5,
}
#: A count up to SMALL_NUMBER ("one strike", "two colours") is common, weak evidence.
SMALL_NUMBER: Final = 10
SMALL_NUMBER_WEIGHT: Final = 0.5
#: Dates agreeing as a year or coarser; as a month, week or day they weigh 1.
DATE_WEIGHT: Final[dict[str, float]] = {
    "C": 0.25,
    "E": 0.25,
    "Y": 0.5,
    "H": 0.5,
    "Q": 0.5,
    "S": 0.5,
}
#: Numbers within this relative distance are the same number (rounding: $2.46bn, $2.5bn).
NUMBER_TOLERANCE: Final = Decimal("0.02")
#: Durations within this relative distance are the same (a month of 30 or 31 days).
DURATION_TOLERANCE: Final = 0.1

#: TIMEX3 mods that bound a value rather than place it: compared only with the same mod.
BOUND_MODS: Final = frozenset(
    {"BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER", "LESS_THAN", "MORE_THAN"}
    | {"EQUAL_OR_LESS", "EQUAL_OR_MORE"}
)
#: Days per duration unit.
UNIT_DAYS: Final[dict[str, float]] = {
    "Y": 365.25,
    "M": 30.44,
    "W": 7.0,
    "D": 1.0,
    "H": 1 / 24,
    "MIN": 1 / 1440,
    "S": 1 / 86400,
    "DE": 3652.5,
    "CE": 36525.0,
}
GRAN_LABEL: Final[dict[str, str]] = {
    "C": "century",
    "E": "decade",
    "Y": "year",
    "H": "half-year",
    "Q": "quarter",
    "S": "season",
    "M": "month",
    "W": "week",
    "WE": "weekend",
    "D": "date",
    "T": "time",
}
#: Speakers that are no name.
PRONOUNS: Final = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which", "that"})
#: Plurals without an -s that end the noun a number counts.
PLURALS: Final = frozenset(
    {"people", "police", "men", "women", "children", "personnel", "staff", "aircraft", "cattle"}
)
#: Words before "one" that make it a pronoun, not a number ("the one", "no one").
ONE_PRONOUN: Final = frozenset(
    {"the", "this", "that", "no", "any", "each", "every", "another", "which", "someone"}
)


@dataclass(frozen=True)
class Value:
    """A checkable particular of a statement."""

    #: "date" | "duration" | "number" | "amount" | "percent" | "place" | "actor"
    kind: str
    #: What is measured, so only like compares with like: the unit noun of a number
    #: ("battery"), the currency of an amount ("USD"), "" for dates, durations and
    #: percents (or the bounding mod, "before", "less_than"), the entity type of a
    #: place or actor.
    key: str
    #: Normalised: a TIMEX3 value for a date ("2017", "2019-07"), a duration ("P4M",
    #: a range "P4M/P6M"), a canonical number ("2500000000", a range "2/3"), the kb id
    #: or the lower-cased name of a place or actor.
    value: str
    #: As written.
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Statement:
    """A claim or a quote of one article, its words and its values."""

    article_id: str
    #: The claim id ("c3") or the quote id ("q2").
    item_id: str
    #: "claim" | "quote"
    kind: str
    start: int
    end: int
    text: str
    #: Normalised content words: values and stopwords removed, other named things
    #: (a weapon system, a nationality) as one "=id" word.
    words: frozenset[str]
    values: tuple[Value, ...]
    #: For a quote (and a claim inside one): the speaker's kb id, else the normalised
    #: name; None for an unnamed or unknown speaker.
    speaker: str | None
    #: The speaker as written.
    speaker_text: str | None = None

    # What compare() reads of one statement, worked out once (a statement is compared
    # with many others): cached on the instance, outside the fields.
    @cached_property
    def with_values(self) -> frozenset[str]:
        return self.words | {f"{v.kind}:{v.value}" for v in self.values}

    @cached_property
    def folded(self) -> str:
        return " ".join(_fold(self.text).split()).strip(" ,.")

    @cached_property
    def particulars(self) -> frozenset[tuple[str, str]]:
        return frozenset(
            (v.kind, "" if v.kind == "amount" else v.key)
            for v in self.values
            if v.kind not in NAMES
        )

    @cached_property
    def name_words(self) -> frozenset[str]:
        out: set[str] = set()
        for v in self.values:
            if v.kind in NAMES and not _KB_ID.fullmatch(v.value):
                out.update(w for w in map(normalise_word, v.value.split()) if w)
        return frozenset(out)

    @cached_property
    def value_groups(self) -> dict[tuple[str, str], tuple[tuple[Value, str], ...]]:
        """The values by kind and key, in order, each value once, with its text folded."""
        groups: dict[tuple[str, str], list[Value]] = {}
        for v in self.values:
            groups.setdefault((v.kind, v.key), []).append(v)
        return {k: tuple((v, _fold(v.text)) for v in _distinct(vs)) for k, vs in groups.items()}

    @cached_property
    def name_ids(self) -> frozenset[str]:
        """The values of its places and actors."""
        return frozenset(v.value for v in self.values if v.kind in NAMES)

    @cached_property
    def value_ids(self) -> frozenset[str]:
        return frozenset(v.value for v in self.values)

    @cached_property
    def id_words(self) -> tuple[str, ...]:
        """Its "=id" words (a named thing that is not a place or actor value)."""
        return tuple(w for w in self.words if w.startswith("="))


@dataclass(frozen=True)
class Match:
    """Two statements that say the same thing, and how their values compare."""

    #: "corroborates" | "contradicts"
    relation: str
    #: One plain line: "same year: 2017", "amount $2.5 billion vs $1.4 billion" ...
    why: str
    agree: tuple[tuple[Value, Value], ...]
    differ: tuple[tuple[Value, Value], ...]
    #: How alike the two are: the Dice coefficient of their words, agreeing values
    #: counted as shared words (0..1).
    similarity: float


# --- the word tables ---------------------------------------------------------------


@dataclass(frozen=True)
class _QuantityWords:
    numbers: dict[str, int]
    scales: dict[str, Decimal]
    currencies: dict[str, str]
    percents: frozenset[str]


@cache
def word_table() -> tuple[frozenset[str], dict[str, str]]:
    """(stopwords, word -> the canonical word it counts as)."""
    stop: set[str] = set()
    same: dict[str, str] = {}
    for word, kind, canonical in read_table(
        PACKAGE, "statement_words.tsv", ["word", "kind", "canonical"]
    ):
        if kind == "stop":
            stop.add(word)
        elif kind == "same" and word not in same:
            same[word] = canonical
        else:
            raise ValueError(f"statement_words.tsv: bad or repeated row {word!r}")
    return frozenset(stop), same


@cache
def quantity_table() -> _QuantityWords:
    numbers: dict[str, int] = {}
    scales: dict[str, Decimal] = {}
    currencies: dict[str, str] = {}
    percents: set[str] = set()
    for word, kind, value in read_table(PACKAGE, "value_words.tsv", ["word", "kind", "value"]):
        if kind == "number":
            numbers[word] = int(value)
        elif kind == "scale":
            scales[word] = Decimal(value)
        elif kind == "currency":
            currencies[word] = value
        elif kind == "percent":
            percents.add(word)
        else:
            raise ValueError(f"value_words.tsv: bad row {word!r}")
    return _QuantityWords(numbers, scales, currencies, frozenset(percents))


# --- words -------------------------------------------------------------------------

_TOKEN: Final = re.compile(
    r"US\$|[$€£¥₺₽₹₩]|\d+(?:[.,]\d+)*[^\W\d_]*|[^\W\d_]+(?:['’][^\W\d_]+)*|%|[-–—]|\S"
)
_DIGITS: Final = re.compile(r"(\d+(?:[.,]\d+)*)([^\W\d_]*)")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("’", "'")


def stem(word: str) -> str:
    """A light suffix stripper: the forms of one word get one stem (hope, hopes, hoped,
    hoping -> hop). Not linguistics, only consistency."""
    w = word
    if len(w) <= 3:
        return w
    if w.endswith("ies") or w.endswith("ied"):
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
                w = w[:-1]  # stopped -> stop
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


@lru_cache(maxsize=65536)
def normalise_word(word: str) -> str | None:
    """The word as counted: None for a stopword, else its canonical form or stem."""
    stop, same = word_table()
    w = _fold(word)
    for tail in ("'s", "'"):
        if w.endswith(tail):
            w = w[: -len(tail)]
            break
    if w.endswith("n't"):
        return "not"
    if len(w) < 2 or w in stop:
        return None
    if w in same:
        return same[w]
    s = stem(w)
    if s in stop:
        return None
    return same.get(s, s)


# --- values ------------------------------------------------------------------------


class _Tok(NamedTuple):
    text: str
    start: int
    end: int


def _tokens(text: str, offset: int) -> list[_Tok]:
    return [_Tok(m.group(), offset + m.start(), offset + m.end()) for m in _TOKEN.finditer(text)]


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _canonical(d: Decimal) -> str:
    """A number as a plain decimal string: 2.5E+9 -> "2500000000", 2.50 -> "2.5"."""
    return format(d.normalize(), "f")


def _digits(token: str, q: _QuantityWords) -> tuple[Decimal, bool] | None:
    """A digit token's value and whether a scale was written onto it ("1.4bn")."""
    m = _DIGITS.fullmatch(token)
    if not m:
        return None
    number, suffix = m.groups()
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", number):
        number = number.replace(",", "")
    elif "," in number:
        return None
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    if not suffix:
        return value, False
    scale = q.scales.get(suffix.lower())
    if scale is None:
        return None  # 21st, 1990s, F35
    return value * scale, True


@dataclass(frozen=True)
class _Number:
    value: Decimal
    first: int  # token indexes [first, last]
    last: int
    words: bool  # written in words
    scaled: bool


#: A TIMEX3 date without its year: XXXX-01-08, XXXX-01.
_YEARLESS: Final = re.compile(r"XXXX-(\d\d)(?:-(\d\d))?")
_OPENERS: Final = frozenset('.!?:;("“‘')


def _name_like(toks: Sequence[_Tok], i: int) -> bool:
    """Whether token ``i`` is a word of a name: capitalised inside a sentence, or with
    capitals past its first letter (iPhone, WWDC) anywhere."""
    t = toks[i].text
    if not t.isalpha() or not any(c.isupper() for c in t):
        return False
    if any(c.isupper() for c in t[1:]):
        return True
    return i > 0 and toks[i - 1].text not in _OPENERS


def _read_number(toks: Sequence[_Tok], i: int, q: _QuantityWords) -> _Number | None:
    """The number that starts at token ``i`` (digits with a scale, or number words)."""
    if i >= len(toks):
        return None
    t = toks[i].text
    low = t.lower()
    if t[0].isdigit():
        if i > 1 and toks[i - 1].text == "-" and toks[i - 1].start == toks[i].start - 1:
            before = toks[i - 2]
            if before.end == toks[i - 1].start and before.text[-1:].isalpha():
                return None  # S-400, F-35: a name, not a number
        if i > 0 and _name_like(toks, i - 1):
            return None  # iPhone 4, WWDC 2005, Resolution 2254: part of a name
        digits = _digits(t, q)
        if digits is None:
            return None
        value, scaled = digits
        last = i
        if not scaled and i + 1 < len(toks):
            scale = q.scales.get(toks[i + 1].text.lower())
            if scale is not None and len(toks[i + 1].text) > 1:
                value, scaled, last = value * scale, True, i + 1
        return _Number(value, i, last, False, scaled)
    if low not in q.numbers and not (
        low in ("a", "an") and i + 1 < len(toks) and toks[i + 1].text.lower() in q.scales
    ):
        return None
    total = Decimal(0)
    current = Decimal(0)
    j = i
    last = i
    prev = ""  # what the last word was: "a", "tens", "unit", "scale"
    scaled = False
    while j < len(toks):
        w = toks[j].text.lower()
        if w in q.numbers:
            n = q.numbers[w]
            if prev in ("unit", "a") or (prev == "tens" and not 0 < n < 10):
                break  # "two three" is no number; "a two" neither
            current += n
            prev = "tens" if n >= 20 else "unit"
        elif w in ("a", "an") and not prev:
            current, prev = Decimal(1), "a"
        elif prev and w in q.scales and len(w) > 2:
            scale = q.scales[w]
            if scale < 1000:  # hundred, dozen
                current = (current or 1) * scale
            else:
                total += (current or 1) * scale
                current = Decimal(0)
                scaled = True
            prev = "scale"
        elif prev in ("tens", "scale") and w in ("-", "and") and j + 1 < len(toks):
            nxt = toks[j + 1].text.lower()
            if nxt not in q.numbers or (w == "-" and prev != "tens"):
                break
            j += 1
            continue
        else:
            break
        last = j
        j += 1
    if prev in ("", "a"):
        return None
    return _Number(total + current, i, last, True, scaled)


def _quantities(
    toks: Sequence[_Tok], blocked: Sequence[tuple[int, int]], text: str, base: int
) -> tuple[list[Value], list[tuple[int, int]]]:
    """Numbers, amounts and percents written in the tokens, outside ``blocked`` spans,
    and where their quantities are written (a number's value text runs on to the noun
    it counts, which stays a word of the statement)."""
    q = quantity_table()
    stop, _ = word_table()
    out: list[Value] = []
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        first = i
        currency = None
        low = toks[i].text.lower()
        if low in q.currencies and (not low.isalpha() or toks[i].text.isupper()):
            currency = q.currencies[low]
            i += 1
        num = _read_number(toks, i, q)
        if num is None or _inside(toks[first].start, toks[num.last].end, blocked):
            i = first + 1
            continue
        lo, hi, last = num.value, num.value, num.last
        # a range: "two to three", "2-3", "$1.4 billion to $1.6 billion", "between 4 and 6"
        before = toks[first - 1].text.lower() if first > 0 else ""
        between = before == "between"
        k = last + 1
        if (
            before not in ("by", "from")
            and k < len(toks)
            and (
                toks[k].text.lower() in ("to", "or", "-", "–", "—")
                or (between and toks[k].text.lower() == "and")
            )
        ):
            k2 = k + 1
            if k2 < len(toks) and toks[k2].text.lower() in q.currencies:
                k2 += 1
            other = _read_number(toks, k2, q)
            if other is not None and not _inside(toks[k2].start, toks[other.last].end, blocked):
                hi, last = other.value, other.last
                if other.scaled and not num.scaled:
                    lo = lo * (other.value / _unscaled(toks, other, q))
        percent = False
        k = last + 1
        if k < len(toks):
            w = toks[k].text.lower()
            if w in q.percents:
                percent, last = True, k
            elif w == "per" and k + 1 < len(toks) and toks[k + 1].text.lower() == "cent":
                percent, last = True, k + 1
            elif currency is None and w in q.currencies and w.isalpha():
                currency, last = q.currencies[w], k
        key = ""
        kind = "amount" if currency else "percent" if percent else "number"
        quantity_end = toks[last].end
        if kind == "number":
            key, unit_last = _unit(toks, last + 1, blocked, stop)
            if num.words and not key:
                i = last + 1
                continue  # "rose to four": too vague to hold against another number
            if (
                num.words
                and lo == hi == 1
                and (first > 0 and toks[first - 1].text.lower() in ONE_PRONOUN)
            ):
                i = last + 1
                continue
            if (
                not num.words
                and not num.scaled
                and lo == hi
                and lo == lo.to_integral_value()
                and 1900 <= lo <= 2100
                and not key
            ):
                i = last + 1
                continue  # a year the time tagger left alone
            last = max(last, unit_last)
        if lo > hi:
            lo, hi = hi, lo
        value = _canonical(lo) if lo == hi else f"{_canonical(lo)}/{_canonical(hi)}"
        start, end = toks[first].start, toks[last].end
        out.append(Value(kind, currency or key, value, text[start - base : end - base], start, end))
        spans.append((start, quantity_end))
        i = last + 1
    return out, spans


def _unscaled(toks: Sequence[_Tok], num: _Number, q: _QuantityWords) -> Decimal:
    """The value of a scaled number without its scale ("3 billion" -> 3)."""
    plain = _read_number(toks[: num.last], num.first, q)
    if plain is None or plain.value == 0:
        return Decimal(1)
    digits = _digits(toks[num.first].text, q)
    if digits is not None and digits[1]:  # "1.6bn": the scale is in the token
        m = _DIGITS.fullmatch(toks[num.first].text)
        assert m is not None
        return Decimal(m.group(1).replace(",", ""))
    return plain.value


def _unit(
    toks: Sequence[_Tok], k: int, blocked: Sequence[tuple[int, int]], stop: frozenset[str]
) -> tuple[str, int]:
    """The noun a number counts: the last of up to four content words after it ("four
    advanced air defence batteries" -> battery), and the index of that word."""
    key, at, count = "", k - 1, 0
    for j in range(k, min(k + 8, len(toks))):
        if count == 4:
            break
        t = toks[j]
        if t.text.isupper() and len(t.text) <= 3 and not _inside(t.start, t.end, blocked):
            key, at, count = t.text.lower(), j, count + 1  # a unit: "16 GB", "300 MW"
            continue
        if t.text == "-" or t.text[:1].isupper():
            continue  # "two Turkish S-400 batteries": names are part of the run, not its noun
        if t.text[0].isdigit() and (toks[j - 1].end == t.start or _inside(t.start, t.end, blocked)):
            continue  # the "400" of S-400
        if not t.text[0].isalpha() or _fold(t.text) in stop:
            break
        word = normalise_word(t.text)
        if word is None:
            break
        key, at, count = word, j, count + 1
        low = _fold(t.text)
        if low in PLURALS or (low.endswith("s") and not low.endswith(("ss", "us", "is"))):
            break  # the plural is the head: "250 soldiers crossed" -> soldier
    return key, at


def _duration_days(value: str) -> float | None:
    m = re.fullmatch(r"P(T?)(\d+(?:\.\d+)?)(Y|M|W|D|H|S|DE|CE)", value)
    if not m:
        return None
    unit = m.group(3)
    if m.group(1):
        unit = {"H": "H", "M": "MIN", "S": "S"}.get(unit, "")
        if not unit:
            return None
    return float(m.group(2)) * UNIT_DAYS[unit]


def _timex_value(t: Timex) -> Value | None:
    mod = (t.mod or "").upper()
    key = mod.lower() if mod in BOUND_MODS else ""
    if t.type in ("DATE", "TIME"):
        if parse_value(t.value) is None and not _YEARLESS.fullmatch(t.value):
            return None  # PAST_REF, XXXX-WXX, ...
        value = t.value
        if t.upper and parse_value(t.upper) is not None:
            value = f"{t.value}/{t.upper}"
        return Value("date", key, value, t.text, t.start, t.end)
    if t.type == "DURATION":
        if _duration_days(t.value) is None:
            return None  # PXY: "years"
        value = t.value
        if t.upper and _duration_days(t.upper) is not None:
            value = f"{t.value}/{t.upper}"
        return Value("duration", key, value, t.text, t.start, t.end)
    return None


def _entity_value(e: Entity) -> str:
    return e.kb_id or " ".join(_fold(e.name).split())


#: The words that make a name the programme of a thing ("F-35 program", "B-21 programme"):
#: a programme counts as the thing it builds, whichever of the two the linker found.
PROGRAM_SUFFIXES: Final = ("-programme", "-program", " programme", " program")


def _entity_word(e: Entity) -> str:
    value = _entity_value(e)
    if e.type == "PROGRAM":
        for suffix in PROGRAM_SUFFIXES:
            if value.endswith(suffix) and len(value) > len(suffix):
                value = value[: -len(suffix)]
                break
    return "=" + value


@dataclass(frozen=True)
class _Layers:
    """A report's timexes and entity mentions in text order, for finding those inside a
    span without reading them all for every statement."""

    timexes: tuple[Timex, ...]
    timex_starts: tuple[int, ...]
    #: (start, end, text, value kind or None, entity), by start then the report's order
    mentions: tuple[tuple[int, int, str, str | None, Entity], ...]
    mention_starts: tuple[int, ...]

    @classmethod
    def of(cls, report: Report) -> _Layers:
        timexes = tuple(sorted(report.timexes, key=lambda t: t.start))
        found = []
        for e in report.entities:
            if e.attrs.get("stands_for"):
                continue  # a capital's place beside the state it stands for: the state's span
            vkind = "place" if e.type in PLACE_TYPES else "actor" if e.type in ACTOR_TYPES else None
            for m in (*e.mentions, *e.references):
                found.append((m.start, m.end, m.text, vkind, e))
        found.sort(key=lambda x: x[0])  # stable: the report's order within one start
        return cls(
            timexes, tuple(t.start for t in timexes), tuple(found), tuple(x[0] for x in found)
        )

    def timexes_in(self, start: int, end: int) -> Iterator[Timex]:
        for k in range(bisect_left(self.timex_starts, start), len(self.timexes)):
            t = self.timexes[k]
            if t.start >= end:
                return
            if t.end <= end:
                yield t

    def mentions_in(
        self, start: int, end: int
    ) -> Iterator[tuple[int, int, str, str | None, Entity]]:
        for k in range(bisect_left(self.mention_starts, start), len(self.mentions)):
            m = self.mentions[k]
            if m[0] >= end:
                return
            if m[1] <= end:
                yield m


def _read(
    report: Report,
    span: Span,
    speaker: tuple[str | None, str | None],
    kind: str,
    item: str,
    layers: _Layers | None = None,
) -> Statement:
    """One statement: the values and words of ``span``."""
    start, end = span.start, span.end
    at = layers or _Layers.of(report)
    values: list[Value] = []
    blocked: list[tuple[int, int]] = []
    for t in at.timexes_in(start, end):
        blocked.append((t.start, t.end))
        v = _timex_value(t)
        if v is not None:
            values.append(v)
    words: set[str] = set()
    covered = list(blocked)  # no word of the statement comes from these
    things: list[tuple[int, int]] = []  # mentions of other named things
    named: list[tuple[int, int]] = []  # mentions of any entity
    for m_start, m_end, m_text, vkind, e in at.mentions_in(start, end):
        blocked.append((m_start, m_end))
        named.append((m_start, m_end))
        if vkind is not None:
            values.append(Value(vkind, e.type, _entity_value(e), m_text, m_start, m_end))
            covered.append((m_start, m_end))
        else:
            words.add(_entity_word(e))
            things.append((m_start, m_end))
    toks = _tokens(span.text, start)
    quantities, written = _quantities(toks, blocked, span.text, start)
    values.extend(quantities)
    covered += written
    q = quantity_table()
    quantity_words = {*q.numbers, *q.scales, "hundreds", "thousands", "dozens", "millions"}
    for n, tok in enumerate(toks):
        if not tok.text[0].isalpha() or _inside(tok.start, tok.end, covered):
            continue
        if _after_name(toks, n, named):
            continue  # "Russian-made", "US-led": the name says it
        if not tok.text.islower() and _inside(tok.start, tok.end, things):
            continue  # the name itself is its "=id" word; "systems" in "S-400 systems" is kept
        if _fold(tok.text) in quantity_words:
            continue  # a number word left over is vague ("one of", "hundreds")
        w = normalise_word(tok.text)
        if w is not None:
            words.add(w)
    values.sort(key=lambda v: (v.start, v.end, v.kind))
    return Statement(
        article_id=report.article.id,
        item_id=item,
        kind=kind,
        start=start,
        end=end,
        text=span.text,
        words=frozenset(words),
        values=tuple(values),
        speaker=speaker[0],
        speaker_text=speaker[1],
    )


def _after_name(toks: Sequence[_Tok], i: int, named: Sequence[tuple[int, int]]) -> bool:
    """Whether token ``i`` is a lower-case word glued by a hyphen to the name before it
    ("Russian-made", "US-led", "Iran-backed"): a word of the name's adjective, which says
    no more than the name."""
    if i < 2 or not toks[i].text.islower():
        return False
    hyphen, name = toks[i - 1], toks[i - 2]
    return (
        hyphen.text == "-"
        and name.end == hyphen.start
        and hyphen.end == toks[i].start
        and _inside(name.start, name.end, named)
    )


def _speaker(report: Report, quote: Quote | None) -> tuple[str | None, str | None]:
    """(who, as written) for a quote's speaker; (None, None) when unnamed or unknown."""
    if quote is None:
        return None, None
    written = quote.speaker.text if quote.speaker else None
    if quote.speaker_entity:
        for e in report.entities:
            if e.id == quote.speaker_entity:
                return _entity_value(e), written or e.name
    if written and quote.source_kind in ("named_person", "named_organization", "media_outlet"):
        name = " ".join(_fold(written).split())
        if name not in PRONOUNS:
            return name, written
    return None, None


def statements_of(report: Report) -> list[Statement]:
    """Every claim (its span) and every quote (its content) of ``report``, in text order.
    A claim inside a quote is a statement of its own, with the quote's speaker. A sentence
    no claim or quote covers that gives a specific particular (an amount, a percent, a
    duration, a month or day, a counted number) is a statement too, of kind "sentence"
    (item id ``s`` and its offset): the claims layer may have missed it, and a
    fact-checker wants every checkable figure compared."""
    quotes = {q.id: q for q in report.quotes}
    layers = _Layers.of(report)
    out: list[Statement] = []
    for c in report.claims:
        span = Span(c.start, c.end, c.text)
        who = _speaker(report, quotes.get(c.quote or ""))
        out.append(_read(report, span, who, "claim", c.id, layers))
    for q in report.quotes:
        out.append(_read(report, q.content, _speaker(report, q), "quote", q.id, layers))
    covered = sorted((x.start, x.end) for x in out)
    text = report.article.text
    for start, end in _sentences(text):
        if any(a < end and start < b for a, b in covered):
            continue
        if (
            not _may_be_specific(text[start:end])
            and next(layers.timexes_in(start, end), None) is None
        ):
            continue  # no digit, number word or time expression: nothing specific
        span = Span(start, end, text[start:end])
        found = _read(report, span, (None, None), "sentence", f"s{start}", layers)
        if any(_specific(v) for v in found.values):
            out.append(found)
    out.sort(key=lambda s: (s.start, s.end, s.kind))
    return out


#: Where a sentence ends: . ! or ? (and a closing quote or bracket) before white space and
#: a capital, a digit or an opening quote; a blank line ends one too.
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, cut by punctuation (no parse: the corpus layer has only
    the report), trailing punctuation and white space left out."""
    out = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    spans = []
    for a, b in out:
        chunk = text[a:b]
        a += len(chunk) - len(chunk.lstrip())
        b = a + len(chunk.strip().rstrip(".!?"))
        if b - a >= 20:
            spans.append((a, b))
    return spans


@cache
def _quantity_word_pattern() -> re.Pattern[str]:
    q = quantity_table()
    words = sorted({*q.numbers, *q.scales, *q.currencies, *q.percents}, key=len, reverse=True)
    return re.compile(r"\d|" + "|".join(rf"\b{re.escape(w)}\b" for w in words), re.IGNORECASE)


def _may_be_specific(text: str) -> bool:
    """Whether a sentence may give a number, amount or percent: a digit or a number,
    scale, currency or percent word (a cheap test before reading it whole)."""
    return _quantity_word_pattern().search(text) is not None


def _specific(v: Value) -> bool:
    """A particular a fact-checker can hold a sentence to: an amount, a percent, a
    duration, a date of a month or finer, a number past SMALL_NUMBER with its unit."""
    if v.kind in ("amount", "percent", "duration"):
        return True
    if v.kind == "date":
        return _month_day(_range(v.value)[0]) is not None and not v.value.startswith("XXXX")
    if v.kind == "number":
        return bool(v.key) and not _is_small(v.value)
    return False


# --- comparing ---------------------------------------------------------------------


def similarity(a: frozenset[str], b: frozenset[str], bonus: float = 0.0) -> float:
    """The Dice coefficient of two word sets, ``bonus`` counted as words both hold."""
    if not a or not b:
        return 0.0
    return 2 * (len(a & b) + bonus) / (len(a) + len(b) + 2 * bonus)


def same_statement(a: frozenset[str], b: frozenset[str], bonus: float = 0.0) -> bool:
    """Whether two word sets (plus agreeing values worth ``bonus`` words) say the same
    thing: some word shared, and the score at SAME_SCORE or the shorter mostly
    contained in the longer."""
    shared = len(a & b)
    if not shared:
        return False
    if similarity(a, b, bonus) >= SAME_SCORE:
        return True
    return shared >= SAME_MIN_SHARED and shared / min(len(a), len(b)) >= SAME_CONTAINMENT


def _range(value: str) -> tuple[str, str]:
    lo, _, hi = value.partition("/")
    return lo, hi or lo


def _number_agrees(a: str, b: str) -> bool:
    (alo, ahi), (blo, bhi) = _range(a), _range(b)
    try:
        lo1, hi1, lo2, hi2 = Decimal(alo), Decimal(ahi), Decimal(blo), Decimal(bhi)
    except InvalidOperation:
        return a == b
    slack = NUMBER_TOLERANCE * max(abs(hi1), abs(hi2))
    return lo1 <= hi2 + slack and lo2 <= hi1 + slack


def _date_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    lo, hi = _range(value)
    p, r = parse_value(lo), parse_value(hi)
    if p is None or r is None:
        return None
    return p.day, r.end


def _month_day(value: str) -> tuple[str, str] | None:
    """The month and day of a date value ("" where not given), None for a year or coarser."""
    m = _YEARLESS.fullmatch(value) or re.fullmatch(r"\d{4}-(\d\d)(?:-(\d\d))?(?:T.*)?", value)
    return (m.group(1), m.group(2) or "") if m else None


def _date_agrees(a: str, b: str) -> bool:
    """Dates agree when their periods overlap: "2019" and "2019-07" agree (compared at
    the coarser granularity), "2019-07" and "2019-08" do not. A date without its year
    ("Jan. 8" in an undated text, XXXX-01-08) is held against the month and day only."""
    x, y = _date_bounds(a), _date_bounds(b)
    if x is not None and y is not None:
        return x[0] <= y[1] and y[0] <= x[1]
    mx, my = _month_day(_range(a)[0]), _month_day(_range(b)[0])
    if mx is None or my is None:
        return True  # a year against a date without one: nothing to hold them by
    return mx[0] == my[0] and (not mx[1] or not my[1] or mx[1] == my[1])


def _duration_agrees(a: str, b: str) -> bool:
    (alo, ahi), (blo, bhi) = _range(a), _range(b)
    lo1, hi1, lo2, hi2 = (_duration_days(v) for v in (alo, ahi, blo, bhi))
    if lo1 is None or hi1 is None or lo2 is None or hi2 is None:
        return a == b
    slack = DURATION_TOLERANCE * max(hi1, hi2)
    return lo1 <= hi2 + slack and lo2 <= hi1 + slack


def values_agree(a: Value, b: Value) -> bool:
    """Whether two values of one kind and key say the same."""
    if a.kind == "date":
        return _date_agrees(a.value, b.value)
    if a.kind == "duration":
        return _duration_agrees(a.value, b.value)
    if a.kind in ("number", "amount", "percent"):
        return _number_agrees(a.value, b.value)
    return a.value == b.value


def _label(a: Value) -> str:
    if a.kind == "date":
        point: Point | None = parse_value(_range(a.value)[0])
        return GRAN_LABEL.get(point.gran, "date") if point else "date"
    return a.kind


def _distinct(values: Iterable[Value]) -> list[Value]:
    seen: set[str] = set()
    out: list[Value] = []
    for v in values:
        if v.value not in seen:
            seen.add(v.value)
            out.append(v)
    return out


def _pair_values(
    a: Statement, b: Statement
) -> tuple[list[tuple[Value, Value]], list[tuple[Value, Value]], list[tuple[Value, Value]]]:
    """(agreeing pairs, differing pairs, differing places and actors) over the kind+key
    groups both statements hold. A value differs when the other side gives values of its
    kind and key but none that agree with it, and does not write it the same way."""
    agree: list[tuple[Value, Value]] = []
    differ: list[tuple[Value, Value]] = []
    name_differ: list[tuple[Value, Value]] = []
    theirs = b.value_groups  # each statement's groups are worked out once (compared often)
    for (kind, key), xs in a.value_groups.items():
        ys = theirs.get((kind, key))
        if not ys:
            continue
        pairs: list[tuple[Value, Value]]
        if len(xs) == 1 and len(ys) == 1:  # most groups: one value each
            (x, x_folded), (y, y_folded) = xs[0], ys[0]
            if values_agree(x, y):
                agree.append((x, y))
                continue
            # written the same way, they are the same words read two ways (below)
            pairs = [(x, y)] if x_folded != y_folded else []
        else:
            # the same words read two ways ("today" in articles of two days, one name
            # linked to two entities) are not two versions of a fact: neither agree nor
            # differ
            written = {fx for _, fx in xs} & {fy for _, fy in ys}
            left = [
                x
                for x, fx in xs
                if not any(values_agree(x, y) for y, _ in ys) and fx not in written
            ]
            right = [
                y
                for y, fy in ys
                if not any(values_agree(x, y) for x, _ in xs) and fy not in written
            ]
            for x, _ in xs:
                for y, _ in ys:
                    if values_agree(x, y):
                        agree.append((x, y))
                        break
            pairs = list(zip(left, right, strict=False))
        (name_differ if kind in NAMES else differ).extend(pairs)
    for pairs in (agree, differ, name_differ):
        pairs.sort(key=lambda p: p[0].start)
    return agree, differ, name_differ


def _is_small(value: str) -> bool:
    try:
        return Decimal(_range(value)[1]) <= SMALL_NUMBER
    except InvalidOperation:
        return False


def _weight(x: Value, y: Value) -> float:
    """How much an agreeing pair counts as a shared word (VALUE_WEIGHT, DATE_WEIGHT)."""
    if x.kind == "number" and _is_small(x.value):
        return SMALL_NUMBER_WEIGHT
    if x.kind != "date":
        return VALUE_WEIGHT.get(x.kind, 1.0)
    px, py = parse_value(_range(x.value)[0]), parse_value(_range(y.value)[0])
    if px is None or py is None:
        return DATE_WEIGHT["Y"]
    coarser = min(GRANULARITIES.index(px.gran), GRANULARITIES.index(py.gran))
    return DATE_WEIGHT.get(GRANULARITIES[coarser], 1.0)


def _with_values(s: Statement) -> frozenset[str]:
    return s.with_values


def _near_identical(a: Statement, b: Statement) -> bool:
    """The same text: words and values alike (a quote told again, a copied claim)."""
    if similarity(_with_values(a), _with_values(b)) >= NEAR_IDENTICAL:
        return True
    return a.folded == b.folded


NAMES: Final = frozenset({"place", "actor"})


def _particulars(s: Statement) -> set[tuple[str, str]]:
    """The kinds of checkable particular a statement gives (places and actors aside):
    kind and key, one kind for all amounts."""
    return set(s.particulars)


_KB_ID: Final = re.compile(r"Q\d+|\w+:\S+")


def _name_words(s: Statement) -> frozenset[str]:
    """The words of the places and actors the knowledge base does not know. Whether
    a name the linker cannot place is tagged at all ("CAATSA", "Defense Industries")
    varies from article to article, so for likeness they count as words too."""
    return s.name_words


def compare(a: Statement, b: Statement) -> Match | None:
    """How ``b`` bears on ``a``: None unless the two make the same statement; then
    "contradicts" when a value they both give differs (or a quote told word for word is
    put in two named speakers' mouths), else "corroborates" when they share a value or
    are near-identical, else None.

    The same statement: near-identical texts, or the words alike (:func:`same_statement`)
    and not two different particulars ("four batteries" and "in July 2019" say two
    things about one delivery). A contradiction is judged on the words and on the
    dates, numbers, amounts, percents and durations that agree, never on shared names,
    since two different facts about the same actors share them. A shared place or actor
    alone corroborates only when the rest matches strongly."""
    near = _near_identical(a, b)
    pa, pb = _particulars(a), _particulars(b)
    if not near and pa and pb and not pa & pb:
        return None
    agree, differ, name_differ = _pair_values(a, b)
    facts = sum(_weight(x, y) for x, y in agree if x.kind not in NAMES)
    names = sum(_weight(x, y) for x, y in agree if x.kind in NAMES)
    wa, wb = a.words | _name_words(a), b.words | _name_words(b)
    # a nationality in one ("Russian-made") and its country in the other ("Russia"): one name
    cross = _demonym_words(a, b) | _demonym_words(b, a)
    wa, wb = wa - cross, wb - cross
    names += VALUE_WEIGHT["place"] * len(cross)
    score = similarity(wa, wb, facts + names)
    shared = len(wa & wb)
    strong = near or (score >= STRONG_SCORE and shared >= STRONG_MIN_SHARED and names > 0)
    if near and a.speaker and b.speaker and not _same_speaker(a, b):
        differ = differ + name_differ if strong else differ
        why = f"speaker {a.speaker_text or a.speaker} vs {b.speaker_text or b.speaker}"
        if differ:
            why += "; " + _differ_line(differ)
        return Match("contradicts", why, tuple(agree), tuple(differ), score)
    # another place or actor: one, in a statement that otherwise matches strongly and
    # holds a specific particular in common (the same people on the same day)
    one_name = name_differ if strong and len(name_differ) == 1 and facts >= 1 else []
    if differ:
        if not near:
            if len(wa & wb) < CONTRADICT_MIN_SHARED or similarity(wa, wb, facts) < CONTRADICT_SCORE:
                return None  # other values, and not clearly the same statement
            if _another_occasion(differ, name_differ, facts):
                return None
        differ = sorted(differ + one_name, key=lambda p: p[0].start)
        return Match("contradicts", _differ_line(differ), tuple(agree), tuple(differ), score)
    if one_name:
        return Match("contradicts", _differ_line(one_name), tuple(agree), tuple(one_name), score)
    bonus = facts + names
    if not (near or same_statement(wa, wb, bonus) or _anchored(wa, wb, agree, name_differ, bonus)):
        return None
    if not near and any(x.kind == "place" for x, _ in name_differ):
        return None  # the same words about another place: another statement
    if facts or (agree and strong):
        why = "; ".join(f"same {_label(x)}: {x.text}" for x, _ in agree)
        return Match("corroborates", why, tuple(agree), (), score)
    if near:
        words = " ".join(sorted(w for w in a.words & b.words if not w.startswith("=")))
        return Match("corroborates", f"same words: {words}", tuple(agree), (), score)
    return None


def through(a: Statement, z: Statement, b: Statement, zb: Match) -> Match | None:
    """How ``b`` bears on ``a`` by way of ``z``, when ``a`` makes the same statement as
    ``z`` and ``z`` contradicts ``b`` (``zb``: how ``b`` bears on ``z``): ``a`` contradicts
    ``b`` where it gives the very date, number, amount, percent or duration of ``z`` that
    ``b`` contradicts (written otherwise than ``b`` writes it: "today" in two articles of
    two days is no contradiction). Two versions of one statement can share no word ("the
    handover of the S-400s could take four to six months" and "the return of the systems
    could be completed in two to three months"), yet a third that shares words with each
    ("returning the systems could take four to six months") shows they are one
    statement."""
    if zb.relation != "contradicts":
        return None
    differ: list[tuple[Value, Value]] = []
    for zv, bv in zb.differ:
        if zv.kind in NAMES:
            continue  # a speaker, place or actor: judged on the whole statement only
        mine = [x for x in a.values if (x.kind, x.key) == (zv.kind, zv.key)]
        if any(values_agree(x, bv) for x in mine):
            continue  # it gives the other version too
        av = next((x for x in mine if values_agree(x, zv)), None)
        if av is not None and _fold(av.text) != _fold(bv.text):
            differ.append((av, bv))
    if not differ:
        return None
    said = " ".join(z.text.split())
    said = said if len(said) <= 80 else said[:77].rstrip() + "..."
    why = f'{_differ_line(differ)} (through the same statement: "{said}")'
    return Match("contradicts", why, (), tuple(differ), similarity(a.words, b.words))


def _demonym_words(a: Statement, b: Statement) -> frozenset[str]:
    """The "=id" words of ``a`` that ``b`` names as a place or actor (and does not hold
    as a word): the nationality "Russian" (=Q159) against the country "Russia" (Q159)."""
    ids = b.name_ids - a.value_ids
    if not ids or not a.id_words:
        return frozenset()
    return frozenset(w for w in a.id_words if w[1:] in ids and w not in b.words)


def _anchored(
    wa: frozenset[str],
    wb: frozenset[str],
    agree: Sequence[tuple[Value, Value]],
    name_differ: Sequence[tuple[Value, Value]],
    bonus: float,
) -> bool:
    """The same statement told in other words, held by a specific particular: the same
    day or month, amount, percent, duration or number past SMALL_NUMBER given by both
    (equal, not merely overlapping), a place or actor agreeing and none differing, a
    content word in common and the score at ANCHORED_SCORE ("Türkiye took delivery of
    the first components in July 2019" / "the first batteries were flown to Turkey in
    July 2019"). Differing values never get here."""
    if name_differ or not any(x.kind in NAMES for x, _ in agree):
        return False
    if not any(x.kind not in NAMES and x.value == y.value and _weight(x, y) >= 1 for x, y in agree):
        return False
    if not any(not w.startswith("=") for w in wa & wb):
        return False
    return similarity(wa, wb, bonus) >= ANCHORED_SCORE


def _same_speaker(a: Statement, b: Statement) -> bool:
    """Whether two named speakers are one: the same id; or, where the knowledge base
    knows only one of them, a name word in common ("Fidan" / "Hakan Fidan")."""
    if a.speaker == b.speaker:
        return True
    if _KB_ID.fullmatch(a.speaker or "") and _KB_ID.fullmatch(b.speaker or ""):
        return False
    stop, _ = word_table()

    def names(s: Statement) -> set[str]:
        return {w for w in _fold(s.speaker_text or s.speaker or "").split() if w not in stop}

    return bool(names(a) & names(b))


def _another_occasion(
    differ: Sequence[tuple[Value, Value]], name_differ: Sequence[tuple[Value, Value]], facts: float
) -> bool:
    """Whether differing values tell of two occasions rather than two accounts of one:
    another date as well as another number ("on Jan. 8, 34 strikes" / "on Jan. 10, 23
    strikes"), another place ("23 strikes in Syria" / "11 strikes in Iraq"), or several
    particulars that differ and none that agree (two days' tallies). Two accounts of one
    event differ in one particular."""
    kinds = {x.kind for x, _ in differ}
    if "date" in kinds and len(kinds) > 1:
        return True
    if len(differ) > 1 and not facts:
        return True
    return any(x.kind == "place" for x, _ in name_differ)


def _differ_line(differ: Sequence[tuple[Value, Value]]) -> str:
    return "; ".join(f"{_label(x)} {x.text} vs {y.text}" for x, y in differ)
