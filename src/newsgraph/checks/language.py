"""Loaded language: words that take sides, used in the writer's own voice.

AP and Reuters ask writers to attribute labels ("terrorist", "regime"), to prefer "said"
to verbs that cast doubt or imply guilt ("claimed", "admitted"), and to describe acts
rather than characterise them ("slammed", "draconian"). The words live in
``data/loaded_language.tsv``; a word counts only outside every quotation: outside the
report's quote contents and outside quotation marks in the text. With the parse, words
match by lemma and part of speech ("slammed" is "slam", a verb); without it, by simple
inflection ("slams", "slammed", "slamming").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

from spacy.attrs import LEMMA, LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from ..datafile import read_table
from ..report import Flag, Report, Span
from ..text.quotemarks import find_quote_marks
from .integrity import PREFIX_ABBREVIATIONS, parse_of

ORIGIN: Final = "checks.language"
HEADER: Final = ["term", "kind", "neutral", "pos"]
KINDS: Final = frozenset(
    {
        "labelling",
        "pejorative",
        "intensifier",
        "verb-of-attack",
        "doubt-verb",
        "euphemism",
        "not-loaded",
    }
)
#: The first word's part of speech; SAY: a verb of saying, i.e. with a clause ("claimed
#: that ...", "claims to have ...") and not in another sense ("claimed 200 lives").
POS_TAGS: Final = frozenset({"*", "VERB", "NOUN", "ADJ", "SAY"})
#: Distinct loaded terms from which the flag is a warning rather than a note.
SEVERAL: Final = 3
MAX_EVIDENCE: Final = 20

_TOKEN: Final = re.compile(r"\w+|-")
#: TimeBank's and LaTeX's ``quotes'' (the quote component's marks are the typographic ones).
_BACKTICKS: Final = re.compile(r"``[^\n]*?(?:''|$)", re.MULTILINE)


@dataclass(frozen=True)
class Term:
    term: str
    words: tuple[str, ...]
    kind: str
    neutral: str | None
    pos: str | None  # the first word's part of speech, None for any


def term_words(s: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _TOKEN.findall(s))


@cache
def lexicon() -> tuple[Term, ...]:
    """The loaded-language table, validated (a bad row fails at load with its term)."""
    terms = []
    for term, kind, neutral, pos in read_table("newsgraph.checks", "loaded_language.tsv", HEADER):
        if kind not in KINDS or pos not in POS_TAGS or not term_words(term):
            raise ValueError(f"loaded_language.tsv: bad row for {term!r} ({kind}, {pos})")
        terms.append(
            Term(
                term,
                term_words(term),
                kind,
                None if neutral in ("", "-") else neutral,
                None if pos == "*" else pos,
            )
        )
    return tuple(terms)


@cache
def _by_first_word() -> dict[str, tuple[Term, ...]]:
    index: dict[str, list[Term]] = {}
    for t in lexicon():
        index.setdefault(t.words[0], []).append(t)
    return {w: tuple(sorted(ts, key=lambda t: -len(t.words))) for w, ts in index.items()}


@cache
def _vocabulary() -> frozenset[str]:
    """Every word of every term: a token matters only when one of its forms is here."""
    return frozenset(w for t in lexicon() for w in t.words)


@lru_cache(maxsize=65536)
def _known_forms(lower: str) -> frozenset[str]:
    return frozenset(base_forms(lower)) & _vocabulary()


def base_forms(word: str) -> set[str]:
    """The forms a word may be inflected from: slams, slammed, slamming -> slam."""
    w = word.lower()
    out = {w}
    if len(w) <= 3:
        return out
    if w.endswith("ies") or w.endswith("ied"):
        out.add(w[:-3] + "y")
    if w.endswith("es"):
        out.add(w[:-2])
    if w.endswith("s") and not w.endswith("ss"):
        out.add(w[:-1])
    if w.endswith("ed"):
        out |= {w[:-2], w[:-1]}
        if len(w) > 5 and w[-3] == w[-4]:
            out.add(w[:-3])
    if w.endswith("ing") and len(w) > 5:
        out |= {w[:-3], w[:-3] + "e"}
        if w[-4] == w[-5]:
            out.add(w[:-4])
    return out


@dataclass(frozen=True)
class _Tok:
    """A token whose forms include a lexicon word; ``k`` is its place among all tokens."""

    k: int
    start: int
    end: int
    forms: frozenset[str]
    lower: str
    token: Token | None  # the parsed token, None without a parse
    after: str = ""  # the next word, without a parse

    @property
    def pos(self) -> str | None:
        return None if self.token is None else self.token.pos_

    @property
    def clause(self) -> bool:
        """A verb with a clausal complement, or (no parse) followed by "that" or "to"."""
        if self.token is None:
            return self.after in ("that", "to")
        return any(c.dep_ in ("ccomp", "xcomp") for c in self.token.children)


def _tokens(text: str, doc: Doc | None) -> list[_Tok]:
    """The tokens that may be part of a term, in order."""
    out: list[_Tok] = []
    if doc is None:
        for k, m in enumerate(_TOKEN.finditer(text)):
            lower = m.group().lower()
            forms = _known_forms(lower)
            if forms:
                nxt = _TOKEN.search(text, m.end())
                after = nxt.group().lower() if nxt else ""
                out.append(_Tok(k, m.start(), m.end(), forms, lower, None, after))
        return out
    wanted = _hashes()
    lemmas, lowers = doc.to_array([LEMMA, LOWER]).T.tolist() if len(doc) else ([], [])
    candidates = [
        k
        for k, (lemma, lower) in enumerate(zip(lemmas, lowers, strict=True))
        if lemma in wanted or lower in wanted
    ]
    vocab = _vocabulary()
    for k in candidates:
        t = doc[k]
        forms = frozenset((t.lemma_.lower(), t.lower_)) & vocab
        out.append(_Tok(k, t.idx, t.idx + len(t), forms, t.lower_, t))
    return out


@cache
def _hashes() -> frozenset[int]:
    """The spaCy string hashes of the lexicon's words (lemma and lower-case attributes;
    a string's hash is the same in every vocabulary)."""
    return frozenset(get_string_id(w) for w in _vocabulary())


def _pos_ok(term: Term, tok: _Tok) -> bool:
    verb = term.pos in ("VERB", "SAY")
    if term.pos == "SAY" and not tok.clause:
        return False
    pos = tok.pos
    if pos is None:  # no parse: only a verb's -ed and -ing forms are surely verbs
        return not verb or tok.lower.endswith(("ed", "ing"))
    if pos == "PROPN":  # a name: "the Radical Party"
        return False
    return term.pos is None or pos == term.pos or (verb and pos in ("VERB", "AUX"))


def _matches(tokens: Sequence[_Tok]) -> list[tuple[int, int, Term]]:
    """Longest lexicon match at each token, left to right, not overlapping."""
    index = _by_first_word()
    out: list[tuple[int, int, Term]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        found: tuple[int, Term] | None = None
        for form in tok.forms:
            for term in index.get(form, ()):
                n = len(term.words)
                if found is not None and n <= found[0]:
                    continue
                if i + n > len(tokens) or tokens[i + n - 1].k != tok.k + n - 1:
                    continue
                if not _pos_ok(term, tok):
                    continue
                if all(term.words[j] in tokens[i + j].forms for j in range(1, n)):
                    found = (n, term)
        if found is None:
            i += 1
            continue
        n, term = found
        out.append((tok.start, tokens[i + n - 1].end, term))
        i += n
    return out


def _regions(report: Report) -> list[tuple[int, int]]:
    """Quoted stretches, merged and sorted: not the writer's own words."""
    text = report.article.text
    spans = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    spans += [(s, e) for s, _, _, e in find_quote_marks(text)]
    spans += [(q.content.start, q.content.end) for q in report.quotes]
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _overlaps(regions: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    i = bisect_right(starts, start) - 1
    return any(s < end and start < e for s, e in regions[max(i, 0) : i + 2])


def _a_name(text: str, start: int) -> bool:
    """Capitalised inside a sentence ("the Radical Party"): a name, when there is no parse."""
    if not text[start].isupper():
        return False
    before = text[max(0, start - 40) : start].rstrip()
    if not before:
        return False
    if before.endswith("."):  # after "Mr." a name; after "said." a new sentence
        return before[:-1].rsplit(None, 1)[-1].lower() in PREFIX_ABBREVIATIONS
    return before[-1] not in "!?:\"'\u201c\u2018\u2014-("


def loaded_words(report: Report, doc: Doc | None = None) -> list[tuple[Span, Term]]:
    """Every loaded word in the writer's own voice, in text order."""
    text = report.article.text
    doc = parse_of(text, doc)
    regions = _regions(report)
    starts = [s for s, _ in regions]
    return [
        (Span.of(text, s, e), term)
        for s, e, term in _matches(_tokens(text, doc))
        if term.kind != "not-loaded"
        and not _overlaps(regions, starts, s, e)
        and (doc is not None or not _a_name(text, s))
    ]


def check(report: Report, doc: Doc | None = None) -> list[Flag]:
    """One LOADED_LANGUAGE flag listing the distinct terms, each occurrence as evidence."""
    hits = loaded_words(report, doc)
    if not hits:
        return []
    first: dict[str, tuple[Span, Term]] = {}
    for span, term in hits:
        first.setdefault(term.term, (span, term))
    shown = []
    for span, term in first.values():
        kind = term.kind.replace("-", " ")
        neutral = f"; neutral: \u201c{term.neutral}\u201d" if term.neutral else ""
        shown.append(f"\u201c{' '.join(span.text.split())}\u201d ({kind}{neutral})")
    n = len(first)
    return [
        Flag(
            "LOADED_LANGUAGE",
            "warning" if n >= SEVERAL else "info",
            f"{n} loaded word{'s' if n > 1 else ''} in the writer's own voice (outside "
            f"quotations): {', '.join(shown)}.",
            [span for span, _ in hits][:MAX_EVIDENCE],
            origin=ORIGIN,
        )
    ]


__all__ = ["Term", "base_forms", "check", "lexicon", "loaded_words"]
