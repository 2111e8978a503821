"""Display geometry: simplify a level as a coverage so neighbours keep sharing their borders exactly."""

from __future__ import annotations

import numpy as np
import shapely

from etl import settings
from geodata.repair import is_valid


def display_tolerance(geoms: np.ndarray) -> float:
    """Simplification tolerance (degrees) for a layer: a small share of its extent's diagonal."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    diagonal = float(np.hypot(xmax - xmin, ymax - ymin))
    return diagonal * settings.display_tolerance_share


def simplify_coverage(geoms: np.ndarray, *, tolerance: float | None = None) -> np.ndarray:
    """Simplify polygons that tile an area without opening gaps or overlaps between neighbours.

    Uses GEOS' coverage simplification (shared edges are simplified once, for both neighbours), then rounds to
    ``settings.display_precision`` decimals, which moves every shared vertex the same way. A polygon that would
    vanish keeps its original shape. Exterior rings come out clockwise, as Plotly's geo maps need.
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return geoms
    if tolerance is None:
        tolerance = display_tolerance(geoms)
    simplified = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    grid = 10.0 ** -settings.display_precision
    rounded = shapely.set_precision(simplified, grid, mode="pointwise")
    lost = shapely.is_empty(rounded) | ~is_valid(rounded)
    if lost.any():
        rounded[lost] = shapely.set_precision(geoms[lost], grid, mode="pointwise")
        still = ~shapely.is_valid(rounded)
        rounded[still] = shapely.make_valid(rounded[still])
    # d3-geo, which draws Plotly's geo maps, wants exterior rings clockwise (the reverse of RFC 7946)
    return shapely.orient_polygons(rounded, exterior_cw=True)
