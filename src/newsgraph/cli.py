"""The ``newsgraph`` command. Library code never prints; this module renders.

Exit codes: 0 all inputs done; 1 a single input failed, nothing could be analysed,
or the command itself failed (a coded one-line message on stderr); 2 usage error;
3 batch work finished but skipped some bad items (each reported on stderr);
130 interrupted (what was already committed stays stored).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from enum import StrEnum
from itertools import chain, islice
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, Final, NoReturn, TextIO, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from .errors import NewsgraphError
from .ingest import Item, parse_date, read_sources
from .kb import KnowledgeBase, Term
from .options import Options
from .report import Report, json_text

if TYPE_CHECKING:
    from .store import FlagRow, Store

RowT = TypeVar("RowT")

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

app = typer.Typer(
    name="newsgraph",
    help="Read news reports and rebuild the situation they describe as evidence-linked data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    html = "html"


def _fail(exc: NewsgraphError, origin: str | None = None) -> NoReturn:
    _report_error(exc, origin)
    raise typer.Exit(EXIT_FAIL)


def _report_error(exc: NewsgraphError, origin: str | None = None) -> None:
    shown = exc.code == "E008" or (origin and origin in exc.message)
    where = f" [{origin}]" if origin and not shown else ""
    err_console.print(Text(f"{exc.code}: {exc.message}{where}"), style="red")


def _options(config: Path | None, allow_private: bool) -> Options:
    opts = Options.from_file(config) if config else Options()
    if allow_private:
        opts = opts.replace(allow_private=True)
    return opts


class _StopRequest:
    """SIGINT/SIGTERM handler: the first asks for a clean stop after the current
    batch is committed; a second one stops at once (the open batch rolls back)."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True


ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="TOML file overriding packaged options (see docs/options.md)."),
]
AllowPrivateOpt = Annotated[
    bool,
    typer.Option(
        "--allow-private", help="Allow fetching loopback, private and link-local addresses."
    ),
]
PublishedOpt = Annotated[
    str | None,
    typer.Option(
        "--published",
        metavar="YYYY-MM-DD",
        help="Publication date, the anchor for relative dates. A JSONL line's own wins.",
    ),
]
ProcessesOpt = Annotated[
    int,
    typer.Option("--processes", "-j", min=1, help="Worker processes (each loads the model once)."),
]


@app.command()
def analyze(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="Text or HTML file, .jsonl (one article per line), URL, or - for stdin.",
        ),
    ],
    published: PublishedOpt = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="text: terminal summary; json/jsonl: one report per line; html: one page.",
        ),
    ] = Format.text,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write here instead of stdout.")
    ] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="Also store the reports in this DuckDB file.")
    ] = None,
    allow_private: AllowPrivateOpt = False,
    processes: ProcessesOpt = 1,
    config: ConfigOpt = None,
) -> None:
    """Analyse articles and print one report each, in input order (model loaded once)."""
    from .engines.local import analyze_items

    try:
        opts = _options(config, allow_private)
    except NewsgraphError as exc:
        _fail(exc)
    published = _date_option(published)
    store = None
    if db is not None:
        from .store import Store

        try:
            store = Store.open(db)
        except NewsgraphError as exc:
            _fail(exc)
    seen = {"items": 0, "good": 0, "unstored": 0}
    failed = _Failures(err_console)

    def reports() -> Iterator[Report]:
        pending: list[tuple[Item, Report]] = []
        items = read_sources(inputs, options=opts, published=published)
        for item, report in analyze_items(items, options=opts, processes=processes):
            seen["items"] += 1
            if seen["items"] == 2:
                failed.flush(alone=False)
            if report is None:
                failed.add(item)
                continue
            seen["good"] += 1
            if store is not None:
                pending.append((item, report))
                if len(pending) >= opts.commit_every:
                    seen["unstored"] += _store_batch(store, pending, failed)[1]
            yield report
        if store is not None and pending:
            seen["unstored"] += _store_batch(store, pending, failed)[1]

    try:
        _write_reports(reports(), fmt, out)
    except NewsgraphError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(NewsgraphError("E018", where=str(out), reason=exc.strerror or str(exc)))
    finally:
        if store is not None:
            store.close()
    failed.flush(alone=seen["items"] == 1)
    if failed.count:
        if seen["items"] == 1:
            raise typer.Exit(EXIT_FAIL)  # one input: just its coded line
        unstored = f", {seen['unstored']} not stored" if seen["unstored"] else ""
        skipped = failed.count - seen["unstored"]
        err_console.print(
            f"{seen['good']} analysed, {skipped} skipped{unstored} ({seen['items']} inputs)",
            style="yellow",
        )
        raise typer.Exit(EXIT_PARTIAL if seen["good"] else EXIT_FAIL)


def _store_batch(
    store: Store, batch: list[tuple[Item, Report]], failures: _Failures
) -> tuple[int, int]:
    """Store ``batch`` (one transaction, unless a report cannot be stored: then each on
    its own) and empty it; a report that could not be stored is reported with its
    item's place. Returns (new reports stored, reports not stored)."""
    added, unstored = store.add_each([(r, item.origin, item.record_id) for item, r in batch])
    for k, exc in unstored:
        failures.add(replace(batch[k][0], article=None, error=exc))
    batch.clear()
    return added, len(unstored)


class _Failures:
    """Reports each failed item, one coded line on stderr naming its place in the run
    (``[item 151, set.jsonl:151]``), and counts them. A failed first item is held until
    the run is known to have more than one, so a run of one input prints just its line."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.count = 0
        self._held: Item | None = None

    def add(self, item: Item) -> None:
        self.count += 1
        if item.position == 1:
            self._held = item
            return
        self.flush(alone=False)
        self._print(item, alone=False)

    def flush(self, *, alone: bool) -> None:
        """Print the held first failure, with its place unless it was the only item."""
        if self._held is not None:
            held, self._held = self._held, None
            self._print(held, alone=alone)

    def _print(self, item: Item, *, alone: bool) -> None:
        exc = item.error
        if exc is None:  # pragma: no cover - failed items carry their error
            return
        shown = exc.code == "E008" or item.origin in exc.message
        where = [] if shown else [item.origin]
        if item.position and not alone:
            where.insert(0, f"item {item.position}")
        tail = f" [{', '.join(where)}]" if where else ""
        self.console.print(Text(f"{exc.code}: {exc.message}{tail}"), style="red")


def _date_option(value: str | None) -> str | None:
    """A date option (``--published``, ``--since`` ...) as YYYY-MM-DD; a date no reading
    fits is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except NewsgraphError as exc:
        _report_error(exc)
        raise typer.Exit(EXIT_USAGE) from None


def _write_reports(reports: Iterable[Report], fmt: Format, out: Path | None) -> None:
    """Write reports as they come (json/jsonl/text) or all at once (html).

    Nothing is written, and no file created, when there is no report."""
    it = iter(reports)
    first = next(it, None)
    if first is None:
        return
    reports = chain([first], it)
    stream: TextIO
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        stream = out.open("w", encoding="utf-8")
    else:
        stream = sys.stdout
    try:
        if fmt in (Format.json, Format.jsonl):
            for r in reports:
                stream.write(r.to_json() + "\n")
        elif fmt is Format.html:
            from .render import render_html

            rs = list(reports)
            if rs:
                stream.write(render_html(rs))
        else:
            from .render import render_text_many

            console = Console(file=stream, highlight=False) if out else Console(highlight=False)
            render_text_many(reports, console)
    finally:
        if out is not None:
            stream.close()
        else:
            stream.flush()


class _RateColumn(ProgressColumn):
    """Articles per second since the start (steadier than rich's windowed speed)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        if not task.completed or elapsed <= 0:
            return Text("  -- articles/s", style="cyan")
        return Text(f"{task.completed / elapsed:5.1f} articles/s", style="cyan")


class _CountColumn(ProgressColumn):
    """The inputs done, and of how many where that is known."""

    def render(self, task: Task) -> Text:
        done = int(task.completed)
        if task.total is None:
            return Text(f"{done} articles")
        return Text(f"{done}/{int(task.total)} articles")


#: Inputs whose ids are looked up in the store at once (the ones already stored skipped).
_LOOKUP: Final = 16


@app.command()
def ingest(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="SOURCE...",
            help="Folder of .txt/.html files, .jsonl, .warc/.warc.gz, file, or URL.",
        ),
    ],
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to store into (created).")],
    published: PublishedOpt = None,
    allow_private: AllowPrivateOpt = False,
    processes: ProcessesOpt = 1,
    config: ConfigOpt = None,
    no_corpus: Annotated[
        bool,
        typer.Option(
            "--no-corpus",
            help="Store the reports only; place them in the corpus (duplicates, stories, "
            "links) later, with the next ingest or `newsgraph relink`.",
        ),
    ] = False,
) -> None:
    """Analyse sources into a DuckDB store and place them in the corpus: near-duplicates
    linked to their earliest copy, articles grouped into stories, claims and quotes
    linked to those of other outlets. Re-running stores nothing twice and resumes after
    an interruption: each batch is committed as a whole. With the corpus layer on, the
    analysis runs in -j worker processes (one at -j 1) while this one stores and places."""
    import gc

    from .corpus import CorpusUpdate, CorpusUpdater
    from .engines.local import analyze_items
    from .ingest.count import count_items
    from .store import Store

    # what is loaded now lives as long as the run: the collector need not go through it
    # again on each full collection (this process's time is the workers' too at -j N)
    gc.freeze()

    try:
        opts = _options(config, allow_private)
    except NewsgraphError as exc:
        _fail(exc)
    published = _date_option(published)
    try:
        store = Store.open(db)
    except NewsgraphError as exc:
        _fail(exc)
    counts = {"stored": 0, "known": 0, "skipped": 0}
    corpus = CorpusUpdate()
    stop = _StopRequest()
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    progress = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(bar_width=None),  # as wide as the line leaves (it fits 80 columns)
        TaskProgressColumn(),  # the share done, where the total is known
        _CountColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[note]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
        disable=not err_console.is_terminal and not os.environ.get("NEWSGRAPH_PROGRESS"),
    )
    failures = _Failures(progress.console)
    started = time.perf_counter()
    try:
        with store, progress:
            # a bar with its end and the time left where the inputs are counted cheaply
            total = None
            if not progress.disable:
                total = count_items(sources, max_line_bytes=opts.max_input_bytes)
            task = progress.add_task("ingest", total=total, note="")
            placer = None if no_corpus else CorpusUpdater(store)

            def skip(item: Item) -> None:
                counts["skipped"] += 1
                failures.add(item)
                failures.flush(alone=False)
                progress.advance(task)

            def fresh() -> Iterator[Item]:
                read = read_sources(sources, options=opts, published=published)
                while block := list(islice(read, _LOOKUP)):
                    known = store.known_ids(i.article.id for i in block if i.article is not None)
                    for item in block:
                        if item.error is not None:
                            skip(item)
                            continue
                        assert item.article is not None
                        if item.article.id in known:
                            counts["known"] += 1
                            progress.advance(task)
                            continue
                        yield item

            batch: list[tuple[Item, Report]] = []

            def commit() -> None:
                held = [r for _, r in batch]
                added, unstored = _store_batch(store, batch, failures)
                counts["stored"] += added
                counts["skipped"] += unstored
                failures.flush(alone=False)
                if placer is not None:
                    # places this batch and anything stored earlier but not yet placed
                    corpus.add(placer.update(reports=held))

            # with the corpus layer on, this process stores and places each batch while
            # the worker processes analyse the next (-j 1: one worker beside this one)
            for item, report in analyze_items(
                fresh(),
                options=opts,
                processes=processes,
                batch_size=opts.commit_every,
                beside=placer is not None,
            ):
                if report is None:
                    skip(item)
                else:
                    batch.append((item, report))
                    progress.advance(task)
                if len(batch) >= opts.commit_every or stop.requested:
                    commit()
                if stop.requested:
                    break
            commit()
    except NewsgraphError as exc:
        _fail(exc)
    except (KeyboardInterrupt, Exception):
        if not stop.requested:
            raise
        # a second signal landed mid-write: that batch rolled back, earlier ones are kept
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stop.requested:
        err_console.print(
            f"interrupted: {counts['stored']} articles stored and kept; run the same command "
            "again to continue",
            style="yellow",
        )
        raise typer.Exit(EXIT_INTERRUPTED)
    elapsed = time.perf_counter() - started
    rate = counts["stored"] / elapsed if elapsed > 0 else 0.0
    err_console.print(
        f"stored {counts['stored']} new articles ({rate:.1f} articles/s), "
        f"{counts['known']} already stored, {counts['skipped']} skipped -> {db}"
    )
    if corpus.placed:
        err_console.print(_corpus_line(corpus))
    if counts["skipped"]:
        total = counts["stored"] + counts["known"]
        raise typer.Exit(EXIT_PARTIAL if total else EXIT_FAIL)


@app.command()
def articles(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to read.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Rows to show.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Rows to skip.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List the stored articles, newest first."""
    from .store import Store

    if not db.exists():
        _fail(NewsgraphError("E013", where=str(db), reason="the file does not exist"))
    from .corpus import placements

    try:
        with Store.open(db, read_only=True) as store:
            rows = store.articles(limit=limit, offset=offset)
            total = store.count()
            placed = placements(store, (row.id for row in rows))
    except NewsgraphError as exc:
        _fail(exc)
    if as_json:
        for row in rows:
            where = placed.get(row.id)
            out = row.to_dict()
            out["duplicate_of"] = where.duplicate_of if where else None
            out["story"] = where.story if where else None
            sys.stdout.write(json_text(out) + "\n")
        return
    table = Table(title=f"{total} articles in {db}", expand=False)
    for col in ("id", "published", "outlet", "title", "story", "ent", "quo", "evt", "flag"):
        table.add_column(col, no_wrap=col != "title", overflow="ellipsis")
    for row in rows:
        c = row.counts
        title = row.title or (row.origin or "")
        where = placed.get(row.id)
        if where is None:
            story = "-"
        elif where.duplicate_of:
            story = f"copy of {where.duplicate_of[:8]}"
        else:
            story = where.story or "-"
        table.add_row(
            row.id[:12],
            row.published or "-",
            row.outlet or "-",
            title,
            story,
            str(c.get("entities", 0)),
            str(c.get("quotes", 0)),
            str(c.get("events", 0)),
            str(c.get("flags", 0)),
        )
    Console(highlight=False).print(table)


SinceOpt = Annotated[str | None, typer.Option("--since", help="Only rows on or after this day.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Only rows on or before this day.")]
RowsOpt = Annotated[int, typer.Option("--limit", "-n", min=1, help="Rows to show.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]
CopiesOpt = Annotated[
    bool,
    typer.Option(
        "--with-copies",
        help="Also list rows of articles that copy another (by default a wire story "
        "carried by several outlets counts once).",
    ),
]


def _stored_rows(
    db: Path,
    since: str | None,
    until: str | None,
    fetch: Callable[[Store, dt.date | None, dt.date | None], list[RowT]],
) -> list[RowT]:
    """Rows read from the store at ``db`` between two days; E013 or E010 as one line."""
    from .store import Store

    if not db.exists():
        _fail(NewsgraphError("E013", where=str(db), reason="the file does not exist"))
    since, until = _date_option(since), _date_option(until)
    first = dt.date.fromisoformat(since) if since else None
    last = dt.date.fromisoformat(until) if until else None
    try:
        with Store.open(db, read_only=True) as store:
            return fetch(store, first, last)
    except NewsgraphError as exc:
        _fail(exc)


def _json_lines(rows: Iterable[Any]) -> None:
    for row in rows:
        sys.stdout.write(json_text(row.to_dict()) + "\n")


@app.command()
def timeline(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to read.")],
    since: SinceOpt = None,
    until: UntilOpt = None,
    contains: Annotated[
        str | None, typer.Option("--contains", help="Only statements holding these words.")
    ] = None,
    limit: RowsOpt = 100,
    as_json: JsonOpt = False,
) -> None:
    """List the dated statements of the stored articles in time order."""
    rows = _stored_rows(
        db,
        since,
        until,
        lambda store, first, last: store.timeline(
            since=first, until=last, contains=contains, limit=limit
        ),
    )
    if as_json:
        _json_lines(rows)
        return
    table = Table(title=f"{len(rows)} dated statements in {db}", expand=False)
    for col in ("when", "statement", "article", "published"):
        table.add_column(col, no_wrap=col != "statement", overflow="fold")
    from .render._common import when

    for row in rows:
        shown = when(row.relation, row.value, row.timex)
        table.add_row(shown, row.label, row.article_id[:12], row.published or "-")
    Console(highlight=False).print(table)


#: ``--near LAT,LON``: two decimal numbers and a comma.
_DECIMAL = r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))"
_POINT: Final = re.compile(rf"\s*{_DECIMAL}\s*,\s*{_DECIMAL}\s*")


def _near_option(value: str) -> tuple[tuple[float, float], str]:
    """``--near``: ``(lat, lon)`` and how to name it, from ``LAT,LON`` or a place name
    (the gazetteer's most populous place of that name). E021 (exit 2) for a point off
    the map or a name the gazetteer does not know."""
    if match := _POINT.fullmatch(value):
        lat, lon = float(match[1]), float(match[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            _usage_error(
                NewsgraphError(
                    "E021",
                    value=value,
                    what="a point on the map",
                    expected="LAT,LON with a latitude from -90 to 90 and a longitude from "
                    "-180 to 180",
                )
            )
        return (lat, lon), f"{lat:g},{lon:g}"
    from .geo.gazetteer import get_gazetteer

    found = get_gazetteer().lookup(value) if value.strip() else []
    if not found:
        _usage_error(
            NewsgraphError(
                "E021",
                value=value,
                what="a place the gazetteer knows",
                expected="a place name (Kyiv, Palmyra) or LAT,LON (50.45,30.52)",
            )
        )
    best = found[0]
    label = f"{best.name}, {best.country}" if best.country else best.name
    return (best.lat, best.lon), f"{label} ({best.lat:.4f},{best.lon:.4f})"


def _usage_error(exc: NewsgraphError) -> NoReturn:
    _report_error(exc)
    raise typer.Exit(EXIT_USAGE)


@app.command()
def events(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to read.")],
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="Only events with this actor code (prefix) on either side."),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only events whose source code starts so.")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Only events whose target code starts so.")
    ] = None,
    type_: Annotated[
        str | None, typer.Option("--type", help="Only events of this PLOVER type (SANCTION).")
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: RowsOpt = 100,
    as_json: JsonOpt = False,
    with_copies: CopiesOpt = False,
    near: Annotated[
        str | None,
        typer.Option(
            "--near",
            metavar="PLACE",
            help="Only events whose place lies near this point: LAT,LON (34.55,38.27) or a "
            "place name (Palmyra; the most populous place of that name). Events with no "
            "known place are left out.",
        ),
    ] = None,
    within: Annotated[
        float,
        typer.Option("--within", metavar="KM", min=0, help="The distance for --near, in km."),
    ] = 50.0,
) -> None:
    """List the stored events (who did what to whom) in time order."""
    if near is not None and not db.exists():  # before the gazetteer is opened
        _fail(NewsgraphError("E013", where=str(db), reason="the file does not exist"))
    point, where = _near_option(near) if near is not None else (None, "")
    rows = _stored_rows(
        db,
        since,
        until,
        lambda store, first, last: store.events(
            actor=actor,
            source=source,
            target=target,
            type=type_,
            since=first,
            until=last,
            limit=limit,
            copies=with_copies,
            near=point,
            within_km=within,
        ),
    )
    if as_json:
        _json_lines(rows)
        return
    around = f" within {within:g} km of {where}" if point is not None else ""
    table = Table(title=f"{len(rows)} events{around} in {db}", expand=False)
    if any(row.dated_by == "published" for row in rows):
        table.caption = "* the article's publication day (the event gives no date)"
    columns = ["date", "type", "source → target", "trigger", "article"]
    if point is not None:
        columns.insert(3, "place")
    for col in columns:
        wrap = col in ("source → target", "trigger", "place")
        table.add_column(col, no_wrap=not wrap, overflow="fold", min_width=8 if wrap else None)
    for row in rows:
        if row.dated_by == "event":
            when = row.date or "-"
        else:
            when = f"{row.published}*" if row.published else "-"
        kind = f"{row.type}({row.mode})" if row.mode else row.type
        if row.negated:
            kind += " negated"
        if row.hypothetical:
            kind += " hypothetical"
        src = row.source_code or row.source_name or "?"
        who = f"{src} → {row.target_code or row.target_name or '-'}"
        cells = [when, kind, who, row.trigger, row.article_id[:12]]
        if point is not None:
            km = row.distance_km or 0.0
            cells.insert(3, f"{row.location_name or '?'} ({km:.{0 if km >= 10 else 1}f} km)")
        table.add_row(*cells)
    Console(highlight=False).print(table)


@app.command()
def claims(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to read.")],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="Only claims of this kind: numeric, causal, prediction, evaluative, factual "
            "(or a comma list).",
        ),
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min", metavar="SCORE", help="Only claims at least this check-worthy (0-1)."
        ),
    ] = None,
    contains: Annotated[
        str | None, typer.Option("--contains", help="Only claims holding these words.")
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: RowsOpt = 100,
    as_json: JsonOpt = False,
    with_copies: CopiesOpt = False,
) -> None:
    """List the stored claims, most check-worthy first (--since/--until: publication days),
    each with the claims of other outlets that corroborate or contradict it."""
    rows = _stored_rows(
        db,
        since,
        until,
        lambda store, first, last: store.claims(
            kind=kind,
            min_score=min_score,
            contains=contains,
            since=first,
            until=last,
            limit=limit,
            copies=with_copies,
        ),
    )
    links = _claim_links(db, [(row.article_id, row.claim_id) for row in rows])
    if as_json:
        for row in rows:
            out = row.to_dict()
            out.update(links.get((row.article_id, row.claim_id), _NO_LINKS))
            sys.stdout.write(json_text(out) + "\n")
        return
    from .render._common import squash

    table = Table(title=f"{len(rows)} claims in {db}", expand=False)
    table.add_column("score", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("claim", overflow="fold")
    table.add_column("speaker", overflow="fold", max_width=20)
    table.add_column("others", overflow="fold", max_width=14)
    table.add_column("article", no_wrap=True)
    for row in rows:
        score = row.checkworthiness
        style = "bold" if score >= 0.7 else ("" if score >= 0.4 else "dim")
        if row.quote is None:
            speaker = Text("-", style="dim")
        else:
            speaker = Text(row.speaker_name or row.speaker or f"(quote {row.quote})")
        found = links.get((row.article_id, row.claim_id), _NO_LINKS)
        table.add_row(
            Text(f"{score:.2f}", style=style),
            row.kind,
            squash(row.text),
            speaker,
            _link_cell(found),
            row.article_id[:12],
        )
    Console(highlight=False).print(table)


_NO_LINKS: dict[str, list[Any]] = {"corroborated_by": [], "contradicted_by": [], "copied_in": []}


def _claim_links(db: Path, items: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Each claim's corroborating and contradicting claims in other articles."""
    from .corpus import claim_links
    from .store import Store

    try:
        with Store.open(db, read_only=True) as store:
            return claim_links(store, items)
    except NewsgraphError as exc:
        _fail(exc)


def _link_cell(found: dict[str, Any]) -> Text:
    """``+2 -1``: corroborated by two outlets' claims, contradicted by one."""
    plus, minus = len(found["corroborated_by"]), len(found["contradicted_by"])
    if not plus and not minus:
        return Text("-", style="dim")
    out = Text()
    if plus:
        out.append(f"+{plus}", style="green")
    if minus:
        out.append((" " if plus else "") + f"-{minus}", style="bold red")
    return out


def _link_line(sign: str, link: dict[str, Any]) -> str:
    from .render._common import squash

    who = link["outlet"] or link["article_id"][:8]
    return f"      {sign} {who}: {squash(link['text'])}  ({link['why']})"


def _corpus_line(done: Any) -> str:
    return (
        f"corpus: {done.placed} placed, {done.duplicates} duplicates, "
        f"{done.stories} new stories, {done.joined} joined a story, {done.links} links"
    )


def _read_store(db: Path) -> Store:
    from .store import Store

    if not db.exists():
        _fail(NewsgraphError("E013", where=str(db), reason="the file does not exist"))
    try:
        return Store.open(db, read_only=True)
    except NewsgraphError as exc:
        _fail(exc)


@app.command()
def stories(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to read.")],
    contains: Annotated[
        str | None, typer.Option("--contains", help="Only stories whose title holds these words.")
    ] = None,
    min_articles: Annotated[
        int, typer.Option("--min-articles", min=1, help="Only stories with this many articles.")
    ] = 1,
    limit: RowsOpt = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Rows to skip.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """List the stories of the corpus, the latest first: articles grouped as they
    arrived, copies of one article folded into it."""
    from .corpus import list_stories, unplaced

    with _read_store(db) as store:
        try:
            rows = list_stories(
                store, limit=limit, offset=offset, min_articles=min_articles, contains=contains
            )
            waiting = unplaced(store)
        except NewsgraphError as exc:
            _fail(exc)
    if as_json:
        _json_lines(rows)
        return
    table = Table(title=f"{len(rows)} stories in {db}", expand=False)
    for col in ("story", "days", "articles", "copies", "outlets", "+", "-", "title"):
        table.add_column(col, no_wrap=col != "title", overflow="fold")
    for row in rows:
        days = row.first_day or "-"
        if row.last_day and row.last_day != row.first_day:
            days += f" .. {row.last_day}"
        table.add_row(
            row.id,
            days,
            str(row.articles),
            str(row.copies),
            str(row.outlets),
            str(row.corroborations),
            Text(str(row.contradictions), style="bold red" if row.contradictions else ""),
            row.title,
        )
    Console(highlight=False).print(table)
    if waiting:
        err_console.print(
            f"{waiting} stored articles are not placed yet: run `newsgraph relink --db {db}`",
            style="yellow",
        )


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="A story id (or its start).")],
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to read.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="The whole story as one JSON object.")
    ] = False,
) -> None:
    """One story: its articles by outlet, its actors, its timeline merged from its
    articles, and its claims with who corroborates or contradicts them."""
    from .corpus import get_story
    from .render._common import squash

    with _read_store(db) as store:
        try:
            found = get_story(store, story_id)
        except NewsgraphError as exc:
            _fail(exc)
    if found is None:
        _fail(NewsgraphError("E039", story=story_id))
    if as_json:
        sys.stdout.write(json_text(found.to_dict()) + "\n")
        return
    out = Console(highlight=False)
    days = found.first_day or "-"
    if found.last_day and found.last_day != found.first_day:
        days += f" .. {found.last_day}"
    out.print(Text(found.title, style="bold"))
    out.print(
        f"{found.id}  {days}  {len(found.articles)} articles from {len(found.by_outlet)} outlets"
    )
    out.print()
    out.print(Text("Articles by outlet", style="bold"))
    titles = {a.id: a for a in found.articles}
    for outlet, ids in sorted(found.by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        for aid in ids:
            a = titles[aid]
            copy = f"  (copy of {a.duplicate_of[:8]})" if a.duplicate_of else ""
            out.print(f"  {outlet:<22} {a.published or '-':<10} {aid[:8]}  {a.title or ''}{copy}")
    if found.actors:
        out.print()
        out.print(Text("Actors", style="bold"))
        out.print("  " + ", ".join(f"{x.name} ({x.articles})" for x in found.actors[:15]))
    if found.timeline:
        out.print()
        out.print(Text("Timeline", style="bold"))
        for entry in found.timeline[:40]:
            when = (
                entry.start
                if not entry.end or entry.end == entry.start
                else f"{entry.start}..{entry.end}"
            )
            who = ", ".join(sorted({s["outlet"] or s["article_id"][:8] for s in entry.sources}))
            out.print(f"  {when:<23} {squash(entry.label)}  [{who}]")
    linked = [c for c in found.claims if c.status != "alone"]
    if linked:
        out.print()
        out.print(Text("Claims across outlets", style="bold"))
        for c in linked:
            style = {"contradicted": "bold red", "disputed": "bold yellow"}.get(c.status, "green")
            out.print(
                Text(f"  [{c.status}] ", style=style)
                + Text(f"{c.outlet or c.article_id[:8]}: {squash(c.text)}")
            )
            for x in c.corroborated_by:
                out.print(Text(_link_line("+", x), style="green"))
            for x in c.contradicted_by:
                out.print(Text(_link_line("-", x), style="red"))
    if found.quotes:
        out.print()
        out.print(Text("Quotes carried by several outlets", style="bold"))
        for q in found.quotes:
            carriers = ", ".join(
                (c["outlet"] or c["article_id"][:8]) + (" (copy)" if c["copy"] else "")
                for c in q.carriers
            )
            out.print(f"  {q.speaker or '?'}: \u201c{squash(q.text)}\u201d  [{carriers}]")


@app.command()
def actor(
    name: Annotated[
        str, typer.Argument(metavar="NAME_OR_QID", help="Q43, Erdogan, Tom Barrack ...")
    ],
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to read.")],
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only these items: event, quote, claim (or a comma list)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Rows to show.")] = 200,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Rows to skip.")] = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help="The timeline as one JSON object.")
    ] = False,
    kb_dir: KbDirOpt = None,
) -> None:
    """An actor's timeline across the corpus: every dated event, quote and claim of a
    KB entity (by QID, name or any alias), in time order, with outlet and story."""
    from .corpus import actor_timeline
    from .render._common import squash

    kinds: tuple[str, ...] = ("event", "quote", "claim")
    if kind:
        asked = tuple(k.strip().lower() for k in kind.split(",") if k.strip())
        bad = [k for k in asked if k not in kinds]
        if bad:
            _report_error(
                NewsgraphError(
                    "E021", value=bad[0], what="an item kind", expected="event, quote or claim"
                )
            )
            raise typer.Exit(EXIT_USAGE)
        kinds = asked
    kb = _load_kb(kb_dir)
    with _read_store(db) as store:
        try:
            found = actor_timeline(store, name, kb=kb, limit=limit, offset=offset, kinds=kinds)
        except NewsgraphError as exc:
            _fail(exc)
    if as_json:
        sys.stdout.write(json_text(found.to_dict()) + "\n")
        return
    table = Table(
        title=f"{found.name} ({found.kb_id or 'not in the KB'}): items {found.offset + 1}-"
        f"{found.offset + len(found.items)} of {found.total}",
        expand=False,
    )
    for col in ("when", "what", "role", "text", "outlet", "story"):
        table.add_column(col, no_wrap=col in ("when", "role"), overflow="fold")
    for item in found.items:
        day = item.start or "-"
        if item.end and item.end != item.start:
            day += f"..{item.end}"
        when = Text(day + "*", style="dim") if item.dated_by == "published" else Text(day)
        what = item.kind + (f" {item.type}" if item.type else "")
        role = item.role + (f" ({item.other})" if item.other else "")
        copies = f" +{item.copies} copies" if item.copies else ""
        table.add_row(
            when, what, role, squash(item.text), (item.outlet or "-") + copies, item.story or "-"
        )
    Console(highlight=False).print(table)
    err_console.print("* dated by the article's publication day", style="dim")


@app.command()
def relink(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to update.")],
    rebuild: Annotated[
        bool,
        typer.Option("--rebuild", help="Forget every placement and place all articles again."),
    ] = False,
) -> None:
    """Place stored articles in the corpus (duplicates, stories, links): those not yet
    placed, or with --rebuild all of them again, in ingest order."""
    from .corpus import rebuild_corpus, update_corpus
    from .store import Store

    if not db.exists():
        _fail(NewsgraphError("E013", where=str(db), reason="the file does not exist"))
    try:
        with Store.open(db) as store:
            done = rebuild_corpus(store) if rebuild else update_corpus(store)
    except NewsgraphError as exc:
        _fail(exc)
    err_console.print(_corpus_line(done))


def _flag_summary(counts: dict[str, dict[str, int]], most: int = 8) -> str:
    """``7 flags: 1 error, 4 warning, 2 info`` and, on a second line, ``by code:
    DATE_CONTRADICTION 1, ANONYMOUS_SOURCE 4, ...`` (the most severe codes first, at
    most ``most`` of them)."""
    by_severity: dict[str, int] = {}
    for per_code in counts.values():
        for severity, n in per_code.items():
            by_severity[severity] = by_severity.get(severity, 0) + n
    from .store.duckdb_store import SEVERITIES

    order = [*reversed(SEVERITIES), *sorted(set(by_severity) - set(SEVERITIES))]
    levels = ", ".join(f"{by_severity[s]} {s}" for s in order if s in by_severity)
    codes = [f"{code} {sum(per.values())}" for code, per in list(counts.items())[:most]]
    if len(counts) > most:
        codes.append(f"+{len(counts) - most} more codes")
    total = sum(by_severity.values())
    return f"{total} flags: {levels}\nby code: {', '.join(codes)}" if total else "no flags"


@app.command()
def flags(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to read.")],
    severity: Annotated[
        str | None,
        typer.Option(
            "--severity",
            metavar="LEVEL",
            help="Only flags at or above this level: info, warning, error.",
        ),
    ] = None,
    code: Annotated[
        str | None,
        typer.Option("--code", help="Only flags with this code (or a comma list)."),
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: RowsOpt = 100,
    as_json: JsonOpt = False,
    with_copies: CopiesOpt = False,
) -> None:
    """List the stored flags, most severe first, then the newest article first
    (--since/--until: publication days)."""
    summary: dict[str, dict[str, int]] = {}

    def fetch(store: Store, first: dt.date | None, last: dt.date | None) -> list[FlagRow]:
        found = store.flags(
            severity=severity,
            code=code,
            since=first,
            until=last,
            limit=limit,
            copies=with_copies,
        )
        if not as_json:
            summary.update(
                store.flag_counts(
                    severity=severity, code=code, since=first, until=last, copies=with_copies
                )
            )
        return found

    rows = _stored_rows(db, since, until, fetch)
    if as_json:
        _json_lines(rows)
        return
    from .render.text import SEVERITY_STYLES

    table = Table(title=f"{len(rows)} flags in {db}", expand=False)
    for col in ("severity", "code", "message", "article"):
        wrap = col == "message"
        table.add_column(col, no_wrap=not wrap, overflow="fold", min_width=12 if wrap else None)
    for row in rows:
        table.add_row(
            Text(row.severity, style=SEVERITY_STYLES.get(row.severity, "bold")),
            row.code,
            row.message,
            row.article_id[:12],
        )
    console = Console(highlight=False)
    console.print(table)
    console.print(Text(_flag_summary(summary)))


def _export_usage(reason: str) -> NoReturn:
    _report_error(NewsgraphError("E040", reason=reason))
    raise typer.Exit(EXIT_USAGE)


def _check_out(out: Path) -> None:
    """E018 for an ``--out`` that is a folder or lies under a file."""
    if out.is_dir():
        raise NewsgraphError("E018", where=str(out), reason="it is a folder")
    above = next((p for p in out.parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise NewsgraphError("E018", where=str(out), reason=f"{above} is a file, not a folder")


def _write_events(records: Iterable[dict[str, Any]], fmt: str, out: Path | None) -> int:
    """Write event records to ``out`` (through ``.NAME.part``, renamed when complete) or
    to stdout, as UTF-8; return how many. E018 when ``out`` cannot be written."""
    from .store.events_export import write_csv, write_jsonl

    write = write_jsonl if fmt == "polecat" else write_csv
    if out is None:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # pragma: no cover - stdout replaced by a text-only stream
            return write(records, sys.stdout)
        sys.stdout.flush()
        stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
        try:
            n = write(records, stream)
            stream.flush()
        finally:
            stream.detach()
        return n
    _check_out(out)
    part = out.with_name(f".{out.name}.part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle = part.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise NewsgraphError("E018", where=str(out), reason=exc.strerror or str(exc)) from None
    try:
        with handle:
            n = write(records, handle)
        os.replace(part, out)
    except OSError as exc:
        raise NewsgraphError("E018", where=str(out), reason=exc.strerror or str(exc)) from None
    finally:
        part.unlink(missing_ok=True)
    return n


@app.command()
def export(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to read.")],
    parquet: Annotated[
        Path | None,
        typer.Option(
            "--parquet",
            metavar="DIR",
            help="Folder to write one Parquet file per table into, and events_coded.parquet "
            "(every event with its actors' names and codes and its resolved date).",
        ),
    ] = None,
    events: Annotated[
        str | None,
        typer.Option(
            "--events",
            metavar="FORMAT",
            help="Export the events, one record each: 'polecat' (POLECAT-style JSON Lines) "
            "or 'csv' (flat, with a header row). See docs/events.md, 'Exports'.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="PATH", help="File for --events (default: standard output)."
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--actor", help="--events: only events with this actor code (prefix)."),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="--events: only this source code (prefix).")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="--events: only this target code (prefix).")
    ] = None,
    type_: Annotated[
        str | None, typer.Option("--type", help="--events: only this PLOVER type (SANCTION).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="--events: only events on or after this day."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="--events: only events on or before this day."),
    ] = None,
    with_copies: Annotated[
        bool,
        typer.Option(
            "--with-copies",
            help="--events: also export the events of articles that copy another (by "
            "default each event of a wire story is exported once).",
        ),
    ] = False,
) -> None:
    """Export the store: every table as Parquet (--parquet DIR), the events as
    POLECAT-style JSON Lines or CSV (--events FORMAT [--out PATH]), or both."""
    from .store import Store
    from .store.events_export import FORMATS

    if events is None:
        chosen = [
            name
            for name, value in (
                ("--out", out),
                ("--actor", actor),
                ("--source", source),
                ("--target", target),
                ("--type", type_),
                ("--since", since),
                ("--until", until),
                ("--with-copies", with_copies or None),
            )
            if value is not None
        ]
        if chosen:
            verb = "applies" if len(chosen) == 1 else "apply"
            _export_usage(f"{', '.join(chosen)} {verb} only to --events, which is not given")
        if parquet is None:
            _export_usage("nothing to export")
    fmt = events.strip().lower() if events is not None else None
    if fmt is not None and fmt not in FORMATS:
        expected = " or ".join(FORMATS)
        _report_error(
            NewsgraphError("E021", value=events, what="an event export format", expected=expected)
        )
        raise typer.Exit(EXIT_USAGE)
    first_s, last_s = _date_option(since), _date_option(until)
    first = dt.date.fromisoformat(first_s) if first_s else None
    last = dt.date.fromisoformat(last_s) if last_s else None
    if not db.exists():
        _fail(NewsgraphError("E013", where=str(db), reason="the file does not exist"))
    try:
        if out is not None:
            _check_out(out)  # before any work
        with Store.open(db, read_only=True) as store:
            if parquet is not None:
                for p in store.export_parquet(parquet):
                    err_console.print(f"wrote {p}")
            if fmt is not None:
                records = store.coded_events(
                    actor=actor,
                    source=source,
                    target=target,
                    type=type_,
                    since=first,
                    until=last,
                    copies=with_copies,
                )
                n = _write_events(records, fmt, out)
                if out is not None:
                    err_console.print(f"wrote {n} events to {out}")
    except NewsgraphError as exc:
        _fail(exc)


@app.command()
def recheck(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file whose reports to check again.")],
    kb_dir: Annotated[
        Path | None,
        typer.Option(
            "--kb", help="Knowledge-base directory (default: $NEWSGRAPH_KB or the packaged one)."
        ),
    ] = None,
) -> None:
    """Run the checks against the knowledge base (office anachronism) again on every
    stored report, and store the flags they make now: after `kb refresh`, the titles that
    have become anachronisms are flagged and those that no longer are lose their flag.
    The text is not analysed again."""
    from .checks import REPORT_ORIGINS
    from .checks import recheck as recheck_report
    from .store import Store

    if not db.exists():
        _fail(NewsgraphError("E013", where=str(db), reason="the file does not exist"))
    kb = _load_kb(kb_dir)
    counts = {"reports": 0, "changed": 0, "added": 0, "removed": 0, "old": 0}
    try:
        with Store.open(db) as store:
            pending: list[Report] = []
            for report in store.iter_reports():
                counts["reports"] += 1
                flags = recheck_report(report, kb)
                if flags is None:
                    counts["old"] += 1
                    continue
                before = [f.to_dict() for f in report.flags if f.origin in REPORT_ORIGINS]
                after = [f.to_dict() for f in flags if f.origin in REPORT_ORIGINS]
                if before == after:
                    continue
                counts["changed"] += 1
                counts["added"] += sum(1 for f in after if f not in before)
                counts["removed"] += sum(1 for f in before if f not in after)
                report.flags = flags
                pending.append(report)
                title = report.article.title or ""
                err_console.print(
                    Text(
                        f"{report.article.id[:12]}  {len(before)} -> {len(after)} "
                        f"knowledge-base flags  {title[:60]}"
                    )
                )
                if len(pending) >= 200:
                    store.replace_flags(pending)
                    pending.clear()
            if pending:
                store.replace_flags(pending)
    except NewsgraphError as exc:
        _fail(exc)
    err_console.print(
        f"rechecked {counts['reports']} reports against the knowledge base: "
        f"{counts['added']} flags added and {counts['removed']} removed in "
        f"{counts['changed']} reports -> {db}"
    )
    if counts["old"]:
        err_console.print(
            f"{counts['old']} reports were made by an older newsgraph that did not keep the "
            "titles of people's names; analyse them again to check them",
            style="yellow",
        )


kb_app = typer.Typer(
    help="Query and refresh the offline knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(kb_app, name="kb")

KbDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--kb", help="Knowledge-base directory (default: $NEWSGRAPH_KB or the packaged one)."
    ),
]


def _load_kb(kb_dir: Path | None) -> KnowledgeBase:
    from .kb import KBError, get_kb

    try:
        return get_kb(str(kb_dir) if kb_dir else None)
    except KBError as exc:
        _fail(NewsgraphError("E020", where=str(kb_dir or "the package"), reason=str(exc)))


def _term_line(kb: KnowledgeBase, term: Term) -> str:
    owner = kb.owner(term.country)
    where = owner.name if owner else term.country
    if term.host:
        host = kb.owner(term.host)
        where += f" to {host.name if host else term.host}"
    span = f"{term.start or '?'} – {term.end or 'now'}"
    return f"{term.title} ({where}, {term.kind.replace('_', ' ')}) {span}"


def _office_from_phrase(kb: KnowledgeBase, phrase: str) -> str | None:
    """ "Turkish president", "Russia's foreign minister" -> an office id the KB knows."""
    from .text.titles import office_titles

    words = phrase.replace("’s", " ").replace("'s", " ").split()
    for i in range(1, len(words)):
        owner, title = " ".join(words[:i]), " ".join(words[i:]).lower()
        kind = office_titles().get(title)
        if kind is None:
            continue
        for e in kb.lookup(owner):
            code = e.attrs.get("iso3") or e.attrs.get("code")
            if e.type in ("COUNTRY", "IGO") and f"{code}.{kind}" in kb.terms_by_office:
                return f"{code}.{kind}"
    return None


@kb_app.command("lookup")
def kb_lookup(
    name: Annotated[
        str, typer.Argument(help="A name, alias, demonym or office id (TUR.head_of_state).")
    ],
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="YYYY-MM-DD", help="Roles and holders on this date."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    kb_dir: KbDirOpt = None,
) -> None:
    """Print what the knowledge base knows about NAME (with roles on a date)."""
    day = _date_option(on)
    kb = _load_kb(kb_dir)
    console = Console(highlight=False)
    if name in kb.terms_by_office:
        holder = kb.holder(name, day)
        person = kb.get(holder.person_id) if holder else None
        if as_json:
            out = {
                "office": name,
                "on": day,
                "holder": person.name if person else None,
                "kb_id": person.kb_id if person else None,
                "term": [holder.start, holder.end] if holder else None,
            }
            sys.stdout.write(json_text(out) + "\n")
        elif holder and person:
            console.print(
                Text(
                    f"{name} on {day or 'the latest date known'}: {person.name} "
                    f"({person.kb_id}), {_term_line(kb, holder)}"
                )
            )
        else:
            console.print(Text(f"{name}: no holder known on {day or 'the latest date known'}"))
        return
    found = kb.lookup(name)
    if not found and (office := _office_from_phrase(kb, name)) is not None:
        kb_lookup(office, on, as_json, kb_dir)  # "Turkish president" -> TUR.head_of_state
        return
    if not found:
        err_console.print(Text(f"nothing known as '{name}'"), style="yellow")
        raise typer.Exit(EXIT_FAIL)
    records: list[dict[str, Any]] = []
    for e in found:
        roles = kb.roles(e, on=day) if e.type == "PERSON" else []
        rec: dict[str, Any] = {
            "id": e.id,
            "kb_id": e.kb_id,
            "name": e.name,
            "type": e.type,
            "aliases": list(e.aliases),
            "attrs": {k: (list(v) if isinstance(v, tuple) else v) for k, v in e.attrs.items()},
            "roles": [_term_line(kb, t) for t in roles],
        }
        if e.type == "COUNTRY":
            rec["member_of"] = kb.member_of(str(e.attrs["iso3"]), day)
            rec["leaders"] = {
                office: kb.get(t.person_id).name  # type: ignore[union-attr]
                for office in (
                    f"{e.attrs['iso3']}.head_of_state",
                    f"{e.attrs['iso3']}.head_of_government",
                )
                if (t := kb.holder(office, day)) is not None and kb.get(t.person_id) is not None
            }
        if e.type == "IGO":
            rec["members"] = kb.members(str(e.attrs["code"]), day)
        records.append(rec)
    if as_json:
        for rec in records:
            sys.stdout.write(json_text(rec) + "\n")
        return
    for rec in records:
        console.rule(Text(f"{rec['name']} · {rec['type']} · {rec['kb_id']}"))
        aliases = [a for a in rec["aliases"] if a != rec["name"]]
        if aliases:
            console.print(Text("aliases: " + ", ".join(aliases[:12])))
        for key, value in rec["attrs"].items():
            if value not in (None, "", [], ()):
                shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
                console.print(Text(f"{key}: {shown}"))
        if rec["type"] == "PERSON":
            label = f"roles on {day}" if day else "roles"
            console.print(Text(f"{label}: " + ("; ".join(rec["roles"]) or "none known")))
        if rec.get("leaders"):
            console.print(
                Text(
                    "leaders: "
                    + "; ".join(
                        f"{k.split('.')[1].replace('_', ' ')}: {v}"
                        for k, v in rec["leaders"].items()
                    )
                )
            )
        if rec.get("member_of"):
            console.print(Text("member of: " + ", ".join(rec["member_of"])))
        if rec.get("members"):
            console.print(Text(f"members ({len(rec['members'])}): " + ", ".join(rec["members"])))


@kb_app.command("stats")
def kb_stats(kb_dir: KbDirOpt = None) -> None:
    """Count what the knowledge base holds, and the as-of date of each table."""
    kb = _load_kb(kb_dir)
    table = Table(title="knowledge base")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, n in sorted(kb.counts().items()):
        table.add_row(key, str(n))
    Console(highlight=False).print(table)
    dates = Table(title="tables")
    dates.add_column("table")
    dates.add_column("as of")
    for name, as_of in sorted(kb.as_of.items()):
        dates.add_row(name, as_of)
    Console(highlight=False).print(dates)


gazetteer_app = typer.Typer(
    help="The offline gazetteer that places every place (GeoNames, built once into the cache).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build() -> None:
    """Build the gazetteer index now (analyze builds it on first use otherwise)."""
    from .geo.gazetteer import build, index_path

    path = index_path()
    started = time.perf_counter()
    try:
        if not path.exists():
            build(path)
    except OSError as exc:
        _fail(NewsgraphError("E013", where=str(path), reason=str(exc)))
    took = time.perf_counter() - started
    size = path.stat().st_size / 1e6
    sys.stdout.write(f"{path} ({size:.0f} MB, {took:.1f} s)\n")


@gazetteer_app.command("lookup")
def gazetteer_lookup(
    name: Annotated[
        str, typer.Argument(help="A place name or alternate name (Kiev, La., Donbas).")
    ],
    limit: RowsOpt = 10,
    as_json: JsonOpt = False,
) -> None:
    """Print the places NAME may mean, most populous first."""
    from .geo.gazetteer import get_gazetteer

    found = get_gazetteer().lookup(name)[:limit]
    if as_json:
        for p in found:
            row = {"name": p.name, **p.geo(), "population": p.population, "kb_id": p.kb_id}
            sys.stdout.write(json_text(row) + "\n")
        return
    table = Table(title=f"{len(found)} places named {name!r}", expand=False)
    for col in ("name", "feature", "country", "population", "lat, lon", "GeoNames id", "KB id"):
        table.add_column(col)
    for p in found:
        table.add_row(
            p.name,
            p.feature,
            p.country or "-",
            f"{p.population:,}",
            f"{p.lat:.4f}, {p.lon:.4f}",
            str(p.geonames_id or "-"),
            p.kb_id or "-",
        )
    Console(highlight=False).print(table)


@gazetteer_app.command("stats")
def gazetteer_stats() -> None:
    """Count the places the gazetteer holds by feature, and where its index is."""
    from .geo.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    table = Table(title=f"gazetteer {gaz.path}")
    table.add_column("feature")
    table.add_column("places", justify="right")
    for feature, n in sorted(gaz.count().items()):
        table.add_row(feature, f"{n:,}")
    Console(highlight=False).print(table)


@kb_app.command("refresh")
def kb_refresh(
    out: Annotated[Path, typer.Option("--out", help="Directory to write the refreshed KB into.")],
    endpoint: Annotated[str, typer.Option("--endpoint", help="SPARQL endpoint.")] = "",
    since: Annotated[str, typer.Option("--since", metavar="YYYY-MM-DD")] = "2000-01-01",
    kb_dir: KbDirOpt = None,
) -> None:
    """Rebuild office holders and memberships from Wikidata (needs the network).

    The packaged KB is copied to OUT with those tables replaced; use it with
    --kb OUT or NEWSGRAPH_KB=OUT."""
    from .kb.refresh import ENDPOINT, http_fetch, refresh

    try:
        counts = refresh(
            out,
            fetch=http_fetch(endpoint or ENDPOINT),
            since=parse_date(since),
            base=kb_dir,
        )
    except NewsgraphError as exc:
        _fail(exc)
    err_console.print(
        f"wrote {out}: {counts['office_terms']} office terms, {counts['memberships']} memberships"
    )


@app.command()
def serve(
    db: Annotated[
        Path, typer.Option("--db", help="DuckDB file to serve (created empty when missing).")
    ],
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; beyond loopback a token is required.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")
    ] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="NEWSGRAPH_TOKEN",
            show_envvar=True,
            help="Token every write must send (Authorization: Bearer TOKEN, or the form's "
            "token field); reads stay open.",
        ),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            metavar="NAME",
            help="A host name the server answers to besides localhost and 127.0.0.1 (and "
            "--host when it is not 0.0.0.0 or ::); repeat for more. Other Host headers "
            "are refused (E034).",
        ),
    ] = None,
    allow_private: AllowPrivateOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Serve the REST API (/api, documented at /docs) and the pages over a DuckDB store.

    Analyses run in worker processes (the options analysis_workers, analysis_timeout and
    max_pending_analyses); writes from other sites' pages are refused.
    """
    from .web.app import allowed_hosts_for, create_app, is_loopback

    token = (token or "").strip() or None
    try:
        if token is None and not is_loopback(host):
            raise NewsgraphError("E028", host=host)
        opts = _options(config, allow_private)
        hosts = allowed_hosts_for(host, allowed_host or ())
        web_app = create_app(db, options=opts, token=token, allowed_hosts=hosts)
    except NewsgraphError as exc:
        _fail(exc)
    import uvicorn

    err_console.print(f"serving {db} on http://{host}:{port} (API docs at /docs)")
    # In-flight requests get a few seconds to finish on Ctrl-C / SIGTERM; then the
    # analysis workers are stopped with the app.
    uvicorn.run(web_app, host=host, port=port, log_level="info", timeout_graceful_shutdown=5)


def _byte_size(value: str) -> int:
    """``64MB``, ``512k``, ``1G`` or a number of bytes; a usage error otherwise."""
    text = value.strip().lower().removesuffix("b")
    scale = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}.get(text[-1:], 1)
    try:
        size = int(float(text.rstrip("kmg")) * scale)
    except ValueError:
        size = 0
    if size <= 0:
        raise typer.BadParameter(f"{value!r} is not a size (say 64MB, 512KB or 1GB)")
    return size


def _conf_pairs(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip():
            raise typer.BadParameter(f"{pair!r} is not KEY=VALUE")
        out[key.strip()] = value
    return out


@app.command()
def spark(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="WARC/WARC.gz or JSONL files, folders of them, or Hadoop URLs "
            "(hdfs://, s3a://, file://; globs allowed).",
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the Parquet tables (created; resumable).")
    ],
    master: Annotated[
        str | None,
        typer.Option("--master", help="Spark master (default: spark-submit's, else local[*])."),
    ] = None,
    published: PublishedOpt = None,
    split_size: Annotated[
        str,
        typer.Option(
            "--split-size", help="Split local JSONL files larger than this into tasks of it."
        ),
    ] = "64MB",
    conf: Annotated[
        list[str] | None,
        typer.Option("--conf", metavar="KEY=VALUE", help="A Spark setting (repeatable)."),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Analyse WARC and JSONL inputs as a Spark job: one task per input file (or per
    split of a large JSONL), the pipeline loaded once per Python worker, the store's
    tables written as Parquet partitioned by publication month. Bad records are counted
    and reported; rerunning skips the inputs already done. Load the output into a store
    with `newsgraph import-parquet`."""
    from .engines.spark import run_job

    try:
        opts = _options(config, False)
    except NewsgraphError as exc:
        _fail(exc)
    published = _date_option(published)
    split = _byte_size(split_size)
    settings = _conf_pairs(conf or [])
    try:
        done = run_job(
            inputs,
            out,
            master=master,
            options=opts,
            published=published,
            split_bytes=split,
            conf=settings,
        )
    except NewsgraphError as exc:
        _fail(exc)
    for bad in done.bad:
        err_console.print(Text(f"{bad['code']}: {bad['message']} [{bad['where']}]"), style="red")
    for error in done.failed:
        _report_error(error)
    rate = done.articles / done.seconds if done.seconds > 0 else 0.0
    err_console.print(
        f"spark: {done.ran} tasks run, {done.already} already complete; {done.records} "
        f"records read, {done.articles} articles written, {len(done.bad)} bad records "
        f"({done.seconds:.1f} s, {rate:.1f} articles/s) -> {done.out}"
    )
    if done.bad or done.failed:
        raise typer.Exit(EXIT_PARTIAL if done.articles or done.already else EXIT_FAIL)


@app.command("import-parquet")
def import_parquet(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="A `newsgraph spark` output folder.")
    ],
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to load into (created).")],
    no_corpus: Annotated[
        bool,
        typer.Option(
            "--no-corpus", help="Load only; place the articles later (`newsgraph relink`)."
        ),
    ] = False,
) -> None:
    """Load a Spark job's Parquet tables into a DuckDB store (the articles it does not
    hold yet, in one transaction), then place them in the corpus as `ingest` does."""
    from .corpus import update_corpus
    from .store import Store
    from .store.parquet import import_months

    try:
        with Store.open(db) as store:
            added, known = import_months(store, directory)
            err_console.print(
                f"imported {added} new articles, {known} already stored: {directory} -> {db}"
            )
            if not no_corpus:
                err_console.print(_corpus_line(update_corpus(store)))
    except NewsgraphError as exc:
        _fail(exc)


@app.command()
def version() -> None:
    """Print the newsgraph version and the spaCy pipeline it uses."""
    from .api import __version__

    sys.stdout.write(f"newsgraph {__version__}\n")


def main() -> None:
    """Entry point: coded one-line errors, never a traceback for expected failures."""
    # trafilatura and warcio log their own complaints about messy pages; we report ours.
    for noisy in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    try:
        app()
    except NewsgraphError as exc:  # pragma: no cover - commands catch their own
        _report_error(exc)
        sys.exit(EXIT_FAIL)
    except KeyboardInterrupt:
        err_console.print("interrupted", style="yellow")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except Exception as exc:
        if os.environ.get("NEWSGRAPH_DEBUG"):
            raise
        _report_error(NewsgraphError("E999", reason=f"{type(exc).__name__}: {exc}"))
        sys.exit(EXIT_FAIL)


if __name__ == "__main__":  # pragma: no cover
    main()
