"""Overview: what is in the store, where it came from, and what was rejected."""

from __future__ import annotations

import streamlit as st

from dashboard import cached
from dashboard.i18n import t
from dashboard.state import db_path, generation
from indicators.formatting import format_count


def page(lang: str) -> None:
    gen = generation()
    data = cached.overview(gen)
    meta, counts = data["meta"], data["counts"]
    st.title(meta.get("name") or t("app_title", lang))
    if meta.get("description"):
        st.caption(meta["description"])
    st.caption(f"{t('store', lang)}: `{db_path()}`")
    if not counts["units"] and not counts["observations"]:
        st.info(t("empty_store", lang))
        return
    cols = st.columns(6)
    cols[0].metric(t("units", lang), sum(counts["units"].values()))
    cols[1].metric(t("indicators", lang), counts["indicators"])
    cols[2].metric(t("observations", lang), format_count(counts["observations"], lang))
    cols[3].metric(t("proposals", lang), counts["proposals"])
    cols[4].metric(t("areas", lang), counts["areas"])
    cols[5].metric(t("rejects", lang), counts["rejects"])

    st.subheader(t("levels", lang))
    levels = cached.levels(gen)
    name_col = f"name_{lang}"
    st.dataframe(levels[["level", name_col, "units", "area_km2"]], hide_index=True)

    st.subheader(t("catalogue", lang))
    cat = cached.catalogue(gen)
    st.dataframe(
        cat[["id", name_col, "unit", "domain", "direction", "first_year", "last_year", "units", "source"]],
        hide_index=True,
    )

    if counts["areas"]:
        st.subheader(t("areas", lang))
        st.caption(t("areas_hint", lang))
        st.dataframe(
            cached.areas(gen)[
                ["area_id", "name", "kind", "programme", "period", "year", "units", "population", "area_km2"]
            ],
            hide_index=True,
        )
    if counts["proposals"]:
        st.subheader(t("proposals", lang))
        st.caption(t("proposals_hint", lang))
        st.dataframe(cached.proposals_summary(gen), hide_index=True)

    st.subheader(t("sources", lang))
    st.dataframe(cached.sources(gen), hide_index=True)

    st.subheader(t("rejects", lang))
    st.caption(t("rejects_hint", lang))
    rejects = cached.rejects(gen)
    if rejects.empty:
        st.write(t("no_rejects", lang))
    else:
        st.dataframe(rejects, hide_index=True)
