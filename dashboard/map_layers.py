"""What one year of the map shows, as plain data: classes, colours and legend labels, or local Moran's I classes.

No Streamlit here: the map page calls these, and tests call them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import (
    FOOTNOTE_PX,
    NO_DATA_COLOUR,
    ClassLayer,
    MapBase,
    choropleth,
    highlight,
    label_traces,
    map_figure,
)
from dashboard.i18n import decimals_for, format_number, t
from dashboard.roster import Roster
from indicators.classify import class_colours, classify, diverging_colours
from indicators.formatting import format_plain
from indicators.profile import year_values


@dataclass
class Layer:
    """What one year of the map needs, computed once per run."""

    shown: pd.DataFrame  # code, name, value, flag, class
    labels: list[str]
    colours: list[str]
    decimals: int
    no_data_label: str  # "no data (n)"


def indicator_label(row: pd.Series, lang: str) -> str:
    """``Domain › name [unit]`` in the interface language."""
    name = row.get(f"name_{lang}") or row["name_en"]
    return f"{t('domain_' + row['domain'], lang)} › {name} [{row['unit']}]"


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
        span = f"{format_number(low, lang, decimals)} – {format_number(upper, lang, decimals)}"
        labels.append(f"{span} ({format_number(count, lang, 0)})")
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
    return Layer(
        shown,
        labels,
        colours,
        decimals,
        f"{no_data} ({format_number(classes.missing, lang, 0)})" if classes.missing else no_data,
    )


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
    labels = [f"{t('hs_' + c, lang)} ({format_number(int(counts.get(i, 0)), lang, 0)})" for i, c in enumerate(order)]
    missing = int((shown["class"] < 0).sum())
    return Layer(
        shown.drop(columns=["spot"]),
        labels,
        list(HOTSPOT_COLOURS.values()),
        decimals_for(shown["value"].dropna().tolist()),
        f"{no_data} ({format_number(missing, lang, 0)})" if missing else no_data,
    )


@dataclass
class MapScene:
    """Everything one map shows apart from the year: the page builds it once per run, then draws any year."""

    geo: dict | str  # the level's display geometry (a URL when served statically)
    roster: Roster  # the level's units (code, name, lon, lat, ...) in code order
    series: pd.DataFrame  # every year of the indicator at the level: code, year, value, flag
    title: str
    unit: str
    direction: str
    level_name: str
    uirevision: str
    base: MapBase
    settings: dict
    lang: str
    overlay_traces: list = field(default_factory=list)
    selected: str = ""
    labels: bool = False
    hotspots: bool = False
    significance: float = 0.05
    footnote: str = ""  # the source line, printed on the map (and so on its PNG)
    warning: str = ""  # e.g. the synthetic-data mark
    height: int = 680  # fitted to the level's shape on a phone (dashboard.views.common.map_height)


def scene_layer(scene: MapScene, year: int, spots: pd.DataFrame | None = None) -> Layer:
    """What the map of ``scene`` shows in ``year``: each unit's value and class, the colours and legend labels."""
    lang, no_data = scene.lang, t("no_data", scene.lang)
    shown = scene.roster.year_frame(year_values(scene.series, year))
    if scene.hotspots and spots is not None:
        return hotspot_layer(shown, spots, lang, no_data)
    return classify_year(shown, scene.series, scene.settings, scene.direction, lang, no_data)


def scene_subtitle(scene: MapScene, year: int) -> str:
    subtitle = f"{scene.level_name}, {year}"
    if scene.hotspots:
        subtitle += f" · {t('hotspots_sub', scene.lang, p=format_plain(scene.significance, scene.lang))}"
    return subtitle


def scene_figure(scene: MapScene, year: int, spots: pd.DataFrame | None = None) -> tuple[go.Figure, Layer]:
    """The map of ``scene`` in ``year`` (``spots``: local Moran's I classes, when hot spots are shown)."""
    layer = scene_layer(scene, year, spots)
    classes = ClassLayer(
        layer.shown["code"],
        layer.shown["value"],
        layer.shown["class"],
        layer.colours,
        layer.labels,
        layer.no_data_label,
    )
    traces = choropleth(scene.geo, classes, unit=scene.unit, value_format=",." + str(max(layer.decimals, 1)) + "f")
    if scene.selected:
        traces.append(highlight(scene.geo, scene.selected, scene.roster.names[scene.selected]))
    subtitle = scene_subtitle(scene, year)
    names_on_top = []
    if scene.labels:  # on top of everything, each name readable on its unit's colour
        fills = [layer.colours[c] if c >= 0 else NO_DATA_COLOUR for c in layer.shown["class"]]
        names_on_top = label_traces(scene.roster.units, dict(zip(layer.shown["code"], fills, strict=True)))
    fig = map_figure(
        traces + scene.overlay_traces + names_on_top,
        title=scene.title,
        subtitle=subtitle,
        base=scene.base,
        uirevision=scene.uirevision,
        separators=", " if scene.lang != "en" else ".,",
        legend_title=t("hotspots_legend", scene.lang) if scene.hotspots else scene.unit,
        footnote=scene.footnote,
        warning=scene.warning,
        height=scene.height,
    )
    return fig, layer


#: Milliseconds each year stays on screen while the map plays (2.5 years a second).
FRAME_MS = 400


def class_trace_count(layer: Layer) -> int:
    """How many traces :func:`scene_figure` draws for the classes (one per class, plus one for no data)."""
    return len(layer.labels) + int((layer.shown["class"] < 0).any())


def animated_map(years: list[tuple[int, go.Figure, int]], start: int, lang: str) -> go.Figure:
    """One map that plays the years in the browser: ``years`` holds each year's figure from :func:`scene_figure`
    and its :func:`class_trace_count`. Each frame carries only the class traces (which units, their values, the
    legend's labels) and the title; ▶ plays at :data:`FRAME_MS` per year, ❚❚ pauses, the slider under the map moves
    with it and jumps to any year — no round trip to the server."""
    width = max(n for _y, _f, n in years)
    by_year = {year: (fig, n) for year, fig, n in years}
    first_fig, first_n = by_year[start]

    def class_traces(fig: go.Figure, n: int) -> list:
        empty = type(fig.data[0])(fig.data[0]).update(locations=[], z=[], name="", showlegend=False)
        return list(fig.data[:n]) + [empty] * (width - n)

    def changes(fig: go.Figure, n: int) -> list[dict]:
        """What a frame changes in each class trace: never the geometry, which the map already has."""
        keep = ("type", "locations", "z", "name", "showlegend", "colorscale", "hovertemplate")
        return [{k: v for k, v in trace.to_plotly_json().items() if k in keep} for trace in class_traces(fig, n)]

    fig = go.Figure(
        data=class_traces(first_fig, first_n) + list(first_fig.data[first_n:]),
        layout=first_fig.layout,
        frames=[
            go.Frame(
                name=str(year),
                data=changes(year_fig, n),
                traces=list(range(width)),
                layout={"title": {"text": year_fig.layout.title.text}},
            )
            for year, (year_fig, n) in by_year.items()
        ],
    )
    play = {"frame": {"duration": FRAME_MS, "redraw": True}, "fromcurrent": True, "transition": {"duration": 0}}
    jump = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
    height = int(first_fig.layout.height or 680) + 90
    fig.update_layout(
        height=height,
        margin={"b": 90 + FOOTNOTE_PX},
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 0.0,
                "y": 0.0,
                "xanchor": "left",
                "yanchor": "top",
                "pad": {"t": 40 + FOOTNOTE_PX, "r": 10},
                "showactive": False,
                "buttons": [
                    {"label": t("anim_play", lang), "method": "animate", "args": [None, play]},
                    {"label": t("anim_pause", lang), "method": "animate", "args": [[None], jump]},
                ],
            }
        ],
        sliders=[
            {
                "active": list(by_year).index(start),
                "x": 0.27,
                "len": 0.73,
                "y": 0.0,
                "yanchor": "top",
                "pad": {"t": 30 + FOOTNOTE_PX},
                "currentvalue": {"prefix": t("year", lang) + ": ", "font": {"size": 14}, "xanchor": "right"},
                "steps": [{"label": str(year), "method": "animate", "args": [[str(year)], jump]} for year in by_year],
            }
        ],
    )
    return fig
