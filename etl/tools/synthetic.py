"""Synthetic coverages of Poland for the scale benchmarks: ``n`` Voronoi cells of random points, clipped to the
country's outline (made from all 2,477 gminy), in EPSG:2180 — shaped like GUS statistical regions or PRG obręby,
with borders shared exactly between neighbours."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely


def poland_outline(gminy: Path) -> shapely.Geometry:
    """The outline of Poland in EPSG:2180: the union of the gminy, simplified to 200 m."""
    frame = pyogrio.read_dataframe(gminy, columns=[]).to_crs(2180)
    outline = shapely.union_all(shapely.make_valid(frame.geometry.to_numpy()), grid_size=1.0)
    return shapely.simplify(outline, 200)


def coverage(outline: shapely.Geometry, n: int, seed: int = 1) -> gpd.GeoDataFrame:
    """``n`` cells covering ``outline``: codes ``S000001`` …, names, geometries in EPSG:2180."""
    rng = np.random.default_rng(seed)
    shapely.prepare(outline)
    x0, y0, x1, y1 = outline.bounds
    points = np.empty((0, 2))
    while len(points) < n:
        x = rng.uniform(x0, x1, n * 2)
        y = rng.uniform(y0, y1, n * 2)
        inside = shapely.contains_xy(outline, x, y)
        points = np.vstack([points, np.column_stack([x[inside], y[inside]])])[:n]
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points), extend_to=outline, ordered=True))
    whole = shapely.contains(outline, cells)
    cells[~whole] = shapely.intersection(cells[~whole], outline)  # only the cells on the border are cut
    cells = shapely.make_valid(cells)
    return gpd.GeoDataFrame(
        {"kod": [f"S{i + 1:06d}" for i in range(n)], "nazwa": [f"Rejon {i + 1}" for i in range(n)]},
        geometry=cells,
        crs="EPSG:2180",
    )
