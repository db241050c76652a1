"""What is not a PLOVER event: PLOVER codes political interaction, so an illness fought,
a match won, a deal between companies and a state buying from its own industry are not
coded, however much their verbs look like events ("fighting pancreatic cancer", "Spain
beat Italy in the final", "Apple agreed to buy Beats", "F-35 jets purchased by the U.S.
military").

The word classes are in ``data/scope_words.tsv``; companies are the knowledge base's
(``ngkb:company:...``) and names ending in a company suffix ("Holdings", "Inc.").
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Final

from spacy.tokens import Token

from ..datafile import read_table
from ..report import Entity

CLASSES: Final = frozenset({"disease", "sport", "company"})
#: prepositions and links by which a trigger governs the competition it is part of
SPORT_LINKS: Final = frozenset({"dobj", "pobj", "npadvmod", "nsubj"})


@cache
def scope_words() -> dict[str, frozenset[str]]:
    """class -> its words (lower case)."""
    out: dict[str, set[str]] = {c: set() for c in CLASSES}
    for word, kind in read_table("newsgraph.events", "scope_words.tsv", ["word", "class"]):
        if kind not in CLASSES:
            raise ValueError(f"scope_words.tsv: bad class {kind!r} ({word})")
        out[kind].add(word.lower())
    return {k: frozenset(v) for k, v in out.items()}


def is_company(entity: Entity) -> bool:
    """A company: one the knowledge base lists, or a name ending in a company suffix."""
    if entity.kb_id and entity.kb_id.startswith("ngkb:company:"):
        return True
    words = entity.name.lower().replace(",", " ").split()
    return entity.type == "ORGANIZATION" and bool(words) and words[-1] in scope_words()["company"]


def _heads(words: Iterable[Token]) -> list[Token]:
    return [w for w in words if w.pos_ in ("NOUN", "PROPN")]


def acts_on_illness(trigger: Token) -> bool:
    """Whether what the trigger acts on is an illness ("fighting pancreatic cancer",
    "the battle against the virus")."""
    disease = scope_words()["disease"]
    near: list[Token] = [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
    for prep in trigger.children:
        if prep.dep_ == "prep":
            near += [c for c in prep.children if c.dep_ == "pobj"]
    return any(w.lemma_.lower() in disease or w.lower_ in disease for w in _heads(near))


def in_competition(trigger: Token) -> bool:
    """Whether the trigger is a move in a sports competition: it governs (directly or
    through a preposition) a noun of competition ("beat Spain in the final", "won the
    match"), or a score ("3-1") sits beside it."""
    sport = scope_words()["sport"]
    near: list[Token] = [c for c in trigger.children if c.dep_ in SPORT_LINKS]
    near = _heads(near)
    for child in trigger.children:
        if child.dep_ == "prep":  # "in the final": the parser may tag it an adjective
            near += [c for c in child.children if c.dep_ == "pobj"]
    if any(w.lemma_.lower() in sport or w.lower_ in sport for w in near):
        return True
    return any(
        _is_score(c.text) for c in trigger.subtree if c.i > trigger.i and c.i - trigger.i < 6
    )


def _is_score(text: str) -> bool:
    left, dash, right = text.partition("-")
    return bool(dash) and left.isdigit() and right.isdigit() and len(left) <= 2 and len(right) <= 2


def political(
    source: Entity | None,
    target: Entity | None,
    source_code: str | None,
    target_code: str | None,
    mode: str | None,
    maker: str | None = None,
) -> bool:
    """Whether the actors make an event political interaction: not only companies (the
    knowledge base's, a company suffix, or coded as business: sector BUS, or a
    multinational, MNC, as the field's actor dictionaries code companies), and
    for a purchase not a state buying what its own industry makes (the seller, else the
    ``maker`` of the system bought, is another country)."""
    # the sides named: an entity, or a described group ("the company") by its code
    named = [(e, c) for e, c in ((source, source_code), (target, target_code)) if e or c]
    if named and all((e is not None and is_company(e)) or _business(c) for e, c in named):
        return False  # a deal between companies, or a company acting alone
    if mode == "acquire":
        buyer, seller = (source_code or "")[:3], (target_code or maker or "")[:3]
        if seller and buyer == seller:
            return False  # domestic procurement: nobody else is party to it
    return True


def _business(code: str | None) -> bool:
    """Whether a CAMEO code is a company's: sector BUS, or a multinational (MNC...)."""
    return code is not None and (code.endswith("BUS") or code.startswith("MNC"))


__all__ = ["acts_on_illness", "in_competition", "is_company", "political", "scope_words"]
