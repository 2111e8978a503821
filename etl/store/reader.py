"""Reading the live store: a read-only connection that follows the atomic swaps of loads."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb

from etl.errors import StoreError
from etl.store.connection import connect


class StoreReader:
    """A read-only view of the live store that follows atomic swaps.

    Each generation of the file (device, inode, mtime) gets its own in-memory DuckDB with the file attached
    read-only, so a new generation never collides with DuckDB's per-path instance cache. Call
    :meth:`connection` before each use: it reconnects when a load has swapped a new file in.
    """

    def __init__(self, db: Path | str) -> None:
        self.db = Path(db).absolute()
        self._lock = threading.Lock()
        self._key: tuple[int, int, int] | None = None
        self._con: duckdb.DuckDBPyConnection | None = None

    def _stat_key(self) -> tuple[int, int, int]:
        try:
            st = os.stat(self.db)
        except FileNotFoundError:
            raise StoreError(
                f"No store at {self.db}: build one with `ldatlas load WORKSPACE.toml --db {self.db}` or `ldatlas demo`."
            ) from None
        return (st.st_dev, st.st_ino, st.st_mtime_ns)

    @property
    def generation(self) -> tuple[int, int, int]:
        """Identifies the file currently live; changes after every load."""
        return self._stat_key()

    def connection(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the newest generation of the store (thread-safe; one cursor per call)."""
        key = self._stat_key()
        with self._lock:
            if key != self._key or self._con is None:
                con = connect(None)
                escaped = str(self.db).replace("'", "''")
                con.execute(f"ATTACH '{escaped}' AS atlas (READ_ONLY)")
                con.execute("USE atlas")
                self._con, self._key = con, key
            cursor = self._con.cursor()
        cursor.execute("USE atlas")
        return cursor

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con, self._key = None, None
