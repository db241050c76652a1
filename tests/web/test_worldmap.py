"""The land outline of the server-drawn map (``newsgraph.web.worldmap``) and the script
that builds it from Natural Earth (``scripts/build_world_outline.py``)."""

from __future__ import annotations

import glob
import importlib.util
import itertools
import json
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import ROOT
from newsgraph.web import worldmap
from newsgraph.web.worldmap import land_rings, outline_info, outline_path, project, ring_bbox

DATA = ROOT / "src" / "newsgraph" / "web" / worldmap.DATA_FILE
SCRIPT = ROOT / "scripts" / "build_world_outline.py"
SIZES = [(1000.0, 500.0), (360.0, 180.0), (801.5, 413.25), (640.06, 320.04)]

#: (lon, lat) of places on land, and of places at sea (the Caspian is the outline's hole).
LAND = {
    "Nairobi": (36.82, -1.29),
    "Kinshasa": (15.31, -4.32),
    "Cairo": (31.24, 30.04),
    "Paris": (2.35, 48.86),
    "Moscow": (37.62, 55.76),
    "Brasília": (-47.88, -15.79),
    "Denver": (-104.99, 39.74),
    "Alice Springs": (133.88, -23.7),
    "Chukotka, east of 180": (-175.0, 67.0),
    "Viti Levu, Fiji": (178.0, -17.8),
    "South Pole": (0.0, -89.0),
}
SEA = {
    "Mid-Atlantic": (-30.0, 0.0),
    "Pacific": (-150.0, 0.0),
    "Indian Ocean": (80.0, -30.0),
    "Caspian Sea": (51.0, 42.0),
    "Bering Sea at 180": (179.9, 58.0),
}


def _inside(point: tuple[float, float], ring: tuple[tuple[float, float], ...]) -> bool:
    """Ray casting: is the point inside the closed ring?"""
    x, y = point
    found = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            found = not found
    return found


def on_land(lon: float, lat: float) -> bool:
    """Even-odd over every ring: inside an outer ring and not inside its hole."""
    return sum(_inside((lon, lat), r) for r in land_rings()) % 2 == 1


def _area(ring: tuple[tuple[float, float], ...]) -> float:
    return 0.5 * sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))


def _numbers(path: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]


# -- the projection --------------------------------------------------------------------


@pytest.mark.parametrize(("w", "h"), SIZES)
def test_the_projection_puts_0_0_at_the_centre_and_the_corners_at_the_corners(
    w: float, h: float
) -> None:
    assert project(0, 0, w, h) == (w / 2, h / 2)
    assert project(-180, 90, w, h) == (0, 0)
    assert project(180, -90, w, h) == (w, h)
    assert project(90, 45, w, h) == (w * 0.75, h * 0.25)


def test_the_projection_clamps_points_beyond_the_map() -> None:
    assert project(200, 100, 360, 180) == (360, 0)
    assert project(-999, -91, 360, 180) == (0, 180)


# -- the outline -----------------------------------------------------------------------


@pytest.mark.parametrize(("w", "h"), SIZES)
def test_the_outline_is_one_closed_subpath_per_ring_inside_the_box(w: float, h: float) -> None:
    d = outline_path(w, h)
    assert d.startswith("M") and d.endswith("Z")
    assert re.fullmatch(r"(M[-\d. L]+Z)+", d)
    assert d.count("M") == d.count("Z") == len(land_rings()) > 100
    numbers = _numbers(d)
    xs, ys = numbers[0::2], numbers[1::2]
    assert len(xs) == len(ys) > 4000
    assert min(xs) >= 0 and max(xs) <= w
    assert min(ys) >= 0 and max(ys) <= h
    # The land reaches both sides (Chukotka, Fiji) and the bottom (Antarctica).
    assert min(xs) == 0 and max(xs) >= w - 0.1 and max(ys) >= h - 0.1


def test_a_small_map_path_stays_compact() -> None:
    assert len(outline_path(1000, 500)) < 80_000


def test_a_bad_size_is_refused() -> None:
    for w, h in [(0, 100), (100, -1), (float("inf"), 10), (float("nan"), 10)]:
        with pytest.raises(ValueError):
            outline_path(w, h)


def test_every_point_is_on_the_map_and_every_ring_closed() -> None:
    for ring in land_rings():
        assert len(ring) >= 4 and ring[0] == ring[-1]
        for lon, lat in ring:
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_no_ring_streaks_across_the_map() -> None:
    """A segment longer than 90 degrees of longitude may only run along the map's edge
    (Antarctica closed along the south pole), never across it."""
    for ring in land_rings():
        for (lon1, lat1), (lon2, lat2) in itertools.pairwise(ring):
            if abs(lon2 - lon1) > 90:
                assert lat1 == lat2 and abs(lat1) == 90, ((lon1, lat1), (lon2, lat2))


def test_a_ring_covers_africa() -> None:
    boxes = [ring_bbox(r) for r in land_rings()]
    africa = [b for b in boxes if b[0] <= -17 and b[2] >= 51 and b[1] <= -34 and b[3] >= 37]
    assert africa, "no ring spans Dakar to the Horn, the Cape to Tunis"


@pytest.mark.parametrize("name", sorted(LAND))
def test_known_land_is_inside_the_outline(name: str) -> None:
    assert on_land(*LAND[name])


@pytest.mark.parametrize("name", sorted(SEA))
def test_known_sea_is_outside_the_outline(name: str) -> None:
    assert not on_land(*SEA[name])


def test_outer_rings_run_clockwise_and_the_one_hole_the_other_way() -> None:
    """With north up, clockwise is a negative shoelace area in (lon, lat)."""
    holes = [r for r in land_rings() if _area(r) > 0]
    assert len(holes) == 1
    assert _inside(SEA["Caspian Sea"], holes[0])


# -- the file --------------------------------------------------------------------------


@pytest.fixture
def fresh() -> Iterator[None]:
    """No cached outline before or after the test."""
    for cached in (worldmap._load, land_rings, outline_path):
        cached.cache_clear()
    yield
    for cached in (worldmap._load, land_rings, outline_path):
        cached.cache_clear()


def test_the_file_is_read_once(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    real = json.loads

    def counting(text: str, *args: Any, **kwargs: Any) -> Any:
        reads.append("read")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(worldmap.json, "loads", counting)
    first = outline_path(1000, 500)
    outline_path(500, 250)
    land_rings()
    outline_info()
    assert outline_path(1000, 500) is first
    assert len(reads) == 1
    assert worldmap._load.cache_info().misses == 1


def test_the_file_names_its_source_version_and_licence() -> None:
    info = outline_info()
    assert "Natural Earth" in info["source"]
    assert info["package"] == "world-atlas" and info["version"] == "2.0.2"
    assert "public domain" in info["licence"] and "ISC" in info["licence"]
    assert info["integrity"].startswith("sha512-")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["built"])
    assert "Natural Earth" in (worldmap.__doc__ or "")


def test_the_file_is_small_and_shipped_in_the_package() -> None:
    assert DATA.stat().st_size < 150_000
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["newsgraph"]
    package = ROOT / "src" / "newsgraph"
    shipped = {Path(f).resolve() for p in patterns for f in glob.glob(str(package / p))}
    assert DATA.resolve() in shipped
    notice = DATA.with_name("world-110m.LICENSE.txt")
    assert notice.resolve() in shipped
    assert "Michael Bostock" in notice.read_text(encoding="utf-8")


# -- the build script ------------------------------------------------------------------


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_world_outline", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _topology(*rings: list[tuple[float, float]]) -> dict[str, Any]:
    """A TopoJSON of one polygon per ring, quantized to 0.01 degree, one arc per ring."""
    arcs = []
    for ring in rings:
        q = [(round((x + 180) * 100), round((y + 90) * 100)) for x, y in ring]
        arcs.append([list(q[0])] + [[b[0] - a[0], b[1] - a[1]] for a, b in itertools.pairwise(q)])
    return {
        "type": "Topology",
        "transform": {"scale": [0.01, 0.01], "translate": [-180, -90]},
        "arcs": arcs,
        "objects": {
            "land": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "MultiPolygon", "arcs": [[[i]] for i in range(len(rings))]}
                ],
            }
        },
    }


def test_the_script_splits_a_ring_that_crosses_the_antimeridian(builder: ModuleType) -> None:
    island = [(170.0, -10.0), (-170.0, -10.0), (-170.0, -20.0), (170.0, -20.0), (170.0, -10.0)]
    rings = builder.build(_topology(island))
    assert len(rings) == 2
    boxes = sorted(
        (min(p[0] for p in r), max(p[0] for p in r), min(p[1] for p in r), max(p[1] for p in r))
        for r in rings
    )
    assert boxes == [(-180, -170, -20, -10), (170, 180, -20, -10)]
    for r in rings:
        assert r[0] == r[-1]
        assert all(abs(b[0] - a[0]) <= 180 for a, b in itertools.pairwise(r))


def test_the_script_closes_a_ring_around_the_pole_along_the_map_edge(builder: ModuleType) -> None:
    # Westward around the south pole, as world-atlas draws Antarctica.
    lons = [170.0 - 40 * i for i in range(10)]  # 170 ... -190: one full turn
    antarctica = [((lon + 180) % 360 - 180, -70.0 + (i % 2)) for i, lon in enumerate(lons)]
    antarctica.append(antarctica[0])
    rings = builder.build(_topology(antarctica))
    points = [p for r in rings for p in r]
    assert min(p[0] for p in points) == -180 and max(p[0] for p in points) == 180
    assert min(p[1] for p in points) == -90  # filled down to the bottom edge
    for r in rings:
        for a, b in itertools.pairwise(r):
            assert abs(b[0] - a[0]) <= 90 or a[1] == b[1] == -90, (a, b)


def test_the_script_checks_the_tarball_integrity(builder: ModuleType) -> None:
    with pytest.raises(SystemExit):
        builder.check_integrity(b"not the tarball")
