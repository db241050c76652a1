"""Scoring the corpus layer's statement links against a hand-built story corpus's gold.

The gold (``tests/data/corpus/*-gold.json``) names statement groups: each version of a
statement (one value) with its carriers (article record id + the exact sentence). The
designed links, as the corpus layer is meant to make them:

- corroborates: two carriers of one version in independent articles (different outlets,
  neither a copy: copies are counted once, through the article they copy);
- contradicts: two carriers of different versions of one statement (copies excluded);
- copies: a copy's carrier and the same statement in the article it copies.

A found link is matched to carriers by its two spans (each must overlap a carrier's
sentence in its article); anything else is an undesigned link.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.store import Store


@dataclass(frozen=True)
class Carrier:
    statement: str
    version: int
    record: str
    start: int
    end: int
    copy: bool


@dataclass
class LinkScore:
    designed: set[tuple[str, str, str, str]] = field(default_factory=set)
    found: set[tuple[str, str, str, str]] = field(default_factory=set)
    undesigned: list[dict[str, Any]] = field(default_factory=list)

    @property
    def missed(self) -> set[tuple[str, str, str, str]]:
        return self.designed - self.found

    @property
    def extra(self) -> set[tuple[str, str, str, str]]:
        return self.found - self.designed


def load_gold(path: Path) -> dict[str, Any]:
    gold: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return gold


def carriers(gold: dict[str, Any], texts: dict[str, str]) -> list[Carrier]:
    out = []
    for st in gold["statements"]:
        for k, version in enumerate(st["versions"]):
            for c in version["carriers"]:
                start = texts[c["id"]].index(c["text"])
                out.append(
                    Carrier(
                        st["name"], k, c["id"], start, start + len(c["text"]), bool(c.get("copy"))
                    )
                )
    return out


def designed_links(
    gold: dict[str, Any], cs: list[Carrier], outlets: dict[str, str]
) -> set[tuple[str, str, str, str]]:
    """(relation, statement, record a, record b) with a < b."""
    dups: dict[str, str] = gold["duplicates"]
    out = set()
    for a, b in itertools.combinations(cs, 2):
        if a.statement != b.statement or a.record == b.record:
            continue
        lo, hi = sorted((a, b), key=lambda c: c.record)
        if a.copy or b.copy:
            copy, other = (a, b) if a.copy else (b, a)
            if not other.copy and dups.get(copy.record) == other.record and a.version == b.version:
                out.add(("copies", a.statement, lo.record, hi.record))
            continue
        if a.version != b.version:
            out.add(("contradicts", a.statement, lo.record, hi.record))
        elif outlets[a.record] != outlets[b.record]:
            out.add(("corroborates", a.statement, lo.record, hi.record))
    return out


def _copy_pair(gold: dict[str, Any], a: str, b: str) -> bool:
    dups: dict[str, str] = gold["duplicates"]
    return dups.get(a) == b or dups.get(b) == a


def score_links(store: Store, gold: dict[str, Any]) -> LinkScore:
    rows = store.execute("SELECT id, record_id, text, outlet FROM articles")
    record_of = {str(r[0]): str(r[1]) for r in rows}
    texts = {str(r[1]): str(r[2]) for r in rows}
    outlets = {str(r[1]): str(r[3]) for r in rows}
    cs = carriers(gold, texts)
    by_record: dict[str, list[Carrier]] = {}
    for c in cs:
        by_record.setdefault(c.record, []).append(c)

    def carrier_at(record: str, start: int, end: int) -> list[Carrier]:
        return [c for c in by_record.get(record, []) if c.start < end and start < c.end]

    score = LinkScore(designed=designed_links(gold, cs, outlets))
    for r in store.execute(
        'SELECT relation, article_id, "start", "end", text, other_article_id, other_start, '
        "other_end, other_text, why FROM corpus_links WHERE article_id < other_article_id"
    ):
        relation, a, s1, e1, t1, b, s2, e2, t2, why = r
        ra, rb = record_of[a], record_of[b]
        pairs = [
            (ca, cb)
            for ca in carrier_at(ra, s1, e1)
            for cb in carrier_at(rb, s2, e2)
            if ca.statement == cb.statement
        ]
        if not pairs and relation == "copies" and _copy_pair(gold, ra, rb):
            continue  # every statement of a copy is a copy of its wire's: not only designed ones
        if not pairs:
            score.undesigned.append(
                {"relation": relation, "a": ra, "b": rb, "a_text": t1, "b_text": t2, "why": why}
            )
            continue
        for ca, _ in pairs:
            lo, hi = sorted((ra, rb))
            score.found.add((relation, ca.statement, lo, hi))
    return score
