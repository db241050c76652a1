"""Reading local inputs: bounded reads of every kind of file, folders that are never left
through a link, every skipped thing reported, and encodings and forms that used to be
refused."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

from newsgraph.errors import NewsgraphError
from newsgraph.ingest import read_sources
from newsgraph.ingest.detect import article_from_bytes
from newsgraph.ingest.files import read_path
from newsgraph.ingest.text import utf16_without_bom
from newsgraph.ingest.warc import iter_warc
from newsgraph.options import Options

OPTS = Options()
STORY = (
    "Estonia and Finland agreed on Monday to buy air defence systems together, "
    "officials said.\n\nThe first batteries could arrive within three years.\n"
)


def items(*specs: str, options: Options = OPTS) -> list[tuple[str, str | None]]:
    """(origin, error code or None) of every item read."""
    return [
        (i.origin, i.error.code if i.error else None)
        for i in read_sources(list(specs), options=options)
    ]


def test_a_device_is_read_only_up_to_the_limit() -> None:
    small = Options(max_input_bytes=100_000)
    started = time.monotonic()
    with pytest.raises(NewsgraphError) as info:
        read_path(Path("/dev/zero"), small)
    assert info.value.code == "E005"
    assert time.monotonic() - started < 5  # it stopped at the limit, not at 5 GB


def test_dev_null_is_an_empty_input() -> None:
    assert items("/dev/null") == [("/dev/null", "E001")]


def test_a_fifo_without_a_writer_times_out_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    got = items(str(fifo), options=Options(read_timeout=0.5))
    assert got == [(str(fifo), "E030")]
    assert time.monotonic() - started < 3


def test_a_fifo_with_a_writer_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)

    def write() -> None:
        time.sleep(0.3)  # the reader is waiting before the writer arrives
        with fifo.open("w", encoding="utf-8") as out:
            out.write(STORY)

    threading.Thread(target=write, daemon=True).start()
    (item,) = read_sources([str(fifo)], options=Options(read_timeout=5))
    assert item.article is not None and item.article.text == STORY


def test_a_fifo_bigger_than_the_limit_is_cut_at_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "big.fifo"
    os.mkfifo(fifo)
    written = []

    def write() -> None:
        try:
            with fifo.open("wb") as out:
                for _ in range(300):  # 30 MB offered
                    out.write(b"x" * 100_000)
                    written.append(1)
        except BrokenPipeError:
            pass

    threading.Thread(target=write, daemon=True).start()
    assert items(str(fifo), options=Options(max_input_bytes=1_000_000)) == [(str(fifo), "E005")]
    assert len(written) < 300


def test_folder_ingest_never_leaves_the_folder_through_a_link(tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(STORY, encoding="utf-8")
    (root / "sub" / "b.txt").write_text(STORY.replace("Monday", "Tuesday"), encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (root / "inside-link.txt").symlink_to(root / "a.txt")
    (root / "passwd.txt").symlink_to(outside)
    (root / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (root / "loop").symlink_to(root)  # a link loop
    (root / "elsewhere").symlink_to(tmp_path)

    got = dict(items(str(root)))
    assert got[str(root / "a.txt")] is None
    assert got[str(root / "sub" / "b.txt")] is None
    assert got[str(root / "inside-link.txt")] is None
    assert got[str(root / "passwd.txt")] == "E031"
    assert got[str(root / "dangling.txt")] == "E031"
    assert got[str(root / "loop")] == "E031"
    assert got[str(root / "elsewhere")] == "E031"
    texts = [i.article.text for i in read_sources([str(root)], options=OPTS) if i.article]
    assert not any("root:x" in t for t in texts)


def read_as_nobody(root: Path) -> list[tuple[str, str | None]]:
    """``items(root)`` in a forked child that runs as the user "nobody"."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, read, send the result, leave at once
        status = 1
        try:
            os.close(rfd)
            os.setgid(65534)
            os.setuid(65534)
            with os.fdopen(wfd, "w") as out:
                json.dump(items(str(root)), out)
            status = 0
        finally:
            os._exit(status)
    os.close(wfd)
    with os.fdopen(rfd) as res:
        data = res.read()
    _, status = os.waitpid(pid, 0)
    assert status == 0, data
    return [(origin, code) for origin, code in json.loads(data)]


def test_an_unreadable_subfolder_is_reported() -> None:
    # Run as an ordinary user: root reads folders whatever their permissions, so as
    # root the reading runs in a child process that drops to "nobody".
    root = Path(tempfile.mkdtemp(prefix="newsgraph-perm-"))
    try:
        root.chmod(0o755)
        (root / "locked").mkdir()
        (root / "a.txt").write_text(STORY, encoding="utf-8")
        (root / "locked" / "b.txt").write_text(STORY, encoding="utf-8")
        (root / "locked").chmod(0)
        got = read_as_nobody(root) if os.geteuid() == 0 else items(str(root))
    finally:
        (root / "locked").chmod(0o755)
        shutil.rmtree(root)
    assert (str(root / "a.txt"), None) in got
    assert (str(root / "locked"), "E009") in got


def test_an_empty_folder_and_a_warc_without_pages_say_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.csv").write_text("a,b\n", encoding="utf-8")
    assert items(str(empty)) == [(str(empty), "E032")]

    from warcio.warcwriter import WARCWriter

    warc = tmp_path / "meta.warc"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        writer.write_record(writer.create_warcinfo_record("meta.warc", {"software": "tests"}))
    (item,) = iter_warc(warc, options=OPTS)
    assert item.error is not None and item.error.code == "E032"
    assert "1 WARC records" in item.error.message


def test_a_jsonl_file_starting_with_a_byte_order_mark_keeps_its_first_record(
    tmp_path: Path,
) -> None:
    f = tmp_path / "set.jsonl"
    lines = [json.dumps({"text": STORY, "id": "one"}), json.dumps({"text": STORY + "More."})]
    f.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    got = list(read_sources([str(f)], options=OPTS))
    assert [i.ok for i in got] == [True, True]
    assert got[0].record_id == "one"


def test_common_published_forms_in_jsonl_are_read(tmp_path: Path) -> None:
    f = tmp_path / "set.jsonl"
    forms = [
        "Nov 22, 2016",
        "Tue, 22 Nov 2016 10:30:00 +0000",
        "2016-11-22T10:30:00Z",
        "November 22, 2016 3:04 PM ET",
        "22 November 2016",
    ]
    f.write_text(
        "".join(
            json.dumps({"text": f"{STORY} {n}", "published": d}) + "\n" for n, d in enumerate(forms)
        )
    )
    got = list(read_sources([str(f)], options=OPTS))
    assert [i.article.published for i in got if i.article] == ["2016-11-22"] * len(forms)


def test_a_text_file_wrapped_in_one_paragraph_tag_is_read_as_its_text(tmp_path: Path) -> None:
    f = tmp_path / "story.txt"
    f.write_text("<p>" + STORY.replace("\n\n", "</p><p>") + "</p>", encoding="utf-8")
    (item,) = read_sources([str(f)], options=OPTS)
    assert item.article is not None
    assert item.article.text.startswith("Estonia and Finland agreed on Monday")
    assert "<p>" not in item.article.text
    assert "The first batteries" in item.article.text
    f.write_text(f"<p>{STORY}</p>", encoding="utf-8")  # one paragraph tag round it all
    (item,) = read_sources([str(f)], options=OPTS)
    assert item.article is not None
    assert item.article.text == STORY.strip()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-32"])
def test_utf16_and_utf32_text_is_decoded(encoding: str) -> None:
    text = STORY + "Café, naïve, Zürich — “quoted”."
    article = article_from_bytes(text.encode(encoding), options=OPTS)
    assert article.text == text


def test_binary_with_nul_bytes_is_not_taken_for_utf16() -> None:
    assert utf16_without_bom(bytes(range(256)) * 4) is None
    with pytest.raises(NewsgraphError) as info:
        article_from_bytes(b"\x00\x01\x02binary" * 50, options=OPTS)
    assert info.value.code == "E002"
