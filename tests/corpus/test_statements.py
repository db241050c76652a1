"""Statements of a report and how two of them relate (newsgraph.corpus.statements).

The reports are built by hand: the text, the claims, quotes, timexes and entities the
pipeline would give, so each test pins one behaviour without the model. The last tests
run the hand-built story corpus (tests/data/corpus) through the real pipeline and hold
the links found against the designed ones."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pytest

from conftest import run_cli
from newsgraph.corpus.statements import (
    Match,
    Statement,
    Value,
    compare,
    normalise_word,
    statements_of,
    through,
)
from newsgraph.report import Article, Claim, Entity, EntityType, Quote, Report, Span, Timex


@dataclass
class Ent:
    name: str
    type: EntityType
    kb_id: str | None
    #: the ways the text may write it (every occurrence of each is a mention)
    written: list[str] = field(default_factory=list)


def _all(text: str, part: str) -> list[int]:
    out, k = [], text.find(part)
    while k >= 0:
        out.append(k)
        k = text.find(part, k + 1)
    assert out, f"{part!r} is not in the text"
    return out


def _span(text: str, part: str) -> Span:
    k = _all(text, part)[0]
    return Span(k, k + len(part), part)


def build(
    text: str,
    *,
    claims: tuple[str, ...] = (),
    timexes: tuple[tuple[str, str, str, str | None, str | None], ...] = (),
    entities: tuple[Ent, ...] = (),
    quotes: tuple[tuple[str, str | None, str | None, str], ...] = (),
) -> Report:
    """A report of ``text``. claims: their texts; timexes: (text, type, value, upper, mod);
    quotes: (content, speaker as written, speaker entity id, source kind); a claim inside a
    quote's content belongs to that quote."""
    ents = []
    for n, e in enumerate(entities, start=1):
        forms = [w for w in (e.written or [e.name]) if w in text]
        assert forms, f"{e.name} is not in the text"
        mentions: list[Span] = []
        for w in sorted(forms, key=len, reverse=True):  # "Hakan Fidan" before "Fidan"
            for k in _all(text, w):
                if not any(m.start < k + len(w) and k < m.end for m in mentions):
                    mentions.append(Span(k, k + len(w), w))
        mentions.sort(key=lambda m: m.start)
        ents.append(Entity(f"e{n}", e.name, e.type, e.kb_id, mentions))
    qs = []
    for n, (content, speaker, entity, kind) in enumerate(quotes, start=1):
        qs.append(
            Quote(
                id=f"q{n}",
                kind="direct",
                content=_span(text, content),
                cue=None,
                speaker=_span(text, speaker) if speaker else None,
                speaker_entity=entity,
                source_kind=kind,  # type: ignore[arg-type]
            )
        )
    cs = []
    for n, c in enumerate(claims, start=1):
        s = _span(text, c)
        inside = [q.id for q in qs if q.content.start <= s.start and s.end <= q.content.end]
        cs.append(Claim(f"c{n}", s.start, s.end, c, 0.8, "factual", inside[0] if inside else None))
    ts = []
    for t, kind, value, upper, mod in timexes:
        s = _span(text, t)
        ts.append(Timex(s.start, s.end, t, kind, value, mod=mod, upper=upper))  # type: ignore[arg-type]
    report = Report(Article(text), entities=ents, quotes=qs, timexes=ts, claims=cs)
    assert not report.span_problems()
    return report


def claim(text: str, **layers: object) -> Statement:
    """The one statement of a report whose text is one claim."""
    (s,) = statements_of(build(text, claims=(text,), **layers))  # type: ignore[arg-type]
    return s


def vals(s: Statement, kind: str | None = None) -> list[tuple[str, str, str, str]]:
    return [(v.kind, v.key, v.value, v.text) for v in s.values if kind in (None, v.kind)]


def year(text: str, value: str) -> tuple[str, str, str, None, None]:
    return (text, "DATE", value, None, None)


TURKEY = Ent("Turkey", "COUNTRY", "Q43", ["Turkey", "Ankara"])
USA = Ent("United States", "COUNTRY", "Q30", ["United States", "Washington"])
RUSSIA = Ent("Russia", "COUNTRY", "Q159", ["Russia", "Moscow"])
FIDAN = Ent("Hakan Fidan", "PERSON", "Q1", ["Hakan Fidan", "Fidan"])
RUBIO = Ent("Marco Rubio", "PERSON", "Q2", ["Marco Rubio", "Rubio"])
ERDOGAN = Ent("Recep Tayyip Erdogan", "PERSON", "Q3", ["Erdogan"])
S400 = Ent("S-400", "MILITARY_SYSTEM", "ngkb:system:s-400", ["S-400"])


def match(a: Statement, b: Statement) -> Match:
    m = compare(a, b)
    assert m is not None, f"no match: {sorted(a.words)} / {sorted(b.words)}"
    return m


# --- values ---------------------------------------------------------------------------


def test_a_date_timex_inside_the_claim_is_a_date_value() -> None:
    s = claim("Turkey bought the system in 2017.", timexes=(year("2017", "2017"),))
    assert vals(s, "date") == [("date", "", "2017", "2017")]


def test_vague_timexes_and_timexes_outside_the_span_are_no_values() -> None:
    text = "Recently officials met for years last week. In 2017 it began."
    report = build(
        text,
        claims=("Recently officials met for years last week.",),
        timexes=(
            ("Recently", "DATE", "PAST_REF", None, None),
            ("for years", "DURATION", "PXY", None, None),
            ("last week", "DATE", "XXXX-WXX", None, None),
            year("2017", "2017"),
        ),
    )
    (s,) = statements_of(report)
    assert s.values == ()


def test_a_duration_range_keeps_its_upper_end() -> None:
    s = claim(
        "The return could take four to six months.",
        timexes=(("four to six months", "DURATION", "P4M", "P6M", None),),
    )
    assert vals(s) == [("duration", "", "P4M/P6M", "four to six months")]


def test_a_bounding_mod_becomes_the_key_of_a_date() -> None:
    s = claim(
        "It happened before 2020.", timexes=(("before 2020", "DATE", "2020", None, "BEFORE"),)
    )
    assert vals(s) == [("date", "before", "2020", "before 2020")]


@pytest.mark.parametrize(
    ("text", "key", "value", "written"),
    [
        ("Turkey paid $2.5 billion for it.", "USD", "2500000000", "$2.5 billion"),
        ("Turkey paid 2.5 billion dollars for it.", "USD", "2500000000", "2.5 billion dollars"),
        ("The deal was worth 1.4bn euros.", "EUR", "1400000000", "1.4bn euros"),
        ("It cost £300m in the end.", "GBP", "300000000", "£300m"),
        ("It cost US$2,500,000 in the end.", "USD", "2500000", "US$2,500,000"),
        (
            "It cost $1.4 billion to $1.6 billion.",
            "USD",
            "1400000000/1600000000",
            "$1.4 billion to $1.6 billion",
        ),
    ],
)
def test_amounts_in_symbols_words_and_abbreviations(
    text: str, key: str, value: str, written: str
) -> None:
    assert vals(claim(text)) == [("amount", key, value, written)]


def test_percents_by_sign_and_by_word() -> None:
    s = claim("Inflation rose to 25% from 3.5 per cent, or twenty percent on average.")
    assert [(v.value, v.text) for v in s.values if v.kind == "percent"] == [
        ("25", "25%"),
        ("3.5", "3.5 per cent"),
        ("20", "twenty percent"),
    ]


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("Russia delivered four S-400 batteries to Turkey.", "battery", "4"),
        ("Russia sent twenty-five advanced air defence batteries.", "battery", "25"),
        ("Two hundred and fifty soldiers crossed.", "soldier", "250"),
        ("A dozen tanks crossed.", "tank", "12"),
        ("Turkey planned to buy 100 F-35 jets.", "jet", "100"),
        ("Police detained 1,500 protesters.", "protester", "1500"),
        ("Police detained 5k protesters.", "protester", "5000"),
    ],
)
def test_numbers_in_digits_and_words_with_the_noun_they_count(
    text: str, key: str, value: str
) -> None:
    (v,) = [v for v in claim(text).values if v.kind == "number"]
    assert (v.key, v.value) == (key, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The return could take two to three weeks.", "2/3"),
        ("Officials expect 2-3 deliveries.", "2/3"),
        ("Between 40 and 50 people were hurt.", "40/50"),
        ("Two or three batteries were moved.", "2/3"),
    ],
)
def test_number_ranges(text: str, value: str) -> None:
    (v,) = claim(text).values
    assert v.value == value


def test_names_with_digits_years_and_ordinals_are_not_numbers() -> None:
    s = claim("The F-35 and the S-400 were bought in 2017, in the 21st year of the 1990s deal.")
    assert s.values == ()


def test_one_as_a_pronoun_and_vague_quantities_are_no_numbers() -> None:
    s = claim("One of the officials said no one came, and hundreds of jets sat idle.")
    assert s.values == ()
    assert not {"one", "hundreds"} & s.words


def test_entities_give_place_and_actor_values_other_names_give_a_word() -> None:
    s = claim(
        "Hakan Fidan met NATO officials in Ankara about the S-400 and the White House.",
        entities=(
            FIDAN,
            Ent("NATO", "IGO", "Q7184"),
            TURKEY,
            S400,
            Ent("White House", "LOCATION", None),
        ),
    )
    assert vals(s) == [
        ("actor", "PERSON", "Q1", "Hakan Fidan"),
        ("actor", "IGO", "Q7184", "NATO"),
        ("place", "COUNTRY", "Q43", "Ankara"),
        ("place", "LOCATION", "white house", "White House"),
    ]
    assert "=ngkb:system:s-400" in s.words
    assert not {"fidan", "nato", "ankara", "white", "house", "s"} & s.words


def test_words_drop_stopwords_and_values_and_count_inflections_and_synonyms_as_one() -> None:
    a = claim(
        "Turkey purchased the systems in 2017, officials said.",
        timexes=(year("2017", "2017"),),
        entities=(TURKEY,),
    )
    b = claim("The system was bought by Turkey.", entities=(TURKEY,))
    assert a.words == {"buy", "system", "official"}
    assert b.words == {"buy", "system"}
    assert normalise_word("hoped") == normalise_word("hoping") == normalise_word("hopes")
    assert normalise_word("defence") == normalise_word("defense")
    assert normalise_word("the") is None


def test_a_claim_inside_a_quote_is_a_statement_of_its_own_with_the_quotes_speaker() -> None:
    text = '"We are looking for a solution that protects our security," Fidan said.'
    content = "We are looking for a solution that protects our security,"
    report = build(
        text,
        claims=("We are looking for a solution that protects our security",),
        quotes=((content, "Fidan", "e1", "named_person"),),
        entities=(FIDAN,),
    )
    kinds = [(s.kind, s.item_id, s.speaker, s.speaker_text) for s in statements_of(report)]
    assert kinds == [("claim", "c1", "Q1", "Fidan"), ("quote", "q1", "Q1", "Fidan")]


def test_an_unnamed_source_is_no_speaker() -> None:
    text = '"The talks are serious," a Turkish official said.'
    report = build(
        text,
        quotes=(("The talks are serious,", "a Turkish official", None, "anonymous_person"),),
    )
    (s,) = statements_of(report)
    assert s.speaker is None


# --- comparing ---------------------------------------------------------------------


def test_a_paraphrase_of_the_same_dated_fact_corroborates() -> None:
    a = claim(
        "Washington removed Turkey from the F-35 fighter jet programme in 2019.",
        timexes=(year("2019", "2019"),),
        entities=(USA, TURKEY),
    )
    b = claim(
        "The United States removed Ankara from the F-35 program in 2019.",
        timexes=(year("2019", "2019"),),
        entities=(USA, TURKEY),
    )
    m = match(a, b)
    assert m.relation == "corroborates"
    assert "same year: 2019" in m.why
    assert not m.differ


def test_bought_in_2017_and_bought_in_2019_contradict() -> None:
    a = claim(
        "Turkey bought the S-400 in 2017.", timexes=(year("2017", "2017"),), entities=(TURKEY, S400)
    )
    b = claim(
        "Ankara purchased the S-400 in 2019.",
        timexes=(year("2019", "2019"),),
        entities=(TURKEY, S400),
    )
    m = match(a, b)
    assert m.relation == "contradicts"
    assert m.why == "year 2017 vs 2019"
    assert [(x.value, y.value) for x, y in m.differ] == [("2017", "2019")]
    assert [(x.text, y.text) for x, y in m.agree] == [("Turkey", "Ankara")]


def test_durations_that_do_not_overlap_contradict() -> None:
    a = claim(
        "Returning the S-400 batteries to Russia could take four to six months.",
        timexes=(("four to six months", "DURATION", "P4M", "P6M", None),),
        entities=(RUSSIA, S400),
    )
    b = claim(
        "The return of the S-400 systems to Russia could take two to three months.",
        timexes=(("two to three months", "DURATION", "P2M", "P3M", None),),
        entities=(RUSSIA, S400),
    )
    m = match(a, b)
    assert m.relation == "contradicts"
    assert m.why == "duration four to six months vs two to three months"


def test_versions_sharing_no_word_contradict_through_a_third_that_says_the_same() -> None:
    six = (("four to six months", "DURATION", "P4M", "P6M", None),)
    a = claim("The handover of the S-400s could take four to six months.", timexes=six)
    z = claim("Returning the systems could take four to six months.", timexes=six)
    b = claim(
        "The return of the systems could be completed in two to three months.",
        timexes=(("two to three months", "DURATION", "P2M", "P3M", None),),
    )
    assert compare(a, b) is None  # no word in common
    assert match(a, z).relation == "corroborates"
    assert match(z, b).relation == "contradicts"
    m = through(a, z, b, match(z, b))
    assert m is not None and m.relation == "contradicts"
    assert [(x.text, y.text) for x, y in m.differ] == [
        ("four to six months", "two to three months")
    ]
    assert m.why.startswith("duration four to six months vs two to three months (through")
    # a statement that gives none of the values in question is not read through
    assert through(claim("Returning the systems could take a while."), z, b, match(z, b)) is None
    # nor one that gives the other side's value too
    both = claim(
        "The handover could take four to six months, or two to three months.",
        timexes=(six[0], ("two to three months", "DURATION", "P2M", "P3M", None)),
    )
    assert through(both, z, b, match(z, b)) is None


def test_overlapping_durations_agree() -> None:
    a = claim(
        "The return could take four to six months.",
        timexes=(("four to six months", "DURATION", "P4M", "P6M", None),),
    )
    b = claim(
        "The return could take half a year.",
        timexes=(("half a year", "DURATION", "P6M", None, None),),
    )
    assert match(a, b).relation == "corroborates"


def test_different_amounts_contradict_and_rounded_ones_agree() -> None:
    a = claim("Turkey paid about $2.5 billion for the S-400 systems.", entities=(TURKEY, S400))
    b = claim("Ankara paid $1.4 billion for the S-400 systems.", entities=(TURKEY, S400))
    c = claim("Turkey paid 2.46 billion dollars for the S-400 system.", entities=(TURKEY, S400))
    m = match(a, b)
    assert m.relation == "contradicts"
    assert m.why == "amount $2.5 billion vs $1.4 billion"
    assert match(a, c).relation == "corroborates"
    assert "same amount: $2.5 billion" in match(a, c).why


def test_amounts_in_different_currencies_are_not_set_side_by_side() -> None:
    a = claim("Turkey paid $2.5 billion for the systems.", entities=(TURKEY,))
    b = claim("Turkey paid 2.2 billion euros for the systems.", entities=(TURKEY,))
    assert compare(a, b) is None


def test_different_counts_of_the_same_thing_contradict() -> None:
    a = claim("Russia delivered four S-400 batteries to Turkey.", entities=(RUSSIA, TURKEY, S400))
    b = claim("Turkey received two S-400 batteries from Russia.", entities=(RUSSIA, TURKEY, S400))
    c = claim("Turkey received two S-400 radars from Russia.", entities=(RUSSIA, TURKEY, S400))
    assert match(a, b).why == "number four S-400 batteries vs two S-400 batteries"
    assert compare(b, c) is None  # batteries and radars: two counts, two statements


def test_dates_compare_at_the_coarser_granularity() -> None:
    def delivered(when: str, value: str) -> Statement:
        return claim(
            f"Russia began delivering the S-400 to Turkey in {when}.",
            timexes=(year(when, value),),
            entities=(RUSSIA, TURKEY, S400),
        )

    assert match(delivered("2019", "2019"), delivered("July 2019", "2019-07")).relation == (
        "corroborates"
    )
    m = match(delivered("July 2019", "2019-07"), delivered("August 2019", "2019-08"))
    assert (m.relation, m.why) == ("contradicts", "month July 2019 vs August 2019")


def test_a_value_only_one_side_gives_is_no_contradiction() -> None:
    a = claim(
        "Turkey signed the deal to buy the S-400 in 2017 for $2.5 billion.",
        timexes=(year("2017", "2017"),),
        entities=(TURKEY, S400),
    )
    b = claim(
        "Turkey signed the deal to buy the S-400 in 2017.",
        timexes=(year("2017", "2017"),),
        entities=(TURKEY, S400),
    )
    m = match(a, b)
    assert m.relation == "corroborates" and not m.differ


def test_the_place_of_the_same_meeting_contradicts() -> None:
    dec12 = ("Dec. 12", "DATE", "2025-12-12", None, None)
    a = claim(
        "Hakan Fidan discussed the S-400 issue with Marco Rubio in Washington on Dec. 12.",
        entities=(FIDAN, RUBIO, S400, USA),
        timexes=(dec12,),
    )
    b = claim(
        "Hakan Fidan and Marco Rubio discussed the S-400 issue in Ankara on Dec. 12.",
        entities=(FIDAN, RUBIO, S400, TURKEY),
        timexes=(dec12,),
    )
    m = match(a, b)
    assert m.relation == "contradicts"
    assert m.why == "place Washington vs Ankara"
    assert {x.text for x, _ in m.agree} == {"Hakan Fidan", "Marco Rubio", "Dec. 12"}


def test_another_place_without_a_shared_day_may_be_another_meeting() -> None:
    a = claim(
        "Hakan Fidan discussed the S-400 issue with Marco Rubio in Washington.",
        entities=(FIDAN, RUBIO, S400, USA),
    )
    b = claim(
        "Hakan Fidan and Marco Rubio discussed the S-400 issue in Ankara.",
        entities=(FIDAN, RUBIO, S400, TURKEY),
    )
    m = compare(a, b)
    assert m is None or m.relation == "corroborates"


def test_the_same_tally_on_two_days_is_no_contradiction() -> None:
    def tally(day: str, value: str, strikes: str) -> Statement:
        return claim(
            f"On {day}, coalition forces conducted {strikes} strikes against militants.",
            timexes=((day, "DATE", value, None, None),),
        )

    assert (
        compare(tally("Jan. 8", "XXXX-01-08", "34"), tally("Jan. 10", "XXXX-01-10", "23")) is None
    )
    m = match(tally("Jan. 8", "XXXX-01-08", "34"), tally("Jan. 8", "XXXX-01-08", "23"))
    assert (m.relation, m.why) == ("contradicts", "number 34 strikes vs 23 strikes")


def test_a_different_place_in_a_loosely_similar_statement_is_no_contradiction() -> None:
    a = claim(
        "Turkey is negotiating with Russia over returning the S-400 batteries, officials said.",
        entities=(TURKEY, RUSSIA, S400),
    )
    b = claim(
        "Washington is negotiating the return of the S-400 batteries with officials.",
        entities=(USA, S400),
    )
    m = compare(a, b)
    assert m is None or m.relation == "corroborates"


def test_two_spellings_of_one_entity_agree() -> None:
    a = claim(
        "Erdogan met Putin in Moscow to discuss grain exports.",
        entities=(ERDOGAN, RUSSIA, Ent("Vladimir Putin", "PERSON", "Q7747", ["Putin"])),
    )
    b = claim(
        "Erdoğan met Putin in Russia to discuss grain exports.",
        entities=(Ent("Erdoğan", "PERSON", "Q3"), RUSSIA, Ent("Putin", "PERSON", "Q7747")),
    )
    m = match(a, b)
    assert m.relation == "corroborates"
    assert {(x.text, y.text) for x, y in m.agree} == {
        ("Erdogan", "Erdoğan"),
        ("Putin", "Putin"),
        ("Moscow", "Russia"),
    }


def test_different_statements_about_the_same_actors_do_not_match() -> None:
    a = claim(
        "Turkey signed the agreement to buy the S-400 from Russia in 2017.",
        timexes=(year("2017", "2017"),),
        entities=(TURKEY, RUSSIA, S400),
    )
    b = claim(
        "Russia began delivering the S-400 systems to Turkey in July 2019.",
        timexes=(year("July 2019", "2019-07"),),
        entities=(TURKEY, RUSSIA, S400),
    )
    c = claim(
        "Washington removed Turkey from the F-35 programme in 2019.",
        timexes=(year("2019", "2019"),),
        entities=(USA, TURKEY),
    )
    assert compare(a, b) is None
    assert compare(b, c) is None
    assert compare(a, c) is None


def test_the_same_statement_without_a_shared_value_is_not_linked_unless_near_identical() -> None:
    a = claim("The talks are described as early but serious by the officials.")
    b = claim("Officials described the talks as serious but early.")
    c = claim("The talks remain early and serious, the officials said.")
    m = match(a, b)
    assert m.relation == "corroborates" and m.why.startswith("same words:")
    assert compare(a, c) is None


PROGRAM_F35 = Ent("F-35 program", "PROGRAM", "ngkb:system:f-35-program", ["F-35 program"])
F35 = Ent("F-35 Lightning II", "MILITARY_SYSTEM", "ngkb:system:f-35", ["F-35"])
RUSSIAN = Ent("Russian", "NORP", "Q159", ["Russian"])


def test_a_programme_counts_as_the_thing_it_builds() -> None:
    a = claim(
        "The United States expelled Ankara from the F-35 program in 2019.",
        timexes=(year("2019", "2019"),),
        entities=(USA, TURKEY, PROGRAM_F35),
    )
    b = claim(
        "Turkey was ejected from the multinational F-35 consortium in 2019.",
        timexes=(year("2019", "2019"),),
        entities=(TURKEY, F35),
    )
    assert "=ngkb:system:f-35" in a.words & b.words
    assert match(a, b).relation == "corroborates"


def test_a_word_glued_to_a_name_by_a_hyphen_says_no_more_than_the_name() -> None:
    s = claim("The Russian-made batteries were flown to Turkey.", entities=(RUSSIAN, TURKEY))
    assert s.words == {"=Q159", "battery", "fly"}
    t = claim("The well-known batteries were flown to Turkey.", entities=(TURKEY,))
    assert "know" in t.words  # no name before the hyphen


def test_a_nationality_and_its_country_are_one_name() -> None:
    a = claim(
        "The first Russian-made batteries were flown to Turkey in July 2019.",
        timexes=(year("July 2019", "2019-07"),),
        entities=(RUSSIAN, TURKEY),
    )
    b = claim(
        "Russia began delivering the S-400 systems to Turkey in July 2019.",
        timexes=(year("July 2019", "2019-07"),),
        entities=(RUSSIA, TURKEY, S400),
    )
    m = match(a, b)
    assert m.relation == "corroborates" and "same month: July 2019" in m.why
    assert normalise_word("first") == normalise_word("began")


def test_a_shared_specific_value_holds_a_paraphrase_with_little_word_overlap() -> None:
    a = claim(
        "Türkiye took delivery of the first S-400 components in July 2019.",
        timexes=(year("July 2019", "2019-07"),),
        entities=(Ent("Turkey", "COUNTRY", "Q43", ["Türkiye"]), S400),
    )
    b = claim(
        "The first Russian-made batteries were flown to Turkey in July 2019.",
        timexes=(year("July 2019", "2019-07"),),
        entities=(RUSSIAN, TURKEY),
    )
    assert match(a, b).relation == "corroborates"
    # a year is no anchor: the same words about 2019 are two statements
    c = claim(
        "Türkiye took delivery of the first S-400 components in 2019.",
        timexes=(year("2019", "2019"),),
        entities=(Ent("Turkey", "COUNTRY", "Q43", ["Türkiye"]), S400),
    )
    d = claim(
        "The first Russian-made batteries were flown to Turkey in 2019.",
        timexes=(year("2019", "2019"),),
        entities=(RUSSIAN, TURKEY),
    )
    assert compare(c, d) is None
    # nor another place
    e = claim(
        "The first Russian-made batteries were flown to Greece in July 2019.",
        timexes=(year("July 2019", "2019-07"),),
        entities=(RUSSIAN, Ent("Greece", "COUNTRY", "Q41")),
    )
    assert compare(a, e) is None


def quote_report(content: str, speaker: str, ent: Ent, tail: str = "told reporters.") -> Statement:
    text = f'"{content}," {speaker} {tail}'
    report = build(
        text,
        quotes=((f"{content},", speaker, "e1", "named_person"),),
        entities=(ent,),
    )
    (s,) = statements_of(report)
    return s


LINE = "We are looking for a solution that protects our security and closes this chapter"


def test_the_same_quote_from_two_named_speakers_contradicts() -> None:
    a = quote_report(LINE, "Fidan", FIDAN)
    b = quote_report(LINE, "Erdogan", ERDOGAN, "said on Monday.")
    m = match(a, b)
    assert (m.relation, m.why) == ("contradicts", "speaker Fidan vs Erdogan")


def test_the_same_quote_from_the_same_speaker_corroborates() -> None:
    a = quote_report(LINE, "Fidan", FIDAN)
    b = quote_report(LINE, "Hakan Fidan", FIDAN, "said on Monday.")
    m = match(a, b)
    assert m.relation == "corroborates"
    assert m.why.startswith("same words:")


def test_a_speaker_the_knowledge_base_knows_in_one_article_only_is_still_one_speaker() -> None:
    a = quote_report(LINE, "Fidan", FIDAN)
    b = quote_report(LINE, "Hakan Fidan", Ent("Hakan Fidan", "PERSON", None), "said on Monday.")
    assert (a.speaker, b.speaker) == ("Q1", "hakan fidan")
    assert match(a, b).relation == "corroborates"


def test_the_same_quote_from_an_unnamed_source_does_not_contradict_a_named_one() -> None:
    a = quote_report(LINE, "Fidan", FIDAN)
    text = f'"{LINE}," a Turkish official said.'
    (b,) = statements_of(
        build(text, quotes=((f"{LINE},", "a Turkish official", None, "anonymous_person"),))
    )
    assert match(a, b).relation == "corroborates"


def test_value_text_is_shown_as_written() -> None:
    v = claim("Turkey paid 2.5 billion dollars.").values[0]
    assert isinstance(v, Value) and v.text == "2.5 billion dollars"


# --- the hand-built story corpus through the real pipeline ---------------------------

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"

#: Designed links the module does not find, and why (statement, record, record). Each is
#: a paraphrase beyond word overlap, or a sentence the claims component did not make a
#: claim (nor the quotes component a quote). A link found here makes the test fail: then
#: shorten the list.
NOT_FOUND: Final = {
    # "the handover ... could take" / "the return ... could be completed in"
    ("duration of S-400 return", "s4-04", "s4-08"): "paraphrase",
}


@dataclass(frozen=True)
class Carrier:
    statement: str
    kind: str
    version: int
    record: str
    start: int
    end: int


@pytest.fixture(scope="module")
def story() -> tuple[dict[str, Any], dict[str, Report], dict[str, str]]:
    """(gold, record id -> report, record id -> outlet), the story analysed once by the
    ``newsgraph`` command."""
    source = CORPUS / "s400-story.jsonl"
    records = [json.loads(line) for line in source.read_text("utf-8").splitlines() if line]
    proc = run_cli("analyze", str(source), "--format", "jsonl", timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    reports = [Report.from_json(line) for line in proc.stdout.decode().splitlines()]
    assert [r.article.title for r in reports] == [rec["title"] for rec in records]
    gold = json.loads((CORPUS / "s400-gold.json").read_text("utf-8"))
    return (
        gold,
        {rec["id"]: r for rec, r in zip(records, reports, strict=True)},
        {rec["id"]: rec["outlet"] for rec in records},
    )


def _carriers(gold: dict[str, Any], reports: dict[str, Report]) -> list[Carrier]:
    out = []
    for st in gold["statements"]:
        for k, version in enumerate(st["versions"]):
            for c in version["carriers"]:
                start = reports[c["id"]].article.text.index(c["text"])
                out.append(
                    Carrier(st["name"], st["kind"], k, c["id"], start, start + len(c["text"]))
                )
    return out


def _independent(gold: dict[str, Any], outlets: dict[str, str], a: str, b: str) -> bool:
    """Two articles of one story, from two outlets, neither a copy of the other nor both
    copies of one wire story."""
    story_of = {r: name for name, ids in gold["stories"].items() for r in ids}
    dups: dict[str, str] = gold["duplicates"]
    return (
        a != b
        and story_of.get(a) == story_of.get(b)
        and outlets[a] != outlets[b]
        and dups.get(a) != b
        and dups.get(b) != a
        and not (a in dups and dups.get(a) == dups.get(b))
    )


def _over(s: Statement, c: Carrier) -> bool:
    return s.start < c.end and c.start < s.end


@pytest.mark.model
def test_story_corpus_links_are_the_designed_ones(
    story: tuple[dict[str, Any], dict[str, Report], dict[str, str]],
) -> None:
    gold, reports, outlets = story
    carriers = _carriers(gold, reports)
    designed: dict[tuple[str, str, str], str] = {}
    kind_of = {c.statement: c.kind for c in carriers}
    for x, y in itertools.combinations(carriers, 2):
        if x.statement == y.statement and _independent(gold, outlets, x.record, y.record):
            lo, hi = sorted((x.record, y.record))
            designed[(x.statement, lo, hi)] = (
                "corroborates" if x.version == y.version else "contradicts"
            )
    statements = {r: statements_of(report) for r, report in reports.items()}
    found: dict[tuple[str, str, str], set[str]] = {}
    undesigned = []
    for ra, rb in itertools.combinations(sorted(statements), 2):
        if not _independent(gold, outlets, ra, rb):
            continue
        for a in statements[ra]:
            for b in statements[rb]:
                m = compare(a, b)
                if m is None:
                    continue
                pairs = [
                    (ca, cb)
                    for ca in carriers
                    if ca.record == ra and _over(a, ca)
                    for cb in carriers
                    if cb.record == rb and _over(b, cb) and cb.statement == ca.statement
                ]
                if not pairs:
                    undesigned.append(f"{m.relation} {m.why}: {a.text!r} / {b.text!r}")
                for ca, _ in pairs:
                    found.setdefault((ca.statement, ra, rb), set()).add(m.relation)

    wrong = {k: v for k, v in found.items() if v != {designed.get(k)}}
    assert not undesigned, undesigned
    assert not wrong, wrong
    assert set(NOT_FOUND) <= set(designed)
    assert set(found) == set(designed) - set(NOT_FOUND)
    # recall by kind of statement: every kind has its links found but for NOT_FOUND
    for kind in sorted(set(kind_of.values())):
        want = [k for k in designed if kind_of[k[0]] == kind]
        assert [k for k in want if k not in found] == [k for k in want if k in NOT_FOUND]


@pytest.mark.model
def test_story_corpus_designed_sentences_are_claims_or_quotes(
    story: tuple[dict[str, Any], dict[str, Report], dict[str, str]],
) -> None:
    gold, reports, _ = story
    carriers = _carriers(gold, reports)
    covered = {
        c: {s.kind for s in statements_of(reports[c.record]) if _over(s, c)} for c in carriers
    }
    no_statement = sorted((c.statement, c.record) for c, kinds in covered.items() if not kinds)
    quote_only = sorted(
        (c.statement, c.record) for c, kinds in covered.items() if kinds == {"quote"}
    )
    assert no_statement == []
    # "The S-400 purchase cost Ankara roughly $2.5 billion": no claim (the parser reads
    # "purchase cost" as one noun), but a sentence with an amount is a statement
    price = next(c for c in carriers if c.record == "s4-07" and c.statement == "S-400 price")
    assert covered[price] == {"sentence"}
    # sentences the claims component left out that a quote still carries
    assert len(quote_only) == 5
