"""``make bench``: speed figures beside naive baselines, measured in one run on this machine.

Boundary load: the full load of all 2,477 gminy (validation, reprojection, repair, area, parents, display
simplification, writing, atomic swap) against just reading the same file with pyogrio.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyogrio

from etl.pipeline.load import load_workspace
from etl.workspace import read_workspace

REPEATS = 15


def _shared() -> Path:
    root = Path(os.environ.get("LDATLAS_SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data")
    if not (root / "pl_admin_zbychuk" / "gminy.geojson").exists():
        raise SystemExit(f"Benchmark data not found under {root}; set LDATLAS_SHARED_DATA to ../shared/data.")
    return root


def _median_seconds(fn: Callable[[], object], repeats: int = REPEATS) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def bench_boundary_load(
    path: Path | None = None, code: str = "id", name: str = "name", extra: str = 'parent = "teryt"\n'
) -> dict[str, float]:
    """Full load of one boundary file into a new store vs a bare pyogrio read of it, interleaved pairs."""
    gminy = path or _shared() / "pl_admin_zbychuk" / "gminy.geojson"
    with tempfile.TemporaryDirectory() as tmp:
        ws_path = Path(tmp) / "ws.toml"
        ws_path.write_text(
            '[workspace]\nname = "bench"\nlevels = ["voivodeship", "powiat", "gmina"]\n\n'
            f'[[boundaries]]\nid = "gminy"\npath = "{gminy}"\nlevel = "gmina"\ncode = "{code}"\nname = "{name}"\n'
            + extra,
            "utf-8",
        )
        counter = iter(range(1000))

        def full_load() -> None:
            load_workspace(read_workspace(ws_path), Path(tmp) / f"s{next(counter)}.duckdb")

        full_load()  # warm-up: imports, GDAL drivers
        pyogrio.read_dataframe(gminy)
        # interleaved, so that a busy moment on a shared machine hits both alike
        reads, loads = [], []
        for _ in range(REPEATS):
            reads.append(_median_seconds(lambda: pyogrio.read_dataframe(gminy), 1)[0])
            loads.append(_median_seconds(full_load, 1)[0])
    read_s, load_s = statistics.median(reads), statistics.median(loads)
    ratios = sorted(load / read for load, read in zip(loads, reads, strict=True))
    return {
        "read_s": read_s,
        "load_s": load_s,
        "ratio": load_s / read_s,
        "ratio_best": ratios[0],
        "ratio_worst": ratios[-1],
    }


def _report(title: str, b: dict[str, float], target: float | None) -> None:
    print(title)
    print(f"  baseline: bare read with pyogrio.read_dataframe  {b['read_s'] * 1000:8.1f} ms")
    print(f"  Atlas:    full load into a new store             {b['load_s'] * 1000:8.1f} ms")
    verdict = (
        ""
        if target is None
        else (" (meets" if b["ratio"] <= target else " (MISSES") + f" the target of at most {target:g}x)"
    )
    print(
        f"  ratio {b['ratio']:.2f}x the bare read{verdict}; pairwise {b['ratio_best']:.2f}x to {b['ratio_worst']:.2f}x"
    )


def main() -> None:
    print(f"Local Development Atlas benchmark — {os.cpu_count()} cores, median of {REPEATS} runs\n")
    _report("Boundary load, national gminy (2,477 polygons, pl_admin_zbychuk/gminy.geojson)", bench_boundary_load(), 3)
    full_res = _shared() / "dariolas_prg_geojson" / "gminy_wgs84.geojson"
    if full_res.exists():  # the display simplification has work to do here: full-resolution PRG vertices
        _report(
            "Boundary load, full-resolution PRG gminy of kujawsko-pomorskie (144 polygons, for comparison)",
            bench_boundary_load(full_res, "kod", "nazwa", "code_width = 6\n"),
            None,
        )


if __name__ == "__main__":
    main()
