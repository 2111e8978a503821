"""A unit's development profile as a PDF (``ldatlas report``, the Report buttons): A4, selectable text, in each
language, the Compare page's own figures, names from files printed as text, and every kind of bad request refused
with a sentence."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from etl import store
from etl.pipeline.load import load_workspace
from etl.report.document import document_data, tie_orphans
from etl.report.profile import build_profile
from etl.workspace import read_workspace
from indicators.composite import IndexSpec, comparison_table, composite_index, group_members
from indicators.formatting import format_number
from tests.helpers import HOSTILE_NAME, demo_with_hostile_names

ROOT = Path(__file__).resolve().parent.parent
UNIT = "9861011-05"
HEADINGS = {
    "pl": ["Jednostka i jej grupa porównawcza", "Mocne i słabe strony", "Wszystkie wskaźniki", "Metoda i źródła"],
    "en": ["The unit and its group", "Strengths and weaknesses", "Every indicator", "Method and sources"],
    "lt": [
        "Vienetas ir jo palyginimo grupė",
        "Stipriosios ir silpnosios pusės",
        "Visi rodikliai",
        "Metodas ir šaltiniai",
    ],
}
SYNTHETIC = {"pl": "DANE SYNTETYCZNE", "en": "SYNTHETIC DATA", "lt": "SINTETINIAI DUOMENYS"}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )


def _text(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report")
    db = root / "demo.duckdb"
    load_workspace(read_workspace(demo_with_hostile_names(root / "ws")), db)
    return db


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["pl", "en", "lt"])
def test_the_profile_is_an_a4_pdf_in_the_language_with_every_page_marked(hostile_db, tmp_path, lang):
    out = tmp_path / f"profile-{lang}.pdf"
    done = _cli("report", "--db", str(hostile_db), "--unit", UNIT, "--lang", lang, "--out", str(out))
    assert done.returncode == 0, done.stderr
    body = out.read_bytes()
    assert body.startswith(b"%PDF") and len(body) < 2_000_000
    reader = PdfReader(io.BytesIO(body))
    assert all(round(float(p.mediabox.width)) == 595 and round(float(p.mediabox.height)) == 842 for p in reader.pages)
    pages = _text(body)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert SYNTHETIC[lang] in text  # the synthetic mark on every page
        assert f"{number} / {len(pages)}" in text  # page numbers
    whole = " ".join(pages)
    for heading in HEADINGS[lang]:
        assert heading in whole
    assert "/Outlines" in body.decode("latin-1") or any("1." in p for p in pages[:1])  # the table of contents


@pytest.mark.slow
def test_names_from_files_are_printed_as_text_never_as_markup(hostile_db, tmp_path):
    out = tmp_path / "p.pdf"
    assert _cli("report", "--db", str(hostile_db), "--unit", UNIT, "--lang", "en", "--out", str(out)).returncode == 0
    whole = " ".join(_text(out.read_bytes()))
    assert " ".join(HOSTILE_NAME.split()) in whole  # every character of the name, as typed
    assert "/URI" not in out.read_bytes().decode("latin-1")  # and no link was made of it


def test_the_profile_shows_the_compare_pages_figures(hostile_db):
    con = store.connect(hostile_db, read_only=True)
    try:
        spec = IndexSpec(method="zscore", domain_weights={"social": 2.0})
        profile = build_profile(con, UNIT, year=2023, spec=spec)
        data, _sparks = document_data(con, profile, "en")
        # what the Compare page computes for the same unit, group, year and settings
        members = group_members(con, "urban_unit", "all", year=2023)
        scores = composite_index(con, list(dict.fromkeys([*members, UNIT])), 2023, spec).scores.set_index("code")
        table = comparison_table(con, [UNIT], members, 2023).set_index("indicator_id")
        names = dict(con.execute("SELECT id, name_en FROM indicators").fetchall())
    finally:
        con.close()
    overall = data["scores"][0]
    assert overall["score"] == format_number(scores.at[UNIT, "overall"], "en", 3)
    assert overall["rank"] == f"{int(scores.at[UNIT, 'rank'])} of {int(scores['overall'].notna().sum())}"
    shown = {row["name"]: row for domain in data["domains"] for row in domain["rows"]}
    assert len(shown) == len(table)
    for indicator, row in table.iterrows():
        line = shown[names[indicator]]
        assert line["rank"] == f"{int(row['rank'])} of {int(row['of'])}"
        shown_value = line["value"].replace(",", "")
        decimals = len(shown_value.partition(".")[2])
        assert abs(float(shown_value) - row["value"]) <= 0.5 * 10**-decimals + 1e-9  # the same value, rounded
    assert "z-score" in data["method"][0] and "Society 2.0" in data["method"][1]


def test_a_unit_outside_the_group_is_ranked_among_it_and_said_so(hostile_db):
    con = store.connect(hostile_db, read_only=True)
    try:
        profile = build_profile(con, UNIT, group="list:9861011-01,9861011-02,9861011-03")
        data, _ = document_data(con, profile, "pl")
    finally:
        con.close()
    assert not profile.in_group and "nie należy do tej grupy" in data["outside_note"]
    ranks = [row["rank"] for domain in data["domains"] for row in domain["rows"] if row["rank"] != "–"]
    assert ranks and all(re.fullmatch(r"\d z 3\+1", r.replace("\u00a0", " ")) for r in ranks)


def test_polish_typography_keeps_one_letter_words_with_the_next():
    assert tie_orphans("Jednostka w grupie i w gminie, a z nią 5 osób", "pl") == (
        "Jednostka w\u00a0grupie i\u00a0w\u00a0gminie, a\u00a0z\u00a0nią 5\u00a0osób"
    )
    assert tie_orphans("Zmiana od 2019 r. o 12 zł", "pl") == "Zmiana od 2019\u00a0r. o\u00a012\u00a0zł"
    assert tie_orphans("a unit in a group", "en") == "a unit in a group"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--unit", "0000000", "--out", "p.pdf"], "No unit with code 0000000"),
        (["--unit", UNIT, "--lang", "de", "--out", "p.pdf"], "one of pl, en, lt"),
        (["--unit", UNIT, "--out", "p.docx"], "ending in .pdf or .html"),
        (["--unit", UNIT, "--group", "saved:nie-ma", "--out", "p.pdf"], "saved"),
    ],
)
def test_a_bad_request_is_one_sentence(hostile_db, tmp_path, args, message):
    args = [a if a not in ("p.pdf", "p.docx") else str(tmp_path / a) for a in args]
    done = _cli("report", "--db", str(hostile_db), *args)
    assert done.returncode == 1 and message in " ".join(done.stderr.split()), done.stderr
    assert "Traceback" not in done.stderr and not list(tmp_path.glob("p.*"))


@pytest.mark.slow
@pytest.mark.parametrize(
    "page, params, key",
    [
        ("map_explorer", {"level": "urban_unit", "ind": "unemployment", "unit": UNIT}, "unit_report"),
        ("compare", {"level": "urban_unit", "units": f"9861011-01,{UNIT}", "year": "2020"}, "cmp_report_pdf"),
    ],
)
def test_the_unit_panel_and_compare_offer_the_profile(hostile_db, page, params, key):
    from streamlit.testing.v1 import AppTest

    from tests.helpers import page_script

    at = AppTest.from_function(page_script, args=(str(hostile_db), page), default_timeout=120)
    for name, value in {**params, "lang": "en"}.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    buttons = [b for b in at.get("download_button") if b.proto.id.endswith(key) or key in b.proto.id]
    assert buttons and buttons[0].proto.label == "Development profile (PDF)"


def test_every_report_text_is_in_every_language():
    from etl.report.document import MESSAGES

    keys = {lang: MESSAGES.keys(lang) for lang in ("pl", "en", "lt")}
    assert set(keys["pl"]) == set(keys["en"]) == set(keys["lt"])
    for lang, texts in keys.items():
        for key, text in texts.items():
            assert str(text).strip(), f"{lang}: {key} is empty"
            braces = set(re.findall(r"\{(\w+)\}", str(keys["en"][key])))
            assert set(re.findall(r"\{(\w+)\}", str(text))) == braces, f"{lang}: {key} has other fields than English"


@pytest.mark.slow
def test_the_profile_as_one_html_page_escapes_every_name(hostile_db, tmp_path):
    out = tmp_path / "profile.html"
    done = _cli("report", "--db", str(hostile_db), "--unit", UNIT, "--lang", "lt", "--out", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text("utf-8")
    assert page.startswith("<!doctype html>") and '<html lang="lt">' in page
    for heading in HEADINGS["lt"]:
        assert heading in page
    assert "evil.invalid" in page  # the name is there, as text:
    assert '<img src="http://evil.invalid' not in page and '<a href="http://evil.invalid' not in page
    assert "&lt;img src=&quot;http://evil.invalid/tag.png&quot;&gt;" in page
    assert page.count("<svg") >= 3 and "<script" not in page  # charts inline, nothing that runs


def test_no_store_is_created_by_asking_for_a_report(tmp_path):
    done = _cli("report", "--db", str(tmp_path / "none.duckdb"), "--unit", UNIT, "--out", str(tmp_path / "p.pdf"))
    assert done.returncode == 1 and "No store at" in done.stderr
    assert not (tmp_path / "none.duckdb").exists()
