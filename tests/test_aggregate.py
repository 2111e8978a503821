"""Coarser levels from finer ones, as the catalogue declares (``aggregate``), checked by hand: sums of counts,
population-weighted means of rates, nothing for a parent with a unit missing, loaded values winning, and gminy →
powiaty → województwo in one pass."""

from __future__ import annotations

import pytest

from etl import store
from etl.errors import WorkspaceError
from etl.workspace import read_workspace
from indicators.aggregate import compute_aggregates
from tests.helpers import write_workspace

#: województwo 02 > powiaty 0201 (gminy a, b) and 0202 (gmina c, d)
UNITS = [
    ("02", "voivodeship", None),
    ("0201", "powiat", "02"),
    ("0202", "powiat", "02"),
    ("0201011", "gmina", "0201"),
    ("0201022", "gmina", "0201"),
    ("0202011", "gmina", "0202"),
    ("0202022", "gmina", "0202"),
]
OBS = [  # unit, indicator, year, value
    ("0201011", "population", 2024, 1000.0),
    ("0201022", "population", 2024, 3000.0),
    ("0202011", "population", 2024, 2000.0),
    ("0202022", "population", 2024, 2000.0),
    ("0201011", "unemployment", 2024, 10.0),
    ("0201022", "unemployment", 2024, 2.0),
    ("0202011", "unemployment", 2024, 5.0),
    ("0202022", "unemployment", 2024, 3.0),
    ("0201011", "population", 2023, 990.0),  # 2023: one gmina of 0201 has no value
    ("0202011", "population", 2023, 1990.0),
    ("0202022", "population", 2023, 1990.0),
    ("0202", "unemployment", 2024, 4.5),  # loaded for powiat 0202: it wins over the computed 4.0
    ("0201011", "price", 2024, 5000.0),  # no aggregate declared: stays where it was loaded
]


@pytest.fixture
def con(tmp_path):
    db = tmp_path / "agg.duckdb"
    with store.writing(db) as con:
        for rank, level in enumerate(("voivodeship", "powiat", "gmina")):
            con.execute(
                "INSERT INTO levels (level, rank, name_pl, name_en) VALUES (?, ?, ?, ?)", [level, rank, level, level]
            )
        for code, level, parent in UNITS:
            con.execute("INSERT INTO units VALUES (?, ?, ?, ?, 1.0, NULL, 'fixture')", [code, code, level, parent])
        for indicator, aggregate, weight in (
            ("population", "sum", None),
            ("unemployment", "weighted_mean", "population"),
            ("price", None, None),
        ):
            con.execute(
                "INSERT INTO indicators (id, name_pl, name_en, unit, domain, direction, source_id, aggregate, "
                "aggregate_weight) VALUES (?, ?, ?, '-', 'social', 'neutral', 'fixture', ?, ?)",
                [indicator, indicator, indicator, aggregate, weight],
            )
        con.executemany("INSERT INTO observations VALUES (?, ?, ?, ?, NULL, 'fixture')", OBS)
        counts = compute_aggregates(con)
    reader = store.connect(db, read_only=True)
    yield reader, counts
    reader.close()


def _value(con, unit, indicator, year):
    row = con.execute(
        "SELECT value, source_id FROM observations WHERE unit_code = ? AND indicator_id = ? AND year = ?",
        [unit, indicator, year],
    ).fetchone()
    return row


def test_sums_and_weighted_means_by_hand(con):
    con, counts = con
    assert _value(con, "0201", "population", 2024) == (4000.0, "aggregated")
    assert _value(con, "0202", "population", 2024) == (4000.0, "aggregated")
    assert _value(con, "02", "population", 2024) == (8000.0, "aggregated")  # from the powiaty just computed
    # (10 × 1000 + 2 × 3000) / 4000 = 4.0
    assert _value(con, "0201", "unemployment", 2024)[0] == pytest.approx(4.0)
    assert _value(con, "0202", "unemployment", 2024) == (4.5, "fixture")  # the loaded value wins
    # the województwo from its powiaty: (4.0 × 4000 + 4.5 × 4000) / 8000
    assert _value(con, "02", "unemployment", 2024)[0] == pytest.approx(4.25)
    assert counts == {"population": 4, "unemployment": 2}  # 0201, 0202 and 02 in 2024; 0202 in 2023


def test_a_parent_with_a_unit_missing_gets_nothing(con):
    con, _counts = con
    assert _value(con, "0201", "population", 2023) is None  # 0201022 has no 2023 value: a sum would be too small
    assert _value(con, "0202", "population", 2023) == (3980.0, "aggregated")
    assert _value(con, "02", "population", 2023) is None  # so the województwo has none either
    assert _value(con, "0201", "price", 2024) is None  # nothing declared, nothing computed


def test_a_weighted_mean_without_a_weight_is_refused(tmp_path):
    body = """
[[indicators]]
id = "rate"
name_pl = "Stopa"
name_en = "Rate"
unit = "%"
domain = "social"
direction = "neutral"
aggregate = "weighted_mean"
"""
    with pytest.raises(WorkspaceError, match="needs `weight`"):
        read_workspace(write_workspace(tmp_path, body))
    with pytest.raises(WorkspaceError, match="aggregate"):
        read_workspace(write_workspace(tmp_path, body.replace("weighted_mean", "average")))
