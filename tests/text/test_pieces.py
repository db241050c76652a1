"""Long texts through spaCy in pieces: the pieces are the text, the joined Doc keeps
what spaCy found in each, reports stay valid, and batch = one by one."""

from __future__ import annotations

import random

import pytest

import newsgraph
from newsgraph.text import pieces
from newsgraph.text.pieces import split_text


def test_pieces_put_together_are_the_text() -> None:
    rnd = random.Random(3)
    for _ in range(500):
        text = "".join(rnd.choice("ab. \n\t") for _ in range(rnd.randint(0, 400)))
        size = rnd.randint(1, 60)
        parts = split_text(text, size)
        assert "".join(parts) == text
        assert all(parts) or text == ""
        # at most ``size`` characters before the whitespace that ends a piece
        assert all(len(p.rstrip()) <= size or len(p) <= size for p in parts)


def test_pieces_end_at_paragraphs_then_lines_then_spaces() -> None:
    para = "One two three.\n\nFour five six.\nSeven eight nine. Ten eleven."
    # the paragraph break wins over the later line break in the first 40 characters
    assert split_text(para, 40) == [
        "One two three.\n\n",
        "Four five six.\n",
        "Seven eight nine. Ten eleven.",
    ]
    assert split_text("Seven eight nine. Ten eleven.", 20) == ["Seven eight nine. ", "Ten eleven."]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]  # no whitespace at all
    assert split_text("short", 10) == ["short"]
    assert split_text("", 10) == [""]
    # each piece takes all the whitespace after its break: the next starts with a word
    assert split_text("aaaa \n\n \n  bbbb", 6) == ["aaaa \n\n \n  ", "bbbb"]


def _long_text(example_text: str, chars: int) -> str:
    """The example article repeated to more than ``chars`` characters."""
    copies = chars // len(example_text) + 1
    return "\n\n".join([example_text.strip()] * copies) + "\n"


@pytest.mark.model
def test_a_long_text_keeps_its_text_and_gives_valid_spans(example_text: str) -> None:
    text = _long_text(example_text, pieces.LONG_TEXT_CHARS)
    assert len(text) > pieces.LONG_TEXT_CHARS
    report = newsgraph.analyze(text, published="2025-11-03")
    assert report.article.text == text
    assert report.span_problems() == []
    assert report.entities and report.quotes and report.timexes and report.claims


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a few thousand characters a long text, in pieces of a thousand or so."""
    monkeypatch.setattr(pieces, "LONG_TEXT_CHARS", 3_000)
    monkeypatch.setattr(pieces, "PIECE_CHARS", 1_200)


@pytest.mark.model
@pytest.mark.usefixtures("small_pieces")
def test_the_joined_doc_keeps_what_spacy_found_in_each_piece(example_text: str) -> None:
    from newsgraph.api import make_doc, pipeline
    from newsgraph.pipeline import COMPONENTS, annotate
    from newsgraph.report import Article

    nlp = pipeline()
    text = _long_text(example_text, 5_000)
    doc = annotate(nlp, make_doc(nlp, Article(text=text, published="2025-11-03")))
    assert doc.text == text
    assert [t.text for t in doc] == [t.text for t in nlp.make_doc(text)]
    assert str(doc._.ng_published) == "2025-11-03" and doc._.ng_entities
    parts = split_text(text, pieces.PIECE_CHARS)
    assert len(parts) > 2
    at = 0
    for part in parts:
        alone = nlp(part, disable=list(COMPONENTS))
        joined = doc[at : at + len(alone)]
        assert joined.text == alone.text
        for a, b in zip(alone, joined, strict=True):
            assert (a.tag_, a.pos_, a.dep_, a.lemma_, a.head.i - alone[0].i) == (
                b.tag_,
                b.pos_,
                b.dep_,
                b.lemma_,
                b.head.i - joined.start,
            )
            assert (a.is_sent_start, a.ent_iob_, a.ent_type_) == (
                b.is_sent_start,
                b.ent_iob_,
                b.ent_type_,
            )
        at += len(alone)
    assert at == len(doc)


@pytest.mark.model
@pytest.mark.usefixtures("small_pieces")
def test_annotate_and_annotate_many_give_the_same_docs(example_text: str) -> None:
    from newsgraph.api import make_doc, pipeline
    from newsgraph.pipeline import annotate, annotate_many
    from newsgraph.report import Article
    from newsgraph.text.extensions import LAYER_ATTRS

    nlp = pipeline()
    texts = [
        "Short one. Turkey said so on Monday.",
        _long_text(example_text, 4_000),
        example_text,
        "Another short text, said an official.",
        _long_text(example_text, 3_500),
    ]
    assert [pieces.is_long(nlp.make_doc(t)) for t in texts] == [False, True, False, False, True]
    articles = [Article(text=t, published="2025-11-03") for t in texts]
    alone = [annotate(nlp, make_doc(nlp, a)) for a in articles]
    batch = list(annotate_many(nlp, (make_doc(nlp, a) for a in articles), batch_size=2))
    assert len(batch) == len(alone)
    for a, b in zip(alone, batch, strict=True):
        assert a.to_bytes(exclude=["user_data"]) == b.to_bytes(exclude=["user_data"])
        for attr in LAYER_ATTRS:
            assert getattr(a._, attr) == getattr(b._, attr)
    reports = list(newsgraph.analyze_many(articles, batch_size=2))
    singles = [newsgraph.analyze(a) for a in articles]
    assert [r.to_json() for r in reports] == [r.to_json() for r in singles]
    assert all(not r.span_problems() for r in reports)
