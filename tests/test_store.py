from __future__ import annotations

import duckdb
import pytest

from etl import store
from etl.errors import StoreError


def test_migrations_are_recorded_and_applying_twice_is_a_no_op(db):
    con = store.connect(db)
    first = store.migrate(con)
    assert first == [m.version for m in store.ordered_migrations()]
    assert store.migrate(con) == []
    recorded = con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert recorded[0] == (1, "initial")
    assert len(recorded) == len(store.ordered_migrations())
    con.close()


def test_a_failing_migration_is_rolled_back(db, monkeypatch):
    bad = store.Migration(999, "broken", "CREATE TABLE half_done (x INTEGER); SELECT * FROM no_such_table;")
    monkeypatch.setattr(store.schema, "ordered_migrations", lambda: [bad])
    con = store.connect(db)
    with pytest.raises(duckdb.Error):
        store.migrate(con)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "half_done" not in tables
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == 0
    con.close()


def test_spatial_loads_from_the_packaged_file():
    path = store.spatial_extension_file()
    assert path.name == "spatial.duckdb_extension" and path.exists()
    con = duckdb.connect()
    con.execute(f"LOAD '{path}'")
    assert con.execute("SELECT ST_Area(ST_GeomFromText('POLYGON((0 0,2 0,2 2,0 2,0 0))'))").fetchone()[0] == 4.0


def test_connect_has_spatial():
    con = store.connect(None)
    assert con.execute("SELECT ST_AsText(ST_Point(16.5, 51.1))").fetchone()[0] == "POINT (16.5 51.1)"


def test_writing_swaps_in_only_on_success(db):
    store.ensure_store(db)
    before = db.read_bytes()
    with pytest.raises(RuntimeError), store.writing(db) as con:
        con.execute("INSERT INTO levels (level, rank, name_pl, name_en) VALUES ('gmina', 3, 'gmina', 'municipality')")
        raise RuntimeError("boom")
    assert db.read_bytes() == before
    assert not list(db.parent.glob(".*.tmp*"))
    with store.writing(db) as con:
        con.execute("INSERT INTO levels (level, rank, name_pl, name_en) VALUES ('gmina', 3, 'gmina', 'municipality')")
    assert db.read_bytes() != before


def test_reader_follows_a_swap_and_old_cursors_keep_their_snapshot(db):
    store.ensure_store(db)
    reader = store.StoreReader(db)
    old = reader.connection()
    assert old.execute("SELECT count(*) FROM levels").fetchone()[0] == 0
    with store.writing(db) as con:
        con.execute("INSERT INTO levels (level, rank, name_pl, name_en) VALUES ('gmina', 3, 'gmina', 'municipality')")
    assert reader.connection().execute("SELECT count(*) FROM levels").fetchone()[0] == 1
    assert old.execute("SELECT count(*) FROM levels").fetchone()[0] == 0
    reader.close()


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="ldatlas demo"):
        store.connect(tmp_path / "nothing.duckdb", read_only=True)


def test_an_older_store_is_brought_up_to_date_before_serving(tmp_path):
    db = tmp_path / "old.duckdb"
    store.ensure_store(db)
    with store.writing(db) as con:  # as an Atlas before migration 006 left it
        con.execute("DROP TABLE unit_groups")
        con.execute("DELETE FROM schema_migrations WHERE version = 6")
    con = store.connect(db, read_only=True, spatial=False)
    assert store.pending_migrations(con) == [6]
    con.close()
    store.ensure_store(db)
    con = store.connect(db, read_only=True, spatial=False)
    try:
        assert store.pending_migrations(con) == []
        assert con.execute("SELECT count(*) FROM unit_groups").fetchone() == (0,)
    finally:
        con.close()


def test_the_store_does_not_grow_over_forced_reloads(tmp_path):
    from etl.pipeline.load import load_workspace
    from etl.workspace import read_workspace
    from tests.helpers import POPULATION_2024, write_workspace

    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;100\n0201022;200\n", "utf-8")
    workspace = read_workspace(write_workspace(tmp_path, POPULATION_2024))
    db = tmp_path / "s.duckdb"
    sizes = []
    for _ in range(6):
        load_workspace(workspace, db, force=True)
        sizes.append(db.stat().st_size)
    assert max(sizes[1:]) <= 1.1 * sizes[0], sizes


def test_a_killed_runs_copy_is_removed_by_the_next_load_even_with_nothing_to_do(tmp_path):
    from etl.pipeline.load import load_workspace
    from etl.workspace import read_workspace
    from tests.helpers import POPULATION_2024, write_workspace

    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;100\n", "utf-8")
    workspace = read_workspace(write_workspace(tmp_path, POPULATION_2024))
    db = tmp_path / "s.duckdb"
    load_workspace(workspace, db)
    stale = [tmp_path / ".s.duckdb.999.1.tmp", tmp_path / ".s.duckdb.999.1.tmp.wal"]
    for path in stale:
        path.write_bytes(db.read_bytes())
    assert not load_workspace(workspace, db).changed  # nothing to do ...
    assert not any(p.exists() for p in stale)  # ... and the leftovers are gone
    stale[0].write_bytes(b"x")
    assert store.tidy(db) == [stale[0]] and not stale[0].exists()
