"""The store's levels (coarse to fine): fetched levels are merged in among the workspace's own."""

from __future__ import annotations

import duckdb

from etl.workspace.vocabulary import KNOWN_LEVELS

#: How levels nest, coarse to fine, when a fetched level joins the ones the workspace declared.
LEVEL_ORDER = ("country", "nuts1", "voivodeship", "nuts2", "nuts3", "powiat", "lau", "gmina", "urban_unit")
LEVEL_NAMES: dict[str, tuple[str, str]] = {
    **KNOWN_LEVELS,
    "nuts1": ("NUTS 1 (makroregion)", "NUTS 1 (major region)"),
    "nuts2": ("NUTS 2 (region)", "NUTS 2 (region)"),
    "nuts3": ("NUTS 3 (podregion)", "NUTS 3 (small region)"),
    "lau": ("LAU (jednostka lokalna)", "LAU (local administrative unit)"),
}


def merge_levels(
    con: duckdb.DuckDBPyConnection, new: list[str], known_names: dict[str, tuple[str, str]] | None = None
) -> None:
    """Add levels the store does not know yet, placed by :data:`LEVEL_ORDER` among the existing ones."""
    existing = con.execute("SELECT level, name_pl, name_en FROM levels ORDER BY rank").fetchall()
    names = {lv: (pl, en) for lv, pl, en in existing}
    order = [lv for lv, _pl, _en in existing]
    for level in new:
        if level in order:
            continue
        at = len(order)
        if level in LEVEL_ORDER:
            rank = LEVEL_ORDER.index(level)
            at = 0
            for i, other in enumerate(order):
                if other in LEVEL_ORDER and LEVEL_ORDER.index(other) < rank:
                    at = i + 1
        order.insert(at, level)
        names[level] = (known_names or {}).get(level) or LEVEL_NAMES.get(level, (level, level))
    con.execute("DELETE FROM levels")
    con.executemany("INSERT INTO levels VALUES (?, ?, ?, ?)", [(lv, rank, *names[lv]) for rank, lv in enumerate(order)])
