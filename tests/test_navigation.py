"""A page's view survives going elsewhere and coming back, in Chromium: through the menu (the session remembers it)
and with the browser's Back button (the link holds it) — on the map, Compare, Proposals, the LSR builder and
Revitalisation."""

from __future__ import annotations

import pytest

from etl.tools.dashboard_bench import MAP_DRAWN
from tests.test_browser import IDLE, _map_ready, browser, server, store  # noqa: F401  (the shared fixtures)

pytestmark = pytest.mark.browser
SEARCH = "() => decodeURIComponent(location.search)"  # a comma may come back as %2C: the same link
CASES = [  # a view opened by its link, and a text that shows the view is there
    ("map?level=urban_unit&ind=unemployment&unit=9861011-05", "Udział bezrobotnych"),
    ("compare?level=urban_unit&units=9861011-01,9861011-05&year=2020", "Kolonia Fabryczna (9861011-05)"),
    ("proposals?status=implemented", "Pokazano 9 z 81 wniosków."),
    ("lsr?level=urban_unit&units=9861011-01,9861011-02", "Śródmieście (9861011-02)"),
    ("revitalisation?gmina=9861011&year=2023&area=9861011-01", "Stare Miasto (9861011-01)"),
]


def _settled(page) -> None:
    page.wait_for_function(IDLE, timeout=60_000)
    page.wait_for_function(MAP_DRAWN, arg=1, timeout=60_000)


@pytest.mark.parametrize("link, shown", CASES, ids=[c[0].split("?")[0] for c in CASES])
def test_a_view_survives_the_menu_and_back(browser, server, link, shown):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server}/{link}&lang=pl")
        _settled(page)
        path, query = link.split("?")
        first = {kv.split("=")[0] for kv in query.split("&")}
        page.wait_for_function(
            "(keys) => keys.every(k => new URLSearchParams(location.search).has(k))", arg=sorted(first)
        )
        kept = page.evaluate(SEARCH)
        # elsewhere through the menu, then back through the menu: the session gives the view back
        page.get_by_role("link", name="Przegląd danych").click()
        page.get_by_text("Katalog wskaźników").first.wait_for(timeout=60_000)
        page.wait_for_function(IDLE, timeout=60_000)
        page.locator('[data-testid="stSidebarNav"] a[href$="/' + path + '"]').click()
        _settled(page)
        page.get_by_text(shown).first.wait_for(timeout=60_000)
        page.wait_for_function(f"(q) => ({SEARCH})() === q", arg=kept, timeout=60_000)
        # elsewhere again, then the browser's Back button: the link gives the view back
        page.get_by_role("link", name="Przegląd danych").click()
        page.get_by_text("Katalog wskaźników").first.wait_for(timeout=60_000)
        page.go_back()
        _settled(page)
        page.get_by_text(shown).first.wait_for(timeout=60_000)
        # the link is written at the end of the run, after the map is sent: wait for it, do not race it
        page.wait_for_function(f"(q) => ({SEARCH})() === q", arg=kept, timeout=60_000)
    finally:
        page.close()


def test_a_click_on_the_proposals_map_filters_the_page(browser, server, store):  # noqa: F811
    from tests.test_browser import _pixel, _query

    lon, lat = _query(
        store, "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_PointOnSurface(geom) AS c FROM units WHERE code = '9861011-05')"
    )
    here = _query(store, "SELECT count(*) FROM proposals WHERE unit_code = '9861011-05'")[0]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"{server}/proposals?lang=pl")
        _settled(page)
        page.get_by_text("Pokazano 81 z 81 wniosków.").wait_for(timeout=60_000)
        x, y = _pixel(page, lon, lat)
        page.mouse.move(x - 4, y - 4)
        page.mouse.move(x, y, steps=3)
        page.mouse.click(x, y)
        chip = page.locator('[data-testid="stSidebar"]').get_by_text("Kolonia Fabryczna (9861011-05)")
        chip.first.wait_for(timeout=60_000)  # the filter, as a removable chip
        page.get_by_text(f"Pokazano {here} z 81 wniosków.").wait_for(timeout=60_000)
        page.wait_for_function("() => location.search.includes('unit=9861011-05')", timeout=60_000)
        _settled(page)
        x, y = _pixel(page, lon, lat)
        page.mouse.move(x - 4, y - 4)
        page.mouse.move(x, y, steps=3)
        page.mouse.click(x, y)  # the same unit again: the filter goes
        page.get_by_text("Pokazano 81 z 81 wniosków.").wait_for(timeout=60_000)
    finally:
        page.close()
