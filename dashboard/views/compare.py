"""Compare units: 2–6 units against a comparison group — indicator values with rank and difference from the group
average (better / worse by the indicator's direction), domain scores of the composite index, time series, and
level-and-change. The view lives in the URL. Figures and tables come from ``dashboard.compare_view``."""

from __future__ import annotations

import streamlit as st

from dashboard import cached, queries
from dashboard.compare_view import group_label, group_options, styled_table
from dashboard.i18n import format_number, t, tn
from dashboard.state import connection, generation
from dashboard.tables import file_stem
from dashboard.text import md
from dashboard.view_state import ascii_int
from dashboard.views import compare_sections as sections
from dashboard.views.clicks import toggle_on_click
from dashboard.views.common import class_map, page_context
from dashboard.views.compare_save import export_buttons, report_buttons, save_group_form
from dashboard.views.compare_settings import index_settings
from dashboard.views.widgets import keep_params, multiselect, page_params
from etl.errors import USER_ERRORS
from indicators.composite import comparison_table, group_members


def _from_url(key: str, wanted, options: list, default) -> None:
    if st.session_state.get(key) not in options:
        st.session_state[key] = wanted if wanted in options else default


def page(lang: str) -> None:
    gen, con = generation(), connection()
    levels = cached.levels(gen)
    catalogue = cached.catalogue(gen).set_index("id")
    st.title(t("compare_title", lang))
    st.caption(t("compare_intro", lang))
    params = page_params("compare")
    name_col = f"name_{lang}"
    level_names = dict(zip(levels["level"], levels[name_col], strict=True))
    with_data = [lv for lv in level_names if cached.level_indicators(gen, lv)]
    if catalogue.empty or not with_data:
        st.info(t("empty_store", lang))
        return

    # --- sidebar: level, group, year, index settings (from the URL on the first run) -------------------------------
    _from_url("cmp_level", params.get("level"), with_data, with_data[-1])
    level = st.sidebar.selectbox(t("level", lang), with_data, format_func=level_names.__getitem__, key="cmp_level")
    areas = queries.group_and_area_names(con)
    groups = group_options(con, level)
    _from_url("cmp_group", params.get("group"), groups, "all")
    group = st.sidebar.selectbox(
        t("group", lang), groups, key="cmp_group", format_func=lambda g: group_label(g, lang, areas)
    )
    years = queries.level_years(con, level)
    _from_url("cmp_year", ascii_int(params.get("year"), 4), years, years[-1])
    year = st.sidebar.selectbox(t("year", lang), years[::-1], key="cmp_year")
    spec, span = index_settings(params, years, year, sorted(catalogue["domain"].unique()), lang)
    method = spec.method

    # --- the units: picked on the map or in the list, against the group ----------------------------------------------
    units = cached.level_units(gen, level)
    codes = units["code"].tolist()
    names = dict(zip(units["code"], units["name"], strict=True))
    try:
        members = group_members(con, level, group, year=year)
    except USER_ERRORS as exc:
        st.warning(cached.explain(exc, lang))
        return
    if "cmp_units" not in st.session_state or st.session_state.get("cmp_for") != level:
        st.session_state["cmp_units"] = [c for c in str(params.get("units", "")).split(",") if c in names][:6]
        st.session_state["cmp_for"] = level
    toggle_on_click("cmp_map", "cmp_units", codes)
    st.session_state["cmp_units"] = st.session_state["cmp_units"][:6]
    col_map, col_pick = st.columns([3, 2], gap="medium")
    with col_pick:
        chosen = multiselect(
            t("compare_pick", lang),
            codes,
            lang,
            key="cmp_units",
            max_selections=6,
            format_func=lambda c: f"{names[c]} ({c})",
        )
        st.caption(tn("compare_group_size", len(members), lang, group=md(group_label(group, lang, areas))))
        save_group_form(chosen, lang)
    with col_map:
        in_group = set(members)
        class_of = [0 if c in chosen else 1 if c in in_group else 2 for c in codes]
        labels = [
            f"{t(key, lang)} ({format_number(class_of.count(i), lang, 0)})"
            for i, key in enumerate(("chosen", "in_group", "outside_group"))
        ]
        class_map(
            level,
            codes,
            class_of,
            ["#E69F00", "#9ecae1", "#eeeeee"],
            labels,
            title=t("compare_title", lang),
            subtitle=f"{level_names[level]}, {year}",
            legend="",
            lang=lang,
            key="cmp_map",
            height=420,
        )
    query = {"level": level, "group": group, "year": str(year), "method": method, "units": ",".join(chosen)}
    query["lang"] = lang
    keep_params("compare", query)
    if len(chosen) < 2:
        st.info(t("compare_hint", lang))
        return

    # --- values, scores, series, level and change, exports ------------------------------------------------------------
    ind_names = catalogue[name_col].to_dict()
    table = comparison_table(con, chosen, members, year)
    st.subheader(t("compare_values", lang))
    st.caption(t("compare_values_hint", lang))
    st.dataframe(styled_table(table, names, ind_names, lang), width="stretch", key="cmp_table")
    scope = list(dict.fromkeys([*members, *chosen]))
    spec.weights = sections.weights_editor(catalogue, table, ind_names, lang)
    index = sections.scores_section(con, scope, chosen, year, spec, names, ind_names, lang)
    if index is None:
        return
    options = [i for i in catalogue.index if i in set(table["indicator_id"])]
    sections.series_section(con, options, scope, chosen, members, names, ind_names, lang)
    if span:
        sections.level_change_section(con, scope, chosen, year, span, spec, names, lang)
    notes = [
        f"{t('group', lang)}: {group_label(group, lang, areas)}",
        f"{t('year', lang)}: {year}",
        f"{t('normalisation', lang)}: {t('norm_' + method, lang)}",
    ]
    context = page_context(f"{t('compare_title', lang)} — {level_names[level]}, {year}", lang, period=notes[0])
    stem = file_stem(t("compare_page", lang), level_names[level], year)
    export_buttons(table, index, names, ind_names, stem, notes, lang, context)
    report_buttons(chosen, names, group, year, spec, lang)
