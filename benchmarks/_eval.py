"""Shared by the accuracy benchmarks: run newsgraph and the baselines on gold sets, score them.

Baselines: ``bare()`` (en_core_web_sm's ``doc.ents`` typed by a plain label map) for
entities, ``dateparser_baseline()`` (spaCy DATE/TIME mentions normalised by dateparser)
for timexes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _data import DATA, SHARED
from newsgraph.api import pipeline
from newsgraph.engines.local import analyze_many
from newsgraph.entities.tables import NER_TYPE_MAP
from newsgraph.pipeline import COMPONENTS
from newsgraph.report import Article, Entity, Report, Span, Timex

SCORER = SHARED / "eval" / "score.py"


def available() -> bool:
    return SCORER.exists() and DATA.exists()


def load_gold(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def layer_docs(
    parser: argparse.ArgumentParser, gold: str, layer: str, limit: int | None
) -> list[dict[str, Any]]:
    """The documents of ``gold`` annotated for ``layer`` (the first ``limit``); a usage
    error when the file or such documents are missing."""
    gold_path = DATA / gold
    if not gold_path.exists():
        parser.error(f"no gold set {gold_path}")
    docs = [d for d in load_gold(gold) if layer in d.get("layers", [])]
    if limit:
        docs = docs[:limit]
    if not docs:
        parser.error(f"{gold} has no document with the '{layer}' layer")
    return docs


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


#: TIMEX3 part-of-day codes for dateparser's parts of the day ("this morning" -> ...TMO).
PARTS_OF_DAY = {
    "early_morning": "MO",
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
}


def dateparser_value(data: Any) -> str:
    """The TIMEX3 value of a dateparser ``DateData`` at its period's granularity ("" if none).

    year -> ``YYYY``, month -> ``YYYY-MM``, week -> the ISO week ``YYYY-Www`` (TimeML's
    value for "this week", "last week"), day -> ``YYYY-MM-DD``, part of the day ->
    ``YYYY-MM-DDTMO`` (MO/AF/EV/NI), time -> ``YYYY-MM-DDTHH:MM``.
    """
    date = data.date_obj
    if date is None:
        return ""
    period = data.period
    if period == "year":
        return f"{date:%Y}"
    if period == "month":
        return f"{date:%Y-%m}"
    if period == "week":
        year, week, _ = date.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if period == "part_of_day" and data.part_of_day is not None:
        return f"{date:%Y-%m-%d}T{PARTS_OF_DAY.get(data.part_of_day.value, 'DT')}"
    if period in ("time", "part_of_day"):
        return f"{date:%Y-%m-%dT%H:%M}"
    return f"{date:%Y-%m-%d}"


def dateparser_baseline(docs: list[dict[str, Any]]) -> list[Report]:
    """spaCy finds the time expressions, dateparser 1.5 normalises them: the timex baseline.

    Every ``doc.ents`` span of bare en_core_web_sm labelled DATE or TIME is one timex,
    typed by its label (spaCy has no DURATION or SET), its value what
    ``DateDataParser(languages=["en"]).get_date_data`` makes of the span text (see
    ``dateparser_value``), anchored at the document's ``published`` date
    (``RELATIVE_BASE``, at noon so that "two hours ago" stays on that day; without a
    date, dateparser's own default: now).

    ``PREFER_DATES_FROM`` stays at dateparser's default, ``current_period`` ("March" is
    this year's March, "Thursday" this week's). "past" looks apt for news but is worse:
    it sends a weekday named on that very day ("Thursday" in an article of Thursday) to
    the week before. On the dev sets the default gives value F1 0.420 vs 0.330 on
    timebank-train and 0.642 vs 0.606 on meantime-apple, so the baseline gets the
    stronger setting.

    A span dateparser cannot parse is still emitted, with the value "": spaCy did find
    a time expression there, so it counts for the span and type scores (dropping it
    would take away recall the baseline earned) and only its value is wrong.
    """
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]

    nlp = pipeline()
    parsers: dict[str | None, Any] = {}
    reports = []
    with nlp.select_pipes(disable=list(COMPONENTS)):
        for d, doc in zip(docs, nlp.pipe(d["text"] for d in docs), strict=True):
            anchor = d.get("published")
            parser = parsers.get(anchor)
            if parser is None:
                settings: dict[str, Any] = {
                    "RETURN_TIME_AS_PERIOD": True,
                    "PREFER_DATES_FROM": "current_period",
                }
                if anchor:
                    base = dt.datetime.combine(dt.date.fromisoformat(anchor), dt.time(12))
                    settings["RELATIVE_BASE"] = base
                parser = parsers[anchor] = DateDataParser(languages=["en"], settings=settings)
            timexes = [
                Timex(
                    e.start_char,
                    e.end_char,
                    e.text,
                    e.label_,
                    dateparser_value(parser.get_date_data(e.text)),
                    origin=f"dateparser:{e.label_}",
                )
                for e in doc.ents
                if e.label_ in ("DATE", "TIME")
            ]
            article = Article(text=d["text"], published=anchor)
            reports.append(Report(article=article, timexes=timexes))
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


def spread(rows: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """At most n rows, evenly spaced over the list (so over many documents)."""
    if len(rows) <= n:
        return rows
    return [rows[i * len(rows) // n] for i in range(n)]


def row_key(label: str) -> str:
    """The JSON key of a printed table row: "value F1" -> "value_f1", as in figures()."""
    return label.lower().replace(" ", "_")


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
            "direct_recall": result["direct_recall"]["recall"],
            "token_macro_f1": result["token_level"]["macro_f1"],
        }
    if task == "timex":
        return {
            "strict_f1": result["strict"]["f1"],
            "relaxed_f1": result["relaxed"]["f1"],
            "type_accuracy": result["type"]["accuracy"],
            "value_accuracy": result["value"]["accuracy"],
            "value_f1": result["value"]["f1"],
        }
    if task == "events":
        return {
            "typed_f1": result["typed"]["f1"],
            "detection_f1": result["detection"]["f1"],
            "source_accuracy": result["source_accuracy"]["accuracy"],
            "target_accuracy": result["target_accuracy"]["accuracy"],
            "mode_accuracy": result["mode_accuracy"]["accuracy"],
        }
    if task == "geo":
        return {
            "geotagging_f1": result["geotagging"]["f1"],
            "geotagging_p": result["geotagging"]["precision"],
            "geotagging_r": result["geotagging"]["recall"],
            "accuracy_161km": result["resolution"]["accuracy_161km"],
            "median_km": result["resolution"]["median_km"] or 0.0,
            "recall_161km": result["end_to_end"]["recall_161km"],
        }
    raise ValueError(task)
