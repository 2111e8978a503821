"""Eurostat GISCO boundaries: LAU (local administrative units) and NUTS 0–3, for any EU/EFTA country.

GISCO publishes Europe-wide files (``distribution/v2``): LAU only at 1:1 million (``LAU_RG_01M_<year>_4326``),
NUTS at 01M, 03M, 10M, 20M and 60M, one file per level. The file is downloaded once into the cache, the country's
features are read from it, and they are loaded as units: code ``LAU_ID`` (7-digit TERYT for Poland) or
``NUTS_ID``, name ``LAU_NAME`` / ``NUTS_NAME``; ``GISCO_ID``, ``LAU_ID`` and ``NUTS_ID`` are kept as the unit's
other identifiers, and LAU population fields (``POP_<year>``, ``POP_DENS_<year>``) become observations.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from etl.connectors.boundary_set import BoundarySet
from etl.connectors.download import download
from etl.errors import SourceError
from etl.texts import say
from geodata.io import read_boundaries

DEFAULT_BASE_URL = "https://gisco-services.ec.europa.eu/distribution/v2"
LEVELS = ("lau", "nuts0", "nuts1", "nuts2", "nuts3")
RESOLUTIONS = ("01M", "03M", "10M", "20M", "60M")
SOURCE_NAME = "Eurostat GISCO"
LICENCE = "© EuroGeographics for the administrative boundaries; © Eurostat (see GISCO's copyright notice)"
POPULATION = {
    "POP": {
        "id": "gisco_population",
        "name_pl": "Ludność (GISCO LAU)",
        "name_en": "Population (GISCO LAU)",
        "unit": "osoby",
        "domain": "social",
        "direction": "neutral",
    },
    "POP_DENS": {
        "id": "gisco_population_density",
        "name_pl": "Gęstość zaludnienia (GISCO LAU)",
        "name_en": "Population density (GISCO LAU)",
        "unit": "osoby/km²",
        "domain": "social",
        "direction": "neutral",
    },
}
_POP_FIELD = re.compile(r"^(POP|POP_DENS)_(\d{4})$", re.IGNORECASE)


@dataclass
class GiscoRequest:
    countries: list[str]
    level: str
    year: int
    resolution: str = "01M"
    store_level: str | None = None  # the level the units get in the store

    def __post_init__(self) -> None:
        self.level = self.level.lower()
        self.resolution = self.resolution.upper()
        self.countries = [c.strip().upper() for c in self.countries if c.strip()]
        if self.level not in LEVELS:
            raise SourceError(say("gisco_level", levels=", ".join(LEVELS), value=self.level))
        if self.resolution not in RESOLUTIONS:
            raise SourceError(say("gisco_resolution", values=", ".join(RESOLUTIONS), value=self.resolution))
        if self.level == "lau" and self.resolution != "01M":
            raise SourceError(say("gisco_lau_01m"))
        bad = [c for c in self.countries if not re.fullmatch(r"[A-Z]{2}", c)]
        if bad or not self.countries:
            raise SourceError(say("gisco_countries", value=", ".join(bad) or "—"))

    @property
    def file_name(self) -> str:
        if self.level == "lau":
            return f"LAU_RG_01M_{self.year}_4326.geojson"
        return f"NUTS_RG_{self.resolution}_{self.year}_4326_LEVL_{self.level[-1]}.geojson"

    def url(self, base_url: str = DEFAULT_BASE_URL) -> str:
        theme = "lau" if self.level == "lau" else "nuts"
        return f"{base_url.rstrip('/')}/{theme}/geojson/{self.file_name}"

    def target_level(self, country: str) -> str:
        if self.store_level:
            return self.store_level
        if self.level == "lau":
            return "gmina" if country == "PL" else "lau"
        return {"nuts0": "country"}.get(self.level, self.level)

    def source_id(self, country: str) -> str:
        return f"gisco-{self.level}-{self.year}-{country.lower()}"


def population_values(features: pd.DataFrame, code_field: str) -> tuple[list[dict[str, Any]], list[tuple]]:
    """Catalogue rows and observations from LAU population fields; a missing value is stored as missing."""
    indicators, values = [], []
    for column in features.columns:
        match = _POP_FIELD.match(str(column))
        if not match:
            continue
        kind, year = match.group(1).upper(), int(match.group(2))
        meta = POPULATION[kind]
        if meta not in indicators:
            indicators.append(meta)
        numbers = pd.to_numeric(features[column], errors="coerce")
        for code, number in zip(features[code_field].astype(str), numbers, strict=True):
            usable = not math.isnan(number) and number >= 0  # GISCO writes missing population as empty or < 0
            values.append((code, meta["id"], year, float(number) if usable else None, None if usable else "no_data"))
    return (
        [
            {
                **m,
                "source": SOURCE_NAME,
                "licence": LICENCE,
                "description": "Population fields of GISCO's LAU file (Eurostat).",
            }
            for m in indicators
        ],
        values,
    )


def read_gisco(request: GiscoRequest, path: Path, country: str, url: str, provenance: dict[str, Any]) -> BoundarySet:
    """The features of one country in a downloaded GISCO file, as a set of units to load."""
    features = read_boundaries(path, where=f"CNTR_CODE = '{country}'")
    if features.empty:
        raise SourceError(say("gisco_no_units", file=path.name, level=request.level.upper(), country=country))
    if request.level == "lau":
        code, name, ids = "LAU_ID", "LAU_NAME", {"gisco": "GISCO_ID", "lau": "LAU_ID"}
    else:
        code, name, ids = "NUTS_ID", "NUTS_NAME", {"nuts": "NUTS_ID"}
    missing = [f for f in (code, name, *ids.values()) if f not in features.columns]
    if missing:
        raise SourceError(say("gisco_fields", file=path.name, fields=", ".join(missing), level=request.level.upper()))
    indicators, values = population_values(features, code) if request.level == "lau" else ([], [])
    return BoundarySet(
        source_id=request.source_id(country),
        level=request.target_level(country),
        features=features,
        file=path,
        origin=url,
        code=code,
        name=name,
        code_width=7 if (request.level == "lau" and country == "PL") else None,
        provenance={
            "service": SOURCE_NAME,
            "level": request.level,
            "year": request.year,
            "resolution": request.resolution,
            "country": country,
            **provenance,
        },
        ids=ids,
        indicators=indicators,
        values=values,
    )


def gisco_sets(
    request: GiscoRequest,
    *,
    base_url: str = DEFAULT_BASE_URL,
    cache_dir: Path = Path(".ldatlas-cache/gisco"),
    refresh: bool = False,
    sha256: str | None = None,
    on_step: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> list[BoundarySet]:
    """Download (or reuse) the GISCO file and read each requested country's units from it."""
    step = on_step or (lambda _m: None)
    url = request.url(base_url)
    step(say("step_downloading", file=request.file_name))
    got = download(
        url,
        cache_dir,
        what=f"the GISCO file {request.file_name}",
        refresh=refresh,
        expected_sha256=sha256,
        on_progress=on_progress,
    )
    sets = []
    for country in request.countries:
        step(say("step_reading_country", country=country, file=request.file_name))
        sets.append(read_gisco(request, got.path, country, url, got.provenance()))
    return sets
