"""The web app: a REST API and pages over a DuckDB store (``newsgraph serve``).

>>> from newsgraph.web import create_app
>>> app = create_app(Path("news.duckdb"))
"""

from .app import create_app

__all__ = ["create_app"]
