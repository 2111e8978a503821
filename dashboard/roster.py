"""A level's units as the map page looks them up on every rerun: built once per level and data generation.

At 100,000 units the page spent about a third of a year change's rerun rebuilding the same lists (the codes, a dict
of names, a set for the click check) and joining each year's values to the units by code. A roster holds them once,
shared by every session (so read-only), and places a year's values by position.

No Streamlit here: ``dashboard.cached.level_roster`` keeps one per level; tests build them directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Roster:
    """The units of a level in code order (``units``: as :func:`dashboard.queries.level_units` gives them)."""

    units: pd.DataFrame  # shared by every session: never changed in place
    codes: tuple[str, ...]
    names: Mapping[str, str]  # code -> name
    index: pd.Index  # the codes, for positions (its hash table is built once)

    @classmethod
    def of(cls, units: pd.DataFrame) -> Roster:
        codes = tuple(units["code"].tolist())
        return cls(
            units=units,
            codes=codes,
            names=MappingProxyType(dict(zip(codes, units["name"].tolist(), strict=True))),
            index=pd.Index(np.array(codes, dtype=object)),
        )

    def __contains__(self, code: object) -> bool:
        """Whether ``code`` is a unit of the level (looked up, not listed)."""
        return code in self.names

    def positions(self, codes: Sequence[str] | pd.Series) -> np.ndarray:
        """Where each of ``codes`` is among the units (-1: not a unit of the level)."""
        wanted = codes.to_numpy(dtype=object) if isinstance(codes, pd.Series) else np.asarray(codes, dtype=object)
        return self.index.get_indexer(wanted)

    def year_frame(self, year: pd.DataFrame) -> pd.DataFrame:
        """Every unit (code, name) with its ``value`` and ``flag`` in ``year`` (rows code, value, flag; a unit without a
        row: no value, no flag) — what a left join of the units with the year gives, without joining by text."""
        where = self.positions(year["code"])
        known = where >= 0
        value = np.full(len(self.codes), np.nan)
        value[where[known]] = year["value"].to_numpy(dtype=float, na_value=np.nan)[known]
        flag = np.full(len(self.codes), None, dtype=object)
        flag[where[known]] = year["flag"].to_numpy(dtype=object)[known]
        columns = {"code": self.units["code"].array, "name": self.units["name"].array, "value": value}
        frame = pd.DataFrame(columns, index=pd.RangeIndex(len(self.codes)))
        frame["flag"] = pd.Series(flag, index=frame.index, dtype=object)  # as stored: not re-read as text (~30 ms)
        return frame
