"""Values of coarser levels from finer ones, as the catalogue declares: ``aggregate = "sum"`` adds up counts,
``aggregate = "weighted_mean"`` with ``weight = "population"`` averages rates weighted by another indicator, and no
``aggregate`` leaves the indicator where it was loaded (a median, a score: adding up would be wrong).

A parent unit gets a value for a year only when **every** unit under it has one (and, for a weighted mean, a weight):
a sum over part of a powiat would be silently too small. Values loaded from a file win over computed ones; levels
are done fine to coarse, so gminy make powiaty and powiaty make województwa, as GUS BDL does.
"""

from __future__ import annotations

import duckdb

from indicators.errors import CatalogueError
from indicators.sql import scalar
from indicators.translation import say

SOURCE_ID = "aggregated"
KINDS = ("sum", "weighted_mean")


def check_aggregate(kind: object, weight: object, where: str) -> None:
    if kind is None:
        return
    if kind not in KINDS:
        raise CatalogueError(say("err_aggregate_kind", where=where, kinds=", ".join(KINDS), value=repr(kind)))
    if kind == "weighted_mean" and not weight:
        raise CatalogueError(say("err_aggregate_weight", where=where))


def compute_aggregates(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Recompute every declared aggregation, fine levels first; returns the values stored per indicator."""
    con.execute("DELETE FROM observations WHERE source_id = ?", [SOURCE_ID])
    declared = con.execute(
        "SELECT id, aggregate, aggregate_weight FROM indicators WHERE aggregate IS NOT NULL ORDER BY id"
    ).fetchall()
    levels = [lv for (lv,) in con.execute("SELECT level FROM levels ORDER BY rank DESC").fetchall()]
    done: dict[str, int] = {}
    for child_level in levels:  # finest first: what a level gets here feeds the level above it next
        for indicator_id, kind, weight in declared:
            _aggregate_level(con, indicator_id, kind, weight, child_level)
    for indicator_id, _kind, _weight in declared:
        done[indicator_id] = scalar(
            con, "SELECT count(*) FROM observations WHERE indicator_id = ? AND source_id = ?", [indicator_id, SOURCE_ID]
        )
    return done


def _aggregate_level(
    con: duckdb.DuckDBPyConnection, indicator_id: str, kind: str, weight: str | None, child_level: str
) -> None:
    value = "sum(c.value)" if kind == "sum" else "sum(c.value * w.value) / nullif(sum(w.value), 0)"
    weight_join = (
        "LEFT JOIN observations w ON w.unit_code = c.unit_code AND w.year = c.year AND w.indicator_id = $weight"
        if kind == "weighted_mean"
        else ""
    )
    complete = "count(c.value) = k.children" + (" AND count(w.value) = k.children" if kind == "weighted_mean" else "")
    con.execute(
        f"""
        INSERT INTO observations
        WITH kids AS (
            SELECT parent_code, count(*) AS children FROM units
            WHERE level = $child AND parent_code IS NOT NULL GROUP BY parent_code
        )
        SELECT u.parent_code, $indicator, c.year, {value}, NULL, '{SOURCE_ID}'
        FROM units u JOIN kids k ON k.parent_code = u.parent_code
        JOIN observations c ON c.unit_code = u.code AND c.indicator_id = $indicator
        {weight_join}
        WHERE u.level = $child
        GROUP BY u.parent_code, c.year, k.children
        HAVING {complete} AND NOT EXISTS (
            SELECT 1 FROM observations o
            WHERE o.unit_code = u.parent_code AND o.indicator_id = $indicator AND o.year = c.year
        )
        """,
        {"child": child_level, "indicator": indicator_id, **({"weight": weight} if kind == "weighted_mean" else {})},
    )
