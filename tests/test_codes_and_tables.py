from __future__ import annotations

import pytest

from etl.codes import CodeMatcher, normalise_code
from etl.errors import SourceError
from etl.sources.tables import NotANumber, parse_number, read_table


@pytest.mark.parametrize(
    ("raw", "width", "expected"),
    [
        ("201011", 7, "0201011"),
        ("0201011", 7, "0201011"),
        (201011.0, 7, "0201011"),
        ("201011.0", 7, "0201011"),
        ("02 01 01 1", None, "0201011"),
        (" 2\u00a0", 2, "02"),
        ("", 7, ""),
        (None, 7, ""),
        ("nan", 7, ""),
        ("A-12", 7, "A-12"),
    ],
)
def test_normalise_code(raw, width, expected):
    assert normalise_code(raw, width=width) == expected


def test_teryt6_matches_changed_type_digit_but_never_town_or_rural_parts():
    matcher = CodeMatcher({"0201012": "Gmina A", "0201022": "Gmina B"}, mode="teryt6")
    assert matcher.match("0201013") == "0201012"  # rural -> urban-rural since the boundaries were drawn
    assert matcher.match("0201014") is None  # town part of an urban-rural gmina
    assert matcher.match("0201015") is None  # rural part
    exact = CodeMatcher({"0201012": "Gmina A"}, mode="exact")
    assert exact.match("0201013") is None
    assert "0201012 (Gmina A)" in exact.closest("0201013")


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1 234,5", ",", 1234.5),
        ("1\u00a0234\u00a0567", ",", 1234567.0),
        ("12,75", ",", 12.75),
        ("1.234,5", ",", 1234.5),
        ("3.6047", ",", 3.6047),  # a typed number from a spreadsheet cell
        ("1,234.5", ".", 1234.5),
        ("-", ",", 0.0),  # GUS: the phenomenon did not occur
        ("-12,5", ",", -12.5),
    ],
)
def test_parse_number_polish(text, decimal, expected):
    assert parse_number(text, decimal=decimal) == expected


@pytest.mark.parametrize("text", ["", "abc", ".", "x", "12,5%", "nan"])
def test_parse_number_rejects(text):
    with pytest.raises(NotANumber):
        parse_number(text)


def test_read_csv_cp1250_with_header_block_and_letters(tmp_path):
    path = tmp_path / "gus.csv"
    text = "TABLICA 1. Ludność\nstan 31.12\nNazwa;Kod;Ludność\nŁódź;1061011;655 279\nŹródło: GUS\n"
    path.write_bytes(text.encode("cp1250"))
    table, sep = read_table(path, header_row=3)
    assert sep == ";"
    assert list(table.frame.columns) == ["Nazwa", "Kod", "Ludność"]
    assert table.frame.iloc[0].tolist() == ["Łódź", "1061011", "655 279"]
    assert list(table.row_numbers[:2]) == [4, 5]
    assert table.column("C", what="value") == "Ludność"
    assert table.column("ludność", what="value") == "Ludność"
    with pytest.raises(SourceError, match="no column 'Populacja'"):
        table.column("Populacja", what="value")


def test_read_csv_utf8_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("\ufeffkod;wartość\n0201011;1,5\n", "utf-8")
    table, _ = read_table(path)
    assert list(table.frame.columns) == ["kod", "wartość"]


def test_unreadable_table_is_a_source_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    with pytest.raises(SourceError, match="Cannot read broken.xlsx"):
        read_table(path)


def test_normalise_codes_gives_what_normalise_code_gives_value_by_value():
    """The vectorised form finds the codes already normal at once: for every kind of value a file has — clean codes,
    lost zeros, spaces of every kind, Excel floats, null words, BDL ids, dashes, letters — it must agree with
    normalise_code at every level and width."""
    from etl.codes import normalise_codes

    texts = [
        "0201011",
        "201011",
        "02 01 01 1",
        " 0201011",
        "0201011 ",
        "0201011\u00a0",
        "02\u200901",
        "201011.0",
        "201011.00",
        "",
        "nan",
        "NaN",
        "None",
        "<NA>",
        "<na>",
        "011212001011",
        "0261000",
        "261000",
        "02",
        "2",
        "0261",
        "261",
        "02-01-011",
        "02/01/011",
        "02.01.011",
        "A-12",
        "Stare Miasto",
        "Śródmieście",
        "R000123",
        "0463011-01",
        "12",
        "1234567890123",
        "٣٤",
        "x\u3000y",
        "Kraków_1",
        "1.5",
        "0201011\n",
    ]
    for level in (None, "gmina", "powiat", "voivodeship", "osiedle"):
        for width in (None, 2, 4, 7):
            expected = [normalise_code(t, width=width, level=level) for t in texts]
            assert normalise_codes(texts, width=width, level=level) == expected, (level, width)
    mixed = [201011, 201011.0, None, "0201011"]  # numbers from a shapefile's field, a missing value
    assert normalise_codes(mixed, width=7, level="gmina") == ["0201011", "0201011", "", "0201011"]
