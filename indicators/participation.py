"""Residents' proposals: filtering, and who is heard — per unit and per goal (plain functions over data frames)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

#: A proposal's status, in the order a call for proposals goes through them.
STATUSES = ("submitted", "under_evaluation", "accepted", "rejected", "selected", "implemented")
CHOSEN = ("selected", "implemented")  # statuses that mean the proposal was chosen for funding


@dataclass
class ProposalFilter:
    goals: list[str] = field(default_factory=list)  # a goal includes its sub-goals ("1" takes "1.2")
    statuses: list[str] = field(default_factory=list)
    editions: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    cost_min: float | None = None
    cost_max: float | None = None
    text: str = ""


def filter_proposals(proposals: pd.DataFrame, f: ProposalFilter) -> pd.DataFrame:
    """The proposals matching every filter given (an empty filter keeps everything)."""
    keep = pd.Series(True, index=proposals.index)
    if f.goals:
        codes = proposals["goal_code"].fillna("")
        keep &= codes.map(lambda c: any(c == g or c.startswith(g + ".") for g in f.goals))
    if f.statuses:
        keep &= proposals["status"].isin(f.statuses)
    if f.editions:
        keep &= proposals["edition"].astype(str).isin(f.editions)
    if f.units:
        keep &= proposals["unit_code"].isin(f.units)
    cost = pd.to_numeric(proposals["cost_pln"], errors="coerce")
    if f.cost_min is not None:
        keep &= (cost >= f.cost_min).fillna(False)  # an unknown cost is outside any range asked for
    if f.cost_max is not None:
        keep &= (cost <= f.cost_max).fillna(False)
    if f.text.strip():
        needle = f.text.strip().casefold()
        haystack = (
            proposals["title"].fillna("")
            + " "
            + proposals.get("description", pd.Series("", index=proposals.index)).fillna("")
        ).str.casefold()
        keep &= haystack.str.contains(needle, regex=False)
    return proposals[keep]


def per_unit(proposals: pd.DataFrame, units: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Per unit: proposals, total cost, cost per resident, proposals per 1,000 residents, the mix by goal.

    ``units``: code, name (every unit of the level, so units without proposals show with 0).
    ``population``: code, value. Proposals without a unit of this level are not counted here.
    """
    inside = proposals[proposals["unit_code"].isin(units["code"])]
    grouped = inside.groupby("unit_code")
    out = units[["code", "name"]].copy()
    out["proposals"] = out["code"].map(grouped.size()).fillna(0).astype(int)
    out["cost_pln"] = out["code"].map(grouped["cost_pln"].sum(min_count=1)).fillna(0.0)
    out["selected"] = (
        out["code"].map(inside[inside["status"].isin(CHOSEN)].groupby("unit_code").size()).fillna(0).astype(int)
    )
    pop = (
        out["code"].map(dict(zip(population["code"], population["value"], strict=True)))
        if len(population)
        else pd.Series(float("nan"), index=out.index)
    )
    out["population"] = pop
    out["cost_per_resident"] = out["cost_pln"] / pop.where(pop > 0)
    out["proposals_per_1000"] = out["proposals"] / pop.where(pop > 0) * 1000
    mix = inside.assign(goal=inside["top_goal"].fillna("—")).groupby(["unit_code", "goal"]).size()
    out["goal_mix"] = out["code"].map(
        lambda c: (
            ", ".join(f"{g}: {n}" for (u, g), n in mix.items() if u == c) if c in mix.index.get_level_values(0) else ""
        )
    )
    out["no_proposals"] = out["proposals"] == 0
    return out.sort_values(["proposals", "code"], ascending=[False, True]).reset_index(drop=True)


def per_goal(proposals: pd.DataFrame) -> pd.DataFrame:
    """Per goal (as given, sub-goals separately): count, total cost, share chosen for funding."""
    frame = proposals.assign(goal=proposals["goal_code"].fillna("—"), chosen=proposals["status"].isin(CHOSEN))
    out = (
        frame.groupby("goal")
        .agg(proposals=("id", "size"), cost_pln=("cost_pln", "sum"), selected=("chosen", "sum"))
        .reset_index()
    )
    out["share_selected"] = out["selected"] / out["proposals"]
    return out.sort_values("goal").reset_index(drop=True)
