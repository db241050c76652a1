"""Who acts in an event and how the actor is coded: helpers of the events component.

- **Sectors.** The noun phrase of an actor names its sector ("Israeli riot police" ->
  COP, "the defense ministry" -> GOVMIL, "Rwandan rebels" -> REB). The phrases come from
  ``data/agents.tsv``, derived from the PETRARCH2 agents dictionary
  (``Phoenix.agents.txt``, MIT) by ``scripts/build_event_agents.py``, with the
  hand-written ``data/sectors.tsv`` over it (it wins where both name a phrase:
  "official", "leader", "forces" are only there; "spokesman" is GOV there, MED in
  Phoenix). The longest phrase around the head wins.
- **Organisations the knowledge base knows** take the sector of what they are: a company
  BUS, a research body EDU, an armed group by its kind (an insurgency REB, a militia, a
  terrorist group); one without a home country is an international militarised group
  (``IMG`` in place of the country, as CAMEO writes it).
- **Pairs.** "the two leaders", "both countries", "the two sides": a plural noun with
  "two" or "both" stands for the two actors named last before it (:func:`pair_kind`
  says of which kind).
- **Places.** A phrase of place does not act: a mention that starts with a preposition
  ("Near Palmyra", read as a name at the start of a sentence) is a place, not an actor.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from spacy.tokens import Token

from ..datafile import read_table
from .lexicon import sectors

#: the most words of an agent phrase that are looked up ("head of national police")
MAX_WORDS: Final = 6
#: plural nouns that with "two" or "both" stand for two actors named before, and of what
#: kind those are: "state" (countries, governments), "person" (leaders), "any" (sides)
PAIR_NOUNS: Final[dict[str, str]] = {
    "country": "state",
    "nation": "state",
    "state": "state",
    "government": "state",
    "capital": "state",
    "neighbour": "state",
    "neighbor": "state",
    "power": "state",
    "army": "state",
    "military": "state",
    "administration": "state",
    "leader": "person",
    "president": "person",
    "minister": "person",
    "premier": "person",
    "counterpart": "person",
    "head": "person",
    "leadership": "person",
    "side": "any",
    "party": "any",
    "ally": "any",
    "rival": "any",
    "adversary": "any",
    "foe": "any",
    "delegation": "any",
    "camp": "any",
}
#: the words that make a plural noun a pair ("the two sides", "both countries")
PAIR_WORDS: Final = frozenset({"two", "both"})
#: the agent word (a row of the sector tables) that names what a kind of armed group
#: in the knowledge base is (``kb/data/armed_groups.tsv``: kind)
GROUP_AGENT: Final[dict[str, str]] = {
    "armed_group": "armed group",
    "insurgency": "insurgent",
    "militia": "militia",
    "terrorist_group": "terrorist",
    "pmc": "mercenary",
    "movement": "rebel",
}
#: the agent word for the other knowledge-base tables of organisations (by id prefix)
TABLE_AGENT: Final[dict[str, str]] = {"company": "company", "org": "research institution"}
#: what CAMEO writes in place of a country for a group that belongs to none
NO_COUNTRY: Final = "IMG"
#: prepositions of place: a mention that starts with one is a place phrase, not a name
PLACE_WORDS: Final = frozenset(
    {
        "in",
        "near",
        "at",
        "outside",
        "inside",
        "around",
        "across",
        "from",
        "into",
        "along",
        "off",
        "within",
        "throughout",
        "towards",
        "toward",
        "beyond",
    }
)


#: nouns of place the agent tables code as the people who live there (Phoenix: village
#: CVL): as a described actor they are a place, not a group ("retook a village")
PLACE_NOUNS: Final = frozenset(
    {
        "village",
        "town",
        "city",
        "neighborhood",
        "neighbourhood",
        "district",
        "province",
        "region",
        "area",
        "camp",
        "settlement",
    }
)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


@cache
def agents() -> dict[str, str]:
    """Agent phrase (lower case, one space between words) -> CAMEO sector code(s) (GOV,
    COP, GOVMIL ...): ``agents.tsv`` with ``sectors.tsv`` over it."""
    table: dict[str, str] = {}
    for phrase, sector in read_table("newsgraph.events", "agents.tsv", ["phrase", "sector"]):
        if not phrase or len(sector) % 3 or not (sector.isalpha() and sector.isupper()):
            raise ValueError(f"agents.tsv: bad row {phrase!r} {sector!r}")
        table[_key(phrase)] = sector
    for word, sector in sectors().items():
        table[_key(word)] = sector
    return table


def agent_sector(word: str) -> str:
    """The sector of one agent phrase ("" when the tables do not name it)."""
    return agents().get(_key(word), "")


def sector_of(head: Token) -> str:
    """The sector the noun phrase headed by ``head`` names: the longest agent phrase
    that takes in the head ("Israeli riot police" -> "riot police", "the head of
    national police"), the head's lemma standing for the head as the last word
    ("defense ministers"); "" when none does."""
    table = agents()
    doc = head.doc
    first = max(head.left_edge.i, head.i - MAX_WORDS + 1)
    last = min(head.right_edge.i, head.i + MAX_WORDS - 1)
    lemma = head.lemma_.lower() if head.pos_ == "NOUN" else ""
    best: tuple[int, str] = (0, "")
    for start in range(first, head.i + 1):
        for end in range(head.i + 1, last + 2):
            size = end - start
            if size > MAX_WORDS or size <= best[0]:
                continue
            found = table.get(_key(doc[start:end].text))
            if not found and end == head.i + 1 and lemma and lemma != head.lower_:
                before = doc[start : head.i].text if start < head.i else ""
                found = table.get(_key(f"{before} {lemma}"))
            if found:
                best = (size, found)
    return best[1]


def title_sector(head: Token) -> str:
    """The sector of an office title written before a name ("Hungarian Foreign Minister
    Peter Szijjarto" -> "foreign minister": GOV): the longest agent phrase among the
    words that modify the name, "" when none."""
    table = agents()
    doc = head.doc
    first = head.left_edge.i
    best: tuple[int, str] = (0, "")
    for end in range(head.i, first, -1):
        for start in range(max(first, end - MAX_WORDS), end):
            if end - start <= best[0]:
                continue
            found = table.get(_key(doc[start:end].text))
            if found:
                best = (end - start, found)
    return best[1]


def phrase_sector(text: str) -> str:
    """The sector of the longest agent phrase inside a name ("Vietnamese Ministry of
    Health" -> "ministry of health": GOVHLH), "" when none."""
    words = _key(text).split()
    for size in range(min(MAX_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            found = agents().get(" ".join(words[start : start + size]))
            if found:
                return found
    return ""


@cache
def parties() -> dict[str, str]:
    """Party phrase (lower case, one space between words) -> code (USAPTY, GBRPTY ...):
    ``data/parties.tsv``."""
    table: dict[str, str] = {}
    for phrase, code in read_table("newsgraph.events", "parties.tsv", ["phrase", "code"]):
        if not (len(code) == 6 and code.isalpha() and code.isupper()):
            raise ValueError(f"parties.tsv: bad row {phrase!r} {code!r}")
        table[_key(phrase)] = code
    return table


def party_code(text: str) -> str:
    """The code of the party a name or word names ("Republicans", "the GOP", "Tories":
    USAPTY, GBRPTY), "" when none."""
    key = _key(text)
    key = key[4:] if key.startswith("the ") else key
    return parties().get(key, "")


def pair_kind(head: Token) -> str | None:
    """ "state", "person" or "any" when ``head`` heads a pair ("the two leaders", "both
    countries", "the two sides", "both"), else None."""
    word = head.lower_
    if word in PAIR_WORDS and head.pos_ in ("NUM", "DET", "PRON", "NOUN"):
        # "both" or "the two" standing alone ("both agreed", "the two met")
        alone = not any(c.pos_ in ("NOUN", "PROPN") for c in head.children)
        if alone and (word == "both" or any(c.lower_ == "the" for c in head.children)):
            return "any"
        return None
    kind = PAIR_NOUNS.get(head.lemma_.lower()) or PAIR_NOUNS.get(word)
    if kind is None or head.tag_ not in ("NNS", "NNPS"):
        return None
    if any(c.lower_ in PAIR_WORDS for c in head.children if c.i < head.i):
        return kind
    return None


def starts_with_place_word(text: str) -> bool:
    """Whether a mention's text starts with a preposition of place ("Near Palmyra")."""
    words = text.split(maxsplit=1)
    return len(words) > 1 and words[0].lower() in PLACE_WORDS


__all__ = [
    "GROUP_AGENT",
    "NO_COUNTRY",
    "PAIR_NOUNS",
    "PLACE_NOUNS",
    "TABLE_AGENT",
    "agent_sector",
    "agents",
    "pair_kind",
    "parties",
    "party_code",
    "phrase_sector",
    "sector_of",
    "starts_with_place_word",
    "title_sector",
]
