"""Keeping or dropping a source's rows (or features) by a column's value: ``keep_rows`` and ``drop_rows``."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from etl.texts import say
from etl.workspace import RowFilter, Source


def kept(frame: pd.DataFrame, src: Source, column: Callable[..., str]) -> np.ndarray:
    """Which rows of ``frame`` the source keeps (True) by its ``keep_rows`` and ``drop_rows``.

    ``column`` resolves a workspace column reference (and says which columns exist when it cannot).
    """
    mask = np.ones(len(frame), dtype=bool)
    tests: list[tuple[RowFilter, bool]] = [(f, True) for f in src.opt("keep_rows")] + [
        (f, False) for f in src.opt("drop_rows")
    ]
    for test, keep in tests:
        name = column(test.column, what=say("what_filter", column=test.column))
        cells = ["" if pd.isna(v) else str(v) for v in frame[name].tolist()]
        hits = np.fromiter((test.matches(c) for c in cells), dtype=bool, count=len(cells))
        mask &= hits if keep else ~hits
    return mask
