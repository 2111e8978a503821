"""Residents' proposals: filter them, see where they come from and which units are not heard, export the list.

Titles and descriptions are typed by residents: they are shown only in data tables (text) and in map hovers
escaped by ``figures.proposal_hover``, never as Markdown or HTML.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st

from dashboard import cached, exports, queries
from dashboard.figures import proposal_traces
from dashboard.i18n import t
from dashboard.state import connection, generation
from dashboard.views.common import class_map, proposal_points
from etl.workspace import STATUSES
from indicators.participation import ProposalFilter, filter_proposals, per_goal, per_unit

HEARD = ["#f0f0f0", "#c6dbef", "#6baed6", "#2171b5"]  # no proposals (stands out as blank), 1-2, 3-5, 6+


def heard_class(n: int) -> int:
    return 0 if n == 0 else 1 if n <= 2 else 2 if n <= 5 else 3


def export_layer(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    geometry = [shapely.Point(x, y) if pd.notna(x) else None for x, y in zip(frame["lon"], frame["lat"], strict=True)]
    return gpd.GeoDataFrame(frame.drop(columns=["lon", "lat"]), geometry=geometry, crs="EPSG:4326")


def page(lang: str) -> None:
    gen = generation()
    props = cached.proposals_layer(gen)
    st.title(t("proposals_title", lang))
    if props.empty:
        st.info(t("proposals_none", lang))
        return
    suffix = "pl" if lang == "pl" else "en"
    goals = queries.goals(connection())
    goal_names = {r.code: f"{r.code} {getattr(r, 'name_' + suffix) or r.name_pl}" for r in goals.itertuples()}

    with st.sidebar:
        st.markdown(f"**{t('filters', lang)}**")
        f = ProposalFilter()
        f.text = st.text_input(t("search_text", lang), key="prop_text")
        f.goals = st.multiselect(
            t("goal", lang),
            list(goal_names),
            format_func=goal_names.__getitem__,
            key="prop_goals",
            help=t("goal_filter_help", lang),
        )
        present = [s for s in STATUSES if s in set(props["status"])]
        f.statuses = st.multiselect(
            t("status", lang), present, format_func=lambda s: t(f"status_{s}", lang), key="prop_status"
        )
        editions = sorted(props["edition"].dropna().astype(str).unique())
        f.editions = st.multiselect(t("edition", lang), editions, key="prop_edition")
        unit_names = props.dropna(subset=["unit_code"]).drop_duplicates("unit_code").set_index("unit_code")["unit_name"]
        f.units = st.multiselect(
            t("unit", lang), sorted(unit_names.index), key="prop_units", format_func=lambda c: f"{unit_names[c]} ({c})"
        )
        costs = pd.to_numeric(props["cost_pln"], errors="coerce").dropna()
        if len(costs) and costs.max() > costs.min():
            low, high = st.slider(
                t("cost_range", lang),
                float(costs.min()),
                float(costs.max()),
                (float(costs.min()), float(costs.max())),
                key="prop_cost",
                format="%.0f zł",
            )
            if (low, high) != (float(costs.min()), float(costs.max())):
                f.cost_min, f.cost_max = low, high
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
    cols[0].download_button(
        "CSV", lambda: exports.csv_bytes(export), "wnioski.csv", "text/csv", key="prop_csv", on_click="ignore"
    )
    cols[1].download_button(
        "XLSX",
        lambda: exports.xlsx_bytes(export, sheet="wnioski"),
        "wnioski.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="prop_xlsx",
        on_click="ignore",
    )
    cols[2].download_button(
        "GeoJSON",
        lambda: exports.geojson_bytes(export_layer(export)),
        "wnioski.geojson",
        "application/geo+json",
        key="prop_geojson",
        on_click="ignore",
    )
