"""Small helpers for the analysis queries (the analysis takes a DuckDB connection, never opens one)."""

from __future__ import annotations

from typing import Any

import duckdb


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Any:
    """The first column of the first row of a query (None when it returns no row)."""
    row = con.execute(sql, params).fetchone()
    return None if row is None else row[0]
