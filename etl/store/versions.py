"""Data versions: what each version (a DuckLake snapshot, or a run on a file store) changed; keeping the store
lean (``ldatlas maintain``); moving a store between a file and a DuckLake (``ldatlas migrate-store``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.errors import StoreError
from etl.store.connection import connect, scalar
from etl.store.lake import ALIAS, attach_lake, latest_snapshot, snapshots
from etl.store.location import Store, locate
from etl.store.user_file import TABLES, combined, quoted_path, user_path
from etl.store.writing import ensure_store, exists, writing
from etl.texts import say

#: What a file store cannot do, said wherever it is asked for.
NEEDS_LAKE = say("st_needs_lake")


@dataclass
class Version:
    """One data version: a snapshot (DuckLake) or a run (file store), and what it changed."""

    number: int
    time: str
    what: str  # the command or save that made it
    author: str = ""
    tag: str = ""
    sources: list[tuple[str, int]] = field(default_factory=list)  # (source id, rows loaded)
    current: bool = False


def _run_sources(con: duckdb.DuckDBPyConnection) -> dict[int, list[tuple[str, int]]]:
    out: dict[int, list[tuple[str, int]]] = {}
    for run_id, source_id, rows in con.execute(
        "SELECT run_id, source_id, coalesce(rows_loaded, 0) FROM run_sources WHERE action = 'loaded' "
        "ORDER BY run_id, source_id"
    ).fetchall():
        out.setdefault(int(run_id), []).append((source_id, int(rows)))
    return out


def list_versions(db: Store | Path | str) -> tuple[list[Version], bool]:
    """Every data version kept, oldest first, and whether they are snapshots (True) or only runs (False)."""
    where = locate(db)
    con = connect(where, read_only=True, spatial=False)
    try:
        loaded = _run_sources(con)
        if not where.is_lake:
            rows = con.execute(
                "SELECT run_id, strftime(coalesce(finished_at, started_at), '%Y-%m-%d %H:%M:%S'), workspace,"
                " coalesce(tag, '') FROM runs WHERE status = 'ok' ORDER BY run_id"
            ).fetchall()
            found = [Version(int(r[0]), r[1], r[2] or "", "", r[3], loaded.get(int(r[0]), [])) for r in rows]
            if found:
                found[-1].current = True
            return found, False
        newest = latest_snapshot(con)
        found = []
        for snap in snapshots(con):
            what = snap["message"] or _changes(snap["changes"])
            run_id = snap["run_id"]
            found.append(
                Version(
                    snap["snapshot"],
                    snap["time"],
                    what,
                    snap["author"] or "",
                    snap["tag"] or "",
                    loaded.get(int(run_id), []) if isinstance(run_id, int) else [],
                    snap["snapshot"] == newest,
                )
            )
        return found, True
    finally:
        con.close()


def _changes(changes: dict) -> str:
    if "schemas_created" in changes and len(changes) == 1:
        return "store created"
    if any(k.startswith("tables_created") or k.startswith("tables_altered") for k in changes):
        return "schema migration"
    if any(k.startswith(("flushed", "merge", "compact")) for k in changes):
        return "maintenance (ldatlas maintain)"
    return ", ".join(sorted(changes)) or "–"


@dataclass
class Maintenance:
    expired: list[int]
    kept_tagged: list[int]
    files_removed: int


def maintain(db: Store | Path | str, keep_days: float) -> Maintenance:
    """DuckLake: merge small files, expire snapshots older than ``keep_days`` (never a tagged one, never the
    newest), delete the files no snapshot needs any more. A file store is rewritten compactly by every load, so
    there is nothing to do (the call says so)."""
    where = locate(db)
    if not where.is_lake:
        raise StoreError(say("st_nothing_to_maintain", needs=NEEDS_LAKE))
    if keep_days < 0:
        raise StoreError(say("st_keep_days"))
    con = connect(where, spatial=False)
    try:
        known = snapshots(con)
        newest = latest_snapshot(con)
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=keep_days)
        old = [
            s
            for s in known
            if s["snapshot"] != newest
            and dt.datetime.strptime(s["time"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC) < cutoff
        ]
        tagged = [s["snapshot"] for s in known if s["tag"]]
        expire = [s["snapshot"] for s in old if not s["tag"]]
        con.execute(f"CALL ducklake_flush_inlined_data('{ALIAS}')")
        con.execute(f"CALL ducklake_merge_adjacent_files('{ALIAS}')")
        if expire:
            con.execute(f"CALL ducklake_expire_snapshots('{ALIAS}', versions => ?)", [expire])
        removed = con.execute(f"CALL ducklake_cleanup_old_files('{ALIAS}', cleanup_all => true)").fetchall()
        return Maintenance(expire, tagged, len(removed))
    finally:
        con.close()


def migrate_store(source: Store | Path | str, target: Store | Path | str) -> dict[str, int]:
    """Copy a whole store (loaded data, user content, audit, run history) into an empty store of either kind:
    file → DuckLake or back. Returns rows copied per table. The source is brought to the current schema first. A
    file store's user file is copied with it; a file store made by the copy keeps its user content inside until
    its first save (:mod:`etl.store.user_file`)."""
    source, target = locate(source), locate(target)
    if not exists(source):
        raise StoreError(say("st_no_source", store=str(source)))
    if exists(target):
        raise StoreError(say("st_target_exists", store=str(target)))
    if not target.is_lake and user_path(target.path).exists():  # readers would take its content for the copy's
        raise StoreError(say("st_target_exists", store=str(user_path(target.path))))
    ensure_store(source)
    copied: dict[str, int] = {}
    with writing(target) as con:
        saved_apart = not source.is_lake and user_path(source.path).exists()
        if source.is_lake:
            attach_lake(con, source, "src", read_only=True)
        else:
            con.execute(f"ATTACH '{quoted_path(source.path)}' AS src (READ_ONLY)")
            if saved_apart:
                con.execute(f"ATTACH '{quoted_path(user_path(source.path))}' AS src_user (READ_ONLY)")
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                "AND schema_name = 'main' AND table_name <> 'schema_migrations' ORDER BY table_name"
            ).fetchall()
        ]
        for table in tables:
            rows = f"({combined(table, 'src', 'src_user')})" if saved_apart and table in TABLES else f"src.main.{table}"
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {rows}")
            copied[table] = int(scalar(con, f"SELECT count(*) FROM {rows}"))
    return copied
