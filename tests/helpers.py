"""Small fixtures the tests write themselves: boundaries, tables and workspace files."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Polygon, box

# Four gminy of powiat 0201 as a 2 x 2 block of 0.1° squares near 16°E 51°N, in lon/lat.
GMINY = [
    ("0201011", "Łódź", box(16.0, 51.0, 16.1, 51.1)),
    ("0201022", "Świętochłowice", box(16.1, 51.0, 16.2, 51.1)),
    ("0201032", "Gromadka", box(16.0, 51.1, 16.1, 51.2)),
    ("0201043", "Nowogrodziec", box(16.1, 51.1, 16.2, 51.2)),
]


def gminy_frame(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"teryt": [g[0] for g in GMINY], "nazwa": [g[1] for g in GMINY]},
        geometry=[g[2] for g in GMINY],
        crs="EPSG:4326",
    )
    return frame.to_crs(crs) if crs != "EPSG:4326" else frame


def write_geojson(path: Path, features: list[tuple[dict, dict | None]], crs: str | None = None) -> Path:
    doc: dict = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": props, "geometry": geom} for props, geom in features],
    }
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def square(x: float, y: float, size: float = 0.1) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def bowtie(x: float, y: float, size: float = 0.1) -> dict:
    """A self-intersecting polygon: invalid, repairable."""
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y + size], [x + size, y], [x, y + size], [x, y]]]}


def write_gminy(path: Path) -> Path:
    gminy_frame().to_file(path, driver="GeoJSON")
    return path


WORKSPACE_HEAD = """
[workspace]
name = "Test"
language = "pl"
levels = ["voivodeship", "powiat", "gmina", "urban_unit"]

[[indicators]]
id = "population"
name_pl = "Ludność"
name_en = "Population"
unit = "osoby"
domain = "social"
direction = "neutral"

[[indicators]]
id = "unemployment"
name_pl = "Bezrobocie"
name_en = "Unemployment"
unit = "%"
domain = "social"
direction = "lower_is_better"

[[indicators]]
id = "pm10"
name_pl = "PM10"
name_en = "PM10"
unit = "µg/m³"
domain = "environmental-spatial"
direction = "lower_is_better"
min_value = 0
"""

GMINY_SOURCE = """
[[boundaries]]
id = "gminy"
path = "gminy.geojson"
level = "gmina"
code = "teryt"
name = "nazwa"
parent = "teryt"
"""


def write_workspace(folder: Path, body: str, *, with_gminy: bool = True, name: str = "workspace.toml") -> Path:
    """A workspace file with the test catalogue, the four gminy (unless told not to) and ``body``."""
    if with_gminy and not (folder / "gminy.geojson").exists():
        write_gminy(folder / "gminy.geojson")
    text = WORKSPACE_HEAD + (GMINY_SOURCE if with_gminy else "") + textwrap.dedent(body)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def polygon_2180(x: float, y: float, size: float = 1000.0) -> Polygon:
    return box(x, y, x + size, y + size)


# A population table source (pop.csv: kod;ludnosc) for one year, used by several tests.
POPULATION_2024 = """
[[tables]]
id = "pop"
path = "pop.csv"
level = "gmina"
code = "kod"
indicator = "population"
year = 2024
value = "ludnosc"
"""

# The same table with a year column (pop.csv: kod;rok;ludnosc).
POPULATION_BY_YEAR = """
[[tables]]
id = "pop"
path = "pop.csv"
level = "gmina"
code = "kod"
indicator = "population"
year_column = "rok"
value = "ludnosc"
"""


HOSTILE_TITLE = "<img src=x onerror=alert(1)>"


def demo_with_hostile_proposal(target: Path) -> Path:
    """A copy of the demo workspace with one more proposal whose title is HTML (it must always show as text).

    The proposal lies a little off the first demo proposal's point; returns the workspace file.
    """
    import shutil

    from etl.tools import demo

    shutil.copytree(demo.REPO_DEMO, target)
    csv = target / "proposals" / "wnioski.csv"
    lines = csv.read_text("utf-8-sig").splitlines()
    first = lines[1].split(";")
    lon, lat = (float(v.replace(",", ".")) + 0.0004 for v in first[-2:])
    lines.append(
        ";".join(
            [
                "W2024-999",
                HOSTILE_TITLE,
                "opis",
                "1.1",
                "inne",
                "złożony",
                "1000",
                "",
                "2024",
                "mieszkaniec",
                f"{lon:.6f}".replace(".", ","),
                f"{lat:.6f}".replace(".", ","),
            ]
        )
    )
    csv.write_text("\n".join(lines) + "\n", "utf-8-sig")
    return target / "workspace.toml"


#: A name that would be a remote image, a link, raw HTML, bold text, an icon and a formula if anything rendered it.
HOSTILE_NAME = (
    '![x](http://evil.invalid/md.png) [klik](http://evil.invalid/link) <img src="http://evil.invalid/tag.png"> '
    '<a href="http://evil.invalid/a">a</a> **Kolonia** :material/home: $x^2$'
)


def demo_with_hostile_names(target: Path) -> Path:
    """The demo with :data:`HOSTILE_NAME` as the workspace's title, a unit's name (Kolonia Fabryczna,
    9861011-05), an indicator's name (unemployment) and the LSR area's name; returns the workspace file."""
    workspace = demo_with_hostile_proposal(target)
    toml_name = json.dumps(HOSTILE_NAME, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    text = workspace.read_text("utf-8")
    for old in (
        'name = "Nadrzecze — dane demonstracyjne (syntetyczne)"',
        'name = "Obszar LSR Nadrzecza"',
    ):
        assert old in text, old
        text = text.replace(old, f"name = {toml_name}", 1)
    old = 'name_pl = "Udział bezrobotnych w ludności w wieku produkcyjnym"'
    assert old in text
    workspace.write_text(text.replace(old, f"name_pl = {toml_name}", 1), "utf-8")
    units = target / "boundaries" / "jednostki_urbanistyczne_2180.geojson"
    doc = json.loads(units.read_text("utf-8"))
    for feature in doc["features"]:
        if feature["properties"]["nazwa"] == "Kolonia Fabryczna":
            feature["properties"]["nazwa"] = HOSTILE_NAME
    units.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return workspace


def page_script(db: str, name: str) -> None:
    """One dashboard page as an AppTest script (``AppTest.from_function(page_script, args=(db, name))``): the store
    ``db``, the language from the URL."""
    import importlib
    import os

    os.environ["LDATLAS_DB"] = db
    from dashboard.state import language

    importlib.import_module(f"dashboard.views.{name}").page(language())


def version_notice_script(db: str) -> None:
    """The data-version notice alone, as an AppTest script, on the store ``db`` (in English)."""
    import os

    os.environ["LDATLAS_DB"] = db
    from dashboard.views.data_version import notice

    notice("en")
