"""Typed settings, read at call time so tests can override them (``monkeypatch.setattr``)."""

from __future__ import annotations

import os
from pathlib import Path

#: The store used when no ``--db`` is given.
default_db: Path = Path(os.environ.get("LDATLAS_DB", "atlas.duckdb"))

#: CRS of the geometry kept in the store (lon/lat order).
storage_crs: str = "EPSG:4326"

#: Equal-area CRS used for ``area_km2`` (ETRS89 / LAEA Europe, good for Poland and Lithuania).
equal_area_crs: str = "EPSG:3035"

#: Display simplification tolerance as a share of the layer's extent diagonal.
display_tolerance_share: float = 1 / 4000

#: Decimal places kept in display geometry (5 places is about 1 m).
display_precision: int = 5

#: Seconds a loader waits for another loader to finish before giving up.
lock_timeout_s: float = 600.0

#: Test hook: seconds to hold just before the new store is swapped in (see tests/test_safety.py).
hold_before_swap_s: float = float(os.environ.get("LDATLAS_HOLD_BEFORE_SWAP", "0") or 0)
