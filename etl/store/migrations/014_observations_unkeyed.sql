-- Observations without DuckDB's key and index on three text columns, which cost more than a second of every million
-- values loaded. The loader keeps (unit, indicator, year) unique itself: a key given twice in a source is refused,
-- a key another source loaded is refused, and every run ends by checking the whole table before it is written (the
-- DuckLake store never had keys). Values are written ordered by indicator and year, so that a map's query skips
-- the rest of the table by DuckDB's own min/max zones.
CREATE TABLE observations_before_014 AS SELECT * FROM observations;
DROP INDEX IF EXISTS observations_by_indicator;
DROP TABLE observations;
CREATE TABLE observations (
    unit_code    TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    year         INTEGER NOT NULL,
    value        DOUBLE,
    flag         TEXT,                 -- NULL = plain value; e.g. 'preliminary', 'confidential', 'incomplete'
    source_id    TEXT NOT NULL
);
INSERT INTO observations SELECT * FROM observations_before_014 ORDER BY indicator_id, year, unit_code;
DROP TABLE observations_before_014;
