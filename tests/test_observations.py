from __future__ import annotations

import openpyxl
import pytest
import xlwt

from etl.errors import SourceError
from etl.pipeline.load import load_workspace
from etl.workspace import read_workspace
from tests.helpers import write_workspace


def _run(tmp_path, db, body):
    return load_workspace(read_workspace(write_workspace(tmp_path, body)), db)


def _obs(con, indicator="population"):
    return dict(
        ((u, y), v)
        for u, y, v in con.execute(
            "SELECT unit_code, year, value FROM observations WHERE indicator_id = ?", [indicator]
        ).fetchall()
    )


def _rejects(con):
    return con.execute(
        "SELECT row_number, column_name, reason FROM rejects ORDER BY row_number, column_name"
    ).fetchall()


def test_polish_csv_long_layout_every_bad_value_is_a_reject(tmp_path, db, ro):
    text = (
        "Tablica 1. Wskaźniki gmin\n"
        "kod;wskaźnik;rok;wartość\n"
        "201011;population;2023;12 345\n"  # lost leading zero, space as thousands separator
        "0201011;population;2024;12 400\n"
        "0201011;unemployment;2024;4,5\n"  # decimal comma
        "0201022;unemployment;2024;abc\n"  # not a number
        "0299999;population;2024;100\n"  # unknown unit
        "0201032;population;2024;-5\n"  # negative count
        "0201032;unemployment;2024;104,2\n"  # share above 100%
        "0201043;population;2024;800\n"  # duplicate ...
        "0201043;population;2024;810\n"  # ... of the row above
        "0201043;gdp;2024;1\n"  # unknown indicator
        "0201043;pm10;rok;1\n"  # not a year
        ";;;\n"
        "Źródło: opracowanie własne\n"  # footnote
    )
    (tmp_path / "ind.csv").write_bytes(text.encode("cp1250"))
    result = _run(
        tmp_path,
        db,
        """
        [[tables]]
        id = "ind"
        path = "ind.csv"
        header_row = 2
        layout = "long"
        level = "gmina"
        code = "kod"
        indicator_column = "wskaźnik"
        year_column = "rok"
        value = "wartość"
    """,
    )
    table = next(s for s in result.sources if s.source_id == "ind")
    assert (table.rows_read, table.rows_loaded, table.rows_rejected, table.rows_skipped) == (13, 3, 8, 2)
    con = ro(db)
    assert _obs(con) == {("0201011", 2023): 12345.0, ("0201011", 2024): 12400.0}
    assert _obs(con, "unemployment") == {("0201011", 2024): 4.5}
    rejects = _rejects(con)
    assert rejects[0] == (6, "wartość", "'abc' is not a number")
    assert rejects[1][:2] == (7, "kod") and rejects[1][2].startswith("unknown unit 0299999 at level gmina; closest:")
    assert rejects[2][0] == 8 and "impossible value -5" in rejects[2][2] and "negative" in rejects[2][2]
    assert rejects[3][0] == 9 and "above 100%" in rejects[3][2]
    assert [r[0] for r in rejects[4:6]] == [10, 11] and "appears in rows 10, 11" in rejects[4][2]
    assert rejects[6][0] == 12 and "unknown indicator 'gdp'" in rejects[6][2]
    assert rejects[7] == (13, "rok", "'rok' is not a year")
    raw = con.execute("SELECT file, raw FROM rejects WHERE row_number = 6").fetchone()
    assert raw == ("ind.csv", "0201022;unemployment;2024;abc")


def test_wide_years_with_teryt6_matching_and_closest_candidates(tmp_path, db, ro):
    (tmp_path / "pop.csv").write_text(
        "\ufeffteryt;nazwa;2022;2023;2024\n"
        "0201033;Gromadka (now urban-rural);1 000;1 010;1 020\n"  # type digit changed 2 -> 3
        "0201034;Gromadka - town part;500;505;510\n"  # a town part: not a gmina
        "0201099;Nowhere;1;2;3\n",
        "utf-8",
    )
    # Gromadka is 0201032 (rural) in the boundaries, 0201033 (urban-rural) in the newer table
    body = """
        [[tables]]
        id = "pop"
        path = "pop.csv"
        layout = "wide_years"
        level = "gmina"
        indicator = "population"
        code = "teryt"
        code_match = "teryt6"
    """
    _run(tmp_path, db, body)
    con = ro(db)
    assert _obs(con) == {("0201032", 2022): 1000.0, ("0201032", 2023): 1010.0, ("0201032", 2024): 1020.0}
    reasons = [r[2] for r in _rejects(con)]
    assert len(reasons) == 6
    assert reasons[0].startswith("unknown unit 0201034 at level gmina; closest: 0201032 (Gromadka)")
    assert reasons[3].startswith("unknown unit 0201099 at level gmina; closest: ")


def test_wide_indicators_from_xlsx_with_header_block(tmp_path, db, ro):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Dane"
    ws.append(["Tabela 5. Rynek pracy i ludność"])
    ws.append([])
    ws.append(["Kod TERYT", "Nazwa", "Ludność", "Bezrobocie [%]"])
    ws.append([201011, "Łódź", 1500, 5.5])  # numeric code lost its zero in Excel
    ws.append(["0201022", "Świętochłowice", 2500, 3.25])
    ws.append(["1) dane szacunkowe"])
    wb.save(tmp_path / "dane.xlsx")
    _run(
        tmp_path,
        db,
        """
        [[tables]]
        id = "xlsx"
        path = "dane.xlsx"
        sheet = "Dane"
        header_row = 3
        layout = "wide_indicators"
        level = "gmina"
        code = "Kod TERYT"
        year = 2024
        columns = { "Ludność" = "population", "D" = "unemployment" }
    """,
    )
    con = ro(db)
    assert _obs(con) == {("0201011", 2024): 1500.0, ("0201022", 2024): 2500.0}
    assert _obs(con, "unemployment") == {("0201011", 2024): 5.5, ("0201022", 2024): 3.25}
    assert con.execute("SELECT rows_skipped FROM sources WHERE source_id = 'xlsx'").fetchone()[0] == 1


def test_xls_with_flags(tmp_path, db, ro):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Tabl. IV")
    rows = [["Kod", "Rok", "Wartość", "Flaga"], ["0201011", 2024, 1200, "p"], ["0201022", 2024, 900, ""]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(tmp_path / "gus.xls"))
    _run(
        tmp_path,
        db,
        """
        [[tables]]
        id = "xls"
        path = "gus.xls"
        layout = "long"
        level = "gmina"
        code = "A"
        indicator = "population"
        year_column = "Rok"
        value = "Wartość"
        flag_column = "Flaga"
        flags = { p = "preliminary" }
    """,
    )
    rows = ro(db).execute("SELECT unit_code, value, flag FROM observations ORDER BY 1").fetchall()
    assert rows == [("0201011", 1200.0, "preliminary"), ("0201022", 900.0, None)]


def test_missing_column_fails_the_run_with_the_columns_listed(tmp_path, db):
    (tmp_path / "t.csv").write_text("kod;wartosc\n0201011;1\n", "utf-8")
    with pytest.raises(SourceError, match=r"no column 'rok' for the year. Columns are: 'kod', 'wartosc'"):
        _run(
            tmp_path,
            db,
            """
            [[tables]]
            id = "t"
            path = "t.csv"
            level = "gmina"
            code = "kod"
            indicator = "population"
            year_column = "rok"
            value = "wartosc"
        """,
        )
    assert not db.exists()


def test_same_key_from_two_sources_is_a_reject_naming_the_first(tmp_path, db, ro):
    (tmp_path / "a.csv").write_text("kod;v\n0201011;10\n", "utf-8")
    (tmp_path / "b.csv").write_text("kod;v\n0201011;11\n", "utf-8")
    body = ""
    for name in ("a", "b"):
        body += f"""
        [[tables]]
        id = "{name}"
        path = "{name}.csv"
        level = "gmina"
        code = "kod"
        indicator = "population"
        year = 2024
        value = "v"
        """
    with pytest.raises(SourceError, match="Source 'b' .*gave nothing to load.*already loaded from source 'a'"):
        _run(tmp_path, db, body)  # b's only value is taken: b loads nothing, which stops the run
    _run(tmp_path, db, body + "        allow_empty = true\n")
    con = ro(db)
    assert _obs(con) == {("0201011", 2024): 10.0}
    assert "already loaded from source 'a'" in _rejects(con)[0][2]
