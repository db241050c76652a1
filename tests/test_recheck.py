"""``newsgraph recheck``: stored reports judged again against a changed knowledge base,
without analysing their text again."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import duckdb
import pytest

import newsgraph
from conftest import run_cli
from newsgraph.checks import recheck
from newsgraph.kb import KnowledgeBase
from newsgraph.report import Report

pytestmark = pytest.mark.model

TRUMP = (
    "U.S. President Donald Trump met Turkish officials at the White House in September "
    "2024, the ministry said.\n"
)
BIDEN = (
    "U.S. President Joe Biden met Turkish officials at the White House in September "
    "2024, the ministry said.\n"
)
OFFICES = "offices/heads_g20_nato.tsv"


def packaged_kb() -> Path:
    return Path(str(resources.files("newsgraph.kb").joinpath("data")))


def shifted_kb(tmp_path: Path) -> Path:
    """A copy of the packaged knowledge base in which the 2024 election was held in the
    summer: Biden's term ends, and Trump's begins, on 2024-07-01."""
    copy = tmp_path / "kb"
    shutil.copytree(packaged_kb(), copy)
    table = copy / OFFICES
    text = table.read_text(encoding="utf-8")
    for office in ("head_of_state", "head_of_government"):
        old_biden = f"USA.{office}\tPresident\tJoe Biden\tQ6279\t2021-01-20\t2025-01-20"
        old_trump = f"USA.{office}\tPresident\tDonald Trump\tQ22686\t2025-01-20\t"
        assert old_biden in text and old_trump in text
        text = text.replace(old_biden, old_biden.replace("2025-01-20", "2024-07-01"))
        text = text.replace(old_trump, old_trump.replace("2025-01-20", "2024-07-01"))
    table.write_text(text, encoding="utf-8")
    return copy


def anachronisms(db: Path) -> dict[str, list[str]]:
    """Article text's first words -> the messages of its OFFICE_ANACHRONISM flags, read
    from the flags table and checked against the stored report JSON."""
    out: dict[str, list[str]] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for aid, text, report in con.execute("SELECT id, text, report FROM articles").fetchall():
            rows = con.execute(
                "SELECT code, message FROM flags WHERE article_id = ? ORDER BY idx", [aid]
            ).fetchall()
            stored = json.loads(report)["flags"]
            assert [(f["code"], f["message"]) for f in stored] == [tuple(r) for r in rows]
            key = " ".join(text.split()[:4])
            out[key] = [m for code, m in rows if code == "OFFICE_ANACHRONISM"]
    return out


def test_recheck_adds_and_removes_anachronisms_after_the_kb_changes(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "trump.txt").write_text(TRUMP, encoding="utf-8")
    (folder / "biden.txt").write_text(BIDEN, encoding="utf-8")
    db = tmp_path / "news.duckdb"
    ingest = run_cli("ingest", str(folder), "--db", str(db), "--published", "2025-12-19")
    assert ingest.returncode == 0, ingest.stderr

    first = anachronisms(db)
    assert len(first["U.S. President Donald Trump"]) == 1
    assert "(Joe Biden did)" in first["U.S. President Donald Trump"][0]
    assert first["U.S. President Joe Biden"] == []

    kb = shifted_kb(tmp_path)
    proc = run_cli("recheck", "--db", str(db), "--kb", str(kb))
    assert proc.returncode == 0, proc.stderr
    assert "1 flags added and 1 removed in 2 reports" in proc.stderr.decode()
    second = anachronisms(db)
    assert second["U.S. President Donald Trump"] == []  # in office from July 2024 now
    assert len(second["U.S. President Joe Biden"]) == 1
    assert "(Donald Trump did)" in second["U.S. President Joe Biden"][0]
    flags_cli = run_cli("flags", "--db", str(db), "--code", "OFFICE_ANACHRONISM", "--json")
    listed = [json.loads(line) for line in flags_cli.stdout.decode().splitlines()]
    assert [f["message"] for f in listed] == second["U.S. President Joe Biden"]

    back = run_cli("recheck", "--db", str(db))  # the packaged knowledge base again
    assert back.returncode == 0, back.stderr
    assert anachronisms(db) == first
    again = run_cli("recheck", "--db", str(db))
    assert "0 flags added and 0 removed in 0 reports" in again.stderr.decode()


def test_a_recheck_gives_the_flags_a_fresh_analysis_gives(tmp_path: Path) -> None:
    shifted = KnowledgeBase.load(str(shifted_kb(tmp_path)))
    for text in (TRUMP, BIDEN):
        stored = newsgraph.analyze(text, published="2025-12-19")
        fresh = newsgraph.analyze(
            text, published="2025-12-19", options=newsgraph.Options(kb_dir=str(tmp_path / "kb"))
        )
        flags = recheck(Report.from_json(stored.to_json()), shifted)
        assert flags is not None
        assert [f.to_dict() for f in flags] == [f.to_dict() for f in fresh.flags]


def test_reports_from_before_titles_were_kept_are_left_alone(tmp_path: Path) -> None:
    report = newsgraph.analyze(TRUMP, published="2025-12-19")
    (trump,) = [e for e in report.entities if e.titles]
    (title,) = trump.titles
    assert (title.span.text, title.office, title.country) == (
        "President Donald Trump",
        "head_of_state",
        "USA",
    )
    assert (title.date and title.date.text, title.date_value) == ("September 2024", "2024-09")
    data = report.to_dict()
    data["generator"]["components"].remove("newsgraph_titles_v1")  # as an older newsgraph
    for entity in data["entities"]:
        entity.pop("titles", None)
        entity.pop("took_office", None)
    assert recheck(Report.from_dict(data), KnowledgeBase.load(None)) is None
