"""The one place where query results are cached.

Every function takes the store `generation` first: it is part of the cache key, so a reload of the store
(a new file swapped in) is seen at once. (Arguments named with a leading underscore are not hashed.)
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.state import connection


@st.cache_data(show_spinner=False)
def overview(generation: tuple) -> dict:
    return queries.overview(connection())


@st.cache_data(show_spinner=False)
def levels(generation: tuple) -> pd.DataFrame:
    return queries.levels(connection())


@st.cache_data(show_spinner=False)
def catalogue(generation: tuple) -> pd.DataFrame:
    return queries.catalogue(connection())


@st.cache_data(show_spinner=False)
def sources(generation: tuple) -> pd.DataFrame:
    return queries.sources(connection())


@st.cache_data(show_spinner=False)
def rejects(generation: tuple) -> pd.DataFrame:
    from etl.rejects import list_rejects

    return list_rejects(connection(), limit=500)


@st.cache_data(show_spinner=False)
def display_geojson(generation: tuple, level: str) -> dict:
    return queries.display_geojson(connection(), level)


@st.cache_data(show_spinner=False)
def indicator_years(generation: tuple, indicator_id: str, level: str) -> list[int]:
    return queries.indicator_years(connection(), indicator_id, level)


@st.cache_data(show_spinner=False)
def layer_values(generation: tuple, indicator_id: str, level: str, year: int) -> pd.DataFrame:
    return queries.layer_values(connection(), indicator_id, level, year)


@st.cache_data(show_spinner=False)
def areas(generation: tuple) -> pd.DataFrame:
    return queries.areas(connection())


@st.cache_data(show_spinner=False)
def proposals_summary(generation: tuple) -> pd.DataFrame:
    return queries.proposals_summary(connection())
