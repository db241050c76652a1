"""What a report says its story is about, as weighted terms.

An article's story terms are the actors the analysis linked (a KB id, else the
normalised name), the event dyads it coded, and its content words (title words count
twice). Each kind has a weight: a person, an organisation, a weapon system or a
programme says much more about which story this is than a state does, so merely
mentioning the same states never makes two articles one story. Weights are
sub-linear in the count (``1 + log n``); the corpus multiplies them by the term's
inverse document frequency when it compares.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache
from typing import Final

from ..datafile import read_table
from ..report import Report

#: Weight of an entity term by the entity's type (types not listed are not terms:
#: an outlet names itself, a NORP word is its state's).
ENTITY_WEIGHTS: Final[dict[str, float]] = {
    "PERSON": 2.0,
    "ORGANIZATION": 1.5,
    "MILITARY_SYSTEM": 2.0,
    "PROGRAM": 2.0,
    "EVENT": 2.0,
    "LOCATION": 1.0,
    "OTHER": 0.5,
    "IGO": 0.4,
    "COUNTRY": 0.2,
}
#: Weight of a coded event dyad (type, source, target).
EVENT_WEIGHT: Final = 1.0
#: Weight of a content word; title words count twice.
WORD_WEIGHT: Final = 1.0
#: How many of an article's terms (the heaviest, after IDF) represent it.
TOP_TERMS: Final = 150
#: Background documents in which every term is assumed absent: a small corpus cannot
#: tell a rare term from a common one, so until it is large its IDF leans on this
#: prior (every term rare) and the stopwords (the common ones).
IDF_PRIOR: Final = 2000

_WORD: Final = re.compile(r"[^\W\d_][^\W_]*(?:['’][^\W\d_]+)?", re.UNICODE)


@cache
def stopwords() -> frozenset[str]:
    """Words that say nothing about the story (``data/story_stopwords.tsv``)."""
    return frozenset(
        row[0] for row in read_table(__package__ or "", "story_stopwords.tsv", ["word"])
    )


def _fold(text: str) -> str:
    """Lower case without accents: ``Erdoğan`` and ``Erdogan`` are one term."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light stem so that singular and plural meet (``systems`` -> ``system``)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    """The text's content words: folded, stemmed, stopwords and short words dropped."""
    out = []
    for match in _WORD.finditer(text):
        w = _content_word(match.group())
        if w is not None:
            out.append(w)
    return out


@lru_cache(maxsize=65536)
def _content_word(word: str) -> str | None:
    w = _fold(word).replace("’", "'").split("'")[0]
    if len(w) < 3 or w in stopwords():
        return None
    return stem(w)


#: Entity types whose shared mentions are evidence of one story: who acts and with what
#: (states, IGOs and places are the setting, not the story).
ACTOR_TYPES: Final = frozenset({"PERSON", "ORGANIZATION", "MILITARY_SYSTEM", "PROGRAM", "EVENT"})


def entity_key(kb_id: str | None, name: str, type_: str = "OTHER") -> str:
    """An entity's term: ``a:`` for an actor (:data:`ACTOR_TYPES`), ``k:`` for another
    entity, then its KB id when linked, else its folded name."""
    prefix = "a:" if type_ in ACTOR_TYPES else "k:"
    if kb_id:
        return prefix + kb_id
    return prefix + "~" + " ".join(content_words(name) or _fold(name).split())


def is_actor_term(term: str) -> bool:
    return term.startswith("a:")


def article_terms(report: Report) -> dict[str, float]:
    """Every story term of ``report`` with its weight (before IDF)."""
    counts: Counter[str] = Counter()
    weights: dict[str, float] = {}
    by_id: dict[str, str] = {}
    for ent in report.entities:
        weight = ENTITY_WEIGHTS.get(ent.type)
        if weight is None or ent.attrs.get("stands_for"):
            continue  # a capital's place beside its state: the state counts those mentions
        key = entity_key(ent.kb_id, ent.name, ent.type)
        if key.endswith(":~"):
            continue
        by_id[ent.id] = key
        counts[key] += max(1, len(ent.mentions))
        weights[key] = max(weights.get(key, 0.0), weight)
    for ev in report.events:
        if ev.negated or ev.hypothetical:
            continue
        src = by_id.get(ev.source or "", ev.source_code or "")
        tgt = by_id.get(ev.target or "", ev.target_code or "")
        if not src or not tgt:
            continue
        key = f"v:{ev.type}:{src}>{tgt}"
        counts[key] += 1
        weights[key] = EVENT_WEIGHT
    title = report.article.title or ""
    for w in content_words(title):
        counts["w:" + w] += 2
        weights["w:" + w] = WORD_WEIGHT
    for w in content_words(report.article.text):
        counts["w:" + w] += 1
        weights["w:" + w] = WORD_WEIGHT
    return {key: weights[key] * (1.0 + math.log(n)) for key, n in counts.items()}


def idf(df: int, articles: int) -> float:
    """Smoothed inverse document frequency."""
    return math.log((articles + IDF_PRIOR + 1) / (df + 1)) + 1.0


def top_terms(terms: dict[str, float], df: dict[str, int], articles: int) -> dict[str, float]:
    """The :data:`TOP_TERMS` heaviest terms after IDF, their raw weights L2-normalised."""
    scored = sorted(
        terms.items(), key=lambda kv: (-kv[1] * idf(df.get(kv[0], 0), articles), kv[0])
    )[:TOP_TERMS]
    norm = math.sqrt(sum(w * w for _, w in scored)) or 1.0
    return {key: w / norm for key, w in scored}


def weighted(
    vector: dict[str, float], df: dict[str, int], articles: int
) -> tuple[dict[str, float], float]:
    """A term vector after IDF, and its length: one side of :func:`cosine`, worked out
    once when it is compared with many others."""
    base = math.log(articles + IDF_PRIOR + 1) + 1.0  # idf(), inlined: this is hot
    get, log = df.get, math.log
    out = {t: w * (base - log(get(t, 0) + 1)) for t, w in vector.items()}
    return out, math.sqrt(sum(v * v for v in out.values()))


def cosine_weighted(
    a: tuple[dict[str, float], float], b: dict[str, float], df: dict[str, int], articles: int
) -> tuple[float, list[str]]:
    """:func:`cosine` of a vector already :func:`weighted` and a raw one."""
    av, na = a
    bv, nb = weighted(b, df, articles)
    if not na or not nb:
        return 0.0, []
    shared = sorted(av.keys() & bv.keys(), key=lambda t: -av[t] * bv[t])
    dot = sum(av[t] * bv[t] for t in shared)
    return dot / (na * nb), shared


def cosine(
    a: dict[str, float], b: dict[str, float], df: dict[str, int], articles: int
) -> tuple[float, list[str]]:
    """Cosine of two term vectors after IDF, and the shared terms, heaviest first."""
    return cosine_weighted(weighted(a, df, articles), b, df, articles)
