"""Write ``src/newsgraph/web/mapdata/world-110m.json``: the land outline of the web map.

The source is Natural Earth's 1:110m land (public domain) as the npm package
world-atlas redistributes it (``land-110m.json``, TopoJSON; the package is ISC
licensed). This script decodes the TopoJSON itself (delta-encoded, quantized arcs and
the transform; no topojson library) and writes plain rings of ``[lon, lat]``.

Natural Earth cuts its polygons at the antimeridian, but world-atlas merges them
again on the sphere, so four rings jump from +180 to -180 (Antarctica, Fiji,
Eurasia's Chukotka, Wrangel Island). Drawn on a flat map such a jump is a streak
across the whole width. Each ring is therefore unwrapped into continuous longitudes
(a ring around a pole, Antarctica, is closed along that pole's edge of the map) and
clipped to [-180, 180] with its copies shifted by 360 degrees: every written ring
lies within the map and none crosses it.

Outer rings are written clockwise on the map (north up) and holes (the Caspian Sea)
counter-clockwise, so one SVG path of all of them fills right with either fill rule.

Development time only; newsgraph never downloads anything. To refresh::

    npm pack world-atlas@2.0.2          # writes world-atlas-2.0.2.tgz here
    .venv/bin/python scripts/build_world_outline.py world-atlas-2.0.2.tgz

A different version needs ``VERSION`` and ``INTEGRITY`` below changed to what
``npm view world-atlas@<version> dist.integrity`` says.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import itertools
import json
import math
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PACKAGE = "world-atlas"
VERSION = "2.0.2"
TARBALL = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"
#: ``npm view world-atlas@2.0.2 dist.integrity``: the tarball's SHA-512, base64.
INTEGRITY = (
    "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/"
    "MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
)
MEMBER = "package/land-110m.json"
LICENCE_MEMBER = "package/LICENSE"
OUT = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "newsgraph"
    / "web"
    / "mapdata"
    / "world-110m.json"
)
#: Written beside the outline: world-atlas's ISC licence, as its tarball has it.
LICENCE_FILE = "world-110m.LICENSE.txt"
LICENCE_HEADER = (
    "world-110m.json is derived from land-110m.json of the npm package "
    f"{PACKAGE}@{VERSION},\nitself derived from Natural Earth 1:110m land (public "
    "domain, naturalearthdata.com).\nThe licence of world-atlas follows.\n\n"
)
#: Decimals kept of each coordinate (0.01 degree: about 1 km, far below 1:110m detail).
DECIMALS = 2

Point = tuple[float, float]
Ring = list[Point]


def check_integrity(blob: bytes, integrity: str = INTEGRITY) -> None:
    """Fail unless ``blob`` has the npm ``sha512-...`` integrity pinned above."""
    algo, _, want = integrity.partition("-")
    got = base64.b64encode(hashlib.new(algo, blob).digest()).decode("ascii")
    if got != want:
        raise SystemExit(f"integrity mismatch: expected {integrity}, got {algo}-{got}")


def read_source(source: Path) -> tuple[dict[str, Any], str | None]:
    """The TopoJSON of ``land-110m.json`` and the package's licence text, from the npm
    tarball (its integrity checked), or from the JSON file alone (no licence then)."""
    if source.suffix not in (".tgz", ".gz"):
        return dict(json.loads(source.read_text(encoding="utf-8"))), None
    blob = source.read_bytes()
    check_integrity(blob)
    with tarfile.open(source, "r:gz") as tar:
        found = {}
        for name in (MEMBER, LICENCE_MEMBER):
            member = tar.extractfile(name)
            if member is None:
                raise SystemExit(f"{source} has no {name}")
            found[name] = member.read().decode("utf-8")
    return dict(json.loads(found[MEMBER])), found[LICENCE_MEMBER]


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """The arcs in degrees: undo the delta encoding, then apply the transform."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_of(indexes: Sequence[int], arcs: list[Ring]) -> Ring:
    """A ring from arc indexes (``~i`` is arc ``i`` reversed); arcs share end points."""
    out: Ring = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(points if not out else points[1:])
    return out


def polygons_of(topology: dict[str, Any]) -> list[list[Ring]]:
    """Every polygon of the ``land`` object: its outer ring, then its holes."""
    arcs = decode_arcs(topology)
    found: list[list[Ring]] = []

    def add(geometry: dict[str, Any]) -> None:
        kind = geometry["type"]
        if kind == "GeometryCollection":
            for g in geometry["geometries"]:
                add(g)
        elif kind == "Polygon":
            found.append([ring_of(r, arcs) for r in geometry["arcs"]])
        elif kind == "MultiPolygon":
            found.extend([ring_of(r, arcs) for r in poly] for poly in geometry["arcs"])
        else:
            raise SystemExit(f"unexpected geometry {kind}")

    add(topology["objects"]["land"])
    return found


def unwrap(ring: Ring) -> Ring:
    """The ring with continuous longitudes (no step over 180 degrees), closed; a ring
    around a pole comes back 360 degrees off and is closed along that pole."""
    out: Ring = [ring[0]]
    for lon, lat in ring[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        out.append((lon, lat))
    turn = out[-1][0] - out[0][0]
    if abs(turn) > 180:  # around a pole: run along it back to the start
        pole = -90.0 if sum(lat for _, lat in out) < 0 else 90.0
        out += [(out[-1][0], pole), (out[0][0], pole)]
    if out[-1] != out[0]:
        out.append(out[0])
    return out


def _clip(ring: Ring, x: float, keep_above: bool) -> Ring:
    """Sutherland-Hodgman: the part of the closed ring on one side of longitude ``x``."""

    def inside(p: Point) -> bool:
        return p[0] >= x if keep_above else p[0] <= x

    out: Ring = []
    for a, b in itertools.pairwise(ring):
        if inside(a):
            out.append(a)
        if inside(a) != inside(b):
            t = (x - a[0]) / (b[0] - a[0])
            out.append((x, a[1] + t * (b[1] - a[1])))
    if out and out[-1] != out[0]:
        out.append(out[0])
    return out


def signed_area(ring: Ring) -> float:
    """Shoelace area in (lon, lat): positive when counter-clockwise with north up."""
    return 0.5 * sum(
        a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def within_map(ring: Ring) -> list[Ring]:
    """The ring cut to [-180, 180]: its unwrapped form and copies shifted by 360 degrees,
    each clipped to the map; pieces without area are dropped."""
    flat = unwrap(ring)
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        moved = [(lon + shift, lat) for lon, lat in flat]
        if max(p[0] for p in moved) <= -180 or min(p[0] for p in moved) >= 180:
            continue
        piece = _clip(_clip(moved, -180.0, True), 180.0, False)
        if len(piece) >= 4 and abs(signed_area(piece)) > 1e-9:
            pieces.append(piece)
    return pieces


def rounded(ring: Ring) -> list[list[float]]:
    """The ring's points rounded to ``DECIMALS``, repeats dropped, closed, as lists."""
    out: list[list[float]] = []
    for lon, lat in ring:
        p = [round(lon, DECIMALS) + 0.0, round(lat, DECIMALS) + 0.0]  # + 0.0: no -0.0
        if not out or p != out[-1]:
            out.append(p)
    if out and out[-1] != out[0]:
        out.append(out[0])
    return out


def oriented(ring: list[list[float]], hole: bool) -> list[list[float]]:
    """Outer rings clockwise with north up (negative shoelace area), holes the other way."""
    area = signed_area([(p[0], p[1]) for p in ring])
    return ring[::-1] if (area > 0) != hole else ring


def build(topology: dict[str, Any]) -> list[list[list[float]]]:
    rings = []
    for polygon in polygons_of(topology):
        for k, ring in enumerate(polygon):
            for piece in within_map(ring):
                points = rounded(piece)
                if len(points) >= 4 and abs(signed_area([(x, y) for x, y in points])) > 0:
                    rings.append(oriented(points, hole=k > 0))
    for ring in rings:
        for lon, lat in ring:
            assert -180 <= lon <= 180 and -90 <= lat <= 90, (lon, lat)
            assert not math.isnan(lon + lat)
    return rings


def render(rings: list[list[list[float]]], built: str) -> str:
    """The JSON file: a header, then one ring per line (compact but diffable)."""
    header = {
        "source": "Natural Earth 1:110m land (naturalearthdata.com), version 4.1.0, "
        f"as land-110m.json of the npm package {PACKAGE}@{VERSION}",
        "package": PACKAGE,
        "version": VERSION,
        "tarball": TARBALL,
        "integrity": INTEGRITY,
        "licence": "Natural Earth data: public domain; world-atlas: ISC (Copyright "
        f"2013-2019 Michael Bostock; the licence text is {LICENCE_FILE} beside this file)",
        "built": built,
        "built_by": "scripts/build_world_outline.py",
        "format": "rings of [lon, lat] in degrees, rounded to "
        f"{DECIMALS} decimals, each closed and within [-180, 180] x [-90, 90]; outer "
        "rings clockwise with north up, holes counter-clockwise",
    }
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"{json.dumps(key)}: {json.dumps(value)},")
    lines.append('"rings": [')
    body = [json.dumps(r, separators=(",", ":")) for r in rings]
    lines.append(",\n".join(body))
    lines.append("]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help=f"{PACKAGE}-{VERSION}.tgz or land-110m.json")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="the built date")
    args = parser.parse_args(argv)
    topology, licence = read_source(args.source)
    rings = build(topology)
    text = render(rings, args.date)
    json.loads(text)  # it parses
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    if licence is not None:
        notice = args.out.with_name(LICENCE_FILE)
        notice.write_text(LICENCE_HEADER + licence, encoding="utf-8")
        print(f"{notice}: the licence of {PACKAGE}@{VERSION}")
    points = sum(len(r) for r in rings)
    print(f"{args.out}: {len(rings)} rings, {points} points, {len(text.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
