"""The one place where query results are cached.

Every function takes the store `generation` first: it is part of the cache key, so a reload of the store
(a new file swapped in) or a save (a new user file) is seen at once. (Arguments named with a leading underscore
are not hashed.)
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.roster import Roster
from dashboard.state import connection


@st.cache_data(show_spinner=False)
def overview(generation: tuple) -> dict:
    return queries.overview(connection())


@st.cache_data(show_spinner=False)
def levels(generation: tuple) -> pd.DataFrame:
    return queries.levels(connection())


@st.cache_data(show_spinner=False)
def catalogue(generation: tuple) -> pd.DataFrame:
    return queries.catalogue(connection())


@st.cache_data(show_spinner=False)
def sources(generation: tuple) -> pd.DataFrame:
    return queries.sources(connection())


@st.cache_data(show_spinner=False)
def rejects(generation: tuple, lang: str) -> pd.DataFrame:
    """The first 500 rejects, their reasons in ``lang``."""
    from etl.store.rejects import list_rejects, reasons_in

    found = list_rejects(connection(), limit=500)
    return found.assign(reason=reasons_in(connection(), found, lang))


def explain(error: BaseException, lang: str) -> str:
    """A library error in ``lang``, levels and indicators by their names, escaped for a message box."""
    from dashboard.text import md
    from etl.store.rejects import names_in
    from indicators.translation import said

    try:
        names = names_in(connection(), lang)
    except Exception:  # noqa: BLE001  (the store itself may be what failed: say the error without names)
        names = None
    return md(said(error, lang, names=names))


@st.cache_data(show_spinner=False, max_entries=16)
def geometry_source(generation: tuple, level: str, static: bool) -> dict | str:
    """The level's display geometry: a static file's URL when static serving is on, else the GeoJSON itself."""
    geojson = queries.display_geojson(connection(), level)
    if static:
        from dashboard.geometry import publish

        url = publish(geojson, level)
        if url is not None:
            return url
    return geojson


@st.cache_resource(show_spinner=False, max_entries=16)  # shared, not copied: 100,000 codes took ~30 ms a rerun to copy
def level_tiles(generation: tuple, level: str) -> tuple[dict, str, tuple[str, ...]] | None:
    """A large level for MapLibre as static files — its vector tiles (their URL and zooms) and its units' codes and
    names (a URL) — and the codes in the tiles' numbering; None when the static folder cannot be written (the
    caller keeps the SVG map)."""
    from dashboard.geometry import publish_json, publish_tiles

    con = connection()
    tiles = queries.level_tiles(con, level)
    codes, names = queries.numbered_units(con, level)
    published = publish_tiles(tiles, level)
    labels = publish_json({"codes": codes, "names": names}, f"labels-{level}")
    return None if published is None or labels is None else (published, labels, tuple(codes))


@st.cache_data(show_spinner=False, max_entries=256)
def unit_outline(generation: tuple, code: str) -> dict | None:
    return queries.unit_outline(connection(), code)


@st.cache_resource
def map_style_source(static: bool) -> str:
    """The map style: our glyph-free style file when static serving is on (labels drawn with local fonts), else
    Plotly's built-in white background."""
    from dashboard.figures import map_style
    from dashboard.geometry import publish_json

    return (publish_json(map_style(), "style") if static else None) or "white-bg"


@st.cache_data(show_spinner=False)
def level_units(generation: tuple, level: str) -> pd.DataFrame:
    return queries.level_units(connection(), level)


@st.cache_resource(show_spinner=False, max_entries=8)  # ~27 MB for 100,000 units
def level_roster(generation: tuple, level: str) -> Roster:
    """The level's units for the map page (shared by every session, read-only: see :mod:`dashboard.roster`)."""
    return Roster.of(level_units(generation, level))


@st.cache_data(show_spinner=False)
def level_bounds(generation: tuple, level: str) -> tuple | None:
    return queries.level_bounds(connection(), level)


@st.cache_data(show_spinner=False)
def level_indicators(generation: tuple, level: str) -> list[str]:
    return queries.level_indicators(connection(), level)


@st.cache_data(show_spinner=False, max_entries=64)
def level_series(generation: tuple, indicator_id: str, level: str) -> pd.DataFrame:
    return queries.level_series(connection(), indicator_id, level)


@st.cache_data(show_spinner=False, max_entries=256)
def unit_series(generation: tuple, indicator_id: str, code: str) -> pd.DataFrame:
    return queries.unit_series(connection(), indicator_id, code)


@st.cache_data(show_spinner=False)
def proposals_layer(generation: tuple) -> pd.DataFrame:
    return queries.proposals_layer(connection())


@st.cache_data(show_spinner=False)
def area_outlines(generation: tuple) -> list[dict]:
    return queries.area_outlines(connection())


@st.cache_data(show_spinner=False)
def areas(generation: tuple) -> pd.DataFrame:
    return queries.areas(connection())


@st.cache_data(show_spinner=False)
def proposals_summary(generation: tuple) -> pd.DataFrame:
    return queries.proposals_summary(connection())


@st.cache_data(show_spinner=False, max_entries=8)
def level_neighbours(generation: tuple, level: str) -> dict[str, list[str]]:
    """Each unit's queen neighbours: built once per level and data version (seconds for 100,000 units), then shared
    by every indicator, year and significance."""
    import shapely

    from indicators.hotspots import queen_neighbours

    geoms = queries.layer_geometries(connection(), level)
    return queen_neighbours(geoms["code"].tolist(), shapely.from_wkb([bytes(w) for w in geoms["wkb"]]))


@st.cache_data(show_spinner=False, max_entries=64)
def hotspots(generation: tuple, indicator_id: str, level: str, year: int, significance: float) -> pd.DataFrame:
    """Local Moran's I classes of one indicator, level and year (code, value, local_i, p_value, neighbours, class)."""
    from indicators.hotspots import local_moran

    neighbours = level_neighbours(generation, level)
    values = queries.values_of(connection(), indicator_id, year)
    codes = list(neighbours)
    return local_moran(codes, None, [values.get(c) for c in codes], significance=significance, neighbours=neighbours)
