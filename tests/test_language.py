"""Every page read as a user reads it, in Polish, English and Lithuanian, with data on it: no internal identifier
(snake_case, an enumeration's value, "None"), no English word on a Polish or Lithuanian page, no decimal point in a
Polish or Lithuanian number. The text is what the page shows: titles, captions, messages, widget labels and options,
table headings and cells as the table writes them (a Styler's display values), and the charts' titles, legends,
annotations and hover texts. The catalogues themselves are checked too: every key in every language, the same
``{fields}``, three plural forms where the language has three.
"""

from __future__ import annotations

import html
import json
import re
import string

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import MESSAGES
from etl.cli import HELP as CLI_HELP
from etl.texts import MESSAGES as ETL_MESSAGES
from etl.workspace.vocabulary import AREA_KINDS, KNOWN_LEVELS, STATUSES
from indicators.catalogue import DIRECTIONS, DOMAINS
from indicators.composite import QUADRANTS
from indicators.revitalisation import GROUPS, RULES
from indicators.rules import MESSAGES as RULE_MESSAGES
from indicators.translation import GEODATA as GEODATA_MESSAGES
from indicators.translation import LANGUAGES
from tests.helpers import page_script

PAGES = ["overview", "map_explorer", "map_hotspots", "compare", "proposals", "lsr_builder", "revitalisation"]
URL = {  # each page opened with something chosen, so that its tables and panels are on it
    "map_explorer": {"level": "urban_unit", "ind": "unemployment", "unit": "9861011-05", "ov": "proposals,areas"},
    "map_hotspots": {"level": "urban_unit", "ind": "unemployment", "hs": "1", "sig": "0.05", "unit": "9861011-01"},
    "compare": {"level": "urban_unit", "units": "9861011-01,9861011-05,9861011-09", "year": "2024"},
}
MODULE = {"map_hotspots": "map_explorer"}  # a page opened twice, in two states
PICKS = {  # widgets a user sets after the page opens: key -> value
    "lsr_builder": {"lsr_units": ["9801012", "9801022", "9801031"]},
    "revitalisation": {"revit_area": ["9861011-01", "9861011-05"]},
}
SNAKE = re.compile(r"(?<![\w/.@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/.@-])")
RAW = re.compile(r"\b(None|nan|NaN|NaT|null|True|False|undefined)\b")
ENUMS = {
    *STATUSES,
    *DOMAINS,
    *DIRECTIONS,
    *AREA_KINDS,
    *GROUPS,
    *RULES,
    *QUADRANTS,
    *KNOWN_LEVELS,
    "better",
    "worse",
    "no_data",
    "city_wide",
    "mean_of_units",
    "whole",
    "boundaries",
    "proposals",
    "selected",
}
WORDS_OF_THE_LANGUAGE = {"gmina", "powiat"}  # enumeration values that are also Polish words
ENGLISH = re.compile(
    r"\b(the|and|of|with|without|units?|values?|proposals?|choose|select|options|download|synthetic|average|"
    r"better|worse|source|years?|residents|indicators?|click|none|shares|other|point|level|group)\b",
    re.IGNORECASE,
)
DECIMAL_POINT = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")


def _figure_texts(spec: str) -> list[str]:
    figure = json.loads(spec)
    layout = figure.get("layout", {})
    texts = [str((layout.get("title") or {}).get("text", ""))]
    texts += [str(a.get("text", "")) for a in layout.get("annotations", [])]
    texts.append(str(((layout.get("legend") or {}).get("title") or {}).get("text", "")))
    for axis in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
        texts.append(str(((layout[axis] or {}).get("title") or {}).get("text", "")))
    for trace in figure.get("data", []):
        texts.append(str(trace.get("name", "")))
        for key in ("text", "hovertext", "customdata"):
            value = trace.get(key)
            if isinstance(value, list):
                texts += [str(v) for v in value if isinstance(v, str)]
            elif isinstance(value, str):
                texts.append(value)
        template = trace.get("hovertemplate")
        if isinstance(template, str):
            texts.append(re.sub(r"%\{[^}]*\}", " ", template))
    plain = [re.sub(r"<[^>]+>", " ", html.unescape(t)) for t in texts]
    return [t for t in plain if t.strip()]


def _table_texts(element) -> list[str]:
    proto = element.proto
    styler = proto.arrow_data.styler.display_values
    frame = (
        pa.ipc.open_stream(styler).read_all().to_pandas() if styler else element.value  # what the grid writes
    )
    config = json.loads(proto.columns) if proto.columns else {}
    if getattr(element, "editing_mode", "read_only") != "read_only":
        # an editor's cells are the data (formatted in the browser by the column's format_func): its headings count
        return [str(c.get("label", "")) for c in config.values() if isinstance(c, dict)]
    texts = [str(c) for c in element.value.columns]
    texts += [str(v) for v in frame.to_numpy().ravel() if v is not None and str(v) != ""]
    return texts


def visible_text(at: AppTest) -> list[str]:
    """Everything the page shows a reader, one string per piece."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success"):
        texts += [str(e.value) for e in getattr(at, kind)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    for kind in ("selectbox", "multiselect", "radio"):
        for widget in getattr(at, kind):
            texts.append(widget.label)
            texts += [str(o) for o in widget.options]
            texts.append(str(getattr(widget.proto, "placeholder", "")))
    for kind in ("button", "checkbox", "toggle", "slider", "text_input", "number_input", "expander", "tabs"):
        texts += [str(getattr(e, "label", "")) for e in getattr(at, kind)]
    texts += [str(b.proto.label) for b in at.get("download_button")]
    for table in at.dataframe:
        texts += _table_texts(table)
    for chart in at.get("plotly_chart"):
        texts += _figure_texts(chart.proto.spec)
    return [t for t in texts if t.strip()]


def problems_in(texts: list[str], lang: str, goal_codes: set[str]) -> list[str]:
    """What a reader of ``lang`` should never see, each with the text it was found in."""
    found = []
    for text in texts:
        short = text[:160]
        if SNAKE.search(text):
            found.append(f"identifier {SNAKE.search(text).group()!r} in {short!r}")  # type: ignore[union-attr]
        if RAW.search(text):
            found.append(f"raw value {RAW.search(text).group()!r} in {short!r}")  # type: ignore[union-attr]
        if lang == "en":
            continue
        words = set(re.findall(r"[A-Za-z_]+", text))
        for value in sorted((words & ENUMS) - WORDS_OF_THE_LANGUAGE):
            found.append(f"enumeration value {value!r} in {short!r}")
        if ENGLISH.search(text):
            found.append(f"English {ENGLISH.search(text).group()!r} in {short!r}")  # type: ignore[union-attr]
        numbers = " ".join(w for w in text.split() if w.strip(string.punctuation + "()") not in goal_codes)
        if DECIMAL_POINT.search(numbers):
            found.append(f"decimal point {DECIMAL_POINT.search(numbers).group()!r} in {short!r}")  # type: ignore[union-attr]
    return found


@pytest.fixture(scope="module")
def goal_codes(hostile_demo_db) -> set[str]:
    import duckdb

    con = duckdb.connect(str(hostile_demo_db), read_only=True)
    try:
        return {c for (c,) in con.execute("SELECT code FROM goals").fetchall()}
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("name", PAGES)
def test_every_page_reads_in_its_language(hostile_demo_db, goal_codes, name, lang):
    module = MODULE.get(name, name)
    at = AppTest.from_function(page_script, args=(str(hostile_demo_db), module), default_timeout=120)
    at.query_params["lang"] = lang
    for key, value in URL.get(name, {}).items():
        at.query_params[key] = value
    at.run()
    for key, value in PICKS.get(name, {}).items():
        at.multiselect(key=key).set_value(value).run()
    assert not at.exception, [e.message for e in at.exception]
    texts = visible_text(at)
    assert len(texts) > 20, f"{name} shows almost nothing: {texts}"
    assert at.dataframe or name in ("lsr_builder", "map_hotspots"), f"{name} shows no table"
    problems = problems_in(texts, lang, goal_codes)
    assert not problems, "\n".join(problems[:25])


def test_the_reader_catches_what_it_should():
    """The checks themselves, on texts that break them (a test that cannot fail proves nothing)."""
    bad = [
        "Status: under_evaluation",
        "Wartość: None",
        "Koszt łączny 3760000.5",
        "Udział wybranych 0.357",
        "Wybierz jednostki: Choose options",
        "Kierunek: higher_is_better",
        "Rodzaj: social",
        "shares its point with 5 other proposal(s)",
    ]
    found = problems_in(bad, "pl", {"1.1"})
    for text in bad:
        assert any(text[:40] in f for f in found), f"not caught: {text}"
    fine = ["1.1 Miasto przyjazne środowisku", "Koszt łączny 3\u00a0760\u00a0000\u00a0zł", "Udział 35,7%", "gmina"]
    assert problems_in(fine, "pl", {"1.1"}) == []


@pytest.mark.parametrize(
    "catalogue",
    [MESSAGES, RULE_MESSAGES, ETL_MESSAGES, GEODATA_MESSAGES, CLI_HELP],
    ids=["dashboard", "indicators", "etl", "geodata", "cli-help"],
)
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_message_in_every_language(catalogue, lang):
    english = catalogue.keys("en")
    mine = catalogue.keys(lang)
    assert set(mine) == set(english), f"{lang}: missing {set(english) - set(mine)}, extra {set(mine) - set(english)}"
    for key, text in mine.items():
        forms = text if isinstance(text, tuple) else (text,)
        assert all(f.strip() for f in forms), f"{lang}: {key} is empty"
        fields = {tuple(sorted(re.findall(r"\{(\w*)\}", f))) for f in forms}
        source = english[key] if isinstance(english[key], tuple) else (english[key],)
        assert fields == {tuple(sorted(re.findall(r"\{(\w*)\}", f))) for f in source}, f"{lang}: {key} fields"
        if isinstance(text, tuple):
            assert len(text) == catalogue.plural_count(lang) == (2 if lang == "en" else 3), key


def test_plural_forms_follow_the_language():
    assert [MESSAGES.plural("units_count", n, "pl") for n in (1, 2, 5, 22, 25)] == [
        "1 jednostka",
        "2 jednostki",
        "5 jednostek",
        "22 jednostki",
        "25 jednostek",
    ]
    assert [MESSAGES.plural("units_count", n, "lt") for n in (1, 2, 10, 21)] == [
        "1 vienetas",
        "2 vienetai",
        "10 vienetų",
        "21 vienetas",
    ]
