"""Revitalisation delimitation (Revitalisation Act 2015, art. 9 and 10): criteria per indicator, the degraded
units with every flag, the revitalisation area chosen among them and checked live against art. 10(2)."""

from __future__ import annotations

import streamlit as st

from dashboard import cached, queries
from dashboard.i18n import format_number, labeller, t
from dashboard.revitalisation_view import criteria_from, suggested_criteria
from dashboard.state import connection, generation
from dashboard.view_state import ascii_int
from dashboard.views.clicks import toggle_on_click
from dashboard.views.common import class_map
from dashboard.views.revitalisation_sections import delimitation_tables, save_and_export, verdict_panel
from dashboard.views.widgets import keep_params, multiselect, page_params
from etl.errors import USER_ERRORS
from indicators.revitalisation import GROUPS, RULES, delimit

COLOURS = ["#d62728", "#ff9f5a", "#e8e8e8"]  # revitalisation area, degraded, other


def page(lang: str) -> None:
    gen = generation()
    con = connection()
    st.title(t("revit_title", lang))
    st.caption(t("revit_intro", lang))
    options = queries.wholes(con)
    catalogue = cached.catalogue(gen).set_index("id")
    if options.empty or catalogue.empty:
        st.info(t("revit_none", lang))
        return
    level_names = queries.level_names(con, lang)
    labels = {
        r.code: f"{r.name} ({r.code}) — {r.units} × {level_names.get(r.level, r.level)}" for r in options.itertuples()
    }
    params = page_params("revitalisation")
    if "revit_whole" not in st.session_state and params.get("gmina") in labels:
        st.session_state["revit_whole"] = params["gmina"]
    whole = st.sidebar.selectbox(
        t("revit_whole", lang), list(labels), format_func=labels.__getitem__, key="revit_whole"
    )
    level = options.set_index("code").at[whole, "level"]
    years = queries.level_years(con, level, parent_code=whole)[::-1]
    if not years:
        st.info(t("revit_none", lang))
        return
    if "revit_year" not in st.session_state and ascii_int(params.get("year"), 4) in years:
        st.session_state["revit_year"] = ascii_int(params.get("year"), 4)
    year = st.sidebar.selectbox(t("year", lang), years, key="revit_year")
    min_social = st.sidebar.number_input(
        t("min_social", lang), 1, 10, 2, key="revit_min_social", help=t("min_social_help", lang)
    )

    name_col = f"name_{lang}"
    available = [i for i in catalogue.index if i != "population"]
    st.subheader(t("criteria", lang))
    st.caption(t("criteria_help", lang))
    if "revit_criteria_seed" not in st.session_state:
        st.session_state["revit_criteria_seed"] = suggested_criteria(available)
    edited = st.data_editor(
        st.session_state["revit_criteria_seed"],
        key="revit_criteria",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "use": st.column_config.CheckboxColumn(t("use", lang), default=True),
            "indicator": st.column_config.SelectboxColumn(
                t("indicator", lang),
                options=available,
                required=True,
                width="large",
                format_func=lambda i: str(catalogue.at[i, name_col]),
            ),
            "group": st.column_config.SelectboxColumn(
                t("problem_group", lang),
                options=list(GROUPS),
                required=True,
                format_func=labeller("problem_group", lang),
            ),
            "rule": st.column_config.SelectboxColumn(
                t("rule", lang), options=list(RULES), required=True, format_func=labeller("rule_kind", lang)
            ),
            "value": st.column_config.TextColumn(t("rule_value", lang), help=t("rule_value_help", lang)),
        },
    )
    try:
        result = delimit(con, whole, level, year, criteria_from(edited), int(min_social))
    except USER_ERRORS as exc:
        st.warning(cached.explain(exc, lang))
        return

    units = cached.level_units(gen, level)
    inside = units[units["code"].isin(result.table["code"])]
    codes = inside["code"].tolist()
    degraded = result.degraded
    if "revit_area" not in st.session_state or st.session_state.get("revit_for") != (whole, level):
        # the planner picks the area among the degraded units: no verdict first (unless a link names it)
        from_link = params.get("area", "") if params.get("gmina") == whole else ""
        st.session_state["revit_area"] = [c for c in from_link.split(",") if c in degraded]
        st.session_state["revit_for"] = (whole, level)
    st.session_state["revit_area"] = [c for c in st.session_state["revit_area"] if c in degraded]
    toggle_on_click("revit_map", "revit_area", degraded)

    col_map, col_panel = st.columns([3, 2], gap="medium")
    with col_panel:
        st.metric(
            t("degraded_units", lang), f"{format_number(len(degraded), lang, 0)} / {format_number(len(codes), lang, 0)}"
        )
        names = dict(zip(inside["code"], inside["name"], strict=True))
        chosen = multiselect(
            t("revit_area", lang),
            degraded,
            lang,
            key="revit_area",
            format_func=lambda c: f"{names.get(c, c)} ({c})",
        )
        verdict = verdict_panel(con, chosen, year, lang)
    with col_map:
        class_of = [0 if c in chosen else 1 if c in degraded else 2 for c in codes]
        class_map(
            level,
            codes,
            class_of,
            COLOURS,
            [
                f"{t('revit_area_short', lang)} ({format_number(class_of.count(0), lang, 0)})",
                f"{t('degraded_short', lang)} ({format_number(class_of.count(1), lang, 0)})",
                f"{t('not_degraded', lang)} ({format_number(class_of.count(2), lang, 0)})",
            ],
            title=t("revit_title", lang),
            subtitle=f"{labels[whole].split(' — ')[0]}, {year}",
            legend="",
            lang=lang,
            key="revit_map",
        )
        st.caption(t("click_to_toggle_degraded", lang))

    keep_params("revitalisation", {"gmina": whole, "year": str(year), "area": ",".join(chosen), "lang": lang})
    delimitation_tables(result, catalogue[name_col], int(min_social), lang)
    save_and_export(con, result, verdict, catalogue, whole, level, year, chosen, lang)
