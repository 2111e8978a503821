"""Rejected rows: kept with the file, row, column and reason, never silently dropped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa

from etl.reasons import Reason, stored

RAW_LIMIT = 2000


@dataclass
class Rejects:
    """Collects the rejects of one run, then writes them, replacing older rejects of the same sources."""

    run_id: int
    rows: list[tuple] = field(default_factory=list)

    def add(self, source_id: str, file: str, row: int | None, column: str | None, reason: str, raw: str) -> None:
        """One refused row; a :class:`etl.reasons.Reason` also keeps its key and values (for other languages)."""
        key, args = (reason.key, reason.as_json()) if isinstance(reason, Reason) else (None, None)
        self.rows.append((self.run_id, source_id, file, row, column, reason, (raw or "")[:RAW_LIMIT], key, args))

    def count(self, source_id: str) -> int:
        return sum(1 for r in self.rows if r[1] == source_id)

    def write(self, con: duckdb.DuckDBPyConnection, source_ids: list[str]) -> None:
        for source_id in source_ids:
            con.execute("DELETE FROM rejects WHERE source_id = ?", [source_id])
        if not self.rows:
            return
        columns = list(zip(*self.rows, strict=True))
        table = pa.table(
            {
                "run_id": pa.array(columns[0], pa.int64()),
                "source_id": pa.array(columns[1], pa.string()),
                "file": pa.array(columns[2], pa.string()),
                "row_number": pa.array(columns[3], pa.int64()),
                "column_name": pa.array(columns[4], pa.string()),
                "reason": pa.array(columns[5], pa.string()),
                "raw": pa.array(columns[6], pa.string()),
                "reason_key": pa.array(columns[7], pa.string()),
                "reason_args": pa.array(columns[8], pa.string()),
            }
        )
        con.register("_rejects", table)
        con.execute("INSERT INTO rejects BY NAME SELECT * FROM _rejects")
        con.unregister("_rejects")


def names_in(con: duckdb.DuckDBPyConnection, lang: str) -> dict[str, Callable[[str], str]]:
    """Levels and indicators by their names in ``lang`` (an id the store lacks stays): the ``names`` that reasons and
    errors are said with."""
    levels = dict(con.execute(f"SELECT level, coalesce(name_{lang}, name_en) FROM levels").fetchall())
    indicators = dict(con.execute(f"SELECT id, coalesce(name_{lang}, name_en) FROM indicators").fetchall())
    return {
        "level": lambda level: str(levels.get(level, level)),
        "indicator": lambda indicator: str(indicators.get(indicator, indicator)),
    }


def reasons_in(con: duckdb.DuckDBPyConnection, rejects: pd.DataFrame, lang: str) -> list[str]:
    """The reasons of ``rejects`` (from :func:`list_rejects`) in ``lang``, levels and indicators by their names in
    the store (an indicator the catalogue lacks keeps its id)."""
    names = names_in(con, lang)
    return [
        stored(str(text), key, args, lang, names=names)
        for text, key, args in zip(rejects["reason"], rejects["reason_key"], rejects["reason_args"], strict=True)
    ]


def list_rejects(
    con: duckdb.DuckDBPyConnection, *, source_id: str | None = None, limit: int | None = None
) -> pd.DataFrame:
    """The rejects in the store, in file order."""
    sql = "SELECT source_id, file, row_number, column_name, reason, raw, reason_key, reason_args FROM rejects"
    params: list = []
    if source_id:
        sql += " WHERE source_id = ?"
        params.append(source_id)
    sql += " ORDER BY source_id, row_number, column_name"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return con.execute(sql, params).df()
