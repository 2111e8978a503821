"""Typologies: a class per unit from a table declared in the workspace, as comparison groups — alone or crossed
with a population size class — on the Compare page, in the index and in the report."""

from __future__ import annotations

import pytest

from etl import store
from etl.errors import SourceError
from etl.pipeline.load import load_workspace
from etl.workspace import read_workspace
from indicators.composite import group_members
from tests.helpers import write_workspace


@pytest.fixture
def demo_db(hostile_demo_db):
    return hostile_demo_db  # the demo (and a hostile proposal title): loaded once per session, read only here


TYPOLOGY = """
[[typologies]]
id = "typ"
path = "typ.csv"
level = "gmina"
code = "TERYT"
class_column = "Typ"
name_pl = "Typ gminy"
classes = { A = "miasta", B = "wsie" }
classes_en = { A = "towns" }
"""


def test_a_typology_loads_its_classes_and_keeps_bad_rows_as_rejects(tmp_path, db, ro):
    (tmp_path / "typ.csv").write_text(
        "TERYT;Typ\n201011;A\n0201022; B \n0201032;\n9999999;A\n0201022;A\n0201043;B\n", "utf-8"
    )
    result = load_workspace(read_workspace(write_workspace(tmp_path, TYPOLOGY)), db)
    counts = {s.source_id: (s.rows_read, s.rows_loaded, s.rows_rejected) for s in result.sources}
    assert counts["typ"] == (6, 3, 3)
    con = ro(db)
    assert con.execute("SELECT code, class FROM unit_classes ORDER BY code").fetchall() == [
        ("0201011", "A"),  # the lost leading zero restored
        ("0201022", "B"),  # spaces around the class dropped; its second row rejected
        ("0201043", "B"),
    ]
    rejects = con.execute("SELECT row_number, column_name, reason FROM rejects ORDER BY row_number").fetchall()
    assert [(r, c) for r, c, _ in rejects] == [(4, "Typ"), (5, "TERYT"), (6, "TERYT")]
    assert "no class" in rejects[0][2] and "not a gmina" in rejects[1][2] and "listed twice" in rejects[2][2]
    assert group_members(con, "gmina", "typology:typ:B") == ["0201022", "0201043"]


def test_a_missing_class_column_is_one_sentence_and_changes_nothing(tmp_path, db):
    (tmp_path / "typ.csv").write_text("TERYT;Rodzaj\n0201011;A\n", "utf-8")
    with pytest.raises(SourceError, match="no column 'Typ' for the class"):
        load_workspace(read_workspace(write_workspace(tmp_path, TYPOLOGY)), db)
    assert not db.exists()


def test_the_demo_typology_crossed_with_size(demo_db):
    con = store.connect(demo_db, read_only=True)
    try:
        rural = group_members(con, "gmina", "typology:typ:D")
        crossed = group_members(con, "gmina", "typology:typ:D&size:5k-20k")
        population = dict(
            con.execute(
                "SELECT unit_code, value FROM observations WHERE indicator_id = 'population' AND year = "
                "(SELECT max(year) FROM observations WHERE indicator_id = 'population')"
            ).fetchall()
        )
    finally:
        con.close()
    assert len(rural) == 10 and set(crossed) < set(rural)
    assert crossed == [c for c in rural if 5_000 <= population[c] < 20_000]


def test_compare_offers_typology_groups_in_words(demo_db):
    from streamlit.testing.v1 import AppTest

    from tests.helpers import page_script

    at = AppTest.from_function(page_script, args=(str(demo_db), "compare"), default_timeout=120)
    for key, value in {"level": "gmina", "group": "typology:typ:D&size:5k-20k", "lang": "en"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    group = at.sidebar.selectbox(key="cmp_group")
    assert group.value == "typology:typ:D&size:5k-20k"
    assert group.format_func(group.value) == (
        "Functional type of gmina (demo): D – farming and peripheral gminy × size class: 5,000–20,000 residents"
    )
