"""``newsgraph_claims_v1``: the check-worthy claims an article makes.

1. Units (``claims.units``): each sentence's statements, a quote's content where the
   sentence reports speech, split where coordinated clauses have subjects of their own.
2. Check-worthiness (``claims.model``): the packaged classifier, trained in the
   repository on ClaimBuster sentences, scores each unit and its whole sentence; the
   unit's score is their mean, shifted so that 0.5 is the model's decision threshold.
3. Kind (``claims.kinds``): numeric, prediction, causal, evaluative or factual, by
   rules over the parse; time expressions and names ("F-35") are not amounts.
4. A unit is a claim when the model finds it check-worthy (origin ``...:model``), or
   when something concrete in it makes it checkable whatever the model, trained on
   debate transcripts, says (origin ``...:anchored``): an amount, a forecast with a
   date or deadline ("would be resolved within four to six months"), a comparison with
   a named thing ("not as advanced as the S-400"). Its score stays the model's.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left
from typing import Final

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..report import Claim, Quote, Timex
from ..text.sentences import statement_sentences
from ..text.spanindex import SpanIndex
from ..timevalues import parse_value
from .features import TokenTable
from .kinds import anchored, kind_of
from .model import CheckworthinessModel, default_model
from .units import Unit, units

COMPONENT = "newsgraph_claims_v1"
#: the check-worthiness at which a statement becomes a claim (the model's threshold)
CLAIM_AT: Final = 0.5
#: the weight of the whole sentence's score in a statement's (chosen on 3,000 train
#: sentences through the pipeline: F1 0.808 with 0, 0.843 with 0.5)
CONTEXT: Final = 0.5


def calibrated(probability: float, threshold: float) -> float:
    """The model's probability moved on the logit scale so that its threshold is 0.5."""
    p = min(max(probability, 1e-6), 1 - 1e-6)
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    z = math.log(p / (1 - p)) - math.log(t / (1 - t))
    return 1 / (1 + math.exp(-z))


def _token_set(doc: Doc, spans: list[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def _ahead(timex: Timex, published: dt.date | None) -> bool:
    """Does the expression name a time after the publication date? ("the future" is
    too vague: "questions about the future" forecasts nothing.)"""
    if published is None or timex.type not in ("DATE", "TIME"):
        return False
    point = parse_value(timex.value)
    return point is not None and point.day > published


class ClaimFinder:
    """The component: fills ``doc._.ng_claims`` with report :class:`Claim` objects."""

    def __init__(self, model: CheckworthinessModel | None = None) -> None:
        self._model = model

    @property
    def model(self) -> CheckworthinessModel:
        if self._model is None:
            self._model = default_model()
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        doc._.ng_claims = self.claims(doc)
        return doc

    def claims(self, doc: Doc) -> list[Claim]:
        quotes: list[Quote] = list(doc._.ng_quotes or [])
        timexes: list[Timex] = list(doc._.ng_timexes or [])
        names = _token_set(
            doc, [(m.start, m.end) for e in doc._.ng_entities or [] for m in e.mentions]
        )
        # dates and durations that pin a statement down (not "the future", "the 1990s")
        dated = [
            t
            for t in timexes
            if not t.value.endswith("_REF") and (t.type != "DATE" or len(t.value) > 3)
        ]
        times = _token_set(doc, [(t.start, t.end) for t in dated])
        skip = names | _token_set(doc, [(t.start, t.end) for t in timexes])
        published = doc._.ng_published if isinstance(doc._.ng_published, dt.date) else None
        ahead = sorted(_token_set(doc, [(t.start, t.end) for t in timexes if _ahead(t, published)]))
        # each sentence is given the quotes that overlap it (all units() looks at)
        by_place = SpanIndex(quotes, lambda q: (q.content.start, q.content.end))
        pairs = [
            (s, u)
            for s in statement_sentences(doc)
            for u in units(doc, s, by_place.overlapping(s.start_char, s.end_char))
        ]
        found: list[Unit] = [u for _, u in pairs]
        if not found:
            return []
        model = self.model
        table = TokenTable(doc)  # every token read once for all the spans scored
        own = model.score_many([u.span for u in found], table)
        # each sentence scored once, however many statements it makes
        sentences: dict[tuple[int, int], Span] = {}
        for s, _ in pairs:
            sentences.setdefault((s.start, s.end), s)
        whole_scores = model.score_many(list(sentences.values()), table)
        scored = dict(zip(sentences, whole_scores, strict=True))
        whole = [scored[(s.start, s.end)] for s, _ in pairs]
        # a statement read in its sentence: "these are not as advanced" says more with
        # the offer it answers (the model was trained on whole sentences)
        scores = [(1 - CONTEXT) * a + CONTEXT * b for a, b in zip(own, whole, strict=True)]
        out: list[Claim] = []
        for unit, score in zip(found, scores, strict=True):
            worth = round(calibrated(score, model.threshold), 4)
            span: Span = unit.span
            first = bisect_left(ahead, span.start)  # a token of a date ahead inside the span?
            future = first < len(ahead) and ahead[first] < span.end
            kind = kind_of(span, skip, future)
            if worth >= CLAIM_AT:
                origin = f"{COMPONENT}:model"
            elif anchored(span, kind, skip, times):
                origin = f"{COMPONENT}:anchored"
            else:
                continue
            out.append(
                Claim(
                    f"c{len(out) + 1}",
                    span.start_char,
                    span.end_char,
                    span.text,
                    worth,
                    kind,
                    unit.quote,
                    origin=origin,
                )
            )
        return out


@Language.factory(
    COMPONENT,
    assigns=["doc._.ng_claims"],
    requires=["doc._.ng_quotes", "doc._.ng_timexes", "token.dep", "token.tag"],
    default_config={},
)
def make_claim_finder(nlp: Language, name: str) -> ClaimFinder:
    return ClaimFinder()


__all__ = ["CLAIM_AT", "COMPONENT", "ClaimFinder", "calibrated"]
