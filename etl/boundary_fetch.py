"""Boundaries fetched on the command line (GISCO, PRG) into the store, in one all-or-nothing run.

The connectors download and read their files first; this module then writes every boundary set in one run on a
copy of the store: units (checked, repaired, measured like a workspace's boundaries), their parents by code
prefix, the other identifiers the service gives them, observations the file carries (GISCO's population), and the
display coverage of each level touched. Fetched sources are kept by later ``ldatlas load`` runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import geopandas as gpd
import pandas as pd

from etl import store
from etl.boundaries import display_wkb, level_geometries, load_boundaries, prefix_parents, write_display
from etl.codes import normalise_code
from etl.errors import SourceError
from etl.load import record_source, write_connector_indicator
from etl.rejects import Rejects
from etl.workspace import KNOWN_LEVELS, Source
from indicators.derived import compute_derived

#: How levels nest, coarse to fine, when a fetched level joins the ones the workspace declared.
LEVEL_ORDER = ("country", "nuts1", "voivodeship", "nuts2", "nuts3", "powiat", "lau", "gmina", "urban_unit")
LEVEL_NAMES: dict[str, tuple[str, str]] = {
    **KNOWN_LEVELS,
    "nuts1": ("NUTS 1 (makroregion)", "NUTS 1 (major region)"),
    "nuts2": ("NUTS 2 (region)", "NUTS 2 (region)"),
    "nuts3": ("NUTS 3 (podregion)", "NUTS 3 (small region)"),
    "lau": ("LAU (jednostka lokalna)", "LAU (local administrative unit)"),
}


@dataclass
class BoundarySet:
    """One layer of units to load: the features already read, and how to take codes and names from them."""

    source_id: str
    level: str
    features: gpd.GeoDataFrame
    file: Path                      # where the features came from (named in rejects)
    origin: str                     # the URL or path the user gave
    code: str                       # attribute holding the unit code
    name: str                       # attribute holding the unit name
    code_width: int | None = None   # zero-pad codes to this width (TERYT)
    provenance: dict[str, Any] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)   # scheme -> attribute holding that identifier
    indicators: list[dict[str, Any]] = field(default_factory=list)  # catalogue rows for the values below
    values: list[tuple[str, str, int, float | None, str | None]] = field(default_factory=list)
    # (raw code as in the file, indicator id, year, value, flag)

    def checksum(self) -> str:
        digest = hashlib.sha256(json.dumps(self.provenance, sort_keys=True, default=str).encode())
        digest.update(json.dumps([self.level, self.code, self.name, self.code_width]).encode())
        return digest.hexdigest()


@dataclass
class FetchedBoundaries:
    run_id: int
    sources: list[tuple[str, str, dict[str, int]]]  # (source id, level, counts)

    @property
    def rejected(self) -> int:
        return sum(c["rows_rejected"] for _s, _l, c in self.sources)


def merge_levels(con: duckdb.DuckDBPyConnection, new: list[str],
                 known_names: dict[str, tuple[str, str]] | None = None) -> None:
    """Add levels the store does not know yet, placed by :data:`LEVEL_ORDER` among the existing ones."""
    existing = con.execute("SELECT level, name_pl, name_en FROM levels ORDER BY rank").fetchall()
    names = {lv: (pl, en) for lv, pl, en in existing}
    order = [lv for lv, _pl, _en in existing]
    for level in new:
        if level in order:
            continue
        at = len(order)
        if level in LEVEL_ORDER:
            rank = LEVEL_ORDER.index(level)
            at = 0
            for i, other in enumerate(order):
                if other in LEVEL_ORDER and LEVEL_ORDER.index(other) < rank:
                    at = i + 1
        order.insert(at, level)
        names[level] = (known_names or {}).get(level) or LEVEL_NAMES.get(level, (level, level))
    con.execute("DELETE FROM levels")
    con.executemany("INSERT INTO levels VALUES (?, ?, ?, ?)",
                    [(lv, rank, *names[lv]) for rank, lv in enumerate(order)])


def _write_ids(con: duckdb.DuckDBPyConnection, item: BoundarySet, codes: dict[str, str]) -> None:
    con.execute("DELETE FROM unit_ids WHERE source_id = ?", [item.source_id])
    rows = []
    for scheme, column in item.ids.items():
        for raw, other in zip(item.features[item.code].astype(str), item.features[column].astype(str), strict=True):
            if raw in codes and other and other != "nan":
                rows.append((codes[raw], scheme, other, item.source_id))
    if rows:
        frame = pd.DataFrame(rows, columns=["code", "scheme", "id", "source_id"]).drop_duplicates(["scheme", "id"])
        con.register("_ids", frame)
        con.execute("DELETE FROM unit_ids USING _ids WHERE unit_ids.scheme = _ids.scheme AND unit_ids.id = _ids.id")
        con.execute("INSERT INTO unit_ids SELECT code, scheme, id, source_id FROM _ids")
        con.unregister("_ids")


def _write_values(con: duckdb.DuckDBPyConnection, item: BoundarySet, codes: dict[str, str]) -> None:
    con.execute("DELETE FROM observations WHERE source_id = ?", [item.source_id])
    for indicator in item.indicators:
        write_connector_indicator(con, indicator, item.source_id)
    rows = [(codes[raw], ind, year, value, flag, item.source_id)
            for raw, ind, year, value, flag in item.values if raw in codes]
    if rows:
        frame = pd.DataFrame(rows, columns=["unit_code", "indicator_id", "year", "value", "flag", "source_id"])
        con.register("_values", frame)
        con.execute("DELETE FROM observations USING _values WHERE observations.unit_code = _values.unit_code "
                    "AND observations.indicator_id = _values.indicator_id AND observations.year = _values.year")
        con.execute("INSERT INTO observations SELECT * FROM _values")
        con.unregister("_values")


def write_boundary_sets(db: Path | str, sets: list[BoundarySet], *, kind: str, command: str,
                        on_step: Callable[[str], None] | None = None) -> FetchedBoundaries:
    """Load every set into the store at ``db`` (created if missing) in one run: all of them or none."""
    step = on_step or (lambda _m: None)
    with store.writing(Path(db)) as con:
        run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()[0]
        con.execute("INSERT INTO runs VALUES (?, now(), NULL, ?, 'running')", [run_id, command])
        rejects = Rejects(run_id)
        merge_levels(con, [s.level for s in sets])
        ranks = dict(con.execute("SELECT level, rank FROM levels").fetchall())
        summary = FetchedBoundaries(run_id, [])
        for item in sets:
            step(f"{item.level}: {len(item.features):,} units from {item.file.name}")
            src = Source(item.source_id, "boundaries", item.file,
                         {"level": item.level, "code": item.code, "name": item.name,
                          "code_width": item.code_width or 0})
            counts = load_boundaries(con, src, rejects, features=item.features)
            if not counts["rows_loaded"]:
                reasons = sorted({r[5] for r in rejects.rows if r[1] == item.source_id})
                raise SourceError(f"No {item.level} unit of {item.file.name} could be loaded ("
                                  f"{'; '.join(reasons[:3]) or 'no features'}). The store was not changed.")
            stored = {c for (c,) in con.execute("SELECT code FROM units WHERE source_id = ?",
                                                [item.source_id]).fetchall()}
            codes = {}
            for raw in item.features[item.code].astype(str):
                code = normalise_code(raw, width=item.code_width)
                if code in stored:
                    codes[raw] = code
            _write_ids(con, item, codes)
            _write_values(con, item, codes)
            record_source(con, run_id, item.source_id, kind, item.origin, item.checksum(), counts,
                          json.dumps(item.provenance, ensure_ascii=False, default=str))
            summary.sources.append((item.source_id, item.level, counts))
        step("parents and display geometry")
        # every fetched layer, not only these: a coarser level fetched now is the parent of finer ones fetched before
        all_units = con.execute("SELECT code, level FROM units").fetchall()
        for source_id, level in con.execute(
                "SELECT DISTINCT source_id, level FROM units WHERE source_id IN "
                "(SELECT source_id FROM sources WHERE kind IN ('fetch:gisco', 'fetch:prg'))").fetchall():
            prefix_parents(con, source_id, level, ranks, all_units)
        for level in sorted({s.level for s in sets}):
            codes_, geoms = level_geometries(con, level)
            write_display(con, level, codes_, display_wkb(geoms))
        compute_derived(con)  # derived indicators may take the fetched values (GISCO population) as inputs
        rejects.write(con, [s.source_id for s in sets])
        con.execute("UPDATE runs SET finished_at = now(), status = 'ok' WHERE run_id = ?", [run_id])
    return summary
