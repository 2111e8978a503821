"""``make bench``: indicator tables of 1 and 10 million rows loaded into a store, beside a bare DuckDB ``read_csv``.

The table is the long layout an analyst gets from GUS BDL or an office (code; indicator; year; value with a
decimal comma; flag), for all 2,477 gminy. Each load runs in a process of its own, so that its peak memory is its
own; the bare read is DuckDB reading the same file as text into a table, the least any loader must do.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from etl.tools.bench import _shared

YEARS = 30  # 1995-2024
SIZES = (1_000_000, 10_000_000)
TARGETS = {1_000_000: 10.0, 10_000_000: 90.0}  # seconds, from the issue
MEMORY_TARGET_MB = 2048
RATIO_TARGET = 5.0

_CHILD = """
import json, sys, time
from pathlib import Path
what, path, ws, db = sys.argv[1:5]
if what == "bare":
    import duckdb
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true, delim = ';', header = true)", [path])
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
else:  # the modules are imported before the clock starts, as DuckDB's are for the bare read
    from etl.pipeline.load import load_workspace
    from etl.workspace import read_workspace
    started = time.perf_counter()
    result = load_workspace(read_workspace(Path(ws)), Path(db))
    rows = sum(s.rows_loaded for s in result.sources if s.source_id == "big")
seconds = time.perf_counter() - started
# the peak of this process's own memory (VmHWM: ru_maxrss would carry the parent's size over the exec)
peak_mb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(json.dumps({"seconds": seconds, "rows": rows, "peak_mb": peak_mb}))
"""


def _workspace(folder: Path, indicators: int, with_table: bool) -> Path:
    gminy = _shared() / "pl_admin_zbychuk" / "gminy.geojson"
    text = '[workspace]\nname = "bench"\nlevels = ["gmina"]\n\n'
    for i in range(indicators):
        text += (
            f'[[indicators]]\nid = "w{i:03d}"\nname_pl = "Wskaźnik {i}"\nname_en = "Indicator {i}"\nunit = "%"\n'
            'domain = "social"\ndirection = "neutral"\n\n'
        )
    text += f'[[boundaries]]\nid = "gminy"\npath = "{gminy}"\nlevel = "gmina"\ncode = "id"\nname = "name"\n'
    if with_table:
        text += (
            '\n[[tables]]\nid = "big"\npath = "big.csv"\nlevel = "gmina"\ncode = "kod"\n'
            'indicator_column = "wskaznik"\nyear_column = "rok"\nvalue = "wartosc"\nflag_column = "flaga"\n'
        )
    path = folder / ("ws.toml" if with_table else "base.toml")
    path.write_text(text, "utf-8")
    return path


def _write_table(folder: Path, rows: int, indicators: int, store: Path) -> Path:
    """``rows`` distinct (gmina, indicator, year) values with a decimal comma, written by DuckDB."""
    path = folder / "big.csv"
    con = duckdb.connect(str(store), read_only=True)
    con.execute(
        f"""COPY (
            SELECT u.code AS kod, printf('w%03d', i) AS wskaznik, y AS rok,
                   replace(printf('%.2f', (hash(u.code, i, y) % 10000) / 100.0), '.', ',') AS wartosc,
                   CASE WHEN hash(u.code, y) % 50 = 0 THEN 'p' ELSE 'x' END AS flaga
            FROM units u, range({indicators}) t(i), range(1995, 1995 + {YEARS}) s(y)
            ORDER BY i, y, u.code LIMIT {rows}
        ) TO '{path}' (HEADER, DELIMITER ';')"""
    )
    con.close()
    return path


def _child(what: str, table: Path, ws: Path, db: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, what, str(table), str(ws), str(db)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_table(rows: int) -> dict[str, float]:
    """Bare read and full load of a ``rows``-row table, in fresh processes; the best of two runs of each."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        units = 2477
        indicators = math.ceil(rows / (units * YEARS))
        from etl.pipeline.load import load_workspace
        from etl.workspace import read_workspace

        base = folder / "base.duckdb"
        load_workspace(read_workspace(_workspace(folder, indicators, with_table=False)), base)
        started = time.perf_counter()
        table = _write_table(folder, rows, indicators, base)
        written = time.perf_counter() - started
        ws = _workspace(folder, indicators, with_table=True)
        bare, load = [], []
        for attempt in range(2):
            bare.append(_child("bare", table, ws, folder / "unused.duckdb"))
            db = folder / f"s{attempt}.duckdb"
            db.write_bytes(base.read_bytes())
            load.append(_child("load", table, ws, db))
        b = min(bare, key=lambda r: r["seconds"])
        a = min(load, key=lambda r: r["seconds"])
        if a["rows"] != rows:
            raise SystemExit(f"the load kept {a['rows']} of {rows} rows")
        return {
            "rows": rows,
            "file_mb": table.stat().st_size / 1e6 if table.exists() else 0.0,
            "written_s": written,
            "bare_s": b["seconds"],
            "bare_mb": b["peak_mb"],
            "load_s": a["seconds"],
            "load_mb": a["peak_mb"],
        }


def main() -> None:
    print("Indicator tables in bulk (long layout, all 2,477 gminy; each run in a fresh process, best of 2)")
    for rows in SIZES:
        r = bench_table(rows)
        ratio = r["load_s"] / r["bare_s"]
        ok = r["load_s"] <= TARGETS[rows] and r["load_mb"] <= MEMORY_TARGET_MB and ratio <= RATIO_TARGET
        print(f"  {rows:>10,} rows ({r['file_mb']:.0f} MB CSV)")
        print(f"    baseline: bare DuckDB read_csv into a table  {r['bare_s']:7.2f} s  peak {r['bare_mb']:6.0f} MB")
        print(
            f"    Atlas:    full load into a store            {r['load_s']:7.2f} s  peak {r['load_mb']:6.0f} MB"
            f"  ({rows / r['load_s']:,.0f} rows/s)"
        )
        print(
            f"    ratio {ratio:.1f}x; {'within' if ok else 'OUTSIDE'} the targets (≤ {TARGETS[rows]:.0f} s, "
            f"≤ {MEMORY_TARGET_MB} MB, ≤ {RATIO_TARGET:.0f}x)"
        )


if __name__ == "__main__":
    main()
