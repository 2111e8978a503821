"""Residents' proposals: filter them, see where they come from and which units are not heard, export the list.

Titles and descriptions are typed by residents: they are shown only in data tables (text) and in map hovers
escaped by ``figures.proposal_hover``, never as Markdown or HTML.
"""

from __future__ import annotations

import streamlit as st

from dashboard import cached, exports, queries
from dashboard.figures import proposal_traces
from dashboard.i18n import format_number, t, tn
from dashboard.proposals_view import (
    EXPORT_COLUMNS,
    GOAL_COLUMNS,
    HEARD,
    LIST_COLUMNS,
    LOOSE_COLUMNS,
    export_layer,
    heard_class,
    location_note,
    unit_columns,
)
from dashboard.state import connection, generation
from dashboard.tables import localise, styled
from dashboard.text import md
from dashboard.views.clicks import toggle_on_click
from dashboard.views.common import class_map, page_context, proposal_points
from dashboard.views.proposal_filters import filters
from indicators.formatting import format_count
from indicators.participation import filter_proposals, per_goal, per_unit


def page(lang: str) -> None:
    gen = generation()
    props = cached.proposals_layer(gen)
    st.title(t("proposals_title", lang))
    if props.empty:
        st.info(t("proposals_none", lang))
        return
    goals = queries.goals(connection())
    goal_names = {r.code: f"{r.code} {getattr(r, 'name_' + lang) or r.name_pl}" for r in goals.itertuples()}

    # a click on a unit of the map filters the page to it (the unit's chip in the sidebar; × or a second click undoes)
    toggle_on_click("prop_map", "prop_units", sorted(props["unit_code"].dropna().unique()))
    f = filters(props, goal_names, lang)
    shown = filter_proposals(props, f)
    st.caption(t("proposals_count", lang, n=format_count(len(shown), lang), total=format_count(len(props), lang)))

    # --- where they come from: units by number of proposals, with the points on top --------------------------------
    levels = shown["unit_level"].dropna()
    level = levels.mode().iat[0] if len(levels) else props["unit_level"].dropna().mode().iat[0]
    units = cached.level_units(gen, level)
    year, population = queries.latest_population(connection(), level)
    stats = per_unit(shown, units, population)
    classes = [heard_class(n) for n in stats["proposals"]]
    labels = [t("heard_none", lang), "1–2", "3–5", "6+"]
    labels = [f"{label} ({format_number(classes.count(i), lang, 0)})" for i, label in enumerate(labels)]
    points, group_labels, colours = proposal_points(shown, "status", lang)
    class_map(
        level,
        stats["code"].tolist(),
        classes,
        HEARD,
        labels,
        title=t("proposals_title", lang),
        subtitle=t("proposals_map_sub", lang),
        legend=t("proposals_per_unit", lang),
        lang=lang,
        key="prop_map",
        extra=proposal_traces(points, group_column="group", group_labels=group_labels, colours=colours),
    )

    st.subheader(t("proposals_per_unit", lang))
    silent = stats[stats["no_proposals"]]
    if len(silent):
        st.warning(tn("units_not_heard", len(silent), lang, names=md(", ".join(silent["name"].head(12)))))
    st.dataframe(
        styled(stats, unit_columns(year), lang).apply(
            lambda row: ["background-color: #fff3cd" if row.iloc[2] == 0 else ""] * len(row), axis=1
        ),
        hide_index=True,
        width="stretch",
        key="prop_units_table",
    )

    st.subheader(t("proposals_per_goal", lang))
    goals_table = per_goal(shown)
    goals_table["name"] = goals_table["goal"].map(goal_names).fillna(t("no_goal", lang))
    st.dataframe(styled(goals_table, GOAL_COLUMNS, lang), hide_index=True, width="stretch", key="prop_goals_table")

    st.subheader(t("proposals_list", lang))
    listed = shown.assign(location_note=shown["location_note"].map(lambda n: location_note(n, lang)))
    located = listed["precisely_located"].astype(bool)
    st.dataframe(styled(listed[located], LIST_COLUMNS, lang), hide_index=True, width="stretch", key="prop_list")
    loose = listed[~located]
    st.subheader(f"{t('not_precise', lang)} ({len(loose)})")
    st.caption(t("not_precise_hint", lang))
    st.dataframe(styled(loose, LOOSE_COLUMNS, lang), hide_index=True, width="stretch", key="prop_loose")

    export = localise(listed, EXPORT_COLUMNS, lang)
    table = export.assign(**{t("col_lon", lang): listed["lon"], t("col_lat", lang): listed["lat"]})
    cols = st.columns(3)
    context = page_context(t("proposals_title", lang), lang)
    stem = t("file_proposals", lang)
    cols[0].download_button(
        "CSV", lambda: exports.csv_bytes(table, context), f"{stem}.csv", "text/csv", key="prop_csv", on_click="ignore"
    )
    cols[1].download_button(
        "XLSX",
        lambda: exports.xlsx_bytes(table, sheet=stem, context=context, info_sheet=t("sheet_info", lang)),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="prop_xlsx",
        on_click="ignore",
    )
    cols[2].download_button(
        "GeoJSON",
        lambda: exports.geojson_bytes(export_layer(export, listed["lon"], listed["lat"]), context),
        f"{stem}.geojson",
        "application/geo+json",
        key="prop_geojson",
        on_click="ignore",
    )
