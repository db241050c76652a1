"""Build newsgraph's derived PLOVER lexicon from the field's event dictionaries.

Reads the PETRARCH2 CAMEO verb dictionary (``CAMEO.2.0.txt``, MIT) and the PLOVER
project's CAMEO-to-PLOVER table (``CAMEO2PLOVER-2021.txt``, CC BY-SA 4.0) and writes
``src/newsgraph/events/data/cameo_lexicon.tsv``, the table the event component reads
beside the hand-built ``event_lexicon.tsv``. Deterministic: the same two files give the
same table, byte for byte (a test checks the shipped table against it).

    python scripts/build_event_lexicon.py                  # ../shared/data/event-dictionaries
    python scripts/build_event_lexicon.py DIR --out FILE
    python scripts/build_event_lexicon.py --check          # exit 1 if the shipped table differs
    python scripts/build_event_lexicon.py --stats          # what was kept and skipped, and why

How the PETRARCH format is read (PETRARCH2 ``PETRreader.read_verb_dictionary`` and its
documentation):

* ``&NAME`` starts a synonym set; its ``+WORD`` / ``+TWO_WORDS`` lines are its members
  (``_`` joins the words of one member; a trailing ``_`` only stops PETRARCH making a
  plural, which does not matter here: nouns are matched by lemma).
* ``--- NAME [code] ---`` starts a verb block; ``[---]`` (or no code) means the bare
  verbs of the block are not events. The lines that follow are the block's verbs: a
  base form, its irregular forms in ``{...}`` (not needed: matching is on the lemma, the
  base form), an optional own code ``[code]``. ``+CRACK_DOWN`` / ``+ASK_FOR`` are
  several-word verbs: the word after ``+`` is the verb, the words after it become
  conditions (a particle such as "down", a preposition such as "for", else an object).
  A verb belongs to the first block that lists it (PETRARCH keeps the first).
* ``- PRE * POST [code]`` is a pattern of the block, for every verb of the block:
  ``*`` is the verb; before it an optional ``$`` (the source: the subject, as always
  here) and an optional subject noun; after it an optional particle, an optional
  object noun phrase, prepositional phrases ``(PREP [noun phrase | + | $])``, and an
  optional ``+``. A noun phrase is a word, ``{SEVERAL WORDS}`` (the last word is the
  head, the others must modify it) or ``&SYNSET`` (any member). ``+`` marks where the
  target is, ``$`` the source, ``^`` an actor to skip (no condition). Within a block a
  later identical pattern replaces an earlier one (as in PETRARCH).
* A code ``[A:B]`` codes two events, A from source to target and B back; only A is
  used (``[:B]`` alone is skipped: its event runs the other way). The TRANSFORMATIONS
  section (events about events) is not used.

Patterns that do not fit that grammar (TABARI-era linear patterns such as
``- * CALL ON + TO RESIGN``), patterns whose source is not the subject (``$`` after
the verb, ``+`` before it) and compound actors (``%``) are skipped and counted.

What a row means for newsgraph:

* Conditions hold on the dependency parse (``events/patterns.py``): ``obj=`` the direct
  object (or the subject of a passive), ``subj=`` the subject, ``prt=`` a particle,
  ``prep=`` a preposition of the verb, ``pp:<prep>=`` the object of that preposition
  (on the verb, on its object, or one level down), several joined by ``;`` all holding.
  A value of several words names a head (the last word) and words that must modify it.
* Type and mode: the CAMEO code's longest prefix in CAMEO2PLOVER, except the few codes
  in ``NEWSGRAPH_CODES`` where newsgraph follows the PLOVER 2.0 manual's translation
  (as the hand-built lexicon and the PLOVER gold records do); mode names as newsgraph
  names them (``MODE_NAMES``: "demo" is "demo-org"). Codes CAMEO2PLOVER leaves
  out (01 statements, 02 appeals) and ``[---]`` make "no event" rows: when their
  conditions hold, the verb is not coded by a less specific row.
* Target and object places: where the pattern marks the target (``+`` after the verb:
  the direct object; ``(TO +)``: that preposition, on the verb or on its object) or
  names a bare preposition (``(WITH)``), that comes first; then the places usual for
  the PLOVER type (``PLACES``, as ``event_lexicon.tsv`` does it), one list for a verb
  whose object is a condition (the object is what is acted on) and one for a bare verb
  (its object is the target).
* Bare rows (a verb, or a several-word verb, with no other condition) only where the
  code is a PLOVER event and the dictionary gives the verb a code of its own: on its
  line (``GRILL [110]``), or the block's code when the verb names the block and that
  code is more specific than a two-digit cue category (``--- ABDUCT [181] ---``, not
  ``--- MERGE [060] ---``). The other verbs of a block are WordNet synonyms of every
  sense ("render" is in the ARM block) and only take its patterns. Never for light verbs
  (``LIGHT``: "take", "make", "hold"), verbs newsgraph reads as the frame of another
  event (``FRAMES``: "decide", "prepare", "fail") or whose subject undergoes the event
  (``UNDERGO``: "die"). Reporting verbs (``REPORTING``) get no rows at all.
* Patterns whose only condition is a bare preposition (``- * (TO)``) are skipped: applied
  to every verb of a block ("lead", "control", "manage" ... "to") they say too little.

The event component adds three rules for derived rows (``events/component.py``, ``run``):
the hand-built rows of a word are tried first and a derived row without a condition is
not used for a word they list; a derived row codes a clause with its own subject and an
event between a source and a target (PETRARCH's RequireDyad); and a derived event that
frames, or is framed by, a hand-coded one is dropped.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
DICTIONARIES = SHARED / "data" / "event-dictionaries"
OUT = ROOT / "src" / "newsgraph" / "events" / "data" / "cameo_lexicon.tsv"
VERBS = "CAMEO.2.0.txt"
PLOVER = "CAMEO2PLOVER-2021.txt"
HEADER = ("trigger", "pos", "condition", "type", "mode", "target", "object", "cameo")
NO_EVENT = "-"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: CAMEO codes where newsgraph follows the PLOVER 2.0 manual's CAMEO translation (as do
#: event_lexicon.tsv and the PLOVER gold-standard records) rather than CAMEO2PLOVER-2021:
#: sanctions, embargoes and boycotts are SANCTION; abduction is detention (COERCE);
#: destroying property is COERCE; violent repression has no PLOVER mode; and the modes
#: CAMEO2PLOVER leaves in its context column (the kind of aid) or names otherwise
#: (breaking relations, halting talks, threatening a curfew).
NEWSGRAPH_CODES: dict[str, tuple[str, str]] = {
    "163": ("SANCTION", ""),
    "181": ("COERCE", "detain"),
    "1712": ("COERCE", "destroy"),
    "175": ("ASSAULT", ""),
    "071": ("AID", "economic"),
    "072": ("AID", "military"),
    "073": ("AID", "humanitarian"),
    "074": ("AID", "military"),
    "161": ("SANCTION", "relations"),
    "164": ("SANCTION", "suspend"),
    "165": ("SANCTION", "suspend"),
    "1323": ("THREATEN", "curfew"),
    "1324": ("THREATEN", "martial-law"),
}
#: CAMEO2PLOVER mode names -> newsgraph's (PLOVER 2.0 manual) names; "" drops the mode
#: (CAMEO2PLOVER itself notes that "ease" is no longer a mode).
MODE_NAMES: dict[tuple[str, str], str] = {
    ("PROTEST", "demo"): "demo-org",
    ("PROTEST", "hunger"): "strike-hun",
    ("PROTEST", "boycott"): "strike-gen",
    ("PROTEST", "riot"): "riot-spon",
    ("SANCTION", "discontinue"): "aid",
    ("RETREAT", "ease"): "",
    ("RETREAT", "access"): "",
    ("RETREAT", "ceasefire"): "",
    ("ASSAULT", "massacre"): "other",
    ("ASSAULT", "pro_autocracy"): "",
}
#: Light and very common verbs: no bare row even where their CAMEO block is an event
#: ("took", "made", "held" say nothing by themselves); their conditioned rows stay.
LIGHT = _words(
    """
    be have do get make take give go come see hold put set keep let bring run turn call
    look move show leave play use find become seem appear want need know think try begin
    start continue stop end open close work help head lead meet face mark pass raise
    reach receive send place post stand remain return join follow carry cut drop hit
    fall break build change plan expect base pay
    """
)
#: Verbs newsgraph reads as the frame of another event (an intention, an attempt, a
#: decision, a refusal: "prepared to resume shelling", "decided to allow"): the event is
#: the one they frame, so they get no bare row.
FRAMES = _words(
    """
    seek plan hope want aim intend consider propose expect offer try attempt prepare
    promise pledge vow wish need decide determine choose opt resolve strive endeavor
    endeavour agree threaten urge ask demand decline refuse fail
    """
)
#: Verbs whose subject undergoes the event ("a prisoner died"): a bare row would make
#: the victim its source.
UNDERGO = _words("die perish drown starve suffer collapse")
#: Reporting verbs: never events by themselves (newsgraph codes what was done, and the
#: quotes layer what was said); their CAMEO rows are left out whatever their pattern.
REPORTING = _words(
    """
    say tell state add note explain announce report write reply respond comment remark
    mention reveal disclose indicate estimate predict forecast answer tweet post testify
    inform acknowledge stress emphasize emphasise point maintain argue contend insist
    speculate suggest describe quote cite repeat reiterate assert affirm
    """
)
AUXILIARIES = _words(
    """
    be is are am was were been being have has had will would do
    """
)
#: words that are particles when they follow the verb directly ("crack down", "pull out")
PARTICLES = _words(
    """
    up down out off back away over aside forward along apart around through together in
    on ahead behind
    """
)
PREPOSITIONS = _words(
    """
    about above across after against along amid among around as at before behind below
    beneath beside between beyond by despite during except for from in inside into near
    of off on onto out outside over past per since than through throughout till to
    toward towards under underneath unlike until up upon via with within without that if
    whether
    """
)
ARTICLES = frozenset({"a", "an", "the"})
#: (target places of a bare verb, target places when the object is a condition, object)
#: per PLOVER type: as event_lexicon.tsv places them.
PLACES: dict[str, tuple[str, str]] = {
    "AGREE": ("prep:with|dative|prep:to|dobj", "prep:with|obj-prep:with|dative|prep:to"),
    "CONSULT": ("dobj|prep:with", "prep:with|obj-prep:with|obj-prep:between"),
    "SUPPORT": ("dobj|prep:with", "obj-prep:for|obj-prep:of|prep:with|obj-prep:with|prep:to"),
    "COOPERATE": ("prep:with|dobj", "prep:with|obj-prep:with|dative|prep:to"),
    "AID": ("dobj|dative|prep:to", "dative|prep:to|obj-prep:to|prep:for|obj-prep:for"),
    "CONCEDE": ("prep:to|dobj", "obj-prep:on|prep:on|dative|prep:to|obj-prep:of"),
    "RETREAT": ("prep:from|dobj", "prep:to|dative|prep:from|obj-prep:on|obj-prep:of"),
    "REQUEST": ("dobj|prep:from", "prep:from|obj-prep:from|dative|prep:of"),
    "ACCUSE": (
        "dobj|prep:against",
        "prep:against|obj-prep:against|obj-prep:of|obj-prep:into|prep:into|prep:on",
    ),
    "REJECT": ("dobj", "obj-prep:from|obj-prep:by|obj-prep:of|prep:from"),
    "THREATEN": ("dobj|prep:against", "prep:against|obj-prep:against|obj-prep:on|prep:on"),
    "PROTEST": ("prep:against|dobj", "prep:against|obj-prep:against"),
    "SANCTION": (
        "dobj|prep:with|prep:from",
        "obj-prep:on|prep:on|obj-prep:against|prep:against|prep:with|obj-prep:with|obj-prep:to",
    ),
    "MOBILIZE": ("prep:against|prep:to", "prep:against|prep:to|prep:into|obj-prep:to"),
    "COERCE": ("dobj", "obj-prep:on|prep:on|obj-prep:of|obj-prep:against|prep:against"),
    "ASSAULT": (
        "dobj|prep:against|prep:on|prep:at",
        "obj-prep:on|prep:on|obj-prep:against|prep:against|prep:at|obj-prep:at|prep:into",
    ),
}
#: the order a row's conditions are written in
KIND_ORDER = {"subj": 0, "prt": 1, "obj": 2, "pp": 3, "prep": 4}


class Unsupported(ValueError):
    """A pattern outside the grammar newsgraph reads; the message says why."""


# ---- reading the files ---------------------------------------------------------------
def _strip_comment(line: str) -> str:
    """PETRARCH comments: a line starting with '#', or '#' and what follows."""
    return line.split("#", 1)[0].rstrip()


def read_plover(text: str) -> dict[str, tuple[str, str]]:
    """CAMEO code -> (PLOVER type, mode) from CAMEO2PLOVER (``CODE: TYPE, MODE, CONTEXT``).
    A code listed twice keeps its first line."""
    table: dict[str, tuple[str, str]] = {}
    for raw in text.splitlines():
        line = _strip_comment(raw).strip()
        m = re.fullmatch(r"(\d+):\s*([A-Z]+)\s*(?:,\s*([^,]*))?(?:,.*)?", line)
        if m:
            table.setdefault(m.group(1), (m.group(2), (m.group(3) or "").strip()))
    return table


def plover_of(code: str, table: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """The PLOVER (type, mode) of a CAMEO code: newsgraph's own reading for the codes in
    NEWSGRAPH_CODES, else the longest prefix of the code that CAMEO2PLOVER lists (a
    two-digit prefix only stands for itself: "01" and "02" are not listed, so they are
    not events). None when PLOVER has no event for it."""
    for n in range(len(code), 1, -1):
        prefix = code[:n]
        if prefix in NEWSGRAPH_CODES:
            return NEWSGRAPH_CODES[prefix]
        if prefix in table:
            kind, mode = table[prefix]
            return kind, MODE_NAMES.get((kind, mode), mode)
    return None


@dataclass
class Verb:
    """One verb line of a block: the verb lemma, the words a several-word verb adds
    (``+CRACK_DOWN`` -> "down"), and its own code when the line gives one."""

    lemma: str
    extra: tuple[str, ...]
    code: str | None


@dataclass
class Block:
    name: str
    code: str
    verbs: list[Verb] = field(default_factory=list)
    patterns: list[tuple[str, str]] = field(default_factory=list)  # (pattern, code)


@dataclass
class Dictionary:
    synsets: dict[str, list[tuple[str, ...]]]
    blocks: list[Block]


def _members(word: str) -> tuple[str, ...]:
    """A synset member or a pattern word as lower-case words ("PRIME_MINISTER_")."""
    return tuple(w for w in word.strip().strip("_").lower().replace("_", " ").split() if w)


def _code_of(text: str) -> tuple[str, str | None]:
    """Split a trailing ``[code]`` from a line."""
    m = re.search(r"\[([^\]]*)\]\s*$", text)
    if not m:
        return text.strip(), None
    return text[: m.start()].strip(), m.group(1).strip()


def _verb_line(line: str) -> Verb | None:
    """A verb line of a block: ``HURRY {HURRIES HURRIED}``, ``+ASK_FOR {...} [020]``."""
    text, code = _code_of(line)
    text = re.sub(r"\{[^}]*\}", " ", text).strip()
    if not text:
        return None
    form = text.split()[0]
    if "+" in form and not form.startswith("+"):
        return None  # the verb is not the first word ("WIRE_+TAP"): not read
    words = _members(form.lstrip("+"))
    if not words or not re.fullmatch(r"[a-z]+", words[0]):
        return None  # hyphenated or odd forms never equal one token's lemma
    return Verb(words[0], words[1:], code)


def read_verbs(text: str) -> Dictionary:
    synsets: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    blocks: list[Block] = []
    synset: str | None = None
    section = "synsets"
    for raw in text.splitlines():
        if raw.startswith("#"):
            if "VERB PATTERNS" in raw:
                section = "verbs"
            elif "TRANSFORMATIONS" in raw:
                section = "transformations"
            continue
        line = _strip_comment(raw)
        if not line.strip() or section == "transformations":
            continue
        stripped = line.strip()
        if stripped.startswith("&"):
            synset = stripped.rstrip("_")
            synsets.setdefault(synset, [])
            continue
        if stripped.startswith("+") and synset is not None:
            member = _members(stripped[1:])
            if member:
                synsets[synset].append(member)
            continue
        synset = None
        if stripped.startswith("---"):
            m = re.match(r"---\s*(\S+)\s*(?:\[([^\]]*)\])?", stripped)
            if m:
                blocks.append(Block(m.group(1), (m.group(2) or "---").strip()))
            continue
        if not blocks:
            continue
        if stripped.startswith("-"):
            pattern, code = _code_of(stripped[1:])
            if code is not None:
                blocks[-1].patterns.append((pattern, code))
            continue
        verb = _verb_line(stripped)
        if verb is not None:
            blocks[-1].verbs.append(verb)
    # "&SYN_" labels are used with and without the final "_"
    return Dictionary(dict(synsets), blocks)


# ---- patterns --------------------------------------------------------------------------
@dataclass(frozen=True)
class Slot:
    """One condition of a pattern: its kind, its preposition (``pp``), and its values,
    each a tuple of lower-case words (the head last)."""

    kind: str  # subj | prt | obj | pp | prep
    prep: str
    values: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Pattern:
    slots: tuple[Slot, ...]
    target: tuple[str, ...]  # places the pattern itself names ("+", a bare preposition)
    has_object: bool


Item = str | tuple[str, list["Item"]]  # a word, or ("(", items) / ("{", items)


def _items(text: str) -> list[Item]:
    """A pattern side as words, ``(...)`` groups and ``{...}`` groups."""
    out: list[Item] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "({":
            close = ")" if c == "(" else "}"
            j = text.find(close, i + 1)
            if j < 0:
                raise Unsupported("unbalanced bracket")
            inner = text[i + 1 : j]
            if c == "(" and "{" in inner and inner.count("{") != inner.count("}"):
                raise Unsupported("unbalanced bracket")
            out.append((c, _items(inner)))
            i = j + 1
        elif c in ")}":
            raise Unsupported("unbalanced bracket")
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in "(){}":
                j += 1
            out.append(text[i:j])
            i = j
    return out


def _noun_values(
    items: list[Item], synsets: dict[str, list[tuple[str, ...]]], *, group: bool = False
) -> tuple[tuple[str, ...], ...]:
    """The values of a noun phrase: one word, one ``&SYNSET`` (any member) or one
    ``{SEVERAL WORDS}`` group (at most one synset in it), articles dropped."""
    items = [i for i in items if not (isinstance(i, str) and i.lower() in ARTICLES)]
    if not items:
        raise Unsupported("empty noun phrase")
    if not group and len(items) > 1:
        raise Unsupported("several loose words in a noun phrase")
    parts: list[list[tuple[str, ...]]] = []
    for item in items:
        if isinstance(item, tuple):
            if item[0] != "{" or group:
                raise Unsupported("a bracket inside a noun phrase")
            parts.append(list(_noun_values(item[1], synsets, group=True)))
        elif item.startswith("&"):
            name = item.rstrip("_")
            if name not in synsets:
                raise Unsupported(f"undefined synset {item}")
            parts.append(list(synsets[name]))
        elif not re.fullmatch(r"[A-Za-z0-9'/._-]+", item):
            raise Unsupported(f"marker {item!r} inside a noun phrase")
        else:
            parts.append([_members(item)])
    if sum(len(p) > 1 for p in parts) > 1:
        raise Unsupported("two synsets in one noun phrase")
    values: dict[tuple[str, ...], None] = {}
    for combo in itertools.product(*parts):
        words = tuple(w for chunk in combo for w in chunk)
        # a hyphenated word is several tokens to spaCy ("cease-fire")
        split = tuple(p for w in words for p in w.split("-") if p)
        if split:
            values[split] = None
    return tuple(values)


def _is_word(item: Item, words: frozenset[str]) -> bool:
    return isinstance(item, str) and item.lower() in words


def parse_pattern(text: str, synsets: dict[str, list[tuple[str, ...]]]) -> Pattern:
    """One pattern (the text between '-' and the code) as conditions and target places."""
    if text.count("*") != 1 or not re.search(r"(^|\s)\*(\s|$)", text):
        raise Unsupported("the verb '*' is not one word")
    pre_text, _, post_text = text.partition("*")
    if "%" in text:
        raise Unsupported("compound actor %")
    pre, post = _items(pre_text), _items(post_text)
    slots: list[Slot] = []
    target: list[str] = []
    # before the verb: [$] [subject noun phrase]
    if pre and pre[0] == "$":
        pre = pre[1:]
    if any(p in ("+", "$") for p in pre):
        raise Unsupported("the target (or the source) is before the verb")
    if pre:
        if any(isinstance(p, tuple) and p[0] == "(" for p in pre):
            raise Unsupported("a prepositional phrase before the verb")
        if any(_is_word(p, PREPOSITIONS | AUXILIARIES) for p in pre) or "^" in pre:
            raise Unsupported("a linear (TABARI) pattern before the verb")
        slots.append(Slot("subj", "", _noun_values(pre, synsets)))
    # after the verb: [particle] [object | +] (PREP ...)* [+]
    i = 0
    if i < len(post) and _is_word(post[i], PARTICLES):
        after = post[i + 1] if i + 1 < len(post) else None
        # "ON +", "IN $" and the like are linear patterns, not particles
        if not (isinstance(after, str) and after in ("+", "$", "^")):
            slots.append(Slot("prt", "", ((str(post[i]).lower(),),)))
            i += 1
    has_object = False
    noun: list[Item] = []
    while i < len(post) and not (isinstance(post[i], tuple) and post[i][0] == "("):
        item = post[i]
        if item == "+":
            if noun or has_object or "dobj" in target:
                raise Unsupported("'+' after the object")
            target.append("dobj")
        elif item == "^":
            pass  # an actor the pattern skips: no condition
        elif item == "$":
            raise Unsupported("the source after the verb")
        elif _is_word(item, PREPOSITIONS | AUXILIARIES) or "dobj" in target:
            raise Unsupported("a linear (TABARI) pattern after the verb")
        else:
            noun.append(item)
        i += 1
    if noun:
        if len(noun) > 1:
            raise Unsupported("several noun phrases after the verb")
        slots.append(Slot("obj", "", _noun_values(noun, synsets)))
        has_object = True
    while i < len(post):
        item = post[i]
        if isinstance(item, tuple) and item[0] == "(":
            inner = item[1]
            if not inner or not isinstance(inner[0], str) or inner[0] in ("+", "$", "^"):
                raise Unsupported("a prepositional phrase without its preposition")
            prep = inner[0].lower()
            if prep not in PREPOSITIONS:
                raise Unsupported("a prepositional phrase without its preposition")
            rest = [r for r in inner[1:] if r != "^"]
            if not rest:
                slots.append(Slot("prep", "", ((prep,),)))
                target += [f"prep:{prep}", f"obj-prep:{prep}"]
            elif rest == ["+"]:
                slots.append(Slot("prep", "", ((prep,),)))
                target[:0] = [f"prep:{prep}", f"obj-prep:{prep}"]
            elif "+" in rest or "$" in rest:
                raise Unsupported("an actor marker inside a noun phrase")
            else:
                slots.append(Slot("pp", prep, _noun_values(rest, synsets)))
        elif item == "+" and i == len(post) - 1 and not has_object and "dobj" not in target:
            target.insert(0, "dobj")
        else:
            raise Unsupported("words after the prepositional phrases")
        i += 1
    if not slots:
        raise Unsupported("no condition")
    if all(s.kind == "prep" for s in slots):
        # "- * (TO)", "- * (WITH +)": once applied to every verb of its block ("lead",
        # "control", "manage" ... "to"), a bare preposition says too little
        raise Unsupported("no condition but a bare preposition")
    kinds = [(s.kind, s.prep) for s in slots if s.kind in ("prep", "pp", "prt")]
    if len(kinds) != len(set(kinds)):
        raise Unsupported("the same preposition twice")
    return Pattern(tuple(slots), tuple(dict.fromkeys(target)), has_object)


def _extra_slots(extra: tuple[str, ...]) -> list[Slot]:
    """The conditions a several-word verb adds: "+CRACK_DOWN" -> prt=down, "+ASK_FOR" ->
    prep=for, "+TAKE_LEAVE" -> obj=leave, "+SET_IN_MOTION" -> pp:in=motion, "+LIVE_UP_TO"
    -> prt=up;prep=to, "+GET_HOLD_OF" -> obj=hold;prep=of."""
    slots: list[Slot] = []
    rest = [w for w in extra if w not in ARTICLES]
    if rest and rest[0] in PARTICLES and (len(rest) == 1 or rest[1] in PREPOSITIONS):
        slots.append(Slot("prt", "", ((rest.pop(0),),)))
    if rest and rest[0] not in PREPOSITIONS:
        slots.append(Slot("obj", "", ((rest.pop(0),),)))
    if rest and rest[0] in PREPOSITIONS:
        prep = rest.pop(0)
        slots.append(Slot("pp", prep, (tuple(rest),)) if rest else Slot("prep", "", ((prep,),)))
        rest = []
    if rest:
        raise Unsupported("a several-word verb outside the grammar")
    return slots


# ---- rows ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    trigger: tuple[str, ...]  # the verbs (lemmas) the row is for
    slots: tuple[Slot, ...]
    type: str  # a PLOVER type, or NO_EVENT
    mode: str
    target: str
    object: str
    cameo: str

    @property
    def rank(self) -> tuple[int, int]:
        return len(self.slots), sum(max(len(v) for v in s.values) for s in self.slots)

    def condition(self) -> str:
        return ";".join(_cell(s) for s in self.slots)

    def line(self) -> str:
        cells = ("|".join(self.trigger), "VERB", self.condition(), self.type, self.mode)
        return "\t".join((*cells, self.target, self.object, self.cameo))


def _cell(slot: Slot) -> str:
    values = "|".join(" ".join(v) for v in slot.values)
    return f"pp:{slot.prep}={values}" if slot.kind == "pp" else f"{slot.kind}={values}"


def _singular(word: str) -> str | None:
    """A naive singular for a plural pattern noun ("sanctions", "rallies"): matching is on
    the lemma or the word itself, so an extra form that is never a lemma costs nothing."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return None


def _with_singulars(values: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    out: list[tuple[str, ...]] = []
    for v in values:
        out.append(v)
        one = _singular(v[-1])
        if one is not None:
            out.append((*v[:-1], one))
    return tuple(dict.fromkeys(out))


def _places(kind: str, pattern: Pattern | None, has_object: bool) -> tuple[str, str]:
    if kind == NO_EVENT:
        return "none", ""
    bare, with_object = PLACES[kind]
    default = with_object if has_object else bare
    named = list(pattern.target) if pattern else []
    named = [p for p in named if has_object or not p.startswith("obj-prep:")]
    places = list(dict.fromkeys([*named, *default.split("|")]))
    # the object is what is acted on, unless the pattern says it is the target
    return "|".join(places), "" if named[:1] == ["dobj"] else "dobj"


@dataclass
class Stats:
    patterns: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    verbs: int = 0
    verbs_skipped: Counter[str] = field(default_factory=Counter)


def _row(
    triggers: tuple[str, ...],
    extra: list[Slot],
    pattern: Pattern | None,
    code: str,
    plover: dict[str, tuple[str, str]],
) -> Iterator[Row]:
    first = code.split(":")[0].strip()
    if ":" in code and not first:
        return  # "[:173]": only the event that runs back from the target
    mapped = None if first in ("---", "") else plover_of(first, plover)
    kind, mode = mapped if mapped else (NO_EVENT, "")
    if pattern is None and not extra and kind == NO_EVENT:
        return  # a bare verb that is no event: no row needed
    slots = [*extra, *(pattern.slots if pattern else ())]
    verb_prep = [s for s in extra if s.kind == "prep"]
    if verb_prep and any(s.kind == "obj" for s in slots):
        # the object of a prepositional verb is the preposition's: "+ASK_FOR * HELP" is
        # "asked for help", "+GO_TO * &FIGHT" "went to war"
        prep = verb_prep[0].values[0][0]
        slots = [
            Slot("pp", prep, s.values) if s.kind == "obj" else s
            for s in slots
            if s is not verb_prep[0]
        ]
    kinds = [(s.kind, s.prep) for s in slots if s.kind != "obj"]
    if len(kinds) != len(set(kinds)) or sum(s.kind == "obj" for s in slots) > 1:
        return  # the verb's own words and the pattern's say the same thing twice
    has_object = any(s.kind == "obj" for s in slots)
    target, obj = _places(kind, pattern, has_object)
    ordered = tuple(
        sorted(
            (Slot(s.kind, s.prep, _with_singulars(s.values)) for s in slots),
            key=lambda s: (KIND_ORDER[s.kind], s.prep),
        )
    )
    yield Row(triggers, ordered, kind, mode, target, obj, first if mapped else "")


def _split_by_length(row: Row) -> Iterator[Row]:
    """One row per combination of value lengths, so that a longer phrase ("humanitarian
    aid") ranks, and is tried, before a shorter one ("aid")."""
    groups = []
    for s in row.slots:
        by_len: dict[int, list[tuple[str, ...]]] = defaultdict(list)
        for v in s.values:
            by_len[len(v)].append(v)
        groups.append([Slot(s.kind, s.prep, tuple(vs)) for _, vs in sorted(by_len.items())])
    for combo in itertools.product(*groups):
        yield Row(row.trigger, combo, row.type, row.mode, row.target, row.object, row.cameo)


def _merge(rows: list[Row]) -> list[Row]:
    """Rows that differ only in the values of one condition become one row."""
    for j in range(max((len(r.slots) for r in rows), default=0)):
        groups: dict[tuple[object, ...], list[Row]] = {}
        for r in rows:
            if j >= len(r.slots):
                key: tuple[object, ...] = ("whole", r)
            else:
                s = r.slots[j]
                others = r.slots[:j] + r.slots[j + 1 :]
                key = (
                    r.trigger,
                    j,
                    s.kind,
                    s.prep,
                    len(s.values[0]),
                    others,
                    r.type,
                    r.mode,
                    r.target,
                    r.object,
                    r.cameo,
                )
            groups.setdefault(key, []).append(r)
        merged = []
        for group in groups.values():
            first = group[0]
            if len(group) == 1 or j >= len(first.slots):
                merged.extend(group)
                continue
            values = tuple(dict.fromkeys(v for r in group for v in r.slots[j].values))
            s = first.slots[j]
            slots = (*first.slots[:j], Slot(s.kind, s.prep, values), *first.slots[j + 1 :])
            merged.append(Row(first.trigger, slots, *_tail(first)))
        rows = merged
    return rows


def _tail(r: Row) -> tuple[str, str, str, str, str]:
    return r.type, r.mode, r.target, r.object, r.cameo


def _implies(general: Row, specific: Row) -> bool:
    """Every condition of ``general`` holds whenever those of ``specific`` do."""
    for g in general.slots:
        if not any(
            s.kind == g.kind and s.prep == g.prep and set(s.values) <= set(g.values)
            for s in specific.slots
        ):
            return False
    return True


def _block_rows(
    block: Block,
    verbs: list[Verb],
    parsed: list[tuple[Pattern, str]],
    plover: dict[str, tuple[str, str]],
) -> Iterator[Row]:
    """The rows of a block's verbs that share the same extra words: the bare rows (each
    verb's own code, else the block's) and one row per pattern for all of them."""
    extra = _extra_slots(verbs[0].extra)
    lemmas = tuple(dict.fromkeys(v.lemma for v in verbs))
    by_code: dict[str, list[str]] = defaultdict(list)
    for verb in verbs:
        if not extra and verb.lemma in LIGHT | FRAMES | UNDERGO:
            continue  # "take", "decide" alone; "+TAKE_OVER" is a verb of its own
        # a code of its own: on the verb's line, or the block's code when the verb names
        # the block and the code is more specific than a two-digit cue category ("060"
        # is any material cooperation); the block's other verbs are synonyms from
        # WordNet, of every sense ("render" is in the ARM block), and get its patterns
        names_block = verb.lemma == block.name.split("_")[0].lower()
        if verb.code is not None or (names_block and not block.code.endswith("0")):
            by_code[verb.code or block.code].append(verb.lemma)
    for code, group in by_code.items():
        yield from _row(tuple(dict.fromkeys(group)), extra, None, code, plover)
    for pattern, code in parsed:
        yield from _row(lemmas, extra, pattern, code, plover)


def build_rows(
    dictionary: Dictionary, plover: dict[str, tuple[str, str]], stats: Stats
) -> list[Row]:
    seen: set[tuple[str, tuple[str, ...]]] = set()
    concrete: dict[tuple[object, ...], Row] = {}
    for block in dictionary.blocks:
        parsed: dict[str, tuple[Pattern, str]] = {}
        for text, code in block.patterns:
            stats.patterns += 1
            try:
                pattern = parse_pattern(text, dictionary.synsets)
            except Unsupported as why:
                stats.skipped[str(why)] += 1
                continue
            parsed[" ".join(text.split())] = (pattern, code)  # a later copy replaces it
        groups: dict[tuple[str, ...], list[Verb]] = {}
        for verb in block.verbs:
            stats.verbs += 1
            key = (verb.lemma, verb.extra)
            if verb.lemma in AUXILIARIES:
                stats.verbs_skipped["auxiliary"] += 1
            elif verb.lemma in REPORTING:
                stats.verbs_skipped["reporting verb"] += 1
            elif key in seen:  # a verb belongs to the first block that lists it
                stats.verbs_skipped["listed in an earlier block"] += 1
            else:
                seen.add(key)
                groups.setdefault(verb.extra, []).append(verb)
        for verbs in groups.values():
            try:
                block_rows = list(_block_rows(block, verbs, list(parsed.values()), plover))
            except Unsupported as why:
                stats.verbs_skipped[str(why)] += len(verbs)
                continue
            for row in block_rows:
                for part in _split_by_length(row):
                    # one concrete condition (each value on its own) has one meaning: the
                    # last pattern that gives it (as in PETRARCH)
                    for combo in itertools.product(*(s.values for s in part.slots)):
                        slots = tuple(
                            Slot(s.kind, s.prep, (v,))
                            for s, v in zip(part.slots, combo, strict=True)
                        )
                        concrete.pop((row.trigger, slots), None)
                        concrete[(row.trigger, slots)] = Row(row.trigger, slots, *_tail(row))
    rows = _merge(list(concrete.values()))
    # a "no event" row only matters before an event row it is more specific than
    events: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if r.type != NO_EVENT:
            for lemma in r.trigger:
                events[lemma].append(r)
    rows = [
        r
        for r in rows
        if r.type != NO_EVENT
        or any(e.rank < r.rank and _implies(e, r) for lemma in r.trigger for e in events[lemma])
    ]
    return sorted(rows, key=lambda r: (r.trigger, -r.rank[0], -r.rank[1], r.condition(), r.type))


# ---- output ----------------------------------------------------------------------------
PREAMBLE = """\
# newsgraph derived event lexicon: CAMEO verb patterns -> PLOVER 2.0 event types and modes.
# GENERATED by scripts/build_event_lexicon.py; do not edit by hand, rebuild:
#     python scripts/build_event_lexicon.py [../shared/data/event-dictionaries]
# Sources:
#   CAMEO.2.0.txt, the PETRARCH2 CAMEO verb dictionary (openeventdata/petrarch2 @ 676801c,
#     petrarch2/data/dictionaries/), Copyright (c) 2015 Open Event Data Alliance, MIT licence:
#     "Permission is hereby granted, free of charge, to any person obtaining a copy of this
#     software and associated documentation files (the "Software"), to deal in the Software
#     without restriction, including without limitation the rights to use, copy, modify, merge,
#     publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
#     to whom the Software is furnished to do so, subject to the following conditions: The above
#     copyright notice and this permission notice shall be included in all copies or substantial
#     portions of the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND."
#     (full text: LICENSE-event-dictionaries.txt beside this file)
#   CAMEO2PLOVER-2021.txt, the PLOVER manual's CAMEO-to-PLOVER table (openeventdata/PLOVER @
#     5e0c24f), (c) Open Event Data Alliance, CC BY-SA 4.0.
# Licence of this table: because it is derived from CAMEO2PLOVER, this table is licensed under
# the Creative Commons Attribution-ShareAlike 4.0 International licence (CC BY-SA 4.0,
# https://creativecommons.org/licenses/by-sa/4.0/); changes: CAMEO codes replaced by PLOVER
# types and modes, PETRARCH patterns rewritten as dependency conditions (see the script).
#
# Columns (as event_lexicon.tsv, see its header) and:
#   condition  conditions joined by ';', all must hold: obj= subj= prt= prep= and pp:<prep>=
#              (the object of that preposition). Values are '|'-separated; a value of several
#              words is a head (last) with words that modify it. Empty: the bare verb.
#   type       a PLOVER type, or '-': when the conditions hold the verb is not an event
#              (CAMEO [---] or a code PLOVER leaves out, such as 01 statements and 02 appeals).
#   cameo      the CAMEO code the row comes from.
"""


def render(rows: Iterable[Row]) -> str:
    lines = [PREAMBLE.rstrip("\n"), "\t".join(HEADER)]
    lines += [r.line() for r in rows]
    return "\n".join(lines) + "\n"


def build(directory: Path, stats: Stats | None = None) -> str:
    """The derived table, as text, from the two files in ``directory``."""
    verbs = read_verbs((directory / VERBS).read_text(encoding="utf-8", errors="replace"))
    plover = read_plover((directory / PLOVER).read_text(encoding="utf-8"))
    return render(build_rows(verbs, plover, stats or Stats()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DICTIONARIES)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--stats", action="store_true", help="print what was kept and skipped")
    args = parser.parse_args(argv)
    stats = Stats()
    text = build(args.directory, stats)
    if args.stats:
        rows = text.count("\n") - text.count("\n#") - 1
        print(f"{stats.patterns} patterns, {sum(stats.skipped.values())} skipped:")
        for why, n in stats.skipped.most_common():
            print(f"  {n:5d}  {why}")
        print(f"{stats.verbs} verb lines, {sum(stats.verbs_skipped.values())} skipped:")
        for why, n in stats.verbs_skipped.most_common():
            print(f"  {n:5d}  {why}")
        print(f"{rows} rows")
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.out} differs from what the script makes")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
