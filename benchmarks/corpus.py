"""Corpus layer: near-duplicates, stories, and ingest throughput with the layer on and off.

The corpus (at least 2,000 articles, with known ground truth):

- **Originals**: the whole documents of timebank-train, meantime-apple, re3d,
  quotes-polnear, geo-lgl and geo-geovirus in ../shared/data with at least 80 words
  (quotes-wikinews holds meantime's texts again and is left out; texts that are the same
  up to white space are kept once). Outlet: the set's own field (re3d ``source``, PolNeAR
  and LGL ``outlet``), else one derived from the set (TimeBank's file prefix: APW ->
  Associated Press, wsj -> Wall Street Journal ...; Wikinews). Published: the set's
  date, else a fixed day per set (re3d 2016-06-01, GeoVirus 2014-10-15).
- **Real near-duplicates among the originals** are found with an exact measure,
  independent of the tool: the share of the shorter text's distinct word 5-grams found
  in the other (containment), counted through an inverted index on 5-grams (not all pairs
  of texts). Pairs at >= 0.8 (the same article re-headlined or updated) are folded into
  one duplicate group, connected pairs too. Pairs from 0.3 to 0.8 are judgement calls
  (on the dev data: a related-links list shared by two HuffPost articles, templated
  CENTCOM daily strike reports, AP "The Latest" files, a story updated the next day), so
  their originals are left out and the truth has a margin. All are printed; the whole
  corpus, copies included, is measured again and pairs across groups at >= 0.3 printed
  (none with the default seed).
- **Copies** (wire copies and republications): for a seeded sample of originals, 1-3
  copies each (``--copies``, default 30% of the originals: about 600), each with a random
  mix of edits, at least one changing the text: a new headline (in the text where the
  original's text starts with its headline, else in ``title``); a byline or dateline at
  the top ("By Jane Doe, Staff Writer", "WASHINGTON (AP) —"); boilerplate at the bottom
  (copyright line, "Follow us on ..."); two paragraphs swapped (sentence pairs where a
  text has fewer than 3 paragraphs); light copy-editing (1-3% of the words: synonyms from
  a small table, number words <-> digits, British <-> American spellings); and at most
  one of trimming (the last 10-30% of the words dropped) and a shortened version (the
  first 40-60% kept), both in whole paragraphs and sentences. A copy's outlet differs from the
  original's; it is published the same day or 1-3 days later.
- The JSONL is written in a seeded random order (``--order time``: by publication),
  so a copy often arrives before its original and the tool must move the canonical.

Ground truth. Duplicate groups: an original with its copies, merged with the originals
found near-duplicate above. The canonical is the earliest published member; when several
share the earliest day, the one the tool chose counts if it is among them, else the first
ingested. Stories: each duplicate group is one story. The originals are independent
documents from different collections, outlets, topics and years (1990s newswire, 2005-11
Wikinews, 2009 US local news, 2016 campaign coverage, Syria/Iraq statements), and a copy
belongs to its original's story. Some originals may truly share a story (PolNeAR has
several outlets' articles on the same 2016 campaign events), so the run prints samples
of the groups the tool put in one story for a reader to judge; story purity and B-cubed
precision are then lower bounds.

Figures (from ``newsgraph articles --json`` of the store ingested with the layer on):

- duplicate precision and recall over pairs: a predicted pair is an article and its
  ``duplicate_of``, a true pair a non-canonical member and its group's canonical (bar:
  both >= 0.95); also pairwise precision and recall over all same-group pairs (groups =
  connected components of the links), the share of groups whose canonical is right, and
  the recall per edit kind;
- story purity, inverse purity and B-cubed precision, recall and F1 (an article with a
  null story is a story of its own);
- ingest throughput, ``newsgraph ingest -j J`` in a subprocess, wall clock including the
  model load, with the corpus layer on and with ``--no-corpus`` in the same run (after
  an untimed warm-up ingest of a few articles), and the ratio on/off (bar: >= 0.85).
  With ``--rounds R`` the pair runs R times in alternating order and the best counts.
  The CPU time ratio is printed too: on a shared machine it moves less than the wall clock.
  Then ``update_corpus`` places the ``--no-corpus`` store afterwards, in this process:
  its time is the corpus layer's cost alone, and its placement is scored in one line.

    .venv/bin/python benchmarks/corpus.py --limit-originals 200     # quick run
    .venv/bin/python benchmarks/corpus.py [--check] [-j J] [--rounds R] [--keep DIR]
    .venv/bin/python benchmarks/corpus.py --build-only --keep DIR   # only the JSONL + truth
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _data import DATA, documents
from _data import DOCUMENT_SETS as SETS

MIN_WORDS = 80
#: a set's outlet when its records name none
SET_OUTLETS = {
    "timebank-train.jsonl": "TimeBank newswire",
    "meantime-apple.jsonl": "Wikinews",
    "re3d.jsonl": "re3d",
    "quotes-polnear.jsonl": "PolNeAR",
    "geo-lgl.jsonl": "LGL local news",
    "geo-geovirus.jsonl": "Wikinews",
}
#: a set's publication day when its records have none
SET_DATES = {"re3d.jsonl": "2016-06-01", "geo-geovirus.jsonl": "2014-10-15"}
TIMEBANK_OUTLETS = {
    "wsj": "Wall Street Journal",
    "APW": "Associated Press",
    "AP": "Associated Press",
    "NYT": "New York Times",
    "XIE": "Xinhua",
    "PRI": "Public Radio International",
    "CNN": "CNN",
    "VOA": "Voice of America",
    "ABC": "ABC News",
    "SJMN": "San Jose Mercury News",
}
POLNEAR_OUTLETS = {
    "breitbart": "Breitbart",
    "huff-post": "HuffPost",
    "politico": "Politico",
    "west-journal": "Western Journal",
    "nyt": "New York Times",
    "usa-today": "USA Today",
    "wash-post": "Washington Post",
}
#: outlets that republish
COPY_OUTLETS = (
    "Reuters",
    "Yahoo News",
    "MSN News",
    "The Daily Courier",
    "Metro Herald",
    "Regional Times",
    "The Evening Ledger",
    "NewsNow",
    "Gulf Daily",
    "Asia Herald",
    "Euro Weekly",
    "Press Gazette",
    "The Morning Post",
    "Valley News",
    "World Wire",
    "Newsday Online",
)
NAMES = (
    "Jane Doe",
    "John Smith",
    "Maria Garcia",
    "David Chen",
    "Sarah Johnson",
    "Ahmed Hassan",
    "Laura Rossi",
    "Tom Becker",
)
ROLES = ("Staff Writer", "Associated Press", "Special Correspondent", "Senior Editor")
CITIES = ("WASHINGTON", "NEW YORK", "LONDON", "BEIRUT", "BAGHDAD", "PARIS", "CHICAGO")
AGENCIES = ("AP", "Reuters", "AFP")
HEADLINE_PREFIXES = ("UPDATE: ", "BREAKING: ", "Report: ", "Analysis: ", "", "", "")
BOILERPLATE = (
    "Copyright {year} {outlet}. All rights reserved. This material may not be published,"
    " broadcast, rewritten or redistributed.",
    "Follow us on Twitter @{handle} and like us on Facebook for the latest news.",
    "Sign up for the {outlet} newsletter to get the day's top stories in your inbox.",
    "Reporting by {name}; editing by {name2}.",
    "{name2} contributed to this report.",
)
#: light copy-editing: synonyms (both ways), number words <-> digits, US <-> UK spelling
_PAIRS = (
    ("big", "large"),
    ("buy", "purchase"),
    ("start", "begin"),
    ("help", "assist"),
    ("show", "indicate"),
    ("rise", "increase"),
    ("people", "individuals"),
    ("officials", "authorities"),
    ("need", "require"),
    ("try", "attempt"),
    ("main", "principal"),
    ("quickly", "rapidly"),
    ("children", "kids"),
    ("important", "significant"),
    ("whole", "entire"),
    ("called", "named"),
    ("said", "stated"),
    ("says", "states"),
    ("also", "additionally"),
    ("however", "but"),
    ("one", "1"),
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("color", "colour"),
    ("favor", "favour"),
    ("honor", "honour"),
    ("labor", "labour"),
    ("center", "centre"),
    ("defense", "defence"),
    ("offense", "offence"),
    ("organization", "organisation"),
    ("organizations", "organisations"),
    ("analyze", "analyse"),
    ("recognize", "recognise"),
    ("realize", "realise"),
    ("criticized", "criticised"),
    ("traveled", "travelled"),
    ("canceled", "cancelled"),
    ("program", "programme"),
    ("theater", "theatre"),
    ("neighbor", "neighbour"),
    ("neighbors", "neighbours"),
    ("behavior", "behaviour"),
    ("gray", "grey"),
    ("percent", "per cent"),
)
EDIT_TABLE: dict[str, str] = {a: b for a, b in _PAIRS} | {b: a for a, b in _PAIRS}
#: edits a copy records (byline stands for a byline or a dateline)
EDIT_KINDS = ("headline", "byline", "boilerplate", "swap", "copyedit", "trim", "shorten")
#: bars for --check
MIN_DUP_PRECISION = 0.95
MIN_DUP_RECALL = 0.95
MIN_THROUGHPUT_RATIO = 0.85
#: containment at which two originals are near-duplicates; from UNCERTAIN up to it a pair
#: is a judgement call (a shared related-links list, templated daily reports, a story
#: updated the next day) and its originals are left out of the corpus
NEAR_DUPLICATE = 0.8
UNCERTAIN = 0.3
SHINGLE = 5

_PARA = re.compile(r"\n[ \t]*\n\s*")
_SENT_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+")


@dataclass
class Doc:
    """One article of the corpus with its ground truth."""

    rid: str  # the JSONL id
    text: str
    title: str | None
    outlet: str
    published: str
    url: str | None
    dataset: str
    #: the duplicate group (also the story): the rid of its first original
    group: str = ""
    #: a copy's original (its rid); None for an original
    source: str | None = None
    edits: tuple[str, ...] = ()
    #: place in the JSONL (ingest order), from 0
    position: int = 0

    def record(self) -> dict[str, str | None]:
        return {
            "id": self.rid,
            "text": self.text,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
        }

    def snippet(self, width: int = 90) -> str:
        head = self.title or " ".join(self.text.split())
        return head if len(head) <= width else head[: width - 1] + "…"


# -- originals -------------------------------------------------------------------------


def outlet_of(name: str, record: dict[str, Any]) -> str:
    if name == "timebank-train.jsonl":
        m = re.match(r"tbaq-([A-Za-z]+)", str(record.get("id", "")))
        prefix = m.group(1) if m else ""
        return (
            TIMEBANK_OUTLETS.get(prefix, TIMEBANK_OUTLETS.get(prefix.lower(), ""))
            or (SET_OUTLETS[name])
        )
    own = record.get("outlet") or record.get("source")
    if isinstance(own, str) and own:
        return POLNEAR_OUTLETS.get(own, "Wikinews" if own == "wikinews" else own)
    return SET_OUTLETS[name]


def title_of(record: dict[str, Any]) -> str | None:
    """The record's title; for PolNeAR (none given) its first line, which is the headline."""
    title = record.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    if record.get("dataset") == "polnear":
        first = str(record["text"]).strip().split("\n", 1)[0].strip()
        if 0 < len(first.split()) <= 30:
            return first
    return None


def load_originals(limit: int | None, rng: random.Random) -> list[Doc]:
    """The originals (exact repeats dropped), or a seeded sample of ``limit`` of them."""
    docs: list[Doc] = []
    seen: set[str] = set()
    for name, record in documents(SETS, MIN_WORDS):
        key = " ".join(record["text"].split())
        if key in seen:
            continue
        seen.add(key)
        published = record.get("published") or SET_DATES.get(name, "2000-01-01")
        docs.append(
            Doc(
                rid=str(record["id"]),
                text=record["text"],
                title=title_of(record),
                outlet=outlet_of(name, record),
                published=str(published)[:10],
                url=record.get("url") if isinstance(record.get("url"), str) else None,
                dataset=name.removesuffix(".jsonl"),
            )
        )
    if limit is not None and limit < len(docs):
        keep = set(rng.sample(range(len(docs)), limit))
        docs = [d for i, d in enumerate(docs) if i in keep]
    for d in docs:
        d.group = d.rid
    return docs


# -- the exact measure: shingle containment through an inverted index -------------------


def shingles(text: str, n: int = SHINGLE) -> set[int]:
    """Hashes of the text's distinct word n-grams (lower-cased ``\\w+`` words)."""
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {hash(tuple(words))}
    return {hash(tuple(words[i : i + n])) for i in range(len(words) - n + 1)}


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller set found in the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def containment_pairs(sets: Sequence[set[int]], threshold: float) -> list[tuple[int, int, float]]:
    """Every pair (i < j) whose containment is >= ``threshold``, counted through an
    inverted index on shingles: only pairs that share a shingle are ever looked at."""
    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in s:
            index[h].append(i)
    out = []
    for i, s in enumerate(sets):
        shared: Counter[int] = Counter()
        for h in s:
            for j in index[h]:
                if j > i:
                    shared[j] += 1
        for j, n in shared.items():
            c = n / min(len(s), len(sets[j]))
            if c >= threshold:
                out.append((i, j, c))
    return out


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, x: Hashable) -> Hashable:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: Hashable, b: Hashable) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def near_duplicates(
    docs: list[Doc],
) -> tuple[list[Doc], list[tuple[Doc, Doc, float]], list[tuple[Doc, Doc, float]]]:
    """Fold originals that are near-duplicates of each other (containment >= 0.8) into one
    group; leave out those with a pair in the uncertain band (0.3 to 0.8). The originals
    kept, the folded pairs, the uncertain pairs."""
    sets = [shingles(d.text) for d in docs]
    pairs = [(docs[i], docs[j], c) for i, j, c in containment_pairs(sets, UNCERTAIN)]
    uncertain = [p for p in pairs if p[2] < NEAR_DUPLICATE]
    out = {d.rid for a, b, _ in uncertain for d in (a, b)}
    kept = [d for d in docs if d.rid not in out]
    folded = [p for p in pairs if p[2] >= NEAR_DUPLICATE and not {p[0].rid, p[1].rid} & out]
    uf = UnionFind()
    for a, b, _ in folded:
        uf.union(a.rid, b.rid)
    first: dict[Hashable, str] = {}
    for d in kept:  # a group is named after its first original
        d.group = first.setdefault(uf.find(d.rid), d.rid)
    return kept, folded, uncertain


# -- copies --------------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        piece = text[start : m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def split_head(doc: Doc) -> tuple[str | None, str, str]:
    """(headline written in the text, its separator, body) of an original."""
    text = doc.text.strip()
    if doc.title and text.startswith(doc.title):
        rest = text[len(doc.title) :]
        body = rest.lstrip(" .\n\t")
        sep = rest[: len(rest) - len(body)]
        if body:
            return doc.title, sep or "\n\n", body
    return None, "", text


def units_of(body: str) -> tuple[list[str], str]:
    """Paragraphs (joined by a blank line), or pairs of sentences (joined by a space) when
    the text has fewer than 3 paragraphs."""
    paras = [p.strip() for p in _PARA.split(body) if p.strip()]
    if len(paras) >= 3:
        return paras, "\n\n"
    sents = sentences(" ".join(paras))
    return [" ".join(sents[i : i + 2]) for i in range(0, len(sents), 2)], " "


def words_in(units: Iterable[str]) -> int:
    return sum(len(u.split()) for u in units)


def shorten(units: list[str], share: float) -> list[str]:
    """The first ``share`` of the words, in whole paragraphs and sentences (at least one
    sentence)."""
    target = share * words_in(units)
    out: list[str] = []
    n = 0
    for unit in units:
        if n + len(unit.split()) <= target:
            out.append(unit)
            n += len(unit.split())
            continue
        kept: list[str] = []
        for sent in sentences(unit):
            if n >= target and (out or kept):
                break
            kept.append(sent)
            n += len(sent.split())
        if kept:
            out.append(" ".join(kept))
        break
    return out


def match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def copy_edit(text: str, rng: random.Random) -> tuple[str, int]:
    """1-3% of the words changed from the edit table; the text and how many changed."""
    tokens = list(_TOKEN.finditer(text))
    candidates = [
        m
        for m in tokens
        if m.group().lower() in EDIT_TABLE and text[m.end() : m.end() + 1] not in ("%", "-")
    ]
    k = min(len(candidates), max(1, round(rng.uniform(0.01, 0.03) * len(tokens))))
    if not k:
        return text, 0
    chosen = sorted(rng.sample(candidates, k), key=lambda m: m.start())
    out, last = [], 0
    for m in chosen:
        out += [text[last : m.start()], match_case(EDIT_TABLE[m.group().lower()], m.group())]
        last = m.end()
    out.append(text[last:])
    return "".join(out), k


def new_headline(doc: Doc, body: str, rng: random.Random) -> str:
    base = doc.title if doc.title and rng.random() < 0.6 else (sentences(body) or [body])[0]
    words = base.split()
    n = min(len(words), rng.randint(5, 11))
    head = " ".join(words[:n]).rstrip(",;:.-—")
    if rng.random() < 0.5:
        head = " ".join(w[:1].upper() + w[1:] for w in head.split())
    head = rng.choice(HEADLINE_PREFIXES) + head
    if head == doc.title:
        head = "UPDATE: " + head
    return head


def slug(text: str) -> str:
    return "-".join(_WORD.findall(text.lower()))[:60].strip("-") or "article"


def make_copy(orig: Doc, k: int, outlet: str, rng: random.Random) -> Doc:
    """Copy ``k`` of ``orig``: a random mix of edits, at least one changing the text."""
    head, head_sep, body = split_head(orig)
    units, joiner = units_of(body)
    edits: list[str] = []
    if len(units) >= 2 and rng.random() < 0.35:
        i = rng.randrange(len(units) - 1)
        j = i + 1 if rng.random() < 0.5 else rng.randrange(i + 1, len(units))
        units[i], units[j] = units[j], units[i]
        edits.append("swap")
    cut = rng.random()
    if cut < 0.35:  # trimmed (the last 10-30% dropped) or shortened (the first 40-60% kept)
        kind = "trim" if cut < 0.2 else "shorten"
        short = shorten(units, rng.uniform(0.7, 0.9) if cut < 0.2 else rng.uniform(0.4, 0.6))
        if words_in(short) < words_in(units):
            units = short
            edits.append(kind)
    text = joiner.join(units)
    if rng.random() < 0.5:
        text, changed = copy_edit(text, rng)
        if changed:
            edits.append("copyedit")
    title = orig.title
    if rng.random() < 0.5:
        title = new_headline(orig, body, rng)
        edits.append("headline")
    top = ""
    if rng.random() < 0.4:
        if rng.random() < 0.5:
            top = f"By {rng.choice(NAMES)}, {rng.choice(ROLES)}\n\n"
        else:
            text = f"{rng.choice(CITIES)} ({rng.choice(AGENCIES)}) — " + text
        edits.append("byline")
    bottom: list[str] = []
    changed = bool(set(edits) - {"headline"}) or ("headline" in edits and head is not None)
    if rng.random() < 0.5 or not changed:
        for template in rng.sample(BOILERPLATE, rng.randint(1, 2)):
            bottom.append(
                template.format(
                    year=orig.published[:4],
                    outlet=outlet,
                    handle=slug(outlet).replace("-", ""),
                    name=rng.choice(NAMES),
                    name2=rng.choice(NAMES),
                )
            )
        edits.append("boilerplate")
    lead = f"{title}{head_sep}" if head is not None and title else ""
    # the byline after a headline paragraph, else before the headline
    text = lead + top + text if "\n" in head_sep else top + lead + text
    text += "".join("\n\n" + b for b in bottom)
    day = date.fromisoformat(orig.published) + timedelta(days=rng.randint(0, 3))
    return Doc(
        rid=f"{orig.rid}#copy{k}",
        text=text,
        title=title,
        outlet=outlet,
        published=day.isoformat(),
        url=f"https://{slug(outlet)}.example/{day:%Y/%m}/{slug(title or text)}-{k}",
        dataset=orig.dataset,
        group=orig.group,
        source=orig.rid,
        edits=tuple(e for e in EDIT_KINDS if e in edits),
    )


def make_copies(originals: list[Doc], count: int, rng: random.Random) -> list[Doc]:
    """About ``count`` copies: 1-3 each of a seeded sample of the originals."""
    copies: list[Doc] = []
    seen = {" ".join(d.text.split()) for d in originals}
    order = rng.sample(originals, len(originals))
    for orig in order:
        if len(copies) >= count:
            break
        want = min(rng.randint(1, 3), count - len(copies))
        outlets = rng.sample([o for o in COPY_OUTLETS if o != orig.outlet], want)
        for k, outlet in enumerate(outlets, 1):
            for _ in range(10):  # a copy whose text is not new is made again
                copy = make_copy(orig, k, outlet, rng)
                key = " ".join(copy.text.split())
                if key not in seen:
                    seen.add(key)
                    copies.append(copy)
                    break
    return copies


Pairs = list[tuple[Doc, Doc, float]]


def build(args: argparse.Namespace) -> tuple[list[Doc], Pairs, Pairs]:
    """The corpus in ingest order (positions set), the folded near-duplicate originals
    and the uncertain pairs (left out)."""
    rng = random.Random(args.seed)
    originals, near, uncertain = near_duplicates(load_originals(args.limit_originals, rng))
    count = args.copies if args.copies is not None else round(0.3 * len(originals))
    docs = originals + make_copies(originals, count, rng)
    if args.order == "time":
        docs.sort(key=lambda d: (d.published, d.source is not None))
    else:
        rng.shuffle(docs)
    for i, d in enumerate(docs):
        d.position = i
    return docs, near, uncertain


# -- metrics -------------------------------------------------------------------------------


@dataclass
class Prediction:
    """What the tool said, by record id: ``duplicate_of`` (a record id) and story."""

    dup_of: dict[str, str | None] = field(default_factory=dict)
    story: dict[str, str | None] = field(default_factory=dict)
    containment: dict[str, float | None] = field(default_factory=dict)


def read_prediction(rows: Iterable[dict[str, Any]]) -> Prediction:
    rows = list(rows)
    rid_of = {r["id"]: r.get("record_id") or r["id"] for r in rows}
    pred = Prediction()
    for r in rows:
        rid = rid_of[r["id"]]
        dup = r.get("duplicate_of")
        pred.dup_of[rid] = None if not dup else rid_of.get(dup, f"?{dup[:12]}")
        pred.story[rid] = r.get("story")
        pred.containment[rid] = r.get("containment")
    return pred


def pairs_in(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def ratio(num: float, den: float) -> float:
    return num / den if den else 1.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DupScores:
    precision: float
    recall: float
    predicted: int
    true: int
    pair_precision: float
    pair_recall: float
    canonical_right: float
    groups: int
    false_pos: list[tuple[str, str]]
    false_neg: list[tuple[str, str]]
    by_edit: dict[str, tuple[int, int]]


def canonicals(docs: Sequence[Doc], pred: Prediction) -> dict[str, tuple[str, bool]]:
    """Per group: (the true canonical, whether the tool's is right). The earliest published
    member; among several on the earliest day the tool's choice if it is one of them, else
    the first ingested."""
    members: dict[str, list[Doc]] = defaultdict(list)
    for d in docs:
        members[d.group].append(d)
    out = {}
    for group, ms in members.items():
        first = min(d.published for d in ms)
        earliest = sorted((d for d in ms if d.published == first), key=lambda d: d.position)
        votes = Counter(pred.dup_of.get(d.rid) or d.rid for d in ms if d.rid in pred.dup_of)
        tools = max(votes, key=lambda rid: votes[rid]) if votes else None
        names = {d.rid for d in earliest}
        right = tools in names
        out[group] = (tools if right and tools else earliest[0].rid, right)
    return out


def duplicate_scores(docs: Sequence[Doc], pred: Prediction) -> DupScores:
    stored = [d for d in docs if d.rid in pred.dup_of]
    canon = canonicals(stored, pred)
    size = Counter(d.group for d in stored)
    group_of = {d.rid: d.group for d in stored}
    true = {(d.rid, canon[d.group][0]) for d in stored if d.rid != canon[d.group][0]}
    predicted = {(a, b) for a, b in pred.dup_of.items() if b}
    hit = true & predicted
    # pairwise over all same-group pairs: predicted groups are the links' components
    uf = UnionFind()
    for a, b in predicted:
        uf.union(a, b)
    cells = Counter((d.group, uf.find(d.rid)) for d in stored)
    both = pairs_in(cells.values())
    same_pred = pairs_in(Counter(uf.find(d.rid) for d in stored).values())
    same_true = pairs_in(size.values())
    multi = [g for g, n in size.items() if n > 1]
    by_edit: dict[str, tuple[int, int]] = {}
    for kind in (*EDIT_KINDS, "any"):
        copies = [d for d in stored if d.source and (kind == "any" or kind in d.edits)]
        found = sum(
            1
            for d in copies
            if group_of.get(pred.dup_of[d.rid] or "") == d.group or d.rid == canon[d.group][0]
        )
        by_edit[kind] = (found, len(copies))
    return DupScores(
        precision=ratio(len(hit), len(predicted)),
        recall=ratio(len(hit), len(true)),
        predicted=len(predicted),
        true=len(true),
        pair_precision=ratio(both, same_pred),
        pair_recall=ratio(both, same_true),
        canonical_right=ratio(sum(canon[g][1] for g in multi), len(multi)),
        groups=len(multi),
        false_pos=sorted(predicted - true),
        false_neg=sorted(true - predicted),
        by_edit=by_edit,
    )


@dataclass
class StoryScores:
    purity: float
    inverse_purity: float
    precision: float
    recall: float
    f1: float
    stories: int
    true_stories: int
    #: predicted stories holding several true groups: story -> the groups
    merged: dict[str, list[str]]


def story_scores(docs: Sequence[Doc], pred: Prediction) -> StoryScores:
    """Purity, inverse purity and B-cubed against the duplicate groups (a null story is
    a story of its own)."""
    stored = [d for d in docs if d.rid in pred.story]
    n = len(stored)
    story = {d.rid: pred.story[d.rid] or f"(none) {d.rid}" for d in stored}
    cells = Counter((story[d.rid], d.group) for d in stored)
    pred_size = Counter(story[d.rid] for d in stored)
    true_size = Counter(d.group for d in stored)
    best_pred: dict[str, int] = defaultdict(int)
    best_true: dict[str, int] = defaultdict(int)
    groups_in: dict[str, list[str]] = defaultdict(list)
    for (s, g), k in cells.items():
        best_pred[s] = max(best_pred[s], k)
        best_true[g] = max(best_true[g], k)
        groups_in[s].append(g)
    precision = sum(k * k / pred_size[s] for (s, _), k in cells.items()) / n if n else 1.0
    recall = sum(k * k / true_size[g] for (_, g), k in cells.items()) / n if n else 1.0
    return StoryScores(
        purity=sum(best_pred.values()) / n if n else 1.0,
        inverse_purity=sum(best_true.values()) / n if n else 1.0,
        precision=precision,
        recall=recall,
        f1=f1(precision, recall),
        stories=len(pred_size),
        true_stories=len(true_size),
        merged={s: sorted(gs) for s, gs in groups_in.items() if len(gs) > 1},
    )


# -- running newsgraph ---------------------------------------------------------------------


def newsgraph_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("newsgraph")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "newsgraph.cli"]


def ingest(jsonl: Path, db: Path, jobs: int, *, corpus: bool) -> tuple[float, float]:
    """Seconds of one ``newsgraph ingest`` subprocess: wall clock, and CPU (user + system,
    its worker processes included)."""
    cmd = [*newsgraph_cmd(), "ingest", str(jsonl), "--db", str(db), "-j", str(jobs)]
    if not corpus:
        cmd.append("--no-corpus")
    db.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if done.returncode != 0:
        print(f"note: {' '.join(cmd[1:])} exited {done.returncode}: {done.stderr[-1500:]}")
        if not db.exists():
            raise SystemExit("ingest stored nothing")
    return took, cpu


def stored_articles(db: Path) -> list[dict[str, Any]]:
    cmd = [*newsgraph_cmd(), "articles", "--db", str(db), "--json", "--limit", "1000000"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[1:])} failed:\n{done.stderr[-1500:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def place_afterwards(db: Path) -> tuple[float, Prediction]:
    """Seconds of ``update_corpus`` on a store ingested with the layer off, and what it
    placed."""
    from newsgraph.corpus import update_corpus
    from newsgraph.store import Store

    with Store.open(db) as store:
        start = time.perf_counter()
        update_corpus(store)
        took = time.perf_counter() - start
    return took, read_prediction(stored_articles(db))


def write_jsonl(docs: Iterable[Doc], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for d in docs:
            out.write(json.dumps(d.record(), ensure_ascii=False) + "\n")


# -- printing ------------------------------------------------------------------------------


def show_corpus(docs: Sequence[Doc], near: Pairs, uncertain: Pairs) -> None:
    originals = [d for d in docs if d.source is None]
    copies = [d for d in docs if d.source is not None]
    size = Counter(d.group for d in docs)
    by_set = Counter(d.dataset for d in originals)
    print(
        f"corpus: {len(docs):,} articles = {len(originals):,} originals"
        f" ({', '.join(f'{k} {v}' for k, v in sorted(by_set.items()))}) + {len(copies):,} copies"
        f" of {len({d.source for d in copies}):,} originals"
    )
    edits = Counter(e for d in copies for e in d.edits)
    print("copy edits: " + ", ".join(f"{e} {edits[e]}" for e in EDIT_KINDS))
    near_groups = {a.group for a, _, _ in near}
    print(
        f"near-duplicate originals (share of the shorter text's word {SHINGLE}-grams in the"
        f" other >= {NEAR_DUPLICATE}): {len(near)} pairs, folded into {len(near_groups)} groups"
    )
    for a, b, c in sorted(near, key=lambda t: -t[2]):
        print(f"  {c:.2f}  {a.rid} | {b.rid}  ({a.snippet(40)!r} | {b.snippet(40)!r})")
    left = {d.rid for a, b, _ in uncertain for d in (a, b)}
    print(
        f"uncertain pairs ({UNCERTAIN} <= containment < {NEAR_DUPLICATE}): {len(uncertain)};"
        f" their {len(left)} originals left out"
    )
    for a, b, c in sorted(uncertain, key=lambda t: -t[2]):
        print(f"  {c:.2f}  {a.rid} | {b.rid}  ({a.snippet(40)!r} | {b.snippet(40)!r})")
    multi = [n for n in size.values() if n > 1]
    print(
        f"duplicate groups: {len(multi):,} with 2+ articles ({sum(multi):,} articles),"
        f" {len(size) - len(multi):,} singletons; true duplicate pairs"
        f" {sum(multi) - len(multi):,}"
    )


def check_truth(docs: Sequence[Doc]) -> None:
    """The exact measure on the whole corpus: copies far from their original (hard cases)
    and pairs across groups at the threshold (they share only boilerplate or bylines)."""
    sets = [shingles(d.text) for d in docs]
    by_rid = {d.rid: i for i, d in enumerate(docs)}
    low = [
        containment(sets[by_rid[d.rid]], sets[by_rid[d.source]])
        for d in docs
        if d.source and d.source in by_rid
    ]
    cross = [
        (docs[i], docs[j], c)
        for i, j, c in containment_pairs(sets, UNCERTAIN)
        if docs[i].group != docs[j].group
    ]
    if low:
        low.sort()
        print(
            f"copy vs original containment: min {low[0]:.2f}, p10 {low[len(low) // 10]:.2f},"
            f" median {low[len(low) // 2]:.2f}"
        )
    print(f"pairs across groups with containment >= {UNCERTAIN}: {len(cross)}")
    for a, b, c in cross[:5]:
        print(f"  {c:.2f}  {a.rid} | {b.rid}")


def show_pairs(
    title: str,
    pairs: Sequence[tuple[str, str]],
    docs: dict[str, Doc],
    pred: Prediction,
    sets: dict[str, set[int]],
    limit: int,
) -> None:
    if not pairs:
        return
    print(f"{title} ({len(pairs)}, up to {limit} shown):")
    for a, b in pairs[:limit]:
        da, db = docs.get(a), docs.get(b)
        if da is None or db is None:
            print(f"  {a} -> {b} (not in the corpus)")
            continue
        c = containment(sets[a], sets[b])
        said = pred.dup_of.get(a)
        print(
            f"  {a} [{da.published} {da.outlet}; {','.join(da.edits) or 'original'}]"
            f" -> {b} [{db.published}]: containment {c:.2f};"
            f" {'same group' if da.group == db.group else 'different groups'};"
            f" tool: duplicate_of {said}, containment {pred.containment.get(a)}"
        )
        print(f"      {da.snippet(70)!r} | {db.snippet(70)!r}")


def show_merged(
    merged: dict[str, list[str]], docs: Sequence[Doc], pred: Prediction, limit: int
) -> None:
    if not merged:
        return
    first: dict[str, Doc] = {}
    for d in sorted(docs, key=lambda d: (d.source is not None, d.published)):
        first.setdefault(d.group, d)
    pairs = sum(len(gs) * (len(gs) - 1) // 2 for gs in merged.values())
    print(
        f"stories holding several duplicate groups: {len(merged)} ({pairs} pairs of groups);"
        f" up to {limit} shown for a reader to judge:"
    )
    for story, groups in sorted(merged.items(), key=lambda kv: -len(kv[1]))[:limit]:
        print(f"  story {story}: {len(groups)} groups")
        for g in groups[:6]:
            d = first[g]
            print(f"    {d.rid} [{d.published} {d.outlet}] {d.snippet(80)!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=None, help="copies (30%% of originals)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (7)")
    parser.add_argument(
        "--limit-originals", type=int, default=None, help="a sample of N originals (quick runs)"
    )
    parser.add_argument("-j", "--processes", type=int, default=1, help="ingest -j (1)")
    parser.add_argument(
        "--order", choices=("shuffled", "time"), default="shuffled", help="JSONL order"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="timed ingest rounds, on and off (best counts)"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep the JSONL and dbs in DIR")
    parser.add_argument("--show", type=int, default=8, help="false pairs etc. shown (8)")
    parser.add_argument("--build-only", action="store_true", help="build and describe only")
    parser.add_argument("--check", action="store_true", help="exit 1 when a bar fails")
    args = parser.parse_args()

    if not any((DATA / name).exists() for name in SETS):
        print(f"skipped: no development data under {DATA}")
        return 0
    docs, near, uncertain = build(args)
    show_corpus(docs, near, uncertain)
    check_truth(docs)
    with tempfile.TemporaryDirectory(prefix="ng-corpus-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        jsonl = work / "corpus.jsonl"
        write_jsonl(docs, jsonl)
        (work / "truth.json").write_text(
            json.dumps(
                {d.rid: {"group": d.group, "source": d.source, "edits": d.edits} for d in docs}
            ),
            encoding="utf-8",
        )
        if args.build_only:
            print(f"wrote {jsonl} and {work / 'truth.json'}")
            return 0
        db_on, db_off = work / "corpus-on.duckdb", work / "corpus-off.duckdb"
        for db in (db_on, db_off, work / "warmup.duckdb"):
            db.unlink(missing_ok=True)
        warm = work / "warmup.jsonl"
        write_jsonl(docs[:10], warm)
        ingest(warm, work / "warmup.duckdb", args.processes, corpus=False)  # not timed
        best = {True: (math.inf, math.inf), False: (math.inf, math.inf)}
        for r in range(args.rounds):  # on, off; then off, on; ... (the best counts)
            for on in (True, False) if r % 2 == 0 else (False, True):
                wall, cpu = ingest(jsonl, db_on if on else db_off, args.processes, corpus=on)
                best[on] = (min(best[on][0], wall), min(best[on][1], cpu))
        rows = stored_articles(db_on)
        n_off = len(stored_articles(db_off))
        batch = place_afterwards(db_off)
    pred = read_prediction(rows)
    by_rid = {d.rid: d for d in docs}
    unknown = [rid for rid in pred.dup_of if rid not in by_rid]
    print(
        f"stored: {len(rows):,} of {len(docs):,} with the corpus layer on, {n_off:,} off"
        + (f"; {len(unknown)} rows not from the corpus" if unknown else "")
    )
    dup = duplicate_scores(docs, pred)
    stories = story_scores(docs, pred)
    (secs_on, cpu_on), (secs_off, cpu_off) = best[True], best[False]
    rate_on, rate_off = len(rows) / secs_on, n_off / secs_off
    through = rate_on / rate_off
    checks = [
        ("duplicate precision", dup.precision, MIN_DUP_PRECISION),
        ("duplicate recall", dup.recall, MIN_DUP_RECALL),
        ("throughput on/off", through, MIN_THROUGHPUT_RATIO),
    ]
    print(
        f"duplicates (article -> duplicate_of vs member -> canonical): precision"
        f" {dup.precision:.3f} recall {dup.recall:.3f} F1 {f1(dup.precision, dup.recall):.3f}"
        f" ({dup.predicted:,} predicted, {dup.true:,} true pairs)"
    )
    print(
        f"duplicates, all same-group pairs: precision {dup.pair_precision:.3f}"
        f" recall {dup.pair_recall:.3f}; canonical right in"
        f" {dup.canonical_right:.3f} of {dup.groups:,} groups"
    )
    print(
        "copies found per edit: "
        + ", ".join(f"{k} {found}/{n}" for k, (found, n) in dup.by_edit.items())
    )
    print(
        f"stories: {stories.stories:,} predicted, {stories.true_stories:,} true;"
        f" purity {stories.purity:.3f} inverse purity {stories.inverse_purity:.3f};"
        f" B-cubed precision {stories.precision:.3f} recall {stories.recall:.3f}"
        f" F1 {stories.f1:.3f}"
    )
    rounds = f"best of {args.rounds}" if args.rounds > 1 else "one round"
    print(
        f"ingest -j {args.processes} ({rounds}, wall clock): corpus on {secs_on:.1f}s"
        f" {rate_on:.2f} articles/s; off {secs_off:.1f}s {rate_off:.2f} articles/s;"
        f" ratio on/off {through:.3f}"
    )
    print(
        f"ingest CPU time: on {cpu_on:.1f}s, off {cpu_off:.1f}s; ratio on/off"
        f" {(len(rows) / cpu_on) / (n_off / cpu_off):.3f}"
    )
    took, after = batch
    dup_after, stories_after = duplicate_scores(docs, after), story_scores(docs, after)
    print(
        f"placing the --no-corpus store afterwards (update_corpus, in process): {took:.1f}s"
        f" ({n_off / took:.1f} articles/s); duplicates P {dup_after.precision:.3f}"
        f" R {dup_after.recall:.3f}; stories B-cubed F1 {stories_after.f1:.3f}"
    )
    failed = False
    for name, value, bar in checks:
        ok = value >= bar
        failed |= not ok
        print(f"{name}: {value:.3f} (bar >= {bar}){'' if ok else '  FAIL'}")
    sets = {d.rid: shingles(d.text) for d in docs}
    show_pairs("false duplicate pairs", dup.false_pos, by_rid, pred, sets, args.show)
    show_pairs("missed duplicate pairs", dup.false_neg, by_rid, pred, sets, args.show)
    show_merged(stories.merged, docs, pred, args.show)
    if args.keep:
        print(f"kept: {args.keep}")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
