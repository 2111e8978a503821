"""Every page on a phone (390×844, Chromium, a phone's user agent): screenshots in artifacts/, no chart title drawn
over what is above it (a two-line title reached ~9 px above its chart and covered the caption or the criteria table
there), maps as tall as their units drawn across the screen (the desktop height left 144-182 px empty), Plotly's
toolbar not over the title, and nothing wider than the screen."""

from __future__ import annotations

import pytest

from tests.test_browser import ARTIFACTS, IDLE, browser, server, store  # noqa: F401  (the shared fixtures)

pytestmark = pytest.mark.browser
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)
#: How much of each map's drawing area its units leave empty, top to bottom (px).
EMPTY_HEIGHT = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(gd => gd._fullLayout.geo).map(gd => {
  const drawn = gd.querySelector('.geo .choroplethlayer').getBoundingClientRect();
  const domain = gd._fullLayout.geo.domain.y;
  return gd._fullLayout._size.h * (domain[1] - domain[0]) - drawn.height;
})"""
MAPS_DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => gd._fullLayout && gd._fullLayout.geo).every(gd => gd.querySelector('.geo .choroplethlayer'))"""
PAGES = [
    ("overview", ""),
    ("map", "level=urban_unit&ind=unemployment&unit=9861011-05"),
    ("compare", "level=urban_unit&units=9861011-01,9861011-05"),
    ("proposals", ""),
    ("lsr", "level=urban_unit&units=9861011-01,9861011-02"),
    ("revitalisation", "gmina=9861011&year=2023"),
]
TITLES_INSIDE = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
  const plot = gd.getBoundingClientRect();
  const title = gd.querySelector('.gtitle');
  return title ? title.getBoundingClientRect().top - plot.top : 0;
})"""


@pytest.mark.parametrize("path, query", PAGES, ids=[p for p, _ in PAGES])
def test_every_page_fits_a_phone(browser, server, path, query):  # noqa: F811
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, user_agent=PHONE)
    try:
        page.goto(f"{server}/{path}?{query}&lang=pl")
        page.wait_for_function(IDLE, timeout=60_000)
        page.locator("[data-testid=stMainBlockContainer] [data-testid=stAlert]").first.wait_for(timeout=60_000)
        page.wait_for_function(IDLE, timeout=60_000)
        if path != "overview":
            page.locator(".js-plotly-plot .gtitle").first.wait_for(timeout=60_000)
        page.wait_for_function(MAPS_DRAWN, timeout=60_000)  # a map still being (re)drawn has no layer to measure yet
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"phone-{path}.png"))
        offsets = page.evaluate(TITLES_INSIDE)
        assert all(offset >= 0 for offset in offsets), f"a chart title starts {min(offsets):.1f} px above its chart"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 391
        # each map is about as tall as its units drawn across the phone: no short map floating in white space
        empty = page.evaluate(EMPTY_HEIGHT)
        assert all(gap < 120 for gap in empty), f"a map leaves {max(empty):.0f} px empty"
        # the toolbar Plotly keeps open on a touch screen would cover the title
        assert page.locator(".modebar-container:visible").count() == 0
    finally:
        page.close()
