"""Fixtures for the web app: a DuckDB store filled by the real pipeline, and clients."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import SHARED
from newsgraph.options import Options
from newsgraph.report import Report

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
        '"The gap is still wide, and neither side has moved on the quotas since the last '
        'round in Paris," a diplomat familiar with the talks said. "Brazil will not accept '
        "a deal that leaves its cattle farmers worse off than they were before the talks "
        'began," another official said. Exports of beef rose 12 percent last year, official '
        "figures show.\n",
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


#: The corpus the workspace tests browse: a story told by 13 outlets (claims that
#: corroborate and contradict each other), the hand-written articles above, and two
#: whose events have places with points.
STORY = Path(__file__).resolve().parent.parent / "data" / "corpus" / "s400-story.jsonl"
LOCATED: tuple[tuple[str, str, str | None, str], ...] = (
    (
        "Fighting near Palmyra",
        "Desert Courier",
        "2025-03-11",
        "Syrian government forces attacked rebel positions near Palmyra on Tuesday, the "
        "Syrian Observatory for Human Rights said.\n",
    ),
    (
        "Erdogan hosts Putin",
        "Harbour Times",
        "2025-03-12",
        "In Ankara, President Recep Tayyip Erdogan met Russian President Vladimir Putin on "
        "Wednesday to discuss the war in Syria.\n",
    ),
)


@dataclass(frozen=True)
class WorkspaceStore:
    db: Path
    reports: dict[str, Report]  # article id -> stored report


@pytest.fixture(scope="session")
def workspace_store(tmp_path_factory: pytest.TempPathFactory) -> WorkspaceStore:
    """A store of 18 analysed articles placed in the corpus (stories, corroboration)."""
    import json

    from newsgraph.corpus import update_corpus
    from newsgraph.engines.local import analyze_many
    from newsgraph.report import Article
    from newsgraph.store import Store

    db = tmp_path_factory.mktemp("workspace") / "news.duckdb"
    records = [json.loads(line) for line in STORY.read_text(encoding="utf-8").splitlines()]
    articles = [
        Article(text=r["text"], title=r["title"], outlet=r["outlet"], published=r["published"])
        for r in records
    ]
    articles += [
        Article(text=text, title=title, outlet=outlet, published=published)
        for title, outlet, published, text in (*ARTICLES, *LOCATED)
    ]
    with Store.open(db) as store:
        store.add_many((rep, "test", None) for rep in analyze_many(articles))
        update_corpus(store)
        reports = {r.article.id: r for r in store.iter_reports()}
    return WorkspaceStore(db, reports)


#: The base URL of TestClient requests: a loopback name, since the app refuses other
#: Host headers (TestClient's default is ``testserver``).
BASE_URL = "http://127.0.0.1:8000"


def make_client(
    db: Path, *, options: Options | None = None, token: str | None = None
) -> TestClient:
    """A TestClient over a fresh app on ``db``; server errors come back as responses.

    Use it in a ``with`` block when the test analyses: the block runs the app's lifespan,
    which starts the analysis worker processes and stops them at its end."""
    from newsgraph.web.app import create_app

    app = create_app(db, options=options, token=token)
    return TestClient(app, base_url=BASE_URL, raise_server_exceptions=False)


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


# -- a real server ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Live:
    """A running uvicorn server on 127.0.0.1: its base URL, port and app."""

    base: str
    port: int
    app: Any

    @property
    def pool(self) -> Any:
        """The app's analysis worker pool."""
        return self.app.state.pool


def spawned_children(parent: int | None = None) -> list[tuple[int, str]]:
    """(pid, state) of the processes of ``parent`` (default: this one) that are
    multiprocessing workers or zombies, read from /proc."""
    parent = os.getpid() if parent is None else parent
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, ppid = fields[0], int(fields[1])
        if ppid == parent and (b"spawn_main" in cmdline or state == "Z"):
            found.append((int(entry.name), state))
    return found


def alive(pid: int) -> bool:
    """Whether a process (not a zombie) has this pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@contextmanager
def live_server(
    db: Path,
    *,
    options: Options | None = None,
    token: str | None = None,
    allowed_hosts: Iterable[str] = (),
) -> Iterator[Live]:
    """``create_app`` under a real uvicorn server in a thread, on a free port of
    127.0.0.1, with its lifespan (the analysis workers). At the end the server stops
    and the test fails if a worker process outlived it."""
    import uvicorn

    from newsgraph.web.app import create_app

    app = create_app(db, options=options, token=token, allowed_hosts=allowed_hosts)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        workers.update(app.state.pool.pids())
        yield Live(f"http://127.0.0.1:{port}", port, app)
        workers.update(app.state.pool.pids())
    finally:
        server.should_exit = True
        thread.join(60)
        sock.close()
    assert not thread.is_alive(), "uvicorn did not stop"
    assert not app.state.pool.pids()
    assert not [pid for pid in workers if alive(pid)], "a worker process outlived the server"
    zombies = [pid for pid, state in spawned_children() if state == "Z"]
    assert not zombies, f"zombie processes left behind: {zombies}"
