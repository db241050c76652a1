"""The hand-built story corpus (tests/data/corpus/s400-story.jsonl: one story told by 13
articles from 13 outlets, a wire story with two copies, an unrelated story sharing its
actors) through the real pipeline and the ``newsgraph`` command: every designed link
is found and no other, duplicates and stories are the designed ones, and ingesting
again or in parts changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from newsgraph.store import Store

from .storygold import load_gold, score_links

pytestmark = pytest.mark.model

DATA = Path(__file__).resolve().parent.parent / "data" / "corpus"
STORY = DATA / "s400-story.jsonl"
GOLD = load_gold(DATA / "s400-gold.json")


def ingest(db: Path, source: Path) -> str:
    proc = run_cli("ingest", str(source), "--db", str(db), timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stderr.decode()


def cli_json(*args: str) -> list[Any]:
    proc = run_cli(*args, "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("story") / "news.duckdb"
    ingest(path, STORY)
    return path


def articles(db: Path) -> list[dict[str, Any]]:
    return cli_json("articles", "--db", str(db), "--limit", "1000")


def partition(db: Path) -> tuple[dict[str, str | None], set[frozenset[str]]]:
    """Each record's canonical record (or None) and the stories as sets of record ids."""
    rows = articles(db)
    record = {r["id"]: r["record_id"] for r in rows}
    dups = {r["record_id"]: record.get(r["duplicate_of"]) for r in rows}
    stories: dict[str, set[str]] = {}
    for r in rows:
        stories.setdefault(r["story"], set()).add(r["record_id"])
    return dups, {frozenset(s) for s in stories.values()}


def test_duplicates_and_stories_are_the_designed_ones(db: Path) -> None:
    dups, stories = partition(db)
    assert {k: v for k, v in dups.items() if v} == GOLD["duplicates"]
    assert stories == {frozenset(ids) for ids in GOLD["stories"].values()}


def test_every_designed_link_is_found_and_no_other(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        score = score_links(store, GOLD)
    assert not score.missed, sorted(score.missed)
    assert not score.extra, sorted(score.extra)
    assert not score.undesigned, score.undesigned
    assert len(score.designed) == 43 and len(score.found) == 43


def test_two_versions_sharing_no_word_contradict_through_a_third(db: Path) -> None:
    # "The handover of the S-400s ... could take four to six months" (s4-08) and "the
    # return of the systems could be completed in two to three months" (s4-04) share no
    # content word; "Returning the systems to Russia could take four to six months"
    # (s4-13) says the same as the first and contradicts the second.
    rows = cli_json("claims", "--db", str(db), "--limit", "1000")
    record = {r["id"]: r["record_id"] for r in articles(db)}
    (handover,) = [r for r in rows if "handover of the S-400s" in r["text"]]
    assert record[handover["article_id"]] == "s4-08"
    against = [c for c in handover["contradicted_by"] if record[c["article_id"]] == "s4-04"]
    assert against, handover["contradicted_by"]
    why = against[0]["why"]
    assert why.startswith("duration four to six months vs two to three months"), why
    assert 'the same statement: "Returning the systems to Russia' in why, why


def test_ingesting_again_changes_nothing(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "again.duckdb"
    copy.write_bytes(db.read_bytes())

    def counts() -> dict[str, int]:
        with Store.open(copy, read_only=True) as store:
            return {
                t: store.execute(f"SELECT count(*) FROM {t}")[0][0] for t in Store.corpus_tables
            }

    before = counts()
    assert "stored 0 new articles" in ingest(copy, STORY)
    assert counts() == before


def test_ingesting_in_two_parts_gives_the_same_corpus(db: Path, tmp_path: Path) -> None:
    lines = STORY.read_text(encoding="utf-8").splitlines(keepends=True)
    first = tmp_path / "first.jsonl"
    first.write_text("".join(lines[::2]), encoding="utf-8")
    path = tmp_path / "parts.duckdb"
    ingest(path, first)
    ingest(path, STORY)
    assert partition(path) == partition(db)
    with Store.open(path, read_only=True) as store:
        score = score_links(store, GOLD)
    assert not score.missed and not score.extra and not score.undesigned


def test_claims_carry_their_corroborations_and_contradictions(db: Path) -> None:
    rows = cli_json("claims", "--db", str(db), "--limit", "1000")
    linked = [r for r in rows if r["corroborated_by"] or r["contradicted_by"]]
    assert linked
    for row in linked:
        for link in row["corroborated_by"] + row["contradicted_by"]:
            assert set(link) >= {"article_id", "claim_id", "start", "end", "text", "why"}
            assert link["article_id"] != row["article_id"] and link["why"]
    whys = " ".join(x["why"] for r in linked for x in r["contradicted_by"])
    assert "2017" in whys and "2019" in whys


def test_a_story_shows_its_articles_timeline_claims_and_quotes(db: Path) -> None:
    rows = cli_json("stories", "--db", str(db))
    assert len(rows) == 2
    main = max(rows, key=lambda r: r["articles"])
    assert main["articles"] == 11 and main["copies"] == 2 and main["outlets"] == 13
    assert main["contradictions"] > 0 and main["corroborations"] > 0
    (story,) = cli_json("story", main["id"], "--db", str(db))
    assert len(story["by_outlet"]) == 13
    assert sum(a["duplicate_of"] is not None for a in story["articles"]) == 2
    assert any(len(entry["sources"]) > 1 for entry in story["timeline"])
    statuses = {c["status"] for c in story["claims"]}
    assert {"corroborated", "contradicted"} <= statuses | {"disputed"} or "disputed" in statuses
    fidan = [q for q in story["quotes"] if "Fidan" in (q["speaker"] or "")]
    assert fidan and len(fidan[0]["carriers"]) >= 3
    text = run_cli("story", main["id"][:7], "--db", str(db)).stdout.decode()
    assert "Articles by outlet" in text and "Claims across outlets" in text


def test_an_actor_timeline_by_any_spelling_is_in_time_order(db: Path) -> None:
    (by_name,) = cli_json("actor", "Hakan Fidan", "--db", str(db))
    assert by_name["items"]
    days = [i["start"] for i in by_name["items"] if i["start"]]
    assert days == sorted(days)
    assert {i["kind"] for i in by_name["items"]} >= {"quote"}
    assert all(i["story"] for i in by_name["items"])
    (by_id,) = cli_json("actor", by_name["kb_id"], "--db", str(db))
    assert by_id["items"] == by_name["items"]
    (accented,) = cli_json("actor", "Erdoğan", "--db", str(db))
    (plain,) = cli_json("actor", "Erdogan", "--db", str(db))
    assert accented["kb_id"] == plain["kb_id"] and accented["items"] == plain["items"]


def test_unknown_stories_and_actors_are_one_coded_line(db: Path) -> None:
    proc = run_cli("story", "st-nothing", "--db", str(db))
    assert proc.returncode == 1 and proc.stderr.decode().startswith("E039")
    proc = run_cli("actor", "Nobody Atall", "--db", str(db))
    assert proc.returncode == 1 and proc.stderr.decode().startswith("E038")
    assert "Traceback" not in proc.stderr.decode()
