"""A bounded schemathesis run against the OpenAPI spec: no request makes a 5xx.

Every operation of ``/openapi.json`` gets a few dozen generated requests (valid and
invalid), deterministic (``derandomize``) so a failure repeats; the run stays well
under a minute. It uses schemathesis' Python API with hypothesis directly (its pytest
plugin does not support pytest 9 yet) against a private copy of the filled store,
since ``POST /api/analyze`` with ``store: true`` writes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from newsgraph.options import Options

from .conftest import BASE_URL, Corpus, make_client

EXAMPLES = 25


def operations(db: Path) -> list[Any]:
    # Short timeouts: generated URLs must fail fast, never hang the run.
    client = make_client(db, options=Options(fetch_timeout=2.0, max_redirects=1))
    # a Host the app answers to (schemathesis' own default, "testserver", is refused)
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", client.app, headers={"host": BASE_URL.removeprefix("http://")}
    )
    return [result.ok() for result in schema.get_all_operations()]


def check(case: Any) -> None:
    response = case.call(base_url=BASE_URL)  # a Host the app answers to
    where = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
    ctype = response.headers.get("content-type") or ""
    ctype = ctype[0] if isinstance(ctype, list) else ctype  # schemathesis lists header values
    # the one non-JSON answer: the entity index asked for as CSV
    query = getattr(case, "query", None) or {}
    csv = response.status_code == 200 and query.get("format") == "csv"
    assert ctype.startswith("text/csv" if csv else "application/json"), where
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message"}, where


@pytest.mark.model
def test_no_generated_request_makes_a_server_error(corpus: Corpus, tmp_path: Path) -> None:
    db = tmp_path / "fuzz.duckdb"
    shutil.copy(corpus.db, db)
    ops = operations(db)
    assert {f"{op.method.upper()} {op.path}" for op in ops} >= {
        "POST /api/analyze",
        "GET /api/articles",
        "GET /api/articles/{article_id}",
        "GET /api/entities/{kb_id}",
        "GET /api/search",
    }
    try:
        run_all(ops)
    finally:  # schemathesis keeps the app's lifespan (its analysis workers) running
        from schemathesis.python.asgi import shutdown_lifespans

        shutdown_lifespans()


def run_all(ops: list[Any]) -> None:
    for op in ops:
        if not op.path.startswith("/api/"):
            continue  # the pages have their own tests

        @given(case=op.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            check(case)

        run()


def test_the_check_catches_a_server_error(corpus: Corpus) -> None:
    """The check above fails on a 5xx (so the run can fail)."""

    class Case:
        method, formatted_path = "GET", "/x"

        def call(self, **kwargs: Any) -> Any:
            class R:
                status_code, text, headers = 500, "boom", {"content-type": "application/json"}

            return R()

    with pytest.raises(AssertionError, match="500"):
        check(Case())
