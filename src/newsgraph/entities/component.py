"""``newsgraph_entities_v2``: spaCy NER combined with the knowledge base.

1. Candidates come from spaCy's entities and from the KB: every alias of a state,
   IGO, person, military system, outlet, research body and place (case-sensitive
   phrase matching), and generic weapon classes (case-insensitive).
2. Overlaps are settled in favour of the knowledge base and of longer spans; a
   spaCy span that mixes a known name with leftovers ("Turkey Tomバーク") is split.
3. Each mention is typed and linked: the KB decides the type (Bloomberg is MEDIA,
   Patriot a MILITARY_SYSTEM), a capital or seat of power that acts ("Ankara is
   seeking", "ties with Washington") is its state, a demonym is a NORP linked to its
   state, and a surname or an office title ("U.S. Ambassador to Turkey ...",
   "the Turkish president") is resolved to the office holder on the article date.
4. Mentions are grouped into entities by KB id, else by normalised name.

The article date is read from ``doc._.ng_published`` (a ``datetime.date`` or None).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..datafile import read_table
from ..kb import KBEntity, KnowledgeBase, get_kb
from ..kb.model import AliasKind
from ..report import Entity
from ..report import Span as RSpan
from ..text import docview
from ..text.titles import office_titles
from .tables import LEADING_DROP, NER_TYPE_MAP, TRAILING_DROP, norm_key

#: spaCy forbids dots in factory names, so versions are spelled with underscores.
COMPONENT = "newsgraph_entities_v2"

#: Prepositions after which a capital or seat of power names the place, not the government.
LOCATIVE_PREPS: Final = frozenset(
    {
        "in",
        "at",
        "to",
        "from",
        "near",
        "outside",
        "around",
        "into",
        "inside",
        "across",
        "toward",
        "towards",
        "via",
        "through",
        "throughout",
        "within",
        "between",
        "over",
    }
)
#: Generic head nouns a weapon class or a named system may carry ("missile systems").
GENERIC_HEADS: Final = frozenset(
    {
        "system",
        "systems",
        "battery",
        "batteries",
        "launcher",
        "launchers",
        "unit",
        "units",
        "platform",
        "platforms",
        "variant",
        "variants",
        "jets",
        "jet",
        "fighters",
        "fighter",
    }
)
#: Words before a bare surname that make it a person ("Mr Trump", "Gen. Milley").
HONORIFICS: Final = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "dame",
        "lord",
        "gen",
        "general",
        "adm",
        "admiral",
        "col",
        "colonel",
        "lt",
        "maj",
        "capt",
        "sen",
        "senator",
        "rep",
        "gov",
        "governor",
        "mayor",
        "minister",
        "secretary",
        "sheikh",
        "prince",
        "princess",
        "crown",
        "president",
        "premier",
    }
)
#: Compounds in which a weapon word is no weapon ("think tank", "fuel tank").
NOT_WEAPONS: Final = frozenset(
    {
        "think tank",
        "fuel tank",
        "water tank",
        "oil tank",
        "gas tank",
        "fish tank",
        "septic tank",
        "storage tank",
        "tank top",
        "shark tank",
        "tank car",
        "missile crisis",
        "drone strike",
    }
)
#: spaCy spans that are values, not names: currency codes, units, sizes ("USD", "GB", "320x240").
NOT_A_NAME: Final = re.compile(
    r"^(?:USD|EUR|GBP|JPY|CNY|RUB|TRY|CHF|INR|US\$|[KMGT]B|kg|km|mph|\d+x\d+|\d+(?:\.\d+)?)$"
)
#: US Navy hull classification symbols before a number ("DDG 70", "CVN 78").
HULL_PREFIXES: Final = frozenset(
    {"DDG", "CVN", "CV", "LHD", "LHA", "SSN", "SSBN", "SSGN", "FFG", "CG", "LPD", "LSD", "LCS"}
)
#: Ship prefixes: "HMS Ocean", "USS Mahan", "TCG Anadolu" name warships.
SHIP_PREFIXES: Final = frozenset(
    {
        "HMS",
        "USS",
        "FS",
        "INS",
        "TCG",
        "HMAS",
        "HMCS",
        "HMNZS",
        "RFS",
        "ROKS",
        "JS",
        "HNLMS",
        "FGS",
        "ITS",
        "ESPS",
        "BNS",
        "KRI",
        "PNS",
        "HDMS",
        "HNoMS",
        "HSwMS",
        "ORP",
        "USNS",
        "NRP",
    }
)
_SCRIPT_LATIN: Final = "LATIN"


@cache
def military_cues() -> frozenset[str]:
    """Lemmas that make a sentence military, from ``data/military_cues.tsv``."""
    return frozenset(
        row[0].lower() for row in read_table("newsgraph.entities", "military_cues.tsv", ["cue"])
    )


@dataclass
class Cand:
    """A candidate mention: a token range and what it may be."""

    start: int  # token indices, end exclusive
    end: int
    source: str  # "kb", "class", "ner", "split"
    refs: list[tuple[str, AliasKind]] = field(default_factory=list)  # (kb entity id, alias kind)
    label: str | None = None  # spaCy label where NER is involved

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass
class Mention:
    start: int  # char offsets
    end: int
    kb: KBEntity | None
    type: str
    name: str
    origin: str
    attrs: dict[str, Any] = field(default_factory=dict)


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split()[0]
    except ValueError:
        return "UNKNOWN"


def latin_prefix(text: str) -> str:
    """The leading run of Latin letters, spaces and hyphens ("Tomバーク" -> "Tom")."""
    out = []
    for ch in text:
        if ch.isalpha() and _script(ch) != _SCRIPT_LATIN:
            break
        out.append(ch)
    return "".join(out).strip()


def mixes_scripts(text: str) -> bool:
    scripts = {_script(ch) for ch in text if ch.isalpha()}
    return len(scripts) > 1


class EntityLinker:
    """NER + KB -> typed, linked, grouped entities on ``doc._.ng_entities``."""

    def __init__(self, nlp: Language, name: str, *, kb: KnowledgeBase | str | None = None) -> None:
        self.name = name
        self.kb = kb if isinstance(kb, KnowledgeBase) else get_kb(kb or None)
        self.titles = office_titles()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.class_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.title_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        tokenizer = nlp.tokenizer
        self.matcher.add("KB", [tokenizer(alias) for alias in self.kb.aliases])
        self.class_matcher.add("CLASS", [tokenizer(term) for term in self.kb.classes])
        if self.kb.context_classes:
            self.class_matcher.add("CONTEXT", [tokenizer(term) for term in self.kb.context_classes])
        self.cues = military_cues()
        self.title_matcher.add("TITLE", [tokenizer(t) for t in self.titles])
        # every office id the KB has terms for, to check "<owner>.<kind>" guesses
        self.office_ids = set(self.kb.offices())

    # ------------------------------------------------------------------ driver
    def __call__(self, doc: Doc) -> Doc:
        on = doc._.ng_published if doc.has_extension("ng_published") else None
        cands = self._candidates(doc)
        chosen = self._select(doc, cands)
        mentions: list[Mention] = []
        references: list[tuple[Span, KBEntity]] = []
        for cand in chosen:
            m = self._resolve(doc, cand, on)
            if m is not None:
                mentions.append(m)
        mentions = self._drop_weak(mentions)
        self._title_links(doc, mentions, references, on)
        self._surname_context(mentions)
        mentions = sorted(mentions + self._propagate(doc, mentions), key=lambda m: m.start)
        doc._.ng_entities = self._group(doc, mentions, references)
        doc._.ng_kb = self.kb
        return doc

    # ------------------------------------------------------------ candidates
    def _candidates(self, doc: Doc) -> list[Cand]:
        cands: list[Cand] = []
        for _, s, e in self.matcher(doc):
            text = doc[s:e].text
            refs = [(r.entity_id, r.kind) for r in self.kb.aliases.get(text, [])]
            if refs:
                if e - s > 1 and doc[s].text in LEADING_DROP:  # "the Middle East" -> "Middle East"
                    s += 1
                cands.append(Cand(s, e, "kb", refs))
        vocab = doc.vocab.strings
        for match_id, s, e in self.class_matcher(doc):
            if vocab[match_id] == "CONTEXT":
                parsed = doc.has_annotation("SENT_START")
                if not self._military(docview.sentence_of(doc, s) if parsed else doc):
                    continue
                eid = self.kb.context_classes.get(doc[s:e].text.lower())
            else:
                eid = self.kb.classes.get(doc[s:e].text.lower())
            before = f"{doc[s - 1].lower_} {doc[s:e].text.lower()}" if s > 0 else ""
            after = f"{doc[s:e].text.lower()} {doc[e].lower_}" if e < len(doc) else ""
            if eid and not ({before, after} & NOT_WEAPONS):
                s = self._extend_modifiers(doc, s, e)
                while e < len(doc) and doc[e].lower_ in GENERIC_HEADS and e - s < 6:
                    e += 1
                cands.append(Cand(s, e, "class", [(eid, "class")]))
        words = docview.words(doc)
        for i, text in enumerate(words):
            if text not in HULL_PREFIXES and text not in SHIP_PREFIXES:
                continue
            tok = doc[i]
            if tok.text in HULL_PREFIXES and tok.i + 1 < len(doc) and doc[tok.i + 1].is_digit:
                cands.append(Cand(tok.i, tok.i + 2, "pattern", [], "SHIP"))  # "DDG 70"
            if tok.text in SHIP_PREFIXES and tok.i + 1 < len(doc):
                e = tok.i + 1
                while e < len(doc) and e - tok.i <= 3 and doc[e].is_title and doc[e].is_alpha:
                    e += 1
                if e > tok.i + 1:
                    cands.append(Cand(tok.i, e, "pattern", [], "SHIP"))
        for ent in doc.ents:
            if ent.label_ not in NER_TYPE_MAP:
                continue
            bounds = _trim(ent)
            if bounds:
                cands.append(Cand(bounds[0], bounds[1], "ner", [], ent.label_))
        return cands

    def _military(self, sent: Span | Doc) -> bool:
        """Does the sentence talk about armed force (a cue lemma or a known weapon)?"""
        lemmas = docview.lemmas(sent.doc)
        if isinstance(sent, Span):
            lemmas = lemmas[sent.start : sent.end]
        return any(lemma in self.cues for lemma in lemmas)

    @staticmethod
    def _extend_modifiers(doc: Doc, start: int, end: int) -> int:
        """Take in up to two modifiers before a weapon class ("heavy machine gun")."""
        s = start
        while s > 0 and start - s < 2:
            prev = doc[s - 1]
            modifies = start <= prev.head.i < end and prev.dep_ in ("amod", "compound")
            if modifies and prev.pos_ in ("ADJ", "NOUN") and prev.is_lower and prev.is_alpha:
                s -= 1
                continue
            break
        return s

    # ------------------------------------------------------------- selection
    def _select(self, doc: Doc, cands: list[Cand]) -> list[Cand]:
        """Non-overlapping candidates; KB and longer spans win, mixed spans are split."""
        ner = [c for c in cands if c.source == "ner"]
        kb = [c for c in cands if c.source in ("kb", "class", "pattern")]
        # a KB name inside a spaCy span: either the KB names cover it, or it is split
        out: list[Cand] = []
        # the KB candidates by start (a start only ever moves back, onto a spaCy "the":
        # the one found by its first start is still found), looked up per spaCy span
        by_start = sorted((k.start, n) for n, k in enumerate(kb))
        starts = [start for start, _ in by_start]
        for c in ner:
            near = sorted(
                n for _, n in by_start[bisect_left(starts, c.start) : bisect_right(starts, c.end)]
            )
            inner = [
                k
                for k in (kb[n] for n in near)
                if c.start <= k.start and k.end <= c.end and k.length < c.length
            ]
            inner = _longest_non_overlapping(inner)
            if not inner:
                out.append(c)
                continue
            covered = {i for k in inner for i in range(k.start, k.end)}
            rest = [i for i in range(c.start, c.end) if i not in covered]
            # "of" binds one name ("Gulf of Finland"); "and" and a leading "the" do not
            leftover = [i for i in rest if doc[i].is_alpha and doc[i].lower_ not in {"and", "the"}]
            if not leftover:
                # the KB spans say it all ("American F-35"); an article spaCy included stays
                # with the name ("the U.S."), as spaCy's own spans keep it
                if doc[c.start].lower_ == "the" and inner[0].start == c.start + 1:
                    inner[0].start = c.start
                continue
            if not mixes_scripts(doc[c.start : c.end].text):
                # the whole name wins: "Russian Defence Ministry", "Martin Luther King"
                out.append(c)
                for k in inner:
                    k.refs = []
                continue
            # a mangled span ("Turkey Tomバーク"): keep the KB parts, the rest stands alone
            runs = _runs(rest)
            for s, e in runs:
                while s < e and not doc[s].is_alpha:
                    s += 1
                while e > s and not doc[e - 1].is_alpha:
                    e -= 1
                if s < e:
                    label = "PERSON" if self._after_title(doc, c.start, s) else c.label
                    if label == "GPE":
                        label = "LOC"
                    out.append(Cand(s, e, "split", [], label))
        kb = [k for k in kb if k.refs or k.source == "pattern"]
        pool = out + kb
        # greedy: longest first; at equal length KB beats NER
        rank = {"kb": 0, "pattern": 1, "class": 2, "split": 3, "ner": 4}
        pool.sort(key=lambda c: (-c.length, rank[c.source], c.start))
        taken: set[int] = set()
        chosen: list[Cand] = []
        chosen_at: dict[tuple[int, int], list[Cand]] = {}
        for c in pool:
            span = set(range(c.start, c.end))
            if span & taken:
                # an equal NER span over a chosen KB span passes its label on
                for k in chosen_at.get((c.start, c.end), ()):
                    if c.label:
                        k.label = k.label or c.label
                continue
            taken |= span
            chosen.append(c)
            chosen_at.setdefault((c.start, c.end), []).append(c)
        chosen.sort(key=lambda c: c.start)
        return self._absorb_classes(doc, chosen)

    def _absorb_classes(self, doc: Doc, chosen: list[Cand]) -> list[Cand]:
        """A named system followed by a weapon class is one mention ("S-400 missile systems")."""
        out: list[Cand] = []
        starts = {c.start for c in chosen}
        for c in chosen:
            prev = out[-1] if out else None
            if (
                c.source == "class"
                and prev is not None
                and prev.source == "kb"
                and prev.end == c.start
                and any(self.kb.entities[eid].type == "MILITARY_SYSTEM" for eid, _ in prev.refs)
            ):
                prev.end = c.end
                continue
            if (
                c.source == "kb"
                and c.end < len(doc)
                and doc[c.end].lower_ in GENERIC_HEADS
                and any(self.kb.entities[eid].type == "MILITARY_SYSTEM" for eid, _ in c.refs)
                and c.end not in starts
            ):
                c.end += 1  # "S-400 system", "Patriot batteries"
            out.append(c)
        return out

    def _after_title(self, doc: Doc, ner_start: int, tok: int) -> bool:
        """Is there an office title just before this spaCy span or inside it before ``tok``?"""
        parsed = doc.has_annotation("SENT_START")
        sent_start = docview.sentence_of(doc, ner_start).start if parsed else 0
        lo = max(sent_start, ner_start - 5)
        window = doc[lo:tok]
        return any(True for _ in self.title_matcher(window))

    # --------------------------------------------------------------- resolve
    def _resolve(self, doc: Doc, c: Cand, on: dt.date | None) -> Mention | None:
        span = doc[c.start : c.end]
        start, end = span.start_char, span.end_char
        if c.source == "pattern":
            return Mention(
                start,
                end,
                None,
                "MILITARY_SYSTEM",
                span.text,
                "pattern:ship-prefix",
                {"category": "warship"},
            )
        if c.source in ("ner", "split"):
            label = c.label or "MISC"
            if NOT_A_NAME.match(span.text):
                return None  # a currency code, unit or size that the small model tags
            rtype = NER_TYPE_MAP.get(label, "OTHER")
            plural_after_the = (
                len(span) == 1
                and span.start > 0
                and doc[span.start - 1].lower_ == "the"
                and span.text.endswith("s")
            )
            if rtype == "PERSON" and plural_after_the:
                rtype, label = "ORGANIZATION", "PERSON->group"  # "the Beatles", "the Taliban"
            return Mention(start, end, None, rtype, span.text, f"spacy-ner:{label}")
        kb_entity, kind = self._choose(doc, c, on)
        if kb_entity is None:
            return None
        if kind == "surname" and not self._surname_ok(doc, c):
            return None
        weak = kind == "surname" and c.label != "PERSON" and not self._titled(doc, c.start)
        if c.source == "class":
            return Mention(
                start,
                end,
                kb_entity,
                "MILITARY_SYSTEM",
                kb_entity.name,
                "kb-class",
                {"category": kb_entity.attrs.get("category"), "generic": True},
            )
        if kind == "demonym":
            return Mention(
                start,
                end,
                kb_entity,
                "NORP",
                span.text,
                "kb-demonym",
                {"country": kb_entity.attrs.get("iso3")},
            )
        if kind == "metonym" and self._is_place(span):
            return Mention(
                start,
                end,
                None,
                "LOCATION",
                span.text,
                "kb-metonym:place",
                {"seat_of": kb_entity.attrs.get("iso3") or kb_entity.attrs.get("code")},
            )
        origin = f"kb-{kind}" + (f"+spacy-ner:{c.label}" if c.label else "")
        m = Mention(start, end, kb_entity, kb_entity.type, kb_entity.name, origin)
        if weak:
            m.attrs["weak"] = True
        return m

    def _titled(self, doc: Doc, i: int) -> bool:
        prev = doc[i - 1].lower_.rstrip(".") if i > 0 else ""
        return prev in HONORIFICS or prev in self.titles

    @staticmethod
    def _drop_weak(mentions: list[Mention]) -> list[Mention]:
        """Bare surnames without spaCy's or a title's support need the full name elsewhere."""
        strong = {m.kb.id for m in mentions if m.kb is not None and not m.attrs.get("weak")}
        kept = []
        for m in mentions:
            if m.attrs.pop("weak", False) and (m.kb is None or m.kb.id not in strong):
                continue
            kept.append(m)
        return kept

    def _choose(self, doc: Doc, c: Cand, on: dt.date | None) -> tuple[KBEntity | None, str]:
        """Pick one KB entity among the alias's candidates, by spaCy label, date and kind."""
        best: tuple[float, KBEntity | None, str] = (-1e9, None, "")
        for eid, kind in c.refs:
            e = self.kb.entities[eid]
            score = {"name": 3.0, "class": 2.5, "metonym": 2.0, "demonym": 2.0, "surname": 1.0}[
                kind
            ]
            if c.label:
                want = NER_TYPE_MAP.get(c.label)
                if (c.label == "PERSON") == (e.type == "PERSON"):
                    score += 1.0
                if want == e.type or (c.label == "GPE" and e.type == "COUNTRY"):
                    score += 0.5
            if e.type == "PERSON" and on is not None:
                if self.kb.roles(e, on=on):
                    score += 2.0
                else:
                    terms = self.kb.roles(e)
                    if terms:  # nearer terms first
                        gap = min(abs((t.start_date - on).days) for t in terms)
                        score -= min(gap / 3650.0, 1.0)
            if score > best[0]:
                best = (score, e, kind)
        return best[1], best[2]

    @staticmethod
    def _surname_ok(doc: Doc, c: Cand) -> bool:
        """Where spaCy saw a date or number ("May" the month) a bare surname is no person;
        elsewhere it stands when spaCy, a title or the full name supports it (see
        :meth:`_drop_weak`)."""
        return c.label is not None or not doc[c.start].ent_type_

    @staticmethod
    def _is_place(span: Span) -> bool:
        """'in Ankara', 'at the White House' name places; 'Ankara said' names a government."""
        head = span.root
        if head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS:
            return True
        # "a London court", "the Ankara office": a place modifying a noun
        return head.dep_ in ("compound", "amod", "nmod") and head.head.pos_ in ("NOUN", "PROPN")

    # ------------------------------------------------------- titles, offices
    def _title_links(
        self,
        doc: Doc,
        mentions: list[Mention],
        references: list[tuple[Span, KBEntity]],
        on: dt.date | None,
    ) -> None:
        """Resolve "<country> <title> <name>" and "the <country> <title>" through the KB."""
        by_start = {m.start: m for m in mentions}
        mention_at = {i: m for m in mentions for i in range(m.start, m.end)}
        for _, s, e in self.title_matcher(doc):
            title = doc[s:e]
            kind = self.titles[title.text.lower()]
            owner = self._owner_before(doc, s, mention_at)
            host = None
            after = e
            # "Ambassador to Turkey": the host country follows
            if kind == "ambassador" and e + 1 < len(doc) and doc[e].lower_ == "to":
                m = mention_at.get(doc[e + 1].idx)
                if m is not None and m.kb is not None and m.kb.type in ("COUNTRY", "IGO"):
                    host = m.kb.attrs.get("iso3") or m.kb.attrs.get("code")
                    after = next((t.i for t in doc[e + 1 :] if t.idx >= m.end), len(doc))
            if owner is None and kind not in ("ambassador",):
                continue
            office = self._office_id(owner, kind, host)
            if office is None:
                continue
            # the name that follows the title, if any
            nxt = doc[after] if after < len(doc) else None
            named = by_start.get(nxt.idx) if nxt is not None else None
            if named is not None and named.type in ("PERSON", "LOCATION", "OTHER", "ORGANIZATION"):
                self._link_named(named, office, on)
            elif named is None and (nxt is None or not nxt.text[:1].isupper()):
                # "the Turkish president", "Turkey's president": a description of the holder
                holder = self.kb.holder(office, on) if on else self.kb.holder(office)
                person = self.kb.get(holder.person_id) if holder else None
                if person is not None:
                    first = self._owner_start(doc, s, mention_at)
                    if first > 0 and doc[first - 1].lower_ == "the":
                        first -= 1
                    references.append((doc[first:after], person))

    @staticmethod
    def _owner_start(doc: Doc, s: int, mention_at: dict[int, Mention]) -> int:
        """The first token of the owner mention before a title (or the title itself)."""
        i = s - 1
        if i >= 0 and doc[i].lower_ in ("'s", "’s"):
            i -= 1
        m = mention_at.get(doc[i].idx) if i >= 0 else None
        if m is None:
            return s
        while i > 0 and doc[i - 1].idx >= m.start:
            i -= 1
        return i

    def _owner_before(self, doc: Doc, s: int, mention_at: dict[int, Mention]) -> str | None:
        """The state or IGO named just before a title ("U.S.", "Russian", "Turkey's")."""
        i = s - 1
        if i >= 0 and doc[i].lower_ in ("'s", "’s"):
            i -= 1
        if i < 0:
            return None
        m = mention_at.get(doc[i].idx)
        if m is None or m.kb is None:
            return None
        if m.type in ("COUNTRY", "IGO", "NORP"):
            return str(m.kb.attrs.get("iso3") or m.kb.attrs.get("code") or "") or None
        return None

    def _office_id(self, owner: str | None, kind: str, host: str | None) -> str | None:
        if kind == "ambassador":
            if host is None:
                return None
            candidates = [f"{owner}.ambassador.{host}"] if owner else []
            candidates.append(f"USA.ambassador.{host}")  # "Ambassador to Turkey" in US-sourced news
            for office in candidates:
                if office in self.office_ids:
                    return office
            return None
        office = f"{owner}.{kind}"
        if office in self.office_ids:
            return office
        if kind == "head_of_state" and f"{owner}.head_of_government" in self.office_ids:
            return None
        return None

    def _link_named(self, named: Mention, office: str, on: dt.date | None) -> None:
        """A name right after an office title: link it to the office holder when compatible."""
        holder = self.kb.holder(office, on) if on else self.kb.holder(office)
        if holder is None:
            return
        person = self.kb.get(holder.person_id)
        if person is None:
            return
        if named.kb is not None and named.kb.type == "PERSON":
            return  # already linked by name; the checks layer compares title and term
        text = latin_prefix(named.name) if mixes_scripts(named.name) else named.name
        words = text.replace(".", "").split()
        if not words:
            return
        names = [a.replace(".", "").split() for a in person.aliases]
        compatible = any(
            words == n[: len(words)] or words[-1] == n[-1] or words == n for n in names if n
        )
        if compatible:
            named.kb, named.type, named.name = person, "PERSON", person.name
            named.origin = f"kb-office-holder:{office}"
            named.attrs = {"office": office, "as_written": named.attrs.get("as_written")}

    def _surname_context(self, mentions: list[Mention]) -> None:
        """Unlinked one-word PERSON mentions take the linked full name that ends with them."""
        linked = {m.kb.id: m.kb for m in mentions if m.kb is not None and m.type == "PERSON"}
        by_last: dict[str, list[KBEntity]] = {}  # last word of an alias -> its people
        for p in linked.values():
            for last in dict.fromkeys(a.split()[-1] for a in p.aliases if a.split()):
                by_last.setdefault(last, []).append(p)
        for m in mentions:
            if m.kb is None and m.type == "PERSON" and " " not in m.name:
                hits = by_last.get(m.name, [])
                if len(hits) == 1:
                    m.kb, m.name, m.origin = hits[0], hits[0].name, m.origin + "+surname"

    @staticmethod
    def _propagate(doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """One name, one referent per article: where spaCy missed a later "Jobs" after
        "Steve Jobs", or a second "Cisco", the same string becomes the same entity."""
        forms: dict[tuple[str, ...], Mention] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end)
            if m.type in ("NORP", "LOCATION", "COUNTRY") or m.attrs.get("generic") or span is None:
                continue
            words = tuple(t.text for t in span)
            if words[0][:1].isupper() and m.end - m.start > 2:
                forms.setdefault(words, m)
            last = words[-1]
            if m.type == "PERSON" and len(words) >= 2 and last[:1].isupper() and len(last) > 2:
                forms.setdefault((last,), m)
        if not forms:
            return []
        taken = {i for m in mentions for i in range(m.start, m.end)}
        # by first word, by length, longest first: at a token, each length has at most one
        # form that the words there can be (a lookup, not a comparison with every form)
        by_first: dict[str, dict[int, dict[tuple[str, ...], Mention]]] = {}
        for key, m in forms.items():
            by_first.setdefault(key[0], {}).setdefault(len(key), {})[key] = m
        options = {
            first: sorted(by_size.items(), key=lambda x: -x[0])
            for first, by_size in by_first.items()
        }
        texts = docview.words(doc)
        found: list[Mention] = []
        for i, text in enumerate(texts):
            if text not in options:
                continue
            tok = doc[i]
            for size, table in options[text]:
                end = tok.i + size
                m_found = table.get(tuple(texts[tok.i : end])) if end <= len(doc) else None
                if m_found is None:
                    continue
                m = m_found
                span = doc[tok.i : end]
                if any(i in taken for i in range(span.start_char, span.end_char)):
                    continue
                before = doc[tok.i - 1] if tok.i > 0 else None
                after = doc[end] if end < len(doc) else None
                if (before is not None and before.is_title and not before.is_sent_start) or (
                    after is not None and after.is_title and after.text not in ("'s", "’s")
                ):
                    continue  # part of a longer name
                found.append(
                    Mention(
                        span.start_char,
                        span.end_char,
                        m.kb,
                        m.type,
                        m.name,
                        "propagated:" + m.origin.split("+")[0],
                        {},
                    )
                )
                taken |= set(range(span.start_char, span.end_char))
                break
        return found

    # ---------------------------------------------------------------- group
    def _group(
        self, doc: Doc, mentions: list[Mention], references: list[tuple[Span, KBEntity]]
    ) -> list[Entity]:
        groups: dict[tuple[str, str], list[Mention]] = {}
        order: list[tuple[str, str]] = []
        for m in mentions:
            if m.kb is not None:
                key = ("kb", m.kb.id + ("#norp" if m.type == "NORP" else ""))
                if m.type == "LOCATION" and m.kb.type != "LOCATION":
                    key = ("name", norm_key(m.name))
            else:
                key = ("name", norm_key(m.name))
            if not key[1]:
                continue
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(m)
        # an unlinked one-word name ("Jobs", whatever spaCy called it) folds into the one
        # person whose full name ends in it ("Steve Jobs")
        people = [k for k in order if groups[k][0].type == "PERSON"]
        # people by the last word of a full name (a group's first mention never changes)
        by_last: dict[str, list[tuple[str, str]]] = {}
        for h in people:
            words = groups[h][0].name.split()
            if len(words) > 1:
                by_last.setdefault(norm_key(words[-1]), []).append(h)
        folded: set[tuple[str, str]] = set()
        for k in [k for k in order if k[0] == "name" and " " not in k[1]]:
            if k not in groups or groups[k][0].type in (
                "NORP",
                "LOCATION",
                "COUNTRY",
                "MILITARY_SYSTEM",
            ):
                continue
            hosts = [h for h in by_last.get(k[1], ()) if h != k and h in groups]
            if len(hosts) == 1 and k in groups:
                for m in groups.pop(k):
                    m.type = "PERSON"
                    groups[hosts[0]].append(m)
                folded.add(k)
        order = [k for k in order if k not in folded]
        entities: list[Entity] = []
        text = docview.text(doc)  # Doc.text joins every token: once per Doc
        refs_by_kb: dict[str, list[RSpan]] = {}
        for span, person in references:
            s = doc[span.start : span.end]
            refs_by_kb.setdefault(person.id, []).append(RSpan(s.start_char, s.end_char, s.text))
        for i, key in enumerate(order, start=1):
            ms = groups[key]
            kb_entity = next((m.kb for m in ms if m.kb is not None), None)
            # spaCy's own labels vote; mentions copied by propagation do not
            types = Counter(m.type for m in ms if not m.origin.startswith("propagated"))
            types = types or Counter(m.type for m in ms)
            etype = ms[0].type if ms[0].kb is not None else types.most_common(1)[0][0]
            if kb_entity is not None and key[0] == "kb":
                name = kb_entity.name if etype != "NORP" else ms[0].name
                attrs = _kb_attrs(kb_entity, etype)
            else:
                surfaces = Counter(m.name for m in ms)
                name = (
                    max(surfaces, key=lambda s: (len(s.split()), surfaces[s]))
                    if etype == "PERSON"
                    else surfaces.most_common(1)[0][0]
                )
                attrs = {}
            for m in ms:
                attrs.update({k: v for k, v in m.attrs.items() if v is not None})
            spans = sorted({(m.start, m.end) for m in ms})
            origins = "+".join(sorted({m.origin for m in ms}))
            name = " ".join(name.split())
            if name.lower().startswith("the ") and len(name) > 4:
                name = name[4:]  # the mention keeps "the White House"; the name is "White House"
            entity = Entity(
                id=f"e{i}",
                name=name,
                type=etype,  # type: ignore[arg-type]
                kb_id=kb_entity.kb_id if kb_entity is not None and key[0] == "kb" else None,
                mentions=[RSpan(s, e, text[s:e]) for s, e in spans],
                origin=f"{COMPONENT}:{origins}",
                references=sorted(refs_by_kb.pop(kb_entity.id, []), key=lambda r: r.start)
                if kb_entity is not None and key[0] == "kb" and etype == "PERSON"
                else [],
                attrs=attrs,
            )
            if any(mixes_scripts(m.text) for m in entity.mentions):
                entity.attrs["mixed_script"] = (
                    True  # "Tomバーク": the text-integrity check reads it
                )
            entities.append(entity)
        # references to office holders the article never names become entities too
        n = len(entities)
        for pid, ref_spans in refs_by_kb.items():
            holder = self.kb.get(pid)
            if holder is None:
                continue
            n += 1
            entities.append(
                Entity(
                    id=f"e{n}",
                    name=holder.name,
                    type="PERSON",
                    kb_id=holder.kb_id,
                    mentions=[],
                    origin=f"{COMPONENT}:kb-office-holder",
                    references=sorted(ref_spans, key=lambda r: r.start),
                )
            )
        return entities


def _kb_attrs(e: KBEntity, etype: str) -> dict[str, Any]:
    keep = ("iso3", "code", "category", "origin", "maker", "country", "kind")
    attrs = {k: e.attrs[k] for k in keep if e.attrs.get(k)}
    if etype == "NORP":
        attrs = {"country": e.attrs.get("iso3"), "country_kb_id": e.kb_id}
    return attrs


def _trim(ent: Span) -> tuple[int, int] | None:
    start, end = ent.start, ent.end
    doc = ent.doc
    # spaCy keeps "the" in "the United States" (OntoNotes style) and so do we; "a"/"an" go
    while start < end and doc[start].lower_ in LEADING_DROP and doc[start].lower_ != "the":
        start += 1
    while end > start and doc[end - 1].text in TRAILING_DROP:
        end -= 1
    return (start, end) if start < end else None


def _longest_non_overlapping(cands: list[Cand]) -> list[Cand]:
    taken: set[int] = set()
    out = []
    for c in sorted(cands, key=lambda c: (-c.length, c.start)):
        span = set(range(c.start, c.end))
        if not span & taken:
            taken |= span
            out.append(c)
    return sorted(out, key=lambda c: c.start)


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


@Language.factory(
    COMPONENT,
    assigns=["doc._.ng_entities"],
    requires=["doc.ents", "token.dep"],
    default_config={"kb_dir": ""},
)
def make_entity_linker(nlp: Language, name: str, *, kb_dir: str) -> EntityLinker:
    """``kb_dir``: a knowledge-base directory; empty for $NEWSGRAPH_KB or the packaged KB."""
    return EntityLinker(nlp, name, kb=kb_dir or None)
