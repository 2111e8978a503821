"""The profile's charts as SVG (vector in the PDF, text as outlines): the unit on a map of its group, level against
change, and a sparkline per indicator. Drawn with matplotlib, without a browser."""

from __future__ import annotations

import io
import math
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")  # no screen: files only
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from matplotlib.patches import PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

UNIT = "#E69F00"  # the Compare page's colours: the chosen unit, the group
GROUP = "#9ecae1"
OTHER = "#dddddd"
INK = "#222222"

plt.rcParams.update({"svg.fonttype": "path", "font.size": 8, "font.family": "DejaVu Sans"})


def _svg(fig) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight", pad_inches=0.02, metadata={"Date": None})
    plt.close(fig)
    return out.getvalue()


def _patch(geom, colour: str, edge: str, width: float) -> PathPatch:
    vertices, codes = [], []
    polygons = geom.geoms if hasattr(geom, "geoms") else [geom]
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = list(ring.coords)
            vertices += xy
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
    return PathPatch(MplPath(vertices, codes), facecolor=colour, edgecolor=edge, linewidth=width)


def group_map(shapes: dict[str, bytes], unit: str, members: set[str]) -> str:
    """The unit and its group's units (WKB geometries in lon/lat), the rest of the level in grey."""
    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    bounds = []
    for code, wkb in shapes.items():
        geom = shapely.from_wkb(wkb)
        if geom is None or geom.is_empty:
            continue
        colour = UNIT if code == unit else GROUP if code in members else OTHER
        ax.add_patch(_patch(geom, colour, "white", 0.4))
        if code == unit or code in members:
            bounds.append(geom.bounds)
    if bounds:
        x0, y0 = min(b[0] for b in bounds), min(b[1] for b in bounds)
        x1, y1 = max(b[2] for b in bounds), max(b[3] for b in bounds)
        pad_x, pad_y = (x1 - x0) * 0.03 or 0.01, (y1 - y0) * 0.03 or 0.01
        ax.set_xlim(x0 - pad_x, x1 + pad_x)
        ax.set_ylim(y0 - pad_y, y1 + pad_y)
        ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))  # lon/lat drawn as on the ground
    ax.axis("off")
    return _svg(fig)


def level_change(
    placed: pd.DataFrame, unit: str, score_label: str, change_label: str, number: Callable[[float], str]
) -> str:
    """Every unit's score (x) against its change (y), lines at the group's median score and at no change; tick
    labels written by ``number`` (the reader's decimal separator)."""
    fig, ax = plt.subplots(figsize=(6.2, 3.2))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v)))
    shown = placed.dropna(subset=["score", "change"])
    others = shown[shown["code"] != unit]
    ax.scatter(others["score"], others["change"], s=14, color=GROUP, edgecolor="#4a7fb0", linewidth=0.4)
    own = shown[shown["code"] == unit]
    ax.scatter(own["score"], own["change"], s=60, color=UNIT, edgecolor=INK, linewidth=0.8, zorder=3)
    if len(shown):
        ax.axvline(shown["score"].median(), color="#888888", linewidth=0.6, linestyle="--")
    ax.axhline(0, color="#888888", linewidth=0.6)
    ax.set_xlabel(score_label)
    ax.set_ylabel(change_label)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


def sparkline(years: list[int], values: list[float]) -> str:
    """A small line of the unit's values over the years, its last value marked."""
    fig, ax = plt.subplots(figsize=(0.9, 0.22))
    if years:
        ax.plot(years, values, color="#1f4e79", linewidth=0.9)
        ax.plot(years[-1:], values[-1:], "o", color=UNIT, markersize=2)
    ax.axis("off")
    return _svg(fig)
