"""The command line and the library's errors in Polish, English and Lithuanian: the language of LDATLAS_LANG or
of the system locale, plural forms, nested messages, levels by their names; the English text unchanged for logs."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from etl import store
from etl.cli import app
from etl.errors import SourceError
from etl.store.rejects import names_in
from etl.texts import cli_language, say
from etl.workspace import read_workspace
from indicators.composite import group_members
from indicators.errors import RuleError
from indicators.translation import said
from tests.helpers import POPULATION_2024, write_workspace

runner = CliRunner()

#: Words of the English messages that must not appear in a Polish or Lithuanian one.
ENGLISH = re.compile(r"\b(the|is|has|unknown|missing|rows?|values?|rejected|problems?|section|Error)\b")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LDATLAS_LANG": "lt"}, "lt"),
        ({"LDATLAS_LANG": "", "LANG": "pl_PL.UTF-8"}, "pl"),
        ({"LDATLAS_LANG": "", "LC_ALL": "lt_LT.UTF-8", "LANG": "pl_PL.UTF-8"}, "lt"),
        ({"LDATLAS_LANG": "", "LC_ALL": "C.UTF-8", "LANG": "pl_PL.UTF-8"}, "en"),
        ({"LDATLAS_LANG": "de", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LDATLAS_LANG": ""}, "en"),
    ],
)
def test_the_cli_speaks_the_language_of_ldatlas_lang_or_the_system_locale(monkeypatch, env, expected):
    for name in ("LDATLAS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cli_language() == expected


BROKEN = """
[workspce]
name = "x"

[[tables]]
id = "t"
path = "p.csv"
level = "gmina"
code = "kod"
indicator = "population"
year = "dwa"
"""


@pytest.mark.parametrize(
    ("lang", "heading", "words"),
    [
        (
            "pl",
            "ws.toml ma 4 problemy:",
            ["nieznana sekcja", "czy chodziło o [workspace]?", "musi być liczbą całkowitą"],
        ),
        ("lt", "ws.toml turi 4 problemas:", ["nežinoma sekcija", "gal turėjote omenyje [workspace]?", "sveikasis"]),
        ("en", "ws.toml has 4 problems:", ["unknown section", "did you mean [workspace]?", "must be a whole number"]),
    ],
)
def test_a_broken_workspace_is_explained_in_the_cli_language(tmp_path, monkeypatch, lang, heading, words):
    (tmp_path / "p.csv").write_text("kod;v\n0201011;1\n", "utf-8")
    (tmp_path / "ws.toml").write_text(BROKEN, "utf-8")
    monkeypatch.setenv("LDATLAS_LANG", lang)
    result = runner.invoke(app, ["load", str(tmp_path / "ws.toml"), "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1
    flat = " ".join(result.output.split())
    assert {"pl": "Błąd:", "lt": "Klaida:", "en": "Error:"}[lang] in flat
    assert heading in flat and all(w in flat for w in words), flat
    if lang != "en":
        assert not ENGLISH.search(flat), flat
    assert not (tmp_path / "s.duckdb").exists()


def test_a_load_summary_in_polish_with_plural_forms(tmp_path, monkeypatch):
    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;1200\n0201022;x\n0201033;y\n", "utf-8")
    ws = write_workspace(tmp_path, POPULATION_2024)
    monkeypatch.setenv("LDATLAS_LANG", "pl")
    monkeypatch.setenv("COLUMNS", "140")
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["load", str(ws), "--db", str(db)])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "2 wartości odrzucone." in flat and "ldatlas rejects" in flat, flat
    assert all(h in flat for h in ("źródło", "rodzaj", "wczytane", "odrzucone", "granice", "tabela")), flat
    assert not re.search(r"(?<!--)\b(source|kind|loaded|rejected|boundaries|table|value\(s\))\b", flat), flat
    # the reasons follow the same language by default; the CSV's headings too
    listed = runner.invoke(app, ["rejects", "--db", str(db), "--csv", str(tmp_path / "r.csv")])
    assert listed.exit_code == 0 and "2 odrzucone wiersze zapisane" in " ".join(listed.output.split())
    head, *rows = (tmp_path / "r.csv").read_text("utf-8-sig").splitlines()
    assert head == "źródło;plik;wiersz;kolumna;powód;surowy wiersz"
    assert "oznacza brak danych" in rows[0] and "nieznana jednostka 0201033" in rows[1], rows
    info = runner.invoke(app, ["info", "--db", str(db)])
    assert "jednostki · gminy: 4" in " ".join(info.output.split()) or "jednostki · gmina" in info.output


def test_an_analysis_error_is_said_in_the_readers_language_with_level_names(tmp_path):
    (tmp_path / "pop.csv").write_text("kod;ludnosc\n0201011;100\n", "utf-8")
    ws = write_workspace(tmp_path, POPULATION_2024)
    db = tmp_path / "s.duckdb"
    assert runner.invoke(app, ["load", str(ws), "--db", str(db)]).exit_code == 0
    con = store.connect(db, read_only=True)
    try:
        with pytest.raises(RuleError) as caught:
            group_members(con, "gmina", "saved:nasza-grupa")
        names = {lang: names_in(con, lang) for lang in ("pl", "lt")}
        level_pl = names["pl"]["level"]("gmina")
    finally:
        con.close()
    assert str(caught.value) == "No saved group 'nasza-grupa' of the level gmina in the store."  # logs, tests
    polish = said(caught.value, "pl", names=names["pl"])
    assert polish == f"W bazie nie ma zapisanej grupy „nasza-grupa” poziomu {level_pl}."
    assert said(caught.value, "lt", names=names["lt"]).startswith("Duomenų bazėje nėra išsaugotos lygmens")


def test_a_message_inside_a_message_is_said_in_the_same_language(tmp_path):
    inner = SourceError(say("src_table_not_found", path="/data/brak.csv"))
    outer = SourceError(say("err_in_source", source="ludnosc", error=inner.args[0]))
    assert str(outer) == "Source 'ludnosc': Table not found: /data/brak.csv"
    assert said(outer, "pl") == "Źródło „ludnosc”: Nie znaleziono tabeli: /data/brak.csv"
    assert said(outer, "lt") == "Šaltinis „ludnosc“: Lentelė nerasta: /data/brak.csv"
    assert said(ValueError("plain text"), "pl") == "plain text"  # an error without a phrase stays as it is


def test_a_workspace_error_keeps_its_english_for_logs_and_says_polish_on_request(tmp_path):
    (tmp_path / "ws.toml").write_text(BROKEN, "utf-8")
    with pytest.raises(Exception) as caught:
        read_workspace(tmp_path / "ws.toml")
    assert str(caught.value).startswith("ws.toml has 4 problems:\n  - [workspce]: unknown section")
    assert said(caught.value, "pl").startswith("ws.toml ma 4 problemy:\n  - [workspce]: nieznana sekcja")


def _explain_script(db: str) -> None:
    import os

    os.environ["LDATLAS_DB"] = db
    import streamlit as st

    from dashboard import cached
    from indicators.composite import group_members
    from indicators.errors import RuleError

    try:
        group_members(cached.connection(), "urban_unit", "saved:*nasza*")
    except RuleError as exc:
        st.warning(cached.explain(exc, "pl"))


def test_a_dashboard_warning_says_the_error_in_the_page_language_with_the_level_name(hostile_demo_db):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_explain_script, args=(str(hostile_demo_db),), default_timeout=60).run()
    assert not at.exception
    shown = at.warning[0].value
    assert "W bazie nie ma zapisanej grupy" in shown and "urban_unit" not in shown, shown
    assert "\\*nasza\\*" in shown  # the file's text is escaped, not read as Markdown


def _geodata_errors(tmp_path):
    """A geodata error of each kind a file can cause: missing, wrong kind, damaged zip, no CRS, metres as degrees."""
    import geopandas as gpd
    from shapely.geometry import box

    from geodata.errors import GeodataError
    from geodata.io import read_boundaries
    from geodata.projection import to_storage_crs

    (tmp_path / "granice.txt").write_text("x", "utf-8")
    (tmp_path / "granice.zip").write_bytes(b"PK\x03\x04 not really")
    metres = gpd.GeoDataFrame({"kod": ["1"]}, geometry=[box(450_000, 550_000, 460_000, 560_000)], crs="EPSG:4326")
    attempts = [
        lambda: read_boundaries(tmp_path / "brak.geojson"),
        lambda: read_boundaries(tmp_path / "granice.txt"),
        lambda: read_boundaries(tmp_path / "granice.zip"),
        lambda: to_storage_crs(metres.set_crs(None, allow_override=True), declared_crs=None, source_name="osiedla"),
        lambda: to_storage_crs(metres, declared_crs=None, source_name="osiedla"),
        lambda: to_storage_crs(metres, declared_crs="EPSG:99999", source_name="osiedla"),
    ]
    found = []
    for attempt in attempts:
        with pytest.raises(GeodataError) as caught:
            attempt()
        found.append(caught.value)
    return found


def test_geodata_errors_are_said_in_every_language_and_their_english_is_the_catalogues(tmp_path):
    from indicators.translation import GEODATA

    errors = _geodata_errors(tmp_path)
    assert [e.key for e in errors] == [
        "geo_not_found",
        "geo_kind",
        "geo_bad_zip",
        "geo_no_crs",
        "geo_metres_as_degrees_pl1992",
        "geo_bad_crs",
    ]
    for error in errors:
        assert GEODATA.render(error.key, error.fields, "en") == str(error)  # the English is written once, the same
        polish, lithuanian = said(error, "pl"), said(error, "lt")
        ours = polish.replace(str(error.fields.get("error", "")), "")  # PROJ's own words stay as PROJ wrote them
        assert polish != str(error) and lithuanian != str(error) and not ENGLISH.search(ours), polish
    assert 'ustaw crs = "EPSG:2180"' in said(errors[4], "pl")
    # inside the load's own message (the source named), in the same language
    wrapped = SourceError(say("err_in_source", source="osiedla", error=errors[3]))
    assert said(wrapped, "pl").startswith("Źródło „osiedla”: osiedla nie ma układu współrzędnych.")


def _help_texts(group) -> list[str]:  # noqa: ANN001  (a typer.Typer)
    """Every help text ``ldatlas`` shows: commands, groups, arguments and options (as typer builds them)."""
    import click
    import typer

    command = typer.main.get_command(group)
    found: list[str] = []

    def walk(cmd: click.Command) -> None:
        found.append(cmd.help or "")
        found.extend(getattr(param, "help", None) or "" for param in cmd.params if param.name != "help")
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(command)
    return [text for text in found if text]


def test_every_help_text_is_in_the_catalogue_and_ldatlas_help_speaks_polish(monkeypatch):
    from etl.cli import HELP

    texts = _help_texts(app)
    assert len(texts) > 60
    missing = [t for t in texts if not HELP.has(t)]
    assert missing == [], f"help texts without a catalogue entry: {missing}"
    monkeypatch.setenv("LDATLAS_LANG", "pl")
    result = runner.invoke(app, ["load", "--help"])  # options are read again for each command line: Polish now
    flat = " ".join(result.output.split())
    assert "Wczytaj każde źródło ponownie" in flat and "Plik obszaru roboczego (TOML)" in flat, flat


def _catalogue_keys_used() -> list[tuple[str, str, str]]:
    """``(module, catalogue, key)`` for every literal key the code says a message with: ``say("…")`` of etl or of
    indicators, a reason (``reason("…")`` under any name), the CLI's ``_t``/``text``/``plural``."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    origins = {"etl.texts": "etl", "indicators.translation": "indicators", "etl.reasons": "reasons"}
    used = []
    for package in ("etl", "indicators", "geodata", "dashboard"):
        for path in (root / package).rglob("*.py"):
            tree = ast.parse(path.read_text("utf-8"))
            names = {}
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module in origins:
                    for alias in node.names:
                        if alias.name in ("say", "reason", "text", "plural"):
                            names[alias.asname or alias.name] = origins[node.module]
            if path.name == "cli.py":
                names["_t"] = "etl"
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in names
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    used.append((str(path.relative_to(root)), names[node.func.id], node.args[0].value))
    return used


def test_every_message_key_the_code_uses_is_in_its_catalogue():
    from etl.reasons import MESSAGES as REASONS
    from etl.texts import MESSAGES as ETL
    from indicators.translation import MESSAGES as INDICATORS

    catalogues = {"etl": ETL, "indicators": INDICATORS, "reasons": REASONS}
    used = _catalogue_keys_used()
    assert len(used) > 250  # the scan finds the code's messages (it would pass vacuously if it found none)
    missing = [(module, catalogue, key) for module, catalogue, key in used if not catalogues[catalogue].has(key)]
    assert missing == []
