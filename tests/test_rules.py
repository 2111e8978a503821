"""Rule profiles (LSR, revitalisation area) and the art. 9 delimitation, on the hand-worked fixture in
``tests/planning_fixture.py``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from etl.cli import app
from indicators.revitalisation import Criterion, delimit
from indicators.rules import RuleError, check, load_profile, read_profile
from tests import planning_fixture


@pytest.fixture(scope="module")
def plan_db(tmp_path_factory):
    return planning_fixture.build(tmp_path_factory.mktemp("plan") / "plan.duckdb")


@pytest.fixture
def con(plan_db, ro):
    return ro(plan_db)


LSR = load_profile(None, "lsr")
REVIT = load_profile(None, "revitalisation")


def _rules(verdict):
    return {r.rule.id: r for r in verdict.results}


def test_shipped_profiles_name_their_legal_source():
    assert LSR.id == "rlks-2014-2020" and "Umowa Partnerstwa 2014–2020" in LSR.legal_source
    assert [(r.measure, r.min, r.max) for r in LSR.rules] == [
        ("population", 30000, None),
        ("population", None, 150000),
        ("pieces", None, 1),
    ]
    assert "art. 10 ust. 2" in REVIT.legal_source


def test_lsr_exactly_150000_holds_and_one_more_fails(con):
    at_limit = check(con, ["U1", "U2"], LSR, 2023)
    assert at_limit.ok and at_limit.selection.population == 150_000
    assert _rules(at_limit)["max_population"].margin == 0
    over = check(con, ["U1", "U2"], LSR, 2022)
    assert not over.ok
    result = _rules(over)["max_population"]
    assert not result.ok and result.margin == -1
    assert "not met, 1 (0.0%) over the limit" in result.message_en
    assert _rules(over)["min_population"].ok and _rules(over)["coherent"].ok


def test_lsr_exactly_30000_holds_and_fewer_is_short_by_how_much(con):
    assert check(con, ["U1"], LSR, 2024).ok  # 30,000 exactly
    short = _rules(check(con, ["U5"], LSR, 2024))["min_population"]
    assert not short.ok and short.margin == -20_000
    assert short.message_en == "at least 30,000 inhabitants: 10,000 — not met, 20,000 (66.7%) short"
    assert "brakuje 20\u00a0000 (66,7%)" in short.message_pl


def test_lsr_in_two_separate_pieces_is_not_coherent(con):
    verdict = check(con, ["U1", "U3", "U4"], LSR, 2024)
    coherent = _rules(verdict)["coherent"]
    assert not coherent.ok and coherent.value == 2
    assert verdict.selection.pieces == [["U3", "U4"], ["U1"]]
    assert "2 separate pieces (Jednostka U3, Jednostka U4; Jednostka U1)" in coherent.message_en
    assert _rules(check(con, ["U3", "U4", "U5"], LSR, 2024))["coherent"].ok


def test_missing_population_cannot_be_checked_and_does_not_pass(con):
    verdict = check(con, ["U1", "U3"], LSR, 2023)  # U3 has no population in 2023
    assert not verdict.ok
    assert "cannot be checked (no population for U3 in 2023)" in _rules(verdict)["min_population"].message_en


def test_revitalisation_exactly_20_percent_area_and_30_percent_residents_hold(con):
    verdict = check(con, ["U1"], REVIT, 2024)
    rules = _rules(verdict)
    assert rules["max_area_share"].value == pytest.approx(0.20) and rules["max_area_share"].ok
    assert rules["max_population_share"].value == pytest.approx(0.30) and rules["max_population_share"].ok
    assert verdict.selection.whole_code == "1000000" and verdict.selection.whole_population == 100_000


def test_revitalisation_over_the_limits_says_by_how_much(con):
    rules = _rules(check(con, ["U1", "U5"], REVIT, 2024))
    assert not rules["max_area_share"].ok and rules["max_area_share"].margin == pytest.approx(-0.15)
    assert "35.00% — not met, 15.00\u00a0pp over the limit" in rules["max_area_share"].message_en
    assert "35,00% – netenkinama, viršyta 15,00\u00a0proc. p." in rules["max_area_share"].message("lt")
    assert not rules["max_population_share"].ok and rules["max_population_share"].margin == pytest.approx(-0.10)


def test_a_profile_without_legal_source_or_with_an_unknown_measure_is_refused(tmp_path):
    (tmp_path / "p.toml").write_text('id = "x"\n[[rules]]\nmeasure = "population"\nmax = 1\n', "utf-8")
    with pytest.raises(RuleError, match="legal_source"):
        read_profile(tmp_path / "p.toml")
    (tmp_path / "q.toml").write_text(
        'id = "x"\nlegal_source = "ustawa"\n[[rules]]\nmeasure = "votes"\nmax = 1\n', "utf-8"
    )
    with pytest.raises(RuleError, match="measure must be one of"):
        read_profile(tmp_path / "q.toml")


def test_delimitation_matches_the_hand_worked_table(con):
    criteria = [
        Criterion("unemployment", "social"),  # gmina's own 5
        Criterion("social_assistance", "social", "worse_by_percent", 50),  # mean 60 -> above 90
        Criterion("exam_score", "social", "threshold", 50),  # below 50
        Criterion("pm10", "environmental", "threshold", 40),  # above 40
        Criterion("vacant_premises", "economic"),
    ]  # mean 4
    result = delimit(con, "1000000", "urban_unit", 2024, criteria, min_social=2)
    refs = result.references.set_index("indicator_id")
    assert (refs.loc["unemployment", "reference"], refs.loc["unemployment", "reference_kind"]) == (5, "whole")
    assert refs.loc["social_assistance", "reference"] == 60 and refs.loc["social_assistance", "limit"] == 90
    assert refs.loc["vacant_premises", "reference_kind"] == "mean_of_units"
    table = result.table.set_index("code")
    assert table["unemployment__flag"].tolist() == [True, False, True, False, True]
    assert table["social_assistance__flag"].tolist() == [True, False, False, False, False]  # U3 at 90: not beyond
    assert table["exam_score__flag"].tolist() == [True, False, True, None, False]  # U4 has no value
    assert table["social_problems"].tolist() == [3, 0, 2, 0, 1]
    assert table["other_problems"].tolist() == [2, 0, 1, 1, 0]
    assert table.loc["U1", "other_groups"] == "environmental, economic"
    assert result.degraded == ["U1", "U3"]
    assert delimit(con, "1000000", "urban_unit", 2024, criteria, min_social=3).degraded == ["U1"]


def test_delimitation_needs_social_and_other_criteria(con):
    with pytest.raises(RuleError, match="Art. 9"):
        delimit(con, "1000000", "urban_unit", 2024, [Criterion("unemployment", "social")])
    with pytest.raises(RuleError, match="needs a value"):
        Criterion("pm10", "environmental", "threshold")


def test_check_commands_exit_0_when_rules_hold_and_1_when_not(plan_db):
    runner = CliRunner()
    ok = runner.invoke(app, ["check", "lsr", "--units", "U1,U2", "--year", "2023", "--db", str(plan_db), "--json"])
    assert ok.exit_code == 0, ok.output
    body = json.loads(ok.output)
    assert body["ok"] and body["totals"]["population"] == 150_000 and body["profile"] == "rlks-2014-2020"
    bad = runner.invoke(app, ["check", "lsr", "--units", "U1,U2", "--year", "2022", "--db", str(plan_db)])
    assert bad.exit_code == 1 and "over the limit" in " ".join(bad.output.split())
    revit = runner.invoke(
        app, ["check", "revitalisation", "--units", "U1", "--year", "2024", "--db", str(plan_db), "--json"]
    )
    assert revit.exit_code == 0 and json.loads(revit.output)["totals"]["area_share"] == pytest.approx(0.2)
    over = runner.invoke(app, ["check", "revitalisation", "--units", "U1,U5", "--db", str(plan_db)])
    assert over.exit_code == 1
    unknown = runner.invoke(app, ["check", "lsr", "--units", "U9", "--db", str(plan_db)])
    assert unknown.exit_code == 2  # an error, not a verdict
    assert "No such units in the store: U9" in " ".join(unknown.output.split())
