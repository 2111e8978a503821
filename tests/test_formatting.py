"""Numbers and plurals as each language writes them (indicators/formatting.py, on Babel)."""

from __future__ import annotations

import datetime as dt

import pytest

from indicators.formatting import counted, format_count, format_date, format_number, plural

NBSP = "\u00a0"


@pytest.mark.parametrize(("lang", "expected"), [("pl", f"1{NBSP}234,5"), ("lt", f"1{NBSP}234,5"), ("en", "1,234.5")])
def test_decimal_comma_and_grouping(lang, expected):
    assert format_number(1234.54, lang) == expected


def test_decimals_rounding_and_missing_values():
    assert format_number(172.50033020737024, "pl", 2) == "172,50"
    assert format_number(3760000, "pl", 0) == f"3{NBSP}760{NBSP}000"
    assert format_count(12345, "en") == "12,345"
    assert format_number(None, "pl") == format_number(float("nan"), "pl") == "–"
    assert format_number(-0.5, "pl", 1) == "-0,5"


@pytest.mark.parametrize(
    ("count", "pl", "lt"),
    [
        (1, "jednostka", "vienetas"),
        (2, "jednostki", "vienetai"),
        (4, "jednostki", "vienetai"),
        (5, "jednostek", "vienetai"),
        (12, "jednostek", "vienetų"),
        (10, "jednostek", "vienetų"),
        (22, "jednostki", "vienetai"),
        (21, "jednostek", "vienetas"),
    ],
)
def test_three_plural_forms_in_polish_and_lithuanian(count, pl, lt):
    assert plural(count, "pl", {"one": "jednostka", "few": "jednostki", "many": "jednostek"}) == pl
    assert plural(count, "lt", {"one": "vienetas", "few": "vienetai", "other": "vienetų"}) == lt


def test_counted_and_dates():
    assert counted(4, "pl", {"one": "jednostka", "few": "jednostki", "many": "jednostek"}) == f"4{NBSP}jednostki"
    assert counted(1, "en", {"one": "unit", "other": "units"}) == f"1{NBSP}unit"
    assert format_date(dt.date(2026, 11, 30), "en") == "30 Nov 2026"
    assert "2026" in format_date(dt.date(2026, 11, 30), "pl")
