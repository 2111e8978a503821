"""What people save from the dashboard — programme areas drawn there and comparison groups — kept with its history.

Every save, replace, delete and restore writes a row of ``audit`` (who, when, what) and every saved state a row of
``saved_versions``, in the same transaction as the change. Saving under a name that exists is refused unless the
caller says ``replace=True`` (the page asks first); the replaced version stays in ``saved_versions`` and
``restore`` brings it back. On a file store all of it lives in the user file beside the loaded data
(:mod:`etl.store.user_file`), which ``ldatlas load`` never touches; on DuckLake, in the lake.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from etl.errors import SourceError
from etl.store.lake import describe_commit, is_lake
from etl.texts import say

#: Who a save is recorded as when nobody signs in (the Atlas on one machine).
LOCAL_USER = "local user"


class AlreadySaved(SourceError):
    """Something is saved under this id already: replacing it needs the user's say-so."""

    def __init__(self, kind: str, object_id: str, who: str, when: Any) -> None:
        self.kind, self.object_id, self.who, self.when = kind, object_id, who, when
        super().__init__(
            f"A {kind} '{object_id}' exists (saved by {who}, {str(when)[:16]}). Save it with replace to overwrite "
            "it; the previous version stays restorable."
        )


@dataclass(frozen=True)
class Saved:
    kind: str
    object_id: str
    version: int
    saved_at: Any
    saved_by: str
    content: dict[str, Any]


def latest(con: duckdb.DuckDBPyConnection, kind: str, object_id: str) -> Saved | None:
    row = con.execute(
        "SELECT version, saved_at, saved_by, content FROM saved_versions WHERE object_kind = ? AND object_id = ? "
        "ORDER BY version DESC LIMIT 1",
        [kind, object_id],
    ).fetchone()
    return Saved(kind, object_id, row[0], row[1], row[2], json.loads(row[3])) if row else None


def version(con: duckdb.DuckDBPyConnection, kind: str, object_id: str, number: int) -> Saved:
    row = con.execute(
        "SELECT version, saved_at, saved_by, content FROM saved_versions WHERE object_kind = ? AND object_id = ? "
        "AND version = ?",
        [kind, object_id, number],
    ).fetchone()
    if row is None:
        raise SourceError(say(f"st_no_version_{kind}", number=number, id=object_id))
    return Saved(kind, object_id, row[0], row[1], row[2], json.loads(row[3]))


def record_save(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    object_id: str,
    content: dict[str, Any],
    who: str,
    *,
    exists: bool,
    replace: bool,
    action: str | None = None,
) -> int:
    """Check that a save may go ahead, then write its version and audit row; returns the new version number."""
    previous = latest(con, kind, object_id)
    if exists and not replace:
        raise AlreadySaved(
            kind, object_id, previous.saved_by if previous else "?", previous.saved_at if previous else ""
        )
    number = (previous.version if previous else 0) + 1
    body = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
    con.execute("INSERT INTO saved_versions VALUES (?, ?, ?, now(), ?, ?)", [kind, object_id, number, who, body])
    audit(con, who, action or ("replace" if exists else "save"), kind, object_id, number, content)
    return number


def audit(
    con: duckdb.DuckDBPyConnection,
    who: str,
    action: str,
    kind: str,
    object_id: str,
    number: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    con.execute(
        "INSERT INTO audit VALUES (now(), ?, ?, ?, ?, ?, ?)",
        [who, action, kind, object_id, number, json.dumps(detail or {}, ensure_ascii=False, default=str)],
    )
    if is_lake(con):  # the snapshot says who changed what
        describe_commit(con, who, f"dashboard: {action} {kind} {object_id}")


def history(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    """The newest audit rows first (happened_at, who, action, object_kind, object_id, version), each with the name
    the object had (its id where none was recorded): for ``ldatlas history`` and the admins' Overview."""
    return con.execute(
        "SELECT a.happened_at, a.who, a.action, a.object_kind, a.object_id, a.version, "
        "coalesce(json_extract_string(a.detail, '$.name'), (SELECT json_extract_string(v.content, '$.name') "
        "FROM saved_versions v WHERE v.object_kind = a.object_kind AND v.object_id = a.object_id "
        "ORDER BY v.version DESC LIMIT 1), a.object_id) AS name "
        "FROM audit a ORDER BY a.happened_at DESC, a.version DESC LIMIT ?",
        [limit],
    ).df()
