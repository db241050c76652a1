"""The issue's bar on the reference article: claims with their kinds, and the checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import newsgraph
from conftest import run_cli
from newsgraph.report import Claim, Report

pytestmark = [pytest.mark.model, pytest.mark.shared]


@pytest.fixture(scope="module")
def seed_report(seed_text: str) -> Report:
    return newsgraph.analyze(seed_text, published="2025-12-19")


def claim_holding(report: Report, words: str) -> Claim:
    found = [c for c in report.claims if words in c.text]
    assert len(found) == 1, (words, [c.text for c in report.claims])
    return found[0]


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("hundreds of F-35 jets", "numeric"),
        ("prompting the U.S. to suspend", "causal"),
        ("finally resolved within four to six months", "prediction"),
        ("not as advanced as the S-400", "evaluative"),
    ],
)
def test_the_claims_of_the_issue_have_their_kinds(
    seed_report: Report, words: str, kind: str
) -> None:
    assert claim_holding(seed_report, words).kind == kind


def test_claims_in_quotes_point_at_them(seed_report: Report) -> None:
    quotes = {q.id: q for q in seed_report.quotes}
    resolved = claim_holding(seed_report, "finally resolved within four to six months")
    assert "would be" in resolved.text
    assert resolved.quote is not None
    content = quotes[resolved.quote].content
    assert content.start < resolved.end and resolved.start < content.end
    # the writer's own sentence is in no quote
    assert claim_holding(seed_report, "prompting the U.S. to suspend").quote is None


def test_the_september_2024_president_is_an_anachronism(seed_report: Report) -> None:
    [flag] = [f for f in seed_report.flags if f.code == "OFFICE_ANACHRONISM"]
    assert flag.severity == "error"
    evidence = [e.text for e in flag.evidence]
    assert evidence[:2] == ["President Donald Trump", "September 2024"]
    assert "sworn in on January 20, 2025" in evidence
    assert "Joe Biden" in flag.message
    # none on Erdogan, Putin, or "President Trump, who was reelected in 2024 ..."
    for e in flag.evidence:
        assert "Erdogan" not in e.text and "Putin" not in e.text


def test_mixed_script_and_no_contradiction(seed_report: Report) -> None:
    [mixed] = [f for f in seed_report.flags if f.code == "MIXED_SCRIPT"]
    assert [e.text for e in mixed.evidence] == ["Tomバーク"]
    assert mixed.severity == "error"
    # "purchased in 2017" and "acquired nearly a decade ago" (December 2025) agree
    assert not [f for f in seed_report.flags if f.code.endswith("CONTRADICTION")]


def test_flags_come_most_severe_first_and_point_into_the_text(seed_report: Report) -> None:
    order = {"error": 0, "warning": 1, "info": 2}
    ranks = [order[f.severity] for f in seed_report.flags]
    assert ranks == sorted(ranks)
    text = seed_report.article.text
    for f in seed_report.flags:
        assert f.message and f.code.isupper()
        assert all(text[e.start : e.end] == e.text for e in f.evidence)


def test_the_cli_reports_them(
    seed_text: str, tmp_path: Path, validate: Callable[[dict[str, Any]], None]
) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    out = run_cli("analyze", str(path), "--published", "2025-12-19", "--format", "json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    validate(report)
    codes = [f["code"] for f in report["flags"]]
    assert codes[:2] == ["OFFICE_ANACHRONISM", "MIXED_SCRIPT"] or codes[:2] == [
        "MIXED_SCRIPT",
        "OFFICE_ANACHRONISM",
    ]
    kinds = {c["kind"] for c in report["claims"]}
    assert {"numeric", "causal", "prediction", "evaluative", "factual"} <= kinds
    text = run_cli("analyze", str(path), "--published", "2025-12-19", "--format", "text")
    assert "OFFICE_ANACHRONISM" in text.stdout.decode()
