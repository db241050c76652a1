"""The packaged knowledge base covers what the issue promises, and its facts hold."""

from __future__ import annotations

import pytest

from newsgraph.kb import KnowledgeBase, get_kb

G20 = [
    "ARG",
    "AUS",
    "BRA",
    "CAN",
    "CHN",
    "FRA",
    "DEU",
    "IND",
    "IDN",
    "ITA",
    "JPN",
    "KOR",
    "MEX",
    "RUS",
    "SAU",
    "ZAF",
    "TUR",
    "GBR",
    "USA",
]
NATO = [
    "ALB",
    "BEL",
    "BGR",
    "CAN",
    "HRV",
    "CZE",
    "DNK",
    "EST",
    "FIN",
    "FRA",
    "DEU",
    "GRC",
    "HUN",
    "ISL",
    "ITA",
    "LVA",
    "LTU",
    "LUX",
    "MNE",
    "NLD",
    "MKD",
    "NOR",
    "POL",
    "PRT",
    "ROU",
    "SVK",
    "SVN",
    "ESP",
    "SWE",
    "TUR",
    "GBR",
    "USA",
]
IGOS = [
    "NATO",
    "EU",
    "UN",
    "BRICS",
    "SCO",
    "CSTO",
    "OPEC",
    "G7",
    "G20",
    "ASEAN",
    "AU",
    "ARAB_LEAGUE",
    "OSCE",
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return get_kb()


def test_every_table_has_an_as_of_date(kb: KnowledgeBase) -> None:
    for name in ("states", "igos", "igo_members", "military_systems", "media", "think_tanks"):
        assert name in kb.as_of
    assert any(k.startswith("offices/") for k in kb.as_of)


def test_sizes_meet_the_promise(kb: KnowledgeBase) -> None:
    counts = kb.counts()
    assert counts["COUNTRY"] >= 195
    assert counts["MILITARY_SYSTEM"] >= 150
    assert counts["MEDIA"] >= 150
    think_tanks = [e for e in kb.entities.values() if e.id.startswith("org:")]
    assert len(think_tanks) >= 60


def test_states_have_codes_demonyms_and_seats_of_power(kb: KnowledgeBase) -> None:
    turkey = kb.state("TUR")
    assert turkey is not None and turkey.attrs["iso2"] == "TR"
    assert "Turkish" in turkey.attrs["demonyms"]
    assert [e.name for e in kb.lookup("Türkiye")] == ["Turkey"]
    for seat, iso3 in [
        ("Kremlin", "RUS"),
        ("White House", "USA"),
        ("Pentagon", "USA"),
        ("Ankara", "TUR"),
        ("Beijing", "CHN"),
    ]:
        assert any(e.attrs.get("iso3") == iso3 for e in kb.lookup(seat)), seat
    assert any(e.type == "IGO" and e.attrs["code"] == "EU" for e in kb.lookup("Brussels"))


def test_igos_and_memberships_by_date(kb: KnowledgeBase) -> None:
    for code in IGOS:
        assert kb.igo(code) is not None, code
        assert kb.members(code), code
    assert "FIN" not in kb.members("NATO", on="2023-01-01")
    assert "FIN" in kb.members("NATO", on="2023-06-01")
    assert "GBR" in kb.members("EU", on="2019-01-01")
    assert "GBR" not in kb.members("EU", on="2021-01-01")


def test_heads_of_g20_and_nato_states_since_2000(kb: KnowledgeBase) -> None:
    for iso3 in sorted(set(G20 + NATO)):
        for day in ("2000-06-01", "2012-06-01", "2025-05-01"):
            held = kb.holder(f"{iso3}.head_of_state", day) or kb.holder(
                f"{iso3}.head_of_government", day
            )
            assert held is not None, (iso3, day)


def test_known_facts(kb: KnowledgeBase) -> None:
    def who(office: str, day: str) -> str:
        term = kb.holder(office, day)
        assert term is not None, (office, day)
        person = kb.get(term.person_id)
        assert person is not None
        return person.name

    assert who("TUR.head_of_state", "2025-12-19") == "Recep Tayyip Erdogan"
    assert who("USA.head_of_state", "2024-09-15") == "Joe Biden"
    assert who("USA.head_of_state", "2025-12-19") == "Donald Trump"
    assert who("RUS.head_of_state", "2010-01-01") == "Dmitry Medvedev"
    assert who("NATO.secretary_general", "2020-01-01") == "Jens Stoltenberg"
    assert who("UN.secretary_general", "2020-01-01") == "António Guterres" or who(
        "UN.secretary_general", "2020-01-01"
    ).startswith("Ant")
    assert who("USA.ambassador.TUR", "2025-12-19") == "Tom Barrack"
    assert who("RUS.foreign_minister", "2020-01-01") == "Sergey Lavrov" or "Lavrov" in who(
        "RUS.foreign_minister", "2020-01-01"
    )
    assert [t.office for t in kb.roles("Recep Tayyip Erdogan", on="2010-01-01")] == [
        "TUR.head_of_government"
    ]


def test_current_leaders_of_every_state(kb: KnowledgeBase) -> None:
    missing = [
        e.attrs["iso3"]
        for e in kb.entities.values()
        if e.type == "COUNTRY"
        and kb.holder(f"{e.attrs['iso3']}.head_of_state") is None
        and kb.holder(f"{e.attrs['iso3']}.head_of_government") is None
    ]
    assert missing == []


def test_systems_programs_outlets_and_research_bodies(kb: KnowledgeBase) -> None:
    assert [e.type for e in kb.lookup("SA-21 Growler")] == ["MILITARY_SYSTEM"]
    assert kb.lookup("S-400")[0].attrs["origin"] == "RUS"
    assert [e.type for e in kb.lookup("F-35 program")] == ["PROGRAM"]
    for name in ("Bayraktar TB2", "HIMARS", "Iron Dome", "Patriot"):
        assert kb.lookup(name)[0].type == "MILITARY_SYSTEM", name
    for name in (
        "Reuters",
        "AP",
        "AFP",
        "TASS",
        "RIA Novosti",
        "Anadolu Agency",
        "Xinhua",
        "Al Jazeera",
        "Bloomberg",
    ):
        assert kb.lookup(name)[0].type == "MEDIA", name
    for name in ("CSIS", "RAND", "Brookings", "Chatham House", "IISS", "SIPRI"):
        assert kb.lookup(name)[0].type == "ORGANIZATION", name
