"""WARC reading: real archives written with warcio, plain and gzipped, whole and broken."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.errors import NewsgraphError
from newsgraph.ingest import read_sources
from newsgraph.ingest.item import Item
from newsgraph.ingest.warc import iter_warc
from newsgraph.options import Options

OPTIONS = Options()

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<meta property="og:site_name" content="Nordic Wire">
<meta property="article:published_time" content="2025-09-{day}T10:00:00Z">
</head><body>
<nav><a href="/">Front page</a> <a href="/world">World</a> <a href="/markets">Markets</a></nav>
<article><h1>{title}</h1>
{paragraphs}
</article>
<footer>© 2025 Nordic Wire · <a href="/terms">Terms of use</a></footer>
</body></html>
"""
GRAIN = [
    "Norway's grain cooperative said on Thursday that the autumn harvest was the smallest "
    "in eleven years after heavy rain flooded fields in the south-east of the country.",
    "The cooperative's chief executive, Ingrid Holm, said farmers had lost about a fifth of "
    "their barley and that imports from Denmark and Sweden would rise to fill the gap.",
    "Bakers warned that bread prices could climb before Christmas, while the agriculture "
    "ministry promised to publish a support package for affected farms next month.",
    "Meteorologists said the summer had been the wettest since records began in 1900, with "
    "some districts receiving three times their normal rainfall in August alone.",
]
FERRY = [
    "Finland's largest ferry operator said on Friday it would cut two routes across the "
    "Gulf of Bothnia from January because passenger numbers had fallen sharply.",
    "The company said the decision would affect about 120 crew members, most of whom would "
    "be offered jobs on the remaining routes between Helsinki and Stockholm.",
    "Local officials in Vaasa criticised the move and said they would ask the government to "
    "subsidise the crossing, which links the region with northern Sweden.",
]
PLAIN = "Kort nyhet: the Swedish central bank left its main interest rate unchanged on Tuesday.\n"
NAV_ONLY = (
    "<html><head><title>Index</title></head><body><nav><a href='/a'>A</a> "
    "<a href='/b'>B</a></nav></body></html>"
)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


def page(title: str, paragraphs: list[str], day: str) -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return PAGE.format(title=title, paragraphs=body, day=day).encode("utf-8")


def _http(status: str, ctype: str | None) -> StatusAndHeaders:
    headers = [("Content-Type", ctype)] if ctype else []
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def write_warc(path: Path, records: list[tuple[str, str, bytes, str, str | None]]) -> Path:
    """Write (type, uri, payload, HTTP status, content type) records; gzip for .gz names."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for rec_type, uri, payload, status, ctype in records:
            if rec_type == "request":
                http = StatusAndHeaders(
                    "GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True
                )
                record = writer.create_warc_record(
                    uri, "request", payload=io.BytesIO(b""), http_headers=http
                )
            elif rec_type == "metadata":
                record = writer.create_warc_record(
                    uri, "metadata", payload=io.BytesIO(payload), warc_content_type=ctype
                )
            else:
                record = writer.create_warc_record(
                    uri, rec_type, payload=io.BytesIO(payload), http_headers=_http(status, ctype)
                )
            writer.write_record(record)
    return path


GRAIN_URL = "https://news.example/2025/09/grain-harvest"
FERRY_URL = "https://news.example/2025/09/ferry-routes"
RECORDS: list[tuple[str, str, bytes, str, str | None]] = [
    ("request", GRAIN_URL, b"", "", None),
    (
        "response",
        GRAIN_URL,
        page("Smallest grain harvest in eleven years", GRAIN, "18"),
        "200 OK",
        "text/html; charset=utf-8",
    ),
    ("response", "https://news.example/logo.png", PNG, "200 OK", "image/png"),
    ("response", "https://news.example/", NAV_ONLY.encode(), "200 OK", "text/html"),
    ("metadata", GRAIN_URL, b"outlinks: https://news.example/\r\n", "", "application/warc-fields"),
    (
        "response",
        "https://news.example/gone",
        page("Gone", GRAIN, "01"),
        "404 Not Found",
        "text/html",
    ),
    (
        "response",
        FERRY_URL,
        page("Ferry operator cuts two Bothnia routes", FERRY, "19"),
        "200 OK",
        "application/xhtml+xml",
    ),
    ("response", "https://news.example/brief.txt", PLAIN.encode(), "200 OK", "text/plain"),
]


def _codes(items: list[Item]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item.article is not None:
            out.append("ok")
        else:
            assert item.error is not None
            out.append(item.error.code)
    return out


@pytest.fixture(params=["crawl.warc", "crawl.warc.gz"])
def archive(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return write_warc(tmp_path / request.param, RECORDS)


def test_reads_articles_and_skips_the_rest(archive: Path) -> None:
    items = list(iter_warc(archive, options=OPTIONS))
    assert _codes(items) == ["ok", "E004", "ok", "ok"]
    grain, nav, ferry, brief = items

    assert grain.article is not None
    assert GRAIN[0] in grain.article.text
    assert GRAIN[3] in grain.article.text
    assert "Terms of use" not in grain.article.text
    assert grain.article.title == "Smallest grain harvest in eleven years"
    assert grain.article.url == GRAIN_URL
    assert grain.article.outlet == "Nordic Wire"
    assert grain.article.published == "2025-09-18"
    assert grain.origin == f"{archive}#3"  # warcinfo, request, then this response
    assert grain.record_id is not None and grain.record_id.startswith("urn:uuid:")

    assert nav.error is not None and nav.error.code == "E004"
    assert nav.origin == f"{archive}#5"
    assert "https://news.example/" in nav.error.message
    assert nav.record_id is not None and nav.record_id != grain.record_id

    assert ferry.article is not None
    assert FERRY[1] in ferry.article.text
    assert ferry.article.title == "Ferry operator cuts two Bothnia routes"
    assert ferry.article.url == FERRY_URL

    assert brief.article is not None
    assert brief.article.text == PLAIN
    assert brief.article.url == "https://news.example/brief.txt"


def test_read_sources_dispatches_warc(archive: Path) -> None:
    items = list(read_sources([str(archive)], options=OPTIONS, published="2025-09-20"))
    assert _codes(items) == ["ok", "E004", "ok", "ok"]
    assert all(i.article.published == "2025-09-20" for i in items if i.article is not None)


def test_record_over_the_size_limit(tmp_path: Path) -> None:
    big = page("Long read", GRAIN * 40, "18")
    path = write_warc(
        tmp_path / "big.warc.gz",
        [
            ("response", "https://news.example/long", big, "200 OK", "text/html"),
            ("response", FERRY_URL, page("Ferry", FERRY, "19"), "200 OK", "text/html"),
        ],
    )
    items = list(iter_warc(path, options=Options(max_input_bytes=len(big) - 1)))
    assert _codes(items) == ["E005", "ok"]
    assert items[0].error is not None
    assert "https://news.example/long" in items[0].error.message
    assert items[1].article is not None and FERRY[0] in items[1].article.text


def test_declared_charset_of_a_text_record(tmp_path: Path) -> None:
    text = "Kaffepriset steg med tolv procent i Göteborg förra veckan.\n"
    path = write_warc(
        tmp_path / "latin.warc",
        [("response", "http://x.example/", text.encode("latin-1"), "200 OK",
          "text/plain; charset=ISO-8859-1")],
    )  # fmt: skip
    items = list(iter_warc(path, options=OPTIONS))
    assert items[0].article is not None and items[0].article.text == text


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("These are my notes about the harvest.\nNot an archive at all.\n")
    items = list(iter_warc(path, options=OPTIONS))
    assert len(items) == 1
    err = items[0].error
    assert err is not None and err.code == "E012"
    assert items[0].origin == str(path)
    assert "not a WARC file" in err.message


@pytest.mark.parametrize("content", [b"", b"\x1f\x8b\x08\x00garbage", b"\n\n"])
def test_empty_or_garbage(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "odd.warc.gz"
    path.write_bytes(content)
    items = list(iter_warc(path, options=OPTIONS))
    assert len(items) == 1
    assert items[0].error is not None and items[0].error.code == "E012"


def test_missing_file(tmp_path: Path) -> None:
    items = list(iter_warc(tmp_path / "nowhere.warc", options=OPTIONS))
    assert len(items) == 1
    assert items[0].error is not None and items[0].error.code == "E012"


@pytest.mark.parametrize("name", ["cut.warc.gz", "cut.warc"])
def test_truncated_archive(tmp_path: Path, name: str) -> None:
    """Records before the break are yielded, then one E012, whatever the format."""
    whole = write_warc(tmp_path / f"whole-{name}", RECORDS)
    data = whole.read_bytes()
    # Cut inside the xhtml ferry page: the grain and nav records are complete before it.
    if name.endswith(".gz"):
        cut = _gzip_member_offsets(data)[7] + 40  # inside the ferry record's gzip member
    else:
        cut = data.index(b"Bothnia") + 10
    path = tmp_path / name
    path.write_bytes(data[:cut])
    items = list(iter_warc(path, options=OPTIONS))
    assert _codes(items) == ["ok", "E004", "E012"]
    last = items[-1]
    assert last.origin == str(path)
    assert last.error is not None
    assert "truncated" in last.error.message
    assert items[0].article is not None and GRAIN[0] in items[0].article.text


def _gzip_member_offsets(data: bytes) -> list[int]:
    """Start offsets of the gzip members of a record-per-member .warc.gz."""
    offsets: list[int] = []
    pos = 0
    while pos < len(data):
        offsets.append(pos)
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        d.decompress(data[pos:])
        pos = len(data) - len(d.unused_data)
    return offsets


def test_every_cut_point_ends_cleanly(tmp_path: Path) -> None:
    """Cut anywhere: a prefix of the whole result, then E012 unless the cut hit a boundary."""
    for name in ("all.warc", "all.warc.gz"):
        data = write_warc(tmp_path / name, RECORDS).read_bytes()
        full = _codes(list(iter_warc(tmp_path / name, options=OPTIONS)))
        path = tmp_path / f"cut-{name}"
        for cut in range(0, len(data), max(1, len(data) // 60)):
            path.write_bytes(data[:cut])
            got = _codes(list(iter_warc(path, options=OPTIONS)))
            body = got[:-1] if got and got[-1] == "E012" else got
            assert body == full[: len(body)], (name, cut, got)


def test_whole_file_gzip_is_accepted(tmp_path: Path) -> None:
    """A .warc.gz compressed as one gzip member (not per record) still reads."""
    plain = write_warc(tmp_path / "one.warc", RECORDS)
    path = tmp_path / "one.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    assert _codes(list(iter_warc(path, options=OPTIONS))) == ["ok", "E004", "ok", "ok"]


def test_error_items_are_newsgraph_errors(archive: Path) -> None:
    for item in iter_warc(archive, options=OPTIONS):
        assert (item.article is None) != (item.error is None)
        if item.error is not None:
            assert isinstance(item.error, NewsgraphError)
