"""Tables as a planner reads them: headings in the interface language, enumerations in words, numbers by locale.

A page declares its columns once (:class:`Col`); :func:`localise` gives the frame with translated headings and
values (for the screen and for exports), :func:`styled` the same with every number written as the language writes
it (``3 760 000 zł``, ``172,5``) while the grid still sorts by the numbers. No identifier from the store (a column
name, a status, a domain) reaches the screen: a column without a :class:`Col` is not shown. Plain functions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from dashboard.i18n import label, t
from indicators.formatting import MISSING, format_money, format_number, format_percent

KINDS = ("text", "count", "number", "money", "share", "percent", "enum", "bool", "year", "date")


@dataclass(frozen=True)
class Col:
    """One shown column: the frame's ``name``, the catalogue key of its ``heading`` (or a ready ``title``), and how
    its values read: ``count`` (whole, grouped), ``number`` (``decimals`` places), ``money`` (zł, whole), ``share``
    (0–1 shown as %), ``percent`` (already in %), ``enum`` (words from the catalogue, ``enum`` = the kind: status,
    domain, direction, …), ``bool`` (yes/no), ``year``, ``date`` or ``text``."""

    name: str
    heading: str = ""
    kind: str = "text"
    decimals: int = 1
    enum: str = ""
    title: str = ""
    fields: dict[str, Any] = field(default_factory=dict)

    def header(self, lang: str) -> str:
        return self.title or t(self.heading or self.name, lang, **self.fields)


def file_stem(*parts: object) -> str:
    """A download's file name from what it shows (``Stopa bezrobocia, 2024`` → ``stopa-bezrobocia-2024``): letters
    of any language kept, everything a file system or a mail client may mangle replaced by ``-``."""
    text = "-".join(str(p) for p in parts if p is not None and str(p).strip())
    stem = re.sub(r"[^\w]+", "-", text.casefold()).strip("-_")
    return stem[:80].rstrip("-") or "atlas"


def _empty(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and not math.isfinite(value)


def _texts(values: pd.Series) -> pd.Series:
    """Each value as text, ``–`` where empty (as :func:`_empty` says), in whole-column operations."""
    missing = np.array(pd.isna(values), dtype=bool)
    if pd.api.types.is_float_dtype(values):
        missing |= ~np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
    elif pd.api.types.is_object_dtype(values):
        missing |= np.array([_empty(v) for v in values], dtype=bool)
    if pd.api.types.is_string_dtype(values):
        text = values.to_numpy(dtype=object, na_value=MISSING)
    else:
        text = values.astype(str).to_numpy(dtype=object)
    return pd.Series(np.where(missing, MISSING, text), index=values.index)


def formatter(col: Col, lang: str) -> Callable[[object], str]:
    """How one cell of ``col`` is written in ``lang`` (empty cells: ``–``)."""

    def write(value: object) -> str:
        if _empty(value):
            return MISSING
        if col.kind == "count":
            return format_number(float(value), lang, 0)  # type: ignore[arg-type]
        if col.kind == "number":
            return format_number(float(value), lang, col.decimals)  # type: ignore[arg-type]
        if col.kind == "money":
            return format_money(float(value), lang)  # type: ignore[arg-type]
        if col.kind == "share":
            return format_percent(float(value) * 100, lang, col.decimals)  # type: ignore[arg-type]
        if col.kind == "percent":
            return format_percent(float(value), lang, col.decimals)  # type: ignore[arg-type]
        if col.kind == "year":
            return str(int(value))  # type: ignore[call-overload]
        return str(value)

    return write


def localise(frame: pd.DataFrame, cols: Sequence[Col], lang: str, *, rounded: bool = True) -> pd.DataFrame:
    """``frame``'s ``cols`` with headings in ``lang``, enumerations and yes/no in words, empty text cells ``–``;
    numbers stay numbers, rounded to their column's places unless ``rounded`` is False (raw data on request)."""
    out = {}
    for col in cols:
        if col.kind not in KINDS:
            raise ValueError(f"column {col.name}: kind {col.kind!r} is not one of {', '.join(KINDS)}")
        values = frame[col.name]
        if col.kind == "enum":  # each distinct value named once (a level can have 100,000 rows)
            names = {v: label(col.enum, v, lang) for v in values.dropna().unique()}
            values = values.map(lambda v, names=names, c=col: names[v] if v in names else label(c.enum, v, lang))
        elif col.kind == "bool":
            values = values.map(lambda v: MISSING if _empty(v) else t("yes" if v else "no", lang))
        elif col.kind in ("count", "money", "year"):
            values = pd.to_numeric(values, errors="coerce").round(0).astype("Int64")
        elif col.kind in ("number", "share", "percent"):
            values = pd.to_numeric(values, errors="coerce").astype("Float64")
            if rounded:
                values = values.round(col.decimals + (2 if col.kind == "share" else 0))
        elif col.kind == "date":
            values = values.map(lambda v: MISSING if _empty(v) else str(v)[:16])
        else:
            values = _texts(values)
        out[col.header(lang)] = values.to_numpy()
    return pd.DataFrame(out, index=frame.index)


def styled(frame: pd.DataFrame, cols: Sequence[Col], lang: str) -> Styler:
    """:func:`localise`, with every number written as ``lang`` writes it; the grid sorts by the numbers."""
    shown = localise(frame, cols, lang).reset_index(drop=True)
    formats = {
        col.header(lang): formatter(col, lang)
        for col in cols
        if col.kind in ("count", "number", "money", "share", "percent", "year")
    }
    return shown.style.format(formats, na_rep=MISSING).hide(axis="index")
