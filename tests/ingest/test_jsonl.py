from __future__ import annotations

import json
from pathlib import Path

from newsgraph.ingest import read_sources
from newsgraph.options import Options

HTML = (
    "<html><head><title>Ministers meet</title></head><body><article>"
    "<p>The foreign ministers of Estonia and Finland met in Helsinki on Tuesday to discuss "
    "air defence, officials said after the talks ended late in the evening.</p>"
    "<p>They agreed to buy systems together and to meet again in March, according to a "
    "statement issued by the two governments after the meeting.</p></article></body></html>"
)


def test_each_line_is_one_article_and_bad_lines_are_reported_and_skipped(
    tmp_path: Path,
) -> None:
    f = tmp_path / "set.jsonl"
    lines = [
        json.dumps({"text": "First article text.", "published": "2024-01-02", "id": "a"}),
        "{not json",
        json.dumps({"title": "no body"}),
        json.dumps({"text": "Second article.", "outlet": "Example Times"}),
        json.dumps({"text": "Bad date.", "published": "02/01/2024"}),
        json.dumps({"html": HTML, "url": "https://example.org/a"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"text": "   "}),
    ]
    f.write_text("\n".join(lines) + "\n")
    items = list(read_sources([str(f)], options=Options(), published="2025-05-05"))
    assert [i.ok for i in items] == [True, False, False, True, False, True, False, False]
    assert [i.error.code for i in items if i.error] == ["E008", "E008", "E010", "E008", "E001"]
    first, second, third = (i.article for i in items if i.article)
    assert first is not None and second is not None and third is not None
    # a line's own date wins over --published, which fills the others
    assert (first.published, first.published_source) == ("2024-01-02", "given")
    assert (second.published, second.outlet) == ("2025-05-05", "Example Times")
    assert items[0].record_id == "a"
    assert "foreign ministers of Estonia" in third.text
    assert third.url == "https://example.org/a"
    assert items[1].origin.endswith("set.jsonl:2")
    assert "line 2" in items[1].error.message  # type: ignore[union-attr]


def test_an_undecodable_line_is_skipped_and_the_rest_goes_on(tmp_path: Path) -> None:
    f = tmp_path / "set.jsonl"
    f.write_bytes(b'{"text": "caf\xe9"}\n' + json.dumps({"text": "fine"}).encode() + b"\n")
    items = list(read_sources([str(f)], options=Options()))
    assert [i.ok for i in items] == [False, True]
    assert items[0].error is not None and items[0].error.code == "E008"


def test_a_line_over_the_size_limit_is_skipped_without_reading_it_whole(tmp_path: Path) -> None:
    f = tmp_path / "set.jsonl"
    huge = json.dumps({"text": "word " * 5000})
    f.write_text(huge + "\n" + json.dumps({"text": "small one"}) + "\n")
    items = list(read_sources([str(f)], options=Options(max_input_bytes=1000)))
    assert [i.ok for i in items] == [False, True]
    assert items[0].error is not None and items[0].error.code == "E005"
    assert items[1].origin.endswith(":2")
