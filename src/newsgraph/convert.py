"""Doc -> Report: a pure conversion, reading only what the components assigned.

Nothing is computed here: every layer, the sourcing profile and the timeline come from
the Doc's extensions (``newsgraph.text.extensions``); a publication date estimated
from the text becomes the article's, marked ``estimated``. The checks run after it
(``newsgraph.checks``)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from .report import Article, Report
from .text import docview
from .text.extensions import LAYER_ATTRS


def doc_to_report(doc: Doc, article: Article, generator: dict[str, Any]) -> Report:
    """The report of one analysed article. ``doc.text`` must be ``article.text``."""
    if docview.text(doc) != article.text:  # the text the components read, joined once
        raise ValueError("the Doc was not made from this article's text")
    layers: dict[str, list[Any]] = {}
    for attr, layer in LAYER_ATTRS.items():
        value = getattr(doc._, attr)
        layers[layer] = list(value) if value else []
    estimate = doc._.ng_published_estimate
    if article.published is None and estimate is not None:
        article.published = estimate.earliest.isoformat()
        article.published_source = "estimated"
    return Report(
        article=article,
        entities=layers["entities"],
        quotes=layers["quotes"],
        timexes=layers["timexes"],
        events=layers["events"],
        claims=layers["claims"],
        flags=layers["flags"],
        generator=dict(generator),
        sourcing=dict(doc._.ng_sourcing or {}),
        timeline=list(doc._.ng_timeline or []),
        places=list(doc._.ng_places or []),
    )
