"""The shape of a level's map: SVG or MapLibre, its initial view, and its height (fitted to the units on a phone)."""

from __future__ import annotations

from dashboard import cached
from dashboard.figures import MAP_ASPECT, MapBase, basemap_layers, bounds_aspect, phone_height
from dashboard.state import generation, on_phone, static_serving


def map_height(level: str, default: int) -> int:
    """The map's height: ``default`` on a computer, fitted to the level's shape on a phone."""
    return phone_height(cached.level_bounds(generation(), level), default) if on_phone() else default


def map_base(level: str, tiles: tuple[str, str] | None = None, *, labels: bool = False) -> MapBase:
    """An SVG map of the level by default; MapLibre when a tile basemap (URL, attribution) is switched on, when unit
    names are shown (MapLibre leaves out the names that would overlap, and brings them in as one zooms), or when
    Streamlit does not serve static files (the SVG map needs its TopoJSON file from there)."""
    gen = generation()
    bounds = cached.level_bounds(gen, level)
    static = static_serving()
    if tiles or labels or not static:
        return MapBase(
            bounds, style=cached.map_style_source(static), layers=tuple(basemap_layers(*tiles)) if tiles else ()
        )
    if on_phone():  # the view fits the units' own shape: the map's height is fitted to it (map_height)
        return MapBase(bounds, aspect=bounds_aspect(bounds) or MAP_ASPECT)
    return MapBase(bounds)
