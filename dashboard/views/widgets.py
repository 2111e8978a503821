"""Small helpers for widgets whose starting value comes from the URL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st


def start_index(key: str, options: Sequence, wanted: Any) -> int:
    """The starting option of a widget listing every unit, from the URL, on its first run only.

    Not written through Session State like the small widgets (:func:`seed`): a widget whose value was set that way
    is sent to the browser whole again on the next run — about 50 KB each for 2,477 gminy.
    """
    if key in st.session_state:
        return 0  # the widget keeps its own value; 0 is the default, so Streamlit sees no conflict
    return options.index(wanted) if wanted in options else 0


def seed(key: str, value: Any) -> None:
    """Give a widget its starting value (from the URL) unless the session already has one."""
    if key not in st.session_state:
        st.session_state[key] = value


def multiselect(label: str, options: Any, lang: str, **options_kw: Any) -> list:
    """``st.multiselect`` in the interface language: the empty box says "Wybierz…" (not Streamlit's English), and
    no entry that picks every option at once (Streamlit cannot translate its label)."""
    from dashboard.i18n import t

    options_kw.setdefault("placeholder", t("choose_options", lang))
    return st.multiselect(label, options, select_all=False, **options_kw)


#: Parameters every page carries: the language and the pinned data version.
GLOBAL_PARAMS = {"lang", "as_of"}


def page_params(page: str) -> dict[str, str]:
    """The page's state from the link; when the link says nothing (the user came back through the menu), the state
    the page had when last left — so a view survives going to another page and back."""
    params = {k: str(v) for k, v in st.query_params.to_dict().items()}
    if set(params) - GLOBAL_PARAMS:
        return params
    return {**st.session_state.get(f"_params_{page}", {}), **params}


def keep_params(page: str, params: dict[str, str]) -> None:
    """Mirror the page's state into the link (shareable, and each view a step of the browser's history) and into
    the session (restored by :func:`page_params` after a visit elsewhere)."""
    params = {k: v for k, v in params.items() if v not in ("", None)}
    st.session_state[f"_params_{page}"] = params
    if st.session_state.get("as_of"):  # a pinned data version stays in every link of the visit
        params["as_of"] = st.session_state["as_of"]
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def seed_list(key: str, text: str | None, allowed) -> None:
    """Seed a multi-choice widget from a comma-separated link value, keeping only values it offers."""
    if key not in st.session_state and text:
        st.session_state[key] = [v for v in text.split(",") if v in set(allowed)][:200]
