"""The per-Doc views and the position index: the same answers as spaCy's own, and as
plain scans of the lists they index."""

from __future__ import annotations

import gc
import random

import pytest
import spacy
from spacy.tokens import Doc

from newsgraph.text import docview
from newsgraph.text.sentences import compute_statement_sentences, statement_sentences
from newsgraph.text.spanindex import SpanIndex

TEXT = (
    "Turkey said on Monday it would keep the S-400. Officials in Ankara declined to comment."
    "\n\nThe U.S.\nPresident spoke later.  Nobody answered.\n"
)


def blank_doc(text: str = TEXT) -> Doc:
    """A Doc with sentence starts set by hand (after each period and blank line)."""
    doc = spacy.blank("en")(text)
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        tok.is_sent_start = prev.text == "." or "\n\n" in prev.text
    return doc


def bounds(spans: list[spacy.tokens.Span]) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in spans]


def test_the_cached_sentences_equal_doc_sents() -> None:
    doc = blank_doc()
    assert bounds(docview.sentences(doc)) == bounds(list(doc.sents))
    assert docview.sentences(doc) is not docview.sentences(doc)  # a new list each time
    for tok in doc:
        sent = docview.sentence_of(doc, tok.i)
        assert (sent.start, sent.end) == (tok.sent.start, tok.sent.end)
        assert docview.sentences(doc)[docview.sentence_index(doc, tok.i)] == sent


def test_a_doc_without_sentence_boundaries_raises_as_doc_sents_does() -> None:
    doc = spacy.blank("en")("One sentence. Another one.")
    with pytest.raises(ValueError):
        list(doc.sents)
    with pytest.raises(ValueError):
        docview.sentences(doc)


def test_the_text_and_token_offsets() -> None:
    doc = blank_doc()
    assert docview.text(doc) == doc.text
    for at in range(len(doc.text) + 2):
        after = [t.i for t in doc if t.idx >= at]
        assert docview.first_token_from(doc, at) == (after[0] if after else len(doc))
        assert docview.tokens_ending_by(doc, at) == sum(t.idx + len(t.text) <= at for t in doc)


def test_a_view_goes_with_its_doc() -> None:
    doc = blank_doc()
    docview.sentences(doc)
    before = len(docview._views)
    del doc
    gc.collect()
    assert len(docview._views) == before - 1


@pytest.mark.model
def test_views_of_a_parsed_doc_equal_spacys(example_text: str) -> None:
    from newsgraph.api import pipeline

    doc = pipeline()(example_text)
    assert bounds(docview.sentences(doc)) == bounds(list(doc.sents))
    assert all(docview.sentence_of(doc, t.i) == t.sent for t in doc)
    assert bounds(statement_sentences(doc)) == bounds(compute_statement_sentences(doc))
    assert docview.text(doc) == doc.text


def test_span_index_answers_as_a_scan_does() -> None:
    rnd = random.Random(7)
    for _ in range(200):
        items = []
        for _ in range(rnd.randint(0, 30)):
            start = rnd.randint(0, 60)
            items.append((start, start + rnd.choice([0, 1, 2, 5, 20, -1])))
        index = SpanIndex(items, lambda r: r)
        for _ in range(20):
            a = rnd.randint(-5, 70)
            b = a + rnd.randint(-2, 25)
            assert index.containing(a) == [r for r in items if r[0] <= a < r[1]]
            assert index.within(a, b) == [r for r in items if a <= r[0] and r[1] <= b]
            assert index.overlapping(a, b) == [r for r in items if r[0] < b and a < r[1]]
            assert index.starting(a, b) == [r for r in items if a <= r[0] < b]
            found = [r for r in items if r[0] <= a < r[1]]
            assert index.first_containing(a) == (found[0] if found else None)


def test_words_lemmas_and_parts_of_speech_are_the_tokens_own() -> None:
    words = ["Officials", "were", "saying", "Café", "S-400", "\n\n", "He", "left", "."]
    doc = Doc(
        spacy.blank("en").vocab,
        words=words,
        spaces=[True, True, True, True, False, False, True, False, False],
        pos=["NOUN", "AUX", "VERB", "PROPN", "PROPN", "SPACE", "PRON", "VERB", "PUNCT"],
        lemmas=["official", "be", "say", "Café", "S-400", "\n\n", "he", "leave", "."],
    )
    assert docview.words(doc) == [t.text for t in doc] == words
    assert docview.lemmas(doc) == [t.lemma_.lower() for t in doc]
    assert docview.lemmas(doc)[3] == "café"
    assert docview.pos(doc) == [t.pos_ for t in doc]
    assert docview.words(doc) is docview.words(doc)  # read once
    bare = spacy.blank("en")("No tagger ran here.")
    assert docview.lemmas(bare) == [""] * 5 and docview.pos(bare) == [""] * 5
    empty = spacy.blank("en")("")
    assert docview.words(empty) == docview.lemmas(empty) == docview.pos(empty) == []


def test_a_view_made_with_the_tokenizers_text_answers_as_one_made_from_the_doc() -> None:
    nlp = spacy.blank("en")
    doc = nlp.make_doc(TEXT)
    made = docview.view(doc, TEXT)
    assert docview.view(doc) is made and docview.text(doc) == doc.text == TEXT
    assert list(made.starts) == [t.idx for t in doc]
    assert list(made.ends) == [t.idx + len(t) for t in doc]
