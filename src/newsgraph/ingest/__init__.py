"""Ingest: turn sources (text, HTML, URL, WARC, JSONL, stdin) into Articles.

Every source yields :class:`Item` objects in order; a bad item carries its coded
error instead of an article, so batch work reports it and goes on.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

from ..errors import NewsgraphError
from ..options import Options
from ..report import Article
from .detect import article_from_bytes, article_from_string
from .files import Skipped, read_fd, read_path, walk_folder
from .item import Item, parse_date
from .text import article_from_text, looks_like_html

__all__ = [
    "Item",
    "article_from_bytes",
    "article_from_string",
    "article_from_text",
    "given_published",
    "is_url",
    "looks_like_html",
    "parse_date",
    "read_sources",
]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz")


def is_url(spec: str) -> bool:
    return bool(_URL.match(spec))


def _read_file(path: Path, options: Options) -> Article:
    where = str(path)
    data = read_path(path, options)
    suffix = path.suffix.lower()
    html: bool | None = True if suffix in HTML_SUFFIXES else None
    return article_from_bytes(data, options=options, where=where, html=html)


def _one(origin: str, make: Callable[[], Article]) -> Item:
    try:
        article = make()
    except NewsgraphError as exc:
        return Item(origin=origin, error=exc)
    return Item(origin=origin, article=article)


def _iter_spec(spec: str, options: Options) -> Iterator[Item]:
    if spec == "-":
        yield _one(
            "<stdin>",
            lambda: article_from_bytes(
                read_fd(sys.stdin.fileno(), where="stdin", options=options),
                options=options,
                where="stdin",
            ),
        )
        return
    if is_url(spec):
        from .url import article_from_url

        yield _one(spec, lambda: article_from_url(spec, options=options))
        return
    path = Path(spec)
    if path.is_dir():
        found = False
        for entry in walk_folder(path, TEXT_SUFFIXES + HTML_SUFFIXES):
            found = True
            if isinstance(entry, Skipped):
                yield Item(origin=str(entry.path), error=entry.error)
            else:
                yield _one(str(entry), partial(_read_file, entry, options))
        if not found:
            kinds = ", ".join(TEXT_SUFFIXES + HTML_SUFFIXES)
            reason = f"it holds no {kinds} files"
            yield Item(origin=spec, error=NewsgraphError("E032", where=spec, reason=reason))
        return
    if not path.exists():
        yield Item(origin=spec, error=NewsgraphError("E009", where=spec, reason="no such file"))
        return
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        from .jsonl import iter_jsonl

        yield from iter_jsonl(path, options=options)
    elif name.endswith(WARC_SUFFIXES):
        from .warc import iter_warc

        yield from iter_warc(path, options=options)
    else:
        yield _one(spec, lambda: _read_file(path, options))


def read_sources(
    specs: Iterable[str], *, options: Options, published: str | None = None
) -> Iterator[Item]:
    """Read every source in order. ``published`` applies where a record gives none.

    Each item gets its ``position`` in the run, counting from 1. Precedence of the
    publication date: a record's own ``published`` (JSONL), then
    ``published`` here (the CLI's ``--published``), then page metadata.
    """
    if published is not None:
        published = parse_date(published)
    position = 0
    for spec in specs:
        for item in _iter_spec(spec, options):
            position += 1
            item.position = position
            yield given_published(item, published)


def given_published(item: Item, published: str | None) -> Item:
    """``item`` with ``published`` (already parsed) as its article's date unless the
    record gave its own: how every reader applies ``--published``."""
    art = item.article
    if art is not None and published and art.published_source != "given":
        art.published, art.published_source = published, "given"
    return item
