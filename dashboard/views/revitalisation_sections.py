"""The Revitalisation page's panels: the art. 10(2) verdict, the delimitation tables, saving and exports."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from dashboard import cached, exports
from dashboard.actions import save_area
from dashboard.i18n import format_number, t, tn
from dashboard.queries import layer_geometries
from dashboard.revitalisation_view import REFERENCES, delimitation_frame, delimitation_xlsx
from dashboard.state import access, db_path
from dashboard.tables import styled
from dashboard.text import md
from dashboard.views.common import page_context
from dashboard.views.saving import save_button
from etl.errors import USER_ERRORS
from indicators.revitalisation import Delimitation
from indicators.rules import Verdict, check, load_profile


def verdict_panel(con: duckdb.DuckDBPyConnection, chosen: list[str], year: int, lang: str) -> Verdict | None:
    """Shares of the gmina's area and residents, and each art. 10(2) rule met or not, for the chosen area."""
    verdict = None
    if chosen:
        try:
            verdict = check(con, chosen, load_profile(None, "revitalisation"), year)
        except USER_ERRORS as exc:
            st.warning(cached.explain(exc, lang))
    if verdict is not None:
        s = verdict.selection
        cols = st.columns(2)
        cols[0].metric(t("area_share", lang), format_number((s.measure("area_share") or 0) * 100, lang, 2) + "%")
        pop_share = s.measure("population_share")
        cols[1].metric(
            t("population_share", lang),
            format_number(pop_share * 100, lang, 2) + "%" if pop_share is not None else "–",
        )
        for r in verdict.results:
            (st.success if r.ok else st.error)(
                md(r.message(lang)),
                icon=":material/check_circle:" if r.ok else ":material/cancel:",
            )
        st.caption(f"{t('legal_source', lang)}: {md(verdict.profile.legal_source)}")
    else:
        st.info(t("revit_pick_hint", lang))
    return verdict


def delimitation_tables(result: Delimitation, indicator_names: pd.Series, min_social: int, lang: str) -> None:
    """Every unit with each criterion's flag, and the references the flags were judged against."""
    st.subheader(t("delimitation_table", lang))
    st.caption(tn("delimitation_hint", min_social, lang))
    shown, columns = delimitation_frame(result, indicator_names.to_dict(), lang)
    st.dataframe(styled(shown, columns, lang), hide_index=True, width="stretch", key="revit_table")
    refs = result.references.assign(name=result.references["indicator_id"].map(indicator_names))
    st.dataframe(styled(refs, REFERENCES, lang), hide_index=True, width="stretch", key="revit_refs")


def save_and_export(
    con: duckdb.DuckDBPyConnection,
    result: Delimitation,
    verdict: Verdict | None,
    catalogue: pd.DataFrame,
    whole: str,
    level: str,
    year: int,
    chosen: list[str],
    lang: str,
) -> None:
    st.subheader(t("save_export", lang))
    degraded = result.degraded
    geoms = layer_geometries(con, level)
    stem = f"rewitalizacja_{whole}_{year}"
    table = result.table.assign(in_revitalisation_area=result.table["code"].isin(chosen))
    cols = st.columns(3)
    cols[0].download_button(
        "XLSX",
        lambda: delimitation_xlsx(result, verdict, catalogue, lang, chosen),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="revit_xlsx",
        on_click="ignore",
    )
    cols[1].download_button(
        "GeoJSON",
        lambda: exports.geojson_bytes(
            exports.layer_frame(
                table[table["degraded"]][
                    ["code", "name", "social_problems", "other_problems", "other_groups", "in_revitalisation_area"]
                ],
                geoms,
            ),
            page_context(f"{t('revit_title', lang)} — {whole}, {year}", lang),
        ),
        f"{stem}.geojson",
        "application/geo+json",
        key="revit_geojson",
        on_click="ignore",
    )

    def save(replace: bool) -> int:
        who, db = access(), db_path()
        article = {"period": str(year), "replace": replace}
        name = f"{t('degraded_short', lang)} {year}"
        version = save_area(
            who,
            db,
            f"degraded-{whole}-{year}",
            name,
            "degraded",
            degraded,
            **article,
            programme="Ustawa o rewitalizacji 2015, art. 9",
        )
        if chosen:
            note = {"verdict": "ok" if verdict and verdict.ok else "fails"}
            save_area(
                who,
                db,
                f"revitalisation-{whole}-{year}",
                f"{t('revit_area_short', lang)} {year}",
                "revitalisation",
                chosen,
                **article,
                programme="Ustawa o rewitalizacji 2015, art. 10",
                note=note,
            )
        return version

    shown = f"{t('degraded_short', lang)} {year}"
    if degraded and save_button(
        t("save_areas", lang), "revit_save", lang, f"{whole}-{year}", save, cols[2], shown_as=shown
    ):
        st.success(t("areas_saved", lang))
