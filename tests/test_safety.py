"""All or nothing: a load killed with SIGKILL leaves the store as it was; readers never see half a load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from etl import store
from tests.helpers import POPULATION_BY_YEAR as TABLE
from tests.helpers import write_workspace

ROOT = Path(__file__).resolve().parent.parent


def _csv(path: Path, years: range, base: int) -> None:
    lines = ["kod;rok;ludnosc"]
    for year in years:
        for code in ("0201011", "0201022", "0201032", "0201043"):
            lines.append(f"{code};{year};{base + year}")
    path.write_text("\n".join(lines) + "\n", "utf-8")


def _cli(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "etl.cli", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_sigkill_halfway_leaves_the_store_as_it_was(tmp_path, db, ro):
    _csv(tmp_path / "pop.csv", range(2020, 2022), 1000)
    ws = write_workspace(tmp_path, TABLE)
    first = _cli("load", str(ws), "--db", str(db))
    assert first.wait(120) == 0, first.stderr.read()
    before = db.read_bytes()

    _csv(tmp_path / "pop.csv", range(2010, 2025), 5000)
    proc = _cli("load", str(ws), "--db", str(db), env={"LDATLAS_HOLD_BEFORE_SWAP": "60"})
    # wait until the new store is fully written beside the old one, then kill the loader
    deadline = time.monotonic() + 120
    for line in proc.stdout:
        if "LDATLAS-HOLDING" in line or time.monotonic() > deadline:
            break
    assert list(tmp_path.glob(".atlas.duckdb.*.tmp")), "the loader should be holding a finished copy"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert db.read_bytes() == before
    con = ro(db)
    assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == 8
    con.close()

    # the next load cleans up after the dead one and succeeds
    again = _cli("load", str(ws), "--db", str(db))
    assert again.wait(120) == 0, again.stderr.read()
    assert not list(tmp_path.glob(".atlas.duckdb.*.tmp"))
    assert ro(db).execute("SELECT count(*) FROM observations").fetchone()[0] == 60


@pytest.mark.slow
def test_readers_keep_reading_during_loads_and_see_the_new_data(tmp_path, db):
    _csv(tmp_path / "pop.csv", range(2020, 2021), 0)
    ws = write_workspace(tmp_path, TABLE)
    assert _cli("load", str(ws), "--db", str(db)).wait(120) == 0
    reader = store.StoreReader(db)
    seen: set[int] = set()
    errors: list[Exception] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                con = reader.connection()
                n = con.execute("SELECT count(*) FROM observations").fetchone()[0]
                total = con.execute(
                    "SELECT count(*) FROM observations o JOIN units u ON u.code = o.unit_code"
                ).fetchone()[0]
                assert n == total
                seen.add(n)
            except Exception as exc:  # any lock or consistency error fails the test
                errors.append(exc)
            time.sleep(0.005)

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    expected = {4}
    for last in (2022, 2024, 2026):
        _csv(tmp_path / "pop.csv", range(2020, last), 0)
        proc = _cli("load", str(ws), "--db", str(db))
        assert proc.wait(120) == 0, proc.stderr.read()
        expected.add(4 * (last - 2020))
        time.sleep(0.3)
    stop.set()
    for thread in threads:
        thread.join()
    reader.close()
    assert not errors, errors[:3]
    assert seen <= expected  # only whole states, never a half-written one
    assert 24 in seen  # the newest data is seen without reopening anything by hand
