"""Programme areas in the store: written from a workspace source or saved from the dashboard."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import shapely

from etl.codes import resolve_code
from etl.errors import SourceError
from etl.store.location import Store
from etl.store.runs import geoarrow_table, insert_frame, set_source
from etl.store.user_content import LOCAL_USER, audit, record_save, version
from etl.store.user_file import source_kind
from etl.store.writing import saving
from etl.texts import say

AREA_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,60}")


def member_area(
    con: duckdb.DuckDBPyConnection, area_id: str, raw_codes: list[Any], level: str | None
) -> tuple[Any, pd.DataFrame, str | None]:
    """An area given as a list of member units: its geometry (their union), members (share 1) and level."""
    known = {r[0] for r in con.execute("SELECT code FROM units").fetchall()}
    codes = [resolve_code(raw, known) for raw in raw_codes]
    found = dict(
        con.execute("SELECT code, geom FROM units WHERE code IN (SELECT unnest(?::VARCHAR[]))", [codes]).fetchall()
    )
    missing = [c for c in codes if c not in found]
    if missing:
        raise SourceError(say("err_area_missing_units", area=area_id, codes=", ".join(missing)))
    levels = {
        r[0]
        for r in con.execute(
            ("SELECT DISTINCT level FROM units WHERE code IN (SELECT unnest(?::VARCHAR[]))"), [codes]
        ).fetchall()
    }
    members = pd.DataFrame({"unit_code": codes, "share": 1.0})
    geom = shapely.union_all(shapely.from_wkb([bytes(found[c]) for c in codes]))
    return geom, members, level or (levels.pop() if len(levels) == 1 else None)


def write_area(
    con: duckdb.DuckDBPyConnection,
    area_id: str,
    *,
    name: str,
    kind: str,
    programme: str | None,
    period: str | None,
    level: str | None,
    geom: Any,
    members: pd.DataFrame,
) -> dict[str, int]:
    """Replace one programme area and its members; returns the counts a run records."""
    con.execute("DELETE FROM area_members WHERE area_id = ?", [area_id])
    con.execute("DELETE FROM areas WHERE id = ?", [area_id])
    frame = pd.DataFrame(
        [
            {
                "id": area_id,
                "name": name,
                "kind": kind,
                "programme": programme,
                "period": period,
                "level": level,
                "wkb": shapely.to_wkb(geom),
            }
        ]
    )
    con.register("_area", geoarrow_table(frame))
    try:
        con.execute("INSERT INTO areas SELECT id, name, kind, programme, period, level, wkb, ? FROM _area", [area_id])
    finally:
        con.unregister("_area")
    insert_frame(con, "area_members", members.assign(area_id=area_id)[["area_id", "unit_code", "share"]])
    return {"rows_read": len(members), "rows_loaded": len(members), "rows_rejected": 0, "rows_skipped": 0}


def save_area(
    db: Store | Path | str,
    area_id: str,
    name: str,
    kind: str,
    codes: list[str],
    *,
    programme: str | None = None,
    period: str | None = None,
    note: dict[str, Any] | None = None,
    who: str = LOCAL_USER,
    replace: bool = False,
) -> int:
    """Save a programme area drawn in the dashboard (LSR coverage, revitalisation area, ...) into the store; returns
    its version number.

    Written whole or not at all, beside the loaded data (:func:`etl.store.writing.saving`); ``ldatlas load`` never
    touches it (kind ``app:area``).
    An id saved before is replaced only with ``replace=True`` (:class:`AlreadySaved` otherwise); every version is
    kept and audited (:mod:`etl.store.user_content`).
    """
    with saving(db) as con:
        return _save_area(con, area_id, name, kind, codes, programme, period, note, who, replace, None)


def _save_area(
    con: duckdb.DuckDBPyConnection,
    area_id: str,
    name: str,
    kind: str,
    codes: list[str],
    programme: str | None,
    period: str | None,
    note: dict[str, Any] | None,
    who: str,
    replace: bool,
    action: str | None,
) -> int:
    if not AREA_ID.fullmatch(area_id):
        raise SourceError(say("err_area_id"))
    if not name.strip():
        raise SourceError(say("err_area_name"))
    if not codes:
        raise SourceError(say("err_area_members"))
    settings = {"members": list(codes), "name": name.strip(), "kind": kind, "programme": programme, "period": period}
    checksum = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()
    taken = source_kind(con, area_id)
    if taken and taken != "app:area":
        raise SourceError(say("err_area_taken", area=area_id))
    geom, members, level = member_area(con, area_id, list(codes), None)
    version = record_save(
        con, "area", area_id, {**settings, "note": note}, who, exists=taken is not None, replace=replace, action=action
    )
    counts = write_area(
        con,
        area_id,
        name=name.strip(),
        kind=kind,
        programme=programme,
        period=period,
        level=level,
        geom=geom,
        members=members,
    )
    provenance = {"saved_from": "dashboard", "members": list(codes), "saved_by": who, "version": version}
    set_source(
        con,
        0,
        area_id,
        "app:area",
        "dashboard",
        checksum,
        counts,
        json.dumps(provenance | (note or {}), ensure_ascii=False),
    )
    return version


def delete_area(db: Store | Path | str, area_id: str, who: str = LOCAL_USER) -> None:
    """Delete an area saved from the dashboard (the workspace's own areas come and go with the workspace); its
    versions stay restorable."""
    with saving(db) as con:
        if source_kind(con, area_id) != "app:area":
            raise SourceError(say("err_no_saved_area", area=area_id))
        con.execute("DELETE FROM area_members WHERE area_id = ?", [area_id])
        con.execute("DELETE FROM areas WHERE id = ?", [area_id])
        con.execute("DELETE FROM sources WHERE source_id = ?", [area_id])
        audit(con, who, "delete", "area", area_id, None)


def restore_area(db: Store | Path | str, area_id: str, number: int, who: str = LOCAL_USER) -> int:
    """Bring back version ``number`` of a saved area (as a new version); returns that version's number."""
    with saving(db) as con:
        saved = version(con, "area", area_id, number).content
        return _save_area(
            con,
            area_id,
            saved["name"],
            saved["kind"],
            saved["members"],
            saved.get("programme"),
            saved.get("period"),
            saved.get("note"),
            who,
            True,
            "restore",
        )
