"""Derived indicators: declared in the catalogue, computed in SQL in DuckDB from the observations.

Kinds: ``per_1000`` / ``per_10000`` / ``per_100000`` (of ÷ per × 1,000 …), ``share`` (of ÷ per × 100, in %),
``ratio`` (of ÷ per), ``change`` (of this year − of ``years`` earlier) and ``change_pct`` (the same in % of the
earlier value). A derived value carries the flags of its inputs (e.g. ``preliminary``); where an input is missing
or the denominator is 0 it is stored without a number and flagged ``not_computable``, never as 0. Values loaded
from a file for the same unit, indicator and year win over computed ones.
"""

from __future__ import annotations

import json
import math

import duckdb

from indicators.errors import CatalogueError, ImplausibleError
from indicators.sql import scalar
from indicators.translation import say
from indicators.units import unit_bounds

SOURCE_ID = "derived"
FACTORS = {"per_1000": 1_000.0, "per_10000": 10_000.0, "per_100000": 100_000.0, "share": 100.0, "ratio": 1.0}
KINDS = (*FACTORS, "change", "change_pct")


def check_derivation(raw: object, where: str) -> dict:
    """The derivation of a workspace entry, checked (``derived = { kind = "per_1000", of = "a", per = "b" }``)."""
    if not isinstance(raw, dict):
        raise CatalogueError(say("err_derived_table", where=where))
    kind = raw.get("kind")
    if kind not in KINDS:
        raise CatalogueError(say("err_derived_kind", where=where, kinds=", ".join(KINDS), value=repr(kind)))
    needed = ("of", "per") if kind in FACTORS else ("of", "years")
    missing = [k for k in needed if not raw.get(k)]
    if missing:
        raise CatalogueError(say("err_derived_needs", where=where, kind=kind, keys=", ".join(f"`{k}`" for k in needed)))
    if kind not in FACTORS and not (isinstance(raw["years"], int) and raw["years"] > 0):
        raise CatalogueError(say("err_derived_years", where=where))
    return {k: raw[k] for k in ("kind", *needed)}


_FLAGS = (
    "CASE WHEN a.flag IS NULL THEN b.flag WHEN b.flag IS NULL OR b.flag = a.flag THEN a.flag "
    "ELSE a.flag || ',' || b.flag END"
)


def _sql(indicator_id: str, d: dict) -> tuple[str, list]:
    if d["kind"] in FACTORS:
        value = (
            f"CASE WHEN b.value IS NULL OR b.value = 0 OR a.value IS NULL THEN NULL "
            f"ELSE a.value / b.value * {FACTORS[d['kind']]} END"
        )
        join = "b.unit_code = a.unit_code AND b.year = a.year AND b.indicator_id = ?"
        params = [d["per"]]
    else:
        change = "a.value - b.value" if d["kind"] == "change" else "(a.value / b.value - 1) * 100"
        guard = "b.value IS NULL OR a.value IS NULL" + (" OR b.value = 0" if d["kind"] == "change_pct" else "")
        value = f"CASE WHEN {guard} THEN NULL ELSE {change} END"
        join = "b.unit_code = a.unit_code AND b.year = a.year - ? AND b.indicator_id = a.indicator_id"
        params = [int(d["years"])]
    sql = (
        f"INSERT INTO observations SELECT a.unit_code, ?, a.year, {value}, "
        f"CASE WHEN ({value}) IS NULL THEN 'not_computable' ELSE {_FLAGS} END, '{SOURCE_ID}' "
        f"FROM observations a JOIN observations b ON {join} WHERE a.indicator_id = ? "
        "AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.unit_code = a.unit_code AND o.indicator_id = ? "
        "AND o.year = a.year)"
    )
    return sql, [indicator_id, *params, d["of"], indicator_id]


def compute_derived(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Recompute every derived indicator of the catalogue (inputs first); returns the values stored per indicator."""
    declared = {
        i: json.loads(d)
        for i, d in con.execute("SELECT id, derivation FROM indicators WHERE derivation IS NOT NULL").fetchall()
    }
    con.execute("DELETE FROM observations WHERE source_id = ?", [SOURCE_ID])
    done: dict[str, int] = {}
    pending = dict(declared)
    while pending:
        ready = [i for i, d in pending.items() if all(dep not in pending for dep in (d.get("of"), d.get("per")) if dep)]
        if not ready:
            raise CatalogueError(say("err_derived_circle", indicators=", ".join(sorted(pending))))
        for indicator_id in sorted(ready):
            sql, params = _sql(indicator_id, pending.pop(indicator_id))
            con.execute(sql, params)
            _check_plausible(con, indicator_id, declared[indicator_id])
            done[indicator_id] = scalar(
                con,
                "SELECT count(*) FROM observations WHERE indicator_id = ? AND source_id = ?",
                [indicator_id, SOURCE_ID],
            )
    return done


def _check_plausible(con: duckdb.DuckDBPyConnection, indicator_id: str, derivation: dict) -> None:
    """A derived value its unit makes impossible (a share of 10²⁶ %) means an input is wrong: an error, never stored."""
    row = con.execute("SELECT unit, min_value, max_value FROM indicators WHERE id = ?", [indicator_id]).fetchone()
    if row is None:
        return
    low, high = unit_bounds(row[0] or "", row[1], row[2])
    if low == -math.inf and high == math.inf:
        return
    bad = con.execute(
        "SELECT unit_code, year, value, count(*) OVER () FROM observations WHERE indicator_id = ? AND source_id = ? "
        "AND (value < ? OR value > ?) ORDER BY abs(value) DESC LIMIT 3",
        [indicator_id, SOURCE_ID, low, high],
    ).fetchall()
    if not bad:
        return
    inputs = ", ".join(f"'{derivation[k]}'" for k in ("of", "per") if derivation.get(k))
    examples = [say("err_example", value=float(value), code=code, year=year) for code, year, value, _n in bad]
    raise ImplausibleError(
        say(
            "err_derived_impossible",
            indicator=indicator_id,
            unit=row[0],
            n=int(bad[0][3]),
            low=float(low),
            high=float(high),
            examples=examples,
            inputs=inputs,
        )
    )
