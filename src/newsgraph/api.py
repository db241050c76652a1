"""The public API: ``analyze`` one article, ``analyze_many`` in order with one model load."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version
from itertools import islice
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .convert import doc_to_report
from .errors import NewsgraphError
from .ingest import Item, article_from_bytes, article_from_text, looks_like_html, parse_date
from .nlp import COMPONENTS, load_pipeline, model_info
from .options import DEFAULT_OPTIONS, Options
from .report import Article, Report

Source = str | bytes | Article

try:
    __version__ = version("newsgraph")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"


def pipeline(options: Options | None = None) -> Language:
    """The process's spaCy pipeline for these options (loaded on first use)."""
    opts = options or DEFAULT_OPTIONS
    return load_pipeline(opts.model, max_length=opts.max_text_chars, kb_dir=opts.kb_dir)


def generator_info(nlp: Language) -> dict[str, Any]:
    info = model_info(nlp)
    return {
        "name": "newsgraph",
        "version": __version__,
        "model": info["model"],
        "model_version": info["version"],
        "components": list(COMPONENTS),
    }


def make_doc(nlp: Language, article: Article) -> Doc:
    """The tokenised article with what our components read set on it (the date)."""
    doc = nlp.make_doc(article.text)
    if article.published:
        doc._.ng_published = dt.date.fromisoformat(article.published)
    return doc


def to_article(
    source: Source,
    *,
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    options: Options | None = None,
) -> Article:
    """An Article from text, HTML (detected), raw bytes, or an Article as it is."""
    opts = options or DEFAULT_OPTIONS
    if isinstance(source, Article):
        article = source
    elif isinstance(source, bytes):
        article = article_from_bytes(source, options=opts, url=url)
    elif isinstance(source, str):
        if looks_like_html(source):
            from .ingest.html import article_from_html

            article = article_from_html(source, options=opts, url=url)
        else:
            article = article_from_text(source, options=opts, url=url)
    else:
        raise TypeError(f"cannot analyse a {type(source).__name__}")
    if published is not None:
        article.published, article.published_source = parse_date(published), "given"
    if url and not article.url:
        article.url = url
    if title:
        article.title = title
    if outlet:
        article.outlet = outlet
    return article


def analyze(
    source: Source,
    *,
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    options: Options | None = None,
) -> Report:
    """Analyse one article (plain text, HTML, bytes or an Article) into a Report.

    Raises :class:`~newsgraph.errors.NewsgraphError` for bad input (empty, binary, ...).
    """
    article = to_article(
        source, published=published, url=url, title=title, outlet=outlet, options=options
    )
    nlp = pipeline(options)
    return doc_to_report(nlp(make_doc(nlp, article)), article, generator_info(nlp))


def analyze_articles(
    articles: Iterable[Article], *, options: Options | None = None, batch_size: int | None = None
) -> Iterator[Report]:
    """Reports for Articles, in order, through ``nlp.pipe`` with one model load."""
    opts = options or DEFAULT_OPTIONS
    nlp = pipeline(opts)
    gen = generator_info(nlp)
    pairs = ((make_doc(nlp, a), a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size or opts.batch_size):
        yield doc_to_report(doc, article, gen)


def analyze_many(
    sources: Iterable[Source],
    *,
    published: str | None = None,
    options: Options | None = None,
    batch_size: int | None = None,
    processes: int = 1,
) -> Iterator[Report]:
    """Analyse many articles in order; the same reports as one ``analyze`` call each.

    With ``processes > 1`` the work is spread over local worker processes, each
    loading the pipeline once. Bad input raises NewsgraphError when it is reached.
    """
    articles = (to_article(s, published=published, options=options) for s in sources)
    if processes > 1:
        from .engines.local import analyze_parallel

        yield from analyze_parallel(articles, options=options, processes=processes)
    else:
        yield from analyze_articles(articles, options=options, batch_size=batch_size)


def analyze_items(
    items: Iterable[Item],
    *,
    options: Options | None = None,
    processes: int = 1,
    batch_size: int | None = None,
) -> Iterator[tuple[Item, Report | None]]:
    """Batch work: pass failed items through untouched, analyse the rest, keep order."""
    opts = options or DEFAULT_OPTIONS
    chunk = max(1, batch_size or opts.batch_size)
    it = iter(items)
    while True:
        block = list(islice(it, chunk))
        if not block:
            return
        articles = [i.article for i in block if i.article is not None]
        if processes > 1:
            from .engines.local import analyze_parallel

            done = list(analyze_parallel(articles, options=opts, processes=processes))
        else:
            done = list(analyze_articles(articles, options=opts, batch_size=chunk))
        reports = iter(done)
        for item in block:
            yield item, (next(reports) if item.article is not None else None)


__all__ = [
    "NewsgraphError",
    "analyze",
    "analyze_articles",
    "analyze_items",
    "analyze_many",
    "pipeline",
    "to_article",
]
