"""The event lexicon: the PETRARCH dictionary reader that derives cameo_lexicon.tsv, the
merged tables and the conditions on the parse (hand-built Docs, no model), then a few
derived rows on sentences through the whole pipeline (marked ``model``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import spacy
from spacy.tokens import Doc

import newsgraph
from conftest import ROOT, shared_path
from newsgraph.events.lexicon import (
    NO_EVENT,
    PLOVER_TYPES,
    Choice,
    Condition,
    Sense,
    parse_conditions,
    senses,
    triggers,
)
from newsgraph.events.patterns import condition_holds, first, holds

SCRIPT = ROOT / "scripts" / "build_event_lexicon.py"


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_event_lexicon", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


PLOVER_TABLE = """\
# CAMEO to PLOVER conversion table
03: AGREE
030: AGREE,  , diplomatic # Express intent to cooperate
04: CONSULT
040: CONSULT, ,  # Consult
042: CONSULT, visit,   # Make a visit
07: AID
070: AID,   ,  # Provide aid
073: AID,   ,   humanitarian # Provide humanitarian aid
14: PROTEST
141: PROTEST, demo,               # Demonstrate or rally
15: MOBILIZE
152: MOBILIZE, troops, military # Increase military alert status
16: SANCTION
163: COERCE, restrict,   diplomatic # Impose embargo, boycott, or sanctions
17: COERCE
172: COERCE, restrict, executive      # Impose administrative sanctions
173: COERCE, arrest, legal            # Arrest, detain, or charge with legal action
19: ASSAULT
190: ASSAULT, , military # Use conventional military force
"""

VERBS = """\
####### SYNONYM SETS #######

&FOOD
+FOOD
+FOODSTUFF

&MILITARY
+ARMY
+ARMED_FORCES
+TROOPS

####### VERB PATTERNS #######

---  ARRANGE   [---]  ---
ARRANGE
PUT {PUTS PUTTING }  # HUX 11/26/97
STAGE
- * PROTEST                                           [141]         # STAGE
- * (ON ALERT)                                        [152]         # PUT
- * {MOCK ATTACK}                                     [150]         # STAGE
- * OUT VIEWS                                         [010]         # SET

---  ATTACK   [190]  ---
ATTACK [190]
ASSAIL
+CRACK_DOWN {+CRACKS_DOWN +CRACKED_DOWN } [172]
SAY {SAID SAYING }
- * &MILITARY                                         [190]         # ATTACK
- * (FOR REASONS)                                    [---]         # ATTACK
- * CALL ON + TO RESIGN                              [0241]        # ATTACK

---  SEND   [---]  ---
SEND {SENT SENDING SENDS }
+ASK_FOR {+ASKED_FOR +ASKING_FOR} [020]
- * &FOOD (TO +)                                      [073]         # SEND
- * {HUMANITARIAN AID}                               [073]         # SEND
- * AID                                               [070]         # SEND
- * SANCTIONS                                         [163]         # SEND
- $ * DELEGATION (TO +)                              [042:043]     # SEND
- * (TO COURT)                                        [:173]        # SEND

######## TRANSFORMATIONS ##########
~ a (a b ATTACK) SAY = a b 015
"""


@pytest.fixture(scope="module")
def small(builder: ModuleType) -> list[str]:
    """The rows the builder derives from the snippets above, as TSV lines."""
    dictionary = builder.read_verbs(VERBS)
    plover = builder.read_plover(PLOVER_TABLE)
    rows = builder.build_rows(dictionary, plover, builder.Stats())
    return [r.line() for r in rows]


def cells(lines: list[str], trigger: str, condition: str) -> list[str]:
    found = [
        line.split("\t")
        for line in lines
        if trigger in line.split("\t")[0].split("|") and line.split("\t")[2] == condition
    ]
    assert len(found) == 1, (trigger, condition, found)
    return found[0]


# ---- reading the PETRARCH format --------------------------------------------------------
def test_synsets_and_verb_blocks_are_read(builder: ModuleType) -> None:
    d = builder.read_verbs(VERBS)
    assert d.synsets["&MILITARY"] == [("army",), ("armed", "forces"), ("troops",)]
    arrange, attack, send = d.blocks
    assert (arrange.name, arrange.code) == ("ARRANGE", "---")
    assert [v.lemma for v in arrange.verbs] == ["arrange", "put", "stage"]
    crack = attack.verbs[2]
    assert (crack.lemma, crack.extra, crack.code) == ("crack", ("down",), "172")
    assert ("* (FOR REASONS)", "---") in attack.patterns
    assert [v.lemma for v in send.verbs] == ["send", "ask"]
    assert send.verbs[1].extra == ("for",)


def test_patterns_become_conditions(builder: ModuleType) -> None:
    syn = builder.read_verbs(VERBS).synsets

    def slots(text: str) -> list[tuple[str, str, tuple[tuple[str, ...], ...]]]:
        return [(s.kind, s.prep, s.values) for s in builder.parse_pattern(text, syn).slots]

    assert slots("* SANCTIONS") == [("obj", "", (("sanctions",),))]
    assert slots("* (FOR RETRIAL)") == [("pp", "for", (("retrial",),))]
    assert slots("* {HUMANITARIAN AID}") == [("obj", "", (("humanitarian", "aid"),))]
    assert slots("* OUT VIEWS") == [("prt", "", (("out",),)), ("obj", "", (("views",),))]
    assert slots("&MILITARY *")[0][2] == (("army",), ("armed", "forces"), ("troops",))
    assert slots("* (TO A VOTE)") == [("pp", "to", (("vote",),))]
    pattern = builder.parse_pattern("$ * DELEGATION (TO +)", syn)
    assert pattern.target == ("prep:to", "obj-prep:to")
    assert builder.parse_pattern("* + (FOR PEACE)", syn).target == ("dobj",)
    assert builder.parse_pattern("* DEAL (WITH)", syn).target == ("prep:with", "obj-prep:with")


@pytest.mark.parametrize(
    "text",
    [
        "* CALL ON + TO RESIGN",  # TABARI-era linear pattern
        "* PROTESTS (FROM $)",  # the source is not the subject
        "+ * ROCKET",  # the target before the verb
        "% &MILITARY *",  # compound actor
        "SPY_*_DEAL",
        "* &UNDEFINED",
        "* (TO)",  # a bare preposition alone says too little
    ],
)
def test_patterns_outside_the_grammar_are_skipped(builder: ModuleType, text: str) -> None:
    with pytest.raises(builder.Unsupported):
        builder.parse_pattern(text, {})


def test_codes_map_to_plover_by_longest_prefix(builder: ModuleType) -> None:
    plover = builder.read_plover(PLOVER_TABLE)
    assert builder.plover_of("0733", plover) == ("AID", "humanitarian")
    assert builder.plover_of("042", plover) == ("CONSULT", "visit")
    assert builder.plover_of("010", plover) is None  # statements: not an event
    assert builder.plover_of("0241", plover) is None  # appeals: left out of CAMEO2PLOVER
    # newsgraph reads sanctions as the PLOVER 2.0 manual does
    assert builder.plover_of("163", plover) == ("SANCTION", "")


# ---- deriving rows -----------------------------------------------------------------------
def test_a_pattern_applies_to_every_verb_of_its_block(small: list[str]) -> None:
    row = cells(small, "stage", "obj=protest")
    assert row[0] == "arrange|put|stage" and row[3] == "PROTEST"
    assert cells(small, "put", "pp:on=alert")[3:5] == ["MOBILIZE", "troops"]


def test_synsets_expand_to_alternative_values(small: list[str]) -> None:
    assert cells(small, "attack", "obj=army|troops|troop")[3] == "ASSAULT"
    # a member of several words ranks as a longer phrase, in a row of its own
    assert cells(small, "attack", "obj=armed forces|armed force")[3] == "ASSAULT"


def test_bare_rows_follow_the_code_light_and_reporting_verbs_excepted(small: list[str]) -> None:
    assert cells(small, "attack", "")[3] == "ASSAULT"  # ATTACK [190]: a code of its own
    # ASSAIL takes the block's code, a two-digit cue category (190: any military force),
    # which is too loose to make a word an event by itself: only its patterns
    assert not [line for line in small if line.startswith("assail\t")]
    assert cells(small, "assail", "obj=army|troops|troop")[3] == "ASSAULT"
    assert not [line for line in small if line.startswith("put\t")]  # [---] block
    assert not [line for line in small if "say" in line.split("\t")[0].split("|")]
    # a several-word verb is the verb with a condition: +CRACK_DOWN [172]
    assert cells(small, "crack", "prt=down")[3:5] == ["COERCE", "restrict"]


def test_no_event_rows_are_kept_only_before_an_event_row(small: list[str]) -> None:
    assert cells(small, "attack", "pp:for=reasons|reason")[3] == NO_EVENT
    # "[010]" on put: no row makes "put out" an event, so no "no event" row is needed
    assert not [line for line in small if "prt=out;obj=views" in line]


def test_target_places_come_from_the_pattern_then_the_type(small: list[str]) -> None:
    food = cells(small, "send", "obj=food|foodstuff;prep=to")
    assert food[3] == "AID" and food[5].startswith("prep:to|obj-prep:to")
    assert food[6] == "dobj"
    visit = cells(small, "send", "obj=delegation;prep=to")  # [042:043]: the first code
    assert visit[3:5] == ["CONSULT", "visit"]


def test_a_longer_phrase_is_its_own_row(small: list[str]) -> None:
    assert cells(small, "send", "obj=humanitarian aid")[3] == "AID"
    assert cells(small, "send", "obj=aid")[3] == "AID"
    assert cells(small, "send", "obj=sanctions|sanction")[3] == "SANCTION"


def test_reverse_only_codes_are_skipped(small: list[str]) -> None:
    assert not [line for line in small if "pp:to=court" in line]


def test_several_word_verbs_carry_their_words_into_the_patterns(small: list[str]) -> None:
    # +ASK_FOR [020]: an appeal is no PLOVER event, so "ask for" alone codes nothing; the
    # block's patterns apply to it with its preposition
    assert not [line for line in small if line.startswith("ask\tVERB\tprep=for\t")]
    assert cells(small, "ask", "pp:for=aid")[3] == "AID"  # "asked for aid"
    assert cells(small, "crack", "prt=down;pp:for=reasons|reason")[3] == NO_EVENT


@pytest.mark.shared
def test_the_shipped_table_is_what_the_script_makes(builder: ModuleType) -> None:
    directory = shared_path("data", "event-dictionaries")
    shipped = (ROOT / "src/newsgraph/events/data/cameo_lexicon.tsv").read_text("utf-8")
    assert builder.build(Path(directory)) == shipped


# ---- the merged lexicon -------------------------------------------------------------------
def test_conditions_parse_with_phrases_and_conjunctions() -> None:
    (obj, pp) = parse_conditions("obj=sanction|humanitarian aid;pp:on=iran")
    assert obj == Condition("obj", frozenset({"sanction"}), (("humanitarian", "aid"),))
    assert (pp.kind, pp.prep, pp.words) == ("pp", "on", frozenset({"iran"}))
    with pytest.raises(ValueError):
        parse_conditions("pp=for")
    with pytest.raises(ValueError):
        parse_conditions("nope=x")


def test_the_merged_lexicon_keeps_the_hand_built_decisions() -> None:
    table = triggers()
    assert {s.type for options in senses().values() for s in options} <= PLOVER_TYPES
    assert any(not s.event for options in table.values() for s in options)
    # "release" is an event only with someone released: no derived bare row
    assert all(s.conditions for s in table[("release", "VERB")])
    # the hand-built row wins where both tables give the same trigger and condition:
    # "imposed a curfew" is COERCE curfew, as event_lexicon.tsv says
    curfew = next(
        s
        for s in table[("impose", "VERB")]
        if s.rank == (1, 1) and "curfew" in s.conditions[0].words
    )
    assert (curfew.table, curfew.type, curfew.mode) == ("event_lexicon.tsv", "COERCE", "curfew")
    # the hand-built rows first, then the derived ones, each most specific first
    for options in table.values():
        tables = [s.table for s in options]
        assert tables == sorted(tables, key=lambda t: t != "event_lexicon.tsv")
        for name in set(tables):
            ranks = [(-s.rank[0], -s.rank[1]) for s in options if s.table == name]
            assert ranks == sorted(ranks)
    attack = table[("attack", "VERB")]
    assert [s.table for s in attack if not s.conditions] == ["event_lexicon.tsv"]
    # derived coverage: verbs the hand-built table does not know
    (flog,) = [s for s in senses()[("flog", "VERB")] if not s.conditions]
    assert (flog.type, flog.table) == ("ASSAULT", "cameo_lexicon.tsv")


# ---- conditions on the parse (hand-built Docs) ----------------------------------------------
@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.blank("en")


def parsed(nlp: spacy.language.Language, rows: list[tuple[str, str, int, str, str]]) -> Doc:
    """A Doc from (word, lemma, head index, dep, pos) rows."""
    words, lemmas, heads, deps, pos = (list(col) for col in zip(*rows, strict=True))
    return Doc(nlp.vocab, words=words, lemmas=lemmas, heads=heads, deps=deps, pos=pos)


def sense(condition: str) -> Sense:
    return Sense("x", "VERB", parse_conditions(condition), "SANCTION", None, (), ())


def test_object_preposition_and_phrase_conditions(nlp: spacy.language.Language) -> None:
    # "The EU imposed new sanctions on Iran"
    doc = parsed(
        nlp,
        [
            ("The", "the", 1, "det", "DET"),
            ("EU", "EU", 2, "nsubj", "PROPN"),
            ("imposed", "impose", 2, "ROOT", "VERB"),
            ("new", "new", 4, "amod", "ADJ"),
            ("sanctions", "sanction", 2, "dobj", "NOUN"),
            ("on", "on", 4, "prep", "ADP"),
            ("Iran", "Iran", 5, "pobj", "PROPN"),
        ],
    )
    verb = doc[2]
    assert holds(verb, sense("obj=sanction"))
    assert holds(verb, sense("obj=new sanctions;pp:on=iran"))  # "on" hangs on the object
    assert not holds(verb, sense("obj=old sanctions"))
    assert not holds(verb, sense("obj=sanction;pp:on=iraq"))
    assert holds(verb, sense("subj=eu"))
    assert not holds(verb, sense("prep=on"))  # a preposition of the verb itself


def test_particles_and_datives(nlp: spacy.language.Language) -> None:
    # "Police cracked down on protesters" / "gave aid to Kyiv"
    doc = parsed(
        nlp,
        [
            ("Police", "police", 1, "nsubj", "NOUN"),
            ("cracked", "crack", 1, "ROOT", "VERB"),
            ("down", "down", 1, "prt", "ADP"),
            ("on", "on", 1, "prep", "ADP"),
            ("protesters", "protester", 3, "pobj", "NOUN"),
        ],
    )
    c = parse_conditions("prt=down;pp:on=protester")
    assert all(condition_holds(doc[1], one) for one in c)
    gave = parsed(
        nlp,
        [
            ("gave", "give", 0, "ROOT", "VERB"),
            ("aid", "aid", 0, "dobj", "NOUN"),
            ("to", "to", 0, "dative", "ADP"),
            ("Kyiv", "Kyiv", 2, "pobj", "PROPN"),
        ],
    )
    assert holds(gave[0], sense("obj=aid;prep=to"))
    assert holds(gave[0], sense("obj=aid;pp:to=kyiv"))


# ---- derived rows on real sentences (the model) ---------------------------------------------
def coded(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """(type, mode, source state, target state) of each event: the states only, the
    sectors being the actor tables' business."""
    report = newsgraph.analyze(text, published="2025-12-19")
    return [
        (e.type, e.mode, (e.source_code or "")[:3] or None, (e.target_code or "")[:3] or None)
        for e in report.events
    ]


@pytest.mark.model
def test_a_derived_object_condition_codes_aid() -> None:
    # ACCELERATE block: - * &FOOD [073]
    assert coded("Japan rushed food to Haiti on Tuesday.") == [
        ("AID", "humanitarian", "JPN", "HTI")
    ]


@pytest.mark.model
def test_a_derived_bare_verb_codes_its_block() -> None:
    # INJURE [182]: physically assault
    assert coded("Israeli soldiers injured three Palestinian protesters on Friday.") == [
        ("ASSAULT", "beat", "ISR", "PSE")
    ]


@pytest.mark.model
def test_a_prepositional_verb_takes_its_block_patterns() -> None:
    # GO_SOMEWHERE: +GO_TO, and - * &FIGHT [190]: "went to war"
    assert coded("The United States went to war with Iraq in 2003.") == [
        ("ASSAULT", None, "USA", "IRQ")
    ]
    # a light verb alone is no event ("put" has only patterns: "put troops on alert")
    assert coded("Pakistan put the proposal to India.") == []


@pytest.mark.model
def test_a_no_event_row_stops_a_less_specific_one() -> None:
    # CONFINE [173]: arrest or detain, but - * IMMIGRANTS [---]
    assert coded("Italy confined Tunisian fighters in camps.") == [
        ("COERCE", "arrest", "ITA", "TUN")
    ]
    assert coded("Italy confined Tunisian immigrants in camps.") == []


def test_only_the_rows_that_can_hold_are_tried(nlp: spacy.language.Language) -> None:
    # "The army put its troops on alert"
    doc = parsed(
        nlp,
        [
            ("The", "the", 1, "det", "DET"),
            ("army", "army", 2, "nsubj", "NOUN"),
            ("put", "put", 2, "ROOT", "VERB"),
            ("its", "its", 4, "poss", "PRON"),
            ("troops", "troop", 2, "dobj", "NOUN"),
            ("on", "on", 2, "prep", "ADP"),
            ("alert", "alert", 5, "pobj", "NOUN"),
        ],
    )
    rows = (
        Sense("put", "VERB", parse_conditions("obj=proposal"), "AGREE", None, (), ()),
        Sense("put", "VERB", parse_conditions("pp:on=alert;subj=navy"), "AID", None, (), ()),
        Sense("put", "VERB", parse_conditions("pp:on=alert"), "MOBILIZE", None, (), ()),
        Sense("put", "VERB", (), "COERCE", None, (), ()),
    )
    choice = Choice.of(rows)
    assert choice.keys == (("obj", ""), ("pp", "on"))
    assert first(doc[2], choice) is rows[2]
    assert first(doc[1], Choice.of(rows[:3])) is None
