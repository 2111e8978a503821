"""The real dashboard in Debian's headless Chromium (Playwright with executable_path; no downloaded browser)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import in_ci

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

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
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    build = subprocess.run([sys.executable, "-m", "etl.cli", "demo", "--db", str(db), "--no-serve"], cwd=ROOT,
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "etl.cli", "serve", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("the dashboard did not start within 60 s")
    yield url
    proc.terminate()
    proc.wait(10)


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
    page.goto(f"{server}/map?lang=en")
    page.get_by_text("Map preview").first.wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.get_by_text("Units without data").first.wait_for(timeout=30_000)
    # MapLibre draws the polygons on a canvas; the map must have one
    assert page.locator(".js-plotly-plot canvas").count() >= 1
    _shot(page, "02-map-en")
    page.close()
