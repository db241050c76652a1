"""The verb that governs a phrase, and the tense it is told in."""

from __future__ import annotations

from typing import Final

from spacy.tokens import Span, Token

Tense = str | None  # "PAST" | "PRESENT" | "FUTURE" | None

FUTURE_AUX: Final = frozenset({"will", "'ll", "shall", "wo", "’ll"})
MODAL_AUX: Final = frozenset({"would", "could", "might", "may", "should", "can", "must", "ca"})
PERFECT_AUX: Final = frozenset({"has", "have", "had", "'ve", "’ve"})
#: verbs whose infinitive complement lies ahead of them ("plans to meet Friday")
PROSPECTIVE: Final = frozenset(
    {
        "plan",
        "expect",
        "schedule",
        "intend",
        "hope",
        "aim",
        "prepare",
        "set",
        "want",
        "agree",
        "slate",
    }
)


#: dependents that open a clausal complement: what follows its reporting verb's own words
CLAUSE_OPENERS: Final = frozenset({"nsubj", "nsubjpass", "expl", "mark"})


def governing_verb(span: Span) -> Token | None:
    """The first verb up the parse from ``span``'s root (None if there is none). A
    phrase between a verb and the subject of its clausal complement is the verb's,
    whatever the parse says (:func:`reported_from`)."""
    tok: Token = span.root
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "amod":
            return reported_from(span, tok)
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def reported_from(span: Span, verb: Token) -> Token:
    """The verb ``span`` modifies when the parse hangs it on ``verb``: the verb ``verb``
    is the complement of, when ``span`` stands right after that verb and before the
    complement's subject ("Turkey said on Monday it would return the systems": Monday is
    when it was said, not when it will be returned; the parser often attaches the phrase
    to "return"); else ``verb`` itself."""
    if verb.dep_ != "ccomp" or verb.head.i == verb.i:
        return verb
    head = verb.head
    if head.pos_ not in ("VERB", "AUX") or head.i >= span.start:
        return verb
    openers = [c.i for c in verb.children if c.dep_ in CLAUSE_OPENERS]
    if not openers or min(openers) < span.end:
        return verb
    between = span.doc[head.i + 1 : span.start]
    if any(t.dep_ not in ("prep", "advmod", "punct") for t in between):
        return verb
    return head


def told_directly(span: Span) -> bool:
    """True when ``span`` hangs on a finite past or future verb ("fell in January",
    "will rise in March"), not through a noun or an infinitive."""
    head = span.root.head
    if head.dep_ == "prep":
        head = head.head
    if head.pos_ not in ("VERB", "AUX") or head is span.root:
        return False
    head = reported_from(span, head)
    auxes = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
    return head.tag_ == "VBD" or bool(auxes & FUTURE_AUX)


def tense_of(span: Span) -> Tense:
    """PAST, PRESENT or FUTURE from the verb governing ``span`` (None if there is none)."""
    verb = governing_verb(span)
    return verb_tense(verb) if verb is not None else None


def verb_tense(tok: Token, depth: int = 0) -> Tense:
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & FUTURE_AUX:
        return "FUTURE"
    if tok.lower_ == "going" and any(c.dep_ == "xcomp" for c in tok.children):
        return "FUTURE"
    if words & MODAL_AUX:
        return "FUTURE"
    if tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "PAST"
    if tok.tag_ == "VBN" and words & PERFECT_AUX:
        return "PAST"
    if tok.tag_ in ("VB", "VBG") and "to" in words and depth < 3 and tok.head.i != tok.i:
        head = tok.head
        if head.lemma_ in PROSPECTIVE or head.lower_ == "going":
            return "FUTURE"
        if head.lemma_ == "be" and head.tag_ in ("VBZ", "VBP"):
            return "FUTURE"  # "is to resume trading Tuesday"
        if head.pos_ in ("VERB", "AUX"):
            return verb_tense(head, depth + 1)
    if tok.tag_ in ("VBZ", "VBP") or words & {"is", "are", "am", "'s", "'re"}:
        # "the vote is scheduled for Nov. 3", "talks are expected on Monday"
        return "FUTURE" if tok.lemma_ in PROSPECTIVE and tok.tag_ == "VBN" else "PRESENT"
    if tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod"):
        return "PAST"  # "the plant, built in 1990, ..."
    if tok.dep_ == "conj" and not auxes and depth < 3 and tok.head.pos_ in ("VERB", "AUX"):
        return verb_tense(tok.head, depth + 1)  # "was reelected in 2024 and sworn in ..."
    return None


__all__ = ["Tense", "governing_verb", "reported_from", "tense_of", "told_directly", "verb_tense"]
