"""`newsgraph export --events FORMAT`: the real command in a subprocess over a real DuckDB
store of hand-built reports (no model): POLECAT-style JSON Lines and CSV, copies,
filters, Parquet alongside, and one coded line for every bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from eventstore import Built, build_store
from newsgraph.store import Store
from newsgraph.store.events_export import CSV_FIELDS

Cli = Callable[..., subprocess.CompletedProcess[bytes]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_store(tmp_path_factory.mktemp("export") / "news.duckdb")


def lines(proc: subprocess.CompletedProcess[bytes]) -> list[dict[str, Any]]:
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]


def one_line_error(proc: subprocess.CompletedProcess[bytes], code: str, exit_code: int) -> str:
    err = proc.stderr.decode().strip()
    assert proc.returncode == exit_code, err
    assert err.count("\n") == 0, err
    assert err.startswith(f"{code}: "), err
    assert "Traceback" not in err
    return err


def test_polecat_is_one_json_record_per_event_on_stdout_copies_left_out(
    cli: Cli, built: Built
) -> None:
    records = lines(cli("export", "--db", str(built.db), "--events", "polecat"))
    with Store.open(built.db, read_only=True) as store:
        assert records == list(store.coded_events(copies=False))
    assert len(records) == 9
    assert {r["article_id"] for r in records} == {built.wire, built.other}
    first = records[0]
    assert first["id"] == f"{built.wire}:v1"
    assert (first["event_type"], first["mode"]) == ("SANCTION", "suspend")
    assert first["source"]["name"] == "United States" and first["source"]["code"] == "USA"
    assert first["target"]["kb_id"] == "Q43" and first["target"]["country"] == "TUR"
    assert (first["date"], first["date_precision"], first["date_source"]) == (
        "2019-07",
        "month",
        "event",
    )


def test_with_copies_keeps_every_outlets_telling(cli: Cli, built: Built) -> None:
    records = lines(cli("export", "--db", str(built.db), "--events", "POLECAT", "--with-copies"))
    assert len(records) == 17
    copies = [r for r in records if r["duplicate_of"] is not None]
    assert len(copies) == 8
    assert {r["article_id"] for r in copies} == {built.copy}
    assert {r["duplicate_of"] for r in copies} == {built.wire}


def test_csv_to_a_file_has_a_header_and_one_row_per_event(
    cli: Cli, built: Built, tmp_path: Path
) -> None:
    out = tmp_path / "new" / "events.csv"
    proc = cli("export", "--db", str(built.db), "--events", "csv", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b""
    assert f"wrote 9 events to {out}" in proc.stderr.decode()
    assert [p.name for p in out.parent.iterdir()] == ["events.csv"]  # no part file left
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert list(rows[0]) == list(CSV_FIELDS)
    assert len(rows) == 9
    ev2 = next(r for r in rows if r["id"] == f"{built.wire}:v2")
    assert {
        k: ev2[k] for k in ("source_name", "source_code", "source_country", "source_sector")
    } == {
        "source_name": "Turkish officials",
        "source_code": "TURGOV",
        "source_country": "TUR",
        "source_sector": "GOV",
    }
    assert (ev2["target_name"], ev2["target_kb_id"], ev2["target_code"]) == (
        "Russia",
        "Q159",
        "RUS",
    )
    assert (ev2["date"], ev2["date_start"], ev2["date_precision"]) == (
        "2025-12-15",
        "2025-12-15",
        "day",
    )
    assert (ev2["hypothetical"], ev2["negated"], ev2["quote"]) == ("true", "false", "true")
    assert ev2["mentions"] == "hand back"
    ev3 = next(r for r in rows if r["id"] == f"{built.wire}:v3")
    assert (ev3["location_name"], ev3["location_kb_id"], ev3["location_country"]) == (
        "Palmyra",
        "Q5747",
        "SYR",
    )
    assert (ev3["source_code"], ev3["source_country"], ev3["target_name"]) == (
        "NATO",
        "",
        "rebel positions",
    )
    assert (ev3["target_kb_id"], ev3["target_sector"], ev3["target_phrase"]) == (
        "",
        "REB",
        "rebel positions",
    )
    assert ev3["story"] and ev3["duplicate_of"] == ""
    # stdout gets the same CSV
    piped = cli("export", "--db", str(built.db), "--events", "csv")
    assert piped.stdout == out.read_bytes()
    assert out.read_bytes().count(b"\r\n") == 10  # the header and nine rows, RFC 4180


def test_the_events_filters_apply_to_the_export(cli: Cli, built: Built) -> None:
    db = str(built.db)
    kept = lines(cli("export", "--db", db, "--events", "polecat", "--type", "assault"))
    assert [r["event_id"] for r in kept] == ["v3", "v8"]
    kept = lines(
        cli("export", "--db", db, "--events", "polecat", "--actor", "TUR", "--until", "2024-12-31")
    )
    assert [r["event_id"] for r in kept] == ["v1", "v7", "v8"]
    kept = lines(
        cli(
            "export",
            "--db",
            db,
            "--events",
            "polecat",
            "--since",
            "2024-04-01",
            "--until",
            "2024-06-30",
        )
    )
    assert [r["event_id"] for r in kept] == ["v3", "v6", "v7", "v8"]


def test_parquet_and_events_in_one_run(cli: Cli, built: Built, tmp_path: Path) -> None:
    pq = tmp_path / "pq"
    out = tmp_path / "events.jsonl"
    proc = cli(
        "export", "--db", str(built.db), "--parquet", str(pq), "--events", "polecat", "-o", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 9
    assert (pq / "events.parquet").exists()
    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT event_type, source_name, source_code, target_name, date, date_precision, "
            f"duplicate_of FROM '{pq / 'events_coded.parquet'}' WHERE event_type = 'SANCTION' "
            "ORDER BY duplicate_of NULLS FIRST"
        ).fetchall()
    assert rows == [
        ("SANCTION", "United States", "USA", "Turkey", "2019-07", "month", None),
        ("SANCTION", "United States", "USA", "Turkey", "2019-07", "month", built.wire),
    ]


def test_no_export_asked_for_is_one_coded_line(cli: Cli, built: Built, tmp_path: Path) -> None:
    err = one_line_error(cli("export", "--db", str(built.db)), "E040", 2)
    assert "nothing to export" in err and "--events FORMAT" in err and "--parquet DIR" in err
    err = one_line_error(
        cli("export", "--db", str(built.db), "--out", str(tmp_path / "x.csv"), "--type", "AID"),
        "E040",
        2,
    )
    assert "--out, --type apply only to --events" in err
    assert not (tmp_path / "x.csv").exists()


def test_an_unknown_format_is_one_coded_line(cli: Cli, built: Built) -> None:
    err = one_line_error(cli("export", "--db", str(built.db), "--events", "xml"), "E021", 2)
    assert err == "E021: 'xml' is not an event export format; use polecat or csv"


def test_a_missing_database_is_one_coded_line(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    err = one_line_error(cli("export", "--db", str(missing), "--events", "csv"), "E013", 1)
    assert "does not exist" in err
    assert not missing.exists()


def test_an_unwritable_out_is_one_coded_line_and_leaves_nothing(
    cli: Cli, built: Built, tmp_path: Path
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    err = one_line_error(
        cli("export", "--db", str(built.db), "--events", "csv", "--out", str(folder)), "E018", 1
    )
    assert "it is a folder" in err
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    under = blocker / "events.csv"
    err = one_line_error(
        cli("export", "--db", str(built.db), "--events", "polecat", "--out", str(under)), "E018", 1
    )
    assert f"{blocker} is a file, not a folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "folder"]
    assert list(folder.iterdir()) == []


def test_a_bad_date_is_one_coded_line(cli: Cli, built: Built) -> None:
    one_line_error(
        cli("export", "--db", str(built.db), "--events", "csv", "--since", "someday"), "E010", 2
    )


def test_help_names_the_formats(cli: Cli) -> None:
    out = cli("export", "--help").stdout.decode()
    for word in ("--events", "polecat", "csv", "--out", "--parquet", "--with-copies"):
        assert word in out
