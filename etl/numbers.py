"""Reading numbers as Polish files write them: ``1 234,5``, ``-`` for zero in GUS tables, ``.`` for no data."""

from __future__ import annotations

import math
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_DOT_THOUSANDS = re.compile(r"[-+]?\d{1,3}(\.\d{3})+")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']")


class NotANumber(ValueError):
    """A cell that is not a number; the message says why."""


def parse_number(text: str, *, decimal: str = ",", dash_is_zero: bool = True) -> float:
    """Parse a number written the Polish way: ``1 234,5``; ``-`` is zero in GUS tables.

    Raises :class:`NotANumber` with the reason.
    """
    value = _SPACES.sub("", str(text))
    if value == "":
        raise NotANumber("empty value")
    if value in ("-", "–", "—"):
        if dash_is_zero:
            return 0.0
        raise NotANumber(f"'{text}' is not a number")
    if value in (".", "x", "X", "#", "b.d.", "bd"):
        raise NotANumber(f"'{text}' marks missing data, not a number")
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
        raise NotANumber(f"'{text}' is not a number") from None
    if math.isnan(number) or math.isinf(number):
        raise NotANumber(f"'{text}' is not a finite number")
    return number


#: what :func:`parse_number` removes, as far as Arrow's regular expressions (RE2: ASCII ``\s``) can say it
_SPACES_RE2 = r"[\s\x{00a0}\x{2009}\x{202f}']"
_PLAIN = {",": r"^[-+]?[0-9]{1,18}(,[0-9]{1,18})?$", ".": r"^[-+]?[0-9]{1,18}(\.[0-9]{1,18})?$"}


def parse_numbers(
    texts: pa.Array, wanted: np.ndarray, *, decimal: str = ",", dash_is_zero: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_number` over a column: the numbers (NaN where none) and, per cell, why it is not a number
    (None where it is, or where not ``wanted``).

    Plain numbers (digits, a sign, one decimal mark, spaces between thousands) are parsed by Arrow at once; every
    other wanted cell goes through :func:`parse_number`, so the numbers and the reasons are the same as its own.
    """
    n = len(texts)
    values = np.full(n, np.nan)
    why = np.full(n, None, dtype=object)
    if not n or not wanted.any():
        return values, why
    squeezed = pc.replace_substring_regex(texts, _SPACES_RE2, "")
    empty = pc.equal(squeezed, "").to_numpy(zero_copy_only=False) & wanted
    why[empty] = "empty value"
    plain = pc.match_substring_regex(squeezed, _PLAIN.get(decimal, _PLAIN["."])).to_numpy(zero_copy_only=False)
    plain &= wanted
    at = np.flatnonzero(plain)
    if len(at):
        chosen = squeezed.take(pa.array(at))
        if decimal == ",":
            chosen = pc.replace_substring(chosen, ",", ".")
        values[at] = pc.cast(chosen, pa.float64()).to_numpy(zero_copy_only=False)
    for cell in np.flatnonzero(wanted & ~plain & ~empty):
        try:
            values[cell] = parse_number(texts[int(cell)].as_py(), decimal=decimal, dash_is_zero=dash_is_zero)
        except NotANumber as exc:
            why[cell] = str(exc)
    return values, why
