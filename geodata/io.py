"""Reading boundary files: GeoJSON, GeoPackage, Shapefile (also zipped), with their attribute encodings."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely

from geodata.errors import GeodataError

T = TypeVar("T")

SUPPORTED = (".geojson", ".json", ".gpkg", ".shp", ".zip")


def _dataset_path(path: Path, layer_file: str | None) -> str:
    """The path GDAL should open: zip archives go through ``/vsizip/``."""
    if path.suffix.lower() != ".zip":
        return str(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    if layer_file:
        if layer_file not in names:
            raise GeodataError(
                f"{path.name} holds no '{layer_file}'; it holds: {', '.join(names)}",
                "geo_zip_no_file",
                file=path.name,
                wanted=layer_file,
                names=", ".join(names),
            )
        return f"/vsizip/{path}/{layer_file}"
    candidates = [n for n in names if n.lower().endswith((".shp", ".geojson", ".gpkg", ".json"))]
    if len(candidates) != 1:
        raise GeodataError(
            f"{path.name} holds {len(candidates)} geometry files ({', '.join(candidates) or 'none'}); "
            'name the one to load with `file = "..."` in the workspace.',
            "geo_zip_many",
            file=path.name,
            n=len(candidates),
            names=", ".join(candidates) or "—",
        )
    return f"/vsizip/{path}/{candidates[0]}"


def _shapefile_encoding(dataset: str) -> str | None:
    """The encoding a shapefile declares in its .cpg (None when it has none: GDAL would assume ISO-8859-1)."""
    if not dataset.lower().endswith(".shp"):
        return None
    cpg = _sidecar_bytes(dataset, ".cpg")
    return cpg.decode("ascii", "ignore").strip() or None if cpg else None


def _sidecar_bytes(dataset: str, suffix: str) -> bytes | None:
    """The bytes of a shapefile's companion file (``.dbf``, ``.cpg``), also inside a zip; None if absent."""
    dbf = dataset[:-4] + suffix
    if dbf.startswith("/vsizip/"):
        inner = dbf[len("/vsizip/") :]
        archive, _, member = inner.partition(".zip/")
        with zipfile.ZipFile(archive + ".zip") as z:
            names = {n.lower(): n for n in z.namelist()}
            name = names.get(member.lower())
            return z.read(name) if name else None
    path = Path(dbf)
    if not path.exists():
        path = Path(dataset[:-4] + suffix.upper())
    return path.read_bytes() if path.exists() else None


def guess_dbf_encoding(dataset: str) -> str:
    """UTF-8 when the attribute table decodes as UTF-8, else WINDOWS-1250 (PRG shapefiles come without .cpg)."""
    data = _sidecar_bytes(dataset, ".dbf")
    if data is None:
        return "utf-8"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1250"


def read_boundaries(
    path: Path,
    *,
    layer: str | None = None,
    layer_file: str | None = None,
    encoding: str | None = None,
    where: str | None = None,
) -> gpd.GeoDataFrame:
    """Read a boundary layer as a GeoDataFrame.

    Parameters
    ----------
    path
        GeoJSON, GeoPackage, Shapefile, or a .zip holding one of them.
    layer
        Layer name inside a GeoPackage with several layers.
    layer_file
        File inside a zip archive, when it holds more than one.
    encoding
        Attribute encoding, e.g. ``cp1250`` for PRG shapefiles without a .cpg file. When not given, the
        encoding the file declares is used; a shapefile that declares none is tried as UTF-8, then WINDOWS-1250.
    where
        An attribute filter in OGR SQL, e.g. ``CNTR_CODE IN ('PL')``: only matching features are read.
    """
    options = _ogr_options(layer, where)

    def read(dataset: str) -> gpd.GeoDataFrame:
        arrow, chosen = _reading_options(dataset, encoding)
        return pyogrio.read_dataframe(dataset, use_arrow=arrow, encoding=chosen, **options)

    return _reading(path, read, layer_file)


@dataclass(frozen=True)
class Features:
    """A boundary layer as read, before any shapely object is made of it: the attributes (no geometry column), the
    geometries as WKB (None where a feature has none) and the CRS the file declares."""

    attributes: pd.DataFrame
    wkb: pa.Array
    crs: str | None

    @classmethod
    def of(cls, frame: gpd.GeoDataFrame) -> Features:
        """The features of a GeoDataFrame (a connector's download)."""
        attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        wkb = pa.array(shapely.to_wkb(np.asarray(frame.geometry.values)), type=pa.binary())
        return cls(attributes, wkb, None if frame.crs is None else frame.crs.to_string())

    def __len__(self) -> int:
        return len(self.wkb)


def read_features(
    path: Path,
    *,
    layer: str | None = None,
    layer_file: str | None = None,
    encoding: str | None = None,
    where: str | None = None,
) -> Features:
    """Read a boundary layer as :class:`Features` — what :func:`read_boundaries` reads, in one read, without turning
    its geometries into shapely objects (most of a bare read's time for a large layer): GDAL gives them as WKB, the
    loader works on them in DuckDB. The attributes are read as :func:`read_boundaries` reads them (the same encoding
    rules), except that dates stay as GDAL gives them. The parameters are :func:`read_boundaries`'."""
    kwargs = _ogr_options(layer, where)

    def read(dataset: str) -> Features:
        arrow, chosen = _reading_options(dataset, encoding)
        if arrow:
            meta, table = pyogrio.raw.read_arrow(dataset, **kwargs)
            name = meta["geometry_name"] or "wkb_geometry"
            column = table.column(name).combine_chunks()
            wkb = column.storage if isinstance(column, pa.ExtensionArray) else column
            attributes = table.drop_columns([name]).to_pandas()
        else:
            meta, _fids, geometry, fields = pyogrio.raw.read(dataset, encoding=chosen, **kwargs)
            wkb = pa.array(geometry, pa.binary())
            attributes = pd.DataFrame(dict(zip(meta["fields"], fields, strict=True)), columns=list(meta["fields"]))
        if not len(attributes.columns):  # no attribute at all: keep the features' count
            attributes = pd.DataFrame(index=range(len(wkb)))
        return Features(attributes, wkb.cast(pa.binary()), meta["crs"])

    return _reading(path, read, layer_file)


def _reading_options(dataset: str, encoding: str | None) -> tuple[bool, str | None]:
    """(read by GDAL's Arrow stream, the attributes' encoding): Arrow where the file declares its encoding (the
    fastest path GDAL offers), else the encoding given, or guessed for a shapefile that declares none."""
    if encoding:
        return False, encoding
    if _shapefile_encoding(dataset) or not dataset.lower().endswith(".shp"):
        return True, None
    return False, guess_dbf_encoding(dataset)


def _ogr_options(layer: str | None, where: str | None) -> dict[str, str]:
    """pyogrio's options for a layer and an attribute filter, where given."""
    return {k: v for k, v in (("layer", layer), ("where", where)) if v}


def _reading(path: Path, read: Callable[[str], T], layer_file: str | None) -> T:
    """``read`` of the dataset ``path`` names, GDAL's and zip's failures said as one clear error."""
    if not path.exists():
        raise GeodataError(f"Boundary file not found: {path}", "geo_not_found", path=str(path))
    if path.suffix.lower() not in SUPPORTED:
        raise GeodataError(
            f"{path.name}: boundaries must be one of {', '.join(SUPPORTED)}",
            "geo_kind",
            file=path.name,
            kinds=", ".join(SUPPORTED),
        )
    try:
        dataset = _dataset_path(path, layer_file)
    except zipfile.BadZipFile:
        raise GeodataError(
            f"{path.name} is not a readable zip archive (damaged or incomplete?); download it again.",
            "geo_bad_zip",
            file=path.name,
        ) from None
    try:
        return read(dataset)
    except GeodataError:
        raise
    except zipfile.BadZipFile:
        raise GeodataError(
            f"{path.name} is not a readable zip archive (damaged or incomplete?); download it again.",
            "geo_bad_zip",
            file=path.name,
        ) from None
    except Exception as exc:  # GDAL says why; wrap it so the user sees file and cause
        raise GeodataError(
            f"Cannot read boundaries from {path.name}: {exc}", "geo_unreadable", file=path.name, error=str(exc)
        ) from exc
