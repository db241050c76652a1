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

from bisect import bisect_left
from typing import Final

from spacy.attrs import IS_SPACE, LEMMA, LIKE_NUM, LOWER, POS, TAG
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

#: upper bounds (inclusive) of the span-length bins, in tokens
LENGTH_BINS: Final = (3, 6, 10, 15, 20, 30, 45)
CONTENT_POS: Final = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN", "NUM"})
FIRST_PERSON: Final = frozenset({"i", "we", "me", "us"})
SECOND_PERSON: Final = frozenset({"you"})
THIRD_PRONOUNS: Final = frozenset({"he", "she", "it", "they", "him", "her", "them"})
NAME_LABELS: Final = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_DIGITS: Final = str.maketrans("0123456789", "0000000000")
_CONTENT_IDS: Final = frozenset(POS_IDS[p] for p in CONTENT_POS)
_NUM_ID: Final = POS_IDS["NUM"]
_GRADES: Final = {"JJR": "cmp", "RBR": "cmp", "JJS": "sup", "RBS": "sup"}
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


class TokenTable:
    """What :func:`features` reads of each token of a Doc (or of a span of one), read
    once: a component scoring many clauses and sentences of one article makes one table
    and passes it, instead of reading every token again for every span (spaCy makes a
    new Token object on every access). The features are the same with or without it."""

    __slots__ = (
        "bigrams",
        "content",
        "entities",
        "grade",
        "num",
        "offset",
        "space",
        "tag_bigrams",
        "tag_names",
        "tags",
        "word_names",
        "words",
    )

    def __init__(self, tokens: Span | Doc) -> None:
        #: the index in the Doc of the table's first token
        self.offset = tokens.start if isinstance(tokens, Span) else 0
        doc = tokens.doc if isinstance(tokens, Span) else tokens
        rows = doc.to_array([IS_SPACE, LOWER, TAG, POS, LEMMA, LIKE_NUM])
        space, lower, tag, pos, lemma, like_num = (
            rows[self.offset : self.offset + len(tokens)].T.tolist()
            if len(tokens)
            else ([], [], [], [], [], [])
        )
        strings = doc.vocab.strings
        # column by column, each distinct hash's string worked out once
        word_of = {h: strings[h].translate(_DIGITS) for h in set(lower)}
        tag_of = {h: strings[h] if h else "" for h in set(tag)}
        lemma_of = {
            h: f"l:{(strings[h] if h else '').lower().translate(_DIGITS)}" for h in set(lemma)
        }
        grade_of = {h: _GRADES.get(t) for h, t in tag_of.items()}
        self.space: list[bool] = list(map(bool, space))
        self.words: list[str] = list(map(word_of.__getitem__, lower))
        self.tags: list[str] = list(map(tag_of.__getitem__, tag))
        #: the ``l:`` feature of a content word, else None
        self.content: list[str | None] = [
            lemma_of[h] if p in _CONTENT_IDS else None for p, h in zip(pos, lemma, strict=True)
        ]
        #: "cmp" (a comparative), "sup" (a superlative) or None
        self.grade: list[str | None] = list(map(grade_of.__getitem__, tag))
        self.num: list[bool] = [bool(n) or p == _NUM_ID for n, p in zip(like_num, pos, strict=True)]
        # each token's feature names, made once (a token is in a clause and in its
        # sentence); a bigram joins a token to the next token that is not a space
        n = len(self.words)
        self.word_names = ["w:" + w for w in self.words]
        self.tag_names = ["t:" + t for t in self.tags]
        self.bigrams: list[str] = [""] * n
        self.tag_bigrams: list[str] = [""] * n
        following = n  # the next token that is not a space
        for i in range(n - 1, -1, -1):
            if following < n:
                self.bigrams[i] = f"b:{self.words[i]}_{self.words[following]}"
                self.tag_bigrams[i] = f"tt:{self.tags[i]}_{self.tags[following]}"
            if not self.space[i]:
                following = i
        #: (start, end, label) of each entity of the Doc, by start
        self.entities = [(e.start, e.end, e.label_) for e in doc.ents]

    def covers(self, span: Span) -> bool:
        return self.offset <= span.start and span.end <= self.offset + len(self.words)

    def labels(self, span: Span) -> list[str]:
        """The labels of the entities wholly inside ``span``, in order (``span.ents``
        without its walk over every entity of the Doc)."""
        starts = bisect_left(self.entities, (span.start,))
        out = []
        for start, end, label in self.entities[starts:]:
            if start >= span.end:
                break
            if end <= span.end:
                out.append(label)
        return out


def features(span: Span, table: TokenTable | None = None) -> dict[str, float]:
    """The named features of ``span`` (a sentence or clause of a parsed Doc); ``table``,
    when given, is a :class:`TokenTable` of the span's Doc (or of a span holding it)."""
    if table is None or not table.covers(span):
        table = TokenTable(span)
    out: dict[str, float] = {}
    a, b = span.start - table.offset, span.end - table.offset
    keep = [i for i in range(a, b) if not table.space[i]]
    # the families in the order they always had (the model sums in this order)
    for i in keep:
        out[table.word_names[i]] = 1.0
    if keep:
        out[f"b:<s>_{table.words[keep[0]]}"] = 1.0
        for i in keep[:-1]:
            out[table.bigrams[i]] = 1.0
        out[f"b:{table.words[keep[-1]]}_</s>"] = 1.0
        for i in keep:
            out[table.tag_names[i]] = 1.0
        out[f"tt:<s>_{table.tags[keep[0]]}"] = 1.0
        for i in keep[:-1]:
            out[table.tag_bigrams[i]] = 1.0
        out[f"tt:{table.tags[keep[-1]]}_</s>"] = 1.0
    else:
        out["b:<s>_</s>"] = 1.0
        out["tt:<s>_</s>"] = 1.0
    for i in keep:
        lemma = table.content[i]
        if lemma is not None:
            out[lemma] = 1.0
        grade = table.grade[i]
        if grade is not None:
            out[grade] = 1.0
        if table.num[i]:
            out["num"] = 1.0
    for label in table.labels(span):
        out[f"e:{label}"] = 1.0
        out["e:ANY"] = 1.0
    if keep:
        _root_features(span.root, out)
    out[length_bin(len(keep))] = 1.0
    if keep and table.words[keep[-1]] == "?":
        out["q"] = 1.0
    return out
