from __future__ import annotations

import numpy as np
import pytest

from indicators.classify import ClassificationError, class_colours, classify, diverging_colours

VALUES = [1, 2, 3, 4, 5, 10, 20, 30, None]


def test_quantiles_with_missing_counted():
    c = classify(VALUES, method="quantiles", k=3)
    assert c.missing == 1 and c.class_of[-1] == -1
    assert c.counts == [3, 2, 3]
    assert sum(c.counts) + c.missing == len(VALUES)
    assert c.legend("en")[0] == ("1.0 – 3.3", 3)
    assert c.legend("pl")[0] == ("1,0 – 3,3", 3)


def test_natural_breaks_separate_the_outliers():
    c = classify(VALUES, method="natural_breaks", k=3)
    assert c.bins == [10.0, 20.0, 30.0] and c.counts == [6, 1, 1]


def test_user_defined_and_fixed_breaks_over_years():
    c = classify(VALUES, method="user_defined", breaks=[5, 15])
    assert c.bins == [5.0, 15.0, 30.0] and c.counts == [5, 1, 2]
    all_years = np.array([0, 100.0, 50, 25])
    fixed = classify([10, 60], method="equal_interval", k=4, fixed_from=all_years)
    assert fixed.bins == [25.0, 50.0, 75.0, 100.0]
    assert fixed.class_of.tolist() == [0, 2]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "kmeans"}, "method must be"),
        ({"k": 12}, "3 to 9"),
        ({"method": "user_defined", "breaks": [5, 2]}, "increasing breaks"),
        (
            {"method": "user_defined", "breaks": [1.5, 2.5, 3.5, 4.5, 6, 8, 12, 16, 25]},
            "at most 9 user-defined classes",
        ),
    ],
)
def test_bad_requests_are_clear_errors(kwargs, message):
    with pytest.raises(ClassificationError, match=message):
        classify(VALUES, **kwargs)


def test_user_defined_classes_go_up_to_nine_each_its_own_shade():
    nine = classify(VALUES, method="user_defined", breaks=[1.5, 2.5, 3.5, 4.5, 6, 8, 12, 16])  # and 16–30
    assert len(nine.bins) == 9 and len(set(class_colours(9))) == 9
    assert len(classify(VALUES, method="user_defined", breaks=[1.5, 2.5, 3.5, 4.5, 6, 8, 12, 16, 30]).bins) == 9


def test_diverging_palette_respects_direction():
    bins = [2.0, 4.0, 6.0, 8.0]  # reference 5: two classes below, two above
    higher = diverging_colours(bins, 5.0, "higher_is_better")
    lower = diverging_colours(bins, 5.0, "lower_is_better")
    reds, blues = {"#d73027", "#f46d43", "#fdae61", "#fee090"}, {"#e0f3f8", "#abd9e9", "#74add1", "#4575b4"}
    assert set(higher[:2]) <= reds and set(higher[2:]) <= blues  # low values are worse
    assert set(lower[:2]) <= blues and set(lower[2:]) <= reds  # low values are better
    # the further from the reference, the darker
    assert higher == ["#fdae61", "#fee090", "#e0f3f8", "#abd9e9"]
    assert lower == ["#abd9e9", "#e0f3f8", "#fee090", "#fdae61"]
    assert len(class_colours(5)) == 5


@pytest.mark.parametrize("direction", ["higher_is_better", "lower_is_better"])
def test_diverging_classes_on_one_side_each_have_their_own_shade(direction):
    """Nine classes all above the reference: nine shades from light to dark (six of them shared the darkest)."""
    bins = [float(i) for i in range(1, 10)]
    colours = diverging_colours(bins, 0.0, direction)
    assert len(set(colours)) == 9
    lightness = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in colours]
    assert lightness == sorted(lightness, reverse=True)  # darker the further from the reference
    assert colours[0] == diverging_colours(bins[:4], 0.0, direction)[0]  # the same palest shade as with four
    assert colours[-1] == diverging_colours(bins[:4], 0.0, direction)[-1]  # and the same darkest
    below = diverging_colours(bins, 10.0, direction)  # all below it: the mirror image
    assert len(set(below)) == 9 and below[-1] == diverging_colours(bins[:4], 10.0, direction)[-1]
