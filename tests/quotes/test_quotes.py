"""Quotes and sources: hand-checked cases, the seed article, and every dev text without a crash."""

from __future__ import annotations

import json

import pytest

import newsgraph
from conftest import shared_path
from newsgraph.quotes.component import cue_table, role_table
from newsgraph.report import Report
from newsgraph.text.quotemarks import find_quote_marks


def test_quote_marks_pair_and_apostrophes_do_not_close() -> None:
    text = 'He said ‘Russia’s actions are not driven by war,’ and “yes” then «oui» and "ok".'
    got = [text[s:e] for _, s, e, _ in find_quote_marks(text)]
    assert got == ["Russia’s actions are not driven by war,", "yes", "oui", "ok"]


def test_an_unclosed_quote_is_recovered_not_fatal() -> None:
    assert find_quote_marks("‘This never closes.\n\nNext paragraph.") == []


def test_tables_load() -> None:
    verbs, phrases = cue_table()
    assert verbs["say"] == "neutral" and verbs["claim"] == "loaded" and "according to" in phrases
    assert role_table()["official"] == ("person", "official")


def analyze(text: str) -> Report:
    report = newsgraph.analyze(text, published="2025-12-19")
    assert report.span_problems() == []
    return report


@pytest.mark.model
def test_direct_indirect_and_according_to() -> None:
    r = analyze(
        "“We will not back down,” the minister said on Friday. According to a Reuters report, "
        "the talks failed. Analysts said that the deal was dead."
    )
    kinds = [(q.kind, q.source_kind, q.speaker.text if q.speaker else None) for q in r.quotes]
    assert kinds == [
        ("direct", "anonymous_person", "the minister"),
        ("indirect", "document", "a Reuters report"),
        ("indirect", "anonymous_group", "Analysts"),
    ]
    assert r.quotes[0].content.text == "We will not back down,"


@pytest.mark.model
def test_pronouns_resolve_to_the_last_person_named() -> None:
    r = analyze("Maarja Tamm spoke in Tallinn. “Buying together is faster,” she said.")
    (q,) = r.quotes
    tamm = next(e for e in r.entities if e.name == "Maarja Tamm")
    assert (q.source_kind, q.speaker_entity) == ("named_person", tamm.id)


# (content start, source kind, speaker) of the seed's 16 quoted passages, in order
SEED_QUOTED = [
    ("President Recep Tayyip Erdogan brought up", "media_outlet", "Bloomberg"),
    ("Ankara hopes that this step", "anonymous_person", "a Turkish official"),
    ("is approaching a withdrawal from S-400,", "named_person", "Tomバーク"),
    ("finally resolved within four to six months.", "named_person", "Tomバーク"),
    ("If Turkey is serious", "anonymous_person", "a defense analyst at the Center"),
    ("The U.S. can’t afford", "anonymous_person", "a defense analyst at the Center"),
    ("Russia has used the S-400", "anonymous_person", "a former Russian diplomat"),
    ("Its removal from Turkey", "anonymous_person", "a former Russian diplomat"),
    ("Trump understands", "anonymous_person", "a Trump campaign advisor"),
    ("His focus on domestic policy", "anonymous_person", "a Trump campaign advisor"),
    ("Russia’s actions are not driven", "anonymous_person", "a senior Russian official"),
    ("We have repeatedly called", "anonymous_person", "a senior Russian official"),
    ("Turkey will need to find", "anonymous_person", "a Turkish defense expert"),
    ("The U.S. has offered", "anonymous_person", "a Turkish defense expert"),
    ("This is a moment of reckoning", "anonymous_person", "a European diplomat"),
    ("Its choices will not only", "anonymous_person", "a European diplomat"),
]


@pytest.mark.model
def test_seed_quotes_speakers_sources_and_flags(seed_text: str) -> None:
    r = newsgraph.analyze(seed_text, published="2025-12-19")
    marked = [q for q in r.quotes if q.kind in ("direct", "mixed")]
    assert len(marked) == 16
    for q, (start, kind, speaker) in zip(marked, SEED_QUOTED, strict=True):
        assert q.content.text.startswith(start), q.content.text
        # the exact passage between the marks, punctuation inside them kept
        assert seed_text[q.content.start - 1] == "‘" and seed_text[q.content.end] == "’"
        assert q.source_kind == kind, (start, q.source_kind)
        assert q.speaker is not None and speaker in q.speaker.text, (start, q.speaker)
    assert [q.kind for q in marked[2:4]] == ["mixed", "mixed"]
    barrack = next(e for e in r.entities if e.name == "Tom Barrack")
    assert marked[2].speaker_entity == barrack.id
    # "U.S. Ambassador to Turkey": whom he speaks for, not where he is posted
    united_states = next(e for e in r.entities if e.name == "United States")
    assert marked[2].source["affiliation"] == united_states.id
    assert marked[6].source == {
        "role": "diplomat",
        "former": True,
        "affiliation": next(e.id for e in r.entities if e.name == "Russian"),
        "stance": "neutral",
    }
    assert marked[0].source["citing"]["source_kind"] == "anonymous_group"
    analysts = [q for q in r.quotes if q.speaker is not None and q.speaker.text == "analysts"]
    assert [(q.kind, q.source_kind) for q in analysts] == [("indirect", "anonymous_group")]
    codes = {f.code for f in r.flags}
    assert {"UNNAMED_SOURCES_MAJORITY", "VAGUE_GROUP_SOURCE", "UNNAMED_SOURCE_OPINION"} <= codes
    assert r.sourcing["unnamed_share"] > 0.5


@pytest.mark.model
@pytest.mark.shared
def test_no_crash_on_any_development_text() -> None:
    # Every set under ../shared/data, a spread of 40 texts from each (every n-th line),
    # so the test stays minutes-bounded as sets are added.
    data = shared_path("data")
    texts = []
    for path in sorted(data.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            lines = handle.readlines()
        for line in lines[:: max(1, len(lines) // 40)]:
            record = json.loads(line)
            text = record.get("text") or record.get("sentence")
            if isinstance(text, str) and text.strip():
                texts.append(text)
    reports = list(newsgraph.analyze_many(texts))
    assert len(reports) == len(texts)
    assert all(not r.span_problems() for r in reports)


def test_a_quote_running_over_paragraphs_is_found_in_each() -> None:
    text = "He said: “We will fight on.\n\n“We will never surrender,” he added."
    got = [text[s:e] for _, s, e, _ in find_quote_marks(text)]
    assert got == ["We will fight on.", "We will never surrender,"]


@pytest.mark.model
def test_colon_and_dash_attributions_without_a_verb() -> None:
    r = analyze(
        "Talks resumed on Monday.\nErdogan: “We will not give up the systems without "
        "guarantees.”\n“The deal is dead, and everyone knows it.” — a senior Russian official\n"
    )
    got = [(q.speaker.text if q.speaker else None, q.source_kind, q.cue) for q in r.quotes]
    assert got == [
        ("Erdogan", "named_person", None),
        ("a senior Russian official", "anonymous_person", None),
    ]


# ---- speakers on political news -------------------------------------------------------
@pytest.mark.model
def test_a_relative_pronoun_speaker_stands_for_the_named_head_of_its_apposition() -> None:
    r = newsgraph.analyze(
        "Charles O'Reilly, a management expert at Stanford University, who stated that the "
        "merger would fail, was not surprised.",
        published="2025-12-19",
    )
    (quote,) = r.quotes
    # the speaker as written runs from the name to "who"; the source is the person
    assert quote.speaker is not None
    assert quote.speaker.text == (
        "Charles O'Reilly, a management expert at Stanford University, who"
    )
    assert quote.source_kind == "named_person"


@pytest.mark.model
def test_a_definite_role_is_the_person_named_with_it_before() -> None:
    r = newsgraph.analyze(
        "The Minister for Central Asia, Tobias Ellwood, visited Kabul on Monday. "
        "The Minister said the talks had been useful.",
        published="2025-12-19",
    )
    (quote,) = r.quotes
    ellwood = next(e for e in r.entities if e.name == "Tobias Ellwood")
    assert (quote.source_kind, quote.speaker_entity) == ("named_person", ellwood.id)
    assert quote.source["resolved_from"] == "The Minister"


@pytest.mark.model
def test_an_indefinite_role_stays_anonymous() -> None:
    r = newsgraph.analyze(
        "The Minister for Central Asia, Tobias Ellwood, visited Kabul on Monday. "
        "A minister said the talks had been useful.",
        published="2025-12-19",
    )
    (quote,) = r.quotes
    assert (quote.source_kind, quote.speaker_entity) == ("anonymous_person", None)


@pytest.mark.model
def test_unnamed_sources_majority_needs_anonymous_sources_to_carry_the_article() -> None:
    named = (
        "Defence Minister Yasar Guler said on Monday that the talks with Washington had "
        "made real progress and that a deal could be signed before the end of the year. "
        "Foreign Minister Hakan Fidan said Ankara expected the sanctions to be lifted soon "
        "after the systems left the country. "
    )
    one_source = named + "A Turkish official said the talks would resume next week."
    codes = {f.code for f in newsgraph.analyze(one_source, published="2025-12-19").flags}
    assert "UNNAMED_SOURCES_MAJORITY" not in codes
    carried = (
        "A senior Turkish official said the talks with Washington had made real progress and "
        "that a deal could be signed before the end of the year, when the systems would "
        "leave the country for good. Two diplomats familiar with the talks said Ankara "
        "expected the sanctions to be lifted soon after the systems left the country, and "
        "that the F-35 program would follow. Defence Minister Yasar Guler said the talks "
        "were going well."
    )
    flags = [f for f in newsgraph.analyze(carried, published="2025-12-19").flags]
    (flag,) = [f for f in flags if f.code == "UNNAMED_SOURCES_MAJORITY"]
    assert {e.text for e in flag.evidence} == {
        "A senior Turkish official",
        "Two diplomats familiar with the talks",
    }


# ---- attributions beyond "said" -------------------------------------------------------
@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "speaker", "content", "attribution"),
    [
        (
            "Most economists believe that the tax plan would raise the deficit.",
            "Most economists",
            "the tax plan would raise the deficit",
            "belief",
        ),
        (
            "Clinton wants voters to know that she is with them.",
            "Clinton",
            "voters to know that she is with them",
            "intention",
        ),
        (
            "The senator plans to introduce the bill next week.",
            "The senator",
            "to introduce the bill next week",
            "intention",
        ),
        (
            "A new poll shows that Trump leads in Ohio by five points.",
            "A new poll",
            "Trump leads in Ohio by five points",
            "finding",
        ),
    ],
)
def test_beliefs_intentions_and_findings_are_attributed(
    text: str, speaker: str, content: str, attribution: str
) -> None:
    (quote,) = newsgraph.analyze(text, published="2025-12-19").quotes
    assert quote.speaker is not None and quote.speaker.text == speaker
    assert (quote.kind, quote.content.text) == ("indirect", content)
    assert quote.source["attribution"] == attribution


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Apple plans to sell movies on iTunes.",  # a company's plan: the writer's statement
        "iCloud was intended to launch in the fall.",  # a passive names no one
        "He showed videos of the rally to reporters.",  # a person shows things
        "The study showed how many voters stayed home.",  # a question, not a finding
        "The senator continued to fight the bill for weeks.",  # "continue" is no cue here
    ],
)
def test_plans_of_things_questions_and_continuing_are_not_attributions(text: str) -> None:
    assert newsgraph.analyze(text, published="2025-12-19").quotes == []


@pytest.mark.model
def test_a_quote_opening_a_paragraph_continues_the_last_speaker() -> None:
    text = (
        'Trump shot back in a statement, saying he has "made a lot of money in down '
        'markets."\n\n"Frankly, this is the kind of thinking our country needs, '
        'understanding how to get a good result," he continued.\n\n'
        '"It is the same thinking that built the company."\n\nThe markets fell on Monday.'
    )
    _first, second, third = newsgraph.analyze(text, published="2025-12-19").quotes
    assert second.cue is not None and second.cue.text == "continued"
    assert third.speaker is not None and third.speaker.text == "he"
    assert third.source["continues"] == second.id


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("Some chanted “USA! USA!” as they celebrated.", "chanted", "USA! USA!"),
        ("“This is fantastic!” beamed Donald Hartley of Madison.", "beamed", "This is fantastic!"),
        ("One sign read “Hispanics 4 Trump” at the rally.", "read", "Hispanics 4 Trump"),
    ],
)
def test_short_quotations_of_shouts_and_signs_are_quotes(text: str, cue: str, content: str) -> None:
    (quote,) = newsgraph.analyze(text, published="2025-12-19").quotes
    assert quote.cue is not None and quote.cue.text == cue
    assert quote.content.text == content


def test_a_mark_after_a_comma_with_no_space_opens_a_quote() -> None:
    text = "Ryan said,“Look, they have got no place in a campaign.” Then he left."
    assert [text[s:e] for _, s, e, _ in find_quote_marks(text)] == [
        "Look, they have got no place in a campaign."
    ]


@pytest.mark.model
def test_a_paraphrase_with_one_short_quoted_passage_is_the_mixed_quote() -> None:
    text = "Jobs said that Mac OS X has had “a secret double life” for five years."
    (quote,) = newsgraph.analyze(text, published="2025-12-19").quotes
    assert quote.kind == "mixed"
    assert quote.content.text == "Mac OS X has had “a secret double life” for five years"
    assert quote.speaker is not None and quote.speaker.text == "Jobs"


@pytest.mark.model
def test_a_participle_cue_speaks_for_the_noun_it_modifies() -> None:
    text = "In response to critics saying that Apple had not addressed the problem, Jobs smiled."
    (quote,) = newsgraph.analyze(text, published="2025-12-19").quotes
    assert quote.speaker is not None and quote.speaker.text == "critics"
    assert quote.content.text == "Apple had not addressed the problem"


@pytest.mark.model
def test_transcript_turns_are_their_speakers_words() -> None:
    text = (
        "Vice presidential candidate Mike Pence defended Trump on Sunday.\n\n"
        "PENCE: Well, look, Hillary Clinton apparently thinks this is an episode of a show.\n\n"
        "WALLACE: But the question is whether he will apologise to the voters tonight.\n\n"
        "UPDATE: This story has been updated with the full exchange.\n"
    )
    r = newsgraph.analyze(text, published="2025-12-19")
    pence = next(e for e in r.entities if e.name == "Mike Pence")
    first, second = r.quotes
    assert (first.speaker_entity, first.source_kind) == (pence.id, "named_person")
    assert first.content.text.startswith("Well, look, Hillary Clinton")
    assert second.speaker is not None and second.speaker.text == "WALLACE"


@pytest.mark.model
def test_one_capitalised_label_is_a_heading_not_a_transcript() -> None:
    text = "WASHINGTON: The Senate passed the spending bill late on Friday night after a debate."
    assert newsgraph.analyze(text, published="2025-12-19").quotes == []


@pytest.mark.model
def test_according_to_before_a_quotation_attributes_it() -> None:
    text = (
        "According to the ministry, “the drills will end on Friday and the troops will "
        "return to their bases.”"
    )
    (quote,) = newsgraph.analyze(text, published="2025-12-19").quotes
    assert quote.speaker is not None and quote.speaker.text == "the ministry"
    assert quote.cue is not None and quote.cue.text == "According to"


@pytest.mark.model
def test_a_noun_cue_with_a_that_clause_is_its_possessors_attribution() -> None:
    text = "Donald Trump spoke on Monday. Trump repeated his claim that the vote was rigged."
    r = newsgraph.analyze(text, published="2025-12-19")
    (quote,) = r.quotes
    trump = next(e for e in r.entities if e.name == "Donald Trump")
    assert quote.content.text == "the vote was rigged"
    assert quote.cue is not None and quote.cue.text == "claim"
    assert (quote.speaker_entity, quote.source["stance"]) == (trump.id, "loaded")
    assert newsgraph.analyze("The claim that the vote was rigged was denied.").quotes == []


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        (
            "“Not us but can’t argue with it!” Murphy, the head of Right to Rise USA, "
            "tweeted on Friday.",
            "Murphy",
            "tweeted",
        ),
        (
            "“We’ve had more successful conventions than this one,” Texas delegate Bill "
            "Eastland, wearing a cowboy hat and “Ted Cruz” campaign pins, said.",
            "Texas delegate Bill Eastland",
            "said",
        ),
        ("“Go back to Univision!” Trump barked at the reporter.", "Trump", "barked"),
    ],
)
def test_the_cue_after_a_quote_is_found_past_an_apposition(
    text: str, speaker: str, cue: str
) -> None:
    (quote,) = newsgraph.analyze(text, published="2025-12-19").quotes
    assert quote.speaker is not None and quote.speaker.text == speaker
    assert quote.cue is not None and quote.cue.text == cue


@pytest.mark.model
def test_a_participle_after_a_comma_speaks_for_the_clause_subject() -> None:
    text = (
        "Mr. Trump made a third attempt to deflect the criticism, writing on Twitter that "
        "the real issue at stake in the election was terrorism."
    )
    (quote,) = newsgraph.analyze(text, published="2025-12-19").quotes
    assert quote.speaker is not None and quote.speaker.text == "Mr. Trump"


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "The plan, he said, was a failure from the start.",
            "he",
            "The plan, he said, was a failure from the start",
        ),
        (
            "The first step, the senator's allies say, will be to help them keep their seats.",
            "the senator's allies",
            "The first step, the senator's allies say, will be to help them keep their seats",
        ),
    ],
)
def test_a_parenthetical_attribution_reports_its_clause(
    text: str, speaker: str, content: str
) -> None:
    (quote,) = newsgraph.analyze(text, published="2025-12-19").quotes
    assert quote.speaker is not None and quote.speaker.text == speaker
    assert (quote.kind, quote.content.text) == ("indirect", content)
    assert quote.origin.endswith("parenthetical")


@pytest.mark.model
def test_a_headline_lead_names_the_source_of_its_statement() -> None:
    text = (
        "Lindsey Graham: Trump’s rhetoric is destroying the party’s chance to win.\n\n"
        "Senator Lindsey Graham spoke in Columbia on Tuesday about the campaign.\n\n"
        "Poll: Sanders leads Clinton for the first time nationally.\n\n"
        "WASHINGTON: The Senate passed the spending bill late on Friday night.\n\n"
        "Trump’s message: the country is losing and he alone can win again.\n"
    )
    r = newsgraph.analyze(text, published="2016-02-19")
    graham = next(e for e in r.entities if e.name == "Lindsey Graham")
    first, second = r.quotes  # a place and an owner's noun name no source
    assert first.content.text.startswith("Trump’s rhetoric is destroying")
    assert (first.speaker_entity, first.source_kind) == (graham.id, "named_person")
    assert first.cue is not None and first.cue.text == ":"
    assert second.speaker is not None and second.speaker.text == "Poll"
    assert second.source_kind == "document"


@pytest.mark.model
def test_an_embedded_post_is_its_signers_words() -> None:
    text = (
        "Reporters at the rally posted pictures of the hats.\n\n"
        "Why isn't Pence wearing one of the hats at the rally today? — Ben Jacobs "
        "(@Bencjacobs) September 1, 2016\n"
    )
    (quote,) = newsgraph.analyze(text, published="2016-09-02").quotes
    assert quote.kind == "direct"
    assert quote.content.text == "Why isn't Pence wearing one of the hats at the rally today?"
    assert quote.speaker is not None and quote.speaker.text == "Ben Jacobs"
    assert quote.cue is not None and quote.cue.text == "—"


@pytest.mark.model
def test_the_speaker_is_the_nearer_subject_and_never_runs_over_a_paragraph() -> None:
    text = (
        "The Latest on the campaign.\n\n6:50 p.m.\n\nWith her husband, former President "
        "Bill Clinton, standing by her side, Hillary Clinton has told her supporters that "
        "“we’re in this together and we will win.”\n"
    )
    (quote,) = newsgraph.analyze(text, published="2016-06-08").quotes
    assert quote.speaker is not None and quote.speaker.text == "Hillary Clinton"


@pytest.mark.model
def test_a_sentence_ending_in_a_colon_announces_the_quotation_after_it() -> None:
    text = (
        "When Wallace died in 1998, President Clinton released the following statement:\n\n"
        "“Hillary and I offer our condolences to the family and friends of George Wallace.”\n"
    )
    (quote,) = newsgraph.analyze(text, published="1998-09-14").quotes
    assert quote.speaker is not None and quote.speaker.text == "President Clinton"
    assert quote.cue is not None and quote.cue.text == "released"


@pytest.mark.model
def test_a_headline_takes_in_the_quotation_marks_of_its_statement() -> None:
    text = "Issa: Hillary Clinton’s ‘Honesty Is In Question’ After The Report.\n\nIssa spoke."
    r = newsgraph.analyze(text, published="2016-03-08")
    (quote,) = r.quotes
    assert quote.kind == "mixed"
    assert quote.content.text.startswith("Hillary Clinton’s ‘Honesty")
    assert quote.speaker is not None and quote.speaker.text == "Issa"
