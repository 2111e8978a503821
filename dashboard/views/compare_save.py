"""The Compare page's outputs: saving the chosen units as a comparison group (only under a name), and downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import exports
from dashboard.actions import save_group
from dashboard.compare_view import export_frame, group_id_for
from dashboard.i18n import t
from dashboard.state import access, db_path
from dashboard.text import md
from dashboard.views.report_button import report_button
from dashboard.views.saving import save_button
from indicators.composite import IndexResult, IndexSpec


def save_group_form(chosen: list[str], lang: str) -> None:
    if message := st.session_state.pop("cmp_saved_msg", None):
        st.success(message)
    if not access().can("save"):
        return  # viewers and public dashboards compare, they do not save
    with st.expander(t("save_group", lang)):
        group_name = st.text_input(t("group_name", lang), key="cmp_group_name", placeholder=t("group_name_hint", lang))
        name = group_name.strip()
        if len(chosen) < 2 or not name:
            st.button(t("save_group_button", lang), key="cmp_save_group_off", disabled=True)
            return
        group_id = group_id_for(name)

        def save(replace: bool) -> int:
            return save_group(access(), db_path(), group_id, name, chosen, replace=replace)

        if save_button(t("save_group_button", lang), "cmp_save_group", lang, group_id, save, shown_as=name):
            # the comparison stays against the group chosen: the chosen units compared with themselves say nothing
            st.session_state["cmp_saved_msg"] = t("group_saved_msg", lang).format(name=md(name))
            st.rerun()


def report_buttons(chosen: list[str], names: dict[str, str], group: str, year: int, spec: IndexSpec, lang: str) -> None:
    """One chosen unit's development profile against the page's group, year and index settings."""
    cols = st.columns([2, 1], vertical_alignment="bottom")
    code = cols[0].selectbox(t("report_for", lang), chosen, format_func=lambda c: f"{names[c]} ({c})", key="cmp_report")
    with cols[1]:
        report_button(code, names[code], lang, group=group, year=year, spec=spec, key="cmp_report_pdf")


def export_buttons(
    table: pd.DataFrame,
    index: IndexResult,
    names: dict[str, str],
    ind_names: dict[str, str],
    stem: str,
    notes: list[str],
    lang: str,
    context: exports.ExportContext | None = None,
) -> None:
    export = export_frame(table, index.scores.set_index("code"), index.domains, names, ind_names, lang)
    cols = st.columns(2)
    cols[0].download_button(
        "CSV", lambda: exports.csv_bytes(export, context), f"{stem}.csv", "text/csv", key="cmp_csv", on_click="ignore"
    )
    cols[1].download_button(
        "XLSX",
        lambda: exports.xlsx_bytes(
            export, sheet=t("sheet_data", lang), notes=notes, context=context, info_sheet=t("sheet_info", lang)
        ),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="cmp_xlsx",
        on_click="ignore",
    )
