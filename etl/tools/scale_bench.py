"""``make bench``: levels of 10,000, 30,000 and 100,000 units (synthetic coverages of Poland, see
:mod:`etl.tools.synthetic`) — the boundary load beside a bare pyogrio read of the same file, and the derived
indicators, the index and the hotspots on them, each beside the previous release's way where it changed (the
hotspots: libpysal's Queen weights and esda's Moran_Local)."""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pyogrio
import shapely

from etl import store
from etl.pipeline.load import load_workspace
from etl.store import tiles
from etl.store.tiles import build_tiles
from etl.tools.bench import _shared
from etl.tools.synthetic import coverage, poland_outline
from etl.workspace import read_workspace
from indicators.composite import IndexSpec, composite_index
from indicators.derived import compute_derived
from indicators.hotspots import local_moran, queen_neighbours

SIZES = (10_000, 30_000, 100_000)
BOUNDARY_RATIO_TARGET = 3.0

_WORKSPACE = """[workspace]
name = "scale"
levels = ["rejon"]

[[indicators]]
id = "population"
name_pl = "Ludność"
name_en = "Population"
unit = "osoby"
domain = "social"
direction = "neutral"

[[indicators]]
id = "businesses"
name_pl = "Podmioty"
name_en = "Businesses"
unit = "podmioty"
domain = "economic"
direction = "higher_is_better"

[[indicators]]
id = "businesses_per_1000"
name_pl = "Podmioty na 1000 mieszk."
name_en = "Businesses per 1,000 residents"
unit = "‰"
domain = "economic"
direction = "higher_is_better"
derived = {{ kind = "per_1000", of = "businesses", per = "population" }}

[[indicators]]
id = "unemployment"
name_pl = "Bezrobocie"
name_en = "Unemployment"
unit = "%"
domain = "social"
direction = "lower_is_better"

[[boundaries]]
id = "rejony"
path = "{gpkg}"
level = "rejon"
code = "kod"
name = "nazwa"

[[tables]]
id = "dane"
path = "dane.csv"
level = "rejon"
code = "kod"
indicator_column = "wskaznik"
year_column = "rok"
value = "wartosc"
"""


def _timed(fn, repeats: int = 1) -> tuple[float, object]:  # noqa: ANN001
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _write_level(folder: Path, outline: shapely.Geometry, n: int) -> tuple[Path, list[str]]:
    cells = coverage(outline, n)
    gpkg = folder / "rejony.gpkg"
    pyogrio.write_dataframe(cells, gpkg)
    rng = np.random.default_rng(n)
    population = rng.integers(200, 20_000, n)
    lines = ["kod;wskaznik;rok;wartosc"]
    for year in (2023, 2024):
        for code, people in zip(cells["kod"], population, strict=True):
            lines.append(f"{code};population;{year};{people}")
            lines.append(f"{code};businesses;{year};{rng.integers(0, people // 8 + 1)}")
            lines.append(f"{code};unemployment;{year};{rng.uniform(1, 15):.1f}".replace(".", ","))
    (folder / "dane.csv").write_text("\n".join(lines) + "\n", "utf-8")
    (folder / "ws.toml").write_text(_WORKSPACE.format(gpkg=gpkg), "utf-8")
    return gpkg, cells["kod"].tolist()


def _as_before(codes: list[str], geoms: np.ndarray, values: list) -> tuple[float, float]:
    """The previous release's hotspots: libpysal's Queen weights, then esda's Moran_Local (99 permutations)."""
    import warnings

    import geopandas as gpd
    from esda.moran import Moran_Local
    from libpysal.weights import Queen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        w = Queen.from_dataframe(gpd.GeoDataFrame({"code": codes}, geometry=list(geoms)), use_index=False)
        weights_s = time.perf_counter() - started
        w.transform = "r"
        y = np.array(values, dtype=float)  # the bench gives every unit a value
        started = time.perf_counter()
        Moran_Local(y, w, transformation="r", permutations=99, seed=12345)
        return weights_s, time.perf_counter() - started


def _boundary_loads(folder: Path, gpkg: Path, repeats: int = 3) -> tuple[float, float, float]:
    """Medians of ``repeats`` interleaved pairs (so that a busy moment hits both alike): a bare pyogrio read of the
    file, and a load of it alone into a new store — the boundary source's own time (reading, checking, measuring,
    writing its units) and the whole load (with the display coverage; the vector tiles, timed apart, left out)."""
    (folder / "alone.toml").write_text(_WORKSPACE.split("[[tables]]")[0].format(gpkg=gpkg), "utf-8")
    reads, sources, wholes = [], [], []
    gc.freeze()  # as `ldatlas load` does once its libraries are imported (etl/cli.py)
    made_at = tiles.TILES_AT_LOAD
    tiles.TILES_AT_LOAD = 10**12
    try:
        for i in range(repeats):
            reads.append(_timed(lambda: pyogrio.read_dataframe(gpkg))[0])
            started = time.perf_counter()
            result = load_workspace(read_workspace(folder / "alone.toml"), folder / f"a{i}.duckdb")
            wholes.append(time.perf_counter() - started)
            sources.append(next(s for s in result.sources if s.source_id == "rejony").seconds)
    finally:
        tiles.TILES_AT_LOAD = made_at
    return statistics.median(reads), statistics.median(sources), statistics.median(wholes)


def bench_level(outline: shapely.Geometry, n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        gpkg, codes = _write_level(folder, outline, n)
        read_s, boundary_s, boundary_whole_s = _boundary_loads(folder, gpkg)
        db = folder / "scale.duckdb"
        result = load_workspace(read_workspace(folder / "ws.toml"), db)
        table = next(s for s in result.sources if s.source_id == "dane")
        con = store.connect(db)
        try:
            derived_s, _ = _timed(lambda: compute_derived(con))
            spec = IndexSpec(indicators=["businesses_per_1000", "unemployment"], method="percentile")
            index_s, _ = _timed(lambda: composite_index(con, codes, 2024, spec))
            rows = con.execute(
                "SELECT u.code, u.geom, o.value FROM units u LEFT JOIN observations o ON o.unit_code = u.code "
                "AND o.indicator_id = 'unemployment' AND o.year = 2024 WHERE u.level = 'rejon' ORDER BY u.code"
            ).fetchall()
            display = con.execute("SELECT ST_AsWKB(geom) FROM unit_display WHERE level = 'rejon'").fetchall()
            started = time.perf_counter()
            tiles = build_tiles(con, "rejon")  # as the load made them (timed apart)
            tiles_s = time.perf_counter() - started
        finally:
            con.close()
        unit_codes = [r[0] for r in rows]
        geoms = shapely.from_wkb([bytes(r[1]) for r in rows])
        values = [r[2] for r in rows]
        started = time.perf_counter()
        neighbours = queen_neighbours(unit_codes, geoms)
        weights_s = time.perf_counter() - started
        hotspots_s, _ = _timed(lambda: local_moran(unit_codes, None, values, neighbours=neighbours, permutations=99))
        map_s, _ = _timed(lambda: local_moran(unit_codes, None, values, neighbours=neighbours))
        libpysal_s, esda_s = _as_before(unit_codes, geoms, values)
        shown = shapely.from_wkb([bytes(r[0]) for r in display])
        return {
            "read_s": read_s,
            "boundary_s": boundary_s,
            "boundary_whole_s": boundary_whole_s,
            "table_s": table.seconds,
            "derived_s": derived_s,
            "index_s": index_s,
            "weights_s": weights_s,
            "weights_before_s": libpysal_s,
            "hotspots_s": hotspots_s,
            "hotspots_before_s": esda_s,
            "hotspots_map_s": map_s,
            "display_shares_borders": float(bool(shapely.coverage_is_valid(shown))),
            "tiles_s": tiles_s,
            "tiles": float(len(tiles)),
            "tiles_mb": sum(len(t[3]) for t in tiles) / 1e6,
            "zooms": f"{min(t[0] for t in tiles)}-{max(t[0] for t in tiles)}",
        }


def main() -> None:
    outline = poland_outline(_shared() / "pl_admin_zbychuk" / "gminy.geojson")
    print("\nLarge levels (synthetic coverages of Poland: Voronoi cells clipped to the outline, EPSG:2180)")
    print(
        f"  {'units':>8} {'pyogrio':>8} {'boundary':>9} {'ratio':>6} {'(whole load)':>13} {'table':>7}"
        f" {'derived':>8} {'index':>7} "
        f"{'weights (before)':>17} {'hotspots (before)':>18} {'map, 999':>9} {'vector tiles (zooms, files, MB)':>32}"
        "  display borders"
    )
    results = {}
    for n in SIZES:
        r = results[n] = bench_level(outline, n)
        print(
            f"  {n:>8,} {r['read_s']:>7.2f}s {r['boundary_s']:>8.2f}s {r['boundary_s'] / r['read_s']:>5.1f}x "
            f"({r['boundary_whole_s']:>5.2f}s {r['boundary_whole_s'] / r['read_s']:>4.1f}x) "
            f"{r['table_s']:>6.2f}s {r['derived_s']:>7.2f}s {r['index_s']:>6.2f}s "
            f"{r['weights_s']:>7.2f}s ({r['weights_before_s']:>6.2f}s) "
            f"{r['hotspots_s']:>7.2f}s ({r['hotspots_before_s']:>6.2f}s)"
            f" {r['hotspots_map_s']:>8.2f}s {r['tiles_s']:>7.1f}s"
            f" ({r['zooms']:>5}, {r['tiles']:>5.0f}, {r['tiles_mb']:>5.1f})  "
            + ("shared, no gaps or overlaps" if r["display_shares_borders"] else "GAPS OR OVERLAPS")
        )
    small, large = results[SIZES[0]], results[SIZES[-1]]
    grow = SIZES[-1] / SIZES[0]
    print(
        f"  from {SIZES[0]:,} to {SIZES[-1]:,} units ({grow:.0f}x): boundary load "
        f"{large['boundary_s'] / small['boundary_s']:.1f}x, hotspots {large['hotspots_s'] / small['hotspots_s']:.1f}x,"
        f" index {large['index_s'] / small['index_s']:.1f}x; boundary load at {SIZES[-1]:,} "
        f"{'within' if large['boundary_s'] / large['read_s'] <= BOUNDARY_RATIO_TARGET else 'OUTSIDE'} "
        f"{BOUNDARY_RATIO_TARGET:.0f}x a bare read."
    )
    print(
        "  boundary: the source's own time in a load of the file alone (median of 3, interleaved with the bare"
        " reads); whole load: that load from start to end, the level's display coverage included."
    )
    print(
        "  weights: queen contiguity of the level (built once per level and data version); hotspots: local Moran's I"
        " with 99 permutations; before: libpysal's Queen and esda's Moran_Local (the previous release), same run;"
        " map, 999: the hotspots as the map computes them (999 permutations); vector tiles: made once by the load of"
        " a level of 5,000 units or more (DuckDB's ST_AsMVT, every zoom), not counted in the boundary load."
    )


if __name__ == "__main__":
    main()
