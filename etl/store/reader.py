"""Reading the live store: a read-only connection that follows new loads (file swaps or DuckLake snapshots)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import duckdb

from etl.errors import StoreError
from etl.store.connection import connect
from etl.store.location import Store, locate
from etl.store.user_file import attach, user_path
from etl.texts import say

#: Seconds a DuckLake reader trusts the newest snapshot it saw before asking the catalog again.
LAKE_POLL_S = 1.0


class StoreReader:
    """A read-only view of the live store that follows new loads, or of one DuckLake snapshot when pinned.

    File store: each generation of the file and of its user file (device, inode, mtime) gets its own in-memory
    DuckDB with both attached read-only (:func:`etl.store.user_file.attach`), so a new generation never collides
    with DuckDB's per-path instance cache. DuckLake: one read-only attachment; every query reads the newest
    snapshot (``generation`` is its id), or the pinned one.
    Call :meth:`connection` before each use: it reconnects when a load has swapped a new file in.
    """

    def __init__(self, db: Store | Path | str, snapshot: int | None = None) -> None:
        self.store = locate(db)
        self.snapshot = snapshot
        self.db = self.store.target
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._polled = (0.0, 0)
        self._use = "USE atlas"  # how a cursor is pointed at the store (and the user file's views)

    def _stat_key(self) -> tuple:
        if self.store.is_lake:
            return ("lake", self.snapshot if self.snapshot is not None else self._latest())
        try:
            st = os.stat(self.db)
        except FileNotFoundError:
            raise StoreError(say("err_no_store", store=str(self.db))) from None
        try:
            mine = os.stat(user_path(self.db))
            saved: tuple = (mine.st_ino, mine.st_mtime_ns)
        except FileNotFoundError:
            saved = ()
        return (st.st_dev, st.st_ino, st.st_mtime_ns, *saved)

    def _latest(self) -> int:
        from etl.store.lake import latest_snapshot

        at, seen = self._polled
        if time.monotonic() - at < LAKE_POLL_S:
            return seen
        with self._lock:
            if self._con is None:
                self._con = self._open()
            cursor = self._con.cursor()
        try:
            seen = latest_snapshot(cursor)
        finally:
            cursor.close()
        self._polled = (time.monotonic(), seen)
        return seen

    def _open(self) -> duckdb.DuckDBPyConnection:
        if self.store.is_lake:
            from etl.store.lake import open_lake

            return open_lake(self.store, read_only=True, snapshot=self.snapshot)
        con = connect(None)
        self._use = attach(con, self.db)
        con.execute(self._use)
        return con

    @property
    def generation(self) -> tuple:
        """Identifies the data currently live (the file, or the DuckLake snapshot); changes after every load."""
        return self._stat_key()

    def connection(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the newest generation of the store (thread-safe; one cursor per call)."""
        key = self._stat_key()
        with self._lock:
            if self._con is None or (key != self._key and not self.store.is_lake):
                # the old file's connection is not closed: cursors still open on it keep their snapshot
                self._con = self._open()
            self._key = key
            cursor, use = self._con.cursor(), self._use
        cursor.execute(use)
        return cursor

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con, self._key = None, None
