"""Overview: what is in the store, where it came from, and what was rejected."""

from __future__ import annotations

from pathlib import PurePath

import streamlit as st

from dashboard import cached
from dashboard.i18n import t
from dashboard.state import access, db_path, generation
from dashboard.tables import Col, styled
from dashboard.text import md
from dashboard.views.overview_admin import saved_by_users
from indicators.formatting import format_count


def page(lang: str) -> None:
    gen = generation()
    data = cached.overview(gen)
    meta, counts = data["meta"], data["counts"]
    st.title(md(meta.get("name")) or t("app_title", lang))
    if meta.get("description"):
        st.caption(md(meta["description"]))
    st.caption(f"{t('store', lang)}: {db_path().name}")
    who = access()
    if who.mode in ("single-user", "public"):
        st.info(t("single_user_note" if who.mode == "single-user" else "public_note", lang))
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
    st.dataframe(styled(cached.levels(gen), LEVELS(lang), lang), hide_index=True)

    st.subheader(t("catalogue", lang))
    st.dataframe(styled(cached.catalogue(gen), CATALOGUE(lang), lang), hide_index=True)

    if counts["areas"]:
        st.subheader(t("areas", lang))
        st.caption(t("areas_hint", lang))
        st.dataframe(styled(cached.areas(gen), AREAS, lang), hide_index=True)
    if counts["proposals"]:
        st.subheader(t("proposals", lang))
        st.caption(t("proposals_hint", lang))
        st.dataframe(styled(cached.proposals_summary(gen), PROPOSALS, lang), hide_index=True)

    if not who.can("sources"):
        return  # where data came from and what was rejected: for those who load it
    st.subheader(t("sources", lang))
    sources = cached.sources(gen)
    st.dataframe(styled(sources.assign(file=sources["path"].map(file_name)), SOURCES, lang), hide_index=True)

    st.subheader(t("rejects", lang))
    st.caption(t("rejects_hint", lang))
    rejects = cached.rejects(gen, lang)
    if rejects.empty:
        st.write(t("no_rejects", lang))
    else:
        st.dataframe(styled(rejects.assign(file=rejects["file"].map(file_name)), REJECTS, lang), hide_index=True)
    saved_by_users(lang)


def file_name(path: object) -> str:
    """Only the file's name: the server's folders are not the reader's business."""
    return PurePath(str(path)).name if path else ""


def LEVELS(lang: str) -> list[Col]:  # noqa: N802  (a table's declaration)
    return [Col(f"name_{lang}", "level"), Col("units", "units", "count"), Col("area_km2", "area_km2", "number")]


def CATALOGUE(lang: str) -> list[Col]:  # noqa: N802
    return [
        Col(f"name_{lang}", "indicator"),
        Col("unit", "col_unit_measure"),
        Col("domain", "col_domain", "enum", enum="domain"),
        Col("direction", "col_direction", "enum", enum="direction"),
        Col("first_year", "col_first_year", "year"),
        Col("last_year", "col_last_year", "year"),
        Col("units", "col_units_with_data", "count"),
        Col("source", "source"),
    ]


AREAS = [
    Col("name", "name"),
    Col("kind", "col_kind", "enum", enum="area_kind"),
    Col("programme", "col_programme"),
    Col("period", "period"),
    Col("units", "units", "count"),
    Col("year", "col_area_year", "year"),
    Col("population", "population", "count"),
    Col("area_km2", "area_km2", "number", 2),
]
PROPOSALS = [
    Col("status", "status", "enum", enum="status"),
    Col("proposals", "proposals_n", "count"),
    Col("not_precisely_located", "col_not_precise", "count"),
    Col("cost_pln", "cost_total", "money"),
]
SOURCES = [  # the workspace's own source ids are the analyst's words, not the reader's: file and kind say it
    Col("kind", "col_kind", "enum", enum="source_kind"),
    Col("file", "col_file"),
    Col("loaded_at", "col_loaded_at", "date"),
    Col("rows_read", "col_rows_read", "count"),
    Col("rows_loaded", "col_rows_loaded", "count"),
    Col("rows_rejected", "col_rows_rejected", "count"),
    Col("rows_skipped", "col_rows_skipped", "count"),
    Col("checksum", "col_checksum"),
]
REJECTS = [
    Col("file", "col_file"),
    Col("row_number", "col_row", "count"),
    Col("column_name", "col_column"),
    Col("reason", "col_reason"),
]
