from __future__ import annotations

import filecmp

from etl import store
from etl.pipeline.load import load_workspace
from etl.tools import demo
from etl.workspace import read_workspace


def _files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_same_seed_same_files_and_the_shipped_demo_is_current(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    demo.write_demo(a)
    demo.write_demo(b)
    assert _files(a) == _files(b)
    for rel in _files(a):
        assert filecmp.cmp(a / rel, b / rel, shallow=False), rel
    shipped = demo.REPO_DEMO
    assert _files(shipped) == _files(a)
    for rel in _files(a):
        assert filecmp.cmp(a / rel, shipped / rel, shallow=False), f"{rel}: run `python -m etl.tools.demo`"


def test_demo_is_a_plausible_city(tmp_path):
    db = tmp_path / "demo.duckdb"
    load_workspace(read_workspace(demo.REPO_DEMO / "workspace.toml"), db)
    con = store.connect(db, read_only=True)
    city_pop = con.execute(
        "SELECT value FROM observations WHERE unit_code = '9861011' AND indicator_id = 'population' AND year = 2024"
    ).fetchone()[0]
    assert 150_000 <= city_pop <= 250_000
    units_pop = con.execute(
        "SELECT sum(value) FROM observations o JOIN units u ON u.code = o.unit_code "
        "WHERE u.level = 'urban_unit' AND indicator_id = 'population' AND year = 2024"
    ).fetchone()[0]
    assert units_pop == city_pop
    years = con.execute("SELECT count(DISTINCT year) FROM observations").fetchone()[0]
    assert years >= 12
    domains = dict(con.execute("SELECT domain, count(*) FROM indicators GROUP BY 1").fetchall())
    assert set(domains) == {"economic", "social", "environmental-spatial", "institutional"}

    # the historic centre is older and poorer than the newest suburb
    def value(unit, ind):
        return con.execute(
            "SELECT value FROM observations WHERE unit_code = ? AND indicator_id = ? AND year = 2024", [unit, ind]
        ).fetchone()[0]

    centre, suburb = "9861011-01", "9861011-14"
    assert value(centre, "share_65_plus") > value(suburb, "share_65_plus")
    assert value(centre, "social_assistance") > value(suburb, "social_assistance")
    assert value("9861011-05", "pm10") > value(suburb, "pm10")  # the industrial district has poor air
    parents = con.execute("SELECT DISTINCT parent_code FROM units WHERE level = 'urban_unit'").fetchall()
    assert parents == [("9861011",)]
    assert con.execute("SELECT count(*) FROM units WHERE NOT ST_IsValid(geom)").fetchone()[0] == 0
    con.close()


def test_demo_proposals_and_programme_areas(tmp_path):
    from indicators.areas import area_totals

    db = tmp_path / "demo.duckdb"
    load_workspace(read_workspace(demo.REPO_DEMO / "workspace.toml"), db)
    con = store.connect(db, read_only=True)
    kinds = dict(con.execute("SELECT location_kind, count(*) FROM proposals GROUP BY 1").fetchall())
    assert 75 <= sum(kinds.values()) <= 85 and kinds["city_wide"] >= 3
    shared = con.execute("SELECT count(*) FROM proposals WHERE location_note LIKE 'shares its point%'").fetchone()[0]
    assert shared >= 3
    assert {r[0] for r in con.execute("SELECT DISTINCT status FROM proposals").fetchall()} == {
        "submitted",
        "under_evaluation",
        "accepted",
        "rejected",
        "selected",
        "implemented",
    }
    assert {r[0] for r in con.execute("SELECT DISTINCT goal_code FROM proposals").fetchall()} == {
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
    }
    totals = area_totals(con).query("year == 2024").set_index("area_id")
    assert 30_000 <= totals.loc["lsr", "population"] <= 150_000
    assert totals.loc["mof", "units"] == 21
    city = con.execute("SELECT area_km2 FROM units WHERE code = '9861011'").fetchone()[0]
    assert totals.loc["rewitalizacja", "area_km2"] <= 0.2 * city
    assert set(totals.index) == {"lsr", "rewitalizacja", "zdegradowany", "mof"}
    con.close()
