"""The one error geodata raises for bad input: a geometry file that cannot be read or placed on the map."""

from __future__ import annotations


class GeodataError(ValueError):
    """A boundary file cannot be read, or its coordinates cannot be placed (no CRS, metres given as degrees)."""
