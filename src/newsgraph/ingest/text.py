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


_UTF_BOMS: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def utf16_without_bom(data: bytes) -> str | None:
    """The encoding of UTF-16 text that has no byte-order mark, or None.

    Text in a Latin script, UTF-16 encoded, has a NUL in one byte of most code units,
    always the same one (the high byte); binary data does not look like that."""
    head = data[:8192]
    head = head[: len(head) // 2 * 2]
    units = len(head) // 2
    if units < 4:
        return None
    even = sum(1 for i in range(0, len(head), 2) if head[i] == 0 and head[i + 1] != 0)
    odd = sum(1 for i in range(0, len(head), 2) if head[i + 1] == 0 and head[i] != 0)
    for count, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if count >= 0.4 * units and min(odd, even) <= 0.02 * units:
            return encoding
    return None


def decode_unicode(data: bytes, *, where: str = "") -> str | None:
    """Text in UTF-16 or UTF-32 (with a byte-order mark, or UTF-16 without one), or None
    for bytes that are not; E003 when the marked encoding does not decode."""
    encoding = next((enc for bom, enc in _UTF_BOMS if data.startswith(bom)), None)
    skip = 0
    if encoding is not None:
        skip = 4 if encoding.startswith("utf-32") else 2
    else:
        encoding = utf16_without_bom(data)
        if encoding is None:
            return None
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        if skip:
            raise NewsgraphError("E003", where=where, offset=exc.start + skip) from exc
        return None  # it only looked like UTF-16
    if "\x00" in text:
        return None
    return text


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
