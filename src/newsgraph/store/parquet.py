"""The store's report tables as Parquet files partitioned by publication month, and back.

The layout (what ``newsgraph spark`` writes and ``newsgraph import-parquet`` reads; Spark,
DuckDB, pandas and Arrow read it as one Hive-partitioned dataset per table)::

    DIR/<table>/published_month=2025-11/part-<name>.parquet
    DIR/<table>/published_month=__HIVE_DEFAULT_PARTITION__/part-<name>.parquet   (no date)

Each table's files hold exactly the columns of the store's table (:mod:`schema`); the
month is in the directory name only. ``<name>`` is the writer's (a Spark task's) name,
so a writer that runs again replaces its own files and nothing is written twice.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from ..errors import NewsgraphError
from . import schema
from .duckdb_store import Store, _literal
from .schema import quote_ident

#: The partition column (a directory level, not a column of the files).
MONTH_COLUMN: Final = "published_month"
#: The partition of articles without a publication date (Hive's and Spark's name for null).
NO_MONTH: Final = "__HIVE_DEFAULT_PARTITION__"
_MONTH: Final = re.compile(r"^\d{4}-\d{2}$")
_PART: Final = re.compile(r"^[A-Za-z0-9_.-]+$")


def _key(table: schema.Table) -> str:
    """The column naming the article a row belongs to."""
    return "id" if table.name == "articles" else "article_id"


def table_dir(directory: str | Path, table: str) -> Path:
    return Path(directory) / table


def write_months(store: Store, directory: str | Path, name: str) -> list[Path]:
    """Write every report table of ``store`` under ``directory``, one file per table and
    publication month, each named ``part-<name>.parquet``; return the files written.

    A month's file is written for every table, empty ones too, so each partition is
    complete and every table's schema can be read from any month."""
    if not _PART.match(name):
        raise ValueError(f"not a file-name part: {name!r}")
    months = [
        r[0]
        for r in store.execute(
            "SELECT DISTINCT strftime(published, '%Y-%m') FROM articles ORDER BY 1 NULLS LAST"
        )
    ]
    written: list[Path] = []
    for month in months:
        if month is None:
            where, folder = "published IS NULL", NO_MONTH
        else:
            assert _MONTH.match(month)
            where, folder = f"strftime(published, '%Y-%m') = '{month}'", month
        for table in schema.DATA_TABLES:
            target = table_dir(directory, table.name) / f"{MONTH_COLUMN}={folder}"
            target.mkdir(parents=True, exist_ok=True)
            target /= f"part-{name}.parquet"
            store.execute(
                f"COPY (SELECT * FROM {quote_ident(table.name)} WHERE {quote_ident(_key(table))} "
                f"IN (SELECT id FROM articles WHERE {where}) ORDER BY ALL) "
                f"TO {_literal(target)} (FORMAT PARQUET)"
            )
            written.append(target)
    return written


def _files(directory: Path, table: str) -> str:
    return _literal(table_dir(directory, table) / "*" / "*.parquet")


def _has_files(directory: Path, table: str) -> bool:
    return any(table_dir(directory, table).glob("*/*.parquet"))


def _check(store: Store, directory: Path) -> None:
    """E043 unless ``directory`` holds this version's tables."""

    def refuse(reason: str) -> NewsgraphError:
        return NewsgraphError("E043", where=str(directory), reason=reason)

    if not directory.is_dir():
        raise refuse("no such folder")
    if not _has_files(directory, "articles"):
        raise refuse("it has no articles/published_month=*/*.parquet files")
    for table in schema.DATA_TABLES:
        if not _has_files(directory, table.name):
            continue
        try:
            cols = store.execute(
                f"DESCRIBE SELECT * FROM read_parquet({_files(directory, table.name)}, "
                "hive_partitioning = false, union_by_name = true)"
            )
        except NewsgraphError as exc:
            raise refuse(f"{table.name}: {exc.fields.get('reason', exc.message)}") from None
        found = tuple(str(c[0]) for c in cols)
        if found != table.column_names:
            raise refuse(
                f"its {table.name} files have other columns than this version's store "
                f"(schema {schema.SCHEMA_VERSION}); they were written by another newsgraph"
            )


def import_months(store: Store, directory: str | Path) -> tuple[int, int]:
    """Add the articles of a Parquet directory (the layout above) that ``store`` does not
    hold yet, with their rows of every report table, in one transaction, in the order
    they were analysed. An article found in more than one file (the same text in two
    inputs) is taken from one of them, whole. Returns (articles added, already stored).

    E043 when ``directory`` is not such a folder or was written by another version."""
    where = Path(directory)
    _check(store, where)
    part = "regexp_extract(filename, '[^/\\\\]*$')"
    with store.transaction():
        store.execute(
            "CREATE OR REPLACE TEMP TABLE ng_import AS "
            f"SELECT id, min({part}) AS part "
            f"FROM read_parquet({_files(where, 'articles')}, filename = true, "
            "hive_partitioning = false) GROUP BY id"
        )
        total = int(store.execute("SELECT count(*) FROM ng_import")[0][0])
        store.execute("DELETE FROM ng_import WHERE id IN (SELECT id FROM articles)")
        added = int(store.execute("SELECT count(*) FROM ng_import")[0][0])
        for table in schema.DATA_TABLES:
            if not added or not _has_files(where, table.name):
                continue
            cols = ", ".join(f"p.{quote_ident(c)}" for c in table.column_names)
            order = "p.ingested_at, p.id" if table.name == "articles" else "ALL"
            store.execute(
                f"INSERT INTO {quote_ident(table.name)} SELECT {cols} "
                f"FROM read_parquet({_files(where, table.name)}, filename = true, "
                "hive_partitioning = false) p "
                f"JOIN ng_import i ON p.{quote_ident(_key(table))} = i.id "
                f"AND regexp_extract(p.filename, '[^/\\\\]*$') = i.part ORDER BY {order}"
            )
        store.execute("DROP TABLE ng_import")
    return added, total - added


__all__ = ["MONTH_COLUMN", "NO_MONTH", "import_months", "table_dir", "write_months"]
