"""Whether a lexicon row's conditions hold for a trigger token, on the dependency parse.

Each condition looks at the words the trigger governs, never at the sentence as a bag
of words:

* ``obj``: the direct object (or the subject of a passive: "sanctions were imposed"),
  its conjuncts ("photographs and intelligence") and the noun after its "of" ("a series
  of attacks", "25,000 tons of food aid");
* ``subj``: the subject (and its conjuncts);
* ``prep``: a preposition of the trigger ("call for"; en_core_web_sm labels "to" after
  give-type verbs ``dative``);
* ``prt``: a particle ("crack down"; the small model also hangs particles as ``advmod``
  or ``prep``);
* ``pp:<prep>``: the object of that preposition, on the trigger, on its object ("asked
  the lifting of immunity") or one level down ("added to the list of banned parties");
* ``mod``: a modifier of a noun trigger ("hunger strike"); ``xcomp``: an infinitive the
  trigger governs.

A word matches a value by its lemma or its lower-case form. A value of several words is
a head (the last word) whose left dependents must include the others, by lemma or form
("humanitarian aid", "armed forces").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from spacy.tokens import Doc, Token

from .lexicon import Choice, Condition, Sense

PARTICLE_DEPS: Final = frozenset({"prt", "advmod", "prep"})
MODIFIER_DEPS: Final = frozenset({"amod", "compound", "nmod"})
SUBJECT_DEPS: Final = frozenset({"nsubj", "nsubjpass"})
CLAUSE_SUBJECT_DEPS: Final = frozenset(
    {"nsubj", "nsubjpass", "csubj", "csubjpass", "agent", "expl"}
)


def objects(tok: Token) -> list[Token]:
    """The direct objects of ``tok``: the subject of a passive, else dobj/obj/attr."""
    passive = any(c.dep_ == "nsubjpass" for c in tok.children)
    deps = ("nsubjpass",) if passive else ("dobj", "obj", "attr")
    return [c for c in tok.children if c.dep_ in deps]


def _is_preposition(tok: Token) -> bool:
    """A preposition hanging on its head (after give-type verbs "to" may be a dative)."""
    return tok.dep_ in ("prep", "agent") or (tok.dep_ == "dative" and tok.pos_ == "ADP")


def _pobjs(prep: Token) -> list[Token]:
    found = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    return found + [c for f in found for c in f.children if c.dep_ == "conj"]


def matches(word: Token, condition: Condition) -> bool:
    """Does ``word`` (a head) carry one of the condition's values?"""
    lemma, lower = word.lemma_.lower(), word.lower_
    if lemma in condition.words or lower in condition.words:
        return True
    if not condition.phrases:
        return False
    left: set[str] | None = None
    for phrase in condition.phrases:
        if phrase[-1] != lemma and phrase[-1] != lower:
            continue
        if left is None:
            before = word.doc[word.left_edge.i : word.i]
            left = {t.lower_ for t in before} | {t.lemma_.lower() for t in before}
        if all(w in left for w in phrase[:-1]):
            return True
    return False


def _object_words(tok: Token) -> list[Token]:
    found = objects(tok)
    found += [c for o in found for c in o.children if c.dep_ == "conj"]
    # "25,000 tons of food aid", "a series of attacks"
    of = [c for o in found for c in o.children if c.dep_ == "prep" and c.lower_ == "of"]
    return found + [c for p in of for c in p.children if c.dep_ == "pobj"]


class Governed:
    """What a trigger token governs, read once per token and kept per condition kind, so
    that trying the many rows of a common verb costs set look-ups, not tree walks."""

    def __init__(self, tok: Token) -> None:
        self.tok = tok
        self.children = list(tok.children)
        self._heads: dict[tuple[str, str], tuple[list[Token], frozenset[str]]] = {}
        self._pps: dict[str, list[Token]] | None = None

    def heads(self, kind: str, prep: str = "") -> tuple[list[Token], frozenset[str]]:
        """The words a condition of ``kind`` looks at, and the names it may match: their
        lemmas and forms (for a preposition or a particle, the word as written)."""
        key = (kind, prep)
        found = self._heads.get(key)
        if found is None:
            words = self._collect(kind, prep)
            if kind in ("prep", "prt"):
                names = {t.lower_ for t in words}
            else:
                names = {t.lower_ for t in words} | {t.lemma_.lower() for t in words}
            found = self._heads[key] = (words, frozenset(names))
        return found

    def _collect(self, kind: str, prep: str) -> list[Token]:
        children = self.children
        if kind == "obj":
            return _object_words(self.tok)
        if kind == "subj":
            subjects = [c for c in children if c.dep_ in SUBJECT_DEPS]
            return subjects + [c for s in subjects for c in s.children if c.dep_ == "conj"]
        if kind == "prep":  # the prepositions themselves
            return [c for c in children if _is_preposition(c)]
        if kind == "prt":  # the small model also hangs particles as advmod or prep
            return [c for c in children if c.dep_ in PARTICLE_DEPS]
        if kind == "mod":
            return [c for c in children if c.dep_ in MODIFIER_DEPS]
        if kind == "pp":
            if self._pps is None:  # every preposition's objects, once
                self._pps = {}
                holders = [self.tok, *objects(self.tok)]
                holders += [o for p in children if p.dep_ == "prep" for o in _pobjs(p)]
                for holder in holders:
                    for c in holder.children:
                        if _is_preposition(c):
                            self._pps.setdefault(c.lower_, []).extend(_pobjs(c))
            return self._pps.get(prep, [])
        return [c for c in children if c.dep_ == "xcomp"]

    def holds(self, condition: Condition) -> bool:
        words, names = self.heads(condition.kind, condition.prep)
        if not words:
            return False
        if not condition.words.isdisjoint(names):
            return True
        return bool(condition.phrases) and any(matches(w, condition) for w in words)


def condition_holds(tok: Token, condition: Condition) -> bool:
    """Does one condition hold for ``tok``?"""
    return Governed(tok).holds(condition)


def holds(tok: Token, sense: Sense, governed: Governed | None = None) -> bool:
    """Do all of the sense's conditions hold for ``tok``?"""
    parse = governed or Governed(tok)
    return all(parse.holds(c) for c in sense.conditions)


def has_subject(tok: Token) -> bool:
    """Whether the clause of ``tok`` names its own subject (or the agent of a passive),
    directly or through the verb it is coordinated with ("arrested ... and deported"):
    not an infinitive or a participle that takes its actor from another verb ("failing
    to uphold", "a meeting to debate")."""
    probe = tok
    for _ in range(4):
        if any(c.dep_ in CLAUSE_SUBJECT_DEPS for c in probe.children):
            return True
        if probe.dep_ != "conj" or probe.head.i == probe.i:
            return False
        probe = probe.head
    return False


def _framing(tok: Token, embedding: frozenset[str]) -> Iterable[int]:
    """The words whose content or purpose ``tok``'s clause is, nearest first (at most
    four links up through ``embedding``: "rejected a request to interrogate")."""
    probe = tok
    for _ in range(4):
        if probe.dep_ not in embedding or probe.head.i == probe.i:
            return
        probe = probe.head
        yield probe.i


def overlapping(doc: Doc, derived: set[int], hand: set[int], embedding: frozenset[str]) -> set[int]:
    """The derived triggers (token indices) that frame a hand-coded event or are framed
    by one: the hand-built rows tell such a clause better ("used tear gas to disperse
    demonstrators", "offered its troops to help him oust")."""
    out = {i for i in derived if any(j in hand for j in _framing(doc[i], embedding))}
    for i in hand:
        out.update(j for j in _framing(doc[i], embedding) if j in derived)
    return out


def first(tok: Token, choice: Choice) -> Sense | None:
    """The first of the rows (in the lexicon's order) whose conditions hold for ``tok``.
    Only the rows whose first condition can hold are tried: those with none, and those
    that ask for a word ``tok`` governs in the place they name."""
    parse = Governed(tok)
    rows = set(choice.bare)
    for kind, prep in choice.keys:
        for name in parse.heads(kind, prep)[1]:
            rows.update(choice.by_word.get((kind, prep, name), ()))
    holds = parse.holds
    for i in sorted(rows):
        sense = choice.senses[i]
        for condition in sense.conditions:
            if not holds(condition):
                break
        else:
            return sense
    return None


__all__ = [
    "Governed",
    "condition_holds",
    "first",
    "has_subject",
    "holds",
    "matches",
    "objects",
    "overlapping",
]
