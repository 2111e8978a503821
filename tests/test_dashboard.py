"""Every page through Streamlit's AppTest, asserting what is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import demo
from etl.load import load_workspace
from etl.workspace import read_workspace

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("dash") / "demo.duckdb"
    load_workspace(read_workspace(demo.REPO_DEMO / "workspace.toml"), db)
    return db


def _app(db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("LDATLAS_DB", str(db))
    return AppTest.from_file(APP, default_timeout=60)


def test_overview_shows_counts_and_the_synthetic_label(demo_db, monkeypatch):
    at = _app(demo_db, monkeypatch).run()
    assert not at.exception
    assert "syntetyczne" in at.warning[0].value
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Jednostki"] == "42"
    assert metrics["Wskaźniki"] == "29"
    assert metrics["Odrzucone wiersze"] == "0"
    assert at.title[0].value.startswith("Nadrzecze")
    assert metrics["Wnioski mieszkańców"] == "80" and metrics["Obszary programowe"] == "4"
    areas = at.dataframe[2].value.set_index("area_id")
    assert set(areas.index) == {"lsr", "mof", "rewitalizacja", "zdegradowany"}
    assert 30_000 <= areas.loc["lsr", "population"] <= 150_000
    assert at.dataframe[3].value["proposals"].sum() == 80


def test_language_switch_to_english(demo_db, monkeypatch):
    at = _app(demo_db, monkeypatch).run()
    at.sidebar.radio(key="lang_choice").set_value("en").run()
    assert not at.exception
    assert "synthetic" in at.warning[0].value
    assert {m.label for m in at.metric} >= {"Units", "Indicators", "Rejected rows"}
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"


def test_map_preview_shows_values_for_the_chosen_indicator_and_year(demo_db, monkeypatch):
    at = AppTest.from_function(_map_page_script, args=(str(demo_db),), default_timeout=60).run()
    assert not at.exception
    at.selectbox(key="level").set_value("urban_unit").run()
    at.selectbox(key="indicator").set_value("population").run()
    at.select_slider(key="year").set_value(2013).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert len(frame) == 17 and frame["value"].notna().all()
    assert "Jednostki bez danych: 0 / 17" in at.caption[-1].value
    total_2013 = frame["value"].sum()
    at.select_slider(key="year").set_value(2024).run()
    assert at.dataframe[0].value["value"].sum() != total_2013


def _map_page_script(db: str) -> None:
    import os

    os.environ["LDATLAS_DB"] = db
    from dashboard.views import map_preview

    map_preview.page("pl")


def test_empty_or_missing_store_is_explained(tmp_path, monkeypatch):
    at = _app(tmp_path / "none.duckdb", monkeypatch).run()
    assert "No store at" in at.error[0].value
