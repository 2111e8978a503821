"""Class breaks for choropleth maps (mapclassify) and colour-blind-safe palettes that honour direction.

Groundwork for the map explorer: plain functions, no Streamlit.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np

from indicators.formatting import format_number
from indicators.translation import say

METHODS = ("quantiles", "natural_breaks", "equal_interval", "std_mean", "user_defined")
#: The most classes a map has: a palette's nine shades, each class its own (the large map sends up to 15 per unit).
MOST_CLASSES = 9

#: Sequential palettes (ColorBrewer, colour-blind safe), light to dark, 9 classes.
SEQUENTIAL = {
    "blues": ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"],
    "yl_gn_bu": ["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"],
    "purples": ["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d"],
}
#: Diverging palette (ColorBrewer RdYlBu, colour-blind safe): worse (red) ... better (blue).
DIVERGING_WORSE_TO_BETTER = [
    "#d73027",
    "#f46d43",
    "#fdae61",
    "#fee090",
    "#ffffbf",
    "#e0f3f8",
    "#abd9e9",
    "#74add1",
    "#4575b4",
]


class ClassificationError(ValueError):
    """The classification cannot be made as asked (too few values, bad breaks)."""


@dataclass(frozen=True)
class Classes:
    """Upper bounds of each class, the class of each value (-1 = no data), and the count per class."""

    method: str
    lower: float
    bins: list[float]
    class_of: np.ndarray
    counts: list[int]
    missing: int

    def legend(self, lang: str = "pl", decimals: int = 1) -> list[tuple[str, int]]:
        """Each class's range (written as ``lang`` writes numbers) and how many units fall in it."""
        rows, low = [], self.lower
        for upper, count in zip(self.bins, self.counts, strict=True):
            rows.append((f"{format_number(low, lang, decimals)} – {format_number(upper, lang, decimals)}", count))
            low = upper
        return rows


def classify(
    values: np.ndarray | list[float | None],
    *,
    method: str = "quantiles",
    k: int = 5,
    breaks: list[float] | None = None,
    fixed_from: np.ndarray | None = None,
) -> Classes:
    """Classify values (None/NaN = no data) with mapclassify.

    ``fixed_from``: compute the breaks on these values instead (e.g. every year's values, so colours compare
    over time) and apply them to ``values``.
    """
    if method not in METHODS:
        raise ClassificationError(say("err_class_method", methods=", ".join(METHODS)))
    if not 3 <= k <= MOST_CLASSES:
        raise ClassificationError(say("err_class_count"))
    y = np.asarray(values, dtype=float)  # None becomes NaN
    present = ~np.isnan(y)
    basis = y[present] if fixed_from is None else np.asarray(fixed_from, dtype=float)
    basis = basis[~np.isnan(basis)]
    if len(basis) == 0:
        raise ClassificationError(say("err_class_no_values"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify warns when there are fewer distinct values than classes
        if method == "user_defined":
            if not breaks or sorted(breaks) != list(breaks):
                raise ClassificationError(say("err_class_breaks"))
            upper = list(breaks) if breaks[-1] >= basis.max() else [*breaks, float(basis.max())]
            if len(upper) > MOST_CLASSES:  # more would share shades: neighbouring classes the same colour
                raise ClassificationError(say("err_class_breaks_many", most=MOST_CLASSES))
            scheme = mapclassify.UserDefined(basis, upper)
        elif method == "quantiles":
            scheme = mapclassify.Quantiles(basis, k=k)
        elif method == "natural_breaks":
            scheme = mapclassify.FisherJenks(basis, k=k)
        elif method == "equal_interval":
            scheme = mapclassify.EqualInterval(basis, k=k)
        else:
            scheme = mapclassify.StdMean(basis)
    bins = [float(b) for b in scheme.bins]
    class_of = np.full(len(y), -1, dtype=int)
    if present.any():
        class_of[present] = np.minimum(np.searchsorted(bins, y[present], side="left"), len(bins) - 1)
    counts = [int((class_of == c).sum()) for c in range(len(bins))]
    lower = float(min(basis.min(), y[present].min() if present.any() else basis.min()))
    return Classes(method, lower, bins, class_of, counts, int((~present).sum()))


def class_colours(n: int, *, palette: str = "blues") -> list[str]:
    """``n`` colours spread over a sequential palette."""
    colours = SEQUENTIAL[palette]
    colours = colours[2:] if n <= 7 else colours  # the palest shades vanish on a white map
    return [colours[round(i * (len(colours) - 1) / max(n - 1, 1))] for i in range(n)]


def diverging_colours(bins: list[float], reference: float, direction: str) -> list[str]:
    """A colour per class around ``reference``: red is worse, blue better, by the indicator's direction.

    Classes whose upper bound is at or below the reference are "below"; for ``lower_is_better`` below is better.
    Neutral indicators get the same diverging scale with higher = blue.
    """
    below = [b for b in bins if b <= reference]
    above = len(bins) - len(below)
    # both sides light (near the reference) to dark (far from it)
    worse, better = DIVERGING_WORSE_TO_BETTER[:4][::-1], DIVERGING_WORSE_TO_BETTER[5:]
    low, high = (better, worse) if direction == "lower_is_better" else (worse, better)
    return _shades(low, len(below))[::-1] + _shades(high, above)


def _shades(ramp: list[str], n: int) -> list[str]:
    """``n`` shades of a ramp (light to dark), each its own: its first ``n``, or, for more classes than it has
    shades, ``n`` steps from its first to its last (neighbouring classes never share a colour)."""
    if n <= len(ramp):
        return ramp[:n]
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in ramp], dtype=float)
    at = np.linspace(0, len(ramp) - 1, n)
    lower = np.minimum(at.astype(int), len(ramp) - 2)
    mixed = rgb[lower] + (rgb[lower + 1] - rgb[lower]) * (at - lower)[:, None]
    return ["#{:02x}{:02x}{:02x}".format(*np.rint(c).astype(int)) for c in mixed]
