"""Comparison groups saved in the store: a named list of units of one level (e.g. "cities like ours"), with every
version kept and audited (:mod:`etl.store.user_content`)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from etl.errors import SourceError
from etl.store.location import Store
from etl.store.user_content import LOCAL_USER, audit, record_save, version
from etl.store.writing import saving
from etl.texts import say


def save_group(
    db: Store | Path | str, group_id: str, name: str, codes: list[str], *, who: str = LOCAL_USER, replace: bool = False
) -> int:
    """Save the group ``group_id`` (replacing one saved before only with ``replace=True``); returns its version.
    Written whole or not at all, beside the loaded data (:func:`etl.store.writing.saving`)."""
    with saving(db) as con:
        return _save_group(con, group_id, name, codes, who, replace, None)


def _save_group(
    con: duckdb.DuckDBPyConnection,
    group_id: str,
    name: str,
    codes: list[str],
    who: str,
    replace: bool,
    action: str | None,
) -> int:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,60}", group_id):
        raise SourceError(say("err_group_id"))
    if len(set(codes)) < 2:
        raise SourceError(say("err_group_two_units"))
    found = dict(
        con.execute("SELECT code, level FROM units WHERE code IN (SELECT unnest(?::VARCHAR[]))", [codes]).fetchall()
    )
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise SourceError(say("err_group_unknown_units", codes=", ".join(unknown)))
    levels = set(found.values())
    if len(levels) != 1:
        raise SourceError(say("err_group_one_level"))
    level = levels.pop()
    exists = con.execute("SELECT count(*) FROM unit_groups WHERE group_id = ?", [group_id]).fetchone()
    content = {"name": name.strip() or group_id, "members": list(dict.fromkeys(codes)), "level": level}
    number = record_save(
        con, "group", group_id, content, who, exists=bool(exists and exists[0]), replace=replace, action=action
    )
    con.execute("DELETE FROM unit_groups WHERE group_id = ?", [group_id])
    con.executemany(
        "INSERT INTO unit_groups VALUES (?, ?, ?, ?, now())",
        [(group_id, content["name"], level, c) for c in content["members"]],
    )
    return number


def delete_group(db: Store | Path | str, group_id: str, who: str = LOCAL_USER) -> None:
    """Delete a saved group; its versions stay restorable."""
    with saving(db) as con:
        exists = con.execute("SELECT count(*) FROM unit_groups WHERE group_id = ?", [group_id]).fetchone()
        if not exists or not exists[0]:
            raise SourceError(say("err_no_saved_group", group=group_id))
        con.execute("DELETE FROM unit_groups WHERE group_id = ?", [group_id])
        audit(con, who, "delete", "group", group_id, None)


def restore_group(db: Store | Path | str, group_id: str, number: int, who: str = LOCAL_USER) -> int:
    """Bring back version ``number`` of a group (as a new version)."""
    with saving(db) as con:
        saved = version(con, "group", group_id, number).content
        return _save_group(con, group_id, saved["name"], saved["members"], who, True, "restore")
