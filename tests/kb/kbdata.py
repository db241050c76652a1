"""A small hand-built knowledge base for the KB tests."""

from __future__ import annotations

from pathlib import Path

TABLES = {
    "states.tsv": """# as_of: 2025-06-01
qid\tiso2\tiso3\tname\taliases\tdemonyms\tcapital\tmetonyms
Q43\tTR\tTUR\tTurkey\tTürkiye|Turkiye\tTurkish|Turk|Turks\tAnkara\tAnkara
Q30\tUS\tUSA\tUnited States\tU.S.|US|USA|America\tAmerican|Americans\tWashington, D.C.\tWashington|White House|Pentagon
Q159\tRU\tRUS\tRussia\tRussian Federation\tRussian|Russians\tMoscow\tMoscow|Kremlin
""",
    "igos.tsv": """# as_of: 2025-06-01
qid\tcode\tname\taliases\tkind\tseat\tmetonyms
Q7184\tNATO\tNATO\tNorth Atlantic Treaty Organization\talliance\tBrussels\t
""",
    "igo_members.tsv": """# as_of: 2025-06-01
igo\tmember\tstart\tend
NATO\tUSA\t1949-04-04\t
NATO\tTUR\t1952-02-18\t
""",
    "offices/heads.tsv": """# as_of: 2025-06-01
office\ttitle\tperson\tqid\tstart\tend\taliases
TUR.head_of_state\tPresident\tAbdullah Gul\t\t2007-08-28\t2014-08-28\tAbdullah Gül
TUR.head_of_state\tPresident\tRecep Tayyip Erdogan\tQ39259\t2014-08-28\t\tRecep Tayyip Erdoğan
TUR.head_of_government\tPrime Minister\tRecep Tayyip Erdogan\tQ39259\t2003-03-14\t2014-08-28\t
USA.head_of_state\tPresident\tDonald Trump\tQ22686\t2017-01-20\t2021-01-20\tDonald J. Trump
USA.head_of_state\tPresident\tJoe Biden\t\t2021-01-20\t2025-01-20\t
USA.head_of_state\tPresident\tDonald Trump\tQ22686\t2025-01-20\t\t
USA.ambassador.TUR\tAmbassador\tTom Barrack\t\t2025-05\t\tThomas Barrack
""",
    "military_systems.tsv": """# as_of: 2025-06-01
id\tqid\tname\tkind\tcategory\torigin\tmaker\taliases
s-400\t\tS-400 Triumf\tMILITARY_SYSTEM\tair_defence\tRUS\tAlmaz-Antey\tS-400|SA-21 Growler
f-35\t\tF-35 Lightning II\tMILITARY_SYSTEM\tfighter\tUSA\tLockheed Martin\tF-35|F-35s
f-35-program\t\tF-35 program\tPROGRAM\tprogram\tUSA\tLockheed Martin\tF-35 programme
""",
    "weapon_classes.tsv": """# as_of: 2025-06-01
term\tcategory\taliases
tank\ttank\t
air defense system\tair_defence\tair defence system
""",
    "media.tsv": """# as_of: 2025-06-01
id\tqid\tname\tkind\tcountry\taliases
bloomberg\t\tBloomberg\tnews_agency\tUSA\tBloomberg News
""",
}


def write_kb(root: Path, tables: dict[str, str] | None = None) -> Path:
    for name, text in (tables or TABLES).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
