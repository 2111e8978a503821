"""A store worked out by hand for the planning tools: gmina 1000000 (100 km², 100,000 residents in 2024) made of
five urban units in a row, each touching the next:

    unit  area km²  pop 2024  unemployment  social_assistance  exam_score  pm10  vacant_premises
    U1    20        30,000    10            100                45          50    5
    U2    10        20,000     4             40                70          30    1
    U3    30        25,000     8             90                40          35    9
    U4    25        15,000     2             20                (none)      45    2
    U5    15        10,000     6             50                55          20    3
    gmina 100      100,000     5             —                 —           —     —

In 2023 U1 has 100,000 residents and U2 50,000 (together exactly 150,000); in 2022 U1 has 100,001.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import box

from etl import store
from etl.store.runs import geoarrow_table

GMINA = "1000000"
UNITS = {  # code: (area, pop 2024, unemployment, social_assistance, exam_score, pm10, vacant_premises)
    "U1": (20.0, 30_000, 10, 100, 45, 50, 5),
    "U2": (10.0, 20_000, 4, 40, 70, 30, 1),
    "U3": (30.0, 25_000, 8, 90, 40, 35, 9),
    "U4": (25.0, 15_000, 2, 20, None, 45, 2),
    "U5": (15.0, 10_000, 6, 50, 55, 20, 3),
}
INDICATORS = [  # id, direction
    ("population", "neutral"),
    ("unemployment", "lower_is_better"),
    ("social_assistance", "lower_is_better"),
    ("exam_score", "higher_is_better"),
    ("pm10", "lower_is_better"),
    ("vacant_premises", "lower_is_better"),
]


def build(db: Path) -> Path:
    with store.writing(db) as con:
        con.execute(
            "INSERT INTO levels (level, rank, name_pl, name_en) VALUES ('gmina', 0, 'gmina', 'gmina'), "
            "('urban_unit', 1, 'jednostka urbanistyczna', 'urban unit')"
        )
        con.execute("INSERT INTO workspace VALUES ('name', 'Planning fixture'), ('language', 'pl')")
        rows = [(GMINA, "Gmina testowa", "gmina", None, 100.0, box(0, 0, 5, 1))]
        rows += [
            (code, f"Jednostka {code}", "urban_unit", GMINA, v[0], box(i, 0, i + 1, 1))
            for i, (code, v) in enumerate(UNITS.items())
        ]
        frame = pd.DataFrame(rows, columns=["code", "name", "level", "parent", "area", "g"])
        frame["wkb"] = shapely.to_wkb(frame.pop("g").values)
        con.register("_u", geoarrow_table(frame))
        con.execute("INSERT INTO units SELECT code, name, level, parent, area, wkb, 'fixture' FROM _u")
        display = frame[["code", "level", "wkb"]]
        con.register("_d", geoarrow_table(display))
        con.execute("INSERT INTO unit_display SELECT code, level, wkb FROM _d")
        con.executemany(
            "INSERT INTO indicators (id, name_pl, name_en, unit, domain, direction, source_id) "
            "VALUES (?, ?, ?, '-', 'social', ?, 'fixture')",
            [(i, i, i, d) for i, d in INDICATORS],
        )
        obs = [
            (GMINA, "population", 2024, 100_000),
            (GMINA, "unemployment", 2024, 5),
            ("U1", "population", 2023, 100_000),
            ("U2", "population", 2023, 50_000),
            ("U1", "population", 2022, 100_001),
            ("U2", "population", 2022, 50_000),
        ]
        for code, v in UNITS.items():
            for (indicator, _d), value in zip(INDICATORS, v[1:], strict=True):
                if value is not None:
                    obs.append((code, indicator, 2024, value))
        con.executemany("INSERT INTO observations VALUES (?, ?, ?, ?, NULL, 'fixture')", obs)
    return db
