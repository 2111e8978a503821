"""Derived indicators declared in the workspace catalogue and computed in SQL, checked by hand."""

from __future__ import annotations

import pytest

from etl.errors import WorkspaceError
from etl.pipeline.load import load_workspace
from etl.workspace import read_workspace
from tests.helpers import write_workspace

DERIVED = """
[[indicators]]
id = "businesses"
name_pl = "Podmioty"
name_en = "Businesses"
unit = "podmioty"
domain = "economic"
direction = "neutral"

[[indicators]]
id = "businesses_per_1000"
name_pl = "Podmioty na 1000 mieszk."
name_en = "Businesses per 1,000 residents"
unit = "‰"
domain = "economic"
direction = "higher_is_better"
derived = { kind = "per_1000", of = "businesses", per = "population" }

[[indicators]]
id = "population_change_5y"
name_pl = "Zmiana ludności w 5 lat"
name_en = "Population change over 5 years"
unit = "%"
domain = "social"
direction = "higher_is_better"
derived = { kind = "change_pct", of = "population", years = 5 }

[[indicators]]
id = "per_1000_change"
name_pl = "Zmiana wskaźnika podmiotów"
name_en = "Change of businesses per 1,000"
unit = "‰"
domain = "economic"
direction = "higher_is_better"
derived = { kind = "change", of = "businesses_per_1000", years = 5 }

[[tables]]
id = "dane"
path = "dane.csv"
layout = "long"
level = "gmina"
code = "kod"
indicator_column = "wskaznik"
year_column = "rok"
value = "wartosc"
flag_column = "flaga"
flags = { "wstępne" = "preliminary" }
"""

CSV = """kod;wskaznik;rok;wartosc;flaga
0201011;population;2019;2000;
0201011;population;2024;2500;
0201011;businesses;2019;100;
0201011;businesses;2024;150;wstępne
0201022;population;2024;0;
0201022;businesses;2024;7;
0201032;population;2024;1000;
"""


def _values(db, ro, indicator):
    return {
        (u, y): (v, f)
        for u, y, v, f in ro(db)
        .execute("SELECT unit_code, year, value, flag FROM observations WHERE indicator_id = ?", [indicator])
        .fetchall()
    }


def test_derived_values_by_hand_with_flags_carried_and_nothing_invented(tmp_path, db, ro):
    (tmp_path / "dane.csv").write_text(CSV, "utf-8")
    load_workspace(read_workspace(write_workspace(tmp_path, DERIVED)), db)
    per_1000 = _values(db, ro, "businesses_per_1000")
    assert per_1000[("0201011", 2019)] == (50.0, None)  # 100 / 2000 × 1000
    assert per_1000[("0201011", 2024)][0] == pytest.approx(60.0)  # 150 / 2500 × 1000
    assert per_1000[("0201011", 2024)][1] == "preliminary"  # the input's flag carried over
    assert per_1000[("0201022", 2024)] == (None, "not_computable")  # 0 residents: no number, not 0
    assert ("0201032", 2024) not in per_1000  # no businesses: nothing invented
    change = _values(db, ro, "population_change_5y")
    assert change == {("0201011", 2024): (pytest.approx(25.0), None)}  # 2500 / 2000 − 1
    assert _values(db, ro, "per_1000_change")[("0201011", 2024)][0] == pytest.approx(10.0)  # derived of derived
    source = ro(db).execute("SELECT derivation FROM indicators WHERE id = 'businesses_per_1000'").fetchone()[0]
    assert '"kind": "per_1000"' in source


def test_a_bad_derivation_is_refused_with_its_place(tmp_path):
    body = DERIVED.replace(
        'derived = { kind = "per_1000", of = "businesses", per = "population" }',
        'derived = { kind = "per_capita", of = "businesses" }',
    )
    with pytest.raises(WorkspaceError, match="derived kind must be one of"):
        read_workspace(write_workspace(tmp_path, body))
