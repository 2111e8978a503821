"""A level of more than 5,000 units on the map page in Debian's Chromium: MapLibre draws it from the geometry file,
a value goes from the table through the store to the colour of its unit, a year change recolours it without sending
the geometry again, a click opens the unit's panel, and a name from the file stays text in the hover."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import box

from dashboard.large_map import LARGE_LEVEL
from tests.test_browser import IDLE, _loaded, _serving, browser  # noqa: F401  (the shared fixtures)

pytestmark = pytest.mark.browser

UNITS = LARGE_LEVEL + 200
HOSTILE = 'Rejon <img src=x onerror="window.pwned=1"> <b>jeden</b>'

_WORKSPACE = """[workspace]
name = "large"
levels = ["rejon"]

[[indicators]]
id = "population"
name_pl = "Ludność"
name_en = "Population"
unit = "osoby"
domain = "social"
direction = "neutral"

[[boundaries]]
id = "rejony"
path = "rejony.gpkg"
level = "rejon"
code = "kod"
name = "nazwa"

[[tables]]
id = "dane"
path = "dane.csv"
level = "rejon"
code = "kod"
indicator_column = "wskaznik"
year_column = "rok"
value = "wartosc"
"""

#: The large map's state once it has drawn: how many times it has recoloured (0 before the first), or -1.
SHOWN = """() => { for (const host of document.querySelectorAll('*')) { const root = host.shadowRoot;
  const c = root && root.querySelector('.atlas-lm-map'); if (c) return Number(c.dataset.shown || 0); } return -1; }"""
#: The class (1 = lowest, 0 = no data) MapLibre holds for the unit numbered ``id``.
CLASS_OF = """(id) => { for (const host of document.querySelectorAll('*')) { const root = host.shadowRoot;
  const c = root && root.querySelector('.atlas-lm-map');
  if (c) return c.atlasMap.getFeatureState({source: 'units', id}).c; } return null; }"""
#: How many pieces of the chosen unit's outline the map holds (its own small source, a piece a tile; 0 when none).
OUTLINED = """() => { for (const host of document.querySelectorAll('*')) { const root = host.shadowRoot;
  const c = root && root.querySelector('.atlas-lm-map');
  if (c) return c.atlasMap.querySourceFeatures('selected').length; } return -1; }"""
#: Where on the page the point (lon, lat) of the map is.
ON_PAGE = """([lon, lat]) => { for (const host of document.querySelectorAll('*')) { const root = host.shadowRoot;
  const c = root && root.querySelector('.atlas-lm-map'); if (!c) continue;
  const p = c.atlasMap.project([lon, lat]); const r = c.getBoundingClientRect();
  return [r.left + p.x, r.top + p.y]; } }"""


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A level of 5,200 Voronoi cells near Warsaw; population 2023 = the unit's number, 2024 = the reverse, so the
    first unit goes from the lowest class to the highest."""
    import pyogrio

    from etl.tools.synthetic import coverage

    root = tmp_path_factory.mktemp("large")
    cells = coverage(box(600_000, 450_000, 700_000, 550_000), UNITS, seed=5)
    cells.loc[0, "nazwa"] = HOSTILE
    pyogrio.write_dataframe(cells, root / "rejony.gpkg")
    lines = ["kod;wskaznik;rok;wartosc"]
    for i, code in enumerate(cells["kod"], start=1):
        lines += [f"{code};population;2023;{i}", f"{code};population;2024;{UNITS + 1 - i}"]
    (root / "dane.csv").write_text("\n".join(lines) + "\n", "utf-8")
    (root / "ws.toml").write_text(_WORKSPACE, "utf-8")
    inside = shapely.point_on_surface(cells.geometry.iloc[0])
    lon, lat = Transformer.from_crs(2180, 4326, always_xy=True).transform(inside.x, inside.y)
    return _loaded(root / "ws.toml", root / "large.duckdb"), (lon, lat)


def test_a_large_level_is_drawn_by_maplibre_recoloured_by_year_and_clickable(browser, large):  # noqa: F811
    db, first_unit = large
    with _serving(db) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        received: list[int] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
        try:
            page.goto(f"{url}/map?level=rejon&ind=population&year=2024&lang=pl")
            page.wait_for_function(f"() => ({SHOWN})() >= 1", timeout=120_000, polling=100)
            page.wait_for_function(IDLE, timeout=60_000)
            assert not page.locator(".js-plotly-plot").count()  # no Plotly map of the level
            classes = [page.evaluate(CLASS_OF, i) for i in (0, 1, UNITS // 2, UNITS - 1)]
            top = classes[0]
            assert top > 1 and classes[-1] == 1 and 1 <= classes[2] <= top, classes  # the table's 2024 values
            assert "Jednostek na mapie: 5 200." in re.sub(r"\s", " ", page.locator("body").inner_text())

            assert page.evaluate(OUTLINED) == 0  # no unit chosen: no outline
            shown = page.evaluate(SHOWN)
            received.clear()
            slider = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').first
            slider.focus()
            page.keyboard.press("ArrowLeft")  # 2023
            page.wait_for_function(f"() => ({SHOWN})() > {shown}", timeout=60_000, polling=50)
            page.wait_for_function(IDLE, timeout=60_000)
            assert page.evaluate(CLASS_OF, 0) == 1 and page.evaluate(CLASS_OF, UNITS - 1) == top  # recoloured
            assert sum(received) < 100_000, sum(received)  # the classes, never the level's shapes (~1.4 MB)

            point = page.evaluate(ON_PAGE, list(first_unit))
            page.mouse.move(point[0], point[1])
            page.wait_for_function(
                """() => [...document.querySelectorAll('*')].some(h => h.shadowRoot &&
                   (h.shadowRoot.querySelector('.atlas-lm-tip') || {}).textContent?.includes('<img'))""",
                timeout=30_000,
            )
            page.mouse.click(point[0], point[1])
            page.get_by_role("heading", name=HOSTILE).first.wait_for(timeout=60_000)  # the unit's panel, as text
            page.wait_for_function(IDLE, timeout=60_000)
            assert page.evaluate("() => window.pwned") is None
            assert not page.evaluate(
                "() => [...document.querySelectorAll('*')].some(h => h.shadowRoot && h.shadowRoot.querySelector('img'))"
            )
            assert "unit=S000001" in page.url
            page.wait_for_function(f"() => ({OUTLINED})() >= 1", timeout=60_000, polling=50)  # outlined
        finally:
            page.close()


def test_classes_are_packed_in_the_geometry_files_order():
    from dashboard.large_map import packed_classes

    packed = packed_classes(["a", "b", "c"], ["c", "a", "b"], [2, -1, 0])
    raw = np.frombuffer(base64.b64decode(packed), dtype=np.uint8)
    nibbles = [v for b in raw for v in (int(b) >> 4, int(b) & 15)]
    assert nibbles == [0, 1, 3, 0]  # a: no data, b: class 0, c: class 2 (then padding)
