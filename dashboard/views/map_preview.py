"""Map preview: one indicator at one level for one year (the full explorer comes with the map issue)."""

from __future__ import annotations

import streamlit as st

from dashboard import cached
from dashboard.figures import choropleth
from dashboard.i18n import t
from dashboard.state import generation


def page(lang: str) -> None:
    gen = generation()
    st.title(t("map_preview", lang))
    levels = cached.levels(gen)
    cat = cached.catalogue(gen)
    cat = cat[cat["units"] > 0]
    if levels.empty or cat.empty:
        st.info(t("empty_store", lang))
        return
    name_col = "name_pl" if lang == "pl" else "name_en"
    level_names = dict(zip(levels["level"], levels[name_col], strict=True))
    level = st.sidebar.selectbox(t("level", lang), list(level_names), format_func=level_names.__getitem__,
                                 index=len(level_names) - 1, key="level")
    labels = {row.id: f"{getattr(row, name_col)} [{row.unit}]" for row in cat.itertuples()}
    indicator = st.sidebar.selectbox(t("indicator", lang), list(labels), format_func=labels.__getitem__,
                                     key="indicator")
    years = cached.indicator_years(gen, indicator, level)
    if not years:
        st.warning(f"{labels[indicator]}: {t('no_data', lang)} ({level_names[level]})")
        return
    year = st.sidebar.select_slider(t("year", lang), years, value=years[-1], key="year") if len(years) > 1 \
        else years[0]
    values = cached.layer_values(gen, indicator, level, year)
    unit = cat.set_index("id").at[indicator, "unit"]
    fig = choropleth(cached.display_geojson(gen, level), values,
                     title=f"{labels[indicator]} — {level_names[level]}, {year}", unit=unit,
                     no_data_label=t("no_data", lang))
    st.plotly_chart(fig, width="stretch")
    missing = int(values["value"].isna().sum())
    st.caption(f"{t('units_without_data', lang)}: {missing} / {len(values)}")
    st.dataframe(values, hide_index=True)
