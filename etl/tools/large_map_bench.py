"""``make bench``, large levels on the map: synthetic coverages of Poland with 10,000, 30,000 and 100,000 units (as
:mod:`etl.tools.scale_bench` builds them) served by ``ldatlas serve`` and opened in headless Chromium. For each: the
map's first paint (median of 3 fresh visitors after one that makes the level's files), a year change (median of 4:
from the key press until the map is recoloured, and the bytes over the WebSocket: the median, and the largest, for a
year not shown before — Streamlit sends a view it has sent already as a reference), the server's peak memory, and
the longest task on the page's main thread while a planner zooms in twice, pans four ways and zooms out twice.
Beside it, in the same run, the SVG map (today's renderer below the threshold) at 10,000 units."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from etl.pipeline.load import load_workspace
from etl.tools.bench import _shared
from etl.tools.dashboard_bench import CHROMIUM_ARGS, MAP_DRAWN, _free_port, healthy
from etl.tools.scale_bench import _write_level
from etl.tools.synthetic import poland_outline
from etl.workspace import read_workspace

SIZES = (10_000, 30_000, 100_000)
#: The large map's element (in its component's shadow root), as a JavaScript expression; undefined when none.
MAP_ELEMENT = (
    "[...document.querySelectorAll('*')].map((h) => h.shadowRoot?.querySelector('.atlas-lm-map')).find(Boolean)"
)
#: How many times the large map has been recoloured (0 before it first is), -1 when there is none on the page.
SHOWN = f"() => {{ const c = {MAP_ELEMENT}; return c ? Number(c.dataset.shown || 0) : -1; }}"
#: Every long task (main thread busy over 50 ms) from the page's start, in ms, as the browser reports them.
LONG_TASKS = """window.atlasLongTasks = []; new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.atlasLongTasks.push(e.duration); }).observe({type: 'longtask'});"""
#: A planner's moves on the large map: zoom in twice, pan four ways, zoom out twice (each animated, half a second),
#: each until the map is idle again (its tiles loaded and drawn).
PAN_ZOOM = f"""async () => {{ const map = ({MAP_ELEMENT}).atlasMap;
  const moves = [(m) => m.zoomIn({{duration: 500}}), (m) => m.zoomIn({{duration: 500}}),
    (m) => m.panBy([300, 0], {{duration: 500}}), (m) => m.panBy([0, 300], {{duration: 500}}),
    (m) => m.panBy([-300, 0], {{duration: 500}}), (m) => m.panBy([0, -300], {{duration: 500}}),
    (m) => m.zoomOut({{duration: 500}}), (m) => m.zoomOut({{duration: 500}})];
  for (const move of moves) await new Promise((done) => {{ map.once('idle', done); move(map); }}); }}"""
SCRIPT_IDLE = (
    "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"
)


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _drawn(page, svg: bool, before: int = 0) -> None:
    if svg:
        page.wait_for_function(MAP_DRAWN, arg=1000, timeout=300_000, polling=100)
    else:
        page.wait_for_function(f"() => ({SHOWN})() > {before}", timeout=300_000, polling=50)


def measure(db: Path, svg: bool = False, visitors: int = 3, query: str = "?ind=unemployment") -> dict[str, float]:
    """The map page (``/map`` + ``query``) on ``db`` in Chromium: first paint of fresh visitors (and the first visit
    after the server's start), a year change back and forth (time and WebSocket bytes), the server's peak memory and,
    on the MapLibre map, the longest task while panning and zooming. ``svg``: Plotly's SVG map, whatever the size."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, **({"LDATLAS_LARGE_LEVEL": str(10**9)} if svg else {})}
    server = subprocess.Popen(
        [sys.executable, "-m", "etl.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/map{query}"
    try:
        healthy(f"http://127.0.0.1:{port}")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=os.environ.get("LDATLAS_CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
            )
            paints = []
            for _ in range(visitors + 1):
                context = browser.new_context(viewport={"width": 1500, "height": 1000})
                page = context.new_page()
                started = time.perf_counter()
                page.goto(url)
                _drawn(page, svg)
                paints.append(time.perf_counter() - started)
                context.close()
            context = browser.new_context(viewport={"width": 1500, "height": 1000})
            page = context.new_page()
            page.add_init_script(LONG_TASKS)
            received: list[int] = []
            page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))))
            page.goto(url)
            _drawn(page, svg)
            slider = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').first
            steps, sent = [], []
            for key in ("ArrowLeft", "ArrowRight") * 2:
                page.wait_for_function(SCRIPT_IDLE, timeout=300_000)
                before = -1 if svg else page.evaluate(SHOWN)
                received.clear()
                started = time.perf_counter()
                slider.focus()
                page.keyboard.press(key)
                page.wait_for_function(
                    "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
                    " === 'running'",
                    timeout=60_000,
                    polling=10,
                )
                page.wait_for_function(SCRIPT_IDLE, timeout=300_000, polling=20)
                _drawn(page, svg, before)
                steps.append(time.perf_counter() - started)
                sent.append(sum(received))
            moving: list[float] = []
            if not svg:  # pan and zoom: how long the longest task kept the page from answering
                page.wait_for_function(SCRIPT_IDLE, timeout=300_000)
                page.evaluate("() => { window.atlasLongTasks.length = 0; }")
                page.evaluate(PAN_ZOOM)
                moving = page.evaluate("() => window.atlasLongTasks")
            context.close()
            browser.close()
        return {
            "cold_s": paints[0],
            "paint_s": statistics.median(paints[1:]),
            "year_s": statistics.median(steps),
            "year_kb": statistics.median(sent) / 1000,
            "year_max_kb": max(sent) / 1000,
            "memory_mb": _peak_mb(server.pid),
            "longest_task_ms": max(moving, default=0.0),
            "long_tasks_over_200": float(sum(d > 200 for d in moving)),
        }
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    outline = poland_outline(_shared() / "pl_admin_zbychuk" / "gminy.geojson")
    print("\nThe map of large levels in Chromium (synthetic coverages of Poland; MapLibre from 2,000 units)")
    print(
        f"  {'units':>8} {'map':>7} {'first paint':>12} {'(first visit)':>14} {'year change':>12}"
        f" {'WebSocket (new year)':>21} {'server peak':>12} {'pan/zoom: longest task':>23}"
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            _write_level(folder, outline, n)
            db = folder / "scale.duckdb"
            load_workspace(read_workspace(folder / "ws.toml"), db)
            runs = [("MapLibre", measure(db))] + ([("SVG", measure(db, svg=True))] if n == SIZES[0] else [])
            for kind, r in runs:
                results[(n, kind)] = r
                print(
                    f"  {n:>8,} {kind:>8} {r['paint_s']:>10.2f} s {r['cold_s']:>12.2f} s {r['year_s']:>10.2f} s"
                    f" {r['year_kb']:>7.0f} KB ({r['year_max_kb']:>5.0f} KB) {r['memory_mb']:>9.0f} MB"
                    + (
                        f" {r['longest_task_ms']:>9.0f} ms ({r['long_tasks_over_200']:.0f} over 200 ms)"
                        if kind == "MapLibre"
                        else "        (not measured)"
                    )
                )
    small, large = results[(SIZES[0], "MapLibre")], results[(SIZES[-1], "MapLibre")]
    print(
        f"  from {SIZES[0]:,} to {SIZES[-1]:,} units: first paint {large['paint_s'] / small['paint_s']:.1f}x,"
        f" year change {large['year_s'] / small['year_s']:.1f}x,"
        f" WebSocket {large['year_kb'] / max(small['year_kb'], 0.1):.1f}x."
        f" Targets at 100,000: first paint <= 4 s ({'met' if large['paint_s'] <= 4 else 'NOT met'}), year change <= 1 s"
        f" ({'met' if large['year_s'] <= 1 else 'NOT met'}) and <= 100 KB"
        f" ({'met' if large['year_max_kb'] <= 100 else 'NOT met'}), server <= 2 GB"
        f" ({'met' if large['memory_mb'] <= 2048 else 'NOT met'}), pan/zoom without tasks over 200 ms"
        f" ({'met' if large['long_tasks_over_200'] == 0 else 'NOT met'})."
    )


if __name__ == "__main__":
    main()
