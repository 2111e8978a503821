"""Opening a store (a DuckDB file or a DuckLake) with the spatial extension loaded (works offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from etl.errors import StoreError
from etl.store.extensions import load_spatial, spatial_extension_file
from etl.store.lake import open_lake
from etl.store.location import Store, locate
from etl.store.user_file import attach
from etl.texts import say


def connect(
    path: Store | Path | str | None = None, *, read_only: bool = False, spatial: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open a store (or an in-memory database when ``path`` is None) with spatial loaded.

    ``path`` is a file, or a DuckLake (see :mod:`etl.store.location`), which is attached as ``atlas``. A file
    opened read-only is shown with its user file (:mod:`etl.store.user_file`); opened to write, it is the file alone
    (loads write the loaded data; saves go through :func:`etl.store.writing.saving`).

    ``spatial=False`` skips loading the extension (about 0.2 s): the GEOMETRY type itself is built into
    DuckDB, and loaders write it from GeoArrow WKB and read it back as WKB without the extension.
    """
    if path is None:
        con = duckdb.connect()
    elif locate(path).is_lake:
        return open_lake(locate(path), read_only=read_only)
    else:
        path = locate(path).path
        if read_only and not path.exists():
            raise StoreError(say("err_no_store", store=str(path)))
        if read_only:  # the loaded data and the user file beside it, seen as one store
            con = duckdb.connect()
            if spatial:
                load_spatial(con)
            con.execute(attach(con, path))
            return con
        con = duckdb.connect(str(path))
    if spatial:
        load_spatial(con)
    return con


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Any:
    """The first column of the first row of a query (None when it returns no row)."""
    row = con.execute(sql, params).fetchone()
    return None if row is None else row[0]


__all__ = ["connect", "load_spatial", "scalar", "spatial_extension_file"]
