"""Opening a DuckDB store with the spatial extension loaded from the installed package (works offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from etl.errors import StoreError

_spatial_path_cache: str | None = None


def spatial_extension_file() -> Path:
    """Path of the spatial extension shipped by the ``duckdb-extension-spatial`` package."""
    import duckdb_extension_spatial

    base = Path(duckdb_extension_spatial.__file__).parent / "extensions"
    exact = base / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
    if exact.exists():
        return exact
    found = sorted(base.glob("*/spatial.duckdb_extension"))
    if not found:
        raise StoreError(
            "The DuckDB spatial extension file is missing: reinstall with "
            "`pip install duckdb==1.5.5 duckdb-extension-spatial==1.5.5`."
        )
    return found[-1]


def load_spatial(con: duckdb.DuckDBPyConnection) -> None:
    """Load the spatial extension: the installed one if any, else the packaged file (works offline)."""
    global _spatial_path_cache
    if _spatial_path_cache is None:
        try:
            con.execute("LOAD spatial")
            return
        except duckdb.Error:
            _spatial_path_cache = str(spatial_extension_file())
    con.execute(f"LOAD '{_spatial_path_cache}'")


def connect(
    path: Path | str | None = None, *, read_only: bool = False, spatial: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open a store file (or an in-memory store when ``path`` is None) with spatial loaded.

    ``spatial=False`` skips loading the extension (about 0.2 s): the GEOMETRY type itself is built into
    DuckDB, and loaders write it from GeoArrow WKB and read it back as WKB without the extension.
    """
    if path is None:
        con = duckdb.connect()
    else:
        if read_only and not Path(path).exists():
            raise StoreError(
                f"No store at {path}: build one with `ldatlas load WORKSPACE.toml --db {path}` or `ldatlas demo`."
            )
        con = duckdb.connect(str(path), read_only=read_only)
    if spatial:
        load_spatial(con)
    return con


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Any:
    """The first column of the first row of a query (None when it returns no row)."""
    row = con.execute(sql, params).fetchone()
    return None if row is None else row[0]
