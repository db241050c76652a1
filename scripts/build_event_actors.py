"""Derive ``src/newsgraph/events/data/actors.tsv`` from PETRARCH2's actor dictionaries.

The PETRARCH2 event coder codes the persons and organisations it meets with three
TABARI-format actor dictionaries (in ``../shared/data/event-dictionaries/``):
``Phoenix.Countries.actors.txt`` (states, their institutions, leaders and officials, with
the dates of their offices), ``Phoenix.International.actors.txt`` (international
organisations, NGOs, companies and their heads) and ``Phoenix.MilNonState.actors.txt``
(armed non-state groups). The table made here gives newsgraph's events component a CAMEO
actor code for a name its knowledge base does not know, as of a date ("Hillary Clinton"
USAGOV in 2012, USAELI in 2016).

The format, as the files use it and PETRARCH2's reader (``read_actor_dictionary``) and
TABARI's manual define it:

- A line starting with ``#`` (or only whitespace and ``#``) is a comment; a ``#`` ends a
  line's content, as in PETRARCH2 (the files glue comments to codes: ``[ELI]# IGOrulers``).
- An entry line names an actor: ``NAME_``, ``NAME_ [CODE]`` or ``NAME_ [CODE date]
  [CODE2 date] ...``. Lines starting with ``+`` that follow are synonyms of the entry; code
  lines (``[CODE date]``, usually tab-indented) add codes to it. Codes may come on the
  entry line and on following lines, and after the synonyms. All the names of an entry
  share all its codes. Text after the codes without a ``#`` (company revenues in the
  International file) is ignored.
- Words are joined by ``_`` (a space also separates words here; PETRARCH2 lets other words
  come between such words, this narrower reading keeps them consecutive). A final ``_``
  marks a word boundary and a name without it is a TABARI stem; both are read here as the
  whole words written.
- A code is ``[CODE]`` (undated, the default), ``[CODE >d]`` (from d on), ``[CODE <d]``
  (until d), ``[CODE a-b]`` (from a to b, both days included) or ``[---]`` (no code:
  skipped). Dates are YYMMDD or YYYYMMDD; a two-digit year 00-30 is 20YY and 31-99 is
  19YY, the pivot of KEDS, TABARI and PETRARCH2 (``dstr_to_ordate``). A space after
  ``>``/``<`` is allowed (``[EGYGOV > 140608]``). A lone date without ``>`` (``[MNEGOV
  20121204]``, ``[USAGOV 19820101] # entered Foreign Service``) is read as "from".

What the files hold that the format does not foresee, and how it is read here:

- **Entries without codes.** Several entry lines in a row with the codes after the last
  (``LEONID_BREZHNEV_`` / ``LEONID_ILYICH_BREZHNEV`` / ... / ``[RUSGOV 641014-821110]``,
  hand-added names written without ``+``) are one actor: an entry line joins the entry
  before it while that has no code yet. PETRARCH2 would give the earlier lines no code
  at all. An entry still without a code at a blank line is left out (``U.N._`` after
  ``UN_ [IGOUNO]``; ``U.N.`` has its own coded entry later).
- **Country sections.** ``Phoenix.Countries.actors.txt`` opens each country with an entry
  whose code is the state's bare three-letter code (``AFGHANISTAN_ [AFG]``) and whose
  synonyms are its demonyms, cities and provinces. newsgraph's knowledge base names
  states and places itself, so an entry of that file with a bare three-letter code among
  its codes is left out whole (``SOUTH_SUDAN [SDNSSD <20050709] ... [SSD >20110709]``
  too). In the other two files a bare three-letter code is an actor type (IGO, NGO,
  MNC, MED, ELI, IMG, WEU, MOS, BAH) and is kept.
- **Abbreviations in parentheses.** ``NAME_(ABBR)_`` gives two names, NAME and ABBR, when
  ABBR is one word whose letters all occur among the initials of NAME's words
  (``CONTINUITY_IRISH_REPUBLICAN_ARMY_(CIRA)_``) or, in the International and MilNonState
  files, one word of at most four letters (``BASQUE_FATHERLAND_AND_FREEDOM_(ETA)_``; in
  the Countries file such a word is a qualifier: ``VIRGIN_ISLANDS_(US)_``). Other
  parentheses are qualifiers and their words stay in the name
  (``NATIONAL_LIBERATION_ARMY_(BOLIVIA)_`` -> "national liberation army bolivia",
  ``TABAK_(MACHETE)_GROUP_``). An unclosed ``(`` ends the name (``STANKO_TODOROV
  (ACTING_``), a stray ``)``, ``[`` or ``]`` is dropped, and a nickname in double quotes is
  left out (``TZIPORA_"TZIPI"_LIVNI_`` -> "tzipora livni").
- **Glued synonyms.** A ``+`` next to a space or ``_`` starts another synonym
  (``+TAIOAN_ +TAWIAN_``); one between letters is part of the name (``B+H_OCEAN_CARRIERS``).
- **Labels and damaged names.** ``Source: X.actors`` lines (the International file joins
  several source files) are not entries. A name with a control character or U+FFFD (bytes
  lost to an old encoding: ``LIAMINE_Z<SUB>ROUAL_``) is left out.
- **Malformed dates.** Six dates have a digit too many or too few, or a range ends before
  it starts; the codes beside them and the record show what was meant, and
  :data:`DATE_FIXES` reads them so (``[GBRGOV >201005011]`` for David Cameron:
  2010-05-11). Any other malformed or impossible date, or a range that ends before it
  starts, leaves that one code out.
- **Short and ambiguous names.** A one-word name of fewer than four characters is kept
  as an abbreviation: all of them in these files are ("fbi", "cia", "imf", "u.n.", "eu",
  "plo", "mi6"), except bare numbers ("313_ [PAKREB]"), which are left out. A few one-word
  names are ordinary English words or, in the news, mostly mean something else: the
  aliases of armed groups in the MilNonState file (YOUTH_, ZERO_, FALCON_, TIGERS_,
  MAVERICKS_ ...), "an" and "car" (ARYAN_NATIONS_(AN)_, the Central African Republic) and
  the like; :data:`AMBIGUOUS` lists them and they are left out.
- **The International file repeats itself.** Its sections from several source lists
  overlap (the same line twice, or one name with two codes): rows are written once, and
  a name found in several entries has the rows of all of them, in the order read.

Names are written as newsgraph looks them up (:func:`newsgraph.events.dictionary.normalise`):
lower case, words separated by one space, punctuation kept ("u.s.", "al-qaeda"), a
leading "the " and a final "'s" removed. The table has one row per (name, code, start,
end), sorted by name, the rows of a name in the order read (the Countries file first).
Its header names the sources and carries the MIT notice of the
dictionaries (also in ``events/data/LICENSE-petrarch2.txt``).

    python scripts/build_event_actors.py            # writes the table
    python scripts/build_event_actors.py --check    # exit 1 when the shipped table differs
    python scripts/build_event_actors.py --verbose  # also lists what was left out
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
SOURCE_DIR = SHARED / "data" / "event-dictionaries"
#: the three actor dictionaries, in the order they are read
SOURCES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
#: the file whose bare three-letter codes are states (see the module docstring)
COUNTRIES = SOURCES[0]
TARGET = ROOT / "src" / "newsgraph" / "events" / "data" / "actors.tsv"
#: where the dictionaries come from (../shared/data/README.md, row event-dictionaries/)
ORIGIN = (
    "openeventdata/petrarch2 @ 676801c, petrarch2/data/dictionaries/"
    "Phoenix.{Countries,International,MilNonState}.actors.txt"
)
HEADER = ["name", "code", "start", "end"]
#: two-digit years up to this one are 20YY, later ones 19YY (KEDS, TABARI, PETRARCH2)
PIVOT = 30
#: the dates of the source with a digit too many, too few or a wrong year, as the codes
#: beside them and the record read them (the text after the code, spaces removed)
DATE_FIXES = {
    ">201005011": ">20100511",  # GBRGOV David Cameron, prime minister from 11 May 2010
    "20121207-20120802": "20111207-20120802",  # EGYGOV Kamal Ganzouri, PM "pt. 2"
    "1920030320-20060520": "20030320-20060520",  # IRQOCC after [IRQ <20030320]
    "1920050709-20110709": "20050709-20110709",  # SDNSSDAUT after [SDNSSD <20050709]
    "9008223-911221": "900823-911221",  # ARMUNR after [USRARM <900823]
    "2004017-20061201": "20040117-20061201",  # KORGOVBUS Ban Ki-moon, minister from 2004
}
#: one-word names shorter than this are abbreviations (see the module docstring)
MIN_WORD = 4
#: one-word names of the source that are ordinary English words or, in the news, mostly
#: mean something else (CAR: the Central African Republic; Dawn: a Pakistani daily)
AMBIGUOUS = frozenset(
    {
        "an", "avengers", "boogeymen", "ca", "car", "cornerstone", "dawn", "falcon",
        "foundation", "lightning", "mavericks", "organization", "tigers", "us", "youth",
        "zero",
    }
)  # fmt: skip

_CODE = re.compile(r"^[A-Z][A-Z0-9]*$")
_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_STATE = re.compile(r"^[A-Z]{3}$")
_GLUED = re.compile(r"(?<=[ _])\+|\+(?=[ _])")
_DAMAGED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]")


@dataclass(frozen=True)
class Term:
    """One code of an actor and when it holds (``None``: open)."""

    code: str
    start: datetime.date | None = None
    end: datetime.date | None = None


@dataclass
class Entry:
    """An actor of the source: its names as written and its codes."""

    where: str
    names: list[str] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)


@dataclass
class Parsed:
    """What the dictionaries hold: rows (name, code, start, end), and what was left out."""

    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def parse_date(text: str) -> datetime.date:
    """``090120`` -> 2009-01-20, ``19411207`` -> 1941-12-07 (ValueError when malformed)."""
    if not text.isdigit() or len(text) not in (6, 8):
        raise ValueError(f"malformed date {text!r}")
    if len(text) == 6:
        year = int(text[:2])
        year += 2000 if year <= PIVOT else 1900
        return datetime.date(year, int(text[2:4]), int(text[4:6]))
    return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def parse_term(inner: str) -> Term | None:
    """The text inside ``[...]`` as a term; None for ``[---]`` (ValueError when bad)."""
    parts = inner.split()
    if not parts or parts[0] == "---":
        return None
    code, spec = parts[0], "".join(parts[1:])
    spec = DATE_FIXES.get(spec, spec)
    if not _CODE.match(code):
        raise ValueError(f"bad code {code!r}")
    if not spec:
        return Term(code)
    if spec[0] in "<>":
        when = parse_date(spec[1:])
        return Term(code, None, when) if spec[0] == "<" else Term(code, when, None)
    if "-" in spec:
        first, _, last = spec.partition("-")
        start, end = parse_date(first), parse_date(last)
        if end < start:
            raise ValueError(f"range ends before it starts: {spec}")
        return Term(code, start, end)
    return Term(code, parse_date(spec), None)  # a lone date: from then on


def clean(name: str) -> str:
    """Lower case, one space between words, no leading "the ", no final "'s"."""
    name = " ".join(name.lower().replace("’", "'").split())
    if name.startswith("the "):
        name = name[4:]
    if name.endswith("'s"):
        name = name[:-2]
    return name.strip()


def _words(text: str) -> str:
    """``MR._OBAMA_`` -> ``mr. obama`` (punctuation at the ends of the name dropped)."""
    return clean(" ".join(re.split(r"[_\s]+", text)).strip(" ,;-"))


def _initials(text: str) -> set[str]:
    return {word[0] for word in re.split(r"[_\s-]+", text) if word}


def _abbreviation(inner: str, base: str, organisations: bool) -> bool:
    """Whether ``(inner)`` after ``base`` is an abbreviation of it (see the docstring)."""
    word = inner.strip("_ ")
    letters = re.sub(r"[.\-]", "", word)
    if not letters.isalpha() or re.search(r"[_\s]", word):
        return False
    return set(letters) <= _initials(base) or (organisations and len(letters) <= 4)


def names_of(text: str, organisations: bool = False) -> list[str]:
    """The names a source name stands for: itself and an abbreviation in parentheses."""
    text = re.sub(r'"[^"]*"', " ", text).replace("[", " ").replace("]", " ")
    if text.count("(") > text.count(")"):  # "STANKO_TODOROV (ACTING_"
        text = text[: text.rindex("(")]
    extra: list[str] = []

    def group(match: re.Match[str]) -> str:
        inner = match.group(1)
        if _abbreviation(inner, text[: match.start()], organisations):
            extra.append(_words(inner))
            return " "
        return " " + inner + " "

    text = re.sub(r"\(([^()]*)\)", group, text)
    out = [_words(text.replace("(", " ").replace(")", " ")), *extra]
    return [name for name in dict.fromkeys(out) if name]


def _kept(name: str) -> bool:
    """Whether a name is kept (the short and ambiguous names of the module docstring)."""
    if " " in name:
        return True
    return name not in AMBIGUOUS and not (len(name) < MIN_WORD and name.isdigit())


def parse(text: str, source: str = "actors", countries: bool = False) -> Parsed:
    """Read one dictionary (see the module docstring); ``countries``: the Countries file."""
    parsed = Parsed()
    entry: Entry | None = None

    def finish() -> None:
        nonlocal entry
        if entry is None:
            return
        done, entry = entry, None
        parsed.counts["entries"] += 1
        if not done.terms:
            parsed.counts["entries without a code"] += 1
            parsed.skipped.append(f"{done.where}: no code: {' / '.join(done.names)}")
            return
        if countries and any(_STATE.match(term.code) for term in done.terms):
            parsed.counts["country sections"] += 1
            return
        names: list[str] = []
        for raw in done.names:
            if _DAMAGED.search(raw):
                parsed.counts["damaged names"] += 1
                parsed.skipped.append(f"{done.where}: damaged name {raw!r}")
                continue
            names += names_of(raw, organisations=not countries)
        for name in dict.fromkeys(names):
            if not _kept(name):
                parsed.counts["short or ambiguous names"] += 1
                parsed.skipped.append(f"{done.where}: short or ambiguous name {name!r}")
                continue
            for term in dict.fromkeys(done.terms):
                parsed.rows.append(
                    (
                        name,
                        term.code,
                        term.start.isoformat() if term.start else "",
                        term.end.isoformat() if term.end else "",
                    )
                )

    def add_terms(chunk: str, where: str) -> None:
        assert entry is not None
        for match in _BRACKET.finditer(chunk):
            try:
                term = parse_term(match.group(1))
            except ValueError as error:
                parsed.counts["codes with a bad date or code"] += 1
                parsed.skipped.append(f"{where}: [{match.group(1)}]: {error}")
                continue
            if term is None:
                parsed.counts["[---] codes"] += 1
            else:
                entry.terms.append(term)

    gap = False  # a blank line since the entry's last line
    remains = False  # and a comment line after it
    for lineno, raw in enumerate(text.splitlines(), start=1):
        where = f"{source}:{lineno}"
        if raw.lstrip().startswith(("#", "<!")):
            remains = remains or gap  # a comment line does not end an entry
            continue
        line = raw.partition("#")[0].strip()
        if not line:
            gap = True
            continue
        if line.startswith("Source:"):
            finish()
            continue
        if line.startswith(("[", "+")) and (entry is None or remains):
            parsed.counts["lines without an entry"] += 1
            parsed.skipped.append(f"{where}: without an entry: {line}")
            continue
        if line.startswith("["):
            add_terms(line, where)
        else:
            head, bracket, rest = line.partition("[")
            if not line.startswith("+") and (entry is None or entry.terms or gap):
                finish()
                entry = Entry(where)
            # else a synonym, or the entry before has no code yet: the line joins it
            assert entry is not None
            entry.names += [s.strip() for s in _GLUED.split(head.lstrip("+")) if s.strip("_ ")]
            if bracket:
                add_terms(bracket + rest, where)
        gap = remains = False
    finish()
    return parsed


def notice(source: Path) -> list[str]:
    """The MIT notice of a dictionary's header (from "The MIT License" to its end)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "The MIT License" in line)
    out: list[str] = []
    for line in lines[start:]:
        if not line.startswith("#"):
            break
        out.append(line[1:].strip())
    while out and not out[-1]:
        out.pop()
    return out


def parse_all(directory: Path = SOURCE_DIR) -> Parsed:
    """The three dictionaries read in order, their rows merged without repeats."""
    total = Parsed()
    for name in SOURCES:
        text = (directory / name).read_text(encoding="utf-8")
        parsed = parse(text, name, countries=name == COUNTRIES)
        total.rows += parsed.rows
        total.skipped += parsed.skipped
        total.counts.update(parsed.counts)
    unique = list(dict.fromkeys(total.rows))
    total.counts["repeated rows"] = len(total.rows) - len(unique)
    # by name; a name's rows stay in the order of the source (sorted() is stable)
    total.rows = sorted(unique, key=lambda row: row[0])
    return total


def build(directory: Path = SOURCE_DIR) -> str:
    """The text of ``actors.tsv`` made from the dictionaries in ``directory``."""
    parsed = parse_all(directory)
    names = len({row[0] for row in parsed.rows})
    dated = sum(1 for row in parsed.rows if row[2] or row[3])
    header = [
        "Actor names -> CAMEO actor codes, with the dates they hold, for the persons and",
        "organisations newsgraph's knowledge base does not know (events/dictionary.py):",
        '"hillary clinton" USAGOV 2009-01-21..2013-02-01, else USAELI; "fbi" USACOP.',
        "start/end: ISO dates, empty = open; a row with neither is the name's default code.",
        f"Derived from {ORIGIN}",
        "(the PETRARCH2 event coder's actor dictionaries, Computational Event Data System",
        "Project / Open Event Data Alliance) by scripts/build_event_actors.py: do not edit by",
        "hand, run `python scripts/build_event_actors.py` (it reads",
        "../shared/data/event-dictionaries/). Country sections (a state's bare code with its",
        "demonyms and cities) are left out: the knowledge base names states and places.",
        f"{len(parsed.rows)} rows ({dated} dated) for {names} names.",
        "The dictionaries' licence (LICENSE-petrarch2.txt beside this file; the notice of",
        "Phoenix.Countries.actors.txt):",
        "",
        *notice(directory / COUNTRIES),
    ]
    lines = [("# " + line).rstrip() for line in header]
    lines.append("\t".join(HEADER))
    lines += ["\t".join(row) for row in parsed.rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=SOURCE_DIR, help="the dictionaries' dir")
    parser.add_argument("--out", type=Path, default=TARGET, help="the table to write")
    parser.add_argument("--check", action="store_true", help="only compare with --out")
    parser.add_argument("--verbose", action="store_true", help="list what was left out")
    args = parser.parse_args()
    missing = [name for name in SOURCES if not (args.source / name).exists()]
    if missing:
        print(f"no {', '.join(missing)} in {args.source}", file=sys.stderr)
        return 2
    text = build(args.source)
    parsed = parse_all(args.source)
    if args.verbose:
        for row in parsed.skipped:
            print(row, file=sys.stderr)
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'differs from what the script makes'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    names = len({row[0] for row in parsed.rows})
    print(f"wrote {args.out}: {len(parsed.rows)} rows, {names} names, {len(text)} bytes")
    for what, count in sorted(parsed.counts.items()):
        print(f"  {what}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
