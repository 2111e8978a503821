"""Names from files are text everywhere, in Chromium: a workspace title, a unit's name, an indicator's name and an
area's name written as Markdown images and links, raw HTML, an icon and a formula create no element, no link and no
request to the host they name — on every page, in the unit panel, in legends and in the map's hover."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.tools.dashboard_bench import MAP_DRAWN
from tests.helpers import demo_with_hostile_names
from tests.test_browser import IDLE, _loaded, _pixel, _query, _serving, browser  # noqa: F401  (the shared fixtures)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("", "Katalog wskaźników"),
    ("map?level=urban_unit&ind=unemployment&unit=9861011-05&ov=areas,labels", "Wybrana jednostka"),
    ("compare?level=urban_unit&units=9861011-01,9861011-05&year=2024", "Wartości wskaźników"),
    ("proposals", "Lista wniosków"),
    ("lsr", "Kreator obszaru LSR"),
    ("revitalisation", "Tabela delimitacji"),
]
CREATED = (
    '() => [...document.querySelectorAll(\'a[href*="evil.invalid"], img[src*="evil.invalid"], '
    '[src*="evil.invalid"], [href*="evil.invalid"]\')].map(e => e.outerHTML.slice(0, 120))'
)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-names")
    db = _loaded(demo_with_hostile_names(root / "ws"), root / "hostile.duckdb")
    with _serving(db) as url:
        yield url, db


@pytest.mark.parametrize("path, done", PAGES, ids=[p.split("?")[0] or "overview" for p, _ in PAGES])
def test_hostile_names_stay_text(browser, hostile_server, path, done):  # noqa: F811
    server, db = hostile_server
    fetched: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda request: fetched.append(request.url) if "evil.invalid" in request.url else None)
    try:
        page.goto(f"{server}/{path}")
        page.get_by_text(done).first.wait_for(timeout=60_000)
        if path.startswith(("map", "compare")):
            page.wait_for_function(MAP_DRAWN, arg=1, timeout=60_000)
        page.wait_for_function(IDLE, timeout=60_000)
        if path.startswith("map"):
            # the name is shown, as text, in the unit panel; and the hover over the unit is text too
            page.get_by_text("evil.invalid/md.png", exact=False).first.wait_for(timeout=30_000)
            lon, lat = _query(
                db,
                "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) AS c FROM units "
                "WHERE code = '9861011-05')",
            )
            page.mouse.move(*_pixel(page, lon, lat))
            hover = page.locator(".hoverlayer .hovertext").first
            hover.wait_for(timeout=30_000)
            assert "evil.invalid/md.png" in (hover.text_content() or "")
            assert hover.locator("a").count() == 0
        assert page.evaluate(CREATED) == [], "an element made from a name"
        assert fetched == [], f"the browser fetched {fetched}"
    finally:
        page.close()
