"""The check-worthiness model: a linear classifier over :mod:`.features`, packaged as data.

``scripts/train_claims.py`` trains it (scikit-learn, on the ClaimBuster sentences) and
writes ``data/checkworthy.json.gz``: a weight per feature name, an intercept, the
decision threshold chosen by cross-validation, and the facts of the training run
(``meta``). Scoring needs none of scikit-learn: the features of a span are looked up
in the weight table, summed (after the same L2 normalisation as in training, when the
model was trained so), and passed through the logistic function.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Final

from spacy.tokens import Span

from .features import TokenTable, features

#: the packaged artifact, relative to the ``newsgraph.claims`` package
ARTIFACT: Final = "data/checkworthy.json.gz"
#: the artifact format this module reads
FORMAT: Final = "newsgraph.checkworthiness.v1"
NORMALISATIONS: Final = frozenset({"none", "l2"})


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class CheckworthinessModel:
    """Scores a sentence or clause: the probability (0..1) that it is check-worthy.

    A span is check-worthy when ``score(span) >= threshold``.
    """

    def __init__(
        self,
        weights: Mapping[str, float],
        intercept: float,
        threshold: float,
        *,
        normalise: str = "none",
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        if normalise not in NORMALISATIONS:
            raise ValueError(f"unknown normalisation {normalise!r}")
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold {threshold} is not a probability strictly in (0, 1)")
        self.weights: dict[str, float] = dict(weights)
        self.intercept = float(intercept)
        self.threshold = float(threshold)
        self.normalise = normalise
        self.meta: dict[str, Any] = dict(meta or {})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckworthinessModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} artifact (format {data.get('format')!r})")
        return cls(
            {str(k): float(v) for k, v in data["weights"].items()},
            float(data["intercept"]),
            float(data["threshold"]),
            normalise=str(data.get("normalise", "none")),
            meta=dict(data.get("meta", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "normalise": self.normalise,
            "intercept": self.intercept,
            "threshold": self.threshold,
            "meta": self.meta,
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def load(cls, path: str | Path | None = None) -> CheckworthinessModel:
        """The model in ``path`` (a ``.json.gz`` or ``.json`` file); by default the packaged one."""
        if path is None:
            raw = resources.files("newsgraph.claims").joinpath(ARTIFACT).read_bytes()
        else:
            raw = Path(path).read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return cls.from_dict(json.loads(raw.decode("utf-8")))

    def save(self, path: str | Path) -> None:
        """Write the artifact, byte-for-byte the same for the same model (gzip without a date)."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
        data = text.encode("utf-8")
        if str(path).endswith(".gz"):
            data = gzip.compress(data, compresslevel=9, mtime=0)
        Path(path).write_bytes(data)

    def decision(self, named: Mapping[str, float]) -> float:
        """The linear score (log-odds) of a feature dict from :func:`.features.features`."""
        weights = self.weights
        if set(named.values()) <= {1.0}:
            # presence features (all that features() makes): the same sums, in the same
            # order, without a multiplication per feature
            found = [w for w in map(weights.get, named) if w is not None]
            total = sum(found, 0.0)
            squares = float(len(found))
        else:
            total = 0.0
            squares = 0.0
            for name, value in named.items():
                weight = weights.get(name)
                if weight is not None:
                    total += weight * value
                    squares += value * value
        if self.normalise == "l2" and squares > 0.0:
            total /= math.sqrt(squares)
        return total + self.intercept

    def score_features(self, named: Mapping[str, float]) -> float:
        return sigmoid(self.decision(named))

    def score(self, span: Span, table: TokenTable | None = None) -> float:
        """The probability that ``span`` (a sentence or clause of a parsed Doc) is
        check-worthy; ``table`` as :func:`.features.features` takes it."""
        return self.score_features(features(span, table))

    def score_many(self, spans: Iterable[Span], table: TokenTable | None = None) -> list[float]:
        return [self.score(span, table) for span in spans]

    def is_checkworthy(self, span: Span) -> bool:
        return self.score(span) >= self.threshold

    def __repr__(self) -> str:
        return (
            f"CheckworthinessModel({len(self.weights)} features, "
            f"threshold={self.threshold:.4f}, normalise={self.normalise!r})"
        )


@functools.cache
def default_model() -> CheckworthinessModel:
    """The packaged model, loaded once per process."""
    return CheckworthinessModel.load()


__all__ = ["ARTIFACT", "FORMAT", "CheckworthinessModel", "default_model", "sigmoid"]
