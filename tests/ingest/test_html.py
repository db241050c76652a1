from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.errors import NewsgraphError
from newsgraph.ingest import read_sources
from newsgraph.ingest.html import article_from_html
from newsgraph.options import Options

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Estonia and Finland agree joint air defence purchase | Baltic Wire</title>
<meta property="og:title" content="Estonia and Finland agree joint air defence purchase">
<meta property="og:site_name" content="Baltic Wire">
<meta property="article:published_time" content="2025-11-03T09:30:00Z">
<link rel="canonical" href="https://balticwire.example/2025/11/03/air-defence">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe</a></nav>
<article>
<h1>Estonia and Finland agree joint air defence purchase</h1>
<p>Estonia and Finland on Monday agreed to buy medium-range air defence systems together,
a move both governments said would cut costs and speed up deliveries.</p>
<p>"Buying together means we buy faster," the Estonian defence minister told reporters
after the signing ceremony in Tallinn.</p>
<p>The two countries will evaluate two systems before choosing a supplier early next year,
according to a statement from the Estonian defence ministry.</p>
</article>
<footer>© Baltic Wire. All rights reserved. Cookie settings.</footer>
</body></html>"""


def test_main_text_and_metadata_come_from_the_page() -> None:
    art = article_from_html(PAGE, options=Options())
    assert "agreed to buy medium-range air defence systems" in art.text
    assert "Cookie settings" not in art.text and "Subscribe" not in art.text
    assert art.title is not None and "Estonia and Finland agree" in art.title
    assert art.outlet == "Baltic Wire"
    assert (art.published, art.published_source) == ("2025-11-03", "metadata")
    assert art.url == "https://balticwire.example/2025/11/03/air-defence"


def test_html_without_main_text_is_e004() -> None:
    with pytest.raises(NewsgraphError) as info:
        article_from_html(
            "<html><body><nav><a href='/'>Home</a></nav></body></html>", options=Options()
        )
    assert info.value.code == "E004"


def test_a_non_utf8_page_declaring_its_charset_is_decoded(tmp_path: Path) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("©", "é")
    f = tmp_path / "page.html"
    f.write_bytes(page.replace("Tallinn", "Tallinné").encode("latin-1"))
    (item,) = read_sources([str(f)], options=Options())
    assert item.article is not None
    assert "Tallinné" in item.article.text


def test_given_date_wins_over_page_metadata(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(PAGE, encoding="utf-8")
    (item,) = read_sources([str(f)], options=Options(), published="2025-11-04")
    assert item.article is not None
    assert (item.article.published, item.article.published_source) == ("2025-11-04", "given")


def test_a_folder_yields_its_text_and_html_files_in_order(tmp_path: Path) -> None:
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a.txt").write_text("A plain article.", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    items = list(read_sources([str(tmp_path)], options=Options()))
    assert [Path(i.origin).name for i in items] == ["a.txt", "b.html", "c.txt"]
    assert [i.ok for i in items] == [True, True, False]
