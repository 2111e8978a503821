from __future__ import annotations

import pytest

from etl.errors import SourceError, WorkspaceError
from etl.pipeline.load import load_workspace
from etl.workspace import read_workspace
from tests.helpers import POPULATION_2024 as TABLE
from tests.helpers import write_workspace


def _load(path, db):
    return load_workspace(read_workspace(path), db)


def test_rerun_with_unchanged_files_leaves_the_store_byte_identical(tmp_path, db):
    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;100\n0201022;200\n", "utf-8")
    ws = write_workspace(tmp_path, TABLE)
    first = _load(ws, db)
    assert first.changed
    before = db.read_bytes()
    again = _load(ws, db)
    assert not again.changed and {s.action for s in again.sources} == {"unchanged"}
    assert db.read_bytes() == before


def test_a_changed_file_replaces_only_its_own_rows(tmp_path, db, ro):
    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;100\n0201022;200\n", "utf-8")
    (tmp_path / "pm.csv").write_text("kod;pm10\n0201011;30\n", "utf-8")
    ws = write_workspace(
        tmp_path,
        TABLE
        + """
[[tables]]
id = "pm"
path = "pm.csv"
level = "gmina"
code = "kod"
indicator = "pm10"
year = 2024
value = "pm10"
""",
    )
    _load(ws, db)
    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;150\n", "utf-8")
    result = _load(ws, db)
    actions = {s.source_id: s.action for s in result.sources}
    assert actions == {"gminy": "unchanged", "pop": "loaded", "pm": "unchanged"}
    con = ro(db)
    rows = con.execute("SELECT unit_code, indicator_id, value FROM observations ORDER BY 2, 1").fetchall()
    assert rows == [("0201011", "pm10", 30.0), ("0201011", "population", 150.0)]
    runs = con.execute("SELECT run_id, status FROM runs ORDER BY run_id").fetchall()
    assert runs == [(1, "ok"), (2, "ok")]
    history = con.execute("SELECT source_id, action FROM run_sources WHERE run_id = 2 ORDER BY 1").fetchall()
    assert history == [("gminy", "unchanged"), ("pm", "unchanged"), ("pop", "loaded")]
    checksum = con.execute("SELECT checksum, rows_read, rows_loaded FROM sources WHERE source_id = 'pop'").fetchone()
    assert len(checksum[0]) == 64 and checksum[1:] == (1, 1)


@pytest.mark.parametrize("breakage", ["unreadable", "missing_column", "exception"])
def test_a_failing_run_leaves_the_store_exactly_as_it_was(tmp_path, db, monkeypatch, breakage):
    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;100\n", "utf-8")
    ws = write_workspace(tmp_path, TABLE)
    _load(ws, db)
    before = db.read_bytes()
    # the new version of the file adds a row, but the run breaks
    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;100\n0201022;5\n", "utf-8")
    (tmp_path / "gminy.geojson").write_text((tmp_path / "gminy.geojson").read_text().replace("Łódź", "Lodz"))
    if breakage == "unreadable":
        (tmp_path / "pop.csv").write_bytes(b"\xff\xfe\x00 not text \x81\x8d")
        expected: type[Exception] = SourceError
    elif breakage == "missing_column":
        (tmp_path / "pop.csv").write_text("kod;mieszkancy\n0201011;100\n", "utf-8")
        expected = SourceError
    else:
        import etl.pipeline.load

        def explode(*args, **kwargs):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(etl.pipeline.load, "load_table", explode)
        expected = RuntimeError
    with pytest.raises(expected):
        _load(ws, db)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp*"))


def test_a_source_removed_from_the_workspace_is_removed_from_the_store(tmp_path, db, ro):
    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;100\n", "utf-8")
    _load(write_workspace(tmp_path, TABLE), db)
    _load(write_workspace(tmp_path, ""), db)
    con = ro(db)
    assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == 0
    assert con.execute("SELECT source_id FROM sources ORDER BY 1").fetchall() == [("gminy",), ("workspace",)]


def test_workspace_problems_are_all_reported_at_once(tmp_path):
    path = tmp_path / "ws.toml"
    path.write_text(
        """
[workspace]
language = "de"

[[indicators]]
id = "x"
name_pl = "X"
domain = "economy"

[[tables]]
id = "t"
path = "missing.csv"
level = "osiedle"
code = "kod"
layout = "diagonal"
""",
        "utf-8",
    )
    with pytest.raises(WorkspaceError) as info:
        read_workspace(path)
    message = str(info.value)
    for fragment in (
        "[workspace]: `name` is missing (line 2)",
        "`language`: must be one of 'pl', 'en', 'lt'",
        "`name_en` is missing",
        "(got 'economy') (line 8)",
        "level 'osiedle' is not in",
        "(got 'diagonal') (line 15)",
    ):
        assert fragment in message
