"""Sentences as the article states them: spaCy's, rejoined where a stray line break
after an abbreviation cut one ("... meeting with U.S.\\nPresident Donald Trump ...")."""

from __future__ import annotations

from itertools import pairwise
from typing import Final

from spacy.tokens import Doc, Span, Token

from . import docview


def _cut_after_abbreviation(doc: Doc, start: int) -> bool:
    """Does the sentence starting at token ``start`` continue the one before it?"""
    first, before = start, start - 1
    while first < len(doc) - 1 and doc[first].is_space:
        first += 1
    while before > 0 and doc[before].is_space:
        before -= 1
    if before < 0:
        return False
    prev = doc[before]
    if not (prev.text.endswith(".") and prev.text.count(".") > 1 and doc[first].is_title):
        return False
    # "... the U.S.\nRussia, which ..., has not commented": two whole sentences
    return not (
        _predicates(docview.sentence_of(doc, before))
        and _predicates(docview.sentence_of(doc, first))
    )


def _predicates(sent: Span) -> bool:
    """Does the sentence say something: is its root a verb?"""
    return sent.root.pos_ in ("VERB", "AUX")


def _trim(doc: Doc, start: int, end: int) -> Span:
    while end > start + 1 and doc[end - 1].is_space:
        end -= 1
    while start < end - 1 and doc[start].is_space:
        start += 1
    return doc[start:end]


def statement_sentence(doc: Doc, token: Token) -> Span:
    """The sentence of ``token``, joined to the ones before it that a break cut off."""
    sent = docview.sentence_of(doc, token.i)
    start = sent.start
    while _cut_after_abbreviation(doc, start):
        start = docview.sentence_of(doc, start - 1).start
    return _trim(doc, start, sent.end)


#: part-of-speech tags of a finite verb
FINITE: Final = frozenset({"VBD", "VBZ", "VBP", "MD"})
#: clauses that modify a word rather than make a statement of their own
SUBORDINATE: Final = frozenset({"relcl", "acl", "advcl", "amod", "csubj"})


def _states(tokens: Span) -> bool:
    """Do the tokens hold a finite main clause ("Russia, which ..., has not commented")?"""
    for tok in tokens:
        if tok.tag_ in FINITE:
            verb = tok.head if tok.dep_ in ("aux", "auxpass") else tok
            if verb.dep_ not in SUBORDINATE:
                return True
    return False


def _line_starts(sent: Span) -> list[int]:
    """Where a line break inside a spaCy sentence starts a new one: a blank line (a
    headline, a dateline, a paragraph), or a line break after sentence-final
    punctuation, before a capital, with a main clause on both sides."""
    doc = sent.doc
    points: list[int] = []
    for tok in sent:
        if not (tok.is_space and "\n" in tok.text) or tok.i + 1 >= sent.end:
            continue
        last = points[-1] if points else sent.start
        if tok.text.count("\n") > 1 and tok.i > last:  # a blank line: a paragraph ends
            points.append(tok.i + 1)
            continue
        prev, nxt = doc[tok.i - 1] if tok.i else None, doc[tok.i + 1]
        if prev is None or prev.i < sent.start or prev.text[-1:] not in '.!?’”"':
            continue
        last = points[-1] if points else sent.start
        if nxt.is_title and _states(doc[last : tok.i]) and _states(doc[tok.i + 1 : sent.end]):
            points.append(tok.i + 1)
    return points


def statement_sentences(doc: Doc) -> list[Span]:
    """Every sentence of ``doc`` in order: cut sentences joined, sentences the parser ran
    together across a paragraph break split, blank ones left out (found once per Doc,
    see :mod:`.docview`)."""
    bounds = docview.view(doc).statement_bounds(doc, compute_statement_sentences)
    return [doc[s:e] for s, e in bounds]


def compute_statement_sentences(doc: Doc) -> list[Span]:
    """:func:`statement_sentences` computed afresh."""
    out: list[Span] = []
    for sent in docview.sentences(doc):
        if out and _cut_after_abbreviation(doc, sent.start):
            out[-1] = _trim(doc, out[-1].start, sent.end)
            continue
        bounds = [sent.start, *_line_starts(sent), sent.end]
        for a, b in pairwise(bounds):
            if any(not t.is_space for t in doc[a:b]):
                out.append(_trim(doc, a, b))
    return out


__all__ = ["statement_sentence", "statement_sentences"]
