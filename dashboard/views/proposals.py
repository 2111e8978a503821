"""Residents' proposals: filter them, see where they come from and which units are not heard, export the list.

Titles and descriptions are typed by residents: they are shown only in data tables (text) and in map hovers
escaped by ``figures.proposal_hover``, never as Markdown or HTML.
"""

from __future__ import annotations

import streamlit as st

from dashboard import cached, exports, queries
from dashboard.figures import proposal_traces
from dashboard.i18n import t
from dashboard.proposals_view import HEARD, export_layer, heard_class
from dashboard.state import connection, generation
from dashboard.views.common import class_map, page_context, proposal_points
from dashboard.views.proposal_filters import filters
from indicators.participation import filter_proposals, per_goal, per_unit


def page(lang: str) -> None:
    gen = generation()
    props = cached.proposals_layer(gen)
    st.title(t("proposals_title", lang))
    if props.empty:
        st.info(t("proposals_none", lang))
        return
    suffix = lang
    goals = queries.goals(connection())
    goal_names = {r.code: f"{r.code} {getattr(r, 'name_' + suffix) or r.name_pl}" for r in goals.itertuples()}

    f = filters(props, goal_names, lang)
    shown = filter_proposals(props, f)
    st.caption(t("proposals_count", lang).format(n=len(shown), total=len(props)))

    # --- where they come from: units by number of proposals, with the points on top --------------------------------
    levels = shown["unit_level"].dropna()
    level = levels.mode().iat[0] if len(levels) else props["unit_level"].dropna().mode().iat[0]
    units = cached.level_units(gen, level)
    year, population = queries.latest_population(connection(), level)
    stats = per_unit(shown, units, population)
    classes = [heard_class(n) for n in stats["proposals"]]
    labels = [t("heard_none", lang), "1–2", "3–5", "6+"]
    labels = [f"{label} ({classes.count(i)})" for i, label in enumerate(labels)]
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
        st.warning(t("units_not_heard", lang).format(n=len(silent), names=", ".join(silent["name"].head(12))))
    view = stats.drop(columns=["no_proposals"]).rename(
        columns={
            "code": t("code", lang),
            "name": t("name", lang),
            "proposals": t("proposals_n", lang),
            "cost_pln": t("cost_total", lang),
            "selected": t("selected_n", lang),
            "population": f"{t('population', lang)} ({year})",
            "cost_per_resident": t("cost_per_resident", lang),
            "proposals_per_1000": t("per_1000", lang),
            "goal_mix": t("goal_mix", lang),
        }
    )
    st.dataframe(
        view.style.apply(lambda row: ["background-color: #fff3cd" if row.iloc[2] == 0 else ""] * len(row), axis=1),
        hide_index=True,
        width="stretch",
        key="prop_units_table",
        column_config={
            t("cost_per_resident", lang): st.column_config.NumberColumn(format="%.2f"),
            t("per_1000", lang): st.column_config.NumberColumn(format="%.2f"),
            t("cost_total", lang): st.column_config.NumberColumn(format="%.0f"),
            f"{t('population', lang)} ({year})": st.column_config.NumberColumn(format="%.0f"),
        },
    )

    st.subheader(t("proposals_per_goal", lang))
    goals_table = per_goal(shown)
    goals_table.insert(1, t("name", lang), goals_table["goal"].map(goal_names).fillna(t("no_goal", lang)))
    st.dataframe(
        goals_table,
        hide_index=True,
        width="stretch",
        key="prop_goals_table",
        column_config={
            "cost_pln": st.column_config.NumberColumn(t("cost_total", lang), format="%.0f"),
            "share_selected": st.column_config.ProgressColumn(
                t("share_selected", lang), format="percent", min_value=0.0, max_value=1.0
            ),
        },
    )

    st.subheader(t("proposals_list", lang))
    columns = ["id", "title", "status", "goal_code", "cost_pln", "votes", "edition", "unit_code", "unit_name"]
    listed = shown[columns].assign(status=shown["status"].map(lambda s: t(f"status_{s}", lang)))
    st.dataframe(listed[shown["precisely_located"]], hide_index=True, width="stretch", key="prop_list")
    loose = shown[~shown["precisely_located"]]
    st.subheader(f"{t('not_precise', lang)} ({len(loose)})")
    st.caption(t("not_precise_hint", lang))
    st.dataframe(
        loose[["id", "title", "status", "location_kind", "location_note", "unit_name"]],
        hide_index=True,
        width="stretch",
        key="prop_loose",
    )

    export = shown[[*columns, "precisely_located", "location_note", "lon", "lat"]]
    cols = st.columns(3)
    context = page_context(t("proposals_title", lang), lang)
    cols[0].download_button(
        "CSV", lambda: exports.csv_bytes(export, context), "wnioski.csv", "text/csv", key="prop_csv", on_click="ignore"
    )
    cols[1].download_button(
        "XLSX",
        lambda: exports.xlsx_bytes(export, sheet="wnioski", context=context),
        "wnioski.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="prop_xlsx",
        on_click="ignore",
    )
    cols[2].download_button(
        "GeoJSON",
        lambda: exports.geojson_bytes(export_layer(export), context),
        "wnioski.geojson",
        "application/geo+json",
        key="prop_geojson",
        on_click="ignore",
    )
