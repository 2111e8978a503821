"""The DuckDB store: connecting (with the spatial extension), migrations, and atomic writes.

Writers never touch the live file. :func:`writing` copies the store beside itself, applies the run to the copy
and swaps it in with :func:`os.replace`; a run that fails or is killed leaves the live file untouched. Readers
open the live file read-only through :class:`StoreReader`, which notices the swap and reconnects.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from etl import settings
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
            raise StoreError(f"No store at {path}: build one with `ldatlas load WORKSPACE.toml --db {path}`"
                             " or `ldatlas demo`.")
        con = duckdb.connect(str(path), read_only=read_only)
    if spatial:
        load_spatial(con)
    return con


# --- migrations -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The ordered migrations shipped in ``etl/migrations`` (``NNN_name.sql``)."""
    found = []
    for entry in resources.files("etl.migrations").iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations not yet recorded, each in its own transaction. Returns the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for migration in migrations():
        if migration.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now())", [migration.version, migration.name]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Versions of migrations the store has not had yet."""
    try:
        done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    except duckdb.CatalogException:
        done = set()
    return [m.version for m in migrations() if m.version not in done]


# --- atomic writes ----------------------------------------------------------------------------------------


def _temp_path(db: Path) -> Path:
    return db.with_name(f".{db.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def _remove_stale_temps(db: Path) -> None:
    """Remove copies left by writers that died (we hold the lock, so no live writer owns one)."""
    for stale in db.parent.glob(f".{db.name}.*.tmp*"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()


@contextlib.contextmanager
def _writer_lock(db: Path) -> Iterator[None]:
    lock_path = db.with_name(f".{db.name}.lock")
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + settings.lock_timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"Another load is writing {db} and did not finish within "
                        f"{settings.lock_timeout_s:.0f} s; try again when it is done."
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def writing(db: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a writable copy of the store; on success swap it in atomically, on any failure discard it.

    Readers keep reading the old file until the swap, and never see a half-written state. A process killed
    inside this block leaves only a stray temporary copy, which the next writer removes.
    """
    db = Path(db).absolute()
    db.parent.mkdir(parents=True, exist_ok=True)
    with _writer_lock(db):
        _remove_stale_temps(db)
        tmp = _temp_path(db)
        if db.exists():
            shutil.copyfile(db, tmp)
        con = connect(tmp, spatial=False)
        try:
            # FSST spends more time compressing WKB geometry at the checkpoint than it saves on disk
            con.execute("SET disabled_compression_methods = 'fsst'")
            migrate(con)
            yield con
            con.execute("CHECKPOINT")
            con.close()
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            if settings.hold_before_swap_s:
                print("LDATLAS-HOLDING", flush=True)
                time.sleep(settings.hold_before_swap_s)
            os.replace(tmp, db)
            dir_fd = os.open(db.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        finally:
            with contextlib.suppress(Exception):
                con.close()
            for leftover in (tmp, Path(f"{tmp}.wal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


def ensure_store(db: Path | str) -> None:
    """Create an empty, migrated store at ``db`` if there is none (or migrate an old one)."""
    db = Path(db)
    if db.exists():
        with connect(db, read_only=True, spatial=False) as con:
            if not pending_migrations(con):
                return
    with writing(db):
        pass


# --- readers ----------------------------------------------------------------------------------------------


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
                f"No store at {self.db}: build one with `ldatlas load WORKSPACE.toml --db {self.db}` "
                "or `ldatlas demo`."
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
