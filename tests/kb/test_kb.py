from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsgraph.kb import KBError, KnowledgeBase, get_kb
from newsgraph.kb.tsv import date_ceiling, date_floor

from .kbdata import TABLES, write_kb


def test_entities_aliases_and_types_load(kb_dir: Path) -> None:
    kb = KnowledgeBase.load(kb_dir)
    (turkey,) = kb.lookup("Türkiye")
    assert (turkey.name, turkey.type, turkey.kb_id) == ("Turkey", "COUNTRY", "Q43")
    assert kb.lookup("Turkish") == [turkey]
    assert [e.type for e in kb.lookup("S-400")] == ["MILITARY_SYSTEM"]
    assert [e.type for e in kb.lookup("F-35 programme")] == ["PROGRAM"]
    assert [e.type for e in kb.lookup("Bloomberg")] == ["MEDIA"]
    assert kb.lookup("bloomberg news")[0].name == "Bloomberg"  # case-insensitive fallback
    # an entity without a QID gets a stable internal id
    assert kb.lookup("S-400")[0].kb_id == "ngkb:system:s-400"


def test_roles_and_holder_follow_the_calendar(kb_dir: Path) -> None:
    kb = KnowledgeBase.load(kb_dir)
    assert [t.office for t in kb.roles("Erdogan", on="2010-05-01")] == ["TUR.head_of_government"]
    assert [t.office for t in kb.roles("Recep Tayyip Erdoğan", on="2025-12-19")] == [
        "TUR.head_of_state"
    ]
    assert kb.roles("Donald Trump", on="2024-09-15") == []  # between his two terms
    holder = kb.holder("USA.head_of_state", on="2024-09-15")
    assert holder is not None and kb.get(holder.person_id).name == "Joe Biden"  # type: ignore[union-attr]
    assert (
        kb.holder("USA.head_of_state", on=dt.date(2025, 12, 19)).person_id == "person:donald-trump"
    )  # type: ignore[union-attr]
    # the hand-over day belongs to the new holder
    assert kb.holder("USA.head_of_state", on="2025-01-20").person_id == "person:donald-trump"  # type: ignore[union-attr]
    # a month-precision start counts from the first of the month
    assert kb.holder("USA.ambassador.TUR", on="2025-05-01") is not None
    assert kb.holder("USA.ambassador.TUR", on="2025-04-30") is None
    # no date: the current holder
    assert kb.holder("TUR.head_of_state").person_id == "person:recep-tayyip-erdogan"  # type: ignore[union-attr]


def test_one_person_across_rows_is_one_entity(kb_dir: Path) -> None:
    kb = KnowledgeBase.load(kb_dir)
    people = [e for e in kb.entities.values() if e.name == "Donald Trump"]
    assert len(people) == 1
    assert len(kb.roles(people[0])) == 2
    assert "Trump" in kb.aliases and kb.aliases["Trump"][0].kind == "surname"


def test_memberships_by_date(kb_dir: Path) -> None:
    kb = KnowledgeBase.load(kb_dir)
    assert kb.members("NATO", on="1950-01-01") == ["USA"]
    assert kb.members("NATO", on="2025-01-01") == ["TUR", "USA"]
    assert kb.member_of("TUR") == ["NATO"]


def test_weapon_class_plurals_are_derived(kb_dir: Path) -> None:
    kb = KnowledgeBase.load(kb_dir)
    assert kb.classes["tanks"] == kb.classes["tank"]
    assert kb.classes["air defence systems"] == kb.classes["air defense system"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("states.tsv", "qid\tiso2\n", "as_of"),
        ("states.tsv", TABLES["states.tsv"].replace("\tTUR\t", "\tTURK\t"), "iso3"),
        ("igo_members.tsv", TABLES["igo_members.tsv"] + "NATO\tXXX\t2000\t\n", "unknown member"),
        (
            "offices/heads.tsv",
            TABLES["offices/heads.tsv"] + "TUR.head_of_state\tPresident\tX Y\t\t2020-13-01\t\t\n",
            "2020-13-01",
        ),
        (
            "offices/heads.tsv",
            TABLES["offices/heads.tsv"] + "TUR.head_of_state\tPresident\tX Y\t\t2021\t2020\t\n",
            "ends before",
        ),
        ("media.tsv", TABLES["media.tsv"] + "bloomberg\t\tDup\tnewspaper\tUSA\t\n", "duplicate"),
        ("media.tsv", TABLES["media.tsv"] + "x\tQ43\tX\tnewspaper\tUSA\t\n", "already used"),
        ("media.tsv", TABLES["media.tsv"] + "y\tQxyz\tY\tnewspaper\tUSA\t\n", "QID"),
        ("media.tsv", TABLES["media.tsv"] + "z\t\tZ\tnewspaper\n", None),  # short row is padded
    ],
)
def test_bad_tables_fail_loudly_with_file_and_line(
    tmp_path: Path, name: str, text: str, message: str | None
) -> None:
    root = write_kb(tmp_path / "kb", {**TABLES, name: text})
    if message is None:
        KnowledgeBase.load(root)
        return
    with pytest.raises(KBError, match=message):
        KnowledgeBase.load(root)


def test_partial_dates_widen_generously() -> None:
    assert date_floor("2024") == dt.date(2024, 1, 1)
    assert date_ceiling("2024") == dt.date(2024, 12, 31)
    assert date_ceiling("2024-02") == dt.date(2024, 2, 29)
    assert date_ceiling("2024-12") == dt.date(2024, 12, 31)


def test_the_packaged_kb_loads_and_is_cached() -> None:
    kb = get_kb()
    assert kb is get_kb()
    assert kb.entities  # the packaged tables are there and valid


@pytest.mark.parametrize(
    ("name", "family_first", "expected"),
    [
        ("Recep Tayyip Erdogan", False, ["Erdogan"]),
        ("Bashar al-Assad", False, ["al-Assad", "Assad"]),
        ("Charles III", False, []),
        ("Martin Luther King Jr.", False, ["King"]),
        ("Albert II (Belgium)", False, []),
        ("Xi Jinping", True, ["Xi"]),
    ],
)
def test_family_names(name: str, family_first: bool, expected: list[str]) -> None:
    from newsgraph.kb.base import family_names

    assert family_names(name, family_first=family_first) == expected
