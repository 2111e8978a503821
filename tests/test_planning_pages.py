"""The planning pages through Streamlit's AppTest: proposals (demo with a hostile title), the LSR builder and the
revitalisation delimitation (on the hand-worked fixture of ``tests/planning_fixture.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.text import unescaped
from etl import store
from tests import planning_fixture
from tests.helpers import HOSTILE_TITLE, page_script


def _run(db: Path, name: str) -> AppTest:
    return AppTest.from_function(page_script, args=(str(db), name), default_timeout=90).run()


@pytest.fixture(scope="module")
def demo_db(hostile_demo_db) -> Path:
    return hostile_demo_db


@pytest.fixture
def plan_db(tmp_path) -> Path:
    return planning_fixture.build(tmp_path / "plan.duckdb")


def _frame(at: AppTest, column: str, nth: int = 0):
    """The ``nth`` data table shown that has ``column`` (AppTest does not expose their keys)."""
    return [d.value for d in at.dataframe if column in d.value.columns][nth]


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_proposals_page_filters_counts_and_keeps_titles_as_text(demo_db):
    at = _run(demo_db, "proposals")
    assert not at.exception
    assert at.caption[0].value == "Pokazano 81 z 81 wniosków."
    per_unit = _frame(at, "Wnioski")
    zero = int((per_unit["Wnioski"] == 0).sum())
    warned = [unescaped(w.value) for w in at.warning if "bez żadnego wniosku" in unescaped(w.value)]
    assert (zero == 0 and not warned) or (warned and warned[0].startswith(f"{zero} jednostek"))
    assert per_unit["Wnioski"].sum() <= 81
    listed = _frame(at, "Głosy")
    assert HOSTILE_TITLE in listed["Tytuł"].tolist()  # the title as plain text in a data table
    assert not any(HOSTILE_TITLE in m.value for m in at.markdown)  # never as Markdown
    at.sidebar.text_input(key="prop_text").set_value("onerror").run()
    assert at.caption[0].value == "Pokazano 1 z 81 wniosków."
    at.sidebar.text_input(key="prop_text").set_value("").run()
    at.sidebar.multiselect(key="prop_status").set_value(["selected"]).run()
    listed = _frame(at, "Głosy")
    loose = _frame(at, "Dlaczego nie na mapie")
    assert set(listed["Status"]) <= {"wybrany do realizacji"}
    n = int(at.caption[0].value.split()[1])
    assert n == len(listed) + len(loose) and 0 < n < 81
    goals = _frame(at, "Udział wybranych")
    assert goals["Udział wybranych"].eq(1.0).all()  # only selected proposals are shown now


def test_lsr_builder_totals_and_verdict_live(plan_db):
    at = _run(plan_db, "lsr_builder")
    assert not at.exception
    at.sidebar.selectbox(key="lsr_level").set_value("urban_unit").run()
    at.sidebar.selectbox(key="lsr_year").set_value(2023).run()
    at.multiselect(key="lsr_units").set_value(["U1", "U2"]).run()
    assert not at.exception
    metrics = _metrics(at)
    assert metrics["Ludność (2023)"] == "150\u00a0000" and metrics["Części (spójność)"] == "1"
    assert [unescaped(s.value) for s in at.success][1].startswith(
        "najwyżej 150 000 mieszkańców: 150\u00a0000 — spełnione"
    )
    assert not at.error
    at.sidebar.selectbox(key="lsr_year").set_value(2022).run()  # 150,001
    assert any("przekroczone o 1" in unescaped(e.value) for e in at.error)
    at.multiselect(key="lsr_units").set_value(["U1", "U3"]).run()
    assert any("2 oddzielne części" in unescaped(e.value) for e in at.error)
    at.text_input(key="lsr_id").set_value("lsr-test").run()
    at.button(key="lsr_save").click().run()
    assert any("lsr-test" in unescaped(s.value) for s in at.success)
    con = store.connect(plan_db, read_only=True)
    try:
        assert con.execute("SELECT unit_code FROM area_members WHERE area_id = 'lsr-test' ORDER BY 1").fetchall() == [
            ("U1",),
            ("U3",),
        ]
        assert con.execute("SELECT kind FROM sources WHERE source_id = 'lsr-test'").fetchone() == ("app:area",)
    finally:
        con.close()


def test_revitalisation_page_delimits_and_checks_art_10(plan_db):
    at = _run(plan_db, "revitalisation")
    assert not at.exception
    # default criteria (worse than average): unemployment, social_assistance, exam_score social; vacant_premises
    # economic; pm10 environmental -> U1 and U3 degraded (3 social problems each, and an other one)
    assert _metrics(at)["Jednostki zdegradowane"] == "2 / 5"
    table = _frame(at, "Problemy społeczne").set_index("Kod")
    assert table.loc["U1", "Zdegradowana"] == "tak" and table.loc["U4", "Zdegradowana"] == "nie"
    assert table.loc["U4", "exam_score: problem"] == "brak danych"  # the fixture's indicator is named by its id
    # nothing is preselected (no failing verdict on opening); both degraded units make 50% of the area: over 20%
    assert not at.error and at.multiselect(key="revit_area").value == []
    at.multiselect(key="revit_area").set_value(["U1", "U3"]).run()
    assert any("przekroczone o 30,00\u00a0p.p." in unescaped(e.value) for e in at.error)
    at.multiselect(key="revit_area").set_value(["U1"]).run()
    assert not at.error and len(at.success) == 2  # exactly 20% of the area and 30% of the residents
    assert _metrics(at)["Udział w powierzchni gminy"] == "20,00%"
    at.button(key="revit_save").click().run()
    con = store.connect(plan_db, read_only=True)
    try:
        kinds = dict(
            con.execute(
                "SELECT kind, count(*) FROM areas a JOIN area_members m ON m.area_id = a.id GROUP BY 1"
            ).fetchall()
        )
    finally:
        con.close()
    assert kinds == {"degraded": 2, "revitalisation": 1}


def test_planning_pages_in_english(demo_db, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    for name, title in (
        ("proposals", "Residents' proposals"),
        ("lsr_builder", "LSR coverage builder"),
        ("revitalisation", "Degraded area and revitalisation area"),
    ):
        at = AppTest.from_function(page_script, args=(str(db), name), default_timeout=90)
        at.query_params["lang"] = "en"
        at.run()
        assert not at.exception and at.title[0].value == title


def test_compare_page_from_a_link(demo_db):
    at = AppTest.from_function(page_script, args=(str(demo_db), "compare"), default_timeout=90)
    at.query_params["units"] = "9861011-01,9861011-05"
    at.query_params["year"] = "2024"
    at.run()
    assert not at.exception
    assert [unescaped(s.value) for s in at.subheader] == [
        "Wartości wskaźników",
        "Wyniki w wymiarach indeksu",
        "Szeregi czasowe",
        "Poziom i zmiana",
    ]
    values = at.dataframe[0].value  # indicator x unit, "value (rank/of), difference"
    assert list(values.columns) == ["Stare Miasto", "Kolonia Fabryczna"]
    assert all(" z 17)" in v for v in values.iloc[:, 0] if v != "brak danych")  # "(3. z 17), -1,20"
    quadrants = _frame(at, "Poziom i zmiana")
    assert len(quadrants) == 2 and set(quadrants["Poziom i zmiana"]) <= {
        "silna i poprawiająca się",
        "silna, ale pogarszająca się",
        "słaba, ale poprawiająca się",
        "słaba i pogarszająca się",
    }
    params = {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params["units"] == "9861011-01,9861011-05" and params["level"] == "urban_unit"
    at.multiselect(key="cmp_units").set_value(["9861011-01"]).run()
    assert [i.value for i in at.info] == ["Wybierz co najmniej dwie jednostki."]


def test_compare_page_saves_the_chosen_units_as_a_group(demo_db, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    at = AppTest.from_function(page_script, args=(str(db), "compare"), default_timeout=90)
    at.query_params["units"] = "9861011-01,9861011-05,9861011-14"
    at.run()
    assert at.button(key="cmp_save_group_off").disabled  # no name, no save: nothing saved under a made-up name
    at.text_input(key="cmp_group_name").set_value("Śródmieście i Lipowe").run()
    at.button(key="cmp_save_group").click().run()
    assert not at.exception
    assert any("Śródmieście i Lipowe" in unescaped(s.value) for s in at.success)
    assert "saved:srodmiescie-i-lipowe" in at.sidebar.selectbox(key="cmp_group").options or any(
        "Śródmieście i Lipowe" in o for o in at.sidebar.selectbox(key="cmp_group").options
    )
    assert at.sidebar.selectbox(key="cmp_group").value == "all"  # still compared with the group chosen before

    # the same name again, for other units: the page asks before replacing, and keeps the first version
    at.multiselect(key="cmp_units").set_value(["9861011-02", "9861011-03"]).run()
    at.button(key="cmp_save_group").click().run()
    assert any("jest już zapisany" in unescaped(w.value) for w in at.warning)
    assert _group(db) == ["9861011-01", "9861011-05", "9861011-14"]  # nothing overwritten
    at.checkbox(key="cmp_save_group_replace_srodmiescie-i-lipowe").check().run()
    at.button(key="cmp_save_group").click().run()
    assert _group(db) == ["9861011-02", "9861011-03"]
    con = store.connect(db, read_only=True)
    try:
        audit = con.execute("SELECT action, who, version FROM audit ORDER BY version").fetchall()
        first = con.execute(
            "SELECT content FROM saved_versions WHERE object_id = 'srodmiescie-i-lipowe' AND version = 1"
        ).fetchone()
    finally:
        con.close()
    assert audit == [("save", "local user", 1), ("replace", "local user", 2)]
    assert "9861011-14" in first[0]  # the replaced version is kept, restorable


def _group(db) -> list[str]:
    con = store.connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT unit_code FROM unit_groups WHERE group_id = 'srodmiescie-i-lipowe' ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def test_the_revitalisation_xlsx_says_which_units_are_in_the_area(plan_db):
    import io

    import pandas as pd

    from dashboard.revitalisation_view import criteria_from, delimitation_xlsx, suggested_criteria
    from indicators.revitalisation import delimit
    from tests.planning_fixture import GMINA

    con = store.connect(plan_db, read_only=True)
    try:
        catalogue = con.execute("SELECT id, name_pl, name_en, name_en AS name_lt FROM indicators").df()
        catalogue = catalogue.set_index("id")
        available = [i for i in catalogue.index if i != "population"]
        result = delimit(con, GMINA, "urban_unit", 2024, criteria_from(suggested_criteria(available)), 2)
    finally:
        con.close()
    workbook = pd.read_excel(io.BytesIO(delimitation_xlsx(result, None, catalogue, "pl", ["U1"])), sheet_name=None)
    assert list(workbook) == ["delimitacja", "Kryteria"]  # sheets named in the interface language
    sheet = workbook["delimitacja"]
    assert dict(zip(sheet["Kod"], sheet["Obszar rewitalizacji"], strict=True)) == {
        "U1": "tak",
        "U2": "nie",
        "U3": "nie",
        "U4": "nie",
        "U5": "nie",
    }
    assert {"Kod", "Nazwa", "Zdegradowana", "Problemy społeczne"} <= set(sheet.columns)
    lt = pd.read_excel(io.BytesIO(delimitation_xlsx(result, None, catalogue, "lt", ["U1"])), sheet_name=None)
    assert list(lt) == ["ribų nustatymas", "Kriterijai"] and "Kodas" in lt["ribų nustatymas"].columns


def test_the_criteria_editor_reads_values_as_typed():
    import pandas as pd

    from dashboard.revitalisation_view import criteria_from
    from indicators.errors import RuleError

    def value(typed):
        rule = "worse_than_average" if typed is None or not typed.strip() else "threshold"
        row = {"use": True, "indicator": "x", "group": "social", "rule": rule, "value": typed}
        return criteria_from(pd.DataFrame([row]))[0].value

    assert [value(v) for v in ("12,5", "12.5", " 1 234,5 ", "", None)] == [12.5, 12.5, 1234.5, None, None]
    with pytest.raises(RuleError, match="not a number"):
        value("dużo")


def test_the_lsr_builder_offers_only_levels_with_units(tmp_path):
    from etl.pipeline.load import load_workspace
    from etl.workspace import read_workspace
    from tests.helpers import write_workspace

    db = tmp_path / "gminy.duckdb"  # the workspace declares four levels, its boundaries are gminy only
    load_workspace(read_workspace(write_workspace(tmp_path, "")), db)
    at = AppTest.from_function(page_script, args=(str(db), "lsr_builder"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="lsr_level").options == ["municipality (gmina)"]  # not voivodeship, powiat, …
