"""The store on DuckLake over PostgreSQL: loads are transactions, a killed load leaves the previous snapshot
current, migrations run on both backends, readers follow new snapshots or stay on a pinned one."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from etl import store
from etl.errors import StoreError
from etl.pipeline.load import load_workspace
from etl.store.info import store_counts
from etl.store.lake import latest_snapshot, resolve_version, snapshots
from etl.store.schema import ordered_migrations, pending_migrations
from etl.workspace import read_workspace
from tests.helpers import POPULATION_BY_YEAR as TABLE
from tests.helpers import write_workspace
from tests.test_safety import _cli, _csv  # the same table and command line as the file store's safety tests

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # each test starts from a fresh catalog on the session's PostgreSQL


def _count(where, sql: str = "SELECT count(*) FROM observations") -> int:
    con = store.connect(where, read_only=True)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def test_migrations_run_on_a_new_lake_and_on_a_file(lake, db):
    assert not store.exists(lake)
    store.ensure_store(lake)
    store.ensure_store(db)
    assert store.exists(lake)
    for where in (lake, db):
        con = store.connect(where, read_only=True)
        assert pending_migrations(con) == []
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
        assert versions == [m.version for m in ordered_migrations()]
        tables = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            ).fetchall()
        }
        assert {"units", "observations", "audit", "saved_versions", "runs"} <= tables
        con.close()


def test_a_new_lake_without_a_data_path_is_refused_with_a_message(pg):
    pg.drop_database("nodata")
    pg.create_database("nodata")
    with pytest.raises(StoreError, match="DuckLake"):
        store.ensure_store(store.Store(pg.target("nodata")))


def test_the_demo_loads_into_a_lake_with_the_same_numbers_as_a_file(lake, db):
    from etl.tools.demo import demo_workspace_path

    ws = read_workspace(demo_workspace_path())
    load_workspace(ws, lake, tag="demo")
    load_workspace(ws, db)
    file_con = store.connect(db, read_only=True)
    lake_con = store.connect(lake, read_only=True)
    try:
        assert store_counts(lake_con) == store_counts(file_con)
        check = "SELECT round(sum(value), 6), count(DISTINCT indicator_id) FROM observations WHERE value IS NOT NULL"
        assert lake_con.execute(check).fetchone() == file_con.execute(check).fetchone()
        area = "SELECT id, round(ST_Area(geom), 9) FROM areas ORDER BY id"
        assert lake_con.execute(area).fetchall() == file_con.execute(area).fetchall()
        last = snapshots(lake_con)[-1]
        assert last["tag"] == "demo" and last["run_id"] == 1 and last["author"] == "ldatlas"
    finally:
        file_con.close()
        lake_con.close()
    # loading again with nothing changed makes no new snapshot
    before = _latest(lake)
    assert not load_workspace(ws, lake).changed
    assert _latest(lake) == before


def _latest(where) -> int:
    con = store.connect(where, read_only=True)
    try:
        return latest_snapshot(con)
    finally:
        con.close()


def test_a_failing_load_leaves_the_previous_snapshot_current(tmp_path, lake):
    _csv(tmp_path / "pop.csv", range(2020, 2022), 1000)
    ws = write_workspace(tmp_path, TABLE)
    load_workspace(read_workspace(ws), lake)
    before, rows = _latest(lake), _count(lake)
    (tmp_path / "pop.csv").write_text("kod;rok;ludnosc\n9999999;2020;1\n", "utf-8")  # nothing loadable
    with pytest.raises(Exception, match="pop"):
        load_workspace(read_workspace(ws), lake)
    assert _latest(lake) == before
    assert _count(lake) == rows == 8


def test_sigkill_halfway_leaves_the_previous_snapshot_current(tmp_path, lake):
    _csv(tmp_path / "pop.csv", range(2020, 2022), 1000)
    ws = write_workspace(tmp_path, TABLE)
    args = ("--db", lake.target, "--data-path", str(lake.data_path))
    first = _cli("load", str(ws), *args)
    assert first.wait(120) == 0, first.stderr.read()
    before = _latest(lake)

    _csv(tmp_path / "pop.csv", range(2010, 2025), 5000)
    proc = _cli("load", str(ws), *args, env={"LDATLAS_HOLD_BEFORE_SWAP": "60"})
    deadline = time.monotonic() + 120
    assert proc.stdout is not None
    for line in proc.stdout:  # the whole run is written, only the commit is left
        if "LDATLAS-HOLDING" in line or time.monotonic() > deadline:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert _latest(lake) == before
    assert _count(lake) == 8
    assert _count(lake, "SELECT count(*) FROM runs") == 1

    again = _cli("load", str(ws), *args, "--tag", "Raport 2025")
    assert again.wait(120) == 0, again.stderr.read()
    assert _count(lake) == 60
    assert _count(lake, "SELECT count(*) FROM runs WHERE tag = 'Raport 2025'") == 1


def test_a_reader_follows_new_snapshots_and_a_pinned_one_keeps_its_numbers(tmp_path, lake, monkeypatch):
    from etl.store import reader as reader_module

    monkeypatch.setattr(reader_module, "LAKE_POLL_S", 0.0)
    _csv(tmp_path / "pop.csv", range(2020, 2022), 1000)
    ws = write_workspace(tmp_path, TABLE)
    load_workspace(read_workspace(ws), lake, tag="first")
    live = store.StoreReader(lake)
    first = live.generation
    total = "SELECT sum(value) FROM observations"
    old_total = live.connection().execute(total).fetchone()[0]

    _csv(tmp_path / "pop.csv", range(2020, 2023), 2000)
    load_workspace(read_workspace(ws), lake)  # another "process": a separate connection commits
    assert live.generation != first
    assert live.connection().execute(total).fetchone()[0] != old_total

    con = live.connection()
    pinned_at = resolve_version(con, "first")
    assert pinned_at == first[1]
    assert resolve_version(con, str(first[1])) == first[1]
    assert resolve_version(con, "no such tag") is None and resolve_version(con, "99999") is None
    pinned = store.StoreReader(lake, snapshot=pinned_at)
    assert pinned.connection().execute(total).fetchone()[0] == old_total
    assert pinned.generation == ("lake", pinned_at)
    live.close()
    pinned.close()


def test_a_lake_password_never_reaches_messages():
    where = store.locate("ducklake:postgres:dbname=a host=127.0.0.1 port=1 user=u password=secret")
    assert "secret" not in str(where) and "secret" not in where.name
    with pytest.raises(StoreError) as caught:
        store.connect(where, read_only=True)
    assert "secret" not in str(caught.value)


def _digest(where) -> dict[str, tuple]:
    """Every table's row count and a digest of its rows (geometry as WKB hex), for comparing two stores: the tables
    of the store (attached as ``atlas``) as a reader sees them, a file store's user file included."""
    con = store.connect(where, read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'atlas' "
                "AND table_name <> 'schema_migrations' ORDER BY 1"
            ).fetchall()
        ]
        out = {}
        for table in tables:
            geometry = {
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE database_name = 'atlas' "
                    "AND table_name = ? AND data_type = 'GEOMETRY'",
                    [table],
                ).fetchall()
            }
            columns = [
                f"hex(ST_AsWKB({c}))" if c in geometry else f"{c}::VARCHAR"
                for (c,) in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE database_name = 'atlas' "
                    "AND table_name = ? ORDER BY column_index",
                    [table],
                ).fetchall()
            ]
            row = " || '|' || ".join(f"coalesce({c}, '∅')" for c in columns)
            out[table] = con.execute(
                f"SELECT count(*), md5(string_agg({row}, chr(10) ORDER BY {row})) FROM {table}"
            ).fetchone()
        return out
    finally:
        con.close()


def test_migrate_store_moves_the_demo_into_a_lake_and_back_unchanged(tmp_path, lake):
    from etl.store.groups import save_group
    from etl.store.user_content import LOCAL_USER
    from etl.tools.demo import demo_workspace_path

    original = tmp_path / "demo.duckdb"
    load_workspace(read_workspace(demo_workspace_path()), original)
    save_group(original, "moje", "Moje gminy", ["9861011", "9802012"], who=LOCAL_USER)
    there = _cli("migrate-store", "--db", str(original), "--to", lake.target, "--to-data-path", str(lake.data_path))
    assert there.wait(180) == 0, there.stderr.read()
    back_file = tmp_path / "back.duckdb"
    back = _cli("migrate-store", "--db", lake.target, "--to", str(back_file))
    assert back.wait(180) == 0, back.stderr.read()
    expected = _digest(original)
    assert expected["unit_groups"][0] == 2 and expected["audit"][0] == 1 and expected["observations"][0] > 10_000
    assert _digest(lake) == expected
    assert _digest(back_file) == expected
    # a store is never overwritten
    again = _cli("migrate-store", "--db", str(original), "--to", str(back_file))
    assert again.wait(60) == 1
    assert "already a store" in again.stderr.read()


def test_versions_lists_what_each_snapshot_changed_and_maintain_keeps_tagged_ones(tmp_path, lake):
    _csv(tmp_path / "pop.csv", range(2020, 2022), 1000)
    ws = write_workspace(tmp_path, TABLE)
    load_workspace(read_workspace(ws), lake, tag="Raport 2025")
    tagged = _latest(lake)
    old_total = _count(lake, "SELECT sum(value) FROM observations")
    for base in (2000, 3000):
        _csv(tmp_path / "pop.csv", range(2020, 2023), base)
        load_workspace(read_workspace(ws), lake)
    listed = _cli("versions", "--db", lake.target)
    out, _ = listed.communicate(timeout=60)
    assert listed.returncode == 0
    assert "Raport 2025" in out and "pop (8)" in out and "pop (12)" in out and "(current)" in out

    maintained = _cli("maintain", "--db", lake.target, "--keep-days", "0")
    out, errors = maintained.communicate(timeout=120)
    assert maintained.returncode == 0, errors
    con = store.connect(lake, read_only=True)
    kept = {s["snapshot"]: s for s in snapshots(con)}
    con.close()
    assert tagged in kept and kept[tagged]["tag"] == "Raport 2025"
    assert len(kept) <= 4  # the tagged one, the newest load, and maintenance's own snapshots
    pinned = store.StoreReader(lake, snapshot=tagged)
    assert pinned.connection().execute("SELECT sum(value) FROM observations").fetchone()[0] == old_total
    pinned.close()


def test_the_file_store_says_what_needs_a_lake(tmp_path, db):
    _csv(tmp_path / "pop.csv", range(2020, 2022), 1000)
    ws = write_workspace(tmp_path, TABLE)
    load_workspace(read_workspace(ws), db, tag="Raport 2025")
    listed = _cli("versions", "--db", str(db))
    out, _ = listed.communicate(timeout=60)
    assert listed.returncode == 0 and "Raport 2025" in out and "need a DuckLake" in " ".join(out.split())
    maintained = _cli("maintain", "--db", str(db))
    _, errors = maintained.communicate(timeout=60)
    assert maintained.returncode == 1 and "DuckLake" in errors


def test_two_writers_changing_the_same_rows_at_once_one_is_refused_whole(lake):
    import threading

    store.ensure_store(lake)
    with store.writing(lake) as con:
        con.execute("INSERT INTO workspace VALUES ('title', 'first')")
    both_inside = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def write(i: int) -> None:
        try:
            with store.writing(lake) as con:
                con.execute("DELETE FROM workspace WHERE key = 'title'")
                con.execute("INSERT INTO workspace VALUES ('title', ?)", [f"writer {i}"])
                con.execute("INSERT INTO workspace VALUES (?, 'x')", [f"extra {i}"])
                both_inside.wait(30)
            outcomes[i] = "ok"
        except StoreError as exc:
            outcomes[i] = str(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes.values())[-1] == "ok"
    refused = [i for i, text in outcomes.items() if text != "ok"]
    assert len(refused) == 1 and "Another writer changed the same data" in outcomes[refused[0]]
    winner = 3 - refused[0]
    con = store.connect(lake, read_only=True)
    rows = dict(con.execute("SELECT key, value FROM workspace").fetchall())
    con.close()
    assert rows == {"title": f"writer {winner}", f"extra {winner}": "x"}  # nothing of the refused one


def _notice(db: str, as_of: str | None):
    from streamlit.testing.v1 import AppTest

    from tests.helpers import version_notice_script

    at = AppTest.from_function(version_notice_script, args=(db,), default_timeout=60)
    if as_of is not None:
        at.query_params["as_of"] = as_of
    at.run()
    assert not at.exception
    return at


def test_the_page_says_which_data_version_it_shows(tmp_path, lake, db):
    from dashboard.text import unescaped

    _csv(tmp_path / "pop.csv", range(2020, 2022), 1000)
    ws = write_workspace(tmp_path, TABLE)
    load_workspace(read_workspace(ws), lake, tag="Raport 2025")
    tagged = _latest(lake)
    _csv(tmp_path / "pop.csv", range(2020, 2023), 2000)
    load_workspace(read_workspace(ws), lake)
    newest = _latest(lake)

    latest = _notice(lake.target, None)
    assert f"Data version {newest} ·" in latest.sidebar.caption[0].value
    assert [b.label for b in latest.sidebar.button] == ["Fix this data version in the link"]
    latest.sidebar.button[0].click().run()
    assert latest.query_params["as_of"] in (str(newest), [str(newest)])

    for wanted in (str(tagged), "Raport 2025"):
        pinned = _notice(lake.target, wanted)
        text = pinned.info[0].value
        assert f"(version {tagged})" in text and "Newer data exists." in text
        assert pinned.button[0].label == "Show the newest data"
        pinned.button[0].click().run()
        assert "as_of" not in pinned.query_params and not pinned.info

    hostile = "![x](http://127.0.0.1:9/x.png)"
    unknown = _notice(lake.target, hostile)
    assert "does not exist" in unknown.warning[0].value
    assert hostile in unescaped(unknown.warning[0].value)  # shown as text, not as an image
    assert "![x](" not in unknown.warning[0].value

    store.ensure_store(db)
    on_file = _notice(str(db), str(tagged))
    assert "needs a DuckLake store" in on_file.info[0].value


def test_a_lake_with_its_files_in_s3_compatible_object_storage(tmp_path, pg, monkeypatch):
    """The data path is an s3:// bucket (an S3 server on 127.0.0.1, moto's), credentials from the environment."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        for key, value in {
            "AWS_ACCESS_KEY_ID": "atlas",
            "AWS_SECRET_ACCESS_KEY": "atlas-secret",
            "AWS_REGION": "eu-central-1",
            "AWS_ENDPOINT_URL": f"http://{host}:{port}",
        }.items():
            monkeypatch.setenv(key, value)
        bucket = boto3.client("s3")
        bucket.create_bucket(Bucket="atlas", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        pg.drop_database("in_s3")
        lake = pg.lake("in_s3", "s3://atlas/lake")
        _csv(tmp_path / "pop.csv", range(2020, 2023), 1000)
        ws = write_workspace(tmp_path, TABLE)
        load_workspace(read_workspace(ws), lake)
        # a second process, the store named without a data path: the catalog knows where the files are
        assert _count(store.Store(lake.target)) == 12
        keys = [o["Key"] for o in bucket.list_objects_v2(Bucket="atlas", Prefix="lake/").get("Contents", [])]
        assert any(k.endswith(".parquet") for k in keys), keys
        assert not list(tmp_path.rglob("*.parquet"))  # nothing written locally
    finally:
        server.stop()
