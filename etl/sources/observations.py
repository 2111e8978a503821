"""Loading an indicator table into observations, with a reject (file, row, column, reason) for each bad value."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from etl.codes import TERYT_WIDTH, CodeMatcher, normalise_code
from etl.errors import SourceError
from etl.sources import filters
from etl.sources.crosswalks import Crosswalk
from etl.sources.tables import NotANumber, Table, parse_number, read_source_table
from etl.store.rejects import Rejects
from etl.workspace import Source, code_width
from indicators.catalogue import Indicator
from indicators.units import COUNT_MAX

_YEAR = re.compile(r"^(19|20)\d\d$")
_YEAR_IN_HEADER = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def year_in_header(header: str) -> str | None:
    """The year a column header names, alone or with a prefix or suffix: ``2024``, ``2024 r.``, ``SB2004``,
    ``POP2023``, ``Ludność 2023``. None when it names no year or more than one (``2019-2023``)."""
    found = _YEAR_IN_HEADER.findall(header.strip())
    return found[0] if len(found) == 1 else None


@dataclass
class _Cell:
    """One candidate observation: where it is in the file and what it says."""

    position: int  # row position in the table frame
    column: str  # the value's column, for the reject
    code_raw: str
    indicator: str
    year_raw: str
    value_raw: str
    flag_raw: str


def _cells(table: Table, src: Source) -> list[_Cell]:
    """Turn long or wide layouts into one candidate per value."""
    frame = table.frame
    code_col = table.column(src.opt("code"), what="the unit code")
    layout = src.opt("layout", "long")
    fixed_year = str(src.opt("year", ""))
    year_col = table.column(src.opt("year_column"), what="the year") if src.opt("year_column") else None
    ind_col = table.column(src.opt("indicator_column"), what="the indicator") if src.opt("indicator_column") else None
    flag_col = table.column(src.opt("flag_column"), what="the flag") if src.opt("flag_column") else None

    value_columns: list[tuple[str, str | None, str | None]] = []  # (column, indicator, year)
    if layout == "long":
        value_columns.append((table.column(src.opt("value"), what="the value"), None, None))
    elif layout == "wide_indicators":
        for ref, indicator_id in src.opt("columns").items():
            value_columns.append((table.column(ref, what=f"indicator {indicator_id}"), indicator_id, None))
    else:  # wide_years
        years = src.opt("years", "auto")
        if years == "auto":
            for column in frame.columns:
                year = year_in_header(str(column))
                if year:
                    value_columns.append((column, None, year))
            if not value_columns:
                shown = ", ".join(repr(str(c))[:30] for c in list(frame.columns)[:12])
                raise SourceError(
                    f'{table.file}: years = "auto" found no column whose header is a year (columns: {shown}). '
                    f"Map them in source '{src.id}': years = {{ \"header\" = 2024, ... }}."
                )
        else:
            for ref, year in years.items():
                value_columns.append((table.column(ref, what=f"year {year}"), None, str(year)))

    fixed_indicator = src.opt("indicator", "")
    codes = frame[code_col].tolist()
    year_values = frame[year_col].tolist() if year_col else None
    ind_values = frame[ind_col].tolist() if ind_col else None
    flag_values = frame[flag_col].tolist() if flag_col else None
    values = {column: frame[column].tolist() for column, _i, _y in value_columns}
    cells = []
    for position, code in enumerate(codes):
        for column, indicator_id, year in value_columns:
            cells.append(
                _Cell(
                    position=position,
                    column=column,
                    code_raw=str(code),
                    indicator=indicator_id or (str(ind_values[position]).strip() if ind_values else fixed_indicator),
                    year_raw=year or (str(year_values[position]).strip() if year_values else fixed_year),
                    value_raw=str(values[column][position]),
                    flag_raw=str(flag_values[position]).strip() if flag_values else "",
                )
            )
    return cells


def load_table(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    rejects: Rejects,
    catalogue: dict[str, Indicator],
    *,
    crosswalk: Crosswalk | None = None,
) -> dict[str, int]:
    """Replace the observations of ``src`` in the store. Returns the counts for the run summary.

    ``rows_read`` and ``rows_skipped`` count table rows; ``rows_loaded`` and ``rows_rejected`` count values
    (a wide row holds several).
    """
    table, separator = read_source_table(src)
    decimal = src.opt("decimal") or ("." if separator == "," else ",")
    dash_is_zero = bool(src.opt("dash_is_zero", True))
    flag_map: dict[str, str] = src.opt("flags", {})
    level = src.opt("level")
    rows = con.execute(
        "SELECT code, name FROM units" + (" WHERE level = ?" if level else ""), [level] if level else []
    ).fetchall()
    matcher = CodeMatcher(dict(rows), mode=src.opt("code_match", "exact"))
    taken = dict(
        ((u, i, y), s)
        for u, i, y, s in con.execute(
            "SELECT unit_code, indicator_id, year, source_id FROM observations WHERE source_id <> ?", [src.id]
        ).fetchall()
    )
    keep_codes = re.compile(src.opt("keep_codes")) if src.opt("keep_codes") else None
    width = code_width(src)
    teryt_level = level if width and width == TERYT_WIDTH.get(level) else None

    cells = _cells(table, src)
    by_row: dict[int, list[_Cell]] = defaultdict(list)
    for cell in cells:
        by_row[cell.position].append(cell)

    filtered_out = set(np.flatnonzero(~filters.kept(table.frame, src, table.column)).tolist())
    skipped_rows: set[int] = set(filtered_out)  # rows dropped by keep_rows/drop_rows are skipped, not rejected
    good: list[tuple[_Cell, str, int, float, str | None]] = []

    def reject(cell: _Cell, column: str, reason: str) -> None:
        rejects.add(
            src.id, src.file.name, table.row_numbers[cell.position], column, reason, table.raw_row(cell.position)
        )

    for position, row_cells in by_row.items():
        if position in filtered_out:
            continue
        has_values = any(c.value_raw.strip() for c in row_cells)
        if crosswalk is not None and row_cells[0].code_raw.strip() and has_values:
            looked = crosswalk.lookup(row_cells[0].code_raw)
            if looked is None:
                for cell in row_cells:
                    reject(cell, src.opt("code"), crosswalk.why_not(cell.code_raw.strip()))
                continue
            for cell in row_cells:
                cell.code_raw = looked
        if too_long := table.too_long(position):
            for cell in row_cells:
                reject(cell, cell.column, too_long)
            continue
        code = normalise_code(row_cells[0].code_raw, width=width, level=teryt_level)
        if all(not c.value_raw.strip() for c in row_cells) and not (code and code.isdigit()):
            skipped_rows.add(position)  # blank line, sub-heading or footnote
            continue
        if keep_codes and not keep_codes.fullmatch(code):
            skipped_rows.add(position)  # filtered out by the workspace (e.g. town/rural parts)
            continue
        unit = matcher.match(code) if code else None
        for cell in row_cells:
            if not code:
                reject(cell, src.opt("code"), "no unit code")
                continue
            if unit is None:
                where = f" at level {level}" if level else ""
                reject(cell, src.opt("code"), f"unknown unit {code}{where}; {matcher.closest(code)}")
                continue
            indicator = catalogue.get(cell.indicator)
            if indicator is None:
                reject(
                    cell,
                    src.opt("indicator_column") or cell.column,
                    f"unknown indicator '{cell.indicator}': declare it in [[indicators]]",
                )
                continue
            year_text = normalise_code(cell.year_raw)
            if not _YEAR.match(year_text):
                reject(cell, src.opt("year_column") or "year", f"'{cell.year_raw}' is not a year")
                continue
            try:
                value = parse_number(cell.value_raw, decimal=decimal, dash_is_zero=dash_is_zero)
            except NotANumber as exc:
                reject(cell, cell.column, str(exc))
                continue
            if indicator.whole_numbers and value != int(value):
                reject(
                    cell,
                    cell.column,
                    f"{cell.value_raw.strip()!r} is not a whole number, but {indicator.id} counts {indicator.unit}: "
                    "is the decimal mark right?",
                )
                continue
            low, high = indicator.bounds()
            if not low <= value <= high:
                what = (
                    "negative"
                    if value < 0 and low >= 0
                    else "above 100%"
                    if high == 100
                    else "more than a billion"
                    if high == COUNT_MAX
                    else "out of range"
                )
                reject(
                    cell,
                    cell.column,
                    f"impossible value {value:g} for {indicator.id} ({indicator.unit}): {what}, "
                    f"allowed {low:g}–{high:g}",
                )
                continue
            flag = flag_map.get(cell.flag_raw, cell.flag_raw) or None
            good.append((cell, unit, int(year_text), value, flag))

    # duplicates inside the source: none of them is trusted
    seen: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for n, (cell, unit, year, _value, _flag) in enumerate(good):
        seen[(unit, cell.indicator, year)].append(n)
    stored = []
    for key, members in seen.items():
        if len(members) > 1:
            rows_text = ", ".join(str(table.row_numbers[good[m][0].position]) for m in members)
            for m in members:
                reject(
                    good[m][0],
                    good[m][0].column,
                    f"duplicate: unit {key[0]}, indicator {key[1]}, year {key[2]} appears in rows {rows_text}",
                )
            continue
        if key in taken:
            cell = good[members[0]][0]
            reject(
                cell,
                cell.column,
                f"unit {key[0]}, indicator {key[1]}, year {key[2]} is already loaded from source '{taken[key]}'",
            )
            continue
        _cell, unit, year, value, flag = good[members[0]]
        stored.append((unit, key[1], year, value, flag, src.id))

    con.execute("DELETE FROM observations WHERE source_id = ?", [src.id])
    if stored:
        frame = pd.DataFrame(stored, columns=["unit_code", "indicator_id", "year", "value", "flag", "source_id"])
        con.register("_obs", frame)
        con.execute("INSERT INTO observations SELECT * FROM _obs")
        con.unregister("_obs")
    return {
        "rows_read": len(table.frame),
        "rows_loaded": len(stored),
        "rows_rejected": rejects.count(src.id),
        "rows_skipped": len(skipped_rows),
    }
