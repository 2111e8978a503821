"""A layer of units a connector has read (GISCO, PRG), with how to take codes, names and values from it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd


@dataclass
class BoundarySet:
    """One layer of units to load: the features already read, and how to take codes and names from them."""

    source_id: str
    level: str
    features: gpd.GeoDataFrame
    file: Path  # where the features came from (named in rejects)
    origin: str  # the URL or path the user gave
    code: str  # attribute holding the unit code
    name: str  # attribute holding the unit name
    code_width: int | None = None  # zero-pad codes to this width (TERYT)
    provenance: dict[str, Any] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)  # scheme -> attribute holding that identifier
    indicators: list[dict[str, Any]] = field(default_factory=list)  # catalogue rows for the values below
    values: list[tuple[str, str, int, float | None, str | None]] = field(default_factory=list)
    # (raw code as in the file, indicator id, year, value, flag)

    def checksum(self) -> str:
        digest = hashlib.sha256(json.dumps(self.provenance, sort_keys=True, default=str).encode())
        digest.update(json.dumps([self.level, self.code, self.name, self.code_width]).encode())
        return digest.hexdigest()
