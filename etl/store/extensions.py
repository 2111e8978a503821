"""DuckDB extensions loaded from their PyPI packages' files (``duckdb-extension-NAME``), so nothing is downloaded:
spatial always; ducklake and postgres_scanner for a DuckLake store."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import duckdb

from etl.errors import StoreError
from etl.texts import say

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
        raise StoreError(say("ext_spatial_missing"))
    return found[-1]


def load_spatial(con: duckdb.DuckDBPyConnection) -> None:
    """Load the spatial extension: the installed one if any, else the packaged file (works offline).

    By ``load_extension``, which lets go of Python's lock while DuckDB checks the file's signature (~0.2 s); a ``LOAD``
    statement holds it throughout, stopping every other thread of the process."""
    global _spatial_path_cache
    if _spatial_path_cache is None:
        try:
            con.load_extension("spatial")
            return
        except duckdb.Error:
            _spatial_path_cache = str(spatial_extension_file())
    con.load_extension(_spatial_path_cache)


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
                say("ext_missing", name=name, package=name.replace("_", "-"), version=duckdb.__version__)
            ) from None
        exact = base / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
        found = [exact] if exact.exists() else sorted(base.glob(f"*/{name}.duckdb_extension"))
        if not found:
            raise StoreError(say("ext_file_missing", name=name, base=str(base)))
        _files[name] = str(found[-1]).replace("'", "''")
    return _files[name]
