"""The world's land as an SVG path, for maps the server draws inline (no tile server).

The outline is Natural Earth's 1:110m land (public domain), taken from the npm package
world-atlas 2.0.2 (ISC) and converted by ``scripts/build_world_outline.py`` into
``newsgraph/web/mapdata/world-110m.json``: closed rings of ``[lon, lat]`` rounded to 0.01
degree, cut at the antimeridian so none crosses the map, outer rings clockwise and holes
counter-clockwise (so the path fills right under SVG's default ``nonzero`` rule). The
file's header names the source, version, licence and build date.

The projection is equirectangular over the whole world: ``x = (lon + 180) / 360 * W``,
``y = (90 - lat) / 180 * H``. A map is ``<svg viewBox="0 0 W H">`` with
``<path d="{outline_path(W, H)}">`` and the located events at ``project(lon, lat, W, H)``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any, Final

__all__ = [
    "DATA_FILE",
    "Ring",
    "land_rings",
    "outline_info",
    "outline_path",
    "project",
    "ring_bbox",
]

#: The packaged outline, relative to the ``newsgraph.web`` package.
DATA_FILE: Final = "mapdata/world-110m.json"

#: One closed ring of (lon, lat) points in degrees.
Ring = tuple[tuple[float, float], ...]


def project(lon: float, lat: float, width: float, height: float) -> tuple[float, float]:
    """The point (x, y) of (lon, lat) on a ``width`` x ``height`` equirectangular map
    of the whole world (x grows east, y grows south; (0, 0) is at the centre).
    Longitudes and latitudes beyond the map are clamped to its edges."""
    lon = min(180.0, max(-180.0, lon))
    lat = min(90.0, max(-90.0, lat))
    return (lon + 180.0) / 360.0 * width, (90.0 - lat) / 180.0 * height


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    """The packaged file, read and checked once."""
    text = resources.files("newsgraph.web").joinpath(DATA_FILE).read_text("utf-8")
    found = json.loads(text)
    if not isinstance(found, dict) or not isinstance(found.get("rings"), list):
        raise ValueError(f"{DATA_FILE}: expected an object with a list of rings")
    for i, ring in enumerate(found["rings"]):
        ok = isinstance(ring, list) and len(ring) >= 4 and ring[0] == ring[-1]
        if ok:
            ok = all(
                isinstance(p, list)
                and len(p) == 2
                and all(isinstance(v, int | float) and math.isfinite(v) for v in p)
                and -180 <= p[0] <= 180
                and -90 <= p[1] <= 90
                for p in ring
            )
        if not ok:
            raise ValueError(f"{DATA_FILE}: ring {i} is not a closed ring of [lon, lat]")
    return found


@lru_cache(maxsize=1)
def land_rings() -> tuple[Ring, ...]:
    """Every ring of the land outline, as (lon, lat) tuples (read once)."""
    return tuple(tuple((float(lon), float(lat)) for lon, lat in ring) for ring in _load()["rings"])


def outline_info() -> dict[str, str]:
    """Where the outline comes from: source, package, version, licence, build date ..."""
    return {k: str(v) for k, v in _load().items() if k != "rings"}


def ring_bbox(ring: Ring) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of a ring."""
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _num(value: float, limit: float) -> str:
    """A coordinate in [0, limit] with at most one decimal and no ``-0``: short and
    stable. Rounding never takes it past either edge of the map."""
    tenths = min(max(round(value * 10), 0), math.floor(limit * 10))
    text = f"{tenths / 10:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


@lru_cache(maxsize=16)
def outline_path(width: float, height: float) -> str:
    """The SVG path ``d`` of the land on a ``width`` x ``height`` map: one ``M ... Z``
    subpath per ring, coordinates to 0.1 unit, repeated points dropped."""
    if not (width > 0 and height > 0 and math.isfinite(width) and math.isfinite(height)):
        raise ValueError(f"the map needs a positive finite size, not {width} x {height}")
    parts: list[str] = []
    for ring in land_rings():
        points: list[str] = []
        for lon, lat in ring[:-1]:  # the closing point is the Z
            x, y = project(lon, lat, width, height)
            point = f"{_num(x, width)} {_num(y, height)}"
            if not points or points[-1] != point:
                points.append(point)
        if len(points) >= 3:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)
