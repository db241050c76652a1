"""The real ``newsgraph`` command, run as a user would, end to end."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import EXAMPLE, QuietHandler, run_cli, serve, shared_path
from newsgraph.report import Report

pytestmark = pytest.mark.model
Cli = Callable[..., subprocess.CompletedProcess[bytes]]


def one_line_error(proc: subprocess.CompletedProcess[bytes], code: str, exit_code: int = 1) -> str:
    err = proc.stderr.decode().strip()
    assert proc.returncode == exit_code, err
    assert err.count("\n") == 0, err
    assert err.startswith(f"{code}: "), err
    assert "Traceback" not in err
    return err


def test_analyze_json_is_one_valid_report_per_line(
    cli: Cli, validate: Callable[[dict[str, Any]], None]
) -> None:
    proc = cli("analyze", str(EXAMPLE), "--published", "2025-11-03", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    validate(report)
    assert Report.from_dict(report).span_problems() == []


def test_seed_report_passes_the_shared_schema_check(cli: Cli, tmp_path: Path) -> None:
    seed = shared_path("seed", "s400-return.txt")
    scorer = shared_path("eval", "score.py")
    out = tmp_path / "seed.json"
    proc = cli(
        "analyze", str(seed), "--published", "2025-12-19", "--format", "json", "-o", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    check = subprocess.run(
        [sys.executable, str(scorer), "schema", "--pred", str(out)],
        capture_output=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert b"1/1 reports valid" in check.stdout


def test_text_format_is_a_readable_summary(cli: Cli) -> None:
    proc = cli("analyze", str(EXAMPLE), "--published", "2025-11-03")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert "Estonia and Finland agree" in out
    assert "2025-11-03 (given)" in out
    assert "Entities by type" in out and "Mart Kask" in out


def test_several_inputs_give_reports_in_input_order(cli: Cli, tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("Turkey and Russia met in Ankara on Monday.", encoding="utf-8")
    proc = cli("analyze", str(EXAMPLE), str(a), "-", "--format", "jsonl", input=b"NATO met.")
    assert proc.returncode == 0, proc.stderr
    texts = [json.loads(x)["article"]["text"] for x in proc.stdout.decode().splitlines()]
    assert texts == [EXAMPLE.read_text(encoding="utf-8"), a.read_text(), "NATO met."]


def test_html_format_writes_a_self_contained_page(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    proc = cli("analyze", str(EXAMPLE), "--format", "html", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    assert page.lower().startswith("<!doctype html>") and "Mart Kask" in page
    assert "<link" not in page and 'src="http' not in page


def test_empty_binary_and_loopback_url_fail_with_one_coded_line(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 20)
    one_line_error(cli("analyze", str(empty)), "E001")
    one_line_error(cli("analyze", str(binary)), "E002")
    err = one_line_error(cli("analyze", "http://127.0.0.1/"), "E007")
    assert "--allow-private" in err
    one_line_error(cli("analyze", str(tmp_path / "missing.txt")), "E009")
    # an unreadable date option is a usage error: exit 2
    one_line_error(cli("analyze", str(EXAMPLE), "--published", "yesterday"), "E010", 2)


def test_oversized_html_is_refused(cli: Cli, tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("w") as f:
        f.write("<html><body>")
        for _ in range(60_000):
            f.write("<p>" + "news " * 40 + "</p>")
        f.write("</body></html>")
    assert big.stat().st_size > 10_000_000
    one_line_error(cli("analyze", str(big)), "E005")


def test_a_bad_jsonl_line_is_reported_and_skipped(cli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "set.jsonl"
    f.write_text('{"text": "Turkey met Russia."}\n{oops\n{"text": "The U.S. said no."}\n')
    proc = cli("analyze", str(f), "--format", "jsonl")
    assert proc.returncode == 3
    assert len(proc.stdout.decode().splitlines()) == 2
    assert "E008: line 2 of" in proc.stderr.decode()


def test_every_bad_record_is_reported_the_first_too(cli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "set.jsonl"
    f.write_text('{oops\n{"text": "Turkey met Russia."}\n{"text": ""}\n')
    proc = cli("analyze", str(f), "--format", "jsonl")
    err = proc.stderr.decode()
    assert proc.returncode == 3, err
    assert "E008: line 1 of" in err and "[item 1]" in err
    assert "E001: the input " in err and "[item 3]" in err
    assert "1 analysed, 2 skipped (3 inputs)" in err


def test_a_huge_pipe_on_stdin_is_cut_at_the_limit(cli: Cli) -> None:
    proc = cli("analyze", "-", input=b"word " * 6_000_000)  # 30 MB offered, 10 MB allowed
    err = one_line_error(proc, "E005")
    assert "more than 10.0 MB" in err


def test_nothing_to_read_is_an_error_not_a_silent_success(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = cli("ingest", str(empty), "--db", str(tmp_path / "n.duckdb"))
    assert proc.returncode == 1
    assert proc.stderr.decode().startswith("E032: found no article in")


def write_corpus(folder: Path, n: int, chars: int | None = None) -> None:
    folder.mkdir()
    base = EXAMPLE.read_text(encoding="utf-8")[:chars]
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(f"Dispatch {i}.\n\n{base}", encoding="utf-8")


def stored_ids(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}


def test_ingest_is_idempotent_and_lists_and_exports(cli: Cli, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 5)
    (corpus / "zz-empty.txt").write_bytes(b"")
    db = tmp_path / "news.duckdb"
    first = cli("ingest", str(corpus), "--db", str(db), "--published", "2025-11-03")
    assert first.returncode == 3, first.stderr  # one bad file skipped, the rest stored
    assert b"stored 5 new articles" in first.stderr and b"1 skipped" in first.stderr
    second = cli("ingest", str(corpus), "--db", str(db))
    assert b"stored 0 new articles" in second.stderr and b"5 already stored" in second.stderr
    assert len(stored_ids(db)) == 5

    listing = cli("articles", "--db", str(db), "--json")
    rows = [json.loads(x) for x in listing.stdout.decode().splitlines()]
    assert len(rows) == 5 and all(r["published"] == "2025-11-03" for r in rows)
    table = cli("articles", "--db", str(db))
    assert b"5 articles" in table.stdout

    export = cli("export", "--db", str(db), "--parquet", str(tmp_path / "pq"))
    assert export.returncode == 0, export.stderr
    names = sorted(p.name for p in (tmp_path / "pq").iterdir())
    assert "articles.parquet" in names and "mentions.parquet" in names
    with duckdb.connect() as con:
        n = con.execute(f"SELECT count(*) FROM '{tmp_path / 'pq' / 'articles.parquet'}'").fetchone()
    assert n == (5,)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_interrupted_ingest_keeps_what_was_committed_and_a_rerun_continues(
    tmp_path: Path, sig: signal.Signals
) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 400, chars=500)
    config = tmp_path / "ng.toml"
    config.write_text("commit_every = 2\nbatch_size = 2\n")
    db = tmp_path / "news.duckdb"
    wal = tmp_path / "news.duckdb.wal"
    exe = Path(sys.executable).with_name("newsgraph")
    proc = subprocess.Popen(
        [str(exe), "ingest", str(corpus), "--db", str(db), "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # wait for the first committed batch (DuckDB writes it to the WAL), then a little more
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 0:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("ingest finished before it could be interrupted")
    assert proc.returncode == 130, err
    assert b"interrupted" in err and b"Traceback" not in err
    kept = stored_ids(db)
    assert 0 < len(kept) < 400
    rerun = run_cli("ingest", str(corpus), "--db", str(db))
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(kept)} already stored".encode() in rerun.stderr
    assert len(stored_ids(db)) == 400


def test_analyze_can_store_reports_too(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "one.duckdb"
    proc = cli("analyze", str(EXAMPLE), "--format", "json", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert stored_ids(db) == {json.loads(proc.stdout)["article"]["id"]}


def test_help_lists_the_commands(cli: Cli) -> None:
    out = cli("--help").stdout.decode()
    for command in ("analyze", "ingest", "articles", "timeline", "events", "export"):
        assert command in out


def test_timeline_lists_stored_statements_by_date(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    proc = cli("analyze", str(EXAMPLE), "--published", "2025-11-03", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    listing = cli("timeline", "--db", str(db), "--json")
    assert listing.returncode == 0, listing.stderr
    rows = [json.loads(x) for x in listing.stdout.decode().splitlines()]
    keys = [
        r["start"] if r["relation"] in ("after", "during") else r["end"] or r["start"] for r in rows
    ]
    assert rows and keys == sorted(keys)  # the report's timeline order
    assert any(r["timex"] == "April 2023" and r["value"] == "2023-04" for r in rows)
    recent = cli("timeline", "--db", str(db), "--json", "--since", "2025-01-01")
    assert all(
        r["end"] is None or r["end"] >= "2025-01-01"
        for r in map(json.loads, recent.stdout.decode().splitlines())
    )
    table = cli("timeline", "--db", str(db), "--contains", "Helsinki")
    assert b"Helsinki" in table.stdout and b"dated statements" in table.stdout
    bad = cli("timeline", "--db", str(db), "--since", "2025-02-30")
    assert bad.returncode == 2 and bad.stderr.startswith(b"E010")
    missing = cli("timeline", "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 1 and missing.stderr.startswith(b"E013")


def events_report(text: str, published: str | None, *events: tuple[str, ...]) -> Report:
    """A report of ``text`` whose events are ``(type, trigger, source code, target code,
    date)``, the source the first entity (its name the first word of the text)."""
    from newsgraph.report import Article, Entity, Event, Span

    def span(needle: str) -> Span:
        start = text.index(needle)
        return Span(start, start + len(needle), needle)

    first = text.split()[0]
    sentence = Span(0, len(text), text)
    return Report(
        article=Article(text=text, title=text[:20], published=published),
        entities=[Entity("e1", first, "COUNTRY", None, [span(first)])],
        events=[
            Event(
                f"v{i}",
                kind,  # type: ignore[arg-type]
                "suspend" if kind == "SANCTION" else None,
                "e1",
                None,
                span(trigger),
                date or None,
                False,
                False,
                sentence,
                "test:event",
                source_code=source or None,
                target_code=target or None,
            )
            for i, (kind, trigger, source, target, date) in enumerate(events)
        ],
    )


def test_events_lists_stored_events_with_filters(cli: Cli, tmp_path: Path) -> None:
    from newsgraph.store import Store

    db = tmp_path / "events.duckdb"
    reports = [
        events_report(
            "Washington suspended Turkey from the F-35 program and warned Ankara.",
            "2019-07-18",
            ("SANCTION", "suspended", "USAGOV", "TUR", "2019-07-17"),
            ("THREATEN", "warned", "USAGOV", "TURGOV", ""),
        ),
        events_report(
            "Ankara rejected the demand of NATO on Monday.",
            "2019-08-02",
            ("REJECT", "rejected", "TURGOV", "NATO", "2019-07-29"),
        ),
    ]
    with Store.open(db) as store:
        store.add_many((r, None, None) for r in reports)

    def listed(*args: str) -> list[dict[str, Any]]:
        proc = cli("events", "--db", str(db), "--json", *args)
        assert proc.returncode == 0, proc.stderr
        return [json.loads(line) for line in proc.stdout.decode().splitlines()]

    every = listed()
    assert [(r["type"], r["source_code"], r["target_code"]) for r in every] == [
        ("SANCTION", "USAGOV", "TUR"),
        ("THREATEN", "USAGOV", "TURGOV"),  # dated by its article: 2019-07-18
        ("REJECT", "TURGOV", "NATO"),
    ]
    assert every[0]["trigger"] == "suspended" and every[0]["mode"] == "suspend"
    assert every[0]["article_id"] == reports[0].article.id
    assert every[0]["source_name"] == "Washington" and every[0]["date"] == "2019-07-17"
    assert every[1]["dated_by"] == "published" and every[1]["start"] == "2019-07-18"
    assert [r["type"] for r in listed("--actor", "TUR")] == ["SANCTION", "THREATEN", "REJECT"]
    assert [r["type"] for r in listed("--actor", "NATO")] == ["REJECT"]
    assert [r["type"] for r in listed("--source", "USA", "--target", "TURGOV")] == ["THREATEN"]
    assert [r["type"] for r in listed("--type", "sanction")] == ["SANCTION"]
    assert [r["type"] for r in listed("--since", "2019-07-18")] == ["THREATEN", "REJECT"]
    assert [r["type"] for r in listed("--until", "2019-07-17")] == ["SANCTION"]
    assert [r["type"] for r in listed("-n", "1")] == ["SANCTION"]
    assert listed("--actor", "RUS") == []

    table = cli("events", "--db", str(db), "--actor", "TUR", "--type", "SANCTION")
    assert table.returncode == 0, table.stderr
    out = table.stdout.decode()
    assert "1 events" in out and "SANCTION(suspend)" in out and "USAGOV → TUR" in out
    assert "2019-07-17" in out and reports[0].article.id[:12] in out

    one_line_error(cli("events", "--db", str(db), "--since", "2019-02-30"), "E010", 2)
    one_line_error(cli("events", "--db", str(tmp_path / "none.duckdb")), "E013")


def test_events_near_a_point_keep_the_events_of_places_within_the_distance(
    cli: Cli, tmp_path: Path
) -> None:
    from eventstore import located_report
    from newsgraph.store import Store

    db = tmp_path / "located.duckdb"
    report = located_report()  # v1 at Palmyra, v2 in Brussels, v3 at no place
    with Store.open(db) as store:
        store.add(report)

    def listed(*args: str) -> list[dict[str, Any]]:
        proc = cli("events", "--db", str(db), "--json", *args)
        assert proc.returncode == 0, proc.stderr
        return [json.loads(line) for line in proc.stdout.decode().splitlines()]

    assert [r["event_id"] for r in listed()] == ["v1", "v2", "v3"]
    near = listed("--near", "34.56,38.30", "--within", "10")  # 3 km from Palmyra's point
    assert [r["event_id"] for r in near] == ["v1"]
    assert (near[0]["location_name"], near[0]["location_lat"]) == ("Palmyra", 34.5503)
    assert 2 < near[0]["distance_km"] < 4
    assert listed("--near", "34.56,38.30", "--within", "2") == []
    # the default distance is 50 km; Brussels is some 3,270 km from Palmyra
    assert [r["event_id"] for r in listed("--near", "50.85, 4.35")] == ["v2"]
    wide = listed("--near", "50.85,4.35", "--within", "4000")
    assert [r["event_id"] for r in wide] == ["v1", "v2"]  # never v3: it has no place
    # with the other filters
    assert [
        r["event_id"]
        for r in listed("--near", "50.85,4.35", "--within", "4000", "--type", "assault")
    ] == ["v1"]
    assert listed("--near", "50.85,4.35", "--within", "4000", "--since", "2026-01-01") == []
    assert [
        r["event_id"] for r in listed("--near", "50.85,4.35", "--within", "4000", "-n", "1")
    ] == ["v1"]

    table = cli("events", "--db", str(db), "--near", "34.56,38.30", "--within", "10")
    assert table.returncode == 0, table.stderr
    out = table.stdout.decode()
    assert "1 events within 10 km of 34.56,38.3" in out and "Palmyra" in out
    assert "clashed" in out and "marched" not in out and "met" not in out

    err = one_line_error(cli("events", "--db", str(db), "--near", "Xqzzyville Nowhere"), "E021", 2)
    assert "'Xqzzyville Nowhere' is not a place the gazetteer knows" in err and "LAT,LON" in err
    err = one_line_error(cli("events", "--db", str(db), "--near", "95,10"), "E021", 2)
    assert "not a point on the map" in err


PAGE = (
    "<!DOCTYPE html><html><head><title>Ministers meet in Helsinki</title>"
    "<meta property='og:site_name' content='Nordic Wire'>"
    "<meta property='article:published_time' content='2025-09-04T10:00:00Z'></head><body>"
    "<nav><a href='/'>Front page</a></nav><article>"
    "<p>The defence ministers of Estonia and Finland met in Helsinki on Thursday and agreed "
    "to buy air defence systems together, officials said after the talks.</p>"
    "<p>NATO welcomed the step, a spokesperson said in Brussels.</p>"
    "</article><footer>Terms of use</footer></body></html>"
)


@pytest.fixture
def local_site() -> Iterator[str]:
    """A real HTTP server on loopback serving one article page."""

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            self.reply(PAGE.encode(), "text/html; charset=utf-8")

    with serve(Handler) as base:
        yield f"{base}/2025/09/ministers"


def test_a_url_is_fetched_only_when_private_addresses_are_allowed(
    cli: Cli, local_site: str
) -> None:
    one_line_error(cli("analyze", local_site), "E007")
    proc = cli("analyze", local_site, "--allow-private", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    article = json.loads(proc.stdout)["article"]
    assert article["text"].startswith("The defence ministers of Estonia")
    assert article["url"] == local_site
    assert (article["outlet"], article["published"]) == ("Nordic Wire", "2025-09-04")
    assert article["published_source"] == "metadata"


def test_ingest_reads_warc_archives(cli: Cli, tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = tmp_path / "crawl.warc.gz"
    with warc.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for i, page in enumerate([PAGE, PAGE.replace("Thursday", "Friday"), "<html></html>"]):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://nordic.example/{i}",
                "response",
                payload=io.BytesIO(page.encode()),
                http_headers=headers,
            )
            writer.write_record(record)
    db = tmp_path / "crawl.duckdb"
    proc = cli("ingest", str(warc), "--db", str(db))
    assert proc.returncode == 3, proc.stderr  # the empty page is reported and skipped
    assert b"stored 2 new articles" in proc.stderr and b"E004" in proc.stderr
    rows = [json.loads(x) for x in cli("articles", "--db", str(db), "--json").stdout.splitlines()]
    assert sorted(r["url"] for r in rows) == [
        "https://nordic.example/0",
        "https://nordic.example/1",
    ]


def test_commands_on_a_missing_or_broken_database_fail_with_e013(cli: Cli, tmp_path: Path) -> None:
    one_line_error(cli("articles", "--db", str(tmp_path / "none.duckdb")), "E013")
    broken = tmp_path / "broken.duckdb"
    broken.write_text("not a database at all")
    one_line_error(cli("ingest", str(EXAMPLE), "--db", str(broken)), "E013")
    one_line_error(cli("export", "--db", str(broken), "--parquet", str(tmp_path / "pq")), "E013")


def claims_report(
    text: str,
    published: str,
    claims: list[tuple[str, str, float, str, str | None]],
    flags: list[tuple[str, str, str, str | None]],
) -> Report:
    """A report of ``text`` with ``claims`` as ``(id, text, score, kind, quote id)`` and
    ``flags`` as ``(code, severity, message, evidence text)``; when the text quotes
    Erdogan, that is quote q1, spoken by entity e1."""
    from newsgraph.report import Article, Claim, Entity, Flag, Quote, Span

    def span(needle: str) -> Span:
        start = text.index(needle)
        return Span(start, start + len(needle), needle)

    entities, quotes = [], []
    if "Erdogan" in text:
        entities = [Entity("e1", "Recep Tayyip Erdogan", "PERSON", None, [span("Erdogan")])]
        content = text.split('"')[1]
        quotes = [
            Quote(
                "q1", "direct", span(content), span("told"), span("Erdogan"), "e1", "named_person"
            )
        ]
    return Report(
        article=Article(text=text, title=text[:20], published=published),
        entities=entities,
        quotes=quotes,
        claims=[
            Claim(cid, *_astuple(span(words)), score, kind, quote)  # type: ignore[arg-type]
            for cid, words, score, kind, quote in claims
        ],
        flags=[
            Flag(code, sev, message, [span(ev)] if ev else [])  # type: ignore[arg-type]
            for code, sev, message, ev in flags
        ],
    )


def _astuple(s: Any) -> tuple[int, int, str]:
    return s.start, s.end, s.text


@pytest.fixture
def claims_db(tmp_path: Path) -> tuple[Path, list[Report]]:
    """A store of two articles with claims and flags of every severity."""
    from newsgraph.store import Store

    reports = [
        claims_report(
            'Washington said sanctions will cost Turkey 9 billion dollars. "The purchase caused '
            'the crisis," Erdogan told reporters.',
            "2019-07-18",
            [
                ("c1", "sanctions will cost Turkey 9 billion dollars", 0.9, "numeric", None),
                ("c2", "The purchase caused the crisis", 0.6, "causal", "q1"),
            ],
            [
                ("NUMBER_CONTRADICTION", "error", "The figures disagree.", "9 billion"),
                ("HEDGED_CLAIM", "info", "The claim is hedged.", None),
            ],
        ),
        claims_report(
            "Officials said the talks might resume in autumn.",
            "2019-08-02",
            [("c1", "the talks might resume in autumn", 0.3, "prediction", None)],
            [("ANONYMOUS_SOURCE", "warning", "The claim rests on unnamed officials.", "Officials")],
        ),
    ]
    db = tmp_path / "claims.duckdb"
    with Store.open(db) as store:
        store.add_many((r, None, None) for r in reports)
    return db, reports


def _listed(cli: Cli, command: str, db: Path, *args: str) -> list[dict[str, Any]]:
    proc = cli(command, "--db", str(db), "--json", *args)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_claims_lists_stored_claims_most_check_worthy_first(
    cli: Cli, claims_db: tuple[Path, list[Report]]
) -> None:
    db, reports = claims_db
    every = _listed(cli, "claims", db)
    assert [(r["kind"], r["checkworthiness"], r["published"]) for r in every] == [
        ("numeric", 0.9, "2019-07-18"),
        ("causal", 0.6, "2019-07-18"),
        ("prediction", 0.3, "2019-08-02"),
    ]
    causal = every[1]
    assert causal["text"] == "The purchase caused the crisis" and causal["quote"] == "q1"
    assert (causal["speaker"], causal["speaker_name"]) == ("Erdogan", "Recep Tayyip Erdogan")
    assert causal["article_id"] == reports[0].article.id and every[0]["speaker"] is None
    assert [r["kind"] for r in _listed(cli, "claims", db, "--kind", "CAUSAL")] == ["causal"]
    assert [r["kind"] for r in _listed(cli, "claims", db, "--kind", "prediction,numeric")] == [
        "numeric",
        "prediction",
    ]
    assert [r["kind"] for r in _listed(cli, "claims", db, "--min", "0.6")] == ["numeric", "causal"]
    assert [r["kind"] for r in _listed(cli, "claims", db, "--contains", "BILLION")] == ["numeric"]
    assert [r["kind"] for r in _listed(cli, "claims", db, "--since", "2019-08-01")] == [
        "prediction"
    ]
    assert len(_listed(cli, "claims", db, "--until", "2019-07-31")) == 2
    assert [r["kind"] for r in _listed(cli, "claims", db, "-n", "1")] == ["numeric"]

    table = cli("claims", "--db", str(db), "--min", "0.5", env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    out = table.stdout.decode()
    assert "2 claims in" in out and "0.90" in out and "0.60" in out and "0.30" not in out
    assert "The purchase caused the crisis" in out and "Recep Tayyip Erdogan" in out
    assert "causal" in out and reports[0].article.id[:12] in out


def test_flags_lists_stored_flags_most_severe_first_with_a_summary(
    cli: Cli, claims_db: tuple[Path, list[Report]]
) -> None:
    db, reports = claims_db
    every = _listed(cli, "flags", db)
    assert [(r["severity"], r["code"]) for r in every] == [
        ("error", "NUMBER_CONTRADICTION"),
        ("warning", "ANONYMOUS_SOURCE"),
        ("info", "HEDGED_CLAIM"),
    ]
    first = every[0]
    assert first["message"] == "The figures disagree." and first["published"] == "2019-07-18"
    assert [s["text"] for s in first["evidence"]] == ["9 billion"] and every[2]["evidence"] == []
    assert first["article_id"] == reports[0].article.id
    assert [r["severity"] for r in _listed(cli, "flags", db, "--severity", "warning")] == [
        "error",
        "warning",
    ]
    assert [r["code"] for r in _listed(cli, "flags", db, "--code", "hedged_claim")] == [
        "HEDGED_CLAIM"
    ]
    assert [
        r["code"] for r in _listed(cli, "flags", db, "--code", "HEDGED_CLAIM,ANONYMOUS_SOURCE")
    ] == ["ANONYMOUS_SOURCE", "HEDGED_CLAIM"]
    assert [r["code"] for r in _listed(cli, "flags", db, "--since", "2019-08-01")] == [
        "ANONYMOUS_SOURCE"
    ]
    assert [r["code"] for r in _listed(cli, "flags", db, "-n", "1")] == ["NUMBER_CONTRADICTION"]

    table = cli("flags", "--db", str(db), "-n", "2", env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    out = table.stdout.decode()
    assert "2 flags in" in out and "NUMBER_CONTRADICTION" in out and "error" in out
    assert "The figures disagree." in out and "The claim is hedged." not in out
    assert reports[0].article.id[:12] in out
    # the summary line counts every flag the filters keep, not only the rows shown
    assert "3 flags: 1 error, 1 warning, 1 info" in out
    assert "by code: NUMBER_CONTRADICTION 1, ANONYMOUS_SOURCE 1, HEDGED_CLAIM 1" in out
    quiet = cli("flags", "--db", str(db), "--severity", "error", env={"COLUMNS": "200"})
    assert "1 flags: 1 error\nby code: NUMBER_CONTRADICTION 1\n" in quiet.stdout.decode()


def test_claims_and_flags_refuse_bad_options_with_one_coded_line(
    cli: Cli, claims_db: tuple[Path, list[Report]], tmp_path: Path
) -> None:
    db, _ = claims_db
    err = one_line_error(cli("claims", "--db", str(db), "--kind", "rumour"), "E021")
    assert "'rumour' is not a claim kind" in err and "numeric" in err
    err = one_line_error(cli("claims", "--db", str(db), "--min", "1.5"), "E021")
    assert "'1.5' is not a checkworthiness score" in err
    one_line_error(cli("claims", "--db", str(db), "--min=-0.2"), "E021")
    err = one_line_error(cli("flags", "--db", str(db), "--severity", "fatal"), "E021")
    assert err.endswith("use info, warning or error")
    one_line_error(cli("flags", "--db", str(db), "--severity", "fatal", "--json"), "E021")
    one_line_error(cli("claims", "--db", str(db), "--since", "2019-02-30"), "E010", 2)
    one_line_error(cli("flags", "--db", str(db), "--until", "soon"), "E010", 2)
    one_line_error(cli("claims", "--db", str(tmp_path / "none.duckdb")), "E013")
    one_line_error(cli("flags", "--db", str(tmp_path / "none.duckdb")), "E013")


def test_help_lists_the_claims_and_flags_commands_and_their_options(cli: Cli) -> None:
    out = cli("--help").stdout.decode()
    assert "claims" in out and "flags" in out
    claims_help = cli("claims", "--help").stdout.decode()
    for option in ("--kind", "--min", "--contains", "--since", "--until", "--limit", "--json"):
        assert option in claims_help
    flags_help = cli("flags", "--help").stdout.decode()
    for option in ("--severity", "--code", "--since", "--until", "--limit", "--json"):
        assert option in flags_help
