"""The per-article analysis: Article -> Report, pure and engine-free.

``analyze`` one article; ``analyze_block`` a block of them through ``nlp.pipe`` (the
unit the engines in ``newsgraph.engines`` hand out); ``to_article`` reads a source.
``analyze_many`` (many articles, in one process or several) is in
``newsgraph.engines.local`` and exported by the package."""

from __future__ import annotations

import datetime as dt
import logging
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .checks import run_checks
from .convert import doc_to_report
from .errors import NewsgraphError
from .ingest import article_from_bytes, article_from_string, parse_date
from .kb import KnowledgeBase, get_kb
from .options import DEFAULT_OPTIONS, Options
from .pipeline import COMPONENTS, StepFailed, annotate, annotate_many, load_pipeline, model_info
from .report import Article, Report
from .text import docview

Source = str | bytes | Article

log = logging.getLogger(__name__)

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
    docview.view(doc, article.text)  # the text as it came: never joined from the tokens
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
    """An Article from text, HTML (detected), raw bytes, or an Article as it is.

    Raises NewsgraphError for bad input, E033 for a source of another type."""
    opts = options or DEFAULT_OPTIONS
    if isinstance(source, Article):
        article = source
    elif isinstance(source, bytes | bytearray | memoryview):
        article = article_from_bytes(bytes(source), options=opts, url=url)
    elif isinstance(source, str):
        article = article_from_string(source, options=opts, url=url)
    else:
        raise NewsgraphError("E033", kind=type(source).__name__)
    if published is not None:
        article.published, article.published_source = parse_date(published), "given"
    if url and not article.url:
        article.url = url
    if title:
        article.title = title
    if outlet:
        article.outlet = outlet
    article.clean()
    return article


def _failed(where: str, step: str, exc: BaseException) -> NewsgraphError:
    """E029 for an article whose analysis raised ``exc`` in ``step``."""
    if isinstance(exc, StepFailed):
        step, exc = exc.step, exc.error
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if len(detail) > 120:
        detail = detail[:117] + "..."
    reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    log.warning("analysis of %s failed in %s", where, step, exc_info=exc)
    return NewsgraphError("E029", where=where, step=step, reason=reason)


def _report(nlp: Language, doc: Doc, article: Article, gen: dict[str, Any], where: str) -> Report:
    """Doc -> Report, then the checks (with the knowledge base the entities were linked
    with); an exception in either becomes E029 for this article."""
    try:
        report = doc_to_report(doc, article, gen)
    except NewsgraphError:
        raise
    except Exception as exc:
        raise _failed(where, "building the report", exc) from exc
    try:
        kb = doc._.ng_kb if isinstance(doc._.ng_kb, KnowledgeBase) else get_kb()
        report.flags = [*report.flags, *run_checks(report, doc, kb)]
    except NewsgraphError:
        raise
    except Exception as exc:
        raise _failed(where, "the checks", exc) from exc
    return report


def _analyze_one(nlp: Language, article: Article, gen: dict[str, Any], where: str) -> Report:
    try:
        doc = annotate(nlp, make_doc(nlp, article))
    except NewsgraphError:
        raise
    except Exception as exc:
        raise _failed(where, "the pipeline", exc) from exc
    return _report(nlp, doc, article, gen, where)


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

    Raises :class:`~newsgraph.errors.NewsgraphError` for bad input (empty, binary, ...)
    and E029 when a step of the analysis fails on this article.
    """
    article = to_article(
        source, published=published, url=url, title=title, outlet=outlet, options=options
    )
    nlp = pipeline(options)
    return _analyze_one(nlp, article, generator_info(nlp), "the article")


Outcome = Report | NewsgraphError


def analyze_block(
    articles: list[Article], wheres: list[str], *, options: Options | None = None
) -> list[Outcome]:
    """One report or one coded error per article, in order: the unit of batch work.

    The block goes through ``nlp.pipe`` together; when that raises, each article is
    analysed alone so that only the one that fails is lost (E029 naming its step).
    """
    opts = options or DEFAULT_OPTIONS
    nlp = pipeline(opts)
    gen = generator_info(nlp)
    out: list[Outcome] = []
    try:
        docs = list(
            annotate_many(
                nlp, (make_doc(nlp, a) for a in articles), batch_size=max(1, len(articles))
            )
        )
    except Exception:
        docs = []
    if len(docs) != len(articles):  # the block failed somewhere: one by one
        for article, where in zip(articles, wheres, strict=True):
            try:
                out.append(_analyze_one(nlp, article, gen, where))
            except NewsgraphError as exc:
                out.append(exc)
        return out
    for doc, article, where in zip(docs, articles, wheres, strict=True):
        try:
            out.append(_report(nlp, doc, article, gen, where))
        except NewsgraphError as exc:
            out.append(exc)
    return out


__all__ = [
    "NewsgraphError",
    "Outcome",
    "analyze",
    "analyze_block",
    "pipeline",
    "to_article",
]
