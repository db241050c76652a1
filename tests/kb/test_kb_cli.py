from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli


def test_lookup_prints_roles_on_a_date(kb_dir: Path) -> None:
    proc = run_cli("kb", "lookup", "Erdogan", "--on", "2010-01-01", "--kb", str(kb_dir))
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr
    assert "Recep Tayyip Erdogan" in out and "Q39259" in out
    assert "roles on 2010-01-01: Prime Minister (Turkey, head of government)" in out
    assert "President" not in out.split("roles on")[1]


def test_lookup_json_for_a_country_lists_leaders_and_memberships(kb_dir: Path) -> None:
    proc = run_cli("kb", "lookup", "Türkiye", "--on", "2025-12-19", "--json", "--kb", str(kb_dir))
    rec = json.loads(proc.stdout.decode().splitlines()[0])
    assert rec["name"] == "Turkey" and rec["type"] == "COUNTRY"
    assert rec["leaders"]["TUR.head_of_state"] == "Recep Tayyip Erdogan"
    assert rec["member_of"] == ["NATO"]


def test_lookup_of_an_office_names_the_holder(kb_dir: Path) -> None:
    proc = run_cli("kb", "lookup", "USA.ambassador.TUR", "--on", "2025-12-19", "--kb", str(kb_dir))
    assert "Tom Barrack" in proc.stdout.decode()


def test_unknown_names_and_bad_dates(kb_dir: Path, tmp_path: Path) -> None:
    proc = run_cli("kb", "lookup", "Atlantis", "--kb", str(kb_dir))
    assert proc.returncode == 1 and b"nothing known" in proc.stderr
    proc = run_cli("kb", "lookup", "Turkey", "--on", "last year", "--kb", str(kb_dir))
    assert proc.returncode == 2 and proc.stderr.startswith(b"E010")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "states.tsv").write_text("no as_of line\n")
    proc = run_cli("kb", "lookup", "Turkey", "--kb", str(broken))
    assert proc.returncode == 1 and proc.stderr.startswith(b"E020")


def test_stats_counts_the_tables(kb_dir: Path) -> None:
    proc = run_cli("kb", "stats", "--kb", str(kb_dir))
    out = proc.stdout.decode()
    assert "COUNTRY" in out and "office_terms" in out and "2025-06-01" in out


def test_lookup_of_a_description_finds_the_office_holder(kb_dir: Path) -> None:
    proc = run_cli("kb", "lookup", "Turkish president", "--on", "2010-01-01", "--kb", str(kb_dir))
    assert proc.returncode == 0, proc.stderr
    assert "Abdullah Gul" in proc.stdout.decode()
