"""Doc -> Report: a pure conversion, reading only what the components assigned."""

from __future__ import annotations

import datetime as dt
from typing import Any

from spacy.tokens import Doc

from .nlp import docview
from .nlp.extensions import LAYER_ATTRS
from .report import Article, Report


def doc_to_report(doc: Doc, article: Article, generator: dict[str, Any]) -> Report:
    """The report of one analysed article. ``doc.text`` must be ``article.text``."""
    if docview.text(doc) != article.text:  # the text the components read, joined once
        raise ValueError("the Doc was not made from this article's text")
    layers: dict[str, list[Any]] = {}
    for attr, layer in LAYER_ATTRS.items():
        value = getattr(doc._, attr)
        layers[layer] = list(value) if value else []
    report = Report(
        article=article,
        entities=layers["entities"],
        quotes=layers["quotes"],
        timexes=layers["timexes"],
        events=layers["events"],
        claims=layers["claims"],
        flags=layers["flags"],
        generator=dict(generator),
    )
    from .checks import run_checks
    from .checks.sourcing import profile
    from .temporal import published as pubdate
    from .temporal.timeline import build_timeline

    estimate = doc._.ng_published_estimate
    if article.published is None and estimate is not None:
        article.published = estimate.earliest.isoformat()
        article.published_source = "estimated"
        report.flags = [*report.flags, *pubdate.flags(estimate, article.text)]
    anchor = doc._.ng_published if isinstance(doc._.ng_published, dt.date) else None
    report.timeline = build_timeline(doc, report.timexes, report.quotes, anchor)
    report.sourcing = profile(report)
    report.flags = [*report.flags, *run_checks(report, doc)]
    return report
