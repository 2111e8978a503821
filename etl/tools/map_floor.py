"""``make bench``: how fast this machine can show a large level at all — the floors under the large map's figures.

The Atlas's large map is Streamlit's page plus MapLibre drawing the level's vector tiles. Each part is measured here
on its own, as :mod:`etl.tools.dashboard_bench` measures the whole (headless Chromium, fresh visitors, the same
moves), so that the bench can say how much of a figure is the Atlas's and how much the parts' own:

- :func:`maplibre_alone`: the level's own tiles (as the store keeps them) drawn by the same MapLibre on a page of its
  own, with nothing else on it: the same layers and colouring by feature state, every unit's class set once the
  style is in, the map the size of the Atlas's, fitted to the level the same way;
- :func:`streamlit_alone`: a Streamlit page of one line of text, from the request until the line shows.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb

from dashboard.geometry import publish_tiles
from dashboard.large_map import VENDOR
from etl.store.extensions import load_spatial
from etl.store.tiles import stored_tiles
from etl.tools.dashboard_bench import (
    CHROMIUM_ARGS,
    GPU_ARGS,
    LONG_TASKS,
    MAP_ELEMENT,
    PAN_ZOOM,
    _free_port,
    _moves_figures,
    fresh_visits,
    healthy,
    launch,
)

#: The classes' colours (five, as the Atlas's default classes) and the colour of a unit without data.
COLOURS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"]
#: The page: the Atlas's map with nothing around it (dashboard/large_map.js: the same source, layers and colouring).
PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>body { margin: 0 } #map { position: relative }
</style></head><body><div id="map"></div><script type="module">
const config = JSON.parse(document.getElementById("config").textContent);
const container = document.getElementById("map");
container.style.width = config.size[0] + "px";
container.style.height = config.size[1] + "px";
const maplibregl = await import("./maplibre-gl.mjs");
maplibregl.setWorkerUrl(new URL("./maplibre-gl-worker.mjs", location.href).href);
const fill = ["match", ["coalesce", ["feature-state", "c"], 0]];
config.colours.forEach((colour, i) => fill.push(i + 1, colour));
fill.push("#cccccc");
const b = config.bounds;
const map = new maplibregl.Map({
  container,
  style: { version: 8,
    sources: { units: { type: "vector", tiles: [new URL("./tiles", location.href).href + "/{z}/{x}/{y}.pbf"],
                        minzoom: config.tiles.minzoom, maxzoom: config.tiles.maxzoom, bounds: config.tiles.bounds } },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#ffffff" } },
      { id: "fill", type: "fill", source: "units", "source-layer": "units",
        paint: { "fill-color": fill, "fill-antialias": false, "fill-opacity": 1 } },
      { id: "borders", type: "line", source: "units", "source-layer": "units", minzoom: config.borders,
        paint: { "line-color": "#ffffff", "line-width": 0.5 } },
    ] },
  minZoom: config.tiles.minzoom, bounds: [[b[0], b[1]], [b[2], b[3]]], fitBoundsOptions: { padding: 12 },
  attributionControl: false, dragRotate: false, pitchWithRotate: false,
});
window.atlasMap = map;
map.once("style.load", () => {
  for (let i = 0; i < config.units; i++) {
    map.setFeatureState({ source: "units", sourceLayer: "units", id: i }, { c: 1 + ((i * 7919) % 5) });
  }
  map.once("idle", () => { window.atlasDrawn = true; });
});
</script><script type="application/json" id="config">CONFIG</script></body></html>"""
#: True once the page's map has drawn every tile of its first view with the units' classes.
DRAWN = "() => window.atlasDrawn === true"


def _drawn(page) -> None:  # noqa: ANN001
    page.wait_for_function(DRAWN, timeout=300_000, polling=50)


def _line_shown(page) -> None:  # noqa: ANN001
    page.get_by_text("Atlas floor").wait_for(timeout=120_000)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # the bench prints its own lines
        pass


def _level(con: duckdb.DuckDBPyConnection) -> tuple[str, int, list[float]]:
    """The store's level that has tiles (the largest, if several): its name, units and box (west, south, east,
    north)."""
    load_spatial(con)
    found = con.execute(
        "SELECT d.level, count(*), min(ST_XMin(geom)), min(ST_YMin(geom)), max(ST_XMax(geom)), max(ST_YMax(geom))"
        " FROM unit_display d WHERE d.level IN (SELECT level FROM unit_tiles)"
        " GROUP BY d.level ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    if found is None:
        raise RuntimeError("the store has no level with tiles (5,000 units or more)")
    level, units, *box = found
    return level, units, [float(v) for v in box]


def _moves(browser, url: str) -> tuple[list[float], float]:  # noqa: ANN001
    """:data:`PAN_ZOOM` on the page's map, as ``dashboard_bench._pan_zoom`` does on the Atlas's."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.add_init_script(LONG_TASKS)
    page.goto(url)
    _drawn(page)
    page.evaluate("() => { window.atlasLongTasks.length = 0; }")
    fps = page.evaluate(PAN_ZOOM.replace(f"({MAP_ELEMENT}).atlasMap", "window.atlasMap"))
    tasks = page.evaluate("() => window.atlasLongTasks")
    context.close()
    return tasks, fps


def maplibre_alone(db: Path, size: tuple[float, float], visitors: int = 3) -> dict[str, float]:
    """The store's tiled level drawn by MapLibre alone in a map of ``size`` (CSS px): first paint (median of
    ``visitors`` fresh visitors after one; ``paint_s``) and the pan/zoom figures of ``dashboard_bench.measure``."""
    from playwright.sync_api import sync_playwright

    with duckdb.connect(str(db), read_only=True) as con:
        level, units, box = _level(con)
        tiles = stored_tiles(con, level)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        published = publish_tiles(tiles, level, directory=folder / "published")
        if published is None:
            raise RuntimeError(f"no tiles for {level!r} in {db}")
        (folder / "tiles").symlink_to(folder / "published" / published["url"].rsplit("/", 1)[1])
        for name in ("maplibre-gl.mjs", "maplibre-gl-worker.mjs"):
            shutil.copyfile(VENDOR / name, folder / name)
        config = {
            "tiles": published,
            "bounds": box,
            "units": units,
            "size": [round(size[0]), round(size[1])],
            "colours": COLOURS,
            "borders": published["minzoom"] if units < 10_000 else max(8, published["minzoom"] + 3),
        }
        (folder / "index.html").write_text(PAGE.replace("CONFIG", json.dumps(config)), "utf-8")
        server = ThreadingHTTPServer(("127.0.0.1", _free_port()), partial(_Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        try:
            with sync_playwright() as p:
                browser = launch(p, CHROMIUM_ARGS)
                paints = fresh_visits(browser, url, _drawn, visitors)
                soft = _moves(browser, url)
                browser.close()
                browser = launch(p, GPU_ARGS)
                gpu = _moves(browser, url)
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return {"paint_s": statistics.median(paints[1:])} | _moves_figures(soft, "soft_") | _moves_figures(gpu, "")


def streamlit_alone(visitors: int = 3) -> float:
    """Seconds from the request until a Streamlit page of one line of text shows it (median of ``visitors`` fresh
    visitors after one), in the same Chromium."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "app.py"
        app.write_text('import streamlit as st\n\nst.write("Atlas floor")\n', "utf-8")
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port)]
            + ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if not healthy(f"http://127.0.0.1:{port}"):
                raise RuntimeError("the one-line Streamlit page did not start")
            with sync_playwright() as p:
                browser = launch(p, CHROMIUM_ARGS)
                paints = fresh_visits(browser, f"http://127.0.0.1:{port}/", _line_shown, visitors)
                browser.close()
        finally:
            server.terminate()
            server.wait(10)
    return statistics.median(paints[1:])
