"""Long texts through spaCy's statistical components in pieces, joined into one Doc.

spaCy's tok2vec, tagger, parser and NER hold arrays the size of the whole Doc, and the
time and memory they take grow faster than the text: a 1,000,000-character article
would need gigabytes. A text longer than :data:`LONG_TEXT_CHARS` is therefore cut into
pieces (:func:`split_text`): at paragraph breaks, each at most :data:`PIECE_CHARS`
characters plus the whitespace that ends it, so that the pieces put together are the
text exactly. spaCy's own components run on each piece in turn; ``Doc.from_docs``
joins the results (tokens, tags, morphology, lemmas, dependencies, sentence starts,
entities), and newsgraph's components then run on the joined Doc as on any other.

A paragraph break ends a sentence and, nearly always, an entity, so little is lost at
the cuts. A paragraph longer than a piece is cut at a line break, else after a space,
else (no whitespace at all) anywhere. Texts up to :data:`LONG_TEXT_CHARS` never come
here: their Docs are exactly what one call of the pipeline makes.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

import numpy
from spacy.language import Language
from spacy.tokens import Doc

#: Texts longer than this (in characters) go through spaCy's components in pieces.
LONG_TEXT_CHARS: Final = 100_000
#: The most characters a piece has, not counting the whitespace that ends it.
PIECE_CHARS: Final = 50_000


def _run(text: str, at: int, floor: int) -> tuple[int, int]:
    """The whitespace run around ``text[at]`` (a space), not reaching back past ``floor``."""
    a, b = at, at + 1
    while a > floor and text[a - 1].isspace():
        a -= 1
    while b < len(text) and text[b].isspace():
        b += 1
    return a, b


def _cut(text: str, start: int, limit: int) -> int:
    """Where the piece starting at ``start`` ends: after the last paragraph break (a
    whitespace run with two line breaks) that starts before ``limit``, else the last line
    break, else the last whitespace, always with all the whitespace that follows it (the
    next piece starts with a word); else (no whitespace at all) at ``limit``. A break at
    the very start of the piece does not count."""
    line: tuple[int, int] | None = None
    at = text.rfind("\n", start, limit)
    while at > start:
        a, b = _run(text, at, start)
        if line is None:
            line = (a, b)
        if text.count("\n", a, b) >= 2 and a > start:
            return b
        at = text.rfind("\n", start, a)
    if line is not None and line[0] > start:
        return line[1]
    for at in range(limit - 1, start, -1):
        if text[at].isspace():
            a, b = _run(text, at, start)
            if a > start:
                return b
            break
    return limit


def split_text(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` in pieces of at most ``size`` characters (plus the whitespace that ends
    each), cut where :func:`_cut` says; ``"".join(split_text(text)) == text``."""
    if size < 1:
        raise ValueError("size must be positive")
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        end = _cut(text, start, start + size)
        pieces.append(text[start:end])
        start = end
    if start < len(text) or not pieces:
        pieces.append(text[start:])
    return pieces


def text_length(doc: Doc) -> int:
    """``len(doc.text)``, without joining the text."""
    if not len(doc):
        return 0
    last = doc[-1]
    return int(last.idx) + len(last.text_with_ws)


def is_long(doc: Doc) -> bool:
    """Does ``doc`` go through spaCy's components in pieces?"""
    return text_length(doc) > LONG_TEXT_CHARS


def annotate_long(nlp: Language, doc: Doc, ours: Collection[str]) -> Doc:
    """The pipeline over a long tokenised Doc: spaCy's components (every one not named in
    ``ours``) piece by piece, the pieces joined, then ours on the whole. Returns a new
    Doc with the same text, holding ``doc``'s extension values and span groups."""
    text = doc.text
    theirs = [name for name, _ in nlp.pipeline if name not in ours]
    mine = [name for name, _ in nlp.pipeline if name in ours]
    parts = []
    for piece in split_text(text, PIECE_CHARS):
        # nlp(..., disable=...) leaves the shared pipeline as it is (select_pipes would
        # change it for every thread)
        part = nlp(nlp.make_doc(piece), disable=mine)
        part.tensor = numpy.zeros((0, 0), dtype="float32")  # not joined: free it now
        parts.append(part)
    # (spaCy's stub for from_docs lacks its ``exclude`` argument)
    joined = Doc.from_docs(  # type: ignore[call-arg]
        parts, ensure_whitespace=False, exclude=["tensor", "user_data", "spans"]
    )
    del parts
    if joined.text != text:  # the pieces are the text, so this cannot happen
        raise ValueError("the pieces of a long text did not join into the text")
    joined.user_data.update(doc.user_data)  # extension values: same text, same offsets
    for key, group in doc.spans.items():
        joined.spans[key] = [
            s
            for s in (
                joined.char_span(x.start_char, x.end_char, label=x.label, kb_id=x.kb_id)
                for x in group
            )
            if s is not None
        ]
    return nlp(joined, disable=theirs)


__all__ = [
    "LONG_TEXT_CHARS",
    "PIECE_CHARS",
    "annotate_long",
    "is_long",
    "split_text",
    "text_length",
]
