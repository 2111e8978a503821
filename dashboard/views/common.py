"""Pieces the planning pages share: a map on which units are picked by clicking, and the click it reports."""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import cached, exports
from dashboard.figures import (
    QUALITATIVE,
    STATUS_COLOURS,
    ClassLayer,
    area_traces,
    chart_config,
    choropleth,
    describe,
    map_config,
    map_figure,
    proposal_hover,
    separators_for,
)
from dashboard.i18n import format_number, t
from dashboard.state import generation, static_serving
from dashboard.views import map_large
from dashboard.views.map_shape import map_base, map_height
from etl.workspace import STATUSES


def page_context(title: str, lang: str, *, source: str = "", period: str = "") -> exports.ExportContext:
    """What a page's downloads say about themselves (and whether the workspace is synthetic)."""
    meta = cached.overview(generation())["meta"]
    return exports.ExportContext(
        title=title,
        source=source,
        period=period,
        workspace=str(meta.get("name", "")),
        synthetic=meta.get("synthetic") == "true",
        synthetic_mark=t("synthetic_mark", lang),
    )


def class_map(
    level: str,
    codes: Sequence[str],
    class_of: Sequence[int],
    colours: Sequence[str],
    labels: Sequence[str],
    *,
    title: str,
    subtitle: str,
    legend: str,
    lang: str,
    key: str,
    extra: list | None = None,
    areas: bool = False,
    height: int = 560,
) -> None:
    """Units of ``level`` coloured by class (e.g. chosen / not chosen), clickable; programme areas on top. A large
    level is drawn by MapLibre (see :func:`dashboard.views.map_large.show_classes`)."""
    gen = generation()
    outlines = area_traces(cached.area_outlines(gen)) if areas else []
    if map_large.is_large(gen, level) and map_large.show_classes(
        level,
        list(codes),
        list(class_of),
        list(colours),
        list(labels),
        title=title,
        subtitle=f"{subtitle} · {legend}" if legend else subtitle,
        lang=lang,
        key=key,
        traces=outlines + (extra or []),
        height=map_height(level, height),
    ):
        return
    geo = cached.geometry_source(gen, level, static_serving())
    traces: list[go.BaseTraceType] = choropleth(
        geo,
        ClassLayer(list(codes), [float(c) for c in class_of], list(class_of), list(colours), list(labels), ""),
        unit="",
        value_format=".0f",
    )
    for trace in traces:
        trace.hovertemplate = "%{properties.name}<extra>%{fullData.name}</extra>"
    traces += outlines
    fig = map_figure(
        traces + (extra or []),
        title=title,
        subtitle=subtitle,
        base=map_base(level),
        uirevision=level,
        separators=separators_for(lang),
        legend_title=legend,
        height=map_height(level, height),
    )
    st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points", width="stretch", config=map_config(lang))
    text_alternative(fig, lang)


def chart(fig, lang: str, *, key: str) -> None:
    """A chart with the toolbar in ``lang`` and its text alternative."""
    st.plotly_chart(fig, key=key, config=chart_config(lang))
    text_alternative(fig, lang)


def text_alternative(fig, lang: str) -> None:
    """The chart in words for screen readers (hidden on screen): see :func:`dashboard.figures.describe`."""
    st.html(f'<p class="atlas-sr">{html.escape(describe(fig, lang))}</p>')


def proposal_points(props: pd.DataFrame, colour_by: str, lang: str) -> tuple[pd.DataFrame, dict, dict]:
    """Located proposals with an escaped hover text and a group (status or top-level goal), its labels and colours."""
    points = props[props["lon"].notna()].copy()
    suffix = lang

    def hover(row: pd.Series) -> str:
        cost = f"{format_number(row['cost_pln'], lang, 0)} zł" if pd.notna(row["cost_pln"]) else t("cost_unknown", lang)
        goal = row.get(f"goal_{suffix}") or row.get("goal_pl") or ""
        goal_label = f"{row['goal_code']} {goal}" if pd.notna(row["goal_code"]) else ""
        return proposal_hover(
            row,
            status_label=t(f"status_{row['status']}", lang),
            goal_label=goal_label,
            cost_label=f"{t('cost', lang)}: {cost}",
            unit_label=row["unit_name"] if pd.notna(row["unit_name"]) else "",
        )

    points["hover"] = [hover(row) for _, row in points.iterrows()] if not points.empty else []
    if colour_by == "status":
        points["group"] = points["status"]
        labels = {s: t(f"status_{s}", lang) for s in STATUSES}
        colours = dict(STATUS_COLOURS)
    else:
        points["group"] = points["top_goal"].fillna("")
        names = points.drop_duplicates("group").set_index("group")
        labels = {
            g: (
                f"{g} {names.at[g, 'top_goal_' + suffix] or names.at[g, 'top_goal_pl'] or ''}".strip()
                if g
                else t("no_goal", lang)
            )
            for g in names.index
        }
        colours = {g: QUALITATIVE[i % len(QUALITATIVE)] for i, g in enumerate(sorted(labels))}
    return points, labels, colours
