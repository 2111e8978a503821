"""Loading a boundary source into the store: read, check, reproject, repair, measure, assign parents."""

from __future__ import annotations

import json
from collections.abc import Callable

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from etl.codes import TERYT_WIDTH, normalise_codes
from etl.errors import SourceError
from etl.reasons import reason as said
from etl.sources import filters
from etl.sources.crosswalks import Crosswalk
from etl.sources.staging import STAGED, Staged, stage, staged_areas_km2
from etl.store.connection import scalar
from etl.store.rejects import Rejects
from etl.store.runs import geoarrow_table
from etl.store.tiles import write_tiles
from etl.texts import say
from etl.workspace import Source, Workspace, code_width
from geodata.io import Features, read_features
from geodata.joins import containing_parent


def _raw(props: pd.Series) -> str:
    return json.dumps({k: (None if pd.isna(v) else str(v)) for k, v in props.items()}, ensure_ascii=False)


def read_source(src: Source) -> Features:
    """The features of a boundary source, as the workspace describes the file (geometries as WKB)."""
    return read_features(
        src.file,
        layer=src.opt("layer"),
        layer_file=src.opt("file"),
        encoding=src.opt("encoding"),
        where=src.opt("where"),
    )


def load_boundaries(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    rejects: Rejects,
    *,
    on_geometries: Callable[[list[str], list[bytes]], None] | None = None,
    features: Features | gpd.GeoDataFrame | None = None,
    crosswalk: Crosswalk | None = None,
) -> dict[str, int]:
    """Replace the units of ``src`` in the store. Returns the row counts for the run summary.

    ``on_geometries`` receives the codes and stored geometries (WKB, EPSG:4326), in code order, once stored, so the
    caller can start the display simplification while the rest of the load goes on. ``features`` are the file's
    features when the caller has already read them (see :func:`read_source`; a connector passes a GeoDataFrame).
    The geometries are checked, reprojected and measured as :mod:`etl.sources.staging` says (by size).
    """
    if features is None:
        features = read_source(src)
    elif isinstance(features, gpd.GeoDataFrame):
        features = Features.of(features)
    attributes = features.attributes
    columns = list(attributes.columns)

    def attribute(ref: str, *, what: str) -> str:
        if ref not in columns:
            raise SourceError(
                say("src_no_attribute", file=src.file.name, field=ref, what=what, fields=", ".join(map(str, columns)))
            )
        return ref

    for option in ("code", "name"):
        attribute(src.opt(option), what=say("what_key", key=option))
    read = len(attributes)
    keep_rows = filters.kept(attributes, src, attribute)
    attributes = attributes[keep_rows].reset_index(drop=True)  # filtered out by keep_rows/drop_rows: skipped
    try:
        staged = stage(
            con,
            Features(attributes, features.wkb.filter(pa.array(keep_rows)), features.crs),
            declared_crs=src.opt("crs"),
            source_name=src.file.name,
        )
        return _load_staged(con, src, rejects, attributes, staged, read, on_geometries, crosswalk)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {STAGED}")


def _load_staged(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    rejects: Rejects,
    attributes: pd.DataFrame,
    staged: Staged,
    read: int,
    on_geometries: Callable[[list[str], list[bytes]], None] | None,
    crosswalk: Crosswalk | None,
) -> dict[str, int]:
    width = code_width(src)
    prefix = src.opt("code_prefix", "")
    level = src.opt("level")
    teryt_level = level if width and not prefix and width == TERYT_WIDTH.get(level) else None
    raw_codes = attributes[src.opt("code")].tolist()
    unmatched: dict[int, str] = {}
    if crosswalk is not None:
        looked = [crosswalk.lookup(v) for v in raw_codes]
        unmatched = {i: crosswalk.why_not(v) for i, (v, c) in enumerate(zip(raw_codes, looked, strict=True)) if not c}
        raw_codes = [c or "" for c in looked]
    codes = normalise_codes(raw_codes, width=width, level=teryt_level)
    codes = [f"{prefix}{c}" if c else "" for c in codes]
    named = attributes[src.opt("name")].astype(object)
    names = named.where(named.notna(), "").astype(str).str.strip().tolist()

    others = dict(con.execute("SELECT code, source_id FROM units WHERE source_id <> ?", [src.id]).fetchall())
    keep = np.ones(len(attributes), dtype=bool)
    # the features that may be refused, found at once; each is then given its first reason
    code_series = pd.Series(codes, dtype=object)
    blank = (code_series == "").to_numpy()
    repeated = code_series.duplicated(keep=False).to_numpy() & ~blank
    features_of: dict[str, list[str]] = {}  # a repeated code: the features (1-based) that carry it
    for j in np.flatnonzero(repeated).tolist():
        features_of.setdefault(codes[j], []).append(str(j + 1))
    doubtful = (
        blank
        | repeated
        | code_series.isin(list(others)).to_numpy()
        | (np.array(names, dtype=object) == "")
        | staged.missing
    )
    doubtful[list(unmatched)] = True
    columns = list(attributes.columns)
    for i in np.flatnonzero(doubtful).tolist():
        code = codes[i]
        reason, column = None, src.opt("code")
        if i in unmatched:
            reason = unmatched[i]
        elif not code:
            reason = said("no_code")
        elif code in features_of:
            reason = said("duplicate_code", code=code, features=", ".join(features_of[code]))
        elif code in others:
            reason = said("code_taken", code=code, source=others[code])
        elif not names[i]:
            reason, column = said("no_name"), src.opt("name")
        elif staged.missing[i]:
            reason, column = said("empty_geometry"), "geometry"
        if reason:
            keep[i] = False
            rejects.add(src.id, src.file.name, i + 1, column, reason, _raw(attributes.iloc[i][columns]))
    rows = np.flatnonzero(keep)
    kept_codes = [codes[i] for i in rows.tolist()]
    frame = pa.table(  # Arrow, not pandas: DuckDB reads it without Python's lock (the display job may hold it)
        {
            "i": rows.astype(np.int64),
            "code": pa.array(kept_codes, pa.string()),
            "name": pa.array([names[i] for i in rows.tolist()], pa.string()),
            "area_km2": staged_areas_km2(con, staged, rows),
        }
    )
    con.register("_new_units", frame)
    try:
        con.execute("DELETE FROM units WHERE source_id = ?", [src.id])
        con.execute(
            "INSERT INTO units (code, name, level, parent_code, area_km2, geom, source_id) "
            f"SELECT k.code, k.name, ?, NULL, k.area_km2, s.g, ? FROM _new_units k JOIN {STAGED} s USING (i) "
            "ORDER BY k.i",
            [level, src.id],
        )
        if on_geometries is not None:  # last: its shapely work would make each statement above wait for the lock
            stored = con.execute(
                "SELECT code, geom FROM units WHERE source_id = ? ORDER BY code", [src.id]
            ).to_arrow_table()
            on_geometries(stored.column("code").to_pylist(), stored.column("geom").to_pylist())
    finally:
        con.unregister("_new_units")
    return {
        "rows_read": read,
        "rows_loaded": int(keep.sum()),
        "rows_rejected": int((~keep).sum()),
        "rows_skipped": read - len(attributes),
    }


def assign_parents(con: duckdb.DuckDBPyConnection, workspace: Workspace) -> None:
    """Set ``parent_code`` for the units of every boundary source, following its ``parent`` rule.

    ``teryt``: the longest code prefix that is a unit of a coarser level (gmina 0201011 → powiat 0201).
    ``contains``: the unit of ``parent_level`` holding most of the unit's area. A code: that unit.
    """
    ranks = {lv.id: lv.rank for lv in workspace.levels}
    all_units = None  # every unit's code and level, fetched once when a source's rule needs them
    for src in workspace.sources:
        if src.kind != "boundaries":
            continue
        rule = src.opt("parent", "none")
        level = src.opt("level")
        if rule == "none":
            con.execute("UPDATE units SET parent_code = NULL WHERE source_id = ? AND parent_code IS NOT NULL", [src.id])
        elif rule == "teryt":
            if all_units is None:
                all_units = con.execute("SELECT code, level FROM units").fetchall()
            prefix_parents(con, src.id, level, ranks, all_units)
        elif rule == "contains":
            parent_level = src.opt("parent_level")
            parents_rows = con.execute(
                "SELECT code, geom FROM units WHERE level = ? AND geom IS NOT NULL", [parent_level]
            ).fetchall()
            child_rows = con.execute("SELECT code, geom FROM units WHERE source_id = ?", [src.id]).fetchall()
            if not child_rows:
                continue
            if not parents_rows:
                raise SourceError(say("src_no_parent_units", source=src.id, level=parent_level))
            parent_geoms = shapely.from_wkb([bytes(g) for _, g in parents_rows])
            child_geoms = shapely.from_wkb([bytes(g) for _, g in child_rows])
            found = containing_parent(child_geoms, parent_geoms, [c for c, _ in parents_rows])
            _set_parents(con, [(c, p) for (c, _), p in zip(child_rows, found, strict=True)])
        else:
            exists = scalar(con, "SELECT count(*) FROM units WHERE code = ?", [rule])
            if not exists:
                raise SourceError(say("src_no_parent", source=src.id, parent=rule))
            con.execute("UPDATE units SET parent_code = ? WHERE source_id = ?", [rule, src.id])


def prefix_parents(
    con: duckdb.DuckDBPyConnection,
    source_id: str,
    level: str,
    ranks: dict[str, int],
    all_units: list[tuple[str, str]] | None = None,
) -> None:
    """Parent = the longest code prefix that is a unit of a coarser level (TERYT 0201011 → 0201, NUTS PL213 → PL21)."""
    if all_units is None:
        all_units = con.execute("SELECT code, level FROM units").fetchall()
    coarser = {code for code, lv in all_units if ranks.get(lv, 99) < ranks[level]}
    lengths = sorted({len(c) for c in coarser}, reverse=True)
    rows = con.execute("SELECT code FROM units WHERE source_id = ?", [source_id]).fetchall()
    parents = []
    for (code,) in rows:
        parent = next((code[:n] for n in lengths if n < len(code) and code[:n] in coarser), None)
        if parent:
            parents.append((code, parent))
    con.execute("UPDATE units SET parent_code = NULL WHERE source_id = ? AND parent_code IS NOT NULL", [source_id])
    _set_parents(con, parents)


def _set_parents(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str | None]]) -> None:
    if not pairs:
        return
    frame = pd.DataFrame(pairs, columns=["code", "parent"], dtype=object)
    con.register("_parents", frame)
    con.execute("UPDATE units SET parent_code = _parents.parent FROM _parents WHERE units.code = _parents.code")
    con.unregister("_parents")


def source_levels(con: duckdb.DuckDBPyConnection, source_id: str) -> set[str]:
    """The levels of the units a source has in the store (a reload whose level changed leaves these)."""
    return {r[0] for r in con.execute("SELECT DISTINCT level FROM units WHERE source_id = ?", [source_id]).fetchall()}


def level_geometries(con: duckdb.DuckDBPyConnection, level: str) -> tuple[list[str], list[bytes]]:
    """Codes and geometries (WKB) of every unit of a level (for its display coverage, see
    :func:`geodata.simplify.display_wkb`)."""
    rows = con.execute(
        "SELECT code, geom FROM units WHERE level = ? AND geom IS NOT NULL ORDER BY code", [level]
    ).fetchall()
    return [c for c, _ in rows], [bytes(g) for _, g in rows]


def write_display(con: duckdb.DuckDBPyConnection, level: str, codes: list[str], display_wkb: list[bytes]) -> None:
    """Replace the display geometry (as WKB) of one level, and its vector tiles when it is large (see
    :mod:`etl.store.tiles`)."""
    con.execute("DELETE FROM unit_display WHERE level = ?", [level])
    if codes:
        frame = pa.table({"code": pa.array(codes, pa.string()), "wkb": pa.array(display_wkb, pa.binary())})
        con.register("_display", geoarrow_table(frame))  # Arrow: read by DuckDB without Python's lock
        con.execute("INSERT INTO unit_display SELECT code, ?, wkb FROM _display", [level])
        con.unregister("_display")
    write_tiles(con, level, len(codes))
