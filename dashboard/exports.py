"""Downloads: tables as CSV (Polish conventions) and XLSX, layers as GeoJSON and GeoPackage. Plain functions."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Polish spreadsheets expect it: ``;`` separators, decimal comma, UTF-8 with BOM (Excel reads it)."""
    return frame.to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "dane", notes: list[str] | None = None) -> bytes:
    """An XLSX workbook: the table on one sheet, and where given, a second sheet with notes (source, view)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
        if notes:
            pd.DataFrame({"info": notes}).to_excel(writer, sheet_name="info", index=False)
    return buffer.getvalue()


def layer_frame(frame: pd.DataFrame, geometries: pd.DataFrame) -> gpd.GeoDataFrame:
    """``frame`` (with ``code``) joined to ``geometries`` (code, wkb) as a GeoDataFrame in EPSG:4326."""
    merged = frame.merge(geometries, on="code", how="left")
    geometry = shapely.from_wkb([bytes(w) if w is not None else None for w in merged.pop("wkb")])
    return gpd.GeoDataFrame(merged, geometry=geometry, crs="EPSG:4326")


def geojson_bytes(layer: gpd.GeoDataFrame) -> bytes:
    """GeoJSON (RFC 7946: lon/lat, EPSG:4326)."""
    return layer.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


def gpkg_bytes(layer: gpd.GeoDataFrame, *, layer_name: str) -> bytes:
    """A GeoPackage with one layer."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.gpkg"
        pyogrio.write_dataframe(layer, path, layer=layer_name, driver="GPKG")
        return path.read_bytes()
