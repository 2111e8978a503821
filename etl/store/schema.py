"""Ordered schema migrations (``etl/store/migrations/NNN_name.sql``), each in one transaction, recorded."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import duckdb

from etl.store.lake import is_lake, lake_dialect


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def ordered_migrations() -> list[Migration]:
    """The ordered migrations shipped in ``etl/store/migrations`` (``NNN_name.sql``)."""
    found = []
    for entry in resources.files("etl.store.migrations").iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations not yet recorded, each in its own transaction. Returns the versions applied.

    On a DuckLake store the same files run without what DuckLake lacks (keys, CHECK, indexes): see
    :func:`etl.store.lake.lake_dialect`."""
    dialect = lake_dialect if is_lake(con) else (lambda sql: sql)
    con.execute(
        dialect(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for migration in ordered_migrations():
        if migration.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(dialect(migration.sql))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [migration.version, migration.name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied


def pending_migrations(con: duckdb.DuckDBPyConnection, database: str | None = None) -> list[int]:
    """Versions of migrations the store (or the attached ``database``) has not had yet."""
    table = f"{database}.main.schema_migrations" if database else "schema_migrations"
    try:
        done = {row[0] for row in con.execute(f"SELECT version FROM {table}").fetchall()}
    except duckdb.CatalogException:
        done = set()
    return [m.version for m in ordered_migrations() if m.version not in done]
