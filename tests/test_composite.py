"""The composite index, comparison groups and level-and-change, against values worked out by hand.

Three gminy A (0261011, a city with county rights, urban), B (0201022, rural), C (0201033, urban-rural):

    indicator  domain                 direction          2024: A   B    C      2020: A   B    C
    x1         economic               higher_is_better        10   20   30           30   20   10
    x2         economic               lower_is_better          1    3    5            5    3    1
    s1         social                 higher_is_better       100   50   —            50  100   75
    e1         environmental-spatial  lower_is_better          2    4    6            6    4    2
    pop        social                 neutral (left out)    120k  8k   30k

Min-max 2024: economic A (0+1)/2 = .5, B .5, C .5; social A 1, B 0, C none; environmental A 1, B .5, C 0;
overall A 2.5/3, B 1/3, C (.5+0)/2 = .25 (C misses 1 of 4 = 25%). 2020: A 1/6, B 2/3, C 2/3.
"""

from __future__ import annotations

import pandas as pd
import pytest
import shapely
from shapely.geometry import box
from typer.testing import CliRunner

from etl import store
from etl.cli import app
from etl.store.runs import geoarrow_table
from indicators.composite import IndexSpec, comparison_table, composite_index, group_members, level_and_change
from indicators.rules import RuleError

A, B, C = "0261011", "0201022", "0201033"
DATA = {  # indicator: (domain, direction, {year: (A, B, C)})
    "x1": ("economic", "higher_is_better", {2024: (10, 20, 30), 2020: (30, 20, 10)}),
    "x2": ("economic", "lower_is_better", {2024: (1, 3, 5), 2020: (5, 3, 1)}),
    "s1": ("social", "higher_is_better", {2024: (100, 50, None), 2020: (50, 100, 75)}),
    "e1": ("environmental-spatial", "lower_is_better", {2024: (2, 4, 6), 2020: (6, 4, 2)}),
    "population": ("social", "neutral", {2024: (120_000, 8_000, 30_000)}),
}


@pytest.fixture(scope="module")
def index_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("index") / "index.duckdb"
    with store.writing(db) as con:
        con.execute("INSERT INTO levels (level, rank, name_pl, name_en) VALUES ('gmina', 0, 'gmina', 'gmina')")
        frame = pd.DataFrame(
            {
                "code": [A, B, C],
                "name": ["Alfa", "Beta", "Gamma"],
                "area": [10.0, 20.0, 30.0],
                "wkb": shapely.to_wkb([box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)]),
            }
        )
        con.register("_u", geoarrow_table(frame))
        con.execute("INSERT INTO units SELECT code, name, 'gmina', NULL, area, wkb, 'fixture' FROM _u")
        rows = []
        for indicator, (domain, direction, years) in DATA.items():
            con.execute(
                "INSERT INTO indicators (id, name_pl, name_en, unit, domain, direction, source_id) "
                "VALUES (?, ?, ?, '-', ?, ?, 'fixture')",
                [indicator, indicator, indicator, domain, direction],
            )
            for year, values in years.items():
                rows += [(code, indicator, year, v) for code, v in zip((A, B, C), values, strict=True) if v is not None]
        con.executemany("INSERT INTO observations VALUES (?, ?, ?, ?, NULL, 'fixture')", rows)
        con.execute("INSERT INTO areas (id, name, kind, source_id) VALUES ('fua', 'MOF', 'functional_urban_area', 'x')")
        con.execute(f"INSERT INTO area_members VALUES ('fua', '{A}', 1), ('fua', '{C}', 1)")
    return db


@pytest.fixture
def con(index_db, ro):
    return ro(index_db)


def _scores(result):
    return result.scores.set_index("code")


def test_min_max_turned_by_direction_and_averaged_per_domain(con):
    result = composite_index(con, [A, B, C], 2024)
    s = _scores(result)
    assert result.domains == ["economic", "environmental-spatial", "social"]  # population is neutral: left out
    assert s["economic"].tolist() == pytest.approx([0.5, 0.5, 0.5])
    assert s.loc[A, "social"] == 1 and s.loc[B, "social"] == 0 and pd.isna(s.loc[C, "social"])
    assert s["environmental-spatial"].tolist() == pytest.approx([1.0, 0.5, 0.0])
    assert s["overall"].tolist() == pytest.approx([2.5 / 3, 1 / 3, 0.25])
    assert s["rank"].tolist() == [1, 2, 3]
    row = result.breakdown.set_index(["code", "indicator_id"]).loc[(A, "x2")]
    assert (row["value"], row["normalised"], row["direction"]) == (1, 1.0, "lower_is_better")  # lowest is best


def test_a_unit_missing_too_many_indicators_gets_no_score(con):
    s = _scores(composite_index(con, [A, B, C], 2024, IndexSpec(max_missing_share=0.2)))
    assert pd.isna(s.loc[C, "overall"]) and pd.isna(s.loc[C, "economic"]) and pd.isna(s.loc[C, "rank"])
    assert s.loc[C, "note"] == "missing 25% of the indicators (more than 20%): no score"
    assert s.loc[A, "rank"] == 1 and s.loc[B, "rank"] == 2


def test_weights_change_the_scores(con):
    s = _scores(composite_index(con, [A, B, C], 2024, IndexSpec(weights={"x1": 3})))
    assert s["economic"].tolist() == pytest.approx([0.25, 0.5, 0.75])
    s = _scores(composite_index(con, [A, B, C], 2024, IndexSpec(domain_weights={"social": 2})))
    assert s.loc[A, "overall"] == pytest.approx((0.5 + 2 * 1 + 1) / 4)


def test_z_scores(con):
    result = composite_index(con, [A, B, C], 2024, IndexSpec(method="zscore", indicators=["x1"]))
    z = 10 / (200 / 3) ** 0.5
    assert _scores(result)["overall"].tolist() == pytest.approx([-z, 0.0, z])


def test_level_and_change_quadrants(con):
    table = level_and_change(con, [A, B, C], 2024, 4).set_index("code")
    assert table["score_before"].tolist() == pytest.approx([1 / 6, 2 / 3, 2 / 3])
    assert table["change"].tolist() == pytest.approx([2.5 / 3 - 1 / 6, 1 / 3 - 2 / 3, 0.25 - 2 / 3])
    assert table["quadrant"].tolist() == ["strong_improving", "strong_declining", "weak_declining"]


def test_comparison_groups(con):
    assert group_members(con, "gmina") == [B, C, A]
    assert group_members(con, "gmina", "type:urban") == [A]
    assert group_members(con, "gmina", "type:urban_rural") == [C]
    assert group_members(con, "gmina", "county_cities") == [A]
    assert group_members(con, "gmina", "size:20k-50k", year=2024) == [C]
    assert group_members(con, "gmina", "area:fua") == [C, A]
    assert group_members(con, "gmina", f"list:{A},{B}") == [A, B]
    with pytest.raises(RuleError, match="Unknown comparison group"):
        group_members(con, "gmina", "peers")


def test_export_index_command(index_db, tmp_path):
    out = tmp_path / "index.csv"
    result = CliRunner().invoke(
        app, ["export", "index", "--level", "gmina", "--year", "2024", "--db", str(index_db), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, sep=";", decimal=",", dtype={"code": str})
    assert table.columns.tolist() == [
        "code",
        "name",
        "economic",
        "environmental-spatial",
        "social",
        "overall",
        "rank",
        "quartile",
        "missing_share",
        "note",
    ]
    assert table.set_index("code").loc[A, "overall"] == pytest.approx(2.5 / 3, abs=1e-4)  # 4 decimals
    assert table["code"].tolist()[0] == A  # by rank
    result = CliRunner().invoke(
        app,
        [
            "export",
            "index",
            "--level",
            "gmina",
            "--year",
            "2024",
            "--group",
            "area:fua",
            "--db",
            str(index_db),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0 and len(pd.read_csv(out, sep=";")) == 2


def test_comparison_table_ranks_and_judges_by_direction(con):
    table = comparison_table(con, [A, C], [A, B, C], 2024).set_index(["code", "indicator_id"])
    x2 = table.loc[(A, "x2")]  # 1 where lower is better: best of 3, 2 below the average of 3
    assert (x2["rank"], x2["of"], x2["group_average"], x2["difference"], x2["verdict"]) == (1, 3, 3.0, -2.0, "better")
    assert table.loc[(C, "x1"), "verdict"] == "better" and table.loc[(C, "e1"), "verdict"] == "worse"
    assert table.loc[(C, "s1"), "verdict"] == "no_data" and table.loc[(A, "s1"), "of"] == 2
    assert table.loc[(A, "population"), "verdict"] == "neutral"


def test_a_saved_group_is_a_comparison_group(index_db, tmp_path, ro):
    import shutil

    from etl.errors import SourceError
    from etl.store.groups import save_group

    db = tmp_path / "groups.duckdb"
    shutil.copy(index_db, db)
    save_group(db, "podobne", "Podobne gminy", [A, C])
    con = ro(db)
    assert group_members(con, "gmina", "saved:podobne") == [C, A]
    con.close()
    with pytest.raises(SourceError, match="at least two units"):
        save_group(db, "jedna", "Jedna", [A])
    with pytest.raises(SourceError, match="No such units in the store: 9999999"):
        save_group(db, "zle", "Złe", [A, "9999999"])
    result = CliRunner().invoke(
        app,
        [
            "export",
            "index",
            "--level",
            "gmina",
            "--year",
            "2024",
            "--group",
            "saved:podobne",
            "--db",
            str(db),
            "--out",
            str(tmp_path / "i.csv"),
        ],
    )
    assert result.exit_code == 0 and len(pd.read_csv(tmp_path / "i.csv", sep=";")) == 2


def test_a_chosen_unit_outside_the_group_is_ranked_where_it_would_stand(con):
    """Comparing one's own gmina with a group it is not in: a whole rank among the group, the group's own average."""
    table = comparison_table(con, [A, C], [B, C], 2024).set_index(["code", "indicator_id"])
    x1 = table.loc[(A, "x1")]  # A has 10; the group B, C has 20, 30 (higher is better): A would be 3rd of 2 + 1
    assert (x1["rank"], x1["of"], bool(x1["in_group"]), x1["group_average"]) == (3, 2, False, 25.0)
    x2 = table.loc[(A, "x2")]  # A has 1; B, C have 3, 5 (lower is better): A would be 1st
    assert (x2["rank"], x2["verdict"]) == (1, "better")
    assert str(table["rank"].dtype) == "Int64" and bool(table.loc[(C, "x1"), "in_group"])
    assert table.loc[(C, "s1"), "rank"] is pd.NA  # no value: no rank, never "nan"


def test_the_compare_table_says_outsider_ranks_in_words(con):
    from dashboard.compare_view import styled_table

    table = comparison_table(con, [A, C], [B, C], 2024)
    shown = styled_table(table, {A: "Alfa", C: "Gamma"}, {}, "pl").data
    assert shown.loc["x1", "Alfa"].startswith("10,00 (3. wśród 2 z grupy + ta jednostka spoza niej)")
    assert "(1. z 2)" in shown.loc["x1", "Gamma"] and "nan" not in shown.to_string() and ".0/" not in shown.to_string()


def test_percentile_normalisation_worked_by_hand():
    import pandas as pd

    from indicators.composite import normalise

    values = pd.Series([10.0, 20.0, 20.0, 40.0, None], index=list("abcde"))
    # average ranks 1, 2.5, 2.5, 4 of 4 present values: (rank - 1) / 3
    assert normalise(values, "percentile", "higher_is_better").tolist()[:4] == [0.0, 0.5, 0.5, 1.0]
    assert normalise(values, "percentile", "lower_is_better").tolist()[:4] == [1.0, 0.5, 0.5, 0.0]
    assert pd.isna(normalise(values, "percentile", "higher_is_better")["e"])
    assert normalise(pd.Series([7.0, 7.0]), "percentile", "higher_is_better").tolist() == [0.5, 0.5]


def test_outliers_are_treated_by_the_coinr_rule_worked_by_hand():
    import math

    import pandas as pd

    from indicators.composite import treat_outliers

    # 1..9 and 100: sample skewness 3.12 (> 2) and excess kurtosis 9.80 (> 3.5): outliers
    values = pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 100.0], index=list("abcdefghij"))
    assert round(values.skew(), 2) == 3.12 and round(values.kurt(), 2) == 9.80
    treated, how = treat_outliers(values)
    # one round: 100 takes the next value, 9; then skewness is about 0 and the rule no longer holds
    assert how == "winsorised" and treated["j"] == 9.0 and (treated.drop("j") == values.drop("j")).all()
    # a tail too long for five winsorised values: log(x - min + 1), here log(x)
    tail = pd.Series([1.0] * 40 + [10.0**k for k in range(1, 9)])
    logged, how = treat_outliers(tail)
    assert how == "log" and logged[0] == 0.0 and math.isclose(logged[40], math.log(10))
    # no outliers: unchanged
    calm = pd.Series([1.0, 2, 3, 4, 5])
    assert treat_outliers(calm) == (calm, "") or treat_outliers(calm)[1] == ""


def test_the_index_records_every_treated_value(tmp_path, ro):
    db = tmp_path / "outliers.duckdb"
    codes = [f"02010{i:02d}" for i in range(1, 11)]
    with store.writing(db) as con:
        con.execute("INSERT INTO levels (level, rank, name_pl, name_en) VALUES ('gmina', 0, 'gmina', 'gmina')")
        con.executemany(
            "INSERT INTO units (code, name, level, source_id) VALUES (?, ?, 'gmina', 'f')", [[c, c] for c in codes]
        )
        for indicator, values in {
            "jobs": [1, 2, 3, 4, 5, 6, 7, 8, 9, 100],
            "green": [5, 4, 6, 5, 4, 6, 5, 4, 6, 5],
        }.items():
            con.execute(
                "INSERT INTO indicators (id, name_pl, name_en, unit, domain, direction, source_id) "
                "VALUES (?, ?, ?, '-', 'economic', 'higher_is_better', 'f')",
                [indicator, indicator, indicator],
            )
            con.executemany(
                "INSERT INTO observations VALUES (?, ?, 2024, ?, NULL, 'f')",
                [[c, indicator, float(v)] for c, v in zip(codes, values, strict=True)],
            )
    con = ro(db)
    plain = composite_index(con, codes, 2024, IndexSpec())
    treated = composite_index(con, codes, 2024, IndexSpec(outliers=True))
    assert plain.treated.empty
    assert treated.treated.to_dict("records") == [
        {"code": codes[-1], "indicator_id": "jobs", "original": 100.0, "treated": 9.0, "treatment": "winsorised"}
    ]
    # min-max after winsorising: the tenth unit shares the top with the ninth instead of squashing the others to 0-0.08
    jobs = treated.breakdown[treated.breakdown["indicator_id"] == "jobs"].set_index("code")["normalised"]
    assert jobs[codes[-1]] == jobs[codes[-2]] == 1.0 and jobs[codes[0]] == 0.0 and jobs[codes[4]] == 0.5
    # the command line writes the changed values beside the index
    from typer.testing import CliRunner

    from etl.cli import app

    out = tmp_path / "index.csv"
    done = CliRunner().invoke(
        app, ["export", "index", "--level", "gmina", "--year", "2024", "--out", str(out), "--outliers", "--db", str(db)]
    )
    assert done.exit_code == 0, done.output
    lines = (tmp_path / "index.treated.csv").read_text("utf-8-sig").splitlines()
    assert lines[1] == f"{codes[-1]};jobs;100,0;9,0;winsorised"


def test_group_average_as_a_ratio_of_sums_worked_by_hand(tmp_path, ro):
    from indicators.composite import group_ratios

    db = tmp_path / "ratio.duckdb"
    units = ["0201011", "0201022", "0201032"]
    with store.writing(db) as con:
        con.executemany(
            "INSERT INTO units (code, name, level, source_id) VALUES (?, ?, 'gmina', 'f')", [[c, c] for c in units]
        )
        for indicator, derivation, aggregate, weight in (
            ("jobs", None, "sum", None),
            ("people", None, "sum", None),
            ("jobs_per_1000", '{"kind": "per_1000", "of": "jobs", "per": "people"}', None, None),
            ("rate", None, "weighted_mean", "people"),
        ):
            con.execute(
                "INSERT INTO indicators (id, name_pl, name_en, unit, domain, direction, source_id, derivation,"
                " aggregate, aggregate_weight) VALUES (?, ?, ?, '-', 'economic', 'higher_is_better', 'f', ?, ?, ?)",
                [indicator, indicator, indicator, derivation, aggregate, weight],
            )
        values = {
            "jobs": [10, 20, 30],
            "people": [100, 100, 400],
            "jobs_per_1000": [100, 200, 75],
            "rate": [10, 20, 40],
        }
        con.executemany(
            "INSERT INTO observations VALUES (?, ?, 2024, ?, NULL, 'f')",
            [[c, i, float(v)] for i, vs in values.items() for c, v in zip(units, vs, strict=True)],
        )
    ratios = group_ratios(ro(db), units, 2024, ["jobs", "people", "jobs_per_1000", "rate"])
    # jobs per 1,000: (10 + 20 + 30) / (100 + 100 + 400) x 1,000 = 100, where the mean of units is 125
    assert ratios["jobs_per_1000"] == pytest.approx(100.0)
    # the rate weighted by people: (10x100 + 20x100 + 40x400) / 600 = 31.67, where the mean of units is 23.33
    assert ratios["rate"] == pytest.approx(19_000 / 600)
    assert "jobs" not in ratios and "people" not in ratios  # counts have no "group as one place" rate
    table = comparison_table(ro(db), [units[0]], units, 2024).set_index("indicator_id")
    assert table.at["jobs_per_1000", "group_average"] == pytest.approx(125.0)
    assert table.at["jobs_per_1000", "group_ratio"] == pytest.approx(100.0)


def test_target_direction_scores_the_distance_from_the_target_worked_by_hand(tmp_path, ro):
    """Preschool coverage is best between 90% and 100%: 80 and 110 are both 10 points off, 95 and 100 on target."""
    db = tmp_path / "target.duckdb"
    units = ["0201011", "0201022", "0201032", "0201043"]
    with store.writing(db) as con:
        con.executemany(
            "INSERT INTO units (code, name, level, source_id) VALUES (?, ?, 'gmina', 'f')", [[c, c] for c in units]
        )
        con.execute(
            "INSERT INTO indicators (id, name_pl, name_en, unit, domain, direction, source_id, target_low, target_high)"
            " VALUES ('coverage', 'c', 'c', '%', 'social', 'target', 'f', 90, 100)"
        )
        con.executemany(
            "INSERT INTO observations VALUES (?, 'coverage', 2024, ?, NULL, 'f')",
            [[c, v] for c, v in zip(units, [80.0, 95.0, 100.0, 110.0], strict=True)],
        )
    con = ro(db)
    scores = composite_index(con, units, 2024).breakdown.set_index("code")["normalised"]
    # minus the distances (-10, 0, 0, -10), min-max: 0, 1, 1, 0
    assert scores.tolist() == [0.0, 1.0, 1.0, 0.0]
    table = comparison_table(con, units, units[:3], 2024).set_index("code")
    assert table["rank"].tolist() == [3, 1, 1, 3]  # 110 is ranked among 80, 95, 100 where it would stand: 3rd
    # the group's mean distance is 10/3: on target is better, 10 points off is worse
    assert table["verdict"].tolist() == ["worse", "better", "better", "worse"]
    assert table.at["0201011", "group_average"] == pytest.approx(275 / 3)  # the average stays in percent


def test_a_target_indicator_needs_its_target():
    from indicators.catalogue import indicator_from_mapping
    from indicators.errors import CatalogueError

    base = {"id": "c", "name_pl": "c", "name_en": "c", "unit": "%", "domain": "social", "direction": "target"}
    assert indicator_from_mapping({**base, "target": [90, 100]}, where="x").target_low == 90.0
    assert indicator_from_mapping({**base, "target": 95}, where="x").target_high == 95.0
    for bad in ({}, {"target": [100, 90]}, {"target": "95"}, {"target": [1, 2, 3]}):
        with pytest.raises(CatalogueError, match="needs `target`"):
            indicator_from_mapping({**base, **bad}, where="x")
    with pytest.raises(CatalogueError, match="only for direction"):
        indicator_from_mapping({**base, "direction": "neutral", "target": 5}, where="x")


def test_export_index_gives_quartiles_and_how_far_each_unit_moved(tmp_path, ro):
    from typer.testing import CliRunner

    from etl.cli import app
    from indicators.composite import quartiles

    assert quartiles(pd.Series([1, 2, 3, 4, 5, 6, 7, 8, None])).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, pd.NA]
    db = tmp_path / "moves.duckdb"
    units = ["0201011", "0201022", "0201032", "0201043"]
    with store.writing(db) as con:
        con.executemany(
            "INSERT INTO units (code, name, level, source_id) VALUES (?, ?, 'gmina', 'f')", [[c, c] for c in units]
        )
        con.execute(
            "INSERT INTO indicators (id, name_pl, name_en, unit, domain, direction, source_id)"
            " VALUES ('jobs', 'j', 'j', '-', 'economic', 'higher_is_better', 'f')"
        )
        rows = [[c, 2020, v] for c, v in zip(units, [4.0, 3.0, 2.0, 1.0], strict=True)]
        rows += [[c, 2024, v] for c, v in zip(units, [1.0, 2.0, 3.0, 4.0], strict=True)]
        con.executemany("INSERT INTO observations VALUES (?, 'jobs', ?, ?, NULL, 'f')", rows)
    out = tmp_path / "index.csv"
    done = CliRunner().invoke(
        app,
        ["export", "index", "--level", "gmina", "--year", "2024", "--span", "4", "--out", str(out), "--db", str(db)],
    )
    assert done.exit_code == 0, done.output
    lines = out.read_text("utf-8-sig").splitlines()
    at = lines[0].split(";").index("rank")
    assert lines[0].split(";")[at : at + 5] == ["rank", "quartile", "rank_2020", "quartile_2020", "places_up"]
    # 0201043 was last in 2020 and is first in 2024: up 3 places, from Q4 to Q1
    assert lines[1].split(";")[0] == "0201043" and lines[1].split(";")[at : at + 5] == ["1", "1", "4", "4", "3"]


def test_compare_level_and_change_gives_ranks_quartiles_and_moves():
    from dashboard.compare_view import with_ranks

    placed = pd.DataFrame({"code": list("abcd"), "score": [0.9, 0.5, 0.7, None], "score_before": [0.2, 0.6, 0.8, 0.4]})
    out = with_ranks(placed).set_index("code")
    assert out["rank"].tolist()[:3] == [1, 3, 2] and pd.isna(out.at["d", "rank"])
    assert out["rank_before"].tolist() == [4, 2, 1, 3]
    assert out.at["a", "places_up"] == 3 and out.at["b", "places_up"] == -1  # a rose from 4th to 1st
    assert out["quartile"].tolist()[:3] == [2, 4, 3] and out["quartile_before"].tolist() == [4, 2, 1, 3]
