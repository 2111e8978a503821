"""Totals of programme areas computed from their member units."""

from __future__ import annotations

import duckdb
import pandas as pd


def area_totals(con: duckdb.DuckDBPyConnection, *, population: str = "population") -> pd.DataFrame:
    """Population and area of each programme area for every year with population data.

    A member counts with the share of its area inside the programme area (1 for listed members); for a
    polygon area, residents are assumed spread evenly over each member unit. ``units_with_population`` says
    how many members have data that year: a total over fewer than ``units`` is incomplete.
    """
    return con.execute(
        """
        WITH years AS (SELECT DISTINCT year FROM observations WHERE indicator_id = $1)
        SELECT a.id AS area_id, a.name, a.kind, y.year,
               count(*) AS units,
               count(o.value) AS units_with_population,
               sum(m.share * o.value) AS population,
               sum(m.share * u.area_km2) AS area_km2
        FROM areas a
        JOIN area_members m ON m.area_id = a.id
        JOIN units u ON u.code = m.unit_code
        CROSS JOIN years y
        LEFT JOIN observations o ON o.unit_code = m.unit_code AND o.indicator_id = $1 AND o.year = y.year
        GROUP BY a.id, a.name, a.kind, y.year
        ORDER BY a.id, y.year
        """,
        [population],
    ).df()
