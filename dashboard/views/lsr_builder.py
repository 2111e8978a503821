"""The LSR coverage builder: pick member units (map or list), see totals and the rule profile's verdict live,
save the area into the store, export it."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard import cached, exports, queries
from dashboard.actions import save_area
from dashboard.i18n import format_number, t
from dashboard.queries import layer_geometries
from dashboard.state import connection, db_path, generation
from dashboard.views.common import class_map, toggle_on_click
from etl.errors import USER_ERRORS
from indicators.rules import available_profiles, check

CHOSEN, OTHER = "#6a3d9a", "#e8e8e8"


def verdict_lines(verdict, lang: str) -> list[tuple[bool, str]]:
    """(ok, message) per rule, in the page's language."""
    return [(r.ok, r.message_pl if lang == "pl" else r.message_en) for r in verdict.results]


def members_frame(verdict, lang: str) -> pd.DataFrame:
    s = verdict.selection
    population = queries.values_of(connection(), "population", s.year, s.codes)
    areas = queries.unit_areas(connection(), s.codes)
    return pd.DataFrame(
        {
            "code": s.codes,
            "name": [s.names[c] for c in s.codes],
            "population": [population.get(c) for c in s.codes],
            "area_km2": [areas.get(c) for c in s.codes],
        }
    )


def page(lang: str) -> None:
    gen = generation()
    meta = cached.overview(gen)["meta"]
    levels = cached.levels(gen)
    st.title(t("lsr_title", lang))
    st.caption(t("lsr_intro", lang))
    if levels.empty:
        st.info(t("empty_store", lang))
        return
    name_col = "name_pl" if lang == "pl" else "name_en"
    level_names = dict(zip(levels["level"], levels[name_col], strict=True))
    default = "gmina" if "gmina" in level_names else list(level_names)[-1]
    level = st.sidebar.selectbox(
        t("level", lang),
        list(level_names),
        index=list(level_names).index(default),
        format_func=level_names.__getitem__,
        key="lsr_level",
    )
    profiles = available_profiles(meta.get("path"), kind="lsr")
    titles = {p: (v.name_pl if lang == "pl" else v.name_en) for p, v in profiles.items()}
    profile_id = st.sidebar.selectbox(
        t("profile", lang), list(profiles), key="lsr_profile", format_func=titles.__getitem__
    )
    profile = profiles[profile_id]
    years = queries.level_years(connection(), level, indicator_id="population")
    year = st.sidebar.selectbox(t("population_year", lang), years[::-1], key="lsr_year") if years else None

    units = cached.level_units(gen, level)
    codes = units["code"].tolist()
    names = dict(zip(units["code"], units["name"], strict=True))
    if "lsr_units" not in st.session_state or st.session_state.get("lsr_for_level") != level:
        st.session_state["lsr_units"] = []
        st.session_state["lsr_for_level"] = level
    toggle_on_click("lsr_map", "lsr_units", codes)

    col_map, col_panel = st.columns([3, 2], gap="medium")
    with col_panel:
        chosen = st.multiselect(
            t("lsr_members", lang),
            codes,
            key="lsr_units",
            format_func=lambda c: f"{names[c]} ({c})",
            placeholder=t("lsr_pick", lang),
        )
        verdict = None
        if chosen:
            try:
                verdict = check(connection(), chosen, profile, year)
            except USER_ERRORS as exc:
                st.warning(str(exc))
        if verdict is not None:
            s = verdict.selection
            cols = st.columns(2)
            cols[0].metric(
                t("population", lang) + (f" ({s.year})" if s.year else ""),
                format_number(s.population, lang, 0) if not s.missing_population else "–",
            )
            cols[1].metric(t("area_km2", lang), format_number(s.area_km2, lang, 1))
            cols = st.columns(2)
            cols[0].metric(t("units", lang), len(s.codes))
            cols[1].metric(t("pieces", lang), len(s.pieces))
            st.subheader(t("verdict_ok", lang) if verdict.ok else t("verdict_fail", lang))
            for ok, message in verdict_lines(verdict, lang):
                (st.success if ok else st.error)(message, icon=":material/check_circle:" if ok else ":material/cancel:")
            st.caption(f"{t('legal_source', lang)}: {profile.legal_source}")
        else:
            st.info(t("lsr_pick_hint", lang))
    with col_map:
        class_of = [0 if c in chosen else 1 for c in codes]
        counts = (class_of.count(0), class_of.count(1))
        class_map(
            level,
            codes,
            class_of,
            [CHOSEN, OTHER],
            [f"{t('in_area', lang)} ({counts[0]})", f"{t('outside_area', lang)} ({counts[1]})"],
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
    st.subheader(t("save_export", lang))
    members = members_frame(verdict, lang)
    cols = st.columns([2, 1, 1])
    area_name = cols[0].text_input(t("area_name", lang), value=t("lsr_default_name", lang), key="lsr_name")
    area_id = cols[1].text_input(t("area_id", lang), value="lsr-atlas", key="lsr_id")
    period = cols[2].text_input(t("period", lang), value="2021–2027", key="lsr_period")
    totals = verdict.as_dict()["totals"]
    summary = members.assign(
        area_id=area_id,
        area_name=area_name,
        year=verdict.selection.year,
        total_population=totals["population"],
        total_area_km2=totals["area_km2"],
        verdict="ok" if verdict.ok else "fails",
        profile=profile.id,
    )
    stem = re.sub(r"[^a-z0-9_-]+", "-", area_id.lower()) or "lsr"

    def layer():
        return exports.layer_frame(summary, layer_geometries(connection(), level))

    buttons = st.columns(3)
    if buttons[0].button(t("save_area", lang), key="lsr_save", type="primary"):
        try:
            save_area(
                db_path(),
                area_id,
                area_name,
                "lsr",
                chosen,
                programme=profile.name_pl,
                period=period,
                note={
                    "profile": profile.id,
                    "verdict": "ok" if verdict.ok else "fails",
                    "year": verdict.selection.year,
                },
            )
            st.success(t("area_saved", lang).format(id=area_id))
        except USER_ERRORS as exc:
            st.error(str(exc))
    buttons[1].download_button(
        "GeoJSON",
        lambda: exports.geojson_bytes(layer()),
        f"{stem}.geojson",
        "application/geo+json",
        key="lsr_geojson",
        on_click="ignore",
    )
    buttons[2].download_button(
        "GeoPackage",
        lambda: exports.gpkg_bytes(layer(), layer_name=stem),
        f"{stem}.gpkg",
        "application/geopackage+sqlite3",
        key="lsr_gpkg",
        on_click="ignore",
    )
