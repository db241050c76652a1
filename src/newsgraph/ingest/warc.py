"""WARC archives (``.warc``, ``.warc.gz``): one article per HTML or plain-text response.

Only ``response`` records with a 2xx HTTP status and an HTML or ``text/plain``
Content-Type become items; every other record is skipped silently (an archive
with none of them at all ends with one E032 item). A record whose
extraction fails becomes an error item and reading goes on; a broken archive (not
a WARC, corrupt or truncated) ends with one E012 item after the records read so far.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from warcio.archiveiterator import WARCIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import NewsgraphError, human_size
from ..options import Options
from .detect import article_from_bytes
from .item import Item
from .url import HTML_TYPES, TEXT_TYPES, parse_content_type, to_utf8

_GZIP_MAGIC: Final = b"\x1f\x8b"
_CHUNK: Final = 64 * 1024


class _Broken(Exception):
    """The archive cannot be read on from here; the message is the E012 reason."""


class _StrictGunzip:
    """Multi-member gzip that raises :class:`_Broken` on truncated or corrupt data.

    warcio's own decompression stops silently at a truncated member, and it reads
    an ``EOFError`` as a clean end, so the archive is decompressed here instead.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")

    def read(self, size: int = -1) -> bytes:
        try:
            # read1: hand over what decompressed before a break instead of losing it.
            return self._gz.read1(size)
        except EOFError as exc:
            raise _Broken("the gzip data ends early (the file is truncated)") from exc
        except (OSError, zlib.error) as exc:
            raise _Broken("the gzip data is corrupt") from exc

    def tell(self) -> int:
        return self._gz.tell()


@dataclass
class _Payload:
    """A response record worth extracting, read but not yet extracted."""

    origin: str
    where: str
    url: str | None
    record_id: str | None
    body: bytes
    html: bool
    charset: str | None


def _header(record: Any, name: str) -> str | None:
    value = record.rec_headers.get_header(name)
    return str(value) if value else None


def _finish(record: Any, number: int) -> None:
    """Read the rest of the record and check it was all there."""
    stream = record.raw_stream
    while stream.read(_CHUNK):
        pass
    if record.format == "warc" and _header(record, "Content-Length") is None:
        raise _Broken(f"record {number} has no Content-Length header")
    if getattr(stream, "limit", 0) > 0:
        raise _Broken(f"record {number} ends early (the file is truncated)")


def _read_up_to(stream: Any, size: int) -> bytes:
    chunks: list[bytes] = []
    while size > 0 and (chunk := stream.read(min(size, _CHUNK))):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read_record(record: Any, number: int, name: str, options: Options) -> _Payload | Item | None:
    """Read one record: a payload to extract, an error item, or None to skip it."""
    http = record.http_headers
    wanted = record.rec_type == "response" and http is not None
    status = str(http.get_statuscode() or "") if wanted else ""
    ctype, charset = parse_content_type(http.get_header("Content-Type")) if wanted else ("", None)
    if not (len(status) == 3 and status.startswith("2") and ctype in HTML_TYPES | TEXT_TYPES):
        _finish(record, number)
        return None

    origin = f"{name}#{number}"
    url = _header(record, "WARC-Target-URI")
    where = f"{origin} ({url})" if url else origin
    record_id = _header(record, "WARC-Record-ID")
    if record_id:
        record_id = record_id.strip("<>")
    limit = options.max_input_bytes
    body = _read_up_to(record.content_stream(), limit + 1)
    _finish(record, number)
    if len(body) > limit:
        error = NewsgraphError(
            "E005", where=where, size=f"more than {human_size(limit)}", limit=human_size(limit)
        )
        return Item(origin=origin, error=error, record_id=record_id)
    return _Payload(origin, where, url, record_id, body, ctype in HTML_TYPES, charset)


def _extract(payload: _Payload, options: Options) -> Item:
    body = to_utf8(payload.body, payload.charset, html=payload.html)
    try:
        article = article_from_bytes(
            body, options=options, where=payload.where, url=payload.url, html=payload.html
        )
    except NewsgraphError as exc:
        return Item(origin=payload.origin, error=exc, record_id=payload.record_id)
    if not article.url:
        article.url = payload.url
    return Item(origin=payload.origin, article=article, record_id=payload.record_id)


def _broken_reason(exc: Exception, number: int) -> str:
    """A plain reason for an archive that cannot be read past record ``number``."""
    if isinstance(exc, _Broken):
        return str(exc)
    if isinstance(exc, ArchiveLoadFailed) and number == 1:
        return "it is not a WARC file (it does not start with a WARC record)"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"record {number} is not a valid WARC record"


def iter_warc(path: Path, *, options: Options) -> Iterator[Item]:
    """One :class:`Item` per HTML or plain-text 2xx response record of a WARC file.

    ``origin`` is ``"<path>#<n>"`` with ``n`` the record's position in the file,
    counting every record from 1; ``record_id`` is the WARC-Record-ID.
    """
    try:
        fh = path.open("rb")
    except OSError as exc:
        where = str(path)
        reason = exc.strerror or str(exc)
        yield Item(origin=where, error=NewsgraphError("E012", where=where, reason=reason))
        return
    with fh:
        yield from iter_warc_stream(fh, name=str(path), options=options)


def iter_warc_stream(fh: IO[bytes], *, name: str, options: Options) -> Iterator[Item]:
    """:func:`iter_warc` over an open, seekable binary stream; ``name`` stands for the
    file in origins and messages (the Spark engine reads archives it was handed whole)."""
    where = name

    def broken(reason: str) -> Item:
        return Item(origin=where, error=NewsgraphError("E012", where=where, reason=reason))

    number = 0
    yielded = 0
    try:
        gzipped = fh.read(2) == _GZIP_MAGIC
        fh.seek(0)
        stream: Any = _StrictGunzip(fh) if gzipped else fh
        archive = WARCIterator(stream)  # WARC only: no guessing at ARC
        records = iter(archive)
    except OSError as exc:
        yield broken(_broken_reason(exc, 1))
        return
    while True:
        record = None
        try:
            record = next(records, None)
            if record is None:
                break
            number += 1
            got = _read_record(record, number, name, options)
        except Exception as exc:  # warcio raises assorted errors on damaged archives
            yield broken(_broken_reason(exc, number if record is not None else number + 1))
            return
        if isinstance(got, _Payload):
            yielded += 1
            yield _extract(got, options)
        elif got is not None:
            yielded += 1
            yield got
    if archive.next_line:
        # warcio read the start of another record, then took its cut-off end for EOF.
        yield broken(f"record {number + 1} is cut short (the file is truncated)")
    elif number == 0:
        yield broken("it holds no WARC records")
    elif not yielded:
        reason = f"none of its {number} WARC records is a successful HTML or plain-text response"
        yield Item(origin=where, error=NewsgraphError("E032", where=where, reason=reason))
