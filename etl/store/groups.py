"""Comparison groups saved in the store: a named list of units of one level (e.g. "cities like ours")."""

from __future__ import annotations

import re
from pathlib import Path

from etl.errors import SourceError
from etl.store.writing import writing


def save_group(db: Path | str, group_id: str, name: str, codes: list[str]) -> None:
    """Save (or replace) the group ``group_id``; written on a copy of the store swapped in when done."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,60}", group_id):
        raise SourceError("A group id is lower-case letters, digits, '-' and '_' (e.g. podobne-miasta).")
    if len(set(codes)) < 2:
        raise SourceError("A comparison group needs at least two units.")
    with writing(Path(db)) as con:
        found = dict(con.execute("SELECT code, level FROM units WHERE list_contains(?, code)", [codes]).fetchall())
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise SourceError(f"Not units in the store: {', '.join(unknown)}.")
        levels = set(found.values())
        if len(levels) != 1:
            raise SourceError("A comparison group holds units of one level.")
        level = levels.pop()
        con.execute("DELETE FROM unit_groups WHERE group_id = ?", [group_id])
        con.executemany(
            "INSERT INTO unit_groups VALUES (?, ?, ?, ?, now())",
            [(group_id, name.strip() or group_id, level, c) for c in dict.fromkeys(codes)],
        )
