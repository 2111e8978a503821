"""The map page's table and downloads, with what they say about themselves (source, year, synthetic or not)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import exports
from dashboard.i18n import format_number, t
from dashboard.map_layers import Layer
from dashboard.queries import layer_geometries
from dashboard.state import connection
from dashboard.tables import Col, file_stem, localise, styled


def export_context(
    name: str, info: pd.Series, level_name: str, year: int, meta: dict, lang: str
) -> exports.ExportContext:
    """What the map and its downloads say about themselves: indicator, level, year, source, synthetic or not."""
    return exports.ExportContext(
        title=f"{name} [{info['unit']}] — {level_name}, {year}",
        source=f"{t('source', lang)}: {info['source']}" if info["source"] else "",
        period=f"{t('year', lang)}: {year}",
        workspace=str(meta.get("name", "")),
        synthetic=meta.get("synthetic") == "true",
        synthetic_mark=t("synthetic_mark", lang),
    )


#: What the camera button's PNG is for: (width, height, scale) in CSS pixels; None = the map as on screen.
PNG_SIZES: dict[str, tuple[int, int, int] | None] = {
    "screen": None,
    "slide": (1920, 1080, 1),  # a full-HD slide
    "a4_150": (1754, 1240, 1),  # A4 landscape at 150 dpi
    "a4_300": (1754, 1240, 2),  # A4 landscape at 300 dpi (3508 × 2480 pixels)
}


def png_size(lang: str) -> str:
    return st.sidebar.selectbox(
        t("png_size", lang), list(PNG_SIZES), key="map_png", format_func=lambda s: t(f"png_{s}", lang)
    )


def png_options(title: str, year: int, size: str = "screen") -> dict:
    """The camera button's PNG: at the size chosen (twice the screen's resolution by default), named after what it
    shows; the title, legend, source line and synthetic-data mark are part of the figure, so they come along."""
    options: dict = {"format": "png", "scale": 2, "filename": file_stem(title, year)}
    if chosen := PNG_SIZES.get(size):
        options.update(width=chosen[0], height=chosen[1], scale=chosen[2])
    return options


def table_and_exports(
    layer: Layer,
    indicator: str,
    info: pd.Series,
    level: str,
    year: int,
    lang: str,
    name: str,
    context: exports.ExportContext | None = None,
) -> None:
    shown = layer.shown
    labels = {c: label.rsplit(" (", 1)[0] for c, label in enumerate(layer.labels)}
    frame = shown.assign(class_name=shown["class"].map(labels).fillna(t("no_data", lang)))
    columns = [
        Col("code", "code"),
        Col("name", "name"),
        Col("value", kind="number", decimals=layer.decimals, title=f"{t('value', lang)} [{info['unit']}]"),
        Col("flag", "flag"),
        Col("class_name", "class"),
    ]
    # shown on request: with 2,477 gminy the table would otherwise be resent on every year change; written out only
    # when shown or downloaded (a level of 100,000 units takes ~0.3 s a rerun to write)
    if st.toggle(f"{t('table', lang)} ({format_number(len(frame), lang, 0)})", key="map_show_table"):
        st.dataframe(styled(frame, columns, lang), hide_index=True, width="stretch", key="map_table")
    stem = file_stem(name, year)
    notes = [f"{name} [{info['unit']}]", f"{t('year', lang)}: {year}", f"{t('source', lang)}: {info['source']}"]

    def layer_frame():
        frame = shown[["code", "name", "value", "flag"]].assign(indicator=indicator, year=year)
        return exports.layer_frame(frame, layer_geometries(connection(), level))

    cols = st.columns(4)
    cols[0].download_button(
        f"{t('download', lang)} CSV",
        lambda: exports.csv_bytes(localise(frame, columns, lang), context),
        f"{stem}.csv",
        "text/csv",
        key="dl_csv",
        on_click="ignore",
    )
    cols[1].download_button(
        f"{t('download', lang)} XLSX",
        lambda: exports.xlsx_bytes(
            localise(frame, columns, lang),
            notes=notes,
            context=context,
            sheet=t("sheet_data", lang),
            info_sheet=t("sheet_info", lang),
        ),
        f"{stem}.xlsx",
        key="dl_xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    cols[2].download_button(
        f"{t('download', lang)} GeoJSON",
        lambda: exports.geojson_bytes(layer_frame(), context),
        f"{stem}.geojson",
        "application/geo+json",
        key="dl_geojson",
        on_click="ignore",
    )
    cols[3].download_button(
        f"{t('download', lang)} GeoPackage",
        lambda: exports.gpkg_bytes(layer_frame(), layer_name=stem, context=context),
        f"{stem}.gpkg",
        "application/geopackage+sqlite3",
        key="dl_gpkg",
        on_click="ignore",
    )
