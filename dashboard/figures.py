"""Figures as plain functions returning ``go.Figure`` (tested without Streamlit).

The choropleth takes its geometry either as a URL (served once as a static, cacheable file: each interaction then
ships only codes and values) or, where static serving is off, as the GeoJSON itself.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel import Locale

from dashboard.i18n import format_number, t
from indicators.formatting import LOCALES

#: Okabe-Ito: a qualitative palette that colour-blind readers can tell apart.
#: Warm colours first: they stand out on the blue sequential classes.
QUALITATIVE = ["#E69F00", "#CC79A7", "#009E73", "#D55E00", "#F0E442", "#000000", "#56B4E9", "#0072B2"]
NO_DATA_COLOUR = "#d9d9d9"
#: Text and hover labels readable on any background (WCAG AA: at least 4.5:1 against white): dark text, white hovers.
TEXT_COLOUR = "#1f1f1f"
READABLE = {
    "font": {"color": TEXT_COLOUR, "size": 13},
    "hoverlabel": {"bgcolor": "#ffffff", "bordercolor": "#555555", "font": {"color": TEXT_COLOUR, "size": 13}},
    "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff",
}
AREA_COLOURS = {
    "lsr": "#6a3d9a",
    "revitalisation": "#d62728",
    "degraded": "#ff7f0e",
    "functional_urban_area": "#1f78b4",
}
STATUS_COLOURS = {
    "submitted": "#999999",
    "under_evaluation": "#56B4E9",
    "accepted": "#0072B2",
    "rejected": "#D55E00",
    "selected": "#009E73",
    "implemented": "#000000",
}


TOPOJSON_URL = "app/static/topojson/"  # Plotly's SVG maps fetch ``world_110m.json`` from here (an empty file)
MAP_ASPECT = 1.2  # width / height of the map area on a wide screen: the SVG map's initial view is padded to it


def map_style() -> dict:
    """A MapLibre style with only a white background, served as a file (``dashboard.geometry.publish_json``).

    No ``glyphs`` URL on purpose: MapLibre then draws label text with the browser's own fonts, so labels work
    offline (Plotly's built-in "white-bg" style fetches glyphs from fonts.openmaptiles.org). Given as a URL, not as
    an object: with a style object, Streamlit's Plotly build stops reporting hover and clicks on map polygons.
    """
    return {
        "version": 8,
        "name": "atlas-white",
        "sources": {},
        "layers": [{"id": "background", "type": "background", "paint": {"background-color": "#ffffff"}}],
    }


def basemap_layers(url: str | None, attribution: str = "") -> list[dict]:
    """An optional raster tile basemap under the traces (needs a network; off by default)."""
    if not url:
        return []
    return [{"below": "traces", "sourcetype": "raster", "source": [url], "sourceattribution": attribution}]


def view_for(bounds: tuple[float, float, float, float] | None) -> dict:
    """Centre and zoom that fit lon/lat bounds (MapLibre layers have no fitbounds for GeoJSON)."""
    if bounds is None:
        return {"center": {"lon": 19.4, "lat": 52.0}, "zoom": 5}
    xmin, ymin, xmax, ymax = bounds
    span = max(xmax - xmin, (ymax - ymin) * 1.6, 1e-6)
    zoom = max(0.0, min(14.0, math.log2(360 / span) + 0.1))
    return {"center": {"lon": (xmin + xmax) / 2, "lat": (ymin + ymax) / 2}, "zoom": round(zoom, 2)}


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2))


def svg_view_for(bounds: tuple[float, float, float, float] | None, aspect: float = MAP_ASPECT) -> dict:
    """Longitude and latitude ranges of an SVG (Mercator) map showing ``bounds`` with a 5% margin, widened or
    heightened to ``aspect`` so the map fills its area instead of being boxed in the middle."""
    xmin, ymin, xmax, ymax = bounds if bounds is not None else (14.1, 49.0, 24.2, 54.9)
    dx = max(xmax - xmin, 1e-4) * 1.1
    y0, y1 = _mercator_y(ymin), _mercator_y(ymax)
    dy = max(y1 - y0, 1e-6) * 1.1
    width, height = math.radians(dx), dy
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    cx, cy = (xmin + xmax) / 2, (y0 + y1) / 2
    lat = [math.degrees(2 * math.atan(math.exp(cy + sign * height / 2)) - math.pi / 2) for sign in (-1, 1)]
    half = math.degrees(width) / 2
    return {
        "lonaxis": {"range": [round(cx - half, 5), round(cx + half, 5)]},
        "lataxis": {"range": [round(lat[0], 5), round(lat[1], 5)]},
    }


@dataclass(frozen=True)
class MapBase:
    """What the traces are drawn on.

    By default an SVG map (Plotly ``geo``, Mercator, no base layers): it works offline and, in a browser without a
    GPU, draws 2,477 gminy in about 0.4 s against 1.5 s for MapLibre (measured in headless Chromium), and pans
    three times faster. A MapLibre map is used when a tile basemap is switched on (``style`` and ``layers``), and
    where Streamlit does not serve static files (Plotly's SVG maps fetch a TopoJSON file, ``TOPOJSON_URL``).
    """

    bounds: tuple[float, float, float, float] | None
    style: str | None = None  # a MapLibre style (URL or name): draw with MapLibre instead of SVG
    layers: tuple[dict, ...] = ()  # MapLibre layers (the tile basemap)
    aspect: float = MAP_ASPECT  # width / height of the map's area: the SVG view is padded to it

    @property
    def tiles(self) -> bool:
        return self.style is not None

    def layout(self, domain: dict) -> dict:
        """The figure's ``map`` or ``geo`` layout entry."""
        if self.tiles:
            return {
                "map": {"style": self.style, **view_for(self.bounds), "domain": domain, "layers": list(self.layers)}
            }
        return {
            "geo": {
                "projection": {"type": "mercator"},
                **svg_view_for(self.bounds, self.aspect),
                "visible": False,
                "bgcolor": "rgba(0,0,0,0)",
                "domain": domain,
            }
        }

    def draw(self, trace: go.Choroplethmap | go.Scattermap) -> go.BaseTraceType:
        """The trace for this base: MapLibre traces are turned into their SVG equivalents (same attributes)."""
        if self.tiles:
            return trace
        spec = trace.to_plotly_json()
        kind = spec.pop("type")
        spec.pop("below", None)
        spec.pop("subplot", None)
        if kind == "choroplethmap":
            return go.Choropleth(spec, locationmode="geojson-id")
        if kind == "scattermap":
            return go.Scattergeo(spec)
        raise ValueError(f"not a map trace: {kind}")


@dataclass(frozen=True)
class ClassLayer:
    """What the choropleth draws: codes with values, the class of each, class colours and legend labels."""

    codes: Sequence[str]
    values: Sequence[float | None]
    class_of: Sequence[int]  # -1 = no data
    colours: Sequence[str]
    labels: Sequence[str]  # one per class, shown in the legend (range and count)
    no_data_label: str


def _rounded(values: np.ndarray) -> list:
    """Values rounded to 6 significant digits: enough for hover, much shorter in the JSON sent."""
    return [float(f"{v:.6g}") for v in values]


def choropleth(geo: dict | str, layer: ClassLayer, *, unit: str, value_format: str = ",.2f") -> list[go.Choroplethmap]:
    """One trace per class (so the legend shows each range with its count) plus one for units without data."""
    codes = np.asarray(layer.codes, dtype=object)
    values = np.asarray([np.nan if v is None else v for v in layer.values], dtype=float)
    class_of = np.asarray(layer.class_of, dtype=int)
    hover = "%{properties.name}<br>%{z:" + value_format + "} " + html.escape(unit) + "<extra></extra>"
    traces = []
    for c, (colour, label) in enumerate(zip(layer.colours, layer.labels, strict=True)):
        members = class_of == c
        traces.append(
            go.Choroplethmap(
                geojson=geo,
                featureidkey="id",
                locations=codes[members].tolist(),
                z=_rounded(values[members]),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                showlegend=True,
                name=label,
                legendgroup=f"class{c}",
                marker_line_color="white",
                marker_line_width=0.5,
                hovertemplate=hover,
            )
        )
    missing = class_of < 0
    if missing.any():
        traces.append(
            go.Choroplethmap(
                geojson=geo,
                featureidkey="id",
                locations=codes[missing].tolist(),
                z=[0] * int(missing.sum()),
                colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
                showscale=False,
                showlegend=True,
                name=layer.no_data_label,
                marker_line_color="white",
                marker_line_width=0.5,
                hovertemplate="%{properties.name}<br>" + html.escape(layer.no_data_label) + "<extra></extra>",
            )
        )
    return traces


def highlight(geo: dict | str, code: str, name: str) -> go.Choroplethmap:
    """A thick outline around the selected unit."""
    return go.Choroplethmap(
        geojson=geo,
        featureidkey="id",
        locations=[code],
        z=[0],
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        showscale=False,
        showlegend=False,
        marker_line_color="#111111",
        marker_line_width=3,
        name=name,
        hoverinfo="skip",
    )


def proposal_hover(row: pd.Series, *, status_label: str, goal_label: str, cost_label: str, unit_label: str) -> str:
    """Hover text of one proposal. Resident-written text is HTML-escaped: Plotly shows ``&lt;`` as ``<``."""
    parts = [f"<b>{html.escape(str(row['title']))}</b>", html.escape(status_label)]
    if goal_label:
        parts.append(html.escape(goal_label))
    parts.append(html.escape(cost_label))
    if unit_label:
        parts.append(html.escape(unit_label))
    return "<br>".join(parts)


def proposal_traces(
    points: pd.DataFrame, *, group_column: str, group_labels: dict[str, str], colours: dict[str, str]
) -> list[go.Scattermap]:
    """Proposals as markers, one trace per group (goal or status), sized by cost; ``points`` has lon, lat,
    cost_pln and a prepared ``hover`` column."""
    if points.empty:
        return []
    top = float(points["cost_pln"].max()) if points["cost_pln"].notna().any() else 0.0
    sizes = (
        7 + 17 * np.sqrt(points["cost_pln"].fillna(0).clip(lower=0) / top)
        if top > 0
        else pd.Series(8, index=points.index)
    )
    traces = []
    for group, part in points.groupby(group_column, sort=True, dropna=False):
        key = "" if pd.isna(group) else str(group)
        traces.append(
            go.Scattermap(
                lon=part["lon"].tolist(),
                lat=part["lat"].tolist(),
                mode="markers",
                marker={
                    "size": sizes[part.index].round(1).tolist(),
                    "color": colours.get(key, "#666666"),
                    "opacity": 0.85,
                },
                text=part["hover"].tolist(),
                # the proposal's unit: a click on the point means that unit (filters the Proposals page to it)
                customdata=part["unit_code"].fillna("").tolist() if "unit_code" in part else None,
                hovertemplate="%{text}<extra></extra>",
                name=group_labels.get(key, key),
                legendgroup="proposals",
                legendgrouptitle_text=None,
            )
        )
    return traces


def area_traces(outlines: list[dict]) -> list[go.Scattermap]:
    """Programme areas as outlines (one trace each, named in the legend)."""
    traces = []
    for i, area in enumerate(outlines):
        lon: list[float | None] = []
        lat: list[float | None] = []
        for line in area["lines"]:
            lon.extend([round(p[0], 5) for p in line] + [None])
            lat.extend([round(p[1], 5) for p in line] + [None])
        colour = AREA_COLOURS.get(area["kind"], QUALITATIVE[i % len(QUALITATIVE)])
        traces.append(
            go.Scattermap(
                lon=lon,
                lat=lat,
                mode="lines",
                line={"width": 3, "color": colour},
                name=html.escape(area["name"]),
                hoverinfo="name",
            )
        )
    return traces


def _dark(colour: str) -> bool:
    """Whether a ``#rrggbb`` fill is dark enough to need white text (relative luminance below 0.4)."""
    if not (isinstance(colour, str) and colour.startswith("#") and len(colour) == 7):
        return False
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] < 0.4


def label_traces(units: pd.DataFrame, fill: dict[str, str] | None = None) -> list[go.Scattermap]:
    """Unit names at a point inside each unit (``units``: code, name, lon, lat): dark text, white over dark fills
    (``fill``: the colour each unit is drawn in)."""
    on_dark = units["code"].map(lambda code: _dark((fill or {}).get(code, ""))).astype(bool)
    traces = []
    for part, colour in ((units[~on_dark], "#222222"), (units[on_dark], "#ffffff")):
        if part.empty:
            continue
        traces.append(
            go.Scattermap(
                lon=part["lon"].round(5).tolist(),
                lat=part["lat"].round(5).tolist(),
                mode="text",
                text=[html.escape(n) for n in part["name"]],
                textfont={"size": 11, "color": colour},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    return traces


#: The strip under the map's legend that holds the source line.
FOOTNOTE_PX = 24
#: Room a map legend of two rows with its title needs (px).
LEGEND_PX = 76
#: Characters of a map title's line: what a phone shows at 15 px (longer titles are broken at spaces).
TITLE_CHARS = 42
#: The width a map gets on a phone (a 390 px screen less Streamlit's side padding).
PHONE_WIDTH = 358


def bounds_aspect(bounds: tuple[float, float, float, float] | None) -> float | None:
    """Width / height of lon/lat bounds as a Mercator map draws them; None without usable bounds."""
    if bounds is None:
        return None
    xmin, ymin, xmax, ymax = bounds
    tall = _mercator_y(ymax) - _mercator_y(ymin)
    return math.radians(xmax - xmin) / tall if tall > 0 and xmax > xmin else None


def phone_height(bounds: tuple[float, float, float, float] | None, default: int) -> int:
    """A map's height on a phone: the units' bounds drawn across the phone's width, plus the title and the legend,
    instead of the desktop height that leaves a short map floating in white space (the map's view is then padded
    to the bounds' own shape, :attr:`MapBase.aspect`)."""
    aspect = bounds_aspect(bounds)
    if aspect is None:
        return default
    drawn = PHONE_WIDTH / aspect  # the map's own height at that width
    # the map takes 88% of the plot (the legend the rest; map_figure adds room below a short map), then the margins
    return int(min(default, max(320, drawn / 0.88 + 62 + 19 + FOOTNOTE_PX)))


def map_figure(
    traces: list,
    *,
    title: str,
    subtitle: str,
    base: MapBase,
    uirevision: str,
    separators: str,
    legend_title: str,
    height: int = 680,
    footnote: str = "",
    warning: str = "",
) -> go.Figure:
    """The map: traces on ``base`` that keeps the user's zoom across redraws of the same level.

    Title, subtitle, legend, the source line (``footnote``) and, for synthetic data, a visible ``warning`` are part of
    the figure, so the PNG from the camera button carries its context into a report.
    """
    fig = go.Figure([base.draw(trace) for trace in traces])
    for trace in fig.data:  # a click selects, but nothing fades: the page shows what the click did
        if hasattr(trace, "unselected"):
            trace.unselected = {"marker": {"opacity": 1}}
    # Plotly never wraps a title: a long indicator name is broken into lines that fit a phone's width
    lines = textwrap.wrap(title, TITLE_CHARS, break_long_words=False) or [""]
    top = 62 + 19 * (len(lines) - 1)
    # the legend has the plot's lowest 12%; a short map (a phone, a small map) gets more room below it, so a legend
    # of two rows never runs into the source line, which sits at the very bottom
    bottom = FOOTNOTE_PX + max(0, round(LEGEND_PX - 0.12 * (height - top - FOOTNOTE_PX)))
    fig.update_layout(
        title={
            "text": "<br>".join(html.escape(line) for line in lines)
            + f"<br><span style='font-size:13px'>{html.escape(subtitle)}</span>",
            "x": 0.01,
            # a two-line title anchored at its top still reaches ~15 px above that point: 20 px down keeps it
            # inside the figure, so on a phone it never covers the text above the map
            "y": 1 - 20 / max(height, 100),
            "yanchor": "top",
            "font": {"size": 15},
        },
        margin={"l": 0, "r": 0, "t": top, "b": bottom},
        height=height,
        separators=separators,
        uirevision=f"{uirevision}-{'tiles' if base.tiles else 'svg'}",  # a new kind of map starts from its own view
        **base.layout({"x": [0, 1], "y": [0.12, 1]}),
        clickmode="event+select",
        annotations=[
            {
                "text": html.escape(text),
                "xref": "paper",
                "yref": "paper",
                # the source line at the bottom left; the synthetic-data mark at the top right, beside the title
                "x": 0.01 if n == 0 else 0.99,
                "y": -(bottom - 2) / max(height - top - bottom, 1) if n == 0 else 1.0,
                "xanchor": "left" if n == 0 else "right",
                "yanchor": "bottom",  # the source line at the figure's foot, below the legend
                "showarrow": False,
                "font": {"size": 12 if n == 0 else 13, "color": "#333333" if n == 0 else "#b00020"},
            }
            for n, text in enumerate((footnote, warning))
            if text
        ],
        legend={
            "title": {"text": html.escape(legend_title) + " ", "font": {"size": 13, "color": TEXT_COLOUR}},
            "orientation": "h",
            "x": 0,
            "y": 0.11,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": 13, "color": TEXT_COLOUR},
        },
        **READABLE,
    )
    return fig


def placeholder_map(geo: dict | str, base: MapBase, height: int = 680) -> go.Figure:
    """An empty map over the level's geometry: shown for a moment while the real one is computed, it makes the
    browser load Plotly and fetch the geometry (then cached for the real map) without waiting."""
    fig = go.Figure(
        base.draw(
            go.Choroplethmap(geojson=geo, featureidkey="id", locations=[], z=[], showscale=False, hoverinfo="skip")
        )
    )
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 58, "b": 0}, height=height, **base.layout({"x": [0, 1], "y": [0.12, 1]})
    )
    return fig


#: Plotly's own words (toolbar tooltips, messages) the interface translates: catalogue keys ``plotly_<English>``.
PLOTLY_WORDS = (
    "Download plot as a png",
    "Download plot as a PNG",
    "Download plot",
    "Zoom in",
    "Zoom out",
    "Reset view",
    "Reset",
    "Pan",
    "Zoom",
    "Box Select",
    "Lasso Select",
    "Autoscale",
    "Reset axes",
    "Toggle Spike Lines",
    "Show closest data on hover",
    "Compare data on hover",
    "Double-click to zoom back out",
    "Taking snapshot - this may take a few seconds",
    "Snapshot succeeded",
    "Produced with Plotly.js",
)


def separators_for(lang: str) -> str:
    """Plotly's decimal and thousands separators as ``lang`` writes numbers."""
    return ".," if lang == "en" else ", "


def describe(fig: go.Figure, lang: str) -> str:
    """A chart in words, for readers who cannot see it (its text alternative): the title, then each series with
    its values (up to a dozen each; longer ones by their first and last)."""
    title = re.sub(r"<[^>]+>", " ", html.unescape(str(fig.layout.title.text or ""))).strip()
    parts = [" ".join(title.split())] if title else []
    for trace in fig.data:
        name = html.unescape(str(getattr(trace, "name", "") or "")).strip()
        xs, ys = getattr(trace, "x", None), getattr(trace, "y", None)
        if xs is None or ys is None:
            if name and getattr(trace, "showlegend", True) is not False:
                parts.append(name)
            continue
        pairs = [(x, y) for x, y in zip(xs, ys, strict=False) if y is not None and y == y]
        if len(pairs) > 12:
            pairs = [pairs[0], pairs[-1]]
        values = ", ".join(f"{x}: {format_number(float(y), lang, 2)}" for x, y in pairs)
        parts.append(f"{name} — {values}" if name else values)
    return ". ".join(p for p in parts if p)


def chart_config(lang: str, **extra: object) -> dict:
    """Plotly's config in ``lang``: the toolbar's tooltips, decimal separators and month names (Babel/CLDR) handed
    to Plotly with the chart (its ``locales`` option), no Plotly logo."""
    return {"displaylogo": False, "locale": f"atlas-{lang}", "locales": _plotly_locale(lang), **extra}


@cache
def _plotly_locale(lang: str) -> dict:
    """Built once per language: every chart of every rerun uses it."""
    locale = Locale.parse(LOCALES.get(lang, LOCALES["pl"]))
    months = locale.months["format"]
    formats = {
        "decimal": locale.number_symbols["latn"]["decimal"],
        "thousands": "\u00a0" if lang != "en" else ",",
        "months": [months["wide"][m] for m in range(1, 13)],
        "shortMonths": [months["abbreviated"][m] for m in range(1, 13)],
    }
    words = {w: t(f"plotly_{w}", lang) for w in PLOTLY_WORDS}
    return {f"atlas-{lang}": {"dictionary": words, "format": formats}}


def map_config(lang: str, **extra: object) -> dict:
    """The Plotly config of every map: :func:`chart_config`, wheel zoom, and where the SVG map finds its (empty)
    TopoJSON."""
    return chart_config(lang, scrollZoom=True, topojsonURL=TOPOJSON_URL, **extra)


def unit_series_figure(lines: dict[str, pd.Series], *, unit: str, separators: str, height: int = 260) -> go.Figure:
    """Time series of the unit against the averages it is compared with (``name -> series by year``)."""
    fig = go.Figure()
    styles = [
        {"width": 3, "color": "#08519c"},
        {"width": 2, "color": "#888888", "dash": "dash"},
        {"width": 2, "color": "#E69F00", "dash": "dot"},
    ]
    for (name, series), style in zip(lines.items(), styles, strict=False):
        if series is None or series.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=series.index.tolist(),
                y=series.round(4).tolist(),
                mode="lines+markers",
                name=html.escape(name),
                line=style,
            )
        )
    fig.update_layout(
        **READABLE,
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        separators=separators,
        yaxis_title=html.escape(unit),
        xaxis={"tickformat": "d"},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig
