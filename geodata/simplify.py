"""Display geometry: simplify a level as a coverage so neighbours keep sharing their borders exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geodata import settings
from geodata.repair import is_valid, made_valid


def display_tolerance(geoms: np.ndarray) -> float:
    """Simplification tolerance (degrees) for a layer: a small share of its extent's diagonal."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    diagonal = float(np.hypot(xmax - xmin, ymax - ymin))
    return diagonal * settings.display_tolerance_share


#: Coverage simplification is skipped when at most this share of the vertices could be removed at all.
SKIP_SHARE = 0.01


def removable_vertices(geoms: np.ndarray, tolerance: float) -> tuple[int, int]:
    """(vertices that coverage simplification could remove, all ring vertices): an upper bound of what it gains.

    A vertex is a candidate when the triangle it makes with its ring neighbours is smaller than ``tolerance²`` and
    it is no node of the coverage — where three or more borders meet, which GEOS' coverage simplification keeps
    (so a coverage made of nodes only, such as Voronoi cells, has nothing to gain however small its units; it
    removes at most these candidates, usually fewer, keeping the rings' minimum size).
    """
    parts = shapely.get_parts(geoms)
    pieces = [shapely.get_exterior_ring(parts)]
    holes = shapely.get_num_interior_rings(parts)
    pieces += [shapely.get_interior_ring(parts, i) for i in range(int(holes.max()) if len(holes) else 0)]
    rings = np.concatenate(pieces)
    rings = rings[~shapely.is_missing(rings)]
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    if not len(coords):
        return 0, 0
    closing = np.r_[np.flatnonzero(np.diff(ring_of)), len(coords) - 1]  # each ring repeats its first point
    keep = np.ones(len(coords), dtype=bool)
    keep[closing] = False
    coords, ring_of = coords[keep], ring_of[keep]
    starts = np.r_[0, np.flatnonzero(np.diff(ring_of)) + 1]
    ends = np.r_[starts[1:], len(coords)]
    prev, nxt = np.arange(len(coords)) - 1, np.arange(len(coords)) + 1
    prev[starts], nxt[ends - 1] = ends - 1, starts
    a, b, c = coords[prev], coords, coords[nxt]
    area = 0.5 * np.abs((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1]))
    # each distinct point's degree: how many distinct points it is joined to by the rings' edges, all rings together
    # (pandas' hash tables: 0.3 s for 100,000 units where numpy's unique took 0.55 s)
    point, _ = pd.factorize(np.ascontiguousarray(coords).view(np.complex128).ravel())
    points = int(point.max()) + 1
    edges = pd.unique(np.concatenate([point * points + point[nxt], point * points + point[prev]]))
    degree = np.bincount(edges // points, minlength=points)
    return int(((area < tolerance * tolerance) & (degree[point] <= 2)).sum()), len(coords)


def simplify_coverage(geoms: np.ndarray, *, tolerance: float | None = None) -> np.ndarray:
    """Simplify polygons that tile an area without opening gaps or overlaps between neighbours.

    Uses GEOS' coverage simplification (shared edges are simplified once, for both neighbours) unless at most
    :data:`SKIP_SHARE` of the vertices could go (see :func:`removable_vertices`), then rounds to
    ``settings.display_precision`` decimals, which moves every shared vertex the same way. A polygon that would
    vanish keeps its original shape. Exterior rings come out clockwise, as Plotly's geo maps need.
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return geoms
    if tolerance is None:
        tolerance = display_tolerance(geoms)
    removable, vertices = removable_vertices(geoms, tolerance)
    if removable <= SKIP_SHARE * vertices:
        simplified = geoms  # already as coarse as the display needs (e.g. GISCO 1:1M): nothing worth removing
    else:
        simplified = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    grid = 10.0**-settings.display_precision
    rounded = shapely.set_precision(simplified, grid, mode="pointwise")
    lost = shapely.is_empty(rounded) | ~is_valid(rounded)
    if lost.any():
        rounded[lost] = shapely.set_precision(geoms[lost], grid, mode="pointwise")
        still = ~shapely.is_valid(rounded)
        rounded[still] = made_valid(rounded[still])
    # d3-geo, which draws Plotly's geo maps, wants exterior rings clockwise (the reverse of RFC 7946)
    return shapely.orient_polygons(rounded, exterior_cw=True)


def display_wkb(wkb: list[bytes]) -> list[bytes]:
    """A level's display coverage (see :func:`simplify_coverage`), from and to WKB."""
    return shapely.to_wkb(simplify_coverage(shapely.from_wkb(wkb))).tolist()
