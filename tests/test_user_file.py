"""User content of a file store lives in a small file beside the loaded data: a save never copies the store, saves
and loads do not wait for each other, a load never loses what was saved, and a store that kept user content inside
(written by an earlier release) hands it over on its first save."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading

import pytest

from etl import store
from etl.errors import SourceError
from etl.store.areas import delete_area, save_area
from etl.store.groups import delete_group, save_group
from etl.store.user_content import LOCAL_USER
from etl.store.user_file import user_path
from etl.store.writing import saving, writing

A, B, C = "9861011-01", "9861011-02", "9861011-05"


@pytest.fixture
def db(hostile_demo_db, tmp_path):
    copy = tmp_path / "demo.duckdb"
    shutil.copy(hostile_demo_db, copy)
    return copy


def _state(path):
    """What identifies a file's contents and generation: inode, mtime, size and a digest of its bytes."""
    st = path.stat()
    return st.st_ino, st.st_mtime_ns, st.st_size, hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(db, sql, params=None):
    con = store.connect(db, read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_a_save_writes_the_user_file_and_never_the_store(db):
    before = _state(db)
    assert not user_path(db).exists()
    save_group(db, "para", "Para", [A, B])
    save_area(db, "lsr-x", "LSR X", "lsr", [A, C])
    assert _state(db) == before  # the loaded data was neither copied nor rewritten
    assert user_path(db).name == "demo-user.duckdb" and user_path(db).exists()
    assert user_path(db).stat().st_size < db.stat().st_size / 2
    assert _rows(db, "SELECT DISTINCT name FROM unit_groups WHERE group_id = 'para'") == [("Para",)]
    assert _rows(db, "SELECT kind FROM sources WHERE source_id = 'lsr-x'") == [("app:area",)]
    members = _rows(db, "SELECT unit_code FROM area_members WHERE area_id = 'lsr-x' ORDER BY 1")
    assert members == [(A,), (C,)]
    assert [r[0] for r in _rows(db, "SELECT action FROM audit ORDER BY happened_at")] == ["save", "save"]
    # the loaded areas and sources are still there beside the saved ones, once each
    loaded = _rows(db, "SELECT count(*), count(DISTINCT id) FROM areas")[0]
    assert loaded[0] == loaded[1] >= 2
    assert not list(db.parent.glob(".*.tmp*"))


def test_a_save_does_not_wait_for_a_load_and_the_load_keeps_it(db):
    """A load holds the store's writer lock from its start to its swap; a save in the middle goes through at once,
    and the store the load swaps in afterwards still shows it."""
    entered, release = threading.Event(), threading.Event()

    def load() -> None:
        with writing(db) as con:  # what `ldatlas load` does: a copy of the store, swapped in at the end
            entered.set()
            release.wait(30)
            con.execute("UPDATE workspace SET value = value || ' (reloaded)' WHERE key = 'name'")

    loader = threading.Thread(target=load)
    loader.start()
    assert entered.wait(30)
    try:
        assert save_group(db, "w-trakcie", "Saved during a load", [A, B]) == 1  # the old design waited, then failed
    finally:
        release.set()
        loader.join(30)
    assert _rows(db, "SELECT value LIKE '%(reloaded)' FROM workspace WHERE key = 'name'")[0][0]
    assert _rows(db, "SELECT count(*) FROM unit_groups WHERE group_id = 'w-trakcie'") == [(2,)]


def test_a_failing_save_leaves_the_user_file_as_it_was(db):
    save_group(db, "para", "Para", [A, B])
    before = _state(user_path(db))
    with pytest.raises(SourceError, match="No such units in the store: 0000000"):
        save_group(db, "zla", "Zła", [A, "0000000"])
    with pytest.raises(RuntimeError), saving(db) as con:
        con.execute("DELETE FROM unit_groups")
        raise RuntimeError("the page crashed mid-save")
    assert _state(user_path(db)) == before
    assert _rows(db, "SELECT count(*) FROM unit_groups") == [(2,)]
    assert not list(db.parent.glob(".*.tmp*"))


def test_a_reader_sees_a_save_at_once(db):
    reader = store.StoreReader(db)
    try:
        first = reader.generation
        assert reader.connection().execute("SELECT count(*) FROM unit_groups").fetchone() == (0,)
        save_group(db, "para", "Para", [A, B])
        assert reader.generation != first
        assert reader.connection().execute("SELECT count(*) FROM unit_groups").fetchone() == (2,)
        # and what the store counts for `ldatlas info` is unchanged by the views
        from etl.store.info import store_counts

        counts = store_counts(reader.connection())
        assert counts["observations"] > 1000 and counts["proposals"] > 0
    finally:
        reader.close()


def _legacy_store(db) -> None:
    """A store as an earlier release left it: a group, a saved area and their history inside the store."""
    with writing(db) as con:
        con.execute(f"INSERT INTO unit_groups VALUES ('stara', 'Stara grupa', 'gmina', '{A}', now())")
        con.execute(f"INSERT INTO unit_groups VALUES ('stara', 'Stara grupa', 'gmina', '{B}', now())")
        con.execute(
            "INSERT INTO saved_versions VALUES ('group', 'stara', 1, now(), 'ewa', ?)",
            [json.dumps({"name": "Stara grupa", "members": [A, B], "level": "gmina"})],
        )
        con.execute("INSERT INTO audit VALUES (now(), 'ewa', 'save', 'group', 'stara', 1, '{}')")
        con.execute(
            "INSERT INTO areas SELECT 'lsr-stara', 'Stary obszar', 'lsr', NULL, NULL, 'gmina', geom, 'lsr-stara' "
            f"FROM units WHERE code = '{A}'"
        )
        con.execute(f"INSERT INTO area_members VALUES ('lsr-stara', '{A}', 1.0)")
        con.execute(
            "INSERT INTO sources (source_id, kind, path, checksum, run_id, loaded_at, rows_read, rows_loaded,"
            " rows_rejected, rows_skipped) VALUES ('lsr-stara', 'app:area', 'dashboard', 'x', 1, now(), 1, 1, 0, 0)"
        )


def test_user_content_an_older_store_kept_inside_moves_out_on_the_first_save(db):
    _legacy_store(db)
    assert _rows(db, "SELECT count(*) FROM unit_groups WHERE group_id = 'stara'") == [(2,)]  # read as before
    save_group(db, "nowa", "Nowa", [A, C])
    groups = _rows(db, "SELECT group_id, count(*) FROM unit_groups GROUP BY 1 ORDER BY 1")
    assert groups == [("nowa", 2), ("stara", 2)]  # each once: the copy left in the store is not shown again
    assert _rows(db, "SELECT count(*) FROM areas WHERE id = 'lsr-stara'") == [(1,)]
    assert _rows(db, "SELECT count(*) FROM audit") == [(2,)]
    # deleting what the old store held really deletes it (its stale copy in the store stays hidden)
    delete_group(db, "stara", who=LOCAL_USER)
    delete_area(db, "lsr-stara", who=LOCAL_USER)
    assert _rows(db, "SELECT count(*) FROM unit_groups WHERE group_id = 'stara'") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM areas WHERE id = 'lsr-stara'") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM sources WHERE source_id = 'lsr-stara'") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM area_members WHERE area_id = 'lsr-stara'") == [(0,)]


def test_a_saved_area_cannot_take_a_loaded_areas_id(db):
    loaded = _rows(db, "SELECT id FROM areas ORDER BY id LIMIT 1")[0][0]
    with pytest.raises(SourceError, match=loaded):
        save_area(db, loaded, "Mine", "lsr", [A])
    assert not _rows(db, "SELECT 1 FROM audit")


def test_tidy_removes_a_killed_saves_copy(db):
    save_group(db, "para", "Para", [A, B])
    stray = user_path(db).with_name(f".{user_path(db).name}.999.1.tmp")
    stray.write_bytes(b"half a save")
    assert stray in store.tidy(db)
    assert not stray.exists() and user_path(db).exists()


def test_a_user_file_from_before_a_migration_gets_the_new_columns(db):
    import duckdb

    save_area(db, "lsr-x", "LSR X", "lsr", [A])
    con = duckdb.connect(str(user_path(db)))
    con.execute("ALTER TABLE sources DROP COLUMN provenance")  # as if written before migration 003
    con.execute("DROP TABLE user_schema")
    con.close()
    save_area(db, "lsr-y", "LSR Y", "lsr", [B])
    rows = _rows(db, "SELECT source_id, provenance IS NULL FROM sources WHERE kind = 'app:area' ORDER BY 1")
    assert rows == [("lsr-x", True), ("lsr-y", False)]


def test_info_counts_what_users_saved_and_says_where_it_is(db):
    from typer.testing import CliRunner

    from etl.cli import app

    save_group(db, "para", "Para", [A, B])
    save_area(db, "lsr-x", "LSR X", "lsr", [A, C])
    runner = CliRunner()
    counts = json.loads(runner.invoke(app, ["info", "--db", str(db), "--json"]).output)
    assert counts["saved_groups"] == 1 and counts["saved_areas"] == 1
    shown = runner.invoke(app, ["info", "--db", str(db)], env={"LDATLAS_LANG": "pl"}).output
    assert "grupy porównawcze zapisane w panelu: 1" in shown and "obszary zapisane w panelu: 1" in shown
    assert "demo-user.duckdb" in " ".join(shown.split()).replace(" ", "")
