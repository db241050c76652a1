"""Renderers for people: a terminal summary (rich) and a self-contained HTML page."""

from newsgraph.render.html import render_html
from newsgraph.render.text import render_text, render_text_many

__all__ = ["render_html", "render_text", "render_text_many"]
