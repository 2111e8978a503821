"""The words a workspace file may use: level names, table layouts, proposal statuses and locations, area kinds."""

from __future__ import annotations

from indicators.participation import STATUSES

__all__ = ["AREA_KINDS", "BUILTIN_CROSSWALKS", "KNOWN_LEVELS", "LAYOUTS", "LOCATIONS", "PARENT_RULES", "STATUSES"]

#: Levels the Atlas knows by name, coarse to fine, with Polish, English and Lithuanian names (Lithuania's own
#: levels too: apskritis, savivaldybė, seniūnija).
KNOWN_LEVELS: dict[str, tuple[str, str, str]] = {
    "country": ("kraj", "country", "valstybė"),
    "voivodeship": ("województwo", "voivodeship", "vaivadija"),
    "powiat": ("powiat", "county (powiat)", "pavietas (powiat)"),
    "gmina": ("gmina", "municipality (gmina)", "gmina (savivaldybė)"),
    "urban_unit": ("jednostka urbanistyczna", "urban unit", "urbanistinis vienetas"),
    "apskritis": ("okręg (apskritis)", "county (apskritis)", "apskritis"),
    "savivaldybe": ("samorząd (savivaldybė)", "municipality (savivaldybė)", "savivaldybė"),
    "seniunija": ("starostwo (seniūnija)", "eldership (seniūnija)", "seniūnija"),
}
LAYOUTS = ("long", "wide_indicators", "wide_years")
LOCATIONS = ("lonlat", "xy", "geometry", "wkt", "unit", "city_wide")
AREA_KINDS = ("lsr", "revitalisation", "degraded", "functional_urban_area")
PARENT_RULES = ("teryt", "contains", "none")
#: Crosswalks the Atlas ships (files in etl/crosswalks/), usable as `crosswalk = "<id>"` without declaring them.
BUILTIN_CROSSWALKS = ("krakow-delegatury", "lodz-delegatury", "lt-municipalities", "warszawa-dzielnice")
