"""The public API: ``analyze`` one article, ``analyze_many`` in order with one model load."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from itertools import count, islice
from typing import Any, Literal

from spacy.language import Language
from spacy.tokens import Doc

from .convert import doc_to_report
from .errors import NewsgraphError
from .ingest import Item, article_from_bytes, article_from_string, parse_date
from .nlp import COMPONENTS, StepFailed, annotate, annotate_many, load_pipeline, model_info
from .options import DEFAULT_OPTIONS, Options
from .report import Article, Report

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
    """Doc -> Report; an exception there becomes E029 for this article."""
    try:
        return doc_to_report(doc, article, gen)
    except NewsgraphError:
        raise
    except Exception as exc:
        raise _failed(where, "building the report", exc) from exc


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


def analyze_articles(
    articles: Iterable[Article],
    *,
    options: Options | None = None,
    batch_size: int | None = None,
    wheres: Iterable[str] | None = None,
) -> Iterator[Outcome]:
    """A report or a coded error for each Article, in order, with one model load."""
    opts = options or DEFAULT_OPTIONS
    size = max(1, batch_size or opts.batch_size)
    names = iter(wheres) if wheres is not None else (f"article {i}" for i in count(1))
    it = iter(articles)
    while block := list(islice(it, size)):
        yield from analyze_block(block, list(islice(names, len(block))), options=opts)


ErrorMode = Literal["raise", "skip", "include"]


def analyze_many(
    sources: Iterable[Source],
    *,
    published: str | None = None,
    options: Options | None = None,
    batch_size: int | None = None,
    processes: int = 1,
    errors: ErrorMode = "raise",
) -> Iterator[Any]:
    """Analyse many articles in order; the same reports as one ``analyze`` call each.

    An article that cannot be read or analysed never stops the others from being
    analysed; ``errors`` says what the caller gets for it: ``"raise"`` raises its
    NewsgraphError when it is reached (the reports before it were yielded),
    ``"skip"`` leaves it out (logged as a warning), ``"include"`` yields the
    NewsgraphError in its place so outputs stay aligned with inputs. Its ``where``
    names the article's position ("article 151").

    With ``processes > 1`` the work is spread over local worker processes, each
    loading the pipeline once.
    """
    if errors not in ("raise", "skip", "include"):
        raise ValueError(f"errors must be 'raise', 'skip' or 'include', not {errors!r}")
    opts = options or DEFAULT_OPTIONS

    def items() -> Iterator[Item]:
        for i, source in enumerate(sources, 1):
            where = f"article {i}"
            try:
                article = to_article(source, published=published, options=opts)
            except NewsgraphError as exc:
                yield Item(origin=where, error=exc)
            else:
                yield Item(origin=where, article=article)

    for item, report in analyze_items(
        items(), options=opts, processes=processes, batch_size=batch_size
    ):
        if report is not None:
            yield report
            continue
        assert item.error is not None
        if errors == "raise":
            raise item.error
        if errors == "include":
            yield item.error
        else:
            log.warning("skipped %s: %s", item.origin, item.error)


def analyze_items(
    items: Iterable[Item],
    *,
    options: Options | None = None,
    processes: int = 1,
    batch_size: int | None = None,
) -> Iterator[tuple[Item, Report | None]]:
    """Batch work: pass failed items through, analyse the rest, keep order.

    An item whose analysis fails comes back with ``error`` set (E029) and no report."""
    opts = options or DEFAULT_OPTIONS
    chunk = max(1, batch_size or opts.batch_size)
    it = iter(items)
    if processes > 1:
        from .engines.local import analyze_parallel

        outcomes: Iterator[tuple[Item, Outcome | None]] = analyze_parallel(
            it, options=opts, processes=processes, chunk_size=min(chunk, 8)
        )
    else:
        outcomes = _serial(it, opts, chunk)
    for item, outcome in outcomes:
        if isinstance(outcome, NewsgraphError):
            yield replace(item, article=None, error=outcome), None
        else:
            yield item, outcome


def _serial(
    items: Iterator[Item], options: Options, chunk: int
) -> Iterator[tuple[Item, Outcome | None]]:
    while block := list(islice(items, chunk)):
        good = [i for i in block if i.article is not None]
        done = iter(
            analyze_block(
                [i.article for i in good if i.article is not None],
                [i.origin for i in good],
                options=options,
            )
        )
        for item in block:
            yield item, (next(done) if item.article is not None else None)


__all__ = [
    "NewsgraphError",
    "Outcome",
    "analyze",
    "analyze_articles",
    "analyze_block",
    "analyze_items",
    "analyze_many",
    "pipeline",
    "to_article",
]
