from __future__ import annotations

import threading
import zipfile

import duckdb
import pyogrio
import pytest
import shapely

from etl import store
from etl.errors import SourceError
from etl.pipeline import load
from etl.pipeline.load import load_workspace
from etl.workspace import read_workspace
from geodata.io import read_boundaries
from geodata.simplify import simplify_coverage
from tests.helpers import POPULATION_2024, bowtie, gminy_frame, square, write_geojson, write_workspace


def _load(folder, body, db, **kw):
    return load_workspace(read_workspace(write_workspace(folder, body, **kw)), db)


def _load_gminy_file(folder, name, db):
    """A workspace of one boundary file, ``<name>.geojson`` (gminy by ``kod`` and ``nazwa``), loaded into ``db``."""
    body = f"""
        [[boundaries]]
        id = "{name}"
        path = "{name}.geojson"
        level = "gmina"
        code = "kod"
        name = "nazwa"
    """
    return _load(folder, body, db, with_gminy=False)


@pytest.mark.parametrize("declared", [True, False])
def test_cp1250_shapefile_names_come_out_right(tmp_path, declared):
    path = tmp_path / "gminy.shp"
    gminy_frame("EPSG:2180").to_file(path, encoding="cp1250")
    if not declared:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    frame = read_boundaries(path, encoding=None)
    assert set(frame["nazwa"]) >= {"Łódź", "Świętochłowice"}


def test_zipped_prg_style_shapefile_in_2180_loads_in_lon_lat(tmp_path, db, ro):
    shp = tmp_path / "shp" / "gminy.shp"
    shp.parent.mkdir()
    gminy_frame("EPSG:2180").to_file(shp, encoding="cp1250")
    shp.with_suffix(".cpg").unlink(missing_ok=True)  # PRG ships without one
    archive = tmp_path / "prg.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in shp.parent.iterdir():
            z.write(part, part.name)
    result = _load(
        tmp_path,
        """
        [[boundaries]]
        id = "prg"
        path = "prg.zip"
        level = "gmina"
        code = "teryt"
        name = "nazwa"
        encoding = "cp1250"
    """,
        db,
        with_gminy=False,
    )
    assert result.sources[0].rows_loaded == 4
    con = ro(db)
    name, x, y, area = con.execute(
        "SELECT name, ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)), area_km2 FROM units WHERE code = '0201011'"
    ).fetchone()
    assert name == "Łódź"
    assert x == pytest.approx(16.05, abs=1e-3) and y == pytest.approx(51.05, abs=1e-3)  # lon, lat
    assert area == pytest.approx(78.0, rel=0.02)  # 0.1° x 0.1° at 51°N


def test_geopackage_and_3035(tmp_path, db, ro):
    gminy_frame("EPSG:3035").to_file(tmp_path / "g.gpkg", layer="gminy", driver="GPKG")
    _load(
        tmp_path,
        """
        [[boundaries]]
        id = "g"
        path = "g.gpkg"
        layer = "gminy"
        level = "gmina"
        code = "teryt"
        name = "nazwa"
    """,
        db,
        with_gminy=False,
    )
    x = ro(db).execute("SELECT ST_X(ST_Centroid(geom)) FROM units WHERE code = '0201022'").fetchone()[0]
    assert x == pytest.approx(16.15, abs=1e-3)


def test_file_without_crs_is_an_error_unless_the_workspace_states_one(tmp_path, db, ro):
    frame = gminy_frame("EPSG:2180").set_crs(None, allow_override=True)
    pyogrio.write_dataframe(frame, tmp_path / "nocrs.shp")
    body = """
        [[boundaries]]
        id = "g"
        path = "nocrs.shp"
        level = "gmina"
        code = "teryt"
        name = "nazwa"
    """
    with pytest.raises(SourceError, match="no coordinate reference system"):
        _load(tmp_path, body, db, with_gminy=False)
    assert not db.exists()
    _load(tmp_path, body + '        crs = "EPSG:2180"\n', db, with_gminy=False)
    assert ro(db).execute("SELECT count(*) FROM units").fetchone()[0] == 4


def test_invalid_repaired_empty_and_duplicates_rejected(tmp_path, db, ro):
    write_geojson(
        tmp_path / "bad.geojson",
        [
            ({"kod": "0201011", "nazwa": "A"}, square(16.0, 51.0)),
            ({"kod": "0201022", "nazwa": "Bowtie"}, bowtie(16.1, 51.0)),
            ({"kod": "0201032", "nazwa": "Empty"}, None),
            ({"kod": "0201043", "nazwa": "Dup 1"}, square(16.0, 51.1)),
            ({"kod": "0201043", "nazwa": "Dup 2"}, square(16.1, 51.1)),
            ({"kod": "", "nazwa": "No code"}, square(16.2, 51.1)),
            ({"kod": 201053, "nazwa": "Lost zero"}, square(16.2, 51.0)),
        ],
    )
    result = _load_gminy_file(tmp_path, "bad", db)
    assert (result.sources[0].rows_loaded, result.sources[0].rows_rejected) == (3, 4)
    con = ro(db)
    assert sorted(r[0] for r in con.execute("SELECT code FROM units").fetchall()) == ["0201011", "0201022", "0201053"]
    assert con.execute(
        "SELECT ST_IsValid(geom) AND ST_GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') "
        "FROM units WHERE code = '0201022'"
    ).fetchone()[0]
    rejects = con.execute("SELECT row_number, column_name, reason FROM rejects ORDER BY row_number").fetchall()
    assert rejects[0][0] == 3 and "empty geometry" in rejects[0][2]
    assert [r[0] for r in rejects[1:3]] == [4, 5] and "duplicate code 0201043 (features 4, 5)" in rejects[1][2]
    assert rejects[3][:3] == (6, "kod", "no unit code")


def test_units_with_a_part_shrunk_onto_one_point_load_and_are_drawn(tmp_path, db, ro):
    """GEOS refuses to mend a multipolygon whose first part is a ring on one point ("Overlay input is mixed-dimension");
    the load failed with that message. Here: a unit whose first part is such a ring in the file (repaired: the point
    dropped, the square kept), and a valid unit whose first part is an islet smaller than the display's rounding
    (10⁻⁵°: it shrinks onto one point in the display coverage only)."""

    def multi(first: list, x: float) -> dict:
        return {"type": "MultiPolygon", "coordinates": [[first], square(x, 51.0)["coordinates"]]}

    point = [[16.5, 51.5]] * 4
    islet = [[16.6, 51.6], [16.600002, 51.6], [16.600002, 51.600002], [16.6, 51.600002], [16.6, 51.6]]
    write_geojson(
        tmp_path / "parts.geojson",
        [
            ({"kod": "0201011", "nazwa": "Point first"}, multi(point, 16.0)),
            ({"kod": "0201022", "nazwa": "Islet first"}, multi(islet, 16.1)),
            ({"kod": "0201032", "nazwa": "Plain"}, square(16.2, 51.0)),
        ],
    )
    result = _load_gminy_file(tmp_path, "parts", db)
    assert (result.sources[0].rows_loaded, result.sources[0].rows_rejected) == (3, 0)
    con = ro(db)
    for table in ("units", "unit_display"):
        rows = con.execute(
            f"SELECT code, ST_IsValid(geom), ST_GeometryType(geom)::TEXT, ST_Area(geom) FROM {table} ORDER BY code"
        ).fetchall()
        assert [r[0] for r in rows] == ["0201011", "0201022", "0201032"], table
        assert all(r[1] and r[2] in ("POLYGON", "MULTIPOLYGON") for r in rows), (table, rows)
        assert [r[3] for r in rows] == pytest.approx([0.01] * 3, rel=1e-3), table


def test_a_second_unit_with_a_code_fails_the_run_and_writes_nothing(tmp_path, db, ro):
    """No key enforces one unit per code (migration 017): the run's end checks it, as the values' key is checked."""
    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;100\n", "utf-8")
    _load(tmp_path, POPULATION_2024, db)
    with duckdb.connect(str(db)) as con:  # a unit no loader would let in: a code already there
        con.execute("INSERT INTO units SELECT * FROM units WHERE code = '0201022'")
        before = con.execute("SELECT code, source_id FROM units ORDER BY ALL").fetchall()
    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;200\n", "utf-8")
    with pytest.raises(SourceError, match=r"two units with code 0201022 \(from gminy\); nothing was written"):
        load_workspace(read_workspace(tmp_path / "workspace.toml"), db)
    con = ro(db)
    assert con.execute("SELECT code, source_id FROM units ORDER BY ALL").fetchall() == before
    assert con.execute("SELECT value FROM observations").fetchall() == [(100.0,)]


def test_a_source_moved_to_another_level_takes_its_display_along(tmp_path, db, ro):
    """The four gminy loaded as gminy, then as urban units: the gmina level's display coverage goes with them (the
    previous release failed such a reload on the display's key; without a key it would have kept both)."""
    workspace = write_workspace(tmp_path, "")
    load_workspace(read_workspace(workspace), db)
    workspace.write_text(workspace.read_text("utf-8").replace('level = "gmina"', 'level = "urban_unit"', 1), "utf-8")
    load_workspace(read_workspace(workspace), db)
    con = ro(db)
    assert con.execute("SELECT DISTINCT level FROM units").fetchall() == [("urban_unit",)]
    assert con.execute("SELECT level, count(*), count(DISTINCT code) FROM unit_display GROUP BY level").fetchall() == [
        ("urban_unit", 4, 4)
    ]


def test_parents_by_teryt_prefix_and_by_containing_gmina(tmp_path, db, ro):
    write_geojson(tmp_path / "powiat.geojson", [({"kod": "0201", "nazwa": "bolesławiecki"}, square(16.0, 51.0, 0.2))])
    write_geojson(tmp_path / "woj.geojson", [({"kod": "02", "nazwa": "dolnośląskie"}, square(16.0, 51.0, 0.2))])
    write_geojson(
        tmp_path / "osiedla.geojson",
        [
            ({"id": 1, "nazwa": "Osiedle 1"}, square(16.01, 51.01, 0.05)),
            ({"id": 2, "nazwa": "Osiedle 2"}, square(16.11, 51.11, 0.05)),
            ({"id": 3, "nazwa": "Mostly in 0201011"}, square(16.02, 51.02, 0.09)),
        ],
    )
    _load(
        tmp_path,
        """
        [[boundaries]]
        id = "woj"
        path = "woj.geojson"
        level = "voivodeship"
        code = "kod"
        name = "nazwa"

        [[boundaries]]
        id = "powiat"
        path = "powiat.geojson"
        level = "powiat"
        code = "kod"
        name = "nazwa"
        parent = "teryt"

        [[boundaries]]
        id = "osiedla"
        path = "osiedla.geojson"
        level = "urban_unit"
        code = "id"
        code_prefix = "X-"
        name = "nazwa"
        parent = "contains"
        parent_level = "gmina"
    """,
        db,
    )
    parents = dict(ro(db).execute("SELECT code, parent_code FROM units").fetchall())
    assert parents["02"] is None
    assert parents["0201"] == "02"
    assert parents["0201011"] == "0201"
    assert parents["X-1"] == "0201011"
    assert parents["X-2"] == "0201043"
    assert parents["X-3"] == "0201011"


def test_display_geometry_keeps_neighbours_sharing_borders():
    # a wiggly coverage: 3 x 3 cells whose shared borders have many small zigzags
    import numpy as np

    rng = np.random.default_rng(1)
    xs = np.linspace(0, 3, 61)

    def zig(offset):
        return [(x, offset + rng.normal(0, 0.01)) for x in xs]

    lines = [shapely.LineString(zig(y)) for y in (1.0, 2.0)]
    lines += [shapely.LineString([(y, x) for x, y in zig(v)]) for v in (1.0, 2.0)]
    frame = shapely.box(0, 0, 3, 3)
    cells = list(
        shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.unary_union([frame.boundary, *lines]))))
    )
    assert len(cells) == 9 and shapely.coverage_is_valid(np.array(cells))
    out = simplify_coverage(np.array(cells, dtype=object), tolerance=0.05)
    assert shapely.coverage_is_valid(out)  # no gaps or overlaps introduced
    assert shapely.is_valid(out).all()
    assert shapely.get_num_coordinates(out).sum() < shapely.get_num_coordinates(np.array(cells)).sum() / 2
    union = shapely.union_all(out)
    assert union.area == pytest.approx(9.0, rel=1e-3) and union.geom_type == "Polygon"  # no holes opened
    assert len(union.interiors) == 0


def test_an_already_coarse_coverage_is_not_simplified_again_but_still_rounded_and_oriented():
    import numpy as np

    from geodata.simplify import removable_vertices

    cells = np.array([shapely.box(x, y, x + 1, y + 1) for x in range(3) for y in range(3)], dtype=object)
    assert removable_vertices(cells, 0.05) == (0, 36)  # squares: no vertex is a small triangle
    out = simplify_coverage(cells, tolerance=0.05)
    assert [shapely.get_num_coordinates(g) for g in out] == [5] * 9 and shapely.coverage_is_valid(out)
    assert not shapely.is_ccw(out[0].exterior)  # clockwise, as Plotly wants
    # the wiggly coverage of the test above has many candidates: it is simplified
    zigzag = shapely.Polygon([(x / 10, (x % 2) * 0.001) for x in range(31)] + [(3, 1), (0, 1)])
    removable, vertices = removable_vertices(np.array([zigzag], dtype=object), 0.05)
    assert removable > 0.5 * vertices


def test_nodes_of_a_coverage_are_no_candidates_for_simplification():
    """Where three units meet GEOS keeps the vertex: a coverage of such nodes only (Voronoi cells, the synthetic
    levels of ``make bench``) has nothing to gain, however small its units — the 3 s of simplifying 100,000 of them
    bought nothing. Vertices inside a shared border are still candidates."""
    import numpy as np

    from geodata.simplify import removable_vertices

    seeds = shapely.MultiPoint(np.random.default_rng(1).uniform(0, 10, (200, 2)))
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=shapely.box(0, 0, 10, 10)))
    cells = np.array(shapely.intersection(cells, shapely.box(0, 0, 10, 10)), dtype=object)
    assert shapely.coverage_is_valid(cells)
    vertices = sum(len(c.exterior.coords) - 1 for c in cells)
    # every vertex is a node, but the frame's four corners (where one unit's border only turns)
    assert removable_vertices(cells, 10.0) == (4, vertices)
    # the same borders with a vertex put into each of the two middle cells' shared border: both copies are candidates
    left, right = shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)
    bent = [
        shapely.Polygon([(0, 0), (1, 0), (1.0001, 0.5), (1, 1), (0, 1)]),
        shapely.Polygon([(1, 0), (2, 0), (2, 1), (1, 1), (1.0001, 0.5)]),
    ]
    assert removable_vertices(np.array([left, right], dtype=object), 0.05)[0] == 0
    assert removable_vertices(np.array(bent, dtype=object), 0.05) == (2, 10)


def test_areas_measured_in_the_files_projected_crs_agree_with_the_equal_area_crs():
    """Units read in PL-1992 (EPSG:2180) are measured there, divided by the projection's areal scale at their
    centroid: the same areas as EPSG:3035 gives (within 1e-4) without moving their vertices; a unit wider than
    LOCAL_SPAN_M, one changed since it was read (None) and every unit of a file in lon/lat go through EPSG:3035."""
    import geopandas as gpd
    import numpy as np

    from geodata.projection import LOCAL_SPAN_M, areas_km2

    rng = np.random.default_rng(3)
    corners = rng.uniform([180_000, 150_000], [860_000, 760_000], (60, 2))  # all over Poland, far from 19°E too
    sizes = rng.uniform(200, 40_000, 60)
    boxes = [shapely.box(x, y, x + s, y + s * 0.7) for (x, y), s in zip(corners, sizes, strict=True)]
    boxes.append(shapely.box(200_000, 200_000, 200_000 + 3 * LOCAL_SPAN_M, 400_000))  # too wide: EPSG:3035
    as_read = gpd.GeoSeries(boxes, crs="EPSG:2180")
    stored = gpd.GeoDataFrame(geometry=as_read.to_crs("EPSG:4326"))
    exact = stored.geometry.to_crs("EPSG:3035").area.to_numpy() / 1e6
    measured = areas_km2(stored, as_read)
    assert np.abs(measured / exact - 1).max() < 1e-4
    assert measured[-1] == exact[-1]  # the wide one: transformed, as before
    planar = as_read.area.to_numpy() / 1e6
    assert np.abs(planar / exact - 1).max() > 1e-3  # PL-1992's own areas are off by up to ~0.2%: the scale is applied
    changed = as_read.copy()
    changed.iloc[0] = None
    assert areas_km2(stored, changed)[0] == exact[0]
    assert (areas_km2(stored) == exact).all()  # no file geometry: EPSG:3035 for all
    assert (areas_km2(stored, stored.geometry) == exact).all()  # a file in lon/lat: EPSG:3035 for all


@pytest.mark.parametrize(
    "crs",
    [
        "EPSG:2180",
        # PL-1992 spelled out, with no EPSG code for DuckDB to take: its WKT is passed instead
        "+proj=tmerc +lat_0=0 +lon_0=19 +k=0.9993 +x_0=500000 +y_0=-5300000 +ellps=GRS80 +units=m +no_defs",
        "EPSG:4326",
    ],
)
@pytest.mark.parametrize("in_duckdb", [True, False])
def test_the_loader_stores_what_shapely_and_pyproj_would(tmp_path, db, ro, crs, in_duckdb, monkeypatch):
    """A large layer is reprojected, repaired and measured in DuckDB, a small one by shapely and pyproj
    (etl/sources/staging.py): either way the stored lon/lat and areas are those that shapely, pyproj and
    :func:`geodata.projection.areas_km2` give for the same file — units measured in the file's CRS, a wide one and a
    repaired one through EPSG:3035, and a file in lon/lat throughout."""
    import geopandas as gpd
    import numpy as np
    from pyproj import CRS

    from etl.sources import staging

    monkeypatch.setattr(staging, "IN_DUCKDB_AT", 1 if in_duckdb else 10**9)
    # a large layer's file has DuckDB's spatial extension loaded beside the run's beginning (etl/pipeline/load.py)
    monkeypatch.setattr(load, "SPATIAL_BESIDE_FROM_BYTES", 1 if in_duckdb else 10**12)
    beside: list[bool] = []
    loading = store.load_spatial
    monkeypatch.setattr(
        store,
        "load_spatial",
        lambda con: (beside.append(threading.current_thread() is threading.main_thread()), loading(con)),
    )

    from geodata.projection import LOCAL_SPAN_M, areas_km2, to_storage_crs
    from geodata.repair import repair

    rng = np.random.default_rng(5)
    corners = rng.uniform([180_000, 150_000], [860_000, 760_000], (40, 2))
    sizes = rng.uniform(200, 40_000, 40)
    shapes = [shapely.box(x, y, x + s, y + s * 0.7) for (x, y), s in zip(corners, sizes, strict=True)]
    shapes.append(shapely.box(200_000, 200_000, 200_000 + 3 * LOCAL_SPAN_M, 400_000))  # too wide to measure locally
    shapes.append(shapely.Polygon([(300_000, 300_000), (310_000, 310_000), (310_000, 300_000), (300_000, 310_000)]))
    frame = gpd.GeoDataFrame(
        {"kod": [f"u{i:03d}" for i in range(len(shapes))], "nazwa": [f"Rejon {i}" for i in range(len(shapes))]},
        geometry=shapes,
        crs="EPSG:2180",
    )
    # the file in lon/lat, or in PL-1992 under either spelling
    frame = frame.to_crs(crs) if crs == "EPSG:4326" else frame.set_crs(CRS.from_user_input(crs), allow_override=True)
    frame.to_file(tmp_path / "rejony.gpkg", driver="GPKG")
    _load(
        tmp_path,
        """
        [[boundaries]]
        id = "r"
        path = "rejony.gpkg"
        level = "urban_unit"
        code = "kod"
        name = "nazwa"
    """,
        db,
        with_gminy=False,
    )
    assert beside == ([False] if in_duckdb else [])  # loaded once, by the second connection's thread
    rows = ro(db).execute("SELECT code, ST_AsWKB(geom), area_km2 FROM units ORDER BY code").fetchall()
    read = read_boundaries(tmp_path / "rejony.gpkg")
    fixed, changed = repair(to_storage_crs(read, declared_crs=None, source_name="x").geometry.values)
    stored = gpd.GeoDataFrame(geometry=fixed, crs="EPSG:4326")
    expected = areas_km2(stored, read.geometry.where(~changed, None))
    assert [r[0] for r in rows] == list(read["kod"]) and changed.sum() == 1
    for (_code, wkb, area), want, want_area in zip(rows, fixed, expected, strict=True):
        got = shapely.from_wkb(bytes(wkb))
        assert shapely.equals_exact(shapely.normalize(got), shapely.normalize(want), tolerance=1e-9)
        assert area == pytest.approx(want_area, rel=1e-9)


@pytest.mark.parametrize("kind", ["gpkg", "shp without .cpg", "zip", "geojson with a filter"])
def test_features_read_as_wkb_are_the_features_read_as_shapes(tmp_path, kind):
    """:func:`geodata.io.read_features` (the loader's reader: attributes, and geometries as WKB) gives the attributes
    and geometries :func:`read_boundaries` gives, in the same order, whichever way GDAL reads the file."""
    from geodata.io import read_features

    frame = gminy_frame("EPSG:2180")
    where = None
    if kind == "gpkg":
        path = tmp_path / "g.gpkg"
        frame.to_file(path, driver="GPKG")
    elif kind == "geojson with a filter":
        path = tmp_path / "g.geojson"
        frame.to_crs("EPSG:4326").to_file(path)
        where = "nazwa <> 'Łódź'"
    else:
        path = tmp_path / "shp" / "g.shp"
        path.parent.mkdir()
        frame.to_file(path, encoding="cp1250")
        path.with_suffix(".cpg").unlink(missing_ok=True)
        if kind == "zip":
            with zipfile.ZipFile(tmp_path / "g.zip", "w") as z:
                for part in path.parent.iterdir():
                    z.write(part, part.name)
            path = tmp_path / "g.zip"
    shapes = read_boundaries(path, where=where)
    features = read_features(path, where=where)
    assert features.attributes.equals(shapes.drop(columns=shapes.geometry.name))
    as_wkb = shapely.from_wkb(features.wkb.to_numpy(zero_copy_only=False))
    assert shapely.equals_exact(as_wkb, shapes.geometry.values).all()
    assert features.crs is not None and shapes.crs.equals(features.crs)
    assert len(features) == (3 if where else 4) and "Łódź" in set(frame["nazwa"])
