"""The Spark engine, run for real: `newsgraph spark` on local[2] over a WARC file and a
JSON Lines file made here, compared row for row with `newsgraph ingest` of the same
inputs, report for report with the local engines, and again after a rerun, an
interrupted task and `import-parquet`."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import newsgraph
from conftest import run_cli
from newsgraph.engines.local import analyze_items
from newsgraph.engines.spark import TASKS_DIR, completed
from newsgraph.ingest import read_sources
from newsgraph.options import Options
from newsgraph.store import schema

pytestmark = [pytest.mark.model, pytest.mark.spark]

if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark", allow_module_level=True)
pytest.importorskip("pyspark")

ROOT = Path(__file__).resolve().parents[2]
SPARK = ("--master", "local[2]", "--conf", "spark.ui.enabled=false")

STORIES = [
    (
        "2025-10-02",
        "Finland's defence ministry said on Thursday that it had signed a contract with "
        "Norway's Kongsberg for two more NASAMS air-defence batteries. Defence Minister "
        "Antti Hakkanen told reporters in Helsinki that the first would arrive in 2027. "
        '"We are closing the gaps in our air defence," he said. Russia\'s embassy called '
        "the purchase a provocation.",
    ),
    (
        "2025-10-14",
        "Turkish and Greek foreign ministers met in Ankara on Tuesday to discuss maritime "
        "boundaries in the Aegean. Greece's foreign minister said the talks were frank and "
        "that both sides agreed to meet again in December. A Turkish official, who asked "
        "not to be named, said Ankara would not accept new limits on its exploration.",
    ),
    (
        "2025-11-05",
        "Kenya's president accused the opposition of inciting violence after protests in "
        "Nairobi left three people dead, police said on Wednesday. The opposition leader "
        "denied the charge and demanded an independent inquiry. The United Nations urged "
        "both sides to show restraint.",
    ),
    (
        None,
        "The European Union agreed on Monday to extend sanctions on Russia for six more "
        "months, diplomats said. Hungary had threatened to block the decision but dropped "
        "its objection after talks in Brussels. The sanctions target banks, energy firms "
        "and more than 1,700 people.",
    ),
    (
        "2025-11-21",
        "India and Pakistan exchanged fire across the Line of Control on Friday, the Indian "
        "army said, accusing Pakistani troops of shelling villages near Poonch. Pakistan's "
        "military said it had responded to unprovoked firing. Two civilians were wounded, "
        "local officials said.",
    ),
]
PAGES = [
    (
        "https://news.example/2025/11/ports",
        "Dockworkers strike at Baltic ports",
        "Dockworkers in Gdansk and Klaipeda walked out on Monday, halting container "
        "traffic at two of the Baltic's busiest ports. The Polish union Solidarity said the "
        "strike would last until employers raised wages. Lithuania's transport minister "
        "called on both sides to return to talks.",
    ),
    (
        "https://news.example/2025/11/summit",
        "Leaders meet in Brasilia",
        "Brazil's president hosted leaders from South America in Brasilia on Thursday. "
        "Argentina's president said the region needed a common plan for energy. Chile "
        "and Peru signed an agreement on shared water resources, officials said.",
    ),
]


def _page(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in body.split(". ") if s.strip())
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        "<meta property='article:published_time' content='2025-11-10T09:00:00Z'></head>"
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    ).encode()


def write_warc(path: Path) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        records = [(url, "200 OK", "text/html", _page(t, b)) for url, t, b in PAGES]
        records.insert(1, ("https://news.example/missing", "404 Not Found", "text/html", b"no"))
        records.append(("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG"))
        for url, status, ctype, payload in records:
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=http
            )
            writer.write_record(record)


def write_jsonl(path: Path) -> None:
    lines = []
    for i, (published, text) in enumerate(STORIES):
        record: dict[str, Any] = {"id": f"s{i}", "text": text, "outlet": "Test Wire"}
        if published:
            record["published"] = published
        lines.append(json.dumps(record))
        if i == 2:
            lines.append('{"text": "a record cut short')  # bad: line 4
    example = (ROOT / "examples" / "baltic-air-defence.txt").read_text("utf-8")
    lines.append(json.dumps({"id": "ex", "text": example, "published": "2025-11-03"}))
    path.write_text("\n".join(lines) + "\n", "utf-8")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    where = tmp_path_factory.mktemp("spark-inputs")
    write_jsonl(where / "news.jsonl")
    write_warc(where / "cc.warc.gz")
    return [str(where / "news.jsonl"), str(where / "cc.warc.gz")]


@pytest.fixture(scope="module")
def ingested(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("spark-ingest") / "ingest.duckdb"
    done = run_cli("ingest", *inputs, "--db", str(db), timeout=600)
    assert done.returncode == 3, done.stderr.decode()  # one bad line: partial
    return db


def spark_job(inputs: list[str], out: Path, *more: str) -> tuple[int, str]:
    done = run_cli("spark", *inputs, "--out", str(out), *SPARK, *more, timeout=900)
    return done.returncode, done.stderr.decode()


@pytest.fixture(scope="module")
def job(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    out = tmp_path_factory.mktemp("spark-job") / "out"
    code, err = spark_job(inputs, out, "--split-size", "1KB")
    return out, code, err


def _rows(con: duckdb.DuckDBPyConnection, table: schema.Table, source: str) -> list[Any]:
    cols = ", ".join(f'"{c}"' for c in table.column_names if c != "ingested_at")
    return con.execute(f"SELECT {cols} FROM {source} ORDER BY ALL").fetchall()


def parquet_tables(out: Path) -> dict[str, list[Any]]:
    con = duckdb.connect()
    return {
        t.name: _rows(con, t, f"read_parquet('{out}/{t.name}/*/*.parquet')")
        for t in schema.DATA_TABLES
    }


def store_tables(db: Path) -> dict[str, list[Any]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t.name: _rows(con, t, f'"{t.name}"') for t in schema.DATA_TABLES}


def test_spark_output_is_ingest_row_for_row(job: tuple[Path, int, str], ingested: Path) -> None:
    out, code, err = job
    assert code == 3, err  # a bad record is reported, not fatal
    assert "E008" in err and "news.jsonl:4]" in err
    assert "9 records read, 8 articles written, 1 bad records" in err
    mine, theirs = parquet_tables(out), store_tables(ingested)
    assert len(theirs["articles"]) == 8
    for table in schema.DATA_TABLES:
        assert theirs[table.name], table.name  # every layer has rows to compare
        assert mine[table.name] == theirs[table.name], table.name
    records = completed(out)
    assert len([r for r in records.values() if r["kind"] == "jsonl"]) >= 2  # split
    assert sum(r["articles"] for r in records.values()) == 8
    # local[2]: two Python workers, each reused for task after task (one model load each)
    assert len({r["pid"] for r in records.values()}) <= 2 < len(records)
    assert (out / "_SUCCESS").exists()


def test_partitioned_by_publication_month(job: tuple[Path, int, str]) -> None:
    out = job[0]
    con = duckdb.connect()
    for table in ("articles", "events", "entities"):
        rows = con.execute(
            f"SELECT DISTINCT published_month FROM read_parquet('{out}/{table}/*/*.parquet', "
            "hive_partitioning = true)"
        ).fetchall()
        assert {r[0] for r in rows} >= {"2025-10", "2025-11"}
    months = con.execute(
        f"SELECT id, published, published_month FROM read_parquet('{out}/articles/*/*.parquet', "
        "hive_partitioning = true)"
    ).fetchall()
    for _, published, month in months:
        assert month == (published.strftime("%Y-%m") if published else None)
    assert None in {m for _, _, m in months}  # the undated article: the null partition


def test_three_engines_give_the_same_reports(job: tuple[Path, int, str], inputs: list[str]) -> None:
    options = Options()
    serial = {
        r.article.id: r.to_dict()
        for _, r in analyze_items(read_sources(inputs, options=options), options=options)
        if r is not None
    }
    parallel = {
        r.article.id: r.to_dict()
        for _, r in analyze_items(
            read_sources(inputs, options=options), options=options, processes=2
        )
        if r is not None
    }
    con = duckdb.connect()
    spark = {
        aid: json.loads(report)
        for aid, report in con.execute(
            f"SELECT id, report FROM read_parquet('{job[0]}/articles/*/*.parquet')"
        ).fetchall()
    }
    assert len(serial) == 8
    assert serial == parallel == spark


def _files(out: Path) -> dict[str, float]:
    return {str(p.relative_to(out)): p.stat().st_mtime for p in out.rglob("*.parquet")}


def test_rerun_skips_what_is_complete(job: tuple[Path, int, str], inputs: list[str]) -> None:
    out = job[0]
    before = _files(out)
    code, err = spark_job(inputs, out)
    assert code == 0, err
    assert f"0 tasks run, {len(completed(out))} already complete" in err
    assert _files(out) == before


def test_an_interrupted_task_is_done_again_once(
    job: tuple[Path, int, str], inputs: list[str], ingested: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(job[0], out)
    (out / "_SUCCESS").unlink()
    split = next(r for r in completed(out).values() if r["kind"] == "jsonl" and r["articles"])
    # the task died after moving some of its files in place, before its record
    (out / TASKS_DIR / f"{split['task']}.json").unlink()
    for part in out.glob(f"*/*/part-{split['task']}.parquet"):
        part.write_bytes(b"half a file")
    orphan = out / "events" / "published_month=2025-10" / "part-0123456789abcdef01234567.parquet"
    shutil.copy(next(out.glob("events/*/*.parquet")), orphan)
    code, err = spark_job(inputs, out, "--split-size", "64MB")  # the first split is kept
    assert code == (3 if split["bad"] else 0), err  # its bad record is reported again
    assert "1 tasks run" in err
    assert not orphan.exists()
    assert parquet_tables(out) == store_tables(ingested)


def test_import_parquet_loads_the_store(
    job: tuple[Path, int, str], ingested: Path, tmp_path: Path
) -> None:
    db = tmp_path / "imported.duckdb"
    done = run_cli("import-parquet", str(job[0]), "--db", str(db), timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    assert "imported 8 new articles, 0 already stored" in done.stderr.decode()
    assert store_tables(db) == store_tables(ingested)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM corpus_articles").fetchone() == (8,)
    again = run_cli("import-parquet", str(job[0]), "--db", str(db), timeout=300)
    assert "imported 0 new articles, 8 already stored" in again.stderr.decode()
    assert store_tables(db) == store_tables(ingested)


def test_spark_submit_and_hadoop_url_inputs(
    inputs: list[str], ingested: Path, tmp_path: Path
) -> None:
    """The README's cluster command, on local[2]: spark-submit runs the CLI's job, and a
    URL input goes through Spark's Hadoop file systems (a glob, each file one task)."""
    import pyspark

    submit = Path(sys.executable).with_name("spark-submit")
    entry = Path(newsgraph.__file__).with_name("__main__.py")
    folder = Path(inputs[1]).parent
    out = tmp_path / "out"
    env = {**os.environ, "SPARK_HOME": str(Path(pyspark.__file__).parent)}
    env["PYSPARK_PYTHON"] = sys.executable
    done = subprocess.run(
        [
            str(submit),
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            str(entry),
            "spark",
            f"file://{folder}/*.warc.gz",
            "--out",
            str(out),
        ],
        capture_output=True,
        env=env,
        timeout=900,
        check=False,
    )
    # spark-submit hands the Python driver's stderr on as its stdout
    err = done.stdout.decode() + done.stderr.decode()
    assert done.returncode == 0, err[-3000:]
    assert "spark: 1 tasks run" in err
    mine = parquet_tables(out)
    con = duckdb.connect(str(ingested), read_only=True)
    cols = ", ".join(f'"{c}"' for c in schema.EVENTS.column_names)
    theirs = con.execute(
        f"SELECT {cols} FROM events WHERE article_id IN "
        "(SELECT id FROM articles WHERE origin LIKE '%.warc.gz#%') ORDER BY ALL"
    ).fetchall()
    assert mine["events"] == theirs and theirs
    assert len(mine["articles"]) == 2
    assert all(str(row[7]).startswith(f"file:{folder}/cc.warc.gz#") for row in mine["articles"])


def test_no_java_is_one_coded_line(inputs: list[str], tmp_path: Path) -> None:
    env = {"PATH": "/nonexistent", "JAVA_HOME": ""}
    done = run_cli("spark", *inputs, "--out", str(tmp_path / "out"), env=env)
    err = done.stderr.decode()
    assert done.returncode == 1
    assert err.startswith("E041: Spark is not available (no Java runtime")
    assert "Traceback" not in err


def test_cli_checks_its_options(cli: Callable[..., Any], tmp_path: Path) -> None:
    done = cli("spark", "x.jsonl", "--out", str(tmp_path), "--split-size", "lots")
    assert done.returncode == 2
    assert b"not a size" in done.stderr
