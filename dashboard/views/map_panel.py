"""The map page's side panel (the chosen unit: value, rank, change, trend, proposals) and its table and exports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cached
from dashboard.figures import separators_for, unit_series_figure
from dashboard.i18n import decimals_for, format_number, t
from dashboard.state import generation
from dashboard.tables import Col, styled
from dashboard.text import md
from dashboard.views.common import chart
from dashboard.views.report_button import report_button
from indicators.profile import average_by_year, unit_profile


def unit_panel(
    code: str, units: pd.DataFrame, series: pd.DataFrame, year: int, info: pd.Series, props: pd.DataFrame, lang: str
) -> None:
    gen = generation()
    row = units.set_index("code").loc[code]
    direction = str(info["direction"])
    profile = unit_profile(series, code, year, direction)
    decimals = decimals_for([v for v in series["value"].dropna().head(50)])
    unit = str(info["unit"])
    st.markdown(f"### {md(row['name'])}")
    st.caption(
        f"{t('code', lang)}: {code}"
        + (
            f" · {t('parent', lang)}: {md(row['parent_name'])} ({md(row['parent_code'])})"
            if pd.notna(row["parent_code"])
            else ""
        )
    )
    report_button(code, str(row["name"]), lang, year=year, key="unit_report")
    delta_colour = {"lower_is_better": "inverse", "higher_is_better": "normal"}.get(direction, "off")
    c1, c2 = st.columns(2)
    value_text = (
        f"{format_number(profile.value, lang, decimals)} {unit}" if profile.value is not None else t("no_data", lang)
    )
    c1.metric(
        f"{t('value', lang)} {year}", value_text, help=f"{t('flag', lang)}: {profile.flag}" if profile.flag else None
    )
    c2.metric(
        t("rank", lang),
        f"{format_number(profile.rank, lang, 0)} / {format_number(profile.ranked, lang, 0)}" if profile.rank else "–",
        help=t("rank_help", lang),
    )
    if profile.flag:
        st.caption(f"{t('flag', lang)}: **{md(profile.flag)}**")
    c3, c4 = st.columns(2)
    for column, change, label in ((c3, profile.since_first, None), (c4, profile.last_5_years, t("change_5", lang))):
        if change is None:
            column.metric(label or t("change_since", lang).format(year="…"), "–")
            continue
        # a change of a share is in percentage points, and its relative change would only confuse
        points = unit.strip() == "%"
        pct = f" ({format_number(change.percent, lang, 1)}%)" if change.percent is not None and not points else ""
        signed = f"{'+' if change.absolute > 0 else ''}{format_number(change.absolute, lang, decimals)}"
        column.metric(
            label or t("change_since", lang).format(year=change.from_year),
            f"{signed}\u00a0{t('pp', lang) if points else unit}",
            delta=f"{signed}{pct}",
            delta_color=delta_colour,
        )
    own = series[series["code"] == code].set_index("year")["value"]
    lines = {str(row["name"]): own, t("average_shown", lang): average_by_year(series)}
    if pd.notna(row["parent_code"]):
        parent = cached.unit_series(gen, str(info.name), str(row["parent_code"]))
        if not parent.empty:
            lines[f"{t('parent', lang)}: {row['parent_name']}"] = parent.set_index("year")["value"]
    chart(unit_series_figure(lines, unit=unit, separators=separators_for(lang)), lang, key="unit_series")
    here = props[props["unit_code"] == code]
    st.markdown(f"**{t('proposals_in_unit', lang)}: {len(here)}**")
    if here.empty:
        st.caption(t("no_proposals_here", lang))
    else:
        here = here.assign(goal=here["goal_code"].fillna("") + " " + here[f"goal_{lang}"].fillna(""))
        # resident text: the grid shows it as text, never HTML
        st.dataframe(styled(here, UNIT_PROPOSALS, lang), hide_index=True, width="stretch", key="unit_proposals")


UNIT_PROPOSALS = [
    Col("title", "title_col"),
    Col("status", "status", "enum", enum="status"),
    Col("goal", "goal"),
    Col("cost_pln", "cost", "money"),
]
