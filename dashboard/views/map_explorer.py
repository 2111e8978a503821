"""The map explorer: one indicator at one level for one year, classed, with overlays, a unit panel and exports.

A thin page: data from ``dashboard.cached`` (plain queries), numbers from ``indicators``, figures from
``dashboard.figures``. The view lives in the URL (``dashboard.view_state``).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import cached, exports, view_state
from dashboard.figures import (
    NO_DATA_COLOUR,
    ClassLayer,
    area_traces,
    choropleth,
    highlight,
    label_traces,
    map_config,
    map_figure,
    placeholder_map,
    proposal_traces,
    unit_series_figure,
)
from dashboard.i18n import decimals_for, format_number, t
from dashboard.queries import layer_geometries
from dashboard.state import basemap, connection, generation, static_serving
from dashboard.views.common import clicked_unit, map_base, proposal_points
from indicators.classify import METHODS, SEQUENTIAL, ClassificationError, class_colours, classify, diverging_colours
from indicators.profile import average_by_year, unit_profile, year_values

PLAY_DELAY_S = float(os.environ.get("LDATLAS_PLAY_DELAY_S", "0.9"))


def _start_index(key: str, options: list, wanted) -> int:
    """The starting option of a widget listing every unit, from the URL, on its first run only.

    Not written through Session State like the small widgets (:func:`_seed`): a widget whose value was set that way
    is sent to the browser whole again on the next run — about 50 KB each for 2,477 gminy.
    """
    if key in st.session_state:
        return 0  # the widget keeps its own value; 0 is the default, so Streamlit sees no conflict
    return options.index(wanted) if wanted in options else 0


def _seed(key: str, value) -> None:
    """Give a widget its starting value (from the URL) unless the session already has one."""
    if key not in st.session_state:
        st.session_state[key] = value


@dataclass
class Layer:
    """What one year of the map needs, computed once per run."""

    shown: pd.DataFrame  # code, name, value, flag, class
    labels: list[str]
    colours: list[str]
    decimals: int
    no_data_label: str  # "no data (n)"


def indicator_label(row: pd.Series, lang: str) -> str:
    """``Domain › name [unit] — name in the other language``: searchable in both languages."""
    name, other = (row["name_pl"], row["name_en"]) if lang == "pl" else (row["name_en"], row["name_pl"])
    label = f"{t('domain_' + row['domain'], lang)} › {name} [{row['unit']}]"
    return f"{label} — {other}" if other and other != name else label


def classify_year(
    shown: pd.DataFrame, series: pd.DataFrame, settings: dict, direction: str, lang: str, no_data: str
) -> Layer:
    """Classes, colours and legend labels for one year's values (``shown``: code, name, value, flag)."""
    shown = shown.copy()
    classes = classify(
        shown["value"].to_numpy(dtype=float, na_value=float("nan")),
        method=settings["method"],
        k=settings["k"],
        breaks=settings["breaks"] or None,
        fixed_from=series["value"].to_numpy(dtype=float) if settings["fixed"] else None,
    )
    decimals = decimals_for([classes.lower, *classes.bins])
    labels, low = [], classes.lower
    for upper, count in zip(classes.bins, classes.counts, strict=True):
        labels.append(f"{format_number(low, lang, decimals)} – {format_number(upper, lang, decimals)} ({count})")
        low = upper
    reference = settings["reference"]
    if reference:
        if reference == "avg":
            ref_value = float(shown["value"].mean())
        else:
            ref_value = float(shown.set_index("code")["value"].get(reference, float("nan")))
        colours = (
            diverging_colours(classes.bins, ref_value, direction)
            if ref_value == ref_value
            else class_colours(len(classes.bins), palette=settings["palette"])
        )
    else:
        colours = class_colours(len(classes.bins), palette=settings["palette"])
    shown["class"] = classes.class_of
    return Layer(shown, labels, colours, decimals, f"{no_data} ({classes.missing})" if classes.missing else no_data)


HOTSPOT_COLOURS = {
    "high_high": "#d7191c",
    "low_low": "#2c7bb6",
    "high_low": "#fdae61",
    "low_high": "#abd9e9",
    "not_significant": "#f4f4f4",
    "no_neighbours": "#9e9e9e",
}


def hotspot_layer(shown: pd.DataFrame, spots: pd.DataFrame, lang: str, no_data: str) -> Layer:
    """Units classed by local Moran's I (``spots`` from ``indicators.hotspots.local_moran``) instead of by value."""
    shown = shown.merge(spots[["code", "class"]].rename(columns={"class": "spot"}), on="code", how="left")
    order = list(HOTSPOT_COLOURS)
    shown["class"] = [order.index(c) if c in order else -1 for c in shown["spot"].fillna("no_data")]
    counts = shown["class"].value_counts()
    labels = [f"{t('hs_' + c, lang)} ({int(counts.get(i, 0))})" for i, c in enumerate(order)]
    missing = int((shown["class"] < 0).sum())
    return Layer(
        shown.drop(columns=["spot"]),
        labels,
        list(HOTSPOT_COLOURS.values()),
        decimals_for(shown["value"].dropna().tolist()),
        f"{no_data} ({missing})" if missing else no_data,
    )


def page(lang: str) -> None:
    gen = generation()
    meta = cached.overview(gen)["meta"]
    levels = cached.levels(gen)
    catalogue = cached.catalogue(gen).set_index("id")
    if levels.empty or catalogue.empty:
        st.title(t("map", lang))
        st.info(t("empty_store", lang))
        return
    url = view_state.from_params(st.query_params.to_dict())
    name_col = "name_pl" if lang == "pl" else "name_en"

    # --- what to show: level, indicator, year ------------------------------------------------------------------
    level_names = dict(zip(levels["level"], levels[name_col], strict=True))
    level_ids = list(level_names)
    _seed("map_level", url.level if url.level in level_names else level_ids[-1])
    level = st.sidebar.selectbox(t("level", lang), level_ids, format_func=level_names.__getitem__, key="map_level")
    col_map, col_panel = st.columns([3, 2], gap="medium")
    with col_map:
        slot = st.empty()
    if not st.session_state.get("map_started"):
        # a new visitor: put an empty map of this level in place at once, so the browser starts loading the chart
        # code and the level's geometry while the rest of the page is computed (first paint ~0.5 s sooner)
        st.session_state["map_started"] = True
        start_tiles = basemap(meta) if url.basemap else None
        start_labels = "labels" in url.overlays
        slot.plotly_chart(
            placeholder_map(
                cached.geometry_source(gen, level, static_serving()), map_base(level, start_tiles, labels=start_labels)
            ),
            config=map_config(),
            width="stretch",
        )

    with_data = set(cached.level_indicators(gen, level))
    options = [i for i in catalogue.index if i in with_data]
    if not options:
        st.title(t("map", lang))
        st.info(f"{level_names[level]}: {t('no_data', lang)}")
        return
    _seed("map_indicator", url.indicator if url.indicator in options else options[0])
    if st.session_state["map_indicator"] not in options:
        st.session_state["map_indicator"] = options[0]
    indicator = st.sidebar.selectbox(
        t("indicator", lang),
        options,
        key="map_indicator",
        format_func=lambda i: indicator_label(catalogue.loc[i], lang),
    )
    info = catalogue.loc[indicator]
    direction = str(info["direction"])
    st.sidebar.caption(
        " · ".join(
            part
            for part in (
                f"{t('source', lang)}: {info['source']}" if info["source"] else "",
                t(f"direction_{direction}", lang),
            )
            if part
        )
    )

    series = cached.level_series(gen, indicator, level)
    years = sorted(int(y) for y in series["year"].unique())
    if "map_year_next" in st.session_state:  # set by the play loop of the previous run
        st.session_state["map_year"] = st.session_state.pop("map_year_next")
    _seed("map_year", url.year if url.year in years else years[-1])
    if st.session_state["map_year"] not in years:
        st.session_state["map_year"] = years[-1]
    if len(years) > 1:
        year = st.sidebar.select_slider(t("year", lang), years, key="map_year")
    else:
        year = years[0]
        st.sidebar.caption(f"{t('year', lang)}: {year}")
    play = st.sidebar.button(t("play", lang), help=t("play_help", lang), disabled=len(years) < 2, key="map_play")

    units = cached.level_units(gen, level)
    codes = units["code"].tolist()
    unit_names = dict(zip(units["code"], units["name"], strict=True))

    # --- classes and colours -------------------------------------------------------------------------------------
    with st.sidebar.expander(t("classification", lang)):
        _seed("map_method", url.method)
        method = st.selectbox(
            t("method", lang), METHODS, format_func=lambda m: t(f"method_{m}", lang), key="map_method"
        )
        _seed("map_k", url.k)
        k = st.slider(t("classes", lang), 3, 9, key="map_k", disabled=method in ("std_mean", "user_defined"))
        breaks: list[float] = []
        if method == "user_defined":
            _seed("map_breaks", "; ".join(format_number(b, lang, 6).rstrip("0").rstrip(",.") for b in url.breaks))
            try:
                breaks = view_state.parse_breaks(st.text_input(t("breaks", lang), key="map_breaks"))
            except ValueError:
                st.warning(t("bad_breaks", lang))
                method = "quantiles"
        _seed("map_fixed", url.fixed)
        fixed = st.checkbox(t("fixed", lang), key="map_fixed", help=t("fixed_help", lang))
        _seed("map_palette", url.palette)
        palette = st.selectbox(
            t("palette", lang), list(SEQUENTIAL), format_func=lambda p: t(f"palette_{p}", lang), key="map_palette"
        )
        _seed("map_ref_mode", "" if not url.reference else "avg" if url.reference == "avg" else "unit")
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
                index=_start_index("map_ref", codes, url.reference),
                format_func=lambda r: f"{unit_names[r]} ({r})",
            )
        _seed("map_hotspots", url.hotspots)
        hotspots = st.checkbox(t("hotspots", lang), key="map_hotspots", help=t("hotspots_help", lang))
        significance = url.significance
        if hotspots:
            _seed("map_sig", url.significance)
            significance = st.select_slider(t("significance", lang), list(view_state.SIGNIFICANCE), key="map_sig")
    settings = {"method": method, "k": k, "breaks": breaks, "fixed": fixed, "palette": palette, "reference": reference}

    # --- overlays ----------------------------------------------------------------------------------------------------
    props = cached.proposals_layer(gen)
    outlines = cached.area_outlines(gen)
    st.sidebar.markdown(f"**{t('overlays', lang)}**")
    for overlay in view_state.OVERLAYS:
        _seed(f"map_ov_{overlay}", overlay in url.overlays)
    show_props = st.sidebar.checkbox(t("overlay_proposals", lang), key="map_ov_proposals", disabled=props.empty)
    colour_by = url.colour_by
    if show_props:
        _seed("map_pcol", url.colour_by)
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
        _seed("map_basemap", url.basemap)
        use_basemap = st.sidebar.checkbox(t("basemap", lang), key="map_basemap")

    # --- the selected unit: a click on the map (the chart's state is known before it is drawn) or the list --------
    clicked = clicked_unit(st.session_state.get("map_chart"), set(codes))
    if clicked and clicked != st.session_state.get("map_last_click"):
        st.session_state["map_unit"] = clicked
    st.session_state["map_last_click"] = clicked
    if st.session_state.get("map_unit", "") not in ("", *codes):
        st.session_state["map_unit"] = ""
    selected = st.session_state.get("map_unit", url.unit if url.unit in codes else "")

    # --- the map --------------------------------------------------------------------------------------------------
    geo = cached.geometry_source(gen, level, static_serving())
    no_data = t("no_data", lang)
    overlay_traces = []
    if show_areas:
        overlay_traces += area_traces(outlines)
    not_on_map = 0
    if show_props:
        points, group_labels, group_colours = proposal_points(props, colour_by, lang)
        not_on_map = len(props) - len(points)
        overlay_traces += proposal_traces(
            points, group_column="group", group_labels=group_labels, colours=group_colours
        )
    base = map_base(level, tiles if use_basemap else None, labels=show_labels)
    name = str(info[name_col])

    def figure_for(shown_year: int) -> tuple:
        shown = units[["code", "name"]].merge(
            year_values(series, shown_year)[["code", "value", "flag"]], on="code", how="left"
        )
        if hotspots:
            layer = hotspot_layer(
                shown, cached.hotspots(gen, indicator, level, shown_year, significance), lang, no_data
            )
        else:
            layer = classify_year(shown, series, settings, direction, lang, no_data)
        traces = choropleth(
            geo,
            ClassLayer(
                layer.shown["code"],
                layer.shown["value"],
                layer.shown["class"],
                layer.colours,
                layer.labels,
                layer.no_data_label,
            ),
            unit=str(info["unit"]),
            value_format=",." + str(max(layer.decimals, 1)) + "f",
        )
        if selected:
            traces.append(highlight(geo, selected, unit_names[selected]))
        subtitle = f"{level_names[level]}, {shown_year}" + (
            f" · {t('hotspots_sub', lang).format(p=significance)}" if hotspots else ""
        )
        names = []
        if show_labels:  # on top of everything, each name readable on its unit's colour
            fill = dict(
                zip(
                    layer.shown["code"],
                    [layer.colours[c] if c >= 0 else NO_DATA_COLOUR for c in layer.shown["class"]],
                    strict=True,
                )
            )
            names = label_traces(units, fill)
        fig = map_figure(
            traces + overlay_traces + names,
            title=name,
            subtitle=subtitle,
            base=base,
            uirevision=level,
            separators=", " if lang == "pl" else ".,",
            legend_title=t("hotspots_legend", lang) if hotspots else str(info["unit"]),
        )
        return fig, layer

    try:
        fig, layer = figure_for(year)
    except ClassificationError as exc:
        st.warning(str(exc))
        return
    config = map_config(toImageButtonOptions={"format": "png", "scale": 2, "filename": f"{indicator}_{level}_{year}"})
    with col_map:
        slot.plotly_chart(
            fig, key="map_chart", on_select="rerun", selection_mode="points", config=config, width="stretch"
        )
        notes = [t("png_hint", lang)]
        if show_props and not_on_map:
            notes.append(t("not_on_map", lang).format(n=not_on_map))
        st.caption(" ".join(notes))
    with col_panel:
        st.subheader(t("unit_panel", lang))
        st.selectbox(
            t("unit_pick", lang),
            ["", *codes],
            key="map_unit",
            index=_start_index("map_unit", ["", *codes], url.unit),
            format_func=lambda c: t("unit_none", lang) if c == "" else f"{unit_names[c]} ({c})",
        )
        if selected:
            _unit_panel(selected, units, series, year, info, props, lang)

    _table_and_exports(layer, indicator, info, level, year, lang, name)

    chosen = view_state.MapView(
        level=level,
        indicator=indicator,
        year=year,
        method=method,
        k=k,
        breaks=breaks,
        fixed=fixed,
        palette=palette,
        reference=reference,
        overlays=[o for o, on in zip(view_state.OVERLAYS, (show_props, show_areas, show_labels), strict=True) if on],
        colour_by=colour_by,
        unit=selected or None,
        basemap=use_basemap,
        hotspots=hotspots,
        significance=significance,
    )
    params = {**view_state.to_params(chosen), "lang": lang}
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)

    if play:  # step through the years on the same chart, then leave the slider on the last year shown
        start = years.index(year) + 1 if year != years[-1] else 0
        for step_year in years[start:]:
            time.sleep(PLAY_DELAY_S)
            slot.plotly_chart(figure_for(step_year)[0], config=config, width="stretch")
        st.session_state["map_year_next"] = years[-1]
        st.rerun()


def _unit_panel(
    code: str, units: pd.DataFrame, series: pd.DataFrame, year: int, info: pd.Series, props: pd.DataFrame, lang: str
) -> None:
    gen = generation()
    row = units.set_index("code").loc[code]
    direction = str(info["direction"])
    profile = unit_profile(series, code, year, direction)
    decimals = decimals_for([v for v in series["value"].dropna().head(50)])
    unit = str(info["unit"])
    st.markdown(f"### {row['name']}")
    st.caption(
        f"{t('code', lang)}: {code}"
        + (
            f" · {t('parent', lang)}: {row['parent_name']} ({row['parent_code']})"
            if pd.notna(row["parent_code"])
            else ""
        )
    )
    delta_colour = "inverse" if direction == "lower_is_better" else "off" if direction == "neutral" else "normal"
    c1, c2 = st.columns(2)
    value_text = (
        f"{format_number(profile.value, lang, decimals)} {unit}" if profile.value is not None else t("no_data", lang)
    )
    c1.metric(
        f"{t('value', lang)} {year}", value_text, help=f"{t('flag', lang)}: {profile.flag}" if profile.flag else None
    )
    c2.metric(t("rank", lang), f"{profile.rank} / {profile.ranked}" if profile.rank else "–", help=t("rank_help", lang))
    if profile.flag:
        st.caption(f"{t('flag', lang)}: **{profile.flag}**")
    c3, c4 = st.columns(2)
    for column, change, label in ((c3, profile.since_first, None), (c4, profile.last_5_years, t("change_5", lang))):
        if change is None:
            column.metric(label or t("change_since", lang).format(year="…"), "–")
            continue
        pct = f" ({format_number(change.percent, lang, 1)} %)" if change.percent is not None else ""
        signed = f"{'+' if change.absolute > 0 else ''}{format_number(change.absolute, lang, decimals)}"
        column.metric(
            label or t("change_since", lang).format(year=change.from_year),
            f"{signed} {unit}",
            delta=f"{signed}{pct}",
            delta_color=delta_colour,
        )
    own = series[series["code"] == code].set_index("year")["value"]
    lines = {str(row["name"]): own, t("average_shown", lang): average_by_year(series)}
    if pd.notna(row["parent_code"]):
        parent = cached.unit_series(gen, str(info.name), str(row["parent_code"]))
        if not parent.empty:
            lines[f"{t('parent', lang)}: {row['parent_name']}"] = parent.set_index("year")["value"]
    st.plotly_chart(
        unit_series_figure(lines, unit=unit, separators=", " if lang == "pl" else ".,"),
        width="stretch",
        config={"displaylogo": False},
        key="unit_series",
    )
    here = props[props["unit_code"] == code]
    st.markdown(f"**{t('proposals_in_unit', lang)}: {len(here)}**")
    if here.empty:
        st.caption(t("no_proposals_here", lang))
    else:
        suffix = "pl" if lang == "pl" else "en"
        st.dataframe(
            pd.DataFrame(
                {
                    t("title_col", lang): here["title"],  # resident text: the grid shows it as text, never HTML
                    t("status", lang): [t(f"status_{s}", lang) for s in here["status"]],
                    t("goal", lang): here["goal_code"].fillna("") + " " + here[f"goal_{suffix}"].fillna(""),
                    t("cost", lang) + " [zł]": here["cost_pln"],
                }
            ),
            hide_index=True,
            width="stretch",
            key="unit_proposals",
        )


def _table_and_exports(
    layer: Layer, indicator: str, info: pd.Series, level: str, year: int, lang: str, name: str
) -> None:
    shown = layer.shown
    labels = {c: label.rsplit(" (", 1)[0] for c, label in enumerate(layer.labels)}
    table = pd.DataFrame(
        {
            t("code", lang): shown["code"],
            t("name", lang): shown["name"],
            f"{t('value', lang)} [{info['unit']}]": shown["value"],
            t("flag", lang): shown["flag"],
            t("class", lang): [labels.get(c, t("no_data", lang)) for c in shown["class"]],
        }
    )
    # shown on request: with 2,477 gminy the table would otherwise be resent on every year change
    if st.toggle(f"{t('table', lang)} ({len(table)})", key="map_show_table"):
        st.dataframe(table, hide_index=True, width="stretch", key="map_table")
    stem = f"{indicator}_{level}_{year}"
    notes = [f"{name} [{info['unit']}]", f"{t('year', lang)}: {year}", f"{t('source', lang)}: {info['source']}"]

    def layer_frame():
        frame = shown[["code", "name", "value", "flag"]].assign(indicator=indicator, year=year)
        return exports.layer_frame(frame, layer_geometries(connection(), level))

    cols = st.columns(4)
    cols[0].download_button(
        f"{t('download', lang)} CSV",
        lambda: exports.csv_bytes(table),
        f"{stem}.csv",
        "text/csv",
        key="dl_csv",
        on_click="ignore",
    )
    cols[1].download_button(
        f"{t('download', lang)} XLSX",
        lambda: exports.xlsx_bytes(table, notes=notes),
        f"{stem}.xlsx",
        key="dl_xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    cols[2].download_button(
        f"{t('download', lang)} GeoJSON",
        lambda: exports.geojson_bytes(layer_frame()),
        f"{stem}.geojson",
        "application/geo+json",
        key="dl_geojson",
        on_click="ignore",
    )
    cols[3].download_button(
        f"{t('download', lang)} GeoPackage",
        lambda: exports.gpkg_bytes(layer_frame(), layer_name=stem),
        f"{stem}.gpkg",
        "application/geopackage+sqlite3",
        key="dl_gpkg",
        on_click="ignore",
    )
