"""The report store: a DuckDB file with one table per report layer, keyed by article id.

with Store.open("news.duckdb") as store:
    store.add(report, origin="article.txt")
    store.get(report.article.id[:8])
"""

from newsgraph.store.duckdb_store import (
    CODED_EVENT_COLUMNS,
    ArticleRow,
    ClaimRow,
    EventRow,
    FlagRow,
    ReportItem,
    Store,
    TimelineRow,
)
from newsgraph.store.schema import SCHEMA_VERSION

TABLES = Store.tables

__all__ = [
    "CODED_EVENT_COLUMNS",
    "SCHEMA_VERSION",
    "TABLES",
    "ArticleRow",
    "ClaimRow",
    "EventRow",
    "FlagRow",
    "ReportItem",
    "Store",
    "TimelineRow",
]
