"""Vector tiles of a large level (etl/store/tiles.py): made by the load with DuckDB's ST_AsMVT, numbered as the
dashboard numbers the units, every unit in them at every zoom, published as static files without holes in the box."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import box

import etl.store.tiles
from dashboard import queries
from dashboard.geometry import publish_tiles
from etl.pipeline.load import load_workspace
from etl.store.extensions import load_spatial
from etl.store.tiles import stored_tiles, zoom_range
from etl.tools.synthetic import coverage
from etl.workspace import read_workspace
from tests.mvt import layers, polygons

UNITS = 600
WORKSPACE = """[workspace]
name = "tiles"
levels = ["rejon"]

[[boundaries]]
id = "rejony"
path = "rejony.gpkg"
level = "rejon"
code = "kod"
name = "nazwa"
"""


def _level(root: Path, n: int = UNITS) -> Path:
    cells = coverage(box(600_000, 450_000, 640_000, 490_000), n, seed=3)
    pyogrio.write_dataframe(cells, root / "rejony.gpkg")
    (root / "ws.toml").write_text(WORKSPACE, "utf-8")
    return root / "ws.toml"


@pytest.fixture(scope="module")
def tiled(tmp_path_factory):
    """A level of 600 units loaded with the threshold at 500: the load makes its tiles."""
    root = tmp_path_factory.mktemp("tiles")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(etl.store.tiles, "TILES_AT_LOAD", 500)
        load_workspace(read_workspace(_level(root)), root / "t.duckdb")
    con = duckdb.connect(str(root / "t.duckdb"), read_only=True)
    load_spatial(con)
    yield con
    con.close()


def held(tiles: list[tuple]) -> dict:
    """Which feature numbers each tile holds."""
    return {(z, x, y): sorted(i for i, _k in layers(b)["units"]["features"]) for z, x, y, b in tiles}


def _tile_of(z: int, lon: float, lat: float) -> tuple[int, int]:
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def test_the_load_makes_tiles_with_every_unit_numbered_in_code_order(tiled):
    tiles = stored_tiles(tiled, "rejon")
    zooms = sorted({z for z, *_r in tiles})
    assert zooms == list(range(zooms[0], zooms[-1] + 1)) and len(zooms) >= 3, zooms
    for z in zooms:
        ids: set[int] = set()
        for tz, _x, _y, body in tiles:
            if tz == z:
                layer = layers(body)["units"]
                assert layer["extent"] == 4096
                assert {kind for _i, kind in layer["features"]} == {3}, z  # polygons only
                ids |= {i for i, _k in layer["features"]}
        assert ids == set(range(UNITS)), (z, len(ids))  # every unit, numbered 0 … n-1, at every zoom

    codes, names = queries.numbered_units(tiled, "rejon")
    assert codes == sorted(codes) and len(codes) == UNITS
    # the unit numbered k is drawn where unit codes[k] is: its tile at the last zoom holds feature k
    wkb = dict(tiled.execute("SELECT code, ST_AsWKB(geom) FROM unit_display WHERE level = 'rejon'").fetchall())
    by_place = {(z, x, y): body for z, x, y, body in tiles}
    for k in (0, 1, UNITS // 2, UNITS - 1):
        inside = shapely.point_on_surface(shapely.from_wkb(bytes(wkb[codes[k]])))
        x, y = _tile_of(zooms[-1], inside.x, inside.y)
        numbers = {i for i, _kind in layers(by_place[(zooms[-1], x, y)])["units"]["features"]}
        assert k in numbers, (k, codes[k], x, y)


def test_the_dashboard_makes_the_tiles_a_store_lacks(tiled, tmp_path):
    """A store whose level was loaded under the threshold (or before tiles were kept): the same tiles, made on
    the dashboard's read-only connection."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(etl.store.tiles, "TILES_AT_LOAD", 10**9)
        load_workspace(read_workspace(_level(tmp_path)), tmp_path / "u.duckdb")
    con = duckdb.connect(str(tmp_path / "u.duckdb"), read_only=True)
    try:
        assert stored_tiles(con, "rejon") == []
        made = queries.level_tiles(con, "rejon")

        assert held(made) == held(stored_tiles(tiled, "rejon"))
    finally:
        con.close()


def test_a_reload_below_the_threshold_drops_the_tiles(tmp_path):
    workspace = read_workspace(_level(tmp_path, 80))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(etl.store.tiles, "TILES_AT_LOAD", 50)
        load_workspace(workspace, tmp_path / "v.duckdb")
    con = duckdb.connect(str(tmp_path / "v.duckdb"), read_only=True)
    assert stored_tiles(con, "rejon")
    con.close()
    cells = coverage(box(600_000, 450_000, 640_000, 490_000), 40, seed=4)  # the same level, now 40 units
    pyogrio.write_dataframe(cells, tmp_path / "rejony.gpkg")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(etl.store.tiles, "TILES_AT_LOAD", 50)
        load_workspace(read_workspace(tmp_path / "ws.toml"), tmp_path / "v.duckdb")
    con = duckdb.connect(str(tmp_path / "v.duckdb"), read_only=True)
    try:
        assert stored_tiles(con, "rejon") == []
    finally:
        con.close()


def test_zooms_run_from_a_phone_sized_whole_to_a_typical_unit_in_detail():
    project = Transformer.from_crs(4326, 3857, always_xy=True).transform
    x0, y0 = project(14.1, 49.0)
    x1, y1 = project(24.2, 54.9)
    assert zoom_range((x0, y0, x1, y1), 2_900) == (4, 10)  # Poland in 100,000 units of ~1.8 km
    assert zoom_range((x0, y0, x1, y1), 14_000) == (4, 8)  # Poland's 2,477 gminy
    city = (x0, y0, x0 + 30_000, y0 + 30_000)  # a city of 30 km in 5,000 parcels of ~400 m
    first, last = zoom_range(city, 700)
    assert first == 9 and last >= first  # 300 px at zoom 9 span 46 km
    first, last = zoom_range((x0, y0, x1, y1), 1.0)  # tiny units: no more than MAX_ZOOMS zooms
    assert last - first + 1 == etl.store.tiles.MAX_ZOOMS


def test_tiles_are_published_whole_with_every_tile_of_their_box(tiled, tmp_path):
    tiles = stored_tiles(tiled, "rejon")
    found = publish_tiles(tiles, "rejon", directory=tmp_path / "tiles")
    assert found is not None and found["url"].startswith("app/static/tiles/rejon-")
    folder = tmp_path / "tiles" / found["url"].rsplit("/", 1)[1]
    for z, x, y, body in tiles:
        assert (folder / str(z) / str(x) / f"{y}.pbf").read_bytes() == body
    west, south, east, north = found["bounds"]
    assert 14 < west < east < 24 and 49 < south < north < 55  # around the level, near Warsaw
    for z in range(found["minzoom"], found["maxzoom"] + 1):  # every tile MapLibre may ask for exists
        (xa, ya), (xb, yb) = _tile_of(z, west, north), _tile_of(z, east, south)
        for x in range(xa, xb + 1):
            for y in range(ya, yb + 1):
                assert (folder / str(z) / str(x) / f"{y}.pbf").exists(), (z, x, y)
    assert publish_tiles(tiles, "rejon", directory=tmp_path / "tiles") == found  # once: the same folder
    assert not list((tmp_path / "tiles").glob("*.tmp"))
    (tmp_path / "file").write_text("not a folder")
    assert publish_tiles(tiles, "rejon", directory=tmp_path / "file") is None  # not writable: the SVG map stays
    assert publish_tiles([], "rejon", directory=tmp_path / "tiles") is None


def test_a_store_from_before_tiles_has_none_kept_and_gets_them_made(tiled, tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    try:
        load_spatial(con)
        found = "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
        path = tiled.execute(found).fetchone()[0]
        con.execute(f"ATTACH '{path}' AS t (READ_ONLY)")
        for table in ("units", "unit_display"):
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM t.{table}")
        con.execute("DETACH t")
        assert stored_tiles(con, "rejon") == []  # no unit_tiles table: not an error
        assert len(queries.level_tiles(con, "rejon")) == len(stored_tiles(tiled, "rejon"))
    finally:
        con.close()


@pytest.mark.slow
def test_a_lake_store_keeps_the_same_tiles(tiled, lake, tmp_path):
    """DuckLake on PostgreSQL: the load writes the tiles in its transaction (one statement), the same as a file."""
    from etl import store

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(etl.store.tiles, "TILES_AT_LOAD", 500)
        load_workspace(read_workspace(_level(tmp_path)), lake)
    con = store.connect(lake, read_only=True)
    try:
        assert held(stored_tiles(con, "rejon")) == held(stored_tiles(tiled, "rejon"))
    finally:
        con.close()


def test_neighbours_share_their_borders_in_every_tile_at_every_zoom(tiled):
    """The display coverage cut into tiles and snapped to each tile's grid stays a coverage: in every tile the units
    neither overlap nor leave gaps between them (a gap of one grid step would show as a white line)."""
    tiles = stored_tiles(tiled, "rejon")
    for z, x, y, body in tiles:
        shapes = [shape for _id, shape in polygons(body)]
        assert shapes, (z, x, y)
        assert shapely.is_valid(shapes).all(), (z, x, y)
        assert shapely.coverage_is_valid(shapes, gap_width=1.0), (z, x, y)


def test_old_tile_folders_of_the_level_go_after_a_day_and_no_other_levels(tiled, tmp_path):
    """A day after a level's tiles change, its old folder goes — not the folder of another level whose name starts
    alike (``rejon-stat`` beside ``rejon``)."""
    import os
    import time

    folder = tmp_path / "tiles"
    old, other = folder / "rejon-0123456789abcdef", folder / "rejon-stat-0123456789abcdef"
    for path in (old, other):
        (path / "4").mkdir(parents=True)
        os.utime(path, (time.time() - 2 * 86_400,) * 2)
    assert publish_tiles(stored_tiles(tiled, "rejon"), "rejon", directory=folder) is not None
    assert not old.exists() and other.exists()


def test_an_empty_geometry_is_in_no_tile_and_the_others_keep_their_numbers():
    from etl.store.tiles import _mercator, _zoom_parts

    units = shapely.transform(
        [box(20.0, 52.0, 20.01, 52.01), shapely.Polygon(), box(20.01, 52.0, 20.02, 52.01)], _mercator
    )
    _tx, _ty, ids, shapes = _zoom_parts(units, 12)
    assert sorted(set(ids.tolist())) == [0, 2] and shapely.is_valid(shapes).all()


def test_a_unit_whose_islet_lands_on_one_grid_point_is_kept_in_every_zoom():
    """A coastal unit's islet of a few metres lands on one point of the first zooms' grid; GEOS refused to mend such a
    unit ("Overlay input is mixed-dimension") and the whole load failed. The islet is dropped where it is under a grid
    step, the unit and its neighbour are drawn at every zoom, and the islet is back where the grid is fine enough."""
    from etl.store.tiles import build_tiles

    con = duckdb.connect()
    load_spatial(con)
    islet = box(18.70012, 54.70012, 18.7002, 54.7002)  # first among the unit's parts, as GEOS refused it
    coast = shapely.MultiPolygon([islet, box(18.0, 54.0, 18.5, 54.5)])
    inland = [
        box(18.0 + i / 40, 53.5 + j / 40, 18.0 + (i + 1) / 40, 53.5 + (j + 1) / 40)
        for i in range(20)
        for j in range(20)
    ]
    con.execute("CREATE TABLE display (code TEXT, level TEXT, geom GEOMETRY)")
    for code, shape in [("000", coast), *((f"{k + 1:03d}", cell) for k, cell in enumerate(inland))]:
        con.execute("INSERT INTO display VALUES (?, 'gmina', ST_GeomFromText(?))", [code, shape.wkt])
    tiles = build_tiles(con, "gmina", display="display")
    zooms = sorted({z for z, *_ in tiles})
    assert len(zooms) > 1
    for z in zooms:
        shapes = [(i, shape) for zz, _x, _y, body in tiles if zz == z for i, shape in polygons(body)]
        assert {i for i, _shape in shapes} == set(range(401)), z
        assert shapely.is_valid([shape for _i, shape in shapes]).all(), z
    islet_tile = _tile_of(zooms[-1], 18.70016, 54.70016)
    assert (zooms[-1], *islet_tile) in {(z, x, y) for z, x, y, _b in tiles}, "the islet is drawn in detail"
