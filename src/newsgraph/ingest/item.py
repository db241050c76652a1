"""What a source yields: an article, or the coded error that stopped it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import NewsgraphError
from ..report import Article


@dataclass
class Item:
    """One thing read from a source. Exactly one of ``article`` and ``error`` is set."""

    origin: str
    article: Article | None = None
    error: NewsgraphError | None = None
    #: The record's own id (JSONL ``id``, WARC record id), kept for the user.
    record_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.article is not None


def parse_date(value: str) -> str:
    """Validate a ``YYYY-MM-DD`` date (E010) and return it unchanged."""
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise NewsgraphError("E010", value=value) from exc
    if len(value) != 10:
        raise NewsgraphError("E010", value=value)
    return value
