-- Residents' proposals and programme areas (LSR coverage, revitalisation area, functional urban area, ...).

CREATE TABLE goals (
    code        TEXT PRIMARY KEY,      -- the workspace's own tree: '1', '1.1', ...
    parent_code TEXT,
    name_pl     TEXT NOT NULL,
    name_en     TEXT
);

CREATE TABLE proposals (
    id                 TEXT PRIMARY KEY,
    title              TEXT NOT NULL,  -- typed by residents: untrusted, always shown as text
    description        TEXT,
    goal_code          TEXT,
    category           TEXT,
    status             TEXT NOT NULL CHECK (status IN
                       ('submitted', 'under_evaluation', 'accepted', 'rejected', 'selected', 'implemented')),
    status_source      TEXT,           -- the source's own word for the status
    cost_pln           DOUBLE,
    votes              INTEGER,
    edition            TEXT,
    submitter_type     TEXT,
    location_kind      TEXT NOT NULL CHECK (location_kind IN ('point', 'unit', 'city_wide')),
    geom               GEOMETRY,       -- EPSG:4326 point, when given
    unit_code          TEXT,           -- the unit that contains it (or the unit it names)
    precisely_located  BOOLEAN NOT NULL,
    location_note      TEXT,           -- why it is not precisely located
    source_id          TEXT NOT NULL
);

CREATE TABLE areas (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,           -- lsr, revitalisation, degraded, functional_urban_area, or the workspace's own
    programme TEXT,
    period    TEXT,
    level     TEXT,                    -- level of the member units
    geom      GEOMETRY,                -- its own polygon, or the union of its members
    source_id TEXT NOT NULL
);

CREATE TABLE area_members (
    area_id   TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    share     DOUBLE NOT NULL,         -- share of the unit's area inside the area (1 for listed members)
    PRIMARY KEY (area_id, unit_code)
);
