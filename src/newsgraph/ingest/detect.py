"""Bytes or a string of unknown kind to an Article: sniffed (binary, UTF-16/32, HTML or
plain text), decoded, and handed to the plain-text or the HTML reader."""

from __future__ import annotations

from ..errors import NewsgraphError
from ..options import Options
from ..report import Article
from .html import article_from_html
from .text import (
    article_from_text,
    check_size,
    decode_unicode,
    decode_utf8,
    looks_like_html,
    sniff_binary,
)


def article_from_bytes(
    data: bytes,
    *,
    options: Options,
    where: str = "",
    url: str | None = None,
    html: bool | None = None,
) -> Article:
    """An article from raw bytes: sniff binary, detect HTML, decode, extract."""
    check_size(len(data), options, where=where)
    wide = decode_unicode(data, where=where)  # UTF-16/32: decoded before NULs look binary
    if wide is not None:
        return article_from_string(wide, options=options, where=where, url=url, html=html)
    if not data.strip():
        raise NewsgraphError("E001", where=where)
    what = sniff_binary(data)
    if what:
        raise NewsgraphError("E002", where=where, what=what)
    declared = html is not None
    if html is None:
        head = data[:20000].decode("utf-8", errors="replace")
        html = looks_like_html(head)
    if html:
        return article_from_html(data, options=options, where=where, url=url, declared=declared)
    return article_from_text(decode_utf8(data, where=where), options=options, where=where, url=url)


def article_from_string(
    text: str,
    *,
    options: Options,
    where: str = "",
    url: str | None = None,
    html: bool | None = None,
) -> Article:
    """An article from a decoded string: HTML (given, or detected) or plain text."""
    declared = html is not None
    if html is None:
        html = looks_like_html(text)
    if html:
        return article_from_html(text, options=options, where=where, url=url, declared=declared)
    return article_from_text(text, options=options, where=where, url=url)


__all__ = ["article_from_bytes", "article_from_string"]
