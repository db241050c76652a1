"""The knowledge base: load the packaged tables and answer questions about them."""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

from .model import AliasKind, AliasRef, KBEntity, Membership, Term, slug
from .tsv import KBError, Table, check_date, read_table, split_list

HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "states": ("qid", "iso2", "iso3", "name", "aliases", "demonyms", "capital", "metonyms"),
    "igos": ("qid", "code", "name", "aliases", "kind", "seat", "metonyms"),
    "igo_members": ("igo", "member", "start", "end"),
    "offices": ("office", "title", "person", "qid", "start", "end", "aliases"),
    "military_systems": ("id", "qid", "name", "kind", "category", "origin", "maker", "aliases"),
    "weapon_classes": ("term", "category", "aliases"),
    "weapon_words": ("term", "category", "aliases"),
    "media": ("id", "qid", "name", "kind", "country", "aliases"),
    "think_tanks": ("id", "qid", "name", "country", "aliases"),
    "places": ("id", "qid", "name", "kind", "country", "aliases", "lat", "lon", "geonameid"),
    "armed_groups": ("id", "qid", "name", "kind", "country", "aliases"),
    "companies": ("id", "qid", "name", "kind", "country", "aliases"),
}
#: Tables of named things: table -> report type.
NAMED_TABLES: Final = {
    "media": "MEDIA",
    "think_tanks": "ORGANIZATION",
    "armed_groups": "ORGANIZATION",
    "companies": "ORGANIZATION",
    "places": "LOCATION",
}
ID_PREFIX: Final = {
    "media": "media",
    "think_tanks": "org",
    "armed_groups": "group",
    "companies": "company",
    "places": "place",
}
#: Countries whose leaders' names English news writes family name first (Xi Jinping).
FAMILY_NAME_FIRST: Final = frozenset({"CHN", "PRK", "KOR", "TWN", "VNM", "KHM", "MNG", "HKG"})


def as_date(on: dt.date | str | None) -> dt.date | None:
    if on is None or isinstance(on, dt.date):
        return on
    return dt.date.fromisoformat(on)


def default_dir() -> Path:
    return Path(str(resources.files("newsgraph.kb").joinpath("data")))


def _coordinate(cell: str, bound: float, where: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise KBError(f"{where}: '{cell}' is not a coordinate") from None
    if not -bound <= value <= bound:
        raise KBError(f"{where}: coordinate {value} is out of range")
    return value


def _qid(cell: str, where: str) -> str | None:
    if not cell:
        return None
    if not (cell.startswith("Q") and cell[1:].isdigit()):
        raise KBError(f"{where}: '{cell}' is not a Wikidata QID")
    return cell


class KnowledgeBase:
    """Entities, aliases, office terms and memberships, with date-aware queries."""

    def __init__(self) -> None:
        self.entities: dict[str, KBEntity] = {}
        self.aliases: dict[str, list[AliasRef]] = defaultdict(list)
        #: lower-cased weapon-class terms (and their plurals) -> entity id
        self.classes: dict[str, str] = {}
        #: everyday words that are weapons only in a military sentence ("vehicles") -> entity id
        self.context_classes: dict[str, str] = {}
        self.terms: list[Term] = []
        self.terms_by_person: dict[str, list[Term]] = defaultdict(list)
        self.terms_by_office: dict[str, list[Term]] = defaultdict(list)
        self.memberships: list[Membership] = []
        self.as_of: dict[str, str] = {}
        self._by_iso3: dict[str, str] = {}
        self._by_code: dict[str, str] = {}
        self._by_qid: dict[str, str] = {}

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, directory: Path | str | None = None) -> KnowledgeBase:
        """Load every table found in ``directory`` (default: the packaged KB)."""
        kb = cls()
        root = Path(directory) if directory is not None else default_dir()
        if not root.is_dir():
            raise KBError(f"{root}: not a knowledge-base directory")

        def table(name: str) -> Table | None:
            path = root / f"{name}.tsv"
            if not path.exists():
                return None
            t = read_table(path, HEADERS[name])
            kb.as_of[name] = t.as_of
            return t

        if t := table("states"):
            kb._load_states(t)
        if t := table("igos"):
            kb._load_igos(t)
        if t := table("igo_members"):
            kb._load_members(t)
        for path in sorted((root / "offices").glob("*.tsv")) if (root / "offices").is_dir() else []:
            t = read_table(path, HEADERS["offices"])
            kb.as_of[f"offices/{path.stem}"] = t.as_of
            kb._load_offices(t)
        if t := table("military_systems"):
            kb._load_systems(t)
        if t := table("weapon_classes"):
            kb._load_classes(t, kb.classes)
        if t := table("weapon_words"):
            kb._load_classes(t, kb.context_classes)
        for name, etype in NAMED_TABLES.items():
            if t := table(name):
                kb._load_named(t, name, etype)
        kb._derive_surnames()
        return kb

    def _add(self, entity: KBEntity, where: str) -> KBEntity:
        if entity.id in self.entities:
            raise KBError(f"{where}: duplicate id {entity.id}")
        self.entities[entity.id] = entity
        if entity.qid:
            if entity.qid in self._by_qid:
                other = self._by_qid[entity.qid]
                raise KBError(f"{where}: QID {entity.qid} is already used by {other}")
            self._by_qid[entity.qid] = entity.id
        return entity

    def _alias(self, text: str, entity_id: str, kind: AliasKind) -> None:
        text = " ".join(text.split())
        if not text:
            return
        refs = self.aliases[text]
        if not any(r.entity_id == entity_id for r in refs):
            refs.append(AliasRef(entity_id, kind))

    def _load_states(self, t: Table) -> None:
        for lineno, row in t:
            where = t.where(lineno)
            iso3 = row["iso3"]
            if len(iso3) != 3 or not iso3.isupper():
                raise KBError(f"{where}: iso3 '{iso3}' is not three capital letters")
            names = [row["name"], *split_list(row["aliases"])]
            e = self._add(
                KBEntity(
                    id=f"state:{iso3}",
                    qid=_qid(row["qid"], where),
                    name=row["name"],
                    type="COUNTRY",
                    aliases=tuple(names),
                    attrs={
                        "iso2": row["iso2"],
                        "iso3": iso3,
                        "capital": row["capital"],
                        "demonyms": tuple(split_list(row["demonyms"])),
                        "metonyms": tuple(split_list(row["metonyms"])),
                    },
                ),
                where,
            )
            self._by_iso3[iso3] = e.id
            for n in names:
                self._alias(n, e.id, "name")
            for d in split_list(row["demonyms"]):
                self._alias(d, e.id, "demonym")
            for m in split_list(row["metonyms"]):
                self._alias(m, e.id, "metonym")

    def _load_igos(self, t: Table) -> None:
        for lineno, row in t:
            where = t.where(lineno)
            code = row["code"]
            names = [row["name"], *split_list(row["aliases"])]
            if code.isalpha() and code.isupper():
                names.append(code)
            e = self._add(
                KBEntity(
                    id=f"igo:{code}",
                    qid=_qid(row["qid"], where),
                    name=row["name"],
                    type="IGO",
                    aliases=tuple(dict.fromkeys(names)),
                    attrs={"code": code, "kind": row["kind"], "seat": row["seat"]},
                ),
                where,
            )
            self._by_code[code] = e.id
            for n in names:
                self._alias(n, e.id, "name")
            for m in split_list(row["metonyms"]):
                self._alias(m, e.id, "metonym")

    def _load_members(self, t: Table) -> None:
        for lineno, row in t:
            where = t.where(lineno)
            if row["igo"] not in self._by_code:
                raise KBError(f"{where}: unknown IGO '{row['igo']}'")
            member = row["member"]
            if member not in self._by_iso3 and member not in self._by_code:
                raise KBError(f"{where}: unknown member '{member}'")
            self.memberships.append(
                Membership(
                    igo=row["igo"],
                    member=member,
                    start=check_date(row["start"], where, "start"),
                    end=check_date(row["end"], where, "end"),
                    source=where,
                )
            )

    def _load_offices(self, t: Table) -> None:
        for lineno, row in t:
            where = t.where(lineno)
            office, person = row["office"], row["person"]
            parts = office.split(".")
            if len(parts) not in (2, 3) or not parts[0] or not person:
                raise KBError(f"{where}: office '{office}' should be COUNTRY.kind[.HOST]")
            qid = _qid(row["qid"], where)
            pid = self._person_id(person, qid)
            existing = self.entities.get(pid)
            aliases = [person, *split_list(row["aliases"])]
            if existing is None:
                self._add(
                    KBEntity(id=pid, qid=qid, name=person, type="PERSON", aliases=tuple(aliases)),
                    where,
                )
            else:
                merged = tuple(dict.fromkeys([*existing.aliases, *aliases]))
                self.entities[pid] = KBEntity(
                    id=pid,
                    qid=existing.qid or qid,
                    name=existing.name,
                    type="PERSON",
                    aliases=merged,
                    attrs=existing.attrs,
                )
                if qid and not existing.qid:
                    self._by_qid[qid] = pid
            for a in aliases:
                self._alias(a, pid, "name")
            term = Term(
                office=office,
                title=row["title"],
                person_id=pid,
                start=check_date(row["start"], where, "start"),
                end=check_date(row["end"], where, "end"),
                source=where,
            )
            if term.start and term.end and term.start_date > term.end_date:
                raise KBError(f"{where}: the term ends before it starts")
            self.terms.append(term)
            self.terms_by_person[pid].append(term)
            self.terms_by_office[office].append(term)

    def _person_id(self, name: str, qid: str | None) -> str:
        if qid and qid in self._by_qid:
            return self._by_qid[qid]
        return f"person:{slug(name)}"

    def _load_systems(self, t: Table) -> None:
        for lineno, row in t:
            where = t.where(lineno)
            if row["kind"] not in ("MILITARY_SYSTEM", "PROGRAM"):
                raise KBError(f"{where}: kind must be MILITARY_SYSTEM or PROGRAM")
            names = [row["name"], *split_list(row["aliases"])]
            e = self._add(
                KBEntity(
                    id=f"system:{row['id']}",
                    qid=_qid(row["qid"], where),
                    name=row["name"],
                    type=row["kind"],
                    aliases=tuple(names),
                    attrs={
                        "category": row["category"],
                        "origin": row["origin"],
                        "maker": row["maker"],
                    },
                ),
                where,
            )
            for n in names:
                self._alias(n, e.id, "name")

    def _load_classes(self, t: Table, into: dict[str, str]) -> None:
        for lineno, row in t:
            where = t.where(lineno)
            term = row["term"]
            if term.lower() in self.classes or term.lower() in self.context_classes:
                raise KBError(f"{where}: '{term}' is already a weapon class")
            e = self._add(
                KBEntity(
                    id=f"class:{slug(term)}",
                    qid=None,
                    name=term,
                    type="MILITARY_SYSTEM",
                    aliases=tuple([term, *split_list(row["aliases"])]),
                    attrs={"category": row["category"], "generic": True},
                ),
                where,
            )
            for form in [term, *split_list(row["aliases"])]:
                for variant in _with_plural(form):
                    into.setdefault(variant.lower(), e.id)

    def _load_named(self, t: Table, table: str, etype: str) -> None:
        prefix = ID_PREFIX[table]
        for lineno, row in t:
            where = t.where(lineno)
            names = [row["name"], *split_list(row["aliases"])]
            attrs: dict[str, Any] = {"country": row["country"]}
            if "kind" in row:
                attrs["kind"] = row["kind"]
            if row.get("lat") and row.get("lon"):  # places: the point the gazetteer gives it
                attrs["point"] = (
                    _coordinate(row["lat"], 90, where),
                    _coordinate(row["lon"], 180, where),
                )
                attrs["geonameid"] = int(row["geonameid"]) if row.get("geonameid") else None
            e = self._add(
                KBEntity(
                    id=f"{prefix}:{row['id']}",
                    qid=_qid(row["qid"], where),
                    name=row["name"],
                    type=etype,
                    aliases=tuple(names),
                    attrs=attrs,
                ),
                where,
            )
            for n in names:
                self._alias(n, e.id, "name")

    def _derive_surnames(self) -> None:
        """A person's family name alone is a weak alias (``Erdogan``, ``Xi``, ``Assad``)."""
        for e in list(self.entities.values()):
            if e.type != "PERSON":
                continue
            countries = {t.country for t in self.terms_by_person.get(e.id, [])}
            family_first = bool(countries & FAMILY_NAME_FIRST)
            # Western-order aliases of family-first names ("William Lai") would mislead
            names = [e.name] if family_first else list(e.aliases)
            for name in names:
                for surname in family_names(name, family_first=family_first):
                    known = any(r.entity_id == e.id for r in self.aliases.get(surname, []))
                    if not known:
                        self._alias(surname, e.id, "surname")

    # ------------------------------------------------------------------ queries
    def get(self, entity_id: str) -> KBEntity | None:
        return self.entities.get(entity_id)

    def by_kb_id(self, kb_id: str) -> KBEntity | None:
        if kb_id.startswith("ngkb:"):
            return self.entities.get(kb_id[5:])
        eid = self._by_qid.get(kb_id)
        return self.entities.get(eid) if eid else None

    def state(self, iso3: str) -> KBEntity | None:
        eid = self._by_iso3.get(iso3)
        return self.entities.get(eid) if eid else None

    def igo(self, code: str) -> KBEntity | None:
        eid = self._by_code.get(code)
        return self.entities.get(eid) if eid else None

    def owner(self, code: str) -> KBEntity | None:
        """The state (ISO3) or IGO (code) an office belongs to."""
        return self.state(code) or self.igo(code)

    def lookup(self, name: str) -> list[KBEntity]:
        """Entities known by this name: exact alias first, then ignoring case."""
        text = " ".join(name.split())
        refs = list(self.aliases.get(text, []))
        if not refs:
            low = text.casefold()
            for alias, rs in self.aliases.items():
                if alias.casefold() == low:
                    refs.extend(rs)
        if not refs and text.lower() in self.classes:
            return [self.entities[self.classes[text.lower()]]]
        order = {"name": 0, "metonym": 1, "demonym": 2, "surname": 3, "class": 4}
        refs.sort(key=lambda r: order[r.kind])
        seen: dict[str, KBEntity] = {}
        for r in refs:
            seen.setdefault(r.entity_id, self.entities[r.entity_id])
        return list(seen.values())

    def roles(self, person: str | KBEntity, on: dt.date | str | None = None) -> list[Term]:
        """The terms a person held (on a date, if given), earliest first."""
        pid = person.id if isinstance(person, KBEntity) else self._resolve_person(person)
        if pid is None:
            return []
        day = as_date(on)
        terms = self.terms_by_person.get(pid, [])
        if day is not None:
            terms = [t for t in terms if t.holds_on(day)]
        return sorted(terms, key=lambda t: (t.start_date, t.office))

    def _resolve_person(self, person: str) -> str | None:
        if person in self.entities:
            return person
        for e in self.lookup(person):
            if e.type == "PERSON":
                return e.id
        return None

    def holder(self, office: str, on: dt.date | str | None = None) -> Term | None:
        """Who held the office on the date (today's KB state when no date)."""
        terms = self.terms_by_office.get(office, [])
        day = as_date(on)
        if day is None:
            current = [t for t in terms if not t.end]
            return max(current, key=lambda t: t.start_date) if current else None
        holding = [t for t in terms if t.holds_on(day)]
        # on a hand-over day both terms touch the date: the newer one wins
        return max(holding, key=lambda t: t.start_date) if holding else None

    def offices(self) -> list[str]:
        return sorted(self.terms_by_office)

    def members(self, igo: str, on: dt.date | str | None = None) -> list[str]:
        day = as_date(on)
        return sorted(
            {
                m.member
                for m in self.memberships
                if m.igo == igo and (day is None or m.holds_on(day))
            }
        )

    def member_of(self, member: str, on: dt.date | str | None = None) -> list[str]:
        day = as_date(on)
        return sorted(
            {
                m.igo
                for m in self.memberships
                if m.member == member and (day is None or m.holds_on(day))
            }
        )

    def counts(self) -> dict[str, int]:
        by_type: dict[str, int] = defaultdict(int)
        for e in self.entities.values():
            key = "WEAPON_CLASS" if e.attrs.get("generic") else e.type
            by_type[key] += 1
        by_type["office_terms"] = len(self.terms)
        by_type["memberships"] = len(self.memberships)
        return dict(by_type)


#: Name parts that are not family names: regnal numbers and generational suffixes.
NAME_SUFFIXES: Final = frozenset(
    {
        "Jr",
        "Jr.",
        "Sr",
        "Sr.",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
        "XI",
        "XII",
        "XIII",
        "XIV",
        "XV",
        "XVI",
    }
)
#: Arabic article prefixes: "al-Assad" is also written "Assad".
ARTICLE_PREFIXES: Final = ("al-", "el-", "Al-", "El-", "ad-", "as-", "ash-", "an-", "ar-", "at-")


def family_names(name: str, *, family_first: bool = False) -> list[str]:
    """The forms of a person's family name used alone in news ("Recep Tayyip Erdogan" ->
    ["Erdogan"]; "Bashar al-Assad" -> ["al-Assad", "Assad"]; "Charles III" -> [])."""
    tokens = [t for t in name.split() if not t.startswith("(")]
    while tokens and tokens[-1].rstrip(",") in NAME_SUFFIXES:
        tokens.pop()
    if len(tokens) < 2:
        return []
    last = tokens[0] if family_first else tokens[-1]
    last = last.rstrip(".,")
    for prefix in ARTICLE_PREFIXES:
        if last.startswith(prefix) and len(last) > len(prefix) + 1:
            rest = last[len(prefix) :]
            return [last, rest[:1].upper() + rest[1:]]
    if not last[:1].isupper() or len(last) < 2:
        return []
    return [last]


def _with_plural(term: str) -> Iterable[str]:
    yield term
    words = term.split()
    last = words[-1]
    if last.isupper():  # IED -> IEDs
        yield " ".join([*words[:-1], last + "s"])
        return
    if last.endswith(("s", "x", "ch", "sh")):
        plural = last + "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    yield " ".join([*words[:-1], plural])


def get_kb(directory: str | None = None) -> KnowledgeBase:
    """The knowledge base in ``directory``, else ``$NEWSGRAPH_KB``, else the packaged one;
    loaded once per process and directory."""
    chosen = directory or os.environ.get("NEWSGRAPH_KB") or ""
    return _load_cached(str(Path(chosen).resolve()) if chosen else "")


@cache
def _load_cached(directory: str) -> KnowledgeBase:
    return KnowledgeBase.load(directory or None)
