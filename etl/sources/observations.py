"""Loading an indicator table into observations, with a reject (file, row, column, reason) for each bad value.

Column by column, not value by value, so that ten million values load in seconds: codes, indicators, years and
flags repeat, so each distinct one is checked once and its answer spread over the values; numbers are parsed by
:func:`etl.numbers.parse_numbers`. Every check keeps its order and its words: a value gets the reason of the first
check it fails, as a reader going through the row would give it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.codes import TERYT_WIDTH, CodeMatcher, normalise_code, normalise_codes
from etl.errors import SourceError
from etl.numbers import parse_numbers
from etl.reasons import reason
from etl.sources import filters
from etl.sources.crosswalks import Crosswalk
from etl.sources.tables import Table, arrow_text, not_blank, read_source_table
from etl.store.rejects import Rejects
from etl.texts import say
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
        values.append((table.column(src.opt("value"), what=say("what_value")), None, None))
    elif layout == "wide_indicators":
        for ref, indicator_id in src.opt("columns").items():
            values.append((table.column(ref, what=say("what_indicator", indicator=indicator_id)), indicator_id, None))
    else:  # wide_years
        years = src.opt("years", "auto")
        if years == "auto":
            for column in frame.columns:
                year = year_in_header(str(column))
                if year:
                    values.append((column, None, year))
            if not values:
                shown = ", ".join(repr(str(c))[:30] for c in list(frame.columns)[:12])
                raise SourceError(say("src_no_year_columns", file=table.file, columns=shown, source=src.id))
        else:
            for ref, year in years.items():
                values.append((table.column(ref, what=say("what_year", year=year)), None, str(year)))
    return _Layout(
        code=table.column(src.opt("code"), what=say("what_code")),
        year=optional("year_column", "the year"),
        indicator=optional("indicator_column", "the indicator"),
        flag=optional("flag_column", "the flag"),
        values=values,
    )


def _distinct(values: pa.Array) -> tuple[np.ndarray, list[str]]:
    """Each value's index into the list of distinct values, and that list."""
    encoded = pc.dictionary_encode(values)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False), encoded.dictionary.to_pylist()


def _per_cell(
    table: Table, column: str | None, per_value_column: list[str | None], fixed: str
) -> tuple[np.ndarray, list[str]]:
    """A cell's text from a row-level column (stripped), else from its value column's mapping, else a fixed text:
    as indices into the distinct texts, one per cell (rows × value columns, row by row)."""
    n, k = len(table.frame), len(per_value_column)
    if column is not None:
        index, texts = _distinct(arrow_text(table.frame[column]))
        return (index if k == 1 else np.repeat(index, k)), [t.strip() for t in texts]
    texts = [v or fixed for v in per_value_column]
    return np.tile(np.arange(k, dtype=np.int32), n), texts


Texts = str | Callable[[np.ndarray], list[str]]  # one text for all, or the texts of the cells at some indices


@dataclass
class _Verdicts:
    """The first reason each value cannot be used: cell index, column and reason, gathered check by check."""

    cells: int
    refused: np.ndarray = field(init=False)
    found: list[tuple[np.ndarray, list[str], list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.refused = np.zeros(self.cells, dtype=bool)

    def refuse(self, mask: np.ndarray, column: Texts, reason: Texts) -> None:
        """Refuse the cells in ``mask`` not refused already; texts are asked for those cells only."""
        new = mask & ~self.refused
        at = np.flatnonzero(new)
        if not len(at):
            return
        self.refused |= new

        def pick(what: Texts) -> list[str]:
            return [what] * len(at) if isinstance(what, str) else what(at)

        self.found.append((at, pick(column), pick(reason)))

    def in_order(self) -> tuple[np.ndarray, list[str], list[str]]:
        if not self.found:
            return np.zeros(0, dtype=np.int64), [], []
        at = np.concatenate([f[0] for f in self.found])
        columns = [c for f in self.found for c in f[1]]
        reasons = [r for f in self.found for r in f[2]]
        order = np.argsort(at, kind="stable")
        return at[order], [columns[i] for i in order], [reasons[i] for i in order]


def _lookup(texts: list[str], index: np.ndarray) -> Callable[[np.ndarray], list[str]]:
    """The texts of cells, each chosen by its entry in ``index``."""
    return lambda at: [texts[i] for i in index[at].tolist()]


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
    value_column = [c for c, _i, _y in lay.values]

    def spread(per_row: np.ndarray) -> np.ndarray:  # a row's value for each of its cells
        return per_row if k == 1 else np.repeat(per_row, k)

    def cell_column(at: np.ndarray) -> list[str]:
        return [value_column[c] for c in (at % k).tolist()]

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
        verdicts.refuse(spread(missing), code_ref, lambda at: [why[i] for i in code_index[at // k].tolist()])
        active &= ~missing
        raw_codes = np.array(code_texts + [x or "" for x in looked], dtype=object)
        code_index, code_texts = _distinct(
            pa.array(raw_codes[np.where(through & ~missing, code_index + len(code_texts), code_index)], pa.string())
        )
    if table.extra_cells:
        long_rows = np.zeros(n, dtype=bool)
        long_rows[list(table.extra_cells)] = True
        long_rows &= active
        verdicts.refuse(
            spread(long_rows), cell_column, lambda at: [table.too_long(int(p)) or "" for p in (at // k).tolist()]
        )
        active &= ~long_rows

    # codes: each distinct one normalised and matched once
    codes = normalise_codes(code_texts, width=width, level=teryt_level)
    code_digits = np.array([bool(c) and c.isdigit() for c in codes], bool)[code_index]
    blank_row = active & ~row_has_values & ~code_digits  # blank line, sub-heading or footnote
    skipped |= blank_row
    active &= ~blank_row
    if keep_codes:
        other = active & ~np.array([bool(keep_codes.fullmatch(c)) for c in codes], bool)[code_index]
        skipped |= other  # filtered out by the workspace (e.g. town/rural parts)
        active &= ~other
    del row_has_values, code_digits, blank_row, filtered
    units = [matcher.match(c) if c else None for c in codes]
    unknown = [
        (
            reason("unknown_unit_at_level", code=c, level=level, closest=matcher.closest(c))
            if level
            else reason("unknown_unit", code=c, closest=matcher.closest(c))
        )
        if c and u is None
        else ""
        for c, u in zip(codes, units, strict=True)
    ]
    cell_active = spread(active)
    cell_code = spread(code_index)
    verdicts.refuse(cell_active & ~np.array([bool(c) for c in codes], bool)[cell_code], code_ref, reason("no_code"))
    unit_known = np.array([u is not None for u in units], bool)[cell_code]
    verdicts.refuse(cell_active & ~unit_known, code_ref, _lookup(unknown, cell_code))
    del unit_known

    # indicators and years: each distinct one checked once
    ind_index, ind_texts = _per_cell(table, lay.indicator, [i for _c, i, _y in lay.values], src.opt("indicator", ""))
    indicators = [catalogue.get(t) for t in ind_texts]
    ind_column = src.opt("indicator_column")
    verdicts.refuse(
        cell_active & ~np.array([i is not None for i in indicators], bool)[ind_index],
        ind_column if ind_column else cell_column,
        _lookup([reason("unknown_indicator", indicator=t) for t in ind_texts], ind_index),
    )
    year_index, year_texts = _per_cell(table, lay.year, [y for _c, _i, y in lay.values], str(src.opt("year", "")))
    years = [int(y) if _YEAR.match(y := normalise_code(t)) else 0 for t in year_texts]
    verdicts.refuse(
        cell_active & ~np.array([y > 0 for y in years], bool)[year_index],
        src.opt("year_column") or "year",
        _lookup([reason("not_a_year", text=t) for t in year_texts], year_index),
    )

    # values: parsed by Arrow where plain, by parse_number where not
    cell_text = _cells_text([arrow_text(frame[c]) for c in value_column], n, k)
    wanted = cell_active & ~verdicts.refused
    value, why_not = parse_numbers(cell_text, wanted, decimal=decimal, dash_is_zero=bool(src.opt("dash_is_zero", True)))
    failed = np.zeros(n * k, dtype=bool)
    failed[list(why_not)] = True
    verdicts.refuse(failed, cell_column, lambda at: [why_not[c] for c in at.tolist()])
    del wanted, failed
    ok = cell_active & ~verdicts.refused
    whole = np.array([bool(i and i.whole_numbers) for i in indicators], bool)
    if whole.any():
        verdicts.refuse(
            ok & whole[ind_index] & (value != np.trunc(value)),
            cell_column,
            lambda at: [
                reason(
                    "not_whole",
                    quoted=repr(cell_text[c].as_py().strip()),
                    indicator=indicators[ind_index[c]].id,
                    unit=indicators[ind_index[c]].unit,
                )
                for c in at.tolist()
            ],
        )
        ok &= ~verdicts.refused
    bounds = np.array([i.bounds() if i else (0.0, 0.0) for i in indicators], float).reshape(-1, 2)
    verdicts.refuse(
        ok & ~((bounds[ind_index, 0] <= value) & (value <= bounds[ind_index, 1])),
        cell_column,
        lambda at: [_impossible(value[c], indicators[ind_index[c]]) for c in at.tolist()],
    )
    del ok

    # duplicates inside the source (none of them is trusted), then values another source already loaded
    good = np.flatnonzero(cell_active & ~verdicts.refused)
    del cell_active
    unit_names = sorted({u for u in units if u})
    unit_number = {u: i for i, u in enumerate(unit_names)}
    ind_names = sorted(set(ind_texts))
    ind_number = {t: i for i, t in enumerate(ind_names)}
    candidates = _Candidates(
        cell=good,
        unit=np.array([unit_number.get(u or "", -1) for u in units], np.int32)[cell_code[good]],
        indicator=np.array([ind_number[t] for t in ind_texts], np.int32)[ind_index[good]],
        year=np.array(years, dtype=np.int32)[year_index[good]],
        units=pa.array(unit_names, pa.string()),
        indicators=pa.array(ind_names, pa.string()),
    )
    del cell_code, year_index
    order, twice = candidates.in_key_order()
    later = _duplicates_and_taken(con, src, table, candidates, twice, k, cell_column)
    refused_later = np.zeros(len(candidates.cell), dtype=bool)
    refused_later[np.searchsorted(candidates.cell, later[0])] = True  # cells are in ascending order
    stored = candidates.subset(~refused_later if order is None else order[~refused_later[order]])
    flag_map: dict[str, str] = src.opt("flags", {})
    flag_index, flag_texts = _per_cell(table, lay.flag, [None] * k, "")
    flags = pa.array([flag_map.get(t, t) or None for t in flag_texts], pa.string()).take(
        pa.array(flag_index[stored.cell])
    )
    del flag_index
    at, columns, reasons = verdicts.in_order()
    at = np.concatenate([at, later[0]])
    columns += later[1]
    reasons += later[2]
    raw = table.raw_rows(at // k)
    for cell, column, because, text in zip((at // k).tolist(), columns, reasons, raw, strict=True):
        rejects.add(src.id, src.file.name, table.row_numbers[cell], column, because, text)

    table.frame = frame = pd.DataFrame()  # the cells are no longer needed: their memory goes before the writing
    con.execute("DELETE FROM observations WHERE source_id = ?", [src.id])
    if len(stored.cell):
        rows_out = stored.table()
        rows_out = rows_out.append_column("value", pa.array(value[stored.cell], pa.float64()))
        rows_out = rows_out.append_column("flag", flags)
        con.register("_obs", pa.Table.from_batches(rows_out.to_batches(max_chunksize=1 << 20)))  # read in parallel
        # in map order (indicator, year, unit): a map's query then reads only the zones of its indicator and year
        con.execute("INSERT INTO observations SELECT unit_code, indicator_id, year, value, flag, ? FROM _obs", [src.id])
        con.unregister("_obs")
        del rows_out
    pa.default_memory_pool().release_unused()  # Arrow keeps freed memory for reuse; the store's checks need it now
    return {
        "rows_read": n,
        "rows_loaded": len(stored.cell),
        "rows_rejected": rejects.count(src.id),
        "rows_skipped": int(skipped.sum()),
    }


def _cells_text(columns: list[pa.Array], n: int, k: int) -> pa.Array:
    """The value columns' cells as one array, row by row (a wide row's values side by side)."""
    if k == 1:
        return columns[0]
    index = np.tile(np.arange(k, dtype=np.int64), n) * n + np.repeat(np.arange(n, dtype=np.int64), k)
    return pa.concat_arrays(columns).take(pa.array(index))


def _impossible(value: float, indicator: Indicator) -> str:
    low, high = indicator.bounds()
    what = (
        "negative"
        if value < 0 and low >= 0
        else "above_100"
        if high == 100
        else "billion"
        if high == COUNT_MAX
        else "range"
    )
    return reason(
        f"impossible_{what}",
        value=float(value),
        indicator=indicator.id,
        unit=indicator.unit,
        low=float(low),
        high=float(high),
    )


@dataclass
class _Candidates:
    """Values that passed every check of their own: cell, and unit and indicator as numbers into the names."""

    cell: np.ndarray
    unit: np.ndarray
    indicator: np.ndarray
    year: np.ndarray
    units: pa.Array
    indicators: pa.Array

    def key(self) -> np.ndarray:
        """One number per (indicator, year, unit), ordered as the store keeps values (the names are sorted)."""
        return (self.indicator.astype(np.int64) * 10_000 + self.year) * max(len(self.units), 1) + self.unit

    def in_key_order(self) -> tuple[np.ndarray | None, np.ndarray]:
        """The order that sorts the values by key (None when they come sorted, as exports often do), and which
        values share their key with another."""
        key = self.key()
        if np.all(key[1:] > key[:-1]):
            return None, np.zeros(len(key), dtype=bool)
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        same = ordered[1:] == ordered[:-1]
        twice = np.zeros(len(key), dtype=bool)
        twice[order[1:][same]] = True
        twice[order[:-1][same]] = True
        return order, twice

    def subset(self, which: np.ndarray) -> _Candidates:
        """The values at ``which`` (a mask or indices, in that order)."""
        if which.dtype == bool and which.all():
            return self
        return _Candidates(
            self.cell[which], self.unit[which], self.indicator[which], self.year[which], self.units, self.indicators
        )

    def table(self) -> pa.Table:
        return pa.table(
            {
                "cell": pa.array(self.cell),
                "unit_code": self.units.take(pa.array(self.unit)),
                "indicator_id": self.indicators.take(pa.array(self.indicator)),
                "year": pa.array(self.year, pa.int32()),
            }
        )


def _duplicates_and_taken(
    con: duckdb.DuckDBPyConnection,
    src: Source,
    table: Table,
    candidates: _Candidates,
    twice: np.ndarray,
    k: int,
    cell_column: Callable[[np.ndarray], list[str]],
) -> tuple[np.ndarray, list[str], list[str]]:
    """Values refused after all others: a unit, indicator and year given twice in the source (all of them), or
    already loaded from another source. In the order of each key's first appearance."""
    cells: list[int] = []
    first: list[int] = []
    reasons: list[str] = []
    groups: dict[int, list[int]] = {}
    given_twice = np.flatnonzero(twice)
    for member, key in zip(given_twice.tolist(), candidates.subset(given_twice).key().tolist(), strict=True):
        groups.setdefault(key, []).append(member)
    for members in groups.values():
        m0 = members[0]
        rows_text = ", ".join(str(table.row_numbers[candidates.cell[m] // k]) for m in members)
        twice_said = reason(
            "duplicate_key",
            unit=candidates.units[int(candidates.unit[m0])].as_py(),
            indicator=candidates.indicators[int(candidates.indicator[m0])].as_py(),
            year=int(candidates.year[m0]),
            rows=rows_text,
        )
        for m in members:
            cells.append(int(candidates.cell[m]))
            first.append(int(candidates.cell[m0]))
            reasons.append(twice_said)
    elsewhere = {
        i
        for (i,) in con.execute(
            "SELECT DISTINCT indicator_id FROM observations WHERE source_id <> ?", [src.id]
        ).fetchall()
    }
    shared = np.flatnonzero(np.isin(candidates.indicators.to_numpy(zero_copy_only=False), list(elsewhere)))
    once = candidates.subset(~twice & np.isin(candidates.indicator, shared)) if len(shared) else None
    if once is not None and len(once.cell):  # only values of indicators another source also loads can collide
        con.register("_new", once.table())
        taken = con.execute(
            "SELECT n.cell, n.unit_code, n.indicator_id, n.year, o.source_id FROM _new n "
            "JOIN observations o USING (unit_code, indicator_id, year) WHERE o.source_id <> ?",
            [src.id],
        ).fetchall()
        con.unregister("_new")
        for cell, unit, indicator, year, source in taken:
            cells.append(cell)
            first.append(cell)
            reasons.append(reason("already_loaded", unit=unit, indicator=indicator, year=int(year), source=source))
    if not cells:
        return np.zeros(0, dtype=np.int64), [], []
    order = np.lexsort((np.array(cells), np.array(first)))
    at = np.array(cells, dtype=np.int64)[order]
    return at, cell_column(at), [reasons[i] for i in order]
