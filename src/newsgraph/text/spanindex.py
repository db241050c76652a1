"""Character ranges (entity mentions, quotes, time expressions) found by position.

A question such as "which quote holds this token?" asked of a list is a scan of the
list; asked once per token, sentence or quote it makes an analysis quadratic. A
:class:`SpanIndex` sorts the ranges by start once and answers from the few that can
match: those starting within the longest range's length of the position asked about.
Every answer lists the items in the order of the list the index was made from, so
"the first that ..." means what it meant for the list.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Items with a character range ``[start, end)``, queried by position."""

    __slots__ = ("_ends", "_items", "_longest", "_odd", "_order", "_starts")

    def __init__(self, items: Iterable[T], bounds: Callable[[T], tuple[int, int]]) -> None:
        self._items = list(items)
        rows = []
        #: ranges that end before they start: no position query can skip them
        self._odd: list[tuple[int, int, int]] = []
        for pos, item in enumerate(self._items):
            start, end = bounds(item)
            if end < start:
                self._odd.append((start, end, pos))
            else:
                rows.append((start, pos, end))
        rows.sort()
        self._starts = [r[0] for r in rows]
        self._order = [r[1] for r in rows]
        self._ends = [r[2] for r in rows]
        self._longest = max(
            (e - s for s, e in zip(self._starts, self._ends, strict=True)), default=0
        )

    def __len__(self) -> int:
        return len(self._items)

    def _collect(self, lo: int, hi: int, keep: Callable[[int, int], bool]) -> list[T]:
        found = [self._order[k] for k in range(lo, hi) if keep(self._starts[k], self._ends[k])]
        found += [pos for start, end, pos in self._odd if keep(start, end)]
        return [self._items[pos] for pos in sorted(found)]

    def containing(self, at: int) -> list[T]:
        """Items with ``start <= at < end``."""
        lo = bisect_left(self._starts, at - self._longest)
        hi = bisect_right(self._starts, at)
        return self._collect(lo, hi, lambda s, e: s <= at < e)

    def within(self, start: int, end: int) -> list[T]:
        """Items with ``start <= item start`` and ``item end <= end``."""
        lo = bisect_left(self._starts, start)
        hi = bisect_right(self._starts, end)
        return self._collect(lo, hi, lambda s, e: start <= s and e <= end)

    def overlapping(self, start: int, end: int) -> list[T]:
        """Items with ``item start < end`` and ``start < item end``."""
        lo = bisect_left(self._starts, start - self._longest)
        hi = bisect_left(self._starts, end)
        return self._collect(lo, hi, lambda s, e: s < end and start < e)

    def starting(self, start: int, end: int) -> list[T]:
        """Items with ``start <= item start < end``."""
        lo = bisect_left(self._starts, start)
        hi = bisect_left(self._starts, end)
        return self._collect(lo, hi, lambda s, e: start <= s < end)

    def first_containing(self, at: int) -> T | None:
        """The first item (in list order) with ``start <= at < end``."""
        found = self.containing(at)
        return found[0] if found else None


__all__ = ["SpanIndex"]
