"""The indicator catalogue: what an indicator is, and which values it can never take."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from indicators.errors import CatalogueError

DOMAINS = ("economic", "social", "environmental-spatial", "institutional")
DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral")

#: Units of measure whose values are shares in percent: 0–100.
PERCENT_UNITS = {"%", "percent", "proc.", "procent"}
#: Units of measure that count things: never negative.
COUNT_UNITS = {
    "osoby",
    "osób",
    "persons",
    "people",
    "count",
    "liczba",
    "szt.",
    "number",
    "podmioty",
    "entities",
    "mieszkańcy",
    "residents",
    "km2",
    "km²",
    "ha",
    "zł",
    "pln",
    "m2",
    "m²",
}


@dataclass(frozen=True)
class Indicator:
    """One entry of the catalogue. ``min_value``/``max_value`` bound the values that are possible at all."""

    id: str
    name_pl: str
    name_en: str
    unit: str
    domain: str
    direction: str
    source: str = ""
    licence: str = ""
    description: str = ""
    min_value: float | None = None
    max_value: float | None = None
    derivation: str | None = None  # JSON, for an indicator computed from others (see indicators/derived.py)
    extra: dict = field(default_factory=dict, compare=False)

    def bounds(self) -> tuple[float, float]:
        """The possible range: explicit bounds, else what the unit implies (% is 0–100, counts are ≥ 0)."""
        low, high = -math.inf, math.inf
        unit = self.unit.strip().lower()
        if unit in PERCENT_UNITS:
            low, high = 0.0, 100.0
        elif unit in COUNT_UNITS:
            low = 0.0
        if self.min_value is not None:
            low = self.min_value
        if self.max_value is not None:
            high = self.max_value
        return low, high

    def row(self, source_id: str) -> dict:
        data = asdict(self)
        data.pop("extra")
        data["source_id"] = source_id
        return data


def indicator_from_mapping(entry: dict, *, where: str) -> Indicator:
    """Build an :class:`Indicator` from a workspace entry, collecting every problem before raising."""
    problems = []
    for key in ("id", "name_pl", "name_en", "unit", "domain", "direction"):
        if not str(entry.get(key, "")).strip():
            problems.append(f"`{key}` is missing")
    domain = entry.get("domain")
    if domain and domain not in DOMAINS:
        problems.append(f"domain '{domain}' is not one of {', '.join(DOMAINS)}")
    direction = entry.get("direction")
    if direction and direction not in DIRECTIONS:
        problems.append(f"direction '{direction}' is not one of {', '.join(DIRECTIONS)}")
    known = {f for f in Indicator.__dataclass_fields__ if f != "extra"}
    for key in ("min_value", "max_value"):
        if key in entry and not isinstance(entry[key], int | float):
            problems.append(f"`{key}` must be a number")
    if problems:
        raise CatalogueError(f"{where}: " + "; ".join(problems))
    values = {k: v for k, v in entry.items() if k in known and k != "derivation"}
    if "derived" in entry:
        import json

        from indicators.derived import check_derivation

        values["derivation"] = json.dumps(check_derivation(entry["derived"], where), sort_keys=True)
    return Indicator(**values, extra={k: v for k, v in entry.items() if k not in known and k != "derived"})
