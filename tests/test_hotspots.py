"""Local Moran's I on a grid with a known cluster: a 3 x 3 block of high values in the corner of a 6 x 6 grid of
low values, one unit without data, and one square far away (no neighbours)."""

from __future__ import annotations

import numpy as np
from shapely.geometry import box

from indicators.hotspots import local_moran


def _grid():
    rng = np.random.default_rng(7)
    codes, geoms, values = [], [], []
    for row in range(6):
        for col in range(6):
            codes.append(f"{row}{col}")
            geoms.append(box(col, row, col + 1, row + 1))
            values.append(100.0 + rng.normal(0, 1) if row < 3 and col < 3 else 10.0 + rng.normal(0, 1))
    values[codes.index("55")] = None  # no data
    codes.append("island")
    geoms.append(box(20, 20, 21, 21))  # touches nothing
    values.append(50.0)
    return codes, np.array(geoms, dtype=object), values


def test_the_known_cluster_is_high_high_and_the_rest_is_classed_honestly():
    codes, geoms, values = _grid()
    result = local_moran(codes, geoms, values, significance=0.05, permutations=999).set_index("code")
    assert result.loc["11", "class"] == "high_high" and result.loc["11", "p_value"] <= 0.05
    assert result.loc["11", "neighbours"] == 8
    high_block = [f"{r}{c}" for r in range(3) for c in range(3)]
    assert set(result.loc[high_block, "class"]) <= {"high_high", "not_significant"}
    assert result.loc["44", "class"] in ("low_low", "not_significant") and result.loc["44", "local_i"] > 0
    assert result.loc["55", "class"] == "no_data" and np.isnan(result.loc["55", "p_value"])
    assert result.loc["island", "class"] == "no_neighbours" and result.loc["island", "neighbours"] == 0


def test_the_same_seed_gives_the_same_p_values():
    codes, geoms, values = _grid()
    first = local_moran(codes, geoms, values)["p_value"]
    second = local_moran(codes, geoms, values)["p_value"]
    assert first.equals(second)


def test_a_stricter_significance_flags_fewer_units():
    codes, geoms, values = _grid()
    loose = (local_moran(codes, geoms, values, significance=0.1)["class"].isin(["high_high", "low_low"])).sum()
    strict = (local_moran(codes, geoms, values, significance=0.001)["class"].isin(["high_high", "low_low"])).sum()
    assert strict < loose


def test_neighbours_built_once_for_the_level_give_what_each_indicator_would_build_itself():
    """The level's contiguity, narrowed to the units with data, is the contiguity of those units: the same local I,
    p-values and classes as weights built from their own boundaries (as before the weights were cached)."""
    import geopandas as gpd
    from libpysal.weights import Queen

    from indicators.hotspots import queen_neighbours

    codes, geoms, values = _grid()
    for c in ("12", "40", "41", "51"):  # "50" touches only 40, 41 and 51: with none of them it is set aside
        values[codes.index(c)] = None
    level = queen_neighbours(codes, geoms)
    assert sorted(level["11"]) == ["00", "01", "02", "10", "12", "20", "21", "22"] and level["island"] == []
    cached = local_moran(codes, None, values, neighbours=level).set_index("code")
    own = local_moran(codes, geoms, values).set_index("code")
    assert cached.equals(own)
    assert cached.loc["50", "class"] == "no_neighbours"  # its neighbours 40, 41 and 51 have no data
    # and the weights among the units tested are the ones libpysal builds from those units alone
    tested = [c for c in codes if cached.loc[c, "class"] not in ("no_data", "no_neighbours")]
    frame = gpd.GeoDataFrame({"code": tested}, geometry=[geoms[codes.index(c)] for c in tested])
    alone = Queen.from_dataframe(frame, use_index=False)
    assert [alone.cardinalities[i] for i in range(len(tested))] == [int(cached.loc[c, "neighbours"]) for c in tested]


def _cells(n: int = 300):
    """An irregular coverage (Voronoi cells in a square, as the scale bench builds them), with clustered values."""
    from etl.tools.synthetic import coverage

    cells = coverage(box(0, 0, 10_000, 10_000), n, seed=3)
    rng = np.random.default_rng(3)
    centre = cells.geometry.centroid
    values = (centre.x / 1000 + rng.normal(0, 2, len(cells))).tolist()
    for i in range(0, len(values), 37):
        values[i] = None
    return cells["kod"].tolist(), cells.geometry.to_numpy(), values


def test_contiguity_is_libpysals_queen_on_an_irregular_coverage():
    import geopandas as gpd
    from libpysal.weights import Queen

    from indicators.hotspots import queen_neighbours

    codes, geoms, _ = _cells()
    ours = queen_neighbours(codes, geoms)
    theirs = Queen.from_dataframe(gpd.GeoDataFrame({"code": codes}, geometry=list(geoms)), use_index=False)
    assert [sorted(ours[c]) for c in codes] == [
        sorted(codes[j] for j in theirs.neighbors[i]) for i in range(len(codes))
    ]
    assert min(len(v) for v in ours.values()) >= 1 and max(len(v) for v in ours.values()) >= 7


def test_local_i_p_values_and_classes_are_esdas_for_the_same_seed():
    """The array computation is esda's Moran_Local (row-standardised queen weights, 999 conditional permutations,
    seed 12345): the same p-values to the last digit, the same local I and the same classes."""
    import warnings

    import geopandas as gpd
    from esda.moran import Moran_Local
    from libpysal.weights import Queen

    for codes, geoms, values in (_grid(), _cells()):
        ours = local_moran(codes, geoms, values).set_index("code")
        tested = [c for c in codes if ours.loc[c, "class"] not in ("no_data", "no_neighbours")]
        frame = gpd.GeoDataFrame({"code": tested}, geometry=[geoms[codes.index(c)] for c in tested])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            w = Queen.from_dataframe(frame, use_index=False)
            y = np.array([values[codes.index(c)] for c in tested], dtype=float)
            theirs = Moran_Local(y, w, transformation="r", permutations=999, seed=12345)
        assert np.array_equal(ours.loc[tested, "p_value"].to_numpy(), theirs.p_sim)
        assert np.allclose(ours.loc[tested, "local_i"].to_numpy(), theirs.Is)
        quadrant = {1: "high_high", 2: "low_high", 3: "low_low", 4: "high_low"}
        pairs = zip(theirs.q, theirs.p_sim, strict=True)
        expected = [quadrant[int(q)] if p <= 0.05 else "not_significant" for q, p in pairs]
        assert ours.loc[tested, "class"].tolist() == expected
        assert {"high_high", "low_low"} <= set(expected)  # the comparison covered significant units too


def test_the_same_value_everywhere_makes_nothing_stand_out():
    """No spread, no cluster: every unit tested is not significant (esda divides by a zero standard deviation and
    called every unit low-low at p = 0.001)."""
    codes, geoms, _ = _grid()
    result = local_moran(codes, geoms, [5.0] * len(codes)).set_index("code")
    tested = result[result["class"] != "no_neighbours"]
    assert len(tested) == 36 and set(tested["class"]) == {"not_significant"}
    assert (tested["p_value"] == 1).all() and (tested["local_i"] == 0).all()
