"""Boundaries fetched on the command line (GISCO, PRG) into the store, in one all-or-nothing run.

The connectors download and read their files first; this module then writes every boundary set in one run on a
copy of the store: units (checked, repaired, measured like a workspace's boundaries), their parents by code
prefix, the other identifiers the service gives them, observations the file carries (GISCO's population), and the
display coverage of each level touched. Fetched sources are kept by later ``ldatlas load`` runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl import store
from etl.codes import normalise_code
from etl.connectors import gisco, prg
from etl.connectors.boundary_set import BoundarySet
from etl.errors import SourceError
from etl.sources.boundaries import (
    level_geometries,
    load_boundaries,
    prefix_parents,
    source_levels,
    write_display,
)
from etl.store.levels import merge_levels
from etl.store.runs import run, write_connector_indicator
from etl.texts import say
from etl.workspace import Source
from geodata.simplify import display_wkb
from indicators.derived import compute_derived


@dataclass
class FetchedBoundaries:
    run_id: int
    sources: list[tuple[str, str, dict[str, int]]]  # (source id, level, counts)

    @property
    def rejected(self) -> int:
        return sum(c["rows_rejected"] for _s, _l, c in self.sources)


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
    rows = [
        (codes[raw], ind, year, value, flag, item.source_id)
        for raw, ind, year, value, flag in item.values
        if raw in codes
    ]
    if rows:
        frame = pd.DataFrame(rows, columns=["unit_code", "indicator_id", "year", "value", "flag", "source_id"])
        con.register("_values", frame)
        con.execute(
            "DELETE FROM observations USING _values WHERE observations.unit_code = _values.unit_code "
            "AND observations.indicator_id = _values.indicator_id AND observations.year = _values.year"
        )
        con.execute("INSERT INTO observations SELECT * FROM _values")
        con.unregister("_values")


def write_boundary_sets(
    db: store.Store | Path | str,
    sets: list[BoundarySet],
    *,
    kind: str,
    command: str,
    on_step: Callable[[str], None] | None = None,
) -> FetchedBoundaries:
    """Load every set into the store at ``db`` (created if missing) in one run: all of them or none."""
    step = on_step or (lambda _m: None)
    with store.writing(db) as con, run(con, command) as current:
        run_id, rejects = current.run_id, current.rejects
        merge_levels(con, [s.level for s in sets])
        ranks = dict(con.execute("SELECT level, rank FROM levels").fetchall())
        summary = FetchedBoundaries(run_id, [])
        # the levels these sources had: a set fetched to another level takes its former level's display along
        levels = {s.level for s in sets} | {level for s in sets for level in source_levels(con, s.source_id)}
        for item in sets:
            step(say("step_fetched_units", level=item.level, n=len(item.features), file=item.file.name))
            src = Source(
                item.source_id,
                "boundaries",
                item.file,
                {"level": item.level, "code": item.code, "name": item.name, "code_width": item.code_width or 0},
            )
            counts = load_boundaries(con, src, rejects, features=item.features)
            if not counts["rows_loaded"]:
                reasons = sorted({r[5] for r in rejects.rows if r[1] == item.source_id})
                raise SourceError(
                    say("src_fetched_none", level=item.level, file=item.file.name, reasons=reasons[:3] or "—")
                )
            stored = {
                c for (c,) in con.execute("SELECT code FROM units WHERE source_id = ?", [item.source_id]).fetchall()
            }
            codes = {}
            for raw in item.features[item.code].astype(str):
                code = normalise_code(raw, width=item.code_width)
                if code in stored:
                    codes[raw] = code
            _write_ids(con, item, codes)
            _write_values(con, item, codes)
            current.record(
                item.source_id,
                kind,
                item.origin,
                item.checksum(),
                counts,
                json.dumps(item.provenance, ensure_ascii=False, default=str),
            )
            summary.sources.append((item.source_id, item.level, counts))
        step(say("step_parents_display"))
        # every fetched layer, not only these: a coarser level fetched now is the parent of finer ones fetched before
        all_units = con.execute("SELECT code, level FROM units").fetchall()
        for source_id, level in con.execute(
            "SELECT DISTINCT source_id, level FROM units WHERE source_id IN "
            "(SELECT source_id FROM sources WHERE kind IN ('fetch:gisco', 'fetch:prg'))"
        ).fetchall():
            prefix_parents(con, source_id, level, ranks, all_units)
        for level in sorted(levels):
            codes_, geoms = level_geometries(con, level)
            write_display(con, level, codes_, display_wkb(geoms))
        compute_derived(con)  # derived indicators may take the fetched values (GISCO population) as inputs
        rejects.write(con, [s.source_id for s in sets])
    return summary


def fetch_gisco(
    db: store.Store | Path | str,
    request: gisco.GiscoRequest,
    *,
    on_step: Callable[[str], None] | None = None,
    **download: Any,
) -> FetchedBoundaries:
    """``ldatlas fetch gisco``: download (or reuse) the GISCO file, then load each country's units in one run.

    ``download``: the keyword options of :func:`etl.connectors.gisco.gisco_sets` (base_url, cache_dir, refresh, …).
    """
    step = on_step or (lambda _m: None)
    sets = gisco.gisco_sets(request, on_step=step, **download)
    return write_boundary_sets(db, sets, kind="fetch:gisco", command="ldatlas fetch gisco", on_step=step)


def fetch_prg(
    db: store.Store | Path | str,
    source: str = prg.DEFAULT_URL,
    *,
    on_step: Callable[[str], None] | None = None,
    **download: Any,
) -> FetchedBoundaries:
    """``ldatlas fetch prg``: the PRG zip (path or URL) into the store, all levels in one run.

    ``download``: the keyword options of :func:`etl.connectors.prg.prg_sets` (levels, cache_dir, refresh, …).
    """
    step = on_step or (lambda _m: None)
    sets = prg.prg_sets(source, on_step=step, **download)
    return write_boundary_sets(db, sets, kind="fetch:prg", command="ldatlas fetch prg", on_step=step)
