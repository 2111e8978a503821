"""The map of a large level (thousands of units): drawn by MapLibre GL in the browser, recoloured by feature state.

Plotly's maps draw every unit as an SVG path or re-send every unit's value as JSON on each change: at 10,000 units
and more a first paint takes tens of seconds and a year change megabytes. From :data:`etl.store.tiles.LARGE_LEVEL`
units up the map page draws the level with MapLibre instead (a Streamlit component):

* the level's display geometry arrives as vector tiles, made once by the load (:mod:`etl.store.tiles`, DuckDB's
  ``ST_AsMVT``) and published as static files (a content-hashed folder, cached by the browser); each unit is
  numbered by its position in code order, and the browser asks only for the tiles in view;
* a change of year, indicator or classes sends only each unit's class — four bits a unit, base64 (100,000 units:
  67 KB) — and the browser recolours through feature state, without re-sending or re-parsing the geometry;
* a click on a unit selects it as on the small maps (the unit panel, the URL); hover names the unit and gives its
  value as the SVG map does — the values of the year shown are a static file (:func:`published_values`) the browser
  asks for when the pointer first rests on the map, so a change of year still sends only classes;
* proposals and programme areas are drawn over the units (:func:`overlay_data`), Play steps through every year's
  classes sent at once, and the units' names appear once they fit (all in ``large_map.js``); Compare, the LSR
  builder, Revitalisation and Proposals draw their class maps of a large level with it too.

MapLibre GL JS 6 is kept in ``dashboard/vendor/maplibre-gl`` (ES modules, from npm's registry; ``SOURCE.md`` there
says which and how to check them) and published once into the static folder; nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.figures import NO_DATA_COLOUR
from dashboard.map_layers import FRAME_MS

_HERE = Path(__file__).resolve().parent


VENDOR = _HERE / "vendor" / "maplibre-gl"  # MapLibre GL JS 6, as npm's maplibre-gl 6.20.0 ships it (SOURCE.md there)


def maplibre_files() -> tuple[bytes, bytes, bytes]:
    """MapLibre GL JS (an ES module), its worker (a module too) and its stylesheet, from :data:`VENDOR`."""
    module, worker, style = (
        (VENDOR / name).read_bytes() for name in ("maplibre-gl.mjs", "maplibre-gl-worker.mjs", "maplibre-gl.css")
    )
    return module, worker, style


class Library(NamedTuple):
    """URLs in the static folder of what the browser loads for the large map."""

    script: str  # MapLibre's module
    worker: str  # MapLibre's worker (a module)
    style: str  # MapLibre's stylesheet
    own: str  # this map's own script, large_map.js


@st.cache_resource
def maplibre_urls() -> Library | None:
    """The :class:`Library` published once into the static folder; None when its files cannot be written."""
    from dashboard.geometry import STATIC_DIR, publish_bytes

    script, worker, style = maplibre_files()
    folder = STATIC_DIR / "vendor"
    urls = [
        publish_bytes(script, "maplibre-gl", ".js", directory=folder),
        publish_bytes(worker, "maplibre-gl-worker", ".js", directory=folder),
        publish_bytes(style, "maplibre-gl", ".css", directory=folder),
        publish_bytes((_HERE / "large_map.js").read_bytes(), "atlas-large-map", ".js", directory=folder),
    ]
    found = [url for url in urls if url is not None]
    return Library(*found) if len(found) == len(urls) else None


def _in_file_order(file_codes: Sequence[str], codes: Sequence[str], values: np.ndarray, empty: float) -> np.ndarray:
    """``values`` (one per code of ``codes``) placed in the order of the geometry file's units, ``empty`` where a
    unit has none."""
    if len(codes) == len(file_codes) and tuple(codes) == tuple(file_codes):  # the map page's: both in code order
        return np.asarray(values).copy()
    position = pd.Index(file_codes).get_indexer(list(codes))
    known = position >= 0
    out = np.full(len(file_codes), empty, dtype=values.dtype)
    out[position[known]] = values[known]
    return out


def packed_classes(file_codes: Sequence[str], codes: Sequence[str], classes: Sequence[int]) -> str:
    """Each unit's class in the order of the geometry file, four bits a unit (0 = no data, else class + 1), two
    units a byte, base64: what a recolour sends."""
    shown = np.clip(np.asarray(classes, dtype=np.int64) + 1, 0, None)
    if len(shown) and shown.max() > 15:  # a sixteenth class would be drawn in another's colour
        raise ValueError(f"the large map draws at most 15 classes, not {int(shown.max())}")
    shown = shown.astype(np.uint8)
    nibbles = np.append(_in_file_order(file_codes, codes, shown, 0), np.zeros(len(file_codes) % 2, np.uint8))
    return base64.b64encode((nibbles[0::2] << 4 | nibbles[1::2]).astype(np.uint8).tobytes()).decode("ascii")


def hover_values(file_codes: Sequence[str], codes: Sequence[str], values: Sequence[float], decimals: int) -> dict:
    """Each unit's value in the order of the geometry file, rounded to the ``decimals`` the hover shows (None: no
    value): the document :func:`published_values` writes."""
    rounded = np.round(_in_file_order(file_codes, codes, np.asarray(values, dtype=float), np.nan), decimals)
    shown = rounded.astype(object)
    shown[np.isnan(rounded)] = None
    return {"values": shown.tolist()}


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)  # an hour: files older than a day may be pruned
def published_values(
    generation: tuple,
    level: str,
    indicator: str,
    year: int,
    decimals: int,
    _file_codes: Sequence[str],
    _shown: pd.DataFrame,
) -> str | None:
    """The URL of the static file of :func:`hover_values` for the units ``_shown`` (code, value) — the values of
    ``indicator`` in ``year`` on ``level`` in that data generation, which is what the cache keys on; None when it
    cannot be written."""
    from dashboard.geometry import STATIC_DIR, publish_json

    document = hover_values(
        _file_codes, _shown["code"].tolist(), _shown["value"].to_numpy(float, na_value=np.nan), decimals
    )
    return publish_json(document, f"values-{level}", directory=STATIC_DIR / "values")


def basemap_of(layers: Sequence[dict]) -> dict | None:
    """The tile basemap among the SVG map's base layers (:func:`dashboard.figures.basemap_layers`) for MapLibre: its
    URL template and its attribution, HTML-escaped (MapLibre shows attributions as HTML); None when it is off."""
    for layer in layers:
        if layer.get("sourcetype") == "raster" and layer.get("source"):
            return {"url": layer["source"][0], "attribution": html.escape(layer.get("sourceattribution") or "")}
    return None


def overlay_data(traces: list) -> dict:
    """The overlays the SVG map draws as Plotly traces (programme areas' outlines, proposals' points), for MapLibre:
    a GeoJSON collection of lines and one of points (colour, size, hover text — escaped where the trace has it),
    and their legend entries as [name, colour, "line" | "point"] (plain text: the page sets it as text)."""
    lines, points, legend = [], [], []
    for trace in traces:
        name = html.unescape(str(trace.name or ""))
        if trace.mode == "lines":
            parts: list[list[list[float]]] = [[]]
            for lon, lat in zip(trace.lon or (), trace.lat or (), strict=True):
                if lon is None or lat is None:
                    parts.append([])
                else:
                    parts[-1].append([lon, lat])
            shape = {"type": "MultiLineString", "coordinates": [part for part in parts if len(part) > 1]}
            lines.append({"type": "Feature", "properties": {"colour": trace.line.color}, "geometry": shape})
            legend.append([name, trace.line.color, "line"])
            continue
        sizes, texts = trace.marker.size, list(trace.text or ())
        for i, (lon, lat) in enumerate(zip(trace.lon or (), trace.lat or (), strict=True)):
            size = sizes[i] if isinstance(sizes, list | tuple) else sizes
            properties = {"colour": trace.marker.color, "size": size or 8, "text": texts[i] if i < len(texts) else ""}
            points.append(
                {"type": "Feature", "properties": properties, "geometry": {"type": "Point", "coordinates": [lon, lat]}}
            )
        legend.append([name, trace.marker.color, "point"])
    return {
        "lines": {"type": "FeatureCollection", "features": lines},
        "points": {"type": "FeatureCollection", "features": points},
        "legend": legend,
    }


@st.cache_resource
def _component(script: str):
    """The component. Its JavaScript is a static file (``script``: its URL; the browser caches it by its content's
    hash) that a two-line loader imports: inline, its 24 KB would travel with every rerun of the page."""
    loader = (
        f"const url = new URL({json.dumps(script)}, document.baseURI).href;\n"
        "export default function (component) { import(url).then((module) => module.default(component)); }\n"
    )
    return st.components.v2.component(
        "atlas_large_map",
        html=(
            '<div class="atlas-lm"><div class="atlas-lm-legend"></div><div class="atlas-lm-map"></div>'
            '<div class="atlas-lm-play"></div></div>'
        ),
        css=(_HERE / "large_map.css").read_text("utf-8"),
        js=loader,
    )


def large_map(
    *,
    geometry: tuple[dict, str, Sequence[str]],
    library: Library,
    codes: Sequence[str],
    classes: list[int],
    colours: list[str],
    labels: list[str],
    no_data_label: str,
    title: str,
    subtitle: str,
    png: dict,
    overlays: dict,
    bounds: tuple[float, float, float, float] | None,
    height: int,
    key: str,
    source: str = "",
    warning: str = "",
    outline: dict | None = None,
    year: int = 0,
    frames: Sequence[dict] = (),
    play_labels: Sequence[str] = (),
    names: bool = False,
    hover: dict | None = None,
    basemap: dict | None = None,
) -> None:
    """Draw the map (texts are set as text). A click on a unit is in ``st.session_state[key]["unit"]`` for the rerun
    it starts (see :func:`dashboard.views.map_large.clicked`). The keywords with defaults are the map page's: the
    source line and synthetic mark, the chosen unit's outline, Play's frames, the units' names, the ``basemap`` (see
    :func:`basemap_of`) and ``hover``: the
    values the hover gives (``url`` of :func:`published_values`, ``decimals``, ``unit``, ``lang``; each of Play's
    frames its own ``hover``)."""
    tiles, labels_url, file_codes = geometry  # outline: the chosen unit's GeoJSON geometry (None: no unit chosen)
    _component(library.own)(
        data={
            "tiles": tiles,
            "labels": labels_url,
            "script": library.script,
            "worker": library.worker,
            "style": library.style,
            "classes": packed_classes(file_codes, codes, classes),
            "units": len(file_codes),
            "height": height,
            "colours": list(colours),
            "legend": list(labels),
            "no_data": [no_data_label, NO_DATA_COLOUR],
            "title": title,
            "subtitle": subtitle,
            "source": source,  # the source line and the synthetic-data mark: under the map in its PNG
            "warning": warning,
            "png": png,
            "selected": {"type": "Feature", "properties": {}, "geometry": outline} if outline else None,
            "overlays": overlays,  # see overlay_data
            "frames": [  # Play: each year's classes, legend, subtitle and PNG name ([] when Play is off)
                {
                    "year": frame["year"],
                    "classes": packed_classes(
                        file_codes, frame["layer"].shown["code"].tolist(), frame["layer"].shown["class"].to_numpy()
                    ),
                    "colours": list(frame["layer"].colours),
                    "legend": list(frame["layer"].labels),
                    "subtitle": frame["subtitle"],
                    "png": frame["png"],
                    "hover": frame.get("hover"),
                }
                for frame in frames
            ],
            "start": next((i for i, frame in enumerate(frames) if frame["year"] == year), 0),  # the year shown
            "play": list(play_labels),  # ▶ / ❚❚ / "Year"
            "frame_ms": FRAME_MS,
            "names": names,  # the units' names over the map once they fit (the sidebar's "Unit names")
            "bounds": list(bounds) if bounds else None,
            "hover": hover,  # None: the hover names the unit and its class (the class maps of other pages)
            "basemap": basemap,  # see basemap_of
        },
        key=key,
        height=height,
        width="stretch",
        on_unit_change=lambda: None,
    )
