"""Delimiting the degraded area (Revitalisation Act 2015, art. 9) from indicators per unit.

Each criterion names an indicator, the kind of problem it shows (social, or economic, environmental,
spatial-functional, technical) and when a unit has that problem: worse than the reference (the gmina's own value
when the store has it, else the mean of its units), worse than the reference by a chosen percentage, or beyond a
fixed threshold; "worse" follows the indicator's direction. A unit is degraded when at least ``min_social`` social
problems are flagged and at least one other (art. 9(1)). Every flag is kept, so the reasoning can be read.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from indicators.rules import RuleError
from indicators.translation import say

SOCIAL = "social"
OTHER_GROUPS = ("economic", "environmental", "spatial_functional", "technical")
GROUPS = (SOCIAL, *OTHER_GROUPS)
RULES = ("worse_than_average", "worse_by_percent", "threshold")


@dataclass(frozen=True)
class Criterion:
    indicator_id: str
    group: str
    rule: str = "worse_than_average"
    value: float | None = None  # the percentage (worse_by_percent) or the threshold
    worse: str | None = None  # 'higher' or 'lower'; default: from the indicator's direction

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise RuleError(
                say("err_rev_group", indicator=self.indicator_id, groups=", ".join(GROUPS), value=self.group)
            )
        if self.rule not in RULES:
            raise RuleError(say("err_rev_rule", indicator=self.indicator_id, rules=", ".join(RULES), value=self.rule))
        if self.rule != "worse_than_average" and self.value is None:
            raise RuleError(say("err_rev_value", indicator=self.indicator_id))


@dataclass
class Delimitation:
    year: int
    whole_code: str
    level: str
    criteria: list[Criterion]
    min_social: int
    references: pd.DataFrame  # per criterion: indicator, group, rule, worse, reference, reference_kind, limit
    table: pd.DataFrame  # per unit: code, name, <indicator> value and <indicator>__flag, counts, degraded

    @property
    def degraded(self) -> list[str]:
        return self.table.loc[self.table["degraded"], "code"].tolist()


def _worse(con: duckdb.DuckDBPyConnection, criterion: Criterion) -> str:
    if criterion.worse in ("higher", "lower"):
        return criterion.worse
    row = con.execute("SELECT direction FROM indicators WHERE id = ?", [criterion.indicator_id]).fetchone()
    if row is None:
        raise RuleError(say("err_no_indicator", indicator=criterion.indicator_id))
    if row[0] == "neutral":
        raise RuleError(say("err_no_direction", indicator=criterion.indicator_id))
    return "lower" if row[0] == "higher_is_better" else "higher"


def limit_for(criterion: Criterion, reference: float | None, worse: str) -> float | None:
    """The value beyond which a unit has the problem (strictly beyond: a unit at the limit has none)."""
    if criterion.value is None:  # worse_than_average (the other rules are checked to have a value)
        return reference
    if criterion.rule == "threshold":
        return float(criterion.value)
    if reference is None:
        return None
    if criterion.rule == "worse_than_average":
        return reference
    factor = criterion.value / 100.0
    return reference * (1 + factor) if worse == "higher" else reference * (1 - factor)


def delimit(
    con: duckdb.DuckDBPyConnection,
    whole_code: str,
    level: str,
    year: int,
    criteria: list[Criterion],
    min_social: int = 1,
) -> Delimitation:
    """Flag each unit of ``level`` inside ``whole_code`` (a gmina) on each criterion for ``year``."""
    if not criteria:
        raise RuleError(say("err_rev_no_criteria"))
    if not any(c.group == SOCIAL for c in criteria) or all(c.group == SOCIAL for c in criteria):
        raise RuleError(say("err_rev_art9"))
    units = con.execute(
        "SELECT code, name FROM units WHERE parent_code = ? AND level = ? ORDER BY code", [whole_code, level]
    ).df()
    if units.empty:
        raise RuleError(say("err_no_units_inside", level=level, whole=whole_code))
    table = units.copy()
    references = []
    social_count = pd.Series(0, index=table.index)
    other_count = pd.Series(0, index=table.index)
    other_groups = pd.Series([[] for _ in table.index], index=table.index, dtype=object)
    for c in criteria:
        worse = _worse(con, c)
        values = dict(
            con.execute(
                "SELECT unit_code, value FROM observations WHERE indicator_id = ? AND year = ? "
                "AND unit_code IN (SELECT unnest(?::VARCHAR[]))",
                [c.indicator_id, year, units["code"].tolist()],
            ).fetchall()
        )
        own = con.execute(
            "SELECT value FROM observations WHERE unit_code = ? AND indicator_id = ? AND year = ?",
            [whole_code, c.indicator_id, year],
        ).fetchone()
        column = pd.to_numeric(table["code"].map(values), errors="coerce")
        if own and own[0] is not None:
            reference, kind = float(own[0]), "whole"
        elif column.notna().any():
            reference, kind = float(column.mean()), "mean_of_units"
        else:
            reference, kind = None, "none"
        limit = limit_for(c, reference, worse)
        if limit is None:
            flags = pd.Series([None] * len(table), index=table.index, dtype=object)
        else:
            beyond = column > limit if worse == "higher" else column < limit
            flags = beyond.astype(object).where(column.notna(), None)
        table[c.indicator_id] = column
        table[f"{c.indicator_id}__flag"] = flags
        hit = flags.eq(True)
        if c.group == SOCIAL:
            social_count += hit.astype(int)
        else:
            other_count += hit.astype(int)
            for i in table.index[hit]:
                if c.group not in other_groups[i]:
                    other_groups[i] = [*other_groups[i], c.group]
        references.append(
            {
                "indicator_id": c.indicator_id,
                "group": c.group,
                "rule": c.rule,
                "value": c.value,
                "worse": worse,
                "reference": reference,
                "reference_kind": kind,
                "limit": limit,
                "units_flagged": int(hit.sum()),
                "units_without_data": int(column.isna().sum()),
            }
        )
    table["social_problems"] = social_count
    table["other_problems"] = other_count
    table["other_groups"] = other_groups.map(", ".join)
    table["degraded"] = (social_count >= min_social) & (other_count >= 1)
    return Delimitation(year, whole_code, level, list(criteria), min_social, pd.DataFrame(references), table)
