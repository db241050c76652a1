"""A terminal summary of a report for a person (``newsgraph analyze --format text``).

Everything from the article goes through :class:`rich.text.Text`, never through
console markup, so brackets or emoji codes in an article are shown as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from newsgraph.render._common import (
    by_prominence,
    display_title,
    entity_names,
    layer_counts,
    published_line,
    short_id,
    sorted_flags,
    timeline_date,
    truncate,
    types_present,
    word_count,
)
from newsgraph.report import Claim, Entity, Event, Flag, Quote, Report, TimelineEntry, Timex

__all__ = ["render_text", "render_text_many"]

TYPE_STYLES: Final[dict[str, str]] = {
    "PERSON": "magenta",
    "COUNTRY": "green",
    "IGO": "cyan",
    "ORGANIZATION": "blue",
    "MEDIA": "bright_magenta",
    "MILITARY_SYSTEM": "red",
    "PROGRAM": "yellow",
    "NORP": "bright_green",
    "LOCATION": "bright_cyan",
    "EVENT": "bright_yellow",
    "OTHER": "white",
}
SEVERITY_STYLES: Final[dict[str, str]] = {
    "error": "bold red",
    "warning": "bold yellow",
    "info": "bold blue",
}
#: At most this many entities are listed per type; the rest are counted.
MAX_ENTITIES_PER_TYPE: Final = 25
QUOTE_LIMIT: Final = 220
CLAIM_LIMIT: Final = 180
EVIDENCE_LIMIT: Final = 90
TRIGGER_LIMIT: Final = 40


def render_text(report: Report, console: Console) -> None:
    """Print a readable summary of ``report`` to ``console`` (and nowhere else)."""
    _header(report, console)
    _entities(report, console)
    if report.places:
        _places(report, console)
    if report.quotes:
        _quotes(report.quotes, entity_names(report), console)
        _sourcing(report, console)
    if report.timeline:
        _timeline(report.timeline, console)
    if report.timexes:
        _timexes(report.timexes, console)
    if report.events:
        _events(report.events, entity_names(report), console)
    if report.claims:
        _claims(report.claims, console)
    if report.flags:
        _flags(report.flags, console)


def render_text_many(reports: Iterable[Report], console: Console) -> None:
    """Print several reports, one after another, separated by a numbered rule."""
    items = list(reports)
    for i, report in enumerate(items, 1):
        if len(items) > 1:
            if i > 1:
                console.print()
            console.print(Rule(Text(f"report {i} of {len(items)}"), style="bold"))
        render_text(report, console)


def _sourcing(report: Report, console: Console) -> None:
    """One line on who the article rests on."""
    prof = report.sourcing
    if not prof.get("quoted_words"):
        return
    kinds = ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in prof["by_source_kind"].items())
    console.print(
        Text(
            f"Sourcing: {prof['unnamed_share']:.0%} of {prof['quoted_words']} quoted words "
            f"from unnamed sources · {kinds}",
            style="bold",
        )
    )


def _section(console: Console, title: str) -> None:
    console.print()
    console.print(Rule(Text(title, style="bold"), align="left", style="dim"))


def _header(report: Report, console: Console) -> None:
    a = report.article
    console.print(Text(display_title(report), style="bold"))
    where = [x for x in (a.outlet, a.url) if x]
    if where:
        console.print(Text(" · ".join(truncate(x, 200) for x in where), style="cyan"))
    meta = Text()
    meta.append("Published ", style="dim")
    meta.append(published_line(report))
    meta.append(" · id ", style="dim")
    meta.append(short_id(a.id))
    meta.append(" · ", style="dim")
    meta.append(f"{word_count(a.text):,} words")
    console.print(meta)
    counts = Text()
    for i, (n, label) in enumerate(layer_counts(report)):
        if i:
            counts.append(" · ", style="dim")
        counts.append(str(n), style="bold" if n else "dim")
        counts.append(f" {label}", style="" if n else "dim")
    console.print(counts)


def _entity_item(e: Entity) -> Text:
    item = Text()
    item.append(e.name, style="bold")
    item.append(f" ({len(e.mentions)})", style="dim")
    if e.kb_id:
        item.append(f" {e.kb_id}", style="cyan")
    return item


def _entities(report: Report, console: Console) -> None:
    if not report.entities:
        return
    _section(console, "Entities by type")
    types = types_present(report.entities)
    type_width = max(cell_len(t) for t in types)
    room = max(console.width - type_width - 2, 20)
    grid = Table.grid(padding=(0, 2), expand=False)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for etype in types:
        ents = by_prominence(e for e in report.entities if e.type == etype)
        items = [_entity_item(e) for e in ents[:MAX_ENTITIES_PER_TYPE]]
        hidden = len(ents) - MAX_ENTITIES_PER_TYPE
        if hidden > 0:
            items.append(Text(f"… and {hidden} more", style="dim"))
        grid.add_row(Text(etype, style=TYPE_STYLES.get(etype, "white")), _wrap_items(items, room))
    console.print(grid)


def _places(report: Report, console: Console) -> None:
    """The article's main places: name, feature, country, point, how often named."""
    _section(console, "Places")
    grid = _list_grid()
    for p in report.places:
        geo = p["geo"]
        line = Text()
        line.append(p["name"], style="bold")
        where = ", ".join(str(x) for x in (geo.get("feature"), geo.get("country")) if x)
        line.append(f" {where}", style="dim")
        line.append(f" {geo['lat']:.4f}, {geo['lon']:.4f}", style="cyan")
        if geo.get("geonames_id"):
            line.append(f" geonames:{geo['geonames_id']}", style="dim")
        grid.add_row(Text(f"×{p['mentions']}", style="dim"), line)
    console.print(grid)


def _wrap_items(items: list[Text], width: int) -> Text:
    """Join items with commas, breaking lines between items rather than inside them."""
    out = Text()
    used = 0
    for i, item in enumerate(items):
        size = item.cell_len
        if i:
            if used + 2 + size > width:
                out.append(",\n")
                used = 0
            else:
                out.append(", ")
                used += 2
        out.append_text(item)
        used += size
    return out


def _list_grid() -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(overflow="fold")
    return grid


def _speaker(q: Quote, names: dict[str, str]) -> str:
    if q.speaker_entity and q.speaker_entity in names:
        name = names[q.speaker_entity]
        said = q.speaker.text.strip() if q.speaker else ""
        if not said:
            return name
        if name.casefold() in said.casefold():
            return truncate(said, 50)
        return f"{truncate(said, 40)} [{name}]"
    if q.speaker and q.speaker.text.strip():
        return truncate(q.speaker.text, 50)
    return "(unattributed)"


def _quotes(quotes: list[Quote], names: dict[str, str], console: Console) -> None:
    _section(console, "Quotes")
    grid = _list_grid()
    for i, q in enumerate(sorted(quotes, key=lambda q: q.content.start), 1):
        body = Text()
        body.append(_speaker(q, names), style="bold")
        body.append(" → ")
        body.append(f"“{truncate(q.content.text, QUOTE_LIMIT)}”")
        body.append("\n")
        meta: list[str] = [q.source_kind, q.kind]
        if q.cue:
            meta.append(f"cue “{truncate(q.cue.text, 30)}”")
        body.append(" · ".join(meta), style="dim")
        grid.add_row(Text(f"{i}.", style="dim"), body)
    console.print(grid)


def _timexes(timexes: list[Timex], console: Console) -> None:
    _section(console, "Time expressions")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Text", ratio=3, overflow="fold")
    table.add_column("Value", ratio=2, overflow="fold")
    table.add_column("Type", no_wrap=True)
    for t in sorted(timexes, key=lambda t: (t.start, t.end)):
        value = f"{t.value}–{t.upper}" if t.upper else t.value
        if t.mod:
            value += f" ({t.mod.lower().replace('_', ' ')})"
        table.add_row(Text(truncate(t.text, 60)), Text(value, style="cyan"), Text(t.type))
    console.print(table)


def _timeline(entries: list[TimelineEntry], console: Console) -> None:
    _section(console, "Timeline")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="cyan")
    grid.add_column(overflow="fold")
    for entry in entries:
        body = Text(entry.label)
        extra = []
        if entry.quote:
            extra.append(f"in quote {entry.quote}")
        if entry.also:
            extra.append("also " + ", ".join(f"“{x.text}”" for x in entry.also))
        if extra:
            body.append("  " + " · ".join(extra), style="dim")
        grid.add_row(Text(timeline_date(entry)), body)
    console.print(grid)


def _events(events: list[Event], names: dict[str, str], console: Console) -> None:
    _section(console, "Events")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Event", ratio=2, overflow="fold")
    table.add_column("Who → whom", ratio=3, overflow="fold")
    table.add_column("When", ratio=1, overflow="fold")
    located = any(ev.location for ev in events)
    if located:
        table.add_column("Where", ratio=1, overflow="fold")
    table.add_column("Trigger", ratio=2, overflow="fold")
    for ev in sorted(events, key=lambda e: (e.trigger.start, e.id)):
        kind = Text()
        kind.append(ev.type, style="bold")
        if ev.mode:
            kind.append(f"/{ev.mode}")
        marks = [m for m, on in (("negated", ev.negated), ("hypothetical", ev.hypothetical)) if on]
        if marks:
            kind.append("\n" + " ".join(f"[{m}]" for m in marks), style="yellow")
        who = Text(truncate(ev.actor_name("source", names) or "?", 30))
        who.append(" → ", style="dim")
        who.append(truncate(ev.actor_name("target", names) or "?", 30))
        cells = [kind, who, Text(ev.date or "—", style="cyan" if ev.date else "dim")]
        if located:
            place = names.get(ev.location or "")
            cells.append(Text(place or "—", style="" if place else "dim"))
        cells.append(Text(f"“{truncate(ev.trigger.text, TRIGGER_LIMIT)}”"))
        table.add_row(*cells)
    console.print(table)


def _claims(claims: list[Claim], console: Console) -> None:
    _section(console, "Claims")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for c in sorted(claims, key=lambda c: (c.start, c.id)):
        score = c.checkworthiness
        style = "bold" if score >= 0.7 else ("" if score >= 0.4 else "dim")
        body = Text(truncate(c.text, CLAIM_LIMIT))
        if c.quote:
            body.append(f" (in quote {c.quote})", style="dim")
        grid.add_row(Text(f"{score:.2f}", style=style), Text(c.kind, style="cyan"), body)
    console.print(grid)


def _flags(flags: list[Flag], console: Console) -> None:
    _section(console, "Flags")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for f in sorted_flags(flags):
        label = Text(f.severity.upper(), style=SEVERITY_STYLES.get(f.severity, "bold"))
        body = Text()
        body.append(f.code, style="bold")
        body.append(f" {f.message}")
        if f.evidence:
            shown = [f"“{truncate(s.text, EVIDENCE_LIMIT)}”" for s in f.evidence[:3]]
            more = len(f.evidence) - len(shown)
            body.append("\n" + " · ".join(shown), style="dim")
            if more > 0:
                body.append(f" · +{more} more", style="dim")
        grid.add_row(label, body)
    console.print(grid)
