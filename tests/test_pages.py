"""Every page renders in Polish and English without an exception (AppTest), and every page stays thin: no SQL,
no store writes but through dashboard.actions, and short enough to read."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import page_script

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overview", "map_explorer", "compare", "proposals", "lsr_builder", "revitalisation"]
TITLES = {  # a text each page shows in each language
    ("overview", "pl"): "Katalog wskaźników",
    ("overview", "en"): "Indicator catalogue",
    ("compare", "pl"): "Porównanie",
    ("compare", "en"): "Compare",
}


@pytest.mark.parametrize("lang", ["pl", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_in_both_languages(hostile_demo_db, name, lang):
    at = AppTest.from_function(page_script, args=(str(hostile_demo_db), name), default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    shown = " ".join(str(e.value) for e in [*at.title, *at.subheader, *at.caption, *at.info, *at.markdown])
    assert shown.strip(), f"{name} shows nothing"
    if (name, lang) in TITLES:
        assert TITLES[name, lang] in shown


def _page_modules() -> list[Path]:
    return sorted((ROOT / "dashboard" / "views").glob("*.py"))


@pytest.mark.parametrize("path", _page_modules(), ids=lambda p: p.name)
def test_pages_hold_no_sql_and_no_store_writes(path):
    tree = ast.parse(path.read_text("utf-8"))
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in strings if "SELECT " in s.upper() or "INSERT " in s.upper()], "SQL belongs in queries.py"
    calls = [n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    assert "execute" not in calls
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    assert not [
        m
        for m in imported
        if m.startswith(("etl.store.writing", "etl.store.areas", "etl.store.groups", "etl.pipeline", "etl.sources"))
    ]


@pytest.mark.parametrize("path", _page_modules(), ids=lambda p: p.name)
def test_page_modules_are_short(path):
    lines = path.read_text("utf-8").count("\n")
    assert lines <= 150, f"{path.name} has {lines} lines: widgets -> data -> figure -> display; move the rest out"


def _context_script(db: str) -> None:
    import os

    import streamlit as st

    os.environ["LDATLAS_DB"] = db
    from dashboard.views.common import page_context

    st.json(page_context("Wnioski mieszkańców", "pl").lines())


def test_every_page_export_says_whether_the_data_are_synthetic(hostile_demo_db):
    at = AppTest.from_function(_context_script, args=(str(hostile_demo_db),), default_timeout=90).run()
    assert not at.exception
    lines = __import__("json").loads(at.json[0].value)
    assert lines[0] == "DANE SYNTETYCZNE — nie są to prawdziwe liczby" and "Wnioski mieszkańców" in lines
    pages = {p.name: p.read_text("utf-8") for p in (ROOT / "dashboard" / "views").glob("*.py")}
    exporting = {name for name, text in pages.items() if "exports.csv_bytes(" in text or "geojson_bytes(" in text}
    assert exporting and all("context" in pages[name] for name in exporting)  # every export call passes a context
