"""Check-worthiness: the packaged model, the claims in newsgraph's reports, and a rule baseline.

Gold: the dev split of ``claims-checkworthy.jsonl`` (the ClaimBuster groundtruth set,
1,032 debate sentences, 238 check-worthy), which the model never trained on. Three
predictions per sentence, scored by precision, recall and F1 of the check-worthy class:

- model: the sentence parsed by newsgraph's spaCy model (its own components off),
  positive when ``default_model().score(sentence) >= model.threshold``;
- pipeline: the sentence analysed as a one-sentence article by ``analyze_many``,
  positive when its report has a claim at or above the claim threshold;
- baseline: positive when the sentence has a number, or an entity spaCy labels
  CARDINAL, PERCENT, MONEY, QUANTITY, DATE, ORDINAL, GPE, ORG, NORP, LAW or EVENT
  (of the simple rules tried, the best F1 on the train split).

    .venv/bin/python benchmarks/claims.py
    .venv/bin/python benchmarks/claims.py --errors 10     # model false positives / negatives
    .venv/bin/python benchmarks/claims.py --json
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from collections.abc import Sequence
from typing import Any, Literal

from _data import DATA, SHARED
from newsgraph.api import pipeline
from newsgraph.claims.component import CLAIM_AT
from newsgraph.claims.model import default_model
from newsgraph.engines.local import analyze_many
from newsgraph.pipeline import COMPONENTS
from newsgraph.report import Article

GOLD = DATA / "claims-checkworthy.jsonl"
#: entity labels that make a sentence checkable for the baseline
CHECKABLE = frozenset(
    {
        "CARDINAL",
        "PERCENT",
        "MONEY",
        "QUANTITY",
        "DATE",
        "ORDINAL",
        "GPE",
        "ORG",
        "NORP",
        "LAW",
        "EVENT",
    }
)
Mode = Literal["model", "pipeline"]


def available() -> bool:
    return GOLD.exists()


@functools.cache
def dev_rows() -> tuple[dict[str, Any], ...]:
    with GOLD.open(encoding="utf-8") as handle:
        rows = (json.loads(line) for line in handle if line.strip())
        return tuple(r for r in rows if r["split"] == "dev")


@functools.cache
def parsed() -> tuple[tuple[float, bool], ...]:
    """(model score, baseline says check-worthy) of each dev sentence, parsed by spaCy alone."""
    nlp = pipeline()
    model = default_model()
    ours = [n for n in nlp.pipe_names if n in COMPONENTS or n.startswith("newsgraph")]
    out = []
    with nlp.select_pipes(disable=ours):
        for doc in nlp.pipe((r["sentence"] for r in dev_rows()), batch_size=256):
            rule = any(t.like_num for t in doc) or any(e.label_ in CHECKABLE for e in doc.ents)
            out.append((model.score(doc[:]), rule))
    return tuple(out)


def claim_threshold() -> float:
    """The check-worthiness at which the model calls a report's statement check-worthy."""
    return float(CLAIM_AT)


@functools.cache
def pipeline_scores() -> tuple[float, ...]:
    """The highest claim check-worthiness in the report of each dev sentence (0 if none)."""
    articles = [Article(text=r["sentence"]) for r in dev_rows()]
    return tuple(
        max((c.checkworthiness for c in report.claims), default=0.0)
        for report in analyze_many(articles)
    )


def prf(gold: Sequence[int], predicted: Sequence[bool]) -> dict[str, float | int]:
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p and not g)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def predictions(mode: Mode) -> tuple[list[float], list[bool], float]:
    """Scores, positive or not, and the threshold of each dev sentence under ``mode``."""
    if mode == "model":
        scores = [s for s, _ in parsed()]
        threshold = default_model().threshold
    elif mode == "pipeline":
        scores = list(pipeline_scores())
        threshold = claim_threshold()
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return scores, [s >= threshold for s in scores], threshold


def claim_figures(mode: Mode = "model") -> dict[str, dict[str, float]]:
    """Check-worthiness F1, precision and recall on the dev split: ``ours`` (the model or
    the pipeline) and ``baseline`` (the rule)."""
    gold = [int(r["label"]) for r in dev_rows()]
    _, predicted, _ = predictions(mode)
    ours = prf(gold, predicted)
    base = prf(gold, [rule for _, rule in parsed()])
    keys = ("f1", "precision", "recall")
    return {
        "ours": {k: float(ours[k]) for k in keys},
        "baseline": {k: float(base[k]) for k in keys},
    }


def errors(scores: Sequence[float], predicted: Sequence[bool], n: int) -> dict[str, list[str]]:
    """Up to ``n`` false positives (highest scores first) and false negatives (lowest first)."""
    rows = dev_rows()
    fp = [(s, r) for s, p, r in zip(scores, predicted, rows, strict=True) if p and not r["label"]]
    fn = [(s, r) for s, p, r in zip(scores, predicted, rows, strict=True) if r["label"] and not p]
    fp.sort(key=lambda x: -x[0])
    fn.sort(key=lambda x: x[0])
    return {
        "false_positives": [f"{s:.3f} {r['id']}: {r['sentence']}" for s, r in fp[:n]],
        "false_negatives": [f"{s:.3f} {r['id']}: {r['sentence']}" for s, r in fn[:n]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="check-worthiness: model, pipeline, baseline")
    parser.add_argument("--errors", type=int, default=0, help="list N false positives/negatives")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if not available():
        print(f"skipped: no {GOLD.name} under {SHARED}")
        return 0
    gold = [int(r["label"]) for r in dev_rows()]
    model = default_model()
    out: dict[str, Any] = {
        "gold": GOLD.name,
        "sentences": len(gold),
        "checkworthy": sum(gold),
        "threshold": model.threshold,
    }
    seconds: dict[str, float] = {}
    found: dict[str, dict[str, list[str]]] = {}
    for mode in ("model", "pipeline"):
        t = time.perf_counter()
        scores, predicted, threshold = predictions(mode)
        seconds[mode] = round(time.perf_counter() - t, 2)
        out[mode] = prf(gold, predicted) | {"threshold": threshold}
        if args.errors:
            found[mode] = errors(scores, predicted, args.errors)
    out["baseline"] = prf(gold, [rule for _, rule in parsed()])
    base_f1 = float(out["baseline"]["f1"])
    out["ratio_to_baseline"] = {
        mode: round(float(out[mode]["f1"]) / base_f1, 3) if base_f1 else None
        for mode in ("model", "pipeline")
    }
    out["seconds"] = seconds
    out["training"] = {
        k: model.meta.get(k) for k in ("cv_f1", "dev_f1", "dev_precision", "dev_recall")
    }
    if args.json:
        if found:
            out["errors"] = found
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(
        f"{GOLD.name} dev: {len(gold)} sentences, {sum(gold)} check-worthy; "
        f"model threshold {model.threshold:.4f} ({seconds['model']:.1f}s model incl. parse, "
        f"{seconds['pipeline']:.1f}s pipeline)"
    )
    print(
        f"{'':10s} {'precision':>10s} {'recall':>10s} {'F1':>8s} {'tp':>5s} {'fp':>5s} {'fn':>5s}"
    )
    for name in ("model", "pipeline", "baseline"):
        row = out[name]
        print(
            f"{name:10s} {row['precision']:10.4f} {row['recall']:10.4f} {row['f1']:8.4f} "
            f"{row['tp']:5d} {row['fp']:5d} {row['fn']:5d}"
        )
    for mode in ("model", "pipeline"):
        ratio = out["ratio_to_baseline"][mode]
        print(f"F1 {mode}/baseline: {ratio if ratio is not None else '-'}")
    if not any(out["pipeline"][k] for k in ("tp", "fp")):
        print("(pipeline: no report has a claim yet)")
    for mode, kinds in found.items():
        for kind, lines in kinds.items():
            print(f"\n== {mode} {kind.replace('_', ' ')} (up to {args.errors})")
            for line in lines:
                print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
