"""One bad article never stops a batch: the poison-pill runs, through the real command
and the Python batch API.

Two kinds of bad article go into the middle of 300 good ones:

- the inputs an attack run found crashing the analysis (a line holding only U+3000 or
  U+2028, a superscript or circled digit used as a count, lone surrogates from JSON
  escapes in the text and title): their crashes are fixed at the root, so they are
  analysed and stored like any other article;
- "poison pills" that crash on purpose, one in a pipeline component and one in a check.
  A ``sitecustomize`` module on ``PYTHONPATH`` plants the crash in every process that
  starts with it, worker processes included, so the real command runs unmodified.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

import newsgraph
from conftest import run_cli
from newsgraph import NewsgraphError
from newsgraph.engines.local import analyze_many

pytestmark = pytest.mark.model
Cli = Callable[..., subprocess.CompletedProcess[bytes]]

COUNTRIES = ("Turkey", "Russia", "Estonia", "Finland", "Poland", "Greece", "Egypt", "Brazil")
VERBS = ("met officials from", "criticised", "signed a trade deal with", "sent aid to")

#: Inputs that crashed the analysis before (issue 13), with what each exercised.
REGRESSIONS: dict[str, dict[str, str]] = {
    "ideographic-space-line": {
        "text": "Turkey said on Monday it would return the systems.\n\u3000\nAnkara said more."
    },
    "line-separator": {"text": "Turkey said on Monday it would return them.\u2028\nAnkara agreed."},
    "superscript-count": {
        "text": "The army sent ² tanks to the border. Officials said the army sent 3 tanks."
    },
    "circled-count": {"text": "The army sent ② tanks to the border, officials said on Monday."},
    "lone-surrogate-text": {"text": "Turkey said on Monday \udc80 it would return the systems."},
    "lone-surrogate-title": {"text": "Russia said it would not agree.", "title": "Talks \ud800"},
}

#: Planted in every Python process started with PYTHONPATH=<dir of this module>.
SITECUSTOMIZE = textwrap.dedent(
    """
    import os

    if os.environ.get("NEWSGRAPH_TEST_POISON"):
        import newsgraph.checks as checks
        from newsgraph.claims.component import ClaimFinder

        def _poisoned_check(report, doc=None):
            if "POISON-CHECK" in report.article.text:
                raise RuntimeError("a check that crashes on purpose")
            return []

        checks.PARSE_CHECKS = (*checks.PARSE_CHECKS, _poisoned_check)
        _call = ClaimFinder.__call__

        def _poisoned_call(self, doc):
            if "POISON-COMPONENT" in doc.text:
                raise ZeroDivisionError("a component that crashes on purpose")
            if "POISON-KILL" in doc.text:
                os._exit(9)
            return _call(self, doc)

        ClaimFinder.__call__ = _poisoned_call
    """
)


def good_article(i: int) -> str:
    a, b = COUNTRIES[i % 8], COUNTRIES[(i // 8 + 1 + i % 8) % 8]
    return (
        f"{a} {VERBS[i % 4]} {b} on Monday, the foreign ministry said in statement {i}.\n\n"
        f'"We expect {i % 7 + 2} more meetings this year," a spokesman said.'
    )


def poison_env(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return {"PYTHONPATH": str(site), "NEWSGRAPH_TEST_POISON": "1"}


def corpus(tmp_path: Path, bad: list[dict[str, str]]) -> tuple[Path, dict[int, str]]:
    """300 good JSONL records with ``bad`` in the middle; returns the file and the
    line number of each bad record's text."""
    records: list[dict[str, str]] = [
        {"text": good_article(i), "published": "2025-12-19"} for i in range(300)
    ]
    at = 150
    lines: dict[int, str] = {}
    for offset, rec in enumerate(bad):
        records.insert(at + offset, {"published": "2025-12-19", **rec})
        lines[at + offset + 1] = rec["text"]
    path = tmp_path / "corpus.jsonl"
    # ensure_ascii: lone surrogates travel as \\udXXX escapes, as JSON from the web does.
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path, lines


def stored_texts(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT text FROM articles").fetchall()]


POISONS = [
    {"text": "POISON-COMPONENT Turkey said on Monday it would return the systems."},
    {"text": "POISON-CHECK Russia said on Tuesday it would not agree to the deal."},
]


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[int, str], dict]:
    tmp = tmp_path_factory.mktemp("poison")
    path, lines = corpus(tmp, [*REGRESSIONS.values(), *POISONS])
    return path, lines, poison_env(tmp)


def poison_lines(lines: dict[int, str]) -> list[int]:
    return [n for n, text in lines.items() if text.startswith("POISON")]


def assert_poison_named(stderr: str, path: Path, lines: dict[int, str]) -> None:
    assert "Traceback" not in stderr
    for n in poison_lines(lines):
        named = [ln for ln in stderr.splitlines() if f"{path}:{n}" in ln]
        assert len(named) == 1, stderr
        assert named[0].startswith("E029: "), named[0]
        assert f"[item {n}]" in named[0], named[0]
    assert "ZeroDivisionError" in stderr and "RuntimeError" in stderr


def test_analyze_prints_every_good_report_and_names_the_poison(
    poisoned: tuple[Path, dict[int, str], dict[str, str]],
) -> None:
    path, lines, env = poisoned
    proc = run_cli("analyze", str(path), "--format", "jsonl", env=env, timeout=600)
    stderr = proc.stderr.decode()
    assert proc.returncode == 3, stderr
    reports = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(reports) == 300 + len(REGRESSIONS)
    texts = [r["article"]["text"] for r in reports]
    assert texts[:150] == [good_article(i) for i in range(150)]
    assert texts[-150:] == [good_article(i) for i in range(150, 300)]
    assert_poison_named(stderr, path, lines)
    assert f"{300 + len(REGRESSIONS)} analysed, 2 skipped" in stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ingest_stores_every_good_article_and_a_rerun_stops_nowhere(
    poisoned: tuple[Path, dict[int, str], dict[str, str]], tmp_path: Path, jobs: str
) -> None:
    path, lines, env = poisoned
    db = tmp_path / "news.duckdb"
    proc = run_cli("ingest", str(path), "--db", str(db), "-j", jobs, env=env, timeout=600)
    stderr = proc.stderr.decode()
    assert proc.returncode == 3, stderr
    assert_poison_named(stderr, path, lines)
    stored = stored_texts(db)
    assert len(stored) == 300 + len(REGRESSIONS)
    assert not any("POISON" in t for t in stored)
    assert f"stored {300 + len(REGRESSIONS)} new articles" in stderr

    again = run_cli("ingest", str(path), "--db", str(db), "-j", jobs, env=env, timeout=600)
    stderr = again.stderr.decode()
    assert again.returncode == 3, stderr
    assert f"stored 0 new articles (0.0 articles/s), {300 + len(REGRESSIONS)} already" in stderr
    assert_poison_named(stderr, path, lines)
    assert len(stored_texts(db)) == 300 + len(REGRESSIONS)


def test_the_regression_inputs_are_analysed_and_serialise(validate: Callable) -> None:
    for name, rec in REGRESSIONS.items():
        report = newsgraph.analyze(rec["text"], title=rec.get("title"), published="2025-12-19")
        data = report.to_json().encode("utf-8")  # raises if anything cannot be encoded
        again = newsgraph.Report.from_json(data.decode("utf-8"))
        assert again.to_dict() == report.to_dict(), name
        validate(report.to_dict())
        assert report.span_problems() == [], name


def test_a_lone_surrogate_becomes_a_replacement_character_at_the_same_offset() -> None:
    report = newsgraph.analyze("Turkey said \udc80 it would.", title="A \ud83d\ude00 B")
    assert report.article.text == "Turkey said \ufffd it would."
    assert report.article.title == "A \U0001f600 B"  # a JSON-escaped pair is joined
    assert "REPLACEMENT_CHARACTER" in {f.code for f in report.flags}


@pytest.fixture
def crashing_component(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsgraph.claims.component import ClaimFinder

    call = ClaimFinder.__call__

    def poisoned(self: ClaimFinder, doc: object) -> object:
        if "POISON-COMPONENT" in str(doc):
            raise ZeroDivisionError("a component that crashes on purpose")
        return call(self, doc)  # type: ignore[arg-type]

    monkeypatch.setattr(ClaimFinder, "__call__", poisoned)


def test_a_crashing_component_never_loses_a_batch(crashing_component: None) -> None:
    texts = [good_article(i) for i in range(10)]
    texts[4] = "POISON-COMPONENT " + texts[4]
    texts[7] = ""  # bad input, for comparison
    expected = [newsgraph.analyze(t).to_dict() for i, t in enumerate(texts) if i not in (4, 7)]

    got = list(analyze_many(texts, errors="include", batch_size=4))
    assert len(got) == 10
    assert isinstance(got[4], NewsgraphError) and got[4].code == "E029"
    assert "article 5" in got[4].message and "newsgraph_claims_v1" in got[4].message
    assert "ZeroDivisionError" in got[4].message
    assert isinstance(got[7], NewsgraphError) and got[7].code == "E001"
    assert [r.to_dict() for r in got if not isinstance(r, NewsgraphError)] == expected

    skipped = [r.to_dict() for r in analyze_many(texts, errors="skip", batch_size=4)]
    assert skipped == expected

    raised = analyze_many(texts, errors="raise", batch_size=4)
    assert [next(raised).to_dict() for _ in range(4)] == expected[:4]
    with pytest.raises(NewsgraphError) as info:
        next(raised)
    assert info.value.code == "E029"


def test_one_analysis_that_crashes_raises_a_coded_error(crashing_component: None) -> None:
    with pytest.raises(NewsgraphError) as info:
        newsgraph.analyze("POISON-COMPONENT Turkey met Russia on Monday.")
    assert info.value.code == "E029"
    assert "component newsgraph_claims_v1" in info.value.message


def test_anything_but_text_bytes_or_an_article_is_a_coded_error() -> None:
    for bad in (12, None, ["text"], {"text": "x"}):
        with pytest.raises(NewsgraphError) as info:
            newsgraph.analyze(bad)  # type: ignore[arg-type]
        assert info.value.code == "E033"


def test_a_worker_that_dies_costs_only_its_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in poison_env(tmp_path).items():
        monkeypatch.setenv(key, value)  # spawned workers start with this environment
    texts = [good_article(i) for i in range(12)]
    texts[5] = "POISON-KILL " + texts[5]
    got = list(analyze_many(texts, processes=2, errors="include"))
    assert len(got) == 12
    assert isinstance(got[5], NewsgraphError) and got[5].code == "E029"
    assert "worker process died" in got[5].message
    good = [r for i, r in enumerate(got) if i != 5]
    assert all(isinstance(r, newsgraph.Report) for r in good)
    assert [r.article.text for r in good] == [t for i, t in enumerate(texts) if i != 5]
