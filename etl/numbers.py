"""Reading numbers as Polish files write them: ``1 234,5``, ``-`` for zero in GUS tables, ``.`` for no data."""

from __future__ import annotations

import math
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.reasons import reason

_DOT_THOUSANDS = re.compile(r"[-+]?\d{1,3}(\.\d{3})+")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']")


class NotANumber(ValueError):
    """A cell that is not a number; the message says why (``reason`` keeps it for other languages)."""

    @property
    def reason(self) -> str:
        return self.args[0]


def parse_number(text: str, *, decimal: str = ",", dash_is_zero: bool = True) -> float:
    """Parse a number written the Polish way: ``1 234,5``; ``-`` is zero in GUS tables.

    Raises :class:`NotANumber` with the reason.
    """
    value = _SPACES.sub("", str(text))
    if value == "":
        raise NotANumber(reason("empty_value"))
    if value in ("-", "–", "—"):
        if dash_is_zero:
            return 0.0
        raise NotANumber(reason("not_a_number", text=text))
    if value in (".", "x", "X", "#", "b.d.", "bd"):
        raise NotANumber(reason("missing_data_mark", text=text))
    if decimal == ",":
        if "," not in value and _DOT_THOUSANDS.fullmatch(value):
            value = value.replace(".", "")  # 205.108 in a decimal-comma file: dots group thousands
        if "," in value and "." in value:
            value = value.replace(".", "")  # 1.234,5: dots group thousands
        value = value.replace(",", ".")
    else:
        value = value.replace(",", "")  # 1,234.5: commas group thousands
    try:
        number = float(value)
    except ValueError:
        raise NotANumber(reason("not_a_number", text=text)) from None
    if math.isnan(number) or math.isinf(number):
        raise NotANumber(reason("not_finite", text=text))
    return number


#: what :func:`parse_number` removes, as far as Arrow's regular expressions (RE2: ASCII ``\s``) can say it
_SPACES_RE2 = r"[\s\x{00a0}\x{2009}\x{202f}']"
_PLAIN = {",": r"^[-+]?[0-9]{1,18}(,[0-9]{1,18})?$", ".": r"^[-+]?[0-9]{1,18}(\.[0-9]{1,18})?$"}


def parse_numbers(
    texts: pa.Array, wanted: np.ndarray, *, decimal: str = ",", dash_is_zero: bool = True
) -> tuple[np.ndarray, dict[int, str]]:
    """:func:`parse_number` over a column: the numbers (NaN where none) and, for each wanted cell that is not a
    number, why not.

    Plain numbers (digits, a sign, one decimal mark, spaces between thousands) are parsed by Arrow at once; every
    other wanted cell goes through :func:`parse_number`, so the numbers and the reasons are the same as its own.
    """
    values = np.full(len(texts), np.nan)
    why: dict[int, str] = {}
    for start in range(0, len(texts), _CHUNK):  # a million at a time: the copies of the text stay small
        _parse_chunk(texts.slice(start, _CHUNK), wanted[start : start + _CHUNK], values[start:], why, start, decimal)
    for cell in np.flatnonzero(wanted & np.isnan(values)).tolist():
        if cell not in why:
            try:
                values[cell] = parse_number(texts[cell].as_py(), decimal=decimal, dash_is_zero=dash_is_zero)
            except NotANumber as exc:
                why[cell] = exc.reason
    return values, why


_CHUNK = 1 << 20


def _parse_chunk(
    texts: pa.Array, wanted: np.ndarray, values: np.ndarray, why: dict[int, str], offset: int, decimal: str
) -> None:
    """Arrow's part of :func:`parse_numbers` for one slice: plain numbers, as written or once spaces are taken out,
    and empty cells."""
    if not wanted.any():
        return
    pattern = _PLAIN.get(decimal, _PLAIN["."])
    plain = pc.match_substring_regex(texts, pattern).to_numpy(zero_copy_only=False) & wanted
    at = np.flatnonzero(plain)
    if len(at):
        values[at] = _numbers(texts if len(at) == len(texts) else texts.take(pa.array(at)), decimal)
    rest = np.flatnonzero(wanted & ~plain)  # few: numbers with spaces, dashes, words, empty cells
    if len(rest):
        squeezed = pc.replace_substring_regex(texts.take(pa.array(rest)), _SPACES_RE2, "")
        empty = pc.equal(squeezed, "").to_numpy(zero_copy_only=False)
        why.update(dict.fromkeys((rest[empty] + offset).tolist(), reason("empty_value")))
        spaced = pc.match_substring_regex(squeezed, pattern).to_numpy(zero_copy_only=False)
        if spaced.any():
            values[rest[spaced]] = _numbers(squeezed.filter(pa.array(spaced)), decimal)


def _numbers(plain: pa.Array, decimal: str) -> np.ndarray:
    """Arrow's numbers of plain texts (digits, a sign, one decimal mark)."""
    if decimal == ",":
        plain = pc.replace_substring(plain, ",", ".")
    return pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False)
