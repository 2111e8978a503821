"""Reprojection to the store's CRS and areas in an equal-area projection."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Proj, Transformer
from pyproj.exceptions import CRSError

from geodata import settings
from geodata.errors import GeodataError

#: Where EPSG:2180 (PL-1992) coordinates of Poland lie, in metres: easting, northing.
PL1992_BOUNDS = (100_000.0, 100_000.0, 900_000.0, 800_000.0)


def _crs(text: str, source_name: str) -> CRS:
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise GeodataError(
            f"{source_name}: crs = {text!r} is not a coordinate reference system PROJ knows ({exc}). Use an EPSG "
            'code, e.g. "EPSG:2180" for PL-1992 or "EPSG:4326" for lon/lat.',
            "geo_bad_crs",
            source=source_name,
            crs=repr(text),
            error=str(exc),
        ) from None


def _outside_lonlat(bounds: np.ndarray) -> bool:
    if not np.isfinite(bounds).all():
        return False
    minx, miny, maxx, maxy = bounds
    return bool(minx < -180 or maxx > 180 or miny < -90 or maxy > 90)


def _looks_pl1992(bounds: np.ndarray) -> bool:
    minx, miny, maxx, maxy = bounds
    west, south, east, north = PL1992_BOUNDS
    return bool(west <= minx and maxx <= east and south <= miny and maxy <= north)


def _likely_crs(bounds: np.ndarray) -> str:
    if _looks_pl1992(bounds):
        return 'they look like metres of EPSG:2180 (PL-1992, the CRS of Polish official data): set crs = "EPSG:2180"'
    return "they look like metres of a projected CRS: set `crs` to the file's EPSG code"


def source_crs(
    own: CRS | str | None, bounds: Callable[[], np.ndarray], *, declared_crs: str | None, source_name: str
) -> CRS:
    """The CRS a layer's coordinates are in: its own (``own``, as the file declares it) or the workspace's.

    A file without a CRS is an error unless the workspace declares one (``crs = "EPSG:2180"``). A CRS declared in
    the workspace for a file that has its own must agree with it — except a GeoJSON read as lon/lat (GDAL's default
    when it has no ``crs`` member) whose coordinates (``bounds()``: xmin, ymin, xmax, ymax) are plainly metres:
    there the workspace's CRS is used.
    """
    declared = _crs(declared_crs, source_name) if declared_crs else None
    if own is None:
        if declared is None:
            raise GeodataError(
                f'{source_name} has no coordinate reference system. Add `crs = "EPSG:2180"` (or the right '
                "code) to this source in the workspace file.",
                "geo_no_crs",
                source=source_name,
            )
        return declared
    crs = CRS.from_user_input(own)
    if declared is not None and not declared.equals(crs, ignore_axis_order=True):
        if crs.equals(CRS.from_epsg(4326), ignore_axis_order=True) and _outside_lonlat(bounds()):
            return declared  # a GeoJSON in metres without its crs member
        raise GeodataError(
            f"{source_name} says its CRS is {crs.to_string()}, but the workspace says {declared_crs}; "
            "remove `crs` from the workspace or correct it.",
            "geo_crs_conflict",
            source=source_name,
            own=crs.to_string(),
            declared=str(declared_crs),
        )
    return crs


def with_source_crs(gdf: gpd.GeoDataFrame, *, declared_crs: str | None, source_name: str) -> gpd.GeoDataFrame:
    """The features with the CRS their coordinates are in (see :func:`source_crs`)."""
    crs = source_crs(gdf.crs, lambda: gdf.geometry.total_bounds, declared_crs=declared_crs, source_name=source_name)
    return gdf if gdf.crs is not None and crs.equals(gdf.crs) else gdf.set_crs(crs, allow_override=True)


def is_storage_crs(crs: CRS) -> bool:
    """True when coordinates in ``crs`` need no reprojection to be stored."""
    return bool(crs.equals(CRS.from_user_input(settings.storage_crs)))


def check_lonlat(stored: np.ndarray, as_read: np.ndarray, crs: CRS, source_name: str) -> None:
    """Refuse a layer whose reprojected bounds (``stored``: xmin, ymin, xmax, ymax) cannot be lon/lat — metres
    stored as degrees, never a silent success; the message names the likely CRS from the bounds ``as_read``."""
    if not _outside_lonlat(stored):
        return
    minx, miny, maxx, maxy = as_read
    raise GeodataError(
        f"{source_name}: coordinates ({minx:.0f}, {miny:.0f}) – ({maxx:.0f}, {maxy:.0f}) cannot be "
        f"longitude/latitude in {crs.to_string()}; {_likely_crs(as_read)} on this source in the workspace file.",
        "geo_metres_as_degrees_pl1992" if _looks_pl1992(as_read) else "geo_metres_as_degrees",
        source=source_name,
        bounds=f"({minx:.0f}, {miny:.0f}) – ({maxx:.0f}, {maxy:.0f})",
        crs=crs.to_string(),
    )


def to_storage_crs(gdf: gpd.GeoDataFrame, *, declared_crs: str | None, source_name: str) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 in lon/lat order (from the CRS :func:`with_source_crs` finds), and check that the result
    can be lon/lat: metres stored as degrees are an error that names the likely CRS, never a silent success."""
    gdf = with_source_crs(gdf, declared_crs=declared_crs, source_name=source_name)
    if is_storage_crs(CRS.from_user_input(gdf.crs)):
        out = gdf.set_crs(settings.storage_crs, allow_override=True)
    else:
        # pyproj with always_xy, so the result is lon/lat whatever the source axis order; shapely moves the vertices
        # (geopandas' to_crs does the same with a third more time for its checks and copies)
        transformer = Transformer.from_crs(gdf.crs, settings.storage_crs, always_xy=True)
        moved = shapely.transform(
            np.asarray(gdf.geometry.values), transformer.transform, include_z=None, interleaved=False
        )
        out = gdf.copy()
        out[gdf.geometry.name] = gpd.GeoSeries(moved, index=gdf.index, crs=settings.storage_crs)
    check_lonlat(out.geometry.total_bounds, gdf.geometry.total_bounds, CRS.from_user_input(gdf.crs), source_name)
    return out


#: Units up to this size (metres across, in their file's projected CRS) are measured there (see :func:`areas_km2`).
LOCAL_SPAN_M = 50_000.0


def in_metres(crs: CRS) -> bool:
    """True for a projected CRS whose axes are in metres (PL-1992, LKS-94)."""
    return crs.is_projected and all(axis.unit_name in ("metre", "meter") for axis in crs.axis_info)


def scaled_areas_km2(crs: CRS, area_m2: np.ndarray, centre_x: np.ndarray, centre_y: np.ndarray) -> np.ndarray:
    """Areas measured in a projected CRS in metres, as an equal-area CRS measures them: each divided by the
    projection's areal scale factor at its centre (pyproj). NaN where that cannot be done."""
    projection = Proj(crs)
    lon, lat = projection(centre_x, centre_y, inverse=True)
    scale = np.asarray(projection.get_factors(lon, lat).areal_scale, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.asarray(area_m2, dtype=float) / scale / 1e6
    out[~(np.isfinite(out) & (scale > 0))] = np.nan
    return out


def areas_km2(gdf: gpd.GeoDataFrame, as_read: gpd.GeoSeries | None = None) -> np.ndarray:
    """Area of each geometry in km², as the equal-area CRS (EPSG:3035) measures it.

    ``as_read``: the same geometries in their file's CRS (None where one has changed since, e.g. repaired). Where
    that CRS is projected in metres (PL-1992, LKS-94), a unit up to :data:`LOCAL_SPAN_M` across is measured in it
    and its area divided by the projection's areal scale factor at the unit's centroid (see
    :func:`scaled_areas_km2`), without moving its vertices: a quarter of the time for 100,000 units, within 1e-4
    of EPSG:3035 (tests/test_boundaries.py). Every other geometry is transformed to EPSG:3035 and measured there.
    """
    out = np.full(len(gdf), np.nan)
    if as_read is not None and as_read.crs is not None and in_metres(CRS.from_user_input(as_read.crs)):
        geoms = np.asarray(as_read.values, dtype=object)
        bounds = shapely.bounds(geoms)
        with np.errstate(invalid="ignore"):  # a missing geometry's bounds are NaN: not local
            local = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]) <= LOCAL_SPAN_M
        if local.any():
            centre = shapely.get_coordinates(shapely.centroid(geoms[local]))
            out[local] = scaled_areas_km2(
                CRS.from_user_input(as_read.crs), shapely.area(geoms[local]), centre[:, 0], centre[:, 1]
            )
    rest = np.isnan(out)
    if rest.any():
        out[rest] = gdf.geometry[rest].to_crs(settings.equal_area_crs).area.to_numpy() / 1e6
    return out


def equal_area(geoms: np.ndarray) -> np.ndarray:
    """Geometries (EPSG:4326) transformed to the equal-area CRS, for areas and area shares."""
    import geopandas as gpd

    return gpd.GeoSeries(geoms, crs=settings.storage_crs).to_crs(settings.equal_area_crs).values
