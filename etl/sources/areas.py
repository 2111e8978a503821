"""Programme areas: a list of member units, or a polygon whose members are the units it covers."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import shapely

from etl.errors import SourceError
from etl.store.areas import member_area, write_area
from etl.texts import say
from etl.workspace import Source
from geodata.io import read_boundaries
from geodata.projection import equal_area, to_storage_crs
from geodata.repair import repair

#: Units covered by less than this share of their area are not members of a polygon area.
MIN_SHARE = 0.01


def load_area(con: duckdb.DuckDBPyConnection, src: Source) -> dict[str, int]:
    """Replace one programme area and its members."""
    if src.opt("members"):
        geom, members, level = member_area(con, src.id, src.opt("members"), src.opt("level"))
    else:
        gdf = to_storage_crs(
            read_boundaries(src.file, layer=src.opt("layer")), declared_crs=src.opt("crs"), source_name=src.file.name
        )
        parts, _repaired = repair(gdf.geometry.values)  # a hand-drawn outline that crosses itself: its polygons
        geom = shapely.union_all(parts[~shapely.is_missing(parts)])  # (GEOS's union refuses invalid input)
        level = src.opt("level")
        rows = con.execute("SELECT code, geom FROM units WHERE level = ? AND geom IS NOT NULL", [level]).fetchall()
        if not rows:
            raise SourceError(say("src_area_no_level", area=src.id, level=level))
        unit_geoms = shapely.from_wkb([bytes(g) for _, g in rows])
        unit_ea, area_ea = equal_area(unit_geoms), equal_area(np.array([geom], dtype=object))[0]
        shares = shapely.area(shapely.intersection(unit_ea, area_ea)) / shapely.area(unit_ea)
        members = pd.DataFrame({"unit_code": [c for c, _ in rows], "share": np.clip(shares, 0, 1)})
        members = members[members["share"] >= MIN_SHARE]
        if members.empty:
            raise SourceError(say("src_area_covers_none", area=src.id, file=src.file.name, level=level))
    return write_area(
        con,
        src.id,
        name=src.opt("name"),
        kind=src.opt("kind"),
        programme=src.opt("programme"),
        period=src.opt("period"),
        level=level,
        geom=geom,
        members=members,
    )
