"""Reading indicator tables as Polish offices publish them: CSV, XLSX, XLS.

Everything is read as text first, so codes keep their zeros and nothing is guessed behind the user's back;
numbers are parsed by :func:`parse_number` with Polish conventions (decimal comma, spaces between thousands).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from etl.errors import SourceError
from etl.numbers import NotANumber, parse_number  # noqa: F401  (re-exported for the loaders)
from etl.reasons import reason
from etl.texts import say
from etl.workspace import Source
from indicators.translation import as_raised

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
_LETTERS = re.compile(r"^[A-Z]{1,3}$")


@dataclass
class Table:
    """Cells as text, with the row number each row has in the file (1-based, as a spreadsheet shows it)."""

    frame: pd.DataFrame  # columns are header names (or letters when there is no header)
    row_numbers: Sequence[int]  # a range: ten million rows need no list
    letters: dict[str, str]  # Excel-style letter -> column name
    file: str
    header_cells: int = 0  # cells of the header row (CSV)
    extra_cells: dict[int, int] = field(default_factory=dict)  # row position -> cells, for rows longer than the header

    def too_long(self, position: int) -> str | None:
        """Why a row cannot be used because it has more cells than the header, or None."""
        if position not in self.extra_cells:
            return None
        return reason("too_long", cells=self.extra_cells[position], header=self.header_cells)

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
        more = " …" if len(self.frame.columns) > 12 else ""
        raise SourceError(say("src_no_column", file=self.file, column=ref, what=what, columns=shown + more))

    def raw_row(self, position: int) -> str:
        """The row as the file has it (cells joined by ``;``), for a reject."""
        if "_rows" not in self.__dict__:  # once per table: a file with thousands of rejects asks for many rows
            self.__dict__["_rows"] = self.frame.to_numpy(dtype=object).tolist()
        return ";".join("" if v is None or v != v else str(v) for v in self.__dict__["_rows"][position])

    def raw_rows(self, positions: np.ndarray) -> list[str]:
        """:meth:`raw_row` of many rows at once, without turning the whole table into Python objects."""
        if not len(positions):
            return []
        at = pa.array(positions, pa.int64())
        cells = [arrow_text(self.frame[c]).take(at) for c in self.frame.columns]
        return pc.binary_join_element_wise(*cells, ";").to_pylist()


def arrow_text(column: pd.Series) -> pa.Array:
    """A column of cells as one Arrow string array, empty cells as ``""``."""
    try:
        values = pa.array(column, pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        values = pa.array(["" if v is None or v != v else str(v) for v in column.tolist()], pa.string())
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return pc.fill_null(values, "")


def not_blank(column: pd.Series) -> np.ndarray:
    """Which cells hold more than white space."""
    return pc.not_equal(pc.utf8_trim_whitespace(arrow_text(column)), "").to_numpy(zero_copy_only=False)


def _letter(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


_HEAD_BYTES = 256 * 1024
_CHUNK_BYTES = 4 * 1024 * 1024


def _fits(path: Path, codec: str) -> str | None:
    """Why the file does not decode as ``codec`` (None when it does), read in chunks: a file of gigabytes is never
    held as text to find out."""
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    with path.open("rb") as f:
        while True:
            chunk = f.read(_CHUNK_BYTES)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                where = offset - len(exc.object) + len(chunk) + exc.start  # the decoder keeps a cut character
                bad = exc.object[exc.start : exc.start + 1].hex()
                return f"'{exc.encoding}' codec can't decode byte 0x{bad} in position {where}: {exc.reason}"
            if not chunk:
                return None
            offset += len(chunk)


def _encoding(path: Path, encoding: str | None) -> str:
    """The file's text encoding: the one the workspace names (checked), else UTF-8 or WINDOWS-1250."""
    if encoding and encoding != "auto":
        try:
            problem = _fits(path, encoding)
        except LookupError as exc:
            raise SourceError(say("src_unknown_encoding", encoding=encoding, error=str(exc))) from exc
        if problem:
            raise SourceError(say("src_not_encoding", encoding=encoding, problem=problem))
        return encoding
    for candidate in ("utf-8-sig", "cp1250"):
        if _fits(path, candidate) is None:
            return candidate
    raise SourceError(say("src_no_encoding"))


def _head(path: Path, codec: str) -> str:
    """The file's first lines as text (to sniff the separator and the row width); the last, cut line is left out
    when the file is longer than the sample."""
    with path.open("rb") as f:
        data = f.read(_HEAD_BYTES + 1)
    if len(data) <= _HEAD_BYTES:
        return data.decode(codec)
    text = data[:_HEAD_BYTES].decode(codec, errors="ignore")
    return text[: text.rfind("\n") + 1] if "\n" in text else text


def _read_regular_csv(path: Path, codec: str, separator: str, head: str) -> pd.DataFrame | None:
    """A CSV whose rows all have the same number of cells, read by Arrow's parser into Arrow-backed text columns
    (tens of millions of cells in seconds, a few bytes each). None for any other file, which is then read row by
    row so that short title rows and over-long rows are kept and reported as before."""
    widths = {len(row) for row in csv.reader(io.StringIO(head), delimiter=separator)} - {0}
    if len(widths) != 1:
        return None
    width = widths.pop()
    irregular: list[object] = []

    def note(row: object) -> str:
        irregular.append(row)
        return "skip"

    names = [str(i) for i in range(width)]
    try:
        table = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(
                column_names=names, encoding="utf8" if codec.replace("-", "").lower().startswith("utf8") else codec
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=separator, newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=note
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None  # what Arrow cannot parse, the row-by-row reader reads or explains
    if irregular:
        return None
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    frame.columns = range(width)
    return frame


def _separator_of(head: str, suffix: str) -> str:
    """A file's separator when the workspace names none: a tab in a ``.tsv``, else sniffed from its first lines."""
    return "\t" if suffix == ".tsv" else _sniff_separator(head)


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
        raise SourceError(say("src_table_not_found", path=str(path)))
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise SourceError(say("src_table_kind", file=path.name, suffixes=", ".join(TABLE_SUFFIXES)))
    used_sep = ""
    rows: list[list[str]] | None = None  # the CSV's rows, when it had to be read row by row
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            grid, tried = None, None
            if not encoding or encoding == "auto":  # Arrow checks UTF-8 as it reads: one pass over a big file
                with contextlib.suppress(UnicodeDecodeError):
                    head = _head(path, "utf-8-sig")
                    used_sep = separator or _separator_of(head, suffix)
                    grid, tried = _read_regular_csv(path, "utf-8-sig", used_sep, head), "utf-8-sig"
            if grid is None:
                codec = _encoding(path, encoding)
                if codec != tried:  # a UTF-8 file Arrow already read was ragged: it is read row by row below
                    head = _head(path, codec)
                    used_sep = separator or _separator_of(head, suffix)
                    grid = _read_regular_csv(path, codec, used_sep, head)
            if grid is None:  # ragged: title lines, footnotes, rows longer than the header
                rows = list(csv.reader(io.StringIO(path.read_bytes().decode(codec)), delimiter=used_sep))
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
        raise SourceError(say("src_in_file", file=path.name, error=as_raised(exc))) from exc
    except ValueError as exc:
        raise SourceError(say("src_unreadable", file=path.name, error=str(exc))) from exc
    except Exception as exc:  # parser errors from csv/xlrd/openpyxl
        raise SourceError(say("src_unreadable", file=path.name, error=str(exc))) from exc

    if rows is not None or not used_sep:  # read by Arrow: no missing cells, and no copy of millions of them
        grid = grid.fillna("")
    header = header_row or 0
    start = data_start_row or (header + 1)
    if header and header > len(grid):
        raise SourceError(say("src_header_beyond", file=path.name, header=header, rows=len(grid)))
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
    data = grid.iloc[start - 1 :].set_axis(names, axis=1).reset_index(drop=True)
    row_numbers = range(start, start + len(data))
    table = Table(data, row_numbers, {k: names[i] for k, i in letters.items()}, path.name)
    if used_sep and header:
        header_row_cells = rows[header - 1] if rows is not None else [str(v) for v in grid.iloc[header - 1].tolist()]
        table.header_cells = _used_width(header_row_cells)
        if rows is not None:
            table.extra_cells = {
                position: width
                for position, row in enumerate(rows[start - 1 :])
                if (width := _used_width(row)) > table.header_cells
            }
            filled = sum(1 for row in rows[start - 1 :] if _used_width(row))
        else:
            table.extra_cells = _extra_cells(data, table.header_cells)
            filled = int(_filled(data).sum()) if table.extra_cells else 0
        if filled and len(table.extra_cells) > filled / 2:
            raise SourceError(
                say(
                    "src_ragged",
                    file=path.name,
                    rows=len(table.extra_cells),
                    filled=filled,
                    cells=table.header_cells,
                    separator=repr(used_sep),
                )
            )
    return table, used_sep


def _filled(data: pd.DataFrame) -> np.ndarray:
    """Which rows have any cell with more than white space."""
    filled = np.zeros(len(data), dtype=bool)
    for column in data.columns:
        filled |= not_blank(data[column])
    return filled


def _extra_cells(data: pd.DataFrame, header_cells: int) -> dict[int, int]:
    """Rows with cells beyond the header's last one (position -> cells up to the last non-empty one)."""
    width = np.zeros(len(data), dtype=np.int64)
    for j in range(data.shape[1] - 1, header_cells - 1, -1):
        width = np.where((width == 0) & not_blank(data.iloc[:, j]), j + 1, width)
    return {int(p): int(width[p]) for p in np.flatnonzero(width)}


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
