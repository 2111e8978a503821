from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from etl.cli import app
from tests.helpers import POPULATION_2024, write_workspace

runner = CliRunner()


@pytest.mark.parametrize("command", [[], ["load"], ["info"], ["rejects"], ["serve"], ["demo"]])
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_load_info_json_and_rejects(tmp_path):
    (tmp_path / "pop.csv").write_text("kod;ludnosc\n201011;100\n0201022;x\n", "cp1250")
    ws = write_workspace(tmp_path, POPULATION_2024)
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["load", str(ws), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "1 value rejected" in result.output and "ldatlas rejects" in result.output
    info = runner.invoke(app, ["info", "--db", str(db), "--json"])
    assert json.loads(info.output) == {
        "units": {"gmina": 4},
        "indicators": 3,
        "observations": 1,
        "proposals": 0,
        "areas": 0,
        "rejects": 1,
        "saved_groups": 0,
        "saved_areas": 0,
    }
    listed = runner.invoke(app, ["rejects", "--db", str(db), "--csv", str(tmp_path / "r.csv")])
    assert listed.exit_code == 0
    content = (tmp_path / "r.csv").read_text("utf-8-sig")
    assert content.splitlines()[0] == "source_id;file;row_number;column_name;reason;raw"
    assert "pop;pop.csv;3;ludnosc;'x' marks missing data, not a number" in content
    polish = runner.invoke(app, ["rejects", "--db", str(db), "--lang", "pl"])
    assert polish.exit_code == 0 and "oznacza" in polish.output  # the table may wrap the sentence
    runner.invoke(app, ["rejects", "--db", str(db), "--lang", "pl", "--csv", str(tmp_path / "pl.csv")])
    assert "„x” oznacza brak danych, nie liczbę" in (tmp_path / "pl.csv").read_text("utf-8-sig")
    lithuanian = runner.invoke(app, ["rejects", "--db", str(db), "--lang", "lt", "--csv", str(tmp_path / "lt.csv")])
    assert lithuanian.exit_code == 0
    assert "„x“ žymi trūkstamus duomenis" in (tmp_path / "lt.csv").read_text("utf-8-sig")
    assert runner.invoke(app, ["rejects", "--db", str(db), "--lang", "de"]).exit_code != 0
    again = runner.invoke(app, ["load", str(ws), "--db", str(db)])
    assert "up to date" in again.output


def test_errors_are_messages_with_a_non_zero_exit_not_tracebacks(tmp_path):
    result = runner.invoke(app, ["info", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "No store at" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["load", str(tmp_path / "nope.toml"), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 1 and "Workspace file not found" in result.output


def test_demo_builds_the_store_without_serving(tmp_path):
    db = tmp_path / "demo.duckdb"
    result = runner.invoke(app, ["demo", "--db", str(db), "--no-serve"])
    assert result.exit_code == 0, result.output
    info = json.loads(runner.invoke(app, ["info", "--db", str(db), "--json"]).output)
    assert info["units"] == {"voivodeship": 1, "powiat": 3, "gmina": 21, "urban_unit": 17}
    assert info["indicators"] >= 25 and info["rejects"] == 0
    assert info["proposals"] == 80 and info["areas"] == 4
