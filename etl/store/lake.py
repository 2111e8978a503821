"""The DuckLake backend: a store whose catalog is a database (PostgreSQL) and whose data are Parquet files.

Every write is one DuckLake transaction, which commits a snapshot; readers see the newest snapshot, or one they
pin (``SNAPSHOT_VERSION``). The ``ducklake`` and ``postgres_scanner`` extensions are loaded from their PyPI
packages' files, like spatial, so nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import re
import threading
from typing import Any
from urllib.parse import urlsplit

import duckdb

from etl.errors import StoreError
from etl.store.extensions import extension_file, load_spatial
from etl.store.location import Store
from etl.texts import say

#: The name the lake is attached under in every connection (``USE atlas`` follows).
ALIAS = "atlas"


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def open_lake(store: Store, *, read_only: bool = False, snapshot: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as ``atlas`` (and used): writable, read-only, or pinned to a
    snapshot. Raises :class:`StoreError` with the reason when the catalog cannot be reached."""
    con = duckdb.connect()
    try:
        load_spatial(con)
        attach_lake(con, store, ALIAS, read_only=read_only, snapshot=snapshot)
        con.execute(f"USE {ALIAS}")
    except BaseException:
        con.close()
        raise
    return con


_writers: dict[tuple[str, str | None], duckdb.DuckDBPyConnection] = {}
_writers_lock = threading.Lock()


def writer_cursor(store: Store) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """A cursor of this process's writable attachment of the lake (opened once: loading the extensions and
    attaching costs ~0.3 s, a save ~40 ms), and whether the attachment is new. Each cursor has its own
    transactions; close it when done."""
    key = (store.target, store.data_path)
    with _writers_lock:
        con = _writers.get(key)
        fresh = con is None
        if con is None:
            con = _writers[key] = open_lake(store)
        cursor = con.cursor()
    cursor.execute(f"USE {ALIAS}")
    return cursor, fresh


def attach_lake(
    con: duckdb.DuckDBPyConnection,
    store: Store,
    alias: str,
    *,
    read_only: bool = False,
    snapshot: int | None = None,
) -> None:
    """Attach the lake to ``con`` as ``alias`` (loading the extensions from their packages' files)."""
    try:
        con.execute(f"LOAD '{extension_file('ducklake')}'")
        if ":postgres:" in store.target:
            con.execute(f"LOAD '{extension_file('postgres_scanner')}'")
        object_storage(con, store)
        options = []
        if store.data_path:
            options.append(f"DATA_PATH '{_quoted(store.data_path)}'")
        if read_only or snapshot is not None:
            options.append("READ_ONLY")
        if snapshot is not None:
            options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
        suffix = f" ({', '.join(options)})" if options else ""
        con.execute(f"ATTACH '{_quoted(store.target)}' AS {alias}{suffix}")
    except duckdb.Error as exc:
        reason = _first_line(exc)
        if "data_path is not set" in reason:
            reason = "a new DuckLake needs --data-path (a folder, or object storage, that every server can reach)"
        raise StoreError(say("lake_unopenable", store=str(store), reason=reason)) from None


def object_storage(con: duckdb.DuckDBPyConnection, store: Store) -> None:
    """When the lake's files are in S3-compatible object storage: the httpfs extension and an S3 secret from the
    usual environment variables (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``,
    ``AWS_REGION``, and ``AWS_ENDPOINT_URL`` for MinIO, Ceph or another non-AWS service). Nothing is set up when
    neither the data path is ``s3://`` nor credentials are in the environment."""
    env = os.environ
    if not (str(store.data_path or "").startswith("s3://") or env.get("AWS_ACCESS_KEY_ID")):
        return
    con.execute(f"LOAD '{extension_file('httpfs')}'")
    options = {
        "KEY_ID": env.get("AWS_ACCESS_KEY_ID"),
        "SECRET": env.get("AWS_SECRET_ACCESS_KEY"),
        "SESSION_TOKEN": env.get("AWS_SESSION_TOKEN"),
        "REGION": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
    }
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    extra = ""
    if endpoint:
        parsed = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        options["ENDPOINT"] = parsed.netloc
        options["URL_STYLE"] = "path"  # what MinIO and most non-AWS services expect
        extra = f", USE_SSL {'true' if parsed.scheme == 'https' else 'false'}"
    given = ", ".join(f"{key} '{_quoted(value)}'" for key, value in options.items() if value)
    con.execute(f"CREATE OR REPLACE SECRET atlas_s3 (TYPE s3{', ' + given if given else ''}{extra})")


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return re.sub(r"(password=)\S+", r"\1***", text)


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` works on a DuckLake store (the current database is a DuckLake catalog)."""
    row = con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return row is not None and row[0] == "ducklake"


def current_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    """The id of the snapshot ``con`` reads (the newest one, unless pinned)."""
    row = con.execute(f"SELECT id FROM {ALIAS}.current_snapshot()").fetchone()
    return int(row[0]) if row else 0


def latest_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    """The newest snapshot in the catalog, also from a connection pinned to an older one."""
    row = con.execute(f"SELECT max(snapshot_id) FROM ducklake_snapshots('{ALIAS}')").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def snapshots(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every snapshot still kept, oldest first: id, time (UTC, text), changes, author, message, tag."""
    rows = con.execute(
        f"SELECT snapshot_id, strftime(snapshot_time AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), changes, author,"
        f" commit_message, commit_extra_info FROM ducklake_snapshots('{ALIAS}') ORDER BY snapshot_id"
    ).fetchall()
    out = []
    for snapshot_id, when, changes, author, message, extra in rows:
        info = _extra(extra)
        out.append(
            {
                "snapshot": int(snapshot_id),
                "time": when,
                "changes": changes or {},
                "author": author,
                "message": message,
                "tag": info.get("tag"),
                "run_id": info.get("run_id"),
            }
        )
    return out


def _extra(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def describe_commit(con: duckdb.DuckDBPyConnection, author: str, message: str, **extra: Any) -> None:
    """Name the snapshot the open transaction will commit: who, what, and e.g. ``tag`` or ``run_id``."""
    con.execute(
        f"CALL {ALIAS}.set_commit_message(?, ?, extra_info => ?)",
        [author, message, json.dumps({k: v for k, v in extra.items() if v is not None}, ensure_ascii=False)],
    )


def resolve_version(con: duckdb.DuckDBPyConnection, wanted: str) -> int | None:
    """The snapshot a link names: its number, or a tag given with ``ldatlas load --tag``; None if unknown."""
    wanted = wanted.strip()
    known = snapshots(con)
    if wanted.isascii() and wanted.isdigit():
        number = int(wanted)
        return number if any(s["snapshot"] == number for s in known) else None
    tagged = [s["snapshot"] for s in known if s["tag"] == wanted]
    return tagged[-1] if tagged else None


_INDEX = re.compile(r"(CREATE\s+(UNIQUE\s+)?|DROP\s+)INDEX\b[^;]*;", re.IGNORECASE)
_KEYWORD = re.compile(r"\b(PRIMARY\s+KEY|UNIQUE|CHECK)\b", re.IGNORECASE)


def lake_dialect(sql: str) -> str:
    """A migration as DuckLake takes it: without indexes, keys and CHECK constraints, which DuckLake does not
    support (the loaders keep codes unique and values valid themselves; the file store still enforces them, except the
    units' codes and the values' keys, which neither backend keys and every run checks: migrations 014 and 017)."""
    sql = _INDEX.sub("", sql)
    out: list[str] = []
    pos = 0
    for match in _KEYWORD.finditer(sql):
        if match.start() < pos:
            continue
        end = match.end()
        rest = sql[end:]
        stripped = rest.lstrip()
        if stripped.startswith("("):
            depth, i = 0, end + (len(rest) - len(stripped))
            while i < len(sql):
                depth += {"(": 1, ")": -1}.get(sql[i], 0)
                i += 1
                if depth == 0:
                    break
            end = i
        before = "".join(out) + sql[pos : match.start()]
        # a table constraint on its own line ("..., PRIMARY KEY (a, b)"): drop the comma before it too
        if not stripped.startswith("(") or not re.search(r",\s*$", before):
            out.append(sql[pos : match.start()])
        else:
            out = [re.sub(r",\s*$", "\n", before)]
        pos = end
    out.append(sql[pos:])
    return "".join(out)
