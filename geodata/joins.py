"""Spatial joins: which unit of a parent level contains each child unit."""

from __future__ import annotations

import numpy as np
import shapely


def containing_parent(
    children: np.ndarray, parents: np.ndarray, parent_codes: list[str], *, min_share: float = 0.5
) -> list[str | None]:
    """For each child polygon, the code of the parent polygon that holds most of its area.

    A child whose best parent holds less than ``min_share`` of its area gets None.
    """
    tree = shapely.STRtree(parents)
    child_idx, parent_idx = tree.query(children, predicate="intersects")
    result: list[str | None] = [None] * len(children)
    if len(child_idx) == 0:
        return result
    shares = shapely.area(shapely.intersection(children[child_idx], parents[parent_idx]))
    child_area = shapely.area(children)
    best: dict[int, tuple[float, int]] = {}
    for c, p, share in zip(child_idx, parent_idx, shares, strict=True):
        if c not in best or share > best[c][0]:
            best[c] = (share, p)
    for c, (share, p) in best.items():
        if child_area[c] > 0 and share / child_area[c] >= min_share:
            result[c] = parent_codes[p]
    return result
