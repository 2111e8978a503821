"""Loading residents' project proposals: statuses mapped from the source's words, locations in any of the usual
forms, each proposal assigned to the unit that contains it, and the ones not precisely located flagged."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from pyproj.exceptions import CRSError

from etl.codes import resolve_code
from etl.errors import SourceError
from etl.reasons import reason as said
from etl.sources import filters
from etl.sources.crosswalks import Crosswalk
from etl.sources.tables import NotANumber, parse_number, read_source_table
from etl.store.rejects import Rejects
from etl.store.runs import geoarrow_table
from etl.texts import say
from etl.workspace import STATUSES, Source, Workspace
from geodata.io import read_boundaries

GEO_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip")


@dataclass
class _Rows:
    frame: pd.DataFrame  # text cells
    row_numbers: Sequence[int]
    geometry: np.ndarray | None  # EPSG:4326 points for layer sources
    column: Callable[..., str]  # resolves a workspace column reference to a frame column
    too_long: Callable[[int], str | None] = lambda _i: None  # why a row is longer than the header, if it is

    def raw(self, i: int) -> str:
        return json.dumps({k: v for k, v in self.frame.iloc[i].items() if v}, ensure_ascii=False)


def _transformer(src: Source) -> Transformer:
    """x/y in the source's CRS to lon/lat; an unknown CRS is one message naming the source."""
    try:
        return Transformer.from_crs(src.opt("crs"), "EPSG:4326", always_xy=True)
    except CRSError as exc:
        raise SourceError(say("src_bad_crs", source=src.id, crs=repr(src.opt("crs")), error=str(exc))) from None


def _json_records(src: Source) -> pd.DataFrame | None:
    """The records of a JSON file that is not GeoJSON (None for GeoJSON): a list, or the list at ``records``."""
    try:
        doc = json.loads(src.file.read_text("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(say("src_bad_json", file=src.file.name, error=str(exc))) from None
    if isinstance(doc, dict) and doc.get("type") in ("FeatureCollection", "Feature") and not src.opt("records"):
        return None
    found: object = doc
    for step in [p for p in (src.opt("records") or "").split(".") if p]:
        if not isinstance(found, dict) or step not in found:
            keys = ", ".join(map(str, found)) if isinstance(found, dict) else type(found).__name__
            raise SourceError(
                say("src_no_step", file=src.file.name, step=step, records=repr(src.opt("records")), keys=keys)
            )
        found = found[step]
    if not isinstance(found, list) or not all(isinstance(r, dict) for r in found):
        raise SourceError(say("src_json_not_records", file=src.file.name))
    frame = pd.DataFrame([{k: "" if v is None else str(v) for k, v in r.items()} for r in found], dtype=object)
    return frame.fillna("")


def _read(src: Source) -> _Rows:
    if src.file.suffix.lower() == ".json" and (records := _json_records(src)) is not None:

        def field(ref: str, *, what: str) -> str:
            if ref not in records.columns:
                raise SourceError(
                    say("src_no_field", file=src.file.name, field=ref, what=what, fields=", ".join(records.columns))
                )
            return ref

        return _Rows(records, list(range(1, len(records) + 1)), None, field)
    if src.file.suffix.lower() in GEO_SUFFIXES:
        from geodata.projection import to_storage_crs

        gdf = read_boundaries(src.file, layer=src.opt("layer"), encoding=src.opt("encoding"))
        gdf = to_storage_crs(
            gdf, declared_crs=src.opt("crs") if src.opt("location") == "geometry" else None, source_name=src.file.name
        )
        frame = pd.DataFrame(
            {
                c: ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in gdf[c].tolist()]
                for c in gdf.columns
                if c != gdf.geometry.name
            }
        )

        def column(ref: str, *, what: str) -> str:
            if ref not in frame.columns:
                raise SourceError(
                    say("src_no_attribute", file=src.file.name, field=ref, what=what, fields=", ".join(frame.columns))
                )
            return ref

        return _Rows(frame, list(range(1, len(frame) + 1)), np.asarray(gdf.geometry.values), column)
    table, _sep = read_source_table(src)
    return _Rows(table.frame.astype(str), table.row_numbers, None, table.column, table.too_long)


def _assign_level(con: duckdb.DuckDBPyConnection, workspace: Workspace, src: Source) -> str | None:
    if src.opt("level"):
        return src.opt("level")
    present = {r[0] for r in con.execute("SELECT DISTINCT level FROM units").fetchall()}
    finest = [lv.id for lv in sorted(workspace.levels, key=lambda lv: lv.rank, reverse=True) if lv.id in present]
    return finest[0] if finest else None


def load_proposals(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    rejects: Rejects,
    workspace: Workspace,
    *,
    crosswalk: Crosswalk | None = None,
) -> dict[str, int]:
    """Replace the proposals of ``src``. Returns the counts for the run summary."""
    rows = _read(src)
    frame = rows.frame
    keep_rows = filters.kept(frame, src, rows.column)
    city_wide_when = src.opt("city_wide_when")
    city_wide_column = (
        rows.column(city_wide_when.column, what=say("what_key", key="city_wide_when")) if city_wide_when else None
    )
    col = {
        key: rows.column(src.opt(key), what=say("what_key", key=key))
        for key in (
            "id_column",
            "title",
            "description",
            "goal",
            "category",
            "status",
            "cost",
            "votes",
            "edition_column",
            "submitter_type",
            "lon",
            "lat",
            "x",
            "y",
            "wkt",
            "unit_column",
        )
        if src.opt(key)
    }
    status_map = {str(k).strip().lower(): v for k, v in (src.opt("status_map") or {}).items()}
    status_map.update({s: s for s in STATUSES if s not in status_map})
    goals = {g.code for g in workspace.goals}
    location = src.opt("location", "geometry" if rows.geometry is not None else "lonlat")
    decimal = src.opt("decimal", ",")
    level = _assign_level(con, workspace, src)
    units = dict(con.execute("SELECT code, name FROM units").fetchall())
    transformer = _transformer(src) if location == "xy" else None

    def cell(key: str, i: int) -> str:
        return str(frame.at[i, col[key]]).strip() if key in col else ""

    records, seen_ids = [], Counter(cell("id_column", i) for i in range(len(frame)))
    for i in range(len(frame)):
        row_no = rows.row_numbers[i]

        def reject(column: str | None, reason: str, i: int = i, row_no: int = row_no) -> None:
            rejects.add(src.id, src.file.name, row_no, column, reason, rows.raw(i))

        if not keep_rows[i] or all(not str(v).strip() for v in frame.iloc[i].tolist()):
            continue  # filtered out by keep_rows/drop_rows, or blank: skipped
        if too_long := rows.too_long(i):
            reject(None, too_long)
            continue
        pid = cell("id_column", i) or f"{src.id}-{row_no}"
        if "id_column" in col and seen_ids[pid] > 1:
            reject(src.opt("id_column"), said("duplicate_proposal", id=pid))
            continue
        title = cell("title", i)
        if not title:
            reject(src.opt("title"), said("no_title"))
            continue
        word = cell("status", i)
        if "status" not in col:
            status = src.opt("status_value")
        elif not word and src.opt("status_default"):
            status = src.opt("status_default")
        else:
            status = status_map.get(word.lower())
        if status is None:
            reject(src.opt("status"), said("unknown_status", word=word, statuses=", ".join(STATUSES)))
            continue
        goal = cell("goal", i) or None
        if goal and goal not in goals:
            reject(src.opt("goal"), said("unknown_goal", goal=goal))
            continue
        numbers: dict[str, float | None] = {}
        bad = None
        for key in ("cost", "votes"):
            text = cell(key, i)
            if not text:
                numbers[key] = None
                continue
            try:
                number = numbers[key] = parse_number(text, decimal=decimal, dash_is_zero=False)
            except NotANumber as exc:
                bad = (src.opt(key), exc.reason)
                break
            if number < 0:
                bad = (src.opt(key), said(f"negative_{key}", text=text))
                break
        if bad:
            reject(*bad)
            continue
        point, unit_code, kind = None, None, "point"
        try:
            if location == "city_wide" or (
                city_wide_when is not None and city_wide_when.matches(str(frame.at[i, city_wide_column]))
            ):
                kind = "city_wide"
            elif location == "unit":
                kind = "unit"
                named = cell("unit_column", i)
                if crosswalk is not None and named:
                    looked = crosswalk.lookup(named)
                    if looked is None:
                        reject(src.opt("unit_column"), crosswalk.why_not(named))
                        continue
                    named = looked
                unit_code = resolve_code(named, units)
                if unit_code not in units:
                    reject(src.opt("unit_column"), said("unknown_unit_plain", code=unit_code))
                    continue
            elif location == "geometry":
                point = rows.geometry[i] if rows.geometry is not None else None
            elif location == "wkt":
                point = shapely.from_wkt(cell("wkt", i)) if cell("wkt", i) else None
            else:
                keys = ("lon", "lat") if location == "lonlat" else ("x", "y")
                texts = [cell(k, i) for k in keys]
                if all(texts):
                    a, b = (parse_number(t, decimal=decimal, dash_is_zero=False) for t in texts)
                    if transformer:
                        a, b = transformer.transform(a, b)
                    point = shapely.Point(a, b)
        except (NotANumber, shapely.errors.GEOSException) as exc:
            reject(
                src.opt("lon") or src.opt("x") or src.opt("wkt") or "geometry",
                said("bad_location", problem=exc.reason if isinstance(exc, NotANumber) else str(exc)),
            )
            continue
        if kind == "point":
            if point is None or point.is_empty:
                if src.opt("missing_location", "reject") == "city_wide":
                    kind = "city_wide"
                else:
                    reject(
                        src.opt("lon") or src.opt("x") or src.opt("wkt") or "geometry",
                        said("no_location"),
                    )
                    continue
            elif point.geom_type != "Point":
                point = point.representative_point() if point.geom_type != "MultiPoint" else point.geoms[0]
            if point is not None and not (-180 <= point.x <= 180 and -90 <= point.y <= 90):
                reject(src.opt("lon") or "geometry", said("not_lonlat", x=float(point.x), y=float(point.y)))
                continue
        if kind == "city_wide":
            unit_code = src.opt("city_unit")
        records.append(
            {
                "id": pid,
                "title": title,
                "description": cell("description", i) or None,
                "goal_code": goal,
                "category": cell("category", i) or None,
                "status": status,
                "status_source": word,
                "cost_pln": numbers["cost"],
                "votes": None if numbers["votes"] is None else int(numbers["votes"]),
                "edition": cell("edition_column", i) or (str(src.opt("edition")) if src.opt("edition") else None),
                "submitter_type": cell("submitter_type", i) or None,
                "location_kind": kind,
                "point": point if kind == "point" else None,
                "unit_code": unit_code,
            }
        )

    _locate(con, records, level, min_shared=int(src.opt("shared_point_min", 2)))
    other = {
        r[0]: r[1] for r in con.execute("SELECT id, source_id FROM proposals WHERE source_id <> ?", [src.id]).fetchall()
    }
    kept = [r for r in records if r["id"] not in other]
    for r in records:
        if r["id"] in other:
            rejects.add(
                src.id,
                src.file.name,
                None,
                src.opt("id_column"),
                said("proposal_taken", id=r["id"], source=other[r["id"]]),
                r["title"],
            )
    out = pd.DataFrame(
        kept,
        columns=[
            "id",
            "title",
            "description",
            "goal_code",
            "category",
            "status",
            "status_source",
            "cost_pln",
            "votes",
            "edition",
            "submitter_type",
            "location_kind",
            "point",
            "unit_code",
            "precisely_located",
            "location_note",
        ],
    )
    out["wkb"] = [None if p is None else shapely.to_wkb(p) for p in out["point"]]
    out = out.drop(columns="point").astype({"votes": "Int64", "cost_pln": "float64"})
    out["precisely_located"] = out["precisely_located"].astype(bool)
    con.execute("DELETE FROM proposals WHERE source_id = ?", [src.id])
    if len(out):
        con.register("_proposals", geoarrow_table(out))
        con.execute(
            "INSERT INTO proposals SELECT id, title, description, goal_code, category, status, status_source, "
            "cost_pln, votes, edition, submitter_type, location_kind, wkb, unit_code, precisely_located, "
            "location_note, ? FROM _proposals",
            [src.id],
        )
        con.unregister("_proposals")
    return {
        "rows_read": len(frame),
        "rows_loaded": len(out),
        "rows_rejected": rejects.count(src.id),
        "rows_skipped": len(frame) - len(records) - rejects.count(src.id),
    }


def _locate(con: duckdb.DuckDBPyConnection, records: list[dict], level: str | None, *, min_shared: int) -> None:
    """Assign each point to the unit of ``level`` containing it; flag points outside every unit and points
    shared by ``min_shared`` or more proposals (a geocoder's fallback, an osiedle's centre)."""
    for r in records:
        r["precisely_located"], r["location_note"] = r["location_kind"] != "city_wide", None
        if r["location_kind"] == "city_wide":
            r["location_note"] = "city-wide"
    points = [(n, r["point"]) for n, r in enumerate(records) if r["point"] is not None]
    if not points:
        return
    rows = con.execute("SELECT code, geom FROM units WHERE level = ? AND geom IS NOT NULL", [level]).fetchall()
    geoms = np.array([p for _, p in points], dtype=object)
    if rows:
        unit_geoms = shapely.from_wkb([bytes(g) for _, g in rows])
        tree = shapely.STRtree(unit_geoms)
        point_idx, unit_idx = tree.query(geoms, predicate="intersects")
        found = dict(zip(point_idx.tolist(), unit_idx.tolist(), strict=True))
    else:
        found = {}
    keys = Counter((round(p.x, 6), round(p.y, 6)) for _, p in points)
    for k, (n, p) in enumerate(points):
        record = records[n]
        notes = []
        if k in found:
            record["unit_code"] = rows[found[k]][0]
        else:
            notes.append("outside every unit")
        shared = keys[(round(p.x, 6), round(p.y, 6))]
        if shared >= min_shared:
            notes.append(f"shares its point with {shared - 1} other proposal(s)")
        if notes:
            record["precisely_located"] = False
            record["location_note"] = "; ".join(notes)
