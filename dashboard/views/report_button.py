"""The Report button: a unit's development profile as a PDF (``etl.report``), made when it is clicked."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from dashboard.state import connection
from dashboard.tables import file_stem
from etl.report import profile_pdf
from indicators.composite import IndexSpec


def report_button(
    code: str,
    name: str,
    lang: str,
    *,
    group: str | None = None,
    year: int | None = None,
    spec: IndexSpec | None = None,
    key: str,
) -> None:
    """A download of ``code``'s profile against ``group`` in ``year``, with the index settings ``spec``: the
    same figures as the Compare page for the same settings."""
    st.download_button(
        t("report_button", lang),
        lambda: profile_pdf(connection(), code, group=group, year=year, lang=lang, spec=spec),
        f"{file_stem(t('report_file', lang), name, year)}.pdf",
        "application/pdf",
        key=key,
        help=t("report_help", lang),
        on_click="ignore",
        icon=":material/picture_as_pdf:",
    )
