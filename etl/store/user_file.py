"""A file store's user content — what people save in the dashboard — in a small file beside the loaded data.

``atlas.duckdb`` keeps what ``ldatlas load`` loads; ``atlas-user.duckdb`` keeps the areas drawn in the dashboard
(their ``areas``, ``area_members`` and ``sources`` rows, kind ``app:area``), the comparison groups
(``unit_groups``) and the history of both (``audit``, ``saved_versions``). A save rewrites only that small file
(:func:`etl.store.writing.saving`), so it takes milliseconds whatever the size of the loaded data, it never
waits for a load nor a load for it, and a load never touches what was saved.

Readers see one store: :func:`attach` puts views named like the tables in front of both files, the loaded rows
beside the saved ones. A loaded area wins over a saved one of the same id (the workspace names it). A store saved
to before the user file existed keeps its user content inside; the first save copies it into the new file, and
readers ignore the copies left in the store from then on. A DuckLake store keeps user content in the lake, where
every save is a transaction.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

#: Tables that hold only what users saved.
OWN = ("unit_groups", "audit", "saved_versions")
#: Tables that hold loaded rows and saved rows side by side.
SHARED = ("sources", "areas", "area_members")
TABLES = OWN + SHARED

#: The user file's record of the store migration its tables match.
USER_SCHEMA = "user_schema"

#: How readers and saves name the two files when both are attached.
STORE, USER = "atlas", "mine"


def user_path(store: Path | str) -> Path:
    """``atlas.duckdb`` → ``atlas-user.duckdb`` beside it (a name the store's own temporary copies never match)."""
    store = Path(store)
    return store.with_name(f"{store.stem}-user{store.suffix}")


def _in_store(table: str, store: str, *, saved: bool) -> str:
    """The rows of ``table`` in a store file: what ``ldatlas load`` wrote (``saved=False``), or the user content a
    store written before the user file keeps inside (``saved=True``; copied out by the first save)."""
    if table in OWN:
        return f"SELECT * FROM {store}.main.{table}"
    negated = "" if saved else "NOT "
    app_ids = f"(SELECT source_id FROM {store}.main.sources WHERE kind LIKE 'app:%')"
    if table == "sources":
        return f"SELECT * FROM {store}.main.sources WHERE kind {negated}LIKE 'app:%'"
    if table == "areas":
        return f"SELECT * FROM {store}.main.areas WHERE source_id {negated}IN {app_ids}"
    return (
        f"SELECT * FROM {store}.main.area_members WHERE area_id IN "
        f"(SELECT id FROM {store}.main.areas WHERE source_id {negated}IN {app_ids})"
    )


def combined(table: str, store: str = STORE, user: str = USER) -> str:
    """A query of ``table`` as one store shows it: the loaded rows of ``store`` and the saved rows of ``user``."""
    if table in OWN:
        return f"SELECT * FROM {user}.main.{table}"
    key = {"sources": "source_id", "areas": "id", "area_members": "area_id"}[table]
    loaded_ids = (
        f"SELECT source_id FROM ({_in_store('sources', store, saved=False)})"
        if table == "sources"
        else f"SELECT id FROM ({_in_store('areas', store, saved=False)})"
    )
    saved = f"SELECT * FROM {user}.main.{table} WHERE {key} NOT IN ({loaded_ids})"
    return f"{_in_store(table, store, saved=False)} UNION ALL BY NAME {saved}"


def quoted_path(path: Path) -> str:
    """A path to write inside single quotes in SQL."""
    return str(path).replace("'", "''")


def attach(con: duckdb.DuckDBPyConnection, store: Path | str) -> str:
    """Attach ``store`` read-only as ``atlas`` in the in-memory database ``con``, and its user file when there is
    one with views over both; returns the statement that points a cursor at the result (run it on every cursor)."""
    store = Path(store)
    con.execute(f"ATTACH '{quoted_path(store)}' AS {STORE} (READ_ONLY)")
    mine = user_path(store)
    if not mine.exists():
        return f"USE {STORE}"
    try:
        con.execute(f"ATTACH '{quoted_path(mine)}' AS {USER} (READ_ONLY)")
    except duckdb.IOException:
        return f"USE {STORE}"  # swapped away between the check and the attach: the next generation has it
    present = _tables(con, USER)
    for table in TABLES:
        if table in present:
            con.execute(f"CREATE OR REPLACE VIEW memory.main.{table} AS {combined(table)}")
    return f"USE {STORE}; SET search_path = 'memory.main,{STORE}.main'"


def _tables(con: duckdb.DuckDBPyConnection, database: str) -> set[str]:
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [database]).fetchall()
    return {r[0] for r in rows}


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """In a save's connection (store attached as ``atlas``, the user file's copy as ``mine``): create the user
    tables the file lacks — filled with the user content an older store kept inside — and add the columns newer
    migrations gave the store's tables, so both files keep one schema (the store's migrations declare it). The
    user file remembers the store's migration it was last brought to (``user_schema``), so this is done once."""
    version = con.execute(f"SELECT max(version) FROM {STORE}.main.schema_migrations").fetchone() or (None,)
    if USER_SCHEMA in _tables(con, USER):
        done = con.execute(f"SELECT version FROM {USER}.main.{USER_SCHEMA}").fetchone()
        if done == version:
            return
    columns: dict[tuple[str, str], dict[str, str]] = {}
    for database, table, column, kind in con.execute(
        "SELECT database_name, table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name IN (?, ?) AND schema_name = 'main' AND table_name IN (SELECT unnest(?::VARCHAR[])) "
        "ORDER BY column_index",
        [STORE, USER, list(TABLES)],
    ).fetchall():
        columns.setdefault((database, table), {})[column] = kind
    for table in TABLES:
        have = columns.get((USER, table))
        if have is None:
            con.execute(f"CREATE TABLE {USER}.main.{table} AS {_in_store(table, STORE, saved=True)}")
            continue
        for name, kind in columns.get((STORE, table), {}).items():
            if name not in have:
                con.execute(f'ALTER TABLE {USER}.main.{table} ADD COLUMN "{name}" {kind}')
    con.execute(f"CREATE OR REPLACE TABLE {USER}.main.{USER_SCHEMA} AS SELECT ?::INTEGER AS version", [version[0]])


def source_kind(con: duckdb.DuckDBPyConnection, source_id: str) -> str | None:
    """The kind of the source ``source_id`` names, loaded or saved, in a save's connection (on a file store the
    loaded sources are in the store, the saved ones in the user file)."""
    attached = {r[0] for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
    rows = combined("sources") if {STORE, USER} <= attached else "SELECT * FROM sources"
    row = con.execute(f"SELECT kind FROM ({rows}) WHERE source_id = ?", [source_id]).fetchone()
    return None if row is None else str(row[0])
