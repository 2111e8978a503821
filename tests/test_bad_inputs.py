"""A corpus of bad inputs, each loaded with ``ldatlas load`` on a store that already holds four gminy.

Every case says what must happen: the exit code, a fragment of what the user reads, and — for a refused load — that
the store is byte-for-byte as it was; for an accepted one, the reject stored with its reason, or the values loaded.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point, box
from typer.testing import CliRunner

from etl.cli import app
from tests.helpers import GMINY_SOURCE, WORKSPACE_HEAD, write_gminy

GMINY = GMINY_SOURCE  # the four gminy of tests/helpers.py
GOALS = """
[[goals]]
code = "1"
name_pl = "Cel"
"""
DERIVED = """
[[indicators]]
id = "over65"
name_pl = "Ludność 65+"
name_en = "Population 65+"
unit = "osoby"
domain = "social"
direction = "neutral"

[[indicators]]
id = "share65"
name_pl = "Udział 65+"
name_en = "Share 65+"
unit = "%"
domain = "social"
direction = "neutral"
derived = { kind = "share", of = "over65", per = "population" }
"""


def _toml(value: object) -> str:
    """A value written as TOML (inline tables for dicts); a str starting with ``{`` or ``[`` is taken as written."""
    if isinstance(value, str) and value.startswith(("{ ", "[{")):
        return value
    if isinstance(value, dict):
        return (
            "{ "
            + ", ".join(f"{json.dumps(k) if not k.isidentifier() else k} = {_toml(v)}" for k, v in value.items())
            + " }"
        )
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def _source(section: str, keys: dict[str, object]) -> str:
    return f"\n[[{section}]]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in keys.items() if v is not None)


def table(path: str, **options: object) -> str:
    """A [[tables]] source of population values for 2024 (kod;v) unless options say otherwise (None drops a key)."""
    keys = {
        "id": "t",
        "path": path,
        "level": "gmina",
        "code": "kod",
        "indicator": "population",
        "year": 2024,
        "value": "v",
        **options,
    }
    return _source("tables", keys)


def proposals(path: str, **options: object) -> str:
    keys = {
        "id": "p",
        "path": path,
        "id_column": "nr",
        "title": "tytul",
        "status": "status",
        "lon": "lon",
        "lat": "lat",
        **options,
    }
    return _source("proposals", keys)


POP = "kod;v\n0201011;100\n0201022;200\n"
PROPS = "nr;tytul;status;lon;lat;koszt;glosy;wkt;x;y\n1;Ławki;submitted;16,05;51,05;100;5;;;\n"


def _shapefile_bytes(frame: gpd.GeoDataFrame) -> dict[str, bytes]:
    folder = Path(__import__("tempfile").mkdtemp())
    pyogrio.write_dataframe(frame, folder / "g.shp")
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _units(crs: str | None) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"kod": ["01", "02"], "nazwa": ["Stare Miasto", "Nowe Miasto"]},
        geometry=[box(16.0, 51.0, 16.05, 51.05), box(16.05, 51.0, 16.1, 51.05)],
        crs="EPSG:4326",
    )
    return frame.to_crs(crs) if crs else frame


def _geojson(frame: gpd.GeoDataFrame, *, with_crs: bool) -> str:
    doc = json.loads(frame.to_json())
    if not with_crs:
        doc.pop("crs", None)
    return json.dumps(doc, ensure_ascii=False)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


URBAN = """
[[boundaries]]
id = "u"
path = "{path}"
level = "urban_unit"
code = "kod"
name = "nazwa"
code_prefix = "0201011-"
code_width = 2
"""


@dataclass
class Case:
    id: str
    body: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    exit: int = 0
    says: str = ""
    reject: str | None = None
    values: dict[tuple[str, int], float] | None = None  # observations expected (a subset)
    head: str = ""
    query: tuple[str, object] | None = None  # (SQL, expected first row) on the store after the load


CASES = [
    # --- the workspace file itself ---------------------------------------------------------------------------------
    Case("w-misspelt-key", table("p.csv", separtor=";"), {"p.csv": POP}, 1, "did you mean `separator`?"),
    Case("w-singular-section", '\n[[table]]\nid = "t"\n', {}, 1, "[[table]]: unknown section"),
    Case("w-section-not-array", '\n[tables]\nid = "t"\n', {}, 1, "[tables] must be written [[tables]]"),
    Case("w-invalid-toml", "\n[[tables]\n", {}, 1, "is not valid TOML"),
    Case("w-unknown-level", table("p.csv", level="osiedle"), {"p.csv": POP}, 1, "level 'osiedle' is not in"),
    Case("w-duplicate-source-id", table("p.csv", id="gminy"), {"p.csv": POP}, 1, "source id 'gminy' is used twice"),
    Case("w-missing-file", table("nope.csv"), {}, 1, "file not found"),
    Case("w-wrong-type", table("p.csv", header_row="x"), {"p.csv": POP}, 1, "`header_row`: must be a whole number"),
    Case("w-unknown-env", table("${NO_SUCH_VAR}/p.csv"), {}, 1, "NO_SUCH_VAR"),
    Case("w-bad-layout", table("p.csv", layout="diagonal"), {"p.csv": POP}, 1, "(got 'diagonal')"),
    Case("w-bad-keep-codes", table("p.csv", keep_codes="(["), {"p.csv": POP}, 1, "not a valid regular expression"),
    Case(
        "w-two-filter-tests",
        table("p.csv", drop_rows={"column": "kod", "equals": "1", "in": ["2"]}),
        {"p.csv": POP},
        1,
        "exactly one of equals, in, not_in, regex",
    ),
    Case("w-unknown-crosswalk", table("p.csv", crosswalk="nope"), {"p.csv": POP}, 1, "no crosswalk 'nope'"),
    Case("w-brackets-survive", '\n[[tabels]]\nid = "t"\n', {}, 1, "[[tabels]]: unknown section"),
    # --- tables: whole-file problems --------------------------------------------------------------------------------
    Case("t-missing-column", table("p.csv", value="nope"), {"p.csv": POP}, 1, "no column 'nope' for the value"),
    Case(
        "t-not-utf8", table("p.csv", encoding="utf-8"), {"p.csv": "kod;v\nŁódź;1\n".encode("cp1250")}, 1, "is not utf-8"
    ),
    Case("t-unsupported-suffix", table("p.ods"), {"p.ods": "x"}, 1, "tables must be CSV, XLSX or XLS"),
    Case("t-corrupt-xlsx", table("p.xlsx"), {"p.xlsx": b"PK\x03\x04 not really"}, 1, "Cannot read p.xlsx"),
    Case("t-header-beyond", table("p.csv", header_row=9), {"p.csv": POP}, 1, "header_row 9 is beyond the last row"),
    Case(
        "t-unquoted-decimal-commas",
        table("p.csv", indicator="unemployment", separator=","),
        {"p.csv": "kod,v\n0201011,3,76\n0201022,4,10\n"},
        1,
        "have more cells than the header",
    ),
    Case(
        "t-years-auto-none",
        table("p.csv", layout="wide_years", year=None),
        {"p.csv": "kod;a;b\n0201011;1;2\n"},
        1,
        "found no column whose header is a year",
    ),
    Case("t-nothing-loaded", table("p.csv"), {"p.csv": "kod;v\n9999999;1\n"}, 1, "gave nothing to load"),
    Case(
        "t-filter-unknown-column",
        table("p.csv", drop_rows={"column": "typ", "equals": "x"}),
        {"p.csv": POP},
        1,
        "no column 'typ'",
    ),
    Case(
        "t-brackets-in-file-name",
        table("[dane].csv", value="nope"),
        {"[dane].csv": POP},
        1,
        "[dane].csv: no column 'nope'",
    ),
    Case(
        "t-derived-implausible",
        table(
            "p.csv",
            layout="wide_indicators",
            year=2024,
            indicator=None,
            value=None,
            columns={"v": "population", "o": "over65"},
        ),
        {"p.csv": "kod;v;o\n0201011;10;1000\n"},
        1,
        "1 impossible value, allowed",
        head=DERIVED,
    ),
    # --- tables: rows kept with a reason ------------------------------------------------------------------------------
    Case(
        "t-unknown-unit",
        table("p.csv"),
        {"p.csv": POP + "0201099;5\n"},
        0,
        "rejected",
        reject="unknown unit 0201099 at level gmina",
    ),
    Case("t-not-a-number", table("p.csv"), {"p.csv": POP + "0201032;abc\n"}, 0, reject="'abc' is not a number"),
    Case("t-missing-marker", table("p.csv"), {"p.csv": POP + "0201032;.\n"}, 0, reject="marks missing data"),
    Case("t-negative-count", table("p.csv"), {"p.csv": POP + "0201032;-5\n"}, 0, reject="negative"),
    Case(
        "t-share-above-100",
        table("p.csv", indicator="unemployment"),
        {"p.csv": POP + "0201032;120\n"},
        0,
        reject="above 100%",
    ),
    Case("t-fractional-count", table("p.csv"), {"p.csv": POP + "0201032;12,5\n"}, 0, reject="is not a whole number"),
    Case("t-billion-residents", table("p.csv"), {"p.csv": POP + "0201032;1e30\n"}, 0, reject="more than a billion"),
    Case("t-duplicate-row", table("p.csv"), {"p.csv": POP + "0201011;101\n"}, 0, reject="duplicate: unit 0201011"),
    Case("t-row-too-long", table("p.csv"), {"p.csv": POP + "0201032;1;2\n"}, 0, reject="the row has 3 cells"),
    Case(
        "t-unknown-indicator",
        table("p.csv", indicator=None, indicator_column="i"),
        {"p.csv": "kod;i;v\n0201011;population;1\n0201022;gdp;2\n"},
        0,
        reject="unknown indicator 'gdp'",
    ),
    Case(
        "t-bad-year",
        table("p.csv", year=None, year_column="r"),
        {"p.csv": "kod;r;v\n0201011;2024;1\n0201022;20x4;2\n"},
        0,
        reject="'20x4' is not a year",
    ),
    Case(
        "t-crosswalk-unmatched",
        table("p.csv", crosswalk="g"),
        {"p.csv": "kod;v\nŁódź;1\nXyz;2\n"},
        0,
        reject="no code for 'Xyz' in crosswalk 'g'",
        head='\n[[crosswalks]]\nid = "g"\nmap = { "Łódź" = "0201011" }\n',
    ),
    Case(
        "t-low-share-warning",
        table("p.csv"),
        {"p.csv": "kod;v\n0201011;1\n9999991;1\n9999992;1\n"},
        0,
        "Only 33% of what 't' holds could be used",
    ),
    # --- tables: every code and number form that must simply load ---------------------------------------------------
    Case("t-dot-thousands", table("p.csv"), {"p.csv": "kod;v\n0201011;205.108\n"}, values={("0201011", 2024): 205108}),
    Case("t-lost-leading-zero", table("p.csv"), {"p.csv": "kod;v\n201011;7\n"}, values={("0201011", 2024): 7}),
    Case("t-bdl-unit-id", table("p.csv"), {"p.csv": "kod;v\n010200001011;7\n"}, values={("0201011", 2024): 7}),
    Case("t-dashed-code", table("p.csv"), {"p.csv": "kod;v\n02-01-01-1;7\n"}, values={("0201011", 2024): 7}),
    Case("t-excel-float-code", table("p.csv"), {"p.csv": "kod;v\n201011.0;7\n"}, values={("0201011", 2024): 7}),
    Case(
        "t-years-with-prefix",
        table("p.csv", layout="wide_years", year=None),
        {"p.csv": "kod;SB2023;POP2024;2022 r.\n0201011;1;2;3\n"},
        values={("0201011", 2023): 1, ("0201011", 2024): 2, ("0201011", 2022): 3},
    ),
    Case(
        "t-drop-rows",
        table("p.csv", drop_rows={"column": "kod", "regex": r"\d{6}[45]"}),
        {"p.csv": POP + "0201014;9\n"},
        values={("0201011", 2024): 100},
        query=("SELECT rows_skipped, rows_rejected FROM sources WHERE source_id = 't'", (1, 0)),
    ),
    Case(
        "t-keep-rows",
        table("p.csv", keep_rows=[{"column": "kod", "in": ["0201011"]}]),
        {"p.csv": POP},
        values={("0201011", 2024): 100},
        query=("SELECT count(*) FROM observations WHERE source_id = 't'", (1,)),
    ),
    Case(
        "t-crosswalk-inline",
        table("p.csv", crosswalk="g"),
        {"p.csv": "kod;v\n łódź ;5\n"},
        values={("0201011", 2024): 5},
        head='\n[[crosswalks]]\nid = "g"\nmap = { "Łódź" = "0201011" }\n',
    ),
    Case(
        "t-crosswalk-file",
        table("p.csv", crosswalk="g"),
        {"p.csv": "kod;v\nGromadka;5\n", "g.csv": "nazwa;teryt\nGromadka;201032\n"},
        values={("0201032", 2024): 5},
        head='\n[[crosswalks]]\nid = "g"\npath = "g.csv"\nfrom_column = "nazwa"\nto_column = "teryt"\n',
    ),
    Case("t-allow-empty", table("p.csv", allow_empty=True), {"p.csv": "kod;v\n9999999;1\n"}, 0, "rejected"),
    # --- boundaries ---------------------------------------------------------------------------------------------
    Case(
        "b-no-crs",
        URBAN.format(path="g.shp"),
        _shapefile_bytes(_units(None).set_crs(None, allow_override=True)),
        1,
        "has no coordinate reference system",
    ),
    Case(
        "b-metres-as-degrees",
        URBAN.format(path="u.geojson"),
        {"u.geojson": _geojson(_units("EPSG:2180"), with_crs=False)},
        1,
        'look like metres of EPSG:2180 (PL-1992, the CRS of Polish official data): set crs = "EPSG:2180"',
    ),
    Case(
        "b-metres-declared",
        URBAN.format(path="u.geojson") + 'crs = "EPSG:2180"\n',
        {"u.geojson": _geojson(_units("EPSG:2180"), with_crs=False)},
        0,
        query=("SELECT count(*) FROM units WHERE level = 'urban_unit'", (2,)),
    ),
    Case(
        "b-unknown-crs",
        URBAN.format(path="u.geojson") + 'crs = "EPSG:99999"\n',
        {"u.geojson": _geojson(_units(None), with_crs=False)},
        1,
        "is not a coordinate reference system PROJ knows",
    ),
    Case(
        "b-corrupt-zip", URBAN.format(path="u.zip"), {"u.zip": b"PK\x03\x04 broken"}, 1, "is not a readable zip archive"
    ),
    Case(
        "b-zip-two-layers",
        URBAN.format(path="u.zip"),
        {
            "u.zip": _zip(
                {
                    "a.geojson": _geojson(_units(None), with_crs=True).encode(),
                    "b.geojson": _geojson(_units(None), with_crs=True).encode(),
                }
            )
        },
        1,
        "holds 2 geometry files",
    ),
    Case(
        "b-missing-attribute",
        URBAN.format(path="u.geojson").replace('code = "kod"', 'code = "numer"'),
        {"u.geojson": _geojson(_units(None), with_crs=True)},
        1,
        "no attribute 'numer'",
    ),
    Case(
        "b-parent-contains-alone",
        URBAN.format(path="u.geojson") + 'parent = "contains"\n',
        {"u.geojson": _geojson(_units(None), with_crs=True)},
        1,
        "needs `parent_level`",
    ),
    Case(
        "b-duplicate-code",
        URBAN.format(path="u.geojson"),
        {"u.geojson": _geojson(_units(None).assign(kod=["01", "01"]), with_crs=True)},
        1,
        "gave nothing to load",
    ),
    Case(
        "b-no-name",
        URBAN.format(path="u.geojson"),
        {"u.geojson": _geojson(_units(None).assign(nazwa=["Stare Miasto", ""]), with_crs=True)},
        0,
        reject="no unit name",
    ),
    Case(
        "b-drop-city-outline",
        URBAN.format(path="u.geojson") + 'drop_rows = { column = "nazwa", equals = "Łódź" }\n',
        {
            "u.geojson": _geojson(
                gpd.GeoDataFrame(
                    {"kod": ["01", "02", "00"], "nazwa": ["Stare Miasto", "Nowe Miasto", "Łódź"]},
                    geometry=[
                        box(16.0, 51.0, 16.05, 51.05),
                        box(16.05, 51.0, 16.1, 51.05),
                        box(16.0, 51.0, 16.1, 51.05),
                    ],
                    crs="EPSG:4326",
                ),
                with_crs=True,
            )
        },
        0,
        query=("SELECT rows_loaded, rows_skipped FROM sources WHERE source_id = 'u'", (2, 1)),
    ),
    Case(
        "b-names-as-codes-keep-spaces",
        URBAN.format(path="u.geojson").replace('code = "kod"', 'code = "nazwa"'),
        {"u.geojson": _geojson(_units(None), with_crs=True)},
        0,
        query=("SELECT min(code) FROM units WHERE level = 'urban_unit'", ("0201011-Nowe Miasto",)),
    ),
    Case(
        "b-lithuanian-names-crosswalk",
        URBAN.format(path="u.geojson")
        .replace('code = "kod"', 'code = "nazwa"')
        .replace('code_prefix = "0201011-"\ncode_width = 2\n', 'crosswalk = "lt-municipalities"\n'),
        {
            "u.geojson": _geojson(
                _units(None).assign(nazwa=["Vilniaus  miesto savivaldybė", "Siauliu r. sav."]), with_crs=True
            )
        },
        0,
        query=("SELECT string_agg(code, ',' ORDER BY code) FROM units WHERE level = 'urban_unit'", ("LT-44,LT-57",)),
    ),
    # --- proposals --------------------------------------------------------------------------------------------------
    Case("p-no-status", proposals("p.csv", status=None), {"p.csv": PROPS}, 1, "give `status`"),
    Case(
        "p-bad-status-value",
        proposals("p.csv", status=None, status_value="maybe"),
        {"p.csv": PROPS},
        1,
        "status_value 'maybe' is not one of",
    ),
    Case(
        "p-status-value",
        proposals("p.csv", status=None, status_value="selected"),
        {"p.csv": PROPS},
        0,
        query=("SELECT status FROM proposals", ("selected",)),
    ),
    Case(
        "p-status-default",
        proposals("p.csv", status_default="submitted"),
        {"p.csv": PROPS.replace("1;Ławki;submitted", "1;Ławki;")},
        0,
        query=("SELECT status FROM proposals", ("submitted",)),
    ),
    Case(
        "p-status-unmapped",
        proposals("p.csv"),
        {"p.csv": PROPS + "2;Drzewa;w zawieszeniu;16,05;51,05;;;;;\n"},
        0,
        reject="status 'w zawieszeniu' is not in status_map",
    ),
    Case(
        "p-unknown-crs",
        proposals("p.csv", location="xy", x="x", y="y", crs="EPSG:99999", lon=None, lat=None),
        {"p.csv": PROPS},
        1,
        "is not a coordinate reference system PROJ knows",
    ),
    Case(
        "p-point-empty",
        proposals("p.csv", location="wkt", wkt="wkt", lon=None, lat=None),
        {"p.csv": PROPS.replace(";;;\n", "POINT EMPTY;;\n") + "2;Drzewa;submitted;;;;;POINT (16.05 51.05);;\n"},
        0,
        reject="no location",
    ),
    Case(
        "p-votes-beyond-int32",
        proposals("p.csv", votes="glosy"),
        {"p.csv": PROPS.replace(";100;5;", ";100;3000000000;")},
        0,
        query=("SELECT votes FROM proposals", (3_000_000_000,)),
    ),
    Case(
        "p-negative-cost",
        proposals("p.csv", cost="koszt"),
        {"p.csv": PROPS + "2;Drzewa;submitted;16,05;51,05;-5;;;;\n"},
        0,
        reject="negative cost",
    ),
    Case(
        "p-not-lonlat",
        proposals("p.csv"),
        {"p.csv": PROPS + "2;Drzewa;submitted;470000;600000;;;;;\n"},
        0,
        reject="are not lon/lat",
    ),
    Case(
        "p-unknown-goal",
        proposals("p.csv", goal="cel"),
        {"p.csv": "nr;tytul;status;lon;lat;cel\n1;A;submitted;16,05;51,05;1\n2;B;submitted;16,05;51,05;9.9\n"},
        0,
        reject="goal '9.9' is not in the workspace's [[goals]]",
        head=GOALS,
    ),
    Case(
        "p-json-records",
        proposals("p.json", records="data.items"),
        {
            "p.json": json.dumps(
                {
                    "data": {
                        "items": [{"nr": 1, "tytul": "Ławki", "status": "submitted", "lon": "16,05", "lat": "51,05"}]
                    }
                }
            )
        },
        0,
        query=("SELECT title FROM proposals", ("Ławki",)),
    ),
    Case(
        "p-json-bad-path",
        proposals("p.json", records="data.rows"),
        {"p.json": json.dumps({"data": {"items": []}})},
        1,
        "no 'rows' on the path",
    ),
    Case(
        "p-json-not-records", proposals("p.json"), {"p.json": json.dumps({"items": [1, 2]})}, 1, "not a list of records"
    ),
    Case(
        "p-city-wide-when",
        proposals("p.csv", city_wide_when='{ column = "adres", equals = "Łódź" }'),
        {"p.csv": "nr;tytul;status;lon;lat;adres\n1;A;submitted;16,05;51,05;Łódź\n2;B;submitted;16,05;51,05;ul. X\n"},
        0,
        query=("SELECT string_agg(location_kind, ',' ORDER BY id) FROM proposals", ("city_wide,point",)),
    ),
    Case(
        "p-drop-rows",
        proposals("p.csv", drop_rows='[{ column = "status", equals = "rejected" }]'),
        {"p.csv": PROPS + "2;Drzewa;rejected;16,05;51,05;;;;;\n"},
        0,
        query=("SELECT count(*) FROM proposals", (1,)),
    ),
    # --- programme areas ------------------------------------------------------------------------------------------
    Case(
        "a-unknown-member",
        '\n[[areas]]\nid = "a"\nname = "A"\nkind = "lsr"\nmembers = ["0201099"]\n',
        {},
        1,
        "lists units that are not in the store",
    ),
    Case("a-no-members", '\n[[areas]]\nid = "a"\nname = "A"\nkind = "lsr"\n', {}, 1, "needs `members"),
]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A store holding the four gminy, built once; each case works on its own copy."""
    folder = tmp_path_factory.mktemp("base")
    write_gminy(folder / "gminy.geojson")
    (folder / "workspace.toml").write_text(WORKSPACE_HEAD + GMINY, "utf-8")
    result = CliRunner().invoke(app, ["load", str(folder / "workspace.toml"), "--db", str(folder / "s.duckdb")])
    assert result.exit_code == 0, result.output
    return folder


def test_the_corpus_is_large_and_its_ids_unique():
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, base: Path, tmp_path: Path, ro):
    for name in ("gminy.geojson", "s.duckdb"):
        (tmp_path / name).write_bytes((base / name).read_bytes())
    for name, content in case.files.items():
        target = tmp_path / name
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    workspace = tmp_path / "workspace.toml"
    workspace.write_text(WORKSPACE_HEAD + case.head + GMINY + textwrap.dedent(case.body), "utf-8")
    db = tmp_path / "s.duckdb"
    before = hashlib.sha256(db.read_bytes()).hexdigest()

    result = CliRunner().invoke(app, ["load", str(workspace), "--db", str(db)])
    output = _flat(result.output)
    assert result.exit_code == case.exit, output
    assert _flat(case.says) in output
    assert "Unexpected" not in output and "Traceback" not in output
    if case.exit:
        assert hashlib.sha256(db.read_bytes()).hexdigest() == before, "a refused load changed the store"
        return
    con = ro(db)
    if case.reject:
        reasons = [r[0] for r in con.execute("SELECT reason FROM rejects").fetchall()]
        assert any(case.reject in r for r in reasons), reasons
        row = con.execute(
            "SELECT file, row_number, column_name FROM rejects WHERE reason LIKE ?", [f"%{case.reject}%"]
        ).fetchone()
        assert row[0] and (row[1] is not None or case.id.startswith("p-")), row
    if case.values:
        stored = {
            (c, y): v
            for c, y, v in con.execute(
                "SELECT unit_code, year, value FROM observations WHERE source_id = 't'"
            ).fetchall()
        }
        for key, value in case.values.items():
            assert stored.get(key) == value, stored
    if case.query:
        sql, expected = case.query
        assert con.execute(sql).fetchone() == expected


def test_file_text_with_markup_is_shown_as_written_by_the_rejects_command(base, tmp_path, ro):
    """Codes, file names and reasons are untrusted text: Rich markup in them is printed, not interpreted."""
    for name in ("gminy.geojson", "s.duckdb"):
        (tmp_path / name).write_bytes((base / name).read_bytes())
    (tmp_path / "p.csv").write_text(POP + "[bold red]x[/];5\n", "utf-8")
    workspace = tmp_path / "workspace.toml"
    workspace.write_text(WORKSPACE_HEAD + GMINY + table("p.csv"), "utf-8")
    db = tmp_path / "s.duckdb"
    assert CliRunner().invoke(app, ["load", str(workspace), "--db", str(db)]).exit_code == 0
    listed = CliRunner().invoke(app, ["rejects", "--db", str(db)])
    assert "[bold red]x[/]" in _flat(listed.output)


def test_points_as_geojson_features_still_load_from_a_json_file(base, tmp_path, ro):
    for name in ("gminy.geojson", "s.duckdb"):
        (tmp_path / name).write_bytes((base / name).read_bytes())
    points = gpd.GeoDataFrame(
        {"nr": ["1"], "tytul": ["A"], "status": ["submitted"]}, geometry=[Point(16.05, 51.05)], crs="EPSG:4326"
    )
    (tmp_path / "p.json").write_text(points.to_json(), "utf-8")
    workspace = tmp_path / "workspace.toml"
    workspace.write_text(WORKSPACE_HEAD + GMINY + proposals("p.json", lon=None, lat=None, location="geometry"), "utf-8")
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(app, ["load", str(workspace), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert ro(db).execute("SELECT unit_code FROM proposals").fetchone() == ("0201011",)
