"""The time layer on the reference article: the values, the estimate and the timeline."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

import newsgraph
from conftest import run_cli, shared_path
from newsgraph.report import Report

pytestmark = [pytest.mark.model, pytest.mark.shared]

#: expression -> (type, value) with --published 2025-12-19
SEED_VALUES = {
    "last week": ("DATE", "2025-W50"),
    "September 2024": ("DATE", "2024-09"),
    "January 20, 2025": ("DATE", "2025-01-20"),
    "2017": ("DATE", "2017"),
    "the 21st century": ("DATE", "20"),
    "The coming months": ("DATE", "FUTURE_REF"),
    "nearly a decade ago": ("DATE", "2016"),
    "four to six months": ("DURATION", "P4M"),
}


@pytest.fixture(scope="module")
def seed_report(seed_text: str) -> Report:
    return newsgraph.analyze(seed_text, published="2025-12-19")


def test_the_seed_expressions_have_their_values(
    seed_report: Report, validate: Callable[[dict[str, Any]], None]
) -> None:
    validate(seed_report.to_dict())
    assert seed_report.span_problems() == []
    got = {t.text: t for t in seed_report.timexes}
    for text, (kind, value) in SEED_VALUES.items():
        assert (got[text].type, got[text].value) == (kind, value), text
    assert got["nearly a decade ago"].mod == "APPROX"
    assert got["four to six months"].upper == "P6M"
    assert got["last week"].anchor == "published"


def test_the_seed_timeline_reads_in_order(seed_report: Report) -> None:
    labels = [e.label for e in seed_report.timeline]
    wanted = [
        "purchased in 2017",
        "to suspend Turkey from the F-35 program",
        "meeting with U.S. President Donald Trump",
        "sworn in on January 20, 2025",
        "meeting with Russian counterpart Vladimir Putin last week",
        "resolved within four to six months",
    ]
    positions = [next(i for i, label in enumerate(labels) if w in label) for w in wanted]
    assert positions == sorted(positions), labels
    first = seed_report.timeline[positions[0]]
    assert first.value == "2017" and [s.text for s in first.also] == ["nearly a decade ago"]
    assert seed_report.timeline[positions[1]].relation == "after"
    deadline = seed_report.timeline[positions[-1]]
    assert (deadline.relation, deadline.start, deadline.end) == ("by", "2026-04-19", "2026-06-19")
    # "last week" inside Bloomberg's quote dates the meeting it tells of, not the report
    (quoted,) = {
        q.id: q
        for t in seed_report.timeline
        for q in seed_report.quotes
        if t.value == "2025-W50" and q.id == t.quote
    }.values()
    assert "last week" in quoted.content.text and quoted.date is None


def test_without_a_date_the_seed_is_estimated_on_or_after_the_inauguration(
    seed_text: str,
) -> None:
    report = newsgraph.analyze(seed_text)
    assert (report.article.published, report.article.published_source) == (
        "2025-01-20",
        "estimated",
    )
    flag = next(f for f in report.flags if f.code == "PUBLISHED_DATE_ESTIMATED")
    assert "on or after 2025-01-20" in flag.message
    assert [e.text for e in flag.evidence] == ["January 20, 2025"]
    assert report.span_problems() == []
    last_week = next(t for t in report.timexes if t.text == "last week")
    assert last_week.value == "XXXX-WXX"  # nothing to count from


def test_the_text_view_prints_the_timeline() -> None:
    seed = shared_path("seed", "s400-return.txt")
    proc = run_cli("analyze", str(seed), "--published", "2025-12-19", "--format", "text")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")
    timeline = out[out.index("Timeline") : out.index("Time expressions")]
    order = ["2017", "after 2017", "2024-09", "2025-01-20", "2025-W50 “last week”", "by 2026"]
    places = [timeline.index(x) for x in order]
    assert places == sorted(places), timeline


def test_json_output_carries_the_timeline() -> None:
    seed = shared_path("seed", "s400-return.txt")
    proc = run_cli("analyze", str(seed), "--published", "2025-12-19", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["timeline"][0]["value"] == "2017"
    assert Report.from_dict(data).to_dict() == data
