"""Check-worthiness features of one sentence or clause (a spaCy ``Span``).

The same function feeds training (``scripts/train_claims.py``) and scoring
(:mod:`newsgraph.claims.model`), so a span is described identically in both. Features
are named strings with a value (1.0 for presence); the model keeps the names it saw
often enough in training and ignores the rest. Families, by name prefix:

- ``w:`` words: lower case, every digit folded to ``0`` (``4.2`` -> ``w:0.0``);
- ``b:`` bigrams of those words, ``<s>`` and ``</s>`` marking the span's edges;
- ``l:`` lemmas of content words (nouns, verbs, adjectives, adverbs, names, numbers);
- ``t:`` fine part-of-speech tags; ``tt:`` tag bigrams;
- ``e:`` labels of the entities inside the span (``e:PERCENT``), and ``e:ANY``;
- syntax, everything else: the root verb (``root:tag:VBD``, ``root:modal:will``,
  ``root:neg``, ``root:passive``, ``tense:Past``/``tense:modal``), the grammatical
  person of its subject (``subj:1``, ``subj:2``, ``subj:3pron``, ``subj:name``,
  ``subj:3``), a length bin (``len:10``), ``q`` (ends with a question mark), ``num``
  (a number), ``cmp``/``sup`` (a comparative or superlative).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Final

from spacy.tokens import Span, Token

#: upper bounds (inclusive) of the span-length bins, in tokens
LENGTH_BINS: Final = (3, 6, 10, 15, 20, 30, 45)
CONTENT_POS: Final = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN", "NUM"})
FIRST_PERSON: Final = frozenset({"i", "we", "me", "us"})
SECOND_PERSON: Final = frozenset({"you"})
THIRD_PRONOUNS: Final = frozenset({"he", "she", "it", "they", "him", "her", "them"})
NAME_LABELS: Final = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_DIGITS: Final = str.maketrans("0123456789", "0000000000")
#: feature family by name prefix; every other feature (root, subj, tense, len, q, num,
#: cmp, sup) is in the ``syntax`` family. Training can leave whole families out.
FAMILIES: Final[dict[str, str]] = {
    "w": "words",
    "b": "bigrams",
    "l": "lemmas",
    "t": "tags",
    "tt": "tag_bigrams",
    "e": "entities",
}
ALL_FAMILIES: Final = (*FAMILIES.values(), "syntax")


def family(name: str) -> str:
    """The family of a feature name (``"b:the_tax"`` -> ``"bigrams"``)."""
    return FAMILIES.get(name.partition(":")[0], "syntax")


def word(token: Token) -> str:
    """The token as a feature word: lower case, every digit folded to ``0``."""
    return token.lower_.translate(_DIGITS)


def length_bin(n: int) -> str:
    for bound in LENGTH_BINS:
        if n <= bound:
            return f"len:{bound}"
    return "len:more"


def _person(subject: Token) -> str:
    low = subject.lower_
    if low in FIRST_PERSON:
        return "1"
    if low in SECOND_PERSON:
        return "2"
    if low in THIRD_PRONOUNS:
        return "3pron"
    if subject.ent_type_ in NAME_LABELS:
        return "name"
    return "3"


def _root_features(root: Token, out: dict[str, float]) -> None:
    out[f"root:pos:{root.pos_}"] = 1.0
    out[f"root:tag:{root.tag_}"] = 1.0
    out[f"root:lemma:{root.lemma_.lower()}"] = 1.0
    modal = ""
    for child in root.children:
        dep = child.dep_
        if dep in ("aux", "auxpass"):
            if child.tag_ == "MD":
                modal = child.lower_
                out[f"root:modal:{modal}"] = 1.0
            out[f"root:aux:{child.tag_}"] = 1.0
        elif dep == "neg":
            out["root:neg"] = 1.0
        elif dep in ("nsubj", "nsubjpass", "expl", "csubj"):
            out[f"subj:{_person(child)}"] = 1.0
            if dep == "nsubjpass":
                out["root:passive"] = 1.0
    tense = root.morph.get("Tense", [])
    aux_tenses = [c.morph.get("Tense", []) for c in root.children if c.dep_ in ("aux", "auxpass")]
    if modal:
        out["tense:modal"] = 1.0
    elif tense and root.tag_ in ("VBD", "VBZ", "VBP"):
        out[f"tense:{tense[0]}"] = 1.0
    else:
        found = next((t[0] for t in aux_tenses if t), "")
        out[f"tense:{found or 'none'}"] = 1.0


def entity_labels(span: Span) -> list[str]:
    """The labels of the entities wholly inside ``span``, in order: ``span.ents`` read
    from the span's own tokens (``Span.ents`` walks every entity of the Doc, which for
    every sentence of a long article is quadratic)."""
    doc = span.doc
    n = len(doc)
    labels = []
    for tok in span:
        if tok.ent_iob != 3 or not tok.ent_type:  # not the first token of an entity
            continue
        end = tok.i + 1
        while end < n and doc[end].ent_iob == 1:
            end += 1
        if end <= span.end:
            labels.append(tok.ent_type_)
    return labels


def features(span: Span) -> dict[str, float]:
    """The named features of ``span`` (a sentence or clause of a parsed Doc)."""
    out: dict[str, float] = {}
    tokens = [t for t in span if not t.is_space]
    words = [word(t) for t in tokens]
    for w in words:
        out[f"w:{w}"] = 1.0
    edged = ["<s>", *words, "</s>"]
    for a, b in pairwise(edged):
        out[f"b:{a}_{b}"] = 1.0
    tags = ["<s>", *(t.tag_ for t in tokens), "</s>"]
    for tag in tags[1:-1]:
        out[f"t:{tag}"] = 1.0
    for a, b in pairwise(tags):
        out[f"tt:{a}_{b}"] = 1.0
    for t in tokens:
        if t.pos_ in CONTENT_POS:
            out[f"l:{t.lemma_.lower().translate(_DIGITS)}"] = 1.0
        if t.tag_ in ("JJR", "RBR"):
            out["cmp"] = 1.0
        elif t.tag_ in ("JJS", "RBS"):
            out["sup"] = 1.0
        if t.like_num or t.pos_ == "NUM":
            out["num"] = 1.0
    for label in entity_labels(span):
        out[f"e:{label}"] = 1.0
        out["e:ANY"] = 1.0
    if tokens:
        _root_features(span.root, out)
    out[length_bin(len(tokens))] = 1.0
    if words and words[-1] == "?":
        out["q"] = 1.0
    return out
