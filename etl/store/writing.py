"""Atomic writes: a run is applied whole or not at all.

A file store: writers never touch the live file. :func:`writing` copies the store beside itself, applies the run
to the copy and swaps it in with :func:`os.replace`; a run that fails or is killed leaves the live file untouched.
A DuckLake store: the run is one DuckLake transaction; its commit is a new snapshot, and a run that fails or is
killed never commits, so the previous snapshot stays current. A save from the dashboard (:func:`saving`) is written
the same way, but to the small user file beside a file store (:mod:`etl.store.user_file`), never to the store.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from etl import settings
from etl.errors import StoreError
from etl.store.connection import connect, scalar
from etl.store.lake import writer_cursor
from etl.store.location import Store, locate
from etl.store.schema import migrate, pending_migrations
from etl.store.user_file import STORE, USER, prepare, quoted_path, user_path
from etl.texts import say


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
                        say("err_store_busy", store=str(db), seconds=f"{settings.lock_timeout_s:.0f}")
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def writing(db: Store | Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store for one atomic run: on success it becomes the live state, on any failure nothing changes.

    File store: a writable copy, swapped in atomically. Readers keep reading the old file until the swap, and
    never see a half-written state. A process killed inside this block leaves only a stray temporary copy,
    which the next writer removes. DuckLake: one transaction, committed at the end.
    """
    where = locate(db)
    if where.is_lake:
        with _writing_lake(where) as con:
            yield con
        return
    db = where.path
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
            free, total = con.execute("SELECT free_blocks, total_blocks FROM pragma_database_size()").fetchone() or (
                0,
                0,
            )
            con.close()
            if total and free / total > settings.compact_free_share:
                _compact(tmp)
            _swap_in(tmp, db)
        finally:
            with contextlib.suppress(Exception):
                con.close()
            for leftover in (tmp, Path(f"{tmp}.wal"), _compacted(tmp), Path(f"{_compacted(tmp)}.wal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


def _swap_in(tmp: Path, db: Path) -> None:
    """Make the finished copy ``tmp`` the live ``db`` in one rename, durably."""
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


@contextlib.contextmanager
def saving(db: Store | Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the store for one save from the dashboard (an area, a group, their history): whole or not at all.

    File store: the save is written to a copy of the small user file (:mod:`etl.store.user_file`) with the store
    attached read-only, and swapped in — the loaded data is never copied, and saves and loads do not wait for each
    other. Unqualified names write to the user file and read the store's other tables. DuckLake: one transaction.
    """
    where = locate(db)
    if where.is_lake:
        with writing(where) as con:
            yield con
        return
    if not where.path.exists():
        raise StoreError(say("err_no_store", store=str(where.path)))
    mine = user_path(where.path)
    with _SAVES, _writer_lock(mine):
        _remove_stale_temps(mine)
        tmp = _temp_path(mine)
        if mine.exists():
            shutil.copyfile(mine, tmp)
        con = _saver().cursor()
        try:
            con.execute(f"ATTACH '{quoted_path(tmp)}' AS {USER}")
            con.execute(f"ATTACH '{quoted_path(where.path)}' AS {STORE} (READ_ONLY)")
            if pending_migrations(con, STORE):  # a store an older release wrote: migrated once (a load's copy)
                con.execute(f"DETACH {STORE}")
                ensure_store(where)
                con.execute(f"ATTACH '{quoted_path(where.path)}' AS {STORE} (READ_ONLY)")
            prepare(con)
            con.execute(f"USE {USER}; SET search_path = '{USER}.main,{STORE}.main'")
            con.execute("BEGIN TRANSACTION")
            yield con
            con.execute("COMMIT")
            con.execute(f"USE memory; DETACH {STORE}; DETACH {USER}")  # DETACH writes the file whole
            _swap_in(tmp, mine)
        except BaseException:
            _forget_saver(con)
            raise
        finally:
            con.close()
            for leftover in (tmp, Path(f"{tmp}.wal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


#: Saves in one process take turns on one in-memory DuckDB (a new one costs ~10 ms a save).
_SAVES = threading.Lock()
_SAVER: list[duckdb.DuckDBPyConnection] = []


def _saver() -> duckdb.DuckDBPyConnection:
    if not _SAVER:
        _SAVER.append(duckdb.connect())
    return _SAVER[0]


def _forget_saver(con: duckdb.DuckDBPyConnection) -> None:
    """After a failed save: drop what it attached (its copy is deleted), or start afresh next time."""
    try:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        con.execute("USE memory")
        for name in (STORE, USER):
            con.execute(f"DETACH DATABASE IF EXISTS {name}")
    except duckdb.Error:
        with contextlib.suppress(duckdb.Error):
            _SAVER.pop().close()


@contextlib.contextmanager
def _writing_lake(where: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    con, fresh = writer_cursor(where)
    try:
        if fresh:
            migrate(con)  # each migration is its own transaction (and snapshot); once per process
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
            if settings.hold_before_swap_s:
                print("LDATLAS-HOLDING", flush=True)
                time.sleep(settings.hold_before_swap_s)
            con.execute("COMMIT")
        except duckdb.TransactionException as exc:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            if "conflict" not in str(exc).lower():
                raise
            raise StoreError(say("err_write_conflict", store=str(where))) from exc
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
    finally:
        con.close()


def _compacted(tmp: Path) -> Path:
    return tmp.with_name(tmp.name + ".compact")


def _compact(tmp: Path) -> None:
    """Rewrite the store into a fresh file: DuckDB reuses freed blocks but never gives them back, so a store that
    is reloaded again and again would otherwise grow with every run."""
    fresh = _compacted(tmp)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{quoted_path(tmp)}' AS old (READ_ONLY)")
        con.execute(f"ATTACH '{quoted_path(fresh)}' AS new")
        con.execute("COPY FROM DATABASE old TO new")
        con.execute("DETACH new")
        con.execute("DETACH old")
    finally:
        con.close()
    os.replace(fresh, tmp)


def tidy(db: Store | Path | str) -> list[Path]:
    """Remove the temporary copies (and their WAL) that writers killed mid-run left beside ``db``, when no writer
    is running now; returns what was removed. ``ldatlas load`` (also with nothing to do) and ``ldatlas serve`` call
    it, so a killed run never leaves a full copy of the store on disk for long."""
    if locate(db).is_lake:
        return []  # a killed transaction leaves nothing behind that readers see
    db = locate(db).path
    if not db.parent.exists():
        return []
    return _tidy(db) + _tidy(user_path(db))


def _tidy(db: Path) -> list[Path]:
    with open(db.with_name(f".{db.name}.lock"), "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return []  # a writer is running: its copy is not stale
        try:
            stale = list(db.parent.glob(f".{db.name}.*.tmp*"))
            _remove_stale_temps(db)
            return stale
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_store(db: Store | Path | str, *, create: bool = True) -> None:
    """Create an empty, migrated store at ``db`` if there is none (``create=False``: leave it missing), or migrate an
    old one."""
    if exists(db):
        with connect(db, read_only=True, spatial=False) as con:
            if not pending_migrations(con):
                return
    elif not create:
        return
    with writing(db):
        pass


def exists(db: Store | Path | str) -> bool:
    """Whether there is a store at ``db`` (a file, or a DuckLake whose catalog has the Atlas's tables)."""
    where = locate(db)
    if not where.is_lake:
        return where.path.exists()
    try:
        con = connect(where, read_only=True, spatial=False)
    except StoreError:
        return False
    try:
        return bool(
            scalar(
                con,
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations'"
                " AND database_name = current_database()",
            )
        )
    finally:
        con.close()
