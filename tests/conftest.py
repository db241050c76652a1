"""Shared fixtures. Tests that read ../shared skip cleanly when it is absent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
EXAMPLE = ROOT / "examples" / "baltic-air-defence.txt"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test when it is not there."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is not available (../shared absent)")
    return p


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_path("seed", "s400-return.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def report_schema() -> dict[str, Any]:
    text = resources.files("newsgraph").joinpath("data/report.schema.json").read_text("utf-8")
    return dict(json.loads(text))


@pytest.fixture(scope="session")
def validate(report_schema: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(report_schema)

    def check(report: dict[str, Any]) -> None:
        errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
        assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])

    return check


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that does not log to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def reply(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A real HTTP server on loopback for the duration of the block; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_cli(
    *args: str, input: bytes | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    """Run the real ``newsgraph`` command in a subprocess."""
    exe = Path(sys.executable).with_name("newsgraph")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsgraph.cli"]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [*cmd, *args], input=input, capture_output=True, timeout=timeout, env=full_env, check=False
    )


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess[bytes]]:
    return run_cli
