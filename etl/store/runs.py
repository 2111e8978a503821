"""Run bookkeeping, written once: a run's row in ``runs``, what each source loaded, and inserting frames.

Every writer (``ldatlas load``, ``fetch bdl|gisco|prg``, the dashboard's saves) goes through :func:`run`::

    with store.writing(db) as con, run(con, "ldatlas fetch bdl") as r:
        ...
        r.record(source_id, kind, path, checksum, counts)
        r.rejects.add(...)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from etl.store.connection import scalar
from etl.store.lake import describe_commit, is_lake
from etl.store.rejects import Rejects

#: The source id under which the workspace's own rows (catalogue, levels, goals) are recorded.
META_SOURCE = "workspace"

COUNT_KEYS = ("rows_read", "rows_loaded", "rows_rejected", "rows_skipped")


def insert_frame(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame | pa.Table,
    columns: list[str] | None = None,
    *,
    select: str = "*",
) -> None:
    """``INSERT INTO table [(columns)] SELECT select FROM frame`` for a pandas frame or an Arrow table."""
    name = f"_insert_{table}"
    con.register(name, frame)
    try:
        target = f"{table} ({', '.join(columns)})" if columns else table
        con.execute(f"INSERT INTO {target} SELECT {select} FROM {name}")
    finally:
        con.unregister(name)


def set_source(
    con: duckdb.DuckDBPyConnection,
    run_id: int,
    src_id: str,
    kind: str,
    path: str,
    checksum: str,
    counts: dict[str, int],
    provenance: str | None = None,
) -> None:
    """The current state of one source (``run_id`` 0: saved in the dashboard, not loaded by a run)."""
    con.execute("DELETE FROM sources WHERE source_id = ?", [src_id])
    con.execute(
        "INSERT INTO sources (source_id, kind, path, checksum, run_id, loaded_at, rows_read, rows_loaded,"
        " rows_rejected, rows_skipped, provenance) VALUES (?, ?, ?, ?, ?, now(), ?, ?, ?, ?, ?)",
        [src_id, kind, path, checksum, run_id, *(counts[k] for k in COUNT_KEYS), provenance],
    )


def record_source(
    con: duckdb.DuckDBPyConnection,
    run_id: int,
    src_id: str,
    kind: str,
    path: str,
    checksum: str,
    counts: dict[str, int],
    provenance: str | None = None,
) -> None:
    """Record what a run loaded from one source (its current state and the run's history)."""
    set_source(con, run_id, src_id, kind, path, checksum, counts, provenance)
    con.execute(
        "INSERT INTO run_sources VALUES (?, ?, 'loaded', ?, ?, ?, ?, ?, ?)",
        [run_id, src_id, path, checksum, *(counts[k] for k in COUNT_KEYS)],
    )


@dataclass
class Run:
    """One run in progress on a writable store: its id, its rejects, and what it recorded."""

    con: duckdb.DuckDBPyConnection
    run_id: int
    rejects: Rejects

    def record(
        self, src_id: str, kind: str, path: str, checksum: str, counts: dict[str, int], provenance: str | None = None
    ) -> None:
        """Record that ``src_id`` was loaded by this run (see :func:`record_source`)."""
        record_source(self.con, self.run_id, src_id, kind, path, checksum, counts, provenance)

    def record_action(self, src_id: str, action: str) -> None:
        """Record a source the run left alone (``unchanged``) or took out (``removed``)."""
        self.con.execute(
            "INSERT INTO run_sources (run_id, source_id, action) VALUES (?, ?, ?)", [self.run_id, src_id, action]
        )


@contextlib.contextmanager
def run(
    con: duckdb.DuckDBPyConnection,
    command: str,
    *,
    write_rejects: bool = False,
    tag: str | None = None,
    who: str = "ldatlas",
) -> Iterator[Run]:
    """Start a run (status ``running``), yield it, and mark it ``ok`` when the block succeeds.

    A failing block leaves the run unfinished, but the copy of the store it was written to is discarded by
    :func:`etl.store.writing` (or its DuckLake transaction is never committed), so no trace of it stays.
    ``tag`` names the data version the run makes (``ldatlas load --tag``); on DuckLake the snapshot also
    carries who, the command and the run's id.
    """
    run_id = scalar(con, "SELECT coalesce(max(run_id), 0) + 1 FROM runs")
    con.execute(
        "INSERT INTO runs (run_id, started_at, finished_at, workspace, status, tag) VALUES (?, now(), NULL, ?,"
        " 'running', ?)",
        [run_id, command, tag],
    )
    current = Run(con, run_id, Rejects(run_id))
    yield current
    if write_rejects:
        current.rejects.write(con, sorted({r[1] for r in current.rejects.rows}))
    con.execute("UPDATE runs SET finished_at = now(), status = 'ok' WHERE run_id = ?", [run_id])
    if is_lake(con):
        describe_commit(con, who, command, run_id=run_id, tag=tag)


def write_connector_indicator(con: duckdb.DuckDBPyConnection, indicator: dict[str, Any], source_id: str) -> None:
    """Put a connector's catalogue entry (BDL variable, GISCO population) in the store, unless the workspace
    declares that indicator itself: the workspace's entry (its domain, direction) wins."""
    declared = con.execute("SELECT source_id FROM indicators WHERE id = ?", [indicator["id"]]).fetchone()
    if declared is not None and declared[0] == META_SOURCE:
        return
    con.execute("DELETE FROM indicators WHERE id = ?", [indicator["id"]])
    con.execute(
        "INSERT INTO indicators (id, name_pl, name_en, unit, domain, direction, source, licence, description,"
        " source_id) VALUES ($id, $name_pl, $name_en, $unit, $domain, $direction, $source, $licence,"
        " $description, $source_id)",
        {**indicator, "source_id": source_id},
    )


def geoarrow_table(frame: pd.DataFrame | pa.Table, columns: tuple[str, ...] = ("wkb",)) -> pa.Table:
    """An Arrow table whose ``columns`` are GeoArrow WKB: DuckDB reads them as GEOMETRY without the extension."""
    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    for column in columns:
        index = table.schema.get_field_index(column)
        field = pa.field(
            column, pa.binary(), metadata={b"ARROW:extension:name": b"geoarrow.wkb", b"ARROW:extension:metadata": b"{}"}
        )
        table = table.set_column(index, field, table.column(column).cast(pa.binary()))
    return table
