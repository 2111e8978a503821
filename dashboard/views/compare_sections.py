"""The lower half of the Compare page: indicator weights and domain scores, time series, level and change, exports."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from dashboard import cached, queries
from dashboard.compare_view import (
    BREAKDOWN,
    QUADRANTS,
    TREATED,
    level_change_figure,
    multiples_figure,
    scores_figure,
    with_ranks,
)
from dashboard.i18n import t, tn
from dashboard.tables import styled
from dashboard.text import md
from dashboard.views.common import chart
from dashboard.views.widgets import multiselect
from etl.errors import USER_ERRORS
from indicators.composite import IndexResult, IndexSpec, composite_index, level_and_change
from indicators.formatting import format_percent


def weights_editor(
    catalogue: pd.DataFrame, table: pd.DataFrame, ind_names: dict[str, str], lang: str
) -> dict[str, float]:
    """Per-indicator weights (1 unless changed) of the indicators that have a direction."""
    with st.expander(t("indicator_weights", lang)):
        present = set(table["indicator_id"])
        scored = [i for i in catalogue.index if i in present and catalogue.at[i, "direction"] != "neutral"]
        frame = pd.DataFrame(
            {
                "indicator": [ind_names.get(i, i) for i in scored],
                "domain": [t(f"domain_{catalogue.at[i, 'domain']}", lang) for i in scored],
                "weight": 1.0,
            },
            index=scored,
        )
        weight = st.column_config.NumberColumn(t("weight", lang), min_value=0.0, max_value=10.0, step=0.5)
        edited = st.data_editor(
            frame,
            key="cmp_weights",
            hide_index=True,
            disabled=["indicator", "domain"],
            width="stretch",
            column_config={
                "indicator": st.column_config.TextColumn(t("indicator", lang)),
                "domain": st.column_config.TextColumn(t("col_domain", lang)),
                "weight": weight,
            },
        )
    return {i: float(w) for i, w in zip(scored, edited["weight"], strict=True) if w == w and w != 1.0}


def scores_section(
    con: duckdb.DuckDBPyConnection,
    scope: list[str],
    chosen: list[str],
    year: int,
    spec: IndexSpec,
    names: dict[str, str],
    ind_names: dict[str, str],
    lang: str,
) -> IndexResult | None:
    try:
        index = composite_index(con, scope, year, spec)
    except USER_ERRORS as exc:
        st.warning(cached.explain(exc, lang))
        return None
    scores = index.scores.set_index("code")
    st.subheader(t("domain_scores", lang))
    chart(scores_figure(scores, index.domains, chosen, names, lang, spec.method), lang, key="cmp_scores")
    for code, share in scores.loc[chosen, "missing_share"].items():
        if share > spec.max_missing_share + 1e-12:  # the index says why the unit has no score
            limit = format_percent(spec.max_missing_share * 100, lang, 0)
            missing = t("index_too_sparse", lang, missing=format_percent(share * 100, lang, 0), limit=limit)
            st.warning(f"{md(names[str(code)])}: {missing}")
    with st.expander(t("score_breakdown", lang)):
        breakdown = index.breakdown[index.breakdown["code"].isin(chosen)].assign(
            unit=lambda f: f["code"].map(names), indicator=lambda f: f["indicator_id"].map(ind_names)
        )
        st.dataframe(styled(breakdown, BREAKDOWN, lang), hide_index=True, width="stretch", key="cmp_breakdown")
    if not index.treated.empty:  # every value the outlier rule changed, so the score can be traced by hand
        st.caption(tn("outliers_treated", len(index.treated), lang))
        with st.expander(t("outliers_table", lang)):
            shown = index.treated.assign(
                unit=lambda f: f["code"].map(names), indicator=lambda f: f["indicator_id"].map(ind_names)
            )
            st.dataframe(styled(shown, TREATED, lang), hide_index=True, width="stretch", key="cmp_treated")
    return index


def series_section(
    con: duckdb.DuckDBPyConnection,
    options: list[str],
    scope: list[str],
    chosen: list[str],
    members: list[str],
    names: dict[str, str],
    ind_names: dict[str, str],
    lang: str,
) -> None:
    st.subheader(t("time_series", lang))
    shown = multiselect(
        t("indicators", lang),
        options,
        lang,
        default=options[:4],
        key="cmp_series",
        format_func=lambda i: ind_names.get(i, i),
        max_selections=9,
    )
    if shown:
        series = queries.series_of(con, shown, scope)
        chart(multiples_figure(series, shown, chosen, members, names, ind_names, lang), lang, key="cmp_multiples")


def level_change_section(
    con: duckdb.DuckDBPyConnection,
    scope: list[str],
    chosen: list[str],
    year: int,
    span: int,
    spec: IndexSpec,
    names: dict[str, str],
    lang: str,
) -> None:
    st.subheader(t("level_change", lang))
    st.caption(t("level_change_hint", lang).format(span=span, start=year - span))
    try:
        placed = level_and_change(con, scope, year, span, spec)
    except USER_ERRORS as exc:
        st.warning(cached.explain(exc, lang))
        return
    placed["name"] = placed["code"].map(names)
    chart(level_change_figure(placed, chosen, year, span, lang), lang, key="cmp_level_change")
    quadrants = with_ranks(placed).loc[placed["code"].isin(chosen)]
    st.dataframe(styled(quadrants, QUADRANTS, lang), hide_index=True, width="stretch", key="cmp_quadrants")
