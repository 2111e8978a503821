"""GUGiK's PRG (Państwowy Rejestr Granic): the official boundaries of voivodeships, powiaty and gminy.

PRG is published as a zip of shapefiles (``A01_Granice_wojewodztw.shp``, ``A02_Granice_powiatow.shp``,
``A03_Granice_gmin.shp``; older editions ``wojewodztwa.shp``, ``powiaty.shp``, ``gminy.shp``) in EPSG:2180 with
WINDOWS-1250 attributes, often without a ``.cpg``. The unit code is ``JPT_KOD_JE`` (TERYT: 2, 4 or 7 digits), the
name ``JPT_NAZWA_``. ``ldatlas fetch prg`` takes the zip as a path or a URL (downloaded into the cache, resumable).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from etl.connectors.boundary_set import BoundarySet
from etl.connectors.download import local_or_download
from etl.errors import SourceError
from etl.texts import say
from geodata.io import read_boundaries

DEFAULT_URL = "https://opendata.geoportal.gov.pl/prg/granice/00_jednostki_administracyjne.zip"
SOURCE_NAME = "GUGiK, Państwowy Rejestr Granic (PRG)"
#: level -> (how its file is named, TERYT width)
LAYERS: dict[str, tuple[re.Pattern[str], int]] = {
    "voivodeship": (re.compile(r"wojew", re.IGNORECASE), 2),
    "powiat": (re.compile(r"powiat", re.IGNORECASE), 4),
    "gmina": (re.compile(r"gmin", re.IGNORECASE), 7),
}
GEOMETRY_FILES = (".shp", ".gpkg", ".geojson")


def find_layers(zip_path: Path, levels: list[str]) -> dict[str, str]:
    """The file inside the zip that holds each level (the shapefile named after it)."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(GEOMETRY_FILES)]
    except zipfile.BadZipFile:
        raise SourceError(say("prg_not_zip", file=zip_path.name)) from None
    found = {}
    for level in levels:
        pattern = LAYERS[level][0]
        matches = sorted(n for n in names if pattern.search(Path(n).name))
        if not matches:
            raise SourceError(
                say(
                    "prg_no_layer",
                    file=zip_path.name,
                    level=level,
                    pattern=pattern.pattern,
                    names=", ".join(names) or "—",
                )
            )
        found[level] = matches[0]
    return found


def _field(columns: list[str], wanted: str) -> str:
    for column in columns:
        if column.lower() == wanted.lower():
            return column
    raise SourceError(say("prg_no_attribute", wanted=wanted, found=", ".join(columns)))


def read_prg(zip_path: Path, levels: list[str], origin: str, provenance: dict) -> list[BoundarySet]:
    sets = []
    for level, member in find_layers(zip_path, levels).items():
        features = read_boundaries(zip_path, layer_file=member)
        crs_note = {}
        if features.crs is None:  # PRG is EPSG:2180 (PL-1992); some copies lose the .prj
            features = features.set_crs("EPSG:2180")
            crs_note = {"crs": "EPSG:2180 assumed (no .prj)"}
        columns = [c for c in features.columns if c != features.geometry.name]
        sets.append(
            BoundarySet(
                source_id=f"prg-{level}",
                level=level,
                features=features,
                file=Path(member),
                origin=origin,
                code=_field(columns, "JPT_KOD_JE"),
                name=_field(columns, "JPT_NAZWA_"),
                code_width=LAYERS[level][1],
                provenance={"service": SOURCE_NAME, "file": member, **provenance, **crs_note},
            )
        )
    return sets


def prg_sets(
    source: str = DEFAULT_URL,
    *,
    levels: list[str] | None = None,
    cache_dir: Path = Path(".ldatlas-cache/prg"),
    refresh: bool = False,
    sha256: str | None = None,
    on_step: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> list[BoundarySet]:
    """The PRG zip (a path or a URL, downloaded into the cache) read as one set of units per level."""
    levels = levels or list(LAYERS)
    unknown = [lv for lv in levels if lv not in LAYERS]
    if unknown:
        raise SourceError(say("prg_levels", levels=", ".join(LAYERS), value=", ".join(unknown)))
    step = on_step or (lambda _m: None)
    step(say("step_getting", source=source))
    path, provenance = local_or_download(
        source, cache_dir, what="the PRG zip", refresh=refresh, expected_sha256=sha256, on_progress=on_progress
    )
    return read_prg(path, levels, source, provenance)
