"""The Spark engine's planning and the Parquet folder's checks, without Spark."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from newsgraph.engines.spark import TASKS_DIR, completed, line_splits, local_cores, plan
from newsgraph.errors import NewsgraphError
from newsgraph.store import Store
from newsgraph.store.parquet import import_months


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("trailing_newline", [True, False])
def test_line_splits_cover_the_file_at_line_ends(
    tmp_path: Path, seed: int, trailing_newline: bool
) -> None:
    rng = random.Random(seed)
    lines = [b"x" * rng.randint(0, 3000) for _ in range(rng.randint(1, 400))]
    body = b"\n".join(lines) + (b"\n" if trailing_newline else b"")
    path = tmp_path / "f.jsonl"
    path.write_bytes(body)
    split = rng.choice([1, 100, 5_000, 70_000, 10**7])
    ranges = line_splits(path, split)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(body)
    every = _lines(path)
    seen: list[bytes] = []
    for (start, end, first), nxt in zip(ranges, [*ranges[1:], None], strict=True):
        assert start < end
        if nxt is not None:
            assert nxt[0] == end and body[end - 1 : end] == b"\n"
            assert end - start < split + 3001  # about the split size
        part = body[start:end].splitlines(keepends=True)
        assert part == every[first - 1 : first - 1 + len(part)]  # its first line's number
        seen += part
    assert seen == every


def test_line_splits_of_a_large_file_cross_read_blocks(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"".join(b'{"text": "%d"}\n' % i for i in range(300_000)))  # ~5 MB
    ranges = line_splits(path, 1 << 20)
    body = path.read_bytes()
    assert len(ranges) == -(-len(body) // (1 << 20))
    for start, _, first in ranges:
        assert first == body[:start].count(b"\n") + 1
    assert sum(body[s:e].count(b"\n") for s, e, _ in ranges) == 300_000


def test_plan_splits_large_jsonl_and_keeps_earlier_splits(tmp_path: Path) -> None:
    data = tmp_path / "news.jsonl"
    data.write_bytes(b"".join(b'{"text": "article %d"}\n' % i for i in range(2000)))
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(b"")
    tasks, urls, failed = plan([str(data), str(warc)], split_bytes=10_000)
    assert not urls and not failed
    jsonl = [t for t in tasks if t.kind == "jsonl"]
    assert len(jsonl) == 5 and all(t.split_bytes == 10_000 for t in jsonl)
    assert [t.kind for t in tasks if t.input == str(warc)] == ["warc"]
    assert len({t.key for t in tasks}) == len(tasks)
    # a rerun with another split size splits as the first run did
    done = {jsonl[0].key: {"task": jsonl[0].key, "input": str(data), "split_bytes": 10_000}}
    again, _, _ = plan([str(data), str(warc)], split_bytes=64 << 20, done=done)
    assert again == tasks
    fresh, _, _ = plan([str(data)], split_bytes=64 << 20)
    assert len(fresh) == 1 and fresh[0].end == -1


def test_plan_reports_what_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", "utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.ndjson").write_text('{"text": "x"}\n', "utf-8")
    specs = [
        str(tmp_path / "missing.jsonl"),
        str(tmp_path / "notes.txt"),
        str(tmp_path / "empty"),
        str(tmp_path / "sub"),
        "hdfs://namenode/news/*.warc.gz",
    ]
    tasks, urls, failed = plan(specs, split_bytes=1 << 20)
    assert [t.input for t in tasks] == [str(tmp_path / "sub" / "a.ndjson")]
    assert urls == ["hdfs://namenode/news/*.warc.gz"]
    assert [e.code for e in failed] == ["E009", "E032", "E032"]


def test_completed_reads_task_records(tmp_path: Path) -> None:
    (tmp_path / TASKS_DIR).mkdir()
    (tmp_path / TASKS_DIR / "abc.json").write_text(json.dumps({"task": "abc"}), "utf-8")
    (tmp_path / TASKS_DIR / "torn.json").write_text('{"task": ', "utf-8")
    assert list(completed(tmp_path)) == ["abc"]
    assert completed(tmp_path / "nothing") == {}


@pytest.mark.parametrize(
    ("master", "cores"),
    [("local", 1), ("local[2]", 2), ("local[3,4]", 3), ("yarn", 0), ("spark://h:7077", 0)],
)
def test_local_cores(master: str, cores: int) -> None:
    assert local_cores(master) == cores


def test_import_refuses_what_is_not_a_job_folder(tmp_path: Path) -> None:
    with Store.open(":memory:") as store:
        with pytest.raises(NewsgraphError) as missing:
            import_months(store, tmp_path / "nope")
        assert missing.value.code == "E043" and "no such folder" in missing.value.message
        with pytest.raises(NewsgraphError) as empty:
            import_months(store, tmp_path)
        assert "no articles/published_month" in empty.value.message
        other = tmp_path / "articles" / "published_month=2025-11"
        other.mkdir(parents=True)
        store.execute(f"COPY (SELECT 1 AS id, 'x' AS text) TO '{other / 'part-a.parquet'}'")
        with pytest.raises(NewsgraphError) as foreign:
            import_months(store, tmp_path)
        assert "written by another newsgraph" in foreign.value.message
        assert store.count() == 0


def test_import_parquet_cli_gives_one_coded_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = cli("import-parquet", str(tmp_path / "nope"), "--db", str(tmp_path / "s.duckdb"))
    assert done.returncode == 1
    assert done.stderr.decode().startswith("E043: ")
    assert b"Traceback" not in done.stderr
