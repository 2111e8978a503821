"""Figures as plain functions returning ``go.Figure`` (tested without Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def _view(geojson: dict) -> dict:
    """Centre and zoom that fit the layer (MapLibre has no fitbounds for GeoJSON layers)."""
    import math

    import shapely

    geoms = [shapely.geometry.shape(f["geometry"]) for f in geojson["features"] if f.get("geometry")]
    if not geoms:
        return {"center": {"lon": 19.4, "lat": 52.0}, "zoom": 5}
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    span = max(xmax - xmin, (ymax - ymin) * 1.6, 1e-6)
    zoom = max(0.0, min(14.0, math.log2(360 / span) + 0.1))
    return {"center": {"lon": (xmin + xmax) / 2, "lat": (ymin + ymax) / 2}, "zoom": zoom}


def choropleth(geojson: dict, values: pd.DataFrame, *, title: str, unit: str, no_data_label: str) -> go.Figure:
    """A choropleth of ``values`` (code, name, value) on ``geojson``; units without data drawn in grey."""
    has = values[values["value"].notna()]
    missing = values[values["value"].isna()]
    fig = go.Figure()
    if not missing.empty:
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, locations=missing["code"], z=[0] * len(missing), featureidkey="id",
            colorscale=[[0, "#d9d9d9"], [1, "#d9d9d9"]], showscale=False, marker_line_color="white",
            marker_line_width=0.6, text=missing["name"], name=no_data_label,
            hovertemplate="%{text}<br>" + no_data_label + "<extra></extra>",
        ))
    fig.add_trace(go.Choroplethmap(
        geojson=geojson, locations=has["code"], z=has["value"], featureidkey="id", colorscale="Viridis",
        marker_line_color="white", marker_line_width=0.6, text=has["name"],
        colorbar={"title": {"text": unit}},
        hovertemplate="%{text}<br>%{z:,.2f} " + unit + "<extra></extra>",
    ))
    fig.update_layout(
        title=title, margin={"l": 0, "r": 0, "t": 40, "b": 0}, height=560,
        map={"style": "white-bg", **_view(geojson)},
    )
    return fig
