"""Derive ``src/newsgraph/events/data/agents.tsv`` from PETRARCH2's agents dictionary.

``Phoenix.agents.txt`` (the PETRARCH2 event coder's dictionary of agent nouns, in
``../shared/data/event-dictionaries/``) maps the words that name who acts for a state
or a group ("police", "riot police", "defense minister", "rebels") to CAMEO sector
codes (COP, GOVMIL, REB). Its format, as the file's header and PETRARCH2's reader
define it:

- ``#`` at the start of a line, a line starting ``<!`` and a blank line are comments;
  `` #`` ends a line's content (the rest is a comment); ``<!-- ... -->`` is removed.
- ``!NAME! = A, B, C`` defines a substitution set; ``!NAME!`` in a phrase stands for
  each of its members in turn ("FOREIGN_!MINIST!": foreign minister, foreign
  ministers, foreign ministry, foreign ministries; "POLICE!PERSON!": policeman ...).
- An entry is ``PHRASE [{PLURAL}] [CODE]``. Words joined by ``_`` are consecutive;
  PETRARCH2 lets other words come between words separated by a space (the few such
  entries are kept here as consecutive words, a narrower reading).
- ``{PLURAL}`` gives the plural; ``{}`` means none; without braces the regular plural
  is formed (the file's header: regular plurals were removed from the file because
  the coder makes them). Here with English spelling (-y after a consonant -> -ies,
  -s/-x/-z/-ch/-sh -> -es, -man -> -men, else -s).
- ``[~GOV]`` is an agent code: sectors appended to the actor's country (``~GOVMIL``:
  GOV then MIL). ``[IGO~]`` (peacekeepers, truce monitors) puts the agent before an
  actor instead; the three such rows are left out (newsgraph codes IGOs by their own
  code). A line without a code is skipped, as PETRARCH2 skips it.
- The header says a few stems remain: a phrase ending in the name of a substitution
  set without its marks ("DEFENSE_MINIST") is read as that set ("defense minister",
  "defense ministry" ...). Other truncated words (e.g. "TRANSPORT_COMPAN") are kept
  as written, so they never match, as in PETRARCH2.

The table has one row per phrase (lower case, words separated by one space) and its
sector code; where the file gives one phrase two codes, the first wins. Its header names
the source and carries the PETRARCH2 MIT notice (also in
``events/data/LICENSE-petrarch2.txt``).

    python scripts/build_event_agents.py            # writes the table
    python scripts/build_event_agents.py --check    # exit 1 when the shipped table differs
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
SOURCE = SHARED / "data" / "event-dictionaries" / "Phoenix.agents.txt"
TARGET = ROOT / "src" / "newsgraph" / "events" / "data" / "agents.tsv"
#: where the dictionary comes from (../shared/data/README.md, row event-dictionaries/)
ORIGIN = "openeventdata/petrarch2 @ 676801c, petrarch2/data/dictionaries/Phoenix.agents.txt"

_MARKER = re.compile(r"!([A-Z]+)!")
_SECTOR = re.compile(r"^(?:[A-Z]{3})+$")


@dataclass
class Parsed:
    """What the dictionary holds: phrase -> sector, and what was left out and why."""

    rows: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _content(line: str) -> str:
    """A line without its comment (``#`` first, `` #`` later, ``<!-- -->``)."""
    if line.startswith(("#", "<!")):
        return ""
    line = re.sub(r"<!--.*?-->", " ", line)
    cut = line.find(" #")
    if cut >= 0:
        line = line[:cut]
    return line.strip()


def plural(word: str) -> str:
    """The regular English plural of an upper-case word ("" for an abbreviation)."""
    if not word[-1:].isalpha():
        return ""
    if word.endswith("MAN"):
        return word[:-3] + "MEN"
    if word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        return word[:-1] + "IES"
    if word.endswith(("S", "X", "Z", "CH", "SH")):
        return word + "ES"
    return word + "S"


def _phrase(text: str) -> str:
    """``FOREIGN_MINISTER`` -> ``foreign minister`` (one space between words)."""
    return " ".join(text.replace("_", " ").split()).lower()


def _expand(phrase: str, sets: dict[str, list[str]]) -> list[str]:
    """Every phrase a phrase with substitution markers stands for."""
    match = _MARKER.search(phrase)
    if match is None:
        return [phrase]
    out: list[str] = []
    for member in sets.get(match.group(1), []):
        out += _expand(phrase[: match.start()] + member + phrase[match.end() :], sets)
    return out


def parse(text: str) -> Parsed:
    """Read the dictionary text (see the module docstring for the format)."""
    parsed = Parsed()
    sets: dict[str, list[str]] = {}

    def add(phrase: str, sector: str, where: str) -> None:
        key = _phrase(phrase)
        if not key:
            return
        known = parsed.rows.get(key)
        if known is None:
            parsed.rows[key] = sector
        elif known != sector:
            parsed.conflicts.append(f"{where}: {key!r} {sector} (kept {known})")

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _content(raw)
        where = f"line {lineno}"
        if not line:
            continue
        if "=" in line and _MARKER.match(line.split("=", 1)[0].strip()):
            name = _MARKER.match(line.split("=", 1)[0].strip())
            assert name is not None
            members = [m.strip() for m in line.split("=", 1)[1].split(",") if m.strip()]
            sets[name.group(1)] = members
            continue
        if "[" not in line:
            parsed.skipped.append(f"{where}: no code: {line}")
            continue
        head, _, rest = line.partition("[")
        code = rest.partition("]")[0].strip()
        if not code.startswith("~"):
            parsed.skipped.append(f"{where}: not an agent code [{code}]: {head.strip()}")
            continue
        sector = re.sub(r"[^A-Z]", "", code)  # "[~ENV}" in one row
        if not _SECTOR.match(sector):
            parsed.skipped.append(f"{where}: bad code [{code}]: {head.strip()}")
            continue
        given: str | None = None
        if "{" in head:
            if "}" not in head:
                parsed.skipped.append(f"{where}: missing '}}': {head.strip()}")
                continue
            given = head[head.index("{") + 1 : head.index("}")].strip()
            head = head[: head.index("{")]
        phrase = head.strip()
        if not phrase:
            continue
        words = re.split(r"[ _]+", phrase.strip("_ "))
        if _MARKER.search(phrase):
            # the set lists the forms (singular and plural) itself
            for form in _expand(phrase, sets):
                add(form, sector, where)
            continue
        if words[-1] in sets:  # a stem named like a set ("DEFENSE_MINIST")
            stem = phrase.strip("_ ")[: -len(words[-1])]
            for member in sets[words[-1]]:
                add(stem + member, sector, where)
            continue
        add(phrase, sector, where)
        if given is None and plural(words[-1]):
            add(phrase.strip("_ ")[: -len(words[-1])] + plural(words[-1]), sector, where)
        elif given:
            add(given, sector, where)
    return parsed


def notice(source: Path) -> list[str]:
    """The MIT notice of the dictionary's header (from "The MIT License" to its end)."""
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


def build(source: Path = SOURCE) -> str:
    """The text of ``agents.tsv`` made from ``source``."""
    parsed = parse(source.read_text(encoding="utf-8"))
    header = [
        "Agent nouns -> CAMEO sector codes, for the actors of newsgraph's events",
        '("Israeli police" -> ISR + COP, "the defense ministry" -> GOVMIL). A code of several',
        "three-letter sectors is kept whole (GOVMIL: government, military).",
        f"Derived from {ORIGIN}",
        "(the PETRARCH2 event coder's agents dictionary, Computational Event Data System",
        "Project / Open Event Data Alliance) by scripts/build_event_agents.py: do not edit by",
        "hand, run `python scripts/build_event_agents.py` (it reads",
        "../shared/data/event-dictionaries/). See docs/events.md, '3. Codes'.",
        f"{len(parsed.rows)} phrases; {len(parsed.skipped)} source lines left out, "
        f"{len(parsed.conflicts)} repeated phrases with another code (the first kept).",
        "The source's licence (also in LICENSE-petrarch2.txt beside this file):",
        "",
        *notice(source),
    ]
    lines = [("# " + line).rstrip() for line in header]
    lines.append("phrase\tsector")
    lines += [f"{phrase}\t{sector}" for phrase, sector in sorted(parsed.rows.items())]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=SOURCE, help="Phoenix.agents.txt")
    parser.add_argument("--out", type=Path, default=TARGET, help="the table to write")
    parser.add_argument("--check", action="store_true", help="only compare with --out")
    parser.add_argument("--verbose", action="store_true", help="list the lines left out")
    args = parser.parse_args()
    if not args.source.exists():
        print(f"no dictionary at {args.source}", file=sys.stderr)
        return 2
    text = build(args.source)
    if args.verbose:
        parsed = parse(args.source.read_text(encoding="utf-8"))
        for row in [*parsed.skipped, *parsed.conflicts]:
            print(row, file=sys.stderr)
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'differs from what the script makes'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({text.count(chr(10)) - 1} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
