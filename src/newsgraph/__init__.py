"""newsgraph: rebuild the situation a news report describes as evidence-linked data.

>>> import newsgraph
>>> report = newsgraph.analyze("Turkey said on Monday ...", published="2025-12-19")
>>> report.to_json()
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .errors import NewsgraphError
from .options import Options
from .report import Article, Report

if TYPE_CHECKING:
    from .api import __version__, analyze
    from .engines.local import analyze_many

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    """``analyze``, ``analyze_many`` and ``__version__``, loaded when first asked for: the
    analysis imports spaCy, which a process that only stores or serves reports (the CLI's
    ``ingest`` parent, the web app) never needs."""
    if name in ("__version__", "analyze"):
        from . import api

        return getattr(api, name)
    if name == "analyze_many":
        from .engines.local import analyze_many

        return analyze_many
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Article",
    "NewsgraphError",
    "Options",
    "Report",
    "__version__",
    "analyze",
    "analyze_many",
]
