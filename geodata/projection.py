"""Reprojection to the store's CRS and areas in an equal-area projection."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from pyproj import CRS

from geodata import settings
from geodata.errors import GeodataError


def to_storage_crs(gdf: gpd.GeoDataFrame, *, declared_crs: str | None, source_name: str) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 in lon/lat order.

    A file without a CRS is an error unless the workspace declares one (``crs = "EPSG:2180"``).
    A CRS declared in the workspace for a file that has its own must agree with it.
    """
    if gdf.crs is None:
        if not declared_crs:
            raise GeodataError(
                f'{source_name} has no coordinate reference system. Add `crs = "EPSG:2180"` (or the right '
                "code) to this source in the workspace file."
            )
        gdf = gdf.set_crs(declared_crs)
    elif declared_crs and not CRS.from_user_input(declared_crs).equals(gdf.crs, ignore_axis_order=True):
        raise GeodataError(
            f"{source_name} says its CRS is {gdf.crs.to_string()}, but the workspace says {declared_crs}; "
            "remove `crs` from the workspace or correct it."
        )
    if CRS.from_user_input(gdf.crs).equals(CRS.from_user_input(settings.storage_crs)):
        return gdf.set_crs(settings.storage_crs, allow_override=True)
    # geopandas/pyproj transform with always_xy, so the result is lon/lat whatever the source axis order.
    return gdf.to_crs(settings.storage_crs)


def areas_km2(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Area of each geometry in km², computed in the equal-area CRS (EPSG:3035)."""
    return gdf.geometry.to_crs(settings.equal_area_crs).area.to_numpy() / 1e6


def equal_area(geoms: np.ndarray) -> np.ndarray:
    """Geometries (EPSG:4326) transformed to the equal-area CRS, for areas and area shares."""
    import geopandas as gpd

    return gpd.GeoSeries(geoms, crs=settings.storage_crs).to_crs(settings.equal_area_crs).values
