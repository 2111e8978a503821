"""The indicator catalogue: what an indicator is, and which values it can never take."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from indicators.errors import CatalogueError
from indicators.translation import say
from indicators.units import COUNTED_UNITS, unit_bounds

DOMAINS = ("economic", "social", "environmental-spatial", "institutional")
DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral", "target")


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
    name_lt: str | None = None  # Lithuanian name; the interface falls back to the English one
    aggregate: str | None = None  # "sum" or "weighted_mean": how coarser levels get values (indicators/aggregate.py)
    aggregate_weight: str | None = None
    derivation: str | None = None  # JSON, for an indicator computed from others (see indicators/derived.py)
    target_low: float | None = None  # direction "target": the best value, or the low end of the best range
    target_high: float | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def whole_numbers(self) -> bool:
        """Whether the values count people or things (a fractional value is a misread number)."""
        return self.unit.strip().lower() in COUNTED_UNITS

    def bounds(self) -> tuple[float, float]:
        """The possible range: explicit bounds, else what the unit implies (% is 0–100, counts are 0–10⁹, amounts
        are ≥ 0)."""
        return unit_bounds(self.unit, self.min_value, self.max_value)

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
        problems.append(say("err_cat_one_of", key="domain", value=domain, values=", ".join(DOMAINS)))
    direction = entry.get("direction")
    if direction and direction not in DIRECTIONS:
        problems.append(say("err_cat_one_of", key="direction", value=direction, values=", ".join(DIRECTIONS)))
    known = {f for f in Indicator.__dataclass_fields__ if f != "extra"}
    for key in ("min_value", "max_value"):
        if key in entry and not isinstance(entry[key], int | float):
            problems.append(say("err_cat_number", key=key))
    target = entry.get("target")
    low = high = None
    if direction == "target":
        if isinstance(target, int | float) and not isinstance(target, bool):
            low = high = float(target)
        elif (
            isinstance(target, list)
            and len(target) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in target)
            and target[0] <= target[1]
        ):
            low, high = float(target[0]), float(target[1])
        else:
            problems.append(say("err_cat_target"))
    elif target is not None:
        problems.append(say("err_cat_target_only"))
    if problems:
        raise CatalogueError(say("err_cat_problems", where=where, problems=problems))
    values = {k: v for k, v in entry.items() if k in known and k not in ("derivation", "target_low", "target_high")}
    values["target_low"], values["target_high"] = low, high
    if entry.get("aggregate") is not None:
        from indicators.aggregate import check_aggregate

        check_aggregate(entry.get("aggregate"), entry.get("weight"), where)
        values["aggregate_weight"] = entry.get("weight")
    if "derived" in entry:
        import json

        from indicators.derived import check_derivation

        values["derivation"] = json.dumps(check_derivation(entry["derived"], where), sort_keys=True)
    extra = {k: v for k, v in entry.items() if k not in known and k not in ("derived", "weight", "target")}
    return Indicator(**values, extra=extra)
