"""Which data the page shows: on a DuckLake store the version (snapshot) in view, a way to pin it in the link,
and a notice when a pinned link shows older data than the newest."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.i18n import t
from dashboard.state import db_path, pinned_version, versions_now, wanted_version
from dashboard.text import md
from indicators.formatting import format_moment


def notice(lang: str) -> None:
    """Above every page: what a pinned link shows (or why it cannot pin); in the sidebar, the version in view."""
    wanted = wanted_version()
    if not db_path().is_lake:
        if wanted:
            st.info(t("as_of_needs_lake", lang), icon=":material/info:")
        return
    now = versions_now()
    if now is None:
        return
    shown, newest, stamp = now
    when = format_moment(dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S"), lang) if stamp else "–"
    if wanted and pinned_version() is None:
        st.warning(t("as_of_unknown", lang, version=md(wanted[:40])), icon=":material/warning:")
    elif wanted:
        text = t("as_of_pinned", lang, version=shown, time=when)
        if newest > shown:
            text += " " + t("as_of_newer", lang)
        st.info(text, icon=":material/push_pin:")
        if newest > shown and st.button(t("as_of_latest", lang), key="as_of_latest"):
            _unpin()
    st.sidebar.caption(t("data_version", lang, version=shown, time=when))
    if not wanted and st.sidebar.button(t("as_of_pin", lang), key="as_of_pin", help=t("as_of_pin_help", lang)):
        st.session_state["as_of"] = str(shown)
        st.query_params["as_of"] = str(shown)
        st.rerun()


def _unpin() -> None:
    st.session_state["as_of"] = ""
    if "as_of" in st.query_params:
        del st.query_params["as_of"]
    st.rerun()
