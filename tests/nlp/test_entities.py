from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.nlp import COMPONENTS
from newsgraph.nlp.entities import COMPONENT
from newsgraph.nlp.tables import country_aliases, norm_key


def make(words: list[str], ents: list[tuple[int, int, str]], spaces: list[bool] | None = None):  # type: ignore[no-untyped-def]
    nlp: Language = spacy.blank("en")
    nlp.add_pipe(COMPONENT)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    return nlp.get_pipe(COMPONENT)(doc)


def test_component_is_registered_under_a_versioned_name() -> None:
    assert COMPONENT in COMPONENTS
    assert COMPONENT.endswith("_v1")


def test_country_aliases_group_into_one_country_entity() -> None:
    words = ["The", "U.S.", "and", "the", "United", "States", "and", "Türkiye", "and", "Turkey"]
    doc = make(words, [(1, 2, "GPE"), (3, 6, "GPE"), (7, 8, "GPE"), (9, 10, "GPE")])
    ents = doc._.ng_entities
    assert [(e.name, e.type, len(e.mentions)) for e in ents] == [
        ("United States", "COUNTRY", 2),
        ("Turkey", "COUNTRY", 2),
    ]
    # the leading article is trimmed from the mention, and spans index the text
    us = ents[0]
    assert [m.text for m in us.mentions] == ["U.S.", "United States"]
    for m in us.mentions:
        assert doc.text[m.start : m.end] == m.text


def test_a_city_is_a_location_not_a_country() -> None:
    doc = make(["Ankara", "said"], [(0, 1, "GPE")])
    assert doc._.ng_entities[0].type == "LOCATION"


def test_possessive_is_trimmed_and_surname_joins_the_full_name() -> None:
    words = ["Donald", "Trump", "met", "Erdogan", ".", "Trump", "'s", "aide", "spoke", "."]
    spaces = [True, True, True, False, True, False, True, True, False, False]
    doc = make(words, [(0, 2, "PERSON"), (3, 4, "PERSON"), (5, 7, "PERSON")], spaces)
    ents = doc._.ng_entities
    trump = next(e for e in ents if e.name == "Donald Trump")
    assert [m.text for m in trump.mentions] == ["Donald Trump", "Trump"]
    assert {e.name for e in ents} == {"Donald Trump", "Erdogan"}


def test_values_such_as_dates_and_numbers_are_not_entities() -> None:
    doc = make(["In", "2017", "two", "jets"], [(1, 2, "DATE"), (2, 3, "CARDINAL")])
    assert doc._.ng_entities == []


def test_each_entity_says_which_rule_made_it() -> None:
    doc = make(["NATO", "met"], [(0, 1, "ORG")])
    (ent,) = doc._.ng_entities
    assert ent.origin == f"{COMPONENT}:spacy-ner:ORG"
    assert ent.type == "ORGANIZATION" and ent.id == "e1"


def test_country_table_is_well_formed() -> None:
    table = country_aliases()
    assert len(set(table.values())) >= 195
    assert table[norm_key("U.S.")] == "United States"
    assert table[norm_key("Türkiye")] == "Turkey"
