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


def local_moran(
    codes: list[str],
    geoms: np.ndarray,
    values: list[float | None],
    *,
    significance: float = 0.05,
    permutations: int = 999,
    seed: int = 12345,
) -> pd.DataFrame:
    """A row per unit: code, value, local I, p-value (permutations), neighbours and class (see :data:`CLASSES`)."""
    from esda.moran import Moran_Local
    from libpysal.weights import Queen

    frame = gpd.GeoDataFrame(
        {"code": codes, "value": pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)},
        geometry=list(geoms),
        crs="EPSG:4326",
    )
    out = frame[["code", "value"]].copy()
    out["local_i"], out["p_value"], out["neighbours"] = np.nan, np.nan, 0
    out["class"] = np.where(out["value"].isna(), "no_data", "no_neighbours")
    tested = frame[frame["value"].notna()].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal warns about islands; they are reported as classes instead
        while len(tested) >= 3:
            w = Queen.from_dataframe(tested, use_index=False)
            if not w.islands:
                break
            tested = tested.drop(index=w.islands).reset_index(drop=True)
        if len(tested) < 3:
            return out
        w.transform = "r"
        moran = Moran_Local(tested["value"].to_numpy(), w, transformation="r", permutations=permutations, seed=seed)
    index = {code: i for i, code in enumerate(out["code"])}
    rows = [index[c] for c in tested["code"]]
    out.loc[rows, "local_i"] = moran.Is
    out.loc[rows, "p_value"] = moran.p_sim
    out.loc[rows, "neighbours"] = [w.cardinalities[i] for i in range(len(tested))]
    significant = moran.p_sim <= significance
    out.loc[rows, "class"] = [
        (_QUADRANTS[int(q)] if sig else "not_significant") for q, sig in zip(moran.q, significant, strict=True)
    ]
    return out
