"""Links are typed, pasted, truncated and forged: every state parameter of every page, given malformed, huge and
non-ASCII values, falls back to a default and never raises."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.view_state import _PARAMS, ascii_int, from_params
from tests.helpers import page_script

BAD = [
    "",
    "-1",
    "99999999999999999999999999",
    "1e400",
    "nan",
    "inf",
    "²",  # str.isdigit() says yes, int() says no
    "٣٤",  # Arabic-Indic digits
    "２０２４",  # full-width digits
    "2024 ",
    "0x10",
    "<script>alert(1)</script>",
    "'; DROP TABLE units; --",
    "../../etc/passwd",
    "x" * 5000,
    "1_2_3_" * 500,
    "ąęł,żź,,",
    "\x00\x1f",
]
PAGE_PARAMS = {
    "map_explorer": [*_PARAMS.values(), "lang"],
    "compare": ["level", "group", "year", "method", "units", "lang"],
    "overview": ["lang"],
    "proposals": ["lang"],
    "lsr_builder": ["lang"],
    "revitalisation": ["lang"],
}


def test_ascii_int_reads_only_ascii_digits():
    assert ascii_int("2024", 4) == 2024
    assert [ascii_int(v, 4) for v in ("²", "٣٤", "２０２４", "20245", "-1", " 1", None, 2024)] == [None] * 8


@pytest.mark.parametrize("value", BAD)
def test_the_map_view_reads_any_link(value):
    view = from_params({name: value for name in _PARAMS.values()})
    assert 3 <= view.k <= 9 and view.year in (None, *range(0, 10000))
    assert all(isinstance(b, float) and b == b and abs(b) != float("inf") for b in view.breaks)
    assert len(view.reference) <= 64 and (view.unit is None or len(view.unit) <= 64)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PAGE_PARAMS))
def test_no_page_fails_on_a_forged_link(hostile_demo_db, name):
    for start in range(0, len(BAD), 6):  # a few bad values at a time, every parameter at once
        for value in BAD[start : start + 6]:
            at = AppTest.from_function(page_script, args=(str(hostile_demo_db), name), default_timeout=120)
            for param in PAGE_PARAMS[name]:
                at.query_params[param] = value
            at.run()
            assert not at.exception, (name, value, [e.message for e in at.exception])
