"""Plain query functions: a connection in, a DataFrame or dict out. No Streamlit here."""

from __future__ import annotations

import html
import json
from typing import Any

import duckdb
import pandas as pd

from etl.store.connection import scalar
from etl.store.info import store_counts, workspace_meta
from etl.store.tiles import build_tiles, stored_tiles


def overview(con: duckdb.DuckDBPyConnection) -> dict:
    """Counts and workspace metadata for the overview page."""
    return {"counts": store_counts(con), "meta": workspace_meta(con)}


def levels(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Levels that have units, coarse to fine, with their names and unit counts."""
    return con.execute(
        "SELECT l.level, l.name_pl, l.name_en, coalesce(l.name_lt, l.name_en) AS name_lt, count(u.code) AS units, "
        "round(sum(u.area_km2), 1) AS area_km2 FROM levels l JOIN units u USING (level) "
        "GROUP BY l.level, l.name_pl, l.name_en, l.name_lt, l.rank ORDER BY l.rank"
    ).df()


def level_names(con: duckdb.DuckDBPyConnection, lang: str) -> dict[str, str]:
    """Each level's name in ``lang`` (Lithuanian falls back to English)."""
    column = {"pl": "name_pl", "lt": "coalesce(name_lt, name_en)"}.get(lang, "name_en")
    return dict(con.execute(f"SELECT level, {column} FROM levels").fetchall())


def catalogue(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The indicator catalogue with the years and units each indicator has data for."""
    return con.execute(
        "SELECT i.id, i.name_pl, i.name_en, coalesce(i.name_lt, i.name_en) AS name_lt, i.unit, i.domain, i.direction, "
        "i.source, "
        "min(o.year) AS first_year, max(o.year) AS last_year, count(DISTINCT o.unit_code) AS units "
        "FROM indicators i LEFT JOIN observations o ON o.indicator_id = i.id GROUP BY ALL ORDER BY i.domain, i.id"
    ).df()


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each loaded source with its file, checksum and row counts."""
    return con.execute(
        "SELECT source_id, kind, path, left(checksum, 12) AS checksum, run_id, loaded_at, rows_read, "
        "rows_loaded, rows_rejected, rows_skipped FROM sources ORDER BY kind, source_id"
    ).df()


def level_indicators(con: duckdb.DuckDBPyConnection, level: str) -> list[str]:
    """Indicators with at least one value at a level."""
    rows = con.execute(
        "SELECT DISTINCT o.indicator_id FROM observations o JOIN units u ON u.code = o.unit_code WHERE u.level = ?",
        [level],
    ).fetchall()
    return [r[0] for r in rows]


def layer_values(con: duckdb.DuckDBPyConnection, indicator_id: str, level: str, year: int) -> pd.DataFrame:
    """Every unit of a level with its value for one indicator and year (NULL where there is none)."""
    return con.execute(
        "SELECT u.code, u.name, o.value, o.flag FROM units u LEFT JOIN observations o "
        "ON o.unit_code = u.code AND o.indicator_id = ? AND o.year = ? WHERE u.level = ? ORDER BY u.code",
        [indicator_id, year, level],
    ).df()


def level_series(con: duckdb.DuckDBPyConnection, indicator_id: str, level: str) -> pd.DataFrame:
    """All years of one indicator for every unit of a level: code, year, value, flag (long form).

    One query per indicator and level: changing the year then needs no query at all.
    """
    return con.execute(
        "SELECT o.unit_code AS code, o.year, o.value, o.flag FROM observations o JOIN units u "
        "ON u.code = o.unit_code WHERE o.indicator_id = ? AND u.level = ? ORDER BY o.year, o.unit_code",
        [indicator_id, level],
    ).df()


def level_units(con: duckdb.DuckDBPyConnection, level: str) -> pd.DataFrame:
    """The units of a level: code, name, parent code and name, area, and a label point (lon, lat)."""
    return con.execute(
        "SELECT u.code, u.name, u.parent_code, p.name AS parent_name, u.area_km2, "
        "ST_X(ST_PointOnSurface(coalesce(d.geom, u.geom))) AS lon, "
        "ST_Y(ST_PointOnSurface(coalesce(d.geom, u.geom))) AS lat "
        "FROM units u LEFT JOIN units p ON p.code = u.parent_code LEFT JOIN unit_display d ON d.code = u.code "
        "WHERE u.level = ? ORDER BY u.code",
        [level],
    ).df()


#: A level's opening view leaves out its outlying units when the box of all its units is this many times the box of
#: the others (every EU LAU: the outermost regions across the Atlantic and the Indian Ocean).
OUTLYING = 4.0

Box = tuple[float, float, float, float]  # (xmin, ymin, xmax, ymax) in lon/lat


def level_bounds(con: duckdb.DuckDBPyConnection, level: str) -> Box | None:
    """(xmin, ymin, xmax, ymax) of a level in lon/lat — the box a map opens on —, or None when it has no geometry.

    Every unit's box, unless a few units lie so far out that they would shrink the rest to the middle of a world map:
    then the box of the units whose centres lie within the box of the 1st to 99th percentile of all centres widened by
    a tenth each way (the mainland's edge units come in whole). A country's or a city's own units never come out:
    all of them together span far less than :data:`OUTLYING` times that."""
    row = con.execute(
        """WITH u AS (SELECT geom, ST_X(ST_Centroid(geom)) AS x, ST_Y(ST_Centroid(geom)) AS y
                      FROM units WHERE level = ? AND geom IS NOT NULL),
                p AS (SELECT quantile_cont(x, 0.01) AS x0, quantile_cont(x, 0.99) AS x1,
                             quantile_cont(y, 0.01) AS y0, quantile_cont(y, 0.99) AS y1 FROM u),
                q AS (SELECT x0 - (x1 - x0) * 0.1 AS x0, x1 + (x1 - x0) * 0.1 AS x1,
                             y0 - (y1 - y0) * 0.1 AS y0, y1 + (y1 - y0) * 0.1 AS y1 FROM p),
                c AS (SELECT geom, x BETWEEN x0 AND x1 AND y BETWEEN y0 AND y1 AS core FROM u, q)
           SELECT min(ST_XMin(geom)), min(ST_YMin(geom)), max(ST_XMax(geom)), max(ST_YMax(geom)),
                  min(ST_XMin(geom)) FILTER (core), min(ST_YMin(geom)) FILTER (core),
                  max(ST_XMax(geom)) FILTER (core), max(ST_YMax(geom)) FILTER (core)
           FROM c""",
        [level],
    ).fetchone()
    if row is None or row[0] is None:
        return None
    whole: Box = (float(row[0]), float(row[1]), float(row[2]), float(row[3]))
    if row[4] is None:
        return whole
    core: Box = (float(row[4]), float(row[5]), float(row[6]), float(row[7]))
    return core if _area(whole) > OUTLYING * _area(core) else whole


def _area(box: Box) -> float:
    """The box's area in square degrees (a line or a point counts as a sliver, never as nothing)."""
    return max(box[2] - box[0], 1e-9) * max(box[3] - box[1], 1e-9)


def unit_series(con: duckdb.DuckDBPyConnection, indicator_id: str, code: str) -> pd.DataFrame:
    """One unit's values over the years: year, value, flag."""
    return con.execute(
        "SELECT year, value, flag FROM observations WHERE indicator_id = ? AND unit_code = ? ORDER BY year",
        [indicator_id, code],
    ).df()


def display_geojson(con: duckdb.DuckDBPyConnection, level: str) -> dict:
    """The display geometry of a level as a GeoJSON FeatureCollection: ``id`` = unit code, ``properties.name`` (the
    unit's name HTML-escaped: Plotly's hovers read HTML, and a name from a file must stay text)."""
    rows = con.execute(
        "SELECT u.code, u.name, ST_AsGeoJSON(coalesce(d.geom, u.geom)) FROM units u "
        "LEFT JOIN unit_display d USING (code) WHERE u.level = ? ORDER BY u.code",
        [level],
    ).fetchall()
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "properties": {"name": html.escape(name)}, "geometry": json.loads(geometry)}
            for code, name, geometry in rows
            if geometry is not None
        ],
    }


def numbered_units(con: duckdb.DuckDBPyConnection, level: str) -> tuple[list[str], list[str]]:
    """The codes and names (HTML-escaped: shown as HTML, so a name from a file stays text) of a large level's units
    in the order its vector tiles number them (see :mod:`etl.store.tiles`)."""
    rows = con.execute(
        "SELECT d.code, u.name FROM unit_display d JOIN units u USING (code) WHERE d.level = ? ORDER BY d.code",
        [level],
    ).fetchall()
    return [code for code, _n in rows], [html.escape(name) for _c, name in rows]


def level_tiles(con: duckdb.DuckDBPyConnection, level: str) -> list[tuple]:
    """A large level's vector tiles as (z, x, y, bytes): those its load made, or made now from its display geometry
    (a store written before tiles were kept, or a level under the threshold the loader used)."""
    return stored_tiles(con, level) or build_tiles(con, level)


def unit_outline(con: duckdb.DuckDBPyConnection, code: str) -> dict | None:
    """One unit's display geometry as a GeoJSON geometry (None when it has none): the large map's selection."""
    row = con.execute(
        "SELECT ST_AsGeoJSON(coalesce(d.geom, u.geom)) FROM units u LEFT JOIN unit_display d USING (code) "
        "WHERE u.code = ?",
        [code],
    ).fetchone()
    return json.loads(row[0]) if row and row[0] else None


def layer_geometries(con: duckdb.DuckDBPyConnection, level: str) -> pd.DataFrame:
    """Full-resolution geometry of a level as WKB (code, wkb), for GeoJSON and GeoPackage exports."""
    return con.execute(
        "SELECT code, ST_AsWKB(geom) AS wkb FROM units WHERE level = ? AND geom IS NOT NULL ORDER BY code", [level]
    ).df()


def proposals_layer(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every proposal with its goal (and top-level goal), unit name and point (lon, lat; NULL when none)."""
    return con.execute(
        "SELECT p.id, p.title, p.description, p.status, p.goal_code, g.name_pl AS goal_pl, g.name_en AS goal_en, "
        "coalesce(g.name_lt, g.name_en) AS goal_lt, split_part(p.goal_code, '.', 1) AS top_goal, "
        "tg.name_pl AS top_goal_pl, tg.name_en AS top_goal_en, coalesce(tg.name_lt, tg.name_en) AS top_goal_lt, "
        "p.cost_pln, p.votes, p.edition, p.unit_code, u.name AS unit_name, u.level AS unit_level, "
        "p.precisely_located, p.location_note, p.location_kind, "
        "CASE WHEN p.geom IS NOT NULL THEN ST_X(p.geom) END AS lon, "
        "CASE WHEN p.geom IS NOT NULL THEN ST_Y(p.geom) END AS lat "
        "FROM proposals p LEFT JOIN goals g ON g.code = p.goal_code "
        "LEFT JOIN goals tg ON tg.code = split_part(p.goal_code, '.', 1) "
        "LEFT JOIN units u ON u.code = p.unit_code ORDER BY p.id"
    ).df()


def area_outlines(con: duckdb.DuckDBPyConnection, tolerance_deg: float = 0.0005) -> list[dict]:
    """Programme areas as outlines for the map: id, name, kind and lines [[(lon, lat), ...], ...]."""
    rows = con.execute(
        "SELECT id, name, kind, ST_AsGeoJSON(ST_Boundary(ST_SimplifyPreserveTopology(geom, ?))) FROM areas "
        "WHERE geom IS NOT NULL ORDER BY id",
        [tolerance_deg],
    ).fetchall()
    out = []
    for area_id, name, kind, boundary in rows:
        geometry = json.loads(boundary)
        lines = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
        out.append({"id": area_id, "name": name, "kind": kind, "lines": lines})
    return out


def areas(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Programme areas with their members, population and area in the latest year with population data."""
    from indicators.areas import area_totals

    totals = area_totals(con)
    if totals.empty:
        return totals
    latest = totals.sort_values("year").groupby("area_id").tail(1)
    meta = con.execute("SELECT id AS area_id, programme, period FROM areas").df()
    return latest.merge(meta, on="area_id").sort_values("area_id").reset_index(drop=True)


def saved_content(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """What users saved (areas drawn in the dashboard, comparison groups): each with its latest version, who saved
    it and whether it still exists."""
    return con.execute(
        "SELECT v.object_kind AS kind, v.object_id, json_extract_string(v.content, '$.name') AS name, "
        "v.version, v.saved_by, v.saved_at, "
        "CASE v.object_kind WHEN 'area' THEN v.object_id IN (SELECT source_id FROM sources WHERE kind = 'app:area') "
        "ELSE v.object_id IN (SELECT group_id FROM unit_groups) END AS present "
        "FROM saved_versions v QUALIFY row_number() OVER (PARTITION BY v.object_kind, v.object_id "
        "ORDER BY v.version DESC) = 1 ORDER BY v.saved_at DESC"
    ).df()


def proposals_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Proposals by status, with how many are not precisely located."""
    return con.execute(
        "SELECT status, count(*) AS proposals, count(*) FILTER (WHERE NOT precisely_located) AS not_precisely_located,"
        " sum(cost_pln) AS cost_pln FROM proposals GROUP BY status ORDER BY proposals DESC"
    ).df()


# --- what the pages ask besides layers (each a plain function of a connection, tested directly) ---------------------


def group_ids(con: duckdb.DuckDBPyConnection, level: str) -> list[str]:
    """Saved comparison groups of ``level``."""
    return [
        g
        for (g,) in con.execute(
            "SELECT DISTINCT group_id FROM unit_groups WHERE level = ? ORDER BY 1", [level]
        ).fetchall()
    ]


def area_ids(con: duckdb.DuckDBPyConnection, level: str) -> list[str]:
    """Programme areas with members of ``level``."""
    return [
        a
        for (a,) in con.execute(
            "SELECT DISTINCT a.id FROM areas a JOIN area_members m ON m.area_id = a.id JOIN units u "
            "ON u.code = m.unit_code WHERE u.level = ? ORDER BY 1",
            [level],
        ).fetchall()
    ]


def group_and_area_names(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Names of programme areas (by id), of saved groups (by ``saved:<id>``) and of typologies (by
    ``typology:<id>``: ``{"pl": …, "en": …, "lt": …, "classes": {lang: {class: words}}}``)."""
    names: dict[str, Any] = dict(con.execute("SELECT id, name FROM areas").fetchall())
    names.update(dict(con.execute("SELECT DISTINCT 'saved:' || group_id, name FROM unit_groups").fetchall()))
    for typology, name_pl, name_en, name_lt, classes in con.execute(
        "SELECT id, name_pl, name_en, name_lt, classes FROM typologies"
    ).fetchall():
        names[f"typology:{typology}"] = {
            "pl": name_pl,
            "en": name_en or name_pl,
            "lt": name_lt or name_en or name_pl,
            "classes": json.loads(classes or "{}"),  # {"pl": {class: words}, "en": ..., "lt": ...}
        }
    return names


def typology_classes(con: duckdb.DuckDBPyConnection, level: str) -> list[tuple[str, str]]:
    """(typology id, class) of the typologies of ``level``, in order."""
    return [
        (t, c)
        for t, c in con.execute(
            "SELECT DISTINCT k.typology_id, k.class FROM unit_classes k JOIN typologies t ON t.id = k.typology_id"
            " WHERE t.level = ? ORDER BY 1, 2",
            [level],
        ).fetchall()
    ]


def level_years(
    con: duckdb.DuckDBPyConnection, level: str, *, indicator_id: str | None = None, parent_code: str | None = None
) -> list[int]:
    """Years with values at ``level`` (of one indicator, inside one parent unit), ascending."""
    sql = "SELECT DISTINCT o.year FROM observations o JOIN units u ON u.code = o.unit_code WHERE u.level = ?"
    args: list = [level]
    if indicator_id is not None:
        sql += " AND o.indicator_id = ?"
        args.append(indicator_id)
    if parent_code is not None:
        sql += " AND u.parent_code = ?"
        args.append(parent_code)
    return sorted(int(y) for (y,) in con.execute(sql, args).fetchall())


def values_of(
    con: duckdb.DuckDBPyConnection, indicator_id: str, year: int, codes: list[str] | None = None
) -> dict[str, float | None]:
    """``{unit code: value}`` of one indicator in one year (only ``codes`` when given)."""
    sql = "SELECT unit_code, value FROM observations WHERE indicator_id = ? AND year = ?"
    args: list = [indicator_id, year]
    if codes is not None:
        sql += " AND unit_code IN (SELECT unnest(?::VARCHAR[]))"
        args.append(codes)
    return dict(con.execute(sql, args).fetchall())


def unit_areas(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, float | None]:
    """``{unit code: area_km2}``."""
    return dict(
        con.execute(
            ("SELECT code, area_km2 FROM units WHERE code IN (SELECT unnest(?::VARCHAR[]))"), [codes]
        ).fetchall()
    )


def series_of(con: duckdb.DuckDBPyConnection, indicator_ids: list[str], codes: list[str]) -> pd.DataFrame:
    """Every year of some indicators for some units: code, indicator_id, year, value."""
    return con.execute(
        "SELECT unit_code AS code, indicator_id, year, value FROM observations "
        "WHERE indicator_id IN (SELECT unnest(?::VARCHAR[]))"
        " AND unit_code IN (SELECT unnest(?::VARCHAR[])) ORDER BY year",
        [indicator_ids, codes],
    ).df()


def goals(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The workspace's strategic goals: code, name_pl, name_en, name_lt (the English name where none)."""
    return con.execute(
        "SELECT code, name_pl, name_en, coalesce(name_lt, name_en) AS name_lt FROM goals ORDER BY code"
    ).df()


def latest_population(con: duckdb.DuckDBPyConnection, level: str) -> tuple[int | None, pd.DataFrame]:
    """The latest year with population at ``level``, and each unit's population then (code, value)."""
    year = scalar(
        con,
        "SELECT max(year) FROM observations o JOIN units u ON u.code = o.unit_code "
        "WHERE indicator_id = 'population' AND u.level = ?",
        [level],
    )
    if not year:
        return None, pd.DataFrame(columns=["code", "value"])
    return int(year), con.execute(
        "SELECT unit_code AS code, value FROM observations WHERE indicator_id = 'population' AND year = ?", [year]
    ).df()


def wholes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Units that contain finer units (gminy with urban units): what can be delimited, most units first."""
    return con.execute(
        "SELECT p.code, p.name, c.level, count(*) AS units FROM units c JOIN units p ON p.code = c.parent_code "
        "GROUP BY p.code, p.name, c.level HAVING count(*) >= 2 ORDER BY (c.level = 'urban_unit') DESC, units DESC"
    ).df()
