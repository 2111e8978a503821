"""Plain query functions: a connection in, a DataFrame or dict out. No Streamlit here."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from etl.info import store_counts, workspace_meta


def overview(con: duckdb.DuckDBPyConnection) -> dict:
    """Counts and workspace metadata for the overview page."""
    return {"counts": store_counts(con), "meta": workspace_meta(con)}


def levels(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Levels that have units, coarse to fine, with their names and unit counts."""
    return con.execute(
        "SELECT l.level, l.name_pl, l.name_en, count(u.code) AS units, round(sum(u.area_km2), 1) AS area_km2 "
        "FROM levels l JOIN units u USING (level) GROUP BY l.level, l.name_pl, l.name_en, l.rank ORDER BY l.rank"
    ).df()


def catalogue(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The indicator catalogue with the years and units each indicator has data for."""
    return con.execute(
        "SELECT i.id, i.name_pl, i.name_en, i.unit, i.domain, i.direction, i.source, "
        "min(o.year) AS first_year, max(o.year) AS last_year, count(DISTINCT o.unit_code) AS units "
        "FROM indicators i LEFT JOIN observations o ON o.indicator_id = i.id GROUP BY ALL ORDER BY i.domain, i.id"
    ).df()


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each loaded source with its file, checksum and row counts."""
    return con.execute(
        "SELECT source_id, kind, path, left(checksum, 12) AS checksum, run_id, loaded_at, rows_read, "
        "rows_loaded, rows_rejected, rows_skipped FROM sources ORDER BY kind, source_id"
    ).df()


def indicator_years(con: duckdb.DuckDBPyConnection, indicator_id: str, level: str) -> list[int]:
    rows = con.execute(
        "SELECT DISTINCT o.year FROM observations o JOIN units u ON u.code = o.unit_code "
        "WHERE o.indicator_id = ? AND u.level = ? ORDER BY 1",
        [indicator_id, level],
    ).fetchall()
    return [r[0] for r in rows]


def layer_values(con: duckdb.DuckDBPyConnection, indicator_id: str, level: str, year: int) -> pd.DataFrame:
    """Every unit of a level with its value for one indicator and year (NULL where there is none)."""
    return con.execute(
        "SELECT u.code, u.name, o.value, o.flag FROM units u LEFT JOIN observations o "
        "ON o.unit_code = u.code AND o.indicator_id = ? AND o.year = ? WHERE u.level = ? ORDER BY u.code",
        [indicator_id, year, level],
    ).df()


def display_geojson(con: duckdb.DuckDBPyConnection, level: str) -> dict:
    """The display geometry of a level as a GeoJSON FeatureCollection with ``id`` = unit code."""
    rows = con.execute(
        "SELECT u.code, u.name, ST_AsGeoJSON(coalesce(d.geom, u.geom)) FROM units u "
        "LEFT JOIN unit_display d USING (code) WHERE u.level = ? ORDER BY u.code",
        [level],
    ).fetchall()
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "properties": {"name": name}, "geometry": json.loads(geometry)}
            for code, name, geometry in rows
        ],
    }


def areas(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Programme areas with their members, population and area in the latest year with population data."""
    from indicators.areas import area_totals

    totals = area_totals(con)
    if totals.empty:
        return totals
    latest = totals.sort_values("year").groupby("area_id").tail(1)
    meta = con.execute("SELECT id AS area_id, programme, period FROM areas").df()
    return latest.merge(meta, on="area_id").sort_values("area_id").reset_index(drop=True)


def proposals_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Proposals by status, with how many are not precisely located."""
    return con.execute(
        "SELECT status, count(*) AS proposals, count(*) FILTER (WHERE NOT precisely_located) AS not_precisely_located,"
        " sum(cost_pln) AS cost_pln FROM proposals GROUP BY status ORDER BY proposals DESC"
    ).df()
