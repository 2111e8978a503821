-- The store's core schema: units, indicator catalogue, observations, runs, sources and rejects.
-- Codes are text (TERYT keeps its leading zeros); geometry is EPSG:4326 in lon/lat order.

CREATE TABLE workspace (
    key   TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE levels (
    level   TEXT PRIMARY KEY,
    rank    INTEGER NOT NULL,          -- 0 = country, larger = finer
    name_pl TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE units (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    level        TEXT NOT NULL,
    parent_code  TEXT,
    area_km2     DOUBLE,
    geom         GEOMETRY,             -- EPSG:4326, lon/lat, repaired
    source_id    TEXT NOT NULL
);

-- Display geometry: each level simplified as a coverage, so neighbours still share their borders exactly.
CREATE TABLE unit_display (
    code  TEXT PRIMARY KEY,
    level TEXT NOT NULL,
    geom  GEOMETRY NOT NULL            -- EPSG:4326, exterior rings clockwise (as Plotly's maps want)
);

CREATE TABLE indicators (
    id          TEXT PRIMARY KEY,
    name_pl     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    unit        TEXT NOT NULL,         -- unit of measure, e.g. 'osoby', '%', 'zł', 'µg/m³'
    domain      TEXT NOT NULL CHECK (domain IN ('economic', 'social', 'environmental-spatial', 'institutional')),
    direction   TEXT NOT NULL CHECK (direction IN ('higher_is_better', 'lower_is_better', 'neutral')),
    source      TEXT,
    licence     TEXT,
    description TEXT,
    min_value   DOUBLE,                -- values below are impossible (rejected)
    max_value   DOUBLE,                -- values above are impossible (rejected)
    source_id   TEXT NOT NULL
);

CREATE TABLE observations (
    unit_code    TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    year         INTEGER NOT NULL,
    value        DOUBLE,
    flag         TEXT,                 -- NULL = plain value; e.g. 'preliminary', 'confidential', 'incomplete'
    source_id    TEXT NOT NULL,
    PRIMARY KEY (unit_code, indicator_id, year)
);

CREATE TABLE runs (
    run_id      INTEGER PRIMARY KEY,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    workspace   TEXT,
    status      TEXT NOT NULL
);

-- The current state of each source: the last run that loaded it.
CREATE TABLE sources (
    source_id     TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,       -- 'boundaries', 'indicators', 'observations'
    path          TEXT NOT NULL,
    checksum      TEXT NOT NULL,       -- sha256 of the file and of its settings in the workspace
    run_id        INTEGER NOT NULL,
    loaded_at     TIMESTAMP NOT NULL,
    rows_read     INTEGER NOT NULL,
    rows_loaded   INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    rows_skipped  INTEGER NOT NULL
);

-- What each run did with each source (history).
CREATE TABLE run_sources (
    run_id        INTEGER NOT NULL,
    source_id     TEXT NOT NULL,
    action        TEXT NOT NULL,       -- 'loaded', 'unchanged', 'removed'
    path          TEXT,
    checksum      TEXT,
    rows_read     INTEGER,
    rows_loaded   INTEGER,
    rows_rejected INTEGER,
    rows_skipped  INTEGER,
    PRIMARY KEY (run_id, source_id)
);

CREATE TABLE rejects (
    run_id      INTEGER NOT NULL,
    source_id   TEXT NOT NULL,
    file        TEXT NOT NULL,
    row_number  INTEGER,               -- as the user sees it: spreadsheet row / CSV line / feature number
    column_name TEXT,
    reason      TEXT NOT NULL,
    raw         TEXT
);

CREATE INDEX observations_by_indicator ON observations (indicator_id, year);
CREATE INDEX units_by_level ON units (level);
