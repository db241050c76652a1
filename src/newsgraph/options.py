"""One frozen options object with packaged defaults; a user TOML file overrides what it names."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import NewsgraphError


@dataclass(frozen=True)
class Options:
    """Everything a run can tune. Defaults are the packaged behaviour."""

    #: Largest raw input (file, fetched page, JSONL record) accepted, in bytes.
    max_input_bytes: int = 10_000_000
    #: Longest article text handed to the pipeline, in characters.
    max_text_chars: int = 1_000_000
    #: Fewer words than this extracted from HTML counts as no main text (E004).
    min_html_words: int = 5
    #: Seconds a whole URL fetch may take (every redirect, connect and read) before it gives up.
    fetch_timeout: float = 15.0
    #: Redirects followed by a URL fetch; each hop is checked again.
    max_redirects: int = 5
    #: Allow fetching loopback, private, link-local and other non-public addresses.
    allow_private: bool = False
    #: User-Agent sent with URL fetches.
    user_agent: str = "newsgraph/0.1 (+offline news analysis)"
    #: Texts per spaCy batch in analyze_many / ingest.
    batch_size: int = 32
    #: Articles written per DuckDB transaction during ingest.
    commit_every: int = 32
    #: Knowledge-base directory (a refreshed copy); None uses the packaged KB or $NEWSGRAPH_KB.
    kb_dir: str | None = None
    #: spaCy pipeline package to load; None tries the official one, then the re-upload.
    model: str | None = None
    #: Seconds to wait for the first bytes from a FIFO or device given as an input (E030).
    read_timeout: float = 30.0
    #: Seconds one analysis may take in the web server before it is stopped (E036).
    analysis_timeout: float = 120.0
    #: Worker processes the web server analyses in (each loads the model once).
    analysis_workers: int = 1
    #: Analyses the web server lets wait for a worker before it answers busy (E037).
    max_pending_analyses: int = 32

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("int", "float") and (isinstance(value, bool) or value <= 0):
                raise ValueError(f"option '{f.name}' must be a positive number, not {value!r}")

    def replace(self, **changes: Any) -> Options:
        """A copy with the named fields changed."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_file(cls, path: str | Path, base: Options | None = None) -> Options:
        """Read a TOML file (top level or a ``[newsgraph]`` table) over ``base``."""
        base = base or cls()
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise NewsgraphError("E016", where=str(p), reason=str(exc)) from exc
        table = data.get("newsgraph", data)
        known = {f.name: f for f in fields(cls)}
        changes: dict[str, Any] = {}
        for key, value in table.items():
            if key not in known:
                raise NewsgraphError("E016", where=str(p), reason=f"unknown option '{key}'")
            default = getattr(base, key)
            widening = isinstance(default, float) and isinstance(value, int)
            wrong = default is not None and not isinstance(value, type(default))
            if (wrong and not widening) or (isinstance(value, bool) and type(default) is not bool):
                raise NewsgraphError(
                    "E016",
                    where=str(p),
                    reason=f"option '{key}' should be {type(default).__name__}",
                )
            changes[key] = value
        try:
            return base.replace(**changes)
        except ValueError as exc:
            raise NewsgraphError("E016", where=str(p), reason=str(exc)) from exc


DEFAULT_OPTIONS = Options()
