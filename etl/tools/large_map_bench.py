"""``make bench``, large levels on the map: synthetic coverages of Poland with 10,000, 30,000 and 100,000 units (as
:mod:`etl.tools.scale_bench` builds them) served by ``ldatlas serve`` and opened in headless Chromium. For each: the
map's first paint (median of 3 fresh visitors after one that makes the level's files), a year change (median of 4:
from the key press until the map is recoloured, and the bytes over the WebSocket: the median, and the largest, for a
year not shown before — Streamlit sends a view it has sent already as a reference), the server's peak memory, and
the longest task on the page's main thread and the frames drawn a second while a planner zooms in twice, pans four
ways and zooms out twice — in Chromium compositing on the GPU as a planner's browser does (SwiftShader here) and, in
brackets, by the software compositor (``--disable-gpu``: the main thread waits for each frame's GL work).
Beside it, in the same run, the SVG map (today's renderer below the threshold) at 10,000 units, and the floors under
the figures (:mod:`etl.tools.map_floor`): each level's tiles drawn by MapLibre alone on a page of its own, and a
Streamlit page of one line of text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from etl.pipeline.load import load_workspace
from etl.tools.bench import _shared
from etl.tools.dashboard_bench import measure
from etl.tools.map_floor import maplibre_alone, streamlit_alone
from etl.tools.scale_bench import _write_level
from etl.tools.synthetic import poland_outline
from etl.workspace import read_workspace

SIZES = (10_000, 30_000, 100_000)


def main() -> None:
    outline = poland_outline(_shared() / "pl_admin_zbychuk" / "gminy.geojson")
    print("\nThe map of large levels in Chromium (synthetic coverages of Poland; MapLibre from 2,000 units)")
    print(
        f"  {'units':>8} {'map':>7} {'first paint':>12} {'(first visit)':>14} {'year change':>12}"
        f" {'WebSocket (new year)':>21} {'server peak':>12} {'pan/zoom: longest task, frames':>31}"
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            _write_level(folder, outline, n)
            db = folder / "scale.duckdb"
            load_workspace(read_workspace(folder / "ws.toml"), db)
            atlas = measure(db)
            alone = maplibre_alone(db, (atlas["map_width"], atlas["map_height"]))
            runs = [("MapLibre", atlas)] + ([("SVG", measure(db, svg=True))] if n == SIZES[0] else [])
            for kind, r in runs:
                results[(n, kind)] = r
                print(
                    f"  {n:>8,} {kind:>8} {r['paint_s']:>10.2f} s {r['cold_s']:>12.2f} s {r['year_s']:>10.2f} s"
                    f" {r['year_kb']:>7.0f} KB ({r['year_max_kb']:>5.0f} KB) {r['memory_mb']:>9.0f} MB"
                    + (
                        f" {r['longest_task_ms']:>5.0f} ms ({r['long_tasks_over_200']:.0f} over 200 ms),"
                        f" {r['fps']:.0f}/s"
                        f" [software: {r['soft_longest_task_ms']:.0f} ms ({r['soft_long_tasks_over_200']:.0f}),"
                        f" {r['soft_fps']:.0f}/s]"
                        if kind == "MapLibre"
                        else "        (not measured)"
                    )
                )
            results[(n, "alone")] = alone
            print(
                f"  {'':>8} {'floor: MapLibre alone, the same tiles':>38} {alone['paint_s']:>5.2f} s"
                f" {'':>52} {alone['longest_task_ms']:>5.0f} ms ({alone['long_tasks_over_200']:.0f} over 200 ms),"
                f" {alone['fps']:.0f}/s [software: {alone['soft_longest_task_ms']:.0f} ms"
                f" ({alone['soft_long_tasks_over_200']:.0f}), {alone['soft_fps']:.0f}/s]"
            )
    page = streamlit_alone()
    print(f"  floor: a Streamlit page of one line of text shows it in {page:.2f} s (median of 3 fresh visitors)")
    small, large = results[(SIZES[0], "MapLibre")], results[(SIZES[-1], "MapLibre")]
    floor = results[(SIZES[-1], "alone")]
    print(
        f"  from {SIZES[0]:,} to {SIZES[-1]:,} units: first paint {large['paint_s'] / small['paint_s']:.1f}x,"
        f" year change {large['year_s'] / small['year_s']:.1f}x,"
        f" WebSocket {large['year_kb'] / max(small['year_kb'], 0.1):.1f}x."
        f" Targets at 100,000: first paint <= 4 s ({'met' if large['paint_s'] <= 4 else 'NOT met'}), year change <= 1 s"
        f" ({'met' if large['year_s'] <= 1 else 'NOT met'}) and <= 100 KB"
        f" ({'met' if large['year_max_kb'] <= 100 else 'NOT met'}), server <= 2 GB"
        f" ({'met' if large['memory_mb'] <= 2048 else 'NOT met'}), pan/zoom without tasks over 200 ms"
        f" ({'met' if large['long_tasks_over_200'] == 0 else 'NOT met'} composited on the GPU;"
        f" {'met' if large['soft_long_tasks_over_200'] == 0 else 'not met'} by the software compositor)."
    )
    print(
        f"  Below the Atlas's figures at {SIZES[-1]:,}: MapLibre alone draws the same tiles in {floor['paint_s']:.2f} s"
        f" and Streamlit alone shows a line in {page:.2f} s — {floor['paint_s'] + page:.2f} s together, as the map"
        f" starts only once Streamlit's page has put it there (the Atlas: {large['paint_s']:.2f} s); MapLibre alone"
        f" pans and zooms with {floor['soft_long_tasks_over_200']:.0f} tasks over 200 ms by the software compositor"
        f" (the Atlas: {large['soft_long_tasks_over_200']:.0f})."
    )


if __name__ == "__main__":
    main()
