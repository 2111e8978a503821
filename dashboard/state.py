"""Everything the pages share: the store connection (cached) and the interface language."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import streamlit as st

from dashboard.access import Access, role_for
from dashboard.i18n import LANGUAGES, t
from etl.store import StoreReader
from etl.store.user_content import LOCAL_USER


def db_path() -> Path:
    return Path(os.environ.get("LDATLAS_DB", "atlas.duckdb"))


@st.cache_resource
def _reader(path: str) -> StoreReader:
    return StoreReader(path)


def connection() -> duckdb.DuckDBPyConnection:
    """A read-only cursor on the newest store; a reload swapped in by `ldatlas load` is picked up at once."""
    return _reader(str(db_path().absolute())).connection()


def generation() -> tuple[int, int, int]:
    """Changes whenever the store file is replaced: part of every cached query's key."""
    return _reader(str(db_path().absolute())).generation


def language(default: str = "pl") -> str:
    """The interface language: from the URL (``?lang=en``), else the workspace default; switchable anytime."""
    if "lang_choice" not in st.session_state:
        wanted = st.query_params.get("lang", default)
        st.session_state["lang_choice"] = wanted if wanted in LANGUAGES else (default if default in LANGUAGES else "pl")
    choice = st.sidebar.radio(
        t("language", st.session_state["lang_choice"]),
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        horizontal=True,
        key="lang_choice",
    )
    if st.query_params.get("lang") != choice:
        st.query_params["lang"] = choice
    return choice


#: Streamlit's captions and widget hints are grey at 3.9:1 on white; WCAG AA asks 4.5:1 for text this size.
READABLE_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"] small, [data-testid="stMetricDelta"],
[data-testid="stTooltipHoverTarget"] { color: #555555 !important; opacity: 1 !important; }
.atlas-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
</style>"""


def page_head(lang: str) -> None:
    """What every page sets up first: its language for the browser (screen readers, spelling, hyphenation:
    ``<html lang="pl">``) and the styles that keep small grey texts readable."""
    if lang in LANGUAGES:  # only a known code goes into the script
        st.sidebar.html(f'<script>document.documentElement.lang = "{lang}";</script>', unsafe_allow_javascript=True)
    st.html(READABLE_CSS)


def static_serving() -> bool:
    """Whether Streamlit serves ``dashboard/static`` (``ldatlas serve`` turns it on)."""
    return bool(st.get_option("server.enableStaticServing"))


def basemap(meta: dict[str, str]) -> tuple[str, str] | None:
    """An optional tile basemap (URL template, attribution): ``LDATLAS_BASEMAP_URL`` or the workspace's
    ``basemap_url``. None by default: the map then needs no network."""
    url = os.environ.get("LDATLAS_BASEMAP_URL") or meta.get("basemap_url")
    if not url:
        return None
    return url, os.environ.get("LDATLAS_BASEMAP_ATTRIBUTION") or meta.get("basemap_attribution") or ""


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name) or {})
    except Exception:  # no secrets file at all: Streamlit raises its own error type  # noqa: BLE001
        return {}


def sign_in_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` configures OpenID Connect sign-in (Streamlit's ``[auth]``)."""
    return bool(_secrets_section("auth"))


def access() -> Access:
    """Who is looking, and what they may do (:mod:`dashboard.access`)."""
    if os.environ.get("LDATLAS_PUBLIC") == "1":
        return Access("viewer", "", "public")
    if not sign_in_configured():
        return Access("admin", LOCAL_USER, "single-user")
    if not st.user.is_logged_in:
        return Access("", "", "signed-out")
    claims = st.user.to_dict()
    rules = dict(_secrets_section("atlas").get("roles") or {})
    return Access(role_for(claims, rules), str(claims.get("email") or claims.get("sub") or "?"), "signed-in")
