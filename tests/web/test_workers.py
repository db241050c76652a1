"""Analyses run in worker processes, against a real uvicorn server over real HTTP: reads
stay fast while analyses run, an analysis over the time limit is stopped and its worker
replaced, a full queue answers busy, a dead worker costs only its article, and no
worker process outlives the server (the ``live_server`` fixture checks that at its end).
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from conftest import EXAMPLE, serve
from newsgraph.options import Options

from .conftest import Corpus, Live, alive, live_server
from .test_api import TEXT, error_of

pytestmark = pytest.mark.model

#: Seconds a test waits for an answer that involves the model (loaded once per worker).
SLOW = 180.0


@pytest.fixture
def db(corpus: Corpus, tmp_path: Path) -> Path:
    target = tmp_path / "news.duckdb"
    shutil.copy(corpus.db, target)
    return target


def wait_ready(live: Live) -> None:
    """One analysis, so the worker has loaded the model before the test measures."""
    r = httpx.post(live.base + "/api/analyze", json={"text": TEXT}, timeout=SLOW)
    assert r.status_code == 200, r.text


class Held:
    """A page the test server holds back until ``release`` is set; ``asked`` is set
    when a request for it arrives (so the test knows a worker is busy fetching it)."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.release = threading.Event()
        self.count = 0

    def handler(self) -> type[BaseHTTPRequestHandler]:
        held = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                held.count += 1
                held.asked.set()
                held.release.wait(60)
                body = TEXT.encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the fetching worker was killed

        return Handler


@pytest.fixture
def held() -> Iterator[tuple[Held, str]]:
    page = Held()
    with serve(page.handler()) as base:
        try:
            yield page, base
        finally:
            page.release.set()


def post_in_thread(
    url: str, body: dict[str, object], into: list[httpx.Response]
) -> threading.Thread:
    def go() -> None:
        into.append(httpx.post(url, json=body, timeout=SLOW))

    thread = threading.Thread(target=go)
    thread.start()
    return thread


# -- reads are not queued behind analyses ---------------------------------------------------


def test_twenty_concurrent_analyses_leave_reads_fast(db: Path) -> None:
    """While 20 analyses of a real article run through the API, repeated GETs of the
    article list keep a p95 under 500 ms."""
    article = EXAMPLE.read_text(encoding="utf-8")
    with live_server(db) as live:
        wait_ready(live)
        results: list[httpx.Response] = []

        def analyse() -> None:
            r = httpx.post(
                live.base + "/api/analyze",
                json={"text": article, "published": "2025-12-19"},
                timeout=SLOW,
            )
            results.append(r)

        posts = [threading.Thread(target=analyse) for _ in range(20)]
        for t in posts:
            t.start()
        latencies: list[float] = []
        with httpx.Client(base_url=live.base, timeout=30) as reader:
            time.sleep(0.2)  # let the analyses queue up
            while any(t.is_alive() for t in posts) or len(latencies) < 20:
                started = time.perf_counter()
                r = reader.get("/api/articles")
                latencies.append(time.perf_counter() - started)
                assert r.status_code == 200
                time.sleep(0.05)
        for t in posts:
            t.join()
    assert [r.status_code for r in results] == [200] * 20, [r.text[:200] for r in results]
    assert all(r.json()["article"]["text"] == article for r in results)
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(
        f"\nGET /api/articles during 20 concurrent analyses: {len(latencies)} reads, "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    assert p95 < 0.5


# -- time limit, busy, a dead worker --------------------------------------------------------


def test_an_analysis_over_the_time_limit_is_stopped_and_its_worker_replaced(db: Path) -> None:
    long_text = EXAMPLE.read_text(encoding="utf-8") * 20  # takes several seconds
    with live_server(db, options=Options(analysis_timeout=1.0)) as live:
        wait_ready(live)
        (before,) = live.pool.pids()
        started = time.monotonic()
        r = httpx.post(live.base + "/api/analyze", json={"text": long_text}, timeout=SLOW)
        elapsed = time.monotonic() - started
        err = error_of(r, 504)
        assert err["code"] == "E036"
        assert "1 seconds" in err["message"]
        print(f"\nstopped after {elapsed:.2f} s (limit 1 s)")
        assert elapsed < 3.0
        assert not alive(before), "the worker that ran over was not killed"
        # the server keeps answering: reads at once, analyses with the new worker
        assert httpx.get(live.base + "/api/articles").status_code == 200
        again = httpx.post(live.base + "/api/analyze", json={"text": TEXT}, timeout=SLOW)
        assert again.status_code == 200, again.text
        (after,) = live.pool.pids()
        assert after != before


def test_analyses_over_the_pending_limit_are_answered_busy(
    db: Path, held: tuple[Held, str]
) -> None:
    page, base = held
    options = Options(allow_private=True, analysis_workers=1, max_pending_analyses=2)
    with live_server(db, options=options) as live:
        wait_ready(live)
        url = live.base + "/api/analyze"
        answers: list[httpx.Response] = []
        running = post_in_thread(url, {"url": base + "/held"}, answers)
        assert page.asked.wait(30), "the worker never fetched the page"
        waiting = [post_in_thread(url, {"text": TEXT}, answers) for _ in range(2)]
        deadline = time.monotonic() + 10
        while live.pool.waiting < 2:
            assert time.monotonic() < deadline, "the analyses did not queue"
            time.sleep(0.02)
        busy = httpx.post(url, json={"text": TEXT}, timeout=10)
        err = error_of(busy, 503)
        assert err["code"] == "E037"
        assert "2 analyses waiting" in err["message"]
        page_busy = httpx.post(
            live.base + "/analyze", data={"text": TEXT}, headers={"Accept": "text/html"}
        )
        assert page_busy.status_code == 503 and "E037" in page_busy.text
        assert httpx.get(live.base + "/api/articles").status_code == 200  # reads still answer
        page.release.set()
        for t in [running, *waiting]:
            t.join(SLOW)
        assert sorted(r.status_code for r in answers) == [200, 200, 200], [
            r.text[:200] for r in answers
        ]
        assert live.pool.waiting == 0


def test_a_worker_that_dies_costs_only_its_article(db: Path, held: tuple[Held, str]) -> None:
    options = Options(allow_private=True)
    page, base = held
    with live_server(db, options=options) as live:
        wait_ready(live)
        (worker,) = live.pool.pids()
        answers: list[httpx.Response] = []
        thread = post_in_thread(live.base + "/api/analyze", {"url": base + "/held"}, answers)
        assert page.asked.wait(30)
        os.kill(worker, signal.SIGKILL)
        thread.join(SLOW)
        err = error_of(answers[0], 500)  # an answer, not a reset connection
        assert err["code"] == "E029"
        assert "worker process" in err["message"]
        again = httpx.post(live.base + "/api/analyze", json={"text": TEXT}, timeout=SLOW)
        assert again.status_code == 200, again.text
        assert live.pool.pids() != [worker]


def test_bad_input_from_a_worker_keeps_its_code_and_status(db: Path) -> None:
    with live_server(db) as live, httpx.Client(base_url=live.base, timeout=SLOW) as c:
        assert error_of(c.post("/api/analyze", json={"html": "<p></p>"}), 400)["code"] == "E004"
        url = error_of(c.post("/api/analyze", json={"url": "http://127.0.0.1:9/x"}), 400)
        assert url["code"] == "E007"  # refused in the worker, before connecting
        bad_date = c.post("/api/analyze", json={"text": TEXT, "published": "2025-02-30"})
        assert error_of(bad_date, 400)["code"] == "E010"


def test_the_workers_start_and_stop_with_the_server(db: Path) -> None:
    with live_server(db, options=Options(analysis_workers=2)) as live:
        deadline = time.monotonic() + 10
        while len(live.pool.pids()) < 2:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        pids = live.pool.pids()
        assert all(alive(pid) for pid in pids)
    assert not any(alive(pid) for pid in pids)
    assert not live.pool.running
