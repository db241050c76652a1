"""JSON Lines: one article per line with ``text`` or ``html`` and optional metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import NewsgraphError
from ..options import Options
from .item import Item, parse_date
from .text import article_from_text, check_size

_FIELDS = ("text", "html", "url", "title", "published", "outlet", "id")


def article_from_record(record: Any, *, options: Options, where: str) -> Item:
    """One JSONL record to an Item; field problems become E008."""
    line_where = where
    if not isinstance(record, dict):
        raise ValueError("a line must be a JSON object")
    text, html = record.get("text"), record.get("html")
    if text is None and html is None:
        raise ValueError("it has neither 'text' nor 'html'")
    for key in _FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"'{key}' must be a string")
    published = record.get("published") or None
    if published is not None:
        published = parse_date(published)
    if text is not None:
        article = article_from_text(
            text,
            options=options,
            where=line_where,
            title=record.get("title"),
            url=record.get("url"),
            outlet=record.get("outlet"),
            published=published,
        )
    else:
        from .html import article_from_html

        article = article_from_html(
            str(html), options=options, where=line_where, url=record.get("url")
        )
        if record.get("title"):
            article.title = record["title"]
        if record.get("outlet"):
            article.outlet = record["outlet"]
        if published:
            article.published, article.published_source = published, "given"
    return Item(origin=line_where, article=article, record_id=record.get("id"))


def iter_jsonl_stream(
    stream: IO[bytes], *, options: Options, name: str, first_line: int = 1
) -> Iterator[Item]:
    """One item per non-blank line of ``stream``; ``first_line`` is the number of its
    first line in the file named ``name`` (a split of a larger file starts later)."""
    limit = options.max_input_bytes
    lineno = first_line - 1
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark
            raw = raw[3:]
        where = f"{name}:{lineno}"
        size = len(raw)
        while len(raw) > limit and not raw.endswith(b"\n"):  # skip the rest of a huge line
            raw = stream.readline(limit + 1)
            size += len(raw)
            if not raw:
                break
        if size <= limit and not raw.strip():
            continue
        try:
            check_size(size, options, where=where)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"not UTF-8 (bad byte at offset {exc.start})") from exc
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"malformed JSON ({exc.msg} at column {exc.colno})") from exc
            yield article_from_record(record, options=options, where=where)
        except ValueError as exc:
            err = NewsgraphError("E008", line=lineno, where=name, reason=str(exc))
            yield Item(origin=where, error=err)
        except NewsgraphError as exc:
            yield Item(origin=where, error=exc)


def iter_jsonl(path: Path, *, options: Options) -> Iterator[Item]:
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield Item(
            origin=str(path), error=NewsgraphError("E009", where=str(path), reason=exc.strerror)
        )
        return
    with stream:
        yield from iter_jsonl_stream(stream, options=options, name=str(path))
