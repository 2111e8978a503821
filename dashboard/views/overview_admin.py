"""The Overview's part for those who look after the Atlas: what users saved (admins delete or restore it) and the
audit of who saved what."""

from __future__ import annotations

import streamlit as st

from dashboard import cached, queries
from dashboard.actions import delete_area, delete_group, restore_area, restore_group
from dashboard.i18n import t
from dashboard.state import access, connection, db_path
from dashboard.tables import Col, styled
from etl.errors import USER_ERRORS
from etl.store.user_content import history

SAVED = [
    Col("kind", "col_kind", "enum", enum="object"),
    Col("name", "name"),
    Col("version", "col_version", "count"),
    Col("saved_by", "col_who"),
    Col("saved_at", "col_at", "date"),
    Col("present", "col_present", "bool"),
]
AUDIT = [
    Col("happened_at", "col_at", "date"),
    Col("who", "col_who"),
    Col("action", "col_action", "enum", enum="action"),
    Col("object_kind", "col_kind", "enum", enum="object"),
    Col("name", "col_object"),
    Col("version", "col_version", "count"),
]


def saved_by_users(lang: str) -> None:
    who = access()
    if not who.can("delete"):
        return
    con = connection()
    saved = queries.saved_content(con)
    st.subheader(t("saved_content", lang))
    st.caption(t("saved_content_hint", lang))
    if saved.empty:
        return
    st.dataframe(styled(saved, SAVED, lang), hide_index=True, width="stretch", key="saved_content")
    labels = {f"{r.kind}:{r.object_id}": f"{t('object_' + r.kind, lang)}: {r.name}" for r in saved.itertuples()}
    picked = st.selectbox(t("col_object", lang), list(labels), format_func=labels.__getitem__, key="saved_pick")
    kind, object_id = picked.split(":", 1)
    row = saved[(saved["kind"] == kind) & (saved["object_id"] == object_id)].iloc[0]
    cols = st.columns(3)
    number = cols[0].number_input(t("col_version", lang), 1, int(row["version"]), int(row["version"]), key="saved_v")
    try:
        if cols[1].button(t("restore", lang), key="saved_restore"):
            (restore_area if kind == "area" else restore_group)(who, db_path(), object_id, int(number))
            st.rerun()
        if bool(row["present"]) and cols[2].button(t("delete", lang), key="saved_delete"):
            (delete_area if kind == "area" else delete_group)(who, db_path(), object_id)
            st.rerun()
    except USER_ERRORS as exc:
        st.error(cached.explain(exc, lang))
    st.subheader(t("audit", lang))
    st.dataframe(styled(history(con), AUDIT, lang), hide_index=True, width="stretch", key="audit_log")
