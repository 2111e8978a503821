"""``make bench``, pages part: how long each page of the demo takes in headless Chromium, this version beside the
previous release in the same run.

The previous release is checked out from git (``PREVIOUS``, or ``LDATLAS_BENCH_PREVIOUS``) into a temporary work
tree and served from there with the same Python environment, each version on its own demo store built by its own
loader. Figures (median of 5 fresh visitors, after one warm-up visit):

* first paint of every page: from navigation until the page's script has finished and every chart is drawn;
* a year change on the map: from the key press until the map shows the new year;
* a unit click: from the click until the unit's panel shows it.

Targets (issue 17): every page ≤ 2.5 s, Compare with 3 units and Revitalisation ≤ 3 s, a year change or a click
≤ 1 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from etl.tools.dashboard_bench import _free_port, fresh_visits, healthy, launch, year_back

ROOT = Path(__file__).resolve().parent.parent.parent
#: The release measured beside this one: the main branch before the session that added this bench.
PREVIOUS = os.environ.get("LDATLAS_BENCH_PREVIOUS", "24260bd")
PAGES = {
    "Overview": "?lang=pl",
    "Map": "map?level=urban_unit&ind=unemployment&lang=pl",
    "Compare, 3 units": "compare?level=urban_unit&units=9861011-01,9861011-05,9861011-09&lang=pl",
    "Proposals": "proposals?lang=pl",
    "LSR builder": "lsr?level=urban_unit&units=9861011-01,9861011-02&lang=pl",
    "Revitalisation": "revitalisation?gmina=9861011&year=2023&lang=pl",
}
TARGETS = {"Compare, 3 units": 3.0, "Revitalisation": 3.0}
#: The script has run and finished, and every chart on the page is drawn (SVG paths or MapLibre features).
SETTLED = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale=true]')) return false;
  return [...document.querySelectorAll('.js-plotly-plot')].every(gd => {
    const full = gd._fullLayout;
    if (!full) return false;
    if (full.geo) return gd.querySelectorAll('.geo .choroplethlocation, .geo path.point').length > 0;
    if (full.map) { const s = full.map._subplot; return !!s && s.map.loaded(); }
    return true;
  });
}"""


def _settled(page) -> None:  # noqa: ANN001
    page.wait_for_function(SETTLED, timeout=120_000, polling=50)


@contextmanager
def _serving(code_root: Path, db: Path):
    """``ldatlas serve`` of the code in ``code_root`` on ``db``; yields its URL when healthy."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "serve", "--db", str(db), "--port", str(port)],
        cwd=code_root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        healthy(url, 90)
        yield url
    finally:
        proc.terminate()
        proc.wait(15)


def _demo(code_root: Path, db: Path) -> None:
    workspace = code_root / "workspaces" / "demo" / "workspace.toml"
    subprocess.run(
        [sys.executable, "-m", "etl.cli", "load", str(workspace), "--db", str(db)],
        cwd=code_root,
        env={**os.environ, "PYTHONPATH": str(code_root)},
        check=True,
        capture_output=True,
    )


def measure(url: str, visitors: int = 5) -> dict[str, float]:
    """Medians in seconds: each page's first paint, a year change and a unit click on the map."""
    from playwright.sync_api import sync_playwright

    out: dict[str, float] = {}
    with sync_playwright() as p:
        browser = launch(p)
        for name, link in PAGES.items():
            times = fresh_visits(browser, f"{url}/{link}", _settled, visitors, width=1400)
            out[name] = statistics.median(times[1:])  # the first visit warms the server's caches for this page
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/{PAGES['Map']}")
        page.wait_for_function(SETTLED, timeout=120_000, polling=50)
        slider = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').first
        steps, clicks = [], []
        for _ in range(visitors):
            started = time.perf_counter()
            year_back(page, slider)
            page.wait_for_function(SETTLED, timeout=60_000, polling=20)
            steps.append(time.perf_counter() - started)
        for code, name in (("9861011-05", "Kolonia Fabryczna"), ("9861011-01", "Stare Miasto")) * 3:
            box = page.locator(".js-plotly-plot").first.bounding_box()
            assert box is not None
            point = page.evaluate(
                "(code) => { const gd = document.querySelector('.js-plotly-plot'); const geo = gd._fullLayout.geo;"
                " const trace = gd.calcdata.flat().find(d => d.loc === code); if (!geo || !trace) return null;"
                " const p = geo._subplot.projection(trace.ct); const r = gd.getBoundingClientRect();"
                " return [r.left + p[0], r.top + p[1]]; }",
                code,
            )
            if point is None:
                break
            started = time.perf_counter()
            page.mouse.click(point[0], point[1])
            page.locator("h3", has_text=name).first.wait_for(timeout=60_000)
            page.wait_for_function(SETTLED, timeout=60_000, polling=20)
            clicks.append(time.perf_counter() - started)
        out["year change"] = statistics.median(steps)
        if clicks:
            out["unit click"] = statistics.median(clicks)
        context.close()
        browser.close()
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        previous = Path(tmp) / "previous"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(previous), PREVIOUS], cwd=ROOT, check=True, capture_output=True
        )
        try:
            results = {}
            for label, code_root in (("previous", previous), ("this", ROOT)):
                db = Path(tmp) / f"{label}.duckdb"
                _demo(code_root, db)
                with _serving(code_root, db) as url:
                    results[label] = measure(url)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(previous)], cwd=ROOT, capture_output=True)
    print(f"\nPages of the demo in Chromium, median of 5 fresh visitors: this version beside {PREVIOUS} (previous)")
    for name in [*PAGES, "year change", "unit click"]:
        now, before = results["this"].get(name), results["previous"].get(name)
        if now is None:
            continue
        target = TARGETS.get(name, 1.0 if name in ("year change", "unit click") else 2.5)
        verdict = "meets" if now <= target else "MISSES"
        shown_before = f"{before:5.2f} s" if before is not None else "   –   "
        print(f"  {name:<18} {now:5.2f} s   (previous {shown_before})   {verdict} the target of {target:g} s")


if __name__ == "__main__":
    main()
