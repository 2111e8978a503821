"""What is in the store: counts for ``ldatlas info`` and the dashboard's overview."""

from __future__ import annotations

import duckdb

from etl.store.connection import scalar


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    try:
        return int(scalar(con, f"SELECT count(*) FROM {table}"))
    except duckdb.CatalogException:  # a store written before the table existed
        return 0


def store_counts(con: duckdb.DuckDBPyConnection) -> dict:
    """``{"units": {level: n}, "indicators": n, "observations": n, "proposals": n, "areas": n, "rejects": n,
    "saved_groups": n, "saved_areas": n}`` (the last two: what users saved in the dashboard)."""
    units = {
        level: int(n)
        for level, n in con.execute(
            "SELECT u.level, count(*) FROM units u LEFT JOIN levels l USING (level) "
            "GROUP BY u.level, l.rank ORDER BY l.rank NULLS LAST, u.level"
        ).fetchall()
    }
    return {
        "units": units,
        "indicators": _count(con, "indicators"),
        "observations": _count(con, "observations"),
        "proposals": _count(con, "proposals"),
        "areas": _count(con, "areas"),
        "rejects": _count(con, "rejects"),
        "saved_groups": _count(con, "(SELECT DISTINCT group_id FROM unit_groups)"),
        "saved_areas": _count(con, "(SELECT 1 FROM sources WHERE kind = 'app:area')"),
    }


def workspace_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM workspace").fetchall())
