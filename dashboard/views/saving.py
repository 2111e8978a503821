"""A save button that never overwrites silently: shown only to those who may save, it asks before replacing what
someone saved under the same name (the earlier version stays restorable)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard import cached
from dashboard.actions import AlreadySaved
from dashboard.i18n import t
from dashboard.state import access
from dashboard.text import md
from etl.errors import USER_ERRORS


def save_button(
    label: str, key: str, lang: str, object_id: str, save: Callable[[bool], int], where=st, *, shown_as: str = ""
) -> int | None:
    """The button, and after a click ``save(replace)``'s version number (None when nothing was saved).
    ``shown_as`` names the thing in the question (its name; the id by default)."""
    if not access().can("save"):
        return None  # viewers and public dashboards: no button at all (the action refuses too)
    conflict = st.session_state.get(f"{key}_conflict")
    replace = False
    if conflict and conflict[0] == object_id:
        st.warning(t("already_saved", lang, id=md(shown_as or object_id), who=md(conflict[1]), when=conflict[2]))
        replace = st.checkbox(t("replace", lang), key=f"{key}_replace_{object_id}")
    if not where.button(label, key=key, type="primary"):
        return None
    try:
        version = save(replace)
    except AlreadySaved as exc:
        st.session_state[f"{key}_conflict"] = (object_id, exc.who, str(exc.when)[:16])
        st.rerun()
    except USER_ERRORS as exc:
        st.error(cached.explain(exc, lang))
        return None
    st.session_state.pop(f"{key}_conflict", None)
    return version
