"""A level of more than 2,000 units (LARGE_LEVEL) on the map page in Debian's Chromium: MapLibre draws it from its
vector tiles, a value goes from the table through the store to the colour of its unit, a year change recolours it
without sending the geometry again, a click opens the unit's panel, and a name from the file stays text in the
hover."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import box

from etl.store.tiles import LARGE_LEVEL
from etl.tools.dashboard_bench import MAP_ELEMENT, SHOWN
from tests.test_browser import IDLE, _loaded, _serving, browser, store  # noqa: F401  (the shared fixtures)

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

#: The class (1 = lowest, 0 = no data) MapLibre holds for the unit numbered ``id``.
CLASS_OF = f"""(id) => {{ const c = {MAP_ELEMENT};
  return c ? c.atlasMap.getFeatureState({{source: 'units', sourceLayer: 'units', id}}).c : null; }}"""
#: How many pieces of the chosen unit's outline the map holds (its own small source, a piece a tile; 0 when none).
OUTLINED = f"() => {{ const c = {MAP_ELEMENT}; return c ? c.atlasMap.querySourceFeatures('selected').length : -1; }}"
#: The large map's fill colour expression (a ``match`` of classes to colours; the last colour: no data).
FILL = f"""() => {{ const c = {MAP_ELEMENT};
  return c ? JSON.stringify(c.atlasMap.getPaintProperty('fill', 'fill-color')) : null; }}"""
#: Zoom the large map in (or out, by < 0) by ``by`` levels (as far as its zooms go), resolved when it is drawn
#: again; returns the zoom it had before.
ZOOM = f"""async (by) => {{ const map = ({MAP_ELEMENT}).atlasMap; const before = map.getZoom();
  await new Promise((done) => {{ map.once('idle', done); map.jumpTo({{zoom: before + by}}); }}); return before; }}"""
#: Where on the page the point (lon, lat) of the map is.
ON_PAGE = f"""([lon, lat]) => {{ const c = {MAP_ELEMENT}; const p = c.atlasMap.project([lon, lat]);
  const r = c.getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }}"""

#: The large map's legend and hover texts (shadow root), as text.
LEGEND = f"() => ({MAP_ELEMENT}).getRootNode().querySelector('.atlas-lm-legend').textContent"
TIP = f"() => ({MAP_ELEMENT}).getRootNode().querySelector('.atlas-lm-tip')?.textContent || ''"
#: From now on, count the frames MapLibre draws (``window.atlasDraws``) and note whether the map's box is ever hidden
#: (``window.atlasHidden``: Streamlit hides an emptied slot while the page reruns).
WATCH = f"""() => {{ const c = {MAP_ELEMENT}; window.atlasDraws = 0; window.atlasHidden = false;
  c.atlasMap.on('render', () => {{ window.atlasDraws += 1; }});
  new ResizeObserver(() => {{ if (!c.clientWidth) window.atlasHidden = true; }}).observe(c); }}"""


def _open(page, url: str) -> None:
    """Go to ``url`` and wait until the large map is drawn and the page's script has finished."""
    page.goto(url)
    page.wait_for_function(f"() => ({SHOWN})() >= 1", timeout=120_000, polling=100)
    page.wait_for_function(IDLE, timeout=60_000)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A level of 2,200 Voronoi cells near Warsaw; population 2023 = the unit's number, 2024 = the reverse, so the
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
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        received: list[int] = []
        scripts: list[bool] = []  # whether a message carried the map's own JavaScript (a static file: it must not)

        def on_frame(payload: str | bytes) -> None:
            received.append(len(payload))
            scripts.append(b"function showTip" in (payload if isinstance(payload, bytes) else payload.encode()))

        page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
        try:
            _open(page, f"{url}/map?level=rejon&ind=population&year=2024&lang=pl")
            assert not page.locator(".js-plotly-plot").count()  # no Plotly map of the level
            classes = [page.evaluate(CLASS_OF, i) for i in (0, 1, UNITS // 2, UNITS - 1)]
            top = classes[0]
            assert top > 1 and classes[-1] == 1 and 1 <= classes[2] <= top, classes  # the table's 2024 values
            assert f"Jednostek na mapie: {UNITS:,}.".replace(",", " ") in re.sub(
                r"\s", " ", page.locator("body").inner_text()
            )

            _covers_the_level_without_gaps(page)
            assert page.evaluate(OUTLINED) == 0  # no unit chosen: no outline
            shown = page.evaluate(SHOWN)
            received.clear()
            page.evaluate(WATCH)
            slider = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').first
            slider.focus()
            page.keyboard.press("ArrowLeft")  # 2023
            page.wait_for_function(f"() => ({SHOWN})() > {shown}", timeout=60_000, polling=50)
            page.wait_for_function(IDLE, timeout=60_000)
            assert page.evaluate(CLASS_OF, 0) == 1 and page.evaluate(CLASS_OF, UNITS - 1) == top  # recoloured
            assert sum(received) < 100_000, sum(received)  # the classes, never the level's shapes (~1.4 MB)
            assert not any(scripts)  # nor the map's 24 KB of JavaScript
            assert page.evaluate("() => window.atlasDraws") >= 1  # drawn again, in its place all along
            assert page.evaluate("() => window.atlasHidden") is False
            _a_rerun_that_changes_nothing_on_the_map_draws_nothing(page)

            _exports_the_map_as_png(page)

            point = page.evaluate(ON_PAGE, list(first_unit))
            page.mouse.move(point[0], point[1])
            page.wait_for_function(  # the name as text, and the unit's 2023 value as the SVG map's hover gives it
                f"() => ({TIP})().includes('<img') && ({TIP})().includes('· 1,0 osoby')", timeout=30_000, polling=100
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


def _a_rerun_that_changes_nothing_on_the_map_draws_nothing(page) -> None:
    """A search in the unit panel reruns the page with the same classes: the map stays in its place and draws no
    frame (at 100,000 units each costs ~0.4 s where the browser composites in software)."""
    page.wait_for_function(f"() => ({MAP_ELEMENT}).atlasMap.loaded()", timeout=60_000, polling=50)
    page.evaluate("() => { window.atlasDraws = 0; }")
    search = page.locator('[data-testid="stMain"] [data-testid="stTextInput"] input').first
    search.fill("S00000")
    search.press("Enter")
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.wait_for(timeout=60_000)  # units found
    page.wait_for_function(IDLE, timeout=60_000)
    assert page.evaluate("() => window.atlasDraws") == 0
    assert page.evaluate("() => window.atlasHidden") is False
    search.fill("")
    search.press("Enter")
    page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.wait_for(state="detached", timeout=60_000)
    page.wait_for_function(IDLE, timeout=60_000)


def _covers_the_level_without_gaps(page) -> None:
    """Zoomed out until a unit is a few pixels, the level still covers its middle: no white between neighbours
    (simplifying each unit again in the browser opened slivers there: 5-16% of the pixels were white)."""
    from io import BytesIO

    from PIL import Image

    borders = f"(shown) => ({MAP_ELEMENT}).atlasMap.setLayoutProperty('borders', 'visibility', shown)"
    page.evaluate(borders, "none")  # the fill alone (a level this size has white borders at every zoom)
    before = page.evaluate(ZOOM, -2)
    page.wait_for_function(IDLE, timeout=60_000)
    box = page.locator(".atlas-lm-map").bounding_box()
    middle = {"x": box["x"] + box["width"] * 0.45, "y": box["y"] + box["height"] * 0.45, "width": 40, "height": 40}
    shot = np.asarray(Image.open(BytesIO(page.screenshot(clip=middle))).convert("RGB")).astype(int)
    assert (shot.sum(axis=2) == 765).mean() < 0.002, (shot.sum(axis=2) == 765).mean()
    page.evaluate(ZOOM, before - page.evaluate(ZOOM, 0))  # back where it was
    page.evaluate(borders, "visible")
    page.wait_for_function(IDLE, timeout=60_000)


def _exports_the_map_as_png(page) -> None:
    """The PNG button: the map at twice the screen's resolution, under its title and legend, in its class colours."""
    from PIL import Image

    colours = re.findall(r"#[0-9a-f]{6}", str(page.evaluate(FILL)))
    with page.expect_download(timeout=60_000) as download:
        page.locator(".atlas-lm-png").click()
    assert download.value.suggested_filename.endswith("-2023.png")  # the indicator and the year shown
    image = np.asarray(Image.open(download.value.path()).convert("RGB")).astype(int)
    width = page.locator(".atlas-lm-map").bounding_box()["width"]
    assert abs(image.shape[1] - 2 * width) <= 2, (image.shape, width)
    header = image[: 60 * 2]
    assert (header.sum(axis=2) < 250).sum() > 200  # the title and legend text, dark on white

    def share(colour: str) -> float:
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        return float((np.abs(image - rgb).sum(axis=2) <= 6).mean())

    drawn = [c for c in colours[:-1] if share(c) > 0.005]  # each class colour covers part of the picture
    assert len(drawn) >= 4, (colours, [share(c) for c in colours])


def test_hover_values_follow_the_geometry_files_order_rounded_as_shown():
    from dashboard.large_map import hover_values

    document = hover_values(["A", "B", "C", "D"], ["C", "A", "X", "B"], [2.345, 10.0, 7.0, float("nan")], 1)
    assert document == {"values": [10.0, None, 2.3, None]}  # D is not among the units shown; X is not in the file


def test_classes_are_packed_in_the_geometry_files_order():
    from dashboard.large_map import packed_classes

    packed = packed_classes(["a", "b", "c"], ["c", "a", "b"], [2, -1, 0])
    raw = np.frombuffer(base64.b64decode(packed), dtype=np.uint8)
    nibbles = [v for b in raw for v in (int(b) >> 4, int(b) & 15)]
    assert nibbles == [0, 1, 3, 0]  # a: no data, b: class 0, c: class 2 (then padding)
    assert packed_classes(["a"], ["a"], [14]) == base64.b64encode(bytes([15 << 4])).decode()
    with pytest.raises(ValueError, match="at most 15 classes"):  # never another class's colour
        packed_classes(["a", "b"], ["a", "b"], [0, 15])


#: How many features the large map's overlay sources hold once drawn: [outlines, proposals].
OVERLAID = f"""() => {{ const m = ({MAP_ELEMENT}).atlasMap;
  return [m.querySourceFeatures('overlay-lines').length, m.querySourceFeatures('overlay-points').length]; }}"""
#: Centre the large map on [lon, lat] at a zoom, resolved when it is drawn again.
CENTRE = f"""async ([lon, lat, zoom]) => {{ const map = ({MAP_ELEMENT}).atlasMap;
  await new Promise((done) => {{ map.once('idle', done); map.jumpTo({{center: [lon, lat], zoom}}); }}); }}"""


def test_overlays_are_drawn_on_the_large_map_and_a_proposal_hover_stays_text(browser, store):  # noqa: F811
    """The demo's urban units forced onto the large map (tiles made by the dashboard: the load's threshold was
    2,000): programme areas and proposals over the units, named in the legend, a proposal's hover as on the SVG
    map — and its HTML title shown as text."""
    import duckdb

    from etl.store.extensions import load_spatial
    from tests.helpers import HOSTILE_TITLE

    con = duckdb.connect(str(store), read_only=True)
    load_spatial(con)
    lon, lat = con.execute("SELECT ST_X(geom), ST_Y(geom) FROM proposals WHERE title = ?", [HOSTILE_TITLE]).fetchone()
    area = con.execute("SELECT name FROM areas ORDER BY id LIMIT 1").fetchone()[0]
    con.close()
    with _serving(store, env={"LDATLAS_LARGE_LEVEL": "10"}) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            _open(page, f"{url}/map?level=urban_unit&ind=population&ov=proposals,areas&lang=en")
            assert not page.locator(".js-plotly-plot").count()
            page.wait_for_function(f"() => {{ const [l, p] = ({OVERLAID})(); return l > 0 && p > 0; }}", timeout=30_000)
            legend = page.evaluate(LEGEND)
            assert area in legend and "Download PNG" in legend, legend
            page.evaluate(CENTRE, [lon, lat, 18])  # close enough to part the neighbouring points
            point = page.evaluate(ON_PAGE, [lon, lat])
            page.mouse.move(point[0], point[1])
            page.wait_for_function(f"() => ({TIP})().includes({HOSTILE_TITLE!r})", timeout=30_000)
            assert page.evaluate("() => window.pwned") is None
            assert not page.evaluate(
                "() => [...document.querySelectorAll('*')].some(h => h.shadowRoot && h.shadowRoot.querySelector('img'))"
            )
        finally:
            page.close()


def test_play_on_the_large_map_steps_through_the_years_without_asking_the_server(browser, large):  # noqa: F811
    """Play on a large level: every year's classes arrive once; the bar's slider and ▶ recolour the map from them
    with no message to the server, the legend and the year follow, and ▶ stops at the last year."""
    db, _first_unit = large
    with _serving(db) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        sent: list[int] = []
        page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(len(payload))))
        try:
            _open(page, f"{url}/map?level=rejon&ind=population&year=2024&lang=en")
            top = page.evaluate(CLASS_OF, 0)
            page.get_by_text("Play the years").click()
            year = page.locator(".atlas-lm-year")
            year.wait_for(timeout=60_000)
            page.wait_for_function(IDLE, timeout=60_000)
            assert year.text_content() == "Year: 2024" and page.evaluate(CLASS_OF, 0) == top
            sent.clear()
            page.locator(".atlas-lm-play input").evaluate(
                "(el) => { el.value = '0'; el.dispatchEvent(new Event('input')); }"
            )
            page.wait_for_function(f"() => ({CLASS_OF})(0) === 1", timeout=30_000)  # 2023: unit 1 has the lowest value
            assert year.text_content() == "Year: 2023"
            button = page.locator(".atlas-lm-playbutton")
            assert button.text_content().startswith("▶")
            button.click()
            page.wait_for_function(f"() => ({CLASS_OF})(0) === {top}", timeout=30_000)
            page.wait_for_function(
                "() => [...document.querySelectorAll('*')].some(h => h.shadowRoot &&"
                " h.shadowRoot.querySelector('.atlas-lm-playbutton')?.textContent.startsWith('▶'))",
                timeout=30_000,
            )  # stopped at the last year
            assert year.text_content() == "Year: 2024"
            assert not sent, sent  # the slider and ▶ never asked the server
        finally:
            page.close()


def test_a_click_before_the_units_codes_arrive_is_answered_when_they_do(browser, large):  # noqa: F811
    """The units' codes and names are asked for once the map has drawn its units; a click on a unit before they have
    arrived is kept, and opens that unit's panel when they do."""
    db, first_unit = large
    with _serving(db) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        held: list = []
        page.route("**/labels-rejon-*.json", lambda route: held.append(route))  # held until let through below
        try:
            _open(page, f"{url}/map?level=rejon&ind=population&year=2024&lang=en")
            page.wait_for_function(IDLE, timeout=60_000)
            assert held, "the map has drawn its units: the codes and names are asked for"
            point = page.evaluate(ON_PAGE, list(first_unit))
            page.mouse.click(point[0], point[1])
            page.wait_for_function(IDLE, timeout=60_000)
            assert "unit=" not in page.url  # no codes yet: nothing chosen so far
            for route in held:
                route.continue_()
            page.get_by_role("heading", name=HOSTILE).first.wait_for(timeout=60_000)  # the clicked unit's panel
            page.wait_for_function("() => location.search.includes('unit=S000001')", timeout=60_000)
        finally:
            page.close()


def test_compare_on_a_large_level_toggles_a_unit_with_each_click(browser, large):  # noqa: F811
    """Compare and the LSR builder draw their maps of a large level with MapLibre too (Revitalisation and Proposals
    through the same function): a click on a unit adds it to the comparison, a second takes it out, a third adds it
    again (the legend counts the chosen units)."""
    db, first_unit = large
    with _serving(db) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            _open(page, f"{url}/compare?level=rejon&lang=en")
            assert not page.locator(".js-plotly-plot").count()  # no SVG map of a large level
            assert "chosen (0)" in page.evaluate(LEGEND)
            # one class (all in the group): the units' borders show them, as on the SVG map, at the first view
            assert page.evaluate(
                f"() => {{ const m = ({MAP_ELEMENT}).atlasMap; return m.getZoom() >= m.getLayer('borders').minzoom; }}"
            )
            for expected in ("chosen (1)", "chosen (0)", "chosen (1)"):
                shown = page.evaluate(SHOWN)
                point = page.evaluate(ON_PAGE, list(first_unit))
                page.mouse.click(point[0], point[1])
                page.wait_for_function(f"() => ({SHOWN})() > {shown}", timeout=60_000, polling=50)
                page.wait_for_function(IDLE, timeout=60_000)
                assert expected in page.evaluate(LEGEND), (expected, page.evaluate(LEGEND))
            assert "units=S000001" in page.url
            page.goto(f"{url}/lsr?level=rejon&lang=en")  # the LSR builder's map of the level: MapLibre as well
            page.wait_for_function(f"() => ({SHOWN})() >= 1", timeout=120_000, polling=100)
            assert f"outside ({UNITS:,})" in page.evaluate(LEGEND)  # counted as in English
        finally:
            page.close()


#: The unit names the large map shows, as text.
NAMES = f"() => [...({MAP_ELEMENT}).querySelectorAll('.atlas-lm-name')].map((n) => n.textContent)"


def test_unit_names_appear_on_the_large_map_once_they_fit_and_stay_text(browser, large):  # noqa: F811
    """The sidebar's unit names on a large level: none while the whole level is in view (2,200 names would cover
    it), the units' names once zoomed in far enough — an HTML name from the file shown as text."""
    import duckdb

    db, first_unit = large
    with _serving(db) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            _open(page, f"{url}/map?level=rejon&ind=population&year=2024&ov=labels&lang=pl")
            assert page.evaluate(NAMES) == []
            page.evaluate(CENTRE, [*first_unit, 13])
            page.wait_for_function(f"() => ({NAMES})().some((n) => n.includes('<img'))", timeout=30_000)
            names = page.evaluate(NAMES)
            con = duckdb.connect(str(db), read_only=True)
            known = {name for (name,) in con.execute("SELECT name FROM units").fetchall()}
            con.close()
            assert len(names) > 1 and set(names) <= known, names  # the units' own names
            assert page.evaluate("() => window.pwned") is None
            assert not page.evaluate(
                "() => [...document.querySelectorAll('*')].some(h => h.shadowRoot && h.shadowRoot.querySelector('img'))"
            )
        finally:
            page.close()


#: The large map's layer types and its attribution text.
BASEMAP = f"""() => {{ const c = {MAP_ELEMENT}; const map = c.atlasMap;
  return [map.getStyle().layers.map((l) => l.id), map.getPaintProperty('fill', 'fill-opacity'),
          (c.querySelector('.maplibregl-ctrl-attrib') || {{}}).textContent || ''];
}}"""


def test_the_tile_basemap_goes_under_a_large_level_and_off_again(browser, large):  # noqa: F811
    """With a basemap configured and switched on, the large map draws the tiles (from 127.0.0.1) under its units,
    a little transparent, with the attribution as text; switched off, the basemap goes."""
    from tests.fileserver import basemap_tiles

    db, _first = large
    with basemap_tiles("Kafelki <b>testowe</b>") as (tiles, env), _serving(db, env) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            _open(page, f"{url}/map?level=rejon&ind=population&year=2024&bm=1&lang=pl")
            page.wait_for_function(f"() => ({BASEMAP})()[0].includes('basemap')", timeout=60_000, polling=100)
            layers, opacity, attribution = page.evaluate(BASEMAP)
            assert layers.index("basemap") < layers.index("fill") and opacity == 0.7
            assert "Kafelki <b>testowe</b>" in attribution  # the workspace's text, shown as text
            page.wait_for_function(f"() => ({MAP_ELEMENT}).atlasMap.areTilesLoaded()", timeout=60_000, polling=100)
            assert any(path == "/tile.png" for path, _ in tiles.requests)
            page.get_by_text("Podkład mapowy (wymaga sieci)").click()  # off again
            page.wait_for_function(f"() => !({BASEMAP})()[0].includes('basemap')", timeout=60_000, polling=100)
            assert page.evaluate(BASEMAP)[1] == 1
        finally:
            page.close()
