"""The entity component on hand-built Docs and a small hand-built knowledge base."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kb.kbdata import write_kb
from newsgraph.entities.component import COMPONENT, EntityLinker
from newsgraph.kb import KnowledgeBase
from newsgraph.pipeline import COMPONENTS
from newsgraph.text.extensions import register_extensions


@pytest.fixture(scope="module")
def nlp_kb(tmp_path_factory: pytest.TempPathFactory) -> tuple[Language, EntityLinker]:
    register_extensions()
    kb = KnowledgeBase.load(write_kb(Path(tmp_path_factory.mktemp("kb"))))
    nlp = spacy.blank("en")
    return nlp, EntityLinker(nlp, COMPONENT, kb=kb)


def make(
    nlp_kb: tuple[Language, EntityLinker],
    words: list[str],
    ents: list[tuple[int, int, str]],
    spaces: list[bool] | None = None,
    published: dt.date | None = None,
) -> Doc:
    nlp, linker = nlp_kb
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    doc._.ng_published = published
    return linker(doc)


def test_component_is_registered_under_a_versioned_name() -> None:
    assert COMPONENTS[0] == COMPONENT
    assert COMPONENT.endswith("_v2")


def test_country_aliases_group_into_one_linked_country(nlp_kb) -> None:  # type: ignore[no-untyped-def]
    words = ["The", "U.S.", "and", "the", "United", "States", "and", "Türkiye", "and", "Turkey"]
    doc = make(nlp_kb, words, [(1, 2, "GPE"), (3, 6, "GPE"), (7, 8, "GPE")])
    ents = doc._.ng_entities
    assert [(e.name, e.type, e.kb_id, len(e.mentions)) for e in ents] == [
        ("United States", "COUNTRY", "Q30", 2),
        ("Turkey", "COUNTRY", "Q43", 2),  # "Turkey" found by the KB alone
    ]
    # spaCy put "the" in its span, so the mention keeps it (OntoNotes style)
    assert [m.text for m in ents[0].mentions] == ["U.S.", "the United States"]
    for e in ents:
        for m in e.mentions:
            assert doc.text[m.start : m.end] == m.text


def test_a_place_the_kb_does_not_know_stays_a_location(nlp_kb) -> None:  # type: ignore[no-untyped-def]
    doc = make(nlp_kb, ["Tallinn", "said"], [(0, 1, "GPE")])
    (e,) = doc._.ng_entities
    assert (e.type, e.kb_id) == ("LOCATION", None)


def test_surname_joins_the_full_name(nlp_kb) -> None:  # type: ignore[no-untyped-def]
    words = ["Donald", "Trump", "met", "Erdogan", ".", "Trump", "'s", "aide", "spoke", "."]
    spaces = [True, True, True, False, True, False, True, True, False, False]
    doc = make(nlp_kb, words, [(0, 2, "PERSON"), (3, 4, "PERSON")], spaces, dt.date(2025, 12, 19))
    ents = {e.name: e for e in doc._.ng_entities}
    assert [m.text for m in ents["Donald Trump"].mentions] == ["Donald Trump", "Trump"]
    assert ents["Donald Trump"].kb_id == "Q22686"
    assert ents["Recep Tayyip Erdogan"].kb_id == "Q39259"  # the surname alone, linked


def test_unlinked_surname_joins_an_unlinked_full_name(nlp_kb) -> None:  # type: ignore[no-untyped-def]
    words = ["Maarja", "Tamm", "spoke", ".", "Tamm", "left", "."]
    doc = make(nlp_kb, words, [(0, 2, "PERSON"), (4, 5, "PERSON")])
    (e,) = doc._.ng_entities
    assert (e.name, e.kb_id, len(e.mentions)) == ("Maarja Tamm", None, 2)


def test_values_such_as_dates_and_numbers_are_not_entities(nlp_kb) -> None:  # type: ignore[no-untyped-def]
    doc = make(nlp_kb, ["In", "2017", "two", "jets"], [(1, 2, "DATE"), (2, 3, "CARDINAL")])
    assert doc._.ng_entities == []


def test_kb_names_win_over_spacy_labels_and_say_why(nlp_kb) -> None:  # type: ignore[no-untyped-def]
    words = ["Bloomberg", "said", "S-400", "and", "tanks", "moved"]
    doc = make(nlp_kb, words, [(0, 1, "GPE"), (2, 3, "ORG")])
    ents = {e.name: e for e in doc._.ng_entities}
    assert ents["Bloomberg"].type == "MEDIA"
    assert "kb-name" in ents["Bloomberg"].origin and "spacy-ner:GPE" in ents["Bloomberg"].origin
    assert ents["S-400 Triumf"].type == "MILITARY_SYSTEM"
    assert ents["tank"].type == "MILITARY_SYSTEM" and ents["tank"].attrs["generic"] is True
