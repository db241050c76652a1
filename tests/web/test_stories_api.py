"""The corpus layer through the REST API on a real server: /api/stories,
/api/stories/{id}, /api/actors/{id}, and each article's duplicate_of and story."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from newsgraph.corpus import update_corpus
from newsgraph.engines.local import analyze_many
from newsgraph.report import Article
from newsgraph.store import Store

from .conftest import live_server

pytestmark = pytest.mark.model

STORY = Path(__file__).resolve().parent.parent / "data" / "corpus" / "s400-story.jsonl"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> object:
    db = tmp_path_factory.mktemp("stories") / "news.duckdb"
    records = [json.loads(line) for line in STORY.read_text(encoding="utf-8").splitlines()]
    articles = [
        Article(text=r["text"], title=r["title"], outlet=r["outlet"], published=r["published"])
        for r in records
    ]
    with Store.open(db) as store:
        store.add_many(
            (rep, "test", rec["id"])
            for rep, rec in zip(analyze_many(articles), records, strict=True)
        )
        update_corpus(store)
    with live_server(db) as live:
        yield live.base


def test_stories_are_listed_with_their_counts(base: str) -> None:
    got = httpx.get(f"{base}/api/stories").json()
    assert got["total"] == 2 and len(got["items"]) == 2
    main = max(got["items"], key=lambda s: s["articles"])
    assert main["articles"] == 11 and main["copies"] == 2 and main["outlets"] == 13
    assert httpx.get(f"{base}/api/stories", params={"min_articles": 5}).json()["total"] == 1


def test_a_story_serves_articles_timeline_claims_and_quotes(base: str) -> None:
    items = httpx.get(f"{base}/api/stories").json()["items"]
    main = max(items, key=lambda s: s["articles"])
    story = httpx.get(f"{base}/api/stories/{main['id']}").json()
    assert story["id"] == main["id"] and len(story["articles"]) == 13
    assert story["timeline"] and story["actors"]
    contradicted = [c for c in story["claims"] if c["contradicted_by"]]
    assert contradicted
    link = contradicted[0]["contradicted_by"][0]
    assert {"article_id", "claim_id", "start", "end", "text", "why"} <= set(link)
    assert httpx.get(f"{base}/api/stories/st-none").status_code == 404


def test_articles_carry_duplicate_of_and_story(base: str) -> None:
    items = httpx.get(f"{base}/api/articles", params={"limit": 100}).json()["items"]
    assert len(items) == 16 and all(i["story"] for i in items)
    copies = [i for i in items if i["duplicate_of"]]
    assert len(copies) == 2 and len({c["duplicate_of"] for c in copies}) == 1


def test_an_actor_timeline_by_qid_or_name(base: str) -> None:
    got = httpx.get(f"{base}/api/actors/Erdoğan").json()
    assert got["kb_id"] and got["items"]
    same = httpx.get(f"{base}/api/actors/{got['kb_id']}").json()
    assert same["items"] == got["items"]
    quotes = httpx.get(f"{base}/api/actors/Hakan Fidan", params={"kind": "quote"}).json()
    assert quotes["items"] and {i["kind"] for i in quotes["items"]} == {"quote"}
    missing = httpx.get(f"{base}/api/actors/Nobody Atall")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "E038"
