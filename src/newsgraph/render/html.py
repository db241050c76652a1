"""One self-contained HTML page for one or more reports (``--format html``).

The page has inline CSS and a few lines of inline JavaScript and refers to
nothing outside itself, so it can be opened from disk. Every piece of article
text is escaped: the template autoescapes, and the highlighted text is built
here with :func:`markupsafe.escape` around each slice of ``article.text``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from newsgraph.render._common import (
    by_prominence,
    display_title,
    entity_names,
    layer_counts,
    safe_href,
    short_id,
    sorted_flags,
    timeline_date,
    type_label,
    type_rank,
    types_present,
    word_count,
)
from newsgraph.report import SCHEMA_VERSION, Report, Span

__all__ = ["TYPE_COLOURS", "css_ident", "highlight_text", "render_html"]

#: Background and accent colour per entity type: dark text on the background and
#: the accent as underline both keep good contrast on white.
TYPE_COLOURS: Final[dict[str, tuple[str, str]]] = {
    "PERSON": ("#fde2f1", "#b0186e"),
    "COUNTRY": ("#d9f3da", "#2e7d32"),
    "IGO": ("#d5f1f6", "#00768a"),
    "ORGANIZATION": ("#dde6fb", "#1f4fbf"),
    "MEDIA": ("#ede0fb", "#7430b8"),
    "MILITARY_SYSTEM": ("#fde0dc", "#c0291f"),
    "PROGRAM": ("#fff0c2", "#9a6400"),
    "NORP": ("#e7f2cc", "#557600"),
    "LOCATION": ("#d3efe8", "#00705f"),
    "EVENT": ("#ffe4c8", "#b84d00"),
    "OTHER": ("#e9e9e9", "#5c5c5c"),
}
_FALLBACK_COLOURS: Final = ("#e9e9e9", "#5c5c5c")
_SEVERITY_LABELS: Final[dict[str, str]] = {"error": "Error", "warning": "Warning", "info": "Info"}


def css_ident(entity_type: str) -> str:
    """A class-name-safe form of an entity type (``t-`` + the type)."""
    return "t-" + (re.sub(r"[^A-Za-z0-9_-]", "_", entity_type) or "_")


@dataclass(frozen=True)
class _Mark:
    """One inline highlight: ``text[start:end]`` wrapped in ``<tag class=...>``."""

    start: int
    end: int
    tag: str
    css: str
    tip: str
    data_type: str
    rank: int  # tie-break between equal spans: lower wins


def _valid(text: str, s: Span) -> bool:
    return 0 <= s.start < s.end <= len(text) and text[s.start : s.end] == s.text


def _pick_outermost(marks: list[_Mark]) -> list[_Mark]:
    """Non-overlapping marks, preferring the earliest, then the longest, then by rank."""
    chosen: list[_Mark] = []
    last_end = -1
    for m in sorted(marks, key=lambda m: (m.start, -(m.end - m.start), m.rank)):
        if m.start >= last_end:
            chosen.append(m)
            last_end = m.end
    return chosen


def _crosses(m: _Mark, outer: list[_Mark]) -> bool:
    """True if ``m`` overlaps an outer mark without lying wholly inside it."""
    return any(
        o.start < m.end and m.start < o.end and not (o.start <= m.start and m.end <= o.end)
        for o in outer
    )


def _open(m: _Mark) -> Markup:
    return Markup('<{} class="{}" tabindex="0" data-type="{}" title="{}" data-tip="{}">').format(
        m.tag, m.css, m.data_type, m.tip, m.tip
    )


def _inline_marks(report: Report) -> tuple[list[_Mark], list[_Mark]]:
    """The quote marks (outer layer) and entity/timex marks (inner layer) to draw inline."""
    text = report.article.text
    quotes: list[_Mark] = []
    names = entity_names(report)
    for q in report.quotes:
        if not _valid(text, q.content):
            continue
        who = names.get(q.speaker_entity or "") or (q.speaker.text if q.speaker else "")
        tip = f"Quote ({q.kind}) · {' '.join(who.split()) or 'no speaker'} · {q.source_kind}"
        quotes.append(_Mark(q.content.start, q.content.end, "span", "q", tip, "quote", 0))
    outer = _pick_outermost(quotes)

    inner: list[_Mark] = []
    for e in report.entities:
        kb = e.kb_id or "no KB id"
        cls = css_ident(e.type)
        tip = f"{e.name} · {type_label(e.type)} · {kb}"
        for s in e.mentions:
            if _valid(text, s):
                inner.append(_Mark(s.start, s.end, "mark", f"ent {cls}", tip, e.type, 0))
    for t in report.timexes:
        s = Span(t.start, t.end, t.text)
        if _valid(text, s):
            tip = f"Time · {t.value} · {t.type}"
            inner.append(_Mark(t.start, t.end, "mark", "timex", tip, "timex", 1))
    return outer, _pick_outermost([m for m in inner if not _crosses(m, outer)])


def highlight_text(report: Report) -> Markup:
    """The article text, escaped, with entity, time and quote highlights as HTML."""
    text = report.article.text
    outer, inner = _inline_marks(report)
    parts: list[Markup] = []
    i = 0  # next inner mark to place

    def fill(start: int, end: int) -> None:
        nonlocal i
        pos = start
        while i < len(inner) and inner[i].end <= end:
            m = inner[i]
            parts.append(escape(text[pos : m.start]))
            parts.append(_open(m) + escape(text[m.start : m.end]) + Markup(f"</{m.tag}>"))
            pos = m.end
            i += 1
        parts.append(escape(text[pos:end]))

    pos = 0
    for q in outer:
        fill(pos, q.start)
        parts.append(_open(q))
        fill(q.start, q.end)
        parts.append(Markup(f"</{q.tag}>"))
        pos = q.end
    fill(pos, len(text))
    return Markup("").join(parts)


def _sentence_with_trigger(sentence: Span, trigger: Span) -> Markup:
    """The event sentence, escaped, with its trigger in bold when it lies inside."""
    if sentence.start <= trigger.start and trigger.end <= sentence.end:
        a = trigger.start - sentence.start
        b = trigger.end - sentence.start
        s = sentence.text
        return (
            escape(s[:a])
            + Markup("<strong>")
            + escape(s[a:b])
            + Markup("</strong>")
            + escape(s[b:])
        )
    return escape(sentence.text)


def _generator_items(generator: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for key, value in generator.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        out.append((str(key), shown))
    return out


def _view(report: Report, index: int) -> dict[str, Any]:
    """What the template needs for one report."""
    a = report.article
    names = entity_names(report)
    outer, inner = _inline_marks(report)
    legend = []
    for etype in types_present(report.entities):
        n = sum(len(e.mentions) for e in report.entities if e.type == etype)
        cls = css_ident(etype)
        legend.append({"key": cls, "css": cls, "label": type_label(etype), "n": n})
    if any(m.data_type == "timex" for m in inner):
        legend.append(
            {"key": "timex", "css": "timex", "label": "Time expression", "n": len(report.timexes)}
        )
    if outer:
        legend.append({"key": "quote", "css": "q", "label": "Quote", "n": len(report.quotes)})

    entities = sorted(report.entities, key=lambda e: (type_rank(e.type), e.type))
    entity_rows = []
    for etype in types_present(entities):
        for e in by_prominence(x for x in entities if x.type == etype):
            forms = sorted({" ".join(m.text.split()) for m in e.mentions}, key=str.casefold)
            entity_rows.append(
                {"e": e, "label": type_label(e.type), "css": css_ident(e.type), "forms": forms}
            )

    quote_rows = []
    for q in sorted(report.quotes, key=lambda q: (q.content.start, q.id)):
        quote_rows.append({"q": q, "entity": names.get(q.speaker_entity or "")})
    event_rows = []
    for ev in sorted(report.events, key=lambda e: (e.trigger.start, e.id)):
        event_rows.append(
            {
                "ev": ev,
                "source": ev.actor_name("source", names),
                "target": ev.actor_name("target", names),
                "sentence": _sentence_with_trigger(ev.sentence, ev.trigger),
            }
        )
    return {
        "anchor": f"report-{index}",
        "index": index,
        "title": display_title(report, limit=300),
        "has_title": bool(a.title and a.title.strip()),
        "article": a,
        "href": safe_href(a.url),
        "short_id": short_id(a.id),
        "words": word_count(a.text),
        "counts": layer_counts(report),
        "legend": legend,
        "text_html": highlight_text(report),
        "entities": entity_rows,
        "places": report.places,
        "quotes": quote_rows,
        "timexes": sorted(report.timexes, key=lambda t: (t.start, t.end)),
        "timeline": [(timeline_date(e), e) for e in report.timeline],
        "events": event_rows,
        "claims": sorted(report.claims, key=lambda c: (c.start, c.id)),
        "flags": sorted_flags(report.flags),
        "generator": _generator_items(report.generator),
        "schema": report.schema,
    }


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsgraph.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["severity_label"] = lambda s: _SEVERITY_LABELS.get(s, s)
    return env


def render_html(reports: Report | Sequence[Report]) -> str:
    """One self-contained HTML page showing ``reports`` (one report or several)."""
    items = [reports] if isinstance(reports, Report) else list(reports)
    views = [_view(r, i) for i, r in enumerate(items, 1)]
    if len(items) == 1:
        page_title = f"{views[0]['title']} · newsgraph"
    else:
        page_title = f"{len(items)} reports · newsgraph"
    colours = [{"css": css_ident(t), "bg": bg, "bd": bd} for t, (bg, bd) in TYPE_COLOURS.items()]
    extra = sorted({e.type for r in items for e in r.entities} - set(TYPE_COLOURS))
    colours += [
        {"css": css_ident(t), "bg": _FALLBACK_COLOURS[0], "bd": _FALLBACK_COLOURS[1]} for t in extra
    ]
    template = _environment().get_template("report.html")
    return template.render(
        page_title=page_title,
        reports=views,
        colours=colours,
        schema=SCHEMA_VERSION,
    )
