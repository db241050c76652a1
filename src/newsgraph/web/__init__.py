"""The web app: a REST API and pages over a DuckDB store (``newsgraph serve``).

>>> from newsgraph.web import create_app
>>> app = create_app(Path("news.duckdb"))

``create_app`` is imported on first use, so the analysis worker processes (which
import :mod:`newsgraph.web.workers`) do not load the web framework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
