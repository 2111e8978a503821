"""The LSR coverage builder: pick member units (map or list), see totals and the rule profile's verdict live,
save the area into the store, export it."""

from __future__ import annotations

import streamlit as st

from dashboard import cached, queries
from dashboard.i18n import format_number, t
from dashboard.state import connection, generation
from dashboard.views.clicks import toggle_on_click
from dashboard.views.common import class_map
from dashboard.views.lsr_sections import save_and_export, verdict_panel
from dashboard.views.widgets import keep_params, multiselect, page_params
from indicators.rules import available_profiles, default_profile

CHOSEN, OTHER = "#6a3d9a", "#e8e8e8"


def page(lang: str) -> None:
    gen = generation()
    meta = cached.overview(gen)["meta"]
    levels = cached.levels(gen)
    st.title(t("lsr_title", lang))
    st.caption(t("lsr_intro", lang))
    if levels.empty:
        st.info(t("empty_store", lang))
        return
    name_col = f"name_{lang}"
    # only levels that have units: an area cannot be built of a level the store has no boundaries for
    level_names = {
        lv: name
        for lv, name in zip(levels["level"], levels[name_col], strict=True)
        if not cached.level_units(gen, lv).empty
    }
    if not level_names:
        st.info(t("empty_store", lang))
        return
    params = page_params("lsr")
    default = "gmina" if "gmina" in level_names else list(level_names)[-1]
    if "lsr_level" not in st.session_state and params.get("level") in level_names:
        st.session_state["lsr_level"] = params["level"]
    level = st.sidebar.selectbox(
        t("level", lang),
        list(level_names),
        index=list(level_names).index(default),
        format_func=level_names.__getitem__,
        key="lsr_level",
    )
    profiles = available_profiles(meta.get("path"), kind="lsr")
    first = default_profile("lsr", meta.get("language"))
    titles = {p: v.name(lang) for p, v in profiles.items()}
    profile_id = st.sidebar.selectbox(
        t("profile", lang), sorted(profiles, key=lambda p: p != first), key="lsr_profile", format_func=titles.get
    )
    profile = profiles[profile_id]
    years = queries.level_years(connection(), level, indicator_id="population")
    year = st.sidebar.selectbox(t("population_year", lang), years[::-1], key="lsr_year") if years else None

    units = cached.level_units(gen, level)
    codes = units["code"].tolist()
    names = dict(zip(units["code"], units["name"], strict=True))
    if "lsr_units" not in st.session_state or st.session_state.get("lsr_for_level") != level:
        from_link = params.get("units", "") if params.get("level") == level else ""
        st.session_state["lsr_units"] = [c for c in from_link.split(",") if c in names][:500]
        st.session_state["lsr_for_level"] = level
    toggle_on_click("lsr_map", "lsr_units", codes)

    col_map, col_panel = st.columns([3, 2], gap="medium")
    with col_panel:
        chosen = multiselect(
            t("lsr_members", lang),
            codes,
            lang,
            key="lsr_units",
            format_func=lambda c: f"{names[c]} ({c})",
            placeholder=t("lsr_pick", lang),
        )
        verdict = verdict_panel(chosen, profile, year, lang)
    keep_params("lsr", {"level": level, "units": ",".join(chosen), "lang": lang})
    with col_map:
        class_of = [0 if c in chosen else 1 for c in codes]
        counts = (class_of.count(0), class_of.count(1))
        class_map(
            level,
            codes,
            class_of,
            [CHOSEN, OTHER],
            [
                f"{t('in_area', lang)} ({format_number(counts[0], lang, 0)})",
                f"{t('outside_area', lang)} ({format_number(counts[1], lang, 0)})",
            ],
            title=t("lsr_title", lang),
            subtitle=f"{level_names[level]} · {titles[profile_id]}",
            legend="",
            lang=lang,
            key="lsr_map",
            areas=True,
        )
        st.caption(t("click_to_toggle", lang))

    if verdict is None:
        return
    save_and_export(verdict, profile, chosen, level, lang)
