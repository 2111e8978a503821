from __future__ import annotations

import os
from pathlib import Path

import pytest

from etl import store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "atlas.duckdb"


@pytest.fixture
def ro():
    """Open a store read-only; closed after the test."""
    opened = []

    def _open(path: Path):
        con = store.connect(path, read_only=True)
        opened.append(con)
        return con

    yield _open
    for con in opened:
        con.close()


@pytest.fixture(autouse=True)
def _no_network_env(monkeypatch):
    # keep tests deterministic regardless of the caller's environment
    monkeypatch.delenv("LDATLAS_HOLD_BEFORE_SWAP", raising=False)
    monkeypatch.setenv("NO_PROXY", "*")
    yield


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
