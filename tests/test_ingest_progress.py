"""The total of ``ingest``'s progress bar: the items a run of sources will yield, counted
beforehand where that is cheap, and always the number the reader then yields (failed
items included), so the bar ends at 100%."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.ingest import read_sources
from newsgraph.ingest.count import count_items, count_jsonl_lines
from newsgraph.options import DEFAULT_OPTIONS, Options

LIMIT = DEFAULT_OPTIONS.max_input_bytes


def read(specs: list[str], options: Options = DEFAULT_OPTIONS) -> int:
    """How many items the real reader yields for ``specs`` (good and failed)."""
    return sum(1 for _ in read_sources(specs, options=options))


def record(text: str, **fields: str) -> str:
    return json.dumps({"text": text, **fields})


def test_a_jsonl_file_counts_its_non_blank_lines_as_the_reader_reads_them(tmp_path: Path) -> None:
    lines = [
        record("The first article, long enough to be read as one."),
        "",
        "   \t",
        record("The second article, on a line of its own."),
        "not json at all",  # a failed item: counted too
        "\r",
        json.dumps([1, 2]),  # not an object: failed, counted
        record("The last article has no line end."),
    ]
    path = tmp_path / "set.jsonl"
    path.write_bytes("\n".join(lines).encode())
    assert count_jsonl_lines(path, LIMIT) == 5
    assert count_items([str(path)], max_line_bytes=LIMIT) == read([str(path)]) == 5


def test_a_byte_order_mark_crlf_line_ends_and_trailing_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "bom.ndjson"
    body = "\r\n".join([record("One article after a byte-order mark."), "", record("Two.")])
    path.write_bytes(b"\xef\xbb\xbf" + body.encode() + b"\r\n\r\n  \n")
    assert count_items([str(path)], max_line_bytes=LIMIT) == read([str(path)]) == 2
    only_mark = tmp_path / "mark.jsonl"
    only_mark.write_bytes(b"\xef\xbb\xbf\n\n")
    assert count_items([str(only_mark)], max_line_bytes=LIMIT) == read([str(only_mark)]) == 0


def test_lines_longer_than_the_limit_are_one_failed_item_each(tmp_path: Path) -> None:
    options = Options(max_input_bytes=1000)
    path = tmp_path / "big.jsonl"
    lines = [
        record("short one"),
        record("x" * 5000),  # too long: one failed item
        " " * 3000,  # blank but too long: the reader reports it too
        record("y" * 995),  # just over the limit with its line end
        record("after them"),
    ]
    path.write_bytes("\n".join(lines).encode() + b"\n")
    assert count_jsonl_lines(path, 1000) == read([str(path)], options) == 5


def test_a_file_longer_than_one_read_is_counted_across_the_reads(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    text = "A sentence that is repeated to make the file long. " * 40
    with path.open("w", encoding="utf-8") as out:
        for i in range(1500):  # about 3 MB: several 1 MiB reads, lines cut between them
            out.write(record(text, id=str(i)) + ("\n\n" if i % 7 == 0 else "\n"))
    assert count_jsonl_lines(path, LIMIT) == 1500
    assert count_items([str(path)], max_line_bytes=LIMIT) == read([str(path)])


def test_a_folder_counts_the_files_it_reads(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    (folder / "sub" / "deeper").mkdir(parents=True)
    (folder / "a.txt").write_text("An article in a text file.", encoding="utf-8")
    (folder / "b.HTML").write_text("<p>An article as a page.</p>", encoding="utf-8")
    (folder / "sub" / "c.md").write_text("Markdown counts as text.", encoding="utf-8")
    (folder / "sub" / "deeper" / "d.htm").write_text("<p>Deep.</p>", encoding="utf-8")
    (folder / "sub" / "empty.txt").write_bytes(b"")  # read and failed: still an item
    (folder / "notes.csv").write_text("not read", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG")
    assert count_items([str(folder)], max_line_bytes=LIMIT) == read([str(folder)]) == 5


def test_an_empty_folder_and_a_missing_file_are_one_failed_item_each(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "other.csv").write_text("x", encoding="utf-8")
    missing = str(tmp_path / "nope.txt")
    specs = [str(empty), missing]
    assert count_items(specs, max_line_bytes=LIMIT) == read(specs) == 2


def test_several_sources_add_up_and_urls_and_stdin_count_one_each(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<p>One page.</p>", encoding="utf-8")
    lines = tmp_path / "two.jsonl"
    lines.write_text(record("one") + "\n" + record("two") + "\n", encoding="utf-8")
    specs = [str(page), str(lines), "https://example.org/news/1", "-"]
    # nothing is fetched or read from stdin to count them
    assert count_items(specs, max_line_bytes=LIMIT) == 5
    assert count_items([], max_line_bytes=LIMIT) == 0


def test_a_warc_file_has_no_total(tmp_path: Path) -> None:
    lines = tmp_path / "two.jsonl"
    lines.write_text(record("one") + "\n", encoding="utf-8")
    for name in ("crawl.warc", "crawl.warc.gz"):
        warc = tmp_path / name
        warc.write_bytes(b"")
        assert count_items([str(warc)], max_line_bytes=LIMIT) is None
        assert count_items([str(lines), str(warc)], max_line_bytes=LIMIT) is None


def _bar(stderr: bytes) -> list[str]:
    """The progress lines an ingest printed (rich's last render of the bar)."""
    return [line for line in stderr.decode().splitlines() if line.startswith("ingest")]


@pytest.mark.model
def test_ingest_shows_a_bar_that_ends_at_the_total_also_for_stored_and_failed_items(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.txt").write_text(
            f"Dispatch {i}. The ministry said on Monday that talks would resume in Geneva.",
            encoding="utf-8",
        )
    (folder / "zz-empty.txt").write_bytes(b"")  # fails: advances the bar all the same
    db = tmp_path / "news.duckdb"
    exe = Path(sys.executable).with_name("newsgraph")
    env = {**os.environ, "NEWSGRAPH_PROGRESS": "1", "COLUMNS": "160"}
    for run in ("first", "again"):  # again: every article is already stored
        proc = subprocess.run(
            [str(exe), "ingest", str(folder), "--db", str(db), "--published", "2025-11-03"],
            capture_output=True,
            env=env,
            timeout=300,
            check=False,
        )
        assert proc.returncode == 3, (run, proc.stderr)  # the empty file was skipped
        bar = _bar(proc.stderr)
        assert bar, (run, proc.stderr)
        assert re.search(r"\b4/4 articles\b", bar[-1]), (run, bar)
        assert "100%" in bar[-1] or "0:00:00" in bar[-1], (run, bar)
