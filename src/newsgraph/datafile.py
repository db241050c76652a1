"""The small hand-written tables shipped in the package (cues, titles, markers ...).

One reader for all of them: ``#`` comment lines and blank lines are skipped, the first
row must be the expected header, and every row must have its columns. A bad edit fails
at load time with the file and line.
"""

from __future__ import annotations

from importlib import resources


def read_table(package: str, name: str, header: list[str]) -> list[list[str]]:
    """The data rows of ``<package>/data/<name>``, cells stripped."""
    text = resources.files(package).joinpath(f"data/{name}").read_text("utf-8")
    rows: list[tuple[int, list[str]]] = [
        (lineno, [cell.strip() for cell in line.split("\t")])
        for lineno, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    ]
    if not rows or rows[0][1] != header:
        raise ValueError(f"{name}: the header must be {'<TAB>'.join(header)}")
    for lineno, row in rows[1:]:
        if len(row) != len(header):
            raise ValueError(f"{name}:{lineno}: {len(row)} columns, expected {len(header)}")
    return [row for _, row in rows[1:]]
