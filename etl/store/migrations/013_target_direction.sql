-- Direction "target": the best value (or range) of an indicator, scored by the distance from it. DuckDB cannot change
-- a CHECK constraint, so the catalogue table is rebuilt with the new list (and the target columns).
CREATE TABLE indicators_before_013 AS SELECT * FROM indicators;
DROP TABLE indicators;
CREATE TABLE indicators (
    id               TEXT PRIMARY KEY,
    name_pl          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    unit             TEXT NOT NULL,
    domain           TEXT NOT NULL CHECK (domain IN ('economic', 'social', 'environmental-spatial', 'institutional')),
    direction        TEXT NOT NULL CHECK (direction IN ('higher_is_better', 'lower_is_better', 'neutral', 'target')),
    source           TEXT,
    licence          TEXT,
    description      TEXT,
    min_value        DOUBLE,
    max_value        DOUBLE,
    source_id        TEXT NOT NULL,
    derivation       TEXT,
    name_lt          TEXT,
    aggregate        TEXT,
    aggregate_weight TEXT,
    target_low       DOUBLE,             -- direction "target": the best value, or the low end of the best range
    target_high      DOUBLE
);
INSERT INTO indicators BY NAME SELECT * FROM indicators_before_013;
DROP TABLE indicators_before_013;
