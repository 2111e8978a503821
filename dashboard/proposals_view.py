"""The Proposals page's plain parts: how well a unit is heard, and the GeoJSON layer of points (no Streamlit)."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import shapely

from dashboard.i18n import t, tn
from dashboard.tables import Col

HEARD = ["#f0f0f0", "#c6dbef", "#6baed6", "#2171b5"]  # no proposals (stands out as blank), 1-2, 3-5, 6+


def heard_class(n: int) -> int:
    return 0 if n == 0 else 1 if n <= 2 else 2 if n <= 5 else 3


def export_layer(frame: pd.DataFrame, lon: pd.Series, lat: pd.Series) -> gpd.GeoDataFrame:
    """``frame`` as points (lon/lat, EPSG:4326); proposals without a point keep an empty geometry."""
    geometry = [shapely.Point(x, y) if pd.notna(x) else None for x, y in zip(lon, lat, strict=True)]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def location_note(note: object, lang: str) -> str:
    """Why a proposal is not a point on the map, in ``lang``: the store keeps the loader's English notes."""
    if not isinstance(note, str) or not note.strip():
        return ""
    parts = []
    for part in note.split("; "):
        shared = re.fullmatch(r"shares its point with (\d+) other proposal\(s\)", part)
        if shared:
            parts.append(tn("note_shared", int(shared.group(1)), lang))
        elif part == "city-wide":
            parts.append(t("note_city_wide", lang))
        elif part == "outside every unit":
            parts.append(t("note_outside", lang))
        else:
            parts.append(part)
    return "; ".join(parts)


def unit_columns(year: int | None) -> list[Col]:
    return [
        Col("code", "code"),
        Col("name", "name"),
        Col("proposals", "proposals_n", "count"),
        Col("cost_pln", "cost_total", "money"),
        Col("selected", "selected_n", "count"),
        Col("population", "col_population_year", "count", fields={"year": year or "—"}),
        Col("cost_per_resident", "cost_per_resident", "number", 2),
        Col("proposals_per_1000", "per_1000", "number", 2),
        Col("goal_mix", "goal_mix"),
    ]


GOAL_COLUMNS = [
    Col("name", "goal"),
    Col("proposals", "proposals_n", "count"),
    Col("cost_pln", "cost_total", "money"),
    Col("selected", "selected_n", "count"),
    Col("share_selected", "share_selected", "share"),
]
#: every column of a proposal a table shows, declared once; the tables below pick from it
PROPOSAL = {
    col.name: col
    for col in (
        Col("id", "col_proposal_id"),
        Col("title", "title_col"),
        Col("status", "status", "enum", enum="status"),
        Col("goal_code", "goal"),
        Col("cost_pln", "cost", "money"),
        Col("votes", "col_votes", "count"),
        Col("edition", "edition"),
        Col("unit_code", "code"),
        Col("unit_name", "unit"),
        Col("location_note", "col_location_note"),
    )
}
LIST_COLUMNS = [
    PROPOSAL[c] for c in ("title", "status", "goal_code", "cost_pln", "votes", "edition", "unit_name", "id")
]
LOOSE_COLUMNS = [PROPOSAL[c] for c in ("title", "status", "location_note", "unit_name", "id")]
EXPORT_COLUMNS = list(PROPOSAL.values())
