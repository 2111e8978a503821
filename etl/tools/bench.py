"""``make bench``: speed figures beside naive baselines, measured in one run on this machine.

Boundary load: the full load of all 2,477 gminy (validation, reprojection, repair, area, parents, display
simplification, writing, atomic swap) against just reading the same file with pyogrio.
"""

from __future__ import annotations

import gc
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
        gc.freeze()  # as `ldatlas load` does once its libraries are imported (etl/cli.py)
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


def bench_rejects(n_rejects: int = 2000, repeats: int = 7) -> dict[str, float]:
    """Loading a table of all 2,477 gminy into a store that has them, clean and with ``n_rejects`` rows of unknown
    codes (TERYT-like, near real ones: the hardest case for the "closest code" hint), interleaved."""
    import random
    import shutil

    gminy = _shared() / "pl_admin_zbychuk" / "gminy.geojson"
    codes = [str(c).zfill(7) for c in pyogrio.read_dataframe(gminy, columns=["id"], read_geometry=False)["id"]]
    rng = random.Random(7)
    unknown = {f"{rng.randint(2, 32):02d}{rng.randint(0, 99999):05d}" for _ in range(n_rejects * 2)} - set(codes)
    unknown_codes = sorted(unknown)[:n_rejects]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        head = (
            '[workspace]\nname = "bench"\nlevels = ["gmina"]\n\n[[indicators]]\nid = "population"\nname_pl = "L"\n'
            'name_en = "P"\nunit = "osoby"\ndomain = "social"\ndirection = "neutral"\n\n'
            f'[[boundaries]]\nid = "gminy"\npath = "{gminy}"\nlevel = "gmina"\ncode = "id"\nname = "name"\n'
        )
        (folder / "base.toml").write_text(head, "utf-8")
        load_workspace(read_workspace(folder / "base.toml"), folder / "base.duckdb")
        rows = "".join(f"{c};{1000 + i}\n" for i, c in enumerate(codes))
        (folder / "clean.csv").write_text("kod;v\n" + rows, "utf-8")
        (folder / "rejects.csv").write_text("kod;v\n" + rows + "".join(f"{c};5\n" for c in unknown_codes), "utf-8")
        for name in ("clean", "rejects"):
            (folder / f"{name}.toml").write_text(
                head + f'\n[[tables]]\nid = "t"\npath = "{name}.csv"\nlevel = "gmina"\ncode = "kod"\n'
                'indicator = "population"\nyear = 2024\nvalue = "v"\n',
                "utf-8",
            )
        counter = iter(range(1000))

        def load(name: str) -> None:
            db = folder / f"s{next(counter)}.duckdb"
            shutil.copyfile(folder / "base.duckdb", db)
            result = load_workspace(read_workspace(folder / f"{name}.toml"), db)
            assert result.rejected == (n_rejects if name == "rejects" else 0), result.rejected

        load("clean")
        load("rejects")
        clean, rejected = [], []
        for _ in range(repeats):
            clean.append(_median_seconds(lambda: load("clean"), 1)[0])
            rejected.append(_median_seconds(lambda: load("rejects"), 1)[0])
    clean_s, rejected_s = statistics.median(clean), statistics.median(rejected)
    return {"clean_s": clean_s, "rejects_s": rejected_s, "ratio": rejected_s / clean_s}


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
    r = bench_rejects()
    print("\nTable load, all 2,477 gminy into a store that has them, median of 7 interleaved runs")
    print(f"  clean table:                                   {r['clean_s'] * 1000:8.1f} ms")
    print(f"  the same with 2,000 rows of unknown codes:     {r['rejects_s'] * 1000:8.1f} ms")
    verdict = "meets" if r["ratio"] <= 1.5 else "MISSES"
    print(f"  ratio {r['ratio']:.2f}x ({verdict} the target of at most 1.5x)")
    p = bench_report()
    print("\nDevelopment profile of one unit (demo, Kolonia Fabryczna against its 17 urban units), median of 3")
    print(f"  the figures alone (as the Compare page computes them): {p['figures_s'] * 1000:8.0f} ms")
    print(
        f"  the whole PDF (figures, SVG charts, Typst):            {p['pdf_s'] * 1000:8.0f} ms, {p['pdf_mb']:.2f} MB"
        f" ({'meets' if p['pdf_s'] <= 10 and p['pdf_mb'] < 2 else 'MISSES'} the target of 10 s and 2 MB)"
    )


def bench_report(repeats: int = 3) -> dict[str, float]:
    """The demo's development profile of one unit: the figures alone (what the Compare page computes) and the whole
    PDF (figures, charts, typesetting), median of ``repeats``; and the PDF's size."""
    import tempfile

    from etl.pipeline.load import load_workspace
    from etl.report import unit_report
    from etl.report.profile import build_profile
    from etl.store import connect
    from etl.tools.demo import demo_workspace_path
    from etl.workspace import read_workspace

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        load_workspace(read_workspace(demo_workspace_path()), db)
        con = connect(db, read_only=True)
        figures, _ = _median_seconds(lambda: build_profile(con, "9861011-05"), repeats)
        con.close()
        sizes: list[int] = []
        whole, _ = _median_seconds(lambda: sizes.append(len(unit_report(db, "9861011-05", lang="pl"))), repeats)
    return {"figures_s": figures, "pdf_s": whole, "pdf_mb": max(sizes) / 1e6}


if __name__ == "__main__":
    main()
