"""Entry point: declares the navigation only. Run with `ldatlas serve` (or `streamlit run dashboard/app.py`)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `streamlit run` finds the packages

import streamlit as st  # noqa: E402

from dashboard import cached  # noqa: E402
from dashboard.i18n import LANGUAGES, t  # noqa: E402
from dashboard.state import generation, language, page_head  # noqa: E402
from dashboard.views import compare, lsr_builder, map_explorer, overview, proposals, revitalisation  # noqa: E402
from dashboard.views.data_version import notice  # noqa: E402
from dashboard.views.sign_in import signed_in  # noqa: E402
from etl.errors import USER_ERRORS  # noqa: E402

try:
    meta = cached.overview(generation())["meta"]
except USER_ERRORS as exc:  # no store yet (or one that cannot be read): said in the language of the link
    asked = st.query_params.get("lang", "pl")
    lang = asked if asked in LANGUAGES else "pl"
    st.set_page_config(page_title=t("app_title", lang), layout="wide")
    st.error(cached.explain(exc, lang))
    st.stop()

lang = language(default=meta.get("language", "pl"))
st.set_page_config(page_title=t("app_title", lang), layout="wide")
page_head(lang)
if not signed_in(lang):  # sign-in configured and nobody signed in: only the sign-in page
    st.stop()
st.sidebar.markdown(f"**{t('app_title', lang)}**")
if meta.get("synthetic") == "true":
    st.warning(t("synthetic", lang), icon="⚠️")
notice(lang)


def overview_page() -> None:
    overview.page(lang)


def map_page() -> None:
    map_explorer.page(lang)


def compare_page() -> None:
    compare.page(lang)


def proposals_page() -> None:
    proposals.page(lang)


def lsr_page() -> None:
    lsr_builder.page(lang)


def revitalisation_page() -> None:
    revitalisation.page(lang)


pages = [
    st.Page(overview_page, title=t("overview", lang), url_path="overview", default=True),
    st.Page(map_page, title=t("map", lang), url_path="map"),
    st.Page(compare_page, title=t("compare_page", lang), url_path="compare"),
    st.Page(proposals_page, title=t("proposals_page", lang), url_path="proposals"),
    st.Page(lsr_page, title=t("lsr_page", lang), url_path="lsr"),
    st.Page(revitalisation_page, title=t("revit_page", lang), url_path="revitalisation"),
]
st.navigation(pages).run()
