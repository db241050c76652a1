"""The kind of claim a clause makes: numeric, prediction, causal, evaluative or factual.

Rules over the parse and the cue lists in ``data/kind_cues.tsv``. A clause that makes
several kinds of claim gets the first that applies in this order, the most specific
test first: a quantity (numeric), then a forecast (prediction), a cause or consequence
(causal), a judgement (evaluative); everything else is factual.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Final

from spacy.tokens import Span, Token

from ..datafile import read_table
from ..report import ClaimKind
from ..text.tense import FUTURE_AUX, MODAL_AUX, governing_verb

KINDS: Final = ("quantity", "prediction", "causal", "evaluative")
#: spaCy labels that mark an amount
AMOUNT_LABELS: Final = frozenset({"MONEY", "PERCENT", "QUANTITY"})
#: number words too common to make a clause numeric ("the two leaders", "one of them")
SMALL_NUMBERS: Final = frozenset({"one", "two", "a", "an", "single", "both"})
#: modal verbs that speak of what may happen (forecasts), not of duty ("must", "should")
FORECAST_MODALS: Final = (FUTURE_AUX | MODAL_AUX) - {"must", "should", "can", "ca"}


@cache
def cues() -> dict[str, tuple[frozenset[str], dict[str, tuple[tuple[str, ...], ...]]]]:
    """kind -> (single words, phrases as word tuples by their first word), from
    ``data/kind_cues.tsv``."""
    rows = read_table("newsgraph.claims", "kind_cues.tsv", ["kind", "cues"])
    out: dict[str, tuple[frozenset[str], dict[str, tuple[tuple[str, ...], ...]]]] = {}
    for kind, cell in rows:
        if kind not in KINDS:
            raise ValueError(f"kind_cues.tsv: unknown kind {kind!r}")
        items = [c.strip().lower() for c in cell.split("|") if c.strip()]
        words = frozenset(c for c in items if " " not in c)
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for c in items:
            if " " in c:
                by_first.setdefault(c.split()[0], []).append(tuple(c.split()))
        out[kind] = (words, {k: tuple(v) for k, v in by_first.items()})
    return out


#: the lower-case forms and lemmas of a clause's tokens, read once for every kind of cue
Words = tuple[list[str], list[str]]


def _words(tokens: list[Token]) -> Words:
    return [t.lower_ for t in tokens], [t.lemma_.lower() for t in tokens]


def _has_cue(tokens: list[Token], kind: str, read: Words | None = None) -> Token | None:
    """The first token where a cue of ``kind`` starts (None if there is none); ``read``:
    the tokens' :func:`_words`, when the caller has them."""
    words, phrases = cues()[kind]
    lowers, lemmas = read or _words(tokens)
    for i, tok in enumerate(tokens):
        low = lowers[i]
        if low in words or lemmas[i] in words:
            return tok
        for phrase in phrases.get(low, ()):
            if tuple(lowers[i : i + len(phrase)]) == phrase:
                return tok
    return None


def _is_amount(tok: Token) -> bool:
    if tok.ent_type_ in AMOUNT_LABELS:
        return True
    if tok.like_num and tok.lower_ not in SMALL_NUMBERS:
        return tok.ent_type_ in ("CARDINAL", "") or tok.text[:1].isdigit()
    return False


def is_numeric(tokens: list[Token], read: Words | None = None) -> bool:
    """An amount stated in the clause: a number (not a date or part of a name) or a
    quantity in words ("hundreds of jets", "doubled")."""
    if any(_is_amount(t) for t in tokens):
        return True
    return _has_cue(tokens, "quantity", read) is not None


def main_verb(unit: Span) -> Token:
    """The clause's main verb: its root, or the verb a copula or reporting frame hangs on."""
    root = unit.root
    return root


def is_prediction(
    unit: Span, tokens: list[Token], future_dated: bool, read: Words | None = None
) -> bool:
    """A forecast: the main verb in the future or with a modal of possibility ("would
    be resolved", "could signal"), a verb or frame of forecasting ("is expected to",
    "are likely to"), or a date ahead of the publication."""
    verb = main_verb(unit)
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & FORECAST_MODALS:
        return True
    if verb.lower_ == "going" and any(c.dep_ == "xcomp" for c in verb.children):
        return True
    words, _ = cues()["prediction"]
    if verb.lemma_.lower() in words:
        return True
    return _has_cue(tokens, "prediction", read) is not None or future_dated


def is_causal(tokens: list[Token], read: Words | None = None) -> bool:
    return _has_cue(tokens, "causal", read) is not None


def is_evaluative(unit: Span, tokens: list[Token], read: Words | None = None) -> bool:
    """A judgement: a comparison ("not as advanced as", "more costly than"), an
    evaluative word, or an adjective as what the clause says of its subject."""
    for tok in tokens:
        if tok.tag_ in ("JJR", "JJS", "RBS") and tok.lower_ not in ("more", "less", "most"):
            return True
        if tok.lower_ in ("as", "so") and tok.i + 2 < len(tok.doc):
            nxt, after = tok.doc[tok.i + 1], tok.doc[tok.i + 2]
            if nxt.pos_ in ("ADJ", "ADV") and after.lower_ in ("as", "that"):
                return True
        if tok.lower_ in ("more", "less", "most", "least") and tok.head.pos_ == "ADJ":
            return True
    if _has_cue(tokens, "evaluative", read) is not None:
        return True
    verb = main_verb(unit)
    return verb.lemma_ == "be" and any(c.dep_ == "acomp" for c in verb.children)


def kind_of(unit: Span, skip: Collection[int] = (), future_dated: bool = False) -> ClaimKind:
    """The kind of claim ``unit`` makes. ``skip``: token indices that are neither amounts
    nor cues (time expressions, names such as "F-35")."""
    tokens = [t for t in unit if t.i not in skip and not t.is_space]
    read = _words(tokens)
    if is_numeric(tokens, read):
        return "numeric"
    if is_prediction(unit, tokens, future_dated, read):
        return "prediction"
    if is_causal(tokens, read):
        return "causal"
    if is_evaluative(unit, tokens, read):
        return "evaluative"
    return "factual"


def _compared_with_something_named(
    tokens: list[Token], names: Collection[int], times: Collection[int] = ()
) -> bool:
    """A comparison against a named or counted thing: "not as advanced as the S-400",
    "cheaper than the Patriot", "the largest since 1990". ``names`` and ``times``:
    token indices of names and time expressions."""
    for tok in tokens:
        if tok.lower_ not in ("than", "as", "since"):
            continue
        before = tok.doc[max(tok.i - 3, 0) : tok.i]
        if tok.lower_ == "since":
            if not any(t.tag_ == "JJS" for t in tok.doc[max(tok.i - 4, 0) : tok.i]):
                continue
        elif not any(t.tag_ in ("JJR", "RBR") or t.pos_ == "ADJ" for t in before):
            continue
        for nxt in tok.doc[tok.i + 1 : tok.i + 6]:
            if nxt.is_punct:
                break
            if nxt.i in names or nxt.i in times or nxt.like_num:
                return True
    return False


def anchored(
    unit: Span,
    kind: ClaimKind,
    names: Collection[int] = (),
    times: Collection[int] = (),
) -> bool:
    """Is the statement checkable whatever the model says, by something concrete in it?
    An amount; a forecast with a date, a deadline or a number ("would be resolved within
    four to six months"); a comparison with a named or counted thing ("not as advanced
    as the S-400"). ``names`` and ``times``: token indices of names and time expressions."""
    tokens = [t for t in unit if not t.is_space]
    if kind == "numeric":
        return True
    if kind == "prediction":  # the date must be the forecast's, not a side remark's
        verb = main_verb(unit)
        for tok in tokens:
            if tok.i in times:
                head = governing_verb(tok.doc[tok.i : tok.i + 1])
                if head is not None and head.i == verb.i:
                    return True
        return any(_is_amount(t) for t in tokens if t.i not in names and t.i not in times)
    if kind == "evaluative":
        return _compared_with_something_named(tokens, names, times)
    return False


__all__ = ["KINDS", "anchored", "cues", "is_numeric", "kind_of"]
