from __future__ import annotations

import pytest

from newsgraph.errors import NewsgraphError
from newsgraph.ingest.detect import article_from_bytes
from newsgraph.ingest.text import (
    article_from_text,
    decode_utf8,
    looks_like_html,
    sniff_binary,
)
from newsgraph.options import Options

OPTS = Options()


def code_of(fn, *args, **kw) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(NewsgraphError) as info:
        fn(*args, **kw)
    return info.value.code


def test_plain_text_is_kept_verbatim_but_for_a_leading_bom() -> None:
    raw = "\ufeffLine one.\r\n  Line two\twith tab.\n\n"
    art = article_from_bytes(raw.encode("utf-8"), options=OPTS)
    assert art.text == raw[1:]
    assert art.published is None and art.published_source is None


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", "\ufeff".encode()])
def test_empty_input_is_e001(data: bytes) -> None:
    assert code_of(article_from_bytes, data, options=OPTS) == "E001"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"hello\x00world", "NUL"),
        (bytes(range(1, 9)) * 100, "control"),
    ],
)
def test_binary_input_is_e002(data: bytes, what: str) -> None:
    with pytest.raises(NewsgraphError) as info:
        article_from_bytes(data, options=OPTS)
    assert info.value.code == "E002"
    assert what in info.value.message


def test_undecodable_bytes_are_e003_with_the_offset() -> None:
    data = "Caf\u00e9 au lait".encode("latin-1")
    with pytest.raises(NewsgraphError) as info:
        decode_utf8(data, where="x.txt")
    assert info.value.code == "E003"
    assert "offset 3" in info.value.message


def test_oversized_input_is_e005() -> None:
    small = Options(max_input_bytes=100)
    assert code_of(article_from_bytes, b"word " * 50, options=small) == "E005"
    assert code_of(article_from_text, "x" * 50, options=Options(max_text_chars=10)) == "E005"


def test_sniff_binary_lets_text_through() -> None:
    assert sniff_binary("Plain news text, with ‘curly’ quotes — and dashes.".encode()) is None


@pytest.mark.parametrize(
    "doc",
    [
        "<!DOCTYPE html><html><body><p>x</p></body></html>",
        "  <html lang='en'><head><title>t</title></head></html>",
        "<!-- saved --><div><p>one</p></div>",
    ],
)
def test_html_documents_are_detected(doc: str) -> None:
    assert looks_like_html(doc)


def test_prose_mentioning_a_tag_is_not_html() -> None:
    assert not looks_like_html("Officials said the <p> tag was not the problem.\nMore text.")
