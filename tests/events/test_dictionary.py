"""The dated actor dictionary: the shipped table (derived from the PETRARCH2 actor
dictionaries), lookups by name and day, and the script that reads the TABARI format."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

import newsgraph
from conftest import ROOT, shared_path
from newsgraph.events import dictionary
from newsgraph.events.dictionary import Term, actor_table, dictionary_code, normalise

SCRIPT = ROOT / "scripts" / "build_event_actors.py"


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_event_actors", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fresh_table() -> Iterator[None]:
    """For tests that replace what actor_table() reads: no cached table before or after."""
    actor_table.cache_clear()
    yield
    actor_table.cache_clear()


# ---------------------------------------------------------------- the shipped table
def test_the_shipped_table_loads_with_normalised_names_and_valid_terms() -> None:
    table = actor_table()
    assert len(table) > 20_000
    for name, terms in table.items():
        assert name == normalise(name), name
        assert terms
        for term in terms:
            assert term.code.isalnum() and term.code.isupper()
            assert term.start is None or term.end is None or term.start <= term.end
    # the knowledge base names states: the country sections are left out
    assert "afghanistan" not in table and "kabul" not in table


def test_hillary_clinton_is_coded_by_the_day_asked_about() -> None:
    # the source: [USAELI 650101-000101] [USAGOV 090121-130201] [USAELI]
    assert actor_table()["hillary clinton"] == (
        Term("USAELI", date(1965, 1, 1), date(2000, 1, 1)),
        Term("USAGOV", date(2009, 1, 21), date(2013, 2, 1)),
        Term("USAELI"),
    )
    assert dictionary_code(["Hillary Clinton"], date(2011, 6, 1)) == "USAGOV"
    assert dictionary_code(["Hillary Clinton"], date(2016, 6, 1)) == "USAELI"
    assert dictionary_code(["Hillary Clinton"], date(2013, 2, 1)) == "USAGOV"  # ends included
    assert dictionary_code(["Hillary Clinton"], date(2013, 2, 2)) == "USAELI"


def test_organisations_and_groups_get_their_codes() -> None:
    assert dictionary_code(["FBI"], None) == "USACOP"
    assert dictionary_code(["Federal Bureau of Investigation"], date(2016, 1, 1)) == "USACOP"
    assert dictionary_code(["UNICEF"], None) == "IGOUNOKID"
    assert (dictionary_code(["Hamas"], None) or "").startswith("PSEREB")
    assert dictionary_code(["U.N."], None) == "IGOUNO"
    # an abbreviation in parentheses is a name of its own
    assert dictionary_code(["CIRA"], None) == dictionary_code(
        ["Continuity Irish Republican Army"], None
    )


def test_the_undated_term_is_the_default_and_dated_only_names_need_a_day() -> None:
    assert dictionary_code(["Hillary Clinton"], None) == "USAELI"
    # Kofi Annan: [IGOUNO 970101-061231] [ELI]
    assert dictionary_code(["Kofi Annan"], date(2000, 1, 1)) == "IGOUNO"
    assert dictionary_code(["Kofi Annan"], date(2010, 1, 1)) == "ELI"
    # Barack Obama has dated terms only: [USAELI 780101-000101] [USAGOV >090120]
    assert dictionary_code(["Barack Obama"], date(2016, 6, 1)) == "USAGOV"
    assert dictionary_code(["Barack Obama"], None) is None
    # none holds in 2004 (between the two terms): the state of the last term that ended
    assert dictionary_code(["Barack Obama"], date(2004, 6, 1)) == "USA"


def test_unknown_names_give_none_and_the_next_name_is_tried() -> None:
    assert dictionary_code(["Nobody Anyone Knows"], date(2016, 1, 1)) is None
    assert dictionary_code([], None) is None
    assert dictionary_code(["Nobody Anyone Knows", "Hillary Clinton"], date(2011, 1, 1)) == (
        "USAGOV"
    )
    # a known name without a term for the day gives way to the next name
    assert dictionary_code(["Barack Obama", "FBI"], None) == "USACOP"


def test_names_are_normalised_before_the_lookup() -> None:
    assert normalise("  The   FBI's ") == "fbi"
    assert normalise("People’s Liberation Army") == "people's liberation army"
    assert dictionary_code(["the FBI's"], None) == "USACOP"
    assert dictionary_code(["HILLARY   clinton"], date(2016, 6, 1)) == "USAELI"


def test_a_dated_term_wins_over_the_default_and_the_latest_start_over_earlier_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terms = (
        Term("AAAELI"),
        Term("AAAGOV", date(2000, 1, 1), date(2010, 12, 31)),
        Term("AAAGOVMIL", date(2005, 1, 1), None),
        Term("AAAOPP", None, date(1999, 12, 31)),
    )
    monkeypatch.setattr(dictionary, "actor_table", lambda: {"someone": terms})
    assert dictionary_code(["Someone"], date(1990, 1, 1)) == "AAAOPP"
    assert dictionary_code(["Someone"], date(2002, 1, 1)) == "AAAGOV"
    assert dictionary_code(["Someone"], date(2007, 1, 1)) == "AAAGOVMIL"  # started last
    assert dictionary_code(["Someone"], date(2020, 1, 1)) == "AAAGOVMIL"
    assert dictionary_code(["Someone"], None) == "AAAELI"


@pytest.mark.usefixtures("fresh_table")
def test_a_bad_row_fails_at_load_time_with_the_row(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["someone", "USAGOV", "2009-01-21", "2013-02-31"]]
    monkeypatch.setattr(dictionary, "read_table", lambda *args: rows)
    with pytest.raises(ValueError, match="2013-02-31"):
        actor_table()
    actor_table.cache_clear()
    rows[0] = ["someone", "usagov", "", ""]
    with pytest.raises(ValueError, match="usagov"):
        actor_table()


# ---------------------------------------------------------------- the script
SAMPLE = """\
# A TABARI .actors sample
JOHN_DOE_  # codes on the lines after the synonyms
+MR._DOE_
+SECRETARY_DOE
\t[USAELI 650101-000101]
\t[USAGOV 090121-130201]
\t[---]
\t[USAELI]
JANE_ROE_
JANE_Q._ROE
# a comment does not end an entry
\t[GBRGOV >100511]
\t[GBRELI <19991231]
CONTINUITY_IRISH_REPUBLICAN_ARMY_(CIRA)_ [WEUREB] #  kkl 21 Mar 13

RED_BRIGADES_ [ITAREB]

+ITALIAN_RED_BRIGADE_
ACME_CORP_\t[MNCUSA]\tIndustrial Machinery\t$100,000
JOE_BLOGGS_\t[USAGOV 981022-010811] [IGOUNO  >070201]# ex-ambassador
NO_CODE_AT_ALL_

YOUTH_ [FRAREB]
RICHARD_"DICKIE"_BRADLEY_ [USAELI]
"""


def test_the_actors_format_is_read_as_documented(builder: ModuleType) -> None:
    parsed = builder.parse(SAMPLE, "sample")
    assert parsed.rows == [
        ("john doe", "USAELI", "1965-01-01", "2000-01-01"),
        ("john doe", "USAGOV", "2009-01-21", "2013-02-01"),
        ("john doe", "USAELI", "", ""),
        ("mr. doe", "USAELI", "1965-01-01", "2000-01-01"),
        ("mr. doe", "USAGOV", "2009-01-21", "2013-02-01"),
        ("mr. doe", "USAELI", "", ""),
        ("secretary doe", "USAELI", "1965-01-01", "2000-01-01"),
        ("secretary doe", "USAGOV", "2009-01-21", "2013-02-01"),
        ("secretary doe", "USAELI", "", ""),
        # an entry line without a code joins the next one
        ("jane roe", "GBRGOV", "2010-05-11", ""),
        ("jane roe", "GBRELI", "", "1999-12-31"),
        ("jane q. roe", "GBRGOV", "2010-05-11", ""),
        ("jane q. roe", "GBRELI", "", "1999-12-31"),
        ("continuity irish republican army", "WEUREB", "", ""),
        ("cira", "WEUREB", "", ""),
        # a synonym after a blank line still belongs to its entry
        ("red brigades", "ITAREB", "", ""),
        ("italian red brigade", "ITAREB", "", ""),
        ("acme corp", "MNCUSA", "", ""),
        ("joe bloggs", "USAGOV", "1998-10-22", "2001-08-11"),
        ("joe bloggs", "IGOUNO", "2007-02-01", ""),
        # an ordinary English word is left out; a quoted nickname is dropped
        ("richard bradley", "USAELI", "", ""),
    ]
    assert parsed.counts["[---] codes"] == 1
    assert parsed.counts["entries without a code"] == 1  # NO_CODE_AT_ALL_
    assert parsed.counts["short or ambiguous names"] == 1  # YOUTH_


def test_country_sections_are_left_out_of_the_countries_file(builder: ModuleType) -> None:
    text = "RURITANIA_  [RUR]\n+RURITANIAN_\n+STRELSAU_\n\nRUDOLF_V_\n\t[RURGOV >990101]\n"
    assert builder.parse(text, countries=True).rows == [("rudolf v", "RURGOV", "1999-01-01", "")]
    # elsewhere a bare three-letter code is an actor type (IGO, NGO, MNC) and is kept
    assert builder.parse("PACIFIC_COMMUNITY_\t[IGO]\n").rows == [
        ("pacific community", "IGO", "", "")
    ]


def test_dates_use_the_two_digit_pivot_and_the_documented_fixes(builder: ModuleType) -> None:
    assert builder.parse_date("300101") == date(2030, 1, 1)
    assert builder.parse_date("310101") == date(1931, 1, 1)
    assert builder.parse_date("19411207") == date(1941, 12, 7)
    term = builder.parse_term("GBRGOV >201005011")  # David Cameron, in the source
    assert (term.code, term.start, term.end) == ("GBRGOV", date(2010, 5, 11), None)
    lone = builder.parse_term("MNEGOV 20121204")  # a lone date: from then on
    assert (lone.start, lone.end) == (date(2012, 12, 4), None)
    spaced = builder.parse_term("EGYGOV > 140608")
    assert spaced.start == date(2014, 6, 8)
    assert builder.parse_term("---") is None
    for bad in ("USAGOV 2004017", "USAGOV 130231", "USAGOV 130101-120101"):
        with pytest.raises(ValueError):
            builder.parse_term(bad)


def test_parentheses_give_an_abbreviation_or_stay_words(builder: ModuleType) -> None:
    assert builder.names_of("ANIMAL_LIBERATION_FRONT_(ALF)_") == [
        "animal liberation front",
        "alf",
    ]
    assert builder.names_of("NATIONAL_LIBERATION_ARMY_(BOLIVIA)_") == [
        "national liberation army bolivia"
    ]
    assert builder.names_of("STANKO_TODOROV (ACTING_") == ["stanko todorov"]
    assert builder.names_of("THE_OBAMA_ADMINISTRATION") == ["obama administration"]
    # in the Countries file a short word in parentheses is a qualifier unless its letters
    # are the name's initials
    assert builder.names_of("VIRGIN_ISLANDS_(US)_") == ["virgin islands us"]
    assert builder.names_of("VIRGIN_ISLANDS_(US)_", organisations=True) == [
        "virgin islands",
        "us",
    ]


@pytest.mark.shared
def test_the_shipped_actors_table_is_what_the_script_makes(builder: ModuleType) -> None:
    directory = shared_path("data", "event-dictionaries")
    for name in builder.SOURCES:
        shared_path("data", "event-dictionaries", name)
    shipped = Path(newsgraph.__file__).parent / "events" / "data" / "actors.tsv"
    assert shipped.read_text(encoding="utf-8") == builder.build(directory)


def test_a_person_out_of_every_term_keeps_the_state_of_the_last() -> None:
    # Albright's terms all end in 2001 and she has no undated code: in 2016 she is coded
    # by her state alone, as the knowledge base codes a person out of office
    assert dictionary_code(["Madeleine Albright"], date(1998, 6, 1)) == "USAGOV"
    assert dictionary_code(["Madeleine Albright"], date(2016, 6, 1)) == "USA"
    assert dictionary_code(["Madeleine Albright"], None) is None
