"""``ldatlas fetch gisco`` / ``fetch prg`` and the download they share, against a local file server on 127.0.0.1
serving files the tests make in GISCO's and PRG's real shapes (field names, CRS, encoding, zip layout)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box, mapping
from typer.testing import CliRunner

from etl.cli import app
from etl.connectors.bdl import FetchError
from etl.connectors.download import download
from etl.pipeline.load import load_workspace
from etl.workspace import read_workspace
from tests.fileserver import FileServer
from tests.helpers import GMINY, write_workspace

LT = [
    ("13", "Vilniaus miesto savivaldybė", box(25.1, 54.6, 25.4, 54.8)),
    ("19", "Kauno miesto savivaldybė", box(23.8, 54.8, 24.0, 55.0)),
]


def lau_geojson() -> bytes:
    """A GISCO LAU file (``LAU_RG_01M_2021_4326.geojson``): Europe-wide, several countries, GISCO's fields."""
    features = []
    for i, (code, name, geom) in enumerate(GMINY):
        pop = None if code == "0201043" else 1000.0 * (i + 1)  # GISCO leaves some populations empty
        features.append(
            {
                "GISCO_ID": f"PL_{code}",
                "CNTR_CODE": "PL",
                "LAU_ID": code,
                "LAU_NAME": name,
                "POP_2021": pop,
                "POP_DENS_2021": None if pop is None else pop / 78.0,
                "AREA_KM2": 78.0,
                "YEAR": 2021,
                "FID": f"PL_{code}",
                "geometry": geom,
            }
        )
    for code, name, geom in LT:
        features.append(
            {
                "GISCO_ID": f"LT_{code}",
                "CNTR_CODE": "LT",
                "LAU_ID": code,
                "LAU_NAME": name,
                "POP_2021": 500000.0,
                "POP_DENS_2021": 1400.0,
                "AREA_KM2": 400.0,
                "YEAR": 2021,
                "FID": f"LT_{code}",
                "geometry": geom,
            }
        )
    return _geojson(features)


def nuts_geojson(level: int) -> bytes:
    code = ["PL", "PL5", "PL51", "PL515"][level]
    name = ["Polska", "Makroregion południowo-zachodni", "Dolnośląskie", "Jeleniogórski"][level]
    rows = [
        {
            "NUTS_ID": code,
            "LEVL_CODE": level,
            "CNTR_CODE": "PL",
            "NAME_LATN": name,
            "NUTS_NAME": name,
            "MOUNT_TYPE": 0,
            "URBN_TYPE": 0,
            "COAST_TYPE": 0,
            "FID": code,
            "geometry": box(16.0, 51.0, 16.2, 51.2),
        },
        {
            "NUTS_ID": "LT" + "0" * level,
            "LEVL_CODE": level,
            "CNTR_CODE": "LT",
            "NAME_LATN": "Lietuva",
            "NUTS_NAME": "Lietuva",
            "MOUNT_TYPE": 0,
            "URBN_TYPE": 0,
            "COAST_TYPE": 0,
            "FID": "LT",
            "geometry": box(23.0, 54.0, 26.0, 56.0),
        },
    ]
    return _geojson(rows)


def _geojson(rows: list[dict]) -> bytes:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {k: v for k, v in r.items() if k != "geometry"},
                "geometry": mapping(r["geometry"]),
            }
            for r in rows
        ],
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def prg_zip(folder: Path) -> Path:
    """A PRG zip as GUGiK publishes it: shapefiles in EPSG:2180, WINDOWS-1250 text and no .cpg, in a folder."""
    layers = {
        "A01_Granice_wojewodztw": [("02", "dolnośląskie", box(16.0, 51.0, 16.2, 51.2))],
        "A02_Granice_powiatow": [("0201", "bolesławiecki", box(16.0, 51.0, 16.2, 51.2))],
        "A03_Granice_gmin": [(c, n, g) for c, n, g in GMINY],
    }
    shp_dir = folder / "shp"
    shp_dir.mkdir()
    archive = folder / "00_jednostki_administracyjne.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, rows in layers.items():
            frame = gpd.GeoDataFrame(
                {
                    "JPT_SJR_KO": ["X"] * len(rows),
                    "JPT_KOD_JE": [r[0] for r in rows],
                    "JPT_NAZWA_": [r[1] for r in rows],
                },
                geometry=[r[2] for r in rows],
                crs="EPSG:4326",
            ).to_crs("EPSG:2180")
            frame.to_file(shp_dir / f"{name}.shp", encoding="cp1250")
            (shp_dir / f"{name}.cpg").unlink(missing_ok=True)
            for part in sorted(shp_dir.glob(f"{name}.*")):
                z.write(part, f"PRG_jednostki_administracyjne_2024/{part.name}")
    return archive


def said(result) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(result.output.split())


@pytest.fixture
def server():
    with FileServer() as s:
        yield s


def _gisco(server, db, cache, *extra):
    return CliRunner().invoke(
        app, ["fetch", "gisco", "--db", str(db), "--base-url", server.url + "/gisco", "--cache", str(cache), *extra]
    )


LAU_PATH = "/gisco/lau/geojson/LAU_RG_01M_2021_4326.geojson"


def test_fetch_gisco_lau_loads_one_country_with_ids_and_population(server, tmp_path, db, ro):
    server.files[LAU_PATH] = lau_geojson()
    result = _gisco(server, db, tmp_path / "cache", "--country", "PL", "--level", "lau", "--year", "2021")
    assert result.exit_code == 0, result.output
    con = ro(db)
    units = con.execute("SELECT code, name, level, area_km2 FROM units ORDER BY code").fetchall()
    assert [u[:3] for u in units] == [(c, n, "gmina") for c, n, _g in GMINY]  # LT left out, TERYT kept
    assert units[0][3] == pytest.approx(78.0, rel=0.02)
    assert con.execute("SELECT id FROM unit_ids WHERE code = '0201022' AND scheme = 'gisco'").fetchone() == (
        "PL_0201022",
    )
    pop = dict(
        ((u, i), (v, f))
        for u, i, v, f in con.execute(
            "SELECT unit_code, indicator_id, value, flag FROM observations WHERE year = 2021"
        ).fetchall()
    )
    assert pop[("0201011", "gisco_population")] == (1000.0, None)
    assert pop[("0201043", "gisco_population")] == (None, "no_data")  # missing, never 0
    assert con.execute("SELECT name_en, unit FROM indicators WHERE id = 'gisco_population'").fetchone() == (
        "Population (GISCO LAU)",
        "osoby",
    )
    assert con.execute("SELECT count(*) FROM unit_display WHERE level = 'gmina'").fetchone()[0] == 4
    assert con.execute("SELECT level FROM levels").fetchall() == [("gmina",)]
    kind, provenance = con.execute(
        "SELECT kind, provenance FROM sources WHERE source_id = 'gisco-lau-2021-pl'"
    ).fetchone()
    provenance = json.loads(provenance)
    assert kind == "fetch:gisco" and provenance["year"] == 2021 and provenance["url"].endswith(LAU_PATH)
    assert provenance["sha256"] == hashlib.sha256(server.files[LAU_PATH]).hexdigest()

    # a second country from the same file: taken from the cache, not downloaded again
    asked = len(server.requests)
    result = _gisco(server, db, tmp_path / "cache", "--country", "LT", "--level", "lau")
    assert result.exit_code == 0, result.output
    assert len(server.requests) == asked
    con.close()
    con = ro(db)
    assert con.execute("SELECT name, level FROM units WHERE code = '13'").fetchone() == (
        "Vilniaus miesto savivaldybė",
        "lau",
    )
    assert [r[0] for r in con.execute("SELECT level FROM levels ORDER BY rank").fetchall()] == ["lau", "gmina"]


def test_fetch_gisco_nuts_levels_nest_by_code(server, tmp_path, db, ro):
    for level in range(4):
        server.files[f"/gisco/nuts/geojson/NUTS_RG_20M_2021_4326_LEVL_{level}.geojson"] = nuts_geojson(level)
    for level in ("nuts3", "nuts0", "nuts2", "nuts1"):  # any order: parents follow the codes
        result = _gisco(server, db, tmp_path / "cache", "--country", "PL", "--level", level, "--resolution", "20M")
        assert result.exit_code == 0, result.output
    con = ro(db)
    rows = con.execute("SELECT code, level, parent_code FROM units ORDER BY code").fetchall()
    assert rows == [
        ("PL", "country", None),
        ("PL5", "nuts1", "PL"),
        ("PL51", "nuts2", "PL5"),
        ("PL515", "nuts3", "PL51"),
    ]
    assert [r[0] for r in con.execute("SELECT level FROM levels ORDER BY rank").fetchall()] == [
        "country",
        "nuts1",
        "nuts2",
        "nuts3",
    ]


def test_fetch_gisco_explains_bad_requests_and_missing_files(server, tmp_path, db):
    result = _gisco(server, db, tmp_path / "cache", "--country", "PL", "--level", "lau", "--resolution", "20M")
    assert result.exit_code == 1 and "1:1 million only: use --resolution 01M" in said(result)
    result = _gisco(server, db, tmp_path / "cache", "--country", "PL", "--level", "lau", "--year", "1999")
    assert result.exit_code == 1 and "HTTP 404" in said(result) and "LAU_RG_01M_1999_4326" in said(result)
    server.files[LAU_PATH] = lau_geojson()
    result = _gisco(server, db, tmp_path / "cache", "--country", "DE", "--level", "lau")
    assert result.exit_code == 1 and "no LAU units for country DE" in said(result)
    assert not db.exists()


def test_fetch_without_network_says_so_and_leaves_the_store(tmp_path, store_file):
    before = store_file.read_bytes()
    result = CliRunner().invoke(
        app,
        [
            "fetch",
            "gisco",
            "--country",
            "PL",
            "--db",
            str(store_file),
            "--base-url",
            "http://127.0.0.1:9/gisco",
            "--cache",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 1
    assert "Could not download the GISCO file LAU_RG_01M_2021_4326.geojson" in said(result)
    assert "Traceback" not in said(result) and store_file.read_bytes() == before
    result = CliRunner().invoke(
        app, ["fetch", "prg", "http://127.0.0.1:9/prg.zip", "--db", str(store_file), "--cache", str(tmp_path / "c")]
    )
    assert result.exit_code == 1 and "Could not download the PRG zip" in said(result)
    assert store_file.read_bytes() == before


@pytest.fixture
def store_file(tmp_path):
    db = tmp_path / "atlas.duckdb"
    load_workspace(read_workspace(write_workspace(tmp_path, "", with_gminy=False)), db)
    return db


def test_fetch_prg_zip_from_a_path_and_a_url(server, tmp_path, ro):
    archive = prg_zip(tmp_path)
    db = tmp_path / "from-path.duckdb"
    result = CliRunner().invoke(app, ["fetch", "prg", str(archive), "--db", str(db)])
    assert result.exit_code == 0, result.output
    con = ro(db)
    rows = {c: (n, lv, p) for c, n, lv, p in con.execute("SELECT code, name, level, parent_code FROM units").fetchall()}
    assert rows["02"] == ("dolnośląskie", "voivodeship", None)
    assert rows["0201"] == ("bolesławiecki", "powiat", "02")
    assert rows["0201022"] == ("Świętochłowice", "gmina", "0201")  # WINDOWS-1250 read right
    assert rows["0201011"][0] == "Łódź"
    x, y = con.execute(
        "SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM units WHERE code = '0201011'"
    ).fetchone()
    assert x == pytest.approx(16.05, abs=1e-3) and y == pytest.approx(51.05, abs=1e-3)  # EPSG:2180 -> lon/lat
    assert [r[0] for r in con.execute("SELECT level FROM levels ORDER BY rank").fetchall()] == [
        "voivodeship",
        "powiat",
        "gmina",
    ]
    con.close()
    before = db.read_bytes()
    result = CliRunner().invoke(app, ["fetch", "prg", str(archive), "--db", str(db), "--sha256", "ab" * 32])
    assert result.exit_code == 1 and "does not match the checksum given" in said(result)
    assert db.read_bytes() == before

    server.files["/prg/00_jednostki_administracyjne.zip"] = archive.read_bytes()
    db2 = tmp_path / "from-url.duckdb"
    result = CliRunner().invoke(
        app,
        [
            "fetch",
            "prg",
            server.url + "/prg/00_jednostki_administracyjne.zip",
            "--levels",
            "gmina",
            "--db",
            str(db2),
            "--cache",
            str(tmp_path / "cache"),
        ],
    )
    assert result.exit_code == 0, result.output
    con2 = ro(db2)
    assert con2.execute("SELECT count(*), count(DISTINCT level) FROM units").fetchone() == (4, 1)
    provenance = json.loads(con2.execute("SELECT provenance FROM sources WHERE source_id = 'prg-gmina'").fetchone()[0])
    assert provenance["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()


def test_fetch_prg_rejects_a_zip_without_its_layers(tmp_path, db):
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "nothing here")
    result = CliRunner().invoke(app, ["fetch", "prg", str(archive), "--db", str(db)])
    assert result.exit_code == 1 and "has no voivodeship layer" in said(result)
    assert not db.exists()


def test_fetched_boundaries_survive_a_workspace_reload(tmp_path, ro):
    archive = prg_zip(tmp_path)
    db = tmp_path / "atlas.duckdb"
    workspace = write_workspace(tmp_path, "", with_gminy=False)
    load_workspace(read_workspace(workspace), db)
    assert CliRunner().invoke(app, ["fetch", "prg", str(archive), "--db", str(db)]).exit_code == 0
    workspace.write_text(workspace.read_text("utf-8").replace('name = "Test"', 'name = "Test 2"'), "utf-8")
    load_workspace(read_workspace(workspace), db)
    con = ro(db)
    assert con.execute("SELECT count(*) FROM units").fetchone()[0] == 6
    assert con.execute("SELECT count(*) FROM unit_display").fetchone()[0] == 6


# -- downloads ---------------------------------------------------------------------------------------------------

BODY = bytes(range(256)) * 4096  # 1 MiB


def test_download_resumes_after_a_dropped_connection(server, tmp_path):
    server.files["/f.bin"] = BODY
    server.faults["/f.bin"] = ["drop:300000"]
    got = download(server.url + "/f.bin", tmp_path, backoff_s=0.01)
    assert got.path.read_bytes() == BODY and got.sha256 == hashlib.sha256(BODY).hexdigest()
    assert server.requests == [("/f.bin", None), ("/f.bin", "bytes=300000-")]  # the rest only


def test_download_resumes_in_a_later_run_and_then_uses_the_cache(server, tmp_path):
    server.files["/f.bin"] = BODY
    server.faults["/f.bin"] = ["drop:400000"]
    with pytest.raises(FetchError, match="Could not download the file from .* after 1 tries"):
        download(server.url + "/f.bin", tmp_path, max_retries=1)
    got = download(server.url + "/f.bin", tmp_path)
    assert got.path.read_bytes() == BODY and not got.from_cache
    assert server.requests[-1] == ("/f.bin", "bytes=400000-")
    again = download(server.url + "/f.bin", tmp_path)
    assert again.from_cache and len(server.requests) == 2


def test_download_restarts_when_the_server_cannot_resume(server, tmp_path):
    server.files["/f.bin"] = BODY
    server.faults["/f.bin"] = ["drop:1000"]
    server.ranges = False
    got = download(server.url + "/f.bin", tmp_path, backoff_s=0.01)
    assert got.path.read_bytes() == BODY


def test_download_retries_429_and_500_then_gives_up_clearly(server, tmp_path):
    server.files["/f.bin"] = BODY
    server.faults["/f.bin"] = ["429", "500"]
    assert download(server.url + "/f.bin", tmp_path, backoff_s=0.01).path.read_bytes() == BODY
    server.faults["/g.bin"] = ["500"] * 3
    with pytest.raises(FetchError, match=r"HTTP 500, after 3 tries"):
        download(server.url + "/g.bin", tmp_path, max_retries=3, backoff_s=0.01)


def test_download_times_out_and_retries(server, tmp_path):
    server.files["/f.bin"] = BODY
    server.faults["/f.bin"] = ["sleep:1.5"]
    got = download(server.url + "/f.bin", tmp_path, timeout_s=0.5, backoff_s=0.01)
    assert got.path.read_bytes() == BODY


def test_download_checks_the_published_checksum(server, tmp_path):
    server.files["/f.bin"] = BODY
    with pytest.raises(FetchError, match="does not match its published checksum"):
        download(server.url + "/f.bin", tmp_path, expected_sha256="0" * 64)
    assert not list(tmp_path.rglob("f.bin*"))  # nothing kept of a file that is not the one published
    right = hashlib.sha256(BODY).hexdigest()
    assert download(server.url + "/f.bin", tmp_path, expected_sha256=right).sha256 == right


def test_a_fetched_set_moved_to_another_level_takes_its_display_along(tmp_path, db, ro):
    """The same fetched source written at one level, then at another (``GiscoRequest.store_level``): the former
    level's display coverage goes with its units."""
    from etl.connectors.boundary_set import BoundarySet
    from etl.pipeline.fetched import write_boundary_sets
    from tests.helpers import gminy_frame

    def fetched(level: str) -> BoundarySet:
        path = tmp_path / "lau.geojson"
        return BoundarySet("gisco-lau-2021-pl", level, gminy_frame(), path, str(path), "teryt", "nazwa", 7)

    write_boundary_sets(db, [fetched("gmina")], kind="fetch:gisco", command="test")
    write_boundary_sets(db, [fetched("lau")], kind="fetch:gisco", command="test")
    con = ro(db)
    assert con.execute("SELECT DISTINCT level FROM units").fetchall() == [("lau",)]
    assert con.execute("SELECT level, count(*) FROM unit_display GROUP BY level").fetchall() == [("lau", 4)]
