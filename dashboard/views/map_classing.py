"""The map page's classification and overlay widgets: how values are classed and coloured, and what lies on top."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import view_state
from dashboard.figures import area_traces, proposal_traces
from dashboard.i18n import format_number, t
from dashboard.state import basemap
from dashboard.views.common import proposal_points
from dashboard.views.widgets import seed, start_index
from indicators.classify import METHODS, SEQUENTIAL
from indicators.formatting import format_plain


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


def classification(url: view_state.MapView, codes: Sequence[str], unit_names: Mapping[str, str], lang: str) -> Classing:
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
            significance = st.select_slider(
                t("significance", lang),
                list(view_state.SIGNIFICANCE),
                key="map_sig",
                format_func=lambda p: format_plain(p, lang),
            )
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


def overlay_traces(shown: Overlays, props: pd.DataFrame, outlines: list, lang: str) -> tuple[list, int]:
    """The traces drawn over the units (programme areas, proposals) and how many proposals have no point."""
    traces = area_traces(outlines) if shown.areas else []
    if not shown.proposals:
        return traces, 0
    points, group_labels, group_colours = proposal_points(props, shown.colour_by, lang)
    traces += proposal_traces(points, group_column="group", group_labels=group_labels, colours=group_colours)
    return traces, len(props) - len(points)
