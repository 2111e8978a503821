"""Reading numbers as Polish files write them: ``1 234,5``, ``-`` for zero in GUS tables, ``.`` for no data."""

from __future__ import annotations

import math
import re

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
