"""Hotspots: local Moran's I (esda) with queen contiguity weights built from the unit boundaries.

Each unit with data and at least one neighbour with data gets a local I and a permutation p-value; at the chosen
significance it is high-high (a high value among high neighbours), low-low, high-low or low-high, else not
significant. Units without data, and units left without neighbours once those are set aside, are marked as such:
they are not part of the test.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

CLASSES = ("high_high", "low_low", "high_low", "low_high", "not_significant", "no_neighbours", "no_data")
#: esda's quadrant numbers
_QUADRANTS = {1: "high_high", 2: "low_high", 3: "low_low", 4: "high_low"}


def queen_neighbours(codes: list[str], geoms: np.ndarray) -> dict[str, list[str]]:
    """Each unit's queen neighbours (units sharing a border or a corner), by code: built once per level and data
    version, then narrowed to the units with data for each indicator and year (contiguity of two units does not
    depend on the others)."""
    from libpysal.weights import Queen

    frame = gpd.GeoDataFrame({"code": codes}, geometry=list(geoms), crs="EPSG:4326")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands are fine here: they have no neighbours
        w = Queen.from_dataframe(frame, use_index=False)
    return {codes[i]: [codes[j] for j in w.neighbors[i]] for i in range(len(codes))}


def local_moran(
    codes: list[str],
    geoms: np.ndarray | None,
    values: list[float | None],
    *,
    significance: float = 0.05,
    permutations: int = 999,
    seed: int = 12345,
    neighbours: dict[str, list[str]] | None = None,
) -> pd.DataFrame:
    """A row per unit: code, value, local I, p-value (permutations), neighbours and class (see :data:`CLASSES`).

    ``neighbours`` (from :func:`queen_neighbours`) saves building the contiguity again; without it ``geoms`` give it.
    """
    from esda.moran import Moran_Local
    from libpysal.weights import W

    if neighbours is None:
        if geoms is None:
            raise ValueError("local_moran needs the units' geometries or their neighbours")
        neighbours = queen_neighbours(codes, geoms)
    out = pd.DataFrame(
        {"code": codes, "value": pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(float)}
    )
    out["local_i"], out["p_value"], out["neighbours"] = np.nan, np.nan, 0
    out["class"] = np.where(out["value"].isna(), "no_data", "no_neighbours")
    tested = set(out.loc[out["value"].notna(), "code"])
    while True:  # units whose neighbours all lack data are set aside, until every unit tested has one
        links = {c: [n for n in neighbours.get(c, []) if n in tested] for c in tested}
        islands = {c for c, near in links.items() if not near}
        if not islands:
            break
        tested -= islands
    if len(tested) < 3:
        return out
    order = [c for c in out["code"] if c in tested]  # the units' own order, as the weights' ids
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = W({c: links[c] for c in order}, ids=order)
        w.transform = "r"
        value_of = dict(zip(out["code"], out["value"], strict=True))
        moran = Moran_Local(
            np.array([value_of[c] for c in order]), w, transformation="r", permutations=permutations, seed=seed
        )
    index = {code: i for i, code in enumerate(out["code"])}
    rows = [index[c] for c in order]
    out.loc[rows, "local_i"] = moran.Is
    out.loc[rows, "p_value"] = moran.p_sim
    out.loc[rows, "neighbours"] = [len(links[c]) for c in order]
    significant = moran.p_sim <= significance
    out.loc[rows, "class"] = [
        (_QUADRANTS[int(q)] if sig else "not_significant") for q, sig in zip(moran.q, significant, strict=True)
    ]
    return out
