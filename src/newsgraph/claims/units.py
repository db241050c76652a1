"""Claim units: the statements a sentence makes, each a clause or a quotation.

A sentence that reports speech ("X said that ...", "'...,' said a diplomat") states
what was said: the unit is the quote's content, linked to the quote. A sentence whose
own narration says more than who spoke keeps the whole sentence. Either is split
where coordinated clauses with subjects of their own make separate statements ("The
U.S. has offered Patriot systems, but these are not as advanced as the S-400").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Final

from spacy.tokens import Doc, Span, Token

from ..datafile import read_table
from ..report import Quote
from ..text import docview

#: verbs that only frame speech: a narration with no other verb states nothing itself
REPORTING: Final = frozenset(
    {
        "say",
        "tell",
        "add",
        "report",
        "state",
        "cite",
        "note",
        "emphasize",
        "emphasise",
        "stress",
        "insist",
        "claim",
        "reveal",
        "write",
        "quote",
        "accord",
        "indicate",
        "suggest",
        "announce",
        "explain",
        "argue",
        "warn",
        "according",
    }
)
SUBJECTS: Final = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
OPENING: Final = "‘“«\"'"
CLOSING: Final = "’”»\"'"
MIN_WORDS: Final = 4


#: dashes that end a dateline ("TALLINN — Estonia and Finland ...")
DATELINE_DASHES: Final = frozenset({"—", "–", "-", "--"})


@cache
def boilerplate() -> tuple[str, ...]:
    """Phrases of newsroom routine ("declined to comment"), from ``data/boilerplate.tsv``."""
    return tuple(
        row[0].lower() for row in read_table("newsgraph.claims", "boilerplate.tsv", ["phrase"])
    )


@dataclass(frozen=True)
class Unit:
    """A statement: its tokens and the quote it sits in (None in the writer's voice)."""

    span: Span
    quote: str | None


def _content_tokens(doc: Doc, sentence: Span, q: Quote, cues: set[int]) -> Span | None:
    """The quote's content in ``sentence``, widened to its whole clause when the quote
    marks only part of it ("the issue would be 'finally resolved within ...'")."""
    start = max(q.content.start, sentence.start_char)
    end = min(q.content.end, sentence.end_char)
    if end <= start:
        return None
    tokens = doc.char_span(start, end, alignment_mode="expand")
    if tokens is None or not len(tokens):
        return tokens
    head = tokens.root
    if head.pos_ not in ("VERB", "AUX"):
        return tokens
    left, right = head.left_edge.i, head.right_edge.i + 1
    if (
        sentence.start <= left
        and right <= sentence.end
        and not any(left <= c < right for c in cues)
    ):
        return doc[min(left, tokens.start) : max(right, tokens.end)]
    return tokens


def _states_more(sentence: Span, taken: set[int], cues: set[int]) -> bool:
    """Does the narration outside the quotes have a predicate besides its reporting verb?"""
    for tok in sentence:
        if tok.i in taken or tok.i in cues or tok.pos_ not in ("VERB", "AUX"):
            continue
        if tok.lemma_.lower() in REPORTING or tok.dep_ in ("aux", "auxpass"):
            continue
        if tok.tag_ in ("VBD", "VBZ", "VBP", "MD") or tok.dep_ == "ROOT":
            return True
    return False


def _splits(span: Span) -> list[int]:
    """Token indices where a coordinated clause with a subject of its own starts: a
    conjunct ("..., but these are not as advanced"), or a clause the parser hung
    elsewhere right after a coordinating conjunction."""
    doc = span.doc
    points = []
    for tok in span:
        if tok.pos_ not in ("VERB", "AUX") or tok.dep_ not in ("conj", "ccomp", "parataxis"):
            continue
        subjects = [c for c in tok.children if c.dep_ in SUBJECTS]
        if not subjects or not _agrees(tok, subjects[0]):
            continue
        left = tok.left_edge.i
        if not span.start < left < span.end:
            continue
        if tok.dep_ == "conj":
            if span.start <= tok.head.i < span.end and tok.head.pos_ in ("VERB", "AUX"):
                points.append(left)
        elif doc[left - 1].dep_ == "cc" and doc[left - 1].i > span.start:
            points.append(left)
    return sorted(set(points))


def _without_attribution(piece: Span) -> Span:
    """The piece without a trailing ", officials said" frame."""
    doc = piece.doc
    for tok in piece:
        if tok.lemma_.lower() not in REPORTING or tok.pos_ != "VERB":
            continue
        frame = [tok, *(t for c in tok.children if c.dep_ in SUBJECTS for t in c.subtree)]
        first = min(t.i for t in frame)
        if max(t.i for t in frame) != piece.end - 1:
            continue  # the frame must close the piece
        if first > piece.start + 1 and doc[first - 1].text == ",":
            return doc[piece.start : first - 1]
    return piece


def _agrees(verb: Token, subject: Token) -> bool:
    """A plural verb form with one singular noun as subject is a misparse ("as Turkey,
    the U.S., and Russia navigate": "Russia" is not the subject of a new clause)."""
    single = subject.tag_ in ("NN", "NNP") and not any(c.dep_ == "conj" for c in subject.children)
    return not (verb.tag_ == "VBP" and single)


def _trim(doc: Doc, start: int, end: int) -> Span | None:
    """The piece without edge punctuation, conjunctions and spaces (a quotation mark
    stays when the piece opens a quotation inside it)."""

    def edge(tok: Token) -> bool:
        if tok.is_space or tok.is_punct or tok.dep_ == "cc":
            return True
        return tok.dep_ == "mark" and tok.lower_ == "that"

    while start < end and edge(doc[start]):
        start += 1
    if start < end and doc[start].is_upper and doc[start].is_alpha and len(doc[start]) > 1:
        start = _after_dateline(doc, start, end)
        while start < end and edge(doc[start]):
            start += 1
    while end > start and edge(doc[end - 1]):
        end -= 1
    if end <= start:
        return None
    text = _text(doc[start:end])
    opened = sum(text.count(c) for c in "‘“«") - sum(text.count(c) for c in "’”»")
    if opened > 0:  # keep the closing mark of a quotation the piece opens
        for i in range(end, min(end + 3, len(doc))):
            if any(c in doc[i].text for c in "’”»"):
                end = i + 1
                break
            if not doc[i].is_punct:
                break
    return doc[start:end]


def _pieces(doc: Doc, span: Span) -> list[Span]:
    bounds = [span.start, *_splits(span), span.end]
    out = []
    for a, b in pairwise(bounds):
        piece = _trim(doc, a, b)
        if piece is not None:
            out.append(_without_attribution(piece))
    return out


def _text(span: Span) -> str:
    """``span.text``, cut from the Doc's text (``Span.text`` joins every token)."""
    return docview.text(span.doc)[span.start_char : span.end_char]


def _statement(piece: Span) -> bool:
    words = [t for t in piece if not (t.is_punct or t.is_space)]
    whole = _text(piece)
    if len(words) < MIN_WORDS or whole.rstrip(CLOSING + " ").endswith("?"):
        return False
    text = " ".join(whole.lower().split())
    if any(phrase in text for phrase in boilerplate()):
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in piece)


def _after_dateline(doc: Doc, start: int, end: int) -> int:
    """The first token after a dateline ("TALLINN —", "LONDON, Dec 3 (Reuters) -")."""
    for i in range(start, min(start + 12, end - 1)):
        tok = doc[i]
        if tok.text in DATELINE_DASHES:
            return i + 1 if i > start else start
        if tok.is_alpha and not tok.is_upper and not (tok.is_title and i > start):
            return start  # a word in running text before any dash
    return start


def _quote_of(piece: Span, quotes: list[Quote]) -> str | None:
    """The quote whose content holds most of ``piece`` (at least half)."""
    best, best_share = None, 0.5
    size = piece.end_char - piece.start_char
    for q in quotes:
        overlap = min(piece.end_char, q.content.end) - max(piece.start_char, q.content.start)
        if size and overlap / size >= best_share:
            best, best_share = q.id, overlap / size
    return best


def units(doc: Doc, sentence: Span, quotes: list[Quote]) -> list[Unit]:
    """The statements of ``sentence``: quote contents, or the sentence, split into
    coordinated clauses; fragments, questions and bare attributions are left out."""
    inside = [
        q
        for q in quotes
        if q.content.start < sentence.end_char and q.content.end > sentence.start_char
    ]
    cues = {
        t.i
        for q in inside
        if q.cue is not None
        for t in (doc.char_span(q.cue.start, q.cue.end, alignment_mode="expand") or [])
    }
    regions: list[Span] = []
    taken: set[int] = set()
    for q in inside:
        tokens = _content_tokens(doc, sentence, q, cues)
        if tokens is not None and len(tokens):
            regions.append(tokens)
            taken.update(range(tokens.start, tokens.end))
    if not regions or _states_more(sentence, taken, cues):
        regions = [sentence]
    out: list[Unit] = []
    seen: set[tuple[int, int]] = set()
    for region in sorted(regions, key=lambda s: s.start):
        for piece in _pieces(doc, region):
            key = (piece.start, piece.end)
            if key in seen or not _statement(piece):
                continue
            seen.add(key)
            out.append(Unit(piece, _quote_of(piece, inside)))
    return out


__all__ = ["Unit", "units"]
