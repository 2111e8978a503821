"""The Proposals page's plain parts: how well a unit is heard, and the GeoJSON layer of points (no Streamlit)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

HEARD = ["#f0f0f0", "#c6dbef", "#6baed6", "#2171b5"]  # no proposals (stands out as blank), 1-2, 3-5, 6+


def heard_class(n: int) -> int:
    return 0 if n == 0 else 1 if n <= 2 else 2 if n <= 5 else 3


def export_layer(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    geometry = [shapely.Point(x, y) if pd.notna(x) else None for x, y in zip(frame["lon"], frame["lat"], strict=True)]
    return gpd.GeoDataFrame(frame.drop(columns=["lon", "lat"]), geometry=geometry, crs="EPSG:4326")
