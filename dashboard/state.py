"""Everything the pages share: the store connection (cached) and the interface language."""

from __future__ import annotations

import os

import duckdb
import streamlit as st

from dashboard.access import Access, role_for
from dashboard.i18n import LANGUAGES, t
from etl.store import Store, StoreReader, locate
from etl.store.lake import resolve_version, snapshots
from etl.store.user_content import LOCAL_USER


def db_path() -> Store:
    """The store ``ldatlas serve`` was started on: a file or a DuckLake."""
    return locate(os.environ.get("LDATLAS_DB", "atlas.duckdb"))


@st.cache_resource(max_entries=16)
def _reader(target: str, snapshot: int | None = None) -> StoreReader:
    return StoreReader(target, snapshot)


def connection() -> duckdb.DuckDBPyConnection:
    """A read-only cursor on the data the page shows: the newest (a new load is picked up at once), or the
    version the link pins."""
    return _reader(db_path().target, pinned_version()).connection()


def generation() -> tuple:
    """Changes whenever new data is live (file replaced, DuckLake snapshot committed): part of every cached
    query's key. A pinned version never changes."""
    return _reader(db_path().target, pinned_version()).generation


def wanted_version() -> str:
    """What the link asks for with ``?as_of=`` (a snapshot number or a tag), kept for the whole visit."""
    if "as_of" not in st.session_state:
        st.session_state["as_of"] = str(st.query_params.get("as_of", ""))[:100]
    return st.session_state["as_of"]


def pinned_version() -> int | None:
    """The DuckLake snapshot the link pins; None for the newest data (and always on a file store)."""
    wanted = wanted_version()
    if not wanted or not db_path().is_lake:
        return None
    return _resolve(db_path().target, wanted)


@st.cache_data(ttl=60, show_spinner=False)
def _resolve(target: str, wanted: str) -> int | None:
    return resolve_version(_reader(target).connection(), wanted)


def versions_now() -> tuple[int, int, str] | None:
    """(shown snapshot, newest snapshot, time of the shown one) on a DuckLake store; None on a file store."""
    if not db_path().is_lake:
        return None
    newest = _reader(db_path().target).generation[1]
    shown = pinned_version()
    shown = newest if shown is None else shown
    times = {s["snapshot"]: s["time"] for s in snapshots(_reader(db_path().target).connection())}
    return shown, newest, times.get(shown, "")


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


#: Streamlit's captions and widget hints are grey at 3.9:1 on white; WCAG AA asks 4.5:1 for text this size. On a
#: phone Plotly shows its toolbar all the time, over the chart's title: it is left out there.
READABLE_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"] small, [data-testid="stMetricDelta"],
[data-testid="stTooltipHoverTarget"] { color: #555555 !important; opacity: 1 !important; }
.atlas-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
@media (max-width: 640px) { .js-plotly-plot .modebar-container { display: none !important; } }
</style>"""


def page_head(lang: str) -> None:
    """What every page sets up first: its language for the browser (screen readers, spelling, hyphenation:
    ``<html lang="pl">``) and the styles that keep small grey texts readable."""
    if lang in LANGUAGES:  # only a known code goes into the script
        st.sidebar.html(f'<script>document.documentElement.lang = "{lang}";</script>', unsafe_allow_javascript=True)
    st.html(READABLE_CSS)


def on_phone() -> bool:
    """Whether the browser says it is a phone ("Mobi" in its user agent, as browsers on phones write)."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # no request (AppTest, bare mode)  # noqa: BLE001
        return False
    return "Mobi" in agent


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
