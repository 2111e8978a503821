"""Geometry repair: keep the polygonal part of what ``make_valid`` returns."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

POLYGONAL = ("Polygon", "MultiPolygon")


def polygonal_part(geom: BaseGeometry | None) -> BaseGeometry | None:
    """The polygons of a (possibly mixed) geometry, as a Polygon or MultiPolygon; None if there are none."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in POLYGONAL:
        return geom
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in shapely.get_parts(geom) if g.geom_type in POLYGONAL and not g.is_empty]
        polygons = []
        for part in parts:
            polygons.extend(shapely.get_parts(part))
        if not polygons:
            return None
        return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
    return None


def made_valid(geoms: np.ndarray) -> np.ndarray:
    """``shapely.make_valid`` (line work kept) of each geometry. GEOS refuses a multipolygon whose first ring has
    shrunk onto one point ("Overlay input is mixed-dimension": an islet under the grid a file or a display was
    rounded to, a degenerate part in a file); such a geometry is mended from its shells and holes instead, the
    collapsed rings dropped."""
    try:
        return shapely.make_valid(geoms)
    except shapely.errors.GEOSException:
        return np.array([_mended(g) for g in geoms], dtype=object)


def _mended(geom: BaseGeometry | None) -> BaseGeometry | None:
    try:
        return shapely.make_valid(geom)
    except shapely.errors.GEOSException:
        return shapely.make_valid(geom, method="structure", keep_collapsed=False)


def is_valid(geoms: np.ndarray) -> np.ndarray:
    """``shapely.is_valid`` on both halves of a large array at once (GEOS releases the GIL)."""
    if len(geoms) < 1000:
        return shapely.is_valid(geoms)
    mid = len(geoms) // 2
    with ThreadPoolExecutor(max_workers=1) as other:
        second = other.submit(shapely.is_valid, geoms[mid:])
        return np.concatenate([shapely.is_valid(geoms[:mid]), second.result()])


def repair(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Repair invalid geometries, keeping their polygonal part.

    Returns the repaired geometries and a boolean mask of those that were changed. Geometries without any
    polygonal part come back as None (the loader rejects them as empty).
    """
    geoms = np.asarray(geoms, dtype=object)
    invalid = ~is_valid(geoms) & ~shapely.is_missing(geoms)
    out = geoms.copy()
    if invalid.any():
        fixed = made_valid(geoms[invalid])
        out[invalid] = [polygonal_part(g) for g in fixed]
    # non-polygonal input (points, lines) has no area: treat like empty
    kinds = shapely.get_type_id(out)
    polygonal = np.isin(kinds, (3, 6))  # Polygon, MultiPolygon
    out[~polygonal] = None
    empty = shapely.is_missing(out) | shapely.is_empty(out)
    out[empty] = None
    return out, invalid
