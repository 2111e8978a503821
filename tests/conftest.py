from __future__ import annotations

import os
from pathlib import Path

import pytest

from etl import settings, store

# The CLI speaks the system locale's language: the tests read its English unless a test asks for another.
os.environ["LDATLAS_LANG"] = "en"


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
    # retries wait milliseconds, not seconds (the timing is a setting; tests/test_http.py checks the real one)
    monkeypatch.setattr(settings, "retry_backoff_s", 0.01)
    monkeypatch.setattr(settings, "retry_max_wait_s", 0.05)
    yield


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def hostile_demo_db(tmp_path_factory) -> Path:
    """The demo workspace plus one proposal titled with HTML, loaded once (read-only for the tests using it)."""
    from etl.pipeline.load import load_workspace
    from etl.workspace import read_workspace
    from tests.helpers import demo_with_hostile_proposal

    root = tmp_path_factory.mktemp("hostile-demo")
    db = root / "demo.duckdb"
    load_workspace(read_workspace(demo_with_hostile_proposal(root / "ws")), db)
    return db


@pytest.fixture(scope="session")
def pg():
    """A PostgreSQL server on 127.0.0.1 (Debian's postgresql), started for the session: DuckLake's catalog."""
    from etl.tools.postgres_cluster import PostgresCluster

    with PostgresCluster() as cluster:
        yield cluster


@pytest.fixture
def lake(pg, tmp_path, request):
    """A fresh DuckLake store: its own catalog database on the session's server, its files under tmp_path."""
    import re

    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:50]
    pg.drop_database(name)
    return pg.lake(name, tmp_path / "lake-files")
