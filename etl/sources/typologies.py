"""A typology: a class for each unit, read from a table (CSV or spreadsheet), for comparison groups."""

from __future__ import annotations

import json

import duckdb

from etl.codes import CodeMatcher, normalise_code
from etl.reasons import reason as said
from etl.sources.tables import read_source_table
from etl.store.rejects import Rejects
from etl.texts import say
from etl.workspace import Source
from etl.workspace.reader import code_width


def load_typology(con: duckdb.DuckDBPyConnection, src: Source, rejects: Rejects) -> dict[str, int]:
    """Replace the typology ``src`` and its units' classes. A row whose code is not a unit of the level, or whose
    class is empty, is a reject (file, row, column, reason); a unit listed twice keeps its first class."""
    table, _separator = read_source_table(src)
    code_col = table.column(src.opt("code"), what=say("what_code"))
    class_col = table.column(src.opt("class_column"), what=say("what_class"))
    level = src.opt("level")
    matcher = CodeMatcher(
        dict(con.execute("SELECT code, name FROM units WHERE level = ?", [level]).fetchall()), mode="exact"
    )
    width = code_width(src)
    prefix = src.opt("code_prefix") or ""
    classes: dict[str, str] = {}
    read = 0
    for position, (raw_code, raw_class) in enumerate(zip(table.frame[code_col], table.frame[class_col], strict=True)):
        read += 1
        row = table.row_numbers[position]
        text = "" if raw_code is None or raw_code != raw_code else str(raw_code).strip()
        label = "" if raw_class is None or raw_class != raw_class else " ".join(str(raw_class).split())
        if not text:
            rejects.add(src.id, table.file, row, code_col, said("no_code"), table.raw_row(position))
            continue
        code = matcher.match(prefix + normalise_code(text, width=width, level=level))
        if code is None:
            rejects.add(
                src.id,
                table.file,
                row,
                code_col,
                said("not_a_unit_of_level", text=text, level=level, closest=matcher.closest(prefix + text)),
                table.raw_row(position),
            )
            continue
        if not label:
            rejects.add(src.id, table.file, row, class_col, said("no_class"), table.raw_row(position))
            continue
        if code in classes:
            rejects.add(
                src.id,
                table.file,
                row,
                code_col,
                said("listed_twice", code=code),
                table.raw_row(position),
            )
            continue
        classes[code] = label
    con.execute("DELETE FROM unit_classes WHERE source_id = ?", [src.id])
    con.execute("DELETE FROM typologies WHERE source_id = ?", [src.id])
    con.execute(
        "INSERT INTO typologies VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            src.id,
            level,
            src.opt("name_pl"),
            src.opt("name_en"),
            src.opt("name_lt"),
            json.dumps(
                {"pl": src.opt("classes") or {}, "en": src.opt("classes_en") or {}, "lt": src.opt("classes_lt") or {}},
                ensure_ascii=False,
            ),
            src.id,
        ],
    )
    if classes:
        con.executemany(
            "INSERT INTO unit_classes VALUES (?, ?, ?, ?)", [[src.id, c, k, src.id] for c, k in classes.items()]
        )
    rejected = read - len(classes)
    return {"rows_read": read, "rows_loaded": len(classes), "rows_rejected": rejected, "rows_skipped": 0}
