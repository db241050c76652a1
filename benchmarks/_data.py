"""Helpers shared by the benchmarks: where ../shared is, and news-length texts from it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"

#: Development sets holding whole news-style documents.
NEWS_SETS = ("timebank-train.jsonl", "meantime-apple.jsonl", "re3d.jsonl")

#: Every dev set of whole documents (quotes-wikinews repeats meantime's texts).
DOCUMENT_SETS = (
    "timebank-train.jsonl",
    "meantime-apple.jsonl",
    "re3d.jsonl",
    "quotes-polnear.jsonl",
    "geo-lgl.jsonl",
    "geo-geovirus.jsonl",
)


def polnear_dev(record: dict[str, Any]) -> bool:
    """Whether a quotes-polnear.jsonl record is of PolNeAR's dev compartment (the one
    measured; train is for finding what the rules miss)."""
    return record.get("split") == "dev"


def news_texts(limit: int | None = None, min_words: int = 80) -> list[str]:
    """Document texts from the dev sets, news length (at least ``min_words`` words)."""
    texts: list[str] = []
    for name in NEWS_SETS:
        path = DATA / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line)["text"]
                if len(text.split()) >= min_words:
                    texts.append(text)
    return texts[:limit] if limit else texts


def documents(names: Iterable[str], min_words: int = 80) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(file name, record)`` of every document of the named dev sets that are there, in
    file order, with a text of at least ``min_words`` words."""
    for name in names:
        path = DATA / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                text = record.get("text")
                if isinstance(text, str) and len(text.split()) >= min_words:
                    yield name, record
