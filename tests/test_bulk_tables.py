"""Tables loaded column by column: the same numbers, reasons and rows as the value-by-value reading they replaced,
whichever way a CSV is read, and one value per unit, indicator and year in the store whatever happens."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from etl import numbers
from etl.errors import SourceError
from etl.numbers import NotANumber, parse_number, parse_numbers
from etl.pipeline.load import load_workspace
from etl.sources import tables
from etl.sources.tables import read_table
from etl.workspace import read_workspace
from tests.helpers import write_workspace

#: every form a cell takes in Polish files, and forms that only look like numbers
TRICKY = [
    "12",
    "-3",
    "+5",
    "-0",
    "007",
    "4,5",
    "4.5",
    "1 234,5",
    "1\u00a0234,5",
    "1\u202f234",
    "1'234",
    "1.234,5",
    "205.108",
    "1,234.5",
    "12,",
    ",5",
    ".5",
    "",
    " ",
    "\u00a0",
    "\u2003",
    "-",
    "–",
    "—",
    ".",
    "x",
    "b.d.",
    "bd",
    "#",
    "1e5",
    "1E-3",
    "inf",
    "-inf",
    "nan",
    "NaN",
    "1_000",
    "abc",
    "12abc",
    "١٢",
    "1" * 30,
    "1" * 19 + ",5",
    "0,1",
    "0,30000000000000004",
    "99999999999999999,9",
    "3,14159265358979323846",
    " 42 ",
    "\t7\t",
    "1 2 3",
    "--5",
    "5-",
]


@pytest.mark.parametrize("decimal", [",", "."])
@pytest.mark.parametrize("dash_is_zero", [True, False])
def test_column_parser_agrees_with_the_cell_parser_on_every_form(decimal, dash_is_zero, monkeypatch):
    monkeypatch.setattr(numbers, "_CHUNK", 7)  # slices that end mid-column: offsets must carry over
    texts = pa.array(TRICKY * 3, pa.string())
    wanted = np.ones(len(texts), dtype=bool)
    wanted[5::9] = False  # cells an earlier check refused are not parsed at all
    values, why = parse_numbers(texts, wanted, decimal=decimal, dash_is_zero=dash_is_zero)
    for i, text in enumerate(TRICKY * 3):
        if not wanted[i]:
            assert np.isnan(values[i]) and i not in why
            continue
        try:
            expected = parse_number(text, decimal=decimal, dash_is_zero=dash_is_zero)
        except NotANumber as exc:
            assert why.get(i) == str(exc), (text, why.get(i))
            assert np.isnan(values[i])
        else:
            assert i not in why, (text, why[i])
            assert values[i] == expected and np.signbit(values[i]) == np.signbit(expected), (text, values[i])


CSV_CASES = {
    "quoted separators and a value over two lines": 'kod;nazwa;v\n0201011;"Łódź; miasto";"1 500"\n'
    '0201022;"Nowa\nWieś";2\n0201032;"Gromadka ""stara""";3\n',
    "a byte-order mark and a blank line": "\ufeffkod;nazwa;v\n0201011;A;1\n\n0201022;B;2\n",
    "a trailing separator on every row": "kod;nazwa;v;\n0201011;A;1;\n0201022;B;2;\n",
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_a_regular_csv_reads_the_same_by_arrow_as_row_by_row(case, tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_bytes(CSV_CASES[case].encode("utf-8"))
    by_arrow, sep = read_table(path)
    assert sep == ";"
    assert str(by_arrow.frame.dtypes.iloc[0]).startswith("string"), "the regular file was not read by Arrow"
    monkeypatch.setattr(tables, "_read_regular_csv", lambda *_a: None)
    by_rows, _ = read_table(path)
    assert list(by_arrow.frame.columns) == list(by_rows.frame.columns)
    assert by_arrow.frame.astype(object).values.tolist() == by_rows.frame.values.tolist()
    assert list(by_arrow.row_numbers) == list(by_rows.row_numbers)
    assert by_arrow.raw_rows(np.arange(len(by_arrow.frame))) == [by_rows.raw_row(i) for i in range(len(by_rows.frame))]


def test_a_cp1250_file_read_by_arrow_keeps_its_letters(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("kod;nazwa;v\n0201011;Łódź;1\n0201022;Świętochłowice;2\n".encode("cp1250"))
    table, _ = read_table(path)
    assert str(table.frame.dtypes.iloc[0]).startswith("string")
    assert table.frame["nazwa"].tolist() == ["Łódź", "Świętochłowice"]


def test_a_file_that_is_not_the_encoding_named_says_where(tmp_path):
    path = tmp_path / "t.csv"
    data = b"kod;v\n" + b"0201011;1\n" * 3 + "0201022;Łódź\n".encode("cp1250")
    path.write_bytes(data)
    with pytest.raises(UnicodeDecodeError) as whole:  # what decoding the whole file at once would say
        data.decode("utf-8")
    with pytest.raises(SourceError) as read:
        read_table(path, encoding="utf-8")
    assert f"the file is not utf-8: {whole.value}." in str(read.value) and "position 44" in str(read.value)


def _table_workspace(tmp_path, text: str, extra: str = "") -> object:
    (tmp_path / "big.csv").write_text(text, "utf-8")
    return read_workspace(
        write_workspace(
            tmp_path,
            f"""
            [[tables]]
            id = "big"
            path = "big.csv"
            level = "gmina"
            code = "kod"
            indicator_column = "wskaznik"
            year_column = "rok"
            value = "wartosc"
            {extra}
            """,
        )
    )


def test_many_rows_with_rejects_spread_through_them(tmp_path, db, ro, monkeypatch):
    """Thousands of rows in parser slices of 1,000: each reject at its own row, values stored in map order."""
    monkeypatch.setattr(numbers, "_CHUNK", 1000)
    codes = ["0201011", "0201022", "0201032", "0201043"]
    lines, expected, bad = ["kod;wskaznik;rok;wartosc"], {}, {}
    for i in range(2400):
        code, year, indicator = codes[i % 4], 1900 + (i // 4) % 200, ["population", "pm10", "unemployment"][i // 800]
        row = i + 2
        if i % 397 == 0:
            lines.append(f"{code};population;{year};{i},5")  # a fraction of a person
            bad[row] = "is not a whole number"
        elif i % 499 == 0:
            lines.append(f"0209999;{indicator};{year};1")
            bad[row] = "unknown unit 0209999"
        elif i % 577 == 0:
            lines.append(f"{code};{indicator};{year};n/a")
            bad[row] = "'n/a' is not a number"
        else:
            value = i * 1000 if indicator == "population" else i % 100
            lines.append(f"{code};{indicator};{year};{value:,}".replace(",", "\u00a0"))  # 1 234 000
            expected[(code, indicator, year)] = float(value)
    result = load_workspace(_table_workspace(tmp_path, "\n".join(lines) + "\n"), db)
    big = next(s for s in result.sources if s.source_id == "big")
    assert (big.rows_read, big.rows_loaded, big.rows_rejected) == (2400, len(expected), len(bad))
    assert big.rows_per_second and big.rows_per_second > 0
    con = ro(db)
    stored = con.execute(
        "SELECT unit_code, indicator_id, year, value FROM observations WHERE source_id = 'big'"
    ).fetchall()
    assert {(u, i, y): v for u, i, y, v in stored} == expected
    assert [(i, y, u) for u, i, y, _v in stored] == sorted((i, y, u) for u, i, y, _v in stored)  # map order
    rejects = con.execute("SELECT row_number, reason FROM rejects ORDER BY row_number").fetchall()
    assert [r for r, _ in rejects] == sorted(bad)
    for row, reason in rejects:
        assert bad[row] in reason


def test_a_second_value_for_a_key_fails_the_run_and_writes_nothing(tmp_path, db):
    (tmp_path / "other.csv").write_text("kod;v\n0201043;100\n", "utf-8")
    other = '[[tables]]\nid = "other"\npath = "other.csv"\nlevel = "gmina"\ncode = "kod"\nindicator = "population"\n'
    ws = _table_workspace(
        tmp_path, "kod;wskaznik;rok;wartosc\n0201011;population;2024;100\n", other + 'year = 2024\nvalue = "v"'
    )
    load_workspace(ws, db)
    with duckdb.connect(str(db)) as con:  # a value no loader would let in: the same key twice in a loaded source
        con.execute("INSERT INTO observations VALUES ('0201043', 'population', 2024, 7, NULL, 'other')")
        before = con.execute("SELECT * FROM observations ORDER BY ALL").fetchall()
    (tmp_path / "big.csv").write_text("kod;wskaznik;rok;wartosc\n0201022;population;2024;5\n", "utf-8")
    with pytest.raises(
        SourceError, match=r"two values for unit 0201043, indicator population, year 2024 \(from other\)"
    ):
        load_workspace(read_workspace(ws.path), db)  # read again: a workspace reads its files' state once
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT * FROM observations ORDER BY ALL").fetchall() == before
