"""The map explorer: one indicator at one level for one year, classed, with overlays, a unit panel and exports.

A thin page: widgets in ``map_controls``, data from ``dashboard.cached``, the figure from ``dashboard.map_layers``,
the unit panel and exports in ``map_panel``. The view lives in the URL (``dashboard.view_state``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import cached, view_state
from dashboard.figures import map_config
from dashboard.i18n import t
from dashboard.map_layers import MapScene, animated_map, class_trace_count, scene_figure
from dashboard.state import generation, static_serving
from dashboard.text import md
from dashboard.views import map_classing, map_large
from dashboard.views import map_controls as controls
from dashboard.views.map_exports import export_context, png_options, png_size, table_and_exports
from dashboard.views.map_panel import unit_panel
from dashboard.views.map_shape import map_base, map_height
from dashboard.views.widgets import keep_params, page_params
from indicators.classify import ClassificationError


def page(lang: str) -> None:
    gen = generation()
    meta = cached.overview(gen)["meta"]
    levels = cached.levels(gen)
    catalogue = cached.catalogue(gen).set_index("id")
    url = view_state.from_params(page_params("map"))
    name_col = f"name_{lang}"

    # --- what to show: level, indicator, year ------------------------------------------------------------------------
    level_names = {} if levels.empty or catalogue.empty else controls.levels_with_values(gen, levels, name_col)
    if not level_names:
        st.title(t("map", lang))
        st.info(t("empty_store", lang))
        return
    level = controls.level_picker(level_names, url, lang)
    col_map, col_panel = st.columns([3, 2], gap="medium")
    large = map_large.is_large(gen, level)
    with col_map:  # a large level's map stays mounted while the page reruns: an emptied slot would hide it, and
        slot = st.container() if large else st.empty()  # MapLibre redraws all its units twice once it is back
    controls.first_paint(slot, gen, level, meta, url, lang)
    with_data = set(cached.level_indicators(gen, level))
    options = [i for i in catalogue.index if i in with_data]
    if not options:
        st.title(t("map", lang))
        st.info(f"{md(level_names[level])}: {t('no_data', lang)}")
        return
    indicator = controls.indicator_picker(catalogue, options, url, lang)
    info = catalogue.loc[indicator]
    series = cached.level_series(gen, indicator, level)
    years = sorted(int(y) for y in series["year"].unique())
    year, play = controls.year_picker(years, url, lang)
    roster = cached.level_roster(gen, level)
    units, codes, unit_names = roster.units, roster.codes, roster.names
    classing = map_classing.classification(url, codes, unit_names, lang)
    props = cached.proposals_layer(gen)
    outlines = cached.area_outlines(gen)
    shown = map_classing.overlays(url, props, outlines, meta, lang)
    selected = controls.selected_unit(roster, url, map_large.clicked(roster))

    # --- the map -------------------------------------------------------------------------------------------------
    geo = "" if large else cached.geometry_source(gen, level, static_serving())
    overlay_traces, not_on_map = map_classing.overlay_traces(shown, props, outlines, lang)
    context = export_context(str(info[name_col]), info, level_names[level], year, meta, lang)
    scene = MapScene(
        geo=geo,
        roster=roster,
        series=series,
        title=str(info[name_col]),
        unit=str(info["unit"]),
        direction=str(info["direction"]),
        level_name=level_names[level],
        uirevision=level,
        base=map_base(level, shown.tiles if shown.basemap else None, labels=shown.labels),
        settings=classing.settings(),
        lang=lang,
        overlay_traces=overlay_traces,
        selected=selected,
        labels=shown.labels,
        hotspots=classing.hotspots,
        significance=classing.significance,
        footnote=" · ".join(p for p in (context.source, context.workspace) if p),
        warning=context.synthetic_mark if context.synthetic else "",
        height=map_height(level, 680),
    )

    def figure_for(shown_year: int):
        spots = cached.hotspots(gen, indicator, level, shown_year, classing.significance) if classing.hotspots else None
        return scene_figure(scene, shown_year, spots)

    png = png_options(scene.title, year, png_size(lang))
    plays = years if play else []
    try:  # a large level: MapLibre recolours it in the browser (no Plotly figure; Play: all years' classes)
        layer = map_large.show(slot, col_map, gen, level, indicator, scene, year, png, plays) if large else None
        large = layer is not None
        if layer is None:
            scene.geo = scene.geo or cached.geometry_source(gen, level, static_serving())
            fig, layer = figure_for(year)
        if not large and play:  # every year's classes at once: the browser plays them, no server round trip
            frames = [(y, *_with_count(figure_for(y))) for y in years]
            fig = animated_map(frames, year, lang)
    except ClassificationError as exc:
        st.warning(cached.explain(exc, lang))
        return
    with col_map:
        if not large:
            config = map_config(lang, toImageButtonOptions=png)
            slot.plotly_chart(
                fig, key="map_chart", on_select="rerun", selection_mode="points", config=config, width="stretch"
            )
        notes = [map_large.note(len(codes), lang)] if large else [t("png_hint", lang)]
        if shown.proposals and not_on_map:
            notes.append(t("not_on_map", lang).format(n=not_on_map))
        st.caption(" ".join(notes))
    with col_panel:
        st.subheader(t("unit_panel", lang))
        controls.unit_picker(codes, unit_names, url, lang)
        if selected:
            unit_panel(selected, units, series, year, info, props, lang)
    table_and_exports(layer, indicator, info, level, year, lang, scene.title, context)

    chosen = view_state.MapView(
        level=level,
        indicator=indicator,
        year=year,
        method=classing.method,
        k=classing.k,
        breaks=classing.breaks,
        fixed=classing.fixed,
        palette=classing.palette,
        reference=classing.reference,
        overlays=shown.names(),
        colour_by=shown.colour_by,
        unit=selected or None,
        basemap=shown.basemap,
        hotspots=classing.hotspots,
        significance=classing.significance,
    )
    keep_params("map", {**view_state.to_params(chosen), "lang": lang})


def _with_count(drawn: tuple) -> tuple:
    fig, layer = drawn
    return fig, class_trace_count(layer)
