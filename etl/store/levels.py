"""The store's levels (coarse to fine): fetched levels are merged in among the workspace's own."""

from __future__ import annotations

import duckdb

from etl.workspace.vocabulary import KNOWN_LEVELS

#: How levels nest, coarse to fine, when a fetched level joins the ones the workspace declared.
LEVEL_ORDER = ("country", "nuts1", "voivodeship", "nuts2", "nuts3", "powiat", "lau", "gmina", "urban_unit")
LEVEL_NAMES: dict[str, tuple[str, str, str]] = {
    **KNOWN_LEVELS,
    "nuts1": ("NUTS 1 (makroregion)", "NUTS 1 (major region)", "NUTS 1 (stambusis regionas)"),
    "nuts2": ("NUTS 2 (region)", "NUTS 2 (region)", "NUTS 2 (regionas)"),
    "nuts3": ("NUTS 3 (podregion)", "NUTS 3 (small region)", "NUTS 3 (smulkusis regionas)"),
    "lau": ("LAU (jednostka lokalna)", "LAU (local administrative unit)", "LAU (vietos administracinis vienetas)"),
}


def merge_levels(
    con: duckdb.DuckDBPyConnection, new: list[str], known_names: dict[str, tuple[str, str, str]] | None = None
) -> None:
    """Add levels the store does not know yet, placed by :data:`LEVEL_ORDER` among the existing ones."""
    existing = con.execute("SELECT level, name_pl, name_en, name_lt FROM levels ORDER BY rank").fetchall()
    names = {lv: (pl, en, lt or en) for lv, pl, en, lt in existing}
    order = [lv for lv, *_names in existing]
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
        names[level] = (known_names or {}).get(level) or LEVEL_NAMES.get(level, (level, level, level))
    con.execute("DELETE FROM levels")
    con.executemany(
        "INSERT INTO levels (level, rank, name_pl, name_en, name_lt) VALUES (?, ?, ?, ?, ?)",
        [(lv, rank, *names[lv]) for rank, lv in enumerate(order)],
    )
