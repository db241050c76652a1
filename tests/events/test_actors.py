"""Event actors: states for demonyms, sectors from agent nouns, pronouns and pairs
resolved, places never acting; the derived agents table is what its script makes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import newsgraph
from conftest import ROOT, shared_path
from newsgraph.events.actors import agent_sector, agents
from newsgraph.events.lexicon import sectors
from newsgraph.report import Entity, Event, Report

DAY = "2025-12-19"


def analyzed(text: str) -> tuple[Report, dict[str, Entity]]:
    report = newsgraph.analyze(text, published=DAY)
    assert report.span_problems() == []
    return report, {e.id: e for e in report.entities}


def one(report: Report, kind: str) -> Event:
    (event,) = [e for e in report.events if e.type == kind]
    return event


def builder() -> ModuleType:
    path = ROOT / "scripts" / "build_event_agents.py"
    spec = importlib.util.spec_from_file_location("build_event_agents", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- the tables
def test_agent_phrases_come_from_the_derived_table_and_the_hand_table_wins() -> None:
    assert agent_sector("riot police") == "COP"
    assert agent_sector("Defense  Ministry") == "GOVMIL"  # any case, any spacing
    assert agent_sector("fishermen") == "AGR"
    # both name it: the hand-written sectors.tsv wins (Phoenix says MED)
    assert agent_sector("spokesman") == sectors()["spokesman"] == "GOV"
    assert all(agents()[word] == sector for word, sector in sectors().items())


def test_the_agents_dictionary_format_is_read_as_petrarch2_defines_it() -> None:
    parsed = builder().parse(
        "# a comment\n"
        "!PERSON! = MAN, MEN\n"
        "!MINIST! = MINISTER, MINISTRY\n"
        "RIOT_POLICE {} [~COP] # no plural\n"
        "GUNRUNNER [~CRM]\n"
        "ATTORNEY [~JUD]\n"
        "THIEF {THIEVES} [~CRM]\n"
        "POLICE!PERSON! [~COP]\n"
        "DEFENSE_MINIST [~GOVMIL]\n"
        "TRUCE_MONITOR [IGO~]\n"
        "NO_CODE_HERE\n"
    )
    assert parsed.rows == {
        "riot police": "COP",
        "gunrunner": "CRM",
        "gunrunners": "CRM",
        "attorney": "JUD",
        "attorneys": "JUD",
        "thief": "CRM",
        "thieves": "CRM",
        "policeman": "COP",
        "policemen": "COP",
        "defense minister": "GOVMIL",
        "defense ministry": "GOVMIL",
    }
    assert len(parsed.skipped) == 2  # an IGO prefix code and a line without a code


@pytest.mark.shared
def test_the_shipped_agents_table_is_what_the_script_makes() -> None:
    source = shared_path("data", "event-dictionaries", "Phoenix.agents.txt")
    shipped = Path(newsgraph.__file__).parent / "events" / "data" / "agents.tsv"
    assert shipped.read_text(encoding="utf-8") == builder().build(source)


# ---------------------------------------------------------------- the pipeline
@pytest.mark.model
def test_a_demonym_acts_for_its_state_where_the_article_names_the_state() -> None:
    report, by_id = analyzed(
        "Peru and Bolivia share a long border. Peruvian officials accused Bolivia of "
        "smuggling on Tuesday."
    )
    peru = next(e for e in report.entities if e.type == "COUNTRY" and e.name == "Peru")
    event = one(report, "ACCUSE")
    source = by_id[event.source or ""]
    # the actor's own words ("Peruvian officials"): their entity, with the state's kb id
    # and name
    assert [m.text for m in source.mentions] == ["Peruvian"]
    assert (source.name, source.kb_id, source.attrs["demonym"]) == ("Peru", peru.kb_id, "Peruvian")
    assert (event.source_code, event.target_code) == ("PERGOV", "BOL")
    # a demonym that gives the origin of a thing stands for the state itself
    report, by_id = analyzed(
        "Bolivia is a neighbour of Peru. Peru has rejected an offer of Bolivian gas."
    )
    event = one(report, "REJECT")
    target = by_id[event.target or ""]
    assert (target.type, target.name, event.target_code) == ("COUNTRY", "Bolivia", "BOL")


@pytest.mark.model
def test_a_demonym_whose_state_is_not_named_shows_the_state() -> None:
    report, by_id = analyzed("Peruvian police arrested three Chilean fishermen on Friday.")
    event = report.events[0]
    source, target = by_id[event.source or ""], by_id[event.target or ""]
    assert (source.name, source.attrs["demonym"]) == ("Peru", "Peruvian")
    assert source.kb_id == "Q419" and target.name == "Chile"
    assert (event.source_code, event.target_code) == ("PERCOP", "CHLAGR")


@pytest.mark.model
def test_agent_nouns_and_titles_give_sectors() -> None:
    report, _ = analyzed("The Kenyan defence ministry accused Somalia of sheltering militants.")
    assert one(report, "ACCUSE").source_code == "KENGOVMIL"
    report, _ = analyzed("A Turkish defense expert accused Greece of provocation.")
    assert one(report, "ACCUSE").source_code == "TUREDU"
    # a person the knowledge base does not know: the state and office before the name
    report, _ = analyzed("Malian Defence Minister Amadou Keita accused France of spying.")
    assert one(report, "ACCUSE").source_code == "MLIGOVMIL"


@pytest.mark.model
def test_groups_the_knowledge_base_knows_are_coded_by_their_kind() -> None:
    # an armed group (kb kind armed_group: "armed group", UAF) with its home country
    report, _ = analyzed("Hezbollah fired rockets at northern Israel on Monday.")
    assert next((e.source_code, e.target_code) for e in report.events) == ("LBNUAF", "ISR")


@pytest.mark.model
def test_a_subject_pronoun_continues_the_subject_before() -> None:
    report, _ = analyzed(
        "Vietnam bought rice from Thailand last year. It now accuses Thailand of raising prices."
    )
    assert (one(report, "ACCUSE").source_code, one(report, "ACCUSE").target_code) == (
        "VNM",
        "THA",
    )


@pytest.mark.model
def test_the_two_countries_are_the_two_states_named_before() -> None:
    report, _ = analyzed(
        "Ghana and Togo signed a border treaty in Lome on Monday. The two countries "
        "agreed to reopen the crossing."
    )
    event = one(report, "AGREE")
    assert (event.source_code, event.target_code) == ("GHA", "TGO")


@pytest.mark.model
def test_they_after_two_actors_named_together_is_the_pair() -> None:
    report, _ = analyzed(
        "Chile and Argentina signed a fishing accord in May. They later agreed to extend it."
    )
    event = one(report, "AGREE")
    assert (event.source_code, event.target_code) == ("CHL", "ARG")


@pytest.mark.model
def test_an_ethnic_people_is_no_state() -> None:
    report, by_id = analyzed("Serb forces killed three ethnic Albanians in Kosovo.")
    event = one(report, "ASSAULT")
    assert event.source_code == "SRBMIL" and event.target_code is None
    assert by_id[event.target or ""].name == "Albanians"


@pytest.mark.model
def test_the_two_leaders_are_the_two_people_named_before() -> None:
    report, by_id = analyzed(
        "Recep Tayyip Erdogan spoke with Emmanuel Macron by telephone on Monday. "
        "The two leaders agreed to expand trade."
    )
    event = one(report, "AGREE")
    assert by_id[event.target or ""].name == "Emmanuel Macron"
    assert (event.source_code, event.target_code) == ("TURGOV", "FRAGOV")


@pytest.mark.model
def test_a_place_never_acts() -> None:
    report, by_id = analyzed("Near Tikrit, Iraqi soldiers clashed with militants on Sunday.")
    assert [e.source_code for e in report.events] == ["IRQMIL"]
    for event in report.events:
        for side in (event.source, event.target):
            entity = by_id.get(side or "")
            assert entity is None or "Tikrit" not in entity.name
    # a place is at most what is acted on ("shelled the villages around Kobani")
    report, by_id = analyzed("In Aleppo, government troops shelled rebel positions on Friday.")
    for event in report.events:
        source = by_id.get(event.source or "")
        assert source is None or source.type != "LOCATION"


@pytest.mark.model
@pytest.mark.shared
def test_the_seed_offer_is_us_to_turkey_and_no_actor_is_a_word_or_place(
    seed_text: str,
) -> None:
    report = newsgraph.analyze(seed_text, published=DAY)
    by_id = {e.id: e for e in report.entities}
    (offer,) = [e for e in report.events if e.object and "Patriot" in e.object.text]
    assert offer.type in ("AID", "COOPERATE")
    assert (offer.source_code, offer.target_code) == ("USA", "TUR")
    assert by_id[offer.target or ""].type == "COUNTRY"
    for event in report.events:
        for side in (event.source, event.target):
            entity = by_id.get(side or "")
            # every state is named in the seed: no actor is a demonym, none a place
            assert entity is None or entity.type not in ("NORP", "LOCATION"), event


# ------------------------------------------------- actors the knowledge base does not know
def code_of(report: Report, by_id: dict[str, Entity], name: str) -> str | None:
    """The code an event gives the entity called ``name`` (as source or target)."""
    for event in report.events:
        for side, code in ((event.source, event.source_code), (event.target, event.target_code)):
            if side is not None and by_id[side].name == name:
                return code
    raise AssertionError(f"{name} acts in no event")


def test_a_persons_state_and_office_come_from_any_of_its_mentions() -> None:
    report, by_id = analyzed(
        "Vermont Sen. Bernie Sanders spoke in Iowa on Monday. "
        "Later, Sanders criticized the bank. "
        "Joe Manchin, a Democrat from West Virginia, criticized the bill. "
        "Sen. Tim Kaine of Virginia met the governor."
    )
    # "Vermont Sen." stands in the first mention only; the event names "Sanders"
    assert code_of(report, by_id, "Bernie Sanders") == "USALEG"
    # an apposition and a "of" phrase after the name
    assert code_of(report, by_id, "Joe Manchin") == "USA"
    assert code_of(report, by_id, "Tim Kaine") == "USALEG"


def test_parties_and_their_members_are_coded_by_state() -> None:
    report, by_id = analyzed(
        "Republicans rejected the plan on Tuesday. The Tories criticized the vote."
    )
    assert code_of(report, by_id, "Republicans") == "USAPTY"
    assert code_of(report, by_id, "Tories") == "GBRPTY"


def test_the_field_dictionary_codes_people_and_bodies_on_the_day() -> None:
    text = "The FBI arrested a suspect. Hillary Clinton criticized Saddam Hussein."
    report, by_id = analyzed(text)
    assert code_of(report, by_id, "FBI") == "USACOP"
    assert code_of(report, by_id, "Saddam Hussein") == "IRQ"  # out of office by 2025
    # in 2011 Clinton was Secretary of State (USAGOV); in 2025 an elite (USAELI)
    assert code_of(report, by_id, "Hillary Clinton") == "USAELI"
    early = newsgraph.analyze(text, published="2011-06-01")
    early_ids = {e.id: e for e in early.entities}
    assert code_of(early, early_ids, "Hillary Clinton") == "USAGOV"
    assert code_of(early, early_ids, "Saddam Hussein") == "IRQ"


def test_an_unknown_person_of_a_domestic_story_is_of_its_home_state() -> None:
    # Michigan, Flint and the US all place the story in the United States: an official
    # nothing else codes is American, a body of the state by its word ("the House")
    report, by_id = analyzed(
        "Mayor Karen Weaver criticized Gov. Rick Snyder over the water crisis in Flint, "
        "Michigan. The House of Representatives urged the U.S. government to act."
    )
    assert code_of(report, by_id, "Karen Weaver") == "USAGOV"
    assert code_of(report, by_id, "House of Representatives") == "USALEG"
    # an international story with no dominant state: no guess
    report, by_id = analyzed(
        "Karen Weaver criticized Rick Snyder in Paris, a day after talks in Berlin, Moscow "
        "and Tokyo."
    )
    assert code_of(report, by_id, "Karen Weaver") is None


def test_a_person_attacking_a_person_attacks_with_words() -> None:
    report, _ = analyzed("Ted Cruz attacked Hillary Clinton on Tuesday over her emails.")
    (event,) = report.events
    assert (event.type, event.mode) == ("ACCUSE", "disapprove")
    report, _ = analyzed("A man attacked Salman Rushdie with a knife on Friday.")
    assert [e.type for e in report.events] == ["ASSAULT"]


@pytest.mark.model
def test_a_described_group_acts_with_its_words_and_a_code_of_the_home_state() -> None:
    report, entities = analyzed(
        "FLINT, Mich. — Police arrested dozens of protesters on Monday in Flint, Michigan. "
        "The protesters demanded the resignation of Gov. Rick Snyder. Flint is in Michigan."
    )
    arrest = one(report, "COERCE")
    # no entity stands for "Police" or "protesters": the event keeps their words
    assert (arrest.source, arrest.target) == (None, None)
    assert arrest.source_phrase is not None and arrest.source_phrase.text == "Police"
    assert arrest.target_phrase is not None and arrest.target_phrase.text == "protesters"
    assert (arrest.source_code, arrest.target_code) == ("USACOP", "USACVL")
    demand = one(report, "REQUEST")
    assert demand.target is not None and entities[demand.target].name == "Rick Snyder"
    assert demand.target_phrase is not None and demand.target_phrase.text == "Rick Snyder"
    assert demand.source_code == "USACVL"
    names = {e.id: e.name for e in report.entities}
    assert arrest.actor_name("source", names) == "Police"
    assert demand.actor_name("target", names) == "Rick Snyder"


@pytest.mark.model
def test_a_named_actor_wins_over_a_described_group_and_keeps_its_words() -> None:
    report, entities = analyzed("Israeli riot police clashed with Palestinian protesters.")
    clash = one(report, "ASSAULT")
    assert clash.source is not None and entities[clash.source].name == "Israel"
    assert clash.source_phrase is not None and clash.source_phrase.text == "Israeli riot police"
    assert clash.source_code == "ISRCOP"


@pytest.mark.model
def test_described_groups_alone_of_no_known_state_are_no_event() -> None:
    report, _ = analyzed("Twenty-eight people have been killed in riots this year.")
    assert report.events == []


@pytest.mark.model
def test_who_tells_a_clause_is_not_its_described_actor() -> None:
    report, _ = analyzed(
        "The ministers are expected to meet again in Helsinki in March to review the "
        "evaluation, two people familiar with the plans said."
    )
    assert all(
        e.source_phrase is None or "people" not in e.source_phrase.text for e in report.events
    )
