"""Reading the knowledge base's hand-written TSV tables, strictly.

Every table starts with ``# as_of: YYYY-MM-DD``; then optional ``#`` comments, a header
row, and data rows with exactly the header's columns. Problems raise :class:`KBError`
naming the file and line, so a bad edit fails at load time, not in an analysis.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_AS_OF = re.compile(r"^#\s*as_of:\s*(\d{4}-\d{2}-\d{2})\s*$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class KBError(ValueError):
    """A knowledge-base table is malformed."""


@dataclass(frozen=True)
class Table:
    path: Path
    as_of: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line number, row)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return iter(self.rows)

    def where(self, lineno: int) -> str:
        return f"{self.path.name}:{lineno}"


def read_table(path: Path, header: tuple[str, ...]) -> Table:
    """Read one table and check it has exactly ``header``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise KBError(f"{path.name}: cannot read ({exc})") from exc
    if not lines or not (m := _AS_OF.match(lines[0].strip())):
        raise KBError(f"{path.name}:1: the first line must be '# as_of: YYYY-MM-DD'")
    as_of = m.group(1)
    rows: list[tuple[int, dict[str, str]]] = []
    seen_header: tuple[str, ...] | None = None
    for lineno, raw in enumerate(lines[1:], start=2):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = tuple(c.strip() for c in raw.split("\t"))
        if seen_header is None:
            if cells != header:
                raise KBError(f"{path.name}:{lineno}: header should be {'<TAB>'.join(header)}")
            seen_header = cells
            continue
        if len(cells) < len(header):  # trailing empty cells may be trimmed by editors
            cells = cells + ("",) * (len(header) - len(cells))
        if len(cells) != len(header):
            raise KBError(f"{path.name}:{lineno}: {len(cells)} columns, expected {len(header)}")
        rows.append((lineno, dict(zip(header, cells, strict=True))))
    if seen_header is None:
        raise KBError(f"{path.name}: no header row")
    return Table(path=path, as_of=as_of, header=header, rows=tuple(rows))


def split_list(cell: str) -> list[str]:
    """A ``|``-separated list cell, items stripped, empties dropped."""
    return [x.strip() for x in cell.split("|") if x.strip()]


def check_date(value: str, where: str, column: str) -> str:
    """Validate a possibly partial date (YYYY, YYYY-MM, YYYY-MM-DD); '' stays ''."""
    if value and not _PARTIAL_DATE.match(value):
        raise KBError(f"{where}: {column} '{value}' is not YYYY[-MM[-DD]]")
    if len(value) == 10:
        try:
            dt.date.fromisoformat(value)
        except ValueError as exc:
            raise KBError(f"{where}: {column} '{value}' is not a real date") from exc
    return value


def date_floor(value: str) -> dt.date:
    """The first day a partial date can mean (``2024`` -> 2024-01-01)."""
    if len(value) == 4:
        return dt.date(int(value), 1, 1)
    if len(value) == 7:
        return dt.date(int(value[:4]), int(value[5:7]), 1)
    return dt.date.fromisoformat(value)


def date_ceiling(value: str) -> dt.date:
    """The last day a partial date can mean (``2024-09`` -> 2024-09-30)."""
    if len(value) == 4:
        return dt.date(int(value), 12, 31)
    if len(value) == 7:
        y, m = int(value[:4]), int(value[5:7])
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date.fromisoformat(value)
