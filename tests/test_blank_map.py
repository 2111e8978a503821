"""The blank-first-map race (issue 17): while loads swap new stores in, a visitor's first map must still get its
polygons. 50 first visits in fresh browser contexts while `ldatlas load --force` runs again and again on the store
being served: every map is drawn."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from etl.tools.dashboard_bench import MAP_DRAWN
from etl.tools.demo import demo_workspace_path
from tests.test_browser import ROOT, _loaded, _serving, browser  # noqa: F401  (the shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
VISITS = 50


def test_first_maps_are_drawn_while_loads_run(browser, tmp_path):  # noqa: F811
    db = _loaded(demo_workspace_path(), tmp_path / "demo.duckdb")
    stop = threading.Event()
    loads: list[int] = []

    def keep_loading() -> None:
        while not stop.is_set():
            done = subprocess.run(
                [sys.executable, "-m", "etl.cli", "load", str(demo_workspace_path()), "--db", str(db), "--force"],
                cwd=ROOT,
                capture_output=True,
            )
            loads.append(done.returncode)

    with _serving(db) as url:
        worker = threading.Thread(target=keep_loading)
        worker.start()
        blank = []
        try:
            for visit in range(VISITS):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                try:
                    page.goto(f"{url}/map?level=urban_unit&ind=unemployment&lang=pl")
                    page.locator(".js-plotly-plot .gtitle").first.wait_for(timeout=90_000)
                    page.wait_for_function(MAP_DRAWN, arg=17, timeout=45_000)
                except Exception as exc:  # noqa: BLE001  (a blank map is counted, and the run goes on)
                    blank.append((visit, type(exc).__name__))
                finally:
                    context.close()
        finally:
            stop.set()
            worker.join(300)
    assert len(loads) >= 3 and set(loads) == {0}, loads  # loads really ran meanwhile, and succeeded
    assert blank == [], f"{len(blank)} of {VISITS} first maps were not drawn: {blank}"
