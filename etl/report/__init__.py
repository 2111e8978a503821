"""A unit's development profile as a printable document (``ldatlas report``, the dashboard's Report buttons):
:mod:`profile` gathers the figures with the Compare page's own functions, :mod:`charts` draws them as SVG,
:mod:`document` writes the texts in the reader's language and typesets the PDF with Typst."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.errors import SourceError
from etl.report.document import render_html, render_pdf
from etl.report.profile import build_profile
from etl.store.connection import connect
from etl.store.location import Store
from etl.texts import say
from indicators.composite import IndexSpec

LANGUAGES = ("pl", "en", "lt")


def unit_report(
    db: Store | Path | str,
    unit: str,
    *,
    group: str | None = None,
    year: int | None = None,
    lang: str = "pl",
    spec: IndexSpec | None = None,
    fmt: str = "pdf",
) -> bytes:
    """The PDF (``fmt="html"``: the HTML page, UTF-8) of ``unit``'s profile against ``group`` in ``year`` (default:
    the latest), in ``lang``."""
    con = connect(db, read_only=True)
    try:
        if fmt == "html":
            if lang not in LANGUAGES:
                raise SourceError(say("rep_language", languages=", ".join(LANGUAGES), lang=lang))
            profile = build_profile(con, unit, group=group, year=year, spec=spec)
            return render_html(con, profile, lang).encode("utf-8")
        return profile_pdf(con, unit, group=group, year=year, lang=lang, spec=spec)
    finally:
        con.close()


def profile_pdf(
    con: duckdb.DuckDBPyConnection,
    unit: str,
    *,
    group: str | None = None,
    year: int | None = None,
    lang: str = "pl",
    spec: IndexSpec | None = None,
) -> bytes:
    """:func:`unit_report` on an open connection (the dashboard's: the data version the page shows)."""
    if lang not in LANGUAGES:
        raise SourceError(say("rep_language", languages=", ".join(LANGUAGES), lang=lang))
    return render_pdf(con, build_profile(con, unit, group=group, year=year, spec=spec), lang)
