-- Units and their display geometry without DuckDB's key on the code: building it cost ~0.2 s of every 100,000 units
-- loaded (an index of text keys filled row by row), as much as reprojecting them. The loader keeps codes unique
-- itself: a code given twice in a source is refused, a code another source loaded is refused, and every run ends by
-- checking the whole table before it is written (the DuckLake store never had keys). Lookups of one unit scan the
-- level's rows, which DuckDB skips by its min/max zones.
CREATE TABLE units_before_017 AS SELECT * FROM units;
DROP INDEX IF EXISTS units_by_level;
DROP TABLE units;
CREATE TABLE units (
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    level        TEXT NOT NULL,
    parent_code  TEXT,
    area_km2     DOUBLE,
    geom         GEOMETRY,             -- EPSG:4326, lon/lat, repaired
    source_id    TEXT NOT NULL
);
INSERT INTO units SELECT * FROM units_before_017 ORDER BY code;
DROP TABLE units_before_017;
CREATE INDEX units_by_level ON units (level);

CREATE TABLE unit_display_before_017 AS SELECT * FROM unit_display;
DROP TABLE unit_display;
CREATE TABLE unit_display (
    code  TEXT NOT NULL,
    level TEXT NOT NULL,
    geom  GEOMETRY NOT NULL            -- EPSG:4326, exterior rings clockwise (as Plotly's maps want)
);
INSERT INTO unit_display SELECT * FROM unit_display_before_017 ORDER BY code;
DROP TABLE unit_display_before_017;
