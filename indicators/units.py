"""What an indicator's unit of measure says about its values: shares are 0–100, counts whole and at most 10⁹."""

from __future__ import annotations

import math

#: Units of measure whose values are shares in percent: 0–100.
PERCENT_UNITS = {"%", "percent", "proc.", "procent"}
#: Units of measure that count people or things: whole numbers, never negative, never more than :data:`COUNT_MAX`.
COUNTED_UNITS = {
    "osoby", "osób", "persons", "people", "count", "liczba", "szt.", "number", "podmioty", "entities",
    "mieszkańcy", "residents", "gospodarstwa", "households", "mieszkania", "dwellings",
}  # fmt: skip
#: Units of measure of amounts: never negative, may be fractional.
AMOUNT_UNITS = {"km2", "km²", "ha", "zł", "pln", "m2", "m²"}
COUNT_UNITS = COUNTED_UNITS | AMOUNT_UNITS
#: No municipality, county or country the Atlas maps counts a billion people or things: more is a misread number.
COUNT_MAX = 1e9


def unit_bounds(unit: str, min_value: float | None = None, max_value: float | None = None) -> tuple[float, float]:
    """The values an indicator measured in ``unit`` can take at all; explicit bounds win."""
    low, high = -math.inf, math.inf
    unit = unit.strip().lower()
    if unit in PERCENT_UNITS:
        low, high = 0.0, 100.0
    elif unit in COUNTED_UNITS:
        low, high = 0.0, COUNT_MAX
    elif unit in AMOUNT_UNITS:
        low = 0.0
    if min_value is not None:
        low = min_value
    if max_value is not None:
        high = max_value
    return low, high
