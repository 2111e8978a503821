"""Many dashboards on one DuckLake: two `ldatlas serve` processes on different ports read the same lake while a
third process loads and saves; both see every new snapshot, a group saved on one is visible on the other, and a
link pinned to a data version keeps its numbers."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from etl import store
from etl.store.lake import latest_snapshot
from etl.tools.demo import demo_workspace_path
from tests.test_browser import IDLE, ROOT, _serving, browser  # noqa: F401  (the shared fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def _newest(lake) -> int:
    con = store.connect(lake, read_only=True)
    try:
        return latest_snapshot(con)
    finally:
        con.close()


def _shows_version(page, url: str, number: int) -> None:
    """Open ``url`` until its sidebar names data version ``number`` (a new visit reads the newest snapshot)."""
    for _ in range(30):
        page.goto(url)
        page.wait_for_function(IDLE, timeout=60_000)
        caption = page.get_by_text("Data version ", exact=False).first
        caption.wait_for(timeout=30_000)
        if f"Data version {number} " in caption.inner_text():
            return
    raise AssertionError(f"{url} never showed data version {number}: {caption.inner_text()}")


def test_two_dashboards_on_one_lake_see_loads_and_each_others_saves(browser, lake, tmp_path):  # noqa: F811
    lake_args = ("--db", lake.target, "--data-path", str(lake.data_path))
    built = _cli("load", str(demo_workspace_path()), *lake_args, "--tag", "Raport o stanie gminy 2025")
    assert built.returncode == 0, built.stderr
    tagged = _newest(lake)
    with _serving(lake.target) as one, _serving(lake.target) as two:
        a, b = browser.new_page(), browser.new_page()
        try:
            # meanwhile, a third process loads and saves
            outcomes: list[subprocess.CompletedProcess] = []

            def third() -> None:
                outcomes.append(_cli("load", str(demo_workspace_path()), *lake_args, "--tag", "Druga wersja"))
                outcomes.append(
                    subprocess.run(
                        [
                            sys.executable,
                            "-c",
                            "import sys; from etl.store.groups import save_group; "
                            "save_group(sys.argv[1], 'z-trzeciego', 'Z trzeciego procesu', "
                            "['9861011-01', '9861011-02'], who='skrypt')",
                            lake.target,
                        ],
                        cwd=ROOT,
                        capture_output=True,
                        text=True,
                        timeout=120,
                    )
                )

            worker = threading.Thread(target=third)
            worker.start()
            compare = "compare?level=urban_unit&units=9861011-01,9861011-05&lang=en"
            a.goto(f"{one}/{compare}")
            a.wait_for_function(IDLE, timeout=60_000)
            a.get_by_text("Save the chosen units as a comparison group").click()
            name = a.get_by_label("Group name")
            name.fill("Wspólna grupa")
            name.press("Enter")
            a.get_by_role("button", name="Save the group").click()
            a.get_by_text("Wspólna grupa", exact=False).first.wait_for(timeout=60_000)
            worker.join(300)
            assert [o.returncode for o in outcomes] == [0, 0], [o.stderr for o in outcomes]

            # the group saved on one server, and the one the third process saved, are on the other
            b.goto(f"{two}/compare?level=urban_unit&units=9861011-01,9861011-05&group=saved:wspolna-grupa&lang=en")
            b.wait_for_function(IDLE, timeout=60_000)
            b.get_by_text("Saved group: Wspólna grupa", exact=False).first.wait_for(timeout=60_000)
            b.goto(f"{two}/compare?level=urban_unit&units=9861011-01,9861011-05&group=saved:z-trzeciego&lang=en")
            b.wait_for_function(IDLE, timeout=60_000)
            b.get_by_text("Saved group: Z trzeciego procesu", exact=False).first.wait_for(timeout=60_000)

            # both servers see the newest snapshot, without a restart
            newest = _newest(lake)
            assert newest > tagged
            _shows_version(a, f"{one}/?lang=en", newest)
            _shows_version(b, f"{two}/?lang=en", newest)

            # a link pinned to the tagged version shows it, says newer data exists, and keeps it across pages
            b.goto(f"{two}/?lang=en&as_of={tagged}")
            b.wait_for_function(IDLE, timeout=60_000)
            b.get_by_text(f"(version {tagged})", exact=False).first.wait_for(timeout=30_000)
            b.get_by_text("Newer data exists.", exact=False).first.wait_for(timeout=30_000)
            b.goto(f"{two}/?lang=en&as_of=Raport%20o%20stanie%20gminy%202025")
            b.wait_for_function(IDLE, timeout=60_000)
            b.get_by_text(f"(version {tagged})", exact=False).first.wait_for(timeout=30_000)
            b.goto(f"{two}/?lang=en&as_of=nie-ma-takiej")
            b.wait_for_function(IDLE, timeout=60_000)
            b.get_by_text("does not exist", exact=False).first.wait_for(timeout=30_000)
            for page in (a, b):
                assert page.locator(ERRORS).count() == 0
        finally:
            a.close()
            b.close()
