"""Office titles: the phrases that name an office ("foreign minister", "U.S. ambassador"
-> its kind), from ``data/office_titles.tsv``. The entity linker resolves titled names
with them, the anachronism check reads titles before names, and the integrity check
knows a title word after a line break."""

from __future__ import annotations

from functools import cache

from ..datafile import read_table


@cache
def office_titles() -> dict[str, str]:
    """Lower-cased title phrase -> office kind, from ``data/office_titles.tsv``."""
    rows = read_table("newsgraph.text", "office_titles.tsv", ["title", "kind"])
    return {title.lower(): kind for title, kind in rows}


__all__ = ["office_titles"]
