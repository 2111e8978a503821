"""Downloads: tables as CSV (Polish conventions) and XLSX, layers as GeoJSON and GeoPackage. Plain functions."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely


@dataclass(frozen=True)
class ExportContext:
    """What an export says about itself: what it shows, where the numbers come from, and whether they are real."""

    title: str
    source: str = ""
    period: str = ""
    workspace: str = ""
    synthetic: bool = False
    synthetic_mark: str = "SYNTHETIC DATA — not real figures"
    exported: dt.date | None = None

    def lines(self) -> list[str]:
        when = (self.exported or dt.date.today()).isoformat()
        lines = [self.title, self.source, self.period, f"{self.workspace} · Local Development Atlas · {when}"]
        if self.synthetic:
            lines.insert(0, self.synthetic_mark)
        return [line for line in lines if line.strip()]


def csv_bytes(frame: pd.DataFrame, context: ExportContext | None = None) -> bytes:
    """CSV as Polish spreadsheets expect it: ``;`` separators, decimal comma, UTF-8 with BOM (Excel reads it).

    With a ``context``, it opens with ``#`` lines saying what it is (and whether the data are synthetic), as GUS
    tables open with their header block."""
    head = "".join(f"# {line.replace(chr(10), ' ')}\n" for line in context.lines()) if context else ""
    return (head + frame.to_csv(sep=";", decimal=",", index=False)).encode("utf-8-sig")


def xlsx_bytes(
    frame: pd.DataFrame,
    *,
    sheet: str = "dane",
    notes: list[str] | None = None,
    context: ExportContext | None = None,
    info_sheet: str = "info",
) -> bytes:
    """An XLSX workbook: the table on one sheet and an ``info`` sheet (named in the interface language) with the
    context and notes (source, view)."""
    info = [*(context.lines() if context else []), *(notes or [])]
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
        if info:
            pd.DataFrame({info_sheet: info}).to_excel(writer, sheet_name=info_sheet[:31], index=False)
    return buffer.getvalue()


def layer_frame(frame: pd.DataFrame, geometries: pd.DataFrame) -> gpd.GeoDataFrame:
    """``frame`` (with ``code``) joined to ``geometries`` (code, wkb) as a GeoDataFrame in EPSG:4326."""
    merged = frame.merge(geometries, on="code", how="left")
    geometry = shapely.from_wkb([bytes(w) if w is not None else None for w in merged.pop("wkb")])
    return gpd.GeoDataFrame(merged, geometry=geometry, crs="EPSG:4326")


def geojson_bytes(layer: gpd.GeoDataFrame, context: ExportContext | None = None) -> bytes:
    """GeoJSON (RFC 7946: lon/lat, EPSG:4326); with a ``context``, a top-level ``metadata`` member says what it is."""
    doc = json.loads(layer.to_json(drop_id=True, ensure_ascii=False))
    if context:
        doc["metadata"] = {
            "title": context.title,
            "source": context.source,
            "period": context.period,
            "workspace": context.workspace,
            "synthetic": context.synthetic,
            "about": context.lines(),
        }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def gpkg_bytes(layer: gpd.GeoDataFrame, *, layer_name: str, context: ExportContext | None = None) -> bytes:
    """A GeoPackage with one layer; with a ``context``, the layer's description and metadata say what it is, where
    it comes from and whether it is synthetic (QGIS shows them in the layer's properties)."""
    metadata = None
    if context is not None:
        metadata = {
            "TITLE": context.title,
            "SOURCE": context.source,
            "PERIOD": context.period,
            "WORKSPACE": context.workspace,
            "SYNTHETIC": "yes" if context.synthetic else "no",
            "DESCRIPTION": " · ".join(context.lines()),
        }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.gpkg"
        options = {"DESCRIPTION": " · ".join(context.lines())} if context is not None else None
        pyogrio.write_dataframe(
            layer, path, layer=layer_name, driver="GPKG", layer_metadata=metadata, layer_options=options
        )
        return path.read_bytes()
