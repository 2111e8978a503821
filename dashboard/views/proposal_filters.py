"""The Proposals page's sidebar filters."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.views.widgets import multiselect
from indicators.formatting import format_money
from indicators.participation import STATUSES, ProposalFilter


def filters(props: pd.DataFrame, goal_names: dict[str, str], lang: str) -> ProposalFilter:
    """The sidebar's filters: text, goals (with their sub-goals), statuses, editions, units, cost."""
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
        editions = sorted(props["edition"].dropna().astype(str).unique())
        f.editions = multiselect(
            t("edition", lang),
            editions,
            lang,
            key="prop_edition",
        )
        unit_names = props.dropna(subset=["unit_code"]).drop_duplicates("unit_code").set_index("unit_code")["unit_name"]
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
            low, high = st.select_slider(
                t("cost_range", lang),
                steps,
                value=(steps[0], steps[-1]),
                key="prop_cost",
                format_func=lambda v: format_money(v, lang),
            )
            if (low, high) != (steps[0], steps[-1]):
                f.cost_min, f.cost_max = low, high
    return f
