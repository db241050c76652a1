"""How many items a run of sources will yield, where that is known cheaply beforehand:
the total of an ingest's progress bar.

Counted as :func:`~newsgraph.ingest.read_sources` will read them, failed items
included: a file, a URL and standard input are one item each; a folder, the files
under it that it reads (one item when it holds none: that error); a JSON Lines file,
its non-blank lines (counted in the bytes, nothing parsed); a missing file, one (its
error). A WARC file's records are not known without reading it whole: a run with one
has no total (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final

from . import HTML_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES, WARC_SUFFIXES, is_url
from .files import walk_folder

_BOM: Final = b"\xef\xbb\xbf"
_CHUNK: Final = 1 << 20


def count_items(specs: Iterable[str], *, max_line_bytes: int) -> int | None:
    """The items ``specs`` yield, or None when one of them cannot be counted beforehand
    (a WARC file). ``max_line_bytes``: the longest JSONL line read (a longer one is one
    failed item, whatever it holds)."""
    total = 0
    for spec in specs:
        n = _count(spec, max_line_bytes)
        if n is None:
            return None
        total += n
    return total


def _count(spec: str, max_line_bytes: int) -> int | None:
    if spec == "-" or is_url(spec):
        return 1
    path = Path(spec)
    if path.is_dir():
        found = sum(1 for _ in walk_folder(path, TEXT_SUFFIXES + HTML_SUFFIXES))
        return found or 1  # none: the run reports that, as one failed item
    name = path.name.lower()
    if not path.exists():
        return 1
    if name.endswith(JSONL_SUFFIXES):
        return count_jsonl_lines(path, max_line_bytes)
    if name.endswith(WARC_SUFFIXES):
        return None
    return 1


def count_jsonl_lines(path: Path, max_line_bytes: int) -> int:
    """The lines of a JSON Lines file that are items: those holding anything but ASCII
    whitespace (a leading byte-order mark aside), and any longer than ``max_line_bytes``
    (each one failed item). A file that cannot be read is one item (its error)."""
    try:
        stream = path.open("rb")
    except OSError:
        return 1
    count = 0
    size = 0  # of the line read so far
    filled = False  # whether it holds more than whitespace
    with stream:
        chunk = stream.read(_CHUNK)
        if chunk.startswith(_BOM):
            chunk = chunk[len(_BOM) :]
        while chunk:
            pieces = chunk.split(b"\n")
            for piece in pieces[:-1]:  # each ends a line
                size += len(piece) + 1
                filled = filled or (bool(piece) and not piece.isspace())
                count += filled or size > max_line_bytes
                size, filled = 0, False
            rest = pieces[-1]  # goes on in the next chunk
            size += len(rest)
            filled = filled or (bool(rest) and not rest.isspace())
            chunk = stream.read(_CHUNK)
    if size:  # a last line without its line end
        count += filled or size > max_line_bytes
    return count


__all__ = ["count_items", "count_jsonl_lines"]
