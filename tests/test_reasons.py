"""Reject reasons in three languages: every reason has Polish and Lithuanian words with the same fields, the English
text stays what the CLI and exports have always shown, and the dashboard's rejects table speaks the reader's
language (numbers with a decimal comma, levels by their names)."""

from __future__ import annotations

import string
from pathlib import Path

from streamlit.testing.v1 import AppTest

from etl.pipeline.load import load_workspace
from etl.reasons import MESSAGES, reason, stored
from etl.store.rejects import list_rejects
from etl.workspace import read_workspace
from tests.helpers import write_workspace

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_reason_is_said_in_each_language_with_the_same_fields():
    english = MESSAGES.keys("en")
    assert len(english) >= 40
    for lang in ("pl", "lt"):
        other = MESSAGES.keys(lang)
        assert set(other) == set(english), lang
        for key, text in english.items():
            assert other[key] and other[key] != text, (lang, key)  # translated, not copied
            assert _fields(str(other[key])) == _fields(str(text)), (lang, key)


def test_the_english_text_is_the_one_rejects_always_had():
    closest = reason("closest", units="0201092 (Gromadka)")
    said = reason("unknown_unit_at_level", code="0299999", level="gmina", closest=closest)
    assert said == "unknown unit 0299999 at level gmina; closest: 0201092 (Gromadka)"
    assert said.key == "unknown_unit_at_level" and said.args["closest"] is closest
    bound = reason("impossible_billion", value=-5.0, indicator="population", unit="osoby", low=0.0, high=1e9)
    assert bound == "impossible value -5 for population (osoby): more than a billion, allowed 0–1e+09"


def test_a_stored_reason_reads_in_polish_and_lithuanian():
    said = reason("impossible_above_100", value=104.2, indicator="unemployment", unit="%", low=0.0, high=100.0)
    assert stored(said, said.key, said.as_json(), "pl") == (
        "niemożliwa wartość 104,2 dla unemployment (%): powyżej 100%, dozwolone 0–100"
    )
    assert stored(said, said.key, said.as_json(), "lt").startswith("neįmanoma reikšmė 104,2")
    nested = reason("unknown_unit_at_level", code="9", level="urban_unit", closest=reason("no_similar_code"))
    words = stored(
        nested, nested.key, nested.as_json(), "pl", names={"level": lambda level: {"urban_unit": "osiedle"}[level]}
    )
    assert words == "nieznana jednostka 9 na poziomie „osiedle”; w magazynie nie ma podobnego kodu"
    # rejects written before reasons had keys (or with a key this version does not know) keep their text
    assert stored("old words", None, None, "pl") == "old words"
    assert stored("old words", "no_such_key", "{}", "pl") == "old words"
    assert stored("old words", "not_a_year", "not json", "pl") == "old words"


def test_the_overview_shows_rejects_in_the_readers_language(tmp_path, monkeypatch):
    (tmp_path / "t.csv").write_text(
        "kod;wskaznik;rok;wartosc\n0299999;population;2024;5\n0201011;unemployment;2024;104,2\n0201022;pm10;rok;1\n",
        "utf-8",
    )
    db = tmp_path / "atlas.duckdb"
    body = """
        [[tables]]
        id = "t"
        path = "t.csv"
        level = "gmina"
        code = "kod"
        indicator_column = "wskaznik"
        year_column = "rok"
        value = "wartosc"
        allow_empty = true
    """
    load_workspace(read_workspace(write_workspace(tmp_path, body)), db)
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rejects = list_rejects(con)
    assert list(rejects["reason_key"]) == ["unknown_unit_at_level", "impossible_above_100", "not_a_year"]
    assert rejects["reason"].iloc[1] == "impossible value 104.2 for unemployment (%): above 100%, allowed 0–100"

    monkeypatch.setenv("LDATLAS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Powód" in d.value.columns)
    reasons = list(table["Powód"])
    assert reasons[0].startswith("nieznana jednostka 0299999 na poziomie „gmina”; najbliższe: 0201")
    assert reasons[1] == "niemożliwa wartość 104,2 dla Bezrobocie (%): powyżej 100%, dozwolone 0–100"
    assert reasons[2] == "„rok” nie jest rokiem"
