"""``kb refresh`` against a recorded Wikidata answer served by a real local HTTP server."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import QuietHandler, run_cli, serve
from newsgraph.errors import NewsgraphError
from newsgraph.kb import KnowledgeBase
from newsgraph.kb.refresh import http_fetch, refresh

FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture
def sparql() -> Iterator[tuple[str, list[str]]]:
    """A SPARQL endpoint on loopback replaying the recorded answers."""
    seen: list[str] = []

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            query = form["query"][0]
            seen.append(query)
            name = "wikidata_heads.json" if "P35" in query else "wikidata_members.json"
            self.reply((FIXTURES / name).read_bytes(), "application/sparql-results+json")

    with serve(Handler) as base:
        yield f"{base}/sparql", seen


def test_refresh_rebuilds_heads_and_memberships_in_a_copy(
    kb_dir: Path, tmp_path: Path, sparql: tuple[str, list[str]]
) -> None:
    endpoint, seen = sparql
    out = tmp_path / "refreshed"
    before = (kb_dir / "offices" / "heads.tsv").read_text()
    counts = refresh(out, fetch=http_fetch(endpoint), base=kb_dir)
    assert counts == {"office_terms": 6, "memberships": 3}  # the unknown state is dropped
    assert len(seen) == 2 and "wd:Q7184" in seen[1]
    assert (kb_dir / "offices" / "heads.tsv").read_text() == before  # the source is untouched
    kb = KnowledgeBase.load(out)
    assert kb.holder("USA.head_of_state", on="2024-06-01").person_id == "person:joe-biden"  # type: ignore[union-attr]
    erdogan = kb.lookup("Erdogan")[0]
    assert erdogan.kb_id == "Q39259" and "Recep Tayyip Erdogan" in erdogan.aliases
    assert kb.members("NATO", on="2020-01-01") == ["RUS", "TUR", "USA"]
    # tables refresh does not cover are copied as they were
    assert kb.lookup("S-400")[0].type == "MILITARY_SYSTEM"
    # the ambassador table (not a heads table) stays
    assert kb.holder("USA.ambassador.TUR", on="2025-12-19") is not None


def test_refresh_never_overwrites_its_source(kb_dir: Path, sparql: tuple[str, list[str]]) -> None:
    with pytest.raises(NewsgraphError) as info:
        refresh(kb_dir, fetch=http_fetch(sparql[0]), base=kb_dir)
    assert info.value.code == "E018"


def test_refresh_offline_is_a_coded_error(kb_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(NewsgraphError) as info:
        refresh(
            tmp_path / "x", fetch=http_fetch("http://127.0.0.1:9/sparql", timeout=2), base=kb_dir
        )
    assert info.value.code == "E019"
    assert not (tmp_path / "x").exists()


def test_kb_refresh_command(kb_dir: Path, tmp_path: Path, sparql: tuple[str, list[str]]) -> None:
    out = tmp_path / "fresh"
    proc = run_cli("kb", "refresh", "--out", str(out), "--endpoint", sparql[0], "--kb", str(kb_dir))
    assert proc.returncode == 0, proc.stderr
    assert b"6 office terms, 3 memberships" in proc.stderr
    lookup = run_cli("kb", "lookup", "USA.head_of_state", "--on", "2022-03-01", "--kb", str(out))
    assert b"Joe Biden" in lookup.stdout
    offline = run_cli(
        "kb",
        "refresh",
        "--out",
        str(tmp_path / "y"),
        "--endpoint",
        "http://127.0.0.1:9/",
        "--kb",
        str(kb_dir),
    )
    assert offline.returncode == 1 and offline.stderr.startswith(b"E019: ")
