-- Vector tiles (Mapbox Vector Tile, EPSG:3857) of each large level's display geometry, made by the load that wrote
-- that geometry (etl/store/tiles.py): the map of a level of thousands of units reads these instead of cutting a
-- GeoJSON file of megabytes in every browser. Levels below the threshold have none.
CREATE TABLE unit_tiles (
    level TEXT NOT NULL,
    z     INTEGER NOT NULL,
    x     INTEGER NOT NULL,
    y     INTEGER NOT NULL,
    tile  BLOB NOT NULL,
    PRIMARY KEY (level, z, x, y)
);
