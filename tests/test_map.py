"""The map explorer's plain parts: URL state, unit profile, figures, static geometry, exports."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from dashboard import exports, geometry, view_state
from dashboard.figures import (
    ClassLayer,
    MapBase,
    choropleth,
    label_traces,
    map_figure,
    proposal_hover,
    proposal_traces,
)
from dashboard.i18n import format_number
from indicators.profile import average_by_year, change, rank_of, unit_profile
from tests.helpers import HOSTILE_TITLE


def test_view_round_trips_through_the_url():
    view = view_state.MapView(
        level="gmina",
        indicator="unemployment",
        year=2019,
        method="user_defined",
        k=7,
        breaks=[5.0, 10.5, 20.0],
        fixed=True,
        palette="purples",
        reference="0201011",
        overlays=["proposals", "labels"],
        colour_by="status",
        unit="0201022",
        basemap=True,
    )
    params = view_state.to_params(view)
    assert params["ind"] == "unemployment" and params["br"] == "5_10.5_20" and params["ov"] == "proposals,labels"
    assert view_state.from_params(params) == view


def test_defaults_are_left_out_of_the_url_and_bad_values_fall_back():
    assert view_state.to_params(view_state.MapView(level="gmina")) == {"level": "gmina"}
    view = view_state.from_params(
        {
            "year": "20x9",
            "cls": "magic",
            "k": "42",
            "br": "1_x",
            "ov": "labels,<script>",
            "pal": "rainbow",
            "pcol": "mood",
        }
    )
    assert view == view_state.MapView(overlays=["labels"])


def test_breaks_typed_the_polish_way():
    assert view_state.parse_breaks("10; 20,5; 1 000") == [10.0, 20.5, 1000.0]
    for bad in ("", "10; 5", "a; b", "10; 10"):
        with pytest.raises(ValueError):
            view_state.parse_breaks(bad)


def _series() -> pd.DataFrame:
    # three units over 2015-2020; C has no value in 2020
    rows = []
    for year in range(2015, 2021):
        rows += [("A", year, 10.0 + year - 2015, None), ("B", year, 20.0, "preliminary" if year == 2020 else None)]
        if year < 2020:
            rows.append(("C", year, 5.0, None))
    return pd.DataFrame(rows, columns=["code", "year", "value", "flag"])


def test_rank_follows_the_indicator_direction():
    values = pd.Series({"A": 15.0, "B": 20.0, "C": math.nan})
    assert rank_of(values, "A", "higher_is_better") == (2, 2)
    assert rank_of(values, "A", "lower_is_better") == (1, 2)
    assert rank_of(values, "C", "neutral") == (None, 2)


def test_unit_profile_worked_by_hand():
    series = _series()
    a = unit_profile(series, "A", 2020, "higher_is_better")
    assert (a.value, a.rank, a.ranked) == (15.0, 2, 2)
    assert a.since_first.from_year == 2015 and a.since_first.absolute == 5.0 and a.since_first.percent == 50.0
    assert a.last_5_years.absolute == 5.0
    b = unit_profile(series, "B", 2020, "lower_is_better")
    assert b.flag == "preliminary" and b.rank == 2 and b.since_first.percent == 0.0
    c = unit_profile(series, "C", 2020, "higher_is_better")
    assert c.value is None and c.rank is None and c.last_5_years is None
    assert change(pd.Series({2015: 0.0, 2020: 3.0}), 2015, 2020).percent is None
    assert average_by_year(series).loc[2015] == pytest.approx((10 + 20 + 5) / 3)
    assert average_by_year(series).loc[2020] == pytest.approx(17.5)


def test_choropleth_has_a_trace_per_class_and_counts_units_without_data():
    layer = ClassLayer(
        ["a", "b", "c", "d"],
        [1.0, 2.0, None, 9.0],
        [0, 0, -1, 1],
        ["#111111", "#222222"],
        ["1 – 2 (2)", "2 – 9 (1)"],
        "brak danych (1)",
    )
    traces = choropleth("app/static/geo/x.json", layer, unit="%")
    assert [t.name for t in traces] == ["1 – 2 (2)", "2 – 9 (1)", "brak danych (1)"]
    assert list(traces[0].locations) == ["a", "b"] and list(traces[2].locations) == ["c"]
    assert all(t.geojson == "app/static/geo/x.json" for t in traces)


def test_figure_with_a_geometry_url_is_a_fraction_of_the_embedded_one():
    features = [
        {
            "type": "Feature",
            "id": f"{i:07d}",
            "properties": {"name": f"Gmina {i}"},
            "geometry": box(i % 50, i // 50, i % 50 + 1, i // 50 + 1).__geo_interface__,
        }
        for i in range(500)
    ]
    geojson = {"type": "FeatureCollection", "features": features}
    codes = [f["id"] for f in features]
    layer = ClassLayer(
        codes,
        [float(i) for i in range(500)],
        [i * 5 // 500 for i in range(500)],
        ["#111111", "#222222", "#333333", "#444444", "#555555"],
        ["a", "b", "c", "d", "e"],
        "nd",
    )

    def size(geo):
        fig = map_figure(
            choropleth(geo, layer, unit="x"),
            title="t",
            subtitle="s",
            base=MapBase(None),
            uirevision="gmina",
            separators=", ",
            legend_title="x",
        )
        return len(fig.to_json())

    embedded, by_url = size(geojson), size("app/static/geo/gmina-0123.json")
    assert by_url < embedded / 4


def test_svg_map_draws_the_same_traces_and_shows_the_whole_level():
    layer = ClassLayer(["0201011", "0201022"], [1.5, None], [0, -1], ["#111111"], ["1–2 (1)"], "brak danych (1)")
    points = pd.DataFrame(
        {"lon": [16.9], "lat": [51.1], "cost_pln": [1000.0], "group": ["selected"], "hover": ["&lt;b&gt;"]}
    )
    traces = choropleth("app/static/geo/g.json", layer, unit="%") + proposal_traces(
        points, group_column="group", group_labels={"selected": "wybrany"}, colours={"selected": "#009E73"}
    )
    bounds = (14.1, 49.0, 24.2, 54.9)
    svg = map_figure(
        traces, title="t", subtitle="s", base=MapBase(bounds), uirevision="gmina", separators=", ", legend_title="%"
    )
    assert [t.type for t in svg.data] == ["choropleth", "choropleth", "scattergeo"]
    assert svg.data[0].locationmode == "geojson-id" and svg.data[0].geojson == "app/static/geo/g.json"
    assert list(svg.data[0].locations) == ["0201011"] and list(svg.data[1].locations) == ["0201022"]
    assert svg.data[1].name == "brak danych (1)" and svg.data[2].text == ("&lt;b&gt;",)
    geo = svg.layout.geo
    assert geo.projection.type == "mercator" and geo.visible is False and "map" not in svg.to_plotly_json()["layout"]
    lon, lat = geo.lonaxis.range, geo.lataxis.range
    assert lon[0] < 14.1 and lon[1] > 24.2 and lat[0] < 49.0 and lat[1] > 54.9
    width = math.radians(lon[1] - lon[0])

    def mercator(phi: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(phi) / 2))

    height = mercator(lat[1]) - mercator(lat[0])
    assert width / height == pytest.approx(1.2, rel=1e-3)  # padded to the map area's shape, Poland in the middle
    assert (lon[0] + lon[1]) / 2 == pytest.approx(19.15)

    tiles = map_figure(
        traces,
        title="t",
        subtitle="s",
        base=MapBase(
            bounds,
            style="white-bg",
            layers=({"sourcetype": "raster", "source": ["https://tiles.example/{z}/{x}/{y}.png"]},),
        ),
        uirevision="gmina",
        separators=", ",
        legend_title="%",
    )
    assert [t.type for t in tiles.data] == ["choroplethmap", "choroplethmap", "scattermap"]
    assert tiles.layout.map.style == "white-bg" and tiles.layout.map.layers[0].sourcetype == "raster"


def test_proposal_titles_are_escaped_for_plotly():
    row = pd.Series({"title": HOSTILE_TITLE})
    text = proposal_hover(
        row, status_label="złożony", goal_label="1.1 <b>x</b>", cost_label="1 000 zł", unit_label="Stare Miasto"
    )
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&lt;b&gt;x&lt;/b&gt;" in text


def test_geometry_is_published_once_under_its_content_hash(tmp_path):
    doc = {"type": "FeatureCollection", "features": []}
    url = geometry.publish(doc, "urban_unit", directory=tmp_path / "geo")
    assert url.startswith("app/static/geo/urban_unit-") and url.endswith(".json")
    path = tmp_path / "geo" / url.rsplit("/", 1)[1]
    assert json.loads(path.read_text()) == doc
    mtime = path.stat().st_mtime_ns
    assert geometry.publish(doc, "urban_unit", directory=tmp_path / "geo") == url
    assert path.stat().st_mtime_ns == mtime
    other = geometry.publish({**doc, "name": "x"}, "urban_unit", directory=tmp_path / "geo")
    assert other != url
    assert geometry.publish(doc, "x", directory=tmp_path / "file" / "geo") is not None
    (tmp_path / "blocked").write_text("not a folder")
    assert geometry.publish(doc, "x", directory=tmp_path / "blocked" / "geo") is None


def test_exports_keep_polish_conventions_and_geometry(tmp_path):
    table = pd.DataFrame({"kod": ["0201011", "0201022"], "nazwa": ["Łódź", "Świętochłowice"], "wartość": [1.5, None]})
    csv = exports.csv_bytes(table)
    assert csv.startswith(b"\xef\xbb\xbf")
    assert csv.decode("utf-8-sig").splitlines() == ["kod;nazwa;wartość", "0201011;Łódź;1,5", "0201022;Świętochłowice;"]
    xlsx = tmp_path / "t.xlsx"
    xlsx.write_bytes(exports.xlsx_bytes(table, notes=["źródło: test"]))
    back = pd.read_excel(xlsx, dtype={"kod": str})
    assert back["kod"].tolist() == ["0201011", "0201022"] and back["wartość"].iloc[0] == 1.5
    geoms = pd.DataFrame(
        {"code": ["0201011", "0201022"], "wkb": [box(16.0, 51.0, 16.1, 51.1).wkb, box(16.1, 51.0, 16.2, 51.1).wkb]}
    )
    layer = exports.layer_frame(pd.DataFrame({"code": ["0201011", "0201022"], "value": [1.5, None]}), geoms)
    doc = json.loads(exports.geojson_bytes(layer))
    assert [f["properties"]["code"] for f in doc["features"]] == ["0201011", "0201022"]
    gpkg = tmp_path / "t.gpkg"
    gpkg.write_bytes(exports.gpkg_bytes(layer, layer_name="unemployment_gmina_2024"))
    assert pyogrio.list_layers(gpkg)[0][0] == "unemployment_gmina_2024"
    read = gpd.read_file(gpkg)
    assert read.crs.to_epsg() == 4326 and read["code"].tolist() == ["0201011", "0201022"]
    assert read.geometry.iloc[0].equals(box(16.0, 51.0, 16.1, 51.1))
    context = exports.ExportContext("Stopa bezrobocia — gmina, 2024", source="Źródło: GUS", synthetic=True)
    gpkg.write_bytes(exports.gpkg_bytes(layer, layer_name="bezrobocie", context=context))
    info = pyogrio.read_info(gpkg)
    assert info["layer_metadata"]["SYNTHETIC"] == "yes" and info["layer_metadata"]["SOURCE"] == "Źródło: GUS"
    assert info["layer_metadata"]["TITLE"] == "Stopa bezrobocia — gmina, 2024"


def test_numbers_are_written_as_each_language_writes_them():
    assert format_number(1234.5, "pl") == "1\u00a0234,5"
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(None, "pl") == "–"


def test_unit_names_are_white_on_dark_classes_and_escaped():
    units = pd.DataFrame(
        {
            "code": ["a", "b", "c"],
            "name": ["Jasne", "Ciemne", "<b>Bez</b>"],
            "lon": [16.0, 17.0, 18.0],
            "lat": [51.0, 52.0, 53.0],
        }
    )
    light, dark = label_traces(units, {"a": "#c6dbef", "b": "#08306b", "c": "#d9d9d9"})
    assert light.textfont.color == "#222222" and list(light.text) == ["Jasne", "&lt;b&gt;Bez&lt;/b&gt;"]
    assert dark.textfont.color == "#ffffff" and list(dark.text) == ["Ciemne"]
    assert len(label_traces(units)) == 1  # no colours known: all dark text


def test_clicking_the_same_unit_again_toggles_it_every_time():
    from dashboard.views.clicks import toggled_unit

    def state(code, curve):
        return {"selection": {"points": [{"location": code, "curve_number": curve, "point_index": 0}]}}

    codes = {"A", "B"}
    clicked, seen = toggled_unit(state("A", 1), codes, None)  # A is "not chosen" (trace 1): in
    assert clicked == "A"
    clicked, seen = toggled_unit(state("A", 0), codes, seen)  # redrawn as "chosen" (trace 0), clicked again: out
    assert clicked == "A"
    clicked, seen = toggled_unit(state("A", 1), codes, seen)  # and again: in
    assert clicked == "A"
    assert toggled_unit(state("A", 1), codes, seen)[0] == ""  # a rerun without a click changes nothing
    assert toggled_unit(state("B", 1), codes, seen)[0] == "B"
    assert toggled_unit({"selection": {"points": []}}, codes, seen)[0] == ""  # a cleared selection is no click
    assert toggled_unit(None, codes, None) == ("", ())


def test_exports_say_what_they_are_and_mark_synthetic_data(tmp_path):
    import datetime as dt

    table = pd.DataFrame({"kod": ["0201011"], "wartość": [1.5]})
    context = exports.ExportContext(
        title="Bezrobocie [%] — gmina, 2024",
        source="Źródło: GUS",
        period="Rok: 2024",
        workspace="Nadrzecze",
        synthetic=True,
        synthetic_mark="DANE SYNTETYCZNE — nie są to prawdziwe liczby",
        exported=dt.date(2026, 11, 30),
    )
    lines = exports.csv_bytes(table, context).decode("utf-8-sig").splitlines()
    assert lines[0] == "# DANE SYNTETYCZNE — nie są to prawdziwe liczby" and "# Źródło: GUS" in lines
    assert (
        lines[-2:] == ["kod;wartość", "0201011;1,5"] and "# Nadrzecze · Local Development Atlas · 2026-11-30" in lines
    )
    xlsx = tmp_path / "t.xlsx"
    xlsx.write_bytes(exports.xlsx_bytes(table, notes=["klasy: kwantyle"], context=context))
    info = pd.read_excel(xlsx, sheet_name="info")["info"].tolist()
    assert info[0].startswith("DANE SYNTETYCZNE") and info[-1] == "klasy: kwantyle"
    geoms = pd.DataFrame({"code": ["0201011"], "wkb": [box(16.0, 51.0, 16.1, 51.1).wkb]})
    doc = json.loads(exports.geojson_bytes(exports.layer_frame(pd.DataFrame({"code": ["0201011"]}), geoms), context))
    assert doc["metadata"]["synthetic"] is True and doc["metadata"]["source"] == "Źródło: GUS"
    real = exports.ExportContext(title="Bezrobocie", synthetic=False)
    assert not any("SYNTHETIC" in line for line in real.lines())


def test_the_map_carries_its_source_and_the_synthetic_mark(hostile_demo_db):
    """The PNG is the figure: title, legend, source line and — on the synthetic demo — the mark are all in it."""
    from streamlit.testing.v1 import AppTest

    from tests.test_dashboard import _map_script

    at = AppTest.from_function(_map_script, args=(str(hostile_demo_db),), default_timeout=90).run()
    assert not at.exception
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    texts = [a["text"] for a in layout["annotations"]]
    assert any(t.startswith("Źródło:") for t in texts) and "DANE SYNTETYCZNE — nie są to prawdziwe liczby" in texts


def test_a_years_values_are_placed_on_the_units_as_a_join_by_code_would():
    """The roster places a year's rows by position (a text join of 100,000 codes cost ~0.1 s a rerun): the same
    frame as the left join of the units with the year — every unit once, in code order, NaN and no flag where the
    year has no row, and a row of a unit the level does not have left out."""
    from dashboard.roster import Roster

    units = pd.DataFrame(
        {"code": ["0201011", "0201022", "0201033", "0202011"], "name": ["A", "B", "C", HOSTILE_TITLE]}
    ).astype({"code": "string", "name": "string"})
    year = pd.DataFrame(
        {
            "code": pd.array(["0202011", "9999999", "0201011", "0201033"], dtype="string"),
            "value": [4.5, 7.0, 1.25, float("nan")],
            "flag": [None, None, "szacunek", "brak"],
        }
    )
    roster = Roster.of(units)
    placed = roster.year_frame(year)
    joined = units.merge(year, on="code", how="left")
    assert placed["code"].tolist() == joined["code"].tolist() == units["code"].tolist()
    assert placed["name"].tolist() == joined["name"].tolist()
    assert placed["value"].fillna(-1).tolist() == joined["value"].fillna(-1).tolist() == [1.25, -1, -1, 4.5]
    assert placed["flag"].fillna("").tolist() == joined["flag"].fillna("").tolist() == ["szacunek", "", "brak", ""]
    assert roster.positions(["0202011", "x"]).tolist() == [3, -1]
    assert "0201022" in roster and "9999999" not in roster and roster.names["0202011"] == HOSTILE_TITLE
