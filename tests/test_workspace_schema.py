"""The workspace file is declared once (etl/workspace/models.py): typos are errors, the doc's reference is current."""

from __future__ import annotations

import pytest

from etl.errors import WorkspaceError
from etl.workspace import read_workspace
from etl.workspace import reference as ref
from etl.workspace.models import DOCUMENTED

HEAD = """[workspace]
name = "Test"
levels = ["gmina"]

[[indicators]]
id = "population"
name_pl = "Ludność"
name_en = "Population"
unit = "osoby"
domain = "social"
direction = "neutral"
"""


def _problems(tmp_path, body: str) -> str:
    (tmp_path / "t.csv").write_text("kod;wartosc\n0201011;5\n", "utf-8")
    path = tmp_path / "ws.toml"
    path.write_text(HEAD + body, "utf-8")
    with pytest.raises(WorkspaceError) as info:
        read_workspace(path)
    return str(info.value)


def test_a_misspelt_key_names_the_section_the_source_the_line_and_the_right_key(tmp_path):
    message = _problems(
        tmp_path,
        """
[[tables]]
id = "population"
path = "t.csv"
level = "gmina"
code = "kod"
indicator = "population"
year = 2024
value = "wartosc"
separtor = ";"
""",
    )
    assert "`separtor`: unknown key in [[tables]] 'population' (line 21); did you mean `separator`?" in message
    assert message.startswith("ws.toml has 1 problem:")


def test_a_singular_section_is_an_error_not_a_source_removed(tmp_path):
    message = _problems(
        tmp_path,
        """
[[table]]
id = "population"
path = "t.csv"
""",
    )
    assert "[[table]]: unknown section (line 13); did you mean [[tables]]?" in message


def test_a_section_written_as_one_table_and_an_unknown_top_section(tmp_path):
    message = _problems(
        tmp_path,
        """
[tables]
id = "x"

[settings]
colour = "red"
""",
    )
    assert "[tables] must be written [[tables]] (one block per entry) (line 13)" in message
    assert "[settings]: unknown section (line 16)" in message


def test_wrong_types_and_unknown_indicator_keys(tmp_path):
    message = _problems(
        tmp_path,
        """
[[tables]]
id = "population"
path = "t.csv"
level = "gmina"
code = "kod"
indicator = "population"
year = 2024
value = "wartosc"
header_row = "first"
dash_is_zero = "maybe"
""",
    )
    assert "`header_row`: must be a whole number" in message and "(got 'first') (line 21)" in message
    assert "`dash_is_zero`: must be true or false" in message
    message = _problems(
        tmp_path,
        '[[indicators]]\nid = "x"\nname_pl = "X"\nname_en = "X"\nunit = "%"\n'
        'domain = "social"\ndirection = "neutral"\ndirecton = "neutral"\n',
    )
    assert "`direction`" in message.split("did you mean")[1]


def test_every_option_the_loaders_read_is_declared(tmp_path):
    """Source.opt reads the typed model: a key it does not declare fails loudly instead of reading None."""
    from etl.workspace import Source

    src = Source("a", "area", None, {"name": "A", "kind": "lsr", "members": ["1"]})
    assert src.opt("members") == ["1"] and src.opt("programme", "x") == "x"
    with pytest.raises(AttributeError):
        src.opt("separtor")


def test_the_doc_reference_is_generated_from_the_models_and_current():
    doc = ref.DOC.read_text("utf-8")
    assert ref.START in doc and ref.END in doc
    assert ref.updated(doc) == doc, "docs/workspace.md is stale: run `python -m etl.workspace.reference`"
    for title, model in DOCUMENTED:
        assert f"### `{title}`" in doc
        for name, field in model.model_fields.items():
            assert f"| `{field.alias or name}` |" in doc
    assert ref.main(["--check"]) == 0


def test_a_stale_reference_is_found(tmp_path, monkeypatch):
    stale = tmp_path / "workspace.md"
    stale.write_text(ref.DOC.read_text("utf-8").replace("| `separator` |", "| `sep` |"), "utf-8")
    monkeypatch.setattr(ref, "DOC", stale)
    assert ref.main(["--check"]) == 1


def test_every_example_in_the_docs_uses_known_keys_of_the_right_type():
    """What a newcomer copies from docs/workspace.md must be accepted: no unknown key, no wrong type (a fragment
    may leave out required keys)."""
    import re
    import tomllib

    from pydantic import ValidationError

    from etl.workspace.models import SOURCE_SECTIONS, CrosswalkSpec, GoalSpec, IndicatorSpec, LevelName, WorkspaceHead

    models = {key: model for key, (_kind, model) in SOURCE_SECTIONS.items()}
    models |= {"indicators": IndicatorSpec, "goals": GoalSpec, "crosswalks": CrosswalkSpec}
    text = ref.DOC.read_text("utf-8") + (ref.DOC.parent.parent / "README.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 4
    checked = 0
    for block in blocks:
        data = tomllib.loads(block)
        if "auth" in data:  # the sign-in example (.streamlit/secrets.toml), not a workspace
            assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(
                data["auth"]
            )
            assert set(data["atlas"]["roles"]) <= {"viewer", "analyst", "admin"}
            continue
        for key, value in data.items():
            entries = value if isinstance(value, list) else [value]
            model = {"workspace": WorkspaceHead}.get(key) or models.get(key)
            if key == "level_names":
                entries, model = list(value.values()), LevelName
            assert model is not None, f"unknown section [{key}] in a docs example"
            for entry in entries:
                try:
                    model.model_validate(entry)
                except ValidationError as exc:
                    wrong = [e for e in exc.errors() if e["type"] != "missing"]
                    assert not wrong, f"[{key}] {entry.get('id', '')}: {wrong}"
                checked += 1
    assert checked >= 15


def test_the_shipped_crosswalks_are_the_ones_the_workspace_knows():
    from etl.sources.crosswalks import BUILTIN, builtin
    from etl.workspace.vocabulary import BUILTIN_CROSSWALKS

    assert sorted(BUILTIN) == sorted(BUILTIN_CROSSWALKS)
    warsaw = builtin("warszawa-dzielnice")
    assert (
        warsaw.lookup("Praga-Południe") == warsaw.lookup("praga poludnie - dzielnica".replace(" p", "-p")) == "1465078"
    )
    assert builtin("krakow-delegatury").lookup("Kraków-Nowa Huta") == "1261039"
    assert builtin("lodz-delegatury").lookup("Śródmieście") == "1061059"
    lithuania = builtin("lt-municipalities")
    assert lithuania.lookup("Vilnius c. mun.") == lithuania.lookup("Vilniaus miesto savivaldybė") == "LT-57"
    assert lithuania.lookup("Vilnius d. mun.") == "LT-58" and lithuania.lookup("Druskininkai mun.") == "LT-07"
    assert "closest: Vilniaus" in lithuania.why_not("Vilniaus")
