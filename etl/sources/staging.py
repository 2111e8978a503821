"""A boundary source's geometries checked, repaired, reprojected and measured, ready to be stored as units.

A layer of :data:`IN_DUCKDB_AT` features or more is worked on in DuckDB, as WKB: its geometries never become Python
objects (only the few that need repairing do) — for 100,000 units a shapely object per geometry cost more than
GDAL's whole read, and holding Python's lock it made the display coverage, simplified beside the load, wait.
DuckDB's spatial functions (GEOS and PROJ, which shapely and pyproj use too) do the same work with the lock
released. A smaller layer goes through shapely and pyproj (:mod:`geodata.projection`, :mod:`geodata.repair`):
loading DuckDB's spatial extension into the run's store costs ~0.2 s, more than it saves there (the 2,477 gminy
load in ~0.35 s). Both give the same units (tests/test_boundaries.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import geopandas as gpd
import numpy as np
import pyarrow as pa
import shapely
from pyproj import CRS

from etl.store.extensions import load_spatial
from etl.store.runs import geoarrow_table
from geodata import settings
from geodata.io import Features
from geodata.projection import (
    LOCAL_SPAN_M,
    areas_km2,
    check_lonlat,
    in_metres,
    is_storage_crs,
    scaled_areas_km2,
    source_crs,
    to_storage_crs,
    with_source_crs,
)
from geodata.repair import repair

#: The temporary table :func:`stage` fills: ``i`` (the feature's position), ``g`` (EPSG:4326) and, for a layer
#: worked on in DuckDB, ``g_file`` (as read).
STAGED = "_staged_units"

#: From this many features on, a layer is worked on in DuckDB (see the module's text).
IN_DUCKDB_AT = 20_000
_READ = "_read_units"


@dataclass(frozen=True)
class Staged:
    """What :func:`stage` found out about each feature (by position)."""

    crs: CRS
    missing: np.ndarray  # no polygonal geometry (none in the file, or none left after repair)
    repaired: np.ndarray  # made valid (its area is then measured from the repaired geometry)
    areas_km2: np.ndarray | None = None  # every feature's area, where shapely measured them


def _bounds(con: duckdb.DuckDBPyConnection, source: str, columns: tuple[str, ...]) -> list[np.ndarray]:
    """The bounds (xmin, ymin, xmax, ymax) of each geometry column of ``source`` (NaN where it has none)."""
    parts = [
        f"{agg}(ST_{end}({c})) FILTER (WHERE NOT ST_IsEmpty({c}))"
        for c in columns
        for agg, end in (("min", "XMin"), ("min", "YMin"), ("max", "XMax"), ("max", "YMax"))
    ]
    row = con.execute(f"SELECT {', '.join(parts)} FROM {source}").fetchone() or (None,) * len(parts)
    values = np.array([np.nan if v is None else v for v in row], dtype=float)
    return [values[4 * k : 4 * k + 4] for k in range(len(columns))]


def _crs_text(crs: CRS) -> str:
    """``crs`` as a SQL string literal's text (its EPSG code where it has one)."""
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.to_wkt().replace("'", "''")


def stage(con: duckdb.DuckDBPyConnection, features: Features, *, declared_crs: str | None, source_name: str) -> Staged:
    """Put ``features``' geometries in the temporary table :data:`STAGED`: repaired as :func:`geodata.repair.repair`
    repairs them (only those DuckDB finds invalid, empty or not polygonal go through it) and reprojected to the
    store's CRS. Raises :class:`geodata.errors.GeodataError` for a layer without a CRS or with metres as degrees."""
    if len(features) < IN_DUCKDB_AT:
        return _stage_with_shapely(con, features, declared_crs=declared_crs, source_name=source_name)
    load_spatial(con)  # the run's connection opens without it
    n = len(features)
    read = geoarrow_table(pa.table({"i": np.arange(n, dtype=np.int64), "wkb": features.wkb}))
    con.register(_READ, pa.Table.from_batches(read.to_batches(max_chunksize=8192)))  # batches: one per DuckDB task
    try:
        crs = source_crs(
            features.crs, lambda: _bounds(con, _READ, ("wkb",))[0], declared_crs=declared_crs, source_name=source_name
        )
        moved = f"ST_Transform(wkb, '{_crs_text(crs)}', '{settings.storage_crs}', always_xy := true)"
        con.execute(  # one pass over the file's batches: as read, moved to the store's CRS, and whether it needs repair
            f"CREATE OR REPLACE TEMP TABLE {STAGED} AS SELECT *, g IS NOT NULL AND (ST_IsEmpty(g) "
            "OR ST_GeometryType(g) NOT IN ('POLYGON', 'MULTIPOLYGON') OR NOT ST_IsValid(g)) AS to_fix FROM "
            f"(SELECT i, wkb AS g_file, {'wkb' if is_storage_crs(crs) else moved} AS g FROM {_READ})"
        )
    finally:
        con.unregister(_READ)
    # repaired where they are stored (in lon/lat, as the loader always did), by shapely
    to_fix = con.execute(f"SELECT i, ST_AsWKB(g) AS wkb FROM {STAGED} WHERE to_fix ORDER BY i").to_arrow_table()
    repaired = np.zeros(n, dtype=bool)
    if to_fix.num_rows:
        fixed, changed = repair(shapely.from_wkb(to_fix.column("wkb").to_numpy(zero_copy_only=False)))
        where = to_fix.column("i").to_numpy()
        repaired[where] = changed
        con.register(_READ, geoarrow_table(pa.table({"i": where, "wkb": pa.array(shapely.to_wkb(fixed), pa.binary())})))
        con.execute(f"UPDATE {STAGED} SET g = r.wkb FROM {_READ} r WHERE {STAGED}.i = r.i")
        con.unregister(_READ)
    missing = con.execute(f"SELECT g IS NULL AS missing FROM {STAGED} ORDER BY i").fetchnumpy()["missing"]
    stored, as_read = _bounds(con, STAGED, ("g", "g_file"))
    check_lonlat(stored, as_read, crs, source_name)
    return Staged(crs, np.asarray(missing, dtype=bool), repaired)


def _stage_with_shapely(
    con: duckdb.DuckDBPyConnection, features: Features, *, declared_crs: str | None, source_name: str
) -> Staged:
    """:func:`stage` for a small layer, by shapely and pyproj."""
    as_read = gpd.GeoSeries(shapely.from_wkb(features.wkb.to_numpy(zero_copy_only=False)), crs=features.crs)
    frame = with_source_crs(gpd.GeoDataFrame(geometry=as_read), declared_crs=declared_crs, source_name=source_name)
    stored, repaired = repair(to_storage_crs(frame, declared_crs=None, source_name=source_name).geometry.values)
    areas = areas_km2(gpd.GeoDataFrame(geometry=stored, crs=settings.storage_crs), frame.geometry.where(~repaired))
    table = pa.table(
        {"i": np.arange(len(stored), dtype=np.int64), "wkb": pa.array(shapely.to_wkb(stored), pa.binary())}
    )
    con.register(_READ, geoarrow_table(table))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {STAGED} AS SELECT i, wkb AS g FROM {_READ}")
    finally:
        con.unregister(_READ)
    return Staged(CRS.from_user_input(frame.crs), shapely.is_missing(stored), repaired, areas)


def staged_areas_km2(con: duckdb.DuckDBPyConnection, staged: Staged, rows: np.ndarray) -> np.ndarray:
    """The area (km²) of the staged features at positions ``rows``, measured as :func:`geodata.projection.areas_km2`
    measures them: in the file's CRS scaled by the projection where it is in metres and the unit at most
    :data:`geodata.projection.LOCAL_SPAN_M` across and unrepaired, otherwise in the equal-area CRS."""
    if staged.areas_km2 is not None:
        return staged.areas_km2[rows]
    out = np.full(len(rows), np.nan)
    con.register("_area_rows", pa.table({"i": rows.astype(np.int64), "pos": np.arange(len(rows), dtype=np.int64)}))
    try:
        if in_metres(staged.crs):
            local = con.execute(
                f"SELECT r.pos, ST_Area(s.g_file) AS area, ST_X(ST_Centroid(s.g_file)) AS x, "
                f"ST_Y(ST_Centroid(s.g_file)) AS y FROM _area_rows r JOIN {STAGED} s USING (i) "
                "WHERE greatest(ST_XMax(s.g_file) - ST_XMin(s.g_file), ST_YMax(s.g_file) - ST_YMin(s.g_file)) <= ?",
                [LOCAL_SPAN_M],
            ).fetchnumpy()
            at = np.asarray(local["pos"], dtype=np.int64)
            keep = ~staged.repaired[rows[at]]
            at = at[keep]
            out[at] = scaled_areas_km2(
                staged.crs,
                np.asarray(local["area"], dtype=float)[keep],
                np.asarray(local["x"], dtype=float)[keep],
                np.asarray(local["y"], dtype=float)[keep],
            )
        rest = np.isnan(out)
        if rest.any():
            con.register("_area_rest", pa.table({"pos": np.flatnonzero(rest).astype(np.int64)}))
            measured = con.execute(
                f"SELECT r.pos, ST_Area(ST_Transform(s.g, ?, ?, always_xy := true)) / 1e6 AS km2 FROM _area_rest "
                f"JOIN _area_rows r USING (pos) JOIN {STAGED} s USING (i)",
                [settings.storage_crs, settings.equal_area_crs],
            ).fetchnumpy()
            con.unregister("_area_rest")
            out[np.asarray(measured["pos"], dtype=np.int64)] = np.asarray(measured["km2"], dtype=float)
    finally:
        con.unregister("_area_rows")
    return out
