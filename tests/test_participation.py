"""Proposal filters and the per-unit / per-goal figures, on a table worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.participation import ProposalFilter, filter_proposals, per_goal, per_unit
from indicators.rules import available_profiles

PROPOSALS = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d"],
        "title": ["Park nad rzeką", "<b>Ławki</b>", "Boisko", "Rower miejski"],
        "description": ["zieleń", None, "sport", "komunikacja"],
        "goal_code": ["1.1", "1.2", "2.1", None],
        "top_goal": ["1", "1", "2", None],
        "status": ["selected", "rejected", "implemented", "submitted"],
        "edition": ["2024", "2024", "2025", "2025"],
        "unit_code": ["U1", "U1", "U2", None],
        "cost_pln": [100_000.0, 20_000.0, 300_000.0, None],
    }
)
UNITS = pd.DataFrame({"code": ["U1", "U2", "U3"], "name": ["Jeden", "Dwa", "Trzy"]})
POPULATION = pd.DataFrame({"code": ["U1", "U2", "U3"], "value": [10_000.0, 2_000.0, 5_000.0]})


def test_filters_combine_and_a_goal_takes_its_sub_goals():
    assert filter_proposals(PROPOSALS, ProposalFilter(goals=["1"]))["id"].tolist() == ["a", "b"]
    assert filter_proposals(PROPOSALS, ProposalFilter(goals=["1.2"]))["id"].tolist() == ["b"]
    assert filter_proposals(PROPOSALS, ProposalFilter(text="ŁAWKI"))["id"].tolist() == ["b"]
    assert filter_proposals(PROPOSALS, ProposalFilter(text="sport"))["id"].tolist() == ["c"]  # the description
    assert filter_proposals(PROPOSALS, ProposalFilter(editions=["2025"], cost_min=50_000))["id"].tolist() == ["c"]
    assert len(filter_proposals(PROPOSALS, ProposalFilter())) == 4


def test_per_unit_counts_costs_rates_and_the_units_not_heard():
    table = per_unit(PROPOSALS, UNITS, POPULATION).set_index("code")
    assert table.loc["U1", ["proposals", "cost_pln", "selected"]].tolist() == [2, 120_000.0, 1]
    assert table.loc["U1", "cost_per_resident"] == pytest.approx(12.0)
    assert table.loc["U2", "proposals_per_1000"] == pytest.approx(0.5)
    assert table.loc["U1", "goal_mix"] == "1: 2"
    assert table["no_proposals"].tolist() == [False, False, True] and table.loc["U3", "proposals"] == 0


def test_per_goal_share_selected():
    table = per_goal(PROPOSALS).set_index("goal")
    assert table.loc["1.1", "share_selected"] == 1.0 and table.loc["1.2", "share_selected"] == 0.0
    assert table.loc["2.1", "cost_pln"] == 300_000.0 and table.loc["—", "proposals"] == 1


def test_a_workspace_adds_profiles_without_code(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "leader-2027.toml").write_text(
        'id = "leader-2028"\nkind = "lsr"\nlegal_source = "Program X, rozdz. 4"\n'
        '[[rules]]\nmeasure = "population"\nmin = 20000\nmax = 120000\n',
        "utf-8",
    )
    found = available_profiles(str(tmp_path / "workspace.toml"), kind="lsr")
    assert set(found) == {"rlks-2014-2020", "lt-bivp-miestai-2014-2020", "leader-2028"}
    assert found["leader-2028"].rules[0].min == 20000
