"""The map view as URL query parameters, so a link opens exactly the same view. Plain functions, no Streamlit."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from indicators.classify import METHODS, SEQUENTIAL

OVERLAYS = ("proposals", "areas", "labels")
COLOUR_BY = ("goal", "status")


@dataclass
class MapView:
    """Everything that decides what the map shows. ``None`` means "the page's default"."""

    level: str | None = None
    indicator: str | None = None
    year: int | None = None
    method: str = "quantiles"
    k: int = 5
    breaks: list[float] = field(default_factory=list)
    fixed: bool = False  # the same breaks for every year
    palette: str = "blues"
    reference: str = ""  # "" sequential; "avg" diverging around the average; or a unit code
    overlays: list[str] = field(default_factory=list)
    colour_by: str = "goal"
    unit: str | None = None  # the unit whose panel is open
    basemap: bool = False
    hotspots: bool = False  # local Moran's I classes instead of value classes
    significance: float = 0.05


SIGNIFICANCE = (0.1, 0.05, 0.01, 0.001)
_DEFAULTS = MapView()

# URL parameter name for each field (short, stable: links are shared)
_PARAMS = {
    "level": "level",
    "indicator": "ind",
    "year": "year",
    "method": "cls",
    "k": "k",
    "breaks": "br",
    "fixed": "fix",
    "palette": "pal",
    "reference": "ref",
    "overlays": "ov",
    "colour_by": "pcol",
    "unit": "unit",
    "basemap": "bm",
    "hotspots": "hs",
    "significance": "sig",
}


def ascii_int(text: object, max_digits: int = 6) -> int | None:
    """A whole number written in ASCII digits only (``"²"`` and ``"٣"`` pass ``str.isdigit`` but are not numbers
    ``int`` reads), at most ``max_digits`` long; None for anything else."""
    return int(text) if isinstance(text, str) and re.fullmatch(rf"[0-9]{{1,{max_digits}}}", text) else None


def _float_list(text: str) -> list[float]:
    values = [float(part) for part in text[:2000].split("_")[:20] if part.strip()]
    if not all(math.isfinite(v) for v in values):
        raise ValueError("breaks must be finite numbers")
    return values


def from_params(params: Mapping[str, str | list[str]]) -> MapView:
    """Read a view from query parameters; anything malformed falls back to the default, never raises."""

    def get(name: str) -> str | None:
        value = params.get(_PARAMS[name])
        if isinstance(value, list):
            value = value[-1] if value else None
        return value if value not in (None, "") else None

    view = MapView(level=_short(get("level")), indicator=_short(get("indicator")), unit=_short(get("unit")))
    view.year = ascii_int(get("year"), 4)
    if (method := get("method")) in METHODS:
        view.method = method
    if (k := ascii_int(get("k"), 1)) is not None and 3 <= k <= 9:
        view.k = k
    if breaks := get("breaks"):
        try:
            view.breaks = _float_list(breaks)
        except ValueError:
            view.breaks = []
    view.fixed = get("fixed") == "1"
    if (palette := get("palette")) in SEQUENTIAL:
        view.palette = palette
    view.reference = (get("reference") or "")[:64]
    view.overlays = [o for o in (get("overlays") or "").split(",") if o in OVERLAYS]
    if (colour_by := get("colour_by")) in COLOUR_BY:
        view.colour_by = colour_by
    view.basemap = get("basemap") == "1"
    view.hotspots = get("hotspots") == "1"
    try:
        if (sig := float(get("significance") or "nan")) in SIGNIFICANCE:
            view.significance = sig
    except ValueError:
        pass
    return view


def _short(value: str | None) -> str | None:
    """An identifier from a link: pages look it up among known ones; anything very long cannot be one."""
    return value if value is None or len(value) <= 64 else None


def to_params(view: MapView) -> dict[str, str]:
    """Query parameters for a view; fields left at their default are omitted to keep links short."""
    out: dict[str, str] = {}
    defaults = asdict(_DEFAULTS)
    for name, value in asdict(view).items():
        if value == defaults[name] or value is None:
            continue
        if isinstance(value, bool):
            text = "1" if value else "0"
        elif isinstance(value, list):
            text = ("," if name == "overlays" else "_").join(_number(v) if isinstance(v, float) else v for v in value)
        else:
            text = str(value)
        out[_PARAMS[name]] = text
    return out


def _number(value: float) -> str:
    return f"{value:g}"


def parse_breaks(text: str) -> list[float]:
    """User-defined class breaks typed as ``10; 20,5; 30`` (Polish) or ``10; 20.5; 30``; raises ValueError."""
    from etl.numbers import parse_number

    parts = [part.strip() for part in text.split(";") if part.strip()]
    values = [parse_number(part, dash_is_zero=False) for part in parts]  # NotANumber is a ValueError
    if not values or values != sorted(values) or len(set(values)) != len(values):
        raise ValueError(f"breaks must be increasing numbers: {text!r}")
    return values
