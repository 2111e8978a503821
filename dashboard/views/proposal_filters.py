"""The Proposals page's sidebar filters."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.views.widgets import keep_params, multiselect, page_params, seed_list
from indicators.formatting import format_money
from indicators.participation import STATUSES, ProposalFilter


def filters(props: pd.DataFrame, goal_names: dict[str, str], lang: str) -> ProposalFilter:
    """The sidebar's filters: text, goals (with their sub-goals), statuses, editions, units, cost — seeded from the
    link (or the page's last state) and mirrored back into it."""
    params = page_params("proposals")
    if "prop_text" not in st.session_state:
        st.session_state["prop_text"] = params.get("q", "")[:200]
    unit_names = props.dropna(subset=["unit_code"]).drop_duplicates("unit_code").set_index("unit_code")["unit_name"]
    editions = sorted(props["edition"].dropna().astype(str).unique())
    for key, name, allowed in (
        ("prop_goals", "goal", goal_names),
        ("prop_status", "status", STATUSES),
        ("prop_edition", "ed", editions),
        ("prop_units", "unit", unit_names.index),
    ):
        seed_list(key, params.get(name), allowed)
    with st.sidebar:
        st.markdown(f"**{t('filters', lang)}**")
        f = ProposalFilter()
        f.text = st.text_input(t("search_text", lang), key="prop_text")
        f.goals = multiselect(
            t("goal", lang),
            list(goal_names),
            lang,
            format_func=goal_names.__getitem__,
            key="prop_goals",
            help=t("goal_filter_help", lang),
        )
        present = [s for s in STATUSES if s in set(props["status"])]
        f.statuses = multiselect(
            t("status", lang),
            present,
            lang,
            format_func=lambda s: t(f"status_{s}", lang),
            key="prop_status",
        )
        f.editions = multiselect(
            t("edition", lang),
            editions,
            lang,
            key="prop_edition",
        )
        f.units = multiselect(
            t("unit", lang),
            sorted(unit_names.index),
            lang,
            key="prop_units",
            format_func=lambda c: f"{unit_names[c]} ({c})",
        )
        costs = pd.to_numeric(props["cost_pln"], errors="coerce").dropna()
        if len(costs) and costs.max() > costs.min():
            steps = sorted({float(c) for c in costs})  # the amounts written as the language writes money
            wanted = [s for s in (_number(params.get("cmin")), _number(params.get("cmax"))) if s in steps]
            if "prop_cost" not in st.session_state and len(wanted) == 2:
                st.session_state["prop_cost"] = (min(wanted), max(wanted))
            low, high = st.select_slider(
                t("cost_range", lang),
                steps,
                value=(steps[0], steps[-1]),
                key="prop_cost",
                format_func=lambda v: format_money(v, lang),
            )
            if (low, high) != (steps[0], steps[-1]):
                f.cost_min, f.cost_max = low, high
    link = {"q": f.text[:200], "goal": ",".join(f.goals), "status": ",".join(f.statuses), "ed": ",".join(f.editions)}
    link |= {"unit": ",".join(f.units), "cmin": _written(f.cost_min), "cmax": _written(f.cost_max), "lang": lang}
    keep_params("proposals", link)
    return f


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text and len(text) < 20 else None
    except ValueError:
        return None
    return value if value is not None and value == value and abs(value) < 1e15 else None


def _written(value: float | None) -> str:
    return "" if value is None else (str(int(value)) if float(value).is_integer() else repr(float(value)))
