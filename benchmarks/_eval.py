"""Shared by the accuracy benchmarks: run newsgraph and bare spaCy on gold sets, score them."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _data import DATA, SHARED
from newsgraph.api import analyze_many, pipeline
from newsgraph.nlp import COMPONENTS
from newsgraph.nlp.tables import NER_TYPE_MAP
from newsgraph.report import Article, Entity, Report, Span

SCORER = SHARED / "eval" / "score.py"


def available() -> bool:
    return SCORER.exists() and DATA.exists()


def load_gold(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(rows: list[dict[str, Any]]) -> Path:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return Path(f.name)


def ours(docs: list[dict[str, Any]]) -> list[Report]:
    """newsgraph on the gold texts, each with its own publication date."""
    articles = [Article(text=d["text"], published=d.get("published")) for d in docs]
    return list(analyze_many(articles))


def bare(docs: list[dict[str, Any]]) -> list[Report]:
    """Bare en_core_web_sm: every ``doc.ents`` span on its own, typed by the plain label map."""
    nlp = pipeline()
    reports = []
    with nlp.select_pipes(disable=list(COMPONENTS)):
        for d, doc in zip(docs, nlp.pipe(d["text"] for d in docs), strict=True):
            ents = [
                Entity(
                    f"e{i}",
                    e.text,
                    NER_TYPE_MAP[e.label_],  # type: ignore[arg-type]
                    None,
                    [Span(e.start_char, e.end_char, e.text)],
                )
                for i, e in enumerate(doc.ents)
                if e.label_ in NER_TYPE_MAP
            ]
            reports.append(Report(article=Article(text=d["text"]), entities=ents))
    return reports


def score(
    task: str, gold: Path, reports: list[Report], extra: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Run ../shared/eval/score.py on the reports and return its JSON."""
    pred = write_jsonl([r.to_dict() for r in reports])
    try:
        proc = subprocess.run(
            [
                sys.executable,
                str(SCORER),
                task,
                "--gold",
                str(gold),
                "--pred",
                str(pred),
                "--json",
                *extra,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        pred.unlink()
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def figures(task: str, result: dict[str, Any]) -> dict[str, float]:
    """The headline figures of a score.py result, by task."""
    if task == "entities":
        return {
            "typed_exact_f1": result["typed"]["f1"],
            "typed_overlap_f1": result["relaxed_typed"]["f1"],
            "pro_recall_exact": result["per_type"].get("PRO", {}).get("recall", 0.0),
        }
    if task == "quotes":
        return {
            "quote_f1_30": result["quote_level"]["30%"]["f1"],
            "speaker_accuracy": result["speaker_accuracy"]["accuracy"],
            "cue_accuracy": result["cue_accuracy"]["accuracy"],
            "token_macro_f1": result["token_level"]["macro_f1"],
        }
    raise ValueError(task)
