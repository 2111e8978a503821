"""Vector tiles of a large level's display geometry, made once when the level is loaded.

A level of thousands of units is drawn by MapLibre in the browser (``dashboard/large_map.py``). Its geometry
goes there as Mapbox Vector Tiles (EPSG:3857, 512 px, extent 4096), made here from ``unit_display`` and kept in
``unit_tiles`` beside it — written in the load's transaction, so that tiles and data versions never disagree, and
paid once by the analyst's load instead of by each planner's browser (which would otherwise parse and cut a GeoJSON
file of megabytes: 100,000 units, 22 MB).

For each zoom shapely moves the whole coverage onto that zoom's grid at once (a vertex neighbours share lands on the
same grid point for both) and cuts the units that cross tiles; DuckDB spatial's ``ST_AsMVT`` encodes the tiles.
DuckDB's ``ST_AsMVTGeom`` did the cutting and snapping in an earlier version: it treats each unit alone and opened
slivers between neighbours (gaps of 0.4% of the covered area at the first zoom of 100,000 units, 0.02% now; at the
zooms where units are more than a few grid steps wide, none — tests/test_tiles.py) and took twice as long.

Each feature's id is the unit's position among the level's units in code order
(``dashboard.queries.numbered_units`` gives the codes in that order); the browser recolours a unit through its
feature state by that number, so a year change sends only classes, never geometry. The zooms made run from the one
at which the whole level fits a phone's map (:func:`zoom_range`) to the one at which a typical unit is
:data:`DETAIL_PX` pixels across; MapLibre magnifies the last zoom's tiles beyond it (their extent of 4,096 keeps
eight times the detail a 512-pixel tile shows).
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor, as_completed

import duckdb
import numpy as np
import pyarrow as pa
import shapely

from etl.store.extensions import load_spatial
from geodata.repair import made_valid

#: From this many units up a level is drawn by MapLibre from vector tiles (``LDATLAS_LARGE_LEVEL`` changes it). ``make
#: bench`` measures both maps: Poland's 2,477 gminy paint in ~2.1 s from tiles against ~2.8 s for Plotly's SVG map
#: (whose pan and zoom redraw every path), 10,000 units in ~2.5 s against ~4 s. Smaller levels — a city's districts —
#: keep the SVG map, which draws them within the pages' 2.5 s budget.
LARGE_LEVEL = int(os.environ.get("LDATLAS_LARGE_LEVEL") or 2_000)
#: From this many units up ``ldatlas load`` makes the level's tiles (20 s for 100,000 units, which no planner should
#: wait for); a large level under it — Poland's gminy, ~1 s — gets them made by the dashboard on first use (once per
#: data version), so that its load stays within 3x a bare read of the file (``make bench``).
TILES_AT_LOAD = int(os.environ.get("LDATLAS_TILES_AT_LOAD") or 5_000)
#: Half the width of the Web Mercator world (EPSG:3857), metres.
HALF_WORLD = 20037508.342789244
#: A tile's size on screen (px) and its coordinate grid.
TILE_PX, EXTENT = 512, 4096
#: The narrowest map the whole level must fit at the first zoom made (a phone's map, px).
FIT_PX = 300
#: At the last zoom made, a unit of median size is this many pixels across.
DETAIL_PX = 32
#: The most zooms made for one level (each costs a pass over every unit).
MAX_ZOOMS = 8

#: A tile's buffer around its edge (grid units), as MapLibre expects, so that borders on the edge draw whole.
BUFFER = 64
#: The Earth's radius of Web Mercator (metres).
RADIUS = 6378137.0

# Each tile's features, their geometry already in the tile's grid: DuckDB spatial encodes them.
_ENCODE = f"""SELECT tx, ty, ST_AsMVT({{'id': id, 'geom': ST_GeomFromWKB(wkb)}}, 'units', {EXTENT}, 'geom', 'id')
FROM _tile_parts GROUP BY tx, ty ORDER BY tx, ty"""


def _mercator(coords: np.ndarray) -> np.ndarray:
    lon, lat = coords[:, 0], np.clip(coords[:, 1], -85.0511, 85.0511)
    return np.column_stack([RADIUS * np.radians(lon), RADIUS * np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))])


def _grid(units: np.ndarray, z: int) -> np.ndarray:
    """The units (EPSG:3857) in the zoom's whole-world grid (x right, y down; a tile is EXTENT units wide), every
    vertex moved to the nearest grid point: a vertex neighbours share lands on the same point for both."""
    scale = EXTENT * 2**z / (2 * HALF_WORLD)
    grid = shapely.transform(
        units, lambda c: np.column_stack([(c[:, 0] + HALF_WORLD) * scale, (HALF_WORLD - c[:, 1]) * scale])
    )
    return shapely.set_precision(grid, 1.0, mode="pointwise")


def _polygons(geoms: np.ndarray) -> np.ndarray:
    """Only the polygons of each geometry (a clip along a tile's buffer may leave lines or points; a unit a grid
    step or two wide may have folded onto itself when snapped: mended, its outline kept); None if none."""
    broken = ~shapely.is_valid(geoms)
    geoms[broken] = made_valid(geoms[broken])  # an islet snapped onto one point: its unit mended all the same
    kind = shapely.get_type_id(geoms)
    keep = geoms.copy()
    keep[~np.isin(kind, (3, 6))] = None
    mixed = np.flatnonzero(kind == 7)
    for i in mixed:
        parts = [p for p in shapely.get_parts(geoms[i]) if shapely.get_type_id(p) in (3, 6)]
        keep[i] = shapely.union_all(parts) if parts else None
    empty = shapely.is_empty(keep) | (shapely.area(keep) <= 0)
    keep[empty] = None
    return keep


def _zoom_parts(units: np.ndarray, z: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(tile x, tile y, feature number, geometry in that tile's grid) of every unit in every tile it touches: a unit
    inside one tile is moved there whole; one across tiles is cut by each tile's box (buffer included), and the
    cut's new vertices rounded — the same for both neighbours of a border, which meet the box at the same point."""
    grid = _grid(units, z)
    b = np.nan_to_num(shapely.bounds(grid))  # an empty geometry (none is expected) is in no tile: nx = 0 below
    x0, y0 = np.floor((b[:, 0] - BUFFER) / EXTENT).astype(int), np.floor((b[:, 1] - BUFFER) / EXTENT).astype(int)
    x1, y1 = np.floor((b[:, 2] + BUFFER) / EXTENT).astype(int), np.floor((b[:, 3] + BUFFER) / EXTENT).astype(int)
    nx, ny = np.where(shapely.is_empty(grid), 0, x1 - x0 + 1), y1 - y0 + 1
    ids = np.repeat(np.arange(len(units)), nx * ny)
    step = np.arange(len(ids)) - np.repeat(np.cumsum(nx * ny) - nx * ny, nx * ny)  # each unit's tiles, 0, 1, …
    tx, ty = x0[ids] + step % nx[ids], y0[ids] + step // nx[ids]
    whole = (nx * ny == 1)[ids]
    shapes = grid[ids]
    cut = ~whole
    if cut.any():
        left, top = tx[cut] * EXTENT - BUFFER, ty[cut] * EXTENT - BUFFER
        boxes = shapely.box(left, top, left + EXTENT + 2 * BUFFER, top + EXTENT + 2 * BUFFER)
        crossing = shapes[cut]
        broken = ~shapely.is_valid(crossing)  # a unit a few grid steps wide may fold onto itself when snapped
        crossing[broken] = made_valid(crossing[broken])
        shapes[cut] = shapely.set_precision(shapely.intersection(crossing, boxes), 1.0, mode="pointwise")
    offsets = np.column_stack([tx * EXTENT, ty * EXTENT]).astype(float)
    coords, index = shapely.get_coordinates(shapes, return_index=True)
    shapes = shapely.set_coordinates(shapes.copy(), coords - offsets[index])
    shapes = _polygons(shapes)
    kept = ~shapely.is_missing(shapes)
    shapes[kept] = shapely.remove_repeated_points(shapes[kept], 0.0)  # points snapped together: one, on both sides
    # MVT's exterior rings have a positive area in the tile's y-down grid: anticlockwise as shapely reckons it
    return tx[kept], ty[kept], ids[kept], shapely.orient_polygons(shapes[kept], exterior_cw=False)


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
    ``code``, ``level`` and ``geom`` in EPSG:4326), each unit numbered by its position in code order; none when the
    level has no geometry. Shapely cuts and snaps the coverage for each zoom; DuckDB's ``ST_AsMVT`` encodes."""
    load_spatial(con)
    con.execute("SET enable_progress_bar = false")  # the loader says its own steps
    rows = con.execute(
        f"SELECT ST_AsWKB(geom) FROM {display} WHERE level = ? AND geom IS NOT NULL ORDER BY code", [level]
    ).fetchall()
    if not rows:
        return []
    units = shapely.transform(shapely.from_wkb([bytes(r[0]) for r in rows]), _mercator)
    x0, y0, x1, y1 = shapely.total_bounds(units)
    first, last = zoom_range((x0, y0, x1, y1), float(np.median(np.sqrt(shapely.area(units)))))
    by_zoom: dict[int, list[tuple]] = {}
    # the zooms are cut beside each other, the costliest (the deepest) first: shapely lets go of Python's lock for
    # most of its work (100,000 units: 24 s → 18 s on two cores); each is encoded as soon as it is cut
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        cutting = {pool.submit(_zoom_parts, units, z): z for z in range(last, first - 1, -1)}
        for done in as_completed(cutting):
            z = cutting.pop(done)
            tx, ty, ids, shapes = done.result()
            parts = pa.table({"tx": tx, "ty": ty, "id": ids, "wkb": pa.array(shapely.to_wkb(shapes), pa.binary())})
            con.register("_tile_parts", parts)
            try:
                by_zoom[z] = [(z, int(x), int(y), bytes(tile)) for x, y, tile in con.execute(_ENCODE).fetchall()]
            finally:
                con.unregister("_tile_parts")
    return [tile for z in sorted(by_zoom) for tile in by_zoom[z]]


def write_tiles(con: duckdb.DuckDBPyConnection, level: str, units: int) -> int:
    """Replace the level's tiles in ``unit_tiles``: made anew when it has :data:`TILES_AT_LOAD` units or more (its
    display geometry already written), none below. Returns how many were written."""
    con.execute("DELETE FROM unit_tiles WHERE level = ?", [level])
    if units < TILES_AT_LOAD:
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
