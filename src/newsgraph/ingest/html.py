"""HTML through trafilatura: main text plus metadata (title, date, site name, URL)."""

from __future__ import annotations

import logging
import re
from typing import Any, Final

from ..errors import NewsgraphError
from ..options import Options
from ..report import Article
from .text import check_size, check_text

log = logging.getLogger(__name__)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _decode_html(data: bytes) -> str:
    """Decode HTML bytes: declared charset, else UTF-8, else a detected encoding."""
    head = data[:4096].decode("ascii", errors="ignore")
    m = re.search(r"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", head, re.IGNORECASE)
    candidates = [m.group(1)] if m else []
    candidates += ["utf-8"]
    for enc in candidates:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("utf-8", errors="replace")


_BLOCKS: Final = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "header", "footer", "table", "tr", "pre", "hr",
)  # fmt: skip


def markup_text(html: str) -> str:
    """The text of an HTML fragment with its tags dropped: scripts and styles removed,
    blocks (paragraphs, headings, list items ...) kept apart by a blank line."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for junk in root.xpath("//script|//style|//noscript|//template"):
        junk.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in str(root.text_content()).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def article_from_html(
    html: str | bytes,
    *,
    options: Options,
    where: str = "",
    url: str | None = None,
    declared: bool = True,
) -> Article:
    """Extract the main text and metadata of an HTML page (E004 when there is none).

    When the input was only detected as HTML (``declared`` False: a ``.txt`` file or a
    string that starts with ``<p>``), a fragment with too little structure for main-text
    extraction is read as its text with the tags dropped (:func:`markup_text`)."""
    if isinstance(html, bytes):
        check_size(len(html), options, where=where)
        html = _decode_html(html)
    else:
        check_size(len(html.encode("utf-8", errors="replace")), options, where=where)
    if not html.strip():
        raise NewsgraphError("E001", where=where)

    import trafilatura

    try:
        doc: Any = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # trafilatura raises assorted parser errors on junk
        log.debug("trafilatura failed on %s: %s", where, exc)
        doc = None
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if len(text.split()) < options.min_html_words and not declared:
        fallback = markup_text(html)
        if len(fallback.split()) >= options.min_html_words:
            check_text(fallback, options, where=where)
            return Article(text=fallback, url=url)
    if len(text.split()) < options.min_html_words:
        raise NewsgraphError("E004", where=where or "input")
    check_text(text, options, where=where)
    date = getattr(doc, "date", None)
    published = date if isinstance(date, str) and _ISO_DATE.match(date) else None
    return Article(
        text=text,
        title=getattr(doc, "title", None) or None,
        url=getattr(doc, "url", None) or url,
        outlet=getattr(doc, "sitename", None) or None,
        published=published,
        published_source="metadata" if published else None,
    )
