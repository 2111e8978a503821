"""One unit against the others: its rank, its change over time, the average it is compared with.

Plain functions over the long table ``code, year, value, flag`` of one indicator at one level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Change:
    """A change from ``from_year`` to ``to_year``: absolute and relative (None when the start is 0)."""

    from_year: int
    to_year: int
    absolute: float
    percent: float | None


@dataclass(frozen=True)
class UnitProfile:
    code: str
    year: int
    value: float | None
    flag: str | None
    rank: int | None  # 1 = best by the indicator's direction (highest for neutral indicators)
    ranked: int  # how many units have a value that year
    since_first: Change | None
    last_5_years: Change | None


def year_values(series: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of one year."""
    return series[series["year"] == year]


def rank_of(values: pd.Series, code: str, direction: str) -> tuple[int | None, int]:
    """Rank of ``code`` among ``values`` (indexed by code; NaN not ranked). Ties share the better rank."""
    present = values.dropna()
    if code not in present.index:
        return None, len(present)
    ascending = direction == "lower_is_better"
    ranks = present.rank(method="min", ascending=ascending)
    return int(ranks[code]), len(present)


def change(values: pd.Series, from_year: int, to_year: int) -> Change | None:
    """Change between two years of a series indexed by year; None when either year has no value."""
    start, end = values.get(from_year), values.get(to_year)
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return None
    percent = None if start == 0 else (end - start) / abs(start) * 100
    return Change(int(from_year), int(to_year), float(end - start), percent)


def unit_profile(series: pd.DataFrame, code: str, year: int, direction: str) -> UnitProfile:
    """Value, flag, rank and changes of one unit (``series``: code, year, value, flag of every unit)."""
    shown = year_values(series, year).set_index("code")
    value = shown["value"].get(code)
    flag = shown["flag"].get(code) if "flag" in shown else None
    rank, ranked = rank_of(shown["value"], code, direction)
    own = series[series["code"] == code].dropna(subset=["value"]).set_index("year")["value"]
    own = own[own.index <= year]
    since_first = change(own, int(own.index.min()), year) if len(own) > 1 else None
    five = change(own, year - 5, year)
    value = None if value is None or pd.isna(value) else float(value)
    flag = None if flag is None or (isinstance(flag, float) and math.isnan(flag)) else str(flag)
    return UnitProfile(code, year, value, flag, rank, ranked, since_first, five)


def average_by_year(series: pd.DataFrame) -> pd.Series:
    """The plain mean of the units' values per year (the "average of the shown units")."""
    return series.dropna(subset=["value"]).groupby("year")["value"].mean()
