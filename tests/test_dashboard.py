"""Every page through Streamlit's AppTest, asserting what is shown."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.pipeline.load import load_workspace
from etl.tools import demo
from etl.workspace import read_workspace
from tests.helpers import HOSTILE_TITLE

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
    assert metrics["Wskaźniki"] == "31"  # 29 + the two counts behind the derived rates
    assert metrics["Odrzucone wiersze"] == "0"
    assert at.title[0].value.startswith("Nadrzecze")
    assert metrics["Wnioski mieszkańców"] == "80" and metrics["Obszary programowe"] == "4"
    areas = at.dataframe[2].value.set_index("Rodzaj")
    assert set(areas.index) == {
        "obszar LSR (RLKS)",
        "miejski obszar funkcjonalny",
        "obszar rewitalizacji",
        "obszar zdegradowany",
    }
    assert 30_000 <= areas.loc["obszar LSR (RLKS)", "Ludność"] <= 150_000
    assert at.dataframe[3].value["Wnioski"].sum() == 80


def test_language_switch_to_english(demo_db, monkeypatch):
    at = _app(demo_db, monkeypatch).run()
    at.sidebar.radio(key="lang_choice").set_value("en").run()
    assert not at.exception
    assert "synthetic" in at.warning[0].value
    assert {m.label for m in at.metric} >= {"Units", "Indicators", "Rejected rows"}
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"


# --- the map explorer ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def map_db(hostile_demo_db) -> Path:
    return hostile_demo_db


def _map_script(db: str) -> None:
    import os

    os.environ["LDATLAS_DB"] = db
    from dashboard.state import language
    from dashboard.views import map_explorer

    map_explorer.page(language())


def _map(db: Path, **params: str) -> AppTest:
    at = AppTest.from_function(_map_script, args=(str(db),), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _figure(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def _params(at: AppTest) -> dict:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def _db_values(db: Path, indicator: str, year: int) -> dict[str, float]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(
            con.execute(
                "SELECT o.unit_code, o.value FROM observations o JOIN units u ON u.code = o.unit_code "
                "WHERE u.level = 'urban_unit' AND o.indicator_id = ? AND o.year = ?",
                [indicator, year],
            ).fetchall()
        )


def test_map_opens_on_the_finest_level_latest_year_and_writes_the_view_to_the_url(map_db):
    at = _map(map_db)
    assert not at.exception
    params = _params(at)
    assert params["level"] == "urban_unit" and params["year"] == "2024" and params["lang"] == "pl"
    fig = _figure(at)
    classes = [t for t in fig["data"] if t["type"] == "choroplethmap"]
    assert len(classes) == 5  # quantiles, 5 classes, no unit without data
    counts = [int(t["name"].rsplit("(", 1)[1].rstrip(")")) for t in classes]
    assert sum(counts) == 17 and sorted(sum((t["locations"] for t in classes), [])) == sorted(
        _db_values(map_db, params["ind"], 2024)
    )
    # Polish number format in the legend: decimal comma, or a (non-breaking) space between thousands
    assert ("," in classes[0]["name"] or "\u00a0" in classes[0]["name"]) and "." not in classes[0]["name"]
    assert fig["layout"]["separators"] == ", "


def test_a_shared_link_opens_the_same_view(map_db):
    at = _map(
        map_db,
        ind="unemployment",
        year="2015",
        cls="equal_interval",
        k="4",
        ov="proposals,areas",
        unit="9861011-05",
        lang="en",
    )
    assert not at.exception
    assert at.selectbox(key="map_indicator").value == "unemployment"
    assert at.select_slider(key="map_year").value == 2015
    assert at.selectbox(key="map_method").value == "equal_interval"
    assert at.selectbox(key="map_unit").value == "9861011-05"
    fig = _figure(at)
    classes = [t for t in fig["data"] if t["type"] == "choroplethmap" and t.get("showlegend")]
    assert len(classes) == 4
    values = _db_values(map_db, "unemployment", 2015)
    low, high = min(values.values()), max(values.values())
    bounds = [float(t["name"].split(" – ")[1].split(" (")[0].replace(",", ".")) for t in classes]
    assert bounds == pytest.approx([low + (high - low) * i / 4 for i in (1, 2, 3, 4)], abs=0.051)
    names = {t.get("name") for t in fig["data"]}
    assert "Obszar LSR Nadrzecza" in names  # programme areas drawn
    assert any(t["type"] == "scattermap" and t.get("marker", {}).get("size") for t in fig["data"])
    # the unit panel: value and rank (unemployment: lower is better), worked out from the store
    mine = values["9861011-05"]
    rank = 1 + sum(v < mine for v in values.values())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Value 2015"].startswith(f"{mine:.1f}")
    assert metrics["Rank"] == f"{rank} / 17"
    assert "Change over 5 years" in metrics
    assert _params(at) == {
        "level": "urban_unit",
        "ind": "unemployment",
        "year": "2015",
        "cls": "equal_interval",
        "k": "4",
        "ov": "proposals,areas",
        "unit": "9861011-05",
        "lang": "en",
    }


def test_changing_indicator_and_year_redraws_the_values(map_db):
    at = _map(map_db)
    at.selectbox(key="map_indicator").set_value("population").run()
    assert not at.dataframe  # the table is sent only when asked for
    at.toggle(key="map_show_table").set_value(True).run()
    at.select_slider(key="map_year").set_value(2013).run()
    assert not at.exception
    table = at.dataframe[-1].value
    shown = dict(zip(table["Kod"], table[[c for c in table.columns if c.startswith("Wartość")][0]], strict=True))
    assert shown == pytest.approx(_db_values(map_db, "population", 2013))
    assert _params(at)["ind"] == "population" and _params(at)["year"] == "2013"
    at.select_slider(key="map_year").set_value(2024).run()
    table = at.dataframe[-1].value
    assert table.iloc[:, 2].sum() == pytest.approx(sum(_db_values(map_db, "population", 2024).values()))


def test_user_defined_and_fixed_breaks(map_db):
    at = _map(map_db, ind="population", cls="user_defined", br="10000_15000")
    assert not at.exception
    names = [t["name"] for t in _figure(at)["data"] if t["type"] == "choroplethmap"]
    assert names[0].split(" – ")[1].startswith("10\u00a0000") and names[1].split(" – ")[1].startswith("15\u00a0000")
    values = _db_values(map_db, "population", 2024)
    assert int(names[0].rsplit("(", 1)[1].rstrip(")")) == sum(v <= 10000 for v in values.values())
    # own breaks chosen but not typed yet: no warning, the map meanwhile in quantiles; a bad entry warns
    at = _map(map_db, ind="population")
    at.selectbox(key="map_method").set_value("user_defined").run()
    assert not at.exception and not at.warning
    at.text_input(key="map_breaks").set_value("20; 10").run()
    assert [w.value for w in at.warning] == [w.value for w in at.warning][:1] and len(at.warning) == 1
    # more classes than a palette has shades (neighbours would share a colour): said, no map
    at.text_input(key="map_breaks").set_value("; ".join(str(1000 * i) for i in range(1, 11))).run()
    assert not at.exception and not at.get("plotly_chart")
    assert len(at.warning) == 1 and at.warning[0].value.startswith("najwyżej 9 klas własnych")
    # the same breaks for every year: the legend bounds do not move between years
    at = _map(map_db, ind="population", fix="1", year="2013")
    first = [t["name"].split(" (")[0] for t in _figure(at)["data"] if t["type"] == "choroplethmap"]
    at.select_slider(key="map_year").set_value(2024).run()
    last = [t["name"].split(" (")[0] for t in _figure(at)["data"] if t["type"] == "choroplethmap"]
    assert first == last


def test_diverging_palette_turns_with_the_direction(map_db):
    reds = {"#d73027", "#f46d43", "#fdae61", "#fee090"}
    top = {}
    for indicator in ("unemployment", "businesses_per_1000"):
        at = _map(map_db, ind=indicator, ref="avg")
        classes = [t for t in _figure(at)["data"] if t["type"] == "choroplethmap"]
        top[indicator] = classes[-1]["colorscale"][0][1]
    assert top["unemployment"] in reds  # highest unemployment: worse, red
    assert top["businesses_per_1000"] not in reds


def test_diverging_palette_around_a_chosen_unit(map_db):
    def worse(colour: str) -> bool:  # the red side of the scale (its shades and those between them): more red than blue
        return int(colour[1:3], 16) > int(colour[5:7], 16)

    values = _db_values(map_db, "unemployment", 2024)
    worst, best = max(values, key=values.get), min(values, key=values.get)

    def colours(at: AppTest) -> list[str]:
        return [
            t["colorscale"][0][1]
            for t in _figure(at)["data"]
            if t["type"] == "choroplethmap" and not t["name"].startswith("brak danych")
        ]

    at = _map(map_db, ind="unemployment", year="2024")
    assert at.radio(key="map_ref_mode").value == ""
    assert "map_ref" not in [s.key for s in at.selectbox]  # no list of all units until one is asked for
    at = _map(map_db, ind="unemployment", year="2024", ref=worst)
    assert at.radio(key="map_ref_mode").value == "unit" and at.selectbox(key="map_ref").value == worst
    assert not any(worse(c) for c in colours(at))  # every unit at or below the worst unemployment: none worse
    at.selectbox(key="map_ref").set_value(best).run()
    assert _params(at)["ref"] == best
    assert all(worse(c) for c in colours(at))  # every unit at or above the lowest unemployment: all worse (red)
    assert len(set(colours(at))) == len(colours(at))  # each class its own shade
    at.radio(key="map_ref_mode").set_value("avg").run()
    assert _params(at)["ref"] == "avg" and "map_ref" not in [s.key for s in at.selectbox]


def test_resident_text_stays_text_and_panel_lists_the_unit_proposals(map_db):
    at = _map(map_db, ov="proposals")
    hover = [h for t in _figure(at)["data"] if t["type"] == "scattermap" for h in t.get("text", [])]
    hostile = [h for h in hover if "onerror" in h]
    assert hostile and all("<img" not in h and "&lt;img src=x onerror=alert(1)&gt;" in h for h in hostile)
    with duckdb.connect(str(map_db), read_only=True) as con:
        unit, count = con.execute(
            "SELECT unit_code, (SELECT count(*) FROM proposals q WHERE q.unit_code = p.unit_code)"
            " FROM proposals p WHERE id = 'W2024-999'"
        ).fetchone()
    at.selectbox(key="map_unit").set_value(unit).run()
    listed = at.dataframe[0].value
    assert len(listed) == count and HOSTILE_TITLE in listed["Tytuł"].tolist()


@pytest.mark.slow
def test_play_sends_every_year_once_for_the_browser_to_play(map_db):
    at = _map(map_db, year="2016")
    still = _figure(at)
    assert "frames" not in still
    at.toggle(key="map_play").set_value(True).run()
    assert not at.exception
    fig = _figure(at)
    years = [str(y) for y in range(2013, 2025)]
    assert [f["name"] for f in fig["frames"]] == years
    slider = fig["layout"]["sliders"][0]
    assert [s["label"] for s in slider["steps"]] == years and slider["active"] == years.index("2016")
    assert [b["label"] for b in fig["layout"]["updatemenus"][0]["buttons"]] == ["▶ Odtwórz", "❚❚ Pauza"]
    # each frame: only the class traces (units, values, legend labels) and the title with its year
    width = len(fig["frames"][0]["data"])
    assert all(len(f["data"]) == width and f["traces"] == list(range(width)) for f in fig["frames"])
    assert not any("geojson" in trace for f in fig["frames"] for trace in f["data"])  # the geometry is sent once
    for frame in fig["frames"]:
        assert f", {frame['name']}" in frame["layout"]["title"]["text"]
        shown = [code for trace in frame["data"] for code in trace.get("locations", [])]
        assert len(shown) == len(set(shown)) == 17  # every urban unit once per year
    assert fig["data"][0]["locations"] == fig["frames"][years.index("2016")]["data"][0]["locations"]
    assert at.select_slider(key="map_year").value == 2016 and _params(at)["year"] == "2016"


def test_empty_or_missing_store_is_explained(tmp_path, monkeypatch):
    at = _app(tmp_path / "none.duckdb", monkeypatch).run()
    assert "Nie ma bazy w" in at.error[0].value and "ldatlas load" in at.error[0].value  # Polish by default
    english = _app(tmp_path / "none.duckdb", monkeypatch)
    english.query_params["lang"] = "en"
    assert "No store at" in english.run().error[0].value


def test_hotspot_mode_classes_units_by_local_morans_i_and_stays_in_the_link(map_db):
    at = _map(map_db, hs="1", sig="0.1", ind="unemployment", year="2024")
    assert not at.exception
    names = [trace.get("name", "") for trace in _figure(at)["data"]]
    classes = [
        n
        for n in names
        if n.split(" (")[0]
        in {
            "wysokie wśród wysokich",
            "niskie wśród niskich",
            "wysokie wśród niskich",
            "niskie wśród wysokich",
            "nieistotne",
            "bez sąsiadów z danymi",
        }
    ]
    assert len(classes) == 6
    assert sum(int(n.rsplit("(", 1)[1].rstrip(")")) for n in classes) == 17  # every urban unit, none lost
    assert "skupiska, p ≤ 0,1" in _figure(at)["layout"]["title"]["text"]
    params = _params(at)
    assert params["hs"] == "1" and params["sig"] == "0.1"


def test_levels_without_values_are_not_offered_on_the_map(tmp_path):
    """The planning store has values for gminy and urban units only; a voivodeship level with units but no values
    is left out of the level list instead of drawing an empty box."""
    import pandas as pd
    import shapely
    from shapely.geometry import box

    from etl import store
    from etl.store.runs import geoarrow_table
    from tests import planning_fixture

    db = planning_fixture.build(tmp_path / "plan.duckdb")
    with store.writing(db) as con:
        con.execute("UPDATE levels SET rank = rank + 1")
        con.execute(
            "INSERT INTO levels (level, rank, name_pl, name_en) VALUES ('voivodeship', 0, 'województwo', 'voivodeship')"
        )
        frame = pd.DataFrame({"code": ["10"], "wkb": [shapely.to_wkb(box(0, 0, 5, 1))]})
        con.register("_v", geoarrow_table(frame))
        con.execute("INSERT INTO units SELECT code, 'Województwo', 'voivodeship', NULL, 1.0, wkb, 'x' FROM _v")
    at = _map(db, level="voivodeship")
    assert not at.exception
    offered = at.sidebar.selectbox(key="map_level").options
    assert "województwo" not in offered and len(offered) == 2
    assert _params(at)["level"] == "urban_unit"  # the link's level has nothing to show: the finest level instead
