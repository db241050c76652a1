"""Fixtures for the web app: a DuckDB store filled by the real pipeline, and clients."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import SHARED
from newsgraph.options import Options

#: (title, outlet, published, text): small hand-written articles with known layers.
ARTICLES: tuple[tuple[str, str, str | None, str], ...] = (
    (
        "Turkey and Russia talk air defence",
        "Harbour Times",
        "2025-03-10",
        "Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin in Ankara "
        'on Monday. "We will keep buying what we need," Erdogan told reporters after the '
        "meeting. Russia agreed to deliver spare parts to Turkey next month, according to two "
        "officials who spoke on condition of anonymity. The deal is worth $2 billion, the "
        "Kremlin said.\n",
    ),
    (
        "NATO ministers meet in Brussels",
        "Northern Ledger",
        "2025-04-02",
        "NATO Secretary General Mark Rutte said on Wednesday that the alliance would raise its "
        'defence spending target. "Every ally must do more," Rutte said in Brussels. Germany '
        "pledged 3,000 troops to Lithuania by 2027, a government spokesperson said. Poland "
        "criticised Russia for repeated airspace violations.\n",
    ),
    (
        "Trade talks stall",
        "Harbour Times",
        None,
        "Negotiators from France and Brazil failed to agree on beef quotas on Friday. "
        '"The gap is still wide," a diplomat familiar with the talks said. Exports of beef '
        "rose 12 percent last year, official figures show.\n",
    ),
)
#: Erdogan (a quote and events in the first article) and Russia (two articles).
ERDOGAN, RUSSIA = "Q39259", "Q159"
SEED_PUBLISHED = "2025-12-19"


@dataclass(frozen=True)
class Corpus:
    """The filled store: its file and the ids of what is in it."""

    db: Path
    ids: dict[str, str]  # title -> article id
    seed_id: str | None  # the seed article's id when ../shared is present


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """A store with the hand-written articles and, when ../shared is there, the seed."""
    import newsgraph
    from newsgraph.store import Store

    db = tmp_path_factory.mktemp("web") / "news.duckdb"
    reports = [
        newsgraph.analyze(text, published=published, title=title, outlet=outlet)
        for title, outlet, published, text in ARTICLES
    ]
    seed = SHARED / "seed" / "s400-return.txt"
    seed_id = None
    if seed.exists():
        report = newsgraph.analyze(
            seed.read_text(encoding="utf-8"), published=SEED_PUBLISHED, outlet="Seed Wire"
        )
        seed_id = report.article.id
        reports.append(report)
    with Store.open(db) as store:
        store.add_many((r, "test", None) for r in reports)
    return Corpus(
        db=db, ids={r.article.title or "": r.article.id for r in reports}, seed_id=seed_id
    )


def make_client(
    db: Path, *, options: Options | None = None, token: str | None = None
) -> TestClient:
    """A TestClient over a fresh app on ``db``; server errors come back as responses."""
    from newsgraph.web.app import create_app

    return TestClient(create_app(db, options=options, token=token), raise_server_exceptions=False)


@pytest.fixture(scope="session")
def client(corpus: Corpus) -> Iterator[TestClient]:
    """A client over the filled store (read-only use: tests that write take a copy)."""
    with make_client(corpus.db) as c:
        yield c


@pytest.fixture
def db_copy(corpus: Corpus, tmp_path: Path) -> Path:
    """A private copy of the filled store, for tests that write."""
    target = tmp_path / "copy.duckdb"
    shutil.copy(corpus.db, target)
    return target
