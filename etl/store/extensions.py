"""DuckDB extensions loaded from their PyPI packages' files (``duckdb-extension-NAME``), so nothing is downloaded:
spatial always; ducklake and postgres_scanner for a DuckLake store."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

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


_EXTENSIONS = {
    "ducklake": "duckdb_extension_ducklake",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "httpfs": "duckdb_extension_httpfs",
}
_files: dict[str, str] = {}


def extension_file(name: str) -> str:
    """The extension file shipped by its ``duckdb-extension-NAME`` package, for this DuckDB version."""
    if name not in _files:
        try:
            base = Path(import_module(_EXTENSIONS[name]).__file__ or "").parent / "extensions"
        except ImportError:
            raise StoreError(
                f"The DuckDB {name} extension is not installed: `pip install duckdb-extension-"
                f"{name.replace('_', '-')}=={duckdb.__version__}` (the Makefile does)."
            ) from None
        exact = base / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
        found = [exact] if exact.exists() else sorted(base.glob(f"*/{name}.duckdb_extension"))
        if not found:
            raise StoreError(f"The DuckDB {name} extension file is missing under {base}: reinstall its package.")
        _files[name] = str(found[-1]).replace("'", "''")
    return _files[name]
