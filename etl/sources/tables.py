"""Reading indicator tables as Polish offices publish them: CSV, XLSX, XLS.

Everything is read as text first, so codes keep their zeros and nothing is guessed behind the user's back;
numbers are parsed by :func:`parse_number` with Polish conventions (decimal comma, spaces between thousands).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.errors import SourceError
from etl.numbers import NotANumber, parse_number  # noqa: F401  (re-exported for the loaders)
from etl.workspace import Source

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
_LETTERS = re.compile(r"^[A-Z]{1,3}$")


@dataclass
class Table:
    """Cells as text, with the row number each row has in the file (1-based, as a spreadsheet shows it)."""

    frame: pd.DataFrame  # columns are header names (or letters when there is no header)
    row_numbers: list[int]
    letters: dict[str, str]  # Excel-style letter -> column name
    file: str
    header_cells: int = 0  # cells of the header row (CSV)
    extra_cells: dict[int, int] = field(default_factory=dict)  # row position -> cells, for rows longer than the header

    def too_long(self, position: int) -> str | None:
        """Why a row cannot be used because it has more cells than the header, or None."""
        if position not in self.extra_cells:
            return None
        return (
            f"the row has {self.extra_cells[position]} cells but the header has {self.header_cells}: is `separator` "
            "right? (in a comma-separated file, numbers with a decimal comma must be quoted)"
        )

    def column(self, ref: str, *, what: str) -> str:
        """Resolve a column named in the workspace: a header name, or a letter such as ``C``."""
        if ref in self.frame.columns:
            return ref
        normalised = {" ".join(str(c).split()).lower(): c for c in self.frame.columns}
        key = " ".join(ref.split()).lower()
        if key in normalised:
            return normalised[key]
        if _LETTERS.match(ref) and ref in self.letters:
            return self.letters[ref]
        shown = ", ".join(repr(" ".join(str(c).split()))[:40] for c in list(self.frame.columns)[:12])
        raise SourceError(
            f"{self.file}: no column '{ref}' for {what}. Columns are: {shown}"
            f'{" ..." if len(self.frame.columns) > 12 else ""} (or use a column letter, e.g. "B").'
        )

    def raw_row(self, position: int) -> str:
        """The row as the file has it (cells joined by ``;``), for a reject."""
        if "_rows" not in self.__dict__:  # once per table: a file with thousands of rejects asks for many rows
            self.__dict__["_rows"] = self.frame.to_numpy(dtype=object).tolist()
        return ";".join("" if v is None or v != v else str(v) for v in self.__dict__["_rows"][position])


def _letter(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _decode(data: bytes, encoding: str | None) -> str:
    if encoding and encoding != "auto":
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise SourceError(f"the file is not {encoding}: {exc}. Set `encoding` to the right one.") from exc
    for candidate in ("utf-8-sig", "cp1250"):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise SourceError("the file is neither UTF-8 nor WINDOWS-1250; set `encoding` in the workspace")


def _sniff_separator(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        return ";" if sample.count(";") >= sample.count(",") else ","


def read_table(
    path: Path,
    *,
    sheet: str | int | None = None,
    header_row: int | None = 1,
    data_start_row: int | None = None,
    separator: str | None = None,
    encoding: str | None = None,
) -> tuple[Table, str]:
    """Read a table; returns it and the separator used (``""`` for spreadsheets).

    Parameters
    ----------
    header_row
        1-based row holding the column names, or None/0 when there is none (refer to columns by letter).
    data_start_row
        1-based first data row (default: the row after the header).
    """
    if not path.exists():
        raise SourceError(f"Table not found: {path}")
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise SourceError(f"{path.name}: tables must be CSV, XLSX or XLS ({', '.join(TABLE_SUFFIXES)})")
    used_sep = ""
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            text = _decode(path.read_bytes(), encoding)
            used_sep = separator or ("\t" if suffix == ".tsv" else _sniff_separator(text))
            rows = list(csv.reader(io.StringIO(text), delimiter=used_sep))
            width = max((len(r) for r in rows), default=0)
            # header blocks and footnotes have fewer cells than the data: pad every row to the same width
            grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
        else:
            engine = "xlrd" if suffix == ".xls" else "openpyxl"
            grid = pd.read_excel(
                path,
                sheet_name=sheet if sheet is not None else 0,
                header=None,
                dtype=str,
                engine=engine,
                keep_default_na=False,
            )
    except SourceError as exc:
        raise SourceError(f"{path.name}: {exc}") from exc
    except ValueError as exc:
        raise SourceError(f"Cannot read {path.name}: {exc}") from exc
    except Exception as exc:  # parser errors from csv/xlrd/openpyxl
        raise SourceError(f"Cannot read {path.name}: {exc}") from exc

    grid = grid.fillna("")
    header = header_row or 0
    start = data_start_row or (header + 1)
    if header and header > len(grid):
        raise SourceError(f"{path.name}: header_row {header} is beyond the last row ({len(grid)})")
    letters = {_letter(i): i for i in range(grid.shape[1])}
    if header:
        names = []
        seen: dict[str, int] = {}
        for i, value in enumerate(grid.iloc[header - 1].tolist()):
            name = str(value).strip() or _letter(i)
            if name in seen:
                seen[name] += 1
                name = f"{name}.{seen[name]}"
            else:
                seen[name] = 0
            names.append(name)
    else:
        names = [_letter(i) for i in range(grid.shape[1])]
    data = grid.iloc[start - 1 :].copy()
    data.columns = names
    row_numbers = list(range(start, start + len(data)))
    data = data.reset_index(drop=True)
    table = Table(data, row_numbers, {k: names[i] for k, i in letters.items()}, path.name)
    if used_sep and header:
        table.header_cells = _used_width(rows[header - 1])
        table.extra_cells = {
            position: width
            for position, row in enumerate(rows[start - 1 :])
            if (width := _used_width(row)) > table.header_cells
        }
        filled = sum(1 for row in rows[start - 1 :] if _used_width(row))
        if filled and len(table.extra_cells) > filled / 2:
            raise SourceError(
                f"{path.name}: {len(table.extra_cells)} of {filled} rows have more cells than the header "
                f"({table.header_cells}), split by {used_sep!r}. Set `separator` to the file's real separator; in a "
                "comma-separated file, numbers with a decimal comma must be quoted."
            )
    return table, used_sep


def _used_width(row: list[str]) -> int:
    """Cells up to the last non-empty one (a trailing separator adds no cell)."""
    width = len(row)
    while width and not str(row[width - 1]).strip():
        width -= 1
    return width


def read_source_table(src: Source) -> tuple[Table, str]:
    """The table of a ``[[tables]]`` or ``[[proposals]]`` source, read as its options say (see :func:`read_table`)."""
    return read_table(
        src.file,
        sheet=src.opt("sheet"),
        header_row=src.opt("header_row", 1),
        data_start_row=src.opt("data_start_row"),
        separator=src.opt("separator"),
        encoding=src.opt("encoding"),
    )
