"""Play runs in the browser: the map and its year slider move together at 2 or more years a second, pause stops
them, and no frame asks the server for anything."""

from __future__ import annotations

import time

import pytest

from tests.test_browser import IDLE, _map_ready, browser, server, store  # noqa: F401  (the shared fixtures)

pytestmark = pytest.mark.browser
ACTIVE = "() => document.querySelector('.js-plotly-plot').layout.sliders[0].active"
SHOWN_YEAR = "() => document.querySelector('.js-plotly-plot .slider-group > .slider-label')?.textContent"
RUNNING = "() => !!document.querySelector('.js-plotly-plot')._transitionData._animationRaf"


def test_play_moves_map_and_slider_in_the_browser_and_pauses(browser, server):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
    try:
        page.goto(f"{server}/map?level=urban_unit&ind=unemployment&year=2013&lang=en")
        _map_ready(page, "unemployed")
        page.get_by_text("Play the years").click()
        page.wait_for_function("() => (document.querySelector('.js-plotly-plot')?.layout?.sliders || []).length === 1")
        page.wait_for_function(IDLE, timeout=60_000)
        assert page.evaluate(ACTIVE) == 0 and page.evaluate(SHOWN_YEAR) == "Year: 2013"
        title = page.locator(".js-plotly-plot .gtitle").first
        assert "2013" in title.text_content()

        received.clear()
        page.locator(".updatemenu-button", has_text="Play").click()
        started = time.monotonic()
        page.wait_for_function(f"() => ({ACTIVE})() === 11", timeout=30_000)
        elapsed = time.monotonic() - started
        assert "2024" in title.text_content() and page.evaluate(SHOWN_YEAR) == "Year: 2024"
        assert 11 / elapsed >= 2.0, f"{11 / elapsed:.1f} years a second"
        assert sum(received) == 0, received  # nothing from the server while playing

        # jump back to 2015 on the slider, then play and pause
        tick = page.locator(".slider-label-group").nth(2).bounding_box()
        rail = page.locator(".slider-rail-touch-rect").bounding_box()
        assert tick and rail
        page.mouse.click(tick["x"] + tick["width"] / 2, rail["y"] + rail["height"] / 2)
        page.wait_for_function(f"() => ({ACTIVE})() === 2")
        page.locator(".updatemenu-button", has_text="Play").click()
        page.wait_for_function(f"() => ({ACTIVE})() >= 4")
        page.locator(".updatemenu-button", has_text="Pause").click()
        page.wait_for_function(f"() => !({RUNNING})()")
        stopped = page.evaluate(ACTIVE)
        assert 4 <= stopped < 11
        assert str(2013 + stopped) in title.text_content()
    finally:
        page.close()
