"""The map page's sidebar: indicator, year, classes, overlays and the chosen unit, each starting from the URL."""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence

import pandas as pd
import streamlit as st

from dashboard import cached, view_state
from dashboard.figures import map_config, placeholder_map
from dashboard.i18n import t
from dashboard.map_layers import indicator_label
from dashboard.state import basemap, static_serving
from dashboard.text import md
from dashboard.views import map_large
from dashboard.views.clicks import clicked_unit
from dashboard.views.map_shape import map_base, map_height
from dashboard.views.widgets import seed, start_index
from etl.store.tiles import LARGE_LEVEL


def levels_with_values(gen: tuple, levels: pd.DataFrame, name_col: str) -> dict[str, str]:
    """The levels that have values, by their names: a level without any (e.g. voivodeships above the loaded gminy)
    would be an empty box."""
    names = zip(levels["level"], levels[name_col], strict=True)
    return {level: name for level, name in names if cached.level_indicators(gen, level)}


def level_picker(level_names: dict[str, str], url: view_state.MapView, lang: str) -> str:
    seed("map_level", url.level if url.level in level_names else list(level_names)[-1])
    if st.session_state["map_level"] not in level_names:
        st.session_state["map_level"] = list(level_names)[-1]
    return str(
        st.sidebar.selectbox(t("level", lang), list(level_names), format_func=level_names.__getitem__, key="map_level")
    )


def indicator_picker(catalogue: pd.DataFrame, options: list[str], url: view_state.MapView, lang: str) -> str:
    seed("map_indicator", url.indicator if url.indicator in options else options[0])
    if st.session_state["map_indicator"] not in options:
        st.session_state["map_indicator"] = options[0]
    indicator = st.sidebar.selectbox(
        t("indicator", lang),
        options,
        key="map_indicator",
        format_func=lambda i: indicator_label(catalogue.loc[i], lang),
    )
    info = catalogue.loc[indicator]
    parts = (
        f"{t('source', lang)}: {md(info['source'])}" if info["source"] else "",
        t(f"direction_{info['direction']}", lang),
    )
    st.sidebar.caption(" · ".join(part for part in parts if part))
    return str(indicator)


def year_picker(years: list[int], url: view_state.MapView, lang: str) -> tuple[int, bool]:
    """The year shown (a slider when there are several) and whether the map plays the years (its own timeline)."""
    seed("map_year", url.year if url.year in years else years[-1])
    if st.session_state["map_year"] not in years:
        st.session_state["map_year"] = years[-1]
    if len(years) > 1:
        year = st.sidebar.select_slider(t("year", lang), years, key="map_year")
    else:
        year = years[0]
        st.sidebar.caption(f"{t('year', lang)}: {year}")
    play = st.sidebar.toggle(t("play", lang), help=t("play_help", lang), disabled=len(years) < 2, key="map_play")
    return int(year), play and len(years) > 1


def selected_unit(codes: Container[str], url: view_state.MapView, large_click: str = "") -> str:
    """The chosen unit: a click on the map (the chart's state is known before it is drawn; ``large_click``: on the
    map of a large level) or the list. ``codes``: the level's (looked up, not listed)."""
    clicked = large_click or clicked_unit(st.session_state.get("map_chart"), codes)
    if clicked and clicked != st.session_state.get("map_last_click"):
        st.session_state["map_unit"] = clicked
    st.session_state["map_last_click"] = clicked
    if st.session_state.get("map_unit", "") and st.session_state["map_unit"] not in codes:
        st.session_state["map_unit"] = ""
    return str(st.session_state.get("map_unit", url.unit if url.unit in codes else ""))


def unit_picker(codes: Sequence[str], unit_names: Mapping[str, str], url: view_state.MapView, lang: str) -> None:
    if len(codes) >= LARGE_LEVEL:  # a list of every unit would be megabytes: a search instead
        _unit_search(codes, unit_names, lang)
        return
    st.selectbox(
        t("unit_pick", lang),
        ["", *codes],
        key="map_unit",
        index=start_index("map_unit", ["", *codes], url.unit),
        format_func=lambda c: t("unit_none", lang) if c == "" else f"{unit_names[c]} ({c})",
    )


def _unit_search(codes: Sequence[str], unit_names: Mapping[str, str], lang: str) -> None:
    """Find a unit of a large level by a part of its code or name; the one chosen from the (at most 50) found is
    selected as a click on the map would."""
    query = st.text_input(t("unit_search", lang), key="map_unit_search").strip().casefold()
    if not query:
        return
    found = [c for c in codes if query in c.casefold() or query in unit_names[c].casefold()][:50]
    if not found:
        st.caption(t("unit_search_none", lang))
        return
    st.selectbox(
        t("unit_pick", lang),
        found,
        index=None,
        key="map_unit_found",
        format_func=lambda c: f"{unit_names[c]} ({c})",
        on_change=lambda: st.session_state.update(map_unit=st.session_state.get("map_unit_found") or ""),
    )


def first_paint(slot, gen: tuple, level: str, meta: dict, url: view_state.MapView, lang: str) -> None:
    """For a new visitor, an empty map of the level at once: the browser starts loading the chart code and the
    level's geometry while the rest of the page is computed (first paint ~0.5 s sooner)."""
    if st.session_state.get("map_started") or map_large.is_large(gen, level):  # MapLibre draws a large level
        return
    st.session_state["map_started"] = True
    start = map_base(level, basemap(meta) if url.basemap else None, labels="labels" in url.overlays)
    geo = cached.geometry_source(gen, level, static_serving())
    slot.plotly_chart(placeholder_map(geo, start, map_height(level, 680)), config=map_config(lang), width="stretch")
