"""The real dashboard in Debian's headless Chromium (Playwright with executable_path; no downloaded browser)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from etl.tools.dashboard_bench import MAP_DRAWN, healthy
from tests.conftest import in_ci
from tests.fileserver import basemap_tiles
from tests.helpers import HOSTILE_TITLE, demo_with_hostile_proposal

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

#: the page stands still: Streamlit's own run state says no script is running or asked for (a status widget alone
#: appears only after a delay, so its absence proves nothing), nothing is faded as stale, and nothing is still
#: fading back in (Streamlit eases a rerun's elements back to full opacity: axe would read them as low contrast)
IDLE = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]') && !document.querySelector('[data-stale="true"]')
    && [...document.querySelectorAll('[data-testid="stElementContainer"]')]
         .every(e => getComputedStyle(e).opacity === '1')
    && document.getAnimations().length === 0;
}"""

pytestmark = pytest.mark.browser


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if in_ci():
            pytest.fail("Debian's chromium is not installed; .ci/run (make browser) should have installed it")
        pytest.skip("chromium not installed (run `make browser`)")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """The demo plus one proposal whose title is HTML."""
    root = tmp_path_factory.mktemp("browser")
    return _loaded(demo_with_hostile_proposal(root / "ws"), root / "demo.duckdb")


def _loaded(workspace: Path, db: Path) -> Path:
    """``ldatlas load`` of ``workspace`` into ``db``, as an analyst runs it."""
    build = subprocess.run(
        [sys.executable, "-m", "etl.cli", "load", str(workspace), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    return db


@contextmanager
def _serving(db: Path, env: dict[str, str] | None = None, extra: tuple[str, ...] = (), port: int | None = None):
    """``ldatlas serve`` on a free port (or ``port``); yields its URL once healthy."""
    port = port or _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "serve", "--db", str(db), "--port", str(port), *extra],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    if not healthy(url, 60):
        proc.kill()
        pytest.fail("the dashboard did not start within 60 s")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def server(store):
    with _serving(store) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_overview_and_map_render_in_chromium(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server)
    page.get_by_text("Dane demonstracyjne:").first.wait_for(timeout=30_000)
    page.get_by_text("Katalog wskaźników").first.wait_for(timeout=30_000)
    _shot(page, "01-overview-pl")
    page.close()


def _map_ready(page, title_part: str) -> None:
    """Wait until the map's title shows ``title_part`` and the polygons are drawn."""
    page.locator(".js-plotly-plot .gtitle", has_text=title_part).first.wait_for(timeout=45_000)
    page.wait_for_function(MAP_DRAWN, arg=1, timeout=45_000)


def _pixel(page, lon: float, lat: float) -> tuple[float, float]:
    """Where a lon/lat point is on the page (SVG map or MapLibre)."""
    x, y = page.evaluate(
        "([lon, lat]) => { const gd = document.querySelector('.js-plotly-plot'); const full = gd._fullLayout;"
        " if (full.geo) { const p = full.geo._subplot.projection([lon, lat]); const r = gd.getBoundingClientRect();"
        "   return [r.left + p[0], r.top + p[1]]; }"
        " const map = full.map._subplot.map; const p = map.project([lon, lat]);"
        " const r = map.getCanvas().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }",
        [lon, lat],
    )
    return x, y


def _query(db: Path, sql: str):
    from etl import store as atlas_store

    con = atlas_store.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchone()
    finally:
        con.close()


def test_map_explorer_in_chromium(server, browser, store):
    alerts: list[str] = []
    page = browser.new_page(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(f"{server}/map")
    _map_ready(page, "2024")
    _shot(page, "02-map-default")

    # change the indicator: the picker is searchable
    page.locator('[data-testid="stSelectbox"]', has_text="Wskaźnik").locator("input").click()
    page.keyboard.type("Ludność (stan")
    page.keyboard.press("Enter")
    _map_ready(page, "Ludność (stan na 31 grudnia)")
    # and the year, with the keyboard on the slider
    page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').first.focus()
    page.keyboard.press("Home")
    _map_ready(page, "2013")
    # the URL is written at the end of the run, just after the map is sent
    page.wait_for_function(
        "() => location.search.includes('ind=population') && location.search.includes('year=2013')", timeout=30_000
    )
    _shot(page, "03-population-2013")

    # click a unit: its panel opens with its name, value and rank
    name, lon, lat = _query(
        store,
        "SELECT name, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) "
        "FROM units WHERE code = '9861011-05'",
    )
    x, y = _pixel(page, lon, lat)
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y, steps=4)
    page.mouse.click(x, y)
    page.get_by_role("heading", name=name).first.wait_for(timeout=30_000)
    page.get_by_text("Miejsce").first.wait_for(timeout=30_000)
    page.wait_for_function("() => location.search.includes('unit=9861011-05')", timeout=30_000)
    _shot(page, "04-unit-panel")

    # the PNG for a report: Plotly's camera button downloads the map with its title and legend
    page.locator(".js-plotly-plot").first.hover()
    with page.expect_download(timeout=60_000) as download:
        page.locator('.js-plotly-plot .modebar-btn[data-title*="png" i]').first.click()
    png = Path(download.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    # for print: A4 landscape at 300 dpi, 3508 x 2480 pixels
    from PIL import Image

    page.locator('[data-testid="stSelectbox"]', has_text="Obraz mapy").locator("input").click()
    page.keyboard.press("Control+a")  # the box holds the current choice: type over it
    page.keyboard.type("300 dpi")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('input[aria-label^=\"Obraz mapy\"]')].some(i => i.value.includes('300'))",
        timeout=30_000,
    )
    page.wait_for_function(IDLE, timeout=60_000)
    page.locator(".js-plotly-plot").first.hover()
    with page.expect_download(timeout=60_000) as download:
        page.locator('.js-plotly-plot .modebar-btn[data-title*="png" i]').first.click()
    assert Image.open(download.value.path()).size == (3508, 2480)

    # a shared link opens the same view in a new tab
    shared = page.url
    other = browser.new_page(viewport={"width": 1500, "height": 1100})
    other.goto(shared)
    _map_ready(other, "Ludność (stan na 31 grudnia)")
    _map_ready(other, "2013")
    other.get_by_role("heading", name=name).first.wait_for(timeout=30_000)
    year_input = other.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').first
    assert year_input.get_attribute("aria-valuetext") == "2013"
    _shot(other, "05-shared-link")
    other.close()

    # proposals on the map: the HTML title is shown as text in the hover, never run
    page.goto(f"{server}/map?ov=proposals&lang=en")
    _map_ready(page, "2024")
    lon, lat = _query(store, "SELECT ST_X(geom), ST_Y(geom) FROM proposals WHERE id = 'W2024-999'")
    x, y = _pixel(page, lon, lat)
    page.mouse.move(x - 8, y - 8)
    page.mouse.move(x, y, steps=4)
    label = page.locator(".hoverlayer .hovertext", has_text="onerror").first
    label.wait_for(timeout=30_000)
    assert HOSTILE_TITLE in label.text_content()
    assert page.locator("img[src='x']").count() == 0 and not alerts
    _shot(page, "06-escaped-title")
    page.close()


def _metric(page, label: str) -> str:
    """The value of the metric labelled ``label``."""
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def _click_unit(page, lon: float, lat: float) -> None:
    x, y = _pixel(page, lon, lat)
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y, steps=4)
    page.mouse.click(x, y)


def test_proposals_page_in_chromium(server, browser):
    alerts: list[str] = []
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(f"{server}/proposals")
    _map_ready(page, "Wnioski mieszkańców")
    page.get_by_text("Pokazano 81 z 81 wniosków.").first.wait_for(timeout=30_000)
    page.get_by_text("Wnioski w jednostkach").first.wait_for(timeout=30_000)
    _shot(page, "07-proposals")
    # search for the resident's HTML title: found as text, never run
    page.locator('[data-testid="stSidebar"] input[type="text"]').first.fill("onerror")
    page.keyboard.press("Enter")
    page.get_by_text("Pokazano 1 z 81 wniosków.").first.wait_for(timeout=30_000)
    assert page.locator("img[src='x']").count() == 0 and not alerts
    page.close()


def test_lsr_builder_in_chromium(server, browser, store):
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(f"{server}/lsr")
    _map_ready(page, "RLKS 2014–2020")
    picks = [
        _query(
            store,
            f"SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM units WHERE code = '{code}'",
        )
        for code in ("9801022", "9801093", "9801053")
    ]

    codes = ("9801022", "9801093", "9801053")

    def chosen_on_map(code: str, chosen: bool) -> None:
        """Wait until the map itself is redrawn with ``code`` in (or out of) the chosen class (trace 0): the list
        beside it is drawn first, and a click on the map before it is replaced would be lost."""
        page.wait_for_function(
            "([code, chosen]) => { const gd = document.querySelector('.js-plotly-plot');"
            " return !!(gd && gd.data && gd.data[0]) && gd.data[0].locations.includes(code) === chosen; }",
            arg=[code, chosen],
            timeout=30_000,
        )

    def pick(n: int, name: str) -> None:
        _map_ready(page, "RLKS 2014–2020")
        _click_unit(page, *picks[n])
        page.locator('[data-testid="stMultiSelect"]', has_text=name).first.wait_for(timeout=30_000)
        chosen_on_map(codes[n], True)

    pick(0, "Podlesie")  # 11,516 residents in 2024
    # the same unit clicked again goes out, and a third click brings it back (every click toggles)
    _map_ready(page, "RLKS 2014–2020")
    _click_unit(page, *picks[0])
    page.wait_for_function(
        "() => ![...document.querySelectorAll('[data-testid=\"stMultiSelect\"]')]"
        ".some(e => e.innerText.includes('Podlesie'))",
        timeout=30_000,
    )
    chosen_on_map(codes[0], False)
    pick(0, "Podlesie")
    page.get_by_text("brakuje 18\u00a0484").first.wait_for(timeout=30_000)
    assert _metric(page, "Ludność").replace("\u00a0", " ") == "11 516"
    pick(1, "Jeziorna")  # + 16,973
    page.wait_for_function("() => document.body.innerText.includes('28\u00a0489')", timeout=30_000)
    pick(2, "Topolany")  # + 13,559: 42,048, above the minimum
    page.get_by_text("co najmniej 30 000 mieszkańców: 42\u00a0048 — spełnione").first.wait_for(timeout=30_000)
    page.get_by_text("Podstawa prawna").first.wait_for(timeout=30_000)
    _shot(page, "08-lsr-builder")
    page.get_by_role("button", name="Zapisz jako obszar programowy").click()
    page.get_by_text("Zapisano obszar").first.wait_for(timeout=30_000)
    members = _query(store, "SELECT count(*) FROM area_members WHERE area_id = 'lsr-atlas'")
    assert members == (3,)
    page.close()


def test_revitalisation_in_chromium(server, browser, store):
    page = browser.new_page(viewport={"width": 1500, "height": 1300})
    page.goto(f"{server}/revitalisation?lang=en")
    _map_ready(page, "Degraded area and revitalisation area")
    degraded = _metric(page, "Degraded units")
    assert degraded.endswith("/ 17")
    page.get_by_text("Delimitation table").first.wait_for(timeout=30_000)
    # nothing is preselected: clicking a degraded unit puts it in the revitalisation area, the shares appear live
    code = page.evaluate(
        "() => { const gd = document.querySelector('.js-plotly-plot'); return gd.data[1].locations[0]; }"
    )
    lon, lat = _query(
        store, f"SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM units WHERE code = '{code}'"
    )
    _click_unit(page, lon, lat)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetric]')]"
        '.some(e => e.innerText.includes("Share of the gmina\'s area"))',
        timeout=30_000,
    )
    page.get_by_text("Legal source").first.wait_for(timeout=30_000)
    _shot(page, "09-revitalisation")
    page.close()


def test_compare_page_in_chromium(server, browser, store):
    page = browser.new_page(viewport={"width": 1500, "height": 1400})
    page.goto(f"{server}/compare?units=9861011-01,9861011-05&lang=en")
    _map_ready(page, "Compare units")
    page.get_by_text("Index scores by domain").first.wait_for(timeout=45_000)
    page.get_by_text("Level and change").first.wait_for(timeout=45_000)
    # a third unit by clicking the map: it joins the comparison and the link
    lon, lat = _query(
        store,
        "SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM units WHERE code = '9861011-14'",
    )
    _click_unit(page, lon, lat)
    page.wait_for_function("() => location.search.includes('9861011-14')", timeout=30_000)
    _shot(page, "10-compare")
    page.close()


def test_map_is_svg_offline_and_maplibre_with_unit_names(server, browser):
    """The default map is SVG and asks nothing of the network; unit names switch it to MapLibre, which drops
    overlapping names."""
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server}/map?ind=population&year=2024")
    _map_ready(page, "2024")
    renderer = page.evaluate(
        "() => { const full = document.querySelector('.js-plotly-plot')._fullLayout;"
        " return [!!full.geo, !!full.map, document.querySelectorAll("
        "'.js-plotly-plot .geo .choroplethlocation').length]; }"
    )
    assert renderer == [True, False, 17]
    assert not [u for u in requested if not u.startswith(server) and not u.startswith("data:")]
    assert any(u.endswith("/app/static/topojson/world_110m.json") for u in requested)

    page.get_by_text("Nazwy jednostek").first.click()
    page.wait_for_function(
        "() => { const gd = document.querySelector('.js-plotly-plot'); const full = gd && gd._fullLayout;"
        " if (!full) return false;"
        " const sub = full.map && full.map._subplot; if (!sub || !sub.map.loaded()) return false;"
        " return sub.map.queryRenderedFeatures().some(f => f.layer.type === 'symbol'); }",
        timeout=45_000,
    )
    names = page.evaluate(
        "() => document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map.queryRenderedFeatures()"
        ".filter(f => f.layer.type === 'symbol').map(f => f.properties.text || '')"
    )
    assert "Stare Miasto" in names and len(names) <= 17
    page.wait_for_function("() => location.search.includes('ov=labels')", timeout=30_000)
    _shot(page, "11-map-unit-names")
    page.close()


def test_tile_basemap_from_a_local_tile_server(browser, store):
    """With a basemap configured and switched on, the map is drawn by MapLibre over the tiles (served here from
    127.0.0.1: one green tile for every address)."""
    with basemap_tiles("Kafelki testowe") as (tiles, env), _serving(store, env) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.goto(f"{url}/map?ind=population&year=2024&bm=1")
        _map_ready(page, "2024")
        page.wait_for_function(
            "() => { const gd = document.querySelector('.js-plotly-plot'); const full = gd && gd._fullLayout;"
            " if (!full) return false;"
            " return !!full.map && full.map._subplot.map.loaded()"
            " && full.map._subplot.map.areTilesLoaded(); }",
            timeout=45_000,
        )
        layers = page.evaluate(
            "() => document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map"
            ".getStyle().layers.map(l => l.type)"
        )
        assert "raster" in layers and "fill" in layers
        assert any(path == "/tile.png" for path, _ in tiles.requests)
        assert page.get_by_role("checkbox", name="Podkład mapowy (wymaga sieci)").is_checked()
        _shot(page, "12-map-tile-basemap")
        page.get_by_text("Podkład mapowy (wymaga sieci)").click()  # off again: back to the SVG map
        page.wait_for_function(
            "() => { const gd = document.querySelector('.js-plotly-plot'); const full = gd && gd._fullLayout;"
            " if (!full) return false;"
            " return !!full.geo && !full.map; }",
            timeout=45_000,
        )
        page.close()
