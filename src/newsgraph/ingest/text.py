"""Plain text and raw bytes: decoding, binary sniffing, HTML detection.

Plain text is kept verbatim (UTF-8, a leading BOM dropped, nothing else changed),
so report offsets index the input file.
"""

from __future__ import annotations

import re
from typing import Final

from ..errors import NewsgraphError, human_size
from ..options import Options
from ..report import Article

# Magic numbers of common binary formats people feed by mistake.
_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"SQLite format 3", "an SQLite database"),
    (b"DUCK", "a DuckDB database"),
)
_BOM: Final = "\ufeff"
_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|section|main)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = re.compile(r"</?(?:html|body|p|div|article|br|span|h[1-6])\b[^>]*>", re.IGNORECASE)


def sniff_binary(data: bytes) -> str | None:
    """What binary format ``data`` looks like, or None when it may be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    head = data[:8192]
    if b"\x00" in head:
        return "it contains NUL bytes"
    if head:
        controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
        if controls / len(head) > 0.05:
            return "it is mostly control characters"
    return None


def decode_utf8(data: bytes, *, where: str = "") -> str:
    """Decode UTF-8 strictly (E003 on failure) and drop one leading BOM."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NewsgraphError("E003", where=where, offset=exc.start) from exc
    return text[1:] if text.startswith(_BOM) else text


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML document or fragment rather than prose."""
    if _HTML_START.match(text[:4096]):
        return True
    head = text[:20000]
    return len(_HTML_TAGS.findall(head)) >= 5


def check_size(n: int, options: Options, *, where: str = "") -> None:
    if n > options.max_input_bytes:
        raise NewsgraphError(
            "E005", where=where, size=human_size(n), limit=human_size(options.max_input_bytes)
        )


def check_text(text: str, options: Options, *, where: str = "") -> None:
    """Reject empty and over-long article texts."""
    if not text.strip():
        raise NewsgraphError("E001", where=where)
    if len(text) > options.max_text_chars:
        raise NewsgraphError(
            "E005",
            where=where,
            size=f"{len(text):,} characters",
            limit=f"{options.max_text_chars:,} characters",
        )


def article_from_text(
    text: str,
    *,
    options: Options,
    where: str = "",
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
) -> Article:
    """An article from plain text, kept verbatim (one leading BOM dropped)."""
    if text.startswith(_BOM):
        text = text[1:]
    check_text(text, options, where=where)
    return Article(
        text=text,
        title=title,
        url=url,
        outlet=outlet,
        published=published,
        published_source="given" if published else None,
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
    if not data.strip():
        raise NewsgraphError("E001", where=where)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32 byte-order marks
        raise NewsgraphError("E003", where=where, offset=0)
    what = sniff_binary(data)
    if what:
        raise NewsgraphError("E002", where=where, what=what)
    if html is None:
        head = data[:20000].decode("utf-8", errors="replace")
        html = looks_like_html(head)
    if html:
        from .html import article_from_html

        return article_from_html(data, options=options, where=where, url=url)
    return article_from_text(decode_utf8(data, where=where), options=options, where=where, url=url)
