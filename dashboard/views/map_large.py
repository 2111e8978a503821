"""The map page on a large level: MapLibre draws it (see :mod:`dashboard.large_map`) instead of Plotly."""

from __future__ import annotations

from collections.abc import Container

import streamlit as st

from dashboard import cached
from dashboard.i18n import format_number, t
from dashboard.large_map import basemap_of, large_map, maplibre_urls, overlay_data, published_values
from dashboard.map_layers import Layer, MapScene, scene_layer, scene_subtitle
from dashboard.state import generation, static_serving
from dashboard.tables import file_stem
from etl.store.tiles import LARGE_LEVEL


def is_large(gen: tuple, level: str) -> bool:
    """Whether the level has so many units that MapLibre draws it (and the static folder can serve its files)."""
    counts = cached.levels(gen).set_index("level")["units"]
    return bool(level in counts.index and counts[level] >= LARGE_LEVEL and static_serving())


def note(units: int, lang: str) -> str:
    """What the large map does and what it leaves to the smaller levels, in ``lang``."""
    return t("large_map_note", lang, n=format_number(units, lang, 0))


def clicked(codes: Container[str]) -> str:
    """The unit clicked on the large map in this rerun ("" when none)."""
    state = st.session_state.get("map_large")
    value = state.get("unit") if hasattr(state, "get") else None
    return value if isinstance(value, str) and value in codes else ""


def show(
    slot, column, gen: tuple, level: str, indicator: str, scene: MapScene, year: int, png: dict, play: list[int]
) -> Layer | None:
    """Draw the level in ``year`` on the large map in ``slot`` (in ``column``); returns what it shows, or None (and
    draws nothing) when its files cannot be published. ``png``: the PNG export's options (as Plotly's camera takes
    them: file name without extension, size, scale). ``play``: the years Play steps through (none: no Play)."""
    geometry, library = cached.level_tiles(gen, level), maplibre_urls()
    if geometry is None or library is None:
        return None

    def layer_of(shown_year: int) -> Layer:
        spots = cached.hotspots(gen, indicator, level, shown_year, scene.significance) if scene.hotspots else None
        return scene_layer(scene, shown_year, spots)

    def hover(shown: Layer, shown_year: int) -> dict:  # the values of the year, as the SVG map's hover gives them
        decimals = max(shown.decimals, 1)
        url = published_values(gen, level, indicator, shown_year, decimals, geometry[2], shown.shown)
        return {"url": url, "decimals": decimals, "unit": scene.unit, "lang": scene.lang, "with_class": scene.hotspots}

    layer = layer_of(year)
    stem = png["filename"].removesuffix(str(year))
    frames = [  # every year's classes at once: the browser plays them without asking the server
        {
            "year": y,
            "layer": shown,
            "subtitle": scene_subtitle(scene, y),
            "png": f"{stem}{y}.png",
            "hover": hover(shown, y),
        }
        for y in play
        for shown in [layer if y == year else layer_of(y)]
    ]
    with column, slot:
        large_map(
            geometry=geometry,
            library=library,
            codes=layer.shown["code"].tolist(),
            classes=layer.shown["class"].to_numpy(),
            colours=list(layer.colours),
            labels=list(layer.labels),
            no_data_label=layer.no_data_label,
            title=f"{scene.title} ({scene.unit})" if scene.unit and not scene.hotspots else scene.title,
            subtitle=scene_subtitle(scene, year),
            source=scene.footnote,
            warning=scene.warning,
            png={**png, "filename": f"{png['filename']}.png", "label": f"{t('download', scene.lang)} PNG"},
            outline=cached.unit_outline(gen, scene.selected) if scene.selected else None,
            overlays=overlay_data(scene.overlay_traces),
            year=year,
            frames=frames,
            play_labels=[t("anim_play", scene.lang), t("anim_pause", scene.lang), t("year", scene.lang)],
            names=scene.labels,
            bounds=cached.level_bounds(gen, level),
            height=scene.height,
            key="map_large",
            hover=hover(layer, year),
            basemap=basemap_of(scene.base.layers),
        )
    return layer


def show_classes(
    level: str,
    codes: list[str],
    class_of: list[int],
    colours: list[str],
    labels: list[str],
    *,
    title: str,
    subtitle: str,
    lang: str,
    key: str,
    traces: list,
    height: int,
) -> bool:
    """A map of classes (chosen or not, heard or not, …) on a large level, as :func:`dashboard.views.common.class_map`
    draws it on the smaller ones: a click's unit is in ``st.session_state[key]["unit"]`` for the rerun it starts
    (:mod:`dashboard.views.clicks` reads it); ``traces``: the SVG map's overlays (areas, proposals). False (and
    nothing drawn) when its files cannot be published."""
    gen = generation()
    geometry, library = cached.level_tiles(gen, level), maplibre_urls()
    if geometry is None or library is None:
        return False
    large_map(
        geometry=geometry,
        library=library,
        codes=codes,
        classes=class_of,
        colours=colours,
        labels=labels,
        no_data_label=t("no_data", lang),
        title=title,
        subtitle=subtitle,
        png={"filename": f"{file_stem(title, subtitle)}.png", "scale": 2, "label": f"{t('download', lang)} PNG"},
        overlays=overlay_data(traces),
        bounds=cached.level_bounds(gen, level),
        height=height,
        key=key,
    )
    return True
