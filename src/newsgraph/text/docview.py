"""Per-Doc views computed once and shared by the components, the timeline and the checks.

spaCy rebuilds some views of a Doc on every access: ``Doc.text`` joins every token,
``Doc.sents`` walks every token, ``Span.ents`` walks every entity of the Doc. Inside a
loop over quotes, sentences or entities that makes an analysis quadratic in the length
of the text. The functions here compute each view once per Doc and answer from it:

- :func:`text`: ``doc.text``;
- :func:`sentences`: ``list(doc.sents)``; :func:`sentence_of`: the sentence of a token
  (``doc[i].sent``, without its scan); :func:`sentence_index`: its number;
- ``statement_bounds``: a slot for ``sentences.statement_sentences`` (which computes
  them and keeps them here);
- :func:`first_token_from` / :func:`tokens_ending_by`: token positions by character
  offset (binary search over the tokens' offsets);
- :func:`words`: every token's text; :func:`lemmas` / :func:`pos`: every token's
  lower-cased lemma and its coarse part of speech (``tok.lemma_.lower()``,
  ``tok.pos_``), read from the Doc's arrays: a loop that
  looks for a few words among all the tokens asks these instead of making a Token
  object per word.

Where the views live: in a module-level ``WeakKeyDictionary`` keyed by the Doc, so a
view goes when its Doc goes, and never travels with the Doc (not in ``user_data``: it
is not serialised, copied by ``Doc.copy`` or merged by ``Doc.from_docs``). A view holds
plain numbers and the text only, never a Span (a Span would keep its Doc, and so the
dictionary entry, alive): the sentence Spans are made from the stored bounds on request,
one ``doc[start:end]`` each, which costs no scan.

What a view reads does not change once spaCy's components have run (the text, the
tokens' offsets, the sentence boundaries, lemmas and parts of speech), and newsgraph
neither retokenises a Doc nor moves its sentence boundaries or changes a lemma after
that. Sentence views need the boundaries: ask for them after the parser (as
``doc.sents`` does, they raise ValueError on a Doc without them); lemmas and parts of
speech after the lemmatizer.
A Doc whose token count changed since its view was taken gets a new view.
"""

from __future__ import annotations

import threading
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable

import numpy
from spacy.attrs import IDX, LEMMA, LENGTH, ORTH, POS
from spacy.tokens import Doc, Span


class DocView:
    """What one Doc's views are made of (numbers and text; no Span, no Doc)."""

    __slots__ = (
        "_lemmas",
        "_pos",
        "_sent_of",
        "_sents",
        "_statements",
        "_words",
        "ends",
        "n_tokens",
        "starts",
        "text",
    )

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.n_tokens = len(doc)
        self.text: str = doc.text if text is None else text
        offsets = doc.to_array([IDX, LENGTH]).astype(numpy.int64).reshape(-1, 2)
        #: character offset of each token's start, and of its end (``idx + len(text)``)
        self.starts = array("q", offsets[:, 0].tobytes())
        self.ends = array("q", (offsets[:, 0] + offsets[:, 1]).tobytes())
        self._sents: list[tuple[int, int]] | None = None
        self._sent_of: array[int] | None = None
        self._statements: list[tuple[int, int]] | None = None
        self._lemmas: list[str] | None = None
        self._pos: list[str] | None = None
        self._words: list[str] | None = None

    def words(self, doc: Doc) -> list[str]:
        """Every token's text, read on first use."""
        if self._words is None:
            strings = doc.vocab.strings
            orth = doc.to_array(ORTH).tolist() if len(doc) else []
            text = {h: strings[h] for h in set(orth)}
            self._words = list(map(text.__getitem__, orth))
        return self._words

    def lemmas_and_pos(self, doc: Doc) -> tuple[list[str], list[str]]:
        """Every token's lower-cased lemma and coarse part of speech, read on first use."""
        if self._lemmas is None or self._pos is None:
            strings = doc.vocab.strings
            lemma, pos = doc.to_array([LEMMA, POS]).T.tolist() if len(doc) else ([], [])
            lower = {h: strings[h].lower() if h else "" for h in set(lemma)}
            name = {h: strings[h] if h else "" for h in set(pos)}
            self._lemmas = list(map(lower.__getitem__, lemma))
            self._pos = list(map(name.__getitem__, pos))
        return self._lemmas, self._pos

    def sentence_bounds(self, doc: Doc) -> list[tuple[int, int]]:
        """(start, end) token bounds of ``doc.sents``, computed on first use."""
        if self._sents is None:
            bounds = [(s.start, s.end) for s in doc.sents]  # raises without boundaries
            lengths = numpy.array([e - s for s, e in bounds], dtype=numpy.int64)
            which = numpy.repeat(numpy.arange(len(bounds), dtype=numpy.int64), lengths)
            self._sent_of = array("q", which.tobytes())
            self._sents = bounds
        return self._sents

    def sentence_number(self, doc: Doc, i: int) -> int:
        self.sentence_bounds(doc)
        assert self._sent_of is not None
        return self._sent_of[i]

    def statement_bounds(
        self, doc: Doc, compute: Callable[[Doc], list[Span]]
    ) -> list[tuple[int, int]]:
        """(start, end) token bounds of ``compute(doc)``, computed on first use (the
        statement sentences of :mod:`.sentences`, which passes its computation)."""
        if self._statements is None:
            self._statements = [(s.start, s.end) for s in compute(doc)]
        return self._statements


_views: weakref.WeakKeyDictionary[Doc, DocView] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def view(doc: Doc, text: str | None = None) -> DocView:
    """The view of ``doc``, made on first use; ``text``, when given, is ``doc.text``
    (the text the tokenizer was given: the view need not join the tokens again)."""
    found = _views.get(doc)
    if found is None or found.n_tokens != len(doc):
        found = DocView(doc, text)
        with _lock:
            _views[doc] = found
    return found


def text(doc: Doc) -> str:
    """``doc.text``, joined once."""
    return view(doc).text


def words(doc: Doc) -> list[str]:
    """``[t.text for t in doc]``, read once (do not change the list)."""
    return view(doc).words(doc)


def lemmas(doc: Doc) -> list[str]:
    """``[t.lemma_.lower() for t in doc]``, read once (do not change the list)."""
    return view(doc).lemmas_and_pos(doc)[0]


def pos(doc: Doc) -> list[str]:
    """``[t.pos_ for t in doc]`` (coarse parts of speech), read once (do not change the
    list)."""
    return view(doc).lemmas_and_pos(doc)[1]


def sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)`` (a new list of new Spans; the boundaries are found once)."""
    return [doc[s:e] for s, e in view(doc).sentence_bounds(doc)]


def sentence_index(doc: Doc, i: int) -> int:
    """The number of the sentence holding token ``i`` (its place in :func:`sentences`)."""
    return view(doc).sentence_number(doc, i)


def sentence_of(doc: Doc, i: int) -> Span:
    """The sentence holding token ``i``: ``doc[i].sent``, without its scan."""
    v = view(doc)
    s, e = v.sentence_bounds(doc)[v.sentence_number(doc, i)]
    return doc[s:e]


def first_token_from(doc: Doc, char: int) -> int:
    """The index of the first token that starts at or after character ``char``
    (``len(doc)`` when there is none)."""
    return bisect_left(view(doc).starts, char)


def tokens_ending_by(doc: Doc, char: int) -> int:
    """How many tokens end at or before character ``char``: they are ``doc[:n]``."""
    return bisect_right(view(doc).ends, char)


__all__ = [
    "DocView",
    "first_token_from",
    "lemmas",
    "pos",
    "sentence_index",
    "sentence_of",
    "sentences",
    "text",
    "tokens_ending_by",
    "view",
    "words",
]
