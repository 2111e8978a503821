"""The Compare page's index settings: normalisation, span, missing data, outliers and domain weights."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from indicators.composite import METHODS, IndexSpec


def index_settings(
    params: dict[str, str], years: list[int], year: int, domains: list[str], lang: str
) -> tuple[IndexSpec, int]:
    """The sidebar's index settings (normalisation from the link on the first run): the index's spec, and the span
    of years for level and change."""
    with st.sidebar.expander(t("index_settings", lang)):
        if "cmp_method" not in st.session_state:
            st.session_state["cmp_method"] = params.get("method") if params.get("method") in METHODS else "minmax"
        method = st.radio(
            t("normalisation", lang), METHODS, key="cmp_method", format_func=lambda m: t(f"norm_{m}", lang)
        )
        spans = [s for s in (1, 3, 5, 10) if year - s in years] or [0]
        span = st.selectbox(t("change_span", lang), spans, key="cmp_span", index=min(2, len(spans) - 1))
        max_missing = st.slider(t("max_missing", lang), 0.0, 1.0, 0.25, 0.05, key="cmp_missing")
        outliers = st.checkbox(t("outliers", lang), key="cmp_outliers", help=t("outliers_help", lang))
        weights = {d: st.slider(t(f"domain_{d}", lang), 0.0, 3.0, 1.0, 0.5, key=f"cmp_w_{d}") for d in domains}
    spec = IndexSpec(method=method, domain_weights=weights, max_missing_share=max_missing, outliers=outliers)
    return spec, span
