"""Programme areas: a list of member units, or a polygon whose members are the units it covers."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import shapely

from etl.boundaries import geoarrow_table
from etl.codes import resolve_code
from etl.errors import SourceError
from etl.workspace import Source
from geodata.io import read_boundaries
from geodata.projection import to_storage_crs

#: Units covered by less than this share of their area are not members of a polygon area.
MIN_SHARE = 0.01


def load_area(con: duckdb.DuckDBPyConnection, src: Source) -> dict[str, int]:
    """Replace one programme area and its members."""
    if src.opt("members"):
        known = {r[0] for r in con.execute("SELECT code FROM units").fetchall()}
        codes = [resolve_code(raw, known) for raw in src.opt("members")]
        found = dict(con.execute(
            "SELECT code, geom FROM units WHERE list_contains(?, code)", [codes]).fetchall())
        missing = [c for c in codes if c not in found]
        if missing:
            raise SourceError(f"Area '{src.id}' lists units that are not in the store: {', '.join(missing)}")
        levels = {r[0] for r in con.execute("SELECT DISTINCT level FROM units WHERE list_contains(?, code)",
                                            [codes]).fetchall()}
        members = pd.DataFrame({"unit_code": codes, "share": 1.0})
        geom = shapely.union_all(shapely.from_wkb([bytes(found[c]) for c in codes]))
        level = src.opt("level") or (levels.pop() if len(levels) == 1 else None)
    else:
        gdf = to_storage_crs(read_boundaries(src.path, layer=src.opt("layer")), declared_crs=src.opt("crs"),
                             source_name=src.path.name)
        geom = shapely.make_valid(shapely.union_all(gdf.geometry.values))
        level = src.opt("level")
        rows = con.execute("SELECT code, geom FROM units WHERE level = ? AND geom IS NOT NULL", [level]).fetchall()
        if not rows:
            raise SourceError(f"Area '{src.id}' is made of level '{level}', but the store has no such units.")
        unit_geoms = shapely.from_wkb([bytes(g) for _, g in rows])
        from geodata.projection import equal_area

        unit_ea, area_ea = equal_area(unit_geoms), equal_area(np.array([geom], dtype=object))[0]
        shares = shapely.area(shapely.intersection(unit_ea, area_ea)) / shapely.area(unit_ea)
        members = pd.DataFrame({"unit_code": [c for c, _ in rows], "share": np.clip(shares, 0, 1)})
        members = members[members["share"] >= MIN_SHARE]
        if members.empty:
            raise SourceError(f"Area '{src.id}' ({src.path.name}) covers no unit of level '{level}'.")
    con.execute("DELETE FROM area_members WHERE area_id = ?", [src.id])
    con.execute("DELETE FROM areas WHERE id = ?", [src.id])
    frame = pd.DataFrame([{"id": src.id, "name": src.opt("name"), "kind": src.opt("kind"),
                           "programme": src.opt("programme"), "period": src.opt("period"), "level": level,
                           "wkb": shapely.to_wkb(geom)}])
    con.register("_area", geoarrow_table(frame))
    con.execute("INSERT INTO areas SELECT id, name, kind, programme, period, level, wkb, ? FROM _area", [src.id])
    con.unregister("_area")
    members = members.assign(area_id=src.id)[["area_id", "unit_code", "share"]]
    con.register("_members", members)
    con.execute("INSERT INTO area_members SELECT * FROM _members")
    con.unregister("_members")
    return {"rows_read": len(members), "rows_loaded": len(members), "rows_rejected": 0, "rows_skipped": 0}


def save_area(db, area_id: str, name: str, kind: str, codes: list[str], *, programme: str | None = None,
              period: str | None = None, note: dict | None = None) -> None:
    """Save a programme area drawn in the dashboard (LSR coverage, revitalisation area, ...) into the store.

    Written like any load: on a copy swapped in when done. Kept by later ``ldatlas load`` runs (kind ``app:area``);
    saving again under the same id replaces it.
    """
    import json
    import re
    from pathlib import Path

    from etl import store
    from etl.load import record_source

    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,60}", area_id):
        raise SourceError("An area id is lower-case letters, digits, '-' and '_' (e.g. lsr-2027).")
    if not name.strip():
        raise SourceError("Give the area a name.")
    if not codes:
        raise SourceError("Choose at least one member unit.")
    src = Source(area_id, "area", None, {"members": list(codes), "name": name.strip(), "kind": kind,
                                        "programme": programme, "period": period})
    with store.writing(Path(db)) as con:
        taken = con.execute("SELECT kind FROM sources WHERE source_id = ?", [area_id]).fetchone()
        if taken and taken[0] != "app:area":
            raise SourceError(f"'{area_id}' is already a source of the workspace; choose another id.")
        run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()[0]
        con.execute("INSERT INTO runs VALUES (?, now(), now(), ?, 'ok')", [run_id, "dashboard: save area"])
        counts = load_area(con, src)
        record_source(con, run_id, area_id, "app:area", "dashboard", src.checksum(), counts,
                      json.dumps({"saved_from": "dashboard", "members": list(codes), **(note or {})},
                                 ensure_ascii=False))
