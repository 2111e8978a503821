from __future__ import annotations

import openpyxl
import pytest
from pyproj import Transformer

from etl.errors import SourceError
from etl.pipeline.load import load_workspace
from etl.workspace import read_workspace
from indicators.areas import area_totals
from tests.helpers import POPULATION_BY_YEAR as POP
from tests.helpers import bowtie, write_geojson, write_workspace

GOALS = """
[[goals]]
code = "1"
name_pl = "Cele"

[[goals]]
code = "1.1"
name_pl = "Miasto przyjazne środowisku"
"""


#: A revitalisation area drawn in ``area.geojson`` over the gminy.
REV_AREA = """
[[areas]]
id = "rev"
name = "Rewitalizacja"
kind = "revitalisation"
path = "area.geojson"
level = "gmina"
"""


def _run(tmp_path, db, body):
    (tmp_path / "pop.csv").write_text(
        "kod;rok;ludnosc\n0201011;2024;100000\n0201022;2024;50000\n0201032;2024;30000\n0201043;2024;20000\n"
        "0201011;2023;99000\n",
        "utf-8",
    )
    return load_workspace(read_workspace(write_workspace(tmp_path, GOALS + POP + body)), db)


def _proposals(con):
    return {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT id, location_kind, unit_code, precisely_located, location_note, status FROM proposals"
        ).fetchall()
    }


def test_lonlat_csv_statuses_sharing_outside_and_city_wide(tmp_path, db, ro):
    (tmp_path / "p.csv").write_text(
        "nr;tytul;status;cel;koszt;lon;lat\n"
        "1;Drzewa;wybrany;1.1;10 000;16,05;51,05\n"  # inside 0201011
        "2;Ławki;odrzucony;;;16,15;51,15\n"  # inside 0201043, shares its point with 3
        "3;Plac;odrzucony;;;16,15;51,15\n"
        "4;Mural;złożony;;;16,9;52,5\n"  # outside every unit
        "5;Cały gmina;złożony;;;;\n"  # no location: city-wide
        "6;Zły status;w zawieszeniu;;;16,05;51,05\n"  # unknown status word
        "7;<img src=x onerror=alert(1)>;złożony;9.9;;16,05;51,06\n"  # unknown goal
        "8;Ujemny koszt;złożony;;-5;16,05;51,07\n",
        "utf-8",
    )
    result = _run(
        tmp_path,
        db,
        """
[[proposals]]
id = "p"
path = "p.csv"
location = "lonlat"
lon = "lon"
lat = "lat"
missing_location = "city_wide"
city_unit = "0201011"
id_column = "nr"
title = "tytul"
status = "status"
goal = "cel"
cost = "koszt"
status_map = { "wybrany" = "selected", "odrzucony" = "rejected", "złożony" = "submitted" }
""",
    )
    src = next(s for s in result.sources if s.source_id == "p")
    assert (src.rows_read, src.rows_loaded, src.rows_rejected) == (8, 5, 3)
    con = ro(db)
    p = _proposals(con)
    assert p["1"] == ("point", "0201011", True, None, "selected")
    assert p["2"][:4] == ("point", "0201043", False, "shares its point with 1 other proposal(s)")
    assert p["4"][:4] == ("point", None, False, "outside every unit")
    assert p["5"][:3] == ("city_wide", "0201011", False)
    assert con.execute("SELECT cost_pln FROM proposals WHERE id = '1'").fetchone()[0] == 10000.0
    reasons = [r[0] for r in con.execute("SELECT reason FROM rejects ORDER BY row_number").fetchall()]
    assert reasons[0].startswith("status 'w zawieszeniu' is not in status_map")
    assert reasons[1] == "goal '9.9' is not in the workspace's [[goals]]"
    assert reasons[2] == "negative cost: -5"
    raw = con.execute("SELECT raw FROM rejects WHERE row_number = 8").fetchone()[0]
    assert "<img src=x onerror=alert(1)>" in raw  # kept as text, exactly as typed


@pytest.mark.parametrize("form", ["xy", "wkt", "unit", "geojson", "xlsx"])
def test_every_location_form(tmp_path, db, ro, form):
    to_2180 = Transformer.from_crs("EPSG:4326", "EPSG:2180", always_xy=True)
    x, y = to_2180.transform(16.15, 51.05)  # inside 0201022
    if form == "geojson":
        write_geojson(
            tmp_path / "p.geojson",
            [({"id": "A", "t": "Skwer", "s": "submitted"}, {"type": "Point", "coordinates": [16.15, 51.05]})],
        )
        body = 'path = "p.geojson"\nlocation = "geometry"\n'
    elif form == "xlsx":
        wb = openpyxl.Workbook()
        wb.active.append(["id", "t", "s", "lon", "lat"])
        wb.active.append(["A", "Skwer", "submitted", 16.15, 51.05])
        wb.save(tmp_path / "p.xlsx")
        body = 'path = "p.xlsx"\nlocation = "lonlat"\nlon = "lon"\nlat = "lat"\n'
    else:
        column, value, extra = {
            "xy": ("x;y", f"{x:.1f};{y:.1f}".replace(".", ","), 'x = "x"\ny = "y"\ncrs = "EPSG:2180"\n'),
            "wkt": ("wkt", "POINT (16.15 51.05)", 'wkt = "wkt"\n'),
            "unit": ("jednostka", "201022", 'unit_column = "jednostka"\n'),
        }[form]
        (tmp_path / "p.csv").write_text(f"id;t;s;{column}\nA;Skwer;submitted;{value}\n", "utf-8")
        body = f'path = "p.csv"\nlocation = "{form}"\n{extra}'
    _run(
        tmp_path,
        db,
        f"""
[[proposals]]
id = "p"
{body}id_column = "id"
title = "t"
status = "s"
""",
    )
    p = _proposals(ro(db))
    assert p["A"][1] == "0201022" and p["A"][2] is True


def test_areas_by_list_and_by_polygon_with_totals(tmp_path, db, ro):
    # the polygon covers all of 0201011 and the left half of 0201022
    rectangle = {
        "type": "Polygon",
        "coordinates": [[[15.99, 50.99], [16.15, 50.99], [16.15, 51.1], [15.99, 51.1], [15.99, 50.99]]],
    }
    write_geojson(tmp_path / "area.geojson", [({"n": "A"}, rectangle)])
    _run(
        tmp_path,
        db,
        """
[[areas]]
id = "lsr"
name = "LSR"
kind = "lsr"
programme = "RLKS"
period = "2021–2027"
members = ["0201011", "201022"]
"""
        + REV_AREA,
    )
    con = ro(db)
    members = dict(((a, u), s) for a, u, s in con.execute("SELECT * FROM area_members").fetchall())
    assert members[("lsr", "0201011")] == 1.0 and members[("lsr", "0201022")] == 1.0
    assert members[("rev", "0201011")] == pytest.approx(1.0, abs=1e-6)
    assert members[("rev", "0201022")] == pytest.approx(0.5, abs=0.01)
    assert ("rev", "0201043") not in members
    totals = area_totals(con).set_index(["area_id", "year"])
    assert totals.loc[("lsr", 2024), "population"] == 150_000
    assert totals.loc[("lsr", 2023), "units_with_population"] == 1  # incomplete year is visible
    assert totals.loc[("rev", 2024), "population"] == pytest.approx(125_000, rel=0.02)
    assert totals.loc[("lsr", 2024), "area_km2"] == pytest.approx(2 * 78.0, rel=0.02)


def test_an_area_drawn_crossing_itself_is_repaired_not_a_crash(tmp_path, db, ro):
    """A hand-drawn revitalisation area whose outline crosses itself (a bow tie over 0201011: two triangles, half
    the gmina) beside a plain part (the left half of 0201022): GEOS's union refused the file ("TopologyException:
    side location conflict") and the load failed; the outline is repaired first, as boundaries are."""
    half = {
        "type": "Polygon",
        "coordinates": [[[16.1, 51.0], [16.15, 51.0], [16.15, 51.1], [16.1, 51.1], [16.1, 51.0]]],
    }
    write_geojson(tmp_path / "area.geojson", [({"n": "A"}, bowtie(16.0, 51.0)), ({"n": "B"}, half)])
    _run(
        tmp_path,
        db,
        REV_AREA,
    )
    members = dict(ro(db).execute("SELECT unit_code, share FROM area_members").fetchall())
    assert members == pytest.approx({"0201011": 0.5, "0201022": 0.5}, abs=0.01)


def test_an_area_naming_unknown_units_fails_the_run(tmp_path, db):
    with pytest.raises(SourceError, match="not in the store: 0299999"):
        _run(
            tmp_path,
            db,
            """
[[areas]]
id = "x"
name = "X"
kind = "lsr"
members = ["0201011", "0299999"]
""",
        )
    assert not db.exists()
