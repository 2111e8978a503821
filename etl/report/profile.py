"""What a unit's development profile says, gathered from the store with the Compare page's own functions
(:mod:`indicators.composite`), so the document and the page show the same figures for the same settings."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from etl.errors import SourceError
from etl.texts import say
from indicators.composite import IndexSpec, comparison_table, composite_index, group_members, level_and_change


@dataclass
class Strength:
    indicator: str
    contribution: float  # (unit's normalised value - group's mean normalised value) x weight
    value: float | None
    group_average: float | None
    rank: int | None
    of: int


@dataclass
class Profile:
    unit: str
    name: str
    level: str
    parent: str | None
    group: str
    members: list[str]
    names: dict[str, str]
    year: int
    span: int
    spec: IndexSpec
    scores: pd.DataFrame  # the index over the group and the unit: code, domains, overall, rank, ...
    scores_before: pd.DataFrame  # the same ``span`` years earlier (empty without an earlier year)
    domains: list[str]
    placed: pd.DataFrame  # level and change: code, score, score_before, change, quadrant
    table: pd.DataFrame  # comparison_table for the unit against the group
    catalogue: pd.DataFrame  # id -> name_pl/name_en/name_lt, unit, domain, direction, source, licence
    series: pd.DataFrame  # indicator_id, year, value: the unit's values over the years
    treated: pd.DataFrame = field(default_factory=pd.DataFrame)  # values the outlier rule changed
    strengths: list[Strength] = field(default_factory=list)
    weaknesses: list[Strength] = field(default_factory=list)
    areas: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, "whole" | "part")
    proposals: pd.DataFrame | None = None
    population: float | None = None
    population_year: int | None = None
    meta: dict[str, str] = field(default_factory=dict)
    sources: pd.DataFrame | None = None

    @property
    def scope(self) -> list[str]:
        return list(dict.fromkeys([*self.members, self.unit]))

    @property
    def in_group(self) -> bool:
        return self.unit in self.members

    def score_of(self, column: str = "overall", *, before: bool = False) -> tuple[float | None, int | None, int]:
        """The unit's score in ``column`` (a domain or overall), its rank among the scored units, and their number
        (ranks as the Compare page gives them: 1 = best); ``before``: ``span`` years earlier."""
        frame = self.scores_before if before else self.scores
        if column not in frame.columns or self.unit not in set(frame["code"]):
            return None, None, 0
        scored = frame.dropna(subset=[column])
        row = frame.set_index("code").loc[self.unit]
        value = row[column]
        if pd.isna(value):
            return None, None, len(scored)
        rank = int((scored[column] > value).sum()) + 1
        return float(value), rank, len(scored)


def quartile(rank: int | None, of: int) -> int | None:
    """1 = the best quarter of the group, 4 = the worst."""
    if rank is None or not of:
        return None
    return min(4, max(1, math.ceil(4 * rank / of)))


def _latest_year(con: duckdb.DuckDBPyConnection, codes: list[str]) -> int:
    row = con.execute(
        "SELECT max(year) FROM observations WHERE unit_code IN (SELECT unnest(?::VARCHAR[])) AND value IS NOT NULL",
        [codes],
    ).fetchone()
    if row is None or row[0] is None:
        raise SourceError(say("rep_no_values"))
    return int(row[0])


def build_profile(
    con: duckdb.DuckDBPyConnection,
    unit: str,
    *,
    group: str | None = None,
    year: int | None = None,
    span: int = 5,
    spec: IndexSpec | None = None,
) -> Profile:
    """The profile of ``unit`` against ``group`` (a Compare group: ``all``, ``saved:ID``, ``area:ID``, ...)."""
    spec = spec or IndexSpec()
    found = con.execute("SELECT name, level, parent_code FROM units WHERE code = ?", [unit]).fetchone()
    if found is None:
        raise SourceError(say("rep_no_unit", code=unit))
    name, level, parent_code = found
    members = group_members(con, level, group or "all", year=year)
    scope = list(dict.fromkeys([*members, unit]))
    year = year or _latest_year(con, scope)
    years = {int(y) for (y,) in con.execute("SELECT DISTINCT year FROM observations").fetchall()}
    span = next((s for s in (span, 5, 3, 1) if year - s in years), 0)
    index = composite_index(con, scope, year, spec)
    placed = level_and_change(con, scope, year, span, spec) if span else pd.DataFrame()
    before = composite_index(con, scope, year - span, spec).scores if span else pd.DataFrame()
    table = comparison_table(con, [unit], members, year)
    catalogue = con.execute(
        "SELECT id, name_pl, name_en, coalesce(name_lt, name_en) AS name_lt, unit, domain, direction, source, licence"
        " FROM indicators"
    ).df()
    names = dict(con.execute("SELECT code, name FROM units WHERE level = ?", [level]).fetchall())
    parent = None
    if parent_code:
        row = con.execute("SELECT name FROM units WHERE code = ?", [parent_code]).fetchone()
        parent = row[0] if row else None
    series = con.execute(
        "SELECT indicator_id, year, value FROM observations WHERE unit_code = ? AND value IS NOT NULL ORDER BY year",
        [unit],
    ).df()
    profile = Profile(
        unit=unit,
        name=name,
        level=level,
        parent=parent,
        group=group or "all",
        members=members,
        names=names,
        year=year,
        span=span,
        spec=spec,
        scores=index.scores,
        scores_before=before,
        domains=index.domains,
        placed=placed,
        table=table,
        catalogue=catalogue.set_index("id"),
        series=series,
        treated=index.treated,
    )
    profile.strengths, profile.weaknesses = _strengths(index.breakdown, unit, members, table)
    profile.areas = _areas(con, unit)
    profile.population, profile.population_year = _population(con, unit, year)
    profile.proposals = _proposals(con, unit)
    profile.meta = dict(con.execute("SELECT key, value FROM workspace").fetchall())
    profile.sources = con.execute(
        "SELECT DISTINCT i.source, i.licence FROM indicators i WHERE trim(coalesce(i.source, '')) <> '' ORDER BY 1"
    ).df()
    return profile


def _strengths(
    breakdown: pd.DataFrame, unit: str, members: list[str], table: pd.DataFrame
) -> tuple[list[Strength], list[Strength]]:
    """The indicators that lift the unit's score most above the group, and pull it most below."""
    if breakdown.empty:
        return [], []
    group_mean = breakdown[breakdown["code"].isin(members)].groupby("indicator_id")["normalised"].mean()
    own = breakdown[breakdown["code"] == unit].set_index("indicator_id")
    contribution = ((own["normalised"] - group_mean.reindex(own.index)) * own["weight"]).dropna()
    facts = table.set_index("indicator_id") if not table.empty else pd.DataFrame()

    def item(indicator: str) -> Strength:
        row = facts.loc[indicator] if indicator in facts.index else None

        def number(key: str) -> float | None:
            return None if row is None or pd.isna(row[key]) else float(row[key])

        rank = None if row is None or pd.isna(row["rank"]) else int(row["rank"])
        return Strength(
            indicator,
            float(contribution[indicator]),
            number("value"),
            number("group_average"),
            rank,
            0 if row is None else int(row["of"]),
        )

    ordered = contribution.sort_values(ascending=False)
    strengths = [item(i) for i in ordered.index[:3] if ordered[i] > 0]
    weaknesses = [item(i) for i in ordered.index[::-1][:3] if ordered[i] < 0]
    return strengths, weaknesses


def _areas(con: duckdb.DuckDBPyConnection, unit: str) -> list[tuple[str, str, str]]:
    """Programme areas the unit is in: wholly (it is a member) or in part (some of its units are)."""
    rows = con.execute(
        "SELECT a.name, a.kind, CASE WHEN bool_or(m.unit_code = ?) THEN 'whole' ELSE 'part' END"
        " FROM areas a JOIN area_members m ON m.area_id = a.id"
        " LEFT JOIN units u ON u.code = m.unit_code"
        " WHERE m.unit_code = ? OR u.parent_code = ?"
        " GROUP BY a.name, a.kind ORDER BY a.kind, a.name",
        [unit, unit, unit],
    ).fetchall()
    return [(str(n), str(k), str(w)) for n, k, w in rows]


def _population(con: duckdb.DuckDBPyConnection, unit: str, year: int) -> tuple[float | None, int | None]:
    """The unit's population (indicator ``population``) in ``year`` or the latest year before, and that year."""
    row = con.execute(
        "SELECT value, year FROM observations WHERE unit_code = ? AND indicator_id = 'population'"
        " AND value IS NOT NULL AND year <= ? ORDER BY year DESC LIMIT 1",
        [unit, year],
    ).fetchone()
    return (None, None) if row is None else (float(row[0]), int(row[1]))


def _proposals(con: duckdb.DuckDBPyConnection, unit: str) -> pd.DataFrame | None:
    """Residents' proposals located in the unit or in its units one level down; None when none are loaded."""
    if not con.execute("SELECT count(*) FROM proposals").fetchone()[0]:  # type: ignore[index]
        return None
    return con.execute(
        "SELECT p.id, p.goal_code, p.status, p.cost_pln FROM proposals p LEFT JOIN units u ON u.code = p.unit_code"
        " WHERE p.unit_code = ? OR u.parent_code = ?",
        [unit, unit],
    ).df()


def finite(value: object) -> float | None:
    """A float, or None for missing and non-finite values."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None
