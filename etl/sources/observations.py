"""Loading an indicator table into observations, with a reject (file, row, column, reason) for each bad value.

Column by column, not value by value, so that ten million values load in seconds: codes, indicators, years and
flags repeat, so each distinct one is checked once and its answer spread over the values; numbers are parsed by
:func:`etl.numbers.parse_numbers`. Every check keeps its order and its words: a value gets the reason of the first
check it fails, as a reader going through the row would give it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.codes import TERYT_WIDTH, CodeMatcher, normalise_code
from etl.errors import SourceError
from etl.numbers import parse_numbers
from etl.sources import filters
from etl.sources.crosswalks import Crosswalk
from etl.sources.tables import Table, arrow_text, not_blank, read_source_table
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
class _Layout:
    """Where a table keeps its codes, indicators, years, flags and values."""

    code: str
    year: str | None
    indicator: str | None
    flag: str | None
    values: list[tuple[str, str | None, str | None]]  # (column, indicator, year): one per value column


def _layout(table: Table, src: Source) -> _Layout:
    """Resolve the columns the source names: long or wide layouts, each value column with its indicator or year."""
    frame = table.frame

    def optional(option: str, what: str) -> str | None:
        return table.column(src.opt(option), what=what) if src.opt(option) else None

    layout = src.opt("layout", "long")
    values: list[tuple[str, str | None, str | None]] = []
    if layout == "long":
        values.append((table.column(src.opt("value"), what="the value"), None, None))
    elif layout == "wide_indicators":
        for ref, indicator_id in src.opt("columns").items():
            values.append((table.column(ref, what=f"indicator {indicator_id}"), indicator_id, None))
    else:  # wide_years
        years = src.opt("years", "auto")
        if years == "auto":
            for column in frame.columns:
                year = year_in_header(str(column))
                if year:
                    values.append((column, None, year))
            if not values:
                shown = ", ".join(repr(str(c))[:30] for c in list(frame.columns)[:12])
                raise SourceError(
                    f'{table.file}: years = "auto" found no column whose header is a year (columns: {shown}). '
                    f"Map them in source '{src.id}': years = {{ \"header\" = 2024, ... }}."
                )
        else:
            for ref, year in years.items():
                values.append((table.column(ref, what=f"year {year}"), None, str(year)))
    return _Layout(
        code=table.column(src.opt("code"), what="the unit code"),
        year=optional("year_column", "the year"),
        indicator=optional("indicator_column", "the indicator"),
        flag=optional("flag_column", "the flag"),
        values=values,
    )


def _distinct(values: pa.Array) -> tuple[np.ndarray, list[str]]:
    """Each value's index into the list of distinct values, and that list."""
    encoded = pc.dictionary_encode(values)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary.to_pylist()


def _per_cell(
    table: Table, column: str | None, per_value_column: list[str | None], fixed: str, strip: bool = True
) -> tuple[np.ndarray, list[str]]:
    """A cell's text from a row-level column, else from its value column's mapping, else a fixed text: as indices
    into the distinct texts (rows × value columns, row by row)."""
    n, k = len(table.frame), len(per_value_column)
    if column is not None:
        index, texts = _distinct(arrow_text(table.frame[column]))
        if strip:
            texts = [t.strip() for t in texts]
        return np.repeat(index, k), texts
    texts = [v or fixed for v in per_value_column]
    return np.tile(np.arange(k, dtype=np.int64), n), texts


@dataclass
class _Verdicts:
    """The first reason each value cannot be used: cell index, column and reason, gathered check by check."""

    cells: int
    refused: np.ndarray = field(init=False)
    found: list[tuple[np.ndarray, list[str], list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.refused = np.zeros(self.cells, dtype=bool)

    def refuse(self, mask: np.ndarray, column: np.ndarray | str, reason: np.ndarray | list[str] | str) -> None:
        """Refuse the cells in ``mask`` not refused already; ``column``/``reason`` are per cell, or one for all."""
        new = mask & ~self.refused
        at = np.flatnonzero(new)
        if not len(at):
            return
        self.refused |= new

        def pick(what: np.ndarray | list[str] | str) -> list[str]:
            if isinstance(what, str):
                return [what] * len(at)
            return [what[i] for i in at] if isinstance(what, list) else what[at].tolist()

        self.found.append((at, pick(column), pick(reason)))

    def in_order(self) -> tuple[np.ndarray, list[str], list[str]]:
        if not self.found:
            return np.zeros(0, dtype=np.int64), [], []
        at = np.concatenate([f[0] for f in self.found])
        columns = [c for f in self.found for c in f[1]]
        reasons = [r for f in self.found for r in f[2]]
        order = np.argsort(at, kind="stable")
        return at[order], [columns[i] for i in order], [reasons[i] for i in order]


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
    frame = table.frame
    decimal = src.opt("decimal") or ("." if separator == "," else ",")
    flag_map: dict[str, str] = src.opt("flags", {})
    level = src.opt("level")
    rows = con.execute(
        "SELECT code, name FROM units" + (" WHERE level = ?" if level else ""), [level] if level else []
    ).fetchall()
    matcher = CodeMatcher(dict(rows), mode=src.opt("code_match", "exact"))
    keep_codes = re.compile(src.opt("keep_codes")) if src.opt("keep_codes") else None
    width = code_width(src)
    teryt_level = level if width and width == TERYT_WIDTH.get(level) else None
    code_ref = src.opt("code")

    lay = _layout(table, src)
    n, k = len(frame), len(lay.values)
    position = np.repeat(np.arange(n, dtype=np.int64), k)  # cell -> row, cells row by row
    value_column = [c for c, _i, _y in lay.values]
    cell_column = np.array(value_column, dtype=object)[np.tile(np.arange(k), n)] if n else np.zeros(0, object)
    value_texts = [arrow_text(frame[c]) for c in value_column]
    row_has_values = np.zeros(n, dtype=bool)
    for c in value_column:
        row_has_values |= not_blank(frame[c])
    verdicts = _Verdicts(n * k)

    # rows: filtered out by the workspace, codes through the crosswalk, rows longer than the header
    filtered = ~filters.kept(frame, src, table.column)
    skipped = filtered.copy()  # rows dropped by keep_rows/drop_rows are skipped, not rejected
    active = ~filtered
    code_index, code_texts = _distinct(arrow_text(frame[lay.code]))
    if crosswalk is not None:
        looked = [crosswalk.lookup(t) if t.strip() else None for t in code_texts]
        through = active & row_has_values & np.array([bool(t.strip()) for t in code_texts], bool)[code_index]
        missing = through & np.array([x is None for x in looked], bool)[code_index]
        why = [
            crosswalk.why_not(t.strip()) if x is None and t.strip() else ""
            for t, x in zip(code_texts, looked, strict=True)
        ]
        verdicts.refuse(np.repeat(missing, k), code_ref, np.array(why, dtype=object)[np.repeat(code_index, k)])
        active &= ~missing
        raw_codes = np.array(code_texts + [x or "" for x in looked], dtype=object)
        code_index, code_texts = _distinct(
            pa.array(raw_codes[np.where(through & ~missing, code_index + len(code_texts), code_index)], pa.string())
        )
    if table.extra_cells:
        long_rows = np.zeros(n, dtype=bool)
        long_rows[list(table.extra_cells)] = True
        long_rows &= active
        reasons = np.array([table.too_long(int(p)) or "" for p in range(n)] if long_rows.any() else [""] * n, object)
        verdicts.refuse(np.repeat(long_rows, k), cell_column, reasons[position])
        active &= ~long_rows

    # codes: each distinct one normalised and matched once
    codes = [normalise_code(t, width=width, level=teryt_level) for t in code_texts]
    code_digits = np.array([bool(c) and c.isdigit() for c in codes], bool)[code_index]
    blank_row = active & ~row_has_values & ~code_digits  # blank line, sub-heading or footnote
    skipped |= blank_row
    active &= ~blank_row
    if keep_codes:
        other = active & ~np.array([bool(keep_codes.fullmatch(c)) for c in codes], bool)[code_index]
        skipped |= other  # filtered out by the workspace (e.g. town/rural parts)
        active &= ~other
    units = [matcher.match(c) if c else None for c in codes]
    where = f" at level {level}" if level else ""
    unknown = [
        f"unknown unit {c}{where}; {matcher.closest(c)}" if c and u is None else ""
        for c, u in zip(codes, units, strict=True)
    ]
    cell_active = np.repeat(active, k)
    cell_code = np.repeat(code_index, k)
    verdicts.refuse(cell_active & ~np.array([bool(c) for c in codes], bool)[cell_code], code_ref, "no unit code")
    unit_known = np.array([u is not None for u in units], bool)[cell_code]
    verdicts.refuse(cell_active & ~unit_known, code_ref, np.array(unknown, dtype=object)[cell_code])

    # indicators and years: each distinct one checked once
    ind_index, ind_texts = _per_cell(table, lay.indicator, [i for _c, i, _y in lay.values], src.opt("indicator", ""))
    indicators = [catalogue.get(t) for t in ind_texts]
    ind_column = src.opt("indicator_column")
    verdicts.refuse(
        cell_active & ~np.array([i is not None for i in indicators], bool)[ind_index],
        ind_column if ind_column else cell_column,
        np.array([f"unknown indicator '{t}': declare it in [[indicators]]" for t in ind_texts], object)[ind_index],
    )
    year_index, year_texts = _per_cell(table, lay.year, [y for _c, _i, y in lay.values], str(src.opt("year", "")))
    years = [int(y) if _YEAR.match(y := normalise_code(t)) else 0 for t in year_texts]
    verdicts.refuse(
        cell_active & ~np.array([y > 0 for y in years], bool)[year_index],
        src.opt("year_column") or "year",
        np.array([f"'{t}' is not a year" for t in year_texts], object)[year_index],
    )

    # values: parsed by Arrow where plain, by parse_number where not
    cell_text = _cells_text(value_texts, n, k)
    wanted = cell_active & ~verdicts.refused
    value, why_not = parse_numbers(cell_text, wanted, decimal=decimal, dash_is_zero=bool(src.opt("dash_is_zero", True)))
    verdicts.refuse(wanted & np.not_equal(why_not, None), cell_column, why_not)
    whole = np.array([bool(i and i.whole_numbers) for i in indicators], bool)[ind_index]
    ok = cell_active & ~verdicts.refused
    fraction = ok & whole & (value != np.trunc(value))
    if fraction.any():
        verdicts.refuse(
            fraction,
            cell_column,
            _messages(
                fraction,
                lambda c: (
                    f"{cell_text[c].as_py().strip()!r} is not a whole number, but {indicators[ind_index[c]].id} counts "
                    f"{indicators[ind_index[c]].unit}: is the decimal mark right?"
                ),
            ),
        )
    bounds = [i.bounds() if i else (0.0, 0.0) for i in indicators]
    low = np.array([b[0] for b in bounds], float)[ind_index]
    high = np.array([b[1] for b in bounds], float)[ind_index]
    ok = cell_active & ~verdicts.refused
    outside = ok & ~((low <= value) & (value <= high))
    if outside.any():
        verdicts.refuse(
            outside, cell_column, _messages(outside, lambda c: _impossible(value[c], indicators[ind_index[c]]))
        )

    # duplicates inside the source (none of them is trusted), then values another source already loaded
    good = np.flatnonzero(cell_active & ~verdicts.refused)
    unit_names = sorted({u for u in units if u})
    unit_number = {u: i for i, u in enumerate(unit_names)}
    ind_names = sorted(set(ind_texts))
    ind_number = {t: i for i, t in enumerate(ind_names)}
    candidates = pd.DataFrame(
        {
            "cell": good,
            "unit": np.array([unit_number.get(u or "", -1) for u in units], np.int64)[cell_code[good]],
            "indicator": np.array([ind_number[t] for t in ind_texts], np.int64)[ind_index[good]],
            "year": np.array(years, dtype=np.int32)[year_index[good]],
        }
    )
    names = (pa.array(unit_names, pa.string()), pa.array(ind_names, pa.string()))
    later = _duplicates_and_taken(con, src, table, candidates, names, position, cell_column)
    stored = candidates[~np.isin(candidates["cell"].to_numpy(), later[0])]
    at, columns, reasons = verdicts.in_order()
    at = np.concatenate([at, later[0]])
    columns += later[1]
    reasons += later[2]
    raw = table.raw_rows(position[at])
    for cell, column, reason, text in zip(at.tolist(), columns, reasons, raw, strict=True):
        rejects.add(src.id, src.file.name, table.row_numbers[position[cell]], column, reason, text)

    con.execute("DELETE FROM observations WHERE source_id = ?", [src.id])
    if len(stored):
        cells = stored["cell"].to_numpy()
        flag_index, flag_texts = _per_cell(table, lay.flag, [None] * k, "")
        flags = pa.array([flag_map.get(t, t) or None for t in flag_texts], pa.string())
        rows_out = pa.table(
            {
                "unit_code": names[0].take(pa.array(stored["unit"].to_numpy())),
                "indicator_id": names[1].take(pa.array(stored["indicator"].to_numpy())),
                "year": pa.array(stored["year"].to_numpy(), pa.int32()),
                "value": pa.array(value[cells], pa.float64()),
                "flag": flags.take(pa.array(flag_index[cells])),
            }
        )
        con.register("_obs", rows_out)
        # in map order: a map's query then reads only the zones of its indicator and year
        con.execute("INSERT INTO observations SELECT *, ? FROM _obs ORDER BY indicator_id, year, unit_code", [src.id])
        con.unregister("_obs")
    return {
        "rows_read": n,
        "rows_loaded": len(stored),
        "rows_rejected": rejects.count(src.id),
        "rows_skipped": int(skipped.sum()),
    }


def _cells_text(columns: list[pa.Array], n: int, k: int) -> pa.Array:
    """The value columns' cells as one array, row by row (a wide row's values side by side)."""
    if k == 1:
        return columns[0]
    index = np.tile(np.arange(k, dtype=np.int64), n) * n + np.repeat(np.arange(n, dtype=np.int64), k)
    return pa.concat_arrays(columns).take(pa.array(index))


def _messages(mask: np.ndarray, text_of) -> np.ndarray:  # noqa: ANN001  (a function of a cell index)
    """A message for each cell in ``mask`` (few: messages are written for refused values only)."""
    out = np.full(len(mask), None, dtype=object)
    for cell in np.flatnonzero(mask):
        out[cell] = text_of(cell)
    return out


def _impossible(value: float, indicator: Indicator) -> str:
    low, high = indicator.bounds()
    what = (
        "negative"
        if value < 0 and low >= 0
        else "above 100%"
        if high == 100
        else "more than a billion"
        if high == COUNT_MAX
        else "out of range"
    )
    return f"impossible value {value:g} for {indicator.id} ({indicator.unit}): {what}, allowed {low:g}–{high:g}"


def _duplicates_and_taken(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    table: Table,
    candidates: pd.DataFrame,
    names: tuple[pa.Array, pa.Array],
    position: np.ndarray,
    cell_column: np.ndarray,
) -> tuple[np.ndarray, list[str], list[str]]:
    """Values refused after all others: a unit, indicator and year given twice in the source (all of them), or
    already loaded from another source. In the order of each key's first appearance. ``candidates`` holds each
    value's cell and its unit and indicator as numbers into ``names``."""
    key = ["unit", "indicator", "year"]
    twice = candidates.duplicated(key, keep=False).to_numpy()
    cells: list[int] = []
    first: list[int] = []
    reasons: list[str] = []
    for (unit, indicator, year), group in candidates[twice].groupby(key, sort=False):
        members = group["cell"].tolist()
        rows_text = ", ".join(str(table.row_numbers[position[m]]) for m in members)
        what = f"unit {names[0][int(unit)].as_py()}, indicator {names[1][int(indicator)].as_py()}, year {year}"
        for m in members:
            cells.append(m)
            first.append(members[0])
            reasons.append(f"duplicate: {what} appears in rows {rows_text}")
    elsewhere = {
        i
        for (i,) in con.execute(
            "SELECT DISTINCT indicator_id FROM observations WHERE source_id <> ?", [src.id]
        ).fetchall()
    }
    shared = np.flatnonzero(np.isin(names[1].to_numpy(zero_copy_only=False), list(elsewhere)))
    once = candidates[~twice & np.isin(candidates["indicator"].to_numpy(), shared)]
    if len(once):  # only values of indicators another source also loads can collide
        con.register(
            "_new",
            pa.table(
                {
                    "cell": pa.array(once["cell"].to_numpy()),
                    "unit_code": names[0].take(pa.array(once["unit"].to_numpy())),
                    "indicator_id": names[1].take(pa.array(once["indicator"].to_numpy())),
                    "year": pa.array(once["year"].to_numpy(), pa.int32()),
                }
            ),
        )
        taken = con.execute(
            "SELECT n.cell, n.unit_code, n.indicator_id, n.year, o.source_id FROM _new n "
            "JOIN observations o USING (unit_code, indicator_id, year) WHERE o.source_id <> ?",
            [src.id],
        ).fetchall()
        con.unregister("_new")
        for cell, unit, indicator, year, source in taken:
            cells.append(cell)
            first.append(cell)
            reasons.append(f"unit {unit}, indicator {indicator}, year {year} is already loaded from source '{source}'")
    if not cells:
        return np.zeros(0, dtype=np.int64), [], []
    order = np.lexsort((np.array(cells), np.array(first)))
    at = np.array(cells, dtype=np.int64)[order]
    return at, [cell_column[c] for c in at], [reasons[i] for i in order]
