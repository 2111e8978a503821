"""Clicks on a map of units: which unit a click reported, and toggling it in a list (every click, also a second one)."""

from __future__ import annotations

from collections.abc import Container, Sequence

import streamlit as st


def clicked_unit(chart_state, codes: Container[str]) -> str:
    """The unit code clicked on the map ("" when none) from the chart's selection state, or from the large map's
    click (a trigger value: there only for the rerun the click started)."""
    if not chart_state:
        return ""
    large = chart_state.get("unit") if hasattr(chart_state, "get") else None
    if isinstance(large, str) and large in codes:
        return large
    try:
        points = chart_state["selection"]["points"]
    except (KeyError, TypeError):
        return ""
    for point in points:
        for key in ("location", "customdata"):  # a unit's polygon, or a marker standing for its unit
            value = point.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            if isinstance(value, str) and value in codes:
                return value
    return ""


def toggle_on_click(key: str, state_key: str, codes: Sequence[str]) -> None:
    """Each click on the map ``key`` adds its unit to the list in ``state_key``, or takes it out — also a second click
    on the same unit."""
    clicked, seen = toggled_unit(st.session_state.get(key), set(codes), st.session_state.get(f"{key}_seen"))
    if clicked:
        chosen = list(st.session_state.get(state_key, []))
        st.session_state[state_key] = [c for c in chosen if c != clicked] if clicked in chosen else [*chosen, clicked]
    st.session_state[f"{key}_seen"] = seen


def toggled_unit(chart_state, codes: set[str], seen: tuple | None) -> tuple[str, tuple]:
    """The unit a click toggled ("" when there was no new click) and the selection to remember.

    A click is told apart from a rerun for another reason by the whole selection the map reports, trace and point
    included: a unit that was toggled is redrawn in the other class (another trace), so clicking it again reports a
    new selection even though the unit is the same."""
    try:
        points = chart_state["selection"]["points"] if chart_state else []
    except (KeyError, TypeError):
        points = []
    now = tuple((p.get("location"), p.get("curve_number"), p.get("point_index")) for p in points)
    if not points and (large := clicked_unit(chart_state, codes)):  # the large map: each click is its own trigger
        return large, now
    if now == (seen or ()):
        return "", now
    return clicked_unit(chart_state, codes), now
