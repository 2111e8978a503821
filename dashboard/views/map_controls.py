"""The map page's sidebar: indicator, year, classes, overlays and the chosen unit, each starting from the URL."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import cached, view_state
from dashboard.i18n import format_number, t
from dashboard.map_layers import indicator_label
from dashboard.state import basemap
from dashboard.views.common import clicked_unit
from dashboard.views.widgets import seed, start_index
from indicators.classify import METHODS, SEQUENTIAL


@dataclass
class Classing:
    """How the values are classed and coloured, or whether hot spots are shown instead."""

    method: str
    k: int
    breaks: list[float]
    fixed: bool
    palette: str
    reference: str
    hotspots: bool
    significance: float

    def settings(self) -> dict:
        return {
            "method": self.method,
            "k": self.k,
            "breaks": self.breaks,
            "fixed": self.fixed,
            "palette": self.palette,
            "reference": self.reference,
        }


@dataclass
class Overlays:
    proposals: bool
    colour_by: str
    areas: bool
    labels: bool
    tiles: tuple[str, str] | None  # the workspace's basemap, when it has one
    basemap: bool

    def names(self) -> list[str]:
        on = (self.proposals, self.areas, self.labels)
        return [o for o, shown in zip(view_state.OVERLAYS, on, strict=True) if shown]


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
        f"{t('source', lang)}: {info['source']}" if info["source"] else "",
        t(f"direction_{info['direction']}", lang),
    )
    st.sidebar.caption(" · ".join(part for part in parts if part))
    return str(indicator)


def year_picker(years: list[int], url: view_state.MapView, lang: str) -> tuple[int, bool]:
    """The year shown (a slider when there are several) and whether Play was pressed."""
    if "map_year_next" in st.session_state:  # set by the play loop of the previous run
        st.session_state["map_year"] = st.session_state.pop("map_year_next")
    seed("map_year", url.year if url.year in years else years[-1])
    if st.session_state["map_year"] not in years:
        st.session_state["map_year"] = years[-1]
    if len(years) > 1:
        year = st.sidebar.select_slider(t("year", lang), years, key="map_year")
    else:
        year = years[0]
        st.sidebar.caption(f"{t('year', lang)}: {year}")
    play = st.sidebar.button(t("play", lang), help=t("play_help", lang), disabled=len(years) < 2, key="map_play")
    return int(year), play


def classification(url: view_state.MapView, codes: list[str], unit_names: dict[str, str], lang: str) -> Classing:
    with st.sidebar.expander(t("classification", lang)):
        seed("map_method", url.method)
        method = st.selectbox(
            t("method", lang), METHODS, format_func=lambda m: t(f"method_{m}", lang), key="map_method"
        )
        seed("map_k", url.k)
        k = st.slider(t("classes", lang), 3, 9, key="map_k", disabled=method in ("std_mean", "user_defined"))
        breaks: list[float] = []
        if method == "user_defined":
            seed("map_breaks", "; ".join(format_number(b, lang, 6).rstrip("0").rstrip(",.") for b in url.breaks))
            typed = st.text_input(t("breaks", lang), key="map_breaks")
            try:
                breaks = view_state.parse_breaks(typed) if typed.strip() else []
            except ValueError:
                st.warning(t("bad_breaks", lang))
            if not breaks:  # nothing typed yet (no warning for that) or nothing usable: quantiles meanwhile
                method = "quantiles"
        seed("map_fixed", url.fixed)
        fixed = st.checkbox(t("fixed", lang), key="map_fixed", help=t("fixed_help", lang))
        seed("map_palette", url.palette)
        palette = st.selectbox(
            t("palette", lang), list(SEQUENTIAL), format_func=lambda p: t(f"palette_{p}", lang), key="map_palette"
        )
        seed("map_ref_mode", "" if not url.reference else "avg" if url.reference == "avg" else "unit")
        ref_mode = st.radio(
            t("reference", lang),
            ["", "avg", "unit"],
            key="map_ref_mode",
            help=t("reference_help", lang),
            format_func=lambda m: t(f"reference_{m or 'none'}", lang),
        )
        reference = "avg" if ref_mode == "avg" else ""
        if ref_mode == "unit":  # the list of all units only when asked for: ~50 KB for 2,477 gminy
            reference = st.selectbox(
                t("reference_unit_pick", lang),
                codes,
                key="map_ref",
                index=start_index("map_ref", codes, url.reference),
                format_func=lambda r: f"{unit_names[r]} ({r})",
            )
        seed("map_hotspots", url.hotspots)
        hotspots = st.checkbox(t("hotspots", lang), key="map_hotspots", help=t("hotspots_help", lang))
        significance = url.significance
        if hotspots:
            seed("map_sig", url.significance)
            significance = st.select_slider(t("significance", lang), list(view_state.SIGNIFICANCE), key="map_sig")
    return Classing(method, k, breaks, fixed, palette, reference, hotspots, significance)


def overlays(url: view_state.MapView, props: pd.DataFrame, outlines: list, meta: dict, lang: str) -> Overlays:
    st.sidebar.markdown(f"**{t('overlays', lang)}**")
    for overlay in view_state.OVERLAYS:
        seed(f"map_ov_{overlay}", overlay in url.overlays)
    show_props = st.sidebar.checkbox(t("overlay_proposals", lang), key="map_ov_proposals", disabled=props.empty)
    colour_by = url.colour_by
    if show_props:
        seed("map_pcol", url.colour_by)
        colour_by = st.sidebar.radio(
            t("colour_by", lang),
            view_state.COLOUR_BY,
            key="map_pcol",
            horizontal=True,
            format_func=lambda c: t(f"colour_{c}", lang),
        )
    show_areas = st.sidebar.checkbox(t("overlay_areas", lang), key="map_ov_areas", disabled=not outlines)
    show_labels = st.sidebar.checkbox(t("overlay_labels", lang), key="map_ov_labels")
    tiles = basemap(meta)
    use_basemap = False
    if tiles:
        seed("map_basemap", url.basemap)
        use_basemap = st.sidebar.checkbox(t("basemap", lang), key="map_basemap")
    return Overlays(show_props, colour_by, show_areas, show_labels, tiles, use_basemap)


def selected_unit(codes: list[str], url: view_state.MapView) -> str:
    """The chosen unit: a click on the map (the chart's state is known before it is drawn) or the list."""
    clicked = clicked_unit(st.session_state.get("map_chart"), set(codes))
    if clicked and clicked != st.session_state.get("map_last_click"):
        st.session_state["map_unit"] = clicked
    st.session_state["map_last_click"] = clicked
    if st.session_state.get("map_unit", "") not in ("", *codes):
        st.session_state["map_unit"] = ""
    return str(st.session_state.get("map_unit", url.unit if url.unit in codes else ""))


def unit_picker(codes: list[str], unit_names: dict[str, str], url: view_state.MapView, lang: str) -> None:
    st.selectbox(
        t("unit_pick", lang),
        ["", *codes],
        key="map_unit",
        index=start_index("map_unit", ["", *codes], url.unit),
        format_func=lambda c: t("unit_none", lang) if c == "" else f"{unit_names[c]} ({c})",
    )
