"""Typed geometry settings, read at call time so tests can override them (``monkeypatch.setattr``)."""

from __future__ import annotations

#: CRS of the geometry kept in the store (lon/lat order).
storage_crs: str = "EPSG:4326"

#: Equal-area CRS used for ``area_km2`` (ETRS89 / LAEA Europe, good for Poland and Lithuania).
equal_area_crs: str = "EPSG:3035"

#: Display simplification tolerance as a share of the layer's extent diagonal.
display_tolerance_share: float = 1 / 4000

#: Decimal places kept in display geometry (5 places is about 1 m).
display_precision: int = 5
