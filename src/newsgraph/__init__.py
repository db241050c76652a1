"""newsgraph: rebuild the situation a news report describes as evidence-linked data.

>>> import newsgraph
>>> report = newsgraph.analyze("Turkey said on Monday ...", published="2025-12-19")
>>> report.to_json()
"""

from __future__ import annotations

import logging

from .api import __version__, analyze
from .engines.local import analyze_many
from .errors import NewsgraphError
from .options import Options
from .report import Article, Report

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "NewsgraphError",
    "Options",
    "Report",
    "__version__",
    "analyze",
    "analyze_many",
]
