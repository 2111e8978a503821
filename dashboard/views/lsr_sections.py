"""The LSR builder's panels: the verdict for the chosen units, and saving and exporting the area."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard import cached, exports, queries
from dashboard.actions import save_area
from dashboard.i18n import format_number, t
from dashboard.queries import layer_geometries
from dashboard.state import access, connection, db_path
from dashboard.text import md
from dashboard.views.common import page_context
from dashboard.views.saving import save_button
from etl.errors import USER_ERRORS
from indicators.rules import Profile, Verdict, check


def verdict_lines(verdict, lang: str) -> list[tuple[bool, str]]:
    """(ok, message) per rule, in the page's language."""
    return [(r.ok, r.message(lang)) for r in verdict.results]


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


def verdict_panel(chosen: list[str], profile: Profile, year: int | None, lang: str) -> Verdict | None:
    """Population, area, units and pieces of the chosen units, and each rule of the profile met or not."""
    verdict = None
    if chosen:
        try:
            verdict = check(connection(), chosen, profile, year)
        except USER_ERRORS as exc:
            st.warning(cached.explain(exc, lang))
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
            (st.success if ok else st.error)(md(message), icon=":material/check_circle:" if ok else ":material/cancel:")
        st.caption(f"{t('legal_source', lang)}: {md(profile.legal_source)}")
    else:
        st.info(t("lsr_pick_hint", lang))
    return verdict


def save_and_export(verdict: Verdict, profile: Profile, chosen: list[str], level: str, lang: str) -> None:
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
    note = {"profile": profile.id, "verdict": "ok" if verdict.ok else "fails", "year": verdict.selection.year}

    def save(replace: bool) -> int:
        options = {"programme": profile.name_pl, "period": period, "note": note, "replace": replace}
        return save_area(access(), db_path(), area_id, area_name, "lsr", chosen, **options)

    if save_button(t("save_area", lang), "lsr_save", lang, area_id, save, buttons[0]):
        st.success(t("area_saved", lang).format(id=md(area_id)))
    buttons[1].download_button(
        "GeoJSON",
        lambda: exports.geojson_bytes(layer(), page_context(f"{t('lsr_title', lang)}: {area_name}", lang)),
        f"{stem}.geojson",
        "application/geo+json",
        key="lsr_geojson",
        on_click="ignore",
    )
    buttons[2].download_button(
        "GeoPackage",
        lambda: exports.gpkg_bytes(
            layer(), layer_name=stem, context=page_context(f"{t('lsr_title', lang)}: {area_name}", lang)
        ),
        f"{stem}.gpkg",
        "application/geopackage+sqlite3",
        key="lsr_gpkg",
        on_click="ignore",
    )
