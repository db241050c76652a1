"""What a source yields: an article, or the coded error that stopped it."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NewsgraphError
from ..report import Article
from .dates import parse_date


@dataclass
class Item:
    """One thing read from a source. Exactly one of ``article`` and ``error`` is set."""

    origin: str
    article: Article | None = None
    error: NewsgraphError | None = None
    #: The record's own id (JSONL ``id``, WARC record id), kept for the user.
    record_id: str | None = None
    #: Its place among everything the run read, counting from 1 (0: not counted).
    position: int = 0

    @property
    def ok(self) -> bool:
        return self.article is not None


__all__ = ["Item", "parse_date"]
