"""Vector tiles of a large level's display geometry, made once when the level is loaded.

A level of thousands of units is drawn by MapLibre in the browser (``dashboard/large_map.py``). Its geometry
goes there as Mapbox Vector Tiles (EPSG:3857, 512 px, extent 4096), made here by DuckDB spatial's own
``ST_AsMVTGeom``/``ST_AsMVT`` from ``unit_display`` and kept in ``unit_tiles`` beside it — written in the load's
transaction, so that tiles and data versions never disagree, and paid once by the analyst's load instead of by each
planner's browser (which would otherwise parse and cut a GeoJSON file of megabytes: 100,000 units, 22 MB).

Each feature's id is the unit's position among the level's units in code order (:func:`feature_codes` gives the
codes in that order); the browser recolours a unit through its feature state by that number, so a year change sends
only classes, never geometry. The zooms made run from the one at which the whole level fits a phone's map
(:func:`zoom_range`) to the one at which a typical unit is :data:`DETAIL_PX` pixels across; MapLibre magnifies the
last zoom's tiles beyond it (their extent of 4,096 keeps eight times the detail a 512-pixel tile shows).
"""

from __future__ import annotations

import math
import os

import duckdb
import pyarrow as pa

from etl.store.extensions import load_spatial

#: From this many units up a level is drawn by MapLibre from vector tiles (``LDATLAS_LARGE_LEVEL`` changes it; ``make
#: bench`` measures both maps at 10,000 units: Plotly's SVG map paints 2,477 gminy in ~3 s, 10,000 units in ~16 s).
LARGE_LEVEL = int(os.environ.get("LDATLAS_LARGE_LEVEL") or 5_000)
#: Half the width of the Web Mercator world (EPSG:3857), metres.
HALF_WORLD = 20037508.342789244
#: A tile's size on screen (px) and its coordinate grid.
TILE_PX, EXTENT = 512, 4096
#: The narrowest map the whole level must fit at the first zoom made (a phone's map, px).
FIT_PX = 300
#: At the last zoom made, a unit of median size is this many pixels across.
DETAIL_PX = 32
#: The most zooms made for one level (each costs a pass over every unit: ~4 s at 100,000 units on two cores).
MAX_ZOOMS = 8

_UNITS = """SELECT row_number() OVER (ORDER BY code) - 1 AS id,
    ST_Transform(geom, 'EPSG:4326', 'EPSG:3857', always_xy := true) AS geom
    FROM {display} WHERE level = ? AND geom IS NOT NULL"""

# Each unit once in every tile its box touches (most units touch one), clipped and snapped to that tile's grid;
# a unit's clip that keeps only lines or points (it touches the tile's buffer) is left out of that tile.
_PYRAMID = f"""WITH units AS (SELECT * FROM _tile_units),
boxes AS (SELECT id, geom, ST_XMin(geom) AS x0, ST_XMax(geom) AS x1, ST_YMin(geom) AS y0, ST_YMax(geom) AS y1,
          {2 * HALF_WORLD} / (1 << $z::INT) AS size FROM units),
placed AS (SELECT id, geom, tx, ty FROM boxes,
    range(floor((x0 + {HALF_WORLD}) / size)::INT, floor((x1 + {HALF_WORLD}) / size)::INT + 1) AS rx(tx),
    range(floor(({HALF_WORLD} - y1) / size)::INT, floor(({HALF_WORLD} - y0) / size)::INT + 1) AS ry(ty)),
clipped AS (SELECT tx, ty, id, ST_CollectionExtract(ST_AsMVTGeom(geom,
    ST_Extent(ST_TileEnvelope($z::INT, tx::INT, ty::INT)), {EXTENT}, 64, true), 3) AS geom FROM placed)
SELECT tx, ty, ST_AsMVT({{'id': id, 'geom': geom}}, 'units', {EXTENT}, 'geom', 'id')
FROM clipped WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom) GROUP BY tx, ty ORDER BY tx, ty"""


def zoom_range(bounds: tuple[float, float, float, float], median_size: float) -> tuple[int, int]:
    """(first, last) zoom to make for a level whose units span ``bounds`` (EPSG:3857, metres) and whose median unit
    is ``median_size`` metres across (EPSG:3857 metres too)."""
    x0, y0, x1, y1 = bounds
    world = 2 * HALF_WORLD
    span = max(x1 - x0, y1 - y0, 1.0)
    first = int(min(16, max(0, math.floor(math.log2(FIT_PX / TILE_PX * world / span)))))
    detail = math.ceil(math.log2(DETAIL_PX / TILE_PX * world / max(median_size, 1.0)))
    return first, int(min(first + MAX_ZOOMS - 1, max(first, detail)))


def build_tiles(con: duckdb.DuckDBPyConnection, level: str, display: str = "unit_display") -> list[tuple]:
    """The level's tiles as (z, x, y, tile bytes), from its display geometry in ``display`` (a table or view with
    ``code``, ``level`` and ``geom`` in EPSG:4326); none when the level has no geometry."""
    load_spatial(con)
    con.execute("SET enable_progress_bar = false")  # the loader says its own steps
    con.execute(f"CREATE OR REPLACE TEMP TABLE _tile_units AS {_UNITS.format(display=display)}", [level])
    try:
        found = con.execute(
            "SELECT count(*), min(ST_XMin(geom)), min(ST_YMin(geom)), max(ST_XMax(geom)), max(ST_YMax(geom)),"
            " median(sqrt(ST_Area(geom))) FROM _tile_units"
        ).fetchone()
        if not found or not found[0]:
            return []
        first, last = zoom_range(found[1:5], found[5])
        return [
            (z, int(x), int(y), bytes(tile))
            for z in range(first, last + 1)
            for x, y, tile in con.execute(_PYRAMID, {"z": z}).fetchall()
        ]
    finally:
        con.execute("DROP TABLE IF EXISTS _tile_units")


def write_tiles(con: duckdb.DuckDBPyConnection, level: str, units: int) -> int:
    """Replace the level's tiles in ``unit_tiles``: made anew when it has :data:`LARGE_LEVEL` units or more (its
    display geometry already written), none below. Returns how many were written."""
    con.execute("DELETE FROM unit_tiles WHERE level = ?", [level])
    if units < LARGE_LEVEL:
        return 0
    tiles = build_tiles(con, level)
    if tiles:  # one statement (a DuckLake store writes one data file, not one a tile)
        z, x, y, body = zip(*tiles, strict=True)
        frame = pa.table({"level": [level] * len(tiles), "z": z, "x": x, "y": y, "tile": pa.array(body, pa.binary())})
        con.register("_tiles", frame)
        try:
            con.execute("INSERT INTO unit_tiles SELECT level, z, x, y, tile FROM _tiles")
        finally:
            con.unregister("_tiles")
    return len(tiles)


def stored_tiles(con: duckdb.DuckDBPyConnection, level: str) -> list[tuple]:
    """The level's tiles kept in the store, as (z, x, y, tile bytes); none when it has none (a smaller level, or a
    store written before tiles were kept)."""
    try:
        rows = con.execute("SELECT z, x, y, tile FROM unit_tiles WHERE level = ? ORDER BY z, x, y", [level])
    except duckdb.CatalogException:  # a store an older release wrote, read before its next load migrates it
        return []
    return [(z, x, y, bytes(tile)) for z, x, y, tile in rows.fetchall()]
