"""The Compare page's outputs: saving the chosen units as a comparison group (only under a name), and downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import exports
from dashboard.actions import save_group
from dashboard.compare_view import export_frame, group_id_for
from dashboard.i18n import t
from dashboard.state import db_path
from dashboard.text import md
from etl.errors import USER_ERRORS
from indicators.composite import IndexResult


def save_group_form(chosen: list[str], lang: str) -> None:
    if message := st.session_state.pop("cmp_saved_msg", None):
        st.success(message)
    with st.expander(t("save_group", lang)):
        group_name = st.text_input(t("group_name", lang), key="cmp_group_name", placeholder=t("group_name_hint", lang))
        named = bool(group_name.strip())
        if st.button(t("save_group_button", lang), key="cmp_save_group", disabled=len(chosen) < 2 or not named):
            group_id = group_id_for(group_name)
            try:
                save_group(db_path(), group_id, group_name.strip(), chosen)
            except USER_ERRORS as exc:
                st.error(md(exc))
                return
            # the comparison stays against the group chosen: the chosen units compared with themselves say nothing
            st.session_state["cmp_saved_msg"] = t("group_saved_msg", lang).format(name=md(group_name.strip()))
            st.rerun()


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
