"""The dashboard's queries, called directly on the hand-made planning store (tests/planning_fixture.py)."""

from __future__ import annotations

import pytest

from dashboard import queries
from etl.store.groups import save_group
from etl.store.user_content import history
from tests.planning_fixture import GMINA, build


@pytest.fixture
def con(tmp_path, ro):
    db = build(tmp_path / "plan.duckdb")
    save_group(db, "pair", "Para", ["U1", "U2"])
    return ro(db)


def test_years_values_and_areas(con):
    assert queries.level_years(con, "urban_unit") == [2022, 2023, 2024]
    assert queries.level_years(con, "urban_unit", indicator_id="exam_score") == [2024]
    assert queries.level_years(con, "urban_unit", parent_code="nowhere") == []
    assert queries.values_of(con, "population", 2024, ["U1", "U4"]) == {"U1": 30_000, "U4": 15_000}
    assert len(queries.values_of(con, "exam_score", 2024)) == 4  # U4 has none
    assert queries.unit_areas(con, ["U3", GMINA]) == {"U3": 30.0, GMINA: 100.0}


def test_latest_population_series_and_wholes(con):
    year, population = queries.latest_population(con, "urban_unit")
    assert year == 2024 and population.set_index("code")["value"].to_dict()["U5"] == 10_000
    assert queries.latest_population(con, "voivodeship")[0] is None
    series = queries.series_of(con, ["population"], ["U1"])
    assert series["year"].tolist() == [2022, 2023, 2024] and series["value"].tolist() == [100_001, 100_000, 30_000]
    wholes = queries.wholes(con)
    assert wholes.to_dict("records") == [{"code": GMINA, "name": "Gmina testowa", "level": "urban_unit", "units": 5}]


def test_groups_and_areas(con):
    assert queries.group_ids(con, "urban_unit") == ["pair"] and queries.group_ids(con, "gmina") == []
    assert queries.area_ids(con, "urban_unit") == []
    assert queries.group_and_area_names(con) == {"saved:pair": "Para"}
    assert queries.goals(con).empty


def test_saved_content_and_the_audit_name_what_was_saved(con):
    saved = queries.saved_content(con)
    assert saved[["kind", "object_id", "name", "version", "saved_by"]].to_dict("records") == [
        {"kind": "group", "object_id": "pair", "name": "Para", "version": 1, "saved_by": "local user"}
    ]
    assert bool(saved["present"].iloc[0])
    audit = history(con)
    assert audit[["action", "object_kind", "name", "version"]].to_dict("records") == [
        {"action": "save", "object_kind": "group", "name": "Para", "version": 1}
    ]


def _units(boxes: list[tuple[float, float, float, float]]):
    import duckdb
    import pyarrow as pa

    from etl.store.extensions import load_spatial

    con = duckdb.connect()
    load_spatial(con)
    x0, y0, x1, y1 = (list(side) for side in zip(*boxes, strict=True))
    con.register("boxes", pa.table({"x0": x0, "y0": y0, "x1": x1, "y1": y1}))
    con.execute(
        "CREATE TABLE units AS SELECT printf('%04d', row_number() OVER ()) AS code, 'lau' AS level,"
        " ST_MakeEnvelope(x0, y0, x1, y1) AS geom FROM boxes"
    )
    return con


def test_a_map_opens_on_the_level_not_on_its_outlying_units():
    """Every EU LAU includes the outermost regions (Réunion, Guadeloupe): the map opens on the mainland, every unit
    of it whole; a level without such outliers — its edge units included — opens on all of it."""
    mainland = [
        (-9 + i * 0.4, 36 + j * 0.35, -9 + (i + 1) * 0.4, 36 + (j + 1) * 0.35) for i in range(100) for j in range(90)
    ]
    overseas = [(55.2, -21.4, 55.8, -20.9), (-61.8, 15.9, -61.0, 16.5), (-18.2, 27.6, -13.4, 29.4)]
    con = _units(mainland + overseas)
    assert queries.level_bounds(con, "lau") == pytest.approx((-9.0, 36.0, 31.0, 67.5))
    assert queries.level_bounds(con, "nuts") is None
    country = _units(mainland)  # its edge units are its own: never left out
    assert queries.level_bounds(country, "lau") == pytest.approx((-9.0, 36.0, 31.0, 67.5))
    import numpy as np

    spots = np.random.default_rng(7).uniform((14.1, 49.0), (24.0, 54.8), (20, 2))  # twenty cities over a country
    towns = _units([(x, y, x + 0.1, y + 0.1) for x, y in spots])
    expected = (*spots.min(axis=0), *(spots.max(axis=0) + 0.1))
    assert queries.level_bounds(towns, "lau") == pytest.approx(expected)  # scattered, yet all of them
