"""Train the check-worthiness model and write the packaged artifact.

    .venv/bin/python -m pip install -c requirements.lock -e '.[train]'   # scikit-learn
    .venv/bin/python scripts/train_claims.py                 # or: make claims-model
    .venv/bin/python scripts/train_claims.py --data PATH --out PATH

Data: ``../shared/data/claims-checkworthy.jsonl`` (ClaimBuster sentences from US
presidential debates; ``split`` train = the crowdsourced set, dev = the groundtruth
set). Each sentence is parsed by the spaCy model newsgraph runs (its own components
switched off) and described by ``newsgraph.claims.features``.

Everything is chosen on the train split alone, by stratified 5-fold cross-validation
(out-of-fold scores, F1 of the positive class): first the learner (logistic
regression or a linear SVM with Platt scaling, both class-weighted), its C and the
minimum feature count; then, greedily, whether dropping a feature family helps; then
the decision threshold that maximises the out-of-fold F1. The chosen configuration is
refitted on all of train. Only then is the dev split scored, once, by the packaged
scorer reading the artifact as written, and the figures go into the artifact's meta.

The run is deterministic (fixed seed and folds, sorted JSON, gzip without a date):
the same data and library versions give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from newsgraph.claims.features import ALL_FAMILIES, family, features
from newsgraph.claims.model import CheckworthinessModel

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "claims-checkworthy.jsonl"
OUT = ROOT / "src" / "newsgraph" / "claims" / "data" / "checkworthy.json.gz"
SEED = 13
FOLDS = 5
#: (learner, C) tried in the first round, each with every minimum count
LEARNERS = (("logreg", 1.0), ("logreg", 3.0), ("logreg", 10.0), ("svm", 0.1), ("svm", 0.3))
MIN_COUNTS = (2, 3)
#: significant digits kept of each weight in the artifact
DIGITS = 6

Named = dict[str, float]


@dataclass(frozen=True)
class Config:
    learner: str
    C: float
    min_count: int
    families: tuple[str, ...] = ALL_FAMILIES

    def label(self) -> str:
        dropped = sorted(set(ALL_FAMILIES) - set(self.families))
        less = f" -{'-'.join(dropped)}" if dropped else ""
        return f"{self.learner} C={self.C:g} min_count={self.min_count}{less}"


@dataclass(frozen=True)
class Fit:
    f1: float
    precision: float
    recall: float
    threshold: float


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def parse(texts: Sequence[str]) -> list[Named]:
    """The features of each text, parsed by newsgraph's spaCy model alone."""
    import newsgraph.api
    import newsgraph.pipeline

    nlp = newsgraph.api.pipeline()
    ours = [
        n for n in nlp.pipe_names if n in newsgraph.pipeline.COMPONENTS or n.startswith("newsgraph")
    ]
    with nlp.select_pipes(disable=ours):
        return [features(doc[:]) for doc in nlp.pipe(texts, batch_size=256)]


def model_name() -> str:
    import newsgraph.api
    from newsgraph.pipeline import model_info

    info = model_info(newsgraph.api.pipeline())
    return f"{info['model']}=={info['version']}"


def vocabulary(named: Sequence[Named], config: Config) -> dict[str, int]:
    counts = Counter(name for row in named for name in row)
    keep = set(config.families)
    names = sorted(n for n, c in counts.items() if c >= config.min_count and family(n) in keep)
    return {name: i for i, name in enumerate(names)}


def matrix(named: Sequence[Named], vocab: dict[str, int]) -> sp.csr_matrix:
    """Rows of known features, L2-normalised: what CheckworthinessModel.decision computes."""
    indptr, indices, values = [0], [], []
    for row in named:
        for name, value in sorted(row.items()):
            column = vocab.get(name)
            if column is not None:
                indices.append(column)
                values.append(value)
        indptr.append(len(indices))
    shape = (len(named), len(vocab))
    x = sp.csr_matrix((np.array(values, dtype=np.float64), indices, indptr), shape=shape)
    return normalize(x, norm="l2", copy=False)


def learner(config: Config) -> LogisticRegression | LinearSVC:
    if config.learner == "logreg":
        return LogisticRegression(
            C=config.C, class_weight="balanced", max_iter=5000, random_state=SEED
        )
    return LinearSVC(C=config.C, class_weight="balanced", max_iter=20000, random_state=SEED)


def decision(model: LogisticRegression | LinearSVC, x: sp.csr_matrix) -> np.ndarray:
    return np.asarray(model.decision_function(x), dtype=np.float64)


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, b) of the sigmoid a*z + b fitted to labels: turns SVM margins into probabilities."""
    fit = LogisticRegression(C=1e6, max_iter=1000).fit(z.reshape(-1, 1), y)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def best_threshold(y: np.ndarray, p: np.ndarray) -> Fit:
    """The cut on probabilities p (positive when >= cut) with the highest F1 on labels y."""
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    predicted = np.arange(1, len(ys) + 1)
    last = np.r_[ps[1:] != ps[:-1], True]  # only cut between different scores
    f1 = np.where(last, 2 * tp / (predicted + ys.sum()), -1.0)
    i = int(np.argmax(f1))
    cut = float((ps[i] + ps[i + 1]) / 2) if i + 1 < len(ps) else float(ps[i])
    return Fit(float(f1[i]), float(tp[i] / predicted[i]), float(tp[i] / ys.sum()), cut)


def cross_validate(named: Sequence[Named], y: np.ndarray, config: Config) -> Fit:
    """Out-of-fold probabilities of the configuration on train, and their best F1."""
    vocab = vocabulary(named, config)
    x = matrix(named, vocab)
    z = np.zeros(len(y))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for fit_rows, held_rows in folds.split(x, y):
        model = learner(config).fit(x[fit_rows], y[fit_rows])
        z[held_rows] = decision(model, x[held_rows])
    if config.learner == "svm":
        a, b = platt(z, y)
        z = a * z + b
    return best_threshold(y, 1 / (1 + np.exp(-z)))


def select(named: Sequence[Named], y: np.ndarray) -> tuple[Config, Fit, list[dict[str, Any]]]:
    grid: list[dict[str, Any]] = []

    def trial(config: Config) -> Fit:
        t = time.perf_counter()
        fit = cross_validate(named, y, config)
        grid.append({"config": config.label(), **asdict(fit)})
        print(
            f"  cv {config.label():48s} F1 {fit.f1:.4f} P {fit.precision:.4f} "
            f"R {fit.recall:.4f} ({time.perf_counter() - t:.0f}s)",
            flush=True,
        )
        return fit

    # round 1: learner, C and minimum count, with every family
    scored = [
        (trial(Config(name, c, m)), Config(name, c, m)) for name, c in LEARNERS for m in MIN_COUNTS
    ]
    best_fit, best = max(scored, key=lambda s: s[0].f1)
    improved = True
    while improved and len(best.families) > 1:  # round 2: drop families while it helps
        improved = False
        round_best: tuple[Fit, Config] | None = None
        for drop in best.families:
            config = replace(best, families=tuple(f for f in best.families if f != drop))
            fit = trial(config)
            if fit.f1 > best_fit.f1 and (round_best is None or fit.f1 > round_best[0].f1):
                round_best = (fit, config)
        if round_best is not None:
            best_fit, best = round_best
            improved = True
    return best, best_fit, grid


def train(named: Sequence[Named], y: np.ndarray, config: Config) -> tuple[dict[str, float], float]:
    """Weights by feature name and intercept of the configuration fitted on all of train."""
    vocab = vocabulary(named, config)
    x = matrix(named, vocab)
    model = learner(config).fit(x, y)
    coef, intercept = np.asarray(model.coef_[0]), float(np.ravel(model.intercept_)[0])
    if config.learner == "svm":
        folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
        z = np.zeros(len(y))
        for fit_rows, held_rows in folds.split(x, y):
            z[held_rows] = decision(learner(config).fit(x[fit_rows], y[fit_rows]), x[held_rows])
        a, b = platt(z, y)
        coef, intercept = a * coef, a * intercept + b
    weights = {name: float(f"{coef[i]:.{DIGITS}g}") for name, i in vocab.items()}
    # The packaged scorer must reproduce the learner's scores.
    mine = CheckworthinessModel(weights, intercept, 0.5, normalise="l2")
    sample = list(range(0, len(named), max(1, len(named) // 500)))
    ref = coef @ x[sample].T.toarray() + intercept
    got = np.array([mine.decision(named[i]) for i in sample])
    assert np.max(np.abs(ref - got)) < 1e-3, "pure-Python scorer disagrees with the learner"
    return weights, float(f"{intercept:.{DIGITS + 2}g}")


def prf(y: np.ndarray, predicted: np.ndarray) -> dict[str, float | int]:
    tp = int(np.sum(predicted & (y == 1)))
    fp = int(np.sum(predicted & (y == 0)))
    fn = int(np.sum(~predicted & (y == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn}


def main() -> int:
    parser = argparse.ArgumentParser(description="train the check-worthiness model")
    parser.add_argument("--data", type=Path, default=DATA, help="claims-checkworthy.jsonl")
    parser.add_argument("--out", type=Path, default=OUT, help="artifact to write (.json.gz)")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"no training data at {args.data}", file=sys.stderr)
        return 1
    rows = load_rows(args.data)
    train_rows = [r for r in rows if r["split"] == "train"]
    dev_rows = [r for r in rows if r["split"] == "dev"]
    y = np.array([int(r["label"]) for r in train_rows])
    y_dev = np.array([int(r["label"]) for r in dev_rows])
    print(
        f"{args.data.name}: train {len(y)} ({int(y.sum())} check-worthy), "
        f"dev {len(y_dev)} ({int(y_dev.sum())} check-worthy)",
        flush=True,
    )
    t = time.perf_counter()
    named = parse([r["sentence"] for r in train_rows + dev_rows])
    named_train, named_dev = named[: len(train_rows)], named[len(train_rows) :]
    print(f"parsed {len(named)} sentences in {time.perf_counter() - t:.0f}s", flush=True)

    print(f"model selection: stratified {FOLDS}-fold cross-validation on train only")
    config, cv, grid = select(named_train, y)
    print(f"chosen: {config.label()}; cv F1 {cv.f1:.4f} at threshold {cv.threshold:.4f}")
    weights, intercept = train(named_train, y, config)

    model = CheckworthinessModel(weights, intercept, cv.threshold, normalise="l2")
    dev_scores = np.array([model.score_features(f) for f in named_dev])
    dev = prf(y_dev, dev_scores >= model.threshold)
    model.meta = {
        "data": args.data.name,
        "data_sha256": sha256(args.data),
        "train_size": len(y),
        "train_positive": int(y.sum()),
        "dev_size": len(y_dev),
        "dev_positive": int(y_dev.sum()),
        "config": asdict(config) | {"families": list(config.families)},
        "folds": FOLDS,
        "cv_f1": round(cv.f1, 4),
        "cv_precision": round(cv.precision, 4),
        "cv_recall": round(cv.recall, 4),
        "threshold": model.threshold,
        "dev_f1": round(float(dev["f1"]), 4),
        "dev_precision": round(float(dev["precision"]), 4),
        "dev_recall": round(float(dev["recall"]), 4),
        "dev_counts": {k: dev[k] for k in ("tp", "fp", "fn")},
        "features": len(weights),
        "seed": SEED,
        "grid": [
            {k: round(v, 4) if isinstance(v, float) else v for k, v in g.items()} for g in grid
        ],
        "versions": {
            "python": platform.python_version(),
            "numpy": version("numpy"),
            "scipy": version("scipy"),
            "scikit-learn": version("scikit-learn"),
            "spacy": version("spacy"),
            "spacy_model": model_name(),
        },
        "script": "scripts/train_claims.py",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    again = CheckworthinessModel.load(args.out)
    assert [again.score_features(f) for f in named_dev] == dev_scores.tolist()

    print(f"features {len(weights)}, threshold {model.threshold:.4f}")
    print(f"train cv ({FOLDS}-fold): F1 {cv.f1:.4f}  P {cv.precision:.4f}  R {cv.recall:.4f}")
    print(
        f"dev (held out, {len(y_dev)} sentences): F1 {dev['f1']:.4f}  "
        f"P {dev['precision']:.4f}  R {dev['recall']:.4f}  "
        f"(tp {dev['tp']}, fp {dev['fp']}, fn {dev['fn']})"
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
