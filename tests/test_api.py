"""End to end through the real spaCy pipeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import newsgraph
from newsgraph.engines.local import analyze_many
from newsgraph.errors import NewsgraphError
from newsgraph.report import Report

pytestmark = pytest.mark.model


def test_example_article_gives_a_valid_report_whose_spans_index_the_text(
    example_text: str, validate: Callable[[dict[str, Any]], None]
) -> None:
    report = newsgraph.analyze(example_text, published="2025-11-03")
    validate(report.to_dict())
    assert report.span_problems() == []
    assert report.article.text == example_text
    assert (report.article.published, report.article.published_source) == ("2025-11-03", "given")
    by_name = {e.name: e for e in report.entities}
    assert by_name["Estonia"].type == "COUNTRY"
    assert by_name["Finland"].type == "COUNTRY"
    assert by_name["Mart Kask"].type == "PERSON"
    assert report.generator["components"] == [
        "newsgraph_entities_v2",
        "newsgraph_time_v1",
        "newsgraph_quotes_v1",
        "newsgraph_events_v1",
        "newsgraph_claims_v1",
        "newsgraph_titles_v1",
        "newsgraph_timeline_v1",
        "newsgraph_geo_v1",
    ]
    assert by_name["Estonia"].geo is not None and by_name["Estonia"].geo["country"] == "EST"
    assert Report.from_json(report.to_json()) == report


# The seed's actors: canonical name -> (type, strings whose every occurrence is a mention)
SEED_ACTORS = {
    "Turkey": ("COUNTRY", ["Turkey"]),
    "United States": ("COUNTRY", ["U.S.", "United States"]),
    "Russia": ("COUNTRY", ["Russia"]),
    "Ukraine": ("COUNTRY", ["Ukraine"]),
    "NATO": ("IGO", ["NATO"]),
    "Recep Tayyip Erdogan": ("PERSON", ["Recep Tayyip Erdogan", "Erdogan"]),
    "Vladimir Putin": ("PERSON", ["Vladimir Putin"]),
    "Donald Trump": ("PERSON", ["Donald Trump", "Trump"]),
    "Tom Barrack": ("PERSON", ["Tomバーク"]),
    "S-400 Triumf": ("MILITARY_SYSTEM", ["S-400"]),
    "F-35 program": ("PROGRAM", ["F-35 program"]),
    "MIM-104 Patriot": ("MILITARY_SYSTEM", ["Patriot"]),
    "Bloomberg News": ("MEDIA", ["Bloomberg"]),
    "Center for Strategic and International Studies": ("ORGANIZATION", ["Center for Strategic"]),
    "Donbas": ("LOCATION", ["Donbass"]),
}


def test_seed_article_actors_are_typed_linked_and_complete(
    seed_text: str, validate: Callable[[dict[str, Any]], None]
) -> None:
    import re

    report = newsgraph.analyze(seed_text, published="2025-12-19")
    validate(report.to_dict())
    assert report.span_problems() == []
    by_name = {e.name: e for e in report.entities}
    for name, (etype, strings) in SEED_ACTORS.items():
        entity = by_name[name]
        assert entity.type == etype, name
        assert entity.kb_id, name
        covered = [(m.start, m.end) for m in entity.mentions]
        for string in strings:
            for hit in re.finditer(rf"(?<!\w){re.escape(string)}(?!\w)", seed_text):
                if string == "Trump" and seed_text[hit.start() - 7 : hit.start()] == "Donald ":
                    continue
                assert any(s <= hit.start() and hit.end() <= e for s, e in covered), (name, hit)
    # F-35 the aircraft is a system, the program a program
    f35 = [e for e in report.entities if e.name == "F-35 Lightning II"]
    assert f35 and f35[0].type == "MILITARY_SYSTEM"
    # the mistakes bare spaCy makes on this article are gone
    assert not [
        e for e in report.entities if e.type == "PERSON" and e.name in ("Patriot", "Donbass")
    ]
    assert not [e for e in report.entities if e.type == "COUNTRY" and "Bloomberg" in e.name]
    assert not [e for e in report.entities if e.type == "COUNTRY" and "バ" in e.name]


def test_batch_and_one_by_one_give_identical_reports(example_text: str, seed_text: str) -> None:
    texts = [seed_text, example_text, seed_text[:900], example_text.upper()]
    one_by_one = [newsgraph.analyze(t).to_dict() for t in texts]
    batch = [r.to_dict() for r in analyze_many(texts, batch_size=3)]
    assert batch == one_by_one


def test_parallel_processes_give_the_same_reports_in_order(example_text: str) -> None:
    texts = [example_text, example_text[:600], example_text[600:]]
    expected = [newsgraph.analyze(t).to_dict() for t in texts]
    assert [r.to_dict() for r in analyze_many(texts, processes=2)] == expected


def test_html_is_detected_and_extracted() -> None:
    html = (
        "<html><head><title>Talks</title><meta property='og:site_name' content='Wire'></head>"
        "<body><article><p>The foreign ministers of Estonia and Finland met in Helsinki on "
        "Tuesday to discuss air defence, officials said.</p><p>They agreed to meet again in "
        "March, according to a joint statement from both governments.</p></article></body></html>"
    )
    report = newsgraph.analyze(html)
    assert report.article.text.startswith("The foreign ministers")
    assert report.article.outlet == "Wire"
    assert report.span_problems() == []


@pytest.mark.parametrize(("source", "code"), [("", "E001"), (b"\x00\x01\x02binary", "E002")])
def test_bad_input_raises_a_coded_error(source: str | bytes, code: str) -> None:
    with pytest.raises(NewsgraphError) as info:
        newsgraph.analyze(source)
    assert info.value.code == code
